/* test-tradovate-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local Tradovate speaks the protocol: checked with a plain libsoup
 * client, so the adapter's tests stand on a verified server.
 */
#include "config.h"

#include <string.h>

#include "ea-instrument.h"
#include "ea-tradovate-proto.h"
#include "ea-tradovate-server.h"

typedef struct
{
  EaTradovateServer *server;
  SoupSession       *session;
  gint64             user_id;
  gint64             account_id;
  gint64             es_id;
  const EaInstrumentSpec *es;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = ea_tradovate_server_new (&error);
  g_assert_no_error (error);
  f->session = soup_session_new ();
  f->user_id = ea_tradovate_server_add_user (f->server, "jdoe", "s3cret");
  f->account_id = ea_tradovate_server_add_account (f->server, f->user_id, "DEMO001", EA_MICROS (50000));
  f->es_id = ea_tradovate_server_add_contract (f->server, "ESZ6", "ES");
  f->es = ea_instrument_lookup ("ES");
  ea_tradovate_server_set_quote (f->server, "ESZ6", 27200, 27201, 27201, 10); /* 6800.00 / 6800.25 */
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->server);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static JsonNode *
rest (Fixture    *f,
      const char *method,
      const char *path,
      const char *token,
      const char *body,
      guint      *status)
{
  g_autofree char *url = g_strdup_printf ("%s/%s", ea_tradovate_server_get_rest_url (f->server), path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  gsize len;
  const char *data;

  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  /* The server runs in this thread: the main context must keep turning. */
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  reply = soup_session_send_and_read_finish (f->session, result, &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);

  data = g_bytes_get_data (reply, &len);
  if (len == 0)
    return NULL;

  {
    g_autofree char *text = g_strndup (data, len);
    JsonNode *node = json_from_string (text, NULL);

    g_assert_nonnull (node);
    return node;
  }
}

static char *
login (Fixture *f)
{
  guint status;
  g_autoptr(JsonNode) reply = rest (f, "POST", "auth/accesstokenrequest", NULL,
                                    "{\"name\":\"jdoe\",\"password\":\"s3cret\",\"appId\":\"EnigmaApex\","
                                    "\"appVersion\":\"0.1\",\"cid\":1,\"sec\":\"x\",\"deviceId\":\"dev-1\"}",
                                    &status);
  EaTvToken token;
  char *ret;

  g_assert_cmpuint (status, ==, 200);
  g_assert_true (ea_tv_token_parse (reply, &token, NULL));
  ret = g_strdup (token.access_token);
  ea_tv_token_clear (&token);

  return ret;
}

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  guint status;
  g_autoptr(JsonNode) bad = rest (f, "POST", "auth/accesstokenrequest", NULL,
                                  "{\"name\":\"jdoe\",\"password\":\"wrong\",\"appId\":\"a\",\"deviceId\":\"d\"}",
                                  &status);
  g_autoptr(GError) error = NULL;
  EaTvToken token;
  g_autofree char *access = NULL;
  g_autoptr(JsonNode) accounts = NULL;
  g_autoptr(JsonNode) denied = NULL;
  g_autoptr(JsonNode) renewed = NULL;

  /* Wrong password: HTTP 200 with errorText. */
  g_assert_cmpuint (status, ==, 200);
  g_assert_false (ea_tv_token_parse (bad, &token, &error));
  g_assert_error (error, EA_TV_ERROR, EA_TV_ERROR_AUTH);

  access = login (f);
  accounts = rest (f, "GET", "account/list", access, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (accounts)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (accounts), 0), "name"),
                   ==, "DEMO001");

  denied = rest (f, "GET", "account/list", "not-a-token", NULL, &status);
  g_assert_cmpuint (status, ==, 401);

  /* Renewal keeps the session and gives a new token. */
  renewed = rest (f, "GET", "auth/renewaccesstoken", access, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (ea_tv_token_parse (renewed, &token, NULL));
  g_assert_cmpstr (token.access_token, !=, access);
  g_assert_cmpuint (ea_tradovate_server_get_open_sessions (f->server), ==, 1);
  g_assert_cmpuint (ea_tradovate_server_get_renewals (f->server), ==, 1);
  ea_tv_token_clear (&token);

  /* Expired tokens are refused. */
  ea_tradovate_server_expire_tokens (f->server);
  g_clear_pointer (&denied, json_node_unref);
  denied = rest (f, "GET", "account/list", access, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
}

static void
test_penalty (Fixture       *f,
              gconstpointer  data)
{
  guint status;
  EaTvPenalty penalty;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) early = NULL;
  g_autoptr(JsonNode) retried = NULL;
  g_autoptr(JsonNode) captcha = NULL;
  g_autofree char *retry_body = NULL;
  EaTvToken token;

  ea_tradovate_server_inject (f->server, EA_TV_FAULT_PENALTY, 1, 0);
  first = rest (f, "POST", "auth/accesstokenrequest", NULL,
                "{\"name\":\"jdoe\",\"password\":\"s3cret\",\"appId\":\"a\",\"deviceId\":\"d\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (ea_tv_penalty_parse (first, &penalty));
  g_assert_false (penalty.captcha);
  g_assert_cmpint (penalty.wait_seconds, ==, 0);

  /* Resent with the ticket once the wait is over: executed. */
  retry_body = g_strdup_printf ("{\"name\":\"jdoe\",\"password\":\"s3cret\",\"appId\":\"a\",\"deviceId\":\"d\",\"p-ticket\":\"%s\"}",
                                penalty.ticket);
  retried = rest (f, "POST", "auth/accesstokenrequest", NULL, retry_body, &status);
  g_assert_true (ea_tv_token_parse (retried, &token, NULL));
  ea_tv_token_clear (&token);
  ea_tv_penalty_clear (&penalty);

  /* An unknown ticket is another penalty, never a login. */
  early = rest (f, "POST", "auth/accesstokenrequest", NULL,
                "{\"name\":\"jdoe\",\"password\":\"s3cret\",\"appId\":\"a\",\"deviceId\":\"d\",\"p-ticket\":\"forged\"}",
                &status);
  g_assert_true (ea_tv_penalty_parse (early, &penalty));
  ea_tv_penalty_clear (&penalty);

  ea_tradovate_server_inject (f->server, EA_TV_FAULT_PENALTY_CAPTCHA, 1, 3600);
  captcha = rest (f, "POST", "auth/accesstokenrequest", NULL,
                  "{\"name\":\"jdoe\",\"password\":\"s3cret\",\"appId\":\"a\",\"deviceId\":\"d\"}", &status);
  g_assert_true (ea_tv_penalty_parse (captcha, &penalty));
  g_assert_true (penalty.captcha);
  g_assert_cmpint (penalty.wait_seconds, ==, 3600);
  ea_tv_penalty_clear (&penalty);

  /* 429 with an empty body, and 500. */
  ea_tradovate_server_inject (f->server, EA_TV_FAULT_RATE_LIMIT, 1, 0);
  g_assert_null (rest (f, "GET", "account/list", NULL, NULL, &status));
  g_assert_cmpuint (status, ==, 429);
  ea_tradovate_server_inject (f->server, EA_TV_FAULT_SERVER_ERROR, 1, 0);
  {
    g_autoptr(JsonNode) err = rest (f, "GET", "account/list", NULL, NULL, &status);
    g_assert_cmpuint (status, ==, 500);
  }
}

static void
test_orders (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *access = login (f);
  guint status;
  g_autoptr(JsonNode) market = NULL;
  g_autoptr(JsonNode) oso = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(JsonNode) locked = NULL;
  g_autoptr(JsonNode) liquidated = NULL;
  g_autofree char *body = NULL;
  JsonObject *o;

  /* Market buy 2 at the ask. */
  market = rest (f, "POST", "order/placeorder", access,
                 "{\"accountSpec\":\"DEMO001\",\"action\":\"Buy\",\"symbol\":\"ESZ6\",\"orderQty\":2,"
                 "\"orderType\":\"Market\",\"isAutomated\":true,\"clOrdId\":\"EA-1\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_object_has_member (json_node_get_object (market), "orderId"));
  g_assert_cmpint (ea_tradovate_server_get_net_position (f->server, f->account_id, f->es_id), ==, 2);
  g_assert_cmpuint (ea_tradovate_server_count_fills (f->server, f->account_id), ==, 1);

  /* A bracket: sell limit entry above, waiting stop and target. */
  oso = rest (f, "POST", "order/placeorder", access,
              "{\"accountId\":" G_STRINGIFY (0) ",\"action\":\"Buy\",\"symbol\":\"ESZ6\",\"orderQty\":1,\"orderType\":\"Limit\",\"price\":6799.00}",
              &status);
  /* accountId 0 is no account of the user: a violation. */
  g_assert_true (json_object_has_member (json_node_get_object (oso), "violations"));
  g_clear_pointer (&oso, json_node_unref);

  body = g_strdup_printf ("{\"accountId\":%" G_GINT64_FORMAT ",\"action\":\"Buy\",\"symbol\":\"ESZ6\",\"orderQty\":1,"
                          "\"orderType\":\"Limit\",\"price\":6799.00,"
                          "\"bracket1\":{\"action\":\"Sell\",\"orderType\":\"Limit\",\"price\":6805.00},"
                          "\"bracket2\":{\"action\":\"Sell\",\"orderType\":\"Stop\",\"stopPrice\":6795.00}}",
                          f->account_id);
  oso = rest (f, "POST", "order/placeOSO", access, body, &status);
  o = json_node_get_object (oso);
  g_assert_true (json_object_has_member (o, "oso1Id"));
  g_assert_true (json_object_has_member (o, "oso2Id"));
  g_assert_cmpuint (ea_tradovate_server_count_orders (f->server, f->account_id, "Working"), ==, 1);
  g_assert_cmpuint (ea_tradovate_server_count_orders (f->server, f->account_id, "Suspended"), ==, 2);

  /* The market comes down to the entry: it fills, brackets start working. */
  ea_tradovate_server_set_quote (f->server, "ESZ6", 27195, 27196, 27196, 5); /* ask 6799.00 */
  g_assert_cmpint (ea_tradovate_server_get_net_position (f->server, f->account_id, f->es_id), ==, 3);
  g_assert_cmpuint (ea_tradovate_server_count_orders (f->server, f->account_id, "Working"), ==, 2);

  /* The target fills; the stop is cancelled (OCO). */
  ea_tradovate_server_set_quote (f->server, "ESZ6", 27220, 27221, 27220, 5); /* bid 6805.00 */
  g_assert_cmpint (ea_tradovate_server_get_net_position (f->server, f->account_id, f->es_id), ==, 2);
  g_assert_cmpuint (ea_tradovate_server_count_orders (f->server, f->account_id, "Working"), ==, 0);
  g_assert_cmpuint (ea_tradovate_server_count_orders (f->server, f->account_id, "Canceled"), ==, 1);

  /* Off-grid price, bad type, missing quantity. */
  bad = rest (f, "POST", "order/placeorder", access,
              "{\"accountSpec\":\"DEMO001\",\"action\":\"Buy\",\"symbol\":\"ESZ6\",\"orderQty\":1,\"orderType\":\"Limit\",\"price\":6800.10}",
              &status);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (bad), "failureReason"), ==, "InvalidPrice");
  g_clear_pointer (&bad, json_node_unref);
  bad = rest (f, "POST", "order/placeorder", access,
              "{\"accountSpec\":\"DEMO001\",\"action\":\"Hold\",\"symbol\":\"ESZ6\",\"orderQty\":1,\"orderType\":\"Market\"}",
              &status);
  g_assert_true (json_object_has_member (json_node_get_object (bad), "failureReason"));

  /* A broker-side lock refuses new orders. */
  ea_tradovate_server_set_admin_action (f->server, f->account_id, "LockTradingImmediately");
  locked = rest (f, "POST", "order/placeorder", access,
                 "{\"accountSpec\":\"DEMO001\",\"action\":\"Buy\",\"symbol\":\"ESZ6\",\"orderQty\":1,\"orderType\":\"Market\"}",
                 &status);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (locked), "failureReason"), ==, "TradingLocked");
  ea_tradovate_server_set_admin_action (f->server, f->account_id, NULL);

  /* Liquidate: flat, nothing working. */
  g_free (body);
  body = g_strdup_printf ("{\"accountId\":%" G_GINT64_FORMAT ",\"contractId\":%" G_GINT64_FORMAT ",\"admin\":false}",
                          f->account_id, f->es_id);
  liquidated = rest (f, "POST", "order/liquidateposition", access, body, &status);
  g_assert_true (json_object_has_member (json_node_get_object (liquidated), "orderId"));
  g_assert_cmpint (ea_tradovate_server_get_net_position (f->server, f->account_id, f->es_id), ==, 0);
  g_assert_cmpuint (ea_tradovate_server_count_orders (f->server, f->account_id, "Working"), ==, 0);
}

/* WebSocket ------------------------------------------------------------ */

typedef struct
{
  SoupWebsocketConnection *ws;
  GPtrArray               *frames;
  gboolean                 closed;
} WsClient;

static void
ws_message_cb (SoupWebsocketConnection *ws,
               int                      type,
               GBytes                  *message,
               WsClient                *client)
{
  gsize len;
  const char *data = g_bytes_get_data (message, &len);

  g_ptr_array_add (client->frames, g_strndup (data, len));
}

static void
ws_closed_cb (SoupWebsocketConnection *ws,
              WsClient                *client)
{
  client->closed = TRUE;
}

static void
ws_connected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  WsClient *client = user_data;
  g_autoptr(GError) error = NULL;

  client->ws = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);
}

static void
iterate_until_frames (WsClient *client,
                      guint     n)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (client->frames->len < n && !client->closed && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

static WsClient *
ws_open (Fixture    *f,
         const char *url)
{
  WsClient *client = g_new0 (WsClient, 1);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  client->frames = g_ptr_array_new_with_free_func (g_free);
  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        ws_connected_cb, client);
  while (client->ws == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (client->ws);

  g_signal_connect (client->ws, "message", G_CALLBACK (ws_message_cb), client);
  g_signal_connect (client->ws, "closed", G_CALLBACK (ws_closed_cb), client);

  /* The server opens with "o". */
  iterate_until_frames (client, 1);
  g_assert_cmpstr (g_ptr_array_index (client->frames, 0), ==, "o");

  return client;
}

static void
ws_free (WsClient *client)
{
  if (client->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (client->ws, client);
      if (soup_websocket_connection_get_state (client->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (client->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (client->ws);
    }
  g_ptr_array_unref (client->frames);
  g_free (client);
}

/* Waits for the response to request @id and returns its message. */
static JsonObject *
ws_wait_response (WsClient *client,
                  gint64    id,
                  GPtrArray *keep)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint seen = 0;

  while (g_get_monotonic_time () < deadline)
    {
      for (; seen < client->frames->len; seen++)
        {
          EaTvFrame frame;

          if (!ea_tv_frame_parse (g_ptr_array_index (client->frames, seen), -1, &frame, NULL) ||
              frame.type != EA_TV_FRAME_ARRAY)
            {
              ea_tv_frame_clear (&frame);
              continue;
            }

          for (guint i = 0; i < json_array_get_length (frame.messages); i++)
            {
              JsonObject *m = json_array_get_object_element (frame.messages, i);
              gint64 rid;

              if (m != NULL && ea_tv_message_is_response (m, &rid, NULL) && rid == id)
                {
                  g_ptr_array_add (keep, json_array_ref (frame.messages));
                  ea_tv_frame_clear (&frame);
                  return m;
                }
            }
          ea_tv_frame_clear (&frame);
        }
      g_main_context_iteration (NULL, TRUE);
    }

  for (guint i = 0; i < client->frames->len; i++)
    g_test_message ("frame %u: %s", i, (char *) g_ptr_array_index (client->frames, i));
  g_error ("no response to request %" G_GINT64_FORMAT, id);
  return NULL;
}

static guint
count_events (WsClient   *client,
              const char *event,
              const char *entity_type)
{
  guint n = 0;

  for (guint f = 0; f < client->frames->len; f++)
    {
      EaTvFrame frame;

      if (!ea_tv_frame_parse (g_ptr_array_index (client->frames, f), -1, &frame, NULL))
        continue;
      for (guint i = 0; frame.messages && i < json_array_get_length (frame.messages); i++)
        {
          JsonObject *m = json_array_get_object_element (frame.messages, i);

          if (m == NULL || g_strcmp0 (ea_tv_message_event_name (m), event) != 0)
            continue;
          if (entity_type == NULL ||
              g_strcmp0 (json_object_get_string_member (json_object_get_object_member (m, "d"), "entityType"),
                         entity_type) == 0)
            n++;
        }
      ea_tv_frame_clear (&frame);
    }

  return n;
}

static void
wait_for_events (WsClient   *client,
                 const char *event,
                 const char *entity_type,
                 guint       n)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (count_events (client, event, entity_type) < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

static void
ws_send (WsClient   *client,
         const char *endpoint,
         gint64      id,
         const char *query,
         const char *body)
{
  g_autofree char *text = ea_tv_request_format (endpoint, id, query, body);

  soup_websocket_connection_send_text (client->ws, text);
}

static void
test_websocket (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *access = login (f);
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_array_unref);
  WsClient *trading = ws_open (f, ea_tradovate_server_get_ws_url (f->server));
  WsClient *md = ws_open (f, ea_tradovate_server_get_md_url (f->server));
  JsonObject *response;
  guint status;
  g_autoptr(JsonNode) placed = NULL;

  /* Nothing before authorize. */
  ws_send (trading, "account/list", 1, NULL, NULL);
  response = ws_wait_response (trading, 1, keep);
  g_assert_cmpint (json_object_get_int_member (response, "s"), ==, 401);

  ws_send (trading, "authorize", 2, NULL, "not-the-token");
  response = ws_wait_response (trading, 2, keep);
  g_assert_cmpint (json_object_get_int_member (response, "s"), ==, 401);

  ws_send (trading, "authorize", 3, NULL, access);
  response = ws_wait_response (trading, 3, keep);
  g_assert_cmpint (json_object_get_int_member (response, "s"), ==, 200);

  /* The snapshot. */
  ws_send (trading, "user/syncrequest", 4, NULL, "{\"users\":[1]}");
  response = ws_wait_response (trading, 4, keep);
  g_assert_cmpint (json_object_get_int_member (response, "s"), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (response, "d"), "accounts")),
                    ==, 1);

  /* Market data: the current quote at once, then every change. */
  ws_send (md, "authorize", 1, NULL, access);
  g_assert_cmpint (json_object_get_int_member (ws_wait_response (md, 1, keep), "s"), ==, 200);
  ws_send (md, "md/subscribeQuote", 2, NULL, "{\"symbol\":\"ESZ6\"}");
  g_assert_cmpint (json_object_get_int_member (ws_wait_response (md, 2, keep), "s"), ==, 200);
  ea_tradovate_server_set_quote (f->server, "ESZ6", 27201, 27202, 27202, 3);
  wait_for_events (md, "md", NULL, 2);
  g_assert_cmpuint (count_events (md, "md", NULL), ==, 2);

  /* An order placed over REST streams props to the synced socket. */
  placed = rest (f, "POST", "order/placeorder", access,
                 "{\"accountSpec\":\"DEMO001\",\"action\":\"Sell\",\"symbol\":\"ESZ6\",\"orderQty\":1,\"orderType\":\"Market\"}",
                 &status);
  wait_for_events (trading, "props", "cashBalance", 1);
  g_assert_cmpuint (count_events (trading, "props", "fill"), ==, 1);
  g_assert_cmpuint (count_events (trading, "props", "position"), ==, 1);
  g_assert_cmpuint (count_events (md, "props", NULL), ==, 0);

  /* Requests over the socket run like REST. */
  ws_send (trading, "position/list", 5, NULL, NULL);
  response = ws_wait_response (trading, 5, keep);
  g_assert_cmpint (json_object_get_int_member (
                     json_array_get_object_element (json_object_get_array_member (response, "d"), 0),
                     "netPos"), ==, -1);

  /* A malformed request closes the socket. */
  soup_websocket_connection_send_text (md->ws, "garbage without lines");
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (!md->closed && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_true (md->closed);

  ws_free (trading);
  ws_free (md);
}

static void
test_heartbeat_timeout (Fixture       *f,
                        gconstpointer  data)
{
  WsClient *client;
  gint64 deadline;

  ea_tradovate_server_set_heartbeat_timeout (f->server, 300);
  client = ws_open (f, ea_tradovate_server_get_ws_url (f->server));

  /* A client that never sends "[]" is dropped. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!client->closed && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (client->closed);
  g_assert_cmpuint (ea_tradovate_server_get_connections (f->server), ==, 0);

  ws_free (client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tradovate/server/auth", Fixture, NULL, fixture_setup, test_auth, fixture_teardown);
  g_test_add ("/tradovate/server/penalty", Fixture, NULL, fixture_setup, test_penalty, fixture_teardown);
  g_test_add ("/tradovate/server/orders", Fixture, NULL, fixture_setup, test_orders, fixture_teardown);
  g_test_add ("/tradovate/server/websocket", Fixture, NULL, fixture_setup, test_websocket, fixture_teardown);
  g_test_add ("/tradovate/server/heartbeat-timeout", Fixture, NULL, fixture_setup, test_heartbeat_timeout, fixture_teardown);

  return g_test_run ();
}
