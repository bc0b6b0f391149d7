/* ea-credentials.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaCredentials keeps broker credentials in the desktop keyring through
 * libsecret (the Secret Service on the host, the Secret portal inside
 * Flatpak). Each secret of a credential is its own keyring item, tagged
 * with app, broker, environment, account, kind and expires, so a listing
 * reads only attributes and never loads a secret.
 *
 * All operations of all instances run one after another on a process-wide
 * queue, so a store and a lookup of the same credential never interleave
 * and the device id is generated only once. Use it from the main thread.
 *
 * Log lines and errors name the broker, environment, account and kind,
 * never a secret value.
 */
#define G_LOG_DOMAIN "ea-credentials"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-credentials.h"

#define ATTR_APP         "app"
#define ATTR_BROKER      "broker"
#define ATTR_ENVIRONMENT "environment"
#define ATTR_ACCOUNT     "account"
#define ATTR_KIND        "kind"
#define ATTR_EXPIRES     "expires"

#define KIND_DEVICE_ID   "device-id"

struct _EaCredentials
{
  GObject  parent_instance;

  char    *app_id;
};

G_DEFINE_FINAL_TYPE (EaCredentials, ea_credentials, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_APP_ID,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_QUARK (ea-credentials-error-quark, ea_credentials_error)

typedef enum
{
  OP_CHECK,
  OP_STORE,
  OP_ROTATE,
  OP_LOOKUP,
  OP_DELETE,
  OP_LIST,
  OP_DEVICE_ID,
} OpKind;

typedef struct
{
  OpKind         kind;
  EaCredential  *cred;       /* store/rotate: what to write; lookup: being filled */
  GPtrArray     *old_items;  /* GHashTable: attributes of items found before writing */
  GPtrArray     *new_items;  /* GHashTable: attributes of items written */
  GList         *found;      /* SecretRetrievable: lookup results */
  GList         *cursor;
  guint          index;
  SecretService *service;
  char          *device_id;
} Op;

static GQueue op_queue = G_QUEUE_INIT;

static void op_start (GTask *task);

const SecretSchema *
ea_credentials_get_schema (void)
{
  static const SecretSchema schema = {
    EA_CREDENTIALS_SCHEMA_NAME,
    SECRET_SCHEMA_NONE,
    {
      { ATTR_APP, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_BROKER, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_ENVIRONMENT, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_ACCOUNT, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_KIND, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_EXPIRES, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static void
op_free (gpointer data)
{
  Op *op = data;

  g_clear_pointer (&op->cred, ea_credential_free);
  g_clear_pointer (&op->old_items, g_ptr_array_unref);
  g_clear_pointer (&op->new_items, g_ptr_array_unref);
  g_list_free_full (op->found, g_object_unref);
  g_clear_object (&op->service);
  g_free (op->device_id);
  g_free (op);
}

static Op *
op_new (OpKind kind)
{
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  op->old_items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  op->new_items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);

  return op;
}

/* Called once the task has its result: hands the queue to the next task. */
static void
op_queue_next (GTask *task)
{
  GTask *head = g_queue_pop_head (&op_queue);

  g_assert (head == task);
  g_object_unref (head);

  if (!g_queue_is_empty (&op_queue))
    op_start (g_queue_peek_head (&op_queue));
}

static void
op_queue_push (GTask *task)
{
  g_queue_push_tail (&op_queue, g_object_ref (task));
  if (g_queue_get_length (&op_queue) == 1)
    op_start (task);
}

static const char *
broker_display_name (const char *broker)
{
  if (g_strcmp0 (broker, EA_CREDENTIAL_BROKER_TRADOVATE) == 0)
    return "Tradovate";
  if (g_strcmp0 (broker, EA_CREDENTIAL_BROKER_IBKR) == 0)
    return "Interactive Brokers";
  if (g_strcmp0 (broker, EA_CREDENTIAL_BROKER_NINJATRADER) == 0)
    return "NinjaTrader";
  return broker;
}

static const char *
kind_display_name (EaCredentialKind kind)
{
  switch (kind)
    {
    case EA_CREDENTIAL_KIND_PASSWORD:
      return _("password");
    case EA_CREDENTIAL_KIND_CID:
      return _("API key id");
    case EA_CREDENTIAL_KIND_SEC:
      return _("API secret");
    case EA_CREDENTIAL_KIND_TOKEN:
      return _("token");
    default:
      return "";
    }
}

static const char *
explain (EaCredentialsError code)
{
  switch (code)
    {
    case EA_CREDENTIALS_ERROR_NO_SERVICE:
      return _("No Secret Service is available, so broker credentials cannot be kept safely. "
               "Log into a desktop session that provides one, or install and start GNOME Keyring "
               "(gnome-keyring) or enable the Secret Service integration of KeePassXC, then try "
               "again. Nothing is stored anywhere else in the meantime.");
    case EA_CREDENTIALS_ERROR_NO_KEYRING:
      return _("The Secret Service has no default keyring. Create one (for example in "
               "Passwords and Keys) and try again. Nothing is stored anywhere else in the meantime.");
    case EA_CREDENTIALS_ERROR_LOCKED:
      return _("The keyring is locked. Unlock it (for example in Passwords and Keys, or by "
               "logging in again) and try again. Nothing is stored anywhere else in the meantime.");
    case EA_CREDENTIALS_ERROR_NOT_FOUND:
    case EA_CREDENTIALS_ERROR_INVALID:
    case EA_CREDENTIALS_ERROR_FAILED:
    default:
      return _("The keyring failed.");
    }
}

static GError *
explained_error (EaCredentialsError  code,
                 const GError       *cause)
{
  if (cause != NULL)
    return g_error_new (EA_CREDENTIALS_ERROR, code, "%s (%s)", explain (code), cause->message);
  return g_error_new_literal (EA_CREDENTIALS_ERROR, code, explain (code));
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
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

/* Turns a libsecret or D-Bus error into an EA_CREDENTIALS_ERROR that says
 * what to do. Consumes @error. None of these messages carry a secret. */
static GError *
map_error (GError *error)
{
  GError *mapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      error->domain == EA_CREDENTIALS_ERROR)
    return error;

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    mapped = explained_error (EA_CREDENTIALS_ERROR_LOCKED, error);
  else if (is_no_service_error (error))
    mapped = explained_error (EA_CREDENTIALS_ERROR_NO_SERVICE, error);
  else
    mapped = g_error_new (EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_FAILED,
                          _("The keyring failed: %s"), error->message);

  g_error_free (error);
  return mapped;
}

static void
op_return_error (GTask  *task,
                 GError *error)
{
  g_task_return_error (task, map_error (error));
  op_queue_next (task);
}

static GHashTable *
new_attributes (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static GHashTable *
identity_attributes (EaCredentials      *self,
                     const EaCredential *cred)
{
  GHashTable *attrs = new_attributes ();

  g_hash_table_insert (attrs, g_strdup (ATTR_APP), g_strdup (self->app_id));
  g_hash_table_insert (attrs, g_strdup (ATTR_BROKER), g_strdup (cred->broker));
  g_hash_table_insert (attrs, g_strdup (ATTR_ENVIRONMENT), g_strdup (cred->environment));
  g_hash_table_insert (attrs, g_strdup (ATTR_ACCOUNT), g_strdup (cred->account));

  return attrs;
}

/* Every credential item carries all six attributes ("expires" empty when
 * there is none), so an item can be removed by its exact attribute set. */
static GHashTable *
item_attributes (EaCredentials      *self,
                 const EaCredential *cred,
                 EaCredentialKind    kind)
{
  GHashTable *attrs = identity_attributes (self, cred);
  char *expires = cred->expires != NULL ? g_date_time_format_iso8601 (cred->expires) : g_strdup ("");

  g_hash_table_insert (attrs, g_strdup (ATTR_KIND), g_strdup (ea_credential_kind_to_string (kind)));
  g_hash_table_insert (attrs, g_strdup (ATTR_EXPIRES), expires);

  return attrs;
}

static GHashTable *
device_id_attributes (EaCredentials *self)
{
  GHashTable *attrs = new_attributes ();

  g_hash_table_insert (attrs, g_strdup (ATTR_APP), g_strdup (self->app_id));
  g_hash_table_insert (attrs, g_strdup (ATTR_KIND), g_strdup (KIND_DEVICE_ID));

  return attrs;
}

/* Copies the attributes of our schema from a found item (dropping
 * "xdg:schema" and anything else a keyring adds). */
static GHashTable *
known_attributes (SecretRetrievable *item)
{
  g_autoptr(GHashTable) found = secret_retrievable_get_attributes (item);
  const SecretSchema *schema = ea_credentials_get_schema ();
  GHashTable *attrs = new_attributes ();

  for (guint i = 0; schema->attributes[i].name != NULL; i++)
    {
      const char *value = g_hash_table_lookup (found, schema->attributes[i].name);

      if (value != NULL)
        g_hash_table_insert (attrs, g_strdup (schema->attributes[i].name), g_strdup (value));
    }

  return attrs;
}

static gboolean
attributes_equal (GHashTable *a,
                  GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (g_strcmp0 (value, g_hash_table_lookup (b, key)) != 0)
        return FALSE;
    }

  return TRUE;
}

static gboolean
attributes_kind (GHashTable       *attrs,
                 EaCredentialKind *kind)
{
  return ea_credential_kind_from_string (g_hash_table_lookup (attrs, ATTR_KIND), kind);
}

static GDateTime *
attributes_expires (GHashTable *attrs)
{
  const char *text = g_hash_table_lookup (attrs, ATTR_EXPIRES);
  g_autoptr(GTimeZone) utc = NULL;

  if (text == NULL || text[0] == '\0')
    return NULL;

  utc = g_time_zone_new_utc ();
  return g_date_time_new_from_iso8601 (text, utc);
}

static char *
item_label (const EaCredential *cred,
            EaCredentialKind    kind)
{
  /* TRANSLATORS: keyring item label: broker, environment, user name, secret kind */
  return g_strdup_printf (_("Enigma Apex — %s %s (%s) %s"),
                          broker_display_name (cred->broker),
                          cred->environment,
                          cred->account,
                          kind_display_name (kind));
}

static void
emit_changed (EaCredentials      *self,
              const EaCredential *cred,
              const char         *action)
{
  g_debug ("credential %s: %s %s %s", action, cred->broker, cred->environment, cred->account);
  g_signal_emit (self, signals[CHANGED], 0,
                 cred->broker, cred->environment, cred->account, action);
}

/* --- check ------------------------------------------------------------- */

static gboolean
uses_secret_service (void)
{
  const char *backend = g_getenv ("SECRET_BACKEND");

  /* In a sandbox libsecret talks to the Secret portal instead. */
  if (backend != NULL)
    return g_str_equal (backend, "service");
  return !g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

static void
check_unlocked_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  GList *unlocked = NULL;
  int n;

  n = secret_service_unlock_finish (SECRET_SERVICE (source), result, &unlocked, &error);
  g_list_free_full (unlocked, g_object_unref);

  if (n <= 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, explained_error (EA_CREDENTIALS_ERROR_LOCKED, error));
      op_queue_next (task);
      return;
    }
  if (error != NULL)
    {
      op_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("default keyring unlocked");
  g_task_return_boolean (task, TRUE);
  op_queue_next (task);
}

static void
check_collection_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  GList *objects;

  collection = secret_collection_for_alias_finish (result, &error);
  if (error != NULL)
    {
      op_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (collection == NULL)
    {
      g_task_return_error (task, explained_error (EA_CREDENTIALS_ERROR_NO_KEYRING, NULL));
      op_queue_next (task);
      return;
    }

  if (!secret_collection_get_locked (collection))
    {
      g_task_return_boolean (task, TRUE);
      op_queue_next (task);
      return;
    }

  g_debug ("default keyring is locked, asking to unlock it");
  objects = g_list_append (NULL, collection);
  secret_service_unlock (op->service, objects, g_task_get_cancellable (task),
                         check_unlocked_cb, task);
  g_list_free (objects);
}

static void
check_service_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  op->service = secret_service_get_finish (result, &error);
  if (op->service == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, explained_error (EA_CREDENTIALS_ERROR_NO_SERVICE, error));
      op_queue_next (task);
      return;
    }

  secret_collection_for_alias (op->service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                               g_task_get_cancellable (task), check_collection_cb, task);
}

static void
check_probed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  char *value;

  value = secret_password_lookup_finish (result, &error);
  secret_password_free (value);
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, explained_error (EA_CREDENTIALS_ERROR_NO_SERVICE, error));
      op_queue_next (task);
      return;
    }

  g_task_return_boolean (task, TRUE);
  op_queue_next (task);
}

static void
check_start (GTask *task)
{
  EaCredentials *self = g_task_get_source_object (task);

  if (uses_secret_service ())
    {
      secret_service_get (SECRET_SERVICE_OPEN_SESSION, g_task_get_cancellable (task),
                          check_service_cb, task);
    }
  else
    {
      g_autoptr(GHashTable) attrs = device_id_attributes (self);

      secret_password_lookupv (ea_credentials_get_schema (), attrs, g_task_get_cancellable (task),
                               check_probed_cb, task);
    }
}

/* --- store and rotate ---------------------------------------------------- */

static void write_clear_next (GTask *task);
static void write_store_next (GTask *task);

static void
write_done (GTask *task)
{
  EaCredentials *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  if (op->kind == OP_ROTATE)
    {
      emit_changed (self, op->cred, "rotated");
      g_task_return_pointer (task,
                             g_strdup_printf ("credential rotated: %s %s %s",
                                              op->cred->broker, op->cred->environment,
                                              op->cred->account),
                             g_free);
    }
  else
    {
      emit_changed (self, op->cred, "stored");
      g_task_return_boolean (task, TRUE);
    }
  op_queue_next (task);
}

static void
write_cleared_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      op_return_error (task, error);
      return;
    }

  op->index++;
  write_clear_next (task);
}

/* Removes the items of the old credential that the new one did not
 * overwrite: kinds it no longer has, or items with another expiry. */
static void
write_clear_next (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  for (; op->index < op->old_items->len; op->index++)
    {
      GHashTable *old = g_ptr_array_index (op->old_items, op->index);
      gboolean overwritten = FALSE;

      for (guint i = 0; i < op->new_items->len && !overwritten; i++)
        overwritten = attributes_equal (old, g_ptr_array_index (op->new_items, i));

      if (!overwritten)
        {
          secret_password_clearv (ea_credentials_get_schema (), old, g_task_get_cancellable (task),
                                  write_cleared_cb, task);
          return;
        }
    }

  write_done (task);
}

static void
write_stored_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      op_return_error (task, error);
      return;
    }

  op->index++;
  write_store_next (task);
}

static void
write_store_next (GTask *task)
{
  EaCredentials *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attrs = NULL;
  g_autofree char *label = NULL;

  while (op->index < EA_CREDENTIAL_N_KINDS && ea_credential_get_secret (op->cred, op->index) == NULL)
    op->index++;

  if (op->index == EA_CREDENTIAL_N_KINDS)
    {
      op->index = 0;
      write_clear_next (task);
      return;
    }

  attrs = item_attributes (self, op->cred, op->index);
  label = item_label (op->cred, op->index);
  g_ptr_array_add (op->new_items, g_hash_table_ref (attrs));

  secret_password_storev (ea_credentials_get_schema (), attrs, SECRET_COLLECTION_DEFAULT, label,
                          ea_credential_get_secret (op->cred, op->index),
                          g_task_get_cancellable (task), write_stored_cb, task);
}

static void
write_searched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      op_return_error (task, error);
      return;
    }

  for (const GList *l = items; l != NULL; l = l->next)
    {
      GHashTable *attrs = known_attributes (l->data);
      EaCredentialKind kind;

      if (attributes_kind (attrs, &kind))
        g_ptr_array_add (op->old_items, attrs);
      else
        g_hash_table_unref (attrs);
    }
  g_list_free_full (items, g_object_unref);

  if (op->kind == OP_ROTATE && op->old_items->len == 0)
    {
      g_task_return_new_error (task, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_NOT_FOUND,
                               _("There is no stored credential for %s %s %s to rotate"),
                               op->cred->broker, op->cred->environment, op->cred->account);
      op_queue_next (task);
      return;
    }

  op->index = 0;
  write_store_next (task);
}

static void
write_start (GTask *task)
{
  EaCredentials *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) identity = identity_attributes (self, op->cred);

  secret_password_searchv (ea_credentials_get_schema (), identity, SECRET_SEARCH_ALL,
                           g_task_get_cancellable (task), write_searched_cb, task);
}

/* --- lookup -------------------------------------------------------------- */

static void lookup_retrieve_next (GTask *task);

static void
lookup_retrieved_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attrs = NULL;
  g_autoptr(GDateTime) expires = NULL;
  GError *error = NULL;
  SecretValue *value;
  EaCredentialKind kind;
  char *password;
  gsize length = 0;

  value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (source), result, &error);
  if (value == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED, "no secret returned");
      op_return_error (task, error);
      return;
    }

  attrs = known_attributes (SECRET_RETRIEVABLE (source));
  if (!attributes_kind (attrs, &kind))
    g_assert_not_reached ();

  /* Straight from the keyring's non-pageable buffer into the credential. */
  password = secret_value_unref_to_password (value, &length);
  ea_credential_set_secret (op->cred, kind, NULL);
  switch (kind)
    {
    case EA_CREDENTIAL_KIND_PASSWORD:
      op->cred->password = password;
      break;
    case EA_CREDENTIAL_KIND_CID:
      op->cred->cid = password;
      break;
    case EA_CREDENTIAL_KIND_SEC:
      op->cred->sec = password;
      break;
    case EA_CREDENTIAL_KIND_TOKEN:
      op->cred->token = password;
      break;
    default:
      secret_password_free (password);
      break;
    }

  expires = attributes_expires (attrs);
  if (expires != NULL)
    ea_credential_set_expires (op->cred, expires);

  op->cursor = op->cursor->next;
  lookup_retrieve_next (task);
}

static void
lookup_retrieve_next (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  if (op->cursor == NULL)
    {
      g_debug ("credential looked up: %s %s %s",
               op->cred->broker, op->cred->environment, op->cred->account);
      g_task_return_pointer (task, g_steal_pointer (&op->cred), (GDestroyNotify) ea_credential_free);
      op_queue_next (task);
      return;
    }

  secret_retrievable_retrieve_secret (op->cursor->data, g_task_get_cancellable (task),
                                      lookup_retrieved_cb, task);
}

static int
compare_modified (gconstpointer a,
                  gconstpointer b)
{
  guint64 ma = secret_retrievable_get_modified ((SecretRetrievable *) a);
  guint64 mb = secret_retrievable_get_modified ((SecretRetrievable *) b);

  return ma < mb ? -1 : ma > mb ? 1 : 0;
}

static void
lookup_searched_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      op_return_error (task, error);
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attrs = known_attributes (l->data);
      EaCredentialKind kind;

      if (attributes_kind (attrs, &kind))
        op->found = g_list_prepend (op->found, g_object_ref (l->data));
    }
  g_list_free_full (items, g_object_unref);

  if (op->found == NULL)
    {
      g_task_return_new_error (task, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_NOT_FOUND,
                               _("There is no stored credential for %s %s %s"),
                               op->cred->broker, op->cred->environment, op->cred->account);
      op_queue_next (task);
      return;
    }

  /* Should a kind be there twice, the newest wins. */
  op->found = g_list_sort (op->found, compare_modified);
  op->cursor = op->found;
  lookup_retrieve_next (task);
}

static void
lookup_start (GTask *task)
{
  EaCredentials *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) identity = identity_attributes (self, op->cred);

  secret_password_searchv (ea_credentials_get_schema (), identity,
                           SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK,
                           g_task_get_cancellable (task), lookup_searched_cb, task);
}

/* --- delete -------------------------------------------------------------- */

static void
delete_cleared_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  EaCredentials *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_password_clear_finish (result, &error))
    {
      if (error != NULL)
        {
          op_return_error (task, error);
          return;
        }
      g_task_return_new_error (task, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_NOT_FOUND,
                               _("There is no stored credential for %s %s %s"),
                               op->cred->broker, op->cred->environment, op->cred->account);
      op_queue_next (task);
      return;
    }

  emit_changed (self, op->cred, "deleted");
  g_task_return_boolean (task, TRUE);
  op_queue_next (task);
}

static void
delete_start (GTask *task)
{
  EaCredentials *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) identity = identity_attributes (self, op->cred);

  secret_password_clearv (ea_credentials_get_schema (), identity, g_task_get_cancellable (task),
                          delete_cleared_cb, task);
}

/* --- list ---------------------------------------------------------------- */

static int
compare_info (gconstpointer a,
              gconstpointer b)
{
  const EaCredentialInfo *ia = *(EaCredentialInfo * const *) a;
  const EaCredentialInfo *ib = *(EaCredentialInfo * const *) b;
  int cmp;

  if ((cmp = g_strcmp0 (ia->broker, ib->broker)) != 0)
    return cmp;
  if ((cmp = g_strcmp0 (ia->environment, ib->environment)) != 0)
    return cmp;
  return g_strcmp0 (ia->account, ib->account);
}

static void
list_searched_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GHashTable) by_identity = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  GError *error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      op_return_error (task, error);
      return;
    }

  by_identity = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  infos = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_credential_info_free);

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attrs = known_attributes (l->data);
      g_autoptr(GDateTime) expires = NULL;
      const char *broker = g_hash_table_lookup (attrs, ATTR_BROKER);
      const char *environment = g_hash_table_lookup (attrs, ATTR_ENVIRONMENT);
      const char *account = g_hash_table_lookup (attrs, ATTR_ACCOUNT);
      g_autofree char *key = NULL;
      EaCredentialInfo *info;
      EaCredentialKind kind;

      if (!attributes_kind (attrs, &kind) || broker == NULL || environment == NULL || account == NULL)
        continue;

      key = g_strdup_printf ("%s\n%s\n%s", broker, environment, account);
      info = g_hash_table_lookup (by_identity, key);
      if (info == NULL)
        {
          info = g_new0 (EaCredentialInfo, 1);
          info->broker = g_strdup (broker);
          info->environment = g_strdup (environment);
          info->account = g_strdup (account);
          g_ptr_array_add (infos, info);
          g_hash_table_insert (by_identity, g_steal_pointer (&key), info);
        }

      info->kinds |= EA_CREDENTIAL_KIND_FLAG (kind);
      expires = attributes_expires (attrs);
      if (expires != NULL &&
          (info->expires == NULL || g_date_time_compare (expires, info->expires) < 0))
        {
          g_clear_pointer (&info->expires, g_date_time_unref);
          info->expires = g_steal_pointer (&expires);
        }
    }
  g_list_free_full (items, g_object_unref);

  g_ptr_array_sort (infos, compare_info);
  g_task_return_pointer (task, g_steal_pointer (&infos), (GDestroyNotify) g_ptr_array_unref);
  op_queue_next (task);
}

static void
list_start (GTask *task)
{
  EaCredentials *self = g_task_get_source_object (task);
  g_autoptr(GHashTable) attrs = new_attributes ();

  g_hash_table_insert (attrs, g_strdup (ATTR_APP), g_strdup (self->app_id));
  secret_password_searchv (ea_credentials_get_schema (), attrs, SECRET_SEARCH_ALL,
                           g_task_get_cancellable (task), list_searched_cb, task);
}

/* --- device id ----------------------------------------------------------- */

static void
device_id_stored_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      op_return_error (task, error);
      return;
    }

  g_debug ("generated and stored a new device id");
  g_task_return_pointer (task, g_steal_pointer (&op->device_id), g_free);
  op_queue_next (task);
}

static void
device_id_looked_up_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GTask *task = user_data;
  EaCredentials *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attrs = NULL;
  GError *error = NULL;
  char *value;

  value = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      op_return_error (task, error);
      return;
    }

  if (value != NULL && g_uuid_string_is_valid (value))
    {
      g_task_return_pointer (task, g_strdup (value), g_free);
      secret_password_free (value);
      op_queue_next (task);
      return;
    }

  if (value != NULL)
    g_debug ("stored device id is not a UUID; replacing it");
  secret_password_free (value);

  op->device_id = g_uuid_string_random ();
  attrs = device_id_attributes (self);
  secret_password_storev (ea_credentials_get_schema (), attrs, SECRET_COLLECTION_DEFAULT,
                          _("Enigma Apex — device id"), op->device_id,
                          g_task_get_cancellable (task), device_id_stored_cb, task);
}

static void
device_id_start (GTask *task)
{
  EaCredentials *self = g_task_get_source_object (task);
  g_autoptr(GHashTable) attrs = device_id_attributes (self);

  secret_password_lookupv (ea_credentials_get_schema (), attrs, g_task_get_cancellable (task),
                           device_id_looked_up_cb, task);
}

/* --- queue --------------------------------------------------------------- */

static void
op_start (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      op_return_error (task, error);
      return;
    }

  switch (op->kind)
    {
    case OP_CHECK:
      check_start (task);
      break;
    case OP_STORE:
    case OP_ROTATE:
      write_start (task);
      break;
    case OP_LOOKUP:
      lookup_start (task);
      break;
    case OP_DELETE:
      delete_start (task);
      break;
    case OP_LIST:
      list_start (task);
      break;
    case OP_DEVICE_ID:
      device_id_start (task);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* --- object -------------------------------------------------------------- */

static void
ea_credentials_finalize (GObject *object)
{
  EaCredentials *self = (EaCredentials *) object;

  g_clear_pointer (&self->app_id, g_free);

  G_OBJECT_CLASS (ea_credentials_parent_class)->finalize (object);
}

static void
ea_credentials_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EaCredentials *self = EA_CREDENTIALS (object);

  switch (prop_id)
    {
    case PROP_APP_ID:
      g_value_set_string (value, self->app_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_credentials_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EaCredentials *self = EA_CREDENTIALS (object);

  switch (prop_id)
    {
    case PROP_APP_ID:
      g_free (self->app_id);
      self->app_id = g_value_dup_string (value);
      if (self->app_id == NULL || self->app_id[0] == '\0')
        {
          g_free (self->app_id);
          self->app_id = g_strdup (APP_ID);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_credentials_class_init (EaCredentialsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ea_credentials_finalize;
  object_class->get_property = ea_credentials_get_property;
  object_class->set_property = ea_credentials_set_property;

  /**
   * EaCredentials:app-id:
   *
   * The "app" attribute of every item; lets tests keep to their own items.
   */
  properties[PROP_APP_ID] =
    g_param_spec_string ("app-id", NULL, NULL,
                         APP_ID,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EaCredentials::changed:
   * @broker: the broker
   * @environment: demo, live or paper
   * @account: the user name
   * @action: "stored", "rotated" or "deleted"
   *
   * Emitted after a credential changed in the keyring, for the audit trail.
   * It never carries a secret.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
}

static void
ea_credentials_init (EaCredentials *self)
{
  self->app_id = g_strdup (APP_ID);
}

/* --- public API ---------------------------------------------------------- */

EaCredentials *
ea_credentials_new (void)
{
  return g_object_new (EA_TYPE_CREDENTIALS, NULL);
}

/**
 * ea_credentials_new_for_app:
 * @app_id: the value of the "app" attribute of the items
 *
 * Returns: (transfer full): credentials kept apart from those of the
 *   application (tests use this).
 */
EaCredentials *
ea_credentials_new_for_app (const char *app_id)
{
  return g_object_new (EA_TYPE_CREDENTIALS, "app-id", app_id, NULL);
}

const char *
ea_credentials_get_app_id (EaCredentials *self)
{
  g_return_val_if_fail (EA_IS_CREDENTIALS (self), NULL);

  return self->app_id;
}

static void
queue_op (EaCredentials       *self,
          Op                  *op,
          gpointer             source_tag,
          const GError        *invalid,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, op_free);

  if (invalid != NULL)
    g_task_return_error (task, g_error_copy (invalid));
  else
    op_queue_push (task);
}

/**
 * ea_credentials_check_service_async:
 *
 * Checks that credentials can be kept: a Secret Service (or, in a sandbox,
 * the Secret portal) answers and its default keyring exists and is
 * unlocked, asking the user to unlock it when it is locked. Fails with
 * %EA_CREDENTIALS_ERROR_NO_SERVICE, %EA_CREDENTIALS_ERROR_NO_KEYRING or
 * %EA_CREDENTIALS_ERROR_LOCKED and a message that says what to do.
 */
void
ea_credentials_check_service_async (EaCredentials       *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (EA_IS_CREDENTIALS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  queue_op (self, op_new (OP_CHECK), ea_credentials_check_service_async, NULL,
            cancellable, callback, user_data);
}

gboolean
ea_credentials_check_service_finish (EaCredentials  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ea_credentials_check_service_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
queue_write (EaCredentials       *self,
             OpKind               kind,
             const EaCredential  *cred,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GError) invalid = NULL;
  Op *op = op_new (kind);

  op->cred = ea_credential_copy (cred);
  ea_credential_validate (op->cred, &invalid);
  queue_op (self, op, source_tag, invalid, cancellable, callback, user_data);
}

/**
 * ea_credentials_store_async:
 * @cred: the credential; its secrets are copied
 *
 * Stores @cred, replacing any credential of the same broker, environment
 * and account (kinds @cred does not hold are removed). Emits
 * #EaCredentials::changed with "stored".
 */
void
ea_credentials_store_async (EaCredentials       *self,
                            const EaCredential  *cred,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (EA_IS_CREDENTIALS (self));
  g_return_if_fail (cred != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  queue_write (self, OP_STORE, cred, ea_credentials_store_async, cancellable, callback, user_data);
}

gboolean
ea_credentials_store_finish (EaCredentials  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ea_credentials_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ea_credentials_rotate_async:
 * @cred: the new credential; its secrets are copied
 *
 * Like ea_credentials_store_async(), but fails with
 * %EA_CREDENTIALS_ERROR_NOT_FOUND when no credential of that broker,
 * environment and account is stored. Emits #EaCredentials::changed with
 * "rotated".
 */
void
ea_credentials_rotate_async (EaCredentials       *self,
                             const EaCredential  *cred,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (EA_IS_CREDENTIALS (self));
  g_return_if_fail (cred != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  queue_write (self, OP_ROTATE, cred, ea_credentials_rotate_async, cancellable, callback, user_data);
}

/**
 * ea_credentials_rotate_finish:
 *
 * Returns: (transfer full): a description for the audit trail,
 *   "credential rotated: <broker> <environment> <account>", or %NULL
 */
char *
ea_credentials_rotate_finish (EaCredentials  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ea_credentials_rotate_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
queue_identity (EaCredentials       *self,
                OpKind               kind,
                const char          *broker,
                const char          *environment,
                const char          *account,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GError) invalid = NULL;
  Op *op = op_new (kind);

  ea_credential_validate_identity (broker, environment, account, &invalid);
  op->cred = ea_credential_new (broker, environment, account);
  queue_op (self, op, source_tag, invalid, cancellable, callback, user_data);
}

/**
 * ea_credentials_lookup_async:
 *
 * Reads every secret stored for @broker, @environment and @account,
 * unlocking the keyring if needed. Fails with
 * %EA_CREDENTIALS_ERROR_NOT_FOUND when there is none.
 */
void
ea_credentials_lookup_async (EaCredentials       *self,
                             const char          *broker,
                             const char          *environment,
                             const char          *account,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (EA_IS_CREDENTIALS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  queue_identity (self, OP_LOOKUP, broker, environment, account, ea_credentials_lookup_async,
                  cancellable, callback, user_data);
}

/**
 * ea_credentials_lookup_finish:
 *
 * Returns: (transfer full): the credential; free it with
 *   ea_credential_free() as soon as it is no longer needed.
 */
EaCredential *
ea_credentials_lookup_finish (EaCredentials  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ea_credentials_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ea_credentials_delete_async:
 *
 * Removes every secret of the credential. Fails with
 * %EA_CREDENTIALS_ERROR_NOT_FOUND when there was none. Emits
 * #EaCredentials::changed with "deleted".
 */
void
ea_credentials_delete_async (EaCredentials       *self,
                             const char          *broker,
                             const char          *environment,
                             const char          *account,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (EA_IS_CREDENTIALS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  queue_identity (self, OP_DELETE, broker, environment, account, ea_credentials_delete_async,
                  cancellable, callback, user_data);
}

gboolean
ea_credentials_delete_finish (EaCredentials  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ea_credentials_delete_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ea_credentials_list_async:
 *
 * Lists the stored credentials from item attributes only: no secret is
 * loaded and the keyring is not unlocked.
 */
void
ea_credentials_list_async (EaCredentials       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (EA_IS_CREDENTIALS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  queue_op (self, op_new (OP_LIST), ea_credentials_list_async, NULL,
            cancellable, callback, user_data);
}

/**
 * ea_credentials_list_finish:
 *
 * Returns: (transfer container) (element-type EaCredentialInfo): the
 *   credentials, sorted by broker, environment and account.
 */
GPtrArray *
ea_credentials_list_finish (EaCredentials  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ea_credentials_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ea_credentials_get_device_id_async:
 *
 * Gets the per-installation device id (a random UUID), generating and
 * storing it in the keyring the first time.
 */
void
ea_credentials_get_device_id_async (EaCredentials       *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (EA_IS_CREDENTIALS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  queue_op (self, op_new (OP_DEVICE_ID), ea_credentials_get_device_id_async, NULL,
            cancellable, callback, user_data);
}

char *
ea_credentials_get_device_id_finish (EaCredentials  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ea_credentials_get_device_id_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
