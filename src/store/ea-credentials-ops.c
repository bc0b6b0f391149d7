/* ea-credentials-ops.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The steps of each EaCredentials operation, run from its queue: every
 * step hands its GTask to a libsecret call whose callback runs the next.
 * Log lines and errors name the broker, environment, account and kind,
 * never a secret value.
 */
#define G_LOG_DOMAIN "ea-credentials"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-credentials-private.h"

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

void
_ea_credentials_op_return_error (GTask  *task,
                                 GError *error)
{
  g_task_return_error (task, _ea_credentials_map_error (error));
  _ea_credentials_op_queue_next (task);
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

  g_hash_table_insert (attrs, g_strdup (ATTR_APP), g_strdup (ea_credentials_get_app_id (self)));
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

  g_hash_table_insert (attrs, g_strdup (ATTR_APP), g_strdup (ea_credentials_get_app_id (self)));
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

/* --- check ------------------------------------------------------------- */

static void
check_probed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  char *value;

  value = secret_password_lookup_finish (result, &error);
  secret_password_free (value);
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, error);
      else
        {
          g_task_return_error (task,
                               _ea_credentials_explained_error (EA_CREDENTIALS_ERROR_NO_SERVICE,
                                                                error));
          g_error_free (error);
        }
      _ea_credentials_op_queue_next (task);
      return;
    }

  g_task_return_boolean (task, TRUE);
  _ea_credentials_op_queue_next (task);
}

void
_ea_credentials_check_ready (GTask         *task,
             SecretService *service)
{
  EaCredentials *self = g_task_get_source_object (task);
  g_autoptr(GHashTable) attrs = NULL;

  if (service != NULL)
    {
      g_debug ("Secret Service ready");
      g_task_return_boolean (task, TRUE);
      _ea_credentials_op_queue_next (task);
      return;
    }

  /* Another backend (the Secret portal): a lookup shows whether it works. */
  attrs = device_id_attributes (self);
  secret_password_lookupv (ea_credentials_get_schema (), attrs, g_task_get_cancellable (task),
                           check_probed_cb, task);
}

/* --- store and rotate ---------------------------------------------------- */

static void write_clear_next (GTask *task);
static void write_store_next (GTask *task);

static void
write_done (GTask *task)
{
  EaCredentials *self = g_task_get_source_object (task);
  EaCredentialsOp *op = g_task_get_task_data (task);

  if (op->kind == OP_ROTATE)
    {
      _ea_credentials_emit_changed (self, op->cred, "rotated");
      g_task_return_pointer (task,
                             g_strdup_printf ("credential rotated: %s %s %s",
                                              op->cred->broker, op->cred->environment,
                                              op->cred->account),
                             g_free);
    }
  else
    {
      _ea_credentials_emit_changed (self, op->cred, "stored");
      g_task_return_boolean (task, TRUE);
    }
  _ea_credentials_op_queue_next (task);
}

static void
write_cleared_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  EaCredentialsOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      _ea_credentials_op_return_error (task, error);
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
  EaCredentialsOp *op = g_task_get_task_data (task);

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
  EaCredentialsOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      _ea_credentials_op_return_error (task, error);
      return;
    }

  op->index++;
  write_store_next (task);
}

static void
write_store_next (GTask *task)
{
  EaCredentials *self = g_task_get_source_object (task);
  EaCredentialsOp *op = g_task_get_task_data (task);
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
  EaCredentialsOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      _ea_credentials_op_return_error (task, error);
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
      _ea_credentials_op_queue_next (task);
      return;
    }

  op->index = 0;
  write_store_next (task);
}

void
_ea_credentials_write_start (GTask *task)
{
  EaCredentials *self = g_task_get_source_object (task);
  EaCredentialsOp *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) identity = identity_attributes (self, op->cred);

  secret_password_searchv (ea_credentials_get_schema (), identity, SECRET_SEARCH_ALL,
                           g_task_get_cancellable (task), write_searched_cb, task);
}

/* --- lookup -------------------------------------------------------------- */

static void lookup_retrieve_next (GTask *task);
static void lookup_prepared_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
lookup_retrieved_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  EaCredentialsOp *op = g_task_get_task_data (task);
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
      _ea_credentials_op_return_error (task, error);
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
  EaCredentialsOp *op = g_task_get_task_data (task);

  if (op->cursor == NULL)
    {
      g_debug ("credential looked up: %s %s %s",
               op->cred->broker, op->cred->environment, op->cred->account);
      g_task_return_pointer (task, g_steal_pointer (&op->cred), (GDestroyNotify) ea_credential_free);
      _ea_credentials_op_queue_next (task);
      return;
    }

  secret_retrievable_retrieve_secret (op->cursor->data, g_task_get_cancellable (task),
                                      lookup_retrieved_cb, task);
}

static void
lookup_prepared_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(SecretService) service = NULL;
  GError *error = NULL;

  service = _ea_credentials_prepare_finish (result, &error);
  if (error != NULL)
    {
      _ea_credentials_op_return_error (task, error);
      return;
    }

  lookup_retrieve_next (task);
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
  EaCredentialsOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      _ea_credentials_op_return_error (task, error);
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
      _ea_credentials_op_queue_next (task);
      return;
    }

  /* Should a kind be there twice, the newest wins. */
  op->found = g_list_sort (op->found, compare_modified);
  op->cursor = op->found;

  /* Unlock what is locked (through the service's prompt) before reading. */
  {
    g_autoptr(GPtrArray) locked = g_ptr_array_new ();

    for (GList *l = op->found; l != NULL; l = l->next)
      {
        if (SECRET_IS_ITEM (l->data) && secret_item_get_locked (l->data))
          g_ptr_array_add (locked, (gpointer) g_dbus_proxy_get_object_path (l->data));
      }
    g_ptr_array_add (locked, NULL);

    _ea_credentials_prepare_async ((const char * const *) locked->pdata,
                                   g_task_get_cancellable (task), lookup_prepared_cb, task);
  }
}

void
_ea_credentials_lookup_start (GTask *task)
{
  EaCredentials *self = g_task_get_source_object (task);
  EaCredentialsOp *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) identity = identity_attributes (self, op->cred);

  secret_password_searchv (ea_credentials_get_schema (), identity,
                           SECRET_SEARCH_ALL,
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
  EaCredentialsOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_password_clear_finish (result, &error))
    {
      if (error != NULL)
        {
          _ea_credentials_op_return_error (task, error);
          return;
        }
      g_task_return_new_error (task, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_NOT_FOUND,
                               _("There is no stored credential for %s %s %s"),
                               op->cred->broker, op->cred->environment, op->cred->account);
      _ea_credentials_op_queue_next (task);
      return;
    }

  _ea_credentials_emit_changed (self, op->cred, "deleted");
  g_task_return_boolean (task, TRUE);
  _ea_credentials_op_queue_next (task);
}

void
_ea_credentials_delete_start (GTask *task)
{
  EaCredentials *self = g_task_get_source_object (task);
  EaCredentialsOp *op = g_task_get_task_data (task);
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
      _ea_credentials_op_return_error (task, error);
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
  _ea_credentials_op_queue_next (task);
}

void
_ea_credentials_list_start (GTask *task)
{
  EaCredentials *self = g_task_get_source_object (task);
  g_autoptr(GHashTable) attrs = new_attributes ();

  g_hash_table_insert (attrs, g_strdup (ATTR_APP), g_strdup (ea_credentials_get_app_id (self)));
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
  EaCredentialsOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      _ea_credentials_op_return_error (task, error);
      return;
    }

  g_debug ("generated and stored a new device id");
  g_task_return_pointer (task, g_steal_pointer (&op->device_id), g_free);
  _ea_credentials_op_queue_next (task);
}

static void
device_id_looked_up_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GTask *task = user_data;
  EaCredentials *self = g_task_get_source_object (task);
  EaCredentialsOp *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attrs = NULL;
  GError *error = NULL;
  char *value;

  value = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      _ea_credentials_op_return_error (task, error);
      return;
    }

  if (value != NULL && g_uuid_string_is_valid (value))
    {
      g_task_return_pointer (task, g_strdup (value), g_free);
      secret_password_free (value);
      _ea_credentials_op_queue_next (task);
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

void
_ea_credentials_device_id_start (GTask *task)
{
  EaCredentials *self = g_task_get_source_object (task);
  g_autoptr(GHashTable) attrs = device_id_attributes (self);

  secret_password_lookupv (ea_credentials_get_schema (), attrs, g_task_get_cancellable (task),
                           device_id_looked_up_cb, task);
}

