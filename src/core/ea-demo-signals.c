/* ea-demo-signals.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-demo-signals"

#include "config.h"

#include <math.h>

#include "ea-demo-signals.h"

struct _EaDemoSignals
{
  guint    fast_n;
  guint    slow_n;
  EaTimeUs bar_usec;

  /* The bar being built. */
  gboolean in_bar;
  EaTimeUs bar_start;
  EaTicks  high;
  EaTicks  low;
  EaTicks  close;

  guint    n_bars;
  double   fast;
  double   slow;
  double   ranges[EA_DEMO_SIGNALS_ATR_BARS];
};

EaDemoSignals *
ea_demo_signals_new (guint    fast,
                     guint    slow,
                     EaTimeUs bar_usec)
{
  EaDemoSignals *self;

  if (fast < 1 || slow <= fast || bar_usec <= 0)
    return NULL;

  self = g_new0 (EaDemoSignals, 1);
  self->fast_n = fast;
  self->slow_n = slow;
  self->bar_usec = bar_usec;
  return self;
}

void
ea_demo_signals_free (EaDemoSignals *self)
{
  g_free (self);
}

guint
ea_demo_signals_power (double close,
                       double slow,
                       double atr)
{
  double strength;
  double power;

  if (!(atr >= 1.0))
    atr = 1.0;
  strength = MIN (1.0, fabs (close - slow) / atr);
  power = round (40.0 + 60.0 * strength);
  return (guint) CLAMP (power, 0.0, 100.0);
}

static double
current_atr (EaDemoSignals *self)
{
  guint n = MIN (self->n_bars, EA_DEMO_SIGNALS_ATR_BARS);
  double sum = 0;

  for (guint i = 0; i < n; i++)
    sum += self->ranges[i];
  return n > 0 ? MAX (1.0, sum / n) : 1.0;
}

gboolean
ea_demo_signals_add_bar (EaDemoSignals *self,
                         EaTimeUs       close_time,
                         EaTicks        high,
                         EaTicks        low,
                         EaTicks        close,
                         EaDemoSignal  *out)
{
  double prev_fast, prev_slow;
  double a_fast, a_slow;
  gboolean crossed = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);

  if (high < low)
    {
      EaTicks t = high;
      high = low;
      low = t;
    }

  self->ranges[self->n_bars % EA_DEMO_SIGNALS_ATR_BARS] = (double) (high - low);

  if (self->n_bars == 0)
    {
      self->fast = self->slow = (double) close;
      self->n_bars = 1;
      return FALSE;
    }

  prev_fast = self->fast;
  prev_slow = self->slow;
  a_fast = 2.0 / (self->fast_n + 1.0);
  a_slow = 2.0 / (self->slow_n + 1.0);
  self->fast += a_fast * ((double) close - self->fast);
  self->slow += a_slow * ((double) close - self->slow);
  self->n_bars++;

  if (self->n_bars <= self->slow_n)
    return FALSE;

  if (prev_fast <= prev_slow && self->fast > self->slow)
    crossed = TRUE;
  else if (prev_fast >= prev_slow && self->fast < self->slow)
    crossed = TRUE;

  if (crossed && out != NULL)
    {
      out->time = close_time;
      out->direction = self->fast > self->slow ? EA_SIDE_BUY : EA_SIDE_SELL;
      out->entry = close;
      out->atr = current_atr (self);
      out->fast = self->fast;
      out->slow = self->slow;
      out->power_score = ea_demo_signals_power ((double) close, self->slow, out->atr);
    }

  return crossed;
}

gboolean
ea_demo_signals_add_price (EaDemoSignals *self,
                           EaTimeUs       time,
                           EaTicks        price,
                           EaDemoSignal  *out)
{
  gboolean crossed = FALSE;
  EaTimeUs start;

  g_return_val_if_fail (self != NULL, FALSE);

  start = time - (((time % self->bar_usec) + self->bar_usec) % self->bar_usec);

  if (self->in_bar && start < self->bar_start)
    return FALSE;

  if (self->in_bar && start > self->bar_start)
    {
      crossed = ea_demo_signals_add_bar (self, self->bar_start + self->bar_usec,
                                         self->high, self->low, self->close, out);
      self->in_bar = FALSE;
    }

  if (!self->in_bar)
    {
      self->in_bar = TRUE;
      self->bar_start = start;
      self->high = self->low = self->close = price;
      return crossed;
    }

  self->high = MAX (self->high, price);
  self->low = MIN (self->low, price);
  self->close = price;
  return crossed;
}

guint
ea_demo_signals_get_n_bars (EaDemoSignals *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_bars;
}
