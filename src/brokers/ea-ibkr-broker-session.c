/* ea-ibkr-broker-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The IBKR adapter's REST layer (pacing, the 429 penalty, certificate
 * pinning), session state (tickle, competing sessions, the daily
 * re-login) and the websocket sync round trip.
 */
#define G_LOG_DOMAIN "ea-ibkr-broker"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "ea-ibkr-broker-private.h"


void
_ea_ibkr_set_state (EaIbkrBroker      *self,
           EaConnectionState  state,
           const char        *reason)
{
  if (self->state == state)
    return;
  self->state = state;
  ea_broker_emit_connection_state (EA_BROKER (self), state, reason);
}

void
_ea_ibkr_notice (EaIbkrBroker *self,
        const char   *kind,
        const char   *text)
{
  g_debug ("%s: %s", kind, text);
  g_signal_emit (self, _ea_ibkr_signals[EA_IBKR_SIGNAL_NOTICE], 0, kind, text);
}

JsonNode *
_ea_ibkr_json_object_node (const char *first_member,
                           ...)
{
  JsonObject *o = json_object_new ();
  JsonNode *n = json_node_new (JSON_NODE_OBJECT);
  va_list args;

  va_start (args, first_member);
  for (const char *k = first_member; k != NULL; k = va_arg (args, const char *))
    json_object_set_member (o, k, va_arg (args, JsonNode *));
  va_end (args);
  json_node_take_object (n, o);
  return n;
}

/* Certificates. */

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       EaIbkrBroker         *self)
{
  const char *host = g_uri_get_host (soup_message_get_uri (msg));
  g_autofree char *fp = ea_tls_certificate_fingerprint (certificate);
  char *problem;

  g_free (self->peer_fingerprint);
  self->peer_fingerprint = g_strdup (fp);
  g_object_set_data_full (G_OBJECT (msg), "ea-peer-fingerprint", g_strdup (fp), g_free);
  if (!ea_host_is_loopback (host))
    problem = g_strdup_printf ("The certificate of %s failed verification (flags 0x%x): "
                               "only a gateway on this computer may use a pinned self-signed certificate",
                               host, errors);
  else if (self->pinned == NULL || *self->pinned == '\0')
    problem = g_strdup_printf ("The gateway at %s presents a self-signed certificate that is not pinned "
                               "(SHA-256 %s). Check it and pin it in the setup assistant.", host, fp);
  else if (!ea_fingerprint_equal (fp, self->pinned))
    problem = g_strdup_printf ("The gateway's certificate changed: it presents SHA-256 %s but %s is pinned. "
                               "Refusing to connect; pin the new certificate in the setup assistant "
                               "only if you replaced the gateway.", fp, self->pinned);
  else
    {
      if (self->tls_problem == NULL || !g_str_equal (self->tls_problem, "accepted"))
        {
          g_autofree char *text = g_strdup_printf ("Accepted the pinned certificate of the gateway at %s "
                                                   "(SHA-256 %s)", host, fp);

          g_free (self->tls_problem);
          self->tls_problem = g_strdup ("accepted");
          _ea_ibkr_notice (self, "certificate", text);
        }
      return TRUE;
    }
  g_object_set_data_full (G_OBJECT (msg), "ea-tls-problem", problem, g_free);
  return FALSE;
}

SoupMessage *
_ea_ibkr_new_message (EaIbkrBroker *self,
             const char   *method,
             const char   *path,
             GError      **error)
{
  g_autofree char *uri = g_strconcat (self->url, "/", path, NULL);
  SoupMessage *msg = soup_message_new (method, uri);

  if (msg == NULL)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                   "Invalid gateway URL \"%s\"", self->url);
      return NULL;
    }
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), self);
  return msg;
}

/* REST.
 *
 * Requests wait in two queues for their pacing slot: order actions
 * (placing, modifying, cancelling, answering a question, and everything
 * the emergency stop sends) first, then the rest in the order they were
 * made. A slot is booked with the limiter only when a request leaves, so
 * that a request queued later but more urgent takes the next free slot,
 * and a change of the pacing settings applies to everything still
 * queued. Within a queue, each request goes as soon as every rule it
 * falls under allows it (a request for a slow endpoint does not hold up
 * the others); earlier requests get the first pick. */

typedef struct
{
  char        *method;
  char        *path;
  GBytes      *body;
  SoupMessage *msg;
  gint64       send_at;   /* the slot booked with the limiter */
  char        *bare;      /* the path without its query */
  gboolean     booked;
  gboolean     urgent;
  gint64       sent_us;   /* when it left, for the round trip */
} Request;

static void
request_free (Request *r)
{
  g_free (r->method);
  g_free (r->path);
  g_free (r->bare);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_object (&r->msg);
  g_free (r);
}

static gboolean
resume_cb (gpointer user_data)
{
  EaIbkrBroker *self = user_data;

  self->pause_source = 0;
  self->paused_until = 0;
  g_object_notify (G_OBJECT (self), "paused-until");
  _ea_ibkr_notice (self, "resumed", _("The gateway's rate-limit penalty is over: requests resume"));
  _ea_ibkr_drain (self);
  return G_SOURCE_REMOVE;
}

static void
pause_for_penalty (EaIbkrBroker *self)
{
  g_autofree char *text = NULL;
  gint64 now = g_get_monotonic_time ();

  self->paused_until = now + (gint64) self->penalty_ms * 1000;
  ea_rate_limiter_pause_until (self->limiter, self->paused_until);
  g_clear_handle_id (&self->pause_source, g_source_remove);
  self->pause_source = g_timeout_add (self->penalty_ms, resume_cb, self);
  text = g_strdup_printf ("The gateway refused a request for exceeding its rate limit (HTTP 429): "
                          "requests are paused for %u s", (self->penalty_ms + 999) / 1000);
  g_object_notify (G_OBJECT (self), "paused-until");
  _ea_ibkr_notice (self, "paused", text);
}

static const char *
error_text (JsonNode *node)
{
  const char *t = NULL;

  if (node && JSON_NODE_HOLDS_OBJECT (node))
    t = ea_json_get_string (json_node_get_object (node), "error");
  return t ? t : "no details";
}

static void
request_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaIbkrBroker *self = g_task_get_source_object (task);
  Request *r = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  gboolean is_get = g_str_equal (r->method, "GET");

  const char *tls = g_object_get_data (G_OBJECT (r->msg), "ea-tls-problem");
  g_autoptr(JsonNode) node = NULL;
  guint status;

  if (r->booked)
    ea_rate_limiter_complete (self->limiter, r->bare, r->send_at, g_get_monotonic_time ());

  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED, "Cancelled");
      else if (tls != NULL)
        g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED, "%s", tls);
      else if (is_get)
        g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED,
                                 _("The gateway is unreachable: %s"), error->message);
      else
        g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME,
                                 _("No reply from the gateway to %s %s (%s): it may have been executed"),
                                 r->method, r->path, error->message);
      return;
    }
  /* Any HTTP answer measures the round trip, errors included: they
   * travelled the same way. */
  {
    gint64 sample = g_get_monotonic_time () - r->sent_us;

    self->latency_us = self->latency_us < 0 ? sample : (self->latency_us * 3 + sample) / 4;
  }
  status = soup_message_get_status (r->msg);
  if (status == 429)
    {
      pause_for_penalty (self);
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED,
                               "The gateway's rate limit was exceeded: retry after %u ms", self->penalty_ms);
      return;
    }
  node = ea_json_parse_bytes (bytes, &parse_error);
  if (status >= 200 && status < 300)
    {
      if (node != NULL)
        g_task_return_pointer (task, g_steal_pointer (&node), (GDestroyNotify) json_node_unref);
      else if (is_get)
        g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                                 "Malformed reply from the gateway to %s: %s", r->path, parse_error->message);
      else
        g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME,
                                 "Malformed reply from the gateway to %s %s: it may have been executed",
                                 r->method, r->path);
      return;
    }
  if (status == 401)
    g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED,
                             "The gateway refused %s: %s", r->path, error_text (node));
  else if (status == 404)
    g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND, "%s", error_text (node));
  else if (status >= 400 && status < 500)
    g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED, "%s", error_text (node));
  else if (is_get)
    g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                             "The gateway answered %u to %s", status, r->path);
  else
    g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME,
                             "The gateway answered %u to %s %s: it may have been executed",
                             status, r->method, r->path);
}

/* Sends a request whose slot has come (or that was cancelled while it
 * waited: then it completes as cancelled). */
static void
request_send (EaIbkrBroker *self,
              GTask        *task)
{
  Request *r = g_task_get_task_data (task);
  GError *error = NULL;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED, "Cancelled");
      g_object_unref (task);
      return;
    }
  r->msg = _ea_ibkr_new_message (self, r->method, r->path, &error);
  if (r->msg == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (r->body != NULL)
    soup_message_set_request_body_from_bytes (r->msg, "application/json", r->body);
  r->sent_us = g_get_monotonic_time ();
  soup_session_send_and_read_async (self->session, r->msg, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                    request_done_cb, task);
}

static gboolean
drain_cb (gpointer user_data)
{
  EaIbkrBroker *self = user_data;

  self->drain_source = 0;
  _ea_ibkr_drain (self);
  return G_SOURCE_REMOVE;
}

/* Sends every queued request whose slot is free now, urgent ones first,
 * booking each slot as it goes, and comes back when the next one is due.
 * Nothing is sent before its slot: the timer only wakes the queue up, and
 * each request is checked against the limiter at the time it leaves. */
void
_ea_ibkr_drain (EaIbkrBroker *self)
{
  GQueue *queues[] = { &self->urgent, &self->queued };
  g_autoptr(GPtrArray) ready = g_ptr_array_new ();
  gint64 now = g_get_monotonic_time ();
  gint64 next = G_MAXINT64;

  g_clear_handle_id (&self->drain_source, g_source_remove);
  for (guint q = 0; q < G_N_ELEMENTS (queues); q++)
    {
      GList *l = queues[q]->head;

      while (l != NULL)
        {
          GList *following = l->next;
          GTask *task = l->data;
          Request *r = g_task_get_task_data (task);
          gint64 wait = MAX (self->paused_until - now, 0);

          if (self->pacing)
            wait = MAX (wait, ea_rate_limiter_wait (self->limiter, r->bare, now));
          if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
            {
              g_queue_delete_link (queues[q], l);
              g_ptr_array_add (ready, task);
            }
          else if (wait <= 0)
            {
              g_queue_delete_link (queues[q], l);
              if (self->pacing)
                {
                  r->send_at = now + ea_rate_limiter_reserve (self->limiter, r->bare, now);
                  r->booked = TRUE;
                }
              g_ptr_array_add (ready, task);
            }
          else
            next = MIN (next, wait);
          l = following;
        }
    }
  if (next != G_MAXINT64)
    self->drain_source = g_timeout_add ((guint) MIN ((next + 999) / 1000, G_MAXUINT), drain_cb, self);
  /* Last: sending may complete a task at once, and its callback may
   * queue (and drain) again. */
  for (guint i = 0; i < ready->len; i++)
    request_send (self, ready->pdata[i]);
}

/* Requests waiting for their pacing slot belong to the connection that
 * ended: they fail now instead of leaving later. */
void
_ea_ibkr_fail_delayed (EaIbkrBroker *self)
{
  GTask *t;

  g_clear_handle_id (&self->drain_source, g_source_remove);
  while ((t = g_queue_pop_head (&self->urgent)) != NULL || (t = g_queue_pop_head (&self->queued)) != NULL)
    {
      Request *r = g_task_get_task_data (t);

      g_task_return_new_error (t, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED,
                               "The connection to the gateway ended before %s was sent", r->path);
      g_object_unref (t);
    }
}

void
_ea_ibkr_request (EaIbkrBroker        *self,
                  const char          *method,
                  const char          *path,
                  JsonNode            *body,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  _ea_ibkr_request_full (self, FALSE, method, path, body, cancellable, callback, user_data);
}

void
_ea_ibkr_request_full (EaIbkrBroker        *self,
                       gboolean             urgent,
                       const char          *method,
                       const char          *path,
                       JsonNode            *body,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *r = g_new0 (Request, 1);
  gint64 now = g_get_monotonic_time ();

  g_task_set_source_tag (task, _ea_ibkr_request);
  g_task_set_check_cancellable (task, FALSE);
  r->method = g_strdup (method);
  r->path = g_strdup (path);
  r->bare = g_strndup (path, strcspn (path, "?"));
  r->urgent = urgent;
  if (body != NULL)
    {
      char *text = ea_json_to_string (body);

      r->body = g_bytes_new_take (text, strlen (text));
      json_node_unref (body);
    }
  else if (!g_str_equal (method, "GET") && !g_str_equal (method, "DELETE"))
    r->body = g_bytes_new_static ("{}", 2);   /* POSTs need a Content-Length */
  g_task_set_task_data (task, r, (GDestroyNotify) request_free);

  /* A short penalty is waited out; a long one refuses at once. */
  if (self->paused_until > now + (gint64) self->max_pause_wait_ms * 1000)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED,
                               /* Not translated: "retry after N ms" is parsed. */
                               "Requests are paused after the gateway's HTTP 429: retry after %" G_GINT64_FORMAT " ms",
                               (self->paused_until - now + 999) / 1000);
      g_object_unref (task);
      return;
    }
  g_queue_push_tail (urgent ? &self->urgent : &self->queued, task);
  _ea_ibkr_drain (self);
}

JsonNode *
_ea_ibkr_request_finish (EaIbkrBroker  *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
_ea_ibkr_check_ready (EaIbkrBroker *self,
                      GCancellable *cancellable,
                      gboolean      trading,
                      GError      **error)
{
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED, "Cancelled");
      return FALSE;
    }
  if (self->state != EA_CONNECTION_STATE_CONNECTED && self->state != EA_CONNECTION_STATE_RECONCILING)
    {
      g_set_error_literal (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED,
                           _("Not connected to the IBKR gateway"));
      return FALSE;
    }
  if (trading && self->competing)
    {
      g_set_error_literal (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                           _("Trading is paused: another session (TWS, IBKR Mobile or the portal) is using "
                           "this username. Close it, or take the session over."));
      return FALSE;
    }
  return TRUE;
}

/* Session state. */

void
_ea_ibkr_set_competing (EaIbkrBroker *self,
               gboolean      competing)
{
  if (self->competing == competing)
    return;
  self->competing = competing;
  g_object_notify (G_OBJECT (self), "competing");
  if (competing)
    _ea_ibkr_notice (self, "competing",
            _("Another session (TWS, IBKR Mobile or the portal) is using this username: trading is paused"));
  else
    _ea_ibkr_notice (self, "competing-cleared", _("The competing session is gone: trading resumes"));
}

char *
ea_ibkr_broker_get_login_url (EaIbkrBroker *self)
{
  g_autoptr(GUri) uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL)
    return g_strdup ("https://localhost:5000/");
  return g_strdup_printf ("%s://%s:%d/", g_uri_get_scheme (uri), g_uri_get_host (uri),
                          g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443);
}

static void
session_ended (EaIbkrBroker *self)
{
  g_autofree char *url = ea_ibkr_broker_get_login_url (self);
  g_autofree char *text = g_strdup_printf ("The gateway's session ended: log in again at %s", url);

  _ea_ibkr_notice (self, "session-ended", text);
  g_signal_emit (self, _ea_ibkr_signals[EA_IBKR_SIGNAL_LOGIN_REQUIRED], 0, url);
  _ea_ibkr_connection_lost (self, text);
}

/* The gateway's view of the session: tickle replies and sts messages. */
void
_ea_ibkr_apply_auth (EaIbkrBroker *self,
            JsonObject   *auth)
{
  if (auth == NULL)
    return;
  _ea_ibkr_set_competing (self, ea_json_get_bool (auth, "competing", self->competing));
  if (json_object_has_member (auth, "authenticated") && !ea_json_get_bool (auth, "authenticated", TRUE) &&
      self->state == EA_CONNECTION_STATE_CONNECTED)
    session_ended (self);
}

static void
tickle_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  EaIbkrBroker *self = EA_IBKR_BROKER (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = _ea_ibkr_request_finish (self, result, &error);
  JsonObject *o;

  self->tickle_pending = FALSE;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      if (error && error->code == EA_BROKER_ERROR_NOT_CONNECTED && self->state == EA_CONNECTION_STATE_CONNECTED)
        session_ended (self);
      return;
    }
  o = json_node_get_object (node);
  if (ea_json_get_string (o, "session"))
    {
      g_free (self->ws_session);
      self->ws_session = g_strdup (ea_json_get_string (o, "session"));
    }
  _ea_ibkr_apply_auth (self, ea_json_get_object (ea_json_get_object (o, "iserver"), "authStatus"));
}

gboolean
_ea_ibkr_tickle_cb (gpointer user_data)
{
  EaIbkrBroker *self = user_data;

  if (!self->tickle_pending)
    {
      self->tickle_pending = TRUE;
      _ea_ibkr_request (self, "POST", "tickle", NULL, self->cancellable, tickle_done_cb, NULL);
    }
  if (self->ws && soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (self->ws, "tic");
  return G_SOURCE_CONTINUE;
}

gboolean
_ea_ibkr_smd_cb (gpointer user_data)
{
  EaIbkrBroker *self = user_data;
  GHashTableIter it;
  IbContract *c;

  if (self->ws == NULL || soup_websocket_connection_get_state (self->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return G_SOURCE_CONTINUE;
  g_hash_table_iter_init (&it, self->contracts);
  while (g_hash_table_iter_next (&it, NULL, (gpointer *) &c))
    if (c->subscribed)
      {
        g_autofree char *text = ea_ibkr_ws_smd (c->conid);

        soup_websocket_connection_send_text (self->ws, text);
      }
  return G_SOURCE_CONTINUE;
}

/* Sync: a keepalive round trip on the websocket. */

void
_ea_ibkr_complete_sync_waiters (EaIbkrBroker *self,
                       guint         n)
{
  for (guint i = 0; i < n && !g_queue_is_empty (&self->sync_waiters); i++)
    {
      GTask *t = g_queue_pop_head (&self->sync_waiters);
      GSource *timeout = g_task_get_task_data (t);

      if (timeout)
        g_source_destroy (timeout);
      g_task_return_boolean (t, TRUE);
      g_object_unref (t);
    }
}

static gboolean
sync_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  EaIbkrBroker *self = g_task_get_source_object (task);

  if (g_queue_remove (&self->sync_waiters, task))
    {
      g_task_set_task_data (task, NULL, NULL);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
  return G_SOURCE_REMOVE;
}

void
ea_ibkr_broker_sync_async (EaIbkrBroker        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GSource *s;

  if (self->ws == NULL || soup_websocket_connection_get_state (self->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  s = g_timeout_source_new (self->settle_ms);
  g_task_attach_source (task, s, sync_timeout_cb);
  g_task_set_task_data (task, s, (GDestroyNotify) g_source_unref);
  g_queue_push_tail (&self->sync_waiters, g_object_ref (task));
  soup_websocket_connection_send_text (self->ws, "tic");
}

gboolean
ea_ibkr_broker_sync_finish (EaIbkrBroker  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

