/* ea-journal-charts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-journal-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ea-journal-charts.h"
#include "ea-money.h"

#define PAD_LEFT   64.0
#define PAD_RIGHT  12.0
#define PAD_TOP    12.0
#define PAD_BOTTOM 22.0

typedef struct
{
  GArray *equity;   /* EaMicros */
  GArray *days;     /* EaJournalDay */
  int     year;     /* calendar */
  int     month;
} ChartData;

static void
chart_data_free (ChartData *data)
{
  g_clear_pointer (&data->equity, g_array_unref);
  g_clear_pointer (&data->days, g_array_unref);
  g_free (data);
}

static ChartData *
chart_data (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), "ea-chart-data");
}

static GtkWidget *
chart_new (GtkDrawingAreaDrawFunc draw,
           int                    height)
{
  GtkWidget *area = gtk_drawing_area_new ();
  ChartData *data = g_new0 (ChartData, 1);

  data->equity = g_array_new (FALSE, FALSE, sizeof (EaMicros));
  data->days = g_array_new (FALSE, FALSE, sizeof (EaJournalDay));
  g_object_set_data_full (G_OBJECT (area), "ea-chart-data", data, (GDestroyNotify) chart_data_free);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), height);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw, NULL, NULL);
  gtk_widget_set_hexpand (area, TRUE);
  return area;
}

void
ea_journal_day_colour (EaMicros  pnl,
                       EaMicros  scale,
                       GdkRGBA  *out)
{
  double k;

  if (pnl == 0 || scale <= 0)
    {
      *out = (GdkRGBA) { 0.5, 0.5, 0.5, 0.18 };
      return;
    }
  k = MIN (1.0, fabs ((double) pnl) / (double) scale);
  if (pnl > 0)
    *out = (GdkRGBA) { 0.18, 0.63, 0.33, 0.25 + 0.70 * k };
  else
    *out = (GdkRGBA) { 0.80, 0.14, 0.18, 0.25 + 0.70 * k };
}

static void
foreground (GtkWidget *widget,
            GdkRGBA   *fg)
{
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), fg);
}

static void
draw_text (GtkWidget  *widget,
           cairo_t    *cr,
           const char *text,
           double      x,
           double      y,
           double      align,   /* 0 left, 0.5 centre, 1 right */
           double      size_scale)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoFontDescription *font = pango_font_description_copy (pango_context_get_font_description (
                                                              pango_layout_get_context (layout)));
  int w, h;

  pango_font_description_set_size (font, (int) (pango_font_description_get_size (font) * size_scale));
  pango_layout_set_font_description (layout, font);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - align * w, y - h / 2.0);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (font);
  g_object_unref (layout);
}

static char *
short_money (EaMicros v)
{
  double units = fabs (v / 1e6);
  const char *sign = v < 0 ? "−" : "";

  if (units >= 1e6)
    return g_strdup_printf ("%s$%.1fM", sign, units / 1e6);
  if (units >= 1e4)
    return g_strdup_printf ("%s$%.1fk", sign, units / 1e3);
  return g_strdup_printf ("%s$%.0f", sign, units);
}

static char *
signed_short_money (EaMicros v)
{
  g_autofree char *s = short_money (v);

  return v > 0 ? g_strconcat ("+", s, NULL) : g_steal_pointer (&s);
}

/* A round step of about (hi - lo) / 4: 1, 2 or 5 times a power of ten
 * of a dollar. */
static double
nice_step (double lo,
           double hi)
{
  double raw = (hi - lo) / 4.0 / 1e6;
  double mag, f;

  if (raw <= 0)
    return 1e6;
  mag = pow (10, floor (log10 (raw)));
  f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag * 1e6;
}

/* Widens [lo, hi] to whole steps. */
static double
nice_range (double *lo,
            double *hi)
{
  double step = nice_step (*lo, *hi);

  *lo = floor (*lo / step) * step;
  *hi = ceil (*hi / step) * step;
  if (*hi - *lo < step)
    *hi = *lo + step;
  return step;
}

/* Horizontal grid lines at every step over [lo, hi], with their labels. */
static void
draw_axis (GtkWidget *widget,
           cairo_t   *cr,
           double     lo,
           double     hi,
           double     step,
           double     plot_h,
           double     width)
{
  GdkRGBA fg;

  foreground (widget, &fg);
  for (double v = lo; v <= hi + step / 2; v += step)
    {
      double y = PAD_TOP + plot_h * (1.0 - (v - lo) / (hi - lo));
      g_autofree char *text = short_money ((EaMicros) llround (v));

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fabs (v) < step / 2 ? 0.35 : 0.10);
      cairo_rectangle (cr, PAD_LEFT, floor (y), width - PAD_LEFT - PAD_RIGHT, 1);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
      draw_text (widget, cr, text, PAD_LEFT - 6, y, 1.0, 0.8);
    }
}

static void
draw_empty (GtkWidget *widget,
            cairo_t   *cr,
            int        width,
            int        height)
{
  GdkRGBA fg;

  foreground (widget, &fg);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.5);
  draw_text (widget, cr, _("No trades"), width / 2.0, height / 2.0, 0.5, 1.0);
}

static void
draw_equity (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  ChartData *data = chart_data (GTK_WIDGET (area));
  guint n = data->equity->len;
  double lo = 0, hi = 0, plot_w, plot_h, peak = 0, step;

  if (n == 0)
    {
      draw_empty (GTK_WIDGET (area), cr, width, height);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      double v = g_array_index (data->equity, EaMicros, i);

      lo = MIN (lo, v);
      hi = MAX (hi, v);
    }
  step = nice_range (&lo, &hi);
  plot_w = width - PAD_LEFT - PAD_RIGHT;
  plot_h = height - PAD_TOP - PAD_BOTTOM;
  draw_axis (GTK_WIDGET (area), cr, lo, hi, step, plot_h, width);

#define X(i) (PAD_LEFT + plot_w * ((n == 1) ? 1.0 : (double) (i) / (double) (n - 1)))
#define Y(v) (PAD_TOP + plot_h * (1.0 - ((v) - lo) / (hi - lo)))

  /* Drawdown: the area between the running peak and the curve. */
  cairo_set_source_rgba (cr, 0.80, 0.14, 0.18, 0.22);
  peak = 0;
  cairo_move_to (cr, X (0), Y (MAX (0, (double) g_array_index (data->equity, EaMicros, 0))));
  for (guint i = 0; i < n; i++)
    {
      peak = MAX (peak, (double) g_array_index (data->equity, EaMicros, i));
      cairo_line_to (cr, X (i), Y (peak));
    }
  for (guint i = n; i-- > 0;)
    cairo_line_to (cr, X (i), Y ((double) g_array_index (data->equity, EaMicros, i)));
  cairo_close_path (cr);
  cairo_fill (cr);

  /* The curve, with a light fill under it. */
  cairo_move_to (cr, X (0), Y (0));
  for (guint i = 0; i < n; i++)
    cairo_line_to (cr, X (i), Y ((double) g_array_index (data->equity, EaMicros, i)));
  cairo_line_to (cr, X (n - 1), Y (0));
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.12);
  cairo_fill (cr);

  cairo_move_to (cr, X (0), Y ((double) g_array_index (data->equity, EaMicros, 0)));
  for (guint i = 1; i < n; i++)
    cairo_line_to (cr, X (i), Y ((double) g_array_index (data->equity, EaMicros, i)));
  cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
  cairo_set_line_width (cr, 2);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);

#undef X
#undef Y
}

static void
draw_daily (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        user_data)
{
  ChartData *data = chart_data (GTK_WIDGET (area));
  guint n = data->days->len;
  double lo = 0, hi = 0, plot_w, plot_h, slot, zero_y, step;

  if (n == 0)
    {
      draw_empty (GTK_WIDGET (area), cr, width, height);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      double v = g_array_index (data->days, EaJournalDay, i).pnl;

      lo = MIN (lo, v);
      hi = MAX (hi, v);
    }
  step = nice_range (&lo, &hi);
  plot_w = width - PAD_LEFT - PAD_RIGHT;
  plot_h = height - PAD_TOP - PAD_BOTTOM;
  draw_axis (GTK_WIDGET (area), cr, lo, hi, step, plot_h, width);

  slot = plot_w / n;
  zero_y = PAD_TOP + plot_h * (1.0 - (0 - lo) / (hi - lo));
  for (guint i = 0; i < n; i++)
    {
      const EaJournalDay *d = &g_array_index (data->days, EaJournalDay, i);
      double y = PAD_TOP + plot_h * (1.0 - (d->pnl - lo) / (hi - lo));
      double bar_w = MAX (1.0, slot * 0.7);
      double x = PAD_LEFT + slot * i + (slot - bar_w) / 2;

      if (d->pnl >= 0)
        cairo_set_source_rgb (cr, 0.18, 0.63, 0.33);
      else
        cairo_set_source_rgb (cr, 0.80, 0.14, 0.18);
      cairo_rectangle (cr, x, MIN (y, zero_y), bar_w, MAX (1.0, fabs (zero_y - y)));
      cairo_fill (cr);
    }

  /* First and last day under the axis. */
  {
    GdkRGBA fg;
    g_autofree char *first = NULL;
    g_autofree char *last = NULL;
    guint32 d0 = g_array_index (data->days, EaJournalDay, 0).day;
    guint32 d1 = g_array_index (data->days, EaJournalDay, n - 1).day;

    foreground (GTK_WIDGET (area), &fg);
    cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
    first = g_strdup_printf ("%04u-%02u-%02u", d0 / 10000, d0 / 100 % 100, d0 % 100);
    last = g_strdup_printf ("%04u-%02u-%02u", d1 / 10000, d1 / 100 % 100, d1 % 100);
    draw_text (GTK_WIDGET (area), cr, first, PAD_LEFT, height - PAD_BOTTOM / 2, 0.0, 0.8);
    if (n > 1)
      draw_text (GTK_WIDGET (area), cr, last, width - PAD_RIGHT, height - PAD_BOTTOM / 2, 1.0, 0.8);
  }
}

GtkWidget *
ea_journal_equity_chart_new (void)
{
  return chart_new (draw_equity, 220);
}

GtkWidget *
ea_journal_daily_chart_new (void)
{
  return chart_new (draw_daily, 160);
}

void
ea_journal_chart_set_analytics (GtkWidget                *chart,
                                const EaJournalAnalytics *analytics)
{
  ChartData *data = chart_data (chart);

  g_return_if_fail (data != NULL);

  g_array_set_size (data->equity, 0);
  g_array_set_size (data->days, 0);
  if (analytics != NULL)
    {
      g_array_append_vals (data->equity, analytics->equity->data, analytics->equity->len);
      g_array_append_vals (data->days, analytics->days->data, analytics->days->len);
    }
  gtk_widget_queue_draw (chart);
}

/* Calendar. */

static const EaJournalDay *
find_day (GArray  *days,
          guint32  day)
{
  for (guint i = 0; i < days->len; i++)
    if (g_array_index (days, EaJournalDay, i).day == day)
      return &g_array_index (days, EaJournalDay, i);
  return NULL;
}

/* The largest |P&L| of a day of the shown month. */
static EaMicros
month_scale (ChartData *data)
{
  guint32 lo = data->year * 10000 + data->month * 100, hi = lo + 99;
  EaMicros scale = 0;

  for (guint i = 0; i < data->days->len; i++)
    {
      const EaJournalDay *d = &g_array_index (data->days, EaJournalDay, i);

      if (d->day > lo && d->day <= hi)
        scale = MAX (scale, ABS (d->pnl));
    }
  return scale;
}

gboolean
ea_journal_calendar_get_day_colour (GtkWidget *calendar,
                                    guint32    day,
                                    GdkRGBA   *out)
{
  ChartData *data = chart_data (calendar);
  const EaJournalDay *d;

  g_return_val_if_fail (data != NULL, FALSE);

  if ((int) (day / 10000) != data->year || (int) (day / 100 % 100) != data->month)
    return FALSE;
  d = find_day (data->days, day);
  if (d == NULL)
    return FALSE;
  ea_journal_day_colour (d->pnl, month_scale (data), out);
  return TRUE;
}

static void
rounded_rectangle (cairo_t *cr,
                   double   x,
                   double   y,
                   double   w,
                   double   h,
                   double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
draw_calendar (GtkDrawingArea *area,
               cairo_t        *cr,
               int             width,
               int             height,
               gpointer        user_data)
{
  GtkWidget *widget = GTK_WIDGET (area);
  ChartData *data = chart_data (widget);
  static const char *weekdays[] = { N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun") };
  g_autoptr(GDateTime) first = g_date_time_new_utc (data->year, data->month, 1, 0, 0, 0);
  EaMicros scale = month_scale (data);
  double header = 22, cw = width / 7.0, ch = (height - header) / 6.0;
  int offset, n_days;
  GdkRGBA fg;

  if (first == NULL)
    return;
  foreground (widget, &fg);
  offset = g_date_time_get_day_of_week (first) - 1;
  n_days = g_date_get_days_in_month ((GDateMonth) data->month, (GDateYear) data->year);

  for (int i = 0; i < 7; i++)
    {
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.55);
      draw_text (widget, cr, _(weekdays[i]), cw * (i + 0.5), header / 2, 0.5, 0.85);
    }

  for (int d = 1; d <= n_days; d++)
    {
      int cell = offset + d - 1;
      double x = cw * (cell % 7) + 2, y = header + ch * (cell / 7) + 2;
      guint32 id = data->year * 10000 + data->month * 100 + d;
      const EaJournalDay *day = find_day (data->days, id);
      g_autofree char *num = g_strdup_printf ("%d", d);
      GdkRGBA c;

      if (day != NULL)
        ea_journal_day_colour (day->pnl, scale, &c);
      else
        c = (GdkRGBA) { fg.red, fg.green, fg.blue, 0.04 };
      gdk_cairo_set_source_rgba (cr, &c);
      rounded_rectangle (cr, x, y, cw - 4, ch - 4, 6);
      cairo_fill (cr);

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, day != NULL ? 0.9 : 0.45);
      draw_text (widget, cr, num, x + 6, y + 10, 0.0, 0.8);
      if (day != NULL && ch > 36)
        {
          /* Cents only when the cell is wide enough for them. */
          g_autofree char *pnl = cw >= 110 ? ea_money_format_full (day->pnl, EA_MONEY_FORMAT_PLUS_SIGN)
                                           : signed_short_money (day->pnl);
          g_autofree char *count = g_strdup_printf (ngettext ("%u trade", "%u trades", day->n_trades),
                                                    day->n_trades);

          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 1.0);
          draw_text (widget, cr, pnl, x + (cw - 4) / 2, y + (ch - 4) / 2 + 2, 0.5, 0.95);
          if (ch > 56)
            {
              cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
              draw_text (widget, cr, count, x + (cw - 4) / 2, y + ch - 16, 0.5, 0.75);
            }
        }
    }
}

GtkWidget *
ea_journal_calendar_new (void)
{
  GtkWidget *area = chart_new (draw_calendar, 360);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  ChartData *data = chart_data (area);

  data->year = g_date_time_get_year (now);
  data->month = g_date_time_get_month (now);
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), 420);
  return area;
}

void
ea_journal_calendar_set_days (GtkWidget                *calendar,
                              const EaJournalAnalytics *analytics)
{
  ChartData *data = chart_data (calendar);

  g_return_if_fail (data != NULL);

  g_array_set_size (data->days, 0);
  if (analytics != NULL)
    g_array_append_vals (data->days, analytics->days->data, analytics->days->len);
  gtk_widget_queue_draw (calendar);
}

void
ea_journal_calendar_set_month (GtkWidget *calendar,
                               int        year,
                               int        month)
{
  ChartData *data = chart_data (calendar);

  g_return_if_fail (data != NULL);
  g_return_if_fail (month >= 1 && month <= 12);

  data->year = year;
  data->month = month;
  gtk_widget_queue_draw (calendar);
}

void
ea_journal_calendar_get_month (GtkWidget *calendar,
                               int       *year,
                               int       *month)
{
  ChartData *data = chart_data (calendar);

  *year = data->year;
  *month = data->month;
}
