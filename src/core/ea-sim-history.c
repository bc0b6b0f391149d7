/* ea-sim-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Price history of the simulated exchange. The bars are drawn from the
 * same process as the live market (GARCH(1,1) volatility per minute,
 * scaled by the activity profile, on the session calendar), walking back
 * in time from the market's current price: the newest bar closes where
 * the market trades now, so live prints continue it without a gap. The
 * walk is seeded from the exchange seed, the market (micros share their
 * mini's) , the period and the newest bar, so the same request gives the
 * same bars.
 */
#define G_LOG_DOMAIN "ea-sim-exchange"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-bars.h"
#include "ea-session.h"
#include "ea-sim-exchange-private.h"

#define MINUTE_US  (G_USEC_PER_SEC * G_GINT64_CONSTANT (60))
#define DAY_US     (MINUTE_US * 24 * 60)
#define SUBSTEPS   16
#define MAX_BARS   200000
/* How far back a walk may skip closed sessions before giving up. */
#define MAX_LOOKBACK_US (DAY_US * 3660)

static EaTimeUs
align_down (EaTimeUs t,
            EaTimeUs period)
{
  return t - ((t % period) + period) % period;
}

static gboolean
bar_is_open (EaSimExchange *ex,
             EaTimeUs       start)
{
  return ex->always_open || ea_session_is_open_us (start);
}

static double
activity_at (EaSimExchange *ex,
             EaTimeUs       t)
{
  gint64 minute = ((t + ex->ct_offset) % DAY_US + DAY_US) % DAY_US / MINUTE_US;

  return ex->activity[minute];
}

/* The start of the open bar before the one at @start, or G_MININT64. */
static EaTimeUs
previous_open_bar (EaSimExchange *ex,
                   EaTimeUs       start,
                   EaTimeUs       period,
                   EaTimeUs       limit)
{
  EaTimeUs t = start - period;

  while (t >= limit)
    {
      EaTimeUs minute;

      if (bar_is_open (ex, t))
        return t;
      if (period >= MINUTE_US)
        {
          t -= period;
          continue;
        }
      /* Sessions open and close on whole minutes: skip closed minutes
       * whole, then take the last bar of the open one. */
      minute = align_down (t, MINUTE_US);
      while (minute >= limit && !bar_is_open (ex, minute))
        minute -= MINUTE_US;
      t = minute + MINUTE_US - period;
      if (minute < limit)
        break;
    }
  return G_MININT64;
}

/* A replayed market's history is what it has played: the recorded
 * prints up to the exchange time, in bars of @period. */
static GArray *
replay_history (EaSimExchange *ex,
                SimMarket     *m,
                EaTimeUs       period,
                EaTimeUs       end,
                guint          max_bars)
{
  g_autoptr(GArray) trades = g_array_new (FALSE, FALSE, sizeof (EaTrade));
  g_autoptr(GArray) all = NULL;
  EaBarSpec spec = ea_bar_spec_time (period, 0);
  GArray *bars = g_array_new (FALSE, TRUE, sizeof (EaBar));
  guint last = 0, first;

  for (guint i = 0; i < m->replay_pos && i < m->replay->len; i++)
    {
      const SimReplayEvent *e = &g_array_index (m->replay, SimReplayEvent, i);
      EaTrade t = { e->time, e->trade, e->size };

      if (e->trade > 0 && e->time <= ex->now)
        g_array_append_val (trades, t);
    }
  all = ea_bars_from_trades (&spec, (const EaTrade *) (gpointer) trades->data, trades->len, TRUE, NULL);
  if (all == NULL)
    return bars;

  /* Closed bars that start before @end. */
  while (last < all->len && g_array_index (all, EaBar, last).end <= ex->now &&
         g_array_index (all, EaBar, last).start < end)
    last++;
  first = last > max_bars ? last - max_bars : 0;
  g_array_append_vals (bars, &g_array_index (all, EaBar, first), last - first);
  return bars;
}

/**
 * ea_sim_exchange_load_history:
 * @period: the bar length, 1 s … 1 day
 * @end: the newest bar starts before @end
 * @max_bars: at most this many bars, the newest ones
 *
 * Closed time bars of @symbol, oldest first, aligned to the epoch. Only
 * bars of open sessions are returned (every bar with always-open
 * markets). The newest bar ends at or before the exchange time; when it
 * is the last closed bar, its close is the market's current price. A
 * replayed market returns the bars of what it has played so far.
 *
 * Returns: (transfer full): a #GArray of #EaBar, or %NULL with @error set
 */
GArray *
ea_sim_exchange_load_history (EaSimExchange  *ex,
                              const char     *symbol,
                              EaTimeUs        period,
                              EaTimeUs        end,
                              guint           max_bars,
                              GError        **error)
{
  SimMarket *m = _ea_sim_exchange_find_market (ex, symbol);
  SimMarket *root;
  g_autoptr(GArray) bars = NULL;
  EaTimeUs anchor, start, limit;
  EaSimRng rng;
  guint64 seed;
  double price, h, minutes, fair_now;
  guint n;

  if (m == NULL)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                   "Unknown symbol '%s'", symbol ? symbol : "(null)");
      return NULL;
    }
  if (period < G_USEC_PER_SEC || period > DAY_US)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                   "Bar period out of range (1 s to 1 day)");
      return NULL;
    }

  bars = g_array_new (FALSE, TRUE, sizeof (EaBar));
  max_bars = MIN (max_bars, MAX_BARS);
  if (max_bars == 0)
    return g_steal_pointer (&bars);
  if (m->replay != NULL)
    {
      g_clear_pointer (&bars, g_array_unref);
      return replay_history (ex, m, period, end, max_bars);
    }

  /* The walk always starts at the last closed bar, so that a request
   * ending earlier sees the same bars as one ending now. */
  anchor = align_down (ex->now, period) - period;
  limit = ex->now - MAX_LOOKBACK_US;
  start = bar_is_open (ex, anchor) ? anchor : previous_open_bar (ex, anchor, period, limit);

  root = m->leader != NULL ? m->leader : m;
  seed = ex->seed ^ g_str_hash (root->symbol) ^ ((guint64) period * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));
  seed ^= (guint64) anchor;
  ea_sim_rng_seed (&rng, seed);

  /* Latent price at the close of the newest bar: where the market
   * trades now. */
  fair_now = (double) (m->q.last > 0 ? m->q.last : (m->q.bid + m->q.ask) / 2);
  price = fair_now;
  h = root->h;
  minutes = (double) period / MINUTE_US;

  for (n = 0; start != G_MININT64 && n < MAX_BARS; n++)
    {
      double act = activity_at (ex, start);
      double var = h * minutes * MIN (act, 2.5);
      double sd = sqrt (var);
      double ret = sd * ea_sim_rng_normal (&rng);
      double open = MAX (10.0, price - ret);
      double w[SUBSTEPS + 1], hi, lo;
      double trades;
      EaBar bar = { 0 };

      /* A Brownian bridge from open to close for the high and low. */
      w[0] = 0.0;
      for (guint k = 1; k <= SUBSTEPS; k++)
        w[k] = w[k - 1] + sd / sqrt (SUBSTEPS) * ea_sim_rng_normal (&rng);
      hi = MAX (open, price);
      lo = MIN (open, price);
      for (guint k = 1; k < SUBSTEPS; k++)
        {
          double f = (double) k / SUBSTEPS;
          double x = open + (price - open) * f + w[k] - f * w[SUBSTEPS];

          hi = MAX (hi, x);
          lo = MIN (lo, x);
        }

      trades = ex->rate * act * (double) period / G_USEC_PER_SEC * 0.35;
      bar.start = start;
      bar.end = start + period;
      bar.close = (EaTicks) llround (price);
      bar.open = (EaTicks) llround (open);
      bar.high = MAX ((EaTicks) llround (hi), MAX (bar.open, bar.close));
      bar.low = MAX (1, MIN ((EaTicks) llround (lo), MIN (bar.open, bar.close)));
      bar.n_ticks = MAX (1, (gint64) llround (trades * (0.5 + ea_sim_rng_uniform (&rng))));
      bar.volume = MAX (bar.n_ticks, (gint64) llround (bar.n_ticks * (1.0 + root->base_size / 8.0)
                                                       * (0.6 + 0.8 * ea_sim_rng_uniform (&rng))));

      if (bar.start < end)
        {
          g_array_append_val (bars, bar);
          if (bars->len >= max_bars)
            break;
        }

      /* Volatility clusters: the variance going back follows the same
       * GARCH(1,1) recursion as the live market, per minute. */
      h = CLAMP (root->omega + root->alpha * ret * ret / MAX (minutes * act, 1e-9) + root->beta * h,
                 root->h0 * 0.05, root->h0 * 50.0);
      price = open;
      start = previous_open_bar (ex, start, period, limit);
    }

  /* Walked newest first: return oldest first. */
  for (guint i = 0; i < bars->len / 2; i++)
    {
      EaBar tmp = g_array_index (bars, EaBar, i);

      g_array_index (bars, EaBar, i) = g_array_index (bars, EaBar, bars->len - 1 - i);
      g_array_index (bars, EaBar, bars->len - 1 - i) = tmp;
    }

  return g_steal_pointer (&bars);
}
