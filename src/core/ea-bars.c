/* ea-bars.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-bars"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ea-bars.h"

struct _EaBarBuilder
{
  EaBarKind          kind;
  EaTimeUs           period;
  EaTimeUs           origin;
  EaTicks            range;
  EaBarBoundaryFunc  func;
  gpointer           user_data;
  GDestroyNotify     destroy;
  gboolean           forming;
  EaBar              bar;
};

G_DEFINE_QUARK (ea-bars-error-quark, ea_bars_error)

EaBarSpec
ea_bar_spec_time (EaTimeUs period_us,
                  EaTimeUs origin_us)
{
  EaBarSpec spec = { EA_BAR_KIND_TIME, period_us, origin_us, 0 };

  return spec;
}

EaBarSpec
ea_bar_spec_range (EaTicks range_ticks)
{
  EaBarSpec spec = { EA_BAR_KIND_RANGE, 0, 0, range_ticks };

  return spec;
}

gboolean
ea_bar_spec_validate (const EaBarSpec  *spec,
                      GError          **error)
{
  g_return_val_if_fail (spec != NULL, FALSE);

  switch (spec->kind)
    {
    case EA_BAR_KIND_TIME:
      if (spec->period < EA_BAR_MIN_PERIOD_US || spec->period > EA_BAR_MAX_PERIOD_US)
        {
          g_set_error (error, EA_BARS_ERROR, EA_BARS_ERROR_INVALID_SPEC,
                       "Bar period %" G_GINT64_FORMAT " µs is outside 1 s … 1 day",
                       spec->period);
          return FALSE;
        }
      return TRUE;

    case EA_BAR_KIND_RANGE:
      if (spec->range < 1 || spec->range > EA_BAR_MAX_RANGE)
        {
          g_set_error (error, EA_BARS_ERROR, EA_BARS_ERROR_INVALID_SPEC,
                       "Range of %" G_GINT64_FORMAT " ticks is outside 1 … %d",
                       spec->range, EA_BAR_MAX_RANGE);
          return FALSE;
        }
      return TRUE;

    default:
      g_set_error (error, EA_BARS_ERROR, EA_BARS_ERROR_INVALID_SPEC,
                   "Unknown bar kind %d", (int) spec->kind);
      return FALSE;
    }
}

gboolean
ea_bar_spec_parse (const char  *str,
                   EaBarSpec   *out,
                   GError     **error)
{
  const char *p;
  char *end = NULL;
  guint64 value;
  gboolean range = FALSE;
  EaBarSpec spec;

  g_return_val_if_fail (out != NULL, FALSE);

  if (str == NULL || *str == '\0')
    goto malformed;

  p = str;
  if (g_ascii_strncasecmp (p, "range:", 6) == 0)
    {
      range = TRUE;
      p += 6;
    }
  if (!g_ascii_isdigit (*p))
    goto malformed;

  errno = 0;
  value = g_ascii_strtoull (p, &end, 10);
  if (errno != 0 || end == p || value > G_MAXINT32)
    goto malformed;

  if (range)
    {
      if (*end != '\0')
        goto malformed;
      spec = ea_bar_spec_range ((EaTicks) value);
    }
  else if ((end[0] == 'R' || end[0] == 'r') && end[1] == '\0')
    {
      spec = ea_bar_spec_range ((EaTicks) value);
    }
  else
    {
      gint64 unit;

      if (end[0] == 'u' && end[1] == 's' && end[2] == '\0')
        {
          spec = ea_bar_spec_time ((EaTimeUs) value, 0);
          goto validate;
        }
      if (end[0] == '\0' || end[1] != '\0')
        goto malformed;
      switch (end[0])
        {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        default:
          goto malformed;
        }
      spec = ea_bar_spec_time ((EaTimeUs) value * unit * G_USEC_PER_SEC, 0);
    }

validate:
  if (!ea_bar_spec_validate (&spec, error))
    return FALSE;

  *out = spec;
  return TRUE;

malformed:
  g_set_error (error, EA_BARS_ERROR, EA_BARS_ERROR_INVALID_SPEC,
               "Malformed bar type “%s” (expected e.g. 30s, 5m, 1h, 1d, 4R)",
               str != NULL ? str : "(null)");
  return FALSE;
}

char *
ea_bar_spec_format (const EaBarSpec *spec)
{
  gint64 secs;

  g_return_val_if_fail (spec != NULL, NULL);

  if (spec->kind == EA_BAR_KIND_RANGE)
    return g_strdup_printf ("%" G_GINT64_FORMAT "R", spec->range);

  if (spec->period % G_USEC_PER_SEC != 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "us", spec->period);

  secs = spec->period / G_USEC_PER_SEC;
  if (secs % 86400 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "d", secs / 86400);
  if (secs % 3600 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h", secs / 3600);
  if (secs % 60 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m", secs / 60);
  return g_strdup_printf ("%" G_GINT64_FORMAT "s", secs);
}

EaBarBuilder *
ea_bar_builder_new (const EaBarSpec  *spec,
                    GError          **error)
{
  EaBarBuilder *self;

  g_return_val_if_fail (spec != NULL, NULL);

  if (!ea_bar_spec_validate (spec, error))
    return NULL;

  self = g_new0 (EaBarBuilder, 1);
  self->kind = spec->kind;
  self->period = spec->period;
  self->origin = spec->origin;
  self->range = spec->range;
  return self;
}

EaBarBuilder *
ea_bar_builder_new_with_boundaries (EaBarBoundaryFunc func,
                                    gpointer          user_data,
                                    GDestroyNotify    destroy)
{
  EaBarBuilder *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_new0 (EaBarBuilder, 1);
  self->kind = EA_BAR_KIND_TIME;
  self->func = func;
  self->user_data = user_data;
  self->destroy = destroy;
  return self;
}

void
ea_bar_builder_free (EaBarBuilder *self)
{
  if (self == NULL)
    return;
  if (self->destroy != NULL)
    self->destroy (self->user_data);
  g_free (self);
}

void
ea_bar_builder_reset (EaBarBuilder *self)
{
  g_return_if_fail (self != NULL);

  self->forming = FALSE;
  memset (&self->bar, 0, sizeof self->bar);
}

static void
period_of (EaBarBuilder *self,
           EaTimeUs      t,
           EaTimeUs     *start,
           EaTimeUs     *end)
{
  if (self->func != NULL)
    {
      self->func (t, start, end, self->user_data);
      if (G_UNLIKELY (!(*start <= t && t < *end)))
        {
          /* A broken boundary function must not stall the builder. */
          g_critical ("Bar boundary function returned [%" G_GINT64_FORMAT
                      ", %" G_GINT64_FORMAT ") for t = %" G_GINT64_FORMAT,
                      *start, *end, t);
          *start = t;
          *end = t + 1;
        }
    }
  else
    {
      EaTimeUs d = t - self->origin;
      EaTimeUs q = d / self->period;

      if (d % self->period < 0)
        q--;
      *start = self->origin + q * self->period;
      *end = *start + self->period;
    }
}

static inline void
open_bar (EaBar    *bar,
          EaTimeUs  start,
          EaTimeUs  end,
          EaTicks   price,
          gint64    volume)
{
  bar->start = start;
  bar->end = end;
  bar->open = bar->high = bar->low = bar->close = price;
  bar->volume = volume;
  bar->n_ticks = 1;
}

static inline void
add_to_bar (EaBar   *bar,
            EaTicks  price,
            gint64   volume)
{
  if (price > bar->high)
    bar->high = price;
  if (price < bar->low)
    bar->low = price;
  bar->close = price;
  bar->volume += volume;
  bar->n_ticks++;
}

gboolean
ea_bar_builder_push (EaBarBuilder *self,
                     EaTimeUs      time,
                     EaTicks       price,
                     gint64        volume,
                     EaBar        *closed)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (volume >= 0, FALSE);

  if (self->kind == EA_BAR_KIND_RANGE)
    {
      EaTicks moved;

      if (!self->forming)
        {
          open_bar (&self->bar, time, time, price, volume);
          self->forming = TRUE;
          return FALSE;
        }

      add_to_bar (&self->bar, price, volume);
      self->bar.end = time;
      moved = self->bar.close - self->bar.open;
      if (moved >= self->range || -moved >= self->range)
        {
          if (closed != NULL)
            *closed = self->bar;
          self->forming = FALSE;
          return TRUE;
        }
      return FALSE;
    }
  else
    {
      gboolean did_close = FALSE;
      EaTimeUs start, end;

      if (self->forming)
        {
          if (time < self->bar.end)
            {
              add_to_bar (&self->bar, price, volume);
              return FALSE;
            }
          if (closed != NULL)
            *closed = self->bar;
          did_close = TRUE;
        }

      period_of (self, time, &start, &end);
      open_bar (&self->bar, start, end, price, volume);
      self->forming = TRUE;
      return did_close;
    }
}

gboolean
ea_bar_builder_close_until (EaBarBuilder *self,
                            EaTimeUs      now,
                            EaBar        *closed)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->kind != EA_BAR_KIND_TIME || !self->forming || now < self->bar.end)
    return FALSE;

  if (closed != NULL)
    *closed = self->bar;
  self->forming = FALSE;
  return TRUE;
}

const EaBar *
ea_bar_builder_peek_forming (EaBarBuilder *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->forming ? &self->bar : NULL;
}

gboolean
ea_bar_builder_flush (EaBarBuilder *self,
                      EaBar        *closed)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!self->forming)
    return FALSE;
  if (closed != NULL)
    *closed = self->bar;
  self->forming = FALSE;
  return TRUE;
}

GArray *
ea_bars_from_trades (const EaBarSpec  *spec,
                     const EaTrade    *trades,
                     gsize             n_trades,
                     gboolean          include_forming,
                     GError          **error)
{
  g_autoptr(EaBarBuilder) builder = NULL;
  g_autoptr(GArray) bars = NULL;
  EaBar bar;
  gsize i;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (trades != NULL || n_trades == 0, NULL);

  builder = ea_bar_builder_new (spec, error);
  if (builder == NULL)
    return NULL;

  for (i = 0; i < n_trades; i++)
    {
      if (trades[i].volume < 0)
        {
          g_set_error (error, EA_BARS_ERROR, EA_BARS_ERROR_INVALID_TRADE,
                       "Trade %" G_GSIZE_FORMAT " has a negative volume (%" G_GINT64_FORMAT ")",
                       i, trades[i].volume);
          return NULL;
        }
    }

  bars = g_array_sized_new (FALSE, FALSE, sizeof (EaBar), 64);
  for (i = 0; i < n_trades; i++)
    {
      if (ea_bar_builder_push (builder, trades[i].time, trades[i].price,
                               trades[i].volume, &bar))
        g_array_append_val (bars, bar);
    }
  if (include_forming && ea_bar_builder_flush (builder, &bar))
    g_array_append_val (bars, bar);

  return g_steal_pointer (&bars);
}
