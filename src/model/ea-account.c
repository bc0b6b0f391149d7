/* ea-account.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-account"

#include "config.h"

#include "ea-account.h"
#include "ea-model-private.h"

enum {
  PROP_0,

  PROP_NAME,
  PROP_PROFILE,
  PROP_SIZE,
  PROP_BALANCE,
  PROP_REALIZED_PNL,
  PROP_OPEN_PNL,
  PROP_EQUITY,
  PROP_MARGIN_USED,
  PROP_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _EaAccount
{
  GObject parent_instance;
  GValue  values[N_PROPS];
};

G_DEFINE_FINAL_TYPE (EaAccount, ea_account, G_TYPE_OBJECT)

#define SET(kind, prop, v) \
  _ea_model_set_##kind (G_OBJECT (self), self->values, properties, PROP_##prop, (v))

static void
ea_account_finalize (GObject *object)
{
  EaAccount *self = (EaAccount *) object;

  _ea_model_values_clear (self->values, N_PROPS);

  G_OBJECT_CLASS (ea_account_parent_class)->finalize (object);
}

static void
ea_account_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  EaAccount *self = EA_ACCOUNT (object);

  if (prop_id > 0 && prop_id < N_PROPS)
    _ea_model_get (self->values, N_PROPS, prop_id, value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
ea_account_class_init (EaAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ea_account_finalize;
  object_class->get_property = ea_account_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_PROFILE] =
    g_param_spec_string ("profile", NULL, NULL, NULL, EA_MODEL_RO);
  properties[PROP_SIZE] =
    g_param_spec_int64 ("size", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_BALANCE] =
    g_param_spec_int64 ("balance", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_REALIZED_PNL] =
    g_param_spec_int64 ("realized-pnl", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_OPEN_PNL] =
    g_param_spec_int64 ("open-pnl", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_EQUITY] =
    g_param_spec_int64 ("equity", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_MARGIN_USED] =
    g_param_spec_int64 ("margin-used", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  properties[PROP_TIME] =
    g_param_spec_int64 ("time", NULL, NULL, G_MININT64, G_MAXINT64, 0, EA_MODEL_RO);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ea_account_init (EaAccount *self)
{
  _ea_model_values_init (self->values, properties, N_PROPS);
}

static void
apply (EaAccount *self, const EaAccountData *data)
{
  g_object_freeze_notify (G_OBJECT (self));
  SET (string, NAME, data->name);
  SET (string, PROFILE, data->profile);
  SET (int64, SIZE, data->size);
  SET (int64, BALANCE, data->balance);
  SET (int64, REALIZED_PNL, data->realized_pnl);
  SET (int64, OPEN_PNL, data->open_pnl);
  SET (int64, EQUITY, data->equity);
  SET (int64, MARGIN_USED, data->margin_used);
  SET (int64, TIME, data->time);
  g_object_thaw_notify (G_OBJECT (self));
}

EaAccount *
ea_account_new_from_data (const EaAccountData *data)
{
  EaAccount *self;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (EA_TYPE_ACCOUNT, NULL);
  apply (self, data);
  return self;
}

void
ea_account_update (EaAccount *self,
                  const EaAccountData *data)
{
  g_return_if_fail (EA_IS_ACCOUNT (self));
  g_return_if_fail (data != NULL);

  apply (self, data);
}

const char *
ea_account_get_name (EaAccount *self)
{
  g_return_val_if_fail (EA_IS_ACCOUNT (self), NULL);
  return g_value_get_string (&self->values[PROP_NAME]);
}

const char *
ea_account_get_profile (EaAccount *self)
{
  g_return_val_if_fail (EA_IS_ACCOUNT (self), NULL);
  return g_value_get_string (&self->values[PROP_PROFILE]);
}

gint64
ea_account_get_size (EaAccount *self)
{
  g_return_val_if_fail (EA_IS_ACCOUNT (self), 0);
  return g_value_get_int64 (&self->values[PROP_SIZE]);
}

gint64
ea_account_get_balance (EaAccount *self)
{
  g_return_val_if_fail (EA_IS_ACCOUNT (self), 0);
  return g_value_get_int64 (&self->values[PROP_BALANCE]);
}

gint64
ea_account_get_realized_pnl (EaAccount *self)
{
  g_return_val_if_fail (EA_IS_ACCOUNT (self), 0);
  return g_value_get_int64 (&self->values[PROP_REALIZED_PNL]);
}

gint64
ea_account_get_open_pnl (EaAccount *self)
{
  g_return_val_if_fail (EA_IS_ACCOUNT (self), 0);
  return g_value_get_int64 (&self->values[PROP_OPEN_PNL]);
}

gint64
ea_account_get_equity (EaAccount *self)
{
  g_return_val_if_fail (EA_IS_ACCOUNT (self), 0);
  return g_value_get_int64 (&self->values[PROP_EQUITY]);
}

gint64
ea_account_get_margin_used (EaAccount *self)
{
  g_return_val_if_fail (EA_IS_ACCOUNT (self), 0);
  return g_value_get_int64 (&self->values[PROP_MARGIN_USED]);
}

gint64
ea_account_get_time (EaAccount *self)
{
  g_return_val_if_fail (EA_IS_ACCOUNT (self), 0);
  return g_value_get_int64 (&self->values[PROP_TIME]);
}
