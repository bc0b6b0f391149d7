/* test-demo-accounts-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Demo accounts in the running application under Xvfb: the setting read
 * at start (a bad entry skipped with an alert), the Demo Accounts dialog
 * opened from Preferences, an account added through its widgets (saved
 * to the setting, a new account card), the seventh refused, and a reset
 * through the confirmation dialog.
 */
#include "config.h"

#include <string.h>

#include "ea-alert.h"
#include "ea-application.h"
#include "ea-demo-accounts-dialog.h"
#include "ea-demo-accounts.h"
#include "ea-money.h"
#include "ea-preferences-window.h"
#include "ea-sim-broker.h"
#include "ea-test-gtk-utils.h"
#include "ea-window.h"

#define USD(x) EA_MICROS (x)

static EaApplication *app;

static EaDashboard *
dashboard (void)
{
  return ea_window_get_dashboard (EA_WINDOW (ea_application_get_main_window (app)));
}

static EaDesk *
desk (void)
{
  return ea_application_get_desk (app);
}

static gboolean
card_shown (gpointer user_data)
{
  return ea_dashboard_get_card (dashboard (), user_data) != NULL;
}

static void
placed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  char *id = ea_desk_place_order_finish (EA_DESK (object), result, NULL, &error);

  g_assert_no_error (error);
  *(char **) user_data = id;
}

static gboolean
is_set (gpointer user_data)
{
  return *(char **) user_data != NULL;
}

static GtkWindow *
find_window (GType type)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      return l->data;
  return NULL;
}

/* A click as the user makes it: only on a visible, sensitive button. */
static gboolean
click (GtkWidget *button)
{
  if (!gtk_widget_is_visible (button) || !gtk_widget_is_sensitive (button))
    return FALSE;
  g_signal_emit_by_name (button, "clicked");
  ea_test_iterate (20);
  return TRUE;
}

static gboolean
dialog_open (gpointer user_data)
{
  return find_window (EA_TYPE_DEMO_ACCOUNTS_DIALOG) != NULL;
}

static guint
find_string (GtkDropDown *dropdown,
             const char  *text)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), text) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static GPtrArray *
saved_accounts (void)
{
  g_autoptr(GVariant) value = g_settings_get_value (ea_application_get_settings (app), "demo-accounts");

  return ea_demo_accounts_parse (value, ea_desk_get_profiles (desk ()), NULL);
}

static gboolean
has_alert (const char *needle)
{
  GListModel *alerts = ea_trading_store_get_alerts (ea_desk_get_store (desk ()));

  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(EaAlert) alert = g_list_model_get_item (alerts, i);

      if (g_strcmp0 (ea_alert_get_title (alert), "Demo accounts setting") == 0 &&
          strstr (ea_alert_get_body (alert), needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static gboolean
selector_has (const char *account)
{
  GtkDropDown *selector = GTK_DROP_DOWN (ea_dashboard_get_account_selector (dashboard ()));

  return find_string (selector, account) != GTK_INVALID_LIST_POSITION;
}

/* The dialog's form: name, firm product and size, then Add. */
static void
fill_form (EaDemoAccountsDialog *dialog,
           const char           *name,
           const char           *family,
           const char           *size)
{
  GtkDropDown *profile = GTK_DROP_DOWN (ea_demo_accounts_dialog_get_profile_dropdown (dialog));
  GtkDropDown *sizes = GTK_DROP_DOWN (ea_demo_accounts_dialog_get_size_dropdown (dialog));
  guint i;

  g_assert_true (click (ea_demo_accounts_dialog_get_add_button (dialog)));
  g_assert_true (gtk_widget_is_visible (ea_demo_accounts_dialog_get_name_entry (dialog)));
  if (name != NULL)
    gtk_editable_set_text (GTK_EDITABLE (ea_demo_accounts_dialog_get_name_entry (dialog)), name);
  i = find_string (profile, family);
  g_assert_cmpuint (i, !=, GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_selected (profile, i);
  i = find_string (sizes, size);
  g_assert_cmpuint (i, !=, GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_selected (sizes, i);
}

static void
test_setting_read_at_start (void)
{
  g_assert_true (ea_test_wait_until (card_shown, (gpointer) "DEMO-1", 10000));
  g_assert_true (ea_test_wait_until (card_shown, (gpointer) "SWING", 10000));
  g_assert_true (selector_has ("SWING"));

  /* The bad entries: no account, an alert each, naming it. */
  g_assert_null (ea_trading_store_lookup_account (ea_desk_get_store (desk ()), "GHOST"));
  g_assert_null (ea_trading_store_lookup_account (ea_desk_get_store (desk ()), "ODD"));
  g_assert_true (has_alert ("no-such-firm-50k"));
  g_assert_true (has_alert ("ODD"));
  g_assert_cmpuint (ea_desk_get_n_demo_accounts (desk ()), ==, 2);

  {
    EaRiskProfile profile;

    g_assert_true (ea_desk_get_account_profile (desk (), "SWING", &profile));
    g_assert_cmpstr (profile.id, ==, "apex-4.0-eod-25k");
  }
}

static void
test_add_and_reset (void)
{
  EaPreferencesWindow *prefs;
  EaDemoAccountsDialog *dialog;
  EaConfirmDialog *confirm;
  GtkWidget *message;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) saved = NULL;
  EaAccount *model;
  EaRiskStatus status;
  EaRiskProfile profile;

  g_assert_true (ea_test_wait_until (card_shown, (gpointer) "DEMO-1", 10000));

  /* Preferences → Demo accounts… opens the dialog (app.demo-accounts). */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = EA_PREFERENCES_WINDOW (find_window (EA_TYPE_PREFERENCES_WINDOW));
  g_assert_nonnull (prefs);
  ea_test_iterate (50);
  g_assert_true (click (ea_preferences_window_get_demo_accounts_button (prefs)));
  g_assert_true (ea_test_wait_until (dialog_open, NULL, 5000));
  dialog = EA_DEMO_ACCOUNTS_DIALOG (find_window (EA_TYPE_DEMO_ACCOUNTS_DIALOG));
  gtk_window_destroy (GTK_WINDOW (prefs));
  ea_test_iterate (50);
  message = ea_demo_accounts_dialog_get_message_label (dialog);

  g_assert_nonnull (ea_demo_accounts_dialog_get_reset_button (dialog, "DEMO-1"));
  g_assert_nonnull (ea_demo_accounts_dialog_get_reset_button (dialog, "SWING"));
  g_assert_true (gtk_widget_get_sensitive (ea_demo_accounts_dialog_get_add_button (dialog)));
  g_assert_false (gtk_widget_get_visible (ea_demo_accounts_dialog_get_limit_label (dialog)));

  /* Add: Apex legacy at 100K. */
  fill_form (dialog, "PRACTICE", "Apex Trader Funding · Legacy", "$100,000.00");
  g_assert_cmpstr (ea_demo_accounts_dialog_get_selected_profile (dialog), ==, "apex-legacy-100k");
  g_assert_true (click (ea_demo_accounts_dialog_get_create_button (dialog)));
  g_assert_false (gtk_widget_is_visible (ea_demo_accounts_dialog_get_name_entry (dialog)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "PRACTICE"));
  /* The profile by its firm and product, as the quick setup names it. */
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "on Apex Trader Funding · "));

  /* Saved, a card, the ticket's selector, and its profile's risk record. */
  saved = saved_accounts ();
  g_assert_cmpuint (saved->len, ==, 3);
  g_assert_cmpstr (((EaDemoAccount *) g_ptr_array_index (saved, 2))->name, ==, "PRACTICE");
  g_assert_cmpint (((EaDemoAccount *) g_ptr_array_index (saved, 2))->size, ==, USD (100000));
  g_assert_cmpstr (((EaDemoAccount *) g_ptr_array_index (saved, 2))->profile_id, ==, "apex-legacy-100k");
  g_clear_pointer (&saved, g_ptr_array_unref);
  g_assert_true (ea_test_wait_until (card_shown, (gpointer) "PRACTICE", 5000));
  g_assert_true (selector_has ("PRACTICE"));
  g_assert_true (ea_desk_get_account_profile (desk (), "PRACTICE", &profile));
  g_assert_cmpstr (profile.id, ==, "apex-legacy-100k");
  /* The card names the firm profile the risk check applies. */
  {
    const char *source = ea_account_card_get_profile_source (ea_dashboard_get_card (dashboard (), "PRACTICE"));

    g_assert_nonnull (source);
    g_assert_nonnull (strstr (source, "Legacy 100K"));
  }
  g_assert_nonnull (ea_demo_accounts_dialog_get_reset_button (dialog, "PRACTICE"));

  /* The same name again: refused, said in the dialog, nothing saved. */
  fill_form (dialog, "PRACTICE", "Apex Trader Funding · 4.0 EOD", "$50,000.00");
  g_assert_true (click (ea_demo_accounts_dialog_get_create_button (dialog)));
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_true (gtk_widget_has_css_class (message, "error"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "exists already"));
  saved = saved_accounts ();
  g_assert_cmpuint (saved->len, ==, 3);
  g_clear_pointer (&saved, g_ptr_array_unref);

  /* Two more through the form (the names it offers). */
  for (guint i = 0; i < 2; i++)
    {
      fill_form (dialog, NULL, "Apex Trader Funding · 4.0 EOD", "$50,000.00");
      g_assert_true (click (ea_demo_accounts_dialog_get_create_button (dialog)));
      g_assert_false (gtk_widget_has_css_class (message, "error"));
    }
  g_assert_cmpuint (ea_desk_get_n_demo_accounts (desk ()), ==, 5);

  /* The form open for a sixth, the sixth arrives another way: the
   * exchange's refusal is shown. */
  fill_form (dialog, "LATE", "Apex Trader Funding · Legacy", "$50,000.00");
  g_assert_true (ea_desk_add_demo_account (desk (), "OTHER", USD (50000), "apex-legacy-50k", &error));
  g_assert_no_error (error);
  ea_test_iterate (50);
  g_assert_false (gtk_widget_get_sensitive (ea_demo_accounts_dialog_get_add_button (dialog)));
  g_assert_true (gtk_widget_get_visible (ea_demo_accounts_dialog_get_limit_label (dialog)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (ea_demo_accounts_dialog_get_limit_label (dialog))),
                            "6 demo accounts at most"));
  g_assert_false (click (ea_demo_accounts_dialog_get_add_button (dialog)));
  g_assert_true (click (ea_demo_accounts_dialog_get_create_button (dialog)));
  g_assert_true (gtk_widget_has_css_class (message, "error"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "At most 6 demo accounts"));
  g_assert_null (ea_trading_store_lookup_account (ea_desk_get_store (desk ()), "LATE"));
  g_assert_true (ea_test_wait_until (card_shown, (gpointer) "OTHER", 5000));

  /* PRACTICE trades and loses a little. */
  {
    EaDeskOrder buy = { .account = "PRACTICE", .symbol = "MES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_MARKET, .qty = 2 };
    EaSimExchange *ex = ea_sim_broker_get_exchange (EA_SIM_BROKER (ea_application_get_demo_broker (app)));
    const EaQuoteData *q = ea_sim_exchange_get_quote (ex, "MES");
    EaPosition *p;
    g_autofree char *id = NULL;
    gint64 qty = 0;

    ea_sim_broker_set_realtime (EA_SIM_BROKER (ea_application_get_demo_broker (app)), FALSE);
    ea_sim_exchange_set_generator_enabled (ex, FALSE);
    ea_sim_exchange_push_quote (ex, "MES", q->bid, q->bid + 1, 50, 50, NULL);
    ea_sim_exchange_push_trade (ex, "MES", q->bid, 1, NULL);
    ea_test_iterate (20);
    ea_desk_place_order_async (desk (), &buy, EA_ACTOR_USER, NULL, placed_cb, &id);
    g_assert_true (ea_test_wait_until (is_set, &id, 5000));
    ea_test_iterate (50);
    p = ea_trading_store_lookup_position (ea_desk_get_store (desk ()), "PRACTICE", "MES");
    g_assert_nonnull (p);
    g_object_get (p, "qty", &qty, NULL);
    g_assert_cmpint (qty, ==, 2);
    ea_sim_exchange_push_quote (ex, "MES", q->bid - 20, q->bid - 19, 50, 50, NULL);
    ea_sim_exchange_push_trade (ex, "MES", q->bid - 20, 1, NULL);
    ea_test_iterate (50);
    g_assert_true (ea_desk_get_risk_status (desk (), "PRACTICE", &status));
    g_assert_cmpint (status.day_pnl, <, 0);
    g_assert_cmpstr (ea_account_card_get_side_text (ea_dashboard_get_card (dashboard (), "PRACTICE")), ==, "LONG");
  }

  /* Reset…, then Cancel: nothing happens. */
  g_assert_true (click (ea_demo_accounts_dialog_get_reset_button (dialog, "PRACTICE")));
  confirm = ea_demo_accounts_dialog_get_reset_dialog (dialog);
  g_assert_nonnull (confirm);
  g_assert_true (click (ea_confirm_dialog_get_cancel_button (confirm)));
  ea_test_iterate (50);
  g_assert_null (ea_demo_accounts_dialog_get_reset_dialog (dialog));
  g_assert_true (ea_desk_get_risk_status (desk (), "PRACTICE", &status));
  g_assert_cmpint (status.day_pnl, <, 0);

  /* Reset…, read what it does, Reset. */
  g_assert_true (click (ea_demo_accounts_dialog_get_reset_button (dialog, "PRACTICE")));
  confirm = ea_demo_accounts_dialog_get_reset_dialog (dialog);
  g_assert_nonnull (confirm);
  {
    const char *body = ea_confirm_dialog_get_body (confirm);

    g_assert_nonnull (strstr (body, "$100,000.00"));
    g_assert_nonnull (strstr (body, "flattened"));
    g_assert_nonnull (strstr (body, "cancelled"));
    g_assert_nonnull (strstr (body, "trailing floor"));
    g_assert_nonnull (strstr (body, "daily P&L"));
    g_assert_nonnull (strstr (body, "lockouts"));
  }
  g_assert_true (click (ea_confirm_dialog_get_confirm_button (confirm)));
  ea_test_iterate (100);

  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "PRACTICE was reset"));
  g_assert_false (gtk_widget_has_css_class (message, "error"));
  model = ea_trading_store_lookup_account (ea_desk_get_store (desk ()), "PRACTICE");
  g_assert_cmpint (ea_account_get_balance (model), ==, USD (100000));
  g_assert_true (ea_desk_get_risk_status (desk (), "PRACTICE", &status));
  g_assert_cmpint (status.day_pnl, ==, 0);
  g_assert_cmpint (status.peak, ==, USD (100000));
  g_assert_cmpint (status.floor, ==, USD (97000));
  g_assert_cmpstr (ea_account_card_get_side_text (ea_dashboard_get_card (dashboard (), "PRACTICE")), ==, "FLAT");

  gtk_window_destroy (GTK_WINDOW (dialog));
  ea_test_iterate (50);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* A fresh journal and risk state for every run. */
  {
    g_autofree char *data_home = g_dir_make_tmp ("ea-demo-accounts-XXXXXX", NULL);
    g_assert_nonnull (data_home);
    g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  }
  gtk_test_init (&argc, &argv, NULL);

  /* What the application finds at start: two good accounts, an unknown
   * profile and a size that is not the profile's. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    g_settings_set_value (settings, "demo-accounts",
                          g_variant_new_parsed ("[('DEMO-1', int64 50000, 'apex-legacy-50k'),"
                                                " ('GHOST', 50000, 'no-such-firm-50k'),"
                                                " ('ODD', 12345, 'apex-legacy-50k'),"
                                                " ('SWING', 25000, 'apex-4.0-eod-25k')]"));
  }

  {
    g_autoptr(GError) error = NULL;

    app = ea_application_new ();
    g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
    g_assert_no_error (error);
    g_application_hold (G_APPLICATION (app));
    g_application_activate (G_APPLICATION (app));
    gtk_window_set_default_size (ea_application_get_main_window (app), 1440, 900);
    gtk_window_present (ea_application_get_main_window (app));
  }

  g_test_add_func ("/demo-accounts-dialog/setting-read-at-start", test_setting_read_at_start);
  g_test_add_func ("/demo-accounts-dialog/add-and-reset", test_add_and_reset);

  ret = g_test_run ();

  gtk_window_destroy (ea_application_get_main_window (app));
  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);

  return ret;
}
