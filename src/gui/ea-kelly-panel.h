/* ea-kelly-panel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-journal.h"

#include "ea-kelly.h"
#include "ea-stats.h"
#include "ea-trading-store.h"

G_BEGIN_DECLS

#define EA_TYPE_KELLY_PANEL (ea_kelly_panel_get_type ())

G_DECLARE_FINAL_TYPE (EaKellyPanel, ea_kelly_panel, EA, KELLY_PANEL, GtkBox)

/* Round trips of @fills (EaFill, in time order), first in, first out per
 * account and symbol: every fill that closes contracts is one trade whose
 * P&L is (exit − entry) × side × qty × tick value. @instruments receives
 * the symbol of each trade's instrument index (the EaStatsTrade
 * .instrument) as owned strings. Unknown symbols are skipped. */
GArray       *ea_kelly_trades_from_fills  (GListModel     *fills,
                                           GPtrArray      *instruments);

GtkWidget    *ea_kelly_panel_new          (void);
void          ea_kelly_panel_set_history  (EaKellyPanel         *self,
                                           const EaJournalTrade *trades,
                                           guint                 n_trades);
void          ea_kelly_panel_set_history_accounts (EaKellyPanel           *self,
                                                   const EaJournalAccount *accounts,
                                                   guint                   n_accounts);
void          ea_kelly_panel_set_store    (EaKellyPanel   *self,
                                           EaTradingStore *store);
void          ea_kelly_panel_set_account  (EaKellyPanel   *self,
                                           const char     *account);
void          ea_kelly_panel_get_params   (EaKellyPanel   *self,
                                           EaKellyParams  *params);
/* Sets the panel's settings (each spin button clamps to its range). */
void          ea_kelly_panel_set_params   (EaKellyPanel        *self,
                                           const EaKellyParams *params);
/* The statistics and result shown for @symbol; FALSE when it has no
 * trades. */
gboolean      ea_kelly_panel_get_row      (EaKellyPanel   *self,
                                           const char     *symbol,
                                           EaStatsSummary *summary,
                                           EaKellyResult  *result,
                                           gint64         *contracts);

gboolean      ea_kelly_panel_evaluate     (EaKellyPanel   *self,
                                           const char     *account,
                                           const char     *symbol,
                                           double          power_score,
                                           EaStatsSummary *summary,
                                           EaKellyResult  *result,
                                           gint64         *contracts);

G_END_DECLS
