/* ea-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-application"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "ea-application.h"
#include "ea-journal-window.h"
#include "ea-resources.h"
#include "ea-window.h"

struct _EaApplication
{
  GtkApplication  parent_instance;

  GSettings      *settings;
  EaDesk         *desk;
  EaJournal      *journal;
  gboolean        force_demo;
};

G_DEFINE_FINAL_TYPE (EaApplication, ea_application, GTK_TYPE_APPLICATION)

/* Actions with no feature behind them yet stay disabled. */
static const char * const pending_actions[] = {
  "setup-assistant",
  "preferences",
};

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
journal_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  EaApplication *self = EA_APPLICATION (user_data);
  g_autoptr(GError) error = NULL;
  EaJournal *journal;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (EA_IS_JOURNAL_WINDOW (l->data))
        {
          gtk_window_present (l->data);
          return;
        }
    }

  journal = ea_application_get_journal (self, &error);
  gtk_window_present (GTK_WINDOW (ea_journal_window_new (GTK_APPLICATION (self), journal, error)));
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

static const GActionEntry app_actions[] = {
  { "emergency-stop", emergency_stop_action },
  { "reset-emergency-stop", reset_emergency_stop_action },
  { "setup-assistant", NULL },
  { "journal", journal_action },
  { "preferences", NULL },
  { "shortcuts", shortcuts_action },
  { "about", about_action },
  { "quit", quit_action },
};

static void
desk_halted_changed_cb (EaApplication *self,
                        GParamSpec    *pspec,
                        EaDesk        *desk)
{
  GAction *reset = g_action_map_lookup_action (G_ACTION_MAP (self), "reset-emergency-stop");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (reset), ea_desk_get_halted (desk));
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

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   self);

  for (guint i = 0; i < G_N_ELEMENTS (pending_actions); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), pending_actions[i]);
      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), FALSE);
    }

  g_signal_connect_object (self->desk, "notify::halted",
                           G_CALLBACK (desk_halted_changed_cb), self,
                           G_CONNECT_SWAPPED);
  desk_halted_changed_cb (self, NULL, self->desk);

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
    window = GTK_WINDOW (ea_window_new (self));

  gtk_window_present (window);
}

static void
ea_application_dispose (GObject *object)
{
  EaApplication *self = EA_APPLICATION (object);

  g_clear_object (&self->desk);
  if (self->journal != NULL)
    ea_journal_close (self->journal);
  g_clear_object (&self->journal);
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
 * ea_application_get_journal:
 *
 * Opens the default journal on first use and keeps it open.
 *
 * Returns: (transfer none) (nullable): the journal, or NULL with @error set
 *   when it cannot be opened (the next call tries again).
 */
EaJournal *
ea_application_get_journal (EaApplication  *self,
                            GError        **error)
{
  g_return_val_if_fail (EA_IS_APPLICATION (self), NULL);

  if (self->journal == NULL)
    self->journal = ea_journal_new_sync (NULL, NULL, error);
  return self->journal;
}
