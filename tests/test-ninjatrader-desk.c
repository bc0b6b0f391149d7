/* test-ninjatrader-desk.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk trading through the NinjaTrader broker against the local
 * processor, as Test mode does: orders with a bracket through the risk
 * check, priced by another feed (ATI has no market data); the fill in the
 * desk's store; the emergency stop confirmed by FLAT position files; a
 * restart of NinjaTrader under a working order; and the round trip from
 * instruction file to NinjaTrader's answer.
 */
#include "config.h"

#include <string.h>

#include "ea-app-brokers.h"
#include "ea-desk.h"
#include "ea-instrument.h"
#include "ea-order.h"
#include "ea-position.h"
#include "ea-quote.h"
#include "ea-sim-broker.h"
#include "ea-test-clock.h"
#include "ea-test-nt-fixture.h"

#define P 27200   /* ES 6800.00 */

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static char *
read_outgoing (NtRig *rig, const char *name)
{
  g_autofree char *path = g_build_filename (ea_nt_sim_get_outgoing_dir (rig->sim), name, NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return contents;
}

/* The Demo generator as a quote feed: quiet, open around the clock. */
static EaSimBroker *
new_feed (void)
{
  g_autoptr(GError) error = NULL;
  EaSimBroker *feed = ea_sim_broker_new (7, EA_TEST_SESSION_START_US);
  GAsyncResult *res = NULL;

  ea_sim_exchange_set_generator_enabled (ea_sim_broker_get_exchange (feed), FALSE);
  ea_sim_exchange_set_always_open (ea_sim_broker_get_exchange (feed), TRUE);
  ea_broker_connect_async (EA_BROKER (feed), NULL, result_cb, &res);
  g_assert_true (ea_broker_connect_finish (EA_BROKER (feed), wait_for (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);
  return feed;
}

/* The same market at NinjaTrader (where orders fill) and on the feed
 * (which prices them for the desk). */
static void
market (NtRig *rig, EaSimBroker *feed, EaTicks last)
{
  g_autoptr(GError) error = NULL;

  ea_nt_sim_push_quote (rig->sim, "ES", last, last + 1, 10, 10);
  ea_nt_sim_push_trade (rig->sim, "ES", last, 1);
  if (feed != NULL)
    {
      g_assert_true (ea_sim_exchange_push_quote (ea_sim_broker_get_exchange (feed), "ES", last, last + 1,
                                                 10, 10, &error));
      g_assert_true (ea_sim_exchange_push_trade (ea_sim_broker_get_exchange (feed), "ES", last, 1, &error));
      g_assert_no_error (error);
    }
  nt_rig_settle (rig);
  drain ();
}

/* A desk in Test mode with the NinjaTrader broker and, when @feed is not
 * NULL, the feed pricing its symbols. */
static EaDesk *
new_desk (NtRig *rig, EaSimBroker *feed)
{
  g_autoptr(GError) error = NULL;
  EaDesk *desk = ea_desk_new (EA_MODE_TEST);

  ea_test_desk_in_session (desk);
  ea_desk_watch_symbol (desk, "ES");
  if (feed != NULL)
    ea_desk_add_quote_feed (desk, EA_BROKER (feed));
  ea_desk_add_broker (desk, EA_BROKER (rig->broker));
  g_assert_true (nt_rig_connect (rig, &error));
  g_assert_no_error (error);
  while (ea_trading_store_lookup_account (ea_desk_get_store (desk), NT_TEST_ACCOUNT) == NULL)
    g_main_context_iteration (NULL, TRUE);
  drain ();
  return desk;
}

static char *
desk_place (EaDesk *desk, const EaDeskOrder *order, EaRiskDecision *decision, GError **error)
{
  GAsyncResult *res = NULL;
  char *id;

  ea_desk_place_order_async (desk, order, EA_ACTOR_USER, NULL, result_cb, &res);
  id = ea_desk_place_order_finish (desk, wait_for (&res), decision, error);
  g_object_unref (res);
  return id;
}

static guint
count_lines (NtRig *rig, const char *prefix)
{
  GPtrArray *lines = ea_nt_sim_get_lines (rig->sim);
  guint n = 0;

  for (guint i = 0; i < lines->len; i++)
    if (g_str_has_prefix (lines->pdata[i], prefix))
      n++;
  return n;
}

static void
test_end_to_end (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSimBroker) feed = new_feed ();
  NtRig *rig = nt_rig_new ("account-size", (gint64) EA_MICROS (50000), NULL);
  g_autoptr(EaDesk) desk = new_desk (rig, feed);
  EaTradingStore *store = ea_desk_get_store (desk);
  EaDeskOrder order = { .account = NT_TEST_ACCOUNT, .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_MARKET, .qty = 1,
                        .has_stop_loss = TRUE, .stop_loss = P - 12,
                        .has_take_profit = TRUE, .take_profit = P + 24 };
  EaRiskDecision decision = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *position = NULL;
  EaPosition *pos;
  gint64 deadline;

  market (rig, feed, P);
  g_assert_cmpstr (ea_desk_get_quote_source (desk, "ES"), ==, "Demo");

  id = desk_place (desk, &order, &decision, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_true (decision.allowed);
  nt_rig_settle (rig);
  drain ();

  /* The entry filled at NinjaTrader, the fill is in the desk's store once,
   * and the bracket's two children went out as an OCO pair. */
  g_assert_cmpuint (g_list_model_get_n_items (ea_trading_store_get_fills (store)), ==, 1);
  g_assert_cmpint (ea_order_get_state (ea_trading_store_lookup_order (store, id)), ==, EA_ORDER_STATE_FILLED);
  pos = ea_trading_store_lookup_position (store, NT_TEST_ACCOUNT, "ES");
  g_assert_nonnull (pos);
  g_assert_cmpint (ea_position_get_qty (pos), ==, 1);
  g_assert_cmpuint (count_lines (rig, "PLACE;" NT_TEST_ACCOUNT ";ES 12-26;SELL;1;STOPMARKET;;6797.00;"), ==, 1);
  g_assert_cmpuint (count_lines (rig, "PLACE;" NT_TEST_ACCOUNT ";ES 12-26;SELL;1;LIMIT;6806.00;;"), ==, 1);
  position = read_outgoing (rig, "ES 12-26_" NT_TEST_ACCOUNT "_Position.txt");
  g_assert_cmpstr (position, ==, "LONG;1;6800.25");
  g_clear_pointer (&position, g_free);

  /* The emergency stop: FLATTENEVERYTHING, confirmed by FLAT files. */
  g_assert_true (ea_desk_emergency_stop (desk, EA_ACTOR_USER, NULL));
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (ea_desk_get_stop_pending (desk) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ea_desk_get_stop_status (desk, NT_TEST_ACCOUNT, NULL), ==, EA_STOP_STATUS_FLAT);
  g_assert_cmpuint (count_lines (rig, "FLATTENEVERYTHING;"), >=, 1);
  position = read_outgoing (rig, "ES 12-26_" NT_TEST_ACCOUNT "_Position.txt");
  g_assert_cmpstr (position, ==, "FLAT;0;0");
  pos = ea_trading_store_lookup_position (store, NT_TEST_ACCOUNT, "ES");
  g_assert_true (pos == NULL || ea_position_get_qty (pos) == 0);
  /* The children were cancelled with the rest. */
  for (guint i = 0; i < g_list_model_get_n_items (ea_trading_store_get_orders (store)); i++)
    {
      g_autoptr(EaOrder) o = g_list_model_get_item (ea_trading_store_get_orders (store), i);

      g_assert_true (ea_order_state_is_terminal (ea_order_get_state (o)));
    }

  /* The latch holds: no new entry goes out. */
  g_clear_pointer (&id, g_free);
  id = desk_place (desk, &order, &decision, &error);
  g_assert_null (id);
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_clear_object (&desk);
  nt_rig_free (rig);
}

static char *
desk_reverse (EaDesk *desk, EaRiskDecision *decision, GError **error)
{
  GAsyncResult *res = NULL;
  char *id;

  ea_desk_reverse_position_async (desk, NT_TEST_ACCOUNT, "ES", EA_ACTOR_USER, NULL, result_cb, &res);
  id = ea_desk_reverse_position_finish (desk, wait_for (&res), decision, error);
  g_object_unref (res);
  return id;
}

/* NinjaTrader's order files have no one-cancels-other pair: Protect…
 * says so and writes nothing. */
static void
test_protect_not_supported (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSimBroker) feed = new_feed ();
  NtRig *rig = nt_rig_new ("account-size", (gint64) EA_MICROS (50000), NULL);
  g_autoptr(EaDesk) desk = new_desk (rig, feed);
  EaTradingStore *store = ea_desk_get_store (desk);
  EaDeskOrder order = { .account = NT_TEST_ACCOUNT, .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  EaRiskDecision decision = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *stop = NULL;
  GAsyncResult *res = NULL;
  guint n_orders;

  market (rig, feed, P);
  id = desk_place (desk, &order, &decision, &error);
  g_assert_no_error (error);
  nt_rig_settle (rig);
  drain ();
  g_assert_cmpint (ea_position_get_qty (ea_trading_store_lookup_position (store, NT_TEST_ACCOUNT, "ES")), ==, 1);
  n_orders = g_list_model_get_n_items (ea_trading_store_get_orders (store));
  g_assert_false (ea_broker_can_place_oco (EA_BROKER (rig->broker)));

  ea_desk_protect_position_async (desk, NT_TEST_ACCOUNT, "ES", P - 12, P + 24, EA_ACTOR_USER, NULL,
                                  result_cb, &res);
  stop = ea_desk_protect_position_finish (desk, wait_for (&res), NULL, &decision, &error);
  g_clear_object (&res);
  g_assert_null (stop);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "not supported by this broker"));
  nt_rig_settle (rig);
  drain ();
  g_assert_cmpuint (count_lines (rig, "PLACE;"), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (ea_trading_store_get_orders (store)), ==, n_orders);

  g_clear_object (&desk);
  nt_rig_free (rig);
}

/* Reverse through NinjaTrader: the bracket of the long cancelled, then
 * one REVERSEPOSITION after the desk's risk check of twice the position;
 * refused by the firm's rules, nothing is written. */
static void
test_reverse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSimBroker) feed = new_feed ();
  NtRig *rig = nt_rig_new ("account-size", (gint64) EA_MICROS (50000), NULL);
  g_autoptr(EaDesk) desk = new_desk (rig, feed);
  EaTradingStore *store = ea_desk_get_store (desk);
  EaDeskOrder order = { .account = NT_TEST_ACCOUNT, .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_MARKET, .qty = 1,
                        .has_stop_loss = TRUE, .stop_loss = P - 12,
                        .has_take_profit = TRUE, .take_profit = P + 24 };
  EaRiskDecision decision = { 0 };
  EaRiskProfile tight;
  g_autofree char *id = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *position = NULL;
  EaPosition *pos;
  EaOrder *o;

  market (rig, feed, P);
  id = desk_place (desk, &order, &decision, &error);
  g_assert_no_error (error);
  nt_rig_settle (rig);
  drain ();
  pos = ea_trading_store_lookup_position (store, NT_TEST_ACCOUNT, "ES");
  g_assert_nonnull (pos);
  g_assert_cmpint (ea_position_get_qty (pos), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (ea_trading_store_get_orders (store)), ==, 3);

  rev = desk_reverse (desk, &decision, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rev);
  g_assert_true (decision.allowed);
  nt_rig_settle (rig);
  drain ();
  /* One instruction, no PLACE of two lots. */
  g_assert_cmpuint (count_lines (rig, "REVERSEPOSITION;" NT_TEST_ACCOUNT ";ES 12-26;SELL;1;MARKET;"), ==, 1);
  g_assert_cmpuint (count_lines (rig, "PLACE;" NT_TEST_ACCOUNT ";ES 12-26;SELL;2;"), ==, 0);
  position = read_outgoing (rig, "ES 12-26_" NT_TEST_ACCOUNT "_Position.txt");
  g_assert_true (g_str_has_prefix (position, "SHORT;1;"));
  pos = ea_trading_store_lookup_position (store, NT_TEST_ACCOUNT, "ES");
  g_assert_cmpint (ea_position_get_qty (pos), ==, -1);
  o = ea_trading_store_lookup_order (store, rev);
  g_assert_nonnull (o);
  g_assert_cmpint (ea_order_get_state (o), ==, EA_ORDER_STATE_FILLED);
  g_assert_cmpint (ea_order_get_side (o), ==, EA_SIDE_SELL);
  /* The stop and target of the long went first. */
  g_assert_cmpuint (count_lines (rig, "CANCEL;"), ==, 2);
  for (guint i = 0; i < g_list_model_get_n_items (ea_trading_store_get_orders (store)); i++)
    {
      g_autoptr(EaOrder) other = g_list_model_get_item (ea_trading_store_get_orders (store), i);

      g_assert_true (ea_order_state_is_terminal (ea_order_get_state (other)));
    }

  /* Orders of one lot at most: reversing short one is buying two. */
  tight = *ea_profile_store_lookup (ea_desk_get_profiles (desk), "apex-legacy-50k");
  tight.max_order_qty = 1;
  g_assert_true (ea_desk_set_account_profile (desk, NT_TEST_ACCOUNT, &tight, EA_SAFETY_DEFAULT, &error));
  g_assert_no_error (error);
  g_clear_pointer (&rev, g_free);
  rev = desk_reverse (desk, &decision, &error);
  g_assert_null (rev);
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED);
  g_assert_cmpint (decision.reason, ==, EA_RISK_FAT_FINGER);
  nt_rig_settle (rig);
  drain ();
  g_assert_cmpuint (count_lines (rig, "REVERSEPOSITION;"), ==, 1);
  g_assert_cmpint (ea_position_get_qty (ea_trading_store_lookup_position (store, NT_TEST_ACCOUNT, "ES")), ==, -1);

  g_clear_object (&desk);
  nt_rig_free (rig);
}

static void
test_priced_by_feed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSimBroker) feed = NULL;
  NtRig *rig = nt_rig_new ("account-size", (gint64) EA_MICROS (50000), NULL);
  g_autoptr(EaDesk) desk = new_desk (rig, NULL);
  EaDeskOrder order = { .account = NT_TEST_ACCOUNT, .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_MARKET, .qty = 1,
                        .has_stop_loss = TRUE, .stop_loss = P - 12 };
  EaRiskDecision decision = { 0 };
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  EaMicros worst;

  /* NinjaTrader alone prices nothing: a market order cannot be valued. */
  g_assert_null (ea_desk_get_quote_source (desk, "ES"));
  market (rig, NULL, P);
  g_assert_false (ea_desk_check_order (desk, &order, &decision));
  g_assert_cmpint (decision.reason, ==, EA_RISK_NO_PRICE);

  /* A feed joins: its price values the order, the stop 12 ticks under
   * the feed's last trade, whatever NinjaTrader's own market says. */
  feed = new_feed ();
  ea_desk_add_quote_feed (desk, EA_BROKER (feed));
  ea_nt_sim_push_trade (rig->sim, "ES", P - 400, 1);
  g_assert_true (ea_sim_exchange_push_trade (ea_sim_broker_get_exchange (feed), "ES", P, 1, &error));
  g_assert_no_error (error);
  nt_rig_settle (rig);
  drain ();
  g_assert_true (ea_desk_check_order (desk, &order, &decision));
  worst = decision.worst_loss;
  g_assert_cmpint (worst, >=, 12 * es->tick_value);
  /* The feed moves 2 points up: the same stop is 8 ticks further. */
  g_assert_true (ea_sim_exchange_push_trade (ea_sim_broker_get_exchange (feed), "ES", P + 8, 1, &error));
  g_assert_no_error (error);
  drain ();
  g_assert_true (ea_desk_check_order (desk, &order, &decision));
  g_assert_cmpint (decision.worst_loss - worst, ==, 8 * es->tick_value);

  /* The UI names the feed, under the desk's and NinjaTrader's names. */
  g_assert_cmpstr (ea_desk_get_quote_source (desk, "ES"), ==, "Demo");
  g_assert_cmpstr (ea_desk_get_quote_source (desk, "ES 12-26"), ==, "Demo");
  g_assert_null (ea_desk_get_quote_source (desk, "NQ"));
  /* The feed's own account is not the desk's. */
  g_assert_null (ea_trading_store_lookup_account (ea_desk_get_store (desk), EA_SIM_BROKER_DEFAULT_ACCOUNT));

  g_clear_object (&desk);
  nt_rig_free (rig);
}

static void
test_restart_under_working_order (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSimBroker) feed = new_feed ();
  NtRig *rig = nt_rig_new ("account-size", (gint64) EA_MICROS (50000), NULL);
  g_autoptr(EaDesk) desk = new_desk (rig, feed);
  EaTradingStore *store = ea_desk_get_store (desk);
  EaDeskOrder gtc = { .account = NT_TEST_ACCOUNT, .symbol = "ES", .side = EA_SIDE_BUY,
                      .type = EA_ORDER_TYPE_LIMIT, .tif = EA_TIME_IN_FORCE_GTC, .qty = 2,
                      .limit_price = P - 8, .has_stop_loss = TRUE, .stop_loss = P - 20 };
  EaDeskOrder day = gtc;
  g_autofree char *gtc_id = NULL;
  g_autofree char *day_id = NULL;
  EaPosition *pos;

  market (rig, feed, P);
  gtc_id = desk_place (desk, &gtc, NULL, &error);
  g_assert_no_error (error);
  day.tif = EA_TIME_IN_FORCE_DAY;
  day.qty = 1;
  day.limit_price = P - 4;
  day_id = desk_place (desk, &day, NULL, &error);
  g_assert_no_error (error);
  nt_rig_settle (rig);
  drain ();
  g_assert_cmpint (ea_order_get_state (ea_trading_store_lookup_order (store, gtc_id)), ==, EA_ORDER_STATE_WORKING);
  g_assert_cmpint (ea_order_get_state (ea_trading_store_lookup_order (store, day_id)), ==, EA_ORDER_STATE_WORKING);

  /* NinjaTrader restarts: outgoing is cleared, the day order is gone,
   * the good-till-cancelled one keeps working. */
  ea_nt_sim_restart (rig->sim);
  nt_rig_settle (rig);
  drain ();
  g_assert_cmpint (ea_order_get_state (ea_trading_store_lookup_order (store, day_id)), ==, EA_ORDER_STATE_CANCELLED);
  g_assert_cmpint (ea_order_get_state (ea_trading_store_lookup_order (store, gtc_id)), ==, EA_ORDER_STATE_WORKING);
  g_assert_cmpuint (g_list_model_get_n_items (ea_trading_store_get_fills (store)), ==, 0);

  /* The market comes down: the surviving order fills, once, and its
   * stop goes out for the filled quantity. */
  market (rig, feed, P - 10);
  market (rig, feed, P - 10);
  g_assert_cmpint (ea_order_get_state (ea_trading_store_lookup_order (store, gtc_id)), ==, EA_ORDER_STATE_FILLED);
  g_assert_cmpuint (g_list_model_get_n_items (ea_trading_store_get_fills (store)), ==, 1);
  pos = ea_trading_store_lookup_position (store, NT_TEST_ACCOUNT, "ES");
  g_assert_nonnull (pos);
  g_assert_cmpint (ea_position_get_qty (pos), ==, 2);
  g_assert_cmpuint (count_lines (rig, "PLACE;" NT_TEST_ACCOUNT ";ES 12-26;SELL;2;STOPMARKET;;6795.00;"), ==, 1);

  /* Another restart: nothing repeats. */
  ea_nt_sim_restart (rig->sim);
  nt_rig_settle (rig);
  drain ();
  g_assert_cmpuint (g_list_model_get_n_items (ea_trading_store_get_fills (store)), ==, 1);
  g_assert_cmpint (ea_position_get_qty (ea_trading_store_lookup_position (store, NT_TEST_ACCOUNT, "ES")), ==, 2);

  g_clear_object (&desk);
  nt_rig_free (rig);
}

static char *
place (NtRig *rig, const char *id, EaOrderType type, EaTicks limit, GError **error)
{
  g_autoptr(EaOrderRequest) r = ea_order_request_new (NT_TEST_ACCOUNT, "ES", id, EA_SIDE_BUY, type, 1);
  GAsyncResult *res = NULL;
  char *out;

  r->limit_price = limit;
  ea_broker_place_order_async (EA_BROKER (rig->broker), r, NULL, result_cb, &res);
  out = ea_broker_place_order_finish (EA_BROKER (rig->broker), wait_for (&res), error);
  g_object_unref (res);
  return out;
}

static void
test_latency (void)
{
  g_autoptr(GError) error = NULL;
  NtRig *rig = nt_rig_new (NULL, NULL);
  EaBroker *broker = EA_BROKER (rig->broker);
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  GAsyncResult *res = NULL;
  const gint64 slow_us = (NT_TEST_ACK_MS / 2) * 1000;
  gint64 after_slow;

  g_assert_true (nt_rig_connect (rig, &error));
  g_assert_no_error (error);
  market (rig, NULL, P);
  /* Connected, but nothing asked yet. */
  g_assert_cmpint (ea_broker_get_latency_us (broker), ==, -1);

  /* NinjaTrader takes its time to pick the file up: the round trip is
   * at least that, since it runs from the file written to the answer. */
  ea_nt_sim_set_pickup_delay (rig->sim, NT_TEST_ACK_MS / 2);
  a = place (rig, "lat-1", EA_ORDER_TYPE_LIMIT, P - 40, &error);
  g_assert_no_error (error);
  after_slow = ea_broker_get_latency_us (broker);
  g_test_message ("round trip with a %d ms pickup: %" G_GINT64_FORMAT " us", NT_TEST_ACK_MS / 2, after_slow);
  g_assert_cmpint (after_slow, >=, slow_us);

  /* Requests that never reach NinjaTrader add nothing. */
  ea_nt_sim_set_pickup_delay (rig->sim, 0);
  b = place (rig, "lat-1", EA_ORDER_TYPE_LIMIT, P - 40, &error);
  g_assert_null (b);
  g_clear_error (&error);
  g_assert_cmpint (ea_broker_get_latency_us (broker), ==, after_slow);

  /* A cancel is timed to its CANCELLED file too: smoothed, the slow
   * sample still weighs three quarters. */
  ea_broker_cancel_order_async (broker, "lat-1", NULL, result_cb, &res);
  g_assert_true (ea_broker_cancel_order_finish (broker, wait_for (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  g_assert_cmpint (ea_broker_get_latency_us (broker), !=, after_slow);
  g_assert_cmpint (ea_broker_get_latency_us (broker), >=, slow_us * 3 / 4);

  /* NinjaTrader took the order but answered after the broker gave up:
   * it was that slow, and the late answer counts. */
  ea_nt_sim_delay_next_reply (rig->sim, 2 * NT_TEST_ACK_MS);
  c = place (rig, "lat-2", EA_ORDER_TYPE_LIMIT, P - 40, &error);
  g_assert_null (c);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME);
  g_clear_error (&error);
  {
    gint64 before = ea_broker_get_latency_us (broker);
    g_autofree char *late = NULL;

    while ((late = read_outgoing (rig, "lat-2.txt")) == NULL)
      g_main_context_iteration (NULL, TRUE);
    nt_rig_settle (rig);
    g_assert_cmpint (ea_broker_get_latency_us (broker), >=, before * 3 / 4 + 2 * NT_TEST_ACK_MS * 1000 / 4);
  }

  /* An instruction taken back unread answers nothing. */
  ea_nt_sim_set_pickup_delay (rig->sim, 3600 * 1000);
  {
    gint64 before = ea_broker_get_latency_us (broker);

    g_free (c);
    c = place (rig, "lat-3", EA_ORDER_TYPE_LIMIT, P - 40, &error);
    g_assert_null (c);
    g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME);
    g_clear_error (&error);
    ea_nt_sim_set_pickup_delay (rig->sim, 0);
    nt_rig_settle (rig);
    g_assert_null (read_outgoing (rig, "lat-3.txt"));
    g_assert_cmpint (ea_broker_get_latency_us (broker), ==, before);
  }

  nt_rig_free (rig);
}

static gint64
snapshot_balance (NtRig *rig)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSnapshotData) snap = NULL;
  GAsyncResult *res = NULL;

  ea_broker_snapshot_async (EA_BROKER (rig->broker), NT_TEST_ACCOUNT, NULL, result_cb, &res);
  snap = ea_broker_snapshot_finish (EA_BROKER (rig->broker), wait_for (&res), &error);
  g_assert_no_error (error);
  g_object_unref (res);
  g_assert_cmpuint (snap->accounts->len, ==, 1);
  return ((EaAccountData *) snap->accounts->pdata[0])->balance;
}

/* ATI has no balances: the account size plus what our fills realized. */
static void
test_balance (void)
{
  g_autoptr(GError) error = NULL;
  NtRig *rig = nt_rig_new ("account-size", (gint64) EA_MICROS (50000), NULL);
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  g_autoptr(EaOrderRequest) buy = ea_order_request_new (NT_TEST_ACCOUNT, "ES", "bal-1", EA_SIDE_BUY,
                                                        EA_ORDER_TYPE_MARKET, 2);
  g_autoptr(EaOrderRequest) sell = ea_order_request_new (NT_TEST_ACCOUNT, "ES", "bal-2", EA_SIDE_SELL,
                                                         EA_ORDER_TYPE_MARKET, 3);
  GAsyncResult *res = NULL;
  g_autofree char *a = NULL, *b = NULL;

  g_assert_true (nt_rig_connect (rig, &error));
  market (rig, NULL, P);
  g_assert_cmpint (snapshot_balance (rig), ==, EA_MICROS (50000));

  /* Long 2 at the ask, P + 1. */
  ea_broker_place_order_async (EA_BROKER (rig->broker), buy, NULL, result_cb, &res);
  a = ea_broker_place_order_finish (EA_BROKER (rig->broker), wait_for (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  nt_rig_settle (rig);
  g_assert_cmpint (snapshot_balance (rig), ==, EA_MICROS (50000));

  /* The market rises 4 ticks; selling 3 at the bid, P + 4, closes the 2
   * for 3 ticks each and opens a short of 1, which realizes nothing. */
  market (rig, NULL, P + 4);
  ea_broker_place_order_async (EA_BROKER (rig->broker), sell, NULL, result_cb, &res);
  b = ea_broker_place_order_finish (EA_BROKER (rig->broker), wait_for (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  nt_rig_settle (rig);
  g_assert_cmpint (snapshot_balance (rig), ==, EA_MICROS (50000) + 2 * 3 * es->tick_value);

  nt_rig_free (rig);
}

static void
started_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The application's Test-mode start with NinjaTrader alone: the adapter
 * on the processor's folders, the Demo generator pricing its symbols. */
static void
test_app_test_mode (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_TEST);
  g_autofree char *root = g_dir_make_tmp ("ea-nt-app-XXXXXX", &error);
  g_autofree char *target = NULL;
  g_autofree char *id = NULL;
  g_autofree char *position = NULL;
  const char *platforms[] = { "ninjatrader", NULL };
  EaTradingStore *store = ea_desk_get_store (desk);
  EaNtSim *sim;
  GAsyncResult *res = NULL;
  EaBroker *nt = NULL;
  EaQuote *q;
  EaTicks last;
  gint64 deadline;

  g_assert_no_error (error);
  target = g_build_filename (root, "ninjatrader", NULL);
  sim = ea_nt_sim_new (target, NT_TEST_CONNECTION, &error);
  g_assert_no_error (error);
  g_assert_true (ea_nt_sim_add_account (sim, NT_TEST_ACCOUNT, &error));
  ea_nt_sim_start (sim, 50);

  g_settings_set_strv (settings, "platforms", platforms);
  g_settings_set_string (settings, "nt-incoming-dir", ea_nt_sim_get_incoming_dir (sim));
  g_settings_set_string (settings, "nt-outgoing-dir", ea_nt_sim_get_outgoing_dir (sim));
  g_settings_set_string (settings, "nt-account", NT_TEST_ACCOUNT);
  ea_test_desk_in_session (desk);
  g_assert_null (ea_app_brokers_start (desk, settings, NULL, NULL, started_cb, &res));
  g_assert_true (ea_app_brokers_start_finish (wait_for (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);

  /* One trading broker, NinjaTrader; its account, at the default
   * profile's starting balance; quotes from the Demo generator. */
  g_assert_cmpuint (ea_desk_get_brokers (desk)->len, ==, 1);
  nt = g_ptr_array_index (ea_desk_get_brokers (desk), 0);
  g_assert_cmpstr (ea_broker_get_name (nt), ==, "NinjaTrader");
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while ((ea_desk_get_quote_source (desk, "ES") == NULL ||
          (q = ea_trading_store_lookup_quote (store, "ES")) == NULL || ea_quote_get_last (q) == 0 ||
          ea_trading_store_lookup_account (store, NT_TEST_ACCOUNT) == NULL) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (ea_desk_get_quote_source (desk, "ES"), ==, "Demo");
  g_assert_nonnull (ea_trading_store_lookup_account (store, NT_TEST_ACCOUNT));
  g_assert_null (ea_trading_store_lookup_account (store, EA_SIM_BROKER_DEFAULT_ACCOUNT));
  g_assert_cmpint (ea_desk_get_stop_status (desk, NT_TEST_ACCOUNT, NULL), ==, EA_STOP_STATUS_NONE);

  /* A bracketed order around the feed's price, filled by NinjaTrader. */
  last = ea_quote_get_last (ea_trading_store_lookup_quote (store, "ES"));
  ea_nt_sim_push_quote (sim, "ES", last, last + 1, 10, 10);
  {
    EaDeskOrder order = { .account = NT_TEST_ACCOUNT, .symbol = "ES", .side = EA_SIDE_BUY,
                          .type = EA_ORDER_TYPE_MARKET, .qty = 1,
                          .has_stop_loss = TRUE, .stop_loss = last - 40,
                          .has_take_profit = TRUE, .take_profit = last + 80 };

    id = desk_place (desk, &order, NULL, &error);
    g_assert_no_error (error);
  }
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (g_list_model_get_n_items (ea_trading_store_get_fills (store)) == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (ea_trading_store_get_fills (store)), ==, 1);
  g_assert_cmpint (ea_broker_get_latency_us (nt), >=, 0);
  g_test_message ("round trip with the default settings: %" G_GINT64_FORMAT " us",
                  ea_broker_get_latency_us (nt));

  g_assert_true (ea_desk_emergency_stop (desk, EA_ACTOR_USER, NULL));
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (ea_desk_get_stop_pending (desk) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ea_desk_get_stop_status (desk, NT_TEST_ACCOUNT, NULL), ==, EA_STOP_STATUS_FLAT);
  {
    g_autofree char *path = NULL;
    gboolean found = FALSE;

    /* The contract is the front month of today, whichever it is. */
    {
      g_autoptr(GDir) dir = g_dir_open (ea_nt_sim_get_outgoing_dir (sim), 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_prefix (name, "ES ") && g_str_has_suffix (name, "_" NT_TEST_ACCOUNT "_Position.txt"))
          {
            path = g_build_filename (ea_nt_sim_get_outgoing_dir (sim), name, NULL);
            g_assert_true (g_file_get_contents (path, &position, NULL, NULL));
            g_assert_cmpstr (position, ==, "FLAT;0;0");
            found = TRUE;
          }
    }
    g_assert_true (found);
  }

  g_clear_object (&desk);
  ea_nt_sim_free (sim);
  nt_remove_tree (root);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ninjatrader/desk/end-to-end", test_end_to_end);
  g_test_add_func ("/ninjatrader/desk/priced-by-feed", test_priced_by_feed);
  g_test_add_func ("/ninjatrader/desk/reverse", test_reverse);
  g_test_add_func ("/ninjatrader/desk/protect-not-supported", test_protect_not_supported);
  g_test_add_func ("/ninjatrader/desk/restart-under-working-order", test_restart_under_working_order);
  g_test_add_func ("/ninjatrader/latency", test_latency);
  g_test_add_func ("/ninjatrader/balance", test_balance);
  g_test_add_func ("/ninjatrader/desk/app-test-mode", test_app_test_mode);
  return g_test_run ();
}
