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
      g_assert_cmpint (ea_instrument_point_value (spec), ==, cases[i].point_value);
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

static void
test_instrument_format_price (void)
{
  static const struct {
    const char *root;
    EaTicks ticks;
    const char *display;
    const char *decimal;
  } cases[] = {
    { "ES",  20005,   "5001.25",   "5001.25" },
    { "ES",  0,       "0.00",      "0.00" },
    { "ES",  -1,      "-0.25",     "-0.25" },
    { "ES",  -20006,  "-5001.50",  "-5001.50" },
    { "MNQ", 84003,   "21000.75",  "21000.75" },
    { "YM",  39123,   "39123",     "39123" },
    { "RTY", 21013,   "2101.3",    "2101.3" },
    { "M2K", 3,       "0.3",       "0.3" },
    { "CL",  7107,    "71.07",     "71.07" },
    { "MCL", -3763,   "-37.63",    "-37.63" },
    { "CL",  5,       "0.05",      "0.05" },
    { "GC",  23457,   "2345.7",    "2345.7" },
    { "6E",  21701,   "1.08505",   "1.08505" },
    { "6E",  22000,   "1.10000",   "1.10000" },
    { "6E",  1,       "0.00005",   "0.00005" },
    { "ZB",  110 * 32 + 16, "110-16",  "110.50000" },
    { "ZB",  110 * 32,      "110-00",  "110.00000" },
    { "ZB",  118 * 32 + 1,  "118-01",  "118.03125" },
    { "ZB",  118 * 32 + 31, "118-31",  "118.96875" },
    { "ZN",  110 * 64 + 33, "110-165", "110.515625" },
    { "ZN",  110 * 64 + 32, "110-160", "110.500000" },
    { "ZN",  110 * 64 + 1,  "110-005", "110.015625" },
    { "ZN",  110 * 64 + 63, "110-315", "110.984375" },
    { "ZN",  -(110 * 64 + 33), "-110-165", "-110.515625" },
    { "ZN",  0,             "0-000",   "0.000000" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const EaInstrumentSpec *spec = ea_instrument_lookup (cases[i].root);
      g_autofree char *display = ea_instrument_format_price (spec, cases[i].ticks);
      g_autofree char *decimal = ea_instrument_format_price_decimal (spec, cases[i].ticks);
      EaTicks back = 0;
      g_autoptr(GError) error = NULL;

      g_assert_cmpstr (display, ==, cases[i].display);
      g_assert_cmpstr (decimal, ==, cases[i].decimal);
      g_assert_true (ea_instrument_parse_price (spec, display, &back, &error));
      g_assert_no_error (error);
      g_assert_cmpint (back, ==, cases[i].ticks);
      g_assert_true (ea_instrument_parse_price (spec, decimal, &back, &error));
      g_assert_no_error (error);
      g_assert_cmpint (back, ==, cases[i].ticks);
    }

  g_assert_cmpuint (ea_instrument_price_decimals (ea_instrument_lookup ("ZN")), ==, 6);
  g_assert_cmpuint (ea_instrument_price_decimals (ea_instrument_lookup ("ZB")), ==, 5);
  g_assert_cmpuint (ea_instrument_price_decimals (ea_instrument_lookup ("6E")), ==, 5);
  g_assert_cmpuint (ea_instrument_price_decimals (ea_instrument_lookup ("YM")), ==, 0);
  g_assert_cmpint (ea_instrument_ticks_per_unit (ea_instrument_lookup ("6E")), ==, 20000);
  g_assert_cmpint (ea_instrument_ticks_per_unit (ea_instrument_lookup ("ZN")), ==, 64);
}

static void
test_instrument_parse_price (void)
{
  static const struct {
    const char *root;
    const char *str;
    EaTicks ticks;
  } good[] = {
    { "ES", "5001.25",          20005 },
    { "ES", "5001.2500000000001", 20005 },
    { "ES", "5001.124999999999999", 20004 },
    { "ES", "5001.125",         20005 }, /* half a tick: away from zero */
    { "ES", "-5001.125",        -20005 },
    { "ES", "5001",             20004 },
    { "ES", "5001.",            20004 },
    { "ES", ".25",              1 },
    { "ES", " +5001.25\n",      20005 },
    { "ES", "-0",               0 },
    { "YM", "39123.5",          39124 },
    { "RTY", "2101.34",         21013 },
    { "CL", "71.07",            7107 },
    { "CL", "-37.63",           -3763 },
    { "CL", "0.1",              10 },
    { "GC", "2345.7",           23457 },
    { "6E", "1.08505",          21701 },
    { "6E", "1.085025",         21701 }, /* exactly half: away from zero */
    { "6E", "1.0850249999999",  21700 },
    { "6E", "1.1",              22000 },
    { "ZB", "110-16",           110 * 32 + 16 },
    { "ZB", "110-160",          110 * 32 + 16 },
    { "ZB", "110-165",          110 * 32 + 17 }, /* half a ZB tick rounds up */
    { "ZB", "110-162",          110 * 32 + 16 },
    { "ZB", "110.5",            110 * 32 + 16 },
    { "ZB", "110",              110 * 32 },
    { "ZN", "110-165",          110 * 64 + 33 },
    { "ZN", "110-16",           110 * 64 + 32 },
    { "ZN", "110-160",          110 * 64 + 32 },
    { "ZN", "110-167",          110 * 64 + 34 }, /* 16.75/32 = 33.5 ticks */
    { "ZN", "110-162",          110 * 64 + 33 }, /* 16.25/32 = 32.5 ticks */
    { "ZN", "110.515625",       110 * 64 + 33 },
    { "ZN", "110.5156",         110 * 64 + 33 },
    { "ZN", "-1-315",           -(64 + 63) },
    { "ES", "250000000000000",  1000000000000000 },
  };
  static const struct {
    const char *root;
    const char *str;
    int code;
  } bad[] = {
    { "ES", "",               EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES", "  ",             EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES", "-",              EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES", ".",              EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES", "5001.25.5",      EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES", "5,001.25",       EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES", "5001-16",        EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES", "1e3",            EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES", "--5",            EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES", "abc",            EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES", "nan",            EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES", "5001.25x",       EA_INSTRUMENT_ERROR_MALFORMED },
    { "ZN", "110-32",         EA_INSTRUMENT_ERROR_MALFORMED },
    { "ZN", "110-325",        EA_INSTRUMENT_ERROR_MALFORMED },
    { "ZN", "110-163",        EA_INSTRUMENT_ERROR_MALFORMED },
    { "ZN", "110-1",          EA_INSTRUMENT_ERROR_MALFORMED },
    { "ZN", "110-1650",       EA_INSTRUMENT_ERROR_MALFORMED },
    { "ZN", "110-",           EA_INSTRUMENT_ERROR_MALFORMED },
    { "ZN", "-16-",           EA_INSTRUMENT_ERROR_MALFORMED },
    { "ZN", "110--16",        EA_INSTRUMENT_ERROR_MALFORMED },
    { "ZN", "-",              EA_INSTRUMENT_ERROR_MALFORMED },
    { "ZN", "110-16.5",       EA_INSTRUMENT_ERROR_MALFORMED },
    { "ZB", "110-16-1",       EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES", "250000000000000.25", EA_INSTRUMENT_ERROR_OUT_OF_RANGE },
    { "ES", "99999999999999999999999999", EA_INSTRUMENT_ERROR_OUT_OF_RANGE },
    { "6E", "50000000001",    EA_INSTRUMENT_ERROR_OUT_OF_RANGE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      EaTicks ticks = 0;

      g_test_message ("%s “%s”", good[i].root, good[i].str);
      g_assert_true (ea_instrument_parse_price (ea_instrument_lookup (good[i].root),
                                                good[i].str, &ticks, &error));
      g_assert_no_error (error);
      g_assert_cmpint (ticks, ==, good[i].ticks);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      EaTicks ticks = 77;

      g_test_message ("%s “%s”", bad[i].root, bad[i].str);
      g_assert_false (ea_instrument_parse_price (ea_instrument_lookup (bad[i].root),
                                                 bad[i].str, &ticks, &error));
      g_assert_error (error, EA_INSTRUMENT_ERROR, bad[i].code);
      g_assert_cmpint (ticks, ==, 77);
    }

  {
    g_autoptr(GError) error = NULL;
    EaTicks ticks = 77;

    g_assert_false (ea_instrument_parse_price (ea_instrument_lookup ("ES"), NULL, &ticks, &error));
    g_assert_error (error, EA_INSTRUMENT_ERROR, EA_INSTRUMENT_ERROR_MALFORMED);
  }
}

/* Seeded property: for every root, display and decimal forms of random
 * prices parse back to the same ticks, and the decimal form agrees with
 * the double conversion. */
static void
test_instrument_price_string_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  const EaInstrumentSpec *all;
  guint n = 0;

  all = ea_instrument_all (&n);
  for (guint i = 0; i < n; i++)
    {
      for (guint k = 0; k < 20000; k++)
        {
          EaTicks ticks;
          g_autofree char *display = NULL;
          g_autofree char *decimal = NULL;
          g_autoptr(GError) error = NULL;
          EaTicks back = 0;

          switch (k % 3)
            {
            case 0:
              ticks = g_rand_int_range (rand, -1000, 1000);
              break;
            case 1:
              ticks = g_rand_int_range (rand, 0, G_MAXINT32);
              break;
            default:
              ticks = (EaTicks) (g_rand_double (rand) * 2e15) - G_GINT64_CONSTANT (1000000000000000);
              break;
            }

          display = ea_instrument_format_price (&all[i], ticks);
          decimal = ea_instrument_format_price_decimal (&all[i], ticks);
          g_assert_true (ea_instrument_parse_price (&all[i], display, &back, &error));
          g_assert_no_error (error);
          g_assert_cmpint (back, ==, ticks);
          g_assert_true (ea_instrument_parse_price (&all[i], decimal, &back, &error));
          g_assert_no_error (error);
          g_assert_cmpint (back, ==, ticks);
          if (ticks > -G_MAXINT32 && ticks < G_MAXINT32)
            g_assert_cmpint (ea_instrument_price_to_ticks (&all[i], g_ascii_strtod (decimal, NULL)), ==, ticks);
        }
    }
}

static void
test_instrument_ticks_value (void)
{
  const EaInstrumentSpec *zn = ea_instrument_lookup ("ZN");
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  EaMicros v = 0;

  /* 33 ZN ticks × 3 contracts = $1,546.875. */
  g_assert_true (ea_instrument_ticks_value_checked (zn, 33, 3, &v));
  g_assert_cmpint (v, ==, 1546875000);
  g_assert_cmpint (ea_instrument_ticks_value (zn, 33, 3), ==, 1546875000);
  g_assert_true (ea_instrument_ticks_value_checked (es, -8, 2, &v));
  g_assert_cmpint (v, ==, -200000000);
  g_assert_true (ea_instrument_ticks_value_checked (es, -8, -2, &v));
  g_assert_cmpint (v, ==, 200000000);
  g_assert_true (ea_instrument_ticks_value_checked (es, 0, G_MAXINT64, &v));
  g_assert_cmpint (v, ==, 0);
  g_assert_false (ea_instrument_ticks_value_checked (es, G_MAXINT64 / 1000, 1, &v));
  g_assert_cmpint (v, ==, G_MAXINT64);
  g_assert_false (ea_instrument_ticks_value_checked (es, 1000000000000, -1000000, &v));
  g_assert_cmpint (v, ==, G_MININT64);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/instrument/table", test_instrument_table);
  g_test_add_func ("/instrument/price-ticks", test_instrument_price_ticks);
  g_test_add_func ("/instrument/ticks-round-trip", test_instrument_ticks_round_trip);
  g_test_add_func ("/instrument/format-price", test_instrument_format_price);
  g_test_add_func ("/instrument/parse-price", test_instrument_parse_price);
  g_test_add_func ("/instrument/price-string-round-trip", test_instrument_price_string_round_trip);
  g_test_add_func ("/instrument/ticks-value", test_instrument_ticks_value);

  return g_test_run ();
}
