/* test-replay.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A NinjaTrader 8 export replayed through the Demo exchange and the desk
 * with the risk engine on: a long position on DEMO-1 (Apex 4.0 EOD 50K,
 * daily loss limit $1,000, $800 inside the default safety ratio) is
 * marked to the replayed prices; a fall past the limit is a breach at
 * the print that crosses it (alert, emergency stop, lock), a calm file is
 * not. Also what the command line and the dialog check before a replay.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ea-alert.h"
#include "ea-desk.h"
#include "ea-instrument.h"
#include "ea-position.h"
#include "ea-replay.h"
#include "ea-sim-broker.h"

#define SEC G_GINT64_CONSTANT (1000000)
/* 2025-11-18 14:30:00 UTC, the start of the files' first bar. */
#define T0  G_GINT64_CONSTANT (1763476200000000)

typedef struct
{
  EaDesk      *desk;
  EaSimBroker *sim;
  EaReplay    *replay;
} Fixture;

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static EaTimeUs
sim_clock (gpointer user_data)
{
  return ea_sim_broker_get_time (EA_SIM_BROKER (user_data));
}

static EaTicks
ticks (double price)
{
  return ea_instrument_price_to_ticks (ea_instrument_lookup ("ES"), price);
}

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

/* As the application runs Demo: the desk on the exchange's clock. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  const EaRiskProfile *profile;

  f->desk = ea_desk_new (EA_MODE_DEMO);
  f->sim = ea_sim_broker_new (11, T0 - 3600 * SEC);
  ea_sim_exchange_set_generator_enabled (ea_sim_broker_get_exchange (f->sim), FALSE);
  ea_desk_set_clock (f->desk, sim_clock, g_object_ref (f->sim), g_object_unref);
  ea_desk_watch_symbol (f->desk, "ES");
  ea_desk_add_broker (f->desk, EA_BROKER (f->sim));

  ea_broker_connect_async (EA_BROKER (f->sim), NULL, result_cb, &res);
  g_assert_true (ea_broker_connect_finish (EA_BROKER (f->sim), wait_for (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);
  iterate ();

  profile = ea_profile_store_lookup (ea_desk_get_profiles (f->desk), "apex-4.0-eod-50k");
  g_assert_nonnull (profile);
  g_assert_true (ea_desk_set_account_profile (f->desk, "DEMO-1", profile, 80, &error));
  g_assert_no_error (error);

  f->replay = ea_replay_new (f->desk, f->sim);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  iterate ();
  g_assert_finalize_object (f->replay);
  g_clear_object (&f->desk);
  g_clear_object (&f->sim);
}

static guint
count_alerts (Fixture    *f,
              const char *title_prefix,
              const char *body_part)
{
  GListModel *alerts = ea_trading_store_get_alerts (ea_desk_get_store (f->desk));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(EaAlert) a = g_list_model_get_item (alerts, i);

      if (g_str_has_prefix (ea_alert_get_title (a), title_prefix) &&
          (body_part == NULL || strstr (ea_alert_get_body (a), body_part) != NULL))
        n++;
    }

  return n;
}

static void
step (Fixture *f,
      guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (ea_replay_step (f->replay));
      iterate ();
    }
}

static gint64
position_qty (Fixture *f,
              double  *avg)
{
  EaPosition *p = ea_trading_store_lookup_position (ea_desk_get_store (f->desk), "DEMO-1", "ES");
  gint64 qty = 0;

  if (p != NULL)
    g_object_get (p, "qty", &qty, "avg-price", avg, NULL);
  return qty;
}

/* Loads @file, plays the first bar, buys 1 ES at the market through the
 * desk. Returns the entry price in ticks. */
static EaTicks
load_and_buy (Fixture    *f,
              const char *file)
{
  g_autofree char *path = data_path (file);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GError) error = NULL;
  EaDeskOrder order = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  GAsyncResult *res = NULL;
  g_autofree char *id = NULL;
  double avg = 0;

  /* Any case of the root; timestamps read as UTC here. */
  g_assert_true (ea_replay_load (f->replay, path, "es", utc, &error));
  g_assert_no_error (error);
  g_assert_true (ea_replay_get_loaded (f->replay));
  g_assert_cmpstr (ea_replay_get_symbol (f->replay), ==, "ES");
  g_assert_cmpuint (ea_replay_get_total (f->replay), ==, 5);
  g_assert_cmpuint (ea_replay_get_position (f->replay), ==, 0);
  g_assert_false (ea_replay_get_playing (f->replay));
  /* The desk's clock is the replayed one. */
  g_assert_cmpint (ea_desk_get_time (f->desk), ==, T0 + 1 * SEC - 1);

  step (f, 4);
  g_assert_cmpuint (ea_replay_get_position (f->replay), ==, 1);
  g_assert_cmpint (ea_desk_get_time (f->desk), ==, T0 + 59 * SEC);

  ea_desk_place_order_async (f->desk, &order, EA_ACTOR_USER, NULL, result_cb, &res);
  id = ea_desk_place_order_finish (f->desk, wait_for (&res), NULL, &error);
  g_assert_no_error (error);
  g_object_unref (res);
  iterate ();

  g_assert_cmpint (position_qty (f, &avg), ==, 1);
  /* The first bar closed with a down-tick to 6800.00: the offer is
   * 6800.25 (the average price is in ticks). */
  g_assert_cmpfloat (avg, ==, ticks (6800.25));
  return (EaTicks) avg;
}

static void
test_fall_breaches (Fixture       *f,
                    gconstpointer  data)
{
  EaTicks entry = load_and_buy (f, "ES-replay-fall.txt");
  const EaReplayBreach *breach;
  EaMicros expected_equity = EA_MICROS (50000) + (ticks (6770.00) - entry) * EA_MICROS (12.5);
  g_autofree char *summary = NULL;
  g_autofree char *progress = NULL;
  EaRiskStatus status;
  double avg = 0;

  /* Bar 2 down to 6790.00: $512.50 down, 64 % of the $800 — no breach. */
  step (f, 4);
  g_assert_false (ea_replay_get_breach (f->replay)->breached);
  g_assert_cmpint (ea_desk_get_trading_state (f->desk), ==, EA_TRADING_STATE_ACTIVE);
  g_assert_true (ea_desk_get_risk_status (f->desk, "DEMO-1", &status));
  g_assert_cmpint (status.equity, ==, EA_MICROS (50000) + (ticks (6791.00) - entry) * EA_MICROS (12.5));

  /* Bar 3 opens 6791.00, its high 6791.50: still inside. */
  step (f, 2);
  g_assert_false (ea_replay_get_breach (f->replay)->breached);
  g_assert_cmpint (ea_desk_get_trading_state (f->desk), ==, EA_TRADING_STATE_ACTIVE);

  /* Its low, 6770.00 at 14:32:30: $1,512.50 down, past the daily loss
   * limit: the desk breaches, stops and locks, as it would live. */
  step (f, 1);
  breach = ea_replay_get_breach (f->replay);
  g_assert_true (breach->breached);
  g_assert_cmpstr (breach->account, ==, "DEMO-1");
  g_assert_cmpint (breach->time, ==, T0 + 150 * SEC);
  g_assert_cmpuint (breach->record, ==, 3);
  g_assert_cmpint (breach->equity, ==, expected_equity);
  g_assert_nonnull (strstr (breach->reason, "daily loss"));
  g_assert_cmpint (ea_desk_get_trading_state (f->desk), ==, EA_TRADING_STATE_LOCKED);
  g_assert_nonnull (ea_desk_get_locked_until (f->desk));
  g_assert_cmpuint (ea_desk_get_emergency_stop_count (f->desk), ==, 1);
  while (ea_desk_get_stop_pending (f->desk))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (position_qty (f, &avg), ==, 0);

  progress = ea_replay_format_progress (f->replay);
  g_test_message ("%s", progress);
  g_assert_true (g_str_has_prefix (progress, "ES · Tue 2025-11-18 08:32:30 CT · record 3 of 5"));

  /* To the end: the summary says when, where and at what equity. */
  while (ea_replay_step (f->replay))
    iterate ();
  g_assert_true (ea_replay_get_finished (f->replay));
  g_assert_cmpuint (ea_replay_get_position (f->replay), ==, 5);
  g_assert_cmpint (ea_replay_get_lowest_equity (f->replay), ==, expected_equity);
  summary = ea_replay_format_summary (f->replay);
  g_test_message ("%s", summary);
  g_assert_nonnull (strstr (summary, "DEMO-1 breached its firm profile at Tue 2025-11-18 08:32:30 CT (record 3 of 5) with equity $48,487.50: daily loss limit reached"));
  g_assert_nonnull (strstr (summary, "The replay ended at Tue 2025-11-18 08:34:59 CT after 5 records."));
  g_assert_nonnull (strstr (summary, "DEMO-1: equity $48,487.50, day P&L -$1,512.50, LOCKED."));
  g_assert_cmpuint (count_alerts (f, "Replay ended: the account breached a limit", "08:32:30"), ==, 1);
}

static void
test_calm_stays_inside (Fixture       *f,
                        gconstpointer  data)
{
  EaTicks entry = load_and_buy (f, "ES-replay-calm.txt");
  EaMicros lowest = EA_MICROS (50000) + (ticks (6790.00) - entry) * EA_MICROS (12.5);
  g_autofree char *summary = NULL;
  double avg = 0;

  while (ea_replay_step (f->replay))
    iterate ();

  g_assert_true (ea_replay_get_finished (f->replay));
  g_assert_false (ea_replay_get_breach (f->replay)->breached);
  g_assert_cmpint (ea_desk_get_trading_state (f->desk), ==, EA_TRADING_STATE_ACTIVE);
  g_assert_cmpuint (ea_desk_get_emergency_stop_count (f->desk), ==, 0);
  g_assert_cmpint (position_qty (f, &avg), ==, 1);
  g_assert_cmpint (ea_replay_get_lowest_equity (f->replay), ==, lowest);

  summary = ea_replay_format_summary (f->replay);
  g_test_message ("%s", summary);
  g_assert_true (g_str_has_prefix (summary, "No account breached a limit of its firm profile."));
  /* Ended long from 6800.25 at 6802.00: +7 ticks. */
  g_assert_nonnull (strstr (summary, "DEMO-1: equity $50,087.50, day P&L +$87.50, ACTIVE."));
  g_assert_nonnull (strstr (summary, "Lowest equity during the replay: $49,487.50."));
  g_assert_cmpuint (count_alerts (f, "Replay ended: no limit breached", NULL), ==, 1);
}

/* Malformed lines are skipped, listed with their numbers in an alert;
 * the file is never modified. */
static void
test_malformed_lines (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = data_path ("ES-malformed.txt");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GPtrArray *warnings;

  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));
  g_assert_true (ea_replay_load (f->replay, path, "ES", utc, &error));
  g_assert_no_error (error);
  warnings = ea_replay_get_warnings (f->replay);
  g_assert_cmpuint (warnings->len, ==, 7);
  g_assert_true (g_str_has_prefix (warnings->pdata[0], "line 2: "));
  g_assert_cmpuint (ea_replay_get_total (f->replay), ==, 2);
  g_assert_cmpuint (count_alerts (f, "Replay: 7 lines skipped", "\nline 2: "), ==, 1);
  g_assert_cmpuint (count_alerts (f, "Replay: 7 lines skipped", "\nline 10: "), ==, 1);

  while (ea_replay_step (f->replay))
    iterate ();
  g_assert_cmpuint (ea_replay_get_position (f->replay), ==, 2);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);
}

/* Played rather than stepped: the exchange runs in real time × the
 * speed, and stands still again at the end. */
static void
test_play_to_end (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = data_path ("ES-replay-calm.txt");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GError) error = NULL;

  ea_replay_set_speed (f->replay, 250);
  g_assert_cmpfloat (ea_replay_get_speed (f->replay), ==, 100);
  g_assert_true (ea_replay_load (f->replay, path, "ES", utc, &error));
  g_assert_no_error (error);
  g_assert_false (ea_sim_broker_get_realtime (f->sim));

  ea_replay_set_playing (f->replay, TRUE);
  g_assert_true (ea_replay_get_playing (f->replay));
  g_assert_true (ea_sim_broker_get_realtime (f->sim));
  g_assert_cmpfloat (ea_sim_broker_get_speed (f->sim), ==, 100);

  while (!ea_replay_get_finished (f->replay))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (ea_replay_get_position (f->replay), ==, 5);
  g_assert_false (ea_replay_get_playing (f->replay));
  g_assert_false (ea_sim_broker_get_realtime (f->sim));
  g_assert_false (ea_replay_get_breach (f->replay)->breached);
}

/* A refused load leaves the Demo exchange as it was. */
static void
test_load_refused (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  EaTimeUs before = ea_sim_broker_get_time (f->sim);

  g_assert_false (ea_replay_load (f->replay, "/nonexistent/export.txt", "ES", NULL, &error));
  g_assert_error (error, EA_REPLAY_ERROR, EA_REPLAY_ERROR_FILE);
  g_assert_false (ea_replay_get_loaded (f->replay));
  g_assert_false (ea_replay_step (f->replay));
  g_assert_cmpint (ea_sim_broker_get_time (f->sim), ==, before);
}

static void
test_check (void)
{
  g_autofree char *good = data_path ("ES-minute-bars.txt");
  g_autofree char *malformed = data_path ("ES-malformed.txt");
  g_autofree char *dir = NULL;
  g_autofree char *garbage = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 99;

  g_assert_true (ea_replay_check (good, "ES", 1, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 0);
  g_assert_true (ea_replay_check (good, "mnq", 100, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ea_replay_check (malformed, "ES", 10, &n, &error));
  g_assert_cmpuint (n, ==, 7);

  /* Speed outside 1–100. */
  g_assert_false (ea_replay_check (good, "ES", 0, NULL, &error));
  g_assert_error (error, EA_REPLAY_ERROR, EA_REPLAY_ERROR_SPEED);
  g_assert_nonnull (strstr (error->message, "between 1 and 100"));
  g_clear_error (&error);
  g_assert_false (ea_replay_check (good, "ES", 100.5, NULL, &error));
  g_assert_error (error, EA_REPLAY_ERROR, EA_REPLAY_ERROR_SPEED);
  g_clear_error (&error);
  g_assert_false (ea_replay_check (good, "ES", NAN, NULL, &error));
  g_assert_error (error, EA_REPLAY_ERROR, EA_REPLAY_ERROR_SPEED);
  g_clear_error (&error);

  /* Symbol missing or unknown. */
  g_assert_false (ea_replay_check (good, NULL, 1, NULL, &error));
  g_assert_error (error, EA_REPLAY_ERROR, EA_REPLAY_ERROR_SYMBOL);
  g_clear_error (&error);
  g_assert_false (ea_replay_check (good, "XYZ", 1, NULL, &error));
  g_assert_error (error, EA_REPLAY_ERROR, EA_REPLAY_ERROR_SYMBOL);
  g_assert_nonnull (strstr (error->message, "XYZ"));
  g_assert_nonnull (strstr (error->message, "ES, MES"));
  g_clear_error (&error);

  /* File missing, or nothing in it to replay. */
  g_assert_false (ea_replay_check ("/nonexistent/export.txt", "ES", 1, NULL, &error));
  g_assert_error (error, EA_REPLAY_ERROR, EA_REPLAY_ERROR_FILE);
  g_assert_nonnull (strstr (error->message, "/nonexistent/export.txt"));
  g_clear_error (&error);
  g_assert_false (ea_replay_check (NULL, "ES", 1, NULL, &error));
  g_assert_error (error, EA_REPLAY_ERROR, EA_REPLAY_ERROR_FILE);
  g_clear_error (&error);

  dir = g_dir_make_tmp ("ea-replay-XXXXXX", &error);
  g_assert_no_error (error);
  garbage = g_build_filename (dir, "garbage.txt", NULL);
  g_assert_true (g_file_set_contents (garbage, "not;an;export\n", -1, NULL));
  g_assert_false (ea_replay_check (garbage, "ES", 1, NULL, &error));
  g_assert_error (error, EA_REPLAY_ERROR, EA_REPLAY_ERROR_FILE);
  g_assert_nonnull (strstr (error->message, "not a NinjaTrader 8 export"));
  g_clear_error (&error);
  g_remove (garbage);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/replay/check", test_check);
  g_test_add ("/replay/desk/fall-breaches", Fixture, NULL, fixture_setup, test_fall_breaches, fixture_teardown);
  g_test_add ("/replay/desk/calm-stays-inside", Fixture, NULL, fixture_setup, test_calm_stays_inside, fixture_teardown);
  g_test_add ("/replay/desk/malformed-lines", Fixture, NULL, fixture_setup, test_malformed_lines, fixture_teardown);
  g_test_add ("/replay/desk/play-to-end", Fixture, NULL, fixture_setup, test_play_to_end, fixture_teardown);
  g_test_add ("/replay/desk/load-refused", Fixture, NULL, fixture_setup, test_load_refused, fixture_teardown);

  return g_test_run ();
}
