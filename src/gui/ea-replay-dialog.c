/* ea-replay-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-replay-dialog"

#include "config.h"

/* The project allows GTK 4.8 API only (GDK_VERSION_MAX_ALLOWED); this
 * file, like the journal's export, may use the API of the GTK it is
 * built with, so that GtkFileDialog is used where it exists (4.10 and
 * later, where GtkFileChooserNative is deprecated). */
#undef GDK_VERSION_MAX_ALLOWED
#define GDK_VERSION_MAX_ALLOWED GDK_VERSION_CUR_STABLE

#include <glib/gi18n.h>

#include "ea-instrument.h"
#include "ea-replay-dialog.h"

#if GTK_CHECK_VERSION (4, 10, 0)
# define EA_USE_FILE_DIALOG 1
#else
# define EA_USE_FILE_DIALOG 0
#endif

struct _EaReplayDialog
{
  GtkWindow      parent_instance;

  EaApplication *application;
  char          *path;
  GtkWidget     *file_label;
  GtkWidget     *symbol;
  GtkWidget     *speed;
  GtkWidget     *step;
  GtkWidget     *error_label;
};

G_DEFINE_FINAL_TYPE (EaReplayDialog, ea_replay_dialog, GTK_TYPE_WINDOW)

static void
show_error (EaReplayDialog *self,
            const char     *message)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), message ? message : "");
  gtk_widget_set_visible (self->error_label, message != NULL);
}

#if EA_USE_FILE_DIALOG
static void
file_dialog_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(EaReplayDialog) self = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (object), result, NULL);
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  if (path != NULL)
    ea_replay_dialog_set_file (self, path);
}
#else
static void
file_chooser_cb (GtkNativeDialog *dialog,
                 int              response,
                 gpointer         user_data)
{
  EaReplayDialog *self = EA_REPLAY_DIALOG (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        ea_replay_dialog_set_file (self, path);
    }
  g_object_unref (dialog);
}
#endif

static void
choose_clicked_cb (GtkButton      *button,
                   EaReplayDialog *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("NinjaTrader 8 exports"));
  gtk_file_filter_add_pattern (filter, "*.txt");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_mime_type (filter, "text/plain");

#if EA_USE_FILE_DIALOG
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

    gtk_file_dialog_set_title (dialog, _("Replay NinjaTrader Export"));
    gtk_file_dialog_set_default_filter (dialog, filter);
    gtk_file_dialog_open (dialog, GTK_WINDOW (self), NULL, file_dialog_cb, g_object_ref (self));
  }
#else
  {
    GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Replay NinjaTrader Export"), GTK_WINDOW (self),
                                                                 GTK_FILE_CHOOSER_ACTION_OPEN,
                                                                 _("_Open"), _("_Cancel"));

    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    g_signal_connect_object (chooser, "response", G_CALLBACK (file_chooser_cb), self, 0);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
  }
#endif
}

static void
replay_clicked_cb (GtkButton      *button,
                   EaReplayDialog *self)
{
  ea_replay_dialog_start (self);
}

static void
cancel_clicked_cb (GtkButton      *button,
                   EaReplayDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
ea_replay_dialog_finalize (GObject *object)
{
  EaReplayDialog *self = EA_REPLAY_DIALOG (object);

  g_free (self->path);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (ea_replay_dialog_parent_class)->finalize (object);
}

static void
ea_replay_dialog_class_init (EaReplayDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ea_replay_dialog_finalize;
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
add_row (GtkWidget  *grid,
         int         row,
         const char *text,
         GtkWidget  *field)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), field);
  gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), field, 1, row, 1, 1);
}

static void
ea_replay_dialog_init (EaReplayDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *file_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *choose = gtk_button_new_with_mnemonic (_("_Choose…"));
  GtkWidget *intro;
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *start = gtk_button_new_with_mnemonic (_("_Replay"));
  g_autoptr(GtkStringList) roots = gtk_string_list_new (NULL);
  guint n = 0;
  const EaInstrumentSpec *specs = ea_instrument_all (&n);

  gtk_window_set_title (GTK_WINDOW (self), _("Replay NinjaTrader Export"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_resizable (GTK_WINDOW (self), FALSE);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);

  intro = gtk_label_new (_("Plays a NinjaTrader 8 export of minute bars or ticks on the Demo exchange instead of "
                           "its generator, with the risk engine on: the Demo account is marked to the replayed "
                           "prices, and the summary at the end says whether it would have breached its firm’s limits."));
  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (intro), 60);
  gtk_label_set_xalign (GTK_LABEL (intro), 0);
  gtk_box_append (GTK_BOX (box), intro);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);

  self->file_label = gtk_label_new (_("No file chosen"));
  gtk_label_set_ellipsize (GTK_LABEL (self->file_label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (self->file_label), 0);
  gtk_widget_set_hexpand (self->file_label, TRUE);
  gtk_box_append (GTK_BOX (file_row), self->file_label);
  gtk_box_append (GTK_BOX (file_row), choose);
  g_signal_connect (choose, "clicked", G_CALLBACK (choose_clicked_cb), self);
  {
    GtkWidget *label = gtk_label_new_with_mnemonic (_("_Export"));

    gtk_label_set_xalign (GTK_LABEL (label), 1);
    gtk_label_set_mnemonic_widget (GTK_LABEL (label), choose);
    gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 1, 1);
    gtk_grid_attach (GTK_GRID (grid), file_row, 1, 0, 1, 1);
  }

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (roots, specs[i].root);
  self->symbol = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (roots)), NULL);
  gtk_widget_set_halign (self->symbol, GTK_ALIGN_START);
  add_row (grid, 1, _("_Instrument"), self->symbol);

  self->speed = gtk_spin_button_new_with_range (EA_REPLAY_MIN_SPEED, EA_REPLAY_MAX_SPEED, 1);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (self->speed), TRUE);
  gtk_widget_set_halign (self->speed, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (self->speed, _("Times real time, 1 to 100"));
  add_row (grid, 2, _("_Speed (×)"), self->speed);

  self->step = gtk_check_button_new_with_mnemonic (_("Start _paused, to step through it"));
  gtk_grid_attach (GTK_GRID (grid), self->step, 1, 3, 1, 1);
  gtk_box_append (GTK_BOX (box), grid);

  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0);
  gtk_widget_add_css_class (self->error_label, "error");
  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_box_append (GTK_BOX (box), self->error_label);

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_add_css_class (start, "suggested-action");
  g_signal_connect (cancel, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  g_signal_connect (start, "clicked", G_CALLBACK (replay_clicked_cb), self);
  gtk_box_append (GTK_BOX (buttons), cancel);
  gtk_box_append (GTK_BOX (buttons), start);
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_window_set_child (GTK_WINDOW (self), box);
  gtk_window_set_default_widget (GTK_WINDOW (self), start);
}

EaReplayDialog *
ea_replay_dialog_new (EaApplication *application)
{
  EaReplayDialog *self;

  g_return_val_if_fail (EA_IS_APPLICATION (application), NULL);

  self = g_object_new (EA_TYPE_REPLAY_DIALOG,
                       "application", application,
                       "transient-for", ea_application_get_main_window (application),
                       NULL);
  self->application = g_object_ref (application);
  return self;
}

void
ea_replay_dialog_set_file (EaReplayDialog *self,
                           const char     *path)
{
  g_return_if_fail (EA_IS_REPLAY_DIALOG (self));

  g_free (self->path);
  self->path = g_strdup (path);
  gtk_label_set_text (GTK_LABEL (self->file_label), path ? path : _("No file chosen"));
  show_error (self, NULL);
}

void
ea_replay_dialog_set_symbol (EaReplayDialog *self,
                             const char     *root)
{
  GListModel *model;

  g_return_if_fail (EA_IS_REPLAY_DIALOG (self));

  model = gtk_drop_down_get_model (GTK_DROP_DOWN (self->symbol));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), root) == 0)
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->symbol), i);
}

void
ea_replay_dialog_set_speed (EaReplayDialog *self,
                            double          speed)
{
  g_return_if_fail (EA_IS_REPLAY_DIALOG (self));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->speed), speed);
}

void
ea_replay_dialog_set_step (EaReplayDialog *self,
                           gboolean        step)
{
  g_return_if_fail (EA_IS_REPLAY_DIALOG (self));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->step), step);
}

gboolean
ea_replay_dialog_start (EaReplayDialog *self)
{
  g_autoptr(GError) error = NULL;
  GListModel *model;
  const char *root;

  g_return_val_if_fail (EA_IS_REPLAY_DIALOG (self), FALSE);

  model = gtk_drop_down_get_model (GTK_DROP_DOWN (self->symbol));
  root = gtk_string_list_get_string (GTK_STRING_LIST (model),
                                     gtk_drop_down_get_selected (GTK_DROP_DOWN (self->symbol)));
  if (!ea_application_start_replay (self->application, self->path, root,
                                    gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->speed)),
                                    gtk_check_button_get_active (GTK_CHECK_BUTTON (self->step)),
                                    &error))
    {
      show_error (self, error->message);
      return FALSE;
    }

  gtk_window_destroy (GTK_WINDOW (self));
  return TRUE;
}

const char *
ea_replay_dialog_get_error_text (EaReplayDialog *self)
{
  g_return_val_if_fail (EA_IS_REPLAY_DIALOG (self), NULL);
  return gtk_widget_get_visible (self->error_label) ? gtk_label_get_text (GTK_LABEL (self->error_label)) : NULL;
}
