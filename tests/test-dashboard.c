/* test-dashboard.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The trading dashboard in a real window in Demo mode: quotes reach the
 * ticket, a market buy fills and shows in the list and on the card, its
 * P&L moves with the market, Flatten on the row closes it, a denied
 * order is not sent, every control is reachable with Tab and named, and
 * a screenshot is saved.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-application.h"
#include "ea-chart.h"
#include "ea-chart-view-private.h"
#include "ea-columns.h"
#include "ea-session.h"
#include "ea-sim-broker.h"
#include "ea-test-gtk-utils.h"
#include "ea-window.h"
#include "ea-test-clock.h"

#define ACCOUNT EA_SIM_BROKER_DEFAULT_ACCOUNT

static EaApplication *app;

static EaWindow *
ensure_window (void)
{
  GtkWindow *window;

  if (app == NULL)
    {
      g_autoptr(GError) error = NULL;

      app = ea_application_new ();
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
      g_application_hold (G_APPLICATION (app));
    }

  window = ea_application_get_main_window (app);
  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (app));
      window = ea_application_get_main_window (app);
      gtk_window_set_default_size (window, 1440, 900);
    }

  g_assert_true (EA_IS_WINDOW (window));
  return EA_WINDOW (window);
}

static EaDashboard *
dashboard (void)
{
  return ea_window_get_dashboard (ensure_window ());
}

static EaSimBroker *
demo_broker (void)
{
  EaBroker *broker = ea_application_get_demo_broker (app);

  g_assert_true (EA_IS_SIM_BROKER (broker));
  return EA_SIM_BROKER (broker);
}

/* Moves the Demo market on by @seconds, one tick of 100 ms at a time. */
static void
advance_market (guint seconds)
{
  EaSimBroker *sim = demo_broker ();

  ea_sim_broker_set_realtime (sim, FALSE);
  for (guint i = 0; i < seconds * 10; i++)
    ea_sim_broker_advance (sim, G_USEC_PER_SEC / 10);
  ea_test_iterate (50);
}

static gboolean
account_ready (gpointer user_data)
{
  EaDashboard *d = user_data;
  EaOrderTicket *ticket = ea_dashboard_get_order_ticket (d);

  return ea_dashboard_get_card (d, ACCOUNT) != NULL &&
         g_strcmp0 (ea_order_ticket_get_account (ticket), ACCOUNT) == 0 &&
         strcmp (ea_order_ticket_get_bid_text (ticket), "—") != 0;
}

static void
ensure_ready (void)
{
  EaDashboard *d = dashboard ();

  gtk_window_present (GTK_WINDOW (ensure_window ()));
  g_assert_true (ea_test_wait_until (account_ready, d, 10000));
  if (ea_desk_get_halted (ea_dashboard_get_desk (d)))
    g_assert_true (ea_desk_reset_emergency_stop (ea_dashboard_get_desk (d), NULL, NULL));
}

static GtkWidget *
find_button_by_tooltip (GtkWidget  *root,
                        const char *tooltip)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && g_strcmp0 (gtk_widget_get_tooltip_text (child), tooltip) == 0)
        return child;
      found = find_button_by_tooltip (child, tooltip);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Once seen, a change stays seen: the market may move back. */
typedef struct
{
  char     *old;
  char     *old2;
  gboolean  seen;
} TextChange;

static gboolean
ticket_quote_changed (gpointer user_data)
{
  TextChange *c = user_data;
  EaOrderTicket *ticket = ea_dashboard_get_order_ticket (dashboard ());

  if (c->seen)
    return TRUE;
  advance_market (1);
  c->seen = g_strcmp0 (ea_order_ticket_get_bid_text (ticket), c->old) != 0 ||
            g_strcmp0 (ea_order_ticket_get_ask_text (ticket), c->old2) != 0;
  return c->seen;
}

static gboolean
n_items_is (GListModel *model, guint n)
{
  return g_list_model_get_n_items (model) == n;
}

static gboolean
one_position (gpointer user_data)
{
  return n_items_is (ea_positions_view_get_shown (EA_POSITIONS_VIEW (user_data)), 1);
}

static gboolean
no_position (gpointer user_data)
{
  return n_items_is (ea_positions_view_get_shown (EA_POSITIONS_VIEW (user_data)), 0);
}

static gboolean
two_fills (gpointer user_data)
{
  return n_items_is (ea_fills_view_get_shown (EA_FILLS_VIEW (user_data)), 2);
}

static gboolean
card_open_changed (gpointer user_data)
{
  TextChange *c = user_data;
  EaAccountCard *card = ea_dashboard_get_card (dashboard (), ACCOUNT);

  if (c->seen)
    return TRUE;
  advance_market (1);
  c->seen = g_strcmp0 (ea_account_card_get_open_text (card), c->old) != 0;
  return c->seen;
}

/* Demo trades at any hour: the practice market starts inside a session
 * and the desk judges the firm's time rules by its clock. */
static void
test_demo_clock (void)
{
  EaDesk *desk;
  EaTimeUs start;

  ensure_ready ();
  desk = ea_dashboard_get_desk (dashboard ());
  start = ea_desk_get_time (desk);
  g_assert_cmpint (start, ==, ea_sim_broker_get_time (demo_broker ()));
  g_assert_true (ea_session_is_open_us (start));
  g_assert_cmpint (start, <=, g_get_real_time ());
  /* The ticket reads the market's hours on the same clock. */
  g_assert_true (g_str_has_prefix (ea_order_ticket_get_market_text (ea_dashboard_get_order_ticket (dashboard ())),
                                   "Market open"));
  /* …and names the feed that quotes its instrument. */
  g_assert_true (g_str_has_suffix (ea_order_ticket_get_market_text (ea_dashboard_get_order_ticket (dashboard ())),
                                   " · quotes from Demo"));

  advance_market (60);
  g_assert_cmpint (ea_desk_get_time (desk), >=, start + 60 * G_USEC_PER_SEC);
  g_assert_cmpint (ea_desk_get_time (desk), ==, ea_sim_broker_get_time (demo_broker ()));
}

/* A pill names the broker, its state and the round trip. */
static void
test_connection_pill (void)
{
  g_autoptr(EaSimBroker) offline = ea_sim_broker_new (3, g_get_real_time ());
  GtkWidget *pill;
  GtkWidget *pill2;

  ensure_ready ();
  pill = g_object_ref_sink (ea_dashboard_new_connection_pill (EA_BROKER (demo_broker ())));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (pill)), ==, "● Demo · <1 ms");
  g_assert_true (gtk_widget_has_css_class (pill, "connected"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (pill), "round trip <1 ms"));

  /* Not connected: no latency to show. */
  pill2 = g_object_ref_sink (ea_dashboard_new_connection_pill (EA_BROKER (offline)));
  g_assert_cmpint (ea_broker_get_latency_us (EA_BROKER (offline)), ==, -1);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (pill2)), ==, "● Demo");
  g_assert_true (gtk_widget_has_css_class (pill2, "disconnected"));

  g_object_unref (pill);
  g_object_unref (pill2);
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static gboolean
refreshed_twice (gpointer user_data)
{
  return *(guint *) user_data >= 2;
}

/* The reason of the last state change stays in the pill's tooltip
 * through its once-a-second refreshes (each refresh passes the stored
 * reason back, which must outlive being replaced). */
static void
test_connection_pill_reason (void)
{
  g_autoptr(EaSimBroker) offline = ea_sim_broker_new (3, g_get_real_time ());
  GtkWidget *pill;
  guint updates = 0;

  ensure_ready ();
  pill = g_object_ref_sink (ea_dashboard_new_connection_pill (EA_BROKER (offline)));
  ea_broker_emit_connection_state (EA_BROKER (offline), EA_CONNECTION_STATE_DISCONNECTED,
                                   "cable pulled at the exchange");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (pill), ==, "Demo: disconnected — cable pulled at the exchange");

  /* Each refresh sets the state's style class again. */
  g_signal_connect (pill, "notify::css-classes", G_CALLBACK (count_cb), &updates);
  g_assert_true (ea_test_wait_until (refreshed_twice, &updates, 10000));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (pill), ==, "Demo: disconnected — cable pulled at the exchange");
  g_assert_true (gtk_widget_has_css_class (pill, "disconnected"));

  g_signal_handlers_disconnect_by_data (pill, &updates);
  g_object_unref (pill);
}

static void
type_symbol (EaOrderTicket *ticket,
             const char    *text)
{
  GtkWidget *entry = ea_order_ticket_get_symbol_entry (ticket);

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
  ea_test_iterate (20);
}

/* The ticket trades the contract the trader types: the front month is the
 * root every feed quotes, another month stays exact, a wrong one is
 * refused and changes nothing. */
static void
test_contract_symbol (void)
{
  EaOrderTicket *ticket;
  GtkWidget *entry;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *front_text = NULL;
  g_autofree char *next_text = NULL;
  g_autofree char *lower = NULL;
  EaContract front, next;

  ensure_ready ();
  ticket = ea_dashboard_get_order_ticket (dashboard ());
  entry = ea_order_ticket_get_symbol_entry (ticket);
  g_assert_true (ea_contract_front (ea_instrument_lookup ("ES"), ea_session_trading_day (now), &front));
  ea_contract_next (&front, &next);
  front_text = ea_contract_format (&front, EA_SYMBOLOGY_TRADOVATE);
  next_text = ea_contract_format (&next, EA_SYMBOLOGY_TRADOVATE);
  lower = g_ascii_strdown (front_text, -1);

  g_assert_true (ea_order_ticket_set_symbol (ticket, "NQ"));
  g_assert_true (ea_order_ticket_set_symbol (ticket, "ES"));
  /* The entry names the contract a root trades. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, front_text);

  type_symbol (ticket, "NQ");
  g_assert_cmpstr (ea_order_ticket_get_symbol (ticket), ==, "NQ");
  type_symbol (ticket, lower);
  g_assert_cmpstr (ea_order_ticket_get_symbol (ticket), ==, "ES");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, front_text);
  g_assert_cmpstr (ea_order_ticket_get_bid_text (ticket), !=, "—");

  /* The next month stays exact; the Demo market quotes only the front, so
   * there is no price and nothing can be sent. */
  type_symbol (ticket, next_text);
  g_assert_cmpstr (ea_order_ticket_get_symbol (ticket), ==, next_text);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, next_text);
  g_assert_false (ea_order_ticket_recheck (ticket));
  g_assert_false (gtk_widget_get_sensitive (ea_order_ticket_get_send_button (ticket)));

  /* A wrong symbol: said so, and the ticket keeps what it had. */
  type_symbol (ticket, "XYZZ6");
  g_assert_cmpstr (ea_order_ticket_get_symbol (ticket), ==, next_text);
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_true (g_str_has_prefix (ea_order_ticket_get_check_text (ticket), "Unknown symbol “XYZZ6”"));
  g_assert_false (gtk_widget_get_sensitive (ea_order_ticket_get_send_button (ticket)));

  type_symbol (ticket, " ES ");
  g_assert_cmpstr (ea_order_ticket_get_symbol (ticket), ==, "ES");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
}

static double
fixed_atr (const char  *symbol,
           const char **source,
           gpointer     user_data)
{
  *source = "test ATR";
  return 10.0;
}

static double
restore_atr (const char  *symbol,
             const char **source,
             gpointer     user_data)
{
  *source = "desk";
  return ea_desk_get_erm_atr (EA_DESK (user_data), symbol, NULL);
}

static void
test_trade_round_trip (void)
{
  EaDashboard *d;
  EaOrderTicket *ticket;
  EaPositionsView *positions;
  EaFillsView *fills;
  EaAccountCard *card;
  GtkWidget *flatten;
  EaPosition *position;
  g_autofree char *bid = NULL;
  g_autofree char *ask = NULL;
  TextChange change;

  ensure_ready ();
  d = dashboard ();
  ticket = ea_dashboard_get_order_ticket (d);
  positions = ea_dashboard_get_positions_view (d);
  fills = ea_dashboard_get_fills_view (d);

  /* Quotes reach the ticket, once per frame. */
  g_assert_true (ea_order_ticket_set_symbol (ticket, "ES"));
  ea_test_iterate (50);
  bid = g_strdup (ea_order_ticket_get_bid_text (ticket));
  ask = g_strdup (ea_order_ticket_get_ask_text (ticket));
  g_assert_cmpstr (bid, !=, "—");
  g_assert_nonnull (strchr (bid, '.'));   /* ES: "6800.25" */
  change.old = bid;
  change.old2 = ask;
  change.seen = FALSE;
  g_assert_true (ea_test_wait_until (ticket_quote_changed, &change, 20000));

  /* A market buy of 1 with a bracket fills. */
  g_assert_cmpuint (g_list_model_get_n_items (ea_fills_view_get_shown (fills)), ==, 0);
  ea_order_ticket_set_side (ticket, EA_SIDE_BUY);
  ea_order_ticket_set_order_type (ticket, EA_ORDER_TYPE_MARKET);
  ea_order_ticket_set_quantity (ticket, 1);
  ea_order_ticket_set_bracket (ticket, TRUE);
  g_assert_true (ea_order_ticket_recheck (ticket));
  g_assert_true (g_str_has_prefix (ea_order_ticket_get_check_text (ticket), "✓"));
  g_assert_true (gtk_widget_get_sensitive (ea_order_ticket_get_send_button (ticket)));
  gtk_widget_activate (ea_order_ticket_get_send_button (ticket));

  g_assert_true (ea_test_wait_until (one_position, positions, 10000));
  position = g_list_model_get_item (ea_positions_view_get_shown (positions), 0);
  g_assert_cmpstr (ea_position_get_symbol (position), ==, "ES");
  g_assert_cmpint (ea_position_get_qty (position), ==, 1);
  g_object_unref (position);

  /* On the card too. */
  card = ea_dashboard_get_card (d, ACCOUNT);
  g_assert_nonnull (card);
  g_assert_cmpstr (ea_account_card_get_side_text (card), ==, "LONG");
  g_assert_true (g_str_has_prefix (ea_account_card_get_position_text (card), "+1 ES @ "));

  /* The risk panel names the account's firm profile and when its rules
   * were read (the Demo account trades Apex legacy 50K). */
  {
    const char *text = ea_risk_panel_get_profile_text (ea_dashboard_get_risk_panel (d));

    g_test_message ("%s", text);
    g_assert_nonnull (strstr (text, "Apex Trader Funding"));
    g_assert_nonnull (strstr (text, "rules as read on 2026-06-15"));
    g_assert_nonnull (strstr (text, "Verify with your firm"));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (ea_dashboard_get_risk_panel (d))));
    /* The card's profile says the same on hover. */
    g_assert_cmpstr (ea_account_card_get_profile_source (card), ==, text);
  }

  /* The bracket's stop and target are working. */
  g_assert_cmpuint (g_list_model_get_n_items (ea_orders_view_get_shown (ea_dashboard_get_orders_view (d))), ==, 2);

  /* P&L follows the market. */
  change.old = g_strdup (ea_account_card_get_open_text (card));
  change.seen = FALSE;
  g_assert_true (ea_test_wait_until (card_open_changed, &change, 30000));
  g_free (change.old);

  /* Flatten from the row's own button. */
  ea_dashboard_show_list (d, "positions");
  ea_test_iterate (100);
  flatten = find_button_by_tooltip (GTK_WIDGET (positions), "Flatten ES on " ACCOUNT);
  if (flatten == NULL)
    {
      GtkWidget *cv = GTK_WIDGET (ea_positions_view_get_column_view (positions));
      g_test_message ("cv mapped %d w %d h %d", gtk_widget_get_mapped (cv), gtk_widget_get_width (cv), gtk_widget_get_height (cv));
    }
  g_assert_nonnull (flatten);
  gtk_widget_activate (flatten);
  g_assert_true (ea_test_wait_until (no_position, positions, 10000));
  g_assert_true (ea_test_wait_until (two_fills, fills, 10000));
  g_assert_cmpstr (ea_account_card_get_side_text (card), ==, "FLAT");
  /* The bracket went with it. */
  g_assert_cmpuint (g_list_model_get_n_items (ea_orders_view_get_shown (ea_dashboard_get_orders_view (d))), ==, 0);

  /* The Kelly panel counts the round trip. */
  {
    EaStatsSummary summary;
    EaKellyResult result;
    gint64 contracts;

    g_assert_true (ea_kelly_panel_get_row (ea_dashboard_get_kelly_panel (d), "ES",
                                           &summary, &result, &contracts));
    g_assert_cmpuint (summary.n_trades, ==, 1);
    g_assert_true (result.fallback);   /* fewer than 20 trades: 1 % × 0.7 */
    g_assert_cmpfloat_with_epsilon (result.fraction, 0.007, 1e-9);
    g_assert_cmpint (contracts, >=, 1);
  }

  /* The card names the instrument its account traded. */
  ea_test_iterate (50);
  g_assert_nonnull (strstr (ea_account_card_get_instruments_text (card), "ES"));

  /* The ticket sizes with the Kelly panel's settings and the account's
   * own trades: one trade is a small sample at the default minimum of 20,
   * not once the minimum is 1. */
  {
    EaKellyPanel *panel = ea_dashboard_get_kelly_panel (d);
    EaKellyParams params, saved;

    ea_order_ticket_set_quantity (ticket, 1);
    ea_order_ticket_recheck (ticket);
    g_assert_nonnull (strstr (ea_order_ticket_get_kelly_text (ticket), "small sample"));
    g_assert_null (strchr (ea_order_ticket_get_kelly_text (ticket), '_'));
    ea_kelly_panel_get_params (panel, &saved);
    params = saved;
    params.min_sample = 1;
    ea_kelly_panel_set_params (panel, &params);
    g_assert_null (strstr (ea_order_ticket_get_kelly_text (ticket), "small sample"));
    g_assert_null (strchr (ea_order_ticket_get_kelly_text (ticket), '_'));
    ea_kelly_panel_set_params (panel, &saved);
    g_assert_nonnull (strstr (ea_order_ticket_get_kelly_text (ticket), "small sample"));
  }

  /* "From ATR" takes the desk's ATR for the instrument: 1.5× and 2×. */
  {
    double atr = ea_desk_get_erm_atr (ea_dashboard_get_desk (d), "ES", NULL);
    EaTicks stop, target, want_stop, want_target;

    g_assert_true (ea_kelly_stop_target (atr, &want_stop, &want_target));
    ea_order_ticket_set_bracket (ticket, TRUE);
    g_assert_true (gtk_widget_is_sensitive (ea_order_ticket_get_atr_button (ticket)));
    g_signal_emit_by_name (ea_order_ticket_get_atr_button (ticket), "clicked");
    ea_order_ticket_get_bracket (ticket, &stop, &target);
    g_assert_cmpint (stop, ==, want_stop);
    g_assert_cmpint (target, ==, want_target);

    ea_order_ticket_set_atr_func (ticket, fixed_atr, NULL);
    g_signal_emit_by_name (ea_order_ticket_get_atr_button (ticket), "clicked");
    ea_order_ticket_get_bracket (ticket, &stop, &target);
    g_assert_cmpint (stop, ==, 15);
    g_assert_cmpint (target, ==, 20);
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (ea_order_ticket_get_atr_button (ticket)),
                              "test ATR"));
    ea_order_ticket_set_atr_func (ticket, restore_atr, ea_dashboard_get_desk (d));
  }

  {
    g_autoptr(EaFill) first = g_list_model_get_item (ea_fills_view_get_shown (fills), 0);
    g_autoptr(EaFill) second = g_list_model_get_item (ea_fills_view_get_shown (fills), 1);

    g_assert_cmpint (ea_fill_get_side (first) + ea_fill_get_side (second), ==, 0);
    g_assert_cmpint (ea_fill_get_qty (first), ==, 1);
    g_assert_cmpint (ea_fill_get_qty (second), ==, 1);
  }
}

static void
test_denied_not_sent (void)
{
  EaDashboard *d;
  EaOrderTicket *ticket;
  EaTradingStore *store;
  guint n_orders;
  const char *text;

  ensure_ready ();
  d = dashboard ();
  ticket = ea_dashboard_get_order_ticket (d);
  store = ea_desk_get_store (ea_dashboard_get_desk (d));
  n_orders = g_list_model_get_n_items (ea_trading_store_get_orders (store));

  /* 40 ES is far over the profile's contracts. */
  g_assert_true (ea_order_ticket_set_symbol (ticket, "ES"));
  ea_order_ticket_set_order_type (ticket, EA_ORDER_TYPE_MARKET);
  ea_order_ticket_set_quantity (ticket, 40);
  g_assert_false (ea_order_ticket_recheck (ticket));
  text = ea_order_ticket_get_check_text (ticket);
  g_test_message ("Denial: %s", text);
  /* The reason and the numbers behind it. */
  g_assert_true (g_str_has_prefix (text, "Denied"));
  g_assert_nonnull (strpbrk (text, "0123456789"));
  g_assert_false (gtk_widget_get_sensitive (ea_order_ticket_get_send_button (ticket)));

  /* Even a forced send goes nowhere. */
  ea_order_ticket_send (ticket);
  ea_test_iterate (200);
  g_assert_cmpuint (g_list_model_get_n_items (ea_trading_store_get_orders (store)), ==, n_orders);

  /* The Kelly size is within what the check allows. */
  g_assert_cmpint (ea_order_ticket_get_kelly_size (ticket), <=, 40);
  ea_order_ticket_set_quantity (ticket, 1);
  g_assert_true (ea_order_ticket_recheck (ticket));
}

static gboolean
is_control (GtkWidget *w)
{
  return GTK_IS_BUTTON (w) || GTK_IS_MENU_BUTTON (w) || GTK_IS_SWITCH (w) ||
         GTK_IS_DROP_DOWN (w) || GTK_IS_ENTRY (w) || GTK_IS_SPIN_BUTTON (w) ||
         GTK_IS_CHECK_BUTTON (w) || GTK_IS_COLUMN_VIEW (w) || GTK_IS_LIST_VIEW (w);
}

static gboolean
inside_list (GtkWidget *w)
{
  for (GtkWidget *p = gtk_widget_get_parent (w); p != NULL; p = gtk_widget_get_parent (p))
    if (GTK_IS_COLUMN_VIEW (p) || GTK_IS_LIST_VIEW (p) || GTK_IS_DROP_DOWN (p) ||
        GTK_IS_SPIN_BUTTON (p) || GTK_IS_MENU_BUTTON (p) ||
        GTK_IS_WINDOW_CONTROLS (p))   /* the window manager's own buttons */
      return TRUE;
  return FALSE;
}

static void
collect_controls (GtkWidget *root,
                  GPtrArray *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_mapped (child))
        continue;
      if (is_control (child) && !inside_list (child) &&
          gtk_widget_is_sensitive (child))
        g_ptr_array_add (out, child);
      collect_controls (child, out);
    }
}

static gboolean
has_name (GtkWidget *w)
{
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return TRUE;
  if (GTK_IS_BUTTON (w) && gtk_button_get_label (GTK_BUTTON (w)) != NULL &&
      *gtk_button_get_label (GTK_BUTTON (w)) != '\0')
    return TRUE;
  if (GTK_IS_CHECK_BUTTON (w) && gtk_check_button_get_label (GTK_CHECK_BUTTON (w)) != NULL)
    return TRUE;
  if (GTK_IS_MENU_BUTTON (w) && gtk_menu_button_get_label (GTK_MENU_BUTTON (w)) != NULL)
    return TRUE;
  /* A button whose child is a label, or a box holding one. */
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_LABEL (c) && *gtk_label_get_text (GTK_LABEL (c)) != '\0')
        return TRUE;
      for (GtkWidget *cc = gtk_widget_get_first_child (c); cc != NULL; cc = gtk_widget_get_next_sibling (cc))
        if (GTK_IS_LABEL (cc) && *gtk_label_get_text (GTK_LABEL (cc)) != '\0')
          return TRUE;
    }
  return FALSE;
}

static const char *
describe (GtkWidget *w)
{
  const char *name = gtk_widget_get_tooltip_text (w);
  GtkWidget *parent = gtk_widget_get_parent (w);

  if (name == NULL && GTK_IS_BUTTON (w))
    name = gtk_button_get_label (GTK_BUTTON (w));
  if (name == NULL && parent != NULL)
    return G_OBJECT_TYPE_NAME (parent);
  return name ? name : G_OBJECT_TYPE_NAME (w);
}

static void
check_names_and_tab (EaWindow   *window,
                     const char *where)
{
  g_autoptr(GPtrArray) controls = g_ptr_array_new ();
  g_autoptr(GHashTable) reached = g_hash_table_new (NULL, NULL);
  GtkWidget *first = NULL;

  ea_test_iterate (100);
  g_test_message ("checking %s", where);
  collect_controls (GTK_WIDGET (window), controls);
  g_assert_cmpuint (controls->len, >, 20);

  /* Every control is named for assistive technologies. */
  for (guint i = 0; i < controls->len; i++)
    {
      GtkWidget *w = g_ptr_array_index (controls, i);

      if (GTK_IS_BUTTON (w) || GTK_IS_MENU_BUTTON (w) || GTK_IS_SWITCH (w) ||
          GTK_IS_DROP_DOWN (w) || GTK_IS_ENTRY (w) || GTK_IS_SPIN_BUTTON (w))
        if (!has_name (w))
          g_error ("%s: control without an accessible name: %s (%s)", where, describe (w),
                   G_OBJECT_TYPE_NAME (w));
    }

  /* Tab walks the whole window from the top to the end; collect where
   * focus lands. */
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  for (guint i = 0; i < 2000; i++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
        break;
      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (g_getenv ("EA_DEBUG_FOCUS"))
        g_printerr ("focus %s %s\n", focus ? G_OBJECT_TYPE_NAME (focus) : "-", focus ? describe (focus) : "");
      if (focus == NULL || focus == first)
        break;
      if (first == NULL)
        first = focus;
      for (GtkWidget *p = focus; p != NULL; p = gtk_widget_get_parent (p))
        g_hash_table_add (reached, p);
    }

  for (guint i = 0; i < controls->len; i++)
    {
      GtkWidget *w = g_ptr_array_index (controls, i);

      if (!gtk_widget_get_focusable (w) && !GTK_IS_DROP_DOWN (w) && !GTK_IS_MENU_BUTTON (w) &&
          !GTK_IS_COLUMN_VIEW (w) && !GTK_IS_LIST_VIEW (w) && !GTK_IS_SPIN_BUTTON (w) &&
          !GTK_IS_ENTRY (w))
        continue;
      if (!g_hash_table_contains (reached, w))
        g_error ("%s: Tab never reaches %s (%s)", where, describe (w), G_OBJECT_TYPE_NAME (w));
    }
}

static GtkWidget *
find_widget (GtkWidget *root,
             gboolean (*match) (GtkWidget *w))
{
  if (match (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_widget (c, match);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_stack_switcher (GtkWidget *w)
{
  return GTK_IS_STACK_SWITCHER (w);
}

static gboolean
is_manual_toggle (GtkWidget *w)
{
  return GTK_IS_TOGGLE_BUTTON (w) && gtk_button_get_label (GTK_BUTTON (w)) != NULL &&
         strstr (gtk_button_get_label (GTK_BUTTON (w)), "Manual") != NULL;
}

/* Every tab of the lists, and the manual signal form: each control has a
 * name and Tab reaches it. */
static void
test_keyboard_and_names (void)
{
  EaWindow *window;
  GtkWidget *switcher;
  GtkStack *stack;
  g_autoptr(GtkSelectionModel) pages = NULL;
  GtkWidget *manual;
  GtkWidget *shown;

  ensure_ready ();
  window = ensure_window ();
  ea_test_iterate (200);

  switcher = find_widget (GTK_WIDGET (window), is_stack_switcher);
  g_assert_nonnull (switcher);
  stack = gtk_stack_switcher_get_stack (GTK_STACK_SWITCHER (switcher));
  shown = gtk_stack_get_visible_child (stack);
  pages = gtk_stack_get_pages (stack);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pages)), >=, 5);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (pages), i);
      GtkStackPage *page = GTK_STACK_PAGE (item);

      gtk_stack_set_visible_child (stack, gtk_stack_page_get_child (page));
      check_names_and_tab (window, gtk_stack_page_get_title (page));
    }
  gtk_stack_set_visible_child (stack, shown);

  manual = find_widget (GTK_WIDGET (window), is_manual_toggle);
  g_assert_nonnull (manual);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (manual), TRUE);
  check_names_and_tab (window, "manual signal form");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (manual), FALSE);
}

/* 10,000 quotes arrive before the next frame: the window draws once,
 * with the latest values. */
static void
test_quote_burst (void)
{
  EaDashboard *d;
  EaOrderTicket *ticket;
  EaSystemStatus *status;
  EaBroker *broker;
  EaQuote *quote;
  EaQuoteData q = { 0 };
  guint64 before;
  EaTicks base;
  gint64 start, elapsed;
  g_autofree char *expected_bid = NULL;

  ensure_ready ();
  d = dashboard ();
  ticket = ea_dashboard_get_order_ticket (d);
  status = ea_dashboard_get_system_status (d);
  broker = ea_application_get_demo_broker (app);
  ea_sim_broker_set_realtime (EA_SIM_BROKER (broker), FALSE);
  g_assert_true (ea_order_ticket_set_symbol (ticket, "ES"));
  /* Flat first: the burst stays around the current price. */
  ea_desk_flatten_async (ea_dashboard_get_desk (d), NULL, NULL, NULL, NULL, NULL);
  g_assert_true (ea_test_wait_until (no_position, ea_dashboard_get_positions_view (d), 10000));
  ea_test_iterate (50);
  quote = ea_trading_store_lookup_quote (ea_desk_get_store (ea_dashboard_get_desk (d)), "ES");
  g_assert_nonnull (quote);
  base = ea_quote_get_bid (quote);
  before = ea_system_status_get_n_quotes (status);

  q.symbol = "ES";
  q.time = ea_quote_get_time (quote);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 10000; i++)
    {
      q.time += 100;
      q.bid = base + (EaTicks) (i % 5) - 2;
      q.ask = q.bid + 1;
      q.last = q.bid;
      q.bid_size = q.ask_size = 10;
      q.last_size = 1;
      q.volume = i;
      ea_broker_emit_quote (broker, &q);
    }
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("10,000 quotes through the desk into the model: %.1f ms", elapsed / 1000.0);

  /* Nothing was drawn in between; one frame later the ticket shows the last. */
  ea_test_iterate (100);
  expected_bid = ea_format_price ("ES", q.bid);
  g_assert_cmpstr (ea_order_ticket_get_bid_text (ticket), ==, expected_bid);
  g_assert_cmpuint (ea_system_status_get_n_quotes (status), ==, before + 10000);

  ea_dashboard_show_list (d, "system");
  ea_test_iterate (50);
  ea_system_status_update (status);
  g_assert_true (strstr (ea_system_status_get_rate_text (status), "quotes/s") != NULL);
  g_assert_true (strstr (ea_system_status_get_memory_text (status), "resident") != NULL);
  ea_dashboard_show_list (d, "positions");
}

static EaChart *
find_chart (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      EaChart *found;

      if (EA_IS_CHART (child))
        return EA_CHART (child);
      found = find_chart (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
chart_has_bars (gpointer user_data)
{
  return ea_chart_view_get_n_bars (user_data) > 0;
}

typedef struct
{
  EaChartView *view;
  gsize        n_bars;
  EaTimeUs     last_start;
} ChartProgress;

/* The Demo market moves on; true once the chart holds a bar that starts
 * after the last one it had. */
static gboolean
chart_bar_appeared (gpointer user_data)
{
  ChartProgress *p = user_data;
  gsize n;

  advance_market (5);
  n = ea_chart_view_get_n_bars (p->view);
  return n > p->n_bars && ea_chart_view_get_bar (p->view, n - 1)->start > p->last_start;
}

static gboolean
chart_has_position (gpointer user_data)
{
  EaChartView *view = user_data;
  gsize n = 0;

  ea_chart_view_get_orders (view, &n);
  return view->has_position && view->has_floor && n == 2;
}

static gboolean
chart_flat (gpointer user_data)
{
  EaChartView *view = user_data;

  return !view->has_position && !view->has_floor;
}

/* The dashboard's main chart in Demo: history, then bars that follow the
 * practice market as its prints arrive, then the overlays of a bracketed
 * position opened from the ticket: its average price, the bracket's stop
 * and target and the price at which the account reaches its floor. */
static void
test_main_chart (void)
{
  EaDashboard *d;
  EaOrderTicket *ticket;
  EaDesk *desk;
  EaChart *chart;
  EaChartView *view;
  EaPosition *position;
  GListModel *orders;
  ChartProgress progress;
  EaTimeUs now;
  const EaBar *last;
  guint frames;
  gsize n = 0;
  gboolean seen_stop = FALSE, seen_target = FALSE;
  const EaChartOrder *lines;

  ensure_ready ();
  d = dashboard ();
  desk = ea_dashboard_get_desk (d);
  ticket = ea_dashboard_get_order_ticket (d);
  ea_desk_flatten_async (desk, NULL, NULL, NULL, NULL, NULL);
  g_assert_true (ea_test_wait_until (no_position, ea_dashboard_get_positions_view (d), 10000));
  g_assert_true (ea_order_ticket_set_symbol (ticket, "ES"));

  chart = find_chart (ea_dashboard_get_chart_slot (d));
  g_assert_nonnull (chart);
  view = ea_chart_get_view (chart);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (chart)));
  g_assert_true (ea_test_wait_until (chart_has_bars, view, 10000));
  g_assert_true (ea_chart_view_get_instrument (view) == ea_instrument_lookup ("ES"));

  /* Live: the practice market's prints make new bars, drawn. */
  progress.view = view;
  progress.n_bars = ea_chart_view_get_n_bars (view);
  progress.last_start = ea_chart_view_get_bar (view, progress.n_bars - 1)->start;
  frames = ea_chart_get_n_frames (chart);
  g_assert_true (ea_test_wait_until (chart_bar_appeared, &progress, 60000));
  ea_test_iterate (100);
  g_assert_cmpuint (ea_chart_get_n_frames (chart), >, frames);
  /* The newest bar is the one forming now. */
  now = ea_sim_broker_get_time (demo_broker ());
  last = ea_chart_view_get_bar (view, ea_chart_view_get_n_bars (view) - 1);
  g_assert_cmpint (last->start, <=, now);
  g_assert_cmpint (now - last->start, <, 2 * (last->end - last->start));

  /* A bracketed market buy from the ticket. */
  ea_order_ticket_set_side (ticket, EA_SIDE_BUY);
  ea_order_ticket_set_order_type (ticket, EA_ORDER_TYPE_MARKET);
  ea_order_ticket_set_quantity (ticket, 1);
  ea_order_ticket_set_bracket (ticket, TRUE);
  g_assert_true (ea_order_ticket_recheck (ticket));
  gtk_widget_activate (ea_order_ticket_get_send_button (ticket));
  g_assert_true (ea_test_wait_until (one_position, ea_dashboard_get_positions_view (d), 10000));
  g_assert_true (ea_test_wait_until (chart_has_position, view, 10000));

  position = ea_trading_store_lookup_position (ea_desk_get_store (desk), ACCOUNT, "ES");
  g_assert_nonnull (position);
  g_assert_cmpint (view->position_qty, ==, 1);
  g_assert_cmpint (view->position_price, ==, (EaTicks) llround (ea_position_get_avg_price (position)));
  /* The account dies below a long position's entry. */
  g_assert_cmpint (view->floor_price, <, view->position_price);

  /* The lines are the working stop and target, at their prices. */
  orders = ea_trading_store_get_orders (ea_desk_get_store (desk));
  lines = ea_chart_view_get_orders (view, &n);
  for (gsize i = 0; i < n; i++)
    for (guint k = 0; k < g_list_model_get_n_items (orders); k++)
      {
        g_autoptr(GObject) order = g_list_model_get_item (orders, k);
        g_autofree char *client_id = NULL;
        gint64 limit = 0, stop = 0;

        g_object_get (order, "client-order-id", &client_id, "limit-price", &limit,
                      "stop-price", &stop, NULL);
        if (g_strcmp0 (client_id, lines[i].id) != 0)
          continue;
        if (lines[i].kind == EA_CHART_ORDER_BRACKET_STOP)
          {
            g_assert_cmpint (lines[i].price, ==, stop);
            g_assert_cmpint (stop, <, view->position_price);
            seen_stop = TRUE;
          }
        else if (lines[i].kind == EA_CHART_ORDER_BRACKET_TARGET)
          {
            g_assert_cmpint (lines[i].price, ==, limit);
            g_assert_cmpint (limit, >, view->position_price);
            seen_target = TRUE;
          }
      }
  g_assert_true (seen_stop);
  g_assert_true (seen_target);

  /* Flat again: the position's lines go. */
  ea_desk_flatten_async (desk, NULL, NULL, NULL, NULL, NULL);
  g_assert_true (ea_test_wait_until (no_position, ea_dashboard_get_positions_view (d), 10000));
  g_assert_true (ea_test_wait_until (chart_flat, view, 10000));
}

static gboolean
ticket_has_quote (gpointer user_data)
{
  EaDashboard *d = user_data;

  return g_strcmp0 (ea_order_ticket_get_account (ea_dashboard_get_order_ticket (d)), ACCOUNT) == 0 &&
         strcmp (ea_order_ticket_get_bid_text (ea_dashboard_get_order_ticket (d)), "—") != 0;
}

static gboolean
connected_cb_done (gpointer user_data)
{
  return *(gboolean *) user_data;
}

static void
connect_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_assert_true (ea_broker_connect_finish (EA_BROKER (source), result, NULL));
  *(gboolean *) user_data = TRUE;
}

/* In LIVE mode a ticket order waits for an explicit confirmation; turned
 * off for the session, it goes at once. */
static void
test_live_confirmation (void)
{
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_LIVE);
  g_autoptr(EaSimBroker) sim = ea_sim_broker_new (11, g_get_real_time ());
  EaSimExchange *ex = ea_sim_broker_get_exchange (sim);
  GtkWidget *window = gtk_window_new ();
  EaDashboard *d;
  EaOrderTicket *ticket;
  EaConfirmDialog *dialog;
  GListModel *orders;
  gboolean connected = FALSE;

  ea_test_desk_in_session (desk);
  ea_sim_exchange_set_generator_enabled (ex, FALSE);
  ea_sim_exchange_set_always_open (ex, TRUE);
  ea_sim_exchange_push_quote (ex, "ES", 27200, 27201, 50, 50, NULL);
  ea_sim_exchange_push_trade (ex, "ES", 27200, 1, NULL);
  ea_desk_watch_symbol (desk, "ES");
  ea_desk_add_broker (desk, EA_BROKER (sim));

  d = EA_DASHBOARD (ea_dashboard_new (desk));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (d));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  ea_broker_connect_async (EA_BROKER (sim), NULL, connect_done, &connected);
  g_assert_true (ea_test_wait_until (connected_cb_done, &connected, 5000));
  g_assert_true (ea_test_wait_until (ticket_has_quote, d, 5000));

  ticket = ea_dashboard_get_order_ticket (d);
  orders = ea_trading_store_get_orders (ea_desk_get_store (desk));
  g_assert_true (ea_order_ticket_get_confirm_live (ticket));
  ea_order_ticket_set_symbol (ticket, "ES");
  ea_order_ticket_set_order_type (ticket, EA_ORDER_TYPE_MARKET);
  ea_order_ticket_set_quantity (ticket, 1);
  ea_order_ticket_set_bracket (ticket, TRUE);
  g_assert_true (ea_order_ticket_recheck (ticket));

  /* Asked first; declining sends nothing. */
  ea_order_ticket_send (ticket);
  dialog = ea_dashboard_get_live_dialog (d);
  g_assert_nonnull (dialog);
  ea_test_iterate (100);
  g_assert_cmpuint (g_list_model_get_n_items (orders), ==, 0);
  ea_confirm_dialog_respond (dialog, FALSE);
  ea_test_iterate (100);
  g_assert_null (ea_dashboard_get_live_dialog (d));
  g_assert_cmpuint (g_list_model_get_n_items (orders), ==, 0);

  /* Confirmed, it goes. */
  ea_order_ticket_send (ticket);
  dialog = ea_dashboard_get_live_dialog (d);
  g_assert_nonnull (dialog);
  ea_confirm_dialog_respond (dialog, TRUE);
  g_assert_true (ea_test_wait_until (one_position, ea_dashboard_get_positions_view (d), 5000));

  /* Turned off for the session: no question. */
  ea_dashboard_set_confirm_live (d, FALSE);
  ea_order_ticket_send (ticket);
  g_assert_null (ea_dashboard_get_live_dialog (d));

  gtk_window_destroy (GTK_WINDOW (window));
  ea_test_iterate (50);
}

static gboolean
position_is_short (gpointer user_data)
{
  GListModel *shown = ea_positions_view_get_shown (EA_POSITIONS_VIEW (user_data));
  g_autoptr(EaPosition) p = NULL;

  if (g_list_model_get_n_items (shown) != 1)
    return FALSE;
  p = g_list_model_get_item (shown, 0);
  return ea_position_get_qty (p) == -1;
}

/* A dashboard in a window on a Demo desk whose ES market is 27200 / 27201,
 * with a long of one ES and the positions list shown. */
static EaDashboard *
dashboard_with_long (EaDesk      *desk,
                     EaSimBroker *sim,
                     GtkWidget   *window)
{
  EaSimExchange *ex = ea_sim_broker_get_exchange (sim);
  EaDeskOrder order = { .account = ACCOUNT, .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  EaDashboard *d;
  gboolean connected = FALSE;

  ea_test_desk_in_session (desk);
  ea_sim_exchange_set_generator_enabled (ex, FALSE);
  ea_sim_exchange_set_always_open (ex, TRUE);
  ea_sim_exchange_push_quote (ex, "ES", 27200, 27201, 50, 50, NULL);
  ea_sim_exchange_push_trade (ex, "ES", 27200, 1, NULL);
  ea_desk_watch_symbol (desk, "ES");
  ea_desk_add_broker (desk, EA_BROKER (sim));

  d = EA_DASHBOARD (ea_dashboard_new (desk));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (d));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  ea_broker_connect_async (EA_BROKER (sim), NULL, connect_done, &connected);
  g_assert_true (ea_test_wait_until (connected_cb_done, &connected, 5000));
  g_assert_true (ea_test_wait_until (ticket_has_quote, d, 5000));

  ea_desk_place_order_async (desk, &order, EA_ACTOR_USER, NULL, NULL, NULL);
  g_assert_true (ea_test_wait_until (one_position, ea_dashboard_get_positions_view (d), 5000));

  ea_dashboard_show_list (d, "positions");
  ea_test_iterate (100);
  return d;
}

/* A position row's Reverse button: long one becomes short one through the
 * desk. */
static void
test_reverse_button (void)
{
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_DEMO);
  g_autoptr(EaSimBroker) sim = ea_sim_broker_new (13, g_get_real_time ());
  GtkWidget *window = gtk_window_new ();
  EaDashboard *d = dashboard_with_long (desk, sim, window);
  EaPositionsView *positions = ea_dashboard_get_positions_view (d);
  GtkWidget *button;

  button = find_button_by_tooltip (GTK_WIDGET (positions), "Reverse ES on " ACCOUNT);
  g_assert_nonnull (button);
  gtk_widget_activate (button);
  g_assert_true (ea_test_wait_until (position_is_short, positions, 5000));

  gtk_window_destroy (GTK_WINDOW (window));
  ea_test_iterate (50);
}

typedef struct
{
  EaDesk  *desk;
  EaTicks  stop;
  EaTicks  target;
} ProtectWanted;

/* The stop and the target of the position working at the desk. */
static gboolean
protect_orders_working (gpointer user_data)
{
  ProtectWanted *w = user_data;
  GListModel *orders = ea_trading_store_get_orders (ea_desk_get_store (w->desk));
  gboolean stop = FALSE, target = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(EaOrder) o = g_list_model_get_item (orders, i);

      if (ea_order_get_state (o) != EA_ORDER_STATE_WORKING || ea_order_get_side (o) != EA_SIDE_SELL ||
          ea_order_get_qty (o) != 1)
        continue;
      if (ea_order_get_order_type (o) == EA_ORDER_TYPE_STOP && ea_order_get_stop_price (o) == w->stop)
        stop = TRUE;
      if (ea_order_get_order_type (o) == EA_ORDER_TYPE_LIMIT && ea_order_get_limit_price (o) == w->target)
        target = TRUE;
    }
  return stop && target;
}

static gboolean
protect_error_shown (gpointer user_data)
{
  EaProtectDialog *dialog = ea_dashboard_get_protect_dialog (EA_DASHBOARD (user_data));

  return dialog != NULL && *ea_protect_dialog_get_error_text (dialog) != '\0';
}

static gboolean
protect_dialog_open (gpointer user_data)
{
  return ea_dashboard_get_protect_dialog (EA_DASHBOARD (user_data)) != NULL;
}

static gboolean
protect_dialog_closed (gpointer user_data)
{
  return ea_dashboard_get_protect_dialog (EA_DASHBOARD (user_data)) == NULL;
}

/* A position row's Protect… button: a dialog with a stop and a target
 * around the market; a stop on the wrong side is refused in the dialog,
 * a good pair goes out as two working exits, and the target filling
 * leaves the position flat. */
static void
test_protect_button (void)
{
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_DEMO);
  g_autoptr(EaSimBroker) sim = ea_sim_broker_new (17, g_get_real_time ());
  EaSimExchange *ex = ea_sim_broker_get_exchange (sim);
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  GtkWidget *window = gtk_window_new ();
  ProtectWanted wanted = { .desk = desk, .stop = 27200 - 12, .target = 27200 + 24 };
  EaDashboard *d = dashboard_with_long (desk, sim, window);
  EaPositionsView *positions = ea_dashboard_get_positions_view (d);
  EaProtectDialog *dialog;
  GtkWidget *button;
  guint n_orders;

  g_assert_null (ea_dashboard_get_protect_dialog (d));
  button = find_button_by_tooltip (GTK_WIDGET (positions), "Protect ES on " ACCOUNT);
  g_assert_nonnull (button);
  gtk_widget_activate (button);
  g_assert_true (ea_test_wait_until (protect_dialog_open, d, 5000));
  dialog = ea_dashboard_get_protect_dialog (d);

  /* The defaults: a long's stop below the market, its target above. */
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (ea_protect_dialog_get_stop_spin (dialog))), <,
                     ea_instrument_ticks_to_price (es, 27200));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (ea_protect_dialog_get_target_spin (dialog))), >,
                     ea_instrument_ticks_to_price (es, 27200));

  /* A stop above the market: refused, said in the dialog, nothing sent. */
  n_orders = g_list_model_get_n_items (ea_trading_store_get_orders (ea_desk_get_store (desk)));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ea_protect_dialog_get_stop_spin (dialog)),
                             ea_instrument_ticks_to_price (es, 27200 + 8));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ea_protect_dialog_get_target_spin (dialog)),
                             ea_instrument_ticks_to_price (es, wanted.target));
  gtk_widget_activate (ea_protect_dialog_get_protect_button (dialog));
  g_assert_true (ea_test_wait_until (protect_error_shown, d, 5000));
  g_assert_nonnull (strstr (ea_protect_dialog_get_error_text (dialog), "below the market"));
  g_assert_cmpuint (g_list_model_get_n_items (ea_trading_store_get_orders (ea_desk_get_store (desk))), ==,
                    n_orders);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ea_protect_dialog_get_stop_spin (dialog)),
                             ea_instrument_ticks_to_price (es, wanted.stop));
  gtk_widget_activate (ea_protect_dialog_get_protect_button (dialog));
  g_assert_true (ea_test_wait_until (protect_dialog_closed, d, 5000));
  g_assert_true (ea_test_wait_until (protect_orders_working, &wanted, 5000));

  /* The market reaches the target: flat, the stop cancelled with it. */
  ea_sim_exchange_push_quote (ex, "ES", wanted.target, wanted.target + 1, 50, 50, NULL);
  ea_sim_exchange_push_trade (ex, "ES", wanted.target, 1, NULL);
  g_assert_true (ea_test_wait_until (no_position, positions, 5000));
  g_assert_false (protect_orders_working (&wanted));

  gtk_window_destroy (GTK_WINDOW (window));
  ea_test_iterate (50);
}

static EaFill *
make_fill (const char *symbol,
           EaSide      side,
           gint64      qty,
           EaTicks     price,
           EaTimeUs    time)
{
  EaFillData data = {
    .account = (char *) ACCOUNT, .symbol = (char *) symbol, .fill_id = (char *) "f",
    .broker_order_id = (char *) "b", .client_order_id = (char *) "c",
    .side = side, .qty = qty, .price = price, .time = time,
  };

  return ea_fill_new_from_data (&data);
}

/* Round trips, first in first out: ES long 2 @ 27200; sell 1 @ 27204
 * (+4 ticks × $12.50 = +$50); sell 2 @ 27196 closes the other long
 * (−4 ticks = −$50) and opens a short 1; buy 1 @ 27190 closes it (+6
 * ticks = +$75). NQ: buy 1 @ 100000, sell 1 @ 100004 (+4 × $5 = +$20). */
static void
test_kelly_trades (void)
{
  g_autoptr(GListStore) fills = g_list_store_new (EA_TYPE_FILL);
  g_autoptr(GPtrArray) instruments = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) trades = NULL;
  struct { const char *symbol; EaSide side; gint64 qty; EaTicks price; } f[] = {
    { "ES", EA_SIDE_BUY, 2, 27200 },
    { "NQ", EA_SIDE_BUY, 1, 100000 },
    { "ES", EA_SIDE_SELL, 1, 27204 },
    { "ES", EA_SIDE_SELL, 2, 27196 },
    { "NQ", EA_SIDE_SELL, 1, 100004 },
    { "ES", EA_SIDE_BUY, 1, 27190 },
    { "NOPE", EA_SIDE_BUY, 1, 1 },
  };
  static const EaMicros expected[] = { 50000000, -50000000, 20000000, 75000000 };
  static const guint expected_instrument[] = { 0, 0, 1, 0 };

  for (guint i = 0; i < G_N_ELEMENTS (f); i++)
    {
      g_autoptr(EaFill) fill = make_fill (f[i].symbol, f[i].side, f[i].qty, f[i].price, (i + 1) * G_USEC_PER_SEC);
      g_list_store_append (fills, fill);
    }

  trades = ea_kelly_trades_from_fills (G_LIST_MODEL (fills), instruments);
  g_assert_cmpuint (trades->len, ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (instruments->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (instruments, 0), ==, "ES");
  g_assert_cmpstr (g_ptr_array_index (instruments, 1), ==, "NQ");
  for (guint i = 0; i < trades->len; i++)
    {
      g_assert_cmpint (g_array_index (trades, EaStatsTrade, i).pnl, ==, expected[i]);
      g_assert_cmpuint (g_array_index (trades, EaStatsTrade, i).instrument, ==, expected_instrument[i]);
    }
}

/* Alerts of the model become desktop notifications per DOMAIN §10, and
 * the in-app list mirrors them. */
/* An ERM reversal on the ticket's instrument spends one of the day's
 * reversals, and the Signals panel says so. */
static void
test_erm_budget (void)
{
  EaDashboard *d;
  EaOrderTicket *ticket;
  EaSimExchange *ex;
  EaTradingStore *store;
  EaQuote *quote;
  const EaInstrumentSpec *spec = ea_desk_lookup_spec ("ES");
  EaTicks atr = (EaTicks) (spec->default_atr_points / spec->tick_size);
  EaTicks entry;
  g_autoptr(EaSignal) signal = NULL;

  ensure_ready ();
  d = dashboard ();
  ticket = ea_dashboard_get_order_ticket (d);
  store = ea_desk_get_store (ea_dashboard_get_desk (d));
  g_assert_true (ea_order_ticket_set_symbol (ticket, "ES"));
  ea_test_iterate (50);
  g_assert_cmpstr (ea_signals_panel_get_reversals_text (ea_dashboard_get_signals_panel (d)), ==,
                   "ES reversals remaining 3/3");

  ex = ea_sim_broker_get_exchange (demo_broker ());
  ea_sim_broker_set_realtime (demo_broker (), FALSE);
  ea_sim_exchange_set_generator_enabled (ex, FALSE);
  quote = ea_trading_store_lookup_quote (store, "ES");
  g_assert_nonnull (quote);
  entry = ea_quote_get_bid (quote);

  signal = ea_signal_new (ea_sim_broker_get_time (demo_broker ()), "ES", 1, entry,
                          80, 3, NULL, NULL, 0, "manual");
  ea_trading_store_add_signal (store, signal);
  advance_market (1);
  /* The card shows the signal's ERM value: ATRs against it now. */
  {
    const char *text = ea_account_card_get_signal_text (ea_dashboard_get_card (d, ACCOUNT));

    g_test_message ("card: %s", text);
    g_assert_true (g_str_has_prefix (text, "ES ▲ · 80 · "));
    g_assert_nonnull (strstr (text, " ATR · ERM "));
  }
  advance_market (30);
  ea_sim_exchange_push_quote (ex, "ES", entry - atr, entry - atr + 1, 50, 50, NULL);
  ea_sim_exchange_push_trade (ex, "ES", entry - atr, 1, NULL);
  ea_test_iterate (50);

  g_assert_false (ea_signal_get_active (signal));
  g_assert_cmpstr (ea_signals_panel_get_reversals_text (ea_dashboard_get_signals_panel (d)), ==,
                   "ES reversals remaining 2/3");
  /* Each card shows the ERM budget of its instrument. */
  {
    EaAccountCard *card = ea_dashboard_get_card (d, ACCOUNT);
    g_autofree char *symbol = ea_account_card_get_chart_symbol (card);
    guint left = 0, done;
    g_autofree char *want = NULL;

    g_assert_nonnull (symbol);
    advance_market (1);
    done = ea_desk_get_erm_reversals (ea_dashboard_get_desk (d), symbol, &left);
    want = g_strdup_printf (" · ERM %u/%u", left, done + left);
    g_assert_true (g_str_has_suffix (ea_account_card_get_signal_text (card), want));
    if (ea_format_spec (symbol) == ea_format_spec ("ES"))
      g_assert_true (g_str_has_suffix (ea_account_card_get_signal_text (card), " · ERM 2/3"));
  }
  /* The tooltip says which ATR ERM judges by, in points. */
  {
    const char *detail = ea_signals_panel_get_reversals_detail (ea_dashboard_get_signals_panel (d));
    EaDeskAtrSource source;
    double atr_ticks = ea_desk_get_erm_atr (ea_dashboard_get_desk (d), "ES", &source);
    g_autofree char *want = g_strdup_printf ("ERM judges ES by an ATR of %.2f points: ", atr_ticks * 0.25);

    g_assert_nonnull (detail);
    g_assert_true (g_str_has_prefix (detail, want));
    g_assert_nonnull (strstr (detail, source == EA_DESK_ATR_LIVE ? "Wilder's ATR(14)" : "default"));
  }

  ea_sim_exchange_set_generator_enabled (ex, TRUE);
}

static void
test_notifications (void)
{
  EaDashboard *d;
  EaNotifier *notifier;
  EaTradingStore *store;
  EaAlertsView *alerts;
  guint n_sent;
  guint n_shown;
  g_autoptr(EaAlert) margin = NULL;
  g_autoptr(EaAlert) position = NULL;
  g_autoptr(EaAlert) signal = NULL;

  ensure_ready ();
  d = dashboard ();
  notifier = ea_application_get_notifier (app);
  g_assert_nonnull (notifier);
  ea_notifier_set_sound (notifier, FALSE);
  store = ea_desk_get_store (ea_dashboard_get_desk (d));
  alerts = ea_dashboard_get_alerts_view (d);
  ea_alerts_view_set_critical_only (alerts, FALSE);
  n_sent = ea_notifier_get_n_sent (notifier);
  n_shown = g_list_model_get_n_items (ea_alerts_view_get_shown (alerts));

  /* The table itself. */
  g_assert_cmpint (ea_notification_type_lookup ("margin_warning")->priority, ==, EA_ALERT_PRIORITY_CRITICAL);
  g_assert_true (ea_notification_type_lookup ("erm_reversal")->sound);
  g_assert_false (ea_notification_type_lookup ("new_signal")->sound);
  g_assert_false (ea_notification_type_lookup ("position_update")->enabled);
  g_assert_null (ea_notification_type_lookup ("no_such_kind"));

  margin = ea_alert_new ("margin_warning", EA_ALERT_PRIORITY_CRITICAL, "Low margin", ACCOUNT, g_get_real_time ());
  ea_trading_store_add_alert (store, margin);
  g_assert_cmpuint (ea_notifier_get_n_sent (notifier), ==, n_sent + 1);
  g_assert_cmpstr (ea_notifier_get_last_id (notifier), ==, "alert-margin-warning");
  g_assert_cmpint (ea_notifier_get_last_priority (notifier), ==, G_NOTIFICATION_PRIORITY_URGENT);

  /* The same kind at once again: in the history, not repeated on the desktop. */
  {
    g_autoptr(EaAlert) again = ea_alert_new ("margin_warning", EA_ALERT_PRIORITY_CRITICAL, "Low margin",
                                             ACCOUNT, g_get_real_time ());
    ea_trading_store_add_alert (store, again);
    g_assert_cmpuint (ea_notifier_get_n_sent (notifier), ==, n_sent + 1);
    n_shown++;
  }

  /* Off by default: in the history, not on the desktop. */
  position = ea_alert_new ("position_update", EA_ALERT_PRIORITY_LOW, "Position", "ES +1", g_get_real_time ());
  ea_trading_store_add_alert (store, position);
  g_assert_cmpuint (ea_notifier_get_n_sent (notifier), ==, n_sent + 1);

  signal = ea_alert_new ("new_signal", EA_ALERT_PRIORITY_MEDIUM, "New signal", "NQ short", g_get_real_time ());
  ea_trading_store_add_alert (store, signal);
  g_assert_cmpuint (ea_notifier_get_n_sent (notifier), ==, n_sent + 2);
  g_assert_cmpint (ea_notifier_get_last_priority (notifier), ==, G_NOTIFICATION_PRIORITY_NORMAL);

  /* The in-app history: all three, the critical filter, acknowledge, clear. */
  g_assert_cmpuint (g_list_model_get_n_items (ea_alerts_view_get_shown (alerts)), ==, n_shown + 3);
  ea_alerts_view_set_critical_only (alerts, TRUE);
  for (guint i = 0; i < g_list_model_get_n_items (ea_alerts_view_get_shown (alerts)); i++)
    {
      g_autoptr(EaAlert) a = g_list_model_get_item (ea_alerts_view_get_shown (alerts), i);
      g_assert_cmpuint (ea_alert_get_priority (a), ==, EA_ALERT_PRIORITY_CRITICAL);
    }
  ea_alerts_view_set_critical_only (alerts, FALSE);
  g_assert_cmpuint (ea_alerts_view_get_unacknowledged (alerts), >=, 3);
  ea_alerts_view_acknowledge_all (alerts);
  g_assert_cmpuint (ea_alerts_view_get_unacknowledged (alerts), ==, 0);
  g_assert_true (ea_alert_get_acknowledged (margin));
  ea_alerts_view_clear (alerts);
  g_assert_cmpuint (g_list_model_get_n_items (ea_alerts_view_get_shown (alerts)), ==, 0);

  /* A history of the latest 100. */
  for (guint i = 0; i < 120; i++)
    {
      g_autofree char *title = g_strdup_printf ("Status %u", i);
      g_autoptr(EaAlert) a = ea_alert_new ("system_status", EA_ALERT_PRIORITY_MEDIUM, title, NULL,
                                           g_get_real_time () + i);
      ea_trading_store_add_alert (store, a);
    }
  g_assert_cmpuint (g_list_model_get_n_items (ea_alerts_view_get_shown (alerts)), ==, EA_ALERTS_HISTORY);
  {
    gboolean newest_shown = FALSE;

    for (guint i = 0; i < EA_ALERTS_HISTORY; i++)
      {
        g_autoptr(EaAlert) a = g_list_model_get_item (ea_alerts_view_get_shown (alerts), i);
        g_assert_cmpstr (ea_alert_get_title (a), !=, "Status 0");
        newest_shown |= g_strcmp0 (ea_alert_get_title (a), "Status 119") == 0;
      }
    g_assert_true (newest_shown);
  }
  ea_alerts_view_clear (alerts);
}

/* Rendering right after a style change can find the window between two
 * frames: try again on the next ones. */
static void
save_screenshot (GtkWidget  *window,
                 const char *path)
{
  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GError) error = NULL;

      if (ea_test_save_screenshot (window, path, &error))
        return;
      g_test_message ("Screenshot attempt %u: %s", attempt, error ? error->message : "?");
      g_assert_cmpuint (attempt, <, 10);
      ea_test_iterate (200);
    }
}

static void
test_screenshot (void)
{
  EaWindow *window;
  EaDashboard *d;
  EaOrderTicket *ticket;
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, "dashboard.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(EaAlert) alert = NULL;

  ensure_ready ();
  window = ensure_window ();
  d = dashboard ();
  ticket = ea_dashboard_get_order_ticket (d);

  /* A session in progress: an open position with its bracket, a signal
   * and an alert. */
  ea_order_ticket_set_symbol (ticket, "ES");
  ea_order_ticket_set_order_type (ticket, EA_ORDER_TYPE_MARKET);
  ea_order_ticket_set_quantity (ticket, 1);
  ea_order_ticket_set_bracket (ticket, TRUE);
  if (ea_order_ticket_recheck (ticket))
    ea_order_ticket_send (ticket);
  ea_test_wait_until (one_position, ea_dashboard_get_positions_view (d), 5000);
  advance_market (30);
  alert = ea_alert_new ("risk_warning", EA_ALERT_PRIORITY_HIGH, "Daily loss at 75 %",
                        "DEMO-1 used 75 % of its daily loss limit", g_get_real_time ());
  ea_trading_store_add_alert (ea_desk_get_store (ea_dashboard_get_desk (d)), alert);
  {
    EaQuote *quote = ea_trading_store_lookup_quote (ea_desk_get_store (ea_dashboard_get_desk (d)), "NQ");
    g_autoptr(EaSignal) signal = ea_signal_new (g_get_real_time (), "NQ", -1,
                                                quote ? ea_quote_get_bid (quote) : 100000,
                                                82, 3, NULL, NULL, 0.75, "manual");

    ea_trading_store_add_signal (ea_desk_get_store (ea_dashboard_get_desk (d)), signal);
  }
  ea_order_ticket_set_quantity (ticket, 1);
  ea_dashboard_show_list (d, "positions");
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  gtk_widget_grab_focus (GTK_WIDGET (ticket));
  gtk_window_set_default_size (GTK_WINDOW (window), 1440, 900);
  ea_test_iterate (600);

  g_mkdir_with_parents (dir, 0755);
  save_screenshot (GTK_WIDGET (window), path);
  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), >=, 1024);
  g_test_message ("Screenshot: %s", path);

  /* The dark style too. */
  {
    GtkSettings *settings = gtk_settings_get_default ();
    g_autofree char *dark = g_build_filename (dir, "dashboard-dark.png", NULL);

    g_object_set (settings, "gtk-application-prefer-dark-theme", TRUE, NULL);
    ea_test_iterate (400);
    save_screenshot (GTK_WIDGET (window), dark);
    g_object_set (settings, "gtk-application-prefer-dark-theme", FALSE, NULL);
    ea_test_iterate (100);
    g_test_message ("Screenshot: %s", dark);
  }
}

/* The Signals panel lists ERM alerts newest first, each with its chart,
 * signal, value against the threshold, momentum and elapsed time. */
static void
test_erm_list (void)
{
  EaDashboard *d;
  EaTradingStore *store;
  GtkWidget *list;
  EaErmAlert a = { 0 };
  g_autoptr(EaErmEvent) older = NULL;
  g_autoptr(EaErmEvent) newer = NULL;
  GtkListBoxRow *row;
  const char *text;

  ensure_ready ();
  d = dashboard ();
  store = ea_desk_get_store (ea_dashboard_get_desk (d));
  list = ea_signals_panel_get_erm_list (ea_dashboard_get_signals_panel (d));

  a.time = ea_desk_get_time (ea_dashboard_get_desk (d));
  a.signal_id = 7;
  a.erm = 0.62;
  a.threshold = 0.5;
  a.momentum = 0.21;
  a.elapsed = 45 * G_USEC_PER_SEC;
  a.signal_direction = EA_SIDE_BUY;
  a.direction = EA_SIDE_SELL;
  older = ea_erm_event_new ("NQ", &a);
  a.time += 60 * G_USEC_PER_SEC;
  a.signal_direction = EA_SIDE_SELL;
  a.direction = EA_SIDE_BUY;
  newer = ea_erm_event_new ("CL", &a);
  ea_trading_store_add_erm_event (store, older);
  ea_trading_store_add_erm_event (store, newer);

  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);
  g_assert_nonnull (row);
  text = gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (row)));
  g_assert_nonnull (strstr (text, "CL"));
  g_assert_nonnull (strstr (text, "short signal 7"));
  g_assert_nonnull (strstr (text, "ERM 0.62 ≥ 0.50"));
  g_assert_nonnull (strstr (text, "momentum 0.21"));
  g_assert_nonnull (strstr (text, "after 45 s"));
  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1);
  g_assert_nonnull (row);
  text = gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (row)));
  g_assert_nonnull (strstr (text, "NQ"));
  g_assert_nonnull (strstr (text, "→ short"));
}

static void
placed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  char **id = user_data;
  g_autoptr(GError) error = NULL;

  *id = ea_desk_place_order_finish (EA_DESK (source), result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*id);
}

static gboolean
is_cancel_button (GtkWidget *w)
{
  return GTK_IS_BUTTON (w) && gtk_widget_get_mapped (w) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), "Cancel") == 0;
}

static gboolean
shown_count_is (gpointer data)
{
  gpointer *args = data;

  return g_list_model_get_n_items (G_LIST_MODEL (args[0])) == GPOINTER_TO_UINT (args[1]);
}

static gboolean
shown_fewer (gpointer data)
{
  gpointer *args = data;

  return g_list_model_get_n_items (G_LIST_MODEL (args[0])) < GPOINTER_TO_UINT (args[1]);
}

/* Working orders: the row's Cancel cancels that order (and what hangs on
 * it) only, Cancel All the rest. */
static void
test_cancel_rows (void)
{
  EaDashboard *d;
  EaDesk *desk;
  EaOrdersView *view;
  GListModel *shown;
  EaQuote *quote;
  GtkWidget *button;
  char *ids[2] = { NULL, NULL };
  gpointer args[2];

  ensure_ready ();
  d = dashboard ();
  desk = ea_dashboard_get_desk (d);
  view = ea_dashboard_get_orders_view (d);
  shown = ea_orders_view_get_shown (view);
  quote = ea_trading_store_lookup_quote (ea_desk_get_store (desk), "ES");
  g_assert_nonnull (quote);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 0);

  for (guint i = 0; i < 2; i++)
    {
      EaDeskOrder order = { 0 };

      order.account = ea_order_ticket_get_account (ea_dashboard_get_order_ticket (d));
      order.symbol = "ES";
      order.side = EA_SIDE_BUY;
      order.type = EA_ORDER_TYPE_LIMIT;
      order.tif = EA_TIME_IN_FORCE_DAY;
      order.qty = 1;
      order.limit_price = ea_quote_get_last (quote) - 40 - (EaTicks) i * 4;
      order.has_stop_loss = TRUE;
      order.stop_loss = order.limit_price - 16;
      ea_desk_place_order_async (desk, &order, EA_ACTOR_USER, NULL, placed_cb, &ids[i]);
      while (ids[i] == NULL)
        g_main_context_iteration (NULL, TRUE);
    }
  /* Each entry with its protective stop. */
  args[0] = shown;
  args[1] = GUINT_TO_POINTER (4);
  g_assert_true (ea_test_wait_until (shown_count_is, args, 10000));

  ea_dashboard_show_list (d, "orders");
  ea_test_iterate (200);
  button = find_widget (GTK_WIDGET (ea_orders_view_get_column_view (view)), is_cancel_button);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (ea_test_wait_until (shown_fewer, args, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (shown), >, 0);

  button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view), EA_TYPE_ORDERS_VIEW, "cancel_all_button"));
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  args[1] = GUINT_TO_POINTER (0);
  g_assert_true (ea_test_wait_until (shown_count_is, args, 10000));
  ea_test_iterate (100);
  g_assert_false (gtk_widget_is_sensitive (button));
  ea_dashboard_show_list (d, "positions");
  g_free (ids[0]);
  g_free (ids[1]);
}

/* The account selector narrows the lists, the margin panel and the ticket
 * to one account; "All accounts" shows every account again. */
static void
test_account_selector (void)
{
  EaDashboard *d;
  GListModel *accounts;
  GListModel *fills;
  g_autoptr(EaAccount) first = NULL;
  g_autoptr(EaAccount) second = NULL;
  guint all, mine = 0;

  ensure_ready ();
  d = dashboard ();
  accounts = ea_trading_store_get_accounts (ea_desk_get_store (ea_dashboard_get_desk (d)));
  if (g_list_model_get_n_items (accounts) < 2)
    {
      /* A second account as a broker would report it. */
      EaAccountData data = { 0 };

      data.name = (char *) "SELECTOR-2";
      data.profile = (char *) "demo";
      data.size = 50000 * (EaMicros) 1000000;
      data.balance = data.size;
      data.equity = data.size;
      data.time = g_get_real_time ();
      ea_trading_store_apply_account (ea_desk_get_store (ea_dashboard_get_desk (d)), &data);
      ea_test_iterate (50);
    }
  g_assert_cmpuint (g_list_model_get_n_items (accounts), >=, 2);
  first = g_list_model_get_item (accounts, 0);
  second = g_list_model_get_item (accounts, 1);
  fills = ea_fills_view_get_shown (ea_dashboard_get_fills_view (d));

  ea_dashboard_select_account (d, NULL);
  ea_test_iterate (50);
  all = g_list_model_get_n_items (fills);
  g_assert_cmpuint (all, >, 0);
  g_assert_null (ea_dashboard_get_selected_account (d));
  for (guint i = 0; i < all; i++)
    {
      g_autoptr(EaFill) f = g_list_model_get_item (fills, i);

      if (g_strcmp0 (ea_fill_get_account (f), ea_account_get_name (second)) == 0)
        mine++;
    }

  ea_dashboard_select_account (d, ea_account_get_name (second));
  ea_test_iterate (50);
  g_assert_cmpstr (ea_dashboard_get_selected_account (d), ==, ea_account_get_name (second));
  g_assert_cmpstr (ea_order_ticket_get_account (ea_dashboard_get_order_ticket (d)), ==,
                   ea_account_get_name (second));
  g_assert_cmpuint (g_list_model_get_n_items (fills), ==, mine);
  for (guint i = 0; i < g_list_model_get_n_items (fills); i++)
    {
      g_autoptr(EaFill) f = g_list_model_get_item (fills, i);

      g_assert_cmpstr (ea_fill_get_account (f), ==, ea_account_get_name (second));
    }

  ea_dashboard_select_account (d, NULL);
  ea_test_iterate (50);
  g_assert_null (ea_dashboard_get_selected_account (d));
  g_assert_cmpuint (g_list_model_get_n_items (fills), ==, all);
  /* With every account shown, the ticket trades the first. */
  g_assert_cmpstr (ea_order_ticket_get_account (ea_dashboard_get_order_ticket (d)), ==,
                   ea_account_get_name (first));
}

static gint64
fill_time_at (GListModel *model,
              guint       i)
{
  g_autoptr(EaFill) f = g_list_model_get_item (model, i);

  return ea_fill_get_time (f);
}

/* The fills list is newest first; a click on the Time header flips it. */
static void
test_fills_sorting (void)
{
  EaDashboard *d;
  GtkColumnView *view;
  GListModel *rows;
  GListModel *columns;
  GtkColumnViewColumn *time_column = NULL;
  guint n;

  ensure_ready ();
  d = dashboard ();
  view = ea_fills_view_get_column_view (ea_dashboard_get_fills_view (d));
  rows = G_LIST_MODEL (gtk_column_view_get_model (view));
  n = g_list_model_get_n_items (rows);
  g_assert_cmpuint (n, >=, 2);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (fill_time_at (rows, i - 1), >=, fill_time_at (rows, i));

  columns = gtk_column_view_get_columns (view);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (c), "Time") == 0)
        time_column = c;
    }
  g_assert_nonnull (time_column);
  gtk_column_view_sort_by_column (view, time_column, GTK_SORT_ASCENDING);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (fill_time_at (rows, i - 1), <=, fill_time_at (rows, i));
  g_assert_cmpint (fill_time_at (rows, 0), <, fill_time_at (rows, n - 1));
  gtk_column_view_sort_by_column (view, time_column, GTK_SORT_DESCENDING);
  g_assert_cmpint (fill_time_at (rows, 0), >, fill_time_at (rows, n - 1));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* A fresh journal and risk state for every run. */
  {
    g_autofree char *data_home = g_dir_make_tmp ("ea-dashboard-XXXXXX", NULL);
    g_assert_nonnull (data_home);
    g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  }
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dashboard/demo-clock", test_demo_clock);
  g_test_add_func ("/dashboard/connection-pill", test_connection_pill);
  g_test_add_func ("/dashboard/connection-pill-reason", test_connection_pill_reason);
  g_test_add_func ("/dashboard/trade-round-trip", test_trade_round_trip);
  g_test_add_func ("/dashboard/contract-symbol", test_contract_symbol);
  g_test_add_func ("/dashboard/denied-not-sent", test_denied_not_sent);
  g_test_add_func ("/dashboard/keyboard-and-names", test_keyboard_and_names);
  g_test_add_func ("/dashboard/notifications", test_notifications);
  g_test_add_func ("/dashboard/erm-budget", test_erm_budget);
  g_test_add_func ("/dashboard/erm-list", test_erm_list);
  g_test_add_func ("/dashboard/cancel-rows", test_cancel_rows);
  g_test_add_func ("/dashboard/account-selector", test_account_selector);
  g_test_add_func ("/dashboard/fills-sorting", test_fills_sorting);
  g_test_add_func ("/dashboard/kelly-trades", test_kelly_trades);
  g_test_add_func ("/dashboard/screenshot", test_screenshot);
  g_test_add_func ("/dashboard/quote-burst", test_quote_burst);
  g_test_add_func ("/dashboard/main-chart", test_main_chart);
  g_test_add_func ("/dashboard/live-confirmation", test_live_confirmation);
  g_test_add_func ("/dashboard/reverse-button", test_reverse_button);
  g_test_add_func ("/dashboard/protect-button", test_protect_button);

  ret = g_test_run ();

  if (app != NULL)
    {
      GtkWindow *window = ea_application_get_main_window (app);
      if (window != NULL)
        gtk_window_destroy (window);
      g_application_release (G_APPLICATION (app));
      g_clear_object (&app);
    }

  return ret;
}
