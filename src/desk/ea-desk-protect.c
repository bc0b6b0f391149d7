/* ea-desk-protect.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Protecting an open position: a stop and a target for the whole
 * position that cancel each other (one OCO pair of exit orders), checked,
 * journaled and audited like any order, sent through the broker's OCO
 * instruction.
 */
#define G_LOG_DOMAIN "ea-desk"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ea-desk-private.h"

typedef struct
{
  char           *account;
  char           *symbol;
  EaActor         actor;
  EaSide          side;        /* of the exits */
  gint64          qty;
  EaTicks         stop;
  EaTicks         target;
  EaRiskDecision  decision;
  EaBroker       *broker;      /* not owned */
  char           *ids[2];      /* client order ids: stop, target */
  guint           n_ids;
  DeskOrder      *orders[2];   /* owned by self->orders once created */
  guint           journal_pending;
} ProtectData;

static void
protect_data_free (ProtectData *data)
{
  g_free (data->account);
  g_free (data->symbol);
  g_free (data->ids[0]);
  g_free (data->ids[1]);
  g_free (data);
}

static void
audit (EaDesk      *self,
       ProtectData *data,
       const char  *kind,
       const char  *outcome)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *details = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "account");
  json_builder_add_string_value (b, data->account);
  json_builder_set_member_name (b, "symbol");
  json_builder_add_string_value (b, data->symbol);
  json_builder_set_member_name (b, "qty");
  json_builder_add_int_value (b, data->qty);
  json_builder_set_member_name (b, "stop");
  json_builder_add_int_value (b, data->stop);
  json_builder_set_member_name (b, "target");
  json_builder_add_int_value (b, data->target);
  if (data->ids[0] != NULL && data->ids[1] != NULL)
    {
      json_builder_set_member_name (b, "stop_order");
      json_builder_add_string_value (b, data->ids[0]);
      json_builder_set_member_name (b, "target_order");
      json_builder_add_string_value (b, data->ids[1]);
    }
  if (outcome != NULL)
    {
      json_builder_set_member_name (b, "outcome");
      json_builder_add_string_value (b, outcome);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  details = json_to_string (root, FALSE);
  _ea_desk_audit (self, data->actor, kind, data->ids[0] ? data->ids[0] : data->account, details);
}

static void
fail (GTask  *task,
      GError *error)
{
  EaDesk *self = g_task_get_source_object (task);
  ProtectData *data = g_task_get_task_data (task);

  audit (self, data, "order.protect-refused", error->message);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
oco_placed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaDesk *self = g_task_get_source_object (task);
  ProtectData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *second_id = NULL;
  g_autofree char *first_id = ea_broker_place_oco_finish (EA_BROKER (object), result, &second_id, &error);
  const char *broker_ids[2] = { first_id, second_id };

  if (first_id == NULL)
    {
      gboolean unknown = g_error_matches (error, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME);

      for (guint i = 0; i < 2; i++)
        {
          DeskOrder *o = data->orders[i];

          if (unknown)
            o->state = EA_ORDER_STATE_UNKNOWN;
          else if (o->state == EA_ORDER_STATE_PENDING_NEW)
            o->state = EA_ORDER_STATE_REJECTED;
          _ea_desk_journal_order (self, o, data->actor, error->message);
          _ea_desk_sync_working (self, o);
        }
      if (unknown)
        {
          /* They may exist: settled by a snapshot, never resent. */
          _ea_desk_alert (self, "system_status", 2, _("Order outcome unknown"), error->message);
          _ea_desk_reconcile (self, data->broker);
        }
      audit (self, data, "order.protect-failed", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < 2; i++)
    {
      DeskOrder *o = data->orders[i];

      if (o->broker_order_id == NULL && broker_ids[i] != NULL)
        {
          o->broker_order_id = g_strdup (broker_ids[i]);
          _ea_desk_index_order (self, o);
        }
    }

  g_task_return_pointer (task, g_strdup (data->ids[0]), g_free);
}

static void
send_pair (GTask *task)
{
  ProtectData *data = g_task_get_task_data (task);
  g_autoptr(EaOrderRequest) stop = NULL;
  g_autoptr(EaOrderRequest) target = NULL;

  stop = ea_order_request_new (data->account, data->symbol, data->ids[0], data->side, EA_ORDER_TYPE_STOP,
                               data->qty);
  stop->tif = EA_TIME_IN_FORCE_GTC;
  stop->stop_price = data->stop;
  stop->actor = data->actor;
  target = ea_order_request_new (data->account, data->symbol, data->ids[1], data->side, EA_ORDER_TYPE_LIMIT,
                                 data->qty);
  target->tif = EA_TIME_IN_FORCE_GTC;
  target->limit_price = data->target;
  target->actor = data->actor;

  ea_broker_place_oco_async (data->broker, stop, target, g_task_get_cancellable (task), oco_placed_cb, task);
}

static void
recorded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  ProtectData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* Exits go out even when the journal cannot keep up. */
  if (ea_journal_record_order_finish (EA_JOURNAL (object), result, &error) < 0)
    g_message ("Could not journal a protective order: %s", error->message);
  if (--data->journal_pending == 0)
    send_pair (task);
}

static void
create_orders (GTask *task)
{
  EaDesk *self = g_task_get_source_object (task);
  ProtectData *data = g_task_get_task_data (task);

  for (guint i = 0; i < 2; i++)
    {
      DeskOrder *o = g_new0 (DeskOrder, 1);

      o->client_order_id = g_strdup (data->ids[i]);
      o->account = g_strdup (data->account);
      o->symbol = g_strdup (data->symbol);
      o->broker = data->broker;
      o->state = EA_ORDER_STATE_PENDING_NEW;
      o->side = data->side;
      o->type = i == 0 ? EA_ORDER_TYPE_STOP : EA_ORDER_TYPE_LIMIT;
      o->qty = data->qty;
      o->stop_price = i == 0 ? data->stop : 0;
      o->limit_price = i == 0 ? 0 : data->target;
      o->oco_follower = i == 1;
      g_hash_table_insert (self->orders, g_strdup (o->client_order_id), o);
      data->orders[i] = o;
      _ea_desk_sync_working (self, o);
    }
  audit (self, data, "order.protect", NULL);

  /* Journaled before they are sent, so a restart can reconcile them. */
  if (self->journal != NULL)
    {
      data->journal_pending = 2;
      for (guint i = 0; i < 2; i++)
        {
          EaJournalOrder jo = { 0 };

          _ea_desk_fill_journal_order (self, data->orders[i], &jo, NULL);
          ea_journal_record_order_async (self->journal, &jo, data->actor, NULL, recorded_cb, task);
        }
      return;
    }

  send_pair (task);
}

static void next_client_id (GTask *task);

static void
client_id_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  EaDesk *self = g_task_get_source_object (task);
  ProtectData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gint64 id = ea_journal_next_client_order_id_finish (EA_JOURNAL (object), result, &error);

  /* An exit goes out even when the journal cannot keep up. */
  if (id < 0)
    id = (gint64) ++self->next_local_id;
  data->ids[data->n_ids++] = g_strdup_printf ("EA-%" G_GINT64_FORMAT, id);
  next_client_id (task);
}

static void
next_client_id (GTask *task)
{
  EaDesk *self = g_task_get_source_object (task);
  ProtectData *data = g_task_get_task_data (task);

  if (data->n_ids == 2)
    {
      create_orders (task);
      return;
    }
  if (self->journal != NULL)
    {
      ea_journal_next_client_order_id_async (self->journal, NULL, client_id_cb, task);
      return;
    }
  data->ids[data->n_ids++] = g_strdup_printf ("EA-%" G_GUINT64_FORMAT, ++self->next_local_id);
  next_client_id (task);
}

/* The market a stop and a target are compared with: the last trade,
 * else the touch the exits would trade against. */
static EaTicks
market_price (DeskContract *c,
              EaSide        exit_side)
{
  if (c->last > 0)
    return c->last;
  return exit_side == EA_SIDE_SELL ? c->bid : c->ask;
}

/* Live orders of @account in @symbol on @side (bracket children waiting
 * for their entry included: they become exits when it fills). */
static gint64
exits_working (EaDesk     *self,
               const char *account,
               const char *symbol,
               EaSide      side)
{
  GHashTableIter iter;
  DeskOrder *o;
  gint64 qty = 0;

  g_hash_table_iter_init (&iter, self->orders);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &o))
    if (g_strcmp0 (o->account, account) == 0 && g_strcmp0 (o->symbol, symbol) == 0 &&
        o->side == side && ea_order_state_is_live (o->state) && !o->oco_follower)
      qty += o->qty - o->filled;
  return qty;
}

static gboolean
deny (GTask          *task,
      EaRiskReason    reason,
      const char     *message)
{
  ProtectData *data = g_task_get_task_data (task);

  data->decision.allowed = FALSE;
  data->decision.reason = reason;
  fail (task, g_error_new_literal (EA_DESK_ERROR, EA_DESK_ERROR_DENIED, message));
  return FALSE;
}

/* Every check before anything is journaled; consumes @task on refusal. */
static gboolean
check (EaDesk *self,
       GTask  *task)
{
  ProtectData *data = g_task_get_task_data (task);
  DeskAccount *a = _ea_desk_account (self, data->account);
  DeskPosition *p = a != NULL ? g_hash_table_lookup (a->positions, data->symbol) : NULL;
  DeskContract *c;
  EaDeskOrder order = { 0 };
  EaRiskOrder risk_order;
  GError *error = NULL;
  EaTicks market;
  gint64 dir, already;

  if (a == NULL)
    {
      fail (task, g_error_new (EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_ACCOUNT, _("No account %s"), data->account));
      return FALSE;
    }
  if (p == NULL || p->qty == 0)
    {
      fail (task, g_error_new (EA_DESK_ERROR, EA_DESK_ERROR_NO_POSITION,
                               _("%s has no position in %s to protect"), a->name, data->symbol));
      return FALSE;
    }

  /* Exits of the whole position, the other way. */
  data->qty = ABS (p->qty);
  data->side = p->qty > 0 ? EA_SIDE_SELL : EA_SIDE_BUY;
  dir = p->qty > 0 ? 1 : -1;

  order.account = data->account;
  order.symbol = data->symbol;
  order.side = data->side;
  order.type = EA_ORDER_TYPE_STOP;
  order.tif = EA_TIME_IN_FORCE_GTC;
  order.qty = data->qty;
  order.stop_price = data->stop;
  if (!_ea_desk_prepare_check (self, &order, &a, &risk_order, &data->decision, &error))
    {
      fail (task, error);
      return FALSE;
    }

  c = _ea_desk_contract (self, data->symbol);
  market = market_price (c, data->side);
  if (data->stop <= 0 || data->target <= 0)
    return deny (task, EA_RISK_BAD_ORDER, _("The stop and the target need prices above zero"));
  if (market <= 0)
    return deny (task, EA_RISK_BAD_ORDER,
                 _("There is no price for this instrument yet, so the stop and target cannot be checked"));
  if ((data->stop - market) * dir >= 0)
    return deny (task, EA_RISK_BAD_STOP,
                 p->qty > 0 ? _("The stop of a long position must be below the market")
                            : _("The stop of a short position must be above the market"));
  if ((data->target - market) * dir <= 0)
    return deny (task, EA_RISK_BAD_ORDER,
                 p->qty > 0 ? _("The target of a long position must be above the market")
                            : _("The target of a short position must be below the market"));

  /* Exits already working for the position: with this pair they would
   * close more than the position and open one the other way. */
  already = exits_working (self, a->name, data->symbol, data->side);
  if (already > 0)
    {
      g_autofree char *text = g_strdup_printf (_("%s already has exit orders for %" G_GINT64_FORMAT
                                                 " contracts in %s: with a stop and a target for the "
                                                 "whole position they could open a position the other "
                                                 "way. Cancel them first."),
                                               a->name, already, data->symbol);

      return deny (task, EA_RISK_BAD_ORDER, text);
    }

  if (!ea_risk_engine_check (self->risk, a->risk_index, &risk_order, _ea_desk_now (self), &data->decision))
    {
      g_autofree char *text = ea_risk_decision_format (&data->decision);

      _ea_desk_risk_event (self, a, EA_JOURNAL_RISK_DENIAL, ea_risk_reason_to_string (data->decision.reason),
                           NULL, data->actor);
      fail (task, g_error_new_literal (EA_DESK_ERROR, EA_DESK_ERROR_DENIED, text));
      return FALSE;
    }

  data->broker = _ea_desk_broker_for (self, a->name);
  if (data->broker == NULL)
    {
      fail (task, g_error_new (EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_ACCOUNT, _("No broker carries %s"), a->name));
      return FALSE;
    }
  if (!ea_broker_can_place_oco (data->broker))
    {
      fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_SUPPORTED,
                               _("Protecting a position with a stop and a target that cancel each other "
                                 "is not supported by this broker (%s)"),
                               ea_broker_get_name (data->broker)));
      return FALSE;
    }
  return TRUE;
}

void
ea_desk_protect_position_async (EaDesk              *self,
                                const char          *account,
                                const char          *symbol,
                                EaTicks              stop_price,
                                EaTicks              target_price,
                                EaActor              actor,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  ProtectData *data;

  g_return_if_fail (EA_IS_DESK (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ea_desk_protect_position_async);
  data = g_new0 (ProtectData, 1);
  data->account = g_strdup (account ? account : "");
  data->symbol = g_strdup (symbol ? symbol : "");
  data->actor = actor;
  data->stop = stop_price;
  data->target = target_price;
  g_task_set_task_data (task, data, (GDestroyNotify) protect_data_free);

  if (!check (self, task))
    return;
  next_client_id (task);
}

char *
ea_desk_protect_position_finish (EaDesk          *self,
                                 GAsyncResult    *result,
                                 char           **target_id,
                                 EaRiskDecision  *decision,
                                 GError         **error)
{
  ProtectData *data;
  char *id;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (decision != NULL && data != NULL)
    *decision = data->decision;
  id = g_task_propagate_pointer (G_TASK (result), error);
  if (target_id != NULL)
    *target_id = id != NULL ? g_strdup (data->ids[1]) : NULL;
  return id;
}
