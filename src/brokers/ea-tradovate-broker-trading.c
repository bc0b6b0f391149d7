/* ea-tradovate-broker-trading.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The EaBroker methods over Tradovate's endpoints, and the cache of
 * accounts, contracts, orders, fills and positions that `props` events
 * and `user/syncrequest` snapshots keep current.
 */
#define G_LOG_DOMAIN "ea-tradovate"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ea-session.h"
#include "ea-tradovate-broker-private.h"

void _ea_tv_connect (EaTradovateBroker *self, GTask *task);
void _ea_tv_disconnect (EaTradovateBroker *self);

/* JSON helpers ----------------------------------------------------------- */

static EaTimeUs
get_time (JsonObject *o,
          const char *name)
{
  const char *text = ea_json_get_string (o, name);
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    return g_get_real_time ();

  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    return g_get_real_time ();

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

static void
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

static GError *
cancelled_error (void)
{
  return g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED, _("Cancelled"));
}

/* Turns a GIO cancellation into the broker domain; other errors pass. */
static GError *
broker_error (GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      return cancelled_error ();
    }
  return error;
}

/* Cache ------------------------------------------------------------------ */

static void
account_info_free (TvAccountInfo *info)
{
  g_free (info->name);
  g_free (info->admin_action);
  g_free (info->data.name);
  g_free (info->data.profile);
  g_free (info->data.restriction_text);
  g_free (info);
}

static void
contract_info_free (TvContractInfo *info)
{
  g_free (info->name);
  g_free (info);
}

static void
order_info_free (TvOrderInfo *info)
{
  g_free (info->data.account);
  g_free (info->data.symbol);
  g_free (info->data.client_order_id);
  g_free (info->data.broker_order_id);
  g_free (info->data.parent_order_id);
  g_free (info->data.oco_order_id);
  g_free (info->data.reason);
  g_free (info);
}

void
_ea_tv_trading_init (EaTradovateBroker *self)
{
  self->accounts = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) account_info_free);
  self->contracts = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) contract_info_free);
  self->orders = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) order_info_free);
  self->fill_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) ea_position_data_free);
  self->subscriptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->products = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) json_node_unref);
}

void
_ea_tv_trading_clear (EaTradovateBroker *self)
{
  g_clear_pointer (&self->accounts, g_hash_table_unref);
  g_clear_pointer (&self->contracts, g_hash_table_unref);
  g_clear_pointer (&self->orders, g_hash_table_unref);
  g_clear_pointer (&self->fill_ids, g_hash_table_unref);
  g_clear_pointer (&self->positions, g_hash_table_unref);
  g_clear_pointer (&self->subscriptions, g_hash_table_unref);
  g_clear_pointer (&self->products, g_hash_table_unref);
}

static TvAccountInfo *
account_by_name (EaTradovateBroker *self,
                 const char        *name)
{
  GHashTableIter iter;
  TvAccountInfo *info;

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &info))
    if (g_strcmp0 (info->name, name) == 0)
      return info;

  return NULL;
}

static TvContractInfo *
contract_by_name (EaTradovateBroker *self,
                  const char        *name)
{
  GHashTableIter iter;
  TvContractInfo *info;

  g_hash_table_iter_init (&iter, self->contracts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &info))
    if (g_ascii_strcasecmp (info->name, name) == 0)
      return info;

  return NULL;
}

/* Tradovate's name for a desk symbol: with front_month_as_root, a root
 * ("ES") is its front month today ("ESZ6"). */
static char *
tv_name (EaTradovateBroker *self,
         const char        *symbol)
{
  const EaInstrumentSpec *spec = symbol ? ea_instrument_lookup (symbol) : NULL;

  if (self->config.front_month_as_root && spec != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      EaContract front;

      if (ea_contract_front (spec, ea_session_trading_day (now), &front))
        return ea_contract_format (&front, EA_SYMBOLOGY_TRADOVATE);
    }
  return g_strdup (symbol);
}

/* The symbol a contract is reported under: its root while it is the front
 * month (with front_month_as_root), else its name. Checked again every
 * minute, so a roll is followed. */
static const char *
desk_symbol (EaTradovateBroker *self,
             TvContractInfo    *info)
{
  gint64 now = g_get_real_time ();

  if (!self->config.front_month_as_root || info->spec == NULL)
    return info->name;

  if (info->front_checked == 0 || now - info->front_checked > 60 * G_USEC_PER_SEC)
    {
      g_autofree char *front = tv_name (self, info->spec->root);

      info->front = g_ascii_strcasecmp (front, info->name) == 0;
      info->front_checked = now;
    }
  return info->front ? info->spec->root : info->name;
}

/* A contract by a desk symbol: its name, or a root for its front month. */
static TvContractInfo *
contract_by_symbol (EaTradovateBroker *self,
                    const char        *symbol)
{
  g_autofree char *name = tv_name (self, symbol);

  return name ? contract_by_name (self, name) : NULL;
}

static const EaInstrumentSpec *
spec_for_symbol (const char *name)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  EaContract contract;

  if (ea_contract_parse (name, EA_SYMBOLOGY_TRADOVATE, ea_session_trading_day (now), &contract, NULL))
    return contract.spec;

  return NULL;
}

/* The product's tick size and value per point must be the core's: a
 * mismatch leaves the contract untradeable, with the reason. */
static gboolean
check_product (const EaInstrumentSpec  *spec,
               JsonObject              *product,
               GError                 **error)
{
  double tick_size, value_per_point;
  double expected_vpp = (double) ea_instrument_point_value (spec) / EA_MICROS_PER_UNIT;

  if (product == NULL)
    return TRUE;

  if (ea_json_get_double (product, "tickSize", &tick_size) &&
      fabs (tick_size - spec->tick_size) > spec->tick_size * 1e-9)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                   _("Tradovate reports a tick size of %g for %s; Enigma Apex knows %g. Trading it is refused until this is resolved."),
                   tick_size, spec->root, spec->tick_size);
      return FALSE;
    }

  if (ea_json_get_double (product, "valuePerPoint", &value_per_point) &&
      fabs (value_per_point - expected_vpp) > expected_vpp * 1e-9)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                   _("Tradovate reports $%g per point for %s; Enigma Apex knows $%g. Trading it is refused until this is resolved."),
                   value_per_point, spec->root, expected_vpp);
      return FALSE;
    }

  return TRUE;
}

static TvContractInfo *
add_contract (EaTradovateBroker *self,
              JsonObject        *entity)
{
  TvContractInfo *info;
  const char *name = ea_json_get_string (entity, "name");
  gint64 id;

  if (name == NULL || !ea_json_get_int (entity, "id", &id))
    return NULL;

  info = g_hash_table_lookup (self->contracts, &id);
  if (info == NULL)
    {
      info = g_new0 (TvContractInfo, 1);
      info->id = id;
      g_hash_table_insert (self->contracts, &info->id, info);
    }

  set_str (&info->name, name);
  ea_json_get_int (entity, "contractMaturityId", &info->maturity_id);
  info->spec = spec_for_symbol (name);

  return info;
}

static TvOrderInfo *
order_info (EaTradovateBroker *self,
            gint64             id)
{
  TvOrderInfo *info = g_hash_table_lookup (self->orders, &id);

  if (info == NULL)
    {
      info = g_new0 (TvOrderInfo, 1);
      info->id = id;
      info->data.broker_order_id = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      info->data.state = EA_ORDER_STATE_PENDING_NEW;
      g_hash_table_insert (self->orders, &info->id, info);
    }

  return info;
}

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

static const EaInstrumentSpec *
order_spec (EaTradovateBroker *self,
            TvOrderInfo       *info)
{
  TvContractInfo *contract = g_hash_table_lookup (self->contracts, &info->contract_id);

  return contract ? contract->spec : NULL;
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

  info = order_info (self, id);
  ea_json_get_int (entity, "accountId", &account_id);
  ea_json_get_int (entity, "contractId", &contract_id);
  state = state_from_status (ea_json_get_string (entity, "ordStatus"));
  changed = !info->have_order || info->data.state != state;

  info->have_order = TRUE;
  info->account_id = account_id;
  info->contract_id = contract_id;
  info->data.state = state;
  info->data.side = g_strcmp0 (ea_json_get_string (entity, "action"), "Sell") == 0 ? EA_SIDE_SELL : EA_SIDE_BUY;
  info->data.updated = get_time (entity, "timestamp");
  if (info->data.created == 0)
    info->data.created = info->data.updated;
  if (state == EA_ORDER_STATE_FILLED)
    info->data.filled_qty = info->data.qty;

  account = g_hash_table_lookup (self->accounts, &account_id);
  contract = g_hash_table_lookup (self->contracts, &contract_id);
  set_str (&info->data.account, account ? account->name : NULL);
  set_str (&info->data.symbol, contract ? desk_symbol (self, contract) : NULL);

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

  info = order_info (self, order_id);
  ea_json_get_int (entity, "orderQty", &qty);
  changed = !info->have_version || info->data.qty != qty;

  info->have_version = TRUE;
  info->data.qty = qty;
  info->data.type = type_from_string (ea_json_get_string (entity, "orderType"));
  if (info->data.state == EA_ORDER_STATE_FILLED)
    info->data.filled_qty = qty;

  spec = order_spec (self, info);
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
    set_str (&info->data.client_order_id, cl_ord_id);

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

  info = order_info (self, order_id);
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
  fill.symbol = (char *) desk_symbol (self, contract);
  fill.fill_id = fill_id;
  fill.broker_order_id = broker_order_id;
  fill.client_order_id = info->data.client_order_id;
  fill.side = g_strcmp0 (ea_json_get_string (entity, "action"), "Sell") == 0 ? EA_SIDE_SELL : EA_SIDE_BUY;
  fill.qty = qty;
  fill.time = get_time (entity, "timestamp");

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
  p->symbol = g_strdup (desk_symbol (self, contract));
  p->qty = net;
  p->avg_price = net != 0 ? net_price / contract->spec->tick_size : 0;
  p->time = get_time (entity, "timestamp");

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
  set_str (&info->name, ea_json_get_string (entity, "name"));
  set_str (&info->data.name, info->name);
}

/* What the broker allows on an account, in the desk's terms; @emit
 * reports a change as the account's. */
static void
set_restriction (EaTradovateBroker   *self,
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
  set_str (&info->data.restriction_text, text);
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
  set_str (&info->admin_action, g_strcmp0 (action, "Normal") == 0 ? NULL : action);

  if (g_strcmp0 (action, "LockTradingImmediately") == 0)
    restriction = EA_BROKER_RESTRICTION_LOCKED;
  else if (g_strcmp0 (action, "LiquidateOnlyModeImmediately") == 0 ||
           g_strcmp0 (action, "LiquidateImmediately") == 0 ||
           (json_object_has_member (entity, "liquidationOnly") &&
            (flag = json_object_get_boolean_member_with_default (entity, "liquidationOnly", FALSE))) ||
           json_object_get_boolean_member_with_default (entity, "userTriggeredLiqOnly", FALSE))
    restriction = EA_BROKER_RESTRICTION_LIQUIDATION_ONLY;

  set_restriction (self, info, restriction,
                   action != NULL && g_strcmp0 (action, "Normal") != 0 ? action
                   : flag ? "liquidationOnly" : "userTriggeredLiqOnly",
                   emit);
}

#define FOREACH_OBJECT_I(array, obj, i) \
  for (guint i = 0; (array) != NULL && i < json_array_get_length (array); i++) \
    if (JSON_NODE_HOLDS_OBJECT (json_array_get_element ((array), i)) && \
        ((obj) = json_array_get_object_element ((array), i)) != NULL)
#define FOREACH_OBJECT(array, obj) FOREACH_OBJECT_I (array, obj, i_)

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
        TvContractInfo *info = add_contract (self, o);
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

            if (!check_product (info->spec, g_hash_table_lookup (product_by_id, &product_id), &error))
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
        g_hash_table_add (changed, order_info (self, id));
    }
  FOREACH_OBJECT (ea_json_get_array (snapshot, "orderVersions"), o)
    {
      gint64 id;

      if (apply_version (self, o) && ea_json_get_int (o, "orderId", &id))
        g_hash_table_add (changed, order_info (self, id));
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

      out.symbol = desk_symbol (self, contract);
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
        emit_order (self, order_info (self, id));
    }
  else if (g_str_equal (type, "orderVersion"))
    {
      gint64 id;

      apply_version (self, entity);
      if (ea_json_get_int (entity, "orderId", &id))
        emit_order (self, order_info (self, id));
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
    add_contract (self, entity);
}

static void
resubscribe_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = _ea_tv_request_finish (EA_TRADOVATE_BROKER (object), result, &error);

  if (reply == NULL)
    g_message ("Could not resubscribe to quotes: %s", error->message);
}

void
_ea_tv_resubscribe (EaTradovateBroker *self)
{
  GHashTableIter iter;
  const char *symbol;

  g_hash_table_iter_init (&iter, self->subscriptions);
  while (g_hash_table_iter_next (&iter, (gpointer *) &symbol, NULL))
    {
      g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(JsonObject) o = json_object_new ();

      json_object_set_string_member (o, "symbol", symbol);
      json_node_set_object (body, o);
      _ea_tv_request (self, TRUE, "md/subscribeQuote", NULL, body, FALSE, NULL, resubscribe_cb, NULL);
    }
}

const char *
ea_tradovate_broker_get_admin_action (EaTradovateBroker *self,
                                      const char        *account)
{
  TvAccountInfo *info;

  g_return_val_if_fail (EA_IS_TRADOVATE_BROKER (self), NULL);

  info = account_by_name (self, account);
  return info ? info->admin_action : NULL;
}

/* EaBroker: connection ------------------------------------------------- */

static const char *
tv_get_name (EaBroker *broker)
{
  return "Tradovate";
}

static EaConnectionState
tv_get_connection_state (EaBroker *broker)
{
  return EA_TRADOVATE_BROKER (broker)->state;
}

static void
tv_connect_async (EaBroker            *broker,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (broker, cancellable, callback, user_data);

  g_task_set_check_cancellable (task, FALSE);
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_error (task, cancelled_error ());
      return;
    }

  _ea_tv_connect (EA_TRADOVATE_BROKER (broker), task);
}

static gboolean
tv_boolean_finish (EaBroker      *broker,
                   GAsyncResult  *result,
                   GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
tv_disconnect_async (EaBroker            *broker,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (broker, cancellable, callback, user_data);

  _ea_tv_disconnect (EA_TRADOVATE_BROKER (broker));
  g_task_return_boolean (task, TRUE);
}

/* A task for a broker method, refused at once when cancelled or when
 * the broker was never asked to connect. */
static GTask *
method_task (EaBroker            *broker,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (broker);
  GTask *task = g_task_new (broker, cancellable, callback, user_data);

  /* Cancellation is reported in the broker's own error domain. */
  g_task_set_check_cancellable (task, FALSE);

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_error (task, cancelled_error ());
      g_object_unref (task);
      return NULL;
    }

  if (!self->want_connected)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED,
                               _("Not connected to Tradovate"));
      g_object_unref (task);
      return NULL;
    }

  return task;
}

static void
tv_list_accounts_async (EaBroker            *broker,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (broker);
  g_autoptr(GTask) task = method_task (broker, cancellable, callback, user_data);
  GPtrArray *accounts;
  GHashTableIter iter;
  TvAccountInfo *info;

  if (task == NULL)
    return;

  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_account_data_free);
  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &info))
    g_ptr_array_add (accounts, ea_account_data_copy (&info->data));

  g_task_return_pointer (task, accounts, (GDestroyNotify) g_ptr_array_unref);
}

static GPtrArray *
tv_list_accounts_finish (EaBroker      *broker,
                         GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Contracts ---------------------------------------------------------------- */

typedef struct
{
  char           *symbol;
  TvContractInfo *contract;
  JsonNode       *contract_json;
  gint64          maturity_id;
} ResolveData;

static void
resolve_data_free (ResolveData *data)
{
  g_free (data->symbol);
  g_clear_pointer (&data->contract_json, json_node_unref);
  g_free (data);
}

static void
resolve_product_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  g_autoptr(GTask) task = user_data;
  ResolveData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonNode) product = _ea_tv_request_finish (self, result, &error);
  TvContractInfo *info;

  if (product == NULL)
    {
      g_task_return_error (task, broker_error (error));
      return;
    }

  info = add_contract (self, json_node_get_object (data->contract_json));
  if (info == NULL || info->spec == NULL)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                               _("%s is not a contract Enigma Apex trades"), data->symbol);
      return;
    }

  if (JSON_NODE_HOLDS_OBJECT (product) && !check_product (info->spec, json_node_get_object (product), &error))
    {
      info->spec = NULL;
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, info, NULL);
}

static void
resolve_maturity_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(JsonNode) maturity = _ea_tv_request_finish (self, result, &error);
  g_autofree char *query = NULL;
  gint64 product_id = 0;

  if (maturity == NULL)
    {
      g_task_return_error (task, broker_error (error));
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (maturity) || !ea_json_get_int (json_node_get_object (maturity), "productId", &product_id))
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                               _("Tradovate sent a contract maturity without its product"));
      return;
    }

  query = g_strdup_printf ("id=%" G_GINT64_FORMAT, product_id);
  _ea_tv_request (self, FALSE, "product/item", query, NULL, FALSE,
                  g_task_get_cancellable (task), resolve_product_cb, g_object_ref (task));
}

static void
resolve_contract_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  g_autoptr(GTask) task = user_data;
  ResolveData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonNode) contract = _ea_tv_request_finish (self, result, &error);
  g_autofree char *query = NULL;

  if (contract == NULL || !JSON_NODE_HOLDS_OBJECT (contract))
    {
      if (error == NULL || g_error_matches (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                                   _("Tradovate has no contract %s"), data->symbol);
        }
      else
        g_task_return_error (task, broker_error (error));
      return;
    }

  data->contract_json = json_node_ref (contract);
  if (!ea_json_get_int (json_node_get_object (contract), "contractMaturityId", &data->maturity_id))
    {
      /* No maturity: nothing to check the product against. */
      TvContractInfo *info = add_contract (self, json_node_get_object (contract));

      if (info == NULL || info->spec == NULL)
        g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                                 _("%s is not a contract Enigma Apex trades"), data->symbol);
      else
        g_task_return_pointer (task, info, NULL);
      return;
    }

  query = g_strdup_printf ("id=%" G_GINT64_FORMAT, data->maturity_id);
  _ea_tv_request (self, FALSE, "contractMaturity/item", query, NULL, FALSE,
                  g_task_get_cancellable (task), resolve_maturity_cb, g_object_ref (task));
}

/* Finds @symbol's contract, asking Tradovate and checking its product
 * against the core's table the first time. */
void
_ea_tv_resolve_contract_async (EaTradovateBroker   *self,
                        const char          *symbol,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *name = tv_name (self, symbol);
  TvContractInfo *info;
  ResolveData *data;
  g_autofree char *query = NULL;

  symbol = name;
  info = symbol ? contract_by_name (self, symbol) : NULL;

  if (info != NULL && info->spec != NULL)
    {
      g_task_return_pointer (task, info, NULL);
      return;
    }

  if (symbol == NULL || spec_for_symbol (symbol) == NULL)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                               _("“%s” is not a Tradovate contract symbol Enigma Apex trades"),
                               symbol ? symbol : "");
      return;
    }

  data = g_new0 (ResolveData, 1);
  data->symbol = g_strdup (symbol);
  g_task_set_task_data (task, data, (GDestroyNotify) resolve_data_free);

  query = g_strdup_printf ("name=%s", symbol);
  _ea_tv_request (self, FALSE, "contract/find", query, NULL, FALSE, cancellable,
                  resolve_contract_cb, g_steal_pointer (&task));
}

TvContractInfo *
_ea_tv_resolve_contract_finish (EaTradovateBroker  *self,
                         GAsyncResult       *result,
                         GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Quotes ---------------------------------------------------------------- */

static void
subscribed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(JsonNode) reply = _ea_tv_request_finish (self, result, &error);

  if (reply == NULL)
    {
      g_hash_table_remove (self->subscriptions, g_task_get_task_data (task));
      g_task_return_error (task, broker_error (error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
subscribe_resolved_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  TvContractInfo *info = _ea_tv_resolve_contract_finish (self, result, &error);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) o = NULL;

  if (info == NULL)
    {
      g_task_return_error (task, broker_error (error));
      return;
    }

  /* Subscribed before the reply, so the first quote is not dropped. */
  g_hash_table_add (self->subscriptions, g_strdup (info->name));
  g_task_set_task_data (task, g_strdup (info->name), g_free);

  o = json_object_new ();
  json_object_set_string_member (o, "symbol", info->name);
  body = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (body, o);
  _ea_tv_request (self, TRUE, "md/subscribeQuote", NULL, body, FALSE,
                  g_task_get_cancellable (task), subscribed_cb, g_object_ref (task));
}

static void
tv_subscribe_quotes_async (EaBroker            *broker,
                           const char          *symbol,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = method_task (broker, cancellable, callback, user_data);

  if (task == NULL)
    return;

  _ea_tv_resolve_contract_async (EA_TRADOVATE_BROKER (broker), symbol, cancellable, subscribe_resolved_cb, task);
}

static void
unsubscribed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(JsonNode) reply = _ea_tv_request_finish (EA_TRADOVATE_BROKER (object), result, &error);

  if (reply == NULL)
    g_task_return_error (task, broker_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
tv_unsubscribe_quotes_async (EaBroker            *broker,
                             const char          *symbol,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (broker);
  GTask *task = method_task (broker, cancellable, callback, user_data);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) o = NULL;
  g_autofree char *name = tv_name (self, symbol);

  if (task == NULL)
    return;

  /* Quotes stop at once, whatever the server does. */
  symbol = name;
  if (symbol == NULL || !g_hash_table_remove (self->subscriptions, symbol))
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  o = json_object_new ();
  json_object_set_string_member (o, "symbol", symbol);
  body = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (body, o);
  _ea_tv_request (self, TRUE, "md/unsubscribeQuote", NULL, body, FALSE, cancellable, unsubscribed_cb, task);
}

/* Orders ------------------------------------------------------------------ */

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
  TvAccountInfo *info = account_by_name (self, account);

  if (info == NULL || reason == NULL)
    return;
  if (g_str_equal (reason, "TradingLocked"))
    set_restriction (self, info, EA_BROKER_RESTRICTION_LOCKED, reason, TRUE);
  else if (g_str_equal (reason, "LiquidationOnly") &&
           info->data.restriction != EA_BROKER_RESTRICTION_LOCKED)
    set_restriction (self, info, EA_BROKER_RESTRICTION_LIQUIDATION_ONLY, reason, TRUE);
}

/* The order @order_id is the one sent as @client_order_id (unless its
 * events already named it). */
static void
adopt_client_id (EaTradovateBroker *self,
                 gint64             order_id,
                 const char        *client_order_id)
{
  TvOrderInfo *info = order_info (self, order_id);

  if (info->data.client_order_id == NULL || g_str_has_prefix (info->data.client_order_id, "tv-"))
    set_str (&info->data.client_order_id, client_order_id);
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
      g_task_return_error (task, broker_error (error));
      return NULL;
    }

  info = account_by_name (self, account);
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
      g_task_return_error (task, broker_error (error));
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

static void
tv_place_order_async (EaBroker             *broker,
                      const EaOrderRequest *request,
                      GCancellable         *cancellable,
                      GAsyncReadyCallback   callback,
                      gpointer              user_data)
{
  GTask *task = method_task (broker, cancellable, callback, user_data);

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

static char *
tv_place_order_finish (EaBroker      *broker,
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
      g_task_return_error (task, broker_error (error));
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

static void
tv_place_oco_async (EaBroker             *broker,
                    const EaOrderRequest *first,
                    const EaOrderRequest *second,
                    GCancellable         *cancellable,
                    GAsyncReadyCallback   callback,
                    gpointer              user_data)
{
  GTask *task = method_task (broker, cancellable, callback, user_data);
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

static char *
tv_place_oco_finish (EaBroker      *broker,
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
    g_task_return_error (task, broker_error (error));
  else if (!check_reply (reply, g_task_get_task_data (task), NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
tv_modify_order_async (EaBroker            *broker,
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
  GTask *task = method_task (broker, cancellable, callback, user_data);
  TvOrderInfo *info;
  const EaInstrumentSpec *spec;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) body = NULL;
  EaOrderType type;

  if (task == NULL)
    return;

  info = known_order (self, broker_order_id);
  if (info == NULL || (spec = order_spec (self, info)) == NULL)
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

static void
tv_cancel_order_async (EaBroker            *broker,
                       const char          *broker_order_id,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (broker);
  GTask *task = method_task (broker, cancellable, callback, user_data);
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
      f->symbol = g_strdup (desk_symbol (self, contract));
      f->fill_id = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      f->broker_order_id = g_strdup_printf ("%" G_GINT64_FORMAT, order_id);
      f->client_order_id = g_strdup (info->data.client_order_id);
      f->side = g_strcmp0 (ea_json_get_string (o, "action"), "Sell") == 0 ? EA_SIDE_SELL : EA_SIDE_BUY;
      f->qty = qty;
      f->price = ea_instrument_price_to_ticks (contract->spec, price);
      f->time = get_time (o, "timestamp");
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
      g_task_return_error (task, broker_error (error));
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

static void
tv_snapshot_async (EaBroker            *broker,
                   const char          *account,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = method_task (broker, cancellable, callback, user_data);

  if (task == NULL)
    return;

  snapshot_async (EA_TRADOVATE_BROKER (broker), account, cancellable, snapshot_forward_cb, task);
}

static EaSnapshotData *
tv_snapshot_finish (EaBroker      *broker,
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
    data->error = broker_error (error);
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

      account = account_by_name (self, p->account);
      contract = contract_by_symbol (self, p->symbol);
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
  GTask *task = method_task (broker, cancellable, callback, user_data);
  BatchData *data;

  if (task == NULL)
    return;

  data = g_new0 (BatchData, 1);
  data->account = g_strdup (account);
  data->symbol = g_strdup (symbol);
  /* Orders and positions carry the symbol they are reported under. */
  if (symbol != NULL)
    {
      TvContractInfo *contract = contract_by_symbol (EA_TRADOVATE_BROKER (broker), symbol);

      if (contract != NULL)
        {
          g_free (data->symbol);
          data->symbol = g_strdup (desk_symbol (EA_TRADOVATE_BROKER (broker), contract));
        }
    }
  data->flatten = flatten;
  g_task_set_task_data (task, data, (GDestroyNotify) batch_data_free);

  /* From a fresh snapshot: what the broker has, not what we believe. */
  snapshot_async (EA_TRADOVATE_BROKER (broker), account, cancellable, batch_snapshot_cb, task);
}

static void
tv_cancel_all_async (EaBroker            *broker,
                     const char          *account,
                     const char          *symbol,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  batch_async (broker, account, symbol, FALSE, cancellable, callback, user_data);
}

static void
tv_flatten_async (EaBroker            *broker,
                  const char          *account,
                  const char          *symbol,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  batch_async (broker, account, symbol, TRUE, cancellable, callback, user_data);
}

static gint64
tv_get_latency_us (EaBroker *broker)
{
  return ea_tradovate_broker_get_latency_us (EA_TRADOVATE_BROKER (broker));
}

void
_ea_tv_broker_iface_init (EaBrokerInterface *iface)
{
  iface->get_name = tv_get_name;
  iface->get_connection_state = tv_get_connection_state;
  iface->get_latency_us = tv_get_latency_us;
  iface->connect_async = tv_connect_async;
  iface->connect_finish = tv_boolean_finish;
  iface->disconnect_async = tv_disconnect_async;
  iface->disconnect_finish = tv_boolean_finish;
  iface->list_accounts_async = tv_list_accounts_async;
  iface->list_accounts_finish = tv_list_accounts_finish;
  iface->subscribe_quotes_async = tv_subscribe_quotes_async;
  iface->subscribe_quotes_finish = tv_boolean_finish;
  iface->unsubscribe_quotes_async = tv_unsubscribe_quotes_async;
  iface->unsubscribe_quotes_finish = tv_boolean_finish;
  iface->place_order_async = tv_place_order_async;
  iface->place_order_finish = tv_place_order_finish;
  iface->place_oco_async = tv_place_oco_async;
  iface->place_oco_finish = tv_place_oco_finish;
  iface->subscribe_bars = _ea_tv_subscribe_bars;
  iface->unsubscribe_bars = _ea_tv_unsubscribe_bars;
  iface->modify_order_async = tv_modify_order_async;
  iface->modify_order_finish = tv_boolean_finish;
  iface->cancel_order_async = tv_cancel_order_async;
  iface->cancel_order_finish = tv_boolean_finish;
  iface->cancel_all_async = tv_cancel_all_async;
  iface->cancel_all_finish = tv_boolean_finish;
  iface->flatten_async = tv_flatten_async;
  iface->flatten_finish = tv_boolean_finish;
  iface->snapshot_async = tv_snapshot_async;
  iface->snapshot_finish = tv_snapshot_finish;
  iface->load_bars_async = _ea_tv_load_bars_async;
  iface->load_bars_finish = _ea_tv_load_bars_finish;
}
