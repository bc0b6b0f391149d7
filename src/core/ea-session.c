/* ea-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CME Globex calendar in America/Chicago and the ET windows, computed
 * with GTimeZone so that DST changes in either zone are handled by the tz
 * database. Exchange holidays are not modelled.
 */
#define G_LOG_DOMAIN "ea-session"

#include "config.h"

#include "ea-session.h"

#define OPEN_HOUR  17 /* CT */
#define CLOSE_HOUR 16 /* CT */

static GTimeZone *
load_zone (const char *identifier)
{
  GTimeZone *tz = g_time_zone_new_identifier (identifier);

  if (tz == NULL)
    {
      /* Without the tz database there is no right answer; UTC keeps the
       * program running and the warning says why times look wrong. */
      g_warning ("Time zone “%s” is not available; using UTC", identifier);
      tz = g_time_zone_new_utc ();
    }

  return tz;
}

GTimeZone *
ea_session_zone_chicago (void)
{
  static GTimeZone *zone;

  if (g_once_init_enter (&zone))
    g_once_init_leave (&zone, load_zone ("America/Chicago"));

  return zone;
}

GTimeZone *
ea_session_zone_new_york (void)
{
  static GTimeZone *zone;

  if (g_once_init_enter (&zone))
    g_once_init_leave (&zone, load_zone ("America/New_York"));

  return zone;
}

static GTimeZone *
zone_for_identifier (const char *identifier)
{
  if (g_strcmp0 (identifier, "America/Chicago") == 0)
    return g_time_zone_ref (ea_session_zone_chicago ());
  if (g_strcmp0 (identifier, "America/New_York") == 0)
    return g_time_zone_ref (ea_session_zone_new_york ());
  if (identifier == NULL)
    return g_time_zone_new_utc ();

  return load_zone (identifier);
}

/* 1 = Monday … 7 = Sunday, as GLib counts. */
static gboolean
is_weekend (int day_of_week)
{
  return day_of_week >= 6;
}

static guint32
date_to_day (const GDate *date)
{
  return (guint32) g_date_get_year (date) * 10000
         + (guint32) g_date_get_month (date) * 100
         + (guint32) g_date_get_day (date);
}

guint32
ea_session_trading_day (GDateTime *t)
{
  g_autoptr(GDateTime) local = NULL;
  GDate date;

  g_return_val_if_fail (t != NULL, 0);

  local = g_date_time_to_timezone (t, ea_session_zone_chicago ());
  g_date_clear (&date, 1);
  g_date_set_dmy (&date,
                  (GDateDay) g_date_time_get_day_of_month (local),
                  (GDateMonth) g_date_time_get_month (local),
                  (GDateYear) g_date_time_get_year (local));

  /* From the daily close on, t belongs to the next session. */
  if (g_date_time_get_hour (local) >= CLOSE_HOUR)
    g_date_add_days (&date, 1);

  /* Saturday and Sunday sessions do not exist: Monday's is next. */
  while (g_date_get_weekday (&date) == G_DATE_SATURDAY
         || g_date_get_weekday (&date) == G_DATE_SUNDAY)
    g_date_add_days (&date, 1);

  return date_to_day (&date);
}

gboolean
ea_session_is_open (GDateTime *t)
{
  g_autoptr(GDateTime) local = NULL;
  int dow;
  int hour;

  g_return_val_if_fail (t != NULL, FALSE);

  local = g_date_time_to_timezone (t, ea_session_zone_chicago ());
  dow = g_date_time_get_day_of_week (local);
  hour = g_date_time_get_hour (local);

  /* Monday–Friday until 16:00; Sunday–Thursday from 17:00. */
  if (!is_weekend (dow) && hour < CLOSE_HOUR)
    return TRUE;
  if ((dow == 7 || dow <= 4) && hour >= OPEN_HOUR)
    return TRUE;

  return FALSE;
}

/* The first instant strictly after @t at @hour:00 Chicago time on a day
 * that has a session open (@opens) or a session close. */
static GDateTime *
next_chicago_hour (GDateTime *t,
                   int        hour,
                   gboolean   opens)
{
  g_autoptr(GDateTime) local = NULL;
  GTimeZone *tz = ea_session_zone_chicago ();

  local = g_date_time_to_timezone (t, tz);

  for (int i = 0; i < 9; i++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (local, i);
      g_autoptr(GDateTime) candidate = NULL;
      int dow = g_date_time_get_day_of_week (day);
      gboolean ok = opens ? (dow == 7 || dow <= 4) : !is_weekend (dow);

      if (!ok)
        continue;

      candidate = g_date_time_new (tz,
                                   g_date_time_get_year (day),
                                   g_date_time_get_month (day),
                                   g_date_time_get_day_of_month (day),
                                   hour, 0, 0);
      if (g_date_time_compare (candidate, t) > 0)
        return g_steal_pointer (&candidate);
    }

  g_assert_not_reached ();
  return NULL;
}

GDateTime *
ea_session_next_open (GDateTime *t)
{
  g_return_val_if_fail (t != NULL, NULL);

  return next_chicago_hour (t, OPEN_HOUR, TRUE);
}

GDateTime *
ea_session_next_close (GDateTime *t)
{
  g_return_val_if_fail (t != NULL, NULL);

  return next_chicago_hour (t, CLOSE_HOUR, FALSE);
}

EaEtWindow
ea_session_et_window (GDateTime *t)
{
  g_autoptr(GDateTime) local = NULL;
  int minutes;

  g_return_val_if_fail (t != NULL, EA_ET_WINDOW_NONE);

  local = g_date_time_to_timezone (t, ea_session_zone_new_york ());
  if (is_weekend (g_date_time_get_day_of_week (local)))
    return EA_ET_WINDOW_NONE;

  minutes = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
  if (minutes >= 9 * 60 + 30 && minutes < 12 * 60)
    return EA_ET_WINDOW_AM;
  if (minutes >= 12 * 60 && minutes < 16 * 60)
    return EA_ET_WINDOW_PM;

  return EA_ET_WINDOW_NONE;
}

/* Offset, in seconds east of UTC, of @tz at the UTC instant @utc. */
static gint32
offset_at (GTimeZone *tz,
           gint64     utc)
{
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, utc);

  return g_time_zone_get_offset (tz, interval);
}

GDateTime *
ea_session_next_local_time (GDateTime  *t,
                            const char *zone,
                            int         hour,
                            int         minute)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) local = NULL;
  gint64 t_unix;

  g_return_val_if_fail (t != NULL, NULL);
  g_return_val_if_fail (hour >= 0 && hour < 24, NULL);
  g_return_val_if_fail (minute >= 0 && minute < 60, NULL);

  tz = zone_for_identifier (zone);
  local = g_date_time_to_timezone (t, tz);
  t_unix = g_date_time_to_unix (t);

  /* For each local date from the day before, find the instants whose wall
   * clock reads hour:minute: none in a spring-forward gap, two in a
   * fall-back overlap. Offsets are tried from a day either side, which
   * covers any single transition. */
  for (int i = -1; i < 4; i++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (local, i);
      g_autoptr(GDateTime) wall = NULL;
      gint64 wall_unix;
      gint64 best = G_MAXINT64;
      gint32 offsets[2];

      /* The wall-clock reading as if it were UTC. */
      wall = g_date_time_new_utc (g_date_time_get_year (day),
                                  g_date_time_get_month (day),
                                  g_date_time_get_day_of_month (day),
                                  hour, minute, 0);
      wall_unix = g_date_time_to_unix (wall);
      offsets[0] = offset_at (tz, wall_unix - 86400);
      offsets[1] = offset_at (tz, wall_unix + 86400);

      for (guint k = 0; k < G_N_ELEMENTS (offsets); k++)
        {
          gint64 u = wall_unix - offsets[k];

          if (offset_at (tz, u) != offsets[k])
            continue;
          if (u > t_unix && u < best)
            best = u;
        }

      if (best != G_MAXINT64)
        {
          g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (best);

          return g_date_time_to_timezone (utc, tz);
        }
    }

  g_assert_not_reached ();
  return NULL;
}

static gboolean
day_to_date (guint32  day,
             GDate   *date)
{
  guint y = day / 10000;
  guint m = day / 100 % 100;
  guint d = day % 100;

  if (y < 1 || y > 9999 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;

  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

static gboolean
is_weekend_date (const GDate *date)
{
  return g_date_get_weekday (date) == G_DATE_SATURDAY
         || g_date_get_weekday (date) == G_DATE_SUNDAY;
}

static GDateTime *
chicago_at (const GDate *date,
            int          hour)
{
  return g_date_time_new (ea_session_zone_chicago (),
                          g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date), hour, 0, 0);
}

GDateTime *
ea_session_day_open (guint32 day)
{
  GDate date;

  if (!day_to_date (day, &date) || is_weekend_date (&date) || g_date_get_julian (&date) < 2)
    return NULL;

  /* Monday's session opens on Sunday, the others on the evening before. */
  g_date_subtract_days (&date, 1);

  return chicago_at (&date, OPEN_HOUR);
}

GDateTime *
ea_session_day_close (guint32 day)
{
  GDate date;

  if (!day_to_date (day, &date) || is_weekend_date (&date))
    return NULL;

  return chicago_at (&date, CLOSE_HOUR);
}

static guint32
step_day (guint32 day,
          int     direction)
{
  GDate date;

  if (!day_to_date (day, &date))
    return 0;

  do
    {
      if (direction > 0)
        {
          if (g_date_get_year (&date) == 9999 && g_date_get_month (&date) == 12
              && g_date_get_day (&date) >= 29)
            return 0;
          g_date_add_days (&date, 1);
        }
      else
        {
          if (g_date_get_julian (&date) <= 3)
            return 0;
          g_date_subtract_days (&date, 1);
        }
    }
  while (is_weekend_date (&date));

  return date_to_day (&date);
}

guint32
ea_session_next_day (guint32 day)
{
  return step_day (day, 1);
}

guint32
ea_session_previous_day (guint32 day)
{
  return step_day (day, -1);
}

#define MIN_UNIX_SECONDS G_GINT64_CONSTANT (-2208988800)  /* 1900-01-01 */
#define MAX_UNIX_SECONDS G_GINT64_CONSTANT (221845392000)  /* 9000-01-01 */

GDateTime *
ea_time_us_to_date_time (EaTimeUs t)
{
  gint64 seconds = t / G_USEC_PER_SEC;
  gint64 usec = t % G_USEC_PER_SEC;
  g_autoptr(GDateTime) whole = NULL;

  if (usec < 0)
    {
      seconds--;
      usec += G_USEC_PER_SEC;
    }

  /* Keep far-off garbage inside GDateTime's range (and a margin for the
   * day arithmetic of the calendar) rather than failing. */
  if (seconds < MIN_UNIX_SECONDS)
    {
      seconds = MIN_UNIX_SECONDS;
      usec = 0;
    }
  else if (seconds > MAX_UNIX_SECONDS)
    {
      seconds = MAX_UNIX_SECONDS;
      usec = 0;
    }

  whole = g_date_time_new_from_unix_utc (seconds);

  return g_date_time_add (whole, usec);
}

EaTimeUs
ea_time_us_from_date_time (GDateTime *t)
{
  g_return_val_if_fail (t != NULL, 0);

  return g_date_time_to_unix (t) * G_USEC_PER_SEC + g_date_time_get_microsecond (t);
}

guint32
ea_session_trading_day_us (EaTimeUs t)
{
  g_autoptr(GDateTime) dt = ea_time_us_to_date_time (t);

  return ea_session_trading_day (dt);
}

gboolean
ea_session_is_open_us (EaTimeUs t)
{
  g_autoptr(GDateTime) dt = ea_time_us_to_date_time (t);

  return ea_session_is_open (dt);
}

EaTimeUs
ea_session_next_open_us (EaTimeUs t)
{
  g_autoptr(GDateTime) dt = ea_time_us_to_date_time (t);
  g_autoptr(GDateTime) next = ea_session_next_open (dt);

  return ea_time_us_from_date_time (next);
}

EaTimeUs
ea_session_next_close_us (EaTimeUs t)
{
  g_autoptr(GDateTime) dt = ea_time_us_to_date_time (t);
  g_autoptr(GDateTime) next = ea_session_next_close (dt);

  return ea_time_us_from_date_time (next);
}

EaEtWindow
ea_session_et_window_us (EaTimeUs t)
{
  g_autoptr(GDateTime) dt = ea_time_us_to_date_time (t);

  return ea_session_et_window (dt);
}

EaTimeUs
ea_session_next_local_time_us (EaTimeUs    t,
                               const char *zone,
                               int         hour,
                               int         minute)
{
  g_autoptr(GDateTime) dt = ea_time_us_to_date_time (t);
  g_autoptr(GDateTime) next = ea_session_next_local_time (dt, zone, hour, minute);

  g_return_val_if_fail (next != NULL, 0);

  return ea_time_us_from_date_time (next);
}

EaTimeUs
ea_session_practice_start_us (EaTimeUs now)
{
  guint32 day;

  if (ea_session_is_open_us (now) &&
      ea_session_next_close_us (now) - now >= 2 * G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
    return now;

  day = ea_session_trading_day_us (now);
  for (guint i = 0; i < 8 && day != 0; i++)
    {
      g_autoptr(GDateTime) open = g_date_time_new (ea_session_zone_new_york (),
                                                   (int) (day / 10000), (int) (day / 100 % 100),
                                                   (int) (day % 100), 9, 30, 0);
      EaTimeUs t = open != NULL ? ea_time_us_from_date_time (open) : now + 1;

      if (t <= now)
        return t;
      day = ea_session_previous_day (day);
    }

  return now;
}
