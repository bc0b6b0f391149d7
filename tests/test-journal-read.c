/* test-journal-read.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journal's read views: risk events, audit rows, fills and accounts.
 */
#include "config.h"

#include <string.h>

#include "ea-journal-private.h"
#include "journal-test-utils.h"

#define T0 G_GINT64_CONSTANT (1790000000000000)

static gint64
record_risk (EaJournal         *j,
             gint64             account_id,
             EaJournalRiskKind  kind,
             const char        *reason,
             const char        *details)
{
  g_autoptr(GError) error = NULL;
  gint64 v;

  JT_CALL (v = ea_journal_record_risk_event_finish (j, r, &error),
           ea_journal_record_risk_event_async (j, account_id, kind, reason, details, EA_ACTOR_AUTOMATIC,
                                               NULL, jt_store_cb, &r));
  g_assert_no_error (error);
  return v;
}

static GArray *
load_risk (EaJournal *j,
           gint64     account_id,
           EaTimeUs   from_us,
           EaTimeUs   to_us)
{
  g_autoptr(GError) error = NULL;
  GArray *v;

  JT_CALL (v = ea_journal_load_risk_events_finish (j, r, &error),
           ea_journal_load_risk_events_async (j, account_id, from_us, to_us, NULL, jt_store_cb, &r));
  g_assert_no_error (error);
  return v;
}

static GArray *
load_audit (EaJournal *j,
            gint64     from_seq,
            guint      limit)
{
  g_autoptr(GError) error = NULL;
  GArray *v;

  JT_CALL (v = ea_journal_load_audit_finish (j, r, &error),
           ea_journal_load_audit_async (j, from_seq, limit, NULL, jt_store_cb, &r));
  g_assert_no_error (error);
  return v;
}

static void
test_risk_events (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournal) j = ea_journal_new_sync (f->path, NULL, &error);
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) mine = NULL;
  g_autoptr(GArray) none = NULL;
  g_autoptr(GArray) audit = NULL;
  EaJournalRiskEvent *e;
  gint64 acct, id1, id2;

  g_assert_no_error (error);
  acct = jt_ensure_account (j, "sim", "A1", &error);
  g_assert_no_error (error);

  id1 = record_risk (j, acct, EA_JOURNAL_RISK_DENIAL, "DAILY_LOSS", "{\"loss\": 412.5}");
  id2 = record_risk (j, 0, EA_JOURNAL_RISK_LOCK, NULL, NULL);
  g_assert_cmpint (id2, >, id1);

  all = load_risk (j, 0, 0, G_MAXINT64);
  g_assert_cmpuint (all->len, ==, 2);
  e = &g_array_index (all, EaJournalRiskEvent, 0);
  g_assert_cmpint (e->id, ==, id1);
  g_assert_cmpint (e->account_id, ==, acct);
  g_assert_cmpint (e->kind, ==, EA_JOURNAL_RISK_DENIAL);
  g_assert_cmpstr (e->reason, ==, "DAILY_LOSS");
  g_assert_cmpstr (e->details, ==, "{\"loss\": 412.5}");
  g_assert_cmpint (e->time_us, >, T0);
  e = &g_array_index (all, EaJournalRiskEvent, 1);
  g_assert_cmpint (e->account_id, ==, 0);
  g_assert_cmpint (e->kind, ==, EA_JOURNAL_RISK_LOCK);
  g_assert_null (e->reason);
  g_assert_cmpstr (e->details, ==, "{}");

  mine = load_risk (j, acct, 0, G_MAXINT64);
  g_assert_cmpuint (mine->len, ==, 1);
  none = load_risk (j, 0, 0, T0);
  g_assert_cmpuint (none->len, ==, 0);

  /* Each event is audited as risk.<kind>. */
  audit = load_audit (j, 1, 0);
  g_assert_cmpuint (audit->len, ==, 2);
  g_assert_cmpstr (g_array_index (audit, EaJournalAuditRow, 0).kind, ==, "risk.denial");
  g_assert_cmpstr (g_array_index (audit, EaJournalAuditRow, 1).kind, ==, "risk.lock");

  jt_close (g_steal_pointer (&j));
}

static void
test_risk_kind_strings (void)
{
  EaJournalRiskKind kind = EA_JOURNAL_RISK_WARNING;

  for (EaJournalRiskKind k = EA_JOURNAL_RISK_WARNING; k <= EA_JOURNAL_RISK_LIMIT_CHANGE; k++)
    {
      g_assert_true (ea_journal_risk_kind_from_string (ea_journal_risk_kind_to_string (k), &kind));
      g_assert_cmpint (kind, ==, k);
    }
  g_assert_false (ea_journal_risk_kind_from_string ("Lock", &kind));
  g_assert_false (ea_journal_risk_kind_from_string (NULL, &kind));
  g_assert_cmpint (kind, ==, EA_JOURNAL_RISK_LIMIT_CHANGE);
}

static void
test_audit_rows (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournal) j = ea_journal_new_sync (f->path, NULL, &error);
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GArray) page = NULL;
  g_autoptr(EaAuditReport) report = NULL;
  const EaJournalAuditRow *row;

  g_assert_no_error (error);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *subject = g_strdup_printf ("s%u", i);

      g_assert_cmpint (jt_audit (j, i % 2 ? EA_ACTOR_USER : EA_ACTOR_AUTOMATIC, "setting.change", subject,
                                 i == 2 ? "{\"k\": \"a,b\"}" : NULL, &error), ==, i + 1);
      g_assert_no_error (error);
    }

  rows = load_audit (j, 1, 0);
  g_assert_cmpuint (rows->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      row = &g_array_index (rows, EaJournalAuditRow, i);
      g_assert_cmpint (row->seq, ==, i + 1);
      g_assert_cmpstr (row->kind, ==, "setting.change");
      g_assert_cmpstr (row->actor, ==, i % 2 ? "user" : "automatic");
      /* Each row links to the previous one and hashes as documented. */
      if (i == 0)
        g_assert_cmpstr (row->prev_hash, ==, EA_AUDIT_GENESIS_HASH);
      else
        g_assert_cmpstr (row->prev_hash, ==, g_array_index (rows, EaJournalAuditRow, i - 1).hash);
      {
        g_autofree char *hash = _ea_audit_compute_hash (row->prev_hash, row->seq, row->time_us, row->actor,
                                                        row->kind, row->subject, row->details);
        g_assert_cmpstr (hash, ==, row->hash);
      }
    }
  g_assert_cmpstr (g_array_index (rows, EaJournalAuditRow, 2).details, ==, "{\"k\": \"a,b\"}");
  g_assert_cmpstr (g_array_index (rows, EaJournalAuditRow, 3).details, ==, "{}");

  page = load_audit (j, 2, 2);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_cmpint (g_array_index (page, EaJournalAuditRow, 0).seq, ==, 2);
  g_assert_cmpint (g_array_index (page, EaJournalAuditRow, 1).seq, ==, 3);

  report = jt_verify (j, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->head_seq, ==, 5);
  g_assert_cmpstr (report->head_hash, ==, g_array_index (rows, EaJournalAuditRow, 4).hash);

  jt_close (g_steal_pointer (&j));
}

static void
test_fills_and_accounts (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournal) j = ea_journal_new_sync (f->path, NULL, &error);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GArray) accounts = NULL;
  EaJournalFill fills[3];
  const EaJournalFill *x;
  gint64 a1, a2;

  g_assert_no_error (error);
  a1 = jt_ensure_account (j, "sim", "A1", &error);
  a2 = jt_ensure_account (j, "tradovate", "777", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 3; i++)
    fills[i] = (EaJournalFill) {
      .broker = "sim", .broker_fill_id = i == 0 ? "F0" : i == 1 ? "F1" : "F2",
      .account_id = i == 1 ? a2 : a1,
      .client_order_id = i == 2 ? NULL : "EA-9", .broker_order_id = "B-1",
      .symbol = "ESZ6", .root = "ES", .side = i == 1 ? EA_SIDE_SELL : EA_SIDE_BUY,
      .qty = i + 1, .price_ticks = 20000 + i, .fee_micros = EA_MICROS (1) + i,
      /* Stored in reverse time order. */
      .time_us = T0 + (3 - i) * G_USEC_PER_SEC,
    };
  g_assert_cmpint (jt_insert_fills (j, fills, 3, NULL, &error), ==, 3);
  g_assert_no_error (error);

  JT_CALL (all = ea_journal_load_fills_finish (j, r, &error),
           ea_journal_load_fills_async (j, 0, 0, G_MAXINT64, NULL, jt_store_cb, &r));
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 3);
  x = g_ptr_array_index (all, 0);
  g_assert_cmpstr (x->broker_fill_id, ==, "F2");
  g_assert_null (x->client_order_id);
  g_assert_cmpstr (x->broker_order_id, ==, "B-1");
  g_assert_cmpint (x->price_ticks, ==, 20002);
  g_assert_cmpint (x->qty, ==, 3);
  g_assert_cmpint (x->fee_micros, ==, EA_MICROS (1) + 2);
  g_assert_cmpint (x->time_us, ==, T0 + G_USEC_PER_SEC);
  x = g_ptr_array_index (all, 1);
  g_assert_cmpstr (x->broker_fill_id, ==, "F1");
  g_assert_cmpint (x->side, ==, EA_SIDE_SELL);
  g_assert_cmpint (x->account_id, ==, a2);
  g_assert_cmpstr (x->symbol, ==, "ESZ6");
  g_assert_cmpstr (x->root, ==, "ES");

  JT_CALL (mine = ea_journal_load_fills_finish (j, r, &error),
           ea_journal_load_fills_async (j, a1, T0 + 2 * G_USEC_PER_SEC, G_MAXINT64, NULL, jt_store_cb, &r));
  g_assert_no_error (error);
  g_assert_cmpuint (mine->len, ==, 1);
  g_assert_cmpstr (((EaJournalFill *) g_ptr_array_index (mine, 0))->broker_fill_id, ==, "F0");

  JT_CALL (accounts = ea_journal_load_accounts_finish (j, r, &error),
           ea_journal_load_accounts_async (j, NULL, jt_store_cb, &r));
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 2);
  g_assert_cmpint (g_array_index (accounts, EaJournalAccount, 0).id, ==, a1);
  g_assert_cmpstr (g_array_index (accounts, EaJournalAccount, 1).broker, ==, "tradovate");
  g_assert_cmpstr (g_array_index (accounts, EaJournalAccount, 1).broker_account_id, ==, "777");
  g_assert_cmpint (g_array_index (accounts, EaJournalAccount, 1).mode, ==, EA_MODE_DEMO);

  jt_close (g_steal_pointer (&j));
}

static void
test_corrupt_kind (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournal) j = ea_journal_new_sync (f->path, NULL, &error);
  GArray *events = NULL;
  sqlite3 *raw;

  g_assert_no_error (error);
  record_risk (j, 0, EA_JOURNAL_RISK_WARNING, "X", NULL);
  jt_close (g_steal_pointer (&j));

  /* A row whose kind escaped the CHECK constraint (edited by hand with the
   * constraint off) is a clear error, not a crash. */
  raw = jt_raw_open (f->path);
  jt_raw_exec (raw, "PRAGMA ignore_check_constraints = ON; UPDATE risk_events SET kind = 'bogus';");
  sqlite3_close (raw);

  j = ea_journal_new_sync (f->path, NULL, &error);
  g_assert_no_error (error);
  JT_CALL (events = ea_journal_load_risk_events_finish (j, r, &error),
           ea_journal_load_risk_events_async (j, 0, 0, G_MAXINT64, NULL, jt_store_cb, &r));
  g_assert_null (events);
  g_assert_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "bogus"));
  jt_close (g_steal_pointer (&j));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/journal-read/risk-events", Fixture, NULL, fixture_setup, test_risk_events, fixture_teardown);
  g_test_add_func ("/journal-read/risk-kind-strings", test_risk_kind_strings);
  g_test_add ("/journal-read/audit-rows", Fixture, NULL, fixture_setup, test_audit_rows, fixture_teardown);
  g_test_add ("/journal-read/fills-and-accounts", Fixture, NULL, fixture_setup, test_fills_and_accounts,
              fixture_teardown);
  g_test_add ("/journal-read/corrupt-kind", Fixture, NULL, fixture_setup, test_corrupt_kind, fixture_teardown);

  return g_test_run ();
}
