/* ea-ibkr-gateway.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local gateway's object, certificate, session and REST routing.
 */
#define G_LOG_DOMAIN "ea-ibkr-gateway"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#ifdef EA_GW_HAVE_GNUTLS
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#endif

#include "ea-broker-util.h"
#include "ea-ibkr-gateway-private.h"

G_DEFINE_FINAL_TYPE (EaIbkrGateway, ea_ibkr_gateway, G_TYPE_OBJECT)

#define API "/v1/api/"

static const char *const slow_paths[] = {
  "iserver/account/orders", "iserver/account/trades", "iserver/account/pnl/partitioned",
  "portfolio/accounts", "portfolio/subaccounts", NULL,
};

#ifdef EA_GW_HAVE_GNUTLS
/* A self-signed certificate for 127.0.0.1 and localhost, made now. */
static GTlsCertificate *
make_certificate (GError **error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t cert_pem = { NULL, 0 }, key_pem = { NULL, 0 };
  static const guint8 loopback[4] = { 127, 0, 0, 1 };
  guint8 serial[8];
  GTlsCertificate *cert = NULL;
  time_t now = time (NULL);
  int rc;

  for (guint i = 0; i < sizeof serial; i++)
    serial[i] = (guint8) g_random_int_range (0, 256);
  serial[0] &= 0x7f;
  if ((rc = gnutls_x509_privkey_init (&key)) < 0 ||
      (rc = gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                          GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0)) < 0 ||
      (rc = gnutls_x509_crt_init (&crt)) < 0 ||
      (rc = gnutls_x509_crt_set_version (crt, 3)) < 0 ||
      (rc = gnutls_x509_crt_set_serial (crt, serial, sizeof serial)) < 0 ||
      (rc = gnutls_x509_crt_set_activation_time (crt, now - 3600)) < 0 ||
      (rc = gnutls_x509_crt_set_expiration_time (crt, now + 7 * 86400)) < 0 ||
      (rc = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, "localhost", 9)) < 0 ||
      (rc = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "localhost", 9,
                                                  GNUTLS_FSAN_APPEND)) < 0 ||
      (rc = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, loopback, 4,
                                                  GNUTLS_FSAN_APPEND)) < 0 ||
      (rc = gnutls_x509_crt_set_key (crt, key)) < 0 ||
      (rc = gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0)) < 0 ||
      (rc = gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &cert_pem)) < 0 ||
      (rc = gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN,
                                               &key_pem)) < 0)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot make the certificate: %s",
                 gnutls_strerror (rc));
  else
    {
      g_autofree char *pem = g_strdup_printf ("%.*s%.*s", (int) cert_pem.size, cert_pem.data,
                                              (int) key_pem.size, key_pem.data);

      cert = g_tls_certificate_new_from_pem (pem, -1, error);
    }
  gnutls_free (cert_pem.data);
  gnutls_free (key_pem.data);
  if (crt)
    gnutls_x509_crt_deinit (crt);
  if (key)
    gnutls_x509_privkey_deinit (key);
  return cert;
}

#else
/* A self-signed certificate for 127.0.0.1 and localhost, made now by the
 * openssl command (when GnuTLS' headers are not available). */
static GTlsCertificate *
make_certificate (GError **error)
{
  g_autofree char *dir = g_dir_make_tmp ("ea-ibkr-gateway-XXXXXX", error);
  g_autofree char *key = NULL, *crt = NULL, *key_pem = NULL, *crt_pem = NULL, *pem = NULL;
  g_autofree char *err = NULL;
  GTlsCertificate *cert = NULL;
  gint status = 0;

  if (dir == NULL)
    return NULL;
  key = g_build_filename (dir, "key.pem", NULL);
  crt = g_build_filename (dir, "cert.pem", NULL);
  {
    const char *argv[] = {
      "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", key, "-out", crt, "-days", "7", "-subj", "/CN=localhost",
      "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", NULL,
    };

    if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                      NULL, &err, &status, error) &&
        g_spawn_check_wait_status (status, error) &&
        g_file_get_contents (crt, &crt_pem, NULL, error) && g_file_get_contents (key, &key_pem, NULL, error))
      {
        pem = g_strconcat (crt_pem, key_pem, NULL);
        cert = g_tls_certificate_new_from_pem (pem, -1, error);
      }
  }
  g_unlink (key);
  g_unlink (crt);
  g_rmdir (dir);
  return cert;
}
#endif

static void
pending_free (GwPending *p)
{
  g_free (p->account);
  json_node_unref (p->body);
  g_free (p);
}

static void
order_free (GwOrder *g)
{
  g_free (g->sim_id);
  g_free (g->account);
  g_free (g->order_ref);
  g_clear_pointer (&g->last, json_object_unref);
  g_free (g);
}

static void
ea_ibkr_gateway_finalize (GObject *object)
{
  EaIbkrGateway *self = EA_IBKR_GATEWAY (object);

  _ea_gw_ws_close_all (self);
  if (self->server)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->certificate);
  g_free (self->fingerprint);
  g_free (self->url);
  ea_sim_exchange_free (self->ex);
  g_ptr_array_unref (self->accounts);
  g_free (self->selected);
  g_ptr_array_unref (self->contracts);
  g_ptr_array_foreach (self->orders, (GFunc) order_free, NULL);
  g_ptr_array_unref (self->orders);
  g_hash_table_unref (self->order_by_sim);
  json_array_unref (self->trades);
  g_free (self->session);
  g_ptr_array_unref (self->questions);
  g_hash_table_unref (self->suppressed);
  g_hash_table_unref (self->pending);
  g_array_unref (self->recent);
  g_hash_table_unref (self->slow_last);
  g_hash_table_unref (self->request_counts);
  g_ptr_array_unref (self->request_log);
  g_hash_table_unref (self->smd_counts);
  g_clear_pointer (&self->last_order_body, json_node_unref);
  G_OBJECT_CLASS (ea_ibkr_gateway_parent_class)->finalize (object);
}

static void
ea_ibkr_gateway_class_init (EaIbkrGatewayClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ea_ibkr_gateway_finalize;
}

void
_ea_gw_new_session (EaIbkrGateway *self)
{
  g_free (self->session);
  self->session = g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());
  self->authenticated = TRUE;
  self->accounts_primed = FALSE;
  self->orders_primed = FALSE;
  g_hash_table_remove_all (self->suppressed);
}

static void
ea_ibkr_gateway_init (EaIbkrGateway *self)
{
  self->accounts = g_ptr_array_new_with_free_func (g_free);
  self->questions = g_ptr_array_new_with_free_func (g_free);
  self->suppressed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) pending_free);
  self->recent = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->slow_last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->request_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->request_log = g_ptr_array_new_with_free_func (g_free);
  self->smd_counts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->logged_in = TRUE;
  self->page_size = 100;
  _ea_gw_new_session (self);
  _ea_gw_orders_init (self);
}

/* Replies. */

#define REPLY_NODE(...)  do { reply_node (__VA_ARGS__); return; } while (0)
#define REPLY_ERROR(...) do { reply_error (__VA_ARGS__); return; } while (0)
#define SUBMIT(...)      do { submit (__VA_ARGS__); return; } while (0)

static void
reply_node (SoupServerMessage *msg,
            guint              status,
            JsonNode          *node)
{
  g_autofree char *body = node ? ea_json_to_string (node) : g_strdup ("");

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
  if (node)
    json_node_unref (node);
}

static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *text)
{
  reply_node (msg, status, _ea_gw_error_node ("%s", text));
}

static JsonNode *
object_node (JsonObject *o)
{
  JsonNode *n = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (n, o);
  return n;
}

static JsonNode *
auth_status (EaIbkrGateway *self)
{
  JsonObject *o = json_object_new ();
  JsonObject *info = json_object_new ();

  json_object_set_boolean_member (o, "authenticated", self->authenticated);
  json_object_set_boolean_member (o, "competing", self->competing);
  json_object_set_boolean_member (o, "connected", TRUE);
  json_object_set_string_member (o, "message", self->authenticated ? "" : "session expired: log in again");
  json_object_set_string_member (o, "fail", "");
  json_object_set_string_member (o, "MAC", "00:00:00:00:00:00");
  json_object_set_string_member (info, "serverName", "EaLocalGateway");
  json_object_set_string_member (info, "serverVersion", "Build 10.30.1");
  json_object_set_object_member (o, "serverInfo", info);
  return object_node (o);
}

static JsonNode *
tickle (EaIbkrGateway *self)
{
  JsonObject *o = json_object_new ();
  JsonObject *iserver = json_object_new ();
  JsonObject *auth = json_object_new ();

  json_object_set_string_member (o, "session", self->session);
  json_object_set_int_member (o, "ssoExpires", 86400000);
  json_object_set_boolean_member (o, "collission", self->competing);
  json_object_set_int_member (o, "userId", 1);
  json_object_set_boolean_member (auth, "authenticated", self->authenticated);
  json_object_set_boolean_member (auth, "competing", self->competing);
  json_object_set_boolean_member (auth, "connected", TRUE);
  json_object_set_object_member (iserver, "authStatus", auth);
  json_object_set_object_member (o, "iserver", iserver);
  return object_node (o);
}

static const char *
question_text (const char *id)
{
  if (g_strcmp0 (id, "o163") == 0)
    return "The following order exceeds the price percentage limit defined in the precautionary settings. "
           "Are you sure you want to submit this order?";
  if (g_strcmp0 (id, "o354") == 0)
    return "You are submitting an order without market data. We strongly recommend against this. "
           "Are you sure you want to submit this order?";
  if (g_strcmp0 (id, "o383") == 0)
    return "The following order size exceeds the Size Limit of 1. Are you sure you want to submit this order?";
  return "Are you sure you want to submit this order?";
}

/* The next question of @p not suppressed, as a reply, or NULL. */
static JsonNode *
next_question (EaIbkrGateway *self,
               GwPending     *p)
{
  while (p->next_question < self->questions->len &&
         g_hash_table_contains (self->suppressed, self->questions->pdata[p->next_question]))
    p->next_question++;
  if (p->next_question < self->questions->len)
    {
      const char *mid = self->questions->pdata[p->next_question];
      char *qid = g_strdup_printf ("%08x-%04x-4%03x-8000-%012x", g_random_int (), ++self->question_seq,
                                   g_random_int_range (0, 0xfff), g_random_int ());
      JsonObject *q = json_object_new ();
      JsonArray *lines = json_array_new ();
      JsonArray *ids = json_array_new ();
      JsonArray *a = json_array_new ();
      JsonNode *n = json_node_new (JSON_NODE_ARRAY);

      json_array_add_string_element (lines, question_text (mid));
      json_array_add_string_element (ids, mid);
      json_object_set_string_member (q, "id", qid);
      json_object_set_array_member (q, "message", lines);
      json_object_set_boolean_member (q, "isSuppressed", FALSE);
      json_object_set_array_member (q, "messageIds", ids);
      json_array_add_object_element (a, q);
      json_node_take_array (n, a);
      g_hash_table_insert (self->pending, qid, p);
      self->n_questions++;
      return n;
    }
  return NULL;
}

static void
submit (EaIbkrGateway     *self,
        SoupServerMessage *msg,
        GwPending         *p)
{
  JsonNode *question = next_question (self, p);
  guint status;
  JsonNode *result;

  if (question != NULL)
    {
      reply_node (msg, 200, question);
      return;
    }
  result = _ea_gw_execute (self, p, &status);
  pending_free (p);
  if (self->fault_lose_place > 0 && status == 200)
    {
      GIOStream *stream;

      self->fault_lose_place--;
      json_node_unref (result);
      stream = soup_server_message_steal_connection (msg);
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
      return;
    }
  reply_node (msg, status, result);
}

static gboolean
pacing_refuses (EaIbkrGateway *self,
                const char    *rel)
{
  gint64 now = g_get_monotonic_time ();
  guint keep = 0;

  if (self->pace_global == 0)
    return FALSE;
  if (now < self->penalty_until)
    return TRUE;
  for (guint i = 0; i < self->recent->len; i++)
    if (g_array_index (self->recent, gint64, i) > now - self->pace_window)
      g_array_index (self->recent, gint64, keep++) = g_array_index (self->recent, gint64, i);
  g_array_set_size (self->recent, keep);
  if (self->recent->len >= self->pace_global)
    goto penalty;
  for (guint i = 0; slow_paths[i]; i++)
    if (g_str_has_prefix (rel, slow_paths[i]) && !g_str_has_prefix (rel, "iserver/account/order/"))
      {
        gint64 *last = g_hash_table_lookup (self->slow_last, slow_paths[i]);

        if (last != NULL && now - *last < self->pace_slow_window)
          goto penalty;
        if (last == NULL)
          {
            last = g_new (gint64, 1);
            g_hash_table_insert (self->slow_last, g_strdup (slow_paths[i]), last);
          }
        *last = now;
      }
  g_array_append_val (self->recent, now);
  return FALSE;

penalty:
  self->penalty_until = now + self->pace_penalty;
  return TRUE;
}

static void
count_request (EaIbkrGateway *self,
               const char    *method,
               const char    *rel)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->request_counts, rel));

  g_hash_table_insert (self->request_counts, g_strdup (rel), GUINT_TO_POINTER (n + 1));
  g_ptr_array_add (self->request_log, g_strdup_printf ("%s %s", method, rel));
}

static gboolean
is_account (EaIbkrGateway *self,
            const char    *name)
{
  for (guint i = 0; i < self->accounts->len; i++)
    if (g_strcmp0 (self->accounts->pdata[i], name) == 0)
      return TRUE;
  return FALSE;
}

static void
route (EaIbkrGateway     *self,
       SoupServerMessage *msg,
       const char        *method,
       const char        *rel,
       GHashTable        *query,
       JsonNode          *body)
{
  JsonObject *bo = body && JSON_NODE_HOLDS_OBJECT (body) ? json_node_get_object (body) : NULL;
  g_auto(GStrv) parts = g_strsplit (rel, "/", -1);
  guint n = g_strv_length (parts);
  gboolean get = g_str_equal (method, "GET");
  gboolean post = g_str_equal (method, "POST");
  guint status = 200;
  gint64 id;

  if (g_str_equal (rel, "tickle") && (get || post))
    REPLY_NODE (msg, 200, tickle (self));
  if (g_str_equal (rel, "iserver/auth/status") && post)
    REPLY_NODE (msg, 200, auth_status (self));
  if (g_str_equal (rel, "iserver/auth/ssodh/init") && post)
    {
      if (self->logged_in && (!self->authenticated || ea_json_get_bool (bo, "compete", FALSE)))
        {
          _ea_gw_new_session (self);
          self->competing = FALSE;
        }
      REPLY_NODE (msg, 200, auth_status (self));
    }
  if (g_str_equal (rel, "logout") && post)
    {
      self->authenticated = FALSE;
      REPLY_NODE (msg, 200, ea_json_parse_string ("{\"status\":true}", -1, NULL));
    }

  if (g_str_has_prefix (rel, "iserver/") && !self->authenticated)
    REPLY_ERROR (msg, 401, "not authenticated");
  if (g_str_equal (rel, "iserver/accounts") && get)
    {
      JsonObject *o = json_object_new ();
      JsonArray *a = json_array_new ();
      JsonObject *aliases = json_object_new ();

      for (guint i = 0; i < self->accounts->len; i++)
        {
          json_array_add_string_element (a, self->accounts->pdata[i]);
          json_object_set_string_member (aliases, self->accounts->pdata[i], self->accounts->pdata[i]);
        }
      json_object_set_array_member (o, "accounts", a);
      json_object_set_object_member (o, "aliases", aliases);
      json_object_set_string_member (o, "selectedAccount", self->selected ? self->selected : "");
      self->accounts_primed = TRUE;
      REPLY_NODE (msg, 200, object_node (o));
    }
  if (g_str_has_prefix (rel, "trsrv/futures") && get)
    REPLY_NODE (msg, 200, _ea_gw_futures (self, query ? g_hash_table_lookup (query, "symbols") : NULL));
  if (g_str_equal (rel, "portfolio/accounts") && get)
    {
      JsonArray *a = json_array_new ();
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < self->accounts->len; i++)
        {
          JsonObject *o = json_object_new ();

          json_object_set_string_member (o, "id", self->accounts->pdata[i]);
          json_object_set_string_member (o, "accountId", self->accounts->pdata[i]);
          json_object_set_string_member (o, "type", "DEMO");
          json_object_set_string_member (o, "currency", "USD");
          json_array_add_object_element (a, o);
        }
      json_node_take_array (node, a);
      REPLY_NODE (msg, 200, node);
    }
  if (n == 3 && g_str_equal (parts[0], "portfolio") && g_str_equal (parts[2], "ledger") && get)
    {
      if (!is_account (self, parts[1]))
        REPLY_ERROR (msg, 404, "no such account");
      REPLY_NODE (msg, 200, _ea_gw_ledger (self, parts[1]));
    }
  if (n == 4 && g_str_equal (parts[0], "portfolio") && g_str_equal (parts[2], "positions"))
    {
      if (!is_account (self, parts[1]))
        REPLY_ERROR (msg, 404, "no such account");
      if (post && g_str_equal (parts[3], "invalidate"))
        REPLY_NODE (msg, 200, ea_json_parse_string ("{\"message\":\"success\"}", -1, NULL));
      if (get)
        {
          guint64 page;

          if (!g_ascii_string_to_unsigned (parts[3], 10, 0, G_MAXUINT, &page, NULL))
            REPLY_ERROR (msg, 400, "bad page");
          REPLY_NODE (msg, 200, _ea_gw_positions (self, parts[1], (guint) page));
        }
    }

  if (g_str_has_prefix (rel, "iserver/") && !self->accounts_primed)
    REPLY_ERROR (msg, 400, "Please query /accounts first");
  if (self->competing && (post || g_str_equal (method, "DELETE")) && g_str_has_prefix (rel, "iserver/"))
    REPLY_ERROR (msg, 401, "competing session: another session is connected for this user");

  if (g_str_equal (rel, "iserver/account") && post)
    {
      const char *acct = ea_json_get_string (bo, "acctId");

      if (!is_account (self, acct))
        REPLY_ERROR (msg, 400, "invalid acctId");
      g_free (self->selected);
      self->selected = g_strdup (acct);
      REPLY_NODE (msg, 200, ea_json_parse_string ("{\"set\":true}", -1, NULL));
    }
  if (g_str_equal (rel, "iserver/account/orders") && get)
    REPLY_NODE (msg, 200, _ea_gw_list_orders (self));
  if (g_str_equal (rel, "iserver/account/trades") && get)
    REPLY_NODE (msg, 200, _ea_gw_list_trades (self));
  if (g_str_equal (rel, "iserver/marketdata/snapshot") && get)
    REPLY_NODE (msg, 200, _ea_gw_snapshot (self, query ? g_hash_table_lookup (query, "conids") : NULL));
  if (n == 5 && g_str_equal (parts[1], "account") && g_str_equal (parts[2], "order") &&
      g_str_equal (parts[3], "status") && get)
    {
      if (!ea_parse_int64 (parts[4], &id))
        REPLY_ERROR (msg, 400, "bad order id");
      REPLY_NODE (msg, 200, _ea_gw_order_status (self, id, &status));
    }
  if (g_str_equal (rel, "iserver/questions/suppress") && post)
    {
      JsonArray *ids = ea_json_get_array (bo, "messageIds");

      if (ids == NULL)
        REPLY_ERROR (msg, 400, "messageIds required");
      for (guint i = 0; i < json_array_get_length (ids); i++)
        {
          JsonNode *e = json_array_get_element (ids, i);

          if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
            g_hash_table_add (self->suppressed, g_strdup (json_node_get_string (e)));
        }
      REPLY_NODE (msg, 200, ea_json_parse_string ("{\"status\":\"submitted\"}", -1, NULL));
    }
  if (g_str_equal (rel, "iserver/questions/suppress/reset") && post)
    {
      g_hash_table_remove_all (self->suppressed);
      REPLY_NODE (msg, 200, ea_json_parse_string ("{\"status\":\"submitted\"}", -1, NULL));
    }
  if (n == 3 && g_str_equal (parts[1], "reply") && post)
    {
      GwPending *p = NULL;
      char *key = NULL;

      if (!g_hash_table_steal_extended (self->pending, parts[2], (gpointer *) &key, (gpointer *) &p))
        REPLY_ERROR (msg, 400, "no question with this id");
      g_free (key);
      if (!ea_json_get_bool (bo, "confirmed", FALSE))
        {
          pending_free (p);
          REPLY_ERROR (msg, 400, "Order not confirmed");
        }
      p->next_question++;
      SUBMIT (self, msg, p);
    }
  if (n == 4 && g_str_equal (parts[1], "account") && g_str_equal (parts[3], "orders") && post)
    {
      GwPending *p;

      if (!is_account (self, parts[2]))
        REPLY_ERROR (msg, 400, "invalid account");
      if (g_strcmp0 (parts[2], self->selected) != 0)
        REPLY_ERROR (msg, 400, "account is not the selected account: switch with /iserver/account");
      if (body == NULL)
        REPLY_ERROR (msg, 400, "empty body");
      g_clear_pointer (&self->last_order_body, json_node_unref);
      self->last_order_body = json_node_copy (body);
      p = g_new0 (GwPending, 1);
      p->account = g_strdup (parts[2]);
      p->body = json_node_copy (body);
      SUBMIT (self, msg, p);
    }
  if (n == 5 && g_str_equal (parts[1], "account") && g_str_equal (parts[3], "order"))
    {
      if (!ea_parse_int64 (parts[4], &id))
        REPLY_ERROR (msg, 400, "bad order id");
      if (g_str_equal (method, "DELETE"))
        {
          JsonNode *r = _ea_gw_cancel (self, parts[2], id, &status);

          g_clear_pointer (&self->last_order_body, json_node_unref);
          REPLY_NODE (msg, status, r);
        }
      if (post)
        {
          GwPending *p;

          if (body == NULL)
            REPLY_ERROR (msg, 400, "empty body");
          g_clear_pointer (&self->last_order_body, json_node_unref);
          self->last_order_body = json_node_copy (body);
          p = g_new0 (GwPending, 1);
          p->account = g_strdup (parts[2]);
          p->body = json_node_copy (body);
          p->modify_id = id;
          SUBMIT (self, msg, p);
        }
    }
  reply_error (msg, 404, "no such endpoint");
}

typedef struct
{
  EaIbkrGateway     *gateway;
  SoupServerMessage *msg;
} Delayed;

static gboolean
unpause_cb (gpointer user_data)
{
  Delayed *d = user_data;

  soup_server_message_unpause (d->msg);
  g_object_unref (d->msg);
  g_object_unref (d->gateway);
  g_free (d);
  return G_SOURCE_REMOVE;
}

static void route_message (EaIbkrGateway     *self,
                           SoupServerMessage *msg,
                           const char        *path,
                           GHashTable        *query);

static void
rest_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  EaIbkrGateway *self = user_data;

  route_message (self, msg, path, query);
  if (self->reply_delay_ms > 0)
    {
      Delayed *d = g_new0 (Delayed, 1);

      d->gateway = g_object_ref (self);
      d->msg = g_object_ref (msg);
      soup_server_message_pause (msg);
      g_timeout_add (self->reply_delay_ms, unpause_cb, d);
    }
}

void
ea_ibkr_gateway_set_reply_delay (EaIbkrGateway *self,
                                 guint          ms)
{
  self->reply_delay_ms = ms;
}

void
ea_ibkr_gateway_set_page_size (EaIbkrGateway *self,
                               guint          size)
{
  self->page_size = MAX (size, 1);
}

static void
route_message (EaIbkrGateway     *self,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(JsonNode) body = NULL;
  const char *rel;

  if (self->down)
    REPLY_ERROR (msg, 503, "gateway down");
  if (!g_str_has_prefix (path, API))
    REPLY_ERROR (msg, 404, "no such endpoint");
  rel = path + strlen (API);
  count_request (self, method, rel);
  if (self->fault_rate_limit > 0 || pacing_refuses (self, rel))
    {
      if (self->fault_rate_limit > 0)
        self->fault_rate_limit--;
      self->n_429++;
      soup_server_message_set_status (msg, 429, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "Too Many Requests", 17);
      return;
    }
  if (self->fault_server_error > 0)
    {
      self->fault_server_error--;
      REPLY_ERROR (msg, 500, "internal error");
    }
  if (self->fault_malformed > 0)
    {
      self->fault_malformed--;
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"orders\":[{\"orderId\":", 21);
      return;
    }
  if (g_str_equal (method, "POST") &&
      soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    REPLY_ERROR (msg, 411, "Length Required");
  if (request->length > 0)
    {
      g_autoptr(GError) error = NULL;

      body = ea_json_parse_string (request->data, request->length, &error);
      if (body == NULL)
        REPLY_ERROR (msg, 400, "malformed JSON body");
    }
  route (self, msg, method, rel, query, body);
}

EaIbkrGateway *
ea_ibkr_gateway_new (guint    port,
                     GError **error)
{
  g_autoptr(EaIbkrGateway) self = g_object_new (EA_TYPE_IBKR_GATEWAY, NULL);
  g_autoptr(GSocketAddress) addr = NULL;
  GSList *uris;

  self->certificate = make_certificate (error);
  if (self->certificate == NULL)
    return NULL;
  self->fingerprint = ea_tls_certificate_fingerprint (self->certificate);
  self->server = soup_server_new ("tls-certificate", self->certificate, NULL);
  soup_server_add_handler (self->server, "/v1/api", rest_cb, self, NULL);
  _ea_gw_ws_init (self);
  addr = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  if (!soup_server_listen (self->server, addr, SOUP_SERVER_LISTEN_HTTPS, error))
    return NULL;
  uris = soup_server_get_uris (self->server);
  if (uris == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The gateway is not listening");
      return NULL;
    }
  self->url = g_strdup_printf ("https://127.0.0.1:%d/v1/api", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return g_steal_pointer (&self);
}

