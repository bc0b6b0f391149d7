/* test-ibkr-prompts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The gateway's questions and login requests in the app, in Test mode
 * against the local Interactive Brokers gateway: a question is a dialog;
 * Confirm places the order, Reject does not; "don't ask again" is kept in
 * the settings and later questions with that id are confirmed without a
 * dialog; the session's end shows the login banner whose button opens the
 * gateway's page, and the banner goes once the broker is back.
 */
#include "config.h"

#include <string.h>

#include "ea-app-brokers.h"
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

  ea_ibkr_prompts_set_uri_opener (NULL, NULL);
  g_settings_reset (settings, "ibkr-suppressed-message-ids");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_assert_nonnull (ea_get_resource ());
  g_test_add_func ("/ibkr-prompts/questions-login", test_prompts);
  return g_test_run ();
}
