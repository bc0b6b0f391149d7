/* ea-tradovate-broker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The connection: access token (with penalties, 429 and renewal before
 * expirationTime), the two WebSockets (authorize, heartbeats, silence
 * detection) and reconnection with exponential backoff followed by
 * reconciliation. Requests and their budget live in
 * ea-tradovate-requests.c.
 * What the requests mean lives in ea-tradovate-broker-trading.c.
 */
#define G_LOG_DOMAIN "ea-tradovate"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ea-tradovate-broker-private.h"
#include "ea-tradovate-md.h"

G_DEFINE_FINAL_TYPE_WITH_CODE (EaTradovateBroker, ea_tradovate_broker, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (EA_TYPE_BROKER, _ea_tv_broker_iface_init))

#define MAX_BACKOFF_MS     30000
#define MAX_PENALTY_RETRY  5
#define RENEW_BEFORE_S     (15 * 60)

static void attempt_start       (EaTradovateBroker *self);
static void attempt_failed      (EaTradovateBroker *self,
                                 const GError      *error);
static void socket_close        (TvSocket          *socket,
                                 const char        *reason);
static void open_socket         (EaTradovateBroker *self,
                                 TvSocket          *socket);

/* State ---------------------------------------------------------------- */

void
_ea_tv_set_state (EaTradovateBroker *self,
                  EaConnectionState  state,
                  const char        *reason)
{
  if (self->state == state)
    return;

  self->state = state;
  ea_broker_emit_connection_state (EA_BROKER (self), state,
                                   reason ? reason : (state == EA_CONNECTION_STATE_DISCONNECTED
                                                      ? _("Disconnected") : NULL));

  /* Requests held back during a reconnection go now, or fail. */
  if (state == EA_CONNECTION_STATE_CONNECTED ||
      (state == EA_CONNECTION_STATE_DISCONNECTED && !self->want_connected))
    {
      g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);

      self->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) _ea_tv_waiter_free);
      for (guint i = 0; i < waiters->len; i++)
        {
          GTask *task = ((TvWaiter *) g_ptr_array_index (waiters, i))->task;

          if (state == EA_CONNECTION_STATE_CONNECTED)
            g_task_return_boolean (task, TRUE);
          else
            g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED,
                                     _("Not connected to Tradovate"));
        }
    }
}

static void
finish_connect_tasks (EaTradovateBroker *self,
                      const GError      *error)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->connect_tasks);

  self->connect_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

/* Sockets ---------------------------------------------------------------- */

/* The next attempt: the backoff (doubling up to MAX_BACKOFF_MS) with up
 * to a fifth more of jitter, and never sooner than the server asked
 * (@retry_after_ms from a 429 or a penalty, -1 when it did not say). */
static void
schedule_reconnect_after (EaTradovateBroker *self,
                          gint64             retry_after_ms)
{
  guint backoff_ms, delay;

  if (!self->want_connected || self->fatal || self->reconnect_source != 0)
    return;

  backoff_ms = (guint) (ea_backoff_delay (self->reconnect_attempt, (gint64) self->initial_backoff_ms * 1000,
                                         (gint64) MAX_BACKOFF_MS * 1000) / 1000);
  if (self->reconnect_attempt < G_MAXUINT)
    self->reconnect_attempt++;
  delay = backoff_ms + g_random_int_range (0, backoff_ms / 5 + 1);
  if (retry_after_ms > delay)
    delay = (guint) MIN (retry_after_ms, G_MAXINT32);

  self->reconnect_delay_ms = delay;
  self->reconnect_source = g_timeout_add_once (delay, (GSourceOnceFunc) attempt_start, self);
}

static void
schedule_reconnect (EaTradovateBroker *self)
{
  schedule_reconnect_after (self, -1);
}

static void
socket_lost (TvSocket   *socket,
             const char *reason)
{
  EaTradovateBroker *self = socket->broker;
  gboolean was_up = self->state != EA_CONNECTION_STATE_DISCONNECTED;

  socket_close (&self->trading, reason);
  socket_close (&self->md, reason);

  if (self->attempt_cancellable != NULL)
    {
      g_autoptr(GError) error = g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                                             _("Connection to Tradovate lost: %s"), reason);

      attempt_failed (self, error);
      return;
    }

  if (was_up)
    {
      g_autofree char *text = g_strdup_printf (_("Connection to Tradovate lost: %s"), reason);

      _ea_tv_set_state (self, EA_CONNECTION_STATE_DISCONNECTED, text);
    }

  schedule_reconnect (self);
}

static void
socket_close (TvSocket   *socket,
              const char *reason)
{
  g_clear_handle_id (&socket->heartbeat_source, g_source_remove);

  if (socket->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (socket->ws, socket);
      if (soup_websocket_connection_get_state (socket->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (socket->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&socket->ws);
    }

  socket->opened = FALSE;
  socket->authorized = FALSE;
  _ea_tv_fail_all_pending (socket, reason);
  if (socket->md)
    _ea_tv_history_socket_closed (socket->broker, reason);
}

/* The md socket's quote frames skip json-glib (issue 10). The array is
 * taken out of self while quotes are emitted, in case a handler re-enters
 * the main loop and another frame arrives. Returns FALSE when the frame
 * is for the general path. */
static gboolean
md_fast_path (EaTradovateBroker *self,
              const char        *data,
              gsize              len)
{
  GArray *quotes = g_steal_pointer (&self->md_quotes);

  if (quotes == NULL)
    quotes = g_array_sized_new (FALSE, FALSE, sizeof (EaTvQuote), 16);
  g_array_set_size (quotes, 0);

  if (ea_tv_md_frame_decode (data, len, quotes) != EA_TV_MD_HANDLED)
    {
      if (self->md_quotes == NULL)
        self->md_quotes = quotes;
      else
        g_array_unref (quotes);
      return FALSE;
    }

  g_object_ref (self);
  _ea_tv_emit_quotes (self, (const EaTvQuote *) (gpointer) quotes->data, quotes->len);
  if (self->md_quotes == NULL && quotes->len <= 1024)
    self->md_quotes = quotes;
  else
    g_array_unref (quotes);
  g_object_unref (self);

  return TRUE;
}

static void
socket_message_cb (SoupWebsocketConnection *ws,
                   gint                     type,
                   GBytes                  *message,
                   TvSocket                *socket)
{
  EaTradovateBroker *self = socket->broker;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (message, &len);
  EaTvFrame frame;

  socket->last_rx_us = g_get_monotonic_time ();

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;

  if (socket->md && len > 0 && data[0] == 'a' && md_fast_path (self, data, len))
    return;

  if (!ea_tv_frame_parse (data, len, &frame, &error))
    {
      /* A malformed frame is dropped; the connection carries on. */
      if (self->malformed_frames++ % 1000 == 0)
        g_message ("Ignoring a malformed frame from Tradovate (%u so far): %s",
                   self->malformed_frames, error->message);
      return;
    }

  g_object_ref (self);

  switch (frame.type)
    {
    case EA_TV_FRAME_OPEN:
      socket->opened = TRUE;
      if (self->has_token)
        {
          const char *token = socket->md && self->token.md_access_token
                              ? self->token.md_access_token : self->token.access_token;
          g_autofree char *text = ea_tv_request_format ("authorize", 0, NULL, token);

          soup_websocket_connection_send_text (ws, text);
        }
      break;

    case EA_TV_FRAME_HEARTBEAT:
      break;

    case EA_TV_FRAME_CLOSE:
      socket_lost (socket, frame.close_reason ? frame.close_reason : _("closed by the server"));
      break;

    case EA_TV_FRAME_ARRAY:
      for (guint i = 0; i < json_array_get_length (frame.messages); i++)
        {
          JsonNode *node = json_array_get_element (frame.messages, i);
          JsonObject *m;
          gint64 id = -1, status = 0;
          const char *event;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          m = json_node_get_object (node);

          if (ea_tv_message_is_response (m, &id, &status))
            {
              if (id == 0 && !socket->authorized)
                {
                  if (status == 200)
                    {
                      socket->authorized = TRUE;
                      open_socket (self, socket->md ? NULL : &self->md);
                    }
                  else
                    {
                      g_autoptr(GError) auth_error =
                        g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                                     _("Tradovate refused to authorize the socket (%" G_GINT64_FORMAT ")"),
                                     status);

                      /* A stale token: log in again next time. */
                      ea_tv_token_clear (&self->token);
                      self->has_token = FALSE;
                      attempt_failed (self, auth_error);
                      break;
                    }
                }
              else
                _ea_tv_handle_response (socket, m);
              continue;
            }

          event = ea_tv_message_event_name (m);
          if (g_strcmp0 (event, "shutdown") == 0)
            {
              const char *code = ea_json_get_string (ea_json_get_object (m, "d"), "reasonCode");
              g_autofree char *why = g_strdup_printf (_("Tradovate closed the session (%s)"),
                                                  code != NULL ? code : "");

              socket_lost (socket, why);
              break;
            }

          if (event != NULL)
            _ea_tv_handle_event (self, m);
        }
      break;

    default:
      break;
    }

  ea_tv_frame_clear (&frame);
  g_object_unref (self);
}

static void
socket_closed_cb (SoupWebsocketConnection *ws,
                  TvSocket                *socket)
{
  socket_lost (socket, _("the connection closed"));
}

static gboolean
heartbeat_cb (gpointer user_data)
{
  TvSocket *socket = user_data;
  EaTradovateBroker *self = socket->broker;
  gint64 silence_ms = (g_get_monotonic_time () - socket->last_rx_us) / 1000;

  if (silence_ms > self->silence_ms)
    {
      socket->heartbeat_source = 0;
      socket_lost (socket, _("the server went silent"));
      return G_SOURCE_REMOVE;
    }

  if (socket->ws != NULL && soup_websocket_connection_get_state (socket->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (socket->ws, "[]");

  return G_SOURCE_CONTINUE;
}

static void
websocket_connected_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  TvSocket *socket = user_data;
  EaTradovateBroker *self = socket->broker;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *ws;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (ws == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autoptr(GError) wrapped = g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                                                   _("Cannot open the Tradovate socket: %s"),
                                                   error->message);
          attempt_failed (self, wrapped);
        }
      g_object_unref (self);
      return;
    }

  socket->ws = ws;
  socket->last_rx_us = g_get_monotonic_time ();
  soup_websocket_connection_set_keepalive_interval (ws, 0);
  g_signal_connect (ws, "message", G_CALLBACK (socket_message_cb), socket);
  g_signal_connect (ws, "closed", G_CALLBACK (socket_closed_cb), socket);
  socket->heartbeat_source = g_timeout_add (self->heartbeat_ms, heartbeat_cb, socket);

  g_object_unref (self);
}

static void reconcile (EaTradovateBroker *self);

/* Opens @socket, or when both are authorized, reconciles. */
static void
open_socket (EaTradovateBroker *self,
             TvSocket          *socket)
{
  g_autoptr(SoupMessage) msg = NULL;

  if (socket == NULL)
    {
      reconcile (self);
      return;
    }

  msg = soup_message_new ("GET", socket->md ? self->config.md_url : self->config.ws_url);
  if (msg == NULL)
    {
      g_autoptr(GError) error = g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                                             _("“%s” is not a valid WebSocket address"),
                                             socket->md ? self->config.md_url : self->config.ws_url);
      attempt_failed (self, error);
      return;
    }

  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->attempt_cancellable,
                                        websocket_connected_cb, socket);
  g_object_ref (self);
}

/* Login and renewal ------------------------------------------------------- */

static void schedule_renewal (EaTradovateBroker *self);

/* The login request's JSON, built straight into one buffer that holds
 * the password and the API secret: the caller wipes it (see
 * ea_secret_bytes_new_take()). */
static char *
login_body (EaTradovateBroker *self,
            const char        *ticket,
            gsize             *len)
{
  const char * const keys[] = { "name", "password", "appId", "appVersion", "cid", "sec", "deviceId", "p-ticket" };
  const char * const values[] = {
    self->config.user, self->config.password, self->config.app_id, self->config.app_version,
    self->config.cid, self->config.sec, self->config.device_id, ticket,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (keys) == G_N_ELEMENTS (values));
  return ea_secret_json_object (keys, values, G_N_ELEMENTS (keys), len);
}

static void login (EaTradovateBroker *self,
                   const char        *ticket);

typedef struct
{
  EaTradovateBroker *self;
  char              *ticket;
} PenaltyRetry;

static void
penalty_retry_cb (gpointer user_data)
{
  PenaltyRetry *retry = user_data;

  if (retry->self->attempt_cancellable != NULL)
    login (retry->self, retry->ticket);
  g_object_unref (retry->self);
  g_free (retry->ticket);
  g_free (retry);
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(EaTradovateBroker) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) reply = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  EaTvPenalty penalty;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autoptr(GError) wrapped = g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                                                   _("Cannot reach Tradovate: %s"), error->message);
          attempt_failed (self, wrapped);
        }
      return;
    }

  status = soup_message_get_status (msg);
  if (status == 429)
    {
      g_autoptr(GError) limited = g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED,
                                               _("Tradovate is rate limiting this user; retry after 3600000 ms. "
                                                 "Tradovate asks to wait up to an hour."));
      attempt_failed (self, limited);
      return;
    }
  if (status != 200)
    {
      g_autoptr(GError) failed = g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                                              _("Tradovate answered HTTP %u to the login"), status);
      attempt_failed (self, failed);
      return;
    }

  {
    gsize len;
    const char *data = g_bytes_get_data (bytes, &len);
    g_autofree char *text = g_strndup (data, len);

    reply = json_from_string (text, NULL);
  }

  if (ea_tv_penalty_parse (reply, &penalty))
    {
      if (penalty.captcha || ++self->penalty_retries > MAX_PENALTY_RETRY)
        {
          g_autoptr(GError) captcha =
            g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED,
                         _("Tradovate requires a captcha that only its own apps can show. "
                           "Wait about an hour before connecting again; retry after 3600000 ms"));

          self->fatal = TRUE;
          ea_tv_penalty_clear (&penalty);
          attempt_failed (self, captcha);
          return;
        }

      {
        PenaltyRetry *retry = g_new0 (PenaltyRetry, 1);

        retry->self = g_object_ref (self);
        retry->ticket = g_steal_pointer (&penalty.ticket);
        g_timeout_add_once ((guint) MAX (penalty.wait_seconds, 0) * 1000, penalty_retry_cb, retry);
      }
      ea_tv_penalty_clear (&penalty);
      return;
    }

  ea_tv_token_clear (&self->token);
  if (!ea_tv_token_parse (reply, &self->token, &error))
    {
      g_autoptr(GError) refused = g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                                                       error->message);

      self->has_token = FALSE;
      /* Wrong credentials will not get better by retrying. */
      self->fatal = g_error_matches (error, EA_TV_ERROR, EA_TV_ERROR_AUTH);
      attempt_failed (self, refused);
      return;
    }

  self->has_token = TRUE;
  self->penalty_retries = 0;
  self->logins++;
  schedule_renewal (self);
  open_socket (self, &self->trading);
}

static void
login (EaTradovateBroker *self,
       const char        *ticket)
{
  g_autofree char *url = g_strdup_printf ("%s/auth/accesstokenrequest", self->config.rest_url);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  char *body;
  gsize len = 0;
  g_autoptr(GBytes) bytes = NULL;
  gint64 wait_us = 0;

  /* The login counts in the request budget too. */
  if (!ea_token_bucket_try_take (self->budget, g_get_monotonic_time (), &wait_us))
    {
      PenaltyRetry *retry = g_new0 (PenaltyRetry, 1);

      retry->self = g_object_ref (self);
      retry->ticket = g_strdup (ticket);
      g_timeout_add_once ((guint) MAX ((wait_us + 999) / 1000, 1), penalty_retry_cb, retry);
      return;
    }

  if (msg == NULL)
    {
      g_autoptr(GError) error = g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                                             _("“%s” is not a valid address"), self->config.rest_url);
      attempt_failed (self, error);
      return;
    }

  /* The body is wiped when the message lets go of it, once sent. */
  body = login_body (self, ticket, &len);
  bytes = ea_secret_bytes_new_take (body, len, g_free);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_message_headers_append (soup_message_get_request_headers (msg), "Accept", "application/json");

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    self->attempt_cancellable, login_cb, g_object_ref (self));
}

static void
renew_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(EaTradovateBroker) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  EaTvToken token;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (bytes != NULL && soup_message_get_status (msg) == 200)
    {
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);
      g_autofree char *text = g_strndup (data, len);
      g_autoptr(JsonNode) reply = json_from_string (text, NULL);

      if (ea_tv_token_parse (reply, &token, NULL))
        {
          ea_tv_token_clear (&self->token);
          self->token = token;
          self->has_token = TRUE;
          schedule_renewal (self);
          return;
        }
    }

  /* Renewal failed: the token is dropped and the next connection logs in. */
  g_message ("Tradovate token renewal failed; logging in again when needed");
  ea_tv_token_clear (&self->token);
  self->has_token = FALSE;
}

static gboolean renew_source_cb (gpointer user_data);

static void
renew_now (gpointer user_data)
{
  EaTradovateBroker *self = user_data;
  g_autofree char *url = g_strdup_printf ("%s/auth/renewaccesstoken", self->config.rest_url);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *auth = NULL;
  gint64 wait_us = 0;

  self->renew_source = 0;
  if (msg == NULL || !self->has_token)
    return;

  if (!ea_token_bucket_try_take (self->budget, g_get_monotonic_time (), &wait_us))
    {
      self->renew_source = g_timeout_add ((guint) MAX ((wait_us + 999) / 1000, 1), renew_source_cb, self);
      return;
    }

  auth = g_strdup_printf ("Bearer %s", self->token.access_token);
  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    renew_cb, g_object_ref (self));
}

static gboolean
renew_source_cb (gpointer user_data)
{
  renew_now (user_data);
  return G_SOURCE_REMOVE;
}

/* Renewal is driven by expirationTime, never by a fixed timer: 15 minutes
 * before it, or halfway there for short-lived tokens. */
static void
schedule_renewal (EaTradovateBroker *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 left_s;
  gint64 in_s;

  g_clear_handle_id (&self->renew_source, g_source_remove);
  if (!self->has_token)
    return;

  left_s = g_date_time_difference (self->token.expiration, now) / G_USEC_PER_SEC;
  in_s = left_s > 2 * RENEW_BEFORE_S ? left_s - RENEW_BEFORE_S : MAX (left_s / 2, 1);

  self->renew_source = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, (guint) MIN (in_s, G_MAXUINT / 1000),
                                                   renew_source_cb, self, NULL);
}

/* Connection attempts ---------------------------------------------------- */

static gboolean
token_usable (EaTradovateBroker *self)
{
  g_autoptr(GDateTime) now = NULL;

  if (!self->has_token)
    return FALSE;

  now = g_date_time_new_now_utc ();
  return g_date_time_difference (self->token.expiration, now) > 30 * G_USEC_PER_SEC;
}

static void
attempt_start (EaTradovateBroker *self)
{
  self->reconnect_source = 0;

  if (self->attempt_cancellable != NULL)
    return;

  self->attempt_cancellable = g_cancellable_new ();
  _ea_tv_set_state (self, EA_CONNECTION_STATE_CONNECTING, NULL);

  if (token_usable (self))
    open_socket (self, &self->trading);
  else
    login (self, NULL);
}

static void
attempt_failed (EaTradovateBroker *self,
                const GError      *error)
{
  if (self->attempt_cancellable != NULL)
    {
      g_cancellable_cancel (self->attempt_cancellable);
      g_clear_object (&self->attempt_cancellable);
    }

  socket_close (&self->trading, error->message);
  socket_close (&self->md, error->message);

  _ea_tv_set_state (self, EA_CONNECTION_STATE_DISCONNECTED, error->message);
  finish_connect_tasks (self, error);

  /* The user was told when to expect the next try: keep to it. */
  schedule_reconnect_after (self, ea_broker_error_get_retry_after_ms (error));
}

static void
sync_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) snapshot = _ea_tv_request_finish (self, result, &error);

  if (snapshot == NULL || !JSON_NODE_HOLDS_OBJECT (snapshot))
    {
      if (error == NULL)
        error = g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                                     _("Tradovate sent no snapshot"));
      if (self->attempt_cancellable != NULL)
        attempt_failed (self, error);
      return;
    }

  if (self->attempt_cancellable == NULL)
    return;

  /* Differences since the last connection (fills during the gap) are
   * reported once, as events. */
  _ea_tv_apply_snapshot (self, json_node_get_object (snapshot), TRUE);
  _ea_tv_resubscribe (self);
  _ea_tv_live_bars_resubscribe (self);

  g_clear_object (&self->attempt_cancellable);
  self->reconnect_attempt = 0;
  _ea_tv_set_state (self, EA_CONNECTION_STATE_CONNECTED, NULL);
  finish_connect_tasks (self, NULL);
}

static void
reconcile (EaTradovateBroker *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  _ea_tv_set_state (self, EA_CONNECTION_STATE_RECONCILING, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "users");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, self->token.user_id);
  json_builder_end_array (b);
  json_builder_end_object (b);
  body = json_builder_get_root (b);

  _ea_tv_request (self, FALSE, "user/syncrequest", NULL, body, FALSE,
                  self->attempt_cancellable, sync_cb, NULL);
}

/* Object ------------------------------------------------------------------ */

static void
ea_tradovate_broker_dispose (GObject *object)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);

  self->want_connected = FALSE;
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  g_clear_handle_id (&self->renew_source, g_source_remove);
  if (self->attempt_cancellable != NULL)
    {
      g_cancellable_cancel (self->attempt_cancellable);
      g_clear_object (&self->attempt_cancellable);
    }
  _ea_tv_fail_queued (self);
  socket_close (&self->trading, _("closing"));
  socket_close (&self->md, _("closing"));

  G_OBJECT_CLASS (ea_tradovate_broker_parent_class)->dispose (object);
}

static void
ea_tradovate_broker_finalize (GObject *object)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);

  _ea_tv_history_clear (self);
  _ea_tv_trading_clear (self);
  ea_tv_token_clear (&self->token);
  g_clear_pointer (&self->trading.pending, g_hash_table_unref);
  g_clear_pointer (&self->md.pending, g_hash_table_unref);
  g_clear_pointer (&self->connect_tasks, g_ptr_array_unref);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_pointer (&self->md_quotes, g_array_unref);
  g_clear_pointer (&self->budget, ea_token_bucket_free);
  g_clear_object (&self->session);

  g_free ((char *) self->config.rest_url);
  g_free ((char *) self->config.ws_url);
  g_free ((char *) self->config.md_url);
  g_free ((char *) self->config.user);
  ea_secret_free ((char *) self->config.password);
  g_free ((char *) self->config.app_id);
  g_free ((char *) self->config.app_version);
  g_free ((char *) self->config.cid);
  ea_secret_free ((char *) self->config.sec);
  g_free ((char *) self->config.device_id);

  G_OBJECT_CLASS (ea_tradovate_broker_parent_class)->finalize (object);
}

static void
ea_tradovate_broker_class_init (EaTradovateBrokerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ea_tradovate_broker_dispose;
  object_class->finalize = ea_tradovate_broker_finalize;
}

static void
ea_tradovate_broker_init (EaTradovateBroker *self)
{
  self->session = soup_session_new_with_options ("timeout", 30, "idle-timeout", 60, NULL);
  self->state = EA_CONNECTION_STATE_DISCONNECTED;
  self->latency_us = -1;
  self->connect_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) _ea_tv_waiter_free);
  self->trading.broker = self;
  self->md.broker = self;
  self->md.md = TRUE;
  self->trading.pending = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->md.pending = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->initial_backoff_ms = 1000;
  self->reconnect_attempt = 0;
  self->request_timeout_ms = 10000;
  self->heartbeat_ms = 2500;
  self->silence_ms = 10000;
  self->budget = ea_token_bucket_new (15, 1.0);
  g_queue_init (&self->urgent);
  g_queue_init (&self->queued);

  _ea_tv_trading_init (self);
  _ea_tv_history_init (self);
}

/**
 * ea_tradovate_broker_new:
 * @config: where and who; copied
 *
 * Intervals can be shortened for tests with the environment variable
 * EA_TRADOVATE_TEST_TIMING=1 (backoff 50 ms, request timeout 3 s,
 * heartbeat 0.5 s, silence 6 s: more than two server heartbeats; a
 * request budget of 1000 and 1000/s that tests of the budget set lower).
 */
EaTradovateBroker *
ea_tradovate_broker_new (const EaTradovateConfig *config)
{
  EaTradovateBroker *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (config->rest_url != NULL && config->ws_url != NULL && config->md_url != NULL, NULL);

  self = g_object_new (EA_TYPE_TRADOVATE_BROKER, NULL);
  self->config.rest_url = g_strdup (config->rest_url);
  self->config.ws_url = g_strdup (config->ws_url);
  self->config.md_url = g_strdup (config->md_url);
  self->config.user = g_strdup (config->user);
  self->config.password = g_strdup (config->password);
  self->config.app_id = g_strdup (config->app_id ? config->app_id : "EnigmaApex");
  self->config.app_version = g_strdup (config->app_version ? config->app_version : PACKAGE_VERSION);
  self->config.cid = g_strdup (config->cid);
  self->config.sec = g_strdup (config->sec);
  self->config.device_id = g_strdup (config->device_id);
  self->config.front_month_as_root = config->front_month_as_root;

  if (g_strcmp0 (g_getenv ("EA_TRADOVATE_TEST_TIMING"), "1") == 0)
    {
      self->initial_backoff_ms = 50;
      self->request_timeout_ms = 3000;
      self->heartbeat_ms = 500;
      self->silence_ms = 6000;
      ea_tradovate_broker_set_request_budget (self, 1000, 1000);
    }

  return self;
}

void
ea_tradovate_broker_reconnect_now (EaTradovateBroker *self)
{
  g_return_if_fail (EA_IS_TRADOVATE_BROKER (self));

  if (self->reconnect_source == 0)
    return;

  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  attempt_start (self);
}

/* Called by the EaBroker connect/disconnect implementations. */
void _ea_tv_connect (EaTradovateBroker *self, GTask *task);
void _ea_tv_disconnect (EaTradovateBroker *self);

void
_ea_tv_connect (EaTradovateBroker *self,
                GTask             *task)
{
  self->want_connected = TRUE;
  self->fatal = FALSE;

  if (self->state == EA_CONNECTION_STATE_CONNECTED)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_ptr_array_add (self->connect_tasks, g_object_ref (task));
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  attempt_start (self);
}

void
_ea_tv_disconnect (EaTradovateBroker *self)
{
  g_autoptr(GError) error = g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED,
                                                 _("Disconnected by the user"));

  self->want_connected = FALSE;
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  if (self->attempt_cancellable != NULL)
    {
      g_cancellable_cancel (self->attempt_cancellable);
      g_clear_object (&self->attempt_cancellable);
    }
  _ea_tv_fail_queued (self);
  finish_connect_tasks (self, error);
  _ea_tv_live_bars_disconnecting (self);
  socket_close (&self->trading, _("Disconnected by the user"));
  socket_close (&self->md, _("Disconnected by the user"));
  _ea_tv_set_state (self, EA_CONNECTION_STATE_DISCONNECTED, _("Disconnected by the user"));
}

static void
sync_one_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = _ea_tv_request_finish (EA_TRADOVATE_BROKER (object), result, &error);
  guint *left = g_task_get_task_data (task);

  if (--(*left) > 0)
    return;

  g_task_return_boolean (task, TRUE);
}

void
ea_tradovate_broker_sync_async (EaTradovateBroker   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  guint *left;

  g_return_if_fail (EA_IS_TRADOVATE_BROKER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  left = g_new (guint, 1);
  *left = 2;
  g_task_set_task_data (task, left, g_free);

  /* Replies come after everything the server sent before them. */
  _ea_tv_request (self, FALSE, "account/list", NULL, NULL, FALSE, cancellable, sync_one_cb, g_object_ref (task));
  _ea_tv_request (self, TRUE, "account/list", NULL, NULL, FALSE, cancellable, sync_one_cb, task);
}

gboolean
ea_tradovate_broker_sync_finish (EaTradovateBroker  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

GDateTime *
ea_tradovate_broker_get_token_expiration (EaTradovateBroker *self)
{
  g_return_val_if_fail (EA_IS_TRADOVATE_BROKER (self), NULL);

  return self->has_token ? self->token.expiration : NULL;
}

/**
 * ea_tradovate_broker_get_reconnect_delay_ms:
 *
 * Returns: the delay of the pending reconnection in ms, or -1 when none
 *   is pending.
 */
gint64
ea_tradovate_broker_get_reconnect_delay_ms (EaTradovateBroker *self)
{
  g_return_val_if_fail (EA_IS_TRADOVATE_BROKER (self), -1);

  return self->reconnect_source != 0 ? (gint64) self->reconnect_delay_ms : -1;
}

guint
ea_tradovate_broker_get_logins (EaTradovateBroker *self)
{
  g_return_val_if_fail (EA_IS_TRADOVATE_BROKER (self), 0);

  return self->logins;
}

gint64
ea_tradovate_broker_get_latency_us (EaTradovateBroker *self)
{
  g_return_val_if_fail (EA_IS_TRADOVATE_BROKER (self), -1);

  return self->latency_us;
}

void
ea_tradovate_broker_set_request_budget (EaTradovateBroker *self,
                                        guint              capacity,
                                        double             per_second)
{
  g_return_if_fail (EA_IS_TRADOVATE_BROKER (self));
  g_return_if_fail (capacity > 0 && per_second > 0);

  g_clear_pointer (&self->budget, ea_token_bucket_free);
  self->budget = ea_token_bucket_new (capacity, per_second);
}
