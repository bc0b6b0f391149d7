/* test-journal-analytics.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Journal analytics against hand-computed values for a fixed trade list
 * (journal-trades-fixture.h), with every filter, in memory and through a
 * real journal file.
 */
#include "config.h"

#include <math.h>

#include "ea-journal-analytics.h"
#include "ea-session.h"
#include "journal-test-utils.h"
#include "journal-trades-fixture.h"

#define M(x) EA_MICROS (x)

static EaJournalAnalytics *
compute (const EaJournalFilter *filter)
{
  EaJournalTrade trades[6];
  g_autoptr(GError) error = NULL;
  EaJournalAnalytics *a;

  jtf_make_trades (trades, 1, 2);
  a = ea_journal_analytics_compute (trades, G_N_ELEMENTS (trades), filter, &error);
  g_assert_no_error (error);
  g_assert_nonnull (a);
  return a;
}

static void
test_all (void)
{
  g_autoptr(EaJournalAnalytics) a = compute (NULL);
  const EaStatsSummary *s = &a->summary;
  static const EaMicros equity[] = { M (300), M (200), M (0), M (500), M (500), M (350) };

  /* P&L 300, −100, −200, 500, 0, −150. */
  g_assert_cmpuint (s->n_trades, ==, 6);
  g_assert_cmpuint (s->n_wins, ==, 2);
  g_assert_cmpuint (s->n_losses, ==, 3);
  g_assert_cmpuint (s->n_breakeven, ==, 1);
  g_assert_cmpint (s->total_pnl, ==, M (350));
  g_assert_cmpint (s->gross_profit, ==, M (800));
  g_assert_cmpint (s->gross_loss, ==, M (450));
  g_assert_cmpfloat_with_epsilon (s->win_rate, 2.0 / 6.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (s->avg_win, M (400), 1e-6);
  g_assert_cmpfloat_with_epsilon (s->avg_loss, M (150), 1e-6);
  g_assert_cmpfloat_with_epsilon (s->profit_factor, 800.0 / 450.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (s->expectancy, M (350) / 6.0, 1e-3);
  /* Sum of squared deviations from 58.333: 392083.33; / 5 = 78416.67. */
  g_assert_cmpfloat_with_epsilon (s->stdev, sqrt ((392083.0 + 1.0 / 3.0) / 5.0) * 1e6, 1.0);
  g_assert_cmpfloat_with_epsilon (s->sharpe, (350.0 / 6.0) / sqrt ((392083.0 + 1.0 / 3.0) / 5.0), 1e-9);
  /* Days: Mon +200, Tue +300, Wed −150: mean 116.667, stdev 236.291. */
  g_assert_cmpuint (s->n_days, ==, 3);
  g_assert_cmpfloat_with_epsilon (s->sharpe_annualised, 7.8379101692285, 1e-9);
  /* Equity 300, 200, 0, 500, 500, 350: the fall from 300 to 0. */
  g_assert_cmpint (s->max_drawdown, ==, M (300));
  /* W L L W B L */
  g_assert_cmpuint (s->longest_win_streak, ==, 1);
  g_assert_cmpuint (s->longest_loss_streak, ==, 2);
  g_assert_cmpint (s->current_streak, ==, -1);
  g_assert_cmpint (s->best_day, ==, M (300));
  g_assert_cmpint (s->best_day_id, ==, 20261117);
  g_assert_cmpint (s->worst_day, ==, M (-150));
  g_assert_cmpint (s->worst_day_id, ==, 20261118);
  g_assert_cmpfloat_with_epsilon (s->consistency, 300.0 / 350.0, 1e-12);

  /* (600 + 1800 + 300 + 1200 + 600 + 1800) / 6; wins (600 + 1200) / 2;
   * losses (1800 + 300 + 1800) / 3. */
  g_assert_cmpfloat_with_epsilon (a->avg_duration_s, 1050.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->avg_win_duration_s, 900.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->avg_loss_duration_s, 1300.0, 1e-9);

  g_assert_cmpuint (a->trades->len, ==, 6);
  g_assert_cmpuint (a->equity->len, ==, 6);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpint (g_array_index (a->equity, EaMicros, i), ==, equity[i]);

  g_assert_cmpuint (a->days->len, ==, 3);
  g_assert_cmpuint (g_array_index (a->days, EaJournalDay, 0).day, ==, 20261116);
  g_assert_cmpint (g_array_index (a->days, EaJournalDay, 0).pnl, ==, M (200));
  g_assert_cmpuint (g_array_index (a->days, EaJournalDay, 0).n_trades, ==, 2);
  g_assert_cmpint (ea_journal_analytics_lookup_day (a, 20261117)->pnl, ==, M (300));
  g_assert_cmpint (ea_journal_analytics_lookup_day (a, 20261118)->pnl, ==, M (-150));
  g_assert_null (ea_journal_analytics_lookup_day (a, 20261119));
  g_assert_null (ea_journal_analytics_lookup_day (a, 20261113));
}

typedef struct
{
  const char *name;
  gint64      account_id;
  const char *root;
  int         from_day;    /* -1: open */
  int         to_day;
  const char *tag;
  EaJournalSession session;
  guint       n_trades;
  EaMicros    total;
  guint64     ids;         /* trade ids as decimal digits, in order */
} FilterCase;

static void
test_filters (void)
{
  static const FilterCase cases[] = {
    { "account 1",    1, NULL, -1, -1, NULL, EA_JOURNAL_SESSION_ANY, 4, M (550), 1246 },
    { "account 2",    2, NULL, -1, -1, NULL, EA_JOURNAL_SESSION_ANY, 2, M (-200), 35 },
    { "ES",           0, "ES", -1, -1, NULL, EA_JOURNAL_SESSION_ANY, 4, M (450), 1346 },
    { "Tuesday",      0, NULL,  1,  2, NULL, EA_JOURNAL_SESSION_ANY, 2, M (300), 34 },
    { "from Tuesday", 0, NULL,  1, -1, NULL, EA_JOURNAL_SESSION_ANY, 4, M (150), 3456 },
    { "breakout",     0, NULL, -1, -1, "Breakout", EA_JOURNAL_SESSION_ANY, 3, M (-50), 136 },
    { "a+",           0, NULL, -1, -1, " a+ ", EA_JOURNAL_SESSION_ANY, 1, M (300), 1 },
    { "substring",    0, NULL, -1, -1, "break", EA_JOURNAL_SESSION_ANY, 0, 0, 0 },
    { "AM",           0, NULL, -1, -1, NULL, EA_JOURNAL_SESSION_AM, 3, M (100), 135 },
    { "PM",           0, NULL, -1, -1, NULL, EA_JOURNAL_SESSION_PM, 3, M (250), 246 },
    { "ES PM acct 1", 1, "ES", -1, -1, NULL, EA_JOURNAL_SESSION_PM, 2, M (350), 46 },
    { "none",         0, "CL", -1, -1, NULL, EA_JOURNAL_SESSION_ANY, 0, 0, 0 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const FilterCase *fc = &cases[c];
      g_autoptr(EaJournalAnalytics) a = NULL;
      EaJournalFilter filter;
      guint64 ids = 0;

      g_test_message ("filter %s", fc->name);
      ea_journal_filter_init (&filter);
      filter.account_id = fc->account_id;
      filter.root = fc->root;
      filter.tag = fc->tag;
      filter.session = fc->session;
      if (fc->from_day >= 0)
        filter.from_us = JTF_AT (fc->from_day, 0, 0);
      if (fc->to_day >= 0)
        filter.to_us = JTF_AT (fc->to_day, 0, 0);

      a = compute (&filter);
      g_assert_cmpuint (a->summary.n_trades, ==, fc->n_trades);
      g_assert_cmpint (a->summary.total_pnl, ==, fc->total);
      for (guint i = 0; i < a->trades->len; i++)
        {
          const EaJournalTrade *t = &g_array_index (a->trades, EaJournalTrade, i);

          ids = ids * 10 + (guint64) t->id;
          g_assert_true (ea_journal_filter_match (&filter, t));
        }
      g_assert_cmpuint (ids, ==, fc->ids);
    }
}

static void
test_filter_stats (void)
{
  g_autoptr(EaJournalAnalytics) a = NULL;
  EaJournalFilter filter;

  /* Account 1: 300, −100, 500, −150 over Mon (200), Tue (500), Wed (−150). */
  ea_journal_filter_init (&filter);
  filter.account_id = 1;
  a = compute (&filter);
  g_assert_cmpfloat_with_epsilon (a->summary.profit_factor, 800.0 / 250.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (a->summary.win_rate, 0.5, 1e-12);
  g_assert_cmpint (a->summary.max_drawdown, ==, M (150));
  g_assert_cmpint (a->summary.best_day, ==, M (500));
  g_assert_cmpfloat_with_epsilon (a->summary.consistency, 500.0 / 550.0, 1e-12);
  g_assert_cmpuint (a->summary.longest_win_streak, ==, 1);
  g_assert_cmpint (a->summary.current_streak, ==, -1);
  g_assert_cmpfloat_with_epsilon (a->avg_duration_s, (600 + 1800 + 1200 + 1800) / 4.0, 1e-9);
}

static void
test_kelly_inputs (void)
{
  g_autoptr(EaJournalAnalytics) a = compute (NULL);
  g_autoptr(GError) error = NULL;
  EaKellyInputs inputs;

  /* The last four: −200, +500, 0, −150. */
  g_assert_true (ea_journal_analytics_get_kelly_inputs (a, 4, &inputs, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (inputs.n_trades, ==, 4);
  g_assert_cmpfloat_with_epsilon (inputs.win_rate, 0.25, 1e-12);
  g_assert_cmpfloat_with_epsilon (inputs.avg_win, M (500), 1e-6);
  g_assert_cmpfloat_with_epsilon (inputs.avg_loss, M (175), 1e-6);
  g_assert_cmpuint (inputs.consecutive_losses, ==, 1);

  /* All six, and a lookback longer than the list. */
  for (guint lookback = 0; lookback <= 100; lookback += 100)
    {
      g_assert_true (ea_journal_analytics_get_kelly_inputs (a, lookback, &inputs, &error));
      g_assert_cmpuint (inputs.n_trades, ==, 6);
      g_assert_cmpfloat_with_epsilon (inputs.win_rate, 2.0 / 6.0, 1e-12);
      g_assert_cmpfloat_with_epsilon (inputs.avg_loss, M (150), 1e-6);
    }
}

static void
test_tags (void)
{
  g_assert_true (ea_journal_tags_contain ("a, b ,c", "b"));
  g_assert_true (ea_journal_tags_contain ("a, b ,c", " C"));
  g_assert_true (ea_journal_tags_contain ("solo", "SOLO"));
  g_assert_false (ea_journal_tags_contain ("a,,b", ""));
  g_assert_false (ea_journal_tags_contain ("alpha", "alp"));
  g_assert_false (ea_journal_tags_contain (NULL, "a"));
  g_assert_false (ea_journal_tags_contain ("a", NULL));
}

static void
test_out_of_order (void)
{
  EaJournalTrade trades[6];
  EaJournalTrade swapped[2];
  g_autoptr(GError) error = NULL;
  EaJournalAnalytics *a;

  /* A later day before an earlier one is refused, with the trade's id. */
  jtf_make_trades (trades, 1, 2);
  swapped[0] = trades[5];
  swapped[1] = trades[0];
  a = ea_journal_analytics_compute (swapped, 2, NULL, &error);
  g_assert_null (a);
  g_assert_error (error, EA_STATS_ERROR, EA_STATS_ERROR_ORDER);
  g_assert_nonnull (strstr (error->message, "Trade 1"));
}

static void
test_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournalAnalytics) a = ea_journal_analytics_compute (NULL, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (a->summary.n_trades, ==, 0);
  g_assert_cmpfloat (a->avg_duration_s, ==, 0);
  g_assert_cmpuint (a->days->len, ==, 0);
}

/* The trading day is cached between calls: it must match the calendar for
 * every trade, across both DST changes, weekends and the daily break. */
static void
test_trading_days (void)
{
  static const char *starts[] = { "2026-03-02T00:00:00Z", "2026-10-26T00:00:00Z" };
  g_autoptr(GArray) trades = g_array_new (FALSE, TRUE, sizeof (EaJournalTrade));
  g_autoptr(GArray) expected = g_array_new (FALSE, TRUE, sizeof (EaJournalDay));
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournalAnalytics) a = NULL;

  for (guint s = 0; s < G_N_ELEMENTS (starts); s++)
    {
      g_autoptr(GDateTime) start = g_date_time_new_from_iso8601 (starts[s], NULL);
      EaTimeUs t = g_date_time_to_unix (start) * G_USEC_PER_SEC;

      for (guint i = 0; i < 1500; i++)
        {
          EaJournalTrade trade = { 0 };
          guint32 day;

          /* From a second to seven hours later. */
          t += (EaTimeUs) g_rand_int_range (rand, 1, 7 * 3600) * G_USEC_PER_SEC;
          trade.id = trades->len + 1;
          trade.symbol = (char *) "ESZ6";
          trade.root = (char *) "ES";
          trade.side = EA_SIDE_BUY;
          trade.entry_time_us = t - 60 * G_USEC_PER_SEC;
          trade.exit_time_us = t;
          trade.pnl_micros = EA_MICROS (g_rand_int_range (rand, -100, 100));
          g_array_append_val (trades, trade);

          day = ea_session_trading_day_us (t);
          if (expected->len == 0 || g_array_index (expected, EaJournalDay, expected->len - 1).day != day)
            {
              EaJournalDay d = { day, 0, 0 };

              g_array_append_val (expected, d);
            }
          g_array_index (expected, EaJournalDay, expected->len - 1).pnl += trade.pnl_micros;
          g_array_index (expected, EaJournalDay, expected->len - 1).n_trades++;
        }
    }

  a = ea_journal_analytics_compute ((EaJournalTrade *) (gpointer) trades->data, trades->len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->days->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      const EaJournalDay *x = &g_array_index (a->days, EaJournalDay, i);
      const EaJournalDay *y = &g_array_index (expected, EaJournalDay, i);

      g_assert_cmpuint (x->day, ==, y->day);
      g_assert_cmpint (x->pnl, ==, y->pnl);
      g_assert_cmpuint (x->n_trades, ==, y->n_trades);
    }
  g_assert_cmpuint (a->summary.n_days, ==, expected->len);
}

static EaJournalAnalytics *
query (EaJournal             *j,
       const EaJournalFilter *filter,
       GError               **error)
{
  EaJournalAnalytics *v;

  JT_CALL (v = ea_journal_query_analytics_finish (j, r, error),
           ea_journal_query_analytics_async (j, filter, NULL, jt_store_cb, &r));
  return v;
}

static void
test_journal_query (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournal) j = ea_journal_new_sync (f->path, NULL, &error);
  g_autoptr(EaJournalAnalytics) all = NULL;
  g_autoptr(EaJournalAnalytics) acct = NULL;
  EaJournalTrade trades[6];
  EaJournalFilter filter;
  gint64 a1, a2;

  g_assert_no_error (error);
  a1 = jt_ensure_account (j, "sim", "A1", &error);
  a2 = jt_ensure_account (j, "sim", "A2", &error);
  g_assert_no_error (error);
  jtf_make_trades (trades, a1, a2);
  /* Stored out of order: the journal returns them by exit time. */
  g_assert_cmpint (jt_insert_trades (j, trades + 3, 3, &error), >, 0);
  g_assert_cmpint (jt_insert_trades (j, trades, 3, &error), >, 0);
  g_assert_no_error (error);

  all = query (j, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->summary.n_trades, ==, 6);
  g_assert_cmpint (all->summary.total_pnl, ==, M (350));
  g_assert_cmpint (all->summary.max_drawdown, ==, M (300));
  g_assert_cmpstr (g_array_index (all->trades, EaJournalTrade, 0).tags, ==, "breakout, a+");

  ea_journal_filter_init (&filter);
  filter.account_id = a2;
  filter.tag = "fade";
  acct = query (j, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (acct->summary.n_trades, ==, 1);
  g_assert_cmpint (acct->summary.n_breakeven, ==, 1);

  /* A bounded range (through the exit-time index), and an instrument. */
  {
    g_autoptr(EaJournalAnalytics) ranged = NULL;

    ea_journal_filter_init (&filter);
    filter.from_us = JTF_AT (1, 0, 0);
    filter.root = "ES";
    ranged = query (j, &filter, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ranged->summary.n_trades, ==, 3);
    g_assert_cmpint (ranged->summary.total_pnl, ==, M (150));
    g_assert_cmpint (g_array_index (ranged->trades, EaJournalTrade, 0).exit_time_us, ==, JTF_AT (1, 15, 5));
  }

  jt_close (g_steal_pointer (&j));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/journal-analytics/all", test_all);
  g_test_add_func ("/journal-analytics/filters", test_filters);
  g_test_add_func ("/journal-analytics/filter-stats", test_filter_stats);
  g_test_add_func ("/journal-analytics/kelly-inputs", test_kelly_inputs);
  g_test_add_func ("/journal-analytics/tags", test_tags);
  g_test_add_func ("/journal-analytics/out-of-order", test_out_of_order);
  g_test_add_func ("/journal-analytics/empty", test_empty);
  g_test_add_func ("/journal-analytics/trading-days", test_trading_days);
  g_test_add ("/journal-analytics/journal-query", Fixture, NULL,
              fixture_setup, test_journal_query, fixture_teardown);

  return g_test_run ();
}
