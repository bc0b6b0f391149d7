/* test-ibkr-prompts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The gateway's questions and login requests in the app, in Test mode
 * against the local Interactive Brokers gateway: a question is a dialog;
 * Confirm places the order, Reject does not; "don't ask again" is kept in
 * the settings and later questions with that id are confirmed without a
 * dialog; the session's end shows the login banner whose button opens the
 * gateway's page, and the banner goes once the broker is back; a question
 * open when the connection drops closes and the user is told why.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ea-app-brokers.h"
#include "ea-dashboard.h"
#include "ea-ibkr-gateway.h"
#include "ea-ibkr-prompts.h"
#include "ea-platform.h"
#include "ea-resources.h"
#include "ea-test-clock.h"
#include "ea-test-gtk-utils.h"

#define ACCOUNT "DU1234567"

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GtkWidget *
find_named (GtkWidget *root, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *w = find_named (c, name);

      if (w != NULL)
        return w;
    }
  return NULL;
}

/* The mapped toplevel named @name, or NULL. */
static GtkWidget *
toplevel (const char *name)
{
  GListModel *list = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (list, i);

      if (g_strcmp0 (gtk_widget_get_name (w), name) == 0 && gtk_widget_get_visible (w))
        return w;
    }
  return NULL;
}

static gboolean
has_toplevel (gpointer name)
{
  return toplevel (name) != NULL;
}

static gboolean
no_toplevel (gpointer name)
{
  return toplevel (name) == NULL;
}

static gboolean
is_set (gpointer slot)
{
  return *(gpointer *) slot != NULL;
}

static gboolean
is_connected (gpointer broker)
{
  return ea_broker_get_connection_state (broker) == EA_CONNECTION_STATE_CONNECTED;
}

static void
click (GtkWidget *window, const char *name)
{
  GtkWidget *w = find_named (window, name);

  g_assert_nonnull (w);
  g_signal_emit_by_name (w, "clicked");
}

static void
place_async (EaBroker *broker, const char *cid, GAsyncResult **res)
{
  g_autoptr(EaOrderRequest) r = ea_order_request_new (ACCOUNT, "ES", cid, EA_SIDE_BUY, EA_ORDER_TYPE_MARKET, 1);

  *res = NULL;
  ea_broker_place_order_async (broker, r, NULL, result_cb, res);
}

static char *
place_finish (EaBroker *broker, GAsyncResult **res, GError **error)
{
  char *id;

  g_assert_true (ea_test_wait_until (is_set, res, 20000));
  id = ea_broker_place_order_finish (broker, *res, error);
  g_clear_object (res);
  return id;
}

static void
wait_idle (EaIbkrGateway *gw)
{
  guint before = G_MAXUINT;
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;

  while (ea_ibkr_gateway_count_requests (gw, "") != before && g_get_monotonic_time () < deadline)
    {
      before = ea_ibkr_gateway_count_requests (gw, "");
      ea_test_iterate (6000);
    }
}

static void
opener (GtkWindow *parent, const char *uri, gpointer user_data)
{
  g_free (*(char **) user_data);
  *(char **) user_data = g_strdup (uri);
}

static void
test_prompts (void)
{
  static const char *const questions[] = { "o163", NULL };
  static const char *const platforms[] = { "ibkr", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(EaIbkrGateway) gw = ea_ibkr_gateway_new (0, &error);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(EaDesk) desk = NULL;
  g_auto(GStrv) saved = NULL;
  g_autofree char *opened = NULL;
  g_autofree char *id = NULL;
  GAsyncResult *res = NULL;
  EaBroker *broker = NULL;
  GPtrArray *brokers;
  GtkWidget *dialog;
  const char *text;

  g_assert_no_error (error);
  g_assert_true (ea_ibkr_gateway_add_account (gw, ACCOUNT, EA_MICROS (50000)));
  ea_ibkr_gateway_set_questions (gw, questions);
  g_assert_true (ea_ibkr_gateway_set_quote (gw, "ES", 27200, 27201, 50, 50));
  g_settings_set_strv (settings, "platforms", platforms);
  g_settings_set_string (settings, "ibkr-gateway-url", ea_ibkr_gateway_get_url (gw));
  g_settings_set_string (settings, "ibkr-pinned-fingerprint", ea_ibkr_gateway_get_fingerprint (gw));
  g_settings_set_string (settings, "ibkr-account", ACCOUNT);
  g_settings_set_enum (settings, "mode", EA_MODE_TEST);
  ea_ibkr_prompts_set_uri_opener (opener, &opened);

  desk = ea_desk_new (EA_MODE_TEST);
  ea_test_desk_in_session (desk);
  g_assert_null (ea_app_brokers_start (desk, settings, NULL, NULL, result_cb, &res));
  g_assert_true (ea_test_wait_until (is_set, &res, 30000));
  g_assert_true (ea_app_brokers_start_finish (res, &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  brokers = ea_desk_get_brokers (desk);
  for (guint i = 0; i < brokers->len; i++)
    if (EA_IS_IBKR_BROKER (brokers->pdata[i]))
      broker = brokers->pdata[i];
  g_assert_nonnull (broker);
  g_assert_true (ea_test_wait_until (is_connected, broker, 20000));
  /* The desk's start-up traffic (contracts of every watched symbol, the
   * reconciliation with the 5 s spacing of the slow endpoints) ends
   * before the first order. */
  wait_idle (gw);

  /* A question: the dialog shows the gateway's text; Confirm places. */
  place_async (broker, "q-1", &res);
  g_assert_true (ea_test_wait_until (has_toplevel, (gpointer) "ibkr-question", 20000));
  dialog = toplevel ("ibkr-question");
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  text = gtk_label_get_text (GTK_LABEL (find_named (dialog, "ibkr-question-text")));
  g_assert_nonnull (strstr (text, "?"));
  g_assert_cmpint (ea_ibkr_gateway_get_position (gw, ACCOUNT, "ES"), ==, 0);
  click (dialog, "ibkr-question-confirm");
  id = place_finish (broker, &res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_cmpint (ea_ibkr_gateway_get_position (gw, ACCOUNT, "ES"), ==, 1);
  g_assert_true (ea_test_wait_until (no_toplevel, (gpointer) "ibkr-question", 5000));
  g_clear_pointer (&id, g_free);

  /* Reject: the order is not placed. */
  place_async (broker, "q-2", &res);
  g_assert_true (ea_test_wait_until (has_toplevel, (gpointer) "ibkr-question", 20000));
  click (toplevel ("ibkr-question"), "ibkr-question-reject");
  g_assert_null (place_finish (broker, &res, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED);
  g_clear_error (&error);
  ea_test_iterate (200);
  g_assert_cmpint (ea_ibkr_gateway_get_position (gw, ACCOUNT, "ES"), ==, 1);
  g_assert_true (ea_test_wait_until (no_toplevel, (gpointer) "ibkr-question", 5000));

  /* Closing the window is a rejection too. */
  place_async (broker, "q-3", &res);
  g_assert_true (ea_test_wait_until (has_toplevel, (gpointer) "ibkr-question", 20000));
  gtk_window_close (GTK_WINDOW (toplevel ("ibkr-question")));
  g_assert_null (place_finish (broker, &res, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED);
  g_clear_error (&error);
  g_assert_cmpint (ea_ibkr_gateway_get_position (gw, ACCOUNT, "ES"), ==, 1);

  /* "Don't ask again": kept in the settings, and the next question with
   * that id is confirmed without a dialog. */
  saved = g_settings_get_strv (settings, "ibkr-suppressed-message-ids");
  g_assert_false (g_strv_contains ((const char *const *) saved, "o163"));
  g_clear_pointer (&saved, g_strfreev);
  place_async (broker, "q-4", &res);
  g_assert_true (ea_test_wait_until (has_toplevel, (gpointer) "ibkr-question", 20000));
  dialog = toplevel ("ibkr-question");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_named (dialog, "ibkr-question-suppress")), TRUE);
  click (dialog, "ibkr-question-confirm");
  id = place_finish (broker, &res, &error);
  g_assert_no_error (error);
  g_clear_pointer (&id, g_free);
  g_assert_cmpint (ea_ibkr_gateway_get_position (gw, ACCOUNT, "ES"), ==, 2);
  saved = g_settings_get_strv (settings, "ibkr-suppressed-message-ids");
  g_assert_true (g_strv_contains ((const char *const *) saved, "o163"));
  g_assert_true (ea_test_wait_until (no_toplevel, (gpointer) "ibkr-question", 5000));

  place_async (broker, "q-5", &res);
  id = place_finish (broker, &res, &error);
  g_assert_no_error (error);
  g_clear_pointer (&id, g_free);
  g_assert_null (toplevel ("ibkr-question"));
  g_assert_cmpint (ea_ibkr_gateway_get_position (gw, ACCOUNT, "ES"), ==, 3);

  /* The next start of the app's IBKR broker knows them. */
  {
    g_autoptr(EaPlatformConfig) config = ea_platform_config_new ();
    g_autoptr(EaBroker) other = NULL;
    g_auto(GStrv) ids = NULL;

    ea_platform_config_load (config, settings);
    other = ea_platform_new_ibkr (config);
    ea_ibkr_prompts_attach (EA_IBKR_BROKER (other), settings);
    g_object_get (other, "suppressed-message-ids", &ids, NULL);
    g_assert_nonnull (ids);
    g_assert_true (g_strv_contains ((const char *const *) ids, "o163"));
  }

  /* The daily session ends: a banner with the gateway's login page. */
  ea_ibkr_gateway_expire_session (gw);
  g_assert_true (ea_test_wait_until (has_toplevel, (gpointer) "ibkr-login", 20000));
  click (toplevel ("ibkr-login"), "ibkr-login-open");
  g_assert_nonnull (opened);
  g_assert_true (g_str_has_prefix (opened, "https://127.0.0.1:"));
  g_assert_null (strstr (opened, "/v1/api"));
  /* The user logs in: the broker reconnects and the banner goes. */
  ea_ibkr_gateway_browser_login (gw);
  g_assert_true (ea_test_wait_until (is_connected, broker, 30000));
  g_assert_true (ea_test_wait_until (no_toplevel, (gpointer) "ibkr-login", 5000));

  /* The connection drops while a question is open: the question is
   * failed, so its dialog closes and a window says why. */
  {
    static const char *const other[] = { "o354", NULL };
    GtkWidget *notice;

    ea_ibkr_gateway_set_questions (gw, other);
    place_async (broker, "q-6", &res);
    g_assert_true (ea_test_wait_until (has_toplevel, (gpointer) "ibkr-question", 20000));
    ea_ibkr_gateway_set_down (gw, TRUE);
    g_assert_null (place_finish (broker, &res, &error));
    g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED);
    g_clear_error (&error);
    g_assert_true (ea_test_wait_until (no_toplevel, (gpointer) "ibkr-question", 5000));
    g_assert_true (ea_test_wait_until (has_toplevel, (gpointer) "ibkr-question-withdrawn", 5000));
    notice = toplevel ("ibkr-question-withdrawn");
    text = gtk_label_get_text (GTK_LABEL (find_named (notice, "ibkr-question-withdrawn-text")));
    g_assert_nonnull (strstr (text, "connection"));
    g_assert_nonnull (strstr (text, "not placed"));
    ea_ibkr_gateway_set_down (gw, FALSE);
    g_assert_true (ea_test_wait_until (is_connected, broker, 30000));
    g_assert_cmpint (ea_ibkr_gateway_get_position (gw, ACCOUNT, "ES"), ==, 3);
    g_assert_cmpuint (ea_ibkr_gateway_count_working (gw, ACCOUNT), ==, 0);
    click (notice, "ibkr-question-withdrawn-close");
    g_assert_true (ea_test_wait_until (no_toplevel, (gpointer) "ibkr-question-withdrawn", 5000));
  }

  ea_ibkr_prompts_set_uri_opener (NULL, NULL);
  g_settings_reset (settings, "ibkr-suppressed-message-ids");
}

/* Notices reach the user: the connection pill and the desk's alerts. */

typedef struct
{
  GtkWidget  *pill;
  const char *text;
  gboolean    seen;
} PillWait;

static void
pill_seen_cb (GObject *broker, GParamSpec *pspec, PillWait *w)
{
  if (strstr (gtk_label_get_text (GTK_LABEL (w->pill)), w->text) != NULL &&
      strstr (gtk_widget_get_tooltip_text (w->pill), w->text) != NULL)
    w->seen = TRUE;
}

static gboolean
pill_seen (gpointer user_data)
{
  return ((PillWait *) user_data)->seen;
}

static gboolean
pill_says (gpointer user_data)
{
  PillWait *w = user_data;
  const char *label = gtk_label_get_text (GTK_LABEL (w->pill));

  return strstr (label, w->text) != NULL;
}

static gboolean
pill_plain (gpointer user_data)
{
  PillWait *w = user_data;
  const char *label = gtk_label_get_text (GTK_LABEL (w->pill));

  return strstr (label, "paused") == NULL;
}

typedef struct
{
  EaDesk     *desk;
  const char *title;
} AlertWait;

static gboolean
has_alert (gpointer user_data)
{
  AlertWait *w = user_data;
  GListModel *alerts = ea_trading_store_get_alerts (ea_desk_get_store (w->desk));

  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(EaAlert) a = g_list_model_get_item (alerts, i);

      if (strstr (ea_alert_get_title (a), w->title) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* The audit rows of @kind whose details hold @text. */
static guint
count_audit (EaJournal *journal, const char *kind, const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = NULL;
  GAsyncResult *res = NULL;
  guint n = 0;

  ea_journal_load_audit_async (journal, 0, 0, NULL, result_cb, &res);
  g_assert_true (ea_test_wait_until (is_set, &res, 10000));
  rows = ea_journal_load_audit_finish (journal, res, &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      EaJournalAuditRow *row = &g_array_index (rows, EaJournalAuditRow, i);

      if (g_strcmp0 (row->kind, kind) == 0 && row->details && strstr (row->details, text))
        n++;
    }
  return n;
}

static gboolean
audited (gpointer user_data)
{
  EaJournal *journal = user_data;

  return count_audit (journal, "ibkr.certificate-accepted",
                      g_object_get_data (G_OBJECT (journal), "ea-test-fingerprint")) > 0;
}

static void
test_notices (void)
{
  static const char *const platforms[] = { "ibkr", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(EaIbkrGateway) gw = ea_ibkr_gateway_new (0, &error);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(EaDesk) desk = NULL;
  g_autoptr(EaJournal) journal = NULL;
  g_autoptr(GtkWidget) pill = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  GAsyncResult *res = NULL;
  EaBroker *broker = NULL;
  GPtrArray *brokers;
  PillWait pw;
  AlertWait aw;

  g_assert_no_error (error);
  g_assert_true (ea_ibkr_gateway_add_account (gw, ACCOUNT, EA_MICROS (50000)));
  g_assert_true (ea_ibkr_gateway_set_quote (gw, "ES", 27200, 27201, 50, 50));
  g_settings_set_strv (settings, "platforms", platforms);
  g_settings_set_string (settings, "ibkr-gateway-url", ea_ibkr_gateway_get_url (gw));
  g_settings_set_string (settings, "ibkr-pinned-fingerprint", ea_ibkr_gateway_get_fingerprint (gw));
  g_settings_set_string (settings, "ibkr-account", ACCOUNT);
  g_settings_set_enum (settings, "mode", EA_MODE_TEST);

  dir = g_dir_make_tmp ("ea-ibkr-notices-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "journal.sqlite3", NULL);
  journal = ea_journal_new_sync (path, NULL, &error);
  g_assert_no_error (error);
  g_object_set_data_full (G_OBJECT (journal), "ea-test-fingerprint",
                          g_strdup (ea_ibkr_gateway_get_fingerprint (gw)), g_free);

  desk = ea_desk_new (EA_MODE_TEST);
  ea_test_desk_in_session (desk);
  ea_desk_set_journal (desk, journal);
  g_assert_null (ea_app_brokers_start (desk, settings, NULL, NULL, result_cb, &res));
  g_assert_true (ea_test_wait_until (is_set, &res, 30000));
  g_assert_true (ea_app_brokers_start_finish (res, &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  brokers = ea_desk_get_brokers (desk);
  for (guint i = 0; i < brokers->len; i++)
    if (EA_IS_IBKR_BROKER (brokers->pdata[i]))
      broker = brokers->pdata[i];
  g_assert_nonnull (broker);
  g_assert_true (ea_test_wait_until (is_connected, broker, 20000));
  pill = g_object_ref_sink (ea_dashboard_new_connection_pill (broker));
  pw.pill = pill;
  aw.desk = desk;

  /* The pinned certificate was accepted: an alert, and the audit trail
   * names the fingerprint. */
  aw.title = "certificate accepted";
  g_assert_true (ea_test_wait_until (has_alert, &aw, 5000));
  g_assert_true (ea_test_wait_until (audited, journal, 10000));

  /* A competing session: the pill says trading is paused, an alert too. */
  ea_ibkr_gateway_set_competing (gw, TRUE);
  pw.text = "competing session — trading paused";
  g_assert_true (ea_test_wait_until (pill_says, &pw, 20000));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (pill), "competing session — trading paused"));
  g_assert_true (gtk_widget_has_css_class (pill, "paused"));
  aw.title = "competing session — trading paused";
  g_assert_true (ea_test_wait_until (has_alert, &aw, 5000));
  ea_ibkr_gateway_set_competing (gw, FALSE);
  g_assert_true (ea_test_wait_until (pill_plain, &pw, 20000));
  g_assert_false (gtk_widget_has_css_class (pill, "paused"));
  aw.title = "trading resumes";
  g_assert_true (ea_test_wait_until (has_alert, &aw, 5000));

  /* The gateway's 429: paused, then resumed once the penalty is over. */
  g_object_set (broker, "penalty", 1500, NULL);
  pw.text = "rate limited — requests paused";
  pw.seen = FALSE;
  /* The pill follows the pause as it starts (its handler runs first). */
  g_signal_connect_after (broker, "notify::paused-until", G_CALLBACK (pill_seen_cb), &pw);
  ea_ibkr_gateway_inject (gw, EA_IBKR_FAULT_RATE_LIMIT, 1);
  ea_broker_snapshot_async (broker, ACCOUNT, NULL, result_cb, &res);
  g_assert_true (ea_test_wait_until (is_set, &res, 20000));
  g_clear_object (&res);
  g_assert_true (ea_test_wait_until (pill_seen, &pw, 5000));
  aw.title = "rate limited — requests paused";
  g_assert_true (ea_test_wait_until (has_alert, &aw, 5000));
  g_assert_true (ea_test_wait_until (pill_plain, &pw, 20000));
  aw.title = "requests resume";
  g_assert_true (ea_test_wait_until (has_alert, &aw, 5000));
  g_signal_handlers_disconnect_by_func (broker, pill_seen_cb, &pw);

  g_clear_object (&desk);
  ea_journal_close (journal);
  g_remove (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_assert_nonnull (ea_get_resource ());
  g_test_add_func ("/ibkr-prompts/questions-login", test_prompts);
  g_test_add_func ("/ibkr-prompts/notices", test_notices);
  return g_test_run ();
}
