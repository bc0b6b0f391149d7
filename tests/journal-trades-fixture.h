/* journal-trades-fixture.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A fixed list of six trades with hand-computed statistics, shared by the
 * analytics and journal window tests. Monday 16 to Wednesday 18 November
 * 2026 (EST: ET = UTC − 5, CT = UTC − 6), all exits inside the regular
 * session, so the CME trading day is the UTC date.
 *
 *  #  day  entry UTC (ET)     dur   acct root pnl   tags
 *  1  Mon  14:40 (09:40 AM)   600 s  1   ES   +300  "breakout, a+"
 *  2  Mon  17:10 (12:10 PM)  1800 s  1   NQ   −100  "fade"
 *  3  Tue  15:00 (10:00 AM)   300 s  2   ES   −200  "breakout"
 *  4  Tue  18:00 (13:00 PM)  1200 s  1   ES   +500  NULL
 *  5  Wed  14:35 (09:35 AM)   600 s  2   NQ      0  "fade"
 *  6  Wed  19:00 (14:00 PM)  1800 s  1   ES   −150  " BREAKOUT "
 */
#pragma once

#include "ea-journal.h"

/* 2026-11-16T00:00:00Z */
#define JTF_MONDAY_US G_GINT64_CONSTANT (1794787200000000)
#define JTF_AT(day, h, m) (JTF_MONDAY_US + ((gint64) (day) * 86400 + (h) * 3600 + (m) * 60) * G_USEC_PER_SEC)

static inline void
jtf_make_trades (EaJournalTrade *t,
                 gint64          account_1,
                 gint64          account_2)
{
  static const struct
  {
    int day, h, m, dur_s, acct;
    const char *root;
    const char *symbol;
    int pnl;
    const char *tags;
  } rows[6] = {
    { 0, 14, 40,  600, 1, "ES", "ESZ6",  300, "breakout, a+" },
    { 0, 17, 10, 1800, 1, "NQ", "NQZ6", -100, "fade" },
    { 1, 15,  0,  300, 2, "ES", "ESZ6", -200, "breakout" },
    { 1, 18,  0, 1200, 1, "ES", "ESZ6",  500, NULL },
    { 2, 14, 35,  600, 2, "NQ", "NQZ6",    0, "fade" },
    { 2, 19,  0, 1800, 1, "ES", "ESZ6", -150, " BREAKOUT " },
  };

  for (guint i = 0; i < 6; i++)
    {
      t[i] = (EaJournalTrade) {
        .id = i + 1,
        .account_id = rows[i].acct == 1 ? account_1 : account_2,
        .symbol = (char *) rows[i].symbol,
        .root = (char *) rows[i].root,
        .side = i % 2 == 0 ? EA_SIDE_BUY : EA_SIDE_SELL,
        .qty = 1 + i % 3,
        .entry_time_us = JTF_AT (rows[i].day, rows[i].h, rows[i].m),
        .exit_time_us = JTF_AT (rows[i].day, rows[i].h, rows[i].m) + (gint64) rows[i].dur_s * G_USEC_PER_SEC,
        .entry_ticks = 20000 + 4 * i,
        .exit_ticks = 20010 + 4 * i,
        .pnl_micros = EA_MICROS (rows[i].pnl),
        .fees_micros = EA_MICROS (2) + 500000,
        .mae_ticks = i,
        .mfe_ticks = 2 * i,
        .tags = (char *) rows[i].tags,
        .notes = NULL,
      };
    }
}
