/* test-core-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ea-core-types.h"

static void
test_trading_state_names (void)
{
  static const struct {
    EaTradingState state;
    const char *name;
    gboolean allows_entries;
  } cases[] = {
    { EA_TRADING_STATE_ACTIVE,   "ACTIVE",   TRUE  },
    { EA_TRADING_STATE_REDUCING, "REDUCING", FALSE },
    { EA_TRADING_STATE_HALTED,   "HALTED",   FALSE },
    { EA_TRADING_STATE_LOCKED,   "LOCKED",   FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      EaTradingState parsed = EA_TRADING_STATE_ACTIVE;
      g_autofree char *lower = g_ascii_strdown (cases[i].name, -1);

      g_assert_cmpstr (ea_trading_state_to_string (cases[i].state), ==, cases[i].name);
      g_assert_true (ea_trading_state_from_string (lower, &parsed));
      g_assert_cmpint (parsed, ==, cases[i].state);
      g_assert_cmpint (ea_trading_state_allows_entries (cases[i].state), ==, cases[i].allows_entries);
    }

  {
    EaTradingState parsed = EA_TRADING_STATE_LOCKED;

    g_assert_false (ea_trading_state_from_string ("PAUSED", &parsed));
    g_assert_false (ea_trading_state_from_string (NULL, &parsed));
    g_assert_cmpint (parsed, ==, EA_TRADING_STATE_LOCKED);
  }
}

static void
test_mode_names (void)
{
  EaMode mode = EA_MODE_LIVE;

  g_assert_cmpstr (ea_mode_to_string (EA_MODE_DEMO), ==, "demo");
  g_assert_cmpstr (ea_mode_to_string (EA_MODE_TEST), ==, "test");
  g_assert_cmpstr (ea_mode_to_string (EA_MODE_LIVE), ==, "live");
  g_assert_true (ea_mode_from_string ("TEST", &mode));
  g_assert_cmpint (mode, ==, EA_MODE_TEST);
  g_assert_false (ea_mode_from_string ("paper", &mode));
  g_assert_cmpint (mode, ==, EA_MODE_TEST);
}

static void
test_micros (void)
{
  /* ZN's tick is $15.625: representable exactly in micro-units. */
  EaMicros zn_tick = EA_MICROS_PER_UNIT * 15625 / 1000;

  g_assert_cmpint (EA_MICROS (1), ==, 1000000);
  g_assert_cmpint (zn_tick, ==, 15625000);
  g_assert_cmpint (EA_MICROS (-2500), ==, G_GINT64_CONSTANT (-2500000000));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/types/trading-state", test_trading_state_names);
  g_test_add_func ("/core/types/mode", test_mode_names);
  g_test_add_func ("/core/types/micros", test_micros);

  return g_test_run ();
}
