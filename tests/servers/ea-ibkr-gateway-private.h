/* ea-ibkr-gateway-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ea-ibkr-gateway.h"
#include "ea-instrument.h"
#include "ea-sim-exchange.h"

G_BEGIN_DECLS

typedef struct
{
  const EaInstrumentSpec *spec;
  gint64                  conid;
  guint32                 expiration;   /* YYYYMMDD */
  gboolean                tradeable;    /* the front month, backed by the exchange */
  gboolean                md_primed;    /* the snapshot pre-flight was made */
  JsonObject             *md_last;      /* the market fields last pushed on smd */
} GwContract;

typedef struct
{
  gint64      id;
  char       *sim_id;
  char       *account;
  GwContract *contract;
  char       *order_ref;
  gint64      parent_id;
  JsonObject *last;       /* the full record last pushed on sor */
} GwOrder;

typedef struct
{
  SoupWebsocketConnection *ws;
  gboolean                 authed;
  gboolean                 sor;
  gboolean                 spl;
  gboolean                 str;
  GHashTable              *smd;   /* conid (gint64 *) set */
} GwClient;

/* A placement waiting for the answers to its questions. */
typedef struct
{
  char     *account;
  JsonNode *body;          /* the orders, or the one order of a modify */
  gint64    modify_id;     /* 0: a placement */
  guint     next_question; /* index into questions */
} GwPending;

struct _EaIbkrGateway
{
  GObject          parent_instance;

  SoupServer      *server;
  GTlsCertificate *certificate;
  char            *fingerprint;
  char            *url;

  EaSimExchange   *ex;
  GPtrArray       *accounts;        /* char * */
  char            *selected;
  GPtrArray       *contracts;       /* GwContract */
  GPtrArray       *orders;          /* GwOrder */
  GHashTable      *order_by_sim;    /* sim id -> GwOrder */
  gint64           next_order_id;
  JsonArray       *trades;
  GList           *clients;         /* GwClient */

  /* Session. */
  gboolean         logged_in;       /* the browser login is valid */
  gboolean         authenticated;
  gboolean         competing;
  gboolean         accounts_primed;
  gboolean         orders_primed;
  gboolean         down;
  char            *session;
  GPtrArray       *questions;       /* char * message ids */
  GHashTable      *suppressed;      /* message id set */
  GHashTable      *pending;         /* question id -> GwPending */
  guint            question_seq;

  /* Pacing. */
  guint            pace_global;
  gint64           pace_window;
  gint64           pace_slow_window;
  gint64           pace_penalty;
  GArray          *recent;          /* gint64 times of recent requests */
  GHashTable      *slow_last;       /* path -> gint64 * */
  gint64           penalty_until;

  /* Faults and counters. */
  guint            fault_server_error;
  guint            fault_malformed;
  guint            fault_lose_place;
  guint            fault_rate_limit;
  guint            reply_delay_ms;
  guint            page_size;        /* positions per portfolio page */
  GHashTable      *request_counts;  /* path -> GUINT */
  GPtrArray       *request_log;     /* "METHOD path", in arrival order */
  guint            n_429;
  guint            n_questions;
  GHashTable      *smd_counts;      /* conid -> GUINT */
  JsonNode        *last_order_body;
};

/* ea-ibkr-gateway.c */
void        _ea_gw_new_session      (EaIbkrGateway *self);

/* ea-ibkr-gateway-orders.c */
void        _ea_gw_orders_init      (EaIbkrGateway *self);
GwContract *_ea_gw_contract_by_conid (EaIbkrGateway *self,
                                      gint64         conid);
GwContract *_ea_gw_contract_front   (EaIbkrGateway *self,
                                     const char    *root);
JsonNode   *_ea_gw_futures          (EaIbkrGateway *self,
                                     const char    *symbols);
JsonNode   *_ea_gw_snapshot         (EaIbkrGateway *self,
                                     const char    *conids);
JsonObject *_ea_gw_market_fields    (EaIbkrGateway *self,
                                     GwContract    *c,
                                     gboolean       all);
JsonNode   *_ea_gw_list_orders      (EaIbkrGateway *self);
JsonNode   *_ea_gw_list_trades      (EaIbkrGateway *self);
/* One page of portfolio/{acct}/positions/{page}. */
JsonNode   *_ea_gw_positions        (EaIbkrGateway *self,
                                     const char    *account,
                                     guint          page);
JsonNode   *_ea_gw_order_status     (EaIbkrGateway *self,
                                     gint64         id,
                                     guint         *status);
/* Executes a placement or modification whose questions are answered. */
JsonNode   *_ea_gw_execute          (EaIbkrGateway *self,
                                     GwPending     *p,
                                     guint         *status);
JsonNode   *_ea_gw_cancel           (EaIbkrGateway *self,
                                     const char    *account,
                                     gint64         id,
                                     guint         *status);
JsonObject *_ea_gw_order_record     (EaIbkrGateway *self,
                                     GwOrder       *o);

JsonNode   *_ea_gw_object_node      (JsonObject    *object);
JsonNode   *_ea_gw_array_node       (JsonArray     *array);
void        _ea_gw_take_string      (JsonObject    *object,
                                     const char    *member,
                                     char          *value);
GwOrder    *_ea_gw_order_by_id      (EaIbkrGateway *self,
                                     gint64         id);

/* ea-ibkr-gateway-api.c */
JsonNode   *_ea_gw_ledger           (EaIbkrGateway *self,
                                     const char    *account);

/* ea-ibkr-gateway-ws.c */
void        _ea_gw_ws_init          (EaIbkrGateway *self);
void        _ea_gw_ws_broadcast     (EaIbkrGateway *self,
                                     const char    *topic_flag,
                                     gint64         conid,
                                     JsonObject    *message);
void        _ea_gw_ws_close_all     (EaIbkrGateway *self);
void        _ea_gw_ws_send_sts      (EaIbkrGateway *self);
void        _ea_gw_ws_garbage       (EaIbkrGateway *self,
                                     guint          count);
void        _ea_gw_client_free      (GwClient      *client);

JsonNode   *_ea_gw_error_node       (const char    *fmt,
                                     ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS
