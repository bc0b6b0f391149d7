/* test-journal-crash.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Crash safety: a child process (this binary, re-executed with
 * --crash-child) journals orders, fills, audit rows and day state in a loop
 * and reports on stdout what the journal acknowledged; the parent kills it
 * with SIGKILL at random points and checks after each kill that the database
 * is intact, the audit chain verifies, nothing acknowledged is missing,
 * nothing is duplicated, the day state is restored and no client order id
 * can be handed out twice.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal-test-utils.h"

#define N_ITERATIONS 30

static char *self_exe;

static void
say (const char *format,
     ...) G_GNUC_PRINTF (1, 2);

static void
say (const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');
  fflush (stdout);
}

static int
run_child (const char *path,
           guint32     seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournal) journal = NULL;
  g_autoptr(EaJournalDayState) state = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GPtrArray) previous = g_ptr_array_new_with_free_func (g_free);
  gint64 account, counter = 0;

  journal = ea_journal_new_sync (path, NULL, &error);
  if (journal == NULL)
    {
      say ("error open: %s", error->message);
      return 2;
    }
  account = jt_ensure_account (journal, "sim", "CRASH-1", &error);
  if (account <= 0)
    {
      say ("error account: %s", error->message);
      return 2;
    }

  state = jt_load_day_state (journal, account, "2026-11-23", &error);
  if (state != NULL)
    counter = state->day_pnl_micros;
  else if (g_error_matches (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_NOT_FOUND))
    {
      g_clear_error (&error);
      state = ea_journal_day_state_new ();
      state->account_id = account;
      state->trading_day = g_strdup ("2026-11-23");
    }
  else
    {
      say ("error day state: %s", error->message);
      return 2;
    }

  for (;;)
    {
      g_autofree char *cid = NULL;
      g_autoptr(GArray) is_new = NULL;
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      g_autofree EaJournalFill *fills = NULL;
      g_autofree char *blob = NULL;
      EaJournalOrder order = { 0, };
      guint n_new = g_rand_int_range (rand, 1, 40);
      guint n;
      gint64 id;

      id = jt_next_client_order_id (journal, &error);
      if (id <= 0)
        break;
      say ("cid %" G_GINT64_FORMAT, id);
      cid = g_strdup_printf ("EA-%" G_GINT64_FORMAT, id);

      order.client_order_id = cid;
      order.account_id = account;
      order.broker = "sim";
      order.symbol = "ESZ6";
      order.root = "ES";
      order.side = EA_SIDE_BUY;
      order.qty = n_new;
      order.order_type = "MARKET";
      order.state = "PENDING_SEND";
      if (jt_record_order (journal, &order, &error) <= 0)
        break;

      /* The new fills, plus a replay of the previous batch. */
      for (guint i = 0; i < n_new; i++)
        g_ptr_array_add (ids, g_strdup_printf ("F-%" G_GINT64_FORMAT "-%u", id, i));
      n = ids->len + previous->len;
      fills = g_new0 (EaJournalFill, n);
      for (guint i = 0; i < n; i++)
        {
          fills[i].broker = "sim";
          fills[i].broker_fill_id = i < ids->len ? ids->pdata[i] : previous->pdata[i - ids->len];
          fills[i].account_id = account;
          fills[i].client_order_id = cid;
          fills[i].symbol = "ESZ6";
          fills[i].root = "ES";
          fills[i].side = EA_SIDE_BUY;
          fills[i].qty = 1;
          fills[i].price_ticks = 24000 + i;
          fills[i].time_us = g_get_real_time ();
        }
      if (jt_insert_fills (journal, fills, n, &is_new, &error) != n_new)
        {
          if (error == NULL)
            say ("error duplicate: a replayed fill was stored again");
          break;
        }
      for (guint i = 0; i < n; i++)
        if (g_array_index (is_new, gboolean, i) != (i < ids->len))
          {
            say ("error fill %u reported %s", i, g_array_index (is_new, gboolean, i) ? "new" : "old");
            return 2;
          }
      for (guint i = 0; i < ids->len; i++)
        say ("fill %s", (const char *) ids->pdata[i]);
      g_ptr_array_set_size (previous, 0);
      for (guint i = 0; i < ids->len; i++)
        g_ptr_array_add (previous, g_strdup (ids->pdata[i]));

      order.state = "FILLED";
      order.terminal = TRUE;
      order.filled_qty = n_new;
      if (jt_record_order (journal, &order, &error) <= 0)
        break;
      if (jt_audit (journal, EA_ACTOR_AUTOMATIC, "test.loop", cid, "{\"ok\":true}", &error) <= 0)
        break;

      counter++;
      blob = g_strdup_printf ("counter=%" G_GINT64_FORMAT, counter);
      state->day_pnl_micros = counter;
      /* Every seventh step locks the account, the next one unlocks it. */
      state->lock_state = counter % 7 == 0 ? EA_TRADING_STATE_LOCKED : EA_TRADING_STATE_ACTIVE;
      state->lock_until_us = counter % 7 == 0 ? counter * 1000 : 0;
      g_clear_pointer (&state->lock_reason, g_free);
      state->lock_reason = counter % 7 == 0 ? g_strdup ("DAILY_LOSS") : NULL;
      g_clear_pointer (&state->risk_state, g_bytes_unref);
      state->risk_state = g_bytes_new (blob, strlen (blob));
      if (!jt_save_day_state (journal, state, &error))
        break;
      say ("day %" G_GINT64_FORMAT, counter);
    }

  say ("error loop: %s", error != NULL ? error->message : "unknown");
  return 2;
}

typedef struct
{
  GHashTable *fills;     /* acknowledged fill ids */
  gint64      max_cid;
  gint64      max_day;
} Acked;

static void
parse_output (const char *out,
              Acked      *acked)
{
  g_auto(GStrv) lines = g_strsplit (out != NULL ? out : "", "\n", -1);

  /* The last line may be cut by the kill: only complete lines count. */
  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    {
      const char *line = lines[i];

      if (g_str_has_prefix (line, "cid "))
        acked->max_cid = MAX (acked->max_cid, g_ascii_strtoll (line + 4, NULL, 10));
      else if (g_str_has_prefix (line, "day "))
        acked->max_day = MAX (acked->max_day, g_ascii_strtoll (line + 4, NULL, 10));
      else if (g_str_has_prefix (line, "fill "))
        g_hash_table_add (acked->fills, g_strdup (line + 5));
      else
        g_error ("child: %s", line);
    }
}

static void
check_database (const char *path,
                Acked      *acked)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournal) journal = NULL;
  g_autoptr(EaAuditReport) report = NULL;
  g_autoptr(EaJournalDayState) state = NULL;
  g_autofree char *integrity = NULL;
  g_autofree char *expected_blob = NULL;
  GHashTableIter iter;
  gpointer key;
  sqlite3_stmt *stmt;
  sqlite3 *raw;
  gint64 account;
  gint64 next;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      /* Killed before the journal was even created. */
      g_assert_cmpuint (g_hash_table_size (acked->fills), ==, 0);
      goto restart;
    }

  raw = jt_raw_open (path);
  integrity = jt_raw_text (raw, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
  if (jt_raw_int (raw, "PRAGMA user_version") == 0)
    {
      /* Killed before the schema was committed: nothing can be missing. */
      g_assert_cmpint (acked->max_cid, ==, 0);
      g_assert_cmpuint (g_hash_table_size (acked->fills), ==, 0);
      sqlite3_close (raw);
      goto restart;
    }
  g_assert_cmpint (jt_raw_int (raw, "PRAGMA user_version"), ==, EA_JOURNAL_SCHEMA_VERSION);
  g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM fills"), ==,
                   jt_raw_int (raw, "SELECT count(*) FROM (SELECT DISTINCT broker, broker_fill_id FROM fills)"));
  g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM orders"), ==,
                   jt_raw_int (raw, "SELECT count(DISTINCT client_order_id) FROM orders"));
  /* Each order has at most its two states, once each, in the history and
   * in the audit trail. */
  g_assert_cmpint (jt_raw_int (raw, "SELECT coalesce (max (c), 0) FROM (SELECT count(*) AS c FROM order_events "
                                    "GROUP BY order_id, state)"), <=, 1);
  g_assert_cmpint (jt_raw_int (raw, "SELECT coalesce (max (c), 0) FROM (SELECT count(*) AS c FROM audit "
                                    "WHERE kind LIKE 'order.%' GROUP BY subject, kind)"), <=, 1);
  g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM audit WHERE kind = 'test.loop'"), ==,
                   jt_raw_int (raw, "SELECT count(DISTINCT subject) FROM audit WHERE kind = 'test.loop'"));

  g_assert_cmpint (sqlite3_prepare_v2 (raw, "SELECT count(*) FROM fills WHERE broker = 'sim' AND broker_fill_id = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_hash_table_iter_init (&iter, acked->fills);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      if (sqlite3_column_int (stmt, 0) != 1)
        g_error ("acknowledged fill %s is missing", (const char *) key);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (raw);

restart:
  journal = ea_journal_new_sync (path, NULL, &error);
  g_assert_no_error (error);
  report = jt_verify (journal, &error);
  g_assert_no_error (error);
  if (report->status != EA_AUDIT_OK)
    g_error ("audit chain broken: %s", report->message);

  account = jt_ensure_account (journal, "sim", "CRASH-1", &error);
  g_assert_no_error (error);
  state = jt_load_day_state (journal, account, NULL, &error);
  if (acked->max_day > 0)
    {
      g_assert_no_error (error);
      g_assert_cmpint (state->day_pnl_micros, >=, acked->max_day);
      expected_blob = g_strdup_printf ("counter=%" G_GINT64_FORMAT, state->day_pnl_micros);
      g_assert_cmpmem (g_bytes_get_data (state->risk_state, NULL), g_bytes_get_size (state->risk_state),
                       expected_blob, strlen (expected_blob));
      if (state->day_pnl_micros % 7 == 0)
        {
          g_assert_cmpint (state->lock_state, ==, EA_TRADING_STATE_LOCKED);
          g_assert_cmpint (state->lock_until_us, ==, state->day_pnl_micros * 1000);
          g_assert_cmpstr (state->lock_reason, ==, "DAILY_LOSS");
        }
      else
        {
          g_assert_cmpint (state->lock_state, ==, EA_TRADING_STATE_ACTIVE);
          g_assert_null (state->lock_reason);
        }
    }
  g_clear_error (&error);

  next = jt_next_client_order_id (journal, &error);
  g_assert_no_error (error);
  g_assert_cmpint (next, >, acked->max_cid);
  acked->max_cid = next;
  ea_journal_close (journal);
}

static void
test_kill_loop (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ea-journal-crash-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "journal.sqlite3", NULL);
  Acked acked = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL), 0, 0 };

  g_assert_no_error (error);

  for (guint it = 0; it < N_ITERATIONS; it++)
    {
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GBytes) out = NULL;
      g_autofree char *seed = g_strdup_printf ("%u", g_test_rand_int ());
      g_autofree char *text = NULL;
      /* Early kills land in the open and the first transactions. */
      gint delay_ms = it < 3 ? g_test_rand_int_range (0, 30) : g_test_rand_int_range (20, 400);
      guint before = g_hash_table_size (acked.fills);

      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                self_exe, "--crash-child", path, seed, NULL);
      g_assert_no_error (error);
      g_usleep (delay_ms * 1000);
      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_communicate (child, NULL, NULL, &out, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (child));
      g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

      text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
      parse_output (text, &acked);
      check_database (path, &acked);
      g_test_message ("iteration %u: killed after %d ms, %u new fills acknowledged, "
                      "day counter %" G_GINT64_FORMAT, it, delay_ms,
                      g_hash_table_size (acked.fills) - before, acked.max_day);
    }

  /* The loop really ran: work was acknowledged and survived. */
  g_assert_cmpuint (g_hash_table_size (acked.fills), >, 100);
  g_assert_cmpint (acked.max_day, >, 5);

  g_hash_table_unref (acked.fills);
  jt_rm_rf (dir);
}

/* Kills during the creation of a journal (the first migration): a fresh
 * file each time. */
static void
test_kill_creation (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ea-journal-crash-XXXXXX", &error);

  g_assert_no_error (error);

  for (guint it = 0; it < 12; it++)
    {
      g_autofree char *name = g_strdup_printf ("journal-%u.sqlite3", it);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GBytes) out = NULL;
      g_autofree char *text = NULL;
      Acked acked = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL), 0, 0 };

      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                self_exe, "--crash-child", path, "1", NULL);
      g_assert_no_error (error);
      g_usleep (g_test_rand_int_range (0, 25) * 1000);
      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_communicate (child, NULL, NULL, &out, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (child));

      text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
      parse_output (text, &acked);
      check_database (path, &acked);
      g_hash_table_unref (acked.fills);
    }

  jt_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--crash-child"))
    return run_child (argv[2], (guint32) g_ascii_strtoull (argv[3], NULL, 10));

  g_test_init (&argc, &argv, NULL);
  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_assert_nonnull (self_exe);

  g_test_add_func ("/journal/crash/kill-loop", test_kill_loop);
  g_test_add_func ("/journal/crash/kill-creation", test_kill_creation);

  return g_test_run ();
}
