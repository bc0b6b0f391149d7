/* test-setup-assistant.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The quick-setup assistant in a real window: a walk through every page
 * in Demo with a real connection test of the embedded exchange, field
 * validation that blocks Next, Cancel that keeps the previous
 * configuration, and Finish that writes the settings and an audit row.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "ea-app-brokers.h"
#include "ea-application.h"
#include "ea-mode-dialog.h"
#include "ea-platform.h"
#include "ea-resources.h"
#include "ea-setup-assistant.h"
#include "ea-test-gtk-utils.h"
#include "journal-test-utils.h"

typedef struct
{
  char             *dir;
  char             *journal_path;
  EaJournal        *journal;
  GSettings        *settings;
  EaSetupAssistant *assistant;
  gboolean          done;
  gboolean          finished;
} SetupFixture;

static void
assert_setting_string (GSettings  *settings,
                       const char *key,
                       const char *expected)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  g_assert_cmpstr (value, ==, expected);
}

static void
reset_settings (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

static void
done_cb (EaSetupAssistant *assistant,
         gboolean          finished,
         SetupFixture          *f)
{
  f->done = TRUE;
  f->finished = finished;
}

static void
setup_fixture_setup (SetupFixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("ea-setup-XXXXXX", &error);
  g_assert_no_error (error);
  f->journal_path = g_build_filename (f->dir, "journal.sqlite3", NULL);
  f->journal = ea_journal_new_sync (f->journal_path, NULL, &error);
  g_assert_no_error (error);
  f->settings = g_settings_new (APP_ID);
  reset_settings (f->settings);
}

static gboolean
drawn (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data) && gtk_widget_get_width (user_data) > 0;
}

static void
open_assistant (SetupFixture *f)
{
  f->assistant = ea_setup_assistant_new (NULL, f->settings, f->journal, NULL, NULL);
  g_object_ref_sink (f->assistant);
  g_signal_connect (f->assistant, "done", G_CALLBACK (done_cb), f);
  gtk_window_present (GTK_WINDOW (f->assistant));
  g_assert_true (ea_test_wait_until (drawn, f->assistant, 10000));
}

static void
setup_fixture_teardown (SetupFixture       *f,
                  gconstpointer  data)
{
  if (f->assistant != NULL)
    {
      if (!f->done)
        gtk_window_destroy (GTK_WINDOW (f->assistant));
      g_object_unref (f->assistant);
    }
  jt_close (f->journal);
  jt_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->journal_path);
  reset_settings (f->settings);
  g_object_unref (f->settings);
}

static GtkWidget *
field (SetupFixture    *f,
       const char *name)
{
  GtkWidget *w = ea_setup_assistant_get_field (f->assistant, name);

  g_assert_nonnull (w);
  return w;
}

static void
set_text (SetupFixture    *f,
          const char *name,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (field (f, name)), text);
}

static void
set_check (SetupFixture    *f,
           const char *name,
           gboolean    on)
{
  gtk_check_button_set_active (GTK_CHECK_BUTTON (field (f, name)), on);
}

static gboolean
chooser_in (gpointer user_data)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (user_data));
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  return path != NULL && g_str_has_suffix (path, "/outgoing");
}

static gboolean
not_busy (gpointer user_data)
{
  return !ea_setup_assistant_get_busy (EA_SETUP_ASSISTANT (user_data));
}

static void
activate (SetupFixture    *f,
          const char *action)
{
  gtk_widget_activate_action (GTK_WIDGET (f->assistant), action, NULL);
  g_assert_true (ea_test_wait_until (not_busy, f->assistant, 30000));
  ea_test_iterate (20);
}

static gboolean
action_enabled (SetupFixture    *f,
                const char *button)
{
  /* The buttons' sensitivity follows their action's. */
  GtkWidget *w = GTK_WIDGET (f->assistant);
  const char *name = g_str_equal (button, "next") ? "_Next" : g_str_equal (button, "back") ? "_Back" : "_Finish";

  for (GtkWidget *child = gtk_widget_get_first_child (w); child != NULL; )
    {
      if (GTK_IS_BUTTON (child) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), name) == 0)
        return gtk_widget_get_sensitive (child);
      if (gtk_widget_get_first_child (child) != NULL)
        child = gtk_widget_get_first_child (child);
      else
        {
          while (child != NULL && gtk_widget_get_next_sibling (child) == NULL && child != w)
            child = gtk_widget_get_parent (child);
          if (child == NULL || child == w)
            break;
          child = gtk_widget_get_next_sibling (child);
        }
    }
  g_assert_not_reached ();
}

static void
screenshot (SetupFixture    *f,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strdup_printf ("setup-%s.png", name);
  g_autofree char *path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                            file, NULL);

  ea_test_iterate (300);
  if (!ea_test_save_screenshot (GTK_WIDGET (f->assistant), path, &error))
    g_error ("%s: %s", path, error->message);
}

static void
screenshot_window (GtkWidget  *widget,
                   const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strdup_printf ("setup-%s.png", name);
  g_autofree char *path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                            file, NULL);

  g_assert_true (ea_test_wait_until (drawn, widget, 10000));
  ea_test_iterate (300);
  if (!ea_test_save_screenshot (widget, path, &error))
    g_error ("%s: %s", path, error->message);
}

static gint64
audit_rows (SetupFixture    *f,
            const char *kind)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE kind = '%s'", kind);
  sqlite3 *raw;
  gint64 n;
  gboolean ok;

  JT_CALL (ok = ea_journal_flush_finish (f->journal, r, &error),
           ea_journal_flush_async (f->journal, NULL, jt_store_cb, &r));
  g_assert_true (ok);
  raw = jt_raw_open (f->journal_path);
  n = jt_raw_int (raw, sql);
  sqlite3_close (raw);
  return n;
}

static void
test_demo_walk (SetupFixture       *f,
                gconstpointer  data)
{
  g_autofree char *tests = NULL;
  g_auto(GStrv) platforms = NULL;
  g_autofree char *env = NULL;
  gboolean ok = FALSE;
  gint64 when = 0;

  open_assistant (f);
  g_assert_cmpint (ea_setup_assistant_get_page (f->assistant), ==, EA_SETUP_PAGE_WELCOME);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (field (f, "mode-demo"))));
  g_assert_false (action_enabled (f, "back"));
  screenshot (f, "1-welcome");

  activate (f, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (f->assistant), ==, EA_SETUP_PAGE_PLATFORMS);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (field (f, "platform-demo"))));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (field (f, "platform-tradovate"))));
  screenshot (f, "2-platforms");

  activate (f, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (f->assistant), ==, EA_SETUP_PAGE_CREDENTIALS);
  activate (f, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (f->assistant), ==, EA_SETUP_PAGE_VERIFY);
  screenshot (f, "4-verify");

  activate (f, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (f->assistant), ==, EA_SETUP_PAGE_PROFILE);
  /* The account the Demo exchange listed, on the profile above. */
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (field (f, "account-profile-DEMO-1"))), ==, 0);
  /* The effective limits in dollars: Apex legacy 50K at Moderate (70 %),
   * as the risk engine enforces them (the open-loss cap is 30 % of the
   * drawdown). */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (field (f, "safety-ratio")), 1);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (field (f, "effective-limits"))),
                                   "Account size $50,000.00, safety ratio 70 %.\n"
                                   "Trailing drawdown: firm $2,500.00 → the desk stops you at $1,750.00.\n"
                                   "Daily loss: no firm limit.\n"
                                   "Open loss cap: firm $750.00 → stop at $525.00.\n"
                                   "Contracts: at most 10 minis (100 micros).\n\n"));
  /* The account follows the ratio above until it gets its own. */
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (field (f, "account-limits-DEMO-1"))),
                                   "Account size $50,000.00, safety ratio 70 %.\n"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (field (f, "account-safety-DEMO-1")), 3);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (field (f, "account-limits-DEMO-1"))), ==,
                   "Account size $50,000.00, safety ratio 90 %.\n"
                   "Trailing drawdown: firm $2,500.00 → the desk stops you at $2,250.00.\n"
                   "Daily loss: no firm limit.\n"
                   "Open loss cap: firm $750.00 → stop at $675.00.\n"
                   "Contracts: at most 10 minis (100 micros).");
  /* A custom global ratio leaves the account's own alone. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (field (f, "safety-ratio")), 3);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (field (f, "safety-custom-pct")), 40);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (field (f, "effective-limits"))),
                                   "Account size $50,000.00, safety ratio 40 %.\n"
                                   "Trailing drawdown: firm $2,500.00 → the desk stops you at $1,000.00.\n"));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (field (f, "account-limits-DEMO-1"))),
                                   "Account size $50,000.00, safety ratio 90 %.\n"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (field (f, "safety-ratio")), 1);
  /* The chosen profile shows when its rules were read. */
  {
    const char *limits = gtk_label_get_text (GTK_LABEL (field (f, "effective-limits")));

    g_test_message ("%s", limits);
    g_assert_nonnull (strstr (limits, "rules as read on 2026-06-15"));
    g_assert_nonnull (strstr (limits, "Verify with your firm"));
  }
  screenshot (f, "5-profile");
  activate (f, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (f->assistant), ==, EA_SETUP_PAGE_RISK);
  screenshot (f, "6-risk");
  activate (f, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (f->assistant), ==, EA_SETUP_PAGE_SUMMARY);
  /* The embedded exchange was really connected. */
  g_assert_cmpstr (ea_setup_assistant_get_summary (f->assistant), ==, "1 of 1 platform connected");
  g_assert_true (action_enabled (f, "finish"));
  screenshot (f, "7-summary");

  /* Back keeps the entries. */
  activate (f, "assistant.back");
  g_assert_cmpint (ea_setup_assistant_get_page (f->assistant), ==, EA_SETUP_PAGE_RISK);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (field (f, "kelly-fraction")), 0.4);
  activate (f, "assistant.back");
  activate (f, "assistant.next");
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (GTK_SPIN_BUTTON (field (f, "kelly-fraction"))),
                                  0.4, 1e-9);
  activate (f, "assistant.next");

  g_assert_cmpint (audit_rows (f, "setup.complete"), ==, 0);
  g_assert_false (g_settings_get_boolean (f->settings, "setup-completed"));
  activate (f, "assistant.finish");
  g_assert_true (f->done);
  g_assert_true (f->finished);

  g_assert_true (g_settings_get_boolean (f->settings, "setup-completed"));
  platforms = g_settings_get_strv (f->settings, "platforms");
  g_assert_cmpuint (g_strv_length (platforms), ==, 1);
  g_assert_cmpstr (platforms[0], ==, "demo");
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (f->settings, "kelly-fraction"), 0.4, 1e-9);
  assert_setting_string (f->settings, "default-profile", "apex-legacy-50k");
  {
    g_autoptr(GVariant) per_account = g_settings_get_value (f->settings, "account-profiles");
    g_autoptr(GVariant) safety = g_settings_get_value (f->settings, "account-safety");
    guint32 pct = 0;

    g_assert_cmpuint (g_variant_n_children (per_account), ==, 0);
    /* The account's own ratio is saved, and is the one the desk applies. */
    g_assert_cmpuint (g_variant_n_children (safety), ==, 1);
    g_assert_true (g_variant_lookup (safety, "DEMO-1", "u", &pct));
    g_assert_cmpuint (pct, ==, 90);
    g_assert_cmpint (g_settings_get_enum (f->settings, "safety-ratio"), ==, 1);
    g_assert_cmpuint (ea_app_brokers_account_safety_pct (f->settings, "DEMO-1"), ==, 90);
    g_assert_cmpuint (ea_app_brokers_account_safety_pct (f->settings, "OTHER-2"), ==, 70);
  }
  tests = g_settings_get_string (f->settings, "last-connection-test");
  g_assert_true (ea_connection_tests_lookup (tests, "demo", &env, &ok, &when));
  g_assert_true (ok);
  g_assert_cmpstr (env, ==, "sim");
  g_assert_cmpint (when, >, 1700000000);
  g_assert_cmpint (audit_rows (f, "setup.complete"), ==, 1);

  /* The settings object handed in (the application's) still writes at
   * once: the wizard's change set was made on an object of its own. */
  g_settings_set_double (f->settings, "kelly-fraction", 0.3);
  g_assert_false (g_settings_get_has_unapplied (f->settings));
  {
    g_autoptr(GSettings) other = g_settings_new (APP_ID);

    g_assert_cmpfloat_with_epsilon (g_settings_get_double (other, "kelly-fraction"), 0.3, 1e-9);
  }
}

static void
test_validation_blocks_next (SetupFixture       *f,
                             gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->dir, "no-such-folder", NULL);

  open_assistant (f);
  activate (f, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (f->assistant), ==, EA_SETUP_PAGE_PLATFORMS);

  /* No platform at all. */
  set_check (f, "platform-demo", FALSE);
  g_assert_false (ea_setup_assistant_get_page_valid (f->assistant));
  g_assert_false (action_enabled (f, "next"));
  activate (f, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (f->assistant), ==, EA_SETUP_PAGE_PLATFORMS);
  g_assert_cmpstr (ea_setup_assistant_get_field_error (f->assistant, "platforms"), ==,
                   "Choose at least one platform.");

  /* Tradovate without a user, with a broken address. */
  set_check (f, "platform-tradovate", TRUE);
  g_assert_null (ea_setup_assistant_get_field_error (f->assistant, "platforms"));
  g_assert_cmpstr (ea_setup_assistant_get_field_error (f->assistant, "tradovate-user"), ==,
                   "Enter your Tradovate user name.");
  set_text (f, "tradovate-user", "jdoe");
  set_text (f, "tradovate-rest-url", "demo.tradovateapi.com");
  g_assert_nonnull (ea_setup_assistant_get_field_error (f->assistant, "tradovate-rest-url"));
  g_assert_nonnull (strstr (ea_setup_assistant_get_field_error (f->assistant, "tradovate-rest-url"), "not an address"));
  set_text (f, "tradovate-rest-url", "wss://demo.tradovateapi.com/v1");
  g_assert_nonnull (strstr (ea_setup_assistant_get_field_error (f->assistant, "tradovate-rest-url"), "https://"));
  g_assert_false (action_enabled (f, "next"));
  set_text (f, "tradovate-rest-url", "https://demo.tradovateapi.com/v1");
  g_assert_null (ea_setup_assistant_get_field_error (f->assistant, "tradovate-rest-url"));
  g_assert_true (action_enabled (f, "next"));

  /* The live environment brings its own addresses. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (field (f, "tradovate-environment")), 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (f, "tradovate-rest-url"))), ==,
                   "https://live.tradovateapi.com/v1");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (field (f, "tradovate-environment")), 0);

  /* NinjaTrader: folders must exist. */
  set_check (f, "platform-ninjatrader", TRUE);
  set_text (f, "nt-incoming-dir", missing);
  set_text (f, "nt-outgoing-dir", f->dir);
  g_assert_nonnull (strstr (ea_setup_assistant_get_field_error (f->assistant, "nt-incoming-dir"),
                            "not an existing folder"));
  g_assert_null (ea_setup_assistant_get_field_error (f->assistant, "nt-outgoing-dir"));
  set_text (f, "nt-account", "Sim;101");
  g_assert_nonnull (ea_setup_assistant_get_field_error (f->assistant, "nt-account"));
  g_assert_false (action_enabled (f, "next"));
  set_text (f, "nt-incoming-dir", f->dir);
  set_text (f, "nt-account", "Sim101");
  g_assert_true (action_enabled (f, "next"));

  /* Or chosen with the system's folder dialog (inside Flatpak the only
   * way: the document portal grants the folder). Cancelled, it changes
   * nothing; accepted, it fills the field. */
  {
    g_autofree char *chosen = g_build_filename (f->dir, "outgoing", NULL);
    g_autoptr(GFile) folder = NULL;
    GtkNativeDialog *chooser;

    g_assert_cmpint (g_mkdir (chosen, 0700), ==, 0);
    folder = g_file_new_for_path (chosen);
    g_assert_null (ea_setup_assistant_get_folder_chooser (f->assistant));
    g_assert_true (GTK_IS_BUTTON (field (f, "nt-outgoing-dir-choose")));
    g_assert_true (GTK_IS_BUTTON (field (f, "nt-incoming-dir-choose")));

    g_signal_emit_by_name (field (f, "nt-outgoing-dir-choose"), "clicked");
    chooser = ea_setup_assistant_get_folder_chooser (f->assistant);
    g_assert_true (GTK_IS_FILE_CHOOSER_NATIVE (chooser));
    g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==,
                     GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
    g_assert_true (gtk_native_dialog_get_transient_for (chooser) == GTK_WINDOW (f->assistant));
    g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_CANCEL);
    g_assert_null (ea_setup_assistant_get_folder_chooser (f->assistant));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (f, "nt-outgoing-dir"))), ==, f->dir);

    g_signal_emit_by_name (field (f, "nt-outgoing-dir-choose"), "clicked");
    chooser = ea_setup_assistant_get_folder_chooser (f->assistant);
    g_assert_nonnull (chooser);
    g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL));
    g_assert_true (ea_test_wait_until (chooser_in, chooser, 10000));
    g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_ACCEPT);
    g_assert_null (ea_setup_assistant_get_folder_chooser (f->assistant));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (f, "nt-outgoing-dir"))), ==, chosen);
    g_assert_null (ea_setup_assistant_get_field_error (f->assistant, "nt-outgoing-dir"));
    g_assert_true (action_enabled (f, "next"));
    g_assert_cmpint (g_rmdir (chosen), ==, 0);
    set_text (f, "nt-outgoing-dir", f->dir);
  }
  set_check (f, "platform-ninjatrader", FALSE);
  screenshot (f, "2-platforms-errors");

  /* Credentials: Tradovate needs a password, a numeric cid and a secret
   * (the keyring is not touched while the page is invalid). */
  activate (f, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (f->assistant), ==, EA_SETUP_PAGE_CREDENTIALS);
  g_assert_true (GTK_IS_PASSWORD_ENTRY (field (f, "tradovate-password")));
  g_assert_true (GTK_IS_PASSWORD_ENTRY (field (f, "tradovate-sec")));
  activate (f, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (f->assistant), ==, EA_SETUP_PAGE_CREDENTIALS);
  set_text (f, "tradovate-cid", "12a");
  g_assert_cmpstr (ea_setup_assistant_get_field_error (f->assistant, "tradovate-cid"), ==,
                   "The API key id (cid) is a number.");
  screenshot (f, "3-credentials-errors");

  /* Back to Demo only, then on to the risk page. */
  activate (f, "assistant.back");
  set_check (f, "platform-tradovate", FALSE);
  set_check (f, "platform-demo", TRUE);
  activate (f, "assistant.next");
  activate (f, "assistant.next");
  activate (f, "assistant.next");
  activate (f, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (f->assistant), ==, EA_SETUP_PAGE_RISK);

  /* Risk: a cap above the fraction, a fat-finger above the profile. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (field (f, "kelly-fraction")), 0.2);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (field (f, "kelly-cap")), 0.3);
  g_assert_nonnull (strstr (ea_setup_assistant_get_field_error (f->assistant, "kelly-cap"), "at most 0.20"));
  g_assert_false (action_enabled (f, "next"));
  activate (f, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (f->assistant), ==, EA_SETUP_PAGE_RISK);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (field (f, "kelly-cap")), 0.2);
  /* Apex legacy 50K: 10 minis = 100 micros. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (field (f, "fat-finger-max")), 101);
  g_assert_nonnull (strstr (ea_setup_assistant_get_field_error (f->assistant, "fat-finger-max"), "at most 100"));
  screenshot (f, "6-risk-errors");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (field (f, "fat-finger-max")), 100);
  g_assert_true (action_enabled (f, "next"));
  activate (f, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (f->assistant), ==, EA_SETUP_PAGE_SUMMARY);
}

static void
test_cancel_keeps_configuration (SetupFixture       *f,
                                 gconstpointer  data)
{
  const char * const before[] = { "tradovate", NULL };
  g_auto(GStrv) platforms = NULL;

  g_settings_set_strv (f->settings, "platforms", before);
  g_settings_set_string (f->settings, "tradovate-user", "old-user");
  g_settings_set_double (f->settings, "kelly-fraction", 0.3);
  g_settings_set_boolean (f->settings, "setup-completed", TRUE);

  open_assistant (f);
  /* The assistant starts from the saved configuration. */
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (field (f, "mode-broker"))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (f, "tradovate-user"))), ==, "old-user");

  activate (f, "assistant.next");
  set_check (f, "platform-demo", TRUE);
  set_check (f, "platform-tradovate", FALSE);
  set_text (f, "tradovate-user", "new-user");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (field (f, "kelly-fraction")), 0.9);

  activate (f, "assistant.cancel");
  g_assert_true (f->done);
  g_assert_false (f->finished);

  platforms = g_settings_get_strv (f->settings, "platforms");
  g_assert_cmpuint (g_strv_length (platforms), ==, 1);
  g_assert_cmpstr (platforms[0], ==, "tradovate");
  assert_setting_string (f->settings, "tradovate-user", "old-user");
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (f->settings, "kelly-fraction"), 0.3, 1e-9);
  g_assert_cmpint (audit_rows (f, "setup.complete"), ==, 0);
}

/* NinjaTrader over its ATI folders: the Verify page connects for real. */
static void
test_ninjatrader_verify (SetupFixture  *f,
                         gconstpointer  data)
{
  g_autofree char *in = g_build_filename (f->dir, "incoming", NULL);
  g_autofree char *out = g_build_filename (f->dir, "outgoing", NULL);
  g_autofree char *tests = NULL;
  gboolean ok = FALSE;

  g_assert_cmpint (g_mkdir (in, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);
  open_assistant (f);
  activate (f, "assistant.next");
  set_check (f, "platform-demo", FALSE);
  set_check (f, "platform-ninjatrader", TRUE);
  set_text (f, "nt-incoming-dir", in);
  set_text (f, "nt-outgoing-dir", out);
  set_text (f, "nt-account", "Sim101");
  activate (f, "assistant.next");
  activate (f, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (f->assistant), ==, EA_SETUP_PAGE_VERIFY);
  screenshot (f, "4-verify-ninjatrader");
  activate (f, "assistant.next");
  activate (f, "assistant.next");
  activate (f, "assistant.next");
  g_assert_cmpstr (ea_setup_assistant_get_summary (f->assistant), ==, "1 of 1 platform connected");
  activate (f, "assistant.finish");
  tests = g_settings_get_string (f->settings, "last-connection-test");
  g_assert_true (ea_connection_tests_lookup (tests, "ninjatrader", NULL, &ok, NULL));
  g_assert_true (ok);
  assert_setting_string (f->settings, "nt-incoming-dir", in);
}

/* Interactive Brokers: the fields are validated, and a gateway that does
 * not answer is reported as such, never as connected. */
static void
test_ibkr_unreachable (SetupFixture  *f,
                         gconstpointer  data)
{
  g_autofree char *tests = NULL;
  g_autofree char *env = NULL;
  gboolean ok = TRUE;

  open_assistant (f);
  activate (f, "assistant.next");
  set_check (f, "platform-demo", FALSE);
  set_check (f, "platform-ibkr", TRUE);
  set_text (f, "ibkr-gateway-url", "localhost:5000");
  g_assert_false (action_enabled (f, "next"));
  set_text (f, "ibkr-gateway-url", "https://127.0.0.1:9/v1/api");
  set_text (f, "ibkr-fingerprint", "12:ab");
  g_assert_nonnull (strstr (ea_setup_assistant_get_field_error (f->assistant, "ibkr-fingerprint"), "64 hexadecimal"));
  g_assert_false (action_enabled (f, "next"));
  set_text (f, "ibkr-fingerprint", "");
  g_assert_true (action_enabled (f, "next"));
  activate (f, "assistant.next");
  activate (f, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (f->assistant), ==, EA_SETUP_PAGE_VERIFY);
  screenshot (f, "4-verify-ibkr");
  activate (f, "assistant.next");
  activate (f, "assistant.next");
  activate (f, "assistant.next");
  g_assert_cmpstr (ea_setup_assistant_get_summary (f->assistant), ==, "0 of 1 platform connected");
  activate (f, "assistant.finish");
  tests = g_settings_get_string (f->settings, "last-connection-test");
  g_assert_true (ea_connection_tests_lookup (tests, "ibkr", &env, &ok, NULL));
  g_assert_false (ok);
  g_assert_cmpstr (env, ==, "paper");
  assert_setting_string (f->settings, "ibkr-gateway-url", "https://127.0.0.1:9/v1/api");
}

static GtkWindow *
find_window (GtkApplication *app,
             const char     *title)
{
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (g_strcmp0 (gtk_window_get_title (l->data), title) == 0)
      return l->data;
  return NULL;
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
gate_answered (gpointer user_data)
{
  return g_strcmp0 (gtk_label_get_text (user_data), "Checking the conditions…") != 0;
}

static const char *
gate_message (EaApplication *app,
              const char    *title)
{
  GtkWindow *dialog = find_window (GTK_APPLICATION (app), title);
  GtkWidget *label;

  g_assert_nonnull (dialog);
  label = find_named (GTK_WIDGET (dialog), "mode-gate-message");
  g_assert_nonnull (label);
  g_assert_true (ea_test_wait_until (gate_answered, label, 10000));
  return gtk_label_get_text (GTK_LABEL (label));
}

/* The mode dialog of the application says exactly what is missing. */
static void
test_mode_dialog (SetupFixture  *f,
                  gconstpointer  data)
{
  g_autoptr(EaApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *journal = g_build_filename (f->dir, "app-journal.sqlite3", NULL);
  GtkWindow *dialog;

  g_setenv ("EA_JOURNAL_PATH", journal, TRUE);
  g_setenv ("EA_NO_TRAY", "1", TRUE);
  app = ea_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));

  /* The menu's actions exist and are enabled. */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "setup-assistant"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "switch-mode"));
  /* The menu marks the mode the application runs in; asking for another
   * does not move the mark (a switch takes effect at the next start). */
  {
    g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (app), "switch-mode");

    g_assert_nonnull (state);
    g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "demo");
  }

  g_action_group_activate_action (G_ACTION_GROUP (app), "switch-mode", g_variant_new_string ("test"));
  g_assert_cmpstr (gate_message (app, "Switch to Test Mode"), ==,
                   "Finish the quick setup first (menu → Quick Setup).");
  gtk_window_destroy (find_window (GTK_APPLICATION (app), "Switch to Test Mode"));
  {
    g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (app), "switch-mode");

    g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "demo");
  }

  /* Set up with NinjaTrader but never tested: Live first needs what Test
   * needs, a test of its demo (Sim) account. No choice of broker. */
  g_settings_set_boolean (f->settings, "setup-completed", TRUE);
  g_settings_set_strv (f->settings, "platforms", (const char * const[]) { "ninjatrader", NULL });
  g_action_group_activate_action (G_ACTION_GROUP (app), "switch-mode", g_variant_new_string ("live"));
  g_assert_cmpstr (gate_message (app, "Switch to Live Mode"), ==,
                   "Run a connection test of NinjaTrader 8 (demo) in the quick setup.");
  dialog = find_window (GTK_APPLICATION (app), "Switch to Live Mode");
  g_assert_null (find_named (GTK_WIDGET (dialog), "mode-broker"));
  gtk_window_destroy (dialog);

  /* Two brokers: the dialog asks which one Test and Live are for, and the
   * gate follows the choice. */
  g_settings_set_strv (f->settings, "platforms", (const char * const[]) { "tradovate", "ninjatrader", NULL });
  g_action_group_activate_action (G_ACTION_GROUP (app), "switch-mode", g_variant_new_string ("live"));
  g_assert_cmpstr (gate_message (app, "Switch to Live Mode"), ==,
                   "No Tradovate credentials for its demo environment are in the keyring: "
                   "enter them in the quick setup.");
  dialog = find_window (GTK_APPLICATION (app), "Switch to Live Mode");
  {
    GtkWidget *choice = find_named (GTK_WIDGET (dialog), "mode-broker");

    g_assert_nonnull (choice);
    g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (choice)), ==, 0);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (choice), 1);
  }
  {
    g_autofree char *chosen = g_settings_get_string (f->settings, "mode-broker");

    g_assert_cmpstr (chosen, ==, "ninjatrader");
  }
  g_assert_cmpstr (gate_message (app, "Switch to Live Mode"), ==,
                   "Run a connection test of NinjaTrader 8 (demo) in the quick setup.");
  screenshot_window (GTK_WIDGET (dialog), "mode-dialog-live");
  gtk_window_destroy (dialog);
  g_assert_cmpint (g_settings_get_enum (f->settings, "mode"), ==, EA_MODE_DEMO);

  /* The assistant opens from the menu action. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "setup-assistant", NULL);
  dialog = find_window (GTK_APPLICATION (app), "Quick Setup");
  g_assert_true (EA_IS_SETUP_ASSISTANT (dialog));
  gtk_window_destroy (dialog);

  g_application_release (G_APPLICATION (app));
  g_application_quit (G_APPLICATION (app));
  ea_test_iterate (50);
  g_unsetenv ("EA_JOURNAL_PATH");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) provider = NULL;

  gtk_test_init (&argc, &argv, NULL);
  g_assert_nonnull (ea_get_resource ());
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/enigmaapex/EnigmaApex/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add ("/setup-assistant/demo-walk", SetupFixture, NULL, setup_fixture_setup, test_demo_walk, setup_fixture_teardown);
  g_test_add ("/setup-assistant/validation", SetupFixture, NULL, setup_fixture_setup, test_validation_blocks_next,
              setup_fixture_teardown);
  g_test_add ("/setup-assistant/cancel", SetupFixture, NULL, setup_fixture_setup, test_cancel_keeps_configuration,
              setup_fixture_teardown);

  g_test_add ("/setup-assistant/ninjatrader-verify", SetupFixture, NULL, setup_fixture_setup,
              test_ninjatrader_verify, setup_fixture_teardown);

  g_test_add ("/setup-assistant/mode-dialog", SetupFixture, NULL, setup_fixture_setup,
              test_mode_dialog, setup_fixture_teardown);
  g_test_add ("/setup-assistant/ibkr-unreachable", SetupFixture, NULL, setup_fixture_setup,
              test_ibkr_unreachable, setup_fixture_teardown);

  return g_test_run ();
}
