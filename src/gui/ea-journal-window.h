/* ea-journal-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaJournalWindow (app.journal): statistics tiles, equity curve, daily P&L,
 * a calendar month coloured by day P&L, the sortable trades table with
 * per-trade tags and notes, the risk events, and the audit trail with the
 * result of its verification; CSV exports. Every view follows the filter
 * bar (account, instrument, exit dates, tag, AM/PM session).
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-equity-chart.h"
#include "ea-journal-analytics.h"

G_BEGIN_DECLS

typedef enum
{
  EA_JOURNAL_EXPORT_TRADES,        /* the trades of the current filter */
  EA_JOURNAL_EXPORT_FILLS,         /* fills of the filter's account and dates */
  EA_JOURNAL_EXPORT_AUDIT,         /* the whole audit trail */
  EA_JOURNAL_EXPORT_RISK_EVENTS,   /* risk events of the filter's account and dates */
} EaJournalExportKind;

#define EA_TYPE_JOURNAL_WINDOW (ea_journal_window_get_type ())

G_DECLARE_FINAL_TYPE (EaJournalWindow, ea_journal_window, EA, JOURNAL_WINDOW, GtkWindow)

/* @journal NULL shows @open_error (the reason it could not be opened)
 * instead of the journal. */
EaJournalWindow          *ea_journal_window_new            (GtkApplication        *application,
                                                            EaJournal             *journal,
                                                            const GError          *open_error);
EaJournal                *ea_journal_window_get_journal    (EaJournalWindow       *self);

/* Reloads everything with the current filter. */
void                      ea_journal_window_refresh        (EaJournalWindow       *self);
/* TRUE while a reload, a save or an export is under way. */
gboolean                  ea_journal_window_get_busy       (EaJournalWindow       *self);

void                      ea_journal_window_set_filter     (EaJournalWindow       *self,
                                                            const EaJournalFilter *filter);
void                      ea_journal_window_get_filter     (EaJournalWindow       *self,
                                                            EaJournalFilter       *out);
/* The statistics of the current filter, once loaded (NULL before). */
const EaJournalAnalytics *ea_journal_window_get_analytics  (EaJournalWindow       *self);
/* The equity curve (with the trailing floor each stored day ended with,
 * when one account is shown) and the daily P&L bars. */
EaEquityChart            *ea_journal_window_get_equity_chart (EaJournalWindow     *self);
EaEquityChart            *ea_journal_window_get_daily_chart  (EaJournalWindow     *self);

/* The text of a statistics tile: "net", "trades", "win-rate",
 * "profit-factor", "expectancy", "avg-win-loss", "sharpe",
 * "max-drawdown", "streaks", "duration", "best-worst", "consistency". */
const char               *ea_journal_window_get_tile_text  (EaJournalWindow       *self,
                                                            const char            *tile);
guint                     ea_journal_window_get_n_trade_rows (EaJournalWindow     *self);
guint                     ea_journal_window_get_n_risk_rows  (EaJournalWindow     *self);
guint                     ea_journal_window_get_n_audit_rows (EaJournalWindow     *self);
/* The verification banner's text. */
const char               *ea_journal_window_get_audit_status (EaJournalWindow     *self);

/* "overview", "trades", "risk" or "audit". */
void                      ea_journal_window_set_page       (EaJournalWindow       *self,
                                                            const char            *page);
/* Selects trade @trade_id in the table (and opens it in the notes
 * editor); FALSE when the table does not show it. */
gboolean                  ea_journal_window_select_trade   (EaJournalWindow       *self,
                                                            gint64                 trade_id);
void                      ea_journal_window_show_month     (EaJournalWindow       *self,
                                                            int                    year,
                                                            int                    month);
gboolean                  ea_journal_window_get_day_colour (EaJournalWindow       *self,
                                                            guint32                day,
                                                            GdkRGBA               *out);

/* Saves the tags and notes of trade @trade_id through the journal and
 * updates the table once saved. */
void                      ea_journal_window_save_notes     (EaJournalWindow       *self,
                                                            gint64                 trade_id,
                                                            const char            *tags,
                                                            const char            *notes);

void                      ea_journal_window_export_async   (EaJournalWindow       *self,
                                                            EaJournalExportKind    kind,
                                                            GFile                 *file,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
gboolean                  ea_journal_window_export_finish  (EaJournalWindow       *self,
                                                            GAsyncResult          *result,
                                                            GError               **error);

G_END_DECLS
