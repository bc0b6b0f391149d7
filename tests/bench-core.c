/* bench-core.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Throughput of the core's hot paths. One function per benchmark; each runs
 * for at least BENCH_MIN_US and prints `bench: <name> <value> <unit>`.
 */
#include "config.h"

#include "ea-kelly.h"
#include "ea-ledger.h"

#define BENCH_MIN_US G_GINT64_CONSTANT (400000)

#define N_ACCOUNTS  6
#define N_CONTRACTS 4

static const EaMicros tick_values[N_CONTRACTS] = { 12500000, 500000, 15625000, 6250000 };
static const EaMicros fees[N_CONTRACTS] = { 1290000, 370000, 850000, 850000 };

static void
count_trade (const EaLedgerTrade *trade,
             gpointer             user_data)
{
  guint64 *n = user_data;

  *n += (guint64) trade->qty;
}

static EaLedger *
bench_ledger (void)
{
  EaLedger *ledger = ea_ledger_new ();

  for (guint a = 0; a < N_ACCOUNTS; a++)
    g_assert_true (ea_ledger_add_account (ledger, a, EA_MICROS (50000), NULL));
  for (guint c = 0; c < N_CONTRACTS; c++)
    g_assert_true (ea_ledger_add_contract (ledger, c, tick_values[c], fees[c], NULL));
  return ledger;
}

/* Random fills over every account and contract, closed out at the end so
 * the sequence can be replayed forever without growing positions. */
static GArray *
make_fills (guint n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  GArray *fills = g_array_sized_new (FALSE, FALSE, sizeof (EaLedgerFill), n + N_ACCOUNTS * N_CONTRACTS);
  gint64 net[N_ACCOUNTS][N_CONTRACTS] = { { 0 } };
  EaTicks price[N_CONTRACTS] = { 24000, 84000, 7040, 22000 };

  for (guint i = 0; i < n; i++)
    {
      EaLedgerFill f;

      f.account = g_rand_int_range (rand, 0, N_ACCOUNTS);
      f.contract = g_rand_int_range (rand, 0, N_CONTRACTS);
      f.side = g_rand_boolean (rand) ? EA_SIDE_BUY : EA_SIDE_SELL;
      f.qty = g_rand_int_range (rand, 1, 4);
      price[f.contract] += g_rand_int_range (rand, -2, 3);
      f.price = price[f.contract];
      f.time = i;
      net[f.account][f.contract] += f.side * f.qty;
      g_array_append_val (fills, f);
    }
  for (guint a = 0; a < N_ACCOUNTS; a++)
    for (guint c = 0; c < N_CONTRACTS; c++)
      if (net[a][c] != 0)
        {
          EaLedgerFill f = { a, c, net[a][c] > 0 ? EA_SIDE_SELL : EA_SIDE_BUY,
                             ABS (net[a][c]), price[c], n };

          g_array_append_val (fills, f);
        }
  return fills;
}

static void
bench_ledger_fills (void)
{
  g_autoptr(EaLedger) ledger = bench_ledger ();
  g_autoptr(GArray) fills = make_fills (1 << 16);
  const EaLedgerFill *f = (const EaLedgerFill *) fills->data;
  guint64 closed = 0, n = 0;
  gint64 start, elapsed;

  ea_ledger_set_trade_func (ledger, count_trade, &closed);
  for (guint c = 0; c < N_CONTRACTS; c++)
    g_assert_true (ea_ledger_mark_last (ledger, c, f[c].price, NULL));

  start = g_get_monotonic_time ();
  do
    {
      for (guint i = 0; i < fills->len; i++)
        if (G_UNLIKELY (!ea_ledger_fill (ledger, &f[i], NULL)))
          g_error ("fill %u refused", i);
      n += fills->len;
      elapsed = g_get_monotonic_time () - start;
    }
  while (elapsed < BENCH_MIN_US);

  g_assert_cmpuint (closed, >, 0);
  g_print ("bench: core.ledger_fills_per_s %.0f fills/s\n", n * 1e6 / elapsed);
}

/* A quote for one contract re-marks the open position of each of the six
 * accounts in it (every account also holds the other contracts). */
static void
bench_quote_updates (void)
{
  g_autoptr(EaLedger) ledger = bench_ledger ();
  guint64 n = 0;
  gint64 start, elapsed;
  EaLedgerAccount acct;

  for (guint a = 0; a < N_ACCOUNTS; a++)
    for (guint c = 0; c < N_CONTRACTS; c++)
      {
        EaLedgerFill f = { a, c, (a + c) % 2 ? EA_SIDE_BUY : EA_SIDE_SELL, 1 + a, 20000, 0 };

        g_assert_true (ea_ledger_fill (ledger, &f, NULL));
      }

  start = g_get_monotonic_time ();
  do
    {
      for (guint i = 0; i < 65536; i++)
        if (G_UNLIKELY (!ea_ledger_mark_last (ledger, 0, 20000 + (EaTicks) (i & 15) - 8, NULL)))
          g_error ("quote refused");
      n += 65536;
      elapsed = g_get_monotonic_time () - start;
    }
  while (elapsed < BENCH_MIN_US);

  g_assert_true (ea_ledger_get_account (ledger, 0, &acct));
  g_assert_cmpint (acct.peak_equity, >=, acct.equity);
  g_print ("bench: core.quote_updates_per_s %.0f quotes/s\n", n * 1e6 / elapsed);
}

/* One sizing: the Kelly fraction from journal statistics, then contracts
 * under four caps. */
static void
bench_kelly (void)
{
  static const EaSizeCap caps[] = {
    { "max contracts", 10 },
    { "daily loss", 12 },
    { "trailing drawdown", 15 },
    { "margin", 40 },
  };
  EaKellyParams params;
  EaKellyInputs in = { 100, 0.55, 250e6, 180e6, 0 };
  guint64 n = 0;
  gint64 start, elapsed, sink = 0;

  ea_kelly_params_init (&params);
  start = g_get_monotonic_time ();
  do
    {
      for (guint i = 0; i < 65536; i++)
        {
          EaKellyResult r;
          EaKellySizing s;

          in.consecutive_losses = i & 3;
          ea_kelly_compute (&params, &in, 12500000, (double) (i & 63), &r, NULL);
          ea_kelly_contracts (EA_MICROS (50000) + i, r.fraction, 8 + (i & 7), 12500000,
                              2580000, caps, G_N_ELEMENTS (caps), &s, NULL);
          sink += s.contracts;
        }
      n += 65536;
      elapsed = g_get_monotonic_time () - start;
    }
  while (elapsed < BENCH_MIN_US);

  g_assert_cmpint (sink, >=, 0);
  g_print ("bench: core.kelly_calls_per_s %.0f calls/s\n", n * 1e6 / elapsed);
}

int
main (int   argc,
      char *argv[])
{
  bench_ledger_fills ();
  bench_quote_updates ();
  bench_kelly ();
  return 0;
}
