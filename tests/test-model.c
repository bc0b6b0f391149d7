/* test-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Model objects notify exactly the properties that changed; the trading
 * store keys records so repeats update instead of duplicating; fed from
 * the Demo broker's signals it agrees with the broker's snapshot.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ea-sim-broker.h"
#include "ea-trading-store.h"

#define TUE_0900_CT G_GINT64_CONSTANT (1763478000000000)

static int
names_cmp (const char **a, const char **b)
{
  return g_strcmp0 (*a, *b);
}

static void
notify_cb (GObject *object, GParamSpec *pspec, GString *log)
{
  g_string_append_printf (log, "%s;", pspec->name);
}

/* The notified names, sorted: GObject does not promise an order for
 * notifications queued while frozen. */
static char *
sorted (GString *log)
{
  g_auto(GStrv) names = g_strsplit (log->str, ";", -1);
  guint n = g_strv_length (names);

  qsort (names, n, sizeof (char *), (int (*) (const void *, const void *)) names_cmp);
  return g_strjoinv (";", names);
}

static void
test_quote_notify (void)
{
  EaQuoteData d = { "ES", 100, 27200, 27201, 0, 5, 6, 0, 10 };
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(EaQuote) q = ea_quote_new_from_data (&d);
  gint64 bid = 0;

  g_assert_cmpstr (ea_quote_get_symbol (q), ==, "ES");
  g_assert_cmpint (ea_quote_get_ask (q), ==, 27201);
  g_object_get (q, "bid", &bid, NULL);
  g_assert_cmpint (bid, ==, 27200);

  g_signal_connect (q, "notify", G_CALLBACK (notify_cb), log);
  ea_quote_update (q, &d);
  g_assert_cmpstr (log->str, ==, "");

  d.bid = 27199;
  d.bid_size = 9;
  ea_quote_update (q, &d);
  {
    g_autofree char *names = sorted (log);

    g_assert_cmpstr (names, ==, ";bid;bid-size");
  }
  g_assert_cmpint (ea_quote_get_bid_size (q), ==, 9);
}

static void
test_order_fields (void)
{
  EaOrderData d = {
    .account = (char *) "DEMO-1", .symbol = (char *) "NQ",
    .client_order_id = (char *) "c-1", .broker_order_id = (char *) "SIM-000001",
    .side = EA_SIDE_SELL, .type = EA_ORDER_TYPE_STOP_LIMIT, .tif = EA_TIME_IN_FORCE_GTC,
    .state = EA_ORDER_STATE_WORKING, .qty = 3, .limit_price = 100000, .stop_price = 100004,
  };
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(EaOrder) o = ea_order_new_from_data (&d);

  g_assert_cmpint (ea_order_get_side (o), ==, EA_SIDE_SELL);
  g_assert_cmpuint (ea_order_get_order_type (o), ==, EA_ORDER_TYPE_STOP_LIMIT);
  g_assert_cmpuint (ea_order_get_time_in_force (o), ==, EA_TIME_IN_FORCE_GTC);
  g_assert_cmpstr (ea_order_get_client_order_id (o), ==, "c-1");
  g_assert_null (ea_order_get_reason (o));

  g_signal_connect (o, "notify", G_CALLBACK (notify_cb), log);
  d.state = EA_ORDER_STATE_PARTIALLY_FILLED;
  d.filled_qty = 1;
  d.avg_fill_price = 100004;
  ea_order_update (o, &d);
  /* One notification per changed property, after the whole update. */
  {
    g_autofree char *names = sorted (log);

    g_assert_cmpstr (names, ==, ";avg-fill-price;filled-qty;state");
  }
  g_assert_cmpuint (ea_order_get_state (o), ==, EA_ORDER_STATE_PARTIALLY_FILLED);
}

static void
test_signal_alert (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(EaSignal) s = ea_signal_new (1000, "ES", 1, 27200, 18, 3, "GREEN", "NEUTRAL", 4.0, "test");
  g_autoptr(EaAlert) a = ea_alert_new ("erm_reversal", EA_ALERT_PRIORITY_HIGH, "Reversal", "ES", 2000);

  g_assert_true (ea_signal_get_active (s));
  g_assert_cmpuint (ea_signal_get_power_score (s), ==, 18);
  g_assert_cmpstr (ea_signal_get_macvu (s), ==, "NEUTRAL");
  g_assert_cmpfloat_with_epsilon (ea_signal_get_atr (s), 4.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (ea_signal_get_confidence (s), 0.18, 1e-12);
  ea_signal_set_confidence (s, 0.7);
  g_assert_cmpfloat_with_epsilon (ea_signal_get_confidence (s), 0.7, 1e-12);
  ea_signal_set_confidence (s, 1.5);
  g_assert_cmpfloat_with_epsilon (ea_signal_get_confidence (s), 1.0, 1e-12);
  ea_signal_set_confidence (s, NAN);
  g_assert_cmpfloat_with_epsilon (ea_signal_get_confidence (s), 1.0, 1e-12);
  g_signal_connect (s, "notify", G_CALLBACK (notify_cb), log);
  ea_signal_set_active (s, FALSE);
  ea_signal_set_active (s, FALSE);
  g_assert_cmpstr (log->str, ==, "active;");

  g_assert_false (ea_alert_get_acknowledged (a));
  g_assert_cmpuint (ea_alert_get_priority (a), ==, EA_ALERT_PRIORITY_HIGH);
  ea_alert_set_acknowledged (a, TRUE);
  g_assert_true (ea_alert_get_acknowledged (a));
}

static void
items_changed_cb (GListModel *model, guint pos, guint removed, guint added, guint *count)
{
  (*count)++;
}

static void
test_store_keys (void)
{
  g_autoptr(EaTradingStore) store = ea_trading_store_new ();
  EaOrderData o = { .account = (char *) "A", .symbol = (char *) "ES",
                    .client_order_id = (char *) "c", .broker_order_id = (char *) "B1",
                    .side = EA_SIDE_BUY, .state = EA_ORDER_STATE_WORKING, .qty = 1 };
  EaFillData f = { .account = (char *) "A", .symbol = (char *) "ES", .fill_id = (char *) "F1",
                   .broker_order_id = (char *) "B1", .client_order_id = (char *) "c",
                   .side = EA_SIDE_BUY, .qty = 1, .price = 27200 };
  g_autoptr(EaSnapshotData) snap = ea_snapshot_data_new (0);
  EaOrder *order;
  guint changes = 0;

  g_signal_connect (ea_trading_store_get_orders (store), "items-changed",
                    G_CALLBACK (items_changed_cb), &changes);
  order = ea_trading_store_apply_order (store, &o);
  o.state = EA_ORDER_STATE_FILLED;
  o.filled_qty = 1;
  g_assert_true (ea_trading_store_apply_order (store, &o) == order);
  g_assert_cmpuint (g_list_model_get_n_items (ea_trading_store_get_orders (store)), ==, 1);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (ea_order_get_state (order), ==, EA_ORDER_STATE_FILLED);
  g_assert_true (ea_trading_store_lookup_order (store, "B1") == order);
  g_assert_cmpuint (g_list_model_get_item_type (ea_trading_store_get_orders (store)), ==, EA_TYPE_ORDER);

  g_assert_nonnull (ea_trading_store_apply_fill (store, &f));
  g_assert_null (ea_trading_store_apply_fill (store, &f));

  /* A snapshot with the known fill and a new one adds only the new one. */
  g_ptr_array_add (snap->fills, ea_fill_data_copy (&f));
  f.fill_id = (char *) "F2";
  g_ptr_array_add (snap->fills, ea_fill_data_copy (&f));
  g_ptr_array_add (snap->orders, ea_order_data_copy (&o));
  g_assert_cmpuint (ea_trading_store_apply_snapshot (store, snap), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (ea_trading_store_get_fills (store)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (ea_trading_store_get_orders (store)), ==, 1);
}

/* The desk's job in miniature: broker signals feed the store. */
static void
on_order (EaBroker *b, const EaOrderData *d, EaTradingStore *s) { ea_trading_store_apply_order (s, d); }
static void
on_fill (EaBroker *b, const EaFillData *d, EaTradingStore *s) { ea_trading_store_apply_fill (s, d); }
static void
on_position (EaBroker *b, const EaPositionData *d, EaTradingStore *s) { ea_trading_store_apply_position (s, d); }
static void
on_account (EaBroker *b, const EaAccountData *d, EaTradingStore *s) { ea_trading_store_apply_account (s, d); }
static void
on_quote (EaBroker *b, const EaQuoteData *d, EaTradingStore *s) { ea_trading_store_apply_quote (s, d); }

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_store_from_broker (void)
{
  g_autoptr(EaTradingStore) store = ea_trading_store_new ();
  EaSimBroker *sim = ea_sim_broker_new (9, TUE_0900_CT);
  EaSimExchange *ex = ea_sim_broker_get_exchange (sim);
  g_autoptr(EaSnapshotData) snap = NULL;
  GAsyncResult *res = NULL;
  EaPosition *p;

  g_signal_connect (sim, "order-updated", G_CALLBACK (on_order), store);
  g_signal_connect (sim, "fill", G_CALLBACK (on_fill), store);
  g_signal_connect (sim, "position-changed", G_CALLBACK (on_position), store);
  g_signal_connect (sim, "account-changed", G_CALLBACK (on_account), store);
  g_signal_connect (sim, "quote", G_CALLBACK (on_quote), store);

  ea_broker_connect_async (EA_BROKER (sim), NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&res);
  ea_broker_subscribe_quotes_async (EA_BROKER (sim), "ES", NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&res);

  /* Trade on the generated market for ten minutes. */
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *cid = g_strdup_printf ("m-%u", i);
      g_autoptr(EaOrderRequest) r = ea_order_request_new ("DEMO-1", "ES", cid,
                                                          i % 3 ? EA_SIDE_BUY : EA_SIDE_SELL,
                                                          EA_ORDER_TYPE_MARKET, 1 + i % 2);
      ea_broker_place_order_async (EA_BROKER (sim), r, NULL, result_cb, &res);
      while (res == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_free (ea_broker_place_order_finish (EA_BROKER (sim), res, NULL));
      g_clear_object (&res);
      ea_sim_broker_advance (sim, 60 * G_USEC_PER_SEC);
    }

  snap = ea_sim_exchange_snapshot (ex, "DEMO-1");
  g_assert_cmpuint (g_list_model_get_n_items (ea_trading_store_get_fills (store)), ==, snap->fills->len);
  g_assert_cmpuint (g_list_model_get_n_items (ea_trading_store_get_orders (store)), ==, snap->orders->len);
  p = ea_trading_store_lookup_position (store, "DEMO-1", "ES");
  g_assert_nonnull (p);
  g_assert_cmpint (ea_position_get_qty (p), ==, ((EaPositionData *) snap->positions->pdata[0])->qty);
  /* Buys at i = 1 2 4 5 7 8 (2+1+1+2+2+1 = 9), sells at 0 3 6 9 (1+2+1+2 = 6). */
  g_assert_cmpint (ea_position_get_qty (p), ==, 3);
  g_assert_cmpint (ea_account_get_realized_pnl (ea_trading_store_lookup_account (store, "DEMO-1")), ==,
                   ((EaAccountData *) snap->accounts->pdata[0])->realized_pnl);
  g_assert_cmpint (ea_quote_get_bid (ea_trading_store_lookup_quote (store, "ES")), ==,
                   ea_sim_exchange_get_quote (ex, "ES")->bid);
  /* Re-applying the snapshot adds nothing. */
  g_assert_cmpuint (ea_trading_store_apply_snapshot (store, snap), ==, 0);

  g_signal_handlers_disconnect_by_data (sim, store);
  g_assert_finalize_object (sim);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model/quote-notify", test_quote_notify);
  g_test_add_func ("/model/order-fields", test_order_fields);
  g_test_add_func ("/model/signal-alert", test_signal_alert);
  g_test_add_func ("/model/store-keys", test_store_keys);
  g_test_add_func ("/model/store-from-broker", test_store_from_broker);

  return g_test_run ();
}
