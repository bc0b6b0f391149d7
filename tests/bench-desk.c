/* bench-desk.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints `bench: desk.order_roundtrip_us`: the median time from
 * ea_desk_place_order_async() to its acknowledgement, through the
 * pre-trade check and the embedded exchange (no journal: the desk's own
 * path, not the disk's).
 */
#include "config.h"

#include "ea-desk.h"
#include "ea-sim-broker.h"
#include "ea-test-clock.h"

#define TUE_0900_CT G_GINT64_CONSTANT (1763478000000000)
#define N_ORDERS    2000

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static int
compare (gconstpointer a,
         gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_DEMO);
  g_autoptr(EaSimBroker) sim = ea_sim_broker_new (3, TUE_0900_CT);
  EaSimExchange *ex = ea_sim_broker_get_exchange (sim);
  GAsyncResult *res = NULL;
  double *samples = g_new (double, N_ORDERS);
  EaRiskProfile fast;

  ea_test_desk_in_session (desk);
  ea_sim_exchange_set_generator_enabled (ex, FALSE);
  ea_sim_exchange_set_always_open (ex, TRUE);
  ea_sim_exchange_push_quote (ex, "ES", 27200, 27201, 500, 500, NULL);
  ea_sim_exchange_push_trade (ex, "ES", 27200, 1, NULL);
  ea_desk_watch_symbol (desk, "ES");
  ea_desk_add_broker (desk, EA_BROKER (sim));
  ea_broker_connect_async (EA_BROKER (sim), NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&res);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* The profile's order rate (10/s) would measure the limiter, not the
   * path: the bench account may send up to 1000/s. */
  fast = *ea_profile_store_lookup (ea_desk_get_profiles (desk), "apex-legacy-50k");
  fast.orders_per_second = 1000;
  if (!ea_desk_set_account_profile (desk, "DEMO-1", &fast, EA_SAFETY_DEFAULT, NULL))
    g_error ("cannot set the bench profile");

  for (guint i = 0; i < N_ORDERS; i++)
    {
      /* Resting limits below the market: acknowledged, never filled. */
      EaDeskOrder order = {
        .account = "DEMO-1", .symbol = "ES", .side = EA_SIDE_BUY,
        .type = EA_ORDER_TYPE_LIMIT, .qty = 1, .limit_price = 27000 - (i % 50),
      };
      g_autoptr(GError) error = NULL;
      g_autofree char *id = NULL;
      gint64 t0;

      t0 = g_get_monotonic_time ();
      ea_desk_place_order_async (desk, &order, EA_ACTOR_AUTOMATIC, NULL, result_cb, &res);
      while (res == NULL)
        g_main_context_iteration (NULL, TRUE);
      id = ea_desk_place_order_finish (desk, res, NULL, &error);
      samples[i] = (double) (g_get_monotonic_time () - t0);
      g_clear_object (&res);

      if (id == NULL)
        {
          /* At 1000/s the bucket can still run dry: wait and retry. */
          if (g_error_matches (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED))
            {
              g_usleep (2000);
              i--;
              continue;
            }
          g_error ("order failed: %s", error->message);
        }

      /* Keep the book small: cancel what was placed. */
      ea_desk_cancel_order_async (desk, id, NULL, result_cb, &res);
      while (res == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_clear_object (&res);
    }

  qsort (samples, N_ORDERS, sizeof (double), compare);
  g_print ("bench: desk.order_roundtrip_us %.1f us\n", samples[N_ORDERS / 2]);
  g_free (samples);

  return 0;
}
