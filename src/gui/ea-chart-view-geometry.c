/* ea-chart-view-geometry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The chart view's layout, navigation (zoom around a pixel, pan, Home,
 * End, auto-scroll), pixel <-> bar/price mappings, decimation to pixel
 * columns, hit testing and order dragging.
 *
 * x is index based: bar i occupies [floor ((i - first) * bar_px),
 * floor ((i + 1 - first) * bar_px)) so session breaks and weekends leave no
 * empty space.
 */
#define G_LOG_DOMAIN "ea-chart-view"

#include "config.h"

#include <math.h>

#include "ea-chart-view-private.h"

/* Layout ------------------------------------------------------------ */

void
ea_chart_view_set_size (EaChartView *self,
                        int          width,
                        int          height)
{
  g_return_if_fail (self != NULL);

  width = MAX (width, 0);
  height = MAX (height, 0);
  if (width == self->width && height == self->height)
    return;
  self->width = width;
  self->height = height;
  self->columns_valid = FALSE;
  self->price_valid = FALSE;
  if (self->following)
    ea_chart_view_end (self);
}

void
ea_chart_view_get_size (EaChartView *self,
                        int         *width,
                        int         *height)
{
  *width = self->width;
  *height = self->height;
}

EaChartRect
ea_chart_view_get_plot_rect (EaChartView *self)
{
  EaChartRect r = { 0, 0, 0, 0 };

  r.width = MAX (0, self->width - EA_CHART_PRICE_AXIS_WIDTH);
  r.height = MAX (0, self->height - EA_CHART_TIME_AXIS_HEIGHT);
  return r;
}

EaChartRect
ea_chart_view_get_price_rect (EaChartView *self)
{
  EaChartRect r = ea_chart_view_get_plot_rect (self);

  if (self->show_volume)
    {
      int plot_h = (int) r.height;
      int vol_h = plot_h / EA_CHART_VOLUME_FRACTION;

      r.height = MAX (0, plot_h - vol_h - EA_CHART_PANE_GAP);
    }
  return r;
}

EaChartRect
ea_chart_view_get_volume_rect (EaChartView *self)
{
  EaChartRect plot = ea_chart_view_get_plot_rect (self);
  EaChartRect r = plot;
  int vol_h = (int) plot.height / EA_CHART_VOLUME_FRACTION;

  if (!self->show_volume)
    {
      r.y = plot.height;
      r.height = 0;
      return r;
    }
  r.y = plot.height - vol_h;
  r.height = vol_h;
  return r;
}

/* Navigation -------------------------------------------------------- */

static double
visible_bars (EaChartView *self)
{
  return ea_chart_view_get_plot_rect (self).width / self->bar_px;
}

static void
clamp_range (EaChartView *self)
{
  double n = (double) self->bars->len;
  double vis = visible_bars (self);

  if (n == 0)
    return;
  /* At least one bar stays on screen. */
  self->first = CLAMP (self->first, 1.0 - vis, n - 1.0);
}

static void
update_following (EaChartView *self)
{
  double last = (double) self->bars->len - 1.0;
  double x = (last - self->first) * self->bar_px;

  self->following = self->bars->len == 0
                    || (x >= 0 && x < ea_chart_view_get_plot_rect (self).width);
}

static void
range_changed (EaChartView *self)
{
  clamp_range (self);
  update_following (self);
  self->columns_valid = FALSE;
  self->price_valid = FALSE;
}

void
ea_chart_view_set_range (EaChartView *self,
                         double       first,
                         double       bar_px)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (isfinite (first) && isfinite (bar_px));

  self->first = first;
  self->bar_px = CLAMP (bar_px, EA_CHART_MIN_BAR_PX, EA_CHART_MAX_BAR_PX);
  range_changed (self);
}

double
ea_chart_view_get_first (EaChartView *self)
{
  return self->first;
}

double
ea_chart_view_get_bar_px (EaChartView *self)
{
  return self->bar_px;
}

void
ea_chart_view_zoom_at (EaChartView *self,
                       double       x,
                       double       factor)
{
  double index;

  g_return_if_fail (self != NULL);
  if (!(factor > 0) || !isfinite (factor) || !isfinite (x))
    return;

  index = self->first + x / self->bar_px;
  self->bar_px = CLAMP (self->bar_px * factor, EA_CHART_MIN_BAR_PX, EA_CHART_MAX_BAR_PX);
  self->first = index - x / self->bar_px;
  range_changed (self);
}

void
ea_chart_view_pan_px (EaChartView *self,
                      double       dx)
{
  g_return_if_fail (self != NULL);
  if (!isfinite (dx))
    return;
  self->first -= dx / self->bar_px;
  range_changed (self);
}

void
ea_chart_view_scroll_bars (EaChartView *self,
                           double       n_bars)
{
  g_return_if_fail (self != NULL);
  if (!isfinite (n_bars))
    return;
  self->first += n_bars;
  range_changed (self);
}

void
ea_chart_view_home (EaChartView *self)
{
  g_return_if_fail (self != NULL);
  self->first = 0;
  range_changed (self);
}

void
ea_chart_view_end (EaChartView *self)
{
  g_return_if_fail (self != NULL);
  self->first = (double) self->bars->len + EA_CHART_END_MARGIN_BARS - visible_bars (self);
  range_changed (self);
  self->following = TRUE;
}

gboolean
ea_chart_view_get_following (EaChartView *self)
{
  return self->following;
}

void
ea_chart_view_visible_bars (EaChartView *self,
                            gint64      *i0,
                            gint64      *i1)
{
  double vis = visible_bars (self);
  gint64 n = (gint64) self->bars->len;

  *i0 = CLAMP ((gint64) floor (self->first), 0, n);
  *i1 = CLAMP ((gint64) ceil (self->first + vis), 0, n);
}

/* Decimation -------------------------------------------------------- */

static inline double
column_of (gint64 i,
           double first,
           double bar_px)
{
  return floor ((i - first) * bar_px);
}

/* The first bar whose column is at least @c: the estimate from the
 * inverse mapping, corrected with the forward one so both agree exactly. */
static gint64
first_bar_of_column (gsize  c,
                     double first,
                     double bar_px,
                     gint64 n_bars)
{
  gint64 i = (gint64) ceil (first + c / bar_px);

  i = CLAMP (i, 0, n_bars);
  while (i > 0 && column_of (i - 1, first, bar_px) >= (double) c)
    i--;
  while (i < n_bars && column_of (i, first, bar_px) < (double) c)
    i++;
  return i;
}

void
ea_chart_decimate (const EaBar   *bars,
                   gsize          n_bars,
                   double         first,
                   double         bar_px,
                   gsize          n_columns,
                   EaChartColumn *out)
{
  gint64 n = (gint64) n_bars;
  gint64 start;

  for (gsize c = 0; c < n_columns; c++)
    out[c].n = 0;
  if (n_bars == 0 || n_columns == 0 || !(bar_px > 0))
    return;

  start = first_bar_of_column (0, first, bar_px, n);
  for (gsize c = 0; c < n_columns && start < n; c++)
    {
      gint64 end = first_bar_of_column (c + 1, first, bar_px, n);
      EaChartColumn *col = &out[c];
      EaTicks hi, lo;
      gint64 vol = 0;

      if (end <= start)
        continue;
      hi = bars[start].high;
      lo = bars[start].low;
      for (gint64 i = start; i < end; i++)
        {
          hi = MAX (hi, bars[i].high);
          lo = MIN (lo, bars[i].low);
          vol += bars[i].volume;
        }
      col->first = start;
      col->n = end - start;
      col->open = bars[start].open;
      col->close = bars[end - 1].close;
      col->high = hi;
      col->low = lo;
      col->volume = vol;
      start = end;
    }
}

void
ea_chart_view_update_blocks (EaChartView *self,
                             gint64       index)
{
  const EaBar *bars = (const EaBar *) (gpointer) self->bars->data;
  gint64 n = (gint64) self->bars->len;
  gint64 b0 = index < 0 ? 0 : index / EA_CHART_BLOCK;
  gint64 b1 = index < 0 ? (n + EA_CHART_BLOCK - 1) / EA_CHART_BLOCK : b0 + 1;

  g_array_set_size (self->blocks, (n + EA_CHART_BLOCK - 1) / EA_CHART_BLOCK);
  for (gint64 b = b0; b < b1; b++)
    {
      EaChartBlock *blk = &g_array_index (self->blocks, EaChartBlock, b);
      gint64 end = MIN (n, (b + 1) * EA_CHART_BLOCK);

      blk->high = G_MININT64;
      blk->low = G_MAXINT64;
      blk->volume = 0;
      for (gint64 i = b * EA_CHART_BLOCK; i < end; i++)
        {
          blk->high = MAX (blk->high, bars[i].high);
          blk->low = MIN (blk->low, bars[i].low);
          blk->volume += bars[i].volume;
        }
    }
}

/* ea_chart_decimate() with whole blocks of bars read from their
 * precomputed extremes: the same columns, a fraction of the reads. */
static void
decimate_view (EaChartView   *self,
               gsize          n_columns,
               EaChartColumn *out)
{
  const EaBar *bars = (const EaBar *) (gpointer) self->bars->data;
  const EaChartBlock *blocks = (const EaChartBlock *) (gpointer) self->blocks->data;
  gint64 n = (gint64) self->bars->len;
  gint64 start;

  for (gsize c = 0; c < n_columns; c++)
    out[c].n = 0;
  if (n == 0 || n_columns == 0)
    return;

  start = first_bar_of_column (0, self->first, self->bar_px, n);
  for (gsize c = 0; c < n_columns && start < n; c++)
    {
      gint64 end = first_bar_of_column (c + 1, self->first, self->bar_px, n);
      EaChartColumn *col = &out[c];
      gint64 i = start, vol = 0;
      EaTicks hi = G_MININT64, lo = G_MAXINT64;

      if (end <= start)
        continue;
      while (i < end)
        {
          if (i % EA_CHART_BLOCK == 0 && i + EA_CHART_BLOCK <= end)
            {
              const EaChartBlock *blk = &blocks[i / EA_CHART_BLOCK];

              hi = MAX (hi, blk->high);
              lo = MIN (lo, blk->low);
              vol += blk->volume;
              i += EA_CHART_BLOCK;
            }
          else
            {
              hi = MAX (hi, bars[i].high);
              lo = MIN (lo, bars[i].low);
              vol += bars[i].volume;
              i++;
            }
        }
      col->first = start;
      col->n = end - start;
      col->open = bars[start].open;
      col->close = bars[end - 1].close;
      col->high = hi;
      col->low = lo;
      col->volume = vol;
      start = end;
    }
}

gboolean
ea_chart_view_is_decimated (EaChartView *self)
{
  return self->bar_px < EA_CHART_DECIMATE_BAR_PX;
}

const EaChartColumn *
ea_chart_view_get_columns (EaChartView *self,
                           gsize       *n_columns)
{
  gsize n = (gsize) ea_chart_view_get_plot_rect (self).width;

  if (!self->columns_valid || self->columns->len != n
      || self->columns_first != self->first || self->columns_bar_px != self->bar_px)
    {
      g_array_set_size (self->columns, n);
      decimate_view (self, n, (EaChartColumn *) (gpointer) self->columns->data);
      self->columns_valid = TRUE;
      self->columns_first = self->first;
      self->columns_bar_px = self->bar_px;
    }
  *n_columns = self->columns->len;
  return (const EaChartColumn *) (gpointer) self->columns->data;
}

/* Price scale ------------------------------------------------------- */

static void
ensure_price_range (EaChartView *self)
{
  EaTicks lo = G_MAXINT64, hi = G_MININT64;
  double pad;

  if (self->fixed_price || self->price_valid)
    return;

  if (ea_chart_view_is_decimated (self))
    {
      gsize n;
      const EaChartColumn *cols = ea_chart_view_get_columns (self, &n);

      for (gsize c = 0; c < n; c++)
        if (cols[c].n > 0)
          {
            lo = MIN (lo, cols[c].low);
            hi = MAX (hi, cols[c].high);
          }
    }
  else
    {
      gint64 i0, i1;

      ea_chart_view_visible_bars (self, &i0, &i1);
      for (gint64 i = i0; i < i1; i++)
        {
          const EaBar *bar = &g_array_index (self->bars, EaBar, i);

          lo = MIN (lo, bar->low);
          hi = MAX (hi, bar->high);
        }
    }

  if (lo > hi)
    {
      lo = 0;
      hi = 100;
    }
  else
    {
      /* Trades and risk levels stay in view: the position, the floor and
       * every working order. */
      if (self->has_position)
        {
          lo = MIN (lo, self->position_price);
          hi = MAX (hi, self->position_price);
        }
      if (self->has_floor)
        {
          lo = MIN (lo, self->floor_price);
          hi = MAX (hi, self->floor_price);
        }
      for (gsize i = 0; i < self->orders->len; i++)
        {
          EaTicks p = g_array_index (self->orders, EaChartOrder, i).price;

          lo = MIN (lo, p);
          hi = MAX (hi, p);
        }
    }
  pad = MAX (2.0, (hi - lo) * 0.06);
  self->price_low = lo - pad;
  self->price_high = hi + pad;
  self->price_valid = TRUE;
}

void
ea_chart_view_set_price_range (EaChartView *self,
                               double       low_ticks,
                               double       high_ticks)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (isfinite (low_ticks) && isfinite (high_ticks) && high_ticks > low_ticks);

  self->fixed_price = TRUE;
  self->price_low = low_ticks;
  self->price_high = high_ticks;
}

void
ea_chart_view_set_auto_price (EaChartView *self)
{
  g_return_if_fail (self != NULL);
  self->fixed_price = FALSE;
  self->price_valid = FALSE;
}

void
ea_chart_view_get_price_range (EaChartView *self,
                               double      *low_ticks,
                               double      *high_ticks)
{
  ensure_price_range (self);
  *low_ticks = self->price_low;
  *high_ticks = self->price_high;
}

/* Mappings ---------------------------------------------------------- */

double
ea_chart_view_x_of_index (EaChartView *self,
                          double       index)
{
  return (index - self->first) * self->bar_px;
}

double
ea_chart_view_index_at_x (EaChartView *self,
                          double       x)
{
  return self->first + x / self->bar_px;
}

double
ea_chart_view_y_of_price (EaChartView *self,
                          double       ticks)
{
  EaChartRect r = ea_chart_view_get_price_rect (self);

  ensure_price_range (self);
  return r.y + (self->price_high - ticks) * r.height / (self->price_high - self->price_low);
}

double
ea_chart_view_price_at_y (EaChartView *self,
                          double       y)
{
  EaChartRect r = ea_chart_view_get_price_rect (self);

  ensure_price_range (self);
  if (r.height <= 0)
    return self->price_low;
  return self->price_high - (y - r.y) * (self->price_high - self->price_low) / r.height;
}

void
ea_chart_view_bar_slot (EaChartView *self,
                        gint64       index,
                        int         *x,
                        int         *width)
{
  double x0 = floor ((index - self->first) * self->bar_px);
  double x1 = floor ((index + 1 - self->first) * self->bar_px);

  *x = (int) x0;
  *width = (int) (x1 - x0);
}

int
ea_chart_view_row_of_price (EaChartView *self,
                            double       ticks)
{
  return (int) floor (ea_chart_view_y_of_price (self, ticks));
}

/* Hit testing ------------------------------------------------------- */

gint64
ea_chart_view_order_at (EaChartView *self,
                        double       x,
                        double       y)
{
  EaChartRect plot = ea_chart_view_get_plot_rect (self);
  gint64 best = -1;
  double best_d = EA_CHART_HIT_DISTANCE;

  if (x < plot.x || x >= plot.x + plot.width + EA_CHART_PRICE_AXIS_WIDTH)
    return -1;
  for (gsize i = 0; i < self->orders->len; i++)
    {
      const EaChartOrder *o = &g_array_index (self->orders, EaChartOrder, i);
      double d = fabs (floor (ea_chart_view_y_of_price (self, (double) o->price)) + 0.5 - y);

      if (d <= best_d)
        {
          best = (gint64) i;
          best_d = d;
        }
    }
  return best;
}

gboolean
ea_chart_view_marker_at (EaChartView       *self,
                         double             x,
                         double             y,
                         EaChartMarkerKind *kind,
                         gsize             *index)
{
  double best_d2 = 4 * EA_CHART_HIT_DISTANCE * EA_CHART_HIT_DISTANCE;
  gboolean found = FALSE;

  for (guint k = 0; k < EA_CHART_N_MARKER_KINDS; k++)
    for (gsize i = 0; i < self->markers[k]->len; i++)
      {
        const EaChartMarker *m = &g_array_index (self->markers[k], EaChartMarker, i);
        gint64 bar = ea_chart_view_index_at_time (self, m->time);
        int sx, sw;
        double dx, dy;

        if (bar < 0)
          continue;
        ea_chart_view_bar_slot (self, bar, &sx, &sw);
        dx = sx + sw / 2 + 0.5 - x;
        dy = floor (ea_chart_view_y_of_price (self, (double) m->price)) + 0.5 - y;
        if (dx * dx + dy * dy <= best_d2)
          {
            best_d2 = dx * dx + dy * dy;
            *kind = (EaChartMarkerKind) k;
            *index = i;
            found = TRUE;
          }
      }
  return found;
}

void
ea_chart_view_set_pointer (EaChartView *self,
                           gboolean     inside,
                           double       x,
                           double       y)
{
  self->pointer_inside = !!inside;
  self->pointer_x = x;
  self->pointer_y = y;
}

/* Order dragging ---------------------------------------------------- */

gboolean
ea_chart_view_begin_order_drag (EaChartView *self,
                                gint64       order_index)
{
  const EaChartOrder *o;

  g_return_val_if_fail (self != NULL, FALSE);
  if (order_index < 0 || order_index >= (gint64) self->orders->len)
    return FALSE;
  o = &g_array_index (self->orders, EaChartOrder, order_index);
  if (!o->draggable)
    return FALSE;
  self->drag_order = order_index;
  g_free (self->drag_id);
  self->drag_id = g_strdup (o->id);
  self->drag_price = o->price;
  return TRUE;
}

void
ea_chart_view_update_order_drag (EaChartView *self,
                                 double       y)
{
  g_return_if_fail (self != NULL);
  if (self->drag_order < 0 || !isfinite (y))
    return;
  self->drag_price = (EaTicks) llround (ea_chart_view_price_at_y (self, y));
}

gboolean
ea_chart_view_end_order_drag (EaChartView  *self,
                              gboolean      keep_pending,
                              char        **order_id,
                              EaTicks      *new_price)
{
  const EaChartOrder *o;
  gboolean changed;

  g_return_val_if_fail (self != NULL, FALSE);
  if (self->drag_order < 0)
    return FALSE;

  o = &g_array_index (self->orders, EaChartOrder, self->drag_order);
  changed = o->price != self->drag_price;
  if (changed && keep_pending)
    {
      EaChartPending p = { g_strdup (o->id), self->drag_price };

      g_array_append_val (self->pending, p);
    }
  if (order_id != NULL)
    *order_id = g_strdup (o->id);
  if (new_price != NULL)
    *new_price = self->drag_price;
  self->drag_order = -1;
  g_clear_pointer (&self->drag_id, g_free);
  return changed;
}

gboolean
ea_chart_view_is_dragging_order (EaChartView *self)
{
  return self->drag_order >= 0;
}

void
ea_chart_view_add_pending (EaChartView *self,
                           const char  *order_id,
                           EaTicks      price)
{
  EaChartPending p;

  g_return_if_fail (self != NULL);
  g_return_if_fail (order_id != NULL);
  p.id = g_strdup (order_id);
  p.price = price;
  g_array_append_val (self->pending, p);
}
