/* bench-bars.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Throughput of bar aggregation (time and range bars) and of the
 * incremental Wilder ATR. Prints `bench: <name> <value> <unit>` lines;
 * never asserts on time.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "ea-bars.h"
#include "ea-indicators.h"

#define N_TRADES 10000000
#define N_BARS   10000000
#define ROUNDS   3

static EaTrade *
make_trades (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  EaTrade *trades = g_new (EaTrade, N_TRADES);
  EaTimeUs t = G_GINT64_CONSTANT (1795521600) * G_USEC_PER_SEC;
  EaTicks p = 24000;

  for (gsize i = 0; i < N_TRADES; i++)
    {
      guint32 r = g_rand_int (rand);

      t += r & 0xffff;            /* ~33 ms on average */
      p += (gint) ((r >> 16) % 3) - 1;
      trades[i].time = t;
      trades[i].price = p;
      trades[i].volume = 1 + ((r >> 20) & 7);
    }
  return trades;
}

static double
run_bars (const EaBarSpec *spec,
          const EaTrade   *trades,
          guint64         *n_bars)
{
  double best = 0.0;

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(EaBarBuilder) b = ea_bar_builder_new (spec, NULL);
      gint64 start, elapsed;
      guint64 closed = 0;
      gint64 volume = 0;
      EaBar bar;

      start = g_get_monotonic_time ();
      for (gsize i = 0; i < N_TRADES; i++)
        {
          if (ea_bar_builder_push (b, trades[i].time, trades[i].price, trades[i].volume, &bar))
            {
              closed++;
              volume += bar.volume;
            }
        }
      elapsed = MAX (g_get_monotonic_time () - start, 1);
      best = MAX (best, N_TRADES / (elapsed / 1e6));
      *n_bars = closed + (volume == 0);
    }
  return best;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree EaTrade *trades = make_trades ();
  g_autofree double *h = g_new (double, N_BARS);
  g_autofree double *l = g_new (double, N_BARS);
  g_autofree double *c = g_new (double, N_BARS);
  EaBarSpec minute = ea_bar_spec_time (60 * G_USEC_PER_SEC, 0);
  EaBarSpec range = ea_bar_spec_range (4);
  guint64 n_time = 0, n_range = 0;
  double time_rate, range_rate, atr_best = 0.0, sink = 0.0;

  time_rate = run_bars (&minute, trades, &n_time);
  range_rate = run_bars (&range, trades, &n_range);

  for (gsize i = 0; i < N_BARS; i++)
    {
      c[i] = trades[i].price;
      h[i] = c[i] + (trades[i].volume & 3);
      l[i] = c[i] - (trades[i].volume >> 1);
    }
  for (guint round = 0; round < ROUNDS; round++)
    {
      EaAtr atr;
      gint64 start, elapsed;

      ea_atr_init (&atr, EA_ATR_DEFAULT_PERIOD);
      start = g_get_monotonic_time ();
      for (gsize i = 0; i < N_BARS; i++)
        {
          double v = ea_atr_push (&atr, h[i], l[i], c[i]);

          if (!isnan (v))
            sink += v * 1e-9;
        }
      elapsed = MAX (g_get_monotonic_time () - start, 1);
      atr_best = MAX (atr_best, N_BARS / (elapsed / 1e6));
    }

  printf ("# %d trades: %" G_GUINT64_FORMAT " 1-minute bars, %" G_GUINT64_FORMAT " 4R bars; ATR checksum %.6g\n",
          N_TRADES, n_time, n_range, sink);
  printf ("bench: core.bar_time_ticks_per_s %.0f ticks/s\n", time_rate);
  printf ("bench: core.bar_range_ticks_per_s %.0f ticks/s\n", range_rate);
  printf ("bench: core.bar_ticks_per_s %.0f ticks/s\n", MIN (time_rate, range_rate));
  printf ("bench: core.atr_bars_per_s %.0f bars/s\n", atr_best);
  return 0;
}
