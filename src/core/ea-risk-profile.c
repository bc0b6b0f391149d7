/* ea-risk-profile.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-risk-profile"

#include "config.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "ea-risk-profile.h"

G_DEFINE_QUARK (ea-risk-profile-error-quark, ea_risk_profile_error)

#define FIELD(n, t, req) \
  { #n, EA_PROFILE_FIELD_##t, G_STRUCT_OFFSET (EaRiskProfile, n), \
    sizeof (((EaRiskProfile *) 0)->n), req }

static const EaProfileField fields[] = {
  FIELD (id,                      STRING,            TRUE),
  FIELD (firm,                    STRING,            TRUE),
  FIELD (product,                 STRING,            TRUE),
  FIELD (version,                 STRING,            TRUE),
  FIELD (effective_date,          STRING,            TRUE),
  FIELD (source_date,             STRING,            TRUE),
  FIELD (note,                    STRING,            TRUE),
  FIELD (account_size,            MICROS,            TRUE),
  FIELD (start_balance,           MICROS,            TRUE),
  FIELD (trailing_mode,           TRAILING_MODE,     TRUE),
  FIELD (trailing_amount,         MICROS,            TRUE),
  FIELD (has_lock,                BOOL,              FALSE),
  FIELD (lock_level_offset,       MICROS,            FALSE),
  FIELD (daily_loss_limit,        MICROS,            FALSE),
  FIELD (daily_loss_action,       DAILY_LOSS_ACTION, FALSE),
  FIELD (max_contracts,           UINT,              TRUE),
  FIELD (consistency_max_share,   DOUBLE,            FALSE),
  FIELD (consistency_window_days, UINT,              FALSE),
  FIELD (max_open_loss,           MICROS,            FALSE),
  FIELD (max_open_loss_share,     DOUBLE,            FALSE),
  FIELD (max_stop_target_ratio,   DOUBLE,            FALSE),
  FIELD (flat_by_minutes,         INT,               FALSE),
  FIELD (flat_by_zone,            STRING,            FALSE),
  FIELD (weekend_holding,         BOOL,              FALSE),
  FIELD (profit_target,           MICROS,            FALSE),
  FIELD (trading_days_min,        UINT,              FALSE),
  FIELD (trading_days_max,        UINT,              FALSE),
  FIELD (hedging_allowed,         BOOL,              FALSE),
  FIELD (stop_required,           BOOL,              FALSE),
  FIELD (max_order_qty,           UINT,              FALSE),
  FIELD (price_band_pct,          DOUBLE,            FALSE),
  FIELD (orders_per_second,       UINT,              FALSE),
  FIELD (lock_sessions,           UINT,              FALSE),
};

#undef FIELD

static const char * const trailing_names[] = {
  [EA_TRAILING_INTRADAY_UNREALIZED] = "intraday-unrealized",
  [EA_TRAILING_INTRADAY_REALIZED]   = "intraday-realized",
  [EA_TRAILING_EOD]                 = "eod",
  [EA_TRAILING_STATIC]              = "static",
};

static const char * const action_names[] = {
  [EA_DAILY_LOSS_PAUSE] = "pause",
  [EA_DAILY_LOSS_FAIL]  = "fail",
};

const EaProfileField *
ea_risk_profile_fields (guint *n_fields)
{
  *n_fields = G_N_ELEMENTS (fields);
  return fields;
}

const char *
ea_trailing_mode_to_string (EaTrailingMode mode)
{
  if ((guint) mode < G_N_ELEMENTS (trailing_names))
    return trailing_names[mode];
  return "unknown";
}

gboolean
ea_trailing_mode_from_string (const char     *str,
                              EaTrailingMode *out)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (trailing_names); i++)
    if (strcmp (str, trailing_names[i]) == 0)
      {
        *out = (EaTrailingMode) i;
        return TRUE;
      }
  return FALSE;
}

const char *
ea_daily_loss_action_to_string (EaDailyLossAction action)
{
  if ((guint) action < G_N_ELEMENTS (action_names))
    return action_names[action];
  return "unknown";
}

gboolean
ea_daily_loss_action_from_string (const char        *str,
                                  EaDailyLossAction *out)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (action_names); i++)
    if (strcmp (str, action_names[i]) == 0)
      {
        *out = (EaDailyLossAction) i;
        return TRUE;
      }
  return FALSE;
}

void
ea_risk_profile_init_defaults (EaRiskProfile *profile)
{
  memset (profile, 0, sizeof *profile);
  g_strlcpy (profile->id, "custom", sizeof profile->id);
  g_strlcpy (profile->firm, "Custom", sizeof profile->firm);
  g_strlcpy (profile->product, "Custom", sizeof profile->product);
  g_strlcpy (profile->version, "1", sizeof profile->version);
  g_strlcpy (profile->effective_date, "2026-01-01", sizeof profile->effective_date);
  g_strlcpy (profile->source_date, "2026-01-01", sizeof profile->source_date);
  g_strlcpy (profile->note, "Verify with your firm.", sizeof profile->note);
  profile->account_size = EA_MICROS (50000);
  profile->start_balance = EA_MICROS (50000);
  profile->trailing_mode = EA_TRAILING_STATIC;
  profile->trailing_amount = EA_MICROS (2000);
  profile->daily_loss_action = EA_DAILY_LOSS_PAUSE;
  profile->max_contracts = 5;
  profile->flat_by_minutes = -1;
  profile->weekend_holding = TRUE;
  profile->hedging_allowed = TRUE;
  profile->max_order_qty = 5;
  profile->price_band_pct = 2.0;
  profile->orders_per_second = 10;
  profile->lock_sessions = 1;
}

static gboolean
fail (GError     **error,
      const char  *field,
      const char  *reason)
{
  g_set_error (error, EA_RISK_PROFILE_ERROR, EA_RISK_PROFILE_ERROR_INVALID,
               "%s: %s", field, reason);
  return FALSE;
}

static gboolean
valid_date (const char *s)
{
  guint y, m, d;

  if (strlen (s) != 10 || s[4] != '-' || s[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (s[i]))
      return FALSE;
  y = (guint) g_ascii_strtoull (s, NULL, 10);
  m = (guint) g_ascii_strtoull (s + 5, NULL, 10);
  d = (guint) g_ascii_strtoull (s + 8, NULL, 10);
  return g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

static gboolean
valid_id (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_islower (*s) && !g_ascii_isdigit (*s) && *s != '-' && *s != '.' && *s != '_')
      return FALSE;
  return TRUE;
}

static gboolean
valid_share (double v)
{
  return isfinite (v) && v >= 0.0 && v <= 1.0;
}

gboolean
ea_risk_profile_validate (const EaRiskProfile *p,
                          GError             **error)
{
  const EaMicros max_money = EA_MICROS (G_GINT64_CONSTANT (1000000000));

  g_return_val_if_fail (p != NULL, FALSE);

  if (!valid_id (p->id))
    return fail (error, "id", "must be lowercase letters, digits, '-', '.' or '_'");
  if (p->firm[0] == '\0')
    return fail (error, "firm", "must not be empty");
  if (p->product[0] == '\0')
    return fail (error, "product", "must not be empty");
  if (p->version[0] == '\0')
    return fail (error, "version", "must not be empty");
  if (!valid_date (p->effective_date))
    return fail (error, "effective_date", "must be a date YYYY-MM-DD");
  if (!valid_date (p->source_date))
    return fail (error, "source_date", "must be a date YYYY-MM-DD");
  if (p->account_size <= 0 || p->account_size > max_money)
    return fail (error, "account_size", "must be positive");
  if (p->start_balance <= 0 || p->start_balance > max_money)
    return fail (error, "start_balance", "must be positive");
  if ((guint) p->trailing_mode > EA_TRAILING_STATIC)
    return fail (error, "trailing_mode", "unknown mode");
  if (p->trailing_amount <= 0 || p->trailing_amount >= p->start_balance)
    return fail (error, "trailing_amount", "must be positive and below the start balance");
  if (p->has_lock && p->trailing_mode == EA_TRAILING_STATIC)
    return fail (error, "lock_level_offset", "a static floor has no lock level");
  if (p->has_lock && (p->lock_level_offset <= -p->trailing_amount || p->lock_level_offset > max_money))
    return fail (error, "lock_level_offset", "must lie above the initial floor (start − trailing_amount)");
  if (p->daily_loss_limit < 0 || p->daily_loss_limit > max_money)
    return fail (error, "daily_loss_limit", "must not be negative");
  if ((guint) p->daily_loss_action > EA_DAILY_LOSS_FAIL)
    return fail (error, "daily_loss_action", "must be \"pause\" or \"fail\"");
  if (p->max_contracts < 1 || p->max_contracts > 1000)
    return fail (error, "max_contracts", "must be between 1 and 1000");
  if (p->n_scaling > EA_RISK_PROFILE_MAX_SCALING)
    return fail (error, "scaling", "too many steps (at most 8)");
  for (guint i = 0; i < p->n_scaling; i++)
    {
      if (p->scaling[i].until_profit <= 0 || p->scaling[i].until_profit > max_money)
        return fail (error, "scaling", "until_profit must be positive");
      if (i > 0 && p->scaling[i].until_profit <= p->scaling[i - 1].until_profit)
        return fail (error, "scaling", "until_profit must increase from step to step");
      if (p->scaling[i].max_contracts < 1 || p->scaling[i].max_contracts > p->max_contracts)
        return fail (error, "scaling", "max_contracts must be between 1 and the profile's max_contracts");
      if (i > 0 && p->scaling[i].max_contracts < p->scaling[i - 1].max_contracts)
        return fail (error, "scaling", "max_contracts must not decrease from step to step");
    }
  if (!valid_share (p->consistency_max_share))
    return fail (error, "consistency", "max_share must be between 0 and 1");
  if (p->consistency_window_days > 366)
    return fail (error, "consistency", "window_days must be at most 366");
  if (p->max_open_loss < 0 || p->max_open_loss > max_money)
    return fail (error, "max_open_loss", "must not be negative");
  if (!valid_share (p->max_open_loss_share))
    return fail (error, "max_open_loss_share", "must be between 0 and 1");
  if (!isfinite (p->max_stop_target_ratio) || p->max_stop_target_ratio < 0 || p->max_stop_target_ratio > 100)
    return fail (error, "max_stop_target_ratio", "must be between 0 (none) and 100");
  if (p->flat_by_minutes < -1 || p->flat_by_minutes >= 24 * 60)
    return fail (error, "flat_by", "time must be HH:MM between 00:00 and 23:59");
  if (p->flat_by_minutes >= 0)
    {
      GTimeZone *tz = g_time_zone_new_identifier (p->flat_by_zone);

      if (tz == NULL)
        return fail (error, "flat_by", "zone is not a tz database name");
      g_time_zone_unref (tz);
    }
  if (p->profit_target < 0 || p->profit_target > max_money)
    return fail (error, "profit_target", "must not be negative");
  if (p->trading_days_min > 366 || p->trading_days_max > 366)
    return fail (error, "trading_days_min", "must be at most 366");
  if (p->trading_days_max != 0 && p->trading_days_max < p->trading_days_min)
    return fail (error, "trading_days_max", "must be 0 (none) or at least trading_days_min");
  if (p->n_forbidden > EA_RISK_PROFILE_MAX_FORBIDDEN)
    return fail (error, "forbidden_products", "too many roots (at most 8)");
  for (guint i = 0; i < p->n_forbidden; i++)
    {
      const char *r = p->forbidden[i];

      if (r[0] == '\0' || strnlen (r, sizeof p->forbidden[i]) >= sizeof p->forbidden[i])
        return fail (error, "forbidden_products", "a root must have 1 to 7 characters");
      for (; *r; r++)
        if (!g_ascii_isupper (*r) && !g_ascii_isdigit (*r))
          return fail (error, "forbidden_products", "a root must be uppercase letters and digits");
    }
  if (p->max_order_qty < 1 || p->max_order_qty > 1000)
    return fail (error, "max_order_qty", "must be between 1 and 1000");
  if (!isfinite (p->price_band_pct) || p->price_band_pct <= 0 || p->price_band_pct > 50)
    return fail (error, "price_band_pct", "must be above 0 and at most 50");
  if (p->orders_per_second < 1 || p->orders_per_second > 1000)
    return fail (error, "orders_per_second", "must be between 1 and 1000");
  if (p->lock_sessions < 1 || p->lock_sessions > 30)
    return fail (error, "lock_sessions", "must be between 1 and 30");

  return TRUE;
}

guint
ea_risk_profile_max_contracts_at (const EaRiskProfile *p,
                                  EaMicros             balance)
{
  for (guint i = 0; i < p->n_scaling; i++)
    if (balance < p->start_balance + p->scaling[i].until_profit)
      return p->scaling[i].max_contracts;
  return p->max_contracts;
}

gboolean
ea_risk_profile_is_forbidden (const EaRiskProfile *p,
                              const char          *root)
{
  for (guint i = 0; i < p->n_forbidden; i++)
    if (strcmp (p->forbidden[i], root) == 0)
      return TRUE;
  return FALSE;
}

/* An optional cap (0 = none) is not looser when it is set and no higher. */
static gboolean
cap_not_looser (double next,
                double prev)
{
  if (prev <= 0)
    return TRUE;
  return next > 0 && next <= prev;
}

static gboolean
scaling_not_looser (const EaRiskProfile *next,
                    const EaRiskProfile *prev)
{
  const EaRiskProfile *both[2] = { next, prev };

  if (ea_risk_profile_max_contracts_at (next, G_MAXINT64) > ea_risk_profile_max_contracts_at (prev, G_MAXINT64))
    return FALSE;
  for (guint k = 0; k < 2; k++)
    for (guint i = 0; i < both[k]->n_scaling; i++)
      {
        EaMicros b = both[k]->start_balance + both[k]->scaling[i].until_profit;

        if (ea_risk_profile_max_contracts_at (next, b) > ea_risk_profile_max_contracts_at (prev, b) ||
            ea_risk_profile_max_contracts_at (next, b - 1) > ea_risk_profile_max_contracts_at (prev, b - 1))
          return FALSE;
      }
  return TRUE;
}

gboolean
ea_risk_profile_is_not_looser (const EaRiskProfile *next,
                               const EaRiskProfile *prev)
{
  if (next->start_balance != prev->start_balance ||
      next->trailing_mode != prev->trailing_mode ||
      next->trailing_amount > prev->trailing_amount)
    return FALSE;
  if (prev->has_lock && next->has_lock && next->lock_level_offset < prev->lock_level_offset)
    return FALSE;
  if (!prev->has_lock && next->has_lock)
    return FALSE;
  if (!cap_not_looser ((double) next->daily_loss_limit, (double) prev->daily_loss_limit))
    return FALSE;
  if (prev->daily_loss_action == EA_DAILY_LOSS_FAIL && next->daily_loss_action != EA_DAILY_LOSS_FAIL)
    return FALSE;
  if (next->max_contracts > prev->max_contracts || !scaling_not_looser (next, prev))
    return FALSE;
  if (!cap_not_looser ((double) next->max_open_loss, (double) prev->max_open_loss) ||
      !cap_not_looser (next->max_open_loss_share, prev->max_open_loss_share) ||
      !cap_not_looser (next->max_stop_target_ratio, prev->max_stop_target_ratio))
    return FALSE;
  if (prev->flat_by_minutes >= 0 &&
      (next->flat_by_minutes < 0 || next->flat_by_minutes > prev->flat_by_minutes ||
       strcmp (next->flat_by_zone, prev->flat_by_zone) != 0))
    return FALSE;
  if (!prev->weekend_holding && next->weekend_holding)
    return FALSE;
  if ((!prev->hedging_allowed && next->hedging_allowed) || (prev->stop_required && !next->stop_required))
    return FALSE;
  for (guint i = 0; i < prev->n_forbidden; i++)
    if (!ea_risk_profile_is_forbidden (next, prev->forbidden[i]))
      return FALSE;
  if (next->max_order_qty > prev->max_order_qty ||
      next->price_band_pct > prev->price_band_pct ||
      next->orders_per_second > prev->orders_per_second ||
      next->lock_sessions < prev->lock_sessions)
    return FALSE;
  return TRUE;
}

GVariant *
ea_risk_profile_to_variant (const EaRiskProfile *p)
{
  GVariantBuilder b;
  GVariantBuilder arr;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const EaProfileField *f = &fields[i];
      const guint8 *at = (const guint8 *) p + f->offset;
      GVariant *v = NULL;

      switch (f->type)
        {
        case EA_PROFILE_FIELD_STRING:
          v = g_variant_new_string ((const char *) at);
          break;
        case EA_PROFILE_FIELD_MICROS:
          v = g_variant_new_int64 (*(const EaMicros *) at);
          break;
        case EA_PROFILE_FIELD_UINT:
          v = g_variant_new_uint32 (*(const guint *) at);
          break;
        case EA_PROFILE_FIELD_INT:
          v = g_variant_new_int32 (*(const gint *) at);
          break;
        case EA_PROFILE_FIELD_DOUBLE:
          v = g_variant_new_double (*(const double *) at);
          break;
        case EA_PROFILE_FIELD_BOOL:
          v = g_variant_new_boolean (*(const gboolean *) at);
          break;
        case EA_PROFILE_FIELD_TRAILING_MODE:
          v = g_variant_new_string (ea_trailing_mode_to_string (*(const EaTrailingMode *) at));
          break;
        case EA_PROFILE_FIELD_DAILY_LOSS_ACTION:
          v = g_variant_new_string (ea_daily_loss_action_to_string (*(const EaDailyLossAction *) at));
          break;
        default:
          g_assert_not_reached ();
        }
      g_variant_builder_add (&b, "{sv}", f->name, v);
    }

  g_variant_builder_init (&arr, G_VARIANT_TYPE ("a(xu)"));
  for (guint i = 0; i < p->n_scaling; i++)
    g_variant_builder_add (&arr, "(xu)", (gint64) p->scaling[i].until_profit, p->scaling[i].max_contracts);
  g_variant_builder_add (&b, "{sv}", "scaling", g_variant_builder_end (&arr));

  g_variant_builder_init (&arr, G_VARIANT_TYPE_STRING_ARRAY);
  for (guint i = 0; i < p->n_forbidden; i++)
    g_variant_builder_add (&arr, "s", p->forbidden[i]);
  g_variant_builder_add (&b, "{sv}", "forbidden_products", g_variant_builder_end (&arr));

  return g_variant_builder_end (&b);
}

static gboolean
malformed (GError    **error,
           const char *field,
           const char *reason)
{
  g_set_error (error, EA_RISK_PROFILE_ERROR, EA_RISK_PROFILE_ERROR_MALFORMED,
               "%s: %s", field, reason);
  return FALSE;
}

static const GVariantType *
field_variant_type (EaProfileFieldType type)
{
  switch (type)
    {
    case EA_PROFILE_FIELD_STRING:
    case EA_PROFILE_FIELD_TRAILING_MODE:
    case EA_PROFILE_FIELD_DAILY_LOSS_ACTION:
      return G_VARIANT_TYPE_STRING;
    case EA_PROFILE_FIELD_MICROS:
      return G_VARIANT_TYPE_INT64;
    case EA_PROFILE_FIELD_UINT:
      return G_VARIANT_TYPE_UINT32;
    case EA_PROFILE_FIELD_INT:
      return G_VARIANT_TYPE_INT32;
    case EA_PROFILE_FIELD_DOUBLE:
      return G_VARIANT_TYPE_DOUBLE;
    case EA_PROFILE_FIELD_BOOL:
      return G_VARIANT_TYPE_BOOLEAN;
    default:
      g_assert_not_reached ();
    }
}

gboolean
ea_risk_profile_from_variant (GVariant      *variant,
                              EaRiskProfile *out,
                              GError       **error)
{
  EaRiskProfile p;
  g_autoptr(GVariant) scaling = NULL;
  g_autoptr(GVariant) forbidden = NULL;
  GVariantIter iter;
  gint64 until;
  guint32 maxc;
  const char *root;

  if (variant == NULL || !g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT))
    return malformed (error, "profile", "not a dictionary");

  ea_risk_profile_init_defaults (&p);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const EaProfileField *f = &fields[i];
      guint8 *at = (guint8 *) &p + f->offset;
      g_autoptr(GVariant) v = g_variant_lookup_value (variant, f->name, field_variant_type (f->type));

      if (v == NULL)
        return malformed (error, f->name, "missing or of the wrong type");
      switch (f->type)
        {
        case EA_PROFILE_FIELD_STRING:
          if (g_strlcpy ((char *) at, g_variant_get_string (v, NULL), f->size) >= f->size)
            return malformed (error, f->name, "too long");
          break;
        case EA_PROFILE_FIELD_MICROS:
          *(EaMicros *) at = g_variant_get_int64 (v);
          break;
        case EA_PROFILE_FIELD_UINT:
          *(guint *) at = g_variant_get_uint32 (v);
          break;
        case EA_PROFILE_FIELD_INT:
          *(gint *) at = g_variant_get_int32 (v);
          break;
        case EA_PROFILE_FIELD_DOUBLE:
          *(double *) at = g_variant_get_double (v);
          break;
        case EA_PROFILE_FIELD_BOOL:
          *(gboolean *) at = g_variant_get_boolean (v);
          break;
        case EA_PROFILE_FIELD_TRAILING_MODE:
          if (!ea_trailing_mode_from_string (g_variant_get_string (v, NULL), (EaTrailingMode *) at))
            return malformed (error, f->name, "unknown mode");
          break;
        case EA_PROFILE_FIELD_DAILY_LOSS_ACTION:
          if (!ea_daily_loss_action_from_string (g_variant_get_string (v, NULL), (EaDailyLossAction *) at))
            return malformed (error, f->name, "unknown action");
          break;
        default:
          g_assert_not_reached ();
        }
    }

  scaling = g_variant_lookup_value (variant, "scaling", G_VARIANT_TYPE ("a(xu)"));
  forbidden = g_variant_lookup_value (variant, "forbidden_products", G_VARIANT_TYPE_STRING_ARRAY);
  if (scaling == NULL)
    return malformed (error, "scaling", "missing or of the wrong type");
  if (forbidden == NULL)
    return malformed (error, "forbidden_products", "missing or of the wrong type");
  if (g_variant_n_children (scaling) > EA_RISK_PROFILE_MAX_SCALING)
    return malformed (error, "scaling", "too many steps");
  if (g_variant_n_children (forbidden) > EA_RISK_PROFILE_MAX_FORBIDDEN)
    return malformed (error, "forbidden_products", "too many roots");

  g_variant_iter_init (&iter, scaling);
  while (g_variant_iter_next (&iter, "(xu)", &until, &maxc))
    {
      p.scaling[p.n_scaling].until_profit = until;
      p.scaling[p.n_scaling].max_contracts = maxc;
      p.n_scaling++;
    }
  g_variant_iter_init (&iter, forbidden);
  while (g_variant_iter_next (&iter, "&s", &root))
    {
      if (g_strlcpy (p.forbidden[p.n_forbidden], root, sizeof p.forbidden[0]) >= sizeof p.forbidden[0])
        return malformed (error, "forbidden_products", "root too long");
      p.n_forbidden++;
    }

  if (!ea_risk_profile_validate (&p, error))
    return FALSE;

  *out = p;
  return TRUE;
}
