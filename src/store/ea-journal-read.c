/* ea-journal-read.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Read views of the journal: risk events, audit rows, fills and accounts,
 * for the journal window and the CSV exports. Each query runs on the worker
 * thread like every other call.
 */
#define G_LOG_DOMAIN "ea-journal"

#include "config.h"

#include <string.h>

#include "ea-journal-private.h"

typedef struct
{
  gint64   account_id;
  EaTimeUs from_us;
  EaTimeUs to_us;
} ReadRange;

static ReadRange *
read_range_new (gint64   account_id,
                EaTimeUs from_us,
                EaTimeUs to_us)
{
  ReadRange *range = g_new0 (ReadRange, 1);

  range->account_id = account_id;
  range->from_us = from_us;
  range->to_us = to_us;
  return range;
}

void
ea_journal_risk_event_clear (EaJournalRiskEvent *event)
{
  g_clear_pointer (&event->reason, g_free);
  g_clear_pointer (&event->details, g_free);
}

void
ea_journal_audit_row_clear (EaJournalAuditRow *row)
{
  g_clear_pointer (&row->actor, g_free);
  g_clear_pointer (&row->kind, g_free);
  g_clear_pointer (&row->subject, g_free);
  g_clear_pointer (&row->details, g_free);
  g_clear_pointer (&row->prev_hash, g_free);
  g_clear_pointer (&row->hash, g_free);
}

void
ea_journal_account_clear (EaJournalAccount *account)
{
  g_clear_pointer (&account->broker, g_free);
  g_clear_pointer (&account->broker_account_id, g_free);
  g_clear_pointer (&account->name, g_free);
}

gboolean
ea_journal_risk_kind_from_string (const char        *text,
                                  EaJournalRiskKind *out)
{
  for (EaJournalRiskKind k = EA_JOURNAL_RISK_WARNING; k <= EA_JOURNAL_RISK_LIMIT_CHANGE; k++)
    if (g_strcmp0 (text, ea_journal_risk_kind_to_string (k)) == 0)
      {
        *out = k;
        return TRUE;
      }
  return FALSE;
}

/* Risk events. */

static gboolean
load_risk_events_job (EaJournalDb  *db,
                      gpointer      data,
                      gpointer     *result,
                      GError      **error)
{
  ReadRange *range = data;
  g_autoptr(GArray) events = g_array_new (FALSE, TRUE, sizeof (EaJournalRiskEvent));
  sqlite3_stmt *stmt;
  int rc;

  g_array_set_clear_func (events, (GDestroyNotify) ea_journal_risk_event_clear);
  stmt = _ea_journal_db_prepare (db,
                                 "SELECT id, time_us, account_id, kind, reason, details FROM risk_events "
                                 "WHERE (?1 = 0 OR account_id = ?1) AND time_us >= ?2 AND time_us < ?3 "
                                 "ORDER BY time_us, id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, range->account_id);
  sqlite3_bind_int64 (stmt, 2, range->from_us);
  sqlite3_bind_int64 (stmt, 3, range->to_us);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      EaJournalRiskEvent e = { 0 };
      const char *kind = (const char *) sqlite3_column_text (stmt, 3);

      if (!ea_journal_risk_kind_from_string (kind, &e.kind))
        {
          g_set_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_CORRUPT,
                       "Risk event %" G_GINT64_FORMAT " has an unknown kind “%s”",
                       (gint64) sqlite3_column_int64 (stmt, 0), kind != NULL ? kind : "");
          sqlite3_reset (stmt);
          return FALSE;
        }
      e.id = sqlite3_column_int64 (stmt, 0);
      e.time_us = sqlite3_column_int64 (stmt, 1);
      e.account_id = sqlite3_column_int64 (stmt, 2);
      e.reason = _ea_journal_column_dup (stmt, 4);
      e.details = _ea_journal_column_dup (stmt, 5);
      g_array_append_val (events, e);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _ea_journal_db_set_error (db, rc, "loading risk events", error);

  *result = g_steal_pointer (&events);
  return TRUE;
}

void
ea_journal_load_risk_events_async (EaJournal           *self,
                                   gint64               account_id,
                                   EaTimeUs             from_us,
                                   EaTimeUs             to_us,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (EA_IS_JOURNAL (self));

  _ea_journal_submit (self, load_risk_events_job, read_range_new (account_id, from_us, to_us), g_free,
                      (GDestroyNotify) g_array_unref, FALSE,
                      ea_journal_load_risk_events_async, cancellable, callback, user_data);
}

GArray *
ea_journal_load_risk_events_finish (EaJournal     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _ea_journal_finish_pointer (self, result, ea_journal_load_risk_events_async, error);
}

/* Audit rows. */

typedef struct
{
  gint64 from_seq;
  guint  limit;
} AuditQuery;

static gboolean
load_audit_job (EaJournalDb  *db,
                gpointer      data,
                gpointer     *result,
                GError      **error)
{
  AuditQuery *query = data;
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (EaJournalAuditRow));
  sqlite3_stmt *stmt;
  int rc;

  g_array_set_clear_func (rows, (GDestroyNotify) ea_journal_audit_row_clear);
  stmt = _ea_journal_db_prepare (db,
                                 "SELECT seq, time_us, actor, kind, subject, details, prev_hash, hash "
                                 "FROM audit WHERE seq >= ?1 ORDER BY seq LIMIT ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, query->from_seq);
  sqlite3_bind_int64 (stmt, 2, query->limit == 0 ? -1 : (gint64) query->limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      EaJournalAuditRow row;

      row.seq = sqlite3_column_int64 (stmt, 0);
      row.time_us = sqlite3_column_int64 (stmt, 1);
      row.actor = _ea_journal_column_dup (stmt, 2);
      row.kind = _ea_journal_column_dup (stmt, 3);
      row.subject = _ea_journal_column_dup (stmt, 4);
      row.details = _ea_journal_column_dup (stmt, 5);
      row.prev_hash = _ea_journal_column_dup (stmt, 6);
      row.hash = _ea_journal_column_dup (stmt, 7);
      g_array_append_val (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _ea_journal_db_set_error (db, rc, "loading the audit trail", error);

  *result = g_steal_pointer (&rows);
  return TRUE;
}

void
ea_journal_load_audit_async (EaJournal           *self,
                             gint64               from_seq,
                             guint                limit,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  AuditQuery *query;

  g_return_if_fail (EA_IS_JOURNAL (self));

  query = g_new0 (AuditQuery, 1);
  query->from_seq = from_seq;
  query->limit = limit;
  _ea_journal_submit (self, load_audit_job, query, g_free, (GDestroyNotify) g_array_unref, FALSE,
                      ea_journal_load_audit_async, cancellable, callback, user_data);
}

GArray *
ea_journal_load_audit_finish (EaJournal     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _ea_journal_finish_pointer (self, result, ea_journal_load_audit_async, error);
}

/* Fills. */

/* One allocation: the struct, then its strings. */
static EaJournalFill *
fill_from_row (sqlite3_stmt *stmt)
{
  enum { N_STRINGS = 6 };
  static const int columns[N_STRINGS] = { 0, 1, 3, 4, 5, 6 };
  const char *texts[N_STRINGS];
  const char **fields[N_STRINGS];
  gsize size = sizeof (EaJournalFill);
  EaJournalFill *f;
  char *p;

  for (guint i = 0; i < N_STRINGS; i++)
    {
      texts[i] = (const char *) sqlite3_column_text (stmt, columns[i]);
      if (texts[i] != NULL)
        size += strlen (texts[i]) + 1;
    }

  f = g_malloc0 (size);
  fields[0] = &f->broker;
  fields[1] = &f->broker_fill_id;
  fields[2] = &f->client_order_id;
  fields[3] = &f->broker_order_id;
  fields[4] = &f->symbol;
  fields[5] = &f->root;
  p = (char *) (f + 1);
  for (guint i = 0; i < N_STRINGS; i++)
    if (texts[i] != NULL)
      {
        gsize len = strlen (texts[i]) + 1;

        memcpy (p, texts[i], len);
        *fields[i] = p;
        p += len;
      }

  f->account_id = sqlite3_column_int64 (stmt, 2);
  f->side = sqlite3_column_int (stmt, 7) < 0 ? EA_SIDE_SELL : EA_SIDE_BUY;
  f->qty = sqlite3_column_int64 (stmt, 8);
  f->price_ticks = sqlite3_column_int64 (stmt, 9);
  f->fee_micros = sqlite3_column_int64 (stmt, 10);
  f->time_us = sqlite3_column_int64 (stmt, 11);
  return f;
}

static gboolean
load_fills_job (EaJournalDb  *db,
                gpointer      data,
                gpointer     *result,
                GError      **error)
{
  ReadRange *range = data;
  g_autoptr(GPtrArray) fills = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ea_journal_db_prepare (db,
                                 "SELECT broker, broker_fill_id, account_id, client_order_id, broker_order_id, "
                                 "  symbol, root, side, qty, price_ticks, fee_micros, time_us FROM fills "
                                 "WHERE (?1 = 0 OR account_id = ?1) AND time_us >= ?2 AND time_us < ?3 "
                                 "ORDER BY time_us, id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, range->account_id);
  sqlite3_bind_int64 (stmt, 2, range->from_us);
  sqlite3_bind_int64 (stmt, 3, range->to_us);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (fills, fill_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _ea_journal_db_set_error (db, rc, "loading fills", error);

  *result = g_steal_pointer (&fills);
  return TRUE;
}

void
ea_journal_load_fills_async (EaJournal           *self,
                             gint64               account_id,
                             EaTimeUs             from_us,
                             EaTimeUs             to_us,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (EA_IS_JOURNAL (self));

  _ea_journal_submit (self, load_fills_job, read_range_new (account_id, from_us, to_us), g_free,
                      (GDestroyNotify) g_ptr_array_unref, FALSE,
                      ea_journal_load_fills_async, cancellable, callback, user_data);
}

GPtrArray *
ea_journal_load_fills_finish (EaJournal     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _ea_journal_finish_pointer (self, result, ea_journal_load_fills_async, error);
}

/* Accounts. */

static gboolean
load_accounts_job (EaJournalDb  *db,
                   gpointer      data,
                   gpointer     *result,
                   GError      **error)
{
  g_autoptr(GArray) accounts = g_array_new (FALSE, TRUE, sizeof (EaJournalAccount));
  sqlite3_stmt *stmt;
  int rc;

  g_array_set_clear_func (accounts, (GDestroyNotify) ea_journal_account_clear);
  stmt = _ea_journal_db_prepare (db, "SELECT id, broker, broker_account_id, name, mode FROM accounts ORDER BY id",
                                 error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      EaJournalAccount a;

      a.id = sqlite3_column_int64 (stmt, 0);
      a.broker = _ea_journal_column_dup (stmt, 1);
      a.broker_account_id = _ea_journal_column_dup (stmt, 2);
      a.name = _ea_journal_column_dup (stmt, 3);
      if (!ea_mode_from_string ((const char *) sqlite3_column_text (stmt, 4), &a.mode))
        a.mode = EA_MODE_DEMO;
      g_array_append_val (accounts, a);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _ea_journal_db_set_error (db, rc, "loading accounts", error);

  *result = g_steal_pointer (&accounts);
  return TRUE;
}

void
ea_journal_load_accounts_async (EaJournal           *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (EA_IS_JOURNAL (self));

  _ea_journal_submit (self, load_accounts_job, NULL, NULL, (GDestroyNotify) g_array_unref, FALSE,
                      ea_journal_load_accounts_async, cancellable, callback, user_data);
}

GArray *
ea_journal_load_accounts_finish (EaJournal     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _ea_journal_finish_pointer (self, result, ea_journal_load_accounts_async, error);
}
