/* ea-equity-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Equity curve (drawdowns shaded between the running peak and the curve,
 * one native rectangle per pixel column; the curve and the trailing floor
 * as Cairo paths) and daily P&L bars (native rectangles).
 */
#define G_LOG_DOMAIN "ea-equity-chart"

#include "config.h"

#include <math.h>

#include "ea-chart-render-private.h"
#include "ea-equity-chart.h"
#include "ea-money.h"

static double
units (EaMicros m)
{
  return (double) m / EA_MICROS_PER_UNIT;
}

static void
plot_rect (EaEquityScale *scale,
           int            width,
           int            height)
{
  scale->plot.x = 0;
  scale->plot.y = 0;
  scale->plot.width = MAX (0, width - EA_CHART_PRICE_AXIS_WIDTH);
  scale->plot.height = MAX (0, height - EA_CHART_TIME_AXIS_HEIGHT);
}

static void
pad_range (EaEquityScale *scale,
           double         lo,
           double         hi)
{
  double pad = MAX (1.0, (hi - lo) * 0.05);

  scale->low = lo - pad;
  scale->high = hi + pad;
}

void
ea_equity_scale_init (EaEquityScale       *scale,
                      int                  width,
                      int                  height,
                      const EaEquityPoint *points,
                      gsize                n_points)
{
  double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;

  plot_rect (scale, width, height);
  for (gsize i = 0; i < n_points; i++)
    {
      lo = MIN (lo, units (points[i].equity));
      hi = MAX (hi, units (points[i].equity));
      if (points[i].floor != EA_EQUITY_NO_FLOOR)
        {
          lo = MIN (lo, units (points[i].floor));
          hi = MAX (hi, units (points[i].floor));
        }
    }
  if (n_points == 0)
    {
      lo = 0;
      hi = 1;
    }
  pad_range (scale, lo, hi);
  scale->t0 = n_points > 0 ? points[0].time : 0;
  scale->t1 = n_points > 0 ? points[n_points - 1].time : 1;
  if (scale->t1 <= scale->t0)
    scale->t1 = scale->t0 + 1;
}

double
ea_equity_scale_y (const EaEquityScale *scale,
                   EaMicros             money)
{
  return scale->plot.y + (scale->high - units (money)) * scale->plot.height / (scale->high - scale->low);
}

double
ea_equity_scale_x (const EaEquityScale *scale,
                   EaTimeUs             time)
{
  return scale->plot.x + (double) (time - scale->t0) * scale->plot.width / (double) (scale->t1 - scale->t0);
}

static GdkRGBA
mix (const GdkRGBA *a,
     const GdkRGBA *b,
     double         t)
{
  GdkRGBA r = { a->red * t + b->red * (1 - t), a->green * t + b->green * (1 - t),
                a->blue * t + b->blue * (1 - t), 1 };

  return r;
}

static void
money_axis (EaChartPainter       *painter,
            const EaChartPalette *palette,
            const EaEquityScale  *scale)
{
  double step = ea_chart_nice_step (scale->high - scale->low, scale->plot.height, 40);
  EaChartRect plot = scale->plot;

  for (double v = ceil (scale->low / step) * step; v <= scale->high; v += step)
    {
      EaMicros m = (EaMicros) llround (v * EA_MICROS_PER_UNIT);
      double row = floor (ea_equity_scale_y (scale, m));
      g_autofree char *label = ea_money_format (m);

      if (row < plot.y || row >= plot.y + plot.height)
        continue;
      painter->fill_rect (painter, plot.x, row, plot.width, 1, &palette->grid);
      if (row > 6 && row < plot.height - 6)
        ea_chart_draw_text (painter, label, plot.width + 6, row + 0.5, -1, &palette->foreground, NULL);
    }
}

/* Equity at @t, linear between points; @peak gets the running maximum up
 * to @t. Points are in time order. */
static EaMicros
equity_at (const EaEquityPoint *points,
           gsize                n_points,
           gsize               *cursor,
           EaMicros            *peak,
           EaTimeUs             t)
{
  gsize i = *cursor;
  double e;

  while (i + 1 < n_points && points[i + 1].time <= t)
    {
      i++;
      *peak = MAX (*peak, points[i].equity);
    }
  *cursor = i;
  if (i + 1 < n_points && points[i + 1].time > points[i].time && t > points[i].time)
    e = points[i].equity + (double) (points[i + 1].equity - points[i].equity)
                           * (double) (t - points[i].time) / (double) (points[i + 1].time - points[i].time);
  else
    e = (double) points[i].equity;
  *peak = MAX (*peak, (EaMicros) e);
  return (EaMicros) e;
}

void
ea_equity_render (EaChartPainter       *painter,
                  const EaChartPalette *palette,
                  int                   width,
                  int                   height,
                  const EaEquityPoint  *points,
                  gsize                 n_points)
{
  EaEquityScale scale;
  GdkRGBA shade = mix (&palette->down, &palette->background, 0.3);
  EaMicros peak;
  gsize cursor = 0;
  cairo_t *cr;

  g_return_if_fail (painter != NULL && palette != NULL);
  g_return_if_fail (n_points == 0 || points != NULL);

  painter->fill_rect (painter, 0, 0, width, height, &palette->background);
  ea_equity_scale_init (&scale, width, height, points, n_points);
  if (scale.plot.width <= 0 || scale.plot.height <= 0 || n_points == 0)
    return;
  money_axis (painter, palette, &scale);

  painter->push_clip (painter, &scale.plot);

  /* Drawdown: from the running peak down to the curve, per column. */
  peak = points[0].equity;
  for (int c = 0; c < (int) scale.plot.width; c++)
    {
      EaTimeUs t = scale.t0 + (EaTimeUs) ((c + 0.5) * (double) (scale.t1 - scale.t0) / scale.plot.width);
      EaMicros e = equity_at (points, n_points, &cursor, &peak, t);

      if (e < peak)
        {
          double top = floor (ea_equity_scale_y (&scale, peak));
          double bottom = floor (ea_equity_scale_y (&scale, e));

          painter->fill_rect (painter, c, top, 1, bottom - top, &shade);
        }
    }

  cr = painter->begin_cairo (painter, &scale.plot);
  cairo_rectangle (cr, scale.plot.x, scale.plot.y, scale.plot.width, scale.plot.height);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);

  /* The trailing floor: a step line, it moves only at its updates; its
   * rows are snapped to whole pixels. It breaks where no floor is known. */
  for (gsize i = 0; i < n_points; i++)
    {
      double x = ea_equity_scale_x (&scale, points[i].time);

      if (points[i].floor == EA_EQUITY_NO_FLOOR)
        continue;
      if (i > 0 && points[i - 1].floor != EA_EQUITY_NO_FLOOR)
        {
          cairo_line_to (cr, x, floor (ea_equity_scale_y (&scale, points[i - 1].floor)) + 0.5);
          cairo_line_to (cr, x, floor (ea_equity_scale_y (&scale, points[i].floor)) + 0.5);
        }
      else
        cairo_move_to (cr, x, floor (ea_equity_scale_y (&scale, points[i].floor)) + 0.5);
    }
  gdk_cairo_set_source_rgba (cr, &palette->floor);
  cairo_set_line_width (cr, 2);
  cairo_stroke (cr);

  for (gsize i = 0; i < n_points; i++)
    cairo_line_to (cr, ea_equity_scale_x (&scale, points[i].time), ea_equity_scale_y (&scale, points[i].equity));
  gdk_cairo_set_source_rgba (cr, &palette->ema[0]);
  cairo_set_line_width (cr, 2);
  cairo_stroke (cr);
  painter->end_cairo (painter, cr);

  painter->pop_clip (painter);
}

static void
day_label (guint32  day,
           char    *buf,
           gsize    size)
{
  g_snprintf (buf, size, "%02u-%02u", (day / 100) % 100, day % 100);
}

void
ea_daily_pnl_scale_init (EaEquityScale    *scale,
                         int               width,
                         int               height,
                         const EaDailyPnl *days,
                         gsize             n_days)
{
  double lo = 0, hi = 0;

  plot_rect (scale, width, height);
  for (gsize i = 0; i < n_days; i++)
    {
      lo = MIN (lo, units (days[i].pnl));
      hi = MAX (hi, units (days[i].pnl));
    }
  pad_range (scale, lo, hi);
  scale->t0 = 0;
  scale->t1 = MAX ((EaTimeUs) n_days, 1);
}

void
ea_daily_pnl_render (EaChartPainter       *painter,
                     const EaChartPalette *palette,
                     int                   width,
                     int                   height,
                     const EaDailyPnl     *days,
                     gsize                 n_days)
{
  EaEquityScale scale;
  double zero, slot;
  gsize stride;

  g_return_if_fail (painter != NULL && palette != NULL);
  g_return_if_fail (n_days == 0 || days != NULL);

  painter->fill_rect (painter, 0, 0, width, height, &palette->background);
  ea_daily_pnl_scale_init (&scale, width, height, days, n_days);
  if (scale.plot.width <= 0 || scale.plot.height <= 0)
    return;
  money_axis (painter, palette, &scale);
  zero = floor (ea_equity_scale_y (&scale, 0));
  painter->fill_rect (painter, 0, zero, scale.plot.width, 1, &palette->crosshair);
  if (n_days == 0)
    return;

  slot = scale.plot.width / n_days;
  stride = MAX (1, (gsize) ceil (48 / slot));
  for (gsize i = 0; i < n_days; i++)
    {
      int x0 = (int) floor (i * slot), x1 = (int) floor ((i + 1) * slot);
      int w = MAX (1, (int) ((x1 - x0) * 0.7));
      double y = floor (ea_equity_scale_y (&scale, days[i].pnl));
      gboolean up = days[i].pnl >= 0;

      if (days[i].pnl != 0)
        painter->fill_rect (painter, x0 + ((x1 - x0) - w) / 2, up ? y : zero + 1, w, up ? zero - y : y - zero,
                            up ? &palette->up : &palette->down);
      if (i % stride == 0)
        {
          char label[16];

          day_label (days[i].day, label, sizeof label);
          ea_chart_draw_text (painter, label, (x0 + x1) / 2.0, scale.plot.height + EA_CHART_TIME_AXIS_HEIGHT / 2.0,
                              0, &palette->foreground, NULL);
        }
    }
}

/* Widget ------------------------------------------------------------ */

struct _EaEquityChart
{
  GtkWidget          parent_instance;
  EaEquityChartMode  mode;
  GArray            *points;  /* EaEquityPoint */
  GArray            *days;    /* EaDailyPnl */
  char              *empty_text;
  EaChartPalette     palette;
};

G_DEFINE_FINAL_TYPE (EaEquityChart, ea_equity_chart, GTK_TYPE_WIDGET)

static void
ea_equity_chart_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  EaEquityChart *self = EA_EQUITY_CHART (widget);
  EaChartSnapshotPainter painter;
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  ea_chart_snapshot_painter_init (&painter, snapshot, gtk_widget_get_pango_context (widget));
  if (self->mode == EA_EQUITY_CHART_EQUITY)
    ea_equity_render (&painter.parent, &self->palette, w, h,
                      (const EaEquityPoint *) (gpointer) self->points->data, self->points->len);
  else
    ea_daily_pnl_render (&painter.parent, &self->palette, w, h,
                         (const EaDailyPnl *) (gpointer) self->days->data, self->days->len);

  if (self->empty_text != NULL &&
      (self->mode == EA_EQUITY_CHART_EQUITY ? self->points->len : self->days->len) == 0)
    ea_chart_draw_text (&painter.parent, self->empty_text, w / 2.0, h / 2.0, 0,
                        &self->palette.foreground, NULL);
}

static void
ea_equity_chart_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  EaEquityChart *self = EA_EQUITY_CHART (widget);
  GtkSettings *settings = gtk_widget_get_settings (widget);
  gboolean dark = FALSE;

  GTK_WIDGET_CLASS (ea_equity_chart_parent_class)->css_changed (widget, change);
  if (settings != NULL)
    g_object_get (settings, "gtk-application-prefer-dark-theme", &dark, NULL);
  ea_chart_palette_init (&self->palette, dark, NULL);
  gtk_widget_queue_draw (widget);
}

static void
ea_equity_chart_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 100;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 600 : 240;
}

static void
ea_equity_chart_finalize (GObject *object)
{
  EaEquityChart *self = EA_EQUITY_CHART (object);

  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->days, g_array_unref);
  g_clear_pointer (&self->empty_text, g_free);
  G_OBJECT_CLASS (ea_equity_chart_parent_class)->finalize (object);
}

static void
ea_equity_chart_class_init (EaEquityChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ea_equity_chart_finalize;
  widget_class->snapshot = ea_equity_chart_snapshot;
  widget_class->measure = ea_equity_chart_measure;
  widget_class->css_changed = ea_equity_chart_css_changed;
  gtk_widget_class_set_css_name (widget_class, "eaequitychart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ea_equity_chart_init (EaEquityChart *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (EaEquityPoint));
  self->days = g_array_new (FALSE, FALSE, sizeof (EaDailyPnl));
  ea_chart_palette_init (&self->palette, FALSE, NULL);
}

GtkWidget *
ea_equity_chart_new (EaEquityChartMode mode)
{
  EaEquityChart *self = g_object_new (EA_TYPE_EQUITY_CHART, NULL);

  self->mode = mode;
  return GTK_WIDGET (self);
}

static int
compare_time (gconstpointer a,
              gconstpointer b)
{
  const EaEquityPoint *pa = a, *pb = b;

  return (pa->time > pb->time) - (pa->time < pb->time);
}

void
ea_equity_chart_set_points (EaEquityChart       *self,
                            const EaEquityPoint *points,
                            gsize                n_points)
{
  g_return_if_fail (EA_IS_EQUITY_CHART (self));
  g_return_if_fail (n_points == 0 || points != NULL);

  g_array_set_size (self->points, 0);
  g_array_append_vals (self->points, points, n_points);
  /* The renderer walks the points in time order. */
  g_array_sort (self->points, compare_time);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ea_equity_chart_set_days (EaEquityChart    *self,
                          const EaDailyPnl *days,
                          gsize             n_days)
{
  g_return_if_fail (EA_IS_EQUITY_CHART (self));
  g_return_if_fail (n_days == 0 || days != NULL);

  g_array_set_size (self->days, 0);
  g_array_append_vals (self->days, days, n_days);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const EaEquityPoint *
ea_equity_chart_get_points (EaEquityChart *self,
                            gsize         *n_points)
{
  g_return_val_if_fail (EA_IS_EQUITY_CHART (self), NULL);
  g_return_val_if_fail (n_points != NULL, NULL);

  *n_points = self->points->len;
  return (const EaEquityPoint *) (gpointer) self->points->data;
}

const EaDailyPnl *
ea_equity_chart_get_days (EaEquityChart *self,
                          gsize         *n_days)
{
  g_return_val_if_fail (EA_IS_EQUITY_CHART (self), NULL);
  g_return_val_if_fail (n_days != NULL, NULL);

  *n_days = self->days->len;
  return (const EaDailyPnl *) (gpointer) self->days->data;
}

void
ea_equity_chart_set_empty_text (EaEquityChart *self,
                                const char    *text)
{
  g_return_if_fail (EA_IS_EQUITY_CHART (self));

  g_free (self->empty_text);
  self->empty_text = g_strdup (text);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
