/* ea-desk-orders.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every order from any source: the pre-trade check, a client order id
 * that is journaled before the order is sent, the broker call, and the
 * order's life afterwards. A request whose reply is lost is UNKNOWN until
 * a snapshot settles it, never "failed" and never sent again.
 */
#define G_LOG_DOMAIN "ea-desk"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ea-alert.h"
#include "ea-desk-private.h"

static void
desk_order_free (DeskOrder *o)
{
  g_free (o->client_order_id);
  g_free (o->broker_order_id);
  g_free (o->account);
  g_free (o->symbol);
  g_free (o->restored_broker);
  g_free (o);
}

void
_ea_desk_orders_init (EaDesk *self)
{
  self->orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) desk_order_free);
  self->broker_orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->next_local_id = (guint64) g_get_real_time ();
}

static const char *
order_type_name (EaOrderType type)
{
  return ea_order_type_to_string (type);
}

static void
journaled_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (ea_journal_record_order_finish (EA_JOURNAL (object), result, &error) < 0)
    g_message ("Could not journal an order: %s", error->message);
}

static void
fill_journal_order (EaDesk         *self,
                    DeskOrder      *order,
                    EaJournalOrder *jo,
                    const char     *reason)
{
  DeskAccount *a = _ea_desk_account (self, order->account);
  DeskContract *c = _ea_desk_contract (self, order->symbol);

  jo->client_order_id = order->client_order_id;
  jo->account_id = a ? a->journal_id : 0;
  jo->broker = order->broker ? ea_broker_get_name (order->broker) : NULL;
  jo->broker_order_id = order->broker_order_id;
  jo->symbol = order->symbol;
  jo->root = c ? c->spec->root : order->symbol;
  jo->side = order->side;
  jo->qty = order->qty;
  jo->order_type = order_type_name (order->type);
  jo->limit_ticks = order->limit_price;
  jo->stop_ticks = order->stop_price;
  jo->state = ea_order_state_to_string (order->state);
  jo->terminal = ea_order_state_is_terminal (order->state);
  jo->filled_qty = order->filled;
  jo->reason = reason;
  jo->time_us = _ea_desk_now (self);
}

void
_ea_desk_journal_order (EaDesk     *self,
                        DeskOrder  *order,
                        EaActor     actor,
                        const char *reason)
{
  EaJournalOrder jo = { 0 };

  if (self->journal == NULL)
    return;

  fill_journal_order (self, order, &jo, reason);
  ea_journal_record_order_async (self->journal, &jo, actor, NULL, journaled_cb, NULL);
}

/* Broker order ids are unique per broker only. */
static char *
broker_key (EaBroker   *broker,
            const char *broker_order_id)
{
  return g_strdup_printf ("%p\x1f%s", (gpointer) broker, broker_order_id);
}

static void
index_broker_order (EaDesk    *self,
                    DeskOrder *o)
{
  g_hash_table_insert (self->broker_orders, broker_key (o->broker, o->broker_order_id), o);
}

void
_ea_desk_index_order (EaDesk    *self,
                      DeskOrder *order)
{
  if (order->broker != NULL && order->broker_order_id != NULL)
    index_broker_order (self, order);
}

static DeskOrder *
find_order (EaDesk            *self,
            EaBroker          *broker,
            const EaOrderData *data)
{
  DeskOrder *o = NULL;

  if (data->broker_order_id != NULL)
    {
      g_autofree char *key = broker_key (broker, data->broker_order_id);
      o = g_hash_table_lookup (self->broker_orders, key);
    }
  if (o == NULL && data->client_order_id != NULL)
    {
      o = g_hash_table_lookup (self->orders, data->client_order_id);

      /* Another broker's order that happens to carry the same id. */
      if (o != NULL && o->broker != broker)
        {
          g_autofree char *key = broker_key (broker, data->client_order_id);
          o = g_hash_table_lookup (self->orders, key);
        }
    }

  return o;
}

/* A live update that moves a known order along an impossible path
 * (FILLED → WORKING, say) is refused: the order keeps its last legal
 * state, the user is told, the move is audited and the broker is asked
 * for a snapshot, which settles it. Returns FALSE when refused. */
gboolean
_ea_desk_order_check_update (EaDesk            *self,
                             EaBroker          *broker,
                             const EaOrderData *data)
{
  DeskOrder *o = find_order (self, broker, data);
  const char *from, *to, *name;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *details = NULL;
  g_autofree char *body = NULL;

  if (o == NULL || o->state == data->state ||
      ea_order_state_can_transition (o->state, data->state, NULL))
    return TRUE;

  from = ea_order_state_to_string (o->state);
  to = ea_order_state_to_string (data->state);
  name = ea_broker_get_name (broker);

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "order");
  json_builder_add_string_value (b, o->client_order_id);
  json_builder_set_member_name (b, "broker_order_id");
  json_builder_add_string_value (b, o->broker_order_id ? o->broker_order_id : "");
  json_builder_set_member_name (b, "account");
  json_builder_add_string_value (b, o->account ? o->account : "");
  json_builder_set_member_name (b, "broker");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "from");
  json_builder_add_string_value (b, from);
  json_builder_set_member_name (b, "to");
  json_builder_add_string_value (b, to);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  details = json_to_string (root, FALSE);

  g_message ("Order %s: %s reported %s → %s, which is impossible; refused",
             o->client_order_id, name, from, to);
  /* TRANSLATORS: order id, broker name, order state, order state */
  body = g_strdup_printf (_("Order %s: %s reported a move from %s to %s, which cannot happen. "
                            "The update was refused and the account is being reconciled."),
                          o->client_order_id, name, from, to);
  _ea_desk_alert (self, "system_status", EA_ALERT_PRIORITY_HIGH, _("Impossible order update"), body);
  _ea_desk_audit (self, EA_ACTOR_AUTOMATIC, "order.impossible-transition", o->client_order_id, details);
  _ea_desk_reconcile (self, broker);

  return FALSE;
}

/* Every order the brokers report, ours (placed here) or not (placed at
 * the broker, or a bracket child): the desk follows and journals it. */
void
_ea_desk_order_updated (EaDesk            *self,
                        EaBroker          *broker,
                        const EaOrderData *data)
{
  DeskOrder *o = find_order (self, broker, data);
  EaOrderState state = data->state;

  if (o == NULL)
    {
      if (data->client_order_id == NULL)
        return;

      o = g_new0 (DeskOrder, 1);
      o->client_order_id = g_strdup (data->client_order_id);
      o->account = g_strdup (data->account);
      o->symbol = g_strdup (data->symbol);
      o->broker = broker;
      o->side = data->side;
      o->type = data->type;
      o->state = EA_ORDER_STATE_PENDING_NEW;
      g_hash_table_insert (self->orders,
                           g_hash_table_contains (self->orders, o->client_order_id)
                           ? broker_key (broker, o->client_order_id) : g_strdup (o->client_order_id),
                           o);
    }

  if (o->broker_order_id == NULL && data->broker_order_id != NULL)
    {
      o->broker_order_id = g_strdup (data->broker_order_id);
      index_broker_order (self, o);
    }

  o->qty = data->qty;
  o->filled = data->filled_qty;
  o->limit_price = data->limit_price;
  o->stop_price = data->stop_price;

  if (o->state == state)
    return;

  /* Live updates with an impossible move were refused before this
   * (_ea_desk_order_check_update); a snapshot is the broker's truth. */
  o->state = state;
  _ea_desk_journal_order (self, o, EA_ACTOR_AUTOMATIC, data->reason);
}

/* The risk check ---------------------------------------------------------- */

static gboolean
prepare_check (EaDesk            *self,
               const EaDeskOrder *order,
               DeskAccount      **account_out,
               EaRiskOrder       *risk_order,
               EaRiskDecision    *decision,
               GError           **error)
{
  DeskAccount *a = _ea_desk_account (self, order->account);
  DeskContract *c = order->symbol ? _ea_desk_contract (self, order->symbol) : NULL;

  memset (decision, 0, sizeof *decision);
  memset (risk_order, 0, sizeof *risk_order);

  if (a == NULL)
    {
      g_set_error (error, EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_ACCOUNT,
                   _("No account %s"), order->account ? order->account : "");
      return FALSE;
    }
  if (c == NULL)
    {
      g_set_error (error, EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_SYMBOL,
                   _("“%s” is not an instrument Enigma Apex trades"), order->symbol ? order->symbol : "");
      return FALSE;
    }
  if (a->risk_index < 0)
    {
      g_set_error (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED,
                   _("%s has no firm profile yet: choose one before trading"), a->name);
      decision->reason = EA_RISK_BAD_ORDER;
      return FALSE;
    }

  risk_order->action = EA_RISK_ORDER_NEW;
  risk_order->spec = c->spec;
  risk_order->side = order->side;
  risk_order->qty = order->qty;
  switch (order->type)
    {
    case EA_ORDER_TYPE_LIMIT:
    case EA_ORDER_TYPE_STOP_LIMIT:
      risk_order->has_price = TRUE;
      risk_order->price = order->limit_price;
      break;
    case EA_ORDER_TYPE_STOP:
      risk_order->has_price = TRUE;
      risk_order->price = order->stop_price;
      break;
    case EA_ORDER_TYPE_MARKET:
    default:
      break;
    }
  risk_order->has_stop = order->has_stop_loss;
  risk_order->stop = order->stop_loss;
  risk_order->has_target = order->has_take_profit;
  risk_order->target = order->take_profit;

  *account_out = a;
  return TRUE;
}

/* Whether @order only shrinks @account's position in its symbol. */
static gboolean
reduces_exposure (DeskAccount       *account,
                  const EaDeskOrder *order)
{
  DeskPosition *p = g_hash_table_lookup (account->positions, order->symbol);

  if (p == NULL || p->qty == 0)
    return FALSE;

  return (p->qty > 0 && order->side == EA_SIDE_SELL && order->qty <= p->qty) ||
         (p->qty < 0 && order->side == EA_SIDE_BUY && order->qty <= -p->qty);
}

gboolean
ea_desk_check_order (EaDesk            *self,
                     const EaDeskOrder *order,
                     EaRiskDecision    *decision)
{
  EaRiskOrder risk_order;
  DeskAccount *a = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (EA_IS_DESK (self), FALSE);
  g_return_val_if_fail (order != NULL && decision != NULL, FALSE);

  if (!prepare_check (self, order, &a, &risk_order, decision, &error))
    {
      decision->allowed = FALSE;
      if (decision->reason == EA_RISK_OK)
        decision->reason = EA_RISK_BAD_ORDER;
      return FALSE;
    }

  risk_order.flags = EA_RISK_ORDER_FLAG_DRY_RUN;
  return ea_risk_engine_check (self->risk, a->risk_index, &risk_order, _ea_desk_now (self), decision);
}

/* Placement -------------------------------------------------------------- */

typedef struct
{
  EaDeskOrder     order;
  char           *account;
  char           *symbol;
  EaActor         actor;
  EaRiskDecision  decision;
  DeskOrder      *desk_order;  /* owned by self->orders once created */
  gboolean        reducing;
} PlaceData;

static void
place_data_free (PlaceData *data)
{
  g_free (data->account);
  g_free (data->symbol);
  g_free (data);
}

static void
broker_placed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaDesk *self = g_task_get_source_object (task);
  PlaceData *data = g_task_get_task_data (task);
  DeskOrder *o = data->desk_order;
  g_autoptr(GError) error = NULL;
  g_autofree char *broker_id = ea_broker_place_order_finish (EA_BROKER (object), result, &error);

  if (broker_id == NULL)
    {
      if (g_error_matches (error, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME))
        {
          /* It may exist: settled by the next snapshot, never resent. */
          o->state = EA_ORDER_STATE_UNKNOWN;
          _ea_desk_journal_order (self, o, data->actor, error->message);
          _ea_desk_alert (self, "system_status", 2, _("Order outcome unknown"), error->message);
          /* Settled by a snapshot now, not at the next reconnect. */
          _ea_desk_reconcile (self, o->broker);
        }
      else if (o->state == EA_ORDER_STATE_PENDING_NEW)
        {
          o->state = EA_ORDER_STATE_REJECTED;
          _ea_desk_journal_order (self, o, data->actor, error->message);
        }

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (o->broker_order_id == NULL)
    {
      o->broker_order_id = g_strdup (broker_id);
      index_broker_order (self, o);
    }

  g_task_return_pointer (task, g_strdup (o->client_order_id), g_free);
}

static void
send_order (GTask *task)
{
  EaDesk *self = g_task_get_source_object (task);
  PlaceData *data = g_task_get_task_data (task);
  DeskOrder *o = data->desk_order;
  g_autoptr(EaOrderRequest) request = NULL;

  /* The stop may have latched while the order was being journaled:
   * nothing that adds exposure leaves after HALTED. */
  if (ea_desk_get_halted (self) && !data->reducing)
    {
      o->state = EA_ORDER_STATE_REJECTED;
      _ea_desk_journal_order (self, o, data->actor, _("Trading halted before it was sent"));
      data->decision.allowed = FALSE;
      data->decision.reason = EA_RISK_HALTED;
      g_task_return_new_error (task, EA_DESK_ERROR, EA_DESK_ERROR_DENIED,
                               _("Trading is halted: the order was not sent"));
      g_object_unref (task);
      return;
    }

  request = ea_order_request_new (o->account, o->symbol, o->client_order_id, o->side, o->type, o->qty);
  request->tif = data->order.tif;
  request->limit_price = data->order.limit_price;
  request->stop_price = data->order.stop_price;
  request->has_stop_loss = data->order.has_stop_loss;
  request->stop_loss_price = data->order.stop_loss;
  request->has_take_profit = data->order.has_take_profit;
  request->take_profit_price = data->order.take_profit;

  ea_broker_place_order_async (o->broker, request, g_task_get_cancellable (task), broker_placed_cb, task);
}

static void
recorded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  PlaceData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (ea_journal_record_order_finish (EA_JOURNAL (object), result, &error) < 0 && !data->reducing)
    {
      /* A trade it cannot journal is a trade it cannot defend. */
      data->desk_order->state = EA_ORDER_STATE_REJECTED;
      g_task_return_new_error (task, EA_DESK_ERROR, EA_DESK_ERROR_NOT_JOURNALED,
                               _("The journal cannot record the order, so it was not sent: %s"),
                               error->message);
      g_object_unref (task);
      return;
    }

  send_order (task);
}

static void
create_order (GTask      *task,
              const char *client_order_id)
{
  EaDesk *self = g_task_get_source_object (task);
  PlaceData *data = g_task_get_task_data (task);
  DeskOrder *o = g_new0 (DeskOrder, 1);

  o->client_order_id = g_strdup (client_order_id);
  o->account = g_strdup (data->account);
  o->symbol = g_strdup (data->symbol);
  o->broker = _ea_desk_broker_for (self, data->account);
  o->state = EA_ORDER_STATE_PENDING_NEW;
  o->side = data->order.side;
  o->type = data->order.type;
  o->qty = data->order.qty;
  o->limit_price = data->order.limit_price;
  o->stop_price = data->order.stop_price;
  g_hash_table_insert (self->orders, g_strdup (o->client_order_id), o);
  data->desk_order = o;

  /* Journaled before it is sent, so a restart can reconcile it. */
  if (self->journal != NULL)
    {
      EaJournalOrder jo = { 0 };

      fill_journal_order (self, o, &jo, NULL);
      ea_journal_record_order_async (self->journal, &jo, data->actor, NULL, recorded_cb, task);
      return;
    }

  send_order (task);
}

static void
client_id_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  PlaceData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gint64 id = ea_journal_next_client_order_id_finish (EA_JOURNAL (object), result, &error);
  g_autofree char *client_order_id = NULL;

  if (id < 0)
    {
      if (!data->reducing)
        {
          g_task_return_new_error (task, EA_DESK_ERROR, EA_DESK_ERROR_NOT_JOURNALED,
                                   _("The journal cannot record the order, so it was not sent: %s"),
                                   error->message);
          g_object_unref (task);
          return;
        }
      /* An exit goes out even when the journal cannot keep up. */
      id = (gint64) ++EA_DESK (g_task_get_source_object (task))->next_local_id;
    }

  client_order_id = g_strdup_printf ("EA-%" G_GINT64_FORMAT, id);
  create_order (task, client_order_id);
}

void
ea_desk_place_order_async (EaDesk              *self,
                           const EaDeskOrder   *order,
                           EaActor              actor,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  PlaceData *data;
  DeskAccount *a = NULL;
  EaRiskOrder risk_order;
  GError *error = NULL;

  g_return_if_fail (EA_IS_DESK (self));
  g_return_if_fail (order != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ea_desk_place_order_async);

  data = g_new0 (PlaceData, 1);
  data->order = *order;
  data->account = g_strdup (order->account);
  data->symbol = g_strdup (order->symbol);
  data->order.account = data->account;
  data->order.symbol = data->symbol;
  data->actor = actor;
  g_task_set_task_data (task, data, (GDestroyNotify) place_data_free);

  if (!prepare_check (self, order, &a, &risk_order, &data->decision, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  data->reducing = reduces_exposure (a, order);

  if (!a->enabled && !data->reducing)
    {
      g_task_return_new_error (task, EA_DESK_ERROR, EA_DESK_ERROR_DISABLED,
                               _("%s is switched off: it takes no new entries"), a->name);
      g_object_unref (task);
      return;
    }

  /* A trade it cannot journal is a trade it cannot defend. */
  if (!data->reducing &&
      ((self->journal_required && self->journal == NULL) ||
       (self->journal != NULL && !ea_journal_get_writable (self->journal))))
    {
      g_task_return_new_error (task, EA_DESK_ERROR, EA_DESK_ERROR_NOT_JOURNALED,
                               _("The journal cannot record new orders (full disk or read-only file): "
                                 "only exits and the emergency stop are accepted"));
      g_object_unref (task);
      return;
    }

  if (!ea_risk_engine_check (self->risk, a->risk_index, &risk_order, _ea_desk_now (self), &data->decision))
    {
      g_autofree char *text = ea_risk_decision_format (&data->decision);
      g_autofree char *details = g_strdup_printf ("{\"account\":\"%s\",\"symbol\":\"%s\",\"qty\":%" G_GINT64_FORMAT
                                                  ",\"reason\":\"%s\",\"limit\":%" G_GINT64_FORMAT
                                                  ",\"value\":%" G_GINT64_FORMAT "}",
                                                  a->name, order->symbol, order->qty,
                                                  ea_risk_reason_to_string (data->decision.reason),
                                                  data->decision.limit, data->decision.value);

      _ea_desk_risk_event (self, a, EA_JOURNAL_RISK_DENIAL, ea_risk_reason_to_string (data->decision.reason),
                           details, actor);
      g_task_return_new_error (task, EA_DESK_ERROR, EA_DESK_ERROR_DENIED, "%s", text);
      g_object_unref (task);
      return;
    }

  if (_ea_desk_broker_for (self, a->name) == NULL)
    {
      g_task_return_new_error (task, EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_ACCOUNT,
                               _("No broker carries %s"), a->name);
      g_object_unref (task);
      return;
    }

  if (self->journal != NULL)
    ea_journal_next_client_order_id_async (self->journal, NULL, client_id_cb, task);
  else
    {
      g_autofree char *client_order_id = g_strdup_printf ("EA-%" G_GUINT64_FORMAT, ++self->next_local_id);
      create_order (task, client_order_id);
    }
}

char *
ea_desk_place_order_finish (EaDesk          *self,
                            GAsyncResult    *result,
                            EaRiskDecision  *decision,
                            GError         **error)
{
  PlaceData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (decision != NULL && data != NULL)
    *decision = data->decision;

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Cancel, modify, flatten ------------------------------------------------------ */

static void
boolean_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean ok = FALSE;

  if (g_task_get_source_tag (task) == ea_desk_cancel_order_async)
    ok = ea_broker_cancel_order_finish (EA_BROKER (object), result, &error);
  else if (g_task_get_source_tag (task) == ea_desk_modify_order_async)
    ok = ea_broker_modify_order_finish (EA_BROKER (object), result, &error);
  else
    ok = ea_broker_flatten_finish (EA_BROKER (object), result, &error);

  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
ea_desk_cancel_order_async (EaDesk              *self,
                            const char          *client_order_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  DeskOrder *o;

  g_return_if_fail (EA_IS_DESK (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ea_desk_cancel_order_async);

  o = client_order_id ? g_hash_table_lookup (self->orders, client_order_id) : NULL;
  if (o == NULL || o->broker_order_id == NULL || o->broker == NULL)
    {
      g_task_return_new_error (task, EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_ORDER,
                               _("No working order %s"), client_order_id ? client_order_id : "");
      g_object_unref (task);
      return;
    }

  /* Cancels are always allowed, whatever the trading state. */
  _ea_desk_audit (self, EA_ACTOR_USER, "order.cancel", o->client_order_id, NULL);
  ea_broker_cancel_order_async (o->broker, o->broker_order_id, cancellable, boolean_cb, task);
}

gboolean
ea_desk_cancel_order_finish (EaDesk        *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ea_desk_modify_order_async (EaDesk              *self,
                            const char          *client_order_id,
                            gint64               qty,
                            EaTicks              limit_price,
                            EaTicks              stop_price,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  DeskOrder *o;
  DeskAccount *a;
  DeskContract *c;
  EaRiskOrder risk_order = { 0 };
  EaRiskDecision *decision;

  g_return_if_fail (EA_IS_DESK (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ea_desk_modify_order_async);
  decision = g_new0 (EaRiskDecision, 1);
  g_task_set_task_data (task, decision, g_free);

  o = client_order_id ? g_hash_table_lookup (self->orders, client_order_id) : NULL;
  if (o == NULL || o->broker_order_id == NULL || o->broker == NULL || !ea_order_state_is_live (o->state))
    {
      g_task_return_new_error (task, EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_ORDER,
                               _("No working order %s"), client_order_id ? client_order_id : "");
      g_object_unref (task);
      return;
    }

  /* Halted or locked, nothing moves but cancels and exits: a resting
   * order is not changed (the stop cancels it), with or without a
   * profile to check it against. */
  if (ea_desk_get_halted (self))
    {
      _ea_desk_audit (self, EA_ACTOR_USER, "order.modify-refused", o->client_order_id, NULL);
      g_task_return_new_error (task, EA_DESK_ERROR, EA_DESK_ERROR_DENIED,
                               _("Trading is halted: order %s was not changed"), o->client_order_id);
      g_object_unref (task);
      return;
    }

  a = _ea_desk_account (self, o->account);
  c = _ea_desk_contract (self, o->symbol);

  /* A changed order is checked like a new one. */
  if (a != NULL && c != NULL && a->risk_index >= 0)
    {
      risk_order.action = EA_RISK_ORDER_MODIFY;
      risk_order.spec = c->spec;
      risk_order.side = o->side;
      risk_order.qty = qty > 0 ? qty : o->qty;
      risk_order.has_price = o->type != EA_ORDER_TYPE_MARKET;
      risk_order.price = o->type == EA_ORDER_TYPE_STOP ? (stop_price ? stop_price : o->stop_price)
                                                       : (limit_price ? limit_price : o->limit_price);

      if (!ea_risk_engine_check (self->risk, a->risk_index, &risk_order, _ea_desk_now (self), decision))
        {
          g_autofree char *text = ea_risk_decision_format (decision);

          g_task_return_new_error (task, EA_DESK_ERROR, EA_DESK_ERROR_DENIED, "%s", text);
          g_object_unref (task);
          return;
        }
    }

  _ea_desk_audit (self, EA_ACTOR_USER, "order.modify", o->client_order_id, NULL);
  ea_broker_modify_order_async (o->broker, o->broker_order_id, qty, limit_price, stop_price,
                                cancellable, boolean_cb, task);
}

gboolean
ea_desk_modify_order_finish (EaDesk          *self,
                             GAsyncResult    *result,
                             EaRiskDecision  *decision,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (decision != NULL)
    *decision = *(EaRiskDecision *) g_task_get_task_data (G_TASK (result));

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  guint   outstanding;
  GError *error;
} FlattenData;

static void
flatten_data_free (FlattenData *data)
{
  g_clear_error (&data->error);
  g_free (data);
}

static void
flatten_one_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  FlattenData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ea_broker_flatten_finish (EA_BROKER (object), result, &error))
    {
      if (data->error == NULL)
        data->error = error;
      else
        g_error_free (error);
    }

  if (--data->outstanding > 0)
    return;

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * ea_desk_flatten_async:
 *
 * Exits are always allowed: no risk check, no journal requirement.
 */
void
ea_desk_flatten_async (EaDesk              *self,
                       const char          *account,
                       const char          *symbol,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;
  FlattenData *data;

  g_return_if_fail (EA_IS_DESK (self));

  task = g_task_new (self, cancellable, callback, user_data);
  data = g_new0 (FlattenData, 1);
  data->outstanding = 1;
  g_task_set_task_data (task, data, (GDestroyNotify) flatten_data_free);

  {
    g_autofree char *details = g_strdup_printf ("{\"symbol\":\"%s\"}", symbol ? symbol : "*");
    _ea_desk_audit (self, EA_ACTOR_USER, "order.flatten", account ? account : "all", details);
  }

  if (account != NULL)
    {
      EaBroker *broker = _ea_desk_broker_for (self, account);

      if (broker == NULL)
        {
          g_task_return_new_error (task, EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_ACCOUNT,
                                   _("No account %s"), account);
          g_object_unref (task);
          return;
        }

      data->outstanding++;
      ea_broker_flatten_async (broker, account, symbol, cancellable, flatten_one_cb, task);
    }
  else
    {
      for (guint i = 0; i < self->brokers->len; i++)
        {
          data->outstanding++;
          ea_broker_flatten_async (g_ptr_array_index (self->brokers, i), NULL, symbol, cancellable,
                                   flatten_one_cb, task);
        }
    }

  /* Our own step, so no broker at all still completes. */
  if (--data->outstanding == 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

gboolean
ea_desk_flatten_finish (EaDesk        *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
