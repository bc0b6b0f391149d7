/* test-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * US DST 2026 starts Sunday March 8 and ends Sunday November 1 (02:00
 * local in both zones). CT is UTC-6 (CST) / UTC-5 (CDT); ET is UTC-5 / UTC-4.
 */
#include "config.h"

#include "ea-session.h"

static GDateTime *
utc (int y, int mo, int d, int h, int mi, int s)
{
  return g_date_time_new_utc (y, mo, d, h, mi, s);
}

static void
assert_utc (GDateTime *got,
            int y, int mo, int d, int h, int mi)
{
  g_autoptr(GDateTime) want = utc (y, mo, d, h, mi, 0);

  g_assert_nonnull (got);
  if (!g_date_time_equal (got, want))
    {
      g_autofree char *a = g_date_time_format_iso8601 (got);
      g_autofree char *b = g_date_time_format_iso8601 (want);

      g_error ("got %s, want %s", a, b);
    }
}

static void
test_session_open_and_day (void)
{
  static const struct {
    int y, mo, d, h, mi, s;  /* UTC */
    gboolean open;
    guint32 day;
  } cases[] = {
    /* Friday March 6 2026 (CST): close at 16:00 CST = 22:00 UTC. */
    { 2026, 3, 6, 21, 59, 59, TRUE,  20260306 },
    { 2026, 3, 6, 22, 0, 0,   FALSE, 20260309 },
    { 2026, 3, 6, 23, 0, 0,   FALSE, 20260309 }, /* Friday 17:00 CT: no session */
    { 2026, 3, 7, 18, 0, 0,   FALSE, 20260309 }, /* Saturday */
    /* Sunday March 8 2026, first CDT day: opens 17:00 CDT = 22:00 UTC. */
    { 2026, 3, 8, 21, 59, 59, FALSE, 20260309 }, /* 16:59:59 CDT (17:59 CST would be open) */
    { 2026, 3, 8, 22, 0, 0,   TRUE,  20260309 },
    { 2026, 3, 9, 20, 59, 59, TRUE,  20260309 }, /* Monday 15:59:59 CDT */
    { 2026, 3, 9, 21, 0, 0,   FALSE, 20260310 }, /* Monday 16:00 CDT: break */
    { 2026, 3, 9, 21, 59, 59, FALSE, 20260310 },
    { 2026, 3, 9, 22, 0, 0,   TRUE,  20260310 },
    /* Friday October 30 2026 (CDT) close at 21:00 UTC; Sunday November 1 (CST) open at 23:00 UTC. */
    { 2026, 10, 30, 20, 59, 0, TRUE,  20261030 },
    { 2026, 10, 30, 21, 0, 0,  FALSE, 20261102 },
    { 2026, 11, 1, 22, 0, 0,   FALSE, 20261102 }, /* 16:00 CST; 17:00 CDT would be open */
    { 2026, 11, 1, 23, 0, 0,   TRUE,  20261102 },
    { 2026, 11, 1, 7, 30, 0,   FALSE, 20261102 }, /* during the repeated 01:xx hour */
    /* Tuesday November 24 2026 (CST). */
    { 2026, 11, 24, 21, 59, 0, TRUE,  20261124 },
    { 2026, 11, 24, 22, 30, 0, FALSE, 20261125 },
    { 2026, 11, 24, 23, 0, 0,  TRUE,  20261125 },
    { 2026, 11, 25, 5, 59, 0,  TRUE,  20261125 }, /* 23:59 CT Tuesday */
    { 2026, 11, 25, 6, 0, 0,   TRUE,  20261125 }, /* 00:00 CT Wednesday */
    /* Thursday 16:30 CT belongs to Friday; Friday 17:00 CT to Monday. */
    { 2026, 11, 26, 22, 30, 0, FALSE, 20261127 },
    { 2026, 11, 26, 23, 30, 0, TRUE,  20261127 },
    { 2026, 11, 27, 23, 0, 0,  FALSE, 20261130 },
    /* Year boundary: Thursday December 31 2026 18:00 CT is Friday January 1's day. */
    { 2027, 1, 1, 0, 0, 0,     TRUE,  20270101 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) t = utc (cases[i].y, cases[i].mo, cases[i].d,
                                    cases[i].h, cases[i].mi, cases[i].s);

      g_test_message ("case %u", i);
      g_assert_cmpint (ea_session_is_open (t), ==, cases[i].open);
      g_assert_cmpuint (ea_session_trading_day (t), ==, cases[i].day);
    }
}

static void
test_session_next_open_close (void)
{
  static const struct {
    int y, mo, d, h, mi;
    int oy, omo, od, oh, omi;  /* next open, UTC */
    int cy, cmo, cd, ch, cmi;  /* next close, UTC */
  } cases[] = {
    /* Friday March 6 at the close: next open is Sunday 17:00 CDT. */
    { 2026, 3, 6, 22, 0,   2026, 3, 8, 22, 0,   2026, 3, 9, 21, 0 },
    /* Friday 15:00 CST. */
    { 2026, 3, 6, 21, 0,   2026, 3, 8, 22, 0,   2026, 3, 6, 22, 0 },
    /* Exactly at the Sunday open: strictly after. */
    { 2026, 3, 8, 22, 0,   2026, 3, 9, 22, 0,   2026, 3, 9, 21, 0 },
    /* Saturday before the November change. */
    { 2026, 10, 31, 12, 0, 2026, 11, 1, 23, 0,  2026, 11, 2, 22, 0 },
    /* Thursday in the break: open 17:00 the same day, close Friday. */
    { 2026, 11, 26, 22, 30, 2026, 11, 26, 23, 0, 2026, 11, 27, 22, 0 },
    /* Thursday at the open: next open is Sunday. */
    { 2026, 11, 26, 23, 0, 2026, 11, 29, 23, 0, 2026, 11, 27, 22, 0 },
    /* Across the year end. */
    { 2026, 12, 31, 23, 0, 2027, 1, 3, 23, 0,   2027, 1, 1, 22, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) t = utc (cases[i].y, cases[i].mo, cases[i].d,
                                    cases[i].h, cases[i].mi, 0);
      g_autoptr(GDateTime) open = ea_session_next_open (t);
      g_autoptr(GDateTime) close = ea_session_next_close (t);

      g_test_message ("case %u", i);
      assert_utc (open, cases[i].oy, cases[i].omo, cases[i].od, cases[i].oh, cases[i].omi);
      assert_utc (close, cases[i].cy, cases[i].cmo, cases[i].cd, cases[i].ch, cases[i].cmi);
      g_assert_true (ea_session_is_open (open));
      g_assert_false (ea_session_is_open (close));
    }
}

static void
test_session_et_window (void)
{
  static const struct {
    int y, mo, d, h, mi;
    EaEtWindow window;
  } cases[] = {
    /* Friday March 6 2026, EST (UTC-5). */
    { 2026, 3, 6, 13, 30, EA_ET_WINDOW_NONE }, /* 08:30 */
    { 2026, 3, 6, 14, 29, EA_ET_WINDOW_NONE },
    { 2026, 3, 6, 14, 30, EA_ET_WINDOW_AM },
    { 2026, 3, 6, 16, 59, EA_ET_WINDOW_AM },
    { 2026, 3, 6, 17, 0,  EA_ET_WINDOW_PM },
    { 2026, 3, 6, 20, 59, EA_ET_WINDOW_PM },
    { 2026, 3, 6, 21, 0,  EA_ET_WINDOW_NONE },
    /* Monday March 9 2026, EDT (UTC-4). */
    { 2026, 3, 9, 13, 29, EA_ET_WINDOW_NONE },
    { 2026, 3, 9, 13, 30, EA_ET_WINDOW_AM },
    { 2026, 3, 9, 15, 59, EA_ET_WINDOW_AM },
    { 2026, 3, 9, 16, 0,  EA_ET_WINDOW_PM },
    { 2026, 3, 9, 19, 59, EA_ET_WINDOW_PM },
    { 2026, 3, 9, 20, 0,  EA_ET_WINDOW_NONE },
    /* Friday October 30 (EDT) and Monday November 2 (EST). */
    { 2026, 10, 30, 13, 30, EA_ET_WINDOW_AM },
    { 2026, 11, 2, 13, 30,  EA_ET_WINDOW_NONE },
    { 2026, 11, 2, 14, 30,  EA_ET_WINDOW_AM },
    /* Weekend. */
    { 2026, 3, 7, 15, 0,  EA_ET_WINDOW_NONE },
    { 2026, 3, 8, 17, 0,  EA_ET_WINDOW_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) t = utc (cases[i].y, cases[i].mo, cases[i].d,
                                    cases[i].h, cases[i].mi, 0);

      g_test_message ("case %u", i);
      g_assert_cmpint (ea_session_et_window (t), ==, cases[i].window);
    }
}

static void
test_session_next_local_time (void)
{
  static const struct {
    int y, mo, d, h, mi;
    const char *zone;
    int hour, minute;
    int wy, wmo, wd, wh, wmi;  /* UTC */
  } cases[] = {
    /* Flat by 16:59 ET across the March change. */
    { 2026, 3, 7, 22, 0,  "America/New_York", 16, 59,  2026, 3, 8, 20, 59 },
    { 2026, 3, 6, 12, 0,  "America/New_York", 16, 59,  2026, 3, 6, 21, 59 },
    { 2026, 3, 6, 21, 59, "America/New_York", 16, 59,  2026, 3, 7, 21, 59 },
    /* … and the November change. */
    { 2026, 10, 31, 21, 0, "America/New_York", 16, 59, 2026, 11, 1, 21, 59 },
    { 2026, 10, 31, 20, 0, "America/New_York", 16, 59, 2026, 10, 31, 20, 59 },
    /* 02:30 does not exist on March 8 in New York: the next is March 9. */
    { 2026, 3, 8, 5, 0,   "America/New_York", 2, 30,   2026, 3, 9, 6, 30 },
    /* 01:30 happens twice on November 1: EDT then EST. */
    { 2026, 11, 1, 5, 0,  "America/New_York", 1, 30,   2026, 11, 1, 5, 30 },
    { 2026, 11, 1, 5, 30, "America/New_York", 1, 30,   2026, 11, 1, 6, 30 },
    { 2026, 11, 1, 6, 30, "America/New_York", 1, 30,   2026, 11, 2, 6, 30 },
    /* Chicago 17:00 on both Sundays. */
    { 2026, 3, 8, 12, 0,  "America/Chicago", 17, 0,    2026, 3, 8, 22, 0 },
    { 2026, 11, 1, 12, 0, "America/Chicago", 17, 0,    2026, 11, 1, 23, 0 },
    { 2026, 3, 8, 7, 0,   "America/Chicago", 2, 15,    2026, 3, 9, 7, 15 },
    /* UTC and midnight, across a year end. */
    { 2026, 12, 31, 23, 59, NULL, 0, 0,                2027, 1, 1, 0, 0 },
    { 2026, 12, 31, 23, 59, "UTC", 23, 59,             2027, 1, 1, 23, 59 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) t = utc (cases[i].y, cases[i].mo, cases[i].d,
                                    cases[i].h, cases[i].mi, 0);
      g_autoptr(GDateTime) next = ea_session_next_local_time (t, cases[i].zone,
                                                              cases[i].hour,
                                                              cases[i].minute);

      g_test_message ("case %u", i);
      assert_utc (next, cases[i].wy, cases[i].wmo, cases[i].wd, cases[i].wh, cases[i].wmi);
      g_assert_cmpint (g_date_time_get_hour (next), ==, cases[i].hour);
      g_assert_cmpint (g_date_time_get_minute (next), ==, cases[i].minute);
    }
}

/* A walk over 2026 in 7-minute steps: the trading day never goes back,
 * the session is open exactly between next_open and next_close, and the
 * day of an open session is its closing date in Chicago. */
static void
test_session_year_walk (void)
{
  g_autoptr(GDateTime) t = utc (2026, 1, 1, 0, 3, 0);
  guint32 last_day = 0;
  guint n_open = 0;

  while (g_date_time_get_year (t) == 2026)
    {
      g_autoptr(GDateTime) open = ea_session_next_open (t);
      g_autoptr(GDateTime) close = ea_session_next_close (t);
      guint32 day = ea_session_trading_day (t);
      gboolean is_open = ea_session_is_open (t);
      GDateTime *next;

      g_assert_cmpuint (day, >=, last_day);
      last_day = day;
      /* Open iff the next close comes before the next open. */
      g_assert_cmpint (is_open, ==, g_date_time_compare (close, open) < 0);
      if (is_open)
        {
          g_autoptr(GDateTime) local = g_date_time_to_timezone (close, ea_session_zone_chicago ());
          guint32 close_day = g_date_time_get_year (local) * 10000
                              + g_date_time_get_month (local) * 100
                              + g_date_time_get_day_of_month (local);

          g_assert_cmpuint (close_day, ==, day);
          n_open++;
        }

      next = g_date_time_add_minutes (t, 7);
      g_date_time_unref (t);
      t = next;
    }

  /* 261 weekdays in 2026 of 23 hours each, sampled every 7 minutes. */
  g_assert_cmpuint (n_open, >=, 261 * 23 * 60 / 7 - 300);
  g_assert_cmpuint (n_open, <=, 261 * 23 * 60 / 7 + 300);
}

static void
test_session_day_bounds (void)
{
  static const struct {
    guint32 day;
    int oy, omo, od, oh;  /* open, UTC */
    int cy, cmo, cd, ch;  /* close, UTC */
    guint32 next, previous;
  } cases[] = {
    /* Monday March 9 2026: opens Sunday March 8 17:00 CDT, closes 16:00 CDT. */
    { 20260309, 2026, 3, 8, 22,  2026, 3, 9, 21,  20260310, 20260306 },
    /* Friday March 6 2026 (CST). */
    { 20260306, 2026, 3, 5, 23,  2026, 3, 6, 22,  20260309, 20260305 },
    /* Monday November 2 2026: opens Sunday November 1 17:00 CST. */
    { 20261102, 2026, 11, 1, 23, 2026, 11, 2, 22, 20261103, 20261030 },
    /* Friday January 1 2027 opens on New Year's Eve. */
    { 20270101, 2026, 12, 31, 23, 2027, 1, 1, 22, 20270104, 20261231 },
  };
  static const guint32 bad[] = { 0, 20260307, 20260308, 20261332, 20260229, 123 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) open = ea_session_day_open (cases[i].day);
      g_autoptr(GDateTime) close = ea_session_day_close (cases[i].day);
      g_autoptr(GDateTime) just_after_open = NULL;
      g_autoptr(GDateTime) just_before_close = NULL;

      g_test_message ("%u", cases[i].day);
      assert_utc (open, cases[i].oy, cases[i].omo, cases[i].od, cases[i].oh, 0);
      assert_utc (close, cases[i].cy, cases[i].cmo, cases[i].cd, cases[i].ch, 0);
      g_assert_cmpuint (ea_session_next_day (cases[i].day), ==, cases[i].next);
      g_assert_cmpuint (ea_session_previous_day (cases[i].day), ==, cases[i].previous);

      /* The bounds agree with the instant-based calendar. */
      just_after_open = g_date_time_add_seconds (open, 1);
      just_before_close = g_date_time_add_seconds (close, -1);
      g_assert_cmpuint (ea_session_trading_day (just_after_open), ==, cases[i].day);
      g_assert_cmpuint (ea_session_trading_day (just_before_close), ==, cases[i].day);
      g_assert_true (ea_session_is_open (just_after_open));
      g_assert_true (ea_session_is_open (just_before_close));
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_null (ea_session_day_open (bad[i]));
      g_assert_null (ea_session_day_close (bad[i]));
    }
  /* Weekend days are valid dates: they step to the adjacent weekday. */
  g_assert_cmpuint (ea_session_next_day (20260307), ==, 20260309);
  g_assert_cmpuint (ea_session_previous_day (20260308), ==, 20260306);
  g_assert_cmpuint (ea_session_next_day (20261332), ==, 0);
  g_assert_cmpuint (ea_session_previous_day (0), ==, 0);
}

static void
test_session_time_us (void)
{
  /* Sunday March 8 2026 22:00:00 UTC = 17:00 CDT, the open. */
  const EaTimeUs open = G_GINT64_CONSTANT (1773007200) * G_USEC_PER_SEC;
  g_autoptr(GDateTime) dt = ea_time_us_to_date_time (open + 250);
  g_autoptr(GDateTime) before = ea_time_us_to_date_time (-1);

  {
    g_autoptr(GDateTime) at_open = ea_time_us_to_date_time (open);

    assert_utc (at_open, 2026, 3, 8, 22, 0);
  }
  g_assert_cmpint (g_date_time_get_microsecond (dt), ==, 250);
  g_assert_cmpint (ea_time_us_from_date_time (dt), ==, open + 250);
  g_assert_cmpint (g_date_time_get_year (before), ==, 1969);
  g_assert_cmpint (g_date_time_get_microsecond (before), ==, 999999);
  g_assert_cmpint (ea_time_us_from_date_time (before), ==, -1);

  g_assert_false (ea_session_is_open_us (open - 1));
  g_assert_true (ea_session_is_open_us (open));
  g_assert_cmpuint (ea_session_trading_day_us (open - 1), ==, 20260309);
  g_assert_cmpint (ea_session_next_open_us (open - 1), ==, open);
  g_assert_cmpint (ea_session_next_open_us (open), ==, open + G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC);
  /* Monday 16:00 CDT = 21:00 UTC. */
  g_assert_cmpint (ea_session_next_close_us (open), ==, open + G_GINT64_CONSTANT (23 * 3600) * G_USEC_PER_SEC);
  /* Monday 09:30 EDT = 13:30 UTC. */
  g_assert_cmpint (ea_session_et_window_us (open + G_GINT64_CONSTANT (15 * 3600 + 1800) * G_USEC_PER_SEC),
                   ==, EA_ET_WINDOW_AM);
  /* Flat by 16:59 ET: Sunday 16:59 EDT = 20:59 UTC already passed; Monday's. */
  g_assert_cmpint (ea_session_next_local_time_us (open, "America/New_York", 16, 59),
                   ==, open + G_GINT64_CONSTANT (22 * 3600 + 59 * 60) * G_USEC_PER_SEC);
  /* Half a second past 16:59:00 is past it. */
  g_assert_cmpint (ea_session_next_local_time_us (open - G_GINT64_CONSTANT (3600 + 60) * G_USEC_PER_SEC + 500000,
                                                  "America/New_York", 16, 59),
                   ==, open + G_GINT64_CONSTANT (22 * 3600 + 59 * 60) * G_USEC_PER_SEC);

  /* Garbage times are clamped, never a crash. */
  /* 1900-01-01 00:00 UTC is Sunday 18:00 CST: Monday January 1's session. */
  g_assert_cmpuint (ea_session_trading_day_us (G_MININT64), ==, 19000101);
  g_assert_cmpuint (ea_session_trading_day_us (G_MAXINT64), >, 90000000);
  g_assert_cmpint (ea_session_next_open_us (G_MAXINT64), >, 0);
}

static EaTimeUs
utc_us (int y, int mo, int d, int h, int mi)
{
  g_autoptr(GDateTime) t = utc (y, mo, d, h, mi, 0);

  return ea_time_us_from_date_time (t);
}

/* Demo's practice market always starts inside a session. */
static void
test_session_practice_start (void)
{
  static const struct {
    int y, mo, d, h, mi;     /* now, UTC */
    int wy, wmo, wd, wh, wmi; /* start, UTC; 0: now */
  } cases[] = {
    /* Wednesday 10:00 ET (EST): open, seven hours left: now. */
    { 2026, 11, 18, 15, 0,   0, 0, 0, 0, 0 },
    /* Wednesday 20:00 ET: the evening session, 21 h to its close: now. */
    { 2026, 11, 19, 1, 0,    0, 0, 0, 0, 0 },
    /* Wednesday 16:00 ET: an hour to the close: 09:30 ET that day. */
    { 2026, 11, 18, 21, 0,   2026, 11, 18, 14, 30 },
    /* Wednesday 17:30 ET, the daily break: Wednesday 09:30 ET. */
    { 2026, 11, 18, 22, 30,  2026, 11, 18, 14, 30 },
    /* Saturday: Friday 09:30 ET. */
    { 2026, 12, 5, 17, 0,    2026, 12, 4, 14, 30 },
    /* Sunday 17:00 ET, before the open: Friday 09:30 ET. */
    { 2026, 12, 6, 22, 0,    2026, 12, 4, 14, 30 },
    /* Sunday 19:00 ET: Monday's session is open: now. */
    { 2026, 12, 7, 0, 0,     0, 0, 0, 0, 0 },
    /* Saturday in summer time (EDT): Friday 09:30 ET is 13:30 UTC. */
    { 2026, 7, 11, 12, 0,    2026, 7, 10, 13, 30 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      EaTimeUs now = utc_us (cases[i].y, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi);
      EaTimeUs want = cases[i].wy == 0 ? now
                      : utc_us (cases[i].wy, cases[i].wmo, cases[i].wd, cases[i].wh, cases[i].wmi);
      EaTimeUs got = ea_session_practice_start_us (now);

      g_test_message ("case %u", i);
      g_assert_cmpint (got, ==, want);
      g_assert_true (ea_session_is_open_us (got));
      g_assert_cmpint (got, <=, now);
    }
}

/* The exchange zones: New York and Chicago an hour apart, both with DST. */
static void
test_session_zones (void)
{
  GTimeZone *ny = ea_session_zone_new_york ();
  GTimeZone *chi = ea_session_zone_chicago ();
  /* 2026-01-15 17:00 UTC and 2026-07-15 17:00 UTC */
  const gint64 winter = 1768496400, summer = 1784134800;
  gint i;

  g_assert_nonnull (ny);
  g_assert_nonnull (chi);
  g_assert_true (ny == ea_session_zone_new_york ());
  i = g_time_zone_find_interval (ny, G_TIME_TYPE_UNIVERSAL, winter);
  g_assert_cmpint (g_time_zone_get_offset (ny, i), ==, -5 * 3600);
  i = g_time_zone_find_interval (ny, G_TIME_TYPE_UNIVERSAL, summer);
  g_assert_cmpint (g_time_zone_get_offset (ny, i), ==, -4 * 3600);
  i = g_time_zone_find_interval (chi, G_TIME_TYPE_UNIVERSAL, winter);
  g_assert_cmpint (g_time_zone_get_offset (chi, i), ==, -6 * 3600);
  i = g_time_zone_find_interval (chi, G_TIME_TYPE_UNIVERSAL, summer);
  g_assert_cmpint (g_time_zone_get_offset (chi, i), ==, -5 * 3600);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session/open-and-day", test_session_open_and_day);
  g_test_add_func ("/session/next-open-close", test_session_next_open_close);
  g_test_add_func ("/session/et-window", test_session_et_window);
  g_test_add_func ("/session/next-local-time", test_session_next_local_time);
  g_test_add_func ("/session/year-walk", test_session_year_walk);
  g_test_add_func ("/session/day-bounds", test_session_day_bounds);
  g_test_add_func ("/session/time-us", test_session_time_us);
  g_test_add_func ("/session/practice-start", test_session_practice_start);
  g_test_add_func ("/session/zones", test_session_zones);

  return g_test_run ();
}
