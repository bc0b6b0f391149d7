/* ea-ibkr-gateway-orders.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local gateway's market and orders: contracts with conids, the
 * embedded exchange's events turned into smd, sor, str and spl messages,
 * and the REST views of orders, trades and positions.
 */
#define G_LOG_DOMAIN "ea-ibkr-gateway"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-broker-util.h"
#include "ea-ibkr-gateway-private.h"

#define CONID_BASE G_GINT64_CONSTANT (495512000)

JsonNode *
_ea_gw_object_node (JsonObject *o)
{
  JsonNode *n = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (n, o);
  return n;
}

JsonNode *
_ea_gw_array_node (JsonArray *a)
{
  JsonNode *n = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (n, a);
  return n;
}

void
_ea_gw_take_string (JsonObject *o,
             const char *member,
             char       *value)
{
  json_object_set_string_member (o, member, value);
  g_free (value);
}

JsonNode *
_ea_gw_error_node (const char *fmt,
                   ...)
{
  g_autofree char *text = NULL;
  JsonObject *o = json_object_new ();
  va_list args;

  va_start (args, fmt);
  text = g_strdup_vprintf (fmt, args);
  va_end (args);
  json_object_set_string_member (o, "error", text);
  return _ea_gw_object_node (o);
}

GwContract *
_ea_gw_contract_by_conid (EaIbkrGateway *self,
                          gint64         conid)
{
  for (guint i = 0; i < self->contracts->len; i++)
    {
      GwContract *c = self->contracts->pdata[i];

      if (c->conid == conid)
        return c;
    }
  return NULL;
}

GwContract *
_ea_gw_contract_front (EaIbkrGateway *self,
                       const char    *root)
{
  for (guint i = 0; i < self->contracts->len; i++)
    {
      GwContract *c = self->contracts->pdata[i];

      if (c->tradeable && g_strcmp0 (c->spec->root, root) == 0)
        return c;
    }
  return NULL;
}

static char *
price_string (const EaInstrumentSpec *spec,
              EaTicks                 ticks)
{
  return ea_instrument_format_price_decimal (spec, ticks);
}

JsonObject *
_ea_gw_market_fields (EaIbkrGateway *self,
                      GwContract    *c,
                      gboolean       all)
{
  const EaQuoteData *q = ea_sim_exchange_get_quote (self->ex, c->spec->root);
  JsonObject *o = json_object_new ();
  g_autofree char *last = NULL;

  json_object_set_int_member (o, "conid", c->conid);
  _ea_gw_take_string (o, "conidEx", g_strdup_printf ("%" G_GINT64_FORMAT, c->conid));
  json_object_set_int_member (o, "_updated", g_get_real_time () / 1000);
  if (q == NULL)
    return o;
  if (q->bid > 0)
    _ea_gw_take_string (o, "84", price_string (c->spec, q->bid));
  if (q->ask > 0)
    _ea_gw_take_string (o, "86", price_string (c->spec, q->ask));
  _ea_gw_take_string (o, "88", g_strdup_printf ("%" G_GINT64_FORMAT, q->bid_size));
  _ea_gw_take_string (o, "85", g_strdup_printf ("%" G_GINT64_FORMAT, q->ask_size));
  if (q->last > 0)
    {
      /* Before the first trade of the session the last is the prior close. */
      last = price_string (c->spec, q->last);
      json_object_set_string_member (o, "31", last);
    }
  else if (all && q->bid > 0)
    {
      g_autofree char *close = price_string (c->spec, q->bid);

      _ea_gw_take_string (o, "31", g_strconcat ("C", close, NULL));
    }
  if (q->last_size > 0 || all)
    _ea_gw_take_string (o, "7059", g_strdup_printf ("%" G_GINT64_FORMAT, q->last_size));
  _ea_gw_take_string (o, "7762", g_strdup_printf ("%" G_GINT64_FORMAT, q->volume));
  json_object_set_string_member (o, "6509", "RpB");
  return o;
}

/* Only the fields that changed since the last push, plus the trade. */
static void
push_market (EaIbkrGateway *self,
             GwContract    *c,
             const EaQuoteData *q)
{
  JsonObject *now = _ea_gw_market_fields (self, c, FALSE);
  JsonObject *delta = json_object_new ();
  GList *members = json_object_get_members (now);

  _ea_gw_take_string (delta, "topic", g_strdup_printf ("smd+%" G_GINT64_FORMAT, c->conid));
  for (GList *l = members; l; l = l->next)
    {
      const char *k = l->data;
      const char *v = ea_json_get_string (now, k);
      const char *old = ea_json_get_string (c->md_last, k);
      gboolean traded = q->last_size > 0 && (g_str_equal (k, "31") || g_str_equal (k, "7059"));

      if (v == NULL || traded || g_strcmp0 (v, old) != 0)
        json_object_set_member (delta, k, json_node_copy (json_object_get_member (now, k)));
    }
  g_list_free (members);
  g_clear_pointer (&c->md_last, json_object_unref);
  c->md_last = now;
  _ea_gw_ws_broadcast (self, "smd", c->conid, delta);
  json_object_unref (delta);
}

static const char *
status_name (EaOrderState s)
{
  switch (s)
    {
    case EA_ORDER_STATE_PENDING_NEW:
      return "PendingSubmit";
    case EA_ORDER_STATE_SUSPENDED:
      return "PreSubmitted";
    case EA_ORDER_STATE_WORKING:
    case EA_ORDER_STATE_PARTIALLY_FILLED:
    case EA_ORDER_STATE_PENDING_REPLACE:
      return "Submitted";
    case EA_ORDER_STATE_FILLED:
      return "Filled";
    case EA_ORDER_STATE_CANCELLED:
    case EA_ORDER_STATE_EXPIRED:
      return "Cancelled";
    case EA_ORDER_STATE_PENDING_CANCEL:
      return "PendingCancel";
    case EA_ORDER_STATE_REJECTED:
    case EA_ORDER_STATE_UNKNOWN:
      return "Inactive";
    default:
      return "Inactive";
    }
}

static const char *
type_name (EaOrderType t)
{
  switch (t)
    {
    case EA_ORDER_TYPE_MARKET:
      return "MKT";
    case EA_ORDER_TYPE_LIMIT:
      return "LMT";
    case EA_ORDER_TYPE_STOP:
      return "STP";
    case EA_ORDER_TYPE_STOP_LIMIT:
      return "STOP_LIMIT";
    default:
      return "MKT";
    }
}

JsonObject *
_ea_gw_order_record (EaIbkrGateway *self,
                     GwOrder       *g)
{
  const EaOrderData *d = ea_sim_exchange_get_order (self->ex, g->sim_id);
  const EaInstrumentSpec *spec = g->contract->spec;
  JsonObject *o = json_object_new ();
  EaTicks price = 0, aux = 0;

  json_object_set_string_member (o, "acct", g->account);
  json_object_set_int_member (o, "conid", g->contract->conid);
  json_object_set_int_member (o, "orderId", g->id);
  json_object_set_string_member (o, "order_ref", g->order_ref);
  json_object_set_string_member (o, "ticker", spec->root);
  json_object_set_string_member (o, "secType", "FUT");
  if (g->parent_id)
    json_object_set_int_member (o, "parentId", g->parent_id);
  if (d == NULL)
    return o;
  json_object_set_string_member (o, "side", d->side == EA_SIDE_BUY ? "BUY" : "SELL");
  json_object_set_string_member (o, "orderType", type_name (d->type));
  json_object_set_string_member (o, "origOrderType", type_name (d->type));
  json_object_set_string_member (o, "timeInForce", d->tif == EA_TIME_IN_FORCE_GTC ? "GTC" : "DAY");
  switch (d->type)
    {
    case EA_ORDER_TYPE_LIMIT:
      price = d->limit_price;
      break;
    case EA_ORDER_TYPE_STOP:
      price = d->stop_price;
      break;
    case EA_ORDER_TYPE_STOP_LIMIT:
      price = d->limit_price;
      aux = d->stop_price;
      break;
    case EA_ORDER_TYPE_MARKET:
    default:
      break;
    }
  if (price)
    _ea_gw_take_string (o, "price", price_string (spec, price));
  if (aux)
    _ea_gw_take_string (o, "auxPrice", price_string (spec, aux));
  if (d->filled_qty > 0)
    _ea_gw_take_string (o, "avgPrice",
                 g_strdup_printf ("%.9g", d->avg_fill_price * spec->tick_size));
  json_object_set_int_member (o, "totalSize", d->qty);
  json_object_set_int_member (o, "filledQuantity", d->filled_qty);
  json_object_set_int_member (o, "remainingQuantity", MAX (0, d->qty - d->filled_qty));
  json_object_set_string_member (o, "status", status_name (d->state));
  json_object_set_int_member (o, "lastExecutionTime_r", d->updated / 1000);
  return o;
}

static GwOrder *
order_for_sim (EaIbkrGateway     *self,
               const EaOrderData *d)
{
  GwOrder *g = g_hash_table_lookup (self->order_by_sim, d->broker_order_id);

  if (g == NULL)
    {
      GwContract *c = _ea_gw_contract_front (self, d->symbol);

      if (c == NULL)
        return NULL;
      g = g_new0 (GwOrder, 1);
      g->id = self->next_order_id++;
      g->sim_id = g_strdup (d->broker_order_id);
      g->account = g_strdup (d->account);
      g->order_ref = g_strdup (d->client_order_id);
      g->contract = c;
      if (d->parent_order_id)
        {
          GwOrder *p = g_hash_table_lookup (self->order_by_sim, d->parent_order_id);

          g->parent_id = p ? p->id : 0;
        }
      g_ptr_array_add (self->orders, g);
      g_hash_table_insert (self->order_by_sim, g->sim_id, g);
    }
  return g;
}

static void
sink_quote (gpointer user_data, const EaQuoteData *q)
{
  EaIbkrGateway *self = user_data;
  GwContract *c = _ea_gw_contract_front (self, q->symbol);

  if (c != NULL)
    push_market (self, c, q);
}

static void
sink_order (gpointer user_data, const EaOrderData *d)
{
  EaIbkrGateway *self = user_data;
  GwOrder *g = order_for_sim (self, d);
  JsonObject *now, *delta, *msg;
  JsonArray *args;
  GList *members;

  if (g == NULL)
    return;
  now = _ea_gw_order_record (self, g);
  delta = json_object_new ();
  members = json_object_get_members (now);
  for (GList *l = members; l; l = l->next)
    {
      JsonNode *v = json_object_get_member (now, l->data);
      JsonNode *old = g->last ? json_object_get_member (g->last, l->data) : NULL;

      if (old == NULL || !json_node_equal (v, old) || g_str_equal (l->data, "orderId"))
        json_object_set_member (delta, l->data, json_node_copy (v));
    }
  g_list_free (members);
  g_clear_pointer (&g->last, json_object_unref);
  g->last = now;
  msg = json_object_new ();
  args = json_array_new ();
  json_array_add_object_element (args, delta);
  json_object_set_string_member (msg, "topic", "sor");
  json_object_set_array_member (msg, "args", args);
  _ea_gw_ws_broadcast (self, "sor", 0, msg);
  json_object_unref (msg);
}

static void
sink_fill (gpointer user_data, const EaFillData *f)
{
  EaIbkrGateway *self = user_data;
  GwOrder *g = g_hash_table_lookup (self->order_by_sim, f->broker_order_id);
  GwContract *c = _ea_gw_contract_front (self, f->symbol);
  JsonObject *t, *msg;
  JsonArray *args;

  if (c == NULL)
    return;
  t = json_object_new ();
  _ea_gw_take_string (t, "execution_id", g_strdup_printf ("0000e0d5.%s.01.01", f->fill_id));
  json_object_set_string_member (t, "symbol", c->spec->root);
  json_object_set_string_member (t, "side", f->side == EA_SIDE_BUY ? "B" : "S");
  json_object_set_int_member (t, "trade_time_r", f->time / 1000);
  _ea_gw_take_string (t, "size", g_strdup_printf ("%" G_GINT64_FORMAT, f->qty));
  _ea_gw_take_string (t, "price", price_string (c->spec, f->price));
  json_object_set_string_member (t, "order_ref", f->client_order_id);
  json_object_set_string_member (t, "account", f->account);
  json_object_set_int_member (t, "conid", c->conid);
  json_object_set_string_member (t, "sec_type", "FUT");
  if (g != NULL)
    json_object_set_int_member (t, "order_id", g->id);
  json_array_add_object_element (self->trades, json_object_ref (t));
  msg = json_object_new ();
  args = json_array_new ();
  json_array_add_object_element (args, t);
  json_object_set_string_member (msg, "topic", "str");
  json_object_set_array_member (msg, "args", args);
  _ea_gw_ws_broadcast (self, "str", 0, msg);
  json_object_unref (msg);
}

static void
sink_account (gpointer user_data, const EaAccountData *a)
{
  EaIbkrGateway *self = user_data;
  JsonObject *msg = json_object_new ();
  JsonObject *args = json_object_new ();
  JsonObject *row = json_object_new ();
  g_autofree char *key = g_strdup_printf ("%s.Core", a->name);

  json_object_set_int_member (row, "rowType", 1);
  json_object_set_double_member (row, "dpl", (double) (a->realized_pnl + a->open_pnl) / EA_MICROS_PER_UNIT);
  json_object_set_double_member (row, "upl", (double) a->open_pnl / EA_MICROS_PER_UNIT);
  json_object_set_object_member (args, key, row);
  json_object_set_string_member (msg, "topic", "spl");
  json_object_set_object_member (msg, "args", args);
  _ea_gw_ws_broadcast (self, "spl", 0, msg);
  json_object_unref (msg);
}

static void
contract_free (GwContract *c)
{
  g_clear_pointer (&c->md_last, json_object_unref);
  g_free (c);
}

void
_ea_gw_orders_init (EaIbkrGateway *self)
{
  static const EaSimSink sink = {
    .quote = sink_quote,
    .order = sink_order,
    .fill = sink_fill,
    .account = sink_account,
  };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint32 today = g_date_time_get_year (now) * 10000 + g_date_time_get_month (now) * 100 +
                  g_date_time_get_day_of_month (now);

  self->ex = ea_sim_exchange_new (7, g_get_real_time ());
  ea_sim_exchange_set_generator_enabled (self->ex, FALSE);
  ea_sim_exchange_set_always_open (self->ex, TRUE);
  ea_sim_exchange_set_sink (self->ex, &sink, self);
  self->contracts = g_ptr_array_new_with_free_func ((GDestroyNotify) contract_free);
  /* Three listed months per root from the core's front month; only the
   * front one trades. */
  for (guint i = 0; i < ea_sim_exchange_get_n_symbols (self->ex); i++)
    {
      const EaInstrumentSpec *spec = ea_instrument_lookup (ea_sim_exchange_get_symbol (self->ex, i));
      EaContract k;

      if (spec == NULL || !ea_contract_front (spec, today, &k))
        continue;
      for (guint j = 0; j < 3; j++)
        {
          GwContract *c = g_new0 (GwContract, 1);
          EaContract next;

          c->spec = spec;
          c->conid = CONID_BASE + i * 10 + j;
          c->expiration = ea_contract_last_trade_day (&k);
          c->tradeable = j == 0;
          g_ptr_array_add (self->contracts, c);
          ea_contract_next (&k, &next);
          k = next;
        }
    }
  self->orders = g_ptr_array_new ();
  self->order_by_sim = g_hash_table_new (g_str_hash, g_str_equal);
  self->trades = json_array_new ();
  self->next_order_id = 1289000001;
}

JsonNode *
_ea_gw_futures (EaIbkrGateway *self,
                const char    *symbols)
{
  g_auto(GStrv) list = g_strsplit (symbols ? symbols : "", ",", -1);
  JsonObject *root = json_object_new ();

  for (guint i = 0; list[i]; i++)
    {
      JsonArray *a = json_array_new ();

      for (guint j = 0; j < self->contracts->len; j++)
        {
          GwContract *c = self->contracts->pdata[j];
          JsonObject *o;

          if (g_strcmp0 (c->spec->root, list[i]) != 0)
            continue;
          o = json_object_new ();
          json_object_set_string_member (o, "symbol", c->spec->root);
          json_object_set_int_member (o, "conid", c->conid);
          json_object_set_int_member (o, "underlyingConid", CONID_BASE - 1);
          json_object_set_int_member (o, "expirationDate", c->expiration);
          json_object_set_int_member (o, "ltd", c->expiration);
          json_object_set_int_member (o, "shortFuturesCutOff", c->expiration);
          json_object_set_int_member (o, "longFuturesCutOff", c->expiration);
          json_array_add_object_element (a, o);
        }
      if (json_array_get_length (a) > 0)
        json_object_set_array_member (root, list[i], a);
      else
        json_array_unref (a);
    }
  return _ea_gw_object_node (root);
}

JsonNode *
_ea_gw_snapshot (EaIbkrGateway *self,
                 const char    *conids)
{
  g_auto(GStrv) list = g_strsplit (conids ? conids : "", ",", -1);
  JsonArray *a = json_array_new ();

  for (guint i = 0; list[i]; i++)
    {
      gint64 id;
      GwContract *c;

      if (!ea_parse_int64 (list[i], &id) || (c = _ea_gw_contract_by_conid (self, id)) == NULL)
        continue;
      if (!c->md_primed || !c->tradeable)
        {
          JsonObject *o = json_object_new ();

          /* The first request for a conid only opens the stream. */
          c->md_primed = TRUE;
          json_object_set_int_member (o, "conid", c->conid);
          json_object_set_string_member (o, "conidEx", list[i]);
          json_object_set_int_member (o, "_updated", g_get_real_time () / 1000);
          json_object_set_string_member (o, "server_id", "q0");
          json_array_add_object_element (a, o);
          continue;
        }
      json_array_add_object_element (a, _ea_gw_market_fields (self, c, TRUE));
    }
  return _ea_gw_array_node (a);
}

JsonNode *
_ea_gw_list_orders (EaIbkrGateway *self)
{
  JsonObject *root = json_object_new ();
  JsonArray *a = json_array_new ();

  json_object_set_array_member (root, "filters", json_array_new ());
  if (self->orders_primed)
    for (guint i = 0; i < self->orders->len; i++)
      json_array_add_object_element (a, _ea_gw_order_record (self, self->orders->pdata[i]));
  json_object_set_array_member (root, "orders", a);
  json_object_set_boolean_member (root, "snapshot", self->orders_primed);
  self->orders_primed = TRUE;
  return _ea_gw_object_node (root);
}

JsonNode *
_ea_gw_list_trades (EaIbkrGateway *self)
{
  JsonNode *n = json_node_new (JSON_NODE_ARRAY);

  json_node_set_array (n, self->trades);
  return n;
}

JsonNode *
_ea_gw_positions (EaIbkrGateway *self,
                  const char    *account,
                  guint          page)
{
  g_autoptr(EaSnapshotData) s = ea_sim_exchange_snapshot (self->ex, account);
  JsonArray *a = json_array_new ();
  guint64 first = (guint64) page * self->page_size;
  guint64 seen = 0;

  for (guint i = 0; s && i < s->positions->len; i++)
    {
      const EaPositionData *p = s->positions->pdata[i];
      GwContract *c = _ea_gw_contract_front (self, p->symbol);
      JsonObject *o;
      double avg;

      if (c == NULL || p->qty == 0)
        continue;
      if (seen++ < first || json_array_get_length (a) >= self->page_size)
        continue;
      avg = p->avg_price * c->spec->tick_size;
      o = json_object_new ();
      json_object_set_string_member (o, "acctId", p->account);
      json_object_set_int_member (o, "conid", c->conid);
      json_object_set_string_member (o, "contractDesc", c->spec->root);
      json_object_set_string_member (o, "ticker", c->spec->root);
      json_object_set_string_member (o, "assetClass", "FUT");
      json_object_set_double_member (o, "position", (double) p->qty);
      json_object_set_double_member (o, "avgPrice", avg);
      json_object_set_double_member (o, "avgCost", avg * (ea_instrument_point_value (c->spec) / 1e6));
      json_object_set_double_member (o, "realizedPnl", (double) p->realized_pnl / EA_MICROS_PER_UNIT);
      json_object_set_double_member (o, "unrealizedPnl", (double) p->open_pnl / EA_MICROS_PER_UNIT);
      json_object_set_string_member (o, "currency", "USD");
      json_object_set_double_member (o, "multiplier", ea_instrument_point_value (c->spec) / 1e6);
      json_object_set_string_member (o, "listingExchange", c->spec->exchange);
      json_array_add_object_element (a, o);
    }
  return _ea_gw_array_node (a);
}

GwOrder *
_ea_gw_order_by_id (EaIbkrGateway *self,
             gint64         id)
{
  for (guint i = 0; i < self->orders->len; i++)
    if (((GwOrder *) self->orders->pdata[i])->id == id)
      return self->orders->pdata[i];
  return NULL;
}

JsonNode *
_ea_gw_order_status (EaIbkrGateway *self,
                     gint64         id,
                     guint         *status)
{
  GwOrder *g = _ea_gw_order_by_id (self, id);
  JsonObject *o;

  if (g == NULL)
    {
      *status = 404;
      return _ea_gw_error_node ("OrderID %" G_GINT64_FORMAT " not found", id);
    }
  o = _ea_gw_order_record (self, g);
  json_object_set_int_member (o, "order_id", g->id);
  json_object_set_string_member (o, "order_status", ea_json_get_string (o, "status"));
  *status = 200;
  return _ea_gw_object_node (o);
}

