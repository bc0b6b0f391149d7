/* ea-ibkr-gateway-ws.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local gateway's websocket: session handshake, keepalive answers,
 * and the smd, sor, str and spl topics.
 */
#define G_LOG_DOMAIN "ea-ibkr-gateway"

#include "config.h"

#include <string.h>

#include "ea-broker-util.h"
#include "ea-ibkr-gateway-private.h"

static void
send_object (GwClient   *c,
             JsonObject *o)
{
  JsonNode *n = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  json_node_set_object (n, o);
  text = ea_json_to_string (n);
  json_node_unref (n);
  if (soup_websocket_connection_get_state (c->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (c->ws, text);
}

static void
send_text (GwClient   *c,
           const char *text)
{
  if (soup_websocket_connection_get_state (c->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (c->ws, text);
}

void
_ea_gw_client_free (GwClient *c)
{
  g_signal_handlers_disconnect_matched (c->ws, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, c);
  g_object_unref (c->ws);
  g_hash_table_unref (c->smd);
  g_free (c);
}

static void
send_sts (EaIbkrGateway *self,
          GwClient      *c)
{
  JsonObject *o = json_object_new ();
  JsonObject *args = json_object_new ();

  json_object_set_string_member (o, "topic", "sts");
  json_object_set_boolean_member (args, "authenticated", self->authenticated);
  json_object_set_boolean_member (args, "competing", self->competing);
  json_object_set_boolean_member (args, "connected", TRUE);
  json_object_set_string_member (args, "message", "");
  json_object_set_object_member (o, "args", args);
  send_object (c, o);
  json_object_unref (o);
}

void
_ea_gw_ws_send_sts (EaIbkrGateway *self)
{
  for (GList *l = self->clients; l; l = l->next)
    if (((GwClient *) l->data)->authed)
      send_sts (self, l->data);
}

static void
send_orders (EaIbkrGateway *self,
             GwClient      *c)
{
  JsonObject *msg = json_object_new ();
  JsonArray *args = json_array_new ();

  for (guint i = 0; i < self->orders->len; i++)
    json_array_add_object_element (args, _ea_gw_order_record (self, self->orders->pdata[i]));
  json_object_set_string_member (msg, "topic", "sor");
  json_object_set_array_member (msg, "args", args);
  send_object (c, msg);
  json_object_unref (msg);
}

static void
subscribe_smd (EaIbkrGateway *self,
               GwClient      *c,
               const char    *rest)
{
  g_autofree char *id_text = g_strndup (rest, strcspn (rest, "+"));
  GwContract *contract;
  gint64 conid;
  guint n;

  if (!ea_parse_int64 (id_text, &conid) || (contract = _ea_gw_contract_by_conid (self, conid)) == NULL)
    {
      send_text (c, "{\"topic\":\"smd\",\"error\":\"invalid conid\"}");
      return;
    }
  g_hash_table_add (c->smd, g_memdup2 (&conid, sizeof conid));
  n = ea_ibkr_gateway_count_smd_subscriptions (self, conid);
  g_hash_table_insert (self->smd_counts, g_memdup2 (&conid, sizeof conid), GUINT_TO_POINTER (n + 1));
  if (contract->tradeable)
    {
      JsonObject *o = _ea_gw_market_fields (self, contract, TRUE);
      g_autofree char *topic = g_strdup_printf ("smd+%" G_GINT64_FORMAT, conid);

      json_object_set_string_member (o, "topic", topic);
      send_object (c, o);
      json_object_unref (o);
    }
}

static void
message_cb (SoupWebsocketConnection *ws,
            gint                     type,
            GBytes                  *message,
            GwClient                *c)
{
  EaIbkrGateway *self = g_object_get_data (G_OBJECT (ws), "ea-gateway");
  gsize len = 0;
  const char *data = g_bytes_get_data (message, &len);
  g_autofree char *text = g_strndup (data, len);

  if (g_str_has_prefix (text, "{"))
    {
      g_autoptr(JsonNode) n = ea_json_parse_string (text, -1, NULL);
      const char *session = n && JSON_NODE_HOLDS_OBJECT (n) ?
                            ea_json_get_string (json_node_get_object (n), "session") : NULL;

      if (session != NULL && self->authenticated && g_strcmp0 (session, self->session) == 0)
        {
          c->authed = TRUE;
          send_text (c, "{\"topic\":\"system\",\"success\":\"user1\",\"isFT\":false,\"isPaper\":true}");
          send_sts (self, c);
        }
      else
        send_text (c, "{\"message\":\"waiting for session\"}");
      return;
    }
  if (g_str_equal (text, "tic") || g_str_equal (text, "ech+hb"))
    {
      g_autofree char *reply = g_strdup_printf ("{\"topic\":\"%s\",\"alive\":true,\"id\":\"%s\","
                                                "\"lastAccessed\":%" G_GINT64_FORMAT "}",
                                                text, self->session, g_get_real_time () / 1000);

      send_text (c, reply);
      return;
    }
  if (!c->authed)
    {
      send_text (c, "{\"message\":\"waiting for session\"}");
      return;
    }
  if (g_str_has_prefix (text, "smd+"))
    subscribe_smd (self, c, text + 4);
  else if (g_str_has_prefix (text, "umd+"))
    {
      g_autofree char *id_text = g_strndup (text + 4, strcspn (text + 4, "+"));
      gint64 conid;

      if (ea_parse_int64 (id_text, &conid))
        g_hash_table_remove (c->smd, &conid);
    }
  else if (g_str_has_prefix (text, "sor"))
    {
      c->sor = TRUE;
      send_orders (self, c);
    }
  else if (g_str_has_prefix (text, "uor"))
    c->sor = FALSE;
  else if (g_str_has_prefix (text, "spl"))
    c->spl = TRUE;
  else if (g_str_has_prefix (text, "upl"))
    c->spl = FALSE;
  else if (g_str_has_prefix (text, "str"))
    c->str = TRUE;
  else if (g_str_has_prefix (text, "utr"))
    c->str = FALSE;
}

static void
closed_cb (SoupWebsocketConnection *ws,
           GwClient                *c)
{
  EaIbkrGateway *self = g_object_get_data (G_OBJECT (ws), "ea-gateway");

  self->clients = g_list_remove (self->clients, c);
  _ea_gw_client_free (c);
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *ws,
              gpointer                 user_data)
{
  EaIbkrGateway *self = user_data;
  GwClient *c;

  if (self->down)
    {
      soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "gateway down");
      return;
    }
  c = g_new0 (GwClient, 1);
  c->ws = g_object_ref (ws);
  c->smd = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_object_set_data (G_OBJECT (ws), "ea-gateway", self);
  self->clients = g_list_append (self->clients, c);
  g_signal_connect (ws, "message", G_CALLBACK (message_cb), c);
  g_signal_connect (ws, "closed", G_CALLBACK (closed_cb), c);
  send_text (c, "{\"message\":\"waiting for session\"}");
}

void
_ea_gw_ws_init (EaIbkrGateway *self)
{
  soup_server_add_websocket_handler (self->server, "/v1/api/ws", NULL, NULL, websocket_cb, self, NULL);
}

void
_ea_gw_ws_broadcast (EaIbkrGateway *self,
                     const char    *topic_flag,
                     gint64         conid,
                     JsonObject    *message)
{
  for (GList *l = self->clients; l; l = l->next)
    {
      GwClient *c = l->data;
      gboolean wanted;

      if (!c->authed)
        continue;
      if (g_str_equal (topic_flag, "smd"))
        wanted = g_hash_table_contains (c->smd, &conid);
      else if (g_str_equal (topic_flag, "sor"))
        wanted = c->sor;
      else if (g_str_equal (topic_flag, "str"))
        wanted = c->str;
      else
        wanted = c->spl;
      if (wanted)
        send_object (c, message);
    }
}

void
_ea_gw_ws_close_all (EaIbkrGateway *self)
{
  GList *clients = g_steal_pointer (&self->clients);

  for (GList *l = clients; l; l = l->next)
    {
      GwClient *c = l->data;

      g_signal_handlers_disconnect_matched (c->ws, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, c);
      if (soup_websocket_connection_get_state (c->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (c->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "gateway restarting");
      _ea_gw_client_free (c);
    }
  g_list_free (clients);
}

void
_ea_gw_ws_garbage (EaIbkrGateway *self,
                   guint          count)
{
  static const char *const garbage[] = {
    "{\"topic\":", "not json at all", "[1,2,3]", "{\"topic\":\"sor\",\"args\":[{\"orderId\":\"x\"}]}",
    "{\"topic\":\"smd+abc\",\"31\":\"C\"}", "{\"topic\":\"sor\",\"args\":7}",
  };

  for (GList *l = self->clients; l; l = l->next)
    for (guint i = 0; i < count; i++)
      send_text (l->data, garbage[i % G_N_ELEMENTS (garbage)]);
}

void
ea_ibkr_gateway_expire_smd (EaIbkrGateway *self)
{
  for (GList *l = self->clients; l; l = l->next)
    g_hash_table_remove_all (((GwClient *) l->data)->smd);
}
