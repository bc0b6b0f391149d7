/* ea-fills-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every fill of the session, newest first.
 */
#define G_LOG_DOMAIN "ea-fills-view"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-columns.h"
#include "ea-fills-view.h"

struct _EaFillsView
{
  GtkBox              parent_instance;

  GtkCustomFilter    *filter;
  GtkFilterListModel *shown;
  char               *account;

  GtkWidget          *column_view;
  GtkWidget          *stack;
  GtkWidget          *summary_label;
};

G_DEFINE_FINAL_TYPE (EaFillsView, ea_fills_view, GTK_TYPE_BOX)

#define FILL(item) EA_FILL (item)

static char *
time_text (GObject *item, const char **css, gpointer data)
{
  return ea_format_time (ea_fill_get_time (FILL (item)));
}

static char *
account_text (GObject *item, const char **css, gpointer data)
{
  return g_strdup (ea_fill_get_account (FILL (item)));
}

static char *
symbol_text (GObject *item, const char **css, gpointer data)
{
  return g_strdup (ea_fill_get_symbol (FILL (item)));
}

static char *
side_text (GObject *item, const char **css, gpointer data)
{
  gboolean buy = ea_fill_get_side (FILL (item)) > 0;

  *css = buy ? "buy" : "sell";
  return g_strdup (buy ? _("BOT") : _("SLD"));
}

static char *
qty_text (GObject *item, const char **css, gpointer data)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, ea_fill_get_qty (FILL (item)));
}

static char *
price_text (GObject *item, const char **css, gpointer data)
{
  return ea_format_price (ea_fill_get_symbol (FILL (item)), ea_fill_get_price (FILL (item)));
}

static char *
order_text (GObject *item, const char **css, gpointer data)
{
  const char *id = ea_fill_get_client_order_id (FILL (item));

  return g_strdup (id ? id : ea_fill_get_broker_order_id (FILL (item)));
}

#define CMP_FUNC(name, expr)                                           \
  static int                                                           \
  name (gconstpointer a, gconstpointer b, gpointer data)               \
  {                                                                    \
    EaFill *pa = (EaFill *) a, *pb = (EaFill *) b;                     \
    return expr;                                                       \
  }

CMP_FUNC (cmp_time, (ea_fill_get_time (pa) > ea_fill_get_time (pb)) -
                    (ea_fill_get_time (pa) < ea_fill_get_time (pb)))
CMP_FUNC (cmp_account, g_strcmp0 (ea_fill_get_account (pa), ea_fill_get_account (pb)))
CMP_FUNC (cmp_symbol, g_strcmp0 (ea_fill_get_symbol (pa), ea_fill_get_symbol (pb)))
CMP_FUNC (cmp_side, ea_fill_get_side (pa) - ea_fill_get_side (pb))
CMP_FUNC (cmp_qty, (int) CLAMP (ea_fill_get_qty (pa) - ea_fill_get_qty (pb), -1, 1))
CMP_FUNC (cmp_price, (ea_fill_get_price (pa) > ea_fill_get_price (pb)) -
                     (ea_fill_get_price (pa) < ea_fill_get_price (pb)))

static gboolean
fill_shown (gpointer item,
            gpointer user_data)
{
  EaFillsView *self = EA_FILLS_VIEW (user_data);

  return self->account == NULL ||
         g_strcmp0 (self->account, ea_fill_get_account (FILL (item))) == 0;
}

static void
update_summary (EaFillsView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->shown));
  gint64 contracts = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EaFill) f = g_list_model_get_item (G_LIST_MODEL (self->shown), i);
      contracts += ea_fill_get_qty (f);
    }

  text = g_strdup_printf (ngettext ("%u fill · %" G_GINT64_FORMAT " contracts",
                                    "%u fills · %" G_GINT64_FORMAT " contracts", n),
                          n, contracts);
  gtk_label_set_text (GTK_LABEL (self->summary_label), text);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), n > 0 ? "list" : "empty");
}

static void
ea_fills_view_dispose (GObject *object)
{
  EaFillsView *self = EA_FILLS_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), EA_TYPE_FILLS_VIEW);
  g_clear_object (&self->shown);
  g_clear_pointer (&self->account, g_free);

  G_OBJECT_CLASS (ea_fills_view_parent_class)->dispose (object);
}

static void
ea_fills_view_class_init (EaFillsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ea_fills_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/ea-fills-view.ui");
  gtk_widget_class_bind_template_child (widget_class, EaFillsView, column_view);
  gtk_widget_class_bind_template_child (widget_class, EaFillsView, stack);
  gtk_widget_class_bind_template_child (widget_class, EaFillsView, summary_label);
}

static void
ea_fills_view_init (EaFillsView *self)
{
  GtkColumnView *view;
  GtkColumnViewColumn *time_column = NULL;
  g_autoptr(GListStore) empty = g_list_store_new (EA_TYPE_FILL);
  struct { const char *title; EaColumnTextFunc text; GCompareDataFunc cmp; EaColumnFlags flags; } cols[] = {
    { N_("Time"),    time_text,    cmp_time,    EA_COLUMN_NUMERIC },
    { N_("Account"), account_text, cmp_account, EA_COLUMN_EXPAND },
    { N_("Symbol"),  symbol_text,  cmp_symbol,  EA_COLUMN_TEXT },
    { N_("Side"),    side_text,    cmp_side,    EA_COLUMN_TEXT },
    { N_("Qty"),     qty_text,     cmp_qty,     EA_COLUMN_NUMERIC },
    { N_("Price"),   price_text,   cmp_price,   EA_COLUMN_NUMERIC },
    { N_("Order"),   order_text,   NULL,        EA_COLUMN_TEXT },
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  view = GTK_COLUMN_VIEW (self->column_view);

  for (guint i = 0; i < G_N_ELEMENTS (cols); i++)
    {
      g_autoptr(GtkColumnViewColumn) c = ea_column_new (_(cols[i].title), cols[i].text,
                                                        cols[i].cmp, cols[i].flags);
      gtk_column_view_append_column (view, c);
      if (i == 0)
        time_column = c;
    }

  self->filter = gtk_custom_filter_new (fill_shown, self, NULL);
  self->shown = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  {
    g_autoptr(GtkSelectionModel) sel = ea_column_view_model (view, G_LIST_MODEL (self->shown));
    gtk_column_view_set_model (view, sel);
  }
  /* Newest first. */
  gtk_column_view_sort_by_column (view, time_column, GTK_SORT_DESCENDING);
  g_signal_connect_object (self->shown, "items-changed",
                           G_CALLBACK (update_summary), self, G_CONNECT_SWAPPED);

  ea_fills_view_set_model (self, G_LIST_MODEL (empty));
}

GtkWidget *
ea_fills_view_new (void)
{
  return g_object_new (EA_TYPE_FILLS_VIEW, NULL);
}

void
ea_fills_view_set_model (EaFillsView *self,
                         GListModel  *fills)
{
  g_return_if_fail (EA_IS_FILLS_VIEW (self));
  g_return_if_fail (G_IS_LIST_MODEL (fills));

  gtk_filter_list_model_set_model (self->shown, fills);
  update_summary (self);
}

GListModel *
ea_fills_view_get_shown (EaFillsView *self)
{
  g_return_val_if_fail (EA_IS_FILLS_VIEW (self), NULL);

  return G_LIST_MODEL (self->shown);
}

void
ea_fills_view_set_account (EaFillsView *self,
                           const char  *account)
{
  g_return_if_fail (EA_IS_FILLS_VIEW (self));

  g_free (self->account);
  self->account = g_strdup (account);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_summary (self);
}

GtkColumnView *
ea_fills_view_get_column_view (EaFillsView *self)
{
  g_return_val_if_fail (EA_IS_FILLS_VIEW (self), NULL);

  return GTK_COLUMN_VIEW (self->column_view);
}
