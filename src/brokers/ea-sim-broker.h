/* ea-sim-broker.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaSimBroker: the Demo broker, an EaBroker over the embedded exchange
 * (ea-sim-exchange.h). Time is virtual: tests drive it with
 * ea_sim_broker_advance(); the application turns on a real-time GSource
 * with ea_sim_broker_set_realtime(). Fault hooks simulate a dropped
 * connection and a request whose outcome is unknown.
 */
#pragma once

#include <gio/gio.h>

#include "ea-broker.h"
#include "ea-sim-exchange.h"

G_BEGIN_DECLS

/* Requests the Demo broker counts, for tests of what reached it. */
typedef enum
{
  EA_SIM_REQUEST_MODIFY,
  EA_SIM_REQUEST_CANCEL_ALL,
  EA_SIM_REQUEST_FLATTEN,
  EA_SIM_N_REQUESTS
} EaSimRequest;

#define EA_SIM_BROKER_DEFAULT_ACCOUNT "DEMO-1"
#define EA_SIM_BROKER_DEFAULT_PROFILE "Apex legacy 50K"
#define EA_SIM_BROKER_DEFAULT_SIZE    EA_MICROS (50000)

#define EA_TYPE_SIM_BROKER (ea_sim_broker_get_type ())

G_DECLARE_FINAL_TYPE (EaSimBroker, ea_sim_broker, EA, SIM_BROKER, GObject)

/* A broker with one account, DEMO-1 (50K, "Apex legacy 50K"), whose
 * exchange starts at @start (µs since the epoch, UTC) with @seed. */
EaSimBroker   *ea_sim_broker_new              (guint64       seed,
                                               EaTimeUs      start);
/* The same without any account: the caller adds them
 * (ea_sim_broker_add_account()), as the application does from its
 * demo-accounts setting. */
EaSimBroker   *ea_sim_broker_new_empty        (guint64       seed,
                                               EaTimeUs      start);
/* The exchange, to configure markets (levels, 24/7, scripted quotes). */
EaSimExchange *ea_sim_broker_get_exchange     (EaSimBroker  *self);

/* Virtual clock. */
void           ea_sim_broker_advance          (EaSimBroker  *self,
                                               EaTimeUs      usec);
EaTimeUs       ea_sim_broker_get_time         (EaSimBroker  *self);
/* Drive the exchange from the main loop in real time × speed. */
void           ea_sim_broker_set_realtime     (EaSimBroker  *self,
                                               gboolean      realtime);
gboolean       ea_sim_broker_get_realtime     (EaSimBroker  *self);
/* 1 to 100 (clamped). */
void           ea_sim_broker_set_speed        (EaSimBroker  *self,
                                               double        speed);
double         ea_sim_broker_get_speed        (EaSimBroker  *self);

/* Demo accounts: up to EA_SIM_MAX_ACCOUNTS. Both report the account
 * (account-changed) while connected. A reset cancels the account's
 * orders, clears its positions and restores its starting balance. */
gboolean       ea_sim_broker_add_account      (EaSimBroker  *self,
                                               const char   *name,
                                               EaMicros      size,
                                               const char   *profile,
                                               GError      **error);
gboolean       ea_sim_broker_reset_account    (EaSimBroker  *self,
                                               const char   *name,
                                               GError      **error);

/* Replay a NinjaTrader 8 export (bars or ticks) on @symbol's market. The
 * file is only read. Malformed lines are skipped and, when @warnings is
 * not NULL, returned there as "line N: …" strings. */
gboolean       ea_sim_broker_load_replay      (EaSimBroker  *self,
                                               const char   *symbol,
                                               const char   *path,
                                               GTimeZone    *tz,
                                               GPtrArray   **warnings,
                                               GError      **error);
/* Plays up to the next replay record; FALSE at the end. */
gboolean       ea_sim_broker_replay_step      (EaSimBroker  *self);

/* Fault hooks. */
void           ea_sim_broker_simulate_disconnect (EaSimBroker *self,
                                                  const char  *reason);
/* Reconnects as after a network drop: connecting, reconciling, connected. */
void           ea_sim_broker_simulate_reconnect  (EaSimBroker *self);
/* The next place request reaches the exchange but its answer is lost:
 * it fails with EA_BROKER_ERROR_UNKNOWN_OUTCOME and the order's events
 * are not delivered until the next snapshot. */
void           ea_sim_broker_lose_next_place_reply (EaSimBroker *self);
/* The next place request is lost before it reaches the exchange: it
 * fails with EA_BROKER_ERROR_UNKNOWN_OUTCOME and no order exists. */
void           ea_sim_broker_drop_next_place_request (EaSimBroker *self);
/* The next request (after the connection check) is refused with
 * EA_BROKER_ERROR_RATE_LIMITED, "retry after @retry_after_ms ms". */
void           ea_sim_broker_rate_limit_next_request (EaSimBroker *self,
                                                      guint        retry_after_ms);
/* The next @times cancel-all requests and the next @times flatten
 * requests are acknowledged but leave every order and position as it is,
 * as a broker that answers yes and does nothing. G_MAXUINT: all of them
 * from now on; 0: back to normal. */
void           ea_sim_broker_ignore_exit_requests (EaSimBroker *self,
                                                   guint        times);
/* How many requests of @kind reached the broker, answered or refused. */
guint          ea_sim_broker_get_request_count (EaSimBroker  *self,
                                                EaSimRequest  kind);

G_END_DECLS
