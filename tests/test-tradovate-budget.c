/* test-tradovate-budget.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Tradovate adapter's request budget against a local Tradovate that
 * penalises bursts: a cancel-all without a budget provokes penalties;
 * with one, the emergency stop's cancels and liquidation all go out,
 * once each, spread within the budget as the server counts them.
 */
#include "config.h"

#include "ea-instrument.h"
#include "ea-session.h"
#include "ea-tradovate-broker.h"
#include "ea-tradovate-server.h"

#define N_ORDERS 30

typedef struct
{
  EaTradovateServer *server;
  EaTradovateBroker *broker;
  gint64             account_id;
  gint64             contract_id;
  char              *working_id;   /* a working order's broker id */
} Fixture;

static char *symbol;

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
sync_broker (Fixture *f)
{
  GAsyncResult *res = NULL;

  ea_tradovate_broker_sync_async (f->broker, NULL, result_cb, &res);
  g_assert_true (ea_tradovate_broker_sync_finish (f->broker, wait_result (&res), NULL));
  g_object_unref (res);
}

static char *
place (Fixture     *f,
       EaOrderType  type,
       const char  *id)
{
  g_autoptr(EaOrderRequest) r = ea_order_request_new ("DEMO001", symbol, id, EA_SIDE_BUY, type, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *broker_id = NULL;
  GAsyncResult *res = NULL;

  r->limit_price = 27000;
  ea_broker_place_order_async (EA_BROKER (f->broker), r, NULL, result_cb, &res);
  broker_id = ea_broker_place_order_finish (EA_BROKER (f->broker), wait_result (&res), &error);
  g_object_unref (res);
  g_assert_no_error (error);
  g_assert_nonnull (broker_id);

  return g_steal_pointer (&broker_id);
}

/* A long position and N_ORDERS working limit orders. */
static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  gint64 user;
  EaTradovateConfig config = {
    .user = "jdoe",
    .password = "s3cret",
    .cid = "8",
    .sec = "not-a-real-secret",
    .device_id = "0c6a3d3e-test-device",
  };

  f->server = ea_tradovate_server_new (&error);
  g_assert_no_error (error);
  user = ea_tradovate_server_add_user (f->server, "jdoe", "s3cret");
  f->account_id = ea_tradovate_server_add_account (f->server, user, "DEMO001", EA_MICROS (50000));
  f->contract_id = ea_tradovate_server_add_contract (f->server, symbol, "ES");
  ea_tradovate_server_set_book (f->server, symbol, 27200, 27201, 10, 10);

  config.rest_url = ea_tradovate_server_get_rest_url (f->server);
  config.ws_url = ea_tradovate_server_get_ws_url (f->server);
  config.md_url = ea_tradovate_server_get_md_url (f->server);
  f->broker = ea_tradovate_broker_new (&config);
  ea_broker_connect_async (EA_BROKER (f->broker), NULL, result_cb, &res);
  g_assert_true (ea_broker_connect_finish (EA_BROKER (f->broker), wait_result (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);

  g_free (place (f, EA_ORDER_TYPE_MARKET, "entry"));
  for (guint i = 0; i < N_ORDERS; i++)
    {
      g_autofree char *id = g_strdup_printf ("working-%u", i);

      g_free (f->working_id);
      f->working_id = place (f, EA_ORDER_TYPE_LIMIT, id);
    }
  sync_broker (f);
  g_assert_cmpint (ea_tradovate_server_get_net_position (f->server, f->account_id, f->contract_id), ==, 1);
  g_assert_cmpuint (ea_tradovate_server_count_orders (f->server, f->account_id, "Working"), ==, N_ORDERS);

  /* Tradovate's side: at most 18 requests in any second. */
  ea_tradovate_server_reset_request_counts (f->server);
  ea_tradovate_server_set_request_limit (f->server, 18, 1000);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->broker);
  g_clear_object (&f->server);
  g_free (f->working_id);
}

static gboolean
flatten (Fixture  *f,
         GError  **error)
{
  GAsyncResult *res = NULL;
  gboolean ok;

  ea_broker_flatten_async (EA_BROKER (f->broker), "DEMO001", NULL, NULL, result_cb, &res);
  ok = ea_broker_flatten_finish (EA_BROKER (f->broker), wait_result (&res), error);
  g_object_unref (res);

  return ok;
}

/* The server's rule bites: a burst with no budget to speak of. */
static void
test_burst_penalised (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (flatten (f, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED);
  g_assert_cmpuint (ea_tradovate_server_get_penalties_issued (f->server), >, 0);
  g_assert_cmpuint (ea_tradovate_server_get_max_requests_in (f->server, 1000), >, 18);
  g_assert_cmpuint (ea_tradovate_server_count_orders (f->server, f->account_id, "Working"), >, 0);
}

/* With a budget of 5 at once and 10 a second, the same emergency flatten
 * is spread: every cancel and the liquidation go out, once each, and the
 * server never sees more than 5 + 10 in a second (+2 for delivery). */
static void
test_burst_spread (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  guint max_per_second;

  ea_tradovate_broker_set_request_budget (f->broker, 5, 10);
  g_assert_true (flatten (f, &error));
  g_assert_no_error (error);
  sync_broker (f);

  g_assert_cmpuint (ea_tradovate_server_get_penalties_issued (f->server), ==, 0);
  g_assert_cmpuint (ea_tradovate_server_count_requests (f->server, "order/cancelorder"), ==, N_ORDERS);
  g_assert_cmpuint (ea_tradovate_server_count_requests (f->server, "order/liquidateposition"), ==, 1);
  g_assert_cmpuint (ea_tradovate_server_count_orders (f->server, f->account_id, "Working"), ==, 0);
  g_assert_cmpuint (ea_tradovate_server_count_orders (f->server, f->account_id, "Canceled"), ==, N_ORDERS);
  g_assert_cmpint (ea_tradovate_server_get_net_position (f->server, f->account_id, f->contract_id), ==, 0);

  max_per_second = ea_tradovate_server_get_max_requests_in (f->server, 1000);
  g_test_message ("most requests in a second: %u", max_per_second);
  g_assert_cmpuint (max_per_second, <=, 5 + 10 + 2);
  g_assert_cmpuint (ea_tradovate_server_get_max_requests_in (f->server, 50), <=, 5 + 1 + 2);
}

static void
synced_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_assert_true (ea_tradovate_broker_sync_finish (EA_TRADOVATE_BROKER (source), result, NULL));
  (*(guint *) user_data)++;
}

/* Order actions and snapshots go ahead of what waits for the budget: a
 * cancel or a snapshot asked for behind queued reads is the next request
 * sent. */
static void
test_order_actions_first (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  guint synced = 0;
  guint before;

  ea_tradovate_broker_set_request_budget (f->broker, 1, 4);
  before = ea_tradovate_server_count_requests (f->server, NULL);
  for (guint i = 0; i < 6; i++)
    ea_tradovate_broker_sync_async (f->broker, NULL, synced_cb, &synced);

  ea_broker_cancel_order_async (EA_BROKER (f->broker), f->working_id, NULL, result_cb, &res);
  g_assert_true (ea_broker_cancel_order_finish (EA_BROKER (f->broker), wait_result (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);

  /* Only the first read went before it; none of the syncs is done. */
  g_assert_cmpuint (ea_tradovate_server_count_requests (f->server, "order/cancelorder"), ==, 1);
  g_assert_cmpuint (ea_tradovate_server_count_requests (f->server, NULL) - before, ==, 2);
  g_assert_cmpuint (synced, ==, 0);

  /* A snapshot (the emergency stop's first step) also goes ahead. */
  for (guint i = 0; i < 6; i++)
    ea_tradovate_broker_sync_async (f->broker, NULL, synced_cb, &synced);
  before = ea_tradovate_server_count_requests (f->server, NULL);
  res = NULL;
  ea_broker_snapshot_async (EA_BROKER (f->broker), "DEMO001", NULL, result_cb, &res);
  {
    g_autoptr(EaSnapshotData) snapshot = ea_broker_snapshot_finish (EA_BROKER (f->broker), wait_result (&res), &error);

    g_assert_no_error (error);
    g_assert_nonnull (snapshot);
    g_object_unref (res);
  }
  g_assert_cmpuint (ea_tradovate_server_count_requests (f->server, NULL) - before, <=, 2);
  g_assert_cmpuint (synced, <, 6);

  /* The reads still all go, once each. */
  while (synced < 12)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (ea_tradovate_server_count_requests (f->server, "account/list"), ==, 24);
  g_assert_cmpuint (ea_tradovate_server_count_orders (f->server, f->account_id, "Canceled"), ==, 1);
  g_assert_cmpuint (ea_tradovate_server_get_penalties_issued (f->server), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  EaContract front;
  int ret;

  g_setenv ("EA_TRADOVATE_TEST_TIMING", "1", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_assert_true (ea_contract_front (ea_instrument_lookup ("ES"), ea_session_trading_day (now), &front));
  symbol = ea_contract_format (&front, EA_SYMBOLOGY_TRADOVATE);

  g_test_add ("/tradovate/budget/burst-penalised", Fixture, NULL, fixture_setup, test_burst_penalised, fixture_teardown);
  g_test_add ("/tradovate/budget/burst-spread", Fixture, NULL, fixture_setup, test_burst_spread, fixture_teardown);
  g_test_add ("/tradovate/budget/order-actions-first", Fixture, NULL, fixture_setup, test_order_actions_first,
              fixture_teardown);

  ret = g_test_run ();
  g_free (symbol);

  return ret;
}
