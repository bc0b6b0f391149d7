/* test-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "ea-stats.h"

#define USD(x) EA_MICROS (x)

static void
assert_close (double got,
              double want)
{
  g_assert_cmpfloat_with_epsilon (got, want, fabs (want) * 1e-12 + 1e-9);
}

/* A worked example, in USD:
 *   day 1: +100, −50     day 2: +200, −100, −100
 *   day 3: 0, +150       day 4: −30
 * total 170; gross profit 450, loss 280; 3 wins, 4 losses, 1 breakeven;
 * cumulative 100 50 250 150 50 50 200 170 → max drawdown 200;
 * streaks W L W L L B W L; days 50 0 150 −30. */
static const EaStatsTrade worked[] = {
  { USD (100),  1000, 1, 7 },
  { USD (-50),  1001, 1, 7 },
  { USD (200),  2000, 2, 7 },
  { USD (-100), 2001, 2, 7 },
  { USD (-100), 2002, 2, 7 },
  { USD (0),    3000, 3, 7 },
  { USD (150),  3001, 3, 7 },
  { USD (-30),  4000, 4, 7 },
};

static void
check_worked (const EaStatsSummary *s)
{
  g_assert_cmpuint (s->n_trades, ==, 8);
  g_assert_cmpuint (s->n_wins, ==, 3);
  g_assert_cmpuint (s->n_losses, ==, 4);
  g_assert_cmpuint (s->n_breakeven, ==, 1);
  g_assert_cmpuint (s->n_days, ==, 4);
  g_assert_cmpint (s->total_pnl, ==, USD (170));
  g_assert_cmpint (s->gross_profit, ==, USD (450));
  g_assert_cmpint (s->gross_loss, ==, USD (280));
  assert_close (s->win_rate, 0.375);
  assert_close (s->avg_win, 150e6);
  assert_close (s->avg_loss, 70e6);
  assert_close (s->profit_factor, 450.0 / 280.0);
  assert_close (s->expectancy, 21.25e6);
  assert_close (s->mean, 21.25e6);
  assert_close (s->stdev, 114.82128971331306e6);
  assert_close (s->sharpe, 0.1850702082606563);
  assert_close (s->daily_mean, 42.5e6);
  assert_close (s->daily_stdev, 78.8986691902975e6);
  assert_close (s->sharpe_annualised, 8.55105151006067);
  g_assert_cmpint (s->max_drawdown, ==, USD (200));
  g_assert_cmpuint (s->longest_win_streak, ==, 1);
  g_assert_cmpuint (s->longest_loss_streak, ==, 2);
  g_assert_cmpint (s->current_streak, ==, -1);
  g_assert_cmpint (s->best_day, ==, USD (150));
  g_assert_cmpint (s->best_day_id, ==, 3);
  g_assert_cmpint (s->worst_day, ==, USD (-30));
  g_assert_cmpint (s->worst_day_id, ==, 4);
  assert_close (s->consistency, 150.0 / 170.0);
  g_assert_cmpint (s->first_time, ==, 1000);
  g_assert_cmpint (s->last_time, ==, 4000);
}

static void
test_worked_example (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaStats) stats = ea_stats_new (100);
  EaStatsSummary s;

  g_assert_true (ea_stats_compute (worked, G_N_ELEMENTS (worked), EA_STATS_ALL_INSTRUMENTS, 0, &s, &error));
  g_assert_no_error (error);
  check_worked (&s);

  g_assert_true (ea_stats_compute (worked, G_N_ELEMENTS (worked), 7, 100, &s, &error));
  check_worked (&s);

  for (guint i = 0; i < G_N_ELEMENTS (worked); i++)
    g_assert_true (ea_stats_add (stats, &worked[i], &error));
  g_assert_no_error (error);
  g_assert_true (ea_stats_get (stats, EA_STATS_ALL_INSTRUMENTS, &s));
  check_worked (&s);
  g_assert_true (ea_stats_get (stats, 7, &s));
  check_worked (&s);
  g_assert_true (ea_stats_get_window (stats, 7, &s));
  check_worked (&s);
}

typedef struct
{
  const char *name;
  EaMicros    pnl[6];
  guint       n;
  double      profit_factor;
  EaMicros    max_drawdown;
  gint        current_streak;
  guint       longest_win;
  guint       longest_loss;
  double      sharpe;
} EdgeCase;

static void
test_edge_cases (void)
{
  static const EdgeCase cases[] = {
    /* Profits and no loss: PF = +inf. Identical P&L: stdev 0 → Sharpe 0. */
    { "all wins",     { USD (10), USD (10), USD (10) }, 3, INFINITY, 0, 3, 3, 0, 0.0 },
    /* Drawdown counts from the 0 start. */
    { "all losses",   { USD (-10), USD (-20) }, 2, 0.0, USD (30), -2, 0, 2, -15.0 / sqrt (50.0) },
    { "breakevens",   { 0, 0 }, 2, 0.0, 0, 0, 0, 0, 0.0 },
    /* One trade: Sharpe undefined → 0. */
    { "single",       { USD (-5) }, 1, 0.0, USD (5), -1, 0, 1, 0.0 },
    { "breakeven ends streak", { USD (1), USD (1), 0, USD (-1) }, 4, 2.0, USD (1), -1, 2, 1,
      0.25 / sqrt (11.0 / 12.0) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      EaStatsTrade trades[6];
      EaStatsSummary s;

      g_test_message ("case %s", cases[i].name);
      for (guint k = 0; k < cases[i].n; k++)
        trades[k] = (EaStatsTrade) { cases[i].pnl[k], k, 0, 1 };
      g_assert_true (ea_stats_compute (trades, cases[i].n, EA_STATS_ALL_INSTRUMENTS, 0, &s, &error));
      g_assert_no_error (error);
      if (isinf (cases[i].profit_factor))
        g_assert_true (isinf (s.profit_factor) && s.profit_factor > 0);
      else
        assert_close (s.profit_factor, cases[i].profit_factor);
      g_assert_cmpint (s.max_drawdown, ==, cases[i].max_drawdown);
      g_assert_cmpint (s.current_streak, ==, cases[i].current_streak);
      g_assert_cmpuint (s.longest_win_streak, ==, cases[i].longest_win);
      g_assert_cmpuint (s.longest_loss_streak, ==, cases[i].longest_loss);
      assert_close (s.sharpe, cases[i].sharpe);
      /* One day only: annualised Sharpe undefined → 0. */
      g_assert_cmpuint (s.n_days, ==, 1);
      g_assert_cmpfloat (s.sharpe_annualised, ==, 0.0);
      if (s.total_pnl > 0)
        assert_close (s.consistency, 1.0);
      else
        g_assert_true (isnan (s.consistency));
    }
}

static void
test_empty_and_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaStats) stats = ea_stats_new (EA_STATS_DEFAULT_LOOKBACK);
  g_autoptr(GArray) ids = NULL;
  EaStatsSummary s;
  EaStatsTrade t = { USD (1), 10, 5, 1 };

  g_assert_true (ea_stats_compute (NULL, 0, EA_STATS_ALL_INSTRUMENTS, 100, &s, &error));
  g_assert_cmpuint (s.n_trades, ==, 0);
  g_assert_cmpfloat (s.win_rate, ==, 0.0);
  g_assert_cmpfloat (s.profit_factor, ==, 0.0);
  g_assert_cmpfloat (s.sharpe, ==, 0.0);
  g_assert_cmpuint (s.n_days, ==, 0);
  g_assert_true (isnan (s.consistency));

  g_assert_false (ea_stats_get (stats, EA_STATS_ALL_INSTRUMENTS, &s) && s.n_trades > 0);
  g_assert_false (ea_stats_get (stats, 3, &s));
  g_assert_false (ea_stats_get_window (stats, 3, &s));
  g_assert_cmpuint (s.n_trades, ==, 0);

  /* Days must not go back; the refused trade changes nothing. */
  g_assert_true (ea_stats_add (stats, &t, &error));
  t.day = 4;
  g_assert_false (ea_stats_add (stats, &t, &error));
  g_assert_error (error, EA_STATS_ERROR, EA_STATS_ERROR_ORDER);
  g_clear_error (&error);
  t.day = 5;
  t.instrument = EA_STATS_ALL_INSTRUMENTS;
  g_assert_false (ea_stats_add (stats, &t, &error));
  g_assert_error (error, EA_STATS_ERROR, EA_STATS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (ea_stats_get (stats, EA_STATS_ALL_INSTRUMENTS, &s));
  g_assert_cmpuint (s.n_trades, ==, 1);
  ids = ea_stats_dup_instruments (stats);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpuint (g_array_index (ids, guint, 0), ==, 1);

  {
    const EaStatsTrade bad[] = { { 1, 0, 9, 1 }, { 1, 0, 8, 1 } };

    g_assert_false (ea_stats_compute (bad, 2, EA_STATS_ALL_INSTRUMENTS, 0, &s, &error));
    g_assert_error (error, EA_STATS_ERROR, EA_STATS_ERROR_ORDER);
    g_assert_cmpuint (s.n_trades, ==, 1);
  }
}

static void
test_overflow (void)
{
  g_autoptr(GError) error = NULL;
  const EaStatsTrade trades[] = {
    { G_MAXINT64, 0, 0, 1 },
    { G_MAXINT64, 1, 0, 1 },
    { G_MININT64, 2, 1, 1 },
    { G_MININT64, 3, 1, 1 },
  };
  EaStatsSummary s;

  /* Sums saturate instead of wrapping. */
  g_assert_true (ea_stats_compute (trades, 2, EA_STATS_ALL_INSTRUMENTS, 0, &s, &error));
  g_assert_cmpint (s.total_pnl, ==, G_MAXINT64);
  g_assert_cmpint (s.gross_profit, ==, G_MAXINT64);
  g_assert_cmpint (s.best_day, ==, G_MAXINT64);
  g_assert_true (ea_stats_compute (trades + 2, 2, EA_STATS_ALL_INSTRUMENTS, 0, &s, &error));
  g_assert_cmpint (s.total_pnl, ==, G_MININT64);
  g_assert_cmpint (s.gross_loss, ==, G_MAXINT64);
  g_assert_cmpint (s.max_drawdown, ==, G_MAXINT64);
  g_assert_true (ea_stats_compute (trades, 4, EA_STATS_ALL_INSTRUMENTS, 0, &s, &error));
  g_assert_cmpint (s.n_trades, ==, 4);
  g_assert_no_error (error);
}

static void
test_window_and_instruments (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaStats) stats = ea_stats_new (3);
  g_autoptr(GArray) ids = NULL;
  EaStatsSummary s;
  /* Instrument 1: +10 −20 +30 +40; instrument 2: −5 −5. */
  const EaStatsTrade trades[] = {
    { USD (10),  1, 1, 1 },
    { USD (-5),  2, 1, 2 },
    { USD (-20), 3, 2, 1 },
    { USD (30),  4, 2, 1 },
    { USD (-5),  5, 3, 2 },
    { USD (40),  6, 3, 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (trades); i++)
    g_assert_true (ea_stats_add (stats, &trades[i], &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ea_stats_get_lookback (stats), ==, 3);

  ids = ea_stats_dup_instruments (stats);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpuint (g_array_index (ids, guint, 0), ==, 1);
  g_assert_cmpuint (g_array_index (ids, guint, 1), ==, 2);

  g_assert_true (ea_stats_get (stats, 1, &s));
  g_assert_cmpuint (s.n_trades, ==, 4);
  g_assert_cmpint (s.total_pnl, ==, USD (60));
  g_assert_cmpint (s.max_drawdown, ==, USD (20));
  g_assert_cmpint (s.current_streak, ==, 2);

  /* Instrument 1's last 3: −20 +30 +40, the window starts at 0. */
  g_assert_true (ea_stats_get_window (stats, 1, &s));
  g_assert_cmpuint (s.n_trades, ==, 3);
  g_assert_cmpint (s.total_pnl, ==, USD (50));
  g_assert_cmpint (s.max_drawdown, ==, USD (20));
  assert_close (s.win_rate, 2.0 / 3.0);
  g_assert_cmpuint (s.n_days, ==, 2);
  g_assert_cmpint (s.best_day, ==, USD (40));
  assert_close (s.consistency, 40.0 / 50.0);

  g_assert_true (ea_stats_get (stats, 2, &s));
  g_assert_cmpint (s.total_pnl, ==, USD (-10));
  g_assert_cmpint (s.current_streak, ==, -2);
  g_assert_true (isnan (s.consistency));

  /* Overall last 3: +30 −5 +40 (days 2, 3, 3). */
  g_assert_true (ea_stats_get_window (stats, EA_STATS_ALL_INSTRUMENTS, &s));
  g_assert_cmpuint (s.n_trades, ==, 3);
  g_assert_cmpint (s.total_pnl, ==, USD (65));
  g_assert_cmpint (s.max_drawdown, ==, USD (5));
  g_assert_cmpint (s.best_day, ==, USD (35));
  g_assert_cmpint (s.worst_day, ==, USD (30));

  /* The batch form agrees. */
  {
    EaStatsSummary b;

    g_assert_true (ea_stats_compute (trades, G_N_ELEMENTS (trades), 1, 3, &b, &error));
    g_assert_cmpint (b.total_pnl, ==, USD (50));
    g_assert_cmpuint (b.n_trades, ==, 3);
    g_assert_true (ea_stats_compute (trades, G_N_ELEMENTS (trades), 2, 0, &b, &error));
    g_assert_cmpint (b.total_pnl, ==, USD (-10));
    g_assert_true (ea_stats_compute (trades, G_N_ELEMENTS (trades), 9, 0, &b, &error));
    g_assert_cmpuint (b.n_trades, ==, 0);
  }

  /* Lookback 0: the window is everything. */
  {
    g_autoptr(EaStats) all = ea_stats_new (0);

    for (guint i = 0; i < G_N_ELEMENTS (trades); i++)
      g_assert_true (ea_stats_add (all, &trades[i], &error));
    g_assert_true (ea_stats_get_window (all, EA_STATS_ALL_INSTRUMENTS, &s));
    g_assert_cmpuint (s.n_trades, ==, 6);
    g_assert_cmpint (s.total_pnl, ==, USD (50));
  }
}

/* Incremental Welford and a two-pass reference agree on random trades,
 * and so do the incremental and the batch forms. */
static void
test_random_against_two_pass (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GError) error = NULL;
  g_autoptr(EaStats) stats = ea_stats_new (100);
  const guint n = 5000;
  g_autofree EaStatsTrade *trades = g_new (EaStatsTrade, n);
  double sum = 0, ss = 0, mean;
  EaMicros cum = 0, peak = 0, dd = 0;
  EaStatsSummary inc, batch;
  gint64 day = 0;

  for (guint i = 0; i < n; i++)
    {
      day += g_rand_int_range (rand, 0, 2);
      trades[i] = (EaStatsTrade) { (EaMicros) g_rand_int_range (rand, -500, 700) * 12500000,
                                   i, day, g_rand_int_range (rand, 0, 3) };
      g_assert_true (ea_stats_add (stats, &trades[i], &error));
      sum += trades[i].pnl;
      cum += trades[i].pnl;
      peak = MAX (peak, cum);
      dd = MAX (dd, peak - cum);
    }
  mean = sum / n;
  for (guint i = 0; i < n; i++)
    ss += (trades[i].pnl - mean) * (trades[i].pnl - mean);

  g_assert_true (ea_stats_get (stats, EA_STATS_ALL_INSTRUMENTS, &inc));
  g_assert_cmpfloat_with_epsilon (inc.mean, mean, fabs (mean) * 1e-9);
  g_assert_cmpfloat_with_epsilon (inc.stdev, sqrt (ss / (n - 1)), sqrt (ss / (n - 1)) * 1e-9);
  g_assert_cmpint (inc.max_drawdown, ==, dd);
  g_assert_cmpint (inc.total_pnl, ==, cum);

  g_assert_true (ea_stats_compute (trades, n, EA_STATS_ALL_INSTRUMENTS, 0, &batch, &error));
  g_assert_cmpmem (&inc, sizeof inc, &batch, sizeof batch);

  for (guint inst = 0; inst < 3; inst++)
    {
      g_assert_true (ea_stats_get_window (stats, inst, &inc));
      g_assert_true (ea_stats_compute (trades, n, inst, 100, &batch, &error));
      g_assert_cmpuint (inc.n_trades, ==, 100);
      g_assert_cmpmem (&inc, sizeof inc, &batch, sizeof batch);
    }
  g_assert_no_error (error);
}

/* The plain accumulator gives the worked example, and a trade it refuses
 * leaves it as it was. */
static void
test_accumulator (void)
{
  EaStatsAccumulator acc, before;
  EaStatsSummary s, again;
  g_autoptr(GError) error = NULL;
  const EaStatsTrade earlier = { USD (500), 5000, 3, 7 };
  const EaStatsTrade reserved = { USD (500), 5000, 4, EA_STATS_ALL_INSTRUMENTS };

  ea_stats_accumulator_init (&acc);
  ea_stats_accumulator_summarize (&acc, &s);
  g_assert_cmpuint (s.n_trades, ==, 0);
  g_assert_true (isnan (s.consistency));

  for (guint i = 0; i < G_N_ELEMENTS (worked); i++)
    {
      g_assert_true (ea_stats_accumulator_add (&acc, &worked[i], &error));
      g_assert_no_error (error);
    }
  ea_stats_accumulator_summarize (&acc, &s);
  check_worked (&s);

  before = acc;
  g_assert_false (ea_stats_accumulator_add (&acc, &earlier, &error));
  g_assert_error (error, EA_STATS_ERROR, EA_STATS_ERROR_ORDER);
  g_clear_error (&error);
  g_assert_false (ea_stats_accumulator_add (&acc, &reserved, &error));
  g_assert_error (error, EA_STATS_ERROR, EA_STATS_ERROR_INVALID);
  g_assert_cmpmem (&acc, sizeof acc, &before, sizeof before);
  ea_stats_accumulator_summarize (&acc, &again);
  g_assert_cmpmem (&s, sizeof s, &again, sizeof again);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stats/worked-example", test_worked_example);
  g_test_add_func ("/stats/edge-cases", test_edge_cases);
  g_test_add_func ("/stats/empty-and-errors", test_empty_and_errors);
  g_test_add_func ("/stats/overflow", test_overflow);
  g_test_add_func ("/stats/window-and-instruments", test_window_and_instruments);
  g_test_add_func ("/stats/random-against-two-pass", test_random_against_two_pass);
  g_test_add_func ("/stats/accumulator", test_accumulator);

  return g_test_run ();
}
