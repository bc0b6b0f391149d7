/* ea-signal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-signal"

#include "config.h"

#include <math.h>

#include "ea-signal.h"
#include "ea-model-private.h"

enum {
  PROP_0,

  PROP_TIME,
  PROP_SYMBOL,
  PROP_DIRECTION,
  PROP_ENTRY_PRICE,
  PROP_POWER_SCORE,
  PROP_CONFLUENCE,
  PROP_COLOR,
  PROP_MACVU,
  PROP_ATR,
  PROP_SOURCE,
  PROP_ACTIVE,
  PROP_CONFIDENCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _EaSignal
{
  GObject parent_instance;
  GValue  values[N_PROPS];
};

G_DEFINE_FINAL_TYPE (EaSignal, ea_signal, G_TYPE_OBJECT)

#define SET(kind, prop, v) \
  _ea_model_set_##kind (G_OBJECT (self), self->values, properties, PROP_##prop, (v))

static void
ea_signal_finalize (GObject *object)
{
  EaSignal *self = (EaSignal *) object;

  _ea_model_values_clear (self->values, N_PROPS);

  G_OBJECT_CLASS (ea_signal_parent_class)->finalize (object);
}

static void
ea_signal_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  EaSignal *self = EA_SIGNAL (object);

  if (prop_id > 0 && prop_id < N_PROPS)
    _ea_model_get (self->values, N_PROPS, prop_id, value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
ea_signal_class_init (EaSignalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ea_signal_finalize;
  object_class->get_property = ea_signal_get_property;

  properties[PROP_TIME] =
    g_param_spec_int64 ("time", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_SYMBOL] =
    g_param_spec_string ("symbol", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_DIRECTION] =
    g_param_spec_int ("direction", NULL, NULL, G_MININT, G_MAXINT, 0, EA_MODEL_RO);
  properties[PROP_ENTRY_PRICE] =
    g_param_spec_int64 ("entry-price", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_POWER_SCORE] =
    g_param_spec_uint ("power-score", NULL, NULL, 0, G_MAXUINT, 0, EA_MODEL_RO);
  properties[PROP_CONFLUENCE] =
    g_param_spec_uint ("confluence", NULL, NULL, 0, G_MAXUINT, 0, EA_MODEL_RO);
  properties[PROP_COLOR] =
    g_param_spec_string ("color", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_MACVU] =
    g_param_spec_string ("macvu", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_ATR] =
    g_param_spec_double ("atr", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, EA_MODEL_RO);
  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_CONFIDENCE] =
    g_param_spec_double ("confidence", NULL, NULL, 0.0, 1.0, 0.0, EA_MODEL_RO);
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE, EA_MODEL_RO);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ea_signal_init (EaSignal *self)
{
  _ea_model_values_init (self->values, properties, N_PROPS);
}

EaSignal *
ea_signal_new (gint64 time,
               const char *symbol,
               int direction,
               gint64 entry_price,
               guint power_score,
               guint confluence,
               const char *color,
               const char *macvu,
               double atr,
               const char *source)
{
  EaSignal *self = g_object_new (EA_TYPE_SIGNAL, NULL);

  SET (int64, TIME, time);
  SET (string, SYMBOL, symbol);
  SET (int, DIRECTION, direction);
  SET (int64, ENTRY_PRICE, entry_price);
  SET (uint, POWER_SCORE, power_score);
  SET (uint, CONFLUENCE, confluence);
  SET (string, COLOR, color);
  SET (string, MACVU, macvu);
  SET (double, ATR, atr);
  SET (string, SOURCE, source);
  SET (boolean, ACTIVE, TRUE);
  /* DOMAIN §3: the power score stands for the confidence until the
   * source states one. */
  SET (double, CONFIDENCE, MIN (power_score, 100) / 100.0);
  return self;
}

gint64
ea_signal_get_time (EaSignal *self)
{
  g_return_val_if_fail (EA_IS_SIGNAL (self), 0);
  return g_value_get_int64 (&self->values[PROP_TIME]);
}

const char *
ea_signal_get_symbol (EaSignal *self)
{
  g_return_val_if_fail (EA_IS_SIGNAL (self), NULL);
  return g_value_get_string (&self->values[PROP_SYMBOL]);
}

int
ea_signal_get_direction (EaSignal *self)
{
  g_return_val_if_fail (EA_IS_SIGNAL (self), 0);
  return g_value_get_int (&self->values[PROP_DIRECTION]);
}

gint64
ea_signal_get_entry_price (EaSignal *self)
{
  g_return_val_if_fail (EA_IS_SIGNAL (self), 0);
  return g_value_get_int64 (&self->values[PROP_ENTRY_PRICE]);
}

guint
ea_signal_get_power_score (EaSignal *self)
{
  g_return_val_if_fail (EA_IS_SIGNAL (self), 0);
  return g_value_get_uint (&self->values[PROP_POWER_SCORE]);
}

guint
ea_signal_get_confluence (EaSignal *self)
{
  g_return_val_if_fail (EA_IS_SIGNAL (self), 0);
  return g_value_get_uint (&self->values[PROP_CONFLUENCE]);
}

const char *
ea_signal_get_color (EaSignal *self)
{
  g_return_val_if_fail (EA_IS_SIGNAL (self), NULL);
  return g_value_get_string (&self->values[PROP_COLOR]);
}

const char *
ea_signal_get_macvu (EaSignal *self)
{
  g_return_val_if_fail (EA_IS_SIGNAL (self), NULL);
  return g_value_get_string (&self->values[PROP_MACVU]);
}

double
ea_signal_get_atr (EaSignal *self)
{
  g_return_val_if_fail (EA_IS_SIGNAL (self), 0);
  return g_value_get_double (&self->values[PROP_ATR]);
}

const char *
ea_signal_get_source (EaSignal *self)
{
  g_return_val_if_fail (EA_IS_SIGNAL (self), NULL);
  return g_value_get_string (&self->values[PROP_SOURCE]);
}

gboolean
ea_signal_get_active (EaSignal *self)
{
  g_return_val_if_fail (EA_IS_SIGNAL (self), FALSE);
  return g_value_get_boolean (&self->values[PROP_ACTIVE]);
}

void
ea_signal_set_active (EaSignal *self,
                        gboolean active)
{
  g_return_if_fail (EA_IS_SIGNAL (self));
  SET (boolean, ACTIVE, active);
}

double
ea_signal_get_confidence (EaSignal *self)
{
  g_return_val_if_fail (EA_IS_SIGNAL (self), 0.0);
  return g_value_get_double (&self->values[PROP_CONFIDENCE]);
}

/* Clamped to [0, 1]; a value that is not a number is ignored. */
void
ea_signal_set_confidence (EaSignal *self,
                          double    confidence)
{
  g_return_if_fail (EA_IS_SIGNAL (self));

  if (isnan (confidence))
    return;
  SET (double, CONFIDENCE, CLAMP (confidence, 0.0, 1.0));
}
