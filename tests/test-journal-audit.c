/* test-journal-audit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The audit trail: the hash chain, its canonical form, the append-only
 * triggers, and the verifier against tampering done with a separate raw
 * connection after dropping the triggers.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ea-journal-private.h"
#include "journal-test-utils.h"

/* The documented canonical form, computed here independently. */
static char *
expected_hash (const char *prev,
               gint64      seq,
               gint64      time_us,
               const char *actor,
               const char *kind,
               const char *subject,
               const char *details)
{
  g_autofree char *s = g_strdup_printf ("ea-audit-1\nprev=%s\nseq=%" G_GINT64_FORMAT "\ntime=%"
                                        G_GINT64_FORMAT "\nactor=%zu:%s\nkind=%zu:%s\n"
                                        "subject=%zu:%s\ndetails=%zu:%s\n",
                                        prev, seq, time_us, strlen (actor), actor,
                                        strlen (kind), kind, strlen (subject), subject,
                                        strlen (details), details);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, s, -1);
}

static void
fill_audit (const char *path,
            guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournal) journal = ea_journal_new_sync (path, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *details = g_strdup_printf ("{\"n\":%u}", i);

      g_assert_cmpint (jt_audit (journal, i % 3, "test.row", "subject", details, &error), ==, i);
      g_assert_no_error (error);
    }
  ea_journal_close (journal);
}

static EaAuditReport *
verify_path (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournal) journal = ea_journal_new_sync (path, NULL, &error);
  EaAuditReport *report;

  g_assert_no_error (error);
  report = jt_verify (journal, &error);
  g_assert_no_error (error);
  ea_journal_close (journal);
  return report;
}

static void
test_audit_chain (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaAuditReport) report = NULL;
  g_autoptr(EaJournal) journal = NULL;
  g_autofree char *hash1 = NULL;
  g_autofree char *computed = NULL;
  g_autofree char *last = NULL;
  sqlite3 *raw;
  gint64 time1;

  fill_audit (f->path, 10);
  report = verify_path (f->path);
  g_assert_cmpint (report->status, ==, EA_AUDIT_OK);
  g_assert_cmpint (report->n_rows, ==, 10);
  g_assert_cmpint (report->head_seq, ==, 10);
  g_assert_null (report->message);

  raw = jt_raw_open (f->path);
  time1 = jt_raw_int (raw, "SELECT time_us FROM audit WHERE seq = 1");
  hash1 = jt_raw_text (raw, "SELECT hash FROM audit WHERE seq = 1");
  computed = expected_hash (EA_AUDIT_GENESIS_HASH, 1, time1, "automatic", "test.row", "subject", "{\"n\":1}");
  g_assert_cmpstr (hash1, ==, computed);
  last = jt_raw_text (raw, "SELECT hash FROM audit WHERE seq = 10");
  g_assert_cmpstr (report->head_hash, ==, last);

  /* The triggers refuse changes. */
  g_assert_cmpint (sqlite3_exec (raw, "UPDATE audit SET kind = 'x' WHERE seq = 2", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (sqlite3_errmsg (raw), "append-only"));
  g_assert_cmpint (sqlite3_exec (raw, "DELETE FROM audit WHERE seq = 2", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  sqlite3_close (raw);

  /* Malformed details are refused and nothing is appended. */
  journal = ea_journal_new_sync (f->path, NULL, &error);
  g_assert_cmpint (jt_audit (journal, EA_ACTOR_USER, "x", NULL, "{not json", &error), ==, -1);
  g_assert_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (jt_audit (journal, EA_ACTOR_USER, "x", NULL, "[1]", &error), ==, -1);
  g_assert_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (jt_audit (journal, EA_ACTOR_USER, "ok", NULL, NULL, &error), ==, 11);

  /* A verification sees every row appended by the calls made before it,
   * even those not finished yet. */
  {
    GAsyncResult *appended = NULL;
    g_autoptr(EaAuditReport) later = NULL;

    ea_journal_audit_async (journal, EA_ACTOR_REMOTE, "emergency-stop", "remote page", NULL, NULL,
                            jt_store_cb, &appended);
    later = jt_verify (journal, &error);
    g_assert_no_error (error);
    g_assert_cmpint (later->status, ==, EA_AUDIT_OK);
    g_assert_cmpint (later->n_rows, ==, 12);
    g_assert_cmpint (ea_journal_audit_finish (journal, jt_wait (&appended), &error), ==, 12);
    g_object_unref (appended);
  }
  ea_journal_close (journal);
}

/* The chain head is kept beside the database; restarts (each one
 * appending) verify, and a head file one commit behind (a crash between
 * the commit and its write) still does. */
static void
test_audit_head_restart (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *head_path = _ea_journal_audit_head_path (f->path);
  g_autofree char *head = NULL;
  g_autofree char *last = NULL;
  sqlite3 *raw;

  fill_audit (f->path, 5);
  g_assert_true (g_file_get_contents (head_path, &head, NULL, NULL));
  raw = jt_raw_open (f->path);
  last = jt_raw_text (raw, "SELECT hash FROM audit WHERE seq = 5");
  sqlite3_close (raw);
  {
    g_autofree char *expected = g_strdup_printf ("ea-audit-head-1\n5\n%s\n", last);
    g_assert_cmpstr (head, ==, expected);
  }

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EaJournal) journal = ea_journal_new_sync (f->path, NULL, &error);
      g_autoptr(EaAuditReport) report = NULL;

      g_assert_no_error (error);
      report = jt_verify (journal, &error);
      g_assert_no_error (error);
      g_assert_cmpint (report->status, ==, EA_AUDIT_OK);
      g_assert_cmpint (report->head_seq, ==, 5 + i);
      g_assert_cmpint (jt_audit (journal, EA_ACTOR_AUTOMATIC, "app.start", NULL, NULL, &error), ==, 6 + i);
      ea_journal_close (journal);
    }

  /* Put back the head of five rows ago: the rows after it exist. */
  g_assert_true (g_file_set_contents (head_path, head, -1, NULL));
  {
    g_autoptr(EaAuditReport) report = verify_path (f->path);

    g_assert_cmpint (report->status, ==, EA_AUDIT_OK);
    g_assert_cmpint (report->head_seq, ==, 8);
  }

  /* A garbled head file is reported, not trusted. */
  g_assert_true (g_file_set_contents (head_path, "ea-audit-head-1\nseven\n", -1, NULL));
  {
    g_autoptr(EaAuditReport) report = verify_path (f->path);

    g_assert_cmpint (report->status, ==, EA_AUDIT_EDITED);
    g_assert_nonnull (strstr (report->message, "chain head"));
  }

  /* A new journal does not inherit the head of a removed one. */
  g_assert_cmpint (g_unlink (f->path), ==, 0);
  {
    g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  fill_audit (f->path, 2);
  {
    g_autoptr(EaAuditReport) report = verify_path (f->path);

    g_assert_cmpint (report->status, ==, EA_AUDIT_OK);
    g_assert_cmpint (report->head_seq, ==, 2);
  }
}

typedef struct
{
  const char    *name;
  const char    *sql;
  EaAuditStatus  status;
  gint64         broken_seq;
} Tamper;

static void
test_audit_tamper (Fixture       *f,
                   gconstpointer  data)
{
  const Tamper *t = data;
  g_autoptr(EaAuditReport) report = NULL;
  sqlite3 *raw;

  fill_audit (f->path, 8);

  raw = jt_raw_open (f->path);
  jt_raw_exec (raw, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;");
  if (t->sql != NULL)
    jt_raw_exec (raw, t->sql);
  else if (g_str_equal (t->name, "rehashed"))
    {
      /* Row 5 edited and given a correct hash of its own: row 6 no longer
       * chains to it. */
      g_autofree char *prev = jt_raw_text (raw, "SELECT prev_hash FROM audit WHERE seq = 5");
      gint64 time5 = jt_raw_int (raw, "SELECT time_us FROM audit WHERE seq = 5");
      g_autofree char *hash = _ea_audit_compute_hash (prev, 5, time5, "user", "test.row", "subject", "{}");
      g_autofree char *sql = g_strdup_printf ("UPDATE audit SET actor = 'user', details = '{}', "
                                              "hash = '%s' WHERE seq = 5", hash);
      jt_raw_exec (raw, sql);
    }
  else if (g_str_equal (t->name, "replaced-last"))
    {
      /* The newest row deleted and a forged row 8 chained to row 7 with a
       * correct hash: the chain is whole, the head file says otherwise. */
      g_autofree char *prev = jt_raw_text (raw, "SELECT hash FROM audit WHERE seq = 7");
      g_autofree char *hash = _ea_audit_compute_hash (prev, 8, 99, "user", "forged", "x", "{}");
      g_autofree char *sql = g_strdup_printf ("DELETE FROM audit WHERE seq = 8;"
                                              "INSERT INTO audit VALUES (8, 99, 'user', 'forged', 'x', "
                                              "'{}', '%s', '%s');", prev, hash);
      jt_raw_exec (raw, sql);
    }
  else if (g_str_equal (t->name, "deleted-last-and-head"))
    {
      g_autofree char *head = _ea_journal_audit_head_path (f->path);

      jt_raw_exec (raw, "DELETE FROM audit WHERE seq = 8");
      g_assert_cmpint (g_unlink (head), ==, 0);
    }
  else
    {
      /* A knowledgeable forger: inserts a row at seq 4 that chains to row 3
       * with a correct hash, renumbering the rows after it. */
      g_autofree char *prev = jt_raw_text (raw, "SELECT hash FROM audit WHERE seq = 3");
      g_autofree char *hash = _ea_audit_compute_hash (prev, 4, 99, "user", "forged", "x", "{}");
      g_autofree char *sql = g_strdup_printf ("UPDATE audit SET seq = seq + 100 WHERE seq >= 4;"
                                              "UPDATE audit SET seq = seq - 99 WHERE seq >= 100;"
                                              "INSERT INTO audit VALUES (4, 99, 'user', 'forged', 'x', "
                                              "'{}', '%s', '%s');", prev, hash);
      jt_raw_exec (raw, sql);
    }
  sqlite3_close (raw);

  report = verify_path (f->path);
  g_test_message ("%s: %s", t->name, report->message);
  g_assert_cmpstr (ea_audit_status_to_string (report->status), ==, ea_audit_status_to_string (t->status));
  g_assert_cmpint (report->broken_seq, ==, t->broken_seq);
  g_assert_nonnull (report->message);
}

static const Tamper tampers[] = {
  { "edited", "UPDATE audit SET details = '{\"n\":500}' WHERE seq = 5", EA_AUDIT_EDITED, 5 },
  { "edited-actor", "UPDATE audit SET actor = 'remote' WHERE seq = 3", EA_AUDIT_EDITED, 3 },
  { "edited-time", "UPDATE audit SET time_us = time_us + 1 WHERE seq = 8", EA_AUDIT_EDITED, 8 },
  { "rehashed", NULL, EA_AUDIT_EDITED, 5 },
  { "deleted", "DELETE FROM audit WHERE seq = 4", EA_AUDIT_DELETED, 4 },
  { "deleted-first", "DELETE FROM audit WHERE seq = 1", EA_AUDIT_DELETED, 1 },
  { "deleted-renumbered", "DELETE FROM audit WHERE seq = 4; UPDATE audit SET seq = seq - 1 WHERE seq > 4",
    EA_AUDIT_DELETED, 4 },
  { "deleted-last", "DELETE FROM audit WHERE seq = 8", EA_AUDIT_DELETED, 8 },
  { "deleted-newest", "DELETE FROM audit WHERE seq >= 6", EA_AUDIT_DELETED, 6 },
  { "deleted-all", "DELETE FROM audit", EA_AUDIT_DELETED, 1 },
  { "replaced-last", NULL, EA_AUDIT_EDITED, 8 },
  { "deleted-last-and-head", NULL, EA_AUDIT_DELETED, 8 },
  { "inserted", NULL, EA_AUDIT_INSERTED, 4 },
  { "inserted-foreign", "INSERT INTO audit VALUES (9, 1, 'user', 'x', 'y', '{}', 'abc', 'def')",
    EA_AUDIT_INSERTED, 9 },
  { "reordered", "UPDATE audit SET seq = 100 WHERE seq = 6; UPDATE audit SET seq = 6 WHERE seq = 7;"
                 "UPDATE audit SET seq = 7 WHERE seq = 100", EA_AUDIT_REORDERED, 6 },
};

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/journal/audit/chain", Fixture, NULL, fixture_setup, test_audit_chain, fixture_teardown);
  g_test_add ("/journal/audit/head-restart", Fixture, NULL, fixture_setup, test_audit_head_restart, fixture_teardown);
  for (guint i = 0; i < G_N_ELEMENTS (tampers); i++)
    {
      g_autofree char *path = g_strdup_printf ("/journal/audit/tamper/%s", tampers[i].name);

      g_test_add (path, Fixture, &tampers[i], fixture_setup, test_audit_tamper, fixture_teardown);
    }

  return g_test_run ();
}
