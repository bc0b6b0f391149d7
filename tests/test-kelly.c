/* test-kelly.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "ea-kelly.h"

#define USD(x)  EA_MICROS (x)
#define ES_TV   G_GINT64_CONSTANT (12500000)

typedef struct
{
  const char *name;
  guint       n_trades;
  double      win_rate;
  double      avg_win;
  double      avg_loss;
  guint       losses_in_row;
  double      power_score;   /* < 0: none */
  double      kelly_fraction;
  double      payoff;
  double      raw;
  double      fraction;
  gboolean    capped;
  gboolean    fallback;
  EaKellyHint hint;
} Case;

static void
test_fraction_table (void)
{
  static const Case cases[] = {
    /* b = 2, raw = (1.2 − 0.4)/2 = 0.4, half → 0.2, × 0.7 = 0.14. */
    { "half kelly", 50, 0.6, USD (200), USD (100), 0, -1, 0.5, 2.0, 0.4, 0.14, FALSE, FALSE, EA_KELLY_HINT_NONE },
    /* Two losses in a row: no streak factor yet. */
    { "two losses", 50, 0.6, USD (200), USD (100), 2, -1, 0.5, 2.0, 0.4, 0.14, FALSE, FALSE, EA_KELLY_HINT_NONE },
    /* Three: × 0.5 → 0.1 × 0.7 = 0.07. */
    { "loss streak", 50, 0.6, USD (200), USD (100), 3, -1, 0.5, 2.0, 0.4, 0.07, FALSE, FALSE, EA_KELLY_HINT_NONE },
    /* b = 3, raw = (2.1 − 0.3)/3 = 0.6, half 0.3 → cap 0.25, × 0.8 = 0.2 → reduce. */
    { "capped", 100, 0.7, USD (300), USD (100), 0, 80, 0.5, 3.0, 0.6, 0.2, TRUE, FALSE, EA_KELLY_HINT_REDUCE },
    /* Negative edge clamps to 0 → weak edge. */
    { "no edge", 40, 0.3, USD (100), USD (100), 0, -1, 0.5, 1.0, 0.0, 0.0, FALSE, FALSE, EA_KELLY_HINT_WEAK_EDGE },
    /* 19 < 20 trades: 1 % × 0.7 whatever the edge. */
    { "small sample", 19, 0.7, USD (300), USD (100), 0, -1, 0.5, 3.0, 0.6, 0.007, FALSE, TRUE, EA_KELLY_HINT_SMALL_SAMPLE },
    /* Power score 50 in the fallback: 1 % × 0.5. */
    { "empty journal", 0, 0.0, 0, 0, 0, 50, 0.5, 0.0, 0.0, 0.005, FALSE, TRUE, EA_KELLY_HINT_SMALL_SAMPLE },
    /* No losses: L = one ES tick ($12.50), W = $25 → b = 2, p = 1 → raw 1. */
    { "zero loss", 30, 1.0, USD (25), 0, 0, -1, 0.5, 2.0, 1.0, 0.175, TRUE, FALSE, EA_KELLY_HINT_REDUCE },
    /* No wins: W = 0 → b = 0 → raw 0. */
    { "zero win", 30, 0.0, 0, USD (50), 5, -1, 0.5, 0.0, 0.0, 0.0, FALSE, FALSE, EA_KELLY_HINT_WEAK_EDGE },
    /* Full Kelly, power 100: b = 1, raw = 0.1. */
    { "full kelly", 20, 0.55, USD (80), USD (80), 0, 100, 1.0, 1.0, 0.1, 0.1, FALSE, FALSE, EA_KELLY_HINT_NONE },
    /* 10 % Kelly of raw 0.1 with c 0.7: 0.007 → weak edge. */
    { "tenth kelly", 20, 0.55, USD (80), USD (80), 0, -1, 0.1, 1.0, 0.1, 0.007, FALSE, FALSE, EA_KELLY_HINT_WEAK_EDGE },
    /* Power 0 is "no score": the default 0.7, as with none at all. */
    { "zero power", 50, 0.6, USD (200), USD (100), 0, 0, 0.5, 2.0, 0.4, 0.14, FALSE, FALSE, EA_KELLY_HINT_NONE },
    /* Below the scale's 10: also no score. */
    { "power 9", 50, 0.6, USD (200), USD (100), 0, 9, 0.5, 2.0, 0.4, 0.14, FALSE, FALSE, EA_KELLY_HINT_NONE },
    /* The scale's floor counts: 0.2 × 0.1 = 0.02, just not a weak edge. */
    { "power 10", 50, 0.6, USD (200), USD (100), 0, 10, 0.5, 2.0, 0.4, 0.02, FALSE, FALSE, EA_KELLY_HINT_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      EaKellyParams params;
      EaKellyInputs in = { cases[i].n_trades, cases[i].win_rate, cases[i].avg_win,
                           cases[i].avg_loss, cases[i].losses_in_row };
      EaKellyResult r;

      g_test_message ("case %s", cases[i].name);
      ea_kelly_params_init (&params);
      params.kelly_fraction = cases[i].kelly_fraction;
      g_assert_true (ea_kelly_compute (&params, &in, ES_TV, cases[i].power_score, &r, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat_with_epsilon (r.payoff, cases[i].payoff, 1e-12);
      g_assert_cmpfloat_with_epsilon (r.raw, cases[i].raw, 1e-12);
      g_assert_cmpfloat_with_epsilon (r.fraction, cases[i].fraction, 1e-12);
      g_assert_cmpint (r.capped, ==, cases[i].capped);
      g_assert_cmpint (r.fallback, ==, cases[i].fallback);
      g_assert_cmpint (r.hint, ==, cases[i].hint);
      g_assert_cmpfloat (r.streak_factor, ==, cases[i].losses_in_row >= 3 ? 0.5 : 1.0);
    }
}

static void
test_params (void)
{
  static const struct { double fraction, cap; guint min_sample, lookback; gboolean ok; } cases[] = {
    { 0.5,  0.25, 20, 100, TRUE  },
    { 0.1,  0.05, 1,  1,   TRUE  },
    { 1.0,  0.50, 20, 0,   TRUE  },
    { 0.09, 0.25, 20, 100, FALSE },
    { 1.01, 0.25, 20, 100, FALSE },
    { NAN,  0.25, 20, 100, FALSE },
    { 0.5,  0.049, 20, 100, FALSE },
    { 0.5,  0.51, 20, 100, FALSE },
    { 0.5,  NAN,  20, 100, FALSE },
    { 0.5,  0.25, 0,  100, FALSE },
    { 0.5,  0.25, 20, 10,  FALSE },
  };
  EaKellyParams p;

  ea_kelly_params_init (&p);
  g_assert_cmpfloat (p.kelly_fraction, ==, 0.5);
  g_assert_cmpfloat (p.kelly_cap, ==, 0.25);
  g_assert_cmpuint (p.min_sample, ==, 20);
  g_assert_cmpuint (p.lookback, ==, 100);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      p = (EaKellyParams) { cases[i].fraction, cases[i].cap, cases[i].min_sample, cases[i].lookback };
      g_assert_cmpint (ea_kelly_params_validate (&p, &error), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_no_error (error);
      else
        g_assert_error (error, EA_KELLY_ERROR, EA_KELLY_ERROR_INVALID);
    }
}

static void
test_bad_inputs (void)
{
  static const struct { EaKellyInputs in; EaMicros tv; double power; } cases[] = {
    { { 50, 1.5,  USD (1), USD (1), 0 }, ES_TV, -1 },
    { { 50, -0.1, USD (1), USD (1), 0 }, ES_TV, -1 },
    { { 50, NAN,  USD (1), USD (1), 0 }, ES_TV, -1 },
    { { 50, 0.5,  -1,      USD (1), 0 }, ES_TV, -1 },
    { { 50, 0.5,  USD (1), -1,      0 }, ES_TV, -1 },
    { { 50, 0.5,  INFINITY, USD (1), 0 }, ES_TV, -1 },
    { { 50, 0.5,  USD (1), NAN,     0 }, ES_TV, -1 },
    { { 50, 0.5,  USD (1), USD (1), 0 }, 0,     -1 },
    { { 50, 0.5,  USD (1), USD (1), 0 }, -5,    -1 },
    { { 50, 0.5,  USD (1), USD (1), 0 }, ES_TV, 100.5 },
    { { 50, 0.5,  USD (1), USD (1), 0 }, ES_TV, NAN },
  };
  EaKellyParams p;

  ea_kelly_params_init (&p);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      EaKellyResult r;

      g_assert_false (ea_kelly_compute (&p, &cases[i].in, cases[i].tv, cases[i].power, &r, &error));
      g_assert_error (error, EA_KELLY_ERROR, EA_KELLY_ERROR_INVALID);
    }

  {
    g_autoptr(GError) error = NULL;
    EaKellyInputs in = { 50, 0.5, USD (1), USD (1), 0 };
    EaKellyResult r;

    p.kelly_cap = 0.9;
    g_assert_false (ea_kelly_compute (&p, &in, ES_TV, -1, &r, &error));
    g_assert_error (error, EA_KELLY_ERROR, EA_KELLY_ERROR_INVALID);
  }
}

static void
test_contracts (void)
{
  g_autoptr(GError) error = NULL;
  /* $50,000 × 2 % = $1,000; ES stop 8 ticks = $100 + $4.30 fees = $104.30
   * → floor (1000 / 104.30) = 9. */
  const EaMicros r = 8 * ES_TV + 4300000;
  EaKellySizing s;

  g_assert_true (ea_kelly_contracts (USD (50000), 0.02, 8, ES_TV, 4300000, NULL, 0, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpint (s.risk_budget, ==, USD (1000));
  g_assert_cmpint (s.risk_per_contract, ==, r);
  g_assert_cmpint (s.kelly_contracts, ==, 9);
  g_assert_cmpint (s.contracts, ==, 9);
  g_assert_cmpstr (s.bound_by, ==, EA_KELLY_BOUND_BY_KELLY);
  g_assert_cmpint (s.bound_index, ==, -1);

  {
    /* $500 of daily loss left / $104.30 = 4: the tightest cap binds. */
    const EaSizeCap caps[] = {
      { "max contracts", 5 },
      { "daily loss", ea_kelly_cap_from_budget (USD (500), r) },
      { "trailing drawdown", 10 },
      { "margin", 4 },
    };

    g_assert_cmpint (caps[1].max_contracts, ==, 4);
    g_assert_true (ea_kelly_contracts (USD (50000), 0.02, 8, ES_TV, 4300000, caps, G_N_ELEMENTS (caps), &s, &error));
    g_assert_cmpint (s.kelly_contracts, ==, 9);
    g_assert_cmpint (s.contracts, ==, 4);
    g_assert_cmpstr (s.bound_by, ==, "daily loss");
    g_assert_cmpint (s.bound_index, ==, 1);
  }
  {
    /* A cap equal to the Kelly size does not bind; a negative one is 0. */
    const EaSizeCap equal[] = { { "max contracts", 9 } };
    const EaSizeCap negative[] = { { "max contracts", 9 }, { "daily loss", -3 } };

    g_assert_true (ea_kelly_contracts (USD (50000), 0.02, 8, ES_TV, 4300000, equal, 1, &s, &error));
    g_assert_cmpint (s.contracts, ==, 9);
    g_assert_cmpstr (s.bound_by, ==, "kelly");
    g_assert_true (ea_kelly_contracts (USD (50000), 0.02, 8, ES_TV, 4300000, negative, 2, &s, &error));
    g_assert_cmpint (s.contracts, ==, 0);
    g_assert_cmpstr (s.bound_by, ==, "daily loss");
  }

  /* No equity, no risk; a budget below one contract's risk is 0. */
  g_assert_true (ea_kelly_contracts (USD (-100), 0.02, 8, ES_TV, 0, NULL, 0, &s, &error));
  g_assert_cmpint (s.risk_budget, ==, 0);
  g_assert_cmpint (s.contracts, ==, 0);
  g_assert_true (ea_kelly_contracts (USD (5000), 0.02, 8, ES_TV, 4300000, NULL, 0, &s, &error));
  g_assert_cmpint (s.contracts, ==, 0);
  g_assert_true (ea_kelly_contracts (G_MAXINT64, 1.0, 1, 1, 0, NULL, 0, &s, &error));
  g_assert_cmpint (s.risk_budget, ==, G_MAXINT64);
  g_assert_no_error (error);

  g_assert_cmpint (ea_kelly_cap_from_budget (0, r), ==, 0);
  g_assert_cmpint (ea_kelly_cap_from_budget (-1, r), ==, 0);
  g_assert_cmpint (ea_kelly_cap_from_budget (3 * r - 1, r), ==, 2);
  g_assert_cmpint (ea_kelly_cap_from_budget (3 * r, r), ==, 3);
  g_assert_cmpint (ea_kelly_cap_from_budget (USD (1), 0), ==, 0);

  {
    static const struct { double f; EaTicks stop; EaMicros tv, fees; } bad[] = {
      { 1.5, 8, ES_TV, 0 },
      { -0.1, 8, ES_TV, 0 },
      { NAN, 8, ES_TV, 0 },
      { 0.02, 0, ES_TV, 0 },
      { 0.02, -8, ES_TV, 0 },
      { 0.02, 8, 0, 0 },
      { 0.02, 8, ES_TV, -1 },
      { 0.02, G_MAXINT64, ES_TV, 0 },
      { 0.02, 1, G_MAXINT64, 1 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) err = NULL;

        g_assert_false (ea_kelly_contracts (USD (50000), bad[i].f, bad[i].stop, bad[i].tv,
                                            bad[i].fees, NULL, 0, &s, &err));
        g_assert_error (err, EA_KELLY_ERROR, EA_KELLY_ERROR_INVALID);
      }
  }
}

static void
test_stop_target (void)
{
  static const struct { double atr; EaTicks stop, target; } cases[] = {
    { 4.0,  6, 8 },
    { 3.0,  5, 6 },   /* 4.5 → 5 */
    { 2.3,  4, 5 },   /* 3.45 → 4, 4.6 → 5 */
    { 0.4,  1, 1 },
    { 0.2,  1, 1 },   /* never below one tick */
    { 10.0, 15, 20 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      EaTicks stop = 0, target = 0;

      g_assert_true (ea_kelly_stop_target (cases[i].atr, &stop, &target));
      g_assert_cmpint (stop, ==, cases[i].stop);
      g_assert_cmpint (target, ==, cases[i].target);
    }
  g_assert_false (ea_kelly_stop_target (0.0, NULL, NULL));
  g_assert_false (ea_kelly_stop_target (-1.0, NULL, NULL));
  g_assert_false (ea_kelly_stop_target (NAN, NULL, NULL));
  g_assert_false (ea_kelly_stop_target (INFINITY, NULL, NULL));
}

static void
test_from_stats (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaStats) stats = ea_stats_new (EA_STATS_DEFAULT_LOOKBACK);
  EaStatsSummary summary;
  EaKellyInputs in;
  EaKellyParams params;
  EaKellyResult r;

  /* 30 trades: 18 wins of $200, then 9 losses of $100, then 3 more losses:
   * p = 0.6, W = 200, L = 100, b = 2, raw 0.4; 3+ losses in a row. */
  for (guint i = 0; i < 30; i++)
    {
      EaStatsTrade t = { i < 18 ? USD (200) : USD (-100), i, i / 5, 3 };

      g_assert_true (ea_stats_add (stats, &t, &error));
    }
  g_assert_true (ea_stats_get_window (stats, 3, &summary));
  ea_kelly_inputs_from_stats (&summary, &in);
  g_assert_cmpuint (in.n_trades, ==, 30);
  g_assert_cmpfloat_with_epsilon (in.win_rate, 0.6, 1e-12);
  g_assert_cmpfloat (in.avg_win, ==, 200e6);
  g_assert_cmpfloat (in.avg_loss, ==, 100e6);
  g_assert_cmpuint (in.consecutive_losses, ==, 12);

  ea_kelly_params_init (&params);
  g_assert_true (ea_kelly_compute (&params, &in, ES_TV, -1, &r, &error));
  g_assert_cmpfloat_with_epsilon (r.fraction, 0.4 * 0.5 * 0.5 * 0.7, 1e-12);
  g_assert_cmpstr (ea_kelly_hint_to_string (r.hint), ==, "");
  g_assert_cmpstr (ea_kelly_hint_to_string (EA_KELLY_HINT_REDUCE), ==, "reduce");
  g_assert_cmpstr (ea_kelly_hint_to_string (EA_KELLY_HINT_WEAK_EDGE), ==, "weak edge");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kelly/fraction-table", test_fraction_table);
  g_test_add_func ("/kelly/params", test_params);
  g_test_add_func ("/kelly/bad-inputs", test_bad_inputs);
  g_test_add_func ("/kelly/contracts", test_contracts);
  g_test_add_func ("/kelly/stop-target", test_stop_target);
  g_test_add_func ("/kelly/from-stats", test_from_stats);

  return g_test_run ();
}
