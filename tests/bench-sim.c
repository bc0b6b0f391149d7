/* bench-sim.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Throughput of the simulated exchange: generated quotes per second of
 * wall time, with every market carrying resting orders that keep getting
 * filled and replaced, and the Demo broker's signal path on top.
 */
#include "config.h"

#include "ea-sim-broker.h"

#define SEC G_GINT64_CONSTANT (1000000)
/* Tuesday 2025-11-18 15:00 UTC. */
#define START G_GINT64_CONSTANT (1763478000000000)

typedef struct
{
  EaSimExchange *ex;
  guint64        quotes;
  guint64        fills;
  guint64        seq;
} Bench;

static void
on_quote (gpointer data, const EaQuoteData *q)
{
  ((Bench *) data)->quotes++;
}

static void
on_fill (gpointer data, const EaFillData *f)
{
  ((Bench *) data)->fills++;
}

/* Keeps a buy and a sell limit resting two ticks off the touch of every
 * market, so matching has work on every quote. */
static void
refresh_orders (Bench *b)
{
  g_autoptr(EaSnapshotData) s = NULL;
  guint n = ea_sim_exchange_get_n_symbols (b->ex);

  ea_sim_exchange_cancel_all (b->ex, NULL, NULL);
  ea_sim_exchange_flatten (b->ex, NULL, NULL, NULL);
  for (guint i = 0; i < n; i++)
    {
      const char *sym = ea_sim_exchange_get_symbol (b->ex, i);
      const EaQuoteData *q = ea_sim_exchange_get_quote (b->ex, sym);

      for (int side = -1; side <= 1; side += 2)
        {
          g_autofree char *cid = g_strdup_printf ("b%" G_GUINT64_FORMAT, ++b->seq);
          g_autoptr(EaOrderRequest) r = ea_order_request_new ("DEMO-1", sym, cid, side,
                                                              EA_ORDER_TYPE_LIMIT, 1);

          r->limit_price = side > 0 ? q->bid - 2 : q->ask + 2;
          g_free (ea_sim_exchange_place (b->ex, r, NULL));
        }
    }
}

static void
bench_exchange (void)
{
  EaSimSink sink = { on_quote, NULL, on_fill, NULL, NULL };
  Bench b = { 0 };
  gint64 t0, t1;
  double secs;

  b.ex = ea_sim_exchange_new (1, START);
  ea_sim_exchange_set_always_open (b.ex, TRUE);
  ea_sim_exchange_set_sink (b.ex, &sink, &b);
  ea_sim_exchange_add_account (b.ex, "DEMO-1", EA_MICROS (50000), "bench", NULL);

  t0 = g_get_monotonic_time ();
  /* 6 hours of market time, orders refreshed every minute. */
  for (guint minute = 0; minute < 6 * 60; minute++)
    {
      refresh_orders (&b);
      ea_sim_exchange_advance (b.ex, 60 * SEC);
    }
  t1 = g_get_monotonic_time ();
  secs = (t1 - t0) / 1e6;

  g_print ("bench: sim.quotes_per_s %.0f quotes/s\n", b.quotes / secs);
  g_print ("bench: sim.fills %" G_GUINT64_FORMAT " fills\n", b.fills);
  ea_sim_exchange_free (b.ex);
}

static void
count_quote (EaBroker *broker, const EaQuoteData *q, guint64 *n)
{
  (*n)++;
}

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
bench_broker (void)
{
  g_autoptr(EaSimBroker) sim = ea_sim_broker_new (1, START);
  GAsyncResult *res = NULL;
  guint64 n = 0;
  gint64 t0, t1;

  ea_sim_exchange_set_always_open (ea_sim_broker_get_exchange (sim), TRUE);
  ea_broker_connect_async (EA_BROKER (sim), NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&res);
  for (guint i = 0; i < ea_sim_exchange_get_n_symbols (ea_sim_broker_get_exchange (sim)); i++)
    {
      ea_broker_subscribe_quotes_async (EA_BROKER (sim),
                                        ea_sim_exchange_get_symbol (ea_sim_broker_get_exchange (sim), i),
                                        NULL, result_cb, &res);
      while (res == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_clear_object (&res);
    }
  g_signal_connect (sim, "quote", G_CALLBACK (count_quote), &n);

  t0 = g_get_monotonic_time ();
  ea_sim_broker_advance (sim, 2 * 3600 * SEC);
  t1 = g_get_monotonic_time ();

  g_print ("bench: sim.broker_quote_signals_per_s %.0f quotes/s\n", n / ((t1 - t0) / 1e6));
}

int
main (int   argc,
      char *argv[])
{
  bench_exchange ();
  bench_broker ();
  return 0;
}
