/* test-ninjatrader-broker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The NinjaTrader broker against the local processor: the EaBroker
 * conformance suite. NinjaTrader-specific behaviour (emergency stop,
 * restarts, faults) is in test-ninjatrader-faults.c.
 */
#include "config.h"

#include "ea-broker-conformance.h"
#include "ea-test-nt-fixture.h"

static EaBroker *
nt_create (gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  NtRig *rig = nt_rig_new (NULL, NULL);

  /* Resting stops read ACCEPTED, as on some NinjaTrader connections. */
  ea_nt_sim_set_stops_accepted (rig->sim, TRUE);
  g_assert_true (nt_rig_connect (rig, &error));
  g_assert_no_error (error);
  return EA_BROKER (rig->broker);
}

static void
nt_advance (EaBroker *broker, EaTimeUs usec, gpointer user_data)
{
  NtRig *rig = nt_rig_from_broker (broker);

  ea_sim_exchange_advance (ea_nt_sim_get_exchange (rig->sim), usec);
  nt_rig_settle (rig);
}

static void
push_quote (NtRig *rig, const char *symbol, EaTicks last, gint64 last_size)
{
  const EaQuoteData *q = ea_sim_exchange_get_quote (ea_nt_sim_get_exchange (rig->sim), symbol);
  EaQuoteData copy = *q;

  copy.symbol = symbol;
  copy.last = last ? last : q->last;
  copy.last_size = last_size;
  ea_ninjatrader_broker_push_quote (rig->broker, &copy);
}

static void
nt_set_quote (EaBroker *broker, const char *symbol, EaTicks bid, EaTicks ask,
              gint64 bid_size, gint64 ask_size, gpointer user_data)
{
  NtRig *rig = nt_rig_from_broker (broker);

  ea_nt_sim_push_quote (rig->sim, symbol, bid, ask, bid_size, ask_size);
  push_quote (rig, symbol, 0, 0);
  nt_rig_settle (rig);
}

static void
nt_trade (EaBroker *broker, const char *symbol, EaTicks price, gint64 size, gpointer user_data)
{
  NtRig *rig = nt_rig_from_broker (broker);

  ea_nt_sim_push_trade (rig->sim, symbol, price, size);
  push_quote (rig, symbol, price, size);
  nt_rig_settle (rig);
}

static void
nt_drop (EaBroker *broker, gpointer user_data)
{
  NtRig *rig = nt_rig_from_broker (broker);

  nt_rig_unmount (rig);
  ea_ninjatrader_broker_rescan (rig->broker);
}

static void
nt_restore (EaBroker *broker, gpointer user_data)
{
  NtRig *rig = nt_rig_from_broker (broker);

  nt_rig_mount (rig);
  ea_ninjatrader_broker_rescan (rig->broker);
}

static void
nt_lose_reply (EaBroker *broker, gpointer user_data)
{
  /* NinjaTrader takes the order at once; its file shows up only after
   * the broker gave up waiting. */
  ea_nt_sim_delay_next_reply (nt_rig_from_broker (broker)->sim, 2 * NT_TEST_ACK_MS);
}

static const EaBrokerConformanceFactory nt_factory = {
  .prefix = "/broker/ninjatrader",
  .account = NT_TEST_ACCOUNT,
  .symbol = "ES",
  .base_price = 27200,   /* 6800.00 */
  .create = nt_create,
  .advance = nt_advance,
  .set_quote = nt_set_quote,
  .trade = nt_trade,
  .drop_connection = nt_drop,
  .restore_connection = nt_restore,
  .lose_next_place_reply = nt_lose_reply,
};

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ea_broker_conformance_add_tests (&nt_factory);
  return g_test_run ();
}
