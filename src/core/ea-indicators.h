/* ea-indicators.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Moving averages, true range and Wilder's ATR, identical to R's TTR
 * package (the reference the tests check to 1e-9 relative):
 *
 * - SMA(n): mean of the last n values; NaN for the first n - 1.
 * - EMA(n): ratio 2 / (n + 1); the first value (at the n-th input) is the
 *   SMA of the first n inputs, then ema = ema + ratio * (x - ema).
 *   Wilder's smoothing is the same with ratio 1 / n.
 * - TR: max (high, previous close) - min (low, previous close). The first
 *   bar has no previous close, so its TR is NaN (as TTR's).
 * - ATR(n): Wilder EMA of TR. Its first value is the mean of TR[1..n]
 *   (0-based), at index n: ATR[0..n-1] are NaN.
 *
 * Array functions write one output per input, NaN where TTR writes NA.
 * Leading NaN inputs are skipped as TTR does (the warm-up starts at the
 * first number); a NaN after that propagates to every later output. A
 * period larger than the data gives only NaN (TTR raises an error
 * instead). A period of 0 is a programming error.
 *
 * Incremental states give the same numbers one value at a time. Their
 * push functions ignore NaN inputs (the state does not change) and return
 * NaN during the warm-up. Inputs are doubles in any unit (points or
 * ticks); ea_atr_push_bar() takes a bar in ticks.
 */
#pragma once

#include <glib.h>

#include "ea-bars.h"

G_BEGIN_DECLS

#define EA_ATR_DEFAULT_PERIOD 14

void     ea_sma         (const double *x,
                         gsize         n_values,
                         guint         period,
                         double       *out);
void     ea_ema         (const double *x,
                         gsize         n_values,
                         guint         period,
                         gboolean      wilder,
                         double       *out);
void     ea_true_range  (const double *high,
                         const double *low,
                         const double *close,
                         gsize         n_values,
                         double       *out);
/* @tr may be NULL; @atr receives ATR(@period). */
void     ea_atr         (const double *high,
                         const double *low,
                         const double *close,
                         gsize         n_values,
                         guint         period,
                         double       *tr,
                         double       *atr);

typedef struct
{
  guint   period;
  guint   count;    /* values in the window, <= period */
  guint   pos;      /* next slot of the ring */
  guint   since_resum;
  double  sum;
  double *ring;
} EaSma;

void     ea_sma_init    (EaSma   *self,
                         guint    period);
void     ea_sma_clear   (EaSma   *self);
double   ea_sma_push    (EaSma   *self,
                         double   x);

typedef struct
{
  guint  period;
  guint  count;     /* values seen, saturates at period */
  double ratio;
  double sum;       /* of the first period values */
  double value;     /* NaN during the warm-up */
} EaEma;

void     ea_ema_init    (EaEma   *self,
                         guint    period,
                         gboolean wilder);
double   ea_ema_push    (EaEma   *self,
                         double   x);
static inline double
ea_ema_value (const EaEma *self)
{
  return self->value;
}

typedef struct
{
  EaEma    ema;
  gboolean has_close;
  double   prev_close;
  double   tr;        /* last true range, NaN for the first bar */
} EaAtr;

void     ea_atr_init    (EaAtr   *self,
                         guint    period);
/* Returns the ATR after this bar, NaN during the warm-up. A bar with a
 * NaN price is ignored. */
double   ea_atr_push    (EaAtr   *self,
                         double   high,
                         double   low,
                         double   close);
double   ea_atr_push_bar (EaAtr      *self,
                          const EaBar *bar);
static inline double
ea_atr_value (const EaAtr *self)
{
  return self->ema.value;
}
/* TRUE once the ATR has a value (period + 1 bars). */
static inline gboolean
ea_atr_is_ready (const EaAtr *self)
{
  return self->ema.count >= self->ema.period;
}

G_END_DECLS
