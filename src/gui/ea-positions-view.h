/* ea-positions-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-trading-store.h"

G_BEGIN_DECLS

#define EA_TYPE_POSITIONS_VIEW (ea_positions_view_get_type ())

G_DECLARE_FINAL_TYPE (EaPositionsView, ea_positions_view, EA, POSITIONS_VIEW, GtkBox)

/* Signals: "flatten" (account, symbol), both NULL for "Flatten All";
 * "reverse" (account, symbol) from a row's Reverse button. */
GtkWidget     *ea_positions_view_new            (void);
void           ea_positions_view_set_model      (EaPositionsView *self,
                                                 GListModel      *positions);
void           ea_positions_view_set_store      (EaPositionsView *self,
                                                 EaTradingStore  *store);
/* The open positions shown (qty ≠ 0, filtered by account). */
GListModel    *ea_positions_view_get_shown      (EaPositionsView *self);
void           ea_positions_view_set_account    (EaPositionsView *self,
                                                 const char      *account);
GtkColumnView *ea_positions_view_get_column_view (EaPositionsView *self);

G_END_DECLS
