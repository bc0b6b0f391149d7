/* test-ninjatrader-faults.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What is particular to NinjaTrader's file interface: the emergency stop
 * through FLATTENEVERYTHING, confirmed only by FLAT position files; a
 * restart of NinjaTrader (outgoing cleared) reconciled without losing or
 * repeating fills; missing, unwritable and stale folders reported as
 * connection problems; a rejected order; the connection file; the other
 * stop keyword and spellings; fills derived once from filled quantities;
 * quotes from another broker.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ea-instrument.h"
#include "ea-ninjatrader-oif.h"
#include "ea-sim-broker.h"
#include "ea-test-nt-fixture.h"

#define P 27200   /* ES 6800.00 */

typedef struct
{
  GArray    *states;
  GPtrArray *reasons;
  GPtrArray *orders;
  GPtrArray *fills;
  GPtrArray *positions;
  GPtrArray *quotes;
} Log;

static void
state_cb (EaBroker *b, guint state, const char *reason, Log *log)
{
  g_array_append_val (log->states, state);
  g_ptr_array_add (log->reasons, g_strdup (reason ? reason : ""));
}

static void
order_cb (EaBroker *b, const EaOrderData *o, Log *log)
{
  g_ptr_array_add (log->orders, ea_order_data_copy (o));
}

static void
fill_cb (EaBroker *b, const EaFillData *f, Log *log)
{
  g_ptr_array_add (log->fills, ea_fill_data_copy (f));
}

static void
position_cb (EaBroker *b, const EaPositionData *p, Log *log)
{
  g_ptr_array_add (log->positions, ea_position_data_copy (p));
}

static void
quote_cb (EaBroker *b, const EaQuoteData *q, Log *log)
{
  g_ptr_array_add (log->quotes, ea_quote_data_copy (q));
}

static Log *
log_attach (NtRig *rig)
{
  Log *log = g_new0 (Log, 1);

  log->states = g_array_new (FALSE, FALSE, sizeof (guint));
  log->reasons = g_ptr_array_new_with_free_func (g_free);
  log->orders = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_order_data_free);
  log->fills = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_fill_data_free);
  log->positions = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_position_data_free);
  log->quotes = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_quote_data_free);
  g_signal_connect (rig->broker, "connection-state", G_CALLBACK (state_cb), log);
  g_signal_connect (rig->broker, "order-updated", G_CALLBACK (order_cb), log);
  g_signal_connect (rig->broker, "fill", G_CALLBACK (fill_cb), log);
  g_signal_connect (rig->broker, "position-changed", G_CALLBACK (position_cb), log);
  g_signal_connect (rig->broker, "quote", G_CALLBACK (quote_cb), log);
  return log;
}

static void
log_free (NtRig *rig, Log *log)
{
  g_signal_handlers_disconnect_by_data (rig->broker, log);
  g_array_unref (log->states);
  g_ptr_array_unref (log->reasons);
  g_ptr_array_unref (log->orders);
  g_ptr_array_unref (log->fills);
  g_ptr_array_unref (log->positions);
  g_ptr_array_unref (log->quotes);
  g_free (log);
}

static const EaOrderData *
last_order (Log *log, const char *id)
{
  for (guint i = log->orders->len; i > 0; i--)
    if (g_strcmp0 (((EaOrderData *) log->orders->pdata[i - 1])->client_order_id, id) == 0)
      return log->orders->pdata[i - 1];
  return NULL;
}

static gint64
last_position (Log *log, const char *account, const char *symbol)
{
  for (guint i = log->positions->len; i > 0; i--)
    {
      const EaPositionData *p = log->positions->pdata[i - 1];

      if (g_strcmp0 (p->account, account) == 0 && g_strcmp0 (p->symbol, symbol) == 0)
        return p->qty;
    }
  return 0;
}

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

static char *
place (NtRig *rig, const char *account, const char *symbol, const char *id, EaSide side,
       EaOrderType type, gint64 qty, EaTicks limit, EaTicks stop, EaTimeInForce tif, GError **error)
{
  g_autoptr(EaOrderRequest) r = ea_order_request_new (account, symbol, id, side, type, qty);
  GAsyncResult *res = NULL;
  char *out;

  r->limit_price = limit;
  r->stop_price = stop;
  r->tif = tif;
  ea_broker_place_order_async (EA_BROKER (rig->broker), r, NULL, result_cb, &res);
  out = ea_broker_place_order_finish (EA_BROKER (rig->broker), wait_for (&res), error);
  g_object_unref (res);
  return out;
}

static gboolean
flatten (NtRig *rig, const char *account, const char *symbol, GError **error)
{
  GAsyncResult *res = NULL;
  gboolean ok;

  ea_broker_flatten_async (EA_BROKER (rig->broker), account, symbol, NULL, result_cb, &res);
  ok = ea_broker_flatten_finish (EA_BROKER (rig->broker), wait_for (&res), error);
  g_object_unref (res);
  return ok;
}

static EaSnapshotData *
snapshot (NtRig *rig)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  EaSnapshotData *s;

  ea_broker_snapshot_async (EA_BROKER (rig->broker), NULL, NULL, result_cb, &res);
  s = ea_broker_snapshot_finish (EA_BROKER (rig->broker), wait_for (&res), &error);
  g_assert_no_error (error);
  g_object_unref (res);
  return s;
}

static void
quote (NtRig *rig, const char *root, EaTicks bid, EaTicks ask, gint64 size)
{
  ea_nt_sim_push_quote (rig->sim, root, bid, ask, size, size);
  nt_rig_settle (rig);
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

static NtRig *
connected_rig (void)
{
  g_autoptr(GError) error = NULL;
  NtRig *rig = nt_rig_new (NULL, NULL);

  g_assert_true (nt_rig_connect (rig, &error));
  g_assert_no_error (error);
  return rig;
}

static void
test_emergency_stop (void)
{
  g_autoptr(GError) error = NULL;
  NtRig *rig = connected_rig ();
  Log *log = log_attach (rig);
  GPtrArray *lines = ea_nt_sim_get_lines (rig->sim);
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  g_autofree char *es = NULL, *nq = NULL;

  quote (rig, "ES", P, P + 1, 10);
  quote (rig, "NQ", 100000, 100001, 10);
  a = place (rig, NT_TEST_ACCOUNT, "ES", "es-long", EA_SIDE_BUY, EA_ORDER_TYPE_MARKET, 2, 0, 0,
             EA_TIME_IN_FORCE_DAY, &error);
  g_assert_no_error (error);
  b = place (rig, NT_TEST_ACCOUNT2, "NQ", "nq-short", EA_SIDE_SELL, EA_ORDER_TYPE_MARKET, 1, 0, 0,
             EA_TIME_IN_FORCE_DAY, &error);
  g_assert_no_error (error);
  c = place (rig, NT_TEST_ACCOUNT, "ES", "es-resting", EA_SIDE_BUY, EA_ORDER_TYPE_LIMIT, 1, P - 20, 0,
             EA_TIME_IN_FORCE_GTC, &error);
  g_assert_no_error (error);
  g_assert_cmpint (last_position (log, NT_TEST_ACCOUNT, "ES"), ==, 2);
  g_assert_cmpint (last_position (log, NT_TEST_ACCOUNT2, "NQ"), ==, -1);

  /* NinjaTrader is slow to pick the instruction up: not confirmed. */
  ea_nt_sim_set_pickup_delay (rig->sim, 60000);
  g_assert_false (flatten (rig, NULL, NULL, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME);
  g_assert_nonnull (strstr (error->message, "ES 12-26"));
  g_clear_error (&error);
  g_assert_cmpint (last_position (log, NT_TEST_ACCOUNT, "ES"), ==, 2);

  /* The unconfirmed instruction was taken back: it never acts late. */
  ea_nt_sim_set_pickup_delay (rig->sim, 0);
  g_assert_cmpstr (lines->pdata[lines->len - 1], ==, "PLACE;Sim101;ES 12-26;BUY;1;LIMIT;6795.00;;GTC;;es-resting;;");
  g_assert_true (ea_ninjatrader_broker_is_settled (rig->broker));

  /* It is taken now; the stop is confirmed by FLAT position files. */
  g_assert_true (flatten (rig, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lines->pdata[lines->len - 1], ==, "FLATTENEVERYTHING;;;;;;;;;;;;");
  es = read_outgoing (rig, "ES 12-26_" NT_TEST_ACCOUNT "_Position.txt");
  nq = read_outgoing (rig, "NQ 12-26_" NT_TEST_ACCOUNT2 "_Position.txt");
  g_assert_cmpstr (es, ==, "FLAT;0;0");
  g_assert_cmpstr (nq, ==, "FLAT;0;0");
  g_assert_cmpint (last_position (log, NT_TEST_ACCOUNT, "ES"), ==, 0);
  g_assert_cmpint (last_position (log, NT_TEST_ACCOUNT2, "NQ"), ==, 0);
  g_assert_cmpint (last_order (log, "es-resting")->state, ==, EA_ORDER_STATE_CANCELLED);

  log_free (rig, log);
  nt_rig_free (rig);
}

static void
test_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSnapshotData) s = NULL;
  NtRig *rig = connected_rig ();
  Log *log = log_attach (rig);
  g_autofree char *a = NULL, *gtc = NULL, *day = NULL;
  guint fills, positions;

  quote (rig, "ES", P, P + 1, 10);
  a = place (rig, NT_TEST_ACCOUNT, "ES", "r-long", EA_SIDE_BUY, EA_ORDER_TYPE_MARKET, 2, 0, 0,
             EA_TIME_IN_FORCE_DAY, &error);
  gtc = place (rig, NT_TEST_ACCOUNT, "ES", "r-gtc", EA_SIDE_BUY, EA_ORDER_TYPE_LIMIT, 1, P - 4, 0,
               EA_TIME_IN_FORCE_GTC, &error);
  day = place (rig, NT_TEST_ACCOUNT, "ES", "r-day", EA_SIDE_BUY, EA_ORDER_TYPE_LIMIT, 1, P - 8, 0,
               EA_TIME_IN_FORCE_DAY, &error);
  g_assert_no_error (error);
  fills = log->fills->len;
  positions = log->positions->len;
  g_assert_cmpuint (fills, ==, 1);

  /* NinjaTrader restarts: outgoing emptied and written again. */
  ea_nt_sim_restart (rig->sim);
  nt_rig_settle (rig);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (rig->broker)), ==, EA_CONNECTION_STATE_CONNECTED);
  g_assert_cmpuint (log->fills->len, ==, fills);            /* nothing filled twice */
  g_assert_cmpuint (log->positions->len, ==, positions);    /* still long 2: no news */
  g_assert_cmpint (last_order (log, "r-day")->state, ==, EA_ORDER_STATE_CANCELLED);
  g_assert_cmpint (last_order (log, "r-gtc")->state, ==, EA_ORDER_STATE_WORKING);
  g_assert_null (read_outgoing (rig, "r-long.txt"));

  /* The surviving order fills once, after the restart. */
  quote (rig, "ES", P - 5, P - 4, 10);
  g_assert_cmpuint (log->fills->len, ==, fills + 1);
  g_assert_cmpstr (((EaFillData *) log->fills->pdata[fills])->fill_id, ==, "r-gtc#1");
  g_assert_cmpint (last_position (log, NT_TEST_ACCOUNT, "ES"), ==, 3);

  /* Another restart, seen half-way (the folder empty for a while). */
  ea_nt_sim_delete_outgoing (rig->sim);
  ea_ninjatrader_broker_rescan (rig->broker);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (rig->broker)), ==, EA_CONNECTION_STATE_DISCONNECTED);
  g_assert_nonnull (strstr (log->reasons->pdata[log->reasons->len - 1], "outgoing"));
  {
    g_autofree char *id = place (rig, NT_TEST_ACCOUNT, "ES", "r-refused", EA_SIDE_BUY, EA_ORDER_TYPE_MARKET, 1,
                                 0, 0, EA_TIME_IN_FORCE_DAY, &error);

    g_assert_null (id);
    g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED);
    g_clear_error (&error);
  }
  ea_nt_sim_restart (rig->sim);
  nt_rig_settle (rig);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (rig->broker)), ==, EA_CONNECTION_STATE_CONNECTED);
  g_assert_cmpuint (g_array_index (log->states, guint, log->states->len - 2), ==, EA_CONNECTION_STATE_RECONCILING);

  s = snapshot (rig);
  g_assert_cmpuint (s->fills->len, ==, 2);
  g_assert_cmpuint (ea_snapshot_data_count_fill_id (s, "r-long#2"), ==, 1);
  g_assert_cmpuint (ea_snapshot_data_count_fill_id (s, "r-gtc#1"), ==, 1);
  g_assert_null (ea_snapshot_data_find_order_by_client_id (s, "r-refused"));
  for (guint i = 0; i < s->positions->len; i++)
    if (g_strcmp0 (((EaPositionData *) s->positions->pdata[i])->account, NT_TEST_ACCOUNT) == 0)
      g_assert_cmpint (((EaPositionData *) s->positions->pdata[i])->qty, ==, 3);

  log_free (rig, log);
  nt_rig_free (rig);
}

static void
test_connection_file (void)
{
  g_autoptr(GError) error = NULL;
  NtRig *rig = connected_rig ();
  Log *log = log_attach (rig);
  g_autofree char *id = NULL;

  ea_nt_sim_set_connected (rig->sim, FALSE);
  ea_ninjatrader_broker_rescan (rig->broker);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (rig->broker)), ==, EA_CONNECTION_STATE_DISCONNECTED);
  g_assert_nonnull (strstr (log->reasons->pdata[0], NT_TEST_CONNECTION));
  g_assert_nonnull (strstr (log->reasons->pdata[0], "DISCONNECTED"));
  id = place (rig, NT_TEST_ACCOUNT, "ES", "c1", EA_SIDE_BUY, EA_ORDER_TYPE_MARKET, 1, 0, 0,
              EA_TIME_IN_FORCE_DAY, &error);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED);

  ea_nt_sim_set_connected (rig->sim, TRUE);
  ea_ninjatrader_broker_rescan (rig->broker);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (rig->broker)), ==, EA_CONNECTION_STATE_CONNECTED);

  log_free (rig, log);
  nt_rig_free (rig);
}

static void
test_folders (void)
{
  g_autoptr(GError) error = NULL;
  NtRig *rig = nt_rig_new (NULL, NULL);
  g_autofree char *in = NULL;

  /* Not mounted. */
  nt_rig_unmount (rig);
  g_assert_false (nt_rig_connect (rig, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED);
  g_assert_nonnull (strstr (error->message, "incoming"));
  g_clear_error (&error);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (rig->broker)), ==, EA_CONNECTION_STATE_DISCONNECTED);
  nt_rig_mount (rig);
  nt_rig_free (rig);

  /* `incoming` cannot take files (here: it is not a folder). */
  rig = nt_rig_new (NULL, NULL);
  in = g_strdup (ea_nt_sim_get_incoming_dir (rig->sim));
  g_assert_cmpint (g_rmdir (in), ==, 0);
  g_assert_true (g_file_set_contents (in, "", -1, NULL));
  g_assert_false (nt_rig_connect (rig, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED);
  g_assert_nonnull (strstr (error->message, "Cannot write"));
  g_unlink (in);
  nt_rig_free (rig);
}

static void
test_rejected_and_slow (void)
{
  g_autoptr(GError) error = NULL;
  NtRig *rig = connected_rig ();
  Log *log = log_attach (rig);
  g_autofree char *id = NULL;

  quote (rig, "ES", P, P + 1, 10);
  ea_nt_sim_reject_next_order (rig->sim);
  id = place (rig, NT_TEST_ACCOUNT, "ES", "rej", EA_SIDE_BUY, EA_ORDER_TYPE_LIMIT, 1, P - 2, 0,
              EA_TIME_IN_FORCE_DAY, &error);
  g_assert_null (id);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED);
  g_clear_error (&error);
  g_assert_cmpint (last_order (log, "rej")->state, ==, EA_ORDER_STATE_REJECTED);
  g_assert_nonnull (last_order (log, "rej")->reason);

  /* Slow, but within the wait: an ordinary order. */
  ea_nt_sim_set_pickup_delay (rig->sim, NT_TEST_ACK_MS / 10);
  id = place (rig, NT_TEST_ACCOUNT, "ES", "slow", EA_SIDE_BUY, EA_ORDER_TYPE_LIMIT, 1, P - 2, 0,
              EA_TIME_IN_FORCE_DAY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (last_order (log, "slow")->state, ==, EA_ORDER_STATE_WORKING);

  /* Bad requests never reach a file. */
  {
    guint before = ea_nt_sim_get_lines (rig->sim)->len;
    g_autofree char *x = place (rig, NT_TEST_ACCOUNT, "ES", "bad;id", EA_SIDE_BUY, EA_ORDER_TYPE_MARKET, 1, 0, 0,
                                EA_TIME_IN_FORCE_DAY, &error);
    g_autofree char *y = NULL;
    g_autofree char *z = NULL;

    g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    y = place (rig, "Nobody", "ES", "n1", EA_SIDE_BUY, EA_ORDER_TYPE_MARKET, 1, 0, 0, EA_TIME_IN_FORCE_DAY, &error);
    g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND);
    g_clear_error (&error);
    z = place (rig, NT_TEST_ACCOUNT, "XX 12-26", "n2", EA_SIDE_BUY, EA_ORDER_TYPE_MARKET, 1, 0, 0,
               EA_TIME_IN_FORCE_DAY, &error);
    g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND);
    g_clear_error (&error);
    nt_rig_settle (rig);
    g_assert_cmpuint (ea_nt_sim_get_lines (rig->sim)->len, ==, before);
  }

  log_free (rig, log);
  nt_rig_free (rig);
}

static void
test_stale (void)
{
  g_autoptr(GError) error = NULL;
  NtRig *rig = nt_rig_new ("stale-timeout-ms", 150u, "ack-timeout-ms", 60000u, NULL);
  Log *log = NULL;
  GAsyncResult *res = NULL;
  g_autoptr(EaOrderRequest) r = ea_order_request_new (NT_TEST_ACCOUNT, "ES", "st1", EA_SIDE_BUY,
                                                       EA_ORDER_TYPE_LIMIT, 1);
  g_autofree char *id = NULL;

  g_assert_true (nt_rig_connect (rig, &error));
  log = log_attach (rig);
  quote (rig, "ES", P, P + 1, 10);

  /* NinjaTrader stops reading its folder. */
  ea_nt_sim_set_pickup_delay (rig->sim, 3600 * 1000);
  r->limit_price = P - 2;
  ea_broker_place_order_async (EA_BROKER (rig->broker), r, NULL, result_cb, &res);
  while (ea_broker_get_connection_state (EA_BROKER (rig->broker)) == EA_CONNECTION_STATE_CONNECTED)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (rig->broker)), ==, EA_CONNECTION_STATE_DISCONNECTED);
  g_assert_nonnull (strstr (log->reasons->pdata[0], "not picked up"));
  g_assert_null (res);

  /* It reads again: the order goes through and the connection is back. */
  ea_nt_sim_set_pickup_delay (rig->sim, 0);
  id = ea_broker_place_order_finish (EA_BROKER (rig->broker), wait_for (&res), &error);
  g_object_unref (res);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "st1");
  nt_rig_settle (rig);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (rig->broker)), ==, EA_CONNECTION_STATE_CONNECTED);

  log_free (rig, log);
  nt_rig_free (rig);
}

static void
test_spellings (void)
{
  g_autoptr(GError) error = NULL;
  NtRig *rig = nt_rig_new ("stop-keyword", "STOP", NULL);
  Log *log = NULL;
  GPtrArray *lines = ea_nt_sim_get_lines (rig->sim);
  g_autofree char *id = NULL;
  g_autofree char *pos = NULL;

  ea_nt_sim_set_words (rig->sim, EA_NT_SIM_WORDS_PASCAL);
  ea_nt_sim_set_exchange_suffix (rig->sim, "Globex");
  g_assert_true (nt_rig_connect (rig, &error));
  log = log_attach (rig);

  quote (rig, "ES", P, P + 1, 10);
  ea_nt_sim_push_trade (rig->sim, "ES", P, 1);
  id = place (rig, NT_TEST_ACCOUNT, "ES", "sp1", EA_SIDE_SELL, EA_ORDER_TYPE_STOP, 1, 0, P - 5,
              EA_TIME_IN_FORCE_DAY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lines->pdata[lines->len - 1], ==, "PLACE;Sim101;ES 12-26;SELL;1;STOP;;6798.75;DAY;;sp1;;");
  g_assert_cmpint (last_order (log, "sp1")->state, ==, EA_ORDER_STATE_WORKING);

  ea_nt_sim_push_quote (rig->sim, "ES", P - 6, P - 5, 10, 10);
  ea_nt_sim_push_trade (rig->sim, "ES", P - 5, 1);
  nt_rig_settle (rig);
  pos = read_outgoing (rig, "ES 12-26 Globex_Sim101_Position.txt");
  g_assert_cmpstr (pos, ==, "SHORT;1;6798.5");
  g_assert_cmpint (last_order (log, "sp1")->state, ==, EA_ORDER_STATE_FILLED);
  g_assert_cmpint (last_position (log, NT_TEST_ACCOUNT, "ES"), ==, -1);
  g_assert_cmpint (((EaFillData *) log->fills->pdata[0])->price, ==, P - 6);

  log_free (rig, log);
  nt_rig_free (rig);
}

static void
test_fills_once (void)
{
  g_autoptr(GError) error = NULL;
  NtRig *rig = connected_rig ();
  Log *log = log_attach (rig);
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  const EaFillData *f;

  quote (rig, "ES", P, P + 1, 10);
  id = place (rig, NT_TEST_ACCOUNT, "ES", "f1", EA_SIDE_BUY, EA_ORDER_TYPE_LIMIT, 3, P - 1, 0,
              EA_TIME_IN_FORCE_DAY, &error);
  g_assert_no_error (error);

  /* One lot at P - 1; the rest re-priced to P - 2 and filled there. */
  quote (rig, "ES", P - 2, P - 1, 1);
  g_assert_cmpint (last_order (log, "f1")->state, ==, EA_ORDER_STATE_PARTIALLY_FILLED);
  quote (rig, "ES", P, P + 1, 10);
  {
    GAsyncResult *res = NULL;

    ea_broker_modify_order_async (EA_BROKER (rig->broker), "f1", 0, P - 2, 0, EA_ACTOR_USER, NULL, result_cb, &res);
    g_assert_true (ea_broker_modify_order_finish (EA_BROKER (rig->broker), wait_for (&res), &error));
    g_assert_no_error (error);
    g_object_unref (res);
  }
  g_assert_cmpint (last_order (log, "f1")->limit_price, ==, P - 2);
  quote (rig, "ES", P - 3, P - 2, 2);
  g_assert_cmpuint (log->fills->len, ==, 2);
  f = log->fills->pdata[0];
  g_assert_cmpstr (f->fill_id, ==, "f1#1");
  g_assert_cmpint (f->qty, ==, 1);
  g_assert_cmpint (f->price, ==, P - 1);
  f = log->fills->pdata[1];
  g_assert_cmpstr (f->fill_id, ==, "f1#3");
  g_assert_cmpint (f->qty, ==, 2);
  g_assert_cmpint (f->price, ==, P - 2);   /* from the average 6799.58333… */
  g_assert_cmpint (last_order (log, "f1")->state, ==, EA_ORDER_STATE_FILLED);

  /* Re-reading, and the same file written again, change nothing. */
  path = g_build_filename (ea_nt_sim_get_outgoing_dir (rig->sim), "f1.txt", NULL);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "FILLED;3;6799.58333333");
  for (guint i = 0; i < 3; i++)
    ea_ninjatrader_broker_rescan (rig->broker);
  g_unlink (path);
  ea_ninjatrader_broker_rescan (rig->broker);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  ea_ninjatrader_broker_rescan (rig->broker);
  /* A file going backwards (garbage, or another order's) is no fill. */
  g_assert_true (g_file_set_contents (path, "PARTFILLED;1;6800", -1, NULL));
  ea_ninjatrader_broker_rescan (rig->broker);
  g_assert_true (g_file_set_contents (path, "garbage", -1, NULL));
  ea_ninjatrader_broker_rescan (rig->broker);
  g_assert_cmpuint (log->fills->len, ==, 2);
  g_assert_cmpint (last_order (log, "f1")->state, ==, EA_ORDER_STATE_FILLED);

  log_free (rig, log);
  nt_rig_free (rig);
}

/* The desk restarts in the middle of a partly filled order. */
static void
test_adopt (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaOrderData) journaled = NULL;
  g_autoptr(EaNinjaTraderBroker) again = NULL;
  g_autoptr(EaSnapshotData) s = NULL;
  g_autofree char *in = NULL, *out = NULL;
  const char *accounts[] = { NT_TEST_ACCOUNT, NULL };
  NtRig *rig = connected_rig ();
  Log *log = log_attach (rig);
  g_autofree char *id = NULL;
  GAsyncResult *res = NULL;

  quote (rig, "ES", P, P + 1, 10);
  id = place (rig, NT_TEST_ACCOUNT, "ES", "ad1", EA_SIDE_BUY, EA_ORDER_TYPE_LIMIT, 3, P - 1, 0,
              EA_TIME_IN_FORCE_GTC, &error);
  quote (rig, "ES", P - 2, P - 1, 1);
  journaled = ea_order_data_copy (last_order (log, "ad1"));
  g_assert_cmpint (journaled->filled_qty, ==, 1);
  ea_broker_disconnect_async (EA_BROKER (rig->broker), NULL, result_cb, &res);
  g_assert_true (ea_broker_disconnect_finish (EA_BROKER (rig->broker), wait_for (&res), &error));
  g_clear_object (&res);
  log_free (rig, log);

  /* A new broker on the same folders, told what the journal knows. */
  g_object_get (rig->broker, "incoming-dir", &in, "outgoing-dir", &out, NULL);
  again = g_object_new (EA_TYPE_NINJATRADER_BROKER, "incoming-dir", in, "outgoing-dir", out,
                        "accounts", accounts, "reference-day", NT_TEST_DAY, "rescan-interval-ms", 100u,
                        NULL);
  ea_broker_connect_async (EA_BROKER (again), NULL, result_cb, &res);
  g_assert_true (ea_broker_connect_finish (EA_BROKER (again), wait_for (&res), &error));
  g_clear_object (&res);
  g_assert_true (ea_ninjatrader_broker_adopt_order (again, journaled, &error));
  g_assert_no_error (error);
  g_assert_false (ea_ninjatrader_broker_adopt_order (again, journaled, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED);
  g_clear_error (&error);

  ea_nt_sim_push_quote (rig->sim, "ES", P - 2, P - 1, 5, 5);
  ea_ninjatrader_broker_rescan (again);
  ea_broker_snapshot_async (EA_BROKER (again), NT_TEST_ACCOUNT, NULL, result_cb, &res);
  s = ea_broker_snapshot_finish (EA_BROKER (again), wait_for (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  /* Only the rest is a new fill; the first is not reported again. */
  g_assert_cmpuint (s->fills->len, ==, 1);
  g_assert_cmpstr (((EaFillData *) s->fills->pdata[0])->fill_id, ==, "ad1#3");
  g_assert_cmpint (((EaFillData *) s->fills->pdata[0])->qty, ==, 2);
  g_assert_cmpint (((EaFillData *) s->fills->pdata[0])->price, ==, P - 1);
  g_assert_cmpint (ea_snapshot_data_find_order_by_client_id (s, "ad1")->state, ==, EA_ORDER_STATE_FILLED);

  g_clear_object (&again);
  nt_rig_free (rig);
}

static void
test_quote_source (void)
{
  g_autoptr(GError) error = NULL;
  NtRig *rig = connected_rig ();
  Log *log = log_attach (rig);
  EaSimBroker *demo = ea_sim_broker_new (3, G_GINT64_CONSTANT (1763478000000000));
  GAsyncResult *res = NULL;
  EaQuoteData q = { 0 };

  ea_sim_exchange_set_generator_enabled (ea_sim_broker_get_exchange (demo), FALSE);
  ea_sim_exchange_set_always_open (ea_sim_broker_get_exchange (demo), TRUE);
  ea_broker_connect_async (EA_BROKER (demo), NULL, result_cb, &res);
  g_assert_true (ea_broker_connect_finish (EA_BROKER (demo), wait_for (&res), &error));
  g_clear_object (&res);

  g_assert_cmpstr (ea_ninjatrader_broker_get_quote_source_name (rig->broker), ==, "none");
  ea_ninjatrader_broker_set_quote_source (rig->broker, EA_BROKER (demo));
  g_assert_cmpstr (ea_ninjatrader_broker_get_quote_source_name (rig->broker), ==,
                   ea_broker_get_name (EA_BROKER (demo)));

  ea_broker_subscribe_quotes_async (EA_BROKER (rig->broker), "ES", NULL, result_cb, &res);
  g_assert_true (ea_broker_subscribe_quotes_finish (EA_BROKER (rig->broker), wait_for (&res), &error));
  g_clear_object (&res);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  ea_sim_exchange_push_quote (ea_sim_broker_get_exchange (demo), "ES", P, P + 1, 4, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->quotes->len, >=, 1);
  g_assert_cmpstr (((EaQuoteData *) log->quotes->pdata[log->quotes->len - 1])->symbol, ==, "ES");
  g_assert_cmpint (((EaQuoteData *) log->quotes->pdata[log->quotes->len - 1])->ask, ==, P + 1);

  /* Another venue's name of the same contract reaches the same symbol;
   * an unsubscribed one does not. */
  q.symbol = "ESZ6";
  q.bid = P + 3;
  q.ask = P + 4;
  ea_ninjatrader_broker_push_quote (rig->broker, &q);
  g_assert_cmpint (((EaQuoteData *) log->quotes->pdata[log->quotes->len - 1])->bid, ==, P + 3);
  g_assert_cmpstr (((EaQuoteData *) log->quotes->pdata[log->quotes->len - 1])->symbol, ==, "ES");
  {
    guint n = log->quotes->len;

    q.symbol = "NQZ6";
    ea_ninjatrader_broker_push_quote (rig->broker, &q);
    q.symbol = "ESH7";
    ea_ninjatrader_broker_push_quote (rig->broker, &q);
    g_assert_cmpuint (log->quotes->len, ==, n);
  }

  ea_ninjatrader_broker_set_quote_source (rig->broker, NULL);
  log_free (rig, log);
  nt_rig_free (rig);
  g_assert_finalize_object (demo);
}

static void
test_instrument_naming (void)
{
  g_autoptr(GError) error = NULL;
  NtRig *rig = nt_rig_new ("symbology", (int) EA_SYMBOLOGY_TRADOVATE, NULL);
  g_autofree char *a = ea_ninjatrader_broker_instrument_for (rig->broker, "ES", &error);
  g_autofree char *b = ea_ninjatrader_broker_instrument_for (rig->broker, "NQ 03-27", &error);
  g_autofree char *c = ea_ninjatrader_broker_instrument_for (rig->broker, "nonsense", &error);

  g_assert_cmpstr (a, ==, "ESZ6");
  g_assert_cmpstr (b, ==, "NQH7");
  g_assert_null (c);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND);
  nt_rig_free (rig);

  /* Default naming, and the front month moving on at the roll. */
  rig = nt_rig_new ("reference-day", 20261211u, NULL);
  g_clear_pointer (&a, g_free);
  a = ea_ninjatrader_broker_instrument_for (rig->broker, "ES", NULL);
  g_assert_cmpstr (a, ==, "ES 03-27");
  nt_rig_free (rig);
}

/* Instruction files from two brokers (or two runs) never share a name,
 * and NinjaTrader only ever sees oif*.txt files. */
static void
test_file_names (void)
{
  g_autoptr(GError) error = NULL;
  NtRig *rig = connected_rig ();
  g_autoptr(EaNinjaTraderBroker) other = NULL;
  g_autofree char *in = NULL, *out = NULL, *s1 = NULL, *s2 = NULL;
  const char *accounts[] = { NT_TEST_ACCOUNT, NULL };
  GAsyncResult *res = NULL;
  GAsyncResult *done[6] = { NULL };
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_object_get (rig->broker, "incoming-dir", &in, "outgoing-dir", &out, "file-stamp", &s1, NULL);
  other = g_object_new (EA_TYPE_NINJATRADER_BROKER, "incoming-dir", in, "outgoing-dir", out,
                        "accounts", accounts, "reference-day", NT_TEST_DAY, "rescan-interval-ms", 100u, NULL);
  g_object_get (other, "file-stamp", &s2, NULL);
  g_assert_cmpstr (s1, !=, s2);
  ea_broker_connect_async (EA_BROKER (other), NULL, result_cb, &res);
  g_assert_true (ea_broker_connect_finish (EA_BROKER (other), wait_for (&res), &error));
  g_clear_object (&res);

  /* Hold the files back and look at them in `incoming`. */
  ea_nt_sim_set_pickup_delay (rig->sim, 3600 * 1000);
  for (guint i = 0; i < 3; i++)
    {
      EaBroker *b = i % 2 ? EA_BROKER (other) : EA_BROKER (rig->broker);

      ea_broker_cancel_all_async (b, NULL, NULL, NULL, result_cb, &done[2 * i]);
      ea_broker_cancel_all_async (b, NULL, NULL, NULL, result_cb, &done[2 * i + 1]);
    }
  {
    g_autoptr(GDir) dir = g_dir_open (ea_nt_sim_get_incoming_dir (rig->sim), 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_assert_true (g_str_has_prefix (name, "oif"));
        g_assert_true (g_str_has_suffix (name, ".txt"));
        g_assert_true (g_hash_table_add (names, g_strdup (name)));
      }
  }
  g_assert_cmpuint (g_hash_table_size (names), ==, 6);
  ea_nt_sim_set_pickup_delay (rig->sim, 0);
  g_assert_cmpuint (ea_nt_sim_get_lines (rig->sim)->len, ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      EaBroker *b = (i / 2) % 2 ? EA_BROKER (other) : EA_BROKER (rig->broker);

      g_assert_true (ea_broker_cancel_all_finish (b, wait_for (&done[i]), &error));
      g_assert_no_error (error);
      g_object_unref (done[i]);
    }

  g_assert_finalize_object (g_steal_pointer (&other));
  nt_rig_free (rig);
}

/* With an ATM template, NinjaTrader owns the bracket: the entry carries
 * the template and a strategy id, and no stop or target is sent by us. */
static void
test_atm_template (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaOrderRequest) r = ea_order_request_new (NT_TEST_ACCOUNT, "ES", "atm1", EA_SIDE_BUY,
                                                      EA_ORDER_TYPE_MARKET, 1);
  NtRig *rig = nt_rig_new ("atm-template", "2R Scalp", NULL);
  GPtrArray *lines = ea_nt_sim_get_lines (rig->sim);
  GAsyncResult *res = NULL;
  g_autofree char *id = NULL;

  g_assert_true (nt_rig_connect (rig, &error));
  quote (rig, "ES", P, P + 1, 10);
  r->has_stop_loss = TRUE;
  r->stop_loss_price = P - 8;
  r->has_take_profit = TRUE;
  r->take_profit_price = P + 8;
  ea_broker_place_order_async (EA_BROKER (rig->broker), r, NULL, result_cb, &res);
  id = ea_broker_place_order_finish (EA_BROKER (rig->broker), wait_for (&res), &error);
  g_object_unref (res);
  g_assert_no_error (error);
  nt_rig_settle (rig);
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_cmpstr (lines->pdata[0], ==, "PLACE;Sim101;ES 12-26;BUY;1;MARKET;;;DAY;;atm1;2R Scalp;atm1");
  nt_rig_free (rig);
}

static char *
reverse (EaBroker *broker, const char *id, EaSide side, gint64 qty, GError **error)
{
  g_autoptr(EaOrderRequest) r = ea_order_request_new (NT_TEST_ACCOUNT, "ES", id, side, EA_ORDER_TYPE_MARKET, qty);
  GAsyncResult *res = NULL;
  char *out;

  ea_broker_reverse_position_async (broker, r, NULL, result_cb, &res);
  out = ea_broker_reverse_position_finish (broker, wait_for (&res), error);
  g_object_unref (res);
  return out;
}

/* REVERSEPOSITION: long 2 becomes short 2 in one instruction, tracked as
 * an order under its ORDER ID; a reversal of a position NinjaTrader does
 * not hold is refused before anything is written. */
static void
test_reverse_position (void)
{
  g_autoptr(GError) error = NULL;
  NtRig *rig = connected_rig ();
  Log *log = log_attach (rig);
  GPtrArray *lines = ea_nt_sim_get_lines (rig->sim);
  g_autoptr(EaSnapshotData) s = NULL;
  g_autofree char *id = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *position = NULL;
  guint n_lines;

  g_assert_true (ea_broker_can_reverse_position (EA_BROKER (rig->broker)));
  quote (rig, "ES", P, P + 1, 10);
  id = place (rig, NT_TEST_ACCOUNT, "ES", "r1", EA_SIDE_BUY, EA_ORDER_TYPE_MARKET, 2, 0, 0,
              EA_TIME_IN_FORCE_DAY, &error);
  g_assert_no_error (error);
  nt_rig_settle (rig);
  g_assert_cmpint (last_position (log, NT_TEST_ACCOUNT, "ES"), ==, 2);

  /* The wrong size or direction: nothing goes out. */
  n_lines = lines->len;
  g_assert_null (reverse (EA_BROKER (rig->broker), "r2", EA_SIDE_SELL, 1, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED);
  g_clear_error (&error);
  g_assert_null (reverse (EA_BROKER (rig->broker), "r2", EA_SIDE_BUY, 2, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED);
  g_clear_error (&error);
  nt_rig_settle (rig);
  g_assert_cmpuint (lines->len, ==, n_lines);

  rev = reverse (EA_BROKER (rig->broker), "r2", EA_SIDE_SELL, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rev, ==, "r2");
  nt_rig_settle (rig);
  g_assert_cmpuint (lines->len, ==, n_lines + 1);
  g_assert_cmpstr (lines->pdata[n_lines], ==, "REVERSEPOSITION;Sim101;ES 12-26;SELL;2;MARKET;;;DAY;;r2;;");
  position = read_outgoing (rig, "ES 12-26_" NT_TEST_ACCOUNT "_Position.txt");
  g_assert_true (g_str_has_prefix (position, "SHORT;2;"));
  g_assert_cmpint (last_position (log, NT_TEST_ACCOUNT, "ES"), ==, -2);
  g_assert_cmpint (last_order (log, "r2")->state, ==, EA_ORDER_STATE_FILLED);
  g_assert_cmpint (last_order (log, "r2")->side, ==, EA_SIDE_SELL);
  g_assert_cmpint (last_order (log, "r2")->filled_qty, ==, 2);
  s = snapshot (rig);
  g_assert_cmpuint (s->positions->len, ==, 1);
  g_assert_cmpint (((EaPositionData *) s->positions->pdata[0])->qty, ==, -2);

  /* And back: short 2 becomes long 2. */
  g_clear_pointer (&rev, g_free);
  rev = reverse (EA_BROKER (rig->broker), "r3", EA_SIDE_BUY, 2, &error);
  g_assert_no_error (error);
  nt_rig_settle (rig);
  g_assert_cmpstr (lines->pdata[lines->len - 1], ==, "REVERSEPOSITION;Sim101;ES 12-26;BUY;2;MARKET;;;DAY;;r3;;");
  g_assert_cmpint (last_position (log, NT_TEST_ACCOUNT, "ES"), ==, 2);

  /* A reversal is a plain market order: no bracket, no limit. */
  {
    g_autoptr(EaOrderRequest) r = ea_order_request_new (NT_TEST_ACCOUNT, "ES", "r4", EA_SIDE_SELL,
                                                        EA_ORDER_TYPE_LIMIT, 2);
    GAsyncResult *res = NULL;

    r->limit_price = P;
    ea_broker_reverse_position_async (EA_BROKER (rig->broker), r, NULL, result_cb, &res);
    g_assert_null (ea_broker_reverse_position_finish (EA_BROKER (rig->broker), wait_for (&res), &error));
    g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    g_object_unref (res);
  }

  log_free (rig, log);
  nt_rig_free (rig);
}

/* A broker without the instruction says so. */
static void
test_reverse_not_supported (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSimBroker) sim = ea_sim_broker_new (1, 0);

  g_assert_false (ea_broker_can_reverse_position (EA_BROKER (sim)));
  g_assert_null (reverse (EA_BROKER (sim), "x1", EA_SIDE_SELL, 1, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_SUPPORTED);
}

static void
test_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.enigmaapex.EnigmaApex");
  g_autoptr(EaNinjaTraderBroker) broker = NULL;
  g_auto(GStrv) accounts = NULL;
  g_autofree char *in = NULL, *out = NULL, *conn = NULL, *stop = NULL;

  g_assert_true (g_settings_set_string (settings, "nt-incoming-dir", "/mnt/nt/incoming"));
  g_assert_true (g_settings_set_string (settings, "nt-outgoing-dir", "/mnt/nt/outgoing"));
  g_assert_true (g_settings_set_string (settings, "nt-account", "Sim101, APEX-1234"));
  g_assert_true (g_settings_set_string (settings, "nt-connection-name", "Rithmic"));
  g_assert_true (g_settings_set_string (settings, "nt-stop-keyword", "STOP"));
  broker = ea_ninjatrader_broker_new_from_settings (settings);
  g_object_get (broker, "incoming-dir", &in, "outgoing-dir", &out, "accounts", &accounts,
                "connection-name", &conn, "stop-keyword", &stop, NULL);
  g_assert_cmpstr (in, ==, "/mnt/nt/incoming");
  g_assert_cmpstr (out, ==, "/mnt/nt/outgoing");
  g_assert_cmpuint (g_strv_length (accounts), ==, 2);
  g_assert_cmpstr (accounts[1], ==, "APEX-1234");
  g_assert_cmpstr (conn, ==, "Rithmic");
  g_assert_cmpstr (stop, ==, "STOP");
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (broker)), ==, EA_CONNECTION_STATE_DISCONNECTED);
}

/* Instrument naming, the ATM template and the extra order-state words
 * come from the settings and change what is written and read. */
static void
test_settings_options (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.enigmaapex.EnigmaApex");
  g_autoptr(EaNinjaTraderBroker) broker = NULL;
  g_autoptr(EaNinjaTraderBroker) defaults = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) aliases = NULL;
  g_autofree char *atm = NULL;
  g_autofree char *name = NULL;
  g_autofree char *nt_name = NULL;
  GVariantBuilder words;
  EaNtOrderFile f;
  int symbology = -1;

  /* The defaults: NinjaTrader's naming, no template, no extra words. */
  g_settings_reset (settings, "nt-symbology");
  g_settings_reset (settings, "nt-atm-template");
  g_settings_reset (settings, "nt-state-aliases");
  defaults = ea_ninjatrader_broker_new_from_settings (settings);
  g_object_get (defaults, "symbology", &symbology, "atm-template", &atm, "state-aliases", &aliases, NULL);
  g_assert_cmpint (symbology, ==, EA_SYMBOLOGY_NINJATRADER);
  g_assert_cmpstr (atm, ==, "");
  g_assert_true (aliases == NULL || aliases[0] == NULL);
  nt_name = ea_ninjatrader_broker_instrument_for (defaults, "ES", &error);
  g_assert_no_error (error);
  g_assert_true (g_regex_match_simple ("^ES [01][0-9]-[0-9][0-9]$", nt_name, 0, 0));
  g_clear_pointer (&atm, g_free);
  g_clear_pointer (&aliases, g_strfreev);

  g_variant_builder_init (&words, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&words, "{ss}", "Cxl", "cancelled");
  g_variant_builder_add (&words, "{ss}", "Done", "FILLED");
  g_assert_true (g_settings_set_value (settings, "nt-state-aliases", g_variant_builder_end (&words)));
  g_assert_true (g_settings_set_string (settings, "nt-symbology", "cme"));
  g_assert_true (g_settings_set_string (settings, "nt-atm-template", " 2R Scalp "));
  broker = ea_ninjatrader_broker_new_from_settings (settings);
  g_object_get (broker, "symbology", &symbology, "atm-template", &atm, "state-aliases", &aliases, NULL);
  g_assert_cmpint (symbology, ==, EA_SYMBOLOGY_CME);
  g_assert_cmpstr (atm, ==, "2R Scalp");
  name = ea_ninjatrader_broker_instrument_for (broker, "ES", &error);
  g_assert_no_error (error);
  g_assert_true (g_regex_match_simple ("^ES[FGHJKMNQUVXZ][0-9][0-9]$", name, 0, 0));
  /* The words are read as the states they stand for. */
  g_assert_nonnull (aliases);
  g_assert_true (ea_nt_parse_order_file ("CXL;0;0", (const char * const *) aliases, &f, &error));
  g_assert_no_error (error);
  g_assert_cmpint (f.state, ==, EA_NT_ORDER_CANCELLED);
  g_assert_true (ea_nt_parse_order_file ("Done;2;4500.25", (const char * const *) aliases, &f, &error));
  g_assert_cmpint (f.state, ==, EA_NT_ORDER_FILLED);
  g_assert_cmpint (f.filled_qty, ==, 2);
  /* Without them the word means nothing. */
  g_assert_false (ea_nt_parse_order_file ("Cxl;0;0", NULL, &f, NULL));

  g_settings_reset (settings, "nt-symbology");
  g_settings_reset (settings, "nt-atm-template");
  g_settings_reset (settings, "nt-state-aliases");
}

/* A bad order-state word is reported; the documented words still work
 * and no extra word is taken. */
static void
test_settings_bad_aliases (void)
{
  static const struct
  {
    const char *word;
    const char *state;
    const char *message;
  } bad[] = {
    { "Cxl", "GONE", "*“Cxl”: “GONE” is not an order state*" },
    { "Filled", "CANCELLED", "*“Filled” is already a state*" },
    { "Part Filled", "PARTFILLED", "*“Part Filled” must be letters and digits*" },
    { "", "FILLED", "*must be letters and digits*" },
    { "Pfx", "PartiallyFilled", "*“PartiallyFilled” is not an order state*" },
  };
  g_autoptr(GSettings) settings = g_settings_new ("io.github.enigmaapex.EnigmaApex");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(EaNinjaTraderBroker) broker = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) aliases = NULL;
      g_autofree char *pattern = g_strconcat ("Ignoring the NinjaTrader order-state words*", bad[i].message, NULL);
      GVariantBuilder words;
      GVariant *value;
      EaNtOrderFile f;

      g_variant_builder_init (&words, G_VARIANT_TYPE ("a{ss}"));
      g_variant_builder_add (&words, "{ss}", "Done", "FILLED");
      g_variant_builder_add (&words, "{ss}", bad[i].word, bad[i].state);
      value = g_variant_ref_sink (g_variant_builder_end (&words));
      g_assert_null (ea_ninjatrader_state_aliases_from_variant (value, &error));
      g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT);
      g_assert_true (g_settings_set_value (settings, "nt-state-aliases", value));
      g_variant_unref (value);

      g_test_expect_message ("ea-ninjatrader", G_LOG_LEVEL_WARNING, pattern);
      broker = ea_ninjatrader_broker_new_from_settings (settings);
      g_test_assert_expected_messages ();
      g_object_get (broker, "state-aliases", &aliases, NULL);
      g_assert_null (aliases);
      g_assert_true (ea_nt_parse_order_file ("Filled;1;4500", (const char * const *) aliases, &f, NULL));
      g_assert_cmpint (f.state, ==, EA_NT_ORDER_FILLED);
    }
  g_settings_reset (settings, "nt-state-aliases");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ninjatrader/emergency-stop", test_emergency_stop);
  g_test_add_func ("/ninjatrader/restart", test_restart);
  g_test_add_func ("/ninjatrader/connection-file", test_connection_file);
  g_test_add_func ("/ninjatrader/folders", test_folders);
  g_test_add_func ("/ninjatrader/rejected-and-slow", test_rejected_and_slow);
  g_test_add_func ("/ninjatrader/stale", test_stale);
  g_test_add_func ("/ninjatrader/spellings", test_spellings);
  g_test_add_func ("/ninjatrader/fills-once", test_fills_once);
  g_test_add_func ("/ninjatrader/adopt", test_adopt);
  g_test_add_func ("/ninjatrader/quote-source", test_quote_source);
  g_test_add_func ("/ninjatrader/instrument-naming", test_instrument_naming);
  g_test_add_func ("/ninjatrader/file-names", test_file_names);
  g_test_add_func ("/ninjatrader/atm-template", test_atm_template);
  g_test_add_func ("/ninjatrader/reverse-position", test_reverse_position);
  g_test_add_func ("/ninjatrader/reverse-not-supported", test_reverse_not_supported);
  g_test_add_func ("/ninjatrader/settings", test_settings);
  g_test_add_func ("/ninjatrader/settings/options", test_settings_options);
  g_test_add_func ("/ninjatrader/settings/bad-aliases", test_settings_bad_aliases);

  return g_test_run ();
}
