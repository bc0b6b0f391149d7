/* ea-equity-chart.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journal's charts: the equity curve with its drawdowns shaded under
 * the running peak and the trailing floor over time, and daily P&L bars.
 * The renderers are display-free (any EaChartPainter); EaEquityChart is
 * the widget around them, reusable by the journal window and the desk.
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-chart-render.h"

G_BEGIN_DECLS

/* A point's floor when none is known (an equity curve of several
 * accounts, or a time before the first stored floor): the floor line
 * breaks there. */
#define EA_EQUITY_NO_FLOOR G_MININT64

typedef struct
{
  EaTimeUs time;
  EaMicros equity;
  EaMicros floor;      /* the trailing floor at that time, or EA_EQUITY_NO_FLOOR */
} EaEquityPoint;

typedef struct
{
  guint32  day;        /* trading day, YYYYMMDD */
  EaMicros pnl;
} EaDailyPnl;

typedef enum
{
  EA_EQUITY_CHART_EQUITY,
  EA_EQUITY_CHART_DAILY_PNL,
} EaEquityChartMode;

/* Money <-> rows and time <-> columns of an equity chart of the given
 * size and data, as the renderer uses them. */
typedef struct
{
  EaChartRect plot;
  double      low;       /* money units at the bottom */
  double      high;      /* money units at the top */
  EaTimeUs    t0;
  EaTimeUs    t1;
} EaEquityScale;

void     ea_equity_scale_init     (EaEquityScale        *scale,
                                   int                   width,
                                   int                   height,
                                   const EaEquityPoint  *points,
                                   gsize                 n_points);
double   ea_equity_scale_y        (const EaEquityScale  *scale,
                                   EaMicros              money);
double   ea_equity_scale_x        (const EaEquityScale  *scale,
                                   EaTimeUs              time);

void     ea_equity_render         (EaChartPainter       *painter,
                                   const EaChartPalette *palette,
                                   int                   width,
                                   int                   height,
                                   const EaEquityPoint  *points,
                                   gsize                 n_points);
void     ea_daily_pnl_scale_init  (EaEquityScale        *scale,
                                   int                   width,
                                   int                   height,
                                   const EaDailyPnl     *days,
                                   gsize                 n_days);
void     ea_daily_pnl_render      (EaChartPainter       *painter,
                                   const EaChartPalette *palette,
                                   int                   width,
                                   int                   height,
                                   const EaDailyPnl     *days,
                                   gsize                 n_days);

#define EA_TYPE_EQUITY_CHART (ea_equity_chart_get_type ())

G_DECLARE_FINAL_TYPE (EaEquityChart, ea_equity_chart, EA, EQUITY_CHART, GtkWidget)

GtkWidget *ea_equity_chart_new        (EaEquityChartMode    mode);
void       ea_equity_chart_set_points (EaEquityChart       *self,
                                       const EaEquityPoint *points,
                                       gsize                n_points);
void       ea_equity_chart_set_days   (EaEquityChart       *self,
                                       const EaDailyPnl    *days,
                                       gsize                n_days);
/* What is shown, in time order. */
const EaEquityPoint *
           ea_equity_chart_get_points (EaEquityChart       *self,
                                       gsize               *n_points);
const EaDailyPnl *
           ea_equity_chart_get_days   (EaEquityChart       *self,
                                       gsize               *n_days);
/* Shown in the middle while there is nothing to draw (NULL: nothing). */
void       ea_equity_chart_set_empty_text (EaEquityChart   *self,
                                           const char      *text);

G_END_DECLS
