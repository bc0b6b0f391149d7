/* bench-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Frame times of the price chart on a 1920x1080 image surface with every
 * overlay on (two EMAs, ATR bands, position, floor, working and bracket
 * orders, fills, signals, ERM arrows, crosshair): 500 bars on screen, and
 * a million bars zoomed out (decimated, panned one pixel per frame so each
 * frame recomputes its columns). Then one quote to a redrawn frame: the
 * forming bar updated and the chart rendered again. Last, the Demo
 * exchange's history for a chart: 500 one-minute bars, and 500 one-second
 * bars just after Sunday's open (the walk skips the weekend).
 */
#include "config.h"

#include "ea-chart-render.h"
#include "ea-chart-view.h"
#include "ea-sim-exchange.h"

#define WIDTH  1920
#define HEIGHT 1080
#define MINUTE (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define T0     (G_GINT64_CONSTANT (1794927600) * G_USEC_PER_SEC)

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_double);
  return values[n / 2];
}

static EaChartView *
make_view (gsize n_bars)
{
  EaChartView *view = ea_chart_view_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autofree EaBar *bars = g_new (EaBar, n_bars);
  guint periods[] = { 9, 21 };
  EaTicks p = 20000;
  EaChartOrder orders[] = {
    { "1", EA_SIDE_BUY, EA_CHART_ORDER_LIMIT, 0, 1, TRUE },
    { "2", EA_SIDE_SELL, EA_CHART_ORDER_BRACKET_TARGET, 0, 2, TRUE },
    { "3", EA_SIDE_SELL, EA_CHART_ORDER_BRACKET_STOP, 0, 2, TRUE },
    { "4", EA_SIDE_SELL, EA_CHART_ORDER_STOP, 0, 1, TRUE },
  };
  EaChartMarker markers[30];

  for (gsize i = 0; i < n_bars; i++)
    {
      EaTicks c = p + g_rand_int_range (rand, -6, 7);

      bars[i] = (EaBar) { T0 + (gint64) i * MINUTE, T0 + (gint64) (i + 1) * MINUTE, p,
                          MAX (p, c) + g_rand_int_range (rand, 0, 4), MIN (p, c) - g_rand_int_range (rand, 0, 4),
                          c, g_rand_int_range (rand, 100, 2000), 10 };
      p = c;
    }
  ea_chart_view_set_instrument (view, ea_instrument_lookup ("ES"));
  ea_chart_view_set_size (view, WIDTH, HEIGHT);
  ea_chart_view_set_emas (view, periods, G_N_ELEMENTS (periods));
  ea_chart_view_set_atr_bands (view, TRUE, 14, 2.0);
  ea_chart_view_set_bars (view, bars, n_bars);

  orders[0].price = p - 10;
  orders[1].price = p + 20;
  orders[2].price = p - 20;
  orders[3].price = p + 8;
  ea_chart_view_set_orders (view, orders, G_N_ELEMENTS (orders));
  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    {
      gsize b = n_bars - 1 - (i * 13) % MIN (n_bars, 480);

      markers[i] = (EaChartMarker) { bars[b].start, bars[b].close, i % 2 ? EA_SIDE_BUY : EA_SIDE_SELL, "m" };
    }
  ea_chart_view_set_markers (view, EA_CHART_MARKER_FILL, markers, 10);
  ea_chart_view_set_markers (view, EA_CHART_MARKER_SIGNAL, markers + 10, 10);
  ea_chart_view_set_markers (view, EA_CHART_MARKER_ERM, markers + 20, 10);
  ea_chart_view_set_position (view, TRUE, p - 4, 2);
  ea_chart_view_set_floor_price (view, TRUE, p - 60);
  ea_chart_view_set_pointer (view, TRUE, 900, 400);
  return view;
}

static double
frame_ms (EaChartView          *view,
          cairo_t              *cr,
          const EaChartPalette *palette)
{
  gint64 t0 = g_get_monotonic_time ();

  ea_chart_render_cairo (view, cr, palette);
  cairo_surface_flush (cairo_get_target (cr));
  return (g_get_monotonic_time () - t0) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cairo_t *cr = cairo_create (surface);
  EaChartPalette palette;
  EaChartView *view;
  double times[200];
  double plot_w = WIDTH - EA_CHART_PRICE_AXIS_WIDTH;
  guint n = G_N_ELEMENTS (times);

  ea_chart_palette_init (&palette, TRUE, NULL);

  /* 500 bars on screen. */
  view = make_view (500);
  ea_chart_view_set_range (view, 0, plot_w / 503.0);
  ea_chart_view_end (view);
  for (guint i = 0; i < 5; i++)
    frame_ms (view, cr, &palette);
  for (guint i = 0; i < n; i++)
    {
      ea_chart_view_set_pointer (view, TRUE, 100 + i * 8, 200 + i);
      times[i] = frame_ms (view, cr, &palette);
    }
  g_print ("bench: chart.frame_ms_500_bars %.3f ms\n", median (times, n));
  ea_chart_view_free (view);

  /* A million bars, all on screen: decimated to one column per pixel. */
  view = make_view (1000000);
  ea_chart_view_set_range (view, 0, plot_w / 1000000.0);
  n = 60;
  for (guint i = 0; i < n; i++)
    {
      ea_chart_view_pan_px (view, i % 2 ? 1 : -1);
      ea_chart_view_set_pointer (view, TRUE, 100 + i * 8, 200 + i);
      times[i] = frame_ms (view, cr, &palette);
    }
  g_print ("bench: chart.frame_ms_1m_bars %.3f ms\n", median (times, n));

  /* One quote: the forming bar of that long history, 500 bars on screen. */
  ea_chart_view_set_range (view, 0, plot_w / 503.0);
  ea_chart_view_end (view);
  n = G_N_ELEMENTS (times);
  for (guint i = 0; i < n; i++)
    {
      const EaBar *last = ea_chart_view_get_bar (view, ea_chart_view_get_n_bars (view) - 1);
      EaBar forming = *last;
      gint64 t0 = g_get_monotonic_time ();

      forming.close += i % 2 ? 1 : -1;
      forming.high = MAX (forming.high, forming.close);
      forming.low = MIN (forming.low, forming.close);
      forming.volume++;
      ea_chart_view_update_forming (view, &forming);
      ea_chart_render_cairo (view, cr, &palette);
      cairo_surface_flush (surface);
      times[i] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  g_print ("bench: chart.live_update_ms %.3f ms\n", median (times, n));
  ea_chart_view_free (view);

  {
    /* Tuesday 2025-11-18 09:00 CT; Sunday 2025-11-23 17:00:20 CT. */
    static const struct { const char *name; EaTimeUs start; EaTimeUs period; } cases[] = {
      { "chart.history_ms_500_minute_bars", G_GINT64_CONSTANT (1763478000000000), MINUTE },
      { "chart.history_ms_500_second_bars_weekend", G_GINT64_CONSTANT (1763938820000000), G_USEC_PER_SEC },
    };

    for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
      {
        EaSimExchange *ex = ea_sim_exchange_new (1, cases[c].start);

        n = 21;
        for (guint i = 0; i < n; i++)
          {
            gint64 t0 = g_get_monotonic_time ();
            GArray *bars = ea_sim_exchange_load_history (ex, "ES", cases[c].period, G_MAXINT64, 500, NULL);

            times[i] = (g_get_monotonic_time () - t0) / 1000.0;
            g_assert (bars != NULL && bars->len == 500);
            g_array_unref (bars);
          }
        g_print ("bench: %s %.3f ms\n", cases[c].name, median (times, n));
        ea_sim_exchange_free (ex);
      }
  }

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return 0;
}
