/* ea-account-card.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One account at a glance: position, P&L, balance, margin, the latest
 * signal, its risk level as the border colour and its Enabled switch.
 */
#define G_LOG_DOMAIN "ea-account-card"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-account-card.h"
#include "ea-chart-feed.h"
#include "ea-order-state.h"
#include "ea-columns.h"
#include "ea-money.h"

struct _EaAccountCard
{
  GtkBox          parent_instance;

  EaAccount      *account;
  EaTradingStore *store;
  EaDesk         *desk;
  GtkWindow      *chart_window;   /* weak */
  EaRiskLevel     level;
  gboolean        in_update;
  gboolean        dirty;
  guint           tick_id;

  GtkWidget      *name_label;
  GtkWidget      *profile_label;
  GtkWidget      *instruments_label;
  GtkWidget      *side_badge;
  GtkWidget      *enabled_switch;
  GtkWidget      *position_label;
  GtkWidget      *open_label;
  GtkWidget      *day_label;
  GtkWidget      *balance_label;
  GtkWidget      *margin_label;
  GtkWidget      *signal_label;
  GtkWidget      *risk_label;
  GtkWidget      *kelly_button;
  GtkWidget      *chart_button;
  GtkWidget      *kelly_label;
};

G_DEFINE_FINAL_TYPE (EaAccountCard, ea_account_card, GTK_TYPE_BOX)

static void ea_account_card_open_chart (EaAccountCard *self);

enum { SIGNAL_ENABLED_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_pnl (GtkWidget *label,
         EaMicros   amount)
{
  const char *css = NULL;
  g_autofree char *text = ea_format_pnl (amount, &css);

  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_remove_css_class (label, "profit");
  gtk_widget_remove_css_class (label, "loss");
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
}

static void
add_instrument (GPtrArray  *list,
                const char *symbol)
{
  if (symbol != NULL && *symbol != '\0' &&
      !g_ptr_array_find_with_equal_func (list, symbol, g_str_equal, NULL))
    g_ptr_array_add (list, (gpointer) symbol);
}

/* The account's instruments: held, then worked, then traded. */
static void
update_instruments (EaAccountCard *self)
{
  const char *name = ea_account_get_name (self->account);
  GListModel *model;
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *text = NULL;

  model = ea_trading_store_get_positions (self->store);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      EaPosition *p = g_list_model_get_item (model, i);

      g_ptr_array_add (keep, p);
      if (ea_position_get_qty (p) != 0 && g_strcmp0 (ea_position_get_account (p), name) == 0)
        add_instrument (list, ea_position_get_symbol (p));
    }
  model = ea_trading_store_get_orders (self->store);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      EaOrder *o = g_list_model_get_item (model, i);

      g_ptr_array_add (keep, o);
      if (!ea_order_state_is_terminal (ea_order_get_state (o)) &&
          g_strcmp0 (ea_order_get_account (o), name) == 0)
        add_instrument (list, ea_order_get_symbol (o));
    }
  model = ea_trading_store_get_fills (self->store);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      EaFill *f = g_list_model_get_item (model, i);

      g_ptr_array_add (keep, f);
      if (g_strcmp0 (ea_fill_get_account (f), name) == 0)
        add_instrument (list, ea_fill_get_symbol (f));
    }

  if (list->len == 0)
    text = g_strdup (_("No instruments yet"));
  else
    {
      g_ptr_array_add (list, NULL);
      text = g_strjoinv (" · ", (char **) list->pdata);
    }
  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (self->instruments_label)), text) != 0)
    gtk_label_set_text (GTK_LABEL (self->instruments_label), text);
}

static void
update (EaAccountCard *self)
{
  const char *name = ea_account_get_name (self->account);
  GListModel *positions = ea_trading_store_get_positions (self->store);
  GListModel *signals_ = ea_trading_store_get_signals (self->store);
  GString *pos_text = g_string_new (NULL);
  EaMicros open = 0;
  gint64 net = 0;
  guint n_open = 0;
  g_autofree char *balance = ea_money_format (ea_account_get_balance (self->account));
  g_autofree char *margin = ea_money_format (ea_account_get_margin_used (self->account));
  g_autofree char *a11y = NULL;
  EaSignal *latest = NULL;

  gtk_label_set_text (GTK_LABEL (self->name_label), name);
  gtk_label_set_text (GTK_LABEL (self->profile_label), ea_account_get_profile (self->account));
  update_instruments (self);
  {
    EaRiskProfile profile;
    g_autofree char *source = NULL;

    /* The firm profile the risk check applies, and when its rules were
     * read. */
    if (self->desk != NULL && ea_desk_get_account_profile (self->desk, name, &profile))
      source = g_strdup_printf (_("%s · %s: rules as read on %s. Verify with your firm."),
                                profile.firm, profile.product, profile.source_date);
    gtk_widget_set_tooltip_text (self->profile_label, source);
  }

  for (guint i = 0; i < g_list_model_get_n_items (positions); i++)
    {
      g_autoptr(EaPosition) p = g_list_model_get_item (positions, i);
      gint64 qty = ea_position_get_qty (p);
      g_autofree char *avg = NULL;

      if (qty == 0 || g_strcmp0 (ea_position_get_account (p), name) != 0)
        continue;

      avg = ea_format_avg_price (ea_position_get_symbol (p), ea_position_get_avg_price (p));
      g_string_append_printf (pos_text, "%s%+" G_GINT64_FORMAT " %s @ %s",
                              n_open > 0 ? "\n" : "", qty, ea_position_get_symbol (p), avg);
      open += ea_mark_position (self->store, p);
      net += qty;
      n_open++;
    }

  gtk_label_set_text (GTK_LABEL (self->position_label), n_open > 0 ? pos_text->str : _("Flat"));
  if (self->desk != NULL)
    {
      g_autofree char *symbol = ea_account_card_get_chart_symbol (self);

      gtk_widget_set_sensitive (self->chart_button, symbol != NULL);
    }
  g_string_free (pos_text, TRUE);

  gtk_widget_remove_css_class (self->side_badge, "long");
  gtk_widget_remove_css_class (self->side_badge, "short");
  gtk_widget_remove_css_class (self->side_badge, "flat");
  if (n_open == 0)
    {
      gtk_label_set_text (GTK_LABEL (self->side_badge), _("FLAT"));
      gtk_widget_add_css_class (self->side_badge, "flat");
    }
  else if (net >= 0)
    {
      gtk_label_set_text (GTK_LABEL (self->side_badge), _("LONG"));
      gtk_widget_add_css_class (self->side_badge, "long");
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (self->side_badge), _("SHORT"));
      gtk_widget_add_css_class (self->side_badge, "short");
    }

  set_pnl (self->open_label, open);
  set_pnl (self->day_label, ea_account_get_realized_pnl (self->account) + open);
  gtk_label_set_text (GTK_LABEL (self->balance_label), balance);
  gtk_label_set_text (GTK_LABEL (self->margin_label), margin);

  for (guint i = g_list_model_get_n_items (signals_); i > 0 && latest == NULL; i--)
    {
      EaSignal *s = g_list_model_get_item (signals_, i - 1);
      if (ea_signal_get_active (s))
        latest = s;
      else
        g_object_unref (s);
    }
  {
    g_autoptr(GString) sig = g_string_new (NULL);
    g_autofree char *erm_symbol = self->desk != NULL ? ea_account_card_get_chart_symbol (self) : NULL;

    if (latest != NULL)
      {
        EaQuote *quote = ea_trading_store_lookup_quote (self->store, ea_signal_get_symbol (latest));

        g_string_append_printf (sig, "%s %s · %u", ea_signal_get_symbol (latest),
                                ea_signal_get_direction (latest) > 0 ? "▲" : "▼",
                                ea_signal_get_power_score (latest));
        /* The signal's ERM value (DOMAIN §4): ATRs against it now. */
        if (self->desk != NULL && quote != NULL && ea_quote_get_last (quote) > 0)
          {
            double atr = ea_desk_get_erm_atr (self->desk, ea_signal_get_symbol (latest), NULL);

            if (atr > 0)
              g_string_append_printf (sig, _(" · %+.2f ATR"),
                                      ea_signal_get_direction (latest) *
                                      (double) (ea_signal_get_entry_price (latest) - ea_quote_get_last (quote)) / atr);
          }
        g_object_unref (latest);
      }
    else
      g_string_append (sig, "—");

    /* The ERM budget of the card's instrument: reversals left today. */
    if (erm_symbol != NULL)
      {
        guint remaining = 0;
        guint done = ea_desk_get_erm_reversals (self->desk, erm_symbol, &remaining);
        g_autofree char *tip = g_strdup_printf (_("ERM on %s: %u reversals today, %u left"),
                                                erm_symbol, done, remaining);

        g_string_append_printf (sig, _(" · ERM %u/%u"), remaining, done + remaining);
        gtk_widget_set_tooltip_text (self->signal_label, tip);
      }
    else
      gtk_widget_set_tooltip_text (self->signal_label, NULL);
    if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (self->signal_label)), sig->str) != 0)
      gtk_label_set_text (GTK_LABEL (self->signal_label), sig->str);
  }

  /* Translators: the switch's name: "Trading enabled on DEMO-1". */
  a11y = g_strdup_printf (_("Trading enabled on %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->enabled_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  g_free (a11y);
  a11y = g_strdup_printf (_("Kelly analysis for %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->kelly_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
}

static void
position_added_cb (GListModel    *model,
                   guint          position,
                   guint          removed,
                   guint          added,
                   EaAccountCard *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(EaPosition) p = g_list_model_get_item (model, i);
      if (g_strcmp0 (ea_position_get_account (p), ea_account_get_name (self->account)) == 0)
        g_signal_connect_object (p, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
    }
  update (self);
}

static void
signal_added_cb (GListModel    *model,
                 guint          position,
                 guint          removed,
                 guint          added,
                 EaAccountCard *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(EaSignal) s = g_list_model_get_item (model, i);
      g_signal_connect_object (s, "notify::active", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
    }
  update (self);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  EaAccountCard *self = EA_ACCOUNT_CARD (widget);

  if (self->dirty)
    {
      self->dirty = FALSE;
      update (self);
    }
  return G_SOURCE_CONTINUE;
}

static void
quote_notify_cb (EaAccountCard *self)
{
  self->dirty = TRUE;
}

static void
quotes_changed_cb (GListModel    *model,
                   guint          position,
                   guint          removed,
                   guint          added,
                   EaAccountCard *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(EaQuote) q = g_list_model_get_item (model, i);
      g_signal_connect_object (q, "notify::time", G_CALLBACK (quote_notify_cb), self,
                               G_CONNECT_SWAPPED);
    }
}

static void
switch_active_cb (EaAccountCard *self)
{
  gboolean active = gtk_switch_get_active (GTK_SWITCH (self->enabled_switch));

  if (active)
    gtk_widget_remove_css_class (GTK_WIDGET (self), "disabled-account");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self), "disabled-account");

  if (!self->in_update)
    g_signal_emit (self, signals[SIGNAL_ENABLED_CHANGED], 0, active);
}

static void desk_risk_changed_cb (EaDesk *desk, const char *account, EaAccountCard *self);

static void
ea_account_card_dispose (GObject *object)
{
  EaAccountCard *self = EA_ACCOUNT_CARD (object);

  if (self->desk != NULL)
    g_signal_handlers_disconnect_by_func (self->desk, desk_risk_changed_cb, self);
  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_data (ea_trading_store_get_positions (self->store), self);
      g_signal_handlers_disconnect_by_data (ea_trading_store_get_signals (self->store), self);
      g_signal_handlers_disconnect_by_data (ea_trading_store_get_quotes (self->store), self);
      g_signal_handlers_disconnect_by_data (ea_trading_store_get_orders (self->store), self);
      g_signal_handlers_disconnect_by_data (ea_trading_store_get_fills (self->store), self);
    }
  if (self->chart_window != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->chart_window), (gpointer *) &self->chart_window);
      gtk_window_destroy (self->chart_window);
      self->chart_window = NULL;
    }
  g_clear_object (&self->desk);
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), EA_TYPE_ACCOUNT_CARD);
  g_clear_object (&self->account);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ea_account_card_parent_class)->dispose (object);
}

/* Chart ----------------------------------------------------------------- */

char *
ea_account_card_get_chart_symbol (EaAccountCard *self)
{
  const char *name;
  GListModel *model;

  g_return_val_if_fail (EA_IS_ACCOUNT_CARD (self), NULL);

  name = ea_account_get_name (self->account);
  model = ea_trading_store_get_positions (self->store);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(EaPosition) p = g_list_model_get_item (model, i);

      if (ea_position_get_qty (p) != 0 && g_strcmp0 (ea_position_get_account (p), name) == 0)
        return g_strdup (ea_position_get_symbol (p));
    }

  model = ea_trading_store_get_signals (self->store);
  for (guint i = g_list_model_get_n_items (model); i > 0; i--)
    {
      g_autoptr(EaSignal) s = g_list_model_get_item (model, i - 1);

      if (ea_signal_get_active (s) && ea_signal_get_symbol (s) != NULL)
        return g_strdup (ea_signal_get_symbol (s));
    }

  model = ea_trading_store_get_quotes (self->store);
  if (g_list_model_get_n_items (model) > 0)
    {
      g_autoptr(EaQuote) q = g_list_model_get_item (model, g_list_model_get_n_items (model) - 1);

      return g_strdup (ea_quote_get_symbol (q));
    }
  return NULL;
}

static void
ea_account_card_open_chart (EaAccountCard *self)
{
  g_autofree char *symbol = ea_account_card_get_chart_symbol (self);
  g_autofree char *title = NULL;
  const char *name = ea_account_get_name (self->account);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *window, *chart;
  EaChartFeed *feed;

  if (self->desk == NULL || symbol == NULL)
    return;

  /* One chart per card: shown again while it is on the same instrument. */
  if (self->chart_window != NULL)
    {
      if (g_strcmp0 (g_object_get_data (G_OBJECT (self->chart_window), "ea-symbol"), symbol) == 0)
        {
          gtk_window_present (self->chart_window);
          return;
        }
      gtk_window_destroy (self->chart_window);
    }

  window = gtk_window_new ();
  /* Translators: a chart window's title, "DEMO-1 · ES". */
  title = g_strdup_printf (_("%s · %s"), name, symbol);
  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 560);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);

  chart = ea_chart_new ();
  gtk_window_set_child (GTK_WINDOW (window), chart);
  feed = ea_chart_feed_new (self->desk, EA_CHART (chart), name, symbol);
  g_object_set_data_full (G_OBJECT (window), "ea-feed", feed, g_object_unref);
  g_object_set_data_full (G_OBJECT (window), "ea-symbol", g_steal_pointer (&symbol), g_free);

  self->chart_window = GTK_WINDOW (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->chart_window);
  gtk_window_present (GTK_WINDOW (window));
}

static void
desk_risk_changed_cb (EaDesk        *desk,
                      const char    *account,
                      EaAccountCard *self)
{
  if (self->account != NULL && g_strcmp0 (account, ea_account_get_name (self->account)) == 0)
    update (self);
}

void
ea_account_card_set_desk (EaAccountCard *self,
                          EaDesk        *desk)
{
  g_return_if_fail (EA_IS_ACCOUNT_CARD (self));
  g_return_if_fail (desk == NULL || EA_IS_DESK (desk));

  if (self->desk == desk)
    return;
  if (self->desk != NULL)
    g_signal_handlers_disconnect_by_func (self->desk, desk_risk_changed_cb, self);
  g_set_object (&self->desk, desk);
  /* The profile behind the card can be set after the account shows up
   * (a new account, a profile chosen in the settings). */
  if (desk != NULL)
    g_signal_connect_object (desk, "risk-changed", G_CALLBACK (desk_risk_changed_cb), self, 0);
  update (self);
}

GtkWindow *
ea_account_card_get_chart_window (EaAccountCard *self)
{
  g_return_val_if_fail (EA_IS_ACCOUNT_CARD (self), NULL);

  return self->chart_window;
}

static void
ea_account_card_class_init (EaAccountCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ea_account_card_dispose;

  signals[SIGNAL_ENABLED_CHANGED] =
    g_signal_new ("enabled-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/ea-account-card.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, EaAccountCard, name)
  BIND (name_label);
  BIND (profile_label);
  BIND (instruments_label);
  BIND (side_badge);
  BIND (enabled_switch);
  BIND (position_label);
  BIND (open_label);
  BIND (day_label);
  BIND (balance_label);
  BIND (margin_label);
  BIND (signal_label);
  BIND (risk_label);
  BIND (kelly_button);
  BIND (chart_button);
  BIND (kelly_label);
#undef BIND
}

static void
ea_account_card_init (EaAccountCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->chart_button, "clicked", G_CALLBACK (ea_account_card_open_chart), self);
  g_signal_connect_swapped (self->enabled_switch, "notify::active",
                            G_CALLBACK (switch_active_cb), self);
  gtk_label_set_text (GTK_LABEL (self->kelly_label),
                      _("Kelly analysis appears after the first trades."));
}

GtkWidget *
ea_account_card_new (EaAccount      *account,
                     EaTradingStore *store)
{
  EaAccountCard *self;
  GListModel *positions;
  GListModel *signals_;

  g_return_val_if_fail (EA_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (EA_IS_TRADING_STORE (store), NULL);

  self = g_object_new (EA_TYPE_ACCOUNT_CARD, NULL);
  self->account = g_object_ref (account);
  self->store = g_object_ref (store);

  g_signal_connect_object (account, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  positions = ea_trading_store_get_positions (store);
  g_signal_connect (positions, "items-changed", G_CALLBACK (position_added_cb), self);
  position_added_cb (positions, 0, 0, g_list_model_get_n_items (positions), self);
  signals_ = ea_trading_store_get_signals (store);
  g_signal_connect (signals_, "items-changed", G_CALLBACK (signal_added_cb), self);
  signal_added_cb (signals_, 0, 0, g_list_model_get_n_items (signals_), self);
  signals_ = ea_trading_store_get_quotes (store);
  g_signal_connect (signals_, "items-changed", G_CALLBACK (quotes_changed_cb), self);
  quotes_changed_cb (signals_, 0, 0, g_list_model_get_n_items (signals_), self);
  /* New or changed orders and fills: refreshed with the next frame. */
  g_signal_connect_swapped (ea_trading_store_get_orders (store), "items-changed",
                            G_CALLBACK (quote_notify_cb), self);
  g_signal_connect_swapped (ea_trading_store_get_fills (store), "items-changed",
                            G_CALLBACK (quote_notify_cb), self);
  self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);

  ea_account_card_set_risk_level (self, EA_RISK_LEVEL_SAFE, NULL);
  return GTK_WIDGET (self);
}

EaAccount *
ea_account_card_get_account (EaAccountCard *self)
{
  g_return_val_if_fail (EA_IS_ACCOUNT_CARD (self), NULL);

  return self->account;
}

void
ea_account_card_set_risk_level (EaAccountCard *self,
                                EaRiskLevel    level,
                                const char    *text)
{
  static const char * const classes[] = { "safe", "warning", "danger", "breach" };

  g_return_if_fail (EA_IS_ACCOUNT_CARD (self));

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), classes[i]);
  if ((guint) level < G_N_ELEMENTS (classes))
    gtk_widget_add_css_class (GTK_WIDGET (self), classes[level]);
  self->level = level;

  gtk_label_set_text (GTK_LABEL (self->risk_label),
                      text ? text : ea_risk_level_to_string (level));
}

void
ea_account_card_set_enabled (EaAccountCard *self,
                             gboolean       enabled)
{
  g_return_if_fail (EA_IS_ACCOUNT_CARD (self));

  self->in_update = TRUE;
  gtk_switch_set_active (GTK_SWITCH (self->enabled_switch), enabled);
  self->in_update = FALSE;
}

void
ea_account_card_set_kelly_text (EaAccountCard *self,
                                const char    *text)
{
  g_return_if_fail (EA_IS_ACCOUNT_CARD (self));

  gtk_label_set_text (GTK_LABEL (self->kelly_label), text);
}

/* The risk line: "SAFE · ACTIVE", "SAFE · Locked by broker" … */
const char *
ea_account_card_get_risk_text (EaAccountCard *self)
{
  g_return_val_if_fail (EA_IS_ACCOUNT_CARD (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->risk_label));
}

const char *
ea_account_card_get_instruments_text (EaAccountCard *self)
{
  g_return_val_if_fail (EA_IS_ACCOUNT_CARD (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->instruments_label));
}

const char *
ea_account_card_get_side_text (EaAccountCard *self)
{
  g_return_val_if_fail (EA_IS_ACCOUNT_CARD (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->side_badge));
}

/* The profile's tooltip: its firm, product and source date (NULL: no
 * risk profile yet). */
const char *
ea_account_card_get_profile_source (EaAccountCard *self)
{
  g_return_val_if_fail (EA_IS_ACCOUNT_CARD (self), NULL);

  return gtk_widget_get_tooltip_text (self->profile_label);
}

const char *
ea_account_card_get_position_text (EaAccountCard *self)
{
  g_return_val_if_fail (EA_IS_ACCOUNT_CARD (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->position_label));
}

const char *
ea_account_card_get_open_text (EaAccountCard *self)
{
  g_return_val_if_fail (EA_IS_ACCOUNT_CARD (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->open_label));
}

/* "ES ▲ · 80 · ERM 2/3": the latest active signal and the ERM budget. */
const char *
ea_account_card_get_signal_text (EaAccountCard *self)
{
  g_return_val_if_fail (EA_IS_ACCOUNT_CARD (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->signal_label));
}
