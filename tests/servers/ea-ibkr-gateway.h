/* ea-ibkr-gateway.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A local Interactive Brokers Client Portal gateway: HTTPS on 127.0.0.1
 * with a self-signed certificate made at start-up, the REST endpoints and
 * the websocket of PROTOCOLS.md §2 with their quirks (pre-flight empties,
 * question/reply chains, string market data, delta sor updates, competing
 * sessions, the 429 penalty box, session expiry), over the embedded
 * exchange for consistent accounts, orders, positions and fills, and
 * faults on request.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ea-core-types.h"
#include "ea-trade-data.h"

G_BEGIN_DECLS

typedef enum
{
  EA_IBKR_FAULT_SERVER_ERROR,     /* next N REST requests: HTTP 500 */
  EA_IBKR_FAULT_MALFORMED_BODY,   /* next N REST replies: garbage body, HTTP 200 */
  EA_IBKR_FAULT_LOSE_PLACE_REPLY, /* next N placements execute, then the connection drops */
  EA_IBKR_FAULT_MALFORMED_FRAME,  /* N garbage websocket frames to every client, now */
  EA_IBKR_FAULT_RATE_LIMIT,       /* next N REST requests: HTTP 429 (no penalty box) */
} EaIbkrFault;

#define EA_TYPE_IBKR_GATEWAY (ea_ibkr_gateway_get_type ())

G_DECLARE_FINAL_TYPE (EaIbkrGateway, ea_ibkr_gateway, EA, IBKR_GATEWAY, GObject)

/* Listens on 127.0.0.1, a free port (@port 0) or @port. */
EaIbkrGateway *ea_ibkr_gateway_new             (guint           port,
                                                GError        **error);
/* "https://127.0.0.1:<port>/v1/api" */
const char    *ea_ibkr_gateway_get_url         (EaIbkrGateway  *self);
/* SHA-256 of the certificate's DER, lower-case hex. */
const char    *ea_ibkr_gateway_get_fingerprint (EaIbkrGateway  *self);

gboolean       ea_ibkr_gateway_add_account     (EaIbkrGateway  *self,
                                                const char     *name,
                                                EaMicros        size);
/* The conid of @root's front month (the one that trades here), or 0. */
gint64         ea_ibkr_gateway_get_conid       (EaIbkrGateway  *self,
                                                const char     *root);

/* The market (roots such as "ES"); it only moves through these. */
gboolean       ea_ibkr_gateway_set_quote       (EaIbkrGateway  *self,
                                                const char     *root,
                                                EaTicks         bid,
                                                EaTicks         ask,
                                                gint64          bid_size,
                                                gint64          ask_size);
gboolean       ea_ibkr_gateway_trade           (EaIbkrGateway  *self,
                                                const char     *root,
                                                EaTicks         price,
                                                gint64          size);
void           ea_ibkr_gateway_advance         (EaIbkrGateway  *self,
                                                EaTimeUs        usec);

/* Session. */
/* Every placement asks these questions (message ids such as "o163"), in
 * order, except those suppressed in the session. */
void           ea_ibkr_gateway_set_questions   (EaIbkrGateway  *self,
                                                const char *const *message_ids);
void           ea_ibkr_gateway_set_competing   (EaIbkrGateway  *self,
                                                gboolean        competing);
/* The daily session ended: unauthenticated until the user logs in again
 * in the browser (ea_ibkr_gateway_browser_login()). */
void           ea_ibkr_gateway_expire_session  (EaIbkrGateway  *self);
void           ea_ibkr_gateway_browser_login   (EaIbkrGateway  *self);
/* Pacing: at most @global requests per @window_ms, the slow endpoints one
 * per @slow_window_ms; over it, HTTP 429 and every request refused for
 * @penalty_ms. @global 0 turns pacing off (the default). */
void           ea_ibkr_gateway_set_pacing      (EaIbkrGateway  *self,
                                                guint           global,
                                                guint           window_ms,
                                                guint           slow_window_ms,
                                                guint           penalty_ms);
/* Ends every smd subscription, as their 10-minute lifetime does. */
void           ea_ibkr_gateway_expire_smd      (EaIbkrGateway  *self);
/* Down: every connection dropped, new ones refused with 503. */
void           ea_ibkr_gateway_set_down        (EaIbkrGateway  *self,
                                                gboolean        down);
void           ea_ibkr_gateway_inject          (EaIbkrGateway  *self,
                                                EaIbkrFault     fault,
                                                guint           count);
/* Every REST reply is held back @ms before it leaves (0: none). */
void           ea_ibkr_gateway_set_reply_delay (EaIbkrGateway  *self,
                                                guint           ms);
/* Positions per page of portfolio/{acct}/positions/{page} (default 100,
 * as the real gateway). */
void           ea_ibkr_gateway_set_page_size   (EaIbkrGateway  *self,
                                                guint           size);

/* What the gateway saw, for assertions. */
guint          ea_ibkr_gateway_count_requests  (EaIbkrGateway  *self,
                                                const char     *path_prefix);
/* Every REST request as "METHOD path" (below /v1/api/, without the
 * query), in the order they arrived, refused ones included. */
GStrv          ea_ibkr_gateway_dup_request_log (EaIbkrGateway  *self);
guint          ea_ibkr_gateway_count_429       (EaIbkrGateway  *self);
guint          ea_ibkr_gateway_count_questions (EaIbkrGateway  *self);
guint          ea_ibkr_gateway_count_smd_subscriptions (EaIbkrGateway *self,
                                                        gint64         conid);
guint          ea_ibkr_gateway_count_ws_clients (EaIbkrGateway *self);
gboolean       ea_ibkr_gateway_is_suppressed   (EaIbkrGateway  *self,
                                                const char     *message_id);
guint          ea_ibkr_gateway_count_working   (EaIbkrGateway  *self,
                                                const char     *account);
gint64         ea_ibkr_gateway_get_position    (EaIbkrGateway  *self,
                                                const char     *account,
                                                const char     *root);
/* The account as the exchange keeps it (balance, P&L), or NULL. */
EaAccountData *ea_ibkr_gateway_get_account     (EaIbkrGateway  *self,
                                                const char     *account);
/* The body of the last placement, modification or cancel, or NULL. */
JsonNode      *ea_ibkr_gateway_get_last_order_body (EaIbkrGateway *self);

G_END_DECLS
