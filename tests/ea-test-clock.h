/* ea-test-clock.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A desk clock for tests that is always inside trading hours: it runs at
 * the wall clock's pace from Wednesday 2026-11-18 10:00 New York time, so
 * a test that trades passes on a weekend or after a flat-by time as well.
 */
#pragma once

#include "ea-desk.h"

/* 2026-11-18T15:00:00Z */
#define EA_TEST_SESSION_START_US (G_GINT64_CONSTANT (1795014000) * G_USEC_PER_SEC)

static inline EaTimeUs
ea_test_session_clock (gpointer user_data)
{
  return g_get_real_time () + *(const gint64 *) user_data;
}

static inline void
ea_test_desk_in_session (EaDesk *desk)
{
  gint64 *offset = g_new (gint64, 1);

  *offset = EA_TEST_SESSION_START_US - g_get_real_time ();
  ea_desk_set_clock (desk, ea_test_session_clock, offset, g_free);
}

/* The same clock from @start on. Returns its offset, owned by the desk,
 * so that a test can move the desk's time: *offset += usec. */
static inline gint64 *
ea_test_desk_clock_at (EaDesk   *desk,
                       EaTimeUs  start)
{
  gint64 *offset = g_new (gint64, 1);

  *offset = start - g_get_real_time ();
  ea_desk_set_clock (desk, ea_test_session_clock, offset, g_free);

  return offset;
}
