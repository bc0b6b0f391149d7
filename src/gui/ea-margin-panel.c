/* ea-margin-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The priority indicator (DOMAIN §7): available and used margin, margin
 * %, day P&L and its change since the last update, coloured SAFE,
 * WARNING or DANGER, with "low margin" below 25 %.
 */
#define G_LOG_DOMAIN "ea-margin-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-columns.h"
#include "ea-margin-panel.h"
#include "ea-money.h"

struct _EaMarginPanel
{
  GtkBox          parent_instance;

  EaTradingStore *store;
  char           *account;
  EaMarginStatus  status;
  EaMicros        last_day_pnl;
  gboolean        have_last;
  gboolean        dirty;
  guint           tick_id;

  GtkWidget      *status_label;
  GtkWidget      *percent_label;
  GtkWidget      *low_margin_label;
  GtkWidget      *level_bar;
  GtkWidget      *available_label;
  GtkWidget      *used_label;
  GtkWidget      *day_pnl_label;
  GtkWidget      *day_change_label;
};

G_DEFINE_FINAL_TYPE (EaMarginPanel, ea_margin_panel, GTK_TYPE_BOX)

EaMarginStatus
ea_margin_status_for (EaMicros  equity,
                      EaMicros  margin_used,
                      double   *percent,
                      gboolean *low_margin)
{
  double pct = equity > 0 ? (double) (equity - margin_used) / (double) equity : 0.0;

  if (percent != NULL)
    *percent = pct;
  if (low_margin != NULL)
    *low_margin = pct < 0.25;

  if (pct > 0.50)
    return EA_MARGIN_SAFE;
  if (pct > 0.20)
    return EA_MARGIN_WARNING;
  return EA_MARGIN_DANGER;
}

static void
set_class (GtkWidget  *widget,
           const char *css)
{
  static const char * const all[] = { "safe", "warning", "danger", "profit", "loss" };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    gtk_widget_remove_css_class (widget, all[i]);
  if (css != NULL)
    gtk_widget_add_css_class (widget, css);
}

static void
update (EaMarginPanel *self)
{
  GListModel *accounts;
  EaMicros equity = 0, used = 0, day = 0;
  double pct = 0;
  gboolean low = FALSE;
  const char *css = NULL;
  guint n_accounts = 0;
  g_autofree char *pct_text = NULL;
  g_autofree char *available = NULL;
  g_autofree char *used_text = NULL;
  g_autofree char *day_text = NULL;
  g_autofree char *change_text = NULL;

  if (self->store == NULL)
    return;

  accounts = ea_trading_store_get_accounts (self->store);
  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(EaAccount) a = g_list_model_get_item (accounts, i);
      EaMicros open;

      if (self->account != NULL && g_strcmp0 (self->account, ea_account_get_name (a)) != 0)
        continue;
      open = ea_mark_account (self->store, ea_account_get_name (a));

      equity += ea_account_get_balance (a) + open;
      used += ea_account_get_margin_used (a);
      day += ea_account_get_realized_pnl (a) + open;
      n_accounts++;
    }

  self->status = ea_margin_status_for (equity, used, &pct, &low);
  if (n_accounts == 0)
    {
      gtk_label_set_text (GTK_LABEL (self->status_label), "—");
      gtk_label_set_text (GTK_LABEL (self->percent_label), _("No account connected"));
      gtk_level_bar_set_value (GTK_LEVEL_BAR (self->level_bar), 0);
      set_class (GTK_WIDGET (self), NULL);
      gtk_widget_set_visible (self->low_margin_label, FALSE);
      return;
    }

  gtk_label_set_text (GTK_LABEL (self->status_label), ea_margin_status_to_string (self->status));
  set_class (GTK_WIDGET (self),
             self->status == EA_MARGIN_SAFE ? "safe"
             : self->status == EA_MARGIN_WARNING ? "warning" : "danger");

  pct_text = g_strdup_printf (_("%.1f %% margin available"), pct * 100.0);
  gtk_label_set_text (GTK_LABEL (self->percent_label), pct_text);
  gtk_level_bar_set_value (GTK_LEVEL_BAR (self->level_bar), CLAMP (pct, 0.0, 1.0));
  gtk_widget_set_visible (self->low_margin_label, low);

  available = ea_money_format (equity - used);
  used_text = ea_money_format (used);
  gtk_label_set_text (GTK_LABEL (self->available_label), available);
  gtk_label_set_text (GTK_LABEL (self->used_label), used_text);

  day_text = ea_format_pnl (day, &css);
  gtk_label_set_text (GTK_LABEL (self->day_pnl_label), day_text);
  set_class (self->day_pnl_label, css);

  if (self->have_last && day != self->last_day_pnl)
    {
      change_text = ea_format_pnl (day - self->last_day_pnl, &css);
      gtk_label_set_text (GTK_LABEL (self->day_change_label), change_text);
      set_class (self->day_change_label, css);
    }
  self->last_day_pnl = day;
  self->have_last = TRUE;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  EaMarginPanel *self = EA_MARGIN_PANEL (widget);

  if (self->dirty)
    {
      self->dirty = FALSE;
      update (self);
    }
  return G_SOURCE_CONTINUE;
}

static void
mark_dirty (EaMarginPanel *self)
{
  self->dirty = TRUE;
}

static void
accounts_changed_cb (GListModel    *model,
                     guint          position,
                     guint          removed,
                     guint          added,
                     EaMarginPanel *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(EaAccount) a = g_list_model_get_item (model, i);
      g_signal_connect_object (a, "notify", G_CALLBACK (mark_dirty), self, G_CONNECT_SWAPPED);
    }
  update (self);
}

static void
quotes_changed_cb (GListModel    *model,
                   guint          position,
                   guint          removed,
                   guint          added,
                   EaMarginPanel *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(EaQuote) q = g_list_model_get_item (model, i);
      g_signal_connect_object (q, "notify::time", G_CALLBACK (mark_dirty), self, G_CONNECT_SWAPPED);
    }
}

static void
ea_margin_panel_dispose (GObject *object)
{
  EaMarginPanel *self = EA_MARGIN_PANEL (object);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_data (ea_trading_store_get_accounts (self->store), self);
      g_signal_handlers_disconnect_by_data (ea_trading_store_get_quotes (self->store), self);
    }
  g_clear_object (&self->store);
  g_clear_pointer (&self->account, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), EA_TYPE_MARGIN_PANEL);

  G_OBJECT_CLASS (ea_margin_panel_parent_class)->dispose (object);
}

static void
ea_margin_panel_class_init (EaMarginPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ea_margin_panel_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/ea-margin-panel.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, EaMarginPanel, name)
  BIND (status_label);
  BIND (percent_label);
  BIND (low_margin_label);
  BIND (level_bar);
  BIND (available_label);
  BIND (used_label);
  BIND (day_pnl_label);
  BIND (day_change_label);
#undef BIND
}

static void
ea_margin_panel_init (EaMarginPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The bar's own offsets follow the margin thresholds. */
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (self->level_bar), GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (self->level_bar), GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (self->level_bar), GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (self->level_bar), "margin-danger", 0.20);
  gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (self->level_bar), "margin-warning", 0.50);
  gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (self->level_bar), "margin-safe", 1.0);

  self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
  update (self);
}

GtkWidget *
ea_margin_panel_new (void)
{
  return g_object_new (EA_TYPE_MARGIN_PANEL, NULL);
}

void
ea_margin_panel_set_store (EaMarginPanel  *self,
                           EaTradingStore *store)
{
  GListModel *accounts;

  g_return_if_fail (EA_IS_MARGIN_PANEL (self));
  g_return_if_fail (EA_IS_TRADING_STORE (store));

  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  accounts = ea_trading_store_get_quotes (store);
  g_signal_connect (accounts, "items-changed", G_CALLBACK (quotes_changed_cb), self);
  quotes_changed_cb (accounts, 0, 0, g_list_model_get_n_items (accounts), self);
  accounts = ea_trading_store_get_accounts (store);
  g_signal_connect (accounts, "items-changed", G_CALLBACK (accounts_changed_cb), self);
  accounts_changed_cb (accounts, 0, 0, g_list_model_get_n_items (accounts), self);
}

void
ea_margin_panel_set_account (EaMarginPanel *self,
                             const char    *account)
{
  g_return_if_fail (EA_IS_MARGIN_PANEL (self));

  g_free (self->account);
  self->account = g_strdup (account);
  self->have_last = FALSE;
  gtk_label_set_text (GTK_LABEL (self->day_change_label), "");
  update (self);
}

EaMarginStatus
ea_margin_panel_get_status (EaMarginPanel *self)
{
  g_return_val_if_fail (EA_IS_MARGIN_PANEL (self), EA_MARGIN_DANGER);

  return self->status;
}

const char *
ea_margin_panel_get_day_pnl_text (EaMarginPanel *self)
{
  g_return_val_if_fail (EA_IS_MARGIN_PANEL (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->day_pnl_label));
}
