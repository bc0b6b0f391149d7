/* ea-journal-charts.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journal window's calendar month coloured by day P&L, a
 * GtkDrawingArea holding a copy of its days. The equity curve and the
 * daily P&L bars are EaEquityChart widgets (ea-equity-chart.h).
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-journal-analytics.h"

G_BEGIN_DECLS

/* The colour of a day cell: green for a profit, red for a loss, with an
 * intensity of |pnl| / @scale (clamped to 1); a neutral grey at 0. */
void       ea_journal_day_colour          (EaMicros                  pnl,
                                           EaMicros                  scale,
                                           GdkRGBA                  *out);

GtkWidget *ea_journal_calendar_new        (void);
void       ea_journal_calendar_set_days   (GtkWidget                *calendar,
                                           const EaJournalAnalytics *analytics);
void       ea_journal_calendar_set_month  (GtkWidget                *calendar,
                                           int                       year,
                                           int                       month);
void       ea_journal_calendar_get_month  (GtkWidget                *calendar,
                                           int                      *year,
                                           int                      *month);
/* The colour the calendar paints day @day (YYYYMMDD) of its month with;
 * FALSE when the day is not in the shown month or had no trade. */
gboolean   ea_journal_calendar_get_day_colour (GtkWidget            *calendar,
                                               guint32               day,
                                               GdkRGBA              *out);

G_END_DECLS
