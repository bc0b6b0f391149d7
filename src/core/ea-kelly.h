/* ea-kelly.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fractional-Kelly position sizing, exactly as DOMAIN §3:
 *
 *   b   = W / L          (L = 0 counts as one tick's value)
 *   raw = clamp ((b·p − q) / b, 0, 1)          (0 when W = 0)
 *   f   = raw × kelly_fraction
 *   f  ×= 0.5 after ≥ 3 consecutive losses
 *   f   = min (f, kelly_cap)
 *   f  ×= c    (power score / 100 when the signal has one, else 0.7)
 *   with fewer than min_sample trades: f = 0.01 × c
 *
 * then contracts = floor (equity × f / r), r = stop ticks × tick value +
 * round-trip fees, capped by the caller's limits (EaSizeCap); the result
 * names the cap that bound it, or "kelly".
 */
#pragma once

#include <glib.h>

#include "ea-core-types.h"
#include "ea-stats.h"

G_BEGIN_DECLS

#define EA_KELLY_ERROR (ea_kelly_error_quark ())

typedef enum
{
  EA_KELLY_ERROR_INVALID,
} EaKellyError;

#define EA_KELLY_DEFAULT_FRACTION    0.5
#define EA_KELLY_MIN_FRACTION        0.1
#define EA_KELLY_MAX_FRACTION        1.0
#define EA_KELLY_DEFAULT_CAP         0.25
#define EA_KELLY_MIN_CAP             0.05
#define EA_KELLY_MAX_CAP             0.50
#define EA_KELLY_DEFAULT_MIN_SAMPLE  20
#define EA_KELLY_DEFAULT_CONFIDENCE  0.7
#define EA_KELLY_MIN_POWER           10.0
#define EA_KELLY_FALLBACK_RISK       0.01
#define EA_KELLY_LOSS_STREAK         3
#define EA_KELLY_STREAK_FACTOR       0.5
#define EA_KELLY_HINT_REDUCE_ABOVE   0.15
#define EA_KELLY_HINT_WEAK_BELOW     0.02
#define EA_KELLY_STOP_ATR            1.5
#define EA_KELLY_TARGET_ATR          2.0

/* The name reported when no cap bound the size. */
#define EA_KELLY_BOUND_BY_KELLY "kelly"

typedef struct
{
  double kelly_fraction;  /* 0.1 … 1.0 */
  double kelly_cap;       /* 0.05 … 0.50 */
  guint  min_sample;
  guint  lookback;        /* trades the statistics should cover */
} EaKellyParams;

/* The journal statistics Kelly needs (over the last lookback trades). */
typedef struct
{
  guint  n_trades;
  double win_rate;            /* p in [0, 1] */
  double avg_win;             /* W, micros ≥ 0 */
  double avg_loss;            /* L, micros ≥ 0 (positive) */
  guint  consecutive_losses;
} EaKellyInputs;

typedef enum
{
  EA_KELLY_HINT_NONE,
  EA_KELLY_HINT_REDUCE,        /* f > 15 % */
  EA_KELLY_HINT_WEAK_EDGE,     /* f < 2 % */
  EA_KELLY_HINT_SMALL_SAMPLE,  /* fewer than min_sample trades: 1 % fallback */
} EaKellyHint;

typedef struct
{
  double      payoff;         /* b */
  double      raw;            /* clamped full Kelly */
  double      streak_factor;  /* 1.0 or 0.5 */
  double      confidence;     /* c */
  gboolean    capped;         /* kelly_cap bound f before confidence */
  gboolean    fallback;       /* fewer than min_sample trades */
  double      fraction;       /* f: the share of equity to risk */
  EaKellyHint hint;
} EaKellyResult;

/* A limit on the number of contracts, from the risk engine. A negative max
 * counts as 0. @name should be a static string; it is reported back. */
typedef struct
{
  const char *name;
  gint64      max_contracts;
} EaSizeCap;

typedef struct
{
  EaMicros    risk_budget;       /* R = equity × f, to the micro */
  EaMicros    risk_per_contract; /* r */
  gint64      kelly_contracts;   /* floor (R / r) before the caps */
  gint64      contracts;         /* after the caps, ≥ 0 */
  const char *bound_by;          /* a cap's name, or "kelly" */
  gint        bound_index;       /* index in the caps, −1 for kelly */
} EaKellySizing;

GQuark      ea_kelly_error_quark        (void);

void        ea_kelly_params_init        (EaKellyParams       *params);
gboolean    ea_kelly_params_validate    (const EaKellyParams *params,
                                         GError             **error);

/* Inputs from statistics of the last lookback trades. */
void        ea_kelly_inputs_from_stats  (const EaStatsSummary *summary,
                                         EaKellyInputs        *inputs);

/* @power_score in [10, 100]; below 10 (0 or negative) the signal has none
 * and the confidence is 0.7. Above 100 or NaN is an error.
 * @tick_value > 0 stands in for a zero average loss. */
gboolean    ea_kelly_compute            (const EaKellyParams *params,
                                         const EaKellyInputs *inputs,
                                         EaMicros             tick_value,
                                         double               power_score,
                                         EaKellyResult       *result,
                                         GError             **error);

/* Contracts for @fraction of @equity with a stop @stop_ticks away.
 * @round_trip_fees is per contract (both sides). Equity ≤ 0 gives 0. */
gboolean    ea_kelly_contracts          (EaMicros             equity,
                                         double               fraction,
                                         EaTicks              stop_ticks,
                                         EaMicros             tick_value,
                                         EaMicros             round_trip_fees,
                                         const EaSizeCap     *caps,
                                         guint                n_caps,
                                         EaKellySizing       *sizing,
                                         GError             **error);

/* A cap from money left to lose: floor (budget / r), 0 when budget ≤ 0. */
gint64      ea_kelly_cap_from_budget    (EaMicros             budget,
                                         EaMicros             risk_per_contract);

/* Stop 1.5 × ATR rounded up, target 2.0 × ATR rounded to nearest, both in
 * whole ticks and at least 1. FALSE for an ATR that is not > 0 and finite. */
gboolean    ea_kelly_stop_target        (double               atr_ticks,
                                         EaTicks             *stop_ticks,
                                         EaTicks             *target_ticks);

const char *ea_kelly_hint_to_string     (EaKellyHint          hint);

G_END_DECLS
