/* ea-chart.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The price chart widget: candlesticks, OHLC bars or a close line with a
 * volume pane, indicators and every trade overlay, zoomed with the wheel
 * around the pointer, panned by dragging or with the keyboard, following
 * live data until the user pans back. Working orders are dragged to a new
 * price, but the chart never changes an order itself: "validate-drag"
 * asks the owner (the desk's risk check), then "order-drag-finished"
 * asks it to modify, and the line moves when the owner sets the confirmed
 * orders again.
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-chart-view.h"

G_BEGIN_DECLS

#define EA_TYPE_CHART (ea_chart_get_type ())

G_DECLARE_FINAL_TYPE (EaChart, ea_chart, EA, CHART, GtkWidget)

GtkWidget       *ea_chart_new               (void);
/* The view model (for readouts and tests); owned by the chart. */
EaChartView     *ea_chart_get_view          (EaChart                *self);

void             ea_chart_set_instrument    (EaChart                *self,
                                             const EaInstrumentSpec *spec);
void             ea_chart_set_style         (EaChart                *self,
                                             EaChartStyle            style);

/* Time bars (1 s … 1 day) or range bars. With trades loaded (history from
 * the broker, Demo replay or the journal), the bars are rebuilt for the
 * new spec; with only bars the owner reloads them. */
gboolean         ea_chart_set_bar_spec      (EaChart                *self,
                                             const EaBarSpec        *spec,
                                             GError                **error);
const EaBarSpec *ea_chart_get_bar_spec      (EaChart                *self);
gboolean         ea_chart_set_trades        (EaChart                *self,
                                             const EaTrade          *trades,
                                             gsize                   n_trades,
                                             GError                **error);
/* Live trade prints: closed bars are appended at once; the forming bar is
 * updated at most once per frame, from every print since the last frame. */
gboolean         ea_chart_push_trade        (EaChart                *self,
                                             EaTimeUs                time,
                                             EaTicks                 price,
                                             gint64                  volume,
                                             GError                **error);

void             ea_chart_set_bars          (EaChart                *self,
                                             const EaBar            *bars,
                                             gsize                   n_bars);
void             ea_chart_append_bar        (EaChart                *self,
                                             const EaBar            *bar);
void             ea_chart_update_forming    (EaChart                *self,
                                             const EaBar            *bar);
/* Applies a coalesced forming bar now (the frame clock does it otherwise). */
void             ea_chart_flush_live        (EaChart                *self);

void             ea_chart_set_emas          (EaChart                *self,
                                             const guint            *periods,
                                             guint                   n_periods);
void             ea_chart_set_atr_bands     (EaChart                *self,
                                             gboolean                enabled,
                                             guint                   period,
                                             double                  multiplier);
void             ea_chart_set_position      (EaChart                *self,
                                             gboolean                has_position,
                                             EaTicks                 avg_price,
                                             gint64                  qty);
void             ea_chart_set_floor_price   (EaChart                *self,
                                             gboolean                has_floor,
                                             EaTicks                 price);
void             ea_chart_set_orders        (EaChart                *self,
                                             const EaChartOrder     *orders,
                                             gsize                   n_orders);
void             ea_chart_set_markers       (EaChart                *self,
                                             EaChartMarkerKind       kind,
                                             const EaChartMarker    *markers,
                                             gsize                   n_markers);

/* Frames drawn so far (for tests of the live coalescing). */
guint            ea_chart_get_n_frames      (EaChart                *self);

G_END_DECLS
