/* ea-confirm-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EA_TYPE_CONFIRM_DIALOG (ea_confirm_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EaConfirmDialog, ea_confirm_dialog, EA, CONFIRM_DIALOG, GtkWindow)

EaConfirmDialog *ea_confirm_dialog_new          (GtkWindow       *parent,
                                                 const char      *heading,
                                                 const char      *body,
                                                 const char      *confirm_label);
void             ea_confirm_dialog_set_body     (EaConfirmDialog *self,
                                                 const char      *body);
const char      *ea_confirm_dialog_get_body     (EaConfirmDialog *self);
void             ea_confirm_dialog_respond      (EaConfirmDialog *self,
                                                 gboolean         confirmed);
GtkWidget       *ea_confirm_dialog_get_confirm_button (EaConfirmDialog *self);
GtkWidget       *ea_confirm_dialog_get_cancel_button  (EaConfirmDialog *self);

G_END_DECLS
