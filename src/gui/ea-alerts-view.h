/* ea-alerts-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-alert.h"

G_BEGIN_DECLS

/* The history shows the latest alerts, this many. */
#define EA_ALERTS_HISTORY 100

#define EA_TYPE_ALERTS_VIEW (ea_alerts_view_get_type ())

G_DECLARE_FINAL_TYPE (EaAlertsView, ea_alerts_view, EA, ALERTS_VIEW, GtkBox)

GtkWidget  *ea_alerts_view_new               (void);
void        ea_alerts_view_set_model         (EaAlertsView *self,
                                              GListModel   *alerts);
GListModel *ea_alerts_view_get_shown         (EaAlertsView *self);
void        ea_alerts_view_set_critical_only (EaAlertsView *self,
                                              gboolean      critical_only);
void        ea_alerts_view_acknowledge_all   (EaAlertsView *self);
/* Hides every alert received so far. */
void        ea_alerts_view_clear             (EaAlertsView *self);
guint       ea_alerts_view_get_unacknowledged (EaAlertsView *self);

G_END_DECLS
