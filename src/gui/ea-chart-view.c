/* ea-chart-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bars, indicators, overlays and the visible range of a price chart. All
 * values the renderer needs are computed here, outside drawing: indicator
 * series incrementally as bars arrive, session boundaries once per trading
 * day, and the per-pixel-column min/max of a zoomed-out chart once per
 * change of range.
 */
#define G_LOG_DOMAIN "ea-chart-view"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-chart-view-private.h"
#include "ea-indicators.h"
#include "ea-session.h"

static void
clear_order (gpointer data)
{
  EaChartOrder *order = data;

  g_free ((char *) order->id);
}

static void
clear_marker (gpointer data)
{
  EaChartMarker *marker = data;

  g_free ((char *) marker->text);
}

static void
clear_pending (gpointer data)
{
  EaChartPending *pending = data;

  g_free (pending->id);
}

EaChartView *
ea_chart_view_new (void)
{
  EaChartView *self = g_new0 (EaChartView, 1);

  self->style = EA_CHART_STYLE_CANDLES;
  self->show_volume = TRUE;
  self->bars = g_array_new (FALSE, FALSE, sizeof (EaBar));
  self->blocks = g_array_new (FALSE, FALSE, sizeof (EaChartBlock));
  self->session_starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < EA_CHART_MAX_EMAS; i++)
    self->ema[i] = g_array_new (FALSE, FALSE, sizeof (double));
  self->atr = g_array_new (FALSE, FALSE, sizeof (double));
  self->atr_mid = g_array_new (FALSE, FALSE, sizeof (double));
  self->atr_period = EA_ATR_DEFAULT_PERIOD;
  self->atr_multiplier = 2.0;
  self->orders = g_array_new (FALSE, FALSE, sizeof (EaChartOrder));
  g_array_set_clear_func (self->orders, clear_order);
  for (guint k = 0; k < EA_CHART_N_MARKER_KINDS; k++)
    {
      self->markers[k] = g_array_new (FALSE, FALSE, sizeof (EaChartMarker));
      g_array_set_clear_func (self->markers[k], clear_marker);
    }
  self->pending = g_array_new (FALSE, FALSE, sizeof (EaChartPending));
  g_array_set_clear_func (self->pending, clear_pending);
  self->columns = g_array_new (FALSE, TRUE, sizeof (EaChartColumn));
  self->bar_px = 8.0;
  self->following = TRUE;
  self->drag_order = -1;
  return self;
}

void
ea_chart_view_free (EaChartView *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->bars);
  g_array_unref (self->blocks);
  g_array_unref (self->session_starts);
  for (guint i = 0; i < EA_CHART_MAX_EMAS; i++)
    g_array_unref (self->ema[i]);
  g_array_unref (self->atr);
  g_array_unref (self->atr_mid);
  g_array_unref (self->orders);
  for (guint k = 0; k < EA_CHART_N_MARKER_KINDS; k++)
    g_array_unref (self->markers[k]);
  g_array_unref (self->pending);
  g_array_unref (self->columns);
  g_free (self->drag_id);
  g_free (self);
}

static void
invalidate (EaChartView *self)
{
  self->columns_valid = FALSE;
  self->price_valid = FALSE;
}

void
ea_chart_view_set_instrument (EaChartView            *self,
                              const EaInstrumentSpec *spec)
{
  g_return_if_fail (self != NULL);
  self->spec = spec;
}

const EaInstrumentSpec *
ea_chart_view_get_instrument (EaChartView *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->spec;
}

void
ea_chart_view_set_style (EaChartView  *self,
                         EaChartStyle  style)
{
  g_return_if_fail (self != NULL);
  self->style = style;
}

EaChartStyle
ea_chart_view_get_style (EaChartView *self)
{
  g_return_val_if_fail (self != NULL, EA_CHART_STYLE_CANDLES);
  return self->style;
}

void
ea_chart_view_set_show_volume (EaChartView *self,
                               gboolean     show)
{
  g_return_if_fail (self != NULL);
  self->show_volume = !!show;
  invalidate (self);
}

/* Sessions ---------------------------------------------------------- */

static GDateTime *
date_time_from_us (EaTimeUs t)
{
  gint64 secs = t >= 0 ? t / G_USEC_PER_SEC : -((-t + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);

  return g_date_time_new_from_unix_utc (secs);
}

/* The trading day changes only at the daily close (16:00 Chicago), so the
 * calendar is consulted once per day, not once per bar. */
static void
track_session (EaChartView *self,
               gsize        index)
{
  const EaBar *bar = &g_array_index (self->bars, EaBar, index);
  g_autoptr(GDateTime) t = NULL;
  g_autoptr(GDateTime) next = NULL;
  guint32 day;

  if (index > 0 && bar->start < self->next_day_boundary)
    return;

  t = date_time_from_us (bar->start);
  if (t == NULL)
    {
      self->next_day_boundary = G_MAXINT64;
      return;
    }
  day = ea_session_trading_day (t);
  if (index > 0 && day != self->last_day)
    {
      gint64 i = (gint64) index;

      g_array_append_val (self->session_starts, i);
    }
  self->last_day = day;
  next = ea_session_next_local_time (t, "America/Chicago", 16, 0);
  self->next_day_boundary = next != NULL ? g_date_time_to_unix (next) * G_USEC_PER_SEC : G_MAXINT64;
}

/* Indicators -------------------------------------------------------- */

static void
recompute_indicators (EaChartView *self)
{
  gsize n = self->bars->len;
  const EaBar *bars = (const EaBar *) (gpointer) self->bars->data;
  g_autofree double *high = g_new (double, MAX (n, 1));
  g_autofree double *low = g_new (double, MAX (n, 1));
  g_autofree double *close = g_new (double, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    {
      high[i] = (double) bars[i].high;
      low[i] = (double) bars[i].low;
      close[i] = (double) bars[i].close;
    }

  for (guint k = 0; k < EA_CHART_MAX_EMAS; k++)
    {
      g_array_set_size (self->ema[k], k < self->n_emas ? n : 0);
      if (k < self->n_emas && n > 0)
        ea_ema (close, n, self->ema_periods[k], FALSE, (double *) (gpointer) self->ema[k]->data);
    }

  g_array_set_size (self->atr, self->atr_bands ? n : 0);
  g_array_set_size (self->atr_mid, self->atr_bands ? n : 0);
  if (self->atr_bands && n > 0)
    {
      ea_atr (high, low, close, n, self->atr_period, NULL, (double *) (gpointer) self->atr->data);
      ea_ema (close, n, self->atr_period, FALSE, (double *) (gpointer) self->atr_mid->data);
    }
}

/* The last bar changed or was added: one step of each recurrence, the same
 * arithmetic as ea_ema(), unless the series is still warming up. */
static void
update_last_indicators (EaChartView *self)
{
  gsize n = self->bars->len;
  const EaBar *bar = &g_array_index (self->bars, EaBar, n - 1);
  gboolean full = FALSE;

  for (guint k = 0; k < self->n_emas && !full; k++)
    {
      double *ema;
      double r = 2.0 / (self->ema_periods[k] + 1.0);

      g_array_set_size (self->ema[k], n);
      ema = (double *) (gpointer) self->ema[k]->data;
      if (n >= 2 && !isnan (ema[n - 2]))
        ema[n - 1] = bar->close * r + ema[n - 2] * (1.0 - r);
      else
        full = TRUE;
    }

  if (self->atr_bands && !full)
    {
      double *atr, *mid;
      double r = 2.0 / (self->atr_period + 1.0);
      double w = 1.0 / self->atr_period;

      g_array_set_size (self->atr, n);
      g_array_set_size (self->atr_mid, n);
      atr = (double *) (gpointer) self->atr->data;
      mid = (double *) (gpointer) self->atr_mid->data;
      if (n >= 2 && !isnan (atr[n - 2]) && !isnan (mid[n - 2]))
        {
          const EaBar *prev = &g_array_index (self->bars, EaBar, n - 2);
          double th = MAX ((double) bar->high, (double) prev->close);
          double tl = MIN ((double) bar->low, (double) prev->close);

          atr[n - 1] = (th - tl) * w + atr[n - 2] * (1.0 - w);
          mid[n - 1] = bar->close * r + mid[n - 2] * (1.0 - r);
        }
      else
        full = TRUE;
    }

  if (full)
    recompute_indicators (self);
}

void
ea_chart_view_set_emas (EaChartView *self,
                        const guint *periods,
                        guint        n_periods)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (n_periods == 0 || periods != NULL);

  self->n_emas = 0;
  for (guint i = 0; i < n_periods && self->n_emas < EA_CHART_MAX_EMAS; i++)
    if (periods[i] > 0)
      self->ema_periods[self->n_emas++] = periods[i];
  recompute_indicators (self);
}

const double *
ea_chart_view_get_ema (EaChartView *self,
                       guint        which)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (which >= self->n_emas)
    return NULL;
  return (const double *) (gpointer) self->ema[which]->data;
}

void
ea_chart_view_set_atr_bands (EaChartView *self,
                             gboolean     enabled,
                             guint        period,
                             double       multiplier)
{
  g_return_if_fail (self != NULL);
  self->atr_bands = !!enabled;
  self->atr_period = period > 0 ? period : EA_ATR_DEFAULT_PERIOD;
  self->atr_multiplier = multiplier > 0 && isfinite (multiplier) ? multiplier : 2.0;
  recompute_indicators (self);
}

const double *
ea_chart_view_get_atr (EaChartView *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->atr_bands ? (const double *) (gpointer) self->atr->data : NULL;
}

/* Bars -------------------------------------------------------------- */

static void
follow_new_bar (EaChartView *self)
{
  if (self->following && self->width > 0)
    {
      EaChartRect plot = ea_chart_view_get_plot_rect (self);
      double right = (self->bars->len + EA_CHART_END_MARGIN_BARS - self->first) * self->bar_px;

      if (right > plot.width)
        ea_chart_view_end (self);
    }
}

void
ea_chart_view_set_bars (EaChartView *self,
                        const EaBar *bars,
                        gsize        n_bars)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (n_bars == 0 || bars != NULL);

  g_array_set_size (self->bars, 0);
  g_array_append_vals (self->bars, bars, n_bars);
  self->has_forming = FALSE;
  g_array_set_size (self->session_starts, 0);
  self->next_day_boundary = 0;
  for (gsize i = 0; i < n_bars; i++)
    track_session (self, i);
  ea_chart_view_update_blocks (self, -1);
  recompute_indicators (self);
  invalidate (self);
  if (self->following)
    ea_chart_view_end (self);
}

static void
put_last (EaChartView *self,
          const EaBar *bar,
          gboolean     forming)
{
  if (self->has_forming && self->bars->len > 0)
    g_array_index (self->bars, EaBar, self->bars->len - 1) = *bar;
  else
    {
      g_array_append_vals (self->bars, bar, 1);
      track_session (self, self->bars->len - 1);
    }
  self->has_forming = forming;
  ea_chart_view_update_blocks (self, (gint64) self->bars->len - 1);
  update_last_indicators (self);
  invalidate (self);
  follow_new_bar (self);
}

void
ea_chart_view_append_bar (EaChartView *self,
                          const EaBar *bar)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (bar != NULL);
  put_last (self, bar, FALSE);
}

void
ea_chart_view_update_forming (EaChartView *self,
                              const EaBar *bar)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (bar != NULL);
  put_last (self, bar, TRUE);
}

gsize
ea_chart_view_get_n_bars (EaChartView *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->bars->len;
}

const EaBar *
ea_chart_view_get_bar (EaChartView *self,
                       gsize        index)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (index >= self->bars->len)
    return NULL;
  return &g_array_index (self->bars, EaBar, index);
}

gboolean
ea_chart_view_has_forming (EaChartView *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->has_forming;
}

gint64
ea_chart_view_index_at_time (EaChartView *self,
                             EaTimeUs     time)
{
  const EaBar *bars = (const EaBar *) (gpointer) self->bars->data;
  gint64 lo = 0, hi = (gint64) self->bars->len;

  /* First bar starting after @time, minus one. */
  while (lo < hi)
    {
      gint64 mid = lo + (hi - lo) / 2;

      if (bars[mid].start <= time)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo - 1;
}

const gint64 *
ea_chart_view_get_session_starts (EaChartView *self,
                                  gsize       *n_starts)
{
  g_return_val_if_fail (self != NULL, NULL);
  *n_starts = self->session_starts->len;
  return (const gint64 *) (gpointer) self->session_starts->data;
}

/* Overlays ---------------------------------------------------------- */

void
ea_chart_view_set_position (EaChartView *self,
                            gboolean     has_position,
                            EaTicks      avg_price,
                            gint64       qty)
{
  g_return_if_fail (self != NULL);
  self->has_position = has_position && qty != 0;
  self->position_price = avg_price;
  self->position_qty = qty;
  self->price_valid = FALSE;
}

void
ea_chart_view_set_floor_price (EaChartView *self,
                               gboolean     has_floor,
                               EaTicks      price)
{
  g_return_if_fail (self != NULL);
  self->has_floor = !!has_floor;
  self->floor_price = price;
  self->price_valid = FALSE;
}

void
ea_chart_view_set_orders (EaChartView        *self,
                          const EaChartOrder *orders,
                          gsize               n_orders)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (n_orders == 0 || orders != NULL);

  g_array_set_size (self->orders, 0);
  for (gsize i = 0; i < n_orders; i++)
    {
      EaChartOrder copy = orders[i];

      copy.id = g_strdup (orders[i].id != NULL ? orders[i].id : "");
      g_array_append_val (self->orders, copy);
    }
  self->price_valid = FALSE;
  /* Confirmed prices replace any pending drag result. */
  g_array_set_size (self->pending, 0);

  if (self->drag_order >= 0)
    {
      self->drag_order = -1;
      for (gsize i = 0; i < self->orders->len; i++)
        if (g_strcmp0 (g_array_index (self->orders, EaChartOrder, i).id, self->drag_id) == 0)
          self->drag_order = (gint64) i;
      if (self->drag_order < 0)
        g_clear_pointer (&self->drag_id, g_free);
    }
}

const EaChartOrder *
ea_chart_view_get_orders (EaChartView *self,
                          gsize       *n_orders)
{
  g_return_val_if_fail (self != NULL, NULL);
  *n_orders = self->orders->len;
  return (const EaChartOrder *) (gpointer) self->orders->data;
}

void
ea_chart_view_set_markers (EaChartView         *self,
                           EaChartMarkerKind    kind,
                           const EaChartMarker *markers,
                           gsize                n_markers)
{
  GArray *array;

  g_return_if_fail (self != NULL);
  g_return_if_fail (kind < EA_CHART_N_MARKER_KINDS);
  g_return_if_fail (n_markers == 0 || markers != NULL);

  array = self->markers[kind];
  g_array_set_size (array, 0);
  for (gsize i = 0; i < n_markers; i++)
    {
      EaChartMarker copy = markers[i];

      copy.text = g_strdup (markers[i].text);
      g_array_append_val (array, copy);
    }
}

const EaChartMarker *
ea_chart_view_get_markers (EaChartView       *self,
                           EaChartMarkerKind  kind,
                           gsize             *n_markers)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (kind < EA_CHART_N_MARKER_KINDS, NULL);
  *n_markers = self->markers[kind]->len;
  return (const EaChartMarker *) (gpointer) self->markers[kind]->data;
}

gboolean
ea_chart_floor_price (const EaInstrumentSpec *spec,
                      EaTicks                 avg_price,
                      gint64                  qty,
                      EaMicros                balance,
                      EaMicros                floor,
                      EaTicks                *out)
{
  EaMicros room, den;
  gint64 q, r, off;

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (qty == 0 || spec->tick_value <= 0 || floor >= balance)
    return FALSE;
  if (__builtin_sub_overflow (floor, balance, &room)
      || __builtin_mul_overflow (qty, spec->tick_value, &den))
    return FALSE;

  /* Equity at price P is balance + (P - avg) * qty * tick_value; it
   * reaches the floor at avg + room / den. A long dies at the highest tick
   * at or below that (round down), a short at the lowest at or above it. */
  q = room / den;
  r = room % den;
  off = q;
  if (r != 0)
    {
      gboolean exact_negative = (r < 0) != (den < 0);

      if (qty > 0 && exact_negative)
        off = q - 1;
      else if (qty < 0 && !exact_negative)
        off = q + 1;
    }
  if (__builtin_add_overflow (avg_price, off, out))
    return FALSE;
  return TRUE;
}
