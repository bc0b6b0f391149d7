/* ea-csv.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CSV (RFC 4180) exports of the journal: a field that contains a comma, a
 * double quote, CR or LF is enclosed in double quotes, with its quotes
 * doubled; records end with CRLF, the first record is the header. Times are
 * ISO 8601 UTC with microseconds, money in currency units with a "." and no
 * grouping ("-1234.50"), prices both in ticks and in the instrument's
 * decimal form (empty for an unknown root).
 */
#pragma once

#include <gio/gio.h>

#include "ea-journal.h"

G_BEGIN_DECLS

/* Appends one field, quoted when needed. NULL is an empty field. */
void      ea_csv_append_field  (GString                   *out,
                                const char                *field);
/* Appends @n_fields fields separated by commas, then CRLF. */
void      ea_csv_append_record (GString                   *out,
                                const char * const        *fields,
                                guint                      n_fields);

/* "2026-11-23T14:30:00.000000Z" */
char     *ea_csv_format_time   (EaTimeUs                   time_us);

/* Whole documents, header included. */
GString  *ea_csv_trades        (const EaJournalTrade      *trades,
                                guint                      n_trades);
/* @fills: EaJournalFill pointers, as from ea_journal_load_fills_finish(). */
GString  *ea_csv_fills         (GPtrArray                 *fills);
GString  *ea_csv_audit         (const EaJournalAuditRow   *rows,
                                guint                      n_rows);
GString  *ea_csv_risk_events   (const EaJournalRiskEvent  *events,
                                guint                      n_events);

/* Writes @csv to @file atomically (a temporary file renamed over it). */
gboolean  ea_csv_write_file    (GFile                     *file,
                                const GString             *csv,
                                GCancellable              *cancellable,
                                GError                   **error);

G_END_DECLS
