/* ea-credentials-unlock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Getting the Secret Service ready: connected, with a default keyring,
 * unlocked. The unlock talks to org.freedesktop.Secret.Service directly
 * rather than through secret_service_unlock(): libsecret 0.20 never
 * completes that call when the user dismisses the unlock prompt, which
 * would stall every later credential operation.
 */
#define G_LOG_DOMAIN "ea-credentials"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-credentials-private.h"

#define SECRET_SERVICE_PATH "/org/freedesktop/secrets"
#define SECRET_SERVICE_IFACE "org.freedesktop.Secret.Service"
#define SECRET_PROMPT_IFACE "org.freedesktop.Secret.Prompt"

typedef struct
{
  GStrv            locked_items;
  SecretService   *service;
  GDBusConnection *connection;
  char            *prompt_path;
  guint            completed_id;
  guint            vanished_id;
  GCancellable    *cancellable;
  gulong           cancelled_id;
  gboolean         done;
} Prepare;

static void
prepare_free (gpointer data)
{
  Prepare *prepare = data;

  if (prepare->completed_id != 0)
    g_dbus_connection_signal_unsubscribe (prepare->connection, prepare->completed_id);
  if (prepare->vanished_id != 0)
    g_dbus_connection_signal_unsubscribe (prepare->connection, prepare->vanished_id);
  if (prepare->cancelled_id != 0)
    g_cancellable_disconnect (prepare->cancellable, prepare->cancelled_id);
  g_clear_object (&prepare->cancellable);
  g_strfreev (prepare->locked_items);
  g_clear_object (&prepare->service);
  g_clear_object (&prepare->connection);
  g_free (prepare->prompt_path);
  g_free (prepare);
}

GError *
_ea_credentials_explained_error (EaCredentialsError  code,
                                 const GError       *cause)
{
  const char *text;

  switch (code)
    {
    case EA_CREDENTIALS_ERROR_NO_SERVICE:
      text = _("No Secret Service is available, so broker credentials cannot be kept safely. "
               "Log into a desktop session that provides one, or install and start GNOME Keyring "
               "(gnome-keyring) or enable the Secret Service integration of KeePassXC, then try "
               "again. Nothing is stored anywhere else in the meantime.");
      break;
    case EA_CREDENTIALS_ERROR_NO_KEYRING:
      text = _("The Secret Service has no default keyring. Create one (for example in "
               "Passwords and Keys) and try again. Nothing is stored anywhere else in the meantime.");
      break;
    case EA_CREDENTIALS_ERROR_LOCKED:
      text = _("The keyring is locked. Unlock it (for example in Passwords and Keys, or by "
               "logging in again) and try again. Nothing is stored anywhere else in the meantime.");
      break;
    case EA_CREDENTIALS_ERROR_NOT_FOUND:
    case EA_CREDENTIALS_ERROR_INVALID:
    case EA_CREDENTIALS_ERROR_FAILED:
    default:
      text = _("The keyring failed.");
      break;
    }

  if (cause != NULL)
    return g_error_new (EA_CREDENTIALS_ERROR, code, "%s (%s)", text, cause->message);
  return g_error_new_literal (EA_CREDENTIALS_ERROR, code, text);
}

static gboolean
is_no_service_error (const GError *error)
{
  if (error->domain == G_DBUS_ERROR)
    {
      switch (error->code)
        {
        case G_DBUS_ERROR_SERVICE_UNKNOWN:
        case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
        case G_DBUS_ERROR_NO_SERVER:
        case G_DBUS_ERROR_DISCONNECTED:
        case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
        case G_DBUS_ERROR_SPAWN_FORK_FAILED:
        case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
        case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
        case G_DBUS_ERROR_SPAWN_FAILED:
        case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
        case G_DBUS_ERROR_SPAWN_NO_MEMORY:
        case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
        case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
        case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
        case G_DBUS_ERROR_SPAWN_FILE_INVALID:
          return TRUE;
        default:
          return FALSE;
        }
    }

  /* No session bus at all. */
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

/* Turns a libsecret or D-Bus error into an EA_CREDENTIALS_ERROR that says
 * what to do. Consumes @error. None of these messages carry a secret. */
GError *
_ea_credentials_map_error (GError *error)
{
  GError *mapped;

  g_assert (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      error->domain == EA_CREDENTIALS_ERROR)
    return error;

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
      (error->domain == G_DBUS_ERROR &&
       g_strcmp0 (g_dbus_error_get_remote_error (error), "org.freedesktop.Secret.Error.IsLocked") == 0))
    mapped = _ea_credentials_explained_error (EA_CREDENTIALS_ERROR_LOCKED, error);
  else if (is_no_service_error (error))
    mapped = _ea_credentials_explained_error (EA_CREDENTIALS_ERROR_NO_SERVICE, error);
  else
    mapped = g_error_new (EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_FAILED,
                          _("The keyring failed: %s"), error->message);

  g_error_free (error);
  return mapped;
}

static void
prepare_return (GTask  *task,
                GError *error)
{
  Prepare *prepare = g_task_get_task_data (task);

  if (prepare->done)
    {
      g_clear_error (&error);
      return;
    }
  prepare->done = TRUE;

  if (prepare->completed_id != 0)
    {
      g_dbus_connection_signal_unsubscribe (prepare->connection, prepare->completed_id);
      prepare->completed_id = 0;
    }
  if (prepare->vanished_id != 0)
    {
      g_dbus_connection_signal_unsubscribe (prepare->connection, prepare->vanished_id);
      prepare->vanished_id = 0;
    }
  if (prepare->cancelled_id != 0)
    {
      g_cancellable_disconnect (prepare->cancellable, prepare->cancelled_id);
      prepare->cancelled_id = 0;
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&prepare->service), g_object_unref);
}

static void
prompt_completed_cb (GDBusConnection *connection,
                     const char      *sender,
                     const char      *path,
                     const char      *iface,
                     const char      *signal,
                     GVariant        *parameters,
                     gpointer         user_data)
{
  GTask *task = user_data;
  gboolean dismissed = TRUE;
  g_autoptr(GVariant) result = NULL;

  if (g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(bv)")))
    g_variant_get (parameters, "(bv)", &dismissed, &result);

  if (dismissed)
    {
      g_debug ("unlock prompt dismissed");
      prepare_return (task, _ea_credentials_explained_error (EA_CREDENTIALS_ERROR_LOCKED, NULL));
    }
  else
    {
      g_debug ("keyring unlocked");
      prepare_return (task, NULL);
    }
}

static void
service_vanished_cb (GDBusConnection *connection,
                     const char      *sender,
                     const char      *path,
                     const char      *iface,
                     const char      *signal,
                     GVariant        *parameters,
                     gpointer         user_data)
{
  GTask *task = user_data;
  const char *name, *old_owner, *new_owner;

  g_variant_get (parameters, "(&s&s&s)", &name, &old_owner, &new_owner);
  if (new_owner[0] == '\0')
    prepare_return (task, _ea_credentials_explained_error (EA_CREDENTIALS_ERROR_NO_SERVICE, NULL));
}

/* Runs from the task's main context, never inside the "cancelled"
 * handler, where disconnecting that handler would deadlock. */
static gboolean
prompt_cancel_idle_cb (gpointer user_data)
{
  GTask *task = user_data;
  Prepare *prepare = g_task_get_task_data (task);

  if (!prepare->done)
    {
      g_dbus_connection_call (prepare->connection,
                              g_dbus_proxy_get_name (G_DBUS_PROXY (prepare->service)),
                              prepare->prompt_path, SECRET_PROMPT_IFACE, "Dismiss", NULL, NULL,
                              G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, NULL, NULL);
      prepare_return (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 _("The operation was cancelled")));
    }

  return G_SOURCE_REMOVE;
}

static void
prompt_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_callback (source, prompt_cancel_idle_cb, g_object_ref (task), g_object_unref);
  g_source_attach (source, g_task_get_context (task));
}

static void
prompted_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    prepare_return (task, _ea_credentials_explained_error (EA_CREDENTIALS_ERROR_LOCKED, error));
  g_clear_error (&error);

  /* Otherwise the answer comes with the prompt's Completed signal. */
}

static void
unlocked_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Prepare *prepare = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *owner = NULL;
  const char *bus_name = g_dbus_proxy_get_name (G_DBUS_PROXY (prepare->service));
  const char *prompt;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      prepare_return (task, _ea_credentials_map_error (error));
      return;
    }

  g_variant_get (reply, "(@ao&o)", NULL, &prompt);
  if (g_str_equal (prompt, "/"))
    {
      prepare_return (task, NULL);
      return;
    }

  g_debug ("asking the user to unlock the keyring");
  prepare->prompt_path = g_strdup (prompt);
  owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (prepare->service));
  prepare->completed_id =
    g_dbus_connection_signal_subscribe (prepare->connection, owner,
                                        SECRET_PROMPT_IFACE, "Completed", prepare->prompt_path,
                                        NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        prompt_completed_cb, g_object_ref (task), g_object_unref);
  prepare->vanished_id =
    g_dbus_connection_signal_subscribe (prepare->connection, "org.freedesktop.DBus",
                                        "org.freedesktop.DBus", "NameOwnerChanged",
                                        "/org/freedesktop/DBus", bus_name,
                                        G_DBUS_SIGNAL_FLAGS_NONE,
                                        service_vanished_cb, g_object_ref (task), g_object_unref);

  /* Cancelling while the user is being asked dismisses the prompt. */
  if (g_task_get_cancellable (task) != NULL)
    {
      prepare->cancellable = g_object_ref (g_task_get_cancellable (task));
      prepare->cancelled_id = g_cancellable_connect (prepare->cancellable,
                                                     G_CALLBACK (prompt_cancelled_cb),
                                                     g_object_ref (task), g_object_unref);
    }

  g_dbus_connection_call (prepare->connection, bus_name, prepare->prompt_path,
                          SECRET_PROMPT_IFACE, "Prompt", g_variant_new ("(s)", ""),
                          NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1,
                          NULL, prompted_cb, g_object_ref (task));
}

static void
collection_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Prepare *prepare = g_task_get_task_data (task);
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  GError *error = NULL;

  collection = secret_collection_for_alias_finish (result, &error);
  if (error != NULL)
    {
      prepare_return (task, _ea_credentials_map_error (error));
      return;
    }

  if (collection == NULL)
    {
      prepare_return (task, _ea_credentials_explained_error (EA_CREDENTIALS_ERROR_NO_KEYRING, NULL));
      return;
    }

  if (secret_collection_get_locked (collection))
    g_ptr_array_add (paths, (gpointer) g_dbus_proxy_get_object_path (G_DBUS_PROXY (collection)));
  for (guint i = 0; prepare->locked_items != NULL && prepare->locked_items[i] != NULL; i++)
    g_ptr_array_add (paths, prepare->locked_items[i]);

  if (paths->len == 0)
    {
      prepare_return (task, NULL);
      return;
    }
  g_ptr_array_add (paths, NULL);

  prepare->connection = g_object_ref (g_dbus_proxy_get_connection (G_DBUS_PROXY (prepare->service)));
  g_dbus_connection_call (prepare->connection,
                          g_dbus_proxy_get_name (G_DBUS_PROXY (prepare->service)),
                          SECRET_SERVICE_PATH, SECRET_SERVICE_IFACE, "Unlock",
                          g_variant_new ("(^ao)", (char **) paths->pdata),
                          G_VARIANT_TYPE ("(aoo)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          g_task_get_cancellable (task), unlocked_cb, g_object_ref (task));
}

static void
service_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Prepare *prepare = g_task_get_task_data (task);
  GError *error = NULL;

  prepare->service = secret_service_get_finish (result, &error);
  if (prepare->service == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        prepare_return (task, error);
      else
        {
          prepare_return (task, _ea_credentials_explained_error (EA_CREDENTIALS_ERROR_NO_SERVICE,
                                                                  error));
          g_error_free (error);
        }
      return;
    }

  secret_collection_for_alias (prepare->service, SECRET_COLLECTION_DEFAULT,
                               SECRET_COLLECTION_NONE, g_task_get_cancellable (task),
                               collection_cb, g_object_ref (task));
}

static gboolean
uses_secret_service (void)
{
  const char *backend = g_getenv ("SECRET_BACKEND");

  /* In a sandbox libsecret keeps secrets through the Secret portal. */
  if (backend != NULL)
    return g_str_equal (backend, "service");
  return !g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

void
_ea_credentials_prepare_async (const char * const  *locked_items,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Prepare *prepare = g_new0 (Prepare, 1);

  g_task_set_source_tag (task, _ea_credentials_prepare_async);
  prepare->locked_items = g_strdupv ((char **) locked_items);
  g_task_set_task_data (task, prepare, prepare_free);

  if (!uses_secret_service ())
    {
      prepare_return (task, NULL);
      return;
    }

  secret_service_get (SECRET_SERVICE_OPEN_SESSION, cancellable, service_cb, g_object_ref (task));
}

SecretService *
_ea_credentials_prepare_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
