/* ea-protect-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-desk.h"

G_BEGIN_DECLS

#define EA_TYPE_PROTECT_DIALOG (ea_protect_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EaProtectDialog, ea_protect_dialog, EA, PROTECT_DIALOG, GtkWindow)

/* Protect… for @account's position in @symbol: a stop and a target price
 * (from 1.5 × and 2.0 × the ATR around the market to start with) sent as
 * one OCO pair through ea_desk_protect_position_async(). Closes once the
 * desk has sent them; a refusal stays on show in the dialog. */
EaProtectDialog *ea_protect_dialog_new               (GtkWindow       *parent,
                                                      EaDesk          *desk,
                                                      const char      *account,
                                                      const char      *symbol);
GtkWidget       *ea_protect_dialog_get_stop_spin     (EaProtectDialog *self);
GtkWidget       *ea_protect_dialog_get_target_spin   (EaProtectDialog *self);
GtkWidget       *ea_protect_dialog_get_protect_button (EaProtectDialog *self);
/* The refusal on show, "" when none. */
const char      *ea_protect_dialog_get_error_text    (EaProtectDialog *self);

G_END_DECLS
