/* ea-broker.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaBroker: what the desk needs from any broker (Demo, Tradovate, IBKR,
 * NinjaTrader). Every request is an _async/_finish pair with a
 * GCancellable; what the broker pushes arrives as signals carrying plain
 * records (ea-trade-data.h) that are only valid during the emission.
 * Errors are in the EA_BROKER_ERROR domain.
 */
#pragma once

#include <gio/gio.h>

#include "ea-bars.h"
#include "ea-trade-data.h"

G_BEGIN_DECLS

/* One bar of a live bar subscription (ea_broker_subscribe_bars()), as the
 * "bar" signal carries it; valid during the emission. */
typedef struct
{
  const char *symbol;   /* as subscribed */
  EaTimeUs    period;
  EaBar       bar;
} EaLiveBarData;

#define EA_TYPE_BROKER (ea_broker_get_type ())

G_DECLARE_INTERFACE (EaBroker, ea_broker, EA, BROKER, GObject)

struct _EaBrokerInterface
{
  GTypeInterface parent_iface;

  const char        *(*get_name)             (EaBroker             *self);
  EaConnectionState  (*get_connection_state) (EaBroker             *self);

  void        (*connect_async)       (EaBroker *self, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
  gboolean    (*connect_finish)      (EaBroker *self, GAsyncResult *result, GError **error);
  void        (*disconnect_async)    (EaBroker *self, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
  gboolean    (*disconnect_finish)   (EaBroker *self, GAsyncResult *result, GError **error);
  void        (*list_accounts_async) (EaBroker *self, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
  GPtrArray  *(*list_accounts_finish) (EaBroker *self, GAsyncResult *result, GError **error);
  void        (*subscribe_quotes_async) (EaBroker *self, const char *symbol, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
  gboolean    (*subscribe_quotes_finish) (EaBroker *self, GAsyncResult *result, GError **error);
  void        (*unsubscribe_quotes_async) (EaBroker *self, const char *symbol, GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
  gboolean    (*unsubscribe_quotes_finish) (EaBroker *self, GAsyncResult *result, GError **error);
  void        (*place_order_async)   (EaBroker *self, const EaOrderRequest *request,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
  char       *(*place_order_finish)  (EaBroker *self, GAsyncResult *result, GError **error);
  void        (*modify_order_async)  (EaBroker *self, const char *broker_order_id, gint64 qty,
                                      EaTicks limit_price, EaTicks stop_price, EaActor actor,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
  gboolean    (*modify_order_finish) (EaBroker *self, GAsyncResult *result, GError **error);
  void        (*cancel_order_async)  (EaBroker *self, const char *broker_order_id,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
  gboolean    (*cancel_order_finish) (EaBroker *self, GAsyncResult *result, GError **error);
  void        (*cancel_all_async)    (EaBroker *self, const char *account, const char *symbol,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
  gboolean    (*cancel_all_finish)   (EaBroker *self, GAsyncResult *result, GError **error);
  void        (*flatten_async)       (EaBroker *self, const char *account, const char *symbol,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
  gboolean    (*flatten_finish)      (EaBroker *self, GAsyncResult *result, GError **error);
  void        (*snapshot_async)      (EaBroker *self, const char *account,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
  EaSnapshotData *(*snapshot_finish) (EaBroker *self, GAsyncResult *result, GError **error);

  /* Optional: the smoothed round trip of recent requests, -1 unknown. */
  gint64      (*get_latency_us)      (EaBroker *self);

  /* Optional: price history (see ea_broker_load_bars_async()). */
  void        (*load_bars_async)     (EaBroker *self, const char *symbol, EaTimeUs period,
                                      EaTimeUs end, guint max_bars, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
  GArray     *(*load_bars_finish)    (EaBroker *self, GAsyncResult *result, GError **error);

  /* Optional: a reversal in one instruction (see
   * ea_broker_reverse_position_async()). */
  void        (*reverse_position_async)  (EaBroker *self, const EaOrderRequest *request,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
  char       *(*reverse_position_finish) (EaBroker *self, GAsyncResult *result, GError **error);

  /* Optional: two orders that cancel each other (see
   * ea_broker_place_oco_async()). */
  void        (*place_oco_async)     (EaBroker *self, const EaOrderRequest *first,
                                      const EaOrderRequest *second, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
  char       *(*place_oco_finish)    (EaBroker *self, GAsyncResult *result, char **second_id,
                                      GError **error);

  /* Optional: bars built by the broker as they form (see
   * ea_broker_subscribe_bars()). */
  gboolean    (*subscribe_bars)      (EaBroker *self, const char *symbol, EaTimeUs period,
                                      GError **error);
  void        (*unsubscribe_bars)    (EaBroker *self, const char *symbol, EaTimeUs period);
};

const char        *ea_broker_get_name             (EaBroker             *self);
EaConnectionState  ea_broker_get_connection_state (EaBroker             *self);
gint64             ea_broker_get_latency_us       (EaBroker             *self);
gboolean           ea_broker_can_load_bars        (EaBroker             *self);
void               ea_broker_load_bars_async      (EaBroker             *self,
                                                   const char           *symbol,
                                                   EaTimeUs              period,
                                                   EaTimeUs              end,
                                                   guint                 max_bars,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GArray            *ea_broker_load_bars_finish     (EaBroker             *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

void             ea_broker_connect_async          (EaBroker             *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         ea_broker_connect_finish         (EaBroker             *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void             ea_broker_disconnect_async       (EaBroker             *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         ea_broker_disconnect_finish      (EaBroker             *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
/* Result: EaAccountData records. */
void             ea_broker_list_accounts_async    (EaBroker             *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GPtrArray       *ea_broker_list_accounts_finish   (EaBroker             *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void             ea_broker_subscribe_quotes_async (EaBroker             *self,
                                                   const char           *symbol,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         ea_broker_subscribe_quotes_finish (EaBroker            *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void             ea_broker_unsubscribe_quotes_async (EaBroker           *self,
                                                     const char         *symbol,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
gboolean         ea_broker_unsubscribe_quotes_finish (EaBroker          *self,
                                                      GAsyncResult      *result,
                                                      GError           **error);
/* Market, limit, stop, stop-limit; a bracket when the request has a stop
 * loss and/or take profit. Result: the broker's order id of the entry.
 * EA_BROKER_ERROR_UNKNOWN_OUTCOME means the order may exist: settle it
 * with a snapshot, never by sending again. */
void             ea_broker_place_order_async      (EaBroker             *self,
                                                   const EaOrderRequest *request,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
char            *ea_broker_place_order_finish     (EaBroker             *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
/* @qty, @limit_price, @stop_price: 0 keeps the current value. @actor:
 * who asked for the change, as EaOrderRequest.actor for a placement
 * (EA_ACTOR_USER when a human made it). */
void             ea_broker_modify_order_async     (EaBroker             *self,
                                                   const char           *broker_order_id,
                                                   gint64                qty,
                                                   EaTicks               limit_price,
                                                   EaTicks               stop_price,
                                                   EaActor               actor,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         ea_broker_modify_order_finish    (EaBroker             *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void             ea_broker_cancel_order_async     (EaBroker             *self,
                                                   const char           *broker_order_id,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         ea_broker_cancel_order_finish    (EaBroker             *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
/* NULL @account / @symbol: every account / contract. */
void             ea_broker_cancel_all_async       (EaBroker             *self,
                                                   const char           *account,
                                                   const char           *symbol,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         ea_broker_cancel_all_finish      (EaBroker             *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
/* Cancels working orders, then closes positions at market. */
void             ea_broker_flatten_async          (EaBroker             *self,
                                                   const char           *account,
                                                   const char           *symbol,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         ea_broker_flatten_finish         (EaBroker             *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
/* Orders, positions, fills and balances, for reconciliation. */
void             ea_broker_snapshot_async         (EaBroker             *self,
                                                   const char           *account,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
EaSnapshotData  *ea_broker_snapshot_finish        (EaBroker             *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* Reverses a position in one instruction: closes @request's account's
 * position in its symbol and opens the same size the other way.
 * @request: a MARKET order of the new direction (the opposite of the
 * position's) for the position's size, with the client order id of the
 * opening order. The broker refuses (EA_BROKER_ERROR_REJECTED) when its
 * own position is not exactly the opposite of that. Result: the broker's
 * order id of the opening order. A broker without the instruction fails
 * with EA_BROKER_ERROR_NOT_SUPPORTED (the desk then sends a market order
 * of twice the position). */
gboolean         ea_broker_can_reverse_position   (EaBroker             *self);
void             ea_broker_reverse_position_async (EaBroker             *self,
                                                   const EaOrderRequest *request,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
char            *ea_broker_reverse_position_finish (EaBroker            *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* Places two orders of one account and symbol that cancel each other:
 * when one fills (in part), the other shrinks by as much and goes when
 * nothing is left. Plain orders (no bracket), each with its own client
 * order id, for the same quantity. Result: the broker's order id of
 * @first; *@second_id (may be NULL) gets @second's. A broker without
 * the instruction fails with EA_BROKER_ERROR_NOT_SUPPORTED. */
gboolean         ea_broker_can_place_oco          (EaBroker             *self);
void             ea_broker_place_oco_async        (EaBroker             *self,
                                                   const EaOrderRequest *first,
                                                   const EaOrderRequest *second,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
char            *ea_broker_place_oco_finish       (EaBroker             *self,
                                                   GAsyncResult         *result,
                                                   char                **second_id,
                                                   GError              **error);

/* Live bars of @symbol and @period from the broker: after a subscription
 * the "bar" signal (an EaLiveBarData) carries the forming bar each time it
 * changes; a bar that starts later than the last one means that one
 * closed. The subscription outlives reconnections (the broker subscribes
 * again) until ea_broker_unsubscribe_bars(). FALSE with
 * EA_BROKER_ERROR_NOT_SUPPORTED when the broker builds no bars of that
 * period (the caller builds them from quotes). */
gboolean         ea_broker_can_subscribe_bars     (EaBroker             *self);
gboolean         ea_broker_subscribe_bars         (EaBroker             *self,
                                                   const char           *symbol,
                                                   EaTimeUs              period,
                                                   GError              **error);
void             ea_broker_unsubscribe_bars       (EaBroker             *self,
                                                   const char           *symbol,
                                                   EaTimeUs              period);

/* For implementations: emit the interface's signals. */
void ea_broker_emit_connection_state (EaBroker             *self,
                                      EaConnectionState     state,
                                      const char           *reason);
void ea_broker_emit_quote            (EaBroker             *self,
                                      const EaQuoteData    *quote);
void ea_broker_emit_bar              (EaBroker             *self,
                                      const EaLiveBarData  *bar);
void ea_broker_emit_order_updated    (EaBroker             *self,
                                      const EaOrderData    *order);
void ea_broker_emit_fill             (EaBroker             *self,
                                      const EaFillData     *fill);
void ea_broker_emit_position_changed (EaBroker             *self,
                                      const EaPositionData *position);
void ea_broker_emit_account_changed  (EaBroker             *self,
                                      const EaAccountData  *account);

G_END_DECLS
