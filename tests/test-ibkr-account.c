/* test-ibkr-account.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The IBKR adapter's account views against the local gateway: the round
 * trip it measures, positions over several portfolio pages, and the
 * account's P&L from the ledger.
 */
#include "config.h"

#include "ea-ibkr-broker-private.h"
#include "ea-ibkr-gateway.h"
#include "ea-instrument.h"

#define ACCOUNT "DU1234567"

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

typedef struct
{
  EaIbkrGateway *gw;
  EaIbkrBroker  *broker;
  GPtrArray     *accounts;   /* EaAccountData emitted */
} Fx;

static void
account_cb (EaBroker *b, const EaAccountData *a, Fx *fx)
{
  g_ptr_array_add (fx->accounts, ea_account_data_copy (a));
}

static void
fx_init (Fx *fx, guint page_size)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;

  fx->gw = ea_ibkr_gateway_new (0, &error);
  g_assert_no_error (error);
  g_assert_true (ea_ibkr_gateway_add_account (fx->gw, ACCOUNT, EA_MICROS (50000)));
  ea_ibkr_gateway_set_page_size (fx->gw, page_size);
  fx->broker = g_object_new (EA_TYPE_IBKR_BROKER,
                             "url", ea_ibkr_gateway_get_url (fx->gw),
                             "pinned-fingerprint", ea_ibkr_gateway_get_fingerprint (fx->gw),
                             "account", ACCOUNT,
                             "auto-confirm", TRUE,
                             "pace-slow-window", 0,
                             "pace-window", 100,
                             "positions-page-size", page_size,
                             NULL);
  fx->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_account_data_free);
  g_signal_connect (fx->broker, "account-changed", G_CALLBACK (account_cb), fx);
  /* Nothing measured before the first request. */
  g_assert_cmpint (ea_broker_get_latency_us (EA_BROKER (fx->broker)), ==, -1);
  ea_broker_connect_async (EA_BROKER (fx->broker), NULL, result_cb, &res);
  g_assert_true (ea_broker_connect_finish (EA_BROKER (fx->broker), wait_for (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);
}

static void
fx_clear (Fx *fx)
{
  GAsyncResult *res = NULL;

  ea_broker_disconnect_async (EA_BROKER (fx->broker), NULL, result_cb, &res);
  g_assert_true (ea_broker_disconnect_finish (EA_BROKER (fx->broker), wait_for (&res), NULL));
  g_object_unref (res);
  while (G_OBJECT (fx->broker)->ref_count > 1)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handlers_disconnect_by_data (fx->broker, fx);
  g_assert_finalize_object (fx->broker);
  g_object_unref (fx->gw);
  g_ptr_array_unref (fx->accounts);
}

static void
sync_broker (EaBroker *broker)
{
  GAsyncResult *res = NULL;

  ea_ibkr_broker_sync_async (EA_IBKR_BROKER (broker), NULL, result_cb, &res);
  g_assert_true (ea_ibkr_broker_sync_finish (EA_IBKR_BROKER (broker), wait_for (&res), NULL));
  g_object_unref (res);
}

static EaSnapshotData *
snapshot (EaBroker *broker, GError **error)
{
  GAsyncResult *res = NULL;
  EaSnapshotData *s;

  ea_broker_snapshot_async (broker, ACCOUNT, NULL, result_cb, &res);
  s = ea_broker_snapshot_finish (broker, wait_for (&res), error);
  g_object_unref (res);
  return s;
}

static void
place_market (EaBroker *broker, const char *symbol, const char *cid, EaSide side, gint64 qty)
{
  g_autoptr(EaOrderRequest) r = ea_order_request_new (ACCOUNT, symbol, cid, side, EA_ORDER_TYPE_MARKET, qty);
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  g_autofree char *id = NULL;

  ea_broker_place_order_async (broker, r, NULL, result_cb, &res);
  id = ea_broker_place_order_finish (broker, wait_for (&res), &error);
  g_object_unref (res);
  g_assert_no_error (error);
  g_assert_nonnull (id);
}

/* The smoothed round trip of REST requests: unknown before the first,
 * then it follows what the gateway takes to answer. */

static void
test_latency (void)
{
  Fx fx;
  gint64 fast;
  guint before;

  fx_init (&fx, 100);
  fast = ea_broker_get_latency_us (EA_BROKER (fx.broker));
  g_assert_cmpint (fast, >=, 0);
  g_assert_cmpint (fast, <, 30 * G_USEC_PER_SEC);

  /* Every answer now takes at least 200 ms: after eight requests the
   * smoothed value (a quarter of each new sample) is over 90 % of it,
   * whatever came before. A snapshot is four requests or more. */
  ea_ibkr_gateway_set_reply_delay (fx.gw, 200);
  before = ea_ibkr_gateway_count_requests (fx.gw, "");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EaSnapshotData) s = snapshot (EA_BROKER (fx.broker), &error);

      g_assert_no_error (error);
      g_assert_nonnull (s);
    }
  g_assert_cmpuint (ea_ibkr_gateway_count_requests (fx.gw, "") - before, >=, 8);
  g_assert_cmpint (ea_broker_get_latency_us (EA_BROKER (fx.broker)), >=, 180 * 1000);
  g_assert_cmpint (ea_broker_get_latency_us (EA_BROKER (fx.broker)), <, 30 * G_USEC_PER_SEC);
  ea_ibkr_gateway_set_reply_delay (fx.gw, 0);
  fx_clear (&fx);
}

/* More positions than fit one portfolio page: every page is read, none
 * forgotten, in the snapshot and in the flatten that closes them. */

static void
test_position_pages (void)
{
  static const char *const roots[] = { "ES", "MES", "NQ", "MNQ", "YM" };
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSnapshotData) s = NULL;
  GAsyncResult *res = NULL;
  guint pages_before;
  Fx fx;

  fx_init (&fx, 2);
  for (guint i = 0; i < G_N_ELEMENTS (roots); i++)
    {
      g_autofree char *cid = g_strdup_printf ("pg-%u", i);

      g_assert_nonnull (ea_instrument_lookup (roots[i]));
      g_assert_true (ea_ibkr_gateway_set_quote (fx.gw, roots[i], 10000, 10001, 50, 50));
      place_market (EA_BROKER (fx.broker), roots[i], cid, i % 2 ? EA_SIDE_SELL : EA_SIDE_BUY, i + 1);
      g_assert_cmpint (ea_ibkr_gateway_get_position (fx.gw, ACCOUNT, roots[i]), ==,
                       (i % 2 ? -1 : 1) * (gint64) (i + 1));
    }
  sync_broker (EA_BROKER (fx.broker));

  pages_before = ea_ibkr_gateway_count_requests (fx.gw, "portfolio/" ACCOUNT "/positions/");
  s = snapshot (EA_BROKER (fx.broker), &error);
  g_assert_no_error (error);
  /* Five positions at two a page: pages 0, 1 and 2 (short). */
  g_assert_cmpuint (s->positions->len, ==, G_N_ELEMENTS (roots));
  g_assert_cmpuint (ea_ibkr_gateway_count_requests (fx.gw, "portfolio/" ACCOUNT "/positions/") - pages_before,
                    >=, 3);
  for (guint i = 0; i < G_N_ELEMENTS (roots); i++)
    {
      gboolean found = FALSE;

      for (guint k = 0; k < s->positions->len; k++)
        {
          EaPositionData *p = s->positions->pdata[k];

          if (g_str_equal (p->symbol, roots[i]))
            {
              g_assert_cmpint (p->qty, ==, (i % 2 ? -1 : 1) * (gint64) (i + 1));
              found = TRUE;
            }
        }
      g_assert_true (found);
    }

  /* The flatten reads the same pages: nothing is left open. */
  ea_broker_flatten_async (EA_BROKER (fx.broker), ACCOUNT, NULL, NULL, result_cb, &res);
  g_assert_true (ea_broker_flatten_finish (EA_BROKER (fx.broker), wait_for (&res), &error));
  g_clear_object (&res);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (roots); i++)
    g_assert_cmpint (ea_ibkr_gateway_get_position (fx.gw, ACCOUNT, roots[i]), ==, 0);
  fx_clear (&fx);
}

/* The account's P&L from the ledger: realized P&L of a position already
 * closed (which no positions page shows any more), the open one's
 * unrealized P&L, balance and equity, as the gateway's books have them.
 * The spl stream between two reads keeps balance and equity whole. */

static void
assert_account_equal (const EaAccountData *a, const EaAccountData *want)
{
  g_assert_cmpstr (a->name, ==, want->name);
  g_assert_cmpint (a->realized_pnl, ==, want->realized_pnl);
  g_assert_cmpint (a->open_pnl, ==, want->open_pnl);
  g_assert_cmpint (a->balance, ==, want->balance);
  g_assert_cmpint (a->equity, ==, want->equity);
}

static void
test_ledger_pnl (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSnapshotData) s = NULL;
  g_autoptr(EaAccountData) want = NULL;
  EaMicros positions_realized = 0;
  const EaAccountData *last;
  Fx fx;

  fx_init (&fx, 100);
  /* NQ: in and out at a profit; ES: two in, one out higher, one open. */
  g_assert_true (ea_ibkr_gateway_set_quote (fx.gw, "NQ", 100000, 100001, 50, 50));
  place_market (EA_BROKER (fx.broker), "NQ", "l-1", EA_SIDE_BUY, 1);
  g_assert_true (ea_ibkr_gateway_set_quote (fx.gw, "NQ", 100041, 100042, 50, 50));
  place_market (EA_BROKER (fx.broker), "NQ", "l-2", EA_SIDE_SELL, 1);
  g_assert_true (ea_ibkr_gateway_set_quote (fx.gw, "ES", 27200, 27201, 50, 50));
  place_market (EA_BROKER (fx.broker), "ES", "l-3", EA_SIDE_BUY, 2);
  g_assert_true (ea_ibkr_gateway_set_quote (fx.gw, "ES", 27209, 27210, 50, 50));
  place_market (EA_BROKER (fx.broker), "ES", "l-4", EA_SIDE_SELL, 1);
  g_assert_true (ea_ibkr_gateway_set_quote (fx.gw, "ES", 27204, 27205, 50, 50));
  sync_broker (EA_BROKER (fx.broker));

  want = ea_ibkr_gateway_get_account (fx.gw, ACCOUNT);
  g_assert_nonnull (want);
  g_assert_cmpint (want->realized_pnl, !=, 0);
  g_assert_cmpint (want->open_pnl, !=, 0);

  s = snapshot (EA_BROKER (fx.broker), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s->accounts->len, ==, 1);
  assert_account_equal (s->accounts->pdata[0], want);
  g_assert_cmpint (((EaAccountData *) s->accounts->pdata[0])->size, ==, EA_MICROS (50000));
  /* The positions alone do not add up to it: NQ is closed. */
  for (guint i = 0; i < s->positions->len; i++)
    positions_realized += ((EaPositionData *) s->positions->pdata[i])->realized_pnl;
  g_assert_cmpint (positions_realized, !=, want->realized_pnl);

  /* More P&L on a new fill: spl brings the day's and the unrealized P&L,
   * and the account it completes has the balance and equity that go
   * with them. */
  g_ptr_array_set_size (fx.accounts, 0);
  g_assert_true (ea_ibkr_gateway_set_quote (fx.gw, "ES", 27220, 27221, 50, 50));
  place_market (EA_BROKER (fx.broker), "MES", "l-5", EA_SIDE_BUY, 3);
  g_assert_true (ea_ibkr_gateway_set_quote (fx.gw, "MES", 27240, 27241, 50, 50));
  place_market (EA_BROKER (fx.broker), "MES", "l-6", EA_SIDE_SELL, 1);
  sync_broker (EA_BROKER (fx.broker));
  g_clear_pointer (&want, ea_account_data_free);
  want = ea_ibkr_gateway_get_account (fx.gw, ACCOUNT);
  g_assert_cmpuint (fx.accounts->len, >, 0);
  last = fx.accounts->pdata[fx.accounts->len - 1];
  assert_account_equal (last, want);

  /* A ledger that makes no sense fails the snapshot, never a zero
   * balance passed off as true. */
  {
    g_autoptr(JsonNode) bad = ea_json_parse_string ("{\"BASE\":{\"cashbalance\":\"lots\"}}", -1, NULL);
    EaAccountData a;

    g_assert_false (_ea_ibkr_parse_ledger (bad, ACCOUNT, &a, &error));
    g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED);
    g_clear_error (&error);
  }
  fx_clear (&fx);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/broker/ibkr/latency", test_latency);
  g_test_add_func ("/broker/ibkr/position-pages", test_position_pages);
  g_test_add_func ("/broker/ibkr/ledger-pnl", test_ledger_pnl);
  return g_test_run ();
}
