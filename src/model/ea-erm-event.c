/* ea-erm-event.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-erm-event"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-erm-event.h"

struct _EaErmEvent
{
  GObject     parent_instance;
  char       *chart;
  EaErmAlert  alert;
};

G_DEFINE_FINAL_TYPE (EaErmEvent, ea_erm_event, G_TYPE_OBJECT)

static void
ea_erm_event_finalize (GObject *object)
{
  EaErmEvent *self = EA_ERM_EVENT (object);

  g_free (self->chart);

  G_OBJECT_CLASS (ea_erm_event_parent_class)->finalize (object);
}

static void
ea_erm_event_class_init (EaErmEventClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ea_erm_event_finalize;
}

static void
ea_erm_event_init (EaErmEvent *self)
{
}

EaErmEvent *
ea_erm_event_new (const char       *chart,
                  const EaErmAlert *alert)
{
  EaErmEvent *self;

  g_return_val_if_fail (chart != NULL, NULL);
  g_return_val_if_fail (alert != NULL, NULL);

  self = g_object_new (EA_TYPE_ERM_EVENT, NULL);
  self->chart = g_strdup (chart);
  self->alert = *alert;
  return self;
}

const char *
ea_erm_event_get_chart (EaErmEvent *self)
{
  g_return_val_if_fail (EA_IS_ERM_EVENT (self), NULL);

  return self->chart;
}

const EaErmAlert *
ea_erm_event_get_alert (EaErmEvent *self)
{
  g_return_val_if_fail (EA_IS_ERM_EVENT (self), NULL);

  return &self->alert;
}

char *
ea_erm_event_format (EaErmEvent *self,
                     GTimeZone  *zone)
{
  const EaErmAlert *a;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) at = NULL;
  g_autofree char *clock = NULL;

  g_return_val_if_fail (EA_IS_ERM_EVENT (self), NULL);

  a = &self->alert;
  utc = g_date_time_new_from_unix_utc (a->time / G_USEC_PER_SEC);
  if (utc != NULL)
    at = zone != NULL ? g_date_time_to_timezone (utc, zone) : g_date_time_to_local (utc);
  clock = at != NULL ? g_date_time_format (at, "%H:%M:%S") : g_strdup ("—");

  /* Translators: time · chart · "long signal 3" · ERM value ≥ threshold ·
   * momentum · elapsed → suggested direction. */
  return g_strdup_printf (_("%s · %s · %s signal %u · ERM %.2f ≥ %.2f · momentum %.2f · after %" G_GINT64_FORMAT " s → %s"),
                          clock, self->chart,
                          a->signal_direction == EA_SIDE_BUY ? _("long") : _("short"),
                          a->signal_id, a->erm, a->threshold, a->momentum,
                          a->elapsed / G_USEC_PER_SEC,
                          a->direction == EA_SIDE_BUY ? _("long") : _("short"));
}
