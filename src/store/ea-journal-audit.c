/* ea-journal-audit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The audit trail: an append-only, hash-chained table. Each row's hash is
 * the SHA-256 of the previous row's hash and the row's canonical
 * serialization (seq, time, actor, kind, subject, details; every text field
 * length-prefixed so no two rows serialize alike). The first row chains to
 * 64 zeros. Triggers refuse UPDATE and DELETE, but the verifier does not
 * rely on them: it recomputes every hash and follows every link.
 */
#define G_LOG_DOMAIN "ea-journal"

#include "config.h"

#include <string.h>

#include "ea-journal-private.h"

static void
append_field (GString    *s,
              const char *name,
              const char *value)
{
  g_string_append_printf (s, "%s=%zu:%s\n", name, strlen (value), value);
}

char *
_ea_audit_compute_hash (const char *prev_hash,
                        gint64      seq,
                        EaTimeUs    time_us,
                        const char *actor,
                        const char *kind,
                        const char *subject,
                        const char *details)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GString) s = g_string_sized_new (256);

  g_string_append_printf (s, "ea-audit-1\nprev=%s\nseq=%" G_GINT64_FORMAT
                          "\ntime=%" G_GINT64_FORMAT "\n",
                          prev_hash, seq, time_us);
  append_field (s, "actor", actor);
  append_field (s, "kind", kind);
  append_field (s, "subject", subject);
  append_field (s, "details", details);

  g_checksum_update (checksum, (const guchar *) s->str, s->len);
  return g_strdup (g_checksum_get_string (checksum));
}

gint64
_ea_journal_db_audit_append (EaJournalDb  *db,
                             EaActor       actor,
                             const char   *kind,
                             const char   *subject,
                             const char   *details_json,
                             GError      **error)
{
  g_autofree char *prev_hash = NULL;
  g_autofree char *hash = NULL;
  const char *actor_name = ea_actor_to_string (actor);
  sqlite3_stmt *stmt;
  gint64 seq = 1;
  EaTimeUs now = g_get_real_time ();
  int rc;

  if (kind == NULL || *kind == '\0')
    {
      g_set_error_literal (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID,
                           "An audit row needs a kind");
      return 0;
    }
  if (subject == NULL)
    subject = "";
  if (details_json == NULL)
    details_json = "{}";
  if (!_ea_journal_check_json (details_json, error))
    return 0;

  stmt = _ea_journal_db_prepare (db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return 0;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      seq = sqlite3_column_int64 (stmt, 0) + 1;
      prev_hash = _ea_journal_column_dup (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _ea_journal_db_set_error (db, rc, "audit", error);
      return 0;
    }
  if (prev_hash == NULL)
    prev_hash = g_strdup (EA_AUDIT_GENESIS_HASH);

  hash = _ea_audit_compute_hash (prev_hash, seq, now, actor_name, kind, subject, details_json);

  stmt = _ea_journal_db_prepare (db,
                                 "INSERT INTO audit (seq, time_us, actor, kind, subject, details, prev_hash, hash) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_int64 (stmt, 2, now);
  _ea_journal_bind_text (stmt, 3, actor_name);
  _ea_journal_bind_text (stmt, 4, kind);
  _ea_journal_bind_text (stmt, 5, subject);
  _ea_journal_bind_text (stmt, 6, details_json);
  _ea_journal_bind_text (stmt, 7, prev_hash);
  _ea_journal_bind_text (stmt, 8, hash);
  if (!_ea_journal_db_step_done (db, stmt, "audit", error))
    return 0;

  /* Once a head file exists on disk, a missing one is a sign of
   * tampering. Marked only after the first head file was written: a crash
   * between the first commit and that write is not mistaken for it. */
  if (!db->head_file_marked)
    {
      g_autofree char *head_path = _ea_journal_audit_head_path (db->path);

      if (g_file_test (head_path, G_FILE_TEST_EXISTS))
        {
          stmt = _ea_journal_db_prepare (db, "INSERT OR IGNORE INTO counters (name, value) "
                                             "VALUES ('audit_head_file', 1)", error);
          if (stmt == NULL || !_ea_journal_db_step_done (db, stmt, "audit", error))
            return 0;
          db->head_file_marked = TRUE;
        }
    }

  db->head_seq = seq;
  g_free (db->head_hash);
  db->head_hash = g_steal_pointer (&hash);
  if (sqlite3_get_autocommit (db->db))
    _ea_journal_db_audit_committed (db);

  return seq;
}

char *
_ea_journal_audit_head_path (const char *db_path)
{
  return g_strconcat (db_path, ".audit-head", NULL);
}

#define HEAD_MAGIC "ea-audit-head-1"

/* Called once the transaction that appended audit rows is committed: the
 * head file then never names a row the database does not have (a crash
 * in between leaves it one commit behind, which verifies). */
void
_ea_journal_db_audit_committed (EaJournalDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  if (db->head_seq <= 0 || db->head_hash == NULL)
    return;

  path = _ea_journal_audit_head_path (db->path);
  text = g_strdup_printf (HEAD_MAGIC "\n%" G_GINT64_FORMAT "\n%s\n", db->head_seq, db->head_hash);
  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_message ("Could not write the audit chain head %s: %s", path, error->message);

  db->head_seq = 0;
  g_clear_pointer (&db->head_hash, g_free);
}

/* Reads the head file: FALSE when it is missing (@error unset) or
 * unreadable (@error set). */
static gboolean
read_head (const char  *path,
           gint64      *seq,
           char       **hash,
           GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  char *end = NULL;

  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      if (!g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  lines = g_strsplit (text, "\n", -1);
  if (g_strv_length (lines) < 3 || !g_str_equal (lines[0], HEAD_MAGIC))
    {
      g_set_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_CORRUPT, "%s is not an audit chain head", path);
      return FALSE;
    }
  *seq = g_ascii_strtoll (lines[1], &end, 10);
  if (end == lines[1] || *end != '\0' || *seq <= 0 || strlen (lines[2]) != 64)
    {
      g_set_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_CORRUPT, "%s is not an audit chain head", path);
      return FALSE;
    }
  *hash = g_strdup (lines[2]);
  return TRUE;
}

static gboolean
head_file_expected (EaJournalDb *db)
{
  sqlite3_stmt *stmt;
  gboolean expected = FALSE;

  if (sqlite3_prepare_v2 (db->db, "SELECT 1 FROM counters WHERE name = 'audit_head_file'",
                          -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  expected = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return expected;
}

static char *
stored_hash (EaJournalDb *db,
             gint64       seq)
{
  sqlite3_stmt *stmt;
  char *hash = NULL;

  if (sqlite3_prepare_v2 (db->db, "SELECT hash FROM audit WHERE seq = ?", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, seq);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    hash = _ea_journal_column_dup (stmt, 0);
  sqlite3_finalize (stmt);
  return hash;
}

/* Where does a hash occur in the table? Returns its seq, or 0. Only used
 * once the chain is already known to be broken. */
static gint64
find_hash (EaJournalDb *db,
           const char  *hash)
{
  sqlite3_stmt *stmt;
  gint64 seq = 0;

  if (sqlite3_prepare_v2 (db->db, "SELECT seq FROM audit WHERE hash = ? LIMIT 1",
                          -1, &stmt, NULL) != SQLITE_OK)
    return 0;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return seq;
}

static EaAuditReport *
report_break (EaAuditReport *report,
              EaAuditStatus  status,
              gint64         seq,
              const char    *format,
              ...) G_GNUC_PRINTF (4, 5);

static EaAuditReport *
report_break (EaAuditReport *report,
              EaAuditStatus  status,
              gint64         seq,
              const char    *format,
              ...)
{
  va_list args;

  report->status = status;
  report->broken_seq = seq;
  va_start (args, format);
  report->message = g_strdup_vprintf (format, args);
  va_end (args);
  return report;
}

static const char *
text_or_empty (sqlite3_stmt *stmt,
               int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? (const char *) text : "";
}

/* The walk keeps the previous row's seq and stored hash. For each row:
 *  - a seq gap means rows were deleted;
 *  - a row whose prev_hash is not the previous row's hash is classified by
 *    where that prev_hash points: to a later row (reordered), to an earlier
 *    row (the previous row was inserted), to no row (the previous row was
 *    rewritten and re-hashed, or the row itself renumbered after a
 *    deletion, or it is foreign);
 *  - a row whose content does not hash to its stored hash was edited. */
EaAuditReport *
_ea_journal_db_audit_verify (EaJournalDb  *db,
                             GError      **error)
{
  g_autoptr(EaAuditReport) report = g_new0 (EaAuditReport, 1);
  g_autofree char *expected_prev = g_strdup (EA_AUDIT_GENESIS_HASH);
  gint64 prev_seq = 0;
  sqlite3_stmt *stmt;
  int rc;

  rc = sqlite3_prepare_v2 (db->db,
                           "SELECT seq, time_us, actor, kind, subject, details, prev_hash, hash "
                           "FROM audit ORDER BY seq", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _ea_journal_db_set_error (db, rc, "audit verification", error);
      return NULL;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      EaTimeUs time_us = sqlite3_column_int64 (stmt, 1);
      const char *actor = text_or_empty (stmt, 2);
      const char *kind = text_or_empty (stmt, 3);
      const char *subject = text_or_empty (stmt, 4);
      const char *details = text_or_empty (stmt, 5);
      g_autofree char *prev_hash = g_strdup (text_or_empty (stmt, 6));
      g_autofree char *hash = g_strdup (text_or_empty (stmt, 7));
      g_autofree char *computed = _ea_audit_compute_hash (prev_hash, seq, time_us, actor,
                                                          kind, subject, details);
      gboolean self_ok = g_str_equal (computed, hash);

      report->n_rows++;

      if (seq != prev_seq + 1)
        {
          sqlite3_finalize (stmt);
          if (seq <= prev_seq)
            return g_steal_pointer (&report);  /* impossible: seq is the key */
          return report_break (g_steal_pointer (&report), EA_AUDIT_DELETED, prev_seq + 1,
                               "Audit row %" G_GINT64_FORMAT " is missing "
                               "(the next row is %" G_GINT64_FORMAT ")",
                               prev_seq + 1, seq);
        }

      if (!g_str_equal (prev_hash, expected_prev))
        {
          gint64 target = find_hash (db, prev_hash);
          g_autofree char *renumbered = _ea_audit_compute_hash (prev_hash, seq + 1, time_us, actor,
                                                                kind, subject, details);

          /* actor, kind, subject and details die with the statement. */
          sqlite3_finalize (stmt);
          if (target > seq)
            return report_break (g_steal_pointer (&report), EA_AUDIT_REORDERED, seq,
                                 "Audit row %" G_GINT64_FORMAT " follows row %"
                                 G_GINT64_FORMAT " in the chain but is stored before it",
                                 seq, target);
          if (target > 0 && target < prev_seq)
            return report_break (g_steal_pointer (&report), EA_AUDIT_INSERTED, prev_seq,
                                 "Audit row %" G_GINT64_FORMAT " was inserted: "
                                 "row %" G_GINT64_FORMAT " chains to row %" G_GINT64_FORMAT,
                                 prev_seq, seq, target);
          if (self_ok)
            return report_break (g_steal_pointer (&report), EA_AUDIT_EDITED, prev_seq,
                                 "Audit row %" G_GINT64_FORMAT " was rewritten: "
                                 "its hash is not the one row %" G_GINT64_FORMAT " chains to",
                                 prev_seq, seq);
          if (g_str_equal (renumbered, hash))
            return report_break (g_steal_pointer (&report), EA_AUDIT_DELETED, seq,
                                 "An audit row was deleted before row %" G_GINT64_FORMAT
                                 " (originally %" G_GINT64_FORMAT ") and the rows after "
                                 "it renumbered", seq, seq + 1);
          return report_break (g_steal_pointer (&report), EA_AUDIT_INSERTED, seq,
                               "Audit row %" G_GINT64_FORMAT " does not belong to the chain",
                               seq);
        }

      if (!self_ok)
        {
          sqlite3_finalize (stmt);
          return report_break (g_steal_pointer (&report), EA_AUDIT_EDITED, seq,
                               "Audit row %" G_GINT64_FORMAT " was edited: "
                               "its content does not match its hash", seq);
        }

      prev_seq = seq;
      g_free (expected_prev);
      expected_prev = g_steal_pointer (&hash);
    }

  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _ea_journal_db_set_error (db, rc, "audit verification", error);
      return NULL;
    }

  /* The chain is whole as far as it goes: does it go as far as its head
   * file says it did? */
  {
    g_autoptr(GError) head_error = NULL;
    g_autofree char *head_path = _ea_journal_audit_head_path (db->path);
    g_autofree char *head_hash = NULL;
    g_autofree char *at_head = NULL;
    gint64 head_seq = 0;

    if (!read_head (head_path, &head_seq, &head_hash, &head_error))
      {
        if (head_error != NULL)
          return report_break (g_steal_pointer (&report), EA_AUDIT_EDITED, prev_seq,
                               "The audit chain head cannot be read: %s", head_error->message);
        if (head_file_expected (db))
          return report_break (g_steal_pointer (&report), EA_AUDIT_DELETED, prev_seq + 1,
                               "The audit chain head %s is missing: the newest audit rows "
                               "cannot be vouched for", head_path);
      }
    else if (head_seq > prev_seq)
      return report_break (g_steal_pointer (&report), EA_AUDIT_DELETED, prev_seq + 1,
                           "Audit rows %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " were deleted: "
                           "the chain ends at row %" G_GINT64_FORMAT " but reached row %" G_GINT64_FORMAT,
                           prev_seq + 1, head_seq, prev_seq, head_seq);
    else if ((at_head = stored_hash (db, head_seq)) == NULL || !g_str_equal (at_head, head_hash))
      return report_break (g_steal_pointer (&report), EA_AUDIT_EDITED, head_seq,
                           "Audit row %" G_GINT64_FORMAT " is not the one the chain head recorded: "
                           "the newest rows were replaced", head_seq);
  }

  report->status = EA_AUDIT_OK;
  report->head_seq = prev_seq;
  report->head_hash = prev_seq > 0 ? g_steal_pointer (&expected_prev) : NULL;
  return g_steal_pointer (&report);
}

const char *
ea_audit_status_to_string (EaAuditStatus status)
{
  switch (status)
    {
    case EA_AUDIT_OK:         return "ok";
    case EA_AUDIT_EDITED:     return "edited";
    case EA_AUDIT_DELETED:    return "deleted";
    case EA_AUDIT_INSERTED:   return "inserted";
    case EA_AUDIT_REORDERED:  return "reordered";
    default:                  return "unknown";
    }
}

EaAuditReport *
ea_audit_report_copy (const EaAuditReport *report)
{
  EaAuditReport *copy;

  g_return_val_if_fail (report != NULL, NULL);

  copy = g_memdup2 (report, sizeof *report);
  copy->message = g_strdup (report->message);
  copy->head_hash = g_strdup (report->head_hash);
  return copy;
}

void
ea_audit_report_free (EaAuditReport *report)
{
  if (report == NULL)
    return;
  g_free (report->message);
  g_free (report->head_hash);
  g_free (report);
}

G_DEFINE_BOXED_TYPE (EaAuditReport, ea_audit_report, ea_audit_report_copy, ea_audit_report_free)
