/* ea-tradovate-broker-entities.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tradovate entities into the cache and out as EaBroker signals: orders,
 * order versions, fills, positions, cash balances, accounts and their
 * risk status, from `props` events and `user/syncrequest` snapshots, and
 * the market data events.
 */
#define G_LOG_DOMAIN "ea-tradovate"

#include "config.h"

#include <math.h>

#include "ea-tradovate-broker-private.h"

static EaOrderState
state_from_status (const char *status)
{
  static const struct { const char *name; EaOrderState state; } map[] = {
    { "Working", EA_ORDER_STATE_WORKING },
    { "Filled", EA_ORDER_STATE_FILLED },
    { "Completed", EA_ORDER_STATE_FILLED },
    { "Canceled", EA_ORDER_STATE_CANCELLED },
    { "Rejected", EA_ORDER_STATE_REJECTED },
    { "Expired", EA_ORDER_STATE_EXPIRED },
    { "PendingNew", EA_ORDER_STATE_PENDING_NEW },
    { "PendingCancel", EA_ORDER_STATE_PENDING_CANCEL },
    { "PendingReplace", EA_ORDER_STATE_PENDING_REPLACE },
    { "Suspended", EA_ORDER_STATE_SUSPENDED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_strcmp0 (status, map[i].name) == 0)
      return map[i].state;

  return EA_ORDER_STATE_UNKNOWN;
}

static EaOrderType
type_from_string (const char *type)
{
  if (g_strcmp0 (type, "Limit") == 0)
    return EA_ORDER_TYPE_LIMIT;
  if (g_strcmp0 (type, "Stop") == 0)
    return EA_ORDER_TYPE_STOP;
  if (g_strcmp0 (type, "StopLimit") == 0)
    return EA_ORDER_TYPE_STOP_LIMIT;
  return EA_ORDER_TYPE_MARKET;
}

static void
emit_order (EaTradovateBroker *self,
            TvOrderInfo       *info)
{
  if (!info->have_order || !info->have_version)
    return;

  if (info->data.client_order_id == NULL)
    info->data.client_order_id = g_strdup_printf ("tv-%" G_GINT64_FORMAT, info->id);

  ea_broker_emit_order_updated (EA_BROKER (self), &info->data);
}

static gboolean
apply_order (EaTradovateBroker *self,
             JsonObject        *entity)
{
  gint64 id, account_id = 0, contract_id = 0, parent = 0, oco = 0;
  TvOrderInfo *info;
  TvAccountInfo *account;
  TvContractInfo *contract;
  EaOrderState state;
  gboolean changed;

  if (!ea_json_get_int (entity, "id", &id))
    return FALSE;

  info = _ea_tv_order_info (self, id);
  ea_json_get_int (entity, "accountId", &account_id);
  ea_json_get_int (entity, "contractId", &contract_id);
  state = state_from_status (ea_json_get_string (entity, "ordStatus"));
  changed = !info->have_order || info->data.state != state;

  info->have_order = TRUE;
  info->account_id = account_id;
  info->contract_id = contract_id;
  info->data.state = state;
  info->data.side = g_strcmp0 (ea_json_get_string (entity, "action"), "Sell") == 0 ? EA_SIDE_SELL : EA_SIDE_BUY;
  info->data.updated = _ea_tv_get_time (entity, "timestamp");
  if (info->data.created == 0)
    info->data.created = info->data.updated;
  if (state == EA_ORDER_STATE_FILLED)
    info->data.filled_qty = info->data.qty;

  account = g_hash_table_lookup (self->accounts, &account_id);
  contract = g_hash_table_lookup (self->contracts, &contract_id);
  _ea_tv_set_str (&info->data.account, account ? account->name : NULL);
  _ea_tv_set_str (&info->data.symbol, contract ? _ea_tv_desk_symbol (self, contract) : NULL);

  if (ea_json_get_int (entity, "parentId", &parent))
    {
      g_free (info->data.parent_order_id);
      info->data.parent_order_id = g_strdup_printf ("%" G_GINT64_FORMAT, parent);
    }
  if (ea_json_get_int (entity, "ocoId", &oco))
    {
      g_free (info->data.oco_order_id);
      info->data.oco_order_id = g_strdup_printf ("%" G_GINT64_FORMAT, oco);
    }

  return changed;
}

static gboolean
apply_version (EaTradovateBroker *self,
               JsonObject        *entity)
{
  gint64 order_id, qty = 0;
  double price;
  TvOrderInfo *info;
  const EaInstrumentSpec *spec;
  const char *cl_ord_id;
  gboolean changed;

  if (!ea_json_get_int (entity, "orderId", &order_id))
    return FALSE;

  info = _ea_tv_order_info (self, order_id);
  ea_json_get_int (entity, "orderQty", &qty);
  changed = !info->have_version || info->data.qty != qty;

  info->have_version = TRUE;
  info->data.qty = qty;
  info->data.type = type_from_string (ea_json_get_string (entity, "orderType"));
  if (info->data.state == EA_ORDER_STATE_FILLED)
    info->data.filled_qty = qty;

  spec = _ea_tv_order_spec (self, info);
  if (spec != NULL && ea_json_get_double (entity, "price", &price))
    {
      EaTicks ticks = ea_instrument_price_to_ticks (spec, price);

      changed |= ticks != info->data.limit_price;
      info->data.limit_price = ticks;
    }
  if (spec != NULL && ea_json_get_double (entity, "stopPrice", &price))
    {
      EaTicks ticks = ea_instrument_price_to_ticks (spec, price);

      changed |= ticks != info->data.stop_price;
      info->data.stop_price = ticks;
    }

  cl_ord_id = ea_json_get_string (entity, "clOrdId");
  if (cl_ord_id != NULL)
    _ea_tv_set_str (&info->data.client_order_id, cl_ord_id);

  return changed;
}

static void
apply_fill (EaTradovateBroker *self,
            JsonObject        *entity,
            gboolean           emit)
{
  gint64 id, order_id = 0, contract_id = 0, qty = 0;
  double price = 0;
  TvOrderInfo *info;
  TvContractInfo *contract;
  EaFillData fill = { 0 };
  g_autofree char *fill_id = NULL;
  g_autofree char *broker_order_id = NULL;
  gint64 *key;

  if (!ea_json_get_int (entity, "id", &id) || g_hash_table_contains (self->fill_ids, &id))
    return;

  ea_json_get_int (entity, "orderId", &order_id);
  ea_json_get_int (entity, "contractId", &contract_id);
  ea_json_get_int (entity, "qty", &qty);
  ea_json_get_double (entity, "price", &price);
  contract = g_hash_table_lookup (self->contracts, &contract_id);
  if (contract == NULL || contract->spec == NULL || qty <= 0)
    return;

  key = g_new (gint64, 1);
  *key = id;
  g_hash_table_add (self->fill_ids, key);

  info = _ea_tv_order_info (self, order_id);
  fill.price = ea_instrument_price_to_ticks (contract->spec, price);
  info->fill_value += (double) fill.price * qty;
  info->fills_qty += qty;
  info->data.avg_fill_price = info->fill_value / (double) info->fills_qty;
  if (info->data.state != EA_ORDER_STATE_FILLED)
    info->data.filled_qty = MIN (info->fills_qty, MAX (info->data.qty, info->fills_qty));

  if (!emit)
    return;

  fill_id = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  broker_order_id = g_strdup_printf ("%" G_GINT64_FORMAT, order_id);
  fill.account = info->data.account;
  fill.symbol = (char *) _ea_tv_desk_symbol (self, contract);
  fill.fill_id = fill_id;
  fill.broker_order_id = broker_order_id;
  fill.client_order_id = info->data.client_order_id;
  fill.side = g_strcmp0 (ea_json_get_string (entity, "action"), "Sell") == 0 ? EA_SIDE_SELL : EA_SIDE_BUY;
  fill.qty = qty;
  fill.time = _ea_tv_get_time (entity, "timestamp");

  ea_broker_emit_fill (EA_BROKER (self), &fill);
  emit_order (self, info);
}

static EaPositionData *
position_from_entity (EaTradovateBroker *self,
                      JsonObject        *entity)
{
  gint64 account_id = 0, contract_id = 0, net = 0;
  double net_price = 0;
  TvAccountInfo *account;
  TvContractInfo *contract;
  EaPositionData *p;

  ea_json_get_int (entity, "accountId", &account_id);
  ea_json_get_int (entity, "contractId", &contract_id);
  account = g_hash_table_lookup (self->accounts, &account_id);
  contract = g_hash_table_lookup (self->contracts, &contract_id);
  if (account == NULL || contract == NULL || contract->spec == NULL)
    return NULL;

  ea_json_get_int (entity, "netPos", &net);
  ea_json_get_double (entity, "netPrice", &net_price);

  p = g_new0 (EaPositionData, 1);
  p->account = g_strdup (account->name);
  p->symbol = g_strdup (_ea_tv_desk_symbol (self, contract));
  p->qty = net;
  p->avg_price = net != 0 ? net_price / contract->spec->tick_size : 0;
  p->time = _ea_tv_get_time (entity, "timestamp");

  return p;
}

static void
apply_position (EaTradovateBroker *self,
                JsonObject        *entity,
                gboolean           emit)
{
  EaPositionData *p = position_from_entity (self, entity);
  g_autofree char *key = NULL;
  EaPositionData *old;

  if (p == NULL)
    return;

  key = g_strdup_printf ("%s:%s", p->account, p->symbol);
  old = g_hash_table_lookup (self->positions, key);
  if (emit && (old == NULL || old->qty != p->qty || old->avg_price != p->avg_price))
    ea_broker_emit_position_changed (EA_BROKER (self), p);

  g_hash_table_replace (self->positions, g_steal_pointer (&key), p);
}

static void
apply_cash (EaTradovateBroker *self,
            JsonObject        *entity,
            gboolean           emit)
{
  gint64 account_id = 0;
  TvAccountInfo *account;
  double v;

  ea_json_get_int (entity, "accountId", &account_id);
  account = g_hash_table_lookup (self->accounts, &account_id);
  if (account == NULL)
    return;

#define MONEY(field, name) if (ea_json_get_double (entity, name, &v)) account->data.field = (EaMicros) llround (v * EA_MICROS_PER_UNIT)
  MONEY (balance, "amount");
  MONEY (realized_pnl, "realizedPnL");
  MONEY (open_pnl, "openPnL");
  MONEY (margin_used, "initialMargin");
#undef MONEY
  if (ea_json_get_double (entity, "netLiq", &v))
    account->data.equity = (EaMicros) llround (v * EA_MICROS_PER_UNIT);
  else
    account->data.equity = account->data.balance + account->data.open_pnl;
  if (account->data.size == 0)
    account->data.size = account->data.balance - account->data.realized_pnl;
  account->data.time = g_get_real_time ();
  account->have_cash = TRUE;

  if (emit)
    ea_broker_emit_account_changed (EA_BROKER (self), &account->data);
}

static void
apply_account (EaTradovateBroker *self,
               JsonObject        *entity)
{
  gint64 id;
  TvAccountInfo *info;

  if (!ea_json_get_int (entity, "id", &id) || ea_json_get_string (entity, "name") == NULL)
    return;

  info = g_hash_table_lookup (self->accounts, &id);
  if (info == NULL)
    {
      info = g_new0 (TvAccountInfo, 1);
      info->id = id;
      g_hash_table_insert (self->accounts, &info->id, info);
    }
  _ea_tv_set_str (&info->name, ea_json_get_string (entity, "name"));
  _ea_tv_set_str (&info->data.name, info->name);
}

/* What the broker allows on an account, in the desk's terms; @emit
 * reports a change as the account's. */
void
_ea_tv_set_restriction (EaTradovateBroker   *self,
                        TvAccountInfo       *info,
                        EaBrokerRestriction  restriction,
                        const char          *text,
                        gboolean             emit)
{
  if (restriction == EA_BROKER_RESTRICTION_NONE)
    text = NULL;
  if (info->data.restriction == restriction && g_strcmp0 (info->data.restriction_text, text) == 0)
    return;

  info->data.restriction = restriction;
  _ea_tv_set_str (&info->data.restriction_text, text);
  /* Never an account without its balances: it would read as empty. */
  if (emit && info->data.name != NULL && info->have_cash)
    ea_broker_emit_account_changed (EA_BROKER (self), &info->data);
}

/* accountRiskStatus: adminAction LockTradingImmediately locks the
 * account; LiquidateOnlyModeImmediately, LiquidateImmediately or the
 * liquidationOnly flags leave only reducing orders; Normal (or anything
 * else) lifts it. */
static void
apply_risk_status (EaTradovateBroker *self,
                   JsonObject        *entity,
                   gboolean           emit)
{
  gint64 id;
  TvAccountInfo *info;
  const char *action;
  EaBrokerRestriction restriction = EA_BROKER_RESTRICTION_NONE;
  gboolean flag = FALSE;

  if (!ea_json_get_int (entity, "id", &id) || (info = g_hash_table_lookup (self->accounts, &id)) == NULL)
    return;

  action = ea_json_get_string (entity, "adminAction");
  _ea_tv_set_str (&info->admin_action, g_strcmp0 (action, "Normal") == 0 ? NULL : action);

  if (g_strcmp0 (action, "LockTradingImmediately") == 0)
    restriction = EA_BROKER_RESTRICTION_LOCKED;
  else if (g_strcmp0 (action, "LiquidateOnlyModeImmediately") == 0 ||
           g_strcmp0 (action, "LiquidateImmediately") == 0 ||
           (json_object_has_member (entity, "liquidationOnly") &&
            (flag = json_object_get_boolean_member_with_default (entity, "liquidationOnly", FALSE))) ||
           json_object_get_boolean_member_with_default (entity, "userTriggeredLiqOnly", FALSE))
    restriction = EA_BROKER_RESTRICTION_LIQUIDATION_ONLY;

  _ea_tv_set_restriction (self, info, restriction,
                   action != NULL && g_strcmp0 (action, "Normal") != 0 ? action
                   : flag ? "liquidationOnly" : "userTriggeredLiqOnly",
                   emit);
}

/**
 * _ea_tv_apply_snapshot:
 * @emit: report what changed since the cache was last current
 */
void
_ea_tv_apply_snapshot (EaTradovateBroker *self,
                       JsonObject        *snapshot,
                       gboolean           emit)
{
  JsonObject *o;
  g_autoptr(GHashTable) changed = g_hash_table_new (NULL, NULL);

  FOREACH_OBJECT (ea_json_get_array (snapshot, "accounts"), o)
    apply_account (self, o);
  /* Reported with the balances below. */
  FOREACH_OBJECT (ea_json_get_array (snapshot, "accountRiskStatuses"), o)
    apply_risk_status (self, o, FALSE);

  /* Products, by maturity, to check the contracts against the core. */
  {
    g_autoptr(GHashTable) product_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
    JsonObject *m;

    FOREACH_OBJECT (ea_json_get_array (snapshot, "products"), o)
      {
        gint64 *id = g_new (gint64, 1);

        if (!ea_json_get_int (o, "id", id))
          {
            g_free (id);
            continue;
          }
        g_hash_table_insert (product_by_id, id, o);
      }

    FOREACH_OBJECT (ea_json_get_array (snapshot, "contracts"), o)
      {
        TvContractInfo *info = _ea_tv_add_contract (self, o);
        gint64 product_id = 0;

        if (info == NULL || info->spec == NULL)
          continue;

        FOREACH_OBJECT_I (ea_json_get_array (snapshot, "contractMaturities"), m, j_)
          {
            gint64 mid;

            if (ea_json_get_int (m, "id", &mid) && mid == info->maturity_id)
              ea_json_get_int (m, "productId", &product_id);
          }

        if (product_id != 0)
          {
            g_autoptr(GError) error = NULL;

            if (!_ea_tv_check_product (info->spec, g_hash_table_lookup (product_by_id, &product_id), &error))
              {
                g_message ("%s", error->message);
                info->spec = NULL;
              }
          }
      }

    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, product_by_id);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_free (key);
    }
  }

  FOREACH_OBJECT (ea_json_get_array (snapshot, "orders"), o)
    {
      gint64 id;

      if (apply_order (self, o) && ea_json_get_int (o, "id", &id))
        g_hash_table_add (changed, _ea_tv_order_info (self, id));
    }
  FOREACH_OBJECT (ea_json_get_array (snapshot, "orderVersions"), o)
    {
      gint64 id;

      if (apply_version (self, o) && ea_json_get_int (o, "orderId", &id))
        g_hash_table_add (changed, _ea_tv_order_info (self, id));
    }

  if (emit)
    {
      GHashTableIter iter;
      TvOrderInfo *info;

      g_hash_table_iter_init (&iter, changed);
      while (g_hash_table_iter_next (&iter, (gpointer *) &info, NULL))
        emit_order (self, info);
    }

  FOREACH_OBJECT (ea_json_get_array (snapshot, "fills"), o)
    apply_fill (self, o, emit);
  FOREACH_OBJECT (ea_json_get_array (snapshot, "positions"), o)
    apply_position (self, o, emit);
  FOREACH_OBJECT (ea_json_get_array (snapshot, "cashBalances"), o)
    apply_cash (self, o, emit);
}

/* Events ----------------------------------------------------------------- */

/* Emits the quotes of subscribed contracts, in order. */
void
_ea_tv_emit_quotes (EaTradovateBroker *self,
                    const EaTvQuote   *quotes,
                    guint              n_quotes)
{
  for (guint i = 0; i < n_quotes; i++)
    {
      const EaTvQuote *q = &quotes[i];
      TvContractInfo *contract = g_hash_table_lookup (self->contracts, &q->contract_id);
      EaQuoteData out = { 0 };

      if (contract == NULL || contract->spec == NULL ||
          !g_hash_table_contains (self->subscriptions, contract->name))
        continue;

      out.symbol = _ea_tv_desk_symbol (self, contract);
      out.time = q->timestamp_us ? q->timestamp_us : g_get_real_time ();
      out.bid = q->has_bid ? ea_instrument_price_to_ticks (contract->spec, q->bid) : 0;
      out.ask = q->has_ask ? ea_instrument_price_to_ticks (contract->spec, q->ask) : 0;
      out.last = q->has_last ? ea_instrument_price_to_ticks (contract->spec, q->last) : 0;
      out.bid_size = q->bid_size;
      out.ask_size = q->ask_size;
      out.last_size = q->last_size;
      out.volume = q->total_volume;

      ea_broker_emit_quote (EA_BROKER (self), &out);
    }
}

static void
handle_quotes (EaTradovateBroker *self,
               JsonObject        *data)
{
  g_autoptr(GArray) quotes = g_array_new (FALSE, FALSE, sizeof (EaTvQuote));

  ea_tv_md_event_parse (data, quotes);
  _ea_tv_emit_quotes (self, (const EaTvQuote *) (gpointer) quotes->data, quotes->len);
}

void
_ea_tv_handle_event (EaTradovateBroker *self,
                     JsonObject        *message)
{
  const char *event = ea_tv_message_event_name (message);
  JsonNode *d_node = json_object_get_member (message, "d");
  JsonObject *d = d_node && JSON_NODE_HOLDS_OBJECT (d_node) ? json_node_get_object (d_node) : NULL;
  const char *type;
  JsonNode *entity_node;
  JsonObject *entity;

  if (d == NULL)
    return;

  if (g_strcmp0 (event, "md") == 0)
    {
      handle_quotes (self, d);
      return;
    }

  if (g_strcmp0 (event, "chart") == 0)
    {
      _ea_tv_history_handle_chart (self, d);
      return;
    }

  if (g_strcmp0 (event, "props") != 0)
    return;

  type = ea_json_get_string (d, "entityType");
  entity_node = json_object_get_member (d, "entity");
  if (type == NULL || entity_node == NULL || !JSON_NODE_HOLDS_OBJECT (entity_node))
    return;
  entity = json_node_get_object (entity_node);

  if (g_str_equal (type, "order"))
    {
      gint64 id;

      apply_order (self, entity);
      if (ea_json_get_int (entity, "id", &id))
        emit_order (self, _ea_tv_order_info (self, id));
    }
  else if (g_str_equal (type, "orderVersion"))
    {
      gint64 id;

      apply_version (self, entity);
      if (ea_json_get_int (entity, "orderId", &id))
        emit_order (self, _ea_tv_order_info (self, id));
    }
  else if (g_str_equal (type, "fill"))
    apply_fill (self, entity, TRUE);
  else if (g_str_equal (type, "position"))
    apply_position (self, entity, TRUE);
  else if (g_str_equal (type, "cashBalance"))
    apply_cash (self, entity, TRUE);
  else if (g_str_equal (type, "accountRiskStatus"))
    apply_risk_status (self, entity, TRUE);
  else if (g_str_equal (type, "account"))
    apply_account (self, entity);
  else if (g_str_equal (type, "contract"))
    _ea_tv_add_contract (self, entity);
}
