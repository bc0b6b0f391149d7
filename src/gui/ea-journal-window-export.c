/* ea-journal-window-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CSV exports of the journal window, with the file chooser (GtkFileDialog
 * from GTK 4.10, GtkFileChooserNative before).
 */
#define G_LOG_DOMAIN "ea-journal-window"

#include "config.h"

/* The project allows GTK 4.8 API only (GDK_VERSION_MAX_ALLOWED); this
 * file alone may use the API of the GTK it is built with, so that
 * GtkFileDialog is used where it exists (4.10 and later, where
 * GtkFileChooserNative is deprecated). On 4.8 nothing changes. */
#undef GDK_VERSION_MAX_ALLOWED
#define GDK_VERSION_MAX_ALLOWED GDK_VERSION_CUR_STABLE

#include <glib/gi18n.h>

#include "ea-csv.h"
#include "ea-journal-window-private.h"

#if GTK_CHECK_VERSION (4, 10, 0)
# define EA_USE_FILE_DIALOG 1
#else
# define EA_USE_FILE_DIALOG 0
#endif

gboolean
_ea_journal_window_uses_file_dialog (void)
{
  return EA_USE_FILE_DIALOG;
}

void
_ea_journal_window_set_export_chooser (EaJournalWindow        *self,
                                       EaJournalExportChooser  chooser,
                                       gpointer                user_data)
{
  g_return_if_fail (EA_IS_JOURNAL_WINDOW (self));

  self->export_chooser = chooser;
  self->export_chooser_data = user_data;
}

/* Exports. */

typedef struct
{
  EaJournalExportKind  kind;
  GFile               *file;
  guint                n_rows;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->file);
  g_free (data);
}

static void
export_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
export_write (GTask   *task,
              GString *csv)
{
  ExportData *data = g_task_get_task_data (task);
  gsize len = csv->len;
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_string_free (csv, FALSE), len);

  g_file_replace_contents_bytes_async (data->file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       g_task_get_cancellable (task), export_written_cb, task);
}

static void
export_fills_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  g_autoptr(GPtrArray) fills = ea_journal_load_fills_finish (EA_JOURNAL (object), result, &error);
  ExportData *data = g_task_get_task_data (task);

  if (fills == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  data->n_rows = fills->len;
  export_write (task, ea_csv_fills (fills));
}

static void
export_audit_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  g_autoptr(GArray) rows = ea_journal_load_audit_finish (EA_JOURNAL (object), result, &error);
  ExportData *data = g_task_get_task_data (task);

  if (rows == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  data->n_rows = rows->len;
  export_write (task, ea_csv_audit ((const EaJournalAuditRow *) (gpointer) rows->data, rows->len));
}

void
ea_journal_window_export_async (EaJournalWindow     *self,
                                EaJournalExportKind  kind,
                                GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  ExportData *data;

  g_return_if_fail (EA_IS_JOURNAL_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ea_journal_window_export_async);
  data = g_new0 (ExportData, 1);
  data->kind = kind;
  data->file = g_object_ref (file);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);

  if (self->journal == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("No journal is open"));
      g_object_unref (task);
      return;
    }

  switch (kind)
    {
    case EA_JOURNAL_EXPORT_TRADES:
      {
        GArray *trades = self->analytics != NULL ? self->analytics->trades : NULL;

        data->n_rows = trades != NULL ? trades->len : 0;
        export_write (task, ea_csv_trades (trades != NULL ? (const EaJournalTrade *) (gpointer) trades->data
                                                          : NULL, data->n_rows));
      }
      break;
    case EA_JOURNAL_EXPORT_RISK_EVENTS:
      {
        GArray *events = self->risk_events;

        data->n_rows = events != NULL ? events->len : 0;
        export_write (task, ea_csv_risk_events (events != NULL ? (const EaJournalRiskEvent *) (gpointer) events->data
                                                               : NULL, data->n_rows));
      }
      break;
    case EA_JOURNAL_EXPORT_FILLS:
      ea_journal_load_fills_async (self->journal, self->filter.account_id, self->filter.from_us,
                                   self->filter.to_us, cancellable, export_fills_cb, task);
      break;
    case EA_JOURNAL_EXPORT_AUDIT:
      ea_journal_load_audit_async (self->journal, 1, 0, cancellable, export_audit_cb, task);
      break;
    default:
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Unknown export %d", kind);
      g_object_unref (task);
    }
}

gboolean
ea_journal_window_export_finish (EaJournalWindow  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  EaJournalWindow *self = EA_JOURNAL_WINDOW (object);
  g_autoptr(GError) error = NULL;
  ExportData *data = g_task_get_task_data (G_TASK (result));
  g_autofree char *name = g_file_get_parse_name (data->file);
  g_autofree char *text = NULL;

  _ea_journal_window_busy_pop (self);
  if (!ea_journal_window_export_finish (self, result, &error))
    {
      text = g_strdup_printf (_("Export failed: %s"), error->message);
      _ea_journal_window_set_status (self, text, TRUE);
      return;
    }
  text = g_strdup_printf (ngettext ("Exported %u row to %s", "Exported %u rows to %s", data->n_rows),
                          data->n_rows, name);
  _ea_journal_window_set_status (self, text, FALSE);
}

static EaJournalExportKind
export_kind_from_string (const char *s)
{
  if (g_strcmp0 (s, "fills") == 0)
    return EA_JOURNAL_EXPORT_FILLS;
  if (g_strcmp0 (s, "audit") == 0)
    return EA_JOURNAL_EXPORT_AUDIT;
  if (g_strcmp0 (s, "risk") == 0)
    return EA_JOURNAL_EXPORT_RISK_EVENTS;
  return EA_JOURNAL_EXPORT_TRADES;
}

static void
start_export (EaJournalWindow     *self,
              EaJournalExportKind  kind,
              GFile               *file)
{
  _ea_journal_window_busy_push (self);
  ea_journal_window_export_async (self, kind, file, NULL, export_done_cb, NULL);
}

#if EA_USE_FILE_DIALOG
static void
file_dialog_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(EaJournalWindow) self = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (object), result, NULL);
  EaJournalExportKind kind = GPOINTER_TO_INT (g_object_get_data (object, "ea-export-kind"));

  if (file != NULL)
    start_export (self, kind, file);
}
#else
static void
file_chooser_cb (GtkNativeDialog *dialog,
                 int              response,
                 gpointer         user_data)
{
  EaJournalWindow *self = EA_JOURNAL_WINDOW (user_data);
  EaJournalExportKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "ea-export-kind"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        start_export (self, kind, file);
    }
  g_object_unref (dialog);
}
#endif

void
_ea_journal_window_export_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  EaJournalWindow *self = EA_JOURNAL_WINDOW (widget);
  EaJournalExportKind kind = export_kind_from_string (g_variant_get_string (param, NULL));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  static const char *stems[] = { "trades", "fills", "audit", "risk-events" };
  g_autofree char *suggested = g_strdup_printf ("enigma-apex-%s-%s.csv", stems[kind], date);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->export_chooser != NULL)
    {
      g_autoptr(GFile) file = self->export_chooser (self, suggested, self->export_chooser_data);

      if (file != NULL)
        start_export (self, kind, file);
      return;
    }

  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");

#if EA_USE_FILE_DIALOG
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

    gtk_file_dialog_set_title (dialog, _("Export to CSV"));
    gtk_file_dialog_set_initial_name (dialog, suggested);
    gtk_file_dialog_set_default_filter (dialog, filter);
    g_object_set_data (G_OBJECT (dialog), "ea-export-kind", GINT_TO_POINTER (kind));
    gtk_file_dialog_save (dialog, GTK_WINDOW (self), NULL, file_dialog_cb, g_object_ref (self));
  }
#else
  {
    GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Export to CSV"), GTK_WINDOW (self),
                                                                 GTK_FILE_CHOOSER_ACTION_SAVE,
                                                                 _("_Export"), _("_Cancel"));

    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    g_object_set_data (G_OBJECT (chooser), "ea-export-kind", GINT_TO_POINTER (kind));
    g_signal_connect_object (chooser, "response", G_CALLBACK (file_chooser_cb), self, 0);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
  }
#endif
}
