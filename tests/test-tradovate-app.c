/* test-tradovate-app.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole application in Test mode against the local Tradovate, under
 * a real display, session bus and keyring: the quick setup configures
 * Tradovate (demo environment) with the local server's addresses and
 * stores the credentials, the Test gate opens, the application starts and
 * connects, quotes reach the order ticket, an order with its bracket and a
 * resting entry go out through the ticket, the positions and orders lists
 * show them, a broker-side lock shows on the account card and the risk
 * panel and denies entries at the ticket, and the toolbar's emergency stop
 * leaves the server with no working order and a flat position, confirmed
 * flat in the window.
 */
#include "config.h"

#include <string.h>

#include "ea-account-card.h"
#include "ea-application.h"
#include "ea-dashboard.h"
#include "ea-instrument.h"
#include "ea-mode-dialog.h"
#include "ea-order-ticket.h"
#include "ea-orders-view.h"
#include "ea-positions-view.h"
#include "ea-risk-panel.h"
#include "ea-session.h"
#include "ea-setup-assistant.h"
#include "ea-test-clock.h"
#include "ea-test-gtk-utils.h"
#include "ea-tradovate-server.h"
#include "ea-window.h"
#include "journal-test-utils.h"

#define USER     "e2e-user"
#define PASSWORD "Pw-e2e-tradovate"
#define CID      "8"
#define SECRET   "Sec-e2e-tradovate"

static EaTradovateServer *server;
static gint64 account_id;
static gint64 contract_id;
static char *contract;

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

/* The quick setup, as a user goes through it. */
static void
run_setup (GSettings     *settings,
           EaJournal     *journal,
           EaCredentials *creds)
{
  EaSetupAssistant *a = ea_setup_assistant_new (NULL, settings, journal, creds, NULL);

  g_object_ref_sink (a);
  gtk_window_present (GTK_WINDOW (a));
  g_assert_true (ea_test_wait_until (mapped, a, 10000));

  gtk_check_button_set_active (GTK_CHECK_BUTTON (ea_setup_assistant_get_field (a, "mode-broker")), TRUE);
  next (a, "assistant.next");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (ea_setup_assistant_get_field (a, "platform-tradovate"))));
  /* The demo environment, with the local server's addresses. */
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (ea_setup_assistant_get_field (a, "tradovate-environment"))), ==, 0);
  set_text (a, "tradovate-user", USER);
  set_text (a, "tradovate-rest-url", ea_tradovate_server_get_rest_url (server));
  set_text (a, "tradovate-ws-url", ea_tradovate_server_get_ws_url (server));
  set_text (a, "tradovate-md-url", ea_tradovate_server_get_md_url (server));
  next (a, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (a), ==, EA_SETUP_PAGE_CREDENTIALS);
  set_text (a, "tradovate-password", PASSWORD);
  set_text (a, "tradovate-cid", CID);
  set_text (a, "tradovate-sec", SECRET);
  next (a, "assistant.next");
  /* The verification logged in to the local server. */
  g_assert_cmpint (ea_setup_assistant_get_page (a), ==, EA_SETUP_PAGE_VERIFY);
  g_assert_cmpuint (ea_tradovate_server_get_auth_requests (server), >=, 1);
  next (a, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (a), ==, EA_SETUP_PAGE_PROFILE);
  next (a, "assistant.next");
  next (a, "assistant.next");
  g_assert_cmpint (ea_setup_assistant_get_page (a), ==, EA_SETUP_PAGE_SUMMARY);
  next (a, "assistant.finish");
  g_object_unref (a);
  g_assert_true (g_settings_get_boolean (settings, "setup-completed"));
}

/* Test mode through its gate, as the mode dialog does. */
static void
switch_to_test (GSettings     *settings,
                EaJournal     *journal,
                EaCredentials *creds)
{
  g_autoptr(EaModeGateFacts) facts = NULL;
  g_autofree char *message = NULL;
  Wait w = { NULL };

  ea_mode_gate_gather_async (settings, NULL, journal, creds, EA_MODE_TEST, NULL, store_cb, &w);
  facts = ea_mode_gate_gather_finish (wait_result (&w));
  g_clear_object (&w.result);
  g_assert_true (facts->input.credentials_present);
  g_assert_true (facts->input.has_test && facts->input.test_passed);
  g_assert_cmpint (ea_mode_switch_apply (settings, journal, facts, EA_MODE_TEST, NULL, &message), ==, EA_MODE_GATE_OK);
  g_assert_cmpint (g_settings_get_enum (settings, "mode"), ==, EA_MODE_TEST);
}

static gboolean
connected (gpointer user_data)
{
  EaDesk *desk = user_data;
  GPtrArray *brokers = ea_desk_get_brokers (desk);
  EaRiskStatus status;

  return brokers->len == 1 &&
         ea_broker_get_connection_state (g_ptr_array_index (brokers, 0)) == EA_CONNECTION_STATE_CONNECTED &&
         ea_desk_get_risk_status (desk, "DEMO001", &status) && !status.reconciling;
}

/* The market moves a little, so that quotes keep coming. */
static void
tick_market (void)
{
  ea_tradovate_server_set_book (server, contract, 27200, 27201, 10, 10);
  ea_tradovate_server_trade (server, contract, 27200, 1);
}

static gboolean
market_cb (gpointer user_data)
{
  tick_market ();
  return G_SOURCE_CONTINUE;
}

static gboolean
ticket_priced (gpointer user_data)
{
  EaOrderTicket *ticket = user_data;

  return g_strcmp0 (ea_order_ticket_get_bid_text (ticket), "6800.00") == 0 &&
         g_strcmp0 (ea_order_ticket_get_ask_text (ticket), "6800.25") == 0 &&
         g_str_has_prefix (ea_order_ticket_get_check_text (ticket), "✓");
}

static gboolean
long_one (gpointer user_data)
{
  return ea_tradovate_server_get_net_position (server, account_id, contract_id) == 1 &&
         ea_tradovate_server_count_orders (server, account_id, "Working") == 2;
}

static gboolean
resting_too (gpointer user_data)
{
  return ea_tradovate_server_count_orders (server, account_id, "Working") == 3;
}

static guint
n_shown (GListModel *shown)
{
  return g_list_model_get_n_items (shown);
}

static gboolean
lists_show_position (gpointer user_data)
{
  EaDashboard *dashboard = user_data;
  GListModel *positions = ea_positions_view_get_shown (ea_dashboard_get_positions_view (dashboard));
  g_autoptr(EaPosition) p = n_shown (positions) == 1 ? g_list_model_get_item (positions, 0) : NULL;

  GListModel *orders = ea_orders_view_get_shown (ea_dashboard_get_orders_view (dashboard));
  guint working = 0;

  for (guint i = 0; i < n_shown (orders); i++)
    {
      g_autoptr(EaOrder) o = g_list_model_get_item (orders, i);

      working += ea_order_get_state (o) == EA_ORDER_STATE_WORKING;
    }

  /* The position's stop and target and the resting entry work; the
   * entry's own stop and target wait for it. */
  return p != NULL && ea_position_get_qty (p) == 1 && g_strcmp0 (ea_position_get_symbol (p), "ES") == 0 &&
         n_shown (orders) == 5 && working == 3;
}

static gboolean
lists_flat (gpointer user_data)
{
  EaDashboard *dashboard = user_data;
  GListModel *positions = ea_positions_view_get_shown (ea_dashboard_get_positions_view (dashboard));

  for (guint i = 0; i < n_shown (positions); i++)
    {
      g_autoptr(EaPosition) p = g_list_model_get_item (positions, i);

      if (ea_position_get_qty (p) != 0)
        return FALSE;
    }
  return n_shown (ea_orders_view_get_shown (ea_dashboard_get_orders_view (dashboard))) == 0;
}

typedef struct
{
  EaDashboard *dashboard;
  const char  *card;    /* in the card's risk line */
  const char  *panel;   /* the risk panel's state */
} RiskShown;

static gboolean
risk_shown (gpointer user_data)
{
  RiskShown *r = user_data;
  EaAccountCard *card = ea_dashboard_get_card (r->dashboard, "DEMO001");

  return card != NULL && strstr (ea_account_card_get_risk_text (card), r->card) != NULL &&
         g_strcmp0 (ea_risk_panel_get_state_text (ea_dashboard_get_risk_panel (r->dashboard)), r->panel) == 0;
}

static gboolean
stop_settled (gpointer user_data)
{
  return !ea_desk_get_stop_pending (user_data) &&
         ea_desk_get_stop_status (user_data, "DEMO001", NULL) != EA_STOP_STATUS_STOPPING;
}

static GtkWidget *
halt_line (EaWindow   *window,
           const char *account)
{
  for (GtkWidget *child = gtk_widget_get_first_child (ea_window_get_halt_accounts (window));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (gtk_widget_get_name (child), account) == 0)
      return child;

  return NULL;
}

static void
test_end_to_end (void)
{
  g_autoptr(EaCredentials) creds = ea_credentials_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournal) setup_journal = NULL;
  g_autoptr(EaApplication) app = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *setup_path = NULL;
  g_autofree char *journal_path = NULL;
  EaOrderTicket *ticket;
  EaDashboard *dashboard;
  EaWindow *window;
  EaDesk *desk;
  GtkWidget *line;
  guint market_source;
  gint64 user;
  Wait w = { NULL };
  gboolean ok;

  ea_credentials_check_service_async (creds, NULL, store_cb, &w);
  ok = ea_credentials_check_service_finish (creds, wait_result (&w), NULL);
  g_clear_object (&w.result);
  if (!ok)
    {
      g_test_skip ("no Secret Service with an unlocked keyring: run under dbus-run-session and "
                   "gnome-keyring-daemon --unlock, as build-aux/test does");
      return;
    }

  server = ea_tradovate_server_new (&error);
  g_assert_no_error (error);
  user = ea_tradovate_server_add_user (server, USER, PASSWORD);
  account_id = ea_tradovate_server_add_account (server, user, "DEMO001", EA_MICROS (50000));
  contract_id = ea_tradovate_server_add_contract (server, contract, "ES");
  tick_market ();

  dir = g_dir_make_tmp ("ea-tradovate-app-XXXXXX", &error);
  g_assert_no_error (error);
  setup_path = g_build_filename (dir, "setup.sqlite3", NULL);
  journal_path = g_build_filename (dir, "journal.sqlite3", NULL);
  setup_journal = ea_journal_new_sync (setup_path, NULL, &error);
  g_assert_no_error (error);

  /* The assistant applies its changes as one set, on its own object. */
  {
    g_autoptr(GSettings) assistant_settings = g_settings_new (APP_ID);

    run_setup (assistant_settings, setup_journal, creds);
  }
  switch_to_test (settings, setup_journal, creds);
  ea_journal_close (setup_journal);

  /* The application, started in Test mode on those settings. */
  g_setenv ("EA_JOURNAL_PATH", journal_path, TRUE);
  g_setenv ("EA_NO_TRAY", "1", TRUE);
  app = ea_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));
  desk = ea_application_get_desk (app);
  g_assert_cmpint (ea_desk_get_mode (desk), ==, EA_MODE_TEST);
  /* Inside the regular session, whatever the hour of the run. */
  ea_test_desk_in_session (desk);
  g_application_activate (G_APPLICATION (app));
  window = EA_WINDOW (ea_application_get_main_window (app));
  g_assert_true (EA_IS_WINDOW (window));
  g_assert_true (ea_test_wait_until (mapped, window, 10000));
  g_assert_cmpstr (ea_window_get_mode_badge_text (window), ==, "TEST");

  g_assert_true (ea_test_wait_until (connected, desk, 30000));
  g_assert_cmpstr (ea_broker_get_name (g_ptr_array_index (ea_desk_get_brokers (desk), 0)), ==, "Tradovate");

  /* Quotes reach the ticket. */
  dashboard = ea_window_get_dashboard (window);
  ticket = ea_dashboard_get_order_ticket (dashboard);
  ea_order_ticket_set_account (ticket, "DEMO001");
  g_assert_true (ea_order_ticket_set_symbol (ticket, "ES"));
  ea_order_ticket_set_side (ticket, EA_SIDE_BUY);
  ea_order_ticket_set_quantity (ticket, 1);
  ea_order_ticket_set_order_type (ticket, EA_ORDER_TYPE_MARKET);
  ea_order_ticket_set_bracket (ticket, TRUE);
  market_source = g_timeout_add (200, market_cb, NULL);
  g_assert_true (ea_test_wait_until (ticket_priced, ticket, 20000));
  g_assert_nonnull (strstr (ea_order_ticket_get_market_text (ticket), "Tradovate"));

  /* A market order with its bracket, through the ticket's Send. */
  ea_order_ticket_send (ticket);
  g_assert_true (ea_test_wait_until (long_one, NULL, 20000));
  {
    JsonObject *body = json_node_get_object (ea_tradovate_server_get_last_order_request (server));

    g_assert_cmpstr (json_object_get_string_member (body, "symbol"), ==, contract);
    g_assert_true (json_object_has_member (body, "bracket1"));
    g_assert_false (json_object_get_boolean_member (body, "isAutomated"));
  }

  /* A resting entry below the market, with its bracket. */
  ea_order_ticket_set_order_type (ticket, EA_ORDER_TYPE_LIMIT);
  ea_order_ticket_set_limit_text (ticket, "6790.00");
  g_assert_true (ea_order_ticket_recheck (ticket));
  ea_order_ticket_send (ticket);
  g_assert_true (ea_test_wait_until (resting_too, NULL, 20000));
  g_assert_cmpint (ea_tradovate_server_get_net_position (server, account_id, contract_id), ==, 1);

  /* The lists show the position (under the root, as the ticket names
   * it) and the live orders. */
  g_assert_true (ea_test_wait_until (lists_show_position, dashboard, 20000));

  /* Tradovate locks the account: the card and the risk panel say so, and
   * the ticket's check denies a new entry; lifted, they are back. */
  ea_dashboard_select_account (dashboard, "DEMO001");
  {
    RiskShown locked = { dashboard, "Locked by broker", "Locked by broker" };
    RiskShown active = { dashboard, "ACTIVE", "ACTIVE" };

    g_assert_true (ea_tradovate_server_set_admin_action (server, account_id, "LockTradingImmediately"));
    g_assert_true (ea_test_wait_until (risk_shown, &locked, 20000));
    g_assert_false (ea_order_ticket_recheck (ticket));
    g_assert_nonnull (strstr (ea_order_ticket_get_check_text (ticket), "BROKER_LOCKED"));
    g_assert_true (ea_tradovate_server_set_admin_action (server, account_id, "Normal"));
    g_assert_true (ea_test_wait_until (risk_shown, &active, 20000));
  }

  /* The toolbar's emergency stop. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "emergency-stop", NULL);
  g_assert_true (ea_desk_get_halted (desk));
  g_assert_true (ea_test_wait_until (stop_settled, desk, 30000));
  g_assert_cmpint (ea_desk_get_stop_status (desk, "DEMO001", NULL), ==, EA_STOP_STATUS_FLAT);
  g_assert_cmpint (ea_tradovate_server_get_net_position (server, account_id, contract_id), ==, 0);
  g_assert_cmpuint (ea_tradovate_server_count_orders (server, account_id, "Working"), ==, 0);
  g_assert_true (ea_test_wait_until (lists_flat, dashboard, 20000));
  ea_test_iterate (100);
  g_assert_true (ea_window_get_halt_banner_revealed (window));
  line = halt_line (window, "DEMO001");
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (line)), "flat"));

  g_source_remove (market_source);

  /* Leave no credential behind. */
  ea_credentials_delete_async (creds, "tradovate", "demo", USER, NULL, store_cb, &w);
  g_assert_true (ea_credentials_delete_finish (creds, wait_result (&w), &error));
  g_clear_object (&w.result);
  g_assert_no_error (error);

  gtk_window_destroy (GTK_WINDOW (window));
  g_application_release (G_APPLICATION (app));
  ea_test_iterate (50);
  g_clear_object (&app);
  g_unsetenv ("EA_JOURNAL_PATH");
  g_unsetenv ("EA_NO_TRAY");
  g_clear_object (&server);
  jt_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  EaContract front;
  int ret;

  gtk_test_init (&argc, &argv, NULL);

  /* The front month by the adapter's clock, the wall clock. */
  g_assert_true (ea_contract_front (ea_instrument_lookup ("ES"), ea_session_trading_day (now), &front));
  contract = ea_contract_format (&front, EA_SYMBOLOGY_TRADOVATE);

  g_test_add_func ("/tradovate-app/end-to-end", test_end_to_end);

  ret = g_test_run ();
  g_free (contract);

  return ret;
}
