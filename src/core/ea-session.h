/* ea-session.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CME trading calendar: the trading day runs 17:00–16:00
 * America/Chicago, Sunday evening to Friday afternoon; ET windows for
 * signal cadence and flat-by times. Computed with GTimeZone from the tz
 * database, never with a fixed UTC offset.
 *
 * Exchange holidays (early closes, closed days) are not modelled: every
 * weekday is a trading day.
 */
#pragma once

#include <glib.h>

#include "ea-core-types.h"

G_BEGIN_DECLS

typedef enum
{
  EA_ET_WINDOW_NONE,
  EA_ET_WINDOW_AM,   /* 09:30–12:00 America/New_York */
  EA_ET_WINDOW_PM,   /* 12:00–16:00 America/New_York */
} EaEtWindow;

/* The CME trading day that @t belongs to, as YYYYMMDD (a Sunday 18:00 CT
 * belongs to Monday's trading day). Outside a session (weekend, the daily
 * 16:00–17:00 CT break) it is the trading day that opens next. */
guint32     ea_session_trading_day (GDateTime *t);

/* TRUE while the CME Globex session is open at @t. */
gboolean    ea_session_is_open     (GDateTime *t);

/* The next session open (17:00 America/Chicago, Sunday to Thursday)
 * strictly after @t. */
GDateTime  *ea_session_next_open   (GDateTime *t);

/* The next session close (16:00 America/Chicago, Monday to Friday)
 * strictly after @t. */
GDateTime  *ea_session_next_close  (GDateTime *t);

EaEtWindow  ea_session_et_window   (GDateTime *t);

/* The first instant strictly after @t at which the wall clock of @zone (a
 * tz database identifier such as "America/New_York"; NULL for UTC) reads
 * @hour:@minute, e.g. the next 16:59 ET flat-by time. A local time that a
 * spring-forward gap skips does not occur that day; one that a fall-back
 * repeats occurs twice. The result is in @zone. */
GDateTime  *ea_session_next_local_time (GDateTime  *t,
                                        const char *zone,
                                        int         hour,
                                        int         minute);

/* The shared, never freed, zones of the calendar (UTC with a warning when
 * the tz database lacks them). */
GTimeZone  *ea_session_zone_chicago    (void);
GTimeZone  *ea_session_zone_new_york   (void);

/* The session of trading day @day (YYYYMMDD, a weekday): it opens at 17:00
 * CT on the evening before (Sunday for Monday) and closes at 16:00 CT on
 * @day. NULL when @day is not a valid weekday date. */
GDateTime  *ea_session_day_open        (guint32     day);
GDateTime  *ea_session_day_close       (guint32     day);

/* The trading day after / before @day (skipping weekends); 0 when @day is
 * not a valid date. */
guint32     ea_session_next_day        (guint32     day);
guint32     ea_session_previous_day    (guint32     day);

/* EaTimeUs (µs since the epoch, UTC) <-> GDateTime. Times before 1900 or
 * after 9000 are clamped to those years. */
GDateTime  *ea_time_us_to_date_time    (EaTimeUs    t);
EaTimeUs    ea_time_us_from_date_time  (GDateTime  *t);

/* The functions above on EaTimeUs. */
guint32     ea_session_trading_day_us  (EaTimeUs    t);
gboolean    ea_session_is_open_us      (EaTimeUs    t);
EaTimeUs    ea_session_next_open_us    (EaTimeUs    t);
EaTimeUs    ea_session_next_close_us   (EaTimeUs    t);
EaEtWindow  ea_session_et_window_us    (EaTimeUs    t);

/* Where a practice market opened at @now starts its clock: @now while the
 * session is open with two hours or more before its close, otherwise the
 * regular open (09:30 America/New_York) of the latest trading day that
 * began before @now, so that Demo mode trades on a weekend too. */
EaTimeUs    ea_session_practice_start_us (EaTimeUs  now);
EaTimeUs    ea_session_next_local_time_us (EaTimeUs    t,
                                           const char *zone,
                                           int         hour,
                                           int         minute);

G_END_DECLS
