/* bench-estop.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The emergency stop on the Demo exchange: 6 accounts, each with a
 * position and 20 working orders. Prints
 *   bench: estop.requests_out_ms  (trigger -> every cancel and flatten
 *                                  request handed to the broker)
 *   bench: estop.confirmed_flat_ms (trigger -> every account confirmed flat)
 * as medians over repeated runs.
 */
#include "config.h"

#include "ea-desk.h"
#include "ea-sim-broker.h"
#include "ea-test-clock.h"

#define TUE_0900_CT G_GINT64_CONSTANT (1763478000000000)
#define RUNS 15

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
place (EaBroker       *broker,
       EaOrderRequest *request)
{
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  ea_broker_place_order_async (broker, request, NULL, result_cb, &res);
  wait_for (&res);
  id = ea_broker_place_order_finish (broker, res, &error);
  g_object_unref (res);
  if (id == NULL)
    g_error ("placing failed: %s", error->message);
}

static int
compare (gconstpointer a,
         gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
run_once (double *requests_out_ms,
          double *confirmed_ms)
{
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_DEMO);
  g_autoptr(EaSimBroker) sim = ea_sim_broker_new (42, TUE_0900_CT);
  EaSimExchange *ex = ea_sim_broker_get_exchange (sim);
  GAsyncResult *res = NULL;
  gint64 out_us = -1, confirmed_us = -1;
  guint seq = 0;

  ea_test_desk_in_session (desk);
  ea_sim_exchange_set_generator_enabled (ex, FALSE);
  ea_sim_exchange_set_always_open (ex, TRUE);
  ea_sim_exchange_push_quote (ex, "ES", 27200, 27201, 500, 500, NULL);
  ea_sim_exchange_push_trade (ex, "ES", 27200, 1, NULL);
  for (guint i = 2; i <= 6; i++)
    {
      g_autofree char *name = g_strdup_printf ("DEMO-%u", i);
      ea_sim_broker_add_account (sim, name, EA_MICROS (50000), "Apex legacy 50K", NULL);
    }

  ea_desk_watch_symbol (desk, "ES");
  ea_desk_add_broker (desk, EA_BROKER (sim));
  ea_broker_connect_async (EA_BROKER (sim), NULL, result_cb, &res);
  wait_for (&res);
  g_clear_object (&res);

  for (guint a = 1; a <= 6; a++)
    {
      g_autofree char *account = g_strdup_printf ("DEMO-%u", a);
      g_autofree char *cid = g_strdup_printf ("b-%u", ++seq);
      g_autoptr(EaOrderRequest) entry = ea_order_request_new (account, "ES", cid, EA_SIDE_BUY,
                                                              EA_ORDER_TYPE_MARKET, 1);

      place (EA_BROKER (sim), entry);
      for (guint o = 0; o < 20; o++)
        {
          g_autofree char *lid = g_strdup_printf ("b-%u", ++seq);
          g_autoptr(EaOrderRequest) limit = ea_order_request_new (account, "ES", lid, EA_SIDE_BUY,
                                                                  EA_ORDER_TYPE_LIMIT, 1);

          limit->limit_price = 27200 - 8 - o;
          place (EA_BROKER (sim), limit);
        }
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;

  ea_desk_emergency_stop (desk, EA_ACTOR_USER, NULL);
  while (ea_desk_get_stop_pending (desk))
    g_main_context_iteration (NULL, TRUE);

  ea_desk_get_stop_timing (desk, &out_us, &confirmed_us);
  if (out_us < 0 || confirmed_us < 0)
    g_error ("the stop did not complete");
  for (guint a = 1; a <= 6; a++)
    {
      g_autofree char *account = g_strdup_printf ("DEMO-%u", a);
      if (ea_desk_get_stop_status (desk, account, NULL) != EA_STOP_STATUS_FLAT)
        g_error ("%s is not flat", account);
    }

  *requests_out_ms = out_us / 1000.0;
  *confirmed_ms = confirmed_us / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  double out[RUNS], confirmed[RUNS];

  for (guint i = 0; i < RUNS; i++)
    run_once (&out[i], &confirmed[i]);

  qsort (out, RUNS, sizeof (double), compare);
  qsort (confirmed, RUNS, sizeof (double), compare);

  g_print ("bench: estop.requests_out_ms %.3f ms\n", out[RUNS / 2]);
  g_print ("bench: estop.confirmed_flat_ms %.3f ms\n", confirmed[RUNS / 2]);

  return 0;
}
