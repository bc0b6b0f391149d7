/* ea-chart-feed.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ea-chart.h"
#include "ea-desk.h"

G_BEGIN_DECLS

#define EA_TYPE_CHART_FEED (ea_chart_feed_get_type ())

G_DECLARE_FINAL_TYPE (EaChartFeed, ea_chart_feed, EA, CHART_FEED, GObject)

EaChartFeed *ea_chart_feed_new (EaDesk     *desk,
                                EaChart    *chart,
                                const char *account,
                                const char *symbol);

G_END_DECLS
