/* ea-journal-trading.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accounts, orders, fills, trades and bars of the journal. The public
 * functions copy their arguments and queue a job; the jobs run on the
 * worker thread, each in one transaction.
 */
#define G_LOG_DOMAIN "ea-journal"

#include "config.h"

#include <string.h>

#include "ea-journal-private.h"

static gboolean
valid_side (EaSide   side,
            GError **error)
{
  if (side == EA_SIDE_BUY || side == EA_SIDE_SELL)
    return TRUE;
  g_set_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID, "Invalid side %d", side);
  return FALSE;
}

static gboolean
require (const char  *value,
         const char  *what,
         GError     **error)
{
  if (value != NULL && *value != '\0')
    return TRUE;
  g_set_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID, "Missing %s", what);
  return FALSE;
}

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

  if (!require (account->broker, "broker", error)
      || !require (account->broker_account_id, "broker account id", error)
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

static const char *
chunk_dup (GStringChunk *chunk,
           const char   *s)
{
  return s != NULL ? g_string_chunk_insert (chunk, s) : NULL;
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

  if (!require (o->client_order_id, "client order id", error)
      || !require (o->state, "order state", error)
      || !valid_side (o->side, error)
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
  o->client_order_id = chunk_dup (data->strings, order->client_order_id);
  o->broker = chunk_dup (data->strings, order->broker);
  o->broker_order_id = chunk_dup (data->strings, order->broker_order_id);
  o->symbol = chunk_dup (data->strings, order->symbol);
  o->root = chunk_dup (data->strings, order->root);
  o->order_type = chunk_dup (data->strings, order->order_type);
  o->state = chunk_dup (data->strings, order->state);
  o->reason = chunk_dup (data->strings, order->reason);

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

/* Fills. */

typedef struct
{
  EaJournalFill *fills;         /* strings point into @strings */
  guint          n_fills;
  GStringChunk  *strings;
  GArray        *is_new;
} FillsData;

typedef struct
{
  gint64  n_new;
  GArray *is_new;
} FillsResult;

static void
fills_data_free (FillsData *data)
{
  g_free (data->fills);
  g_string_chunk_free (data->strings);
  g_free (data);
}

static void
fills_result_free (FillsResult *result)
{
  g_clear_pointer (&result->is_new, g_array_unref);
  g_free (result);
}

static gboolean
insert_fills_job (EaJournalDb  *db,
                  gpointer      data,
                  gpointer     *result,
                  GError      **error)
{
  FillsData *fills = data;
  g_autoptr(GArray) is_new = g_array_sized_new (FALSE, FALSE, sizeof (gboolean), fills->n_fills);
  FillsResult *res;
  sqlite3_stmt *stmt;
  gint64 n_new = 0;

  for (guint i = 0; i < fills->n_fills; i++)
    {
      const EaJournalFill *f = &fills->fills[i];

      if (!require (f->broker, "broker", error)
          || !require (f->broker_fill_id, "broker fill id", error)
          || !require (f->symbol, "symbol", error)
          || !require (f->root, "instrument root", error)
          || !valid_side (f->side, error))
        {
          g_prefix_error (error, "Fill %u: ", i);
          return FALSE;
        }
    }

  if (!_ea_journal_db_begin (db, error))
    return FALSE;

  stmt = _ea_journal_db_prepare (db,
                                 "INSERT INTO fills (broker, broker_fill_id, account_id, client_order_id, "
                                 "  broker_order_id, symbol, root, side, qty, price_ticks, fee_micros, time_us) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                 "ON CONFLICT (broker, broker_fill_id) DO NOTHING", error);
  if (stmt == NULL)
    goto fail;

  for (guint i = 0; i < fills->n_fills; i++)
    {
      const EaJournalFill *f = &fills->fills[i];
      gboolean inserted;

      _ea_journal_bind_text (stmt, 1, f->broker);
      _ea_journal_bind_text (stmt, 2, f->broker_fill_id);
      _ea_journal_bind_id (stmt, 3, f->account_id);
      _ea_journal_bind_text (stmt, 4, f->client_order_id);
      _ea_journal_bind_text (stmt, 5, f->broker_order_id);
      _ea_journal_bind_text (stmt, 6, f->symbol);
      _ea_journal_bind_text (stmt, 7, f->root);
      sqlite3_bind_int (stmt, 8, f->side);
      sqlite3_bind_int64 (stmt, 9, f->qty);
      sqlite3_bind_int64 (stmt, 10, f->price_ticks);
      sqlite3_bind_int64 (stmt, 11, f->fee_micros);
      sqlite3_bind_int64 (stmt, 12, f->time_us);
      if (!_ea_journal_db_step_done (db, stmt, "fill", error))
        goto fail;

      inserted = sqlite3_changes (db->db) == 1;
      n_new += inserted;
      g_array_append_val (is_new, inserted);
    }

  if (!_ea_journal_db_commit (db, error))
    return FALSE;

  res = g_new0 (FillsResult, 1);
  res->n_new = n_new;
  res->is_new = g_steal_pointer (&is_new);
  *result = res;
  return TRUE;

fail:
  _ea_journal_db_rollback (db);
  return FALSE;
}

void
ea_journal_insert_fills_async (EaJournal           *self,
                               const EaJournalFill *fills,
                               guint                n_fills,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  FillsData *data;

  g_return_if_fail (EA_IS_JOURNAL (self));
  g_return_if_fail (fills != NULL || n_fills == 0);

  data = g_new0 (FillsData, 1);
  data->n_fills = n_fills;
  data->fills = g_new (EaJournalFill, MAX (n_fills, 1));
  data->strings = g_string_chunk_new (MAX (n_fills, 1) * 64);
  for (guint i = 0; i < n_fills; i++)
    {
      EaJournalFill *f = &data->fills[i];

      *f = fills[i];
      f->broker = chunk_dup (data->strings, fills[i].broker);
      f->broker_fill_id = chunk_dup (data->strings, fills[i].broker_fill_id);
      f->client_order_id = chunk_dup (data->strings, fills[i].client_order_id);
      f->broker_order_id = chunk_dup (data->strings, fills[i].broker_order_id);
      f->symbol = chunk_dup (data->strings, fills[i].symbol);
      f->root = chunk_dup (data->strings, fills[i].root);
    }

  _ea_journal_submit (self, insert_fills_job, data, (GDestroyNotify) fills_data_free,
                      (GDestroyNotify) fills_result_free, TRUE,
                      ea_journal_insert_fills_async, cancellable, callback, user_data);
}

gint64
ea_journal_insert_fills_finish (EaJournal     *self,
                                GAsyncResult  *result,
                                GArray       **out_is_new,
                                GError       **error)
{
  FillsResult *res = _ea_journal_finish_pointer (self, result, ea_journal_insert_fills_async, error);
  gint64 n_new;

  if (res == NULL)
    return -1;
  n_new = res->n_new;
  if (out_is_new != NULL)
    *out_is_new = g_steal_pointer (&res->is_new);
  fills_result_free (res);
  return n_new;
}

/* Trades. */

typedef struct
{
  GArray *trades;
} TradesData;

void
ea_journal_trade_clear (EaJournalTrade *trade)
{
  g_clear_pointer (&trade->symbol, g_free);
  g_clear_pointer (&trade->root, g_free);
  g_clear_pointer (&trade->tags, g_free);
  g_clear_pointer (&trade->notes, g_free);
}

static GArray *
trade_array_new (guint reserve)
{
  GArray *array = g_array_sized_new (FALSE, TRUE, sizeof (EaJournalTrade), reserve);

  g_array_set_clear_func (array, (GDestroyNotify) ea_journal_trade_clear);
  return array;
}

static gboolean
insert_trades_job (EaJournalDb  *db,
                   gpointer      data,
                   gpointer     *result,
                   GError      **error)
{
  GArray *trades = data;
  sqlite3_stmt *stmt;
  gint64 first_id = 0;

  for (guint i = 0; i < trades->len; i++)
    {
      const EaJournalTrade *t = &g_array_index (trades, EaJournalTrade, i);

      if (!require (t->symbol, "symbol", error) || !require (t->root, "instrument root", error)
          || !valid_side (t->side, error))
        {
          g_prefix_error (error, "Trade %u: ", i);
          return FALSE;
        }
    }

  if (!_ea_journal_db_begin (db, error))
    return FALSE;

  stmt = _ea_journal_db_prepare (db,
                                 "INSERT INTO trades (account_id, symbol, root, side, qty, entry_time_us, "
                                 "  exit_time_us, entry_ticks, exit_ticks, pnl_micros, fees_micros, "
                                 "  mae_ticks, mfe_ticks, duration_us, tags, notes, signal_id) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?7 - ?6, ?14, ?15, ?16)",
                                 error);
  if (stmt == NULL)
    goto fail;

  for (guint i = 0; i < trades->len; i++)
    {
      const EaJournalTrade *t = &g_array_index (trades, EaJournalTrade, i);

      _ea_journal_bind_id (stmt, 1, t->account_id);
      _ea_journal_bind_text (stmt, 2, t->symbol);
      _ea_journal_bind_text (stmt, 3, t->root);
      sqlite3_bind_int (stmt, 4, t->side);
      sqlite3_bind_int64 (stmt, 5, t->qty);
      sqlite3_bind_int64 (stmt, 6, t->entry_time_us);
      sqlite3_bind_int64 (stmt, 7, t->exit_time_us);
      sqlite3_bind_int64 (stmt, 8, t->entry_ticks);
      sqlite3_bind_int64 (stmt, 9, t->exit_ticks);
      sqlite3_bind_int64 (stmt, 10, t->pnl_micros);
      sqlite3_bind_int64 (stmt, 11, t->fees_micros);
      sqlite3_bind_int64 (stmt, 12, t->mae_ticks);
      sqlite3_bind_int64 (stmt, 13, t->mfe_ticks);
      _ea_journal_bind_text (stmt, 14, t->tags);
      _ea_journal_bind_text (stmt, 15, t->notes);
      _ea_journal_bind_id (stmt, 16, t->signal_id);
      if (!_ea_journal_db_step_done (db, stmt, "trade", error))
        goto fail;
      if (i == 0)
        first_id = sqlite3_last_insert_rowid (db->db);
    }

  if (!_ea_journal_db_commit (db, error))
    return FALSE;

  *result = _ea_journal_int64_result (first_id);
  return TRUE;

fail:
  _ea_journal_db_rollback (db);
  return FALSE;
}

void
ea_journal_insert_trades_async (EaJournal            *self,
                                const EaJournalTrade *trades,
                                guint                 n_trades,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data)
{
  GArray *data;

  g_return_if_fail (EA_IS_JOURNAL (self));
  g_return_if_fail (trades != NULL || n_trades == 0);

  data = trade_array_new (n_trades);
  for (guint i = 0; i < n_trades; i++)
    {
      EaJournalTrade t = trades[i];

      t.symbol = g_strdup (trades[i].symbol);
      t.root = g_strdup (trades[i].root);
      t.tags = g_strdup (trades[i].tags);
      t.notes = g_strdup (trades[i].notes);
      g_array_append_val (data, t);
    }

  _ea_journal_submit (self, insert_trades_job, data, (GDestroyNotify) g_array_unref, g_free,
                      TRUE, ea_journal_insert_trades_async, cancellable, callback, user_data);
}

gint64
ea_journal_insert_trades_finish (EaJournal     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _ea_journal_finish_int64 (self, result, ea_journal_insert_trades_async, error);
}

typedef struct
{
  gint64  id;
  char   *tags;
  char   *notes;
} NotesData;

static void
notes_data_free (NotesData *data)
{
  g_free (data->tags);
  g_free (data->notes);
  g_free (data);
}

static gboolean
update_trade_notes_job (EaJournalDb  *db,
                        gpointer      data,
                        gpointer     *result,
                        GError      **error)
{
  NotesData *notes = data;
  sqlite3_stmt *stmt;

  stmt = _ea_journal_db_prepare (db, "UPDATE trades SET tags = ?, notes = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  _ea_journal_bind_text (stmt, 1, notes->tags);
  _ea_journal_bind_text (stmt, 2, notes->notes);
  sqlite3_bind_int64 (stmt, 3, notes->id);
  if (!_ea_journal_db_step_done (db, stmt, "trade notes", error))
    return FALSE;
  if (sqlite3_changes (db->db) == 0)
    {
      g_set_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_NOT_FOUND,
                   "No trade %" G_GINT64_FORMAT, notes->id);
      return FALSE;
    }
  return TRUE;
}

void
ea_journal_update_trade_notes_async (EaJournal           *self,
                                     gint64               trade_id,
                                     const char          *tags,
                                     const char          *notes,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  NotesData *data;

  g_return_if_fail (EA_IS_JOURNAL (self));

  data = g_new0 (NotesData, 1);
  data->id = trade_id;
  data->tags = g_strdup (tags);
  data->notes = g_strdup (notes);
  _ea_journal_submit (self, update_trade_notes_job, data, (GDestroyNotify) notes_data_free, NULL,
                      TRUE, ea_journal_update_trade_notes_async, cancellable, callback, user_data);
}

gboolean
ea_journal_update_trade_notes_finish (EaJournal     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return _ea_journal_finish_boolean (self, result, ea_journal_update_trade_notes_async, error);
}

typedef struct
{
  gint64   account_id;
  EaTimeUs from_us;
  EaTimeUs to_us;
} RangeData;

static gboolean
load_trades_job (EaJournalDb  *db,
                 gpointer      data,
                 gpointer     *result,
                 GError      **error)
{
  RangeData *range = data;
  g_autoptr(GArray) trades = trade_array_new (1024);
  sqlite3_stmt *stmt;
  int rc;

  /* Two statements, so that each one uses its index. */
  if (range->account_id == 0)
    stmt = _ea_journal_db_prepare (db,
                                   "SELECT id, account_id, symbol, root, side, qty, entry_time_us, exit_time_us, "
                                   "  entry_ticks, exit_ticks, pnl_micros, fees_micros, mae_ticks, mfe_ticks, "
                                   "  tags, notes, signal_id "
                                   "FROM trades WHERE ?1 = 0 AND exit_time_us >= ?2 AND exit_time_us < ?3 "
                                   "ORDER BY exit_time_us, id", error);
  else
    stmt = _ea_journal_db_prepare (db,
                                   "SELECT id, account_id, symbol, root, side, qty, entry_time_us, exit_time_us, "
                                   "  entry_ticks, exit_ticks, pnl_micros, fees_micros, mae_ticks, mfe_ticks, "
                                   "  tags, notes, signal_id "
                                   "FROM trades WHERE account_id = ?1 AND exit_time_us >= ?2 AND exit_time_us < ?3 "
                                   "ORDER BY exit_time_us, id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, range->account_id);
  sqlite3_bind_int64 (stmt, 2, range->from_us);
  sqlite3_bind_int64 (stmt, 3, range->to_us);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      EaJournalTrade t;

      t.id = sqlite3_column_int64 (stmt, 0);
      t.account_id = sqlite3_column_int64 (stmt, 1);
      t.symbol = _ea_journal_column_dup (stmt, 2);
      t.root = _ea_journal_column_dup (stmt, 3);
      t.side = sqlite3_column_int (stmt, 4) < 0 ? EA_SIDE_SELL : EA_SIDE_BUY;
      t.qty = sqlite3_column_int64 (stmt, 5);
      t.entry_time_us = sqlite3_column_int64 (stmt, 6);
      t.exit_time_us = sqlite3_column_int64 (stmt, 7);
      t.entry_ticks = sqlite3_column_int64 (stmt, 8);
      t.exit_ticks = sqlite3_column_int64 (stmt, 9);
      t.pnl_micros = sqlite3_column_int64 (stmt, 10);
      t.fees_micros = sqlite3_column_int64 (stmt, 11);
      t.mae_ticks = sqlite3_column_int64 (stmt, 12);
      t.mfe_ticks = sqlite3_column_int64 (stmt, 13);
      t.tags = _ea_journal_column_dup (stmt, 14);
      t.notes = _ea_journal_column_dup (stmt, 15);
      t.signal_id = sqlite3_column_int64 (stmt, 16);
      g_array_append_val (trades, t);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _ea_journal_db_set_error (db, rc, "loading trades", error);

  *result = g_steal_pointer (&trades);
  return TRUE;
}

void
ea_journal_load_trades_async (EaJournal           *self,
                              gint64               account_id,
                              EaTimeUs             from_us,
                              EaTimeUs             to_us,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  RangeData *data;

  g_return_if_fail (EA_IS_JOURNAL (self));

  data = g_new0 (RangeData, 1);
  data->account_id = account_id;
  data->from_us = from_us;
  data->to_us = to_us;
  _ea_journal_submit (self, load_trades_job, data, g_free, (GDestroyNotify) g_array_unref,
                      FALSE, ea_journal_load_trades_async, cancellable, callback, user_data);
}

GArray *
ea_journal_load_trades_finish (EaJournal     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _ea_journal_finish_pointer (self, result, ea_journal_load_trades_async, error);
}
