/* test-mode-gate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Demo → Test → Live gates: every missing condition blocks with its
 * own message, in order; and the journal's count of clean Test sessions
 * that feeds the Live gate.
 */
#include "config.h"

#include <string.h>

#include "ea-mode-dialog.h"
#include "ea-mode-gate.h"
#include "ea-platform.h"
#include "ea-sim-broker.h"
#include "journal-test-utils.h"
#include "ea-test-clock.h"

#define NOW G_GINT64_CONSTANT (1795000000)

/* Everything Live needs, from Test. */
static EaModeGateInput
ready_input (void)
{
  EaModeGateInput in = {
    .current = EA_MODE_TEST,
    .setup_completed = TRUE,
    .broker = "tradovate",
    .broker_name = "Tradovate",
    .credentials_present = TRUE,
    .has_test = TRUE,
    .test_passed = TRUE,
    .test_time = NOW - 3600,
    .live_credentials_present = TRUE,
    .live_has_test = TRUE,
    .live_test_passed = TRUE,
    .live_test_time = NOW - 1800,
    .now = NOW,
    .clean_test_sessions = 1,
    .profile_id = "apex-legacy-50k",
    .typed_confirmation = "LIVE",
  };

  return in;
}

static void
assert_gate (EaMode                 target,
             const EaModeGateInput *in,
             EaModeGateResult       expected,
             const char            *needle)
{
  g_autofree char *message = NULL;
  EaModeGateResult result = ea_mode_gate_evaluate (target, in, &message);

  g_assert_cmpstr (ea_mode_gate_result_to_string (result), ==, ea_mode_gate_result_to_string (expected));
  if (expected == EA_MODE_GATE_OK)
    g_assert_null (message);
  else
    {
      g_assert_nonnull (message);
      g_assert_nonnull (strstr (message, needle));
    }
}

static void
test_live_conditions (void)
{
  EaModeGateInput in = ready_input ();

  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_OK, NULL);

  /* Each condition alone blocks, with its own message. */
  in = ready_input (); in.setup_completed = FALSE;
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_NO_SETUP, "quick setup");
  in = ready_input (); in.broker = NULL;
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_NO_BROKER, "Connect a broker");
  /* Live needs what Test needs: the demo environment's credentials and
   * a passing, recent connection test of it... */
  in = ready_input (); in.credentials_present = FALSE;
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_NO_CREDENTIALS, "No Tradovate credentials for its demo environment");
  in = ready_input (); in.has_test = FALSE;
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_NO_CONNECTION_TEST, "connection test of Tradovate (demo)");
  in = ready_input (); in.test_passed = FALSE;
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_CONNECTION_FAILED, "Tradovate (demo) failed");
  in = ready_input (); in.test_time = NOW - EA_MODE_GATE_TEST_MAX_AGE_S - 1;
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_CONNECTION_STALE, "Tradovate (demo) is more than 7 days old");
  /* ... and the same of the live environment. */
  in = ready_input (); in.live_credentials_present = FALSE;
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_NO_CREDENTIALS, "No Tradovate credentials for its live environment");
  in = ready_input (); in.live_has_test = FALSE;
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_NO_CONNECTION_TEST, "connection test of Tradovate (live)");
  in = ready_input (); in.live_test_passed = FALSE;
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_CONNECTION_FAILED, "Tradovate (live) failed");
  in = ready_input (); in.live_test_time = NOW - EA_MODE_GATE_TEST_MAX_AGE_S - 1;
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_CONNECTION_STALE, "7 days old");
  in = ready_input (); in.test_time = NOW - EA_MODE_GATE_TEST_MAX_AGE_S;
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_OK, NULL);
  in = ready_input (); in.clean_test_sessions = 0;
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_NO_TEST_SESSION, "Test session without a limit breach");
  in = ready_input (); in.profile_id = "";
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_NO_PROFILE, "risk profile");
  in = ready_input (); in.profile_id = NULL;
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_NO_PROFILE, "risk profile");

  /* The confirmation is exact: case and spaces matter. */
  in = ready_input (); in.typed_confirmation = NULL;
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_NOT_CONFIRMED, "Type LIVE");
  in = ready_input (); in.typed_confirmation = "live";
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_NOT_CONFIRMED, "Type LIVE");
  in = ready_input (); in.typed_confirmation = "LIVE ";
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_NOT_CONFIRMED, "Type LIVE");

  /* The first missing condition is the one reported. */
  in = ready_input ();
  in.credentials_present = FALSE;
  in.profile_id = NULL;
  in.typed_confirmation = NULL;
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_NO_CREDENTIALS, "credentials");

  /* Live straight from Demo passes the same gate. */
  in = ready_input (); in.current = EA_MODE_DEMO;
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_OK, NULL);
}

static void
test_test_conditions (void)
{
  EaModeGateInput in = ready_input ();

  in.current = EA_MODE_DEMO;
  /* Test needs neither a Test session, a profile nor a confirmation. */
  in.clean_test_sessions = 0;
  in.profile_id = NULL;
  in.typed_confirmation = NULL;
  assert_gate (EA_MODE_TEST, &in, EA_MODE_GATE_OK, NULL);
  /* Nor anything of the live environment. */
  in.live_credentials_present = FALSE;
  in.live_has_test = FALSE;
  in.live_test_passed = FALSE;
  assert_gate (EA_MODE_TEST, &in, EA_MODE_GATE_OK, NULL);

  in.credentials_present = FALSE;
  assert_gate (EA_MODE_TEST, &in, EA_MODE_GATE_NO_CREDENTIALS, "its demo environment");
  in.credentials_present = TRUE;
  in.broker = "ibkr";
  in.broker_name = "Interactive Brokers";
  in.has_test = FALSE;
  assert_gate (EA_MODE_TEST, &in, EA_MODE_GATE_NO_CONNECTION_TEST, "Interactive Brokers (paper)");

  in = ready_input ();
  in.current = EA_MODE_DEMO;
  in.setup_completed = FALSE;
  assert_gate (EA_MODE_TEST, &in, EA_MODE_GATE_NO_SETUP, "Finish the quick setup");

  g_assert_cmpstr (ea_mode_gate_environment (EA_MODE_TEST, "tradovate"), ==, "demo");
  g_assert_cmpstr (ea_mode_gate_environment (EA_MODE_TEST, "ibkr"), ==, "paper");
  g_assert_cmpstr (ea_mode_gate_environment (EA_MODE_LIVE, "tradovate"), ==, "live");
  g_assert_null (ea_mode_gate_environment (EA_MODE_LIVE, "ibkr"));
  g_assert_cmpstr (ea_mode_gate_environment (EA_MODE_LIVE, "ninjatrader"), ==, "live");

  /* IBKR's gateway trades the account it is logged in to: Live needs its
   * (paper) Test connection, no live one of its own. */
  {
    EaModeGateInput ib = ready_input ();

    ib.broker = "ibkr";
    ib.broker_name = "Interactive Brokers";
    ib.live_credentials_present = FALSE;
    ib.live_has_test = FALSE;
    ib.live_test_passed = FALSE;
    assert_gate (EA_MODE_LIVE, &ib, EA_MODE_GATE_OK, NULL);
    ib.test_passed = FALSE;
    assert_gate (EA_MODE_LIVE, &ib, EA_MODE_GATE_CONNECTION_FAILED, "Interactive Brokers (paper)");
  }
  g_assert_null (ea_mode_gate_environment (EA_MODE_DEMO, "tradovate"));
}

static void
test_exposure_and_demo (void)
{
  EaModeGateInput in = ready_input ();

  /* Open exposure blocks every switch, even back to Demo. */
  in.open_positions = 1;
  assert_gate (EA_MODE_DEMO, &in, EA_MODE_GATE_OPEN_EXPOSURE, "1 open positions, 0 working orders");
  assert_gate (EA_MODE_LIVE, &in, EA_MODE_GATE_OPEN_EXPOSURE, "Close every position");
  in.open_positions = 0;
  in.working_orders = 2;
  assert_gate (EA_MODE_DEMO, &in, EA_MODE_GATE_OPEN_EXPOSURE, "2 working orders");

  /* Demo needs nothing else. */
  in = (EaModeGateInput) { .current = EA_MODE_LIVE };
  assert_gate (EA_MODE_DEMO, &in, EA_MODE_GATE_OK, NULL);
  in.current = EA_MODE_DEMO;
  assert_gate (EA_MODE_DEMO, &in, EA_MODE_GATE_SAME_MODE, "Already in Demo");
  assert_gate (EA_MODE_TEST, &in, EA_MODE_GATE_NO_SETUP, "quick setup");
}

/* --- the journal's clean Test sessions ------------------------------------ */

/* 2026-11-10 15:00 UTC (09:00 CT) is in trading day 20261110. */
#define DAY10 G_GINT64_CONSTANT (1794322800000000)
#define HOUR_US G_GINT64_CONSTANT (3600000000)
#define DAY_US (24 * HOUR_US)

static gint64
ensure_account (EaJournal  *j,
                const char *name,
                EaMode      mode)
{
  g_autoptr(GError) error = NULL;
  gint64 v;

  JT_CALL (v = ea_journal_ensure_account_finish (j, r, &error),
           ea_journal_ensure_account_async (j, "tradovate", name, name, mode, NULL, jt_store_cb, &r));
  g_assert_no_error (error);
  return v;
}

static void
add_fill (EaJournal  *j,
          gint64      account,
          const char *id,
          EaTimeUs    t)
{
  g_autoptr(GError) error = NULL;
  EaJournalFill fill = {
    .broker = "tradovate", .broker_fill_id = id, .account_id = account,
    .symbol = "ESZ6", .root = "ES", .side = EA_SIDE_BUY, .qty = 1,
    .price_ticks = 24000, .time_us = t,
  };

  g_assert_cmpint (jt_insert_fills (j, &fill, 1, NULL, &error), ==, 1);
  g_assert_no_error (error);
}

static gint64
count (EaJournal *j,
       EaMode     mode,
       guint32    before)
{
  g_autoptr(GError) error = NULL;
  gint64 v;

  JT_CALL (v = ea_journal_count_clean_sessions_finish (j, r, &error),
           ea_journal_count_clean_sessions_async (j, mode, before, NULL, jt_store_cb, &r));
  g_assert_no_error (error);
  return v;
}

static void
test_clean_sessions (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ea-mode-gate-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "journal.sqlite3", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournalDayState) state = ea_journal_day_state_new ();
  EaJournal *j = ea_journal_new_sync (path, NULL, &error);
  gint64 a, b, c;
  sqlite3 *raw;
  g_autofree char *sql = NULL;

  g_assert_no_error (error);
  a = ensure_account (j, "TEST-A", EA_MODE_TEST);
  b = ensure_account (j, "TEST-B", EA_MODE_TEST);
  c = ensure_account (j, "DEMO-C", EA_MODE_DEMO);
  g_assert_cmpint (count (j, EA_MODE_TEST, 20261120), ==, 0);

  /* A: two fills on the 10th (one session), one on the 11th. */
  add_fill (j, a, "F1", DAY10);
  add_fill (j, a, "F2", DAY10 + HOUR_US);
  add_fill (j, a, "F3", DAY10 + DAY_US);
  /* B: a day state for the 10th, a fill on the 12th. */
  state->account_id = b;
  state->trading_day = g_strdup ("2026-11-10");
  g_assert_true (jt_save_day_state (j, state, &error));
  g_assert_no_error (error);
  add_fill (j, b, "F4", DAY10 + 2 * DAY_US);
  /* C is a Demo account. */
  add_fill (j, c, "F5", DAY10);

  /* On the 12th: A/10, A/11, B/10 are completed; B/12 is not. */
  g_assert_cmpint (count (j, EA_MODE_TEST, 20261112), ==, 3);
  g_assert_cmpint (count (j, EA_MODE_TEST, 20261113), ==, 4);
  g_assert_cmpint (count (j, EA_MODE_DEMO, 20261113), ==, 1);
  g_assert_cmpint (count (j, EA_MODE_LIVE, 20261113), ==, 0);

  /* A breach of A at 12:00 CT on the 11th spoils A/11 only. */
  ea_journal_close (j);
  g_object_unref (j);
  raw = jt_raw_open (path);
  sql = g_strdup_printf ("INSERT INTO risk_events (time_us, account_id, kind, reason) "
                         "VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'breach', 'daily loss');",
                         DAY10 + DAY_US + 3 * HOUR_US, a);
  jt_raw_exec (raw, sql);
  /* A warning is not a breach. */
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO risk_events (time_us, account_id, kind) "
                         "VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'warning');", DAY10, b);
  jt_raw_exec (raw, sql);
  sqlite3_close (raw);

  j = ea_journal_new_sync (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (j, EA_MODE_TEST, 20261112), ==, 2);
  ea_journal_close (j);
  g_object_unref (j);

  /* A global breach on the 10th spoils every session of the 10th. */
  raw = jt_raw_open (path);
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO risk_events (time_us, account_id, kind) "
                         "VALUES (%" G_GINT64_FORMAT ", NULL, 'breach');", DAY10 + 2 * HOUR_US);
  jt_raw_exec (raw, sql);
  sqlite3_close (raw);

  j = ea_journal_new_sync (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (j, EA_MODE_TEST, 20261112), ==, 0);
  g_assert_cmpint (count (j, EA_MODE_TEST, 20261113), ==, 1);
  jt_close (j);
  jt_rm_rf (dir);
}

/* --- the exposure of a real desk refuses a switch ------------------------- */

#define TUE_0900_CT G_GINT64_CONSTANT (1763478000000000)
#define ES_6800     27200

static GAsyncResult *
wait_slot (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static EaModeGateResult
try_switch (GSettings  *settings,
            EaDesk     *desk,
            EaMode      target,
            char      **message)
{
  g_autoptr(EaModeGateFacts) facts = NULL;
  GAsyncResult *res = NULL;
  EaModeGateResult result;

  ea_mode_gate_gather_async (settings, desk, NULL, NULL, target, NULL, jt_store_cb, &res);
  facts = ea_mode_gate_gather_finish (wait_slot (&res));
  g_object_unref (res);
  result = ea_mode_switch_apply (settings, NULL, facts, target, NULL, message);
  return result;
}

static void
test_open_position_refused (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_TEST);
  g_autoptr(EaSimBroker) sim = ea_sim_broker_new (7, TUE_0900_CT);
  EaSimExchange *ex = ea_sim_broker_get_exchange (sim);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *id = NULL;
  g_autofree char *limit_id = NULL;
  EaRiskDecision decision;
  GAsyncResult *res = NULL;
  guint positions, orders;
  EaDeskOrder market = {
    .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
    .type = EA_ORDER_TYPE_MARKET, .qty = 1,
    .has_stop_loss = TRUE, .stop_loss = ES_6800 - 16,
  };
  EaDeskOrder limit = {
    .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
    .type = EA_ORDER_TYPE_LIMIT, .qty = 1, .limit_price = ES_6800 - 40,
    .has_stop_loss = TRUE, .stop_loss = ES_6800 - 56,
  };

  ea_test_desk_in_session (desk);
  g_settings_set_enum (settings, "mode", EA_MODE_TEST);
  ea_sim_exchange_set_generator_enabled (ex, FALSE);
  ea_sim_exchange_set_always_open (ex, TRUE);
  ea_sim_exchange_push_quote (ex, "ES", ES_6800, ES_6800 + 1, 50, 50, NULL);
  ea_sim_exchange_push_trade (ex, "ES", ES_6800, 1, NULL);
  ea_desk_watch_symbol (desk, "ES");
  ea_desk_add_broker (desk, EA_BROKER (sim));
  ea_broker_connect_async (EA_BROKER (sim), NULL, jt_store_cb, &res);
  g_assert_true (ea_broker_connect_finish (EA_BROKER (sim), wait_slot (&res), &error));
  g_clear_object (&res);
  drain ();

  /* Flat: back to Demo is allowed (and not applied: we only look). */
  ea_mode_gate_count_exposure (desk, &positions, &orders);
  g_assert_cmpuint (positions, ==, 0);
  g_assert_cmpuint (orders, ==, 0);

  /* A position and a working order: every switch is refused. */
  ea_desk_place_order_async (desk, &market, EA_ACTOR_USER, NULL, jt_store_cb, &res);
  id = ea_desk_place_order_finish (desk, wait_slot (&res), &decision, &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  ea_desk_place_order_async (desk, &limit, EA_ACTOR_USER, NULL, jt_store_cb, &res);
  limit_id = ea_desk_place_order_finish (desk, wait_slot (&res), &decision, &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  drain ();

  ea_mode_gate_count_exposure (desk, &positions, &orders);
  /* The market order's protective stop, the limit order and the stop
   * that waits for the limit's fill. */
  g_assert_cmpuint (positions, ==, 1);
  g_assert_cmpuint (orders, ==, 3);
  g_assert_cmpint (try_switch (settings, desk, EA_MODE_DEMO, &message), ==, EA_MODE_GATE_OPEN_EXPOSURE);
  g_assert_cmpstr (message, ==, "Close every position and cancel every working order first "
                                "(1 open positions, 3 working orders).");
  g_assert_cmpint (g_settings_get_enum (settings, "mode"), ==, EA_MODE_TEST);
  g_clear_pointer (&message, g_free);

  /* Flat again: the switch is saved. */
  ea_desk_flatten_async (desk, NULL, NULL, NULL, jt_store_cb, &res);
  g_assert_true (ea_desk_flatten_finish (desk, wait_slot (&res), &error));
  g_clear_object (&res);
  drain ();
  ea_mode_gate_count_exposure (desk, &positions, &orders);
  g_assert_cmpuint (positions + orders, ==, 0);
  g_assert_cmpint (try_switch (settings, desk, EA_MODE_DEMO, &message), ==, EA_MODE_GATE_OK);
  g_assert_cmpint (g_settings_get_enum (settings, "mode"), ==, EA_MODE_DEMO);
  g_settings_reset (settings, "mode");
}

/* --- per-environment connection tests and the chosen broker --------------- */

static EaConnectionTest *
connection_test (EaPlatform  platform,
                 const char *environment,
                 gboolean    ok,
                 gint64      time)
{
  EaConnectionTest *t = g_new0 (EaConnectionTest, 1);

  t->platform = platform;
  t->ok = ok;
  t->environment = g_strdup (environment);
  t->time = time;
  t->latency_ms = 42;
  t->message = g_strdup (ok ? "Connected" : "Refused");
  return t;
}

static void
test_tests_per_environment (void)
{
  g_autoptr(EaConnectionTest) demo = connection_test (EA_PLATFORM_TRADOVATE, "demo", TRUE, NOW - 100);
  g_autoptr(EaConnectionTest) live = connection_test (EA_PLATFORM_TRADOVATE, "live", FALSE, NOW - 10);
  g_autoptr(EaConnectionTest) nt = connection_test (EA_PLATFORM_NINJATRADER, "demo", TRUE, NOW - 5);
  const EaConnectionTest *first[] = { demo };
  const EaConnectionTest *second[] = { live, nt };
  g_autofree char *json1 = ea_connection_tests_to_json (first, 1, NULL);
  g_autofree char *json2 = ea_connection_tests_to_json (second, 2, json1);
  g_autofree char *latest_env = NULL;
  /* What an older version wrote: one result per platform. */
  const char *old_form = "{\"tradovate\":{\"ok\":true,\"environment\":\"demo\",\"time\":1794999000}}";
  g_autofree char *upgraded = NULL;
  gboolean ok = FALSE;
  gint64 when = 0;

  /* A live test keeps the demo one the Test gate needs. */
  g_assert_true (ea_connection_tests_lookup_environment (json2, "tradovate", "demo", &ok, &when));
  g_assert_true (ok);
  g_assert_cmpint (when, ==, NOW - 100);
  g_assert_true (ea_connection_tests_lookup_environment (json2, "tradovate", "live", &ok, &when));
  g_assert_false (ok);
  g_assert_cmpint (when, ==, NOW - 10);
  g_assert_false (ea_connection_tests_lookup_environment (json2, "tradovate", "paper", NULL, NULL));
  g_assert_false (ea_connection_tests_lookup_environment (json2, "ibkr", "paper", NULL, NULL));
  g_assert_true (ea_connection_tests_lookup_environment (json2, "ninjatrader", "demo", &ok, NULL));
  g_assert_true (ok);
  /* The platform's latest is the live one. */
  g_assert_true (ea_connection_tests_lookup (json2, "tradovate", &latest_env, &ok, NULL));
  g_assert_cmpstr (latest_env, ==, "live");
  g_assert_false (ok);

  g_assert_true (ea_connection_tests_lookup_environment (old_form, "tradovate", "demo", &ok, &when));
  g_assert_cmpint (when, ==, 1794999000);
  g_assert_false (ea_connection_tests_lookup_environment (old_form, "tradovate", "live", NULL, NULL));
  upgraded = ea_connection_tests_to_json ((const EaConnectionTest *[]) { live }, 1, old_form);
  g_assert_true (ea_connection_tests_lookup_environment (upgraded, "tradovate", "demo", &ok, &when));
  g_assert_true (ok);
  g_assert_cmpint (when, ==, 1794999000);
  g_assert_true (ea_connection_tests_lookup_environment (upgraded, "tradovate", "live", NULL, NULL));
}

static EaModeGateFacts *
gather (GSettings     *settings,
        EaCredentials *credentials,
        EaMode         target)
{
  GAsyncResult *res = NULL;
  EaModeGateFacts *facts;

  ea_mode_gate_gather_async (settings, NULL, NULL, credentials, target, NULL, jt_store_cb, &res);
  facts = ea_mode_gate_gather_finish (wait_slot (&res));
  g_object_unref (res);
  return facts;
}

static void
test_chosen_broker (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(EaCredentials) creds = ea_credentials_new_for_app ("io.github.enigmaapex.EnigmaApex.GateTest");
  g_autoptr(EaPlatformConfig) config = ea_platform_config_new ();
  g_autoptr(EaConnectionTest) tv_demo = connection_test (EA_PLATFORM_TRADOVATE, "demo", TRUE, 0);
  g_autoptr(EaConnectionTest) nt_demo = connection_test (EA_PLATFORM_NINJATRADER, "demo", TRUE, 0);
  g_autoptr(EaConnectionTest) nt_live = connection_test (EA_PLATFORM_NINJATRADER, "live", FALSE, 0);
  const char * const platforms[] = { "demo", "tradovate", "ninjatrader", NULL };
  g_autofree char *json = NULL;
  g_autofree char *message = NULL;
  EaModeGateFacts *facts;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  tv_demo->time = nt_demo->time = nt_live->time = now - 60;
  json = ea_connection_tests_to_json ((const EaConnectionTest *[]) { tv_demo, nt_demo, nt_live }, 3, NULL);
  g_settings_set_strv (settings, "platforms", platforms);
  g_settings_set_string (settings, "last-connection-test", json);
  g_settings_set_boolean (settings, "setup-completed", TRUE);
  g_settings_set_string (settings, "tradovate-user", "nobody-here");
  ea_platform_config_load (config, settings);

  /* No choice: the first configured broker. */
  g_assert_cmpint (ea_mode_gate_chosen_broker (settings, config), ==, EA_PLATFORM_TRADOVATE);
  facts = gather (settings, creds, EA_MODE_TEST);
  g_assert_cmpstr (facts->broker, ==, "tradovate");
  g_assert_true (facts->input.has_test && facts->input.test_passed);
  g_assert_cmpint (ea_mode_gate_evaluate (EA_MODE_TEST, &facts->input, &message), ==, EA_MODE_GATE_NO_CREDENTIALS);
  g_clear_pointer (&message, g_free);
  ea_mode_gate_facts_free (facts);

  /* The user's choice is the one gated: NinjaTrader passed its demo test. */
  g_settings_set_string (settings, "mode-broker", "ninjatrader");
  g_assert_cmpint (ea_mode_gate_chosen_broker (settings, config), ==, EA_PLATFORM_NINJATRADER);
  facts = gather (settings, creds, EA_MODE_TEST);
  g_assert_cmpstr (facts->broker, ==, "ninjatrader");
  g_assert_cmpint (ea_mode_gate_evaluate (EA_MODE_TEST, &facts->input, NULL), ==, EA_MODE_GATE_OK);
  ea_mode_gate_facts_free (facts);

  /* Live: the demo result still counts, the live one failed. */
  facts = gather (settings, creds, EA_MODE_LIVE);
  g_assert_true (facts->input.has_test && facts->input.test_passed);
  g_assert_true (facts->input.live_has_test);
  g_assert_false (facts->input.live_test_passed);
  g_assert_cmpint (ea_mode_gate_evaluate (EA_MODE_LIVE, &facts->input, &message), ==,
                   EA_MODE_GATE_CONNECTION_FAILED);
  g_assert_nonnull (strstr (message, "NinjaTrader 8 (live) failed"));
  g_clear_pointer (&message, g_free);
  ea_mode_gate_facts_free (facts);

  /* A choice that is not configured any more falls back to the first. */
  g_settings_set_string (settings, "mode-broker", "ibkr");
  g_assert_cmpint (ea_mode_gate_chosen_broker (settings, config), ==, EA_PLATFORM_TRADOVATE);

  g_settings_reset (settings, "mode-broker");
  g_settings_reset (settings, "platforms");
  g_settings_reset (settings, "last-connection-test");
  g_settings_reset (settings, "setup-completed");
  g_settings_reset (settings, "tradovate-user");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mode-gate/live", test_live_conditions);
  g_test_add_func ("/mode-gate/test", test_test_conditions);
  g_test_add_func ("/mode-gate/exposure-and-demo", test_exposure_and_demo);
  g_test_add_func ("/mode-gate/clean-sessions", test_clean_sessions);
  g_test_add_func ("/mode-gate/open-position-refused", test_open_position_refused);
  g_test_add_func ("/mode-gate/tests-per-environment", test_tests_per_environment);
  g_test_add_func ("/mode-gate/chosen-broker", test_chosen_broker);

  return g_test_run ();
}
