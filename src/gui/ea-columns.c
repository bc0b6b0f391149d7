/* ea-columns.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-columns"

#include "config.h"

#include "ea-columns.h"
#include "ea-money.h"

typedef struct
{
  EaColumnTextFunc text_func;
  EaColumnFlags    flags;
  GHashTable      *bound;   /* label → its list item */
  gpointer         data;
} ColumnInfo;

static void
column_info_free (gpointer data)
{
  ColumnInfo *info = data;

  g_hash_table_unref (info->bound);
  g_free (info);
}

static void
update_label (GtkLabel   *label,
              GObject    *item,
              ColumnInfo *info)
{
  const char *css_class = NULL;
  g_autofree char *text = info->text_func (item, &css_class, info->data);
  const char *old_class = g_object_get_data (G_OBJECT (label), "ea-css-class");

  gtk_label_set_text (label, text ? text : "");

  if (g_strcmp0 (old_class, css_class) != 0)
    {
      if (old_class != NULL)
        gtk_widget_remove_css_class (GTK_WIDGET (label), old_class);
      if (css_class != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (label), css_class);
      /* Style class names are static strings. */
      g_object_set_data (G_OBJECT (label), "ea-css-class", (gpointer) css_class);
    }
}

static void
item_notify_cb (GObject    *item,
                GParamSpec *pspec,
                GtkLabel   *label)
{
  ColumnInfo *info = g_object_get_data (G_OBJECT (label), "ea-column-info");

  update_label (label, item, info);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          ColumnInfo               *info)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), (info->flags & EA_COLUMN_NUMERIC) ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (info->flags & EA_COLUMN_NUMERIC)
    gtk_widget_add_css_class (label, "numeric");
  g_object_set_data (G_OBJECT (label), "ea-column-info", info);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         ColumnInfo               *info)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  GObject *item = gtk_list_item_get_item (list_item);
  gulong id;

  update_label (GTK_LABEL (label), item, info);
  g_hash_table_insert (info->bound, label, list_item);
  id = g_signal_connect_object (item, "notify", G_CALLBACK (item_notify_cb), label, 0);
  g_object_set_data (G_OBJECT (label), "ea-notify-id", GSIZE_TO_POINTER ((gsize) id));
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           ColumnInfo               *info)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  GObject *item = gtk_list_item_get_item (list_item);
  gulong id = (gulong) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (label), "ea-notify-id"));

  g_hash_table_remove (info->bound, label);
  if (id != 0 && item != NULL)
    g_signal_handler_disconnect (item, id);
  g_object_set_data (G_OBJECT (label), "ea-notify-id", NULL);
}

/**
 * ea_column_new:
 *
 * Returns: (transfer full): a column whose cells show @text_func's text,
 * sortable by @compare_func when it is not NULL.
 */
GtkColumnViewColumn *
ea_column_new (const char       *title,
               EaColumnTextFunc  text_func,
               GCompareDataFunc  compare_func,
               EaColumnFlags     flags)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;
  ColumnInfo *info = g_new0 (ColumnInfo, 1);

  info->text_func = text_func;
  info->flags = flags;
  info->bound = g_hash_table_new (NULL, NULL);
  g_object_set_data_full (G_OBJECT (factory), "ea-column-info", info, column_info_free);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), info);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), info);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), info);

  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, (flags & EA_COLUMN_EXPAND) != 0);
  g_object_set_data (G_OBJECT (column), "ea-column-info", info);

  if (compare_func != NULL)
    {
      GtkSorter *sorter = GTK_SORTER (gtk_custom_sorter_new (compare_func, NULL, NULL));
      gtk_column_view_column_set_sorter (column, sorter);
      g_object_unref (sorter);
    }

  return column;
}

/**
 * ea_column_view_model:
 *
 * Returns: (transfer full): a single selection over @model sorted by the
 * column the user picked.
 */
GtkSelectionModel *
ea_column_view_model (GtkColumnView *view,
                      GListModel    *model)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (view);
  GtkSortListModel *sorted;
  GtkSingleSelection *selection;

  sorted = gtk_sort_list_model_new (g_object_ref (model),
                                    sorter ? g_object_ref (sorter) : NULL);
  selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);

  return GTK_SELECTION_MODEL (selection);
}

char *
ea_column_cell_text (GtkColumnViewColumn *column,
                     GObject             *item)
{
  ColumnInfo *info = g_object_get_data (G_OBJECT (column), "ea-column-info");
  const char *css_class = NULL;

  g_return_val_if_fail (info != NULL, NULL);

  return info->text_func (item, &css_class, info->data);
}

/**
 * ea_format_spec:
 *
 * Returns: (nullable): the instrument of a root ("ES") or of a contract
 * symbol in any venue's form ("ESZ6", "ES 12-26").
 */
const EaInstrumentSpec *
ea_format_spec (const char *symbol)
{
  const EaInstrumentSpec *spec;
  EaContract contract;
  g_autoptr(GDateTime) now = NULL;
  guint32 day;

  if (symbol == NULL || *symbol == '\0')
    return NULL;

  spec = ea_instrument_lookup (symbol);
  if (spec != NULL)
    return spec;

  now = g_date_time_new_now_utc ();
  day = (guint32) (g_date_time_get_year (now) * 10000 +
                   g_date_time_get_month (now) * 100 +
                   g_date_time_get_day_of_month (now));
  if (ea_contract_parse_any (symbol, day, &contract, NULL, NULL))
    return contract.spec;

  return NULL;
}

char *
ea_format_price (const char *symbol,
                 EaTicks     ticks)
{
  const EaInstrumentSpec *spec = ea_format_spec (symbol);

  if (spec == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, ticks);

  return ea_instrument_format_price (spec, ticks);
}

/* An average of fills can fall between ticks: two decimals more. */
char *
ea_format_avg_price (const char *symbol,
                     double      ticks)
{
  const EaInstrumentSpec *spec = ea_format_spec (symbol);
  EaTicks whole = (EaTicks) ticks;

  if (spec == NULL)
    return g_strdup_printf ("%.2f", ticks);

  if ((double) whole == ticks)
    return ea_instrument_format_price (spec, whole);

  return g_strdup_printf ("%.*f", ea_instrument_price_decimals (spec) + 2,
                          ticks * spec->tick_size);
}

char *
ea_format_pnl (EaMicros     amount,
               const char **css_class)
{
  if (css_class != NULL)
    *css_class = amount > 0 ? "profit" : amount < 0 ? "loss" : NULL;

  return ea_money_format_full (amount, EA_MONEY_FORMAT_PLUS_SIGN);
}

char *
ea_format_time (EaTimeUs time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (time <= 0)
    return g_strdup ("—");

  utc = g_date_time_new_from_unix_utc (time / G_USEC_PER_SEC);
  if (utc == NULL)
    return g_strdup ("—");
  local = g_date_time_to_local (utc);

  return g_date_time_format (local, "%H:%M:%S");
}

typedef struct
{
  EaColumnTextFunc     a11y_func;
  EaColumnActivateFunc activate_func;
  gpointer             user_data;
} ButtonInfo;

static void
button_clicked_cb (GtkButton  *button,
                   ButtonInfo *info)
{
  GtkListItem *list_item = g_object_get_data (G_OBJECT (button), "ea-list-item");
  GObject *item = list_item ? gtk_list_item_get_item (list_item) : NULL;

  if (item != NULL)
    info->activate_func (item, info->user_data);
}

static void
button_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 ButtonInfo               *info)
{
  const char *label = g_object_get_data (G_OBJECT (factory), "ea-button-label");
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "row-action");
  g_object_set_data (G_OBJECT (button), "ea-list-item", list_item);
  g_signal_connect (button, "clicked", G_CALLBACK (button_clicked_cb), info);
  gtk_list_item_set_child (list_item, button);
}

static void
button_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                ButtonInfo               *info)
{
  GtkWidget *button = gtk_list_item_get_child (list_item);
  GObject *item = gtk_list_item_get_item (list_item);
  const char *css_class = NULL;
  g_autofree char *name = info->a11y_func (item, &css_class, NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  gtk_widget_set_tooltip_text (button, name);
}

GtkColumnViewColumn *
ea_column_new_button (const char          *title,
                      const char          *label,
                      EaColumnTextFunc     a11y_func,
                      EaColumnActivateFunc activate_func,
                      gpointer             user_data)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  ButtonInfo *info = g_new0 (ButtonInfo, 1);

  info->a11y_func = a11y_func;
  info->activate_func = activate_func;
  info->user_data = user_data;
  g_object_set_data_full (G_OBJECT (factory), "ea-button-info", info, g_free);
  g_object_set_data_full (G_OBJECT (factory), "ea-button-label", g_strdup (label), g_free);

  g_signal_connect (factory, "setup", G_CALLBACK (button_setup_cb), info);
  g_signal_connect (factory, "bind", G_CALLBACK (button_bind_cb), info);

  return gtk_column_view_column_new (title, factory);
}

void
ea_column_set_data (GtkColumnViewColumn *column,
                    gpointer             data)
{
  ColumnInfo *info = g_object_get_data (G_OBJECT (column), "ea-column-info");

  g_return_if_fail (info != NULL);
  info->data = data;
}

void
ea_column_refresh (GtkColumnViewColumn *column)
{
  ColumnInfo *info = g_object_get_data (G_OBJECT (column), "ea-column-info");
  GHashTableIter iter;
  gpointer label, list_item;

  g_return_if_fail (info != NULL);

  g_hash_table_iter_init (&iter, info->bound);
  while (g_hash_table_iter_next (&iter, &label, &list_item))
    {
      GObject *item = gtk_list_item_get_item (list_item);

      if (item != NULL)
        update_label (GTK_LABEL (label), item, info);
    }
}

EaMicros
ea_mark_position (EaTradingStore *store,
                  EaPosition     *position)
{
  const char *symbol = ea_position_get_symbol (position);
  gint64 qty = ea_position_get_qty (position);
  const EaInstrumentSpec *spec = ea_format_spec (symbol);
  EaQuote *quote = store ? ea_trading_store_lookup_quote (store, symbol) : NULL;
  EaTicks exit;
  double pnl;

  if (qty == 0 || spec == NULL || quote == NULL)
    return ea_position_get_open_pnl (position);

  exit = qty > 0 ? ea_quote_get_bid (quote) : ea_quote_get_ask (quote);
  if (exit == 0)
    return ea_position_get_open_pnl (position);

  pnl = ((double) exit - ea_position_get_avg_price (position)) * (double) qty * (double) spec->tick_value;
  return (EaMicros) (pnl < 0 ? pnl - 0.5 : pnl + 0.5);
}

EaMicros
ea_mark_account (EaTradingStore *store,
                 const char     *account)
{
  GListModel *positions = ea_trading_store_get_positions (store);
  EaMicros total = 0;

  for (guint i = 0; i < g_list_model_get_n_items (positions); i++)
    {
      g_autoptr(EaPosition) p = g_list_model_get_item (positions, i);

      if (ea_position_get_qty (p) != 0 &&
          (account == NULL || g_strcmp0 (account, ea_position_get_account (p)) == 0))
        total += ea_mark_position (store, p);
    }
  return total;
}
