/* test-indicators.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reference values: tests/data/ttr/ttrc-indicators.csv, written by R's TTR
 * package (tests/data/ttr/make-fixture.R).
 */
#include "config.h"

#include <math.h>

#include "ea-indicators.h"

#define REL_TOL 1e-9

enum { COL_HIGH, COL_LOW, COL_CLOSE, COL_EMA10, COL_EMA20, COL_SMA20, COL_TR14, COL_ATR14, N_COLS };

typedef struct
{
  gsize   n;
  double *col[N_COLS];
} Fixture;

static void
fixture_free (Fixture *f)
{
  for (guint c = 0; c < N_COLS; c++)
    g_free (f->col[c]);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

static Fixture *
load_fixture (void)
{
  static const char * const header = "date,high,low,close,ema10,ema20,sma20,tr14,atr14";
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "ttr", "ttrc-indicators.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  Fixture *f = g_new0 (Fixture, 1);
  guint n_lines, row = 0;
  gboolean seen_header = FALSE;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  n_lines = g_strv_length (lines);
  for (guint c = 0; c < N_COLS; c++)
    f->col[c] = g_new (double, n_lines);

  for (guint i = 0; i < n_lines; i++)
    {
      g_auto(GStrv) fields = NULL;

      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      if (!seen_header)
        {
          g_assert_cmpstr (lines[i], ==, header);
          seen_header = TRUE;
          continue;
        }
      fields = g_strsplit (lines[i], ",", -1);
      g_assert_cmpuint (g_strv_length (fields), ==, N_COLS + 1);
      for (guint c = 0; c < N_COLS; c++)
        {
          const char *text = fields[c + 1];
          char *end = NULL;

          if (g_str_equal (text, "NA"))
            f->col[c][row] = NAN;
          else
            {
              f->col[c][row] = g_ascii_strtod (text, &end);
              g_assert_true (end != text && *end == '\0');
            }
        }
      row++;
    }
  f->n = row;
  g_assert_cmpuint (f->n, ==, 5550);
  return f;
}

/* Both NA, or equal to REL_TOL relative. */
static void
assert_matches (const char *what,
                gsize       i,
                double      got,
                double      want)
{
  if (isnan (want) || isnan (got))
    {
      if (isnan (want) != isnan (got))
        g_error ("%s[%" G_GSIZE_FORMAT "]: got %.17g, TTR has %.17g", what, i, got, want);
      return;
    }
  if (fabs (got - want) > REL_TOL * MAX (fabs (want), 1e-300))
    g_error ("%s[%" G_GSIZE_FORMAT "]: got %.17g, TTR has %.17g", what, i, got, want);
}

static void
assert_series (const char   *what,
               const double *got,
               const double *want,
               gsize         n)
{
  double worst = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      assert_matches (what, i, got[i], want[i]);
      if (!isnan (want[i]) && want[i] != 0.0)
        worst = MAX (worst, fabs (got[i] - want[i]) / fabs (want[i]));
    }
  g_test_message ("%s: largest relative difference %.3g", what, worst);
}

static void
test_ttr_arrays (void)
{
  g_autoptr(Fixture) f = load_fixture ();
  g_autofree double *out = g_new (double, f->n);
  g_autofree double *tr = g_new (double, f->n);
  gsize n_na = 0;

  ea_ema (f->col[COL_CLOSE], f->n, 10, FALSE, out);
  assert_series ("EMA(10)", out, f->col[COL_EMA10], f->n);
  ea_ema (f->col[COL_CLOSE], f->n, 20, FALSE, out);
  assert_series ("EMA(20)", out, f->col[COL_EMA20], f->n);
  ea_sma (f->col[COL_CLOSE], f->n, 20, out);
  assert_series ("SMA(20)", out, f->col[COL_SMA20], f->n);
  ea_true_range (f->col[COL_HIGH], f->col[COL_LOW], f->col[COL_CLOSE], f->n, tr);
  assert_series ("TR", tr, f->col[COL_TR14], f->n);
  ea_atr (f->col[COL_HIGH], f->col[COL_LOW], f->col[COL_CLOSE], f->n, 14, tr, out);
  assert_series ("TR (ATR)", tr, f->col[COL_TR14], f->n);
  assert_series ("ATR(14)", out, f->col[COL_ATR14], f->n);
  ea_atr (f->col[COL_HIGH], f->col[COL_LOW], f->col[COL_CLOSE], f->n, 14, NULL, out);
  assert_series ("ATR(14) without TR", out, f->col[COL_ATR14], f->n);

  /* The fixture's warm-up: ATR(14) is NA at 0..13 and has a value at 14. */
  for (gsize i = 0; i < f->n; i++)
    n_na += isnan (f->col[COL_ATR14][i]);
  g_assert_cmpuint (n_na, ==, 14);
  g_assert_false (isnan (f->col[COL_ATR14][14]));
  g_assert_true (isnan (f->col[COL_EMA10][8]));
  g_assert_false (isnan (f->col[COL_EMA10][9]));
}

static void
test_ttr_incremental (void)
{
  g_autoptr(Fixture) f = load_fixture ();
  EaEma ema10, ema20;
  EaSma sma20;
  EaAtr atr;

  ea_ema_init (&ema10, 10, FALSE);
  ea_ema_init (&ema20, 20, FALSE);
  ea_sma_init (&sma20, 20);
  ea_atr_init (&atr, EA_ATR_DEFAULT_PERIOD);

  for (gsize i = 0; i < f->n; i++)
    {
      double c = f->col[COL_CLOSE][i];
      double a;

      assert_matches ("EaEma(10)", i, ea_ema_push (&ema10, c), f->col[COL_EMA10][i]);
      assert_matches ("EaEma(20)", i, ea_ema_push (&ema20, c), f->col[COL_EMA20][i]);
      assert_matches ("EaSma(20)", i, ea_sma_push (&sma20, c), f->col[COL_SMA20][i]);
      a = ea_atr_push (&atr, f->col[COL_HIGH][i], f->col[COL_LOW][i], c);
      assert_matches ("EaAtr(14)", i, a, f->col[COL_ATR14][i]);
      assert_matches ("EaAtr(14) value", i, ea_atr_value (&atr), f->col[COL_ATR14][i]);
      assert_matches ("EaAtr TR", i, atr.tr, f->col[COL_TR14][i]);
      g_assert_cmpint (ea_atr_is_ready (&atr), ==, !isnan (f->col[COL_ATR14][i]));
    }
  ea_sma_clear (&sma20);
}

static void
test_hand_computed (void)
{
  const double x[] = { 1, 2, 3, 4, 5 };
  /* EMA(3): seed mean(1,2,3) = 2, ratio 0.5: 3, 4. Wilder(3): ratio 1/3:
   * 2 + (4 - 2)/3 = 8/3, 8/3 + (5 - 8/3)/3 = 31/9. */
  const double ema3[] = { NAN, NAN, 2, 3, 4 };
  const double wilder3[] = { NAN, NAN, 2, 8.0 / 3, 31.0 / 9 };
  const double sma2[] = { NAN, 1.5, 2.5, 3.5, 4.5 };
  /* Bars: TR = max(h, prev c) - min(l, prev c). */
  const double h[] = { 10, 12, 11, 15 };
  const double l[] = { 8, 11, 7, 13 };
  const double c[] = { 9, 11.5, 10, 14 };
  const double tr[] = { NAN, 3, 4.5, 5 };       /* 12-9, 11.5-7, 15-10 */
  const double atr2[] = { NAN, NAN, 3.75, 4.375 }; /* mean(3,4.5), 3.75 + (5-3.75)/2 */
  double out[5], out2[4];

  ea_ema (x, 5, 3, FALSE, out);
  assert_series ("ema3", out, ema3, 5);
  ea_ema (x, 5, 3, TRUE, out);
  assert_series ("wilder3", out, wilder3, 5);
  ea_sma (x, 5, 2, out);
  assert_series ("sma2", out, sma2, 5);
  ea_ema (x, 5, 1, FALSE, out);
  assert_series ("ema1", out, x, 5);
  ea_sma (x, 5, 1, out);
  assert_series ("sma1", out, x, 5);
  ea_true_range (h, l, c, 4, out2);
  assert_series ("tr", out2, tr, 4);
  ea_atr (h, l, c, 4, 2, NULL, out2);
  assert_series ("atr2", out2, atr2, 4);
}

static void
test_edge_cases (void)
{
  const double x[] = { NAN, NAN, 1, 2, 3 };
  const double lead_sma[] = { NAN, NAN, NAN, 1.5, 2.5 };
  const double lead_ema[] = { NAN, NAN, NAN, 1.5, 2.5 }; /* ratio 2/3: 3*2/3 + 1.5/3 */
  const double mid[] = { 1, 2, NAN, 4, 5 };
  double out[5];
  EaEma ema;
  EaSma sma;
  EaAtr atr;

  /* Empty input writes nothing and does not crash. */
  ea_sma (NULL, 0, 3, NULL);
  ea_ema (NULL, 0, 3, FALSE, NULL);
  ea_true_range (NULL, NULL, NULL, 0, NULL);
  ea_atr (NULL, NULL, NULL, 0, 14, NULL, NULL);

  /* A period longer than the data: all NaN. */
  ea_ema (x + 2, 3, 4, FALSE, out);
  for (guint i = 0; i < 3; i++)
    g_assert_true (isnan (out[i]));
  ea_sma (x + 2, 3, 4, out);
  for (guint i = 0; i < 3; i++)
    g_assert_true (isnan (out[i]));
  ea_atr (x + 2, x + 2, x + 2, 3, 3, NULL, out);
  for (guint i = 0; i < 3; i++)
    g_assert_true (isnan (out[i]));

  /* Leading NaN are skipped as TTR does. */
  ea_sma (x, 5, 2, out);
  assert_series ("lead sma", out, lead_sma, 5);
  ea_ema (x, 5, 2, FALSE, out);
  assert_series ("lead ema", out, lead_ema, 5);
  {
    const double all_nan[] = { NAN, NAN };

    ea_ema (all_nan, 2, 1, FALSE, out);
    g_assert_true (isnan (out[0]) && isnan (out[1]));
  }

  /* A NaN inside the data propagates forward. */
  ea_ema (mid, 5, 2, FALSE, out);
  g_assert_cmpfloat (out[1], ==, 1.5);
  for (guint i = 2; i < 5; i++)
    g_assert_true (isnan (out[i]));

  /* Incremental states ignore NaN inputs. */
  ea_ema_init (&ema, 2, FALSE);
  g_assert_true (isnan (ea_ema_push (&ema, NAN)));
  g_assert_true (isnan (ea_ema_push (&ema, 1)));
  g_assert_true (isnan (ea_ema_push (&ema, NAN)));
  g_assert_cmpfloat (ea_ema_push (&ema, 2), ==, 1.5);
  g_assert_cmpfloat (ea_ema_push (&ema, NAN), ==, 1.5);
  g_assert_cmpfloat (ea_ema_value (&ema), ==, 1.5);

  ea_sma_init (&sma, 2);
  g_assert_true (isnan (ea_sma_push (&sma, 1)));
  g_assert_true (isnan (ea_sma_push (&sma, NAN)));
  g_assert_cmpfloat (ea_sma_push (&sma, 2), ==, 1.5);
  g_assert_cmpfloat (ea_sma_push (&sma, NAN), ==, 1.5);
  ea_sma_clear (&sma);

  ea_atr_init (&atr, 1);
  g_assert_true (isnan (ea_atr_push (&atr, NAN, 1, 1)));
  g_assert_false (atr.has_close);
  g_assert_true (isnan (ea_atr_push (&atr, 10, 8, 9)));
  g_assert_false (ea_atr_is_ready (&atr));
  g_assert_cmpfloat (ea_atr_push (&atr, 12, 11, 11.5), ==, 3);
  g_assert_true (ea_atr_is_ready (&atr));
}

static void
test_atr_bars_ticks (void)
{
  /* Bars in ticks, including negative prices. */
  const EaBar bars[] = {
    { 0, 1, -100, -96, -104, -98, 10, 3 },
    { 1, 2, -98, -90, -99, -92, 10, 3 },   /* TR = -90 - -99 = 9 */
    { 2, 3, -92, -91, -97, -95, 10, 3 },   /* TR = -91 - -97 = 6 */
    { 3, 4, -95, -80, -95, -81, 10, 3 },   /* TR = -80 - -95 = 15 */
  };
  EaAtr atr;

  ea_atr_init (&atr, 2);
  g_assert_true (isnan (ea_atr_push_bar (&atr, &bars[0])));
  g_assert_true (isnan (ea_atr_push_bar (&atr, &bars[1])));
  g_assert_cmpfloat (atr.tr, ==, 9);
  g_assert_cmpfloat (ea_atr_push_bar (&atr, &bars[2]), ==, 7.5);
  g_assert_cmpfloat (ea_atr_push_bar (&atr, &bars[3]), ==, 11.25);
}

static void
test_sma_long_stream (void)
{
  /* A long incremental stream with a large offset: the periodic re-sum
   * keeps the running mean exact to rounding of one window. */
  const guint period = 50;
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  g_autofree double *window = g_new0 (double, period);
  EaSma sma;

  ea_sma_init (&sma, period);
  for (guint i = 0; i < 1000000; i++)
    {
      double x = 1e6 + g_rand_double_range (rand, -1000, 1000);
      double got = ea_sma_push (&sma, x);

      window[i % period] = x;
      if (i + 1 >= period && i % 9973 == 0)
        {
          double sum = 0;

          for (guint k = 0; k < period; k++)
            sum += window[k];
          g_assert_cmpfloat (fabs (got - sum / period), <=, 1e-9 * (sum / period));
        }
    }
  ea_sma_clear (&sma);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/indicators/ttr/arrays", test_ttr_arrays);
  g_test_add_func ("/indicators/ttr/incremental", test_ttr_incremental);
  g_test_add_func ("/indicators/hand-computed", test_hand_computed);
  g_test_add_func ("/indicators/edge-cases", test_edge_cases);
  g_test_add_func ("/indicators/atr-bars-ticks", test_atr_bars_ticks);
  g_test_add_func ("/indicators/sma-long-stream", test_sma_long_stream);

  return g_test_run ();
}
