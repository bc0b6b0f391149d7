/* test-sim-broker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Demo broker: the EaBroker conformance suite, then what is specific
 * to the simulated exchange (generated quotes, accounts, determinism).
 */
#include "config.h"

#include <string.h>

#include "ea-broker-conformance.h"
#include "ea-sim-broker.h"

/* Tuesday 2025-11-18 15:00 UTC = 09:00 America/Chicago. */
#define TUE_0900_CT G_GINT64_CONSTANT (1763478000000000)
#define SEC         G_GINT64_CONSTANT (1000000)

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
connect_sync (EaBroker *broker)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;

  ea_broker_connect_async (broker, NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ea_broker_connect_finish (broker, res, &error));
  g_assert_no_error (error);
  g_object_unref (res);
}

static EaBroker *
demo_create (gpointer user_data)
{
  EaSimBroker *sim = ea_sim_broker_new (11, TUE_0900_CT);
  EaSimExchange *ex = ea_sim_broker_get_exchange (sim);

  ea_sim_exchange_set_generator_enabled (ex, FALSE);
  ea_sim_exchange_set_always_open (ex, TRUE);
  connect_sync (EA_BROKER (sim));
  return EA_BROKER (sim);
}

static void
demo_advance (EaBroker *broker, EaTimeUs usec, gpointer user_data)
{
  ea_sim_broker_advance (EA_SIM_BROKER (broker), usec);
}

static void
demo_set_quote (EaBroker *broker, const char *symbol, EaTicks bid, EaTicks ask,
                gint64 bid_size, gint64 ask_size, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  ea_sim_exchange_push_quote (ea_sim_broker_get_exchange (EA_SIM_BROKER (broker)),
                              symbol, bid, ask, bid_size, ask_size, &error);
  g_assert_no_error (error);
}

static void
demo_trade (EaBroker *broker, const char *symbol, EaTicks price, gint64 size, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  ea_sim_exchange_push_trade (ea_sim_broker_get_exchange (EA_SIM_BROKER (broker)),
                              symbol, price, size, &error);
  g_assert_no_error (error);
}

static void
demo_drop (EaBroker *broker, gpointer user_data)
{
  ea_sim_broker_simulate_disconnect (EA_SIM_BROKER (broker), "network unreachable");
}

static void
demo_restore (EaBroker *broker, gpointer user_data)
{
  ea_sim_broker_simulate_reconnect (EA_SIM_BROKER (broker));
}

static void
demo_lose_reply (EaBroker *broker, gpointer user_data)
{
  ea_sim_broker_lose_next_place_reply (EA_SIM_BROKER (broker));
}

static void
demo_rate_limit (EaBroker *broker, gpointer user_data)
{
  ea_sim_broker_rate_limit_next_request (EA_SIM_BROKER (broker), 1200);
}

static const EaBrokerConformanceFactory demo_factory = {
  .prefix = "/broker/demo",
  .account = EA_SIM_BROKER_DEFAULT_ACCOUNT,
  .symbol = "ES",
  .base_price = 27200,   /* 6800.00 */
  .create = demo_create,
  .advance = demo_advance,
  .set_quote = demo_set_quote,
  .trade = demo_trade,
  .drop_connection = demo_drop,
  .restore_connection = demo_restore,
  .lose_next_place_reply = demo_lose_reply,
  .rate_limit_next = demo_rate_limit,
};

static void
count_cb (EaBroker *broker, const EaQuoteData *q, guint *n)
{
  g_assert_cmpstr (q->symbol, ==, "CL");
  g_assert_cmpint (q->ask - q->bid, >=, 1);
  g_assert_cmpint (q->ask - q->bid, <=, 2);
  (*n)++;
}

static void
test_generated_quotes (void)
{
  EaSimBroker *sim = ea_sim_broker_new (5, TUE_0900_CT);
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  const EaQuoteData *q;
  guint n = 0;

  connect_sync (EA_BROKER (sim));
  g_signal_connect (sim, "quote", G_CALLBACK (count_cb), &n);

  ea_broker_subscribe_quotes_async (EA_BROKER (sim), "CL", NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ea_broker_subscribe_quotes_finish (EA_BROKER (sim), res, &error));
  g_clear_object (&res);

  /* One minute of 09:00 CT: 5 to 20 quotes a second. */
  ea_sim_broker_advance (sim, 60 * SEC);
  g_assert_cmpuint (n, >=, 5 * 60);
  g_assert_cmpuint (n, <=, 20 * 60);
  g_assert_cmpint (ea_sim_broker_get_time (sim), ==, TUE_0900_CT + 60 * SEC);

  /* Near the configured start level: CL 60.00 = 6000 ticks. */
  q = ea_sim_exchange_get_quote (ea_sim_broker_get_exchange (sim), "CL");
  g_assert_cmpint (q->bid, >, 5700);
  g_assert_cmpint (q->bid, <, 6300);

  g_signal_handlers_disconnect_by_data (sim, &n);
  g_assert_finalize_object (sim);
}

static void
test_accounts (void)
{
  g_autoptr(EaSimBroker) sim = ea_sim_broker_new (5, TUE_0900_CT);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  const EaAccountData *a;

  accounts = ea_sim_exchange_list_accounts (ea_sim_broker_get_exchange (sim));
  g_assert_cmpuint (accounts->len, ==, 1);
  a = accounts->pdata[0];
  g_assert_cmpstr (a->name, ==, "DEMO-1");
  g_assert_cmpstr (a->profile, ==, "Apex legacy 50K");
  g_assert_cmpint (a->size, ==, EA_MICROS (50000));
  g_assert_cmpint (a->equity, ==, EA_MICROS (50000));

  for (guint i = 2; i <= EA_SIM_MAX_ACCOUNTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("DEMO-%u", i);

      g_assert_true (ea_sim_broker_add_account (sim, name, EA_MICROS (100000), "Apex 4.0 100K", &error));
      g_assert_no_error (error);
    }
  g_assert_false (ea_sim_broker_add_account (sim, "DEMO-7", EA_MICROS (100000), "x", &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED);
  g_clear_error (&error);
  g_assert_false (ea_sim_broker_add_account (sim, "", EA_MICROS (100000), "x", &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (ea_sim_broker_reset_account (sim, "DEMO-9", &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND);

  ea_sim_broker_set_speed (sim, 500);
  g_assert_cmpfloat (ea_sim_broker_get_speed (sim), ==, 100.0);
  ea_sim_broker_set_speed (sim, 0.1);
  g_assert_cmpfloat (ea_sim_broker_get_speed (sim), ==, 1.0);
  ea_sim_broker_set_realtime (sim, TRUE);
  g_assert_true (ea_sim_broker_get_realtime (sim));
  ea_sim_broker_set_realtime (sim, FALSE);
  g_assert_false (ea_sim_broker_get_realtime (sim));
}

/* The real-time source moves the virtual clock from the main loop (the
 * test waits for the first step only; it asserts nothing about timing). */
static void
test_realtime (void)
{
  g_autoptr(EaSimBroker) sim = ea_sim_broker_new (5, TUE_0900_CT);

  ea_sim_broker_set_speed (sim, 100);
  ea_sim_broker_set_realtime (sim, TRUE);
  while (ea_sim_broker_get_time (sim) == TUE_0900_CT)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ea_sim_broker_get_time (sim), >, TUE_0900_CT);
  ea_sim_broker_set_realtime (sim, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ea_broker_conformance_add_tests (&demo_factory);
  g_test_add_func ("/broker/demo/generated-quotes", test_generated_quotes);
  g_test_add_func ("/broker/demo/accounts", test_accounts);
  g_test_add_func ("/broker/demo/realtime", test_realtime);

  return g_test_run ();
}
