/* ea-fill.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-fill"

#include "config.h"

#include "ea-fill.h"
#include "ea-model-private.h"

enum {
  PROP_0,

  PROP_ACCOUNT,
  PROP_SYMBOL,
  PROP_FILL_ID,
  PROP_BROKER_ORDER_ID,
  PROP_CLIENT_ORDER_ID,
  PROP_SIDE,
  PROP_QTY,
  PROP_PRICE,
  PROP_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _EaFill
{
  GObject parent_instance;
  GValue  values[N_PROPS];
};

G_DEFINE_FINAL_TYPE (EaFill, ea_fill, G_TYPE_OBJECT)

#define SET(kind, prop, v) \
  _ea_model_set_##kind (G_OBJECT (self), self->values, properties, PROP_##prop, (v))

static void
ea_fill_finalize (GObject *object)
{
  EaFill *self = (EaFill *) object;

  _ea_model_values_clear (self->values, N_PROPS);

  G_OBJECT_CLASS (ea_fill_parent_class)->finalize (object);
}

static void
ea_fill_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  EaFill *self = EA_FILL (object);

  if (prop_id > 0 && prop_id < N_PROPS)
    _ea_model_get (self->values, N_PROPS, prop_id, value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
ea_fill_class_init (EaFillClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ea_fill_finalize;
  object_class->get_property = ea_fill_get_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_string ("account", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_SYMBOL] =
    g_param_spec_string ("symbol", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_FILL_ID] =
    g_param_spec_string ("fill-id", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_BROKER_ORDER_ID] =
    g_param_spec_string ("broker-order-id", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_CLIENT_ORDER_ID] =
    g_param_spec_string ("client-order-id", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_SIDE] =
    g_param_spec_int ("side", NULL, NULL, G_MININT, G_MAXINT, 0, EA_MODEL_RO);
  properties[PROP_QTY] =
    g_param_spec_int64 ("qty", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_PRICE] =
    g_param_spec_int64 ("price", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_TIME] =
    g_param_spec_int64 ("time", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ea_fill_init (EaFill *self)
{
  _ea_model_values_init (self->values, properties, N_PROPS);
}

static void
apply (EaFill *self, const EaFillData *data)
{
  g_object_freeze_notify (G_OBJECT (self));
  SET (string, ACCOUNT, data->account);
  SET (string, SYMBOL, data->symbol);
  SET (string, FILL_ID, data->fill_id);
  SET (string, BROKER_ORDER_ID, data->broker_order_id);
  SET (string, CLIENT_ORDER_ID, data->client_order_id);
  SET (int, SIDE, data->side);
  SET (int64, QTY, data->qty);
  SET (int64, PRICE, data->price);
  SET (int64, TIME, data->time);
  g_object_thaw_notify (G_OBJECT (self));
}

EaFill *
ea_fill_new_from_data (const EaFillData *data)
{
  EaFill *self;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (EA_TYPE_FILL, NULL);
  apply (self, data);
  return self;
}

const char *
ea_fill_get_account (EaFill *self)
{
  g_return_val_if_fail (EA_IS_FILL (self), NULL);
  return g_value_get_string (&self->values[PROP_ACCOUNT]);
}

const char *
ea_fill_get_symbol (EaFill *self)
{
  g_return_val_if_fail (EA_IS_FILL (self), NULL);
  return g_value_get_string (&self->values[PROP_SYMBOL]);
}

const char *
ea_fill_get_fill_id (EaFill *self)
{
  g_return_val_if_fail (EA_IS_FILL (self), NULL);
  return g_value_get_string (&self->values[PROP_FILL_ID]);
}

const char *
ea_fill_get_broker_order_id (EaFill *self)
{
  g_return_val_if_fail (EA_IS_FILL (self), NULL);
  return g_value_get_string (&self->values[PROP_BROKER_ORDER_ID]);
}

const char *
ea_fill_get_client_order_id (EaFill *self)
{
  g_return_val_if_fail (EA_IS_FILL (self), NULL);
  return g_value_get_string (&self->values[PROP_CLIENT_ORDER_ID]);
}

int
ea_fill_get_side (EaFill *self)
{
  g_return_val_if_fail (EA_IS_FILL (self), 0);
  return g_value_get_int (&self->values[PROP_SIDE]);
}

gint64
ea_fill_get_qty (EaFill *self)
{
  g_return_val_if_fail (EA_IS_FILL (self), 0);
  return g_value_get_int64 (&self->values[PROP_QTY]);
}

gint64
ea_fill_get_price (EaFill *self)
{
  g_return_val_if_fail (EA_IS_FILL (self), 0);
  return g_value_get_int64 (&self->values[PROP_PRICE]);
}

gint64
ea_fill_get_time (EaFill *self)
{
  g_return_val_if_fail (EA_IS_FILL (self), 0);
  return g_value_get_int64 (&self->values[PROP_TIME]);
}
