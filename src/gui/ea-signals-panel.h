/* ea-signals-panel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-trading-store.h"

G_BEGIN_DECLS

#define EA_TYPE_SIGNALS_PANEL (ea_signals_panel_get_type ())

G_DECLARE_FINAL_TYPE (EaSignalsPanel, ea_signals_panel, EA, SIGNALS_PANEL, GtkBox)

/* Signal "signal-activated" (EaSignal *): the trader picked a signal to
 * trade; the dashboard loads it into the ticket. */
GtkWidget *ea_signals_panel_new             (void);
void       ea_signals_panel_set_store       (EaSignalsPanel *self,
                                             EaTradingStore *store);
/* Shows the labelled Demo signal source (EMA crossover) and runs it on
 * the store's quotes while its switch is on. */
void       ea_signals_panel_set_demo        (EaSignalsPanel *self,
                                             gboolean        demo);
/* The ERM's reversal budget of @symbol's chart. */
void       ea_signals_panel_set_reversals   (EaSignalsPanel *self,
                                             const char     *symbol,
                                             guint           remaining,
                                             guint           max);
void        ea_signals_panel_set_reversals_detail (EaSignalsPanel *self,
                                                   const char     *detail);
const char *ea_signals_panel_get_reversals_detail (EaSignalsPanel *self);
const char *ea_signals_panel_get_reversals_text (EaSignalsPanel *self);
/* Adds a manual signal from the form; FALSE with a message shown for a
 * bad instrument or price. */
gboolean   ea_signals_panel_add_manual      (EaSignalsPanel *self);
GListModel *ea_signals_panel_get_active     (EaSignalsPanel *self);

/* One row per ERM alert, newest first. */
GtkWidget      *ea_signals_panel_get_erm_list (EaSignalsPanel *self);

G_END_DECLS
