/* ea-journal-analytics.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Statistics of the journal's trades over a filter (account, instrument,
 * exit-date range, tag, AM/PM session), computed with the core statistics
 * (ea-stats.h): days are CME trading days of the exit time, P&L is net of
 * fees. The result also carries what the journal window draws: the matching
 * trades, the equity curve and the P&L of each trading day. Its summary
 * feeds the Kelly panel (ea_kelly_inputs_from_stats()).
 */
#pragma once

#include "ea-journal.h"
#include "ea-kelly.h"
#include "ea-stats.h"

G_BEGIN_DECLS

typedef enum
{
  EA_JOURNAL_SESSION_ANY,
  EA_JOURNAL_SESSION_AM,       /* entry 09:30–12:00 America/New_York */
  EA_JOURNAL_SESSION_PM,       /* entry 12:00–16:00 America/New_York */
} EaJournalSession;

typedef struct
{
  gint64            account_id;  /* 0: all accounts */
  const char       *root;        /* instrument root ("ES"); NULL or "": all */
  EaTimeUs          from_us;     /* exit time in [from_us, to_us) */
  EaTimeUs          to_us;
  const char       *tag;         /* one tag of the trade's comma-separated
                                  * list, case-insensitive; NULL or "": any */
  EaJournalSession  session;
} EaJournalFilter;

typedef struct
{
  guint32   day;                 /* CME trading day, YYYYMMDD */
  EaMicros  pnl;
  guint     n_trades;
} EaJournalDay;

typedef struct
{
  EaStatsSummary  summary;
  double          avg_duration_s;   /* mean of exit - entry, 0 with no trades */
  double          avg_win_duration_s;
  double          avg_loss_duration_s;
  GArray         *trades;           /* EaJournalTrade matching the filter, by exit
                                     * time; their strings belong to @strings:
                                     * never free them, never clear the trades */
  GArray         *equity;           /* EaMicros: cumulative P&L after each trade */
  GArray         *days;             /* EaJournalDay, ascending */
  GStringChunk   *strings;
} EaJournalAnalytics;

/* Everything: all accounts, instruments, times, tags and sessions. */
void                ea_journal_filter_init      (EaJournalFilter       *filter);
gboolean            ea_journal_filter_match     (const EaJournalFilter *filter,
                                                 const EaJournalTrade  *trade);
/* TRUE when @tags (comma separated) holds @tag, ignoring case and the
 * spaces around each tag. */
gboolean            ea_journal_tags_contain     (const char            *tags,
                                                 const char            *tag);

/* Statistics of the trades in @trades (ordered by exit time, as loaded)
 * that match @filter (NULL: all). The matching trades are copied. */
EaJournalAnalytics *ea_journal_analytics_compute (const EaJournalTrade  *trades,
                                                  guint                  n_trades,
                                                  const EaJournalFilter *filter,
                                                  GError               **error);
void                ea_journal_analytics_free    (EaJournalAnalytics    *analytics);
/* The Kelly panel's inputs: statistics of the last @lookback trades of
 * @analytics (0: all of them). */
gboolean            ea_journal_analytics_get_kelly_inputs (const EaJournalAnalytics *analytics,
                                                           guint                     lookback,
                                                           EaKellyInputs            *out,
                                                           GError                  **error);
/* Replaces the tags and notes of trade @trade_id in @analytics->trades
 * (not in the journal); FALSE when it is not there. */
gboolean            ea_journal_analytics_set_trade_notes (EaJournalAnalytics *analytics,
                                                          gint64              trade_id,
                                                          const char         *tags,
                                                          const char         *notes);
/* The day of @day (YYYYMMDD), or NULL when no trade closed that day. */
const EaJournalDay *ea_journal_analytics_lookup_day (const EaJournalAnalytics *analytics,
                                                     guint32                   day);

/* Reads the trades of the filter from @journal and computes their
 * statistics, both on the journal's worker thread, in call order with the
 * journal's other calls. */
void                ea_journal_query_analytics_async  (EaJournal             *journal,
                                                       const EaJournalFilter *filter,
                                                       GCancellable          *cancellable,
                                                       GAsyncReadyCallback    callback,
                                                       gpointer               user_data);
EaJournalAnalytics *ea_journal_query_analytics_finish (EaJournal             *journal,
                                                       GAsyncResult          *result,
                                                       GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaJournalAnalytics, ea_journal_analytics_free)

G_END_DECLS
