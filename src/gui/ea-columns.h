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
#include "ea-trading-store.h"

G_BEGIN_DECLS

/* The text of a cell; *css_class may be set to one extra style class
 * ("profit", "loss", "buy", "sell"…). */
typedef char *(*EaColumnTextFunc) (GObject     *item,
                                   const char **css_class,
                                   gpointer     data);

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

/* @data is passed to the column's text function. */
void                 ea_column_set_data   (GtkColumnViewColumn *column,
                                           gpointer             data);
/* Re-runs the text function of every bound cell of @column: for values
 * that follow the market rather than the item's own notifications. */
void                 ea_column_refresh    (GtkColumnViewColumn *column);

/* Display helpers shared by the dashboard's widgets. */
const EaInstrumentSpec *ea_format_spec    (const char       *symbol);
char                *ea_format_price      (const char       *symbol,
                                           EaTicks           ticks);
char                *ea_format_avg_price  (const char       *symbol,
                                           double            ticks);
char                *ea_format_pnl        (EaMicros          amount,
                                           const char      **css_class);
char                *ea_format_time       (EaTimeUs          time);

/* Open P&L marked to the market: a long is valued at the bid, a short at
 * the ask (what closing would get); the position's own figure when there
 * is no quote. */
EaMicros             ea_mark_position     (EaTradingStore   *store,
                                           EaPosition       *position);
/* The sum over @account's positions (NULL: every account). */
EaMicros             ea_mark_account      (EaTradingStore   *store,
                                           const char       *account);

G_END_DECLS
