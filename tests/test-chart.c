/* test-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The chart widget in a real window: wheel zoom keeps the bar under the
 * pointer, dragging pans by the dragged number of bars, Home/End and the
 * arrows, auto-scroll stopping when the user pans back and resuming at
 * End, order drags through a refusing and an accepting risk check, live
 * prints coalesced per frame, bar-type switching and tooltips.
 */
#include "config.h"

#include <math.h>

#include "ea-chart-private.h"
#include "ea-chart-view-private.h"
#include "ea-equity-chart.h"
#include "ea-test-gtk-utils.h"

#define MINUTE (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define T0     (G_GINT64_CONSTANT (1794927600) * G_USEC_PER_SEC)

typedef struct
{
  GtkWidget *window;
  EaChart   *chart;
  EaChartView *view;
} Fixture;

static gboolean
drawn (gpointer user_data)
{
  EaChart *chart = user_data;

  return gtk_widget_get_width (GTK_WIDGET (chart)) > 300 && ea_chart_get_n_frames (chart) > 0;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree EaBar *bars = g_new (EaBar, 1000);

  for (int i = 0; i < 1000; i++)
    bars[i] = (EaBar) { T0 + i * MINUTE, T0 + (i + 1) * MINUTE, 50, 55 + i % 3, 45 - i % 4, 50 + (i % 5) - 2, 10, 1 };

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 500);
  f->chart = EA_CHART (ea_chart_new ());
  f->view = ea_chart_get_view (f->chart);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->chart));
  ea_chart_set_bars (f->chart, bars, 1000);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (ea_test_wait_until (drawn, f->chart, 10000));
  ea_chart_view_set_price_range (f->view, 0, 100);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  ea_test_iterate (10);
}

static void
test_zoom_around_pointer (Fixture       *f,
                          gconstpointer  data)
{
  double before, px = ea_chart_view_get_bar_px (f->view);

  ea_chart_pointer_motion (f->chart, 300, 100);
  before = ea_chart_view_index_at_x (f->view, 300);
  g_assert_true (ea_chart_scroll (f->chart, 0, -1));
  g_assert_cmpfloat_with_epsilon (ea_chart_view_get_bar_px (f->view), px * 1.15, 1e-9);
  g_assert_cmpfloat_with_epsilon (ea_chart_view_index_at_x (f->view, 300), before, 1e-9);

  ea_chart_pointer_motion (f->chart, 120, 100);
  before = ea_chart_view_index_at_x (f->view, 120);
  ea_chart_scroll (f->chart, 0, 3);
  g_assert_cmpfloat_with_epsilon (ea_chart_view_get_bar_px (f->view), px * 1.15 / pow (1.15, 3), 1e-9);
  g_assert_cmpfloat_with_epsilon (ea_chart_view_index_at_x (f->view, 120), before, 1e-9);
}

static void
test_drag_pans_and_follow (Fixture       *f,
                           gconstpointer  data)
{
  double first;
  EaBar bar = { T0 + 1000 * MINUTE, T0 + 1001 * MINUTE, 50, 52, 49, 51, 3, 1 };
  gboolean following;

  ea_chart_view_set_range (f->view, 500, 10);
  ea_chart_view_end (f->view);
  g_assert_true (ea_chart_view_get_following (f->view));
  first = ea_chart_view_get_first (f->view);

  /* 150 px to the right, in three moves: 15 older bars. */
  ea_chart_drag_begin (f->chart, 400, 100);
  ea_chart_drag_update (f->chart, 40, 3);
  ea_chart_drag_update (f->chart, 110, -2);
  ea_chart_drag_end (f->chart, 150, 0);
  g_assert_cmpfloat_with_epsilon (ea_chart_view_get_first (f->view), first - 15, 1e-9);

  /* Far enough back that the last bar left the screen: no auto-scroll. */
  ea_chart_drag_begin (f->chart, 400, 100);
  ea_chart_drag_end (f->chart, 400, 0);
  g_object_get (f->chart, "following", &following, NULL);
  g_assert_false (following);
  first = ea_chart_view_get_first (f->view);
  ea_chart_append_bar (f->chart, &bar);
  g_assert_cmpfloat (ea_chart_view_get_first (f->view), ==, first);

  /* End resumes it: the next bar scrolls the chart by one bar. */
  g_assert_true (ea_chart_key_pressed (f->chart, GDK_KEY_End, 0));
  g_object_get (f->chart, "following", &following, NULL);
  g_assert_true (following);
  first = ea_chart_view_get_first (f->view);
  bar.start += MINUTE;
  bar.end += MINUTE;
  ea_chart_append_bar (f->chart, &bar);
  g_assert_cmpfloat_with_epsilon (ea_chart_view_get_first (f->view), first + 1, 1e-9);
}

static void
test_keyboard (Fixture       *f,
               gconstpointer  data)
{
  double px;

  ea_chart_view_set_range (f->view, 300, 10);
  g_assert_true (ea_chart_key_pressed (f->chart, GDK_KEY_Home, 0));
  g_assert_cmpfloat (ea_chart_view_get_first (f->view), ==, 0);
  ea_chart_key_pressed (f->chart, GDK_KEY_Right, 0);
  g_assert_cmpfloat (ea_chart_view_get_first (f->view), ==, 1);
  ea_chart_key_pressed (f->chart, GDK_KEY_Right, GDK_SHIFT_MASK);
  g_assert_cmpfloat (ea_chart_view_get_first (f->view), ==, 11);
  ea_chart_key_pressed (f->chart, GDK_KEY_Left, 0);
  g_assert_cmpfloat (ea_chart_view_get_first (f->view), ==, 10);
  px = ea_chart_view_get_bar_px (f->view);
  ea_chart_key_pressed (f->chart, GDK_KEY_plus, 0);
  g_assert_cmpfloat (ea_chart_view_get_bar_px (f->view), >, px);
  ea_chart_key_pressed (f->chart, GDK_KEY_minus, 0);
  ea_chart_key_pressed (f->chart, GDK_KEY_minus, 0);
  g_assert_cmpfloat (ea_chart_view_get_bar_px (f->view), <, px);
  g_assert_false (ea_chart_key_pressed (f->chart, GDK_KEY_a, 0));
  ea_chart_key_pressed (f->chart, GDK_KEY_End, 0);
  g_assert_true (ea_chart_view_get_following (f->view));
}

typedef struct
{
  gboolean  answer;
  guint     validated;
  guint     finished;
  char     *id;
  gint64    price;
} DragLog;

static gboolean
on_validate (EaChart    *chart,
             const char *id,
             gint64      price,
             DragLog    *log)
{
  log->validated++;
  g_free (log->id);
  log->id = g_strdup (id);
  log->price = price;
  return log->answer;
}

static void
on_finished (EaChart    *chart,
             const char *id,
             gint64      price,
             DragLog    *log)
{
  log->finished++;
  g_assert_cmpstr (id, ==, log->id);
  g_assert_cmpint (price, ==, log->price);
}

static gint64
drag_order (Fixture *f,
            double   dy)
{
  double y = floor (ea_chart_view_y_of_price (f->view, 50)) + 0.5;
  gint64 expected = (gint64) llround (ea_chart_view_price_at_y (f->view, y + dy));

  ea_chart_drag_begin (f->chart, 300, y);
  g_assert_true (ea_chart_view_is_dragging_order (f->view));
  ea_chart_drag_update (f->chart, 0, dy / 2);
  ea_chart_drag_end (f->chart, 0, dy);
  return expected;
}

static void
test_order_drag (Fixture       *f,
                 gconstpointer  data)
{
  EaChartOrder order = { "A-1", EA_SIDE_BUY, EA_CHART_ORDER_LIMIT, 50, 1, TRUE };
  DragLog log = { FALSE, 0, 0, NULL, 0 };
  const EaChartOrder *orders;
  gulong validate_id;
  gint64 expected;
  gsize n;
  double first = ea_chart_view_get_first (f->view);

  ea_chart_set_orders (f->chart, &order, 1);

  /* No risk check connected: refused. */
  g_signal_connect (f->chart, "order-drag-finished", G_CALLBACK (on_finished), &log);
  drag_order (f, -40);
  g_assert_cmpuint (log.finished, ==, 0);
  orders = ea_chart_view_get_orders (f->view, &n);
  g_assert_cmpint (orders[0].price, ==, 50);

  /* A refusing check sees the new price; nothing moves or is sent. */
  validate_id = g_signal_connect (f->chart, "validate-drag", G_CALLBACK (on_validate), &log);
  expected = drag_order (f, -40);
  g_assert_cmpint (expected, >, 50);
  g_assert_cmpuint (log.validated, ==, 1);
  g_assert_cmpstr (log.id, ==, "A-1");
  g_assert_cmpint (log.price, ==, expected);
  g_assert_cmpuint (log.finished, ==, 0);
  orders = ea_chart_view_get_orders (f->view, &n);
  g_assert_cmpint (orders[0].price, ==, 50);
  g_assert_cmpuint (f->view->pending->len, ==, 0);
  /* Dragging an order does not pan. */
  g_assert_cmpfloat (ea_chart_view_get_first (f->view), ==, first);

  /* An accepting check: the modify is requested at the new price, the line
   * stays until the owner confirms, then moves. */
  log.answer = TRUE;
  expected = drag_order (f, 30);
  g_assert_cmpint (expected, <, 50);
  g_assert_cmpuint (log.validated, ==, 2);
  g_assert_cmpuint (log.finished, ==, 1);
  g_assert_cmpint (log.price, ==, expected);
  orders = ea_chart_view_get_orders (f->view, &n);
  g_assert_cmpint (orders[0].price, ==, 50);
  g_assert_cmpuint (f->view->pending->len, ==, 1);
  order.price = expected;
  ea_chart_set_orders (f->chart, &order, 1);
  orders = ea_chart_view_get_orders (f->view, &n);
  g_assert_cmpint (orders[0].price, ==, expected);
  g_assert_cmpuint (f->view->pending->len, ==, 0);

  /* A line that is not draggable pans instead. */
  order.draggable = FALSE;
  ea_chart_set_orders (f->chart, &order, 1);
  ea_chart_drag_begin (f->chart, 300, floor (ea_chart_view_y_of_price (f->view, expected)) + 0.5);
  g_assert_false (ea_chart_view_is_dragging_order (f->view));
  ea_chart_drag_end (f->chart, 0, 0);

  g_signal_handler_disconnect (f->chart, validate_id);
  g_free (log.id);
}

static gboolean
frames_after (gpointer user_data)
{
  guint *counts = user_data;

  return counts[0] > counts[1];
}

static void
test_live (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) trades = g_array_new (FALSE, FALSE, sizeof (EaTrade));
  g_autoptr(GArray) expected = NULL;
  EaBarSpec range = ea_bar_spec_range (4);
  EaTimeUs t = T0;
  EaTicks p = 100;
  guint counts[2];
  gsize n_bars;
  const EaBar *last;

  for (int i = 0; i < 3000; i++)
    {
      EaTrade tr = { t, p, 1 + i % 3 };

      g_array_append_val (trades, tr);
      t += 7 * G_USEC_PER_SEC;
      p += (i * 7919) % 5 - 2;
    }
  g_assert_true (ea_chart_set_trades (f->chart, (EaTrade *) (gpointer) trades->data, trades->len, &error));
  g_assert_no_error (error);
  /* 3000 prints 7 s apart span 350 one-minute bars. */
  g_assert_cmpuint (ea_chart_view_get_n_bars (f->view), ==, 350);

  /* Many prints between two frames: the forming bar waits for the frame. */
  n_bars = ea_chart_view_get_n_bars (f->view);
  last = ea_chart_view_get_bar (f->view, n_bars - 1);
  g_assert_true (ea_chart_view_has_forming (f->view));
  for (int i = 0; i < 50; i++)
    g_assert_true (ea_chart_push_trade (f->chart, t - 7 * G_USEC_PER_SEC + i, 200 + i, 1, &error));
  g_assert_cmpint (ea_chart_view_get_bar (f->view, n_bars - 1)->close, !=, 249);
  counts[1] = ea_chart_get_n_frames (f->chart);
  counts[0] = counts[1];
  while (!frames_after (counts))
    {
      g_main_context_iteration (NULL, TRUE);
      counts[0] = ea_chart_get_n_frames (f->chart);
    }
  last = ea_chart_view_get_bar (f->view, n_bars - 1);
  g_assert_cmpint (last->close, ==, 249);
  g_assert_cmpint (last->high, ==, 249);

  /* Bad prints are refused with an error and change nothing. */
  g_assert_false (ea_chart_push_trade (f->chart, t, 1, -5, &error));
  g_assert_error (error, EA_BARS_ERROR, EA_BARS_ERROR_INVALID_TRADE);
  g_clear_error (&error);
  g_assert_false (ea_chart_push_trade (f->chart, T0, 1, 1, &error));
  g_assert_error (error, EA_BARS_ERROR, EA_BARS_ERROR_INVALID_TRADE);
  g_clear_error (&error);

  /* Switching to 4-tick range bars rebuilds from the same prints. */
  g_assert_true (ea_chart_set_bar_spec (f->chart, &range, &error));
  g_assert_no_error (error);
  g_array_set_size (trades, 0);
  {
    const EaTrade *all = (const EaTrade *) (gpointer) f->chart->trades->data;

    expected = ea_bars_from_trades (&range, all, f->chart->trades->len, TRUE, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpuint (ea_chart_view_get_n_bars (f->view), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      const EaBar *a = &g_array_index (expected, EaBar, i), *b = ea_chart_view_get_bar (f->view, i);

      g_assert_cmpint (a->open, ==, b->open);
      g_assert_cmpint (a->close, ==, b->close);
      g_assert_cmpint (a->high, ==, b->high);
      g_assert_cmpint (a->low, ==, b->low);
    }
  {
    g_autofree char *text = NULL;

    g_object_get (f->chart, "bar-spec", &text, NULL);
    g_assert_cmpstr (text, ==, "4R");
  }
  range.range = 0;
  g_assert_false (ea_chart_set_bar_spec (f->chart, &range, &error));
  g_assert_error (error, EA_BARS_ERROR, EA_BARS_ERROR_INVALID_SPEC);

  /* The context menu's actions: 5-minute bars (350 minutes: 70 bars) and
   * OHLC style. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.bar-spec", "s", "5m"));
  g_assert_cmpuint (ea_chart_view_get_n_bars (f->view), ==, 70);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.style", "s", "ohlc"));
  g_assert_cmpint (ea_chart_view_get_style (f->view), ==, EA_CHART_STYLE_OHLC);
  ea_test_iterate (20);
}

static void
test_tooltips (Fixture       *f,
               gconstpointer  data)
{
  EaChartMarker signal = { T0 + 995 * MINUTE, 30, EA_SIDE_BUY, "Enigma long, quality 4" };
  EaChartMarker fill = { T0 + 990 * MINUTE + 5, 70, EA_SIDE_SELL, NULL };
  EaChartOrder order = { "B", EA_SIDE_SELL, EA_CHART_ORDER_BRACKET_TARGET, 60, 2, TRUE };
  int sx, sw;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *d = NULL;

  ea_chart_set_instrument (f->chart, ea_instrument_lookup ("ES"));
  ea_chart_set_markers (f->chart, EA_CHART_MARKER_SIGNAL, &signal, 1);
  ea_chart_set_markers (f->chart, EA_CHART_MARKER_FILL, &fill, 1);
  ea_chart_set_orders (f->chart, &order, 1);
  ea_chart_view_end (f->view);

  ea_chart_view_bar_slot (f->view, 995, &sx, &sw);
  a = ea_chart_tooltip_text (f->chart, sx + sw / 2, ea_chart_view_y_of_price (f->view, 30));
  g_assert_cmpstr (a, ==, "Enigma long, quality 4");
  ea_chart_view_bar_slot (f->view, 990, &sx, &sw);
  b = ea_chart_tooltip_text (f->chart, sx + sw / 2 + 1, ea_chart_view_y_of_price (f->view, 70));
  g_assert_cmpstr (b, ==, "Sold at 17.50");
  c = ea_chart_tooltip_text (f->chart, 40, ea_chart_view_y_of_price (f->view, 60));
  g_assert_cmpstr (c, ==, "Target sell 2 @ 15.00 (drag to modify)");
  d = ea_chart_tooltip_text (f->chart, 40, ea_chart_view_y_of_price (f->view, 5));
  g_assert_null (d);
}

static void
test_screenshot (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint periods[] = { 9, 21 };
  g_autofree char *dir = g_build_filename (g_test_get_dir (G_TEST_BUILT), "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, "chart-widget.png", NULL);

  ea_chart_set_instrument (f->chart, ea_instrument_lookup ("ZN"));
  ea_chart_set_emas (f->chart, periods, 2);
  ea_chart_set_atr_bands (f->chart, TRUE, 14, 2);
  ea_chart_view_set_auto_price (f->view);
  ea_chart_view_set_range (f->view, 0, 8);
  ea_chart_key_pressed (f->chart, GDK_KEY_End, 0);
  ea_chart_pointer_motion (f->chart, 400, 150);
  ea_test_iterate (50);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (ea_test_save_screenshot (GTK_WIDGET (f->chart), path, &error));
  g_assert_no_error (error);
}

static gboolean
widget_drawn (gpointer user_data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (user_data)) && gtk_widget_get_width (GTK_WIDGET (user_data)) > 100;
}

/* The journal charts as widgets, fed through their API. */
static void
test_journal_charts (void)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *equity = ea_equity_chart_new (EA_EQUITY_CHART_EQUITY);
  GtkWidget *daily = ea_equity_chart_new (EA_EQUITY_CHART_DAILY_PNL);
  g_autofree char *dir = g_build_filename (g_test_get_dir (G_TEST_BUILT), "screenshots", NULL);
  g_autofree char *p1 = g_build_filename (dir, "equity.png", NULL);
  g_autofree char *p2 = g_build_filename (dir, "daily-pnl.png", NULL);
  EaEquityPoint points[60];
  EaDailyPnl days[20];
  EaMicros e = EA_MICROS (50000), peak = e;

  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      e += EA_MICROS (((gint64) (i * 7919) % 900) - 380);
      peak = MAX (peak, e);
      /* Listed newest first: the widget puts them in time order. */
      points[G_N_ELEMENTS (points) - 1 - i] = (EaEquityPoint) { T0 + (gint64) i * 3600 * G_USEC_PER_SEC, e,
                                                                MIN (peak - EA_MICROS (2500), EA_MICROS (50000)) };
    }
  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    days[i] = (EaDailyPnl) { 20261101 + i, EA_MICROS (((gint64) (i * 104729) % 1500) - 600) };
  ea_equity_chart_set_points (EA_EQUITY_CHART (equity), points, G_N_ELEMENTS (points));
  ea_equity_chart_set_days (EA_EQUITY_CHART (daily), days, G_N_ELEMENTS (days));
  gtk_widget_set_size_request (equity, 700, 260);
  gtk_widget_set_size_request (daily, 700, 200);
  gtk_box_append (GTK_BOX (box), equity);
  gtk_box_append (GTK_BOX (box), daily);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ea_test_wait_until (widget_drawn, daily, 10000));
  ea_test_iterate (50);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (ea_test_save_screenshot (equity, p1, &error));
  g_assert_no_error (error);
  g_assert_true (ea_test_save_screenshot (daily, p2, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/chart/widget/zoom-around-pointer", test_zoom_around_pointer);
  ADD ("/chart/widget/drag-pans-and-follow", test_drag_pans_and_follow);
  ADD ("/chart/widget/keyboard", test_keyboard);
  ADD ("/chart/widget/order-drag", test_order_drag);
  ADD ("/chart/widget/live", test_live);
  ADD ("/chart/widget/tooltips", test_tooltips);
  ADD ("/chart/widget/screenshot", test_screenshot);
#undef ADD
  g_test_add_func ("/chart/widget/journal-charts", test_journal_charts);

  return g_test_run ();
}
