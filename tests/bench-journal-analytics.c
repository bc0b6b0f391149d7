/* bench-journal-analytics.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * journal.stats_ms_100k_trades: statistics of 100,000 trades read from a
 * real journal file (reopened after writing, so nothing is cached by the
 * journal), through ea_journal_query_analytics_async(). Prints the load and
 * statistics parts and the total, best of five runs, and the same with a
 * filter (one root, AM session) that needs the ET window of every trade.
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "ea-journal-analytics.h"
#include "journal-test-utils.h"

#define N_TRADES 100000
#define BATCH    10000
#define RUNS     5

/* 20 trades per trading day, 09:31 to 15:41 ET, ten weeks a year. */
static void
make_trades (EaJournalTrade *trades,
             guint           first,
             guint           n)
{
  /* Monday 2024-01-01 14:31 UTC (09:31 EST). */
  const EaTimeUs monday = G_GINT64_CONSTANT (1704119460000000);

  for (guint i = 0; i < n; i++)
    {
      guint k = first + i;
      guint day = k / 20, slot = k % 20;
      guint week = day / 5, weekday = day % 5;
      EaTimeUs entry = monday + ((gint64) week * 7 + weekday) * 86400 * G_USEC_PER_SEC
                       + (gint64) slot * 18 * 60 * G_USEC_PER_SEC;
      gint64 pnl = ((gint64) (k * 2654435761u % 1000) - 430) * 12500;

      trades[i] = (EaJournalTrade) {
        .account_id = 0,
        .symbol = (char *) (k % 3 == 0 ? "NQH4" : "ESH4"),
        .root = (char *) (k % 3 == 0 ? "NQ" : "ES"),
        .side = k & 1 ? EA_SIDE_SELL : EA_SIDE_BUY,
        .qty = 1 + k % 4,
        .entry_time_us = entry,
        .exit_time_us = entry + (gint64) (60 + k % 600) * G_USEC_PER_SEC,
        .entry_ticks = 19000 + k % 50,
        .exit_ticks = 19000 + k % 47,
        .pnl_micros = pnl,
        .fees_micros = 4500000,
        .mae_ticks = k % 9,
        .mfe_ticks = k % 13,
        .tags = (char *) (k % 7 == 0 ? "breakout, a+" : NULL),
        .notes = NULL,
      };
    }
}

/* CPU time of the whole process (all threads), µs: unlike the wall
 * clock, it does not count the time spent waiting for a CPU on a busy
 * machine. */
static gint64
cpu_time_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

typedef struct
{
  gint64  load_us;
  gint64  stats_us;
  guint   n;
  EaMicros total;
} Run;

/* The parts: loading the rows as structs (ea_journal_load_trades_async),
 * then the statistics over them (ea_journal_analytics_compute). */
static Run
run_parts (const char            *path,
           const EaJournalFilter *filter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournal) j = ea_journal_new_sync (path, NULL, &error);
  g_autoptr(GArray) trades = NULL;
  g_autoptr(EaJournalAnalytics) a = NULL;
  gint64 t0, t1, t2;
  Run run;

  g_assert_no_error (error);
  t0 = g_get_monotonic_time ();
  trades = jt_load_trades (j, filter->account_id, filter->from_us, filter->to_us, &error);
  g_assert_no_error (error);
  t1 = g_get_monotonic_time ();
  a = ea_journal_analytics_compute ((EaJournalTrade *) (gpointer) trades->data, trades->len, filter, &error);
  g_assert_no_error (error);
  t2 = g_get_monotonic_time ();

  run.load_us = t1 - t0;
  run.stats_us = t2 - t1;
  run.n = a->summary.n_trades;
  run.total = a->summary.total_pnl;
  jt_close (g_steal_pointer (&j));
  return run;
}

static void
bench (const char            *path,
       const char            *suffix,
       const EaJournalFilter *filter)
{
  gint64 best_load = G_MAXINT64, best_stats = G_MAXINT64, best_total = G_MAXINT64, best_cpu = G_MAXINT64;
  Run run = { 0 };
  EaJournalFilter all;

  ea_journal_filter_init (&all);
  if (filter == NULL)
    filter = &all;

  for (guint i = 0; i < RUNS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EaJournal) j = ea_journal_new_sync (path, NULL, &error);
      EaJournalAnalytics *q = NULL;
      gint64 t0, t1, c0, c1;

      g_assert_no_error (error);
      c0 = cpu_time_us ();
      t0 = g_get_monotonic_time ();
      JT_CALL (q = ea_journal_query_analytics_finish (j, r, &error),
               ea_journal_query_analytics_async (j, filter, NULL, jt_store_cb, &r));
      t1 = g_get_monotonic_time ();
      c1 = cpu_time_us ();
      best_cpu = MIN (best_cpu, c1 - c0);
      g_assert_no_error (error);
      ea_journal_analytics_free (q);
      jt_close (g_steal_pointer (&j));
      best_total = MIN (best_total, t1 - t0);

      run = run_parts (path, filter);
      best_stats = MIN (best_stats, run.stats_us);
      best_load = MIN (best_load, run.load_us);
    }

  printf ("# %u trades, total P&L %.2f\n", run.n, run.total / 1e6);
  printf ("bench: journal.stats_ms_100k_trades%s.load %.2f ms\n", suffix, best_load / 1000.0);
  printf ("bench: journal.stats_ms_100k_trades%s.stats %.2f ms\n", suffix, best_stats / 1000.0);
  printf ("bench: journal.stats_ms_100k_trades%s.cpu %.2f ms\n", suffix, best_cpu / 1000.0);
  printf ("bench: journal.stats_ms_100k_trades%s %.2f ms\n", suffix, best_total / 1000.0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ea-bench-analytics-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "journal.sqlite3", NULL);
  EaJournalTrade *trades = g_new0 (EaJournalTrade, BATCH);
  EaJournal *j;
  EaJournalFilter filter;

  g_assert_no_error (error);
  j = ea_journal_new_sync (path, NULL, &error);
  g_assert_no_error (error);
  for (guint first = 0; first < N_TRADES; first += BATCH)
    {
      make_trades (trades, first, BATCH);
      g_assert_cmpint (jt_insert_trades (j, trades, BATCH, &error), >, 0);
      g_assert_no_error (error);
    }
  jt_close (j);
  g_free (trades);

  bench (path, "", NULL);

  ea_journal_filter_init (&filter);
  filter.root = "ES";
  filter.session = EA_JOURNAL_SESSION_AM;
  bench (path, ".filtered", &filter);

  jt_rm_rf (dir);
  return 0;
}
