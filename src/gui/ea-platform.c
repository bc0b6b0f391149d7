/* ea-platform.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-platform"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ea-platform.h"
#include "ea-ibkr-broker.h"
#include "ea-ninjatrader-broker.h"
#include "ea-sim-broker.h"
#include "ea-tradovate-broker.h"

#define CONNECTION_TEST_TIMEOUT_S 20

static const char * const platform_ids[EA_N_PLATFORMS] = {
  [EA_PLATFORM_DEMO] = "demo",
  [EA_PLATFORM_TRADOVATE] = "tradovate",
  [EA_PLATFORM_IBKR] = "ibkr",
  [EA_PLATFORM_NINJATRADER] = "ninjatrader",
};

const char *
ea_platform_to_id (EaPlatform platform)
{
  if ((guint) platform < EA_N_PLATFORMS)
    return platform_ids[platform];
  return NULL;
}

gboolean
ea_platform_from_id (const char *id,
                     EaPlatform *out)
{
  for (guint i = 0; i < EA_N_PLATFORMS; i++)
    if (g_strcmp0 (id, platform_ids[i]) == 0)
      {
        *out = (EaPlatform) i;
        return TRUE;
      }
  return FALSE;
}

const char *
ea_platform_get_title (EaPlatform platform)
{
  switch (platform)
    {
    case EA_PLATFORM_DEMO:
      return _("Demo exchange");
    case EA_PLATFORM_TRADOVATE:
      return _("Tradovate");
    case EA_PLATFORM_IBKR:
      return _("Interactive Brokers");
    case EA_PLATFORM_NINJATRADER:
      return _("NinjaTrader 8");
    default:
      return _("Unknown platform");
    }
}

gboolean
ea_platform_has_adapter (EaPlatform platform)
{
  switch (platform)
    {
    case EA_PLATFORM_DEMO:
    case EA_PLATFORM_TRADOVATE:
    case EA_PLATFORM_NINJATRADER:
    case EA_PLATFORM_IBKR:
      return TRUE;
    default:
      return FALSE;
    }
}

const char *
ea_platform_credential_broker (EaPlatform platform)
{
  switch (platform)
    {
    case EA_PLATFORM_TRADOVATE:
      return EA_CREDENTIAL_BROKER_TRADOVATE;
    case EA_PLATFORM_IBKR:
      return EA_CREDENTIAL_BROKER_IBKR;
    case EA_PLATFORM_DEMO:
    case EA_PLATFORM_NINJATRADER:
    default:
      return NULL;
    }
}

const char *
ea_platform_environment (EaPlatform              platform,
                         const EaPlatformConfig *config)
{
  switch (platform)
    {
    case EA_PLATFORM_TRADOVATE:
      return g_strcmp0 (config->tradovate_environment, "live") == 0
             ? EA_CREDENTIAL_ENVIRONMENT_LIVE : EA_CREDENTIAL_ENVIRONMENT_DEMO;
    case EA_PLATFORM_IBKR:
      return EA_CREDENTIAL_ENVIRONMENT_PAPER;
    case EA_PLATFORM_NINJATRADER:
      return g_str_has_prefix (config->nt_account ? config->nt_account : "", "Sim")
             ? EA_CREDENTIAL_ENVIRONMENT_DEMO : EA_CREDENTIAL_ENVIRONMENT_LIVE;
    case EA_PLATFORM_DEMO:
    default:
      return "sim";
    }
}

void
ea_platform_tradovate_urls (const char  *environment,
                            const char **rest,
                            const char **ws,
                            const char **md)
{
  gboolean live = g_strcmp0 (environment, "live") == 0;

  *rest = live ? "https://live.tradovateapi.com/v1" : "https://demo.tradovateapi.com/v1";
  *ws = live ? "wss://live.tradovateapi.com/v1/websocket" : "wss://demo.tradovateapi.com/v1/websocket";
  *md = "wss://md.tradovateapi.com/v1/websocket";
}

EaPlatformConfig *
ea_platform_config_new (void)
{
  EaPlatformConfig *config = g_new0 (EaPlatformConfig, 1);
  const char *rest, *ws, *md;

  ea_platform_tradovate_urls ("demo", &rest, &ws, &md);
  config->tradovate_environment = g_strdup ("demo");
  config->tradovate_user = g_strdup ("");
  config->tradovate_rest_url = g_strdup (rest);
  config->tradovate_ws_url = g_strdup (ws);
  config->tradovate_md_url = g_strdup (md);
  config->ibkr_gateway_url = g_strdup ("https://localhost:5000/v1/api");
  config->ibkr_fingerprint = g_strdup ("");
  config->ibkr_account = g_strdup ("");
  config->nt_incoming_dir = g_strdup ("");
  config->nt_outgoing_dir = g_strdup ("");
  config->nt_account = g_strdup ("Sim101");
  return config;
}

EaPlatformConfig *
ea_platform_config_copy (const EaPlatformConfig *config)
{
  EaPlatformConfig *copy = g_memdup2 (config, sizeof *config);

  copy->tradovate_environment = g_strdup (config->tradovate_environment);
  copy->tradovate_user = g_strdup (config->tradovate_user);
  copy->tradovate_rest_url = g_strdup (config->tradovate_rest_url);
  copy->tradovate_ws_url = g_strdup (config->tradovate_ws_url);
  copy->tradovate_md_url = g_strdup (config->tradovate_md_url);
  copy->ibkr_gateway_url = g_strdup (config->ibkr_gateway_url);
  copy->ibkr_fingerprint = g_strdup (config->ibkr_fingerprint);
  copy->ibkr_account = g_strdup (config->ibkr_account);
  copy->nt_incoming_dir = g_strdup (config->nt_incoming_dir);
  copy->nt_outgoing_dir = g_strdup (config->nt_outgoing_dir);
  copy->nt_account = g_strdup (config->nt_account);
  return copy;
}

void
ea_platform_config_free (EaPlatformConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->tradovate_environment);
  g_free (config->tradovate_user);
  g_free (config->tradovate_rest_url);
  g_free (config->tradovate_ws_url);
  g_free (config->tradovate_md_url);
  g_free (config->ibkr_gateway_url);
  g_free (config->ibkr_fingerprint);
  g_free (config->ibkr_account);
  g_free (config->nt_incoming_dir);
  g_free (config->nt_outgoing_dir);
  g_free (config->nt_account);
  g_free (config);
}

static void
replace (char      **field,
         GSettings  *settings,
         const char *key)
{
  g_free (*field);
  *field = g_settings_get_string (settings, key);
}

void
ea_platform_config_load (EaPlatformConfig *config,
                         GSettings        *settings)
{
  g_auto(GStrv) platforms = g_settings_get_strv (settings, "platforms");

  replace (&config->tradovate_environment, settings, "tradovate-environment");
  replace (&config->tradovate_user, settings, "tradovate-user");
  replace (&config->tradovate_rest_url, settings, "tradovate-rest-url");
  replace (&config->tradovate_ws_url, settings, "tradovate-ws-url");
  replace (&config->tradovate_md_url, settings, "tradovate-md-url");
  replace (&config->ibkr_gateway_url, settings, "ibkr-gateway-url");
  replace (&config->ibkr_fingerprint, settings, "ibkr-pinned-fingerprint");
  replace (&config->ibkr_account, settings, "ibkr-account");
  replace (&config->nt_incoming_dir, settings, "nt-incoming-dir");
  replace (&config->nt_outgoing_dir, settings, "nt-outgoing-dir");
  replace (&config->nt_account, settings, "nt-account");

  for (guint i = 0; i < EA_N_PLATFORMS; i++)
    config->enabled[i] = g_strv_contains ((const char * const *) platforms, platform_ids[i]);
}

GSettings *
ea_settings_batch_new (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autofree char *path = NULL;
  GSettings *batch;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  g_object_get (settings, "settings-schema", &schema, "backend", &backend, "path", &path, NULL);
  batch = g_settings_new_full (schema, backend, path);
  g_settings_delay (batch);
  return batch;
}

/* Sets the platform keys on @settings as they are (no apply). */
static void
platform_config_set (const EaPlatformConfig *config,
                     GSettings              *settings)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) platforms = NULL;

  for (guint i = 0; i < EA_N_PLATFORMS; i++)
    if (config->enabled[i])
      g_strv_builder_add (builder, platform_ids[i]);
  platforms = g_strv_builder_end (builder);

  g_settings_set_string (settings, "tradovate-environment", config->tradovate_environment);
  g_settings_set_string (settings, "tradovate-user", config->tradovate_user);
  g_settings_set_string (settings, "tradovate-rest-url", config->tradovate_rest_url);
  g_settings_set_string (settings, "tradovate-ws-url", config->tradovate_ws_url);
  g_settings_set_string (settings, "tradovate-md-url", config->tradovate_md_url);
  g_settings_set_string (settings, "ibkr-gateway-url", config->ibkr_gateway_url);
  g_settings_set_string (settings, "ibkr-pinned-fingerprint", config->ibkr_fingerprint);
  g_settings_set_string (settings, "ibkr-account", config->ibkr_account);
  g_settings_set_string (settings, "nt-incoming-dir", config->nt_incoming_dir);
  g_settings_set_string (settings, "nt-outgoing-dir", config->nt_outgoing_dir);
  g_settings_set_string (settings, "nt-account", config->nt_account);
  g_settings_set_strv (settings, "platforms", (const char * const *) platforms);
}

void
ea_platform_config_save (const EaPlatformConfig *config,
                         GSettings              *settings)
{
  g_autoptr(GSettings) batch = ea_settings_batch_new (settings);

  platform_config_set (config, batch);
  g_settings_apply (batch);
}

/* Validation ------------------------------------------------------------ */

gboolean
ea_platform_validate_url (const char  *url,
                          gboolean     websocket,
                          GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (url == NULL || url[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Enter an address."));
      return FALSE;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an address (expected %s://host/path)."), url, websocket ? "wss" : "https");
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (websocket ? (g_ascii_strcasecmp (scheme, "wss") != 0 && g_ascii_strcasecmp (scheme, "ws") != 0)
                : (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   websocket ? _("The address must start with wss:// (or ws:// for a local server).")
                             : _("The address must start with https:// (or http:// for a local server)."));
      return FALSE;
    }

  return TRUE;
}

gboolean
ea_platform_validate_folder (const char  *path,
                             GError     **error)
{
  if (path == NULL || path[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Choose a folder."));
      return FALSE;
    }
  if (!g_path_is_absolute (path))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Use a full path, starting with /."));
      return FALSE;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("“%s” is not an existing folder."), path);
      return FALSE;
    }
  return TRUE;
}

gboolean
ea_platform_validate_account_name (const char  *name,
                                   GError     **error)
{
  if (name == NULL || name[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Enter the account name."));
      return FALSE;
    }
  for (const char *p = name; *p != '\0'; p++)
    if (*p == ';' || *p == '\n' || *p == '\r' || *p == '/' || *p == '\\')
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("The account name cannot contain “%c”."), *p == '\n' || *p == '\r' ? ' ' : *p);
        return FALSE;
      }
  return TRUE;
}

gboolean
ea_platform_validate (EaPlatform              platform,
                      const EaPlatformConfig *config,
                      GError                **error)
{
  switch (platform)
    {
    case EA_PLATFORM_DEMO:
      return TRUE;
    case EA_PLATFORM_TRADOVATE:
      if (config->tradovate_user == NULL || config->tradovate_user[0] == '\0')
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Enter your Tradovate user name."));
          return FALSE;
        }
      return ea_platform_validate_url (config->tradovate_rest_url, FALSE, error) &&
             ea_platform_validate_url (config->tradovate_ws_url, TRUE, error) &&
             ea_platform_validate_url (config->tradovate_md_url, TRUE, error);
    case EA_PLATFORM_IBKR:
      return ea_platform_validate_url (config->ibkr_gateway_url, FALSE, error) &&
             ea_platform_validate_fingerprint (config->ibkr_fingerprint, error);
    case EA_PLATFORM_NINJATRADER:
      return ea_platform_validate_folder (config->nt_incoming_dir, error) &&
             ea_platform_validate_folder (config->nt_outgoing_dir, error) &&
             ea_platform_validate_account_name (config->nt_account, error);
    default:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Unknown platform."));
      return FALSE;
    }
}

EaBroker *
ea_platform_new_tradovate (const EaPlatformConfig *config,
                           const EaCredential     *credential,
                           const char             *device_id)
{
  EaTradovateConfig tc = {
    .rest_url = config->tradovate_rest_url,
    .ws_url = config->tradovate_ws_url,
    .md_url = config->tradovate_md_url,
    .user = credential->account,
    .password = ea_credential_get_secret (credential, EA_CREDENTIAL_KIND_PASSWORD),
    .app_id = "EnigmaApex",
    .app_version = PACKAGE_VERSION,
    .cid = ea_credential_get_secret (credential, EA_CREDENTIAL_KIND_CID),
    .sec = ea_credential_get_secret (credential, EA_CREDENTIAL_KIND_SEC),
    .device_id = device_id,
    /* The ticket and the desk name the front month by its root. */
    .front_month_as_root = TRUE,
  };

  return EA_BROKER (ea_tradovate_broker_new (&tc));
}

EaBroker *
ea_platform_new_ninjatrader (const EaPlatformConfig *config,
                             GSettings              *settings)
{
  return EA_BROKER (ea_ninjatrader_broker_new_with_settings (config->nt_incoming_dir, config->nt_outgoing_dir,
                                                             config->nt_account, settings));
}

gboolean
ea_platform_validate_fingerprint (const char  *fingerprint,
                                  GError     **error)
{
  guint digits = 0;

  if (fingerprint == NULL || fingerprint[0] == '\0')
    return TRUE;
  for (const char *p = fingerprint; *p != '\0'; p++)
    {
      if (g_ascii_isxdigit (*p))
        digits++;
      else if (*p != ':')
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("A fingerprint has only hexadecimal digits (and colons)."));
          return FALSE;
        }
    }
  if (digits != 64)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("A SHA-256 fingerprint has 64 hexadecimal digits, not %u."), digits);
      return FALSE;
    }
  return TRUE;
}

EaBroker *
ea_platform_new_ibkr (const EaPlatformConfig *config)
{
  g_autoptr(GString) fp = g_string_new (NULL);

  /* The broker compares lower-case hex without separators. */
  for (const char *p = config->ibkr_fingerprint ? config->ibkr_fingerprint : ""; *p != '\0'; p++)
    if (*p != ':')
      g_string_append_c (fp, g_ascii_tolower (*p));
  return EA_BROKER (ea_ibkr_broker_new (config->ibkr_gateway_url,
                                        fp->len > 0 ? fp->str : NULL,
                                        config->ibkr_account != NULL && config->ibkr_account[0] != '\0'
                                        ? config->ibkr_account : NULL));
}
