/* bench-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Frame times of the price chart on a 1920x1080 image surface with every
 * overlay on (two EMAs, ATR bands, position, floor, working and bracket
 * orders, fills, signals, ERM arrows, crosshair): 500 bars on screen, and
 * a million bars zoomed out (decimated, panned one pixel per frame so each
 * frame recomputes its columns). Then one quote to a redrawn frame, the
 * way a quote travels in the application: a trade print at the Demo
 * exchange, the broker's quote signal, the desk and the chart feed, the
 * chart's forming bar, and the chart widget's snapshot drawn by GSK onto
 * an image surface of its size (needs a display; skipped without one).
 * Last, the Demo exchange's history for a chart: 500 one-minute bars, and
 * 500 one-second bars just after Sunday's open (the walk skips the
 * weekend).
 */
#include "config.h"

#include "ea-chart-feed.h"
#include "ea-chart-render.h"
#include "ea-chart-view.h"
#include "ea-resources.h"
#include "ea-sim-broker.h"
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

/* Tuesday 2025-11-18 09:00 CT. */
#define TUE_0900_CT G_GINT64_CONSTANT (1763478000000000)

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done or 10 s. */
static void
wait_for (gboolean (*done) (gpointer),
          gpointer   data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (10000, timeout_cb, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
}

static gboolean
chart_ready (gpointer data)
{
  EaChart *chart = data;

  return gtk_widget_get_width (GTK_WIDGET (chart)) > 300 && ea_chart_get_n_frames (chart) > 0 &&
         ea_chart_view_get_n_bars (ea_chart_get_view (chart)) >= 100;
}

/* The chart widget's frame: its snapshot, drawn by GSK onto @surface. */
static void
render_frame (GtkWidget       *widget,
              cairo_surface_t *surface)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  cairo_t *cr;

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert (node != NULL);
  cr = cairo_create (surface);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
}

static void
bench_live_update (void)
{
  g_autoptr(EaDesk) desk = NULL;
  g_autoptr(EaSimBroker) sim = NULL;
  g_autoptr(EaChartFeed) feed = NULL;
  GAsyncResult *res = NULL;
  EaSimExchange *ex;
  GtkWidget *window, *chart;
  EaChartView *view;
  double times[200];
  guint n = G_N_ELEMENTS (times);
  EaTicks base;
  cairo_surface_t *surface;

  if (!gtk_init_check ())
    {
      g_printerr ("chart.live_update_ms needs a display: not measured\n");
      return;
    }
  g_assert (ea_get_resource () != NULL);

  desk = ea_desk_new (EA_MODE_DEMO);
  sim = ea_sim_broker_new (5, TUE_0900_CT);
  ex = ea_sim_broker_get_exchange (sim);
  ea_sim_exchange_set_generator_enabled (ex, FALSE);
  ea_sim_exchange_set_always_open (ex, TRUE);
  ea_desk_add_broker (desk, EA_BROKER (sim));
  ea_broker_connect_async (EA_BROKER (sim), NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&res);

  window = gtk_window_new ();
  chart = ea_chart_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_present (GTK_WINDOW (window));
  feed = ea_chart_feed_new (desk, EA_CHART (chart), "DEMO-1", "ES");
  view = ea_chart_get_view (EA_CHART (chart));
  wait_for (chart_ready, chart);
  g_assert (chart_ready (chart));
  base = ea_chart_view_get_bar (view, ea_chart_view_get_n_bars (view) - 1)->close;
  ea_chart_view_set_pointer (view, TRUE, 900, 400);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, gtk_widget_get_width (chart),
                                        gtk_widget_get_height (chart));

  for (guint i = 0; i < 5 + n; i++)
    {
      EaTicks price = base + (EaTicks) (i % 7) - 3;
      gint64 t0;

      /* One second of market time per quote: a new bar every minute. */
      ea_sim_broker_advance (sim, G_USEC_PER_SEC);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      t0 = g_get_monotonic_time ();
      ea_sim_exchange_push_quote (ex, "ES", price, price + 1, 20, 20, NULL);
      ea_sim_exchange_push_trade (ex, "ES", price, 1, NULL);
      /* What the frame clock does before the frame is drawn. */
      ea_chart_flush_live (EA_CHART (chart));
      render_frame (chart, surface);
      if (i >= 5)
        times[i - 5] = (g_get_monotonic_time () - t0) / 1000.0;
      /* The quote reached the forming bar on that frame. */
      g_assert (ea_chart_view_get_bar (view, ea_chart_view_get_n_bars (view) - 1)->close == price);
    }
  g_print ("bench: chart.live_update_ms %.3f ms\n", median (times, n));

  cairo_surface_destroy (surface);
  g_clear_object (&feed);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
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

  ea_chart_view_free (view);

  bench_live_update ();

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
