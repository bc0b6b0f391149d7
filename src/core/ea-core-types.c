/* ea-core-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-core-types"

#include "config.h"

#include <string.h>

#include "ea-core-types.h"

static const char * const trading_state_names[] = {
  [EA_TRADING_STATE_ACTIVE]   = "ACTIVE",
  [EA_TRADING_STATE_REDUCING] = "REDUCING",
  [EA_TRADING_STATE_HALTED]   = "HALTED",
  [EA_TRADING_STATE_LOCKED]   = "LOCKED",
};

static const char * const mode_names[] = {
  [EA_MODE_DEMO] = "demo",
  [EA_MODE_TEST] = "test",
  [EA_MODE_LIVE] = "live",
};

const char *
ea_side_to_string (EaSide side)
{
  return side == EA_SIDE_BUY ? "BUY" : "SELL";
}

const char *
ea_trading_state_to_string (EaTradingState state)
{
  if ((guint) state < G_N_ELEMENTS (trading_state_names))
    return trading_state_names[state];
  return "UNKNOWN";
}

gboolean
ea_trading_state_from_string (const char     *str,
                              EaTradingState *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (trading_state_names); i++)
    {
      if (g_ascii_strcasecmp (str, trading_state_names[i]) == 0)
        {
          *out = (EaTradingState) i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
ea_risk_level_to_string (EaRiskLevel level)
{
  switch (level)
    {
    case EA_RISK_LEVEL_SAFE:    return "SAFE";
    case EA_RISK_LEVEL_WARNING: return "WARNING";
    case EA_RISK_LEVEL_DANGER:  return "DANGER";
    case EA_RISK_LEVEL_BREACH:  return "BREACH";
    default:                    return "UNKNOWN";
    }
}

const char *
ea_mode_to_string (EaMode mode)
{
  if ((guint) mode < G_N_ELEMENTS (mode_names))
    return mode_names[mode];
  return "unknown";
}

gboolean
ea_mode_from_string (const char *str,
                     EaMode     *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (mode_names); i++)
    {
      if (g_ascii_strcasecmp (str, mode_names[i]) == 0)
        {
          *out = (EaMode) i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
ea_actor_to_string (EaActor actor)
{
  switch (actor)
    {
    case EA_ACTOR_USER:      return "user";
    case EA_ACTOR_AUTOMATIC: return "automatic";
    case EA_ACTOR_REMOTE:    return "remote";
    default:                 return "unknown";
    }
}

const char *
ea_broker_restriction_to_string (EaBrokerRestriction restriction)
{
  switch (restriction)
    {
    case EA_BROKER_RESTRICTION_NONE:             return "none";
    case EA_BROKER_RESTRICTION_LIQUIDATION_ONLY: return "liquidation-only";
    case EA_BROKER_RESTRICTION_LOCKED:           return "locked";
    default:                                     return "unknown";
    }
}
