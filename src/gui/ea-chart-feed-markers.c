/* ea-chart-feed-markers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Enigma signal markers and ERM reversal arrows of a fed chart. Signals
 * come from the trading store's signal list: a marker at the signal's
 * time and entry price, pointing its way. ERM reversals are the store's
 * "erm_reversal" alerts on the chart's instrument: an arrow at the
 * alert's time, at the price ERM saw then (the mid of the quote at that
 * time, or the close of its bar for alerts older than the chart), against
 * the signal it reverses.
 */
#define G_LOG_DOMAIN "ea-chart-feed"

#include "config.h"

#include <string.h>

#include "ea-alert.h"
#include "ea-chart-feed-private.h"
#include "ea-signal.h"

/* Same instrument: "ES" signals and alerts belong on an "ESZ6" chart. */
static gboolean
same_instrument (EaChartFeed *self,
                 const char  *symbol)
{
  const EaInstrumentSpec *spec;

  if (symbol == NULL)
    return FALSE;
  if (g_strcmp0 (symbol, self->symbol) == 0)
    return TRUE;
  spec = ea_desk_lookup_spec (symbol);
  return spec != NULL && self->spec != NULL && g_strcmp0 (spec->root, self->spec->root) == 0;
}

/* The desk writes the quoted symbol first in an ERM alert's body. */
static gboolean
alert_is_ours (EaChartFeed *self,
               EaAlert     *alert)
{
  const char *body = ea_alert_get_body (alert);
  const char *space;
  g_autofree char *symbol = NULL;

  if (g_strcmp0 (ea_alert_get_kind (alert), "erm_reversal") != 0 || body == NULL)
    return FALSE;
  space = strchr (body, ' ');
  symbol = space != NULL ? g_strndup (body, space - body) : g_strdup (body);
  return same_instrument (self, symbol);
}

void
_ea_chart_feed_record_mid (EaChartFeed *self,
                           EaTimeUs     time,
                           EaTicks      mid)
{
  self->mids[self->mid_pos % EA_CHART_FEED_N_MIDS] = (EaChartFeedMid) { time, mid };
  self->mid_pos++;
}

/* The mid of the latest quote at or before @time, from the recent ones. */
static gboolean
mid_at (EaChartFeed *self,
        EaTimeUs     time,
        EaTicks     *mid)
{
  guint n = MIN (self->mid_pos, EA_CHART_FEED_N_MIDS);

  for (guint i = 0; i < n; i++)
    {
      const EaChartFeedMid *m = &self->mids[(self->mid_pos - 1 - i) % EA_CHART_FEED_N_MIDS];

      if (m->time <= time)
        {
          /* Older than every kept quote: unknown. */
          if (i == n - 1 && n == EA_CHART_FEED_N_MIDS)
            return FALSE;
          *mid = m->mid;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
bar_close_at (EaChartFeed *self,
              EaTimeUs     time,
              EaTicks     *price)
{
  EaChartView *view = ea_chart_get_view (self->chart);
  gsize n = ea_chart_view_get_n_bars (view);

  for (gsize i = n; i > 0; i--)
    {
      const EaBar *bar = ea_chart_view_get_bar (view, i - 1);

      if (bar->start <= time)
        {
          *price = bar->close;
          return TRUE;
        }
    }
  return FALSE;
}

static void
alerts_changed_cb (GListModel  *model,
                   guint        position,
                   guint        removed,
                   guint        added,
                   EaChartFeed *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(EaAlert) alert = g_list_model_get_item (model, i);

      /* The quote that raised it reaches the feed after the desk: its
       * price is looked up at the refresh. */
      if (alert_is_ours (self, alert) && !g_hash_table_contains (self->erm_prices, alert))
        g_hash_table_insert (self->erm_prices, g_object_ref (alert), NULL);
    }
}

static void
resolve_erm_prices (EaChartFeed *self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->erm_prices);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      EaTicks mid;

      if (value == NULL && mid_at (self, ea_alert_get_time (EA_ALERT (key)), &mid) && mid > 0)
        g_hash_table_iter_replace (&iter, GSIZE_TO_POINTER ((gsize) mid));
    }
}

void
_ea_chart_feed_watch_markers (EaChartFeed *self)
{
  EaTradingStore *store = ea_desk_get_store (self->desk);

  g_signal_connect (ea_trading_store_get_alerts (store), "items-changed",
                    G_CALLBACK (alerts_changed_cb), self);
}

void
_ea_chart_feed_refresh_markers (EaChartFeed *self)
{
  EaTradingStore *store = ea_desk_get_store (self->desk);
  GListModel *signals = ea_trading_store_get_signals (store);
  GListModel *alerts = ea_trading_store_get_alerts (store);
  g_autoptr(GArray) markers = g_array_new (FALSE, TRUE, sizeof (EaChartMarker));
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ours = g_ptr_array_new_with_free_func (g_object_unref);

  resolve_erm_prices (self);

  for (guint i = 0; i < g_list_model_get_n_items (signals); i++)
    {
      g_autoptr(EaSignal) signal = g_list_model_get_item (signals, i);
      EaChartMarker marker = { 0 };
      char *text;

      if (!same_instrument (self, ea_signal_get_symbol (signal)) || ea_signal_get_direction (signal) == 0 ||
          ea_signal_get_entry_price (signal) <= 0)
        continue;

      text = g_strdup_printf ("Enigma %s signal, power %u, confluence %u (%s)",
                              ea_signal_get_direction (signal) > 0 ? "long" : "short",
                              ea_signal_get_power_score (signal), ea_signal_get_confluence (signal),
                              ea_signal_get_source (signal) ? ea_signal_get_source (signal) : "?");
      g_ptr_array_add (texts, text);
      marker.time = ea_signal_get_time (signal);
      marker.price = ea_signal_get_entry_price (signal);
      marker.side = ea_signal_get_direction (signal) > 0 ? EA_SIDE_BUY : EA_SIDE_SELL;
      marker.text = text;
      g_array_append_val (markers, marker);
      g_ptr_array_add (ours, g_steal_pointer (&signal));
    }
  ea_chart_set_markers (self->chart, EA_CHART_MARKER_SIGNAL, (EaChartMarker *) (gpointer) markers->data, markers->len);

  g_array_set_size (markers, 0);
  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(EaAlert) alert = g_list_model_get_item (alerts, i);
      EaTimeUs time = ea_alert_get_time (alert);
      EaSignal *reversed = NULL;
      EaChartMarker marker = { 0 };
      gpointer stored;

      if (!alert_is_ours (self, alert))
        continue;

      /* It reverses the latest signal before it. */
      for (guint j = 0; j < ours->len; j++)
        {
          EaSignal *s = g_ptr_array_index (ours, j);

          if (ea_signal_get_time (s) <= time &&
              (reversed == NULL || ea_signal_get_time (s) >= ea_signal_get_time (reversed)))
            reversed = s;
        }
      if (reversed == NULL)
        continue;

      if (g_hash_table_lookup_extended (self->erm_prices, alert, NULL, &stored))
        marker.price = (EaTicks) GPOINTER_TO_SIZE (stored);
      if (marker.price <= 0 && !bar_close_at (self, time, &marker.price))
        continue;

      marker.time = time;
      marker.side = ea_signal_get_direction (reversed) > 0 ? EA_SIDE_SELL : EA_SIDE_BUY;
      marker.text = ea_alert_get_body (alert);
      g_array_append_val (markers, marker);
    }
  ea_chart_set_markers (self->chart, EA_CHART_MARKER_ERM, (EaChartMarker *) (gpointer) markers->data, markers->len);
}
