/* ea-chart-feed-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internals shared by ea-chart-feed.c (live data and overlays) and
 * ea-chart-feed-history.c (history from the broker or the journal).
 */
#pragma once

#include "ea-chart-feed.h"

G_BEGIN_DECLS

/* Recent mids kept to place ERM arrows at the price ERM saw. */
#define EA_CHART_FEED_N_MIDS 256

typedef struct
{
  EaTimeUs time;
  EaTicks  mid;
} EaChartFeedMid;

/* Bars of history loaded when a chart opens or its period changes. */
#define EA_CHART_FEED_HISTORY_BARS 500

struct _EaChartFeed
{
  GObject                 parent_instance;

  EaDesk                 *desk;
  EaChart                *chart;   /* weak */
  char                   *account;
  char                   *symbol;
  const EaInstrumentSpec *spec;
  guint                   refresh_source;

  /* History. */
  GCancellable           *cancellable;
  guint                   history_serial;
  gboolean                history_loaded;
  gboolean                history_from_broker;
  guint                   n_history;
  EaBarBuilder           *builder;  /* live bars, to store as they close */
  GArray                 *pending;  /* EaTrade, live prints while history loads */

  /* Live bars from a broker that builds them (then prints only place
   * markers): the forming bar, and bars that came while history loads. */
  EaBroker               *bars_broker;   /* not owned; NULL: bars from prints */
  EaTimeUs                bars_period;
  EaTimeUs                live_floor;    /* bars starting before it are history's */
  gboolean                has_forming;
  EaBar                   forming;
  GArray                 *pending_bars;  /* EaBar */

  /* Markers. */
  EaChartFeedMid          mids[EA_CHART_FEED_N_MIDS];
  guint                   mid_pos;
  GHashTable             *erm_prices;  /* EaAlert -> EaTicks, NULL until known */
};

void _ea_chart_feed_load_history  (EaChartFeed *self);
void _ea_chart_feed_history_loaded (EaChartFeed *self,
                                   guint        n_bars);
void _ea_chart_feed_record_trade  (EaChartFeed *self,
                                   EaTimeUs     time,
                                   EaTicks      price,
                                   gint64       volume);
void _ea_chart_feed_queue_refresh   (EaChartFeed *self);
void _ea_chart_feed_watch_markers   (EaChartFeed *self);
void _ea_chart_feed_refresh_markers (EaChartFeed *self);
void _ea_chart_feed_record_mid      (EaChartFeed *self,
                                     EaTimeUs     time,
                                     EaTicks      mid);
void _ea_chart_feed_subscribe_bars (EaChartFeed *self);
void _ea_chart_feed_unsubscribe_bars (EaChartFeed *self);
void _ea_chart_feed_live_bar      (EaChartFeed *self,
                                   const EaBar *bar);
void _ea_chart_feed_store_bars    (EaChartFeed *self,
                                   EaTimeUs     period,
                                   const EaBar *bars,
                                   guint        n_bars);

G_END_DECLS
