/* ea-broker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-broker"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-broker.h"

G_DEFINE_INTERFACE (EaBroker, ea_broker, G_TYPE_OBJECT)

enum {
  CONNECTION_STATE,
  QUOTE,
  ORDER_UPDATED,
  FILL,
  POSITION_CHANGED,
  ACCOUNT_CHANGED,
  BAR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
ea_broker_default_init (EaBrokerInterface *iface)
{
  /**
   * EaBroker::connection-state:
   * @state: an #EaConnectionState (as guint)
   * @reason: (nullable): why, for a disconnection
   */
  signals[CONNECTION_STATE] =
    g_signal_new ("connection-state", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  /* Each of these carries a pointer to a record of ea-trade-data.h. */
  signals[QUOTE] =
    g_signal_new ("quote", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[ORDER_UPDATED] =
    g_signal_new ("order-updated", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[FILL] =
    g_signal_new ("fill", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[POSITION_CHANGED] =
    g_signal_new ("position-changed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[ACCOUNT_CHANGED] =
    g_signal_new ("account-changed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  /* An EaLiveBarData of a live bar subscription. */
  signals[BAR] =
    g_signal_new ("bar", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

#define IFACE(self) EA_BROKER_GET_IFACE (self)

const char *
ea_broker_get_name (EaBroker *self)
{
  g_return_val_if_fail (EA_IS_BROKER (self), NULL);
  return IFACE (self)->get_name (self);
}

EaConnectionState
ea_broker_get_connection_state (EaBroker *self)
{
  g_return_val_if_fail (EA_IS_BROKER (self), EA_CONNECTION_STATE_DISCONNECTED);
  return IFACE (self)->get_connection_state (self);
}

/**
 * ea_broker_get_latency_us:
 *
 * Returns: the broker's smoothed request round trip in microseconds while
 *   connected, or -1 when it is unknown (not connected, nothing measured
 *   yet, or an adapter that cannot tell)
 */
gint64
ea_broker_get_latency_us (EaBroker *self)
{
  g_return_val_if_fail (EA_IS_BROKER (self), -1);

  if (IFACE (self)->get_latency_us == NULL ||
      IFACE (self)->get_connection_state (self) != EA_CONNECTION_STATE_CONNECTED)
    return -1;
  return IFACE (self)->get_latency_us (self);
}

#define DEFINE_FINISH(name, type, fail)                                   \
type                                                                      \
ea_broker_##name##_finish (EaBroker      *self,                           \
                           GAsyncResult  *result,                         \
                           GError       **error)                          \
{                                                                         \
  g_return_val_if_fail (EA_IS_BROKER (self), fail);                       \
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), fail);                \
  return IFACE (self)->name##_finish (self, result, error);               \
}

#define DEFINE_ASYNC0(name)                                               \
void                                                                      \
ea_broker_##name##_async (EaBroker            *self,                      \
                          GCancellable        *cancellable,               \
                          GAsyncReadyCallback  callback,                  \
                          gpointer             user_data)                 \
{                                                                         \
  g_return_if_fail (EA_IS_BROKER (self));                                 \
  IFACE (self)->name##_async (self, cancellable, callback, user_data);    \
}

DEFINE_ASYNC0 (connect)
DEFINE_FINISH (connect, gboolean, FALSE)
DEFINE_ASYNC0 (disconnect)
DEFINE_FINISH (disconnect, gboolean, FALSE)
DEFINE_ASYNC0 (list_accounts)
DEFINE_FINISH (list_accounts, GPtrArray *, NULL)

void
ea_broker_subscribe_quotes_async (EaBroker            *self,
                                  const char          *symbol,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (EA_IS_BROKER (self));
  IFACE (self)->subscribe_quotes_async (self, symbol, cancellable, callback, user_data);
}
DEFINE_FINISH (subscribe_quotes, gboolean, FALSE)

void
ea_broker_unsubscribe_quotes_async (EaBroker            *self,
                                    const char          *symbol,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (EA_IS_BROKER (self));
  IFACE (self)->unsubscribe_quotes_async (self, symbol, cancellable, callback, user_data);
}
DEFINE_FINISH (unsubscribe_quotes, gboolean, FALSE)

void
ea_broker_place_order_async (EaBroker             *self,
                             const EaOrderRequest *request,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  g_return_if_fail (EA_IS_BROKER (self));
  g_return_if_fail (request != NULL);
  IFACE (self)->place_order_async (self, request, cancellable, callback, user_data);
}
DEFINE_FINISH (place_order, char *, NULL)

void
ea_broker_modify_order_async (EaBroker            *self,
                              const char          *broker_order_id,
                              gint64               qty,
                              EaTicks              limit_price,
                              EaTicks              stop_price,
                              EaActor              actor,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (EA_IS_BROKER (self));
  IFACE (self)->modify_order_async (self, broker_order_id, qty, limit_price, stop_price, actor,
                                    cancellable, callback, user_data);
}
DEFINE_FINISH (modify_order, gboolean, FALSE)

void
ea_broker_cancel_order_async (EaBroker            *self,
                              const char          *broker_order_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (EA_IS_BROKER (self));
  IFACE (self)->cancel_order_async (self, broker_order_id, cancellable, callback, user_data);
}
DEFINE_FINISH (cancel_order, gboolean, FALSE)

void
ea_broker_cancel_all_async (EaBroker            *self,
                            const char          *account,
                            const char          *symbol,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (EA_IS_BROKER (self));
  IFACE (self)->cancel_all_async (self, account, symbol, cancellable, callback, user_data);
}
DEFINE_FINISH (cancel_all, gboolean, FALSE)

void
ea_broker_flatten_async (EaBroker            *self,
                         const char          *account,
                         const char          *symbol,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (EA_IS_BROKER (self));
  IFACE (self)->flatten_async (self, account, symbol, cancellable, callback, user_data);
}
DEFINE_FINISH (flatten, gboolean, FALSE)

void
ea_broker_snapshot_async (EaBroker            *self,
                          const char          *account,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (EA_IS_BROKER (self));
  IFACE (self)->snapshot_async (self, account, cancellable, callback, user_data);
}
DEFINE_FINISH (snapshot, EaSnapshotData *, NULL)

/**
 * ea_broker_can_reverse_position:
 *
 * Returns: %TRUE when the adapter reverses a position in one instruction
 */
gboolean
ea_broker_can_reverse_position (EaBroker *self)
{
  g_return_val_if_fail (EA_IS_BROKER (self), FALSE);

  return IFACE (self)->reverse_position_async != NULL;
}

void
ea_broker_reverse_position_async (EaBroker             *self,
                                  const EaOrderRequest *request,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  g_return_if_fail (EA_IS_BROKER (self));
  g_return_if_fail (request != NULL);

  if (IFACE (self)->reverse_position_async == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, ea_broker_reverse_position_async);
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_SUPPORTED,
                               _("%s cannot reverse a position in one instruction"), ea_broker_get_name (self));
      return;
    }
  IFACE (self)->reverse_position_async (self, request, cancellable, callback, user_data);
}

char *
ea_broker_reverse_position_finish (EaBroker      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (EA_IS_BROKER (self), NULL);

  if (g_task_is_valid (result, self) &&
      g_task_get_source_tag (G_TASK (result)) == ea_broker_reverse_position_async)
    return g_task_propagate_pointer (G_TASK (result), error);
  return IFACE (self)->reverse_position_finish (self, result, error);
}

/**
 * ea_broker_can_place_oco:
 *
 * Returns: %TRUE when the adapter places a one-cancels-other pair
 */
gboolean
ea_broker_can_place_oco (EaBroker *self)
{
  g_return_val_if_fail (EA_IS_BROKER (self), FALSE);

  return IFACE (self)->place_oco_async != NULL;
}

void
ea_broker_place_oco_async (EaBroker             *self,
                           const EaOrderRequest *first,
                           const EaOrderRequest *second,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  g_return_if_fail (EA_IS_BROKER (self));
  g_return_if_fail (first != NULL && second != NULL);

  if (IFACE (self)->place_oco_async == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, ea_broker_place_oco_async);
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_SUPPORTED,
                               _("One-cancels-other orders are not supported by this broker (%s)"),
                               ea_broker_get_name (self));
      return;
    }
  IFACE (self)->place_oco_async (self, first, second, cancellable, callback, user_data);
}

char *
ea_broker_place_oco_finish (EaBroker      *self,
                            GAsyncResult  *result,
                            char         **second_id,
                            GError       **error)
{
  g_return_val_if_fail (EA_IS_BROKER (self), NULL);

  if (second_id != NULL)
    *second_id = NULL;
  if (g_task_is_valid (result, self) &&
      g_task_get_source_tag (G_TASK (result)) == ea_broker_place_oco_async)
    return g_task_propagate_pointer (G_TASK (result), error);
  return IFACE (self)->place_oco_finish (self, result, second_id, error);
}

/**
 * ea_broker_can_subscribe_bars:
 *
 * Returns: %TRUE when the adapter streams bars as they form
 */
gboolean
ea_broker_can_subscribe_bars (EaBroker *self)
{
  g_return_val_if_fail (EA_IS_BROKER (self), FALSE);

  return IFACE (self)->subscribe_bars != NULL;
}

gboolean
ea_broker_subscribe_bars (EaBroker    *self,
                          const char  *symbol,
                          EaTimeUs     period,
                          GError     **error)
{
  g_return_val_if_fail (EA_IS_BROKER (self), FALSE);
  g_return_val_if_fail (symbol != NULL, FALSE);

  if (IFACE (self)->subscribe_bars == NULL)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_SUPPORTED,
                   _("%s does not stream live bars"), ea_broker_get_name (self));
      return FALSE;
    }
  return IFACE (self)->subscribe_bars (self, symbol, period, error);
}

void
ea_broker_unsubscribe_bars (EaBroker   *self,
                            const char *symbol,
                            EaTimeUs    period)
{
  g_return_if_fail (EA_IS_BROKER (self));
  g_return_if_fail (symbol != NULL);

  if (IFACE (self)->unsubscribe_bars != NULL)
    IFACE (self)->unsubscribe_bars (self, symbol, period);
}

/**
 * ea_broker_can_load_bars:
 *
 * Returns: %TRUE when the adapter serves price history
 */
gboolean
ea_broker_can_load_bars (EaBroker *self)
{
  g_return_val_if_fail (EA_IS_BROKER (self), FALSE);

  return IFACE (self)->load_bars_async != NULL;
}

/**
 * ea_broker_load_bars_async:
 * @symbol: the symbol as the adapter quotes it
 * @period: the bar length (time bars): 1 s … 1 day
 * @end: the latest bar returned starts before @end
 * @max_bars: at most this many bars, the latest ones
 *
 * Loads closed time bars of @symbol, oldest first. An adapter that
 * serves no history fails with %EA_BROKER_ERROR_NOT_SUPPORTED.
 */
void
ea_broker_load_bars_async (EaBroker            *self,
                           const char          *symbol,
                           EaTimeUs             period,
                           EaTimeUs             end,
                           guint                max_bars,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (EA_IS_BROKER (self));
  g_return_if_fail (symbol != NULL);
  g_return_if_fail (period > 0);

  if (IFACE (self)->load_bars_async == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, ea_broker_load_bars_async);
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_SUPPORTED,
                               _("%s serves no price history"), ea_broker_get_name (self));
      return;
    }
  IFACE (self)->load_bars_async (self, symbol, period, end, max_bars, cancellable, callback, user_data);
}

/**
 * ea_broker_load_bars_finish:
 *
 * Returns: (transfer full): a #GArray of #EaBar, oldest first, or %NULL
 */
GArray *
ea_broker_load_bars_finish (EaBroker      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (EA_IS_BROKER (self), NULL);

  if (g_task_is_valid (result, self) &&
      g_task_get_source_tag (G_TASK (result)) == ea_broker_load_bars_async)
    return g_task_propagate_pointer (G_TASK (result), error);
  return IFACE (self)->load_bars_finish (self, result, error);
}

void
ea_broker_emit_connection_state (EaBroker          *self,
                                 EaConnectionState  state,
                                 const char        *reason)
{
  g_signal_emit (self, signals[CONNECTION_STATE], 0, (guint) state, reason);
}

void
ea_broker_emit_quote (EaBroker          *self,
                      const EaQuoteData *quote)
{
  g_signal_emit (self, signals[QUOTE], 0, quote);
}

void
ea_broker_emit_bar (EaBroker            *self,
                    const EaLiveBarData *bar)
{
  g_signal_emit (self, signals[BAR], 0, bar);
}

void
ea_broker_emit_order_updated (EaBroker          *self,
                              const EaOrderData *order)
{
  g_signal_emit (self, signals[ORDER_UPDATED], 0, order);
}

void
ea_broker_emit_fill (EaBroker         *self,
                     const EaFillData *fill)
{
  g_signal_emit (self, signals[FILL], 0, fill);
}

void
ea_broker_emit_position_changed (EaBroker             *self,
                                 const EaPositionData *position)
{
  g_signal_emit (self, signals[POSITION_CHANGED], 0, position);
}

void
ea_broker_emit_account_changed (EaBroker            *self,
                                const EaAccountData *account)
{
  g_signal_emit (self, signals[ACCOUNT_CHANGED], 0, account);
}
