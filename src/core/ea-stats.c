/* ea-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-stats"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-stats.h"

typedef struct
{
  EaStatsAccumulator acc;
  EaStatsTrade      *ring;   /* the last lookback trades */
  guint              ring_head;
  guint              ring_len;
} Entry;

struct _EaStats
{
  guint       lookback;
  Entry       all;
  GHashTable *by_instrument;  /* GUINT_TO_POINTER (id) → Entry* */
};

G_DEFINE_QUARK (ea-stats-error-quark, ea_stats_error)

static inline EaMicros
sat_add (EaMicros a,
         EaMicros b)
{
  EaMicros r;

  if (G_UNLIKELY (__builtin_add_overflow (a, b, &r)))
    return b > 0 ? G_MAXINT64 : G_MININT64;
  return r;
}

static inline EaMicros
sat_sub (EaMicros a,
         EaMicros b)
{
  EaMicros r;

  if (G_UNLIKELY (__builtin_sub_overflow (a, b, &r)))
    return b < 0 ? G_MAXINT64 : G_MININT64;
  return r;
}

void
ea_stats_accumulator_init (EaStatsAccumulator *acc)
{
  g_return_if_fail (acc != NULL);

  memset (acc, 0, sizeof *acc);
}

static void
welford_add (double *mean,
             double *m2,
             guint   n,
             double  x)
{
  double delta = x - *mean;

  *mean += delta / n;
  *m2 += delta * (x - *mean);
}

static void
close_day (EaStatsAccumulator *acc)
{
  acc->n_days_done++;
  welford_add (&acc->day_mean, &acc->day_m2, acc->n_days_done, (double) acc->day_pnl);
  if (acc->n_days_done == 1 || acc->day_pnl > acc->best_day)
    {
      acc->best_day = acc->day_pnl;
      acc->best_day_id = acc->day;
    }
  if (acc->n_days_done == 1 || acc->day_pnl < acc->worst_day)
    {
      acc->worst_day = acc->day_pnl;
      acc->worst_day_id = acc->day;
    }
}

static gboolean
check_trade (const EaStatsAccumulator *acc,
             const EaStatsTrade       *trade,
             GError                  **error)
{
  if (trade->instrument == EA_STATS_ALL_INSTRUMENTS)
    {
      g_set_error (error, EA_STATS_ERROR, EA_STATS_ERROR_INVALID,
                   "instrument id %u is reserved", trade->instrument);
      return FALSE;
    }
  if (acc->has_day && trade->day < acc->day)
    {
      g_set_error (error, EA_STATS_ERROR, EA_STATS_ERROR_ORDER,
                   "trade of day %" G_GINT64_FORMAT " after a trade of day %" G_GINT64_FORMAT,
                   trade->day, acc->day);
      return FALSE;
    }
  return TRUE;
}

static void
accumulate (EaStatsAccumulator *acc,
            const EaStatsTrade *trade)
{
  EaMicros pnl = trade->pnl;

  if (acc->n == 0)
    acc->first_time = trade->time;
  acc->last_time = trade->time;
  acc->n++;
  acc->total = sat_add (acc->total, pnl);
  welford_add (&acc->mean, &acc->m2, acc->n, (double) pnl);

  if (pnl > 0)
    {
      acc->wins++;
      acc->gross_profit = sat_add (acc->gross_profit, pnl);
      acc->win_run++;
      acc->loss_run = 0;
      acc->longest_win = MAX (acc->longest_win, acc->win_run);
    }
  else if (pnl < 0)
    {
      acc->losses++;
      acc->gross_loss = sat_sub (acc->gross_loss, pnl);
      acc->loss_run++;
      acc->win_run = 0;
      acc->longest_loss = MAX (acc->longest_loss, acc->loss_run);
    }
  else
    {
      acc->breakeven++;
      acc->win_run = 0;
      acc->loss_run = 0;
    }

  acc->cum = sat_add (acc->cum, pnl);
  if (acc->cum > acc->peak)
    acc->peak = acc->cum;
  acc->max_dd = MAX (acc->max_dd, sat_sub (acc->peak, acc->cum));

  if (!acc->has_day || trade->day != acc->day)
    {
      if (acc->has_day)
        close_day (acc);
      acc->has_day = TRUE;
      acc->day = trade->day;
      acc->day_pnl = 0;
    }
  acc->day_pnl = sat_add (acc->day_pnl, pnl);
}

gboolean
ea_stats_accumulator_add (EaStatsAccumulator *acc,
                          const EaStatsTrade *trade,
                          GError            **error)
{
  g_return_val_if_fail (acc != NULL, FALSE);
  g_return_val_if_fail (trade != NULL, FALSE);

  if (!check_trade (acc, trade, error))
    return FALSE;
  accumulate (acc, trade);
  return TRUE;
}

void
ea_stats_accumulator_summarize (const EaStatsAccumulator *acc,
                                EaStatsSummary           *out)
{
  guint n_days;
  double day_mean, day_m2;

  g_return_if_fail (acc != NULL);
  g_return_if_fail (out != NULL);

  memset (out, 0, sizeof *out);
  out->consistency = NAN;
  if (acc->n == 0)
    return;

  out->n_trades = acc->n;
  out->n_wins = acc->wins;
  out->n_losses = acc->losses;
  out->n_breakeven = acc->breakeven;
  out->total_pnl = acc->total;
  out->gross_profit = acc->gross_profit;
  out->gross_loss = acc->gross_loss;
  out->win_rate = (double) acc->wins / acc->n;
  out->avg_win = acc->wins > 0 ? (double) acc->gross_profit / acc->wins : 0.0;
  out->avg_loss = acc->losses > 0 ? (double) acc->gross_loss / acc->losses : 0.0;
  if (acc->gross_loss > 0)
    out->profit_factor = (double) acc->gross_profit / (double) acc->gross_loss;
  else
    out->profit_factor = acc->gross_profit > 0 ? INFINITY : 0.0;
  out->expectancy = (double) acc->total / acc->n;
  out->mean = acc->mean;
  if (acc->n >= 2)
    {
      out->stdev = sqrt (acc->m2 / (acc->n - 1));
      out->sharpe = out->stdev > 0 ? out->mean / out->stdev : 0.0;
    }
  out->max_drawdown = acc->max_dd;
  out->longest_win_streak = acc->longest_win;
  out->longest_loss_streak = acc->longest_loss;
  out->current_streak = acc->win_run > 0 ? (gint) acc->win_run : -(gint) acc->loss_run;
  out->first_time = acc->first_time;
  out->last_time = acc->last_time;

  /* Fold the day in progress into a copy of the completed days. */
  n_days = acc->n_days_done + 1;
  day_mean = acc->day_mean;
  day_m2 = acc->day_m2;
  welford_add (&day_mean, &day_m2, n_days, (double) acc->day_pnl);
  out->n_days = n_days;
  out->daily_mean = day_mean;
  if (n_days >= 2)
    {
      out->daily_stdev = sqrt (day_m2 / (n_days - 1));
      if (out->daily_stdev > 0)
        out->sharpe_annualised = day_mean / out->daily_stdev * sqrt (252.0);
    }
  out->best_day = acc->best_day;
  out->best_day_id = acc->best_day_id;
  out->worst_day = acc->worst_day;
  out->worst_day_id = acc->worst_day_id;
  if (acc->n_days_done == 0 || acc->day_pnl > acc->best_day)
    {
      out->best_day = acc->day_pnl;
      out->best_day_id = acc->day;
    }
  if (acc->n_days_done == 0 || acc->day_pnl < acc->worst_day)
    {
      out->worst_day = acc->day_pnl;
      out->worst_day_id = acc->day;
    }
  if (acc->total > 0)
    out->consistency = (double) out->best_day / (double) acc->total;
}

gboolean
ea_stats_compute (const EaStatsTrade *trades,
                  gsize               n_trades,
                  guint               instrument,
                  guint               lookback,
                  EaStatsSummary     *out,
                  GError            **error)
{
  EaStatsAccumulator acc;
  gsize start = 0;

  g_return_val_if_fail (trades != NULL || n_trades == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (lookback > 0)
    {
      guint found = 0;

      /* Find the first of the last @lookback selected trades. */
      for (gsize i = n_trades; i > 0 && found < lookback; i--)
        {
          if (instrument == EA_STATS_ALL_INSTRUMENTS || trades[i - 1].instrument == instrument)
            {
              found++;
              start = i - 1;
            }
        }
    }

  ea_stats_accumulator_init (&acc);
  for (gsize i = start; i < n_trades; i++)
    {
      if (instrument != EA_STATS_ALL_INSTRUMENTS && trades[i].instrument != instrument)
        continue;
      if (!ea_stats_accumulator_add (&acc, &trades[i], error))
        {
          ea_stats_accumulator_summarize (&acc, out);
          return FALSE;
        }
    }
  ea_stats_accumulator_summarize (&acc, out);
  return TRUE;
}

static void
entry_init (Entry *e,
            guint  lookback)
{
  ea_stats_accumulator_init (&e->acc);
  e->ring = lookback > 0 ? g_new0 (EaStatsTrade, lookback) : NULL;
  e->ring_head = 0;
  e->ring_len = 0;
}

static void
entry_free (gpointer data)
{
  Entry *e = data;

  g_free (e->ring);
  g_free (e);
}

static void
entry_add (Entry              *e,
           guint               lookback,
           const EaStatsTrade *trade)
{
  accumulate (&e->acc, trade);
  if (lookback == 0)
    return;
  if (e->ring_len < lookback)
    {
      e->ring[(e->ring_head + e->ring_len) % lookback] = *trade;
      e->ring_len++;
    }
  else
    {
      e->ring[e->ring_head] = *trade;
      e->ring_head = (e->ring_head + 1) % lookback;
    }
}

EaStats *
ea_stats_new (guint lookback)
{
  EaStats *stats = g_new0 (EaStats, 1);

  stats->lookback = lookback;
  entry_init (&stats->all, lookback);
  stats->by_instrument = g_hash_table_new_full (NULL, NULL, NULL, entry_free);
  return stats;
}

void
ea_stats_free (EaStats *stats)
{
  if (stats == NULL)
    return;
  g_free (stats->all.ring);
  g_hash_table_unref (stats->by_instrument);
  g_free (stats);
}

guint
ea_stats_get_lookback (EaStats *stats)
{
  g_return_val_if_fail (stats != NULL, 0);

  return stats->lookback;
}

gboolean
ea_stats_add (EaStats            *stats,
              const EaStatsTrade *trade,
              GError            **error)
{
  Entry *e;

  g_return_val_if_fail (stats != NULL, FALSE);
  g_return_val_if_fail (trade != NULL, FALSE);

  /* Instrument days are a subsequence of all days: one check covers both. */
  if (!check_trade (&stats->all.acc, trade, error))
    return FALSE;

  e = g_hash_table_lookup (stats->by_instrument, GUINT_TO_POINTER (trade->instrument));
  if (e == NULL)
    {
      e = g_new (Entry, 1);
      entry_init (e, stats->lookback);
      g_hash_table_insert (stats->by_instrument, GUINT_TO_POINTER (trade->instrument), e);
    }
  entry_add (&stats->all, stats->lookback, trade);
  entry_add (e, stats->lookback, trade);
  return TRUE;
}

static const Entry *
find_entry (EaStats *stats,
            guint    instrument)
{
  if (instrument == EA_STATS_ALL_INSTRUMENTS)
    return &stats->all;
  return g_hash_table_lookup (stats->by_instrument, GUINT_TO_POINTER (instrument));
}

gboolean
ea_stats_get (EaStats        *stats,
              guint           instrument,
              EaStatsSummary *out)
{
  const Entry *e;

  g_return_val_if_fail (stats != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  e = find_entry (stats, instrument);
  if (e == NULL)
    {
      EaStatsAccumulator empty;

      ea_stats_accumulator_init (&empty);
      ea_stats_accumulator_summarize (&empty, out);
      return FALSE;
    }
  ea_stats_accumulator_summarize (&e->acc, out);
  return TRUE;
}

gboolean
ea_stats_get_window (EaStats        *stats,
                     guint           instrument,
                     EaStatsSummary *out)
{
  const Entry *e;
  EaStatsAccumulator acc;

  g_return_val_if_fail (stats != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (stats->lookback == 0)
    return ea_stats_get (stats, instrument, out);

  ea_stats_accumulator_init (&acc);
  e = find_entry (stats, instrument);
  if (e == NULL)
    {
      ea_stats_accumulator_summarize (&acc, out);
      return FALSE;
    }
  for (guint i = 0; i < e->ring_len; i++)
    accumulate (&acc, &e->ring[(e->ring_head + i) % stats->lookback]);
  ea_stats_accumulator_summarize (&acc, out);
  return TRUE;
}

static gint
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

GArray *
ea_stats_dup_instruments (EaStats *stats)
{
  GArray *arr;
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (stats != NULL, NULL);

  arr = g_array_new (FALSE, FALSE, sizeof (guint));
  g_hash_table_iter_init (&iter, stats->by_instrument);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint id = GPOINTER_TO_UINT (key);

      g_array_append_val (arr, id);
    }
  g_array_sort (arr, compare_uint);
  return arr;
}
