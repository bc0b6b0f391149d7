/* ea-tradovate-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A local Tradovate: REST under /v1/, the trading WebSocket at
 * /v1/websocket and the market-data WebSocket at /md/v1/websocket, on
 * 127.0.0.1, speaking the protocol of PROTOCOLS.md §1 with consistent
 * accounts, orders, positions and fills, and faults on request.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ea-core-types.h"

G_BEGIN_DECLS

typedef enum
{
  EA_TV_FAULT_PENALTY,          /* next N auth requests: p-ticket, p-time = param s */
  EA_TV_FAULT_PENALTY_CAPTCHA,  /* next N auth requests: p-ticket with p-captcha */
  EA_TV_FAULT_RATE_LIMIT,       /* next N REST requests: HTTP 429, empty body */
  EA_TV_FAULT_SERVER_ERROR,     /* next N REST requests: HTTP 500 */
  EA_TV_FAULT_MALFORMED_FRAME,  /* N garbage frames to every socket, now */
  EA_TV_FAULT_SILENT_HEARTBEAT, /* stop (N > 0) or resume (N = 0) server heartbeats */
  EA_TV_FAULT_SLOW_RESPONSE,    /* next N requests answered after param ms */
  EA_TV_FAULT_DROP_AFTER_ORDER, /* next N placements execute, then every socket drops before the reply */
  EA_TV_FAULT_CHART_MALFORMED,  /* next N md/getChart: an unreadable bar in the second chart message */
  EA_TV_FAULT_CHART_NO_EOH,     /* next N md/getChart: bars, but never the end of history */
  EA_TV_FAULT_CHART_BEFORE_REPLY, /* next N md/getChart (of more than one message): the first bars before the reply */
  EA_TV_FAULT_WS_PENALTY,       /* next N WebSocket requests (not authorize): 200 with p-ticket, p-time = param s, not run */
  EA_TV_FAULT_WS_PENALTY_CAPTCHA, /* next N WebSocket requests (not authorize): 200 with p-ticket and p-captcha, not run */
  EA_TV_FAULT_WS_RATE_LIMIT,    /* next N WebSocket requests (not authorize): s 429, no body, not run */
  EA_TV_FAULT_WS_SLOW_REPLY,    /* next N requests on the trading socket (not authorize): run, and
                                 * answered after param ms (0: never answered) */
  EA_TV_FAULT_CHART_LIVE_MALFORMED, /* next N live bar updates: an unreadable bar (no high, close "n/a") */
} EaTvFault;

#define EA_TV_N_FAULTS (EA_TV_FAULT_CHART_LIVE_MALFORMED + 1)

#define EA_TYPE_TRADOVATE_SERVER (ea_tradovate_server_get_type ())

G_DECLARE_FINAL_TYPE (EaTradovateServer, ea_tradovate_server, EA, TRADOVATE_SERVER, GObject)

EaTradovateServer *ea_tradovate_server_new            (GError           **error);
const char        *ea_tradovate_server_get_rest_url   (EaTradovateServer *self);
const char        *ea_tradovate_server_get_ws_url     (EaTradovateServer *self);
const char        *ea_tradovate_server_get_md_url     (EaTradovateServer *self);
guint              ea_tradovate_server_get_port       (EaTradovateServer *self);

gint64             ea_tradovate_server_add_user       (EaTradovateServer *self,
                                                       const char        *name,
                                                       const char        *password);
gint64             ea_tradovate_server_add_account    (EaTradovateServer *self,
                                                       gint64             user_id,
                                                       const char        *name,
                                                       EaMicros           balance);
gint64             ea_tradovate_server_add_contract   (EaTradovateServer *self,
                                                       const char        *name,
                                                       const char        *root);
gboolean           ea_tradovate_server_set_book       (EaTradovateServer *self,
                                                       const char        *name,
                                                       EaTicks            bid,
                                                       EaTicks            ask,
                                                       gint64             bid_size,
                                                       gint64             ask_size);
gboolean           ea_tradovate_server_trade          (EaTradovateServer *self,
                                                       const char        *name,
                                                       EaTicks            price,
                                                       gint64             size);
void               ea_tradovate_server_set_accepting  (EaTradovateServer *self,
                                                       gboolean           accepting);
gboolean           ea_tradovate_server_set_quote      (EaTradovateServer *self,
                                                       const char        *name,
                                                       EaTicks            bid,
                                                       EaTicks            ask,
                                                       EaTicks            last,
                                                       gint64             size);

void               ea_tradovate_server_inject         (EaTradovateServer *self,
                                                       EaTvFault          fault,
                                                       guint              count,
                                                       guint              param);
void               ea_tradovate_server_set_token_lifetime (EaTradovateServer *self,
                                                           guint              seconds);
void               ea_tradovate_server_expire_tokens  (EaTradovateServer *self);
void               ea_tradovate_server_drop_connections (EaTradovateServer *self);
void               ea_tradovate_server_send_shutdown  (EaTradovateServer *self,
                                                       const char        *reason_code);
gboolean           ea_tradovate_server_set_admin_action (EaTradovateServer *self,
                                                         gint64             account_id,
                                                         const char        *admin_action);
void               ea_tradovate_server_set_heartbeat_timeout (EaTradovateServer *self,
                                                              guint              ms);

/* What the server saw, for assertions. */
guint              ea_tradovate_server_get_auth_requests  (EaTradovateServer *self);
guint              ea_tradovate_server_get_renewals       (EaTradovateServer *self);
guint              ea_tradovate_server_get_open_sessions  (EaTradovateServer *self);
guint              ea_tradovate_server_get_connections    (EaTradovateServer *self);
guint              ea_tradovate_server_count_orders       (EaTradovateServer *self,
                                                           gint64             account_id,
                                                           const char        *status);
gint64             ea_tradovate_server_get_net_position   (EaTradovateServer *self,
                                                           gint64             account_id,
                                                           gint64             contract_id);
guint              ea_tradovate_server_count_fills        (EaTradovateServer *self,
                                                           gint64             account_id);
JsonNode          *ea_tradovate_server_get_last_order_request (EaTradovateServer *self);
JsonNode          *ea_tradovate_server_get_last_modify_request (EaTradovateServer *self);
/* WebSocket replies EA_TV_FAULT_WS_SLOW_REPLY sent late, and those it
 * never sent. */
guint              ea_tradovate_server_get_late_replies     (EaTradovateServer *self);
guint              ea_tradovate_server_get_withheld_replies (EaTradovateServer *self);
/* The body of the last md/getChart, and the charts not cancelled yet. */
JsonNode          *ea_tradovate_server_get_last_chart_request (EaTradovateServer *self);
guint              ea_tradovate_server_get_open_charts    (EaTradovateServer *self);
/* The historicalId of the last chart started, 0 if none. */
gint64             ea_tradovate_server_get_last_chart_id  (EaTradovateServer *self);
/* WebSocket requests: counted per endpoint (NULL: all) and over time;
 * with a limit of @count per @window_ms (0: none), those over it get a
 * penalty ticket and are not run. */
void               ea_tradovate_server_set_request_limit  (EaTradovateServer *self,
                                                           guint              count,
                                                           guint              window_ms);
guint              ea_tradovate_server_get_penalties_issued (EaTradovateServer *self);
guint              ea_tradovate_server_count_requests     (EaTradovateServer *self,
                                                           const char        *endpoint);
guint              ea_tradovate_server_get_max_requests_in (EaTradovateServer *self,
                                                            guint              window_ms);
void               ea_tradovate_server_reset_request_counts (EaTradovateServer *self);
/* Bars of the server's deterministic tick history (one trade every 10 s)
 * over [start, start + period): what md/getChart sends for that bar. */
gboolean           ea_tradovate_server_history_bar        (EaTradovateServer *self,
                                                           const char        *symbol,
                                                           gint64             start,
                                                           gint64             period,
                                                           EaTicks           *open,
                                                           EaTicks           *high,
                                                           EaTicks           *low,
                                                           EaTicks           *close,
                                                           gint64            *volume);

/* Sends @text as it is, as one frame, on every socket. */
void               ea_tradovate_server_broadcast_raw  (EaTradovateServer *self,
                                                       const char        *text);
/* The tick size the product of @symbol reports (a wrong one, for tests). */
void               ea_tradovate_server_set_product_tick_size (EaTradovateServer *self,
                                                              const char        *symbol,
                                                              double             tick_size);

G_END_DECLS
