/* ea-tradovate-broker-trading.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The EaBroker interface of the Tradovate adapter: connection, accounts
 * and quote subscriptions here; the order actions are in
 * ea-tradovate-broker-orders.c.
 */
#define G_LOG_DOMAIN "ea-tradovate"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-tradovate-broker-private.h"

void _ea_tv_connect (EaTradovateBroker *self, GTask *task);
void _ea_tv_disconnect (EaTradovateBroker *self);

/* EaBroker: connection ------------------------------------------------- */

static const char *
tv_get_name (EaBroker *broker)
{
  return "Tradovate";
}

static EaConnectionState
tv_get_connection_state (EaBroker *broker)
{
  return EA_TRADOVATE_BROKER (broker)->state;
}

static void
tv_connect_async (EaBroker            *broker,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (broker, cancellable, callback, user_data);

  g_task_set_check_cancellable (task, FALSE);
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_error (task, _ea_tv_cancelled_error ());
      return;
    }

  _ea_tv_connect (EA_TRADOVATE_BROKER (broker), task);
}

static gboolean
tv_boolean_finish (EaBroker      *broker,
                   GAsyncResult  *result,
                   GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
tv_disconnect_async (EaBroker            *broker,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (broker, cancellable, callback, user_data);

  _ea_tv_disconnect (EA_TRADOVATE_BROKER (broker));
  g_task_return_boolean (task, TRUE);
}

/* A task for a broker method, refused at once when cancelled or when
 * the broker was never asked to connect. */
GTask *
_ea_tv_method_task (EaBroker            *broker,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (broker);
  GTask *task = g_task_new (broker, cancellable, callback, user_data);

  /* Cancellation is reported in the broker's own error domain. */
  g_task_set_check_cancellable (task, FALSE);

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_error (task, _ea_tv_cancelled_error ());
      g_object_unref (task);
      return NULL;
    }

  if (!self->want_connected)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED,
                               _("Not connected to Tradovate"));
      g_object_unref (task);
      return NULL;
    }

  return task;
}

static void
tv_list_accounts_async (EaBroker            *broker,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (broker);
  g_autoptr(GTask) task = _ea_tv_method_task (broker, cancellable, callback, user_data);
  GPtrArray *accounts;
  GHashTableIter iter;
  TvAccountInfo *info;

  if (task == NULL)
    return;

  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_account_data_free);
  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &info))
    g_ptr_array_add (accounts, ea_account_data_copy (&info->data));

  g_task_return_pointer (task, accounts, (GDestroyNotify) g_ptr_array_unref);
}

static GPtrArray *
tv_list_accounts_finish (EaBroker      *broker,
                         GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Quotes ---------------------------------------------------------------- */

static void
subscribed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(JsonNode) reply = _ea_tv_request_finish (self, result, &error);

  if (reply == NULL)
    {
      g_hash_table_remove (self->subscriptions, g_task_get_task_data (task));
      g_task_return_error (task, _ea_tv_broker_error (error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
subscribe_resolved_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  TvContractInfo *info = _ea_tv_resolve_contract_finish (self, result, &error);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) o = NULL;

  if (info == NULL)
    {
      g_task_return_error (task, _ea_tv_broker_error (error));
      return;
    }

  /* Subscribed before the reply, so the first quote is not dropped. */
  g_hash_table_add (self->subscriptions, g_strdup (info->name));
  g_task_set_task_data (task, g_strdup (info->name), g_free);

  o = json_object_new ();
  json_object_set_string_member (o, "symbol", info->name);
  body = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (body, o);
  _ea_tv_request (self, TRUE, "md/subscribeQuote", NULL, body, FALSE,
                  g_task_get_cancellable (task), subscribed_cb, g_object_ref (task));
}

static void
tv_subscribe_quotes_async (EaBroker            *broker,
                           const char          *symbol,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = _ea_tv_method_task (broker, cancellable, callback, user_data);

  if (task == NULL)
    return;

  _ea_tv_resolve_contract_async (EA_TRADOVATE_BROKER (broker), symbol, cancellable, subscribe_resolved_cb, task);
}

static void
unsubscribed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(JsonNode) reply = _ea_tv_request_finish (EA_TRADOVATE_BROKER (object), result, &error);

  if (reply == NULL)
    g_task_return_error (task, _ea_tv_broker_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
tv_unsubscribe_quotes_async (EaBroker            *broker,
                             const char          *symbol,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (broker);
  GTask *task = _ea_tv_method_task (broker, cancellable, callback, user_data);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) o = NULL;
  g_autofree char *name = _ea_tv_name (self, symbol);

  if (task == NULL)
    return;

  /* Quotes stop at once, whatever the server does. */
  symbol = name;
  if (symbol == NULL || !g_hash_table_remove (self->subscriptions, symbol))
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  o = json_object_new ();
  json_object_set_string_member (o, "symbol", symbol);
  body = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (body, o);
  _ea_tv_request (self, TRUE, "md/unsubscribeQuote", NULL, body, FALSE, cancellable, unsubscribed_cb, task);
}

static void
resubscribe_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = _ea_tv_request_finish (EA_TRADOVATE_BROKER (object), result, &error);

  if (reply == NULL)
    g_message ("Could not resubscribe to quotes: %s", error->message);
}

void
_ea_tv_resubscribe (EaTradovateBroker *self)
{
  GHashTableIter iter;
  const char *symbol;

  g_hash_table_iter_init (&iter, self->subscriptions);
  while (g_hash_table_iter_next (&iter, (gpointer *) &symbol, NULL))
    {
      g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(JsonObject) o = json_object_new ();

      json_object_set_string_member (o, "symbol", symbol);
      json_node_set_object (body, o);
      _ea_tv_request (self, TRUE, "md/subscribeQuote", NULL, body, FALSE, NULL, resubscribe_cb, NULL);
    }
}

static gint64
tv_get_latency_us (EaBroker *broker)
{
  return ea_tradovate_broker_get_latency_us (EA_TRADOVATE_BROKER (broker));
}

void
_ea_tv_broker_iface_init (EaBrokerInterface *iface)
{
  iface->get_name = tv_get_name;
  iface->get_connection_state = tv_get_connection_state;
  iface->get_latency_us = tv_get_latency_us;
  iface->connect_async = tv_connect_async;
  iface->connect_finish = tv_boolean_finish;
  iface->disconnect_async = tv_disconnect_async;
  iface->disconnect_finish = tv_boolean_finish;
  iface->list_accounts_async = tv_list_accounts_async;
  iface->list_accounts_finish = tv_list_accounts_finish;
  iface->subscribe_quotes_async = tv_subscribe_quotes_async;
  iface->subscribe_quotes_finish = tv_boolean_finish;
  iface->unsubscribe_quotes_async = tv_unsubscribe_quotes_async;
  iface->unsubscribe_quotes_finish = tv_boolean_finish;
  iface->place_order_async = _ea_tv_place_order_async;
  iface->place_order_finish = _ea_tv_place_order_finish;
  iface->place_oco_async = _ea_tv_place_oco_async;
  iface->place_oco_finish = _ea_tv_place_oco_finish;
  iface->subscribe_bars = _ea_tv_subscribe_bars;
  iface->unsubscribe_bars = _ea_tv_unsubscribe_bars;
  iface->modify_order_async = _ea_tv_modify_order_async;
  iface->modify_order_finish = tv_boolean_finish;
  iface->cancel_order_async = _ea_tv_cancel_order_async;
  iface->cancel_order_finish = tv_boolean_finish;
  iface->cancel_all_async = _ea_tv_cancel_all_async;
  iface->cancel_all_finish = tv_boolean_finish;
  iface->flatten_async = _ea_tv_flatten_async;
  iface->flatten_finish = tv_boolean_finish;
  iface->snapshot_async = _ea_tv_snapshot_async;
  iface->snapshot_finish = _ea_tv_snapshot_finish;
  iface->load_bars_async = _ea_tv_load_bars_async;
  iface->load_bars_finish = _ea_tv_load_bars_finish;
}
