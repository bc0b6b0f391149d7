/* ea-app-brokers.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The brokers the application starts for its mode. Demo: the embedded
 * exchange. Test and Live: every configured platform with an adapter in
 * this build (Tradovate, Interactive Brokers, NinjaTrader 8), from the
 * settings and the keyring (IBKR and NinjaTrader need no secret here) — Test with
 * the platform's demo/paper credentials, Live with its live ones. A mode
 * switch is saved and applied at the next start of the application.
 */
#pragma once

#include <gio/gio.h>

#include "ea-credentials.h"
#include "ea-desk.h"
#include "ea-sim-broker.h"

G_BEGIN_DECLS

/* Adds the brokers of ea_desk_get_mode (@desk) to @desk and connects them.
 * Returns (transfer full) the embedded exchange in Demo mode (NULL
 * otherwise, or when EA_NO_DEMO_EXCHANGE is set). Brokers that need the
 * keyring are added asynchronously; @callback (may be NULL) runs once
 * each was added and its first connection attempt finished. Failures are
 * reported by ea_app_brokers_start_finish() and logged, never fatal. */
EaSimBroker *ea_app_brokers_start        (EaDesk              *desk,
                                          GSettings           *settings,
                                          EaCredentials       *credentials,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* Applies the demo-always-open ("24/7 demo") setting to @demo's exchange,
 * now and whenever it changes, for as long as @demo lives. */
void         ea_app_brokers_apply_demo_settings (EaSimBroker *demo,
                                                 GSettings   *settings);
/* The safety ratio of the settings in percent (presets 50/70/90, or the
 * custom one). ea_app_brokers_start() applies it, with the profile chosen
 * in the quick setup (default-profile), to every account of the desk. */
guint        ea_app_brokers_safety_pct   (GSettings           *settings);
/* The safety ratio of @account: its own (account-safety) when the quick
 * setup gave it one, else ea_app_brokers_safety_pct(). ea_app_brokers_start()
 * applies this one. */
guint        ea_app_brokers_account_safety_pct (GSettings      *settings,
                                                const char     *account);
gboolean     ea_app_brokers_start_finish (GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
