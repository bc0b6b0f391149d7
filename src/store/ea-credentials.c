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

#include "ea-credentials-private.h"

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
  EaCredentialsOp *op = data;

  g_clear_pointer (&op->cred, ea_credential_free);
  g_clear_pointer (&op->old_items, g_ptr_array_unref);
  g_clear_pointer (&op->new_items, g_ptr_array_unref);
  g_list_free_full (op->found, g_object_unref);
  g_free (op->device_id);
  g_free (op);
}

static EaCredentialsOp *
op_new (EaCredentialsOpKind kind)
{
  EaCredentialsOp *op = g_new0 (EaCredentialsOp, 1);

  op->kind = kind;
  op->old_items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  op->new_items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);

  return op;
}

/* Called once the task has its result: hands the queue to the next task. */
void
_ea_credentials_op_queue_next (GTask *task)
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

void
_ea_credentials_emit_changed (EaCredentials      *self,
                              const EaCredential *cred,
                              const char         *action)
{
  g_debug ("credential %s: %s %s %s", action, cred->broker, cred->environment, cred->account);
  g_signal_emit (self, signals[CHANGED], 0,
                 cred->broker, cred->environment, cred->account, action);
}

/* --- queue --------------------------------------------------------------- */

static void
op_prepared_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  EaCredentialsOp *op = g_task_get_task_data (task);
  g_autoptr(SecretService) service = NULL;
  GError *error = NULL;

  service = _ea_credentials_prepare_finish (result, &error);
  if (error != NULL)
    {
      _ea_credentials_op_return_error (task, error);
      return;
    }

  switch (op->kind)
    {
    case OP_CHECK:
      _ea_credentials_check_ready (task, service);
      break;
    case OP_STORE:
    case OP_ROTATE:
      _ea_credentials_write_start (task);
      break;
    case OP_DELETE:
      _ea_credentials_delete_start (task);
      break;
    case OP_DEVICE_ID:
      _ea_credentials_device_id_start (task);
      break;
    case OP_LOOKUP:
    case OP_LIST:
    default:
      g_assert_not_reached ();
    }
}

static void
op_start (GTask *task)
{
  EaCredentialsOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      _ea_credentials_op_return_error (task, error);
      return;
    }

  switch (op->kind)
    {
    case OP_LIST:
      /* Attributes only: works on a locked keyring. */
      _ea_credentials_list_start (task);
      break;
    case OP_LOOKUP:
      /* Finds the items first, then unlocks what holds them. */
      _ea_credentials_lookup_start (task);
      break;
    case OP_CHECK:
    case OP_STORE:
    case OP_ROTATE:
    case OP_DELETE:
    case OP_DEVICE_ID:
    default:
      _ea_credentials_prepare_async (NULL, g_task_get_cancellable (task), op_prepared_cb, task);
      break;
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
          EaCredentialsOp     *op,
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
             EaCredentialsOpKind               kind,
             const EaCredential  *cred,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GError) invalid = NULL;
  EaCredentialsOp *op = op_new (kind);

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
                EaCredentialsOpKind               kind,
                const char          *broker,
                const char          *environment,
                const char          *account,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GError) invalid = NULL;
  EaCredentialsOp *op = op_new (kind);

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
