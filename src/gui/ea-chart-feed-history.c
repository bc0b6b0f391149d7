/* ea-chart-feed-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * History for a fed chart. When the chart opens or its bar period
 * changes, the feed asks a broker that serves history for the latest
 * closed bars (ending at the desk's clock, which is the exchange's in
 * Demo mode), and otherwise reads the bars the journal stored. Loaded
 * bars and the bars that close live are written back to the journal, so
 * the next start has them even without a broker that serves history.
 * A broker that builds bars itself (ea_broker_subscribe_bars()) feeds the
 * forming bar and the ones after it instead of the live prints.
 */
#define G_LOG_DOMAIN "ea-chart-feed"

#include "config.h"

#include "ea-chart-feed-private.h"

typedef struct
{
  EaChartFeed *feed;    /* strong */
  EaBarSpec    spec;
  EaTimeUs     end;
  guint        serial;
  guint        broker_index;  /* the next broker to ask */
} HistoryRequest;

static void
history_request_free (HistoryRequest *req)
{
  g_object_unref (req->feed);
  g_free (req);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HistoryRequest, history_request_free)

static void
upsert_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ea_journal_upsert_bars_finish (EA_JOURNAL (object), result, &error))
    g_message ("Could not store chart bars: %s", error->message);
}

void
_ea_chart_feed_store_bars (EaChartFeed *self,
                           EaTimeUs     period,
                           const EaBar *bars,
                           guint        n_bars)
{
  EaJournal *journal = ea_desk_get_journal (self->desk);
  g_autoptr(GArray) rows = NULL;

  if (journal == NULL || n_bars == 0 || period % G_USEC_PER_SEC != 0)
    return;

  rows = g_array_sized_new (FALSE, TRUE, sizeof (EaJournalBar), n_bars);
  for (guint i = 0; i < n_bars; i++)
    {
      EaJournalBar row = {
        .symbol = self->symbol,
        .root = self->spec != NULL ? self->spec->root : self->symbol,
        .period_s = (gint) (period / G_USEC_PER_SEC),
        .open_time_us = bars[i].start,
        .open_ticks = bars[i].open,
        .high_ticks = bars[i].high,
        .low_ticks = bars[i].low,
        .close_ticks = bars[i].close,
        .volume = bars[i].volume,
      };

      g_array_append_val (rows, row);
    }
  /* The journal copies the rows before returning. */
  ea_journal_upsert_bars_async (journal, (const EaJournalBar *) (gpointer) rows->data, rows->len,
                                NULL, upsert_done_cb, NULL);
}

static gboolean
is_current (HistoryRequest *req)
{
  return req->feed->chart != NULL && req->serial == req->feed->history_serial;
}

static void
show_history (EaChartFeed *self,
              GArray      *bars,
              gboolean     from_broker)
{
  EaTimeUs history_end = bars->len > 0 ? g_array_index (bars, EaBar, bars->len - 1).end : G_MININT64;

  self->history_loaded = TRUE;
  self->history_from_broker = from_broker;
  self->n_history = bars->len;

  ea_chart_set_bars (self->chart, (const EaBar *) (gpointer) bars->data, bars->len);
  /* The broker's live bars start where the history ends. */
  self->live_floor = history_end;
  self->has_forming = FALSE;
  for (guint i = 0; i < self->pending_bars->len; i++)
    _ea_chart_feed_live_bar (self, &g_array_index (self->pending_bars, EaBar, i));
  g_array_set_size (self->pending_bars, 0);
  /* Prints that arrived while the history was on its way continue it. */
  for (guint i = 0; i < self->pending->len; i++)
    {
      const EaTrade *t = &g_array_index (self->pending, EaTrade, i);

      if (t->time >= history_end)
        ea_chart_push_trade (self->chart, t->time, t->price, t->volume, NULL);
    }
  g_array_set_size (self->pending, 0);
  /* Markers older than the chart are placed on its bars. */
  _ea_chart_feed_queue_refresh (self);
  _ea_chart_feed_history_loaded (self, bars->len);
}

static void
journal_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HistoryRequest) req = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = ea_journal_load_bars_finish (EA_JOURNAL (object), result, &error);
  g_autoptr(GArray) bars = NULL;
  guint first;

  if (!is_current (req))
    return;
  if (rows == NULL)
    {
      g_message ("No stored bars for %s: %s", req->feed->symbol, error->message);
      return;
    }

  bars = g_array_sized_new (FALSE, TRUE, sizeof (EaBar), rows->len);
  first = rows->len > EA_CHART_FEED_HISTORY_BARS ? rows->len - EA_CHART_FEED_HISTORY_BARS : 0;
  for (guint i = first; i < rows->len; i++)
    {
      const EaJournalBar *row = &g_array_index (rows, EaJournalBar, i);
      EaBar bar = {
        .start = row->open_time_us,
        .end = row->open_time_us + req->spec.period,
        .open = row->open_ticks,
        .high = row->high_ticks,
        .low = row->low_ticks,
        .close = row->close_ticks,
        .volume = row->volume,
        .n_ticks = 0,
      };

      if (bar.end > req->end)
        continue;
      g_array_append_val (bars, bar);
    }
  show_history (req->feed, bars, FALSE);
}

static void
load_from_journal (HistoryRequest *req)
{
  EaJournal *journal = ea_desk_get_journal (req->feed->desk);
  EaTimeUs span = req->spec.period * EA_CHART_FEED_HISTORY_BARS;

  if (journal == NULL || req->spec.period % G_USEC_PER_SEC != 0)
    {
      /* No history anywhere: the chart starts with the live prints. */
      req->feed->history_loaded = TRUE;
      req->feed->live_floor = G_MININT64;
      req->feed->has_forming = FALSE;
      g_array_set_size (req->feed->pending, 0);
      for (guint i = 0; i < req->feed->pending_bars->len; i++)
        _ea_chart_feed_live_bar (req->feed, &g_array_index (req->feed->pending_bars, EaBar, i));
      g_array_set_size (req->feed->pending_bars, 0);
      history_request_free (req);
      return;
    }
  /* Twice the span: closed sessions leave gaps. */
  ea_journal_load_bars_async (journal, req->feed->symbol, (gint) (req->spec.period / G_USEC_PER_SEC),
                              req->end - 2 * span, req->end, req->feed->cancellable,
                              journal_loaded_cb, req);
}

/* The next connected broker from @req's index on that serves history. */
static EaBroker *
next_history_broker (HistoryRequest *req)
{
  GPtrArray *brokers = ea_desk_get_brokers (req->feed->desk);

  for (; brokers != NULL && req->broker_index < brokers->len; req->broker_index++)
    {
      EaBroker *broker = g_ptr_array_index (brokers, req->broker_index);

      if (ea_broker_can_load_bars (broker) &&
          ea_broker_get_connection_state (broker) == EA_CONNECTION_STATE_CONNECTED)
        {
          req->broker_index++;
          return broker;
        }
    }
  return NULL;
}

static void broker_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data);

/* Asks the next broker that serves history, else the journal. */
static void
load_next (HistoryRequest *req)
{
  EaBroker *broker = next_history_broker (req);

  if (broker != NULL)
    ea_broker_load_bars_async (broker, req->feed->symbol, req->spec.period, req->end,
                               EA_CHART_FEED_HISTORY_BARS, req->feed->cancellable, broker_loaded_cb, req);
  else
    load_from_journal (req);
}

static void
broker_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  HistoryRequest *req = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) bars = ea_broker_load_bars_finish (EA_BROKER (object), result, &error);

  if (!is_current (req))
    {
      history_request_free (req);
      return;
    }
  if (bars == NULL)
    {
      g_message ("%s served no history for %s: %s",
                 ea_broker_get_name (EA_BROKER (object)), req->feed->symbol, error->message);
      load_next (req);
      return;
    }

  show_history (req->feed, bars, TRUE);
  _ea_chart_feed_store_bars (req->feed, req->spec.period, (const EaBar *) (gpointer) bars->data, bars->len);
  history_request_free (req);
}

/* Loads the history of the chart's current bar spec; a newer request
 * supersedes any still running. Range bars have no stored history. */
void
_ea_chart_feed_load_history (EaChartFeed *self)
{
  const EaBarSpec *spec;
  HistoryRequest *req;

  if (self->chart == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->history_serial++;
  self->history_loaded = FALSE;
  self->history_from_broker = FALSE;

  spec = ea_chart_get_bar_spec (self->chart);
  g_clear_pointer (&self->builder, ea_bar_builder_free);
  g_array_set_size (self->pending_bars, 0);
  self->has_forming = FALSE;
  _ea_chart_feed_subscribe_bars (self);
  if (spec->kind != EA_BAR_KIND_TIME || spec->period <= 0)
    return;
  self->builder = ea_bar_builder_new (spec, NULL);

  req = g_new0 (HistoryRequest, 1);
  req->feed = g_object_ref (self);
  req->spec = *spec;
  req->end = ea_desk_get_time (self->desk);
  req->serial = self->history_serial;

  g_array_set_size (self->pending, 0);
  load_next (req);
}

/* Live bars ----------------------------------------------------------------- */

void
_ea_chart_feed_unsubscribe_bars (EaChartFeed *self)
{
  if (self->bars_broker == NULL)
    return;
  ea_broker_unsubscribe_bars (self->bars_broker, self->symbol, self->bars_period);
  self->bars_broker = NULL;
  self->bars_period = 0;
}

/* The first of the desk's connected brokers that builds bars of the
 * chart's symbol and period feeds them; the others' prints still place
 * the markers. */
void
_ea_chart_feed_subscribe_bars (EaChartFeed *self)
{
  const EaBarSpec *spec = self->chart ? ea_chart_get_bar_spec (self->chart) : NULL;
  GPtrArray *brokers = ea_desk_get_brokers (self->desk);

  _ea_chart_feed_unsubscribe_bars (self);
  if (spec == NULL || spec->kind != EA_BAR_KIND_TIME || spec->period <= 0 || spec->origin != 0)
    return;

  for (guint i = 0; brokers != NULL && i < brokers->len; i++)
    {
      EaBroker *broker = g_ptr_array_index (brokers, i);
      g_autoptr(GError) error = NULL;

      if (!ea_broker_can_subscribe_bars (broker) ||
          ea_broker_get_connection_state (broker) != EA_CONNECTION_STATE_CONNECTED)
        continue;
      if (ea_broker_subscribe_bars (broker, self->symbol, spec->period, &error))
        {
          self->bars_broker = broker;
          self->bars_period = spec->period;
          return;
        }
      g_debug ("%s builds no live bars of %s: %s", ea_broker_get_name (broker), self->symbol, error->message);
    }
}

/* One bar from the bars broker: the forming one again, or a new one, which
 * closes the one before it. Older bars and bars that make no sense are
 * left out, so the series stays whole. */
void
_ea_chart_feed_live_bar (EaChartFeed *self,
                         const EaBar *bar)
{
  if (self->chart == NULL)
    return;
  if (bar->end != bar->start + self->bars_period || bar->start % self->bars_period != 0 ||
      bar->low > MIN (bar->open, bar->close) || bar->high < MAX (bar->open, bar->close) ||
      bar->volume < 0)
    {
      g_debug ("A live bar of %s that makes no sense was left out", self->symbol);
      return;
    }
  if (!self->history_loaded)
    {
      if (self->pending_bars->len < 100000)
        g_array_append_val (self->pending_bars, *bar);
      return;
    }
  if (bar->start < self->live_floor || (self->has_forming && bar->start < self->forming.start))
    return;

  if (self->has_forming && bar->start > self->forming.start)
    {
      ea_chart_append_bar (self->chart, &self->forming);
      _ea_chart_feed_store_bars (self, self->bars_period, &self->forming, 1);
    }
  self->forming = *bar;
  self->has_forming = TRUE;
  ea_chart_update_forming (self->chart, &self->forming);
}

/* Live prints: the bars that close are stored for the next start. */
void
_ea_chart_feed_record_trade (EaChartFeed *self,
                             EaTimeUs     time,
                             EaTicks      price,
                             gint64       volume)
{
  EaBar closed;

  if (!self->history_loaded && self->builder != NULL && self->pending->len < 100000)
    {
      EaTrade t = { time, price, volume };

      g_array_append_val (self->pending, t);
    }
  if (self->builder == NULL)
    return;
  if (ea_bar_builder_push (self->builder, time, price, volume, &closed))
    _ea_chart_feed_store_bars (self, ea_chart_get_bar_spec (self->chart)->period, &closed, 1);
}
