/* ea-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-application"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "ea-alert.h"
#include "ea-app-brokers.h"
#include "ea-application.h"
#include "ea-credential-expiry.h"
#include "ea-journal-window.h"
#include "ea-settings-journal.h"
#include "ea-money.h"
#include "ea-resources.h"
#include "ea-setup-assistant.h"
#include "ea-sim-broker.h"
#include "ea-tray.h"
#include "ea-notifier.h"
#include "ea-preferences-window.h"
#include "ea-demo-accounts-dialog.h"
#include "ea-replay-bar.h"
#include "ea-replay-dialog.h"
#include "ea-window.h"

struct _EaApplication
{
  GtkApplication  parent_instance;

  gboolean        can_notify;

  GSettings      *settings;
  EaDesk         *desk;
  EaJournal      *journal;
  char           *journal_error;
  EaSettingsJournal *settings_journal;
  EaSimBroker    *demo;
  EaTray         *tray;
  EaNotifier     *notifier;
  guint           tray_update_source;
  guint           tick_source;
  gboolean        force_demo;
  EaCredentials  *credentials;
  GCancellable   *expiry_cancellable;
  guint           expiry_source;

  /* --replay FILE --replay-symbol ES [--replay-speed N] [--replay-step] */
  char           *replay_path;
  char           *replay_symbol;
  double          replay_speed;
  gboolean        replay_step;
  char           *replay_dir;     /* the replay's own journal, removed at exit */
  EaReplay       *replay;
};

G_DEFINE_FINAL_TYPE (EaApplication, ea_application, GTK_TYPE_APPLICATION)

static EaMode
startup_mode (EaApplication *self)
{
  if (self->force_demo)
    return EA_MODE_DEMO;

  return (EaMode) g_settings_get_enum (self->settings, "mode");
}

static void
emergency_stop_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  EaApplication *self = EA_APPLICATION (user_data);

  ea_desk_emergency_stop (self->desk, EA_ACTOR_USER, NULL);
}

static void
reset_emergency_stop_action (GSimpleAction *action,
                             GVariant      *param,
                             gpointer       user_data)
{
  EaApplication *self = EA_APPLICATION (user_data);
  GtkWindow *window = ea_application_get_main_window (self);

  /* A reset always goes through the confirmation in the window. */
  if (window != NULL)
    ea_window_ask_reset_emergency_stop (EA_WINDOW (window));
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  EaApplication *self = EA_APPLICATION (user_data);
  GtkWindow *window = ea_application_get_main_window (self);
  GtkShortcutsWindow *overlay;

  if (window == NULL)
    return;

  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  if (overlay != NULL)
    gtk_window_present (GTK_WINDOW (overlay));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  EaApplication *self = EA_APPLICATION (user_data);
  EaPreferencesWindow *prefs;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (EA_IS_PREFERENCES_WINDOW (l->data))
      {
        gtk_window_present (GTK_WINDOW (l->data));
        return;
      }

  prefs = ea_preferences_window_new (self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (prefs), ea_application_get_main_window (self));
  gtk_application_add_window (GTK_APPLICATION (self), GTK_WINDOW (prefs));
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
demo_accounts_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  EaApplication *self = EA_APPLICATION (user_data);
  EaDemoAccountsDialog *dialog;
  EaDesk *desk = ea_application_get_desk (self);
  GtkWindow *parent = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (EA_IS_DEMO_ACCOUNTS_DIALOG (l->data))
        {
          gtk_window_present (GTK_WINDOW (l->data));
          return;
        }
      /* Opened from Preferences: it stays above them. */
      if (parent == NULL && EA_IS_PREFERENCES_WINDOW (l->data) && gtk_window_is_active (GTK_WINDOW (l->data)))
        parent = GTK_WINDOW (l->data);
    }
  if (desk == NULL)
    return;

  dialog = ea_demo_accounts_dialog_new (desk, self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), parent ? parent : ea_application_get_main_window (self));
  gtk_application_add_window (GTK_APPLICATION (self), GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
journal_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  EaApplication *self = EA_APPLICATION (user_data);
  EaJournal *journal = ea_application_get_journal (self);
  g_autoptr(GError) error = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (EA_IS_JOURNAL_WINDOW (l->data))
        {
          gtk_window_present (l->data);
          return;
        }
    }

  if (journal == NULL)
    error = g_error_new_literal (EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_FAILED,
                                 self->journal_error != NULL ? self->journal_error : _("No journal is open."));
  gtk_window_present (GTK_WINDOW (ea_journal_window_new (GTK_APPLICATION (self), journal, error)));
}

static void
replay_action (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  EaApplication *self = EA_APPLICATION (user_data);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (EA_IS_REPLAY_DIALOG (l->data))
      {
        gtk_window_present (GTK_WINDOW (l->data));
        return;
      }

  gtk_window_present (GTK_WINDOW (ea_replay_dialog_new (self)));
}

static void
show_window_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  g_application_activate (G_APPLICATION (user_data));
}

static void
toggle_window_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  EaApplication *self = EA_APPLICATION (user_data);
  GtkWindow *window = ea_application_get_main_window (self);

  if (window != NULL && gtk_widget_get_visible (GTK_WIDGET (window)))
    gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  else
    g_application_activate (G_APPLICATION (self));

  if (self->tray != NULL)
    ea_tray_set_window_visible (self->tray, window != NULL && gtk_widget_get_visible (GTK_WIDGET (window)));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  EaApplication *self = EA_APPLICATION (user_data);
  static const char *developers[] = { "The Enigma Apex developers", NULL };

  gtk_show_about_dialog (ea_application_get_main_window (self),
                         "program-name", _("Enigma Apex"),
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Trade futures within your prop firm’s rules, with a one-action emergency stop."),
                         "authors", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", "https://github.com/enigmaapex/enigma-apex",
                         "copyright", "© 2026 The Enigma Apex developers",
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  EaApplication *self = EA_APPLICATION (user_data);
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Close windows properly so their state is saved. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free (windows);

  g_application_quit (G_APPLICATION (self));
}

static void
apply_notification_settings (EaApplication *self)
{
  g_autoptr(GVariant) types = g_settings_get_value (self->settings, "notification-types");

  ea_notifier_set_sound (self->notifier, g_settings_get_boolean (self->settings, "notify-sound"));
  ea_notifier_set_type_overrides (self->notifier, types);
}

/* The ERM threshold and lookback the user chose (setup or preferences). */
static void
apply_erm_settings (EaApplication *self)
{
  g_autoptr(GError) error = NULL;
  EaErmConfig config = *ea_desk_get_erm_config (self->desk);

  config.erm_threshold = g_settings_get_double (self->settings, "erm-threshold");
  config.lookback = (EaTimeUs) g_settings_get_uint (self->settings, "erm-lookback-s") * G_USEC_PER_SEC;
  if (!ea_desk_set_erm_config (self->desk, &config, &error))
    g_message ("ERM settings not applied: %s", error->message);
}

static const GActionEntry app_actions[] = {
  { "emergency-stop", emergency_stop_action },
  { "reset-emergency-stop", reset_emergency_stop_action },
  { "journal", journal_action },
  { "replay", replay_action },
  { "preferences", preferences_action },
  { "demo-accounts", demo_accounts_action },
  { "shortcuts", shortcuts_action },
  { "show-window", show_window_action },
  { "toggle-window", toggle_window_action },
  { "about", about_action },
  { "quit", quit_action },
};

static gboolean
update_tray (gpointer user_data)
{
  EaApplication *self = EA_APPLICATION (user_data);
  GListModel *accounts;
  EaMicros day_pnl = 0;
  g_autofree char *pnl = NULL;
  g_autofree char *mode = NULL;

  self->tray_update_source = 0;
  if (self->tray == NULL || self->desk == NULL)
    return G_SOURCE_REMOVE;

  accounts = ea_trading_store_get_accounts (ea_desk_get_store (self->desk));
  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(GObject) account = g_list_model_get_item (accounts, i);
      g_autofree char *name = NULL;
      EaRiskStatus status;

      g_object_get (account, "name", &name, NULL);
      if (ea_desk_get_risk_status (self->desk, name, &status))
        day_pnl += status.day_pnl;
    }

  pnl = ea_money_format_full (day_pnl, EA_MONEY_FORMAT_PLUS_SIGN);
  mode = g_ascii_strup (ea_mode_to_string (ea_desk_get_mode (self->desk)), -1);
  ea_tray_set_mode_text (self->tray, mode);
  ea_tray_set_day_pnl_text (self->tray, pnl);
  ea_tray_set_trading_state_text (self->tray, ea_trading_state_to_string (ea_desk_get_trading_state (self->desk)));
  ea_tray_set_needs_attention (self->tray, ea_desk_get_stop_pending (self->desk));

  return G_SOURCE_REMOVE;
}

static void
queue_tray_update (EaApplication *self)
{
  /* Day P&L changes with every quote: at most once a second. */
  if (self->tray != NULL && self->tray_update_source == 0)
    self->tray_update_source = g_timeout_add (1000, update_tray, self);
}

static void
desk_halted_changed_cb (EaApplication *self,
                        GParamSpec    *pspec,
                        EaDesk        *desk)
{
  GAction *reset = g_action_map_lookup_action (G_ACTION_MAP (self), "reset-emergency-stop");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (reset), ea_desk_get_halted (desk));
  if (self->tray != NULL)
    update_tray (self);
}

/* Whether a notification server is there (running, activatable, or the
 * portal inside a sandbox): without one GIO only complains. */
static gboolean
notifications_available (EaApplication *self)
{
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (self));
  static const char * const names[] = { "org.freedesktop.Notifications", "org.gtk.Notifications" };
  g_autoptr(GVariant) activatable = NULL;

  if (bus == NULL)
    return FALSE;
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GVariant) reply =
        g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                     "org.freedesktop.DBus", "NameHasOwner",
                                     g_variant_new ("(s)", names[i]), G_VARIANT_TYPE ("(b)"),
                                     G_DBUS_CALL_FLAGS_NONE, 1000, NULL, NULL);
      gboolean owned = FALSE;

      if (reply != NULL)
        g_variant_get (reply, "(b)", &owned);
      if (owned)
        return TRUE;
    }

  activatable = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                             "org.freedesktop.DBus", "ListActivatableNames",
                                             NULL, G_VARIANT_TYPE ("(as)"),
                                             G_DBUS_CALL_FLAGS_NONE, 1000, NULL, NULL);
  if (activatable != NULL)
    {
      g_autofree const char **list = NULL;

      g_variant_get (activatable, "(^a&s)", &list);
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (g_strv_contains (list, names[i]))
          return TRUE;
    }

  return FALSE;
}

static void
desk_emergency_stop_cb (EaApplication *self,
                        EaActor        actor,
                        EaDesk        *desk)
{
  g_autoptr(GNotification) notification = g_notification_new (_("Emergency stop"));
  GtkWindow *window = ea_application_get_main_window (self);

  g_notification_set_body (notification, ea_desk_get_halt_reason (desk));
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
  g_notification_set_default_action (notification, "app.show-window");
  if (self->can_notify)
    g_application_send_notification (G_APPLICATION (self), "emergency-stop", notification);

  if (window != NULL)
    gtk_widget_error_bell (GTK_WIDGET (window));
}

static void
stop_pending_changed_cb (EaApplication *self,
                         GParamSpec    *pspec,
                         EaDesk        *desk)
{
  if (self->tray != NULL)
    ea_tray_set_needs_attention (self->tray, ea_desk_get_stop_pending (desk));
}

static gboolean
tick_cb (gpointer user_data)
{
  EaApplication *self = EA_APPLICATION (user_data);

  /* Flat-by times, session closes and lock expiries in quiet markets. */
  ea_desk_tick (self->desk);
  return G_SOURCE_CONTINUE;
}

static void
expiry_checked_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* No keyring: nothing stored to expire (the quick setup explains). */
  if (ea_credential_expiry_check_finish (result, &error) < 0 &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Credential expiry not checked: %s", error->message);
}

static gboolean
check_expiry_cb (gpointer user_data)
{
  EaApplication *self = EA_APPLICATION (user_data);

  /* Alerts for credentials that expire within a week or have expired:
   * the notifier shows them, the alerts list keeps them. */
  if (self->desk != NULL)
    ea_credential_expiry_check_async (self->credentials, ea_desk_get_store (self->desk),
                                      EA_CREDENTIAL_EXPIRY_WARN_DAYS, self->expiry_cancellable,
                                      expiry_checked_cb, NULL);
  return G_SOURCE_CONTINUE;
}

static void
audit_verified_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(EaApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EaAuditReport) report = ea_journal_verify_audit_finish (EA_JOURNAL (object), result, &error);
  g_autofree char *body = NULL;

  if (report != NULL && report->status == EA_AUDIT_OK)
    return;

  /* Loud, and it stays in the alerts until acknowledged. */
  if (report != NULL)
    body = g_strdup_printf (_("The audit trail is broken at entry #%" G_GINT64_FORMAT " (%s): %s"),
                            report->broken_seq, ea_audit_status_to_string (report->status),
                            report->message ? report->message : "");
  else
    body = g_strdup_printf (_("The audit trail could not be checked: %s"), error->message);

  g_message ("%s", body);
  if (self->desk != NULL)
    {
      g_autoptr(EaAlert) alert = ea_alert_new ("system_status", EA_ALERT_PRIORITY_CRITICAL,
                                               _("Audit trail broken"), body, g_get_real_time ());
      ea_trading_store_add_alert (ea_desk_get_store (self->desk), alert);
    }
}

static void
open_journal (EaApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *replay_journal = NULL;
  const char *path = g_getenv ("EA_JOURNAL_PATH");

  /* A replay from the command line keeps a journal of its own, so that
   * its trades and a breach stay out of the Demo journal and the replay
   * starts from a fresh Demo account. */
  if (self->replay_path != NULL)
    {
      self->replay_dir = g_dir_make_tmp ("enigma-apex-replay-XXXXXX", &error);
      if (self->replay_dir == NULL)
        {
          self->journal_error = g_strdup (error->message);
          g_message ("The replay's journal cannot be created: %s", error->message);
          return;
        }
      path = replay_journal = g_build_filename (self->replay_dir, "journal.sqlite3", NULL);
    }

  self->journal = ea_journal_new_sync (path, NULL, &error);
  if (self->journal == NULL)
    {
      /* Without a journal nothing new is sent; exits still are. */
      self->journal_error = g_strdup (error->message);
      g_message ("The journal cannot be opened: %s", error->message);
      return;
    }

  ea_journal_verify_audit_async (self->journal, NULL, audit_verified_cb, g_object_ref (self));
}

/* Replays run on the Demo exchange only. */
static void
update_replay_action (EaApplication *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "replay");

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action),
                                 self->desk != NULL && ea_desk_get_mode (self->desk) == EA_MODE_DEMO &&
                                 self->demo != NULL);
}

static void
start_brokers (EaApplication *self)
{
  /* Demo: the embedded exchange; Test and Live: the configured brokers. */
  self->demo = ea_app_brokers_start (self->desk, self->settings, NULL, NULL, NULL, NULL);
  update_replay_action (self);

  if (self->replay_path != NULL)
    {
      g_autoptr(GError) error = NULL;

      /* Checked before start-up; what can still fail is said on stderr
       * and in the alerts, and the Demo exchange runs on as usual. */
      if (!ea_application_start_replay (self, self->replay_path, self->replay_symbol,
                                        self->replay_speed, self->replay_step, &error))
        {
          g_autoptr(EaAlert) alert = ea_alert_new ("system_status", EA_ALERT_PRIORITY_HIGH,
                                                   _("Replay not started"), error->message,
                                                   g_get_real_time ());

          g_printerr ("enigma-apex: %s\n", error->message);
          ea_trading_store_add_alert (ea_desk_get_store (self->desk), alert);
        }
    }
}

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(EaApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ea_desk_restore_finish (EA_DESK (object), result, &error) && error != NULL)
    g_message ("The risk state was not restored: %s", error->message);

  if (self->desk != NULL)
    start_brokers (self);
  g_application_release (G_APPLICATION (self));
}

static void
start_tray (EaApplication *self)
{
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (self));
  g_autoptr(GError) error = NULL;

  if (bus == NULL || g_getenv ("EA_NO_TRAY") != NULL)
    return;

  self->tray = ea_tray_new (bus, G_ACTION_GROUP (self), &error);
  if (self->tray == NULL)
    {
      g_message ("No tray icon: %s", error->message);
      return;
    }

  update_tray (self);
  g_signal_connect_object (ea_trading_store_get_accounts (ea_desk_get_store (self->desk)), "items-changed",
                           G_CALLBACK (queue_tray_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->desk, "risk-changed",
                           G_CALLBACK (queue_tray_update), self, G_CONNECT_SWAPPED);
}

static gboolean
primary_instance_running (gboolean  *running,
                          GError   **error)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);
  if (bus == NULL)
    return FALSE;

  reply = g_dbus_connection_call_sync (bus,
                                       "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus",
                                       "NameHasOwner",
                                       g_variant_new ("(s)", APP_ID),
                                       G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE,
                                       5000, NULL, error);
  if (reply == NULL)
    return FALSE;

  g_variant_get (reply, "(b)", running);
  return TRUE;
}

static void
load_style (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();
  GdkDisplay *display = gdk_display_get_default ();

  if (display == NULL)
    return;

  gtk_css_provider_load_from_resource (provider, RESOURCE_BASE "/style.css");
  gtk_style_context_add_provider_for_display (display,
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static int
ea_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  EaApplication *self = EA_APPLICATION (application);
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("enigma-apex %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (g_variant_dict_contains (options, "demo"))
    self->force_demo = TRUE;

  if (g_variant_dict_contains (options, "replay"))
    {
      const char *path = NULL;
      const char *symbol = NULL;
      const char *speed_text = NULL;
      double speed = 1.0;
      guint n_malformed = 0;
      gboolean running = FALSE;

      g_variant_dict_lookup (options, "replay", "^&ay", &path);
      g_variant_dict_lookup (options, "replay-symbol", "&s", &symbol);
      /* Read as text: a number option cannot tell 0 from not given. */
      if (g_variant_dict_lookup (options, "replay-speed", "&s", &speed_text))
        {
          char *end = NULL;

          speed = g_ascii_strtod (speed_text, &end);
          if (end == speed_text || *end != '\0')
            {
              g_printerr (_("enigma-apex: The replay speed “%s” is not a number: give 1 to 100.\n"), speed_text);
              return EXIT_FAILURE;
            }
        }

      if (!ea_replay_check (path, symbol, speed, &n_malformed, &error))
        {
          g_printerr ("enigma-apex: %s\n", error->message);
          return EXIT_FAILURE;
        }

      /* The replay needs the Demo exchange of a new instance: a running
       * one is not taken over. */
      if (!(g_application_get_flags (application) & G_APPLICATION_NON_UNIQUE) &&
          primary_instance_running (&running, NULL) && running)
        {
          g_printerr (_("enigma-apex: Enigma Apex is already running; quit it first, or open the export "
                        "from its menu (Replay NinjaTrader Export…).\n"));
          return EXIT_FAILURE;
        }

      if (n_malformed > 0)
        g_printerr (g_dngettext (GETTEXT_PACKAGE,
                                 "enigma-apex: %u line of %s cannot be read and is skipped (see the Alerts tab).\n",
                                 "enigma-apex: %u lines of %s cannot be read and are skipped (see the Alerts tab).\n",
                                 n_malformed),
                    n_malformed, path);

      self->replay_path = g_canonicalize_filename (path, NULL);
      self->replay_symbol = g_ascii_strup (symbol, -1);
      self->replay_speed = speed;
      self->replay_step = g_variant_dict_contains (options, "replay-step");
      /* A replay is Demo: the embedded exchange plays the file. */
      self->force_demo = TRUE;
    }
  else if (g_variant_dict_contains (options, "replay-symbol") ||
           g_variant_dict_contains (options, "replay-speed") ||
           g_variant_dict_contains (options, "replay-step"))
    {
      g_printerr (_("enigma-apex: --replay-symbol, --replay-speed and --replay-step go with --replay FILE.\n"));
      return EXIT_FAILURE;
    }

  if (g_variant_dict_contains (options, "emergency-stop"))
    {
      GDBusConnection *connection;
      gboolean running = FALSE;

      if (!primary_instance_running (&running, &error))
        {
          g_printerr (_("Cannot reach the session bus to stop Enigma Apex: %s\n"), error->message);
          return EXIT_FAILURE;
        }

      /* Never become the primary instance just to stop nothing. */
      if (!running ||
          !g_application_register (application, NULL, &error) ||
          !g_application_get_is_remote (application))
        {
          if (error != NULL)
            g_printerr (_("Cannot reach the running Enigma Apex: %s\n"), error->message);
          else
            g_printerr (_("Enigma Apex is not running: there is nothing to stop.\n"));
          return EXIT_FAILURE;
        }

      /* Forwarded to the running primary instance over D-Bus. */
      g_action_group_activate_action (G_ACTION_GROUP (application), "emergency-stop", NULL);

      connection = g_application_get_dbus_connection (application);
      if (connection != NULL && !g_dbus_connection_flush_sync (connection, NULL, &error))
        {
          g_printerr (_("Could not deliver the emergency stop: %s\n"), error->message);
          return EXIT_FAILURE;
        }

      g_print (_("Emergency stop sent to the running Enigma Apex.\n"));
      return EXIT_SUCCESS;
    }

  return -1;
}

static void
ea_application_startup (GApplication *application)
{
  EaApplication *self = EA_APPLICATION (application);
  static const char *stop_accels[] = { "<Control><Shift>x", NULL };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (ea_application_parent_class)->startup (application);

  load_style ();

  self->settings = g_settings_new (APP_ID);
  self->desk = ea_desk_new (startup_mode (self));
  open_journal (self);
  ea_desk_set_journal (self->desk, self->journal);
  ea_desk_set_journal_required (self->desk, TRUE);
  /* Every setting and user profile change from now on is audited. */
  if (self->journal != NULL)
    self->settings_journal = ea_settings_journal_new (self->settings, ea_desk_get_profiles (self->desk),
                                                      self->journal);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   self);


  g_signal_connect_object (self->desk, "notify::halted",
                           G_CALLBACK (desk_halted_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->desk, "notify::stop-pending",
                           G_CALLBACK (stop_pending_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->desk, "emergency-stop",
                           G_CALLBACK (desk_emergency_stop_cb), self,
                           G_CONNECT_SWAPPED);
  desk_halted_changed_cb (self, NULL, self->desk);
  update_replay_action (self);

  /* Brokers come after the risk state is back: a restart never resets a
   * breached limit. */
  g_application_hold (G_APPLICATION (self));
  ea_desk_restore_async (self->desk, NULL, restored_cb, g_object_ref (self));
  ea_setup_install_actions (self);
  start_tray (self);
  self->can_notify = notifications_available (self);
  self->notifier = ea_notifier_new (G_APPLICATION (self), ea_desk_get_store (self->desk));
  ea_notifier_set_can_send (self->notifier, self->can_notify);
  g_signal_connect_object (self->settings, "changed::notify-sound",
                           G_CALLBACK (apply_notification_settings), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::notification-types",
                           G_CALLBACK (apply_notification_settings), self, G_CONNECT_SWAPPED);
  apply_notification_settings (self);
  g_signal_connect_object (self->settings, "changed::erm-threshold",
                           G_CALLBACK (apply_erm_settings), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::erm-lookback-s",
                           G_CALLBACK (apply_erm_settings), self, G_CONNECT_SWAPPED);
  apply_erm_settings (self);

  g_settings_bind_with_mapping (self->settings, "stop-on-disconnect-seconds", self->desk, "disconnect-stop-seconds",
                                G_SETTINGS_BIND_GET, NULL, NULL, NULL, NULL);
  self->tick_source = g_timeout_add_seconds (1, tick_cb, self);

  /* Credentials close to their expiry: at start-up, then once a day. */
  self->credentials = ea_credentials_new ();
  self->expiry_cancellable = g_cancellable_new ();
  check_expiry_cb (self);
  self->expiry_source = g_timeout_add_seconds (24 * 60 * 60, check_expiry_cb, self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.emergency-stop", stop_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.shortcuts", shortcuts_accels);
}

static void
ea_application_activate (GApplication *application)
{
  EaApplication *self = EA_APPLICATION (application);
  GtkWindow *window = ea_application_get_main_window (self);

  if (window == NULL)
    {
      window = GTK_WINDOW (ea_window_new (self));
      gtk_window_present (window);
      ea_setup_run_first_time (self);
      return;
    }

  gtk_window_present (window);
}

static void
ea_application_dispose (GObject *object)
{
  EaApplication *self = EA_APPLICATION (object);

  g_clear_handle_id (&self->tray_update_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->expiry_source, g_source_remove);
  if (self->expiry_cancellable != NULL)
    g_cancellable_cancel (self->expiry_cancellable);
  g_clear_object (&self->expiry_cancellable);
  g_clear_object (&self->credentials);
  g_clear_object (&self->tray);
  g_clear_object (&self->notifier);
  g_clear_object (&self->replay);
  if (self->demo != NULL)
    ea_sim_broker_set_realtime (self->demo, FALSE);
  g_clear_object (&self->settings_journal);
  g_clear_object (&self->desk);
  g_clear_object (&self->demo);
  if (self->journal != NULL)
    ea_journal_close (self->journal);
  g_clear_object (&self->journal);
  g_clear_pointer (&self->journal_error, g_free);
  if (self->replay_dir != NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (self->replay_dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *file = g_build_filename (self->replay_dir, name, NULL);

          g_unlink (file);
        }
      g_rmdir (self->replay_dir);
      g_clear_pointer (&self->replay_dir, g_free);
    }
  g_clear_pointer (&self->replay_path, g_free);
  g_clear_pointer (&self->replay_symbol, g_free);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ea_application_parent_class)->dispose (object);
}

static void
ea_application_class_init (EaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ea_application_dispose;

  app_class->handle_local_options = ea_application_handle_local_options;
  app_class->startup = ea_application_startup;
  app_class->activate = ea_application_activate;

  /* The resources live in a static library: referencing them keeps them linked. */
  g_assert (ea_get_resource () != NULL);
}

static void
ea_application_init (EaApplication *self)
{
  static const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Start in Demo mode whatever the saved mode"), NULL },
    { "emergency-stop", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Cancel every order and flatten every account in the running instance"), NULL },
    { "replay", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Replay a NinjaTrader 8 export (minute bars or ticks) in Demo mode, with the risk engine on"), N_("FILE") },
    { "replay-symbol", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("The instrument the export holds (ES, NQ, CL, …)"), N_("ROOT") },
    { "replay-speed", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Replay at N times real time, 1 to 100 (default 1)"), N_("N") },
    { "replay-step", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Start the replay paused, to step through it"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("A futures trading desk that keeps you within your prop firm’s rules."));
}

EaApplication *
ea_application_new (void)
{
  return g_object_new (EA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

/**
 * ea_application_get_desk:
 *
 * Returns: (transfer none) (nullable): the desk, once the application has
 *   started up.
 */
EaDesk *
ea_application_get_desk (EaApplication *self)
{
  g_return_val_if_fail (EA_IS_APPLICATION (self), NULL);

  return self->desk;
}

/**
 * ea_application_get_journal:
 *
 * Returns: (transfer none) (nullable): the journal, %NULL when it could
 *   not be opened (see ea_application_get_journal_error())
 */
EaJournal *
ea_application_get_journal (EaApplication *self)
{
  g_return_val_if_fail (EA_IS_APPLICATION (self), NULL);

  return self->journal;
}

const char *
ea_application_get_journal_error (EaApplication *self)
{
  g_return_val_if_fail (EA_IS_APPLICATION (self), NULL);

  return self->journal_error;
}

EaTray *
ea_application_get_tray (EaApplication *self)
{
  g_return_val_if_fail (EA_IS_APPLICATION (self), NULL);

  return self->tray;
}

EaBroker *
ea_application_get_demo_broker (EaApplication *self)
{
  g_return_val_if_fail (EA_IS_APPLICATION (self), NULL);

  return self->demo ? EA_BROKER (self->demo) : NULL;
}

GSettings *
ea_application_get_settings (EaApplication *self)
{
  g_return_val_if_fail (EA_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * ea_application_get_main_window:
 *
 * Returns: (transfer none) (nullable): the main window, if one is open.
 */
GtkWindow *
ea_application_get_main_window (EaApplication *self)
{
  g_return_val_if_fail (EA_IS_APPLICATION (self), NULL);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (EA_IS_WINDOW (l->data))
        return l->data;
    }

  return NULL;
}

/**
 * ea_application_get_notifier:
 *
 * Returns: (transfer none) (nullable): the desktop notifications of the
 * model's alerts, once the application has started.
 */
EaNotifier *
ea_application_get_notifier (EaApplication *self)
{
  g_return_val_if_fail (EA_IS_APPLICATION (self), NULL);

  return self->notifier;
}

gboolean
ea_application_start_replay (EaApplication  *self,
                             const char     *path,
                             const char     *symbol,
                             double          speed,
                             gboolean        step,
                             GError        **error)
{
  GtkWindow *window;

  g_return_val_if_fail (EA_IS_APPLICATION (self), FALSE);

  if (self->desk == NULL || ea_desk_get_mode (self->desk) != EA_MODE_DEMO || self->demo == NULL)
    {
      g_set_error_literal (error, EA_REPLAY_ERROR, EA_REPLAY_ERROR_FILE,
                           _("A replay runs on the Demo exchange: switch to Demo mode first."));
      return FALSE;
    }
  if (!ea_replay_check (path, symbol, speed, NULL, error))
    return FALSE;

  if (self->replay == NULL)
    self->replay = ea_replay_new (self->desk, self->demo);
  ea_replay_set_speed (self->replay, speed);
  /* NinjaTrader writes exports in the time zone of the computer it runs
   * on: read as this computer's local time. */
  if (!ea_replay_load (self->replay, path, symbol, NULL, error))
    return FALSE;
  ea_replay_set_playing (self->replay, !step);

  window = ea_application_get_main_window (self);
  if (window != NULL)
    ea_window_show_replay (EA_WINDOW (window), self->replay);
  return TRUE;
}

/**
 * ea_application_get_replay:
 *
 * Returns: (transfer none) (nullable): the replay, once one was started.
 */
EaReplay *
ea_application_get_replay (EaApplication *self)
{
  g_return_val_if_fail (EA_IS_APPLICATION (self), NULL);

  return self->replay;
}
