/* ea-ibkr-proto.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-ibkr-proto"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-broker-util.h"
#include "ea-ibkr-proto.h"

G_DEFINE_QUARK (ea-ibkr-proto-error-quark, ea_ibkr_proto_error)

const char *const ea_ibkr_md_fields[] = { "31", "84", "86", "88", "85", "7059", "7762", "6509", NULL };

static gboolean
malformed (GError    **error,
           const char *what)
{
  g_set_error (error, EA_IBKR_PROTO_ERROR, EA_IBKR_PROTO_ERROR_MALFORMED, "Malformed gateway reply: %s", what);
  return FALSE;
}

/* {"error": "…"} anywhere a reply is expected. */
static gboolean
check_error_object (JsonNode *root,
                    GError  **error)
{
  const char *text;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return TRUE;
  text = ea_json_get_string (json_node_get_object (root), "error");
  if (text == NULL)
    return TRUE;
  g_set_error (error, EA_IBKR_PROTO_ERROR, EA_IBKR_PROTO_ERROR_SERVER, "%s", text);
  return FALSE;
}

gboolean
ea_ibkr_parse_auth_status (JsonNode          *root,
                           EaIbkrAuthStatus  *out,
                           GError           **error)
{
  JsonObject *o;

  memset (out, 0, sizeof *out);
  if (!check_error_object (root, error))
    return FALSE;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return malformed (error, "auth status is not an object");
  o = json_node_get_object (root);
  if (!json_object_has_member (o, "authenticated"))
    return malformed (error, "auth status without \"authenticated\"");
  out->authenticated = ea_json_get_bool (o, "authenticated", FALSE);
  out->connected = ea_json_get_bool (o, "connected", FALSE);
  out->competing = ea_json_get_bool (o, "competing", FALSE);
  out->message = g_strdup (ea_json_get_string (o, "message"));
  return TRUE;
}

void
ea_ibkr_auth_status_clear (EaIbkrAuthStatus *status)
{
  g_clear_pointer (&status->message, g_free);
}

GStrv
ea_ibkr_parse_accounts (JsonNode  *root,
                        char     **selected,
                        GError   **error)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  JsonArray *a;

  if (selected)
    *selected = NULL;
  if (!check_error_object (root, error))
    return NULL;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      malformed (error, "accounts is not an object");
      return NULL;
    }
  a = ea_json_get_array (json_node_get_object (root), "accounts");
  if (a == NULL)
    {
      malformed (error, "no \"accounts\" array");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *n = json_array_get_element (a, i);

      if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING &&
          *json_node_get_string (n) != '\0')
        g_strv_builder_add (b, json_node_get_string (n));
    }
  if (selected)
    *selected = g_strdup (ea_json_get_string (json_node_get_object (root), "selectedAccount"));
  return g_strv_builder_end (b);
}

gboolean
ea_ibkr_parse_order_reply (JsonNode     *root,
                           EaIbkrReply  *out,
                           GError      **error)
{
  JsonArray *a;
  JsonObject *first;

  memset (out, 0, sizeof *out);
  if (root == NULL)
    return malformed (error, "empty order reply");
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *o = json_node_get_object (root);
      const char *text = ea_json_get_string (o, "error");

      if (text != NULL)
        {
          out->kind = EA_IBKR_REPLY_ERROR;
          out->message = g_strdup (text);
          return TRUE;
        }
      /* Documented as a bare object: treat it as a one-element array. */
      a = json_array_new ();
      json_array_add_object_element (a, json_object_ref (o));
    }
  else if (JSON_NODE_HOLDS_ARRAY (root))
    a = json_array_ref (json_node_get_array (root));
  else
    return malformed (error, "order reply is neither an array nor an object");

  if (json_array_get_length (a) == 0 || !JSON_NODE_HOLDS_OBJECT (json_array_get_element (a, 0)))
    {
      json_array_unref (a);
      return malformed (error, "order reply without an entry");
    }
  first = json_array_get_object_element (a, 0);
  if (json_object_has_member (first, "id") && json_object_has_member (first, "message"))
    {
      JsonArray *lines = ea_json_get_array (first, "message");
      JsonArray *ids = ea_json_get_array (first, "messageIds");
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
      GString *text = g_string_new (NULL);
      const char *id = ea_json_get_string (first, "id");

      if (id == NULL || *id == '\0' || lines == NULL)
        {
          g_string_free (text, TRUE);
          json_array_unref (a);
          return malformed (error, "question without id or message");
        }
      for (guint i = 0; i < json_array_get_length (lines); i++)
        {
          JsonNode *n = json_array_get_element (lines, i);

          if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
            {
              if (text->len)
                g_string_append_c (text, '\n');
              g_string_append (text, json_node_get_string (n));
            }
        }
      for (guint i = 0; ids && i < json_array_get_length (ids); i++)
        {
          JsonNode *n = json_array_get_element (ids, i);

          if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
            g_strv_builder_add (b, json_node_get_string (n));
        }
      out->kind = EA_IBKR_REPLY_QUESTION;
      out->question_id = g_strdup (id);
      out->message = g_string_free (text, FALSE);
      out->message_ids = g_strv_builder_end (b);
      json_array_unref (a);
      return TRUE;
    }
  if (ea_json_get_string (first, "error") != NULL)
    {
      out->kind = EA_IBKR_REPLY_ERROR;
      out->message = g_strdup (ea_json_get_string (first, "error"));
      json_array_unref (a);
      return TRUE;
    }

  out->kind = EA_IBKR_REPLY_ACK;
  out->order_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *o;
      gint64 id;

      if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (a, i)))
        continue;
      o = json_array_get_object_element (a, i);
      if (ea_json_get_int (o, "order_id", &id))
        g_ptr_array_add (out->order_ids, g_strdup_printf ("%" G_GINT64_FORMAT, id));
    }
  if (out->order_ids->len == 0)
    {
      json_array_unref (a);
      ea_ibkr_reply_clear (out);
      return malformed (error, "acknowledgement without order_id");
    }
  out->order_status = g_strdup (ea_json_get_string (first, "order_status"));
  json_array_unref (a);
  return TRUE;
}

void
ea_ibkr_reply_clear (EaIbkrReply *reply)
{
  g_clear_pointer (&reply->order_ids, g_ptr_array_unref);
  g_clear_pointer (&reply->order_status, g_free);
  g_clear_pointer (&reply->question_id, g_free);
  g_clear_pointer (&reply->message, g_free);
  g_clear_pointer (&reply->message_ids, g_strfreev);
}

static gboolean
parse_side (const char *s,
            EaSide     *out)
{
  if (s == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (s, "BUY") == 0 || g_ascii_strcasecmp (s, "B") == 0)
    *out = EA_SIDE_BUY;
  else if (g_ascii_strcasecmp (s, "SELL") == 0 || g_ascii_strcasecmp (s, "S") == 0)
    *out = EA_SIDE_SELL;
  else
    return FALSE;
  return TRUE;
}

gboolean
ea_ibkr_parse_order (JsonObject   *o,
                     EaIbkrOrder  *out,
                     GError      **error)
{
  const char *s;

  memset (out, 0, sizeof *out);
  if (o == NULL || !ea_json_get_int (o, "orderId", &out->order_id))
    return malformed (error, "order without orderId");
#define STR(member, field, flag)                          \
  if ((s = ea_json_get_string (o, member)) != NULL)       \
    {                                                     \
      out->field = g_strdup (s);                          \
      out->present |= flag;                               \
    }
#define NUM(member, field, flag, getter)                  \
  if (getter (o, member, &out->field))                    \
    out->present |= flag;
  STR ("acct", account, EA_IBKR_ORDER_ACCOUNT);
  STR ("order_ref", order_ref, EA_IBKR_ORDER_REF);
  STR ("status", status, EA_IBKR_ORDER_STATUS);
  STR ("orderType", order_type, EA_IBKR_ORDER_TYPE);
  STR ("ticker", ticker, EA_IBKR_ORDER_TICKER);
  STR ("timeInForce", tif, EA_IBKR_ORDER_TIF);
  NUM ("conid", conid, EA_IBKR_ORDER_CONID, ea_json_get_int);
  NUM ("price", price, EA_IBKR_ORDER_PRICE, ea_json_get_double);
  NUM ("auxPrice", aux_price, EA_IBKR_ORDER_AUX_PRICE, ea_json_get_double);
  NUM ("avgPrice", avg_price, EA_IBKR_ORDER_AVG_PRICE, ea_json_get_double);
  NUM ("totalSize", total, EA_IBKR_ORDER_TOTAL, ea_json_get_int);
  NUM ("filledQuantity", filled, EA_IBKR_ORDER_FILLED, ea_json_get_int);
  NUM ("parentId", parent_id, EA_IBKR_ORDER_PARENT, ea_json_get_int);
#undef STR
#undef NUM
  if ((s = ea_json_get_string (o, "side")) != NULL)
    {
      if (!parse_side (s, &out->side))
        {
          ea_ibkr_order_clear (out);
          return malformed (error, "order side");
        }
      out->present |= EA_IBKR_ORDER_SIDE;
    }
  if (((out->present & EA_IBKR_ORDER_TOTAL) && out->total < 0) ||
      ((out->present & EA_IBKR_ORDER_FILLED) && out->filled < 0))
    {
      ea_ibkr_order_clear (out);
      return malformed (error, "negative order quantity");
    }
  return TRUE;
}

GPtrArray *
ea_ibkr_parse_orders (JsonNode  *root,
                      GError   **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_ibkr_order_free);
  JsonArray *a;

  if (!check_error_object (root, error))
    return NULL;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      malformed (error, "orders reply is not an object");
      return NULL;
    }
  a = ea_json_get_array (json_node_get_object (root), "orders");
  for (guint i = 0; a && i < json_array_get_length (a); i++)
    {
      EaIbkrOrder *o = g_new0 (EaIbkrOrder, 1);
      JsonNode *n = json_array_get_element (a, i);

      if (!JSON_NODE_HOLDS_OBJECT (n) || !ea_ibkr_parse_order (json_node_get_object (n), o, error))
        {
          if (!JSON_NODE_HOLDS_OBJECT (n))
            malformed (error, "order entry is not an object");
          g_free (o);
          return NULL;
        }
      g_ptr_array_add (out, o);
    }
  return g_steal_pointer (&out);
}

void
ea_ibkr_order_merge (EaIbkrOrder       *order,
                     const EaIbkrOrder *u)
{
#define SET_STR(flag, field)                    \
  if (u->present & flag)                        \
    {                                           \
      g_free (order->field);                    \
      order->field = g_strdup (u->field);       \
    }
#define SET(flag, field)                        \
  if (u->present & flag)                        \
    order->field = u->field;
  SET_STR (EA_IBKR_ORDER_ACCOUNT, account);
  SET_STR (EA_IBKR_ORDER_REF, order_ref);
  SET_STR (EA_IBKR_ORDER_STATUS, status);
  SET_STR (EA_IBKR_ORDER_TYPE, order_type);
  SET_STR (EA_IBKR_ORDER_TICKER, ticker);
  SET_STR (EA_IBKR_ORDER_TIF, tif);
  SET (EA_IBKR_ORDER_CONID, conid);
  SET (EA_IBKR_ORDER_SIDE, side);
  SET (EA_IBKR_ORDER_PRICE, price);
  SET (EA_IBKR_ORDER_AUX_PRICE, aux_price);
  SET (EA_IBKR_ORDER_AVG_PRICE, avg_price);
  SET (EA_IBKR_ORDER_TOTAL, total);
  SET (EA_IBKR_ORDER_FILLED, filled);
  SET (EA_IBKR_ORDER_PARENT, parent_id);
#undef SET
#undef SET_STR
  order->order_id = u->order_id;
  order->present |= u->present;
}

EaIbkrOrder *
ea_ibkr_order_copy (const EaIbkrOrder *order)
{
  EaIbkrOrder *c = g_new0 (EaIbkrOrder, 1);

  ea_ibkr_order_merge (c, order);
  return c;
}

void
ea_ibkr_order_clear (EaIbkrOrder *order)
{
  g_clear_pointer (&order->account, g_free);
  g_clear_pointer (&order->order_ref, g_free);
  g_clear_pointer (&order->status, g_free);
  g_clear_pointer (&order->order_type, g_free);
  g_clear_pointer (&order->ticker, g_free);
  g_clear_pointer (&order->tif, g_free);
}

void
ea_ibkr_order_free (EaIbkrOrder *order)
{
  if (order == NULL)
    return;
  ea_ibkr_order_clear (order);
  g_free (order);
}

EaOrderState
ea_ibkr_status_to_state (const char *status,
                         gint64      filled)
{
  if (status == NULL)
    return EA_ORDER_STATE_UNKNOWN;
  if (g_str_equal (status, "PendingSubmit"))
    return EA_ORDER_STATE_PENDING_NEW;
  if (g_str_equal (status, "PreSubmitted") || g_str_equal (status, "Submitted"))
    return filled > 0 ? EA_ORDER_STATE_PARTIALLY_FILLED : EA_ORDER_STATE_WORKING;
  if (g_str_equal (status, "Filled"))
    return EA_ORDER_STATE_FILLED;
  if (g_str_equal (status, "PendingCancel"))
    return EA_ORDER_STATE_PENDING_CANCEL;
  if (g_str_equal (status, "Cancelled") || g_str_equal (status, "ApiCancelled"))
    return EA_ORDER_STATE_CANCELLED;
  if (g_str_equal (status, "Inactive"))
    return EA_ORDER_STATE_REJECTED;
  return EA_ORDER_STATE_UNKNOWN;
}

gboolean
ea_ibkr_order_type_parse (const char  *t,
                          EaOrderType *out)
{
  if (t == NULL)
    return FALSE;
  if (g_str_equal (t, "MKT") || g_str_equal (t, "Market"))
    *out = EA_ORDER_TYPE_MARKET;
  else if (g_str_equal (t, "LMT") || g_str_equal (t, "Limit"))
    *out = EA_ORDER_TYPE_LIMIT;
  else if (g_str_equal (t, "STP") || g_str_equal (t, "Stop"))
    *out = EA_ORDER_TYPE_STOP;
  else if (g_str_equal (t, "STOP_LIMIT") || g_str_equal (t, "STP_LMT") || g_str_equal (t, "StopLimit"))
    *out = EA_ORDER_TYPE_STOP_LIMIT;
  else
    return FALSE;
  return TRUE;
}

const char *
ea_ibkr_order_type_name (EaOrderType type)
{
  switch (type)
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
      return NULL;
    }
}

static JsonArray *
root_array (JsonNode   *root,
            const char *what,
            GError    **error)
{
  if (!check_error_object (root, error))
    return NULL;
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      malformed (error, what);
      return NULL;
    }
  return json_node_get_array (root);
}

GPtrArray *
ea_ibkr_parse_positions (JsonNode  *root,
                         GError   **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_ibkr_position_free);
  JsonArray *a = root_array (root, "positions reply is not an array", error);

  if (a == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *n = json_array_get_element (a, i);
      EaIbkrPosition *p;
      JsonObject *o;
      double pos;

      if (!JSON_NODE_HOLDS_OBJECT (n))
        {
          malformed (error, "position entry is not an object");
          return NULL;
        }
      o = json_node_get_object (n);
      p = g_new0 (EaIbkrPosition, 1);
      if (!ea_json_get_int (o, "conid", &p->conid) || !ea_json_get_double (o, "position", &pos) ||
          pos != floor (pos) || fabs (pos) > 1e9)
        {
          g_free (p);
          malformed (error, "position without conid or whole position");
          return NULL;
        }
      p->position = (gint64) pos;
      p->account = g_strdup (ea_json_get_string (o, "acctId"));
      p->ticker = g_strdup (ea_json_get_string (o, "ticker"));
      ea_json_get_double (o, "avgPrice", &p->avg_price);
      ea_json_get_double (o, "realizedPnl", &p->realized_pnl);
      ea_json_get_double (o, "unrealizedPnl", &p->unrealized_pnl);
      g_ptr_array_add (out, p);
    }
  return g_steal_pointer (&out);
}

void
ea_ibkr_position_free (EaIbkrPosition *position)
{
  if (position == NULL)
    return;
  g_free (position->account);
  g_free (position->ticker);
  g_free (position);
}

GPtrArray *
ea_ibkr_parse_trades (JsonNode  *root,
                      GError   **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_ibkr_trade_free);
  JsonArray *a = root_array (root, "trades reply is not an array", error);

  if (a == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *n = json_array_get_element (a, i);
      EaIbkrTrade *t;
      JsonObject *o;

      if (!JSON_NODE_HOLDS_OBJECT (n))
        {
          malformed (error, "trade entry is not an object");
          return NULL;
        }
      o = json_node_get_object (n);
      t = g_new0 (EaIbkrTrade, 1);
      t->execution_id = g_strdup (ea_json_get_string (o, "execution_id"));
      if (t->execution_id == NULL || *t->execution_id == '\0' || !ea_json_get_int (o, "conid", &t->conid) ||
          !ea_json_get_int (o, "size", &t->size) || t->size <= 0 ||
          !ea_json_get_double (o, "price", &t->price) || !parse_side (ea_json_get_string (o, "side"), &t->side))
        {
          ea_ibkr_trade_free (t);
          malformed (error, "trade without execution_id, conid, side, size or price");
          return NULL;
        }
      ea_json_get_int (o, "order_id", &t->order_id);
      ea_json_get_int (o, "trade_time_r", &t->time_ms);
      t->account = g_strdup (ea_json_get_string (o, "account"));
      t->order_ref = g_strdup (ea_json_get_string (o, "order_ref"));
      g_ptr_array_add (out, t);
    }
  return g_steal_pointer (&out);
}

void
ea_ibkr_trade_free (EaIbkrTrade *trade)
{
  if (trade == NULL)
    return;
  g_free (trade->execution_id);
  g_free (trade->account);
  g_free (trade->order_ref);
  g_free (trade);
}

GArray *
ea_ibkr_parse_futures (JsonNode    *root,
                       const char  *symbol,
                       GError     **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, TRUE, sizeof (EaIbkrFuture));
  JsonArray *a;

  if (!check_error_object (root, error))
    return NULL;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      malformed (error, "futures reply is not an object");
      return NULL;
    }
  a = ea_json_get_array (json_node_get_object (root), symbol);
  for (guint i = 0; a && i < json_array_get_length (a); i++)
    {
      JsonNode *n = json_array_get_element (a, i);
      EaIbkrFuture f = { 0 };
      gint64 exp;

      if (!JSON_NODE_HOLDS_OBJECT (n) || !ea_json_get_int (json_node_get_object (n), "conid", &f.conid) ||
          !ea_json_get_int (json_node_get_object (n), "expirationDate", &exp) || f.conid <= 0 ||
          exp < 20000101 || exp > 20991231)
        {
          malformed (error, "future without conid or expirationDate");
          return NULL;
        }
      f.expiration = (guint32) exp;
      g_array_append_val (out, f);
    }
  return g_steal_pointer (&out);
}

static gint64
julian (guint32 ymd)
{
  guint d = ymd % 100, m = (ymd / 100) % 100, y = ymd / 10000;

  if (!g_date_valid_dmy (d, m, y))
    return -1;
  {
    GDate date;

    g_date_clear (&date, 1);
    g_date_set_dmy (&date, d, m, y);
    return g_date_get_julian (&date);
  }
}

gint64
ea_ibkr_futures_find (GArray  *futures,
                      guint32  last_trade_day,
                      guint    tolerance_days)
{
  gint64 want = julian (last_trade_day);
  gint64 best = 0, best_diff = G_MAXINT64;

  if (want < 0)
    return 0;
  for (guint i = 0; i < futures->len; i++)
    {
      const EaIbkrFuture *f = &g_array_index (futures, EaIbkrFuture, i);
      gint64 j = julian (f->expiration);
      gint64 diff = j < 0 ? G_MAXINT64 : ABS (j - want);

      if (diff <= tolerance_days && diff < best_diff)
        {
          best = f->conid;
          best_diff = diff;
        }
    }
  return best;
}

gboolean
ea_ibkr_parse_size (const char *text,
                    gint64     *out)
{
  g_autofree char *digits = NULL;
  double mult = 1, v;
  char *end = NULL;
  gsize len;

  if (text == NULL || *text == '\0')
    return FALSE;
  digits = g_strdup (text);
  /* Drop thousands separators. */
  {
    char *w = digits;

    for (const char *r = text; *r; r++)
      if (*r != ',')
        *w++ = *r;
    *w = '\0';
  }
  len = strlen (digits);
  if (len == 0)
    return FALSE;
  if (digits[len - 1] == 'K' || digits[len - 1] == 'k')
    mult = 1e3;
  else if (digits[len - 1] == 'M' || digits[len - 1] == 'm')
    mult = 1e6;
  if (mult != 1)
    digits[--len] = '\0';
  if (len == 0 || !g_ascii_isdigit (digits[0]))
    return FALSE;
  v = g_ascii_strtod (digits, &end);
  if (end == digits || *end != '\0' || !isfinite (v) || v * mult > 1e15)
    return FALSE;
  *out = (gint64) llround (v * mult);
  return TRUE;
}

static gboolean
field_price (JsonObject             *o,
             const char             *id,
             const EaInstrumentSpec *spec,
             EaTicks                *out,
             gboolean               *prior_close,
             gboolean               *halted,
             GError                **error)
{
  const char *s = ea_json_get_string (o, id);

  if (s == NULL)
    {
      /* Some gateways send numbers; accept integral ones as prices. */
      double d;

      if (!ea_json_get_double (o, id, &d))
        return FALSE;
      *out = ea_instrument_price_to_ticks (spec, d);
      return TRUE;
    }
  if (*s == 'C' || *s == 'H')
    {
      if (prior_close)
        *prior_close = *s == 'C';
      if (halted)
        *halted = *s == 'H';
      s++;
    }
  return ea_instrument_parse_price (spec, s, out, error);
}

gboolean
ea_ibkr_parse_market (JsonObject             *o,
                      const EaInstrumentSpec *spec,
                      EaIbkrMarket           *out,
                      GError                **error)
{
  GError *local = NULL;
  static const struct { const char *id; guint flag; gsize offset; } sizes[] = {
    { "88", EA_IBKR_MD_BID_SIZE, G_STRUCT_OFFSET (EaIbkrMarket, bid_size) },
    { "85", EA_IBKR_MD_ASK_SIZE, G_STRUCT_OFFSET (EaIbkrMarket, ask_size) },
    { "7059", EA_IBKR_MD_LAST_SIZE, G_STRUCT_OFFSET (EaIbkrMarket, last_size) },
    { "7762", EA_IBKR_MD_VOLUME, G_STRUCT_OFFSET (EaIbkrMarket, volume) },
  };

  memset (out, 0, sizeof *out);
  if (o == NULL || spec == NULL)
    return malformed (error, "market data is not an object");
  ea_json_get_int (o, "conid", &out->conid);
  if (field_price (o, "31", spec, &out->last, &out->prior_close, &out->halted, &local))
    out->present |= EA_IBKR_MD_LAST;
  if (local == NULL && field_price (o, "84", spec, &out->bid, NULL, NULL, &local))
    out->present |= EA_IBKR_MD_BID;
  if (local == NULL && field_price (o, "86", spec, &out->ask, NULL, NULL, &local))
    out->present |= EA_IBKR_MD_ASK;
  if (local != NULL)
    {
      g_set_error (error, EA_IBKR_PROTO_ERROR, EA_IBKR_PROTO_ERROR_MALFORMED,
                   "Malformed gateway reply: price field: %s", local->message);
      g_error_free (local);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      const char *s = ea_json_get_string (o, sizes[i].id);
      gint64 v;

      if (s == NULL && !ea_json_get_int (o, sizes[i].id, &v))
        continue;
      if (s != NULL && !ea_ibkr_parse_size (s, &v))
        return malformed (error, "size field");
      if (v < 0)
        return malformed (error, "negative size");
      G_STRUCT_MEMBER (gint64, out, sizes[i].offset) = v;
      out->present |= sizes[i].flag;
    }
  return TRUE;
}

JsonObject *
ea_ibkr_ws_parse (const char  *text,
                  gsize        length,
                  char       **topic,
                  GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o;
  const char *t;

  *topic = NULL;
  root = ea_json_parse_string (text, length, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      malformed (error, "websocket message is not an object");
      return NULL;
    }
  o = json_node_get_object (root);
  t = ea_json_get_string (o, "topic");
  *topic = g_strdup (t != NULL ? t : (json_object_has_member (o, "message") ? "message" : ""));
  return json_object_ref (o);
}

char *
ea_ibkr_ws_smd (gint64 conid)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "smd+%" G_GINT64_FORMAT "+{\"fields\":[", conid);
  for (guint i = 0; ea_ibkr_md_fields[i]; i++)
    g_string_append_printf (s, "%s\"%s\"", i ? "," : "", ea_ibkr_md_fields[i]);
  g_string_append (s, "]}");
  return g_string_free (s, FALSE);
}

char *
ea_ibkr_ws_umd (gint64 conid)
{
  return g_strdup_printf ("umd+%" G_GINT64_FORMAT "+{}", conid);
}

JsonObject *
ea_ibkr_build_order (const EaIbkrOrderSpec *spec)
{
  JsonObject *o = json_object_new ();

  json_object_set_int_member (o, "conid", spec->conid);
  json_object_set_string_member (o, "secType", "FUT");
  json_object_set_string_member (o, "cOID", spec->coid);
  if (spec->parent_id)
    json_object_set_string_member (o, "parentId", spec->parent_id);
  json_object_set_string_member (o, "orderType", ea_ibkr_order_type_name (spec->type));
  json_object_set_string_member (o, "side", spec->side == EA_SIDE_BUY ? "BUY" : "SELL");
  json_object_set_int_member (o, "quantity", spec->quantity);
  if (spec->price)
    json_object_set_double_member (o, "price", g_ascii_strtod (spec->price, NULL));
  if (spec->aux_price)
    json_object_set_double_member (o, "auxPrice", g_ascii_strtod (spec->aux_price, NULL));
  json_object_set_string_member (o, "tif", spec->tif ? spec->tif : "DAY");
  json_object_set_boolean_member (o, "outsideRTH", TRUE);
  return o;
}

JsonNode *
ea_ibkr_build_orders (const EaIbkrOrderSpec *specs,
                      guint                  n_specs)
{
  JsonObject *root = json_object_new ();
  JsonArray *a = json_array_new ();
  JsonNode *node;

  for (guint i = 0; i < n_specs; i++)
    json_array_add_object_element (a, ea_ibkr_build_order (&specs[i]));
  json_object_set_array_member (root, "orders", a);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, root);
  return node;
}
