/* ea-tradovate-requests.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Requests on Tradovate's sockets: the request budget (a token bucket;
 * order actions go first, nothing is dropped), `endpoint\nid\nquery\nbody`
 * sent and matched to its reply by id with a timeout, and requests held
 * back while a reconnection is under way.
 */
#define G_LOG_DOMAIN "ea-tradovate"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-tradovate-broker-private.h"

/* Requests -------------------------------------------------------------- */

void
_ea_tv_waiter_free (TvWaiter *waiter)
{
  g_clear_handle_id (&waiter->timeout_source, g_source_remove);
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static void
pending_free (TvPending *pending)
{
  g_clear_handle_id (&pending->timeout_source, g_source_remove);
  g_clear_object (&pending->task);
  g_free (pending->endpoint);
  g_free (pending);
}

static void
pending_fail (TvPending  *pending,
              const char *why)
{
  if (pending->mutating)
    g_task_return_new_error (pending->task, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME,
                             _("%s: no reply to %s; the order's state is unknown until reconciliation"),
                             why, pending->endpoint);
  else
    g_task_return_new_error (pending->task, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                             _("%s: no reply to %s"), why, pending->endpoint);
}

static gboolean
pending_timeout_cb (gpointer user_data)
{
  TvPending *pending = user_data;
  TvSocket *socket = pending->socket;

  /* The table does not own its entries: taken out, then freed here. */
  pending->timeout_source = 0;
  g_hash_table_steal (socket->pending, &pending->id);
  pending_fail (pending, _("Tradovate did not answer in time"));
  pending_free (pending);

  return G_SOURCE_REMOVE;
}

static void
send_on_socket (EaTradovateBroker *self,
                TvSocket          *socket,
                GTask             *task,
                const char        *endpoint,
                const char        *query,
                const char        *body,
                gboolean           mutating)
{
  TvPending *pending = g_new0 (TvPending, 1);
  g_autofree char *text = NULL;

  pending->id = ++socket->next_id;
  pending->endpoint = g_strdup (endpoint);
  pending->task = g_object_ref (task);
  pending->mutating = mutating;
  pending->socket = socket;
  pending->sent_us = g_get_monotonic_time ();
  pending->timeout_source = g_timeout_add (self->request_timeout_ms, pending_timeout_cb, pending);
  g_hash_table_insert (socket->pending, &pending->id, pending);

  text = ea_tv_request_format (endpoint, pending->id, query, body);
  soup_websocket_connection_send_text (socket->ws, text);
}

typedef struct
{
  gboolean  md;
  char     *endpoint;
  char     *query;
  char     *body;
  gboolean  mutating;
  gboolean  internal;  /* part of the reconciliation */
  guint     penalties; /* penalties taken so far */
} RequestData;

/* A request Tradovate penalized more often than this fails. */
#define MAX_REQUEST_PENALTIES 3

static void
request_data_free (RequestData *data)
{
  g_free (data->endpoint);
  g_free (data->query);
  g_free (data->body);
  g_free (data);
}

static gboolean
socket_ready (TvSocket *socket)
{
  return socket->ws != NULL && socket->authorized &&
         soup_websocket_connection_get_state (socket->ws) == SOUP_WEBSOCKET_STATE_OPEN;
}

static void
waited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaTradovateBroker *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  GError *error = NULL;
  TvSocket *socket = data->md ? &self->md : &self->trading;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!socket_ready (socket))
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED,
                               _("Not connected to Tradovate"));
      return;
    }

  send_on_socket (self, socket, task, data->endpoint, data->query, data->body, data->mutating);
}

static gboolean
waiter_timeout_cb (gpointer user_data)
{
  TvWaiter *waiter = user_data;
  EaTradovateBroker *self = g_task_get_source_object (waiter->task);
  guint index;

  waiter->timeout_source = 0;
  if (g_ptr_array_find (self->waiters, waiter, &index))
    {
      g_ptr_array_steal_index (self->waiters, index);
      g_task_return_new_error (waiter->task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED,
                               _("Tradovate did not reconnect in time"));
      _ea_tv_waiter_free (waiter);
    }

  return G_SOURCE_REMOVE;
}

/* A request whose turn in the budget has come: sent now, held for a
 * reconnection under way, or refused. */
static void
dispatch_request (EaTradovateBroker *self,
                  GTask             *task)
{
  RequestData *data = g_task_get_task_data (task);
  TvSocket *socket = data->md ? &self->md : &self->trading;
  TvWaiter *waiter;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (socket_ready (socket) && (self->state == EA_CONNECTION_STATE_CONNECTED || data->internal))
    {
      send_on_socket (self, socket, task, data->endpoint, data->query, data->body, data->mutating);
      return;
    }

  if (!self->want_connected)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED,
                               _("Not connected to Tradovate"));
      return;
    }

  /* Reconnecting: wait for it, within the request timeout. */
  waiter = g_new0 (TvWaiter, 1);
  waiter->task = g_task_new (self, g_task_get_cancellable (task), waited_cb, g_object_ref (task));
  waiter->timeout_source = g_timeout_add (self->request_timeout_ms, waiter_timeout_cb, waiter);
  g_ptr_array_add (self->waiters, waiter);
}

static void drain_queue (EaTradovateBroker *self);

static gboolean
drain_cb (gpointer user_data)
{
  EaTradovateBroker *self = user_data;

  self->drain_source = 0;
  drain_queue (self);
  return G_SOURCE_REMOVE;
}

/* Sends queued requests while the budget allows, order actions first,
 * and comes back when the next token is due. A request cancelled while
 * it waited costs nothing. */
static void
drain_queue (EaTradovateBroker *self)
{
  while (self->drain_source == 0)
    {
      GQueue *queue = !g_queue_is_empty (&self->urgent) ? &self->urgent : &self->queued;
      GTask *task = g_queue_peek_head (queue);
      gint64 wait_us = 0;

      if (task == NULL)
        return;

      if (!g_task_return_error_if_cancelled (task) &&
          !ea_token_bucket_try_take (self->budget, g_get_monotonic_time (), &wait_us))
        {
          self->drain_source = g_timeout_add ((guint) MAX ((wait_us + 999) / 1000, 1), drain_cb, self);
          return;
        }

      g_queue_pop_head (queue);
      if (!g_task_had_error (task))
        dispatch_request (self, task);
      g_object_unref (task);
    }
}

/* Fails what waits for the budget, when nothing will be sent any more. */
void
_ea_tv_fail_queued (EaTradovateBroker *self)
{
  GTask *task;

  g_clear_handle_id (&self->drain_source, g_source_remove);
  while ((task = g_queue_pop_head (&self->urgent)) != NULL ||
         (task = g_queue_pop_head (&self->queued)) != NULL)
    {
      if (!g_task_return_error_if_cancelled (task))
        g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED,
                                 _("Not connected to Tradovate"));
      g_object_unref (task);
    }
}

/**
 * _ea_tv_request:
 * @md: on the market-data socket
 * @mutating: an order action: a lost reply is UNKNOWN_OUTCOME
 *
 * Sends `endpoint\nid\nquery\nbody` and completes with the reply's `d`.
 * Requests over the budget wait their turn (order actions first); while
 * a reconnection is under way they wait for it.
 */
void
_ea_tv_request (EaTradovateBroker   *self,
                gboolean             md,
                const char          *endpoint,
                const char          *query,
                JsonNode            *body,
                gboolean             mutating,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  RequestData *data;

  g_task_set_source_tag (task, _ea_tv_request);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  data = g_new0 (RequestData, 1);
  data->md = md;
  data->endpoint = g_strdup (endpoint);
  data->query = g_strdup (query);
  data->body = body ? json_to_string (body, FALSE) : NULL;
  data->mutating = mutating;
  data->internal = self->state == EA_CONNECTION_STATE_RECONCILING;
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);

  /* Order actions and account snapshots (what an emergency stop and a
   * reconciliation are made of) go first. */
  g_queue_push_tail (mutating || g_str_equal (endpoint, "user/syncrequest") ? &self->urgent : &self->queued,
                     task);
  drain_queue (self);
}

JsonNode *
_ea_tv_request_finish (EaTradovateBroker  *self,
                       GAsyncResult       *result,
                       GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
_ea_tv_fail_all_pending (TvSocket   *socket,
                         const char *why)
{
  g_autoptr(GList) values = NULL;

  if (socket->pending == NULL)
    return;

  values = g_hash_table_get_values (socket->pending);
  g_hash_table_steal_all (socket->pending);

  for (GList *l = values; l; l = l->next)
    {
      TvPending *pending = l->data;

      pending_fail (pending, why);
      pending_free (pending);
    }
}

static void
penalty_retry_cb (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  EaTradovateBroker *self = g_task_get_source_object (task);

  if (g_task_return_error_if_cancelled (task))
    return;
  g_queue_push_tail (&self->queued, g_object_ref (task));
  drain_queue (self);
}

/* Every 200 reply goes through here: a penalty (`p-ticket`) means the
 * request was not run, whatever the endpoint. A read is sent again
 * after `p-time`; an order action is not repeated behind the user's
 * back; a captcha stops. Returns %TRUE when @d was a penalty and the
 * pending request was dealt with. */
static gboolean
check_penalty (EaTradovateBroker *self,
               TvPending         *pending,
               JsonNode          *d)
{
  RequestData *data = g_task_get_task_data (pending->task);
  EaTvPenalty penalty;

  if (!ea_tv_penalty_parse (d, &penalty))
    return FALSE;

  if (penalty.captcha)
    g_task_return_new_error (pending->task, EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED,
                             _("Tradovate wants a captcha before it answers %s, which was not run. "
                               "Only Tradovate's own apps can show it: wait about an hour before "
                               "connecting again; retry after 3600000 ms"),
                             pending->endpoint);
  else if (pending->mutating || data == NULL || data->penalties >= MAX_REQUEST_PENALTIES)
    g_task_return_new_error (pending->task, EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED,
                             _("Tradovate penalized %s, which was not run; retry after %" G_GINT64_FORMAT " ms"),
                             pending->endpoint, penalty.wait_seconds * 1000);
  else
    {
      data->penalties++;
      g_timeout_add_once ((guint) MAX (penalty.wait_seconds, 0) * 1000, penalty_retry_cb,
                          g_object_ref (pending->task));
    }

  ea_tv_penalty_clear (&penalty);
  return TRUE;
}

void
_ea_tv_handle_response (TvSocket   *socket,
                        JsonObject *message)
{
  EaTradovateBroker *self = socket->broker;
  gint64 id = 0, status = 0;
  TvPending *pending;
  JsonNode *d;

  ea_tv_message_is_response (message, &id, &status);
  pending = g_hash_table_lookup (socket->pending, &id);
  if (pending == NULL)
    return;

  g_hash_table_steal (socket->pending, &id);
  {
    gint64 sample = g_get_monotonic_time () - pending->sent_us;

    self->latency_us = self->latency_us < 0 ? sample : (self->latency_us * 3 + sample) / 4;
  }

  d = json_object_get_member (message, "d");

  if (status == 200 && d != NULL && check_penalty (self, pending, d))
    ;
  else if (status == 200)
    g_task_return_pointer (pending->task, d ? json_node_copy (d) : json_node_new (JSON_NODE_NULL),
                           (GDestroyNotify) json_node_unref);
  else if (status == 429)
    g_task_return_new_error (pending->task, EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED,
                             _("Tradovate is rate limiting this user; retry after 60000 ms"));
  else if (status == 404)
    g_task_return_new_error (pending->task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                             _("Tradovate does not know it (%s)"), pending->endpoint);
  else
    {
      const char *text = d && JSON_NODE_HOLDS_VALUE (d) && json_node_get_value_type (d) == G_TYPE_STRING
                         ? json_node_get_string (d) : "";

      g_task_return_new_error (pending->task, EA_BROKER_ERROR,
                               status == 401 ? EA_BROKER_ERROR_NOT_CONNECTED : EA_BROKER_ERROR_FAILED,
                               _("Tradovate answered %" G_GINT64_FORMAT " to %s: %s"),
                               status, pending->endpoint, text);
    }

  pending_free (pending);
}
