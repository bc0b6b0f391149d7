/* ea-tradovate-broker-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "ea-broker-util.h"
#include "ea-instrument.h"
#include "ea-tradovate-broker.h"
#include "ea-tradovate-proto.h"

G_BEGIN_DECLS

typedef struct
{
  gint64      id;
  char       *name;
  char       *admin_action;
  gboolean    have_cash;     /* data has the balances of a cashBalance */
  EaAccountData data;
} TvAccountInfo;

typedef struct
{
  gint64                  id;
  char                   *name;
  const EaInstrumentSpec *spec;
  gint64                  maturity_id;
  gboolean                front;          /* the front month of its root */
  gint64                  front_checked;  /* real time of that check, µs */
} TvContractInfo;

typedef struct
{
  EaOrderData data;
  gint64      id;
  gint64      account_id;
  gint64      contract_id;
  gboolean    have_order;
  gboolean    have_version;
  double      fill_value;     /* sum of qty × ticks of its fills */
  gint64      fills_qty;
} TvOrderInfo;

typedef struct _TvSocket TvSocket;

struct _TvSocket
{
  EaTradovateBroker       *broker;
  gboolean                 md;
  SoupWebsocketConnection *ws;
  gboolean                 opened;     /* "o" received */
  gboolean                 authorized;
  gint64                   last_rx_us;
  gint64                   next_id;
  guint                    heartbeat_source;
  GHashTable              *pending;    /* id -> TvPending */
};

/* A request held back until a reconnection completes. */
typedef struct
{
  GTask *task;
  guint  timeout_source;
} TvWaiter;

typedef struct
{
  gint64    id;
  char     *endpoint;
  GTask    *task;
  gboolean  mutating;
  gint64    sent_us;
  guint     timeout_source;
  TvSocket *socket;
} TvPending;

struct _EaTradovateBroker
{
  GObject            parent_instance;

  EaTradovateConfig  config;
  SoupSession       *session;
  EaConnectionState  state;
  gboolean           want_connected;
  gboolean           fatal;          /* credentials refused, captcha: no auto retry */

  EaTvToken          token;
  gboolean           has_token;
  guint              renew_source;
  guint              logins;
  guint              penalty_retries;

  TvSocket           trading;
  TvSocket           md;
  GCancellable      *attempt_cancellable;

  guint              reconnect_source;
  guint              reconnect_delay_ms;  /* of the pending reconnection */
  guint              reconnect_attempt;  /* backoff steps since the last success */
  guint              initial_backoff_ms;
  guint              request_timeout_ms;
  guint              heartbeat_ms;
  guint              silence_ms;

  GPtrArray         *connect_tasks;  /* waiting for the current attempt */
  GPtrArray         *waiters;        /* requests waiting for CONNECTED */

  GHashTable        *accounts;       /* id -> TvAccountInfo */
  GHashTable        *contracts;      /* id -> TvContractInfo */
  GHashTable        *orders;         /* id -> TvOrderInfo */
  GHashTable        *fill_ids;       /* gint64 set */
  GHashTable        *positions;      /* "acct:contract" -> EaPositionData */
  GHashTable        *subscriptions;  /* symbol set */
  GHashTable        *products;       /* maturity id -> product JsonObject (ref'd node) */

  gint64             latency_us;
  guint              malformed_frames;
  GArray            *md_quotes;      /* EaTvQuote, reused by the md fast path */
  GPtrArray         *history;        /* TvHistoryLoad in progress */
  GPtrArray         *chart_backlog;  /* JsonObject: chart data before its getChart reply */
  GPtrArray         *live_charts;    /* TvLiveChart: live bar subscriptions */

  EaTokenBucket     *budget;         /* REST and WebSocket requests */
  GQueue             urgent;         /* GTask: order actions waiting for the budget */
  GQueue             queued;         /* GTask: other requests waiting for the budget */
  guint              drain_source;
};

/* ea-tradovate-requests.c */
void      _ea_tv_waiter_free     (TvWaiter            *waiter);
void      _ea_tv_fail_queued     (EaTradovateBroker   *self);
void      _ea_tv_fail_all_pending (TvSocket           *socket,
                                   const char         *why);
void      _ea_tv_handle_response (TvSocket            *socket,
                                  JsonObject          *message);
void      _ea_tv_request         (EaTradovateBroker   *self,
                                  gboolean             md,
                                  const char          *endpoint,
                                  const char          *query,
                                  JsonNode            *body,
                                  gboolean             mutating,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
JsonNode *_ea_tv_request_finish  (EaTradovateBroker   *self,
                                  GAsyncResult        *result,
                                  GError             **error);

/* ea-tradovate-broker.c */
void      _ea_tv_set_state       (EaTradovateBroker   *self,
                                  EaConnectionState    state,
                                  const char          *reason);

/* ea-tradovate-broker-cache.c */
EaTimeUs  _ea_tv_get_time        (JsonObject          *o,
                                  const char          *name);
void      _ea_tv_set_str         (char               **field,
                                  const char          *value);
GError   *_ea_tv_cancelled_error (void);
GError   *_ea_tv_broker_error    (GError              *error);
void      _ea_tv_trading_init    (EaTradovateBroker   *self);
void      _ea_tv_trading_clear   (EaTradovateBroker   *self);
TvAccountInfo *_ea_tv_account_by_name (EaTradovateBroker *self,
                                       const char        *name);
char     *_ea_tv_name            (EaTradovateBroker   *self,
                                  const char          *symbol);
const char *_ea_tv_desk_symbol   (EaTradovateBroker   *self,
                                  TvContractInfo      *info);
TvContractInfo *_ea_tv_contract_by_symbol (EaTradovateBroker *self,
                                           const char        *symbol);
gboolean  _ea_tv_check_product   (const EaInstrumentSpec  *spec,
                                  JsonObject              *product,
                                  GError                 **error);
TvContractInfo *_ea_tv_add_contract (EaTradovateBroker *self,
                                     JsonObject        *entity);
TvOrderInfo *_ea_tv_order_info   (EaTradovateBroker   *self,
                                  gint64               id);
const EaInstrumentSpec *_ea_tv_order_spec (EaTradovateBroker *self,
                                           TvOrderInfo       *info);
void      _ea_tv_resolve_contract_async  (EaTradovateBroker   *self,
                                          const char          *symbol,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
TvContractInfo *_ea_tv_resolve_contract_finish (EaTradovateBroker  *self,
                                                GAsyncResult       *result,
                                                GError            **error);

/* ea-tradovate-broker-entities.c */
#define FOREACH_OBJECT_I(array, obj, i) \
  for (guint i = 0; (array) != NULL && i < json_array_get_length (array); i++) \
    if (JSON_NODE_HOLDS_OBJECT (json_array_get_element ((array), i)) && \
        ((obj) = json_array_get_object_element ((array), i)) != NULL)
#define FOREACH_OBJECT(array, obj) FOREACH_OBJECT_I (array, obj, i_)

void      _ea_tv_set_restriction (EaTradovateBroker   *self,
                                  TvAccountInfo       *info,
                                  EaBrokerRestriction  restriction,
                                  const char          *text,
                                  gboolean             emit);
void      _ea_tv_apply_snapshot  (EaTradovateBroker   *self,
                                  JsonObject          *snapshot,
                                  gboolean             emit);
void      _ea_tv_handle_event    (EaTradovateBroker   *self,
                                  JsonObject          *message);
void      _ea_tv_emit_quotes     (EaTradovateBroker   *self,
                                  const EaTvQuote     *quotes,
                                  guint                n_quotes);

/* ea-tradovate-broker-trading.c */
GTask    *_ea_tv_method_task     (EaBroker            *broker,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
void      _ea_tv_resubscribe     (EaTradovateBroker   *self);
void      _ea_tv_broker_iface_init (EaBrokerInterface *iface);

/* ea-tradovate-broker-orders.c */
void      _ea_tv_place_order_async  (EaBroker             *broker,
                                     const EaOrderRequest *request,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
char     *_ea_tv_place_order_finish (EaBroker            *broker,
                                     GAsyncResult        *result,
                                     GError             **error);
void      _ea_tv_place_oco_async (EaBroker             *broker,
                                  const EaOrderRequest *first,
                                  const EaOrderRequest *second,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
char     *_ea_tv_place_oco_finish (EaBroker           *broker,
                                   GAsyncResult       *result,
                                   char              **second_id,
                                   GError            **error);
void      _ea_tv_modify_order_async (EaBroker            *broker,
                                     const char          *broker_order_id,
                                     gint64               qty,
                                     EaTicks              limit_price,
                                     EaTicks              stop_price,
                                     EaActor              actor,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
void      _ea_tv_cancel_order_async (EaBroker            *broker,
                                     const char          *broker_order_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
void      _ea_tv_snapshot_async  (EaBroker            *broker,
                                  const char          *account,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
EaSnapshotData *_ea_tv_snapshot_finish (EaBroker     *broker,
                                        GAsyncResult *result,
                                        GError      **error);
void      _ea_tv_cancel_all_async (EaBroker            *broker,
                                   const char          *account,
                                   const char          *symbol,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
void      _ea_tv_flatten_async   (EaBroker            *broker,
                                  const char          *account,
                                  const char          *symbol,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);

/* ea-tradovate-history.c */
void      _ea_tv_history_init    (EaTradovateBroker   *self);
void      _ea_tv_history_clear   (EaTradovateBroker   *self);
void      _ea_tv_history_handle_chart (EaTradovateBroker *self,
                                       JsonObject        *data);
void      _ea_tv_history_socket_closed (EaTradovateBroker *self,
                                        const char        *reason);
void      _ea_tv_load_bars_async (EaBroker            *broker,
                                  const char          *symbol,
                                  EaTimeUs             period,
                                  EaTimeUs             end,
                                  guint                max_bars,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
GArray   *_ea_tv_load_bars_finish (EaBroker           *broker,
                                   GAsyncResult       *result,
                                   GError            **error);
gboolean  _ea_tv_parse_chart_bar (const EaInstrumentSpec *spec,
                                  EaTimeUs                period,
                                  JsonObject             *o,
                                  EaBar                  *bar);
void      _ea_tv_send_cancel_chart (EaTradovateBroker *self,
                                    gint64             realtime_id);
JsonNode *_ea_tv_chart_body      (const char          *symbol,
                                  EaTimeUs             period,
                                  EaTimeUs             end,
                                  guint                max_bars);

/* ea-tradovate-live-bars.c */
void      _ea_tv_live_bars_init  (EaTradovateBroker   *self);
void      _ea_tv_live_bars_clear (EaTradovateBroker   *self);
gboolean  _ea_tv_live_bars_handle_chart (EaTradovateBroker *self,
                                         gint64             id,
                                         JsonObject        *chart);
void      _ea_tv_live_bars_socket_closed (EaTradovateBroker *self);
void      _ea_tv_live_bars_resubscribe (EaTradovateBroker *self);
void      _ea_tv_live_bars_disconnecting (EaTradovateBroker *self);
gboolean  _ea_tv_subscribe_bars  (EaBroker            *broker,
                                  const char          *symbol,
                                  EaTimeUs             period,
                                  GError             **error);
void      _ea_tv_unsubscribe_bars (EaBroker           *broker,
                                   const char         *symbol,
                                   EaTimeUs            period);

G_END_DECLS
