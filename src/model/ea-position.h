/* ea-position.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaPosition: the net position of one account in one symbol. qty is
 * signed (> 0 long); avg-price is in ticks; money in micro-units.
 */
#pragma once

#include <glib-object.h>

#include "ea-trade-data.h"

G_BEGIN_DECLS

#define EA_TYPE_POSITION (ea_position_get_type ())

G_DECLARE_FINAL_TYPE (EaPosition, ea_position, EA, POSITION, GObject)

EaPosition * ea_position_new_from_data    (const EaPositionData *data);
void         ea_position_update           (EaPosition *self,
                                           const EaPositionData *data);
const char * ea_position_get_account      (EaPosition *self);
const char * ea_position_get_symbol       (EaPosition *self);
gint64       ea_position_get_qty          (EaPosition *self);
double       ea_position_get_avg_price    (EaPosition *self);
gint64       ea_position_get_realized_pnl (EaPosition *self);
gint64       ea_position_get_open_pnl     (EaPosition *self);
gint64       ea_position_get_time         (EaPosition *self);

G_END_DECLS
