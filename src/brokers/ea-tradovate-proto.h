/* ea-tradovate-proto.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tradovate's wire format (PROTOCOLS.md §1): SockJS-style WebSocket frames
 * (`o`, `h`, `a[...]`, `c[...]`), four-line requests
 * (`endpoint\nid\nquery\nbody`), responses `{i,s,d}`, events `{e,d}`,
 * penalty tickets, token replies and market-data quotes. Pure functions
 * shared by the adapter and the local test server.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ea-core-types.h"

G_BEGIN_DECLS

#define EA_TV_ERROR (ea_tv_error_quark ())

typedef enum
{
  EA_TV_ERROR_MALFORMED,
  EA_TV_ERROR_PENALTY,
  EA_TV_ERROR_CAPTCHA,
  EA_TV_ERROR_RATE_LIMITED,
  EA_TV_ERROR_AUTH,
} EaTvError;

typedef enum
{
  EA_TV_FRAME_OPEN,       /* "o" */
  EA_TV_FRAME_HEARTBEAT,  /* "h" */
  EA_TV_FRAME_ARRAY,      /* "a[...]" */
  EA_TV_FRAME_CLOSE,      /* "c[code,\"reason\"]" or "c" */
} EaTvFrameType;

typedef struct
{
  EaTvFrameType  type;
  JsonArray     *messages;     /* ARRAY: the elements; owned */
  int            close_code;   /* CLOSE: 0 when absent */
  char          *close_reason; /* CLOSE: NULL when absent; owned */
} EaTvFrame;

typedef struct
{
  char     *endpoint;
  gint64    id;
  char     *query;
  char     *body;
} EaTvRequest;

typedef struct
{
  char     *ticket;
  gint64    wait_seconds;
  gboolean  captcha;
} EaTvPenalty;

typedef struct
{
  char      *access_token;
  char      *md_access_token;
  GDateTime *expiration;   /* UTC */
  gint64     user_id;
  char      *name;
  char      *user_status;
  gboolean   has_live;
} EaTvToken;

/* One decoded market-data quote. Prices are decimals as sent; a field that
 * was missing keeps its "has_" flag FALSE. */
typedef struct
{
  gint64    contract_id;
  gint64    timestamp_us;
  double    bid, ask, last;
  gint64    bid_size, ask_size, last_size, total_volume;
  guint     has_bid : 1;
  guint     has_ask : 1;
  guint     has_last : 1;
  guint     has_bid_size : 1;
  guint     has_ask_size : 1;
  guint     has_last_size : 1;
  guint     has_total_volume : 1;
} EaTvQuote;

GQuark        ea_tv_error_quark        (void);

gboolean      ea_tv_frame_parse        (const char   *text,
                                        gssize        length,
                                        EaTvFrame    *frame,
                                        GError      **error);
void          ea_tv_frame_clear        (EaTvFrame    *frame);
char         *ea_tv_frame_build_array  (JsonNode     *const *messages,
                                        guint         n_messages);

char         *ea_tv_request_format     (const char   *endpoint,
                                        gint64        id,
                                        const char   *query,
                                        const char   *body);
gboolean      ea_tv_request_parse      (const char   *text,
                                        gssize        length,
                                        EaTvRequest  *request,
                                        GError      **error);
void          ea_tv_request_clear      (EaTvRequest  *request);

gboolean      ea_tv_message_is_response (JsonObject  *message,
                                         gint64      *id,
                                         gint64      *status);
const char   *ea_tv_message_event_name  (JsonObject  *message);

gboolean      ea_tv_penalty_parse      (JsonNode     *body,
                                        EaTvPenalty  *penalty);
void          ea_tv_penalty_clear      (EaTvPenalty  *penalty);

gboolean      ea_tv_token_parse        (JsonNode     *body,
                                        EaTvToken    *token,
                                        GError      **error);
void          ea_tv_token_clear        (EaTvToken    *token);

gboolean      ea_tv_quote_parse        (JsonObject   *quote,
                                        EaTvQuote    *out);
guint         ea_tv_md_event_parse     (JsonObject   *event_data,
                                        GArray       *quotes);
gint64        ea_tv_timestamp_parse_us (const char   *s);

G_END_DECLS
