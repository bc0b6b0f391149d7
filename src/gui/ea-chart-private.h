/* ea-chart-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The chart's input handlers, called by its event controllers and, with
 * synthetic coordinates, by tests.
 */
#pragma once

#include "ea-bars.h"
#include "ea-chart.h"
#include "ea-chart-render.h"

G_BEGIN_DECLS

struct _EaChart
{
  GtkWidget       parent_instance;

  EaChartView    *view;
  EaChartPalette  palette;

  EaBarSpec       spec;
  EaBarBuilder   *builder;
  GArray         *trades;          /* EaTrade, history and live */
  gboolean        forming_dirty;
  guint           tick_id;
  guint           n_frames;

  double          pointer_x;
  double          pointer_y;
  gboolean        dragging_order;
  double          drag_start_y;
  double          drag_last_dx;

  GtkWidget      *menu;            /* bar type and style popover */
};

void      ea_chart_setup_controllers (EaChart       *self);

void      ea_chart_pointer_motion (EaChart         *self,
                                   double           x,
                                   double           y);
void      ea_chart_pointer_leave  (EaChart         *self);
/* Wheel: vertical zooms around the pointer, horizontal pans. */
gboolean  ea_chart_scroll         (EaChart         *self,
                                   double           dx,
                                   double           dy);
void      ea_chart_drag_begin     (EaChart         *self,
                                   double           x,
                                   double           y);
void      ea_chart_drag_update    (EaChart         *self,
                                   double           offset_x,
                                   double           offset_y);
void      ea_chart_drag_end       (EaChart         *self,
                                   double           offset_x,
                                   double           offset_y);
gboolean  ea_chart_key_pressed    (EaChart         *self,
                                   guint            keyval,
                                   GdkModifierType  state);
char     *ea_chart_tooltip_text   (EaChart         *self,
                                   double           x,
                                   double           y);

G_END_DECLS
