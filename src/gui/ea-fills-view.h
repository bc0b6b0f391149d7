/* ea-fills-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-fill.h"

G_BEGIN_DECLS

#define EA_TYPE_FILLS_VIEW (ea_fills_view_get_type ())

G_DECLARE_FINAL_TYPE (EaFillsView, ea_fills_view, EA, FILLS_VIEW, GtkBox)

GtkWidget     *ea_fills_view_new             (void);
void           ea_fills_view_set_model       (EaFillsView *self,
                                              GListModel  *fills);
GListModel    *ea_fills_view_get_shown       (EaFillsView *self);
void           ea_fills_view_set_account     (EaFillsView *self,
                                              const char  *account);
GtkColumnView *ea_fills_view_get_column_view (EaFillsView *self);

G_END_DECLS
