/* ea-journal-analytics.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-journal"

#include "config.h"

#include <string.h>

#include "ea-journal-analytics.h"
#include "ea-journal-private.h"
#include "ea-session.h"

#define HOUR_US   ((EaTimeUs) 3600 * G_USEC_PER_SEC)
#define HALF_HOUR_US (HOUR_US / 2)

void
ea_journal_filter_init (EaJournalFilter *filter)
{
  memset (filter, 0, sizeof *filter);
  filter->from_us = G_MININT64;
  filter->to_us = G_MAXINT64;
  filter->session = EA_JOURNAL_SESSION_ANY;
}

gboolean
ea_journal_tags_contain (const char *tags,
                         const char *tag)
{
  g_autofree char *want = NULL;
  const char *p;

  if (tags == NULL || tag == NULL)
    return FALSE;
  want = g_strstrip (g_strdup (tag));
  if (*want == '\0')
    return FALSE;

  p = tags;
  while (*p != '\0')
    {
      const char *end = strchr (p, ',');
      const char *s = p;
      const char *e = end != NULL ? end : p + strlen (p);

      while (s < e && g_ascii_isspace (*s))
        s++;
      while (e > s && g_ascii_isspace (e[-1]))
        e--;
      if ((gsize) (e - s) == strlen (want) && g_ascii_strncasecmp (s, want, e - s) == 0)
        return TRUE;
      if (end == NULL)
        break;
      p = end + 1;
    }
  return FALSE;
}

/* The CME trading day and the ET window only change on whole UTC hours and
 * half hours (every offset of Chicago and New York is whole hours), so the
 * last answer is kept per bucket. */
typedef struct
{
  EaTimeUs   day_bucket;
  EaTimeUs   day_from;
  EaTimeUs   day_until;
  guint32    day;
  EaTimeUs   window_bucket;
  EaEtWindow window;
} SessionCache;

static void
session_cache_init (SessionCache *cache)
{
  cache->day_bucket = G_MININT64;
  cache->day = 0;
  cache->day_from = 0;
  cache->day_until = 0;
  cache->window_bucket = G_MININT64;
  cache->window = EA_ET_WINDOW_NONE;
}

static EaTimeUs
bucket_of (EaTimeUs t,
           EaTimeUs size)
{
  EaTimeUs b = t / size;

  return (t % size < 0) ? b - 1 : b;
}

static guint32
cached_trading_day (SessionCache *cache,
                    EaTimeUs      t)
{
  EaTimeUs b;

  /* The day found at day_from lasts until its close. */
  if (t >= cache->day_from && t < cache->day_until)
    return cache->day;

  b = bucket_of (t, HOUR_US);
  if (b != cache->day_bucket)
    {
      g_autoptr(GDateTime) close = NULL;

      cache->day_bucket = b;
      cache->day = ea_session_trading_day_us (t);
      close = ea_session_day_close (cache->day);
      cache->day_from = t;
      cache->day_until = close != NULL ? ea_time_us_from_date_time (close) : t;
    }
  return cache->day;
}

static EaEtWindow
cached_et_window (SessionCache *cache,
                  EaTimeUs      t)
{
  EaTimeUs b = bucket_of (t, HALF_HOUR_US);

  if (b != cache->window_bucket)
    {
      cache->window_bucket = b;
      cache->window = ea_session_et_window_us (t);
    }
  return cache->window;
}

static gboolean
match_fields (const EaJournalFilter *filter,
              const EaJournalTrade  *trade)
{
  if (filter->account_id != 0 && trade->account_id != filter->account_id)
    return FALSE;
  if (trade->exit_time_us < filter->from_us || trade->exit_time_us >= filter->to_us)
    return FALSE;
  if (filter->root != NULL && filter->root[0] != '\0' && g_strcmp0 (trade->root, filter->root) != 0)
    return FALSE;
  if (filter->tag != NULL && filter->tag[0] != '\0' && !ea_journal_tags_contain (trade->tags, filter->tag))
    return FALSE;
  return TRUE;
}

static gboolean
match_session (EaJournalSession session,
               EaEtWindow       window)
{
  switch (session)
    {
    case EA_JOURNAL_SESSION_ANY: return TRUE;
    case EA_JOURNAL_SESSION_AM:  return window == EA_ET_WINDOW_AM;
    case EA_JOURNAL_SESSION_PM:  return window == EA_ET_WINDOW_PM;
    default:                     return FALSE;
    }
}

gboolean
ea_journal_filter_match (const EaJournalFilter *filter,
                         const EaJournalTrade  *trade)
{
  if (filter == NULL)
    return TRUE;
  if (!match_fields (filter, trade))
    return FALSE;
  return filter->session == EA_JOURNAL_SESSION_ANY
         || match_session (filter->session, ea_session_et_window_us (trade->entry_time_us));
}

/* Builds the analytics one matching trade at a time: the trades go into
 * the result with their strings in its chunk (symbol and root interned). */
typedef struct
{
  EaJournalAnalytics *a;
  const EaJournalFilter *filter;
  GHashTable         *interned;
  EaStatsAccumulator  acc;
  SessionCache        cache;
  EaJournalDay       *day;
  double              duration_sum, win_duration_sum, loss_duration_sum;
  EaMicros            cum;
} Builder;

static const char *
intern (Builder    *b,
        const char *s)
{
  const char *v;

  if (s == NULL)
    return NULL;
  v = g_hash_table_lookup (b->interned, s);
  if (v == NULL)
    {
      v = g_string_chunk_insert (b->a->strings, s);
      g_hash_table_insert (b->interned, (gpointer) v, (gpointer) v);
    }
  return v;
}

static const char *
chunk_dup (GStringChunk *chunk,
           const char   *s)
{
  return s != NULL ? g_string_chunk_insert (chunk, s) : NULL;
}

static void
builder_init (Builder               *b,
              const EaJournalFilter *filter,
              guint                  reserve)
{
  memset (b, 0, sizeof *b);
  b->a = g_new0 (EaJournalAnalytics, 1);
  b->a->trades = g_array_sized_new (FALSE, TRUE, sizeof (EaJournalTrade), reserve);
  b->a->equity = g_array_sized_new (FALSE, FALSE, sizeof (EaMicros), reserve);
  b->a->days = g_array_new (FALSE, FALSE, sizeof (EaJournalDay));
  b->a->strings = g_string_chunk_new (4096);
  b->filter = filter;
  b->interned = g_hash_table_new (g_str_hash, g_str_equal);
  ea_stats_accumulator_init (&b->acc);
  session_cache_init (&b->cache);
}

/* Keeps a copy of @t when it matches the filter. */
static void
builder_collect (Builder              *b,
                 const EaJournalTrade *t)
{
  EaJournalAnalytics *a = b->a;
  const EaJournalFilter *filter = b->filter;
  EaJournalTrade *copy;

  if (filter != NULL
      && (!match_fields (filter, t)
          || !match_session (filter->session,
                             filter->session == EA_JOURNAL_SESSION_ANY
                               ? EA_ET_WINDOW_NONE : cached_et_window (&b->cache, t->entry_time_us))))
    return;

  g_array_set_size (a->trades, a->trades->len + 1);
  copy = &g_array_index (a->trades, EaJournalTrade, a->trades->len - 1);
  *copy = *t;
  copy->symbol = (char *) intern (b, t->symbol);
  copy->root = (char *) intern (b, t->root);
  copy->tags = (char *) chunk_dup (a->strings, t->tags);
  copy->notes = (char *) chunk_dup (a->strings, t->notes);
}

static int
compare_exit (gconstpointer pa,
              gconstpointer pb)
{
  const EaJournalTrade *x = pa, *y = pb;

  if (x->exit_time_us != y->exit_time_us)
    return x->exit_time_us < y->exit_time_us ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id ? 1 : 0;
}

/* Orders the collected trades by exit time (and id), unless they already
 * are, as when they come from the journal in insertion order. */
static void
builder_sort (Builder *b)
{
  GArray *trades = b->a->trades;

  for (guint i = 1; i < trades->len; i++)
    if (compare_exit (&g_array_index (trades, EaJournalTrade, i - 1),
                      &g_array_index (trades, EaJournalTrade, i)) > 0)
      {
        g_array_sort (trades, compare_exit);
        return;
      }
}

/* The statistics of the collected trades, in array order. */
static gboolean
builder_compute (Builder  *b,
                 GError  **error)
{
  EaJournalAnalytics *a = b->a;

  for (guint i = 0; i < a->trades->len; i++)
    {
      const EaJournalTrade *t = &g_array_index (a->trades, EaJournalTrade, i);
      EaStatsTrade st;
      EaTimeUs duration;

      st.pnl = t->pnl_micros;
      st.time = t->exit_time_us;
      st.day = cached_trading_day (&b->cache, t->exit_time_us);
      st.instrument = 0;
      if (!ea_stats_accumulator_add (&b->acc, &st, error))
        {
          g_prefix_error (error, "Trade %" G_GINT64_FORMAT ": ", t->id);
          return FALSE;
        }

      b->cum += t->pnl_micros;
      g_array_append_val (a->equity, b->cum);

      if (b->day == NULL || b->day->day != (guint32) st.day)
        {
          EaJournalDay d = { (guint32) st.day, 0, 0 };

          g_array_append_val (a->days, d);
          b->day = &g_array_index (a->days, EaJournalDay, a->days->len - 1);
        }
      b->day->pnl += t->pnl_micros;
      b->day->n_trades++;

      duration = t->exit_time_us - t->entry_time_us;
      b->duration_sum += (double) duration / G_USEC_PER_SEC;
      if (t->pnl_micros > 0)
        b->win_duration_sum += (double) duration / G_USEC_PER_SEC;
      else if (t->pnl_micros < 0)
        b->loss_duration_sum += (double) duration / G_USEC_PER_SEC;
    }
  return TRUE;
}

static void
builder_clear (Builder *b)
{
  g_clear_pointer (&b->interned, g_hash_table_unref);
  g_clear_pointer (&b->a, ea_journal_analytics_free);
}

static EaJournalAnalytics *
builder_finish (Builder *b)
{
  EaJournalAnalytics *a = g_steal_pointer (&b->a);

  ea_stats_accumulator_summarize (&b->acc, &a->summary);
  if (a->summary.n_trades > 0)
    a->avg_duration_s = b->duration_sum / a->summary.n_trades;
  if (a->summary.n_wins > 0)
    a->avg_win_duration_s = b->win_duration_sum / a->summary.n_wins;
  if (a->summary.n_losses > 0)
    a->avg_loss_duration_s = b->loss_duration_sum / a->summary.n_losses;
  builder_clear (b);
  return a;
}

EaJournalAnalytics *
ea_journal_analytics_compute (const EaJournalTrade  *trades,
                              guint                  n_trades,
                              const EaJournalFilter *filter,
                              GError               **error)
{
  Builder b;

  g_return_val_if_fail (trades != NULL || n_trades == 0, NULL);

  /* In the caller's order: a trade of an earlier day after a later one is
   * an error, not something to sort. */
  builder_init (&b, filter, n_trades);
  for (guint i = 0; i < n_trades; i++)
    builder_collect (&b, &trades[i]);
  if (!builder_compute (&b, error))
    {
      builder_clear (&b);
      return NULL;
    }
  return builder_finish (&b);
}

void
ea_journal_analytics_free (EaJournalAnalytics *analytics)
{
  if (analytics == NULL)
    return;
  g_clear_pointer (&analytics->trades, g_array_unref);
  g_clear_pointer (&analytics->equity, g_array_unref);
  g_clear_pointer (&analytics->days, g_array_unref);
  g_clear_pointer (&analytics->strings, g_string_chunk_free);
  g_free (analytics);
}

gboolean
ea_journal_analytics_get_kelly_inputs (const EaJournalAnalytics *analytics,
                                       guint                     lookback,
                                       EaKellyInputs            *out,
                                       GError                  **error)
{
  guint n = analytics->trades->len;
  guint first = lookback > 0 && lookback < n ? n - lookback : 0;
  g_autofree EaStatsTrade *trades = g_new0 (EaStatsTrade, MAX (n - first, 1));
  EaStatsSummary summary;
  SessionCache cache;

  session_cache_init (&cache);
  for (guint i = first; i < n; i++)
    {
      const EaJournalTrade *t = &g_array_index (analytics->trades, EaJournalTrade, i);
      EaStatsTrade *st = &trades[i - first];

      st->pnl = t->pnl_micros;
      st->time = t->exit_time_us;
      st->day = cached_trading_day (&cache, t->exit_time_us);
      st->instrument = 0;
    }
  if (!ea_stats_compute (trades, n - first, EA_STATS_ALL_INSTRUMENTS, 0, &summary, error))
    return FALSE;
  ea_kelly_inputs_from_stats (&summary, out);
  return TRUE;
}

gboolean
ea_journal_analytics_set_trade_notes (EaJournalAnalytics *analytics,
                                      gint64              trade_id,
                                      const char         *tags,
                                      const char         *notes)
{
  for (guint i = 0; i < analytics->trades->len; i++)
    {
      EaJournalTrade *t = &g_array_index (analytics->trades, EaJournalTrade, i);

      if (t->id == trade_id)
        {
          t->tags = (char *) chunk_dup (analytics->strings, tags);
          t->notes = (char *) chunk_dup (analytics->strings, notes);
          return TRUE;
        }
    }
  return FALSE;
}

const EaJournalDay *
ea_journal_analytics_lookup_day (const EaJournalAnalytics *analytics,
                                 guint32                   day)
{
  guint lo = 0, hi = analytics->days->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const EaJournalDay *d = &g_array_index (analytics->days, EaJournalDay, mid);

      if (d->day == day)
        return d;
      if (d->day < day)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}

/* The query: one job on the journal's worker reads the rows of the
 * account, range and instrument and feeds them to the statistics. */

typedef struct
{
  EaJournalFilter  filter;     /* strings point to the two below */
  char            *root;
  char            *tag;
} QueryData;

static void
query_data_free (QueryData *data)
{
  g_free (data->root);
  g_free (data->tag);
  g_free (data);
}

static gboolean
analytics_job (EaJournalDb  *db,
               gpointer      data,
               gpointer     *result,
               GError      **error)
{
  QueryData *q = data;
  Builder b;
  sqlite3_stmt *stmt;
  int rc;

  /* Over the whole time range, reading the table in order and sorting the
   * rows here (they are nearly always in exit order already) costs a
   * quarter of a walk through the exit-time index, which looks every row
   * up in the table. A bounded range uses the index. */
  if (q->filter.from_us == G_MININT64 && q->filter.to_us == G_MAXINT64)
    stmt = _ea_journal_db_prepare (db,
                                   "SELECT id, account_id, symbol, root, side, qty, entry_time_us, exit_time_us, "
                                   "  entry_ticks, exit_ticks, pnl_micros, fees_micros, mae_ticks, mfe_ticks, "
                                   "  tags, notes, signal_id "
                                   "FROM trades NOT INDEXED WHERE ?2 < ?3 "
                                   "  AND (?1 = 0 OR account_id = ?1) AND (?4 IS NULL OR root = ?4)", error);
  else
    stmt = _ea_journal_db_prepare (db,
                                   "SELECT id, account_id, symbol, root, side, qty, entry_time_us, exit_time_us, "
                                   "  entry_ticks, exit_ticks, pnl_micros, fees_micros, mae_ticks, mfe_ticks, "
                                   "  tags, notes, signal_id "
                                   "FROM trades WHERE exit_time_us >= ?2 AND exit_time_us < ?3 "
                                   "  AND (?1 = 0 OR account_id = ?1) AND (?4 IS NULL OR root = ?4)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, q->filter.account_id);
  sqlite3_bind_int64 (stmt, 2, q->filter.from_us);
  sqlite3_bind_int64 (stmt, 3, q->filter.to_us);
  _ea_journal_bind_text (stmt, 4, q->filter.root);

  builder_init (&b, &q->filter, 1024);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      EaJournalTrade t;

      t.id = sqlite3_column_int64 (stmt, 0);
      t.account_id = sqlite3_column_int64 (stmt, 1);
      t.symbol = (char *) sqlite3_column_text (stmt, 2);
      t.root = (char *) sqlite3_column_text (stmt, 3);
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
      t.tags = (char *) sqlite3_column_text (stmt, 14);
      t.notes = (char *) sqlite3_column_text (stmt, 15);
      t.signal_id = sqlite3_column_int64 (stmt, 16);
      builder_collect (&b, &t);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      builder_clear (&b);
      return _ea_journal_db_set_error (db, rc, "loading trades", error);
    }

  builder_sort (&b);
  if (!builder_compute (&b, error))
    {
      builder_clear (&b);
      return FALSE;
    }
  *result = builder_finish (&b);
  return TRUE;
}

void
ea_journal_query_analytics_async (EaJournal             *journal,
                                  const EaJournalFilter *filter,
                                  GCancellable          *cancellable,
                                  GAsyncReadyCallback    callback,
                                  gpointer               user_data)
{
  QueryData *data;

  g_return_if_fail (EA_IS_JOURNAL (journal));

  data = g_new0 (QueryData, 1);
  if (filter != NULL)
    data->filter = *filter;
  else
    ea_journal_filter_init (&data->filter);
  data->root = data->filter.root != NULL && data->filter.root[0] != '\0' ? g_strdup (data->filter.root) : NULL;
  data->tag = g_strdup (data->filter.tag);
  data->filter.root = data->root;
  data->filter.tag = data->tag;

  _ea_journal_submit (journal, analytics_job, data, (GDestroyNotify) query_data_free,
                      (GDestroyNotify) ea_journal_analytics_free, FALSE,
                      ea_journal_query_analytics_async, cancellable, callback, user_data);
}

EaJournalAnalytics *
ea_journal_query_analytics_finish (EaJournal     *journal,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _ea_journal_finish_pointer (journal, result, ea_journal_query_analytics_async, error);
}
