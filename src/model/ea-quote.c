/* ea-quote.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-quote"

#include "config.h"

#include "ea-quote.h"
#include "ea-model-private.h"

enum {
  PROP_0,

  PROP_SYMBOL,
  PROP_BID,
  PROP_ASK,
  PROP_LAST,
  PROP_BID_SIZE,
  PROP_ASK_SIZE,
  PROP_LAST_SIZE,
  PROP_VOLUME,
  PROP_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _EaQuote
{
  GObject parent_instance;
  GValue  values[N_PROPS];
};

G_DEFINE_FINAL_TYPE (EaQuote, ea_quote, G_TYPE_OBJECT)

#define SET(kind, prop, v) \
  _ea_model_set_##kind (G_OBJECT (self), self->values, properties, PROP_##prop, (v))

static void
ea_quote_finalize (GObject *object)
{
  EaQuote *self = (EaQuote *) object;

  _ea_model_values_clear (self->values, N_PROPS);

  G_OBJECT_CLASS (ea_quote_parent_class)->finalize (object);
}

static void
ea_quote_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  EaQuote *self = EA_QUOTE (object);

  if (prop_id > 0 && prop_id < N_PROPS)
    _ea_model_get (self->values, N_PROPS, prop_id, value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
ea_quote_class_init (EaQuoteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ea_quote_finalize;
  object_class->get_property = ea_quote_get_property;

  properties[PROP_SYMBOL] =
    g_param_spec_string ("symbol", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_BID] =
    g_param_spec_int64 ("bid", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_ASK] =
    g_param_spec_int64 ("ask", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_LAST] =
    g_param_spec_int64 ("last", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_BID_SIZE] =
    g_param_spec_int64 ("bid-size", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_ASK_SIZE] =
    g_param_spec_int64 ("ask-size", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_LAST_SIZE] =
    g_param_spec_int64 ("last-size", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_VOLUME] =
    g_param_spec_int64 ("volume", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_TIME] =
    g_param_spec_int64 ("time", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ea_quote_init (EaQuote *self)
{
  _ea_model_values_init (self->values, properties, N_PROPS);
}

static void
apply (EaQuote *self, const EaQuoteData *data)
{
  g_object_freeze_notify (G_OBJECT (self));
  SET (string, SYMBOL, data->symbol);
  SET (int64, BID, data->bid);
  SET (int64, ASK, data->ask);
  SET (int64, LAST, data->last);
  SET (int64, BID_SIZE, data->bid_size);
  SET (int64, ASK_SIZE, data->ask_size);
  SET (int64, LAST_SIZE, data->last_size);
  SET (int64, VOLUME, data->volume);
  SET (int64, TIME, data->time);
  g_object_thaw_notify (G_OBJECT (self));
}

EaQuote *
ea_quote_new_from_data (const EaQuoteData *data)
{
  EaQuote *self;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (EA_TYPE_QUOTE, NULL);
  apply (self, data);
  return self;
}

void
ea_quote_update (EaQuote *self,
                const EaQuoteData *data)
{
  g_return_if_fail (EA_IS_QUOTE (self));
  g_return_if_fail (data != NULL);

  apply (self, data);
}

const char *
ea_quote_get_symbol (EaQuote *self)
{
  g_return_val_if_fail (EA_IS_QUOTE (self), NULL);
  return g_value_get_string (&self->values[PROP_SYMBOL]);
}

gint64
ea_quote_get_bid (EaQuote *self)
{
  g_return_val_if_fail (EA_IS_QUOTE (self), 0);
  return g_value_get_int64 (&self->values[PROP_BID]);
}

gint64
ea_quote_get_ask (EaQuote *self)
{
  g_return_val_if_fail (EA_IS_QUOTE (self), 0);
  return g_value_get_int64 (&self->values[PROP_ASK]);
}

gint64
ea_quote_get_last (EaQuote *self)
{
  g_return_val_if_fail (EA_IS_QUOTE (self), 0);
  return g_value_get_int64 (&self->values[PROP_LAST]);
}

gint64
ea_quote_get_bid_size (EaQuote *self)
{
  g_return_val_if_fail (EA_IS_QUOTE (self), 0);
  return g_value_get_int64 (&self->values[PROP_BID_SIZE]);
}

gint64
ea_quote_get_ask_size (EaQuote *self)
{
  g_return_val_if_fail (EA_IS_QUOTE (self), 0);
  return g_value_get_int64 (&self->values[PROP_ASK_SIZE]);
}

gint64
ea_quote_get_last_size (EaQuote *self)
{
  g_return_val_if_fail (EA_IS_QUOTE (self), 0);
  return g_value_get_int64 (&self->values[PROP_LAST_SIZE]);
}

gint64
ea_quote_get_volume (EaQuote *self)
{
  g_return_val_if_fail (EA_IS_QUOTE (self), 0);
  return g_value_get_int64 (&self->values[PROP_VOLUME]);
}

gint64
ea_quote_get_time (EaQuote *self)
{
  g_return_val_if_fail (EA_IS_QUOTE (self), 0);
  return g_value_get_int64 (&self->values[PROP_TIME]);
}
