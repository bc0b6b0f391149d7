/* test-chart-sim-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Demo exchange's price history for charts: reproducible, on the
 * session calendar, ending at the exchange's time and price, as volatile
 * as the live market, and without disturbing the live price stream.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-bars.h"
#include "ea-session.h"
#include "ea-sim-exchange.h"

/* Tuesday 2025-11-18 15:00 UTC = 09:00 America/Chicago. */
#define TUE_0900_CT G_GINT64_CONSTANT (1763478000000000)
/* Sunday 2025-11-23 17:00:20 CT = 23:00:20 UTC, 20 s after the open. */
#define SUN_1700_CT (G_GINT64_CONSTANT (1763938800000000) + 20 * SEC)
#define SEC         G_GINT64_CONSTANT (1000000)
#define MINUTE      (60 * SEC)

static GArray *
history (EaSimExchange *ex, const char *symbol, EaTimeUs period, EaTimeUs end, guint n)
{
  g_autoptr(GError) error = NULL;
  GArray *bars = ea_sim_exchange_load_history (ex, symbol, period, end, n, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bars);
  return bars;
}

static void
check_walk (GArray *bars, EaTimeUs period)
{
  for (guint i = 0; i < bars->len; i++)
    {
      const EaBar *b = &g_array_index (bars, EaBar, i);

      g_assert_cmpint (b->end - b->start, ==, period);
      g_assert_cmpint (b->start % period, ==, 0);
      g_assert_cmpint (b->high, >=, MAX (b->open, b->close));
      g_assert_cmpint (b->low, <=, MIN (b->open, b->close));
      g_assert_cmpint (b->low, >, 0);
      g_assert_cmpint (b->volume, >=, b->n_ticks);
      g_assert_cmpint (b->n_ticks, >, 0);
      if (i > 0)
        {
          g_assert_cmpint (b->start, >=, g_array_index (bars, EaBar, i - 1).end);
          g_assert_cmpint (b->open, ==, g_array_index (bars, EaBar, i - 1).close);
        }
    }
}

static void
test_errors (void)
{
  EaSimExchange *ex = ea_sim_exchange_new (1, TUE_0900_CT);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) empty = NULL;

  g_assert_null (ea_sim_exchange_load_history (ex, "XX", MINUTE, G_MAXINT64, 10, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (ea_sim_exchange_load_history (ex, "ES", SEC / 2, G_MAXINT64, 10, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (ea_sim_exchange_load_history (ex, NULL, MINUTE, G_MAXINT64, 10, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  empty = history (ex, "ES", MINUTE, G_MAXINT64, 0);
  g_assert_cmpuint (empty->len, ==, 0);
  ea_sim_exchange_free (ex);
}

static void
test_reproducible (void)
{
  EaSimExchange *a = ea_sim_exchange_new (7, TUE_0900_CT);
  EaSimExchange *b = ea_sim_exchange_new (7, TUE_0900_CT);
  EaSimExchange *c = ea_sim_exchange_new (8, TUE_0900_CT);
  g_autoptr(GArray) ha = NULL, ha2 = NULL, hb = NULL, hc = NULL, early = NULL;
  EaTimeUs now;

  ea_sim_exchange_advance (a, 90 * SEC);
  ea_sim_exchange_advance (b, 90 * SEC);
  ea_sim_exchange_advance (c, 90 * SEC);
  now = ea_sim_exchange_get_time (a);

  ha = history (a, "ES", MINUTE, now, 300);
  ha2 = history (a, "ES", MINUTE, G_MAXINT64, 300);
  hb = history (b, "ES", MINUTE, now, 300);
  hc = history (c, "ES", MINUTE, now, 300);
  g_assert_cmpuint (ha->len, ==, 300);
  check_walk (ha, MINUTE);
  g_assert_cmpmem (ha->data, ha->len * sizeof (EaBar), ha2->data, ha2->len * sizeof (EaBar));
  g_assert_cmpmem (ha->data, ha->len * sizeof (EaBar), hb->data, hb->len * sizeof (EaBar));
  g_assert_true (memcmp (ha->data, hc->data, 300 * sizeof (EaBar)) != 0);

  /* Ends at the exchange's clock and price: the last closed minute. */
  g_assert_cmpint (g_array_index (ha, EaBar, 299).end, ==, now - now % MINUTE);
  g_assert_cmpint (g_array_index (ha, EaBar, 299).close, ==,
                   ea_sim_exchange_get_quote (a, "ES")->last > 0 ? ea_sim_exchange_get_quote (a, "ES")->last
                   : (ea_sim_exchange_get_quote (a, "ES")->bid + ea_sim_exchange_get_quote (a, "ES")->ask) / 2);

  /* An earlier end cuts the same walk: no bar starts at or after it. */
  early = history (a, "ES", MINUTE, now - 10 * MINUTE, 50);
  g_assert_cmpuint (early->len, ==, 50);
  g_assert_cmpint (g_array_index (early, EaBar, 49).start, <, now - 10 * MINUTE);
  for (guint i = 0; i < ha->len; i++)
    if (g_array_index (ha, EaBar, i).start == g_array_index (early, EaBar, 49).start)
      g_assert_cmpmem (&g_array_index (ha, EaBar, i), sizeof (EaBar), &g_array_index (early, EaBar, 49), sizeof (EaBar));

  ea_sim_exchange_free (a);
  ea_sim_exchange_free (b);
  ea_sim_exchange_free (c);
}

/* Asking for history leaves the live market as it would have been. */
static void
test_live_undisturbed (void)
{
  EaSimExchange *a = ea_sim_exchange_new (3, TUE_0900_CT);
  EaSimExchange *b = ea_sim_exchange_new (3, TUE_0900_CT);
  g_autoptr(GArray) h = NULL;

  ea_sim_exchange_advance (a, 30 * SEC);
  ea_sim_exchange_advance (b, 30 * SEC);
  h = history (a, "ES", 5 * SEC, G_MAXINT64, 2000);
  ea_sim_exchange_advance (a, 10 * MINUTE);
  ea_sim_exchange_advance (b, 10 * MINUTE);
  g_assert_cmpuint (ea_sim_exchange_get_n_quotes (a), ==, ea_sim_exchange_get_n_quotes (b));
  g_assert_cmpint (ea_sim_exchange_get_quote (a, "ES")->bid, ==, ea_sim_exchange_get_quote (b, "ES")->bid);
  g_assert_cmpint (ea_sim_exchange_get_quote (a, "NQ")->last, ==, ea_sim_exchange_get_quote (b, "NQ")->last);
  ea_sim_exchange_free (a);
  ea_sim_exchange_free (b);
}

/* Just after Sunday's open, 1-second history skips the weekend and the
 * daily break: the bar before the first Sunday one is Friday's last. */
static void
test_sessions (void)
{
  EaSimExchange *ex = ea_sim_exchange_new (5, SUN_1700_CT);
  g_autoptr(GArray) secs = history (ex, "ES", SEC, G_MAXINT64, 500);
  g_autoptr(GArray) minutes = history (ex, "ES", MINUTE, G_MAXINT64, 3000);
  guint sunday = 0;

  g_assert_cmpuint (secs->len, ==, 500);
  check_walk (secs, SEC);
  check_walk (minutes, MINUTE);
  g_assert_cmpint (g_array_index (secs, EaBar, 499).end, ==, SUN_1700_CT);
  for (guint i = 0; i < secs->len; i++)
    {
      const EaBar *b = &g_array_index (secs, EaBar, i);

      g_assert_true (ea_session_is_open_us (b->start));
      if (b->start >= SUN_1700_CT - 20 * SEC)
        sunday++;
    }
  g_assert_cmpuint (sunday, ==, 20);
  /* Friday 2025-11-21 15:59:59 CT = 21:59:59 UTC. */
  g_assert_cmpint (g_array_index (secs, EaBar, 479).start, ==,
                   G_GINT64_CONSTANT (1763762399) * SEC);

  for (guint i = 0; i < minutes->len; i++)
    g_assert_true (ea_session_is_open_us (g_array_index (minutes, EaBar, i).start));
  ea_sim_exchange_free (ex);
}

typedef struct
{
  GArray *trades;
} Recorder;

static void
record_quote (gpointer user_data, const EaQuoteData *q)
{
  Recorder *r = user_data;

  if (g_strcmp0 (q->symbol, "ES") == 0 && q->last_size > 0)
    {
      EaTrade t = { q->time, q->last, q->last_size };

      g_array_append_val (r->trades, t);
    }
}

static double
sd_of_returns (GArray *bars)
{
  double sum = 0, sum2 = 0;
  guint n = 0;

  for (guint i = 1; i < bars->len; i++)
    {
      double r = (double) (g_array_index (bars, EaBar, i).close - g_array_index (bars, EaBar, i - 1).close);

      sum += r;
      sum2 += r * r;
      n++;
    }
  return sqrt (sum2 / n - (sum / n) * (sum / n));
}

/* History is about as volatile as the live market at the same hours. */
static void
test_volatility (void)
{
  EaSimExchange *ex = ea_sim_exchange_new (9, TUE_0900_CT);
  Recorder r = { g_array_new (FALSE, FALSE, sizeof (EaTrade)) };
  EaSimSink sink = { record_quote, NULL, NULL, NULL, NULL };
  EaBarSpec spec = ea_bar_spec_time (MINUTE, 0);
  g_autoptr(GArray) live = NULL, past = NULL;
  double live_sd, past_sd;

  ea_sim_exchange_set_always_open (ex, TRUE);
  ea_sim_exchange_set_sink (ex, &sink, &r);
  ea_sim_exchange_advance (ex, 400 * MINUTE);
  live = ea_bars_from_trades (&spec, (EaTrade *) (gpointer) r.trades->data, r.trades->len, FALSE, NULL);
  past = history (ex, "ES", MINUTE, G_MAXINT64, 400);
  live_sd = sd_of_returns (live);
  past_sd = sd_of_returns (past);
  g_test_message ("1-minute return sd: live %.2f ticks, history %.2f ticks", live_sd, past_sd);
  g_assert_cmpfloat (past_sd, >, live_sd / 2.5);
  g_assert_cmpfloat (past_sd, <, live_sd * 2.5);

  g_array_unref (r.trades);
  ea_sim_exchange_free (ex);
}

/* A replayed market's history is the bars it has played. */
static void
test_replay (void)
{
  EaSimExchange *ex = ea_sim_exchange_new (5, TUE_0900_CT);
  EaNtData data = { EA_NT_KIND_BARS, g_array_new (FALSE, FALSE, sizeof (EaNtBar)), NULL, NULL, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) bars = NULL;
  g_autoptr(GArray) early = NULL;
  EaTimeUs t0 = TUE_0900_CT + 60 * MINUTE;

  for (guint i = 0; i < 40; i++)
    {
      double o = 6800.0 + 0.25 * (i % 7);
      EaNtBar b = { t0 + (EaTimeUs) (i + 1) * MINUTE, o, o + 1.0, o - 0.75, o + 0.25 * (i % 3), 40 + i };

      g_array_append_val (data.bars, b);
    }
  g_assert_true (ea_sim_exchange_load_replay (ex, "ES", &data, &error));
  g_assert_no_error (error);

  /* Nothing played, nothing to show. */
  bars = history (ex, "ES", MINUTE, G_MAXINT64, 500);
  g_assert_cmpuint (bars->len, ==, 0);
  g_clear_pointer (&bars, g_array_unref);

  /* 10 bars and a half played: the 10 closed ones, as recorded. */
  ea_sim_exchange_advance_to (ex, t0 + 10 * MINUTE + 30 * SEC);
  bars = history (ex, "ES", MINUTE, G_MAXINT64, 500);
  g_assert_cmpuint (bars->len, ==, 10);
  for (guint i = 0; i < bars->len; i++)
    {
      const EaBar *b = &g_array_index (bars, EaBar, i);
      const EaNtBar *n = &g_array_index (data.bars, EaNtBar, i);

      g_assert_cmpint (b->start, ==, t0 + (EaTimeUs) i * MINUTE);
      g_assert_cmpint (b->open, ==, (EaTicks) llround (n->open * 4));
      g_assert_cmpint (b->high, ==, (EaTicks) llround (n->high * 4));
      g_assert_cmpint (b->low, ==, (EaTicks) llround (n->low * 4));
      g_assert_cmpint (b->close, ==, (EaTicks) llround (n->close * 4));
      g_assert_cmpint (b->volume, ==, n->volume);
    }

  /* The last 3 before minute 5. */
  early = history (ex, "ES", MINUTE, t0 + 5 * MINUTE, 3);
  g_assert_cmpuint (early->len, ==, 3);
  g_assert_cmpint (g_array_index (early, EaBar, 2).start, ==, t0 + 4 * MINUTE);

  g_array_unref (data.bars);
  ea_sim_exchange_free (ex);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim/history/errors", test_errors);
  g_test_add_func ("/sim/history/reproducible", test_reproducible);
  g_test_add_func ("/sim/history/live-undisturbed", test_live_undisturbed);
  g_test_add_func ("/sim/history/sessions", test_sessions);
  g_test_add_func ("/sim/history/volatility", test_volatility);
  g_test_add_func ("/sim/history/replay", test_replay);

  return g_test_run ();
}
