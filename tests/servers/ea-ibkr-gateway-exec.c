/* ea-ibkr-gateway-exec.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local gateway's order execution: placement bodies (wrapped or bare,
 * brackets by parentId), modification and cancellation on the embedded
 * exchange, with the acknowledgements the gateway sends.
 */
#define G_LOG_DOMAIN "ea-ibkr-gateway"

#include "config.h"

#include <string.h>

#include "ea-broker-util.h"
#include "ea-ibkr-gateway-private.h"

static gboolean
price_member (JsonObject             *o,
              const char             *member,
              const EaInstrumentSpec *spec,
              EaTicks                *out)
{
  double d;

  if (!ea_json_get_double (o, member, &d) || d <= 0)
    return FALSE;
  *out = ea_instrument_price_to_ticks (spec, d);
  return TRUE;
}

/* One order object into the fields of a request; NULL on success. */
static char *
read_order (EaIbkrGateway  *self,
            JsonObject     *o,
            GwContract    **contract,
            EaSide         *side,
            EaOrderType    *type,
            gint64         *qty,
            EaTicks        *limit,
            EaTicks        *stop,
            EaTimeInForce  *tif)
{
  const char *s;
  gint64 conid;
  EaTicks p = 0, aux = 0;
  gboolean has_p, has_aux;

  if (!ea_json_get_int (o, "conid", &conid) || (*contract = _ea_gw_contract_by_conid (self, conid)) == NULL)
    return g_strdup ("invalid conid");
  if (!(*contract)->tradeable)
    return g_strdup ("contract is not trading in this gateway");
  s = ea_json_get_string (o, "side");
  if (g_strcmp0 (s, "BUY") == 0)
    *side = EA_SIDE_BUY;
  else if (g_strcmp0 (s, "SELL") == 0)
    *side = EA_SIDE_SELL;
  else
    return g_strdup ("invalid side");
  s = ea_json_get_string (o, "orderType");
  if (g_strcmp0 (s, "MKT") == 0)
    *type = EA_ORDER_TYPE_MARKET;
  else if (g_strcmp0 (s, "LMT") == 0)
    *type = EA_ORDER_TYPE_LIMIT;
  else if (g_strcmp0 (s, "STP") == 0)
    *type = EA_ORDER_TYPE_STOP;
  else if (g_strcmp0 (s, "STOP_LIMIT") == 0)
    *type = EA_ORDER_TYPE_STOP_LIMIT;
  else
    return g_strdup_printf ("unsupported orderType %s", s ? s : "(none)");
  if (!ea_json_get_int (o, "quantity", qty) || *qty <= 0 || *qty > 10000)
    return g_strdup ("invalid quantity");
  s = ea_json_get_string (o, "tif");
  *tif = g_strcmp0 (s, "GTC") == 0 ? EA_TIME_IN_FORCE_GTC : EA_TIME_IN_FORCE_DAY;
  has_p = price_member (o, "price", (*contract)->spec, &p);
  has_aux = price_member (o, "auxPrice", (*contract)->spec, &aux);
  *limit = *stop = 0;
  switch (*type)
    {
    case EA_ORDER_TYPE_LIMIT:
      if (!has_p)
        return g_strdup ("limit order without price");
      *limit = p;
      break;
    case EA_ORDER_TYPE_STOP:
      if (!has_p)
        return g_strdup ("stop order without price");
      *stop = p;
      break;
    case EA_ORDER_TYPE_STOP_LIMIT:
      if (!has_p || !has_aux)
        return g_strdup ("stop limit order without price and auxPrice");
      *limit = p;
      *stop = aux;
      break;
    case EA_ORDER_TYPE_MARKET:
    default:
      break;
    }
  return NULL;
}

static JsonObject *
ack (EaIbkrGateway *self,
     GwOrder       *g)
{
  JsonObject *o = _ea_gw_order_record (self, g);
  JsonObject *a = json_object_new ();

  _ea_gw_take_string (a, "order_id", g_strdup_printf ("%" G_GINT64_FORMAT, g->id));
  json_object_set_string_member (a, "order_status", ea_json_get_string (o, "status"));
  json_object_set_string_member (a, "encrypt_message", "1");
  json_object_unref (o);
  return a;
}

static GwOrder *
order_by_ref (EaIbkrGateway *self,
              const char    *account,
              const char    *ref)
{
  for (guint i = self->orders->len; i > 0; i--)
    {
      GwOrder *g = self->orders->pdata[i - 1];

      if (g_strcmp0 (g->account, account) == 0 && g_strcmp0 (g->order_ref, ref) == 0)
        return g;
    }
  return NULL;
}

static JsonNode *
execute_place (EaIbkrGateway *self,
               GwPending     *p,
               guint         *status)
{
  JsonArray *orders = NULL;
  g_autoptr(EaOrderRequest) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sim_id = NULL;
  JsonObject *parent = NULL;
  JsonArray *reply;
  GwContract *c = NULL;
  EaSide side;
  EaOrderType type;
  EaTimeInForce tif;
  gint64 qty;
  EaTicks limit, stop;
  char *problem;
  const char *coid;

  *status = 400;
  if (JSON_NODE_HOLDS_ARRAY (p->body))
    orders = json_node_get_array (p->body);
  else if (JSON_NODE_HOLDS_OBJECT (p->body))
    orders = ea_json_get_array (json_node_get_object (p->body), "orders");
  if (orders == NULL || json_array_get_length (orders) == 0 || json_array_get_length (orders) > 3)
    return _ea_gw_error_node ("Bad request: expected {\"orders\": [...]}");
  for (guint i = 0; i < json_array_get_length (orders); i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (orders, i)))
      return _ea_gw_error_node ("Bad request: order is not an object");
  parent = json_array_get_object_element (orders, 0);
  if ((problem = read_order (self, parent, &c, &side, &type, &qty, &limit, &stop, &tif)) != NULL)
    {
      JsonNode *n = _ea_gw_error_node ("%s", problem);

      g_free (problem);
      return n;
    }
  coid = ea_json_get_string (parent, "cOID");
  if (coid == NULL || *coid == '\0' || strlen (coid) > 64)
    return _ea_gw_error_node ("cOID is required");
  if (order_by_ref (self, p->account, coid) != NULL)
    return _ea_gw_error_node ("Local order ID %s is already registered.", coid);
  r = ea_order_request_new (p->account, c->spec->root, coid, side, type, qty);
  r->limit_price = limit;
  r->stop_price = stop;
  r->tif = tif;
  for (guint i = 1; i < json_array_get_length (orders); i++)
    {
      JsonObject *child = json_array_get_object_element (orders, i);
      GwContract *cc = NULL;
      EaSide cs;
      EaOrderType ct;
      EaTimeInForce ctif;
      gint64 cq;
      EaTicks cl, cst;

      if ((problem = read_order (self, child, &cc, &cs, &ct, &cq, &cl, &cst, &ctif)) != NULL)
        {
          JsonNode *n = _ea_gw_error_node ("child order: %s", problem);

          g_free (problem);
          return n;
        }
      if (g_strcmp0 (ea_json_get_string (child, "parentId"), coid) != 0 || cc != c || cs == side ||
          cq != qty || ea_json_get_string (child, "cOID") == NULL)
        return _ea_gw_error_node ("child order does not match its parent (parentId, conid, side, quantity, cOID)");
      if (ct == EA_ORDER_TYPE_STOP && !r->has_stop_loss)
        {
          r->has_stop_loss = TRUE;
          r->stop_loss_price = cst;
          r->stop_loss_client_order_id = g_strdup (ea_json_get_string (child, "cOID"));
        }
      else if (ct == EA_ORDER_TYPE_LIMIT && !r->has_take_profit)
        {
          r->has_take_profit = TRUE;
          r->take_profit_price = cl;
          r->take_profit_client_order_id = g_strdup (ea_json_get_string (child, "cOID"));
        }
      else
        return _ea_gw_error_node ("unsupported bracket child");
    }
  sim_id = ea_sim_exchange_place (self->ex, r, &error);
  if (sim_id == NULL)
    return _ea_gw_error_node ("%s", error->message);
  reply = json_array_new ();
  json_array_add_object_element (reply, ack (self, g_hash_table_lookup (self->order_by_sim, sim_id)));
  if (r->has_stop_loss)
    json_array_add_object_element (reply, ack (self, order_by_ref (self, p->account, r->stop_loss_client_order_id)));
  if (r->has_take_profit)
    json_array_add_object_element (reply, ack (self, order_by_ref (self, p->account, r->take_profit_client_order_id)));
  *status = 200;
  return _ea_gw_array_node (reply);
}

static JsonNode *
execute_modify (EaIbkrGateway *self,
                GwPending     *p,
                guint         *status)
{
  g_autoptr(GError) error = NULL;
  GwOrder *g = _ea_gw_order_by_id (self, p->modify_id);
  const EaOrderData *d;
  JsonObject *o;
  EaTicks price = 0, aux = 0;
  gint64 qty = 0;
  JsonArray *reply;

  *status = 400;
  if (g == NULL || g_strcmp0 (g->account, p->account) != 0)
    {
      *status = 404;
      return _ea_gw_error_node ("OrderID %" G_GINT64_FORMAT " not found", p->modify_id);
    }
  d = ea_sim_exchange_get_order (self->ex, g->sim_id);
  if (!JSON_NODE_HOLDS_OBJECT (p->body))
    return _ea_gw_error_node ("Bad request: expected an order object");
  o = json_node_get_object (p->body);
  if (json_object_has_member (o, "quantity") && (!ea_json_get_int (o, "quantity", &qty) || qty <= 0))
    return _ea_gw_error_node ("invalid quantity");
  price_member (o, "price", g->contract->spec, &price);
  price_member (o, "auxPrice", g->contract->spec, &aux);
  if (!ea_sim_exchange_modify (self->ex, g->sim_id, qty,
                               d->type == EA_ORDER_TYPE_STOP ? 0 : price,
                               d->type == EA_ORDER_TYPE_STOP ? price : aux, &error))
    return _ea_gw_error_node ("%s", error->message);
  reply = json_array_new ();
  json_array_add_object_element (reply, ack (self, g));
  *status = 200;
  return _ea_gw_array_node (reply);
}

JsonNode *
_ea_gw_execute (EaIbkrGateway *self,
                GwPending     *p,
                guint         *status)
{
  return p->modify_id ? execute_modify (self, p, status) : execute_place (self, p, status);
}

JsonNode *
_ea_gw_cancel (EaIbkrGateway *self,
               const char    *account,
               gint64         id,
               guint         *status)
{
  g_autoptr(GError) error = NULL;
  GwOrder *g;
  JsonObject *o;

  if (id == -1)
    {
      ea_sim_exchange_cancel_all (self->ex, account, NULL);
      o = json_object_new ();
      json_object_set_string_member (o, "msg", "Request was submitted");
      json_object_set_int_member (o, "order_id", -1);
      json_object_set_string_member (o, "account", account);
      *status = 200;
      return _ea_gw_object_node (o);
    }
  g = _ea_gw_order_by_id (self, id);
  if (g == NULL || g_strcmp0 (g->account, account) != 0)
    {
      *status = 404;
      return _ea_gw_error_node ("OrderID %" G_GINT64_FORMAT " doesn't exist", id);
    }
  if (!ea_sim_exchange_cancel (self->ex, g->sim_id, &error))
    {
      *status = 400;
      return _ea_gw_error_node ("OrderID %" G_GINT64_FORMAT " cannot be cancelled: %s", id, error->message);
    }
  o = json_object_new ();
  json_object_set_string_member (o, "msg", "Request was submitted");
  json_object_set_int_member (o, "order_id", g->id);
  json_object_set_int_member (o, "conid", g->contract->conid);
  json_object_set_string_member (o, "account", account);
  *status = 200;
  return _ea_gw_object_node (o);
}
