/* ea-tradovate-server-net.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * REST under /v1/ and the two WebSockets: frames `o`, `h`, `a[...]`,
 * requests `endpoint\nid\nquery\nbody`, authorization with the token,
 * `user/syncrequest` and `props` events, `md/subscribeQuote` and `md`
 * events, `md/getChart` (ea-tradovate-server-chart.c), heartbeats both ways, and the faults.
 */
#define G_LOG_DOMAIN "ea-tradovate-server"

#include "config.h"

#include <string.h>

#include "ea-tradovate-proto.h"
#include "ea-tradovate-server-private.h"

#define HEARTBEAT_MS 2500

/* REST ---------------------------------------------------------------- */

typedef struct
{
  EaTradovateServer *self;
  SoupServerMessage *msg;
  guint              status;
  char              *body;
} DelayedReply;

static void
set_reply (SoupServerMessage *msg,
           guint              status,
           const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static gboolean
delayed_reply_cb (gpointer user_data)
{
  DelayedReply *reply = user_data;

  set_reply (reply->msg, reply->status, reply->body);
  soup_server_message_unpause (reply->msg);
  g_ptr_array_remove (reply->self->held, reply->msg);
  g_object_unref (reply->msg);
  g_free (reply->body);
  g_free (reply);

  return G_SOURCE_REMOVE;
}

static char *
node_to_string (JsonNode *node)
{
  if (node == NULL)
    return NULL;

  return json_to_string (node, FALSE);
}

static void
rest_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  EaTradovateServer *self = EA_TRADOVATE_SERVER (user_data);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  const char *endpoint = path + strlen ("/v1/");
  const char *query_text = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *text = NULL;
  TvSession *session = NULL;
  guint status;
  guint delay = 0;

  if (!g_str_has_prefix (path, "/v1/"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  if (self->refusing)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      return;
    }

  if (_tv_take_fault (self, EA_TV_FAULT_RATE_LIMIT, NULL))
    {
      soup_server_message_set_status (msg, 429, NULL);
      return;
    }

  if (_tv_take_fault (self, EA_TV_FAULT_SERVER_ERROR, NULL))
    {
      set_reply (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "{\"errorText\":\"Internal error\"}");
      return;
    }

  if (request->length > 0)
    {
      body = json_from_string (request->data, NULL);
      if (body == NULL)
        {
          set_reply (msg, SOUP_STATUS_BAD_REQUEST, "{\"errorText\":\"Malformed JSON\"}");
          return;
        }
    }

  if (auth != NULL && g_str_has_prefix (auth, "Bearer "))
    session = _tv_session_for_token (self, auth + strlen ("Bearer "), FALSE);

  reply = _tv_dispatch (self, session, endpoint, query_text, body, &status);
  text = node_to_string (reply);

  if (status == 401)
    {
      set_reply (msg, 401, "\"Access is denied\"");
      return;
    }

  /* The placement executed; the caller never hears back. */
  if (g_str_has_prefix (endpoint, "order/place") &&
      _tv_take_fault (self, EA_TV_FAULT_DROP_AFTER_ORDER, NULL))
    {
      ea_tradovate_server_drop_connections (self);
      soup_server_message_pause (msg);
      g_ptr_array_add (self->held, g_object_ref (msg));
      return;
    }

  if (_tv_take_fault (self, EA_TV_FAULT_SLOW_RESPONSE, &delay) && delay > 0)
    {
      DelayedReply *d = g_new0 (DelayedReply, 1);

      d->self = self;
      d->msg = g_object_ref (msg);
      d->status = status;
      d->body = g_steal_pointer (&text);
      soup_server_message_pause (msg);
      g_ptr_array_add (self->held, msg);
      g_timeout_add (delay, delayed_reply_cb, d);
      return;
    }

  set_reply (msg, status, text);
}

/* WebSocket ------------------------------------------------------------ */

static void
conn_send (TvConn     *conn,
           const char *text)
{
  if (conn->ws != NULL && soup_websocket_connection_get_state (conn->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (conn->ws, text);
}

static void
conn_send_messages (TvConn    *conn,
                    JsonNode **messages,
                    guint      n)
{
  g_autofree char *frame = ea_tv_frame_build_array (messages, n);

  conn_send (conn, frame);
}

static void
conn_respond (TvConn   *conn,
              gint64    id,
              guint     status,
              JsonNode *payload)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) message = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "s");
  json_builder_add_int_value (b, status);
  json_builder_set_member_name (b, "i");
  json_builder_add_int_value (b, id);
  if (payload != NULL)
    {
      json_builder_set_member_name (b, "d");
      json_builder_add_value (b, json_node_copy (payload));
    }
  json_builder_end_object (b);
  message = json_builder_get_root (b);

  conn_send_messages (conn, &message, 1);
}

static void
conn_event (TvConn     *conn,
            const char *event,
            JsonNode   *data)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) message = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "e");
  json_builder_add_string_value (b, event);
  json_builder_set_member_name (b, "d");
  json_builder_add_value (b, json_node_copy (data));
  json_builder_end_object (b);
  message = json_builder_get_root (b);

  conn_send_messages (conn, &message, 1);
}

/* A reply held back by EA_TV_FAULT_WS_SLOW_REPLY, sent on the socket that
 * asked if it is still open. */
typedef struct
{
  EaTradovateServer       *self;
  SoupWebsocketConnection *ws;
  gint64                   id;
  guint                    status;
  JsonNode                *payload;
} LateReply;

static gboolean
late_reply_cb (gpointer user_data)
{
  LateReply *late = user_data;
  EaTradovateServer *self = late->self;

  for (guint i = 0; i < self->conns->len; i++)
    {
      TvConn *conn = g_ptr_array_index (self->conns, i);

      if (conn->ws == late->ws)
        {
          conn_respond (conn, late->id, late->status, late->payload);
          self->late_replies++;
          break;
        }
    }

  g_clear_pointer (&late->payload, json_node_unref);
  g_object_unref (late->ws);
  g_object_unref (late->self);
  g_free (late);

  return G_SOURCE_REMOVE;
}

void
_tv_conn_respond (TvConn   *conn,
                  gint64    id,
                  guint     status,
                  JsonNode *payload)
{
  conn_respond (conn, id, status, payload);
}

void
_tv_conn_event (TvConn     *conn,
                const char *event,
                JsonNode   *data)
{
  conn_event (conn, event, data);
}

static JsonNode *
quote_json (TvContract *contract)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *time = _tv_iso_time (contract->quote_time_us);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "quotes");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "timestamp");
  json_builder_add_string_value (b, time);
  json_builder_set_member_name (b, "contractId");
  json_builder_add_int_value (b, contract->id);
  json_builder_set_member_name (b, "entries");
  json_builder_begin_object (b);

#define ENTRY(name, price, size) \
  json_builder_set_member_name (b, name); \
  json_builder_begin_object (b); \
  json_builder_set_member_name (b, "price"); \
  json_builder_add_double_value (b, _tv_price (contract->spec, price)); \
  json_builder_set_member_name (b, "size"); \
  json_builder_add_int_value (b, size); \
  json_builder_end_object (b);

  ENTRY ("Bid", contract->bid, contract->bid_size);
  ENTRY ("Offer", contract->ask, contract->ask_size);
  ENTRY ("Trade", contract->last, contract->last_size);
#undef ENTRY

  json_builder_set_member_name (b, "TotalTradeVolume");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, contract->volume);
  json_builder_end_object (b);

  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

void
_tv_broadcast_quote (EaTradovateServer *self,
                     TvContract        *contract)
{
  g_autoptr(JsonNode) data = NULL;

  for (guint i = 0; i < self->conns->len; i++)
    {
      TvConn *conn = g_ptr_array_index (self->conns, i);

      if (!conn->authorized || !g_hash_table_contains (conn->quote_subs, &contract->id))
        continue;

      if (data == NULL)
        data = quote_json (contract);
      conn_event (conn, "md", data);
    }
}

void
_tv_broadcast_raw (EaTradovateServer *self,
                   const char        *text)
{
  for (guint i = 0; i < self->conns->len; i++)
    conn_send (g_ptr_array_index (self->conns, i), text);
}

void
_tv_publish_props (EaTradovateServer *self,
                   gint64             user_id,
                   const char        *entity_type,
                   const char        *event_type,
                   JsonNode          *entity)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) data = NULL;

  for (guint i = 0; i < self->conns->len; i++)
    {
      TvConn *conn = g_ptr_array_index (self->conns, i);

      if (conn->md || !conn->synced || conn->user_id != user_id)
        continue;

      if (data == NULL)
        {
          b = json_builder_new ();
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "entityType");
          json_builder_add_string_value (b, entity_type);
          json_builder_set_member_name (b, "eventType");
          json_builder_add_string_value (b, event_type);
          json_builder_set_member_name (b, "entity");
          json_builder_add_value (b, json_node_copy (entity));
          json_builder_end_object (b);
          data = json_builder_get_root (b);
        }

      conn_event (conn, "props", data);
    }
}

void
_tv_publish_risk_status (EaTradovateServer *self,
                         TvAccount         *account)
{
  g_autoptr(JsonNode) json = _tv_risk_status_json (account);

  _tv_publish_props (self, account->user_id, "accountRiskStatus", "Updated", json);
}

void
ea_tradovate_server_send_shutdown (EaTradovateServer *self,
                                   const char        *reason_code)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "reasonCode");
  json_builder_add_string_value (b, reason_code);
  json_builder_end_object (b);
  data = json_builder_get_root (b);

  for (guint i = 0; i < self->conns->len; i++)
    conn_event (g_ptr_array_index (self->conns, i), "shutdown", data);
}

static TvContract *
contract_from_body (EaTradovateServer *self,
                    JsonObject        *body)
{
  JsonNode *symbol;

  if (body == NULL || (symbol = json_object_get_member (body, "symbol")) == NULL ||
      !JSON_NODE_HOLDS_VALUE (symbol))
    return NULL;

  if (json_node_get_value_type (symbol) == G_TYPE_STRING)
    return _tv_find_contract (self, 0, json_node_get_string (symbol));
  if (json_node_get_value_type (symbol) == G_TYPE_INT64)
    return _tv_find_contract (self, json_node_get_int (symbol), NULL);

  return NULL;
}

static void
handle_md (TvConn      *conn,
           EaTvRequest *request,
           JsonObject  *body)
{
  EaTradovateServer *self = conn->server;
  TvContract *contract = contract_from_body (self, body);

  if (g_str_equal (request->endpoint, "md/cancelChart"))
    {
      _tv_handle_chart (conn, request->id, request->endpoint, NULL, body);
      return;
    }

  if (contract == NULL)
    {
      g_autoptr(JsonNode) err = json_node_init_string (json_node_alloc (), "Unknown symbol");
      conn_respond (conn, request->id, 404, err);
      return;
    }

  if (g_str_equal (request->endpoint, "md/subscribeQuote"))
    {
      gint64 *key = g_new (gint64, 1);

      *key = contract->id;
      g_hash_table_add (conn->quote_subs, key);
      conn_respond (conn, request->id, 200, NULL);
      if (contract->has_quote)
        {
          g_autoptr(JsonNode) data = quote_json (contract);
          conn_event (conn, "md", data);
        }
    }
  else if (g_str_equal (request->endpoint, "md/unsubscribeQuote"))
    {
      g_hash_table_remove (conn->quote_subs, &contract->id);
      conn_respond (conn, request->id, 200, NULL);
    }
  else if (g_str_equal (request->endpoint, "md/getChart"))
    _tv_handle_chart (conn, request->id, request->endpoint, contract, body);
  else
    conn_respond (conn, request->id, 404, NULL);
}

static void
ws_message_cb (SoupWebsocketConnection *ws,
               gint                     type,
               GBytes                  *message,
               TvConn                  *conn)
{
  EaTradovateServer *self = conn->server;
  gsize len = 0;
  const char *data = g_bytes_get_data (message, &len);
  EaTvRequest request;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  conn->last_seen_us = g_get_monotonic_time ();

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;

  /* The client heartbeat. */
  if (len == 2 && memcmp (data, "[]", 2) == 0)
    return;

  if (!ea_tv_request_parse (data, len, &request, NULL))
    {
      soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR, "Malformed request");
      return;
    }

  if (g_str_equal (request.endpoint, "authorize"))
    {
      TvSession *session = _tv_session_for_token (self, request.body, conn->md);

      if (session == NULL)
        {
          g_autoptr(JsonNode) err = json_node_init_string (json_node_alloc (), "Access is denied");
          conn_respond (conn, request.id, 401, err);
        }
      else
        {
          conn->authorized = TRUE;
          conn->user_id = session->user_id;
          conn_respond (conn, request.id, 200, NULL);
        }
      ea_tv_request_clear (&request);
      return;
    }

  if (!conn->authorized)
    {
      g_autoptr(JsonNode) err = json_node_init_string (json_node_alloc (), "Not authorized");
      conn_respond (conn, request.id, 401, err);
      ea_tv_request_clear (&request);
      return;
    }

  if (_tv_take_fault (self, EA_TV_FAULT_WS_RATE_LIMIT, NULL))
    {
      conn_respond (conn, request.id, 429, NULL);
      ea_tv_request_clear (&request);
      return;
    }

  {
    guint param = 1;
    gboolean captcha = _tv_take_fault (self, EA_TV_FAULT_WS_PENALTY_CAPTCHA, &param);
    gboolean injected = captcha || _tv_take_fault (self, EA_TV_FAULT_WS_PENALTY, &param);
    /* Counted even when penalized: it was received. */
    gboolean limited = !_tv_note_request (self, request.endpoint);

    if (injected || limited)
      {
        g_autoptr(JsonNode) penalty = json_node_new (JSON_NODE_OBJECT);
        g_autofree char *ticket = g_strdup_printf ("ticket-%" G_GINT64_FORMAT, _tv_next_id (self));

        json_node_take_object (penalty, json_object_new ());
        json_object_set_string_member (json_node_get_object (penalty), "p-ticket", ticket);
        json_object_set_int_member (json_node_get_object (penalty), "p-time", injected ? param : 1);
        if (captcha)
          json_object_set_boolean_member (json_node_get_object (penalty), "p-captcha", TRUE);
        conn_respond (conn, request.id, 200, penalty);
        ea_tv_request_clear (&request);
        return;
      }
  }

  if (request.body != NULL && *request.body != '\0')
    {
      body = json_from_string (request.body, NULL);
      if (body == NULL)
        {
          g_autoptr(JsonNode) err = json_node_init_string (json_node_alloc (), "Malformed JSON");
          conn_respond (conn, request.id, 400, err);
          ea_tv_request_clear (&request);
          return;
        }
    }

  if (g_str_has_prefix (request.endpoint, "md/"))
    {
      handle_md (conn, &request, body && JSON_NODE_HOLDS_OBJECT (body) ? json_node_get_object (body) : NULL);
      ea_tv_request_clear (&request);
      return;
    }

  {
    TvSession fake = { .user_id = conn->user_id };

    /* A WebSocket request runs as the authorized user. */
    reply = _tv_dispatch (self, &fake, request.endpoint, request.query, body, &status);
  }

  /* The placement executed; the reply is lost with the connection. */
  if (g_str_has_prefix (request.endpoint, "order/place") &&
      _tv_take_fault (self, EA_TV_FAULT_DROP_AFTER_ORDER, NULL))
    {
      ea_tv_request_clear (&request);
      ea_tradovate_server_drop_connections (self);
      return;
    }

  if (g_str_equal (request.endpoint, "user/syncrequest") && status == 200)
    conn->synced = TRUE;

  /* The request ran; its reply comes late, or never. */
  {
    guint delay = 0;

    if (!conn->md && _tv_take_fault (self, EA_TV_FAULT_WS_SLOW_REPLY, &delay))
      {
        if (delay == 0)
          self->withheld_replies++;
        else
          {
            LateReply *late = g_new0 (LateReply, 1);

            late->self = g_object_ref (self);
            late->ws = g_object_ref (ws);
            late->id = request.id;
            late->status = status;
            late->payload = reply ? json_node_ref (reply) : NULL;
            g_timeout_add (delay, late_reply_cb, late);
          }
        ea_tv_request_clear (&request);
        return;
      }
  }

  conn_respond (conn, request.id, status, reply);
  ea_tv_request_clear (&request);
}

static void
ws_closed_cb (SoupWebsocketConnection *ws,
              TvConn                  *conn)
{
  _tv_conn_list_remove (conn->server, conn);
}

static gboolean
heartbeat_cb (gpointer user_data)
{
  TvConn *conn = user_data;
  EaTradovateServer *self = conn->server;
  gint64 silence_ms = (g_get_monotonic_time () - conn->last_seen_us) / 1000;

  if (silence_ms > self->heartbeat_timeout_ms)
    {
      conn->heartbeat_source = 0;
      soup_websocket_connection_close (conn->ws, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                       "No heartbeat");
      return G_SOURCE_REMOVE;
    }

  if (!self->silent_heartbeat)
    conn_send (conn, "h");

  return G_SOURCE_CONTINUE;
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *ws,
              gpointer                 user_data)
{
  EaTradovateServer *self = EA_TRADOVATE_SERVER (user_data);
  TvConn *conn;

  /* "Network down": the upgrade may already have happened; hang up. */
  if (self->refusing)
    {
      soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "Service unavailable");
      return;
    }

  conn = g_new0 (TvConn, 1);
  conn->server = self;
  conn->ws = g_object_ref (ws);
  conn->md = g_str_has_prefix (path, "/md/");
  conn->quote_subs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  conn->last_seen_us = g_get_monotonic_time ();
  _tv_conn_list_add (self, conn);

  g_signal_connect (ws, "message", G_CALLBACK (ws_message_cb), conn);
  g_signal_connect (ws, "closed", G_CALLBACK (ws_closed_cb), conn);

  conn->heartbeat_source = g_timeout_add (MIN (HEARTBEAT_MS, self->heartbeat_timeout_ms / 2),
                                          heartbeat_cb, conn);

  conn_send (conn, "o");
}

static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  EaTradovateServer *self = EA_TRADOVATE_SERVER (user_data);

  if (self->refusing)
    soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
}

void
_tv_install_handlers (EaTradovateServer *self)
{
  soup_server_add_early_handler (self->server, NULL, early_cb, self, NULL);
  soup_server_add_websocket_handler (self->server, "/v1/websocket", NULL, NULL,
                                     websocket_cb, self, NULL);
  soup_server_add_websocket_handler (self->server, "/md/v1/websocket", NULL, NULL,
                                     websocket_cb, self, NULL);
  soup_server_add_handler (self->server, "/v1", rest_cb, self, NULL);
}
