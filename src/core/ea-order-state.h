/* ea-order-state.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The order life cycle as a transition table. Every state change of an
 * order goes through ea_order_state_advance(), which refuses impossible
 * transitions (and says why) instead of corrupting the order.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  EA_ORDER_STATE_PENDING_NEW,      /* sent, not yet acknowledged */
  EA_ORDER_STATE_SUSPENDED,        /* accepted but inactive: a bracket child before its entry fills */
  EA_ORDER_STATE_WORKING,
  EA_ORDER_STATE_PARTIALLY_FILLED,
  EA_ORDER_STATE_FILLED,
  EA_ORDER_STATE_CANCELLED,
  EA_ORDER_STATE_REJECTED,
  EA_ORDER_STATE_EXPIRED,
  EA_ORDER_STATE_PENDING_CANCEL,
  EA_ORDER_STATE_PENDING_REPLACE,
  EA_ORDER_STATE_UNKNOWN,          /* outcome not known until reconciliation */
} EaOrderState;

#define EA_ORDER_STATE_COUNT (EA_ORDER_STATE_UNKNOWN + 1)

typedef enum
{
  EA_ORDER_TYPE_MARKET,
  EA_ORDER_TYPE_LIMIT,
  EA_ORDER_TYPE_STOP,
  EA_ORDER_TYPE_STOP_LIMIT,
} EaOrderType;

typedef enum
{
  EA_TIME_IN_FORCE_DAY,  /* expires at the session close */
  EA_TIME_IN_FORCE_GTC,
} EaTimeInForce;

const char *ea_order_state_to_string   (EaOrderState   state);
gboolean    ea_order_state_from_string (const char    *str,
                                        EaOrderState  *out);

/* Filled, cancelled, rejected and expired orders never change again. */
gboolean    ea_order_state_is_terminal (EaOrderState   state);

/* TRUE while the order can still fill (working, partially filled, or a
 * cancel/replace is in flight). */
gboolean    ea_order_state_is_live     (EaOrderState   state);

/* Whether @from -> @to is a legal transition. When it is not, @reason
 * (optional) receives a static explanation. */
gboolean    ea_order_state_can_transition (EaOrderState   from,
                                           EaOrderState   to,
                                           const char   **reason);

/* Moves *@state to @to when legal; otherwise leaves *@state untouched,
 * sets @reason and returns FALSE so the caller can log it. */
gboolean    ea_order_state_advance     (EaOrderState  *state,
                                        EaOrderState   to,
                                        const char   **reason);

const char *ea_order_type_to_string    (EaOrderType    type);
gboolean    ea_order_type_from_string  (const char    *str,
                                        EaOrderType   *out);
const char *ea_time_in_force_to_string (EaTimeInForce  tif);

G_END_DECLS
