/* test-erm.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "ea-erm.h"

#define SEC(s) ((EaTimeUs) (s) * G_USEC_PER_SEC)

/* ES: 0.25 points per tick; the default ATR of 4 points is 16 ticks. */
static const EaInstrumentSpec es_spec = {
  .root = "ES", .tick_size = 0.25, .default_atr_points = 4.0,
};
static const EaInstrumentSpec cl_spec = {
  .root = "CL", .tick_size = 0.01, .default_atr_points = 0.8,
};

static EaErm *
new_erm (const EaErmConfig *config)
{
  g_autoptr(GError) error = NULL;
  EaErm *erm = ea_erm_new ("ES 1m", "ESZ6", config, &error);

  g_assert_no_error (error);
  g_assert_nonnull (erm);
  return erm;
}

static GArray *
new_alerts (void)
{
  return g_array_new (FALSE, FALSE, sizeof (EaErmAlert));
}

static void
test_config (void)
{
  static const struct {
    double   threshold;
    EaTimeUs lookback;
    EaTimeUs min_elapsed;
    guint    max_per_day;
    gboolean ok;
  } cases[] = {
    { 0.5,   SEC (60), SEC (30), 3,   TRUE },
    { 0.25,  SEC (60), SEC (30), 3,   TRUE },
    { 1.0,   SEC (60), SEC (30), 3,   TRUE },
    { 0.249, SEC (60), SEC (30), 3,   FALSE },
    { 1.001, SEC (60), SEC (30), 3,   FALSE },
    { NAN,   SEC (60), SEC (30), 3,   FALSE },
    { 0.5,   0,        SEC (30), 3,   FALSE },
    { 0.5,   -1,       SEC (30), 3,   FALSE },
    { 0.5,   SEC (86401), SEC (30), 3, FALSE },
    { 0.5,   SEC (60), 0,        3,   TRUE },
    { 0.5,   SEC (60), -1,       3,   FALSE },
    { 0.5,   SEC (60), SEC (30), 0,   TRUE },
    { 0.5,   SEC (60), SEC (30), 100, TRUE },
    { 0.5,   SEC (60), SEC (30), 101, FALSE },
  };
  EaErmConfig defaults;

  ea_erm_config_init (&defaults);
  g_assert_cmpfloat (defaults.erm_threshold, ==, 0.5);
  g_assert_cmpint (defaults.lookback, ==, SEC (60));
  g_assert_cmpint (defaults.min_elapsed, ==, SEC (30));
  g_assert_cmpuint (defaults.max_reversals_per_day, ==, 3);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      EaErmConfig config = { cases[i].threshold, cases[i].lookback,
                             cases[i].min_elapsed, cases[i].max_per_day };
      g_autoptr(GError) error = NULL;
      g_autoptr(EaErm) erm = ea_erm_new ("chart", "ES", &config, &error);

      g_assert_cmpint (ea_erm_config_validate (&config, NULL), ==, cases[i].ok);
      if (cases[i].ok)
        {
          g_assert_no_error (error);
          g_assert_cmpfloat (ea_erm_get_config (erm)->erm_threshold, ==, cases[i].threshold);
        }
      else
        {
          g_assert_error (error, EA_ERM_ERROR, EA_ERM_ERROR_INVALID_CONFIG);
          g_assert_null (erm);
        }
    }
}

static void
test_names (void)
{
  g_autofree char *long_name = g_strnfill (EA_ERM_NAME_MAX, 'x');
  g_autofree char *max_name = g_strnfill (EA_ERM_NAME_MAX - 1, 'y');
  const char *bad[] = { NULL, "", long_name, "\xff\xfe" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EaErm) erm = ea_erm_new (bad[i], "ES", NULL, &error);

      g_assert_null (erm);
      g_assert_error (error, EA_ERM_ERROR, EA_ERM_ERROR_INVALID_NAME);
      g_clear_error (&error);
      erm = ea_erm_new ("chart", bad[i], NULL, &error);
      g_assert_null (erm);
      g_assert_error (error, EA_ERM_ERROR, EA_ERM_ERROR_INVALID_NAME);
    }
  {
    g_autoptr(EaErm) erm = ea_erm_new (max_name, max_name, NULL, NULL);
    g_autoptr(GArray) alerts = new_alerts ();
    const EaErmAlert *a;

    g_assert_nonnull (erm);
    ea_erm_add_signal (erm, EA_SIDE_BUY, 100, 0);
    g_assert_cmpuint (ea_erm_update (erm, SEC (30), 90, 10, alerts), ==, 1);
    a = &g_array_index (alerts, EaErmAlert, 0);
    g_assert_cmpstr (a->chart, ==, max_name);
    g_assert_cmpstr (a->instrument, ==, max_name);
  }
}

static void
test_default_atr (void)
{
  g_assert_cmpfloat (ea_erm_default_atr_ticks (&es_spec), ==, 16.0);
  g_assert_cmpfloat (fabs (ea_erm_default_atr_ticks (&cl_spec) - 80.0), <, 1e-9);
}

/* DOMAIN §4 worked through on ES with the default ATR (16 ticks). */
static void
test_long_signal_fires (void)
{
  g_autoptr(EaErm) erm = new_erm (NULL);
  g_autoptr(GArray) alerts = new_alerts ();
  double atr = ea_erm_default_atr_ticks (&es_spec);
  const EaErmAlert *a;
  guint id;

  ea_erm_set_trading_day (erm, 20261124);
  ea_erm_update (erm, SEC (1000), 20000, atr, alerts);
  id = ea_erm_add_signal (erm, EA_SIDE_BUY, 20000, SEC (1000));
  g_assert_cmpuint (id, !=, 0);
  g_assert_true (ea_erm_signal_is_active (erm, id));

  /* 10 ticks against (erm 0.625) but only 20 s elapsed: nothing. */
  g_assert_cmpuint (ea_erm_update (erm, SEC (1010), 19995, atr, alerts), ==, 0);
  g_assert_cmpuint (ea_erm_update (erm, SEC (1020), 19990, atr, alerts), ==, 0);
  /* 29.999999 s: still nothing. */
  g_assert_cmpuint (ea_erm_update (erm, SEC (1030) - 1, 19990, atr, alerts), ==, 0);
  /* 30 s: erm = 10/16 = 0.625 >= 0.5; Pn = the price at or before
   * t - 60 s = 970 s: none, so E; momentum = (20000 - 19990)/16 > 0. */
  g_assert_cmpuint (ea_erm_update (erm, SEC (1030), 19990, atr, alerts), ==, 1);
  g_assert_cmpuint (alerts->len, ==, 1);
  a = &g_array_index (alerts, EaErmAlert, 0);
  g_assert_cmpint (a->time, ==, SEC (1030));
  g_assert_cmpstr (a->chart, ==, "ES 1m");
  g_assert_cmpstr (a->instrument, ==, "ESZ6");
  g_assert_cmpuint (a->signal_id, ==, id);
  g_assert_cmpfloat (a->erm, ==, 0.625);
  g_assert_cmpfloat (a->threshold, ==, 0.5);
  g_assert_cmpfloat (a->momentum, ==, 0.625);
  g_assert_cmpint (a->distance, ==, 10);
  g_assert_cmpint (a->entry, ==, 20000);
  g_assert_cmpint (a->price, ==, 19990);
  g_assert_cmpint (a->lookback_price, ==, 20000);
  g_assert_cmpfloat (a->atr, ==, 16.0);
  g_assert_cmpint (a->elapsed, ==, SEC (30));
  g_assert_cmpint (a->signal_direction, ==, EA_SIDE_BUY);
  g_assert_cmpint (a->direction, ==, EA_SIDE_SELL);

  /* Once per signal: the signal is no longer watched. */
  g_assert_false (ea_erm_signal_is_active (erm, id));
  g_assert_cmpuint (ea_erm_n_active (erm), ==, 0);
  g_assert_cmpuint (ea_erm_update (erm, SEC (1040), 19900, atr, alerts), ==, 0);
  g_assert_cmpuint (ea_erm_get_reversals_today (erm), ==, 1);
}

static void
test_lookback_price (void)
{
  g_autoptr(EaErm) erm = new_erm (NULL);

  ea_erm_update (erm, 0, 20000, 16, NULL);
  ea_erm_update (erm, SEC (10), 19990, 16, NULL);
  /* Pn for t is the last price at or before t - 60 s, else the fallback. */
  g_assert_cmpint (ea_erm_lookback_price (erm, SEC (59), 1), ==, 1);
  g_assert_cmpint (ea_erm_lookback_price (erm, SEC (60), 1), ==, 20000);
  g_assert_cmpint (ea_erm_lookback_price (erm, SEC (65), 1), ==, 20000);
  g_assert_cmpint (ea_erm_lookback_price (erm, SEC (70) - 1, 1), ==, 20000);
  g_assert_cmpint (ea_erm_lookback_price (erm, SEC (70), 1), ==, 19990);
  g_assert_cmpint (ea_erm_lookback_price (erm, SEC (7000), 1), ==, 19990);
}

static void
test_stalled_move_does_not_fire (void)
{
  g_autoptr(EaErm) erm = new_erm (NULL);
  g_autoptr(GArray) alerts = new_alerts ();

  ea_erm_update (erm, 0, 20000, 16, alerts);
  ea_erm_update (erm, SEC (10), 19990, 16, alerts);
  /* The signal arrives late, after the drop: elapsed reaches 30 s at
   * 80 s, when Pn (price at 20 s) = 19990 = P: momentum 0, no alert. */
  ea_erm_add_signal (erm, EA_SIDE_BUY, 20000, SEC (50));
  g_assert_cmpuint (ea_erm_update (erm, SEC (80), 19990, 16, alerts), ==, 0);
  g_assert_cmpuint (ea_erm_n_active (erm), ==, 1);
  /* One more tick down: Pn = 19990, momentum 1/16 > 0, erm 11/16. */
  g_assert_cmpuint (ea_erm_update (erm, SEC (81), 19989, 16, alerts), ==, 1);
  g_assert_cmpfloat (g_array_index (alerts, EaErmAlert, 0).momentum, ==, 1.0 / 16);
  g_assert_cmpfloat (g_array_index (alerts, EaErmAlert, 0).erm, ==, 11.0 / 16);
  g_assert_cmpint (g_array_index (alerts, EaErmAlert, 0).lookback_price, ==, 19990);
}

static void
test_short_signal_threshold (void)
{
  g_autoptr(EaErm) erm = new_erm (NULL);
  g_autoptr(GArray) alerts = new_alerts ();
  const EaErmAlert *a;

  ea_erm_add_signal (erm, EA_SIDE_SELL, 20000, 0);
  /* Price up is against a short: 7/16 = 0.4375 < 0.5. */
  g_assert_cmpuint (ea_erm_update (erm, SEC (31), 20007, 16, alerts), ==, 0);
  /* Price down is in favour: negative erm. */
  g_assert_cmpuint (ea_erm_update (erm, SEC (32), 19900, 16, alerts), ==, 0);
  /* Exactly at the threshold: 8/16 = 0.5 fires. */
  g_assert_cmpuint (ea_erm_update (erm, SEC (33), 20008, 16, alerts), ==, 1);
  a = &g_array_index (alerts, EaErmAlert, 0);
  g_assert_cmpfloat (a->erm, ==, 0.5);
  g_assert_cmpint (a->distance, ==, -8);
  g_assert_cmpfloat (a->momentum, ==, 0.5);
  g_assert_cmpint (a->signal_direction, ==, EA_SIDE_SELL);
  g_assert_cmpint (a->direction, ==, EA_SIDE_BUY);
}

static void
test_custom_threshold (void)
{
  EaErmConfig config;
  g_autoptr(EaErm) erm = NULL;
  g_autoptr(GArray) alerts = new_alerts ();

  ea_erm_config_init (&config);
  config.erm_threshold = 1.0;
  config.min_elapsed = 0;
  erm = new_erm (&config);
  ea_erm_add_signal (erm, EA_SIDE_BUY, 100, 0);
  g_assert_cmpuint (ea_erm_update (erm, 0, 85, 16, alerts), ==, 0);
  g_assert_cmpuint (ea_erm_update (erm, 1, 84, 16, alerts), ==, 1);
}

static void
test_daily_cap (void)
{
  g_autoptr(EaErm) erm = new_erm (NULL);
  g_autoptr(GArray) alerts = new_alerts ();
  guint ids[5];

  ea_erm_set_trading_day (erm, 20261124);
  for (guint i = 0; i < 5; i++)
    ids[i] = ea_erm_add_signal (erm, EA_SIDE_BUY, 20000, 0);
  g_assert_cmpuint (ea_erm_n_active (erm), ==, 5);

  g_assert_cmpuint (ea_erm_update (erm, SEC (40), 19980, 16, alerts), ==, 3);
  g_assert_cmpuint (ea_erm_get_reversals_today (erm), ==, 3);
  g_assert_cmpuint (ea_erm_get_suppressed_today (erm), ==, 2);
  /* The oldest signals fired; the others stay active. */
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (g_array_index (alerts, EaErmAlert, i).signal_id, ==, ids[i]);
      g_assert_false (ea_erm_signal_is_active (erm, ids[i]));
    }
  g_assert_true (ea_erm_signal_is_active (erm, ids[3]));
  g_assert_true (ea_erm_signal_is_active (erm, ids[4]));

  /* Still capped: counted once per signal. */
  g_assert_cmpuint (ea_erm_update (erm, SEC (41), 19979, 16, alerts), ==, 0);
  g_assert_cmpuint (ea_erm_get_suppressed_today (erm), ==, 2);

  /* The same day again changes nothing; a new day resets the count. */
  ea_erm_set_trading_day (erm, 20261124);
  g_assert_cmpuint (ea_erm_update (erm, SEC (42), 19978, 16, alerts), ==, 0);
  ea_erm_set_trading_day (erm, 20261125);
  g_assert_cmpuint (ea_erm_get_reversals_today (erm), ==, 0);
  g_assert_cmpuint (ea_erm_get_suppressed_today (erm), ==, 0);
  g_assert_cmpuint (ea_erm_update (erm, SEC (43), 19977, 16, alerts), ==, 2);
  g_assert_cmpuint (ea_erm_get_reversals_today (erm), ==, 2);
  g_assert_cmpuint (alerts->len, ==, 5);

  /* A cap of 0 disables alerts. */
  {
    EaErmConfig config;
    g_autoptr(EaErm) off = NULL;

    ea_erm_config_init (&config);
    config.max_reversals_per_day = 0;
    off = new_erm (&config);
    ea_erm_add_signal (off, EA_SIDE_BUY, 20000, 0);
    g_assert_cmpuint (ea_erm_update (off, SEC (40), 19900, 16, NULL), ==, 0);
    g_assert_cmpuint (ea_erm_get_suppressed_today (off), ==, 1);
  }
}

static void
test_bad_atr (void)
{
  const double bad[] = { 0.0, -16.0, NAN, INFINITY, -INFINITY };
  g_autoptr(EaErm) erm = new_erm (NULL);
  g_autoptr(GArray) alerts = new_alerts ();

  ea_erm_add_signal (erm, EA_SIDE_BUY, 20000, 0);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_cmpuint (ea_erm_update (erm, SEC (40 + i), 19000, bad[i], alerts), ==, 0);
  g_assert_cmpuint (alerts->len, ==, 0);
  g_assert_cmpuint (ea_erm_n_active (erm), ==, 1);
  /* The prices were still recorded, and a valid ATR fires. */
  g_assert_cmpuint (ea_erm_update (erm, SEC (50), 18999, 16, alerts), ==, 1);
}

static void
test_negative_prices (void)
{
  /* CL in ticks of 0.01: entry -30.00, price -31.00, ATR 0.80. */
  g_autoptr(EaErm) erm = ea_erm_new ("CL 1m", "CLK0", NULL, NULL);
  g_autoptr(GArray) alerts = new_alerts ();
  double atr = ea_erm_default_atr_ticks (&cl_spec);
  const EaErmAlert *a;

  ea_erm_update (erm, 0, -3000, atr, alerts);
  ea_erm_add_signal (erm, EA_SIDE_BUY, -3000, 0);
  g_assert_cmpuint (ea_erm_update (erm, SEC (61), -3100, atr, alerts), ==, 1);
  a = &g_array_index (alerts, EaErmAlert, 0);
  g_assert_cmpfloat (fabs (a->erm - 1.25), <, 1e-12);
  g_assert_cmpint (a->distance, ==, 100);
  g_assert_cmpint (a->lookback_price, ==, -3000);
}

static void
test_time_backwards (void)
{
  g_autoptr(EaErm) erm = new_erm (NULL);
  g_autoptr(GArray) alerts = new_alerts ();

  ea_erm_add_signal (erm, EA_SIDE_BUY, 20000, 0);
  ea_erm_update (erm, SEC (20), 20000, 16, alerts);
  /* Stamped at 5 s but counted at 20 s: elapsed 20 s < 30 s. */
  g_assert_cmpuint (ea_erm_update (erm, SEC (5), 19000, 16, alerts), ==, 0);
  /* Stamped at 10 s after 40 s: counts as 40 s and fires. */
  ea_erm_update (erm, SEC (40), 19999, 16, alerts);
  g_assert_cmpuint (ea_erm_update (erm, SEC (10), 19000, 16, alerts), ==, 1);
  g_assert_cmpint (g_array_index (alerts, EaErmAlert, 0).time, ==, SEC (40));
  g_assert_cmpint (g_array_index (alerts, EaErmAlert, 0).elapsed, ==, SEC (40));
}

static void
test_remove_signal (void)
{
  g_autoptr(EaErm) erm = new_erm (NULL);
  guint a = ea_erm_add_signal (erm, EA_SIDE_BUY, 20000, 0);
  guint b = ea_erm_add_signal (erm, EA_SIDE_SELL, 20000, 0);

  g_assert_cmpuint (a, !=, b);
  g_assert_true (ea_erm_remove_signal (erm, a));
  g_assert_false (ea_erm_remove_signal (erm, a));
  g_assert_false (ea_erm_remove_signal (erm, 0));
  g_assert_cmpuint (ea_erm_n_active (erm), ==, 1);
  /* The removed long would fire here; the remaining short does not. */
  g_assert_cmpuint (ea_erm_update (erm, SEC (40), 19000, 16, NULL), ==, 0);
  g_assert_true (ea_erm_signal_is_active (erm, b));
}

/* Pn against a naive search over the full history, over a long random
 * stream that exercises pruning and compaction. */
static void
test_lookback_history (void)
{
  const guint n = 200000;
  EaErmConfig config;
  g_autoptr(EaErm) erm = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (31337);
  g_autofree EaTimeUs *times = g_new (EaTimeUs, n);
  g_autofree EaTicks *prices = g_new (EaTicks, n);
  EaTimeUs t = 0;
  EaTicks p = 0;
  guint j = 0;

  ea_erm_config_init (&config);
  config.lookback = SEC (5);
  erm = new_erm (&config);

  for (guint i = 0; i < n; i++)
    {
      EaTimeUs cutoff;
      EaTicks want;

      t += g_rand_int_range (rand, 0, 3) == 0 ? 0 : g_rand_int_range (rand, 1, 200000);
      if (g_rand_int_range (rand, 0, 3) == 0)
        p += g_rand_int_range (rand, -2, 3);
      times[i] = t;
      prices[i] = p;
      ea_erm_update (erm, t, p, 16, NULL);

      /* Naive: the last update at or before t - lookback. */
      cutoff = t - config.lookback;
      while (j < i && times[j + 1] <= cutoff)
        j++;
      want = times[j] <= cutoff ? prices[j] : G_MININT64;
      g_assert_cmpint (ea_erm_lookback_price (erm, t, G_MININT64), ==, want);
    }
}

/* A configuration change mid-stream keeps the watched signals and the
 * day's count; an invalid one changes nothing. */
static void
test_set_config (void)
{
  g_autoptr(EaErm) erm = new_erm (NULL);
  g_autoptr(GArray) alerts = new_alerts ();
  g_autoptr(GError) error = NULL;
  EaErmConfig config;
  guint a, b, c;

  ea_erm_set_trading_day (erm, 20261124);
  a = ea_erm_add_signal (erm, EA_SIDE_BUY, 20000, 0);
  b = ea_erm_add_signal (erm, EA_SIDE_BUY, 20000, 0);

  /* 5 ticks against with ATR 16: 0.3125 < 0.5, nothing fires. */
  g_assert_cmpuint (ea_erm_update (erm, SEC (40), 19995, 16, alerts), ==, 0);
  g_assert_cmpuint (ea_erm_n_active (erm), ==, 2);

  /* An invalid configuration is refused and changes nothing. */
  ea_erm_config_init (&config);
  config.erm_threshold = 2.0;
  g_assert_false (ea_erm_set_config (erm, &config, &error));
  g_assert_error (error, EA_ERM_ERROR, EA_ERM_ERROR_INVALID_CONFIG);
  g_clear_error (&error);
  g_assert_cmpfloat (ea_erm_get_config (erm)->erm_threshold, ==, EA_ERM_DEFAULT_THRESHOLD);
  g_assert_cmpuint (ea_erm_update (erm, SEC (41), 19995, 16, alerts), ==, 0);

  /* Lowered to 0.25 with a cap of 3: both watched signals fire at the
   * same move, with the new threshold in their alerts. */
  ea_erm_config_init (&config);
  config.erm_threshold = 0.25;
  g_assert_true (ea_erm_set_config (erm, &config, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (ea_erm_get_config (erm)->erm_threshold, ==, 0.25);
  g_assert_cmpuint (ea_erm_update (erm, SEC (42), 19994, 16, alerts), ==, 2);
  g_assert_cmpuint (g_array_index (alerts, EaErmAlert, 0).signal_id, ==, a);
  g_assert_cmpuint (g_array_index (alerts, EaErmAlert, 1).signal_id, ==, b);
  g_assert_cmpfloat (g_array_index (alerts, EaErmAlert, 0).threshold, ==, 0.25);
  g_assert_cmpuint (ea_erm_get_reversals_today (erm), ==, 2);

  /* Cap lowered to the day's count: the count carries on, so the next
   * signal is suppressed instead of firing. */
  config.max_reversals_per_day = 2;
  g_assert_true (ea_erm_set_config (erm, &config, NULL));
  c = ea_erm_add_signal (erm, EA_SIDE_BUY, 20000, SEC (42));
  g_assert_cmpuint (ea_erm_update (erm, SEC (80), 19990, 16, alerts), ==, 0);
  g_assert_true (ea_erm_signal_is_active (erm, c));
  g_assert_cmpuint (ea_erm_get_suppressed_today (erm), ==, 1);
  g_assert_cmpuint (ea_erm_get_reversals_today (erm), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/erm/config", test_config);
  g_test_add_func ("/erm/names", test_names);
  g_test_add_func ("/erm/default-atr", test_default_atr);
  g_test_add_func ("/erm/long-fires", test_long_signal_fires);
  g_test_add_func ("/erm/lookback-price", test_lookback_price);
  g_test_add_func ("/erm/stalled-move", test_stalled_move_does_not_fire);
  g_test_add_func ("/erm/short-threshold", test_short_signal_threshold);
  g_test_add_func ("/erm/custom-threshold", test_custom_threshold);
  g_test_add_func ("/erm/daily-cap", test_daily_cap);
  g_test_add_func ("/erm/bad-atr", test_bad_atr);
  g_test_add_func ("/erm/negative-prices", test_negative_prices);
  g_test_add_func ("/erm/time-backwards", test_time_backwards);
  g_test_add_func ("/erm/remove-signal", test_remove_signal);
  g_test_add_func ("/erm/lookback-history", test_lookback_history);
  g_test_add_func ("/erm/set-config", test_set_config);

  return g_test_run ();
}
