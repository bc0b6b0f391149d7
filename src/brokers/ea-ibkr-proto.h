/* ea-ibkr-proto.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The wire format of the Interactive Brokers Client Portal Web API
 * (PROTOCOLS.md §2), without I/O: parsing of the gateway's replies and
 * websocket messages into plain structs, and building of order bodies.
 * Every parser accepts arbitrary input and fails with a GError
 * (EA_IBKR_PROTO_ERROR) instead of trusting it.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ea-instrument.h"
#include "ea-trade-data.h"

G_BEGIN_DECLS

#define EA_IBKR_PROTO_ERROR (ea_ibkr_proto_error_quark ())

typedef enum
{
  EA_IBKR_PROTO_ERROR_MALFORMED,
  EA_IBKR_PROTO_ERROR_SERVER,      /* the gateway answered {"error": …} */
} EaIbkrProtoError;

GQuark ea_ibkr_proto_error_quark (void);

/* POST iserver/auth/status */
typedef struct
{
  gboolean  authenticated;
  gboolean  connected;
  gboolean  competing;
  char     *message;
} EaIbkrAuthStatus;

gboolean ea_ibkr_parse_auth_status (JsonNode          *root,
                                    EaIbkrAuthStatus  *out,
                                    GError           **error);
void     ea_ibkr_auth_status_clear (EaIbkrAuthStatus  *status);

/* GET iserver/accounts: the account ids; @selected receives selectedAccount. */
GStrv    ea_ibkr_parse_accounts    (JsonNode          *root,
                                    char             **selected,
                                    GError           **error);

/* The answer to a placement, modification or reply: an acknowledgement, a
 * question to confirm or an error. */
typedef enum
{
  EA_IBKR_REPLY_ACK,
  EA_IBKR_REPLY_QUESTION,
  EA_IBKR_REPLY_ERROR,
} EaIbkrReplyKind;

typedef struct
{
  EaIbkrReplyKind  kind;
  GPtrArray       *order_ids;     /* ACK: one per order, in request order */
  char            *order_status;  /* ACK: of the first order */
  char            *question_id;   /* QUESTION */
  char            *message;       /* QUESTION: the lines joined; ERROR: the text */
  GStrv            message_ids;   /* QUESTION */
} EaIbkrReply;

gboolean ea_ibkr_parse_order_reply (JsonNode          *root,
                                    EaIbkrReply       *out,
                                    GError           **error);
void     ea_ibkr_reply_clear       (EaIbkrReply       *reply);

/* An order as listed by iserver/account/orders or streamed by the sor
 * topic. sor updates after the first carry only the changed fields:
 * @present says which ones this record has. */
enum
{
  EA_IBKR_ORDER_ACCOUNT    = 1 << 0,
  EA_IBKR_ORDER_CONID      = 1 << 1,
  EA_IBKR_ORDER_REF        = 1 << 2,
  EA_IBKR_ORDER_STATUS     = 1 << 3,
  EA_IBKR_ORDER_SIDE       = 1 << 4,
  EA_IBKR_ORDER_TYPE       = 1 << 5,
  EA_IBKR_ORDER_PRICE      = 1 << 6,
  EA_IBKR_ORDER_AUX_PRICE  = 1 << 7,
  EA_IBKR_ORDER_AVG_PRICE  = 1 << 8,
  EA_IBKR_ORDER_TOTAL      = 1 << 9,
  EA_IBKR_ORDER_FILLED     = 1 << 10,
  EA_IBKR_ORDER_PARENT     = 1 << 11,
  EA_IBKR_ORDER_TICKER     = 1 << 12,
  EA_IBKR_ORDER_TIF        = 1 << 13,
};

typedef struct
{
  guint   present;
  gint64  order_id;
  gint64  conid;
  char   *account;
  char   *order_ref;     /* the cOID */
  char   *status;
  EaSide  side;
  char   *order_type;    /* MKT LMT STP STOP_LIMIT … */
  double  price;         /* LMT, STOP_LIMIT: limit; STP: stop */
  double  aux_price;     /* STOP_LIMIT: stop */
  double  avg_price;
  gint64  total;
  gint64  filled;
  gint64  parent_id;
  char   *ticker;
  char   *tif;
} EaIbkrOrder;

gboolean     ea_ibkr_parse_order       (JsonObject        *object,
                                        EaIbkrOrder       *out,
                                        GError           **error);
/* The "orders" of GET iserver/account/orders: EaIbkrOrder records. */
GPtrArray   *ea_ibkr_parse_orders      (JsonNode          *root,
                                        GError           **error);
/* Copies the present fields of @update into @order. */
void         ea_ibkr_order_merge       (EaIbkrOrder       *order,
                                        const EaIbkrOrder *update);
EaIbkrOrder *ea_ibkr_order_copy        (const EaIbkrOrder *order);
void         ea_ibkr_order_free        (EaIbkrOrder       *order);
void         ea_ibkr_order_clear       (EaIbkrOrder       *order);
EaOrderState ea_ibkr_status_to_state   (const char        *status,
                                        gint64             filled);
gboolean     ea_ibkr_order_type_parse  (const char        *order_type,
                                        EaOrderType       *out);
const char  *ea_ibkr_order_type_name   (EaOrderType        type);

/* GET portfolio/{acct}/positions/{page} */
typedef struct
{
  char   *account;
  gint64  conid;
  gint64  position;
  double  avg_price;      /* per contract, price units */
  double  realized_pnl;
  double  unrealized_pnl;
  char   *ticker;
} EaIbkrPosition;

GPtrArray *ea_ibkr_parse_positions (JsonNode  *root,
                                    GError   **error);
void       ea_ibkr_position_free   (EaIbkrPosition *position);

/* GET iserver/account/trades */
typedef struct
{
  char   *execution_id;
  gint64  order_id;
  gint64  conid;
  char   *account;
  char   *order_ref;
  EaSide  side;
  gint64  size;
  double  price;
  gint64  time_ms;
} EaIbkrTrade;

GPtrArray *ea_ibkr_parse_trades    (JsonNode  *root,
                                    GError   **error);
void       ea_ibkr_trade_free      (EaIbkrTrade *trade);

/* GET trsrv/futures?symbols=@symbol: conid and expiration (YYYYMMDD) of
 * each listed contract, in the order given. */
typedef struct
{
  gint64  conid;
  guint32 expiration;
} EaIbkrFuture;

GArray   *ea_ibkr_parse_futures    (JsonNode    *root,
                                    const char  *symbol,
                                    GError     **error);
/* The conid of the future whose expiration is nearest @last_trade_day
 * (YYYYMMDD) and at most @tolerance_days from it, or 0: the core's
 * calendar and the gateway must agree on the contract. */
gint64    ea_ibkr_futures_find     (GArray           *futures,
                                    guint32           last_trade_day,
                                    guint             tolerance_days);

/* Market data fields (snapshot rows and smd messages). Values are strings;
 * a price may carry a "C" (prior close) or "H" (halted) prefix. */
enum
{
  EA_IBKR_MD_LAST      = 1 << 0,
  EA_IBKR_MD_BID       = 1 << 1,
  EA_IBKR_MD_ASK       = 1 << 2,
  EA_IBKR_MD_BID_SIZE  = 1 << 3,
  EA_IBKR_MD_ASK_SIZE  = 1 << 4,
  EA_IBKR_MD_LAST_SIZE = 1 << 5,
  EA_IBKR_MD_VOLUME    = 1 << 6,
};

typedef struct
{
  guint    present;
  gint64   conid;
  EaTicks  last;
  EaTicks  bid;
  EaTicks  ask;
  gint64   bid_size;
  gint64   ask_size;
  gint64   last_size;
  gint64   volume;
  gboolean prior_close;   /* last carried "C" */
  gboolean halted;        /* last carried "H" */
} EaIbkrMarket;

/* Fields this module asks for: 31 84 86 88 85 7059 7762 6509. */
extern const char *const ea_ibkr_md_fields[];

gboolean  ea_ibkr_parse_market     (JsonObject             *object,
                                    const EaInstrumentSpec *spec,
                                    EaIbkrMarket           *out,
                                    GError                **error);
/* "1,234", "12", "1.5K", "2M". */
gboolean  ea_ibkr_parse_size       (const char  *text,
                                    gint64      *out);

/* Websocket text messages: the topic (e.g. "smd+265598", "sor",
 * "system") and the JSON object. */
JsonObject *ea_ibkr_ws_parse       (const char  *text,
                                    gsize        length,
                                    char       **topic,
                                    GError     **error);
char       *ea_ibkr_ws_smd         (gint64       conid);
char       *ea_ibkr_ws_umd         (gint64       conid);

/* One order of a placement body. */
typedef struct
{
  gint64       conid;
  const char  *coid;
  const char  *parent_id;    /* the parent's cOID, or NULL */
  EaOrderType  type;
  EaSide       side;
  gint64       quantity;
  const char  *price;        /* decimal string or NULL */
  const char  *aux_price;
  const char  *tif;          /* "DAY", "GTC" */
} EaIbkrOrderSpec;

JsonObject *ea_ibkr_build_order    (const EaIbkrOrderSpec *spec);
/* {"orders": [ … ]} */
JsonNode   *ea_ibkr_build_orders   (const EaIbkrOrderSpec *specs,
                                    guint                  n_specs);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaIbkrOrder, ea_ibkr_order_free)

G_END_DECLS
