/* test-money.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "ea-money.h"

static void
test_money_parse (void)
{
  static const struct {
    const char *str;
    EaMicros micros;
  } good[] = {
    { "0",                 0 },
    { "-0",                0 },
    { "1234.56",           1234560000 },
    { "-$1,234.56",        -1234560000 },
    { "$-1,234.56",        -1234560000 },
    { "+$5",               5000000 },
    { "$15.625",           15625000 },
    { "6.25",              6250000 },
    { ".5",                500000 },
    { "5.",                5000000 },
    { "  42.1\t",          42100000 },
    { "1,000,000",         1000000000000 },
    { "0.000001",          1 },
    { "0.0000005",         1 },        /* half a micro: away from zero */
    { "-0.0000005",        -1 },
    { "0.00000049999",     0 },
    { "1.9999995",         2000000 },
    { "12.3456789",        12345679 },
    { "9223372036854.775807",  G_MAXINT64 },
    { "-9223372036854.775808", G_MININT64 },
    { "-$9,223,372,036,854.775808", G_MININT64 },
  };
  static const struct {
    const char *str;
    int code;
  } bad[] = {
    { "",                      EA_MONEY_ERROR_MALFORMED },
    { "   ",                   EA_MONEY_ERROR_MALFORMED },
    { "$",                     EA_MONEY_ERROR_MALFORMED },
    { "-",                     EA_MONEY_ERROR_MALFORMED },
    { ".",                     EA_MONEY_ERROR_MALFORMED },
    { "--5",                   EA_MONEY_ERROR_MALFORMED },
    { "-$-5",                  EA_MONEY_ERROR_MALFORMED },
    { "$$5",                   EA_MONEY_ERROR_MALFORMED },
    { "5$",                    EA_MONEY_ERROR_MALFORMED },
    { "1.2.3",                 EA_MONEY_ERROR_MALFORMED },
    { "1e5",                   EA_MONEY_ERROR_MALFORMED },
    { "12,34",                 EA_MONEY_ERROR_MALFORMED },
    { "1234,567",              EA_MONEY_ERROR_MALFORMED },
    { "0001,234",              EA_MONEY_ERROR_MALFORMED },
    { ",123",                  EA_MONEY_ERROR_MALFORMED },
    { "1,234,",                EA_MONEY_ERROR_MALFORMED },
    { "1,2345",                EA_MONEY_ERROR_MALFORMED },
    { "1.5,0",                 EA_MONEY_ERROR_MALFORMED },
    { "1 000",                 EA_MONEY_ERROR_MALFORMED },
    { "NaN",                   EA_MONEY_ERROR_MALFORMED },
    { "USD 5",                 EA_MONEY_ERROR_MALFORMED },
    { "9223372036854.775808",  EA_MONEY_ERROR_OVERFLOW },
    { "-9223372036854.775809", EA_MONEY_ERROR_OVERFLOW },
    { "99999999999999999999999", EA_MONEY_ERROR_OVERFLOW },
    { "9223372036854.7758075", EA_MONEY_ERROR_OVERFLOW },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      EaMicros m = 12345;

      g_test_message ("“%s”", good[i].str);
      g_assert_true (ea_money_parse (good[i].str, &m, &error));
      g_assert_no_error (error);
      g_assert_cmpint (m, ==, good[i].micros);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      EaMicros m = 12345;

      g_test_message ("“%s”", bad[i].str);
      g_assert_false (ea_money_parse (bad[i].str, &m, &error));
      g_assert_error (error, EA_MONEY_ERROR, bad[i].code);
      g_assert_cmpint (m, ==, 12345);
    }

  {
    g_autoptr(GError) error = NULL;
    EaMicros m = 7;

    g_assert_false (ea_money_parse (NULL, &m, &error));
    g_assert_error (error, EA_MONEY_ERROR, EA_MONEY_ERROR_MALFORMED);
    g_assert_cmpint (m, ==, 7);
  }
}

static void
test_money_format (void)
{
  static const struct {
    EaMicros micros;
    EaMoneyFormatFlags flags;
    const char *str;
  } cases[] = {
    { 0,               EA_MONEY_FORMAT_DEFAULT,   "$0.00" },
    { 0,               EA_MONEY_FORMAT_PLUS_SIGN, "$0.00" },
    { -1234560000,     EA_MONEY_FORMAT_DEFAULT,   "-$1,234.56" },
    { 1234560000,      EA_MONEY_FORMAT_PLUS_SIGN, "+$1,234.56" },
    { 15625000,        EA_MONEY_FORMAT_DEFAULT,   "$15.625" },
    { 6250000,         EA_MONEY_FORMAT_DEFAULT,   "$6.25" },
    { 1,               EA_MONEY_FORMAT_DEFAULT,   "$0.000001" },
    { -1,              EA_MONEY_FORMAT_DEFAULT,   "-$0.000001" },
    { 100000,          EA_MONEY_FORMAT_DEFAULT,   "$0.10" },
    { 999999,          EA_MONEY_FORMAT_DEFAULT,   "$0.999999" },
    { 999000000,       EA_MONEY_FORMAT_DEFAULT,   "$999.00" },
    { 1000000000,      EA_MONEY_FORMAT_DEFAULT,   "$1,000.00" },
    { 100000000000,    EA_MONEY_FORMAT_DEFAULT,   "$100,000.00" },
    { 1000000000000,   EA_MONEY_FORMAT_DEFAULT,   "$1,000,000.00" },
    { -2500000000,     EA_MONEY_FORMAT_NO_SYMBOL, "-2,500.00" },
    { 1234567890000,   EA_MONEY_FORMAT_NO_GROUPING, "$1234567.89" },
    { 1234567890000,   EA_MONEY_FORMAT_NO_GROUPING | EA_MONEY_FORMAT_NO_SYMBOL | EA_MONEY_FORMAT_PLUS_SIGN, "+1234567.89" },
    { G_MAXINT64,      EA_MONEY_FORMAT_DEFAULT,   "$9,223,372,036,854.775807" },
    { G_MININT64,      EA_MONEY_FORMAT_DEFAULT,   "-$9,223,372,036,854.775808" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *str = ea_money_format_full (cases[i].micros, cases[i].flags);

      g_assert_cmpstr (str, ==, cases[i].str);
    }

  {
    g_autofree char *str = ea_money_format (-1234560000);

    g_assert_cmpstr (str, ==, "-$1,234.56");
  }
}

/* format -> parse is the identity for any amount, in every flag mix. */
static void
test_money_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1234567);

  for (guint i = 0; i < 100000; i++)
    {
      EaMicros m = (EaMicros) (((guint64) g_rand_int (rand) << 32) | g_rand_int (rand));
      EaMoneyFormatFlags flags = g_rand_int_range (rand, 0, 8);
      g_autofree char *str = NULL;
      g_autoptr(GError) error = NULL;
      EaMicros back = 0;

      /* Mix in small amounts too. */
      if (i % 2)
        m >>= g_rand_int_range (rand, 10, 63);
      str = ea_money_format_full (m, flags);
      g_assert_true (ea_money_parse (str, &back, &error));
      g_assert_no_error (error);
      g_assert_cmpint (back, ==, m);
    }
}

static void
test_money_arithmetic (void)
{
  EaMicros r = 0;

  g_assert_true (ea_money_add (EA_MICROS (5), EA_MICROS (-7), &r));
  g_assert_cmpint (r, ==, EA_MICROS (-2));
  g_assert_true (ea_money_add (G_MAXINT64, G_MININT64, &r));
  g_assert_cmpint (r, ==, -1);
  g_assert_false (ea_money_add (G_MAXINT64, 1, &r));
  g_assert_cmpint (r, ==, G_MAXINT64);
  g_assert_false (ea_money_add (G_MININT64, -1, &r));
  g_assert_cmpint (r, ==, G_MININT64);

  g_assert_true (ea_money_sub (0, G_MAXINT64, &r));
  g_assert_cmpint (r, ==, -G_MAXINT64);
  g_assert_false (ea_money_sub (0, G_MININT64, &r));
  g_assert_cmpint (r, ==, G_MAXINT64);
  g_assert_false (ea_money_sub (G_MININT64, 1, &r));
  g_assert_cmpint (r, ==, G_MININT64);

  g_assert_true (ea_money_mul (15625000, -3, &r));
  g_assert_cmpint (r, ==, -46875000);
  g_assert_true (ea_money_mul (0, G_MAXINT64, &r));
  g_assert_cmpint (r, ==, 0);
  g_assert_false (ea_money_mul (G_MAXINT64 / 2 + 1, 2, &r));
  g_assert_cmpint (r, ==, G_MAXINT64);
  g_assert_false (ea_money_mul (G_MAXINT64, -2, &r));
  g_assert_cmpint (r, ==, G_MININT64);
  g_assert_false (ea_money_mul (G_MININT64, -1, &r));
  g_assert_cmpint (r, ==, G_MAXINT64);

  g_assert_true (ea_money_scale (EA_MICROS (50000), 0.0125, &r));
  g_assert_cmpint (r, ==, EA_MICROS (625));
  g_assert_true (ea_money_scale (5, 0.5, &r));  /* 2.5 micros: away from zero */
  g_assert_cmpint (r, ==, 3);
  g_assert_true (ea_money_scale (-5, 0.5, &r));
  g_assert_cmpint (r, ==, -3);
  g_assert_false (ea_money_scale (G_MAXINT64, 2.0, &r));
  g_assert_cmpint (r, ==, G_MAXINT64);
  g_assert_false (ea_money_scale (G_MAXINT64, -2.0, &r));
  g_assert_cmpint (r, ==, G_MININT64);
  g_assert_false (ea_money_scale (1, NAN, &r));

  g_assert_true (ea_money_from_double (15.625, &r));
  g_assert_cmpint (r, ==, 15625000);
  g_assert_true (ea_money_from_double (-1234.56, &r));
  g_assert_cmpint (r, ==, -1234560000);
  g_assert_true (ea_money_from_double (0.1 + 0.2, &r));
  g_assert_cmpint (r, ==, 300000);
  r = 99;
  g_assert_false (ea_money_from_double (NAN, &r));
  g_assert_false (ea_money_from_double (INFINITY, &r));
  g_assert_false (ea_money_from_double (1e13, &r));
  g_assert_cmpint (r, ==, 99);
  g_assert_cmpfloat (ea_money_to_double (-1234560000), ==, -1234.56);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/money/parse", test_money_parse);
  g_test_add_func ("/money/format", test_money_format);
  g_test_add_func ("/money/round-trip", test_money_round_trip);
  g_test_add_func ("/money/arithmetic", test_money_arithmetic);

  return g_test_run ();
}
