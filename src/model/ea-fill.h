/* ea-fill.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaFill: one execution; immutable. fill-id is unique per broker.
 */
#pragma once

#include <glib-object.h>

#include "ea-trade-data.h"

G_BEGIN_DECLS

#define EA_TYPE_FILL (ea_fill_get_type ())

G_DECLARE_FINAL_TYPE (EaFill, ea_fill, EA, FILL, GObject)

EaFill *     ea_fill_new_from_data       (const EaFillData *data);
const char * ea_fill_get_account         (EaFill *self);
const char * ea_fill_get_symbol          (EaFill *self);
const char * ea_fill_get_fill_id         (EaFill *self);
const char * ea_fill_get_broker_order_id (EaFill *self);
const char * ea_fill_get_client_order_id (EaFill *self);
int          ea_fill_get_side            (EaFill *self);
gint64       ea_fill_get_qty             (EaFill *self);
gint64       ea_fill_get_price           (EaFill *self);
gint64       ea_fill_get_time            (EaFill *self);

G_END_DECLS
