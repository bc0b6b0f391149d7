/* ea-ibkr-broker-orders.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The IBKR adapter's trading side: contracts (trsrv/futures cross-checked
 * with the core's calendar), quotes (snapshot pre-flight, smd), orders with
 * the question/reply loop, brackets, modify, cancel, cancel-all and
 * flatten with confirmation by re-query, the sor/str/spl streams, and
 * reconciliation.
 */
#define G_LOG_DOMAIN "ea-ibkr-broker"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-ibkr-broker-private.h"

#define MAX_QUESTIONS 20

/* Contracts. */

void
_ea_ibkr_contract_free (IbContract *c)
{
  g_free (c->symbol);
  g_free (c);
}

IbContract *
_ea_ibkr_contract_by_conid (EaIbkrBroker *self,
                            gint64        conid)
{
  return g_hash_table_lookup (self->by_conid, &conid);
}

static guint32
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_get_year (now) * 10000 + g_date_time_get_month (now) * 100 +
         g_date_time_get_day_of_month (now);
}

static char *
order_key (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

/* Records of the streams. */

static EaOrderData *
order_to_data (EaIbkrBroker      *self,
               const EaIbkrOrder *o)
{
  IbContract *c = _ea_ibkr_contract_by_conid (self, o->conid);
  EaOrderData *d = g_new0 (EaOrderData, 1);
  double tick = c ? c->spec->tick_size : 0;

  d->account = g_strdup (o->account);
  d->symbol = g_strdup (c ? c->symbol : o->ticker);
  d->broker_order_id = order_key (o->order_id);
  d->client_order_id = g_strdup (o->order_ref ? o->order_ref : d->broker_order_id);
  if (o->parent_id)
    d->parent_order_id = order_key (o->parent_id);
  d->side = o->side;
  if (!ea_ibkr_order_type_parse (o->order_type, &d->type))
    d->type = EA_ORDER_TYPE_MARKET;
  d->tif = g_strcmp0 (o->tif, "GTC") == 0 ? EA_TIME_IN_FORCE_GTC : EA_TIME_IN_FORCE_DAY;
  d->state = ea_ibkr_status_to_state (o->status, o->filled);
  d->qty = o->total;
  d->filled_qty = o->filled;
  if (tick > 0)
    {
      EaTicks price = o->price > 0 ? ea_instrument_price_to_ticks (c->spec, o->price) : 0;
      EaTicks aux = o->aux_price > 0 ? ea_instrument_price_to_ticks (c->spec, o->aux_price) : 0;

      switch (d->type)
        {
        case EA_ORDER_TYPE_LIMIT:
          d->limit_price = price;
          break;
        case EA_ORDER_TYPE_STOP:
          d->stop_price = price;
          break;
        case EA_ORDER_TYPE_STOP_LIMIT:
          d->limit_price = price;
          d->stop_price = aux;
          break;
        case EA_ORDER_TYPE_MARKET:
        default:
          break;
        }
      if (o->filled > 0)
        d->avg_fill_price = o->avg_price / tick;
    }
  if (d->state == EA_ORDER_STATE_REJECTED)
    d->reason = g_strdup ("rejected by IBKR");
  d->updated = g_get_real_time ();
  return d;
}

static gboolean
order_complete (const EaIbkrOrder *o)
{
  guint need = EA_IBKR_ORDER_CONID | EA_IBKR_ORDER_SIDE | EA_IBKR_ORDER_STATUS | EA_IBKR_ORDER_TOTAL;

  return (o->present & need) == need;
}

/* Merges @update into the table; emits the order when it is known well
 * enough and anything changed. */
static void
merge_order (EaIbkrBroker      *self,
             const EaIbkrOrder *update)
{
  g_autofree char *key = order_key (update->order_id);
  EaIbkrOrder *o = g_hash_table_lookup (self->orders, key);

  if (o == NULL)
    {
      o = g_new0 (EaIbkrOrder, 1);
      g_hash_table_insert (self->orders, g_steal_pointer (&key), o);
    }
  ea_ibkr_order_merge (o, update);
  if (order_complete (o))
    {
      g_autoptr(EaOrderData) d = order_to_data (self, o);

      ea_broker_emit_order_updated (EA_BROKER (self), d);
    }
}

void
_ea_ibkr_handle_sor (EaIbkrBroker *self,
                     JsonObject   *message)
{
  JsonArray *args = ea_json_get_array (message, "args");

  if (args == NULL)
    {
      self->dropped++;
      return;
    }
  for (guint i = 0; i < json_array_get_length (args); i++)
    {
      JsonNode *n = json_array_get_element (args, i);
      g_autoptr(GError) error = NULL;
      EaIbkrOrder u;

      if (!JSON_NODE_HOLDS_OBJECT (n) || !ea_ibkr_parse_order (json_node_get_object (n), &u, &error))
        {
          self->dropped++;
          continue;
        }
      merge_order (self, &u);
      ea_ibkr_order_clear (&u);
    }
}

static char *
position_key (const char *account,
              const char *symbol)
{
  return g_strdup_printf ("%s\x1f%s", account ? account : "", symbol ? symbol : "");
}

static EaPositionData *
position_for (EaIbkrBroker *self,
              const char   *account,
              const char   *symbol)
{
  char *key = position_key (account, symbol);
  EaPositionData *p = g_hash_table_lookup (self->positions, key);

  if (p == NULL)
    {
      p = g_new0 (EaPositionData, 1);
      p->account = g_strdup (account);
      p->symbol = g_strdup (symbol);
      g_hash_table_insert (self->positions, key, p);
    }
  else
    g_free (key);
  return p;
}

static void
apply_fill (EaIbkrBroker           *self,
            const EaFillData       *f,
            const EaInstrumentSpec *spec)
{
  EaPositionData *p = position_for (self, f->account, f->symbol);
  gint64 signed_qty = f->side == EA_SIDE_BUY ? f->qty : -f->qty;
  gint64 before = p->qty;
  gint64 after = before + signed_qty;

  if (before == 0 || (before > 0) == (signed_qty > 0))
    p->avg_price = (p->avg_price * llabs (before) + (double) f->price * f->qty) / (double) llabs (after);
  else
    {
      gint64 closed = MIN (llabs (before), f->qty);
      double ticks = (before > 0 ? 1 : -1) * ((double) f->price - p->avg_price);

      p->realized_pnl += (EaMicros) llround (ticks * (double) spec->tick_value * (double) closed);
      if (after == 0)
        p->avg_price = 0;
      else if ((after > 0) != (before > 0))
        p->avg_price = (double) f->price;
    }
  p->qty = after;
  p->time = f->time;
  ea_broker_emit_position_changed (EA_BROKER (self), p);
}

/* A new execution: emitted once; @apply also moves the position. */
static void
take_trade (EaIbkrBroker      *self,
            const EaIbkrTrade *t,
            gboolean           apply,
            EaFillData       **out)
{
  IbContract *c = _ea_ibkr_contract_by_conid (self, t->conid);
  EaFillData f = { 0 };
  g_autofree char *order_id = t->order_id ? order_key (t->order_id) : NULL;

  if (c == NULL || g_hash_table_contains (self->executions, t->execution_id))
    return;
  g_hash_table_add (self->executions, g_strdup (t->execution_id));
  f.account = t->account ? t->account : self->selected;
  f.symbol = c->symbol;
  f.fill_id = t->execution_id;
  f.broker_order_id = order_id;
  f.client_order_id = t->order_ref;
  f.side = t->side;
  f.qty = t->size;
  f.price = ea_instrument_price_to_ticks (c->spec, t->price);
  f.time = t->time_ms * 1000;
  ea_broker_emit_fill (EA_BROKER (self), &f);
  if (apply)
    apply_fill (self, &f, c->spec);
  if (out)
    *out = ea_fill_data_copy (&f);
}

void
_ea_ibkr_handle_str (EaIbkrBroker *self,
                     JsonObject   *message)
{
  JsonNode *args = json_object_get_member (message, "args");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) trades = args ? ea_ibkr_parse_trades (args, &error) : NULL;

  if (trades == NULL)
    {
      self->dropped++;
      return;
    }
  for (guint i = 0; i < trades->len; i++)
    take_trade (self, trades->pdata[i], TRUE, NULL);
}

void
_ea_ibkr_handle_smd (EaIbkrBroker *self,
                     gint64        conid,
                     JsonObject   *message)
{
  IbContract *c = _ea_ibkr_contract_by_conid (self, conid);
  g_autoptr(GError) error = NULL;
  EaIbkrMarket u;
  EaQuoteData q = { 0 };

  if (c == NULL || !c->subscribed)
    return;
  if (!ea_ibkr_parse_market (message, c->spec, &u, &error))
    {
      self->dropped++;
      return;
    }
#define TAKE(flag, field) if (u.present & flag) c->market.field = u.field;
  TAKE (EA_IBKR_MD_LAST, last);
  TAKE (EA_IBKR_MD_BID, bid);
  TAKE (EA_IBKR_MD_ASK, ask);
  TAKE (EA_IBKR_MD_BID_SIZE, bid_size);
  TAKE (EA_IBKR_MD_ASK_SIZE, ask_size);
  TAKE (EA_IBKR_MD_VOLUME, volume);
#undef TAKE
  if (u.present & EA_IBKR_MD_LAST)
    {
      c->market.prior_close = u.prior_close;
      c->market.halted = u.halted;
    }
  c->market.present |= u.present;
  q.symbol = c->symbol;
  q.time = g_get_real_time ();
  q.bid = c->market.bid;
  q.ask = c->market.ask;
  q.last = c->market.prior_close ? 0 : c->market.last;
  q.bid_size = c->market.bid_size;
  q.ask_size = c->market.ask_size;
  q.last_size = (u.present & EA_IBKR_MD_LAST_SIZE) && !c->market.prior_close ? u.last_size : 0;
  q.volume = c->market.volume;
  ea_broker_emit_quote (EA_BROKER (self), &q);
}

void
_ea_ibkr_handle_spl (EaIbkrBroker *self,
                     JsonObject   *message)
{
  JsonObject *args = ea_json_get_object (message, "args");
  GList *members;

  if (args == NULL)
    {
      self->dropped++;
      return;
    }
  members = json_object_get_members (args);
  for (GList *l = members; l; l = l->next)
    {
      JsonObject *row = ea_json_get_object (args, l->data);
      g_autofree char *name = g_strndup (l->data, strcspn (l->data, "."));
      EaAccountData a = { 0 };
      double dpl = 0, upl = 0;

      if (row == NULL || !ea_json_get_double (row, "dpl", &dpl) || !ea_json_get_double (row, "upl", &upl))
        continue;
      a.name = name;
      a.profile = (char *) "IBKR";
      a.open_pnl = (EaMicros) llround (upl * EA_MICROS_PER_UNIT);
      a.realized_pnl = (EaMicros) llround ((dpl - upl) * EA_MICROS_PER_UNIT);
      a.time = g_get_real_time ();
      ea_broker_emit_account_changed (EA_BROKER (self), &a);
    }
  g_list_free (members);
}

/* Jobs: multi-request operations as small state machines. */

typedef struct _Job Job;
typedef void (*JobStep) (GTask *task, JsonNode *node, GError *error);

struct _Job
{
  JobStep         step;
  guint           stage;
  char           *symbol;
  char           *account;
  IbContract     *contract;
  EaOrderRequest *request;
  JsonNode       *body;         /* what to post after an account switch */
  char           *path;
  char           *order_id;
  char           *question_text;
  guint           rounds;
  gboolean        emergency;    /* questions are confirmed without asking */
  GPtrArray      *ids;          /* char *: orders to cancel, accounts to flatten */
  guint           index;
  GPtrArray      *positions;    /* EaIbkrPosition */
  EaSnapshotData *snapshot;
  GError         *first_error;
  guint           seq;
};

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

static GTask *
job_new (EaIbkrBroker        *self,
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

static void
job_request (GTask      *task,
             const char *method,
             const char *path,
             JsonNode   *body)
{
  _ea_ibkr_request (g_task_get_source_object (task), method, path, body, g_task_get_cancellable (task),
                    job_cb, task);
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

static void
job_sync (GTask *task)
{
  ea_ibkr_broker_sync_async (g_task_get_source_object (task), NULL, job_sync_cb, task);
}

static void
job_fail (GTask  *task,
          GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

static gboolean
job_start_checked (GTask    *task,
                   gboolean  trading)
{
  GError *error = NULL;

  if (!_ea_ibkr_check_ready (g_task_get_source_object (task), g_task_get_cancellable (task), trading, &error))
    {
      job_fail (task, error);
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
      if (!ea_contract_front (spec, today (), k))
        {
          g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND, "No front month for %s", symbol);
          return FALSE;
        }
      return TRUE;
    }
  if (!ea_contract_parse (symbol, EA_SYMBOLOGY_IBKR, today (), k, NULL))
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND, "Unknown symbol \"%s\"", symbol);
      return FALSE;
    }
  return TRUE;
}

static void
resolve_async (EaIbkrBroker        *self,
               const char          *symbol,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  Job *j;
  GTask *task = job_new (self, cancellable, callback, user_data, resolve_step, &j);
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
      job_fail (task, error ? error : g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                                                           "No symbol"));
      return;
    }
  j->symbol = g_strdup (symbol);
  path = g_strdup_printf ("trsrv/futures?symbols=%s", k.spec->root);
  job_request (task, "GET", path, NULL);
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
      job_fail (task, error);
      return;
    }
  parse_symbol (j->symbol, &k, NULL);
  futures = ea_ibkr_parse_futures (node, k.spec->root, &error);
  json_node_unref (node);
  if (futures == NULL)
    {
      job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED, "%s", error->message));
      g_error_free (error);
      return;
    }
  ltd = ea_contract_last_trade_day (&k);
  name = ea_contract_format (&k, EA_SYMBOLOGY_IBKR);
  conid = ea_ibkr_futures_find (futures, ltd, 7);
  if (conid == 0)
    {
      job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                                   "The gateway lists no %s contract expiring near %u (%s by the calendar)",
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
      job_fail (task, error);
      return;
    }
  path = g_strdup_printf ("iserver/marketdata/snapshot?conids=%" G_GINT64_FORMAT "&fields=31,84,86,88,85,7059,7762,6509",
                          j->contract->conid);
  job_request (task, "GET", path, NULL);
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
          job_fail (task, error);
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
      job_sync (task);
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
  GTask *task = job_new (self, cancellable, callback, user_data, subscribe_step, &j);

  if (!job_start_checked (task, FALSE))
    return;
  resolve_async (self, symbol, cancellable, subscribe_resolved_cb, task);
}

static gboolean
ibkr_boolean_finish (EaBroker      *broker,
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

  job_request (task, "POST", path,
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
          job_fail (task, error);
          return;
        }
      g_free (self->selected);
      self->selected = g_strdup (j->account);
      j->stage = 1;
      job_request (task, "POST", j->path, g_steal_pointer (&j->body));
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
      job_fail (task, error);
      return;
    }
  if (!ea_ibkr_parse_order_reply (node, &reply, &error))
    {
      job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME,
                                   "%s: the order may have been placed", error->message));
      g_error_free (error);
      return;
    }
  switch (reply.kind)
    {
    case EA_IBKR_REPLY_ERROR:
      job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED, "Rejected by IBKR: %s",
                                   reply.message));
      break;
    case EA_IBKR_REPLY_ACK:
      g_free (j->order_id);
      j->order_id = g_strdup (reply.order_ids->pdata[0]);
      j->stage = 2;
      job_sync (task);
      break;
    case EA_IBKR_REPLY_QUESTION:
      if (++j->rounds > MAX_QUESTIONS)
        {
          job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                                       "The gateway asked more than %d questions: giving up (last: %s)",
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
      job_fail (task, g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED, "Unexpected reply"));
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

      _ea_ibkr_request (self, "POST", path,
                        _ea_ibkr_json_object_node ("confirmed", json_node_init_boolean (json_node_alloc (), FALSE),
                                                   NULL),
                        self->cancellable, NULL, NULL);
      job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                                   "Declined: %s", j->question_text ? j->question_text : "question"));
    }
  g_free (key);
  return TRUE;
}

void
_ea_ibkr_fail_questions (EaIbkrBroker *self)
{
  GHashTableIter it;
  gpointer task;

  g_hash_table_iter_init (&it, self->questions);
  while (g_hash_table_iter_next (&it, NULL, &task))
    {
      g_hash_table_iter_steal (&it);
      job_fail (task, g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED,
                                           "The connection ended while a question was open: not placed"));
    }
  g_hash_table_remove_all (self->questions);
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
      job_request (task, "POST", "iserver/account",
                   _ea_ibkr_json_object_node ("acctId", json_node_init_string (json_node_alloc (), account), NULL));
      return;
    }
  j->stage = 1;
  job_request (task, "POST", path, body);
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
    g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT, "Invalid order: %s", problem);
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
      job_fail (task, error);
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
      job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND, "No account %s", account));
      return;
    }
  path = g_strdup_printf ("iserver/account/%s/orders", account);
  order_send (task, account, path, ea_ibkr_build_orders (specs, n));
}

static void
place_async (EaIbkrBroker         *self,
             const EaOrderRequest *request,
             gboolean              emergency,
             GCancellable         *cancellable,
             GAsyncReadyCallback   callback,
             gpointer              user_data)
{
  Job *j;
  GTask *task = job_new (self, cancellable, callback, user_data, order_step, &j);
  GError *error = NULL;

  if (!job_start_checked (task, TRUE))
    return;
  if (!validate_request (request, &error))
    {
      job_fail (task, error);
      return;
    }
  j->request = ea_order_request_copy (request);
  j->emergency = emergency;
  resolve_async (self, request->symbol, cancellable, place_resolved_cb, task);
}

static void
ibkr_place_order_async (EaBroker             *broker,
                        const EaOrderRequest *request,
                        GCancellable         *cancellable,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data)
{
  place_async (EA_IBKR_BROKER (broker), request, FALSE, cancellable, callback, user_data);
}

static char *
ibkr_place_order_finish (EaBroker      *broker,
                         GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static EaIbkrOrder *
find_order (EaIbkrBroker *self,
            const char   *id,
            GError      **error)
{
  gint64 n;
  EaIbkrOrder *o = NULL;

  if (id != NULL && ea_parse_int64 (id, &n))
    {
      g_autofree char *key = order_key (n);

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
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  EaIbkrBroker *self = EA_IBKR_BROKER (broker);
  Job *j;
  GTask *task = job_new (self, cancellable, callback, user_data, modify_done_step, &j);
  GError *error = NULL;
  EaIbkrOrder *o;
  IbContract *c;
  EaOrderType type;
  JsonObject *body;
  JsonNode *node;
  g_autofree char *path = NULL;
  EaTicks limit, stop;
  g_autoptr(EaOrderData) d = NULL;

  if (!job_start_checked (task, TRUE))
    return;
  if ((o = find_order (self, broker_order_id, &error)) == NULL)
    {
      job_fail (task, error);
      return;
    }
  c = _ea_ibkr_contract_by_conid (self, o->conid);
  d = order_to_data (self, o);
  if (c == NULL || !ea_ibkr_order_type_parse (o->order_type, &type))
    {
      job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                                   "Order %s cannot be modified from here", broker_order_id));
      return;
    }
  if (ea_order_state_is_terminal (d->state) || qty < 0 || limit_price < 0 || stop_price < 0)
    {
      job_fail (task, g_error_new (EA_BROKER_ERROR,
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
          job_fail (task, error);
          return;
        }
      json_node_unref (node);
      job_sync (task);
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
  GTask *task = job_new (self, cancellable, callback, user_data, cancel_step, &j);
  GError *error = NULL;
  g_autofree char *path = NULL;
  EaIbkrOrder *o;
  g_autoptr(EaOrderData) d = NULL;

  if (!job_start_checked (task, FALSE))
    return;
  if ((o = find_order (self, broker_order_id, &error)) == NULL)
    {
      job_fail (task, error);
      return;
    }
  d = order_complete (o) ? order_to_data (self, o) : NULL;
  if (d != NULL && ea_order_state_is_terminal (d->state))
    {
      job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED, "Order %s is already %s",
                                   broker_order_id, ea_order_state_to_string (d->state)));
      return;
    }
  path = g_strdup_printf ("iserver/account/%s/order/%s", o->account ? o->account : self->selected,
                          broker_order_id);
  job_request (task, "DELETE", path, NULL);
}

/* Fetches the live orders, making the pre-flight call first when this
 * session has not listed orders yet (its first reply can be empty). */

static void
orders_step (GTask    *task,
             JsonNode *node,
             GError   *error)
{
  EaIbkrBroker *self = g_task_get_source_object (task);
  GPtrArray *orders;

  if (node == NULL)
    {
      job_fail (task, error);
      return;
    }
  if (!self->orders_primed)
    {
      self->orders_primed = TRUE;
      json_node_unref (node);
      job_request (task, "GET", "iserver/account/orders?force=true", NULL);
      return;
    }
  orders = ea_ibkr_parse_orders (node, &error);
  json_node_unref (node);
  if (orders == NULL)
    {
      job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED, "%s", error->message));
      g_error_free (error);
      return;
    }
  g_task_return_pointer (task, orders, (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
fetch_orders_async (EaIbkrBroker        *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  Job *j;
  GTask *task = job_new (self, cancellable, callback, user_data, orders_step, &j);

  job_request (task, "GET", "iserver/account/orders?force=true", NULL);
}

static GPtrArray *
fetch_finish (GAsyncResult  *result,
              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
order_matches (EaIbkrBroker      *self,
               const EaIbkrOrder *o,
               const char        *account,
               const char        *symbol)
{
  IbContract *c = _ea_ibkr_contract_by_conid (self, o->conid);

  if (account && g_strcmp0 (o->account, account) != 0)
    return FALSE;
  if (symbol && (c == NULL || g_strcmp0 (c->symbol, symbol) != 0))
    return FALSE;
  return TRUE;
}

static gboolean
order_live (const EaIbkrOrder *o)
{
  EaOrderState s = ea_ibkr_status_to_state (o->status, o->filled);

  return order_complete (o) && !ea_order_state_is_terminal (s);
}

/* Cancel-all: cancel each working order, then verify by re-query. */

static void cancel_all_step (GTask *task, JsonNode *node, GError *error);

static void
cancel_all_verified_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GTask *task = user_data;
  EaIbkrBroker *self = EA_IBKR_BROKER (source);
  Job *j = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GPtrArray) orders = fetch_finish (result, &error);
  guint live = 0;

  if (orders == NULL)
    {
      job_fail (task, error);
      return;
    }
  for (guint i = 0; i < orders->len; i++)
    {
      EaIbkrOrder *o = orders->pdata[i];

      merge_order (self, o);
      if (order_matches (self, o, j->account, j->symbol) && order_live (o))
        live++;
    }
  if (live > 0)
    job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                                 "%u order(s) still working after cancelling all%s%s", live,
                                 j->first_error ? ": " : "", j->first_error ? j->first_error->message : ""));
  else
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

static void
cancel_all_step (GTask    *task,
                 JsonNode *node,
                 GError   *error)
{
  EaIbkrBroker *self = g_task_get_source_object (task);
  Job *j = g_task_get_task_data (task);

  if (node)
    json_node_unref (node);
  if (error != NULL)
    {
      /* An order that finished meanwhile is fine; remember anything else. */
      if (j->first_error == NULL && !g_error_matches (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND) &&
          !g_error_matches (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED))
        j->first_error = g_error_copy (error);
      if (g_error_matches (error, EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED) ||
          g_error_matches (error, EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED))
        {
          job_fail (task, error);
          return;
        }
      g_error_free (error);
    }
  if (j->index < j->ids->len)
    {
      const char *id = j->ids->pdata[j->index++];
      EaIbkrOrder *o = find_order (self, id, NULL);
      g_autofree char *path = g_strdup_printf ("iserver/account/%s/order/%s",
                                               o && o->account ? o->account : self->selected, id);

      job_request (task, "DELETE", path, NULL);
      return;
    }
  if (j->stage++ == 0)
    {
      job_sync (task);
      return;
    }
  fetch_orders_async (self, g_task_get_cancellable (task), cancel_all_verified_cb, task);
}

static void
ibkr_cancel_all_async (EaBroker            *broker,
                       const char          *account,
                       const char          *symbol,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  EaIbkrBroker *self = EA_IBKR_BROKER (broker);
  Job *j;
  GTask *task = job_new (self, cancellable, callback, user_data, cancel_all_step, &j);
  GHashTableIter it;
  EaIbkrOrder *o;

  if (!job_start_checked (task, FALSE))
    return;
  j->account = g_strdup (account);
  j->symbol = g_strdup (symbol);
  j->ids = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&it, self->orders);
  while (g_hash_table_iter_next (&it, NULL, (gpointer *) &o))
    if (order_live (o) && order_matches (self, o, account, symbol))
      g_ptr_array_add (j->ids, order_key (o->order_id));
  cancel_all_step (task, NULL, NULL);
}

/* Positions of @account (invalidated first). */

static void
positions_step (GTask    *task,
                JsonNode *node,
                GError   *error)
{
  Job *j = g_task_get_task_data (task);
  GPtrArray *positions;

  if (node == NULL)
    {
      job_fail (task, error);
      return;
    }
  if (j->stage++ == 0)
    {
      g_autofree char *path = g_strdup_printf ("portfolio/%s/positions/0", j->account);

      json_node_unref (node);
      job_request (task, "GET", path, NULL);
      return;
    }
  positions = ea_ibkr_parse_positions (node, &error);
  json_node_unref (node);
  if (positions == NULL)
    {
      job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED, "%s", error->message));
      g_error_free (error);
      return;
    }
  g_task_return_pointer (task, positions, (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
fetch_positions_async (EaIbkrBroker        *self,
                       const char          *account,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  Job *j;
  GTask *task = job_new (self, cancellable, callback, user_data, positions_step, &j);
  g_autofree char *path = g_strdup_printf ("portfolio/%s/positions/invalidate", account);

  j->account = g_strdup (account);
  job_request (task, "POST", path, NULL);
}

/* Sets the tracked positions of @account to the gateway's, emitting the
 * ones that differ. */
static void
sync_positions (EaIbkrBroker *self,
                const char   *account,
                GPtrArray    *positions)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter it;
  EaPositionData *p;

  for (guint i = 0; i < positions->len; i++)
    {
      EaIbkrPosition *g = positions->pdata[i];
      IbContract *c = _ea_ibkr_contract_by_conid (self, g->conid);
      const char *symbol = c ? c->symbol : g->ticker;
      double avg = c ? g->avg_price / c->spec->tick_size : 0;

      if (symbol == NULL)
        continue;
      p = position_for (self, account, symbol);
      g_hash_table_add (seen, p);
      if (p->qty != g->position || fabs (p->avg_price - avg) > 1e-6)
        {
          p->qty = g->position;
          p->avg_price = avg;
          p->open_pnl = (EaMicros) llround (g->unrealized_pnl * EA_MICROS_PER_UNIT);
          p->time = g_get_real_time ();
          ea_broker_emit_position_changed (EA_BROKER (self), p);
        }
    }
  g_hash_table_iter_init (&it, self->positions);
  while (g_hash_table_iter_next (&it, NULL, (gpointer *) &p))
    if (g_strcmp0 (p->account, account) == 0 && !g_hash_table_contains (seen, p) && p->qty != 0)
      {
        p->qty = 0;
        p->avg_price = 0;
        p->time = g_get_real_time ();
        ea_broker_emit_position_changed (EA_BROKER (self), p);
      }
}

/* Flatten: per account, cancel-all, then close each position at market,
 * then confirm flat by re-query. Stages per account:
 * 0 cancel-all, 1 positions, 2 closers placed (next), 3 synced, 4 re-query. */

static void flatten_next (GTask *task);

static void
flatten_sub_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  EaIbkrBroker *self = EA_IBKR_BROKER (source);
  Job *j = g_task_get_task_data (task);
  GError *error = NULL;

  switch (j->stage)
    {
    case 0:
      if (!g_task_propagate_boolean (G_TASK (result), &error))
        {
          job_fail (task, error);
          return;
        }
      j->stage = 1;
      fetch_positions_async (self, j->ids->pdata[j->index], g_task_get_cancellable (task), flatten_sub_cb, task);
      return;
    case 1:
      g_clear_pointer (&j->positions, g_ptr_array_unref);
      j->positions = fetch_finish (result, &error);
      if (j->positions == NULL)
        {
          job_fail (task, error);
          return;
        }
      j->stage = 2;
      j->seq = 0;
      break;
    case 2:
      {
        g_autofree char *id = g_task_propagate_pointer (G_TASK (result), &error);

        if (id == NULL)
          {
            job_fail (task, error);
            return;
          }
      }
      break;
    case 4:
      {
        g_autoptr(GPtrArray) positions = fetch_finish (result, &error);
        guint open = 0;

        if (positions == NULL)
          {
            job_fail (task, error);
            return;
          }
        sync_positions (self, j->ids->pdata[j->index], positions);
        for (guint i = 0; i < positions->len; i++)
          {
            EaIbkrPosition *p = positions->pdata[i];
            IbContract *c = _ea_ibkr_contract_by_conid (self, p->conid);

            if (p->position != 0 && (j->symbol == NULL || (c && g_strcmp0 (c->symbol, j->symbol) == 0)))
              open++;
          }
        if (open > 0)
          {
            job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                                         "Not flat: %u position(s) of %s still open after the closing orders",
                                         open, (char *) j->ids->pdata[j->index]));
            return;
          }
        j->index++;
        j->stage = 0;
      }
      break;
    default:
      break;
    }
  flatten_next (task);
}

static void
flatten_synced_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Job *j = g_task_get_task_data (task);

  ea_ibkr_broker_sync_finish (EA_IBKR_BROKER (source), result, NULL);
  j->stage = 4;
  fetch_positions_async (EA_IBKR_BROKER (source), j->ids->pdata[j->index], g_task_get_cancellable (task),
                         flatten_sub_cb, task);
}

static void
flatten_next (GTask *task)
{
  EaIbkrBroker *self = g_task_get_source_object (task);
  Job *j = g_task_get_task_data (task);

  if (j->index >= j->ids->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (j->stage == 0)
    {
      ea_broker_cancel_all_async (EA_BROKER (self), j->ids->pdata[j->index], j->symbol,
                                  g_task_get_cancellable (task), flatten_sub_cb, task);
      return;
    }
  /* Stage 2: the next position to close. */
  while (j->seq < j->positions->len)
    {
      EaIbkrPosition *p = j->positions->pdata[j->seq++];
      IbContract *c = _ea_ibkr_contract_by_conid (self, p->conid);
      g_autoptr(EaOrderRequest) r = NULL;
      g_autofree char *cid = NULL;

      if (p->position == 0 || c == NULL || (j->symbol && g_strcmp0 (c->symbol, j->symbol) != 0))
        continue;
      cid = g_strdup_printf ("flat-%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, p->conid, g_get_real_time ());
      r = ea_order_request_new (j->ids->pdata[j->index], c->symbol, cid,
                                p->position > 0 ? EA_SIDE_SELL : EA_SIDE_BUY, EA_ORDER_TYPE_MARKET,
                                llabs (p->position));
      place_async (self, r, TRUE, g_task_get_cancellable (task), flatten_sub_cb, task);
      return;
    }
  j->stage = 3;
  ea_ibkr_broker_sync_async (self, NULL, flatten_synced_cb, task);
}

static void
ibkr_flatten_async (EaBroker            *broker,
                    const char          *account,
                    const char          *symbol,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  EaIbkrBroker *self = EA_IBKR_BROKER (broker);
  Job *j;
  GTask *task = job_new (self, cancellable, callback, user_data, NULL, &j);

  if (!job_start_checked (task, FALSE))
    return;
  j->symbol = g_strdup (symbol);
  j->ids = g_ptr_array_new_with_free_func (g_free);
  if (account)
    g_ptr_array_add (j->ids, g_strdup (account));
  else
    for (guint i = 0; self->accounts && self->accounts[i]; i++)
      g_ptr_array_add (j->ids, g_strdup (self->accounts[i]));
  flatten_next (task);
}

/* Snapshot and reconciliation: orders, executions, then positions of each
 * account. @emit: merge into the adapter's state and emit what changed. */

static void snapshot_next (GTask *task);

static void
snapshot_sub_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  EaIbkrBroker *self = EA_IBKR_BROKER (source);
  Job *j = g_task_get_task_data (task);
  gboolean emit = j->emergency;
  GError *error = NULL;

  if (j->stage == 0)
    {
      g_autoptr(GPtrArray) orders = fetch_finish (result, &error);

      if (orders == NULL)
        {
          job_fail (task, error);
          return;
        }
      for (guint i = 0; i < orders->len; i++)
        {
          EaIbkrOrder *o = orders->pdata[i];

          if (emit)
            merge_order (self, o);
          if (order_complete (o) && (j->account == NULL || g_strcmp0 (o->account, j->account) == 0))
            g_ptr_array_add (j->snapshot->orders, order_to_data (self, o));
        }
      j->stage = 1;
      job_request (task, "GET", "iserver/account/trades", NULL);
      return;
    }
  {
    g_autoptr(GPtrArray) positions = fetch_finish (result, &error);

    if (positions == NULL)
      {
        job_fail (task, error);
        return;
      }
    if (emit)
      sync_positions (self, j->ids->pdata[j->index], positions);
    for (guint i = 0; i < positions->len; i++)
      {
        EaIbkrPosition *g = positions->pdata[i];
        IbContract *c = _ea_ibkr_contract_by_conid (self, g->conid);
        EaPositionData *p = g_new0 (EaPositionData, 1);

        p->account = g_strdup (j->ids->pdata[j->index]);
        p->symbol = g_strdup (c ? c->symbol : g->ticker);
        p->qty = g->position;
        p->avg_price = c ? g->avg_price / c->spec->tick_size : 0;
        p->realized_pnl = (EaMicros) llround (g->realized_pnl * EA_MICROS_PER_UNIT);
        p->open_pnl = (EaMicros) llround (g->unrealized_pnl * EA_MICROS_PER_UNIT);
        p->time = j->snapshot->time;
        g_ptr_array_add (j->snapshot->positions, p);
      }
    j->index++;
    snapshot_next (task);
  }
}

static void
snapshot_step (GTask    *task,
               JsonNode *node,
               GError   *error)
{
  EaIbkrBroker *self = g_task_get_source_object (task);
  Job *j = g_task_get_task_data (task);
  g_autoptr(GPtrArray) trades = NULL;

  if (node == NULL)
    {
      job_fail (task, error);
      return;
    }
  trades = ea_ibkr_parse_trades (node, &error);
  json_node_unref (node);
  if (trades == NULL)
    {
      job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED, "%s", error->message));
      g_error_free (error);
      return;
    }
  for (guint i = 0; i < trades->len; i++)
    {
      EaIbkrTrade *t = trades->pdata[i];
      IbContract *c = _ea_ibkr_contract_by_conid (self, t->conid);
      EaFillData *f;

      if (c == NULL || (j->account && g_strcmp0 (t->account, j->account) != 0))
        continue;
      if (j->emergency)
        take_trade (self, t, FALSE, NULL);
      f = g_new0 (EaFillData, 1);
      f->account = g_strdup (t->account);
      f->symbol = g_strdup (c->symbol);
      f->fill_id = g_strdup (t->execution_id);
      f->broker_order_id = t->order_id ? order_key (t->order_id) : NULL;
      f->client_order_id = g_strdup (t->order_ref);
      f->side = t->side;
      f->qty = t->size;
      f->price = ea_instrument_price_to_ticks (c->spec, t->price);
      f->time = t->time_ms * 1000;
      g_ptr_array_add (j->snapshot->fills, f);
    }
  j->stage = 2;
  snapshot_next (task);
}

static void
snapshot_next (GTask *task)
{
  EaIbkrBroker *self = g_task_get_source_object (task);
  Job *j = g_task_get_task_data (task);

  if (j->index < j->ids->len)
    {
      fetch_positions_async (self, j->ids->pdata[j->index], g_task_get_cancellable (task), snapshot_sub_cb, task);
      return;
    }
  for (guint i = 0; self->accounts && self->accounts[i]; i++)
    if (j->account == NULL || g_str_equal (j->account, self->accounts[i]))
      {
        EaAccountData *a = g_new0 (EaAccountData, 1);

        a->name = g_strdup (self->accounts[i]);
        a->profile = g_strdup ("IBKR");
        a->time = j->snapshot->time;
        g_ptr_array_add (j->snapshot->accounts, a);
      }
  g_task_return_pointer (task, g_steal_pointer (&j->snapshot), (GDestroyNotify) ea_snapshot_data_free);
  g_object_unref (task);
}

static void
snapshot_start (EaIbkrBroker        *self,
                const char          *account,
                gboolean             emit,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  Job *j;
  GTask *task = job_new (self, cancellable, callback, user_data, snapshot_step, &j);

  if (g_cancellable_is_cancelled (cancellable))
    {
      job_fail (task, g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED, "Cancelled"));
      return;
    }
  if (account && (self->accounts == NULL || !g_strv_contains ((const char *const *) self->accounts, account)))
    {
      job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND, "No account %s", account));
      return;
    }
  j->account = g_strdup (account);
  j->emergency = emit;
  j->snapshot = ea_snapshot_data_new (g_get_real_time ());
  j->ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; self->accounts && self->accounts[i]; i++)
    if (account == NULL || g_str_equal (account, self->accounts[i]))
      g_ptr_array_add (j->ids, g_strdup (self->accounts[i]));
  fetch_orders_async (self, cancellable, snapshot_sub_cb, task);
}

static void
ibkr_snapshot_async (EaBroker            *broker,
                     const char          *account,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  EaIbkrBroker *self = EA_IBKR_BROKER (broker);
  GError *error = NULL;

  if (!_ea_ibkr_check_ready (self, cancellable, FALSE, &error))
    {
      GTask *task = g_task_new (self, cancellable, callback, user_data);

      job_fail (task, error);
      return;
    }
  snapshot_start (self, account, FALSE, cancellable, callback, user_data);
}

static EaSnapshotData *
ibkr_snapshot_finish (EaBroker      *broker,
                      GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
reconciled_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  EaSnapshotData *s = g_task_propagate_pointer (G_TASK (result), &error);

  if (s == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  ea_snapshot_data_free (s);
  g_task_return_boolean (task, TRUE);
}

void
_ea_ibkr_reconcile_async (EaIbkrBroker        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  snapshot_start (self, NULL, TRUE, cancellable, reconciled_cb, task);
}

gboolean
_ea_ibkr_reconcile_finish (EaIbkrBroker  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
_ea_ibkr_broker_iface_orders (EaBrokerInterface *iface)
{
  iface->subscribe_quotes_async = ibkr_subscribe_quotes_async;
  iface->subscribe_quotes_finish = ibkr_boolean_finish;
  iface->unsubscribe_quotes_async = ibkr_unsubscribe_quotes_async;
  iface->unsubscribe_quotes_finish = ibkr_boolean_finish;
  iface->place_order_async = ibkr_place_order_async;
  iface->place_order_finish = ibkr_place_order_finish;
  iface->modify_order_async = ibkr_modify_order_async;
  iface->modify_order_finish = ibkr_modify_order_finish;
  iface->cancel_order_async = ibkr_cancel_order_async;
  iface->cancel_order_finish = ibkr_boolean_finish;
  iface->cancel_all_async = ibkr_cancel_all_async;
  iface->cancel_all_finish = ibkr_boolean_finish;
  iface->flatten_async = ibkr_flatten_async;
  iface->flatten_finish = ibkr_boolean_finish;
  iface->snapshot_async = ibkr_snapshot_async;
  iface->snapshot_finish = ibkr_snapshot_finish;
}
