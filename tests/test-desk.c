/* test-desk.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ea-desk.h"

static void
count_cb (EaDesk  *desk,
          EaActor  actor,
          guint   *count)
{
  (*count)++;
}

static void
test_emergency_stop_latches (void)
{
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_DEMO);
  g_autoptr(GError) error = NULL;
  guint emitted = 0;

  g_signal_connect (desk, "emergency-stop", G_CALLBACK (count_cb), &emitted);

  g_assert_cmpint (ea_desk_get_trading_state (desk), ==, EA_TRADING_STATE_ACTIVE);
  g_assert_false (ea_desk_get_halted (desk));

  /* Reset with nothing to reset is refused. */
  g_assert_false (ea_desk_reset_emergency_stop (desk, NULL, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_NOT_HALTED);
  g_clear_error (&error);

  g_assert_true (ea_desk_emergency_stop (desk, EA_ACTOR_USER, NULL));
  g_assert_cmpint (ea_desk_get_trading_state (desk), ==, EA_TRADING_STATE_HALTED);
  g_assert_true (ea_desk_get_halted (desk));
  g_assert_nonnull (ea_desk_get_halted_at (desk));
  g_assert_nonnull (ea_desk_get_halt_reason (desk));
  g_assert_cmpuint (emitted, ==, 1);

  /* A second trigger is idempotent. */
  g_assert_false (ea_desk_emergency_stop (desk, EA_ACTOR_REMOTE, "again"));
  g_assert_cmpuint (emitted, ==, 1);
  g_assert_cmpuint (ea_desk_get_emergency_stop_count (desk), ==, 1);

  g_assert_true (ea_desk_reset_emergency_stop (desk, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ea_desk_get_trading_state (desk), ==, EA_TRADING_STATE_ACTIVE);
  g_assert_null (ea_desk_get_halt_reason (desk));
}

static void
test_lock_refuses_reset_until_expiry (void)
{
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_TEST);
  g_autoptr(GDateTime) t0 = g_date_time_new_utc (2026, 11, 24, 15, 0, 0);
  g_autoptr(GDateTime) until = g_date_time_add_hours (t0, 8);
  g_autoptr(GDateTime) before = g_date_time_add_minutes (until, -1);
  g_autoptr(GDateTime) after = g_date_time_add_seconds (until, 1);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (ea_desk_get_mode (desk), ==, EA_MODE_TEST);

  ea_desk_emergency_stop (desk, EA_ACTOR_AUTOMATIC, "Daily loss limit");
  ea_desk_lock (desk, until, "Daily loss limit reached");
  g_assert_cmpint (ea_desk_get_trading_state (desk), ==, EA_TRADING_STATE_LOCKED);
  g_assert_true (ea_desk_get_halted (desk));

  /* Another trigger while locked does not downgrade the lock. */
  g_assert_false (ea_desk_emergency_stop (desk, EA_ACTOR_USER, NULL));
  g_assert_cmpint (ea_desk_get_trading_state (desk), ==, EA_TRADING_STATE_LOCKED);

  g_assert_false (ea_desk_reset_emergency_stop (desk, before, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "Daily loss limit reached"));
  g_clear_error (&error);
  g_assert_cmpint (ea_desk_get_trading_state (desk), ==, EA_TRADING_STATE_LOCKED);

  g_assert_true (ea_desk_reset_emergency_stop (desk, after, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ea_desk_get_trading_state (desk), ==, EA_TRADING_STATE_ACTIVE);
  g_assert_null (ea_desk_get_locked_until (desk));
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_halted_notifies (void)
{
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_DEMO);
  guint notified = 0;
  gboolean halted = FALSE;

  g_signal_connect (desk, "notify::halted", G_CALLBACK (notify_cb), &notified);

  ea_desk_emergency_stop (desk, EA_ACTOR_USER, NULL);
  g_object_get (desk, "halted", &halted, NULL);
  g_assert_true (halted);
  g_assert_cmpuint (notified, ==, 1);

  ea_desk_reset_emergency_stop (desk, NULL, NULL);
  g_object_get (desk, "halted", &halted, NULL);
  g_assert_false (halted);
  g_assert_cmpuint (notified, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/desk/emergency-stop/latches", test_emergency_stop_latches);
  g_test_add_func ("/desk/emergency-stop/lock", test_lock_refuses_reset_until_expiry);
  g_test_add_func ("/desk/emergency-stop/notify", test_halted_notifies);

  return g_test_run ();
}
