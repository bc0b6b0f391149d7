/* ea-chart-render-overlays.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything drawn over the bars: EMAs and ATR bands (Cairo paths), the
 * position's average price, the trailing floor as a price, working and
 * bracket orders (native rectangles with price tags), fills, Enigma
 * signals and ERM arrows (Cairo), and the crosshair with its readout.
 */
#define G_LOG_DOMAIN "ea-chart-render"

#include "config.h"

#include <math.h>

#include "ea-chart-render-private.h"

typedef double (*SeriesFunc) (EaChartView *view,
                              gint64       index,
                              gpointer     data);

static double
ema_value (EaChartView *view,
           gint64       index,
           gpointer     data)
{
  return g_array_index (view->ema[GPOINTER_TO_UINT (data)], double, index);
}

static double
band_value (EaChartView *view,
            gint64       index,
            gpointer     data)
{
  double sign = GPOINTER_TO_INT (data) > 0 ? 1.0 : -1.0;

  return g_array_index (view->atr_mid, double, index)
         + sign * view->atr_multiplier * g_array_index (view->atr, double, index);
}

/* Long Cairo strokes cost more than the sum of their parts (every edge
 * of the whole polygon is scan-converted together), so a polyline is
 * stroked in short runs that share their end points. */
#define STROKE_RUN 16

static void
stroke_points (cairo_t      *cr,
               const double *xy,
               gsize         n)
{
  for (gsize start = 0; start + 1 < n; start += STROKE_RUN)
    {
      gsize end = MIN (start + STROKE_RUN, n - 1);

      cairo_move_to (cr, xy[2 * start], xy[2 * start + 1]);
      for (gsize i = start + 1; i <= end; i++)
        cairo_line_to (cr, xy[2 * i], xy[2 * i + 1]);
      cairo_stroke (cr);
    }
}

/* A polyline through the series at each visible bar's centre (not
 * decimated: see span_series); NaN values break the line. */
static void
trace_series (EaChartView *view,
              cairo_t     *cr,
              SeriesFunc   func,
              gpointer     data)
{
  g_autoptr(GArray) pts = g_array_sized_new (FALSE, FALSE, sizeof (double), 4096);
  gint64 i0, i1;

#define FLUSH_RUN() G_STMT_START { \
    stroke_points (cr, (const double *) (gpointer) pts->data, pts->len / 2); \
    g_array_set_size (pts, 0); \
  } G_STMT_END

  ea_chart_view_visible_bars (view, &i0, &i1);
  /* One bar either side so the line runs to the edges. */
  i0 = MAX (i0 - 1, 0);
  i1 = MIN (i1 + 1, (gint64) view->bars->len);
  for (gint64 i = i0; i < i1; i++)
    {
      double v = func (view, i, data), xy[2];

      if (isnan (v))
        {
          FLUSH_RUN ();
          continue;
        }
      xy[0] = ea_chart_view_x_of_index (view, i + 0.5);
      xy[1] = ea_chart_view_y_of_price (view, v);
      g_array_append_vals (pts, xy, 2);
    }
  FLUSH_RUN ();
#undef FLUSH_RUN
}

/* Zoomed out, a series has one point per pixel column: each column gets
 * a one-pixel span from the previous point's row to its own, a native
 * rectangle, instead of a Cairo path of thousands of tiny segments. */
static void
span_series (EaChartView    *view,
             EaChartPainter *painter,
             SeriesFunc      func,
             gpointer        data,
             const GdkRGBA  *color,
             gboolean        dashed)
{
  gsize n;
  const EaChartColumn *cols = ea_chart_view_get_columns (view, &n);
  double prev = NAN;

  for (gsize c = 0; c < n; c++)
    {
      double v, y, top, bottom;

      if (cols[c].n == 0)
        continue;
      v = func (view, cols[c].first + cols[c].n - 1, data);
      if (isnan (v))
        {
          prev = NAN;
          continue;
        }
      y = ea_chart_view_y_of_price (view, v);
      top = floor (isnan (prev) ? y : MIN (prev, y));
      bottom = floor (isnan (prev) ? y : MAX (prev, y)) + 1;
      prev = y;
      if (!dashed || c % 8 < 5)
        painter->fill_rect (painter, c, top, 1, bottom - top, color);
    }
}

void
ea_chart_render_indicators (EaChartView          *view,
                            EaChartPainter       *painter,
                            const EaChartPalette *palette)
{
  EaChartRect price = ea_chart_view_get_price_rect (view);
  cairo_t *cr;

  if (view->n_emas == 0 && !view->atr_bands)
    return;

  if (ea_chart_view_is_decimated (view))
    {
      if (view->atr_bands && view->atr->len == view->bars->len)
        {
          span_series (view, painter, band_value, GINT_TO_POINTER (1), &palette->band, TRUE);
          span_series (view, painter, band_value, GINT_TO_POINTER (-1), &palette->band, TRUE);
        }
      for (guint k = 0; k < view->n_emas; k++)
        if (view->ema[k]->len == view->bars->len)
          span_series (view, painter, ema_value, GUINT_TO_POINTER (k), &palette->ema[k], FALSE);
      return;
    }

  cr = painter->begin_cairo (painter, &price);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_FAST);
  if (view->atr_bands && view->atr->len == view->bars->len)
    {
      const double dash[] = { 4, 3 };

      cairo_set_line_width (cr, 1.0);
      cairo_set_dash (cr, dash, 2, 0);
      gdk_cairo_set_source_rgba (cr, &palette->band);
      trace_series (view, cr, band_value, GINT_TO_POINTER (1));
      trace_series (view, cr, band_value, GINT_TO_POINTER (-1));
      cairo_set_dash (cr, NULL, 0, 0);
    }
  cairo_set_line_width (cr, 1.5);
  for (guint k = 0; k < view->n_emas; k++)
    {
      if (view->ema[k]->len != view->bars->len)
        continue;
      gdk_cairo_set_source_rgba (cr, &palette->ema[k]);
      trace_series (view, cr, ema_value, GUINT_TO_POINTER (k));
    }
  painter->end_cairo (painter, cr);
}

/* Horizontal price lines ------------------------------------------- */

static void
price_line (EaChartView          *view,
            EaChartPainter       *painter,
            const EaChartPalette *palette,
            EaTicks               ticks,
            const GdkRGBA        *color,
            int                   thickness,
            gboolean              dashed,
            const char           *label)
{
  EaChartRect plot = ea_chart_view_get_plot_rect (view);
  EaChartRect price = ea_chart_view_get_price_rect (view);
  int row = ea_chart_view_row_of_price (view, (double) ticks);
  g_autofree char *text = NULL;

  if (row < price.y || row + thickness > price.y + price.height)
    return;

  if (dashed)
    for (int x = 0; x < plot.width; x += 9)
      painter->fill_rect (painter, x, row, MIN (5, plot.width - x), thickness, color);
  else
    painter->fill_rect (painter, plot.x, row, plot.width, thickness, color);

  text = ea_chart_format_ticks (view, ticks);
  ea_chart_draw_text (painter, text, plot.x + plot.width + 6, row + thickness / 2.0, -1,
                      &palette->tag_text, color);
  if (label != NULL && row - 8 >= price.y)
    ea_chart_draw_text (painter, label, plot.x + plot.width - 6, row - 8, 1, color, NULL);
}

static const GdkRGBA *
order_color (const EaChartOrder   *order,
             const EaChartPalette *palette)
{
  switch (order->kind)
    {
    case EA_CHART_ORDER_LIMIT:
      return order->side == EA_SIDE_BUY ? &palette->order_buy : &palette->order_sell;
    case EA_CHART_ORDER_STOP:
      return &palette->order_stop;
    case EA_CHART_ORDER_BRACKET_STOP:
      return &palette->bracket_stop;
    case EA_CHART_ORDER_BRACKET_TARGET:
      return &palette->bracket_target;
    default:
      return &palette->foreground;
    }
}

static const char *
order_kind_label (EaChartOrderKind kind)
{
  switch (kind)
    {
    case EA_CHART_ORDER_LIMIT:
      return "LMT";
    case EA_CHART_ORDER_STOP:
      return "STP";
    case EA_CHART_ORDER_BRACKET_STOP:
      return "SL";
    case EA_CHART_ORDER_BRACKET_TARGET:
      return "TP";
    default:
      return "";
    }
}

static void
draw_orders (EaChartView          *view,
             EaChartPainter       *painter,
             const EaChartPalette *palette)
{
  for (gsize i = 0; i < view->orders->len; i++)
    {
      const EaChartOrder *o = &g_array_index (view->orders, EaChartOrder, i);
      g_autofree char *label = g_strdup_printf ("%s %s %" G_GINT64_FORMAT,
                                                order_kind_label (o->kind),
                                                o->side == EA_SIDE_BUY ? "B" : "S",
                                                o->qty);

      price_line (view, painter, palette, o->price, order_color (o, palette), 1, FALSE, label);
      if ((gint64) i == view->drag_order && view->drag_price != o->price)
        price_line (view, painter, palette, view->drag_price, order_color (o, palette), 1, TRUE, NULL);
      for (gsize p = 0; p < view->pending->len; p++)
        {
          const EaChartPending *pend = &g_array_index (view->pending, EaChartPending, p);

          if (g_strcmp0 (pend->id, o->id) == 0)
            price_line (view, painter, palette, pend->price, order_color (o, palette), 1, TRUE, NULL);
        }
    }
}

/* Markers ----------------------------------------------------------- */

static gboolean
marker_point (EaChartView         *view,
              const EaChartMarker *m,
              double              *x,
              double              *y)
{
  gint64 bar = ea_chart_view_index_at_time (view, m->time);
  int sx, sw;

  if (bar < 0)
    return FALSE;
  ea_chart_view_bar_slot (view, bar, &sx, &sw);
  *x = sx + sw / 2 + 0.5;
  *y = ea_chart_view_row_of_price (view, (double) m->price) + 0.5;
  return *x > -10 && *x < ea_chart_view_get_plot_rect (view).width + 10;
}

static void
draw_markers (EaChartView          *view,
              EaChartPainter       *painter,
              const EaChartPalette *palette)
{
  EaChartRect price = ea_chart_view_get_price_rect (view);
  cairo_t *cr = painter->begin_cairo (painter, &price);

  cairo_rectangle (cr, price.x, price.y, price.width, price.height);
  cairo_clip (cr);
  cairo_set_line_width (cr, 1.0);

  for (guint k = 0; k < EA_CHART_N_MARKER_KINDS; k++)
    for (gsize i = 0; i < view->markers[k]->len; i++)
      {
        const EaChartMarker *m = &g_array_index (view->markers[k], EaChartMarker, i);
        double s = m->side == EA_SIDE_BUY ? 1.0 : -1.0;
        double x, y;

        if (!marker_point (view, m, &x, &y))
          continue;

        switch ((EaChartMarkerKind) k)
          {
          case EA_CHART_MARKER_FILL:
            /* A triangle pointing up (buy) or down (sell) around the fill. */
            cairo_move_to (cr, x, y - 6 * s);
            cairo_line_to (cr, x + 6, y + 5 * s);
            cairo_line_to (cr, x - 6, y + 5 * s);
            cairo_close_path (cr);
            gdk_cairo_set_source_rgba (cr, m->side == EA_SIDE_BUY ? &palette->buy : &palette->sell);
            cairo_fill_preserve (cr);
            gdk_cairo_set_source_rgba (cr, &palette->background);
            cairo_stroke (cr);
            break;
          case EA_CHART_MARKER_SIGNAL:
            cairo_move_to (cr, x, y - 5);
            cairo_line_to (cr, x + 5, y);
            cairo_line_to (cr, x, y + 5);
            cairo_line_to (cr, x - 5, y);
            cairo_close_path (cr);
            gdk_cairo_set_source_rgba (cr, m->side == EA_SIDE_BUY ? &palette->signal_up : &palette->signal_down);
            cairo_fill (cr);
            break;
          case EA_CHART_MARKER_ERM:
            /* An arrow whose tip is at the price. */
            cairo_move_to (cr, x, y);
            cairo_line_to (cr, x + 6, y + 7 * s);
            cairo_line_to (cr, x + 2, y + 7 * s);
            cairo_line_to (cr, x + 2, y + 16 * s);
            cairo_line_to (cr, x - 2, y + 16 * s);
            cairo_line_to (cr, x - 2, y + 7 * s);
            cairo_line_to (cr, x - 6, y + 7 * s);
            cairo_close_path (cr);
            gdk_cairo_set_source_rgba (cr, &palette->erm);
            cairo_fill (cr);
            break;
          case EA_CHART_N_MARKER_KINDS:
          default:
            break;
          }
      }
  painter->end_cairo (painter, cr);
}

void
ea_chart_render_overlays (EaChartView          *view,
                          EaChartPainter       *painter,
                          const EaChartPalette *palette)
{
  gsize n = view->bars->len;

  if (n > 0)
    {
      const EaBar *last = &g_array_index (view->bars, EaBar, n - 1);
      EaChartRect plot = ea_chart_view_get_plot_rect (view);
      EaChartRect price = ea_chart_view_get_price_rect (view);
      int row = ea_chart_view_row_of_price (view, (double) last->close);

      if (row >= price.y + 6 && row < price.y + price.height - 6)
        {
          g_autofree char *text = ea_chart_format_ticks (view, last->close);

          ea_chart_draw_text (painter, text, plot.x + plot.width + 6, row + 0.5, -1, &palette->tag_text,
                              last->close >= last->open ? &palette->up : &palette->down);
        }
    }

  if (view->has_position)
    {
      g_autofree char *label = g_strdup_printf ("POS %+" G_GINT64_FORMAT, view->position_qty);

      price_line (view, painter, palette, view->position_price, &palette->position, 1, FALSE, label);
    }
  if (view->has_floor)
    price_line (view, painter, palette, view->floor_price, &palette->floor, 2, FALSE, "FLOOR");
  draw_orders (view, painter, palette);
  draw_markers (view, painter, palette);
}

/* Crosshair --------------------------------------------------------- */

static void
append_price (GString     *s,
              EaChartView *view,
              const char  *name,
              double       ticks)
{
  g_autofree char *text = NULL;

  if (isnan (ticks))
    return;
  text = ea_chart_format_ticks (view, (EaTicks) llround (ticks));
  g_string_append_printf (s, "%s %s  ", name, text);
}

void
ea_chart_render_crosshair (EaChartView          *view,
                           EaChartPainter       *painter,
                           const EaChartPalette *palette)
{
  EaChartRect plot = ea_chart_view_get_plot_rect (view);
  EaChartRect price = ea_chart_view_get_price_rect (view);
  double px = view->pointer_x, py = view->pointer_y;
  gint64 index;
  const EaBar *bar;

  if (!view->pointer_inside || px < 0 || px >= plot.width || py < 0 || py >= plot.height)
    return;

  painter->fill_rect (painter, floor (px), plot.y, 1, plot.height, &palette->crosshair);
  if (py < price.y + price.height)
    {
      g_autofree char *text = ea_chart_format_ticks (view, (EaTicks) llround (ea_chart_view_price_at_y (view, py)));

      painter->fill_rect (painter, plot.x, floor (py), plot.width, 1, &palette->crosshair);
      ea_chart_draw_text (painter, text, plot.x + plot.width + 6, floor (py) + 0.5, -1,
                          &palette->background, &palette->foreground);
    }

  index = (gint64) floor (ea_chart_view_index_at_x (view, px));
  bar = index >= 0 ? ea_chart_view_get_bar (view, (gsize) index) : NULL;
  if (bar != NULL)
    {
      g_autoptr(GString) s = g_string_new (NULL);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (bar->start / G_USEC_PER_SEC);
      g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, ea_session_zone_chicago ()) : NULL;

      if (local != NULL)
        {
          g_autofree char *when = g_date_time_format (local, "%a %b %d %H:%M:%S CT");

          ea_chart_draw_text (painter, when, floor (px), plot.y + plot.height + EA_CHART_TIME_AXIS_HEIGHT / 2.0,
                              0, &palette->background, &palette->foreground);
        }
      append_price (s, view, "O", (double) bar->open);
      append_price (s, view, "H", (double) bar->high);
      append_price (s, view, "L", (double) bar->low);
      append_price (s, view, "C", (double) bar->close);
      g_string_append_printf (s, "V %" G_GINT64_FORMAT "  ", bar->volume);
      for (guint k = 0; k < view->n_emas; k++)
        if ((gsize) index < view->ema[k]->len)
          {
            g_autofree char *name = g_strdup_printf ("EMA%u", view->ema_periods[k]);

            append_price (s, view, name, g_array_index (view->ema[k], double, index));
          }
      if (view->atr_bands && (gsize) index < view->atr->len)
        {
          double atr = g_array_index (view->atr, double, index);

          if (!isnan (atr))
            g_string_append_printf (s, "ATR %.2f",
                                    view->spec != NULL ? atr * view->spec->tick_size : atr);
        }
      ea_chart_draw_text (painter, s->str, plot.x + 8, plot.y + 10, -1, &palette->foreground,
                          &palette->background);
    }
}
