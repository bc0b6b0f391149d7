/* test-risk-property.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A seeded property test of the risk engine: on random price paths, the
 * orders the engine allows never let equity reach the effective floor
 * when every stop fills one tick worse and the desk follows the engine's
 * protective stops, in every trailing mode and safety ratio.
 */
#include "config.h"

#include <math.h>

#include "ea-risk.h"

#define USD(x) ((EaMicros) ((x) * 1000000.0 + ((x) >= 0 ? 0.5 : -0.5)))

/* Tuesday 2026-11-24, 09:00 America/Chicago. */
static EaTimeUs
tue_0900_ct (void)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (2026, 11, 24, 15, 0, 0);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static guint n_allowed, n_denied, n_stops_filled, n_tightened, n_exits;

typedef struct
{
  EaTicks entry;
  gint64  qty; /* signed */
} Lot;

#define N_BOOKS 3

/* One root of the walk: its price, lots and the position's stop. */
typedef struct
{
  const EaInstrumentSpec *spec;
  EaTicks                 last;
  EaTicks                 stop;
  Lot                     lots[64];
  guint                   n_lots;
} Book;

static gint64
book_qty (const Book *b)
{
  gint64 q = 0;

  for (guint i = 0; i < b->n_lots; i++)
    q += b->lots[i].qty;
  return q;
}

static double
book_entry (const Book *b)
{
  double sum = 0;
  gint64 q = book_qty (b);

  for (guint i = 0; i < b->n_lots; i++)
    sum += (double) b->lots[i].entry * (double) b->lots[i].qty;
  return q != 0 ? sum / (double) q : NAN;
}

static EaMicros
book_open (const Book *b)
{
  EaMicros open = 0;

  for (guint i = 0; i < b->n_lots; i++)
    open += (b->last - b->lots[i].entry) * b->lots[i].qty * b->spec->tick_value;
  return open;
}

static void
property_trial (GRand *rng,
                guint  trial)
{
  static const char * const roots[] = { "ES", "MES", "NQ", "MNQ", "CL" };
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = ea_risk_engine_new ();
  EaTimeUs now = tue_0900_ct ();
  EaMicros fees = g_rand_boolean (rng) ? USD (2.5) : 0;
  EaMicros balance;
  Book books[N_BOOKS] = { 0 };
  guint n_books = (guint) g_rand_int_range (rng, 1, N_BOOKS + 1);
  guint safety = (guint[]) { 50, 80, 100 }[g_rand_int_range (rng, 0, 3)];

  ea_risk_profile_init_defaults (&p);
  p.trailing_mode = (EaTrailingMode) g_rand_int_range (rng, 0, 4);
  p.trailing_amount = USD (g_rand_int_range (rng, 5, 31) * 100);
  p.has_lock = p.trailing_mode != EA_TRAILING_STATIC && g_rand_boolean (rng);
  p.lock_level_offset = USD (100);
  p.daily_loss_limit = g_rand_boolean (rng) ? USD (g_rand_int_range (rng, 5, 21) * 100) : 0;
  p.max_contracts = 20;
  p.max_order_qty = 20;
  p.orders_per_second = 1000;
  p.price_band_pct = 50;
  g_assert_true (ea_risk_profile_validate (&p, NULL));
  g_assert_cmpint (ea_risk_engine_add_account (e, "P", &p, safety, now, NULL), ==, 0);
  ea_risk_engine_set_fees (e, 0, fees);
  balance = p.start_balance;
  for (guint k = 0; k < n_books; k++)
    {
      books[k].spec = ea_instrument_lookup (roots[(trial + k) % G_N_ELEMENTS (roots)]);
      books[k].last = 20000;
      ea_risk_engine_set_last_price (e, books[k].spec, books[k].last);
    }

  for (guint step = 0; step < 400; step++)
    {
      EaMicros equity = balance;
      EaRiskStatus s;
      EaRiskEvents ev;
      Book *b;

      /* Move the prices; a stop crossed fills one tick worse. */
      for (guint k = 0; k < n_books; k++)
        {
          gint64 qty;

          b = &books[k];
          qty = book_qty (b);
          b->last += g_rand_int_range (rng, -3, 4);
          ea_risk_engine_set_last_price (e, b->spec, b->last);
          if (qty != 0 && (qty > 0 ? b->last <= b->stop : b->last >= b->stop))
            {
              EaTicks fill = b->stop - (qty > 0 ? 1 : -1);

              for (guint i = 0; i < b->n_lots; i++)
                balance += (fill - b->lots[i].entry) * b->lots[i].qty * b->spec->tick_value
                           - ABS (b->lots[i].qty) * fees;
              b->n_lots = 0;
              n_stops_filled++;
              ea_risk_engine_set_position (e, 0, b->spec, 0, NAN, FALSE, 0);
            }
        }

      equity = balance;
      for (guint k = 0; k < n_books; k++)
        equity += book_open (&books[k]);
      now += G_USEC_PER_SEC;
      ev = ea_risk_engine_update_equity (e, 0, balance, equity, now);
      ea_risk_engine_get_status (e, 0, now, &s);
      if (equity <= s.effective_floor || (ev & EA_RISK_EVENT_BREACH))
        g_error ("trial %u step %u: equity %" G_GINT64_FORMAT " crossed the effective floor %" G_GINT64_FORMAT
                 " (mode %s, safety %u, daily room %" G_GINT64_FORMAT ")",
                 trial, step, equity, s.effective_floor, ea_trailing_mode_to_string (p.trailing_mode),
                 safety, s.daily_loss_room);

      /* The desk applies the engine's protective stops, all of them; with
       * no room left it exits at the market, one tick worse. */
      {
        EaRiskStopAdvice advice[N_BOOKS];
        guint n_advice = ea_risk_engine_protective_stops (e, 0, advice, G_N_ELEMENTS (advice));

        for (guint j = 0; j < n_advice; j++)
          {
            gint64 qty;

            b = NULL;
            for (guint k = 0; k < n_books; k++)
              if (books[k].spec == advice[j].spec)
                b = &books[k];
            g_assert_nonnull (b);
            qty = book_qty (b);
            g_assert_cmpint (advice[j].qty, ==, qty);
            if (!advice[j].tighter)
              continue;
            n_tightened++;
            b->stop = advice[j].stop;
            g_assert_true (qty > 0 ? b->stop <= b->last : b->stop >= b->last);
            if (advice[j].exit_now)
              {
                EaTicks fill = b->last - (qty > 0 ? 1 : -1);

                for (guint i = 0; i < b->n_lots; i++)
                  balance += (fill - b->lots[i].entry) * b->lots[i].qty * b->spec->tick_value
                             - ABS (b->lots[i].qty) * fees;
                b->n_lots = 0;
                n_exits++;
                ea_risk_engine_set_position (e, 0, b->spec, 0, NAN, FALSE, 0);
              }
            else
              ea_risk_engine_set_position (e, 0, b->spec, qty, book_entry (b), TRUE, b->stop);
          }
        if (n_advice > 0)
          {
            equity = balance;
            for (guint k = 0; k < n_books; k++)
              equity += book_open (&books[k]);
            ev = ea_risk_engine_update_equity (e, 0, balance, equity, now);
            ea_risk_engine_get_status (e, 0, now, &s);
            if (equity <= s.effective_floor || (ev & EA_RISK_EVENT_BREACH))
              g_error ("trial %u step %u: exits crossed the effective floor", trial, step);
          }
      }

      /* A random market order with a stop 1–40 ticks away. */
      if (g_rand_int_range (rng, 0, 3) == 0)
        {
          EaRiskOrder o = { 0 };
          EaRiskDecision d;
          gint64 qty;

          b = &books[g_rand_int_range (rng, 0, (gint32) n_books)];
          qty = book_qty (b);
          o.action = EA_RISK_ORDER_NEW;
          o.spec = b->spec;
          o.side = g_rand_boolean (rng) ? EA_SIDE_BUY : EA_SIDE_SELL;
          o.qty = g_rand_int_range (rng, 1, 13);
          o.has_stop = TRUE;
          o.stop = b->last - o.side * g_rand_int_range (rng, 1, 41);
          /* The model only opens or adds; exits happen at stops. */
          if (qty != 0 && (qty > 0) != (o.side > 0))
            continue;
          if (!ea_risk_engine_check (e, 0, &o, now, &d))
            {
              g_assert_cmpint (d.reason, !=, EA_RISK_OK);
              g_assert_cmpint (d.allowed_qty, <, o.qty);
              n_denied++;
              continue;
            }
          g_assert_cmpint (d.allowed_qty, >=, o.qty);
          n_allowed++;
          g_assert_cmpuint (b->n_lots, <, G_N_ELEMENTS (b->lots));
          b->lots[b->n_lots].entry = b->last;
          b->lots[b->n_lots].qty = o.side * o.qty;
          b->n_lots++;
          balance -= o.qty * fees;
          equity -= o.qty * fees;
          /* One stop for the position: the tighter of the two. */
          if (qty == 0 || (qty > 0 ? o.stop > b->stop : o.stop < b->stop))
            b->stop = o.stop;
          ea_risk_engine_set_position (e, 0, b->spec, book_qty (b), book_entry (b), TRUE, b->stop);
          ea_risk_engine_update_equity (e, 0, balance, equity, now);
        }
    }
}

static void
test_property_floor_never_crossed (void)
{
  g_autoptr(GRand) rng = g_rand_new_with_seed (20261124);

  for (guint trial = 0; trial < 300; trial++)
    property_trial (rng, trial);

  /* The walk must exercise the engine, not tiptoe around it. */
  g_test_message ("allowed %u, denied %u, stops filled %u, stops tightened %u, exits %u",
                  n_allowed, n_denied, n_stops_filled, n_tightened, n_exits);
  g_assert_cmpuint (n_allowed, >, 3000);
  g_assert_cmpuint (n_denied, >, 1000);
  g_assert_cmpuint (n_stops_filled, >, 1000);
  g_assert_cmpuint (n_tightened, >, 100);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/risk/property/floor-never-crossed", test_property_floor_never_crossed);

  return g_test_run ();
}
