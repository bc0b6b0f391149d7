/* test-tradovate-broker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Tradovate adapter against the local Tradovate: the EaBroker
 * conformance suite, then what is Tradovate's own: penalties, captcha,
 * wrong credentials, token renewal, broker-side locks, malformed frames,
 * silent servers and shutdown events.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "ea-broker-conformance.h"
#include "ea-desk.h"
#include "ea-instrument.h"
#include "ea-order.h"
#include "ea-session.h"
#include "ea-tradovate-broker.h"
#include "ea-tradovate-server.h"
#include "ea-test-clock.h"

#define SEC G_GINT64_CONSTANT (1000000)

static EaTradovateServer *server;
static gint64 account_id;
static gint64 contract_id;
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
start_server (void)
{
  g_autoptr(GError) error = NULL;
  gint64 user;

  g_clear_object (&server);
  server = ea_tradovate_server_new (&error);
  g_assert_no_error (error);
  user = ea_tradovate_server_add_user (server, "jdoe", "s3cret");
  account_id = ea_tradovate_server_add_account (server, user, "DEMO001", EA_MICROS (50000));
  contract_id = ea_tradovate_server_add_contract (server, symbol, "ES");
}

static EaTradovateBroker *
new_broker_full (const char *password,
                 gboolean    front_month_as_root)
{
  EaTradovateConfig config = {
    .rest_url = ea_tradovate_server_get_rest_url (server),
    .ws_url = ea_tradovate_server_get_ws_url (server),
    .md_url = ea_tradovate_server_get_md_url (server),
    .user = "jdoe",
    .password = password,
    .app_id = "EnigmaApexTests",
    .cid = "8",
    .sec = "not-a-real-secret",
    .device_id = "0c6a3d3e-test-device",
    .front_month_as_root = front_month_as_root,
  };

  return ea_tradovate_broker_new (&config);
}

static EaTradovateBroker *
new_broker (const char *password)
{
  return new_broker_full (password, FALSE);
}

static gboolean
try_connect (EaBroker  *broker,
             GError   **error)
{
  GAsyncResult *res = NULL;
  gboolean ok;

  ea_broker_connect_async (broker, NULL, result_cb, &res);
  ok = ea_broker_connect_finish (broker, wait_result (&res), error);
  g_object_unref (res);

  return ok;
}

static void
sync_broker (EaBroker *broker)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;

  ea_tradovate_broker_sync_async (EA_TRADOVATE_BROKER (broker), NULL, result_cb, &res);
  g_assert_true (ea_tradovate_broker_sync_finish (EA_TRADOVATE_BROKER (broker), wait_result (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);
}

static void
iterate_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
}

static gboolean
wait_state (EaBroker          *broker,
            EaConnectionState  state,
            guint              timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (ea_broker_get_connection_state (broker) != state && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return ea_broker_get_connection_state (broker) == state;
}

/* The conformance factory -------------------------------------------------- */

static EaBroker *
tv_create (gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  EaTradovateBroker *broker;

  start_server ();
  broker = new_broker ("s3cret");
  g_assert_true (try_connect (EA_BROKER (broker), &error));
  g_assert_no_error (error);

  return EA_BROKER (broker);
}

static void
tv_advance (EaBroker *broker, EaTimeUs usec, gpointer user_data)
{
  /* Real time passes here: a bounded slice of it is enough. */
  iterate_ms (MIN (usec / 1000, 100));
  if (ea_broker_get_connection_state (broker) == EA_CONNECTION_STATE_CONNECTED)
    sync_broker (broker);
}

static void
tv_set_quote (EaBroker *broker, const char *sym, EaTicks bid, EaTicks ask,
              gint64 bid_size, gint64 ask_size, gpointer user_data)
{
  ea_tradovate_server_set_book (server, sym, bid, ask, bid_size, ask_size);
  if (ea_broker_get_connection_state (broker) == EA_CONNECTION_STATE_CONNECTED)
    sync_broker (broker);
}

static void
tv_trade (EaBroker *broker, const char *sym, EaTicks price, gint64 size, gpointer user_data)
{
  ea_tradovate_server_trade (server, sym, price, size);
  if (ea_broker_get_connection_state (broker) == EA_CONNECTION_STATE_CONNECTED)
    sync_broker (broker);
}

static void
tv_drop (EaBroker *broker, gpointer user_data)
{
  ea_tradovate_server_set_accepting (server, FALSE);
  ea_tradovate_server_drop_connections (server);
  g_assert_true (wait_state (broker, EA_CONNECTION_STATE_DISCONNECTED, 10000));
}

static void
tv_restore (EaBroker *broker, gpointer user_data)
{
  ea_tradovate_server_set_accepting (server, TRUE);
  ea_tradovate_broker_reconnect_now (EA_TRADOVATE_BROKER (broker));
  g_assert_true (wait_state (broker, EA_CONNECTION_STATE_CONNECTED, 10000));
}

static void
tv_lose_reply (EaBroker *broker, gpointer user_data)
{
  ea_tradovate_server_inject (server, EA_TV_FAULT_DROP_AFTER_ORDER, 1, 0);
}

static void
tv_rate_limit_next (EaBroker *broker, gpointer user_data)
{
  ea_tradovate_server_inject (server, EA_TV_FAULT_WS_RATE_LIMIT, 1, 0);
}

static EaBrokerConformanceFactory factory = {
  .prefix = "/broker/tradovate",
  .account = "DEMO001",
  .base_price = 27200, /* 6800.00 */
  .create = tv_create,
  .advance = tv_advance,
  .set_quote = tv_set_quote,
  .trade = tv_trade,
  .drop_connection = tv_drop,
  .restore_connection = tv_restore,
  .lose_next_place_reply = tv_lose_reply,
  .rate_limit_next = tv_rate_limit_next,
};

/* Tradovate's own ---------------------------------------------------------- */

static void
test_penalty_then_login (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(GError) error = NULL;

  start_server ();
  ea_tradovate_server_inject (server, EA_TV_FAULT_PENALTY, 1, 1);
  broker = new_broker ("s3cret");

  /* The penalty (1 s) is waited out and the request resent with its ticket. */
  g_assert_true (try_connect (EA_BROKER (broker), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ea_tradovate_server_get_auth_requests (server), ==, 2);
  g_assert_cmpuint (ea_tradovate_server_get_open_sessions (server), ==, 1);
  g_assert_cmpuint (ea_tradovate_broker_get_logins (broker), ==, 1);
}

/* A penalty can answer any request, not only the login: a penalized
 * user/syncrequest is waited out and sent again, never taken for an
 * (empty) snapshot; a captcha fails the request with a clear message. */
static void
test_penalty_on_sync (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSnapshotData) snap = NULL;
  GAsyncResult *res = NULL;
  guint syncs;

  start_server ();
  ea_tradovate_server_set_book (server, symbol, 27200, 27201, 10, 10);
  ea_tradovate_server_trade (server, symbol, 27200, 1);
  broker = new_broker ("s3cret");

  /* The connection's first request, its user/syncrequest, is penalized:
   * sent again after p-time, and the snapshot applied is the real one. */
  ea_tradovate_server_inject (server, EA_TV_FAULT_WS_PENALTY, 1, 1);
  g_assert_true (try_connect (EA_BROKER (broker), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ea_tradovate_server_count_requests (server, "user/syncrequest"), ==, 2);
  g_assert_null (ea_tradovate_broker_get_admin_action (broker, "DEMO001"));

  /* The same for the desk's snapshot: the account is there. */
  syncs = ea_tradovate_server_count_requests (server, "user/syncrequest");
  ea_tradovate_server_inject (server, EA_TV_FAULT_WS_PENALTY, 1, 1);
  ea_broker_snapshot_async (EA_BROKER (broker), "DEMO001", NULL, result_cb, &res);
  snap = ea_broker_snapshot_finish (EA_BROKER (broker), wait_result (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_nonnull (snap);
  g_assert_cmpuint (snap->accounts->len, ==, 1);
  g_assert_cmpuint (ea_tradovate_server_count_requests (server, "user/syncrequest"), ==, syncs + 2);
  g_clear_pointer (&snap, ea_snapshot_data_free);

  /* A captcha: no snapshot, a clear error, and still connected. */
  ea_tradovate_server_inject (server, EA_TV_FAULT_WS_PENALTY_CAPTCHA, 1, 60);
  ea_broker_snapshot_async (EA_BROKER (broker), "DEMO001", NULL, result_cb, &res);
  snap = ea_broker_snapshot_finish (EA_BROKER (broker), wait_result (&res), &error);
  g_clear_object (&res);
  g_assert_null (snap);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (error->message, "captcha"));
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (broker)), ==, EA_CONNECTION_STATE_CONNECTED);
}

/* A connection whose first snapshot meets a captcha does not report
 * success on a penalty body taken for an empty account list. */
static void
test_penalty_captcha_on_connect (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(GError) error = NULL;

  start_server ();
  /* Every WebSocket request of the attempt is answered with a captcha. */
  ea_tradovate_server_inject (server, EA_TV_FAULT_WS_PENALTY_CAPTCHA, 100, 60);
  broker = new_broker ("s3cret");

  g_assert_false (try_connect (EA_BROKER (broker), &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "captcha"));
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (broker)), !=, EA_CONNECTION_STATE_CONNECTED);
}

/* A 429 at the login: the user is told when the next try comes, and
 * the reconnection keeps to it instead of the usual backoff. */
static void
test_rate_limited_login (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(GError) error = NULL;

  start_server ();
  ea_tradovate_server_inject (server, EA_TV_FAULT_RATE_LIMIT, 1, 0);
  broker = new_broker ("s3cret");

  g_assert_false (try_connect (EA_BROKER (broker), &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED);
  g_assert_cmpint (ea_broker_error_get_retry_after_ms (error), ==, 3600000);
  g_assert_cmpint (ea_tradovate_broker_get_reconnect_delay_ms (broker), >=, 3600000);

  /* With a backoff of 50 ms, a retry not held back would have logged in
   * by now (the 429 itself never reached the login). */
  iterate_ms (300);
  g_assert_cmpuint (ea_tradovate_server_get_auth_requests (server), ==, 0);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (broker)), ==, EA_CONNECTION_STATE_DISCONNECTED);
}

/* The reconnection schedule with the real timing: 1 s, doubling, capped
 * at 30 s, each with up to a fifth more of jitter. */
static void
test_reconnect_schedule (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(GError) error = NULL;
  static const gint64 expected[] = { 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000 };
  gboolean jittered = FALSE;

  start_server ();
  g_unsetenv ("EA_TRADOVATE_TEST_TIMING");
  broker = new_broker ("s3cret");
  g_setenv ("EA_TRADOVATE_TEST_TIMING", "1", TRUE);
  g_assert_cmpint (ea_tradovate_broker_get_reconnect_delay_ms (broker), ==, -1);

  ea_tradovate_server_set_accepting (server, FALSE);
  g_assert_false (try_connect (EA_BROKER (broker), &error));
  g_assert_nonnull (error);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      gint64 delay;

      /* Each failed attempt schedules the next one. */
      while ((delay = ea_tradovate_broker_get_reconnect_delay_ms (broker)) < 0)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (delay, >=, expected[i]);
      g_assert_cmpint (delay, <=, expected[i] + expected[i] / 5);
      jittered |= delay != expected[i];
      g_test_message ("attempt %u: %" G_GINT64_FORMAT " ms", i, delay);
      ea_tradovate_broker_reconnect_now (broker);
      g_assert_cmpint (ea_tradovate_broker_get_reconnect_delay_ms (broker), ==, -1);
    }
  g_assert_true (jittered);
}

/* A product whose tick size disagrees with the core's table: the
 * contract is refused with the reason, nothing is sent. */
static void
test_product_mismatch (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(EaOrderRequest) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  GAsyncResult *res = NULL;

  start_server ();
  ea_tradovate_server_set_product_tick_size (server, symbol, 0.5);
  broker = new_broker ("s3cret");
  g_assert_true (try_connect (EA_BROKER (broker), &error));
  g_assert_no_error (error);

  r = ea_order_request_new ("DEMO001", symbol, "mismatch-1", EA_SIDE_BUY, EA_ORDER_TYPE_MARKET, 1);
  ea_broker_place_order_async (EA_BROKER (broker), r, NULL, result_cb, &res);
  id = ea_broker_place_order_finish (EA_BROKER (broker), wait_result (&res), &error);
  g_clear_object (&res);
  g_assert_null (id);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "tick size of 0.5"));
  g_assert_cmpuint (ea_tradovate_server_count_fills (server, account_id), ==, 0);
}

static void
last_quote_cb (EaBroker *broker, const EaQuoteData *q, EaTicks *bid)
{
  *bid = q->bid;
}

/* A dropped market-data socket: after the reconnection the quotes
 * resume without a new subscription from the caller. */
static void
test_resubscribe (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  EaTicks bid = 0;

  start_server ();
  broker = new_broker ("s3cret");
  g_signal_connect (broker, "quote", G_CALLBACK (last_quote_cb), &bid);
  g_assert_true (try_connect (EA_BROKER (broker), &error));
  g_assert_no_error (error);

  ea_broker_subscribe_quotes_async (EA_BROKER (broker), symbol, NULL, result_cb, &res);
  g_assert_true (ea_broker_subscribe_quotes_finish (EA_BROKER (broker), wait_result (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  ea_tradovate_server_set_book (server, symbol, 27200, 27201, 10, 10);
  sync_broker (EA_BROKER (broker));
  g_assert_cmpint (bid, ==, 27200);

  ea_tradovate_server_drop_connections (server);
  g_assert_true (wait_state (EA_BROKER (broker), EA_CONNECTION_STATE_DISCONNECTED, 10000));
  g_assert_true (wait_state (EA_BROKER (broker), EA_CONNECTION_STATE_CONNECTED, 10000));

  ea_tradovate_server_set_book (server, symbol, 27210, 27211, 10, 10);
  sync_broker (EA_BROKER (broker));
  g_assert_cmpint (bid, ==, 27210);
}

/* Frames the adapter does not know are skipped, not fatal: unknown
 * events, unknown entity types, extra heartbeats, several messages in
 * one frame. Quotes after them still arrive. */
static void
test_unknown_events (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  EaTicks bid = 0;

  start_server ();
  broker = new_broker ("s3cret");
  g_signal_connect (broker, "quote", G_CALLBACK (last_quote_cb), &bid);
  g_assert_true (try_connect (EA_BROKER (broker), &error));
  g_assert_no_error (error);
  ea_broker_subscribe_quotes_async (EA_BROKER (broker), symbol, NULL, result_cb, &res);
  g_assert_true (ea_broker_subscribe_quotes_finish (EA_BROKER (broker), wait_result (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);

  ea_tradovate_server_broadcast_raw (server, "h");
  ea_tradovate_server_broadcast_raw (server, "a[{\"e\":\"somethingNew\",\"d\":{\"x\":1}},"
                                     "{\"e\":\"props\",\"d\":{\"entityType\":\"unheardOf\","
                                     "\"eventType\":\"Created\",\"entity\":{\"id\":1}}},"
                                     "{\"e\":\"md\",\"d\":{\"somethingElse\":[]}}]");
  ea_tradovate_server_broadcast_raw (server, "h");
  ea_tradovate_server_set_book (server, symbol, 27205, 27206, 10, 10);
  sync_broker (EA_BROKER (broker));
  g_assert_cmpint (bid, ==, 27205);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (broker)), ==, EA_CONNECTION_STATE_CONNECTED);
}

static void
test_captcha (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(GError) error = NULL;

  start_server ();
  ea_tradovate_server_inject (server, EA_TV_FAULT_PENALTY_CAPTCHA, 1, 3600);
  broker = new_broker ("s3cret");

  g_assert_false (try_connect (EA_BROKER (broker), &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (error->message, "captcha"));
  g_assert_cmpint (ea_broker_error_get_retry_after_ms (error), ==, 3600000);

  /* No retry loop against a captcha. */
  iterate_ms (300);
  g_assert_cmpuint (ea_tradovate_server_get_auth_requests (server), ==, 1);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (broker)), ==, EA_CONNECTION_STATE_DISCONNECTED);
}

static void
test_wrong_password (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(GError) error = NULL;

  start_server ();
  broker = new_broker ("wrong");

  g_assert_false (try_connect (EA_BROKER (broker), &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Incorrect username or password"));
  g_assert_null (strstr (error->message, "wrong"));

  iterate_ms (300);
  g_assert_cmpuint (ea_tradovate_server_get_auth_requests (server), ==, 1);
}

static void
test_renewal (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) first = NULL;
  gint64 end;

  start_server ();
  ea_tradovate_server_set_token_lifetime (server, 4);
  broker = new_broker ("s3cret");
  g_assert_true (try_connect (EA_BROKER (broker), &error));
  first = g_date_time_ref (ea_tradovate_broker_get_token_expiration (broker));

  /* Renewed halfway through a short life: same session, no new login. */
  end = g_get_monotonic_time () + 8 * SEC;
  while ((ea_tradovate_server_get_renewals (server) < 1 ||
          g_date_time_compare (ea_tradovate_broker_get_token_expiration (broker), first) == 0) &&
         g_get_monotonic_time () < end)
    iterate_ms (50);

  g_assert_cmpuint (ea_tradovate_server_get_renewals (server), >=, 1);
  g_assert_cmpuint (ea_tradovate_server_get_open_sessions (server), ==, 1);
  g_assert_cmpuint (ea_tradovate_broker_get_logins (broker), ==, 1);
  g_assert_cmpint (g_date_time_compare (ea_tradovate_broker_get_token_expiration (broker), first), >, 0);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (broker)), ==, EA_CONNECTION_STATE_CONNECTED);
}

static void
test_broker_lock (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EaOrderRequest) r = NULL;
  GAsyncResult *res = NULL;
  g_autofree char *id = NULL;

  start_server ();
  broker = new_broker ("s3cret");
  g_assert_true (try_connect (EA_BROKER (broker), &error));
  g_assert_null (ea_tradovate_broker_get_admin_action (broker, "DEMO001"));

  ea_tradovate_server_set_admin_action (server, account_id, "LockTradingImmediately");
  sync_broker (EA_BROKER (broker));
  g_assert_cmpstr (ea_tradovate_broker_get_admin_action (broker, "DEMO001"), ==, "LockTradingImmediately");

  ea_tradovate_server_set_book (server, symbol, 27200, 27201, 5, 5);
  r = ea_order_request_new ("DEMO001", symbol, "lock-1", EA_SIDE_BUY, EA_ORDER_TYPE_MARKET, 1);
  ea_broker_place_order_async (EA_BROKER (broker), r, NULL, result_cb, &res);
  id = ea_broker_place_order_finish (EA_BROKER (broker), wait_result (&res), &error);
  g_object_unref (res);
  g_assert_null (id);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "TradingLocked"));
}

static void
test_malformed_frames (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(GError) error = NULL;
  guint quotes = 0;

  start_server ();
  broker = new_broker ("s3cret");
  g_assert_true (try_connect (EA_BROKER (broker), &error));

  /* Garbage is dropped; the connection and its state survive. */
  ea_tradovate_server_inject (server, EA_TV_FAULT_MALFORMED_FRAME, 50, 0);
  sync_broker (EA_BROKER (broker));
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (broker)), ==, EA_CONNECTION_STATE_CONNECTED);

  {
    GAsyncResult *res = NULL;

    g_signal_connect_swapped (broker, "quote", G_CALLBACK (g_atomic_int_inc), &quotes);
    ea_broker_subscribe_quotes_async (EA_BROKER (broker), symbol, NULL, result_cb, &res);
    g_assert_true (ea_broker_subscribe_quotes_finish (EA_BROKER (broker), wait_result (&res), &error));
    g_object_unref (res);
  }
  ea_tradovate_server_set_book (server, symbol, 27200, 27201, 5, 5);
  sync_broker (EA_BROKER (broker));
  g_assert_cmpuint (quotes, >=, 1);
}

static void
test_silent_server (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saw_disconnect = FALSE;
  gint64 end;

  start_server ();
  broker = new_broker ("s3cret");
  g_assert_true (try_connect (EA_BROKER (broker), &error));

  /* The server stops talking: the adapter notices and reconnects. */
  ea_tradovate_server_inject (server, EA_TV_FAULT_SILENT_HEARTBEAT, 1, 0);
  end = g_get_monotonic_time () + 20 * SEC;
  while (g_get_monotonic_time () < end && !saw_disconnect)
    {
      iterate_ms (20);
      saw_disconnect = ea_broker_get_connection_state (EA_BROKER (broker)) != EA_CONNECTION_STATE_CONNECTED;
    }
  g_assert_true (saw_disconnect);

  ea_tradovate_server_inject (server, EA_TV_FAULT_SILENT_HEARTBEAT, 0, 0);
  ea_tradovate_broker_reconnect_now (broker);
  g_assert_true (wait_state (EA_BROKER (broker), EA_CONNECTION_STATE_CONNECTED, 10000));
}

static void
test_shutdown_event (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(GError) error = NULL;

  start_server ();
  broker = new_broker ("s3cret");
  g_assert_true (try_connect (EA_BROKER (broker), &error));

  ea_tradovate_server_send_shutdown (server, "Maintenance");
  g_assert_true (wait_state (EA_BROKER (broker), EA_CONNECTION_STATE_DISCONNECTED, 5000));
  ea_tradovate_broker_reconnect_now (broker);
  g_assert_true (wait_state (EA_BROKER (broker), EA_CONNECTION_STATE_CONNECTED, 10000));
  /* The token was still good: no second session. */
  g_assert_cmpuint (ea_tradovate_server_get_open_sessions (server), ==, 1);
}

static gboolean
request_is_automated (const char *bracket)
{
  JsonNode *req = ea_tradovate_server_get_last_order_request (server);
  JsonObject *o;

  g_assert_nonnull (req);
  o = json_node_get_object (req);
  if (bracket != NULL)
    o = json_object_get_object_member (o, bracket);
  g_assert_nonnull (o);
  g_assert_true (json_object_has_member (o, "isAutomated"));

  return json_object_get_boolean_member (o, "isAutomated");
}

/* isAutomated tells Tradovate who sent the order: false for one a human
 * clicked, true for one the desk sent on its own, bracket children
 * included. */
static void
test_is_automated (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_TEST);
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  EaDeskOrder order = { .account = "DEMO001", .side = EA_SIDE_BUY, .type = EA_ORDER_TYPE_LIMIT,
                        .qty = 1, .limit_price = 27200 - 40,
                        .has_stop_loss = TRUE, .stop_loss = 27200 - 52,
                        .has_take_profit = TRUE, .take_profit = 27200 + 24 };
  EaActor actors[] = { EA_ACTOR_USER, EA_ACTOR_AUTOMATIC, EA_ACTOR_USER, EA_ACTOR_REMOTE };

  ea_test_desk_in_session (desk);
  start_server ();
  order.symbol = symbol;
  broker = new_broker ("s3cret");
  ea_desk_watch_symbol (desk, symbol);
  ea_desk_add_broker (desk, EA_BROKER (broker));
  g_assert_true (try_connect (EA_BROKER (broker), &error));
  g_assert_no_error (error);
  ea_tradovate_server_set_book (server, symbol, 27200, 27201, 10, 10);
  ea_tradovate_server_trade (server, symbol, 27200, 1);
  sync_broker (EA_BROKER (broker));
  iterate_ms (50);

  for (guint i = 0; i < G_N_ELEMENTS (actors); i++)
    {
      g_autofree char *id = NULL;
      gboolean automated = actors[i] != EA_ACTOR_USER;

      ea_desk_place_order_async (desk, &order, actors[i], NULL, result_cb, &res);
      id = ea_desk_place_order_finish (desk, wait_result (&res), NULL, &error);
      g_clear_object (&res);
      g_assert_no_error (error);
      g_assert_nonnull (id);

      g_assert_cmpint (request_is_automated (NULL), ==, automated);
      g_assert_cmpint (request_is_automated ("bracket1"), ==, automated);
      g_assert_cmpint (request_is_automated ("bracket2"), ==, automated);
      sync_broker (EA_BROKER (broker));
      g_assert_cmpuint (ea_tradovate_server_count_orders (server, account_id, "Working"), ==, 1);

      /* Cancelled before the next: the risk check counts working entries
       * against the open-loss room. */
      ea_desk_cancel_order_async (desk, id, NULL, result_cb, &res);
      g_assert_true (ea_desk_cancel_order_finish (desk, wait_result (&res), &error));
      g_clear_object (&res);
      g_assert_no_error (error);
      sync_broker (EA_BROKER (broker));
      iterate_ms (50);
      g_assert_cmpuint (ea_tradovate_server_count_orders (server, account_id, "Working"), ==, 0);
    }
}

static EaOrder *
store_order (EaDesk     *desk,
             const char *client_order_id)
{
  GListModel *orders = ea_trading_store_get_orders (ea_desk_get_store (desk));

  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(EaOrder) o = g_list_model_get_item (orders, i);

      if (g_strcmp0 (ea_order_get_client_order_id (o), client_order_id) == 0)
        return g_steal_pointer (&o);
    }
  return NULL;
}

/* Protect…: the position's stop and target as one `order/placeOCO`, the
 * stop's fields with the target under `other`; the target filling
 * cancels the stop and leaves the position flat. */
static void
test_protect_oco (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_TEST);
  g_autoptr(GError) error = NULL;
  g_autofree char *entry = NULL;
  g_autofree char *stop_id = NULL;
  g_autofree char *target_id = NULL;
  g_autoptr(EaOrder) stop = NULL;
  g_autoptr(EaOrder) target = NULL;
  GAsyncResult *res = NULL;
  EaDeskOrder buy = { .account = "DEMO001", .side = EA_SIDE_BUY, .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  JsonObject *body, *other;
  gint64 deadline;

  ea_test_desk_in_session (desk);
  start_server ();
  buy.symbol = symbol;
  broker = new_broker ("s3cret");
  ea_desk_watch_symbol (desk, symbol);
  ea_desk_add_broker (desk, EA_BROKER (broker));
  g_assert_true (try_connect (EA_BROKER (broker), &error));
  g_assert_no_error (error);
  g_assert_true (ea_broker_can_place_oco (EA_BROKER (broker)));
  ea_tradovate_server_set_book (server, symbol, 27200, 27201, 10, 10);
  ea_tradovate_server_trade (server, symbol, 27200, 1);
  sync_broker (EA_BROKER (broker));
  iterate_ms (50);

  ea_desk_place_order_async (desk, &buy, EA_ACTOR_USER, NULL, result_cb, &res);
  entry = ea_desk_place_order_finish (desk, wait_result (&res), NULL, &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  sync_broker (EA_BROKER (broker));
  iterate_ms (50);
  g_assert_cmpint (ea_tradovate_server_get_net_position (server, account_id, contract_id), ==, 1);

  ea_desk_protect_position_async (desk, "DEMO001", symbol, 27200 - 12, 27200 + 24, EA_ACTOR_USER, NULL,
                                  result_cb, &res);
  stop_id = ea_desk_protect_position_finish (desk, wait_result (&res), &target_id, NULL, &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_nonnull (stop_id);
  g_assert_nonnull (target_id);

  /* What the server received: one placeOCO, the stop first. */
  g_assert_cmpuint (ea_tradovate_server_count_requests (server, "order/placeOCO"), ==, 1);
  body = json_node_get_object (ea_tradovate_server_get_last_order_request (server));
  g_assert_cmpint (json_object_get_int_member (body, "accountId"), ==, account_id);
  g_assert_cmpstr (json_object_get_string_member (body, "symbol"), ==, symbol);
  g_assert_cmpint (json_object_get_int_member (body, "orderQty"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (body, "action"), ==, "Sell");
  g_assert_cmpstr (json_object_get_string_member (body, "orderType"), ==, "Stop");
  g_assert_cmpfloat (json_object_get_double_member (body, "stopPrice"), ==,
                     ea_instrument_ticks_to_price (es, 27200 - 12));
  g_assert_cmpstr (json_object_get_string_member (body, "clOrdId"), ==, stop_id);
  g_assert_false (json_object_get_boolean_member (body, "isAutomated"));
  other = json_object_get_object_member (body, "other");
  g_assert_nonnull (other);
  g_assert_cmpstr (json_object_get_string_member (other, "action"), ==, "Sell");
  g_assert_cmpstr (json_object_get_string_member (other, "orderType"), ==, "Limit");
  g_assert_cmpfloat (json_object_get_double_member (other, "price"), ==,
                     ea_instrument_ticks_to_price (es, 27200 + 24));
  g_assert_cmpstr (json_object_get_string_member (other, "clOrdId"), ==, target_id);
  g_assert_false (json_object_has_member (other, "stopPrice"));

  sync_broker (EA_BROKER (broker));
  iterate_ms (50);
  g_assert_cmpuint (ea_tradovate_server_count_orders (server, account_id, "Working"), ==, 2);
  stop = store_order (desk, stop_id);
  target = store_order (desk, target_id);
  g_assert_nonnull (stop);
  g_assert_nonnull (target);
  g_assert_cmpint (ea_order_get_state (stop), ==, EA_ORDER_STATE_WORKING);
  g_assert_cmpint (ea_order_get_state (target), ==, EA_ORDER_STATE_WORKING);

  /* The market reaches the target. */
  ea_tradovate_server_set_book (server, symbol, 27200 + 24, 27200 + 25, 10, 10);
  ea_tradovate_server_trade (server, symbol, 27200 + 24, 1);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while ((ea_order_get_state (target) != EA_ORDER_STATE_FILLED ||
          ea_order_get_state (stop) != EA_ORDER_STATE_CANCELLED) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ea_order_get_state (target), ==, EA_ORDER_STATE_FILLED);
  g_assert_cmpint (ea_order_get_state (stop), ==, EA_ORDER_STATE_CANCELLED);
  g_assert_cmpint (ea_tradovate_server_get_net_position (server, account_id, contract_id), ==, 0);
  g_assert_cmpuint (ea_tradovate_server_count_orders (server, account_id, "Working"), ==, 0);
}

/* The desk on Tradovate: an order with its bracket through the risk check,
 * then the emergency stop confirmed flat at the broker. */
static void
test_desk_end_to_end (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_TEST);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  GAsyncResult *res = NULL;
  EaDeskOrder order = { .account = "DEMO001", .side = EA_SIDE_BUY, .type = EA_ORDER_TYPE_MARKET,
                        .qty = 1, .has_stop_loss = TRUE, .stop_loss = 27200 - 12,
                        .has_take_profit = TRUE, .take_profit = 27200 + 24 };
  gint64 deadline;

  ea_test_desk_in_session (desk);
  start_server ();
  order.symbol = symbol;
  broker = new_broker ("s3cret");
  ea_desk_watch_symbol (desk, symbol);
  ea_desk_add_broker (desk, EA_BROKER (broker));
  /* Nothing measured before the connection. */
  g_assert_cmpint (ea_broker_get_latency_us (EA_BROKER (broker)), ==, -1);
  g_assert_true (try_connect (EA_BROKER (broker), &error));
  g_assert_no_error (error);
  ea_tradovate_server_set_book (server, symbol, 27200, 27201, 10, 10);
  ea_tradovate_server_trade (server, symbol, 27200, 1);
  sync_broker (EA_BROKER (broker));
  iterate_ms (50);

  ea_desk_place_order_async (desk, &order, EA_ACTOR_USER, NULL, result_cb, &res);
  id = ea_desk_place_order_finish (desk, wait_result (&res), NULL, &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  sync_broker (EA_BROKER (broker));
  g_assert_cmpint (ea_tradovate_server_get_net_position (server, account_id, contract_id), ==, 1);
  g_assert_cmpuint (ea_tradovate_server_count_orders (server, account_id, "Working"), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (ea_trading_store_get_fills (ea_desk_get_store (desk))), ==, 1);
  /* The WebSocket requests' round trips, measured against a local server:
   * known, and well under the 30 s request timeout. */
  g_assert_cmpint (ea_broker_get_latency_us (EA_BROKER (broker)), >=, 0);
  g_assert_cmpint (ea_broker_get_latency_us (EA_BROKER (broker)), <, 30 * G_USEC_PER_SEC);

  g_assert_true (ea_desk_emergency_stop (desk, EA_ACTOR_USER, NULL));
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (ea_desk_get_stop_pending (desk) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (ea_desk_get_stop_status (desk, "DEMO001", NULL), ==, EA_STOP_STATUS_FLAT);
  g_assert_cmpint (ea_tradovate_server_get_net_position (server, account_id, contract_id), ==, 0);
  g_assert_cmpuint (ea_tradovate_server_count_orders (server, account_id, "Working"), ==, 0);
  g_assert_cmpuint (ea_tradovate_server_count_fills (server, account_id), ==, 2);
}

/* The desk on the local Tradovate, with a journal ----------------------- */

typedef struct
{
  char              *dir;
  EaJournal         *journal;
  EaDesk            *desk;
  EaTradovateBroker *broker;
} DeskFixture;

static void
desk_fixture_start (DeskFixture *f,
                    const char  *admin_action)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("ea-tv-desk-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "journal.sqlite3", NULL);
  f->journal = ea_journal_new_sync (path, NULL, &error);
  g_assert_no_error (error);

  f->desk = ea_desk_new (EA_MODE_TEST);
  ea_test_desk_in_session (f->desk);
  ea_desk_set_journal (f->desk, f->journal);

  start_server ();
  if (admin_action != NULL)
    g_assert_true (ea_tradovate_server_set_admin_action (server, account_id, admin_action));
  f->broker = new_broker ("s3cret");
  ea_desk_watch_symbol (f->desk, symbol);
  ea_desk_add_broker (f->desk, EA_BROKER (f->broker));
  g_assert_true (try_connect (EA_BROKER (f->broker), &error));
  g_assert_no_error (error);
  ea_tradovate_server_set_book (server, symbol, 27200, 27201, 10, 10);
  ea_tradovate_server_trade (server, symbol, 27200, 1);
  sync_broker (EA_BROKER (f->broker));
  iterate_ms (50);
}

static void
desk_fixture_stop (DeskFixture *f)
{
  GAsyncResult *res = NULL;

  ea_journal_flush_async (f->journal, NULL, result_cb, &res);
  ea_journal_flush_finish (f->journal, wait_result (&res), NULL);
  g_object_unref (res);
  g_clear_object (&f->desk);
  g_clear_object (&f->broker);
  ea_journal_close (f->journal);
  g_clear_object (&f->journal);
  {
    g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name (dir)))
      {
        g_autofree char *p = g_build_filename (f->dir, name, NULL);
        g_unlink (p);
      }
  }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static guint
journal_count (DeskFixture *f,
               const char  *sql)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  ea_journal_flush_async (f->journal, NULL, result_cb, &res);
  g_assert_true (ea_journal_flush_finish (f->journal, wait_result (&res), &error));
  g_object_unref (res);

  g_assert_cmpint (sqlite3_open_v2 (ea_journal_get_path (f->journal), &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

static guint
count_alerts (EaDesk     *desk,
              const char *title,
              guint       priority)
{
  GListModel *alerts = ea_trading_store_get_alerts (ea_desk_get_store (desk));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(EaAlert) a = g_list_model_get_item (alerts, i);

      if (g_strcmp0 (ea_alert_get_title (a), title) == 0 && ea_alert_get_priority (a) == priority)
        n++;
    }
  return n;
}

/* Waits (a bounded while) for the account's state in the desk's risk
 * engine; returns the state reached. */
static EaTradingState
wait_risk_state (EaDesk         *desk,
                 EaTradingState  state)
{
  gint64 end = g_get_monotonic_time () + 10 * SEC;
  EaRiskStatus status = { 0 };

  while (g_get_monotonic_time () < end)
    {
      g_assert_true (ea_desk_get_risk_status (desk, "DEMO001", &status));
      if (status.state == state)
        break;
      iterate_ms (5);
    }
  return status.state;
}

static char *
desk_place (EaDesk             *desk,
            const EaDeskOrder  *order,
            EaRiskDecision     *decision,
            GError            **error)
{
  GAsyncResult *res = NULL;
  char *id;

  ea_desk_place_order_async (desk, order, EA_ACTOR_USER, NULL, result_cb, &res);
  id = ea_desk_place_order_finish (desk, wait_result (&res), decision, error);
  g_object_unref (res);

  return id;
}

static guint
count_placements (void)
{
  return ea_tradovate_server_count_requests (server, "order/placeorder") +
         ea_tradovate_server_count_requests (server, "order/placeOSO");
}

/* The desk's convention, as the app sets it: "ES" is the front month.
 * Quotes, orders, fills and positions of the front month come under the
 * root; what goes to Tradovate names the contract. */
static void
test_front_month_as_root (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EaOrderRequest) r = NULL;
  g_autoptr(EaSnapshotData) snap = NULL;
  g_autofree char *id = NULL;
  GAsyncResult *res = NULL;
  EaTicks bid = 0;
  JsonObject *body;

  start_server ();
  broker = new_broker_full ("s3cret", TRUE);
  g_signal_connect (broker, "quote", G_CALLBACK (last_quote_cb), &bid);
  g_assert_true (try_connect (EA_BROKER (broker), &error));
  g_assert_no_error (error);

  ea_broker_subscribe_quotes_async (EA_BROKER (broker), "ES", NULL, result_cb, &res);
  g_assert_true (ea_broker_subscribe_quotes_finish (EA_BROKER (broker), wait_result (&res), &error));
  g_clear_object (&res);
  g_assert_no_error (error);
  ea_tradovate_server_set_book (server, symbol, 27200, 27201, 10, 10);
  ea_tradovate_server_trade (server, symbol, 27200, 1);
  sync_broker (EA_BROKER (broker));
  g_assert_cmpint (bid, ==, 27200);

  r = ea_order_request_new ("DEMO001", "ES", "root-1", EA_SIDE_BUY, EA_ORDER_TYPE_MARKET, 1);
  ea_broker_place_order_async (EA_BROKER (broker), r, NULL, result_cb, &res);
  id = ea_broker_place_order_finish (EA_BROKER (broker), wait_result (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  body = json_node_get_object (ea_tradovate_server_get_last_order_request (server));
  g_assert_cmpstr (json_object_get_string_member (body, "symbol"), ==, symbol);
  sync_broker (EA_BROKER (broker));
  g_assert_cmpint (ea_tradovate_server_get_net_position (server, account_id, contract_id), ==, 1);

  ea_broker_snapshot_async (EA_BROKER (broker), "DEMO001", NULL, result_cb, &res);
  snap = ea_broker_snapshot_finish (EA_BROKER (broker), wait_result (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_cmpuint (snap->positions->len, ==, 1);
  g_assert_cmpstr (((EaPositionData *) g_ptr_array_index (snap->positions, 0))->symbol, ==, "ES");
  g_assert_cmpuint (snap->fills->len, ==, 1);
  g_assert_cmpstr (((EaFillData *) g_ptr_array_index (snap->fills, 0))->symbol, ==, "ES");
  g_assert_nonnull (ea_snapshot_data_find_order_by_client_id (snap, "root-1"));
  g_assert_cmpstr (ea_snapshot_data_find_order_by_client_id (snap, "root-1")->symbol, ==, "ES");

  /* Flattening "ES" closes the front month's position. */
  ea_broker_flatten_async (EA_BROKER (broker), "DEMO001", "ES", NULL, result_cb, &res);
  g_assert_true (ea_broker_flatten_finish (EA_BROKER (broker), wait_result (&res), &error));
  g_clear_object (&res);
  g_assert_no_error (error);
  sync_broker (EA_BROKER (broker));
  g_assert_cmpint (ea_tradovate_server_get_net_position (server, account_id, contract_id), ==, 0);

  /* Unsubscribed by its root, the front month's quotes stop. */
  ea_broker_unsubscribe_quotes_async (EA_BROKER (broker), "ES", NULL, result_cb, &res);
  g_assert_true (ea_broker_unsubscribe_quotes_finish (EA_BROKER (broker), wait_result (&res), &error));
  g_clear_object (&res);
  g_assert_no_error (error);
  bid = 0;
  ea_tradovate_server_set_book (server, symbol, 27210, 27211, 10, 10);
  sync_broker (EA_BROKER (broker));
  g_assert_cmpint (bid, ==, 0);
}

/* Replies on the WebSocket that come late or never ------------------------ */

/* A read whose reply never comes fails after the request timeout with a
 * clear error; the connection stays up and the next read works. A reply
 * that comes after the timeout is dropped. */
static void
test_ws_read_timeout (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSnapshotData) snap = NULL;
  GAsyncResult *res = NULL;
  guint syncs;
  gint64 end;

  start_server ();
  broker = new_broker ("s3cret");
  g_assert_true (try_connect (EA_BROKER (broker), &error));
  g_assert_no_error (error);

  /* Never answered. */
  syncs = ea_tradovate_server_count_requests (server, "user/syncrequest");
  ea_tradovate_server_inject (server, EA_TV_FAULT_WS_SLOW_REPLY, 1, 0);
  ea_broker_snapshot_async (EA_BROKER (broker), "DEMO001", NULL, result_cb, &res);
  snap = ea_broker_snapshot_finish (EA_BROKER (broker), wait_result (&res), &error);
  g_clear_object (&res);
  g_assert_null (snap);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "did not answer in time"));
  g_assert_nonnull (strstr (error->message, "user/syncrequest"));
  g_clear_error (&error);
  g_assert_cmpuint (ea_tradovate_server_get_withheld_replies (server), ==, 1);
  g_assert_cmpuint (ea_tradovate_server_count_requests (server, "user/syncrequest"), ==, syncs + 1);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (broker)), ==, EA_CONNECTION_STATE_CONNECTED);

  /* Answered after the timeout (3 s in test timing): the caller was told
   * already, the late reply is dropped when it comes. */
  ea_tradovate_server_inject (server, EA_TV_FAULT_WS_SLOW_REPLY, 1, 4500);
  ea_broker_snapshot_async (EA_BROKER (broker), "DEMO001", NULL, result_cb, &res);
  snap = ea_broker_snapshot_finish (EA_BROKER (broker), wait_result (&res), &error);
  g_clear_object (&res);
  g_assert_null (snap);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpuint (ea_tradovate_server_get_late_replies (server), ==, 0);
  end = g_get_monotonic_time () + 10 * SEC;
  while (ea_tradovate_server_get_late_replies (server) == 0 && g_get_monotonic_time () < end)
    iterate_ms (20);
  g_assert_cmpuint (ea_tradovate_server_get_late_replies (server), ==, 1);
  iterate_ms (50);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (broker)), ==, EA_CONNECTION_STATE_CONNECTED);

  /* The next read gets its own reply, not the late one. */
  ea_tradovate_server_set_book (server, symbol, 27200, 27201, 10, 10);
  ea_broker_snapshot_async (EA_BROKER (broker), "DEMO001", NULL, result_cb, &res);
  snap = ea_broker_snapshot_finish (EA_BROKER (broker), wait_result (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_nonnull (snap);
  g_assert_cmpuint (snap->accounts->len, ==, 1);

  /* The requests that timed out hold nothing back: the broker goes with
   * its last reference. */
  g_assert_finalize_object (g_steal_pointer (&broker));
}

/* A read made while a reconnection is under way waits for it, but only
 * for the request timeout: when the server stays away, it fails with a
 * clear error instead of waiting forever, and the broker is left whole
 * for the next one once the server is back. */
static void
test_ws_wait_reconnect_timeout (void)
{
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSnapshotData) snap = NULL;
  GAsyncResult *res = NULL;

  start_server ();
  broker = new_broker ("s3cret");
  g_assert_true (try_connect (EA_BROKER (broker), &error));
  g_assert_no_error (error);

  ea_tradovate_server_set_accepting (server, FALSE);
  ea_tradovate_server_drop_connections (server);
  g_assert_true (wait_state (EA_BROKER (broker), EA_CONNECTION_STATE_DISCONNECTED, 10000));

  ea_broker_snapshot_async (EA_BROKER (broker), "DEMO001", NULL, result_cb, &res);
  snap = ea_broker_snapshot_finish (EA_BROKER (broker), wait_result (&res), &error);
  g_clear_object (&res);
  g_assert_null (snap);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED);
  g_assert_nonnull (strstr (error->message, "did not reconnect in time"));
  g_clear_error (&error);

  ea_tradovate_server_set_accepting (server, TRUE);
  ea_tradovate_broker_reconnect_now (broker);
  g_assert_true (wait_state (EA_BROKER (broker), EA_CONNECTION_STATE_CONNECTED, 10000));
  ea_broker_snapshot_async (EA_BROKER (broker), "DEMO001", NULL, result_cb, &res);
  snap = ea_broker_snapshot_finish (EA_BROKER (broker), wait_result (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_nonnull (snap);
  g_assert_cmpuint (snap->accounts->len, ==, 1);
}

static EaOrderState
store_order_state (EaDesk     *desk,
                   const char *client_order_id,
                   guint      *n_found)
{
  GListModel *orders = ea_trading_store_get_orders (ea_desk_get_store (desk));
  EaOrderState state = EA_ORDER_STATE_UNKNOWN;

  *n_found = 0;
  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(EaOrder) o = g_list_model_get_item (orders, i);

      if (g_strcmp0 (ea_order_get_client_order_id (o), client_order_id) == 0)
        {
          state = ea_order_get_state (o);
          (*n_found)++;
        }
    }
  return state;
}

/* An order placement whose reply does not come in time: the desk's order
 * is UNKNOWN, never sent again, and the snapshot that follows settles it
 * (WORKING: Tradovate has it). With @late, the reply comes after all and
 * changes nothing. */
static void
ws_place_without_reply (gboolean late)
{
  DeskFixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *client_id = NULL;
  EaDeskOrder order = { .account = "DEMO001", .side = EA_SIDE_BUY, .type = EA_ORDER_TYPE_LIMIT,
                        .qty = 1, .limit_price = 27200 - 40,
                        .has_stop_loss = TRUE, .stop_loss = 27200 - 52 };
  guint placed, n_found = 0;
  gint64 end;

  desk_fixture_start (&f, NULL);
  order.symbol = symbol;
  placed = count_placements ();

  ea_tradovate_server_inject (server, EA_TV_FAULT_WS_SLOW_REPLY, 1, late ? 4500 : 0);
  id = desk_place (f.desk, &order, NULL, &error);
  g_assert_null (id);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME);
  g_assert_nonnull (strstr (error->message, "did not answer in time"));
  g_clear_error (&error);
  g_assert_cmpuint (count_placements (), ==, placed + 1);
  g_assert_cmpuint (ea_tradovate_server_count_orders (server, account_id, "Working"), ==, 1);
  client_id = g_strdup (json_object_get_string_member (json_node_get_object (ea_tradovate_server_get_last_order_request (server)),
                                                       "clOrdId"));
  g_assert_nonnull (client_id);

  /* The desk's snapshot settles it: Tradovate has it, working. */
  end = g_get_monotonic_time () + 10 * SEC;
  while (store_order_state (f.desk, client_id, &n_found) != EA_ORDER_STATE_WORKING && g_get_monotonic_time () < end)
    iterate_ms (20);
  g_assert_cmpint (store_order_state (f.desk, client_id, &n_found), ==, EA_ORDER_STATE_WORKING);
  g_assert_cmpuint (n_found, ==, 1);

  if (late)
    {
      g_assert_cmpuint (ea_tradovate_server_get_late_replies (server), ==, 0);
      end = g_get_monotonic_time () + 10 * SEC;
      while (ea_tradovate_server_get_late_replies (server) == 0 && g_get_monotonic_time () < end)
        iterate_ms (20);
      g_assert_cmpuint (ea_tradovate_server_get_late_replies (server), ==, 1);
      sync_broker (EA_BROKER (f.broker));
      iterate_ms (50);
    }
  else
    g_assert_cmpuint (ea_tradovate_server_get_withheld_replies (server), ==, 1);

  /* Sent once, held once, and the desk's view is intact. */
  g_assert_cmpuint (count_placements (), ==, placed + 1);
  g_assert_cmpuint (ea_tradovate_server_count_orders (server, account_id, "Working"), ==, 1);
  g_assert_cmpint (store_order_state (f.desk, client_id, &n_found), ==, EA_ORDER_STATE_WORKING);
  g_assert_cmpuint (n_found, ==, 1);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (f.broker)), ==, EA_CONNECTION_STATE_CONNECTED);

  /* It can be cancelled like any other. */
  {
    GAsyncResult *res = NULL;

    ea_desk_cancel_order_async (f.desk, client_id, NULL, result_cb, &res);
    g_assert_true (ea_desk_cancel_order_finish (f.desk, wait_result (&res), &error));
    g_clear_object (&res);
    g_assert_no_error (error);
    sync_broker (EA_BROKER (f.broker));
    g_assert_cmpuint (ea_tradovate_server_count_orders (server, account_id, "Working"), ==, 0);
  }

  desk_fixture_stop (&f);
}

static void
test_ws_place_no_reply (void)
{
  ws_place_without_reply (FALSE);
}

static void
test_ws_place_late_reply (void)
{
  ws_place_without_reply (TRUE);
}

/* isAutomated on a change: false for one a human made (a modify from
 * the desk on the user's behalf), true for one the desk made on its own
 * (a protective stop moved up under the trailing floor). */
static void
test_modify_is_automated (void)
{
  DeskFixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  GAsyncResult *res = NULL;
  EaDeskOrder resting = { .account = "DEMO001", .side = EA_SIDE_BUY, .type = EA_ORDER_TYPE_LIMIT,
                          .qty = 1, .limit_price = 27200 - 40,
                          .has_stop_loss = TRUE, .stop_loss = 27200 - 52 };
  EaDeskOrder entry = { .account = "DEMO001", .side = EA_SIDE_BUY, .type = EA_ORDER_TYPE_MARKET,
                        .qty = 1, .has_stop_loss = TRUE, .stop_loss = 27200 - 40 };
  JsonObject *body;
  guint modifies;
  EaTicks last;

  desk_fixture_start (&f, NULL);
  resting.symbol = entry.symbol = symbol;

  /* The user moves a resting entry. */
  id = desk_place (f.desk, &resting, NULL, &error);
  g_assert_no_error (error);
  sync_broker (EA_BROKER (f.broker));
  ea_desk_modify_order_async (f.desk, id, 0, 27200 - 44, 0, EA_ACTOR_USER, NULL, result_cb, &res);
  g_assert_true (ea_desk_modify_order_finish (f.desk, wait_result (&res), NULL, &error));
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_nonnull (ea_tradovate_server_get_last_modify_request (server));
  body = json_node_get_object (ea_tradovate_server_get_last_modify_request (server));
  g_assert_cmpfloat (json_object_get_double_member (body, "price"), ==, (27200 - 44) * 0.25);
  g_assert_true (json_object_has_member (body, "isAutomated"));
  g_assert_false (json_object_get_boolean_member (body, "isAutomated"));
  ea_desk_cancel_order_async (f.desk, id, NULL, result_cb, &res);
  g_assert_true (ea_desk_cancel_order_finish (f.desk, wait_result (&res), &error));
  g_clear_object (&res);
  g_assert_no_error (error);
  g_clear_pointer (&id, g_free);
  sync_broker (EA_BROKER (f.broker));
  iterate_ms (50);

  /* A long position whose stop the desk moves up as the market rises
   * (41 ticks of 12.50 fit the open-loss room; 70 do not). */
  id = desk_place (f.desk, &entry, NULL, &error);
  g_assert_no_error (error);
  sync_broker (EA_BROKER (f.broker));
  g_assert_cmpint (ea_tradovate_server_get_net_position (server, account_id, contract_id), ==, 1);
  modifies = ea_tradovate_server_count_requests (server, "order/modifyorder");
  for (last = 27202; last <= 27230 && ea_tradovate_server_count_requests (server, "order/modifyorder") == modifies;
       last += 2)
    {
      ea_tradovate_server_set_book (server, symbol, last, last + 1, 10, 10);
      ea_tradovate_server_trade (server, symbol, last, 1);
      sync_broker (EA_BROKER (f.broker));
      iterate_ms (20);
    }
  g_assert_cmpuint (ea_tradovate_server_count_requests (server, "order/modifyorder"), >, modifies);
  body = json_node_get_object (ea_tradovate_server_get_last_modify_request (server));
  g_assert_true (json_object_has_member (body, "stopPrice"));
  g_assert_cmpfloat (json_object_get_double_member (body, "stopPrice"), >, (27200 - 40) * 0.25);
  g_assert_true (json_object_get_boolean_member (body, "isAutomated"));

  desk_fixture_stop (&f);
}

/* A broker-side lock while connected: the desk's risk state is LOCKED,
 * an entry is denied by the desk (it never reaches Tradovate), an exit
 * still goes out; liquidation only lets the reducing order through and
 * not the entry; back to Normal the restriction is lifted. Each change
 * is told (an alert) and audited. */
static void
test_desk_broker_lock (void)
{
  DeskFixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  EaRiskDecision decision = { 0 };
  EaRiskStatus status = { 0 };
  EaDeskOrder entry = { .account = "DEMO001", .side = EA_SIDE_BUY, .type = EA_ORDER_TYPE_MARKET,
                        .qty = 1, .has_stop_loss = TRUE, .stop_loss = 27200 - 12 };
  EaDeskOrder exit_order = { .account = "DEMO001", .side = EA_SIDE_SELL, .type = EA_ORDER_TYPE_MARKET,
                             .qty = 1 };
  guint placed;

  desk_fixture_start (&f, NULL);
  entry.symbol = exit_order.symbol = symbol;

  /* A long position to exit later. */
  id = desk_place (f.desk, &entry, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_clear_pointer (&id, g_free);
  sync_broker (EA_BROKER (f.broker));
  g_assert_cmpint (ea_tradovate_server_get_net_position (server, account_id, contract_id), ==, 1);
  g_assert_cmpint (wait_risk_state (f.desk, EA_TRADING_STATE_ACTIVE), ==, EA_TRADING_STATE_ACTIVE);

  /* Locked by the broker. */
  g_assert_true (ea_tradovate_server_set_admin_action (server, account_id, "LockTradingImmediately"));
  g_assert_cmpint (wait_risk_state (f.desk, EA_TRADING_STATE_LOCKED), ==, EA_TRADING_STATE_LOCKED);
  g_assert_true (ea_desk_get_risk_status (f.desk, "DEMO001", &status));
  g_assert_cmpint (status.broker_restriction, ==, EA_BROKER_RESTRICTION_LOCKED);
  g_assert_cmpstr (status.broker_text, ==, "LockTradingImmediately");
  g_assert_cmpuint (count_alerts (f.desk, "Locked by broker", EA_ALERT_PRIORITY_CRITICAL), ==, 1);

  placed = count_placements ();
  id = desk_place (f.desk, &entry, &decision, &error);
  g_assert_null (id);
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (decision.reason, ==, EA_RISK_BROKER_LOCKED);
  {
    g_autofree char *text = ea_risk_decision_format (&decision);
    g_assert_nonnull (strstr (text, "broker has locked"));
  }
  g_assert_cmpuint (count_placements (), ==, placed);

  /* The exit passes the desk and reaches Tradovate (which, locked,
   * refuses it in its own words). */
  g_assert_true (ea_desk_check_order (f.desk, &exit_order, &decision));
  id = desk_place (f.desk, &exit_order, NULL, &error);
  g_assert_cmpuint (count_placements (), ==, placed + 1);
  g_clear_pointer (&id, g_free);
  g_clear_error (&error);
  g_assert_cmpint (ea_tradovate_server_get_net_position (server, account_id, contract_id), ==, 1);

  /* Liquidation only: the entry is denied, the reducing order passes. */
  g_assert_true (ea_tradovate_server_set_admin_action (server, account_id, "LiquidateOnlyModeImmediately"));
  g_assert_cmpint (wait_risk_state (f.desk, EA_TRADING_STATE_REDUCING), ==, EA_TRADING_STATE_REDUCING);
  g_assert_true (ea_desk_get_risk_status (f.desk, "DEMO001", &status));
  g_assert_cmpint (status.broker_restriction, ==, EA_BROKER_RESTRICTION_LIQUIDATION_ONLY);
  g_assert_cmpuint (count_alerts (f.desk, "Liquidation only", EA_ALERT_PRIORITY_CRITICAL), ==, 1);

  placed = count_placements ();
  id = desk_place (f.desk, &entry, &decision, &error);
  g_assert_null (id);
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (decision.reason, ==, EA_RISK_LIQUIDATION_ONLY);
  g_assert_cmpuint (count_placements (), ==, placed);

  id = desk_place (f.desk, &exit_order, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_clear_pointer (&id, g_free);
  g_assert_cmpuint (count_placements (), ==, placed + 1);
  sync_broker (EA_BROKER (f.broker));
  g_assert_cmpint (ea_tradovate_server_get_net_position (server, account_id, contract_id), ==, 0);

  /* Normal again: lifted, the desk's own rules apply. */
  g_assert_true (ea_tradovate_server_set_admin_action (server, account_id, "Normal"));
  g_assert_cmpint (wait_risk_state (f.desk, EA_TRADING_STATE_ACTIVE), ==, EA_TRADING_STATE_ACTIVE);
  g_assert_true (ea_desk_get_risk_status (f.desk, "DEMO001", &status));
  g_assert_cmpint (status.broker_restriction, ==, EA_BROKER_RESTRICTION_NONE);
  g_assert_null (status.broker_text);
  g_assert_cmpuint (count_alerts (f.desk, "Broker restriction lifted", EA_ALERT_PRIORITY_HIGH), ==, 1);
  g_assert_true (ea_desk_check_order (f.desk, &entry, &decision));

  g_assert_cmpuint (journal_count (&f, "SELECT count(*) FROM audit WHERE kind = 'broker.restriction' "
                                       "AND subject = 'DEMO001' AND details LIKE '%\"restriction\":\"locked\"%'"), ==, 1);
  g_assert_cmpuint (journal_count (&f, "SELECT count(*) FROM audit WHERE kind = 'broker.restriction' "
                                       "AND details LIKE '%\"restriction\":\"liquidation-only\"%'"), ==, 1);
  g_assert_cmpuint (journal_count (&f, "SELECT count(*) FROM audit WHERE kind = 'broker.restriction-lifted'"), ==, 1);

  desk_fixture_stop (&f);
}

/* A lock already in place when the adapter connects comes with the
 * sync snapshot: the first entry is already denied. */
static void
test_desk_broker_lock_at_connect (void)
{
  DeskFixture f = { 0 };
  g_autoptr(GError) error = NULL;
  EaRiskDecision decision = { 0 };
  EaRiskStatus status = { 0 };
  EaDeskOrder entry = { .account = "DEMO001", .side = EA_SIDE_BUY, .type = EA_ORDER_TYPE_MARKET,
                        .qty = 1, .has_stop_loss = TRUE, .stop_loss = 27200 - 12 };
  g_autofree char *id = NULL;
  guint placed;

  desk_fixture_start (&f, "LockTradingImmediately");
  entry.symbol = symbol;

  g_assert_cmpint (wait_risk_state (f.desk, EA_TRADING_STATE_LOCKED), ==, EA_TRADING_STATE_LOCKED);
  g_assert_true (ea_desk_get_risk_status (f.desk, "DEMO001", &status));
  g_assert_cmpint (status.broker_restriction, ==, EA_BROKER_RESTRICTION_LOCKED);
  g_assert_cmpuint (count_alerts (f.desk, "Locked by broker", EA_ALERT_PRIORITY_CRITICAL), ==, 1);

  placed = count_placements ();
  id = desk_place (f.desk, &entry, &decision, &error);
  g_assert_null (id);
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED);
  g_assert_cmpint (decision.reason, ==, EA_RISK_BROKER_LOCKED);
  g_assert_cmpuint (count_placements (), ==, placed);

  desk_fixture_stop (&f);
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
  factory.symbol = symbol;

  ea_broker_conformance_add_tests (&factory);
  g_test_add_func ("/broker/tradovate/penalty", test_penalty_then_login);
  g_test_add_func ("/broker/tradovate/captcha", test_captcha);
  g_test_add_func ("/broker/tradovate/wrong-password", test_wrong_password);
  g_test_add_func ("/broker/tradovate/renewal", test_renewal);
  g_test_add_func ("/broker/tradovate/broker-lock", test_broker_lock);
  g_test_add_func ("/broker/tradovate/desk-broker-lock", test_desk_broker_lock);
  g_test_add_func ("/broker/tradovate/desk-broker-lock-at-connect", test_desk_broker_lock_at_connect);
  g_test_add_func ("/broker/tradovate/malformed-frames", test_malformed_frames);
  g_test_add_func ("/broker/tradovate/silent-server", test_silent_server);
  g_test_add_func ("/broker/tradovate/shutdown", test_shutdown_event);
  g_test_add_func ("/broker/tradovate/desk-end-to-end", test_desk_end_to_end);
  g_test_add_func ("/broker/tradovate/is-automated", test_is_automated);
  g_test_add_func ("/broker/tradovate/modify-is-automated", test_modify_is_automated);
  g_test_add_func ("/broker/tradovate/protect-oco", test_protect_oco);
  g_test_add_func ("/broker/tradovate/penalty-on-sync", test_penalty_on_sync);
  g_test_add_func ("/broker/tradovate/penalty-captcha-on-connect", test_penalty_captcha_on_connect);
  g_test_add_func ("/broker/tradovate/rate-limited-login", test_rate_limited_login);
  g_test_add_func ("/broker/tradovate/reconnect-schedule", test_reconnect_schedule);
  g_test_add_func ("/broker/tradovate/product-mismatch", test_product_mismatch);
  g_test_add_func ("/broker/tradovate/resubscribe", test_resubscribe);
  g_test_add_func ("/broker/tradovate/front-month-as-root", test_front_month_as_root);
  g_test_add_func ("/broker/tradovate/unknown-events", test_unknown_events);
  g_test_add_func ("/broker/tradovate/ws-read-timeout", test_ws_read_timeout);
  g_test_add_func ("/broker/tradovate/ws-wait-reconnect-timeout", test_ws_wait_reconnect_timeout);
  g_test_add_func ("/broker/tradovate/ws-place-no-reply", test_ws_place_no_reply);
  g_test_add_func ("/broker/tradovate/ws-place-late-reply", test_ws_place_late_reply);

  ret = g_test_run ();

  g_clear_object (&server);
  g_free (symbol);

  return ret;
}
