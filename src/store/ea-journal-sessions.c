/* ea-journal-sessions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sessions of a mode: the (account, CME trading day) pairs on which an
 * account of that mode traded (a fill) or kept a day state. The Live gate
 * needs a completed Test session without a limit breach.
 */
#define G_LOG_DOMAIN "ea-journal"

#include "config.h"

#include "ea-journal-private.h"
#include <stdio.h>
#include <string.h>

#include "ea-session.h"

typedef struct
{
  EaMode   mode;
  guint32  before_day;
} CountSessions;

static char *
session_key (gint64  account_id,
             guint32 day)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%08u", account_id, day);
}

/* "YYYY-MM-DD" → YYYYMMDD, 0 when malformed. */
static guint32
parse_day (const char *text)
{
  guint y, m, d;
  char tail;

  if (text == NULL || sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3)
    return 0;
  if (!g_date_valid_dmy (d, m, y))
    return 0;
  return y * 10000 + m * 100 + d;
}

static gboolean
collect (EaJournalDb  *db,
         const char   *sql,
         const char   *mode,
         gboolean      text_day,
         GHashTable   *out,
         GHashTable   *global_days,
         GError      **error)
{
  sqlite3_stmt *stmt = _ea_journal_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _ea_journal_bind_text (stmt, 1, mode);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean global = sqlite3_column_type (stmt, 0) == SQLITE_NULL;
      gint64 account_id = sqlite3_column_int64 (stmt, 0);
      guint32 day = text_day ? parse_day ((const char *) sqlite3_column_text (stmt, 1))
                             : ea_session_trading_day_us (sqlite3_column_int64 (stmt, 1));

      if (day == 0)
        continue;
      if (global && global_days != NULL)
        g_hash_table_add (global_days, GUINT_TO_POINTER (day));
      else if (!global)
        g_hash_table_add (out, session_key (account_id, day));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _ea_journal_db_set_error (db, rc, "counting sessions", error);
  return TRUE;
}

static gboolean
count_sessions_job (EaJournalDb  *db,
                    gpointer      data,
                    gpointer     *result,
                    GError      **error)
{
  CountSessions *q = data;
  const char *mode = ea_mode_to_string (q->mode);
  g_autoptr(GHashTable) sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) breaches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) global_breaches = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer key;
  gint64 clean = 0;

  if (!collect (db,
                "SELECT f.account_id, f.time_us FROM fills f JOIN accounts a ON a.id = f.account_id "
                "WHERE a.mode = ?1", mode, FALSE, sessions, NULL, error) ||
      !collect (db,
                "SELECT d.account_id, d.trading_day FROM day_state d JOIN accounts a ON a.id = d.account_id "
                "WHERE a.mode = ?1", mode, TRUE, sessions, NULL, error) ||
      !collect (db,
                "SELECT r.account_id, r.time_us FROM risk_events r LEFT JOIN accounts a ON a.id = r.account_id "
                "WHERE r.kind = 'breach' AND (r.account_id IS NULL OR a.mode = ?1)",
                mode, FALSE, breaches, global_breaches, error))
    return FALSE;

  g_hash_table_iter_init (&iter, sessions);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const char *colon = strchr (key, ':');
      guint32 day = (guint32) g_ascii_strtoull (colon + 1, NULL, 10);

      /* Only sessions that have closed count as completed. */
      if (day >= q->before_day)
        continue;
      if (g_hash_table_contains (breaches, key) ||
          g_hash_table_contains (global_breaches, GUINT_TO_POINTER (day)))
        continue;
      clean++;
    }

  *result = _ea_journal_int64_result (clean);
  return TRUE;
}

/**
 * ea_journal_count_clean_sessions_async:
 * @mode: the mode of the accounts (EA_MODE_TEST for the Live gate)
 * @before_day: the current CME trading day as YYYYMMDD: sessions of this
 *   day and later are not completed and do not count
 *
 * Counts the completed sessions (account × CME trading day with a fill
 * or a day state) of accounts of @mode that had no risk event of kind
 * breach, neither for the account nor global.
 */
void
ea_journal_count_clean_sessions_async (EaJournal           *self,
                                       EaMode               mode,
                                       guint32              before_day,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  CountSessions *q;

  g_return_if_fail (EA_IS_JOURNAL (self));

  q = g_new0 (CountSessions, 1);
  q->mode = mode;
  q->before_day = before_day;
  _ea_journal_submit (self, count_sessions_job, q, g_free, g_free, FALSE,
                      ea_journal_count_clean_sessions_async, cancellable, callback, user_data);
}

/* Returns the count, or -1 with @error set. */
gint64
ea_journal_count_clean_sessions_finish (EaJournal     *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return _ea_journal_finish_int64 (self, result, ea_journal_count_clean_sessions_async, error);
}
