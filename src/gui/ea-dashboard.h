/* ea-dashboard.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-account-card.h"
#include "ea-alerts-view.h"
#include "ea-confirm-dialog.h"
#include "ea-desk.h"
#include "ea-fills-view.h"
#include "ea-kelly-panel.h"
#include "ea-margin-panel.h"
#include "ea-order-ticket.h"
#include "ea-orders-view.h"
#include "ea-positions-view.h"
#include "ea-protect-dialog.h"
#include "ea-risk-panel.h"
#include "ea-signals-panel.h"
#include "ea-system-status.h"

G_BEGIN_DECLS

#define EA_TYPE_DASHBOARD (ea_dashboard_get_type ())

G_DECLARE_FINAL_TYPE (EaDashboard, ea_dashboard, EA, DASHBOARD, GtkBox)

#define EA_DASHBOARD_MAX_CARDS 6

GtkWidget       *ea_dashboard_new                (EaDesk         *desk);
EaDesk          *ea_dashboard_get_desk           (EaDashboard    *self);
EaTradingStore  *ea_dashboard_get_store          (EaDashboard    *self);

/* Signal "broker-added" (EaBroker *) for each broker the desk gains. */
void             ea_dashboard_sync_brokers       (EaDashboard    *self);
/* A header-bar pill for @broker: its state and latency. */
GtkWidget       *ea_dashboard_new_connection_pill (EaBroker      *broker);

/* NULL: "All accounts". */
void             ea_dashboard_select_account     (EaDashboard    *self,
                                                  const char     *account);
const char      *ea_dashboard_get_selected_account (EaDashboard  *self);
/* Live orders ask for confirmation unless turned off for the session. */
void             ea_dashboard_set_confirm_live   (EaDashboard    *self,
                                                  gboolean        confirm);
EaConfirmDialog *ea_dashboard_get_live_dialog    (EaDashboard    *self);
/* The Protect… dialog a position row opened, NULL when none is open. */
EaProtectDialog *ea_dashboard_get_protect_dialog (EaDashboard    *self);
GtkWidget       *ea_dashboard_get_account_selector (EaDashboard  *self);
/* 0: 3 × 2, 1: 2 × 3, 2: 1 × 6. */
void             ea_dashboard_set_card_layout    (EaDashboard    *self,
                                                  guint           layout);

EaOrderTicket   *ea_dashboard_get_order_ticket   (EaDashboard    *self);
EaPositionsView *ea_dashboard_get_positions_view (EaDashboard    *self);
EaOrdersView    *ea_dashboard_get_orders_view    (EaDashboard    *self);
EaFillsView     *ea_dashboard_get_fills_view     (EaDashboard    *self);
EaAlertsView    *ea_dashboard_get_alerts_view    (EaDashboard    *self);
EaMarginPanel   *ea_dashboard_get_margin_panel   (EaDashboard    *self);
EaRiskPanel     *ea_dashboard_get_risk_panel     (EaDashboard    *self);
EaSignalsPanel  *ea_dashboard_get_signals_panel  (EaDashboard    *self);
EaKellyPanel    *ea_dashboard_get_kelly_panel    (EaDashboard    *self);
EaSystemStatus  *ea_dashboard_get_system_status  (EaDashboard    *self);
EaAccountCard   *ea_dashboard_get_card           (EaDashboard    *self,
                                                  const char     *account);
/* The empty box where the chart goes. */
GtkWidget       *ea_dashboard_get_chart_slot     (EaDashboard    *self);
/* Shows @page of the lists: "positions", "orders", "fills", "alerts",
 * "kelly", "system". */
void             ea_dashboard_show_list          (EaDashboard    *self,
                                                  const char     *page);

G_END_DECLS
