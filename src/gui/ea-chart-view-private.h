/* ea-chart-view-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The view's fields, shared with the renderer.
 */
#pragma once

#include "ea-chart-view.h"

G_BEGIN_DECLS

typedef struct
{
  char    *id;
  EaTicks  price;
} EaChartPending;

/* Extremes of EA_CHART_BLOCK consecutive bars, for fast decimation. */
#define EA_CHART_BLOCK 16

typedef struct
{
  EaTicks high;
  EaTicks low;
  gint64  volume;
} EaChartBlock;

struct _EaChartView
{
  const EaInstrumentSpec *spec;
  EaChartStyle            style;
  gboolean                show_volume;

  GArray                 *bars;            /* EaBar */
  GArray                 *blocks;          /* EaChartBlock */
  gboolean                has_forming;
  GArray                 *session_starts;  /* gint64 */
  guint32                 last_day;
  EaTimeUs                next_day_boundary;

  guint                   ema_periods[EA_CHART_MAX_EMAS];
  guint                   n_emas;
  GArray                 *ema[EA_CHART_MAX_EMAS];  /* double */
  gboolean                atr_bands;
  guint                   atr_period;
  double                  atr_multiplier;
  GArray                 *atr;             /* double */
  GArray                 *atr_mid;         /* double: EMA of the closes */

  gboolean                has_position;
  EaTicks                 position_price;
  gint64                  position_qty;
  gboolean                has_floor;
  EaTicks                 floor_price;
  GArray                 *orders;          /* EaChartOrder, owned strings */
  GArray                 *markers[EA_CHART_N_MARKER_KINDS];
  GArray                 *pending;         /* EaChartPending */

  int                     width;
  int                     height;
  double                  first;
  double                  bar_px;
  gboolean                following;

  gboolean                fixed_price;
  double                  price_low;
  double                  price_high;
  gboolean                price_valid;

  /* Decimation cache. */
  GArray                 *columns;         /* EaChartColumn */
  gboolean                columns_valid;
  double                  columns_first;
  double                  columns_bar_px;

  gboolean                pointer_inside;
  double                  pointer_x;
  double                  pointer_y;

  gint64                  drag_order;      /* -1 when none */
  char                   *drag_id;
  EaTicks                 drag_price;
};

/* Recomputes the block holding bar @index (all blocks when @index < 0). */
void ea_chart_view_update_blocks (EaChartView *self,
                                  gint64       index);

/* Visible bar indices [*i0, *i1). */
void ea_chart_view_visible_bars (EaChartView *self,
                                 gint64      *i0,
                                 gint64      *i1);

G_END_DECLS
