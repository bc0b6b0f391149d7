/* ea-account.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaAccount: balances of one broker account, in micro-units.
 */
#pragma once

#include <glib-object.h>

#include "ea-trade-data.h"

G_BEGIN_DECLS

#define EA_TYPE_ACCOUNT (ea_account_get_type ())

G_DECLARE_FINAL_TYPE (EaAccount, ea_account, EA, ACCOUNT, GObject)

EaAccount *  ea_account_new_from_data    (const EaAccountData *data);
void         ea_account_update           (EaAccount *self,
                                          const EaAccountData *data);
const char * ea_account_get_name         (EaAccount *self);
const char * ea_account_get_profile      (EaAccount *self);
gint64       ea_account_get_size         (EaAccount *self);
gint64       ea_account_get_balance      (EaAccount *self);
gint64       ea_account_get_realized_pnl (EaAccount *self);
gint64       ea_account_get_open_pnl     (EaAccount *self);
gint64       ea_account_get_equity       (EaAccount *self);
gint64       ea_account_get_margin_used  (EaAccount *self);
gint64       ea_account_get_time         (EaAccount *self);

G_END_DECLS
