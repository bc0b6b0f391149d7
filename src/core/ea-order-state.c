/* ea-order-state.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-order-state"

#include "config.h"

#include "ea-order-state.h"

static const char * const state_names[EA_ORDER_STATE_COUNT] = {
  [EA_ORDER_STATE_PENDING_NEW]      = "PENDING_NEW",
  [EA_ORDER_STATE_SUSPENDED]        = "SUSPENDED",
  [EA_ORDER_STATE_WORKING]          = "WORKING",
  [EA_ORDER_STATE_PARTIALLY_FILLED] = "PARTIALLY_FILLED",
  [EA_ORDER_STATE_FILLED]           = "FILLED",
  [EA_ORDER_STATE_CANCELLED]        = "CANCELLED",
  [EA_ORDER_STATE_REJECTED]         = "REJECTED",
  [EA_ORDER_STATE_EXPIRED]          = "EXPIRED",
  [EA_ORDER_STATE_PENDING_CANCEL]   = "PENDING_CANCEL",
  [EA_ORDER_STATE_PENDING_REPLACE]  = "PENDING_REPLACE",
  [EA_ORDER_STATE_UNKNOWN]          = "UNKNOWN",
};

#define B(s) (1u << EA_ORDER_STATE_##s)

/* allowed[from] is the set of states @from may move to. */
static const guint allowed[EA_ORDER_STATE_COUNT] = {
  [EA_ORDER_STATE_PENDING_NEW] =
    B (SUSPENDED) | B (WORKING) | B (PARTIALLY_FILLED) | B (FILLED) |
    B (CANCELLED) | B (REJECTED) | B (EXPIRED) | B (PENDING_CANCEL) | B (UNKNOWN),
  [EA_ORDER_STATE_SUSPENDED] =
    B (WORKING) | B (CANCELLED) | B (REJECTED) | B (EXPIRED) |
    B (PENDING_CANCEL) | B (PENDING_REPLACE) | B (SUSPENDED) | B (UNKNOWN),
  [EA_ORDER_STATE_WORKING] =
    B (WORKING) | B (PARTIALLY_FILLED) | B (FILLED) | B (CANCELLED) |
    B (EXPIRED) | B (PENDING_CANCEL) | B (PENDING_REPLACE) | B (UNKNOWN),
  [EA_ORDER_STATE_PARTIALLY_FILLED] =
    B (PARTIALLY_FILLED) | B (FILLED) | B (CANCELLED) | B (EXPIRED) |
    B (PENDING_CANCEL) | B (PENDING_REPLACE) | B (UNKNOWN),
  [EA_ORDER_STATE_FILLED] = 0,
  [EA_ORDER_STATE_CANCELLED] = 0,
  [EA_ORDER_STATE_REJECTED] = 0,
  [EA_ORDER_STATE_EXPIRED] = 0,
  /* A fill can race a cancel; a refused cancel returns to working. */
  [EA_ORDER_STATE_PENDING_CANCEL] =
    B (WORKING) | B (SUSPENDED) | B (PARTIALLY_FILLED) | B (FILLED) |
    B (CANCELLED) | B (EXPIRED) | B (UNKNOWN),
  [EA_ORDER_STATE_PENDING_REPLACE] =
    B (WORKING) | B (SUSPENDED) | B (PARTIALLY_FILLED) | B (FILLED) |
    B (CANCELLED) | B (EXPIRED) | B (PENDING_CANCEL) | B (UNKNOWN),
  /* Reconciliation settles an unknown order into what the broker reports. */
  [EA_ORDER_STATE_UNKNOWN] =
    B (SUSPENDED) | B (WORKING) | B (PARTIALLY_FILLED) | B (FILLED) |
    B (CANCELLED) | B (REJECTED) | B (EXPIRED) | B (UNKNOWN),
};

#undef B

const char *
ea_order_state_to_string (EaOrderState state)
{
  if ((guint) state < EA_ORDER_STATE_COUNT)
    return state_names[state];
  return "INVALID";
}

gboolean
ea_order_state_from_string (const char   *str,
                            EaOrderState *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < EA_ORDER_STATE_COUNT; i++)
    {
      if (g_ascii_strcasecmp (str, state_names[i]) == 0)
        {
          *out = (EaOrderState) i;
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
ea_order_state_is_terminal (EaOrderState state)
{
  switch (state)
    {
    case EA_ORDER_STATE_FILLED:
    case EA_ORDER_STATE_CANCELLED:
    case EA_ORDER_STATE_REJECTED:
    case EA_ORDER_STATE_EXPIRED:
      return TRUE;
    case EA_ORDER_STATE_PENDING_NEW:
    case EA_ORDER_STATE_SUSPENDED:
    case EA_ORDER_STATE_WORKING:
    case EA_ORDER_STATE_PARTIALLY_FILLED:
    case EA_ORDER_STATE_PENDING_CANCEL:
    case EA_ORDER_STATE_PENDING_REPLACE:
    case EA_ORDER_STATE_UNKNOWN:
    default:
      return FALSE;
    }
}

gboolean
ea_order_state_is_live (EaOrderState state)
{
  switch (state)
    {
    case EA_ORDER_STATE_WORKING:
    case EA_ORDER_STATE_PARTIALLY_FILLED:
    case EA_ORDER_STATE_PENDING_CANCEL:
    case EA_ORDER_STATE_PENDING_REPLACE:
      return TRUE;
    case EA_ORDER_STATE_PENDING_NEW:
    case EA_ORDER_STATE_SUSPENDED:
    case EA_ORDER_STATE_FILLED:
    case EA_ORDER_STATE_CANCELLED:
    case EA_ORDER_STATE_REJECTED:
    case EA_ORDER_STATE_EXPIRED:
    case EA_ORDER_STATE_UNKNOWN:
    default:
      return FALSE;
    }
}

gboolean
ea_order_state_can_transition (EaOrderState   from,
                               EaOrderState   to,
                               const char   **reason)
{
  if ((guint) from >= EA_ORDER_STATE_COUNT || (guint) to >= EA_ORDER_STATE_COUNT)
    {
      if (reason != NULL)
        *reason = "invalid order state value";
      return FALSE;
    }

  if (allowed[from] & (1u << to))
    return TRUE;

  if (reason != NULL)
    {
      if (ea_order_state_is_terminal (from))
        *reason = "order is already in a final state";
      else if (to == EA_ORDER_STATE_PENDING_NEW)
        *reason = "an order cannot become new again";
      else if (to == EA_ORDER_STATE_REJECTED)
        *reason = "only a new or unknown order can be rejected";
      else if (from == to)
        *reason = "repeated state is not a change for this state";
      else
        *reason = "transition not allowed by the order life cycle";
    }

  return FALSE;
}

gboolean
ea_order_state_advance (EaOrderState  *state,
                        EaOrderState   to,
                        const char   **reason)
{
  g_return_val_if_fail (state != NULL, FALSE);

  if (!ea_order_state_can_transition (*state, to, reason))
    return FALSE;

  *state = to;
  return TRUE;
}

const char *
ea_order_type_to_string (EaOrderType type)
{
  switch (type)
    {
    case EA_ORDER_TYPE_MARKET:     return "MARKET";
    case EA_ORDER_TYPE_LIMIT:      return "LIMIT";
    case EA_ORDER_TYPE_STOP:       return "STOP";
    case EA_ORDER_TYPE_STOP_LIMIT: return "STOP_LIMIT";
    default:                       return "INVALID";
    }
}

gboolean
ea_order_type_from_string (const char  *str,
                           EaOrderType *out)
{
  static const EaOrderType types[] = {
    EA_ORDER_TYPE_MARKET, EA_ORDER_TYPE_LIMIT,
    EA_ORDER_TYPE_STOP, EA_ORDER_TYPE_STOP_LIMIT,
  };

  g_return_val_if_fail (out != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      if (g_ascii_strcasecmp (str, ea_order_type_to_string (types[i])) == 0)
        {
          *out = types[i];
          return TRUE;
        }
    }

  return FALSE;
}

const char *
ea_time_in_force_to_string (EaTimeInForce tif)
{
  switch (tif)
    {
    case EA_TIME_IN_FORCE_DAY: return "DAY";
    case EA_TIME_IN_FORCE_GTC: return "GTC";
    default:                   return "INVALID";
    }
}
