/* ea-ibkr-broker-connect.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The IBKR adapter's websocket, the connection sequence (auth status,
 * ssodh/init, accounts pre-flight and switch, suppressed questions,
 * tickle, websocket session, reconciliation), teardown and reconnection
 * with backoff, and the EaBroker connection methods.
 */
#define G_LOG_DOMAIN "ea-ibkr-broker"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "ea-ibkr-broker-private.h"

/* Websocket. */

static void ws_ready     (EaIbkrBroker *self);
static void connect_fail (EaIbkrBroker *self,
                          GTask        *task,
                          GError       *error);

static void
ws_message_cb (SoupWebsocketConnection *ws,
               gint                     type,
               GBytes                  *message,
               EaIbkrBroker            *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *topic = NULL;
  g_autoptr(JsonObject) o = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (message, &len);
  gint64 conid;

  o = ea_ibkr_ws_parse (data, len, &topic, &error);
  if (o == NULL)
    {
      self->dropped++;
      g_debug ("dropped websocket message: %s", error->message);
      return;
    }
  if (g_str_equal (topic, "message"))
    {
      if (g_strcmp0 (ea_json_get_string (o, "message"), "waiting for session") == 0 && self->ws_session)
        {
          g_autofree char *auth = g_strdup_printf ("{\"session\":\"%s\"}", self->ws_session);

          soup_websocket_connection_send_text (ws, auth);
        }
    }
  else if (g_str_equal (topic, "system"))
    {
      if (ea_json_get_string (o, "success") != NULL)
        ws_ready (self);
    }
  else if (g_str_equal (topic, "tic") || g_str_equal (topic, "ech+hb"))
    _ea_ibkr_complete_sync_waiters (self, 1);
  else if (g_str_equal (topic, "sts"))
    _ea_ibkr_apply_auth (self, ea_json_get_object (o, "args"));
  else if (g_str_equal (topic, "sor"))
    _ea_ibkr_handle_sor (self, o);
  else if (g_str_equal (topic, "str"))
    _ea_ibkr_handle_str (self, o);
  else if (g_str_equal (topic, "spl"))
    _ea_ibkr_handle_spl (self, o);
  else if (g_str_has_prefix (topic, "smd+") && ea_parse_int64 (topic + 4, &conid))
    _ea_ibkr_handle_smd (self, conid, o);
  else if (g_str_has_prefix (topic, "smd"))
    self->dropped++;
}

static void
ws_closed_cb (SoupWebsocketConnection *ws,
              EaIbkrBroker            *self)
{
  GTask *task = g_object_get_data (G_OBJECT (self), "ea-connect-task");

  if (task != NULL)
    {
      g_object_set_data (G_OBJECT (self), "ea-connect-task", NULL);
      connect_fail (self, task, g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED,
                                                     "The gateway closed the websocket"));
      return;
    }
  _ea_ibkr_connection_lost (self, _("Lost the connection to the IBKR gateway"));
}

static void
close_ws (EaIbkrBroker *self)
{
  if (self->ws == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->ws, self);
  if (soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&self->ws);
}

/* The connection sequence: auth status (ssodh/init when needed), accounts
 * pre-flight and account switch, suppressed questions, tickle for the
 * websocket session, websocket, reconciliation. */

typedef enum
{
  STEP_STATUS,
  STEP_INIT,
  STEP_STATUS_AGAIN,
  STEP_ACCOUNTS,
  STEP_SWITCH,
  STEP_SUPPRESS,
  STEP_TICKLE,
  STEP_WS,
  STEP_RECONCILE,
} Step;

typedef struct
{
  Step     step;
  GSource *ws_timeout;
} Connect;

static void connect_next (EaIbkrBroker *self, GTask *task);

static void schedule_reconnect (EaIbkrBroker *self);

static void
connect_fail (EaIbkrBroker *self,
              GTask        *task,
              GError       *error)
{
  Connect *c = g_task_get_task_data (task);
  gboolean internal = task != self->connect_task;

  if (c->ws_timeout)
    g_clear_pointer (&c->ws_timeout, g_source_destroy);
  if (!internal)
    {
      g_clear_object (&self->connect_task);
      self->wanted = FALSE;
    }
  self->connecting = FALSE;
  _ea_ibkr_teardown (self);
  _ea_ibkr_set_state (self, EA_CONNECTION_STATE_DISCONNECTED, error->message);
  if (internal && self->wanted)
    schedule_reconnect (self);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
connect_step_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  EaIbkrBroker *self = g_task_get_source_object (task);
  Connect *c = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonNode) node = _ea_ibkr_request_finish (self, result, &error);
  EaIbkrAuthStatus st;

  if (node == NULL)
    {
      connect_fail (self, task, error);
      return;
    }
  switch (c->step)
    {
    case STEP_INIT:
      /* The login completes asynchronously: ask again. */
      c->step = STEP_STATUS_AGAIN;
      break;
    case STEP_STATUS:
    case STEP_STATUS_AGAIN:
      if (!ea_ibkr_parse_auth_status (node, &st, &error))
        {
          connect_fail (self, task, error);
          return;
        }
      _ea_ibkr_set_competing (self, st.competing);
      if (!st.authenticated)
        {
          if (c->step == STEP_STATUS && st.connected)
            c->step = STEP_INIT;
          else
            {
              g_autofree char *url = ea_ibkr_broker_get_login_url (self);

              ea_ibkr_auth_status_clear (&st);
              g_signal_emit (self, _ea_ibkr_signals[EA_IBKR_SIGNAL_LOGIN_REQUIRED], 0, url);
              connect_fail (self, task,
                            g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED,
                                         _("The gateway is not logged in: log in at %s "
                                         "(the session ends daily)"), url));
              return;
            }
        }
      else
        c->step = STEP_ACCOUNTS;
      ea_ibkr_auth_status_clear (&st);
      break;
    case STEP_ACCOUNTS:
      {
        g_autofree char *selected = NULL;
        g_auto(GStrv) accounts = ea_ibkr_parse_accounts (node, &selected, &error);

        if (accounts == NULL)
          {
            connect_fail (self, task, error);
            return;
          }
        if (accounts[0] == NULL)
          {
            connect_fail (self, task, g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                                                           _("The gateway lists no account")));
            return;
          }
        if (self->account && !g_strv_contains ((const char *const *) accounts, self->account))
          {
            connect_fail (self, task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                                                   _("Account %s is not available on this login"), self->account));
            return;
          }
        g_strfreev (self->accounts);
        self->accounts = g_steal_pointer (&accounts);
        g_free (self->selected);
        self->selected = g_strdup (selected && *selected ? selected : self->accounts[0]);
        self->orders_primed = FALSE;
        c->step = self->account && g_strcmp0 (self->account, self->selected) != 0 ? STEP_SWITCH : STEP_SUPPRESS;
      }
      break;
    case STEP_SWITCH:
      g_free (self->selected);
      self->selected = g_strdup (self->account);
      c->step = STEP_SUPPRESS;
      break;
    case STEP_SUPPRESS:
      c->step = STEP_TICKLE;
      break;
    case STEP_TICKLE:
      if (JSON_NODE_HOLDS_OBJECT (node) && ea_json_get_string (json_node_get_object (node), "session"))
        {
          g_free (self->ws_session);
          self->ws_session = g_strdup (ea_json_get_string (json_node_get_object (node), "session"));
        }
      c->step = STEP_WS;
      break;
    case STEP_WS:
    case STEP_RECONCILE:
    default:
      g_assert_not_reached ();
    }
  connect_next (self, task);
}

static gboolean
ws_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  EaIbkrBroker *self = g_task_get_source_object (task);
  Connect *c = g_task_get_task_data (task);

  c->ws_timeout = NULL;
  connect_fail (self, task, g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED,
                                                 "The gateway's websocket did not accept the session"));
  return G_SOURCE_REMOVE;
}

static void
ws_connected_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  EaIbkrBroker *self = g_task_get_source_object (task);
  Connect *c = g_task_get_task_data (task);
  GError *error = NULL;
  SoupWebsocketConnection *ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  if (ws == NULL)
    {
      GError *e = g_error_new (EA_BROKER_ERROR,
                               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                               ? EA_BROKER_ERROR_CANCELLED : EA_BROKER_ERROR_NOT_CONNECTED,
                               "Cannot open the gateway's websocket: %s", error->message);

      g_error_free (error);
      connect_fail (self, task, e);
      return;
    }
  self->ws = ws;
  soup_websocket_connection_set_keepalive_interval (ws, 0);
  g_signal_connect (ws, "message", G_CALLBACK (ws_message_cb), self);
  g_signal_connect (ws, "closed", G_CALLBACK (ws_closed_cb), self);
  c->ws_timeout = g_timeout_source_new_seconds (15);
  g_task_attach_source (task, c->ws_timeout, ws_timeout_cb);
  g_source_unref (c->ws_timeout);
}

static void
reconciled_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  EaIbkrBroker *self = EA_IBKR_BROKER (source);
  GError *error = NULL;

  if (!_ea_ibkr_reconcile_finish (self, result, &error))
    {
      connect_fail (self, task, error);
      return;
    }
  self->connecting = FALSE;
  self->reconnect_attempt = 0;
  g_clear_handle_id (&self->tickle_source, g_source_remove);
  g_clear_handle_id (&self->smd_source, g_source_remove);
  self->tickle_source = g_timeout_add (self->tickle_ms, _ea_ibkr_tickle_cb, self);
  self->smd_source = g_timeout_add (self->smd_resubscribe_ms, _ea_ibkr_smd_cb, self);
  if (task == self->connect_task)
    g_clear_object (&self->connect_task);
  _ea_ibkr_set_state (self, EA_CONNECTION_STATE_CONNECTED, NULL);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* The websocket accepted the session: subscribe, then reconcile. */
static void
ws_ready (EaIbkrBroker *self)
{
  GTask *task = g_object_get_data (G_OBJECT (self), "ea-connect-task");
  Connect *c;

  _ea_ibkr_smd_cb (self);
  soup_websocket_connection_send_text (self->ws, "sor+{}");
  soup_websocket_connection_send_text (self->ws, "str+{}");
  soup_websocket_connection_send_text (self->ws, "spl+{}");
  if (task == NULL)
    return;
  g_object_set_data (G_OBJECT (self), "ea-connect-task", NULL);
  c = g_task_get_task_data (task);
  if (c->ws_timeout)
    g_clear_pointer (&c->ws_timeout, g_source_destroy);
  c->step = STEP_RECONCILE;
  _ea_ibkr_set_state (self, EA_CONNECTION_STATE_RECONCILING, NULL);
  _ea_ibkr_reconcile_async (self, self->cancellable, reconciled_cb, task);
}

static void
connect_next (EaIbkrBroker *self,
              GTask        *task)
{
  Connect *c = g_task_get_task_data (task);

  switch (c->step)
    {
    case STEP_STATUS:
    case STEP_STATUS_AGAIN:
      _ea_ibkr_request (self, "POST", "iserver/auth/status", NULL, self->cancellable, connect_step_cb, task);
      break;
    case STEP_INIT:
      _ea_ibkr_request (self, "POST", "iserver/auth/ssodh/init",
                        _ea_ibkr_json_object_node ("publish", json_node_init_boolean (json_node_alloc (), TRUE),
                                                   "compete", json_node_init_boolean (json_node_alloc (), FALSE),
                                                   NULL),
                        self->cancellable, connect_step_cb, task);
      break;
    case STEP_ACCOUNTS:
      _ea_ibkr_request (self, "GET", "iserver/accounts", NULL, self->cancellable, connect_step_cb, task);
      break;
    case STEP_SWITCH:
      _ea_ibkr_request (self, "POST", "iserver/account",
                        _ea_ibkr_json_object_node ("acctId", json_node_init_string (json_node_alloc (), self->account),
                                                   NULL),
                        self->cancellable, connect_step_cb, task);
      break;
    case STEP_SUPPRESS:
      if (self->suppressed == NULL || self->suppressed[0] == NULL)
        {
          c->step = STEP_TICKLE;
          connect_next (self, task);
          return;
        }
      {
        JsonArray *ids = json_array_new ();

        for (guint i = 0; self->suppressed[i]; i++)
          json_array_add_string_element (ids, self->suppressed[i]);
        _ea_ibkr_request (self, "POST", "iserver/questions/suppress",
                          _ea_ibkr_json_object_node ("messageIds", json_node_init_array (json_node_alloc (), ids),
                                                     NULL),
                          self->cancellable, connect_step_cb, task);
        json_array_unref (ids);
      }
      break;
    case STEP_TICKLE:
      _ea_ibkr_request (self, "POST", "tickle", NULL, self->cancellable, connect_step_cb, task);
      break;
    case STEP_WS:
      {
        GError *error = NULL;
        g_autoptr(SoupMessage) msg = _ea_ibkr_new_message (self, "GET", "ws", &error);

        if (msg == NULL)
          {
            connect_fail (self, task, error);
            return;
          }
        g_object_set_data (G_OBJECT (self), "ea-connect-task", task);
        soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                              self->cancellable, ws_connected_cb, task);
      }
      break;
    case STEP_RECONCILE:
    default:
      g_assert_not_reached ();
    }
}

static void
connection_task_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  /* Internal reconnections report through the connection state only. */
  g_task_propagate_boolean (G_TASK (result), NULL);
}

static void
start_connection_task (EaIbkrBroker *self,
                       GTask        *task)
{
  Connect *c = g_new0 (Connect, 1);

  self->connecting = TRUE;
  c->step = STEP_STATUS;
  g_task_set_task_data (task, c, g_free);
  _ea_ibkr_set_state (self, EA_CONNECTION_STATE_CONNECTING, NULL);
  connect_next (self, task);
}

void
_ea_ibkr_start_connection (EaIbkrBroker *self)
{
  start_connection_task (self, g_task_new (self, NULL, connection_task_cb, NULL));
}

static gboolean
reconnect_cb (gpointer user_data)
{
  EaIbkrBroker *self = user_data;

  self->reconnect_source = 0;
  if (self->wanted && !self->connecting)
    _ea_ibkr_start_connection (self);
  return G_SOURCE_REMOVE;
}

/* Drops everything of the current connection. */
void
_ea_ibkr_teardown (EaIbkrBroker *self)
{
  g_object_set_data (G_OBJECT (self), "ea-connect-task", NULL);
  g_clear_handle_id (&self->tickle_source, g_source_remove);
  g_clear_handle_id (&self->smd_source, g_source_remove);
  close_ws (self);
  _ea_ibkr_complete_sync_waiters (self, G_MAXUINT);
  _ea_ibkr_fail_questions (self);
  _ea_ibkr_fail_delayed (self);
  self->tickle_pending = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->tls_problem, g_free);
}

static void
schedule_reconnect (EaIbkrBroker *self)
{
  guint delay;

  if (!self->wanted || self->reconnect_source != 0 || self->connecting)
    return;
  delay = (guint) (ea_backoff_delay (self->reconnect_attempt++, (gint64) self->reconnect_ms * 1000,
                                     (gint64) self->reconnect_ms * 1000 * 32) / 1000);
  self->reconnect_source = g_timeout_add (delay, reconnect_cb, self);
}

void
_ea_ibkr_connection_lost (EaIbkrBroker *self,
                 const char   *reason)
{
  if (self->connecting)
    return;
  _ea_ibkr_teardown (self);
  _ea_ibkr_set_state (self, EA_CONNECTION_STATE_DISCONNECTED, reason);
  schedule_reconnect (self);
}

/* EaBroker: connection. */

static const char *
ibkr_get_name (EaBroker *broker)
{
  return "Interactive Brokers";
}

static EaConnectionState
ibkr_get_connection_state (EaBroker *broker)
{
  return EA_IBKR_BROKER (broker)->state;
}

static void
ibkr_connect_async (EaBroker            *broker,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  EaIbkrBroker *self = EA_IBKR_BROKER (broker);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_check_cancellable (task, FALSE);
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED, "Cancelled");
      g_object_unref (task);
      return;
    }
  if (self->state == EA_CONNECTION_STATE_CONNECTED)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (self->connecting)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED, "Already connecting");
      g_object_unref (task);
      return;
    }
  self->wanted = TRUE;
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  self->reconnect_attempt = 0;
  g_set_object (&self->connect_task, task);
  start_connection_task (self, task);
}

static gboolean
ibkr_connect_finish (EaBroker      *broker,
                     GAsyncResult  *result,
                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
ibkr_disconnect_async (EaBroker            *broker,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  EaIbkrBroker *self = EA_IBKR_BROKER (broker);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  self->wanted = FALSE;
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  _ea_ibkr_teardown (self);
  self->connecting = FALSE;
  _ea_ibkr_set_state (self, EA_CONNECTION_STATE_DISCONNECTED, _("Disconnected"));
  g_task_return_boolean (task, TRUE);
}

static gboolean
ibkr_disconnect_finish (EaBroker      *broker,
                        GAsyncResult  *result,
                        GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
ibkr_list_accounts_async (EaBroker            *broker,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  EaIbkrBroker *self = EA_IBKR_BROKER (broker);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GPtrArray *out;
  GError *error = NULL;

  if (!_ea_ibkr_check_ready (self, cancellable, FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_account_data_free);
  for (guint i = 0; self->accounts && self->accounts[i]; i++)
    g_ptr_array_add (out, _ea_ibkr_account_data (self, self->accounts[i]));
  g_task_return_pointer (task, out, (GDestroyNotify) g_ptr_array_unref);
}

static GPtrArray *
ibkr_list_accounts_finish (EaBroker      *broker,
                           GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gint64
ibkr_get_latency_us (EaBroker *broker)
{
  return EA_IBKR_BROKER (broker)->latency_us;
}

void
_ea_ibkr_broker_iface_init (EaBrokerInterface *iface)
{
  iface->get_name = ibkr_get_name;
  iface->get_connection_state = ibkr_get_connection_state;
  iface->connect_async = ibkr_connect_async;
  iface->connect_finish = ibkr_connect_finish;
  iface->disconnect_async = ibkr_disconnect_async;
  iface->disconnect_finish = ibkr_disconnect_finish;
  iface->list_accounts_async = ibkr_list_accounts_async;
  iface->list_accounts_finish = ibkr_list_accounts_finish;
  iface->get_latency_us = ibkr_get_latency_us;
  _ea_ibkr_broker_iface_orders (iface);
}

