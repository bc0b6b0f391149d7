/* ea-credentials.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Broker credentials in the desktop keyring (libsecret). Secrets live only
 * in the keyring and, while in use, in non-pageable memory that is wiped
 * when freed. Nothing here ever logs, audits or returns a secret in an
 * error or a listing.
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

/* libsecret schema name of every item this application stores. */
#define EA_CREDENTIALS_SCHEMA_NAME "io.github.enigmaapex.EnigmaApex.Credential"

#define EA_CREDENTIAL_BROKER_TRADOVATE   "tradovate"
#define EA_CREDENTIAL_BROKER_IBKR        "ibkr"
#define EA_CREDENTIAL_BROKER_NINJATRADER "ninjatrader"

#define EA_CREDENTIAL_ENVIRONMENT_DEMO  "demo"
#define EA_CREDENTIAL_ENVIRONMENT_LIVE  "live"
#define EA_CREDENTIAL_ENVIRONMENT_PAPER "paper"

#define EA_CREDENTIALS_ERROR (ea_credentials_error_quark ())

typedef enum
{
  EA_CREDENTIALS_ERROR_NO_SERVICE,  /* no Secret Service (or portal) reachable */
  EA_CREDENTIALS_ERROR_NO_KEYRING,  /* service runs but has no default keyring */
  EA_CREDENTIALS_ERROR_LOCKED,      /* the keyring stayed locked */
  EA_CREDENTIALS_ERROR_NOT_FOUND,   /* no such credential */
  EA_CREDENTIALS_ERROR_INVALID,     /* bad broker, environment, account or secret */
  EA_CREDENTIALS_ERROR_FAILED,      /* any other keyring failure */
} EaCredentialsError;

/* The secrets one credential can hold; each is one keyring item. */
typedef enum
{
  EA_CREDENTIAL_KIND_PASSWORD,
  EA_CREDENTIAL_KIND_CID,        /* API key id */
  EA_CREDENTIAL_KIND_SEC,        /* API secret */
  EA_CREDENTIAL_KIND_TOKEN,      /* any other token a broker needs */
} EaCredentialKind;

#define EA_CREDENTIAL_N_KINDS 4
#define EA_CREDENTIAL_KIND_FLAG(kind) (1u << (kind))

/* A credential with its secrets. The secret fields (password, cid, sec,
 * token) point to non-pageable memory: set them only through
 * ea_credential_set_secret(); ea_credential_free() wipes them. */
typedef struct
{
  char      *broker;       /* EA_CREDENTIAL_BROKER_* */
  char      *environment;  /* EA_CREDENTIAL_ENVIRONMENT_* */
  char      *account;      /* the user name at the broker */
  char      *password;
  char      *cid;
  char      *sec;
  char      *token;
  GDateTime *expires;      /* optional, UTC; NULL when it does not expire */
} EaCredential;

/* What a listing shows: never a secret. */
typedef struct
{
  char      *broker;
  char      *environment;
  char      *account;
  guint      kinds;        /* EA_CREDENTIAL_KIND_FLAG() of each stored secret */
  GDateTime *expires;
} EaCredentialInfo;

#define EA_TYPE_CREDENTIAL      (ea_credential_get_type ())
#define EA_TYPE_CREDENTIAL_INFO (ea_credential_info_get_type ())

GType             ea_credential_get_type        (void) G_GNUC_CONST;
EaCredential     *ea_credential_new             (const char         *broker,
                                                 const char         *environment,
                                                 const char         *account);
EaCredential     *ea_credential_copy            (const EaCredential *cred);
void              ea_credential_free            (EaCredential       *cred);
void              ea_credential_set_secret      (EaCredential       *cred,
                                                 EaCredentialKind    kind,
                                                 const char         *value);
const char       *ea_credential_get_secret      (const EaCredential *cred,
                                                 EaCredentialKind    kind);
void              ea_credential_set_expires     (EaCredential       *cred,
                                                 GDateTime          *expires);
gboolean          ea_credential_validate        (const EaCredential *cred,
                                                 GError            **error);
gboolean          ea_credential_validate_identity (const char       *broker,
                                                   const char       *environment,
                                                   const char       *account,
                                                   GError          **error);
gboolean          ea_credential_expires_within  (const EaCredential *cred,
                                                 guint               days,
                                                 GDateTime          *now);
gboolean          ea_credential_is_expired      (const EaCredential *cred,
                                                 GDateTime          *now);

GType             ea_credential_info_get_type   (void) G_GNUC_CONST;
EaCredentialInfo *ea_credential_info_copy       (const EaCredentialInfo *info);
void              ea_credential_info_free       (EaCredentialInfo       *info);
gboolean          ea_credential_info_has_kind   (const EaCredentialInfo *info,
                                                 EaCredentialKind        kind);
gboolean          ea_credential_info_expires_within (const EaCredentialInfo *info,
                                                     guint                   days,
                                                     GDateTime              *now);
char             *ea_credential_info_describe   (const EaCredentialInfo *info);

const char       *ea_credential_kind_to_string  (EaCredentialKind    kind);
gboolean          ea_credential_kind_from_string (const char        *str,
                                                  EaCredentialKind  *out);
gboolean          ea_credential_broker_is_valid (const char         *broker);
gboolean          ea_credential_environment_is_valid (const char    *environment);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaCredential, ea_credential_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaCredentialInfo, ea_credential_info_free)

#define EA_TYPE_CREDENTIALS (ea_credentials_get_type ())

G_DECLARE_FINAL_TYPE (EaCredentials, ea_credentials, EA, CREDENTIALS, GObject)

GQuark            ea_credentials_error_quark    (void);
const SecretSchema *ea_credentials_get_schema   (void);
EaCredentials    *ea_credentials_new            (void);
EaCredentials    *ea_credentials_new_for_app    (const char         *app_id);
const char       *ea_credentials_get_app_id     (EaCredentials      *self);

void              ea_credentials_check_service_async  (EaCredentials       *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean          ea_credentials_check_service_finish (EaCredentials       *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

void              ea_credentials_store_async    (EaCredentials       *self,
                                                 const EaCredential  *cred,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean          ea_credentials_store_finish   (EaCredentials       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

void              ea_credentials_rotate_async   (EaCredentials       *self,
                                                 const EaCredential  *cred,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
char             *ea_credentials_rotate_finish  (EaCredentials       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

void              ea_credentials_lookup_async   (EaCredentials       *self,
                                                 const char          *broker,
                                                 const char          *environment,
                                                 const char          *account,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
EaCredential     *ea_credentials_lookup_finish  (EaCredentials       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

void              ea_credentials_delete_async   (EaCredentials       *self,
                                                 const char          *broker,
                                                 const char          *environment,
                                                 const char          *account,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean          ea_credentials_delete_finish  (EaCredentials       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

void              ea_credentials_list_async     (EaCredentials       *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray        *ea_credentials_list_finish    (EaCredentials       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

void              ea_credentials_get_device_id_async  (EaCredentials       *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
char             *ea_credentials_get_device_id_finish (EaCredentials       *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

G_END_DECLS
