/* ea-risk-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One account's risk: level, trading state (with a lock's expiry and
 * reason), daily loss and trailing drawdown used, the distance to the
 * floor in dollars and in ticks of the traded contract, contracts used
 * against the allowed number, and the consistency share of the best day.
 */
#define G_LOG_DOMAIN "ea-risk-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-money.h"
#include "ea-risk-panel.h"

struct _EaRiskPanel
{
  GtkBox     parent_instance;

  GtkWidget *title_label;
  GtkWidget *level_label;
  GtkWidget *state_label;
  GtkWidget *detail_label;
  GtkWidget *profile_label;
  GtkWidget *daily_label;
  GtkWidget *daily_bar;
  GtkWidget *trailing_label;
  GtkWidget *trailing_bar;
  GtkWidget *contracts_label;
  GtkWidget *contracts_bar;
  GtkWidget *consistency_label;
  GtkWidget *consistency_bar;
};

G_DEFINE_FINAL_TYPE (EaRiskPanel, ea_risk_panel, GTK_TYPE_BOX)

static const char * const level_classes[] = { "safe", "warning", "danger", "breach" };

static void
set_level_class (GtkWidget   *widget,
                 EaRiskLevel  level)
{
  for (guint i = 0; i < G_N_ELEMENTS (level_classes); i++)
    gtk_widget_remove_css_class (widget, level_classes[i]);
  if ((guint) level < G_N_ELEMENTS (level_classes))
    gtk_widget_add_css_class (widget, level_classes[level]);
}

static EaRiskLevel
level_for_usage (double usage)
{
  if (usage >= 1.0)
    return EA_RISK_LEVEL_BREACH;
  if (usage >= 0.8)
    return EA_RISK_LEVEL_DANGER;
  if (usage >= 0.6)
    return EA_RISK_LEVEL_WARNING;
  return EA_RISK_LEVEL_SAFE;
}

static void
set_gauge (GtkWidget  *label,
           GtkWidget  *bar,
           double      usage,
           const char *text)
{
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), CLAMP (usage, 0.0, 1.0));
  set_level_class (bar, level_for_usage (usage));
}

static void
setup_bar (GtkWidget *bar)
{
  GtkLevelBar *lb = GTK_LEVEL_BAR (bar);

  /* Usage grows towards danger: plain fill, colour from the level class. */
  gtk_level_bar_remove_offset_value (lb, GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (lb, GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (lb, GTK_LEVEL_BAR_OFFSET_FULL);
}

static void
ea_risk_panel_class_init (EaRiskPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/ea-risk-panel.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, EaRiskPanel, name)
  BIND (title_label);
  BIND (level_label);
  BIND (state_label);
  BIND (detail_label);
  BIND (profile_label);
  BIND (daily_label);
  BIND (daily_bar);
  BIND (trailing_label);
  BIND (trailing_bar);
  BIND (contracts_label);
  BIND (contracts_bar);
  BIND (consistency_label);
  BIND (consistency_bar);
#undef BIND
}

static void
ea_risk_panel_init (EaRiskPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  setup_bar (self->daily_bar);
  setup_bar (self->trailing_bar);
  setup_bar (self->contracts_bar);
  setup_bar (self->consistency_bar);
  ea_risk_panel_set_status (self, NULL, NULL, NULL);
}

GtkWidget *
ea_risk_panel_new (void)
{
  return g_object_new (EA_TYPE_RISK_PANEL, NULL);
}

static const char *
state_text (EaTradingState state)
{
  switch (state)
    {
    case EA_TRADING_STATE_ACTIVE:   return _("ACTIVE");
    case EA_TRADING_STATE_REDUCING: return _("REDUCING");
    case EA_TRADING_STATE_HALTED:   return _("HALTED");
    case EA_TRADING_STATE_LOCKED:   return _("LOCKED");
    default:                        return "?";
    }
}

/* The account's trading state in words: a broker's restriction is named
 * as such, the desk's own states by their names. */
const char *
ea_risk_status_state_text (const EaRiskStatus *status)
{
  g_return_val_if_fail (status != NULL, NULL);

  if (status->broker_restriction == EA_BROKER_RESTRICTION_LOCKED && status->lock_until == 0)
    return _("Locked by broker");
  if (status->broker_restriction == EA_BROKER_RESTRICTION_LIQUIDATION_ONLY &&
      status->state == EA_TRADING_STATE_REDUCING)
    return _("Liquidation only");
  return state_text (status->state);
}

void
ea_risk_panel_set_status (EaRiskPanel            *self,
                          const char             *account,
                          const EaRiskStatus     *status,
                          const EaInstrumentSpec *spec)
{
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  g_autofree char *room = NULL;
  g_autofree char *limit = NULL;

  g_return_if_fail (EA_IS_RISK_PANEL (self));

  /* Translators: the risk panel's title, %s is an account name. */
  title = account ? g_strdup_printf (_("Risk · %s"), account) : g_strdup (_("Risk"));
  gtk_label_set_text (GTK_LABEL (self->title_label), title);

  if (status == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->level_label), "—");
      gtk_label_set_text (GTK_LABEL (self->state_label), "—");
      set_level_class (self->level_label, (EaRiskLevel) -1);
      gtk_label_set_text (GTK_LABEL (self->detail_label),
                          account ? _("No risk profile for this account yet.")
                                  : _("Choose one account to see its limits."));
      set_gauge (self->daily_label, self->daily_bar, 0, "—");
      set_gauge (self->trailing_label, self->trailing_bar, 0, "—");
      set_gauge (self->contracts_label, self->contracts_bar, 0, "—");
      set_gauge (self->consistency_label, self->consistency_bar, 0, "—");
      return;
    }

  gtk_label_set_text (GTK_LABEL (self->level_label), ea_risk_level_to_string (status->level));
  set_level_class (self->level_label, status->level);
  gtk_label_set_text (GTK_LABEL (self->state_label), ea_risk_status_state_text (status));
  gtk_widget_remove_css_class (self->state_label, "halted");
  if (status->state != EA_TRADING_STATE_ACTIVE)
    gtk_widget_add_css_class (self->state_label, "halted");

  if (status->state == EA_TRADING_STATE_LOCKED && status->lock_until > 0)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (status->lock_until / G_USEC_PER_SEC);
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
      g_autofree char *when = local ? g_date_time_format (local, "%a %H:%M") : g_strdup ("?");

      text = g_strdup_printf (_("Locked until %s: %s"), when,
                              status->lock_reason ? status->lock_reason : "");
    }
  else if (status->broker_restriction == EA_BROKER_RESTRICTION_LOCKED)
    text = g_strdup_printf (_("Locked by broker (%s): only exits and cancels are sent."),
                            status->broker_text ? status->broker_text : "—");
  else if (status->broker_restriction == EA_BROKER_RESTRICTION_LIQUIDATION_ONLY)
    text = g_strdup_printf (_("Liquidation only (%s): only orders that reduce a position are sent."),
                            status->broker_text ? status->broker_text : "—");
  else if (status->low_margin)
    text = g_strdup (_("Low margin: under 25 % available."));
  else
    {
      g_autofree char *equity = ea_money_format (status->equity);
      g_autofree char *floor = ea_money_format (status->effective_floor);
      text = g_strdup_printf (_("Equity %s · floor %s · safety %u %%"), equity, floor, status->safety_pct);
    }
  gtk_label_set_text (GTK_LABEL (self->detail_label), text);
  g_clear_pointer (&text, g_free);

  /* Daily loss. */
  if (status->daily_loss_room == G_MAXINT64)
    set_gauge (self->daily_label, self->daily_bar, 0, _("no daily limit"));
  else
    {
      limit = ea_money_format (status->effective_limit[EA_RISK_LIMIT_DAILY]);
      room = ea_money_format (status->daily_loss_room);
      text = g_strdup_printf (_("%.0f %% of %s · %s left"),
                              status->usage[EA_RISK_LIMIT_DAILY] * 100.0, limit, room);
      set_gauge (self->daily_label, self->daily_bar, status->usage[EA_RISK_LIMIT_DAILY], text);
      g_clear_pointer (&text, g_free);
      g_clear_pointer (&limit, g_free);
      g_clear_pointer (&room, g_free);
    }

  /* Trailing drawdown, with the distance to the floor in ticks. */
  room = ea_money_format (status->trailing_room);
  if (spec != NULL && spec->tick_value > 0)
    text = g_strdup_printf (_("%.0f %% · %s = %" G_GINT64_FORMAT " %s ticks to floor"),
                            status->usage[EA_RISK_LIMIT_TRAILING] * 100.0, room,
                            MAX (status->trailing_room, 0) / spec->tick_value, spec->root);
  else
    text = g_strdup_printf (_("%.0f %% · %s to floor"),
                            status->usage[EA_RISK_LIMIT_TRAILING] * 100.0, room);
  set_gauge (self->trailing_label, self->trailing_bar, status->usage[EA_RISK_LIMIT_TRAILING], text);
  g_clear_pointer (&text, g_free);

  /* Contracts (minis) against the scaled maximum. */
  text = g_strdup_printf (_("%.1f of %u"), status->contracts_in_use, status->max_contracts);
  set_gauge (self->contracts_label, self->contracts_bar,
             status->max_contracts > 0 ? status->contracts_in_use / status->max_contracts : 0, text);
  g_clear_pointer (&text, g_free);

  /* Consistency: the best day's share of the window's profit. */
  /* A payout condition rather than a loss limit: never shown as a breach. */
  text = g_strdup_printf ("%.0f %%%s", status->best_day_share * 100.0,
                          status->consistency_ok ? "" : _(" · over the payout rule"));
  set_gauge (self->consistency_label, self->consistency_bar, status->best_day_share, text);
  set_level_class (self->consistency_bar,
                   status->consistency_ok ? EA_RISK_LEVEL_SAFE : EA_RISK_LEVEL_WARNING);
}

void
ea_risk_panel_set_profile (EaRiskPanel         *self,
                           const EaRiskProfile *profile)
{
  g_autofree char *text = NULL;

  g_return_if_fail (EA_IS_RISK_PANEL (self));

  if (profile == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->profile_label), "");
      gtk_widget_set_visible (self->profile_label, FALSE);
      return;
    }

  /* Translators: the firm, the product, then the date the rules were
   * read from the firm's pages. */
  text = g_strdup_printf (_("%s · %s: rules as read on %s. Verify with your firm."),
                          profile->firm, profile->product, profile->source_date);
  gtk_label_set_text (GTK_LABEL (self->profile_label), text);
  gtk_widget_set_tooltip_text (self->profile_label, profile->note[0] != '\0' ? profile->note : NULL);
  gtk_widget_set_visible (self->profile_label, TRUE);
}

const char *
ea_risk_panel_get_profile_text (EaRiskPanel *self)
{
  g_return_val_if_fail (EA_IS_RISK_PANEL (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->profile_label));
}

const char *
ea_risk_panel_get_state_text (EaRiskPanel *self)
{
  g_return_val_if_fail (EA_IS_RISK_PANEL (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->state_label));
}

const char *
ea_risk_panel_get_trailing_text (EaRiskPanel *self)
{
  g_return_val_if_fail (EA_IS_RISK_PANEL (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->trailing_label));
}
