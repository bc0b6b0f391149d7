/* ea-alerts-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The in-app history of notifications, newest first, with acknowledge,
 * clear-all and a "critical only" filter.
 */
#define G_LOG_DOMAIN "ea-alerts-view"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-alerts-view.h"
#include "ea-columns.h"

struct _EaAlertsView
{
  GtkBox              parent_instance;

  GListModel         *alerts;
  GtkCustomFilter    *filter;
  GtkFilterListModel *shown;
  gboolean            critical_only;
  guint               cleared;   /* alerts before this index are hidden */
  guint               newest;    /* index of the newest alert */

  GtkWidget          *column_view;
  GtkWidget          *critical_button;
  GtkWidget          *ack_all_button;
  GtkWidget          *clear_button;
  GtkWidget          *stack;
  GtkWidget          *summary_label;
};

G_DEFINE_FINAL_TYPE (EaAlertsView, ea_alerts_view, GTK_TYPE_BOX)

#define ALERT(item) EA_ALERT (item)

static const char *
priority_label (guint priority)
{
  switch ((EaAlertPriority) priority)
    {
    case EA_ALERT_PRIORITY_LOW:      return _("Low");
    case EA_ALERT_PRIORITY_MEDIUM:   return _("Medium");
    case EA_ALERT_PRIORITY_HIGH:     return _("High");
    case EA_ALERT_PRIORITY_CRITICAL: return _("Critical");
    default:                         return "?";
    }
}

static char *
time_text (GObject *item, const char **css, gpointer data)
{
  return ea_format_time (ea_alert_get_time (ALERT (item)));
}

static char *
priority_text (GObject *item, const char **css, gpointer data)
{
  guint p = ea_alert_get_priority (ALERT (item));

  *css = p >= EA_ALERT_PRIORITY_CRITICAL ? "loss" : p >= EA_ALERT_PRIORITY_HIGH ? "warning-text" : NULL;
  return g_strdup (priority_label (p));
}

static char *
title_text (GObject *item, const char **css, gpointer data)
{
  if (!ea_alert_get_acknowledged (ALERT (item)))
    *css = "unread";
  return g_strdup (ea_alert_get_title (ALERT (item)));
}

static char *
body_text (GObject *item, const char **css, gpointer data)
{
  return g_strdup (ea_alert_get_body (ALERT (item)));
}

static char *
ack_text (GObject *item, const char **css, gpointer data)
{
  return g_strdup (ea_alert_get_acknowledged (ALERT (item)) ? "✓" : "");
}

static char *
ack_a11y (GObject *item, const char **css, gpointer data)
{
  return g_strdup_printf (_("Acknowledge “%s”"), ea_alert_get_title (ALERT (item)));
}

static int
cmp_time (gconstpointer a, gconstpointer b, gpointer data)
{
  gint64 ta = ea_alert_get_time ((EaAlert *) a), tb = ea_alert_get_time ((EaAlert *) b);

  return (ta > tb) - (ta < tb);
}

static int
cmp_priority (gconstpointer a, gconstpointer b, gpointer data)
{
  return (int) ea_alert_get_priority ((EaAlert *) a) - (int) ea_alert_get_priority ((EaAlert *) b);
}

static void
ack_row (GObject  *item,
         gpointer  user_data)
{
  ea_alert_set_acknowledged (ALERT (item), TRUE);
}

static gboolean
alert_shown (gpointer item,
             gpointer user_data)
{
  EaAlertsView *self = EA_ALERTS_VIEW (user_data);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (item), "ea-alert-index"));

  if (index < self->cleared || index + EA_ALERTS_HISTORY <= self->newest)
    return FALSE;
  return !self->critical_only || ea_alert_get_priority (ALERT (item)) >= EA_ALERT_PRIORITY_CRITICAL;
}

guint
ea_alerts_view_get_unacknowledged (EaAlertsView *self)
{
  guint n = 0;

  g_return_val_if_fail (EA_IS_ALERTS_VIEW (self), 0);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->shown)); i++)
    {
      g_autoptr(EaAlert) a = g_list_model_get_item (G_LIST_MODEL (self->shown), i);
      n += !ea_alert_get_acknowledged (a);
    }
  return n;
}

static void
update_summary (EaAlertsView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->shown));
  guint unread = ea_alerts_view_get_unacknowledged (self);
  g_autofree char *text = g_strdup_printf (_("%u alerts · %u unacknowledged"), n, unread);

  gtk_label_set_text (GTK_LABEL (self->summary_label), text);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), n > 0 ? "list" : "empty");
  gtk_widget_set_sensitive (self->ack_all_button, unread > 0);
  gtk_widget_set_sensitive (self->clear_button, n > 0);
}

static void
alerts_changed_cb (GListModel   *model,
                   guint         position,
                   guint         removed,
                   guint         added,
                   EaAlertsView *self)
{
  /* The store keeps a bounded history; the index orders them for clear. */
  static guint next_index = 1;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(EaAlert) a = g_list_model_get_item (model, i);
      if (g_object_get_data (G_OBJECT (a), "ea-alert-index") == NULL)
        g_object_set_data (G_OBJECT (a), "ea-alert-index", GUINT_TO_POINTER (next_index++));
      self->newest = MAX (self->newest,
                          GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (a), "ea-alert-index")));
      g_signal_connect_object (a, "notify::acknowledged", G_CALLBACK (update_summary), self,
                               G_CONNECT_SWAPPED);
    }
  /* The oldest beyond the history's length drop out. */
  if (added > 0)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_MORE_STRICT);
  update_summary (self);
}

static void
critical_toggled_cb (EaAlertsView *self)
{
  ea_alerts_view_set_critical_only (self,
                                    gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->critical_button)));
}

static void
ea_alerts_view_dispose (GObject *object)
{
  EaAlertsView *self = EA_ALERTS_VIEW (object);

  if (self->alerts != NULL)
    g_signal_handlers_disconnect_by_data (self->alerts, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), EA_TYPE_ALERTS_VIEW);
  g_clear_object (&self->alerts);
  g_clear_object (&self->shown);

  G_OBJECT_CLASS (ea_alerts_view_parent_class)->dispose (object);
}

static void
ea_alerts_view_class_init (EaAlertsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ea_alerts_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/ea-alerts-view.ui");
  gtk_widget_class_bind_template_child (widget_class, EaAlertsView, column_view);
  gtk_widget_class_bind_template_child (widget_class, EaAlertsView, critical_button);
  gtk_widget_class_bind_template_child (widget_class, EaAlertsView, ack_all_button);
  gtk_widget_class_bind_template_child (widget_class, EaAlertsView, clear_button);
  gtk_widget_class_bind_template_child (widget_class, EaAlertsView, stack);
  gtk_widget_class_bind_template_child (widget_class, EaAlertsView, summary_label);
}

static void
ea_alerts_view_init (EaAlertsView *self)
{
  GtkColumnView *view;
  GtkColumnViewColumn *time_column = NULL;
  g_autoptr(GListStore) empty = g_list_store_new (EA_TYPE_ALERT);
  struct { const char *title; EaColumnTextFunc text; GCompareDataFunc cmp; EaColumnFlags flags; } cols[] = {
    { N_("Time"),     time_text,     cmp_time,     EA_COLUMN_NUMERIC },
    { N_("Priority"), priority_text, cmp_priority, EA_COLUMN_TEXT },
    { N_("Alert"),    title_text,    NULL,         EA_COLUMN_TEXT },
    { N_("Details"),  body_text,     NULL,         EA_COLUMN_EXPAND },
    { N_("Seen"),     ack_text,      NULL,         EA_COLUMN_TEXT },
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
  {
    g_autoptr(GtkColumnViewColumn) c = ea_column_new_button ("", _("Acknowledge"), ack_a11y,
                                                            ack_row, self);
    gtk_column_view_append_column (view, c);
  }

  self->filter = gtk_custom_filter_new (alert_shown, self, NULL);
  self->shown = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  {
    g_autoptr(GtkSelectionModel) sel = ea_column_view_model (view, G_LIST_MODEL (self->shown));
    gtk_column_view_set_model (view, sel);
  }
  gtk_column_view_sort_by_column (view, time_column, GTK_SORT_DESCENDING);

  g_signal_connect_object (self->shown, "items-changed",
                           G_CALLBACK (update_summary), self, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self->critical_button, "toggled", G_CALLBACK (critical_toggled_cb), self);
  g_signal_connect_swapped (self->ack_all_button, "clicked", G_CALLBACK (ea_alerts_view_acknowledge_all), self);
  g_signal_connect_swapped (self->clear_button, "clicked", G_CALLBACK (ea_alerts_view_clear), self);

  ea_alerts_view_set_model (self, G_LIST_MODEL (empty));
}

GtkWidget *
ea_alerts_view_new (void)
{
  return g_object_new (EA_TYPE_ALERTS_VIEW, NULL);
}

void
ea_alerts_view_set_model (EaAlertsView *self,
                          GListModel   *alerts)
{
  g_return_if_fail (EA_IS_ALERTS_VIEW (self));
  g_return_if_fail (G_IS_LIST_MODEL (alerts));

  if (self->alerts != NULL)
    g_signal_handlers_disconnect_by_data (self->alerts, self);
  g_set_object (&self->alerts, alerts);
  g_signal_connect (alerts, "items-changed", G_CALLBACK (alerts_changed_cb), self);
  alerts_changed_cb (alerts, 0, 0, g_list_model_get_n_items (alerts), self);
  gtk_filter_list_model_set_model (self->shown, alerts);
  update_summary (self);
}

GListModel *
ea_alerts_view_get_shown (EaAlertsView *self)
{
  g_return_val_if_fail (EA_IS_ALERTS_VIEW (self), NULL);

  return G_LIST_MODEL (self->shown);
}

void
ea_alerts_view_set_critical_only (EaAlertsView *self,
                                  gboolean      critical_only)
{
  g_return_if_fail (EA_IS_ALERTS_VIEW (self));

  self->critical_only = critical_only;
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->critical_button)) != critical_only)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->critical_button), critical_only);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_summary (self);
}

void
ea_alerts_view_acknowledge_all (EaAlertsView *self)
{
  g_return_if_fail (EA_IS_ALERTS_VIEW (self));

  for (guint i = 0; i < g_list_model_get_n_items (self->alerts); i++)
    {
      g_autoptr(EaAlert) a = g_list_model_get_item (self->alerts, i);
      ea_alert_set_acknowledged (a, TRUE);
    }
}

void
ea_alerts_view_clear (EaAlertsView *self)
{
  guint n;

  g_return_if_fail (EA_IS_ALERTS_VIEW (self));

  n = g_list_model_get_n_items (self->alerts);
  if (n > 0)
    {
      guint newest = 0;

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(EaAlert) a = g_list_model_get_item (self->alerts, i);
          newest = MAX (newest, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (a), "ea-alert-index")));
        }
      self->cleared = newest + 1;
    }
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_MORE_STRICT);
  update_summary (self);
}
