/* test-ledger.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ea-ledger.h"

#define ES_TV   G_GINT64_CONSTANT (12500000)  /* $12.50 */
#define MNQ_TV  G_GINT64_CONSTANT (500000)    /* $0.50  */
#define ZN_TV   G_GINT64_CONSTANT (15625000)  /* $15.625 */
#define MNQ_FEE G_GINT64_CONSTANT (370000)    /* $0.37 per side */

typedef struct
{
  GArray *trades;
} Recorder;

static void
record_trade (const EaLedgerTrade *trade,
              gpointer             user_data)
{
  Recorder *rec = user_data;

  g_array_append_val (rec->trades, *trade);
}

static EaLedger *
new_ledger (Recorder *rec)
{
  EaLedger *ledger = ea_ledger_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (ea_ledger_add_account (ledger, 1, EA_MICROS (50000), &error));
  g_assert_no_error (error);
  g_assert_true (ea_ledger_add_contract (ledger, 10, ES_TV, 0, &error));
  g_assert_true (ea_ledger_add_contract (ledger, 11, MNQ_TV, MNQ_FEE, &error));
  g_assert_true (ea_ledger_add_contract (ledger, 12, ZN_TV, 0, &error));
  g_assert_no_error (error);
  if (rec != NULL)
    {
      rec->trades = g_array_new (FALSE, FALSE, sizeof (EaLedgerTrade));
      ea_ledger_set_trade_func (ledger, record_trade, rec);
    }
  return ledger;
}

static void
fill (EaLedger *ledger,
      guint     account,
      guint     contract,
      EaSide    side,
      gint64    qty,
      EaTicks   price,
      EaTimeUs  time)
{
  g_autoptr(GError) error = NULL;
  EaLedgerFill f = { account, contract, side, qty, price, time };

  g_assert_true (ea_ledger_fill (ledger, &f, &error));
  g_assert_no_error (error);
}

/* One step of a hand-computed fill sequence and the position after it. */
typedef struct
{
  EaSide   side;
  gint64   qty;
  EaTicks  price;
  gint64   net;
  EaTicks  cost;
  EaMicros realized;
  EaMicros fees;
  guint    n_trades;  /* closed-lot records emitted so far */
} Step;

static void
test_fifo_sequence (void)
{
  /* MNQ, $0.50 a tick, $0.37 a side. */
  static const Step steps[] = {
    /* open long 3 @ 100 */
    { EA_SIDE_BUY,  3, 100,  3,  300,         0,  3 * MNQ_FEE, 0 },
    /* scale in 1 @ 104: avg 101 */
    { EA_SIDE_BUY,  1, 104,  4,  404,         0,  4 * MNQ_FEE, 0 },
    /* scale out 2 @ 110: FIFO closes 2 of the 100 lot: +10 × 0.5 × 2 */
    { EA_SIDE_SELL, 2, 110,  2,  204,  10000000,  6 * MNQ_FEE, 1 },
    /* flip with 5 @ 90: 1 @ 100 → −5, 1 @ 104 → −7, then short 3 @ 90 */
    { EA_SIDE_SELL, 5,  90, -3, -270,  -2000000, 11 * MNQ_FEE, 3 },
    /* partial cover 1 @ 85: +5 × 0.5 */
    { EA_SIDE_BUY,  1,  85, -2, -180,    500000, 12 * MNQ_FEE, 4 },
    /* add short 2 @ 95 */
    { EA_SIDE_SELL, 2,  95, -4, -370,    500000, 14 * MNQ_FEE, 4 },
    /* cover all 4 @ 80: 2 @ 90 → +10, 2 @ 95 → +15 (× 0.5 × 2) */
    { EA_SIDE_BUY,  4,  80,  0,    0,  25500000, 18 * MNQ_FEE, 6 },
  };
  Recorder rec;
  g_autoptr(EaLedger) ledger = new_ledger (&rec);
  EaLedgerAccount acct;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      EaLedgerPosition pos;

      fill (ledger, 1, 11, steps[i].side, steps[i].qty, steps[i].price, 1000 + i);
      g_assert_true (ea_ledger_get_position (ledger, 1, 11, &pos));
      g_assert_cmpint (pos.net, ==, steps[i].net);
      g_assert_cmpint (pos.cost, ==, steps[i].cost);
      g_assert_cmpint (pos.realized, ==, steps[i].realized);
      g_assert_cmpint (pos.fees, ==, steps[i].fees);
      g_assert_cmpuint (rec.trades->len, ==, steps[i].n_trades);
    }

  {
    EaLedgerPosition pos;

    fill (ledger, 1, 11, EA_SIDE_BUY, 3, 100, 2000);
    fill (ledger, 1, 11, EA_SIDE_BUY, 1, 104, 2001);
    g_assert_true (ea_ledger_get_position (ledger, 1, 11, &pos));
    g_assert_cmpfloat (pos.avg_entry_ticks, ==, 101.0);
    g_assert_cmpuint (pos.n_lots, ==, 2);
    fill (ledger, 1, 11, EA_SIDE_SELL, 4, 101, 2002);
  }

  /* The records: entry/exit pairs, sides, P&L, fees, trips. */
  {
    static const struct {
      EaSide side; gint64 qty; EaTicks entry; EaTimeUs entry_time; EaTicks exit;
      EaTimeUs exit_time; EaMicros pnl; guint64 trip; gboolean closes;
    } want[] = {
      { EA_SIDE_BUY,  2, 100, 1000, 110, 1002,  10000000, 1, FALSE },
      { EA_SIDE_BUY,  1, 100, 1000,  90, 1003,  -5000000, 1, FALSE },
      { EA_SIDE_BUY,  1, 104, 1001,  90, 1003,  -7000000, 1, TRUE  },
      { EA_SIDE_SELL, 1,  90, 1003,  85, 1004,   2500000, 2, FALSE },
      { EA_SIDE_SELL, 2,  90, 1003,  80, 1006,  10000000, 2, FALSE },
      { EA_SIDE_SELL, 2,  95, 1005,  80, 1006,  15000000, 2, TRUE  },
      { EA_SIDE_BUY,  3, 100, 2000, 101, 2002,   1500000, 3, FALSE },
      { EA_SIDE_BUY,  1, 104, 2001, 101, 2002,  -1500000, 3, TRUE  },
    };

    g_assert_cmpuint (rec.trades->len, ==, G_N_ELEMENTS (want));
    for (guint i = 0; i < G_N_ELEMENTS (want); i++)
      {
        const EaLedgerTrade *t = &g_array_index (rec.trades, EaLedgerTrade, i);

        g_assert_cmpuint (t->account, ==, 1);
        g_assert_cmpuint (t->contract, ==, 11);
        g_assert_cmpint (t->side, ==, want[i].side);
        g_assert_cmpint (t->qty, ==, want[i].qty);
        g_assert_cmpint (t->entry_price, ==, want[i].entry);
        g_assert_cmpint (t->entry_time, ==, want[i].entry_time);
        g_assert_cmpint (t->exit_price, ==, want[i].exit);
        g_assert_cmpint (t->exit_time, ==, want[i].exit_time);
        g_assert_cmpint (t->pnl, ==, want[i].pnl);
        g_assert_cmpint (t->fees, ==, 2 * want[i].qty * MNQ_FEE);
        g_assert_cmpuint (t->trip, ==, want[i].trip);
        g_assert_cmpint (t->closes_trip, ==, want[i].closes);
      }
  }

  /* Account: 25.5 + 0 realized, 22 contracts × 0.37 fees. */
  g_assert_true (ea_ledger_get_account (ledger, 1, &acct));
  g_assert_cmpint (acct.realized, ==, 25500000);
  g_assert_cmpint (acct.fees, ==, 26 * MNQ_FEE);
  g_assert_cmpint (acct.balance, ==, EA_MICROS (50000) + 25500000 - 26 * MNQ_FEE);
  g_assert_cmpint (acct.equity, ==, acct.balance);
  g_assert_cmpint (acct.unrealized, ==, 0);
  g_assert_cmpint (acct.open_contracts, ==, 0);
  g_array_unref (rec.trades);
}

static void
test_es_round_trip (void)
{
  Recorder rec;
  g_autoptr(EaLedger) ledger = new_ledger (&rec);
  const EaLedgerTrade *t;

  /* ES 5000.00 = 20000 ticks; exit 5002.00 = 20008: 8 × 12.50 × 2 = $200. */
  fill (ledger, 1, 10, EA_SIDE_BUY, 2, 20000, 1);
  fill (ledger, 1, 10, EA_SIDE_SELL, 2, 20008, 2);
  g_assert_cmpuint (rec.trades->len, ==, 1);
  t = &g_array_index (rec.trades, EaLedgerTrade, 0);
  g_assert_cmpint (t->pnl, ==, EA_MICROS (200));
  g_assert_cmpint (t->fees, ==, 0);
  g_assert_cmpfloat (t->mfe_ticks, ==, 8.0);
  g_assert_cmpfloat (t->mae_ticks, ==, 0.0);

  /* Short ZN 110-16 (7072 64ths) covered at 110-00 (7040): 32 × 15.625 = $500. */
  fill (ledger, 1, 12, EA_SIDE_SELL, 1, 7072, 3);
  fill (ledger, 1, 12, EA_SIDE_BUY, 1, 7040, 4);
  t = &g_array_index (rec.trades, EaLedgerTrade, 1);
  g_assert_cmpint (t->side, ==, EA_SIDE_SELL);
  g_assert_cmpint (t->pnl, ==, EA_MICROS (500));
  g_array_unref (rec.trades);
}

static void
test_marks (void)
{
  g_autoptr(EaLedger) ledger = new_ledger (NULL);
  g_autoptr(GError) error = NULL;
  EaLedgerPosition pos;
  gint64 mark2 = 0;

  g_assert_true (ea_ledger_add_account (ledger, 2, EA_MICROS (1000), &error));
  fill (ledger, 1, 10, EA_SIDE_BUY, 1, 100, 1);
  fill (ledger, 2, 10, EA_SIDE_SELL, 2, 100, 1);

  /* No mark yet: unrealized 0. */
  g_assert_false (ea_ledger_get_mark2 (ledger, 10, &mark2));
  g_assert_true (ea_ledger_get_position (ledger, 1, 10, &pos));
  g_assert_cmpint (pos.unrealized, ==, 0);

  /* Mid of 101/102 = 101.5: +1.5 × 12.50 long, −2 × 1.5 × 12.50 short. */
  g_assert_true (ea_ledger_mark_bid_ask (ledger, 10, 101, 102, &error));
  g_assert_no_error (error);
  g_assert_true (ea_ledger_get_mark2 (ledger, 10, &mark2));
  g_assert_cmpint (mark2, ==, 203);
  g_assert_true (ea_ledger_get_position (ledger, 1, 10, &pos));
  g_assert_cmpint (pos.unrealized, ==, 18750000);
  g_assert_true (ea_ledger_get_position (ledger, 2, 10, &pos));
  g_assert_cmpint (pos.unrealized, ==, -37500000);

  /* A last trade wins, and bid/ask no longer move the mark. */
  g_assert_true (ea_ledger_mark_last (ledger, 10, 99, &error));
  g_assert_true (ea_ledger_get_position (ledger, 1, 10, &pos));
  g_assert_cmpint (pos.unrealized, ==, -12500000);
  g_assert_true (ea_ledger_mark_bid_ask (ledger, 10, 200, 201, &error));
  g_assert_true (ea_ledger_get_position (ledger, 1, 10, &pos));
  g_assert_cmpint (pos.unrealized, ==, -12500000);
  g_assert_true (ea_ledger_get_position (ledger, 2, 10, &pos));
  g_assert_cmpint (pos.unrealized, ==, 25000000);

  /* A quote in another contract touches nothing here. */
  fill (ledger, 1, 12, EA_SIDE_BUY, 1, 7000, 2);
  g_assert_true (ea_ledger_mark_last (ledger, 12, 7010, &error));
  g_assert_true (ea_ledger_get_position (ledger, 1, 10, &pos));
  g_assert_cmpint (pos.unrealized, ==, -12500000);
  g_assert_true (ea_ledger_get_position (ledger, 1, 12, &pos));
  g_assert_cmpint (pos.unrealized, ==, 10 * ZN_TV);

  {
    EaLedgerAccount acct;

    g_assert_true (ea_ledger_get_account (ledger, 1, &acct));
    g_assert_cmpint (acct.unrealized, ==, -12500000 + 10 * ZN_TV);
    g_assert_cmpint (acct.open_contracts, ==, 2);
  }

  /* Negative prices are prices (CL, April 2020). */
  g_assert_true (ea_ledger_add_contract (ledger, 20, EA_MICROS (10), 0, &error));
  fill (ledger, 1, 20, EA_SIDE_BUY, 1, -3000, 3);
  g_assert_true (ea_ledger_mark_last (ledger, 20, -1000, &error));
  g_assert_true (ea_ledger_get_position (ledger, 1, 20, &pos));
  g_assert_cmpint (pos.unrealized, ==, EA_MICROS (20000));
  g_assert_cmpfloat (pos.avg_entry_ticks, ==, -3000.0);
}

static void
test_half_micro_rounding (void)
{
  g_autoptr(EaLedger) ledger = ea_ledger_new ();
  g_autoptr(GError) error = NULL;
  EaLedgerPosition pos;

  /* An odd tick value (3 micros) and a half-tick mid: ±1.5 micros floor. */
  g_assert_true (ea_ledger_add_account (ledger, 0, 0, &error));
  g_assert_true (ea_ledger_add_account (ledger, 1, 0, &error));
  g_assert_true (ea_ledger_add_contract (ledger, 0, 3, 0, &error));
  fill (ledger, 0, 0, EA_SIDE_BUY, 1, 0, 1);
  fill (ledger, 1, 0, EA_SIDE_SELL, 1, 0, 1);
  g_assert_true (ea_ledger_mark_bid_ask (ledger, 0, 0, 1, &error));
  g_assert_true (ea_ledger_get_position (ledger, 0, 0, &pos));
  g_assert_cmpint (pos.unrealized, ==, 1);
  g_assert_true (ea_ledger_get_position (ledger, 1, 0, &pos));
  g_assert_cmpint (pos.unrealized, ==, -2);
  g_assert_no_error (error);
}

static void
test_equity_peaks_day (void)
{
  g_autoptr(EaLedger) ledger = new_ledger (NULL);
  g_autoptr(GError) error = NULL;
  EaLedgerAccount a;

  g_assert_true (ea_ledger_get_account (ledger, 1, &a));
  g_assert_cmpint (a.equity, ==, EA_MICROS (50000));
  g_assert_cmpint (a.peak_equity, ==, EA_MICROS (50000));
  g_assert_cmpint (a.trading_day, ==, 0);

  ea_ledger_begin_day (ledger, 20261123);
  fill (ledger, 1, 10, EA_SIDE_BUY, 1, 100, 1);
  g_assert_true (ea_ledger_mark_last (ledger, 10, 104, &error));   /* +50 */
  g_assert_true (ea_ledger_mark_last (ledger, 10, 98, &error));    /* −25 */
  g_assert_true (ea_ledger_get_account (ledger, 1, &a));
  g_assert_cmpint (a.unrealized, ==, EA_MICROS (-25));
  g_assert_cmpint (a.equity, ==, EA_MICROS (49975));
  g_assert_cmpint (a.peak_equity, ==, EA_MICROS (50050));
  g_assert_cmpint (a.peak_balance, ==, EA_MICROS (50000));
  g_assert_cmpint (a.day_pnl, ==, EA_MICROS (-25));

  /* Close at 106 (+75), then MNQ round trip with fees. */
  fill (ledger, 1, 10, EA_SIDE_SELL, 1, 106, 2);
  fill (ledger, 1, 11, EA_SIDE_BUY, 1, 100, 3);
  g_assert_true (ea_ledger_get_account (ledger, 1, &a));
  g_assert_cmpint (a.realized, ==, EA_MICROS (75));
  g_assert_cmpint (a.fees, ==, MNQ_FEE);
  g_assert_cmpint (a.balance, ==, EA_MICROS (50075) - MNQ_FEE);
  g_assert_cmpint (a.peak_balance, ==, EA_MICROS (50075));
  g_assert_cmpint (a.peak_equity, ==, EA_MICROS (50075));
  g_assert_cmpint (a.day_pnl, ==, EA_MICROS (75) - MNQ_FEE);
  g_assert_cmpint (a.day_realized, ==, EA_MICROS (75));
  g_assert_cmpint (a.day_fees, ==, MNQ_FEE);

  /* New day: counts restart from the equity at the boundary. */
  g_assert_true (ea_ledger_mark_last (ledger, 11, 90, &error));    /* −5 open */
  ea_ledger_begin_day (ledger, 20261124);
  g_assert_true (ea_ledger_get_account (ledger, 1, &a));
  g_assert_cmpint (a.trading_day, ==, 20261124);
  g_assert_cmpint (a.day_pnl, ==, 0);
  g_assert_cmpint (a.day_realized, ==, 0);
  g_assert_true (ea_ledger_mark_last (ledger, 11, 94, &error));    /* −3 open */
  fill (ledger, 1, 11, EA_SIDE_SELL, 1, 94, 4);
  g_assert_true (ea_ledger_get_account (ledger, 1, &a));
  g_assert_cmpint (a.day_pnl, ==, EA_MICROS (2) - MNQ_FEE);
  g_assert_cmpint (a.day_realized, ==, EA_MICROS (-3));
  g_assert_cmpint (a.day_fees, ==, MNQ_FEE);
  /* Same day again: nothing resets. */
  ea_ledger_begin_day (ledger, 20261124);
  g_assert_true (ea_ledger_get_account (ledger, 1, &a));
  g_assert_cmpint (a.day_realized, ==, EA_MICROS (-3));

  /* Restored peaks only ever raise. */
  g_assert_true (ea_ledger_restore_peaks (ledger, 1, EA_MICROS (52000), EA_MICROS (1), &error));
  g_assert_true (ea_ledger_get_account (ledger, 1, &a));
  g_assert_cmpint (a.peak_equity, ==, EA_MICROS (52000));
  g_assert_cmpint (a.peak_balance, ==, EA_MICROS (50075));
  g_assert_false (ea_ledger_restore_peaks (ledger, 9, 0, 0, &error));
  g_assert_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_UNKNOWN_ACCOUNT);
}

static void
test_excursions (void)
{
  Recorder rec;
  g_autoptr(EaLedger) ledger = new_ledger (&rec);
  g_autoptr(GError) error = NULL;
  const EaLedgerTrade *t;

  /* Long 1 @ 100, marks 103, 97, 101, exit 102: MFE 3, MAE 3. */
  fill (ledger, 1, 10, EA_SIDE_BUY, 1, 100, 1);
  g_assert_true (ea_ledger_mark_last (ledger, 10, 103, &error));
  g_assert_true (ea_ledger_mark_last (ledger, 10, 97, &error));
  g_assert_true (ea_ledger_mark_last (ledger, 10, 101, &error));
  fill (ledger, 1, 10, EA_SIDE_SELL, 1, 102, 2);
  t = &g_array_index (rec.trades, EaLedgerTrade, 0);
  g_assert_cmpfloat (t->mfe_ticks, ==, 3.0);
  g_assert_cmpfloat (t->mae_ticks, ==, 3.0);

  /* Scale-in: lot A @ 100 sees 110 before lot B @ 105 exists; both see
   * 95 and 108; exit 100. A: MFE 10, MAE 5. B: MFE 3, MAE 10. */
  fill (ledger, 1, 11, EA_SIDE_BUY, 1, 100, 3);
  g_assert_true (ea_ledger_mark_last (ledger, 11, 110, &error));
  fill (ledger, 1, 11, EA_SIDE_BUY, 1, 105, 4);
  g_assert_true (ea_ledger_mark_last (ledger, 11, 95, &error));
  g_assert_true (ea_ledger_mark_last (ledger, 11, 108, &error));
  fill (ledger, 1, 11, EA_SIDE_SELL, 2, 100, 5);
  t = &g_array_index (rec.trades, EaLedgerTrade, 1);
  g_assert_cmpint (t->entry_price, ==, 100);
  g_assert_cmpfloat (t->mfe_ticks, ==, 10.0);
  g_assert_cmpfloat (t->mae_ticks, ==, 5.0);
  t = &g_array_index (rec.trades, EaLedgerTrade, 2);
  g_assert_cmpint (t->entry_price, ==, 105);
  g_assert_cmpfloat (t->mfe_ticks, ==, 3.0);
  g_assert_cmpfloat (t->mae_ticks, ==, 10.0);

  /* Short @ 100 on mids 101.5 then 96.5, covered at 99: MFE 3.5 (the
   * fall), MAE 1.5 (the rise). */
  fill (ledger, 1, 12, EA_SIDE_SELL, 1, 100, 6);
  g_assert_true (ea_ledger_mark_bid_ask (ledger, 12, 101, 102, &error));
  g_assert_true (ea_ledger_mark_bid_ask (ledger, 12, 96, 97, &error));
  fill (ledger, 1, 12, EA_SIDE_BUY, 1, 99, 7);
  t = &g_array_index (rec.trades, EaLedgerTrade, 3);
  g_assert_cmpint (t->side, ==, EA_SIDE_SELL);
  g_assert_cmpfloat (t->mfe_ticks, ==, 3.5);
  g_assert_cmpfloat (t->mae_ticks, ==, 1.5);

  /* A partial exit is a price the rest of the position lives through:
   * long 2 @ 100, out 1 @ 104, out 1 @ 101 → MFE 4 on the second lot. */
  fill (ledger, 1, 10, EA_SIDE_BUY, 2, 100, 8);
  fill (ledger, 1, 10, EA_SIDE_SELL, 1, 104, 9);
  fill (ledger, 1, 10, EA_SIDE_SELL, 1, 101, 10);
  g_assert_cmpuint (rec.trades->len, ==, 6);
  t = &g_array_index (rec.trades, EaLedgerTrade, 5);
  g_assert_cmpint (t->pnl, ==, ES_TV);
  g_assert_cmpfloat (t->mfe_ticks, ==, 4.0);
  g_assert_cmpfloat (t->mae_ticks, ==, 0.0);
  g_assert_no_error (error);
  g_array_unref (rec.trades);
}

static void
test_bad_input (void)
{
  g_autoptr(EaLedger) ledger = new_ledger (NULL);
  EaLedgerAccount before, after;
  static const struct {
    EaLedgerFill fill;
    gint code;
  } bad[] = {
    { { 7, 10, EA_SIDE_BUY, 1, 100, 0 }, EA_LEDGER_ERROR_UNKNOWN_ACCOUNT },
    { { 1, 99, EA_SIDE_BUY, 1, 100, 0 }, EA_LEDGER_ERROR_UNKNOWN_CONTRACT },
    { { 1, 10, 0, 1, 100, 0 }, EA_LEDGER_ERROR_INVALID },
    { { 1, 10, 2, 1, 100, 0 }, EA_LEDGER_ERROR_INVALID },
    { { 1, 10, EA_SIDE_BUY, 0, 100, 0 }, EA_LEDGER_ERROR_OUT_OF_RANGE },
    { { 1, 10, EA_SIDE_BUY, -3, 100, 0 }, EA_LEDGER_ERROR_OUT_OF_RANGE },
    { { 1, 10, EA_SIDE_BUY, EA_LEDGER_MAX_QTY + 1, 100, 0 }, EA_LEDGER_ERROR_OUT_OF_RANGE },
    { { 1, 10, EA_SIDE_BUY, 1, G_MAXINT64, 0 }, EA_LEDGER_ERROR_OUT_OF_RANGE },
    { { 1, 10, EA_SIDE_BUY, 1, G_MININT64, 0 }, EA_LEDGER_ERROR_OUT_OF_RANGE },
    { { 1, 10, EA_SIDE_BUY, 1, EA_LEDGER_MAX_NOTIONAL / ES_TV + 1, 0 }, EA_LEDGER_ERROR_OUT_OF_RANGE },
    /* 5 are open: another MAX would pass the position limit. */
    { { 1, 10, EA_SIDE_BUY, EA_LEDGER_MAX_QTY, 100, 0 }, EA_LEDGER_ERROR_OUT_OF_RANGE },
  };

  memset (&before, 0, sizeof before);
  memset (&after, 0, sizeof after);
  fill (ledger, 1, 10, EA_SIDE_BUY, 5, 100, 0);
  g_assert_true (ea_ledger_get_account (ledger, 1, &before));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (ea_ledger_fill (ledger, &bad[i].fill, &error));
      g_assert_error (error, EA_LEDGER_ERROR, bad[i].code);
    }
  g_assert_true (ea_ledger_get_account (ledger, 1, &after));
  g_assert_cmpmem (&before, sizeof before, &after, sizeof after);

  {
    g_autoptr(GError) error = NULL;
    EaLedgerPosition pos;

    g_assert_false (ea_ledger_add_account (ledger, 1, 0, &error));
    g_assert_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_DUPLICATE);
    g_clear_error (&error);
    g_assert_false (ea_ledger_add_account (ledger, EA_LEDGER_MAX_ID, 0, &error));
    g_assert_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_OUT_OF_RANGE);
    g_clear_error (&error);
    g_assert_false (ea_ledger_add_account (ledger, 3, G_MAXINT64, &error));
    g_assert_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_OUT_OF_RANGE);
    g_clear_error (&error);
    g_assert_false (ea_ledger_add_contract (ledger, 10, ES_TV, 0, &error));
    g_assert_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_DUPLICATE);
    g_clear_error (&error);
    g_assert_false (ea_ledger_add_contract (ledger, 30, 0, 0, &error));
    g_assert_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_OUT_OF_RANGE);
    g_clear_error (&error);
    g_assert_false (ea_ledger_add_contract (ledger, 30, -5, 0, &error));
    g_assert_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_OUT_OF_RANGE);
    g_clear_error (&error);
    g_assert_false (ea_ledger_add_contract (ledger, 30, EA_LEDGER_MAX_TICK_VALUE + 1, 0, &error));
    g_assert_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_OUT_OF_RANGE);
    g_clear_error (&error);
    g_assert_false (ea_ledger_add_contract (ledger, 30, ES_TV, -1, &error));
    g_assert_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_OUT_OF_RANGE);
    g_clear_error (&error);
    g_assert_false (ea_ledger_set_fee (ledger, 31, 0, &error));
    g_assert_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_UNKNOWN_CONTRACT);
    g_clear_error (&error);
    g_assert_false (ea_ledger_mark_last (ledger, 31, 1, &error));
    g_assert_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_UNKNOWN_CONTRACT);
    g_clear_error (&error);
    g_assert_false (ea_ledger_mark_last (ledger, 10, G_MAXINT64, &error));
    g_assert_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_OUT_OF_RANGE);
    g_clear_error (&error);
    g_assert_false (ea_ledger_mark_bid_ask (ledger, 10, 102, 101, &error));
    g_assert_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (ea_ledger_mark_bid_ask (ledger, 10, G_MININT64, 101, &error));
    g_assert_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_OUT_OF_RANGE);
    g_clear_error (&error);
    g_assert_false (ea_ledger_get_mark2 (ledger, 10, NULL));
    g_assert_false (ea_ledger_get_account (ledger, 7, &after));
    g_assert_false (ea_ledger_get_position (ledger, 1, 99, &pos));
    g_assert_null (ea_ledger_dup_open_positions (ledger, 7));

    /* Registered but never traded reads flat. */
    g_assert_true (ea_ledger_get_position (ledger, 1, 12, &pos));
    g_assert_cmpint (pos.net, ==, 0);
    g_assert_cmpuint (pos.contract, ==, 12);
  }
}

static void
test_extremes (void)
{
  g_autoptr(EaLedger) ledger = ea_ledger_new ();
  g_autoptr(GError) error = NULL;
  EaTicks max = EA_LEDGER_MAX_NOTIONAL / EA_LEDGER_MAX_TICK_VALUE;
  EaLedgerPosition pos;
  EaLedgerAccount a;
  g_autoptr(GArray) open = NULL;

  /* The largest position at the largest notional, marked at the opposite
   * extreme: −10^5 × 2·10^4 × 10^9 = −2·10^18, still exact. */
  g_assert_true (ea_ledger_add_account (ledger, 0, 0, &error));
  g_assert_true (ea_ledger_add_contract (ledger, 0, EA_LEDGER_MAX_TICK_VALUE, EA_LEDGER_MAX_FEE, &error));
  fill (ledger, 0, 0, EA_SIDE_BUY, EA_LEDGER_MAX_QTY, max, 1);
  g_assert_true (ea_ledger_mark_bid_ask (ledger, 0, -max, -max, &error));
  g_assert_true (ea_ledger_get_position (ledger, 0, 0, &pos));
  g_assert_cmpint (pos.unrealized, ==, -EA_LEDGER_MAX_QTY * 2 * max * EA_LEDGER_MAX_TICK_VALUE);
  g_assert_cmpint (pos.fees, ==, EA_LEDGER_MAX_QTY * EA_LEDGER_MAX_FEE);

  open = ea_ledger_dup_open_positions (ledger, 0);
  g_assert_cmpuint (open->len, ==, 1);
  g_assert_cmpint (g_array_index (open, EaLedgerPosition, 0).net, ==, EA_LEDGER_MAX_QTY);

  /* Flip from +MAX to −MAX in one fill of 2·MAX is over the fill limit. */
  {
    EaLedgerFill f = { 0, 0, EA_SIDE_SELL, 2 * EA_LEDGER_MAX_QTY, -max, 2 };

    g_assert_false (ea_ledger_fill (ledger, &f, &error));
    g_assert_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_OUT_OF_RANGE);
    g_clear_error (&error);
  }
  fill (ledger, 0, 0, EA_SIDE_SELL, EA_LEDGER_MAX_QTY, -max, 2);
  g_assert_true (ea_ledger_get_account (ledger, 0, &a));
  g_assert_cmpint (a.realized, ==, -EA_LEDGER_MAX_QTY * 2 * max * EA_LEDGER_MAX_TICK_VALUE);
  g_assert_cmpint (a.unrealized, ==, 0);
  g_assert_cmpint (a.equity, ==, a.realized - 2 * EA_LEDGER_MAX_QTY * EA_LEDGER_MAX_FEE);
  g_assert_cmpint (a.peak_equity, ==, 0);
}

/* Property: over random fills and quotes, realized + unrealized equals
 * Σ −side × qty × price × tick value + net × mark × tick value, exactly, and
 * FIFO realized equals an independent unit-lot model. */
#define P_ACCOUNTS  6
#define P_CONTRACTS 4
#define P_FILLS     100000

typedef struct
{
  EaMicros flow;      /* Σ −side × qty × price × tv */
  gint64   net;
  gint64   fill_qty;
  GArray  *units;     /* entry price of each open contract, FIFO */
  guint    head;
  EaMicros realized;
} Model;

typedef struct
{
  EaMicros pnl;
  EaMicros fees;
  gint64   qty;
  guint    n;
} Totals;

static void
sum_trade (const EaLedgerTrade *trade,
           gpointer             user_data)
{
  Totals *totals = user_data;

  totals[trade->account].pnl += trade->pnl;
  totals[trade->account].fees += trade->fees;
  totals[trade->account].qty += trade->qty;
  totals[trade->account].n++;
  g_assert_cmpfloat (trade->mae_ticks, >=, 0.0);
  g_assert_cmpfloat (trade->mfe_ticks, >=, 0.0);
  g_assert_cmpint (trade->entry_time, <=, trade->exit_time);
}

static void
model_fill (Model    *m,
            gint      side,
            gint64    qty,
            EaTicks   price,
            EaMicros  tv)
{
  m->flow += -side * qty * price * tv;
  m->fill_qty += qty;
  for (gint64 k = 0; k < qty; k++)
    {
      if (m->net != 0 && (m->net > 0) != (side > 0))
        {
          EaTicks entry = g_array_index (m->units, EaTicks, m->head++);

          m->realized += (price - entry) * tv * (m->net > 0 ? 1 : -1);
          if (m->head == m->units->len)
            {
              g_array_set_size (m->units, 0);
              m->head = 0;
            }
        }
      else
        {
          g_array_append_val (m->units, price);
        }
      m->net += side;
    }
}

static void
check_closed_form (EaLedger     *ledger,
                   Model         model[P_ACCOUNTS][P_CONTRACTS],
                   const gint64 *mark2,
                   const gboolean *has_mark,
                   const EaMicros *tv,
                   const EaMicros *fee,
                   const Totals *totals)
{
  for (guint a = 0; a < P_ACCOUNTS; a++)
    {
      EaMicros realized = 0, unrealized = 0, fees = 0;
      EaLedgerAccount acct;

      for (guint c = 0; c < P_CONTRACTS; c++)
        {
          Model *m = &model[a][c];
          EaLedgerPosition pos;
          EaMicros closed_form;

          g_assert_true (ea_ledger_get_position (ledger, a, c, &pos));
          g_assert_cmpint (pos.net, ==, m->net);
          g_assert_cmpint (pos.realized, ==, m->realized);
          closed_form = m->flow;
          if (has_mark[c])
            closed_form += m->net * mark2[c] * tv[c] / 2;  /* tick values are even */
          else
            g_assert_cmpint (pos.unrealized, ==, 0);
          if (has_mark[c])
            g_assert_cmpint (pos.realized + pos.unrealized, ==, closed_form);
          g_assert_cmpint (pos.fees, ==, m->fill_qty * fee[c]);
          realized += pos.realized;
          unrealized += pos.unrealized;
          fees += pos.fees;
        }
      g_assert_true (ea_ledger_get_account (ledger, a, &acct));
      g_assert_cmpint (acct.realized, ==, realized);
      g_assert_cmpint (acct.unrealized, ==, unrealized);
      g_assert_cmpint (acct.fees, ==, fees);
      g_assert_cmpint (acct.equity, ==, acct.start_balance + realized - fees + unrealized);
      g_assert_cmpint (acct.peak_equity, >=, acct.equity);
      g_assert_cmpint (acct.peak_balance, >=, acct.balance);
      g_assert_cmpint (totals[a].pnl, ==, realized);
    }
}

static void
test_property_closed_form (void)
{
  static const EaMicros tv[P_CONTRACTS] = { 12500000, 500000, 15625000, 6250000 };
  static const EaMicros fee[P_CONTRACTS] = { 1290000, 370000, 0, 850000 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261124);
  g_autoptr(EaLedger) ledger = ea_ledger_new ();
  g_autoptr(GError) error = NULL;
  Model model[P_ACCOUNTS][P_CONTRACTS] = { { { 0 } } };
  Totals totals[P_ACCOUNTS] = { { 0 } };
  EaTicks price[P_CONTRACTS] = { 24000, 84000, 7040, 22000 };
  gint64 mark2[P_CONTRACTS] = { 0 };
  gboolean has_mark[P_CONTRACTS] = { FALSE };

  for (guint a = 0; a < P_ACCOUNTS; a++)
    {
      g_assert_true (ea_ledger_add_account (ledger, a, EA_MICROS (50000) * (a + 1), &error));
      for (guint c = 0; c < P_CONTRACTS; c++)
        model[a][c].units = g_array_new (FALSE, FALSE, sizeof (EaTicks));
    }
  for (guint c = 0; c < P_CONTRACTS; c++)
    g_assert_true (ea_ledger_add_contract (ledger, c, tv[c], fee[c], &error));
  g_assert_no_error (error);
  ea_ledger_set_trade_func (ledger, sum_trade, totals);

  for (guint i = 0; i < P_FILLS; i++)
    {
      guint a = g_rand_int_range (rand, 0, P_ACCOUNTS);
      guint c = g_rand_int_range (rand, 0, P_CONTRACTS);
      gint side = g_rand_boolean (rand) ? 1 : -1;
      gint64 qty = g_rand_int_range (rand, 1, 6);
      EaLedgerFill f;

      price[c] += g_rand_int_range (rand, -4, 5);
      f = (EaLedgerFill) { a, c, side, qty, price[c], i };
      g_assert_true (ea_ledger_fill (ledger, &f, &error));
      model_fill (&model[a][c], side, qty, price[c], tv[c]);

      /* Contracts 0 and 2 get trades; 1 and 3 only bid/ask, so they stay
       * on mids, half ticks included. */
      if (g_rand_int_range (rand, 0, 3) == 0)
        {
          guint qc = g_rand_int_range (rand, 0, P_CONTRACTS);
          EaTicks p = price[qc] + g_rand_int_range (rand, -3, 4);

          if (qc % 2 == 0)
            {
              g_assert_true (ea_ledger_mark_last (ledger, qc, p, &error));
              mark2[qc] = 2 * p;
            }
          else
            {
              EaTicks spread = g_rand_int_range (rand, 0, 4);

              g_assert_true (ea_ledger_mark_bid_ask (ledger, qc, p, p + spread, &error));
              mark2[qc] = 2 * p + spread;
            }
          has_mark[qc] = TRUE;
        }
      if (i % 997 == 0)
        check_closed_form (ledger, model, mark2, has_mark, tv, fee, totals);
    }
  g_assert_no_error (error);

  /* A last trade owns the mark of contracts 0 and 2 once they have one;
   * bid/ask marks the others at a half-tick mid. */
  for (guint c = 0; c < P_CONTRACTS; c++)
    {
      gint64 m2 = 0;
      gboolean had_last = c % 2 == 0 && has_mark[c];

      g_assert_true (ea_ledger_mark_bid_ask (ledger, c, price[c], price[c] + 1, &error));
      g_assert_true (ea_ledger_get_mark2 (ledger, c, &m2));
      g_assert_cmpint (m2, ==, had_last ? mark2[c] : 2 * price[c] + 1);
      mark2[c] = m2;
      has_mark[c] = TRUE;
    }
  check_closed_form (ledger, model, mark2, has_mark, tv, fee, totals);

  /* Every closed lot was reported, with its round-trip fees. */
  for (guint a = 0; a < P_ACCOUNTS; a++)
    {
      gint64 open_qty = 0, fill_qty = 0, open_fees = 0;

      for (guint c = 0; c < P_CONTRACTS; c++)
        {
          open_qty += ABS (model[a][c].net);
          fill_qty += model[a][c].fill_qty;
          open_fees += ABS (model[a][c].net) * fee[c];
          g_array_unref (model[a][c].units);
        }
      g_assert_cmpint (2 * totals[a].qty + open_qty, ==, fill_qty);
      {
        EaLedgerAccount acct;

        g_assert_true (ea_ledger_get_account (ledger, a, &acct));
        g_assert_cmpint (totals[a].fees + open_fees, ==, acct.fees);
        g_assert_cmpint (acct.open_contracts, ==, open_qty);
      }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ledger/fifo-sequence", test_fifo_sequence);
  g_test_add_func ("/ledger/es-round-trip", test_es_round_trip);
  g_test_add_func ("/ledger/marks", test_marks);
  g_test_add_func ("/ledger/half-micro-rounding", test_half_micro_rounding);
  g_test_add_func ("/ledger/equity-peaks-day", test_equity_peaks_day);
  g_test_add_func ("/ledger/excursions", test_excursions);
  g_test_add_func ("/ledger/bad-input", test_bad_input);
  g_test_add_func ("/ledger/extremes", test_extremes);
  g_test_add_func ("/ledger/property-closed-form", test_property_closed_form);

  return g_test_run ();
}
