/* ea-platform.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The trading platforms the quick setup configures, their settings (never a
 * secret: those stay in the keyring), the validation of each field, and a
 * real connection test per platform. A platform whose adapter is not part
 * of this build can be configured and validated, but its connection test
 * says so and never passes.
 */
#pragma once

#include <gio/gio.h>

#include "ea-broker.h"
#include "ea-credentials.h"

G_BEGIN_DECLS

typedef enum
{
  EA_PLATFORM_DEMO,
  EA_PLATFORM_TRADOVATE,
  EA_PLATFORM_IBKR,
  EA_PLATFORM_NINJATRADER,
} EaPlatform;

#define EA_N_PLATFORMS 4

/* Non-secret configuration of every platform, as in GSettings. */
typedef struct
{
  char     *tradovate_environment;   /* "demo" or "live" */
  char     *tradovate_user;
  char     *tradovate_rest_url;
  char     *tradovate_ws_url;
  char     *tradovate_md_url;
  char     *ibkr_gateway_url;
  char     *ibkr_fingerprint;         /* pinned SHA-256 of the gateway's certificate */
  char     *ibkr_account;             /* "" : the gateway's selected account */
  char     *nt_incoming_dir;
  char     *nt_outgoing_dir;
  char     *nt_account;
  gboolean  enabled[EA_N_PLATFORMS];
} EaPlatformConfig;

/* One connection test: never holds a secret. */
typedef struct
{
  EaPlatform  platform;
  gboolean    ok;
  char       *environment;       /* "demo", "live", "paper", "sim" */
  gint64      time;              /* unix seconds */
  gint64      latency_ms;        /* connect + account list; -1 when failed early */
  GStrv       accounts;          /* account names, NULL when failed */
  char       *message;           /* one line: "Connected in 120 ms" or the error */
  char       *troubleshooting;   /* what to check, NULL when ok */
} EaConnectionTest;

const char       *ea_platform_to_id           (EaPlatform   platform);
gboolean          ea_platform_from_id         (const char  *id,
                                               EaPlatform  *out);
const char       *ea_platform_get_title       (EaPlatform   platform);
/* Whether this build has an adapter (all four now). */
gboolean          ea_platform_has_adapter     (EaPlatform   platform);
/* The keyring broker name and the environment a connection of @platform
 * uses under @config; NULL broker for Demo and NinjaTrader (no secret). */
const char       *ea_platform_credential_broker (EaPlatform platform);
const char       *ea_platform_environment     (EaPlatform               platform,
                                               const EaPlatformConfig  *config);

EaPlatformConfig *ea_platform_config_new      (void);
EaPlatformConfig *ea_platform_config_copy     (const EaPlatformConfig *config);
void              ea_platform_config_free     (EaPlatformConfig *config);
void              ea_platform_config_load     (EaPlatformConfig *config,
                                               GSettings        *settings);
/* Writes every platform key in one change set: @settings itself is left
 * as it was (not in delayed-write mode). */
void              ea_platform_config_save     (const EaPlatformConfig *config,
                                               GSettings              *settings);
/* A new settings object on @settings' schema, path and backend, in
 * delayed-write mode: what is set on it is written by g_settings_apply()
 * as one change set, while @settings keeps writing at once. */
GSettings        *ea_settings_batch_new       (GSettings              *settings);
/* The default REST/WS/MD URLs of a Tradovate environment. */
void              ea_platform_tradovate_urls  (const char  *environment,
                                               const char **rest,
                                               const char **ws,
                                               const char **md);

/* Field validation: TRUE, or FALSE with a message for the field. */
gboolean          ea_platform_validate_url    (const char  *url,
                                               gboolean     websocket,
                                               GError     **error);
gboolean          ea_platform_validate_folder (const char  *path,
                                               GError     **error);
gboolean          ea_platform_validate_account_name (const char *name,
                                                     GError    **error);
/* Every field of @platform. */
gboolean          ea_platform_validate        (EaPlatform               platform,
                                               const EaPlatformConfig  *config,
                                               GError                 **error);

/* A Tradovate broker from the settings and a credential of the keyring. */
EaBroker         *ea_platform_new_tradovate   (const EaPlatformConfig *config,
                                               const EaCredential     *credential,
                                               const char             *device_id);

/* An Interactive Brokers broker over the Client Portal gateway of @config. */
EaBroker         *ea_platform_new_ibkr        (const EaPlatformConfig *config);
/* A SHA-256 fingerprint: 64 hex digits (colons allowed), or empty. */
gboolean          ea_platform_validate_fingerprint (const char *fingerprint,
                                                    GError    **error);

/* A NinjaTrader broker over the ATI folders of @config (its nt_account
 * may list several accounts, separated by commas); its other settings
 * (instrument naming, ATM template, …) from @settings, or the defaults
 * when NULL. */
EaBroker         *ea_platform_new_ninjatrader (const EaPlatformConfig *config,
                                               GSettings              *settings);

/* Connects for real to @platform's configured endpoint (the credentials
 * come from @credentials' keyring), lists the accounts and disconnects.
 * Completes with an EaConnectionTest, never with an error. */
void              ea_connection_test_async    (EaPlatform               platform,
                                               const EaPlatformConfig  *config,
                                               EaCredentials           *credentials,
                                               GCancellable            *cancellable,
                                               GAsyncReadyCallback      callback,
                                               gpointer                 user_data);
EaConnectionTest *ea_connection_test_finish   (GAsyncResult            *result);
void              ea_connection_test_free     (EaConnectionTest        *test);

/* The "last-connection-test" setting: a JSON object with, per platform,
 * its last test and under "environments" the last test of each
 * environment it was tested against (a live test keeps the demo one). */
char             *ea_connection_tests_to_json (const EaConnectionTest * const *tests,
                                               guint                          n_tests,
                                               const char                    *previous_json);
/* The last test of @platform_id from that JSON; FALSE when none. */
gboolean          ea_connection_tests_lookup  (const char  *json,
                                               const char  *platform_id,
                                               char       **environment,
                                               gboolean    *ok,
                                               gint64      *time);
/* The last test of @platform_id against @environment; FALSE when none. */
gboolean          ea_connection_tests_lookup_environment (const char  *json,
                                                          const char  *platform_id,
                                                          const char  *environment,
                                                          gboolean    *ok,
                                                          gint64      *time);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaPlatformConfig, ea_platform_config_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaConnectionTest, ea_connection_test_free)

G_END_DECLS
