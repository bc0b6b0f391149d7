/* ea-bars.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Trades -> bars: time bars of any period from 1 s to 1 day, and range
 * bars ("AlgoBars"). Incremental (one trade at a time) and batch.
 *
 * Time bars
 *   A trade at time t belongs to the bar [start, start + period) with
 *   start = origin + k * period, k = floor ((t - origin) / period). The
 *   default origin 0 aligns bars to the Unix epoch in UTC (a 5-minute bar
 *   starts at :00, :05 …). A daily bar aligned to a trading day either
 *   passes that day's boundary as the origin (a fixed UTC time of day) or
 *   a boundary function (for boundaries that move with daylight saving
 *   time); the core itself knows no calendar. A period without trades
 *   produces no bar. A bar closes when the first trade of a later period
 *   arrives, or when the caller advances the clock past its end
 *   (ea_bar_builder_close_until()).
 *
 * Range bars (AlgoBars, N ticks, default 4)
 *   A bar opens at the price of the first trade after the previous bar
 *   closed. Every trade is added to the forming bar; right after a trade
 *   is added, the bar closes if |close - open| >= N. When price moves tick
 *   by tick, a bar therefore closes at exactly open ± N. A trade that gaps
 *   beyond open ± N closes the bar at its own, real price (the bar's close
 *   is then more than N ticks from its open): no price is invented, no
 *   phantom bars fill the gap, and the trade's volume stays in the bar it
 *   closed. The next bar opens at the next trade, whatever its price.
 *   The range bar's start and end are the times of its first and last
 *   trade.
 *
 * In both kinds a closed bar is final (never repainted), every trade is in
 * exactly one bar and sum (bar volumes) == sum (trade volumes). A trade
 * stamped earlier than the forming bar's start (a late print) is counted
 * in the forming bar. Prices are ticks and may be negative.
 */
#pragma once

#include <glib.h>

#include "ea-core-types.h"

G_BEGIN_DECLS

#define EA_BARS_ERROR (ea_bars_error_quark ())

typedef enum
{
  EA_BARS_ERROR_INVALID_SPEC,
  EA_BARS_ERROR_INVALID_TRADE,
} EaBarsError;

typedef enum
{
  EA_BAR_KIND_TIME,
  EA_BAR_KIND_RANGE,
} EaBarKind;

#define EA_BAR_MIN_PERIOD_US     G_GINT64_CONSTANT (1000000)
#define EA_BAR_MAX_PERIOD_US     (G_GINT64_CONSTANT (86400) * 1000000)
#define EA_BAR_DEFAULT_RANGE     4
#define EA_BAR_MAX_RANGE         1000000

typedef struct
{
  EaBarKind kind;
  EaTimeUs  period;  /* time bars: 1 s … 1 day */
  EaTimeUs  origin;  /* time bars: a bar boundary; 0 = the epoch */
  EaTicks   range;   /* range bars: N ticks, 1 … EA_BAR_MAX_RANGE */
} EaBarSpec;

/* One trade (time and sales print). */
typedef struct
{
  EaTimeUs time;
  EaTicks  price;
  gint64   volume;  /* >= 0 */
} EaTrade;

typedef struct
{
  EaTimeUs start;    /* time bars: period start; range bars: first trade */
  EaTimeUs end;      /* time bars: period end (exclusive); range bars: last trade */
  EaTicks  open;
  EaTicks  high;
  EaTicks  low;
  EaTicks  close;
  gint64   volume;
  gint64   n_ticks;  /* trades in the bar */
} EaBar;

/* Boundary function for time bars with irregular boundaries (e.g. daily
 * bars from 17:00 America/Chicago): set *start and *end to the bar that
 * contains @t, with *start <= t < *end. Called only for a trade that
 * opens a new bar (no forming bar, or one at or after its end). */
typedef void (*EaBarBoundaryFunc) (EaTimeUs  t,
                                   EaTimeUs *start,
                                   EaTimeUs *end,
                                   gpointer  user_data);

typedef struct _EaBarBuilder EaBarBuilder;

GQuark        ea_bars_error_quark        (void);

/* Time bars of @period_us aligned to @origin_us. */
EaBarSpec     ea_bar_spec_time           (EaTimeUs          period_us,
                                          EaTimeUs          origin_us);
EaBarSpec     ea_bar_spec_range          (EaTicks           range_ticks);
gboolean      ea_bar_spec_validate       (const EaBarSpec  *spec,
                                          GError          **error);

/* "30s", "1m", "5m", "1h", "4h", "1d" (time, epoch-aligned) and "4R",
 * "range:4" (range bars); ea_bar_spec_format() writes the canonical form
 * ("30s", "90s", "5m", "1h", "1d", "4R"; a period that is not a whole
 * number of seconds as microseconds, "1500000us", which parses back). */
gboolean      ea_bar_spec_parse          (const char       *str,
                                          EaBarSpec        *out,
                                          GError          **error);
char         *ea_bar_spec_format         (const EaBarSpec  *spec);

EaBarBuilder *ea_bar_builder_new         (const EaBarSpec  *spec,
                                          GError          **error);
/* Time bars whose boundaries come from @func (the spec's period and
 * origin are not used). */
EaBarBuilder *ea_bar_builder_new_with_boundaries (EaBarBoundaryFunc func,
                                                  gpointer          user_data,
                                                  GDestroyNotify    destroy);
void          ea_bar_builder_free        (EaBarBuilder     *self);
void          ea_bar_builder_reset       (EaBarBuilder     *self);

/* Adds one trade. Returns TRUE when a bar closed; it is copied to
 * @closed. For time bars the closed bar is the previous one (the trade
 * opens the next bar); for range bars it is the bar this trade closed.
 * A negative @volume is a programming error (returns FALSE, adds
 * nothing). */
gboolean      ea_bar_builder_push        (EaBarBuilder     *self,
                                          EaTimeUs          time,
                                          EaTicks           price,
                                          gint64            volume,
                                          EaBar            *closed);

/* Time bars: closes the forming bar when @now has reached its end.
 * Returns TRUE and copies it to @closed. Always FALSE for range bars. */
gboolean      ea_bar_builder_close_until (EaBarBuilder     *self,
                                          EaTimeUs          now,
                                          EaBar            *closed);

/* The forming bar, or NULL when none. Valid until the next call. */
const EaBar  *ea_bar_builder_peek_forming (EaBarBuilder    *self);

/* Closes the forming bar (end of data). Returns FALSE when there is none. */
gboolean      ea_bar_builder_flush       (EaBarBuilder     *self,
                                          EaBar            *closed);

/* Batch: the bars of @trades (must be in time order for time bars). With
 * @include_forming the last, unfinished bar is included. Returns NULL
 * with an error for an invalid spec or a trade with a negative volume. */
GArray       *ea_bars_from_trades        (const EaBarSpec  *spec,
                                          const EaTrade    *trades,
                                          gsize             n_trades,
                                          gboolean          include_forming,
                                          GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaBarBuilder, ea_bar_builder_free)

G_END_DECLS
