/* test-ibkr-desk.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk with the IBKR adapter against the local Client Portal gateway,
 * end to end: an order checked and placed through the desk fills at the
 * gateway and reaches the desk's store once; the emergency stop then
 * cancels the bracket's children, closes the position and confirms the
 * account FLAT from the gateway's own books.
 */
#include "config.h"

#include "ea-desk.h"
#include "ea-ibkr-broker.h"
#include "ea-ibkr-gateway.h"
#include "ea-test-clock.h"

#define ACCOUNT "DU1234567"
#define P       27200   /* 6800.00 */

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

/* Runs the loop until @done says so or 30 s have passed. */
static gboolean
wait_until (gboolean (*done) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return done (data);
}

static gboolean
has_account (gpointer desk)
{
  return ea_trading_store_lookup_account (ea_desk_get_store (desk), ACCOUNT) != NULL;
}

/* Known to the desk and reconciled: its snapshot applied. */
static gboolean
is_reconciled (gpointer desk)
{
  EaRiskStatus status;

  return ea_desk_get_risk_status (desk, ACCOUNT, &status) && !status.reconciling;
}

static gboolean
is_priced (gpointer desk)
{
  EaQuote *q = ea_trading_store_lookup_quote (ea_desk_get_store (desk), "ES");

  return q != NULL && ea_quote_get_last (q) == P;
}

static gboolean
is_long_one (gpointer desk)
{
  EaTradingStore *store = ea_desk_get_store (desk);
  EaPosition *pos = ea_trading_store_lookup_position (store, ACCOUNT, "ES");

  return pos != NULL && ea_position_get_qty (pos) == 1 &&
         g_list_model_get_n_items (ea_trading_store_get_fills (store)) == 1;
}

/* The store keys orders by the broker's id: find the desk's own. */
static EaOrderState
order_state (EaTradingStore *store, const char *client_order_id)
{
  GListModel *orders = ea_trading_store_get_orders (store);

  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(EaOrder) o = g_list_model_get_item (orders, i);

      if (g_strcmp0 (ea_order_get_client_order_id (o), client_order_id) == 0)
        return ea_order_get_state (o);
    }
  g_assert_not_reached ();
}

static gboolean
is_flat (gpointer desk)
{
  EaPosition *pos = ea_trading_store_lookup_position (ea_desk_get_store (desk), ACCOUNT, "ES");

  return pos == NULL || ea_position_get_qty (pos) == 0;
}

static gboolean
stop_settled (gpointer desk)
{
  return !ea_desk_get_stop_pending (desk);
}

static void
test_end_to_end (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaIbkrGateway) gw = ea_ibkr_gateway_new (0, &error);
  g_autoptr(EaIbkrBroker) broker = NULL;
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_TEST);
  EaTradingStore *store = ea_desk_get_store (desk);
  EaDeskOrder order = { .account = ACCOUNT, .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_MARKET, .qty = 1,
                        .has_stop_loss = TRUE, .stop_loss = P - 12,
                        .has_take_profit = TRUE, .take_profit = P + 24 };
  EaRiskDecision decision = { 0 };
  g_autofree char *id = NULL;
  const char *reason = NULL;
  GAsyncResult *res = NULL;
  guint working = 0;

  g_assert_no_error (error);
  g_assert_true (ea_ibkr_gateway_add_account (gw, ACCOUNT, EA_MICROS (50000)));
  g_assert_true (ea_ibkr_gateway_set_quote (gw, "ES", P, P + 1, 50, 50));
  /* The adapter's default pacing, except the 5 s spacing of the slow
   * endpoints, which only makes the test slower. */
  broker = g_object_new (EA_TYPE_IBKR_BROKER,
                         "url", ea_ibkr_gateway_get_url (gw),
                         "pinned-fingerprint", ea_ibkr_gateway_get_fingerprint (gw),
                         "account", ACCOUNT,
                         "pace-slow-window", 0,
                         NULL);

  ea_test_desk_in_session (desk);
  ea_desk_watch_symbol (desk, "ES");
  ea_desk_add_broker (desk, EA_BROKER (broker));
  ea_broker_connect_async (EA_BROKER (broker), NULL, result_cb, &res);
  g_assert_true (ea_broker_connect_finish (EA_BROKER (broker), wait_for (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  g_assert_true (wait_until (has_account, desk));
  g_assert_true (wait_until (is_reconciled, desk));
  /* The watched symbol's quotes and trades come over the gateway's smd
   * topic: a market order is valued at the last price. */
  g_assert_true (ea_ibkr_gateway_trade (gw, "ES", P, 1));
  g_assert_true (wait_until (is_priced, desk));
  g_assert_cmpstr (ea_desk_get_quote_source (desk, "ES"), ==, "Interactive Brokers");

  /* Through the desk's check to the gateway: the entry fills, its two
   * children work there. */
  ea_desk_place_order_async (desk, &order, EA_ACTOR_USER, NULL, result_cb, &res);
  id = ea_desk_place_order_finish (desk, wait_for (&res), &decision, &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_true (decision.allowed);
  g_assert_true (wait_until (is_long_one, desk));
  g_assert_cmpint (ea_ibkr_gateway_get_position (gw, ACCOUNT, "ES"), ==, 1);
  g_assert_cmpuint (ea_ibkr_gateway_count_working (gw, ACCOUNT), ==, 2);
  g_assert_cmpint (order_state (store, id), ==, EA_ORDER_STATE_FILLED);

  /* The emergency stop: confirmed FLAT by the gateway's books. */
  g_assert_true (ea_desk_emergency_stop (desk, EA_ACTOR_USER, NULL));
  g_assert_true (ea_desk_get_halted (desk));
  g_assert_true (wait_until (stop_settled, desk));
  g_assert_cmpint (ea_desk_get_stop_status (desk, ACCOUNT, &reason), ==, EA_STOP_STATUS_FLAT);
  g_assert_cmpint (ea_ibkr_gateway_get_position (gw, ACCOUNT, "ES"), ==, 0);
  g_assert_cmpuint (ea_ibkr_gateway_count_working (gw, ACCOUNT), ==, 0);
  /* The store follows, and no snapshot read before the stop (the desk's
   * reconciliation, overtaken by the stop's requests) sets it back. */
  g_assert_true (wait_until (is_flat, desk));
  {
    /* A snapshot queued now completes after everything queued before it
     * has: still flat then. */
    g_autoptr(EaSnapshotData) snap = NULL;

    ea_broker_snapshot_async (EA_BROKER (broker), NULL, NULL, result_cb, &res);
    snap = ea_broker_snapshot_finish (EA_BROKER (broker), wait_for (&res), &error);
    g_clear_object (&res);
    g_assert_no_error (error);
    for (guint i = 0; i < snap->positions->len; i++)
      g_assert_cmpint (((EaPositionData *) snap->positions->pdata[i])->qty, ==, 0);
    g_assert_true (is_flat (desk));
  }
  for (guint i = 0; i < g_list_model_get_n_items (ea_trading_store_get_orders (store)); i++)
    {
      g_autoptr(EaOrder) o = g_list_model_get_item (ea_trading_store_get_orders (store), i);

      working += !ea_order_state_is_terminal (ea_order_get_state (o));
    }
  g_assert_cmpuint (working, ==, 0);

  /* Halted: nothing new leaves. */
  ea_desk_place_order_async (desk, &order, EA_ACTOR_USER, NULL, result_cb, &res);
  g_assert_null (ea_desk_place_order_finish (desk, wait_for (&res), &decision, &error));
  g_clear_object (&res);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (ea_ibkr_gateway_get_position (gw, ACCOUNT, "ES"), ==, 0);

  ea_broker_disconnect_async (EA_BROKER (broker), NULL, result_cb, &res);
  g_assert_true (ea_broker_disconnect_finish (EA_BROKER (broker), wait_for (&res), NULL));
  g_clear_object (&res);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/desk/ibkr/end-to-end", test_end_to_end);
  return g_test_run ();
}
