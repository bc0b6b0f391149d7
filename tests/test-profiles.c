/* test-profiles.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every built-in prop-firm profile loads from the resources with the
 * figures of DOMAIN §6; malformed files give a precise error (file, field,
 * reason) and leave the target untouched; user profiles copy, edit, save.
 */
#include "config.h"

#include <string.h>

#include "ea-profile-store.h"
#include "ea-risk.h"

#define USD(x) ((EaMicros) ((x) * 1000000.0 + 0.5))

static const char * const builtin_ids[] = {
  "apex-4.0-eod-100k", "apex-4.0-eod-150k", "apex-4.0-eod-25k", "apex-4.0-eod-50k",
  "apex-4.0-intraday-100k", "apex-4.0-intraday-150k", "apex-4.0-intraday-25k", "apex-4.0-intraday-50k",
  "apex-legacy-100k", "apex-legacy-150k", "apex-legacy-250k", "apex-legacy-25k",
  "apex-legacy-300k", "apex-legacy-50k",
  "custom-preset-50k", "earn2trade-preset-50k", "ftmo-preset-100k", "topstep-preset-100k",
};

static void
test_builtin_all_load (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaProfileStore) store = ea_profile_store_new (&error);
  g_auto(GStrv) ids = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (store);
  ids = ea_profile_store_list_ids (store);
  g_assert_cmpuint (g_strv_length (ids), ==, G_N_ELEMENTS (builtin_ids));

  for (guint i = 0; i < G_N_ELEMENTS (builtin_ids); i++)
    {
      const EaRiskProfile *p = ea_profile_store_lookup (store, builtin_ids[i]);
      g_autofree char *json = NULL;
      g_autoptr(GVariant) a = NULL;
      g_autoptr(GVariant) b = NULL;
      EaRiskProfile back;

      g_assert_cmpstr (ids[i], ==, builtin_ids[i]);
      g_assert_nonnull (p);
      g_assert_true (ea_profile_store_is_builtin (store, builtin_ids[i]));
      g_assert_true (ea_risk_profile_validate (p, NULL));
      g_assert_true (g_str_has_prefix (p->note, "Verify with your firm."));
      g_assert_cmpstr (p->source_date, ==, "2026-06-15");
      g_assert_cmpint (p->start_balance, ==, p->account_size);

      /* JSON round trip: the same profile comes back. */
      json = ea_profile_to_json (p);
      g_assert_true (ea_profile_parse (json, -1, "round-trip", &back, &error));
      g_assert_no_error (error);
      a = g_variant_ref_sink (ea_risk_profile_to_variant (p));
      b = g_variant_ref_sink (ea_risk_profile_to_variant (&back));
      g_assert_true (g_variant_equal (a, b));
    }
}

static void
test_builtin_figures (void)
{
  static const struct { const char *id; double size, trailing; guint max, half; double target; } legacy[] = {
    { "apex-legacy-25k",  25000,  1500, 4,  2,  1500 },
    { "apex-legacy-50k",  50000,  2500, 10, 5,  3000 },
    { "apex-legacy-100k", 100000, 3000, 14, 7,  6000 },
    { "apex-legacy-150k", 150000, 5000, 17, 8,  9000 },
    { "apex-legacy-250k", 250000, 6500, 27, 13, 15000 },
    { "apex-legacy-300k", 300000, 7500, 35, 17, 20000 },
  };
  static const struct {
    const char *id; EaTrailingMode mode; double dd, daily; EaDailyLossAction action; guint max; double target;
  } presets[] = {
    { "topstep-preset-100k",   EA_TRAILING_EOD,    5000,  2500, EA_DAILY_LOSS_PAUSE, 5,  5000 },
    { "ftmo-preset-100k",      EA_TRAILING_STATIC, 10000, 5000, EA_DAILY_LOSS_FAIL,  10, 10000 },
    { "earn2trade-preset-50k", EA_TRAILING_EOD,    4000,  2000, EA_DAILY_LOSS_PAUSE, 6,  4000 },
    { "custom-preset-50k",     EA_TRAILING_STATIC, 4000,  2000, EA_DAILY_LOSS_PAUSE, 5,  4000 },
  };
  g_autoptr(EaProfileStore) store = ea_profile_store_new (NULL);
  const EaRiskProfile *p;

  for (guint i = 0; i < G_N_ELEMENTS (legacy); i++)
    {
      p = ea_profile_store_lookup (store, legacy[i].id);
      g_assert_cmpint (p->trailing_mode, ==, EA_TRAILING_INTRADAY_UNREALIZED);
      g_assert_cmpint (p->start_balance, ==, USD (legacy[i].size));
      g_assert_cmpint (p->trailing_amount, ==, USD (legacy[i].trailing));
      g_assert_true (p->has_lock);
      g_assert_cmpint (p->lock_level_offset, ==, USD (100));
      g_assert_cmpuint (p->max_contracts, ==, legacy[i].max);
      g_assert_cmpuint (p->n_scaling, ==, 1);
      g_assert_cmpint (p->scaling[0].until_profit, ==, USD (legacy[i].trailing + 100));
      g_assert_cmpuint (p->scaling[0].max_contracts, ==, legacy[i].half);
      g_assert_cmpint (p->profit_target, ==, USD (legacy[i].target));
      g_assert_cmpfloat (p->consistency_max_share, ==, 0.30);
      g_assert_cmpfloat (p->max_open_loss_share, ==, 0.30);
      g_assert_cmpfloat (p->max_stop_target_ratio, ==, 5.0);
      g_assert_cmpint (p->flat_by_minutes, ==, 16 * 60 + 59);
      g_assert_cmpstr (p->flat_by_zone, ==, "America/New_York");
      g_assert_false (p->hedging_allowed);
      g_assert_cmpint (p->daily_loss_limit, ==, 0);
    }

  p = ea_profile_store_lookup (store, "apex-4.0-eod-50k");
  g_assert_cmpint (p->trailing_mode, ==, EA_TRAILING_EOD);
  g_assert_cmpint (p->trailing_amount, ==, USD (2500));
  g_assert_cmpint (p->start_balance + p->lock_level_offset, ==, USD (50100));
  g_assert_cmpint (p->profit_target, ==, USD (3000));
  g_assert_cmpint (p->daily_loss_action, ==, EA_DAILY_LOSS_PAUSE);
  g_assert_cmpint (p->daily_loss_limit, >, 0);
  g_assert_cmpfloat (p->consistency_max_share, ==, 0.50);
  g_assert_cmpstr (p->effective_date, ==, "2026-03-01");
  p = ea_profile_store_lookup (store, "apex-4.0-intraday-50k");
  g_assert_cmpint (p->trailing_mode, ==, EA_TRAILING_INTRADAY_UNREALIZED);
  g_assert_cmpint (p->daily_loss_limit, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      p = ea_profile_store_lookup (store, presets[i].id);
      g_assert_cmpint (p->trailing_mode, ==, presets[i].mode);
      g_assert_cmpint (p->trailing_amount, ==, USD (presets[i].dd));
      g_assert_cmpint (p->daily_loss_limit, ==, USD (presets[i].daily));
      g_assert_cmpint (p->daily_loss_action, ==, presets[i].action);
      g_assert_cmpuint (p->max_contracts, ==, presets[i].max);
      g_assert_cmpint (p->profit_target, ==, USD (presets[i].target));
    }
}

/* The built-in Apex legacy 50K drives the engine to the worked numbers. */
static void
test_builtin_in_engine (void)
{
  g_autoptr(EaProfileStore) store = ea_profile_store_new (NULL);
  g_autoptr(EaRiskEngine) e = ea_risk_engine_new ();
  g_autoptr(GDateTime) t = g_date_time_new_utc (2026, 11, 24, 15, 0, 0);
  EaTimeUs now = g_date_time_to_unix (t) * G_USEC_PER_SEC;
  EaRiskStatus s;

  g_assert_cmpint (ea_risk_engine_add_account (e, "APEX-1", ea_profile_store_lookup (store, "apex-legacy-50k"),
                                               100, now, NULL), ==, 0);
  ea_risk_engine_get_status (e, 0, now, &s);
  g_assert_cmpint (s.floor, ==, USD (47500));
  ea_risk_engine_update_equity (e, 0, USD (50000), USD (51200), now + 1);
  ea_risk_engine_get_status (e, 0, now + 1, &s);
  g_assert_cmpint (s.floor, ==, USD (48700));
  ea_risk_engine_update_equity (e, 0, USD (52600), USD (52600), now + 2);
  ea_risk_engine_get_status (e, 0, now + 2, &s);
  g_assert_cmpint (s.floor, ==, USD (50100));
  g_assert_true (s.floor_locked);
  g_assert_cmpuint (s.max_contracts, ==, 10);
}

static void
test_malformed_files (void)
{
  static const struct {
    const char *file;
    gint code;
    const char *field_reason;
  } cases[] = {
    { "not-json.json",             EA_PROFILE_STORE_ERROR_PARSE,         "not valid JSON" },
    { "array-root.json",           EA_PROFILE_STORE_ERROR_PARSE,         "the document must be a JSON object" },
    { "missing-field.json",        EA_PROFILE_STORE_ERROR_MISSING,       "trailing_amount: missing" },
    { "bad-mode.json",             EA_PROFILE_STORE_ERROR_INVALID,       "trailing_mode: must be \"intraday-unrealized\"" },
    { "unknown-field.json",        EA_PROFILE_STORE_ERROR_UNKNOWN_FIELD, "trailing_ammount: unknown field" },
    { "bad-scaling.json",          EA_PROFILE_STORE_ERROR_INVALID,       "scaling: max_contracts must be between 1 and the profile's max_contracts" },
    { "bad-scaling-key.json",      EA_PROFILE_STORE_ERROR_UNKNOWN_FIELD, "scaling[0].max: unknown field" },
    { "bad-money.json",            EA_PROFILE_STORE_ERROR_INVALID,       "daily_loss_limit: not a decimal amount of dollars" },
    { "bad-flat-by.json",          EA_PROFILE_STORE_ERROR_INVALID,       "flat_by.time: must be between 00:00 and 23:59" },
    { "bad-zone.json",             EA_PROFILE_STORE_ERROR_INVALID,       "flat_by: zone is not a tz database name" },
    { "negative-trailing.json",    EA_PROFILE_STORE_ERROR_INVALID,       "trailing_amount: must be positive" },
    { "fractional-contracts.json", EA_PROFILE_STORE_ERROR_INVALID,       "max_contracts: must be a whole number" },
    { "bad-date.json",             EA_PROFILE_STORE_ERROR_INVALID,       "source_date: must be a date YYYY-MM-DD" },
    { "bad-bool.json",             EA_PROFILE_STORE_ERROR_INVALID,       "hedging_allowed: must be true or false" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "profiles", cases[i].file, NULL);
      g_autofree char *expected = g_strdup_printf ("%s: %s", path, cases[i].field_reason);
      g_autoptr(GError) error = NULL;
      EaRiskProfile before, p;

      /* Never half-applied: the target keeps its old contents. */
      ea_risk_profile_init_defaults (&p);
      before = p;
      g_assert_false (ea_profile_load_file (path, &p, &error));
      g_assert_error (error, EA_PROFILE_STORE_ERROR, cases[i].code);
      if (!g_str_has_prefix (error->message, expected))
        g_error ("%s: got \"%s\", expected a message starting \"%s\"", cases[i].file, error->message, expected);
      g_assert_cmpmem (&p, sizeof p, &before, sizeof before);
    }

  {
    g_autoptr(GError) error = NULL;
    EaRiskProfile p;

    g_assert_false (ea_profile_load_file ("/nonexistent/profile.json", &p, &error));
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  }
}

/* Money in JSON: integers, decimals and strings convert exactly. */
static void
test_money_forms (void)
{
  static const struct { const char *json; EaMicros expected; } cases[] = {
    { "2500",        USD (2500) },
    { "2500.5",      USD (2500.5) },
    { "\"2500.25\"", USD (2500.25) },
    { "\"1,500.125\"", 1500125000 },
    { "0.000001",    1 },
  };
  g_autoptr(EaProfileStore) store = ea_profile_store_new (NULL);
  const EaRiskProfile *src = ea_profile_store_lookup (store, "custom-preset-50k");
  g_autofree char *json = ea_profile_to_json (src);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) doc = g_string_new (json);
      g_autofree char *needle = g_strdup ("\"daily_loss_limit\" : 2000");
      g_autofree char *repl = g_strdup_printf ("\"daily_loss_limit\" : %s", cases[i].json);
      g_autoptr(GError) error = NULL;
      EaRiskProfile p;

      g_assert_cmpuint (g_string_replace (doc, needle, repl, 1), ==, 1);
      g_assert_true (ea_profile_parse (doc->str, -1, "money", &p, &error));
      g_assert_no_error (error);
      g_assert_cmpint (p.daily_loss_limit, ==, cases[i].expected);
    }
}

static void
changed_cb (EaProfileStore *store,
            const char     *id,
            guint          *count)
{
  (*count)++;
}

static void
test_user_profiles (void)
{
  g_autoptr(EaProfileStore) store = ea_profile_store_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_auto(GStrv) ids = NULL;
  EaRiskProfile p, bad;
  guint changes = 0;

  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &changes);

  g_assert_true (ea_profile_store_copy (store, "apex-legacy-50k", "my-apex-50k", &p, &error));
  g_assert_no_error (error);
  g_assert_null (ea_profile_store_lookup (store, "my-apex-50k")); /* not saved yet */
  p.max_contracts = 8;
  p.scaling[0].max_contracts = 4;
  g_assert_true (ea_profile_store_save_user (store, &p, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (ea_profile_store_lookup (store, "my-apex-50k")->max_contracts, ==, 8);
  g_assert_false (ea_profile_store_is_builtin (store, "my-apex-50k"));
  ids = ea_profile_store_list_ids (store);
  g_assert_cmpstr (ids[G_N_ELEMENTS (builtin_ids)], ==, "my-apex-50k");

  /* A copy onto an existing id, a save over a built-in one, and an
   * invalid edit are refused; the stored profile is untouched. */
  g_assert_false (ea_profile_store_copy (store, "apex-legacy-50k", "my-apex-50k", &bad, &error));
  g_assert_error (error, EA_PROFILE_STORE_ERROR, EA_PROFILE_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  bad = p;
  g_strlcpy (bad.id, "apex-legacy-50k", sizeof bad.id);
  g_assert_false (ea_profile_store_save_user (store, &bad, &error));
  g_assert_error (error, EA_PROFILE_STORE_ERROR, EA_PROFILE_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  bad = p;
  bad.scaling[0].max_contracts = 9;
  g_assert_false (ea_profile_store_save_user (store, &bad, &error));
  g_assert_error (error, EA_PROFILE_STORE_ERROR, EA_PROFILE_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "my-apex-50k: scaling:"));
  g_clear_error (&error);
  g_assert_cmpuint (ea_profile_store_lookup (store, "my-apex-50k")->scaling[0].max_contracts, ==, 4);
  g_assert_cmpuint (changes, ==, 1);

  /* The journal's path: JSON out, remove, JSON back in. */
  json = ea_profile_to_json (ea_profile_store_lookup (store, "my-apex-50k"));
  g_assert_true (ea_profile_store_remove_user (store, "my-apex-50k", &error));
  g_assert_null (ea_profile_store_lookup (store, "my-apex-50k"));
  g_assert_false (ea_profile_store_remove_user (store, "my-apex-50k", &error));
  g_assert_error (error, EA_PROFILE_STORE_ERROR, EA_PROFILE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (ea_profile_store_restore_user (store, json, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ea_profile_store_lookup (store, "my-apex-50k")->max_contracts, ==, 8);
  g_assert_cmpuint (changes, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/profiles/builtin/all-load", test_builtin_all_load);
  g_test_add_func ("/profiles/builtin/figures", test_builtin_figures);
  g_test_add_func ("/profiles/builtin/in-engine", test_builtin_in_engine);
  g_test_add_func ("/profiles/malformed-files", test_malformed_files);
  g_test_add_func ("/profiles/money-forms", test_money_forms);
  g_test_add_func ("/profiles/user-profiles", test_user_profiles);

  return g_test_run ();
}
