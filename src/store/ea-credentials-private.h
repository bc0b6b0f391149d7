/* ea-credentials-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared between the files of EaCredentials; not for other users.
 */
#pragma once

#include "ea-credentials.h"

G_BEGIN_DECLS

#define ATTR_APP         "app"
#define ATTR_BROKER      "broker"
#define ATTR_ENVIRONMENT "environment"
#define ATTR_ACCOUNT     "account"
#define ATTR_KIND        "kind"
#define ATTR_EXPIRES     "expires"

#define KIND_DEVICE_ID   "device-id"

typedef enum
{
  OP_CHECK,
  OP_STORE,
  OP_ROTATE,
  OP_LOOKUP,
  OP_DELETE,
  OP_LIST,
  OP_DEVICE_ID,
} EaCredentialsOpKind;

typedef struct
{
  EaCredentialsOpKind         kind;
  EaCredential  *cred;       /* store/rotate: what to write; lookup: being filled */
  GPtrArray     *old_items;  /* GHashTable: attributes of items found before writing */
  GPtrArray     *new_items;  /* GHashTable: attributes of items written */
  GList         *found;      /* SecretRetrievable: lookup results */
  GList         *cursor;
  guint          index;
  char          *device_id;
} EaCredentialsOp;


/* ea-credentials.c: the queue and the signal. */
void           _ea_credentials_op_queue_next   (GTask              *task);
void           _ea_credentials_emit_changed    (EaCredentials      *self,
                                                const EaCredential *cred,
                                                const char         *action);

/* ea-credentials-ops.c: where each operation starts, and its failure. */
void           _ea_credentials_op_return_error (GTask              *task,
                                                GError             *error);
void           _ea_credentials_check_ready     (GTask              *task,
                                                SecretService      *service);
void           _ea_credentials_write_start     (GTask              *task);
void           _ea_credentials_lookup_start    (GTask              *task);
void           _ea_credentials_delete_start    (GTask              *task);
void           _ea_credentials_list_start      (GTask              *task);
void           _ea_credentials_device_id_start (GTask              *task);

/* ea-credentials-unlock.c */
GError        *_ea_credentials_explained_error (EaCredentialsError  code,
                                                const GError       *cause);
GError        *_ea_credentials_map_error       (GError             *error);

/* Gets the keyring ready for an operation. With the Secret Service:
 * connects, checks the default keyring exists and unlocks it (and the
 * collections holding @locked_items, object paths) through the service's
 * own prompt. Returns the service, or NULL with no error when libsecret
 * uses another backend (the Secret portal in a sandbox). */
void           _ea_credentials_prepare_async   (const char * const  *locked_items,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
SecretService *_ea_credentials_prepare_finish  (GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
