/* ea-ibkr-broker-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ea-broker-util.h"
#include "ea-ibkr-broker.h"
#include "ea-ibkr-proto.h"

G_BEGIN_DECLS

/* A contract the desk refers to by @symbol ("ES" or "ESZ6"). */
typedef struct
{
  char                   *symbol;
  const EaInstrumentSpec *spec;
  gint64                  conid;
  gboolean                subscribed;
  EaIbkrMarket            market;   /* merged smd state */
} IbContract;

struct _EaIbkrBroker
{
  GObject            parent_instance;

  /* Configuration. */
  char              *url;
  char              *pinned;
  char              *account;
  gboolean           auto_confirm;
  GStrv              suppressed;
  guint              tickle_ms;
  guint              smd_resubscribe_ms;
  guint              reconnect_ms;
  guint              settle_ms;
  guint              penalty_ms;
  guint              max_pause_wait_ms;
  gboolean           pacing;
  guint              pace_global;
  guint              pace_window_ms;
  guint              pace_slow_window_ms;
  guint              positions_page_size;

  /* Connection. */
  SoupSession       *session;
  SoupWebsocketConnection *ws;
  GCancellable      *cancellable;     /* everything of the current connection */
  EaConnectionState  state;
  gboolean           wanted;          /* the user asked to be connected */
  gboolean           connecting;
  GTask             *connect_task;    /* the user's connect, if any */
  char              *ws_session;
  char              *peer_fingerprint;
  char              *tls_problem;
  EaRateLimiter     *limiter;
  gint64             paused_until;
  guint              pause_source;
  gboolean           competing;
  gboolean           orders_primed;
  GStrv              accounts;
  char              *selected;
  guint              tickle_source;
  guint              smd_source;
  guint              reconnect_source;
  guint              reconnect_attempt;
  GQueue             sync_waiters;    /* GTask */
  GQueue             urgent;          /* GTask: order actions waiting for their pacing slot */
  GQueue             queued;          /* GTask: other requests waiting for their slot */
  guint              drain_source;
  gboolean           stop_confirm;    /* the next snapshot confirms a flatten of everything */
  guint              position_epoch;  /* counts the position changes emitted */
  gboolean           tickle_pending;
  guint              dropped;
  gint64             latency_us;      /* smoothed REST round trip, -1 unknown */

  /* What the gateway told us. */
  GHashTable        *contracts;       /* symbol -> IbContract */
  GHashTable        *by_conid;        /* gint64 * -> IbContract (borrowed) */
  GHashTable        *orders;          /* order id string -> EaIbkrOrder */
  GHashTable        *executions;      /* execution ids seen */
  GHashTable        *positions;       /* "acct\x1fsymbol" -> EaPositionData */
  GHashTable        *questions;       /* question id -> GTask of a placement */
  GHashTable        *ledgers;         /* account -> EaAccountData, the last ledger read */
  gboolean           ledger_missing;  /* the gateway has no ledger endpoint */
};

/* ea-ibkr-broker-session.c */
SoupMessage *_ea_ibkr_new_message    (EaIbkrBroker        *self,
                                      const char          *method,
                                      const char          *path,
                                      GError             **error);
void         _ea_ibkr_set_competing  (EaIbkrBroker        *self,
                                      gboolean             competing);
void         _ea_ibkr_notice         (EaIbkrBroker        *self,
                                      const char          *kind,
                                      const char          *text);
gboolean     _ea_ibkr_tickle_cb      (gpointer             user_data);
gboolean     _ea_ibkr_smd_cb         (gpointer             user_data);
void         _ea_ibkr_fail_delayed   (EaIbkrBroker        *self);
/* Sends what the pacing allows now (after a change of its settings). */
void         _ea_ibkr_drain          (EaIbkrBroker        *self);
void         _ea_ibkr_set_state      (EaIbkrBroker        *self,
                                      EaConnectionState    state,
                                      const char          *reason);
void         _ea_ibkr_complete_sync_waiters (EaIbkrBroker *self,
                                             guint         n);
void         _ea_ibkr_apply_auth     (EaIbkrBroker        *self,
                                      JsonObject          *auth);

/* ea-ibkr-broker-connect.c */
void         _ea_ibkr_broker_iface_init (EaBrokerInterface *iface);
void         _ea_ibkr_teardown       (EaIbkrBroker        *self);
void         _ea_ibkr_connection_lost (EaIbkrBroker       *self,
                                       const char         *reason);
void         _ea_ibkr_start_connection (EaIbkrBroker      *self);

/* REST through the pacing limiter. @body is consumed (may be NULL; POSTs
 * always carry a body). The result is a JsonNode (GTask pointer).
 * @urgent: an order action, sent before every other queued request. */
void      _ea_ibkr_request_full     (EaIbkrBroker        *self,
                                     gboolean             urgent,
                                     const char          *method,
                                     const char          *path,
                                     JsonNode            *body,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
void      _ea_ibkr_request          (EaIbkrBroker        *self,
                                     const char          *method,
                                     const char          *path,
                                     JsonNode            *body,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
JsonNode *_ea_ibkr_request_finish   (EaIbkrBroker        *self,
                                     GAsyncResult        *result,
                                     GError             **error);
gboolean  _ea_ibkr_check_ready      (EaIbkrBroker        *self,
                                     GCancellable        *cancellable,
                                     gboolean             trading,
                                     GError             **error);
JsonNode *_ea_ibkr_json_object_node (const char          *first_member,
                                     ...) G_GNUC_NULL_TERMINATED;

/* ea-ibkr-broker-orders.c */
void      _ea_ibkr_handle_sor       (EaIbkrBroker        *self,
                                     JsonObject          *message);
void      _ea_ibkr_handle_str       (EaIbkrBroker        *self,
                                     JsonObject          *message);
void      _ea_ibkr_handle_smd       (EaIbkrBroker        *self,
                                     gint64               conid,
                                     JsonObject          *message);
void      _ea_ibkr_handle_spl       (EaIbkrBroker        *self,
                                     JsonObject          *message);
IbContract *_ea_ibkr_contract_by_conid (EaIbkrBroker     *self,
                                        gint64            conid);
void      _ea_ibkr_contract_free    (IbContract          *c);
/* Orders, executions and positions from REST; emits what changed. */
void      _ea_ibkr_reconcile_async  (EaIbkrBroker        *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean  _ea_ibkr_reconcile_finish (EaIbkrBroker        *self,
                                     GAsyncResult        *result,
                                     GError             **error);
void      _ea_ibkr_fail_questions   (EaIbkrBroker        *self);
void      _ea_ibkr_broker_iface_orders (EaBrokerInterface *iface);

/* ea-ibkr-broker-streams.c */
guint32      _ea_ibkr_today          (void);
char        *_ea_ibkr_order_key      (gint64               id);
EaOrderData *_ea_ibkr_order_to_data  (EaIbkrBroker        *self,
                                      const EaIbkrOrder   *order);
gboolean     _ea_ibkr_order_complete (const EaIbkrOrder   *order);
void         _ea_ibkr_merge_order    (EaIbkrBroker        *self,
                                      const EaIbkrOrder   *update);
EaPositionData *_ea_ibkr_position_for (EaIbkrBroker       *self,
                                       const char         *account,
                                       const char         *symbol);
void         _ea_ibkr_take_trade     (EaIbkrBroker        *self,
                                      const EaIbkrTrade   *trade,
                                      gboolean             apply,
                                      EaFillData         **out);

/* ea-ibkr-broker-orders.c: multi-request operations as small state
 * machines (a GTask whose data is a Job). */
typedef struct _Job Job;
typedef void (*JobStep) (GTask *task, JsonNode *node, GError *error);

struct _Job
{
  JobStep         step;
  guint           stage;
  char           *symbol;
  char           *account;
  IbContract     *contract;
  EaOrderRequest *request;
  JsonNode       *body;         /* what to post after an account switch */
  char           *path;
  char           *order_id;
  char           *question_text;
  guint           rounds;
  gboolean        emergency;    /* questions are confirmed without asking */
  gboolean        urgent;       /* its requests go before the queued others */
  guint           epoch;        /* position_epoch when its positions were read */
  GPtrArray      *ids;          /* char *: orders to cancel, accounts to flatten */
  guint           index;
  GPtrArray      *positions;    /* EaIbkrPosition */
  EaSnapshotData *snapshot;
  GError         *first_error;
  guint           seq;
};


GTask    *_ea_ibkr_job_new           (EaIbkrBroker        *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data,
                                      JobStep              step,
                                      Job                **out);
void      _ea_ibkr_job_request       (GTask               *task,
                                      const char          *method,
                                      const char          *path,
                                      JsonNode            *body);
void      _ea_ibkr_job_sync          (GTask               *task);
void      _ea_ibkr_job_fail          (GTask               *task,
                                      GError              *error);
gboolean  _ea_ibkr_job_start_checked (GTask               *task,
                                      gboolean             trading);
EaIbkrOrder *_ea_ibkr_find_order     (EaIbkrBroker        *self,
                                      const char          *id,
                                      GError             **error);
/* @emergency: questions are confirmed without asking. */
void      _ea_ibkr_place_async       (EaIbkrBroker         *self,
                                      const EaOrderRequest *request,
                                      gboolean              emergency,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean  _ea_ibkr_boolean_finish    (EaBroker            *broker,
                                      GAsyncResult        *result,
                                      GError             **error);

/* ea-ibkr-broker-ledger.c */
gboolean  _ea_ibkr_parse_ledger       (JsonNode            *node,
                                       const char          *account,
                                       EaAccountData       *out,
                                       GError             **error);
void      _ea_ibkr_fetch_ledger_async (EaIbkrBroker        *self,
                                       const char          *account,
                                       gboolean             urgent,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
EaAccountData *_ea_ibkr_fetch_ledger_finish (EaIbkrBroker  *self,
                                             GAsyncResult  *result,
                                             GError       **error);
/* @out borrows @account and constant strings; FALSE: not to be emitted. */
gboolean  _ea_ibkr_account_from_spl   (EaIbkrBroker        *self,
                                       const char          *account,
                                       double               dpl,
                                       double               upl,
                                       EaAccountData       *out);
EaAccountData *_ea_ibkr_account_data  (EaIbkrBroker        *self,
                                       const char          *account);

/* ea-ibkr-broker-recon.c */
GPtrArray *_ea_ibkr_fetch_finish     (GAsyncResult        *result,
                                      GError             **error);
void      _ea_ibkr_cancel_all_async  (EaBroker            *broker,
                                      const char          *account,
                                      const char          *symbol,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
void      _ea_ibkr_flatten_async     (EaBroker            *broker,
                                      const char          *account,
                                      const char          *symbol,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
void      _ea_ibkr_snapshot_async    (EaBroker            *broker,
                                      const char          *account,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
EaSnapshotData *_ea_ibkr_snapshot_finish (EaBroker        *broker,
                                          GAsyncResult    *result,
                                          GError         **error);

/* Signal ids. */
enum
{
  EA_IBKR_SIGNAL_QUESTION,
  EA_IBKR_SIGNAL_QUESTION_WITHDRAWN,
  EA_IBKR_SIGNAL_NOTICE,
  EA_IBKR_SIGNAL_LOGIN_REQUIRED,
  EA_IBKR_N_SIGNALS
};

extern guint _ea_ibkr_signals[EA_IBKR_N_SIGNALS];

G_END_DECLS
