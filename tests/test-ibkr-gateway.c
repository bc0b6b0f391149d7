/* test-ibkr-gateway.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local IBKR gateway with a plain libsoup client: HTTPS with its own
 * certificate, the pre-flight quirks, wrapped and bare placement bodies,
 * question chains, string market data, delta sor updates on the
 * websocket, Content-Length and the 429 penalty box.
 */
#include "config.h"

#include <string.h>

#include "ea-broker-util.h"
#include "ea-ibkr-gateway.h"
#include "ea-ibkr-proto.h"

#define ACCOUNT "DU1234567"

typedef struct
{
  EaIbkrGateway *gw;
  SoupSession   *session;
  GPtrArray     *frames;   /* char *: received, not yet waited for */
  GPtrArray     *seen;     /* char *: returned by wait_frame() */
} Fx;

static gboolean
accept_cb (SoupMessage *msg, GTlsCertificate *cert, GTlsCertificateFlags errors, Fx *fx)
{
  g_autofree char *fp = ea_tls_certificate_fingerprint (cert);

  return g_str_equal (fp, ea_ibkr_gateway_get_fingerprint (fx->gw));
}

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* One request; returns the status and the parsed body (or NULL). */
static guint
call (Fx *fx, const char *method, const char *path, const char *body, gboolean chunked, JsonNode **out)
{
  g_autofree char *uri = g_strconcat (ea_ibkr_gateway_get_url (fx->gw), "/", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_cb), fx);
  if (body != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", b);
      if (chunked)
        soup_message_headers_set_encoding (soup_message_get_request_headers (msg), SOUP_ENCODING_CHUNKED);
    }
  soup_session_send_and_read_async (fx->session, msg, G_PRIORITY_DEFAULT, NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  bytes = soup_session_send_and_read_finish (fx->session, res, &error);
  g_object_unref (res);
  g_assert_no_error (error);
  if (out)
    *out = ea_json_parse_bytes (bytes, NULL);
  return soup_message_get_status (msg);
}

static void
fx_init (Fx *fx)
{
  g_autoptr(GError) error = NULL;

  fx->gw = ea_ibkr_gateway_new (0, &error);
  g_assert_no_error (error);
  g_assert_true (ea_ibkr_gateway_add_account (fx->gw, ACCOUNT, EA_MICROS (50000)));
  fx->session = soup_session_new ();
  fx->frames = g_ptr_array_new_with_free_func (g_free);
  fx->seen = g_ptr_array_new_with_free_func (g_free);
}

static void
fx_clear (Fx *fx)
{
  g_object_unref (fx->session);
  g_object_unref (fx->gw);
  g_ptr_array_unref (fx->frames);
  g_ptr_array_unref (fx->seen);
}

static JsonObject *
first_object (JsonNode *n)
{
  g_assert_nonnull (n);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (n));
  return json_array_get_object_element (json_node_get_array (n), 0);
}

static void
test_preflight_and_orders (void)
{
  g_autoptr(JsonNode) n = NULL;
  gint64 conid;
  g_autofree char *body = NULL;
  JsonArray *orders;
  Fx fx;

  fx_init (&fx);
  conid = ea_ibkr_gateway_get_conid (fx.gw, "ES");
  g_assert_cmpuint (call (&fx, "GET", "iserver/account/orders", NULL, FALSE, &n), ==, 400);
  g_assert_cmpstr (ea_json_get_string (json_node_get_object (n), "error"), ==, "Please query /accounts first");
  g_clear_pointer (&n, json_node_unref);
  g_assert_cmpuint (call (&fx, "GET", "iserver/accounts", NULL, FALSE, &n), ==, 200);
  g_clear_pointer (&n, json_node_unref);

  /* The first listing is empty, whatever exists. */
  ea_ibkr_gateway_set_quote (fx.gw, "ES", 27200, 27201, 5, 5);
  body = g_strdup_printf ("{\"orders\":[{\"conid\":%" G_GINT64_FORMAT ",\"cOID\":\"p-1\",\"orderType\":\"LMT\","
                          "\"side\":\"BUY\",\"quantity\":2,\"price\":6700.25,\"tif\":\"DAY\"}]}", conid);
  g_assert_cmpuint (call (&fx, "POST", "iserver/account/" ACCOUNT "/orders", body, FALSE, &n), ==, 200);
  g_assert_cmpstr (ea_json_get_string (first_object (n), "order_status"), ==, "Submitted");
  g_clear_pointer (&n, json_node_unref);
  g_assert_cmpuint (call (&fx, "GET", "iserver/account/orders", NULL, FALSE, &n), ==, 200);
  g_assert_false (ea_json_get_bool (json_node_get_object (n), "snapshot", TRUE));
  g_assert_cmpuint (json_array_get_length (ea_json_get_array (json_node_get_object (n), "orders")), ==, 0);
  g_clear_pointer (&n, json_node_unref);
  g_assert_cmpuint (call (&fx, "GET", "iserver/account/orders", NULL, FALSE, &n), ==, 200);
  orders = ea_json_get_array (json_node_get_object (n), "orders");
  g_assert_cmpuint (json_array_get_length (orders), ==, 1);
  g_assert_cmpstr (ea_json_get_string (json_array_get_object_element (orders, 0), "order_ref"), ==, "p-1");
  g_assert_cmpstr (ea_json_get_string (json_array_get_object_element (orders, 0), "price"), ==, "6700.25");
  g_clear_pointer (&n, json_node_unref);

  /* The bare-array form of the newer docs is accepted too. */
  g_free (body);
  body = g_strdup_printf ("[{\"conid\":%" G_GINT64_FORMAT ",\"cOID\":\"p-2\",\"orderType\":\"MKT\","
                          "\"side\":\"SELL\",\"quantity\":1}]", conid);
  g_assert_cmpuint (call (&fx, "POST", "iserver/account/" ACCOUNT "/orders", body, FALSE, &n), ==, 200);
  g_assert_cmpstr (ea_json_get_string (first_object (n), "order_status"), ==, "Filled");
  g_clear_pointer (&n, json_node_unref);
  g_assert_cmpint (ea_ibkr_gateway_get_position (fx.gw, ACCOUNT, "ES"), ==, -1);

  /* A duplicate cOID and a POST without Content-Length are refused. */
  g_assert_cmpuint (call (&fx, "POST", "iserver/account/" ACCOUNT "/orders", body, FALSE, NULL), ==, 400);
  g_assert_cmpuint (call (&fx, "POST", "iserver/account/" ACCOUNT "/orders", body, TRUE, NULL), ==, 411);
  fx_clear (&fx);
}

static void
test_questions_and_market (void)
{
  static const char *const asked[] = { "o163", "o354", NULL };
  g_autoptr(JsonNode) n = NULL;
  g_autofree char *body = NULL;
  g_autofree char *snap = NULL;
  g_autofree char *path = NULL;
  JsonObject *q;
  gint64 conid;
  Fx fx;

  fx_init (&fx);
  conid = ea_ibkr_gateway_get_conid (fx.gw, "ES");
  ea_ibkr_gateway_set_questions (fx.gw, asked);
  ea_ibkr_gateway_set_quote (fx.gw, "ES", 27200, 27201, 5, 7);
  call (&fx, "GET", "iserver/accounts", NULL, FALSE, NULL);

  body = g_strdup_printf ("{\"orders\":[{\"conid\":%" G_GINT64_FORMAT ",\"cOID\":\"q-1\",\"orderType\":\"LMT\","
                          "\"side\":\"BUY\",\"quantity\":1,\"price\":6700}]}", conid);
  g_assert_cmpuint (call (&fx, "POST", "iserver/account/" ACCOUNT "/orders", body, FALSE, &n), ==, 200);
  q = first_object (n);
  g_assert_cmpstr (json_array_get_string_element (ea_json_get_array (q, "messageIds"), 0), ==, "o163");
  path = g_strdup_printf ("iserver/reply/%s", ea_json_get_string (q, "id"));
  g_clear_pointer (&n, json_node_unref);
  g_assert_cmpuint (call (&fx, "POST", path, "{\"confirmed\":true}", FALSE, &n), ==, 200);
  q = first_object (n);
  g_assert_cmpstr (json_array_get_string_element (ea_json_get_array (q, "messageIds"), 0), ==, "o354");
  g_free (path);
  path = g_strdup_printf ("iserver/reply/%s", ea_json_get_string (q, "id"));
  g_clear_pointer (&n, json_node_unref);
  g_assert_cmpuint (call (&fx, "POST", path, "{\"confirmed\":true}", FALSE, &n), ==, 200);
  g_assert_nonnull (ea_json_get_string (first_object (n), "order_id"));
  g_clear_pointer (&n, json_node_unref);
  /* An answered question is gone. */
  g_assert_cmpuint (call (&fx, "POST", path, "{\"confirmed\":true}", FALSE, NULL), ==, 400);

  /* Suppressed for the session: only the other question remains. */
  g_assert_cmpuint (call (&fx, "POST", "iserver/questions/suppress", "{\"messageIds\":[\"o163\"]}", FALSE, NULL),
                    ==, 200);
  g_free (body);
  body = g_strdup_printf ("{\"orders\":[{\"conid\":%" G_GINT64_FORMAT ",\"cOID\":\"q-2\",\"orderType\":\"LMT\","
                          "\"side\":\"BUY\",\"quantity\":1,\"price\":6700}]}", conid);
  g_assert_cmpuint (call (&fx, "POST", "iserver/account/" ACCOUNT "/orders", body, FALSE, &n), ==, 200);
  g_assert_cmpstr (json_array_get_string_element (ea_json_get_array (first_object (n), "messageIds"), 0), ==,
                   "o354");
  g_clear_pointer (&n, json_node_unref);
  g_assert_cmpuint (ea_ibkr_gateway_count_questions (fx.gw), ==, 3);

  /* Market data: a pre-flight reply, then string fields; the last is the
   * prior close ("C") before the first trade. */
  snap = g_strdup_printf ("iserver/marketdata/snapshot?conids=%" G_GINT64_FORMAT "&fields=31,84,86", conid);
  g_assert_cmpuint (call (&fx, "GET", snap, NULL, FALSE, &n), ==, 200);
  g_assert_false (json_object_has_member (first_object (n), "84"));
  g_clear_pointer (&n, json_node_unref);
  call (&fx, "GET", snap, NULL, FALSE, &n);
  g_assert_cmpstr (ea_json_get_string (first_object (n), "84"), ==, "6800.00");
  g_assert_cmpstr (ea_json_get_string (first_object (n), "85"), ==, "7");
  g_assert_cmpstr (ea_json_get_string (first_object (n), "31"), ==, "C6800.00");
  g_clear_pointer (&n, json_node_unref);
  ea_ibkr_gateway_trade (fx.gw, "ES", 27201, 2);
  call (&fx, "GET", snap, NULL, FALSE, &n);
  g_assert_cmpstr (ea_json_get_string (first_object (n), "31"), ==, "6800.25");
  fx_clear (&fx);
}

static void
frame_cb (SoupWebsocketConnection *ws, gint type, GBytes *message, Fx *fx)
{
  gsize len;
  const char *data = g_bytes_get_data (message, &len);

  g_ptr_array_add (fx->frames, g_strndup (data, len));
}

static const char *
wait_frame (Fx *fx, const char *needle)
{
  for (;;)
    {
      for (guint i = 0; i < fx->frames->len; i++)
        if (strstr (fx->frames->pdata[i], needle))
          {
            char *f = g_ptr_array_steal_index (fx->frames, i);

            g_ptr_array_add (fx->seen, f);
            return f;
          }
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_websocket_deltas (void)
{
  g_autoptr(JsonNode) n = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupWebsocketConnection) ws = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL, *auth = NULL, *body = NULL;
  g_autofree char *topic = NULL;
  g_autoptr(JsonObject) delta = NULL;
  g_autoptr(JsonObject) first = NULL;
  GAsyncResult *res = NULL;
  JsonObject *rec;
  const char *f;
  gint64 conid;
  Fx fx;

  fx_init (&fx);
  conid = ea_ibkr_gateway_get_conid (fx.gw, "ES");
  ea_ibkr_gateway_set_quote (fx.gw, "ES", 27200, 27201, 5, 5);
  call (&fx, "GET", "iserver/accounts", NULL, FALSE, NULL);
  call (&fx, "POST", "tickle", "{}", FALSE, &n);
  auth = g_strdup_printf ("{\"session\":\"%s\"}", ea_json_get_string (json_node_get_object (n), "session"));

  uri = g_strconcat (ea_ibkr_gateway_get_url (fx.gw), "/ws", NULL);
  msg = soup_message_new ("GET", uri);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_cb), &fx);
  soup_session_websocket_connect_async (fx.session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  ws = soup_session_websocket_connect_finish (fx.session, res, &error);
  g_object_unref (res);
  g_assert_no_error (error);
  g_signal_connect (ws, "message", G_CALLBACK (frame_cb), &fx);
  wait_frame (&fx, "waiting for session");
  soup_websocket_connection_send_text (ws, auth);
  wait_frame (&fx, "\"success\"");
  soup_websocket_connection_send_text (ws, "sor+{}");
  soup_websocket_connection_send_text (ws, "tic");
  wait_frame (&fx, "\"topic\":\"tic\"");

  body = g_strdup_printf ("{\"orders\":[{\"conid\":%" G_GINT64_FORMAT ",\"cOID\":\"w-1\",\"orderType\":\"LMT\","
                          "\"side\":\"BUY\",\"quantity\":2,\"price\":6799.75}]}", conid);
  call (&fx, "POST", "iserver/account/" ACCOUNT "/orders", body, FALSE, NULL);
  f = wait_frame (&fx, "\"order_ref\":\"w-1\"");
  first = ea_ibkr_ws_parse (f, strlen (f), &topic, NULL);
  rec = json_array_get_object_element (ea_json_get_array (first, "args"), 0);
  g_assert_cmpstr (ea_json_get_string (rec, "status"), ==, "Submitted");
  g_clear_pointer (&topic, g_free);

  /* The market comes to the order: the update carries only what changed. */
  ea_ibkr_gateway_set_quote (fx.gw, "ES", 27198, 27199, 5, 5);
  f = wait_frame (&fx, "\"status\":\"Filled\"");
  delta = ea_ibkr_ws_parse (f, strlen (f), &topic, NULL);
  rec = json_array_get_object_element (ea_json_get_array (delta, "args"), 0);
  g_assert_true (json_object_has_member (rec, "orderId"));
  g_assert_true (json_object_has_member (rec, "filledQuantity"));
  g_assert_false (json_object_has_member (rec, "conid"));
  g_assert_false (json_object_has_member (rec, "order_ref"));
  g_assert_false (json_object_has_member (rec, "side"));
  soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  while (soup_websocket_connection_get_state (ws) != SOUP_WEBSOCKET_STATE_CLOSED)
    g_main_context_iteration (NULL, TRUE);
  fx_clear (&fx);
}

static void
test_penalty_box (void)
{
  Fx fx;

  fx_init (&fx);
  /* 2 per minute, so that the third call is over however slowly the
   * calls run; the penalty lasts a minute. */
  ea_ibkr_gateway_set_pacing (fx.gw, 2, 60000, 5000, 60000);
  g_assert_cmpuint (call (&fx, "GET", "iserver/accounts", NULL, FALSE, NULL), ==, 200);
  g_assert_cmpuint (call (&fx, "POST", "tickle", "{}", FALSE, NULL), ==, 200);
  g_assert_cmpuint (call (&fx, "POST", "iserver/auth/status", "{}", FALSE, NULL), ==, 429);
  g_assert_cmpuint (call (&fx, "POST", "tickle", "{}", FALSE, NULL), ==, 429);
  g_assert_cmpuint (ea_ibkr_gateway_count_429 (fx.gw), ==, 2);
  fx_clear (&fx);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ibkr-gateway/preflight-orders", test_preflight_and_orders);
  g_test_add_func ("/ibkr-gateway/questions-market", test_questions_and_market);
  g_test_add_func ("/ibkr-gateway/websocket-deltas", test_websocket_deltas);
  g_test_add_func ("/ibkr-gateway/penalty-box", test_penalty_box);
  return g_test_run ();
}
