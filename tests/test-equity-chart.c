/* test-equity-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journal charts on an image surface: drawdown shading exactly where
 * the curve is below its running peak, the trailing floor at its money
 * row, and daily P&L bars up from and down from the zero line.
 */
#include "config.h"

#include <math.h>

#include "ea-equity-chart.h"

#define W 800
#define H 402
#define HOUR (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define T0   (G_GINT64_CONSTANT (1794927600) * G_USEC_PER_SEC)

static guint32
pixel (cairo_surface_t *surface,
       int              x,
       int              y)
{
  unsigned char *data = cairo_image_surface_get_data (surface);

  cairo_surface_flush (surface);
  return *(guint32 *) (gpointer) (data + y * cairo_image_surface_get_stride (surface) + x * 4) & 0xffffff;
}

static gboolean
same (guint32        px,
      const GdkRGBA *c)
{
  return ABS ((int) ((px >> 16) & 0xff) - (int) lround (c->red * 255)) <= 1
         && ABS ((int) ((px >> 8) & 0xff) - (int) lround (c->green * 255)) <= 1
         && ABS ((int) (px & 0xff) - (int) lround (c->blue * 255)) <= 1;
}

static cairo_surface_t *
surface_new (cairo_t            **cr,
             PangoContext       **pango,
             EaChartCairoPainter *painter)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);

  *cr = cairo_create (surface);
  *pango = pango_cairo_create_context (*cr);
  ea_chart_cairo_painter_init (painter, *cr, *pango);
  return surface;
}

static void
test_equity (void)
{
  EaEquityPoint points[] = {
    { T0, EA_MICROS (100000), EA_MICROS (97000) },
    { T0 + HOUR, EA_MICROS (102000), EA_MICROS (98000) },
    { T0 + 2 * HOUR, EA_MICROS (99000), EA_MICROS (98000) },
    { T0 + 3 * HOUR, EA_MICROS (103000), EA_MICROS (99000) },
  };
  EaChartCairoPainter painter;
  EaChartPalette pal;
  EaEquityScale scale;
  cairo_t *cr;
  PangoContext *pango;
  cairo_surface_t *s = surface_new (&cr, &pango, &painter);
  guint32 shade;

  ea_chart_palette_init (&pal, FALSE, NULL);
  ea_equity_render (&painter.parent, &pal, W, H, points, G_N_ELEMENTS (points));
  ea_chart_cairo_painter_flush (&painter);

  /* $97,000 .. $103,000 padded by $300: 380 rows for $6,600. */
  ea_equity_scale_init (&scale, W, H, points, G_N_ELEMENTS (points));
  g_assert_cmpfloat_with_epsilon (scale.low, 96700, 1e-9);
  g_assert_cmpfloat_with_epsilon (scale.high, 103300, 1e-9);
  g_assert_cmpfloat_with_epsilon (ea_equity_scale_y (&scale, EA_MICROS (99000)), 4300 * 380 / 6600.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (ea_equity_scale_x (&scale, T0 + 2 * HOUR), 728 * 2 / 3.0, 1e-9);

  /* At the trough (column 485) the drawdown from the $102,000 peak is
   * shaded between rows 74 and 247; before the peak and after the curve
   * regains it (column ~667) there is none. */
  shade = pixel (s, 485, 160);
  g_assert_false (same (shade, &pal.background));
  g_assert_true (same (pixel (s, 485, 80), &pal.background) == FALSE);
  g_assert_true (same (pixel (s, 485, 72), &pal.background));
  g_assert_true (pixel (s, 350, 120) == shade);
  g_assert_true (same (pixel (s, 100, 160), &pal.background));
  g_assert_true (same (pixel (s, 700, 160), &pal.background));
  g_assert_true (pixel (s, 600, 110) == shade);
  g_assert_true (same (pixel (s, 600, 160), &pal.background));
  /* The floor ($97,000 until the first update) at row 362. */
  g_assert_true (same (pixel (s, 100, 362), &pal.floor));
  g_assert_false (same (pixel (s, 100, 357), &pal.floor));
  /* Raised to $98,000 at the second point (row 305) until the last. */
  g_assert_true (same (pixel (s, 300, 305), &pal.floor));
  g_assert_true (same (pixel (s, 650, 305), &pal.floor));
  g_assert_false (same (pixel (s, 300, 362), &pal.floor));

  g_object_unref (pango);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

static void
test_daily_pnl (void)
{
  EaDailyPnl days[] = {
    { 20261116, EA_MICROS (500) },
    { 20261117, EA_MICROS (-300) },
    { 20261118, EA_MICROS (200) },
    { 20261119, 0 },
  };
  EaChartCairoPainter painter;
  EaChartPalette pal;
  cairo_t *cr;
  PangoContext *pango;
  cairo_surface_t *s = surface_new (&cr, &pango, &painter);

  ea_chart_palette_init (&pal, TRUE, NULL);
  ea_daily_pnl_render (&painter.parent, &pal, W, H, days, G_N_ELEMENTS (days));
  ea_chart_cairo_painter_flush (&painter);

  /* -$340 .. $540 over 380 rows: zero at row 233, $500 at 17, -$300 at
   * 362. Slots of 182 px, bars 127 px wide from x 27. */
  g_assert_true (same (pixel (s, 90, 100), &pal.up));
  g_assert_true (same (pixel (s, 27, 17), &pal.up));
  g_assert_true (same (pixel (s, 26, 100), &pal.background));
  g_assert_true (same (pixel (s, 90, 16), &pal.background));
  g_assert_true (same (pixel (s, 90, 240), &pal.background));
  g_assert_true (same (pixel (s, 273, 300), &pal.down));
  g_assert_true (same (pixel (s, 273, 362), &pal.down));
  g_assert_true (same (pixel (s, 273, 363), &pal.background));
  g_assert_true (same (pixel (s, 273, 200), &pal.background));
  /* A flat day draws no bar, only the zero line. */
  g_assert_true (same (pixel (s, 637, 220), &pal.background));
  g_assert_false (same (pixel (s, 637, 233), &pal.background));

  g_object_unref (pango);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chart/equity/curve", test_equity);
  g_test_add_func ("/chart/equity/daily-pnl", test_daily_pnl);

  return g_test_run ();
}
