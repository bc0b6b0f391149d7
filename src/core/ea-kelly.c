/* ea-kelly.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-kelly"

#include "config.h"

#include <math.h>

#include "ea-kelly.h"

G_DEFINE_QUARK (ea-kelly-error-quark, ea_kelly_error)

void
ea_kelly_params_init (EaKellyParams *params)
{
  g_return_if_fail (params != NULL);

  params->kelly_fraction = EA_KELLY_DEFAULT_FRACTION;
  params->kelly_cap = EA_KELLY_DEFAULT_CAP;
  params->min_sample = EA_KELLY_DEFAULT_MIN_SAMPLE;
  params->lookback = EA_STATS_DEFAULT_LOOKBACK;
}

static gboolean
in_range (double v,
          double lo,
          double hi)
{
  /* Written so that NaN fails. */
  return v >= lo && v <= hi;
}

gboolean
ea_kelly_params_validate (const EaKellyParams  *params,
                          GError              **error)
{
  g_return_val_if_fail (params != NULL, FALSE);

  if (!in_range (params->kelly_fraction, EA_KELLY_MIN_FRACTION, EA_KELLY_MAX_FRACTION))
    {
      g_set_error (error, EA_KELLY_ERROR, EA_KELLY_ERROR_INVALID,
                   "Kelly fraction %g is outside %g–%g", params->kelly_fraction,
                   EA_KELLY_MIN_FRACTION, EA_KELLY_MAX_FRACTION);
      return FALSE;
    }
  if (!in_range (params->kelly_cap, EA_KELLY_MIN_CAP, EA_KELLY_MAX_CAP))
    {
      g_set_error (error, EA_KELLY_ERROR, EA_KELLY_ERROR_INVALID,
                   "Kelly cap %g is outside %g–%g", params->kelly_cap,
                   EA_KELLY_MIN_CAP, EA_KELLY_MAX_CAP);
      return FALSE;
    }
  if (params->min_sample == 0)
    {
      g_set_error (error, EA_KELLY_ERROR, EA_KELLY_ERROR_INVALID,
                   "Kelly minimum sample must be at least 1");
      return FALSE;
    }
  if (params->lookback > 0 && params->lookback < params->min_sample)
    {
      g_set_error (error, EA_KELLY_ERROR, EA_KELLY_ERROR_INVALID,
                   "Kelly lookback %u is smaller than the minimum sample %u",
                   params->lookback, params->min_sample);
      return FALSE;
    }
  return TRUE;
}

void
ea_kelly_inputs_from_stats (const EaStatsSummary *summary,
                            EaKellyInputs        *inputs)
{
  g_return_if_fail (summary != NULL);
  g_return_if_fail (inputs != NULL);

  inputs->n_trades = summary->n_trades;
  inputs->win_rate = summary->win_rate;
  inputs->avg_win = summary->avg_win;
  inputs->avg_loss = summary->avg_loss;
  inputs->consecutive_losses = summary->current_streak < 0 ? (guint) -summary->current_streak : 0;
}

static EaKellyHint
hint_for (double f)
{
  if (f > EA_KELLY_HINT_REDUCE_ABOVE)
    return EA_KELLY_HINT_REDUCE;
  if (f < EA_KELLY_HINT_WEAK_BELOW)
    return EA_KELLY_HINT_WEAK_EDGE;
  return EA_KELLY_HINT_NONE;
}

gboolean
ea_kelly_compute (const EaKellyParams  *params,
                  const EaKellyInputs  *inputs,
                  EaMicros              tick_value,
                  double                power_score,
                  EaKellyResult        *result,
                  GError              **error)
{
  double p, q, w, l, b, raw, f, c;

  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (inputs != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  if (!ea_kelly_params_validate (params, error))
    return FALSE;
  if (!in_range (inputs->win_rate, 0.0, 1.0) ||
      !in_range (inputs->avg_win, 0.0, HUGE_VAL) ||
      !in_range (inputs->avg_loss, 0.0, HUGE_VAL) ||
      isinf (inputs->avg_win) || isinf (inputs->avg_loss))
    {
      g_set_error (error, EA_KELLY_ERROR, EA_KELLY_ERROR_INVALID,
                   "Kelly inputs out of range: win rate %g, average win %g, average loss %g",
                   inputs->win_rate, inputs->avg_win, inputs->avg_loss);
      return FALSE;
    }
  if (tick_value <= 0)
    {
      g_set_error (error, EA_KELLY_ERROR, EA_KELLY_ERROR_INVALID,
                   "tick value %" G_GINT64_FORMAT " must be positive", tick_value);
      return FALSE;
    }
  if (isnan (power_score) || power_score > 100.0)
    {
      g_set_error (error, EA_KELLY_ERROR, EA_KELLY_ERROR_INVALID,
                   "power score %g is outside 0–100", power_score);
      return FALSE;
    }

  /* A power score is 10–100; anything below (0 included) means the
   * signal has none and the default confidence applies. */
  c = power_score >= EA_KELLY_MIN_POWER ? power_score / 100.0 : EA_KELLY_DEFAULT_CONFIDENCE;
  p = inputs->win_rate;
  q = 1.0 - p;
  w = inputs->avg_win;
  l = inputs->avg_loss > 0.0 ? inputs->avg_loss : (double) tick_value;
  b = w / l;
  raw = b > 0.0 ? (b * p - q) / b : 0.0;
  raw = CLAMP (raw, 0.0, 1.0);

  result->payoff = b;
  result->raw = raw;
  result->confidence = c;
  result->streak_factor = inputs->consecutive_losses >= EA_KELLY_LOSS_STREAK
                          ? EA_KELLY_STREAK_FACTOR : 1.0;
  result->capped = FALSE;
  result->fallback = FALSE;

  if (inputs->n_trades < params->min_sample)
    {
      result->fallback = TRUE;
      result->fraction = EA_KELLY_FALLBACK_RISK * c;
      result->hint = EA_KELLY_HINT_SMALL_SAMPLE;
      return TRUE;
    }

  f = raw * params->kelly_fraction * result->streak_factor;
  if (f > params->kelly_cap)
    {
      f = params->kelly_cap;
      result->capped = TRUE;
    }
  f *= c;
  result->fraction = f;
  result->hint = hint_for (f);
  return TRUE;
}

gint64
ea_kelly_cap_from_budget (EaMicros budget,
                          EaMicros risk_per_contract)
{
  if (budget <= 0 || risk_per_contract <= 0)
    return 0;
  return budget / risk_per_contract;
}

gboolean
ea_kelly_contracts (EaMicros          equity,
                    double            fraction,
                    EaTicks           stop_ticks,
                    EaMicros          tick_value,
                    EaMicros          round_trip_fees,
                    const EaSizeCap  *caps,
                    guint             n_caps,
                    EaKellySizing    *sizing,
                    GError          **error)
{
  EaMicros r;
  double budget;

  g_return_val_if_fail (sizing != NULL, FALSE);
  g_return_val_if_fail (caps != NULL || n_caps == 0, FALSE);

  if (!in_range (fraction, 0.0, 1.0))
    {
      g_set_error (error, EA_KELLY_ERROR, EA_KELLY_ERROR_INVALID,
                   "risk fraction %g is outside 0–1", fraction);
      return FALSE;
    }
  if (stop_ticks <= 0 || tick_value <= 0 || round_trip_fees < 0 ||
      __builtin_mul_overflow (stop_ticks, tick_value, &r) ||
      __builtin_add_overflow (r, round_trip_fees, &r))
    {
      g_set_error (error, EA_KELLY_ERROR, EA_KELLY_ERROR_INVALID,
                   "invalid risk per contract: stop %" G_GINT64_FORMAT " ticks × %"
                   G_GINT64_FORMAT " + fees %" G_GINT64_FORMAT,
                   stop_ticks, tick_value, round_trip_fees);
      return FALSE;
    }

  /* To the nearest micro: a floor would turn 50,000 × 0.02 into 999.999999. */
  budget = equity > 0 ? floor ((double) equity * fraction + 0.5) : 0.0;
  sizing->risk_budget = budget >= 9.2e18 ? G_MAXINT64 : (EaMicros) budget;
  sizing->risk_per_contract = r;
  sizing->kelly_contracts = sizing->risk_budget / r;
  sizing->contracts = sizing->kelly_contracts;
  sizing->bound_by = EA_KELLY_BOUND_BY_KELLY;
  sizing->bound_index = -1;

  for (guint i = 0; i < n_caps; i++)
    {
      gint64 max = MAX (caps[i].max_contracts, 0);

      if (max < sizing->contracts)
        {
          sizing->contracts = max;
          sizing->bound_by = caps[i].name != NULL ? caps[i].name : "cap";
          sizing->bound_index = (gint) i;
        }
    }
  return TRUE;
}

gboolean
ea_kelly_stop_target (double   atr_ticks,
                      EaTicks *stop_ticks,
                      EaTicks *target_ticks)
{
  double stop, target;

  if (!in_range (atr_ticks, 0.0, 1e12) || atr_ticks == 0.0)
    return FALSE;

  /* The epsilon keeps 1.5 × 4 = 6.000…01 from becoming 7. */
  stop = ceil (EA_KELLY_STOP_ATR * atr_ticks - 1e-9);
  target = floor (EA_KELLY_TARGET_ATR * atr_ticks + 0.5);
  if (stop_ticks != NULL)
    *stop_ticks = MAX ((EaTicks) stop, 1);
  if (target_ticks != NULL)
    *target_ticks = MAX ((EaTicks) target, 1);
  return TRUE;
}

const char *
ea_kelly_hint_to_string (EaKellyHint hint)
{
  switch (hint)
    {
    case EA_KELLY_HINT_NONE:
      return "";
    case EA_KELLY_HINT_REDUCE:
      return "reduce";
    case EA_KELLY_HINT_WEAK_EDGE:
      return "weak edge";
    case EA_KELLY_HINT_SMALL_SAMPLE:
      return "small sample";
    default:
      return "";
    }
}
