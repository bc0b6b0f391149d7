/* ea-model-private.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-model"

#include "config.h"

#include "ea-model-private.h"

void
_ea_model_values_init (GValue      *values,
                       GParamSpec **pspecs,
                       guint        n_props)
{
  for (guint i = 1; i < n_props; i++)
    {
      g_value_init (&values[i], G_PARAM_SPEC_VALUE_TYPE (pspecs[i]));
      g_param_value_set_default (pspecs[i], &values[i]);
    }
}

void
_ea_model_values_clear (GValue *values,
                        guint   n_props)
{
  for (guint i = 1; i < n_props; i++)
    if (G_IS_VALUE (&values[i]))
      g_value_unset (&values[i]);
}

#define NOTIFY_IF(cond)                                             \
  G_STMT_START {                                                    \
    if (!(cond))                                                    \
      return FALSE;                                                 \
  } G_STMT_END

gboolean
_ea_model_set_string (GObject     *object,
                      GValue      *values,
                      GParamSpec **pspecs,
                      guint        prop,
                      const char  *value)
{
  NOTIFY_IF (g_strcmp0 (g_value_get_string (&values[prop]), value) != 0);
  g_value_set_string (&values[prop], value);
  g_object_notify_by_pspec (object, pspecs[prop]);
  return TRUE;
}

gboolean
_ea_model_set_int64 (GObject     *object,
                     GValue      *values,
                     GParamSpec **pspecs,
                     guint        prop,
                     gint64       value)
{
  NOTIFY_IF (g_value_get_int64 (&values[prop]) != value);
  g_value_set_int64 (&values[prop], value);
  g_object_notify_by_pspec (object, pspecs[prop]);
  return TRUE;
}

gboolean
_ea_model_set_int (GObject     *object,
                   GValue      *values,
                   GParamSpec **pspecs,
                   guint        prop,
                   int          value)
{
  NOTIFY_IF (g_value_get_int (&values[prop]) != value);
  g_value_set_int (&values[prop], value);
  g_object_notify_by_pspec (object, pspecs[prop]);
  return TRUE;
}

gboolean
_ea_model_set_uint (GObject     *object,
                    GValue      *values,
                    GParamSpec **pspecs,
                    guint        prop,
                    guint        value)
{
  NOTIFY_IF (g_value_get_uint (&values[prop]) != value);
  g_value_set_uint (&values[prop], value);
  g_object_notify_by_pspec (object, pspecs[prop]);
  return TRUE;
}

gboolean
_ea_model_set_double (GObject     *object,
                      GValue      *values,
                      GParamSpec **pspecs,
                      guint        prop,
                      double       value)
{
  NOTIFY_IF (g_value_get_double (&values[prop]) != value);
  g_value_set_double (&values[prop], value);
  g_object_notify_by_pspec (object, pspecs[prop]);
  return TRUE;
}

gboolean
_ea_model_set_boolean (GObject     *object,
                       GValue      *values,
                       GParamSpec **pspecs,
                       guint        prop,
                       gboolean     value)
{
  NOTIFY_IF (g_value_get_boolean (&values[prop]) != !!value);
  g_value_set_boolean (&values[prop], !!value);
  g_object_notify_by_pspec (object, pspecs[prop]);
  return TRUE;
}

void
_ea_model_get (GValue *values,
               guint   n_props,
               guint   prop,
               GValue *out)
{
  g_return_if_fail (prop > 0 && prop < n_props);
  g_value_copy (&values[prop], out);
}
