/* ea-demo-signals.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Demo mode's built-in signal source, clearly not an Enigma signal:
 * prices are grouped into fixed-length bars; on each closed bar a fast
 * and a slow EMA of the closes are updated (seeded with the first close,
 * alpha = 2 / (n + 1)); when the fast EMA crosses the slow one a signal
 * is given in the crossing direction. Its power score comes from the
 * trend's strength:
 *
 *   atr   = mean of the last (up to) 14 bar ranges (high − low), ≥ 1 tick
 *   power = clamp (round (40 + 60 × min (1, |close − slow| / atr)), 0, 100)
 *
 * No signal before `slow` bars have closed.
 */
#pragma once

#include <glib.h>

#include "ea-core-types.h"

G_BEGIN_DECLS

#define EA_DEMO_SIGNALS_ATR_BARS 14

typedef struct _EaDemoSignals EaDemoSignals;

typedef struct
{
  EaTimeUs time;        /* close time of the bar that crossed */
  EaSide   direction;
  EaTicks  entry;       /* the bar's close */
  guint    power_score; /* 0 … 100 */
  double   atr;         /* ticks */
  double   fast;
  double   slow;
} EaDemoSignal;

/* @fast < @slow, both ≥ 1; @bar_usec > 0. NULL for bad arguments. */
EaDemoSignals *ea_demo_signals_new       (guint               fast,
                                          guint               slow,
                                          EaTimeUs            bar_usec);
void           ea_demo_signals_free      (EaDemoSignals      *self);
/* Feeds one price; TRUE when a bar closed with a crossover (then @out
 * holds the signal). Prices older than the current bar are ignored. */
gboolean       ea_demo_signals_add_price (EaDemoSignals      *self,
                                          EaTimeUs            time,
                                          EaTicks             price,
                                          EaDemoSignal       *out);
/* Feeds one whole bar (for tests and replays). */
gboolean       ea_demo_signals_add_bar   (EaDemoSignals      *self,
                                          EaTimeUs            close_time,
                                          EaTicks             high,
                                          EaTicks             low,
                                          EaTicks             close,
                                          EaDemoSignal       *out);
guint          ea_demo_signals_get_n_bars (EaDemoSignals     *self);
/* The power score for a close, slow EMA and ATR, as above. */
guint          ea_demo_signals_power     (double              close,
                                          double              slow,
                                          double              atr);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaDemoSignals, ea_demo_signals_free)

G_END_DECLS
