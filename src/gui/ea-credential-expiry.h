/* ea-credential-expiry.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Warnings before a stored credential expires. At start-up and once a day
 * the application lists the keyring (metadata only, never a secret) and
 * adds an alert to the desk's store for each credential that expires
 * within EA_CREDENTIAL_EXPIRY_WARN_DAYS days or has expired; the notifier
 * turns the alert into a desktop notification and the alerts list keeps
 * it in view.
 */
#pragma once

#include <gio/gio.h>

#include "ea-alert.h"
#include "ea-credentials.h"
#include "ea-trading-store.h"

G_BEGIN_DECLS

#define EA_CREDENTIAL_EXPIRY_WARN_DAYS 7
#define EA_CREDENTIAL_EXPIRY_ALERT_KIND "system_status"

/* The note for @info at @now: "expires in 3 days, on 2026-12-08" or
 * "expired on 2026-12-01"; NULL when it does not expire within @days. */
char      *ea_credential_expiry_describe     (const EaCredentialInfo *info,
                                              guint                   days,
                                              GDateTime              *now);
/* One alert per credential of @infos (EaCredentialInfo) that expires
 * within @days of @now or has expired, soonest first. */
GPtrArray *ea_credential_expiry_alerts       (GPtrArray              *infos,
                                              guint                   days,
                                              GDateTime              *now);

/* Lists @credentials and adds the alerts of ea_credential_expiry_alerts()
 * at the current time to @store. */
void       ea_credential_expiry_check_async  (EaCredentials          *credentials,
                                              EaTradingStore         *store,
                                              guint                   days,
                                              GCancellable           *cancellable,
                                              GAsyncReadyCallback     callback,
                                              gpointer                user_data);
/* Returns: how many alerts were added, or -1 with @error set. */
gssize     ea_credential_expiry_check_finish (GAsyncResult           *result,
                                              GError                **error);

G_END_DECLS
