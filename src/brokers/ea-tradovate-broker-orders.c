/* ea-tradovate-broker-orders.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Tradovate adapter's order actions: placement (with OSO brackets),
 * OCO pairs, modify and cancel with their reply checks, snapshots, and
 * cancel all and flatten from a fresh snapshot.
 */
#define G_LOG_DOMAIN "ea-tradovate"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ea-tradovate-broker-private.h"

/* Orders ------------------------------------------------------------------ */

static const char *
type_to_string (EaOrderType type)
{
  switch (type)
    {
    case EA_ORDER_TYPE_LIMIT:      return "Limit";
    case EA_ORDER_TYPE_STOP:       return "Stop";
    case EA_ORDER_TYPE_STOP_LIMIT: return "StopLimit";
    case EA_ORDER_TYPE_MARKET:
    default:                       return "Market";
    }
}

static double
wire_price (const EaInstrumentSpec *spec,
            EaTicks                 ticks)
{
  return ea_instrument_ticks_to_price (spec, ticks);
}

static void
add_order_fields (JsonBuilder            *b,
                  const EaInstrumentSpec *spec,
                  EaSide                  side,
                  EaOrderType             type,
                  EaTicks                 limit,
                  EaTicks                 stop,
                  const char             *cl_ord_id,
                  EaTimeInForce           tif,
                  EaActor                 actor)
{
  json_builder_set_member_name (b, "action");
  json_builder_add_string_value (b, side == EA_SIDE_BUY ? "Buy" : "Sell");
  json_builder_set_member_name (b, "orderType");
  json_builder_add_string_value (b, type_to_string (type));
  if (type == EA_ORDER_TYPE_LIMIT || type == EA_ORDER_TYPE_STOP_LIMIT)
    {
      json_builder_set_member_name (b, "price");
      json_builder_add_double_value (b, wire_price (spec, limit));
    }
  if (type == EA_ORDER_TYPE_STOP || type == EA_ORDER_TYPE_STOP_LIMIT)
    {
      json_builder_set_member_name (b, "stopPrice");
      json_builder_add_double_value (b, wire_price (spec, stop));
    }
  json_builder_set_member_name (b, "timeInForce");
  json_builder_add_string_value (b, tif == EA_TIME_IN_FORCE_GTC ? "GTC" : "Day");
  if (cl_ord_id != NULL)
    {
      json_builder_set_member_name (b, "clOrdId");
      json_builder_add_string_value (b, cl_ord_id);
    }
  /* Only an order a human clicked is manual; everything the desk sends
   * on its own (risk engine, emergency stop, signals) is automated. */
  json_builder_set_member_name (b, "isAutomated");
  json_builder_add_boolean_value (b, actor != EA_ACTOR_USER);
}

static JsonNode *
place_body (const EaOrderRequest   *r,
            gint64                  account_id,
            const char             *symbol,
            const EaInstrumentSpec *spec)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  EaSide exit_side = r->side == EA_SIDE_BUY ? EA_SIDE_SELL : EA_SIDE_BUY;
  g_autofree char *sl_id = r->stop_loss_client_order_id ? g_strdup (r->stop_loss_client_order_id)
                                                        : g_strconcat (r->client_order_id, "-SL", NULL);
  g_autofree char *tp_id = r->take_profit_client_order_id ? g_strdup (r->take_profit_client_order_id)
                                                          : g_strconcat (r->client_order_id, "-TP", NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "accountId");
  json_builder_add_int_value (b, account_id);
  json_builder_set_member_name (b, "symbol");
  json_builder_add_string_value (b, symbol);
  json_builder_set_member_name (b, "orderQty");
  json_builder_add_int_value (b, r->qty);
  add_order_fields (b, spec, r->side, r->type, r->limit_price, r->stop_price, r->client_order_id, r->tif, r->actor);

  /* A bracket: OSO children, one-cancels-other with each other. */
  if (r->has_take_profit)
    {
      json_builder_set_member_name (b, "bracket1");
      json_builder_begin_object (b);
      add_order_fields (b, spec, exit_side, EA_ORDER_TYPE_LIMIT, r->take_profit_price, 0, tp_id, EA_TIME_IN_FORCE_GTC, r->actor);
      json_builder_end_object (b);
    }
  if (r->has_stop_loss)
    {
      json_builder_set_member_name (b, r->has_take_profit ? "bracket2" : "bracket1");
      json_builder_begin_object (b);
      add_order_fields (b, spec, exit_side, EA_ORDER_TYPE_STOP, 0, r->stop_loss_price, sl_id, EA_TIME_IN_FORCE_GTC, r->actor);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/* A placement/command reply: `{orderId}` or `{commandId}`, or a
 * failure, a violation list or a penalty (the request was not run). */
static gboolean
check_reply (JsonNode     *reply,
             const char   *what,
             gint64       *id,
             GError      **error)
{
  JsonObject *o = reply && JSON_NODE_HOLDS_OBJECT (reply) ? json_node_get_object (reply) : NULL;
  EaTvPenalty penalty;
  const char *reason;

  if (o == NULL)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                   _("Tradovate sent an unreadable reply to %s"), what);
      return FALSE;
    }

  if (ea_tv_penalty_parse (reply, &penalty))
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED,
                   _("Tradovate did not run %s and asks to wait; retry after %" G_GINT64_FORMAT " ms"),
                   what, penalty.wait_seconds * 1000);
      ea_tv_penalty_clear (&penalty);
      return FALSE;
    }

  reason = ea_json_get_string (o, "failureReason");
  if (reason != NULL && g_strcmp0 (reason, "Success") != 0)
    {
      const char *text = ea_json_get_string (o, "failureText");

      g_set_error (error, EA_BROKER_ERROR,
                   g_str_equal (reason, "UnknownReason") && text && strstr (text, "Unknown order")
                   ? EA_BROKER_ERROR_NOT_FOUND : EA_BROKER_ERROR_REJECTED,
                   _("Tradovate rejected %s: %s (%s)"), what, text ? text : "", reason);
      return FALSE;
    }

  if (json_object_has_member (o, "violations") || ea_json_get_string (o, "errorText") != NULL)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                   _("Tradovate refused %s: %s"), what,
                   ea_json_get_string (o, "errorText") ? ea_json_get_string (o, "errorText") : _("invalid request"));
      return FALSE;
    }

  if (id != NULL && !ea_json_get_int (o, "orderId", id) && !ea_json_get_int (o, "commandId", id))
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                   _("Tradovate's reply to %s has no id"), what);
      return FALSE;
    }

  return TRUE;
}

/* An order refused because the account is locked or liquidation only
 * tells the restriction before the accountRiskStatus event does. */
static void
note_refusal (EaTradovateBroker *self,
              const char        *account,
              JsonNode          *reply)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (reply) ? json_node_get_object (reply) : NULL;
  const char *reason = o ? ea_json_get_string (o, "failureReason") : NULL;
  TvAccountInfo *info = _ea_tv_account_by_name (self, account);

  if (info == NULL || reason == NULL)
    return;
  if (g_str_equal (reason, "TradingLocked"))
    _ea_tv_set_restriction (self, info, EA_BROKER_RESTRICTION_LOCKED, reason, TRUE);
  else if (g_str_equal (reason, "LiquidationOnly") &&
           info->data.restriction != EA_BROKER_RESTRICTION_LOCKED)
    _ea_tv_set_restriction (self, info, EA_BROKER_RESTRICTION_LIQUIDATION_ONLY, reason, TRUE);
}

/* The order @order_id is the one sent as @client_order_id (unless its
 * events already named it). */
static void
adopt_client_id (EaTradovateBroker *self,
                 gint64             order_id,
                 const char        *client_order_id)
{
  TvOrderInfo *info = _ea_tv_order_info (self, order_id);

  if (info->data.client_order_id == NULL || g_str_has_prefix (info->data.client_order_id, "tv-"))
    _ea_tv_set_str (&info->data.client_order_id, client_order_id);
}

/* The contract an order's symbol resolved to and the Tradovate account
 * named @account; on failure @task has its error and NULL is returned. */
static TvAccountInfo *
resolved_account (EaTradovateBroker  *self,
                  GAsyncResult       *result,
                  GTask              *task,
                  const char         *account,
                  TvContractInfo    **contract)
{
  GError *error = NULL;
  TvAccountInfo *info;

  *contract = _ea_tv_resolve_contract_finish (self, result, &error);
  if (*contract == NULL)
    {
      g_task_return_error (task, _ea_tv_broker_error (error));
      return NULL;
    }

  info = _ea_tv_account_by_name (self, account);
  if (info == NULL)
    g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                             _("Tradovate has no account %s"), account);
  return info;
}

static void
placed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  g_autoptr(GTask) task = user_data;
  EaOrderRequest *r = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonNode) reply = _ea_tv_request_finish (self, result, &error);
  gint64 order_id = 0;

  if (reply == NULL)
    {
      g_task_return_error (task, _ea_tv_broker_error (error));
      return;
    }

  if (!check_reply (reply, _("the order"), &order_id, &error))
    {
      note_refusal (self, r->account, reply);
      g_task_return_error (task, error);
      return;
    }

  adopt_client_id (self, order_id, r->client_order_id);
  g_task_return_pointer (task, g_strdup_printf ("%" G_GINT64_FORMAT, order_id), g_free);
}

static void
place_resolved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  g_autoptr(GTask) task = user_data;
  EaOrderRequest *r = g_task_get_task_data (task);
  TvContractInfo *contract = NULL;
  TvAccountInfo *account = resolved_account (self, result, task, r->account, &contract);
  g_autoptr(JsonNode) body = NULL;

  if (account == NULL)
    return;

  body = place_body (r, account->id, contract->name, contract->spec);
  _ea_tv_request (self, FALSE, r->has_stop_loss || r->has_take_profit ? "order/placeOSO" : "order/placeorder",
                  NULL, body, TRUE, g_task_get_cancellable (task), placed_cb, g_object_ref (task));
}

void
_ea_tv_place_order_async (EaBroker             *broker,
                          const EaOrderRequest *request,
                          GCancellable         *cancellable,
                          GAsyncReadyCallback   callback,
                          gpointer              user_data)
{
  GTask *task = _ea_tv_method_task (broker, cancellable, callback, user_data);

  if (task == NULL)
    return;

  if (request->qty <= 0 || request->qty > 10000 || request->account == NULL ||
      request->symbol == NULL || request->client_order_id == NULL)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                               _("An order needs an account, a symbol, a client id and a quantity from 1 to 10000"));
      g_object_unref (task);
      return;
    }

  g_task_set_task_data (task, ea_order_request_copy (request), (GDestroyNotify) ea_order_request_free);
  _ea_tv_resolve_contract_async (EA_TRADOVATE_BROKER (broker), request->symbol, cancellable, place_resolved_cb, task);
}

char *
_ea_tv_place_order_finish (EaBroker      *broker,
                           GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* One-cancels-other: `order/placeOCO`, the first order's fields plus
 * `other` with the second's (same account, contract and quantity). */
typedef struct
{
  EaOrderRequest *first;
  EaOrderRequest *second;
  char           *second_id;
} TvOcoData;

static void
oco_data_free (TvOcoData *data)
{
  ea_order_request_free (data->first);
  ea_order_request_free (data->second);
  g_free (data->second_id);
  g_free (data);
}

static JsonNode *
oco_body (const EaOrderRequest   *first,
          const EaOrderRequest   *second,
          gint64                  account_id,
          const char             *symbol,
          const EaInstrumentSpec *spec)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "accountId");
  json_builder_add_int_value (b, account_id);
  json_builder_set_member_name (b, "symbol");
  json_builder_add_string_value (b, symbol);
  json_builder_set_member_name (b, "orderQty");
  json_builder_add_int_value (b, first->qty);
  add_order_fields (b, spec, first->side, first->type, first->limit_price, first->stop_price,
                    first->client_order_id, first->tif, first->actor);
  json_builder_set_member_name (b, "other");
  json_builder_begin_object (b);
  add_order_fields (b, spec, second->side, second->type, second->limit_price, second->stop_price,
                    second->client_order_id, second->tif, second->actor);
  json_builder_end_object (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static void
oco_placed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  g_autoptr(GTask) task = user_data;
  TvOcoData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonNode) reply = _ea_tv_request_finish (self, result, &error);
  gint64 order_id = 0, oco_id = 0;

  if (reply == NULL)
    {
      g_task_return_error (task, _ea_tv_broker_error (error));
      return;
    }
  if (!check_reply (reply, _("the OCO orders"), &order_id, &error))
    {
      note_refusal (self, data->first->account, reply);
      g_task_return_error (task, error);
      return;
    }
  if (!ea_json_get_int (json_node_get_object (reply), "ocoId", &oco_id))
    {
      /* Both orders may exist: a snapshot settles them, never a resend. */
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME,
                               _("Tradovate's reply to the OCO orders has no id for the second order"));
      return;
    }

  adopt_client_id (self, order_id, data->first->client_order_id);
  adopt_client_id (self, oco_id, data->second->client_order_id);

  data->second_id = g_strdup_printf ("%" G_GINT64_FORMAT, oco_id);
  g_task_return_pointer (task, g_strdup_printf ("%" G_GINT64_FORMAT, order_id), g_free);
}

static void
oco_resolved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  g_autoptr(GTask) task = user_data;
  TvOcoData *data = g_task_get_task_data (task);
  TvContractInfo *contract = NULL;
  TvAccountInfo *account = resolved_account (self, result, task, data->first->account, &contract);
  g_autoptr(JsonNode) body = NULL;

  if (account == NULL)
    return;

  body = oco_body (data->first, data->second, account->id, contract->name, contract->spec);
  _ea_tv_request (self, FALSE, "order/placeOCO", NULL, body, TRUE, g_task_get_cancellable (task),
                  oco_placed_cb, g_object_ref (task));
}

static gboolean
oco_leg_valid (const EaOrderRequest *r)
{
  return r->qty > 0 && r->qty <= 10000 && r->account != NULL && r->symbol != NULL &&
         r->client_order_id != NULL && r->type != EA_ORDER_TYPE_MARKET &&
         !r->has_stop_loss && !r->has_take_profit;
}

void
_ea_tv_place_oco_async (EaBroker             *broker,
                        const EaOrderRequest *first,
                        const EaOrderRequest *second,
                        GCancellable         *cancellable,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data)
{
  GTask *task = _ea_tv_method_task (broker, cancellable, callback, user_data);
  TvOcoData *data;

  if (task == NULL)
    return;

  if (!oco_leg_valid (first) || !oco_leg_valid (second) || first->qty != second->qty ||
      g_strcmp0 (first->account, second->account) != 0 || g_strcmp0 (first->symbol, second->symbol) != 0 ||
      g_strcmp0 (first->client_order_id, second->client_order_id) == 0)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                               _("An OCO pair is two resting orders of one account and symbol, each with "
                                 "its own client id, for the same quantity from 1 to 10000"));
      g_object_unref (task);
      return;
    }

  data = g_new0 (TvOcoData, 1);
  data->first = ea_order_request_copy (first);
  data->second = ea_order_request_copy (second);
  g_task_set_task_data (task, data, (GDestroyNotify) oco_data_free);
  _ea_tv_resolve_contract_async (EA_TRADOVATE_BROKER (broker), first->symbol, cancellable, oco_resolved_cb, task);
}

char *
_ea_tv_place_oco_finish (EaBroker      *broker,
                         GAsyncResult  *result,
                         char         **second_id,
                         GError       **error)
{
  char *id = g_task_propagate_pointer (G_TASK (result), error);

  if (id != NULL && second_id != NULL)
    *second_id = g_strdup (((TvOcoData *) g_task_get_task_data (G_TASK (result)))->second_id);
  return id;
}

static TvOrderInfo *
known_order (EaTradovateBroker *self,
             const char        *broker_order_id)
{
  char *end = NULL;
  gint64 id;

  if (broker_order_id == NULL)
    return NULL;

  id = g_ascii_strtoll (broker_order_id, &end, 10);
  if (end == broker_order_id || *end != '\0')
    return NULL;

  return g_hash_table_lookup (self->orders, &id);
}

static void
command_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(JsonNode) reply = _ea_tv_request_finish (EA_TRADOVATE_BROKER (object), result, &error);

  if (reply == NULL)
    g_task_return_error (task, _ea_tv_broker_error (error));
  else if (!check_reply (reply, g_task_get_task_data (task), NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
_ea_tv_modify_order_async (EaBroker            *broker,
                           const char          *broker_order_id,
                           gint64               qty,
                           EaTicks              limit_price,
                           EaTicks              stop_price,
                           EaActor              actor,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (broker);
  GTask *task = _ea_tv_method_task (broker, cancellable, callback, user_data);
  TvOrderInfo *info;
  const EaInstrumentSpec *spec;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) body = NULL;
  EaOrderType type;

  if (task == NULL)
    return;

  info = known_order (self, broker_order_id);
  if (info == NULL || (spec = _ea_tv_order_spec (self, info)) == NULL)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                               _("No Tradovate order %s"), broker_order_id);
      g_object_unref (task);
      return;
    }
  if (qty < 0 || qty > 10000)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                               _("Quantity %" G_GINT64_FORMAT " is out of range"), qty);
      g_object_unref (task);
      return;
    }

  type = info->data.type;
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "orderId");
  json_builder_add_int_value (b, info->id);
  json_builder_set_member_name (b, "orderQty");
  json_builder_add_int_value (b, qty > 0 ? qty : info->data.qty);
  json_builder_set_member_name (b, "orderType");
  json_builder_add_string_value (b, type_to_string (type));
  if (type == EA_ORDER_TYPE_LIMIT || type == EA_ORDER_TYPE_STOP_LIMIT)
    {
      json_builder_set_member_name (b, "price");
      json_builder_add_double_value (b, wire_price (spec, limit_price != 0 ? limit_price : info->data.limit_price));
    }
  if (type == EA_ORDER_TYPE_STOP || type == EA_ORDER_TYPE_STOP_LIMIT)
    {
      json_builder_set_member_name (b, "stopPrice");
      json_builder_add_double_value (b, wire_price (spec, stop_price != 0 ? stop_price : info->data.stop_price));
    }
  /* A change a human made is not automated; anything the desk does on
   * its own (a trailing stop) is. */
  json_builder_set_member_name (b, "isAutomated");
  json_builder_add_boolean_value (b, actor != EA_ACTOR_USER);
  json_builder_end_object (b);
  body = json_builder_get_root (b);

  g_task_set_task_data (task, g_strdup (_("the change")), g_free);
  _ea_tv_request (self, FALSE, "order/modifyorder", NULL, body, TRUE, cancellable, command_cb, task);
}

static void
cancel_one (EaTradovateBroker   *self,
            gint64               order_id,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) o = json_object_new ();

  json_object_set_int_member (o, "orderId", order_id);
  json_object_set_boolean_member (o, "isAutomated", TRUE);
  json_node_set_object (body, o);
  _ea_tv_request (self, FALSE, "order/cancelorder", NULL, body, TRUE, cancellable, callback, user_data);
}

void
_ea_tv_cancel_order_async (EaBroker            *broker,
                           const char          *broker_order_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (broker);
  GTask *task = _ea_tv_method_task (broker, cancellable, callback, user_data);
  TvOrderInfo *info;

  if (task == NULL)
    return;

  info = known_order (self, broker_order_id);
  if (info == NULL)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                               _("No Tradovate order %s"), broker_order_id);
      g_object_unref (task);
      return;
    }

  g_task_set_task_data (task, g_strdup (_("the cancel")), g_free);
  cancel_one (self, info->id, cancellable, command_cb, task);
}

/* Snapshots ---------------------------------------------------------------- */

static EaSnapshotData *
snapshot_from_cache (EaTradovateBroker *self,
                     const char        *account)
{
  EaSnapshotData *s = ea_snapshot_data_new (g_get_real_time ());
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      TvAccountInfo *info = value;

      if (account == NULL || g_strcmp0 (info->name, account) == 0)
        g_ptr_array_add (s->accounts, ea_account_data_copy (&info->data));
    }

  g_hash_table_iter_init (&iter, self->orders);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      TvOrderInfo *info = value;

      if (!info->have_order || !info->have_version)
        continue;
      if (account == NULL || g_strcmp0 (info->data.account, account) == 0)
        {
          if (info->data.client_order_id == NULL)
            info->data.client_order_id = g_strdup_printf ("tv-%" G_GINT64_FORMAT, info->id);
          g_ptr_array_add (s->orders, ea_order_data_copy (&info->data));
        }
    }

  g_hash_table_iter_init (&iter, self->positions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      EaPositionData *p = value;

      if (account == NULL || g_strcmp0 (p->account, account) == 0)
        g_ptr_array_add (s->positions, ea_position_data_copy (p));
    }

  return s;
}

typedef struct
{
  char *account;
} SnapshotData;

static void
snapshot_data_free (SnapshotData *data)
{
  g_free (data->account);
  g_free (data);
}

/* The fills of a fresh snapshot come from its JSON, not the cache, so
 * each broker fill appears exactly once. */
static void
add_snapshot_fills (EaTradovateBroker *self,
                    EaSnapshotData    *s,
                    JsonObject        *snapshot,
                    const char        *account)
{
  JsonObject *o;

  FOREACH_OBJECT (ea_json_get_array (snapshot, "fills"), o)
    {
      gint64 id, order_id = 0, contract_id = 0, qty = 0;
      double price = 0;
      TvOrderInfo *info;
      TvContractInfo *contract;
      EaFillData *f;

      if (!ea_json_get_int (o, "id", &id))
        continue;
      ea_json_get_int (o, "orderId", &order_id);
      ea_json_get_int (o, "contractId", &contract_id);
      ea_json_get_int (o, "qty", &qty);
      ea_json_get_double (o, "price", &price);
      info = g_hash_table_lookup (self->orders, &order_id);
      contract = g_hash_table_lookup (self->contracts, &contract_id);
      if (info == NULL || contract == NULL || contract->spec == NULL)
        continue;
      if (account != NULL && g_strcmp0 (info->data.account, account) != 0)
        continue;

      f = g_new0 (EaFillData, 1);
      f->account = g_strdup (info->data.account);
      f->symbol = g_strdup (_ea_tv_desk_symbol (self, contract));
      f->fill_id = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      f->broker_order_id = g_strdup_printf ("%" G_GINT64_FORMAT, order_id);
      f->client_order_id = g_strdup (info->data.client_order_id);
      f->side = g_strcmp0 (ea_json_get_string (o, "action"), "Sell") == 0 ? EA_SIDE_SELL : EA_SIDE_BUY;
      f->qty = qty;
      f->price = ea_instrument_price_to_ticks (contract->spec, price);
      f->time = _ea_tv_get_time (o, "timestamp");
      g_ptr_array_add (s->fills, f);
    }
}

static void
snapshot_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  g_autoptr(GTask) task = user_data;
  SnapshotData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonNode) reply = _ea_tv_request_finish (self, result, &error);
  EaSnapshotData *s;

  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error == NULL)
        error = g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED, _("Tradovate sent no snapshot"));
      g_task_return_error (task, _ea_tv_broker_error (error));
      return;
    }

  /* What changed unseen (fills during a gap) is reported once. */
  _ea_tv_apply_snapshot (self, json_node_get_object (reply), TRUE);

  s = snapshot_from_cache (self, data->account);
  add_snapshot_fills (self, s, json_node_get_object (reply), data->account);
  g_task_return_pointer (task, s, (GDestroyNotify) ea_snapshot_data_free);
}

static void
snapshot_async (EaTradovateBroker   *self,
                const char          *account,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SnapshotData *data = g_new0 (SnapshotData, 1);
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(JsonArray) users = json_array_new ();

  data->account = g_strdup (account);
  g_task_set_task_data (task, data, (GDestroyNotify) snapshot_data_free);

  json_array_add_int_element (users, self->token.user_id);
  json_object_set_array_member (o, "users", g_steal_pointer (&users));
  json_node_set_object (body, o);
  _ea_tv_request (self, FALSE, "user/syncrequest", NULL, body, FALSE, cancellable, snapshot_cb,
                  g_steal_pointer (&task));
}

static EaSnapshotData *
snapshot_finish (EaTradovateBroker  *self,
                 GAsyncResult       *result,
                 GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
snapshot_forward_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  EaSnapshotData *s = snapshot_finish (EA_TRADOVATE_BROKER (object), result, &error);

  if (s == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, s, (GDestroyNotify) ea_snapshot_data_free);
}

void
_ea_tv_snapshot_async (EaBroker            *broker,
                       const char          *account,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = _ea_tv_method_task (broker, cancellable, callback, user_data);

  if (task == NULL)
    return;

  snapshot_async (EA_TRADOVATE_BROKER (broker), account, cancellable, snapshot_forward_cb, task);
}

EaSnapshotData *
_ea_tv_snapshot_finish (EaBroker      *broker,
                        GAsyncResult  *result,
                        GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Cancel all and flatten ------------------------------------------------- */

typedef struct
{
  char     *account;
  char     *symbol;
  gboolean  flatten;
  guint     outstanding;
  GError   *error;
  gboolean  liquidating;
} BatchData;

static void
batch_data_free (BatchData *data)
{
  g_free (data->account);
  g_free (data->symbol);
  g_clear_error (&data->error);
  g_free (data);
}

static gboolean
matches (BatchData  *data,
         const char *account,
         const char *symbol)
{
  return (data->account == NULL || g_strcmp0 (data->account, account) == 0) &&
         (data->symbol == NULL || g_ascii_strcasecmp (data->symbol, symbol ? symbol : "") == 0);
}

static void liquidate_positions (GTask *task);

static void
batch_step_done (GTask *task)
{
  BatchData *data = g_task_get_task_data (task);

  if (--data->outstanding > 0)
    return;

  if (data->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&data->error));
      g_object_unref (task);
      return;
    }

  if (data->flatten && !data->liquidating)
    {
      data->liquidating = TRUE;
      liquidate_positions (task);
      return;
    }

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
batch_cancel_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  BatchData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonNode) reply = _ea_tv_request_finish (EA_TRADOVATE_BROKER (object), result, &error);

  if (reply != NULL && !check_reply (reply, _("the cancel"), NULL, &error))
    {
      /* Already filled or cancelled by the time it arrived: nothing left to do. */
      if (g_error_matches (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED))
        g_clear_error (&error);
    }

  if (error != NULL && data->error == NULL)
    data->error = _ea_tv_broker_error (error);
  else if (error != NULL)
    g_error_free (error);

  batch_step_done (task);
}

static void
liquidate_positions (GTask *task)
{
  EaTradovateBroker *self = g_task_get_source_object (task);
  BatchData *data = g_task_get_task_data (task);
  GHashTableIter iter;
  EaPositionData *p;

  /* One step of our own, so an empty round still completes. */
  data->outstanding = 1;

  g_hash_table_iter_init (&iter, self->positions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &p))
    {
      TvAccountInfo *account;
      TvContractInfo *contract;
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(JsonObject) o = NULL;

      if (p->qty == 0 || !matches (data, p->account, p->symbol))
        continue;

      account = _ea_tv_account_by_name (self, p->account);
      contract = _ea_tv_contract_by_symbol (self, p->symbol);
      if (account == NULL || contract == NULL)
        continue;

      o = json_object_new ();
      json_object_set_int_member (o, "accountId", account->id);
      json_object_set_int_member (o, "contractId", contract->id);
      json_object_set_boolean_member (o, "admin", FALSE);
      json_object_set_boolean_member (o, "isAutomated", TRUE);
      body = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (body, o);

      data->outstanding++;
      _ea_tv_request (self, FALSE, "order/liquidateposition", NULL, body, TRUE,
                      g_task_get_cancellable (task), batch_cancel_cb, task);
    }

  batch_step_done (task);
}

static void
batch_snapshot_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  GTask *task = user_data;
  BatchData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(EaSnapshotData) s = snapshot_finish (self, result, &error);

  if (s == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  data->outstanding = 1;
  for (guint i = 0; i < s->orders->len; i++)
    {
      const EaOrderData *o = g_ptr_array_index (s->orders, i);

      if (!ea_order_state_is_live (o->state) || !matches (data, o->account, o->symbol))
        continue;

      data->outstanding++;
      cancel_one (self, g_ascii_strtoll (o->broker_order_id, NULL, 10),
                  g_task_get_cancellable (task), batch_cancel_cb, task);
    }

  batch_step_done (task);
}

static void
batch_async (EaBroker            *broker,
             const char          *account,
             const char          *symbol,
             gboolean             flatten,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = _ea_tv_method_task (broker, cancellable, callback, user_data);
  BatchData *data;

  if (task == NULL)
    return;

  data = g_new0 (BatchData, 1);
  data->account = g_strdup (account);
  data->symbol = g_strdup (symbol);
  /* Orders and positions carry the symbol they are reported under. */
  if (symbol != NULL)
    {
      TvContractInfo *contract = _ea_tv_contract_by_symbol (EA_TRADOVATE_BROKER (broker), symbol);

      if (contract != NULL)
        {
          g_free (data->symbol);
          data->symbol = g_strdup (_ea_tv_desk_symbol (EA_TRADOVATE_BROKER (broker), contract));
        }
    }
  data->flatten = flatten;
  g_task_set_task_data (task, data, (GDestroyNotify) batch_data_free);

  /* From a fresh snapshot: what the broker has, not what we believe. */
  snapshot_async (EA_TRADOVATE_BROKER (broker), account, cancellable, batch_snapshot_cb, task);
}

void
_ea_tv_cancel_all_async (EaBroker            *broker,
                         const char          *account,
                         const char          *symbol,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  batch_async (broker, account, symbol, FALSE, cancellable, callback, user_data);
}

void
_ea_tv_flatten_async (EaBroker            *broker,
                      const char          *account,
                      const char          *symbol,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  batch_async (broker, account, symbol, TRUE, cancellable, callback, user_data);
}
