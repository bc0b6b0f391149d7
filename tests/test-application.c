/* test-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application shell under a real display and session bus: the window,
 * the emergency-stop latch from every trigger, and the reset confirmation.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "ea-alert.h"
#include "ea-app-brokers.h"
#include "ea-application.h"
#include "ea-journal-private.h"
#include "ea-test-gtk-utils.h"
#include "ea-notifier.h"
#include "ea-ninjatrader-broker.h"
#include "ea-preferences-window.h"
#include "ea-sim-broker.h"
#include "ea-tray.h"
#include "ea-setup-assistant.h"
#include "ea-window.h"
#include "journal-test-utils.h"

/* A minimal StatusNotifierWatcher, so the app's tray has a host. */
static const char watcher_xml[] =
  "<node><interface name='org.kde.StatusNotifierWatcher'>"
  "<method name='RegisterStatusNotifierItem'><arg type='s' direction='in'/></method>"
  "<method name='RegisterStatusNotifierHost'><arg type='s' direction='in'/></method>"
  "<property name='RegisteredStatusNotifierItems' type='as' access='read'/>"
  "<property name='IsStatusNotifierHostRegistered' type='b' access='read'/>"
  "<property name='ProtocolVersion' type='i' access='read'/>"
  "</interface></node>";

static guint watcher_registrations;

static void
watcher_method_cb (GDBusConnection       *connection,
                   const char            *sender,
                   const char            *path,
                   const char            *interface,
                   const char            *method,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  if (g_str_equal (method, "RegisterStatusNotifierItem"))
    watcher_registrations++;
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static GVariant *
watcher_property_cb (GDBusConnection  *connection,
                     const char       *sender,
                     const char       *path,
                     const char       *interface,
                     const char       *property,
                     GError          **error,
                     gpointer          user_data)
{
  if (g_str_equal (property, "RegisteredStatusNotifierItems"))
    return g_variant_new_strv (NULL, 0);
  if (g_str_equal (property, "IsStatusNotifierHostRegistered"))
    return g_variant_new_boolean (TRUE);
  return g_variant_new_int32 (0);
}

static void
start_fake_watcher (void)
{
  static const GDBusInterfaceVTable vtable = { watcher_method_cb, watcher_property_cb, NULL };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (watcher_xml, NULL);
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/StatusNotifierWatcher", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (bus, "org.kde.StatusNotifierWatcher", G_BUS_NAME_OWNER_FLAGS_NONE,
                                NULL, NULL, NULL, NULL);
}

static EaApplication *app;

static const char *
binary_path (void)
{
  const char *path = g_getenv ("EA_BINARY");

  g_assert_nonnull (path);
  return path;
}

static EaWindow *
ensure_window (void)
{
  GtkWindow *window;

  if (app == NULL)
    {
      g_autoptr(GError) error = NULL;

      app = ea_application_new ();
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
      g_assert_false (g_application_get_is_remote (G_APPLICATION (app)));
      /* Keep the application alive between windows. */
      g_application_hold (G_APPLICATION (app));
    }

  window = ea_application_get_main_window (app);
  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (app));
      window = ea_application_get_main_window (app);
    }

  g_assert_true (EA_IS_WINDOW (window));
  return EA_WINDOW (window);
}

static gboolean
widget_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (user_data));
}

static gboolean
desk_halted (gpointer user_data)
{
  return ea_desk_get_halted (EA_DESK (user_data));
}

static void
ensure_active (void)
{
  EaDesk *desk = ea_application_get_desk (app);

  if (ea_desk_get_halted (desk))
    g_assert_true (ea_desk_reset_emergency_stop (desk, NULL, NULL));
}

static void
test_no_instance (void)
{
  const char *argv[] = { binary_path (), "--emergency-stop", NULL };
  g_autofree char *output = NULL;
  int status = 0;

  /* Nothing owns the application's name yet. */
  g_assert_null (app);

  output = ea_test_run_binary (argv, &status);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (output, "not running"));
}

static void
test_version (void)
{
  const char *argv[] = { binary_path (), "--version", NULL };
  g_autofree char *output = NULL;
  int status = -1;

  output = ea_test_run_binary (argv, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (output, "enigma-apex " PACKAGE_VERSION "\n"));
}

static void
test_window_shell (void)
{
  EaWindow *window = ensure_window ();
  GtkWidget *button = ea_window_get_emergency_stop_button (window);
  g_autoptr(GRegex) clock_re = NULL;
  const char *title;

  g_assert_true (ea_test_wait_until (widget_mapped, window, 5000));
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_has_css_class (button, "emergency-stop"));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Emergency Stop");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (button), "Ctrl+Shift+X"));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "app.emergency-stop");

  /* Demo mode is the default and shows everywhere. */
  g_assert_cmpint (ea_desk_get_mode (ea_application_get_desk (app)), ==, EA_MODE_DEMO);
  g_assert_cmpstr (ea_window_get_mode_badge_text (window), ==, "DEMO");
  g_assert_true (gtk_widget_has_css_class (ea_window_get_mode_badge (window), "demo"));
  title = gtk_window_get_title (GTK_WINDOW (window));
  g_assert_nonnull (strstr (title, "DEMO"));

  clock_re = g_regex_new ("^[0-2][0-9]:[0-5][0-9]:[0-5][0-9] CT · [0-2][0-9]:[0-5][0-9]:[0-5][0-9] local$",
                          0, 0, NULL);
  g_assert_true (g_regex_match (clock_re, ea_window_get_clock_text (window), 0, NULL));

  g_assert_false (ea_window_get_halt_banner_revealed (window));
}

static void
test_actions_state (void)
{
  static const struct {
    const char *name;
    gboolean enabled;
  } cases[] = {
    { "emergency-stop", TRUE },
    { "reset-emergency-stop", FALSE }, /* nothing to reset */
    { "setup-assistant", TRUE },
    { "journal", TRUE },
    { "preferences", TRUE },
    { "shortcuts", TRUE },
    { "about", TRUE },
    { "quit", TRUE },
  };
  g_auto(GStrv) stop_actions = NULL;
  g_auto(GStrv) quit_actions = NULL;
  g_auto(GStrv) prefs_actions = NULL;
  g_auto(GStrv) prefs_accels = NULL;
  g_auto(GStrv) shortcuts_actions = NULL;

  ensure_window ();
  ensure_active ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), cases[i].name));
      g_assert_cmpint (g_action_group_get_action_enabled (G_ACTION_GROUP (app), cases[i].name),
                       ==, cases[i].enabled);
    }

  stop_actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), "<Control><Shift>x");
  g_assert_true (g_strv_contains ((const char * const *) stop_actions, "app.emergency-stop"));
  quit_actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), "<Control>q");
  g_assert_true (g_strv_contains ((const char * const *) quit_actions, "app.quit"));

  /* Ctrl+comma opens the preferences, as in every GNOME application;
   * GTK looks the pressed key up in this same table. */
  prefs_actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), "<Control>comma");
  g_assert_cmpuint (g_strv_length (prefs_actions), ==, 1);
  g_assert_cmpstr (prefs_actions[0], ==, "app.preferences");
  prefs_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  g_assert_true (g_strv_contains ((const char * const *) prefs_accels, "<Control>comma"));
  shortcuts_actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), "<Control>question");
  g_assert_true (g_strv_contains ((const char * const *) shortcuts_actions, "app.shortcuts"));
}

static EaPreferencesWindow *
find_preferences (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (EA_IS_PREFERENCES_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
add_alert (const char *kind)
{
  g_autoptr(EaAlert) alert = ea_alert_new (kind, EA_ALERT_PRIORITY_MEDIUM, "Test", kind, g_get_real_time ());

  ea_trading_store_add_alert (ea_desk_get_store (ea_application_get_desk (app)), alert);
}

/* Preferences: a notification type switched off never reaches the
 * desktop while the others still do; the emergency stop cannot be
 * switched off; the ERM threshold reaches the desk. */
static void
test_preferences (void)
{
  EaNotifier *notifier;
  EaPreferencesWindow *prefs;
  GtkWidget *show, *stop_show;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GVariant) saved = NULL;
  gboolean shown = TRUE, sound = TRUE;
  guint sent;

  ensure_window ();
  notifier = ea_application_get_notifier (app);
  settings = g_object_ref (ea_application_get_settings (app));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  ea_test_iterate (20);
  prefs = find_preferences ();
  g_assert_nonnull (prefs);
  /* Once: a second activation presents the same window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  ea_test_iterate (20);
  g_assert_true (find_preferences () == prefs);

  show = ea_preferences_window_get_type_switch (prefs, "new_signal", FALSE);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (show)));
  g_assert_true (ea_notifier_get_type_enabled (notifier, "new_signal"));
  gtk_switch_set_active (GTK_SWITCH (show), FALSE);
  ea_test_iterate (20);

  saved = g_settings_get_value (settings, "notification-types");
  g_assert_true (g_variant_lookup (saved, "new_signal", "(bb)", &shown, &sound));
  g_assert_false (shown);
  g_assert_false (ea_notifier_get_type_enabled (notifier, "new_signal"));

  /* Past the two-second repeat window of any earlier alert. */
  g_usleep (2100 * 1000);
  sent = ea_notifier_get_n_sent (notifier);
  add_alert ("new_signal");
  g_assert_cmpuint (ea_notifier_get_n_sent (notifier), ==, sent);
  add_alert ("system_status");
  g_assert_cmpuint (ea_notifier_get_n_sent (notifier), ==, sent + 1);

  /* The sound of one type, apart from showing it. */
  gtk_switch_set_active (GTK_SWITCH (ea_preferences_window_get_type_switch (prefs, "erm_reversal", TRUE)), FALSE);
  ea_test_iterate (20);
  g_assert_true (ea_notifier_get_type_enabled (notifier, "erm_reversal"));
  g_assert_false (ea_notifier_get_type_sound (notifier, "erm_reversal"));

  stop_show = ea_preferences_window_get_type_switch (prefs, "emergency_stop", FALSE);
  g_assert_false (gtk_widget_get_sensitive (stop_show));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (stop_show)));
  /* Even a setting written by hand cannot silence it. */
  g_settings_set_value (settings, "notification-types",
                        g_variant_new_parsed ("{'emergency_stop': (false, false)}"));
  g_assert_true (ea_notifier_get_type_enabled (notifier, "emergency_stop"));
  g_assert_false (ea_notifier_get_type_sound (notifier, "emergency_stop"));
  /* …and new_signal is back to its default. */
  g_assert_true (ea_notifier_get_type_enabled (notifier, "new_signal"));
  ea_test_iterate (20);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (show)));

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ea_preferences_window_get_erm_threshold (prefs)), 0.75);
  ea_test_iterate (20);
  g_assert_cmpfloat (g_settings_get_double (settings, "erm-threshold"), ==, 0.75);
  g_assert_cmpfloat (ea_desk_get_erm_config (ea_application_get_desk (app))->erm_threshold, ==, 0.75);

  g_settings_reset (settings, "notification-types");
  g_settings_reset (settings, "erm-threshold");
  gtk_window_destroy (GTK_WINDOW (prefs));
  ea_test_iterate (20);
}

/* Preferences: the NinjaTrader settings the adapter reads at its next
 * connection; bad order-state words are refused with a message and
 * nothing is saved. */
static void
test_preferences_ninjatrader (void)
{
  GSettings *settings = ea_application_get_settings (app);
  EaPreferencesWindow *prefs = ea_preferences_window_new (settings);
  GtkWidget *naming = ea_preferences_window_get_nt_widget (prefs, "nt-symbology");
  GtkWidget *stop = ea_preferences_window_get_nt_widget (prefs, "nt-stop-keyword");
  GtkWidget *connection = ea_preferences_window_get_nt_widget (prefs, "nt-connection-name");
  GtkWidget *atm = ea_preferences_window_get_nt_widget (prefs, "nt-atm-template");
  GtkWidget *words = ea_preferences_window_get_nt_widget (prefs, "nt-state-aliases");
  GtkWidget *problem = ea_preferences_window_get_nt_aliases_error (prefs);
  g_autoptr(EaNinjaTraderBroker) broker = NULL;
  g_autoptr(GVariant) saved = NULL;
  g_autofree char *value = NULL;
  g_autofree char *template = NULL;
  const char *state = NULL;
  int symbology = -1;

  g_assert_true (GTK_IS_DROP_DOWN (naming) && GTK_IS_DROP_DOWN (stop));
  g_assert_true (GTK_IS_ENTRY (connection) && GTK_IS_ENTRY (atm) && GTK_IS_ENTRY (words));
  gtk_window_present (GTK_WINDOW (prefs));
  ea_test_iterate (20);
  /* The defaults are shown. */
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (naming)), ==, 0);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (stop)), ==, 0);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (naming), 1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (stop), 1);
  gtk_editable_set_text (GTK_EDITABLE (connection), "Rithmic");
  gtk_editable_set_text (GTK_EDITABLE (atm), "2R Scalp");
  ea_test_iterate (20);
  value = g_settings_get_string (settings, "nt-symbology");
  g_assert_cmpstr (value, ==, "cme");
  g_clear_pointer (&value, g_free);
  value = g_settings_get_string (settings, "nt-stop-keyword");
  g_assert_cmpstr (value, ==, "STOP");
  g_clear_pointer (&value, g_free);
  value = g_settings_get_string (settings, "nt-connection-name");
  g_assert_cmpstr (value, ==, "Rithmic");
  g_clear_pointer (&value, g_free);
  value = g_settings_get_string (settings, "nt-atm-template");
  g_assert_cmpstr (value, ==, "2R Scalp");

  /* A valid list is saved (states in any case)… */
  gtk_editable_set_text (GTK_EDITABLE (words), "Canceled2=cancelled, Done = FILLED");
  ea_test_iterate (20);
  g_assert_false (gtk_widget_get_visible (problem));
  saved = g_settings_get_value (settings, "nt-state-aliases");
  g_assert_cmpuint (g_variant_n_children (saved), ==, 2);
  g_assert_true (g_variant_lookup (saved, "Canceled2", "&s", &state));
  g_assert_cmpstr (state, ==, "CANCELLED");
  g_assert_true (g_variant_lookup (saved, "Done", "&s", &state));
  g_assert_cmpstr (state, ==, "FILLED");
  g_clear_pointer (&saved, g_variant_unref);

  /* …a bad one is explained and not saved, and a fix is saved again. */
  {
    int end = (int) strlen (gtk_editable_get_text (GTK_EDITABLE (words)));
    int pos = end;

    gtk_editable_insert_text (GTK_EDITABLE (words), ", Cxl=FINISHED", -1, &pos);
    ea_test_iterate (20);
    g_assert_true (gtk_widget_get_visible (problem));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (problem)), "FINISHED"));
    g_assert_true (gtk_widget_has_css_class (words, "error"));
    saved = g_settings_get_value (settings, "nt-state-aliases");
    g_assert_cmpuint (g_variant_n_children (saved), ==, 2);
    g_assert_false (g_variant_lookup (saved, "Cxl", "&s", &state));
    g_clear_pointer (&saved, g_variant_unref);

    gtk_editable_delete_text (GTK_EDITABLE (words), end, -1);
    pos = end;
    gtk_editable_insert_text (GTK_EDITABLE (words), ", Filled=CANCELLED", -1, &pos);
    ea_test_iterate (20);
    g_assert_true (gtk_widget_get_visible (problem));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (problem)), "already a state"));
    saved = g_settings_get_value (settings, "nt-state-aliases");
    g_assert_cmpuint (g_variant_n_children (saved), ==, 2);
    g_clear_pointer (&saved, g_variant_unref);

    gtk_editable_delete_text (GTK_EDITABLE (words), end, -1);
    pos = end;
    gtk_editable_insert_text (GTK_EDITABLE (words), ", Cxl=CANCELLED", -1, &pos);
    ea_test_iterate (20);
    g_assert_false (gtk_widget_get_visible (problem));
    g_assert_false (gtk_widget_has_css_class (words, "error"));
    saved = g_settings_get_value (settings, "nt-state-aliases");
    g_assert_cmpuint (g_variant_n_children (saved), ==, 3);
    g_assert_true (g_variant_lookup (saved, "Cxl", "&s", &state));
    g_assert_cmpstr (state, ==, "CANCELLED");
    g_clear_pointer (&saved, g_variant_unref);
  }

  /* The adapter built from the settings takes what was chosen. */
  broker = ea_ninjatrader_broker_new_from_settings (settings);
  g_object_get (broker, "symbology", &symbology, "atm-template", &template, NULL);
  g_assert_cmpint (symbology, ==, EA_SYMBOLOGY_CME);
  g_assert_cmpstr (template, ==, "2R Scalp");

  /* A change made elsewhere shows. */
  g_settings_reset (settings, "nt-state-aliases");
  ea_test_iterate (20);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (words)), ==, "");
  g_assert_false (gtk_widget_get_visible (problem));

  g_settings_reset (settings, "nt-symbology");
  g_settings_reset (settings, "nt-stop-keyword");
  g_settings_reset (settings, "nt-connection-name");
  g_settings_reset (settings, "nt-atm-template");
  ea_test_iterate (20);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (naming)), ==, 0);
  gtk_window_destroy (GTK_WINDOW (prefs));
  ea_test_iterate (20);
}

static void
test_stop_through_action (void)
{
  EaWindow *window = ensure_window ();
  EaDesk *desk = ea_application_get_desk (app);

  ensure_active ();
  g_assert_false (ea_window_get_halt_banner_revealed (window));

  g_action_group_activate_action (G_ACTION_GROUP (app), "emergency-stop", NULL);

  g_assert_cmpint (ea_desk_get_trading_state (desk), ==, EA_TRADING_STATE_HALTED);
  g_assert_true (ea_window_get_halt_banner_revealed (window));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "reset-emergency-stop"));
}

static void
test_stop_through_button (void)
{
  EaWindow *window = ensure_window ();
  EaDesk *desk = ea_application_get_desk (app);
  guint before;

  ensure_active ();
  before = ea_desk_get_emergency_stop_count (desk);

  /* What a click does: the button activates its action. */
  g_signal_emit_by_name (ea_window_get_emergency_stop_button (window), "clicked");

  g_assert_true (ea_desk_get_halted (desk));
  g_assert_cmpuint (ea_desk_get_emergency_stop_count (desk), ==, before + 1);
  g_assert_true (ea_window_get_halt_banner_revealed (window));
}

static void
test_reset_requires_confirmation (void)
{
  EaWindow *window = ensure_window ();
  EaDesk *desk = ea_application_get_desk (app);
  EaConfirmDialog *dialog;

  ensure_active ();
  ea_desk_emergency_stop (desk, EA_ACTOR_USER, NULL);
  g_assert_true (ea_desk_get_halted (desk));

  /* Cancel keeps the latch. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "reset-emergency-stop", NULL);
  dialog = ea_window_get_reset_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (ea_desk_get_halted (desk));
  g_signal_emit_by_name (ea_confirm_dialog_get_cancel_button (dialog), "clicked");
  g_assert_null (ea_window_get_reset_dialog (window));
  g_assert_cmpint (ea_desk_get_trading_state (desk), ==, EA_TRADING_STATE_HALTED);
  g_assert_true (ea_window_get_halt_banner_revealed (window));

  /* Closing the dialog (Escape, window manager) also keeps it. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "reset-emergency-stop", NULL);
  dialog = ea_window_get_reset_dialog (window);
  g_assert_nonnull (dialog);
  gtk_window_close (GTK_WINDOW (dialog));
  ea_test_iterate (20);
  g_assert_null (ea_window_get_reset_dialog (window));
  g_assert_true (ea_desk_get_halted (desk));

  /* Confirming re-arms. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "reset-emergency-stop", NULL);
  dialog = ea_window_get_reset_dialog (window);
  g_assert_nonnull (dialog);
  g_signal_emit_by_name (ea_confirm_dialog_get_confirm_button (dialog), "clicked");
  g_assert_cmpint (ea_desk_get_trading_state (desk), ==, EA_TRADING_STATE_ACTIVE);
  g_assert_false (ea_window_get_halt_banner_revealed (window));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "reset-emergency-stop"));
}

/* The mapped widgets of @type under @widget whose text (a label's, a
 * button's) is @text, or any text when @text is NULL. */
static void
collect_widgets (GtkWidget   *widget,
                 GType        type,
                 const char  *text,
                 GPtrArray   *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    {
      const char *own = GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget))
                        : GTK_IS_BUTTON (widget) ? gtk_button_get_label (GTK_BUTTON (widget))
                        : NULL;

      if (text == NULL || g_strcmp0 (own, text) == 0)
        g_ptr_array_add (out, widget);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, type, text, out);
}

static gboolean
reset_dialog_open (gpointer user_data)
{
  return ea_window_get_reset_dialog (EA_WINDOW (user_data)) != NULL;
}

static gboolean
reset_dialog_closed (gpointer user_data)
{
  return ea_window_get_reset_dialog (EA_WINDOW (user_data)) == NULL;
}

static gboolean
banner_hidden (gpointer user_data)
{
  return !ea_window_get_halt_banner_revealed (EA_WINDOW (user_data));
}

/* The banner as the user sees it: it says "Trading halted", and its
 * Reset… button (pressed, not its action called) asks for confirmation
 * before anything is re-armed. */
static void
test_halt_banner_reset_button (void)
{
  EaWindow *window = ensure_window ();
  EaDesk *desk = ea_application_get_desk (app);
  GtkWidget *banner = ea_window_get_halt_banner (window);
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  EaConfirmDialog *dialog;
  GtkWidget *reset;

  ensure_active ();
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ea_test_wait_until (widget_mapped, window, 5000));
  g_assert_false (ea_window_get_halt_banner_revealed (window));

  ea_desk_emergency_stop (desk, EA_ACTOR_USER, NULL);
  g_assert_true (ea_test_wait_until (widget_mapped, banner, 5000));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (banner),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Trading halted");
  collect_widgets (banner, GTK_TYPE_LABEL, "Trading halted", titles);
  g_assert_cmpuint (titles->len, ==, 1);

  collect_widgets (banner, GTK_TYPE_BUTTON, NULL, buttons);
  g_assert_cmpuint (buttons->len, ==, 1);
  reset = g_ptr_array_index (buttons, 0);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (reset)), ==, "_Reset…");
  g_assert_true (gtk_button_get_use_underline (GTK_BUTTON (reset)));
  g_assert_true (gtk_widget_is_sensitive (reset));

  /* Pressed: a modal confirmation, and still halted. */
  g_assert_null (ea_window_get_reset_dialog (window));
  g_assert_true (gtk_widget_activate (reset));
  g_assert_true (ea_test_wait_until (reset_dialog_open, window, 5000));
  dialog = ea_window_get_reset_dialog (window);
  g_assert_true (ea_test_wait_until (widget_mapped, dialog, 5000));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_nonnull (strstr (ea_confirm_dialog_get_body (dialog), "New orders will be accepted again"));
  g_assert_true (ea_desk_get_halted (desk));

  /* Its Cancel button keeps the latch. */
  g_assert_true (gtk_widget_activate (ea_confirm_dialog_get_cancel_button (dialog)));
  g_assert_true (ea_test_wait_until (reset_dialog_closed, window, 5000));
  g_assert_cmpint (ea_desk_get_trading_state (desk), ==, EA_TRADING_STATE_HALTED);
  g_assert_true (gtk_widget_get_mapped (banner));

  /* Pressed again and confirmed: trading resumes and the banner goes. */
  g_assert_true (gtk_widget_activate (reset));
  g_assert_true (ea_test_wait_until (reset_dialog_open, window, 5000));
  dialog = ea_window_get_reset_dialog (window);
  g_assert_true (gtk_widget_activate (ea_confirm_dialog_get_confirm_button (dialog)));
  g_assert_true (ea_test_wait_until (banner_hidden, window, 5000));
  g_assert_cmpint (ea_desk_get_trading_state (desk), ==, EA_TRADING_STATE_ACTIVE);
  g_assert_false (gtk_widget_is_sensitive (reset));
}

typedef struct
{
  const char *setting;
  EaMode      mode;
  const char *text;
  guint32     rgb;
} BadgeCase;

/* DOMAIN §9: Demo green, Test amber, Live red. */
static const BadgeCase badge_cases[] = {
  { "demo", EA_MODE_DEMO, "DEMO", 0x28a745 },
  { "test", EA_MODE_TEST, "TEST", 0xffc107 },
  { "live", EA_MODE_LIVE, "LIVE", 0xdc3545 },
};

static void
assert_rgb_near (gint64  rgb,
                 guint32 want)
{
  g_assert_cmpint (rgb, >=, 0);
  for (guint shift = 0; shift <= 16; shift += 8)
    {
      int got_c = (int) ((rgb >> shift) & 0xff);
      int want_c = (int) ((want >> shift) & 0xff);

      if (ABS (got_c - want_c) > 3)
        g_error ("colour #%06x, expected #%06x", (guint) rgb, want);
    }
}

/* Each mode's badge, as drawn: its text, its style class and the colour
 * of its background. The app starts in the saved mode, so each mode runs
 * in a process of its own. */
static void
test_mode_badge (gconstpointer data)
{
  const BadgeCase *c = data;

  if (g_test_subprocess ())
    {
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);
      g_autoptr(EaApplication) child = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      EaWindow *window;
      GtkWidget *badge;

      g_settings_set_string (settings, "mode", c->setting);
      child = ea_application_new ();
      g_application_set_flags (G_APPLICATION (child), G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (child), NULL, &error));
      g_assert_no_error (error);
      g_application_activate (G_APPLICATION (child));
      window = EA_WINDOW (ea_application_get_main_window (child));
      g_assert_true (ea_test_wait_until (widget_mapped, window, 10000));
      g_assert_cmpint (ea_desk_get_mode (ea_application_get_desk (child)), ==, c->mode);

      badge = ea_window_get_mode_badge (window);
      g_assert_true (ea_test_wait_until (widget_mapped, badge, 10000));
      g_assert_cmpstr (ea_window_get_mode_badge_text (window), ==, c->text);
      g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (window)), c->text));
      for (guint i = 0; i < G_N_ELEMENTS (badge_cases); i++)
        g_assert_cmpint (gtk_widget_has_css_class (badge, badge_cases[i].setting), ==, &badge_cases[i] == c);

      /* A slow display may not have drawn it yet: try the next frames. */
      for (guint attempt = 0; (texture = ea_test_render_widget (badge, &error)) == NULL; attempt++)
        {
          g_assert_cmpuint (attempt, <, 20);
          g_clear_error (&error);
          ea_test_iterate (250);
        }
      assert_rgb_near (ea_test_texture_dominant_rgb (texture), c->rgb);

      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }

  {
    g_autofree char *dir = g_dir_make_tmp ("ea-badge-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "journal.sqlite3", NULL);

    g_setenv ("EA_JOURNAL_PATH", path, TRUE);
    g_setenv ("EA_NO_DEMO_EXCHANGE", "1", TRUE);
    g_setenv ("EA_NO_TRAY", "1", TRUE);
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_unsetenv ("EA_JOURNAL_PATH");
    g_unsetenv ("EA_NO_DEMO_EXCHANGE");
    g_unsetenv ("EA_NO_TRAY");
    g_test_trap_assert_passed ();
  }
}

static void
test_lock_refuses_reset (void)
{
  EaWindow *window = ensure_window ();
  EaDesk *desk = ea_application_get_desk (app);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) until = g_date_time_add_hours (now, 2);
  EaConfirmDialog *dialog;

  ensure_active ();
  ea_desk_emergency_stop (desk, EA_ACTOR_AUTOMATIC, "Daily loss limit");
  ea_desk_lock (desk, until, "Daily loss limit reached");

  g_action_group_activate_action (G_ACTION_GROUP (app), "reset-emergency-stop", NULL);
  dialog = ea_window_get_reset_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (ea_confirm_dialog_get_body (dialog), "Daily loss limit reached"));
  /* …and until when, in local time (the tests run in UTC). */
  {
    g_autoptr(GDateTime) local = g_date_time_to_local (until);
    g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");
    g_autofree char *expected = g_strdup_printf ("locked until %s", when);

    g_assert_nonnull (strstr (ea_confirm_dialog_get_body (dialog), expected));
  }
  g_signal_emit_by_name (ea_confirm_dialog_get_confirm_button (dialog), "clicked");

  /* Confirmed, but refused: the lock has not expired. */
  g_assert_cmpint (ea_desk_get_trading_state (desk), ==, EA_TRADING_STATE_LOCKED);
  g_assert_true (ea_window_get_halt_banner_revealed (window));

  /* Let the lock expire (a time in the future counts as now). */
  {
    g_autoptr(GDateTime) later = g_date_time_add_hours (until, 1);
    g_assert_true (ea_desk_reset_emergency_stop (desk, later, NULL));
  }
  g_assert_false (ea_window_get_halt_banner_revealed (window));
}

static void
test_stop_from_command_line (void)
{
  const char *argv[] = { binary_path (), "--emergency-stop", NULL };
  EaDesk *desk;
  g_autofree char *output = NULL;
  int status = -1;

  ensure_window ();
  ensure_active ();
  desk = ea_application_get_desk (app);

  /* A second process: forwarded to this primary instance over D-Bus. */
  output = ea_test_run_binary (argv, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (ea_test_wait_until (desk_halted, desk, 10000));
  g_assert_true (ea_window_get_halt_banner_revealed (EA_WINDOW (ea_application_get_main_window (app))));
}

static void
test_stop_from_gapplication_tool (void)
{
  g_autofree char *gapplication = g_find_program_in_path ("gapplication");
  EaDesk *desk;
  g_autofree char *output = NULL;
  int status = -1;

  if (gapplication == NULL)
    {
      g_test_skip ("gapplication (libglib2.0-bin) is not installed");
      return;
    }

  ensure_window ();
  ensure_active ();
  desk = ea_application_get_desk (app);

  {
    const char *argv[] = { gapplication, "action", APP_ID, "emergency-stop", NULL };
    output = ea_test_run_binary (argv, &status);
  }
  g_assert_cmpint (status, ==, 0);
  g_assert_true (ea_test_wait_until (desk_halted, desk, 10000));
}

static void
test_window_size_saved (void)
{
  EaWindow *window = ensure_window ();
  GSettings *settings = ea_application_get_settings (app);
  int width, height;

  gtk_window_unmaximize (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 1111, 777);
  gtk_window_close (GTK_WINDOW (window));
  ea_test_iterate (20);

  g_assert_null (ea_application_get_main_window (app));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1111);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 777);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* A new window comes back at the saved size. */
  window = ensure_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1111);
  g_assert_cmpint (height, ==, 777);
}

static gboolean
window_maximized (gpointer user_data)
{
  return gtk_window_is_maximized (GTK_WINDOW (user_data));
}

/* The maximized state goes to GSettings on close and comes back on the
 * next window; the size to come back to is not replaced by the size of
 * the screen. */
static void
test_window_maximized_saved (void)
{
  EaWindow *window = ensure_window ();
  GSettings *settings = ea_application_get_settings (app);

  /* Closed at a normal size. */
  g_assert_false (gtk_window_is_maximized (GTK_WINDOW (window)));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_close (GTK_WINDOW (window));
  ea_test_iterate (20);
  g_assert_null (ea_application_get_main_window (app));
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);

  /* Saved maximized: the next window opens maximized. */
  g_settings_set_boolean (settings, "window-maximized", TRUE);
  window = ensure_window ();
  g_assert_true (ea_test_wait_until (widget_mapped, window, 5000));
  g_assert_true (ea_test_wait_until (window_maximized, window, 5000));

  /* Closing saves what the window is, not what was saved before. */
  g_settings_set_boolean (settings, "window-maximized", FALSE);
  gtk_window_close (GTK_WINDOW (window));
  ea_test_iterate (20);
  g_assert_null (ea_application_get_main_window (app));
  g_assert_true (g_settings_get_boolean (settings, "window-maximized"));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);

  /* Not maximized when the setting says so (the tests after this one). */
  g_settings_set_boolean (settings, "window-maximized", FALSE);
  window = ensure_window ();
  g_assert_true (ea_test_wait_until (widget_mapped, window, 5000));
  g_assert_false (gtk_window_is_maximized (GTK_WINDOW (window)));
}

static gboolean
widget_hidden (gpointer user_data)
{
  return !gtk_widget_get_visible (GTK_WIDGET (user_data));
}

static GtkAboutDialog *
find_about_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (GTK_IS_ABOUT_DIALOG (w))
        return GTK_ABOUT_DIALOG (w);
    }

  return NULL;
}

/* app.about opens the About dialog over the main window, with the
 * application's identity, and it closes. */
static void
test_about_dialog (void)
{
  EaWindow *window = ensure_window ();
  GtkAboutDialog *about;

  g_assert_null (find_about_dialog ());
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = find_about_dialog ();
  g_assert_nonnull (about);
  g_assert_true (ea_test_wait_until (widget_mapped, about, 5000));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));
  g_assert_cmpstr (gtk_about_dialog_get_program_name (about), ==, "Enigma Apex");
  g_assert_cmpstr (gtk_about_dialog_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (gtk_about_dialog_get_logo_icon_name (about), ==, APP_ID);
  g_assert_cmpint (gtk_about_dialog_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);

  gtk_window_close (GTK_WINDOW (about));
  g_assert_true (ea_test_wait_until (widget_hidden, about, 5000));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (about)));

  /* Asked again, it comes back (one dialog, not a pile of them). */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_true (find_about_dialog () == about);
  g_assert_true (ea_test_wait_until (widget_mapped, about, 5000));
  gtk_window_close (GTK_WINDOW (about));
  g_assert_true (ea_test_wait_until (widget_hidden, about, 5000));
}

/* The GtkShortcutsShortcut for @action_name under @widget, if any. */
static GtkWidget *
find_shortcut (GtkWidget  *widget,
               const char *action_name)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *name = NULL;

      g_object_get (widget, "action-name", &name, NULL);
      if (g_strcmp0 (name, action_name) == 0)
        return widget;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_shortcut (child, action_name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* app.shortcuts opens the window's keyboard shortcuts window, which lists
 * the application's shortcuts, and it closes. */
static void
test_shortcuts_window (void)
{
  EaWindow *window = ensure_window ();
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));

  g_assert_nonnull (overlay);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (overlay)));

  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  g_assert_true (ea_test_wait_until (widget_mapped, overlay, 5000));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (overlay)) == GTK_WINDOW (window));
  g_assert_nonnull (find_shortcut (GTK_WIDGET (overlay), "app.emergency-stop"));
  g_assert_nonnull (find_shortcut (GTK_WIDGET (overlay), "app.preferences"));
  g_assert_nonnull (find_shortcut (GTK_WIDGET (overlay), "app.quit"));

  gtk_window_close (GTK_WINDOW (overlay));
  g_assert_true (ea_test_wait_until (widget_hidden, overlay, 5000));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (overlay)));
}

static void
test_screenshot (void)
{
  EaWindow *window = ensure_window ();
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, "window-halted.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  ensure_active ();
  ea_desk_emergency_stop (ea_application_get_desk (app), EA_ACTOR_USER, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 720);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ea_test_wait_until (widget_mapped, window, 10000));
  ea_test_iterate (400);

  g_mkdir_with_parents (dir, 0755);
  /* A slow build may not have drawn the dashboard yet: try the next frames. */
  for (guint attempt = 0; !ea_test_save_screenshot (GTK_WIDGET (window), path, &error); attempt++)
    {
      g_assert_cmpuint (attempt, <, 20);
      g_clear_error (&error);
      ea_test_iterate (250);
    }
  g_assert_no_error (error);

  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), >=, 640);
  g_test_message ("Screenshot: %s", path);
}

static gboolean
tray_registered (gpointer user_data)
{
  EaTray *tray = ea_application_get_tray (app);

  return tray != NULL && ea_tray_get_registered (tray);
}

static gboolean
window_hidden (gpointer user_data)
{
  return !gtk_widget_get_visible (GTK_WIDGET (user_data));
}

static EaConfirmDialog *
find_confirm_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (EA_IS_CONFIRM_DIALOG (w))
        return EA_CONFIRM_DIALOG (w);
    }

  return NULL;
}

static gboolean
confirm_dialog_open (gpointer user_data)
{
  return find_confirm_dialog () != NULL;
}

static gboolean stop_settled (gpointer user_data);
static gboolean broker_connected (gpointer user_data);

static void
test_tray_keeps_desk_running (void)
{
  EaWindow *window = ensure_window ();
  EaDesk *desk = ea_application_get_desk (app);
  EaPositionData position = { .account = (char *) "TRAY-1", .symbol = (char *) "ES", .qty = 2, .avg_price = 27200 };
  EaTray *tray;

  ensure_active ();
  g_assert_true (ea_test_wait_until (tray_registered, NULL, 10000));
  g_assert_cmpuint (watcher_registrations, >=, 1);
  tray = ea_application_get_tray (app);
  g_assert_cmpstr (ea_tray_get_status (tray), ==, "Active");

  /* Closing with a position open asks, then keeps running in the tray. */
  ea_trading_store_apply_position (ea_desk_get_store (desk), &position);
  g_settings_set_enum (ea_application_get_settings (app), "close-to-tray", 0);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (ea_test_wait_until (confirm_dialog_open, NULL, 5000));
  g_signal_emit_by_name (ea_confirm_dialog_get_confirm_button (find_confirm_dialog ()), "clicked");
  g_assert_true (ea_test_wait_until (window_hidden, window, 5000));
  g_assert_true (ea_application_get_main_window (app) == GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_enum (ea_application_get_settings (app), "close-to-tray"), ==, 1);
  g_assert_false (ea_tray_get_window_visible (tray));

  /* The tray's Show brings it back. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "toggle-window", NULL);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  /* While the stop is not confirmed, the tray asks for attention: the
   * accounts are stopping until the broker answers. */
  g_assert_true (ea_test_wait_until (broker_connected, ea_application_get_demo_broker (app), 10000));
  ea_desk_emergency_stop (desk, EA_ACTOR_USER, NULL);
  g_assert_true (ea_desk_get_stop_pending (desk));
  g_assert_cmpstr (ea_tray_get_status (tray), ==, "NeedsAttention");
  /* Confirmed flat: back to normal. */
  g_assert_true (ea_test_wait_until (stop_settled, desk, 10000));
  g_assert_cmpstr (ea_tray_get_status (tray), ==, "Active");

  /* Put the flat state back for the tests after this one. */
  position.qty = 0;
  ea_trading_store_apply_position (ea_desk_get_store (desk), &position);
  g_settings_set_enum (ea_application_get_settings (app), "close-to-tray", 2);
}

static gboolean
stop_settled (gpointer user_data)
{
  return !ea_desk_get_stop_pending (EA_DESK (user_data));
}

static gboolean
broker_connected (gpointer user_data)
{
  return ea_broker_get_connection_state (EA_BROKER (user_data)) == EA_CONNECTION_STATE_CONNECTED;
}

static gboolean
desk_has_account (gpointer user_data)
{
  return ea_desk_get_stop_status (ea_application_get_desk (app), user_data, NULL) != EA_STOP_STATUS_NONE ||
         ea_desk_get_account_enabled (ea_application_get_desk (app), user_data);
}

/* The banner's line of @account, or NULL. */
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

static guint
n_halt_lines (EaWindow *window)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (ea_window_get_halt_accounts (window));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    n++;

  return n;
}

/* The banner lists each account's outcome on its own line, an UNRESOLVED
 * one in the error style; the notification is critical and rings. */
static void
test_banner_outcomes (void)
{
  EaWindow *window = ensure_window ();
  EaDesk *desk = ea_application_get_desk (app);
  EaNotifier *notifier = ea_application_get_notifier (app);
  EaBroker *demo = ea_application_get_demo_broker (app);
  EaTray *tray = ea_application_get_tray (app);
  g_autoptr(GError) error = NULL;
  GtkWidget *line;
  guint sent;

  ensure_active ();
  g_assert_nonnull (demo);
  g_assert_true (ea_test_wait_until (broker_connected, demo, 10000));
  if (!ea_desk_get_account_enabled (desk, "DEMO-2"))
    {
      g_assert_true (ea_sim_broker_add_account (EA_SIM_BROKER (demo), "DEMO-2", EA_MICROS (50000),
                                                "Apex legacy 50K", &error));
      g_assert_no_error (error);
    }
  g_assert_true (ea_test_wait_until (desk_has_account, (gpointer) "DEMO-2", 10000));
  g_assert_true (ea_test_wait_until (desk_has_account, (gpointer) "DEMO-1", 10000));

  /* Away: both accounts UNRESOLVED, with the reason, in the error style. */
  ea_sim_broker_simulate_disconnect (EA_SIM_BROKER (demo), "cable pulled");
  ea_test_iterate (20);
  sent = ea_notifier_get_n_sent (notifier);
  ea_desk_emergency_stop (desk, EA_ACTOR_USER, NULL);
  ea_test_iterate (20);

  g_assert_true (ea_window_get_halt_banner_revealed (window));
  g_assert_cmpuint (n_halt_lines (window), >=, 2);
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "DEMO-1" : "DEMO-2";

      line = halt_line (window, name);
      g_assert_nonnull (line);
      g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (line)), name));
      g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (line)), "UNRESOLVED"));
      g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (line)), "disconnected"));
      g_assert_true (gtk_widget_has_css_class (line, "stop-unresolved"));
      g_assert_true (gtk_widget_has_css_class (line, "error"));
    }
  if (tray != NULL)
    g_assert_cmpstr (ea_tray_get_status (tray), ==, "NeedsAttention");

  /* The start and the UNRESOLVED outcome both reached the desktop,
   * critical and with sound. */
  g_assert_cmpuint (ea_notifier_get_n_sent (notifier), >=, sent + 2);
  g_assert_cmpstr (ea_notifier_get_last_id (notifier), ==, "alert-emergency-stop");
  g_assert_cmpint (ea_notifier_get_last_priority (notifier), ==, G_NOTIFICATION_PRIORITY_URGENT);
  g_assert_true (ea_notifier_get_last_sound (notifier));
  {
    GListModel *alerts = ea_trading_store_get_alerts (ea_desk_get_store (desk));
    g_autoptr(EaAlert) last = g_list_model_get_item (alerts, g_list_model_get_n_items (alerts) - 1);

    g_assert_cmpstr (ea_alert_get_kind (last), ==, "emergency_stop");
    g_assert_cmpstr (ea_alert_get_title (last), ==, "Emergency stop: UNRESOLVED");
    g_assert_nonnull (strstr (ea_alert_get_body (last), "DEMO-2"));
  }

  /* Back: the pipeline resumes; every line says flat, none in red. */
  ea_sim_broker_simulate_reconnect (EA_SIM_BROKER (demo));
  g_assert_true (ea_test_wait_until (stop_settled, desk, 10000));
  ea_test_iterate (20);
  for (guint i = 0; i < 2; i++)
    {
      line = halt_line (window, i == 0 ? "DEMO-1" : "DEMO-2");
      g_assert_nonnull (line);
      g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (line)), "flat"));
      g_assert_true (gtk_widget_has_css_class (line, "stop-flat"));
      g_assert_false (gtk_widget_has_css_class (line, "error"));
    }
  if (tray != NULL)
    g_assert_cmpstr (ea_tray_get_status (tray), ==, "Active");
  g_assert_true (ea_window_get_halt_banner_revealed (window));
  g_assert_cmpint (ea_notifier_get_last_priority (notifier), ==, G_NOTIFICATION_PRIORITY_URGENT);
  g_assert_true (ea_notifier_get_last_sound (notifier));

  /* Reset: the banner and its lines go. */
  g_assert_true (ea_desk_reset_emergency_stop (desk, NULL, NULL));
  g_assert_false (ea_window_get_halt_banner_revealed (window));
  g_assert_cmpuint (n_halt_lines (window), ==, 0);
}

static void
dbus_reply_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* A call from another connection to the app's tray, while the app's main
 * loop runs to answer it. */
static GVariant *
call_tray (GDBusConnection *peer,
           const char      *path,
           const char      *interface,
           const char      *method,
           GVariant        *parameters)
{
  const char *name = g_dbus_connection_get_unique_name (g_application_get_dbus_connection (G_APPLICATION (app)));
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  GVariant *reply;

  g_dbus_connection_call (peer, name, path, interface, method, parameters, NULL,
                          G_DBUS_CALL_FLAGS_NONE, 10000, NULL, dbus_reply_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  reply = g_dbus_connection_call_finish (peer, res, &error);
  g_object_unref (res);
  g_assert_no_error (error);

  return reply;
}

/* The id of the menu item labelled @label in the tray's layout. */
static gint32
menu_item_id (GDBusConnection *peer,
              const char      *label)
{
  const char *props[] = { "label", NULL };
  g_autoptr(GVariant) reply = call_tray (peer, "/MenuBar", "com.canonical.dbusmenu", "GetLayout",
                                         g_variant_new ("(ii^as)", 0, -1, props));
  g_autoptr(GVariant) layout = g_variant_get_child_value (reply, 1);
  g_autoptr(GVariant) children = g_variant_get_child_value (layout, 2);

  for (gsize i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) item = g_variant_get_variant (boxed);
      g_autoptr(GVariant) item_props = g_variant_get_child_value (item, 1);
      const char *text = NULL;
      gint32 id;

      g_variant_get_child (item, 0, "i", &id);
      if (g_variant_lookup (item_props, "label", "&s", &text) && g_strcmp0 (text, label) == 0)
        return id;
    }

  g_assert_not_reached ();
  return -1;
}

/* The tray over the session bus, as a StatusNotifierItem host sends it:
 * Activate (a left click) shows the window, and the menu's Emergency
 * Stop "clicked" runs the whole pipeline in the app. */
static void
test_tray_dbus_stop (void)
{
  EaWindow *window = ensure_window ();
  EaDesk *desk = ea_application_get_desk (app);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) peer = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint before;
  gint32 id;

  ensure_active ();
  g_assert_true (ea_test_wait_until (tray_registered, NULL, 10000));
  g_assert_true (ea_test_wait_until (broker_connected, ea_application_get_demo_broker (app), 10000));

  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  peer = g_dbus_connection_new_for_address_sync (address,
                                                 G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                 G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                 NULL, NULL, &error);
  g_assert_no_error (error);

  /* A left click on the icon brings a hidden window back. */
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_tray (peer, "/StatusNotifierItem", "org.kde.StatusNotifierItem", "Activate",
                     g_variant_new ("(ii)", 0, 0));
  g_assert_true (ea_test_wait_until (widget_mapped, window, 10000));

  /* Emergency Stop from the menu. */
  id = menu_item_id (peer, "Emergency Stop");
  before = ea_desk_get_emergency_stop_count (desk);
  g_assert_false (ea_desk_get_halted (desk));
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_tray (peer, "/MenuBar", "com.canonical.dbusmenu", "Event",
                     g_variant_new ("(isvu)", id, "clicked", g_variant_new_int32 (0), 0));

  g_assert_true (ea_test_wait_until (desk_halted, desk, 10000));
  g_assert_cmpuint (ea_desk_get_emergency_stop_count (desk), ==, before + 1);
  g_assert_true (ea_test_wait_until (stop_settled, desk, 10000));
  g_assert_cmpint (ea_desk_get_stop_status (desk, "DEMO-1", NULL), ==, EA_STOP_STATUS_FLAT);
  g_assert_true (ea_window_get_halt_banner_revealed (window));
  g_assert_nonnull (halt_line (window, "DEMO-1"));
}

static void
journal_result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_alert (gpointer user_data)
{
  EaApplication *child = user_data;
  GListModel *alerts;

  if (ea_application_get_desk (child) == NULL)
    return FALSE;

  alerts = ea_trading_store_get_alerts (ea_desk_get_store (ea_application_get_desk (child)));
  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(EaAlert) alert = g_list_model_get_item (alerts, i);

      if (g_str_equal (ea_alert_get_title (alert), "Audit trail broken"))
        return TRUE;
    }

  return FALSE;
}

static void
test_broken_audit_warns (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(EaApplication) child = ea_application_new ();
      g_autoptr(GError) error = NULL;

      g_application_set_flags (G_APPLICATION (child), G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (child), NULL, &error));
      g_assert_true (ea_test_wait_until (has_alert, child, 10000));
      return;
    }

  {
    g_autofree char *dir = g_dir_make_tmp ("ea-audit-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "journal.sqlite3", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(EaJournal) journal = ea_journal_new_sync (path, NULL, &error);
    GAsyncResult *res = NULL;
    sqlite3 *db = NULL;

    g_assert_no_error (error);
    for (guint i = 0; i < 3; i++)
      {
        ea_journal_audit_async (journal, EA_ACTOR_USER, "test.row", "row", "{\"n\":1}", NULL, journal_result_cb, &res);
        while (res == NULL)
          g_main_context_iteration (NULL, TRUE);
        g_assert_cmpint (ea_journal_audit_finish (journal, res, NULL), >, 0);
        g_clear_object (&res);
      }
    ea_journal_close (journal);
    g_clear_object (&journal);

    /* Someone edits a row behind the app's back, triggers and all. */
    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER IF EXISTS audit_no_update; "
                                      "UPDATE audit SET subject = 'forged' WHERE seq = 2;",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);

    g_setenv ("EA_JOURNAL_PATH", path, TRUE);
    g_setenv ("EA_NO_DEMO_EXCHANGE", "1", TRUE);
    g_setenv ("EA_NO_TRAY", "1", TRUE);
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed ();
    g_unsetenv ("EA_JOURNAL_PATH");
    g_unsetenv ("EA_NO_DEMO_EXCHANGE");
    g_unsetenv ("EA_NO_TRAY");
  }
}

static gboolean
journal_banner_is (gpointer user_data)
{
  EaWindow *window = EA_WINDOW (ea_application_get_main_window (app));

  return ea_window_get_journal_banner_revealed (window) == GPOINTER_TO_INT (user_data);
}

static void
journal_step (EaJournal *journal,
              gboolean   query_only)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;

  _ea_journal_set_query_only_async (journal, query_only, journal_result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (_ea_journal_set_query_only_finish (journal, res, &error));
  g_assert_no_error (error);
  g_clear_object (&res);

  /* A write tells the journal whether it can write. */
  ea_journal_audit_async (journal, EA_ACTOR_USER, "test.row", "row", NULL, NULL, journal_result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ea_journal_audit_finish (journal, res, NULL) > 0, ==, !query_only);
  g_clear_object (&res);
}

/* A journal that stops recording shows a banner over the desk and raises
 * an alert at once; the banner goes when it records again. */
static void
test_journal_banner (void)
{
  EaWindow *window = ensure_window ();
  EaDesk *desk = ea_application_get_desk (app);
  EaJournal *journal = ea_application_get_journal (app);
  GListModel *alerts = ea_trading_store_get_alerts (ea_desk_get_store (desk));
  guint before = g_list_model_get_n_items (alerts);
  gboolean alerted = FALSE;

  g_assert_nonnull (journal);
  g_assert_false (ea_window_get_journal_banner_revealed (window));

  journal_step (journal, TRUE);
  g_assert_true (ea_test_wait_until (journal_banner_is, GINT_TO_POINTER (TRUE), 5000));
  g_assert_false (ea_desk_get_journal_writable (desk));
  for (guint i = before; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(EaAlert) alert = g_list_model_get_item (alerts, i);

      alerted |= g_strcmp0 (ea_alert_get_title (alert), "Journal cannot be written") == 0 &&
                 ea_alert_get_priority (alert) == EA_ALERT_PRIORITY_CRITICAL;
    }
  g_assert_true (alerted);

  journal_step (journal, FALSE);
  g_assert_true (ea_test_wait_until (journal_banner_is, GINT_TO_POINTER (FALSE), 5000));
  g_assert_true (ea_desk_get_journal_writable (desk));
}

static void
test_demo_flag (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);
      g_autoptr(EaApplication) child = ea_application_new ();
      const char *argv[] = { "enigma-apex", "--demo", NULL };
      g_autofree char *mode = NULL;
      int status;

      g_settings_set_string (settings, "mode", "live");
      g_application_set_flags (G_APPLICATION (child), G_APPLICATION_NON_UNIQUE);
      g_signal_connect (child, "activate", G_CALLBACK (g_application_quit), NULL);
      status = g_application_run (G_APPLICATION (child), 2, (char **) argv);
      g_assert_cmpint (status, ==, 0);
      g_assert_cmpint (ea_desk_get_mode (ea_application_get_desk (child)), ==, EA_MODE_DEMO);
      /* The saved mode is left alone. */
      mode = g_settings_get_string (settings, "mode");
      g_assert_cmpstr (mode, ==, "live");
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A stored credential that expires in three days: the application warns
 * at start-up, with an alert (which the notifier shows on the desktop). */
typedef struct
{
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
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

#define EXPIRY_USER "expiry-check-user"

static gboolean
has_expiry_alert (gpointer user_data)
{
  EaApplication *child = user_data;
  GListModel *alerts = ea_trading_store_get_alerts (ea_desk_get_store (ea_application_get_desk (child)));

  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(EaAlert) alert = g_list_model_get_item (alerts, i);

      if (g_str_equal (ea_alert_get_title (alert), "Credential expires soon") &&
          strstr (ea_alert_get_body (alert), "Tradovate demo credential of " EXPIRY_USER " expires in 3 days") != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_credential_expiry_alert (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(EaCredentials) creds = ea_credentials_new ();
      g_autoptr(EaCredential) cred = ea_credential_new ("tradovate", "demo", EXPIRY_USER);
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) expires = g_date_time_add_days (now, 3);
      g_autoptr(EaApplication) child = NULL;
      g_autoptr(GError) error = NULL;
      Wait w = { NULL };

      ea_credential_set_secret (cred, EA_CREDENTIAL_KIND_PASSWORD, "pw-expiry-check");
      ea_credential_set_expires (cred, expires);
      ea_credentials_store_async (creds, cred, NULL, wait_cb, &w);
      g_assert_true (ea_credentials_store_finish (creds, wait_result (&w), &error));
      g_assert_no_error (error);
      g_clear_object (&w.result);

      child = ea_application_new ();
      g_application_set_flags (G_APPLICATION (child), G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (child), NULL, &error));
      g_assert_no_error (error);
      g_assert_true (ea_test_wait_until (has_expiry_alert, child, 10000));

      ea_credentials_delete_async (creds, "tradovate", "demo", EXPIRY_USER, NULL, wait_cb, &w);
      g_assert_true (ea_credentials_delete_finish (creds, wait_result (&w), &error));
      g_clear_object (&w.result);
      return;
    }

  {
    g_autoptr(EaCredentials) creds = ea_credentials_new ();
    Wait w = { NULL };
    gboolean ok;

    ea_credentials_check_service_async (creds, NULL, wait_cb, &w);
    ok = ea_credentials_check_service_finish (creds, wait_result (&w), NULL);
    g_clear_object (&w.result);
    if (!ok)
      {
        g_test_skip ("no Secret Service with an unlocked keyring: run under dbus-run-session and "
                     "gnome-keyring-daemon --unlock, as build-aux/test does");
        return;
      }
  }

  g_setenv ("EA_NO_DEMO_EXCHANGE", "1", TRUE);
  g_setenv ("EA_NO_TRAY", "1", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_unsetenv ("EA_NO_DEMO_EXCHANGE");
  g_unsetenv ("EA_NO_TRAY");
}

static EaSetupAssistant *
find_assistant (EaApplication *child)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (child)); l != NULL; l = l->next)
    if (EA_IS_SETUP_ASSISTANT (l->data))
      return l->data;
  return NULL;
}

static gboolean
assistant_gone (gpointer user_data)
{
  return find_assistant (user_data) == NULL;
}

/* One start of the application in a child process on the settings of
 * $XDG_CONFIG_HOME (the keyfile backend); EA_FIRST_RUN_PHASE says what to
 * check: "open" (a fresh configuration: the assistant opens over the
 * window, then Cancel), "finish" (it opens, and is finished), "again"
 * (it does not open). */
static void
first_run_child (void)
{
  g_autoptr(EaApplication) child = ea_application_new ();
  g_autoptr(GError) error = NULL;
  const char *phase = g_getenv ("EA_FIRST_RUN_PHASE");
  EaSetupAssistant *assistant;
  GSettings *settings;

  g_assert_null (g_getenv ("EA_NO_FIRST_RUN"));
  g_application_set_flags (G_APPLICATION (child), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (child), NULL, &error));
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (child));
  g_application_activate (G_APPLICATION (child));
  settings = ea_application_get_settings (child);
  g_assert_nonnull (ea_application_get_main_window (child));
  assistant = find_assistant (child);

  if (g_str_equal (phase, "again"))
    {
      g_assert_null (assistant);
      ea_test_iterate (200);
      g_assert_null (find_assistant (child));
      /* Still there from the menu. */
      g_action_group_activate_action (G_ACTION_GROUP (child), "setup-assistant", NULL);
      g_assert_nonnull (find_assistant (child));
      gtk_window_destroy (GTK_WINDOW (find_assistant (child)));
    }
  else
    {
      g_assert_nonnull (assistant);
      g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (assistant)) ==
                     ea_application_get_main_window (child));
      g_assert_cmpint (ea_setup_assistant_get_page (assistant), ==, EA_SETUP_PAGE_WELCOME);
      g_assert_false (g_settings_get_boolean (settings, "setup-offered"));
      if (g_str_equal (phase, "open"))
        gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.cancel", NULL);
      else
        {
          /* What Finish writes; the walk itself is test-setup-assistant's. */
          g_settings_set_boolean (settings, "setup-completed", TRUE);
          gtk_window_close (GTK_WINDOW (assistant));
        }
      g_assert_true (ea_test_wait_until (assistant_gone, child, 10000));
      g_assert_true (g_settings_get_boolean (settings, "setup-offered"));
      if (g_str_equal (phase, "open"))
        g_assert_false (g_settings_get_boolean (settings, "setup-completed"));
    }

  g_settings_sync ();
  g_application_release (G_APPLICATION (child));
  if (ea_application_get_main_window (child) != NULL)
    gtk_window_destroy (ea_application_get_main_window (child));
}

static void
run_first_run_phase (const char *config,
                     const char *phase)
{
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("EA_FIRST_RUN_PHASE", phase, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_first_run (void)
{
  if (g_test_subprocess ())
    {
      first_run_child ();
      return;
    }

  {
    g_autofree char *dir = g_dir_make_tmp ("ea-first-run-XXXXXX", NULL);
    g_autofree char *cancelled = g_build_filename (dir, "cancelled", NULL);
    g_autofree char *finished = g_build_filename (dir, "finished", NULL);
    g_autofree char *journal = g_build_filename (dir, "journal.sqlite3", NULL);
    g_autofree char *keyfile = g_build_filename (cancelled, "glib-2.0", "settings", "keyfile", NULL);
    g_autofree char *old_config = g_strdup (g_getenv ("XDG_CONFIG_HOME"));
    g_autofree char *old_backend = g_strdup (g_getenv ("GSETTINGS_BACKEND"));

    g_assert_nonnull (dir);
    /* Settings that outlive the process, in a fresh configuration. */
    g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
    g_unsetenv ("EA_NO_FIRST_RUN");
    g_setenv ("EA_JOURNAL_PATH", journal, TRUE);
    g_setenv ("EA_NO_DEMO_EXCHANGE", "1", TRUE);
    g_setenv ("EA_NO_TRAY", "1", TRUE);

    /* First start: it opens; cancelled, it does not open on the next. */
    run_first_run_phase (cancelled, "open");
    g_assert_true (g_file_test (keyfile, G_FILE_TEST_EXISTS));
    run_first_run_phase (cancelled, "again");
    /* First start again: finished, it does not open on the next either. */
    run_first_run_phase (finished, "finish");
    run_first_run_phase (finished, "again");

    g_setenv ("EA_NO_FIRST_RUN", "1", TRUE);
    g_unsetenv ("EA_FIRST_RUN_PHASE");
    g_unsetenv ("EA_JOURNAL_PATH");
    g_unsetenv ("EA_NO_DEMO_EXCHANGE");
    g_unsetenv ("EA_NO_TRAY");
    if (old_backend != NULL)
      g_setenv ("GSETTINGS_BACKEND", old_backend, TRUE);
    if (old_config != NULL)
      g_setenv ("XDG_CONFIG_HOME", old_config, TRUE);
    else
      g_unsetenv ("XDG_CONFIG_HOME");
    jt_rm_rf (dir);
  }
}

/* Saturday 2025-11-22 15:00 UTC: the CME is closed. */
#define SAT_1500_UTC G_GINT64_CONSTANT (1763823600000000)

/* The "24/7 demo" switch: saved in demo-always-open and applied to the
 * Demo exchange, which then trades on a Saturday; off again, it closes. */
static void
test_preferences_demo_always_open (void)
{
  EaPreferencesWindow *prefs;
  GtkWidget *sw;
  GSettings *settings;
  g_autoptr(EaSimBroker) demo = ea_sim_broker_new (1, SAT_1500_UTC);
  EaSimExchange *ex = ea_sim_broker_get_exchange (demo);

  ensure_window ();
  settings = ea_application_get_settings (app);
  g_settings_set_boolean (settings, "demo-always-open", FALSE);
  ea_app_brokers_apply_demo_settings (demo, settings);
  g_assert_false (ea_sim_exchange_is_open (ex, "ES"));

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  ea_test_iterate (20);
  prefs = find_preferences ();
  g_assert_nonnull (prefs);
  sw = ea_preferences_window_get_demo_always_open (prefs);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (sw)));

  gtk_switch_set_active (GTK_SWITCH (sw), TRUE);
  ea_test_iterate (20);
  g_assert_true (g_settings_get_boolean (settings, "demo-always-open"));
  g_assert_true (ea_sim_exchange_is_open (ex, "ES"));

  gtk_switch_set_active (GTK_SWITCH (sw), FALSE);
  ea_test_iterate (20);
  g_assert_false (g_settings_get_boolean (settings, "demo-always-open"));
  g_assert_false (ea_sim_exchange_is_open (ex, "ES"));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  gtk_test_init (&argc, &argv, NULL);

  if (!g_test_subprocess ())
    start_fake_watcher ();

  g_test_add_func ("/gui/command-line/no-instance", test_no_instance);
  g_test_add_func ("/gui/command-line/version", test_version);
  g_test_add_func ("/gui/command-line/demo", test_demo_flag);
  g_test_add_func ("/gui/first-run/assistant", test_first_run);
  g_test_add_func ("/gui/credentials/expiry-alert", test_credential_expiry_alert);
  g_test_add_func ("/gui/journal/broken-audit-warns", test_broken_audit_warns);
  g_test_add_func ("/gui/window/shell", test_window_shell);
  g_test_add_func ("/gui/window/actions", test_actions_state);
  g_test_add_func ("/gui/emergency-stop/action", test_stop_through_action);
  g_test_add_func ("/gui/emergency-stop/button", test_stop_through_button);
  g_test_add_func ("/gui/emergency-stop/reset-confirmation", test_reset_requires_confirmation);
  g_test_add_func ("/gui/emergency-stop/banner-reset-button", test_halt_banner_reset_button);
  g_test_add_func ("/gui/emergency-stop/lock", test_lock_refuses_reset);
  g_test_add_func ("/gui/emergency-stop/command-line", test_stop_from_command_line);
  g_test_add_func ("/gui/emergency-stop/gapplication", test_stop_from_gapplication_tool);
  g_test_add_func ("/gui/window/size-saved", test_window_size_saved);
  g_test_add_func ("/gui/window/maximized-saved", test_window_maximized_saved);
  g_test_add_func ("/gui/window/about", test_about_dialog);
  g_test_add_func ("/gui/window/shortcuts", test_shortcuts_window);
  for (guint i = 0; i < G_N_ELEMENTS (badge_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/gui/window/mode-badge/%s", badge_cases[i].setting);

      g_test_add_data_func (path, &badge_cases[i], test_mode_badge);
    }
  g_test_add_func ("/gui/window/screenshot", test_screenshot);
  g_test_add_func ("/gui/window/tray", test_tray_keeps_desk_running);
  g_test_add_func ("/gui/window/tray-dbus-stop", test_tray_dbus_stop);
  g_test_add_func ("/gui/emergency-stop/banner-outcomes", test_banner_outcomes);
  g_test_add_func ("/gui/window/preferences", test_preferences);
  g_test_add_func ("/gui/window/preferences/ninjatrader", test_preferences_ninjatrader);
  g_test_add_func ("/gui/window/journal-banner", test_journal_banner);
  g_test_add_func ("/gui/window/preferences-demo", test_preferences_demo_always_open);

  ret = g_test_run ();

  if (app != NULL)
    {
      g_application_release (G_APPLICATION (app));
      g_clear_object (&app);
    }

  return ret;
}
