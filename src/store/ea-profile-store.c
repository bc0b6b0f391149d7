/* ea-profile-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads prop-firm profiles from JSON into EaRiskProfile, field by field,
 * with an error that names the file, the field and the reason. A profile
 * is built in a scratch struct and copied out only once it is complete
 * and valid, so a malformed one is never half-applied.
 */
#define G_LOG_DOMAIN "ea-profile-store"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ea-money.h"
#include "ea-profile-store.h"
#include "ea-profiles-resources.h"

struct _EaProfileStore
{
  GObject     parent_instance;

  GHashTable *builtin; /* id → EaRiskProfile */
  GHashTable *user;    /* id → EaRiskProfile */
};

G_DEFINE_FINAL_TYPE (EaProfileStore, ea_profile_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (ea-profile-store-error-quark, ea_profile_store_error)

/* Fields of the table that JSON spells differently (nested or implied). */
static const char * const hidden_fields[] = {
  "has_lock", "lock_level_offset", "flat_by_minutes", "flat_by_zone",
  "consistency_max_share", "consistency_window_days",
};

static gboolean
fail (GError    **error,
      gint        code,
      const char *source,
      const char *field,
      const char *reason)
{
  g_set_error (error, EA_PROFILE_STORE_ERROR, code, "%s: %s: %s", source, field, reason);
  return FALSE;
}

static gboolean
read_money (JsonNode   *node,
            gboolean    nullable,
            EaMicros   *out,
            const char *source,
            const char *field,
            GError    **error)
{
  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (!nullable)
        return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, field, "must not be null");
      *out = 0;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, field, "must be an amount of dollars");
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      {
        gint64 v = json_node_get_int (node);

        if (v > G_GINT64_CONSTANT (9000000000000) || v < -G_GINT64_CONSTANT (9000000000000))
          return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, field, "amount out of range");
        *out = EA_MICROS (v);
        return TRUE;
      }
    case G_TYPE_DOUBLE:
      if (!ea_money_from_double (json_node_get_double (node), out))
        return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, field, "amount out of range");
      return TRUE;
    case G_TYPE_STRING:
      if (!ea_money_parse (json_node_get_string (node), out, NULL))
        return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, field, "not a decimal amount of dollars");
      return TRUE;
    default:
      return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, field, "must be an amount of dollars");
    }
}

static gboolean
read_uint (JsonNode   *node,
           guint      *out,
           const char *source,
           const char *field,
           GError    **error)
{
  gint64 v;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      *out = 0;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, field, "must be a whole number");
  v = json_node_get_int (node);
  if (v < 0 || v > G_MAXINT32)
    return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, field, "must be a whole number ≥ 0");
  *out = (guint) v;
  return TRUE;
}

static gboolean
read_double (JsonNode   *node,
             double     *out,
             const char *source,
             const char *field,
             GError    **error)
{
  if (JSON_NODE_HOLDS_NULL (node))
    {
      *out = 0;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 && json_node_get_value_type (node) != G_TYPE_DOUBLE))
    return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, field, "must be a number");
  *out = json_node_get_double (node);
  return TRUE;
}

static const char *
read_string (JsonNode   *node,
             const char *source,
             const char *field,
             GError    **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, field, "must be a string");
      return NULL;
    }
  return json_node_get_string (node);
}

static gboolean
read_field (const EaProfileField *f,
            JsonNode             *node,
            EaRiskProfile        *p,
            const char           *source,
            GError              **error)
{
  guint8 *at = (guint8 *) p + f->offset;
  const char *s;

  switch (f->type)
    {
    case EA_PROFILE_FIELD_STRING:
      if ((s = read_string (node, source, f->name, error)) == NULL)
        return FALSE;
      if (g_strlcpy ((char *) at, s, f->size) >= f->size)
        {
          g_autofree char *why = g_strdup_printf ("too long (at most %zu bytes)", f->size - 1);

          return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, f->name, why);
        }
      return TRUE;
    case EA_PROFILE_FIELD_MICROS:
      return read_money (node, !f->required, (EaMicros *) at, source, f->name, error);
    case EA_PROFILE_FIELD_UINT:
      return read_uint (node, (guint *) at, source, f->name, error);
    case EA_PROFILE_FIELD_DOUBLE:
      return read_double (node, (double *) at, source, f->name, error);
    case EA_PROFILE_FIELD_BOOL:
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, f->name, "must be true or false");
      *(gboolean *) at = json_node_get_boolean (node);
      return TRUE;
    case EA_PROFILE_FIELD_TRAILING_MODE:
      if ((s = read_string (node, source, f->name, error)) == NULL)
        return FALSE;
      if (!ea_trailing_mode_from_string (s, (EaTrailingMode *) at))
        return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, f->name,
                     "must be \"intraday-unrealized\", \"intraday-realized\", \"eod\" or \"static\"");
      return TRUE;
    case EA_PROFILE_FIELD_DAILY_LOSS_ACTION:
      if ((s = read_string (node, source, f->name, error)) == NULL)
        return FALSE;
      if (!ea_daily_loss_action_from_string (s, (EaDailyLossAction *) at))
        return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, f->name, "must be \"pause\" or \"fail\"");
      return TRUE;
    case EA_PROFILE_FIELD_INT:
    default:
      return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, f->name, "unsupported field");
    }
}

/* Every member of @obj must be one of @allowed. */
static gboolean
only_members (JsonObject         *obj,
              const char * const *allowed,
              guint               n_allowed,
              const char         *source,
              const char         *prefix,
              GError            **error)
{
  g_autoptr(GList) names = json_object_get_members (obj);

  for (GList *l = names; l != NULL; l = l->next)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < n_allowed && !known; i++)
        known = strcmp (l->data, allowed[i]) == 0;
      if (!known)
        {
          g_autofree char *field = g_strdup_printf ("%s.%s", prefix, (const char *) l->data);

          return fail (error, EA_PROFILE_STORE_ERROR_UNKNOWN_FIELD, source, field, "unknown field");
        }
    }
  return TRUE;
}

static gboolean
read_scaling (JsonNode      *node,
              EaRiskProfile *p,
              const char    *source,
              GError       **error)
{
  static const char * const keys[] = { "until_profit", "max_contracts" };
  JsonArray *arr;

  p->n_scaling = 0;
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, "scaling", "must be an array of steps");
  arr = json_node_get_array (node);
  if (json_array_get_length (arr) > EA_RISK_PROFILE_MAX_SCALING)
    return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, "scaling", "too many steps (at most 8)");
  for (guint i = 0; i < json_array_get_length (arr); i++)
    {
      JsonNode *step = json_array_get_element (arr, i);
      g_autofree char *prefix = g_strdup_printf ("scaling[%u]", i);
      g_autofree char *f_until = g_strdup_printf ("%s.until_profit", prefix);
      g_autofree char *f_max = g_strdup_printf ("%s.max_contracts", prefix);
      JsonObject *obj;

      if (!JSON_NODE_HOLDS_OBJECT (step))
        return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, prefix, "must be an object");
      obj = json_node_get_object (step);
      if (!only_members (obj, keys, G_N_ELEMENTS (keys), source, prefix, error))
        return FALSE;
      if (!json_object_has_member (obj, "until_profit"))
        return fail (error, EA_PROFILE_STORE_ERROR_MISSING, source, f_until, "missing");
      if (!json_object_has_member (obj, "max_contracts"))
        return fail (error, EA_PROFILE_STORE_ERROR_MISSING, source, f_max, "missing");
      if (!read_money (json_object_get_member (obj, "until_profit"), FALSE,
                       &p->scaling[i].until_profit, source, f_until, error) ||
          !read_uint (json_object_get_member (obj, "max_contracts"),
                      &p->scaling[i].max_contracts, source, f_max, error))
        return FALSE;
      p->n_scaling++;
    }
  return TRUE;
}

static gboolean
read_consistency (JsonNode      *node,
                  EaRiskProfile *p,
                  const char    *source,
                  GError       **error)
{
  static const char * const keys[] = { "max_share", "window_days" };
  JsonObject *obj;

  p->consistency_max_share = 0;
  p->consistency_window_days = 0;
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, "consistency",
                 "must be null or {\"max_share\", \"window_days\"}");
  obj = json_node_get_object (node);
  if (!only_members (obj, keys, G_N_ELEMENTS (keys), source, "consistency", error))
    return FALSE;
  if (!json_object_has_member (obj, "max_share"))
    return fail (error, EA_PROFILE_STORE_ERROR_MISSING, source, "consistency.max_share", "missing");
  if (!read_double (json_object_get_member (obj, "max_share"), &p->consistency_max_share,
                    source, "consistency.max_share", error))
    return FALSE;
  if (json_object_has_member (obj, "window_days") &&
      !read_uint (json_object_get_member (obj, "window_days"), &p->consistency_window_days,
                  source, "consistency.window_days", error))
    return FALSE;
  return TRUE;
}

static gboolean
read_flat_by (JsonNode      *node,
              EaRiskProfile *p,
              const char    *source,
              GError       **error)
{
  static const char * const keys[] = { "time", "zone" };
  JsonObject *obj;
  const char *time, *zone;
  guint hh, mm;

  p->flat_by_minutes = -1;
  p->flat_by_zone[0] = '\0';
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, "flat_by", "must be null or {\"time\", \"zone\"}");
  obj = json_node_get_object (node);
  if (!only_members (obj, keys, G_N_ELEMENTS (keys), source, "flat_by", error))
    return FALSE;
  if (!json_object_has_member (obj, "time"))
    return fail (error, EA_PROFILE_STORE_ERROR_MISSING, source, "flat_by.time", "missing");
  if (!json_object_has_member (obj, "zone"))
    return fail (error, EA_PROFILE_STORE_ERROR_MISSING, source, "flat_by.zone", "missing");
  if ((time = read_string (json_object_get_member (obj, "time"), source, "flat_by.time", error)) == NULL ||
      (zone = read_string (json_object_get_member (obj, "zone"), source, "flat_by.zone", error)) == NULL)
    return FALSE;
  if (strlen (time) != 5 || time[2] != ':' || !g_ascii_isdigit (time[0]) || !g_ascii_isdigit (time[1]) ||
      !g_ascii_isdigit (time[3]) || !g_ascii_isdigit (time[4]))
    return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, "flat_by.time", "must be HH:MM");
  hh = (guint) (time[0] - '0') * 10 + (guint) (time[1] - '0');
  mm = (guint) (time[3] - '0') * 10 + (guint) (time[4] - '0');
  if (hh > 23 || mm > 59)
    return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, "flat_by.time", "must be between 00:00 and 23:59");
  p->flat_by_minutes = (gint) (hh * 60 + mm);
  if (g_strlcpy (p->flat_by_zone, zone, sizeof p->flat_by_zone) >= sizeof p->flat_by_zone)
    return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, "flat_by.zone", "too long");
  return TRUE;
}

static gboolean
read_forbidden (JsonNode      *node,
                EaRiskProfile *p,
                const char    *source,
                GError       **error)
{
  JsonArray *arr;

  p->n_forbidden = 0;
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, "forbidden_products", "must be an array of roots");
  arr = json_node_get_array (node);
  if (json_array_get_length (arr) > EA_RISK_PROFILE_MAX_FORBIDDEN)
    return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, "forbidden_products", "too many roots (at most 8)");
  for (guint i = 0; i < json_array_get_length (arr); i++)
    {
      g_autofree char *field = g_strdup_printf ("forbidden_products[%u]", i);
      const char *root = read_string (json_array_get_element (arr, i), source, field, error);

      if (root == NULL)
        return FALSE;
      if (g_strlcpy (p->forbidden[i], root, sizeof p->forbidden[i]) >= sizeof p->forbidden[i])
        return fail (error, EA_PROFILE_STORE_ERROR_INVALID, source, field, "a root has at most 7 characters");
      p->n_forbidden++;
    }
  return TRUE;
}

static gboolean
read_member (const char    *name,
             JsonNode      *node,
             EaRiskProfile *p,
             const char    *source,
             GError       **error)
{
  const EaProfileField *fields;
  guint n_fields;

  if (strcmp (name, "lock_level_offset") == 0)
    {
      p->has_lock = !JSON_NODE_HOLDS_NULL (node);
      return read_money (node, TRUE, &p->lock_level_offset, source, name, error);
    }
  if (strcmp (name, "scaling") == 0)
    return read_scaling (node, p, source, error);
  if (strcmp (name, "consistency") == 0)
    return read_consistency (node, p, source, error);
  if (strcmp (name, "flat_by") == 0)
    return read_flat_by (node, p, source, error);
  if (strcmp (name, "forbidden_products") == 0)
    return read_forbidden (node, p, source, error);
  for (guint i = 0; i < G_N_ELEMENTS (hidden_fields); i++)
    if (strcmp (name, hidden_fields[i]) == 0)
      return fail (error, EA_PROFILE_STORE_ERROR_UNKNOWN_FIELD, source, name, "unknown field");

  fields = ea_risk_profile_fields (&n_fields);
  for (guint i = 0; i < n_fields; i++)
    if (strcmp (name, fields[i].name) == 0)
      return read_field (&fields[i], node, p, source, error);
  return fail (error, EA_PROFILE_STORE_ERROR_UNKNOWN_FIELD, source, name, "unknown field");
}

gboolean
ea_profile_parse (const char    *data,
                  gssize         length,
                  const char    *source,
                  EaRiskProfile *out,
                  GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  g_autoptr(GList) names = NULL;
  const EaProfileField *fields;
  guint n_fields;
  JsonObject *obj;
  JsonNode *root;
  EaRiskProfile p;

  g_return_val_if_fail (data != NULL && out != NULL, FALSE);
  if (source == NULL)
    source = "profile";

  if (!json_parser_load_from_data (parser, data, length, &local))
    {
      g_set_error (error, EA_PROFILE_STORE_ERROR, EA_PROFILE_STORE_ERROR_PARSE,
                   "%s: not valid JSON: %s", source, local->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, EA_PROFILE_STORE_ERROR, EA_PROFILE_STORE_ERROR_PARSE,
                   "%s: the document must be a JSON object", source);
      return FALSE;
    }
  obj = json_node_get_object (root);

  ea_risk_profile_init_defaults (&p);
  names = json_object_get_members (obj);
  for (GList *l = names; l != NULL; l = l->next)
    if (!read_member (l->data, json_object_get_member (obj, l->data), &p, source, error))
      return FALSE;

  fields = ea_risk_profile_fields (&n_fields);
  for (guint i = 0; i < n_fields; i++)
    if (fields[i].required && !json_object_has_member (obj, fields[i].name))
      return fail (error, EA_PROFILE_STORE_ERROR_MISSING, source, fields[i].name, "missing");

  if (!ea_risk_profile_validate (&p, &local))
    {
      g_set_error (error, EA_PROFILE_STORE_ERROR, EA_PROFILE_STORE_ERROR_INVALID,
                   "%s: %s", source, local->message);
      return FALSE;
    }

  *out = p;
  return TRUE;
}

gboolean
ea_profile_load_file (const char    *path,
                      EaRiskProfile *out,
                      GError       **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, FALSE);
  if (!g_file_get_contents (path, &data, &len, error))
    return FALSE;
  return ea_profile_parse (data, (gssize) len, path, out, error);
}

static void
add_money (JsonBuilder *b,
           const char  *name,
           EaMicros     v,
           gboolean     null_if_zero)
{
  json_builder_set_member_name (b, name);
  if (null_if_zero && v == 0)
    json_builder_add_null_value (b);
  else if (v % EA_MICROS_PER_UNIT == 0)
    json_builder_add_int_value (b, v / EA_MICROS_PER_UNIT);
  else
    {
      g_autofree char *s = ea_money_format_full (v, EA_MONEY_FORMAT_NO_SYMBOL | EA_MONEY_FORMAT_NO_GROUPING);

      json_builder_add_string_value (b, s);
    }
}

char *
ea_profile_to_json (const EaRiskProfile *p)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  const EaProfileField *fields;
  guint n_fields;

  g_return_val_if_fail (p != NULL, NULL);

  json_builder_begin_object (b);
  fields = ea_risk_profile_fields (&n_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      const EaProfileField *f = &fields[i];
      const guint8 *at = (const guint8 *) p + f->offset;
      gboolean hidden = FALSE;

      for (guint h = 0; h < G_N_ELEMENTS (hidden_fields); h++)
        hidden = hidden || strcmp (f->name, hidden_fields[h]) == 0;
      if (hidden)
        continue;

      switch (f->type)
        {
        case EA_PROFILE_FIELD_STRING:
          json_builder_set_member_name (b, f->name);
          json_builder_add_string_value (b, (const char *) at);
          break;
        case EA_PROFILE_FIELD_MICROS:
          add_money (b, f->name, *(const EaMicros *) at, !f->required);
          break;
        case EA_PROFILE_FIELD_UINT:
          json_builder_set_member_name (b, f->name);
          json_builder_add_int_value (b, *(const guint *) at);
          break;
        case EA_PROFILE_FIELD_DOUBLE:
          json_builder_set_member_name (b, f->name);
          json_builder_add_double_value (b, *(const double *) at);
          break;
        case EA_PROFILE_FIELD_BOOL:
          json_builder_set_member_name (b, f->name);
          json_builder_add_boolean_value (b, *(const gboolean *) at);
          break;
        case EA_PROFILE_FIELD_TRAILING_MODE:
          json_builder_set_member_name (b, f->name);
          json_builder_add_string_value (b, ea_trailing_mode_to_string (*(const EaTrailingMode *) at));
          break;
        case EA_PROFILE_FIELD_DAILY_LOSS_ACTION:
          json_builder_set_member_name (b, f->name);
          json_builder_add_string_value (b, ea_daily_loss_action_to_string (*(const EaDailyLossAction *) at));
          break;
        case EA_PROFILE_FIELD_INT:
        default:
          g_assert_not_reached ();
        }
    }

  if (p->has_lock)
    add_money (b, "lock_level_offset", p->lock_level_offset, FALSE);
  else
    {
      json_builder_set_member_name (b, "lock_level_offset");
      json_builder_add_null_value (b);
    }

  json_builder_set_member_name (b, "scaling");
  json_builder_begin_array (b);
  for (guint i = 0; i < p->n_scaling; i++)
    {
      json_builder_begin_object (b);
      add_money (b, "until_profit", p->scaling[i].until_profit, FALSE);
      json_builder_set_member_name (b, "max_contracts");
      json_builder_add_int_value (b, p->scaling[i].max_contracts);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "consistency");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "max_share");
  json_builder_add_double_value (b, p->consistency_max_share);
  json_builder_set_member_name (b, "window_days");
  json_builder_add_int_value (b, p->consistency_window_days);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "flat_by");
  if (p->flat_by_minutes >= 0)
    {
      g_autofree char *time = g_strdup_printf ("%02d:%02d", p->flat_by_minutes / 60, p->flat_by_minutes % 60);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "time");
      json_builder_add_string_value (b, time);
      json_builder_set_member_name (b, "zone");
      json_builder_add_string_value (b, p->flat_by_zone);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "forbidden_products");
  json_builder_begin_array (b);
  for (guint i = 0; i < p->n_forbidden; i++)
    json_builder_add_string_value (b, p->forbidden[i]);
  json_builder_end_array (b);

  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

/* ---- the store ----------------------------------------------------------- */

static void
ea_profile_store_finalize (GObject *object)
{
  EaProfileStore *self = (EaProfileStore *) object;

  g_clear_pointer (&self->builtin, g_hash_table_unref);
  g_clear_pointer (&self->user, g_hash_table_unref);

  G_OBJECT_CLASS (ea_profile_store_parent_class)->finalize (object);
}

static void
ea_profile_store_class_init (EaProfileStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ea_profile_store_finalize;

  /**
   * EaProfileStore::changed:
   * @id: the user profile that was saved or removed
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ea_profile_store_init (EaProfileStore *self)
{
  self->builtin = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->user = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static gboolean
load_builtin (EaProfileStore *self,
              GError        **error)
{
  GResource *res = ea_profiles_get_resource ();
  g_auto(GStrv) names = NULL;

  names = g_resource_enumerate_children (res, EA_PROFILE_RESOURCE_PATH, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (names == NULL)
    return FALSE;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (EA_PROFILE_RESOURCE_PATH, names[i], NULL);
      g_autofree char *expected = NULL;
      g_autoptr(GBytes) bytes = NULL;
      EaRiskProfile p;
      gsize len;
      const char *data;

      if (!g_str_has_suffix (names[i], ".json"))
        continue;
      bytes = g_resource_lookup_data (res, path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes == NULL)
        return FALSE;
      data = g_bytes_get_data (bytes, &len);
      if (!ea_profile_parse (data, (gssize) len, path, &p, error))
        return FALSE;
      expected = g_strconcat (p.id, ".json", NULL);
      if (strcmp (expected, names[i]) != 0)
        return fail (error, EA_PROFILE_STORE_ERROR_INVALID, path, "id", "must match the file name");
      g_hash_table_replace (self->builtin, g_strdup (p.id), g_memdup2 (&p, sizeof p));
    }
  return TRUE;
}

EaProfileStore *
ea_profile_store_new (GError **error)
{
  g_autoptr(EaProfileStore) self = g_object_new (EA_TYPE_PROFILE_STORE, NULL);

  if (!load_builtin (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
ea_profile_store_list_ids (EaProfileStore *self)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new ();
  GHashTable *tables[2];

  g_return_val_if_fail (EA_IS_PROFILE_STORE (self), NULL);
  tables[0] = self->builtin;
  tables[1] = self->user;
  for (guint t = 0; t < 2; t++)
    {
      guint n = 0;
      g_autofree gpointer *keys = g_hash_table_get_keys_as_array (tables[t], &n);

      qsort (keys, n, sizeof (gpointer), compare_ids);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (out, g_strdup (keys[i]));
    }
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

const EaRiskProfile *
ea_profile_store_lookup (EaProfileStore *self,
                         const char     *id)
{
  const EaRiskProfile *p;

  g_return_val_if_fail (EA_IS_PROFILE_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  p = g_hash_table_lookup (self->user, id);
  return p != NULL ? p : g_hash_table_lookup (self->builtin, id);
}

gboolean
ea_profile_store_is_builtin (EaProfileStore *self,
                             const char     *id)
{
  g_return_val_if_fail (EA_IS_PROFILE_STORE (self), FALSE);
  return g_hash_table_contains (self->builtin, id);
}

gboolean
ea_profile_store_copy (EaProfileStore *self,
                       const char     *id,
                       const char     *new_id,
                       EaRiskProfile  *out,
                       GError        **error)
{
  const EaRiskProfile *src;
  EaRiskProfile p;

  g_return_val_if_fail (EA_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL && new_id != NULL && out != NULL, FALSE);

  src = ea_profile_store_lookup (self, id);
  if (src == NULL)
    return fail (error, EA_PROFILE_STORE_ERROR_NOT_FOUND, id, "id", "no such profile");
  if (ea_profile_store_lookup (self, new_id) != NULL)
    return fail (error, EA_PROFILE_STORE_ERROR_EXISTS, new_id, "id", "a profile with this id exists");
  p = *src;
  if (g_strlcpy (p.id, new_id, sizeof p.id) >= sizeof p.id)
    return fail (error, EA_PROFILE_STORE_ERROR_INVALID, new_id, "id", "too long");
  *out = p;
  return TRUE;
}

gboolean
ea_profile_store_save_user (EaProfileStore      *self,
                            const EaRiskProfile *profile,
                            GError             **error)
{
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (EA_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (profile != NULL, FALSE);

  if (g_hash_table_contains (self->builtin, profile->id))
    return fail (error, EA_PROFILE_STORE_ERROR_READ_ONLY, profile->id, "id",
                 "built-in profiles are read-only; save a copy under a new id");
  if (!ea_risk_profile_validate (profile, &local))
    {
      g_set_error (error, EA_PROFILE_STORE_ERROR, EA_PROFILE_STORE_ERROR_INVALID,
                   "%s: %s", profile->id, local->message);
      return FALSE;
    }
  g_hash_table_replace (self->user, g_strdup (profile->id), g_memdup2 (profile, sizeof *profile));
  g_signal_emit (self, signals[CHANGED], 0, profile->id);
  return TRUE;
}

gboolean
ea_profile_store_remove_user (EaProfileStore *self,
                              const char     *id,
                              GError        **error)
{
  g_return_val_if_fail (EA_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!g_hash_table_remove (self->user, id))
    return fail (error, EA_PROFILE_STORE_ERROR_NOT_FOUND, id, "id", "no such user profile");
  g_signal_emit (self, signals[CHANGED], 0, id);
  return TRUE;
}

gboolean
ea_profile_store_restore_user (EaProfileStore *self,
                               const char     *json,
                               GError        **error)
{
  EaRiskProfile p;

  g_return_val_if_fail (EA_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  if (!ea_profile_parse (json, -1, "user profile", &p, error))
    return FALSE;
  return ea_profile_store_save_user (self, &p, error);
}
