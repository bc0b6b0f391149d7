/* ea-order-ticket.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The order ticket: instrument, side, quantity with the Kelly size beside
 * it, type, prices in the instrument's tick format, bracket in ticks or
 * from the ATR, time in force, and the risk engine's answer before Send.
 * Quotes are read once per frame, only when they changed.
 */
#define G_LOG_DOMAIN "ea-order-ticket"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ea-columns.h"
#include "ea-erm.h"
#include "ea-kelly.h"
#include "ea-money.h"
#include "ea-order-ticket.h"
#include "ea-session.h"

struct _EaOrderTicket
{
  GtkBox                  parent_instance;

  EaTradingStore         *store;
  EaQuote                *quote;
  const EaInstrumentSpec *spec;
  char                   *account;
  char                   *symbol;
  EaOrderCheckFunc        check_func;
  gpointer                check_data;
  EaDeskClockFunc         clock_func;
  gpointer                clock_data;
  gint64                  market_at;     /* monotonic µs of the last status */
  EaQuoteSourceFunc       source_func;
  gpointer                source_data;
  gboolean                quote_dirty;
  gboolean                check_ok;
  gint64                  kelly_size;
  double                  power_score;
  EaKellyPanel           *kelly_panel;   /* weak */
  EaTicketAtrFunc         atr_func;
  gpointer                atr_data;
  guint                   tick_id;
  gboolean                in_update;

  GtkWidget              *account_label;
  GtkWidget              *instrument_dropdown;
  GtkWidget              *symbol_entry;
  GtkWidget              *bid_label;
  GtkWidget              *ask_label;
  GtkWidget              *last_label;
  GtkWidget              *buy_button;
  GtkWidget              *sell_button;
  GtkWidget              *qty_spin;
  GtkWidget              *use_kelly_button;
  GtkWidget              *kelly_label;
  GtkWidget              *type_dropdown;
  GtkWidget              *limit_caption;
  GtkWidget              *limit_entry;
  GtkWidget              *stop_caption;
  GtkWidget              *stop_entry;
  GtkWidget              *tif_dropdown;
  GtkWidget              *bracket_check;
  GtkWidget              *atr_button;
  GtkWidget              *sl_spin;
  GtkWidget              *tp_spin;
  GtkWidget              *check_label;
  GtkWidget              *send_button;
  GtkWidget              *confirm_live_check;
  GtkWidget              *market_label;
  guint                   market_timer;
};

G_DEFINE_FINAL_TYPE (EaOrderTicket, ea_order_ticket, GTK_TYPE_BOX)

enum { SIGNAL_SUBMIT, SIGNAL_TARGET_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static EaSide
current_side (EaOrderTicket *self)
{
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->sell_button))
         ? EA_SIDE_SELL : EA_SIDE_BUY;
}

static EaOrderType
current_type (EaOrderTicket *self)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->type_dropdown));

  return i <= EA_ORDER_TYPE_STOP_LIMIT ? (EaOrderType) i : EA_ORDER_TYPE_MARKET;
}

static void
set_css_state (GtkWidget  *widget,
               const char *state)
{
  static const char * const states[] = { "allowed", "denied", "pending", NULL };

  for (guint i = 0; states[i] != NULL; i++)
    gtk_widget_remove_css_class (widget, states[i]);
  if (state != NULL)
    gtk_widget_add_css_class (widget, state);
}

static gboolean
parse_price (EaOrderTicket  *self,
             GtkWidget      *entry,
             EaTicks        *out,
             GError        **error)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  if (self->spec == NULL)
    {
      g_set_error (error, EA_INSTRUMENT_ERROR, EA_INSTRUMENT_ERROR_UNKNOWN_ROOT,
                   _("Choose an instrument"));
      return FALSE;
    }

  return ea_instrument_parse_price (self->spec, text, out, error);
}

gboolean
ea_order_ticket_build_order (EaOrderTicket  *self,
                             EaDeskOrder    *order,
                             GError        **error)
{
  EaOrderType type;

  g_return_val_if_fail (EA_IS_ORDER_TICKET (self), FALSE);
  g_return_val_if_fail (order != NULL, FALSE);

  memset (order, 0, sizeof *order);
  type = current_type (self);
  order->account = self->account;
  order->symbol = self->symbol;
  order->side = current_side (self);
  order->type = type;
  order->tif = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->tif_dropdown)) == 1
               ? EA_TIME_IN_FORCE_GTC : EA_TIME_IN_FORCE_DAY;
  order->qty = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->qty_spin));

  if (self->account == NULL)
    {
      g_set_error (error, EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_ACCOUNT,
                   _("No account to trade: connect a broker or choose an account"));
      return FALSE;
    }
  if (self->spec == NULL || self->symbol == NULL)
    {
      g_set_error (error, EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_SYMBOL, _("Choose an instrument"));
      return FALSE;
    }

  if ((type == EA_ORDER_TYPE_LIMIT || type == EA_ORDER_TYPE_STOP_LIMIT) &&
      !parse_price (self, self->limit_entry, &order->limit_price, error))
    return FALSE;
  if ((type == EA_ORDER_TYPE_STOP || type == EA_ORDER_TYPE_STOP_LIMIT) &&
      !parse_price (self, self->stop_entry, &order->stop_price, error))
    return FALSE;

  if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->bracket_check)))
    {
      EaTicks reference;
      EaTicks sl = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->sl_spin));
      EaTicks tp = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->tp_spin));

      switch (type)
        {
        case EA_ORDER_TYPE_LIMIT:
        case EA_ORDER_TYPE_STOP_LIMIT:
          reference = order->limit_price;
          break;
        case EA_ORDER_TYPE_STOP:
          reference = order->stop_price;
          break;
        case EA_ORDER_TYPE_MARKET:
        default:
          if (self->quote == NULL)
            {
              g_set_error (error, EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_SYMBOL,
                           _("No quote yet for %s: the bracket needs a price"), self->symbol);
              return FALSE;
            }
          reference = order->side == EA_SIDE_BUY ? ea_quote_get_ask (self->quote)
                                                 : ea_quote_get_bid (self->quote);
          break;
        }

      order->has_stop_loss = TRUE;
      order->stop_loss = reference - (EaTicks) order->side * sl;
      order->has_take_profit = TRUE;
      order->take_profit = reference + (EaTicks) order->side * tp;
    }

  return TRUE;
}

/* The cap that bound the Kelly size, in a trader's words. */
static const char *
cap_reason_text (EaRiskReason reason)
{
  switch ((int) reason)
    {
    case EA_RISK_DAILY_LOSS:        return _("daily loss limit");
    case EA_RISK_TRAILING_FLOOR:    return _("trailing floor");
    case EA_RISK_MAX_CONTRACTS:     return _("contract limit");
    case EA_RISK_SCALING:           return _("scaling plan");
    case EA_RISK_FAT_FINGER:        return _("fat-finger limit");
    case EA_RISK_MAX_OPEN_LOSS:     return _("max open loss");
    case EA_RISK_MARGIN:            return _("available margin");
    default:                        return _("risk limits");
    }
}

static void
update_kelly (EaOrderTicket        *self,
              const EaRiskDecision *decision)
{
  EaKellyParams params;
  EaKellyInputs inputs = { 0 };
  EaStatsSummary summary = { 0 };
  EaKellyResult result;
  EaKellySizing sizing;
  EaSizeCap cap = { "risk", G_MAXINT64 };
  EaAccount *account = NULL;
  EaTicks stop_ticks = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->sl_spin));
  g_autofree char *text = NULL;

  self->kelly_size = 0;

  if (self->store != NULL && self->account != NULL)
    account = ea_trading_store_lookup_account (self->store, self->account);

  if (self->spec == NULL || account == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->kelly_label), _("Kelly: —"));
      gtk_widget_set_sensitive (self->use_kelly_button, FALSE);
      return;
    }

  ea_kelly_params_init (&params);
  if (self->kelly_panel != NULL)
    {
      ea_kelly_panel_get_params (self->kelly_panel, &params);
      ea_kelly_panel_evaluate (self->kelly_panel, self->account, self->symbol, -1,
                               &summary, NULL, NULL);
      ea_kelly_inputs_from_stats (&summary, &inputs);
    }
  if (decision != NULL)
    cap.max_contracts = decision->limit_qty;

  if (!ea_kelly_compute (&params, &inputs, self->spec->tick_value, self->power_score,
                         &result, NULL) ||
      !ea_kelly_contracts (ea_account_get_equity (account), result.fraction, stop_ticks,
                           self->spec->tick_value, 0, &cap, 1, &sizing, NULL))
    {
      gtk_label_set_text (GTK_LABEL (self->kelly_label), _("Kelly: —"));
      gtk_widget_set_sensitive (self->use_kelly_button, FALSE);
      return;
    }

  self->kelly_size = sizing.contracts;
  if (sizing.bound_index >= 0 && decision != NULL)
    /* Translators: "Kelly: 3 — capped by trailing floor". */
    text = g_strdup_printf (_("Kelly: %" G_GINT64_FORMAT " — capped by %s (%.1f %% of equity)"),
                            sizing.contracts, cap_reason_text (decision->qty_bound),
                            result.fraction * 100.0);
  else
    text = g_strdup_printf (_("Kelly: %" G_GINT64_FORMAT " (%.1f %% of equity%s)"),
                            sizing.contracts, result.fraction * 100.0,
                            result.fallback ? _(", small sample") : "");
  gtk_label_set_text (GTK_LABEL (self->kelly_label), text);
  gtk_widget_set_sensitive (self->use_kelly_button, sizing.contracts > 0);
}

static void
update_send_label (EaOrderTicket *self)
{
  EaSide side = current_side (self);
  gint64 qty = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->qty_spin));
  const char *type_name = gtk_string_object_get_string (
    GTK_STRING_OBJECT (gtk_drop_down_get_selected_item (GTK_DROP_DOWN (self->type_dropdown))));
  g_autofree char *label = NULL;

  /* Translators: the Send button: "Buy 2 ES Market". */
  label = g_strdup_printf ("%s %" G_GINT64_FORMAT " %s %s",
                           side == EA_SIDE_BUY ? _("Buy") : _("Sell"),
                           qty, self->symbol ? self->symbol : "", type_name);
  gtk_button_set_label (GTK_BUTTON (self->send_button), label);
  gtk_widget_remove_css_class (self->send_button, side == EA_SIDE_BUY ? "sell" : "buy");
  gtk_widget_add_css_class (self->send_button, side == EA_SIDE_BUY ? "buy" : "sell");
}

gboolean
ea_order_ticket_recheck (EaOrderTicket *self)
{
  EaDeskOrder order;
  EaRiskDecision decision = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (EA_IS_ORDER_TICKET (self), FALSE);

  update_send_label (self);
  self->check_ok = FALSE;

  if (!ea_order_ticket_build_order (self, &order, &error))
    {
      gtk_label_set_text (GTK_LABEL (self->check_label), error->message);
      set_css_state (self->check_label, "pending");
      update_kelly (self, NULL);
      gtk_widget_set_sensitive (self->send_button, FALSE);
      return FALSE;
    }

  if (self->check_func == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->check_label), _("Risk check unavailable"));
      set_css_state (self->check_label, "pending");
      update_kelly (self, NULL);
      gtk_widget_set_sensitive (self->send_button, FALSE);
      return FALSE;
    }

  self->check_ok = self->check_func (&order, &decision, self->check_data);
  if (self->check_ok)
    {
      g_autofree char *worst = ea_money_format (decision.worst_loss);

      if (order.has_stop_loss)
        text = g_strdup_printf (_("✓ Allowed · stop fill loses %s · up to %" G_GINT64_FORMAT " would pass"),
                                worst, decision.allowed_qty);
      else
        text = g_strdup_printf (_("✓ Allowed · up to %" G_GINT64_FORMAT " would pass"),
                                decision.allowed_qty);
    }
  else
    text = ea_risk_decision_format (&decision);

  gtk_label_set_text (GTK_LABEL (self->check_label), text);
  set_css_state (self->check_label, self->check_ok ? "allowed" : "denied");
  gtk_widget_set_sensitive (self->send_button, self->check_ok);
  update_kelly (self, &decision);

  return self->check_ok;
}

/* Open or closed (CME Globex hours), and until when. */
static GDateTime *
ticket_now (EaOrderTicket *self)
{
  if (self->clock_func != NULL)
    return ea_time_us_to_date_time (self->clock_func (self->clock_data));
  return g_date_time_new_now_utc ();
}

static gboolean
update_market_status (gpointer user_data)
{
  EaOrderTicket *self = EA_ORDER_TICKET (user_data);
  g_autoptr(GDateTime) now = ticket_now (self);
  gboolean open = ea_session_is_open (now);
  g_autoptr(GDateTime) next = open ? ea_session_next_close (now) : ea_session_next_open (now);
  g_autoptr(GDateTime) local = next ? g_date_time_to_timezone (next, ea_session_zone_chicago ()) : NULL;
  g_autofree char *when = local ? g_date_time_format (local, "%a %H:%M CT") : g_strdup ("?");
  const char *source = self->source_func != NULL && self->symbol != NULL
                       ? self->source_func (self->symbol, self->source_data) : NULL;
  g_autofree char *status = open ? g_strdup_printf (_("Market open · closes %s"), when)
                                 : g_strdup_printf (_("Market closed · opens %s"), when);
  /* Translators: the market status, then the feed that quotes the ticket's instrument. */
  g_autofree char *text = source != NULL ? g_strdup_printf (_("%s · quotes from %s"), status, source)
                                         : g_strdup (status);

  gtk_label_set_text (GTK_LABEL (self->market_label), text);
  gtk_widget_remove_css_class (self->market_label, open ? "loss" : "profit");
  gtk_widget_add_css_class (self->market_label, open ? "profit" : "loss");
  return G_SOURCE_CONTINUE;
}

static void
update_quote_labels (EaOrderTicket *self)
{
  if (self->quote == NULL || self->spec == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->bid_label), "—");
      gtk_label_set_text (GTK_LABEL (self->ask_label), "—");
      gtk_label_set_text (GTK_LABEL (self->last_label), "—");
      return;
    }

  {
    g_autofree char *bid = ea_instrument_format_price (self->spec, ea_quote_get_bid (self->quote));
    g_autofree char *ask = ea_instrument_format_price (self->spec, ea_quote_get_ask (self->quote));
    gint64 last_ticks = ea_quote_get_last (self->quote);
    g_autofree char *last = last_ticks != 0
      ? ea_instrument_format_price (self->spec, last_ticks) : g_strdup ("—");

    gtk_label_set_text (GTK_LABEL (self->bid_label), bid);
    gtk_label_set_text (GTK_LABEL (self->ask_label), ask);
    gtk_label_set_text (GTK_LABEL (self->last_label), last);
  }
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  EaOrderTicket *self = EA_ORDER_TICKET (widget);

  if (self->quote_dirty)
    {
      gint64 now = g_get_monotonic_time ();

      self->quote_dirty = FALSE;
      update_quote_labels (self);
      /* A market order's risk follows the price. */
      ea_order_ticket_recheck (self);
      /* The market's clock may not be the wall clock (Demo). */
      if (now - self->market_at >= G_USEC_PER_SEC)
        {
          self->market_at = now;
          update_market_status (self);
        }
    }

  return G_SOURCE_CONTINUE;
}

static void
quote_notify_cb (EaOrderTicket *self)
{
  self->quote_dirty = TRUE;
}

static void
attach_quote (EaOrderTicket *self)
{
  EaQuote *quote = NULL;

  if (self->store != NULL && self->symbol != NULL)
    quote = ea_trading_store_lookup_quote (self->store, self->symbol);

  if (quote == self->quote)
    return;

  if (self->quote != NULL)
    g_signal_handlers_disconnect_by_data (self->quote, self);
  g_set_object (&self->quote, quote);
  if (quote != NULL)
    g_signal_connect_swapped (quote, "notify", G_CALLBACK (quote_notify_cb), self);
  self->quote_dirty = TRUE;
}

static void
quotes_changed_cb (EaOrderTicket *self)
{
  if (self->quote == NULL)
    attach_quote (self);
}

static void
account_notify_cb (EaOrderTicket *self)
{
  self->quote_dirty = TRUE;
}

static void
prefill_prices (EaOrderTicket *self)
{
  EaTicks mid;
  g_autofree char *text = NULL;

  if (self->quote == NULL || self->spec == NULL)
    return;

  mid = current_side (self) == EA_SIDE_BUY ? ea_quote_get_bid (self->quote)
                                           : ea_quote_get_ask (self->quote);
  text = ea_instrument_format_price (self->spec, mid);
  if (*gtk_editable_get_text (GTK_EDITABLE (self->limit_entry)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->limit_entry), text);
  if (*gtk_editable_get_text (GTK_EDITABLE (self->stop_entry)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->stop_entry), text);
}

static void
type_changed_cb (EaOrderTicket *self)
{
  EaOrderType type = current_type (self);
  gboolean limit = type == EA_ORDER_TYPE_LIMIT || type == EA_ORDER_TYPE_STOP_LIMIT;
  gboolean stop = type == EA_ORDER_TYPE_STOP || type == EA_ORDER_TYPE_STOP_LIMIT;

  gtk_widget_set_visible (self->limit_caption, limit);
  gtk_widget_set_visible (self->limit_entry, limit);
  gtk_widget_set_visible (self->stop_caption, stop);
  gtk_widget_set_visible (self->stop_entry, stop);
  if (limit || stop)
    prefill_prices (self);
  ea_order_ticket_recheck (self);
}

static void
field_changed_cb (EaOrderTicket *self)
{
  if (!self->in_update)
    ea_order_ticket_recheck (self);
}

static void
bracket_toggled_cb (EaOrderTicket *self)
{
  gboolean on = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->bracket_check));

  gtk_widget_set_sensitive (self->sl_spin, on);
  gtk_widget_set_sensitive (self->tp_spin, on);
  gtk_widget_set_sensitive (self->atr_button, on);
  ea_order_ticket_recheck (self);
}

static void
atr_clicked_cb (EaOrderTicket *self)
{
  EaTicks stop, target;
  double atr = 0;
  const char *source = NULL;

  if (self->spec == NULL)
    return;
  if (self->atr_func != NULL && self->symbol != NULL)
    atr = self->atr_func (self->symbol, &source, self->atr_data);
  if (!(atr > 0))
    {
      atr = ea_erm_default_atr_ticks (self->spec);
      source = _("the instrument's default ATR");
    }

  if (ea_kelly_stop_target (atr, &stop, &target))
    {
      g_autofree char *tip = g_strdup_printf (_("Stop 1.5 × ATR, target 2.0 × ATR (last: %.1f ticks, %s)"),
                                              atr, source ? source : "");

      gtk_widget_set_tooltip_text (self->atr_button, tip);
      self->in_update = TRUE;
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->sl_spin), (double) stop);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->tp_spin), (double) target);
      self->in_update = FALSE;
      ea_order_ticket_recheck (self);
    }
}

static void
use_kelly_clicked_cb (EaOrderTicket *self)
{
  if (self->kelly_size > 0)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->qty_spin), (double) self->kelly_size);
}

static void
instrument_selected_cb (EaOrderTicket *self)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (self->instrument_dropdown));
  const char *text;
  g_autofree char *root = NULL;
  const char *space;

  if (item == NULL || self->in_update)
    return;

  text = gtk_string_object_get_string (item);
  space = strchr (text, ' ');
  root = space ? g_strndup (text, (gsize) (space - text)) : g_strdup (text);
  ea_order_ticket_set_symbol (self, root);
}

static guint32
today (EaOrderTicket *self)
{
  g_autoptr(GDateTime) now = ticket_now (self);

  return ea_session_trading_day (now);
}

/* The entry names the exact contract: the front month for a root. */
static void
update_symbol_entry (EaOrderTicket *self)
{
  g_autofree char *text = NULL;
  EaContract front;

  if (self->symbol == NULL)
    return;
  if (self->spec != NULL && g_strcmp0 (self->symbol, self->spec->root) == 0 &&
      ea_contract_front (self->spec, today (self), &front))
    text = ea_contract_format (&front, EA_SYMBOLOGY_TRADOVATE);
  else
    text = g_strdup (self->symbol);

  gtk_widget_remove_css_class (self->symbol_entry, "error");
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->symbol_entry)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->symbol_entry), text);
}

static void
symbol_entry_activate_cb (EaOrderTicket *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->symbol_entry));
  g_autoptr(GError) error = NULL;
  g_autofree char *symbol = ea_contract_desk_symbol (text, today (self), &error);

  if (symbol == NULL || !ea_order_ticket_set_symbol (self, symbol))
    {
      g_autofree char *message = g_strdup_printf (_("Unknown symbol “%s”: %s"), text,
                                                  error != NULL ? error->message : _("not traded here"));

      gtk_widget_add_css_class (self->symbol_entry, "error");
      gtk_label_set_text (GTK_LABEL (self->check_label), message);
      set_css_state (self->check_label, "pending");
      gtk_widget_set_sensitive (self->send_button, FALSE);
      self->check_ok = FALSE;
      return;
    }
  update_symbol_entry (self);
}

void
ea_order_ticket_send (EaOrderTicket *self)
{
  EaDeskOrder order;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (EA_IS_ORDER_TICKET (self));

  /* The check runs again on the values sent. */
  if (!ea_order_ticket_recheck (self))
    return;
  if (!ea_order_ticket_build_order (self, &order, &error))
    return;

  g_signal_emit (self, signals[SIGNAL_SUBMIT], 0, &order);
}

static void
ea_order_ticket_dispose (GObject *object)
{
  EaOrderTicket *self = EA_ORDER_TICKET (object);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_clear_handle_id (&self->market_timer, g_source_remove);
  if (self->quote != NULL)
    g_signal_handlers_disconnect_by_data (self->quote, self);
  g_clear_object (&self->quote);
  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_data (ea_trading_store_get_quotes (self->store), self);
      g_signal_handlers_disconnect_by_data (ea_trading_store_get_accounts (self->store), self);
    }
  g_clear_object (&self->store);
  if (self->kelly_panel != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->kelly_panel, self);
      g_object_remove_weak_pointer (G_OBJECT (self->kelly_panel), (gpointer *) &self->kelly_panel);
      self->kelly_panel = NULL;
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), EA_TYPE_ORDER_TICKET);

  G_OBJECT_CLASS (ea_order_ticket_parent_class)->dispose (object);
}

static void
ea_order_ticket_finalize (GObject *object)
{
  EaOrderTicket *self = EA_ORDER_TICKET (object);

  g_free (self->account);
  g_free (self->symbol);

  G_OBJECT_CLASS (ea_order_ticket_parent_class)->finalize (object);
}

static void
ea_order_ticket_class_init (EaOrderTicketClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ea_order_ticket_dispose;
  object_class->finalize = ea_order_ticket_finalize;

  signals[SIGNAL_SUBMIT] =
    g_signal_new ("submit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  /* The account or the instrument changed (the chart follows it). */
  signals[SIGNAL_TARGET_CHANGED] =
    g_signal_new ("target-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/ea-order-ticket.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, EaOrderTicket, name)
  BIND (account_label);
  BIND (instrument_dropdown);
  BIND (symbol_entry);
  BIND (bid_label);
  BIND (ask_label);
  BIND (last_label);
  BIND (buy_button);
  BIND (sell_button);
  BIND (qty_spin);
  BIND (use_kelly_button);
  BIND (kelly_label);
  BIND (type_dropdown);
  BIND (limit_caption);
  BIND (limit_entry);
  BIND (stop_caption);
  BIND (stop_entry);
  BIND (tif_dropdown);
  BIND (bracket_check);
  BIND (atr_button);
  BIND (sl_spin);
  BIND (tp_spin);
  BIND (check_label);
  BIND (send_button);
  BIND (confirm_live_check);
  BIND (market_label);
#undef BIND
}

static void
ea_order_ticket_init (EaOrderTicket *self)
{
  g_autoptr(GtkStringList) instruments = gtk_string_list_new (NULL);
  g_autoptr(GtkExpression) expression = NULL;
  const EaInstrumentSpec *all;
  guint n = 0;

  self->power_score = -1;
  gtk_widget_init_template (GTK_WIDGET (self));

  all = ea_instrument_all (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s  %s", all[i].root, all[i].description);
      gtk_string_list_append (instruments, text);
    }
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (GTK_DROP_DOWN (self->instrument_dropdown), expression);
  self->in_update = TRUE;
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->instrument_dropdown), G_LIST_MODEL (instruments));
  self->in_update = FALSE;

  g_signal_connect_swapped (self->instrument_dropdown, "notify::selected",
                            G_CALLBACK (instrument_selected_cb), self);
  g_signal_connect_swapped (self->symbol_entry, "activate",
                            G_CALLBACK (symbol_entry_activate_cb), self);
  g_signal_connect_swapped (self->type_dropdown, "notify::selected",
                            G_CALLBACK (type_changed_cb), self);
  g_signal_connect_swapped (self->tif_dropdown, "notify::selected",
                            G_CALLBACK (field_changed_cb), self);
  g_signal_connect_swapped (self->buy_button, "toggled", G_CALLBACK (field_changed_cb), self);
  g_signal_connect_swapped (self->qty_spin, "value-changed", G_CALLBACK (field_changed_cb), self);
  g_signal_connect_swapped (self->sl_spin, "value-changed", G_CALLBACK (field_changed_cb), self);
  g_signal_connect_swapped (self->tp_spin, "value-changed", G_CALLBACK (field_changed_cb), self);
  g_signal_connect_swapped (self->limit_entry, "changed", G_CALLBACK (field_changed_cb), self);
  g_signal_connect_swapped (self->stop_entry, "changed", G_CALLBACK (field_changed_cb), self);
  g_signal_connect_swapped (self->bracket_check, "toggled", G_CALLBACK (bracket_toggled_cb), self);
  g_signal_connect_swapped (self->atr_button, "clicked", G_CALLBACK (atr_clicked_cb), self);
  g_signal_connect_swapped (self->use_kelly_button, "clicked", G_CALLBACK (use_kelly_clicked_cb), self);
  g_signal_connect_swapped (self->send_button, "clicked", G_CALLBACK (ea_order_ticket_send), self);
  g_signal_connect_swapped (self->limit_entry, "activate", G_CALLBACK (ea_order_ticket_send), self);
  g_signal_connect_swapped (self->stop_entry, "activate", G_CALLBACK (ea_order_ticket_send), self);

  self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
  update_market_status (self);
  self->market_timer = g_timeout_add_seconds (15, update_market_status, self);

  ea_order_ticket_set_symbol (self, "ES");
  type_changed_cb (self);
}

GtkWidget *
ea_order_ticket_new (void)
{
  return g_object_new (EA_TYPE_ORDER_TICKET, NULL);
}

void
ea_order_ticket_set_store (EaOrderTicket  *self,
                           EaTradingStore *store)
{
  g_return_if_fail (EA_IS_ORDER_TICKET (self));
  g_return_if_fail (store == NULL || EA_IS_TRADING_STORE (store));

  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_data (ea_trading_store_get_quotes (self->store), self);
      g_signal_handlers_disconnect_by_data (ea_trading_store_get_accounts (self->store), self);
    }
  g_set_object (&self->store, store);
  if (store != NULL)
    {
      g_signal_connect_swapped (ea_trading_store_get_quotes (store), "items-changed",
                                G_CALLBACK (quotes_changed_cb), self);
      g_signal_connect_swapped (ea_trading_store_get_accounts (store), "items-changed",
                                G_CALLBACK (account_notify_cb), self);
    }
  attach_quote (self);
  ea_order_ticket_recheck (self);
}

void
ea_order_ticket_set_clock (EaOrderTicket   *self,
                           EaDeskClockFunc  func,
                           gpointer         user_data)
{
  g_return_if_fail (EA_IS_ORDER_TICKET (self));

  self->clock_func = func;
  self->clock_data = user_data;
  update_market_status (self);
}

void
ea_order_ticket_set_quote_source (EaOrderTicket     *self,
                                  EaQuoteSourceFunc  func,
                                  gpointer           user_data)
{
  g_return_if_fail (EA_IS_ORDER_TICKET (self));

  self->source_func = func;
  self->source_data = user_data;
  update_market_status (self);
}

void
ea_order_ticket_set_checker (EaOrderTicket    *self,
                             EaOrderCheckFunc  func,
                             gpointer          user_data)
{
  g_return_if_fail (EA_IS_ORDER_TICKET (self));

  self->check_func = func;
  self->check_data = user_data;
  ea_order_ticket_recheck (self);
}

void
ea_order_ticket_set_account (EaOrderTicket *self,
                             const char    *account)
{
  g_return_if_fail (EA_IS_ORDER_TICKET (self));

  if (g_strcmp0 (account, self->account) == 0)
    return;

  g_free (self->account);
  self->account = g_strdup (account);
  gtk_label_set_text (GTK_LABEL (self->account_label), account ? account : _("No account"));
  ea_order_ticket_recheck (self);
  g_signal_emit (self, signals[SIGNAL_TARGET_CHANGED], 0);
}

const char *
ea_order_ticket_get_account (EaOrderTicket *self)
{
  g_return_val_if_fail (EA_IS_ORDER_TICKET (self), NULL);

  return self->account;
}

gboolean
ea_order_ticket_set_symbol (EaOrderTicket *self,
                            const char    *symbol)
{
  const EaInstrumentSpec *spec;
  GListModel *model;

  g_return_val_if_fail (EA_IS_ORDER_TICKET (self), FALSE);

  spec = ea_format_spec (symbol);
  if (spec == NULL)
    return FALSE;

  if (g_strcmp0 (symbol, self->symbol) != 0)
    {
      g_free (self->symbol);
      self->symbol = g_strdup (symbol);
      self->spec = spec;
      gtk_editable_set_text (GTK_EDITABLE (self->limit_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->stop_entry), "");
      g_signal_emit (self, signals[SIGNAL_TARGET_CHANGED], 0);
    }

  /* Keep the drop-down on the instrument's root. */
  model = gtk_drop_down_get_model (GTK_DROP_DOWN (self->instrument_dropdown));
  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);
      const char *text = gtk_string_object_get_string (item);
      gsize len = strlen (spec->root);

      if (strncmp (text, spec->root, len) == 0 && text[len] == ' ')
        {
          self->in_update = TRUE;
          gtk_drop_down_set_selected (GTK_DROP_DOWN (self->instrument_dropdown), i);
          self->in_update = FALSE;
          break;
        }
    }

  update_symbol_entry (self);
  attach_quote (self);
  update_quote_labels (self);
  if (current_type (self) != EA_ORDER_TYPE_MARKET)
    prefill_prices (self);
  ea_order_ticket_recheck (self);
  return TRUE;
}

const char *
ea_order_ticket_get_symbol (EaOrderTicket *self)
{
  g_return_val_if_fail (EA_IS_ORDER_TICKET (self), NULL);

  return self->symbol;
}

void
ea_order_ticket_set_side (EaOrderTicket *self,
                          EaSide         side)
{
  g_return_if_fail (EA_IS_ORDER_TICKET (self));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (side == EA_SIDE_SELL ? self->sell_button
                                                                          : self->buy_button),
                                TRUE);
}

void
ea_order_ticket_set_quantity (EaOrderTicket *self,
                              gint64         qty)
{
  g_return_if_fail (EA_IS_ORDER_TICKET (self));

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->qty_spin), (double) qty);
}

void
ea_order_ticket_set_order_type (EaOrderTicket *self,
                                EaOrderType    type)
{
  g_return_if_fail (EA_IS_ORDER_TICKET (self));

  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->type_dropdown), (guint) type);
}

void
ea_order_ticket_set_bracket (EaOrderTicket *self,
                             gboolean       bracket)
{
  g_return_if_fail (EA_IS_ORDER_TICKET (self));

  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->bracket_check), bracket);
}

void
ea_order_ticket_set_limit_text (EaOrderTicket *self,
                                const char    *text)
{
  g_return_if_fail (EA_IS_ORDER_TICKET (self));

  gtk_editable_set_text (GTK_EDITABLE (self->limit_entry), text);
}

void
ea_order_ticket_show_result (EaOrderTicket *self,
                             const char    *message,
                             gboolean       ok)
{
  g_return_if_fail (EA_IS_ORDER_TICKET (self));

  gtk_label_set_text (GTK_LABEL (self->check_label), message);
  set_css_state (self->check_label, ok ? "allowed" : "denied");
}

gint64
ea_order_ticket_get_kelly_size (EaOrderTicket *self)
{
  g_return_val_if_fail (EA_IS_ORDER_TICKET (self), 0);

  return self->kelly_size;
}

void
ea_order_ticket_set_power_score (EaOrderTicket *self,
                                 double         power_score)
{
  g_return_if_fail (EA_IS_ORDER_TICKET (self));

  self->power_score = power_score;
  ea_order_ticket_recheck (self);
}

const char *
ea_order_ticket_get_bid_text (EaOrderTicket *self)
{
  g_return_val_if_fail (EA_IS_ORDER_TICKET (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->bid_label));
}

const char *
ea_order_ticket_get_ask_text (EaOrderTicket *self)
{
  g_return_val_if_fail (EA_IS_ORDER_TICKET (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->ask_label));
}

const char *
ea_order_ticket_get_check_text (EaOrderTicket *self)
{
  g_return_val_if_fail (EA_IS_ORDER_TICKET (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->check_label));
}

GtkWidget *
ea_order_ticket_get_atr_button (EaOrderTicket *self)
{
  g_return_val_if_fail (EA_IS_ORDER_TICKET (self), NULL);

  return self->atr_button;
}

void
ea_order_ticket_get_bracket (EaOrderTicket *self,
                             EaTicks       *stop_ticks,
                             EaTicks       *target_ticks)
{
  g_return_if_fail (EA_IS_ORDER_TICKET (self));

  if (stop_ticks != NULL)
    *stop_ticks = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->sl_spin));
  if (target_ticks != NULL)
    *target_ticks = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->tp_spin));
}

GtkWidget *
ea_order_ticket_get_send_button (EaOrderTicket *self)
{
  g_return_val_if_fail (EA_IS_ORDER_TICKET (self), NULL);

  return self->send_button;
}

/* In LIVE mode the ticket shows "Confirm LIVE orders" (on by default). */
void
ea_order_ticket_set_live (EaOrderTicket *self,
                          gboolean       live)
{
  g_return_if_fail (EA_IS_ORDER_TICKET (self));

  gtk_widget_set_visible (self->confirm_live_check, live);
}

gboolean
ea_order_ticket_get_confirm_live (EaOrderTicket *self)
{
  g_return_val_if_fail (EA_IS_ORDER_TICKET (self), TRUE);

  return gtk_check_button_get_active (GTK_CHECK_BUTTON (self->confirm_live_check));
}

void
ea_order_ticket_set_confirm_live (EaOrderTicket *self,
                                  gboolean       confirm)
{
  g_return_if_fail (EA_IS_ORDER_TICKET (self));

  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->confirm_live_check), confirm);
}

GtkWidget *
ea_order_ticket_get_symbol_entry (EaOrderTicket *self)
{
  g_return_val_if_fail (EA_IS_ORDER_TICKET (self), NULL);

  return self->symbol_entry;
}

const char *
ea_order_ticket_get_market_text (EaOrderTicket *self)
{
  g_return_val_if_fail (EA_IS_ORDER_TICKET (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->market_label));
}

const char *
ea_order_ticket_get_kelly_text (EaOrderTicket *self)
{
  g_return_val_if_fail (EA_IS_ORDER_TICKET (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->kelly_label));
}

void
ea_order_ticket_set_kelly_panel (EaOrderTicket *self,
                                 EaKellyPanel  *panel)
{
  g_return_if_fail (EA_IS_ORDER_TICKET (self));
  g_return_if_fail (panel == NULL || EA_IS_KELLY_PANEL (panel));

  if (self->kelly_panel != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->kelly_panel, self);
      g_object_remove_weak_pointer (G_OBJECT (self->kelly_panel), (gpointer *) &self->kelly_panel);
    }
  self->kelly_panel = panel;
  if (panel != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (panel), (gpointer *) &self->kelly_panel);
      g_signal_connect_swapped (panel, "changed", G_CALLBACK (ea_order_ticket_recheck), self);
    }
  ea_order_ticket_recheck (self);
}

void
ea_order_ticket_set_atr_func (EaOrderTicket   *self,
                              EaTicketAtrFunc  func,
                              gpointer         user_data)
{
  g_return_if_fail (EA_IS_ORDER_TICKET (self));

  self->atr_func = func;
  self->atr_data = user_data;
}
