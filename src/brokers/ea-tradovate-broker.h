/* ea-tradovate-broker.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaBroker over Tradovate's API (PROTOCOLS.md §1): REST for the access
 * token and its renewal, the trading WebSocket for every request (so a
 * request's reply arrives after the events it caused), the market-data
 * WebSocket for quotes. Reconnects with backoff and reconciles.
 */
#pragma once

#include "ea-broker.h"

G_BEGIN_DECLS

#define EA_TYPE_TRADOVATE_BROKER (ea_tradovate_broker_get_type ())

G_DECLARE_FINAL_TYPE (EaTradovateBroker, ea_tradovate_broker, EA, TRADOVATE_BROKER, GObject)

typedef struct
{
  const char *rest_url;   /* https://demo.tradovateapi.com/v1 */
  const char *ws_url;     /* wss://demo.tradovateapi.com/v1/websocket */
  const char *md_url;     /* wss://md.tradovateapi.com/v1/websocket */
  const char *user;
  const char *password;
  const char *app_id;
  const char *app_version;
  const char *cid;
  const char *sec;
  const char *device_id;
  /* The desk's convention: a root ("ES") stands for its front month, and
   * the front month is reported under its root; FALSE: Tradovate's
   * contract names ("ESZ6") only. */
  gboolean    front_month_as_root;
} EaTradovateConfig;

EaTradovateBroker *ea_tradovate_broker_new             (const EaTradovateConfig *config);

/* Skips the backoff wait of a pending reconnection. */
void               ea_tradovate_broker_reconnect_now   (EaTradovateBroker *self);

/* Completes once every message the server sent before this call on both
 * sockets has been handled. */
void               ea_tradovate_broker_sync_async      (EaTradovateBroker   *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean           ea_tradovate_broker_sync_finish     (EaTradovateBroker   *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* The broker-side state of an account (accountRiskStatus.adminAction),
 * NULL when normal. */
const char        *ea_tradovate_broker_get_admin_action (EaTradovateBroker *self,
                                                         const char        *account);
GDateTime         *ea_tradovate_broker_get_token_expiration (EaTradovateBroker *self);
guint              ea_tradovate_broker_get_logins      (EaTradovateBroker *self);
/* The delay of the pending reconnection in ms, -1 when none is pending. */
gint64             ea_tradovate_broker_get_reconnect_delay_ms (EaTradovateBroker *self);
gint64             ea_tradovate_broker_get_latency_us  (EaTradovateBroker *self);

/* The request budget shared by REST and both sockets: a burst of
 * @capacity, then @per_second (default 15 and 1/s, well below
 * Tradovate's documented limits). Requests over it wait their turn,
 * order actions and account snapshots first; none is dropped. */
void               ea_tradovate_broker_set_request_budget (EaTradovateBroker *self,
                                                           guint              capacity,
                                                           double             per_second);

G_END_DECLS
