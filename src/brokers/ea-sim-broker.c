/* ea-sim-broker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-sim-broker"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-sim-broker.h"

#define TICK_MS 20

struct _EaSimBroker
{
  GObject            parent_instance;

  EaSimExchange     *exchange;
  EaConnectionState  state;
  gboolean           was_connected;
  GHashTable        *subscribed;     /* symbol set */
  GHashTable        *hidden;         /* client order ids whose replies were lost */
  gboolean           lose_next_place;
  gboolean           drop_next_place;
  guint              rate_limit_ms;  /* > 0: refuse the next request */
  const char        *placing_client_id;
  guint              ignore_cancel_all; /* requests left to acknowledge and drop */
  guint              ignore_flatten;
  guint              requests[EA_SIM_N_REQUESTS];

  guint              timer_id;
  gint64             last_tick;      /* monotonic µs */
  double             speed;
  double             carry;          /* fraction of a µs left from the last tick */
};

static void ea_sim_broker_iface_init (EaBrokerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EaSimBroker, ea_sim_broker, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (EA_TYPE_BROKER, ea_sim_broker_iface_init))

enum {
  PROP_0,
  PROP_SPEED,
  PROP_REALTIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_hidden (EaSimBroker *self,
           const char  *client_order_id)
{
  if (self->placing_client_id != NULL && client_order_id != NULL &&
      g_str_has_prefix (client_order_id, self->placing_client_id))
    return TRUE;
  return client_order_id != NULL && g_hash_table_contains (self->hidden, client_order_id);
}

static void
sink_quote (gpointer           data,
            const EaQuoteData *quote)
{
  EaSimBroker *self = data;

  if (self->state == EA_CONNECTION_STATE_CONNECTED &&
      g_hash_table_contains (self->subscribed, quote->symbol))
    ea_broker_emit_quote (EA_BROKER (self), quote);
}

static void
sink_order (gpointer           data,
            const EaOrderData *order)
{
  EaSimBroker *self = data;

  if (self->state == EA_CONNECTION_STATE_CONNECTED && !is_hidden (self, order->client_order_id))
    ea_broker_emit_order_updated (EA_BROKER (self), order);
}

static void
sink_fill (gpointer          data,
           const EaFillData *fill)
{
  EaSimBroker *self = data;

  if (self->state == EA_CONNECTION_STATE_CONNECTED && !is_hidden (self, fill->client_order_id))
    ea_broker_emit_fill (EA_BROKER (self), fill);
}

static void
sink_position (gpointer              data,
               const EaPositionData *position)
{
  EaSimBroker *self = data;

  if (self->state == EA_CONNECTION_STATE_CONNECTED)
    ea_broker_emit_position_changed (EA_BROKER (self), position);
}

static void
sink_account (gpointer             data,
              const EaAccountData *account)
{
  EaSimBroker *self = data;

  if (self->state == EA_CONNECTION_STATE_CONNECTED)
    ea_broker_emit_account_changed (EA_BROKER (self), account);
}

static const EaSimSink broker_sink = {
  sink_quote, sink_order, sink_fill, sink_position, sink_account,
};

static void
set_state (EaSimBroker       *self,
           EaConnectionState  state,
           const char        *reason)
{
  if (self->state == state)
    return;
  self->state = state;
  ea_broker_emit_connection_state (EA_BROKER (self), state, reason);
}

static void
go_online (EaSimBroker *self)
{
  set_state (self, EA_CONNECTION_STATE_CONNECTING, NULL);
  if (self->was_connected)
    set_state (self, EA_CONNECTION_STATE_RECONCILING, NULL);
  set_state (self, EA_CONNECTION_STATE_CONNECTED, NULL);
  self->was_connected = TRUE;
}

static gboolean
tick_cb (gpointer user_data)
{
  EaSimBroker *self = user_data;
  gint64 now = g_get_monotonic_time ();
  double step = (now - self->last_tick) * self->speed + self->carry;

  self->last_tick = now;
  self->carry = step - (EaTimeUs) step;
  ea_sim_exchange_advance (self->exchange, (EaTimeUs) step);

  return G_SOURCE_CONTINUE;
}

/* GTask helpers: every request is answered from the main loop. */
static GTask *
begin (EaSimBroker         *self,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data,
       gpointer             tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  /* Cancellation is reported in the broker domain, by ready(). */
  g_task_set_check_cancellable (task, FALSE);
  return task;
}

static gboolean
ready (EaSimBroker *self,
       GTask       *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED,
                               "Request cancelled");
      return FALSE;
    }
  if (self->state != EA_CONNECTION_STATE_CONNECTED)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED,
                               "Demo broker is not connected");
      return FALSE;
    }
  if (self->rate_limit_ms > 0)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED,
                               "Rate limited; retry after %u ms", self->rate_limit_ms);
      self->rate_limit_ms = 0;
      return FALSE;
    }
  return TRUE;
}

static void
return_bool (GTask    *task,
             gboolean  ok,
             GError   *error)
{
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
finish_bool (EaBroker      *broker,
             GAsyncResult  *result,
             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, broker), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
finish_pointer (EaBroker      *broker,
                GAsyncResult  *result,
                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, broker), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static const char *
sim_get_name (EaBroker *broker)
{
  return "Demo";
}

static EaConnectionState
sim_get_connection_state (EaBroker *broker)
{
  return EA_SIM_BROKER (broker)->state;
}

/* The exchange lives in the process: a request is answered within the
 * same main-loop iteration. */
static gint64
sim_get_latency_us (EaBroker *broker)
{
  return 0;
}

static void
sim_connect_async (EaBroker            *broker,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  EaSimBroker *self = EA_SIM_BROKER (broker);
  g_autoptr(GTask) task = begin (self, cancellable, callback, user_data, sim_connect_async);

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED, "Request cancelled");
      return;
    }
  if (self->state != EA_CONNECTION_STATE_CONNECTED)
    go_online (self);
  g_task_return_boolean (task, TRUE);
}

static void
sim_disconnect_async (EaBroker            *broker,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  EaSimBroker *self = EA_SIM_BROKER (broker);
  g_autoptr(GTask) task = begin (self, cancellable, callback, user_data, sim_disconnect_async);

  set_state (self, EA_CONNECTION_STATE_DISCONNECTED, _("Disconnected on request"));
  g_task_return_boolean (task, TRUE);
}

static void
sim_list_accounts_async (EaBroker            *broker,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  EaSimBroker *self = EA_SIM_BROKER (broker);
  g_autoptr(GTask) task = begin (self, cancellable, callback, user_data, sim_list_accounts_async);

  if (ready (self, task))
    g_task_return_pointer (task, ea_sim_exchange_list_accounts (self->exchange),
                           (GDestroyNotify) g_ptr_array_unref);
}

static void
sim_subscribe_quotes_async (EaBroker            *broker,
                            const char          *symbol,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  EaSimBroker *self = EA_SIM_BROKER (broker);
  g_autoptr(GTask) task = begin (self, cancellable, callback, user_data, sim_subscribe_quotes_async);

  if (!ready (self, task))
    return;
  if (!ea_sim_exchange_has_symbol (self->exchange, symbol))
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                               "Unknown symbol '%s'", symbol ? symbol : "(null)");
      return;
    }
  g_hash_table_add (self->subscribed, g_strdup (symbol));
  /* Like a real feed, a new subscription starts with the current book. */
  {
    const EaQuoteData *q = ea_sim_exchange_get_quote (self->exchange, symbol);

    if (q != NULL && q->bid > 0 && q->ask > q->bid)
      ea_broker_emit_quote (EA_BROKER (self), q);
  }
  g_task_return_boolean (task, TRUE);
}

static void
sim_unsubscribe_quotes_async (EaBroker            *broker,
                              const char          *symbol,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  EaSimBroker *self = EA_SIM_BROKER (broker);
  g_autoptr(GTask) task = begin (self, cancellable, callback, user_data, sim_unsubscribe_quotes_async);

  if (!ready (self, task))
    return;
  g_hash_table_remove (self->subscribed, symbol ? symbol : "");
  g_task_return_boolean (task, TRUE);
}

static void
sim_place_order_async (EaBroker             *broker,
                       const EaOrderRequest *request,
                       GCancellable         *cancellable,
                       GAsyncReadyCallback   callback,
                       gpointer              user_data)
{
  EaSimBroker *self = EA_SIM_BROKER (broker);
  g_autoptr(GTask) task = begin (self, cancellable, callback, user_data, sim_place_order_async);
  GError *error = NULL;
  char *id;
  gboolean lose;

  if (!ready (self, task))
    return;

  if (self->drop_next_place)
    {
      /* Lost on the way: the exchange never sees it. */
      self->drop_next_place = FALSE;
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME,
                               "No reply to the order request for '%s'",
                               request->client_order_id ? request->client_order_id : "");
      return;
    }

  lose = self->lose_next_place;
  self->lose_next_place = FALSE;
  if (lose && request->client_order_id != NULL && *request->client_order_id != '\0')
    self->placing_client_id = request->client_order_id;

  id = ea_sim_exchange_place (self->exchange, request, &error);
  self->placing_client_id = NULL;

  if (lose && id != NULL)
    {
      g_hash_table_add (self->hidden, g_strdup (request->client_order_id));
      g_hash_table_add (self->hidden, request->stop_loss_client_order_id
                        ? g_strdup (request->stop_loss_client_order_id)
                        : g_strconcat (request->client_order_id, "-SL", NULL));
      g_hash_table_add (self->hidden, request->take_profit_client_order_id
                        ? g_strdup (request->take_profit_client_order_id)
                        : g_strconcat (request->client_order_id, "-TP", NULL));
      g_free (id);
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME,
                               "No reply to the order request for '%s'", request->client_order_id);
      return;
    }

  if (id != NULL)
    g_task_return_pointer (task, id, g_free);
  else
    g_task_return_error (task, error);
}

static void
sim_place_oco_async (EaBroker             *broker,
                     const EaOrderRequest *first,
                     const EaOrderRequest *second,
                     GCancellable         *cancellable,
                     GAsyncReadyCallback   callback,
                     gpointer              user_data)
{
  EaSimBroker *self = EA_SIM_BROKER (broker);
  g_autoptr(GTask) task = begin (self, cancellable, callback, user_data, sim_place_oco_async);
  GError *error = NULL;
  char *second_id = NULL;
  char *id;

  if (!ready (self, task))
    return;

  id = ea_sim_exchange_place_oco (self->exchange, first, second, &second_id, &error);
  if (id == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The second order's id rides along as the task's data. */
  g_task_set_task_data (task, second_id, g_free);
  g_task_return_pointer (task, id, g_free);
}

static char *
sim_place_oco_finish (EaBroker      *broker,
                      GAsyncResult  *result,
                      char         **second_id,
                      GError       **error)
{
  char *id = g_task_propagate_pointer (G_TASK (result), error);

  if (id != NULL && second_id != NULL)
    *second_id = g_strdup (g_task_get_task_data (G_TASK (result)));
  return id;
}

static void
sim_modify_order_async (EaBroker            *broker,
                        const char          *broker_order_id,
                        gint64               qty,
                        EaTicks              limit_price,
                        EaTicks              stop_price,
                        EaActor              actor,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  EaSimBroker *self = EA_SIM_BROKER (broker);
  g_autoptr(GTask) task = begin (self, cancellable, callback, user_data, sim_modify_order_async);
  GError *error = NULL;
  gboolean ok;

  self->requests[EA_SIM_REQUEST_MODIFY]++;
  if (!ready (self, task))
    return;
  ok = ea_sim_exchange_modify (self->exchange, broker_order_id, qty, limit_price, stop_price, &error);
  return_bool (task, ok, error);
}

static void
sim_cancel_order_async (EaBroker            *broker,
                        const char          *broker_order_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  EaSimBroker *self = EA_SIM_BROKER (broker);
  g_autoptr(GTask) task = begin (self, cancellable, callback, user_data, sim_cancel_order_async);
  GError *error = NULL;
  gboolean ok;

  if (!ready (self, task))
    return;
  ok = ea_sim_exchange_cancel (self->exchange, broker_order_id, &error);
  return_bool (task, ok, error);
}

static void
sim_cancel_all_async (EaBroker            *broker,
                      const char          *account,
                      const char          *symbol,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  EaSimBroker *self = EA_SIM_BROKER (broker);
  g_autoptr(GTask) task = begin (self, cancellable, callback, user_data, sim_cancel_all_async);

  self->requests[EA_SIM_REQUEST_CANCEL_ALL]++;
  if (!ready (self, task))
    return;
  if (self->ignore_cancel_all > 0)
    {
      if (self->ignore_cancel_all != G_MAXUINT)
        self->ignore_cancel_all--;
      g_task_return_boolean (task, TRUE);
      return;
    }
  ea_sim_exchange_cancel_all (self->exchange, account, symbol);
  g_task_return_boolean (task, TRUE);
}

static void
sim_flatten_async (EaBroker            *broker,
                   const char          *account,
                   const char          *symbol,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  EaSimBroker *self = EA_SIM_BROKER (broker);
  g_autoptr(GTask) task = begin (self, cancellable, callback, user_data, sim_flatten_async);
  GError *error = NULL;
  gboolean ok;

  self->requests[EA_SIM_REQUEST_FLATTEN]++;
  if (!ready (self, task))
    return;
  if (self->ignore_flatten > 0)
    {
      if (self->ignore_flatten != G_MAXUINT)
        self->ignore_flatten--;
      g_task_return_boolean (task, TRUE);
      return;
    }
  ok = ea_sim_exchange_flatten (self->exchange, account, symbol, &error);
  return_bool (task, ok, error);
}

static void
sim_snapshot_async (EaBroker            *broker,
                    const char          *account,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  EaSimBroker *self = EA_SIM_BROKER (broker);
  g_autoptr(GTask) task = begin (self, cancellable, callback, user_data, sim_snapshot_async);

  if (!ready (self, task))
    return;
  /* The snapshot settles every lost reply: events flow again. */
  g_hash_table_remove_all (self->hidden);
  g_task_return_pointer (task, ea_sim_exchange_snapshot (self->exchange, account),
                         (GDestroyNotify) ea_snapshot_data_free);
}

/* History is drawn from the exchange's price process, ending at its
 * current price and time (the exchange clock, not the wall clock). */
static void
sim_load_bars_async (EaBroker            *broker,
                     const char          *symbol,
                     EaTimeUs             period,
                     EaTimeUs             end,
                     guint                max_bars,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  EaSimBroker *self = EA_SIM_BROKER (broker);
  g_autoptr(GTask) task = begin (self, cancellable, callback, user_data, sim_load_bars_async);
  GError *error = NULL;
  GArray *bars;

  if (!ready (self, task))
    return;
  bars = ea_sim_exchange_load_history (self->exchange, symbol, period, end, max_bars, &error);
  if (bars == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bars, (GDestroyNotify) g_array_unref);
}

static void
ea_sim_broker_iface_init (EaBrokerInterface *iface)
{
  iface->get_name = sim_get_name;
  iface->get_connection_state = sim_get_connection_state;
  iface->get_latency_us = sim_get_latency_us;
  iface->load_bars_async = sim_load_bars_async;
  iface->load_bars_finish = (GArray *(*) (EaBroker *, GAsyncResult *, GError **)) finish_pointer;
  iface->connect_async = sim_connect_async;
  iface->connect_finish = finish_bool;
  iface->disconnect_async = sim_disconnect_async;
  iface->disconnect_finish = finish_bool;
  iface->list_accounts_async = sim_list_accounts_async;
  iface->list_accounts_finish = (GPtrArray *(*) (EaBroker *, GAsyncResult *, GError **)) finish_pointer;
  iface->subscribe_quotes_async = sim_subscribe_quotes_async;
  iface->subscribe_quotes_finish = finish_bool;
  iface->unsubscribe_quotes_async = sim_unsubscribe_quotes_async;
  iface->unsubscribe_quotes_finish = finish_bool;
  iface->place_order_async = sim_place_order_async;
  iface->place_order_finish = (char *(*) (EaBroker *, GAsyncResult *, GError **)) finish_pointer;
  iface->place_oco_async = sim_place_oco_async;
  iface->place_oco_finish = sim_place_oco_finish;
  iface->modify_order_async = sim_modify_order_async;
  iface->modify_order_finish = finish_bool;
  iface->cancel_order_async = sim_cancel_order_async;
  iface->cancel_order_finish = finish_bool;
  iface->cancel_all_async = sim_cancel_all_async;
  iface->cancel_all_finish = finish_bool;
  iface->flatten_async = sim_flatten_async;
  iface->flatten_finish = finish_bool;
  iface->snapshot_async = sim_snapshot_async;
  iface->snapshot_finish = (EaSnapshotData *(*) (EaBroker *, GAsyncResult *, GError **)) finish_pointer;
}

static void
ea_sim_broker_finalize (GObject *object)
{
  EaSimBroker *self = (EaSimBroker *)object;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_pointer (&self->exchange, ea_sim_exchange_free);
  g_clear_pointer (&self->subscribed, g_hash_table_unref);
  g_clear_pointer (&self->hidden, g_hash_table_unref);

  G_OBJECT_CLASS (ea_sim_broker_parent_class)->finalize (object);
}

static void
ea_sim_broker_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  EaSimBroker *self = EA_SIM_BROKER (object);

  switch (prop_id)
    {
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_REALTIME:
      g_value_set_boolean (value, self->timer_id != 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_sim_broker_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  EaSimBroker *self = EA_SIM_BROKER (object);

  switch (prop_id)
    {
    case PROP_SPEED:
      ea_sim_broker_set_speed (self, g_value_get_double (value));
      break;
    case PROP_REALTIME:
      ea_sim_broker_set_realtime (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_sim_broker_class_init (EaSimBrokerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ea_sim_broker_finalize;
  object_class->get_property = ea_sim_broker_get_property;
  object_class->set_property = ea_sim_broker_set_property;

  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 1.0, 100.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REALTIME] =
    g_param_spec_boolean ("realtime", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ea_sim_broker_init (EaSimBroker *self)
{
  self->state = EA_CONNECTION_STATE_DISCONNECTED;
  self->speed = 1.0;
  self->subscribed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->hidden = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

EaSimBroker *
ea_sim_broker_new_empty (guint64  seed,
                         EaTimeUs start)
{
  EaSimBroker *self = g_object_new (EA_TYPE_SIM_BROKER, NULL);

  self->exchange = ea_sim_exchange_new (seed, start);
  ea_sim_exchange_set_sink (self->exchange, &broker_sink, self);
  return self;
}

EaSimBroker *
ea_sim_broker_new (guint64  seed,
                   EaTimeUs start)
{
  EaSimBroker *self = ea_sim_broker_new_empty (seed, start);

  ea_sim_exchange_add_account (self->exchange, EA_SIM_BROKER_DEFAULT_ACCOUNT,
                               EA_SIM_BROKER_DEFAULT_SIZE, EA_SIM_BROKER_DEFAULT_PROFILE, NULL);
  return self;
}

EaSimExchange *
ea_sim_broker_get_exchange (EaSimBroker *self)
{
  g_return_val_if_fail (EA_IS_SIM_BROKER (self), NULL);
  return self->exchange;
}

void
ea_sim_broker_advance (EaSimBroker *self,
                       EaTimeUs     usec)
{
  g_return_if_fail (EA_IS_SIM_BROKER (self));
  ea_sim_exchange_advance (self->exchange, usec);
}

EaTimeUs
ea_sim_broker_get_time (EaSimBroker *self)
{
  g_return_val_if_fail (EA_IS_SIM_BROKER (self), 0);
  return ea_sim_exchange_get_time (self->exchange);
}

void
ea_sim_broker_set_realtime (EaSimBroker *self,
                            gboolean     realtime)
{
  g_return_if_fail (EA_IS_SIM_BROKER (self));

  if (realtime == (self->timer_id != 0))
    return;

  if (realtime)
    {
      self->last_tick = g_get_monotonic_time ();
      self->carry = 0;
      self->timer_id = g_timeout_add (TICK_MS, tick_cb, self);
    }
  else
    g_clear_handle_id (&self->timer_id, g_source_remove);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REALTIME]);
}

gboolean
ea_sim_broker_get_realtime (EaSimBroker *self)
{
  g_return_val_if_fail (EA_IS_SIM_BROKER (self), FALSE);
  return self->timer_id != 0;
}

void
ea_sim_broker_set_speed (EaSimBroker *self,
                         double       speed)
{
  g_return_if_fail (EA_IS_SIM_BROKER (self));

  speed = CLAMP (speed, 1.0, 100.0);
  if (speed == self->speed)
    return;
  self->speed = speed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
}

double
ea_sim_broker_get_speed (EaSimBroker *self)
{
  g_return_val_if_fail (EA_IS_SIM_BROKER (self), 1.0);
  return self->speed;
}

gboolean
ea_sim_broker_add_account (EaSimBroker  *self,
                           const char   *name,
                           EaMicros      size,
                           const char   *profile,
                           GError      **error)
{
  g_return_val_if_fail (EA_IS_SIM_BROKER (self), FALSE);
  return ea_sim_exchange_add_account (self->exchange, name, size, profile, error);
}

gboolean
ea_sim_broker_reset_account (EaSimBroker  *self,
                             const char   *name,
                             GError      **error)
{
  g_return_val_if_fail (EA_IS_SIM_BROKER (self), FALSE);
  return ea_sim_exchange_reset_account (self->exchange, name, error);
}

gboolean
ea_sim_broker_load_replay (EaSimBroker  *self,
                           const char   *symbol,
                           const char   *path,
                           GTimeZone    *tz,
                           GPtrArray   **warnings,
                           GError      **error)
{
  g_autofree char *text = NULL;
  g_autoptr(EaNtData) data = NULL;
  gsize len = 0;

  g_return_val_if_fail (EA_IS_SIM_BROKER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!ea_sim_exchange_has_symbol (self->exchange, symbol))
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                   "Unknown symbol '%s'", symbol ? symbol : "(null)");
      return FALSE;
    }
  if (!g_file_get_contents (path, &text, &len, error))
    return FALSE;
  data = ea_nt_data_parse (text, (gssize) len, tz, error);
  if (data == NULL)
    return FALSE;
  if (!ea_sim_exchange_load_replay (self->exchange, symbol, data, error))
    return FALSE;

  if (warnings != NULL)
    *warnings = g_ptr_array_ref (data->errors);
  return TRUE;
}

gboolean
ea_sim_broker_replay_step (EaSimBroker *self)
{
  g_return_val_if_fail (EA_IS_SIM_BROKER (self), FALSE);
  return ea_sim_exchange_replay_step (self->exchange);
}

void
ea_sim_broker_simulate_disconnect (EaSimBroker *self,
                                   const char  *reason)
{
  g_return_if_fail (EA_IS_SIM_BROKER (self));
  set_state (self, EA_CONNECTION_STATE_DISCONNECTED,
             reason != NULL ? reason : _("Connection lost"));
}

void
ea_sim_broker_simulate_reconnect (EaSimBroker *self)
{
  g_return_if_fail (EA_IS_SIM_BROKER (self));
  if (self->state != EA_CONNECTION_STATE_CONNECTED)
    go_online (self);
}

void
ea_sim_broker_lose_next_place_reply (EaSimBroker *self)
{
  g_return_if_fail (EA_IS_SIM_BROKER (self));
  self->lose_next_place = TRUE;
}

void
ea_sim_broker_drop_next_place_request (EaSimBroker *self)
{
  g_return_if_fail (EA_IS_SIM_BROKER (self));
  self->drop_next_place = TRUE;
}

void
ea_sim_broker_rate_limit_next_request (EaSimBroker *self,
                                       guint        retry_after_ms)
{
  g_return_if_fail (EA_IS_SIM_BROKER (self));
  self->rate_limit_ms = MAX (retry_after_ms, 1);
}

void
ea_sim_broker_ignore_exit_requests (EaSimBroker *self,
                                    guint        times)
{
  g_return_if_fail (EA_IS_SIM_BROKER (self));
  self->ignore_cancel_all = times;
  self->ignore_flatten = times;
}

guint
ea_sim_broker_get_request_count (EaSimBroker  *self,
                                 EaSimRequest  kind)
{
  g_return_val_if_fail (EA_IS_SIM_BROKER (self), 0);
  g_return_val_if_fail (kind < EA_SIM_N_REQUESTS, 0);
  return self->requests[kind];
}
