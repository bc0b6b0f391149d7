/* test-sim-exchange.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulated exchange on its own: scripted markets with hand-computed
 * fills and P&L, the session calendar, and the generator's statistics.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-instrument.h"
#include "ea-sim-exchange.h"

/* Tuesday 2025-11-18 15:00 UTC = 09:00 America/Chicago, session open. */
#define TUE_0900_CT G_GINT64_CONSTANT (1763478000000000)
#define SEC         G_GINT64_CONSTANT (1000000)

typedef struct
{
  GPtrArray *fills;
  GPtrArray *orders;
  guint      n_quotes;
  guint      n_positions;
  guint      n_accounts;
} Recorder;

static void
rec_quote (gpointer data, const EaQuoteData *q)
{
  ((Recorder *) data)->n_quotes++;
}

static void
rec_order (gpointer data, const EaOrderData *o)
{
  g_ptr_array_add (((Recorder *) data)->orders, ea_order_data_copy (o));
}

static void
rec_fill (gpointer data, const EaFillData *f)
{
  g_ptr_array_add (((Recorder *) data)->fills, ea_fill_data_copy (f));
}

static void
rec_position (gpointer data, const EaPositionData *p)
{
  ((Recorder *) data)->n_positions++;
}

static void
rec_account (gpointer data, const EaAccountData *a)
{
  ((Recorder *) data)->n_accounts++;
}

static const EaSimSink rec_sink = { rec_quote, rec_order, rec_fill, rec_position, rec_account };

static EaSimExchange *
scripted_exchange (Recorder *rec)
{
  EaSimExchange *ex = ea_sim_exchange_new (1, TUE_0900_CT);

  ea_sim_exchange_set_generator_enabled (ex, FALSE);
  ea_sim_exchange_set_always_open (ex, TRUE);
  g_assert_true (ea_sim_exchange_add_account (ex, "DEMO-1", EA_MICROS (50000), "Apex legacy 50K", NULL));
  if (rec != NULL)
    {
      memset (rec, 0, sizeof *rec);
      rec->fills = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_fill_data_free);
      rec->orders = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_order_data_free);
      ea_sim_exchange_set_sink (ex, &rec_sink, rec);
    }
  return ex;
}

static void
recorder_clear (Recorder *rec)
{
  g_ptr_array_unref (rec->fills);
  g_ptr_array_unref (rec->orders);
}

static char *
place (EaSimExchange *ex,
       const char    *cid,
       EaSide         side,
       EaOrderType    type,
       gint64         qty,
       EaTicks        limit,
       EaTicks        stop,
       GError       **error)
{
  g_autoptr(EaOrderRequest) r = ea_order_request_new ("DEMO-1", "ES", cid, side, type, qty);

  r->limit_price = limit;
  r->stop_price = stop;
  return ea_sim_exchange_place (ex, r, error);
}

static const EaFillData *
fill_at (Recorder *rec, guint i)
{
  g_assert_cmpuint (i, <, rec->fills->len);
  return g_ptr_array_index (rec->fills, i);
}

static void
test_market_slippage (void)
{
  Recorder rec;
  EaSimExchange *ex = scripted_exchange (&rec);
  g_autofree char *id = NULL;
  g_autoptr(EaSnapshotData) snap = NULL;
  const EaPositionData *p;

  g_assert_true (ea_sim_exchange_push_quote (ex, "ES", 27200, 27201, 4, 3, NULL));
  id = place (ex, "c1", EA_SIDE_BUY, EA_ORDER_TYPE_MARKET, 5, 0, 0, NULL);
  g_assert_nonnull (id);

  /* 3 at the ask, then 2 one tick deeper. */
  g_assert_cmpuint (rec.fills->len, ==, 2);
  g_assert_cmpint (fill_at (&rec, 0)->qty, ==, 3);
  g_assert_cmpint (fill_at (&rec, 0)->price, ==, 27201);
  g_assert_cmpint (fill_at (&rec, 1)->qty, ==, 2);
  g_assert_cmpint (fill_at (&rec, 1)->price, ==, 27202);
  g_assert_cmpstr (fill_at (&rec, 0)->client_order_id, ==, "c1");
  g_assert_cmpstr (fill_at (&rec, 0)->fill_id, !=, fill_at (&rec, 1)->fill_id);
  g_assert_cmpint (ea_sim_exchange_get_order (ex, id)->state, ==, EA_ORDER_STATE_FILLED);
  g_assert_cmpfloat_with_epsilon (ea_sim_exchange_get_order (ex, id)->avg_fill_price, 27201.4, 1e-9);

  /* Sell 5 at the bid 27200: realized = (3 × -1 + 2 × -2) ticks × $12.50 = -$87.50. */
  g_free (place (ex, "c2", EA_SIDE_SELL, EA_ORDER_TYPE_MARKET, 4, 0, 0, NULL));
  g_free (place (ex, "c3", EA_SIDE_SELL, EA_ORDER_TYPE_MARKET, 1, 0, 0, NULL));
  snap = ea_sim_exchange_snapshot (ex, "DEMO-1");
  g_assert_cmpuint (snap->positions->len, ==, 1);
  p = g_ptr_array_index (snap->positions, 0);
  g_assert_cmpint (p->qty, ==, 0);
  g_assert_cmpint (p->realized_pnl, ==, -87500000);
  g_assert_cmpint (((EaAccountData *) g_ptr_array_index (snap->accounts, 0))->balance, ==,
                   EA_MICROS (50000) - 87500000);
  g_assert_cmpuint (snap->fills->len, ==, 4);

  ea_sim_exchange_free (ex);
  recorder_clear (&rec);
}

static void
test_limit_partial (void)
{
  Recorder rec;
  EaSimExchange *ex = scripted_exchange (&rec);
  g_autofree char *id = NULL;

  g_assert_true (ea_sim_exchange_push_quote (ex, "ES", 27200, 27201, 10, 10, NULL));
  id = place (ex, "L1", EA_SIDE_BUY, EA_ORDER_TYPE_LIMIT, 5, 27198, 0, NULL);
  g_assert_cmpint (ea_sim_exchange_get_order (ex, id)->state, ==, EA_ORDER_STATE_WORKING);
  g_assert_cmpuint (rec.fills->len, ==, 0);

  /* The offer comes down to the limit with 2 shown: 2 fill at the limit. */
  g_assert_true (ea_sim_exchange_push_quote (ex, "ES", 27197, 27198, 10, 2, NULL));
  g_assert_cmpuint (rec.fills->len, ==, 1);
  g_assert_cmpint (fill_at (&rec, 0)->qty, ==, 2);
  g_assert_cmpint (fill_at (&rec, 0)->price, ==, 27198);
  g_assert_cmpint (ea_sim_exchange_get_order (ex, id)->state, ==, EA_ORDER_STATE_PARTIALLY_FILLED);

  /* A trade through the limit fills by its size, at the limit. */
  g_assert_true (ea_sim_exchange_push_quote (ex, "ES", 27199, 27200, 10, 10, NULL));
  g_assert_true (ea_sim_exchange_push_trade (ex, "ES", 27197, 1, NULL));
  g_assert_cmpuint (rec.fills->len, ==, 2);
  g_assert_cmpint (fill_at (&rec, 1)->qty, ==, 1);
  g_assert_cmpint (fill_at (&rec, 1)->price, ==, 27198);

  /* A gap down: the resting order fills at its own price. */
  g_assert_true (ea_sim_exchange_push_quote (ex, "ES", 27190, 27191, 10, 10, NULL));
  g_assert_cmpuint (rec.fills->len, ==, 3);
  g_assert_cmpint (fill_at (&rec, 2)->qty, ==, 2);
  g_assert_cmpint (fill_at (&rec, 2)->price, ==, 27198);
  g_assert_cmpint (ea_sim_exchange_get_order (ex, id)->state, ==, EA_ORDER_STATE_FILLED);

  /* A marketable limit takes the touch with price improvement. */
  g_free (id);
  id = place (ex, "L2", EA_SIDE_SELL, EA_ORDER_TYPE_LIMIT, 3, 27185, 0, NULL);
  g_assert_cmpint (fill_at (&rec, 3)->price, ==, 27190);
  g_assert_cmpint (fill_at (&rec, 3)->qty, ==, 3);

  ea_sim_exchange_free (ex);
  recorder_clear (&rec);
}

static void
test_stops (void)
{
  Recorder rec;
  EaSimExchange *ex = scripted_exchange (&rec);
  g_autoptr(GError) error = NULL;
  g_autofree char *stop = NULL;
  g_autofree char *stop_limit = NULL;
  char *bad;

  g_assert_true (ea_sim_exchange_push_quote (ex, "ES", 27200, 27201, 5, 5, NULL));
  g_assert_true (ea_sim_exchange_push_trade (ex, "ES", 27200, 1, NULL));

  /* A buy stop below the last trade is refused and recorded as rejected. */
  bad = place (ex, "S0", EA_SIDE_BUY, EA_ORDER_TYPE_STOP, 1, 0, 27199, &error);
  g_assert_null (bad);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED);
  g_assert_cmpint (((EaOrderData *) g_ptr_array_index (rec.orders, rec.orders->len - 1))->state,
                   ==, EA_ORDER_STATE_REJECTED);

  stop = place (ex, "S1", EA_SIDE_SELL, EA_ORDER_TYPE_STOP, 2, 0, 27196, NULL);
  stop_limit = place (ex, "S2", EA_SIDE_BUY, EA_ORDER_TYPE_STOP_LIMIT, 2, 27206, 27205, NULL);
  g_assert_nonnull (stop);
  g_assert_nonnull (stop_limit);

  /* Quotes alone never trigger a stop. */
  g_assert_true (ea_sim_exchange_push_quote (ex, "ES", 27195, 27196, 5, 5, NULL));
  g_assert_cmpuint (rec.fills->len, ==, 0);

  /* A trade at the stop triggers it: market, filled at the bid. */
  g_assert_true (ea_sim_exchange_push_trade (ex, "ES", 27196, 1, NULL));
  g_assert_cmpuint (rec.fills->len, ==, 1);
  g_assert_cmpint (fill_at (&rec, 0)->price, ==, 27195);
  g_assert_cmpint (fill_at (&rec, 0)->qty, ==, 2);

  /* The stop-limit triggers at 27205 but the offer (27208) is above its
   * limit (27206): it rests, and fills when the offer comes back. */
  g_assert_true (ea_sim_exchange_push_quote (ex, "ES", 27207, 27208, 5, 5, NULL));
  g_assert_true (ea_sim_exchange_push_trade (ex, "ES", 27207, 1, NULL));
  g_assert_cmpuint (rec.fills->len, ==, 1);
  g_assert_cmpint (ea_sim_exchange_get_order (ex, stop_limit)->state, ==, EA_ORDER_STATE_WORKING);
  g_assert_true (ea_sim_exchange_push_quote (ex, "ES", 27205, 27206, 5, 5, NULL));
  g_assert_cmpuint (rec.fills->len, ==, 2);
  g_assert_cmpint (fill_at (&rec, 1)->price, ==, 27206);
  g_assert_cmpint (ea_sim_exchange_get_order (ex, stop_limit)->state, ==, EA_ORDER_STATE_FILLED);

  ea_sim_exchange_free (ex);
  recorder_clear (&rec);
}

static void
test_bracket_oco (void)
{
  Recorder rec;
  EaSimExchange *ex = scripted_exchange (&rec);
  g_autoptr(EaOrderRequest) r = ea_order_request_new ("DEMO-1", "ES", "B1", EA_SIDE_BUY,
                                                      EA_ORDER_TYPE_LIMIT, 3);
  g_autoptr(EaSnapshotData) snap = NULL;
  g_autofree char *entry = NULL;
  const EaOrderData *sl, *tp;

  g_assert_true (ea_sim_exchange_push_quote (ex, "ES", 27200, 27201, 10, 10, NULL));
  r->limit_price = 27199;
  r->has_stop_loss = TRUE;
  r->stop_loss_price = 27191;
  r->has_take_profit = TRUE;
  r->take_profit_price = 27211;
  entry = ea_sim_exchange_place (ex, r, NULL);
  g_assert_nonnull (entry);

  snap = ea_sim_exchange_snapshot (ex, NULL);
  g_assert_cmpuint (snap->orders->len, ==, 3);
  sl = ea_snapshot_data_find_order_by_client_id (snap, "B1-SL");
  tp = ea_snapshot_data_find_order_by_client_id (snap, "B1-TP");
  g_assert_cmpint (sl->state, ==, EA_ORDER_STATE_SUSPENDED);
  g_assert_cmpint (tp->state, ==, EA_ORDER_STATE_SUSPENDED);
  g_assert_cmpstr (sl->parent_order_id, ==, entry);
  g_assert_cmpstr (sl->oco_order_id, ==, tp->broker_order_id);
  g_assert_cmpint (sl->type, ==, EA_ORDER_TYPE_STOP);
  g_assert_cmpint (tp->type, ==, EA_ORDER_TYPE_LIMIT);
  g_assert_cmpint (sl->side, ==, EA_SIDE_SELL);

  /* Children do not work before the entry fills: a trade at the target
   * does nothing. */
  g_assert_true (ea_sim_exchange_push_trade (ex, "ES", 27215, 1, NULL));
  g_assert_cmpuint (rec.fills->len, ==, 0);

  /* Entry fills 2 of 3: both children go live for 2. */
  g_assert_true (ea_sim_exchange_push_quote (ex, "ES", 27198, 27199, 10, 2, NULL));
  g_assert_cmpuint (rec.fills->len, ==, 1);
  g_assert_cmpint (ea_sim_exchange_get_order (ex, sl->broker_order_id)->state, ==, EA_ORDER_STATE_WORKING);
  g_assert_cmpint (ea_sim_exchange_get_order (ex, sl->broker_order_id)->qty, ==, 2);
  g_assert_cmpint (ea_sim_exchange_get_order (ex, tp->broker_order_id)->qty, ==, 2);
  /* The last one fills: children grow to 3. */
  g_assert_true (ea_sim_exchange_push_quote (ex, "ES", 27198, 27199, 10, 5, NULL));
  g_assert_cmpint (ea_sim_exchange_get_order (ex, entry)->state, ==, EA_ORDER_STATE_FILLED);
  g_assert_cmpint (ea_sim_exchange_get_order (ex, tp->broker_order_id)->qty, ==, 3);

  /* Target trades through: fills 1 (trade size), the stop shrinks to 2. */
  g_assert_true (ea_sim_exchange_push_quote (ex, "ES", 27209, 27210, 10, 10, NULL));
  g_assert_true (ea_sim_exchange_push_trade (ex, "ES", 27212, 1, NULL));
  g_assert_cmpint (ea_sim_exchange_get_order (ex, sl->broker_order_id)->qty, ==, 2);
  /* The bid reaches the target: the rest fills, the stop is cancelled. */
  g_assert_true (ea_sim_exchange_push_quote (ex, "ES", 27211, 27212, 10, 10, NULL));
  g_assert_cmpint (ea_sim_exchange_get_order (ex, tp->broker_order_id)->state, ==, EA_ORDER_STATE_FILLED);
  g_assert_cmpint (ea_sim_exchange_get_order (ex, sl->broker_order_id)->state, ==, EA_ORDER_STATE_CANCELLED);

  g_clear_pointer (&snap, ea_snapshot_data_free);
  snap = ea_sim_exchange_snapshot (ex, "DEMO-1");
  /* 3 long at 27199, sold at 27211: 12 ticks × 3 × $12.50 = $450. */
  g_assert_cmpint (((EaPositionData *) g_ptr_array_index (snap->positions, 0))->qty, ==, 0);
  g_assert_cmpint (((EaAccountData *) g_ptr_array_index (snap->accounts, 0))->realized_pnl, ==,
                   EA_MICROS (450));

  /* An entry cancelled before any fill takes its children with it. */
  {
    g_autoptr(EaOrderRequest) r2 = ea_order_request_copy (r);
    g_autofree char *e2 = NULL;
    g_autoptr(EaSnapshotData) s2 = NULL;

    g_free (r2->client_order_id);
    r2->client_order_id = g_strdup ("B2");
    e2 = ea_sim_exchange_place (ex, r2, NULL);
    /* Resizing the entry resizes its waiting children. */
    g_assert_true (ea_sim_exchange_modify (ex, e2, 5, 0, 0, NULL));
    s2 = ea_sim_exchange_snapshot (ex, NULL);
    g_assert_cmpint (ea_snapshot_data_find_order_by_client_id (s2, "B2-SL")->qty, ==, 5);
    g_assert_cmpint (ea_snapshot_data_find_order_by_client_id (s2, "B2-TP")->qty, ==, 5);
    g_clear_pointer (&s2, ea_snapshot_data_free);
    g_assert_true (ea_sim_exchange_cancel (ex, e2, NULL));
    s2 = ea_sim_exchange_snapshot (ex, NULL);
    g_assert_cmpint (ea_snapshot_data_find_order_by_client_id (s2, "B2-SL")->state, ==, EA_ORDER_STATE_CANCELLED);
    g_assert_cmpint (ea_snapshot_data_find_order_by_client_id (s2, "B2-TP")->state, ==, EA_ORDER_STATE_CANCELLED);
  }

  ea_sim_exchange_free (ex);
  recorder_clear (&rec);
}

static void
test_validation (void)
{
  EaSimExchange *ex = scripted_exchange (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(EaOrderRequest) r = ea_order_request_new ("DEMO-1", "ES", "V1", EA_SIDE_BUY,
                                                      EA_ORDER_TYPE_LIMIT, 1);
  char *id;

  id = ea_sim_exchange_place (ex, r, &error);   /* no limit price */
  g_assert_null (id);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  r->limit_price = 27000;
  g_free (r->symbol);
  r->symbol = g_strdup ("XX\xff");
  g_assert_null (ea_sim_exchange_place (ex, r, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_free (r->symbol);
  r->symbol = g_strdup ("ES");
  r->qty = 100000;
  g_assert_null (ea_sim_exchange_place (ex, r, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  r->qty = 1;
  r->has_stop_loss = TRUE;
  r->stop_loss_price = 27010;    /* above a buy entry */
  g_assert_null (ea_sim_exchange_place (ex, r, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  r->has_stop_loss = FALSE;
  id = ea_sim_exchange_place (ex, r, NULL);
  g_assert_nonnull (id);
  g_assert_null (ea_sim_exchange_place (ex, r, &error));  /* same client id */
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED);
  g_clear_error (&error);

  /* Modify, then cancel twice. */
  g_assert_true (ea_sim_exchange_modify (ex, id, 2, 27001, 0, NULL));
  g_assert_cmpint (ea_sim_exchange_get_order (ex, id)->qty, ==, 2);
  g_assert_cmpint (ea_sim_exchange_get_order (ex, id)->limit_price, ==, 27001);
  g_assert_false (ea_sim_exchange_modify (ex, id, 0, 0, 27001, &error)); /* no stop on a limit */
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (ea_sim_exchange_cancel (ex, id, NULL));
  g_assert_false (ea_sim_exchange_cancel (ex, id, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED);
  g_clear_error (&error);
  g_assert_false (ea_sim_exchange_cancel (ex, "nope", &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_free (id);

  /* Accounts: at most six, unique names, reset restores the balance. */
  for (guint i = 2; i <= 6; i++)
    {
      g_autofree char *name = g_strdup_printf ("DEMO-%u", i);

      g_assert_true (ea_sim_exchange_add_account (ex, name, EA_MICROS (25000 * i), "Custom", NULL));
    }
  g_assert_false (ea_sim_exchange_add_account (ex, "DEMO-7", EA_MICROS (50000), "x", &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED);
  g_clear_error (&error);
  {
    g_autoptr(GPtrArray) accounts = ea_sim_exchange_list_accounts (ex);

    g_assert_cmpuint (accounts->len, ==, 6);
    g_assert_cmpint (((EaAccountData *) accounts->pdata[5])->size, ==, EA_MICROS (150000));
  }

  g_assert_true (ea_sim_exchange_push_quote (ex, "ES", 27200, 27201, 10, 10, NULL));
  r->qty = 2;
  g_free (r->client_order_id);
  r->client_order_id = g_strdup ("V2");
  r->type = EA_ORDER_TYPE_MARKET;
  g_free (ea_sim_exchange_place (ex, r, NULL));
  g_assert_true (ea_sim_exchange_push_quote (ex, "ES", 27100, 27101, 10, 10, NULL));
  {
    g_autoptr(GPtrArray) accounts = ea_sim_exchange_list_accounts (ex);
    const EaAccountData *a = accounts->pdata[0];

    /* Long 2 from 27201, mid 27100.5: -100.5 ticks × 2 × $12.50 = -$2,512.50. */
    g_assert_cmpint (a->open_pnl, ==, -2512500000);
    g_assert_cmpint (a->margin_used, ==, EA_MICROS (1000));
  }
  g_assert_true (ea_sim_exchange_reset_account (ex, "DEMO-1", NULL));
  {
    g_autoptr(EaSnapshotData) s = ea_sim_exchange_snapshot (ex, "DEMO-1");
    const EaAccountData *a = s->accounts->pdata[0];

    g_assert_cmpuint (s->positions->len, ==, 0);
    g_assert_cmpint (a->equity, ==, EA_MICROS (50000));
  }

  ea_sim_exchange_free (ex);
}

static void
test_flatten (void)
{
  EaSimExchange *ex = scripted_exchange (NULL);
  g_autoptr(EaOrderRequest) r = ea_order_request_new ("DEMO-1", "NQ", "F1", EA_SIDE_SELL,
                                                      EA_ORDER_TYPE_MARKET, 2);
  g_autoptr(EaSnapshotData) snap = NULL;

  g_assert_true (ea_sim_exchange_push_quote (ex, "NQ", 100000, 100001, 10, 10, NULL));
  g_assert_true (ea_sim_exchange_push_quote (ex, "ES", 27200, 27201, 10, 10, NULL));
  g_free (ea_sim_exchange_place (ex, r, NULL));
  g_free (r->client_order_id);
  r->client_order_id = g_strdup ("F2");
  g_free (r->symbol);
  r->symbol = g_strdup ("ES");
  r->type = EA_ORDER_TYPE_LIMIT;
  r->limit_price = 27100;
  g_free (ea_sim_exchange_place (ex, r, NULL));  /* sell limit below bid: fills */
  g_free (r->client_order_id);
  r->client_order_id = g_strdup ("F3");
  r->limit_price = 27300;
  g_free (ea_sim_exchange_place (ex, r, NULL));  /* rests */

  g_assert_true (ea_sim_exchange_flatten (ex, "DEMO-1", NULL, NULL));
  snap = ea_sim_exchange_snapshot (ex, "DEMO-1");
  for (guint i = 0; i < snap->positions->len; i++)
    g_assert_cmpint (((EaPositionData *) snap->positions->pdata[i])->qty, ==, 0);
  g_assert_cmpint (ea_snapshot_data_find_order_by_client_id (snap, "F3")->state, ==, EA_ORDER_STATE_CANCELLED);

  ea_sim_exchange_free (ex);
}

static void
test_sessions (void)
{
  Recorder rec;
  EaSimExchange *ex = ea_sim_exchange_new (7, TUE_0900_CT);
  g_autoptr(EaOrderRequest) r = ea_order_request_new ("DEMO-1", "ES", "D1", EA_SIDE_BUY,
                                                      EA_ORDER_TYPE_LIMIT, 1);
  g_autofree char *day = NULL;
  g_autofree char *gtc = NULL;
  guint before;

  memset (&rec, 0, sizeof rec);
  rec.fills = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_fill_data_free);
  rec.orders = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_order_data_free);
  ea_sim_exchange_set_sink (ex, &rec_sink, &rec);
  g_assert_true (ea_sim_exchange_add_account (ex, "DEMO-1", EA_MICROS (50000), "p", NULL));
  g_assert_true (ea_sim_exchange_is_open (ex, "ES"));

  r->limit_price = 20000;   /* far below: never fills */
  day = ea_sim_exchange_place (ex, r, NULL);
  g_free (r->client_order_id);
  r->client_order_id = g_strdup ("G1");
  r->tif = EA_TIME_IN_FORCE_GTC;
  gtc = ea_sim_exchange_place (ex, r, NULL);

  /* 09:00 to 15:59:59 CT: open, quotes flow at 5..20 per second. */
  ea_sim_exchange_advance (ex, 7 * 3600 * SEC - SEC);
  g_assert_true (ea_sim_exchange_is_open (ex, "ES"));
  {
    double per_s = rec.n_quotes / (double) ea_sim_exchange_get_n_symbols (ex) / (7 * 3600.0);

    g_assert_cmpfloat (per_s, >=, 5.0);
    g_assert_cmpfloat (per_s, <=, 20.0);
  }
  g_assert_cmpint (ea_sim_exchange_get_order (ex, day)->state, ==, EA_ORDER_STATE_WORKING);

  /* 16:00 CT: the day order expires, the GTC one stays. */
  ea_sim_exchange_advance (ex, 2 * SEC);
  g_assert_false (ea_sim_exchange_is_open (ex, "ES"));
  g_assert_cmpint (ea_sim_exchange_get_order (ex, day)->state, ==, EA_ORDER_STATE_EXPIRED);
  g_assert_cmpint (ea_sim_exchange_get_order (ex, gtc)->state, ==, EA_ORDER_STATE_WORKING);

  /* No quotes in the daily break; they resume at 17:00 CT. */
  before = rec.n_quotes;
  ea_sim_exchange_advance (ex, 3500 * SEC);
  g_assert_cmpuint (rec.n_quotes, ==, before);
  ea_sim_exchange_advance (ex, 200 * SEC);
  g_assert_cmpuint (rec.n_quotes, >, before);

  /* Friday close to Sunday open: silent; market orders are refused. */
  ea_sim_exchange_advance_to (ex, TUE_0900_CT + 3 * 86400 * SEC + 7 * 3600 * SEC + SEC);
  before = rec.n_quotes;
  ea_sim_exchange_advance (ex, 86400 * SEC);
  g_assert_cmpuint (rec.n_quotes, ==, before);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(EaOrderRequest) m = ea_order_request_new ("DEMO-1", "ES", "M1", EA_SIDE_BUY,
                                                        EA_ORDER_TYPE_MARKET, 1);

    g_assert_null (ea_sim_exchange_place (ex, m, &error));
    g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED);
    g_assert_nonnull (strstr (error->message, "market closed"));
  }

  ea_sim_exchange_free (ex);
  recorder_clear (&rec);
}

typedef struct
{
  guint64  digest;
  guint    n;
  EaTicks  min_spread;
  EaTicks  max_spread;
  gboolean bad;
} Digest;

static void
digest_quote (gpointer data, const EaQuoteData *q)
{
  Digest *d = data;

  d->digest = d->digest * 1099511628211u ^ (guint64) (q->bid * 31 + q->ask * 7 + q->last + q->time);
  d->n++;
  d->min_spread = MIN (d->min_spread, q->ask - q->bid);
  d->max_spread = MAX (d->max_spread, q->ask - q->bid);
  if (q->bid_size <= 0 || q->ask_size <= 0)
    d->bad = TRUE;
}

static Digest
run_seed (guint64 seed)
{
  EaSimSink sink = { digest_quote, NULL, NULL, NULL, NULL };
  EaSimExchange *ex = ea_sim_exchange_new (seed, TUE_0900_CT);
  Digest d = { 1469598103934665603u, 0, G_MAXINT64, 0, FALSE };

  ea_sim_exchange_set_sink (ex, &sink, &d);
  ea_sim_exchange_advance (ex, 600 * SEC);
  ea_sim_exchange_free (ex);
  return d;
}

static void
test_deterministic (void)
{
  Digest a = run_seed (42), b = run_seed (42), c = run_seed (43);

  g_assert_cmpuint (a.n, >, 1000);
  g_assert_cmpuint (a.digest, ==, b.digest);
  g_assert_cmpuint (a.n, ==, b.n);
  g_assert_cmpuint (a.digest, !=, c.digest);
  g_assert_cmpint (a.min_spread, ==, 1);
  g_assert_cmpint (a.max_spread, ==, 2);
  g_assert_false (a.bad);
}

typedef struct
{
  EaTimeUs minute;
  double   first;
  double   last;
  GArray  *returns;
} Minutes;

static void
minute_quote (gpointer data, const EaQuoteData *q)
{
  Minutes *m = data;
  EaTimeUs minute = q->time / (60 * SEC);
  double mid = (q->bid + q->ask) * 0.5;

  if (strcmp (q->symbol, "ES") != 0)
    return;
  if (minute != m->minute)
    {
      if (m->minute != 0)
        {
          double r = m->last - m->first;

          g_array_append_val (m->returns, r);
        }
      m->minute = minute;
      m->first = m->last != 0 ? m->last : mid;
    }
  m->last = mid;
}

/* Squared one-minute returns are positively autocorrelated (volatility
 * clusters) while the returns themselves are not; the level stays near
 * the configured start. */
static void
test_volatility_clusters (void)
{
  EaSimSink sink = { minute_quote, NULL, NULL, NULL, NULL };
  EaSimExchange *ex = ea_sim_exchange_new (2024, TUE_0900_CT);
  Minutes mm = { 0, 0, 0, g_array_new (FALSE, FALSE, sizeof (double)) };
  double mean2 = 0, var2 = 0, cov2 = 0, mean = 0, var = 0, cov = 0;
  guint n;
  const EaQuoteData *q;

  ea_sim_exchange_set_always_open (ex, TRUE);
  ea_sim_exchange_set_quote_rate (ex, 1.0);
  ea_sim_exchange_set_sink (ex, &sink, &mm);
  ea_sim_exchange_advance (ex, 10 * 86400 * SEC);
  n = mm.returns->len;
  g_assert_cmpuint (n, >, 10000);

  for (guint i = 0; i < n; i++)
    {
      double r = g_array_index (mm.returns, double, i);

      mean += r / n;
      mean2 += r * r / n;
    }
  for (guint i = 0; i + 1 < n; i++)
    {
      double r0 = g_array_index (mm.returns, double, i);
      double r1 = g_array_index (mm.returns, double, i + 1);

      var += (r0 - mean) * (r0 - mean);
      cov += (r0 - mean) * (r1 - mean);
      var2 += (r0 * r0 - mean2) * (r0 * r0 - mean2);
      cov2 += (r0 * r0 - mean2) * (r1 * r1 - mean2);
    }
  g_test_message ("acf(r)=%.3f acf(r^2)=%.3f", cov / var, cov2 / var2);
  g_assert_cmpfloat (cov2 / var2, >, 0.05);
  g_assert_cmpfloat (fabs (cov / var), <, 0.1);

  q = ea_sim_exchange_get_quote (ex, "ES");
  g_assert_cmpint (q->bid, >, 27200 * 0.8);
  g_assert_cmpint (q->bid, <, 27200 * 1.2);
  q = ea_sim_exchange_get_quote (ex, "MES");
  g_assert_cmpint (ABS (q->bid - ea_sim_exchange_get_quote (ex, "ES")->bid), <, 40);

  g_array_unref (mm.returns);
  ea_sim_exchange_free (ex);
}

typedef struct
{
  guint es;
} EsCount;

static void
count_es (gpointer data, const EaQuoteData *q)
{
  if (strcmp (q->symbol, "ES") == 0)
    ((EsCount *) data)->es++;
}

static guint
es_quotes_between (EaSimExchange *ex, EsCount *c, EaTimeUs from, EaTimeUs to)
{
  guint before;

  ea_sim_exchange_advance_to (ex, from);
  before = c->es;
  ea_sim_exchange_advance_to (ex, to);
  return c->es - before;
}

/* More activity at the open (08:30 CT) and the close (15:00 CT) than at
 * midday; 24/7 mode trades through the weekend. */
static void
test_activity_profile (void)
{
  const EaTimeUs open = TUE_0900_CT - 30 * 60 * SEC;   /* 08:30 CT */
  EaSimSink sink = { count_es, NULL, NULL, NULL, NULL };
  EsCount c = { 0 };
  EaSimExchange *ex = ea_sim_exchange_new (77, open);
  guint at_open, midday, at_close;

  ea_sim_exchange_set_sink (ex, &sink, &c);
  at_open = es_quotes_between (ex, &c, open, open + 15 * 60 * SEC);
  midday = es_quotes_between (ex, &c, open + 150 * 60 * SEC, open + 165 * 60 * SEC);
  at_close = es_quotes_between (ex, &c, open + 375 * 60 * SEC, open + 390 * 60 * SEC);
  g_test_message ("ES quotes per 15 min: open %u, midday %u, close %u", at_open, midday, at_close);
  /* Expected means: 8/s × 900 s × 2.18, × 1.0, × 1.79. */
  g_assert_cmpfloat (at_open, >, 1.5 * midday);
  g_assert_cmpfloat (at_close, >, 1.3 * midday);
  g_assert_cmpuint (midday, >, 8 * 900 * 0.8);
  g_assert_cmpuint (midday, <, 8 * 900 * 1.2);
  ea_sim_exchange_free (ex);

  /* Saturday 2025-11-22 12:00 UTC: closed, unless 24/7. */
  ex = ea_sim_exchange_new (78, G_GINT64_CONSTANT (1763812800000000));
  ea_sim_exchange_set_sink (ex, &sink, &c);
  c.es = 0;
  ea_sim_exchange_advance (ex, 3600 * SEC);
  g_assert_cmpuint (c.es, ==, 0);
  g_assert_false (ea_sim_exchange_is_open (ex, "ES"));
  ea_sim_exchange_set_always_open (ex, TRUE);
  g_assert_true (ea_sim_exchange_is_open (ex, "ES"));
  ea_sim_exchange_advance (ex, 3600 * SEC);
  g_assert_cmpuint (c.es, >, 3600 * 3);
  g_assert_true (ea_sim_exchange_add_account (ex, "DEMO-1", EA_MICROS (50000), "p", NULL));
  {
    g_autoptr(EaOrderRequest) r = ea_order_request_new ("DEMO-1", "ES", "W1", EA_SIDE_BUY,
                                                        EA_ORDER_TYPE_MARKET, 1);
    g_autofree char *id = ea_sim_exchange_place (ex, r, NULL);

    g_assert_cmpint (ea_sim_exchange_get_order (ex, id)->state, ==, EA_ORDER_STATE_FILLED);
  }
  ea_sim_exchange_free (ex);
}

/* Random orders against the generated market: every state change goes
 * through the transition table (an illegal one would abort the test via
 * G_DEBUG=fatal-warnings), fills never exceed quantities, and positions
 * equal the signed sum of the fills. */
static void
test_random_orders (void)
{
  EaSimExchange *ex = ea_sim_exchange_new (99, TUE_0900_CT);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(EaSnapshotData) snap = NULL;
  GRand *rand = g_rand_new_with_seed (5);
  const char *symbols[] = { "ES", "MES", "CL", "ZN" };
  gint64 net[G_N_ELEMENTS (symbols)] = { 0 };

  g_assert_true (ea_sim_exchange_add_account (ex, "DEMO-1", EA_MICROS (50000), "p", NULL));
  for (guint step = 0; step < 3000; step++)
    {
      guint action = g_rand_int_range (rand, 0, 10);

      if (action < 5 || ids->len == 0)
        {
          const char *sym = symbols[g_rand_int_range (rand, 0, G_N_ELEMENTS (symbols))];
          const EaQuoteData *q = ea_sim_exchange_get_quote (ex, sym);
          g_autofree char *cid = g_strdup_printf ("r%u", step);
          EaSide side = g_rand_boolean (rand) ? EA_SIDE_BUY : EA_SIDE_SELL;
          EaOrderType type = g_rand_int_range (rand, 0, 4);
          g_autoptr(EaOrderRequest) r = ea_order_request_new ("DEMO-1", sym, cid, side, type,
                                                              g_rand_int_range (rand, 1, 6));
          EaTicks off = g_rand_int_range (rand, 1, 8);
          char *id;

          r->limit_price = side > 0 ? q->bid - off + 3 : q->ask + off - 3;
          r->stop_price = side > 0 ? q->ask + off : q->bid - off;
          if (type == EA_ORDER_TYPE_STOP_LIMIT)
            r->limit_price = r->stop_price + side * 2;
          r->tif = g_rand_boolean (rand) ? EA_TIME_IN_FORCE_DAY : EA_TIME_IN_FORCE_GTC;
          if (g_rand_int_range (rand, 0, 3) == 0 && type != EA_ORDER_TYPE_STOP_LIMIT)
            {
              EaTicks ref = type == EA_ORDER_TYPE_MARKET ? (q->last ? q->last : (side > 0 ? q->ask : q->bid))
                          : type == EA_ORDER_TYPE_STOP ? r->stop_price : r->limit_price;

              r->has_stop_loss = TRUE;
              r->stop_loss_price = ref - side * 10;
              r->has_take_profit = TRUE;
              r->take_profit_price = ref + side * 10;
            }
          id = ea_sim_exchange_place (ex, r, NULL);
          if (id != NULL)
            g_ptr_array_add (ids, id);
        }
      else if (action < 7)
        ea_sim_exchange_cancel (ex, ids->pdata[g_rand_int_range (rand, 0, ids->len)], NULL);
      else if (action < 8)
        ea_sim_exchange_modify (ex, ids->pdata[g_rand_int_range (rand, 0, ids->len)],
                                g_rand_int_range (rand, 0, 4), 0, 0, NULL);
      else if (action < 9)
        ea_sim_exchange_advance (ex, g_rand_int_range (rand, 1, 120) * SEC);
      else if (g_rand_int_range (rand, 0, 20) == 0)
        ea_sim_exchange_flatten (ex, "DEMO-1", NULL, NULL);
    }
  /* Cross a session close too. */
  ea_sim_exchange_advance (ex, 8 * 3600 * SEC);

  snap = ea_sim_exchange_snapshot (ex, NULL);
  g_assert_cmpuint (snap->fills->len, >, 100);
  for (guint i = 0; i < snap->orders->len; i++)
    {
      const EaOrderData *o = snap->orders->pdata[i];

      g_assert_cmpint (o->filled_qty, <=, o->qty);
      if (o->state == EA_ORDER_STATE_FILLED)
        g_assert_cmpint (o->filled_qty, ==, o->qty);
      if (o->tif == EA_TIME_IN_FORCE_DAY)
        g_assert_true (ea_order_state_is_terminal (o->state));
    }
  for (guint i = 0; i < snap->fills->len; i++)
    {
      const EaFillData *f = snap->fills->pdata[i];

      for (guint k = 0; k < G_N_ELEMENTS (symbols); k++)
        if (strcmp (f->symbol, symbols[k]) == 0)
          net[k] += f->side * f->qty;
      g_assert_cmpuint (ea_snapshot_data_count_fill_id (snap, f->fill_id), ==, 1);
    }
  for (guint i = 0; i < snap->positions->len; i++)
    {
      const EaPositionData *p = snap->positions->pdata[i];

      for (guint k = 0; k < G_N_ELEMENTS (symbols); k++)
        if (strcmp (p->symbol, symbols[k]) == 0)
          g_assert_cmpint (p->qty, ==, net[k]);
    }

  g_rand_free (rand);
  ea_sim_exchange_free (ex);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim-exchange/market-slippage", test_market_slippage);
  g_test_add_func ("/sim-exchange/limit-partial", test_limit_partial);
  g_test_add_func ("/sim-exchange/stops", test_stops);
  g_test_add_func ("/sim-exchange/bracket-oco", test_bracket_oco);
  g_test_add_func ("/sim-exchange/validation", test_validation);
  g_test_add_func ("/sim-exchange/flatten", test_flatten);
  g_test_add_func ("/sim-exchange/sessions", test_sessions);
  g_test_add_func ("/sim-exchange/deterministic", test_deterministic);
  g_test_add_func ("/sim-exchange/activity-profile", test_activity_profile);
  g_test_add_func ("/sim-exchange/random-orders", test_random_orders);
  g_test_add_func ("/sim-exchange/volatility-clusters", test_volatility_clusters);

  return g_test_run ();
}
