/* ea-demo-accounts-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo accounts of the embedded exchange: the list with a Reset…
 * button per account (after a confirmation), and Add account… (name,
 * firm profile, size among the firm's sizes). Changes go through the
 * desk and are saved to the demo-accounts setting at once.
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-confirm-dialog.h"
#include "ea-desk.h"

G_BEGIN_DECLS

#define EA_TYPE_DEMO_ACCOUNTS_DIALOG (ea_demo_accounts_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EaDemoAccountsDialog, ea_demo_accounts_dialog, EA, DEMO_ACCOUNTS_DIALOG, GtkWindow)

EaDemoAccountsDialog *ea_demo_accounts_dialog_new            (EaDesk               *desk,
                                                              GSettings            *settings);
/* "Add account…": insensitive, with the reason beside it, at the limit. */
GtkWidget       *ea_demo_accounts_dialog_get_add_button      (EaDemoAccountsDialog *self);
GtkWidget       *ea_demo_accounts_dialog_get_limit_label     (EaDemoAccountsDialog *self);
/* The form Add account… opens. */
GtkWidget       *ea_demo_accounts_dialog_get_name_entry      (EaDemoAccountsDialog *self);
GtkWidget       *ea_demo_accounts_dialog_get_profile_dropdown (EaDemoAccountsDialog *self);
GtkWidget       *ea_demo_accounts_dialog_get_size_dropdown   (EaDemoAccountsDialog *self);
GtkWidget       *ea_demo_accounts_dialog_get_create_button   (EaDemoAccountsDialog *self);
/* Selects the firm profile @profile_id in the form (its firm's product
 * and its size). FALSE when there is no such profile. */
gboolean         ea_demo_accounts_dialog_select_profile      (EaDemoAccountsDialog *self,
                                                              const char           *profile_id);
/* The profile id the form's choices name. */
const char      *ea_demo_accounts_dialog_get_selected_profile (EaDemoAccountsDialog *self);
/* What the last action said (an error, or what was done). */
GtkWidget       *ea_demo_accounts_dialog_get_message_label   (EaDemoAccountsDialog *self);
GtkWidget       *ea_demo_accounts_dialog_get_reset_button    (EaDemoAccountsDialog *self,
                                                              const char           *account);
/* The reset confirmation while it is open, else NULL. */
EaConfirmDialog *ea_demo_accounts_dialog_get_reset_dialog    (EaDemoAccountsDialog *self);

G_END_DECLS
