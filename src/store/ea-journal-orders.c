/* ea-journal-orders.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accounts and orders of the journal. An order is written with its client
 * order id before it is sent, then on every state change: the current state
 * in orders, the history in order_events, and an audit row, in one
 * transaction.
 */
#define G_LOG_DOMAIN "ea-journal"

#include "config.h"

#include <string.h>

#include "ea-journal-private.h"

/* Accounts. */

typedef struct
{
  char   *broker;
  char   *broker_account_id;
  char   *name;
  EaMode  mode;
} AccountData;

static void
account_data_free (AccountData *data)
{
  g_free (data->broker);
  g_free (data->broker_account_id);
  g_free (data->name);
  g_free (data);
}

static gboolean
ensure_account_job (EaJournalDb  *db,
                    gpointer      data,
                    gpointer     *result,
                    GError      **error)
{
  AccountData *account = data;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  if (!_ea_journal_require (account->broker, "broker", error)
      || !_ea_journal_require (account->broker_account_id, "broker account id", error)
      || !_ea_journal_db_begin (db, error))
    return FALSE;

  stmt = _ea_journal_db_prepare (db,
                                 "INSERT INTO accounts (broker, broker_account_id, name, mode, created_us) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5) "
                                 "ON CONFLICT (broker, broker_account_id) DO UPDATE "
                                 "SET name = coalesce (excluded.name, name), mode = excluded.mode "
                                 "RETURNING id", error);
  if (stmt == NULL)
    goto fail;
  _ea_journal_bind_text (stmt, 1, account->broker);
  _ea_journal_bind_text (stmt, 2, account->broker_account_id);
  _ea_journal_bind_text (stmt, 3, account->name);
  _ea_journal_bind_text (stmt, 4, ea_mode_to_string (account->mode));
  sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      rc = sqlite3_step (stmt);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ea_journal_db_set_error (db, rc, "account", error);
      goto fail;
    }
  if (!_ea_journal_db_commit (db, error))
    return FALSE;

  *result = _ea_journal_int64_result (id);
  return TRUE;

fail:
  _ea_journal_db_rollback (db);
  return FALSE;
}

void
ea_journal_ensure_account_async (EaJournal           *self,
                                 const char          *broker,
                                 const char          *broker_account_id,
                                 const char          *name,
                                 EaMode               mode,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  AccountData *data;

  g_return_if_fail (EA_IS_JOURNAL (self));

  data = g_new0 (AccountData, 1);
  data->broker = g_strdup (broker);
  data->broker_account_id = g_strdup (broker_account_id);
  data->name = g_strdup (name);
  data->mode = mode;
  _ea_journal_submit (self, ensure_account_job, data, (GDestroyNotify) account_data_free, g_free,
                      TRUE, ea_journal_ensure_account_async, cancellable, callback, user_data);
}

gint64
ea_journal_ensure_account_finish (EaJournal     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _ea_journal_finish_int64 (self, result, ea_journal_ensure_account_async, error);
}

/* Orders. */

typedef struct
{
  EaJournalOrder  order;        /* strings point into @strings */
  EaActor         actor;
  GStringChunk   *strings;
} OrderData;

static void
order_data_free (OrderData *data)
{
  g_string_chunk_free (data->strings);
  g_free (data);
}

static gboolean
record_order_job (EaJournalDb  *db,
                  gpointer      data,
                  gpointer     *result,
                  GError      **error)
{
  const EaJournalOrder *o = &((OrderData *) data)->order;
  EaActor actor = ((OrderData *) data)->actor;
  g_autofree char *kind = NULL;
  g_autofree char *details = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  if (!_ea_journal_require (o->client_order_id, "client order id", error)
      || !_ea_journal_require (o->state, "order state", error)
      || !_ea_journal_valid_side (o->side, error)
      || !_ea_journal_db_begin (db, error))
    return FALSE;

  stmt = _ea_journal_db_prepare (db,
                                 "INSERT INTO orders (client_order_id, account_id, broker, broker_order_id, "
                                 "  symbol, root, side, qty, order_type, limit_ticks, stop_ticks, state, "
                                 "  terminal, filled_qty, avg_fill_ticks, reason, created_us, updated_us) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17) "
                                 "ON CONFLICT (client_order_id) DO UPDATE SET "
                                 "  broker_order_id = coalesce (excluded.broker_order_id, broker_order_id), "
                                 "  qty = excluded.qty, limit_ticks = excluded.limit_ticks, "
                                 "  stop_ticks = excluded.stop_ticks, state = excluded.state, "
                                 "  terminal = excluded.terminal, filled_qty = excluded.filled_qty, "
                                 "  avg_fill_ticks = excluded.avg_fill_ticks, reason = excluded.reason, "
                                 "  updated_us = excluded.updated_us "
                                 "RETURNING id", error);
  if (stmt == NULL)
    goto fail;
  _ea_journal_bind_text (stmt, 1, o->client_order_id);
  _ea_journal_bind_id (stmt, 2, o->account_id);
  _ea_journal_bind_text (stmt, 3, o->broker);
  _ea_journal_bind_text (stmt, 4, o->broker_order_id);
  _ea_journal_bind_text (stmt, 5, o->symbol);
  _ea_journal_bind_text (stmt, 6, o->root);
  sqlite3_bind_int (stmt, 7, o->side);
  sqlite3_bind_int64 (stmt, 8, o->qty);
  _ea_journal_bind_text (stmt, 9, o->order_type);
  _ea_journal_bind_id (stmt, 10, o->limit_ticks);
  _ea_journal_bind_id (stmt, 11, o->stop_ticks);
  _ea_journal_bind_text (stmt, 12, o->state);
  sqlite3_bind_int (stmt, 13, o->terminal ? 1 : 0);
  sqlite3_bind_int64 (stmt, 14, o->filled_qty);
  _ea_journal_bind_id (stmt, 15, o->avg_fill_ticks);
  _ea_journal_bind_text (stmt, 16, o->reason);
  sqlite3_bind_int64 (stmt, 17, o->time_us != 0 ? o->time_us : g_get_real_time ());
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      rc = sqlite3_step (stmt);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ea_journal_db_set_error (db, rc, "order", error);
      goto fail;
    }

  stmt = _ea_journal_db_prepare (db,
                                 "INSERT INTO order_events (order_id, time_us, state, filled_qty, "
                                 "  broker_order_id, reason) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, o->time_us != 0 ? o->time_us : g_get_real_time ());
  _ea_journal_bind_text (stmt, 3, o->state);
  sqlite3_bind_int64 (stmt, 4, o->filled_qty);
  _ea_journal_bind_text (stmt, 5, o->broker_order_id);
  _ea_journal_bind_text (stmt, 6, o->reason);
  if (!_ea_journal_db_step_done (db, stmt, "order event", error))
    goto fail;

  kind = g_strdup_printf ("order.%s", o->state);
  details = g_strdup_printf ("{\"symbol\":\"%s\",\"side\":%d,\"qty\":%" G_GINT64_FORMAT
                             ",\"filled_qty\":%" G_GINT64_FORMAT ",\"account_id\":%" G_GINT64_FORMAT "}",
                             o->symbol != NULL ? o->symbol : "", o->side, o->qty,
                             o->filled_qty, o->account_id);
  if (_ea_journal_db_audit_append (db, actor, kind, o->client_order_id, details, error) == 0)
    goto fail;

  if (!_ea_journal_db_commit (db, error))
    return FALSE;

  *result = _ea_journal_int64_result (id);
  return TRUE;

fail:
  _ea_journal_db_rollback (db);
  return FALSE;
}

void
ea_journal_record_order_async (EaJournal            *self,
                               const EaJournalOrder *order,
                               EaActor               actor,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  OrderData *data;
  EaJournalOrder *o;

  g_return_if_fail (EA_IS_JOURNAL (self));
  g_return_if_fail (order != NULL);

  data = g_new0 (OrderData, 1);
  data->strings = g_string_chunk_new (256);
  data->actor = actor;
  o = &data->order;
  *o = *order;
  o->client_order_id = _ea_journal_chunk_dup (data->strings, order->client_order_id);
  o->broker = _ea_journal_chunk_dup (data->strings, order->broker);
  o->broker_order_id = _ea_journal_chunk_dup (data->strings, order->broker_order_id);
  o->symbol = _ea_journal_chunk_dup (data->strings, order->symbol);
  o->root = _ea_journal_chunk_dup (data->strings, order->root);
  o->order_type = _ea_journal_chunk_dup (data->strings, order->order_type);
  o->state = _ea_journal_chunk_dup (data->strings, order->state);
  o->reason = _ea_journal_chunk_dup (data->strings, order->reason);

  _ea_journal_submit (self, record_order_job, data, (GDestroyNotify) order_data_free, g_free,
                      TRUE, ea_journal_record_order_async, cancellable, callback, user_data);
}

gint64
ea_journal_record_order_finish (EaJournal     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _ea_journal_finish_int64 (self, result, ea_journal_record_order_async, error);
}

/* One allocation: the struct, then its strings. */
static EaJournalOrder *
order_from_row (sqlite3_stmt *stmt)
{
  enum { N_STRINGS = 8 };
  static const int columns[N_STRINGS] = { 0, 2, 3, 4, 5, 8, 11, 15 };
  const char *texts[N_STRINGS];
  gsize size = sizeof (EaJournalOrder);
  EaJournalOrder *o;
  const char **fields[N_STRINGS];
  char *p;

  for (guint i = 0; i < N_STRINGS; i++)
    {
      texts[i] = (const char *) sqlite3_column_text (stmt, columns[i]);
      if (texts[i] != NULL)
        size += strlen (texts[i]) + 1;
    }

  o = g_malloc0 (size);
  fields[0] = &o->client_order_id;
  fields[1] = &o->broker;
  fields[2] = &o->broker_order_id;
  fields[3] = &o->symbol;
  fields[4] = &o->root;
  fields[5] = &o->order_type;
  fields[6] = &o->state;
  fields[7] = &o->reason;
  p = (char *) (o + 1);
  for (guint i = 0; i < N_STRINGS; i++)
    if (texts[i] != NULL)
      {
        gsize len = strlen (texts[i]) + 1;

        memcpy (p, texts[i], len);
        *fields[i] = p;
        p += len;
      }

  o->account_id = sqlite3_column_int64 (stmt, 1);
  o->side = sqlite3_column_int (stmt, 6) < 0 ? EA_SIDE_SELL : EA_SIDE_BUY;
  o->qty = sqlite3_column_int64 (stmt, 7);
  o->limit_ticks = sqlite3_column_int64 (stmt, 9);
  o->stop_ticks = sqlite3_column_int64 (stmt, 10);
  o->terminal = sqlite3_column_int (stmt, 12) != 0;
  o->filled_qty = sqlite3_column_int64 (stmt, 13);
  o->avg_fill_ticks = sqlite3_column_int64 (stmt, 14);
  o->time_us = sqlite3_column_int64 (stmt, 16);
  return o;
}

static gboolean
load_open_orders_job (EaJournalDb  *db,
                      gpointer      data,
                      gpointer     *result,
                      GError      **error)
{
  gint64 account_id = *(gint64 *) data;
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ea_journal_db_prepare (db,
                                 "SELECT client_order_id, account_id, broker, broker_order_id, symbol, root, "
                                 "  side, qty, order_type, limit_ticks, stop_ticks, state, terminal, "
                                 "  filled_qty, avg_fill_ticks, reason, updated_us "
                                 "FROM orders WHERE terminal = 0 AND (?1 = 0 OR account_id = ?1) "
                                 "ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (orders, order_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _ea_journal_db_set_error (db, rc, "loading orders", error);

  *result = g_steal_pointer (&orders);
  return TRUE;
}

void
ea_journal_load_open_orders_async (EaJournal           *self,
                                   gint64               account_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (EA_IS_JOURNAL (self));

  _ea_journal_submit (self, load_open_orders_job, _ea_journal_int64_result (account_id), g_free,
                      (GDestroyNotify) g_ptr_array_unref, FALSE,
                      ea_journal_load_open_orders_async, cancellable, callback, user_data);
}

GPtrArray *
ea_journal_load_open_orders_finish (EaJournal     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _ea_journal_finish_pointer (self, result, ea_journal_load_open_orders_async, error);
}
