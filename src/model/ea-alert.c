/* ea-alert.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-alert"

#include "config.h"

#include "ea-alert.h"
#include "ea-model-private.h"

enum {
  PROP_0,

  PROP_KIND,
  PROP_PRIORITY,
  PROP_TITLE,
  PROP_BODY,
  PROP_TIME,
  PROP_ACKNOWLEDGED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _EaAlert
{
  GObject parent_instance;
  GValue  values[N_PROPS];
};

G_DEFINE_FINAL_TYPE (EaAlert, ea_alert, G_TYPE_OBJECT)

#define SET(kind, prop, v) \
  _ea_model_set_##kind (G_OBJECT (self), self->values, properties, PROP_##prop, (v))

static void
ea_alert_finalize (GObject *object)
{
  EaAlert *self = (EaAlert *) object;

  _ea_model_values_clear (self->values, N_PROPS);

  G_OBJECT_CLASS (ea_alert_parent_class)->finalize (object);
}

static void
ea_alert_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  EaAlert *self = EA_ALERT (object);

  if (prop_id > 0 && prop_id < N_PROPS)
    _ea_model_get (self->values, N_PROPS, prop_id, value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
ea_alert_class_init (EaAlertClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ea_alert_finalize;
  object_class->get_property = ea_alert_get_property;

  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_PRIORITY] =
    g_param_spec_uint ("priority", NULL, NULL, 0, G_MAXUINT, 0, EA_MODEL_RO);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_BODY] =
    g_param_spec_string ("body", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_TIME] =
    g_param_spec_int64 ("time", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_ACKNOWLEDGED] =
    g_param_spec_boolean ("acknowledged", NULL, NULL, FALSE, EA_MODEL_RO);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ea_alert_init (EaAlert *self)
{
  _ea_model_values_init (self->values, properties, N_PROPS);
}

EaAlert *
ea_alert_new (const char *kind,
              guint priority,
              const char *title,
              const char *body,
              gint64 time)
{
  EaAlert *self = g_object_new (EA_TYPE_ALERT, NULL);

  SET (string, KIND, kind);
  SET (uint, PRIORITY, priority);
  SET (string, TITLE, title);
  SET (string, BODY, body);
  SET (int64, TIME, time);
  return self;
}

const char *
ea_alert_get_kind (EaAlert *self)
{
  g_return_val_if_fail (EA_IS_ALERT (self), NULL);
  return g_value_get_string (&self->values[PROP_KIND]);
}

guint
ea_alert_get_priority (EaAlert *self)
{
  g_return_val_if_fail (EA_IS_ALERT (self), 0);
  return g_value_get_uint (&self->values[PROP_PRIORITY]);
}

const char *
ea_alert_get_title (EaAlert *self)
{
  g_return_val_if_fail (EA_IS_ALERT (self), NULL);
  return g_value_get_string (&self->values[PROP_TITLE]);
}

const char *
ea_alert_get_body (EaAlert *self)
{
  g_return_val_if_fail (EA_IS_ALERT (self), NULL);
  return g_value_get_string (&self->values[PROP_BODY]);
}

gint64
ea_alert_get_time (EaAlert *self)
{
  g_return_val_if_fail (EA_IS_ALERT (self), 0);
  return g_value_get_int64 (&self->values[PROP_TIME]);
}

gboolean
ea_alert_get_acknowledged (EaAlert *self)
{
  g_return_val_if_fail (EA_IS_ALERT (self), FALSE);
  return g_value_get_boolean (&self->values[PROP_ACKNOWLEDGED]);
}

void
ea_alert_set_acknowledged (EaAlert *self,
                             gboolean acknowledged)
{
  g_return_if_fail (EA_IS_ALERT (self));
  SET (boolean, ACKNOWLEDGED, acknowledged);
}
