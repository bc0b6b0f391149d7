/* ea-journal-window-filter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journal window's filter bar and its per-trade tags and notes editor.
 */
#define G_LOG_DOMAIN "ea-journal-window"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "ea-journal-window-private.h"

/* The filter bar. */

static void
set_filter_strings (EaJournalWindow *self,
                    const char      *root,
                    const char      *tag)
{
  char *r = g_strdup (root != NULL && root[0] != '\0' ? root : NULL);
  char *t = tag != NULL ? g_strstrip (g_strdup (tag)) : NULL;

  if (t != NULL && t[0] == '\0')
    g_clear_pointer (&t, g_free);
  g_free (self->filter_root);
  g_free (self->filter_tag);
  self->filter_root = r;
  self->filter_tag = t;
  self->filter.root = r;
  self->filter.tag = t;
}

/* "YYYY-MM-DD" (UTC midnight); empty is @empty_value. */
static gboolean
parse_date (const char *text,
            gboolean    next_day,
            EaTimeUs    empty_value,
            EaTimeUs   *out)
{
  int y, m, d;
  char tail;
  g_autoptr(GDateTime) t = NULL;

  if (text == NULL || text[0] == '\0')
    {
      *out = empty_value;
      return TRUE;
    }
  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  t = g_date_time_new_utc (y, m, d, 0, 0, 0);
  if (t == NULL)
    return FALSE;
  *out = g_date_time_to_unix (t) * G_USEC_PER_SEC + (next_day ? (EaTimeUs) 86400 * G_USEC_PER_SEC : 0);
  return TRUE;
}

static char *
format_date (EaTimeUs t,
             gboolean is_end)
{
  g_autoptr(GDateTime) dt = NULL;

  if (t == G_MININT64 || t == G_MAXINT64)
    return g_strdup ("");
  dt = g_date_time_new_from_unix_utc ((t - (is_end ? 1 : 0)) / G_USEC_PER_SEC);
  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("");
}

static void
read_filter_widgets (EaJournalWindow *self)
{
  guint account = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->account_dropdown));
  guint root = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->root_dropdown));
  guint session = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->session_dropdown));
  const char *root_name = NULL;
  EaTimeUs from_us, to_us;
  gboolean from_ok, to_ok;

  self->filter.account_id = account != GTK_INVALID_LIST_POSITION && account < self->account_ids->len
                              ? g_array_index (self->account_ids, gint64, account) : 0;
  if (root != GTK_INVALID_LIST_POSITION && root > 0 && root - 1 < self->roots->len)
    root_name = g_ptr_array_index (self->roots, root - 1);
  set_filter_strings (self, root_name, gtk_editable_get_text (GTK_EDITABLE (self->tag_entry)));
  self->filter.session = session == 1 ? EA_JOURNAL_SESSION_AM
                         : session == 2 ? EA_JOURNAL_SESSION_PM : EA_JOURNAL_SESSION_ANY;

  from_ok = parse_date (gtk_editable_get_text (GTK_EDITABLE (self->from_entry)), FALSE, G_MININT64, &from_us);
  to_ok = parse_date (gtk_editable_get_text (GTK_EDITABLE (self->to_entry)), TRUE, G_MAXINT64, &to_us);
  if (from_ok)
    {
      self->filter.from_us = from_us;
      gtk_widget_remove_css_class (self->from_entry, "error");
    }
  else
    gtk_widget_add_css_class (self->from_entry, "error");
  if (to_ok)
    {
      self->filter.to_us = to_us;
      gtk_widget_remove_css_class (self->to_entry, "error");
    }
  else
    gtk_widget_add_css_class (self->to_entry, "error");
}

void
_ea_journal_window_filter_changed_cb (EaJournalWindow *self)
{
  if (self->updating)
    return;
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  read_filter_widgets (self);
  ea_journal_window_refresh (self);
}

static gboolean
debounce_cb (gpointer user_data)
{
  EaJournalWindow *self = user_data;

  self->debounce_id = 0;
  _ea_journal_window_filter_changed_cb (self);
  return G_SOURCE_REMOVE;
}

void
_ea_journal_window_filter_text_changed_cb (EaJournalWindow *self)
{
  if (self->updating)
    return;
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (350, debounce_cb, self);
}

static void
write_filter_widgets (EaJournalWindow *self)
{
  g_autofree char *from = format_date (self->filter.from_us, FALSE);
  g_autofree char *to = format_date (self->filter.to_us, TRUE);
  guint account = 0, root = 0;

  for (guint i = 0; i < self->account_ids->len; i++)
    if (g_array_index (self->account_ids, gint64, i) == self->filter.account_id)
      account = i;
  for (guint i = 0; self->filter.root != NULL && i < self->roots->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->roots, i), self->filter.root) == 0)
      root = i + 1;

  self->updating = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->account_dropdown), account);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->root_dropdown), root);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->session_dropdown),
                              self->filter.session == EA_JOURNAL_SESSION_AM ? 1
                              : self->filter.session == EA_JOURNAL_SESSION_PM ? 2 : 0);
  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), from);
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), to);
  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), self->filter.tag != NULL ? self->filter.tag : "");
  gtk_widget_remove_css_class (self->from_entry, "error");
  gtk_widget_remove_css_class (self->to_entry, "error");
  self->updating = FALSE;
}

void
ea_journal_window_set_filter (EaJournalWindow       *self,
                              const EaJournalFilter *filter)
{
  EaJournalFilter all;

  g_return_if_fail (EA_IS_JOURNAL_WINDOW (self));

  if (filter == NULL)
    {
      ea_journal_filter_init (&all);
      filter = &all;
    }
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->filter = *filter;
  self->filter.root = NULL;
  self->filter.tag = NULL;
  set_filter_strings (self, filter->root, filter->tag);
  write_filter_widgets (self);
  ea_journal_window_refresh (self);
}

void
ea_journal_window_get_filter (EaJournalWindow *self,
                              EaJournalFilter *out)
{
  g_return_if_fail (EA_IS_JOURNAL_WINDOW (self));

  *out = self->filter;
}

void
_ea_journal_window_clear_filter_action (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  ea_journal_window_set_filter (EA_JOURNAL_WINDOW (widget), NULL);
}

/* Notes. */

typedef struct
{
  EaJournalWindow *self;
  gint64           trade_id;
  char            *tags;
  char            *notes;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_object_unref (data->self);
  g_free (data->tags);
  g_free (data->notes);
  g_free (data);
}

static void
update_trade_notes (EaJournalWindow *self,
                    gint64           trade_id,
                    const char      *tags,
                    const char      *notes)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->trades_store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EaJournalRow) row = g_list_model_get_item (G_LIST_MODEL (self->trades_store), i);

      if (row->trade.id == trade_id)
        {
          ea_journal_row_set_notes (row, tags, notes);
          break;
        }
    }
  if (self->analytics != NULL)
    ea_journal_analytics_set_trade_notes (self->analytics, trade_id, tags, notes);
}

static void
save_notes_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SaveData *data = user_data;
  EaJournalWindow *self = data->self;
  g_autoptr(GError) error = NULL;

  _ea_journal_window_busy_pop (self);
  if (!ea_journal_update_trade_notes_finish (EA_JOURNAL (object), result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Not saved: %s"), error->message);

      gtk_label_set_text (GTK_LABEL (self->notes_status), text);
    }
  else
    {
      update_trade_notes (self, data->trade_id, data->tags, data->notes);
      if (self->notes_row != NULL && self->notes_row->trade.id == data->trade_id)
        gtk_label_set_text (GTK_LABEL (self->notes_status), _("Saved"));
    }
  save_data_free (data);
}

void
ea_journal_window_save_notes (EaJournalWindow *self,
                              gint64           trade_id,
                              const char      *tags,
                              const char      *notes)
{
  SaveData *data;

  g_return_if_fail (EA_IS_JOURNAL_WINDOW (self));
  g_return_if_fail (self->journal != NULL);

  data = g_new0 (SaveData, 1);
  data->self = g_object_ref (self);
  data->trade_id = trade_id;
  data->tags = tags != NULL && tags[0] != '\0' ? g_strdup (tags) : NULL;
  data->notes = notes != NULL && notes[0] != '\0' ? g_strdup (notes) : NULL;
  _ea_journal_window_busy_push (self);
  ea_journal_update_trade_notes_async (self->journal, trade_id, data->tags, data->notes, NULL, save_notes_cb,
                                       data);
}

void
_ea_journal_window_save_notes_action (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  EaJournalWindow *self = EA_JOURNAL_WINDOW (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->notes_view));
  GtkTextIter start, end;
  g_autofree char *notes = NULL;

  if (self->notes_row == NULL)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  notes = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gtk_label_set_text (GTK_LABEL (self->notes_status), _("Saving…"));
  ea_journal_window_save_notes (self, self->notes_row->trade.id,
                                gtk_editable_get_text (GTK_EDITABLE (self->tags_entry)), notes);
}
