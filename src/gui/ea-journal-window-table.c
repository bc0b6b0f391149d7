/* ea-journal-window-table.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journal window's tables (trades, risk events, audit rows) and the
 * per-trade tags and notes editor.
 */
#define G_LOG_DOMAIN "ea-journal-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ea-instrument.h"
#include "ea-journal-window-private.h"
#include "ea-money.h"
#include "ea-session.h"

/* Rows. */

enum
{
  ROW_PROP_0,
  ROW_PROP_TAGS,
  ROW_PROP_NOTES,
  ROW_N_PROPS
};

static GParamSpec *row_props[ROW_N_PROPS];

G_DEFINE_FINAL_TYPE (EaJournalRow, ea_journal_row, G_TYPE_OBJECT)

static void
ea_journal_row_finalize (GObject *object)
{
  EaJournalRow *self = EA_JOURNAL_ROW (object);

  g_strfreev (self->cells);
  ea_journal_trade_clear (&self->trade);
  g_free (self->account);
  G_OBJECT_CLASS (ea_journal_row_parent_class)->finalize (object);
}

/* The notes on one line for the table. */
static char *
one_line (const char *text)
{
  char *s = g_strdup (text != NULL ? text : "");

  g_strdelimit (s, "\r\n\t", ' ');
  return s;
}

static void
ea_journal_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EaJournalRow *self = EA_JOURNAL_ROW (object);

  switch (prop_id)
    {
    case ROW_PROP_TAGS:
      g_value_set_string (value, self->trade.tags != NULL ? self->trade.tags : "");
      break;
    case ROW_PROP_NOTES:
      g_value_take_string (value, one_line (self->trade.notes));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_journal_row_class_init (EaJournalRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ea_journal_row_finalize;
  object_class->get_property = ea_journal_row_get_property;

  row_props[ROW_PROP_TAGS] = g_param_spec_string ("tags", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  row_props[ROW_PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, NULL,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ROW_N_PROPS, row_props);
}

static void
ea_journal_row_init (EaJournalRow *self)
{
}

EaJournalRow *
ea_journal_row_new_cells (char **cells)
{
  EaJournalRow *row = g_object_new (EA_TYPE_JOURNAL_ROW, NULL);

  row->cells = cells;
  return row;
}

EaJournalRow *
ea_journal_row_new_trade (const EaJournalTrade *trade,
                          const char           *account)
{
  EaJournalRow *row = g_object_new (EA_TYPE_JOURNAL_ROW, NULL);

  row->trade = *trade;
  row->trade.symbol = g_strdup (trade->symbol);
  row->trade.root = g_strdup (trade->root);
  row->trade.tags = g_strdup (trade->tags);
  row->trade.notes = g_strdup (trade->notes);
  row->account = g_strdup (account);
  return row;
}

void
ea_journal_row_set_notes (EaJournalRow *row,
                          const char   *tags,
                          const char   *notes)
{
  g_free (row->trade.tags);
  g_free (row->trade.notes);
  row->trade.tags = g_strdup (tags);
  row->trade.notes = g_strdup (notes);
  g_object_notify_by_pspec (G_OBJECT (row), row_props[ROW_PROP_TAGS]);
  g_object_notify_by_pspec (G_OBJECT (row), row_props[ROW_PROP_NOTES]);
}

/* Formatting. */

char *
_ea_journal_window_format_time (EaTimeUs time_us)
{
  g_autoptr(GDateTime) utc = ea_time_us_to_date_time (time_us);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);

  return g_date_time_format (local != NULL ? local : utc, "%Y-%m-%d %H:%M:%S");
}

char *
_ea_journal_window_format_duration (double seconds)
{
  gint64 s = (gint64) (seconds + 0.5);

  if (s >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h %02" G_GINT64_FORMAT "m", s / 3600, s / 60 % 60);
  if (s >= 60)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m %02" G_GINT64_FORMAT "s", s / 60, s % 60);
  return g_strdup_printf ("%" G_GINT64_FORMAT "s", s);
}

static char *
format_price (const char *root,
              EaTicks     ticks)
{
  const EaInstrumentSpec *spec = root != NULL ? ea_instrument_lookup (root) : NULL;

  if (spec == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT " t", ticks);
  return ea_instrument_format_price (spec, ticks);
}

/* Trade columns. */

typedef enum
{
  COL_ID,
  COL_EXIT_TIME,
  COL_ACCOUNT,
  COL_SYMBOL,
  COL_SIDE,
  COL_QTY,
  COL_ENTRY_PRICE,
  COL_EXIT_PRICE,
  COL_PNL,
  COL_FEES,
  COL_DURATION,
  COL_MAE,
  COL_MFE,
  COL_TAGS,
  COL_NOTES,
  N_TRADE_COLUMNS
} TradeColumn;

static const struct
{
  const char *title;
  gboolean    numeric;
  gboolean    expand;
  int         width;
} trade_columns[N_TRADE_COLUMNS] = {
  [COL_ID]          = { N_("#"), TRUE, FALSE, 48 },
  [COL_EXIT_TIME]   = { N_("Exit time"), TRUE, FALSE, 160 },
  [COL_ACCOUNT]     = { N_("Account"), FALSE, FALSE, 96 },
  [COL_SYMBOL]      = { N_("Contract"), FALSE, FALSE, 76 },
  [COL_SIDE]        = { N_("Side"), FALSE, FALSE, 56 },
  [COL_QTY]         = { N_("Qty"), TRUE, FALSE, 44 },
  [COL_ENTRY_PRICE] = { N_("Entry"), TRUE, FALSE, 80 },
  [COL_EXIT_PRICE]  = { N_("Exit"), TRUE, FALSE, 80 },
  [COL_PNL]         = { N_("Net P&L"), TRUE, FALSE, 90 },
  [COL_FEES]        = { N_("Fees"), TRUE, FALSE, 70 },
  [COL_DURATION]    = { N_("Duration"), TRUE, FALSE, 80 },
  [COL_MAE]         = { N_("MAE"), TRUE, FALSE, 48 },
  [COL_MFE]         = { N_("MFE"), TRUE, FALSE, 48 },
  [COL_TAGS]        = { N_("Tags"), FALSE, FALSE, 120 },
  [COL_NOTES]       = { N_("Notes"), FALSE, TRUE, 140 },
};

static char *
trade_cell (const EaJournalRow *row,
            TradeColumn         col)
{
  const EaJournalTrade *t = &row->trade;

  switch (col)
    {
    case COL_ID:          return g_strdup_printf ("%" G_GINT64_FORMAT, t->id);
    case COL_EXIT_TIME:   return _ea_journal_window_format_time (t->exit_time_us);
    case COL_ACCOUNT:     return g_strdup (row->account);
    case COL_SYMBOL:      return g_strdup (t->symbol);
    case COL_SIDE:        return g_strdup (t->side == EA_SIDE_SELL ? _("Short") : _("Long"));
    case COL_QTY:         return g_strdup_printf ("%" G_GINT64_FORMAT, t->qty);
    case COL_ENTRY_PRICE: return format_price (t->root, t->entry_ticks);
    case COL_EXIT_PRICE:  return format_price (t->root, t->exit_ticks);
    case COL_PNL:         return ea_money_format_full (t->pnl_micros, EA_MONEY_FORMAT_PLUS_SIGN);
    case COL_FEES:        return ea_money_format (t->fees_micros);
    case COL_DURATION:    return _ea_journal_window_format_duration ((t->exit_time_us - t->entry_time_us) / 1e6);
    case COL_MAE:         return g_strdup_printf ("%" G_GINT64_FORMAT, t->mae_ticks);
    case COL_MFE:         return g_strdup_printf ("%" G_GINT64_FORMAT, t->mfe_ticks);
    case COL_TAGS:        return g_strdup (t->tags);
    case COL_NOTES:       return one_line (t->notes);
    case N_TRADE_COLUMNS:
    default:              return NULL;
    }
}

static int
compare_int (gint64 a,
             gint64 b)
{
  return a < b ? -1 : a > b ? 1 : 0;
}

static int
compare_trades (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const EaJournalRow *ra = a, *rb = b;
  const EaJournalTrade *x = &ra->trade, *y = &rb->trade;
  TradeColumn col = GPOINTER_TO_INT (user_data);
  int c;

  switch (col)
    {
    case COL_ID:          c = compare_int (x->id, y->id); break;
    case COL_EXIT_TIME:   c = compare_int (x->exit_time_us, y->exit_time_us); break;
    case COL_QTY:         c = compare_int (x->qty, y->qty); break;
    case COL_ENTRY_PRICE: c = compare_int (x->entry_ticks, y->entry_ticks); break;
    case COL_EXIT_PRICE:  c = compare_int (x->exit_ticks, y->exit_ticks); break;
    case COL_PNL:         c = compare_int (x->pnl_micros, y->pnl_micros); break;
    case COL_FEES:        c = compare_int (x->fees_micros, y->fees_micros); break;
    case COL_DURATION:    c = compare_int (x->exit_time_us - x->entry_time_us, y->exit_time_us - y->entry_time_us); break;
    case COL_MAE:         c = compare_int (x->mae_ticks, y->mae_ticks); break;
    case COL_MFE:         c = compare_int (x->mfe_ticks, y->mfe_ticks); break;
    case COL_ACCOUNT:
    case COL_SYMBOL:
    case COL_SIDE:
    case COL_TAGS:
    case COL_NOTES:
      {
        g_autofree char *sa = trade_cell (ra, col);
        g_autofree char *sb = trade_cell (rb, col);

        c = g_utf8_collate (sa != NULL ? sa : "", sb != NULL ? sb : "");
      }
      break;
    case N_TRADE_COLUMNS:
    default:
      c = 0;
    }
  /* Ties in exit order, so that the order is stable. */
  return c != 0 ? (c < 0 ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER)
                : compare_int (x->id, y->id) < 0 ? GTK_ORDERING_SMALLER
                : compare_int (x->id, y->id) > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static void
setup_label (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);
  gboolean numeric = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "ea-numeric"));

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_trade (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  TradeColumn col = GPOINTER_TO_INT (user_data);
  EaJournalRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_widget_remove_css_class (label, "profit");
  gtk_widget_remove_css_class (label, "loss");
  if (col == COL_TAGS || col == COL_NOTES)
    {
      GBinding *binding = g_object_bind_property (row, col == COL_TAGS ? "tags" : "notes", label, "label",
                                                  G_BINDING_SYNC_CREATE);

      g_object_set_data (G_OBJECT (label), "ea-binding", binding);
      return;
    }

  {
    g_autofree char *text = trade_cell (row, col);

    gtk_label_set_text (GTK_LABEL (label), text);
  }
  if (col == COL_PNL && row->trade.pnl_micros != 0)
    gtk_widget_add_css_class (label, row->trade.pnl_micros > 0 ? "profit" : "loss");
}

static void
unbind_trade (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  GBinding *binding = g_object_steal_data (G_OBJECT (label), "ea-binding");

  if (binding != NULL)
    g_binding_unbind (binding);
}

static void
bind_cells (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  guint col = GPOINTER_TO_UINT (user_data);
  EaJournalRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  const char *text = row->cells != NULL && col < g_strv_length (row->cells) ? row->cells[col] : "";

  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, strlen (text) > 24 ? text : NULL);
}

static GtkColumnViewColumn *
add_column (GtkColumnView *view,
            const char    *title,
            gboolean       numeric,
            gboolean       expand,
            GCallback      bind,
            GCallback      unbind,
            gpointer       data)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_object_set_data (G_OBJECT (factory), "ea-numeric", GINT_TO_POINTER (numeric));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_label), NULL);
  g_signal_connect (factory, "bind", bind, data);
  if (unbind != NULL)
    g_signal_connect (factory, "unbind", unbind, data);

  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_append_column (view, column);
  g_object_unref (column);
  return column;
}

static void
add_cell_columns (GtkColumnView      *view,
                  GListStore         *store,
                  const char * const *titles,
                  guint               n_titles,
                  guint               expand_column)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  for (guint i = 0; i < n_titles; i++)
    add_column (view, _(titles[i]), FALSE, i == expand_column, G_CALLBACK (bind_cells), NULL,
                GUINT_TO_POINTER (i));
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (store)));
  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (selection));
}

/* The notes editor. */

static void
selection_changed_cb (EaJournalWindow *self)
{
  EaJournalRow *row;
  GtkTextBuffer *buffer;

  if (self->trades_selection == NULL || self->notes_view == NULL)
    return;
  row = gtk_single_selection_get_selected_item (self->trades_selection);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->notes_view));

  g_set_object (&self->notes_row, row);
  gtk_widget_set_sensitive (self->notes_box, row != NULL);
  gtk_label_set_text (GTK_LABEL (self->notes_status), "");
  if (row == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->notes_title), _("Select a trade"));
      gtk_editable_set_text (GTK_EDITABLE (self->tags_entry), "");
      gtk_text_buffer_set_text (buffer, "", -1);
      return;
    }

  {
    g_autofree char *pnl = ea_money_format_full (row->trade.pnl_micros, EA_MONEY_FORMAT_PLUS_SIGN);
    g_autofree char *when = _ea_journal_window_format_time (row->trade.exit_time_us);
    g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, row->trade.id);
    g_autofree char *title = g_strdup_printf (_("Trade %s · %s %s · %s"), id,
                                              row->trade.side == EA_SIDE_SELL ? _("Short") : _("Long"),
                                              row->trade.symbol, pnl);

    gtk_label_set_text (GTK_LABEL (self->notes_title), title);
    gtk_widget_set_tooltip_text (self->notes_title, when);
  }
  gtk_editable_set_text (GTK_EDITABLE (self->tags_entry), row->trade.tags != NULL ? row->trade.tags : "");
  gtk_text_buffer_set_text (buffer, row->trade.notes != NULL ? row->trade.notes : "", -1);
}

void
_ea_journal_window_setup_tables (EaJournalWindow *self)
{
  static const char * const risk_titles[] = { N_("Time"), N_("Account"), N_("Kind"), N_("Reason"), N_("Details") };
  static const char * const audit_titles[] = {
    N_("Seq"), N_("Time"), N_("Actor"), N_("Kind"), N_("Subject"), N_("Details"), N_("Hash"),
  };
  GtkColumnView *view = GTK_COLUMN_VIEW (self->trades_view);
  GtkSortListModel *sorted;

  self->trades_store = g_list_store_new (EA_TYPE_JOURNAL_ROW);
  self->risk_store = g_list_store_new (EA_TYPE_JOURNAL_ROW);
  self->audit_store = g_list_store_new (EA_TYPE_JOURNAL_ROW);

  for (TradeColumn col = COL_ID; col < N_TRADE_COLUMNS; col++)
    {
      GtkColumnViewColumn *column = add_column (view, _(trade_columns[col].title), trade_columns[col].numeric,
                                                trade_columns[col].expand, G_CALLBACK (bind_trade),
                                                G_CALLBACK (unbind_trade), GINT_TO_POINTER (col));
      GtkCustomSorter *sorter = gtk_custom_sorter_new (compare_trades, GINT_TO_POINTER (col), NULL);

      gtk_column_view_column_set_fixed_width (column, trade_columns[col].width);

      gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
      g_object_unref (sorter);
      if (col == COL_EXIT_TIME)
        gtk_column_view_sort_by_column (view, column, GTK_SORT_DESCENDING);
    }

  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->trades_store)),
                                    g_object_ref (gtk_column_view_get_sorter (view)));
  self->trades_selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->trades_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->trades_selection, TRUE);
  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (self->trades_selection));
  g_signal_connect_object (self->trades_selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);

  add_cell_columns (GTK_COLUMN_VIEW (self->risk_view), self->risk_store, risk_titles,
                    G_N_ELEMENTS (risk_titles), 4);
  add_cell_columns (GTK_COLUMN_VIEW (self->audit_view), self->audit_store, audit_titles,
                    G_N_ELEMENTS (audit_titles), 5);
}

/* Fills the trades table from the analytics. */
void
_ea_journal_window_set_trades (EaJournalWindow *self)
{
  GArray *trades = self->analytics != NULL ? self->analytics->trades : NULL;
  guint n = trades != NULL ? trades->len : 0;
  g_autofree gpointer *rows = g_new (gpointer, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      const EaJournalTrade *t = &g_array_index (trades, EaJournalTrade, i);

      rows[i] = ea_journal_row_new_trade (t, _ea_journal_window_account_name (self, t->account_id));
    }
  g_list_store_splice (self->trades_store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->trades_store)),
                       rows, n);
  for (guint i = 0; i < n; i++)
    g_object_unref (rows[i]);
}

gboolean
ea_journal_window_select_trade (EaJournalWindow *self,
                                gint64           trade_id)
{
  GListModel *model;
  guint n;

  g_return_val_if_fail (EA_IS_JOURNAL_WINDOW (self), FALSE);

  model = G_LIST_MODEL (self->trades_selection);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EaJournalRow) row = g_list_model_get_item (model, i);

      if (row->trade.id == trade_id)
        {
          gtk_single_selection_set_selected (self->trades_selection, i);
          return TRUE;
        }
    }
  return FALSE;
}
