/* ea-indicators.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-indicators"

#include "config.h"

#include <math.h>

#include "ea-indicators.h"

static gsize
first_number (const double *x,
              gsize         n_values)
{
  gsize i = 0;

  while (i < n_values && isnan (x[i]))
    i++;
  return i;
}

static void
fill_nan (double *out,
          gsize   from,
          gsize   to)
{
  gsize i;

  for (i = from; i < to; i++)
    out[i] = NAN;
}

void
ea_sma (const double *x,
        gsize         n_values,
        guint         period,
        double       *out)
{
  gsize beg, i;
  double sum = 0.0;

  g_return_if_fail (period > 0);
  g_return_if_fail (n_values == 0 || (x != NULL && out != NULL));

  beg = first_number (x, n_values);
  if (n_values - beg < period)
    {
      fill_nan (out, 0, n_values);
      return;
    }

  fill_nan (out, 0, beg + period - 1);
  for (i = beg; i < beg + period; i++)
    sum += x[i];
  out[beg + period - 1] = sum / period;
  for (i = beg + period; i < n_values; i++)
    {
      sum += x[i] - x[i - period];
      out[i] = sum / period;
    }
}

static inline double
ema_ratio (guint    period,
           gboolean wilder)
{
  return wilder ? 1.0 / period : 2.0 / (period + 1.0);
}

void
ea_ema (const double *x,
        gsize         n_values,
        guint         period,
        gboolean      wilder,
        double       *out)
{
  gsize beg, i;
  double ratio, seed = 0.0;

  g_return_if_fail (period > 0);
  g_return_if_fail (n_values == 0 || (x != NULL && out != NULL));

  beg = first_number (x, n_values);
  if (n_values - beg < period)
    {
      fill_nan (out, 0, n_values);
      return;
    }

  ratio = ema_ratio (period, wilder);
  fill_nan (out, 0, beg + period - 1);
  for (i = beg; i < beg + period; i++)
    seed += x[i];
  out[beg + period - 1] = seed / period;
  for (i = beg + period; i < n_values; i++)
    out[i] = x[i] * ratio + out[i - 1] * (1.0 - ratio);
}

static inline double
true_range (double high,
            double low,
            double prev_close)
{
  double th = high > prev_close ? high : prev_close;
  double tl = low < prev_close ? low : prev_close;

  /* Any NaN among the three makes the range NaN, as TTR's pmax/pmin. */
  if (isnan (high) || isnan (low) || isnan (prev_close))
    return NAN;
  return th - tl;
}

void
ea_true_range (const double *high,
               const double *low,
               const double *close,
               gsize         n_values,
               double       *out)
{
  gsize i;

  g_return_if_fail (n_values == 0 || (high != NULL && low != NULL && close != NULL && out != NULL));

  if (n_values == 0)
    return;
  out[0] = NAN;
  for (i = 1; i < n_values; i++)
    out[i] = true_range (high[i], low[i], close[i - 1]);
}

void
ea_atr (const double *high,
        const double *low,
        const double *close,
        gsize         n_values,
        guint         period,
        double       *tr,
        double       *atr)
{
  g_autofree double *own_tr = NULL;

  g_return_if_fail (period > 0);
  g_return_if_fail (n_values == 0 || (high != NULL && low != NULL && close != NULL && atr != NULL));

  if (tr == NULL)
    tr = own_tr = g_new (double, MAX (n_values, 1));
  ea_true_range (high, low, close, n_values, tr);
  ea_ema (tr, n_values, period, TRUE, atr);
}

/* Incremental SMA. The running sum is recomputed from the window once
 * per period so rounding cannot accumulate over a long stream. */
void
ea_sma_init (EaSma *self,
             guint  period)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (period > 0);

  self->period = period;
  self->count = 0;
  self->pos = 0;
  self->since_resum = 0;
  self->sum = 0.0;
  self->ring = g_new0 (double, period);
}

void
ea_sma_clear (EaSma *self)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->ring, g_free);
  self->count = 0;
}

double
ea_sma_push (EaSma  *self,
             double  x)
{
  g_return_val_if_fail (self != NULL && self->ring != NULL, NAN);

  if (isnan (x))
    return self->count == self->period ? self->sum / self->period : NAN;

  if (self->count == self->period)
    self->sum += x - self->ring[self->pos];
  else
    {
      self->sum += x;
      self->count++;
    }
  self->ring[self->pos] = x;
  self->pos = self->pos + 1 == self->period ? 0 : self->pos + 1;

  if (self->count < self->period)
    return NAN;

  if (++self->since_resum >= self->period)
    {
      double sum = 0.0;
      guint i;

      for (i = 0; i < self->period; i++)
        sum += self->ring[i];
      self->sum = sum;
      self->since_resum = 0;
    }
  return self->sum / self->period;
}

void
ea_ema_init (EaEma    *self,
             guint     period,
             gboolean  wilder)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (period > 0);

  self->period = period;
  self->count = 0;
  self->ratio = ema_ratio (period, wilder);
  self->sum = 0.0;
  self->value = NAN;
}

double
ea_ema_push (EaEma  *self,
             double  x)
{
  if (G_UNLIKELY (isnan (x)))
    return self->value;

  if (G_LIKELY (self->count >= self->period))
    {
      self->value = x * self->ratio + self->value * (1.0 - self->ratio);
      return self->value;
    }

  self->sum += x;
  if (++self->count == self->period)
    self->value = self->sum / self->period;
  return self->value;
}

void
ea_atr_init (EaAtr *self,
             guint  period)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (period > 0);

  ea_ema_init (&self->ema, period, TRUE);
  self->has_close = FALSE;
  self->prev_close = NAN;
  self->tr = NAN;
}

double
ea_atr_push (EaAtr  *self,
             double  high,
             double  low,
             double  close)
{
  if (G_UNLIKELY (isnan (high) || isnan (low) || isnan (close)))
    return self->ema.value;

  if (G_UNLIKELY (!self->has_close))
    {
      self->has_close = TRUE;
      self->prev_close = close;
      self->tr = NAN;
      return self->ema.value;
    }

  self->tr = true_range (high, low, self->prev_close);
  self->prev_close = close;
  return ea_ema_push (&self->ema, self->tr);
}

double
ea_atr_push_bar (EaAtr       *self,
                 const EaBar *bar)
{
  return ea_atr_push (self, (double) bar->high, (double) bar->low, (double) bar->close);
}
