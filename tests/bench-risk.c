/* bench-risk.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Measures the pre-trade check (median ns per check over batches) and
 * the continuous evaluation (equity updates per second). Prints only
 * `bench:` lines; never asserts on time.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ea-risk.h"

#define BATCHES     2001
#define PER_BATCH   1000
#define N_UPDATES   20000000

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
apex_50k (EaRiskProfile *p)
{
  ea_risk_profile_init_defaults (p);
  g_strlcpy (p->id, "apex-legacy-50k", sizeof p->id);
  p->trailing_mode = EA_TRAILING_INTRADAY_UNREALIZED;
  p->trailing_amount = EA_MICROS (2500);
  p->has_lock = TRUE;
  p->lock_level_offset = EA_MICROS (100);
  p->max_contracts = 10;
  p->n_scaling = 1;
  p->scaling[0].until_profit = EA_MICROS (2600);
  p->scaling[0].max_contracts = 5;
  p->max_open_loss_share = 0.30;
  p->max_stop_target_ratio = 5;
  p->flat_by_minutes = 16 * 60 + 59;
  g_strlcpy (p->flat_by_zone, "America/New_York", sizeof p->flat_by_zone);
  p->hedging_allowed = FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDateTime) t = g_date_time_new_utc (2026, 11, 24, 15, 0, 0);
  EaTimeUs now = g_date_time_to_unix (t) * G_USEC_PER_SEC;
  g_autoptr(EaRiskEngine) e = ea_risk_engine_new ();
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  const EaInstrumentSpec *nq = ea_instrument_lookup ("NQ");
  const EaInstrumentSpec *cl = ea_instrument_lookup ("CL");
  g_autofree double *samples = g_new (double, BATCHES);
  EaRiskProfile p;
  EaRiskOrder o = { 0 };
  EaRiskDecision d;
  volatile gint64 sink = 0;
  gint64 t0, t1;

  apex_50k (&p);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("ACC-%u", i);

      ea_risk_engine_add_account (e, id, &p, 80, now, NULL);
      ea_risk_engine_set_fees (e, i, EA_MICROS (2));
      ea_risk_engine_set_position (e, i, nq, 1, 84000, TRUE, 84000 - 40);
      ea_risk_engine_set_position (e, i, cl, -1, 7000, TRUE, 7000 + 10);
    }
  ea_risk_engine_set_last_price (e, es, 24000);
  ea_risk_engine_set_last_price (e, nq, 84000);
  ea_risk_engine_set_last_price (e, cl, 7000);

  /* A limit buy of 1 ES with stop and target on account 3, after the
   * hedging scan of the other three. */
  o.action = EA_RISK_ORDER_NEW;
  o.flags = EA_RISK_ORDER_FLAG_DRY_RUN;
  o.spec = es;
  o.side = EA_SIDE_BUY;
  o.qty = 1;
  o.has_price = TRUE;
  o.price = 23996;
  o.has_stop = TRUE;
  o.stop = 23980;
  o.has_target = TRUE;
  o.target = 24030;

  if (!ea_risk_engine_check (e, 3, &o, now, &d))
    {
      g_autofree char *msg = ea_risk_decision_format (&d);

      fprintf (stderr, "benchmark order denied: %s\n", msg);
      return 1;
    }

  for (guint b = 0; b < BATCHES; b++)
    {
      t0 = now_ns ();
      for (guint i = 0; i < PER_BATCH; i++)
        {
          ea_risk_engine_check (e, 3, &o, now + i, &d);
          sink += d.allowed_qty;
        }
      t1 = now_ns ();
      samples[b] = (double) (t1 - t0) / PER_BATCH;
    }
  qsort (samples, BATCHES, sizeof (double), compare_double);
  printf ("bench: risk.pretrade_check_ns %.1f ns\n", samples[BATCHES / 2]);

  t0 = now_ns ();
  for (guint i = 0; i < N_UPDATES; i++)
    {
      EaMicros eq = EA_MICROS (50000) + (EaMicros) ((i * 7919u) % 1000000u) * 1000 - EA_MICROS (500);

      sink += ea_risk_engine_update_equity (e, i & 3, EA_MICROS (50000), eq, now + i);
    }
  t1 = now_ns ();
  printf ("bench: risk.equity_updates_per_s %.0f updates/s\n", N_UPDATES / ((double) (t1 - t0) / 1e9));

  (void) sink;
  return 0;
}
