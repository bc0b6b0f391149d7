/* ea-confirm-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small modal confirmation: a heading, a body, Cancel and a destructive
 * confirm button. Emits "response" once with the user's answer and closes.
 * Escape and closing the window answer "not confirmed".
 */
#define G_LOG_DOMAIN "ea-confirm-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-confirm-dialog.h"

struct _EaConfirmDialog
{
  GtkWindow  parent_instance;

  GtkWidget *heading_label;
  GtkWidget *body_label;
  GtkWidget *cancel_button;
  GtkWidget *confirm_button;
  gboolean   responded;
};

G_DEFINE_FINAL_TYPE (EaConfirmDialog, ea_confirm_dialog, GTK_TYPE_WINDOW)

enum {
  RESPONSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
cancel_clicked_cb (EaConfirmDialog *self)
{
  ea_confirm_dialog_respond (self, FALSE);
}

static void
confirm_clicked_cb (EaConfirmDialog *self)
{
  ea_confirm_dialog_respond (self, TRUE);
}

static gboolean
ea_confirm_dialog_close_request (GtkWindow *window)
{
  EaConfirmDialog *self = EA_CONFIRM_DIALOG (window);

  if (!self->responded)
    {
      self->responded = TRUE;
      g_signal_emit (self, signals[RESPONSE], 0, FALSE);
    }

  return GTK_WINDOW_CLASS (ea_confirm_dialog_parent_class)->close_request (window);
}

static void
ea_confirm_dialog_class_init (EaConfirmDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  window_class->close_request = ea_confirm_dialog_close_request;

  /**
   * EaConfirmDialog::response:
   * @confirmed: whether the user confirmed
   */
  signals[RESPONSE] =
    g_signal_new ("response",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_set_css_name (widget_class, "confirmdialog");
}

static void
ea_confirm_dialog_init (EaConfirmDialog *self)
{
  GtkWidget *box;
  GtkWidget *buttons;

  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_resizable (GTK_WINDOW (self), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (self), 420, -1);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 24);
  gtk_widget_set_margin_end (box, 24);

  self->heading_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->heading_label, "title-2");
  gtk_label_set_wrap (GTK_LABEL (self->heading_label), TRUE);
  gtk_box_append (GTK_BOX (box), self->heading_label);

  self->body_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->body_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->body_label), 50);
  gtk_label_set_justify (GTK_LABEL (self->body_label), GTK_JUSTIFY_CENTER);
  gtk_box_append (GTK_BOX (box), self->body_label);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_set_homogeneous (GTK_BOX (buttons), TRUE);
  gtk_widget_set_margin_top (buttons, 12);

  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  gtk_box_append (GTK_BOX (buttons), self->cancel_button);

  self->confirm_button = gtk_button_new ();
  gtk_button_set_use_underline (GTK_BUTTON (self->confirm_button), TRUE);
  gtk_widget_add_css_class (self->confirm_button, "destructive-action");
  gtk_widget_add_css_class (self->confirm_button, "confirm");
  g_signal_connect_swapped (self->confirm_button, "clicked", G_CALLBACK (confirm_clicked_cb), self);
  gtk_box_append (GTK_BOX (buttons), self->confirm_button);

  gtk_box_append (GTK_BOX (box), buttons);
  gtk_window_set_child (GTK_WINDOW (self), box);

  /* The safe answer has the focus. */
  gtk_window_set_default_widget (GTK_WINDOW (self), self->cancel_button);
  gtk_widget_grab_focus (self->cancel_button);
}

EaConfirmDialog *
ea_confirm_dialog_new (GtkWindow  *parent,
                       const char *heading,
                       const char *body,
                       const char *confirm_label)
{
  EaConfirmDialog *self;

  g_return_val_if_fail (heading != NULL, NULL);
  g_return_val_if_fail (confirm_label != NULL, NULL);

  self = g_object_new (EA_TYPE_CONFIRM_DIALOG,
                       "title", heading,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);

  if (parent != NULL)
    gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));

  gtk_label_set_text (GTK_LABEL (self->heading_label), heading);
  ea_confirm_dialog_set_body (self, body);
  gtk_button_set_label (GTK_BUTTON (self->confirm_button), confirm_label);

  return self;
}

void
ea_confirm_dialog_set_body (EaConfirmDialog *self,
                            const char      *body)
{
  g_return_if_fail (EA_IS_CONFIRM_DIALOG (self));

  gtk_label_set_text (GTK_LABEL (self->body_label), body ? body : "");
  gtk_widget_set_visible (self->body_label, body != NULL && *body != '\0');
}

const char *
ea_confirm_dialog_get_body (EaConfirmDialog *self)
{
  g_return_val_if_fail (EA_IS_CONFIRM_DIALOG (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->body_label));
}

/**
 * ea_confirm_dialog_respond:
 *
 * Answers the dialog as if a button was clicked, emits "response" and
 * destroys the window.
 */
void
ea_confirm_dialog_respond (EaConfirmDialog *self,
                           gboolean         confirmed)
{
  g_return_if_fail (EA_IS_CONFIRM_DIALOG (self));

  if (self->responded)
    return;

  self->responded = TRUE;
  g_object_ref (self);
  g_signal_emit (self, signals[RESPONSE], 0, confirmed);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

GtkWidget *
ea_confirm_dialog_get_confirm_button (EaConfirmDialog *self)
{
  g_return_val_if_fail (EA_IS_CONFIRM_DIALOG (self), NULL);

  return self->confirm_button;
}

GtkWidget *
ea_confirm_dialog_get_cancel_button (EaConfirmDialog *self)
{
  g_return_val_if_fail (EA_IS_CONFIRM_DIALOG (self), NULL);

  return self->cancel_button;
}
