/* ea-tradovate-server-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Entities in the shapes of Tradovate's REST `list`/`item` replies
 * (PROTOCOLS.md §1.4); the same JSON goes into `props` events.
 */
#define G_LOG_DOMAIN "ea-tradovate-server"

#include "config.h"

#include "ea-tradovate-server-private.h"

char *
_tv_iso_time (gint64 us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  g_autofree char *base = NULL;

  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");

  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", base, (int) ((us % G_USEC_PER_SEC) / 1000));
}

double
_tv_price (const EaInstrumentSpec *spec,
           EaTicks                 ticks)
{
  return ea_instrument_ticks_to_price (spec, ticks);
}

static double
money (EaMicros micros)
{
  return (double) micros / EA_MICROS_PER_UNIT;
}

static void
add_trade_date (JsonBuilder *b,
                gint64       us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);

  json_builder_set_member_name (b, "tradeDate");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "year");
  json_builder_add_int_value (b, dt ? g_date_time_get_year (dt) : 1970);
  json_builder_set_member_name (b, "month");
  json_builder_add_int_value (b, dt ? g_date_time_get_month (dt) : 1);
  json_builder_set_member_name (b, "day");
  json_builder_add_int_value (b, dt ? g_date_time_get_day_of_month (dt) : 1);
  json_builder_end_object (b);
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          gint64       us)
{
  g_autofree char *text = _tv_iso_time (us);

  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, text);
}

#define ADD_INT(b, name, v)    G_STMT_START { json_builder_set_member_name (b, name); json_builder_add_int_value (b, v); } G_STMT_END
#define ADD_DOUBLE(b, name, v) G_STMT_START { json_builder_set_member_name (b, name); json_builder_add_double_value (b, v); } G_STMT_END
#define ADD_STRING(b, name, v) G_STMT_START { json_builder_set_member_name (b, name); json_builder_add_string_value (b, v); } G_STMT_END
#define ADD_BOOL(b, name, v)   G_STMT_START { json_builder_set_member_name (b, name); json_builder_add_boolean_value (b, v); } G_STMT_END

JsonNode *
_tv_account_json (TvAccount *account)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  ADD_INT (b, "id", account->id);
  ADD_STRING (b, "name", account->name);
  ADD_INT (b, "userId", account->user_id);
  ADD_STRING (b, "accountType", "Customer");
  ADD_BOOL (b, "active", TRUE);
  ADD_INT (b, "clearingHouseId", 2);
  ADD_INT (b, "riskCategoryId", 2);
  ADD_INT (b, "autoLiqProfileId", 2);
  ADD_STRING (b, "marginAccountType", "Speculator");
  ADD_STRING (b, "legalStatus", "Individual");
  ADD_BOOL (b, "archived", FALSE);
  add_time (b, "timestamp", 0);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

JsonNode *
_tv_risk_status_json (TvAccount *account)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  ADD_INT (b, "id", account->id);
  if (account->admin_action != NULL)
    {
      ADD_STRING (b, "adminAction", account->admin_action);
      add_time (b, "adminTimestamp", g_get_real_time ());
    }
  ADD_BOOL (b, "liquidationOnly", g_strcmp0 (account->admin_action, "LiquidateOnlyModeImmediately") == 0);
  ADD_BOOL (b, "userTriggeredLiqOnly", FALSE);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static double
open_pnl (EaTradovateServer *self,
          TvAccount         *account)
{
  double total = 0;

  for (guint i = 0; i < self->positions->len; i++)
    {
      TvPosition *p = g_ptr_array_index (self->positions, i);
      TvContract *c;

      if (p->account_id != account->id || p->net_pos == 0)
        continue;
      c = _tv_find_contract (self, p->contract_id, NULL);
      if (c == NULL || !c->has_quote)
        continue;
      total += (c->last - p->net_price) * money (c->spec->tick_value) * p->net_pos;
    }

  return total;
}

JsonNode *
_tv_cash_balance_json (EaTradovateServer *self,
                       TvAccount         *account)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  double open = open_pnl (self, account);

  json_builder_begin_object (b);
  ADD_INT (b, "id", account->cash_balance_id);
  ADD_INT (b, "accountId", account->id);
  add_time (b, "timestamp", g_get_real_time ());
  add_trade_date (b, g_get_real_time ());
  ADD_INT (b, "currencyId", 1);
  ADD_DOUBLE (b, "amount", money (account->balance));
  ADD_DOUBLE (b, "realizedPnL", money (account->realized));
  ADD_DOUBLE (b, "weekRealizedPnL", money (account->realized));
  ADD_DOUBLE (b, "totalCashValue", money (account->balance));
  ADD_DOUBLE (b, "openPnL", open);
  ADD_DOUBLE (b, "totalPnL", money (account->realized) + open);
  ADD_DOUBLE (b, "netLiq", money (account->balance) + open);
  ADD_DOUBLE (b, "initialMargin", 0);
  ADD_DOUBLE (b, "maintenanceMargin", 0);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

JsonNode *
_tv_contract_json (TvContract *contract)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  ADD_INT (b, "id", contract->id);
  ADD_STRING (b, "name", contract->name);
  ADD_INT (b, "contractMaturityId", contract->maturity_id);
  add_time (b, "timestamp", 0);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

JsonNode *
_tv_maturity_json (TvContract *contract)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  ADD_INT (b, "id", contract->maturity_id);
  ADD_INT (b, "productId", contract->product_id);
  ADD_BOOL (b, "isFront", TRUE);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

JsonNode *
_tv_product_json (TvContract *contract)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const EaInstrumentSpec *spec = contract->spec;

  json_builder_begin_object (b);
  ADD_INT (b, "id", contract->product_id);
  ADD_STRING (b, "name", spec->root);
  ADD_STRING (b, "description", spec->description);
  ADD_INT (b, "currencyId", 1);
  ADD_DOUBLE (b, "tickSize", contract->product_tick_size > 0 ? contract->product_tick_size : spec->tick_size);
  ADD_DOUBLE (b, "valuePerPoint", money (spec->tick_value) / spec->tick_size);
  ADD_STRING (b, "priceFormatType", "Decimal");
  ADD_INT (b, "priceFormat", -(gint64) ea_instrument_price_decimals (spec));
  ADD_STRING (b, "months", spec->months);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

JsonNode *
_tv_order_json (TvOrder *order)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  ADD_INT (b, "id", order->id);
  ADD_INT (b, "accountId", order->account_id);
  ADD_INT (b, "contractId", order->contract_id);
  add_time (b, "timestamp", order->timestamp_us);
  ADD_STRING (b, "action", order->action);
  ADD_STRING (b, "ordStatus", order->status);
  if (order->parent_id != 0)
    ADD_INT (b, "parentId", order->parent_id);
  if (order->oco_id != 0)
    ADD_INT (b, "ocoId", order->oco_id);
  ADD_BOOL (b, "admin", FALSE);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

JsonNode *
_tv_order_version_json (EaTradovateServer *self,
                        TvOrder           *order)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  TvContract *contract = _tv_find_contract (self, order->contract_id, NULL);

  json_builder_begin_object (b);
  ADD_INT (b, "id", order->version_id);
  ADD_INT (b, "orderId", order->id);
  ADD_INT (b, "orderQty", order->qty);
  ADD_STRING (b, "orderType", order->order_type);
  if (order->has_price)
    ADD_DOUBLE (b, "price", _tv_price (contract->spec, order->price));
  if (order->has_stop)
    ADD_DOUBLE (b, "stopPrice", _tv_price (contract->spec, order->stop_price));
  ADD_STRING (b, "timeInForce", "Day");
  if (order->cl_ord_id != NULL)
    ADD_STRING (b, "clOrdId", order->cl_ord_id);
  if (order->text != NULL)
    ADD_STRING (b, "text", order->text);
  ADD_BOOL (b, "isAutomated", order->is_automated);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

JsonNode *
_tv_fill_json (EaTradovateServer *self,
               TvFill            *fill)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  TvContract *contract = _tv_find_contract (self, fill->contract_id, NULL);

  json_builder_begin_object (b);
  ADD_INT (b, "id", fill->id);
  ADD_INT (b, "orderId", fill->order_id);
  ADD_INT (b, "contractId", fill->contract_id);
  add_time (b, "timestamp", fill->timestamp_us);
  add_trade_date (b, fill->timestamp_us);
  ADD_STRING (b, "action", fill->buy ? "Buy" : "Sell");
  ADD_INT (b, "qty", fill->qty);
  ADD_DOUBLE (b, "price", _tv_price (contract->spec, fill->price));
  ADD_BOOL (b, "active", TRUE);
  ADD_BOOL (b, "finallyPaired", FALSE);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

JsonNode *
_tv_position_json (EaTradovateServer *self,
                   TvPosition        *position)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  TvContract *contract = _tv_find_contract (self, position->contract_id, NULL);

  json_builder_begin_object (b);
  ADD_INT (b, "id", position->id);
  ADD_INT (b, "accountId", position->account_id);
  ADD_INT (b, "contractId", position->contract_id);
  add_time (b, "timestamp", position->timestamp_us);
  add_trade_date (b, position->timestamp_us);
  ADD_INT (b, "netPos", position->net_pos);
  if (position->net_pos != 0)
    ADD_DOUBLE (b, "netPrice", position->net_price * contract->spec->tick_size);
  ADD_INT (b, "bought", position->bought);
  ADD_DOUBLE (b, "boughtValue", position->bought_value);
  ADD_INT (b, "sold", position->sold);
  ADD_DOUBLE (b, "soldValue", position->sold_value);
  ADD_INT (b, "prevPos", 0);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}
