/* test-no-secret-leak.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A full set-up against the local Tradovate server and a real keyring:
 * the quick setup stores the credentials and tests the connection, the
 * Test gate opens, and the Test-mode startup path connects and the desk
 * sees the account. Then the journal file, every GSettings key and the
 * captured log are searched for the secrets: they must not be there (and
 * they must be in the keyring).
 */
#define _GNU_SOURCE
#include "config.h"

#include <string.h>

#include "ea-app-brokers.h"
#include "ea-mode-dialog.h"
#include "ea-platform.h"
#include "ea-resources.h"
#include "ea-setup-assistant.h"
#include "ea-test-gtk-utils.h"
#include "ea-tradovate-server.h"
#include "journal-test-utils.h"
#include "ea-test-clock.h"

#define TEST_APP_ID   "io.github.enigmaapex.EnigmaApex.LeakTest"
#define USER          "jdoe"
#define PASSWORD      "Pw-7f3a9c1e-leakcheck"
#define CID           "8"
#define SECRET        "Sec-b41d9e77-leakcheck"
#define NEW_SECRET    "Sec-5c0e2a18-rotated"

static GString *captured_log;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 || g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
      {
        if (fields[i].length < 0)
          g_string_append (captured_log, fields[i].value);
        else
          g_string_append_len (captured_log, fields[i].value, fields[i].length);
        g_string_append_c (captured_log, ' ');
      }
  g_string_append_c (captured_log, '\n');

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static GAsyncResult *
wait_result (Wait *w)
{
  while (w->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return w->result;
}

static gboolean
keyring_available (EaCredentials *creds)
{
  g_autoptr(GError) error = NULL;
  Wait w = { NULL };
  gboolean ok;

  ea_credentials_check_service_async (creds, NULL, store_cb, &w);
  ok = ea_credentials_check_service_finish (creds, wait_result (&w), &error);
  g_object_unref (w.result);
  return ok;
}

static gboolean
not_busy (gpointer user_data)
{
  return !ea_setup_assistant_get_busy (EA_SETUP_ASSISTANT (user_data));
}

static gboolean
mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data);
}

static void
next (EaSetupAssistant *a,
      const char       *action)
{
  gtk_widget_activate_action (GTK_WIDGET (a), action, NULL);
  g_assert_true (ea_test_wait_until (not_busy, a, 30000));
  ea_test_iterate (20);
}

static void
set_text (EaSetupAssistant *a,
          const char       *name,
          const char       *text)
{
  gtk_editable_set_text (GTK_EDITABLE (ea_setup_assistant_get_field (a, name)), text);
}

static gboolean
has_account (gpointer user_data)
{
  GListModel *accounts = ea_trading_store_get_accounts (ea_desk_get_store (user_data));

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(GObject) account = g_list_model_get_item (accounts, i);
      g_autofree char *name = NULL;

      g_object_get (account, "name", &name, NULL);
      if (g_strcmp0 (name, "DEMO001") == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
conservative (gpointer user_data)
{
  EaRiskStatus status;

  return ea_desk_get_risk_status (user_data, "DEMO001", &status) && status.safety_pct == 50;
}

static void
assert_no_secret (const char *what,
                  const char *data,
                  gsize       len)
{
  const char * const secrets[] = { PASSWORD, SECRET, NEW_SECRET };

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (data != NULL && len >= strlen (secrets[i]) && memmem (data, len, secrets[i], strlen (secrets[i])) != NULL)
      g_error ("%s holds a secret", what);
}

static void
assert_file_clean (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (g_file_get_contents (path, &contents, &len, NULL))
    assert_no_secret (path, contents, len);
}

static void
test_full_setup (void)
{
  g_autoptr(EaCredentials) creds = ea_credentials_new_for_app (TEST_APP_ID);
  g_autoptr(GError) error = NULL;
  g_autoptr(EaTradovateServer) server = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *journal_path = NULL;
  g_autoptr(GString) dump = g_string_new (NULL);
  g_autoptr(EaCredential) stored = NULL;
  g_autoptr(EaModeGateFacts) facts = NULL;
  g_autoptr(EaDesk) desk = NULL;
  g_autofree char *message = NULL;
  g_autofree char *expiry_date = NULL;
  g_auto(GStrv) keys = NULL;
  EaSetupAssistant *a;
  EaJournal *journal;
  gint64 user;
  Wait w = { NULL };
  sqlite3 *raw;

  if (!keyring_available (creds))
    {
      g_test_skip ("no Secret Service with an unlocked keyring: run under dbus-run-session and "
                   "gnome-keyring-daemon --unlock, as build-aux/test does");
      return;
    }

  server = ea_tradovate_server_new (&error);
  g_assert_no_error (error);
  user = ea_tradovate_server_add_user (server, USER, PASSWORD);
  ea_tradovate_server_add_account (server, user, "DEMO001", EA_MICROS (50000));
  ea_tradovate_server_add_contract (server, "ESZ6", "ES");

  dir = g_dir_make_tmp ("ea-leak-XXXXXX", &error);
  g_assert_no_error (error);
  journal_path = g_build_filename (dir, "journal.sqlite3", NULL);
  journal = ea_journal_new_sync (journal_path, NULL, &error);
  g_assert_no_error (error);

  /* The quick setup: a broker, its credentials, a real connection test. */
  a = ea_setup_assistant_new (NULL, settings, journal, creds, NULL);
  g_object_ref_sink (a);
  gtk_window_present (GTK_WINDOW (a));
  g_assert_true (ea_test_wait_until (mapped, a, 10000));

  gtk_check_button_set_active (GTK_CHECK_BUTTON (ea_setup_assistant_get_field (a, "mode-broker")), TRUE);
  next (a, "assistant.next");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (ea_setup_assistant_get_field (a, "platform-tradovate"))));
  set_text (a, "tradovate-user", USER);
  set_text (a, "tradovate-rest-url", ea_tradovate_server_get_rest_url (server));
  set_text (a, "tradovate-ws-url", ea_tradovate_server_get_ws_url (server));
  set_text (a, "tradovate-md-url", ea_tradovate_server_get_md_url (server));
  next (a, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (a), ==, EA_SETUP_PAGE_CREDENTIALS);
  set_text (a, "tradovate-password", PASSWORD);
  set_text (a, "tradovate-cid", CID);
  set_text (a, "tradovate-sec", SECRET);
  /* The optional expiry: not a date, or a past one, blocks Next at the
   * field; three days ahead is stored with the secrets. */
  set_text (a, "tradovate-expires", "2027-02-30");
  g_assert_false (ea_setup_assistant_get_page_valid (a));
  g_assert_nonnull (strstr (ea_setup_assistant_get_field_error (a, "tradovate-expires"), "is not a date"));
  set_text (a, "tradovate-expires", "2020-01-01");
  g_assert_false (ea_setup_assistant_get_page_valid (a));
  g_assert_nonnull (strstr (ea_setup_assistant_get_field_error (a, "tradovate-expires"), "has passed"));
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) later = g_date_time_add_days (now, 3);

    expiry_date = g_date_time_format (later, "%Y-%m-%d");
  }
  set_text (a, "tradovate-expires", expiry_date);
  g_assert_true (ea_setup_assistant_get_page_valid (a));
  next (a, "assistant.next");
  /* Stored, and on to the verification, which connected for real. */
  g_assert_cmpint (ea_setup_assistant_get_page (a), ==, EA_SETUP_PAGE_VERIFY);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ea_setup_assistant_get_field (a, "tradovate-password"))), ==, "");
  {
    g_autoptr(GError) e = NULL;
    g_autofree char *path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                              "setup-4-verify-tradovate.png", NULL);
    ea_test_iterate (300);
    ea_test_save_screenshot (GTK_WIDGET (a), path, &e);
  }
  next (a, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (a), ==, EA_SETUP_PAGE_PROFILE);
  /* DEMO001 found by the connection test trades the legacy 100K rules. */
  {
    g_autoptr(EaProfileStore) store = ea_profile_store_new (NULL);
    g_auto(GStrv) ids = ea_profile_store_list_ids (store);
    guint index = 0;

    for (guint i = 0; ids[i] != NULL; i++)
      if (g_str_equal (ids[i], "apex-legacy-100k"))
        index = i + 1;
    g_assert_cmpuint (index, >, 0);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (ea_setup_assistant_get_field (a, "account-profile-DEMO001")), index);
  }
  /* Aggressive for every account, but DEMO001 its own Conservative: 50 %
   * of each firm limit. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (ea_setup_assistant_get_field (a, "safety-ratio")), 2);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (ea_setup_assistant_get_field (a, "account-safety-DEMO001")), 1);
  next (a, "assistant.next");
  next (a, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (a), ==, EA_SETUP_PAGE_SUMMARY);
  g_assert_cmpstr (ea_setup_assistant_get_summary (a), ==, "2 of 2 platforms connected");
  next (a, "assistant.finish");
  g_object_unref (a);
  g_assert_true (g_settings_get_boolean (settings, "setup-completed"));

  /* The secrets are in the keyring. */
  ea_credentials_lookup_async (creds, "tradovate", "demo", USER, NULL, store_cb, &w);
  stored = ea_credentials_lookup_finish (creds, wait_result (&w), &error);
  g_clear_object (&w.result);
  g_assert_no_error (error);
  g_assert_cmpstr (ea_credential_get_secret (stored, EA_CREDENTIAL_KIND_PASSWORD), ==, PASSWORD);
  g_assert_cmpstr (ea_credential_get_secret (stored, EA_CREDENTIAL_KIND_SEC), ==, SECRET);
  {
    g_autofree char *date = NULL;

    g_assert_nonnull (stored->expires);
    date = g_date_time_format (stored->expires, "%Y-%m-%d");
    g_assert_cmpstr (date, ==, expiry_date);
  }

  /* The Test gate opens, and the switch is saved and audited. */
  ea_mode_gate_gather_async (settings, NULL, journal, creds, EA_MODE_TEST, NULL, store_cb, &w);
  facts = ea_mode_gate_gather_finish (wait_result (&w));
  g_clear_object (&w.result);
  g_assert_true (facts->input.credentials_present);
  g_assert_true (facts->input.has_test && facts->input.test_passed);
  g_assert_cmpint (ea_mode_switch_apply (settings, journal, facts, EA_MODE_TEST, NULL, &message), ==, EA_MODE_GATE_OK);
  g_assert_cmpint (g_settings_get_enum (settings, "mode"), ==, EA_MODE_TEST);
  /* Live is still closed: no Test session yet. */
  g_clear_object (&w.result);
  ea_mode_gate_facts_free (g_steal_pointer (&facts));
  ea_mode_gate_gather_async (settings, NULL, journal, creds, EA_MODE_LIVE, NULL, store_cb, &w);
  facts = ea_mode_gate_gather_finish (wait_result (&w));
  g_clear_object (&w.result);
  g_assert_cmpint (ea_mode_switch_apply (settings, journal, facts, EA_MODE_LIVE, "LIVE", &message), ==,
                   EA_MODE_GATE_NO_CREDENTIALS);
  g_clear_pointer (&message, g_free);

  /* The Test-mode startup: the broker from the settings and the keyring. */
  desk = ea_desk_new (EA_MODE_TEST);
  ea_test_desk_in_session (desk);
  ea_desk_set_journal (desk, journal);
  g_assert_null (ea_app_brokers_start (desk, settings, creds, NULL, store_cb, &w));
  g_assert_true (ea_app_brokers_start_finish (wait_result (&w), &error));
  g_assert_no_error (error);
  g_clear_object (&w.result);
  g_assert_cmpuint (ea_desk_get_brokers (desk)->len, ==, 1);
  g_assert_cmpstr (ea_broker_get_name (g_ptr_array_index (ea_desk_get_brokers (desk), 0)), ==, "Tradovate");
  g_assert_true (ea_test_wait_until (has_account, desk, 20000));
  /* The account trades under the profile and its own ratio of the setup. */
  {
    EaRiskStatus status;

    g_assert_true (ea_test_wait_until (conservative, desk, 5000));
    g_assert_true (ea_desk_get_risk_status (desk, "DEMO001", &status));
    g_assert_cmpuint (status.safety_pct, ==, 50);
    /* Apex legacy 100K: a 3,000 trailing drawdown, 1,500 at 50 %. */
    g_assert_cmpint (status.effective_floor, ==, status.floor + EA_MICROS (1500));
  }
  g_clear_object (&desk);

  /* Opened again, the assistant shows the credential as stored, with
   * Replace and Delete; Delete empties the keyring. */
  a = ea_setup_assistant_new (NULL, settings, journal, creds, NULL);
  g_object_ref_sink (a);
  gtk_window_present (GTK_WINDOW (a));
  g_assert_true (ea_test_wait_until (mapped, a, 10000));
  next (a, "assistant.next");
  next (a, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (a), ==, EA_SETUP_PAGE_CREDENTIALS);
  g_assert_true (gtk_widget_get_visible (ea_setup_assistant_get_field (a, "credential-replace")));
  g_assert_true (gtk_widget_get_visible (ea_setup_assistant_get_field (a, "credential-delete")));
  g_assert_false (gtk_widget_is_visible (ea_setup_assistant_get_field (a, "tradovate-password")));
  g_assert_true (ea_setup_assistant_get_page_valid (a));
  /* Three days before the expiry, the page warns. */
  {
    GtkWidget *note = ea_setup_assistant_get_field (a, "credential-expiry-note");
    g_autofree char *expected = g_strdup_printf ("This credential expires in 3 days, on %s: replace it.", expiry_date);

    g_assert_true (gtk_widget_is_visible (note));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (note)), ==, expected);
  }

  /* Replace is a rotation: the keyring holds the new secret, the audit
   * says "credential rotated" and no second "stored". */
  g_signal_emit_by_name (ea_setup_assistant_get_field (a, "credential-replace"), "clicked");
  g_assert_true (gtk_widget_is_visible (ea_setup_assistant_get_field (a, "tradovate-password")));
  set_text (a, "tradovate-password", PASSWORD);
  set_text (a, "tradovate-cid", CID);
  set_text (a, "tradovate-sec", NEW_SECRET);
  next (a, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (a), ==, EA_SETUP_PAGE_VERIFY);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ea_setup_assistant_get_field (a, "tradovate-sec"))), ==, "");
  ea_credentials_lookup_async (creds, "tradovate", "demo", USER, NULL, store_cb, &w);
  g_clear_pointer (&stored, ea_credential_free);
  stored = ea_credentials_lookup_finish (creds, wait_result (&w), &error);
  g_clear_object (&w.result);
  g_assert_no_error (error);
  g_assert_cmpstr (ea_credential_get_secret (stored, EA_CREDENTIAL_KIND_SEC), ==, NEW_SECRET);
  JT_CALL (ea_journal_flush_finish (journal, r, NULL), ea_journal_flush_async (journal, NULL, jt_store_cb, &r));
  raw = jt_raw_open (journal_path);
  g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM audit WHERE kind = 'credentials.rotate' "
                                    "AND subject = 'tradovate/demo/" USER "' "
                                    "AND details LIKE '%credential rotated: tradovate demo " USER "%'"), ==, 1);
  g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM audit WHERE kind = 'credentials.store'"), ==, 1);
  sqlite3_close (raw);
  next (a, "assistant.back");
  g_assert_cmpint (ea_setup_assistant_get_page (a), ==, EA_SETUP_PAGE_CREDENTIALS);
  g_assert_true (gtk_widget_get_visible (ea_setup_assistant_get_field (a, "credential-replace")));
  /* Rotated without an expiry: no warning any more. */
  g_assert_false (gtk_widget_get_visible (ea_setup_assistant_get_field (a, "credential-expiry-note")));

  g_signal_emit_by_name (ea_setup_assistant_get_field (a, "credential-delete"), "clicked");
  g_assert_true (ea_test_wait_until (not_busy, a, 10000));
  g_assert_false (gtk_widget_get_visible (ea_setup_assistant_get_field (a, "credential-delete")));
  g_assert_true (gtk_widget_is_visible (ea_setup_assistant_get_field (a, "tradovate-password")));
  /* Nothing stored any more: the page wants new credentials. */
  g_assert_false (ea_setup_assistant_get_page_valid (a));
  ea_credentials_lookup_async (creds, "tradovate", "demo", USER, NULL, store_cb, &w);
  g_assert_null (ea_credentials_lookup_finish (creds, wait_result (&w), &error));
  g_assert_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&w.result);
  gtk_widget_activate_action (GTK_WIDGET (a), "assistant.cancel", NULL);
  g_object_unref (a);

  /* Nothing holds a secret: the journal, its audit, the settings, the log. */
  JT_CALL (ea_journal_flush_finish (journal, r, NULL), ea_journal_flush_async (journal, NULL, jt_store_cb, &r));
  raw = jt_raw_open (journal_path);
  g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM audit WHERE kind = 'credentials.store'"), ==, 1);
  g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM audit WHERE kind = 'setup.complete'"), ==, 1);
  g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM audit WHERE kind = 'mode.switch'"), ==, 1);
  g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM audit WHERE kind = 'mode.switch-refused'"), ==, 1);
  g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM audit WHERE kind = 'credentials.delete'"), ==, 1);
  g_assert_cmpint (jt_raw_int (raw, "SELECT count(*) FROM audit WHERE kind = 'credentials.rotate'"), ==, 1);
  sqlite3_close (raw);
  jt_close (journal);
  {
    g_autofree char *wal = g_strconcat (journal_path, "-wal", NULL);
    assert_file_clean (journal_path);
    assert_file_clean (wal);
  }

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      g_string_append_printf (dump, "%s=%s\n", keys[i], text);
    }
  g_assert_nonnull (strstr (dump->str, "tradovate-user='" USER "'"));
  assert_no_secret ("the settings", dump->str, dump->len);

  g_assert_cmpuint (captured_log->len, >, 0);
  assert_no_secret ("the log", captured_log->str, captured_log->len);

  jt_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  gtk_test_init (&argc, &argv, NULL);
  g_assert_nonnull (ea_get_resource ());

  g_test_add_func ("/no-secret-leak/full-setup", test_full_setup);

  return g_test_run ();
}
