/* ea-connection-test.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real connection test per platform: keyring lookup, connect, account
 * list, disconnect, with the latency and, on failure, what to check.
 */
#define G_LOG_DOMAIN "ea-platform"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ea-platform.h"
#include "ea-sim-broker.h"
#include "ea-trade-data.h"

#define TEST_TIMEOUT_S 20

typedef struct
{
  EaPlatform        platform;
  EaPlatformConfig *config;
  EaCredentials    *credentials;
  EaCredential     *credential;
  EaBroker         *broker;
  GCancellable     *cancellable;     /* the caller's and the timeout's */
  gulong            cancelled_id;
  GCancellable     *outer;
  guint             timeout_source;
  gint64            started_us;
  EaConnectionTest *result;
} TestData;

static void
test_data_free (TestData *data)
{
  g_clear_handle_id (&data->timeout_source, g_source_remove);
  if (data->outer != NULL)
    g_cancellable_disconnect (data->outer, data->cancelled_id);
  g_clear_object (&data->outer);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->broker);
  g_clear_pointer (&data->credential, ea_credential_free);
  g_clear_object (&data->credentials);
  g_clear_pointer (&data->config, ea_platform_config_free);
  g_clear_pointer (&data->result, ea_connection_test_free);
  g_free (data);
}

void
ea_connection_test_free (EaConnectionTest *test)
{
  if (test == NULL)
    return;
  g_free (test->environment);
  g_strfreev (test->accounts);
  g_free (test->message);
  g_free (test->troubleshooting);
  g_free (test);
}

static const char *
troubleshooting_for (EaPlatform    platform,
                     const GError *error)
{
  if (error != NULL && error->domain == EA_CREDENTIALS_ERROR)
    {
      if (error->code == EA_CREDENTIALS_ERROR_NOT_FOUND)
        return _("No credentials for this user and environment are in the keyring: "
                 "go back to the Credentials page and store them.");
      return _("The keyring could not be used: make sure a Secret Service (GNOME Keyring, KWallet) "
               "runs and that its default keyring is unlocked.");
    }

  switch (platform)
    {
    case EA_PLATFORM_TRADOVATE:
      return _("Check, in this order: the user name and password (log in to the Tradovate web trader with them); "
               "the API key (cid and secret from Application Settings → API Access, for the same environment); "
               "the REST and WebSocket addresses; your network and firewall (ports 443).");
    case EA_PLATFORM_IBKR:
      return _("Start the Client Portal gateway, log in through its web page (a paper account for Test "
               "mode), check that the certificate fingerprint is the one the gateway shows, then test again.");
    case EA_PLATFORM_NINJATRADER:
      return _("In NinjaTrader 8 enable Tools → Options → Automated trading interface → AT Interface; "
               "check that both folders are NinjaTrader’s own (Documents/NinjaTrader 8/incoming and outgoing, "
               "shared with this computer) and that the account name is the account’s name, not its display name.");
    case EA_PLATFORM_DEMO:
      return _("The embedded exchange failed to start: restart Enigma Apex; if it persists, report a bug.");
    default:
      return NULL;
    }
}

static void
finish (GTask        *task,
        gboolean      ok,
        const GError *error,
        const char   *message)
{
  TestData *data = g_task_get_task_data (task);
  EaConnectionTest *result = data->result;

  result->ok = ok;
  if (ok)
    result->latency_ms = (g_get_monotonic_time () - data->started_us) / 1000;
  if (message != NULL)
    result->message = g_strdup (message);
  else if (ok)
    result->message = g_strdup_printf (g_dngettext (NULL, "Connected in %" G_GINT64_FORMAT " ms, %u account",
                                                    "Connected in %" G_GINT64_FORMAT " ms, %u accounts",
                                                    result->accounts ? g_strv_length (result->accounts) : 0),
                                       result->latency_ms, result->accounts ? g_strv_length (result->accounts) : 0);
  else if (error != NULL)
    result->message = g_strdup (error->message);
  if (!ok && result->troubleshooting == NULL)
    result->troubleshooting = g_strdup (troubleshooting_for (data->platform, error));

  if (data->broker != NULL)
    {
      ea_broker_disconnect_async (data->broker, NULL, NULL, NULL);
      if (data->platform == EA_PLATFORM_DEMO)
        ea_sim_broker_set_realtime (EA_SIM_BROKER (data->broker), FALSE);
    }

  g_task_return_pointer (task, g_steal_pointer (&data->result), (GDestroyNotify) ea_connection_test_free);
  g_object_unref (task);
}

static void
accounts_cb (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  GTask *task = user_data;
  TestData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = ea_broker_list_accounts_finish (EA_BROKER (object), res, &error);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  if (accounts == NULL)
    {
      finish (task, FALSE, error, NULL);
      return;
    }

  for (guint i = 0; i < accounts->len; i++)
    g_strv_builder_add (names, ((EaAccountData *) g_ptr_array_index (accounts, i))->name);
  data->result->accounts = g_strv_builder_end (names);
  finish (task, TRUE, NULL, NULL);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  GTask *task = user_data;
  TestData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!ea_broker_connect_finish (EA_BROKER (object), res, &error))
    {
      if (g_cancellable_is_cancelled (data->cancellable) && data->timeout_source == 0)
        {
          g_autoptr(GError) timeout = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                                   _("No answer within %d seconds"), TEST_TIMEOUT_S);
          finish (task, FALSE, timeout, NULL);
        }
      else
        finish (task, FALSE, error, NULL);
      return;
    }

  ea_broker_list_accounts_async (data->broker, data->cancellable, accounts_cb, task);
}

static void
start_broker (GTask *task)
{
  TestData *data = g_task_get_task_data (task);

  data->started_us = g_get_monotonic_time ();
  ea_broker_connect_async (data->broker, data->cancellable, connect_cb, task);
}

static void
device_id_cb (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  GTask *task = user_data;
  TestData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *device_id = ea_credentials_get_device_id_finish (EA_CREDENTIALS (object), res, &error);

  if (device_id == NULL)
    {
      finish (task, FALSE, error, NULL);
      return;
    }

  data->broker = ea_platform_new_tradovate (data->config, data->credential, device_id);
  start_broker (task);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  GTask *task = user_data;
  TestData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->credential = ea_credentials_lookup_finish (EA_CREDENTIALS (object), res, &error);
  if (data->credential == NULL)
    {
      finish (task, FALSE, error, NULL);
      return;
    }

  ea_credentials_get_device_id_async (data->credentials, data->cancellable, device_id_cb, task);
}

static gboolean
timeout_cb (gpointer user_data)
{
  TestData *data = user_data;

  data->timeout_source = 0;
  g_cancellable_cancel (data->cancellable);
  return G_SOURCE_REMOVE;
}

static void
outer_cancelled_cb (GCancellable *outer,
                    GCancellable *inner)
{
  g_cancellable_cancel (inner);
}

void
ea_connection_test_async (EaPlatform              platform,
                          const EaPlatformConfig *config,
                          EaCredentials          *credentials,
                          GCancellable           *cancellable,
                          GAsyncReadyCallback     callback,
                          gpointer                user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  TestData *data = g_new0 (TestData, 1);
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, ea_connection_test_async);
  g_task_set_check_cancellable (task, FALSE);
  data->platform = platform;
  data->config = ea_platform_config_copy (config);
  data->credentials = credentials != NULL ? g_object_ref (credentials) : ea_credentials_new ();
  data->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      data->outer = g_object_ref (cancellable);
      data->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled_cb),
                                                  data->cancellable, NULL);
    }
  data->result = g_new0 (EaConnectionTest, 1);
  data->result->platform = platform;
  data->result->environment = g_strdup (ea_platform_environment (platform, config));
  data->result->time = g_get_real_time () / G_USEC_PER_SEC;
  data->result->latency_ms = -1;
  g_task_set_task_data (task, data, (GDestroyNotify) test_data_free);
  data->timeout_source = g_timeout_add_seconds (TEST_TIMEOUT_S, timeout_cb, data);

  if (!ea_platform_validate (platform, config, &error))
    {
      finish (task, FALSE, error, NULL);
      return;
    }

  switch (platform)
    {
    case EA_PLATFORM_DEMO:
      data->broker = EA_BROKER (ea_sim_broker_new ((guint64) g_get_real_time (), g_get_real_time ()));
      start_broker (task);
      return;

    case EA_PLATFORM_TRADOVATE:
      ea_credentials_lookup_async (data->credentials, EA_CREDENTIAL_BROKER_TRADOVATE,
                                   data->result->environment, config->tradovate_user,
                                   data->cancellable, lookup_cb, task);
      return;

    case EA_PLATFORM_NINJATRADER:
      data->broker = ea_platform_new_ninjatrader (config, NULL);
      start_broker (task);
      return;

    case EA_PLATFORM_IBKR:
      data->broker = ea_platform_new_ibkr (config);
      start_broker (task);
      return;

    default:
      /* Configured and valid, but nothing here can connect to it. */
      data->result->troubleshooting =
        g_strdup (_("Support for this platform is not part of this version of Enigma Apex. "
                    "Its settings are kept and used once it is; until then use Tradovate, NinjaTrader 8 or the Demo exchange."));
      finish (task, FALSE, NULL, _("Adapter not available in this build"));
      return;
    }
}

EaConnectionTest *
ea_connection_test_finish (GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), NULL);
}

/* The last-connection-test setting ---------------------------------------- */

char *
ea_connection_tests_to_json (const EaConnectionTest * const *tests,
                             guint                          n_tests,
                             const char                    *previous_json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  if (previous_json != NULL && json_parser_load_from_data (parser, previous_json, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    root = json_node_copy (json_parser_get_root (parser));
  else
    {
      root = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (root, json_object_new ());
    }
  object = json_node_get_object (root);

  for (guint i = 0; i < n_tests; i++)
    {
      const EaConnectionTest *t = tests[i];
      const char *id = ea_platform_to_id (t->platform);
      JsonObject *entry = json_object_new ();
      JsonObject *environments = json_object_new ();
      JsonObject *old = NULL;

      if (json_object_has_member (object, id) && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, id)))
        old = json_object_get_object_member (object, id);

      /* The results of the other environments stay: a live test does not
       * erase the demo one the Test gate needs. An entry of the older
       * form (one result, no "environments") counts for its environment. */
      if (old != NULL && json_object_has_member (old, "environments") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (old, "environments")))
        {
          JsonObject *previous = json_object_get_object_member (old, "environments");
          g_autoptr(GList) names = json_object_get_members (previous);

          for (GList *l = names; l != NULL; l = l->next)
            json_object_set_member (environments, l->data,
                                    json_node_copy (json_object_get_member (previous, l->data)));
        }
      else if (old != NULL && json_object_has_member (old, "environment"))
        {
          const char *env = json_object_get_string_member_with_default (old, "environment", "");

          if (env[0] != '\0')
            json_object_set_member (environments, env,
                                    json_node_copy (json_object_get_member (object, id)));
        }

      json_object_set_boolean_member (entry, "ok", t->ok);
      json_object_set_string_member (entry, "environment", t->environment);
      json_object_set_int_member (entry, "time", t->time);
      json_object_set_int_member (entry, "latency-ms", t->latency_ms);
      json_object_set_string_member (entry, "message", t->message ? t->message : "");
      {
        JsonObject *result = json_object_new ();

        json_object_set_boolean_member (result, "ok", t->ok);
        json_object_set_string_member (result, "environment", t->environment);
        json_object_set_int_member (result, "time", t->time);
        json_object_set_int_member (result, "latency-ms", t->latency_ms);
        json_object_set_string_member (result, "message", t->message ? t->message : "");
        json_object_set_object_member (environments, t->environment, result);
      }
      json_object_set_object_member (entry, "environments", environments);
      json_object_set_object_member (object, id, entry);
    }

  return json_to_string (root, FALSE);
}

gboolean
ea_connection_tests_lookup (const char  *json,
                            const char  *platform_id,
                            char       **environment,
                            gboolean    *ok,
                            gint64      *time)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object, *entry;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;

  object = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (object, platform_id) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, platform_id)))
    return FALSE;

  entry = json_object_get_object_member (object, platform_id);
  if (environment != NULL)
    *environment = g_strdup (json_object_get_string_member_with_default (entry, "environment", ""));
  if (ok != NULL)
    *ok = json_object_get_boolean_member_with_default (entry, "ok", FALSE);
  if (time != NULL)
    *time = json_object_get_int_member_with_default (entry, "time", 0);
  return TRUE;
}

gboolean
ea_connection_tests_lookup_environment (const char  *json,
                                        const char  *platform_id,
                                        const char  *environment,
                                        gboolean    *ok,
                                        gint64      *time)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object, *entry, *result = NULL;

  g_return_val_if_fail (environment != NULL, FALSE);

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;

  object = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (object, platform_id) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, platform_id)))
    return FALSE;
  entry = json_object_get_object_member (object, platform_id);

  if (json_object_has_member (entry, "environments") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (entry, "environments")))
    {
      JsonObject *environments = json_object_get_object_member (entry, "environments");

      if (json_object_has_member (environments, environment) &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (environments, environment)))
        result = json_object_get_object_member (environments, environment);
    }
  else if (g_strcmp0 (json_object_get_string_member_with_default (entry, "environment", ""), environment) == 0)
    /* The older form: the one result, if it is of that environment. */
    result = entry;

  if (result == NULL)
    return FALSE;
  if (ok != NULL)
    *ok = json_object_get_boolean_member_with_default (result, "ok", FALSE);
  if (time != NULL)
    *time = json_object_get_int_member_with_default (result, "time", 0);
  return TRUE;
}
