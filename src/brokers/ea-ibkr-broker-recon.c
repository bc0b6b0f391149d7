/* ea-ibkr-broker-recon.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The IBKR adapter's bulk operations: live orders with the pre-flight,
 * cancel-all and flatten confirmed by re-query (the emergency stop),
 * snapshot and reconciliation.
 */
#define G_LOG_DOMAIN "ea-ibkr-broker"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#include "ea-ibkr-broker-private.h"

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
      _ea_ibkr_job_fail (task, error);
      return;
    }
  if (!self->orders_primed)
    {
      self->orders_primed = TRUE;
      json_node_unref (node);
      _ea_ibkr_job_request (task, "GET", "iserver/account/orders?force=true", NULL);
      return;
    }
  orders = ea_ibkr_parse_orders (node, &error);
  json_node_unref (node);
  if (orders == NULL)
    {
      _ea_ibkr_job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED, "%s", error->message));
      g_error_free (error);
      return;
    }
  g_task_return_pointer (task, orders, (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
fetch_orders_async (EaIbkrBroker        *self,
                    gboolean             urgent,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  Job *j;
  GTask *task = _ea_ibkr_job_new (self, cancellable, callback, user_data, orders_step, &j);

  j->urgent = urgent;
  _ea_ibkr_job_request (task, "GET", "iserver/account/orders?force=true", NULL);
}

GPtrArray *
_ea_ibkr_fetch_finish (GAsyncResult  *result,
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

  return _ea_ibkr_order_complete (o) && !ea_order_state_is_terminal (s);
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
  g_autoptr(GPtrArray) orders = _ea_ibkr_fetch_finish (result, &error);
  guint live = 0;

  if (orders == NULL)
    {
      _ea_ibkr_job_fail (task, error);
      return;
    }
  for (guint i = 0; i < orders->len; i++)
    {
      EaIbkrOrder *o = orders->pdata[i];

      _ea_ibkr_merge_order (self, o);
      if (order_matches (self, o, j->account, j->symbol) && order_live (o))
        live++;
    }
  if (live > 0)
    _ea_ibkr_job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                                 _("%u order(s) still working after cancelling all%s%s"), live,
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
          _ea_ibkr_job_fail (task, error);
          return;
        }
      g_error_free (error);
    }
  if (j->index < j->ids->len)
    {
      const char *id = j->ids->pdata[j->index++];
      EaIbkrOrder *o = _ea_ibkr_find_order (self, id, NULL);
      g_autofree char *path = g_strdup_printf ("iserver/account/%s/order/%s",
                                               o && o->account ? o->account : self->selected, id);

      _ea_ibkr_job_request (task, "DELETE", path, NULL);
      return;
    }
  if (j->stage++ == 0)
    {
      _ea_ibkr_job_sync (task);
      return;
    }
  fetch_orders_async (self, TRUE, g_task_get_cancellable (task), cancel_all_verified_cb, task);
}

void
_ea_ibkr_cancel_all_async (EaBroker            *broker,
                       const char          *account,
                       const char          *symbol,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  EaIbkrBroker *self = EA_IBKR_BROKER (broker);
  Job *j;
  GTask *task = _ea_ibkr_job_new (self, cancellable, callback, user_data, cancel_all_step, &j);
  GHashTableIter it;
  EaIbkrOrder *o;

  j->urgent = TRUE;
  if (!_ea_ibkr_job_start_checked (task, FALSE))
    return;
  j->account = g_strdup (account);
  j->symbol = g_strdup (symbol);
  j->ids = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&it, self->orders);
  while (g_hash_table_iter_next (&it, NULL, (gpointer *) &o))
    if (order_live (o) && order_matches (self, o, account, symbol))
      g_ptr_array_add (j->ids, _ea_ibkr_order_key (o->order_id));
  cancel_all_step (task, NULL, NULL);
}

/* Positions of @account (invalidated first), page after page until a
 * short one. A gateway that keeps sending full pages is cut off rather
 * than followed forever. */

#define MAX_POSITION_PAGES 100

static void
positions_step (GTask    *task,
                JsonNode *node,
                GError   *error)
{
  EaIbkrBroker *self = g_task_get_source_object (task);
  Job *j = g_task_get_task_data (task);
  g_autoptr(GPtrArray) page = NULL;
  guint n;

  if (node == NULL)
    {
      _ea_ibkr_job_fail (task, error);
      return;
    }
  if (j->stage > 0)
    {
      page = ea_ibkr_parse_positions (node, &error);
      json_node_unref (node);
      if (page == NULL)
        {
          _ea_ibkr_job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                                                "Positions of %s, page %u: %s",
                                                j->account, j->stage - 1, error->message));
          g_error_free (error);
          return;
        }
      n = page->len;
      if (j->positions == NULL)
        j->positions = g_ptr_array_ref (page);
      else
        g_ptr_array_extend_and_steal (j->positions, g_steal_pointer (&page));
      if (n < self->positions_page_size)
        {
          g_task_return_pointer (task, g_steal_pointer (&j->positions), (GDestroyNotify) g_ptr_array_unref);
          g_object_unref (task);
          return;
        }
      if (j->stage >= MAX_POSITION_PAGES)
        {
          _ea_ibkr_job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                                                "The gateway sent more than %u full pages of positions for %s",
                                                MAX_POSITION_PAGES, j->account));
          return;
        }
    }
  else
    json_node_unref (node);
  {
    g_autofree char *path = g_strdup_printf ("portfolio/%s/positions/%u", j->account, j->stage++);

    _ea_ibkr_job_request (task, "GET", path, NULL);
  }
}

static void
fetch_positions_async (EaIbkrBroker        *self,
                       const char          *account,
                       gboolean             urgent,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  Job *j;
  GTask *task = _ea_ibkr_job_new (self, cancellable, callback, user_data, positions_step, &j);
  g_autofree char *path = g_strdup_printf ("portfolio/%s/positions/invalidate", account);

  j->urgent = urgent;
  j->account = g_strdup (account);
  _ea_ibkr_job_request (task, "POST", path, NULL);
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
      p = _ea_ibkr_position_for (self, account, symbol);
      g_hash_table_add (seen, p);
      if (p->qty != g->position || fabs (p->avg_price - avg) > 1e-6)
        {
          p->qty = g->position;
          p->avg_price = avg;
          p->open_pnl = (EaMicros) llround (g->unrealized_pnl * EA_MICROS_PER_UNIT);
          p->time = g_get_real_time ();
          self->position_epoch++;
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
        self->position_epoch++;
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
          _ea_ibkr_job_fail (task, error);
          return;
        }
      j->stage = 1;
      fetch_positions_async (self, j->ids->pdata[j->index], TRUE, g_task_get_cancellable (task),
                             flatten_sub_cb, task);
      return;
    case 1:
      g_clear_pointer (&j->positions, g_ptr_array_unref);
      j->positions = _ea_ibkr_fetch_finish (result, &error);
      if (j->positions == NULL)
        {
          _ea_ibkr_job_fail (task, error);
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
            _ea_ibkr_job_fail (task, error);
            return;
          }
      }
      break;
    case 4:
      {
        g_autoptr(GPtrArray) positions = _ea_ibkr_fetch_finish (result, &error);
        guint open = 0;

        if (positions == NULL)
          {
            _ea_ibkr_job_fail (task, error);
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
            _ea_ibkr_job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                                         _("Not flat: %u position(s) of %s still open after the closing orders"),
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
  fetch_positions_async (EA_IBKR_BROKER (source), j->ids->pdata[j->index], TRUE, g_task_get_cancellable (task),
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
      _ea_ibkr_place_async (self, r, TRUE, g_task_get_cancellable (task), flatten_sub_cb, task);
      return;
    }
  j->stage = 3;
  ea_ibkr_broker_sync_async (self, NULL, flatten_synced_cb, task);
}

void
_ea_ibkr_flatten_async (EaBroker            *broker,
                    const char          *account,
                    const char          *symbol,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  EaIbkrBroker *self = EA_IBKR_BROKER (broker);
  Job *j;
  GTask *task = _ea_ibkr_job_new (self, cancellable, callback, user_data, NULL, &j);

  j->urgent = TRUE;
  if (!_ea_ibkr_job_start_checked (task, FALSE))
    return;
  /* Everything flattened (the emergency stop): the snapshot that confirms
   * it goes first too. */
  if (account == NULL && symbol == NULL)
    self->stop_confirm = TRUE;
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

#define MAX_POSITION_REREADS 3

/* The account's balance and P&L, after its positions. */
static void
snapshot_ledger_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  EaIbkrBroker *self = EA_IBKR_BROKER (source);
  Job *j = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(EaAccountData) a = _ea_ibkr_fetch_ledger_finish (self, result, &error);

  if (error != NULL)
    {
      _ea_ibkr_job_fail (task, error);
      return;
    }
  if (a != NULL && j->emergency)
    ea_broker_emit_account_changed (EA_BROKER (self), a);
  j->index++;
  snapshot_next (task);
}

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
      g_autoptr(GPtrArray) orders = _ea_ibkr_fetch_finish (result, &error);

      if (orders == NULL)
        {
          _ea_ibkr_job_fail (task, error);
          return;
        }
      for (guint i = 0; i < orders->len; i++)
        {
          EaIbkrOrder *o = orders->pdata[i];

          if (emit)
            _ea_ibkr_merge_order (self, o);
          if (_ea_ibkr_order_complete (o) && (j->account == NULL || g_strcmp0 (o->account, j->account) == 0))
            g_ptr_array_add (j->snapshot->orders, _ea_ibkr_order_to_data (self, o));
        }
      j->stage = 1;
      _ea_ibkr_job_request (task, "GET", "iserver/account/trades", NULL);
      return;
    }
  {
    g_autoptr(GPtrArray) positions = _ea_ibkr_fetch_finish (result, &error);

    if (positions == NULL)
      {
        _ea_ibkr_job_fail (task, error);
        return;
      }
    if (emit)
      {
        sync_positions (self, j->ids->pdata[j->index], positions);
        /* Its own changes do not make the read stale. */
        j->epoch = self->position_epoch;
      }
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
    _ea_ibkr_fetch_ledger_async (self, j->ids->pdata[j->index], j->urgent, g_task_get_cancellable (task),
                                 snapshot_ledger_cb, task);
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
      _ea_ibkr_job_fail (task, error);
      return;
    }
  trades = ea_ibkr_parse_trades (node, &error);
  json_node_unref (node);
  if (trades == NULL)
    {
      _ea_ibkr_job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED, "%s", error->message));
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
        _ea_ibkr_take_trade (self, t, FALSE, NULL);
      f = g_new0 (EaFillData, 1);
      f->account = g_strdup (t->account);
      f->symbol = g_strdup (c->symbol);
      f->fill_id = g_strdup (t->execution_id);
      f->broker_order_id = t->order_id ? _ea_ibkr_order_key (t->order_id) : NULL;
      f->client_order_id = g_strdup (t->order_ref);
      f->side = t->side;
      f->qty = t->size;
      f->price = ea_instrument_price_to_ticks (c->spec, t->price);
      f->time = t->time_ms * 1000;
      g_ptr_array_add (j->snapshot->fills, f);
    }
  j->stage = 2;
  j->epoch = self->position_epoch;
  snapshot_next (task);
}

static void
snapshot_next (GTask *task)
{
  EaIbkrBroker *self = g_task_get_source_object (task);
  Job *j = g_task_get_task_data (task);

  if (j->index < j->ids->len)
    {
      fetch_positions_async (self, j->ids->pdata[j->index], j->urgent, g_task_get_cancellable (task),
                             snapshot_sub_cb, task);
      return;
    }
  /* A position changed (a fill, a flatten) while the positions were read:
   * what was read may be older than what the desk knows already, and a
   * snapshot must not set it back. Read them again (a few times at most:
   * a market that keeps filling gets the last read). */
  if (j->epoch != self->position_epoch && j->rounds++ < MAX_POSITION_REREADS)
    {
      g_ptr_array_set_size (j->snapshot->positions, 0);
      j->index = 0;
      j->epoch = self->position_epoch;
      snapshot_next (task);
      return;
    }
  for (guint i = 0; self->accounts && self->accounts[i]; i++)
    if (j->account == NULL || g_str_equal (j->account, self->accounts[i]))
      {
        EaAccountData *a = _ea_ibkr_account_data (self, self->accounts[i]);

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
                gboolean             urgent,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  Job *j;
  GTask *task = _ea_ibkr_job_new (self, cancellable, callback, user_data, snapshot_step, &j);

  if (g_cancellable_is_cancelled (cancellable))
    {
      _ea_ibkr_job_fail (task, g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED, "Cancelled"));
      return;
    }
  if (account && (self->accounts == NULL || !g_strv_contains ((const char *const *) self->accounts, account)))
    {
      _ea_ibkr_job_fail (task, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND, "No account %s", account));
      return;
    }
  j->account = g_strdup (account);
  j->emergency = emit;
  j->urgent = urgent;
  j->snapshot = ea_snapshot_data_new (g_get_real_time ());
  j->ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; self->accounts && self->accounts[i]; i++)
    if (account == NULL || g_str_equal (account, self->accounts[i]))
      g_ptr_array_add (j->ids, g_strdup (self->accounts[i]));
  fetch_orders_async (self, j->urgent, cancellable, snapshot_sub_cb, task);
}

void
_ea_ibkr_snapshot_async (EaBroker            *broker,
                     const char          *account,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  EaIbkrBroker *self = EA_IBKR_BROKER (broker);
  GError *error = NULL;
  gboolean urgent;

  if (!_ea_ibkr_check_ready (self, cancellable, FALSE, &error))
    {
      GTask *task = g_task_new (self, cancellable, callback, user_data);

      _ea_ibkr_job_fail (task, error);
      return;
    }
  urgent = self->stop_confirm;
  self->stop_confirm = FALSE;
  snapshot_start (self, account, FALSE, urgent, cancellable, callback, user_data);
}

EaSnapshotData *
_ea_ibkr_snapshot_finish (EaBroker      *broker,
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

  snapshot_start (self, NULL, TRUE, FALSE, cancellable, reconciled_cb, task);
}

gboolean
_ea_ibkr_reconcile_finish (EaIbkrBroker  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

