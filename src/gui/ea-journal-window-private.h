/* ea-journal-window-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by ea-journal-window.c (loading, tiles, audit, exports) and
 * ea-journal-window-table.c (the table rows, columns and notes).
 */
#pragma once

#include "ea-journal-window.h"

G_BEGIN_DECLS

/* A row of one of the tables: display cells, and the trade for the trades
 * table. */
#define EA_TYPE_JOURNAL_ROW (ea_journal_row_get_type ())
G_DECLARE_FINAL_TYPE (EaJournalRow, ea_journal_row, EA, JOURNAL_ROW, GObject)

struct _EaJournalRow
{
  GObject         parent_instance;
  char          **cells;       /* risk and audit rows */
  EaJournalTrade  trade;       /* trade rows (id 0 otherwise) */
  char           *account;     /* display name of the trade's account */
};

EaJournalRow *ea_journal_row_new_cells (char                 **cells);
EaJournalRow *ea_journal_row_new_trade (const EaJournalTrade  *trade,
                                        const char            *account);
void          ea_journal_row_set_notes (EaJournalRow          *row,
                                        const char            *tags,
                                        const char            *notes);

/* Asks for the file an export goes to; returns it (transfer full) or NULL
 * when cancelled. A test seam: the window asks the user otherwise. */
typedef GFile *(*EaJournalExportChooser) (EaJournalWindow *self,
                                          const char      *suggested_name,
                                          gpointer         user_data);

struct _EaJournalWindow
{
  GtkWindow           parent_instance;

  EaJournal          *journal;
  GCancellable       *cancellable;    /* of the current reload */
  guint               busy;
  EaJournalFilter     filter;         /* root and tag point to the two below */
  char               *filter_root;
  char               *filter_tag;
  gboolean            updating;       /* filter widgets set by code */
  guint               debounce_id;

  EaJournalAnalytics *analytics;
  GArray             *accounts;       /* EaJournalAccount */
  GArray             *account_ids;    /* gint64, parallel to the dropdown */
  GPtrArray          *roots;          /* instrument roots seen */
  GArray             *risk_events;    /* EaJournalRiskEvent */
  GHashTable         *tiles;          /* id -> value GtkLabel */
  GHashTable         *tile_details;   /* id -> detail GtkLabel */
  char               *status_text;
  EaJournalExportChooser export_chooser;
  gpointer            export_chooser_data;

  GListStore         *trades_store;
  GListStore         *risk_store;
  GListStore         *audit_store;
  GtkSingleSelection *trades_selection;
  EaJournalRow       *notes_row;

  GtkWidget          *equity_chart;
  GtkWidget          *daily_chart;
  GtkWidget          *calendar;

  /* Template widgets */
  GtkWidget          *account_dropdown;
  GtkWidget          *audit_banner;
  GtkWidget          *audit_icon;
  GtkWidget          *audit_label;
  GtkWidget          *audit_view;
  GtkWidget          *calendar_frame;
  GtkWidget          *count_label;
  GtkWidget          *daily_frame;
  GtkWidget          *equity_frame;
  GtkWidget          *error_label;
  GtkWidget          *export_button;
  GtkWidget          *from_entry;
  GtkWidget          *month_label;
  GtkWidget          *notes_box;
  GtkWidget          *notes_status;
  GtkWidget          *notes_title;
  GtkWidget          *notes_view;
  GtkWidget          *outer_stack;
  GtkWidget          *risk_view;
  GtkWidget          *root_dropdown;
  GtkWidget          *session_dropdown;
  GtkWidget          *stack;
  GtkWidget          *tag_entry;
  GtkWidget          *tags_entry;
  GtkWidget          *tiles_grid;
  GtkWidget          *to_entry;
  GtkWidget          *trades_view;
};

/* ea-journal-window-table.c */
void  _ea_journal_window_setup_tables  (EaJournalWindow *self);
void  _ea_journal_window_set_trades    (EaJournalWindow *self);
char *_ea_journal_window_format_time   (EaTimeUs         time_us);
char *_ea_journal_window_format_duration (double         seconds);
const char *_ea_journal_window_account_name (EaJournalWindow *self,
                                             gint64           account_id);
void  _ea_journal_window_busy_push     (EaJournalWindow *self);
void  _ea_journal_window_busy_pop      (EaJournalWindow *self);

/* ea-journal-window.c */
void  _ea_journal_window_set_status    (EaJournalWindow *self,
                                        const char      *text,
                                        gboolean         is_error);

/* ea-journal-window-tiles.c */
void  _ea_journal_window_build_tiles   (EaJournalWindow *self);
void  _ea_journal_window_update_tiles  (EaJournalWindow *self);

/* ea-journal-window-filter.c */
void  _ea_journal_window_filter_changed_cb      (EaJournalWindow *self);
void  _ea_journal_window_filter_text_changed_cb (EaJournalWindow *self);
void  _ea_journal_window_clear_filter_action    (GtkWidget       *widget,
                                                 const char      *name,
                                                 GVariant        *param);
void  _ea_journal_window_save_notes_action      (GtkWidget       *widget,
                                                 const char      *name,
                                                 GVariant        *param);

/* ea-journal-window-export.c */
void  _ea_journal_window_export_action (GtkWidget       *widget,
                                        const char      *name,
                                        GVariant        *param);
void  _ea_journal_window_set_export_chooser (EaJournalWindow        *self,
                                             EaJournalExportChooser  chooser,
                                             gpointer                user_data);
/* TRUE when the build uses GtkFileDialog (GTK 4.10 or later). */
gboolean _ea_journal_window_uses_file_dialog (void);

G_END_DECLS
