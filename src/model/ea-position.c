/* ea-position.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-position"

#include "config.h"

#include "ea-position.h"
#include "ea-model-private.h"

enum {
  PROP_0,

  PROP_ACCOUNT,
  PROP_SYMBOL,
  PROP_QTY,
  PROP_AVG_PRICE,
  PROP_REALIZED_PNL,
  PROP_OPEN_PNL,
  PROP_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _EaPosition
{
  GObject parent_instance;
  GValue  values[N_PROPS];
};

G_DEFINE_FINAL_TYPE (EaPosition, ea_position, G_TYPE_OBJECT)

#define SET(kind, prop, v) \
  _ea_model_set_##kind (G_OBJECT (self), self->values, properties, PROP_##prop, (v))

static void
ea_position_finalize (GObject *object)
{
  EaPosition *self = (EaPosition *) object;

  _ea_model_values_clear (self->values, N_PROPS);

  G_OBJECT_CLASS (ea_position_parent_class)->finalize (object);
}

static void
ea_position_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  EaPosition *self = EA_POSITION (object);

  if (prop_id > 0 && prop_id < N_PROPS)
    _ea_model_get (self->values, N_PROPS, prop_id, value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
ea_position_class_init (EaPositionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ea_position_finalize;
  object_class->get_property = ea_position_get_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_string ("account", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_SYMBOL] =
    g_param_spec_string ("symbol", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_QTY] =
    g_param_spec_int64 ("qty", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_AVG_PRICE] =
    g_param_spec_double ("avg-price", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, EA_MODEL_RO);
  properties[PROP_REALIZED_PNL] =
    g_param_spec_int64 ("realized-pnl", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_OPEN_PNL] =
    g_param_spec_int64 ("open-pnl", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_TIME] =
    g_param_spec_int64 ("time", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ea_position_init (EaPosition *self)
{
  _ea_model_values_init (self->values, properties, N_PROPS);
}

static void
apply (EaPosition *self, const EaPositionData *data)
{
  g_object_freeze_notify (G_OBJECT (self));
  SET (string, ACCOUNT, data->account);
  SET (string, SYMBOL, data->symbol);
  SET (int64, QTY, data->qty);
  SET (double, AVG_PRICE, data->avg_price);
  SET (int64, REALIZED_PNL, data->realized_pnl);
  SET (int64, OPEN_PNL, data->open_pnl);
  SET (int64, TIME, data->time);
  g_object_thaw_notify (G_OBJECT (self));
}

EaPosition *
ea_position_new_from_data (const EaPositionData *data)
{
  EaPosition *self;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (EA_TYPE_POSITION, NULL);
  apply (self, data);
  return self;
}

void
ea_position_update (EaPosition *self,
                   const EaPositionData *data)
{
  g_return_if_fail (EA_IS_POSITION (self));
  g_return_if_fail (data != NULL);

  apply (self, data);
}

const char *
ea_position_get_account (EaPosition *self)
{
  g_return_val_if_fail (EA_IS_POSITION (self), NULL);
  return g_value_get_string (&self->values[PROP_ACCOUNT]);
}

const char *
ea_position_get_symbol (EaPosition *self)
{
  g_return_val_if_fail (EA_IS_POSITION (self), NULL);
  return g_value_get_string (&self->values[PROP_SYMBOL]);
}

gint64
ea_position_get_qty (EaPosition *self)
{
  g_return_val_if_fail (EA_IS_POSITION (self), 0);
  return g_value_get_int64 (&self->values[PROP_QTY]);
}

double
ea_position_get_avg_price (EaPosition *self)
{
  g_return_val_if_fail (EA_IS_POSITION (self), 0);
  return g_value_get_double (&self->values[PROP_AVG_PRICE]);
}

gint64
ea_position_get_realized_pnl (EaPosition *self)
{
  g_return_val_if_fail (EA_IS_POSITION (self), 0);
  return g_value_get_int64 (&self->values[PROP_REALIZED_PNL]);
}

gint64
ea_position_get_open_pnl (EaPosition *self)
{
  g_return_val_if_fail (EA_IS_POSITION (self), 0);
  return g_value_get_int64 (&self->values[PROP_OPEN_PNL]);
}

gint64
ea_position_get_time (EaPosition *self)
{
  g_return_val_if_fail (EA_IS_POSITION (self), 0);
  return g_value_get_int64 (&self->values[PROP_TIME]);
}
