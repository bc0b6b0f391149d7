/* ea-tradovate-server-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ea-instrument.h"
#include "ea-tradovate-server.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;
  char   *name;
  char   *password;
} TvUser;

typedef struct
{
  gint64  user_id;
  char   *access_token;
  char   *previous_token;
  char   *md_token;
  gint64  expires_us;
} TvSession;

typedef struct
{
  gint64    id;
  gint64    user_id;
  char     *name;
  EaMicros  balance;       /* cash: start balance + realized P&L */
  EaMicros  realized;
  gint64    cash_balance_id;
  char     *admin_action;  /* accountRiskStatus.adminAction, NULL = Normal */
} TvAccount;

typedef struct
{
  gint64                  id;
  char                   *name;
  const EaInstrumentSpec *spec;
  gint64                  maturity_id;
  gint64                  product_id;
  gboolean                has_quote;
  EaTicks                 bid, ask, last;
  gint64                  bid_size, ask_size, last_size, volume;
  gint64                  quote_time_us;
  double                  product_tick_size;  /* 0: the instrument's */
} TvContract;

typedef struct
{
  gint64    id;
  gint64    account_id;
  gint64    contract_id;
  char     *action;        /* "Buy" | "Sell" */
  char     *order_type;    /* "Market" | "Limit" | "Stop" | "StopLimit" */
  gint64    qty;
  gint64    filled;
  EaTicks   price;         /* limit */
  EaTicks   stop_price;
  gboolean  has_price;
  gboolean  has_stop;
  gboolean  triggered;     /* a StopLimit whose stop was reached */
  char     *status;        /* ordStatus */
  char     *cl_ord_id;
  char     *text;
  gboolean  is_automated;
  gint64    parent_id;     /* OSO: the entry this bracket waits for */
  gint64    oco_id;        /* the other order of an OCO pair */
  gint64    version_id;
  gint64    timestamp_us;
} TvOrder;

typedef struct
{
  gint64   id;
  gint64   order_id;
  gint64   account_id;
  gint64   contract_id;
  gboolean buy;
  gint64   qty;
  EaTicks  price;
  gint64   timestamp_us;
} TvFill;

typedef struct
{
  gint64   id;
  gint64   account_id;
  gint64   contract_id;
  gint64   net_pos;
  double   net_price;      /* average price of the open position, in ticks */
  gint64   bought;
  gint64   sold;
  double   bought_value;
  double   sold_value;
  gint64   timestamp_us;
} TvPosition;

typedef struct
{
  EaTradovateServer       *server;
  SoupWebsocketConnection *ws;
  gboolean                 md;
  gboolean                 authorized;
  gint64                   user_id;
  gboolean                 synced;
  GHashTable              *quote_subs;   /* contract ids */
  gint64                   last_seen_us;
  guint                    heartbeat_source;
  gint64                   chart_id;
  GHashTable              *charts;       /* realtime id -> TvLiveChart, not cancelled */
} TvConn;

typedef struct
{
  guint count;
  guint param;
} TvFaultState;

struct _EaTradovateServer
{
  GObject        parent_instance;

  SoupServer    *server;
  guint          port;
  char          *rest_url;
  char          *ws_url;
  char          *md_url;

  GPtrArray     *users;
  GPtrArray     *sessions;
  GPtrArray     *accounts;
  GPtrArray     *contracts;
  GPtrArray     *orders;
  GHashTable    *orders_by_id;
  GPtrArray     *fills;
  GPtrArray     *positions;
  GPtrArray     *conns;
  GPtrArray     *held;           /* SoupServerMessage paused forever */
  GHashTable    *penalty_tickets; /* ticket -> gint64 usable-from time */
  JsonNode      *last_order_request;
  JsonNode      *last_modify_request;
  JsonNode      *last_chart_request;
  gint64         last_chart_id;
  GArray        *request_times;   /* gint64 monotonic, every WebSocket request */
  GHashTable    *request_counts;  /* endpoint -> count */
  guint          limit_count;
  guint          limit_window_ms;
  guint          penalties_issued;

  gint64         next_id;
  guint          token_lifetime_s;
  guint          heartbeat_timeout_ms;
  gboolean       silent_heartbeat;
  gboolean       refusing;
  guint          watchdog_source;
  TvFaultState   faults[EA_TV_N_FAULTS];

  guint          auth_requests;
  guint          renewals;
  guint          late_replies;    /* WebSocket replies sent after a WS_SLOW_REPLY delay */
  guint          withheld_replies; /* WebSocket replies a WS_SLOW_REPLY never sent */
  guint          sessions_opened;
};

/* ea-tradovate-server.c */
gint64      _tv_next_id               (EaTradovateServer *self);
gint64      _tv_now_us                (EaTradovateServer *self);
TvUser     *_tv_find_user             (EaTradovateServer *self,
                                       gint64             id,
                                       const char        *name);
TvAccount  *_tv_find_account          (EaTradovateServer *self,
                                       gint64             id,
                                       const char        *name);
TvContract *_tv_find_contract         (EaTradovateServer *self,
                                       gint64             id,
                                       const char        *name);
TvOrder    *_tv_find_order            (EaTradovateServer *self,
                                       gint64             id);
TvPosition *_tv_get_position          (EaTradovateServer *self,
                                       gint64             account_id,
                                       gint64             contract_id,
                                       gboolean           create);
TvSession  *_tv_session_for_token     (EaTradovateServer *self,
                                       const char        *token,
                                       gboolean           md_allowed);
TvSession  *_tv_open_session          (EaTradovateServer *self,
                                       TvUser            *user);
void        _tv_renew_session         (EaTradovateServer *self,
                                       TvSession         *session);
gboolean    _tv_take_fault            (EaTradovateServer *self,
                                       EaTvFault          fault,
                                       guint             *param);
void        _tv_conn_list_add         (EaTradovateServer *self,
                                       TvConn            *conn);
void        _tv_conn_list_remove      (EaTradovateServer *self,
                                       TvConn            *conn);
void        _tv_free_conn             (TvConn            *conn);
void        _tv_free_order            (TvOrder           *order);

/* ea-tradovate-server-net.c: REST and WebSocket plumbing */
void        _tv_install_handlers      (EaTradovateServer *self);
void        _tv_broadcast_raw         (EaTradovateServer *self,
                                       const char        *text);
void        _tv_broadcast_quote       (EaTradovateServer *self,
                                       TvContract        *contract);
void        _tv_publish_props         (EaTradovateServer *self,
                                       gint64             user_id,
                                       const char        *entity_type,
                                       const char        *event_type,
                                       JsonNode          *entity);
void        _tv_publish_risk_status   (EaTradovateServer *self,
                                       TvAccount         *account);

/* ea-tradovate-server-orders.c: endpoints and order execution */
JsonNode   *_tv_dispatch              (EaTradovateServer *self,
                                       TvSession         *session,
                                       const char        *endpoint,
                                       const char        *query,
                                       JsonNode          *body,
                                       guint             *status);
void        _tv_match_contract        (EaTradovateServer *self,
                                       TvContract        *contract);

/* ea-tradovate-server-chart.c: md/getChart history and live bars */
/* A trade of @size at @price now: the live bar charts of @contract on
 * every connection get their forming bar, updated or new. */
void        _tv_chart_trade           (EaTradovateServer *self,
                                       TvContract        *contract,
                                       EaTicks            price,
                                       gint64             size);
void        _tv_handle_chart          (TvConn            *conn,
                                       gint64             request_id,
                                       const char        *endpoint,
                                       TvContract        *contract,
                                       JsonObject        *body);
void        _tv_conn_respond          (TvConn            *conn,
                                       gint64             id,
                                       guint              status,
                                       JsonNode          *payload);
void        _tv_conn_event            (TvConn            *conn,
                                       const char        *event,
                                       JsonNode          *data);

/* ea-tradovate-server-limits.c */
gboolean    _tv_note_request          (EaTradovateServer *self,
                                       const char        *endpoint);

/* ea-tradovate-server-json.c: entities as Tradovate's JSON */
JsonNode   *_tv_account_json          (TvAccount         *account);
JsonNode   *_tv_risk_status_json      (TvAccount         *account);
JsonNode   *_tv_cash_balance_json     (EaTradovateServer *self,
                                       TvAccount         *account);
JsonNode   *_tv_contract_json         (TvContract        *contract);
JsonNode   *_tv_product_json          (TvContract        *contract);
JsonNode   *_tv_maturity_json         (TvContract        *contract);
JsonNode   *_tv_order_json            (TvOrder           *order);
JsonNode   *_tv_order_version_json    (EaTradovateServer *self,
                                       TvOrder           *order);
JsonNode   *_tv_fill_json             (EaTradovateServer *self,
                                       TvFill            *fill);
JsonNode   *_tv_position_json         (EaTradovateServer *self,
                                       TvPosition        *position);
char       *_tv_iso_time              (gint64             us);
double      _tv_price                 (const EaInstrumentSpec *spec,
                                       EaTicks            ticks);

G_END_DECLS
