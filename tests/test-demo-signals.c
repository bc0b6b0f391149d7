/* test-demo-signals.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Demo signal source against hand-computed EMA crossovers.
 */
#include "config.h"

#include "ea-demo-signals.h"

static void
test_bad_arguments (void)
{
  g_assert_null (ea_demo_signals_new (0, 4, G_USEC_PER_SEC));
  g_assert_null (ea_demo_signals_new (4, 4, G_USEC_PER_SEC));
  g_assert_null (ea_demo_signals_new (5, 4, G_USEC_PER_SEC));
  g_assert_null (ea_demo_signals_new (2, 4, 0));
}

static void
test_power (void)
{
  g_assert_cmpuint (ea_demo_signals_power (100, 100, 8), ==, 40);
  g_assert_cmpuint (ea_demo_signals_power (20, 14, 8), ==, 85);     /* 40 + 60 × 0.75 */
  g_assert_cmpuint (ea_demo_signals_power (0, 100, 8), ==, 100);    /* saturates */
  g_assert_cmpuint (ea_demo_signals_power (10.5, 10, 0), ==, 70);   /* ATR floor 1 tick */
}

/* fast 2 (α = 2/3), slow 4 (α = 2/5); five flat bars of range 8 at 10,
 * then a bar closing at 20 (range 8): fast 16.667, slow 14 → BUY,
 * ATR 8, power 40 + 60 × 6/8 = 85. Then a bar closing at 10 (range 4):
 * fast 12.222, slow 12.4 → SELL, ATR 52/7, power
 * round (40 + 60 × 2.4 / 7.4286) = 59. */
static void
test_crossovers (void)
{
  g_autoptr(EaDemoSignals) ds = ea_demo_signals_new (2, 4, G_USEC_PER_SEC);
  EaDemoSignal s = { 0 };

  for (int i = 0; i < 5; i++)
    g_assert_false (ea_demo_signals_add_bar (ds, i + 1, 14, 6, 10, &s));

  g_assert_true (ea_demo_signals_add_bar (ds, 6, 20, 12, 20, &s));
  g_assert_cmpint (s.direction, ==, EA_SIDE_BUY);
  g_assert_cmpint (s.entry, ==, 20);
  g_assert_cmpint (s.time, ==, 6);
  g_assert_cmpfloat_with_epsilon (s.fast, 50.0 / 3.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (s.slow, 14.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (s.atr, 8.0, 1e-9);
  g_assert_cmpuint (s.power_score, ==, 85);

  g_assert_true (ea_demo_signals_add_bar (ds, 7, 12, 8, 10, &s));
  g_assert_cmpint (s.direction, ==, EA_SIDE_SELL);
  g_assert_cmpfloat_with_epsilon (s.fast, 110.0 / 9.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (s.slow, 12.4, 1e-9);
  g_assert_cmpfloat_with_epsilon (s.atr, 52.0 / 7.0, 1e-9);
  g_assert_cmpuint (s.power_score, ==, 59);

  /* Still below: no new crossing. */
  g_assert_false (ea_demo_signals_add_bar (ds, 8, 10, 8, 9, &s));
  g_assert_cmpuint (ea_demo_signals_get_n_bars (ds), ==, 8);
}

/* A crossing before `slow` bars have closed is not a signal. */
static void
test_warm_up (void)
{
  g_autoptr(EaDemoSignals) ds = ea_demo_signals_new (2, 4, G_USEC_PER_SEC);
  EaDemoSignal s = { 0 };

  g_assert_false (ea_demo_signals_add_bar (ds, 1, 10, 10, 10, &s));
  g_assert_false (ea_demo_signals_add_bar (ds, 2, 20, 20, 20, &s));  /* would cross */
  g_assert_false (ea_demo_signals_add_bar (ds, 3, 5, 5, 5, &s));     /* would cross back */
}

/* Prices become one-second bars; the bar closes on the first price of
 * the next second and carries its high, low and close. */
static void
test_prices_to_bars (void)
{
  g_autoptr(EaDemoSignals) ds = ea_demo_signals_new (2, 4, G_USEC_PER_SEC);
  EaDemoSignal s = { 0 };
  EaTimeUs t0 = 1000 * G_USEC_PER_SEC;
  int i;

  /* Five seconds around 10, range 8 each. */
  for (i = 0; i < 5; i++)
    {
      EaTimeUs t = t0 + i * G_USEC_PER_SEC;
      g_assert_false (ea_demo_signals_add_price (ds, t + 100000, 14, &s));
      g_assert_false (ea_demo_signals_add_price (ds, t + 500000, 6, &s));
      g_assert_false (ea_demo_signals_add_price (ds, t + 900000, 10, &s));
    }
  g_assert_cmpuint (ea_demo_signals_get_n_bars (ds), ==, 4);

  /* An old price is ignored. */
  g_assert_false (ea_demo_signals_add_price (ds, t0, 1000, &s));

  /* Sixth second: 12 … 20. */
  g_assert_false (ea_demo_signals_add_price (ds, t0 + 5 * G_USEC_PER_SEC + 10, 12, &s));
  g_assert_cmpuint (ea_demo_signals_get_n_bars (ds), ==, 5);
  g_assert_false (ea_demo_signals_add_price (ds, t0 + 5 * G_USEC_PER_SEC + 20, 20, &s));

  /* The next second's first price closes it: the BUY above. */
  g_assert_true (ea_demo_signals_add_price (ds, t0 + 6 * G_USEC_PER_SEC, 19, &s));
  g_assert_cmpint (s.direction, ==, EA_SIDE_BUY);
  g_assert_cmpint (s.time, ==, t0 + 6 * G_USEC_PER_SEC);
  g_assert_cmpint (s.entry, ==, 20);
  g_assert_cmpuint (s.power_score, ==, 85);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo-signals/bad-arguments", test_bad_arguments);
  g_test_add_func ("/demo-signals/power", test_power);
  g_test_add_func ("/demo-signals/crossovers", test_crossovers);
  g_test_add_func ("/demo-signals/warm-up", test_warm_up);
  g_test_add_func ("/demo-signals/prices-to-bars", test_prices_to_bars);

  return g_test_run ();
}
