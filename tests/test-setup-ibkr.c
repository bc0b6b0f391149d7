/* test-setup-ibkr.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The quick setup against the local Interactive Brokers gateway: the
 * certificate fingerprint is fetched and pinned, the connection test
 * lists the account, the pin is in the audit trail, and the Test-mode
 * startup connects to it.
 */
#include "config.h"

#include <string.h>

#include "ea-app-brokers.h"
#include "ea-ibkr-gateway.h"
#include "ea-platform.h"
#include "ea-resources.h"
#include "ea-setup-assistant.h"
#include "ea-test-gtk-utils.h"
#include "ea-test-clock.h"

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
step (EaSetupAssistant *a,
      const char       *action)
{
  gtk_widget_activate_action (GTK_WIDGET (a), action, NULL);
  g_assert_true (ea_test_wait_until (not_busy, a, 30000));
  ea_test_iterate (20);
}

static GtkWidget *
field (EaSetupAssistant *a,
       const char       *name)
{
  GtkWidget *w = ea_setup_assistant_get_field (a, name);

  g_assert_nonnull (w);
  return w;
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
      if (g_strcmp0 (name, "DU1234567") == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_ibkr_setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaIbkrGateway) gateway = ea_ibkr_gateway_new (0, &error);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(EaDesk) desk = NULL;
  g_autofree char *tests = NULL;
  g_autofree char *pinned = NULL;
  g_autoptr(EaJournal) journal = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  guint pins = 0;
  gboolean ok = FALSE;
  EaSetupAssistant *a;
  Wait w = { NULL };

  g_assert_no_error (error);
  g_assert_true (ea_ibkr_gateway_add_account (gateway, "DU1234567", EA_MICROS (50000)));

  dir = g_dir_make_tmp ("ea-setup-ibkr-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "journal.sqlite3", NULL);
  journal = ea_journal_new_sync (path, NULL, &error);
  g_assert_no_error (error);

  a = ea_setup_assistant_new (NULL, settings, journal, NULL, NULL);
  g_object_ref_sink (a);
  gtk_window_present (GTK_WINDOW (a));
  g_assert_true (ea_test_wait_until (mapped, a, 10000));
  step (a, "assistant.next");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (field (a, "platform-demo")), FALSE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (field (a, "platform-ibkr")), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (field (a, "ibkr-gateway-url")), ea_ibkr_gateway_get_url (gateway));

  /* Fetch shows what the gateway presents; the user pins it. */
  g_signal_emit_by_name (field (a, "ibkr-fetch"), "clicked");
  g_assert_true (ea_test_wait_until (not_busy, a, 30000));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (a, "ibkr-fingerprint"))), ==,
                   ea_ibkr_gateway_get_fingerprint (gateway));

  step (a, "assistant.next");
  step (a, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (a), ==, EA_SETUP_PAGE_VERIFY);
  step (a, "assistant.next");
  step (a, "assistant.next");
  step (a, "assistant.next");
  g_assert_cmpstr (ea_setup_assistant_get_summary (a), ==, "1 of 1 platform connected");
  step (a, "assistant.finish");
  g_object_unref (a);

  pinned = g_settings_get_string (settings, "ibkr-pinned-fingerprint");
  g_assert_cmpstr (pinned, ==, ea_ibkr_gateway_get_fingerprint (gateway));
  tests = g_settings_get_string (settings, "last-connection-test");
  g_assert_true (ea_connection_tests_lookup (tests, "ibkr", NULL, &ok, NULL));
  g_assert_true (ok);
  /* Only the outcome is kept, not the account list. */
  g_assert_null (strstr (tests, "DU1234567"));

  /* The pin is on the record: the certificate and the gateway. */
  ea_journal_load_audit_async (journal, 0, 0, NULL, store_cb, &w);
  while (w.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  rows = ea_journal_load_audit_finish (journal, w.result, &error);
  g_assert_no_error (error);
  g_clear_object (&w.result);
  for (guint i = 0; i < rows->len; i++)
    {
      EaJournalAuditRow *row = &g_array_index (rows, EaJournalAuditRow, i);

      if (g_strcmp0 (row->kind, "ibkr.certificate-pinned") != 0)
        continue;
      pins++;
      g_assert_cmpstr (row->actor, ==, "user");
      g_assert_cmpstr (row->subject, ==, ea_ibkr_gateway_get_url (gateway));
      g_assert_nonnull (strstr (row->details, ea_ibkr_gateway_get_fingerprint (gateway)));
    }
  g_assert_cmpuint (pins, ==, 1);

  /* The Test-mode startup connects to the gateway and sees the account. */
  g_settings_set_enum (settings, "mode", EA_MODE_TEST);
  desk = ea_desk_new (EA_MODE_TEST);
  ea_test_desk_in_session (desk);
  g_assert_null (ea_app_brokers_start (desk, settings, NULL, NULL, store_cb, &w));
  while (w.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ea_app_brokers_start_finish (w.result, &error));
  g_assert_no_error (error);
  g_clear_object (&w.result);
  g_assert_true (ea_test_wait_until (has_account, desk, 20000));
  g_clear_object (&desk);
  ea_journal_close (journal);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_assert_nonnull (ea_get_resource ());

  g_test_add_func ("/setup-ibkr/fingerprint-verify-startup", test_ibkr_setup);

  return g_test_run ();
}
