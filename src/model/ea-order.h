/* ea-order.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaOrder: one order as the broker last reported it. Prices are ticks;
 * side, order-type, time-in-force and state hold EaSide, EaOrderType,
 * EaTimeInForce and EaOrderState values.
 */
#pragma once

#include <glib-object.h>

#include "ea-trade-data.h"

G_BEGIN_DECLS

#define EA_TYPE_ORDER (ea_order_get_type ())

G_DECLARE_FINAL_TYPE (EaOrder, ea_order, EA, ORDER, GObject)

EaOrder *    ea_order_new_from_data       (const EaOrderData *data);
void         ea_order_update              (EaOrder *self,
                                           const EaOrderData *data);
const char * ea_order_get_account         (EaOrder *self);
const char * ea_order_get_symbol          (EaOrder *self);
const char * ea_order_get_client_order_id (EaOrder *self);
const char * ea_order_get_broker_order_id (EaOrder *self);
const char * ea_order_get_parent_order_id (EaOrder *self);
const char * ea_order_get_oco_order_id    (EaOrder *self);
int          ea_order_get_side            (EaOrder *self);
guint        ea_order_get_order_type      (EaOrder *self);
guint        ea_order_get_time_in_force   (EaOrder *self);
guint        ea_order_get_state           (EaOrder *self);
gint64       ea_order_get_qty             (EaOrder *self);
gint64       ea_order_get_filled_qty      (EaOrder *self);
gint64       ea_order_get_limit_price     (EaOrder *self);
gint64       ea_order_get_stop_price      (EaOrder *self);
double       ea_order_get_avg_fill_price  (EaOrder *self);
const char * ea_order_get_reason          (EaOrder *self);
gint64       ea_order_get_created         (EaOrder *self);
gint64       ea_order_get_updated         (EaOrder *self);

G_END_DECLS
