/* test-settings-journal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every setting change and every user profile change goes to a real
 * journal file: settings_history with the old and the new value, the
 * audit trail, and user_profiles.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "ea-settings-journal.h"

typedef struct
{
  char      *dir;
  EaJournal *journal;
  GSettings *settings;
} Fixture;

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
flush (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;

  ea_journal_flush_async (f->journal, NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ea_journal_flush_finish (f->journal, res, &error));
  g_assert_no_error (error);
  g_object_unref (res);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The first column of the first row of @sql, as text ("" for none). */
static char *
query (Fixture    *f,
       const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  flush (f);
  g_assert_cmpint (sqlite3_open_v2 (ea_journal_get_path (f->journal), &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return text ? text : g_strdup ("");
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("ea-settings-journal-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "journal.sqlite3", NULL);
  f->journal = ea_journal_new_sync (path, NULL, &error);
  g_assert_no_error (error);
  f->settings = g_settings_new_with_backend (APP_ID, backend);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&f->settings);
  ea_journal_close (f->journal);
  g_clear_object (&f->journal);

  dir = g_dir_open (f->dir, 0, NULL);
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
test_setting_changes (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(EaSettingsJournal) sj = ea_settings_journal_new (f->settings, NULL, f->journal);
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  g_autoptr(GError) error = NULL;
  g_autoptr(EaAuditReport) report = NULL;
  GAsyncResult *res = NULL;
  char *text;

  g_assert_true (g_settings_set_double (f->settings, "erm-threshold", 0.75));
  g_assert_true (g_settings_set_string (f->settings, "nt-account", "Sim102"));
  /* The same value again is no change. */
  g_assert_true (g_settings_set_string (f->settings, "nt-account", "Sim102"));
  g_assert_true (g_settings_set_string (f->settings, "nt-account", "Sim103"));
  /* A profile assignment is a setting change too. */
  g_variant_builder_add (builder, "{ss}", "DEMO-1", "apex-legacy-100k");
  g_assert_true (g_settings_set_value (f->settings, "account-profiles", g_variant_builder_end (builder)));

  text = query (f, "SELECT count(*) FROM settings_history");
  g_assert_cmpstr (text, ==, "4");
  g_free (text);
  text = query (f, "SELECT old_value || ' -> ' || new_value FROM settings_history WHERE key = 'erm-threshold'");
  g_assert_cmpstr (text, ==, "0.5 -> 0.75");
  g_free (text);
  text = query (f, "SELECT group_concat (old_value || ' -> ' || new_value, '; ') FROM "
                   "(SELECT * FROM settings_history WHERE key = 'nt-account' ORDER BY id)");
  g_assert_cmpstr (text, ==, "'Sim101' -> 'Sim102'; 'Sim102' -> 'Sim103'");
  g_free (text);
  text = query (f, "SELECT new_value FROM settings_history WHERE key = 'account-profiles'");
  g_assert_cmpstr (text, ==, "{'DEMO-1': 'apex-legacy-100k'}");
  g_free (text);
  text = query (f, "SELECT actor FROM settings_history GROUP BY actor");
  g_assert_cmpstr (text, ==, "user");
  g_free (text);

  /* Each with an audit row that names the key, the old and the new value. */
  text = query (f, "SELECT count(*) FROM audit WHERE kind = 'setting.change'");
  g_assert_cmpstr (text, ==, "4");
  g_free (text);
  text = query (f, "SELECT json_extract (details, '$.old') || ' -> ' || json_extract (details, '$.new') "
                   "FROM audit WHERE kind = 'setting.change' AND subject = 'erm-threshold'");
  g_assert_cmpstr (text, ==, "0.5 -> 0.75");
  g_free (text);
  g_assert_cmpuint (ea_settings_journal_get_n_recorded (sj), ==, 4);

  ea_journal_verify_audit_async (f->journal, NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  report = ea_journal_verify_audit_finish (f->journal, res, &error);
  g_object_unref (res);
  g_assert_no_error (error);
  g_assert_cmpint (report->status, ==, EA_AUDIT_OK);

  /* Gone: nothing more is journaled. */
  g_clear_object (&sj);
  g_assert_true (g_settings_set_double (f->settings, "erm-threshold", 0.6));
  text = query (f, "SELECT count(*) FROM settings_history");
  g_assert_cmpstr (text, ==, "4");
  g_free (text);
}

static void
test_profile_changes (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaProfileStore) profiles = ea_profile_store_new (&error);
  g_autoptr(EaSettingsJournal) sj = NULL;
  EaRiskProfile p;
  char *text;

  g_assert_no_error (error);
  sj = ea_settings_journal_new (f->settings, profiles, f->journal);

  g_assert_true (ea_profile_store_copy (profiles, "apex-legacy-50k", "my-apex-50k", &p, &error));
  g_assert_no_error (error);
  p.max_contracts = 8;
  g_assert_true (ea_profile_store_save_user (profiles, &p, &error));
  g_assert_no_error (error);

  text = query (f, "SELECT json_extract (json, '$.max_contracts') FROM user_profiles WHERE name = 'my-apex-50k'");
  g_assert_cmpstr (text, ==, "8");
  g_free (text);
  text = query (f, "SELECT json_extract (details, '$.profile.max_contracts') FROM audit "
                   "WHERE kind = 'profile.save' AND subject = 'my-apex-50k'");
  g_assert_cmpstr (text, ==, "8");
  g_free (text);

  /* Saved again with a change, then removed. */
  p.max_contracts = 6;
  g_assert_true (ea_profile_store_save_user (profiles, &p, &error));
  g_assert_no_error (error);
  text = query (f, "SELECT json_extract (json, '$.max_contracts') FROM user_profiles WHERE name = 'my-apex-50k'");
  g_assert_cmpstr (text, ==, "6");
  g_free (text);
  g_assert_true (ea_profile_store_remove_user (profiles, "my-apex-50k", &error));
  g_assert_no_error (error);
  text = query (f, "SELECT count(*) FROM user_profiles");
  g_assert_cmpstr (text, ==, "0");
  g_free (text);
  text = query (f, "SELECT group_concat (kind, ',') FROM (SELECT kind FROM audit WHERE subject = 'my-apex-50k' ORDER BY seq)");
  g_assert_cmpstr (text, ==, "profile.save,profile.save,profile.delete");
  g_free (text);
  g_assert_cmpuint (ea_settings_journal_get_n_recorded (sj), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/settings-journal/settings", Fixture, NULL, fixture_setup, test_setting_changes, fixture_teardown);
  g_test_add ("/settings-journal/profiles", Fixture, NULL, fixture_setup, test_profile_changes, fixture_teardown);

  return g_test_run ();
}
