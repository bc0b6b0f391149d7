/* ea-chart-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The price chart's view model: its bars, indicator series and overlays,
 * the visible range (first bar and pixels per bar), the layout of the plot,
 * and every mapping between pixels and bars or prices. Nothing here draws;
 * ea-chart-render.c reads a view and paints it, and EaChart wraps both in
 * a widget. Everything is display-free so it can be tested directly.
 */
#pragma once

#include <glib.h>

#include "ea-bars.h"
#include "ea-instrument.h"

G_BEGIN_DECLS

/* Layout, in pixels: a price axis on the right, a time axis at the bottom,
 * and the volume pane taking a fifth of the plot below the price pane. */
#define EA_CHART_PRICE_AXIS_WIDTH  72
#define EA_CHART_TIME_AXIS_HEIGHT  22
#define EA_CHART_PANE_GAP          4
#define EA_CHART_VOLUME_FRACTION   5   /* volume height = plot height / 5 */
#define EA_CHART_END_MARGIN_BARS   3   /* empty bars right of the last one */
#define EA_CHART_MIN_BAR_PX        1e-4
#define EA_CHART_MAX_BAR_PX        80.0
#define EA_CHART_DECIMATE_BAR_PX   2.0 /* below this, one column per pixel */
#define EA_CHART_MAX_EMAS          4
#define EA_CHART_HIT_DISTANCE      5.0

typedef enum
{
  EA_CHART_STYLE_CANDLES,
  EA_CHART_STYLE_OHLC,
  EA_CHART_STYLE_LINE,
} EaChartStyle;

typedef enum
{
  EA_CHART_ORDER_LIMIT,
  EA_CHART_ORDER_STOP,
  EA_CHART_ORDER_BRACKET_STOP,
  EA_CHART_ORDER_BRACKET_TARGET,
} EaChartOrderKind;

/* A working order drawn as a horizontal line. */
typedef struct
{
  const char       *id;
  EaSide            side;
  EaChartOrderKind  kind;
  EaTicks           price;
  gint64            qty;
  gboolean          draggable;
} EaChartOrder;

/* A fill (buy or sell triangle), an Enigma signal, or an ERM reversal
 * arrow: a time, a price and a direction (buy = up). @text is shown as
 * the marker's tooltip and may be NULL. */
typedef struct
{
  EaTimeUs    time;
  EaTicks     price;
  EaSide      side;
  const char *text;
} EaChartMarker;

typedef enum
{
  EA_CHART_MARKER_FILL,
  EA_CHART_MARKER_SIGNAL,
  EA_CHART_MARKER_ERM,
  EA_CHART_N_MARKER_KINDS,
} EaChartMarkerKind;

/* One pixel column of a zoomed-out chart: the bars [first, first + n)
 * drawn in it, their extreme prices and the open/close of the run. */
typedef struct
{
  gint64  first;
  gint64  n;
  EaTicks open;
  EaTicks high;
  EaTicks low;
  EaTicks close;
  gint64  volume;
} EaChartColumn;

typedef struct
{
  double x;
  double y;
  double width;
  double height;
} EaChartRect;

typedef struct _EaChartView EaChartView;

EaChartView    *ea_chart_view_new               (void);
void            ea_chart_view_free              (EaChartView            *self);

void            ea_chart_view_set_instrument    (EaChartView            *self,
                                                 const EaInstrumentSpec *spec);
const EaInstrumentSpec *
                ea_chart_view_get_instrument    (EaChartView            *self);
void            ea_chart_view_set_style         (EaChartView            *self,
                                                 EaChartStyle            style);
EaChartStyle    ea_chart_view_get_style         (EaChartView            *self);
void            ea_chart_view_set_show_volume   (EaChartView            *self,
                                                 gboolean                show);

/* Bars. The view copies them. A forming bar is the last bar, replaced by
 * every update until a closed bar is appended in its place. */
void            ea_chart_view_set_bars          (EaChartView            *self,
                                                 const EaBar            *bars,
                                                 gsize                   n_bars);
void            ea_chart_view_append_bar        (EaChartView            *self,
                                                 const EaBar            *bar);
void            ea_chart_view_update_forming    (EaChartView            *self,
                                                 const EaBar            *bar);
gsize           ea_chart_view_get_n_bars        (EaChartView            *self);
const EaBar    *ea_chart_view_get_bar           (EaChartView            *self,
                                                 gsize                   index);
gboolean        ea_chart_view_has_forming       (EaChartView            *self);
/* Index of the last bar starting at or before @time, -1 before the first. */
gint64          ea_chart_view_index_at_time     (EaChartView            *self,
                                                 EaTimeUs                time);
/* Bar indices where a new CME trading day starts (after the first bar). */
const gint64   *ea_chart_view_get_session_starts (EaChartView           *self,
                                                  gsize                 *n_starts);

/* Indicators, in ticks (NaN during warm-up). */
void            ea_chart_view_set_emas          (EaChartView            *self,
                                                 const guint            *periods,
                                                 guint                   n_periods);
const double   *ea_chart_view_get_ema           (EaChartView            *self,
                                                 guint                   which);
void            ea_chart_view_set_atr_bands     (EaChartView            *self,
                                                 gboolean                enabled,
                                                 guint                   period,
                                                 double                  multiplier);
const double   *ea_chart_view_get_atr           (EaChartView            *self);

/* Overlays. All arrays are copied, strings included. */
void            ea_chart_view_set_position      (EaChartView            *self,
                                                 gboolean                has_position,
                                                 EaTicks                 avg_price,
                                                 gint64                  qty);
void            ea_chart_view_set_floor_price   (EaChartView            *self,
                                                 gboolean                has_floor,
                                                 EaTicks                 price);
void            ea_chart_view_set_orders        (EaChartView            *self,
                                                 const EaChartOrder     *orders,
                                                 gsize                   n_orders);
const EaChartOrder *
                ea_chart_view_get_orders        (EaChartView            *self,
                                                 gsize                  *n_orders);
void            ea_chart_view_set_markers       (EaChartView            *self,
                                                 EaChartMarkerKind       kind,
                                                 const EaChartMarker    *markers,
                                                 gsize                   n_markers);
const EaChartMarker *
                ea_chart_view_get_markers       (EaChartView            *self,
                                                 EaChartMarkerKind       kind,
                                                 gsize                  *n_markers);

/* Layout. */
void            ea_chart_view_set_size          (EaChartView            *self,
                                                 int                     width,
                                                 int                     height);
void            ea_chart_view_get_size          (EaChartView            *self,
                                                 int                    *width,
                                                 int                    *height);
EaChartRect     ea_chart_view_get_plot_rect     (EaChartView            *self);
EaChartRect     ea_chart_view_get_price_rect    (EaChartView            *self);
EaChartRect     ea_chart_view_get_volume_rect   (EaChartView            *self);

/* Visible range: the (fractional) bar index at the plot's left edge and
 * the width of one bar in pixels. */
void            ea_chart_view_set_range         (EaChartView            *self,
                                                 double                  first,
                                                 double                  bar_px);
double          ea_chart_view_get_first         (EaChartView            *self);
double          ea_chart_view_get_bar_px        (EaChartView            *self);
/* Zooms by @factor (> 1 zooms in) keeping the bar under @x in place. */
void            ea_chart_view_zoom_at           (EaChartView            *self,
                                                 double                  x,
                                                 double                  factor);
/* Drags the content by @dx pixels (positive: to the right, back in time). */
void            ea_chart_view_pan_px            (EaChartView            *self,
                                                 double                  dx);
void            ea_chart_view_scroll_bars       (EaChartView            *self,
                                                 double                  n_bars);
void            ea_chart_view_home              (EaChartView            *self);
void            ea_chart_view_end               (EaChartView            *self);
/* TRUE while new bars scroll the chart (the last bar is on screen). */
gboolean        ea_chart_view_get_following     (EaChartView            *self);

/* Price scale: automatic (fits the visible bars) unless fixed. */
void            ea_chart_view_set_price_range   (EaChartView            *self,
                                                 double                  low_ticks,
                                                 double                  high_ticks);
void            ea_chart_view_set_auto_price    (EaChartView            *self);
void            ea_chart_view_get_price_range   (EaChartView            *self,
                                                 double                 *low_ticks,
                                                 double                 *high_ticks);

/* Mappings (widget pixels). */
double          ea_chart_view_x_of_index        (EaChartView            *self,
                                                 double                  index);
double          ea_chart_view_index_at_x        (EaChartView            *self,
                                                 double                  x);
double          ea_chart_view_y_of_price        (EaChartView            *self,
                                                 double                  ticks);
double          ea_chart_view_price_at_y        (EaChartView            *self,
                                                 double                  y);
/* Bar @index's slot: its left pixel column and width in whole pixels. */
void            ea_chart_view_bar_slot          (EaChartView            *self,
                                                 gint64                  index,
                                                 int                    *x,
                                                 int                    *width);
/* The pixel row of a price (floor of its y). */
int             ea_chart_view_row_of_price      (EaChartView            *self,
                                                 double                  ticks);

/* Decimation: TRUE when zoomed out past EA_CHART_DECIMATE_BAR_PX; the
 * columns are computed outside drawing and cached until the range, the
 * size or the bars change. */
gboolean        ea_chart_view_is_decimated      (EaChartView            *self);
const EaChartColumn *
                ea_chart_view_get_columns       (EaChartView            *self,
                                                 gsize                  *n_columns);
/* The same, for any bars: column c gets the bars i with
 * floor ((i - first) * bar_px) == c, written to @out (sized @n_columns);
 * empty columns have n = 0. */
void            ea_chart_decimate               (const EaBar            *bars,
                                                 gsize                   n_bars,
                                                 double                  first,
                                                 double                  bar_px,
                                                 gsize                   n_columns,
                                                 EaChartColumn          *out);

/* Hit testing: the order line within EA_CHART_HIT_DISTANCE of @y (-1 if
 * none), and the marker nearest (@x, @y) within twice that distance. */
gint64          ea_chart_view_order_at          (EaChartView            *self,
                                                 double                  x,
                                                 double                  y);
gboolean        ea_chart_view_marker_at         (EaChartView            *self,
                                                 double                  x,
                                                 double                  y,
                                                 EaChartMarkerKind      *kind,
                                                 gsize                  *index);

/* Pointer (crosshair) state. */
void            ea_chart_view_set_pointer       (EaChartView            *self,
                                                 gboolean                inside,
                                                 double                  x,
                                                 double                  y);

/* Order dragging. The view never moves an order: while dragging it shows a
 * ghost line; at the end it returns the new price and keeps a pending
 * line there until ea_chart_view_set_orders() brings confirmed prices. */
gboolean        ea_chart_view_begin_order_drag  (EaChartView            *self,
                                                 gint64                  order_index);
void            ea_chart_view_update_order_drag (EaChartView            *self,
                                                 double                  y);
/* FALSE when no drag was running or the price did not change. */
gboolean        ea_chart_view_end_order_drag    (EaChartView            *self,
                                                 gboolean                keep_pending,
                                                 char                  **order_id,
                                                 EaTicks                *new_price);
gboolean        ea_chart_view_is_dragging_order (EaChartView            *self);
/* Shows a dashed line for @order_id at @price until the next
 * ea_chart_view_set_orders(). */
void            ea_chart_view_add_pending       (EaChartView            *self,
                                                 const char             *order_id,
                                                 EaTicks                 price);

/* The price (ticks) at which an open position of @qty contracts bought or
 * sold at @avg_price takes the account's equity to @floor, given its
 * @balance without the position's open P&L: the first tick at which the
 * account is dead. FALSE when @qty is 0 or the floor is already reached. */
gboolean        ea_chart_floor_price            (const EaInstrumentSpec *spec,
                                                 EaTicks                 avg_price,
                                                 gint64                  qty,
                                                 EaMicros                balance,
                                                 EaMicros                floor,
                                                 EaTicks                *out);

G_END_DECLS
