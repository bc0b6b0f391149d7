/* ea-ibkr-broker-orders.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The IBKR adapter's requests: the job machinery, contracts (trsrv/futures
 * cross-checked with the core's calendar), quote subscriptions with the
 * snapshot pre-flight, placement with the bounded question/reply loop,
 * brackets, modify and cancel.
 */
#define G_LOG_DOMAIN "ea-ibkr-broker"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#include "ea-ibkr-broker-private.h"

#define MAX_QUESTIONS 20

/* Jobs: multi-request operations as small state machines. */


static void
job_free (Job *j)
{
  g_free (j->symbol);
  g_free (j->account);
  g_clear_pointer (&j->request, ea_order_request_free);
  g_clear_pointer (&j->body, json_node_unref);
  g_free (j->path);
  g_free (j->order_id);
  g_free (j->question_text);
  g_clear_pointer (&j->ids, g_ptr_array_unref);
  g_clear_pointer (&j->positions, g_ptr_array_unref);
  g_clear_pointer (&j->snapshot, ea_snapshot_data_free);
  g_clear_error (&j->first_error);
  g_free (j);
}

GTask *
_ea_ibkr_job_new (EaIbkrBroker        *self,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data,
         JobStep              step,
         Job                **out)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Job *j = g_new0 (Job, 1);

  /* Cancellation is reported in EA_BROKER_ERROR like every other error. */
  g_task_set_check_cancellable (task, FALSE);

  j->step = step;
  g_task_set_task_data (task, j, (GDestroyNotify) job_free);
  *out = j;
  return task;
}

static void
job_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  GTask *task = user_data;
  Job *j = g_task_get_task_data (task);
  GError *error = NULL;
  JsonNode *node = _ea_ibkr_request_finish (EA_IBKR_BROKER (source), result, &error);

  j->step (task, node, error);
}

void
_ea_ibkr_job_request (GTask      *task,
             const char *method,
             const char *path,
             JsonNode   *body)
{
  Job *j = g_task_get_task_data (task);

  _ea_ibkr_request_full (g_task_get_source_object (task), j->urgent, method, path, body,
                         g_task_get_cancellable (task), job_cb, task);
}

static void
job_sync_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Job *j = g_task_get_task_data (task);

  ea_ibkr_broker_sync_finish (EA_IBKR_BROKER (source), result, NULL);
  j->step (task, NULL, NULL);
}

void
_ea_ibkr_job_sync (GTask *task)
{
  ea_ibkr_broker_sync_async (g_task_get_source_object (task), NULL, job_sync_cb, task);
}

void
_ea_ibkr_job_fail (GTask  *task,
          GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

gboolean
_ea_ibkr_job_start_checked (GTask    *task,
                   gboolean  trading)
{
  GError *error = NULL;

  if (!_ea_ibkr_check_ready (g_task_get_source_object (task), g_task_get_cancellable (task), trading, &error))
    {
      _ea_ibkr_job_fail (task, error);
      return FALSE;
    }
  return TRUE;
}

/* Contract resolution: the front month by the core's calendar (or the
 * contract named), found among the gateway's listed futures. */

static void resolve_step (GTask *task, JsonNode *node, GError *error);

static gboolean
parse_symbol (const char  *symbol,
              EaContract  *k,
              GError     **error)
{
  const EaInstrumentSpec *spec = ea_instrument_lookup (symbol);

  if (spec != NULL)
    {
      if (!ea_contract_front (spec, _ea_ibkr_today (), k))
        {
          g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND, "No front month for %s", symbol);
          return FALSE;
        }
      return TRUE;
    }
  if (!ea_contract_parse (symbol, EA_SYMBOLOGY_IBKR, _ea_ibkr_today (), k, NULL))
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND, _("Unknown symbol \"%s\""), symbol);
      return FALSE;
    }
  return TRUE;
}

static void
resolve_async (EaIbkrBroker        *self,
               const char          *symbol,
               gboolean             urgent,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  Job *j;
  GTask *task = _ea_ibkr_job_new (self, cancellable, callback, user_data, resolve_step, &j);
  IbContract *c = symbol ? g_hash_table_lookup (self->contracts, symbol) : NULL;
  GError *error = NULL;
  EaContract k;
  g_autofree char *path = NULL;

  if (c != NULL)
    {
      g_task_return_pointer (task, c, NULL);
      g_object_unref (task);
      return;
    }
  if (symbol == NULL || !parse_symbol (symbol, &k, &error))
    {
      _ea_ibkr_job_fail (task, error ? error : g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                                                           "No symbol"));
      return;
    }
  j->symbol = g_strdup (symbol);
  j->urgent = urgent;
  path = g_strdup_printf ("trsrv/futures?symbols=%s", k.spec->root);
  _ea_ibkr_job_request (task, "GET", path, NULL);
}

static void
resolve_step (GTask    *task,
              JsonNode *node,
              GError   *error)
{
  EaIbkrBroker *self = g_task_get_source_object (task);
  Job *j = g_task_get_task_data (task);
  g_autoptr(GArray) futures = NULL;
  g_autofree char *name = NULL;
  IbContract *c;
  EaContract k;
  guint32 ltd;
  gint64 conid;

  if (node == NULL)
    {
      _ea_ibkr_job_fail (task, error);
      return;
    }
  parse_symbol (j->symbol, &k, NULL);
  futures = ea_ibkr_parse_futures (node, k.spec->root, &error);
  json_node_unref (node);
  if (futures == NULL)
    {
      _ea_ibkr_job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED, "%s", error->message));
      g_error_free (error);
      return;
    }
  ltd = ea_contract_last_trade_day (&k);
  name = ea_contract_format (&k, EA_SYMBOLOGY_IBKR);
  conid = ea_ibkr_futures_find (futures, ltd, 7);
  if (conid == 0)
    {
      _ea_ibkr_job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                                   _("The gateway lists no %s contract expiring near %u (%s by the calendar)"),
                                   k.spec->root, ltd, name));
      return;
    }
  c = g_new0 (IbContract, 1);
  c->symbol = g_strdup (j->symbol);
  c->spec = k.spec;
  c->conid = conid;
  g_hash_table_insert (self->contracts, c->symbol, c);
  g_hash_table_insert (self->by_conid, &c->conid, c);
  g_task_return_pointer (task, c, NULL);
  g_object_unref (task);
}

static IbContract *
resolve_finish (EaIbkrBroker  *self,
                GAsyncResult  *result,
                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Quotes. */

static void
subscribe_resolved_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  EaIbkrBroker *self = EA_IBKR_BROKER (source);
  Job *j = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *path = NULL;

  j->contract = resolve_finish (self, result, &error);
  if (j->contract == NULL)
    {
      _ea_ibkr_job_fail (task, error);
      return;
    }
  path = g_strdup_printf ("iserver/marketdata/snapshot?conids=%" G_GINT64_FORMAT "&fields=31,84,86,88,85,7059,7762,6509",
                          j->contract->conid);
  _ea_ibkr_job_request (task, "GET", path, NULL);
}

static void
subscribe_step (GTask    *task,
                JsonNode *node,
                GError   *error)
{
  EaIbkrBroker *self = g_task_get_source_object (task);
  Job *j = g_task_get_task_data (task);

  switch (j->stage++)
    {
    case 0:
      /* The snapshot pre-flight opens the stream; its content is not needed. */
      if (node == NULL)
        {
          _ea_ibkr_job_fail (task, error);
          return;
        }
      json_node_unref (node);
      j->contract->subscribed = TRUE;
      memset (&j->contract->market, 0, sizeof j->contract->market);
      if (self->ws != NULL && soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        {
          g_autofree char *text = ea_ibkr_ws_smd (j->contract->conid);

          soup_websocket_connection_send_text (self->ws, text);
        }
      _ea_ibkr_job_sync (task);
      break;
    default:
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

static void
ibkr_subscribe_quotes_async (EaBroker            *broker,
                             const char          *symbol,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  EaIbkrBroker *self = EA_IBKR_BROKER (broker);
  Job *j;
  GTask *task = _ea_ibkr_job_new (self, cancellable, callback, user_data, subscribe_step, &j);

  if (!_ea_ibkr_job_start_checked (task, FALSE))
    return;
  resolve_async (self, symbol, FALSE, cancellable, subscribe_resolved_cb, task);
}

gboolean
_ea_ibkr_boolean_finish (EaBroker      *broker,
                     GAsyncResult  *result,
                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
ibkr_unsubscribe_quotes_async (EaBroker            *broker,
                               const char          *symbol,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  EaIbkrBroker *self = EA_IBKR_BROKER (broker);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  IbContract *c = symbol ? g_hash_table_lookup (self->contracts, symbol) : NULL;
  GError *error = NULL;

  if (!_ea_ibkr_check_ready (self, cancellable, FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (c == NULL || !c->subscribed)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                               "Not subscribed to %s", symbol ? symbol : "(null)");
      return;
    }
  c->subscribed = FALSE;
  if (self->ws != NULL && soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      g_autofree char *text = ea_ibkr_ws_umd (c->conid);

      soup_websocket_connection_send_text (self->ws, text);
    }
  g_task_return_boolean (task, TRUE);
}

/* Orders: the reply loop shared by placement and modification. Stages:
 * 0 account switch (if needed) done, 1 posted / replied. */

static void order_step (GTask *task, JsonNode *node, GError *error);

static gboolean
all_suppressed (EaIbkrBroker *self,
                GStrv         ids)
{
  if (ids == NULL || ids[0] == NULL || self->suppressed == NULL)
    return FALSE;
  for (guint i = 0; ids[i]; i++)
    if (!g_strv_contains ((const char *const *) self->suppressed, ids[i]))
      return FALSE;
  return TRUE;
}

static void
post_reply (GTask      *task,
            const char *question_id,
            gboolean    confirmed)
{
  g_autofree char *path = g_strdup_printf ("iserver/reply/%s", question_id);

  _ea_ibkr_job_request (task, "POST", path,
               _ea_ibkr_json_object_node ("confirmed", json_node_init_boolean (json_node_alloc (), confirmed),
                                          NULL));
}

static void
order_step (GTask    *task,
            JsonNode *node,
            GError   *error)
{
  EaIbkrBroker *self = g_task_get_source_object (task);
  Job *j = g_task_get_task_data (task);
  g_autoptr(JsonNode) owned = node;
  EaIbkrReply reply;

  if (j->stage == 0)
    {
      /* The account switch. */
      if (node == NULL)
        {
          _ea_ibkr_job_fail (task, error);
          return;
        }
      g_free (self->selected);
      self->selected = g_strdup (j->account);
      j->stage = 1;
      _ea_ibkr_job_request (task, "POST", j->path, g_steal_pointer (&j->body));
      return;
    }
  if (j->stage == 2)
    {
      /* Synced after the acknowledgement. */
      g_task_return_pointer (task, g_strdup (j->order_id), g_free);
      g_object_unref (task);
      return;
    }
  if (node == NULL)
    {
      /* A transport failure after the order left us is an unknown outcome. */
      _ea_ibkr_job_fail (task, error);
      return;
    }
  if (!ea_ibkr_parse_order_reply (node, &reply, &error))
    {
      _ea_ibkr_job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME,
                                   "%s: the order may have been placed", error->message));
      g_error_free (error);
      return;
    }
  switch (reply.kind)
    {
    case EA_IBKR_REPLY_ERROR:
      _ea_ibkr_job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED, _("Rejected by IBKR: %s"),
                                   reply.message));
      break;
    case EA_IBKR_REPLY_ACK:
      g_free (j->order_id);
      j->order_id = g_strdup (reply.order_ids->pdata[0]);
      j->stage = 2;
      _ea_ibkr_job_sync (task);
      break;
    case EA_IBKR_REPLY_QUESTION:
      if (++j->rounds > MAX_QUESTIONS)
        {
          _ea_ibkr_job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                                       _("The gateway asked more than %d questions: giving up (last: %s)"),
                                       MAX_QUESTIONS, reply.message));
          break;
        }
      g_free (j->question_text);
      j->question_text = g_strdup (reply.message);
      if (self->auto_confirm || j->emergency || all_suppressed (self, reply.message_ids))
        post_reply (task, reply.question_id, TRUE);
      else
        {
          g_hash_table_insert (self->questions, g_strdup (reply.question_id), task);
          g_signal_emit (self, _ea_ibkr_signals[EA_IBKR_SIGNAL_QUESTION], 0,
                         reply.question_id, reply.message, reply.message_ids);
        }
      break;
    default:
      _ea_ibkr_job_fail (task, g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED, "Unexpected reply"));
    }
  ea_ibkr_reply_clear (&reply);
}

gboolean
ea_ibkr_broker_answer_question (EaIbkrBroker *self,
                                const char   *id,
                                gboolean      confirm)
{
  GTask *task = NULL;
  char *key = NULL;
  Job *j;

  g_return_val_if_fail (EA_IS_IBKR_BROKER (self), FALSE);
  if (id == NULL || !g_hash_table_steal_extended (self->questions, id, (gpointer *) &key, (gpointer *) &task))
    return FALSE;
  j = g_task_get_task_data (task);
  if (confirm)
    post_reply (task, key, TRUE);
  else
    {
      /* Tell the gateway, then give up on the order. */
      g_autofree char *path = g_strdup_printf ("iserver/reply/%s", key);

      _ea_ibkr_request_full (self, TRUE, "POST", path,
                             _ea_ibkr_json_object_node ("confirmed",
                                                        json_node_init_boolean (json_node_alloc (), FALSE), NULL),
                             self->cancellable, NULL, NULL);
      _ea_ibkr_job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                                   _("Declined: %s"), j->question_text ? j->question_text : "question"));
    }
  g_free (key);
  return TRUE;
}

void
_ea_ibkr_fail_questions (EaIbkrBroker *self)
{
  const char *reason = _("The connection to the gateway ended while this question was open: "
                          "the order was not placed");
  GHashTableIter it;
  gpointer key, task;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  g_hash_table_iter_init (&it, self->questions);
  while (g_hash_table_iter_next (&it, &key, &task))
    {
      g_hash_table_iter_steal (&it);
      g_ptr_array_add (ids, key);
      _ea_ibkr_job_fail (task, g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED, reason));
    }
  g_hash_table_remove_all (self->questions);
  /* Whoever shows them closes them: they can no longer be answered. */
  for (guint i = 0; i < ids->len; i++)
    g_signal_emit (self, _ea_ibkr_signals[EA_IBKR_SIGNAL_QUESTION_WITHDRAWN], 0,
                   (const char *) ids->pdata[i], reason);
}

/* Sends @body to @path in @account, switching the gateway's account first
 * when needed. */
static void
order_send (GTask      *task,
            const char *account,
            const char *path,
            JsonNode   *body)
{
  EaIbkrBroker *self = g_task_get_source_object (task);
  Job *j = g_task_get_task_data (task);

  j->step = order_step;
  g_free (j->account);
  j->account = g_strdup (account);
  g_free (j->path);
  j->path = g_strdup (path);
  if (g_strcmp0 (account, self->selected) != 0)
    {
      j->stage = 0;
      j->body = body;
      _ea_ibkr_job_request (task, "POST", "iserver/account",
                   _ea_ibkr_json_object_node ("acctId", json_node_init_string (json_node_alloc (), account), NULL));
      return;
    }
  j->stage = 1;
  _ea_ibkr_job_request (task, "POST", path, body);
}

static char *
price_text (const IbContract *c,
            EaTicks           ticks)
{
  return ea_instrument_format_price_decimal (c->spec, ticks);
}

static gboolean
validate_request (const EaOrderRequest *r,
                  GError              **error)
{
  const char *problem = NULL;

  if (r->qty <= 0 || r->qty > 10000)
    problem = "quantity must be between 1 and 10000";
  else if (r->client_order_id == NULL || *r->client_order_id == '\0')
    problem = "a client order id is required";
  else if (r->side != EA_SIDE_BUY && r->side != EA_SIDE_SELL)
    problem = "invalid side";
  else if ((r->type == EA_ORDER_TYPE_LIMIT || r->type == EA_ORDER_TYPE_STOP_LIMIT) && r->limit_price <= 0)
    problem = "a limit price is required";
  else if ((r->type == EA_ORDER_TYPE_STOP || r->type == EA_ORDER_TYPE_STOP_LIMIT) && r->stop_price <= 0)
    problem = "a stop price is required";
  else if (ea_ibkr_order_type_name (r->type) == NULL)
    problem = "unsupported order type";
  else if ((r->has_stop_loss && r->stop_loss_price <= 0) || (r->has_take_profit && r->take_profit_price <= 0))
    problem = "bracket prices must be positive";
  if (problem)
    g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT, _("Invalid order: %s"), problem);
  return problem == NULL;
}

static void
place_resolved_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  EaIbkrBroker *self = EA_IBKR_BROKER (source);
  Job *j = g_task_get_task_data (task);
  const EaOrderRequest *r = j->request;
  GError *error = NULL;
  g_autofree char *price = NULL, *aux = NULL, *sl = NULL, *tp = NULL;
  g_autofree char *sl_id = NULL, *tp_id = NULL, *path = NULL;
  EaIbkrOrderSpec specs[3];
  guint n = 0;
  const char *account;

  j->contract = resolve_finish (self, result, &error);
  if (j->contract == NULL)
    {
      _ea_ibkr_job_fail (task, error);
      return;
    }
  switch (r->type)
    {
    case EA_ORDER_TYPE_LIMIT:
      price = price_text (j->contract, r->limit_price);
      break;
    case EA_ORDER_TYPE_STOP:
      price = price_text (j->contract, r->stop_price);
      break;
    case EA_ORDER_TYPE_STOP_LIMIT:
      price = price_text (j->contract, r->limit_price);
      aux = price_text (j->contract, r->stop_price);
      break;
    case EA_ORDER_TYPE_MARKET:
    default:
      break;
    }
  specs[n++] = (EaIbkrOrderSpec) {
    .conid = j->contract->conid, .coid = r->client_order_id, .type = r->type, .side = r->side,
    .quantity = r->qty, .price = price, .aux_price = aux,
    .tif = r->tif == EA_TIME_IN_FORCE_GTC ? "GTC" : "DAY",
  };
  if (r->has_stop_loss)
    {
      sl = price_text (j->contract, r->stop_loss_price);
      sl_id = r->stop_loss_client_order_id ? g_strdup (r->stop_loss_client_order_id)
                                           : g_strconcat (r->client_order_id, "-SL", NULL);
      specs[n++] = (EaIbkrOrderSpec) {
        .conid = j->contract->conid, .coid = sl_id, .parent_id = r->client_order_id,
        .type = EA_ORDER_TYPE_STOP, .side = -r->side, .quantity = r->qty, .price = sl, .tif = specs[0].tif,
      };
    }
  if (r->has_take_profit)
    {
      tp = price_text (j->contract, r->take_profit_price);
      tp_id = r->take_profit_client_order_id ? g_strdup (r->take_profit_client_order_id)
                                             : g_strconcat (r->client_order_id, "-TP", NULL);
      specs[n++] = (EaIbkrOrderSpec) {
        .conid = j->contract->conid, .coid = tp_id, .parent_id = r->client_order_id,
        .type = EA_ORDER_TYPE_LIMIT, .side = -r->side, .quantity = r->qty, .price = tp, .tif = specs[0].tif,
      };
    }
  account = r->account && *r->account ? r->account : self->selected;
  if (self->accounts && !g_strv_contains ((const char *const *) self->accounts, account))
    {
      _ea_ibkr_job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND, "No account %s", account));
      return;
    }
  path = g_strdup_printf ("iserver/account/%s/orders", account);
  order_send (task, account, path, ea_ibkr_build_orders (specs, n));
}

void
_ea_ibkr_place_async (EaIbkrBroker         *self,
             const EaOrderRequest *request,
             gboolean              emergency,
             GCancellable         *cancellable,
             GAsyncReadyCallback   callback,
             gpointer              user_data)
{
  Job *j;
  GTask *task = _ea_ibkr_job_new (self, cancellable, callback, user_data, order_step, &j);
  GError *error = NULL;

  if (!_ea_ibkr_job_start_checked (task, TRUE))
    return;
  if (!validate_request (request, &error))
    {
      _ea_ibkr_job_fail (task, error);
      return;
    }
  j->request = ea_order_request_copy (request);
  j->emergency = emergency;
  j->urgent = TRUE;
  resolve_async (self, request->symbol, TRUE, cancellable, place_resolved_cb, task);
}

static void
ibkr_place_order_async (EaBroker             *broker,
                        const EaOrderRequest *request,
                        GCancellable         *cancellable,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data)
{
  _ea_ibkr_place_async (EA_IBKR_BROKER (broker), request, FALSE, cancellable, callback, user_data);
}

static char *
ibkr_place_order_finish (EaBroker      *broker,
                         GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

EaIbkrOrder *
_ea_ibkr_find_order (EaIbkrBroker *self,
            const char   *id,
            GError      **error)
{
  gint64 n;
  EaIbkrOrder *o = NULL;

  if (id != NULL && ea_parse_int64 (id, &n))
    {
      g_autofree char *key = _ea_ibkr_order_key (n);

      o = g_hash_table_lookup (self->orders, key);
    }
  if (o == NULL)
    g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND, "No order %s", id ? id : "(null)");
  return o;
}

static void
modify_done_step (GTask    *task,
                  JsonNode *node,
                  GError   *error)
{
  order_step (task, node, error);
}

static void
ibkr_modify_order_async (EaBroker            *broker,
                         const char          *broker_order_id,
                         gint64               qty,
                         EaTicks              limit_price,
                         EaTicks              stop_price,
                         EaActor              actor,   /* the modify request has no such field */
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  EaIbkrBroker *self = EA_IBKR_BROKER (broker);
  Job *j;
  GTask *task = _ea_ibkr_job_new (self, cancellable, callback, user_data, modify_done_step, &j);
  GError *error = NULL;
  EaIbkrOrder *o;
  IbContract *c;
  EaOrderType type;
  JsonObject *body;
  JsonNode *node;
  g_autofree char *path = NULL;
  EaTicks limit, stop;
  g_autoptr(EaOrderData) d = NULL;

  j->urgent = TRUE;
  if (!_ea_ibkr_job_start_checked (task, TRUE))
    return;
  if ((o = _ea_ibkr_find_order (self, broker_order_id, &error)) == NULL)
    {
      _ea_ibkr_job_fail (task, error);
      return;
    }
  c = _ea_ibkr_contract_by_conid (self, o->conid);
  d = _ea_ibkr_order_to_data (self, o);
  if (c == NULL || !ea_ibkr_order_type_parse (o->order_type, &type))
    {
      _ea_ibkr_job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                                   "Order %s cannot be modified from here", broker_order_id));
      return;
    }
  if (ea_order_state_is_terminal (d->state) || qty < 0 || limit_price < 0 || stop_price < 0)
    {
      _ea_ibkr_job_fail (task, g_error_new (EA_BROKER_ERROR,
                                   ea_order_state_is_terminal (d->state) ? EA_BROKER_ERROR_REJECTED
                                                                         : EA_BROKER_ERROR_INVALID_ARGUMENT,
                                   "Order %s cannot be modified (%s)", broker_order_id,
                                   ea_order_state_to_string (d->state)));
      return;
    }
  limit = limit_price ? limit_price : d->limit_price;
  stop = stop_price ? stop_price : d->stop_price;
  {
    g_autofree char *price = NULL, *aux = NULL;
    EaIbkrOrderSpec spec = {
      .conid = o->conid, .coid = o->order_ref, .type = type, .side = o->side,
      .quantity = qty ? qty : o->total, .tif = o->tif ? o->tif : "DAY",
    };

    if (type == EA_ORDER_TYPE_LIMIT || type == EA_ORDER_TYPE_STOP_LIMIT)
      price = price_text (c, limit);
    else if (type == EA_ORDER_TYPE_STOP)
      price = price_text (c, stop);
    if (type == EA_ORDER_TYPE_STOP_LIMIT)
      aux = price_text (c, stop);
    spec.price = price;
    spec.aux_price = aux;
    body = ea_ibkr_build_order (&spec);
  }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, body);
  j->order_id = g_strdup (broker_order_id);
  path = g_strdup_printf ("iserver/account/%s/order/%s", o->account ? o->account : self->selected, broker_order_id);
  order_send (task, o->account ? o->account : self->selected, path, node);
}

static void
ibkr_modify_order_finish_free (gpointer p)
{
  g_free (p);
}

static gboolean
ibkr_modify_order_finish (EaBroker      *broker,
                          GAsyncResult  *result,
                          GError       **error)
{
  char *id = g_task_propagate_pointer (G_TASK (result), error);

  ibkr_modify_order_finish_free (id);
  return id != NULL;
}

/* Cancel. */

static void
cancel_step (GTask    *task,
             JsonNode *node,
             GError   *error)
{
  Job *j = g_task_get_task_data (task);

  if (j->stage++ == 0)
    {
      if (node == NULL)
        {
          _ea_ibkr_job_fail (task, error);
          return;
        }
      json_node_unref (node);
      _ea_ibkr_job_sync (task);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
ibkr_cancel_order_async (EaBroker            *broker,
                         const char          *broker_order_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  EaIbkrBroker *self = EA_IBKR_BROKER (broker);
  Job *j;
  GTask *task = _ea_ibkr_job_new (self, cancellable, callback, user_data, cancel_step, &j);
  GError *error = NULL;
  g_autofree char *path = NULL;
  EaIbkrOrder *o;
  g_autoptr(EaOrderData) d = NULL;

  j->urgent = TRUE;
  if (!_ea_ibkr_job_start_checked (task, FALSE))
    return;
  if ((o = _ea_ibkr_find_order (self, broker_order_id, &error)) == NULL)
    {
      _ea_ibkr_job_fail (task, error);
      return;
    }
  d = _ea_ibkr_order_complete (o) ? _ea_ibkr_order_to_data (self, o) : NULL;
  if (d != NULL && ea_order_state_is_terminal (d->state))
    {
      _ea_ibkr_job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED, "Order %s is already %s",
                                   broker_order_id, ea_order_state_to_string (d->state)));
      return;
    }
  path = g_strdup_printf ("iserver/account/%s/order/%s", o->account ? o->account : self->selected,
                          broker_order_id);
  _ea_ibkr_job_request (task, "DELETE", path, NULL);
}

void
_ea_ibkr_broker_iface_orders (EaBrokerInterface *iface)
{
  iface->subscribe_quotes_async = ibkr_subscribe_quotes_async;
  iface->subscribe_quotes_finish = _ea_ibkr_boolean_finish;
  iface->unsubscribe_quotes_async = ibkr_unsubscribe_quotes_async;
  iface->unsubscribe_quotes_finish = _ea_ibkr_boolean_finish;
  iface->place_order_async = ibkr_place_order_async;
  iface->place_order_finish = ibkr_place_order_finish;
  iface->modify_order_async = ibkr_modify_order_async;
  iface->modify_order_finish = ibkr_modify_order_finish;
  iface->cancel_order_async = ibkr_cancel_order_async;
  iface->cancel_order_finish = _ea_ibkr_boolean_finish;
  iface->cancel_all_async = _ea_ibkr_cancel_all_async;
  iface->cancel_all_finish = _ea_ibkr_boolean_finish;
  iface->flatten_async = _ea_ibkr_flatten_async;
  iface->flatten_finish = _ea_ibkr_boolean_finish;
  iface->snapshot_async = _ea_ibkr_snapshot_async;
  iface->snapshot_finish = _ea_ibkr_snapshot_finish;
}
