/* ea-positions-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The open positions, one row each, with Protect…, Reverse and Flatten
 * buttons per row.
 */
#define G_LOG_DOMAIN "ea-positions-view"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-columns.h"
#include "ea-positions-view.h"

struct _EaPositionsView
{
  GtkBox              parent_instance;

  GListModel         *positions;
  GtkCustomFilter    *filter;
  GtkFilterListModel *shown;
  char               *account;
  EaTradingStore     *store;
  GtkColumnViewColumn *open_column;
  gboolean            marks_dirty;
  guint               tick_id;

  GtkWidget          *column_view;
  GtkWidget          *flatten_all_button;
  GtkWidget          *stack;
  GtkWidget          *summary_label;
};

G_DEFINE_FINAL_TYPE (EaPositionsView, ea_positions_view, GTK_TYPE_BOX)

enum { SIGNAL_FLATTEN, SIGNAL_REVERSE, SIGNAL_PROTECT, N_SIGNALS };
static guint signals[N_SIGNALS];

#define POS(item) EA_POSITION (item)

static char *
account_text (GObject *item, const char **css, gpointer data)
{
  return g_strdup (ea_position_get_account (POS (item)));
}

static char *
symbol_text (GObject *item, const char **css, gpointer data)
{
  return g_strdup (ea_position_get_symbol (POS (item)));
}

static char *
side_text (GObject *item, const char **css, gpointer data)
{
  gint64 qty = ea_position_get_qty (POS (item));

  *css = qty > 0 ? "buy" : qty < 0 ? "sell" : NULL;
  return g_strdup (qty > 0 ? _("LONG") : qty < 0 ? _("SHORT") : _("FLAT"));
}

static char *
qty_text (GObject *item, const char **css, gpointer data)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, ABS (ea_position_get_qty (POS (item))));
}

static char *
avg_text (GObject *item, const char **css, gpointer data)
{
  EaPosition *p = POS (item);

  if (ea_position_get_qty (p) == 0)
    return g_strdup ("—");
  return ea_format_avg_price (ea_position_get_symbol (p), ea_position_get_avg_price (p));
}

static char *
open_text (GObject *item, const char **css, gpointer data)
{
  return ea_format_pnl (ea_mark_position (data, POS (item)), css);
}

static char *
realized_text (GObject *item, const char **css, gpointer data)
{
  return ea_format_pnl (ea_position_get_realized_pnl (POS (item)), css);
}

static char *
flatten_a11y (GObject *item, const char **css, gpointer data)
{
  /* Translators: a button's name: "Flatten ES on DEMO-1". */
  return g_strdup_printf (_("Flatten %s on %s"),
                          ea_position_get_symbol (POS (item)),
                          ea_position_get_account (POS (item)));
}

static char *
reverse_a11y (GObject *item, const char **css, gpointer data)
{
  /* Translators: a button's name: "Reverse ES on DEMO-1". */
  return g_strdup_printf (_("Reverse %s on %s"),
                          ea_position_get_symbol (POS (item)),
                          ea_position_get_account (POS (item)));
}

static char *
protect_a11y (GObject *item, const char **css, gpointer data)
{
  /* Translators: a button's name: "Protect ES on DEMO-1". */
  return g_strdup_printf (_("Protect %s on %s"),
                          ea_position_get_symbol (POS (item)),
                          ea_position_get_account (POS (item)));
}

#define CMP_FUNC(name, expr)                                           \
  static int                                                           \
  name (gconstpointer a, gconstpointer b, gpointer data)               \
  {                                                                    \
    EaPosition *pa = (EaPosition *) a, *pb = (EaPosition *) b;         \
    return expr;                                                       \
  }

CMP_FUNC (cmp_account, g_strcmp0 (ea_position_get_account (pa), ea_position_get_account (pb)))
CMP_FUNC (cmp_symbol, g_strcmp0 (ea_position_get_symbol (pa), ea_position_get_symbol (pb)))
CMP_FUNC (cmp_qty, (int) CLAMP (ea_position_get_qty (pa) - ea_position_get_qty (pb), -1, 1))
CMP_FUNC (cmp_open, (ea_position_get_open_pnl (pa) > ea_position_get_open_pnl (pb)) -
                    (ea_position_get_open_pnl (pa) < ea_position_get_open_pnl (pb)))
CMP_FUNC (cmp_realized, (ea_position_get_realized_pnl (pa) > ea_position_get_realized_pnl (pb)) -
                        (ea_position_get_realized_pnl (pa) < ea_position_get_realized_pnl (pb)))

static void
flatten_row (GObject  *item,
             gpointer  user_data)
{
  EaPositionsView *self = EA_POSITIONS_VIEW (user_data);

  g_signal_emit (self, signals[SIGNAL_FLATTEN], 0,
                 ea_position_get_account (POS (item)),
                 ea_position_get_symbol (POS (item)));
}

static void
reverse_row (GObject  *item,
             gpointer  user_data)
{
  EaPositionsView *self = EA_POSITIONS_VIEW (user_data);

  g_signal_emit (self, signals[SIGNAL_REVERSE], 0,
                 ea_position_get_account (POS (item)),
                 ea_position_get_symbol (POS (item)));
}

static void
protect_row (GObject  *item,
             gpointer  user_data)
{
  EaPositionsView *self = EA_POSITIONS_VIEW (user_data);

  g_signal_emit (self, signals[SIGNAL_PROTECT], 0,
                 ea_position_get_account (POS (item)),
                 ea_position_get_symbol (POS (item)));
}

static gboolean
position_shown (gpointer item,
                gpointer user_data)
{
  EaPositionsView *self = EA_POSITIONS_VIEW (user_data);

  if (ea_position_get_qty (POS (item)) == 0)
    return FALSE;

  return self->account == NULL ||
         g_strcmp0 (self->account, ea_position_get_account (POS (item))) == 0;
}

static void
update_summary (EaPositionsView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->shown));
  EaMicros open = 0;
  g_autofree char *open_text_ = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EaPosition) p = g_list_model_get_item (G_LIST_MODEL (self->shown), i);
      open += ea_mark_position (self->store, p);
    }

  open_text_ = ea_format_pnl (open, NULL);
  text = g_strdup_printf (ngettext ("%u open position · %s open P&L",
                                    "%u open positions · %s open P&L", n),
                          n, open_text_);
  gtk_label_set_text (GTK_LABEL (self->summary_label), text);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), n > 0 ? "list" : "empty");
  gtk_widget_set_sensitive (self->flatten_all_button, n > 0);
}

static void
position_notify_cb (EaPositionsView *self,
                    GParamSpec      *pspec,
                    EaPosition      *position)
{
  if (g_strcmp0 (pspec->name, "qty") == 0)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_summary (self);
}

static void
positions_changed_cb (GListModel      *model,
                      guint            position,
                      guint            removed,
                      guint            added,
                      EaPositionsView *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(EaPosition) p = g_list_model_get_item (model, i);
      g_signal_connect_object (p, "notify", G_CALLBACK (position_notify_cb), self,
                               G_CONNECT_SWAPPED);
    }
  update_summary (self);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  EaPositionsView *self = EA_POSITIONS_VIEW (widget);

  if (self->marks_dirty)
    {
      self->marks_dirty = FALSE;
      ea_column_refresh (self->open_column);
      update_summary (self);
    }
  return G_SOURCE_CONTINUE;
}

static void
quote_notify_cb (EaPositionsView *self)
{
  self->marks_dirty = TRUE;
}

static void
quotes_changed_cb (GListModel      *model,
                   guint            position,
                   guint            removed,
                   guint            added,
                   EaPositionsView *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(EaQuote) q = g_list_model_get_item (model, i);
      g_signal_connect_object (q, "notify::time", G_CALLBACK (quote_notify_cb), self,
                               G_CONNECT_SWAPPED);
    }
}

static void
flatten_all_clicked_cb (EaPositionsView *self)
{
  g_signal_emit (self, signals[SIGNAL_FLATTEN], 0, self->account, NULL);
}

static void
ea_positions_view_dispose (GObject *object)
{
  EaPositionsView *self = EA_POSITIONS_VIEW (object);

  if (self->positions != NULL)
    g_signal_handlers_disconnect_by_data (self->positions, self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (ea_trading_store_get_quotes (self->store), self);
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), EA_TYPE_POSITIONS_VIEW);
  g_clear_object (&self->positions);
  g_clear_object (&self->shown);
  g_clear_pointer (&self->account, g_free);

  G_OBJECT_CLASS (ea_positions_view_parent_class)->dispose (object);
}

static void
ea_positions_view_class_init (EaPositionsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ea_positions_view_dispose;

  signals[SIGNAL_FLATTEN] =
    g_signal_new ("flatten", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_REVERSE] =
    g_signal_new ("reverse", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /* A stop and a target for the row's position (account, symbol). */
  signals[SIGNAL_PROTECT] =
    g_signal_new ("protect", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/ea-positions-view.ui");
  gtk_widget_class_bind_template_child (widget_class, EaPositionsView, column_view);
  gtk_widget_class_bind_template_child (widget_class, EaPositionsView, flatten_all_button);
  gtk_widget_class_bind_template_child (widget_class, EaPositionsView, stack);
  gtk_widget_class_bind_template_child (widget_class, EaPositionsView, summary_label);
}

static void
ea_positions_view_init (EaPositionsView *self)
{
  GtkColumnView *view;
  g_autoptr(GListStore) empty = g_list_store_new (EA_TYPE_POSITION);
  struct { const char *title; EaColumnTextFunc text; GCompareDataFunc cmp; EaColumnFlags flags; } cols[] = {
    { N_("Account"),  account_text,  cmp_account,  EA_COLUMN_EXPAND },
    { N_("Symbol"),   symbol_text,   cmp_symbol,   EA_COLUMN_TEXT },
    { N_("Side"),     side_text,     cmp_qty,      EA_COLUMN_TEXT },
    { N_("Qty"),      qty_text,      cmp_qty,      EA_COLUMN_NUMERIC },
    { N_("Avg Price"), avg_text,     NULL,         EA_COLUMN_NUMERIC },
    { N_("Open P&L"), open_text,     cmp_open,     EA_COLUMN_NUMERIC },
    { N_("Realized"), realized_text, cmp_realized, EA_COLUMN_NUMERIC },
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  view = GTK_COLUMN_VIEW (self->column_view);

  for (guint i = 0; i < G_N_ELEMENTS (cols); i++)
    {
      g_autoptr(GtkColumnViewColumn) c = ea_column_new (_(cols[i].title), cols[i].text,
                                                        cols[i].cmp, cols[i].flags);
      gtk_column_view_append_column (view, c);
      if (cols[i].text == open_text)
        self->open_column = c;
    }
  {
    g_autoptr(GtkColumnViewColumn) c = ea_column_new_button ("", _("Protect…"), protect_a11y,
                                                            protect_row, self);
    gtk_column_view_append_column (view, c);
  }
  {
    g_autoptr(GtkColumnViewColumn) c = ea_column_new_button ("", _("Reverse"), reverse_a11y,
                                                            reverse_row, self);
    gtk_column_view_append_column (view, c);
  }
  {
    g_autoptr(GtkColumnViewColumn) c = ea_column_new_button ("", _("Flatten"), flatten_a11y,
                                                            flatten_row, self);
    gtk_column_view_append_column (view, c);
  }

  self->filter = gtk_custom_filter_new (position_shown, self, NULL);
  self->shown = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  {
    g_autoptr(GtkSelectionModel) sel = ea_column_view_model (view, G_LIST_MODEL (self->shown));
    gtk_column_view_set_model (view, sel);
  }
  g_signal_connect_object (self->flatten_all_button, "clicked",
                           G_CALLBACK (flatten_all_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->shown, "items-changed",
                           G_CALLBACK (update_summary), self, G_CONNECT_SWAPPED);

  self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
  ea_positions_view_set_model (self, G_LIST_MODEL (empty));
}

GtkWidget *
ea_positions_view_new (void)
{
  return g_object_new (EA_TYPE_POSITIONS_VIEW, NULL);
}

void
ea_positions_view_set_model (EaPositionsView *self,
                             GListModel      *positions)
{
  g_return_if_fail (EA_IS_POSITIONS_VIEW (self));
  g_return_if_fail (G_IS_LIST_MODEL (positions));

  if (self->positions != NULL)
    g_signal_handlers_disconnect_by_data (self->positions, self);
  g_set_object (&self->positions, positions);
  g_signal_connect (positions, "items-changed", G_CALLBACK (positions_changed_cb), self);
  positions_changed_cb (positions, 0, 0, g_list_model_get_n_items (positions), self);
  gtk_filter_list_model_set_model (self->shown, positions);
  update_summary (self);
}

/* The store's positions, marked to its quotes. */
void
ea_positions_view_set_store (EaPositionsView *self,
                             EaTradingStore  *store)
{
  GListModel *quotes;

  g_return_if_fail (EA_IS_POSITIONS_VIEW (self));
  g_return_if_fail (EA_IS_TRADING_STORE (store));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  ea_column_set_data (self->open_column, store);
  quotes = ea_trading_store_get_quotes (store);
  g_signal_connect (quotes, "items-changed", G_CALLBACK (quotes_changed_cb), self);
  quotes_changed_cb (quotes, 0, 0, g_list_model_get_n_items (quotes), self);
  ea_positions_view_set_model (self, ea_trading_store_get_positions (store));
}

GListModel *
ea_positions_view_get_shown (EaPositionsView *self)
{
  g_return_val_if_fail (EA_IS_POSITIONS_VIEW (self), NULL);

  return G_LIST_MODEL (self->shown);
}

void
ea_positions_view_set_account (EaPositionsView *self,
                               const char      *account)
{
  g_return_if_fail (EA_IS_POSITIONS_VIEW (self));

  g_free (self->account);
  self->account = g_strdup (account);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_summary (self);
}

GtkColumnView *
ea_positions_view_get_column_view (EaPositionsView *self)
{
  g_return_val_if_fail (EA_IS_POSITIONS_VIEW (self), NULL);

  return GTK_COLUMN_VIEW (self->column_view);
}
