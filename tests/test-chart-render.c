/* test-chart-render.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The price chart drawn on an image surface at a fixed size with fixed
 * data: candle bodies and wicks at hand-computed pixels, up and down
 * colours, fill markers at their price, nothing outside the plot, and the
 * zoomed-out decimation against a brute-force min/max. Also the view's
 * navigation, incremental indicators, sessions and the floor price.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "ea-chart-render.h"
#include "ea-chart-view.h"
#include "ea-indicators.h"

/* 2026-11-17 15:00 UTC = 09:00 CT, a Tuesday. */
#define T0 (G_GINT64_CONSTANT (1794927600) * G_USEC_PER_SEC)
#define MINUTE (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)

/* 800 x 402: plot 728 x 380, volume 76, gap 4, price pane 300 rows. */
#define W 800
#define H 402

static EaBar
bar_at (gint64  i,
        EaTicks open,
        EaTicks high,
        EaTicks low,
        EaTicks close,
        gint64  volume)
{
  EaBar bar = { T0 + i * MINUTE, T0 + (i + 1) * MINUTE, open, high, low, close, volume, 1 };

  return bar;
}

static guint32
pixel (cairo_surface_t *surface,
       int              x,
       int              y)
{
  unsigned char *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  cairo_surface_flush (surface);
  return *(guint32 *) (gpointer) (data + y * stride + x * 4) & 0xffffff;
}

static gboolean
same (guint32        px,
      const GdkRGBA *c)
{
  int r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;

  return ABS (r - (int) lround (c->red * 255)) <= 1
         && ABS (g - (int) lround (c->green * 255)) <= 1
         && ABS (b - (int) lround (c->blue * 255)) <= 1;
}

#define assert_color(s, x, y, c) \
  G_STMT_START { \
    guint32 px_ = pixel ((s), (x), (y)); \
    if (!same (px_, (c))) \
      g_error ("pixel (%d, %d) is #%06x, expected %s", (x), (y), px_, #c); \
  } G_STMT_END

static cairo_surface_t *
render (EaChartView          *view,
        const EaChartPalette *palette)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  cairo_t *cr = cairo_create (surface);

  ea_chart_render_cairo (view, cr, palette);
  cairo_destroy (cr);
  return surface;
}

static EaChartView *
fixed_view (void)
{
  EaChartView *view = ea_chart_view_new ();
  EaBar bars[10];

  for (int i = 0; i < 10; i++)
    bars[i] = bar_at (i, 50, 55, 45, 52, 10);
  bars[2] = bar_at (2, 40, 70, 30, 60, 100);   /* up */
  bars[3] = bar_at (3, 60, 65, 40, 45, 50);    /* down */
  ea_chart_view_set_size (view, W, H);
  ea_chart_view_set_bars (view, bars, G_N_ELEMENTS (bars));
  ea_chart_view_set_range (view, 0, 20);
  ea_chart_view_set_price_range (view, 0, 100);
  return view;
}

static void
test_layout (void)
{
  EaChartView *view = fixed_view ();
  EaChartRect plot = ea_chart_view_get_plot_rect (view);
  EaChartRect price = ea_chart_view_get_price_rect (view);
  EaChartRect vol = ea_chart_view_get_volume_rect (view);

  g_assert_cmpfloat (plot.width, ==, 728);
  g_assert_cmpfloat (plot.height, ==, 380);
  g_assert_cmpfloat (price.height, ==, 300);
  g_assert_cmpfloat (vol.y, ==, 304);
  g_assert_cmpfloat (vol.height, ==, 76);
  /* 3 px per tick from 100 at the top. */
  g_assert_cmpint (ea_chart_view_row_of_price (view, 60), ==, 120);
  g_assert_cmpint (ea_chart_view_row_of_price (view, 30), ==, 210);
  g_assert_cmpfloat_with_epsilon (ea_chart_view_price_at_y (view, 150), 50, 1e-9);
  ea_chart_view_free (view);
}

static void
test_candles (void)
{
  EaChartView *view = fixed_view ();
  EaChartPalette pal;
  cairo_surface_t *s;

  ea_chart_palette_init (&pal, FALSE, NULL);
  s = render (view, &pal);

  /* Bar 2 (up): slot [40, 60), body 15 px wide at x 42..56, wick at x 49;
   * body rows 120..180 (60 and 40), wick rows 90..210 (70 and 30). */
  assert_color (s, 42, 150, &pal.up);
  assert_color (s, 56, 150, &pal.up);
  assert_color (s, 41, 150, &pal.background);
  assert_color (s, 57, 150, &pal.background);
  assert_color (s, 49, 120, &pal.up);
  assert_color (s, 49, 119, &pal.up);     /* wick above the body */
  assert_color (s, 48, 119, &pal.background);
  assert_color (s, 49, 90, &pal.up);
  assert_color (s, 49, 89, &pal.background);
  assert_color (s, 49, 210, &pal.up);
  assert_color (s, 49, 211, &pal.background);
  assert_color (s, 49, 180, &pal.up);
  assert_color (s, 45, 181, &pal.background);

  /* Bar 3 (down): body rows 120 (60) .. 165 (45), wick 105 (65) .. 180 (40). */
  assert_color (s, 62, 140, &pal.down);
  assert_color (s, 76, 165, &pal.down);
  assert_color (s, 62, 166, &pal.background);
  assert_color (s, 69, 105, &pal.down);
  assert_color (s, 69, 104, &pal.background);
  assert_color (s, 69, 180, &pal.down);
  assert_color (s, 69, 181, &pal.background);
  g_assert_false (same (pixel (s, 62, 140), &pal.up));

  /* Volume: bar 2 has the most (100) and fills the pane to its top row;
   * bar 3 (50) half of its 76 rows. */
  g_assert_true (same (pixel (s, 50, 304), &pal.background) == FALSE);
  assert_color (s, 70, 340, &pal.background);
  g_assert_false (same (pixel (s, 70, 345), &pal.background));

  cairo_surface_destroy (s);
  ea_chart_view_free (view);
}

static void
test_fill_markers (void)
{
  EaChartView *view = fixed_view ();
  EaChartMarker fills[] = {
    { T0 + 4 * MINUTE + 10 * G_USEC_PER_SEC, 50, EA_SIDE_BUY, "Bought 1 @ 50" },
    { T0 + 6 * MINUTE, 20, EA_SIDE_SELL, NULL },
  };
  EaChartPalette pal;
  cairo_surface_t *s;
  EaChartMarkerKind kind;
  gsize index;

  ea_chart_palette_init (&pal, FALSE, NULL);
  ea_chart_view_set_markers (view, EA_CHART_MARKER_FILL, fills, G_N_ELEMENTS (fills));
  s = render (view, &pal);

  /* Bar 4's centre is x 90; price 50 is row 150; price 20 is row 240. */
  assert_color (s, 90, 150, &pal.buy);
  assert_color (s, 90, 148, &pal.buy);
  g_assert_false (same (pixel (s, 90, 160), &pal.buy));
  assert_color (s, 130, 240, &pal.sell);
  g_assert_false (same (pixel (s, 130, 225), &pal.sell));
  g_assert_false (same (pixel (s, 90, 240), &pal.sell));

  g_assert_true (ea_chart_view_marker_at (view, 91, 151, &kind, &index));
  g_assert_cmpint (kind, ==, EA_CHART_MARKER_FILL);
  g_assert_cmpuint (index, ==, 0);
  g_assert_false (ea_chart_view_marker_at (view, 200, 20, &kind, &index));

  cairo_surface_destroy (s);
  ea_chart_view_free (view);
}

/* Bars and every overlay far outside a narrow price range: nothing may be
 * painted outside the price and volume panes but neutral axis text. */
static void
test_clipping (void)
{
  EaChartView *view = ea_chart_view_new ();
  g_autoptr(GArray) bars = g_array_new (FALSE, FALSE, sizeof (EaBar));
  guint periods[] = { 3, 8 };
  EaChartOrder orders[] = {
    { "1", EA_SIDE_BUY, EA_CHART_ORDER_LIMIT, 5, 1, TRUE },
    { "2", EA_SIDE_SELL, EA_CHART_ORDER_BRACKET_TARGET, 500, 1, TRUE },
  };
  EaChartMarker marks[] = { { T0, 1000, EA_SIDE_BUY, NULL }, { T0 + 5 * MINUTE, 0, EA_SIDE_SELL, NULL } };
  EaChartPalette pal;
  cairo_surface_t *s;

  for (int i = 0; i < 200; i++)
    {
      EaBar b = bar_at (i, 100 + (i % 7) * 3, 400, -200, 100 + (i % 5) * 4, 10 + i % 13);

      g_array_append_val (bars, b);
    }
  g_array_index (bars, EaBar, 199).close = 300;   /* last price out of range */
  ea_chart_view_set_size (view, W, H);
  ea_chart_view_set_bars (view, (EaBar *) (gpointer) bars->data, bars->len);
  ea_chart_view_set_emas (view, periods, G_N_ELEMENTS (periods));
  ea_chart_view_set_atr_bands (view, TRUE, 14, 2.0);
  ea_chart_view_set_orders (view, orders, G_N_ELEMENTS (orders));
  ea_chart_view_set_markers (view, EA_CHART_MARKER_FILL, marks, G_N_ELEMENTS (marks));
  ea_chart_view_set_markers (view, EA_CHART_MARKER_ERM, marks, G_N_ELEMENTS (marks));
  ea_chart_view_set_position (view, TRUE, 900, 2);
  ea_chart_view_set_floor_price (view, TRUE, -50);
  ea_chart_view_set_range (view, -20, 6);          /* bars cross the left edge too */
  ea_chart_view_set_price_range (view, 110, 130);
  ea_chart_palette_init (&pal, FALSE, NULL);
  s = render (view, &pal);

  /* Inside, the candles are there. */
  g_assert_false (same (pixel (s, 200, 150), &pal.background));

  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      {
        gboolean outside = x >= 728 || y >= 380 || (y >= 300 && y < 304);
        guint32 px = pixel (s, x, y);
        int r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;

        if (outside && (ABS (r - g) > 3 || ABS (g - b) > 3))
          g_error ("coloured pixel #%06x outside the plot at (%d, %d)", px, x, y);
      }

  cairo_surface_destroy (s);
  ea_chart_view_free (view);
}

static void
test_decimation (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gsize n = 100000, n_cols = 500;
  g_autofree EaBar *bars = g_new (EaBar, n);
  g_autofree EaChartColumn *cols = g_new (EaChartColumn, n_cols);
  double first = 1234.4, bar_px = 0.0061;
  EaTicks price = 10000;

  for (gsize i = 0; i < n; i++)
    {
      EaTicks o = price, c = price + g_rand_int_range (rand, -8, 9);

      bars[i] = bar_at ((gint64) i, o, MAX (o, c) + g_rand_int_range (rand, 0, 5),
                        MIN (o, c) - g_rand_int_range (rand, 0, 5), c, g_rand_int_range (rand, 1, 100));
      price = c;
    }
  ea_chart_decimate (bars, n, first, bar_px, n_cols, cols);

  for (gsize c = 0; c < n_cols; c++)
    {
      EaTicks hi = G_MININT64, lo = G_MAXINT64;
      gint64 count = 0, vol = 0, first_i = -1, last_i = -1;

      for (gsize i = 0; i < n; i++)
        if (floor (((double) i - first) * bar_px) == (double) c)
          {
            hi = MAX (hi, bars[i].high);
            lo = MIN (lo, bars[i].low);
            vol += bars[i].volume;
            if (first_i < 0)
              first_i = (gint64) i;
            last_i = (gint64) i;
            count++;
          }
      g_assert_cmpint (cols[c].n, ==, count);
      if (count == 0)
        continue;
      g_assert_cmpint (cols[c].high, ==, hi);
      g_assert_cmpint (cols[c].low, ==, lo);
      g_assert_cmpint (cols[c].volume, ==, vol);
      g_assert_cmpint (cols[c].first, ==, first_i);
      g_assert_cmpint (cols[c].open, ==, bars[first_i].open);
      g_assert_cmpint (cols[c].close, ==, bars[last_i].close);
    }
  /* ~164 bars per column: the range covers columns 0..499 fully. */
  g_assert_cmpint (cols[0].n, >, 150);
  g_assert_cmpint (cols[n_cols - 1].n, >, 150);

  /* The view's cached columns (read through blocks of bars) are the same,
   * also after live updates of the last bars. */
  {
    EaChartView *view = ea_chart_view_new ();
    const EaChartColumn *vc;
    gsize vn;
    EaBar live = bars[n - 1];

    ea_chart_view_set_size (view, (int) n_cols + EA_CHART_PRICE_AXIS_WIDTH, 300);
    ea_chart_view_set_bars (view, bars, n - 5);
    for (gsize i = n - 5; i < n; i++)
      ea_chart_view_append_bar (view, &bars[i]);
    live.start += 60 * G_USEC_PER_SEC;
    live.high = 999999;
    ea_chart_view_update_forming (view, &live);
    ea_chart_view_set_range (view, 0, (double) n_cols / (n + 1));
    g_free (cols);
    cols = g_new (EaChartColumn, n_cols);
    {
      g_autofree EaBar *all = g_new (EaBar, n + 1);

      memcpy (all, bars, n * sizeof (EaBar));
      all[n] = live;
      ea_chart_decimate (all, n + 1, 0, (double) n_cols / (n + 1), n_cols, cols);
    }
    vc = ea_chart_view_get_columns (view, &vn);
    g_assert_cmpuint (vn, ==, n_cols);
    for (gsize c = 0; c < n_cols; c++)
      {
        g_assert_cmpint (vc[c].n, ==, cols[c].n);
        g_assert_cmpint (vc[c].high, ==, cols[c].high);
        g_assert_cmpint (vc[c].low, ==, cols[c].low);
        g_assert_cmpint (vc[c].volume, ==, cols[c].volume);
        g_assert_cmpint (vc[c].open, ==, cols[c].open);
        g_assert_cmpint (vc[c].close, ==, cols[c].close);
      }
    g_assert_cmpint (vc[n_cols - 1].high, ==, 999999);
    ea_chart_view_free (view);
  }
}

/* Zoomed out, the drawn column is exactly its high..low. */
static void
test_decimated_render (void)
{
  EaChartView *view = ea_chart_view_new ();
  gsize n = 20000;
  g_autofree EaBar *bars = g_new (EaBar, n);
  const EaChartColumn *cols;
  gsize n_cols;
  EaChartPalette pal;
  cairo_surface_t *s;
  int checked = 0;

  for (gsize i = 0; i < n; i++)
    {
      EaTicks base = 40 + (EaTicks) (i % 37);

      bars[i] = bar_at ((gint64) i, base, base + 5 + (EaTicks) (i % 3), base - 3, (i / 50) % 2 ? base + 1 : base - 1, 5);
    }
  ea_chart_view_set_size (view, W, H);
  ea_chart_view_set_bars (view, bars, n);
  ea_chart_view_set_range (view, 0, 728.0 / n);
  ea_chart_view_set_price_range (view, 0, 100);
  g_assert_true (ea_chart_view_is_decimated (view));
  ea_chart_palette_init (&pal, FALSE, NULL);
  s = render (view, &pal);
  cols = ea_chart_view_get_columns (view, &n_cols);
  g_assert_cmpuint (n_cols, ==, 728);
  for (gsize c = 10; c < n_cols; c += 37)
    {
      const GdkRGBA *color = cols[c].close >= cols[c].open ? &pal.up : &pal.down;
      int top = 300 - 3 * (int) cols[c].high, bottom = 300 - 3 * (int) cols[c].low;

      if (cols[c].n == 0)
        continue;
      assert_color (s, (int) c, top, color);
      assert_color (s, (int) c, bottom, color);
      g_assert_false (same (pixel (s, (int) c, top - 1), color));
      g_assert_false (same (pixel (s, (int) c, bottom + 1), color));
      checked++;
    }
  g_assert_cmpint (checked, >, 10);
  cairo_surface_destroy (s);
  ea_chart_view_free (view);
}

static void
test_navigation (void)
{
  EaChartView *view = ea_chart_view_new ();
  g_autofree EaBar *bars = g_new (EaBar, 1000);
  double before, first;
  EaBar next;

  for (int i = 0; i < 1000; i++)
    bars[i] = bar_at (i, 50, 55, 45, 52, 10);
  ea_chart_view_set_size (view, W, H);
  ea_chart_view_set_bars (view, bars, 1000);

  /* New charts follow the last bar: it sits 3 bars from the right edge. */
  g_assert_true (ea_chart_view_get_following (view));
  g_assert_cmpfloat_with_epsilon (ea_chart_view_get_first (view), 1003 - 728 / 8.0, 1e-9);

  /* Zoom around x = 300 keeps the bar under it there. */
  before = ea_chart_view_index_at_x (view, 300);
  ea_chart_view_zoom_at (view, 300, 1.5);
  g_assert_cmpfloat_with_epsilon (ea_chart_view_get_bar_px (view), 12, 1e-9);
  g_assert_cmpfloat_with_epsilon (ea_chart_view_index_at_x (view, 300), before, 1e-9);
  ea_chart_view_zoom_at (view, 650, 0.25);
  g_assert_cmpfloat_with_epsilon (ea_chart_view_get_bar_px (view), 3, 1e-9);

  /* Dragging 120 px right shows 40 older bars and stops following. */
  ea_chart_view_end (view);
  first = ea_chart_view_get_first (view);
  ea_chart_view_pan_px (view, 120);
  g_assert_cmpfloat_with_epsilon (ea_chart_view_get_first (view), first - 40, 1e-9);
  ea_chart_view_pan_px (view, 600);
  g_assert_false (ea_chart_view_get_following (view));
  first = ea_chart_view_get_first (view);
  next = bar_at (1000, 52, 53, 51, 52, 1);
  ea_chart_view_append_bar (view, &next);
  g_assert_cmpfloat (ea_chart_view_get_first (view), ==, first);

  /* End resumes; new bars then scroll the chart by one bar each. */
  ea_chart_view_end (view);
  g_assert_true (ea_chart_view_get_following (view));
  first = ea_chart_view_get_first (view);
  next = bar_at (1001, 52, 53, 51, 52, 1);
  ea_chart_view_append_bar (view, &next);
  g_assert_cmpfloat_with_epsilon (ea_chart_view_get_first (view), first + 1, 1e-9);
  /* The forming bar updates in place. */
  next = bar_at (1002, 52, 53, 51, 52, 1);
  ea_chart_view_update_forming (view, &next);
  next.close = 53;
  ea_chart_view_update_forming (view, &next);
  g_assert_cmpuint (ea_chart_view_get_n_bars (view), ==, 1003);
  g_assert_true (ea_chart_view_has_forming (view));
  g_assert_cmpint (ea_chart_view_get_bar (view, 1002)->close, ==, 53);

  /* Home shows the first bar at the left edge; the range never loses all
   * bars. */
  ea_chart_view_home (view);
  g_assert_cmpfloat (ea_chart_view_get_first (view), ==, 0);
  g_assert_false (ea_chart_view_get_following (view));
  ea_chart_view_pan_px (view, 1e6);
  g_assert_cmpfloat (ea_chart_view_get_first (view), >, -728 / 3.0);
  ea_chart_view_free (view);
}

static void
test_incremental_indicators (void)
{
  EaChartView *whole = ea_chart_view_new ();
  EaChartView *live = ea_chart_view_new ();
  guint periods[] = { 5, 20 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autofree EaBar *bars = g_new (EaBar, 300);
  EaTicks p = 1000;

  for (int i = 0; i < 300; i++)
    {
      EaTicks c = p + g_rand_int_range (rand, -5, 6);

      bars[i] = bar_at (i, p, MAX (p, c) + 2, MIN (p, c) - 1, c, 3);
      p = c;
    }
  ea_chart_view_set_emas (whole, periods, 2);
  ea_chart_view_set_atr_bands (whole, TRUE, 14, 2);
  ea_chart_view_set_bars (whole, bars, 300);
  ea_chart_view_set_emas (live, periods, 2);
  ea_chart_view_set_atr_bands (live, TRUE, 14, 2);
  for (int i = 0; i < 300; i++)
    {
      EaBar partial = bars[i];

      partial.close = partial.open;
      ea_chart_view_update_forming (live, &partial);
      ea_chart_view_append_bar (live, &bars[i]);
    }
  for (guint k = 0; k < 2; k++)
    for (int i = 0; i < 300; i++)
      {
        double a = ea_chart_view_get_ema (whole, k)[i], b = ea_chart_view_get_ema (live, k)[i];

        g_assert_true ((isnan (a) && isnan (b)) || a == b);
      }
  for (int i = 0; i < 300; i++)
    {
      double a = ea_chart_view_get_atr (whole)[i], b = ea_chart_view_get_atr (live)[i];

      g_assert_true ((isnan (a) && isnan (b)) || fabs (a - b) < 1e-9);
    }
  /* EMA(5) at bar 4 is the mean of the first five closes. */
  g_assert_cmpfloat_with_epsilon (ea_chart_view_get_ema (whole, 0)[4],
                                  (bars[0].close + bars[1].close + bars[2].close + bars[3].close + bars[4].close) / 5.0,
                                  1e-9);
  g_assert_true (isnan (ea_chart_view_get_ema (whole, 0)[3]));
  ea_chart_view_free (whole);
  ea_chart_view_free (live);
}

static void
test_sessions (void)
{
  EaChartView *view = ea_chart_view_new ();
  g_autofree EaBar *bars = g_new (EaBar, 120);
  const gint64 *starts;
  gsize n_starts;
  /* 21:30 UTC = 15:30 CST: bar 30 is the 16:00 CT close, a new trading day. */
  EaTimeUs t = (G_GINT64_CONSTANT (1794927600) + 6 * 3600 + 30 * 60) * G_USEC_PER_SEC;

  for (int i = 0; i < 120; i++)
    {
      bars[i] = bar_at (i, 1, 2, 0, 1, 1);
      bars[i].start = t + i * MINUTE;
      bars[i].end = bars[i].start + MINUTE;
    }
  ea_chart_view_set_bars (view, bars, 120);
  starts = ea_chart_view_get_session_starts (view, &n_starts);
  g_assert_cmpuint (n_starts, ==, 1);
  g_assert_cmpint (starts[0], ==, 30);
  g_assert_cmpint (ea_chart_view_index_at_time (view, t + 30 * MINUTE + 5), ==, 30);
  g_assert_cmpint (ea_chart_view_index_at_time (view, t - 1), ==, -1);
  ea_chart_view_free (view);
}

static void
test_price_steps (void)
{
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  const EaInstrumentSpec *zn = ea_instrument_lookup ("ZN");
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  /* ES over 100 ticks (25 points) on 300 px, >= 36 px apart: 10 ticks
   * (2.50) is 30 px, too close; 20 ticks (5.00) is 60 px. */
  g_assert_cmpint (ea_chart_price_step (es, 100, 300, 36), ==, 20);
  g_assert_cmpint (ea_chart_price_step (es, 1000, 300, 36), ==, 200);
  /* ZN (64 ticks a point, quoted in 32nds): powers of two only, so every
   * label is a whole or half 32nd. 100 ticks on 300 px: 16 ticks = 8/32. */
  g_assert_cmpint (ea_chart_price_step (zn, 100, 300, 36), ==, 16);
  g_assert_cmpint (ea_chart_price_step (zn, 1000, 300, 36), ==, 128);
  g_assert_cmpint (ea_chart_price_step (zn, 6000, 300, 36), ==, 1024);
  a = ea_instrument_format_price (zn, 110 * 64 + 16);
  b = ea_instrument_format_price (zn, 110 * 64 + 33);
  g_assert_cmpstr (a, ==, "110-080");
  g_assert_cmpstr (b, ==, "110-165");
}

static void
test_floor_price (void)
{
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  EaTicks p;

  /* Long 2 ES at 5000.00 (20000 ticks), $50,000, floor $48,000: $2,000
   * is 80 ticks of $25 (2 x $12.50): dead at 4980.00. */
  g_assert_true (ea_chart_floor_price (es, 20000, 2, EA_MICROS (50000), EA_MICROS (48000), &p));
  g_assert_cmpint (p, ==, 19920);
  /* Floor $48,010: $1,990 = 79.6 ticks; 79 ticks down leaves $48,025, 80
   * leaves $48,000 <= floor: the first dead tick is 80 down. */
  g_assert_true (ea_chart_floor_price (es, 20000, 2, EA_MICROS (50000), EA_MICROS (48010), &p));
  g_assert_cmpint (p, ==, 19920);
  /* Short 3 at 20000: $1,990 / $37.50 = 53.07 ticks up: dead at +54. */
  g_assert_true (ea_chart_floor_price (es, 20000, -3, EA_MICROS (50000), EA_MICROS (48010), &p));
  g_assert_cmpint (p, ==, 20054);
  g_assert_false (ea_chart_floor_price (es, 20000, 0, EA_MICROS (50000), EA_MICROS (48000), &p));
  g_assert_false (ea_chart_floor_price (es, 20000, 1, EA_MICROS (48000), EA_MICROS (48000), &p));
}

static void
test_order_drag_view (void)
{
  EaChartView *view = fixed_view ();
  EaChartOrder order = { "77", EA_SIDE_BUY, EA_CHART_ORDER_LIMIT, 50, 1, TRUE };
  EaChartOrder fixed = { "78", EA_SIDE_SELL, EA_CHART_ORDER_BRACKET_STOP, 80, 1, FALSE };
  EaChartOrder both[2];
  g_autofree char *id = NULL;
  const EaChartOrder *orders;
  gsize n;
  EaTicks price;

  both[0] = order;
  both[1] = fixed;
  ea_chart_view_set_orders (view, both, 2);
  g_assert_cmpint (ea_chart_view_order_at (view, 300, 150.5), ==, 0);
  g_assert_cmpint (ea_chart_view_order_at (view, 300, 60.5), ==, 1);
  g_assert_cmpint (ea_chart_view_order_at (view, 300, 100), ==, -1);
  g_assert_false (ea_chart_view_begin_order_drag (view, 1));

  g_assert_true (ea_chart_view_begin_order_drag (view, 0));
  ea_chart_view_update_order_drag (view, 90);   /* price 70 */
  g_assert_true (ea_chart_view_end_order_drag (view, TRUE, &id, &price));
  g_assert_cmpstr (id, ==, "77");
  g_assert_cmpint (price, ==, 70);
  orders = ea_chart_view_get_orders (view, &n);
  g_assert_cmpint (orders[0].price, ==, 50);
  ea_chart_view_free (view);
}

/* Records every text the chart draws, then draws it as usual. */
typedef struct
{
  EaChartCairoPainter  cairo;
  GPtrArray           *texts;
  void               (*draw_text) (EaChartPainter *painter,
                                   PangoLayout    *layout,
                                   double          x,
                                   double          y,
                                   const GdkRGBA  *color);
} RecordingPainter;

static void
recording_text (EaChartPainter *painter,
                PangoLayout    *layout,
                double          x,
                double          y,
                const GdkRGBA  *color)
{
  RecordingPainter *self = (RecordingPainter *) painter;

  g_ptr_array_add (self->texts, g_strdup (pango_layout_get_text (layout)));
  self->draw_text (painter, layout, x, y, color);
}

/* The texts drawn for @view with the pointer at (@x, @y). */
static GPtrArray *
render_texts (EaChartView *view,
              double       x,
              double       y)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  cairo_t *cr = cairo_create (surface);
  PangoContext *pango = pango_cairo_create_context (cr);
  RecordingPainter painter;
  EaChartPalette pal;

  ea_chart_palette_init (&pal, FALSE, NULL);
  ea_chart_view_set_pointer (view, TRUE, x, y);
  ea_chart_cairo_painter_init (&painter.cairo, cr, pango);
  painter.draw_text = painter.cairo.parent.text;
  painter.cairo.parent.text = recording_text;
  painter.texts = g_ptr_array_new_with_free_func (g_free);
  ea_chart_render (view, &painter.cairo.parent, &pal);
  ea_chart_cairo_painter_flush (&painter.cairo);

  g_object_unref (pango);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return painter.texts;
}

/* The drawn text that starts with @prefix, or NULL. */
static const char *
find_text (GPtrArray  *texts,
           const char *prefix)
{
  for (guint i = 0; i < texts->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (texts, i), prefix))
      return g_ptr_array_index (texts, i);
  return NULL;
}

/* The crosshair's readout shows the OHLCV and indicator values of the bar
 * under the pointer, in the instrument's price format. ES, ticks of 0.25:
 * EMA(2) and EMA(3) seed with the mean of their first closes, Wilder's
 * ATR(2) with the mean of its first true ranges. */
static void
test_crosshair_readout (void)
{
  EaChartView *view = fixed_view ();
  guint periods[] = { 2, 3 };
  g_autoptr(GPtrArray) at_2 = NULL;
  g_autoptr(GPtrArray) at_3 = NULL;
  g_autoptr(GPtrArray) at_0 = NULL;
  g_autoptr(GPtrArray) outside = NULL;

  ea_chart_view_set_instrument (view, ea_instrument_lookup ("ES"));
  ea_chart_view_set_emas (view, periods, 2);
  ea_chart_view_set_atr_bands (view, TRUE, 2, 1.5);
  ea_chart_view_set_price_range (view, 0, 100);

  /* Bar 2 spans x 40..59. EMA(2): (52 + 52) / 2 = 52, then
   * 60 * 2/3 + 52 / 3 = 57.33 -> 57 ticks (14.25). EMA(3):
   * (52 + 52 + 60) / 3 = 54.67 -> 55 (13.75). True ranges 10 (bar 1)
   * and 40 (bar 2): ATR 25 ticks = 6.25. */
  at_2 = render_texts (view, 45, 150);
  g_assert_cmpstr (find_text (at_2, "O "), ==,
                   "O 10.00  H 17.50  L 7.50  C 15.00  V 100  EMA2 14.25  EMA3 13.75  ATR 6.25");
  g_assert_nonnull (find_text (at_2, "Tue Nov 17 09:02:00 CT"));
  /* The price under the pointer: row 150 is 50 ticks. */
  g_assert_nonnull (find_text (at_2, "12.50"));

  /* Bar 3 (x 60..79): EMA(2) 45 * 2/3 + 57.33 / 3 = 49.11 -> 49 (12.25),
   * EMA(3) (45 + 54.67) / 2 = 49.83 -> 50 (12.50); true range 25, ATR
   * (25 + 25) / 2 = 25. */
  at_3 = render_texts (view, 79, 40);
  g_assert_cmpstr (find_text (at_3, "O "), ==,
                   "O 15.00  H 16.25  L 10.00  C 11.25  V 50  EMA2 12.25  EMA3 12.50  ATR 6.25");
  g_assert_nonnull (find_text (at_3, "Tue Nov 17 09:03:00 CT"));

  /* Bar 0: every indicator is still warming up, so only OHLCV. */
  at_0 = render_texts (view, 0, 150);
  g_assert_cmpstr (find_text (at_0, "O "), ==, "O 12.50  H 13.75  L 11.25  C 13.00  V 10  ");

  /* Over the price axis the pointer is off the plot: no readout. */
  outside = render_texts (view, 750, 150);
  g_assert_null (find_text (outside, "O "));
  ea_chart_view_set_pointer (view, FALSE, 0, 0);
  ea_chart_view_free (view);
}

/* A realistic chart for the README. */
static void
test_screenshot (void)
{
  EaChartView *view = ea_chart_view_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autofree EaBar *bars = g_new (EaBar, 400);
  guint periods[] = { 9, 21 };
  EaTicks p = 20000;
  EaChartOrder orders[] = {
    { "1", EA_SIDE_BUY, EA_CHART_ORDER_LIMIT, 0, 1, TRUE },
    { "2", EA_SIDE_SELL, EA_CHART_ORDER_BRACKET_TARGET, 0, 2, TRUE },
    { "3", EA_SIDE_SELL, EA_CHART_ORDER_BRACKET_STOP, 0, 2, TRUE },
  };
  EaChartMarker fills[2], signals[1], erm[1];
  EaChartPalette pal;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1200, 640);
  cairo_t *cr = cairo_create (surface);
  g_autofree char *dir = g_build_filename (g_test_get_dir (G_TEST_BUILT), "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, "chart.png", NULL);

  for (int i = 0; i < 400; i++)
    {
      EaTicks c = p + g_rand_int_range (rand, -6, 7);

      bars[i] = bar_at (i, p, MAX (p, c) + g_rand_int_range (rand, 0, 4), MIN (p, c) - g_rand_int_range (rand, 0, 4),
                        c, g_rand_int_range (rand, 100, 2000));
      p = c;
    }
  ea_chart_view_set_instrument (view, ea_instrument_lookup ("ES"));
  ea_chart_view_set_size (view, 1200, 640);
  ea_chart_view_set_emas (view, periods, 2);
  ea_chart_view_set_atr_bands (view, TRUE, 14, 2);
  ea_chart_view_set_bars (view, bars, 400);
  orders[0].price = p - 12;
  orders[1].price = p + 16;
  orders[2].price = p - 24;
  ea_chart_view_set_orders (view, orders, 3);
  fills[0] = (EaChartMarker) { bars[330].start, bars[330].low + 1, EA_SIDE_BUY, NULL };
  fills[1] = (EaChartMarker) { bars[360].start, bars[360].high - 1, EA_SIDE_SELL, NULL };
  signals[0] = (EaChartMarker) { bars[340].start, bars[340].low - 3, EA_SIDE_BUY, "Enigma: long" };
  erm[0] = (EaChartMarker) { bars[375].start, bars[375].high + 2, EA_SIDE_SELL, "ERM reversal" };
  ea_chart_view_set_markers (view, EA_CHART_MARKER_FILL, fills, 2);
  ea_chart_view_set_markers (view, EA_CHART_MARKER_SIGNAL, signals, 1);
  ea_chart_view_set_markers (view, EA_CHART_MARKER_ERM, erm, 1);
  ea_chart_view_set_position (view, TRUE, p - 6, 2);
  ea_chart_view_set_floor_price (view, TRUE, p - 40);
  ea_chart_view_set_pointer (view, TRUE, 900, 200);
  ea_chart_palette_init (&pal, TRUE, NULL);
  ea_chart_render_cairo (view, cr, &pal);
  cairo_destroy (cr);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  ea_chart_view_free (view);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chart/render/layout", test_layout);
  g_test_add_func ("/chart/render/candles", test_candles);
  g_test_add_func ("/chart/render/fill-markers", test_fill_markers);
  g_test_add_func ("/chart/render/clipping", test_clipping);
  g_test_add_func ("/chart/render/decimation", test_decimation);
  g_test_add_func ("/chart/render/decimated", test_decimated_render);
  g_test_add_func ("/chart/view/navigation", test_navigation);
  g_test_add_func ("/chart/view/incremental-indicators", test_incremental_indicators);
  g_test_add_func ("/chart/view/sessions", test_sessions);
  g_test_add_func ("/chart/view/floor-price", test_floor_price);
  g_test_add_func ("/chart/render/price-steps", test_price_steps);
  g_test_add_func ("/chart/view/order-drag", test_order_drag_view);
  g_test_add_func ("/chart/render/crosshair-readout", test_crosshair_readout);
  g_test_add_func ("/chart/render/screenshot", test_screenshot);

  return g_test_run ();
}
