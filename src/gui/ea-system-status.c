/* ea-system-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Broker states, the quote rate, the age of the last market message, and
 * the application's CPU and memory use. The figures that are rates or
 * ages are sampled once a second.
 */
#define G_LOG_DOMAIN "ea-system-status"

#include "config.h"

#include <glib/gi18n.h>
#include <sys/resource.h>
#include <stdio.h>
#include <unistd.h>

#include "ea-dashboard.h"
#include "ea-system-status.h"

struct _EaSystemStatus
{
  GtkBox     parent_instance;

  EaDesk    *desk;
  guint64    n_quotes;
  guint64    n_at_sample;
  gint64     sample_time;     /* monotonic */
  gint64     last_quote;      /* monotonic, 0 before any */
  double     cpu_at_sample;   /* seconds of user + system time */
  guint      timer_id;

  GtkWidget *brokers_box;
  GtkWidget *empty_label;
  GtkWidget *rate_label;
  GtkWidget *age_label;
  GtkWidget *cpu_label;
  GtkWidget *memory_label;
};

G_DEFINE_FINAL_TYPE (EaSystemStatus, ea_system_status, GTK_TYPE_BOX)

static double
cpu_seconds (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return 0;
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* Resident memory in bytes, from /proc; 0 when unknown. */
static guint64
resident_bytes (void)
{
  g_autofree char *contents = NULL;
  guint64 size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &contents, NULL, NULL))
    return 0;
  if (sscanf (contents, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &size, &resident) != 2)
    return 0;
  return resident * (guint64) sysconf (_SC_PAGESIZE);
}

void
ea_system_status_update (EaSystemStatus *self)
{
  gint64 now = g_get_monotonic_time ();
  double cpu = cpu_seconds ();
  double elapsed = (now - self->sample_time) / (double) G_USEC_PER_SEC;
  g_autofree char *rate = NULL;
  g_autofree char *age = NULL;
  g_autofree char *cpu_text = NULL;
  g_autofree char *memory = NULL;
  g_autofree char *rss = NULL;

  g_return_if_fail (EA_IS_SYSTEM_STATUS (self));

  if (elapsed > 0.05)
    {
      rate = g_strdup_printf (_("%.0f quotes/s · %" G_GUINT64_FORMAT " in total"),
                              (self->n_quotes - self->n_at_sample) / elapsed, self->n_quotes);
      cpu_text = g_strdup_printf ("%.1f %%", 100.0 * (cpu - self->cpu_at_sample) / elapsed);
      gtk_label_set_text (GTK_LABEL (self->rate_label), rate);
      gtk_label_set_text (GTK_LABEL (self->cpu_label), cpu_text);
      self->sample_time = now;
      self->n_at_sample = self->n_quotes;
      self->cpu_at_sample = cpu;
    }

  if (self->last_quote == 0)
    age = g_strdup (_("no market data yet"));
  else
    age = g_strdup_printf (_("%.1f s ago"), (now - self->last_quote) / (double) G_USEC_PER_SEC);
  gtk_label_set_text (GTK_LABEL (self->age_label), age);

  rss = g_format_size (resident_bytes ());
  memory = g_strdup_printf (_("%s resident"), rss);
  gtk_label_set_text (GTK_LABEL (self->memory_label), memory);
}

static gboolean
timer_cb (gpointer user_data)
{
  ea_system_status_update (EA_SYSTEM_STATUS (user_data));
  return G_SOURCE_CONTINUE;
}

static void
quote_cb (EaSystemStatus *self)
{
  self->n_quotes++;
  self->last_quote = g_get_monotonic_time ();
}

static void
ea_system_status_map (GtkWidget *widget)
{
  EaSystemStatus *self = EA_SYSTEM_STATUS (widget);

  GTK_WIDGET_CLASS (ea_system_status_parent_class)->map (widget);
  ea_system_status_update (self);
  if (self->timer_id == 0)
    self->timer_id = g_timeout_add_seconds (1, timer_cb, self);
}

static void
ea_system_status_unmap (GtkWidget *widget)
{
  EaSystemStatus *self = EA_SYSTEM_STATUS (widget);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  GTK_WIDGET_CLASS (ea_system_status_parent_class)->unmap (widget);
}

static void
ea_system_status_dispose (GObject *object)
{
  EaSystemStatus *self = EA_SYSTEM_STATUS (object);
  GPtrArray *brokers = self->desk ? ea_desk_get_brokers (self->desk) : NULL;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  for (guint i = 0; brokers != NULL && i < brokers->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (brokers, i), self);
  g_clear_object (&self->desk);
  gtk_widget_dispose_template (GTK_WIDGET (self), EA_TYPE_SYSTEM_STATUS);

  G_OBJECT_CLASS (ea_system_status_parent_class)->dispose (object);
}

static void
ea_system_status_class_init (EaSystemStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ea_system_status_dispose;
  widget_class->map = ea_system_status_map;
  widget_class->unmap = ea_system_status_unmap;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/ea-system-status.ui");
  gtk_widget_class_bind_template_child (widget_class, EaSystemStatus, brokers_box);
  gtk_widget_class_bind_template_child (widget_class, EaSystemStatus, rate_label);
  gtk_widget_class_bind_template_child (widget_class, EaSystemStatus, age_label);
  gtk_widget_class_bind_template_child (widget_class, EaSystemStatus, cpu_label);
  gtk_widget_class_bind_template_child (widget_class, EaSystemStatus, memory_label);
}

static void
ea_system_status_init (EaSystemStatus *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->sample_time = g_get_monotonic_time ();
  self->cpu_at_sample = cpu_seconds ();
}

GtkWidget *
ea_system_status_new (void)
{
  return g_object_new (EA_TYPE_SYSTEM_STATUS, NULL);
}

void
ea_system_status_set_desk (EaSystemStatus *self,
                           EaDesk         *desk)
{
  g_return_if_fail (EA_IS_SYSTEM_STATUS (self));
  g_return_if_fail (EA_IS_DESK (desk));
  g_return_if_fail (self->desk == NULL);

  self->desk = g_object_ref (desk);
  self->empty_label = gtk_label_new (_("No broker connected"));
  gtk_label_set_xalign (GTK_LABEL (self->empty_label), 0);
  gtk_box_append (GTK_BOX (self->brokers_box), self->empty_label);
}

void
ea_system_status_add_broker (EaSystemStatus *self,
                             EaBroker       *broker)
{
  g_return_if_fail (EA_IS_SYSTEM_STATUS (self));
  g_return_if_fail (EA_IS_BROKER (broker));

  if (self->empty_label != NULL)
    {
      gtk_box_remove (GTK_BOX (self->brokers_box), self->empty_label);
      self->empty_label = NULL;
    }
  gtk_box_append (GTK_BOX (self->brokers_box), ea_dashboard_new_connection_pill (broker));
  g_signal_connect_swapped (broker, "quote", G_CALLBACK (quote_cb), self);
}

guint64
ea_system_status_get_n_quotes (EaSystemStatus *self)
{
  g_return_val_if_fail (EA_IS_SYSTEM_STATUS (self), 0);
  return self->n_quotes;
}

const char *
ea_system_status_get_rate_text (EaSystemStatus *self)
{
  g_return_val_if_fail (EA_IS_SYSTEM_STATUS (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->rate_label));
}

const char *
ea_system_status_get_memory_text (EaSystemStatus *self)
{
  g_return_val_if_fail (EA_IS_SYSTEM_STATUS (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->memory_label));
}
