/* ea-signal.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaSignal: an Enigma signal (DOMAIN §5): direction +1/-1, entry price
 * in ticks, power score 10–100 (else 0), confluence level 0–4, colour
 * ("GREEN", "RED", "BLUE", "PINK", "NONE"), MACVU state ("GREEN", "RED",
 * "YELLOW", "NEUTRAL"), ATR in points, its source. "active" turns off
 * once the signal has been used or reversed.
 */
#pragma once

#include <glib-object.h>

#include "ea-trade-data.h"

G_BEGIN_DECLS

#define EA_TYPE_SIGNAL (ea_signal_get_type ())

G_DECLARE_FINAL_TYPE (EaSignal, ea_signal, EA, SIGNAL, GObject)

EaSignal *   ea_signal_new             (gint64 time,
                                        const char *symbol,
                                        int direction,
                                        gint64 entry_price,
                                        guint power_score,
                                        guint confluence,
                                        const char *color,
                                        const char *macvu,
                                        double atr,          /* ticks; 0 = unknown */
                                        const char *source);
gint64       ea_signal_get_time        (EaSignal *self);
const char * ea_signal_get_symbol      (EaSignal *self);
int          ea_signal_get_direction   (EaSignal *self);
gint64       ea_signal_get_entry_price (EaSignal *self);
guint        ea_signal_get_power_score (EaSignal *self);
guint        ea_signal_get_confluence  (EaSignal *self);
const char * ea_signal_get_color       (EaSignal *self);
const char * ea_signal_get_macvu       (EaSignal *self);
double       ea_signal_get_atr         (EaSignal *self);
const char * ea_signal_get_source      (EaSignal *self);
gboolean     ea_signal_get_active      (EaSignal *self);
/* 0 … 1; the power score / 100 unless set. */
double       ea_signal_get_confidence  (EaSignal *self);
void         ea_signal_set_confidence  (EaSignal *self,
                                        double    confidence);
void         ea_signal_set_active      (EaSignal *self,
                                        gboolean active);

G_END_DECLS
