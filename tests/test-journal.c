/* test-journal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaJournal against real database files in a temporary folder.
 */
#include "config.h"

#include <grp.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ea-journal-private.h"
#include "journal-test-utils.h"

static EaJournalFill
make_fill (const char *broker,
           const char *fill_id,
           EaTicks     price)
{
  EaJournalFill fill = {
    .broker = broker,
    .broker_fill_id = fill_id,
    .client_order_id = "EA-1",
    .symbol = "ESZ6",
    .root = "ES",
    .side = EA_SIDE_BUY,
    .qty = 1,
    .price_ticks = price,
    .fee_micros = EA_MICROS (2),
    .time_us = G_GINT64_CONSTANT (1790000000000000),
  };

  return fill;
}

static GBytes *
read_bytes (const char *path)
{
  char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_bytes_new_take (contents, len);
}

static void
test_create (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *nested = g_build_filename (f->dir, "data", "enigma-apex", "journal.sqlite3", NULL);
  g_autofree char *folder = g_path_get_dirname (nested);
  g_autoptr(EaJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  EaJournalFill orphan = make_fill ("sim", "F1", 100);
  g_autofree char *mode = NULL;
  struct stat st;
  sqlite3 *raw;

  journal = ea_journal_new_sync (nested, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ea_journal_get_writable (journal));
  g_assert_cmpstr (ea_journal_get_path (journal), ==, nested);

  g_assert_cmpint (g_stat (nested, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* foreign_keys is on: a fill of an unknown account is refused. */
  orphan.account_id = 42;
  g_assert_cmpint (jt_insert_fills (journal, &orphan, 1, NULL, &error), ==, -1);
  g_assert_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (ea_journal_get_writable (journal));

  raw = jt_raw_open (nested);
  g_assert_cmpint (jt_raw_int (raw, "PRAGMA user_version"), ==, EA_JOURNAL_SCHEMA_VERSION);
  g_assert_cmpint (jt_raw_int (raw, "PRAGMA application_id"), ==, EA_JOURNAL_APPLICATION_ID);
  mode = jt_raw_text (raw, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM fills"), ==, 0);
  sqlite3_close (raw);

  /* The default path follows XDG. */
  {
    g_autofree char *def = ea_journal_default_path ();
    g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "enigma-apex",
                                                  "journal.sqlite3", NULL);
    g_assert_cmpstr (def, ==, expected);
  }
}

/* Builds a database of @version from the historical steps, with a little
 * data of that version in it. */
static void
create_old_journal (const char *path,
                    guint       version)
{
  g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %u", version);
  g_autofree char *hash = NULL;
  g_autofree char *insert_audit = NULL;
  sqlite3 *raw = jt_raw_open (path);

  for (guint v = 1; v <= version; v++)
    jt_raw_exec (raw, _ea_journal_schema_step (v));
  jt_raw_exec (raw, set_version);

  if (version >= 1)
    {
      jt_raw_exec (raw,
                   "INSERT INTO accounts (id, broker, broker_account_id, mode, created_us) "
                   "VALUES (1, 'sim', 'DEMO-1', 'demo', 1);"
                   "INSERT INTO fills (broker, broker_fill_id, account_id, symbol, root, side, qty, "
                   "  price_ticks, time_us) VALUES ('sim', 'OLD-1', 1, 'ESZ6', 'ES', 1, 2, 24000, 5);"
                   "INSERT INTO trades (account_id, symbol, root, side, qty, entry_time_us, exit_time_us, "
                   "  entry_ticks, exit_ticks, pnl_micros, duration_us) "
                   "VALUES (1, 'ESZ6', 'ES', 1, 2, 100, 200, 24000, 24008, 100000000, 100);"
                   "UPDATE counters SET value = 41 WHERE name = 'client_order_id';");
      hash = _ea_audit_compute_hash (EA_AUDIT_GENESIS_HASH, 1, 7, "user", "mode.change", "demo", "{}");
      insert_audit = g_strdup_printf ("INSERT INTO audit VALUES (1, 7, 'user', 'mode.change', 'demo', "
                                      "'{}', '%s', '%s')", EA_AUDIT_GENESIS_HASH, hash);
      jt_raw_exec (raw, insert_audit);
    }
  sqlite3_close (raw);
}

static void
test_migrations (Fixture       *f,
                 gconstpointer  data)
{
  g_assert_cmpuint (_ea_journal_schema_n_steps (), ==, EA_JOURNAL_SCHEMA_VERSION);
  g_assert_cmpuint (EA_JOURNAL_SCHEMA_VERSION, >=, 2);

  for (guint version = 0; version < EA_JOURNAL_SCHEMA_VERSION; version++)
    {
      g_autoptr(EaJournal) journal = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) trades = NULL;
      g_autoptr(EaAuditReport) report = NULL;
      EaJournalFill replay = make_fill ("sim", "OLD-1", 24000);
      EaJournalSignal signal = { .symbol = "ESZ6", .root = "ES", .side = EA_SIDE_BUY, .source = "erm" };
      EaJournalTrade trade = { .symbol = (char *) "ESZ6", .root = (char *) "ES", .side = EA_SIDE_SELL, .qty = 1,
                               .entry_time_us = 300, .exit_time_us = 400 };
      gint64 signal_id = 0;
      sqlite3 *raw;

      g_test_message ("from version %u", version);
      g_unlink (f->path);
      if (version > 0)
        create_old_journal (f->path, version);

      journal = ea_journal_new_sync (f->path, NULL, &error);
      g_assert_no_error (error);

      raw = jt_raw_open (f->path);
      g_assert_cmpint (jt_raw_int (raw, "PRAGMA user_version"), ==, EA_JOURNAL_SCHEMA_VERSION);
      /* v3's indexes and v2's column exist. */
      g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM sqlite_schema WHERE name = 'trades_by_exit'"), ==, 1);
      g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM pragma_table_info('trades') WHERE name = 'signal_id'"), ==, 1);
      sqlite3_close (raw);

      /* Data of the old version survived. */
      replay.account_id = version > 0 ? 1 : 0;
      g_assert_cmpint (jt_insert_fills (journal, &replay, 1, NULL, &error), ==, version > 0 ? 0 : 1);
      g_assert_no_error (error);
      g_assert_cmpint (jt_next_client_order_id (journal, &error), ==, version > 0 ? 42 : 1);

      trades = jt_load_trades (journal, 0, 0, G_MAXINT64, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (trades->len, ==, version > 0 ? 1 : 0);
      if (version > 0)
        {
          EaJournalTrade *t = &g_array_index (trades, EaJournalTrade, 0);

          g_assert_cmpint (t->pnl_micros, ==, EA_MICROS (100));
          g_assert_cmpint (t->signal_id, ==, 0);
          g_assert_cmpint (t->exit_ticks - t->entry_ticks, ==, 8);
        }

      /* The version 2 tables work. */
      JT_CALL (signal_id = ea_journal_record_signal_finish (journal, r, &error),
               ea_journal_record_signal_async (journal, &signal, NULL, jt_store_cb, &r));
      g_assert_no_error (error);
      g_assert_cmpint (signal_id, >, 0);
      trade.signal_id = signal_id;
      g_assert_cmpint (jt_insert_trades (journal, &trade, 1, &error), >, 0);
      g_assert_no_error (error);

      report = jt_verify (journal, &error);
      g_assert_no_error (error);
      g_assert_cmpint (report->status, ==, EA_AUDIT_OK);
      g_assert_cmpint (report->n_rows, ==, version > 0 ? 1 : 0);
    }
}

/* A migration step that fails leaves the journal as it was. */
static void
test_failed_migration (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournal) journal = NULL;
  sqlite3 *raw;

  create_old_journal (f->path, 1);
  /* Someone created a table that version 2 also creates. */
  raw = jt_raw_open (f->path);
  jt_raw_exec (raw, "CREATE TABLE signals (x)");
  sqlite3_close (raw);

  journal = ea_journal_new_sync (f->path, NULL, &error);
  g_assert_null (journal);
  g_assert_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Schema step 2"));

  raw = jt_raw_open (f->path);
  g_assert_cmpint (jt_raw_int (raw, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM sqlite_schema WHERE name = 'erm_alerts'"), ==, 0);
  g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM fills"), ==, 1);
  sqlite3_close (raw);
}

static void
test_too_new (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  EaJournal *journal;
  sqlite3 *raw;

  journal = ea_journal_new_sync (f->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (jt_audit (journal, EA_ACTOR_USER, "app.start", NULL, NULL, &error), ==, 1);
  jt_close (journal);

  raw = jt_raw_open (f->path);
  jt_raw_exec (raw, "PRAGMA user_version = 999");
  sqlite3_close (raw);

  before = read_bytes (f->path);
  journal = ea_journal_new_sync (f->path, NULL, &error);
  g_assert_null (journal);
  g_assert_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_assert_nonnull (strstr (error->message, "999"));
  after = read_bytes (f->path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_bad_files (Fixture       *f,
                gconstpointer  data)
{
  static const char garbage[] = "this is not a database, just some text that is long enough "
                                "to be read as a header by SQLite......................";
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(EaJournal) journal = NULL;
  sqlite3 *raw;

  g_assert_true (g_file_set_contents (f->path, garbage, sizeof garbage, NULL));
  journal = ea_journal_new_sync (f->path, NULL, &error);
  g_assert_null (journal);
  g_assert_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_CORRUPT);
  after = read_bytes (f->path);
  g_assert_cmpmem (g_bytes_get_data (after, NULL), g_bytes_get_size (after), garbage, sizeof garbage);
  g_clear_error (&error);

  /* Another application's database. */
  g_unlink (f->path);
  raw = jt_raw_open (f->path);
  jt_raw_exec (raw, "PRAGMA application_id = 7; PRAGMA user_version = 1; CREATE TABLE t (x)");
  sqlite3_close (raw);
  journal = ea_journal_new_sync (f->path, NULL, &error);
  g_assert_null (journal);
  g_assert_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_NOT_JOURNAL);
}

static void
test_fills_unique (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(EaJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) is_new = NULL;
  EaJournalFill first[] = {
    make_fill ("sim", "F1", 100), make_fill ("sim", "F2", 101), make_fill ("sim", "F3", 102),
  };
  /* A reconciliation replays F2 and F3, brings F4, repeats F4 in the same
   * batch, and another broker happens to use the id F1. */
  EaJournalFill replay[] = {
    make_fill ("sim", "F2", 101), make_fill ("sim", "F4", 103), make_fill ("sim", "F3", 102),
    make_fill ("sim", "F4", 103), make_fill ("tradovate", "F1", 100),
  };
  const gboolean expected[] = { FALSE, TRUE, FALSE, FALSE, TRUE };
  sqlite3 *raw;

  journal = ea_journal_new_sync (f->path, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (jt_insert_fills (journal, first, G_N_ELEMENTS (first), NULL, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpint (jt_insert_fills (journal, replay, G_N_ELEMENTS (replay), &is_new, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpuint (is_new->len, ==, G_N_ELEMENTS (replay));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (g_array_index (is_new, gboolean, i), ==, expected[i]);

  /* Bad input leaves nothing behind. */
  replay[0].broker_fill_id = "F9";
  replay[1].broker = NULL;
  g_assert_cmpint (jt_insert_fills (journal, replay, 2, NULL, &error), ==, -1);
  g_assert_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID);
  g_clear_error (&error);
  replay[1].broker = "sim";
  replay[1].side = 0;
  g_assert_cmpint (jt_insert_fills (journal, replay, 2, NULL, &error), ==, -1);
  g_assert_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID);
  g_clear_error (&error);

  raw = jt_raw_open (f->path);
  g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM fills"), ==, 5);
  g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM fills WHERE broker_fill_id = 'F9'"), ==, 0);
  g_assert_cmpint (jt_raw_int (raw, "SELECT sum(price_ticks) FROM fills"), ==, 100 + 101 + 102 + 103 + 100);
  {
    g_autofree char *time = jt_raw_text (raw, "SELECT time FROM fills_human LIMIT 1");
    g_autofree char *fee = jt_raw_text (raw, "SELECT printf ('%.2f', fee) FROM fills_human LIMIT 1");

    /* 1790000000 s after the epoch. */
    g_assert_cmpstr (time, ==, "2026-09-21T14:13:20.000Z");
    g_assert_cmpstr (fee, ==, "2.00");
  }
  sqlite3_close (raw);
}

static void
test_day_state (Fixture       *f,
                gconstpointer  data)
{
  static const guint8 blob[] = { 0x00, 0xff, 0x10, 0x00, 0x7f, 'E', 'A' };
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournalDayState) state = ea_journal_day_state_new ();
  g_autoptr(EaJournalDayState) loaded = NULL;
  g_autoptr(EaJournalDayState) latest = NULL;
  EaJournal *journal;
  gint64 account;

  journal = ea_journal_new_sync (f->path, NULL, &error);
  g_assert_no_error (error);
  account = jt_ensure_account (journal, "sim", "DEMO-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (jt_ensure_account (journal, "sim", "DEMO-1", &error), ==, account);

  state->account_id = account;
  state->trading_day = g_strdup ("2026-11-23");
  state->start_balance_micros = EA_MICROS (50000);
  state->peak_equity_micros = EA_MICROS (50750);
  state->floor_micros = EA_MICROS (48250);
  state->day_pnl_micros = -EA_MICROS (1234) - 560000;
  state->lock_state = EA_TRADING_STATE_LOCKED;
  state->lock_until_us = G_GINT64_CONSTANT (1795993200000000);
  state->lock_reason = g_strdup ("DAILY_LOSS");
  state->risk_state = g_bytes_new_static (blob, sizeof blob);
  g_assert_true (jt_save_day_state (journal, state, &error));
  g_assert_no_error (error);

  /* The next day, unlocked, without an engine record. */
  g_free (state->trading_day);
  state->trading_day = g_strdup ("2026-11-24");
  state->lock_state = EA_TRADING_STATE_ACTIVE;
  state->lock_until_us = 0;
  g_clear_pointer (&state->lock_reason, g_free);
  g_clear_pointer (&state->risk_state, g_bytes_unref);
  g_assert_true (jt_save_day_state (journal, state, &error));
  jt_close (journal);

  /* Restored after a restart. */
  journal = ea_journal_new_sync (f->path, NULL, &error);
  g_assert_no_error (error);
  loaded = jt_load_day_state (journal, account, "2026-11-23", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->trading_day, ==, "2026-11-23");
  g_assert_cmpint (loaded->start_balance_micros, ==, 50000000000);
  g_assert_cmpint (loaded->peak_equity_micros, ==, 50750000000);
  g_assert_cmpint (loaded->floor_micros, ==, 48250000000);
  g_assert_cmpint (loaded->day_pnl_micros, ==, -1234560000);
  g_assert_cmpint (loaded->lock_state, ==, EA_TRADING_STATE_LOCKED);
  g_assert_cmpint (loaded->lock_until_us, ==, G_GINT64_CONSTANT (1795993200000000));
  g_assert_cmpstr (loaded->lock_reason, ==, "DAILY_LOSS");
  g_assert_nonnull (loaded->risk_state);
  g_assert_cmpmem (g_bytes_get_data (loaded->risk_state, NULL), g_bytes_get_size (loaded->risk_state),
                   blob, sizeof blob);

  latest = jt_load_day_state (journal, account, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (latest->trading_day, ==, "2026-11-24");
  g_assert_cmpint (latest->lock_state, ==, EA_TRADING_STATE_ACTIVE);
  g_assert_null (latest->risk_state);
  g_assert_null (latest->lock_reason);

  g_assert_null (jt_load_day_state (journal, account, "2026-11-20", &error));
  g_assert_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_free (state->trading_day);
  state->trading_day = g_strdup ("23/11/2026");
  g_assert_false (jt_save_day_state (journal, state, &error));
  g_assert_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID);
  jt_close (journal);
}


static void
test_client_ids (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *results[20] = { NULL, };
  gint64 ids[20];
  EaJournal *journal;

  journal = ea_journal_new_sync (f->path, NULL, &error);
  g_assert_no_error (error);
  for (gint64 i = 1; i <= 3; i++)
    g_assert_cmpint (jt_next_client_order_id (journal, &error), ==, i);

  /* Many in flight at once: still unique and in call order. */
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    ea_journal_next_client_order_id_async (journal, NULL, jt_store_cb, &results[i]);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      ids[i] = ea_journal_next_client_order_id_finish (journal, jt_wait (&results[i]), &error);
      g_assert_no_error (error);
      g_assert_cmpint (ids[i], ==, 4 + i);
      g_object_unref (results[i]);
    }
  jt_close (journal);

  journal = ea_journal_new_sync (f->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (jt_next_client_order_id (journal, &error), ==, 24);

  /* Closing runs what was queued first. */
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    results[i] = NULL;
  for (guint i = 0; i < 5; i++)
    ea_journal_next_client_order_id_async (journal, NULL, jt_store_cb, &results[i]);
  ea_journal_close (journal);
  g_assert_false (ea_journal_get_writable (journal));
  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpint (ea_journal_next_client_order_id_finish (journal, jt_wait (&results[i]), &error), ==, 25 + i);
      g_object_unref (results[i]);
    }
  /* Calls after closing fail cleanly. */
  g_assert_cmpint (jt_next_client_order_id (journal, &error), ==, -1);
  g_assert_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_FAILED);
  g_clear_error (&error);
  g_object_unref (journal);

  journal = ea_journal_new_sync (f->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (jt_next_client_order_id (journal, &error), ==, 30);
  jt_close (journal);
}

static void
test_orders (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournal) journal = NULL;
  g_autoptr(EaAuditReport) report = NULL;
  g_autofree char *state = NULL;
  g_autofree char *broker_id = NULL;
  g_autofree char *kinds = NULL;
  g_autoptr(GPtrArray) open_orders = NULL;
  EaJournalOrder order = {
    .client_order_id = "EA-7", .broker = "sim", .symbol = "MNQZ6", .root = "MNQ",
    .side = EA_SIDE_SELL, .qty = 3, .order_type = "LIMIT", .limit_ticks = 84000,
    .state = "PENDING_SEND", .time_us = 1000,
  };
  gint64 id;
  sqlite3 *raw;

  journal = ea_journal_new_sync (f->path, NULL, &error);
  g_assert_no_error (error);
  id = jt_record_order (journal, &order, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  order.state = "WORKING";
  order.broker_order_id = "B-99";
  order.time_us = 2000;
  g_assert_cmpint (jt_record_order (journal, &order, &error), ==, id);

  /* Another order, rejected at once: never open. */
  {
    EaJournalOrder rejected = order;

    rejected.client_order_id = "EA-8";
    rejected.broker_order_id = NULL;
    rejected.state = "REJECTED";
    rejected.terminal = TRUE;
    rejected.reason = "MAX_CONTRACTS";
    g_assert_cmpint (jt_record_order (journal, &rejected, &error), >, id);
  }

  JT_CALL (open_orders = ea_journal_load_open_orders_finish (journal, r, &error),
           ea_journal_load_open_orders_async (journal, 0, NULL, jt_store_cb, &r));
  g_assert_no_error (error);
  g_assert_cmpuint (open_orders->len, ==, 1);
  {
    const EaJournalOrder *o = g_ptr_array_index (open_orders, 0);

    g_assert_cmpstr (o->client_order_id, ==, "EA-7");
    g_assert_cmpstr (o->state, ==, "WORKING");
    g_assert_cmpstr (o->broker_order_id, ==, "B-99");
    g_assert_cmpstr (o->symbol, ==, "MNQZ6");
    g_assert_cmpstr (o->root, ==, "MNQ");
    g_assert_cmpstr (o->order_type, ==, "LIMIT");
    g_assert_null (o->reason);
    g_assert_cmpint (o->side, ==, EA_SIDE_SELL);
    g_assert_cmpint (o->qty, ==, 3);
    g_assert_cmpint (o->limit_ticks, ==, 84000);
    g_assert_cmpint (o->stop_ticks, ==, 0);
    g_assert_cmpint (o->time_us, ==, 2000);
    g_assert_false (o->terminal);
  }
  g_clear_pointer (&open_orders, g_ptr_array_unref);
  order.state = "FILLED";
  order.broker_order_id = NULL;  /* unknown here: the stored one is kept */
  order.filled_qty = 3;
  order.avg_fill_ticks = 84001;
  order.terminal = TRUE;
  order.time_us = 3000;
  g_assert_cmpint (jt_record_order (journal, &order, &error), ==, id);

  order.side = 0;
  g_assert_cmpint (jt_record_order (journal, &order, &error), ==, -1);
  g_assert_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID);
  g_clear_error (&error);

  raw = jt_raw_open (f->path);
  state = jt_raw_text (raw, "SELECT state FROM orders WHERE client_order_id = 'EA-7'");
  g_assert_cmpstr (state, ==, "FILLED");
  g_assert_cmpint (jt_raw_int (raw, "SELECT id FROM orders WHERE client_order_id = 'EA-7'"), ==, 1);
  broker_id = jt_raw_text (raw, "SELECT broker_order_id FROM orders WHERE id = 1");
  g_assert_cmpstr (broker_id, ==, "B-99");
  g_assert_cmpint (jt_raw_int (raw, "SELECT terminal + filled_qty * 10 FROM orders WHERE id = 1"), ==, 31);
  g_assert_cmpint (jt_raw_int (raw, "SELECT created_us * 10 + updated_us FROM orders WHERE id = 1"), ==, 13000);
  g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM order_events WHERE order_id = 1"), ==, 3);
  kinds = jt_raw_text (raw, "SELECT group_concat (kind, ',') FROM (SELECT kind FROM audit ORDER BY seq)");
  g_assert_cmpstr (kinds, ==, "order.PENDING_SEND,order.WORKING,order.REJECTED,order.FILLED");
  sqlite3_close (raw);

  report = jt_verify (journal, &error);
  g_assert_cmpint (report->status, ==, EA_AUDIT_OK);
  g_assert_cmpint (report->n_rows, ==, 4);
}

static void
test_trades_and_bars (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournal) journal = NULL;
  g_autoptr(GArray) trades = NULL;
  g_autoptr(GArray) bars = NULL;
  EaJournalTrade in[3] = {
    { .symbol = (char *) "ESZ6", .root = (char *) "ES", .side = EA_SIDE_BUY, .qty = 2, .entry_time_us = 10,
      .exit_time_us = 70, .entry_ticks = 24000, .exit_ticks = 24010, .pnl_micros = EA_MICROS (245),
      .fees_micros = EA_MICROS (5), .mae_ticks = 3, .mfe_ticks = 12, .tags = (char *) "breakout,a+" },
    { .symbol = (char *) "NQZ6", .root = (char *) "NQ", .side = EA_SIDE_SELL, .qty = 1, .entry_time_us = 20,
      .exit_time_us = 200, .entry_ticks = 84000, .exit_ticks = 84020, .pnl_micros = -EA_MICROS (102) },
    { .symbol = (char *) "ESZ6", .root = (char *) "ES", .side = EA_SIDE_SELL, .qty = 1, .entry_time_us = 5,
      .exit_time_us = 50, .entry_ticks = 24000, .exit_ticks = 23996, .pnl_micros = EA_MICROS (48),
      .notes = (char *) "early" },
  };
  EaJournalBar bar_in[3] = {
    { "ESZ6", "ES", 60, 0, 100, 105, 99, 104, 10 },
    { "ESZ6", "ES", 60, 60000000, 104, 110, 103, 108, 20 },
    { "ESZ6", "ES", 300, 0, 100, 110, 99, 108, 30 },
  };
  gint64 first;
  gboolean ok;

  journal = ea_journal_new_sync (f->path, NULL, &error);
  g_assert_no_error (error);
  first = jt_insert_trades (journal, in, 3, &error);
  g_assert_no_error (error);

  trades = jt_load_trades (journal, 0, 50, 201, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (trades->len, ==, 3);
  /* Ordered by exit time: 50, 70, 200. */
  g_assert_cmpint (g_array_index (trades, EaJournalTrade, 0).id, ==, first + 2);
  g_assert_cmpstr (g_array_index (trades, EaJournalTrade, 0).notes, ==, "early");
  g_assert_cmpstr (g_array_index (trades, EaJournalTrade, 1).tags, ==, "breakout,a+");
  g_assert_cmpint (g_array_index (trades, EaJournalTrade, 1).mfe_ticks, ==, 12);
  g_assert_cmpint (g_array_index (trades, EaJournalTrade, 2).side, ==, EA_SIDE_SELL);
  g_assert_cmpint (g_array_index (trades, EaJournalTrade, 2).pnl_micros, ==, -102000000);
  g_clear_pointer (&trades, g_array_unref);

  trades = jt_load_trades (journal, 0, 51, 200, &error);
  g_assert_cmpuint (trades->len, ==, 1);
  g_clear_pointer (&trades, g_array_unref);

  JT_CALL (ok = ea_journal_update_trade_notes_finish (journal, r, &error),
           ea_journal_update_trade_notes_async (journal, first, "revenge", "too big", NULL, jt_store_cb, &r));
  g_assert_true (ok);
  JT_CALL (ok = ea_journal_update_trade_notes_finish (journal, r, &error),
           ea_journal_update_trade_notes_async (journal, 9999, NULL, NULL, NULL, jt_store_cb, &r));
  g_assert_false (ok);
  g_assert_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  trades = jt_load_trades (journal, 0, 70, 71, &error);
  g_assert_cmpstr (g_array_index (trades, EaJournalTrade, 0).notes, ==, "too big");
  g_assert_cmpstr (g_array_index (trades, EaJournalTrade, 0).tags, ==, "revenge");

  JT_CALL (ok = ea_journal_upsert_bars_finish (journal, r, &error),
           ea_journal_upsert_bars_async (journal, bar_in, 3, NULL, jt_store_cb, &r));
  g_assert_true (ok);
  /* The forming bar is updated in place. */
  bar_in[1].high_ticks = 112;
  bar_in[1].close_ticks = 111;
  bar_in[1].volume = 25;
  JT_CALL (ok = ea_journal_upsert_bars_finish (journal, r, &error),
           ea_journal_upsert_bars_async (journal, &bar_in[1], 1, NULL, jt_store_cb, &r));
  g_assert_true (ok);
  JT_CALL (bars = ea_journal_load_bars_finish (journal, r, &error),
           ea_journal_load_bars_async (journal, "ESZ6", 60, 0, G_MAXINT64, NULL, jt_store_cb, &r));
  g_assert_no_error (error);
  g_assert_cmpuint (bars->len, ==, 2);
  g_assert_cmpint (g_array_index (bars, EaJournalBar, 0).close_ticks, ==, 104);
  g_assert_cmpint (g_array_index (bars, EaJournalBar, 1).high_ticks, ==, 112);
  g_assert_cmpint (g_array_index (bars, EaJournalBar, 1).volume, ==, 25);
}

static void
test_risk_settings_profiles (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournal) journal = NULL;
  g_autoptr(GHashTable) profiles = NULL;
  g_autoptr(EaAuditReport) report = NULL;
  g_autofree char *kinds = NULL;
  g_autofree char *details = NULL;
  gint64 id, account;
  gboolean ok;
  sqlite3 *raw;

  journal = ea_journal_new_sync (f->path, NULL, &error);
  g_assert_no_error (error);
  account = jt_ensure_account (journal, "sim", "DEMO-1", &error);

  JT_CALL (id = ea_journal_record_risk_event_finish (journal, r, &error),
           ea_journal_record_risk_event_async (journal, account, EA_JOURNAL_RISK_DENIAL, "DAILY_LOSS",
                                               "{\"loss\":950000000,\"limit\":1000000000}",
                                               EA_ACTOR_AUTOMATIC, NULL, jt_store_cb, &r));
  g_assert_no_error (error);
  g_assert_cmpint (id, ==, 1);
  JT_CALL (id = ea_journal_record_risk_event_finish (journal, r, &error),
           ea_journal_record_risk_event_async (journal, 0, EA_JOURNAL_RISK_WARNING, "x", "{oops",
                                               EA_ACTOR_AUTOMATIC, NULL, jt_store_cb, &r));
  g_assert_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID);
  g_clear_error (&error);

  JT_CALL (ok = ea_journal_record_setting_finish (journal, r, &error),
           ea_journal_record_setting_async (journal, "safety-factor", "80", "70 \"tight\"",
                                            EA_ACTOR_USER, NULL, jt_store_cb, &r));
  g_assert_true (ok);
  JT_CALL (ok = ea_journal_save_profile_finish (journal, r, &error),
           ea_journal_save_profile_async (journal, "My 50K", "{\"daily_loss\":1000}", EA_ACTOR_USER,
                                          NULL, jt_store_cb, &r));
  g_assert_true (ok);
  JT_CALL (ok = ea_journal_save_profile_finish (journal, r, &error),
           ea_journal_save_profile_async (journal, "My 50K", "{\"daily_loss\":900}", EA_ACTOR_USER,
                                          NULL, jt_store_cb, &r));
  g_assert_true (ok);
  JT_CALL (ok = ea_journal_save_profile_finish (journal, r, &error),
           ea_journal_save_profile_async (journal, "Other", "{}", EA_ACTOR_USER, NULL, jt_store_cb, &r));
  JT_CALL (ok = ea_journal_save_profile_finish (journal, r, &error),
           ea_journal_save_profile_async (journal, "Other", NULL, EA_ACTOR_USER, NULL, jt_store_cb, &r));
  g_assert_true (ok);
  JT_CALL (profiles = ea_journal_load_profiles_finish (journal, r, &error),
           ea_journal_load_profiles_async (journal, NULL, jt_store_cb, &r));
  g_assert_cmpuint (g_hash_table_size (profiles), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (profiles, "My 50K"), ==, "{\"daily_loss\":900}");

  JT_CALL (id = ea_journal_record_erm_alert_finish (journal, r, &error),
           ea_journal_record_erm_alert_async (journal, 5, "ESZ6", "ES", "high", "reversal", NULL,
                                              NULL, jt_store_cb, &r));
  g_assert_cmpint (id, ==, 1);

  raw = jt_raw_open (f->path);
  kinds = jt_raw_text (raw, "SELECT group_concat (kind, ',') FROM (SELECT kind FROM audit ORDER BY seq)");
  g_assert_cmpstr (kinds, ==, "risk.denial,setting.change,profile.save,profile.save,profile.save,profile.delete");
  details = jt_raw_text (raw, "SELECT details FROM audit WHERE kind = 'setting.change'");
  g_assert_cmpstr (details, ==, "{\"old\":\"80\",\"new\":\"70 \\\"tight\\\"\"}");
  g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM risk_events"), ==, 1);
  g_assert_cmpint (jt_raw_int (raw, "SELECT json_extract (details, '$.loss') FROM risk_events"), ==, 950000000);
  sqlite3_close (raw);

  report = jt_verify (journal, &error);
  g_assert_cmpint (report->status, ==, EA_AUDIT_OK);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournal) journal = NULL;
  g_autofree EaJournalFill *fills = g_new0 (EaJournalFill, 5000);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(EaAuditReport) report = NULL;
  guint notified = 0;
  gboolean ok;

  journal = ea_journal_new_sync (f->path, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (journal, "notify::writable", G_CALLBACK (count_notify_cb), &notified);

  for (guint i = 0; i < 5000; i++)
    {
      g_ptr_array_add (ids, g_strdup_printf ("FULL-%u", i));
      fills[i] = make_fill ("sim", ids->pdata[i], i);
    }

  /* The smallest limit SQLite accepts is the current size. */
  JT_CALL (ok = _ea_journal_set_max_page_count_finish (journal, r, &error),
           _ea_journal_set_max_page_count_async (journal, 1, jt_store_cb, &r));
  g_assert_true (ok);
  g_assert_cmpint (jt_insert_fills (journal, fills, 5000, NULL, &error), ==, -1);
  g_assert_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_DISK_FULL);
  g_clear_error (&error);
  g_assert_false (ea_journal_get_writable (journal));
  /* Reads still work. */
  report = jt_verify (journal, &error);
  g_assert_cmpint (report->status, ==, EA_AUDIT_OK);
  JT_CALL (ok = ea_journal_flush_finish (journal, r, &error), ea_journal_flush_async (journal, NULL, jt_store_cb, &r));
  g_assert_cmpuint (notified, ==, 1);

  /* Space again: the next write succeeds and the journal is writable. */
  JT_CALL (ok = _ea_journal_set_max_page_count_finish (journal, r, &error),
           _ea_journal_set_max_page_count_async (journal, 1000000, jt_store_cb, &r));
  g_assert_cmpint (jt_insert_fills (journal, fills, 5000, NULL, &error), ==, 5000);
  g_assert_true (ea_journal_get_writable (journal));
  JT_CALL (ok = ea_journal_flush_finish (journal, r, &error), ea_journal_flush_async (journal, NULL, jt_store_cb, &r));
  g_assert_cmpuint (notified, ==, 2);
}

/* Root ignores file modes: the subprocess drops to an unprivileged user. */
static void
drop_privileges (const char *dir)
{
  if (getuid () != 0)
    return;
  g_assert_cmpint (chown (dir, 65534, 65534), ==, 0);
  g_assert_cmpint (setgroups (0, NULL), ==, 0);
  g_assert_cmpint (setgid (65534), ==, 0);
  g_assert_cmpint (setuid (65534), ==, 0);
}

static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EaAuditReport) report = NULL;
      g_autoptr(EaJournalDayState) state = NULL;
      EaJournalFill fill = make_fill ("sim", "RO-1", 1);
      EaJournal *journal;
      gint64 account;

      drop_privileges (f->dir);

      journal = ea_journal_new_sync (f->path, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (jt_audit (journal, EA_ACTOR_USER, "app.start", NULL, NULL, &error), ==, 1);
      account = jt_ensure_account (journal, "sim", "DEMO-1", &error);
      state = ea_journal_day_state_new ();
      state->account_id = account;
      state->trading_day = g_strdup ("2026-11-23");
      state->lock_state = EA_TRADING_STATE_LOCKED;
      g_assert_true (jt_save_day_state (journal, state, &error));
      jt_close (journal);

      g_assert_cmpint (g_chmod (f->path, 0400), ==, 0);

      journal = ea_journal_new_sync (f->path, NULL, &error);
      g_assert_no_error (error);
      g_assert_false (ea_journal_get_writable (journal));
      g_assert_cmpint (jt_insert_fills (journal, &fill, 1, NULL, &error), ==, -1);
      g_assert_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_READ_ONLY);
      g_clear_error (&error);
      g_assert_cmpint (jt_next_client_order_id (journal, &error), ==, -1);
      g_assert_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_READ_ONLY);
      g_clear_error (&error);
      g_assert_false (ea_journal_get_writable (journal));

      /* The lock is still restored and the chain verified. */
      g_clear_pointer (&state, ea_journal_day_state_free);
      state = jt_load_day_state (journal, account, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (state->lock_state, ==, EA_TRADING_STATE_LOCKED);
      report = jt_verify (journal, &error);
      g_assert_no_error (error);
      g_assert_cmpint (report->status, ==, EA_AUDIT_OK);
      g_assert_cmpint (report->n_rows, ==, 1);
      jt_close (journal);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/journal/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("create", test_create);
  ADD ("migrations", test_migrations);
  ADD ("failed-migration", test_failed_migration);
  ADD ("too-new", test_too_new);
  ADD ("bad-files", test_bad_files);
  ADD ("fills-unique", test_fills_unique);
  ADD ("day-state", test_day_state);
  ADD ("client-ids", test_client_ids);
  ADD ("orders", test_orders);
  ADD ("trades-and-bars", test_trades_and_bars);
  ADD ("risk-settings-profiles", test_risk_settings_profiles);
  ADD ("disk-full", test_disk_full);
  ADD ("read-only", test_read_only);
#undef ADD

  return g_test_run ();
}
