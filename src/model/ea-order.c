/* ea-order.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-order"

#include "config.h"

#include "ea-order.h"
#include "ea-model-private.h"

enum {
  PROP_0,

  PROP_ACCOUNT,
  PROP_SYMBOL,
  PROP_CLIENT_ORDER_ID,
  PROP_BROKER_ORDER_ID,
  PROP_PARENT_ORDER_ID,
  PROP_OCO_ORDER_ID,
  PROP_SIDE,
  PROP_ORDER_TYPE,
  PROP_TIME_IN_FORCE,
  PROP_STATE,
  PROP_QTY,
  PROP_FILLED_QTY,
  PROP_LIMIT_PRICE,
  PROP_STOP_PRICE,
  PROP_AVG_FILL_PRICE,
  PROP_REASON,
  PROP_CREATED,
  PROP_UPDATED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _EaOrder
{
  GObject parent_instance;
  GValue  values[N_PROPS];
};

G_DEFINE_FINAL_TYPE (EaOrder, ea_order, G_TYPE_OBJECT)

#define SET(kind, prop, v) \
  _ea_model_set_##kind (G_OBJECT (self), self->values, properties, PROP_##prop, (v))

static void
ea_order_finalize (GObject *object)
{
  EaOrder *self = (EaOrder *) object;

  _ea_model_values_clear (self->values, N_PROPS);

  G_OBJECT_CLASS (ea_order_parent_class)->finalize (object);
}

static void
ea_order_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  EaOrder *self = EA_ORDER (object);

  if (prop_id > 0 && prop_id < N_PROPS)
    _ea_model_get (self->values, N_PROPS, prop_id, value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
ea_order_class_init (EaOrderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ea_order_finalize;
  object_class->get_property = ea_order_get_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_string ("account", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_SYMBOL] =
    g_param_spec_string ("symbol", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_CLIENT_ORDER_ID] =
    g_param_spec_string ("client-order-id", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_BROKER_ORDER_ID] =
    g_param_spec_string ("broker-order-id", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_PARENT_ORDER_ID] =
    g_param_spec_string ("parent-order-id", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_OCO_ORDER_ID] =
    g_param_spec_string ("oco-order-id", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_SIDE] =
    g_param_spec_int ("side", NULL, NULL, G_MININT, G_MAXINT, 0, EA_MODEL_RO);
  properties[PROP_ORDER_TYPE] =
    g_param_spec_uint ("order-type", NULL, NULL, 0, G_MAXUINT, 0, EA_MODEL_RO);
  properties[PROP_TIME_IN_FORCE] =
    g_param_spec_uint ("time-in-force", NULL, NULL, 0, G_MAXUINT, 0, EA_MODEL_RO);
  properties[PROP_STATE] =
    g_param_spec_uint ("state", NULL, NULL, 0, G_MAXUINT, 0, EA_MODEL_RO);
  properties[PROP_QTY] =
    g_param_spec_int64 ("qty", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_FILLED_QTY] =
    g_param_spec_int64 ("filled-qty", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_LIMIT_PRICE] =
    g_param_spec_int64 ("limit-price", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_STOP_PRICE] =
    g_param_spec_int64 ("stop-price", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_AVG_FILL_PRICE] =
    g_param_spec_double ("avg-fill-price", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, EA_MODEL_RO);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_CREATED] =
    g_param_spec_int64 ("created", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_UPDATED] =
    g_param_spec_int64 ("updated", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ea_order_init (EaOrder *self)
{
  _ea_model_values_init (self->values, properties, N_PROPS);
}

static void
apply (EaOrder *self, const EaOrderData *data)
{
  g_object_freeze_notify (G_OBJECT (self));
  SET (string, ACCOUNT, data->account);
  SET (string, SYMBOL, data->symbol);
  SET (string, CLIENT_ORDER_ID, data->client_order_id);
  SET (string, BROKER_ORDER_ID, data->broker_order_id);
  SET (string, PARENT_ORDER_ID, data->parent_order_id);
  SET (string, OCO_ORDER_ID, data->oco_order_id);
  SET (int, SIDE, data->side);
  SET (uint, ORDER_TYPE, data->type);
  SET (uint, TIME_IN_FORCE, data->tif);
  SET (uint, STATE, data->state);
  SET (int64, QTY, data->qty);
  SET (int64, FILLED_QTY, data->filled_qty);
  SET (int64, LIMIT_PRICE, data->limit_price);
  SET (int64, STOP_PRICE, data->stop_price);
  SET (double, AVG_FILL_PRICE, data->avg_fill_price);
  SET (string, REASON, data->reason);
  SET (int64, CREATED, data->created);
  SET (int64, UPDATED, data->updated);
  g_object_thaw_notify (G_OBJECT (self));
}

EaOrder *
ea_order_new_from_data (const EaOrderData *data)
{
  EaOrder *self;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (EA_TYPE_ORDER, NULL);
  apply (self, data);
  return self;
}

void
ea_order_update (EaOrder *self,
                const EaOrderData *data)
{
  g_return_if_fail (EA_IS_ORDER (self));
  g_return_if_fail (data != NULL);

  apply (self, data);
}

const char *
ea_order_get_account (EaOrder *self)
{
  g_return_val_if_fail (EA_IS_ORDER (self), NULL);
  return g_value_get_string (&self->values[PROP_ACCOUNT]);
}

const char *
ea_order_get_symbol (EaOrder *self)
{
  g_return_val_if_fail (EA_IS_ORDER (self), NULL);
  return g_value_get_string (&self->values[PROP_SYMBOL]);
}

const char *
ea_order_get_client_order_id (EaOrder *self)
{
  g_return_val_if_fail (EA_IS_ORDER (self), NULL);
  return g_value_get_string (&self->values[PROP_CLIENT_ORDER_ID]);
}

const char *
ea_order_get_broker_order_id (EaOrder *self)
{
  g_return_val_if_fail (EA_IS_ORDER (self), NULL);
  return g_value_get_string (&self->values[PROP_BROKER_ORDER_ID]);
}

const char *
ea_order_get_parent_order_id (EaOrder *self)
{
  g_return_val_if_fail (EA_IS_ORDER (self), NULL);
  return g_value_get_string (&self->values[PROP_PARENT_ORDER_ID]);
}

const char *
ea_order_get_oco_order_id (EaOrder *self)
{
  g_return_val_if_fail (EA_IS_ORDER (self), NULL);
  return g_value_get_string (&self->values[PROP_OCO_ORDER_ID]);
}

int
ea_order_get_side (EaOrder *self)
{
  g_return_val_if_fail (EA_IS_ORDER (self), 0);
  return g_value_get_int (&self->values[PROP_SIDE]);
}

guint
ea_order_get_order_type (EaOrder *self)
{
  g_return_val_if_fail (EA_IS_ORDER (self), 0);
  return g_value_get_uint (&self->values[PROP_ORDER_TYPE]);
}

guint
ea_order_get_time_in_force (EaOrder *self)
{
  g_return_val_if_fail (EA_IS_ORDER (self), 0);
  return g_value_get_uint (&self->values[PROP_TIME_IN_FORCE]);
}

guint
ea_order_get_state (EaOrder *self)
{
  g_return_val_if_fail (EA_IS_ORDER (self), 0);
  return g_value_get_uint (&self->values[PROP_STATE]);
}

gint64
ea_order_get_qty (EaOrder *self)
{
  g_return_val_if_fail (EA_IS_ORDER (self), 0);
  return g_value_get_int64 (&self->values[PROP_QTY]);
}

gint64
ea_order_get_filled_qty (EaOrder *self)
{
  g_return_val_if_fail (EA_IS_ORDER (self), 0);
  return g_value_get_int64 (&self->values[PROP_FILLED_QTY]);
}

gint64
ea_order_get_limit_price (EaOrder *self)
{
  g_return_val_if_fail (EA_IS_ORDER (self), 0);
  return g_value_get_int64 (&self->values[PROP_LIMIT_PRICE]);
}

gint64
ea_order_get_stop_price (EaOrder *self)
{
  g_return_val_if_fail (EA_IS_ORDER (self), 0);
  return g_value_get_int64 (&self->values[PROP_STOP_PRICE]);
}

double
ea_order_get_avg_fill_price (EaOrder *self)
{
  g_return_val_if_fail (EA_IS_ORDER (self), 0);
  return g_value_get_double (&self->values[PROP_AVG_FILL_PRICE]);
}

const char *
ea_order_get_reason (EaOrder *self)
{
  g_return_val_if_fail (EA_IS_ORDER (self), NULL);
  return g_value_get_string (&self->values[PROP_REASON]);
}

gint64
ea_order_get_created (EaOrder *self)
{
  g_return_val_if_fail (EA_IS_ORDER (self), 0);
  return g_value_get_int64 (&self->values[PROP_CREATED]);
}

gint64
ea_order_get_updated (EaOrder *self)
{
  g_return_val_if_fail (EA_IS_ORDER (self), 0);
  return g_value_get_int64 (&self->values[PROP_UPDATED]);
}
