/* ea-model-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model objects keep their property values in a GValue array indexed
 * by property id; these helpers set a value and notify only when it
 * really changed.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

void     _ea_model_values_init  (GValue      *values,
                                 GParamSpec **pspecs,
                                 guint        n_props);
void     _ea_model_values_clear (GValue      *values,
                                 guint        n_props);
gboolean _ea_model_set_string   (GObject     *object,
                                 GValue      *values,
                                 GParamSpec **pspecs,
                                 guint        prop,
                                 const char  *value);
gboolean _ea_model_set_int64    (GObject     *object,
                                 GValue      *values,
                                 GParamSpec **pspecs,
                                 guint        prop,
                                 gint64       value);
gboolean _ea_model_set_int      (GObject     *object,
                                 GValue      *values,
                                 GParamSpec **pspecs,
                                 guint        prop,
                                 int          value);
gboolean _ea_model_set_uint     (GObject     *object,
                                 GValue      *values,
                                 GParamSpec **pspecs,
                                 guint        prop,
                                 guint        value);
gboolean _ea_model_set_double   (GObject     *object,
                                 GValue      *values,
                                 GParamSpec **pspecs,
                                 guint        prop,
                                 double       value);
gboolean _ea_model_set_boolean  (GObject     *object,
                                 GValue      *values,
                                 GParamSpec **pspecs,
                                 guint        prop,
                                 gboolean     value);
/* For a generic get_property. */
void     _ea_model_get          (GValue      *values,
                                 guint        n_props,
                                 guint        prop,
                                 GValue      *out);

#define EA_MODEL_RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

G_END_DECLS
