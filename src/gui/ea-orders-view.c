/* ea-orders-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The working orders, with a Cancel button per row and Cancel All.
 */
#define G_LOG_DOMAIN "ea-orders-view"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-columns.h"
#include "ea-order-state.h"
#include "ea-orders-view.h"

struct _EaOrdersView
{
  GtkBox              parent_instance;

  GListModel         *orders;
  GtkCustomFilter    *filter;
  GtkFilterListModel *shown;
  char               *account;

  GtkWidget          *column_view;
  GtkWidget          *cancel_all_button;
  GtkWidget          *stack;
  GtkWidget          *summary_label;
};

G_DEFINE_FINAL_TYPE (EaOrdersView, ea_orders_view, GTK_TYPE_BOX)

enum { SIGNAL_CANCEL, SIGNAL_CANCEL_ALL, N_SIGNALS };
static guint signals[N_SIGNALS];

#define ORD(item) EA_ORDER (item)

gboolean
ea_order_is_working (EaOrder *order)
{
  switch ((EaOrderState) ea_order_get_state (order))
    {
    case EA_ORDER_STATE_PENDING_NEW:
    case EA_ORDER_STATE_SUSPENDED:
    case EA_ORDER_STATE_WORKING:
    case EA_ORDER_STATE_PARTIALLY_FILLED:
    case EA_ORDER_STATE_PENDING_CANCEL:
    case EA_ORDER_STATE_PENDING_REPLACE:
    case EA_ORDER_STATE_UNKNOWN:
      return TRUE;
    case EA_ORDER_STATE_FILLED:
    case EA_ORDER_STATE_CANCELLED:
    case EA_ORDER_STATE_REJECTED:
    case EA_ORDER_STATE_EXPIRED:
    default:
      return FALSE;
    }
}

static const char *
state_label (guint state)
{
  switch ((EaOrderState) state)
    {
    case EA_ORDER_STATE_PENDING_NEW:      return _("Sent");
    case EA_ORDER_STATE_SUSPENDED:        return _("Bracket (inactive)");
    case EA_ORDER_STATE_WORKING:          return _("Working");
    case EA_ORDER_STATE_PARTIALLY_FILLED: return _("Partly filled");
    case EA_ORDER_STATE_FILLED:           return _("Filled");
    case EA_ORDER_STATE_CANCELLED:        return _("Cancelled");
    case EA_ORDER_STATE_REJECTED:         return _("Rejected");
    case EA_ORDER_STATE_EXPIRED:          return _("Expired");
    case EA_ORDER_STATE_PENDING_CANCEL:   return _("Cancelling");
    case EA_ORDER_STATE_PENDING_REPLACE:  return _("Modifying");
    case EA_ORDER_STATE_UNKNOWN:          return _("Unknown");
    default:                              return "?";
    }
}

static const char *
type_label (guint type)
{
  switch ((EaOrderType) type)
    {
    case EA_ORDER_TYPE_MARKET:     return _("Market");
    case EA_ORDER_TYPE_LIMIT:      return _("Limit");
    case EA_ORDER_TYPE_STOP:       return _("Stop");
    case EA_ORDER_TYPE_STOP_LIMIT: return _("Stop Limit");
    default:                       return "?";
    }
}

static char *
time_text (GObject *item, const char **css, gpointer data)
{
  return ea_format_time (ea_order_get_created (ORD (item)));
}

static char *
account_text (GObject *item, const char **css, gpointer data)
{
  return g_strdup (ea_order_get_account (ORD (item)));
}

static char *
symbol_text (GObject *item, const char **css, gpointer data)
{
  return g_strdup (ea_order_get_symbol (ORD (item)));
}

static char *
side_text (GObject *item, const char **css, gpointer data)
{
  gboolean buy = ea_order_get_side (ORD (item)) > 0;

  *css = buy ? "buy" : "sell";
  return g_strdup (buy ? _("BUY") : _("SELL"));
}

static char *
type_text (GObject *item, const char **css, gpointer data)
{
  return g_strdup (type_label (ea_order_get_order_type (ORD (item))));
}

static char *
qty_text (GObject *item, const char **css, gpointer data)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                          ea_order_get_filled_qty (ORD (item)), ea_order_get_qty (ORD (item)));
}

static char *
price_text (GObject *item, const char **css, gpointer data)
{
  EaOrder *o = ORD (item);
  const char *symbol = ea_order_get_symbol (o);

  switch ((EaOrderType) ea_order_get_order_type (o))
    {
    case EA_ORDER_TYPE_LIMIT:
      return ea_format_price (symbol, ea_order_get_limit_price (o));
    case EA_ORDER_TYPE_STOP:
      return ea_format_price (symbol, ea_order_get_stop_price (o));
    case EA_ORDER_TYPE_STOP_LIMIT:
      {
        g_autofree char *stop = ea_format_price (symbol, ea_order_get_stop_price (o));
        g_autofree char *limit = ea_format_price (symbol, ea_order_get_limit_price (o));
        return g_strdup_printf ("%s / %s", stop, limit);
      }
    case EA_ORDER_TYPE_MARKET:
    default:
      return g_strdup (_("MKT"));
    }
}

static char *
state_text (GObject *item, const char **css, gpointer data)
{
  return g_strdup (state_label (ea_order_get_state (ORD (item))));
}

static char *
cancel_a11y (GObject *item, const char **css, gpointer data)
{
  g_autofree char *price = price_text (item, css, data);

  /* Translators: a button's name: "Cancel BUY 2 ES LIMIT 6790.00". */
  return g_strdup_printf (_("Cancel %s %" G_GINT64_FORMAT " %s %s"),
                          ea_order_get_side (ORD (item)) > 0 ? _("BUY") : _("SELL"),
                          ea_order_get_qty (ORD (item)),
                          ea_order_get_symbol (ORD (item)), price);
}

#define CMP_FUNC(name, expr)                                           \
  static int                                                           \
  name (gconstpointer a, gconstpointer b, gpointer data)               \
  {                                                                    \
    EaOrder *pa = (EaOrder *) a, *pb = (EaOrder *) b;                  \
    return expr;                                                       \
  }

CMP_FUNC (cmp_time, (ea_order_get_created (pa) > ea_order_get_created (pb)) -
                    (ea_order_get_created (pa) < ea_order_get_created (pb)))
CMP_FUNC (cmp_account, g_strcmp0 (ea_order_get_account (pa), ea_order_get_account (pb)))
CMP_FUNC (cmp_symbol, g_strcmp0 (ea_order_get_symbol (pa), ea_order_get_symbol (pb)))
CMP_FUNC (cmp_side, ea_order_get_side (pa) - ea_order_get_side (pb))
CMP_FUNC (cmp_qty, (int) CLAMP (ea_order_get_qty (pa) - ea_order_get_qty (pb), -1, 1))
CMP_FUNC (cmp_state, (int) ea_order_get_state (pa) - (int) ea_order_get_state (pb))

static void
cancel_row (GObject  *item,
            gpointer  user_data)
{
  EaOrdersView *self = EA_ORDERS_VIEW (user_data);

  g_signal_emit (self, signals[SIGNAL_CANCEL], 0, ea_order_get_client_order_id (ORD (item)));
}

static gboolean
order_shown (gpointer item,
             gpointer user_data)
{
  EaOrdersView *self = EA_ORDERS_VIEW (user_data);

  if (!ea_order_is_working (ORD (item)))
    return FALSE;

  return self->account == NULL ||
         g_strcmp0 (self->account, ea_order_get_account (ORD (item))) == 0;
}

static void
update_summary (EaOrdersView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->shown));
  g_autofree char *text = g_strdup_printf (ngettext ("%u working order", "%u working orders", n), n);

  gtk_label_set_text (GTK_LABEL (self->summary_label), text);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), n > 0 ? "list" : "empty");
  gtk_widget_set_sensitive (self->cancel_all_button, n > 0);
}

static void
order_notify_cb (EaOrdersView *self,
                 GParamSpec   *pspec,
                 EaOrder      *order)
{
  if (g_strcmp0 (pspec->name, "state") == 0)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
orders_changed_cb (GListModel   *model,
                   guint         position,
                   guint         removed,
                   guint         added,
                   EaOrdersView *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(EaOrder) o = g_list_model_get_item (model, i);
      g_signal_connect_object (o, "notify", G_CALLBACK (order_notify_cb), self,
                               G_CONNECT_SWAPPED);
    }
}

static void
cancel_all_clicked_cb (EaOrdersView *self)
{
  g_signal_emit (self, signals[SIGNAL_CANCEL_ALL], 0, self->account);
}

static void
ea_orders_view_dispose (GObject *object)
{
  EaOrdersView *self = EA_ORDERS_VIEW (object);

  if (self->orders != NULL)
    g_signal_handlers_disconnect_by_data (self->orders, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), EA_TYPE_ORDERS_VIEW);
  g_clear_object (&self->orders);
  g_clear_object (&self->shown);
  g_clear_pointer (&self->account, g_free);

  G_OBJECT_CLASS (ea_orders_view_parent_class)->dispose (object);
}

static void
ea_orders_view_class_init (EaOrdersViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ea_orders_view_dispose;

  signals[SIGNAL_CANCEL] =
    g_signal_new ("cancel", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CANCEL_ALL] =
    g_signal_new ("cancel-all", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/ea-orders-view.ui");
  gtk_widget_class_bind_template_child (widget_class, EaOrdersView, column_view);
  gtk_widget_class_bind_template_child (widget_class, EaOrdersView, cancel_all_button);
  gtk_widget_class_bind_template_child (widget_class, EaOrdersView, stack);
  gtk_widget_class_bind_template_child (widget_class, EaOrdersView, summary_label);
}

static void
ea_orders_view_init (EaOrdersView *self)
{
  GtkColumnView *view;
  g_autoptr(GListStore) empty = g_list_store_new (EA_TYPE_ORDER);
  struct { const char *title; EaColumnTextFunc text; GCompareDataFunc cmp; EaColumnFlags flags; } cols[] = {
    { N_("Time"),    time_text,    cmp_time,    EA_COLUMN_NUMERIC },
    { N_("Account"), account_text, cmp_account, EA_COLUMN_EXPAND },
    { N_("Symbol"),  symbol_text,  cmp_symbol,  EA_COLUMN_TEXT },
    { N_("Side"),    side_text,    cmp_side,    EA_COLUMN_TEXT },
    { N_("Type"),    type_text,    NULL,        EA_COLUMN_TEXT },
    { N_("Filled"),  qty_text,     cmp_qty,     EA_COLUMN_NUMERIC },
    { N_("Price"),   price_text,   NULL,        EA_COLUMN_NUMERIC },
    { N_("State"),   state_text,   cmp_state,   EA_COLUMN_TEXT },
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  view = GTK_COLUMN_VIEW (self->column_view);

  for (guint i = 0; i < G_N_ELEMENTS (cols); i++)
    {
      g_autoptr(GtkColumnViewColumn) c = ea_column_new (_(cols[i].title), cols[i].text,
                                                        cols[i].cmp, cols[i].flags);
      gtk_column_view_append_column (view, c);
    }
  {
    g_autoptr(GtkColumnViewColumn) c = ea_column_new_button ("", _("Cancel"), cancel_a11y,
                                                            cancel_row, self);
    gtk_column_view_append_column (view, c);
  }

  self->filter = gtk_custom_filter_new (order_shown, self, NULL);
  self->shown = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  {
    g_autoptr(GtkSelectionModel) sel = ea_column_view_model (view, G_LIST_MODEL (self->shown));
    gtk_column_view_set_model (view, sel);
  }
  g_signal_connect_object (self->cancel_all_button, "clicked",
                           G_CALLBACK (cancel_all_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->shown, "items-changed",
                           G_CALLBACK (update_summary), self, G_CONNECT_SWAPPED);

  ea_orders_view_set_model (self, G_LIST_MODEL (empty));
}

GtkWidget *
ea_orders_view_new (void)
{
  return g_object_new (EA_TYPE_ORDERS_VIEW, NULL);
}

void
ea_orders_view_set_model (EaOrdersView *self,
                          GListModel   *orders)
{
  g_return_if_fail (EA_IS_ORDERS_VIEW (self));
  g_return_if_fail (G_IS_LIST_MODEL (orders));

  if (self->orders != NULL)
    g_signal_handlers_disconnect_by_data (self->orders, self);
  g_set_object (&self->orders, orders);
  g_signal_connect (orders, "items-changed", G_CALLBACK (orders_changed_cb), self);
  orders_changed_cb (orders, 0, 0, g_list_model_get_n_items (orders), self);
  gtk_filter_list_model_set_model (self->shown, orders);
  update_summary (self);
}

GListModel *
ea_orders_view_get_shown (EaOrdersView *self)
{
  g_return_val_if_fail (EA_IS_ORDERS_VIEW (self), NULL);

  return G_LIST_MODEL (self->shown);
}

void
ea_orders_view_set_account (EaOrdersView *self,
                            const char   *account)
{
  g_return_if_fail (EA_IS_ORDERS_VIEW (self));

  g_free (self->account);
  self->account = g_strdup (account);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_summary (self);
}

GtkColumnView *
ea_orders_view_get_column_view (EaOrdersView *self)
{
  g_return_val_if_fail (EA_IS_ORDERS_VIEW (self), NULL);

  return GTK_COLUMN_VIEW (self->column_view);
}
