/* ea-tradovate-server-orders.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The endpoints of PROTOCOLS.md §1.4 and a small matching engine: market
 * orders fill at the touch, limits when the touch reaches them, stops
 * when a trade reaches them; OSO brackets wait for their entry and OCO
 * pairs cancel each other.
 */
#define G_LOG_DOMAIN "ea-tradovate-server"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-tradovate-server-private.h"

/* Helpers ------------------------------------------------------------- */

static JsonNode *
failure (const char *reason,
         const char *text)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "failureReason");
  json_builder_add_string_value (b, reason);
  json_builder_set_member_name (b, "failureText");
  json_builder_add_string_value (b, text);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static JsonNode *
int_reply (const char *name,
           gint64      value)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static JsonNode *
error_text (const char *text)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "errorText");
  json_builder_add_string_value (b, text);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static gboolean
member_int (JsonObject *o,
            const char *name,
            gint64     *out)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;

  switch (json_node_get_value_type (n))
    {
    case G_TYPE_INT64:
      *out = json_node_get_int (n);
      return TRUE;
    case G_TYPE_DOUBLE:
      *out = (gint64) json_node_get_double (n);
      return (double) *out == json_node_get_double (n);
    case G_TYPE_STRING:
      {
        const char *s = json_node_get_string (n);
        char *end = NULL;
        *out = g_ascii_strtoll (s, &end, 10);
        return end != s && *end == '\0';
      }
    default:
      return FALSE;
    }
}

static gboolean
member_double (JsonObject *o,
               const char *name,
               double     *out)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;

  switch (json_node_get_value_type (n))
    {
    case G_TYPE_INT64:
      *out = (double) json_node_get_int (n);
      return TRUE;
    case G_TYPE_DOUBLE:
      *out = json_node_get_double (n);
      return isfinite (*out);
    default:
      return FALSE;
    }
}

static const char *
member_string (JsonObject *o,
               const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (n);
}

static gboolean
member_bool (JsonObject *o,
             const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) &&
         json_node_get_value_type (n) == G_TYPE_BOOLEAN && json_node_get_boolean (n);
}

static gboolean
order_is_live (TvOrder *order)
{
  return g_strcmp0 (order->status, "Working") == 0 || g_strcmp0 (order->status, "Suspended") == 0;
}

static gboolean
account_of_user (TvAccount *account,
                 TvSession *session)
{
  return account != NULL && session != NULL && account->user_id == session->user_id;
}

static void
set_status (EaTradovateServer *self,
            TvOrder           *order,
            const char        *status)
{
  TvAccount *account = _tv_find_account (self, order->account_id, NULL);
  g_autoptr(JsonNode) json = NULL;

  char *copy = g_strdup (status);

  g_free (order->status);
  order->status = copy;
  order->timestamp_us = _tv_now_us (self);

  json = _tv_order_json (order);
  _tv_publish_props (self, account->user_id, "order", "Updated", json);
}

static void
cancel_order_tree (EaTradovateServer *self,
                   TvOrder           *order)
{
  if (!order_is_live (order))
    return;

  set_status (self, order, "Canceled");

  /* Brackets waiting for this entry go with it. */
  for (guint i = 0; i < self->orders->len; i++)
    {
      TvOrder *child = g_ptr_array_index (self->orders, i);

      if (child->parent_id == order->id && g_strcmp0 (child->status, "Suspended") == 0)
        set_status (self, child, "Canceled");
    }
}

/* Execution --------------------------------------------------------- */

static void
apply_fill (EaTradovateServer *self,
            TvOrder           *order,
            TvContract        *contract,
            EaTicks            price)
{
  TvAccount *account = _tv_find_account (self, order->account_id, NULL);
  TvPosition *pos = _tv_get_position (self, order->account_id, order->contract_id, TRUE);
  gboolean buy = g_strcmp0 (order->action, "Buy") == 0;
  gint64 qty = order->qty - order->filled;
  gint64 signed_qty = buy ? qty : -qty;
  TvFill *fill = g_new0 (TvFill, 1);
  g_autoptr(JsonNode) fill_json = NULL;
  g_autoptr(JsonNode) pos_json = NULL;
  g_autoptr(JsonNode) cash_json = NULL;
  gint64 now = _tv_now_us (self);

  fill->id = _tv_next_id (self);
  fill->order_id = order->id;
  fill->account_id = order->account_id;
  fill->contract_id = order->contract_id;
  fill->buy = buy;
  fill->qty = qty;
  fill->price = price;
  fill->timestamp_us = now;
  g_ptr_array_add (self->fills, fill);

  /* Average-price position; realized P&L on the part that closes. */
  if (pos->net_pos == 0 || (pos->net_pos > 0) == buy)
    {
      pos->net_price = (pos->net_price * llabs (pos->net_pos) + (double) price * qty) /
                       (double) (llabs (pos->net_pos) + qty);
      pos->net_pos += signed_qty;
    }
  else
    {
      gint64 closing = MIN (qty, llabs (pos->net_pos));
      double direction = pos->net_pos > 0 ? 1.0 : -1.0;
      EaMicros pnl = (EaMicros) llround ((price - pos->net_price) * direction *
                                         (double) contract->spec->tick_value * closing);

      account->realized += pnl;
      account->balance += pnl;
      pos->net_pos += signed_qty;
      if (pos->net_pos == 0)
        pos->net_price = 0;
      else if ((pos->net_pos > 0) == buy)
        pos->net_price = price; /* flipped: the rest opened at this price */
    }

  if (buy)
    {
      pos->bought += qty;
      pos->bought_value += _tv_price (contract->spec, price) * qty;
    }
  else
    {
      pos->sold += qty;
      pos->sold_value += _tv_price (contract->spec, price) * qty;
    }
  pos->timestamp_us = now;

  order->filled = order->qty;
  set_status (self, order, "Filled");

  fill_json = _tv_fill_json (self, fill);
  _tv_publish_props (self, account->user_id, "fill", "Created", fill_json);
  pos_json = _tv_position_json (self, pos);
  _tv_publish_props (self, account->user_id, "position", "Updated", pos_json);
  cash_json = _tv_cash_balance_json (self, account);
  _tv_publish_props (self, account->user_id, "cashBalance", "Updated", cash_json);

  /* OCO: the other one goes. OSO: the brackets start working. */
  if (order->oco_id != 0)
    {
      TvOrder *other = _tv_find_order (self, order->oco_id);

      if (other != NULL)
        cancel_order_tree (self, other);
    }

  for (guint i = 0; i < self->orders->len; i++)
    {
      TvOrder *child = g_ptr_array_index (self->orders, i);

      if (child->parent_id == order->id && g_strcmp0 (child->status, "Suspended") == 0)
        set_status (self, child, "Working");
    }
}

/* Returns whether @order executes now, and at which price. */
static gboolean
crosses (TvOrder    *order,
         TvContract *contract,
         EaTicks    *price)
{
  gboolean buy = g_strcmp0 (order->action, "Buy") == 0;

  if (!contract->has_quote)
    return FALSE;

  if (g_strcmp0 (order->order_type, "Market") == 0)
    {
      *price = buy ? contract->ask : contract->bid;
      return TRUE;
    }

  if (g_strcmp0 (order->order_type, "Stop") == 0 ||
      (g_strcmp0 (order->order_type, "StopLimit") == 0 && !order->triggered))
    {
      gboolean hit = buy ? contract->last >= order->stop_price : contract->last <= order->stop_price;

      if (!hit)
        return FALSE;

      if (g_strcmp0 (order->order_type, "Stop") == 0)
        {
          *price = buy ? contract->ask : contract->bid;
          return TRUE;
        }

      order->triggered = TRUE;
    }

  /* Limit, or a triggered StopLimit. */
  if (buy && contract->ask <= order->price)
    {
      *price = contract->ask;
      return TRUE;
    }
  if (!buy && contract->bid >= order->price)
    {
      *price = contract->bid;
      return TRUE;
    }

  return FALSE;
}

void
_tv_match_contract (EaTradovateServer *self,
                    TvContract        *contract)
{
  gboolean changed = TRUE;

  /* Fills can activate brackets that fill too: repeat until still. */
  while (changed)
    {
      changed = FALSE;

      for (guint i = 0; i < self->orders->len; i++)
        {
          TvOrder *order = g_ptr_array_index (self->orders, i);
          EaTicks price;

          if (order->contract_id != contract->id || g_strcmp0 (order->status, "Working") != 0)
            continue;

          if (crosses (order, contract, &price))
            {
              apply_fill (self, order, contract, price);
              changed = TRUE;
            }
        }
    }
}

/* Placement ----------------------------------------------------------- */

static JsonNode *
build_order (EaTradovateServer *self,
             TvSession         *session,
             JsonObject        *body,
             TvOrder           *parent,
             TvOrder          **out)
{
  TvAccount *account = NULL;
  TvContract *contract = NULL;
  const char *action, *type, *symbol, *account_spec;
  gint64 qty = 0, id;
  double price = 0, stop = 0;
  gboolean has_price, has_stop;
  TvOrder *order;

  *out = NULL;

  if (parent != NULL)
    {
      account = _tv_find_account (self, parent->account_id, NULL);
      contract = _tv_find_contract (self, parent->contract_id, NULL);
      qty = parent->qty;
      member_int (body, "orderQty", &qty);
    }
  else
    {
      account_spec = member_string (body, "accountSpec");
      if (account_spec == NULL)
        account_spec = member_string (body, "accountName");
      if (member_int (body, "accountId", &id))
        account = _tv_find_account (self, id, NULL);
      else if (account_spec != NULL)
        account = _tv_find_account (self, 0, account_spec);

      if (!account_of_user (account, session))
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "violations");
          json_builder_begin_array (b);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "constraint");
          json_builder_add_string_value (b, "accountId");
          json_builder_set_member_name (b, "description");
          json_builder_add_string_value (b, "Account is required and must belong to the user");
          json_builder_end_object (b);
          json_builder_end_array (b);
          json_builder_end_object (b);
          return json_builder_get_root (b);
        }

      symbol = member_string (body, "symbol");
      if (symbol != NULL)
        contract = _tv_find_contract (self, 0, symbol);
      else if (member_int (body, "contractId", &id))
        contract = _tv_find_contract (self, id, NULL);
      if (contract == NULL)
        return failure ("InvalidContract", "Unknown contract");

      if (!member_int (body, "orderQty", &qty))
        return failure ("UnknownReason", "orderQty is required");
    }

  if (qty <= 0 || qty > 10000)
    return failure ("MaxOrderQtyLimitReached", "Order quantity out of range");

  action = member_string (body, "action");
  if (g_strcmp0 (action, "Buy") != 0 && g_strcmp0 (action, "Sell") != 0)
    return failure ("UnknownReason", "action must be Buy or Sell");

  type = member_string (body, "orderType");
  if (g_strcmp0 (type, "Market") != 0 && g_strcmp0 (type, "Limit") != 0 &&
      g_strcmp0 (type, "Stop") != 0 && g_strcmp0 (type, "StopLimit") != 0)
    return failure ("Unsupported", "Unsupported order type");

  has_price = member_double (body, "price", &price);
  has_stop = member_double (body, "stopPrice", &stop);

  /* A plain Stop may carry its trigger in "price" (partner example). */
  if (g_strcmp0 (type, "Stop") == 0 && !has_stop && has_price)
    {
      stop = price;
      has_stop = TRUE;
      has_price = FALSE;
    }

  if ((g_strcmp0 (type, "Limit") == 0 || g_strcmp0 (type, "StopLimit") == 0) && !has_price)
    return failure ("InvalidPrice", "A limit price is required");
  if ((g_strcmp0 (type, "Stop") == 0 || g_strcmp0 (type, "StopLimit") == 0) && !has_stop)
    return failure ("InvalidPrice", "A stop price is required");

  if (g_strcmp0 (account->admin_action, "LockTradingImmediately") == 0)
    return failure ("TradingLocked", "Trading is locked for this account");

  order = g_new0 (TvOrder, 1);
  order->id = _tv_next_id (self);
  order->version_id = _tv_next_id (self);
  order->account_id = account->id;
  order->contract_id = contract->id;
  order->action = g_strdup (action);
  order->order_type = g_strdup (type);
  order->qty = qty;
  order->has_price = has_price;
  order->has_stop = has_stop;
  if (has_price)
    order->price = ea_instrument_price_to_ticks (contract->spec, price);
  if (has_stop)
    order->stop_price = ea_instrument_price_to_ticks (contract->spec, stop);
  order->cl_ord_id = g_strdup (member_string (body, "clOrdId"));
  order->text = g_strdup (member_string (body, "text"));
  order->is_automated = member_bool (body, "isAutomated");
  order->status = g_strdup (parent != NULL ? "Suspended" : "Working");
  order->parent_id = parent != NULL ? parent->id : 0;
  order->timestamp_us = _tv_now_us (self);

  if (has_price && fabs (_tv_price (contract->spec, order->price) - price) > contract->spec->tick_size * 1e-6)
    {
      _tv_free_order (order);
      return failure ("InvalidPrice", "Price is not on the tick grid");
    }

  /* Liquidation only: nothing that grows the position. */
  if (g_strcmp0 (account->admin_action, "LiquidateOnlyModeImmediately") == 0 && parent == NULL)
    {
      TvPosition *pos = _tv_get_position (self, account->id, contract->id, FALSE);
      gint64 net = pos ? pos->net_pos : 0;
      gint64 after = net + (g_strcmp0 (action, "Buy") == 0 ? qty : -qty);

      if (llabs (after) > llabs (net) || (net != 0 && (after > 0) != (net > 0) && after != 0))
        {
          _tv_free_order (order);
          return failure ("LiquidationOnly", "The account is in liquidation-only mode");
        }
    }

  *out = order;
  return NULL;
}

static void
register_order (EaTradovateServer *self,
                TvOrder           *order)
{
  TvAccount *account = _tv_find_account (self, order->account_id, NULL);
  g_autoptr(JsonNode) json = _tv_order_json (order);
  g_autoptr(JsonNode) version = _tv_order_version_json (self, order);

  g_ptr_array_add (self->orders, order);
  g_hash_table_insert (self->orders_by_id, &order->id, order);

  _tv_publish_props (self, account->user_id, "order", "Created", json);
  _tv_publish_props (self, account->user_id, "orderVersion", "Created", version);
}

static JsonNode *
place_order (EaTradovateServer *self,
             TvSession         *session,
             JsonObject        *body)
{
  TvOrder *order = NULL;
  JsonNode *fail = build_order (self, session, body, NULL, &order);

  if (fail != NULL)
    return fail;

  register_order (self, order);
  _tv_match_contract (self, _tv_find_contract (self, order->contract_id, NULL));

  return int_reply ("orderId", order->id);
}

static JsonNode *
place_oso (EaTradovateServer *self,
           TvSession         *session,
           JsonObject        *body)
{
  TvOrder *entry = NULL, *b1 = NULL, *b2 = NULL;
  JsonObject *bracket1 = NULL, *bracket2 = NULL;
  JsonNode *fail;
  g_autoptr(JsonBuilder) reply = json_builder_new ();

  if (json_object_has_member (body, "bracket1") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "bracket1")))
    bracket1 = json_object_get_object_member (body, "bracket1");
  if (json_object_has_member (body, "bracket2") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "bracket2")))
    bracket2 = json_object_get_object_member (body, "bracket2");

  if (bracket1 == NULL)
    return failure ("UnknownReason", "bracket1 is required");

  if ((fail = build_order (self, session, body, NULL, &entry)) != NULL)
    return fail;
  if ((fail = build_order (self, session, bracket1, entry, &b1)) != NULL)
    {
      _tv_free_order (entry);
      return fail;
    }
  if (bracket2 != NULL && (fail = build_order (self, session, bracket2, entry, &b2)) != NULL)
    {
      _tv_free_order (entry);
      _tv_free_order (b1);
      return fail;
    }

  if (b2 != NULL)
    {
      b1->oco_id = b2->id;
      b2->oco_id = b1->id;
    }

  register_order (self, entry);
  register_order (self, b1);
  if (b2 != NULL)
    register_order (self, b2);

  _tv_match_contract (self, _tv_find_contract (self, entry->contract_id, NULL));

  json_builder_begin_object (reply);
  json_builder_set_member_name (reply, "orderId");
  json_builder_add_int_value (reply, entry->id);
  json_builder_set_member_name (reply, "oso1Id");
  json_builder_add_int_value (reply, b1->id);
  if (b2 != NULL)
    {
      json_builder_set_member_name (reply, "oso2Id");
      json_builder_add_int_value (reply, b2->id);
    }
  json_builder_end_object (reply);

  return json_builder_get_root (reply);
}

static JsonNode *
place_oco (EaTradovateServer *self,
           TvSession         *session,
           JsonObject        *body)
{
  TvOrder *first = NULL, *second = NULL;
  JsonObject *other_body = NULL;
  g_autoptr(JsonObject) merged = NULL;
  JsonNode *fail;
  g_autoptr(JsonBuilder) reply = json_builder_new ();

  if (json_object_has_member (body, "other") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "other")))
    other_body = json_object_get_object_member (body, "other");
  if (other_body == NULL)
    return failure ("UnknownReason", "other is required");

  if ((fail = build_order (self, session, body, NULL, &first)) != NULL)
    return fail;

  /* "other" shares the account, contract and quantity of the first. */
  merged = json_object_new ();
  json_object_set_int_member (merged, "accountId", first->account_id);
  json_object_set_int_member (merged, "contractId", first->contract_id);
  json_object_set_int_member (merged, "orderQty", first->qty);
  {
    GList *members = json_object_get_members (other_body);

    for (GList *l = members; l; l = l->next)
      json_object_set_member (merged, l->data,
                              json_node_copy (json_object_get_member (other_body, l->data)));
    g_list_free (members);
  }

  if ((fail = build_order (self, session, merged, NULL, &second)) != NULL)
    {
      _tv_free_order (first);
      return fail;
    }

  first->oco_id = second->id;
  second->oco_id = first->id;
  register_order (self, first);
  register_order (self, second);
  _tv_match_contract (self, _tv_find_contract (self, first->contract_id, NULL));

  json_builder_begin_object (reply);
  json_builder_set_member_name (reply, "orderId");
  json_builder_add_int_value (reply, first->id);
  json_builder_set_member_name (reply, "ocoId");
  json_builder_add_int_value (reply, second->id);
  json_builder_end_object (reply);

  return json_builder_get_root (reply);
}

static TvOrder *
order_of_session (EaTradovateServer *self,
                  TvSession         *session,
                  JsonObject        *body)
{
  gint64 id;
  TvOrder *order;

  if (!member_int (body, "orderId", &id) || (order = _tv_find_order (self, id)) == NULL)
    return NULL;
  if (!account_of_user (_tv_find_account (self, order->account_id, NULL), session))
    return NULL;

  return order;
}

static JsonNode *
cancel_order (EaTradovateServer *self,
              TvSession         *session,
              JsonObject        *body)
{
  TvOrder *order = order_of_session (self, session, body);

  if (order == NULL)
    return failure ("UnknownReason", "Unknown order");
  if (!order_is_live (order))
    return failure ("TooLate", "The order is no longer working");

  cancel_order_tree (self, order);
  return int_reply ("commandId", _tv_next_id (self));
}

static JsonNode *
modify_order (EaTradovateServer *self,
              TvSession         *session,
              JsonObject        *body)
{
  TvOrder *order = order_of_session (self, session, body);
  TvContract *contract;
  TvAccount *account;
  gint64 qty;
  double price;
  g_autoptr(JsonNode) version = NULL;

  if (order == NULL)
    return failure ("UnknownReason", "Unknown order");
  if (!order_is_live (order))
    return failure ("TooLate", "The order is no longer working");

  contract = _tv_find_contract (self, order->contract_id, NULL);
  account = _tv_find_account (self, order->account_id, NULL);

  if (member_int (body, "orderQty", &qty))
    {
      if (qty <= 0 || qty > 10000)
        return failure ("MaxOrderQtyLimitReached", "Order quantity out of range");
      order->qty = qty;
    }
  if (member_double (body, "price", &price))
    {
      order->price = ea_instrument_price_to_ticks (contract->spec, price);
      order->has_price = TRUE;
    }
  if (member_double (body, "stopPrice", &price))
    {
      order->stop_price = ea_instrument_price_to_ticks (contract->spec, price);
      order->has_stop = TRUE;
    }

  order->version_id = _tv_next_id (self);
  version = _tv_order_version_json (self, order);
  _tv_publish_props (self, account->user_id, "orderVersion", "Created", version);
  set_status (self, order, order->status);
  _tv_match_contract (self, contract);

  return int_reply ("commandId", _tv_next_id (self));
}

static JsonNode *
liquidate_position (EaTradovateServer *self,
                    TvSession         *session,
                    JsonObject        *body)
{
  gint64 account_id, contract_id;
  TvAccount *account;
  TvContract *contract;
  TvPosition *pos;
  TvOrder *order;

  if (!member_int (body, "accountId", &account_id) || !member_int (body, "contractId", &contract_id))
    return failure ("UnknownReason", "accountId and contractId are required");

  account = _tv_find_account (self, account_id, NULL);
  contract = _tv_find_contract (self, contract_id, NULL);
  if (!account_of_user (account, session) || contract == NULL)
    return failure ("UnknownReason", "Unknown account or contract");

  /* Working orders of that contract go first, brackets included. */
  for (guint i = 0; i < self->orders->len; i++)
    {
      TvOrder *o = g_ptr_array_index (self->orders, i);

      if (o->account_id == account_id && o->contract_id == contract_id && order_is_live (o))
        cancel_order_tree (self, o);
    }

  pos = _tv_get_position (self, account_id, contract_id, FALSE);
  if (pos == NULL || pos->net_pos == 0)
    return failure ("UnknownReason", "There is no position to liquidate");
  if (!contract->has_quote)
    return failure ("NoQuote", "No quote to liquidate at");

  order = g_new0 (TvOrder, 1);
  order->id = _tv_next_id (self);
  order->version_id = _tv_next_id (self);
  order->account_id = account_id;
  order->contract_id = contract_id;
  order->action = g_strdup (pos->net_pos > 0 ? "Sell" : "Buy");
  order->order_type = g_strdup ("Market");
  order->qty = llabs (pos->net_pos);
  order->status = g_strdup ("Working");
  order->is_automated = member_bool (body, "isAutomated");
  order->text = g_strdup ("liquidate");
  order->timestamp_us = _tv_now_us (self);
  register_order (self, order);
  _tv_match_contract (self, contract);

  return int_reply ("orderId", order->id);
}

/* Reads -------------------------------------------------------------- */

typedef JsonNode *(*EntityJson) (EaTradovateServer *self, gpointer entity);

static JsonNode *
list_json (EaTradovateServer *self,
           TvSession         *session,
           GPtrArray         *items,
           gsize              account_offset,
           EntityJson         to_json)
{
  g_autoptr(JsonArray) array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < items->len; i++)
    {
      gpointer item = g_ptr_array_index (items, i);
      gint64 account_id = *(gint64 *) ((guint8 *) item + account_offset);

      if (account_of_user (_tv_find_account (self, account_id, NULL), session))
        json_array_add_element (array, to_json (self, item));
    }

  json_node_set_array (node, array);
  return node;
}

static JsonNode *
order_json_cb (EaTradovateServer *self, gpointer o) { return _tv_order_json (o); }
static JsonNode *
version_json_cb (EaTradovateServer *self, gpointer o) { return _tv_order_version_json (self, o); }
static JsonNode *
fill_json_cb (EaTradovateServer *self, gpointer f) { return _tv_fill_json (self, f); }
static JsonNode *
position_json_cb (EaTradovateServer *self, gpointer p) { return _tv_position_json (self, p); }

static JsonNode *
accounts_json (EaTradovateServer *self,
               TvSession         *session,
               JsonNode        *(*to_json) (EaTradovateServer *, TvAccount *))
{
  g_autoptr(JsonArray) array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      TvAccount *a = g_ptr_array_index (self->accounts, i);

      if (account_of_user (a, session))
        json_array_add_element (array, to_json (self, a));
    }

  json_node_set_array (node, array);
  return node;
}

static JsonNode *account_cb (EaTradovateServer *self, TvAccount *a) { return _tv_account_json (a); }
static JsonNode *risk_cb (EaTradovateServer *self, TvAccount *a) { return _tv_risk_status_json (a); }
static JsonNode *cash_cb (EaTradovateServer *self, TvAccount *a) { return _tv_cash_balance_json (self, a); }

static JsonNode *
snapshot (EaTradovateServer *self,
          TvSession         *session)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonArray) contracts = json_array_new ();
  g_autoptr(JsonArray) products = json_array_new ();
  g_autoptr(JsonArray) maturities = json_array_new ();
  JsonNode *node;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "users");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, session->user_id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, _tv_find_user (self, session->user_id, NULL)->name);
  json_builder_end_object (b);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "accounts");
  json_builder_add_value (b, accounts_json (self, session, account_cb));
  json_builder_set_member_name (b, "accountRiskStatuses");
  json_builder_add_value (b, accounts_json (self, session, risk_cb));
  json_builder_set_member_name (b, "cashBalances");
  json_builder_add_value (b, accounts_json (self, session, cash_cb));
  json_builder_set_member_name (b, "positions");
  json_builder_add_value (b, list_json (self, session, self->positions, G_STRUCT_OFFSET (TvPosition, account_id), position_json_cb));
  json_builder_set_member_name (b, "orders");
  json_builder_add_value (b, list_json (self, session, self->orders, G_STRUCT_OFFSET (TvOrder, account_id), order_json_cb));
  json_builder_set_member_name (b, "orderVersions");
  json_builder_add_value (b, list_json (self, session, self->orders, G_STRUCT_OFFSET (TvOrder, account_id), version_json_cb));
  json_builder_set_member_name (b, "fills");
  json_builder_add_value (b, list_json (self, session, self->fills, G_STRUCT_OFFSET (TvFill, account_id), fill_json_cb));

  for (guint i = 0; i < self->contracts->len; i++)
    {
      TvContract *c = g_ptr_array_index (self->contracts, i);

      json_array_add_element (contracts, _tv_contract_json (c));
      json_array_add_element (products, _tv_product_json (c));
      json_array_add_element (maturities, _tv_maturity_json (c));
    }

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, contracts);
  json_builder_set_member_name (b, "contracts");
  json_builder_add_value (b, node);
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, products);
  json_builder_set_member_name (b, "products");
  json_builder_add_value (b, node);
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, maturities);
  json_builder_set_member_name (b, "contractMaturities");
  json_builder_add_value (b, node);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/* Auth ---------------------------------------------------------------- */

static JsonNode *
token_reply (EaTradovateServer *self,
             TvSession         *session)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  TvUser *user = _tv_find_user (self, session->user_id, NULL);
  g_autofree char *expires = _tv_iso_time (session->expires_us);
  g_autofree char *password_expires = _tv_iso_time (session->expires_us + (gint64) G_USEC_PER_SEC * 86400 * 90);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "accessToken");
  json_builder_add_string_value (b, session->access_token);
  json_builder_set_member_name (b, "mdAccessToken");
  json_builder_add_string_value (b, session->md_token);
  json_builder_set_member_name (b, "expirationTime");
  json_builder_add_string_value (b, expires);
  json_builder_set_member_name (b, "passwordExpirationTime");
  json_builder_add_string_value (b, password_expires);
  json_builder_set_member_name (b, "userStatus");
  json_builder_add_string_value (b, "Active");
  json_builder_set_member_name (b, "userId");
  json_builder_add_int_value (b, user->id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, user->name);
  json_builder_set_member_name (b, "hasLive");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static JsonNode *
penalty (EaTradovateServer *self,
         guint              wait_s,
         gboolean           captcha)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  char *ticket = g_strdup_printf ("pt-%" G_GINT64_FORMAT, _tv_next_id (self));
  gint64 *usable_from = g_new (gint64, 1);

  *usable_from = _tv_now_us (self) + (gint64) wait_s * G_USEC_PER_SEC;
  g_hash_table_insert (self->penalty_tickets, g_strdup (ticket), usable_from);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "p-ticket");
  json_builder_add_string_value (b, ticket);
  json_builder_set_member_name (b, "p-time");
  json_builder_add_int_value (b, wait_s);
  if (captcha)
    {
      json_builder_set_member_name (b, "p-captcha");
      json_builder_add_boolean_value (b, TRUE);
    }
  json_builder_end_object (b);
  g_free (ticket);

  return json_builder_get_root (b);
}

static JsonNode *
access_token_request (EaTradovateServer *self,
                      JsonObject        *body)
{
  const char *name = member_string (body, "name");
  const char *password = member_string (body, "password");
  const char *ticket = member_string (body, "p-ticket");
  TvUser *user;
  guint param = 0;

  self->auth_requests++;

  if (ticket != NULL)
    {
      gint64 *usable_from = g_hash_table_lookup (self->penalty_tickets, ticket);

      /* Too early, or a ticket we never gave: another penalty. */
      if (usable_from == NULL || _tv_now_us (self) < *usable_from)
        return penalty (self, 1, FALSE);
      g_hash_table_remove (self->penalty_tickets, ticket);
    }
  else if (_tv_take_fault (self, EA_TV_FAULT_PENALTY_CAPTCHA, &param))
    return penalty (self, param, TRUE);
  else if (_tv_take_fault (self, EA_TV_FAULT_PENALTY, &param))
    return penalty (self, param, FALSE);

  user = name ? _tv_find_user (self, 0, name) : NULL;
  if (user == NULL || g_strcmp0 (user->password, password) != 0)
    return error_text ("Incorrect username or password. Please try again, noting that passwords are case-sensitive.");

  if (member_string (body, "deviceId") == NULL || member_string (body, "appId") == NULL)
    return error_text ("deviceId and appId are required");

  return token_reply (self, _tv_open_session (self, user));
}

/* Dispatch ------------------------------------------------------------ */

static const char *
query_param (GHashTable *params,
             const char *name)
{
  return params ? g_hash_table_lookup (params, name) : NULL;
}

/**
 * _tv_dispatch:
 * @session: (nullable): the caller's session, %NULL when unauthenticated
 * @status: (out): the HTTP-like status
 *
 * Returns: (transfer full) (nullable): the reply body.
 */
JsonNode *
_tv_dispatch (EaTradovateServer *self,
              TvSession         *session,
              const char        *endpoint,
              const char        *query,
              JsonNode          *body,
              guint             *status)
{
  g_autoptr(GHashTable) params = NULL;
  JsonObject *obj = body && JSON_NODE_HOLDS_OBJECT (body) ? json_node_get_object (body) : NULL;
  const char *value;
  gint64 id;

  *status = 200;

  if (query != NULL && *query != '\0')
    params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);

  if (g_str_equal (endpoint, "auth/accesstokenrequest"))
    {
      if (obj == NULL)
        {
          *status = 400;
          return NULL;
        }
      return access_token_request (self, obj);
    }

  if (session == NULL)
    {
      *status = 401;
      return NULL;
    }

  if (g_str_equal (endpoint, "auth/renewaccesstoken"))
    {
      _tv_renew_session (self, session);
      return token_reply (self, session);
    }

  if (g_str_equal (endpoint, "account/list"))
    return accounts_json (self, session, account_cb);
  if (g_str_equal (endpoint, "accountRiskStatus/list"))
    return accounts_json (self, session, risk_cb);
  if (g_str_equal (endpoint, "cashBalance/list"))
    return accounts_json (self, session, cash_cb);
  if (g_str_equal (endpoint, "cashBalance/getcashbalancesnapshot"))
    {
      TvAccount *account = member_int (obj, "accountId", &id) ? _tv_find_account (self, id, NULL) : NULL;

      if (!account_of_user (account, session))
        return error_text ("Unknown account");
      return _tv_cash_balance_json (self, account);
    }
  if (g_str_equal (endpoint, "position/list"))
    return list_json (self, session, self->positions, G_STRUCT_OFFSET (TvPosition, account_id), position_json_cb);
  if (g_str_equal (endpoint, "order/list"))
    return list_json (self, session, self->orders, G_STRUCT_OFFSET (TvOrder, account_id), order_json_cb);
  if (g_str_equal (endpoint, "orderVersion/list"))
    return list_json (self, session, self->orders, G_STRUCT_OFFSET (TvOrder, account_id), version_json_cb);
  if (g_str_equal (endpoint, "fill/list"))
    return list_json (self, session, self->fills, G_STRUCT_OFFSET (TvFill, account_id), fill_json_cb);
  if (g_str_equal (endpoint, "orderVersion/deps"))
    {
      g_autoptr(JsonArray) array = json_array_new ();
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);
      TvOrder *order;

      value = query_param (params, "masterid");
      order = value ? _tv_find_order (self, g_ascii_strtoll (value, NULL, 10)) : NULL;
      if (order != NULL && account_of_user (_tv_find_account (self, order->account_id, NULL), session))
        json_array_add_element (array, _tv_order_version_json (self, order));
      json_node_set_array (node, array);
      return node;
    }
  if (g_str_equal (endpoint, "contract/find") || g_str_equal (endpoint, "contract/item"))
    {
      TvContract *c = NULL;

      if ((value = query_param (params, "name")) != NULL)
        c = _tv_find_contract (self, 0, value);
      else if ((value = query_param (params, "id")) != NULL)
        c = _tv_find_contract (self, g_ascii_strtoll (value, NULL, 10), NULL);
      if (c == NULL)
        {
          *status = 404;
          return NULL;
        }
      return _tv_contract_json (c);
    }
  if (g_str_equal (endpoint, "contract/suggest"))
    {
      g_autoptr(JsonArray) array = json_array_new ();
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);
      const char *text = query_param (params, "t");
      gint64 limit = (value = query_param (params, "l")) ? g_ascii_strtoll (value, NULL, 10) : 10;

      for (guint i = 0; text != NULL && i < self->contracts->len && json_array_get_length (array) < limit; i++)
        {
          TvContract *c = g_ptr_array_index (self->contracts, i);

          if (g_ascii_strncasecmp (c->name, text, strlen (text)) == 0)
            json_array_add_element (array, _tv_contract_json (c));
        }
      json_node_set_array (node, array);
      return node;
    }
  if (g_str_equal (endpoint, "contractMaturity/item") || g_str_equal (endpoint, "product/item") ||
      g_str_equal (endpoint, "product/find"))
    {
      gboolean maturity = g_str_has_prefix (endpoint, "contractMaturity");
      gint64 wanted = (value = query_param (params, "id")) ? g_ascii_strtoll (value, NULL, 10) : 0;
      const char *name = query_param (params, "name");

      for (guint i = 0; i < self->contracts->len; i++)
        {
          TvContract *c = g_ptr_array_index (self->contracts, i);

          if (maturity && c->maturity_id == wanted)
            return _tv_maturity_json (c);
          if (!maturity && (c->product_id == wanted || g_strcmp0 (name, c->spec->root) == 0))
            return _tv_product_json (c);
        }
      *status = 404;
      return NULL;
    }

  if (g_str_has_prefix (endpoint, "order/"))
    {
      if (obj == NULL)
        {
          *status = 400;
          return NULL;
        }

      if (g_str_equal (endpoint, "order/placeorder") || g_str_equal (endpoint, "order/placeOSO") ||
          g_str_equal (endpoint, "order/placeOCO"))
        {
          g_clear_pointer (&self->last_order_request, json_node_unref);
          self->last_order_request = json_node_copy (body);

          if (g_str_equal (endpoint, "order/placeorder"))
            return place_order (self, session, obj);
          if (g_str_equal (endpoint, "order/placeOSO"))
            return place_oso (self, session, obj);
          return place_oco (self, session, obj);
        }
      if (g_str_equal (endpoint, "order/cancelorder"))
        return cancel_order (self, session, obj);
      if (g_str_equal (endpoint, "order/modifyorder"))
        {
          g_clear_pointer (&self->last_modify_request, json_node_unref);
          self->last_modify_request = json_node_copy (body);
          return modify_order (self, session, obj);
        }
      if (g_str_equal (endpoint, "order/liquidateposition"))
        return liquidate_position (self, session, obj);
    }

  if (g_str_equal (endpoint, "user/syncrequest"))
    return snapshot (self, session);

  *status = 404;
  return NULL;
}
