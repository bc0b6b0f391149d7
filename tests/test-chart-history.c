/* test-chart-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * History on a fed chart: a Demo market shows bars drawn from the
 * exchange's price process before any live quote, ending at the exchange's
 * (not the wall clock's) time and price so that live prints continue
 * them; a symbol no broker serves history for gets the bars the journal
 * stored, and live bars that close are stored for the next start.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ea-chart-feed.h"
#include "ea-resources.h"
#include "ea-session.h"
#include "ea-sim-broker.h"
#include "ea-test-gtk-utils.h"

/* Tuesday 2025-11-18 09:00:05 CT: inside a session, 5 s into a minute. */
#define START_US (G_GINT64_CONSTANT (1763478000000000) + 5 * G_USEC_PER_SEC)
#define MINUTE   G_GINT64_CONSTANT (60000000)

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
iterate (void)
{
  for (guint i = 0; i < 5; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

static EaTimeUs
sim_clock (gpointer user_data)
{
  return ea_sim_broker_get_time (EA_SIM_BROKER (user_data));
}

static void
history_loaded_cb (EaChartFeed *feed, guint n_bars, gpointer user_data)
{
  *(gint *) user_data = (gint) n_bars;
}

static gint
wait_history (gint *loaded)
{
  for (guint i = 0; i < 200 && *loaded < 0; i++)
    ea_test_iterate (10);
  return *loaded;
}

static EaJournal *
open_journal (char **dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  EaJournal *journal;

  *dir = g_dir_make_tmp ("ea-chart-history-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (*dir, "journal.db", NULL);
  journal = ea_journal_new_sync (path, NULL, &error);
  g_assert_no_error (error);
  return journal;
}

static void
remove_journal (EaJournal *journal, char *dir)
{
  g_autofree char *path = g_build_filename (dir, "journal.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  ea_journal_close (journal);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
  g_free (dir);
}

static GArray *
stored_bars (EaJournal *journal, const char *symbol, gint period_s)
{
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;
  GArray *rows;

  /* Queued after every earlier write, so it sees them. */
  ea_journal_load_bars_async (journal, symbol, period_s, 0, G_MAXINT64, NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  rows = ea_journal_load_bars_finish (journal, res, &error);
  g_assert_no_error (error);
  g_object_unref (res);
  return rows;
}

static void
check_bars (EaChartView *view, gsize n, EaTimeUs period)
{
  for (gsize i = 0; i < n; i++)
    {
      const EaBar *bar = ea_chart_view_get_bar (view, i);

      g_assert_cmpint (bar->end - bar->start, ==, period);
      g_assert_cmpint (bar->start % period, ==, 0);
      g_assert_cmpint (bar->high, >=, MAX (bar->open, bar->close));
      g_assert_cmpint (bar->low, <=, MIN (bar->open, bar->close));
      g_assert_cmpint (bar->volume, >, 0);
      if (i > 0)
        {
          const EaBar *prev = ea_chart_view_get_bar (view, i - 1);

          g_assert_cmpint (bar->start, >=, prev->end);
          /* One price process: each bar opens where the previous closed. */
          g_assert_cmpint (bar->open, ==, prev->close);
        }
    }
}

static void
test_demo (void)
{
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_DEMO);
  g_autoptr(EaSimBroker) sim = ea_sim_broker_new (11, START_US);
  EaSimExchange *ex = ea_sim_broker_get_exchange (sim);
  g_autoptr(EaJournal) journal = NULL;
  g_autofree char *dir = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chart = ea_chart_new ();
  EaChartView *view = ea_chart_get_view (EA_CHART (chart));
  g_autoptr(EaChartFeed) feed = NULL;
  g_autoptr(GArray) rows = NULL;
  EaBarSpec minute = ea_bar_spec_time (MINUTE, 0);
  EaBarSpec five = ea_bar_spec_time (5 * MINUTE, 0);
  GAsyncResult *res = NULL;
  const EaBar *last, *live;
  EaTicks price;
  EaTimeUs now;
  guint64 n_quotes;
  gint loaded = -1;

  journal = open_journal (&dir);
  ea_desk_set_journal (desk, journal);
  ea_desk_set_clock (desk, sim_clock, sim, NULL);
  ea_desk_add_broker (desk, EA_BROKER (sim));
  ea_broker_connect_async (EA_BROKER (sim), NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&res);
  iterate ();

  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 500);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ea_chart_set_bar_spec (EA_CHART (chart), &minute, NULL));

  price = ea_sim_exchange_get_quote (ex, "ES")->last;
  if (price == 0)
    price = (ea_sim_exchange_get_quote (ex, "ES")->bid + ea_sim_exchange_get_quote (ex, "ES")->ask) / 2;
  n_quotes = ea_sim_exchange_get_n_quotes (ex);
  now = ea_sim_broker_get_time (sim);
  g_assert_cmpint (now, <, g_get_real_time () - G_GINT64_CONSTANT (200) * 24 * 3600 * G_USEC_PER_SEC);

  feed = ea_chart_feed_new (desk, EA_CHART (chart), "DEMO-1", "ES");
  g_signal_connect (feed, "history-loaded", G_CALLBACK (history_loaded_cb), &loaded);
  g_assert_cmpint (wait_history (&loaded), ==, 500);

  /* History before any live quote: the exchange clock has not moved. */
  g_assert_cmpuint (ea_sim_exchange_get_n_quotes (ex), ==, n_quotes);
  g_assert_cmpuint (ea_chart_view_get_n_bars (view), ==, 500);
  check_bars (view, 500, MINUTE);

  /* It ends at the exchange's time and price, not the wall clock's. */
  last = ea_chart_view_get_bar (view, 499);
  g_assert_cmpint (last->end, ==, now - now % MINUTE);
  g_assert_cmpint (last->close, ==, price);
  /* Demo's session calendar: no bar in the daily break (16:00–17:00 CT). */
  for (gsize i = 0; i < 500; i++)
    {
      g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (ea_chart_view_get_bar (view, i)->start / G_USEC_PER_SEC);
      g_autoptr(GDateTime) ct = g_date_time_to_timezone (t, ea_session_zone_chicago ());

      g_assert_cmpint (g_date_time_get_hour (ct), !=, 16);
    }

  /* Live prints continue it: the forming bar is the next minute and
   * opens where history closed (within the spread's ticks). */
  ea_sim_broker_advance (sim, 20 * G_USEC_PER_SEC);
  iterate ();
  ea_chart_flush_live (EA_CHART (chart));
  g_assert_cmpuint (ea_chart_view_get_n_bars (view), ==, 501);
  g_assert_true (ea_chart_view_has_forming (view));
  last = ea_chart_view_get_bar (view, 499);
  live = ea_chart_view_get_bar (view, 500);
  g_assert_cmpint (live->start, ==, last->end);
  g_assert_cmpint (ABS (live->open - last->close), <=, 4);

  /* The loaded bars went to the journal. */
  rows = stored_bars (journal, "ES", 60);
  g_assert_cmpuint (rows->len, ==, 500);
  g_assert_cmpint (g_array_index (rows, EaJournalBar, 499).close_ticks, ==, price);
  g_clear_pointer (&rows, g_array_unref);

  /* A new period reloads: 5-minute bars, again ending at the exchange's time. */
  loaded = -1;
  g_assert_true (ea_chart_set_bar_spec (EA_CHART (chart), &five, NULL));
  g_assert_cmpint (wait_history (&loaded), ==, 500);
  check_bars (view, 500, 5 * MINUTE);
  now = ea_sim_broker_get_time (sim);
  last = ea_chart_view_get_bar (view, 499);
  g_assert_cmpint (last->end, ==, now - now % (5 * MINUTE));

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&feed);
  remove_journal (g_steal_pointer (&journal), g_steal_pointer (&dir));
}

/* A broker that trades but serves no history. */
#define TEST_TYPE_PLAIN_BROKER (test_plain_broker_get_type ())
G_DECLARE_FINAL_TYPE (TestPlainBroker, test_plain_broker, TEST, PLAIN_BROKER, GObject)

struct _TestPlainBroker
{
  GObject parent_instance;
};

static const char *
plain_get_name (EaBroker *broker)
{
  return "Plain";
}

static EaConnectionState
plain_get_state (EaBroker *broker)
{
  return EA_CONNECTION_STATE_CONNECTED;
}

static void
plain_list_accounts_async (EaBroker *broker, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (broker, cancellable, callback, user_data);

  g_task_return_pointer (task, g_ptr_array_new (), (GDestroyNotify) g_ptr_array_unref);
}

static GPtrArray *
plain_list_accounts_finish (EaBroker *broker, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
plain_subscribe_async (EaBroker *broker, const char *symbol, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (broker, cancellable, callback, user_data);

  g_task_return_boolean (task, TRUE);
}

static gboolean
plain_finish_bool (EaBroker *broker, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
plain_snapshot_async (EaBroker *broker, const char *account, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (broker, cancellable, callback, user_data);

  g_task_return_pointer (task, ea_snapshot_data_new (START_US), (GDestroyNotify) ea_snapshot_data_free);
}

static EaSnapshotData *
plain_snapshot_finish (EaBroker *broker, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
plain_iface_init (EaBrokerInterface *iface)
{
  iface->get_name = plain_get_name;
  iface->get_connection_state = plain_get_state;
  iface->list_accounts_async = plain_list_accounts_async;
  iface->list_accounts_finish = plain_list_accounts_finish;
  iface->subscribe_quotes_async = plain_subscribe_async;
  iface->subscribe_quotes_finish = plain_finish_bool;
  iface->snapshot_async = plain_snapshot_async;
  iface->snapshot_finish = plain_snapshot_finish;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestPlainBroker, test_plain_broker, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (EA_TYPE_BROKER, plain_iface_init))

static void
test_plain_broker_class_init (TestPlainBrokerClass *klass)
{
}

static void
test_plain_broker_init (TestPlainBroker *self)
{
}

/* A broker that builds bars itself: it records what it is asked. */
#define TEST_TYPE_BARS_BROKER (test_bars_broker_get_type ())
G_DECLARE_FINAL_TYPE (TestBarsBroker, test_bars_broker, TEST, BARS_BROKER, GObject)

struct _TestBarsBroker
{
  GObject    parent_instance;
  GPtrArray *calls;   /* "sub ESZ5 60", "unsub ESZ5 60" */
};

static gboolean
bars_subscribe (EaBroker *broker, const char *symbol, EaTimeUs period, GError **error)
{
  g_ptr_array_add (TEST_BARS_BROKER (broker)->calls,
                   g_strdup_printf ("sub %s %" G_GINT64_FORMAT, symbol, period / G_USEC_PER_SEC));
  return TRUE;
}

static void
bars_unsubscribe (EaBroker *broker, const char *symbol, EaTimeUs period)
{
  g_ptr_array_add (TEST_BARS_BROKER (broker)->calls,
                   g_strdup_printf ("unsub %s %" G_GINT64_FORMAT, symbol, period / G_USEC_PER_SEC));
}

static void
bars_iface_init (EaBrokerInterface *iface)
{
  plain_iface_init (iface);
  iface->subscribe_bars = bars_subscribe;
  iface->unsubscribe_bars = bars_unsubscribe;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestBarsBroker, test_bars_broker, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (EA_TYPE_BROKER, bars_iface_init))

static void
test_bars_broker_finalize (GObject *object)
{
  g_ptr_array_unref (TEST_BARS_BROKER (object)->calls);
  G_OBJECT_CLASS (test_bars_broker_parent_class)->finalize (object);
}

static void
test_bars_broker_class_init (TestBarsBrokerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_bars_broker_finalize;
}

static void
test_bars_broker_init (TestBarsBroker *self)
{
  self->calls = g_ptr_array_new_with_free_func (g_free);
}

static void
assert_calls (TestBarsBroker *broker,
              const char     *expected)
{
  g_autoptr(GString) got = g_string_new (NULL);

  for (guint i = 0; i < broker->calls->len; i++)
    g_string_append_printf (got, "%s%s", i ? ", " : "", (const char *) g_ptr_array_index (broker->calls, i));
  g_assert_cmpstr (got->str, ==, expected);
}

static void
emit_bar (TestBarsBroker *broker,
          EaTimeUs        period,
          EaTimeUs        start,
          EaTicks         open,
          EaTicks         high,
          EaTicks         low,
          EaTicks         close,
          gint64          volume)
{
  EaLiveBarData data = {
    .symbol = "ESZ5", .period = period,
    .bar = { .start = start, .end = start + period, .open = open, .high = high, .low = low,
             .close = close, .volume = volume, .n_ticks = volume },
  };

  ea_broker_emit_bar (EA_BROKER (broker), &data);
}

static EaTimeUs
fixed_clock (gpointer user_data)
{
  return *(EaTimeUs *) user_data;
}

static void
test_journal (void)
{
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_DEMO);
  g_autoptr(TestPlainBroker) plain = g_object_new (TEST_TYPE_PLAIN_BROKER, NULL);
  g_autoptr(EaSimBroker) sim = ea_sim_broker_new (3, START_US);
  g_autoptr(EaJournal) journal = NULL;
  g_autofree char *dir = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chart = ea_chart_new ();
  EaChartView *view = ea_chart_get_view (EA_CHART (chart));
  g_autoptr(EaChartFeed) feed = NULL;
  g_autoptr(GArray) rows = NULL;
  EaBarSpec minute = ea_bar_spec_time (MINUTE, 0);
  EaJournalBar stored[40];
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;
  EaTimeUs base = START_US - 5 * G_USEC_PER_SEC - 40 * MINUTE;
  EaTimeUs clock = START_US;
  gint loaded = -1;
  gboolean found = FALSE;

  g_assert_false (ea_broker_can_load_bars (EA_BROKER (plain)));

  /* 40 stored minutes of ES before the start, and one of NQ. */
  journal = open_journal (&dir);
  for (guint i = 0; i < G_N_ELEMENTS (stored); i++)
    {
      stored[i] = (EaJournalBar) { .symbol = i == 7 ? "NQZ5" : "ESZ5", .root = i == 7 ? "NQ" : "ES",
                                   .period_s = 60, .open_time_us = base + (EaTimeUs) i * MINUTE,
                                   .open_ticks = 27000 + i, .high_ticks = 27004 + i,
                                   .low_ticks = 26998 + i, .close_ticks = 27001 + i, .volume = 10 + i };
    }
  ea_journal_upsert_bars_async (journal, stored, G_N_ELEMENTS (stored), NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ea_journal_upsert_bars_finish (journal, res, &error));
  g_assert_no_error (error);
  g_clear_object (&res);

  ea_desk_set_journal (desk, journal);
  ea_desk_set_clock (desk, fixed_clock, &clock, NULL);
  ea_desk_add_broker (desk, EA_BROKER (plain));
  /* Demo serves history, but not of a contract month it does not list. */
  ea_desk_add_broker (desk, EA_BROKER (sim));
  ea_broker_connect_async (EA_BROKER (sim), NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&res);
  iterate ();

  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ea_chart_set_bar_spec (EA_CHART (chart), &minute, NULL));
  feed = ea_chart_feed_new (desk, EA_CHART (chart), "DEMO-1", "ESZ5");
  g_signal_connect (feed, "history-loaded", G_CALLBACK (history_loaded_cb), &loaded);

  /* The stored ES bars, in order, without NQ's. */
  g_assert_cmpint (wait_history (&loaded), ==, 39);
  g_assert_cmpuint (ea_chart_view_get_n_bars (view), ==, 39);
  for (guint i = 0, j = 0; i < G_N_ELEMENTS (stored); i++)
    {
      const EaBar *bar;

      if (i == 7)
        continue;
      bar = ea_chart_view_get_bar (view, j++);
      g_assert_cmpint (bar->start, ==, stored[i].open_time_us);
      g_assert_cmpint (bar->end, ==, stored[i].open_time_us + MINUTE);
      g_assert_cmpint (bar->close, ==, stored[i].close_ticks);
      g_assert_cmpint (bar->high, ==, stored[i].high_ticks);
    }

  /* Live prints across two minutes: the first minute closes and is
   * stored for the next start. */
  for (guint i = 0; i < 4; i++)
    {
      EaQuoteData q = { .symbol = "ESZ5", .time = START_US + (EaTimeUs) i * 30 * G_USEC_PER_SEC,
                        .bid = 27100, .ask = 27101, .last = 27100 + i, .last_size = 3,
                        .bid_size = 5, .ask_size = 5, .volume = 100 };

      ea_broker_emit_quote (EA_BROKER (plain), &q);
    }
  iterate ();
  ea_chart_flush_live (EA_CHART (chart));
  g_assert_cmpuint (ea_chart_view_get_n_bars (view), >, 39);

  rows = stored_bars (journal, "ESZ5", 60);
  for (guint i = 0; i < rows->len; i++)
    {
      const EaJournalBar *row = &g_array_index (rows, EaJournalBar, i);

      if (row->open_time_us == START_US - 5 * G_USEC_PER_SEC)
        {
          found = TRUE;
          g_assert_cmpint (row->open_ticks, ==, 27100);
          g_assert_cmpint (row->close_ticks, ==, 27101);
          g_assert_cmpint (row->volume, ==, 6);
        }
    }
  g_assert_true (found);

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&feed);
  remove_journal (g_steal_pointer (&journal), g_steal_pointer (&dir));
}

/* A broker that builds its own bars feeds the chart: the forming bar is
 * updated in place, a new one closes it (stored for the next start),
 * older and nonsensical bars are left out, prints draw no bars meanwhile,
 * and the subscription follows the chart's period and ends with it. */
static void
test_live_bars (void)
{
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_DEMO);
  g_autoptr(TestBarsBroker) broker = g_object_new (TEST_TYPE_BARS_BROKER, NULL);
  g_autoptr(EaJournal) journal = NULL;
  g_autofree char *dir = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chart = ea_chart_new ();
  EaChartView *view = ea_chart_get_view (EA_CHART (chart));
  g_autoptr(EaChartFeed) feed = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  EaBarSpec minute = ea_bar_spec_time (MINUTE, 0);
  EaBarSpec five = ea_bar_spec_time (5 * MINUTE, 0);
  EaTimeUs open_minute = START_US - 5 * G_USEC_PER_SEC;   /* the minute forming at the start */
  EaJournalBar stored[3];
  EaTimeUs clock = START_US;
  GAsyncResult *res = NULL;
  const EaBar *bar;
  gint loaded = -1;
  gboolean found = FALSE;

  /* Three stored minutes before the start: the history. */
  journal = open_journal (&dir);
  for (guint i = 0; i < G_N_ELEMENTS (stored); i++)
    stored[i] = (EaJournalBar) { .symbol = "ESZ5", .root = "ES", .period_s = 60,
                                 .open_time_us = open_minute - (3 - (EaTimeUs) i) * MINUTE,
                                 .open_ticks = 27090, .high_ticks = 27095, .low_ticks = 27088,
                                 .close_ticks = 27092, .volume = 10 };
  ea_journal_upsert_bars_async (journal, stored, G_N_ELEMENTS (stored), NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ea_journal_upsert_bars_finish (journal, res, &error));
  g_assert_no_error (error);
  g_clear_object (&res);

  ea_desk_set_journal (desk, journal);
  ea_desk_set_clock (desk, fixed_clock, &clock, NULL);
  ea_desk_add_broker (desk, EA_BROKER (broker));
  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ea_chart_set_bar_spec (EA_CHART (chart), &minute, NULL));
  feed = ea_chart_feed_new (desk, EA_CHART (chart), "DEMO-1", "ESZ5");
  g_signal_connect (feed, "history-loaded", G_CALLBACK (history_loaded_cb), &loaded);
  g_assert_cmpint (wait_history (&loaded), ==, 3);
  assert_calls (broker, "sub ESZ5 60");

  /* Prints draw no bar: the broker's bars do. */
  {
    EaQuoteData q = { .symbol = "ESZ5", .time = START_US, .bid = 27100, .ask = 27101, .last = 27100,
                      .last_size = 3, .bid_size = 5, .ask_size = 5, .volume = 100 };

    ea_broker_emit_quote (EA_BROKER (broker), &q);
  }
  iterate ();
  ea_chart_flush_live (EA_CHART (chart));
  g_assert_cmpuint (ea_chart_view_get_n_bars (view), ==, 3);

  /* The forming minute, then again with more in it: one bar, updated. */
  emit_bar (broker, MINUTE, open_minute, 27100, 27100, 27100, 27100, 1);
  g_assert_cmpuint (ea_chart_view_get_n_bars (view), ==, 4);
  g_assert_true (ea_chart_view_has_forming (view));
  emit_bar (broker, MINUTE, open_minute, 27100, 27105, 27099, 27104, 3);
  g_assert_cmpuint (ea_chart_view_get_n_bars (view), ==, 4);
  bar = ea_chart_view_get_bar (view, 3);
  g_assert_cmpint (bar->start, ==, open_minute);
  g_assert_cmpint (bar->high, ==, 27105);
  g_assert_cmpint (bar->close, ==, 27104);

  /* An older bar, a bar that makes no sense, another period's: left out. */
  emit_bar (broker, MINUTE, open_minute - MINUTE, 27000, 27001, 26999, 27000, 1);
  emit_bar (broker, MINUTE, open_minute, 27100, 27090, 27110, 27104, 3);
  emit_bar (broker, 5 * MINUTE, open_minute, 27300, 27300, 27300, 27300, 1);
  g_assert_cmpuint (ea_chart_view_get_n_bars (view), ==, 4);
  bar = ea_chart_view_get_bar (view, 3);
  g_assert_cmpint (bar->close, ==, 27104);
  g_assert_cmpint (bar->high, ==, 27105);
  g_assert_cmpint (ea_chart_view_get_bar (view, 2)->close, ==, 27092);

  /* The next minute closes the forming one. */
  emit_bar (broker, MINUTE, open_minute + MINUTE, 27106, 27106, 27106, 27106, 2);
  g_assert_cmpuint (ea_chart_view_get_n_bars (view), ==, 5);
  g_assert_cmpint (ea_chart_view_get_bar (view, 3)->close, ==, 27104);
  g_assert_cmpint (ea_chart_view_get_bar (view, 4)->close, ==, 27106);
  g_assert_true (ea_chart_view_has_forming (view));
  rows = stored_bars (journal, "ESZ5", 60);
  for (guint i = 0; i < rows->len; i++)
    {
      const EaJournalBar *row = &g_array_index (rows, EaJournalBar, i);

      if (row->open_time_us == open_minute)
        {
          found = TRUE;
          g_assert_cmpint (row->close_ticks, ==, 27104);
          g_assert_cmpint (row->volume, ==, 3);
        }
    }
  g_assert_true (found);

  /* The bars broker reconnects: the history (with the closed minute the
   * journal now has) is loaded again and the live bars go on from it. */
  loaded = -1;
  clock = open_minute + MINUTE + 5 * G_USEC_PER_SEC;
  ea_broker_emit_connection_state (EA_BROKER (broker), EA_CONNECTION_STATE_CONNECTED, NULL);
  g_assert_cmpint (wait_history (&loaded), ==, 4);
  assert_calls (broker, "sub ESZ5 60, unsub ESZ5 60, sub ESZ5 60");
  emit_bar (broker, MINUTE, open_minute + MINUTE, 27106, 27108, 27106, 27107, 4);
  g_assert_cmpuint (ea_chart_view_get_n_bars (view), ==, 5);
  g_assert_cmpint (ea_chart_view_get_bar (view, 3)->close, ==, 27104);
  g_assert_cmpint (ea_chart_view_get_bar (view, 4)->close, ==, 27107);

  /* Another timeframe: the old subscription goes, the new one comes. */
  loaded = -1;
  g_assert_true (ea_chart_set_bar_spec (EA_CHART (chart), &five, NULL));
  wait_history (&loaded);
  assert_calls (broker, "sub ESZ5 60, unsub ESZ5 60, sub ESZ5 60, unsub ESZ5 60, sub ESZ5 300");

  /* Leaving the chart ends it. */
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&feed);
  assert_calls (broker, "sub ESZ5 60, unsub ESZ5 60, sub ESZ5 60, unsub ESZ5 60, sub ESZ5 300, unsub ESZ5 300");
  remove_journal (g_steal_pointer (&journal), g_steal_pointer (&dir));
}

/* A chart opened before its Demo broker connects gets the history once
 * the broker is online. */
static void
test_late_connect (void)
{
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_DEMO);
  g_autoptr(EaSimBroker) sim = ea_sim_broker_new (11, START_US);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chart = ea_chart_new ();
  EaChartView *view = ea_chart_get_view (EA_CHART (chart));
  g_autoptr(EaChartFeed) feed = NULL;
  GAsyncResult *res = NULL;
  gint loaded = -1;

  ea_desk_set_clock (desk, sim_clock, sim, NULL);
  ea_desk_add_broker (desk, EA_BROKER (sim));
  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_present (GTK_WINDOW (window));
  feed = ea_chart_feed_new (desk, EA_CHART (chart), "DEMO-1", "ES");
  g_signal_connect (feed, "history-loaded", G_CALLBACK (history_loaded_cb), &loaded);
  ea_test_iterate (50);
  g_assert_cmpint (loaded, ==, -1);
  g_assert_cmpuint (ea_chart_view_get_n_bars (view), ==, 0);

  ea_broker_connect_async (EA_BROKER (sim), NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&res);
  g_assert_cmpint (wait_history (&loaded), ==, 500);
  g_assert_cmpuint (ea_chart_view_get_n_bars (view), ==, 500);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_assert_nonnull (ea_get_resource ());

  g_test_add_func ("/chart/history/demo", test_demo);
  g_test_add_func ("/chart/history/journal", test_journal);
  g_test_add_func ("/chart/history/late-connect", test_late_connect);
  g_test_add_func ("/chart/history/live-bars", test_live_bars);

  return g_test_run ();
}
