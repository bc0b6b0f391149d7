/* ea-journal-trading.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fills, trades and bars of the journal. The public functions copy their
 * arguments and queue a job; the jobs run on the worker thread, each in one
 * transaction.
 */
#define G_LOG_DOMAIN "ea-journal"

#include "config.h"

#include <string.h>

#include "ea-journal-private.h"

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

      if (!_ea_journal_require (f->broker, "broker", error)
          || !_ea_journal_require (f->broker_fill_id, "broker fill id", error)
          || !_ea_journal_require (f->symbol, "symbol", error)
          || !_ea_journal_require (f->root, "instrument root", error)
          || !_ea_journal_valid_side (f->side, error))
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
      f->broker = _ea_journal_chunk_dup (data->strings, fills[i].broker);
      f->broker_fill_id = _ea_journal_chunk_dup (data->strings, fills[i].broker_fill_id);
      f->client_order_id = _ea_journal_chunk_dup (data->strings, fills[i].client_order_id);
      f->broker_order_id = _ea_journal_chunk_dup (data->strings, fills[i].broker_order_id);
      f->symbol = _ea_journal_chunk_dup (data->strings, fills[i].symbol);
      f->root = _ea_journal_chunk_dup (data->strings, fills[i].root);
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

      if (!_ea_journal_require (t->symbol, "symbol", error) || !_ea_journal_require (t->root, "instrument root", error)
          || !_ea_journal_valid_side (t->side, error))
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

/* Bars. */

typedef struct
{
  EaJournalBar *bars;
  guint         n_bars;
  GStringChunk *strings;
} BarsData;

static void
bars_data_free (BarsData *data)
{
  g_free (data->bars);
  g_string_chunk_free (data->strings);
  g_free (data);
}

static gboolean
upsert_bars_job (EaJournalDb  *db,
                 gpointer      data,
                 gpointer     *result,
                 GError      **error)
{
  BarsData *bars = data;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < bars->n_bars; i++)
    if (bars->bars[i].symbol == NULL || bars->bars[i].root == NULL || bars->bars[i].period_s <= 0)
      {
        g_set_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID,
                     "Bar %u needs a symbol, a root and a positive period", i);
        return FALSE;
      }

  if (!_ea_journal_db_begin (db, error))
    return FALSE;
  stmt = _ea_journal_db_prepare (db,
                                 "INSERT INTO bars (symbol, root, period_s, open_time_us, open_ticks, "
                                 "  high_ticks, low_ticks, close_ticks, volume) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                 "ON CONFLICT (symbol, period_s, open_time_us) DO UPDATE SET "
                                 "  open_ticks = excluded.open_ticks, high_ticks = excluded.high_ticks, "
                                 "  low_ticks = excluded.low_ticks, close_ticks = excluded.close_ticks, "
                                 "  volume = excluded.volume", error);
  if (stmt == NULL)
    goto fail;
  for (guint i = 0; i < bars->n_bars; i++)
    {
      const EaJournalBar *b = &bars->bars[i];

      _ea_journal_bind_text (stmt, 1, b->symbol);
      _ea_journal_bind_text (stmt, 2, b->root);
      sqlite3_bind_int (stmt, 3, b->period_s);
      sqlite3_bind_int64 (stmt, 4, b->open_time_us);
      sqlite3_bind_int64 (stmt, 5, b->open_ticks);
      sqlite3_bind_int64 (stmt, 6, b->high_ticks);
      sqlite3_bind_int64 (stmt, 7, b->low_ticks);
      sqlite3_bind_int64 (stmt, 8, b->close_ticks);
      sqlite3_bind_int64 (stmt, 9, b->volume);
      if (!_ea_journal_db_step_done (db, stmt, "bar", error))
        goto fail;
    }
  return _ea_journal_db_commit (db, error);

fail:
  _ea_journal_db_rollback (db);
  return FALSE;
}

void
ea_journal_upsert_bars_async (EaJournal          *self,
                              const EaJournalBar *bars,
                              guint               n_bars,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  BarsData *data;

  g_return_if_fail (EA_IS_JOURNAL (self));
  g_return_if_fail (bars != NULL || n_bars == 0);

  data = g_new0 (BarsData, 1);
  data->n_bars = n_bars;
  data->bars = g_memdup2 (bars, sizeof *bars * MAX (n_bars, 1));
  data->strings = g_string_chunk_new (256);
  for (guint i = 0; i < n_bars; i++)
    {
      if (bars[i].symbol != NULL)
        data->bars[i].symbol = g_string_chunk_insert_const (data->strings, bars[i].symbol);
      if (bars[i].root != NULL)
        data->bars[i].root = g_string_chunk_insert_const (data->strings, bars[i].root);
    }
  _ea_journal_submit (self, upsert_bars_job, data, (GDestroyNotify) bars_data_free, NULL,
                      TRUE, ea_journal_upsert_bars_async, cancellable, callback, user_data);
}

gboolean
ea_journal_upsert_bars_finish (EaJournal     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _ea_journal_finish_boolean (self, result, ea_journal_upsert_bars_async, error);
}

typedef struct
{
  char     *symbol;
  gint      period_s;
  EaTimeUs  from_us;
  EaTimeUs  to_us;
} BarRangeData;

static void
bar_range_data_free (BarRangeData *data)
{
  g_free (data->symbol);
  g_free (data);
}

static gboolean
load_bars_job (EaJournalDb  *db,
               gpointer      data,
               gpointer     *result,
               GError      **error)
{
  BarRangeData *range = data;
  g_autoptr(GArray) bars = g_array_new (FALSE, TRUE, sizeof (EaJournalBar));
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ea_journal_db_prepare (db,
                                 "SELECT root, open_time_us, open_ticks, high_ticks, low_ticks, close_ticks, volume "
                                 "FROM bars WHERE symbol = ? AND period_s = ? "
                                 "  AND open_time_us >= ? AND open_time_us < ? ORDER BY open_time_us", error);
  if (stmt == NULL)
    return FALSE;
  _ea_journal_bind_text (stmt, 1, range->symbol);
  sqlite3_bind_int (stmt, 2, range->period_s);
  sqlite3_bind_int64 (stmt, 3, range->from_us);
  sqlite3_bind_int64 (stmt, 4, range->to_us);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      EaJournalBar b;

      b.symbol = NULL;
      b.root = NULL;
      b.period_s = range->period_s;
      b.open_time_us = sqlite3_column_int64 (stmt, 1);
      b.open_ticks = sqlite3_column_int64 (stmt, 2);
      b.high_ticks = sqlite3_column_int64 (stmt, 3);
      b.low_ticks = sqlite3_column_int64 (stmt, 4);
      b.close_ticks = sqlite3_column_int64 (stmt, 5);
      b.volume = sqlite3_column_int64 (stmt, 6);
      g_array_append_val (bars, b);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _ea_journal_db_set_error (db, rc, "loading bars", error);

  *result = g_steal_pointer (&bars);
  return TRUE;
}

void
ea_journal_load_bars_async (EaJournal           *self,
                            const char          *symbol,
                            gint                 period_s,
                            EaTimeUs             from_us,
                            EaTimeUs             to_us,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  BarRangeData *data;

  g_return_if_fail (EA_IS_JOURNAL (self));

  data = g_new0 (BarRangeData, 1);
  data->symbol = g_strdup (symbol);
  data->period_s = period_s;
  data->from_us = from_us;
  data->to_us = to_us;
  _ea_journal_submit (self, load_bars_job, data, (GDestroyNotify) bar_range_data_free,
                      (GDestroyNotify) g_array_unref, FALSE,
                      ea_journal_load_bars_async, cancellable, callback, user_data);
}

GArray *
ea_journal_load_bars_finish (EaJournal     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return _ea_journal_finish_pointer (self, result, ea_journal_load_bars_async, error);
}
