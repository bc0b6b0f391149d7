/* test-chart-feed.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A chart fed by the desk: trade prints become bars, a working order a
 * line, a fill a marker; a drag that the risk check refuses moves nothing,
 * an allowed one moves the order at the exchange.
 */
#include "config.h"

#include <string.h>

#include "ea-account-card.h"
#include "ea-chart-feed.h"
#include "ea-chart-view-private.h"
#include "ea-kelly-panel.h"
#include "ea-resources.h"
#include "ea-sim-broker.h"
#include "ea-test-gtk-utils.h"
#include "ea-test-clock.h"

#define TUE_0900_CT G_GINT64_CONSTANT (1763478000000000)

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
iterate (void)
{
  for (guint i = 0; i < 5; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

static char *
place (EaDesk *desk, const EaDeskOrder *order)
{
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;
  char *id;

  ea_desk_place_order_async (desk, order, EA_ACTOR_USER, NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  id = ea_desk_place_order_finish (desk, res, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (res);
  iterate ();

  return id;
}

static void
test_feed (void)
{
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_DEMO);
  g_autoptr(EaSimBroker) sim = ea_sim_broker_new (5, TUE_0900_CT);
  EaSimExchange *ex = ea_sim_broker_get_exchange (sim);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chart = ea_chart_new ();
  g_autoptr(EaChartFeed) feed = NULL;
  EaChartView *view = ea_chart_get_view (EA_CHART (chart));
  EaDeskOrder limit = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_LIMIT, .qty = 1, .limit_price = 27180 };
  /* With a stop: the working limit's risk (at the default stop) counts
   * against the open-loss cap too. */
  EaDeskOrder market = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                         .type = EA_ORDER_TYPE_MARKET, .qty = 1,
                         .has_stop_loss = TRUE, .stop_loss = 27190 };
  g_autofree char *limit_id = NULL;
  g_autofree char *market_id = NULL;
  GAsyncResult *res = NULL;
  const EaChartOrder *lines;
  gsize n_lines = 0, n_fills = 0;
  gboolean allowed = FALSE;

  ea_test_desk_in_session (desk);
  ea_sim_exchange_set_generator_enabled (ex, FALSE);
  ea_sim_exchange_set_always_open (ex, TRUE);
  ea_desk_add_broker (desk, EA_BROKER (sim));
  ea_broker_connect_async (EA_BROKER (sim), NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&res);
  iterate ();

  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 500);
  gtk_window_present (GTK_WINDOW (window));
  feed = ea_chart_feed_new (desk, EA_CHART (chart), "DEMO-1", "ES");
  iterate ();

  /* Trade prints become bars. */
  for (guint i = 0; i < 30; i++)
    {
      ea_sim_broker_advance (sim, 60 * G_USEC_PER_SEC);
      ea_sim_exchange_push_quote (ex, "ES", 27200 + i % 3, 27201 + i % 3, 20, 20, NULL);
      ea_sim_exchange_push_trade (ex, "ES", 27200 + i % 3, 2, NULL);
    }
  iterate ();
  ea_chart_flush_live (EA_CHART (chart));
  g_assert_cmpuint (ea_chart_view_get_n_bars (view), >=, 20);

  /* A working limit is a line at its price. */
  limit_id = place (desk, &limit);
  iterate ();
  lines = ea_chart_view_get_orders (view, &n_lines);
  g_assert_cmpuint (n_lines, ==, 1);
  g_assert_cmpstr (lines[0].id, ==, limit_id);
  g_assert_cmpint (lines[0].price, ==, 27180);

  /* Dragging it 10 % away is refused by the price band: nothing moves. */
  g_signal_emit_by_name (chart, "validate-drag", limit_id, (gint64) 27200 * 90 / 100, &allowed);
  g_assert_false (allowed);

  /* A small move is allowed, and it moves the order at the exchange. */
  g_signal_emit_by_name (chart, "validate-drag", limit_id, (gint64) 27176, &allowed);
  g_assert_true (allowed);
  g_signal_emit_by_name (chart, "order-drag-finished", limit_id, (gint64) 27176);
  for (guint i = 0; i < 50 && ea_chart_view_get_orders (view, &n_lines)[0].price != 27176; i++)
    ea_test_iterate (20);
  lines = ea_chart_view_get_orders (view, &n_lines);
  g_assert_cmpint (lines[0].price, ==, 27176);

  /* A market fill is a marker. */
  market_id = place (desk, &market);
  iterate ();
  ea_chart_view_get_markers (view, EA_CHART_MARKER_FILL, &n_fills);
  g_assert_cmpuint (n_fills, ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

static EaTimeUs
sim_clock (gpointer user_data)
{
  return ea_sim_broker_get_time (EA_SIM_BROKER (user_data));
}

static void
push_es (EaSimBroker *sim, EaTicks price)
{
  EaSimExchange *ex = ea_sim_broker_get_exchange (sim);

  ea_sim_exchange_push_quote (ex, "ES", price, price + 1, 50, 50, NULL);
  ea_sim_exchange_push_trade (ex, "ES", price, 1, NULL);
  iterate ();
}

/* An Enigma signal and the ERM reversal the desk raises against it are
 * markers at their time and price; another instrument's are not. */
static void
test_markers (void)
{
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_DEMO);
  g_autoptr(EaSimBroker) sim = ea_sim_broker_new (5, TUE_0900_CT);
  EaSimExchange *ex = ea_sim_broker_get_exchange (sim);
  const EaInstrumentSpec *spec = ea_desk_lookup_spec ("ES");
  EaTicks atr = (EaTicks) (spec->default_atr_points / spec->tick_size);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chart = ea_chart_new ();
  EaChartView *view = ea_chart_get_view (EA_CHART (chart));
  g_autoptr(EaChartFeed) feed = NULL;
  g_autoptr(EaSignal) signal = NULL;
  g_autoptr(EaSignal) other = NULL;
  GAsyncResult *res = NULL;
  const EaChartMarker *markers;
  gsize n = 0;
  EaTimeUs signal_time, reversal_time;

  ea_desk_set_clock (desk, sim_clock, sim, NULL);
  ea_sim_exchange_set_generator_enabled (ex, FALSE);
  ea_sim_exchange_set_always_open (ex, TRUE);
  ea_desk_add_broker (desk, EA_BROKER (sim));
  ea_broker_connect_async (EA_BROKER (sim), NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&res);
  iterate ();

  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_present (GTK_WINDOW (window));
  feed = ea_chart_feed_new (desk, EA_CHART (chart), "DEMO-1", "ES");
  iterate ();
  push_es (sim, 27200);

  signal_time = ea_sim_broker_get_time (sim);
  signal = ea_signal_new (signal_time, "ES", 1, 27200, 80, 3, NULL, NULL, 0.8, "test");
  other = ea_signal_new (signal_time, "NQ", -1, 100000, 80, 3, NULL, NULL, 0.8, "test");
  ea_trading_store_add_signal (ea_desk_get_store (desk), signal);
  ea_trading_store_add_signal (ea_desk_get_store (desk), other);
  iterate ();

  markers = ea_chart_view_get_markers (view, EA_CHART_MARKER_SIGNAL, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (markers[0].time, ==, signal_time);
  g_assert_cmpint (markers[0].price, ==, 27200);
  g_assert_cmpint (markers[0].side, ==, EA_SIDE_BUY);
  g_assert_nonnull (strstr (markers[0].text, "long"));
  ea_chart_view_get_markers (view, EA_CHART_MARKER_ERM, &n);
  g_assert_cmpuint (n, ==, 0);

  /* Falling well against the long after 40 s: ERM reverses. */
  ea_sim_broker_advance (sim, 20 * G_USEC_PER_SEC);
  push_es (sim, 27200 - atr / 4);
  ea_sim_broker_advance (sim, 20 * G_USEC_PER_SEC);
  reversal_time = ea_sim_broker_get_time (sim);
  push_es (sim, 27200 - atr * 3 / 4);
  ea_sim_broker_advance (sim, 5 * G_USEC_PER_SEC);
  push_es (sim, 27200 - atr / 2);
  g_assert_cmpuint (ea_desk_get_erm_reversals (desk, "ES", NULL), ==, 1);

  markers = ea_chart_view_get_markers (view, EA_CHART_MARKER_ERM, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (markers[0].time, ==, reversal_time);
  /* The mid ERM saw then, not the later price. */
  g_assert_cmpint (markers[0].price, ==, 27200 - atr * 3 / 4);
  g_assert_cmpint (markers[0].side, ==, EA_SIDE_SELL);
  g_assert_nonnull (markers[0].text);

  /* A chart opened later places the same arrow on its bars. */
  {
    GtkWidget *late = ea_chart_new ();
    GtkWidget *window2 = gtk_window_new ();
    g_autoptr(EaChartFeed) feed2 = NULL;
    const EaChartMarker *m2;

    gtk_window_set_child (GTK_WINDOW (window2), late);
    gtk_window_present (GTK_WINDOW (window2));
    feed2 = ea_chart_feed_new (desk, EA_CHART (late), "DEMO-1", "ES");
    for (guint i = 0; i < 50; i++)
      {
        ea_test_iterate (10);
        ea_chart_view_get_markers (ea_chart_get_view (EA_CHART (late)), EA_CHART_MARKER_ERM, &n);
        if (n > 0)
          break;
      }
    m2 = ea_chart_view_get_markers (ea_chart_get_view (EA_CHART (late)), EA_CHART_MARKER_ERM, &n);
    g_assert_cmpuint (n, ==, 1);
    g_assert_cmpint (m2[0].time, ==, reversal_time);
    g_assert_cmpint (m2[0].side, ==, EA_SIDE_SELL);
    gtk_window_destroy (GTK_WINDOW (window2));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
find_button (GtkWidget *widget, const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The overlays of an open bracketed position come from the desk: the
 * average-price line at the fill, the stop and target lines of the
 * bracket at their prices, and the trailing floor as the first price at
 * which the account's equity reaches its effective floor. Flat again,
 * the position and floor lines go. */
static void
test_position_overlays (void)
{
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_DEMO);
  g_autoptr(EaSimBroker) sim = ea_sim_broker_new (5, TUE_0900_CT);
  EaSimExchange *ex = ea_sim_broker_get_exchange (sim);
  const EaInstrumentSpec *es = ea_desk_lookup_spec ("ES");
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chart = ea_chart_new ();
  EaChartView *view = ea_chart_get_view (EA_CHART (chart));
  g_autoptr(EaChartFeed) feed = NULL;
  EaDeskOrder entry = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_MARKET, .qty = 2,
                        .has_stop_loss = TRUE, .stop_loss = 27201 - 16,
                        .has_take_profit = TRUE, .take_profit = 27201 + 24 };
  EaDeskOrder exit_order = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_SELL,
                             .type = EA_ORDER_TYPE_MARKET, .qty = 2 };
  g_autofree char *entry_id = NULL;
  g_autofree char *exit_id = NULL;
  GAsyncResult *res = NULL;
  const EaChartOrder *lines;
  gboolean seen_stop = FALSE, seen_target = FALSE;
  EaRiskStatus status;
  EaMicros per_tick;
  gint64 ticks_to_floor;
  gsize n = 0;

  ea_desk_set_clock (desk, sim_clock, sim, NULL);
  ea_sim_exchange_set_generator_enabled (ex, FALSE);
  ea_sim_exchange_set_always_open (ex, TRUE);
  ea_desk_add_broker (desk, EA_BROKER (sim));
  ea_broker_connect_async (EA_BROKER (sim), NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&res);
  iterate ();

  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 500);
  gtk_window_present (GTK_WINDOW (window));
  feed = ea_chart_feed_new (desk, EA_CHART (chart), "DEMO-1", "ES");
  iterate ();
  push_es (sim, 27200);

  /* Flat: no position, no floor, no lines. */
  g_assert_false (view->has_position);
  g_assert_false (view->has_floor);
  ea_chart_view_get_orders (view, &n);
  g_assert_cmpuint (n, ==, 0);

  /* Long 2 at the ask, 27201 (6800.25), with a bracket. */
  entry_id = place (desk, &entry);
  ea_test_iterate (20);

  g_assert_true (view->has_position);
  g_assert_cmpint (view->position_qty, ==, 2);
  g_assert_cmpint (view->position_price, ==, 27201);

  lines = ea_chart_view_get_orders (view, &n);
  g_assert_cmpuint (n, ==, 2);
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpint (lines[i].side, ==, EA_SIDE_SELL);
      g_assert_cmpint (lines[i].qty, ==, 2);
      if (lines[i].kind == EA_CHART_ORDER_BRACKET_STOP)
        {
          g_assert_cmpint (lines[i].price, ==, 27185);
          seen_stop = TRUE;
        }
      else if (lines[i].kind == EA_CHART_ORDER_BRACKET_TARGET)
        {
          g_assert_cmpint (lines[i].price, ==, 27225);
          seen_target = TRUE;
        }
    }
  g_assert_true (seen_stop);
  g_assert_true (seen_target);

  /* The account dies at the first tick where 2 x $12.50 a tick below
   * 27201 has eaten the room between its balance and its effective
   * floor. */
  g_assert_true (ea_desk_get_risk_status (desk, "DEMO-1", &status));
  g_assert_cmpint (status.balance, >, status.effective_floor);
  per_tick = 2 * es->tick_value;
  ticks_to_floor = (status.balance - status.effective_floor + per_tick - 1) / per_tick;
  g_assert_true (view->has_floor);
  g_assert_cmpint (view->floor_price, ==, 27201 - ticks_to_floor);
  g_assert_cmpint (view->floor_price, <, 27185);

  /* Closing the position takes its line and the floor away. */
  exit_id = place (desk, &exit_order);
  ea_test_iterate (20);
  g_assert_false (view->has_position);
  g_assert_false (view->has_floor);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
card_chart_ready (gpointer user_data)
{
  EaChartView *view = user_data;
  gsize n = 0;

  ea_chart_view_get_orders (view, &n);
  return ea_chart_view_get_n_bars (view) >= 100 && view->has_position && n == 1;
}

/* The account card's Chart button opens a window with a chart of the
 * card's instrument and the account's own position, orders and fills. */
static void
test_account_card (void)
{
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_DEMO);
  g_autoptr(EaSimBroker) sim = ea_sim_broker_new (5, TUE_0900_CT);
  EaSimExchange *ex = ea_sim_broker_get_exchange (sim);
  GListModel *accounts = ea_trading_store_get_accounts (ea_desk_get_store (desk));
  EaDeskOrder market = { .account = "DEMO-1", .symbol = "MES", .side = EA_SIDE_SELL,
                         .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  EaDeskOrder limit = { .account = "DEMO-1", .symbol = "MES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_LIMIT, .qty = 1, .limit_price = 27180 };
  GtkWidget *window = gtk_window_new ();
  GtkWidget *card, *button, *chart;
  g_autoptr(EaAccount) account = NULL;
  g_autofree char *market_id = NULL;
  g_autofree char *limit_id = NULL;
  g_autofree char *symbol = NULL;
  GAsyncResult *res = NULL;
  GtkWindow *chart_window;
  EaChartView *view;
  const EaChartOrder *lines;
  gsize n = 0;

  ea_desk_set_clock (desk, sim_clock, sim, NULL);
  ea_sim_exchange_set_generator_enabled (ex, FALSE);
  ea_sim_exchange_set_always_open (ex, TRUE);
  ea_desk_add_broker (desk, EA_BROKER (sim));
  ea_broker_connect_async (EA_BROKER (sim), NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&res);
  iterate ();
  ea_desk_watch_symbol (desk, "MES");
  iterate ();
  ea_sim_exchange_push_quote (ex, "MES", 27200, 27201, 20, 20, NULL);
  ea_sim_exchange_push_trade (ex, "MES", 27200, 1, NULL);
  iterate ();

  g_assert_cmpuint (g_list_model_get_n_items (accounts), >=, 1);
  account = g_list_model_get_item (accounts, 0);
  g_assert_cmpstr (ea_account_get_name (account), ==, "DEMO-1");
  card = ea_account_card_new (account, ea_desk_get_store (desk));
  gtk_window_set_child (GTK_WINDOW (window), card);
  gtk_window_present (GTK_WINDOW (window));
  button = find_button (card, "Chart");
  g_assert_nonnull (button);

  /* Without a desk the button does nothing. */
  g_assert_false (gtk_widget_get_sensitive (button));
  ea_account_card_set_desk (EA_ACCOUNT_CARD (card), desk);

  /* A short MES position and a working buy limit on the account. */
  market_id = place (desk, &market);
  limit_id = place (desk, &limit);
  ea_test_iterate (50);
  symbol = ea_account_card_get_chart_symbol (EA_ACCOUNT_CARD (card));
  g_assert_cmpstr (symbol, ==, "MES");
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_null (ea_account_card_get_chart_window (EA_ACCOUNT_CARD (card)));

  g_signal_emit_by_name (button, "clicked");
  chart_window = ea_account_card_get_chart_window (EA_ACCOUNT_CARD (card));
  g_assert_nonnull (chart_window);
  g_assert_nonnull (strstr (gtk_window_get_title (chart_window), "DEMO-1"));
  g_assert_nonnull (strstr (gtk_window_get_title (chart_window), "MES"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (chart_window)));
  chart = gtk_window_get_child (chart_window);
  g_assert_true (EA_IS_CHART (chart));
  view = ea_chart_get_view (EA_CHART (chart));
  /* History and the account's overlays arrive from the desk's events. */
  g_assert_true (ea_test_wait_until (card_chart_ready, view, 10000));

  /* The account's overlays on MES' chart, with MES' history. */
  g_assert_cmpuint (ea_chart_view_get_n_bars (view), >=, 100);
  g_assert_true (view->has_position);
  g_assert_cmpint (view->position_qty, ==, -1);
  ea_chart_view_get_markers (view, EA_CHART_MARKER_FILL, &n);
  g_assert_cmpuint (n, ==, 1);
  lines = ea_chart_view_get_orders (view, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (lines[0].id, ==, limit_id);
  g_assert_cmpint (lines[0].price, ==, 27180);

  /* A second click shows the same window. */
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (ea_account_card_get_chart_window (EA_ACCOUNT_CARD (card)) == chart_window);

  /* Closing it leaves the card ready to open another. */
  gtk_window_destroy (chart_window);
  ea_test_iterate (10);
  g_assert_null (ea_account_card_get_chart_window (EA_ACCOUNT_CARD (card)));
  g_signal_emit_by_name (button, "clicked");
  g_assert_nonnull (ea_account_card_get_chart_window (EA_ACCOUNT_CARD (card)));

  /* The card's window going takes the chart with it. */
  gtk_window_destroy (GTK_WINDOW (window));
  ea_test_iterate (10);
}

static void
test_kelly_history (void)
{
  g_autoptr(EaTradingStore) store = ea_trading_store_new ();
  GtkWidget *panel = g_object_ref_sink (ea_kelly_panel_new ());
  EaJournalTrade trades[30];
  EaStatsSummary summary;
  EaKellyResult result;
  gint64 contracts = 0;

  /* 30 journaled ES round trips: 18 wins of $200, 12 losses of $100. */
  for (guint i = 0; i < G_N_ELEMENTS (trades); i++)
    {
      memset (&trades[i], 0, sizeof trades[i]);
      trades[i].symbol = (char *) "ES";
      trades[i].root = (char *) "ES";
      trades[i].pnl_micros = i % 5 < 3 ? EA_MICROS (200) : EA_MICROS (-100);
      trades[i].exit_time_us = TUE_0900_CT + (gint64) i * 3600 * G_USEC_PER_SEC;
    }

  ea_kelly_panel_set_store (EA_KELLY_PANEL (panel), store);
  g_assert_false (ea_kelly_panel_get_row (EA_KELLY_PANEL (panel), "ES", &summary, &result, &contracts));

  ea_kelly_panel_set_history (EA_KELLY_PANEL (panel), trades, G_N_ELEMENTS (trades));
  g_assert_true (ea_kelly_panel_get_row (EA_KELLY_PANEL (panel), "ES", &summary, &result, &contracts));
  g_assert_cmpuint (summary.n_trades, ==, 30);
  g_assert_cmpuint (summary.n_wins, ==, 18);
  /* Past the 20-trade minimum: real Kelly, not the 1 % fallback. */
  g_assert_false (result.fallback);

  g_object_unref (panel);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  /* Links the templates in (the resources live in a static library). */
  g_assert_nonnull (ea_get_resource ());

  g_test_add_func ("/chart/feed/desk", test_feed);
  g_test_add_func ("/chart/feed/markers", test_markers);
  g_test_add_func ("/chart/feed/position-overlays", test_position_overlays);
  g_test_add_func ("/chart/feed/account-card", test_account_card);
  g_test_add_func ("/kelly/panel/history", test_kelly_history);

  return g_test_run ();
}
