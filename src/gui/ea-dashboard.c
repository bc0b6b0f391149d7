/* ea-dashboard.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The trading dashboard: margin strip, account cards, chart slot, lists,
 * order ticket, risk and signals, all bound to the desk's model.
 */
#define G_LOG_DOMAIN "ea-dashboard"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ea-columns.h"
#include "ea-confirm-dialog.h"
#include "ea-dashboard.h"
#include "ea-ibkr-broker.h"

struct _EaDashboard
{
  GtkBox           parent_instance;

  EaDesk          *desk;
  EaTradingStore  *store;
  GtkStringList   *account_names;
  GtkSliceListModel *card_accounts;
  char            *selected;
  guint            order_seq;
  EaDeskOrder      pending;           /* awaiting a LIVE confirmation */
  char            *pending_account;
  char            *pending_symbol;
  EaConfirmDialog *live_dialog;
  EaProtectDialog *protect_dialog;    /* weak */
  gboolean         in_update;
  gboolean         risk_dirty;
  gint64 reversals_at;  /* monotonic µs of the last ERM detail */
  GHashTable      *known_brokers;
  char            *risk_account;      /* the risk panel's account */

  GtkWidget       *account_dropdown;
  GtkWidget       *layout_dropdown;
  GtkWidget       *margin_panel;
  GtkWidget       *cards_stack;
  GtkWidget       *card_grid;
  GtkWidget       *chart_slot;
  GtkWidget       *lists_stack;
  GtkWidget       *positions_view;
  GtkWidget       *orders_view;
  GtkWidget       *fills_view;
  GtkWidget       *alerts_view;
  GtkWidget       *kelly_panel;
  GtkWidget       *system_status;
  GtkWidget       *order_ticket;
  GtkWidget       *risk_panel;
  GtkWidget       *signals_panel;
  GtkWidget       *empty_title;
  GtkWidget       *empty_description;
};

G_DEFINE_FINAL_TYPE (EaDashboard, ea_dashboard, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_DESK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum { SIGNAL_BROKER_ADDED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
update_empty_state (EaDashboard *self)
{
  GPtrArray *brokers = ea_desk_get_brokers (self->desk);
  const char *away = NULL;
  gboolean any_connected = FALSE;

  for (guint i = 0; brokers != NULL && i < brokers->len; i++)
    {
      EaBroker *broker = g_ptr_array_index (brokers, i);

      if (ea_broker_get_connection_state (broker) == EA_CONNECTION_STATE_CONNECTED)
        any_connected = TRUE;
      else if (away == NULL)
        away = ea_broker_get_name (broker);
    }

  if (brokers == NULL || brokers->len == 0)
    {
      gtk_label_set_text (GTK_LABEL (self->empty_title), _("No Accounts Connected"));
      gtk_label_set_text (GTK_LABEL (self->empty_description),
                          _("Accounts, positions and orders appear here once a broker connection is open."));
    }
  else if (!any_connected)
    {
      g_autofree char *text = g_strdup_printf (_("Reconnecting to %s… Orders cannot be sent until the connection is back."),
                                               away);
      gtk_label_set_text (GTK_LABEL (self->empty_title), _("Disconnected"));
      gtk_label_set_text (GTK_LABEL (self->empty_description), text);
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (self->empty_title), _("Waiting for Accounts"));
      gtk_label_set_text (GTK_LABEL (self->empty_description),
                          _("The broker is connected; its accounts are on their way."));
    }
}

/* Brokers join the desk when they start (after the risk state is
 * restored): each one seen is announced once. */
static void
sync_brokers (EaDashboard *self)
{
  GPtrArray *brokers = ea_desk_get_brokers (self->desk);

  for (guint i = 0; brokers != NULL && i < brokers->len; i++)
    {
      EaBroker *broker = g_ptr_array_index (brokers, i);

      if (g_hash_table_add (self->known_brokers, broker))
        {
          g_signal_connect_object (broker, "connection-state", G_CALLBACK (update_empty_state),
                                   self, G_CONNECT_SWAPPED);
          ea_system_status_add_broker (EA_SYSTEM_STATUS (self->system_status), broker);
          g_signal_emit (self, signals[SIGNAL_BROKER_ADDED], 0, broker);
        }
    }
  update_empty_state (self);
}

/* ---- orders ------------------------------------------------------------ */

static gboolean
check_order (const EaDeskOrder *order,
             EaRiskDecision    *decision,
             gpointer           user_data)
{
  EaDashboard *self = EA_DASHBOARD (user_data);

  memset (decision, 0, sizeof *decision);
  return ea_desk_check_order (self->desk, order, decision);
}

static void
place_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(EaDashboard) self = user_data;
  g_autoptr(GError) error = NULL;
  EaRiskDecision decision = { 0 };
  g_autofree char *id = ea_desk_place_order_finish (EA_DESK (source), result, &decision, &error);
  g_autofree char *text = NULL;

  if (self->order_ticket == NULL)
    return;

  if (id != NULL)
    text = g_strdup_printf (_("Sent (%s)"), id);
  else if (g_error_matches (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED))
    {
      g_autofree char *why = ea_risk_decision_format (&decision);
      text = g_strdup_printf (_("Not sent: %s"), why);
    }
  else
    text = g_strdup_printf (_("Not sent: %s"), error->message);

  ea_order_ticket_show_result (EA_ORDER_TICKET (self->order_ticket), text, id != NULL);
}

static void
send_order (EaDashboard       *self,
            const EaDeskOrder *order)
{
  ea_order_ticket_show_result (EA_ORDER_TICKET (self->order_ticket), _("Sending…"), TRUE);
  ea_desk_place_order_async (self->desk, order, EA_ACTOR_USER, NULL, place_done_cb,
                             g_object_ref (self));
}

static void
live_dialog_response_cb (EaDashboard     *self,
                         gboolean         confirmed,
                         EaConfirmDialog *dialog)
{
  self->live_dialog = NULL;

  if (confirmed)
    {
      self->pending.account = self->pending_account;
      self->pending.symbol = self->pending_symbol;
      send_order (self, &self->pending);
    }
  else
    ea_order_ticket_show_result (EA_ORDER_TICKET (self->order_ticket), _("Not sent: cancelled"), FALSE);
}

static void
ticket_submit_cb (EaDashboard       *self,
                  const EaDeskOrder *order)
{
  GtkRoot *root;
  g_autofree char *body = NULL;

  if (ea_desk_get_mode (self->desk) != EA_MODE_LIVE ||
      !ea_order_ticket_get_confirm_live (EA_ORDER_TICKET (self->order_ticket)))
    {
      send_order (self, order);
      return;
    }

  /* A LIVE order: ask first. */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->pending = *order;
  g_free (self->pending_account);
  g_free (self->pending_symbol);
  self->pending_account = g_strdup (order->account);
  self->pending_symbol = g_strdup (order->symbol);

  body = g_strdup_printf (_("%s %" G_GINT64_FORMAT " %s on %s with real money."),
                          order->side == EA_SIDE_BUY ? _("Buy") : _("Sell"),
                          order->qty, order->symbol, order->account);
  if (self->live_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->live_dialog));
  self->live_dialog = ea_confirm_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                             _("Send LIVE Order?"), body, _("_Send Order"));
  g_signal_connect_object (self->live_dialog, "response",
                           G_CALLBACK (live_dialog_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->live_dialog));
}

static void
flatten_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ea_desk_flatten_finish (EA_DESK (source), result, &error))
    g_message ("Flatten failed: %s", error->message);
}

static void
cancel_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ea_desk_cancel_order_finish (EA_DESK (source), result, &error))
    g_message ("Cancel failed: %s", error->message);
}

static void
flatten_cb (EaDashboard *self,
            const char  *account,
            const char  *symbol)
{
  ea_desk_flatten_async (self->desk, account, symbol, NULL, flatten_done_cb, NULL);
}

static void
reverse_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = ea_desk_reverse_position_finish (EA_DESK (source), result, NULL, &error);

  if (id == NULL)
    g_message ("Reverse refused: %s", error->message);
}

static void
reverse_cb (EaDashboard *self,
            const char  *account,
            const char  *symbol)
{
  ea_desk_reverse_position_async (self->desk, account, symbol, EA_ACTOR_USER, NULL, reverse_done_cb, NULL);
}

static void
protect_cb (EaDashboard *self,
            const char  *account,
            const char  *symbol)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->protect_dialog != NULL)
    {
      EaProtectDialog *old = self->protect_dialog;

      g_object_remove_weak_pointer (G_OBJECT (old), (gpointer *) &self->protect_dialog);
      self->protect_dialog = NULL;
      gtk_window_destroy (GTK_WINDOW (old));
    }
  self->protect_dialog = ea_protect_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                self->desk, account, symbol);
  g_object_add_weak_pointer (G_OBJECT (self->protect_dialog), (gpointer *) &self->protect_dialog);
  gtk_window_present (GTK_WINDOW (self->protect_dialog));
}

static void
cancel_cb (EaDashboard *self,
           const char  *client_order_id)
{
  ea_desk_cancel_order_async (self->desk, client_order_id, NULL, cancel_done_cb, NULL);
}

static void
cancel_all_cb (EaDashboard *self,
               const char  *account)
{
  GListModel *shown = ea_orders_view_get_shown (EA_ORDERS_VIEW (self->orders_view));
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  /* Collected first: cancelling changes the list. */
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(EaOrder) o = g_list_model_get_item (shown, i);
      if (account == NULL || g_strcmp0 (account, ea_order_get_account (o)) == 0)
        g_ptr_array_add (ids, g_strdup (ea_order_get_client_order_id (o)));
    }
  for (guint i = 0; i < ids->len; i++)
    cancel_cb (self, g_ptr_array_index (ids, i));
}

/* ---- connection pill ----------------------------------------------------- */

#define PILL_SLOW_US (250 * 1000)

/* "42 ms", "<1 ms"; NULL when unknown. */
static char *
format_latency (gint64 latency_us)
{
  if (latency_us < 0)
    return NULL;
  if (latency_us < 1000)
    return g_strdup (_("<1 ms"));
  return g_strdup_printf (_("%d ms"), (int) MIN ((latency_us + 500) / 1000, G_MAXINT));
}

static void
pill_update (GtkWidget  *pill,
             guint       state,
             const char *reason)
{
  EaBroker *broker = g_object_get_data (G_OBJECT (pill), "ea-broker");
  static const char * const classes[] = { "disconnected", "connecting", "reconciling", "connected" };
  gint64 latency_us = ea_broker_get_latency_us (broker);
  g_autofree char *latency = format_latency (latency_us);
  g_autofree char *text = NULL;
  g_autofree char *a11y = NULL;
  const char *note = NULL;

  /* What keeps a connected broker from trading or sending. */
  if (EA_IS_IBKR_BROKER (broker) && ea_ibkr_broker_get_competing (EA_IBKR_BROKER (broker)))
    note = _("competing session — trading paused");
  else if (EA_IS_IBKR_BROKER (broker) && ea_ibkr_broker_get_paused_until (EA_IBKR_BROKER (broker)) > 0)
    note = _("rate limited — requests paused");

  /* The refreshes pass the stored reason: it is copied before the old
   * copy is freed, and the new copy is what is read below. */
  g_object_set_data (G_OBJECT (pill), "ea-state", GUINT_TO_POINTER (state));
  g_object_set_data_full (G_OBJECT (pill), "ea-reason", g_strdup (reason), g_free);
  reason = g_object_get_data (G_OBJECT (pill), "ea-reason");

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (pill, classes[i]);
  if (state < G_N_ELEMENTS (classes))
    gtk_widget_add_css_class (pill, classes[state]);
  if (latency_us >= PILL_SLOW_US)
    gtk_widget_add_css_class (pill, "slow");
  else
    gtk_widget_remove_css_class (pill, "slow");
  if (note != NULL)
    gtk_widget_add_css_class (pill, "paused");
  else
    gtk_widget_remove_css_class (pill, "paused");

  if (note != NULL)
    text = g_strdup_printf ("● %s · %s", ea_broker_get_name (broker), note);
  else if (latency != NULL)
    text = g_strdup_printf ("● %s · %s", ea_broker_get_name (broker), latency);
  else
    text = g_strdup_printf ("● %s", ea_broker_get_name (broker));
  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (pill)), text) != 0)
    gtk_label_set_text (GTK_LABEL (pill), text);

  /* Translators: "Tradovate: connected, round trip 42 ms — reason". */
  a11y = g_strdup_printf ("%s: %s%s%s%s%s%s%s", ea_broker_get_name (broker),
                          ea_connection_state_to_string ((EaConnectionState) state),
                          note != NULL ? ", " : "", note != NULL ? note : "",
                          latency != NULL ? _(", round trip ") : "", latency != NULL ? latency : "",
                          reason ? " — " : "", reason ? reason : "");
  if (g_strcmp0 (gtk_widget_get_tooltip_text (pill), a11y) != 0)
    {
      gtk_widget_set_tooltip_text (pill, a11y);
      gtk_accessible_update_property (GTK_ACCESSIBLE (pill), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
    }
}

static void
pill_notify_cb (GObject    *broker,
                GParamSpec *pspec,
                GtkWidget  *pill)
{
  pill_update (pill, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (pill), "ea-state")),
               g_object_get_data (G_OBJECT (pill), "ea-reason"));
}

static void
pill_state_cb (EaBroker   *broker,
               guint       state,
               const char *reason,
               GtkWidget  *pill)
{
  pill_update (pill, state, reason);
}

/* The latency moves without a state change: read it once a second. */
static gboolean
pill_refresh_cb (gpointer user_data)
{
  GtkWidget *pill = user_data;

  pill_update (pill, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (pill), "ea-state")),
               g_object_get_data (G_OBJECT (pill), "ea-reason"));
  return G_SOURCE_CONTINUE;
}

static void
remove_source (gpointer data)
{
  g_source_remove (GPOINTER_TO_UINT (data));
}

GtkWidget *
ea_dashboard_new_connection_pill (EaBroker *broker)
{
  GtkWidget *pill;
  guint id;

  g_return_val_if_fail (EA_IS_BROKER (broker), NULL);

  pill = gtk_label_new (NULL);
  gtk_widget_add_css_class (pill, "connection-pill");
  g_object_set_data_full (G_OBJECT (pill), "ea-broker", g_object_ref (broker), g_object_unref);
  g_signal_connect_object (broker, "connection-state", G_CALLBACK (pill_state_cb), pill, 0);
  if (EA_IS_IBKR_BROKER (broker))
    {
      g_signal_connect_object (broker, "notify::competing", G_CALLBACK (pill_notify_cb), pill, 0);
      g_signal_connect_object (broker, "notify::paused-until", G_CALLBACK (pill_notify_cb), pill, 0);
    }
  pill_update (pill, ea_broker_get_connection_state (broker), NULL);
  id = g_timeout_add_seconds (1, pill_refresh_cb, pill);
  g_object_set_data_full (G_OBJECT (pill), "ea-refresh", GUINT_TO_POINTER (id), remove_source);
  return pill;
}

/* ---- accounts ------------------------------------------------------------ */

static void
card_enabled_cb (EaAccountCard *card,
                 gboolean       enabled,
                 EaDashboard   *self)
{
  const char *name = ea_account_get_name (ea_account_card_get_account (card));

  ea_desk_set_account_enabled (self->desk, name, enabled);
  ea_order_ticket_recheck (EA_ORDER_TICKET (self->order_ticket));
}

static GtkWidget *
create_card (gpointer item,
             gpointer user_data)
{
  EaDashboard *self = EA_DASHBOARD (user_data);
  GtkWidget *card = ea_account_card_new (EA_ACCOUNT (item), self->store);

  ea_account_card_set_desk (EA_ACCOUNT_CARD (card), self->desk);

  ea_account_card_set_enabled (EA_ACCOUNT_CARD (card),
                               ea_desk_get_account_enabled (self->desk, ea_account_get_name (item)));
  g_signal_connect_object (card, "enabled-changed", G_CALLBACK (card_enabled_cb), self, 0);
  return card;
}

static void
refresh_risk (EaDashboard *self)
{
  EaRiskStatus status;
  const EaInstrumentSpec *spec =
    ea_format_spec (ea_order_ticket_get_symbol (EA_ORDER_TICKET (self->order_ticket)));

  EaRiskProfile profile;

  if (self->risk_account != NULL && ea_desk_get_risk_status (self->desk, self->risk_account, &status))
    ea_risk_panel_set_status (EA_RISK_PANEL (self->risk_panel), self->risk_account, &status, spec);
  else
    ea_risk_panel_set_status (EA_RISK_PANEL (self->risk_panel), self->risk_account, NULL, spec);
  ea_risk_panel_set_profile (EA_RISK_PANEL (self->risk_panel),
                             self->risk_account != NULL &&
                             ea_desk_get_account_profile (self->desk, self->risk_account, &profile)
                             ? &profile : NULL);

  for (int i = 0; ; i++)
    {
      GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (GTK_FLOW_BOX (self->card_grid), i);
      EaAccountCard *card;
      const char *name;

      if (child == NULL)
        break;
      card = EA_ACCOUNT_CARD (gtk_flow_box_child_get_child (child));
      name = ea_account_get_name (ea_account_card_get_account (card));
      if (ea_desk_get_risk_status (self->desk, name, &status))
        {
          g_autofree char *text = g_strdup_printf ("%s · %s",
                                                   ea_risk_level_to_string (status.level),
                                                   ea_risk_status_state_text (&status));
          ea_account_card_set_risk_level (card, status.level, text);
        }
      ea_account_card_set_enabled (card, ea_desk_get_account_enabled (self->desk, name));
    }
}

/* Each card's Kelly popover: the ticket's instrument, from the Kelly tab. */
/* Each card's popover: its own account's trades in its own instrument
 * (the position's, else the latest signal's, else the ticket's), sized for
 * its own equity with the Kelly panel's settings. */
static void
update_card_kelly (EaDashboard *self)
{
  const char *ticket_symbol = ea_order_ticket_get_symbol (EA_ORDER_TICKET (self->order_ticket));

  for (int i = 0; ; i++)
    {
      GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (GTK_FLOW_BOX (self->card_grid), i);
      EaAccountCard *card;
      g_autofree char *symbol = NULL;
      g_autofree char *text = NULL;
      const char *account;
      EaStatsSummary summary;
      EaKellyResult result;
      gint64 contracts;

      if (child == NULL)
        break;
      card = EA_ACCOUNT_CARD (gtk_flow_box_child_get_child (child));
      account = ea_account_get_name (ea_account_card_get_account (card));
      symbol = ea_account_card_get_chart_symbol (card);
      if (symbol == NULL)
        symbol = g_strdup (ticket_symbol);

      if (ea_kelly_panel_evaluate (EA_KELLY_PANEL (self->kelly_panel), account, symbol, -1,
                                   &summary, &result, &contracts))
        text = g_strdup_printf (_("%s: size %" G_GINT64_FORMAT " · Kelly %.1f %%\n"
                                  "Win rate %.0f %% · Sharpe %.2f · %u trades%s"),
                                symbol, contracts, result.fraction * 100.0, summary.win_rate * 100.0,
                                summary.sharpe, summary.n_trades,
                                result.fallback ? _(" (small sample: 1 % of equity)") : "");
      else
        text = g_strdup_printf (_("%s: no closed trades on %s yet; sized at 1 %% of equity (%" G_GINT64_FORMAT ")."),
                                symbol ? symbol : "—", account, contracts);
      ea_account_card_set_kelly_text (card, text);
    }
}

static void
risk_changed_cb (EaDashboard *self,
                 const char  *account)
{
  self->risk_dirty = TRUE;
}

static void
mark_risk_dirty (EaDashboard *self)
{
  self->risk_dirty = TRUE;
}

/* Equity, and with it every limit's usage, moves with the market. */
static void
quotes_changed_cb (GListModel  *model,
                   guint        position,
                   guint        removed,
                   guint        added,
                   EaDashboard *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(EaQuote) q = g_list_model_get_item (model, i);
      g_signal_connect_object (q, "notify::time", G_CALLBACK (mark_risk_dirty), self,
                               G_CONNECT_SWAPPED);
    }
  self->risk_dirty = TRUE;
}

static void update_reversals (EaDashboard *self);

static const char *
quote_source (const char *symbol,
              gpointer    user_data)
{
  return ea_desk_get_quote_source (EA_DESK (user_data), symbol);
}

static double
ticket_atr (const char  *symbol,
            const char **source,
            gpointer     user_data)
{
  EaDeskAtrSource from = EA_DESK_ATR_DEFAULT;
  double atr = ea_desk_get_erm_atr (EA_DESK (user_data), symbol, &from);

  switch (from)
    {
    case EA_DESK_ATR_LIVE:
      *source = _("live ATR(14) of 1-minute bars");
      break;
    case EA_DESK_ATR_SIGNAL:
      *source = _("the latest signal's ATR");
      break;
    case EA_DESK_ATR_DEFAULT:
    default:
      *source = _("the instrument's default ATR");
      break;
    }
  return atr;
}

static EaTimeUs
desk_clock (gpointer user_data)
{
  return ea_desk_get_time (EA_DESK (user_data));
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  EaDashboard *self = EA_DASHBOARD (widget);

  if (self->risk_dirty)
    {
      gint64 now = g_get_monotonic_time ();

      self->risk_dirty = FALSE;
      refresh_risk (self);
      /* The ERM ATR moves with the bars: once a second is enough. */
      if (now - self->reversals_at >= G_USEC_PER_SEC)
        update_reversals (self);
    }
  return G_SOURCE_CONTINUE;
}

static void
apply_selection (EaDashboard *self)
{
  const char *account = self->selected;
  const char *ticket_account = account;

  ea_positions_view_set_account (EA_POSITIONS_VIEW (self->positions_view), account);
  ea_orders_view_set_account (EA_ORDERS_VIEW (self->orders_view), account);
  ea_fills_view_set_account (EA_FILLS_VIEW (self->fills_view), account);
  ea_margin_panel_set_account (EA_MARGIN_PANEL (self->margin_panel), account);
  ea_kelly_panel_set_account (EA_KELLY_PANEL (self->kelly_panel), account);

  if (ticket_account == NULL)
    {
      GListModel *accounts = ea_trading_store_get_accounts (self->store);
      g_autoptr(EaAccount) first = g_list_model_get_n_items (accounts) > 0
        ? g_list_model_get_item (accounts, 0) : NULL;

      ticket_account = first ? ea_account_get_name (first) : NULL;
      ea_order_ticket_set_account (EA_ORDER_TICKET (self->order_ticket), ticket_account);
    }
  else
    ea_order_ticket_set_account (EA_ORDER_TICKET (self->order_ticket), ticket_account);

  g_free (self->risk_account);
  self->risk_account = g_strdup (ticket_account);
  refresh_risk (self);
}

static void
rebuild_account_names (EaDashboard *self)
{
  GListModel *accounts = ea_trading_store_get_accounts (self->store);
  guint n = g_list_model_get_n_items (accounts);
  guint selected = 0;
  const char **names = g_new0 (const char *, n + 2);

  names[0] = _("All accounts");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EaAccount) a = g_list_model_get_item (accounts, i);
      names[i + 1] = ea_account_get_name (a);
      if (g_strcmp0 (self->selected, names[i + 1]) == 0)
        selected = i + 1;
    }

  self->in_update = TRUE;
  gtk_string_list_splice (self->account_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->account_names)), names);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->account_dropdown), selected);
  self->in_update = FALSE;
  g_free (names);

  gtk_stack_set_visible_child_name (GTK_STACK (self->cards_stack), n > 0 ? "cards" : "empty");
  apply_selection (self);
}

static void
account_selected_cb (EaDashboard *self)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->account_dropdown));
  GtkStringObject *item;

  if (self->in_update)
    return;

  item = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (self->account_dropdown));
  g_clear_pointer (&self->selected, g_free);
  if (i > 0 && i != GTK_INVALID_LIST_POSITION && item != NULL)
    self->selected = g_strdup (gtk_string_object_get_string (item));
  apply_selection (self);
}

static void
layout_selected_cb (EaDashboard *self)
{
  ea_dashboard_set_card_layout (self, gtk_drop_down_get_selected (GTK_DROP_DOWN (self->layout_dropdown)));
}

/* The ERM budget follows the ticket's instrument and every alert. */
static void
update_reversals (EaDashboard *self)
{
  const char *symbol = ea_order_ticket_get_symbol (EA_ORDER_TICKET (self->order_ticket));
  guint remaining = 0;
  guint done = ea_desk_get_erm_reversals (self->desk, symbol, &remaining);
  const EaInstrumentSpec *spec = ea_format_spec (symbol);
  EaDeskAtrSource source;
  double atr = ea_desk_get_erm_atr (self->desk, symbol, &source);
  g_autofree char *detail = NULL;

  ea_signals_panel_set_reversals (EA_SIGNALS_PANEL (self->signals_panel), symbol,
                                  remaining, done + remaining);
  if (spec != NULL && atr > 0)
    {
      const char *from = source == EA_DESK_ATR_LIVE ? _("Wilder's ATR(14) of one-minute bars")
                         : source == EA_DESK_ATR_SIGNAL ? _("the latest signal's own ATR")
                         : _("the instrument's default until 14 one-minute bars have closed");

      /* Translators: "ERM judges ES by an ATR of 1.75 points: <source>". */
      detail = g_strdup_printf (_("ERM judges %s by an ATR of %.2f points: %s"),
                                spec->root, atr * spec->tick_size, from);
    }
  ea_signals_panel_set_reversals_detail (EA_SIGNALS_PANEL (self->signals_panel), detail);
  self->reversals_at = g_get_monotonic_time ();
}

static void
signal_activated_cb (EaDashboard *self,
                     EaSignal    *signal)
{
  EaOrderTicket *ticket = EA_ORDER_TICKET (self->order_ticket);

  ea_order_ticket_set_symbol (ticket, ea_signal_get_symbol (signal));
  ea_order_ticket_set_side (ticket, ea_signal_get_direction (signal) > 0 ? EA_SIDE_BUY : EA_SIDE_SELL);
  ea_order_ticket_set_power_score (ticket, ea_signal_get_power_score (signal));
}

/* ---- GObject ------------------------------------------------------------- */

static void
ea_dashboard_constructed (GObject *object)
{
  EaDashboard *self = EA_DASHBOARD (object);
  GListModel *accounts;

  G_OBJECT_CLASS (ea_dashboard_parent_class)->constructed (object);

  g_assert (EA_IS_DESK (self->desk));
  self->store = g_object_ref (ea_desk_get_store (self->desk));

  accounts = ea_trading_store_get_accounts (self->store);

  ea_positions_view_set_store (EA_POSITIONS_VIEW (self->positions_view), self->store);
  ea_orders_view_set_model (EA_ORDERS_VIEW (self->orders_view),
                            ea_trading_store_get_orders (self->store));
  ea_fills_view_set_model (EA_FILLS_VIEW (self->fills_view),
                           ea_trading_store_get_fills (self->store));
  ea_alerts_view_set_model (EA_ALERTS_VIEW (self->alerts_view),
                            ea_trading_store_get_alerts (self->store));
  ea_margin_panel_set_store (EA_MARGIN_PANEL (self->margin_panel), self->store);
  ea_kelly_panel_set_store (EA_KELLY_PANEL (self->kelly_panel), self->store);
  g_signal_connect_object (self->kelly_panel, "changed", G_CALLBACK (update_card_kelly), self,
                           G_CONNECT_SWAPPED);
  ea_system_status_set_desk (EA_SYSTEM_STATUS (self->system_status), self->desk);
  g_signal_connect_object (accounts, "items-changed", G_CALLBACK (sync_brokers), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (ea_trading_store_get_fills (self->store), "items-changed",
                           G_CALLBACK (update_card_kelly), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (accounts, "items-changed", G_CALLBACK (update_card_kelly), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (ea_trading_store_get_quotes (self->store), "items-changed",
                           G_CALLBACK (sync_brokers), self, G_CONNECT_SWAPPED);
  ea_signals_panel_set_store (EA_SIGNALS_PANEL (self->signals_panel), self->store);
  ea_signals_panel_set_demo (EA_SIGNALS_PANEL (self->signals_panel),
                             ea_desk_get_mode (self->desk) == EA_MODE_DEMO);
  ea_order_ticket_set_store (EA_ORDER_TICKET (self->order_ticket), self->store);
  ea_order_ticket_set_checker (EA_ORDER_TICKET (self->order_ticket), check_order, self);
  ea_order_ticket_set_clock (EA_ORDER_TICKET (self->order_ticket), desk_clock, self->desk);
  ea_order_ticket_set_quote_source (EA_ORDER_TICKET (self->order_ticket), quote_source, self->desk);
  ea_order_ticket_set_atr_func (EA_ORDER_TICKET (self->order_ticket), ticket_atr, self->desk);
  ea_order_ticket_set_kelly_panel (EA_ORDER_TICKET (self->order_ticket),
                                   EA_KELLY_PANEL (self->kelly_panel));
  ea_order_ticket_set_live (EA_ORDER_TICKET (self->order_ticket),
                            ea_desk_get_mode (self->desk) == EA_MODE_LIVE);

  self->card_accounts = gtk_slice_list_model_new (g_object_ref (accounts), 0, EA_DASHBOARD_MAX_CARDS);
  gtk_flow_box_bind_model (GTK_FLOW_BOX (self->card_grid), G_LIST_MODEL (self->card_accounts),
                           create_card, self, NULL);

  self->account_names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->account_dropdown), G_LIST_MODEL (self->account_names));
  g_signal_connect_object (accounts, "items-changed", G_CALLBACK (rebuild_account_names), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self->account_dropdown, "notify::selected",
                            G_CALLBACK (account_selected_cb), self);
  g_signal_connect_swapped (self->layout_dropdown, "notify::selected",
                            G_CALLBACK (layout_selected_cb), self);

  g_signal_connect_swapped (self->positions_view, "flatten", G_CALLBACK (flatten_cb), self);
  g_signal_connect_swapped (self->positions_view, "reverse", G_CALLBACK (reverse_cb), self);
  g_signal_connect_swapped (self->positions_view, "protect", G_CALLBACK (protect_cb), self);
  g_signal_connect_swapped (self->orders_view, "cancel", G_CALLBACK (cancel_cb), self);
  g_signal_connect_swapped (self->orders_view, "cancel-all", G_CALLBACK (cancel_all_cb), self);
  g_signal_connect_swapped (self->order_ticket, "submit", G_CALLBACK (ticket_submit_cb), self);
  g_signal_connect_swapped (self->signals_panel, "signal-activated",
                            G_CALLBACK (signal_activated_cb), self);
  g_signal_connect_object (self->desk, "notify::trading-state",
                           G_CALLBACK (ea_order_ticket_recheck), self->order_ticket,
                           G_CONNECT_SWAPPED);

  g_signal_connect_object (self->desk, "risk-changed", G_CALLBACK (risk_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (ea_trading_store_get_alerts (self->store), "items-changed",
                           G_CALLBACK (update_reversals), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->order_ticket, "target-changed",
                           G_CALLBACK (update_reversals), self, G_CONNECT_SWAPPED);
  update_reversals (self);
  gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
  g_signal_connect_object (ea_trading_store_get_quotes (self->store), "items-changed",
                           G_CALLBACK (quotes_changed_cb), self, 0);
  g_signal_connect_object (accounts, "items-changed", G_CALLBACK (mark_risk_dirty), self,
                           G_CONNECT_SWAPPED);

  rebuild_account_names (self);
}

static void
ea_dashboard_dispose (GObject *object)
{
  EaDashboard *self = EA_DASHBOARD (object);

  if (self->live_dialog != NULL)
    {
      EaConfirmDialog *dialog = g_steal_pointer (&self->live_dialog);
      g_signal_handlers_disconnect_by_data (dialog, self);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  if (self->protect_dialog != NULL)
    {
      EaProtectDialog *dialog = self->protect_dialog;

      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->protect_dialog);
      self->protect_dialog = NULL;
      gtk_window_destroy (GTK_WINDOW (dialog));
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), EA_TYPE_DASHBOARD);
  self->order_ticket = NULL;

  g_clear_object (&self->card_accounts);
  g_clear_object (&self->account_names);
  g_clear_object (&self->store);
  g_clear_object (&self->desk);

  G_OBJECT_CLASS (ea_dashboard_parent_class)->dispose (object);
}

static void
ea_dashboard_finalize (GObject *object)
{
  EaDashboard *self = EA_DASHBOARD (object);

  g_free (self->selected);
  g_free (self->risk_account);
  g_clear_pointer (&self->known_brokers, g_hash_table_unref);
  g_free (self->pending_account);
  g_free (self->pending_symbol);

  G_OBJECT_CLASS (ea_dashboard_parent_class)->finalize (object);
}

static void
ea_dashboard_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  EaDashboard *self = EA_DASHBOARD (object);

  switch (prop_id)
    {
    case PROP_DESK:
      g_value_set_object (value, self->desk);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_dashboard_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  EaDashboard *self = EA_DASHBOARD (object);

  switch (prop_id)
    {
    case PROP_DESK:
      self->desk = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_dashboard_class_init (EaDashboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ea_dashboard_constructed;
  object_class->dispose = ea_dashboard_dispose;
  object_class->finalize = ea_dashboard_finalize;
  object_class->get_property = ea_dashboard_get_property;
  object_class->set_property = ea_dashboard_set_property;

  properties[PROP_DESK] =
    g_param_spec_object ("desk", NULL, NULL, EA_TYPE_DESK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EaDashboard::broker-added:
   * @broker: a broker the desk gained
   */
  signals[SIGNAL_BROKER_ADDED] =
    g_signal_new ("broker-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, EA_TYPE_BROKER);

  g_type_ensure (EA_TYPE_MARGIN_PANEL);
  g_type_ensure (EA_TYPE_POSITIONS_VIEW);
  g_type_ensure (EA_TYPE_ORDERS_VIEW);
  g_type_ensure (EA_TYPE_FILLS_VIEW);
  g_type_ensure (EA_TYPE_ALERTS_VIEW);
  g_type_ensure (EA_TYPE_KELLY_PANEL);
  g_type_ensure (EA_TYPE_SYSTEM_STATUS);
  g_type_ensure (EA_TYPE_ORDER_TICKET);
  g_type_ensure (EA_TYPE_RISK_PANEL);
  g_type_ensure (EA_TYPE_SIGNALS_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/ea-dashboard.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, EaDashboard, name)
  BIND (account_dropdown);
  BIND (layout_dropdown);
  BIND (margin_panel);
  BIND (cards_stack);
  BIND (card_grid);
  BIND (chart_slot);
  BIND (lists_stack);
  BIND (positions_view);
  BIND (orders_view);
  BIND (fills_view);
  BIND (alerts_view);
  BIND (kelly_panel);
  BIND (system_status);
  BIND (order_ticket);
  BIND (risk_panel);
  BIND (signals_panel);
  BIND (empty_title);
  BIND (empty_description);
#undef BIND
}

static void
ea_dashboard_init (EaDashboard *self)
{
  self->known_brokers = g_hash_table_new (NULL, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ea_dashboard_sync_brokers:
 *
 * Announces ("broker-added") the desk's brokers not seen yet. Runs by
 * itself when accounts or quotes appear.
 */
void
ea_dashboard_sync_brokers (EaDashboard *self)
{
  g_return_if_fail (EA_IS_DASHBOARD (self));

  sync_brokers (self);
}

GtkWidget *
ea_dashboard_new (EaDesk *desk)
{
  g_return_val_if_fail (EA_IS_DESK (desk), NULL);

  return g_object_new (EA_TYPE_DASHBOARD, "desk", desk, NULL);
}

EaDesk *
ea_dashboard_get_desk (EaDashboard *self)
{
  g_return_val_if_fail (EA_IS_DASHBOARD (self), NULL);
  return self->desk;
}

EaTradingStore *
ea_dashboard_get_store (EaDashboard *self)
{
  g_return_val_if_fail (EA_IS_DASHBOARD (self), NULL);
  return self->store;
}

void
ea_dashboard_select_account (EaDashboard *self,
                             const char  *account)
{
  GListModel *names;

  g_return_if_fail (EA_IS_DASHBOARD (self));

  names = G_LIST_MODEL (self->account_names);
  if (account == NULL)
    {
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->account_dropdown), 0);
      return;
    }
  for (guint i = 1; i < g_list_model_get_n_items (names); i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->account_names, i), account) == 0)
      {
        gtk_drop_down_set_selected (GTK_DROP_DOWN (self->account_dropdown), i);
        return;
      }
}

const char *
ea_dashboard_get_selected_account (EaDashboard *self)
{
  g_return_val_if_fail (EA_IS_DASHBOARD (self), NULL);
  return self->selected;
}

void
ea_dashboard_set_confirm_live (EaDashboard *self,
                               gboolean     confirm)
{
  g_return_if_fail (EA_IS_DASHBOARD (self));
  ea_order_ticket_set_confirm_live (EA_ORDER_TICKET (self->order_ticket), confirm);
}

void
ea_dashboard_set_card_layout (EaDashboard *self,
                              guint        layout)
{
  static const guint per_line[] = { 3, 2, 6 };

  g_return_if_fail (EA_IS_DASHBOARD (self));

  layout = MIN (layout, G_N_ELEMENTS (per_line) - 1);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (self->card_grid), per_line[layout]);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->card_grid), per_line[layout]);
  if (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->layout_dropdown)) != layout)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->layout_dropdown), layout);
}

#define GETTER(Type, name, field)                        \
  Type *                                                 \
  ea_dashboard_get_##name (EaDashboard *self)            \
  {                                                      \
    g_return_val_if_fail (EA_IS_DASHBOARD (self), NULL); \
    return (Type *) self->field;                         \
  }

GETTER (EaOrderTicket, order_ticket, order_ticket)
GETTER (EaPositionsView, positions_view, positions_view)
GETTER (EaProtectDialog, protect_dialog, protect_dialog)
GETTER (EaOrdersView, orders_view, orders_view)
GETTER (EaFillsView, fills_view, fills_view)
GETTER (EaAlertsView, alerts_view, alerts_view)
GETTER (EaMarginPanel, margin_panel, margin_panel)
GETTER (EaRiskPanel, risk_panel, risk_panel)
GETTER (EaSignalsPanel, signals_panel, signals_panel)
GETTER (EaKellyPanel, kelly_panel, kelly_panel)
GETTER (EaSystemStatus, system_status, system_status)
GETTER (GtkWidget, chart_slot, chart_slot)

/**
 * ea_dashboard_get_account_selector:
 *
 * Returns: (transfer none): the "All accounts"/one account drop-down, for
 * a header bar to take.
 */
GtkWidget *
ea_dashboard_get_account_selector (EaDashboard *self)
{
  g_return_val_if_fail (EA_IS_DASHBOARD (self), NULL);
  return self->account_dropdown;
}

/**
 * ea_dashboard_get_live_dialog:
 *
 * Returns: (transfer none) (nullable): the open LIVE order confirmation.
 */
EaConfirmDialog *
ea_dashboard_get_live_dialog (EaDashboard *self)
{
  g_return_val_if_fail (EA_IS_DASHBOARD (self), NULL);
  return self->live_dialog;
}

EaAccountCard *
ea_dashboard_get_card (EaDashboard *self,
                       const char  *account)
{
  g_return_val_if_fail (EA_IS_DASHBOARD (self), NULL);

  for (int i = 0; ; i++)
    {
      GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (GTK_FLOW_BOX (self->card_grid), i);
      GtkWidget *card;

      if (child == NULL)
        return NULL;
      card = gtk_flow_box_child_get_child (child);
      if (EA_IS_ACCOUNT_CARD (card) &&
          g_strcmp0 (ea_account_get_name (ea_account_card_get_account (EA_ACCOUNT_CARD (card))), account) == 0)
        return EA_ACCOUNT_CARD (card);
    }
}

void
ea_dashboard_show_list (EaDashboard *self,
                        const char  *page)
{
  g_return_if_fail (EA_IS_DASHBOARD (self));

  gtk_stack_set_visible_child_name (GTK_STACK (self->lists_stack), page);
}
