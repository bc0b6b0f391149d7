/* bench-journal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Journal throughput on real files in a temporary folder:
 *   journal.fills_insert_per_s   batched fill inserts (10,000 per batch,
 *                                300,000 fills, best of three runs)
 *   journal.open_ms_1m_rows      open (pragmas, migration check, table
 *                                check) of a journal holding 1,000,000 fills
 *   journal.load_ms_100k_trades  loading 100,000 trades as structs (the
 *                                first load after inserting them)
 *   journal.audit_verify_ms_100k verifying a chain of 100,000 audit rows
 */
#include "config.h"

#include <stdio.h>

#include "ea-journal-private.h"
#include "journal-test-utils.h"

#define BATCH 10000

static EaJournalFill *
make_fills (GPtrArray *ids,
            guint      first,
            guint      n)
{
  EaJournalFill *fills = g_new0 (EaJournalFill, n);

  for (guint i = 0; i < n; i++)
    {
      char *id = g_strdup_printf ("FILL-%09u", first + i);

      g_ptr_array_add (ids, id);
      fills[i].broker = "tradovate";
      fills[i].broker_fill_id = id;
      fills[i].client_order_id = "EA-123456";
      fills[i].broker_order_id = "987654321";
      fills[i].symbol = "ESZ6";
      fills[i].root = "ES";
      fills[i].side = (i & 1) ? EA_SIDE_SELL : EA_SIDE_BUY;
      fills[i].qty = 1 + i % 5;
      fills[i].price_ticks = 24000 + i % 97;
      fills[i].fee_micros = 1290000;
      fills[i].time_us = G_GINT64_CONSTANT (1790000000000000) + (gint64) (first + i) * 1000;
    }
  return fills;
}

/* Inserts @n fills; returns the time spent in the journal (µs). */
static gint64
insert_fills (EaJournal *journal,
              guint      first,
              guint      n)
{
  gint64 spent = 0;

  for (guint done = 0; done < n; done += BATCH)
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      g_autofree EaJournalFill *fills = make_fills (ids, first + done, MIN (BATCH, n - done));
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      gint64 n_new = jt_insert_fills (journal, fills, MIN (BATCH, n - done), NULL, &error);

      spent += g_get_monotonic_time () - start;
      g_assert_no_error (error);
      g_assert_cmpint (n_new, ==, MIN (BATCH, n - done));
    }
  return spent;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ea-journal-bench-XXXXXX", &error);
  g_autofree char *fills_path = g_build_filename (dir, "fills.sqlite3", NULL);
  g_autofree char *big_path = g_build_filename (dir, "big.sqlite3", NULL);
  g_autofree char *trades_path = g_build_filename (dir, "trades.sqlite3", NULL);
  g_autofree EaJournalTrade *trades = NULL;
  g_autoptr(GArray) loaded = NULL;
  EaJournal *journal;
  double open_ms[5];
  gint64 spent, start;
  const guint n_fills = 300000;
  double best_rate = 0;

  g_assert_no_error (error);

  /* Insert throughput: the best of three runs, each into a fresh journal
   * (the machine may be busy with other work). */
  for (guint run = 0; run < 3; run++)
    {
      journal = ea_journal_new_sync (fills_path, NULL, &error);
      g_assert_no_error (error);
      spent = insert_fills (journal, 0, n_fills);
      jt_close (journal);
      best_rate = MAX (best_rate, n_fills / (spent / 1e6));
      g_unlink (fills_path);
    }
  printf ("bench: journal.fills_insert_per_s %.0f fills/s\n", best_rate);

  /* Open with a million rows. */
  journal = ea_journal_new_sync (big_path, NULL, &error);
  g_assert_no_error (error);
  insert_fills (journal, 0, 1000000);
  jt_close (journal);
  for (guint i = 0; i < G_N_ELEMENTS (open_ms); i++)
    {
      start = g_get_monotonic_time ();
      journal = ea_journal_new_sync (big_path, NULL, &error);
      open_ms[i] = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_no_error (error);
      jt_close (journal);
    }
  qsort (open_ms, G_N_ELEMENTS (open_ms), sizeof (double), compare_doubles);
  printf ("bench: journal.open_ms_1m_rows %.2f ms\n", open_ms[G_N_ELEMENTS (open_ms) / 2]);

  /* Loading 100,000 trades. */
  trades = g_new0 (EaJournalTrade, 100000);
  for (guint i = 0; i < 100000; i++)
    {
      trades[i].account_id = 0;
      trades[i].symbol = (char *) (i % 3 ? "ESZ6" : "NQZ6");
      trades[i].root = (char *) (i % 3 ? "ES" : "NQ");
      trades[i].side = (i & 1) ? EA_SIDE_SELL : EA_SIDE_BUY;
      trades[i].qty = 1 + i % 3;
      trades[i].entry_time_us = G_GINT64_CONSTANT (1790000000000000) + (gint64) i * 60000000;
      trades[i].exit_time_us = trades[i].entry_time_us + 30000000;
      trades[i].entry_ticks = 24000 + i % 50;
      trades[i].exit_ticks = 24000 + (i * 7) % 50;
      trades[i].pnl_micros = ((gint64) (i % 41) - 20) * 12500000;
      trades[i].fees_micros = 2580000;
      trades[i].mae_ticks = i % 9;
      trades[i].mfe_ticks = i % 13;
      trades[i].tags = (char *) (i % 10 ? NULL : "breakout");
    }
  journal = ea_journal_new_sync (trades_path, NULL, &error);
  g_assert_no_error (error);
  jt_insert_trades (journal, trades, 100000, &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  loaded = jt_load_trades (journal, 0, 0, G_MAXINT64, &error);
  spent = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 100000);
  printf ("bench: journal.load_ms_100k_trades %.2f ms\n", spent / 1000.0);
  jt_close (journal);

  /* Verifying 100,000 audit rows, written here in one transaction. */
  {
    g_autofree char *audit_path = g_build_filename (dir, "audit.sqlite3", NULL);
    g_autofree char *prev = g_strdup (EA_AUDIT_GENESIS_HASH);
    g_autoptr(EaAuditReport) report = NULL;
    sqlite3_stmt *stmt;
    sqlite3 *raw;

    journal = ea_journal_new_sync (audit_path, NULL, &error);
    g_assert_no_error (error);
    ea_journal_close (journal);
    g_clear_object (&journal);

    raw = jt_raw_open (audit_path);
    jt_raw_exec (raw, "BEGIN");
    g_assert_cmpint (sqlite3_prepare_v2 (raw, "INSERT INTO audit VALUES (?, ?, 'automatic', "
                                         "'order.WORKING', ?, ?, ?, ?)", -1, &stmt, NULL), ==, SQLITE_OK);
    for (gint64 seq = 1; seq <= 100000; seq++)
      {
        g_autofree char *subject = g_strdup_printf ("EA-%" G_GINT64_FORMAT, seq);
        g_autofree char *details = g_strdup_printf ("{\"symbol\":\"ESZ6\",\"side\":1,\"qty\":%d,"
                                                    "\"filled_qty\":0,\"account_id\":1}",
                                                    (int) (seq % 5) + 1);
        char *hash = _ea_audit_compute_hash (prev, seq, seq * 1000, "automatic", "order.WORKING",
                                             subject, details);

        sqlite3_bind_int64 (stmt, 1, seq);
        sqlite3_bind_int64 (stmt, 2, seq * 1000);
        sqlite3_bind_text (stmt, 3, subject, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 4, details, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 5, prev, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 6, hash, -1, SQLITE_STATIC);
        g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
        sqlite3_reset (stmt);
        g_free (prev);
        prev = hash;
      }
    sqlite3_finalize (stmt);
    jt_raw_exec (raw, "COMMIT");
    sqlite3_close (raw);

    journal = ea_journal_new_sync (audit_path, NULL, &error);
    g_assert_no_error (error);
    start = g_get_monotonic_time ();
    report = jt_verify (journal, &error);
    spent = g_get_monotonic_time () - start;
    g_assert_no_error (error);
    g_assert_cmpint (report->status, ==, EA_AUDIT_OK);
    g_assert_cmpint (report->n_rows, ==, 100000);
    printf ("bench: journal.audit_verify_ms_100k %.2f ms\n", spent / 1000.0);
    jt_close (journal);
  }

  jt_rm_rf (dir);
  return 0;
}
