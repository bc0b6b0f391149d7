/* test-signal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-signal.h"

static EaSignal
make_signal (guint         power,
             EaConfluence  confluence,
             EaMacvu       macvu,
             EaSignalColor color)
{
  EaSignal s;

  ea_signal_init (&s);
  g_assert_true (ea_signal_set_instrument (&s, "ES", NULL));
  s.power = power;
  s.confluence = confluence;
  s.macvu = macvu;
  s.color = color;
  return s;
}

static void
test_quality_examples (void)
{
  static const struct {
    guint         power;
    EaConfluence  confluence;
    EaMacvu       macvu;
    EaSignalColor color;
    guint         tenths;
  } cases[] = {
    /* Nothing at all. */
    { 0,   EA_CONFLUENCE_L0, EA_MACVU_RED,     EA_SIGNAL_COLOR_NONE,  0 },
    /* Maximum: 0.3 + 0.3 + 0.2 + 0.2. */
    { 100, EA_CONFLUENCE_L4, EA_MACVU_GREEN,   EA_SIGNAL_COLOR_GREEN, 10 },
    /* The 0.6 boundary reached in different ways (0.1 + 0.2 + 0.3 is
     * 0.6000000000000001 in doubles, 0.3 + 0.3 is 0.6). */
    { 20,  EA_CONFLUENCE_L3, EA_MACVU_NEUTRAL, EA_SIGNAL_COLOR_NONE,  6 },
    { 10,  EA_CONFLUENCE_L3, EA_MACVU_RED,     EA_SIGNAL_COLOR_PINK,  5 },
    { 10,  EA_CONFLUENCE_L4, EA_MACVU_RED,     EA_SIGNAL_COLOR_PINK,  6 },
    { 20,  EA_CONFLUENCE_L4, EA_MACVU_YELLOW,  EA_SIGNAL_COLOR_NONE,  6 },
    { 15,  EA_CONFLUENCE_L2, EA_MACVU_NEUTRAL, EA_SIGNAL_COLOR_BLUE,  6 },
    { 15,  EA_CONFLUENCE_L1, EA_MACVU_NEUTRAL, EA_SIGNAL_COLOR_BLUE,  5 },
    { 0,   EA_CONFLUENCE_L2, EA_MACVU_GREEN,   EA_SIGNAL_COLOR_RED,   5 },
    { 0,   EA_CONFLUENCE_L3, EA_MACVU_GREEN,   EA_SIGNAL_COLOR_RED,   6 },
    /* Power thresholds: 19 -> +0.2, 14 -> +0.1. */
    { 19,  EA_CONFLUENCE_L0, EA_MACVU_RED,     EA_SIGNAL_COLOR_NONE,  2 },
    { 14,  EA_CONFLUENCE_L0, EA_MACVU_RED,     EA_SIGNAL_COLOR_NONE,  1 },
    { 20,  EA_CONFLUENCE_L0, EA_MACVU_RED,     EA_SIGNAL_COLOR_NONE,  3 },
    /* MACVU YELLOW and RED add nothing; L1 adds nothing. */
    { 0,   EA_CONFLUENCE_L1, EA_MACVU_YELLOW,  EA_SIGNAL_COLOR_NONE,  0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      EaSignal s = make_signal (cases[i].power, cases[i].confluence,
                                cases[i].macvu, cases[i].color);

      g_test_message ("case %u", i);
      g_assert_true (ea_signal_validate (&s, NULL));
      g_assert_cmpuint (ea_signal_quality_tenths (&s), ==, cases[i].tenths);
      g_assert_cmpfloat (ea_signal_quality (&s), ==, cases[i].tenths / 10.0);
      g_assert_cmpint (ea_signal_is_tradeable (&s), ==, cases[i].tenths >= 6);
    }
}

/* Every combination against the sum of the DOMAIN §5 points, computed
 * here as doubles with a tolerance and compared to the exact tenths. */
static void
test_quality_exhaustive (void)
{
  static const guint powers[] = { 0, 10, 14, 15, 19, 20, 55, 100 };
  guint n_tradeable = 0, n = 0;

  for (guint p = 0; p < G_N_ELEMENTS (powers); p++)
    for (guint c = EA_CONFLUENCE_L0; c <= EA_CONFLUENCE_L4; c++)
      for (guint m = EA_MACVU_NEUTRAL; m <= EA_MACVU_YELLOW; m++)
        for (guint k = EA_SIGNAL_COLOR_NONE; k <= EA_SIGNAL_COLOR_PINK; k++)
          {
            EaSignal s = make_signal (powers[p], c, m, k);
            double want = 0;

            want += powers[p] >= 20 ? 0.3 : powers[p] >= 15 ? 0.2 : powers[p] >= 10 ? 0.1 : 0;
            want += c == EA_CONFLUENCE_L4 ? 0.3 : c == EA_CONFLUENCE_L3 ? 0.2 : c == EA_CONFLUENCE_L2 ? 0.1 : 0;
            want += m == EA_MACVU_GREEN ? 0.2 : m == EA_MACVU_NEUTRAL ? 0.1 : 0;
            want += k != EA_SIGNAL_COLOR_NONE ? 0.2 : 0;

            g_assert_cmpfloat (fabs (ea_signal_quality (&s) - want), <, 1e-9);
            g_assert_cmpint (ea_signal_is_tradeable (&s), ==, want > 0.6 - 1e-9);
            n_tradeable += ea_signal_is_tradeable (&s);
            n++;
          }
  g_assert_cmpuint (n, ==, 8 * 5 * 4 * 5);
  g_assert_cmpuint (n_tradeable, >, 0);
  g_assert_cmpuint (n_tradeable, <, n);
}

static void
test_confidence_and_power (void)
{
  static const struct {
    gint64 raw;
    guint  power;
    double confidence;
  } cases[] = {
    { 0, 0, 0.7 },
    { 9, 0, 0.7 },
    { 10, 10, 0.10 },
    { 55, 55, 0.55 },
    { 100, 100, 1.0 },
    { 101, 0, 0.7 },
    { -20, 0, 0.7 },
    { G_MAXINT64, 0, 0.7 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      EaSignal s = make_signal (0, EA_CONFLUENCE_L0, EA_MACVU_NEUTRAL, EA_SIGNAL_COLOR_NONE);

      s.power = ea_signal_normalize_power (cases[i].raw);
      g_assert_cmpuint (s.power, ==, cases[i].power);
      g_assert_cmpfloat (ea_signal_confidence (&s), ==, cases[i].confidence);
    }
}

static void
test_validate (void)
{
  EaSignal good = make_signal (50, EA_CONFLUENCE_L2, EA_MACVU_GREEN, EA_SIGNAL_COLOR_BLUE);
  g_autoptr(GError) error = NULL;
  EaSignal s;

  g_assert_true (ea_signal_set_source (&good, "webhook", &error));
  g_assert_no_error (error);
  good.atr = 16;
  good.entry = -3763;  /* negative prices are valid */
  g_assert_true (ea_signal_validate (&good, &error));
  g_assert_no_error (error);

#define EXPECT_INVALID(stmt) \
  G_STMT_START { \
    s = good; \
    stmt; \
    g_assert_false (ea_signal_validate (&s, &error)); \
    g_assert_error (error, EA_SIGNAL_ERROR, EA_SIGNAL_ERROR_INVALID); \
    g_clear_error (&error); \
  } G_STMT_END

  EXPECT_INVALID (s.power = 9);
  EXPECT_INVALID (s.power = 101);
  EXPECT_INVALID (s.direction = (EaSide) 0);
  EXPECT_INVALID (s.confluence = (EaConfluence) 5);
  EXPECT_INVALID (s.color = (EaSignalColor) 9);
  EXPECT_INVALID (s.macvu = (EaMacvu) 4);
  EXPECT_INVALID (s.atr = -1);
  EXPECT_INVALID (s.atr = NAN);
  EXPECT_INVALID (s.instrument[0] = '\0');
  EXPECT_INVALID (memset (s.instrument, 'x', sizeof s.instrument));
  EXPECT_INVALID (memset (s.source, 'x', sizeof s.source));
#undef EXPECT_INVALID

  /* Setters refuse bad names and leave the signal as it was. */
  {
    g_autofree char *too_long = g_strnfill (EA_SIGNAL_NAME_MAX, 'N');
    const char *bad[] = { NULL, "", too_long, "\xc3\x28" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        s = good;
        g_assert_false (ea_signal_set_instrument (&s, bad[i], &error));
        g_assert_error (error, EA_SIGNAL_ERROR, EA_SIGNAL_ERROR_INVALID);
        g_clear_error (&error);
        g_assert_false (ea_signal_set_source (&s, bad[i], &error));
        g_assert_error (error, EA_SIGNAL_ERROR, EA_SIGNAL_ERROR_INVALID);
        g_clear_error (&error);
        g_assert_cmpstr (s.instrument, ==, "ES");
        g_assert_cmpstr (s.source, ==, "webhook");
      }
  }

  ea_signal_init (&s);
  g_assert_false (ea_signal_validate (&s, NULL)); /* no instrument yet */
  g_assert_cmpint (s.direction, ==, EA_SIDE_BUY);
  g_assert_cmpuint (s.power, ==, 0);
  g_assert_cmpint (s.color, ==, EA_SIGNAL_COLOR_NONE);
  g_assert_cmpint (s.macvu, ==, EA_MACVU_NEUTRAL);
}

static void
test_enum_strings (void)
{
  for (guint i = EA_SIGNAL_COLOR_NONE; i <= EA_SIGNAL_COLOR_PINK; i++)
    {
      const char *name = ea_signal_color_to_string (i);
      g_autofree char *padded = g_strdup_printf ("  %s ", name);
      g_autofree char *lower = g_ascii_strdown (padded, -1);
      EaSignalColor out = 99;

      g_assert_true (ea_signal_color_from_string (name, &out, NULL));
      g_assert_cmpint (out, ==, i);
      out = 99;
      g_assert_true (ea_signal_color_from_string (lower, &out, NULL));
      g_assert_cmpint (out, ==, i);
    }
  for (guint i = EA_MACVU_NEUTRAL; i <= EA_MACVU_YELLOW; i++)
    {
      EaMacvu out = 99;

      g_assert_true (ea_macvu_from_string (ea_macvu_to_string (i), &out, NULL));
      g_assert_cmpint (out, ==, i);
    }
  for (guint i = EA_CONFLUENCE_L0; i <= EA_CONFLUENCE_L4; i++)
    {
      g_autofree char *digit = g_strdup_printf ("%u", i);
      EaConfluence out = 99;

      g_assert_true (ea_confluence_from_string (ea_confluence_to_string (i), &out, NULL));
      g_assert_cmpint (out, ==, i);
      out = 99;
      g_assert_true (ea_confluence_from_string (digit, &out, NULL));
      g_assert_cmpint (out, ==, i);
    }

  g_assert_cmpstr (ea_signal_color_to_string (EA_SIGNAL_COLOR_PINK), ==, "PINK");
  g_assert_cmpstr (ea_macvu_to_string (EA_MACVU_YELLOW), ==, "YELLOW");
  g_assert_cmpstr (ea_confluence_to_string (EA_CONFLUENCE_L3), ==, "L3");
  g_assert_cmpstr (ea_signal_color_to_string ((EaSignalColor) 42), ==, "UNKNOWN");
  g_assert_cmpstr (ea_macvu_to_string ((EaMacvu) 42), ==, "UNKNOWN");
  g_assert_cmpstr (ea_confluence_to_string ((EaConfluence) 42), ==, "UNKNOWN");
  g_assert_cmpstr (ea_signal_direction_to_string (EA_SIDE_BUY), ==, "LONG");
  g_assert_cmpstr (ea_signal_direction_to_string (EA_SIDE_SELL), ==, "SHORT");
  g_assert_cmpstr (ea_signal_direction_to_string ((EaSide) 0), ==, "UNKNOWN");

  {
    static const struct { const char *str; gboolean ok; EaSide side; } dirs[] = {
      { "LONG", TRUE, EA_SIDE_BUY }, { "buy", TRUE, EA_SIDE_BUY }, { "1", TRUE, EA_SIDE_BUY },
      { "+1", TRUE, EA_SIDE_BUY }, { "short", TRUE, EA_SIDE_SELL }, { " SELL", TRUE, EA_SIDE_SELL },
      { "-1", TRUE, EA_SIDE_SELL }, { "0", FALSE }, { "longer", FALSE }, { "", FALSE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
      {
        g_autoptr(GError) error = NULL;
        EaSide side = (EaSide) 7;

        g_assert_cmpint (ea_signal_direction_from_string (dirs[i].str, &side, &error), ==, dirs[i].ok);
        if (dirs[i].ok)
          g_assert_cmpint (side, ==, dirs[i].side);
        else
          {
            g_assert_error (error, EA_SIGNAL_ERROR, EA_SIGNAL_ERROR_PARSE);
            g_assert_cmpint (side, ==, 7);
          }
      }
  }

  {
    static const char * const garbage[] = { "", "ORANGE", "L5", "5", "green!", "\xff\xfe", "G" };
    EaSignalColor color = EA_SIGNAL_COLOR_BLUE;
    EaMacvu macvu = EA_MACVU_RED;
    EaConfluence level = EA_CONFLUENCE_L2;
    EaSide side = EA_SIDE_SELL;

    for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
      {
        g_autoptr(GError) error = NULL;

        g_assert_false (ea_signal_color_from_string (garbage[i], &color, &error));
        g_assert_error (error, EA_SIGNAL_ERROR, EA_SIGNAL_ERROR_PARSE);
        g_clear_error (&error);
        g_assert_false (ea_macvu_from_string (garbage[i], &macvu, &error));
        g_assert_error (error, EA_SIGNAL_ERROR, EA_SIGNAL_ERROR_PARSE);
        g_clear_error (&error);
        g_assert_false (ea_confluence_from_string (garbage[i], &level, &error));
        g_assert_error (error, EA_SIGNAL_ERROR, EA_SIGNAL_ERROR_PARSE);
      }
    g_assert_false (ea_signal_color_from_string (NULL, &color, NULL));
    g_assert_false (ea_macvu_from_string (NULL, &macvu, NULL));
    g_assert_false (ea_confluence_from_string (NULL, &level, NULL));
    g_assert_false (ea_signal_direction_from_string (NULL, &side, NULL));
    g_assert_cmpint (color, ==, EA_SIGNAL_COLOR_BLUE);
    g_assert_cmpint (macvu, ==, EA_MACVU_RED);
    g_assert_cmpint (level, ==, EA_CONFLUENCE_L2);
    g_assert_cmpint (side, ==, EA_SIDE_SELL);
  }
}

static void
test_cadence (void)
{
  const guint32 day = 20261124, next_day = 20261125;
  EaCadence c;

  ea_cadence_init (&c);
  g_assert_false (ea_cadence_is_high_probability (&c, day, EA_ET_WINDOW_AM));

  /* AM: high-probability after 2 consecutive failures. */
  ea_cadence_record (&c, day, EA_ET_WINDOW_AM, FALSE);
  g_assert_cmpuint (ea_cadence_failures (&c, day, EA_ET_WINDOW_AM), ==, 1);
  g_assert_false (ea_cadence_is_high_probability (&c, day, EA_ET_WINDOW_AM));
  ea_cadence_record (&c, day, EA_ET_WINDOW_AM, FALSE);
  g_assert_true (ea_cadence_is_high_probability (&c, day, EA_ET_WINDOW_AM));
  ea_cadence_record (&c, day, EA_ET_WINDOW_AM, FALSE);
  g_assert_true (ea_cadence_is_high_probability (&c, day, EA_ET_WINDOW_AM));
  /* A win resets the count. */
  ea_cadence_record (&c, day, EA_ET_WINDOW_AM, TRUE);
  g_assert_cmpuint (ea_cadence_failures (&c, day, EA_ET_WINDOW_AM), ==, 0);
  g_assert_false (ea_cadence_is_high_probability (&c, day, EA_ET_WINDOW_AM));
  ea_cadence_record (&c, day, EA_ET_WINDOW_AM, FALSE);

  /* PM counts on its own and needs 3. */
  g_assert_cmpuint (ea_cadence_failures (&c, day, EA_ET_WINDOW_PM), ==, 0);
  ea_cadence_record (&c, day, EA_ET_WINDOW_PM, FALSE);
  ea_cadence_record (&c, day, EA_ET_WINDOW_PM, FALSE);
  g_assert_false (ea_cadence_is_high_probability (&c, day, EA_ET_WINDOW_PM));
  ea_cadence_record (&c, day, EA_ET_WINDOW_PM, FALSE);
  g_assert_true (ea_cadence_is_high_probability (&c, day, EA_ET_WINDOW_PM));
  g_assert_cmpuint (ea_cadence_failures (&c, day, EA_ET_WINDOW_AM), ==, 1);

  /* Outside AM/PM nothing is counted. */
  ea_cadence_record (&c, day, EA_ET_WINDOW_NONE, FALSE);
  ea_cadence_record (&c, day, EA_ET_WINDOW_NONE, FALSE);
  ea_cadence_record (&c, day, EA_ET_WINDOW_NONE, TRUE);
  g_assert_cmpuint (ea_cadence_failures (&c, day, EA_ET_WINDOW_NONE), ==, 0);
  g_assert_false (ea_cadence_is_high_probability (&c, day, EA_ET_WINDOW_NONE));
  g_assert_cmpuint (ea_cadence_failures (&c, day, EA_ET_WINDOW_PM), ==, 3);

  /* A new trading day starts from zero, for queries and records. */
  g_assert_cmpuint (ea_cadence_failures (&c, next_day, EA_ET_WINDOW_PM), ==, 0);
  g_assert_false (ea_cadence_is_high_probability (&c, next_day, EA_ET_WINDOW_PM));
  ea_cadence_record (&c, next_day, EA_ET_WINDOW_AM, FALSE);
  g_assert_cmpuint (ea_cadence_failures (&c, next_day, EA_ET_WINDOW_AM), ==, 1);
  g_assert_cmpuint (ea_cadence_failures (&c, next_day, EA_ET_WINDOW_PM), ==, 0);
  g_assert_false (ea_cadence_is_high_probability (&c, next_day, EA_ET_WINDOW_AM));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signal/quality/examples", test_quality_examples);
  g_test_add_func ("/signal/quality/exhaustive", test_quality_exhaustive);
  g_test_add_func ("/signal/confidence", test_confidence_and_power);
  g_test_add_func ("/signal/validate", test_validate);
  g_test_add_func ("/signal/enum-strings", test_enum_strings);
  g_test_add_func ("/signal/cadence", test_cadence);

  return g_test_run ();
}
