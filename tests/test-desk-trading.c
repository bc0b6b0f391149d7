/* test-desk-trading.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk on the embedded exchange: orders through the risk check and
 * the journal, fills applied once, and the emergency stop that proves
 * every account flat — also with an account whose broker is away.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ea-alert.h"
#include "ea-desk.h"
#include "ea-session.h"
#include "ea-fill.h"
#include "ea-position.h"
#include "ea-signal.h"
#include "ea-sim-broker.h"
#include "ea-erm.h"
#include "ea-indicators.h"
#include "ea-test-clock.h"
#include "ea-journal-private.h"

#include <sqlite3.h>

/* Tuesday 2025-11-18 15:00 UTC = 09:00 America/Chicago. */
#define TUE_0900_CT G_GINT64_CONSTANT (1763478000000000)
#define SEC         G_GINT64_CONSTANT (1000000)
#define ES_6800     27200

typedef struct
{
  EaDesk      *desk;
  EaSimBroker *sim;
  EaSimBroker *sim2;    /* a second broker, for the away-account case */
  EaJournal   *journal;
  char        *dir;
} Fixture;

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
connect_broker (EaBroker *broker)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;

  ea_broker_connect_async (broker, NULL, result_cb, &res);
  g_assert_true (ea_broker_connect_finish (broker, wait_for (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);
  iterate ();
}

static EaSimBroker *
new_sim (guint64 seed)
{
  EaSimBroker *sim = ea_sim_broker_new (seed, TUE_0900_CT);
  EaSimExchange *ex = ea_sim_broker_get_exchange (sim);

  ea_sim_exchange_set_generator_enabled (ex, FALSE);
  ea_sim_exchange_set_always_open (ex, TRUE);
  ea_sim_exchange_push_quote (ex, "ES", ES_6800, ES_6800 + 1, 50, 50, NULL);
  ea_sim_exchange_push_trade (ex, "ES", ES_6800, 1, NULL);
  ea_sim_exchange_push_quote (ex, "NQ", 100000, 100001, 50, 50, NULL);
  ea_sim_exchange_push_trade (ex, "NQ", 100000, 1, NULL);

  return sim;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("ea-desk-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "journal.sqlite3", NULL);
  f->journal = ea_journal_new_sync (path, NULL, &error);
  g_assert_no_error (error);

  f->desk = ea_desk_new (EA_MODE_DEMO);
  ea_test_desk_in_session (f->desk);
  ea_desk_set_journal (f->desk, f->journal);

  f->sim = new_sim (7);
  ea_desk_watch_symbol (f->desk, "ES");
  ea_desk_watch_symbol (f->desk, "NQ");
  ea_desk_add_broker (f->desk, EA_BROKER (f->sim));
  connect_broker (EA_BROKER (f->sim));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;

  ea_journal_flush_async (f->journal, NULL, result_cb, &res);
  ea_journal_flush_finish (f->journal, wait_for (&res), NULL);
  g_object_unref (res);

  g_clear_object (&f->desk);
  g_clear_object (&f->sim);
  g_clear_object (&f->sim2);
  ea_journal_close (f->journal);
  g_clear_object (&f->journal);

  {
    g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name (dir)))
      {
        g_autofree char *p = g_build_filename (f->dir, name, NULL);
        g_unlink (p);
      }
  }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static char *
place (Fixture           *f,
       const EaDeskOrder *order,
       EaRiskDecision    *decision,
       GError           **error)
{
  GAsyncResult *res = NULL;
  char *id;

  ea_desk_place_order_async (f->desk, order, EA_ACTOR_USER, NULL, result_cb, &res);
  id = ea_desk_place_order_finish (f->desk, wait_for (&res), decision, error);
  g_object_unref (res);
  iterate ();

  return id;
}

static gint64
position_qty (Fixture    *f,
              const char *account,
              const char *symbol)
{
  EaPosition *p = ea_trading_store_lookup_position (ea_desk_get_store (f->desk), account, symbol);
  gint64 qty = 0;

  if (p != NULL)
    g_object_get (p, "qty", &qty, NULL);

  return qty;
}

static guint
journal_count (Fixture    *f,
               const char *sql)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  ea_journal_flush_async (f->journal, NULL, result_cb, &res);
  g_assert_true (ea_journal_flush_finish (f->journal, wait_for (&res), &error));
  g_object_unref (res);

  g_assert_cmpint (sqlite3_open_v2 (ea_journal_get_path (f->journal), &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

static guint
count_alerts (Fixture    *f,
              const char *kind)
{
  GListModel *alerts = ea_trading_store_get_alerts (ea_desk_get_store (f->desk));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(EaAlert) a = g_list_model_get_item (alerts, i);

      if (g_strcmp0 (ea_alert_get_kind (a), kind) == 0)
        {
          n++;
          g_test_message ("%s", ea_alert_get_body (a));
        }
    }

  return n;
}

static void
push_es (Fixture *f,
         EaTicks  price)
{
  EaSimExchange *ex = ea_sim_broker_get_exchange (f->sim);

  ea_sim_exchange_push_quote (ex, "ES", price, price + 1, 50, 50, NULL);
  ea_sim_exchange_push_trade (ex, "ES", price, 1, NULL);
  iterate ();
}

/* A long Enigma signal on ES at 6800 is watched on the ESZ6-style quote
 * stream: nothing before 30 s or below half an ATR against it, one
 * reversal alert (journaled) when both hold, and never a second one. */
static void
test_erm_reversal (Fixture       *f,
                   gconstpointer  data)
{
  const EaInstrumentSpec *spec = ea_desk_lookup_spec ("ES");
  EaTicks atr = (EaTicks) (spec->default_atr_points / spec->tick_size);
  g_autoptr(EaSignal) signal = ea_signal_new (ea_sim_broker_get_time (f->sim), "ES", 1, ES_6800,
                                              80, 3, NULL, NULL, 0, "test");
  guint remaining = 0;
  EaDeskAtrSource source;

  g_assert_cmpint (atr, >=, 4);
  /* No bars yet and no ATR of the signal's own: the instrument's default. */
  g_assert_cmpfloat (ea_desk_get_erm_atr (f->desk, "ES", &source), ==, ea_erm_default_atr_ticks (spec));
  g_assert_cmpint (source, ==, EA_DESK_ATR_DEFAULT);
  ea_trading_store_add_signal (ea_desk_get_store (f->desk), signal);
  g_assert_cmpuint (ea_desk_get_erm_reversals (f->desk, "ES", &remaining), ==, 0);
  g_assert_cmpuint (remaining, ==, 3);

  /* Far against it, but too early. */
  ea_sim_broker_advance (f->sim, 10 * SEC);
  push_es (f, ES_6800 - atr);
  g_assert_cmpuint (count_alerts (f, "erm_reversal"), ==, 0);

  /* Late enough, but only a quarter ATR against it. */
  ea_sim_broker_advance (f->sim, 25 * SEC);
  push_es (f, ES_6800 - atr / 4);
  g_assert_cmpuint (count_alerts (f, "erm_reversal"), ==, 0);
  g_assert_true (ea_signal_get_active (signal));

  /* Past half an ATR against it and still falling. */
  ea_sim_broker_advance (f->sim, 5 * SEC);
  push_es (f, ES_6800 - atr * 3 / 4);
  g_assert_cmpuint (count_alerts (f, "erm_reversal"), ==, 1);
  g_assert_false (ea_signal_get_active (signal));
  g_assert_cmpuint (ea_desk_get_erm_reversals (f->desk, "ES", &remaining), ==, 1);
  g_assert_cmpuint (remaining, ==, 2);

  /* The Signals panel's record: chart, signal, value, threshold,
   * momentum, elapsed and the suggested side. */
  {
    GListModel *events = ea_trading_store_get_erm_events (ea_desk_get_store (f->desk));
    g_autoptr(EaErmEvent) event = NULL;
    const EaErmAlert *a;
    g_autofree char *text = NULL;

    g_assert_cmpuint (g_list_model_get_n_items (events), ==, 1);
    event = g_list_model_get_item (events, 0);
    a = ea_erm_event_get_alert (event);
    g_assert_nonnull (strstr (ea_erm_event_get_chart (event), "ES"));
    g_assert_cmpint (a->signal_direction, ==, EA_SIDE_BUY);
    g_assert_cmpint (a->direction, ==, EA_SIDE_SELL);
    g_assert_cmpfloat (a->threshold, ==, 0.5);
    g_assert_cmpfloat (a->erm, >=, 0.5);
    g_assert_cmpfloat (a->momentum, >, 0.0);
    g_assert_cmpint (a->elapsed, ==, 40 * SEC);
    text = ea_erm_event_format (event, ea_session_zone_new_york ());
    g_assert_nonnull (strstr (text, "long signal"));
    g_assert_nonnull (strstr (text, "after 40 s"));
    g_assert_nonnull (strstr (text, "→ short"));
  }

  ea_sim_broker_advance (f->sim, 5 * SEC);
  push_es (f, ES_6800 - atr);
  g_assert_cmpuint (count_alerts (f, "erm_reversal"), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM erm_alerts WHERE root = 'ES' AND level = 'reversal'"), ==, 1);

  /* A signal on an instrument the desk does not know is not watched. */
  {
    g_autoptr(EaSignal) odd = ea_signal_new (ea_sim_broker_get_time (f->sim), "ZZ", 1, 100,
                                             80, 3, NULL, NULL, 0.8, "test");

    ea_trading_store_add_signal (ea_desk_get_store (f->desk), odd);
    g_assert_cmpuint (ea_desk_get_erm_reversals (f->desk, "ZZ", NULL), ==, 0);
  }
}

/* ERM judges by Wilder's ATR(14) of one-minute bars once fourteen have
 * closed: before, by the latest signal's own ATR. A move that is half a
 * live ATR but a third of the default one raises a reversal. */
static void
test_erm_live_atr (Fixture       *f,
                   gconstpointer  data)
{
  const EaInstrumentSpec *spec = ea_desk_lookup_spec ("ES");
  const EaTimeUs minute = 60 * SEC;
  static const int shape[6] = { 0, 3, -3, 1, -2, 2 };
  g_autoptr(GArray) trades = g_array_new (FALSE, FALSE, sizeof (EaTrade));
  g_autoptr(GArray) bars = NULL;
  g_autoptr(EaSignal) far = NULL;
  g_autoptr(EaSignal) signal = NULL;
  EaBarSpec bar_spec = ea_bar_spec_time (minute, 0);
  EaTrade trade = { ea_sim_broker_get_time (f->sim), ES_6800, 0 };
  EaDeskAtrSource source;
  EaAtr expected;
  EaTimeUs now;
  EaTicks last = ES_6800;
  double live;

  g_array_append_val (trades, trade);

  /* A long signal far below the market: its own ATR of 10 ticks stands in
   * until the bars are there, and it never reverses. */
  far = ea_signal_new (ea_sim_broker_get_time (f->sim), "ES", 1, ES_6800 - 400,
                       80, 3, NULL, NULL, 10.0, "test");
  ea_trading_store_add_signal (ea_desk_get_store (f->desk), far);
  g_assert_cmpfloat (ea_desk_get_erm_atr (f->desk, "ES", &source), ==, 10.0);
  g_assert_cmpint (source, ==, EA_DESK_ATR_SIGNAL);

  /* Sixteen minutes of prices from the next minute on. */
  now = ea_sim_broker_get_time (f->sim);
  ea_sim_broker_advance (f->sim, (now / minute + 1) * minute + SEC - now);
  for (guint m = 0; m < 16; m++)
    for (guint k = 0; k < 6; k++)
      {
        last = ES_6800 + (EaTicks) (m % 3) + shape[k];
        push_es (f, last);
        trade.time = ea_sim_broker_get_time (f->sim);
        trade.price = last;
        g_array_append_val (trades, trade);
        ea_sim_broker_advance (f->sim, 10 * SEC);
      }

  /* The same bars and ATR from the core, computed apart. */
  bars = ea_bars_from_trades (&bar_spec, (const EaTrade *) trades->data, trades->len, FALSE, NULL);
  g_assert_nonnull (bars);
  g_assert_cmpuint (bars->len, ==, 16);
  ea_atr_init (&expected, EA_ATR_DEFAULT_PERIOD);
  for (guint i = 0; i < bars->len; i++)
    ea_atr_push_bar (&expected, &g_array_index (bars, EaBar, i));
  g_assert_true (ea_atr_is_ready (&expected));

  live = ea_desk_get_erm_atr (f->desk, "ES", &source);
  g_assert_cmpint (source, ==, EA_DESK_ATR_LIVE);
  g_assert_cmpfloat_with_epsilon (live, ea_atr_value (&expected), 1e-9 * ea_atr_value (&expected));
  g_assert_cmpfloat (live, <, ea_erm_default_atr_ticks (spec) / 2);

  /* A long signal at the market, then five ticks against it after 35 s:
   * more than half the live ATR, a third of the default. */
  g_assert_cmpfloat (5.0 / live, >=, 0.5);
  g_assert_cmpfloat (5.0 / ea_erm_default_atr_ticks (spec), <, 0.5);
  signal = ea_signal_new (ea_sim_broker_get_time (f->sim), "ES", 1, last,
                          80, 3, NULL, NULL, 0, "test");
  ea_trading_store_add_signal (ea_desk_get_store (f->desk), signal);
  ea_sim_broker_advance (f->sim, 35 * SEC);
  push_es (f, last - 5);
  g_assert_cmpuint (count_alerts (f, "erm_reversal"), ==, 1);
  g_assert_false (ea_signal_get_active (signal));
  g_assert_true (ea_signal_get_active (far));
}

static void
test_order_through_desk (Fixture       *f,
                         gconstpointer  data)
{
  EaDeskOrder order = {
    .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
    .type = EA_ORDER_TYPE_MARKET, .qty = 2,
    .has_stop_loss = TRUE, .stop_loss = ES_6800 - 16,
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  EaRiskDecision decision;
  EaRiskStatus status;

  /* The account arrived with its profile, and the check passes. */
  g_assert_true (ea_desk_get_risk_status (f->desk, "DEMO-1", &status));
  g_assert_cmpint (status.start_balance, ==, EA_MICROS (50000));
  g_assert_true (ea_desk_check_order (f->desk, &order, &decision));

  id = place (f, &order, &decision, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (id, "EA-"));
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (ea_trading_store_get_fills (ea_desk_get_store (f->desk))), ==, 1);

  /* Journaled before it was sent, and every state after; the fill once. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM orders WHERE client_order_id = '%s'", id);
    g_assert_cmpuint (journal_count (f, sql), ==, 1);
  }
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM fills"), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind LIKE 'order.%'"), >=, 2);
}

/* Every signal the desk receives is journaled once; the round trip an
 * order placed from a signal opens names that signal, and the closing
 * order (no signal) does not change it. A trade of no signal names none. */
static void
test_signal_linked_trade (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(EaSignal) signal = ea_signal_new (ea_sim_broker_get_time (f->sim), "ES", 1, ES_6800,
                                              80, 3, "GREEN", "GREEN", 12, "enigma");
  g_autoptr(EaSignal) direct = ea_signal_new (ea_sim_broker_get_time (f->sim), "ES", -1, ES_6800 + 4,
                                              60, 2, "RED", "RED", 0, "chart");
  g_autoptr(EaSignal) ignored = ea_signal_new (ea_sim_broker_get_time (f->sim), "NQ", 1, 100000,
                                               50, 1, NULL, NULL, 0, "enigma");
  EaDeskOrder buy = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                      .type = EA_ORDER_TYPE_MARKET, .qty = 2, .signal = signal,
                      .has_stop_loss = TRUE, .stop_loss = ES_6800 - 16 };
  EaDeskOrder sell = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_SELL,
                       .type = EA_ORDER_TYPE_MARKET, .qty = 2 };
  g_autoptr(GError) error = NULL;

  ea_trading_store_add_signal (ea_desk_get_store (f->desk), signal);
  ea_trading_store_add_signal (ea_desk_get_store (f->desk), ignored);
  iterate ();
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM signals"), ==, 2);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM signals WHERE symbol = 'ES' AND root = 'ES' AND side = 1 "
                                      "AND source = 'enigma' AND entry_ticks = 27200 "
                                      "AND json_extract (details, '$.power') = 80"), ==, 1);

  /* Entry from the signal, exit by hand: one trade, linked. */
  g_free (place (f, &buy, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 2);
  g_free (place (f, &sell, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 0);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM trades"), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM trades t JOIN signals s ON s.id = t.signal_id "
                                      "WHERE s.source = 'enigma' AND s.symbol = 'ES' AND t.side = 1 AND t.qty = 2"), ==, 1);
  /* Acting on it did not journal it twice. */
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM signals"), ==, 2);

  /* A trade of no signal names none. */
  buy.signal = NULL;
  buy.qty = 1;
  sell.qty = 1;
  g_free (place (f, &buy, NULL, &error));
  g_assert_no_error (error);
  g_free (place (f, &sell, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM trades"), ==, 2);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM trades WHERE signal_id IS NULL"), ==, 1);

  /* A signal that reaches the desk only with its order is journaled
   * before the order, and its short trip names it. */
  sell.signal = direct;
  g_free (place (f, &sell, NULL, &error));
  g_assert_no_error (error);
  buy.signal = NULL;
  g_free (place (f, &buy, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM signals"), ==, 3);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM trades t JOIN signals s ON s.id = t.signal_id "
                                      "WHERE s.source = 'chart' AND s.side = -1 AND t.side = -1"), ==, 1);
}

static void
set_query_only (Fixture  *f,
                gboolean  query_only)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;

  _ea_journal_set_query_only_async (f->journal, query_only, result_cb, &res);
  g_assert_true (_ea_journal_set_query_only_finish (f->journal, wait_for (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);
}

static guint
count_alerts_titled (Fixture    *f,
                     const char *title)
{
  GListModel *alerts = ea_trading_store_get_alerts (ea_desk_get_store (f->desk));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(EaAlert) a = g_list_model_get_item (alerts, i);

      if (g_strcmp0 (ea_alert_get_title (a), title) == 0)
        n++;
    }

  return n;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* A journal that cannot be written (a read-only file, as SQLite reports
 * it): the user is told at once, new entries are refused with
 * NOT_JOURNALED, an exit and the emergency stop still go out; when it
 * records again, the user is told that too. */
static void
test_unwritable_journal (Fixture       *f,
                         gconstpointer  data)
{
  EaDeskOrder buy = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                      .type = EA_ORDER_TYPE_MARKET, .qty = 2,
                      .has_stop_loss = TRUE, .stop_loss = ES_6800 - 16 };
  EaDeskOrder sell = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_SELL,
                       .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  g_autoptr(GError) error = NULL;
  guint notified = 0;
  guint orders_before;

  g_free (place (f, &buy, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 2);
  g_assert_true (ea_desk_get_journal_writable (f->desk));
  g_assert_cmpuint (count_alerts_titled (f, "Journal cannot be written"), ==, 0);
  g_signal_connect (f->desk, "notify::journal-writable", G_CALLBACK (count_notify_cb), &notified);

  /* The next write fails: the desk says so before any order is tried. */
  set_query_only (f, TRUE);
  ea_desk_save_now (f->desk);
  (void) journal_count (f, "SELECT 0");
  iterate ();
  g_assert_false (ea_journal_get_writable (f->journal));
  g_assert_false (ea_desk_get_journal_writable (f->desk));
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (count_alerts_titled (f, "Journal cannot be written"), ==, 1);
  orders_before = journal_count (f, "SELECT count(*) FROM orders");

  /* A new entry is refused and never reaches the broker. */
  g_assert_null (place (f, &buy, NULL, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_NOT_JOURNALED);
  g_clear_error (&error);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 2);
  /* So is one that adds on the other side of flat. */
  sell.qty = 3;
  g_assert_null (place (f, &sell, NULL, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_NOT_JOURNALED);
  g_clear_error (&error);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 2);

  /* An exit goes out. */
  sell.qty = 1;
  g_free (place (f, &sell, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 1);

  /* And the emergency stop flattens and confirms. */
  g_assert_true (ea_desk_emergency_stop (f->desk, EA_ACTOR_USER, NULL));
  while (ea_desk_get_stop_pending (f->desk))
    g_main_context_iteration (NULL, TRUE);
  iterate ();
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 0);
  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "DEMO-1", NULL), ==, EA_STOP_STATUS_FLAT);
  /* Nothing of it could be written. */
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM orders"), ==, orders_before);
  g_assert_cmpuint (count_alerts_titled (f, "Journal cannot be written"), ==, 1);

  /* Writable again: told once, and it is in the audit trail. */
  set_query_only (f, FALSE);
  ea_desk_save_now (f->desk);
  (void) journal_count (f, "SELECT 0");
  iterate ();
  g_assert_true (ea_desk_get_journal_writable (f->desk));
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpuint (count_alerts_titled (f, "Journal writable again"), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'journal.writable'"), ==, 1);
}

/* A desk that requires a journal and has none takes no new entries. */
static void
test_journal_required (Fixture       *f,
                       gconstpointer  data)
{
  EaDeskOrder buy = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                      .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  g_autoptr(GError) error = NULL;

  ea_desk_set_journal_required (f->desk, TRUE);
  g_assert_true (ea_desk_get_journal_writable (f->desk));
  ea_desk_set_journal (f->desk, NULL);
  g_assert_false (ea_desk_get_journal_writable (f->desk));
  g_assert_cmpuint (count_alerts_titled (f, "Journal cannot be written"), ==, 1);
  g_assert_null (place (f, &buy, NULL, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_NOT_JOURNALED);
}

static void
test_denied_not_sent (Fixture       *f,
                      gconstpointer  data)
{
  /* 12 ES is over the profile's 5 minis before the unlock. */
  EaDeskOrder order = {
    .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
    .type = EA_ORDER_TYPE_MARKET, .qty = 12,
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  EaRiskDecision decision;

  id = place (f, &order, &decision, &error);
  g_assert_null (id);
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED);
  g_assert_false (decision.allowed);
  g_assert_cmpint (decision.allowed_qty, <, 12);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (ea_trading_store_get_orders (ea_desk_get_store (f->desk))), ==, 0);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM orders"), ==, 0);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'risk.denial'"), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM risk_events WHERE kind = 'denial'"), ==, 1);
}

static void
test_unknown_account_and_symbol (Fixture       *f,
                                 gconstpointer  data)
{
  EaDeskOrder order = { .account = "NOPE", .symbol = "ES", .side = EA_SIDE_BUY, .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  g_autoptr(GError) error = NULL;

  g_assert_null (place (f, &order, NULL, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_ACCOUNT);
  g_clear_error (&error);

  order.account = "DEMO-1";
  order.symbol = "XYZ9";
  g_assert_null (place (f, &order, NULL, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_SYMBOL);
}

static void
test_halted_blocks_entries_not_exits (Fixture       *f,
                                      gconstpointer  data)
{
  EaDeskOrder buy = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY, .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  EaDeskOrder limit = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY, .type = EA_ORDER_TYPE_LIMIT,
                        .qty = 1, .limit_price = ES_6800 - 4 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  GAsyncResult *res = NULL;

  g_free (place (f, &buy, NULL, &error));
  g_assert_no_error (error);

  /* Submitted, then the trigger lands before the journal answers:
   * it must never be sent. */
  ea_desk_place_order_async (f->desk, &limit, EA_ACTOR_USER, NULL, result_cb, &res);
  ea_desk_emergency_stop (f->desk, EA_ACTOR_USER, NULL);
  id = ea_desk_place_order_finish (f->desk, wait_for (&res), NULL, &error);
  g_object_unref (res);
  g_assert_null (id);
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED);
  g_clear_error (&error);

  while (ea_desk_get_stop_pending (f->desk))
    g_main_context_iteration (NULL, TRUE);
  iterate ();

  /* Flat and no working order. */
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 0);
  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "DEMO-1", NULL), ==, EA_STOP_STATUS_FLAT);
  {
    g_autoptr(EaSnapshotData) s = NULL;
    res = NULL;
    ea_broker_snapshot_async (EA_BROKER (f->sim), NULL, NULL, result_cb, &res);
    s = ea_broker_snapshot_finish (EA_BROKER (f->sim), wait_for (&res), NULL);
    g_object_unref (res);
    for (guint i = 0; i < s->orders->len; i++)
      g_assert_false (ea_order_state_is_live (((EaOrderData *) s->orders->pdata[i])->state));
  }

  /* A new entry is denied while halted. */
  g_assert_null (place (f, &buy, NULL, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED);
}

static gboolean
cancel (Fixture    *f,
        const char *id,
        GError    **error)
{
  GAsyncResult *res = NULL;
  gboolean ok;

  ea_desk_cancel_order_async (f->desk, id, NULL, result_cb, &res);
  ok = ea_desk_cancel_order_finish (f->desk, wait_for (&res), error);
  g_object_unref (res);
  iterate ();
  return ok;
}

static gboolean
modify (Fixture        *f,
        const char     *id,
        gint64          qty,
        EaTicks         limit_price,
        EaTicks         stop_price,
        EaRiskDecision *decision,
        GError        **error)
{
  GAsyncResult *res = NULL;
  gboolean ok;

  ea_desk_modify_order_async (f->desk, id, qty, limit_price, stop_price, EA_ACTOR_USER, NULL, result_cb, &res);
  ok = ea_desk_modify_order_finish (f->desk, wait_for (&res), decision, error);
  g_object_unref (res);
  iterate ();
  return ok;
}

/* The exchange's view of one order. */
static EaOrderData *
sim_order (Fixture    *f,
           const char *client_order_id)
{
  g_autoptr(EaSnapshotData) s = NULL;
  GAsyncResult *res = NULL;
  EaOrderData *found = NULL;

  ea_broker_snapshot_async (EA_BROKER (f->sim), NULL, NULL, result_cb, &res);
  s = ea_broker_snapshot_finish (EA_BROKER (f->sim), wait_for (&res), NULL);
  g_object_unref (res);
  for (guint i = 0; i < s->orders->len && found == NULL; i++)
    {
      EaOrderData *o = s->orders->pdata[i];

      if (g_strcmp0 (o->client_order_id, client_order_id) == 0)
        {
          found = g_new0 (EaOrderData, 1);
          *found = *o;
          found->client_order_id = NULL;
          found->account = found->symbol = found->broker_order_id = NULL;
          found->parent_order_id = found->oco_order_id = found->reason = NULL;
        }
    }
  g_assert_nonnull (found);
  return found;
}

/* Resting limit entries count: each passes alone, the second one would
 * make 6 minis where Apex legacy 50K allows 5 before the unlock, so it is
 * denied and never sent. A cancel frees the room; exits always pass. */
static void
test_working_orders_count (Fixture       *f,
                           gconstpointer  data)
{
  EaDeskOrder first = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_LIMIT, .qty = 3, .limit_price = ES_6800 - 20,
                        .has_stop_loss = TRUE, .stop_loss = ES_6800 - 24 };
  EaDeskOrder second = first;
  EaDeskOrder market = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                         .type = EA_ORDER_TYPE_MARKET, .qty = 2,
                         .has_stop_loss = TRUE, .stop_loss = ES_6800 - 8 };
  EaDeskOrder exit = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_SELL,
                       .type = EA_ORDER_TYPE_MARKET, .qty = 2 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id1 = NULL;
  g_autofree char *id2 = NULL;
  g_autofree char *id3 = NULL;
  g_autofree char *market_id = NULL;
  g_autofree char *market_sl = NULL;
  EaRiskDecision decision;
  EaRiskStatus status;
  guint n_orders;

  second.limit_price = ES_6800 - 24;
  second.stop_loss = ES_6800 - 28;

  /* Alone, the second passes. */
  g_assert_true (ea_desk_check_order (f->desk, &second, &decision));

  id1 = place (f, &first, &decision, &error);
  g_assert_no_error (error);
  g_assert_true (ea_desk_get_risk_status (f->desk, "DEMO-1", &status));
  g_assert_cmpfloat (status.contracts_in_use, ==, 0.0);
  g_assert_cmpfloat (status.contracts_committed, ==, 3.0);
  g_assert_cmpint (status.working_risk, ==, EA_MICROS (3 * 5 * 12.5));

  n_orders = g_list_model_get_n_items (ea_trading_store_get_orders (ea_desk_get_store (f->desk)));
  g_assert_null (place (f, &second, &decision, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (decision.reason, ==, EA_RISK_SCALING);
  g_assert_cmpint (decision.limit, ==, 50);
  g_assert_cmpint (decision.value, ==, 60);
  g_assert_cmpint (decision.limit_qty, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (ea_trading_store_get_orders (ea_desk_get_store (f->desk))), ==, n_orders);

  /* The cancel frees the room. */
  g_assert_true (cancel (f, id1, &error));
  g_assert_no_error (error);
  g_assert_true (ea_desk_get_risk_status (f->desk, "DEMO-1", &status));
  g_assert_cmpfloat (status.contracts_committed, ==, 0.0);
  id2 = place (f, &second, &decision, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id2);

  /* 2 held and 3 working fill the 5: another entry is denied, the exit of
   * the 2 held passes. */
  market_id = place (f, &market, &decision, &error);
  g_assert_no_error (error);
  market_sl = g_strconcat (market_id, "-SL", NULL);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 2);
  g_assert_true (ea_desk_get_risk_status (f->desk, "DEMO-1", &status));
  g_assert_cmpfloat (status.contracts_committed, ==, 5.0);
  market.qty = 1;
  g_assert_null (place (f, &market, &decision, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (decision.reason, ==, EA_RISK_SCALING);
  id3 = place (f, &exit, &decision, &error);
  g_assert_no_error (error);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 0);
  /* Flat, the exited bracket's stop would open a short: it goes too. */
  g_assert_true (cancel (f, market_sl, &error));
  g_assert_no_error (error);

  /* Filled, the resting entry becomes a position: still 3 committed. */
  push_es (f, ES_6800 - 25);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 3);
  g_assert_true (ea_desk_get_risk_status (f->desk, "DEMO-1", &status));
  g_assert_cmpfloat (status.contracts_in_use, ==, 3.0);
  g_assert_cmpfloat (status.contracts_committed, ==, 3.0);
  g_assert_cmpuint (status.n_working, ==, 0);
}

/* A modify is checked with the order's real bracket stop, in place of its
 * old self: Apex legacy 50K at the default 80 % caps the open loss at 600.
 * 3 ES with an 8-tick stop risk 337.50 and pass (at the 24-tick default
 * stop they would risk 937.50); the stop moved to 72 ticks does not. */
static void
test_modify_uses_bracket (Fixture       *f,
                          gconstpointer  data)
{
  EaDeskOrder entry = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_LIMIT, .qty = 1, .limit_price = ES_6800 - 8,
                        .has_stop_loss = TRUE, .stop_loss = ES_6800 - 16 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *sl = NULL;
  g_autofree EaOrderData *o = NULL;
  EaRiskDecision decision;

  id = place (f, &entry, &decision, &error);
  g_assert_no_error (error);
  sl = g_strconcat (id, "-SL", NULL);

  /* Bigger, with its 8-tick stop: passes (the preview says so first, the
   * order standing in for itself) and reaches the exchange. */
  g_assert_true (ea_desk_check_modify (f->desk, id, 3, 0, 0, &decision));
  g_assert_cmpint (decision.allowed_qty, ==, 5);
  g_assert_true (modify (f, id, 3, 0, 0, &decision, &error));
  g_assert_no_error (error);
  g_assert_true (decision.allowed);
  g_assert_cmpint (decision.worst_loss, ==, EA_MICROS (3 * 9 * 12.5));
  o = sim_order (f, id);
  g_assert_cmpint (o->qty, ==, 3);
  g_clear_pointer (&o, g_free);

  /* The stop moved to 72 ticks: 3 × 73 × 12.50 is over the cap. Refused,
   * and the exchange still has the old stop. */
  g_assert_false (ea_desk_check_modify (f->desk, sl, 0, 0, ES_6800 - 80, &decision));
  g_assert_cmpint (decision.reason, ==, EA_RISK_MAX_OPEN_LOSS);
  g_assert_false (modify (f, sl, 0, 0, ES_6800 - 80, &decision, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_false (decision.allowed);
  g_assert_cmpint (decision.reason, ==, EA_RISK_MAX_OPEN_LOSS);
  g_assert_cmpint (decision.value, ==, EA_MICROS (3 * 73 * 12.5));
  o = sim_order (f, sl);
  g_assert_cmpint (o->stop_price, ==, ES_6800 - 16);
  g_clear_pointer (&o, g_free);

  /* 4 ticks further (12): 3 × 13 × 12.50 = 487.50 fits. */
  g_assert_true (modify (f, sl, 0, 0, ES_6800 - 20, &decision, &error));
  g_assert_no_error (error);
  o = sim_order (f, sl);
  g_assert_cmpint (o->stop_price, ==, ES_6800 - 20);
  g_clear_pointer (&o, g_free);

  /* Now the entry itself moved 4 ticks further from that stop: 16 ticks,
   * 3 × 17 × 12.50 = 637.50, over the cap. */
  g_assert_false (modify (f, id, 0, ES_6800 - 4, 0, &decision, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (decision.reason, ==, EA_RISK_MAX_OPEN_LOSS);
  g_assert_cmpint (decision.limit_qty, ==, 2);
  o = sim_order (f, id);
  g_assert_cmpint (o->limit_price, ==, ES_6800 - 8);
}

/* Under Apex legacy's intraday trailing floor, a rise leaves a fixed stop
 * behind: the desk moves the working protective stop up through the
 * broker, never down, and only when the room is exceeded. */
static void
test_stops_follow_floor (Fixture       *f,
                         gconstpointer  data)
{
  EaDeskOrder entry = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_MARKET, .qty = 1,
                        .has_stop_loss = TRUE, .stop_loss = ES_6800 - 40 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *sl = NULL;
  g_autofree EaOrderData *o = NULL;
  EaRiskStatus status;
  EaTicks stop, last;
  EaMicros room;

  id = place (f, &entry, NULL, &error);
  g_assert_no_error (error);
  sl = g_strconcat (id, "-SL", NULL);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 1);

  /* 41 ticks × 12.50 = 512.50 fits the 600 open-loss cap: untouched. */
  push_es (f, ES_6800 + 2);
  o = sim_order (f, sl);
  g_assert_cmpuint (o->state, ==, EA_ORDER_STATE_WORKING);
  g_assert_cmpint (o->stop_price, ==, ES_6800 - 40);
  g_clear_pointer (&o, g_free);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'order.tighten-stop'"), ==, 0);

  /* 30 ticks up, the stop is 70 ticks away: it moves up. */
  for (last = ES_6800 + 4; last <= ES_6800 + 30; last += 2)
    push_es (f, last);
  last -= 2;
  o = sim_order (f, sl);
  stop = o->stop_price;
  g_clear_pointer (&o, g_free);
  g_test_message ("stop %" G_GINT64_FORMAT " at last %" G_GINT64_FORMAT, stop, last);
  g_assert_cmpint (stop, >, ES_6800 - 40);
  g_assert_cmpint (stop, <, last);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'order.tighten-stop'"), >=, 1);

  /* And it protects: one tick worse than the stop still fits the room the
   * engine sees, which also has it now. */
  g_assert_true (ea_desk_get_risk_status (f->desk, "DEMO-1", &status));
  room = status.effective_limit[EA_RISK_LIMIT_OPEN_LOSS];
  g_assert_cmpint ((last - stop + 1) * EA_MICROS (12.5), <=, room);
  g_assert_cmpint (status.open_risk, <=, room);
  g_assert_cmpint (status.equity - (last - stop + 1) * EA_MICROS (12.5), >, status.effective_floor);

  /* A fall never loosens it. */
  push_es (f, last - 6);
  o = sim_order (f, sl);
  g_assert_cmpint (o->stop_price, ==, stop);
}

static void
add_accounts (EaSimBroker *sim,
              guint        n,
              const char  *prefix)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("%s%u", prefix, i + 2);

      g_assert_true (ea_sim_broker_add_account (sim, name, EA_MICROS (50000), "Apex legacy 50K", &error));
      g_assert_no_error (error);
    }
}

/* Positions, limits, stops and a bracket in every account. */
static void
load_accounts (Fixture     *f,
               const char **accounts,
               guint        n)
{
  for (guint i = 0; i < n; i++)
    {
      /* All long: the profiles forbid hedging across accounts. */
      EaDeskOrder entry = { .account = accounts[i], .symbol = "ES", .side = EA_SIDE_BUY,
                            .type = EA_ORDER_TYPE_MARKET, .qty = 1, .has_stop_loss = TRUE,
                            .stop_loss = ES_6800 - 20, .has_take_profit = TRUE,
                            .take_profit = ES_6800 + 30 };
      EaDeskOrder limit = { .account = accounts[i], .symbol = "NQ", .side = EA_SIDE_BUY,
                            .type = EA_ORDER_TYPE_LIMIT, .qty = 1, .limit_price = 100000 - 40,
                            .has_stop_loss = TRUE, .stop_loss = 100000 - 80 };
      g_autoptr(GError) error = NULL;

      g_free (place (f, &entry, NULL, &error));
      g_assert_no_error (error);
      g_free (place (f, &limit, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (position_qty (f, accounts[i], "ES"), !=, 0);
    }
}

static guint
live_orders (EaSimBroker *sim)
{
  g_autoptr(EaSnapshotData) s = NULL;
  GAsyncResult *res = NULL;
  guint live = 0;

  ea_broker_snapshot_async (EA_BROKER (sim), NULL, NULL, result_cb, &res);
  s = ea_broker_snapshot_finish (EA_BROKER (sim), wait_for (&res), NULL);
  g_object_unref (res);
  for (guint i = 0; i < s->orders->len; i++)
    if (ea_order_state_is_live (((EaOrderData *) s->orders->pdata[i])->state))
      live++;
  for (guint i = 0; i < s->positions->len; i++)
    if (((EaPositionData *) s->positions->pdata[i])->qty != 0)
      live++;

  return live;
}

static void
test_emergency_stop_six_accounts (Fixture       *f,
                                  gconstpointer  data)
{
  const char *accounts[] = { "DEMO-1", "DEMO-2", "DEMO-3", "DEMO-4", "DEMO-5", "DEMO-6" };
  EaTimeUs t0;

  add_accounts (f->sim, 5, "DEMO-");
  iterate ();
  load_accounts (f, accounts, G_N_ELEMENTS (accounts));
  g_assert_cmpuint (live_orders (f->sim), >=, 18);

  t0 = ea_sim_broker_get_time (f->sim);
  g_assert_true (ea_desk_emergency_stop (f->desk, EA_ACTOR_USER, NULL));
  while (ea_desk_get_stop_pending (f->desk))
    g_main_context_iteration (NULL, TRUE);

  /* Confirmed flat within 1 s of the exchange's time. */
  g_assert_cmpint (ea_sim_broker_get_time (f->sim) - t0, <=, SEC);
  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      g_assert_cmpint (ea_desk_get_stop_status (f->desk, accounts[i], NULL), ==, EA_STOP_STATUS_FLAT);
      g_assert_cmpint (position_qty (f, accounts[i], "ES"), ==, 0);
    }
  g_assert_cmpuint (live_orders (f->sim), ==, 0);

  /* Each account's round trip (bought, flattened) is one journaled trade. */
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM trades WHERE root = 'ES' AND qty = 1"), ==, 6);

  /* The audit has every step. */
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'estop.start'"), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'estop.step' AND subject = 'cancel-all'"), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'estop.step' AND subject = 'flatten'"), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'estop.step' AND subject = 'confirmed-flat'"), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'estop.done' AND subject = 'flat'"), ==, 1);

  /* A second trigger latches nothing new and stays flat. */
  g_assert_false (ea_desk_emergency_stop (f->desk, EA_ACTOR_REMOTE, NULL));
  while (ea_desk_get_stop_pending (f->desk))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (ea_desk_get_emergency_stop_count (f->desk), ==, 1);
}

static void
test_emergency_stop_with_away_account (Fixture       *f,
                                       gconstpointer  data)
{
  const char *near[] = { "DEMO-1" };
  const char *away[] = { "AWAY-2" };
  const char *reason = NULL;

  f->sim2 = new_sim (9);
  add_accounts (f->sim2, 1, "AWAY-");
  ea_desk_add_broker (f->desk, EA_BROKER (f->sim2));
  connect_broker (EA_BROKER (f->sim2));
  load_accounts (f, near, 1);
  load_accounts (f, away, 1);

  ea_sim_broker_simulate_disconnect (f->sim2, "cable pulled");
  iterate ();

  ea_desk_emergency_stop (f->desk, EA_ACTOR_USER, NULL);
  while (ea_desk_get_stop_status (f->desk, "DEMO-1", NULL) == EA_STOP_STATUS_STOPPING)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "DEMO-1", NULL), ==, EA_STOP_STATUS_FLAT);
  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "AWAY-2", &reason), ==, EA_STOP_STATUS_UNRESOLVED);
  g_assert_nonnull (reason);
  g_assert_true (ea_desk_get_stop_pending (f->desk));
  g_assert_cmpuint (live_orders (f->sim), ==, 0);

  /* Back: the pipeline resumes by itself and confirms it. */
  ea_sim_broker_simulate_reconnect (f->sim2);
  while (ea_desk_get_stop_pending (f->desk))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "AWAY-2", NULL), ==, EA_STOP_STATUS_FLAT);
  g_assert_cmpuint (live_orders (f->sim2), ==, 0);
}

static void
test_breach_locks (Fixture       *f,
                   gconstpointer  data)
{
  EaDeskOrder order = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  EaSimExchange *ex = ea_sim_broker_get_exchange (f->sim);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) later = NULL;
  GDateTime *until;

  g_free (place (f, &order, NULL, &error));
  g_assert_no_error (error);

  /* ES falls 60 points: $3,000 lost, past the trailing drawdown. */
  ea_sim_exchange_push_quote (ex, "ES", ES_6800 - 240, ES_6800 - 239, 50, 50, NULL);
  ea_sim_exchange_push_trade (ex, "ES", ES_6800 - 240, 1, NULL);
  iterate ();

  g_assert_cmpint (ea_desk_get_trading_state (f->desk), ==, EA_TRADING_STATE_LOCKED);
  while (ea_desk_get_stop_pending (f->desk))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 0);

  until = ea_desk_get_locked_until (f->desk);
  g_assert_nonnull (until);
  g_assert_false (ea_desk_reset_emergency_stop (f->desk, NULL, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_LOCKED);
  g_clear_error (&error);

  later = g_date_time_add_seconds (until, 1);
  g_assert_true (ea_desk_reset_emergency_stop (f->desk, later, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'risk.breach'"), ==, 1);
}

static void
test_restart_keeps_lock (Fixture       *f,
                         gconstpointer  data)
{
  EaDeskOrder order = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  EaSimExchange *ex = ea_sim_broker_get_exchange (f->sim);
  g_autoptr(GError) error = NULL;
  g_autoptr(EaDesk) again = NULL;
  GAsyncResult *res = NULL;
  EaRiskStatus before, after;

  g_free (place (f, &order, NULL, &error));
  g_assert_no_error (error);
  ea_sim_exchange_push_quote (ex, "ES", ES_6800 - 240, ES_6800 - 239, 50, 50, NULL);
  ea_sim_exchange_push_trade (ex, "ES", ES_6800 - 240, 1, NULL);
  iterate ();
  while (ea_desk_get_stop_pending (f->desk))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ea_desk_get_trading_state (f->desk), ==, EA_TRADING_STATE_LOCKED);
  g_assert_true (ea_desk_get_risk_status (f->desk, "DEMO-1", &before));
  ea_desk_save_now (f->desk);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM day_state WHERE risk_state IS NOT NULL"), ==, 1);

  /* A new desk on the same journal: the lock and the floor are back. */
  again = ea_desk_new (EA_MODE_DEMO);
  ea_test_desk_in_session (again);
  ea_desk_set_journal (again, f->journal);
  ea_desk_restore_async (again, NULL, result_cb, &res);
  g_assert_true (ea_desk_restore_finish (again, wait_for (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);

  g_assert_cmpint (ea_desk_get_trading_state (again), ==, EA_TRADING_STATE_LOCKED);
  g_assert_false (ea_desk_reset_emergency_stop (again, NULL, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_LOCKED);

  /* The account, when its broker reports it again, keeps its peak and floor. */
  ea_desk_add_broker (again, EA_BROKER (f->sim));
  iterate ();
  g_assert_true (ea_desk_get_risk_status (again, "DEMO-1", &after));
  g_assert_cmpint (after.peak, ==, before.peak);
  g_assert_cmpint (after.floor, ==, before.floor);
  g_assert_cmpint (after.state, ==, EA_TRADING_STATE_LOCKED);
}

static void
test_duplicate_fill_once (Fixture       *f,
                          gconstpointer  data)
{
  EaDeskOrder order = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  GListModel *fills = ea_trading_store_get_fills (ea_desk_get_store (f->desk));
  g_autoptr(GError) error = NULL;
  g_autoptr(EaFillData) copy = NULL;
  g_autoptr(GObject) first = NULL;
  g_autofree char *fill_id = NULL;

  g_free (place (f, &order, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (fills), ==, 1);

  /* The broker reports the same fill again (a replay after a gap). */
  first = g_list_model_get_item (fills, 0);
  g_object_get (first, "fill-id", &fill_id, NULL);
  copy = g_new0 (EaFillData, 1);
  copy->account = g_strdup ("DEMO-1");
  copy->symbol = g_strdup ("ES");
  copy->fill_id = g_strdup (fill_id);
  copy->client_order_id = g_strdup ("replayed");
  copy->side = EA_SIDE_BUY;
  copy->qty = 1;
  copy->price = ES_6800 + 1;
  copy->time = TUE_0900_CT;
  ea_broker_emit_fill (EA_BROKER (f->sim), copy);
  iterate ();

  g_assert_cmpuint (g_list_model_get_n_items (fills), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM fills"), ==, 1);
}

static void
test_disconnect_policy (Fixture       *f,
                        gconstpointer  data)
{
  EaDeskOrder order = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  g_free (place (f, &order, NULL, &error));
  g_assert_no_error (error);

  /* Off by default: a disconnect alone stops nothing. */
  ea_sim_broker_simulate_disconnect (f->sim, "short blip");
  iterate ();
  g_assert_false (ea_desk_get_halted (f->desk));
  ea_sim_broker_simulate_reconnect (f->sim);
  iterate ();

  /* On, 1 s: away longer than that with a position stops everything. */
  ea_desk_set_disconnect_stop (f->desk, 1);
  ea_sim_broker_simulate_disconnect (f->sim, "cable pulled");
  iterate ();
  g_assert_false (ea_desk_get_halted (f->desk));
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!ea_desk_get_halted (f->desk) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ea_desk_get_halted (f->desk));
  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "DEMO-1", NULL), ==, EA_STOP_STATUS_UNRESOLVED);

  /* Back: flattened and confirmed. */
  ea_sim_broker_simulate_reconnect (f->sim);
  while (ea_desk_get_stop_pending (f->desk))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 0);
  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "DEMO-1", NULL), ==, EA_STOP_STATUS_FLAT);
}

static void
wait_settled (Fixture *f)
{
  while (ea_desk_get_stop_pending (f->desk))
    g_main_context_iteration (NULL, TRUE);
  iterate ();
}

static guint
count_stop_alerts_titled (Fixture    *f,
                     const char *title)
{
  GListModel *alerts = ea_trading_store_get_alerts (ea_desk_get_store (f->desk));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(EaAlert) a = g_list_model_get_item (alerts, i);

      if (g_strcmp0 (ea_alert_get_kind (a), "emergency_stop") == 0 &&
          g_strcmp0 (ea_alert_get_title (a), title) == 0)
        {
          g_assert_cmpuint (ea_alert_get_priority (a), ==, EA_ALERT_PRIORITY_CRITICAL);
          n++;
        }
    }

  return n;
}

static gboolean
modify_limit (Fixture     *f,
              const char  *client_order_id,
              EaTicks      limit_price,
              GError     **error)
{
  return modify (f, client_order_id, 0, limit_price, 0, NULL, error);
}

/* Halted, a resting order is not changed (the chart's drag): on an
 * account with a profile and on one without, where no risk check would
 * have stopped it. */
static void
test_modify_refused_when_halted (Fixture       *f,
                                 gconstpointer  data)
{
  EaDeskOrder limit = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_LIMIT, .qty = 1, .limit_price = ES_6800 - 8 };
  EaOrderRequest bare = { .account = (char *) "BARE-2", .symbol = (char *) "NQ", .client_order_id = (char *) "EXT-1",
                          .side = EA_SIDE_BUY, .type = EA_ORDER_TYPE_LIMIT, .qty = 1,
                          .limit_price = 100000 - 40 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *broker_id = NULL;
  GAsyncResult *res = NULL;
  EaRiskStatus status;
  guint modifies;

  /* BARE-2 names no firm the desk knows, and there is no default. */
  ea_desk_set_default_profile (f->desk, "no-such-profile");
  g_assert_true (ea_sim_broker_add_account (f->sim, "BARE-2", EA_MICROS (50000), "no such firm", &error));
  g_assert_no_error (error);
  iterate ();
  g_assert_false (ea_desk_get_risk_status (f->desk, "BARE-2", &status));

  id = place (f, &limit, NULL, &error);
  g_assert_no_error (error);

  /* Placed elsewhere on the broker: the desk follows it and, with no
   * profile to check it against, lets it be moved while trading is on. */
  ea_broker_place_order_async (EA_BROKER (f->sim), &bare, NULL, result_cb, &res);
  broker_id = ea_broker_place_order_finish (EA_BROKER (f->sim), wait_for (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  iterate ();
  g_assert_true (modify_limit (f, "EXT-1", 100000 - 44, &error));
  g_assert_no_error (error);

  /* The broker takes the first cancel-all and flatten and does nothing:
   * both orders are still working while the desk is halted. */
  ea_sim_broker_ignore_exit_requests (f->sim, 1);
  modifies = ea_sim_broker_get_request_count (f->sim, EA_SIM_REQUEST_MODIFY);
  g_assert_true (ea_desk_emergency_stop (f->desk, EA_ACTOR_USER, NULL));

  g_assert_false (modify_limit (f, "EXT-1", 100000 - 48, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED);
  g_assert_nonnull (strstr (error->message, "halted"));
  g_clear_error (&error);
  g_assert_false (modify_limit (f, id, ES_6800 - 12, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpuint (ea_sim_broker_get_request_count (f->sim, EA_SIM_REQUEST_MODIFY), ==, modifies);

  /* The retry cancels them; flat and confirmed. */
  wait_settled (f);
  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "DEMO-1", NULL), ==, EA_STOP_STATUS_FLAT);
  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "BARE-2", NULL), ==, EA_STOP_STATUS_FLAT);
  g_assert_cmpuint (live_orders (f->sim), ==, 0);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'order.modify-refused'"), ==, 2);
}

/* A second and a third trigger while the pipeline runs start nothing:
 * one cancel-all, one flatten, one start in the audit. */
static void
test_second_trigger_idempotent (Fixture       *f,
                                gconstpointer  data)
{
  const char *accounts[] = { "DEMO-1", "DEMO-2" };
  guint cancels, flattens;

  add_accounts (f->sim, 1, "DEMO-");
  iterate ();
  load_accounts (f, accounts, G_N_ELEMENTS (accounts));
  cancels = ea_sim_broker_get_request_count (f->sim, EA_SIM_REQUEST_CANCEL_ALL);
  flattens = ea_sim_broker_get_request_count (f->sim, EA_SIM_REQUEST_FLATTEN);

  g_assert_true (ea_desk_emergency_stop (f->desk, EA_ACTOR_USER, NULL));
  g_assert_false (ea_desk_emergency_stop (f->desk, EA_ACTOR_REMOTE, "again"));
  /* Between the cancel-all's answer and the flatten's. */
  g_main_context_iteration (NULL, FALSE);
  g_assert_false (ea_desk_emergency_stop (f->desk, EA_ACTOR_USER, NULL));
  wait_settled (f);

  g_assert_cmpuint (ea_sim_broker_get_request_count (f->sim, EA_SIM_REQUEST_CANCEL_ALL) - cancels, ==, 1);
  g_assert_cmpuint (ea_sim_broker_get_request_count (f->sim, EA_SIM_REQUEST_FLATTEN) - flattens, ==, 1);
  g_assert_cmpuint (ea_desk_get_emergency_stop_count (f->desk), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    g_assert_cmpint (ea_desk_get_stop_status (f->desk, accounts[i], NULL), ==, EA_STOP_STATUS_FLAT);
  g_assert_cmpuint (live_orders (f->sim), ==, 0);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'estop.start'"), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'estop.step' AND subject = 'cancel-all'"), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'estop.done'"), ==, 1);
  g_assert_cmpuint (count_stop_alerts_titled (f, "Emergency stop: flat"), ==, 1);
}

/* A broker drops after its cancel-all went out and before its flatten:
 * its account is UNRESOLVED with the reason, the other one flat; back,
 * it is flattened and confirmed by itself. */
static void
test_broker_lost_during_stop (Fixture       *f,
                              gconstpointer  data)
{
  const char *near[] = { "DEMO-1" };
  const char *away[] = { "AWAY-2" };
  const char *reason = NULL;

  f->sim2 = new_sim (9);
  add_accounts (f->sim2, 1, "AWAY-");
  ea_desk_add_broker (f->desk, EA_BROKER (f->sim2));
  connect_broker (EA_BROKER (f->sim2));
  load_accounts (f, near, 1);
  load_accounts (f, away, 1);

  g_assert_true (ea_desk_emergency_stop (f->desk, EA_ACTOR_USER, NULL));
  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "AWAY-2", NULL), ==, EA_STOP_STATUS_STOPPING);
  g_assert_cmpuint (ea_sim_broker_get_request_count (f->sim2, EA_SIM_REQUEST_CANCEL_ALL), ==, 1);
  g_assert_cmpuint (ea_sim_broker_get_request_count (f->sim2, EA_SIM_REQUEST_FLATTEN), ==, 0);

  ea_sim_broker_simulate_disconnect (f->sim2, "cable pulled");
  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "AWAY-2", &reason), ==, EA_STOP_STATUS_UNRESOLVED);
  g_assert_nonnull (strstr (reason, "cable pulled"));

  /* The flatten that follows fails; the first account is flat. */
  while (ea_sim_broker_get_request_count (f->sim2, EA_SIM_REQUEST_FLATTEN) == 0 ||
         ea_desk_get_stop_status (f->desk, "DEMO-1", NULL) == EA_STOP_STATUS_STOPPING)
    g_main_context_iteration (NULL, TRUE);
  iterate ();
  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "DEMO-1", NULL), ==, EA_STOP_STATUS_FLAT);
  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "AWAY-2", &reason), ==, EA_STOP_STATUS_UNRESOLVED);
  g_assert_nonnull (strstr (reason, "cable pulled"));
  g_assert_true (ea_desk_get_stop_pending (f->desk));
  g_assert_cmpuint (live_orders (f->sim), ==, 0);
  /* Its position was never flattened. */
  g_assert_cmpint (position_qty (f, "AWAY-2", "ES"), ==, 1);
  g_assert_cmpuint (count_stop_alerts_titled (f, "Emergency stop: UNRESOLVED"), ==, 1);

  ea_sim_broker_simulate_reconnect (f->sim2);
  wait_settled (f);
  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "AWAY-2", NULL), ==, EA_STOP_STATUS_FLAT);
  g_assert_cmpint (position_qty (f, "AWAY-2", "ES"), ==, 0);
  g_assert_cmpuint (live_orders (f->sim2), ==, 0);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'estop.step' AND subject = 'resume'"), ==, 1);
  g_assert_cmpuint (count_stop_alerts_titled (f, "Emergency stop: flat"), ==, 1);
}

/* A connected broker that acknowledges the exit requests and does
 * nothing: the pipeline retries with backoff, reports UNRESOLVED with the
 * reason after 6 checks, keeps trying and tells again every 6 checks,
 * and confirms flat once the broker acts. */
static void
test_unresolved_keeps_retrying (Fixture       *f,
                                gconstpointer  data)
{
  const char *accounts[] = { "DEMO-1" };
  const char *reason = NULL;

  load_accounts (f, accounts, 1);
  ea_sim_broker_ignore_exit_requests (f->sim, 13);

  g_assert_true (ea_desk_emergency_stop (f->desk, EA_ACTOR_USER, NULL));
  while (ea_desk_get_stop_status (f->desk, "DEMO-1", NULL) == EA_STOP_STATUS_STOPPING)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "DEMO-1", &reason), ==, EA_STOP_STATUS_UNRESOLVED);
  g_assert_true (g_str_has_prefix (reason, "still open after 6 checks: "));
  g_assert_nonnull (strstr (reason, "DEMO-1: +1 ES"));
  g_assert_cmpuint (ea_sim_broker_get_request_count (f->sim, EA_SIM_REQUEST_FLATTEN), ==, 6);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'estop.step' AND subject = 'retry'"), ==, 5);
  g_assert_cmpuint (count_stop_alerts_titled (f, "Emergency stop: UNRESOLVED"), ==, 1);
  g_assert_cmpuint (count_stop_alerts_titled (f, "Emergency stop: flat"), ==, 0);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 1);

  /* Still trying: the broker is asked again and again. */
  wait_settled (f);
  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "DEMO-1", NULL), ==, EA_STOP_STATUS_FLAT);
  g_assert_cmpuint (ea_sim_broker_get_request_count (f->sim, EA_SIM_REQUEST_FLATTEN), ==, 14);
  g_assert_cmpuint (ea_sim_broker_get_request_count (f->sim, EA_SIM_REQUEST_CANCEL_ALL), ==, 14);
  g_assert_cmpuint (count_stop_alerts_titled (f, "Emergency stop: UNRESOLVED"), ==, 2);
  g_assert_cmpuint (count_stop_alerts_titled (f, "Emergency stop: flat"), ==, 1);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 0);
  g_assert_cmpuint (live_orders (f->sim), ==, 0);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'estop.unresolved'"), ==, 2);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'estop.done' AND subject = 'flat'"), ==, 1);
}

/* The profile's flat-by time (16:59 New York) runs the pipeline for the
 * account: cancelled, flattened, confirmed flat and locked until the
 * next session opens; new entries are refused after. */
static void
test_flat_by_time (Fixture       *f,
                   gconstpointer  data)
{
  const char *accounts[] = { "DEMO-1" };
  /* 2026-11-18 16:58 and 18:00 New York. */
  const EaTimeUs before = EA_TEST_SESSION_START_US + (6 * 3600 + 58 * 60) * SEC;
  const EaTimeUs reopen = EA_TEST_SESSION_START_US + 8 * 3600 * SEC;
  EaDeskOrder buy = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                      .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  g_autoptr(GError) error = NULL;
  gint64 *offset = ea_test_desk_clock_at (f->desk, before);
  guint cancels, flattens;
  EaRiskStatus status;

  load_accounts (f, accounts, 1);
  g_assert_cmpuint (live_orders (f->sim), >=, 3);
  cancels = ea_sim_broker_get_request_count (f->sim, EA_SIM_REQUEST_CANCEL_ALL);
  flattens = ea_sim_broker_get_request_count (f->sim, EA_SIM_REQUEST_FLATTEN);

  /* Nothing before the time. */
  ea_desk_tick (f->desk);
  iterate ();
  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "DEMO-1", NULL), ==, EA_STOP_STATUS_NONE);

  /* 17:00 New York. */
  *offset += 2 * 60 * SEC;
  ea_desk_tick (f->desk);
  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "DEMO-1", NULL), ==, EA_STOP_STATUS_STOPPING);
  wait_settled (f);

  g_assert_cmpuint (ea_sim_broker_get_request_count (f->sim, EA_SIM_REQUEST_CANCEL_ALL) - cancels, ==, 1);
  g_assert_cmpuint (ea_sim_broker_get_request_count (f->sim, EA_SIM_REQUEST_FLATTEN) - flattens, ==, 1);
  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "DEMO-1", NULL), ==, EA_STOP_STATUS_FLAT);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 0);
  g_assert_cmpuint (live_orders (f->sim), ==, 0);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'risk.flat-by'"), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'estop.start' AND subject = 'accounts'"), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'estop.step' AND subject = 'confirmed-flat'"), ==, 1);
  g_assert_cmpuint (count_stop_alerts_titled (f, "Flat-by time: flat"), ==, 1);

  /* Locked until the next session, for the flat-by time. */
  g_assert_true (ea_desk_get_risk_status (f->desk, "DEMO-1", &status));
  g_assert_cmpint (status.state, ==, EA_TRADING_STATE_LOCKED);
  g_assert_cmpstr (status.lock_reason, ==, "flat-by time");
  g_assert_cmpint (status.lock_until, ==, reopen);

  /* No new entry after. */
  g_assert_null (place (f, &buy, NULL, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 0);
}

static void
test_unknown_outcome_settles (Fixture       *f,
                              gconstpointer  data)
{
  EaDeskOrder order = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_LIMIT, .qty = 1, .limit_price = ES_6800 - 8 };
  g_autoptr(GError) error = NULL;
  GListModel *orders = ea_trading_store_get_orders (ea_desk_get_store (f->desk));
  guint state = 0;

  /* The reply is lost: the order may exist. It is not resent... */
  ea_sim_broker_lose_next_place_reply (f->sim);
  g_assert_null (place (f, &order, NULL, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME);

  /* ...and a snapshot settles it: one working order, once. */
  iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (orders), ==, 1);
  {
    g_autoptr(GObject) o = g_list_model_get_item (orders, 0);
    g_object_get (o, "state", &state, NULL);
  }
  g_assert_cmpuint (state, ==, EA_ORDER_STATE_WORKING);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM orders WHERE state = 'WORKING'"), ==, 1);
}

static EaOrder *
find_order (Fixture *f, const char *client_order_id)
{
  GListModel *orders = ea_trading_store_get_orders (ea_desk_get_store (f->desk));

  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(EaOrder) o = g_list_model_get_item (orders, i);

      if (g_strcmp0 (ea_order_get_client_order_id (o), client_order_id) == 0)
        return g_steal_pointer (&o);
    }
  return NULL;
}

static char *
reverse (EaDesk *desk, const char *account, const char *symbol, EaRiskDecision *decision, GError **error)
{
  GAsyncResult *res = NULL;
  char *id;

  ea_desk_reverse_position_async (desk, account, symbol, EA_ACTOR_USER, NULL, result_cb, &res);
  id = ea_desk_reverse_position_finish (desk, wait_for (&res), decision, error);
  g_object_unref (res);
  iterate ();
  return id;
}

/* The Demo exchange has no reversal instruction: the desk cancels the
 * working orders of the position and sends a market order of twice the
 * position, checked as such; a reversal the firm's rules would not take
 * is refused and nothing is sent. */
static void
test_reverse_position (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *target = NULL;
  g_autoptr(EaOrder) resting = NULL;
  EaDeskOrder buy = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                      .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  EaDeskOrder sell = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_SELL,
                       .type = EA_ORDER_TYPE_LIMIT, .qty = 1, .limit_price = ES_6800 + 40 };
  EaRiskDecision decision = { 0 };
  EaRiskProfile tight;
  g_autoptr(EaOrder) order = NULL;
  GListModel *orders = ea_trading_store_get_orders (ea_desk_get_store (f->desk));
  guint n_orders;

  /* Nothing to reverse yet. */
  g_assert_null (reverse (f->desk, "DEMO-1", "ES", &decision, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_NO_POSITION);
  g_clear_error (&error);
  g_assert_null (reverse (f->desk, "NOPE", "ES", &decision, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_ACCOUNT);
  g_clear_error (&error);

  id = place (f, &buy, &decision, &error);
  g_assert_no_error (error);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 1);
  /* A target resting above the market: it belongs to the long. */
  target = place (f, &sell, &decision, &error);
  g_assert_no_error (error);
  resting = find_order (f, target);
  g_assert_nonnull (resting);
  g_assert_false (ea_order_state_is_terminal (ea_order_get_state (resting)));

  rev = reverse (f->desk, "DEMO-1", "ES", &decision, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rev);
  g_assert_true (decision.allowed);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, -1);
  g_assert_cmpint (ea_order_get_state (resting), ==, EA_ORDER_STATE_CANCELLED);
  /* The market order of twice the position, under the desk's id. */
  for (guint i = 0; i < g_list_model_get_n_items (orders) && order == NULL; i++)
    {
      g_autoptr(EaOrder) o = g_list_model_get_item (orders, i);

      if (g_strcmp0 (ea_order_get_client_order_id (o), rev) == 0)
        order = g_steal_pointer (&o);
    }
  g_assert_nonnull (order);
  g_assert_cmpint (ea_order_get_side (order), ==, EA_SIDE_SELL);
  g_assert_cmpint (ea_order_get_qty (order), ==, 2);
  g_assert_cmpint (ea_order_get_order_type (order), ==, EA_ORDER_TYPE_MARKET);

  /* Orders of one lot at most: closing one and opening one is two,
   * refused (the close alone would have passed). */
  tight = *ea_profile_store_lookup (ea_desk_get_profiles (f->desk), "apex-legacy-50k");
  tight.max_order_qty = 1;
  g_assert_true (ea_desk_set_account_profile (f->desk, "DEMO-1", &tight, EA_SAFETY_DEFAULT, &error));
  g_assert_no_error (error);
  n_orders = g_list_model_get_n_items (orders);
  g_clear_pointer (&rev, g_free);
  rev = reverse (f->desk, "DEMO-1", "ES", &decision, &error);
  g_assert_null (rev);
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED);
  g_assert_false (decision.allowed);
  g_assert_cmpint (decision.reason, ==, EA_RISK_FAT_FINGER);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, -1);
  g_assert_cmpuint (g_list_model_get_n_items (orders), ==, n_orders);
}

/* CONNECTED is not the end of reconciling: until the desk has applied
 * the broker's snapshot, entries are denied and exits still pass. */
static void
test_reconciling_until_snapshot (Fixture       *f,
                                 gconstpointer  data)
{
  EaDeskOrder buy = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                      .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  EaDeskOrder sell = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_SELL,
                       .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  EaRiskDecision decision;
  GAsyncResult *res = NULL;

  g_free (place (f, &buy, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 1);

  ea_sim_broker_simulate_disconnect (f->sim, "blip");
  iterate ();
  ea_sim_broker_simulate_reconnect (f->sim);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (f->sim)), ==, EA_CONNECTION_STATE_CONNECTED);

  /* The broker says connected; the desk's snapshot has not landed. */
  g_assert_false (ea_desk_check_order (f->desk, &buy, &decision));
  g_assert_cmpint (decision.reason, ==, EA_RISK_RECONCILING);
  ea_desk_place_order_async (f->desk, &buy, EA_ACTOR_USER, NULL, result_cb, &res);
  id = ea_desk_place_order_finish (f->desk, wait_for (&res), &decision, &error);
  g_clear_object (&res);
  g_assert_null (id);
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED);
  g_assert_cmpint (decision.reason, ==, EA_RISK_RECONCILING);
  g_clear_error (&error);

  /* An exit in the same gap goes through. */
  g_assert_true (ea_desk_check_order (f->desk, &sell, &decision));
  g_free (place (f, &sell, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 0);

  /* Once the snapshot is applied, entries are back. */
  iterate ();
  id = place (f, &buy, &decision, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_true (decision.allowed);
}

/* A broker that moves a filled order back to working is refused: the
 * order stays FILLED, the user sees an alert, the audit names the order,
 * both states and the broker, and a reconciliation follows. */
static void
test_impossible_transition_refused (Fixture       *f,
                                    gconstpointer  data)
{
  EaDeskOrder buy = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                      .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(EaSnapshotData) s = NULL;
  g_autoptr(EaOrderData) crafted = NULL;
  GListModel *orders = ea_trading_store_get_orders (ea_desk_get_store (f->desk));
  GAsyncResult *res = NULL;
  guint reconciled, state = 0;

  id = place (f, &buy, NULL, &error);
  g_assert_no_error (error);

  ea_broker_snapshot_async (EA_BROKER (f->sim), NULL, NULL, result_cb, &res);
  s = ea_broker_snapshot_finish (EA_BROKER (f->sim), wait_for (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  for (guint i = 0; i < s->orders->len && crafted == NULL; i++)
    if (g_strcmp0 (((EaOrderData *) s->orders->pdata[i])->client_order_id, id) == 0)
      crafted = ea_order_data_copy (s->orders->pdata[i]);
  g_assert_nonnull (crafted);
  g_assert_cmpint (crafted->state, ==, EA_ORDER_STATE_FILLED);

  reconciled = journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'broker.reconciled'");
  crafted->state = EA_ORDER_STATE_WORKING;
  ea_broker_emit_order_updated (EA_BROKER (f->sim), crafted);
  iterate ();

  g_assert_cmpuint (g_list_model_get_n_items (orders), ==, 1);
  {
    g_autoptr(GObject) o = g_list_model_get_item (orders, 0);
    g_object_get (o, "state", &state, NULL);
  }
  g_assert_cmpuint (state, ==, EA_ORDER_STATE_FILLED);
  g_assert_cmpuint (count_alerts (f, "system_status"), >=, 1);
  sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE kind = 'order.impossible-transition' "
                         "AND subject = '%s' AND details LIKE '%%\"from\":\"FILLED\"%%' "
                         "AND details LIKE '%%\"to\":\"WORKING\"%%' "
                         "AND details LIKE '%%\"broker\":\"%s\"%%'",
                         id, ea_broker_get_name (EA_BROKER (f->sim)));
  g_assert_cmpuint (journal_count (f, sql), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'broker.reconciled'"), ==, reconciled + 1);

  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 1);
}

/* A request lost before it reached the broker: UNKNOWN until the
 * snapshot shows no such order and no fills, then settled as not placed,
 * journaled and audited. */
static void
test_unknown_absent_settles (Fixture       *f,
                             gconstpointer  data)
{
  EaDeskOrder order = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_LIMIT, .qty = 1, .limit_price = ES_6800 - 8 };
  g_autoptr(GError) error = NULL;

  ea_sim_broker_drop_next_place_request (f->sim);
  g_assert_null (place (f, &order, NULL, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME);
  iterate ();

  g_assert_cmpuint (g_list_model_get_n_items (ea_trading_store_get_orders (ea_desk_get_store (f->desk))), ==, 0);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM orders WHERE state = 'UNKNOWN'"), ==, 0);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM orders WHERE state = 'REJECTED' AND terminal = 1"), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'order.settled' "
                                      "AND details LIKE '%\"to\":\"REJECTED\"%'"), ==, 1);
}

/* The journal answers from its own thread: let the desk's replies land
 * (each count flushes the journal), a bounded number of times. */
static guint
settle_count (Fixture    *f,
              const char *sql,
              guint       want)
{
  guint n = 0;

  for (guint i = 0; i < 100 && (n = journal_count (f, sql)) < want; i++)
    iterate ();

  return n;
}

static EaOrderData *
sim_order_copy (Fixture    *f,
                const char *client_order_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSnapshotData) s = NULL;
  GAsyncResult *res = NULL;

  ea_broker_snapshot_async (EA_BROKER (f->sim), NULL, NULL, result_cb, &res);
  s = ea_broker_snapshot_finish (EA_BROKER (f->sim), wait_for (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  for (guint i = 0; i < s->orders->len; i++)
    if (g_strcmp0 (((EaOrderData *) s->orders->pdata[i])->client_order_id, client_order_id) == 0)
      return ea_order_data_copy (s->orders->pdata[i]);

  return NULL;
}

/* Desk A places two working orders and goes away; one is cancelled at
 * the broker meanwhile. Desk B, on the same journal file, reloads both:
 * the one still working is known by its id (it can be cancelled), the
 * cancelled one takes the broker's state, and new client ids do not
 * collide. Desk C starts against a Demo exchange that was restarted and
 * has no orders at all: the orders it reloaded are settled as gone. */
static void
test_restart_reloads_orders (Fixture       *f,
                             gconstpointer  data)
{
  /* Micro contracts: both resting entries fit the open-loss room. */
  EaDeskOrder order = { .account = "DEMO-1", .symbol = "MES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_LIMIT, .qty = 1, .limit_price = ES_6800 - 8 };
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *gone = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *path = g_strdup (ea_journal_get_path (f->journal));
  g_autofree char *sql = NULL;
  g_autoptr(EaOrderData) gone_data = NULL;
  GAsyncResult *res = NULL;

  kept = place (f, &order, NULL, &error);
  g_assert_no_error (error);
  order.limit_price = ES_6800 - 12;
  gone = place (f, &order, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM orders WHERE state = 'WORKING'"), ==, 2);

  /* Desk A stops; the broker cancels one order while nobody watches. */
  g_clear_object (&f->desk);
  ea_journal_close (f->journal);
  g_clear_object (&f->journal);
  gone_data = sim_order_copy (f, gone);
  g_assert_nonnull (gone_data);
  ea_broker_cancel_order_async (EA_BROKER (f->sim), gone_data->broker_order_id, NULL, result_cb, &res);
  g_assert_true (ea_broker_cancel_order_finish (EA_BROKER (f->sim), wait_for (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  iterate ();

  /* Desk B on the same file. */
  f->journal = ea_journal_new_sync (path, NULL, &error);
  g_assert_no_error (error);
  f->desk = ea_desk_new (EA_MODE_DEMO);
  ea_test_desk_in_session (f->desk);
  ea_desk_set_journal (f->desk, f->journal);
  ea_desk_restore_async (f->desk, NULL, result_cb, &res);
  ea_desk_restore_finish (f->desk, wait_for (&res), NULL);
  g_clear_object (&res);
  ea_desk_watch_symbol (f->desk, "ES");
  ea_desk_add_broker (f->desk, EA_BROKER (f->sim));
  iterate ();

  /* The cancelled order takes the broker's state in the journal. */
  sql = g_strdup_printf ("SELECT count(*) FROM orders WHERE client_order_id = '%s' "
                         "AND state = 'CANCELLED' AND terminal = 1", gone);
  g_assert_cmpuint (settle_count (f, sql, 1), ==, 1);
  g_clear_pointer (&sql, g_free);

  /* New ids continue after the old ones. */
  fresh = place (f, &order, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fresh, !=, kept);
  g_assert_cmpstr (fresh, !=, gone);
  sql = g_strdup_printf ("SELECT count(*) FROM orders WHERE client_order_id = '%s'", fresh);
  g_assert_cmpuint (journal_count (f, sql), ==, 1);
  g_clear_pointer (&sql, g_free);

  /* Desk C: the Demo exchange restarted empty. The two working orders
   * desk C reloads by id are gone: settled, journaled, audited. */
  g_clear_object (&f->desk);
  ea_journal_close (f->journal);
  g_clear_object (&f->journal);
  g_clear_object (&f->sim);
  f->sim = new_sim (8);
  connect_broker (EA_BROKER (f->sim));

  f->journal = ea_journal_new_sync (path, NULL, &error);
  g_assert_no_error (error);
  f->desk = ea_desk_new (EA_MODE_DEMO);
  ea_test_desk_in_session (f->desk);
  ea_desk_set_journal (f->desk, f->journal);
  ea_desk_restore_async (f->desk, NULL, result_cb, &res);
  ea_desk_restore_finish (f->desk, wait_for (&res), NULL);
  g_clear_object (&res);
  ea_desk_add_broker (f->desk, EA_BROKER (f->sim));
  iterate ();
  g_assert_cmpuint (settle_count (f, "SELECT count(*) FROM audit WHERE kind = 'order.settled'", 2), ==, 2);

  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM orders WHERE terminal = 0"), ==, 0);
  sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE kind = 'order.settled' AND subject IN ('%s', '%s')",
                         kept, fresh);
  g_assert_cmpuint (journal_count (f, sql), ==, 2);
}

/* While the desk was not listening, a working order was cancelled and a
 * position opened at the broker: the next reconciliation reports both
 * differences (alert and audit row with before and after) and takes the
 * broker's state. */
static void
test_reconcile_reports_differences (Fixture       *f,
                                    gconstpointer  data)
{
  EaDeskOrder limit = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_LIMIT, .qty = 1, .limit_price = ES_6800 - 8 };
  EaOrderRequest market = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *placed = NULL;
  g_autoptr(EaOrderData) working = NULL;
  GAsyncResult *res = NULL;
  guint alerts;

  id = place (f, &limit, NULL, &error);
  g_assert_no_error (error);
  working = sim_order_copy (f, id);
  g_assert_nonnull (working);
  alerts = count_alerts (f, "system_status");

  ea_sim_broker_simulate_disconnect (f->sim, "blip");
  iterate ();
  g_signal_handlers_block_matched (f->sim, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, f->desk);
  ea_sim_broker_simulate_reconnect (f->sim);
  ea_broker_cancel_order_async (EA_BROKER (f->sim), working->broker_order_id, NULL, result_cb, &res);
  g_assert_true (ea_broker_cancel_order_finish (EA_BROKER (f->sim), wait_for (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  market.account = (char *) "DEMO-1";
  market.symbol = (char *) "ES";
  market.side = EA_SIDE_SELL;
  market.type = EA_ORDER_TYPE_MARKET;
  market.qty = 2;
  market.client_order_id = (char *) "AT-BROKER-1";
  ea_broker_place_order_async (EA_BROKER (f->sim), &market, NULL, result_cb, &res);
  placed = ea_broker_place_order_finish (EA_BROKER (f->sim), wait_for (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  ea_sim_broker_simulate_disconnect (f->sim, "blip");
  iterate ();
  g_signal_handlers_unblock_matched (f->sim, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, f->desk);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 0);

  ea_sim_broker_simulate_reconnect (f->sim);
  iterate ();

  sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE kind = 'reconcile.difference' AND subject = '%s' "
                         "AND details LIKE '%%\"before\":\"WORKING\"%%' "
                         "AND details LIKE '%%\"after\":\"CANCELLED\"%%'", id);
  g_assert_cmpuint (journal_count (f, sql), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'reconcile.difference' "
                                      "AND subject = 'DEMO-1/ES' AND details LIKE '%\"before\":\"0\"%' "
                                      "AND details LIKE '%\"after\":\"-2\"%'"), ==, 1);
  g_assert_cmpuint (count_alerts (f, "system_status"), >=, alerts + 2);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, -2);
}

static char *
protect (Fixture        *f,
         EaTicks         stop,
         EaTicks         target,
         char          **target_id,
         EaRiskDecision *decision,
         GError        **error)
{
  GAsyncResult *res = NULL;
  char *id;

  ea_desk_protect_position_async (f->desk, "DEMO-1", "ES", stop, target, EA_ACTOR_USER, NULL, result_cb, &res);
  id = ea_desk_protect_position_finish (f->desk, wait_for (&res), target_id, decision, error);
  g_object_unref (res);
  iterate ();
  return id;
}

/* Protect…: a stop and a target for the whole position that cancel each
 * other, through the Demo exchange's OCO. Refused when flat, with a stop
 * or target on the wrong side of the market, and when exits already work
 * for the position; once one leg fills the other goes, and the position
 * is flat. */
static void
test_protect_position (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *entry = NULL;
  g_autofree char *stop_id = NULL;
  g_autofree char *target_id = NULL;
  g_autofree char *again = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(EaOrder) stop = NULL;
  g_autoptr(EaOrder) target = NULL;
  EaDeskOrder buy = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                      .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  EaRiskDecision decision = { 0 };
  EaSimExchange *ex = ea_sim_broker_get_exchange (f->sim);
  GListModel *orders = ea_trading_store_get_orders (ea_desk_get_store (f->desk));
  EaRiskStatus status;
  guint n_orders;

  /* Nothing to protect yet. */
  g_assert_null (protect (f, ES_6800 - 12, ES_6800 + 24, NULL, &decision, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_NO_POSITION);
  g_clear_error (&error);

  entry = place (f, &buy, &decision, &error);
  g_assert_no_error (error);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 1);
  n_orders = g_list_model_get_n_items (orders);

  /* A long's stop above the market, its target below: refused, nothing sent. */
  g_assert_null (protect (f, ES_6800 + 8, ES_6800 + 24, NULL, &decision, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED);
  g_assert_cmpint (decision.reason, ==, EA_RISK_BAD_STOP);
  g_clear_error (&error);
  g_assert_null (protect (f, ES_6800 - 12, ES_6800 - 4, NULL, &decision, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (orders), ==, n_orders);

  stop_id = protect (f, ES_6800 - 12, ES_6800 + 24, &target_id, &decision, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stop_id);
  g_assert_nonnull (target_id);
  g_assert_cmpstr (stop_id, !=, target_id);
  stop = find_order (f, stop_id);
  target = find_order (f, target_id);
  g_assert_nonnull (stop);
  g_assert_nonnull (target);
  /* Exits of the whole position, the other way. */
  g_assert_cmpint (ea_order_get_side (stop), ==, EA_SIDE_SELL);
  g_assert_cmpint (ea_order_get_order_type (stop), ==, EA_ORDER_TYPE_STOP);
  g_assert_cmpint (ea_order_get_qty (stop), ==, 1);
  g_assert_cmpint (ea_order_get_side (target), ==, EA_SIDE_SELL);
  g_assert_cmpint (ea_order_get_order_type (target), ==, EA_ORDER_TYPE_LIMIT);
  g_assert_cmpint (ea_order_get_qty (target), ==, 1);
  g_assert_cmpint (ea_order_get_state (stop), ==, EA_ORDER_STATE_WORKING);
  g_assert_cmpint (ea_order_get_state (target), ==, EA_ORDER_STATE_WORKING);

  /* Only one of them can fill: the pair commits nothing beyond the
   * position it closes. */
  g_assert_true (ea_desk_get_risk_status (f->desk, "DEMO-1", &status));
  g_assert_cmpfloat (status.contracts_committed, ==, 1.0);
  g_assert_cmpint (status.working_risk, ==, 0);

  /* Journaled and audited with who asked. */
  sql = g_strdup_printf ("SELECT COUNT(*) FROM orders WHERE client_order_id IN ('%s','%s')", stop_id, target_id);
  g_assert_cmpuint (journal_count (f, sql), ==, 2);
  g_assert_cmpuint (journal_count (f, "SELECT COUNT(*) FROM audit WHERE kind = 'order.protect' AND actor = 'user'"),
                    ==, 1);

  /* A second pair would close two of one contract: refused. */
  g_assert_null (protect (f, ES_6800 - 16, ES_6800 + 30, NULL, &decision, &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_null (again);
  g_assert_cmpuint (journal_count (f, "SELECT COUNT(*) FROM audit WHERE kind = 'order.protect-refused'"), >=, 1);

  /* The market reaches the target: it fills, the stop goes, flat. */
  ea_sim_exchange_push_quote (ex, "ES", ES_6800 + 24, ES_6800 + 25, 50, 50, NULL);
  ea_sim_exchange_push_trade (ex, "ES", ES_6800 + 24, 1, NULL);
  iterate ();
  g_assert_cmpint (ea_order_get_state (target), ==, EA_ORDER_STATE_FILLED);
  g_assert_cmpint (ea_order_get_state (stop), ==, EA_ORDER_STATE_CANCELLED);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 0);
}

/* An OCO stop and target placed at the broker (or before a restart) are
 * adopted as a pair: the target is not counted as a second exit that
 * would open a position the other way. */
static void
test_oco_adopted (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *entry = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(EaOrderRequest) stop = ea_order_request_new ("DEMO-1", "ES", "EXT-STOP", EA_SIDE_SELL,
                                                         EA_ORDER_TYPE_STOP, 1);
  g_autoptr(EaOrderRequest) target = ea_order_request_new ("DEMO-1", "ES", "EXT-TARGET", EA_SIDE_SELL,
                                                           EA_ORDER_TYPE_LIMIT, 1);
  EaDeskOrder buy = { .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
                      .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  EaRiskDecision decision = { 0 };
  EaRiskStatus status;
  GAsyncResult *res = NULL;

  entry = place (f, &buy, &decision, &error);
  g_assert_no_error (error);
  g_assert_cmpint (position_qty (f, "DEMO-1", "ES"), ==, 1);

  /* The target first, then its stop: adopted whichever comes first. */
  target->limit_price = ES_6800 + 24;
  stop->stop_price = ES_6800 - 12;
  ea_broker_place_oco_async (EA_BROKER (f->sim), target, stop, NULL, result_cb, &res);
  first = ea_broker_place_oco_finish (EA_BROKER (f->sim), wait_for (&res), &second, &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  iterate ();

  g_assert_true (ea_desk_get_risk_status (f->desk, "DEMO-1", &status));
  g_assert_cmpfloat (status.contracts_committed, ==, 1.0);
  g_assert_cmpint (status.working_risk, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/desk/trading/order", test_order_through_desk);
  ADD ("/desk/trading/denied", test_denied_not_sent);
  ADD ("/desk/trading/signal-linked", test_signal_linked_trade);
  ADD ("/desk/trading/journal-unwritable", test_unwritable_journal);
  ADD ("/desk/trading/journal-required", test_journal_required);
  ADD ("/desk/trading/unknown", test_unknown_account_and_symbol);
  ADD ("/desk/trading/duplicate-fill", test_duplicate_fill_once);
  ADD ("/desk/trading/unknown-outcome", test_unknown_outcome_settles);
  ADD ("/desk/trading/unknown-absent", test_unknown_absent_settles);
  ADD ("/desk/trading/halted", test_halted_blocks_entries_not_exits);
  ADD ("/desk/trading/working-orders", test_working_orders_count);
  ADD ("/desk/trading/modify", test_modify_uses_bracket);
  ADD ("/desk/trading/stops-follow-floor", test_stops_follow_floor);
  ADD ("/desk/trading/reconciling-until-snapshot", test_reconciling_until_snapshot);
  ADD ("/desk/trading/impossible-transition", test_impossible_transition_refused);
  ADD ("/desk/estop/six-accounts", test_emergency_stop_six_accounts);
  ADD ("/desk/estop/away-account", test_emergency_stop_with_away_account);
  ADD ("/desk/estop/breach-locks", test_breach_locks);
  ADD ("/desk/estop/disconnect-policy", test_disconnect_policy);
  ADD ("/desk/estop/modify-refused", test_modify_refused_when_halted);
  ADD ("/desk/estop/second-trigger", test_second_trigger_idempotent);
  ADD ("/desk/estop/broker-lost", test_broker_lost_during_stop);
  ADD ("/desk/estop/unresolved-retries", test_unresolved_keeps_retrying);
  ADD ("/desk/estop/flat-by", test_flat_by_time);
  ADD ("/desk/restart/keeps-lock", test_restart_keeps_lock);
  ADD ("/desk/restart/reloads-orders", test_restart_reloads_orders);
  ADD ("/desk/reconcile/differences", test_reconcile_reports_differences);
  ADD ("/desk/erm/reversal", test_erm_reversal);
  ADD ("/desk/erm/live-atr", test_erm_live_atr);
  ADD ("/desk/trading/reverse", test_reverse_position);
  ADD ("/desk/trading/protect", test_protect_position);
  ADD ("/desk/trading/oco-adopted", test_oco_adopted);
#undef ADD

  return g_test_run ();
}
