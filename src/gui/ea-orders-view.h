/* ea-orders-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-order.h"

G_BEGIN_DECLS

#define EA_TYPE_ORDERS_VIEW (ea_orders_view_get_type ())

G_DECLARE_FINAL_TYPE (EaOrdersView, ea_orders_view, EA, ORDERS_VIEW, GtkBox)

/* Signals: "cancel" (client order id), "cancel-all" (account or NULL). */
GtkWidget     *ea_orders_view_new             (void);
void           ea_orders_view_set_model       (EaOrdersView *self,
                                               GListModel   *orders);
/* The working orders shown (not final, filtered by account). */
GListModel    *ea_orders_view_get_shown       (EaOrdersView *self);
void           ea_orders_view_set_account     (EaOrdersView *self,
                                               const char   *account);
GtkColumnView *ea_orders_view_get_column_view (EaOrdersView *self);
gboolean       ea_order_is_working            (EaOrder      *order);

G_END_DECLS
