/* ea-stats.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Statistics of closed trades (DOMAIN §3): win rate, average win and loss,
 * profit factor, expectancy, Sharpe, max drawdown, streaks, best and worst
 * day and the consistency share, overall and per instrument, over all
 * trades and over the last `lookback` trades.
 *
 * Definitions:
 * - A trade is a win when its P&L > 0, a loss when < 0, breakeven at 0.
 *   win_rate = wins / trades (breakevens count as trades that did not win);
 *   avg_win = gross profit / wins; avg_loss = gross loss / losses, positive;
 *   both 0 when there is nothing to average.
 * - profit_factor = gross profit / gross loss; +inf when there are profits
 *   and no losses; 0 when there is neither.
 * - expectancy = total P&L / trades (0 with no trades).
 * - sharpe = mean / sample stdev (n − 1) of trade P&L; 0 when n < 2 or the
 *   stdev is 0. sharpe_annualised is the same over daily P&L totals, × √252,
 *   with the same rule for fewer than 2 days or a zero stdev.
 * - max_drawdown = the largest fall of cumulative P&L from a running peak
 *   that starts at 0 (a first losing trade is a drawdown), ≥ 0.
 * - Streaks: a win extends a win streak and ends a loss streak, and the
 *   reverse; a breakeven ends both. current_streak is > 0 for wins in a row,
 *   < 0 for losses in a row, 0 after a breakeven or with no trades.
 * - Days are the caller's trading-day ids (the stats compute no calendar).
 *   best_day / worst_day are the largest and smallest daily totals;
 *   consistency = best_day / total P&L, NaN unless total P&L > 0.
 *
 * Trades must arrive with non-decreasing day ids (chronological order);
 * a trade from an earlier day than the last one is refused with a GError.
 * The caller decides whether P&L is net of fees; the journal passes net.
 */
#pragma once

#include <glib.h>

#include "ea-core-types.h"

G_BEGIN_DECLS

#define EA_STATS_ERROR (ea_stats_error_quark ())

typedef enum
{
  EA_STATS_ERROR_ORDER,
  EA_STATS_ERROR_INVALID,
} EaStatsError;

/* Pass as instrument to mean "all instruments". */
#define EA_STATS_ALL_INSTRUMENTS G_MAXUINT

/* The default lookback of the Kelly statistics. */
#define EA_STATS_DEFAULT_LOOKBACK 100

typedef struct
{
  EaMicros pnl;        /* net P&L of the trade */
  EaTimeUs time;       /* exit time */
  gint64   day;        /* trading-day id of the exit */
  guint    instrument;
} EaStatsTrade;

typedef struct
{
  guint    n_trades;
  guint    n_wins;
  guint    n_losses;
  guint    n_breakeven;
  guint    n_days;
  EaMicros total_pnl;
  EaMicros gross_profit;
  EaMicros gross_loss;          /* positive */
  double   win_rate;
  double   avg_win;             /* micros */
  double   avg_loss;            /* micros, positive */
  double   profit_factor;
  double   expectancy;          /* micros per trade */
  double   mean;                /* micros per trade */
  double   stdev;               /* sample stdev of trade P&L */
  double   sharpe;
  double   daily_mean;
  double   daily_stdev;
  double   sharpe_annualised;
  EaMicros max_drawdown;
  guint    longest_win_streak;
  guint    longest_loss_streak;
  gint     current_streak;
  EaMicros best_day;
  EaMicros worst_day;
  gint64   best_day_id;
  gint64   worst_day_id;
  double   consistency;
  EaTimeUs first_time;
  EaTimeUs last_time;
} EaStatsSummary;

/* Running state over a sequence of trades: O(1) per trade. Plain data;
 * may be embedded and copied. */
typedef struct
{
  guint    n, wins, losses, breakeven;
  EaMicros total, gross_profit, gross_loss;
  double   mean, m2;              /* Welford over trade P&L */
  EaMicros cum, peak, max_dd;
  guint    win_run, loss_run, longest_win, longest_loss;
  gboolean has_day;
  gint64   day;
  EaMicros day_pnl;               /* the day in progress */
  guint    n_days_done;
  double   day_mean, day_m2;      /* Welford over completed days */
  EaMicros best_day, worst_day;   /* over completed days */
  gint64   best_day_id, worst_day_id;
  EaTimeUs first_time, last_time;
} EaStatsAccumulator;

typedef struct _EaStats EaStats;

GQuark    ea_stats_error_quark         (void);

void      ea_stats_accumulator_init    (EaStatsAccumulator       *acc);
gboolean  ea_stats_accumulator_add     (EaStatsAccumulator       *acc,
                                        const EaStatsTrade       *trade,
                                        GError                  **error);
void      ea_stats_accumulator_summarize (const EaStatsAccumulator *acc,
                                          EaStatsSummary           *out);

/* Batch: statistics of the trades of @instrument (or
 * EA_STATS_ALL_INSTRUMENTS) in @trades, in array order, limited to the last
 * @lookback of them (0 = all). An empty selection gives a zero summary. */
gboolean  ea_stats_compute             (const EaStatsTrade       *trades,
                                        gsize                     n_trades,
                                        guint                     instrument,
                                        guint                     lookback,
                                        EaStatsSummary           *out,
                                        GError                  **error);

/* Incremental: keeps running statistics overall and per instrument, and the
 * last @lookback trades of each (0 = the window is all trades). */
EaStats  *ea_stats_new                 (guint                     lookback);
void      ea_stats_free                (EaStats                  *stats);
guint     ea_stats_get_lookback        (EaStats                  *stats);
gboolean  ea_stats_add                 (EaStats                  *stats,
                                        const EaStatsTrade       *trade,
                                        GError                  **error);

/* All trades. FALSE (and a zero summary) for an instrument with none. */
gboolean  ea_stats_get                 (EaStats                  *stats,
                                        guint                     instrument,
                                        EaStatsSummary           *out);
/* The last lookback trades; O(lookback). */
gboolean  ea_stats_get_window          (EaStats                  *stats,
                                        guint                     instrument,
                                        EaStatsSummary           *out);
/* Instrument ids seen so far, ascending, as a new array of guint. */
GArray   *ea_stats_dup_instruments     (EaStats                  *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaStats, ea_stats_free)

G_END_DECLS
