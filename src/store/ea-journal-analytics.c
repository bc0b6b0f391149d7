/* ea-journal-analytics.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-journal"

#include "config.h"

#include <string.h>

#include "ea-journal-analytics.h"
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

static void
trade_copy (EaJournalTrade       *dst,
            const EaJournalTrade *src)
{
  *dst = *src;
  dst->symbol = g_strdup (src->symbol);
  dst->root = g_strdup (src->root);
  dst->tags = g_strdup (src->tags);
  dst->notes = g_strdup (src->notes);
}

/* With @steal, the matching trades are moved out of @trades (their strings
 * set to NULL there) rather than copied. */
static EaJournalAnalytics *
compute (EaJournalTrade        *trades,
         guint                  n_trades,
         const EaJournalFilter *filter,
         gboolean               steal,
         GError               **error)
{
  g_autoptr(EaJournalAnalytics) a = g_new0 (EaJournalAnalytics, 1);
  EaStatsAccumulator acc;
  SessionCache cache;
  EaJournalDay *day = NULL;
  double duration_sum = 0, win_duration_sum = 0, loss_duration_sum = 0;
  EaMicros cum = 0;

  a->trades = g_array_sized_new (FALSE, TRUE, sizeof (EaJournalTrade), n_trades);
  g_array_set_clear_func (a->trades, (GDestroyNotify) ea_journal_trade_clear);
  a->equity = g_array_sized_new (FALSE, FALSE, sizeof (EaMicros), n_trades);
  a->days = g_array_new (FALSE, FALSE, sizeof (EaJournalDay));
  ea_stats_accumulator_init (&acc);
  session_cache_init (&cache);

  for (guint i = 0; i < n_trades; i++)
    {
      EaJournalTrade *t = &trades[i];
      EaStatsTrade st;
      EaTimeUs duration;

      if (filter != NULL
          && (!match_fields (filter, t)
              || !match_session (filter->session,
                                 filter->session == EA_JOURNAL_SESSION_ANY
                                   ? EA_ET_WINDOW_NONE : cached_et_window (&cache, t->entry_time_us))))
        continue;

      st.pnl = t->pnl_micros;
      st.time = t->exit_time_us;
      st.day = cached_trading_day (&cache, t->exit_time_us);
      st.instrument = 0;
      if (!ea_stats_accumulator_add (&acc, &st, error))
        {
          g_prefix_error (error, "Trade %" G_GINT64_FORMAT ": ", t->id);
          return NULL;
        }

      g_array_set_size (a->trades, a->trades->len + 1);
      if (steal)
        {
          g_array_index (a->trades, EaJournalTrade, a->trades->len - 1) = *t;
          t->symbol = t->root = t->tags = t->notes = NULL;
        }
      else
        trade_copy (&g_array_index (a->trades, EaJournalTrade, a->trades->len - 1), t);
      cum += t->pnl_micros;
      g_array_append_val (a->equity, cum);

      if (day == NULL || day->day != (guint32) st.day)
        {
          EaJournalDay d = { (guint32) st.day, 0, 0 };

          g_array_append_val (a->days, d);
          day = &g_array_index (a->days, EaJournalDay, a->days->len - 1);
        }
      day->pnl += t->pnl_micros;
      day->n_trades++;

      duration = t->exit_time_us - t->entry_time_us;
      duration_sum += (double) duration / G_USEC_PER_SEC;
      if (t->pnl_micros > 0)
        win_duration_sum += (double) duration / G_USEC_PER_SEC;
      else if (t->pnl_micros < 0)
        loss_duration_sum += (double) duration / G_USEC_PER_SEC;
    }

  ea_stats_accumulator_summarize (&acc, &a->summary);
  if (a->summary.n_trades > 0)
    a->avg_duration_s = duration_sum / a->summary.n_trades;
  if (a->summary.n_wins > 0)
    a->avg_win_duration_s = win_duration_sum / a->summary.n_wins;
  if (a->summary.n_losses > 0)
    a->avg_loss_duration_s = loss_duration_sum / a->summary.n_losses;

  return g_steal_pointer (&a);
}

EaJournalAnalytics *
ea_journal_analytics_compute (const EaJournalTrade  *trades,
                              guint                  n_trades,
                              const EaJournalFilter *filter,
                              GError               **error)
{
  g_return_val_if_fail (trades != NULL || n_trades == 0, NULL);

  return compute ((EaJournalTrade *) trades, n_trades, filter, FALSE, error);
}

void
ea_journal_analytics_free (EaJournalAnalytics *analytics)
{
  if (analytics == NULL)
    return;
  g_clear_pointer (&analytics->trades, g_array_unref);
  g_clear_pointer (&analytics->equity, g_array_unref);
  g_clear_pointer (&analytics->days, g_array_unref);
  g_free (analytics);
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

/* The query: trades from the journal's worker, statistics in a GTask
 * thread. */

typedef struct
{
  EaJournalFilter  filter;     /* strings point to the two below */
  char            *root;
  char            *tag;
  GArray          *trades;
} QueryData;

static void
query_data_free (QueryData *data)
{
  g_free (data->root);
  g_free (data->tag);
  g_clear_pointer (&data->trades, g_array_unref);
  g_free (data);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  QueryData *data = task_data;
  GError *error = NULL;
  EaJournalAnalytics *a;

  a = compute ((EaJournalTrade *) (gpointer) data->trades->data, data->trades->len, &data->filter, TRUE, &error);
  if (a == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, a, (GDestroyNotify) ea_journal_analytics_free);
}

static void
trades_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QueryData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->trades = ea_journal_load_trades_finish (EA_JOURNAL (object), result, &error);
  if (data->trades == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_run_in_thread (task, compute_thread);
}

void
ea_journal_query_analytics_async (EaJournal             *journal,
                                  const EaJournalFilter *filter,
                                  GCancellable          *cancellable,
                                  GAsyncReadyCallback    callback,
                                  gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  QueryData *data;

  g_return_if_fail (EA_IS_JOURNAL (journal));

  data = g_new0 (QueryData, 1);
  if (filter != NULL)
    data->filter = *filter;
  else
    ea_journal_filter_init (&data->filter);
  data->root = g_strdup (data->filter.root);
  data->tag = g_strdup (data->filter.tag);
  data->filter.root = data->root;
  data->filter.tag = data->tag;

  task = g_task_new (journal, cancellable, callback, user_data);
  g_task_set_source_tag (task, ea_journal_query_analytics_async);
  g_task_set_task_data (task, data, (GDestroyNotify) query_data_free);
  g_task_set_return_on_cancel (task, FALSE);

  ea_journal_load_trades_async (journal, data->filter.account_id, data->filter.from_us, data->filter.to_us,
                                cancellable, trades_loaded_cb, g_steal_pointer (&task));
}

EaJournalAnalytics *
ea_journal_query_analytics_finish (EaJournal     *journal,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, journal), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ea_journal_query_analytics_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
