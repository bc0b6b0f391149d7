/* test-replay-app.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Replay from the command line and the menu, under a real display: bad
 * options are refused with a message and a non-zero exit; --replay
 * --replay-step starts the application in Demo mode with the replay bar,
 * each Step plays a print that reaches the dashboard, and a long
 * position that the replayed fall takes past the firm's limit ends in a
 * breach, a lock and the summary.
 */
#include "config.h"

#include <string.h>

#include "ea-application.h"
#include "ea-instrument.h"
#include "ea-position.h"
#include "ea-replay-bar.h"
#include "ea-replay-dialog.h"
#include "ea-test-gtk-utils.h"
#include "ea-window.h"

static const char *
binary_path (void)
{
  const char *path = g_getenv ("EA_BINARY");

  g_assert_nonnull (path);
  return path;
}

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static void
assert_refused (const char * const *argv,
                const char         *message)
{
  g_autofree char *output = NULL;
  int status = 0;

  output = ea_test_run_binary (argv, &status);
  g_test_message ("%s", output);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (output, message));
}

static void
test_command_line_errors (void)
{
  g_autofree char *good = data_path ("ES-replay-fall.txt");
  const char *missing[] = { binary_path (), "--replay", "/nonexistent/export.txt", "--replay-symbol", "ES", NULL };
  const char *speed0[] = { binary_path (), "--replay", good, "--replay-symbol", "ES", "--replay-speed", "0", NULL };
  const char *speed_big[] = { binary_path (), "--replay", good, "--replay-symbol", "ES", "--replay-speed", "250", NULL };
  const char *speed_word[] = { binary_path (), "--replay", good, "--replay-symbol", "ES", "--replay-speed", "fast", NULL };
  const char *no_symbol[] = { binary_path (), "--replay", good, NULL };
  const char *bad_symbol[] = { binary_path (), "--replay", good, "--replay-symbol", "XYZ", NULL };
  const char *no_file[] = { binary_path (), "--replay-symbol", "ES", "--replay-step", NULL };

  assert_refused (missing, "Cannot read the export to replay");
  assert_refused (missing, "/nonexistent/export.txt");
  assert_refused (speed0, "between 1 and 100");
  assert_refused (speed_big, "between 1 and 100");
  assert_refused (speed_word, "fast");
  assert_refused (no_symbol, "--replay-symbol");
  assert_refused (bad_symbol, "Unknown instrument “XYZ”");
  assert_refused (no_file, "go with --replay FILE");
}

typedef struct
{
  EaApplication *app;
  gboolean       done;
} Child;

static gboolean
replay_loaded (gpointer user_data)
{
  EaApplication *app = user_data;
  EaBroker *demo = ea_application_get_demo_broker (app);

  return ea_application_get_replay (app) != NULL &&
         ea_replay_get_loaded (ea_application_get_replay (app)) &&
         demo != NULL && ea_broker_get_connection_state (demo) == EA_CONNECTION_STATE_CONNECTED &&
         ea_application_get_main_window (app) != NULL &&
         gtk_widget_get_mapped (GTK_WIDGET (ea_application_get_main_window (app)));
}

static gboolean
ticket_bid_is (gpointer user_data)
{
  EaOrderTicket *ticket = user_data;
  const char *expected = g_object_get_data (G_OBJECT (ticket), "expected-bid");

  return g_strcmp0 (ea_order_ticket_get_bid_text (ticket), expected) == 0;
}

static gboolean
stop_settled (gpointer user_data)
{
  return !ea_desk_get_stop_pending (EA_DESK (user_data));
}

static void
click (GtkWidget *button)
{
  g_signal_emit_by_name (button, "clicked");
  ea_test_iterate (10);
}

static void
placed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
run_checks (gpointer user_data)
{
  Child *c = user_data;
  EaApplication *app = c->app;
  EaDesk *desk = ea_application_get_desk (app);
  EaReplay *replay;
  EaWindow *window;
  EaReplayBar *bar;
  EaOrderTicket *ticket;
  EaSimBroker *sim;
  EaDeskOrder order = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *malformed = data_path ("ES-malformed.txt");
  EaReplayDialog *dialog = NULL;
  const char *summary;

  g_assert_true (ea_test_wait_until (replay_loaded, app, 10000));
  replay = ea_application_get_replay (app);
  window = EA_WINDOW (ea_application_get_main_window (app));
  sim = EA_SIM_BROKER (ea_application_get_demo_broker (app));

  /* Demo mode, the replay bar with its badge, paused for stepping. */
  g_assert_cmpint (ea_desk_get_mode (desk), ==, EA_MODE_DEMO);
  g_assert_cmpstr (ea_window_get_mode_badge_text (window), ==, "DEMO");
  bar = EA_REPLAY_BAR (ea_window_get_replay_bar (window));
  g_assert_nonnull (bar);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (bar)));
  g_assert_cmpstr (ea_replay_get_symbol (replay), ==, "ES");
  g_assert_false (ea_replay_get_playing (replay));
  g_assert_false (ea_sim_broker_get_realtime (sim));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (ea_replay_bar_get_play_button (bar))));
  g_assert_cmpstr (ea_replay_bar_get_progress_text (bar), ==, "ES · Tue 2025-11-18 08:30:00 CT · record 0 of 5");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "replay"));
  /* The desk runs on the replayed clock. */
  g_assert_cmpint (ea_desk_get_time (desk) / G_USEC_PER_SEC, ==, G_GINT64_CONSTANT (1763476200));

  /* The first bar, print by print, through the Step button: its close
   * (a down-tick to 6800.00) reaches the ticket. */
  ticket = ea_dashboard_get_order_ticket (ea_window_get_dashboard (window));
  g_assert_true (ea_order_ticket_set_symbol (ticket, "ES"));
  ea_test_iterate (50);
  for (guint i = 0; i < 4; i++)
    click (ea_replay_bar_get_step_button (bar));
  g_assert_cmpstr (ea_replay_bar_get_progress_text (bar), ==, "ES · Tue 2025-11-18 08:30:59 CT · record 1 of 5");
  g_object_set_data (G_OBJECT (ticket), "expected-bid", (gpointer) "6800.00");
  g_assert_true (ea_test_wait_until (ticket_bid_is, ticket, 5000));
  g_assert_cmpstr (ea_order_ticket_get_ask_text (ticket), ==, "6800.25");

  /* Long 1 ES, then the fall: the desk breaches at bar 3's low. */
  ea_desk_place_order_async (desk, &order, EA_ACTOR_USER, NULL, placed_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  id = ea_desk_place_order_finish (desk, res, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  ea_test_iterate (20);

  while (!ea_replay_get_finished (replay))
    click (ea_replay_bar_get_step_button (bar));
  g_assert_true (ea_test_wait_until (stop_settled, desk, 5000));

  g_assert_true (ea_replay_get_breach (replay)->breached);
  g_assert_cmpuint (ea_replay_get_breach (replay)->record, ==, 3);
  g_assert_cmpint (ea_desk_get_trading_state (desk), ==, EA_TRADING_STATE_LOCKED);
  ea_test_iterate (50);
  g_assert_true (ea_window_get_halt_banner_revealed (window));
  g_assert_false (gtk_widget_get_sensitive (ea_replay_bar_get_step_button (bar)));
  summary = ea_replay_bar_get_summary_text (bar);
  g_assert_nonnull (summary);
  g_test_message ("%s", summary);
  g_assert_nonnull (strstr (summary, "DEMO-1 breached its firm profile at Tue 2025-11-18 08:32:30 CT (record 3 of 5) with equity $48,487.50"));
  g_assert_nonnull (strstr (summary, "The replay ended at Tue 2025-11-18 08:34:59 CT after 5 records."));

  /* The menu's dialog: a bad file is refused at the dialog, a readable
   * one replaces the replay. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "replay", NULL);
  ea_test_iterate (50);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (EA_IS_REPLAY_DIALOG (l->data))
      dialog = l->data;
  g_assert_nonnull (dialog);
  ea_replay_dialog_set_file (dialog, "/nonexistent/export.txt");
  ea_replay_dialog_set_symbol (dialog, "ES");
  g_assert_false (ea_replay_dialog_start (dialog));
  g_assert_nonnull (strstr (ea_replay_dialog_get_error_text (dialog), "Cannot read the export"));
  ea_replay_dialog_set_file (dialog, malformed);
  ea_replay_dialog_set_speed (dialog, 50);
  ea_replay_dialog_set_step (dialog, TRUE);
  g_assert_true (ea_replay_dialog_start (dialog));
  ea_test_iterate (20);
  g_assert_cmpstr (ea_replay_get_path (replay), ==, malformed);
  g_assert_cmpfloat (ea_replay_get_speed (replay), ==, 50);
  g_assert_false (ea_replay_get_finished (replay));
  g_assert_cmpstr (ea_replay_bar_get_progress_text (bar), ==, "ES · Tue 2025-11-18 08:30:00 CT · record 0 of 2");
  g_assert_null (ea_replay_bar_get_summary_text (bar));
  /* Its unreadable lines: counted on the bar, listed in its tooltip. */
  g_assert_cmpstr (ea_replay_bar_get_skipped_text (bar), ==, "7 lines skipped");

  c->done = TRUE;
  g_application_quit (G_APPLICATION (app));
  return G_SOURCE_REMOVE;
}

static void
activated_cb (GApplication *application,
              Child        *c)
{
  static gboolean queued;

  if (!queued)
    g_idle_add (run_checks, c);
  queued = TRUE;
}

static void
test_step_through (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *path = data_path ("ES-replay-fall.txt");
      const char *argv[] = { "enigma-apex", "--replay", path, "--replay-symbol", "es", "--replay-step", NULL };
      Child c = { 0 };
      int status;

      /* The export's times are read as this computer's local time. */
      g_setenv ("TZ", "UTC", TRUE);
      c.app = ea_application_new ();
      g_application_set_flags (G_APPLICATION (c.app), G_APPLICATION_NON_UNIQUE);
      g_signal_connect_after (c.app, "activate", G_CALLBACK (activated_cb), &c);
      status = g_application_run (G_APPLICATION (c.app), 6, (char **) argv);
      g_assert_cmpint (status, ==, 0);
      g_assert_true (c.done);
      g_object_unref (c.app);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A running Enigma Apex is not taken over: the replay is refused, with
 * the way to do it from its menu. */
static void
test_already_running (void)
{
  g_autofree char *good = data_path ("ES-replay-calm.txt");
  const char *argv[] = { binary_path (), "--replay", good, "--replay-symbol", "ES", NULL };
  g_autoptr(EaApplication) primary = ea_application_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (g_application_register (G_APPLICATION (primary), NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (G_APPLICATION (primary)));

  assert_refused (argv, "already running");
  assert_refused (argv, "Replay NinjaTrader Export");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gui/replay/command-line-errors", test_command_line_errors);
  g_test_add_func ("/gui/replay/step-through", test_step_through);
  g_test_add_func ("/gui/replay/already-running", test_already_running);

  return g_test_run ();
}
