/* ea-account-card.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-desk.h"
#include "ea-trading-store.h"

G_BEGIN_DECLS

#define EA_TYPE_ACCOUNT_CARD (ea_account_card_get_type ())

G_DECLARE_FINAL_TYPE (EaAccountCard, ea_account_card, EA, ACCOUNT_CARD, GtkBox)

/* Signal "enabled-changed" (gboolean): the trader flipped the switch. */
GtkWidget  *ea_account_card_new            (EaAccount      *account,
                                            EaTradingStore *store);
EaAccount  *ea_account_card_get_account    (EaAccountCard  *self);
void        ea_account_card_set_risk_level (EaAccountCard  *self,
                                            EaRiskLevel     level,
                                            const char     *text);
void        ea_account_card_set_enabled    (EaAccountCard  *self,
                                            gboolean        enabled);
void        ea_account_card_set_kelly_text (EaAccountCard  *self,
                                            const char     *text);
/* With a desk, the Chart button opens a chart of the card's instrument
 * (the open position's, else the latest active signal's, else the latest
 * quoted symbol) with the account's position, orders and fills. */
void        ea_account_card_set_desk       (EaAccountCard  *self,
                                            EaDesk         *desk);
/* The symbol the Chart button opens, or NULL when there is none. */
char       *ea_account_card_get_chart_symbol (EaAccountCard *self);
const char *ea_account_card_get_signal_text (EaAccountCard *self);
/* The open chart window, or NULL. */
GtkWindow  *ea_account_card_get_chart_window (EaAccountCard *self);
/* The side badge ("LONG", "SHORT", "FLAT") and position text shown. */
const char *ea_account_card_get_instruments_text (EaAccountCard *self);
const char *ea_account_card_get_side_text  (EaAccountCard  *self);
const char *ea_account_card_get_position_text (EaAccountCard *self);
const char *ea_account_card_get_profile_source (EaAccountCard *self);
const char *ea_account_card_get_open_text  (EaAccountCard  *self);
const char *ea_account_card_get_risk_text  (EaAccountCard  *self);

G_END_DECLS
