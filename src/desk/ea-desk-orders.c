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
  g_free (o->parent_order_id);
  g_clear_object (&o->signal);
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

/* The risk engine's view of orders ------------------------------------------ */

/* An order that will or may still fill. A bracket child waiting for its
 * entry (SUSPENDED) is not working yet. */
static gboolean
order_is_working (const DeskOrder *o)
{
  switch (o->state)
    {
    case EA_ORDER_STATE_PENDING_NEW:
    case EA_ORDER_STATE_WORKING:
    case EA_ORDER_STATE_PARTIALLY_FILLED:
    case EA_ORDER_STATE_PENDING_CANCEL:
    case EA_ORDER_STATE_PENDING_REPLACE:
    case EA_ORDER_STATE_UNKNOWN:
      return TRUE;
    case EA_ORDER_STATE_SUSPENDED:
    case EA_ORDER_STATE_FILLED:
    case EA_ORDER_STATE_CANCELLED:
    case EA_ORDER_STATE_REJECTED:
    case EA_ORDER_STATE_EXPIRED:
    default:
      return FALSE;
    }
}

static gboolean
is_stop_type (EaOrderType type)
{
  return type == EA_ORDER_TYPE_STOP || type == EA_ORDER_TYPE_STOP_LIMIT;
}

/* The bracket child of @entry of the given kind (stop or target) that
 * the broker reports, if any. */
static DeskOrder *
bracket_child (EaDesk    *self,
               DeskOrder *entry,
               gboolean   stop)
{
  GHashTableIter iter;
  DeskOrder *o;

  if (entry->broker_order_id == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, self->orders);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &o))
    if (o->broker == entry->broker && o->parent_order_id != NULL &&
        strcmp (o->parent_order_id, entry->broker_order_id) == 0 &&
        !ea_order_state_is_terminal (o->state) && is_stop_type (o->type) == stop)
      return o;
  return NULL;
}

/* The stop loss that protects @entry once it fills. */
static gboolean
bracket_stop (EaDesk    *self,
              DeskOrder *entry,
              EaTicks   *stop)
{
  DeskOrder *child = bracket_child (self, entry, TRUE);

  if (child != NULL && child->stop_price > 0)
    {
      *stop = child->stop_price;
      return TRUE;
    }
  *stop = entry->stop_loss;
  return entry->has_stop_loss;
}

static gboolean
bracket_target (EaDesk    *self,
                DeskOrder *entry,
                EaTicks   *target)
{
  DeskOrder *child = bracket_child (self, entry, FALSE);

  if (child != NULL && child->limit_price > 0)
    {
      *target = child->limit_price;
      return TRUE;
    }
  *target = entry->take_profit;
  return entry->has_take_profit;
}

static DeskOrder *
parent_of (EaDesk    *self,
           DeskOrder *child)
{
  g_autofree char *key = NULL;

  if (child->parent_order_id == NULL)
    return NULL;
  key = broker_key (child->broker, child->parent_order_id);
  return g_hash_table_lookup (self->broker_orders, key);
}

/* Where @o would enter: its limit, its stop trigger, or (market) the
 * last price at check time. */
static void
order_entry_price (DeskOrder   *o,
                   EaRiskOrder *ro)
{
  switch (o->type)
    {
    case EA_ORDER_TYPE_LIMIT:
    case EA_ORDER_TYPE_STOP_LIMIT:
      ro->has_price = o->limit_price > 0;
      ro->price = o->limit_price;
      break;
    case EA_ORDER_TYPE_STOP:
      ro->has_price = o->stop_price > 0;
      ro->price = o->stop_price;
      break;
    case EA_ORDER_TYPE_MARKET:
    default:
      ro->has_price = FALSE;
      break;
    }
}

/* Feeds the engine @o's unfilled part while it works, and forgets it
 * once it is done. Bracket children are not entries: their entry carries
 * their stop. */
static void
sync_working (EaDesk    *self,
              DeskOrder *o)
{
  DeskAccount *a = _ea_desk_account (self, o->account);
  DeskContract *c = o->symbol ? _ea_desk_contract (self, o->symbol) : NULL;
  EaRiskOrder ro = { 0 };

  if (a == NULL || a->risk_index < 0 || o->client_order_id == NULL)
    return;

  ro.order_id = o->client_order_id;
  ro.spec = c ? c->spec : NULL;
  ro.side = o->side;
  if (c != NULL && o->parent_order_id == NULL && !o->oco_follower && order_is_working (o))
    {
      ro.qty = o->qty - o->filled;
      order_entry_price (o, &ro);
      ro.has_stop = bracket_stop (self, o, &ro.stop);
    }
  if (!ea_risk_engine_set_working_order (self->risk, a->risk_index, &ro))
    g_message ("%s has more working orders than the risk check follows; %s is not counted",
               a->name, o->client_order_id);
}

/* The protective stop of @account's position in @symbol: the loosest
 * working stop order on the other side. */
static DeskOrder *
protective_stop (EaDesk      *self,
                 DeskAccount *account,
                 const char  *symbol,
                 gint64       qty)
{
  GHashTableIter iter;
  DeskOrder *o, *best = NULL;

  if (qty == 0)
    return NULL;
  g_hash_table_iter_init (&iter, self->orders);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &o))
    {
      if (!is_stop_type (o->type) || o->stop_price <= 0 || !ea_order_state_is_live (o->state) ||
          (gint64) o->side * qty > 0 || g_strcmp0 (o->account, account->name) != 0 ||
          g_strcmp0 (o->symbol, symbol) != 0)
        continue;
      if (best == NULL || (qty > 0 ? o->stop_price < best->stop_price : o->stop_price > best->stop_price))
        best = o;
    }
  return best;
}

void
_ea_desk_risk_sync_position (EaDesk      *self,
                             DeskAccount *account,
                             const char  *symbol)
{
  DeskContract *c = _ea_desk_contract (self, symbol);
  DeskPosition *p = g_hash_table_lookup (account->positions, symbol);
  DeskOrder *stop;

  if (c == NULL || account->risk_index < 0)
    return;
  if (p == NULL || p->qty == 0)
    {
      ea_risk_engine_set_position (self->risk, account->risk_index, c->spec, 0, 0, FALSE, 0);
      return;
    }
  stop = protective_stop (self, account, symbol, p->qty);
  ea_risk_engine_set_position (self->risk, account->risk_index, c->spec, p->qty, p->avg_price,
                               stop != NULL, stop ? stop->stop_price : 0);
}

/* Everything again, after the engine was replaced or an account joined. */
void
_ea_desk_risk_resync (EaDesk *self)
{
  GHashTableIter iter;
  DeskAccount *a;
  DeskOrder *o;

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    {
      GHashTableIter pi;
      DeskPosition *p;

      if (a->risk_index < 0)
        continue;
      ea_risk_engine_clear_working_orders (self->risk, a->risk_index);
      g_hash_table_iter_init (&pi, a->positions);
      while (g_hash_table_iter_next (&pi, NULL, (gpointer *) &p))
        _ea_desk_risk_sync_position (self, a, p->symbol);
    }
  g_hash_table_iter_init (&iter, self->orders);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &o))
    sync_working (self, o);
}

/* After a change of @o: its own entry, its entry's stop (a child), and
 * the position's protective stop (a stop order). */
static void
order_changed (EaDesk    *self,
               DeskOrder *o)
{
  DeskOrder *parent = parent_of (self, o);
  DeskAccount *a = _ea_desk_account (self, o->account);

  sync_working (self, o);
  if (parent != NULL)
    sync_working (self, parent);
  if (a != NULL && o->symbol != NULL && is_stop_type (o->type))
    _ea_desk_risk_sync_position (self, a, o->symbol);
}

/* Protective stops follow the floor ---------------------------------------- */

typedef struct
{
  EaDesk *desk;
  char   *client_order_id;
  EaTicks stop;
} TightenData;

static void
tightened_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TightenData *data = user_data;
  g_autoptr(GError) error = NULL;
  DeskOrder *o = g_hash_table_lookup (data->desk->orders, data->client_order_id);

  if (!ea_broker_modify_order_finish (EA_BROKER (object), result, &error))
    g_message ("Could not move the stop of %s to %" G_GINT64_FORMAT ": %s",
               data->client_order_id, data->stop, error->message);
  if (o != NULL)
    o->tightening = FALSE;
  g_object_unref (data->desk);
  g_free (data->client_order_id);
  g_free (data);
}

/* Under a trailing floor a stop that never moves stops protecting as the
 * floor rises: every working protective stop looser than the engine's
 * advice moves up to it through the broker. A stop with no room left is
 * not moved to the market: the breach itself stops the account. */
void
_ea_desk_tighten_stops (EaDesk      *self,
                        DeskAccount *account)
{
  EaRiskStopAdvice advice[EA_RISK_MAX_POSITIONS];
  guint n;

  if (account->risk_index < 0)
    return;
  n = ea_risk_engine_protective_stops (self->risk, account->risk_index, advice, G_N_ELEMENTS (advice));
  for (guint i = 0; i < n; i++)
    {
      GHashTableIter iter;
      DeskOrder *o;

      if (!advice[i].tighter || advice[i].exit_now)
        continue;
      g_hash_table_iter_init (&iter, self->orders);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &o))
        {
          DeskContract *c;
          TightenData *data;
          g_autofree char *details = NULL;

          if (!is_stop_type (o->type) || o->tightening || o->broker == NULL || o->broker_order_id == NULL ||
              (o->state != EA_ORDER_STATE_WORKING && o->state != EA_ORDER_STATE_PARTIALLY_FILLED) ||
              (gint64) o->side * advice[i].qty > 0 || g_strcmp0 (o->account, account->name) != 0)
            continue;
          c = _ea_desk_contract (self, o->symbol);
          if (c == NULL || c->spec != advice[i].spec ||
              (advice[i].qty > 0 ? o->stop_price >= advice[i].stop : o->stop_price <= advice[i].stop))
            continue;
          /* The last trade can lag the book (a fill between two trades):
           * a stop at or through the bid (ask) would fill at once, which is
           * an exit the advice did not ask for. */
          if (c->bid > 0 && c->ask > c->bid &&
              (advice[i].qty > 0 ? advice[i].stop >= c->bid : advice[i].stop <= c->ask))
            continue;

          details = g_strdup_printf ("{\"account\":\"%s\",\"symbol\":\"%s\",\"from\":%" G_GINT64_FORMAT
                                     ",\"to\":%" G_GINT64_FORMAT "}",
                                     account->name, o->symbol, o->stop_price, advice[i].stop);
          _ea_desk_audit (self, EA_ACTOR_AUTOMATIC, "order.tighten-stop", o->client_order_id, details);
          data = g_new0 (TightenData, 1);
          data->desk = g_object_ref (self);
          data->client_order_id = g_strdup (o->client_order_id);
          data->stop = advice[i].stop;
          o->tightening = TRUE;
          ea_broker_modify_order_async (o->broker, o->broker_order_id, 0, 0, advice[i].stop,
                                        EA_ACTOR_AUTOMATIC, NULL, tightened_cb, data);
        }
    }
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

/* A stop and a target of a position that cancel each other (Protect…, or
 * an OCO pair placed at the broker or before a restart): the target is
 * the follower, left out of the risk check, as only one of them fills. */
static void
adopt_oco_pair (EaDesk            *self,
                EaBroker          *broker,
                DeskOrder         *o,
                const EaOrderData *data)
{
  g_autofree char *key = NULL;
  DeskOrder *peer, *follower = NULL;

  if (data->oco_order_id == NULL || o->parent_order_id != NULL)
    return;
  key = broker_key (broker, data->oco_order_id);
  peer = g_hash_table_lookup (self->broker_orders, key);
  if (peer == NULL || peer->parent_order_id != NULL || peer->side != o->side)
    return;
  if (is_stop_type (o->type) && !is_stop_type (peer->type))
    follower = peer;
  else if (!is_stop_type (o->type) && is_stop_type (peer->type))
    follower = o;
  if (follower != NULL && !follower->oco_follower)
    {
      follower->oco_follower = TRUE;
      sync_working (self, follower);
    }
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
      o->parent_order_id = g_strdup (data->parent_order_id);
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
  if (o->parent_order_id == NULL && data->parent_order_id != NULL)
    o->parent_order_id = g_strdup (data->parent_order_id);
  adopt_oco_pair (self, broker, o, data);

  if (o->state == state)
    {
      order_changed (self, o);
      return;
    }

  /* Live updates with an impossible move were refused before this
   * (_ea_desk_order_check_update); a snapshot is the broker's truth. */
  o->state = state;
  order_changed (self, o);
  _ea_desk_journal_order (self, o, EA_ACTOR_AUTOMATIC, data->reason);
}

void
_ea_desk_sync_working (EaDesk    *self,
                       DeskOrder *order)
{
  sync_working (self, order);
}

void
_ea_desk_fill_journal_order (EaDesk         *self,
                             DeskOrder      *order,
                             EaJournalOrder *journal_order,
                             const char     *reason)
{
  fill_journal_order (self, order, journal_order, reason);
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

gboolean
_ea_desk_prepare_check (EaDesk            *self,
                        const EaDeskOrder *order,
                        DeskAccount      **account,
                        EaRiskOrder       *risk_order,
                        EaRiskDecision    *decision,
                        GError           **error)
{
  return prepare_check (self, order, account, risk_order, decision, error);
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
  gboolean        reversal;    /* a reversal: working orders cancelled first */
  gboolean        cancelled;
  gboolean        reverse;     /* through the broker's reversal, for reverse_qty */
  gint64          reverse_qty;
  char           *pending_key; /* the engine's key until the order has its id */
  gint            risk_index;
} PlaceData;

/* Between the check and the order's creation the journal hands out its
 * id: the engine already counts it, so a second order checked meanwhile
 * sees the first. */
static void
forget_pending (EaDesk    *self,
                PlaceData *data)
{
  EaRiskOrder ro = { 0 };

  if (data->pending_key == NULL)
    return;
  ro.order_id = data->pending_key;
  if (data->risk_index >= 0 && (guint) data->risk_index < ea_risk_engine_get_n_accounts (self->risk))
    ea_risk_engine_set_working_order (self->risk, data->risk_index, &ro);
  g_clear_pointer (&data->pending_key, g_free);
}

static void
place_data_free (PlaceData *data)
{
  g_free (data->pending_key);
  g_free (data->account);
  g_free (data->symbol);
  g_clear_object (&data->order.signal);
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
  g_autofree char *broker_id = data->reverse
                               ? ea_broker_reverse_position_finish (EA_BROKER (object), result, &error)
                               : ea_broker_place_order_finish (EA_BROKER (object), result, &error);

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
      sync_working (self, o);

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

static void send_order (GTask *task);

/* A reversal cancels the position's working orders before it sends: its
 * check must not count them. Hidden from the risk engine (@hide) or put
 * back as they are. */
static void
reversal_working_orders (EaDesk      *self,
                         const char  *account,
                         const char  *symbol,
                         gboolean     hide)
{
  DeskAccount *a = _ea_desk_account (self, account);
  GHashTableIter iter;
  DeskOrder *o;

  if (a == NULL || a->risk_index < 0)
    return;
  g_hash_table_iter_init (&iter, self->orders);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &o))
    {
      EaRiskOrder ro = { 0 };

      if (g_strcmp0 (o->account, account) != 0 || g_strcmp0 (o->symbol, symbol) != 0 ||
          o->client_order_id == NULL || !ea_order_state_is_live (o->state))
        continue;
      if (!hide)
        {
          sync_working (self, o);
          continue;
        }
      ro.order_id = o->client_order_id;
      ea_risk_engine_set_working_order (self->risk, a->risk_index, &ro);
    }
}

static void
reversal_cancelled_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  EaDesk *self = g_task_get_source_object (task);
  PlaceData *data = g_task_get_task_data (task);
  DeskOrder *o = data->desk_order;
  g_autoptr(GError) error = NULL;

  if (!ea_broker_cancel_all_finish (EA_BROKER (object), result, &error))
    {
      /* A stop or target left working would act on the reversed
       * position: nothing is reversed. */
      g_autofree char *why = g_strdup_printf (_("The working orders of %s in %s could not be cancelled, "
                                                "so the position was not reversed: %s"),
                                              o->account, o->symbol, error->message);

      o->state = EA_ORDER_STATE_REJECTED;
      _ea_desk_journal_order (self, o, data->actor, why);
      reversal_working_orders (self, o->account, o->symbol, FALSE);
      g_task_return_new_error (task, EA_BROKER_ERROR, error->code, "%s", why);
      g_object_unref (task);
      return;
    }
  data->cancelled = TRUE;
  send_order (task);
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
      sync_working (self, o);
      _ea_desk_journal_order (self, o, data->actor, _("Trading halted before it was sent"));
      data->decision.allowed = FALSE;
      data->decision.reason = EA_RISK_HALTED;
      g_task_return_new_error (task, EA_DESK_ERROR, EA_DESK_ERROR_DENIED,
                               _("Trading is halted: the order was not sent"));
      g_object_unref (task);
      return;
    }

  if (data->reversal && !data->cancelled)
    {
      /* The old position's stop and target go first. */
      ea_broker_cancel_all_async (o->broker, o->account, o->symbol, g_task_get_cancellable (task),
                                  reversal_cancelled_cb, task);
      return;
    }

  if (data->reverse)
    {
      /* The broker closes the position and opens its size the other way. */
      request = ea_order_request_new (o->account, o->symbol, o->client_order_id, o->side, EA_ORDER_TYPE_MARKET,
                                      data->reverse_qty);
      request->tif = data->order.tif;
      ea_broker_reverse_position_async (o->broker, request, g_task_get_cancellable (task), broker_placed_cb, task);
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
  request->actor = data->actor;

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
      sync_working (g_task_get_source_object (task), data->desk_order);
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
  /* A broker's reversal reports the opening order alone. */
  o->qty = data->reverse ? data->reverse_qty : data->order.qty;
  o->limit_price = data->order.limit_price;
  o->stop_price = data->order.stop_price;
  o->has_stop_loss = data->order.has_stop_loss;
  o->stop_loss = data->order.stop_loss;
  o->has_take_profit = data->order.has_take_profit;
  o->take_profit = data->order.take_profit;
  o->signal = data->order.signal ? g_object_ref (data->order.signal) : NULL;
  g_hash_table_insert (self->orders, g_strdup (o->client_order_id), o);
  data->desk_order = o;
  forget_pending (self, data);
  sync_working (self, o);

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
          forget_pending (EA_DESK (g_task_get_source_object (task)), data);
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

static PlaceData *
place_data_new (GTask             *task,
                const EaDeskOrder *order,
                EaActor            actor)
{
  PlaceData *data = g_new0 (PlaceData, 1);

  data->order = *order;
  data->account = g_strdup (order->account);
  data->symbol = g_strdup (order->symbol);
  data->order.account = data->account;
  data->order.symbol = data->symbol;
  data->order.signal = order->signal ? g_object_ref (order->signal) : NULL;
  data->actor = actor;
  data->risk_index = -1;
  g_task_set_task_data (task, data, (GDestroyNotify) place_data_free);
  return data;
}

/* The checks, the client order id, the journal and the broker call of
 * the order of @task's PlaceData; consumes @task. */
static void
place_checked (EaDesk *self,
               GTask  *task)
{
  PlaceData *data = g_task_get_task_data (task);
  const EaDeskOrder *order = &data->order;
  DeskAccount *a = NULL;
  EaRiskOrder risk_order;
  GError *error = NULL;
  EaActor actor = data->actor;

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

  data->pending_key = g_strdup_printf ("pending:%p", (gpointer) data);
  data->risk_index = a->risk_index;
  risk_order.order_id = data->pending_key;
  risk_order.qty = order->qty;
  if (!ea_risk_engine_set_working_order (self->risk, a->risk_index, &risk_order))
    g_clear_pointer (&data->pending_key, g_free);
  /* The signal's row comes before the order that acts on it. */
  if (order->signal != NULL)
    _ea_desk_journal_signal (self, order->signal);

  if (self->journal != NULL)
    ea_journal_next_client_order_id_async (self->journal, NULL, client_id_cb, task);
  else
    {
      g_autofree char *client_order_id = g_strdup_printf ("EA-%" G_GUINT64_FORMAT, ++self->next_local_id);
      create_order (task, client_order_id);
    }
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

  g_return_if_fail (EA_IS_DESK (self));
  g_return_if_fail (order != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ea_desk_place_order_async);
  place_data_new (task, order, actor);
  place_checked (self, task);
}

void
ea_desk_reverse_position_async (EaDesk              *self,
                                const char          *account,
                                const char          *symbol,
                                EaActor              actor,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  PlaceData *data;
  DeskAccount *a;
  DeskPosition *p;
  EaBroker *broker;
  EaDeskOrder order = { 0 };

  g_return_if_fail (EA_IS_DESK (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ea_desk_reverse_position_async);
  a = account != NULL ? _ea_desk_account (self, account) : NULL;
  p = a != NULL && symbol != NULL ? g_hash_table_lookup (a->positions, symbol) : NULL;

  order.account = account;
  order.symbol = symbol;
  order.type = EA_ORDER_TYPE_MARKET;
  order.tif = EA_TIME_IN_FORCE_DAY;
  if (p != NULL && p->qty != 0)
    {
      /* What a reversal is at worst: the close and the new position in
       * one market order. */
      order.side = p->qty > 0 ? EA_SIDE_SELL : EA_SIDE_BUY;
      order.qty = 2 * ABS (p->qty);
    }
  data = place_data_new (task, &order, actor);

  if (a == NULL)
    {
      g_task_return_new_error (task, EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_ACCOUNT,
                               _("No account %s"), account ? account : "");
      g_object_unref (task);
      return;
    }
  if (order.qty == 0)
    {
      g_task_return_new_error (task, EA_DESK_ERROR, EA_DESK_ERROR_NO_POSITION,
                               _("%s has no position in %s to reverse"), a->name, symbol ? symbol : "");
      g_object_unref (task);
      return;
    }

  broker = _ea_desk_broker_for (self, a->name);
  data->reversal = TRUE;
  data->reverse = broker != NULL && ea_broker_can_reverse_position (broker);
  data->reverse_qty = ABS (p->qty);
  reversal_working_orders (self, a->name, symbol, TRUE);
  g_object_ref (task);
  place_checked (self, task);
  /* Refused: the orders it would have cancelled count again. */
  if (g_task_had_error (task))
    reversal_working_orders (self, a->name, symbol, FALSE);
  g_object_unref (task);
}

char *
ea_desk_reverse_position_finish (EaDesk          *self,
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

/* The working order @client_order_id (a bracket child waiting for its
 * entry included), or NULL. */
static DeskOrder *
modifiable_order (EaDesk     *self,
                  const char *client_order_id)
{
  DeskOrder *o = client_order_id ? g_hash_table_lookup (self->orders, client_order_id) : NULL;

  if (o == NULL || o->broker_order_id == NULL || o->broker == NULL ||
      (!ea_order_state_is_live (o->state) && o->state != EA_ORDER_STATE_SUSPENDED))
    return NULL;
  return o;
}

/* The check of a change to @o: the changed order, with its real stop and
 * target, in place of its old self. Returns FALSE (and allows it) when
 * @o's account has no risk profile or @o's instrument is unknown. */
static gboolean
prepare_modify (EaDesk       *self,
                DeskOrder    *o,
                gint64        qty,
                EaTicks       limit_price,
                EaTicks       stop_price,
                DeskAccount **account_out,
                EaRiskOrder  *risk_order)
{
  DeskAccount *a = _ea_desk_account (self, o->account);
  DeskContract *c = _ea_desk_contract (self, o->symbol);
  DeskOrder *parent = parent_of (self, o);

  memset (risk_order, 0, sizeof *risk_order);
  if (a == NULL || c == NULL || a->risk_index < 0)
    return FALSE;

  risk_order->action = EA_RISK_ORDER_MODIFY;
  risk_order->spec = c->spec;
  if (parent != NULL && order_is_working (parent) && is_stop_type (o->type))
    {
      /* The stop loss of an entry still working: the entry is checked
       * with its new stop. */
      risk_order->order_id = parent->client_order_id;
      risk_order->side = parent->side;
      risk_order->qty = parent->qty - parent->filled;
      order_entry_price (parent, risk_order);
      risk_order->has_stop = TRUE;
      risk_order->stop = stop_price > 0 ? stop_price : o->stop_price;
      risk_order->has_target = bracket_target (self, parent, &risk_order->target);
    }
  else
    {
      DeskOrder changed = *o;

      if (qty > 0)
        changed.qty = qty;
      if (limit_price > 0)
        changed.limit_price = limit_price;
      if (stop_price > 0)
        changed.stop_price = stop_price;
      risk_order->order_id = o->client_order_id;
      risk_order->side = o->side;
      risk_order->qty = MAX (1, changed.qty - o->filled);
      order_entry_price (&changed, risk_order);
      risk_order->has_stop = bracket_stop (self, o, &risk_order->stop);
      risk_order->has_target = bracket_target (self, o, &risk_order->target);
    }
  *account_out = a;
  return TRUE;
}

gboolean
ea_desk_check_modify (EaDesk         *self,
                      const char     *client_order_id,
                      gint64          qty,
                      EaTicks         limit_price,
                      EaTicks         stop_price,
                      EaRiskDecision *decision)
{
  DeskOrder *o;
  DeskAccount *a = NULL;
  EaRiskOrder risk_order;

  g_return_val_if_fail (EA_IS_DESK (self), FALSE);
  g_return_val_if_fail (decision != NULL, FALSE);

  memset (decision, 0, sizeof *decision);
  o = modifiable_order (self, client_order_id);
  if (o == NULL)
    {
      decision->reason = EA_RISK_BAD_ORDER;
      return FALSE;
    }
  if (!prepare_modify (self, o, qty, limit_price, stop_price, &a, &risk_order))
    {
      decision->allowed = TRUE;
      return TRUE;
    }
  risk_order.flags = EA_RISK_ORDER_FLAG_DRY_RUN;
  return ea_risk_engine_check (self->risk, a->risk_index, &risk_order, _ea_desk_now (self), decision);
}

void
ea_desk_modify_order_async (EaDesk              *self,
                            const char          *client_order_id,
                            gint64               qty,
                            EaTicks              limit_price,
                            EaTicks              stop_price,
                            EaActor              actor,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  DeskOrder *o;
  DeskAccount *a = NULL;
  EaRiskOrder risk_order;
  EaRiskDecision *decision;

  g_return_if_fail (EA_IS_DESK (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ea_desk_modify_order_async);
  decision = g_new0 (EaRiskDecision, 1);
  g_task_set_task_data (task, decision, g_free);

  o = modifiable_order (self, client_order_id);
  if (o == NULL)
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
      _ea_desk_audit (self, actor, "order.modify-refused", o->client_order_id, NULL);
      g_task_return_new_error (task, EA_DESK_ERROR, EA_DESK_ERROR_DENIED,
                               _("Trading is halted: order %s was not changed"), o->client_order_id);
      g_object_unref (task);
      return;
    }

  /* A changed order is checked like a new one. */
  if (prepare_modify (self, o, qty, limit_price, stop_price, &a, &risk_order) &&
      !ea_risk_engine_check (self->risk, a->risk_index, &risk_order, _ea_desk_now (self), decision))
    {
      g_autofree char *text = ea_risk_decision_format (decision);

      g_task_return_new_error (task, EA_DESK_ERROR, EA_DESK_ERROR_DENIED, "%s", text);
      g_object_unref (task);
      return;
    }

  _ea_desk_audit (self, actor, "order.modify", o->client_order_id, NULL);
  ea_broker_modify_order_async (o->broker, o->broker_order_id, qty, limit_price, stop_price, actor,
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
