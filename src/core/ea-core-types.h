/* ea-core-types.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared scalar types of the core: prices are integer ticks, money is
 * integer micro-units of the account currency (DOMAIN §1).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A price, as an integer count of ticks of its instrument. */
typedef gint64 EaTicks;

/* Money, as an integer count of micro-units (1 USD = 1,000,000). */
typedef gint64 EaMicros;

#define EA_MICROS_PER_UNIT G_GINT64_CONSTANT (1000000)
#define EA_MICROS(units)   ((EaMicros) ((units) * EA_MICROS_PER_UNIT))

/* Time in the core is microseconds since the Unix epoch, UTC. */
typedef gint64 EaTimeUs;

typedef enum
{
  EA_SIDE_SELL = -1,
  EA_SIDE_BUY  = 1,
} EaSide;

typedef enum
{
  EA_TRADING_STATE_ACTIVE,
  EA_TRADING_STATE_REDUCING,
  EA_TRADING_STATE_HALTED,
  EA_TRADING_STATE_LOCKED,
} EaTradingState;

typedef enum
{
  EA_RISK_LEVEL_SAFE,
  EA_RISK_LEVEL_WARNING,
  EA_RISK_LEVEL_DANGER,
  EA_RISK_LEVEL_BREACH,
} EaRiskLevel;

typedef enum
{
  EA_MODE_DEMO,
  EA_MODE_TEST,
  EA_MODE_LIVE,
} EaMode;

typedef enum
{
  EA_ACTOR_USER,
  EA_ACTOR_AUTOMATIC,
  EA_ACTOR_REMOTE,
} EaActor;

/* What the broker itself allows on an account, whatever the desk's own
 * rules say (Tradovate's accountRiskStatus.adminAction). */
typedef enum
{
  EA_BROKER_RESTRICTION_NONE,
  EA_BROKER_RESTRICTION_LIQUIDATION_ONLY, /* only orders that reduce a position */
  EA_BROKER_RESTRICTION_LOCKED,           /* no new orders at all */
} EaBrokerRestriction;

const char     *ea_side_to_string          (EaSide          side);
const char     *ea_trading_state_to_string (EaTradingState  state);
gboolean        ea_trading_state_from_string (const char    *str,
                                              EaTradingState *out);
const char     *ea_risk_level_to_string    (EaRiskLevel     level);
const char     *ea_mode_to_string          (EaMode          mode);
gboolean        ea_mode_from_string        (const char     *str,
                                            EaMode         *out);
const char     *ea_actor_to_string         (EaActor         actor);
const char     *ea_broker_restriction_to_string (EaBrokerRestriction restriction);

/* TRUE when new orders that add exposure may be sent in this state. */
static inline gboolean
ea_trading_state_allows_entries (EaTradingState state)
{
  return state == EA_TRADING_STATE_ACTIVE;
}

G_END_DECLS
