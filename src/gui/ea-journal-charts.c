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
  GArray *days;     /* EaJournalDay */
  int     year;     /* calendar */
  int     month;
} ChartData;

static void
chart_data_free (ChartData *data)
{
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
