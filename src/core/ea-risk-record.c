/* ea-risk-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine's whole state as one compact GVariant record, so the journal
 * can persist it and a restart restores it exactly: peak, floor, day P&L,
 * locks (a breached account stays locked), positions and the global latch.
 * Restoring is all or nothing.
 */
#define G_LOG_DOMAIN "ea-risk"

#include "config.h"

#include <string.h>

#include "ea-risk-private.h"

#define RECORD_VERSION 1

static GVariant *
account_to_variant (const EaRiskAccount *a)
{
  GVariantBuilder b, arr;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "id", g_variant_new_string (a->id));
  g_variant_builder_add (&b, "{sv}", "profile", ea_risk_profile_to_variant (&a->profile));
  g_variant_builder_add (&b, "{sv}", "safety", g_variant_new_uint32 (a->safety_pct));
  g_variant_builder_add (&b, "{sv}", "fees", g_variant_new_int64 (a->fees));
  g_variant_builder_add (&b, "{sv}", "margin_override", g_variant_new_int64 (a->margin_override));
  g_variant_builder_add (&b, "{sv}", "reconciling", g_variant_new_boolean (a->reconciling));
  g_variant_builder_add (&b, "{sv}", "halted", g_variant_new_boolean (a->halted));
  g_variant_builder_add (&b, "{sv}", "balance", g_variant_new_int64 (a->balance));
  g_variant_builder_add (&b, "{sv}", "equity", g_variant_new_int64 (a->equity));
  g_variant_builder_add (&b, "{sv}", "peak", g_variant_new_int64 (a->peak));
  g_variant_builder_add (&b, "{sv}", "floor", g_variant_new_int64 (a->floor));
  g_variant_builder_add (&b, "{sv}", "floor_locked", g_variant_new_boolean (a->floor_locked));
  g_variant_builder_add (&b, "{sv}", "failed", g_variant_new_boolean (a->failed));
  g_variant_builder_add (&b, "{sv}", "day_start", g_variant_new_int64 (a->day_start));
  g_variant_builder_add (&b, "{sv}", "day_start_balance", g_variant_new_int64 (a->day_start_balance));
  g_variant_builder_add (&b, "{sv}", "next_close", g_variant_new_int64 (a->next_close));
  g_variant_builder_add (&b, "{sv}", "lock_until", g_variant_new_int64 (a->lock_until));
  g_variant_builder_add (&b, "{sv}", "lock_reason", g_variant_new_string (a->lock_reason));
  g_variant_builder_add (&b, "{sv}", "warned", g_variant_new_uint32 (a->warned_mask));
  g_variant_builder_add (&b, "{sv}", "reducing", g_variant_new_boolean (a->reducing));
  g_variant_builder_add (&b, "{sv}", "low_margin", g_variant_new_boolean (a->low_margin));
  g_variant_builder_add (&b, "{sv}", "flat_notified", g_variant_new_boolean (a->flat_notified));
  g_variant_builder_add (&b, "{sv}", "day_traded", g_variant_new_boolean (a->day_traded));
  g_variant_builder_add (&b, "{sv}", "days_traded", g_variant_new_uint32 (a->days_traded));
  g_variant_builder_add (&b, "{sv}", "tokens", g_variant_new_int64 (a->tokens));
  g_variant_builder_add (&b, "{sv}", "tokens_at", g_variant_new_int64 (a->tokens_at));

  /* Closed days, oldest first. */
  g_variant_builder_init (&arr, G_VARIANT_TYPE ("ax"));
  for (guint i = 0; i < a->n_days; i++)
    g_variant_builder_add (&arr, "x",
                           (gint64) a->days[(a->day_head + EA_RISK_MAX_DAYS - a->n_days + i) % EA_RISK_MAX_DAYS]);
  g_variant_builder_add (&b, "{sv}", "days", g_variant_builder_end (&arr));

  g_variant_builder_init (&arr, G_VARIANT_TYPE ("a(sxdbx)"));
  for (guint i = 0; i < a->n_pos; i++)
    g_variant_builder_add (&arr, "(sxdbx)", a->pos[i].spec->root, (gint64) a->pos[i].qty,
                           a->pos[i].entry, a->pos[i].has_stop, (gint64) a->pos[i].stop);
  g_variant_builder_add (&b, "{sv}", "positions", g_variant_builder_end (&arr));

  return g_variant_builder_end (&b);
}

GVariant *
ea_risk_engine_save (EaRiskEngine *e)
{
  GVariantBuilder b, arr;

  g_return_val_if_fail (e != NULL, NULL);

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "version", g_variant_new_uint32 (RECORD_VERSION));
  g_variant_builder_add (&b, "{sv}", "global_state",
                         g_variant_new_string (ea_trading_state_to_string (e->global_state)));
  g_variant_builder_add (&b, "{sv}", "global_until", g_variant_new_int64 (e->global_until));
  g_variant_builder_add (&b, "{sv}", "global_reason", g_variant_new_string (e->global_reason));

  g_variant_builder_init (&arr, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < e->n_acct; i++)
    g_variant_builder_add_value (&arr, account_to_variant (&e->acct[i]));
  g_variant_builder_add (&b, "{sv}", "accounts", g_variant_builder_end (&arr));

  g_variant_builder_init (&arr, G_VARIANT_TYPE ("a(sx)"));
  for (guint i = 0; i < e->n_quotes; i++)
    g_variant_builder_add (&arr, "(sx)", e->quotes[i].spec->root, (gint64) e->quotes[i].last);
  g_variant_builder_add (&b, "{sv}", "quotes", g_variant_builder_end (&arr));

  return g_variant_ref_sink (g_variant_builder_end (&b));
}

static gboolean
bad (GError    **error,
     guint       account,
     const char *field,
     const char *reason)
{
  if (account == G_MAXUINT)
    g_set_error (error, EA_RISK_ERROR, EA_RISK_ERROR_MALFORMED, "risk record: %s: %s", field, reason);
  else
    g_set_error (error, EA_RISK_ERROR, EA_RISK_ERROR_MALFORMED,
                 "risk record: accounts[%u].%s: %s", account, field, reason);
  return FALSE;
}

#define NEED(dict, key, fmt, ptr, idx) \
  G_STMT_START { \
    if (!g_variant_lookup ((dict), (key), (fmt), (ptr))) \
      return bad (error, (idx), (key), "missing or of the wrong type"); \
  } G_STMT_END

static gboolean
account_from_variant (GVariant      *v,
                      guint          idx,
                      EaRiskAccount *a,
                      GError       **error)
{
  g_autoptr(GVariant) profile = NULL;
  g_autoptr(GVariant) days = NULL;
  g_autoptr(GVariant) positions = NULL;
  g_autoptr(GError) local = NULL;
  const char *id, *reason;
  gint64 i64;
  guint32 u32;
  gboolean b;
  GVariantIter iter;
  const char *root;
  gint64 qty, stop;
  double entry;
  gboolean has_stop;

  memset (a, 0, sizeof *a);
  NEED (v, "id", "&s", &id, idx);
  if (strlen (id) == 0 || g_strlcpy (a->id, id, sizeof a->id) >= sizeof a->id)
    return bad (error, idx, "id", "must have 1 to 63 bytes");
  profile = g_variant_lookup_value (v, "profile", G_VARIANT_TYPE_VARDICT);
  if (profile == NULL)
    return bad (error, idx, "profile", "missing or of the wrong type");
  if (!ea_risk_profile_from_variant (profile, &a->profile, &local))
    return bad (error, idx, "profile", local->message);

  NEED (v, "safety", "u", &u32, idx);
  if (u32 < 5 || u32 > 100)
    return bad (error, idx, "safety", "outside 5–100");
  a->safety_pct = u32;
  NEED (v, "fees", "x", &i64, idx); a->fees = i64;
  if (a->fees < 0)
    return bad (error, idx, "fees", "negative");
  NEED (v, "margin_override", "x", &i64, idx); a->margin_override = i64;
  NEED (v, "reconciling", "b", &b, idx); a->reconciling = b;
  NEED (v, "halted", "b", &b, idx); a->halted = b;
  NEED (v, "balance", "x", &i64, idx); a->balance = i64;
  NEED (v, "equity", "x", &i64, idx); a->equity = i64;
  NEED (v, "peak", "x", &i64, idx); a->peak = i64;
  NEED (v, "floor", "x", &i64, idx); a->floor = i64;
  NEED (v, "floor_locked", "b", &b, idx); a->floor_locked = b;
  NEED (v, "failed", "b", &b, idx); a->failed = b;
  NEED (v, "day_start", "x", &i64, idx); a->day_start = i64;
  NEED (v, "day_start_balance", "x", &i64, idx); a->day_start_balance = i64;
  NEED (v, "next_close", "x", &i64, idx); a->next_close = i64;
  NEED (v, "lock_until", "x", &i64, idx); a->lock_until = i64;
  NEED (v, "lock_reason", "&s", &reason, idx);
  g_strlcpy (a->lock_reason, reason, sizeof a->lock_reason);
  NEED (v, "warned", "u", &u32, idx); a->warned_mask = u32;
  NEED (v, "reducing", "b", &b, idx); a->reducing = b;
  NEED (v, "low_margin", "b", &b, idx); a->low_margin = b;
  NEED (v, "flat_notified", "b", &b, idx); a->flat_notified = b;
  NEED (v, "day_traded", "b", &b, idx); a->day_traded = b;
  NEED (v, "days_traded", "u", &u32, idx); a->days_traded = u32;
  NEED (v, "tokens", "x", &i64, idx); a->tokens = i64;
  NEED (v, "tokens_at", "x", &i64, idx); a->tokens_at = i64;

  if (a->peak < a->profile.start_balance || a->floor > a->peak || a->lock_until < 0)
    return bad (error, idx, "floor", "inconsistent peak, floor or lock");
  if (a->failed && a->lock_until != EA_RISK_LOCK_FOREVER)
    return bad (error, idx, "failed", "a failed account must stay locked");

  days = g_variant_lookup_value (v, "days", G_VARIANT_TYPE ("ax"));
  if (days == NULL)
    return bad (error, idx, "days", "missing or of the wrong type");
  if (g_variant_n_children (days) > EA_RISK_MAX_DAYS)
    return bad (error, idx, "days", "too many days");
  g_variant_iter_init (&iter, days);
  while (g_variant_iter_next (&iter, "x", &i64))
    a->days[a->n_days++] = i64;
  a->day_head = a->n_days % EA_RISK_MAX_DAYS;

  positions = g_variant_lookup_value (v, "positions", G_VARIANT_TYPE ("a(sxdbx)"));
  if (positions == NULL)
    return bad (error, idx, "positions", "missing or of the wrong type");
  if (g_variant_n_children (positions) > EA_RISK_MAX_POSITIONS)
    return bad (error, idx, "positions", "too many positions");
  g_variant_iter_init (&iter, positions);
  while (g_variant_iter_next (&iter, "(&sxdbx)", &root, &qty, &entry, &has_stop, &stop))
    {
      const EaInstrumentSpec *spec = ea_instrument_lookup (root);

      if (spec == NULL)
        return bad (error, idx, "positions", "unknown instrument root");
      if (qty == 0)
        continue;
      a->pos[a->n_pos].spec = spec;
      a->pos[a->n_pos].qty = qty;
      a->pos[a->n_pos].entry = entry;
      a->pos[a->n_pos].has_stop = has_stop;
      a->pos[a->n_pos].stop = stop;
      a->n_pos++;
    }

  _ea_risk_refresh_limits (a);
  return TRUE;
}

EaRiskEngine *
ea_risk_engine_restore (GVariant *record,
                        GError  **error)
{
  g_autoptr(EaRiskEngine) e = NULL;
  g_autoptr(GVariant) accounts = NULL;
  g_autoptr(GVariant) quotes = NULL;
  const char *state, *reason;
  guint32 version;
  gint64 until;
  GVariantIter iter;
  GVariant *child;
  const char *root;
  gint64 last;

  if (record == NULL || !g_variant_is_of_type (record, G_VARIANT_TYPE_VARDICT))
    {
      bad (error, G_MAXUINT, "record", "not a dictionary");
      return NULL;
    }

  e = ea_risk_engine_new ();
  if (!g_variant_lookup (record, "version", "u", &version) || version != RECORD_VERSION)
    {
      bad (error, G_MAXUINT, "version", "missing or unsupported");
      return NULL;
    }
  if (!g_variant_lookup (record, "global_state", "&s", &state) ||
      !ea_trading_state_from_string (state, &e->global_state))
    {
      bad (error, G_MAXUINT, "global_state", "missing or unknown");
      return NULL;
    }
  if (!g_variant_lookup (record, "global_until", "x", &until) ||
      !g_variant_lookup (record, "global_reason", "&s", &reason))
    {
      bad (error, G_MAXUINT, "global_until", "missing or of the wrong type");
      return NULL;
    }
  e->global_until = until;
  g_strlcpy (e->global_reason, reason, sizeof e->global_reason);

  accounts = g_variant_lookup_value (record, "accounts", G_VARIANT_TYPE ("aa{sv}"));
  if (accounts == NULL || g_variant_n_children (accounts) > EA_RISK_MAX_ACCOUNTS)
    {
      bad (error, G_MAXUINT, "accounts", "missing, of the wrong type or too many");
      return NULL;
    }
  g_variant_iter_init (&iter, accounts);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      gboolean ok = account_from_variant (child, e->n_acct, &e->acct[e->n_acct], error);

      g_variant_unref (child);
      if (!ok)
        return NULL;
      for (guint i = 0; i < e->n_acct; i++)
        if (strcmp (e->acct[i].id, e->acct[e->n_acct].id) == 0)
          {
            bad (error, e->n_acct, "id", "duplicate account id");
            return NULL;
          }
      e->n_acct++;
    }

  quotes = g_variant_lookup_value (record, "quotes", G_VARIANT_TYPE ("a(sx)"));
  if (quotes == NULL || g_variant_n_children (quotes) > EA_RISK_MAX_QUOTES)
    {
      bad (error, G_MAXUINT, "quotes", "missing, of the wrong type or too many");
      return NULL;
    }
  g_variant_iter_init (&iter, quotes);
  while (g_variant_iter_next (&iter, "(&sx)", &root, &last))
    {
      const EaInstrumentSpec *spec = ea_instrument_lookup (root);

      if (spec == NULL)
        {
          bad (error, G_MAXUINT, "quotes", "unknown instrument root");
          return NULL;
        }
      ea_risk_engine_set_last_price (e, spec, last);
    }

  return g_steal_pointer (&e);
}
