/* ea-chart-render-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ea-chart-render.h"
#include "ea-chart-view-private.h"
#include "ea-session.h"

G_BEGIN_DECLS

/* @align: -1 left (text starts at @x), 0 centred, 1 right; @y is the
 * vertical centre. A @box colour fills the text's background. */
void  ea_chart_draw_text          (EaChartPainter       *painter,
                                   const char           *text,
                                   double                x,
                                   double                y,
                                   int                   align,
                                   const GdkRGBA        *color,
                                   const GdkRGBA        *box);
char *ea_chart_format_ticks       (EaChartView          *view,
                                   EaTicks               ticks);
void  ea_chart_candle_geometry    (int                   slot_x,
                                   int                   slot_w,
                                   int                  *body_x,
                                   int                  *body_w,
                                   int                  *wick_x);

void  ea_chart_render_indicators  (EaChartView          *view,
                                   EaChartPainter       *painter,
                                   const EaChartPalette *palette);
void  ea_chart_render_overlays    (EaChartView          *view,
                                   EaChartPainter       *painter,
                                   const EaChartPalette *palette);
void  ea_chart_render_crosshair   (EaChartView          *view,
                                   EaChartPainter       *painter,
                                   const EaChartPalette *palette);

G_END_DECLS
