/* ea-columns.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Columns of the dashboard's lists: a label per cell that follows its
 * item's property notifications, so nothing polls.
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-instrument.h"

G_BEGIN_DECLS

/* The text of a cell; *css_class may be set to one extra style class
 * ("profit", "loss", "buy", "sell"…). */
typedef char *(*EaColumnTextFunc) (GObject     *item,
                                   const char **css_class);

typedef enum
{
  EA_COLUMN_TEXT    = 0,
  EA_COLUMN_NUMERIC = 1 << 0,  /* right-aligned, tabular figures */
  EA_COLUMN_EXPAND  = 1 << 1,
} EaColumnFlags;

GtkColumnViewColumn *ea_column_new        (const char       *title,
                                           EaColumnTextFunc  text_func,
                                           GCompareDataFunc  compare_func,
                                           EaColumnFlags     flags);
/* Wraps @model in a GtkSortListModel driven by the view's sorter. */
GtkSelectionModel   *ea_column_view_model (GtkColumnView    *view,
                                           GListModel       *model);
typedef void (*EaColumnActivateFunc) (GObject  *item,
                                      gpointer  user_data);

/* A column of buttons labelled @label; @a11y_func names each one for
 * its row ("Flatten ES on DEMO-1"). */
GtkColumnViewColumn *ea_column_new_button (const char          *title,
                                           const char          *label,
                                           EaColumnTextFunc     a11y_func,
                                           EaColumnActivateFunc activate_func,
                                           gpointer             user_data);

/* The text @column shows for @item. */
char                *ea_column_cell_text  (GtkColumnViewColumn *column,
                                           GObject             *item);

/* Display helpers shared by the dashboard's widgets. */
const EaInstrumentSpec *ea_format_spec    (const char       *symbol);
char                *ea_format_price      (const char       *symbol,
                                           EaTicks           ticks);
char                *ea_format_avg_price  (const char       *symbol,
                                           double            ticks);
char                *ea_format_pnl        (EaMicros          amount,
                                           const char      **css_class);
char                *ea_format_time       (EaTimeUs          time);

G_END_DECLS
