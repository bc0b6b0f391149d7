/* test-instrument.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "ea-instrument.h"

static void
test_instrument_table (void)
{
  static const struct {
    const char *root;
    const char *exchange;
    const char *family;
    guint micro_ratio;
    double tick_size;
    EaMicros tick_value;
    EaMicros point_value;     /* $/point from DOMAIN §2 */
    const char *months;
    EaMicros day_margin;
    double atr;
  } cases[] = {
    { "ES",  "CME",   "ES",  1,  0.25,      12500000, 50000000,   "HMUZ",         500000000, 4 },
    { "MES", "CME",   "ES",  10, 0.25,      1250000,  5000000,    "HMUZ",         50000000,  4 },
    { "NQ",  "CME",   "NQ",  1,  0.25,      5000000,  20000000,   "HMUZ",         500000000, 15 },
    { "MNQ", "CME",   "NQ",  10, 0.25,      500000,   2000000,    "HMUZ",         50000000,  15 },
    { "YM",  "CBOT",  "YM",  1,  1.0,       5000000,  5000000,    "HMUZ",         500000000, 40 },
    { "MYM", "CBOT",  "YM",  10, 1.0,       500000,   500000,     "HMUZ",         50000000,  40 },
    { "RTY", "CME",   "RTY", 1,  0.1,       5000000,  50000000,   "HMUZ",         500000000, 8 },
    { "M2K", "CME",   "RTY", 10, 0.1,       500000,   5000000,    "HMUZ",         50000000,  8 },
    { "CL",  "NYMEX", "CL",  1,  0.01,      10000000, 1000000000, "FGHJKMNQUVXZ", 500000000, 0.8 },
    { "MCL", "NYMEX", "CL",  10, 0.01,      1000000,  100000000,  "FGHJKMNQUVXZ", 50000000,  0.8 },
    { "GC",  "COMEX", "GC",  1,  0.1,       10000000, 100000000,  "GJMQVZ",       500000000, 10 },
    { "MGC", "COMEX", "GC",  10, 0.1,       1000000,  10000000,   "GJMQVZ",       50000000,  10 },
    { "6E",  "CME",   "6E",  1,  0.00005,   6250000,  125000000000, "HMUZ",       500000000, 0.0008 },
    { "ZB",  "CBOT",  "ZB",  1,  1.0 / 32,  31250000, 1000000000, "HMUZ",         500000000, 0.5 },
    { "ZN",  "CBOT",  "ZN",  1,  1.0 / 64,  15625000, 1000000000, "HMUZ",         500000000, 0.25 },
  };
  const EaInstrumentSpec *all;
  guint n = 0;

  all = ea_instrument_all (&n);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (cases));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const EaInstrumentSpec *spec = ea_instrument_lookup (cases[i].root);

      g_test_message ("%s", cases[i].root);
      g_assert_nonnull (spec);
      g_assert_true (spec == &all[i]);
      g_assert_cmpstr (spec->root, ==, cases[i].root);
      g_assert_cmpstr (spec->exchange, ==, cases[i].exchange);
      g_assert_cmpstr (spec->family, ==, cases[i].family);
      g_assert_nonnull (spec->description);
      g_assert_cmpuint (spec->micro_ratio, ==, cases[i].micro_ratio);
      g_assert_cmpfloat (spec->tick_size, ==, cases[i].tick_size);
      g_assert_cmpint (spec->tick_value, ==, cases[i].tick_value);
      g_assert_cmpstr (spec->months, ==, cases[i].months);
      g_assert_cmpint (spec->day_margin, ==, cases[i].day_margin);
      g_assert_cmpfloat (spec->default_atr_points, ==, cases[i].atr);

      /* One point is 1 / tick size ticks, worth the $/point of DOMAIN §2. */
      g_assert_cmpint (ea_instrument_ticks_value (spec, ea_instrument_price_to_ticks (spec, 1.0), 1),
                       ==, cases[i].point_value);
    }

  g_assert_null (ea_instrument_lookup ("es"));
  g_assert_null (ea_instrument_lookup ("ESZ6"));
  g_assert_null (ea_instrument_lookup (""));
  g_assert_null (ea_instrument_lookup ("M"));
  g_assert_null (ea_instrument_lookup (NULL));
  g_assert_null (ea_instrument_lookup ("ZF"));
}

static void
test_instrument_price_ticks (void)
{
  static const struct {
    const char *root;
    double price;
    EaTicks ticks;
  } cases[] = {
    { "ES",  5001.25,    20005 },
    { "ES",  5001.125,   20005 }, /* half a tick: away from zero */
    { "ES",  5001.12,    20004 },
    { "ES",  0.0,        0 },
    { "ES",  -0.25,      -1 },
    { "ES",  -0.125,     -1 },
    { "YM",  39123.0,    39123 },
    { "YM",  39123.4,    39123 },
    { "RTY", 2101.3,     21013 },
    { "RTY", 0.3,        3 },
    { "CL",  71.07,      7107 },
    { "CL",  -37.63,     -3763 },
    { "CL",  0.29,       29 },
    { "GC",  2345.7,     23457 },
    { "6E",  1.08505,    21701 },
    { "6E",  1.1,        22000 },
    { "6E",  0.00005,    1 },
    { "6E",  1.085049,   21701 },
    { "ZB",  110.5,      3536 },
    { "ZB",  118.03125,  3777 },
    { "ZN",  110.0 + 16.5 / 32, 7073 },
    { "ZN",  110.515625, 7073 },
    { "ZN",  0.015625,   1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const EaInstrumentSpec *spec = ea_instrument_lookup (cases[i].root);

      g_test_message ("%s %.10g", cases[i].root, cases[i].price);
      g_assert_cmpint (ea_instrument_price_to_ticks (spec, cases[i].price), ==, cases[i].ticks);
    }

  /* Non-finite input never produces undefined conversions. */
  {
    const EaInstrumentSpec *es = ea_instrument_lookup ("ES");

    g_assert_cmpint (ea_instrument_price_to_ticks (es, NAN), ==, 0);
    g_assert_cmpint (ea_instrument_price_to_ticks (es, INFINITY), >, 0);
    g_assert_cmpint (ea_instrument_price_to_ticks (es, -INFINITY), <, 0);
    g_assert_cmpint (ea_instrument_price_to_ticks (es, 1e300), >, 0);
  }
}

/* Every tick count of every root survives ticks -> price -> ticks. */
static void
test_instrument_ticks_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261124);
  const EaInstrumentSpec *all;
  guint n = 0;

  all = ea_instrument_all (&n);
  for (guint i = 0; i < n; i++)
    {
      for (guint k = 0; k < 20000; k++)
        {
          EaTicks ticks = (EaTicks) g_rand_int_range (rand, -2000000000, 2000000000);
          double price = ea_instrument_ticks_to_price (&all[i], ticks);

          g_assert_cmpint (ea_instrument_price_to_ticks (&all[i], price), ==, ticks);
          g_assert_cmpfloat_with_epsilon (price, ticks * all[i].tick_size,
                                          fabs (price) * 1e-12 + 1e-12);
        }
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/instrument/table", test_instrument_table);
  g_test_add_func ("/instrument/price-ticks", test_instrument_price_ticks);
  g_test_add_func ("/instrument/ticks-round-trip", test_instrument_ticks_round_trip);

  return g_test_run ();
}
