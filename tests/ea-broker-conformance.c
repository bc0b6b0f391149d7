/* ea-broker-conformance.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ea-broker-conformance.h"

#define SEC G_GINT64_CONSTANT (1000000)

/* Everything a broker told us during one test. */
typedef struct
{
  const EaBrokerConformanceFactory *f;
  EaBroker  *broker;
  GArray    *states;     /* guint */
  GPtrArray *quotes;     /* EaQuoteData */
  GPtrArray *orders;     /* EaOrderData */
  GPtrArray *fills;      /* EaFillData */
  GPtrArray *positions;  /* EaPositionData */
  guint      n_accounts;
  guint      seq;
} Fixture;

static void
state_cb (EaBroker *broker, guint state, const char *reason, Fixture *fx)
{
  g_array_append_val (fx->states, state);
  if (state == EA_CONNECTION_STATE_DISCONNECTED)
    g_assert_nonnull (reason);
}

static void
quote_cb (EaBroker *broker, const EaQuoteData *q, Fixture *fx)
{
  g_ptr_array_add (fx->quotes, ea_quote_data_copy (q));
}

static void
order_cb (EaBroker *broker, const EaOrderData *o, Fixture *fx)
{
  g_assert_nonnull (o->broker_order_id);
  g_assert_nonnull (o->client_order_id);
  g_ptr_array_add (fx->orders, ea_order_data_copy (o));
}

static void
fill_cb (EaBroker *broker, const EaFillData *f, Fixture *fx)
{
  g_assert_nonnull (f->fill_id);
  g_assert_cmpstr (f->fill_id, !=, "");
  g_ptr_array_add (fx->fills, ea_fill_data_copy (f));
}

static void
position_cb (EaBroker *broker, const EaPositionData *p, Fixture *fx)
{
  g_ptr_array_add (fx->positions, ea_position_data_copy (p));
}

static void
account_cb (EaBroker *broker, const EaAccountData *a, Fixture *fx)
{
  fx->n_accounts++;
}

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  fx->f = data;
  fx->broker = fx->f->create (fx->f->user_data);
  g_assert_true (EA_IS_BROKER (fx->broker));
  g_assert_cmpint (ea_broker_get_connection_state (fx->broker), ==, EA_CONNECTION_STATE_CONNECTED);
  fx->states = g_array_new (FALSE, FALSE, sizeof (guint));
  fx->quotes = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_quote_data_free);
  fx->orders = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_order_data_free);
  fx->fills = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_fill_data_free);
  fx->positions = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_position_data_free);
  g_signal_connect (fx->broker, "connection-state", G_CALLBACK (state_cb), fx);
  g_signal_connect (fx->broker, "quote", G_CALLBACK (quote_cb), fx);
  g_signal_connect (fx->broker, "order-updated", G_CALLBACK (order_cb), fx);
  g_signal_connect (fx->broker, "fill", G_CALLBACK (fill_cb), fx);
  g_signal_connect (fx->broker, "position-changed", G_CALLBACK (position_cb), fx);
  g_signal_connect (fx->broker, "account-changed", G_CALLBACK (account_cb), fx);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  g_signal_handlers_disconnect_by_data (fx->broker, fx);
  g_assert_finalize_object (fx->broker);
  g_array_unref (fx->states);
  g_ptr_array_unref (fx->quotes);
  g_ptr_array_unref (fx->orders);
  g_ptr_array_unref (fx->fills);
  g_ptr_array_unref (fx->positions);
}

/* Synchronous wrappers: iterate the main context until the reply. */
static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

#define CALL_BOOL(fx, call_async, finish, error, ...)                      \
  ({                                                                       \
    GAsyncResult *res_ = NULL;                                             \
    gboolean ok_;                                                          \
    call_async ((fx)->broker, __VA_ARGS__, result_cb, &res_);              \
    ok_ = finish ((fx)->broker, wait_for (&res_), (error));                \
    g_object_unref (res_);                                                 \
    ok_;                                                                   \
  })

static char *
place (Fixture *fx, const EaOrderRequest *r, GError **error)
{
  GAsyncResult *res = NULL;
  char *id;

  ea_broker_place_order_async (fx->broker, r, NULL, result_cb, &res);
  id = ea_broker_place_order_finish (fx->broker, wait_for (&res), error);
  g_object_unref (res);
  return id;
}

static EaSnapshotData *
snapshot (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  EaSnapshotData *s;

  ea_broker_snapshot_async (fx->broker, fx->f->account, NULL, result_cb, &res);
  s = ea_broker_snapshot_finish (fx->broker, wait_for (&res), &error);
  g_assert_no_error (error);
  g_object_unref (res);
  return s;
}

static EaOrderRequest *
request (Fixture *fx, EaSide side, EaOrderType type, gint64 qty)
{
  g_autofree char *cid = g_strdup_printf ("conf-%u", ++fx->seq);

  return ea_order_request_new (fx->f->account, fx->f->symbol, cid, side, type, qty);
}

static void
quote (Fixture *fx, EaTicks bid, EaTicks ask, gint64 size)
{
  fx->f->set_quote (fx->broker, fx->f->symbol, bid, ask, size, size, fx->f->user_data);
}

static void
trade (Fixture *fx, EaTicks price, gint64 size)
{
  fx->f->trade (fx->broker, fx->f->symbol, price, size, fx->f->user_data);
}

/* The last order update seen for @broker_order_id. */
static const EaOrderData *
last_update (Fixture *fx, const char *broker_order_id)
{
  for (guint i = fx->orders->len; i > 0; i--)
    {
      const EaOrderData *o = g_ptr_array_index (fx->orders, i - 1);

      if (g_strcmp0 (o->broker_order_id, broker_order_id) == 0)
        return o;
    }
  return NULL;
}

static const EaOrderData *
last_update_by_client (Fixture *fx, const char *client_order_id)
{
  for (guint i = fx->orders->len; i > 0; i--)
    {
      const EaOrderData *o = g_ptr_array_index (fx->orders, i - 1);

      if (g_strcmp0 (o->client_order_id, client_order_id) == 0)
        return o;
    }
  return NULL;
}

static gint64
filled_for (Fixture *fx, const char *broker_order_id)
{
  gint64 n = 0;

  for (guint i = 0; i < fx->fills->len; i++)
    {
      const EaFillData *f = g_ptr_array_index (fx->fills, i);

      if (g_strcmp0 (f->broker_order_id, broker_order_id) == 0)
        n += f->qty;
    }
  return n;
}

static gint64
last_position (Fixture *fx)
{
  for (guint i = fx->positions->len; i > 0; i--)
    {
      const EaPositionData *p = g_ptr_array_index (fx->positions, i - 1);

      if (g_strcmp0 (p->symbol, fx->f->symbol) == 0 && g_strcmp0 (p->account, fx->f->account) == 0)
        return p->qty;
    }
  return 0;
}

static gint64
snapshot_position (EaSnapshotData *s, const char *symbol)
{
  for (guint i = 0; i < s->positions->len; i++)
    {
      const EaPositionData *p = g_ptr_array_index (s->positions, i);

      if (g_strcmp0 (p->symbol, symbol) == 0)
        return p->qty;
    }
  return 0;
}

static void
test_connect (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaOrderRequest) r = request (fx, EA_SIDE_BUY, EA_ORDER_TYPE_MARKET, 1);
  GAsyncResult *res = NULL;
  GPtrArray *accounts;
  gboolean found = FALSE;

  ea_broker_list_accounts_async (fx->broker, NULL, result_cb, &res);
  accounts = ea_broker_list_accounts_finish (fx->broker, wait_for (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  for (guint i = 0; i < accounts->len; i++)
    if (g_strcmp0 (((EaAccountData *) accounts->pdata[i])->name, fx->f->account) == 0)
      found = TRUE;
  g_assert_true (found);
  g_ptr_array_unref (accounts);
  g_assert_nonnull (ea_broker_get_name (fx->broker));

  g_assert_true (CALL_BOOL (fx, ea_broker_disconnect_async, ea_broker_disconnect_finish, &error, NULL));
  g_assert_cmpint (ea_broker_get_connection_state (fx->broker), ==, EA_CONNECTION_STATE_DISCONNECTED);
  g_assert_cmpuint (fx->states->len, ==, 1);
  g_assert_cmpuint (g_array_index (fx->states, guint, 0), ==, EA_CONNECTION_STATE_DISCONNECTED);

  /* Requests while disconnected fail cleanly. */
  g_assert_null (place (fx, r, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED);
  g_clear_error (&error);

  g_assert_true (CALL_BOOL (fx, ea_broker_connect_async, ea_broker_connect_finish, &error, NULL));
  g_assert_cmpint (ea_broker_get_connection_state (fx->broker), ==, EA_CONNECTION_STATE_CONNECTED);
  g_assert_cmpuint (g_array_index (fx->states, guint, 1), ==, EA_CONNECTION_STATE_CONNECTING);
  g_assert_cmpuint (g_array_index (fx->states, guint, fx->states->len - 1), ==, EA_CONNECTION_STATE_CONNECTED);

  /* A cancelled request is reported as cancelled. */
  {
    g_autoptr(GCancellable) c = g_cancellable_new ();

    g_cancellable_cancel (c);
    g_assert_false (CALL_BOOL (fx, ea_broker_cancel_all_async, ea_broker_cancel_all_finish, &error,
                               fx->f->account, NULL, c));
    g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED);
    g_clear_error (&error);
  }
}

static void
test_quotes (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  EaTicks p = fx->f->base_price;
  const EaQuoteData *q;
  guint n;

  g_assert_true (CALL_BOOL (fx, ea_broker_subscribe_quotes_async, ea_broker_subscribe_quotes_finish,
                            &error, fx->f->symbol, NULL));
  quote (fx, p, p + 1, 7);
  g_assert_cmpuint (fx->quotes->len, >=, 1);
  q = g_ptr_array_index (fx->quotes, fx->quotes->len - 1);
  g_assert_cmpstr (q->symbol, ==, fx->f->symbol);
  g_assert_cmpint (q->bid, ==, p);
  g_assert_cmpint (q->ask, ==, p + 1);
  g_assert_cmpint (q->bid_size, ==, 7);

  trade (fx, p + 1, 3);
  q = g_ptr_array_index (fx->quotes, fx->quotes->len - 1);
  g_assert_cmpint (q->last, ==, p + 1);
  g_assert_cmpint (q->last_size, ==, 3);

  g_assert_true (CALL_BOOL (fx, ea_broker_unsubscribe_quotes_async, ea_broker_unsubscribe_quotes_finish,
                            &error, fx->f->symbol, NULL));
  n = fx->quotes->len;
  quote (fx, p - 1, p, 7);
  fx->f->advance (fx->broker, 10 * SEC, fx->f->user_data);
  g_assert_cmpuint (fx->quotes->len, ==, n);

  g_assert_false (CALL_BOOL (fx, ea_broker_subscribe_quotes_async, ea_broker_subscribe_quotes_finish,
                             &error, "NO SUCH SYMBOL", NULL));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND);
}

static void
test_market (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaOrderRequest) r = request (fx, EA_SIDE_BUY, EA_ORDER_TYPE_MARKET, 2);
  g_autoptr(EaSnapshotData) s = NULL;
  g_autofree char *id = NULL;
  EaTicks p = fx->f->base_price;
  const EaOrderData *o;

  quote (fx, p, p + 1, 10);
  id = place (fx, r, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);

  o = last_update (fx, id);
  g_assert_nonnull (o);
  g_assert_cmpstr (o->client_order_id, ==, r->client_order_id);
  g_assert_cmpint (o->state, ==, EA_ORDER_STATE_FILLED);
  g_assert_cmpint (o->filled_qty, ==, 2);
  g_assert_cmpint (filled_for (fx, id), ==, 2);
  g_assert_cmpint (((EaFillData *) fx->fills->pdata[0])->price, ==, p + 1);
  g_assert_cmpint (last_position (fx), ==, 2);

  s = snapshot (fx);
  g_assert_cmpint (snapshot_position (s, fx->f->symbol), ==, 2);
  for (guint i = 0; i < fx->fills->len; i++)
    g_assert_cmpuint (ea_snapshot_data_count_fill_id (s, ((EaFillData *) fx->fills->pdata[i])->fill_id), ==, 1);
  g_assert_cmpint (ea_snapshot_data_find_order_by_client_id (s, r->client_order_id)->state, ==,
                   EA_ORDER_STATE_FILLED);

  /* Garbage is refused without side effects. */
  r->qty = 0;
  g_free (r->client_order_id);
  r->client_order_id = g_strdup ("conf-bad");
  g_assert_null (place (fx, r, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT);
}

static void
test_limit (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaOrderRequest) r = request (fx, EA_SIDE_BUY, EA_ORDER_TYPE_LIMIT, 3);
  g_autofree char *id = NULL;
  EaTicks p = fx->f->base_price;

  quote (fx, p, p + 1, 10);
  r->limit_price = p - 4;
  id = place (fx, r, &error);
  g_assert_no_error (error);
  g_assert_cmpint (last_update (fx, id)->state, ==, EA_ORDER_STATE_WORKING);
  g_assert_cmpint (last_update (fx, id)->limit_price, ==, p - 4);

  g_assert_true (CALL_BOOL (fx, ea_broker_modify_order_async, ea_broker_modify_order_finish, &error,
                            id, 0, p - 2, 0, EA_ACTOR_USER, NULL));
  g_assert_cmpint (last_update (fx, id)->limit_price, ==, p - 2);
  g_assert_cmpint (last_update (fx, id)->state, ==, EA_ORDER_STATE_WORKING);

  quote (fx, p - 1, p, 10);
  g_assert_cmpuint (fx->fills->len, ==, 0);
  quote (fx, p - 3, p - 2, 10);
  g_assert_cmpint (last_update (fx, id)->state, ==, EA_ORDER_STATE_FILLED);
  g_assert_cmpint (filled_for (fx, id), ==, 3);
  g_assert_cmpint (((EaFillData *) fx->fills->pdata[0])->price, ==, p - 2);
  g_assert_cmpint (last_position (fx), ==, 3);

  /* A filled order can be neither modified nor cancelled. */
  g_assert_false (CALL_BOOL (fx, ea_broker_cancel_order_async, ea_broker_cancel_order_finish, &error,
                             id, NULL));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED);
}

static void
test_stop (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaOrderRequest) r = request (fx, EA_SIDE_SELL, EA_ORDER_TYPE_STOP, 1);
  g_autofree char *id = NULL;
  EaTicks p = fx->f->base_price;

  quote (fx, p, p + 1, 10);
  trade (fx, p, 1);
  r->stop_price = p - 5;
  id = place (fx, r, &error);
  g_assert_no_error (error);
  g_assert_cmpint (last_update (fx, id)->state, ==, EA_ORDER_STATE_WORKING);

  quote (fx, p - 6, p - 5, 10);
  g_assert_cmpint (filled_for (fx, id), ==, 0);
  trade (fx, p - 5, 1);
  g_assert_cmpint (last_update (fx, id)->state, ==, EA_ORDER_STATE_FILLED);
  g_assert_cmpint (((EaFillData *) fx->fills->pdata[0])->price, ==, p - 6);
  g_assert_cmpint (last_position (fx), ==, -1);
}

static void
test_stop_limit (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaOrderRequest) r = request (fx, EA_SIDE_BUY, EA_ORDER_TYPE_STOP_LIMIT, 2);
  g_autofree char *id = NULL;
  EaTicks p = fx->f->base_price;

  quote (fx, p, p + 1, 10);
  trade (fx, p, 1);
  r->stop_price = p + 4;
  r->limit_price = p + 5;
  id = place (fx, r, &error);
  g_assert_no_error (error);

  quote (fx, p + 6, p + 7, 10);
  trade (fx, p + 6, 1);
  g_assert_cmpint (filled_for (fx, id), ==, 0);
  g_assert_cmpint (last_update (fx, id)->state, ==, EA_ORDER_STATE_WORKING);
  quote (fx, p + 4, p + 5, 10);
  g_assert_cmpint (last_update (fx, id)->state, ==, EA_ORDER_STATE_FILLED);
  g_assert_cmpint (((EaFillData *) fx->fills->pdata[0])->price, ==, p + 5);
}

static void
test_cancel (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaOrderRequest) r = request (fx, EA_SIDE_SELL, EA_ORDER_TYPE_LIMIT, 1);
  g_autofree char *id = NULL;
  EaTicks p = fx->f->base_price;

  quote (fx, p, p + 1, 10);
  r->limit_price = p + 10;
  id = place (fx, r, &error);
  g_assert_no_error (error);
  g_assert_true (CALL_BOOL (fx, ea_broker_cancel_order_async, ea_broker_cancel_order_finish, &error,
                            id, NULL));
  g_assert_cmpint (last_update (fx, id)->state, ==, EA_ORDER_STATE_CANCELLED);
  quote (fx, p + 10, p + 11, 10);
  g_assert_cmpuint (fx->fills->len, ==, 0);

  g_assert_false (CALL_BOOL (fx, ea_broker_cancel_order_async, ea_broker_cancel_order_finish, &error,
                             "no-such-order", NULL));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND);
}

static void
test_bracket (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaOrderRequest) r = request (fx, EA_SIDE_BUY, EA_ORDER_TYPE_MARKET, 2);
  g_autoptr(EaSnapshotData) s = NULL;
  g_autofree char *sl_id = NULL;
  g_autofree char *tp_id = NULL;
  g_autofree char *id = NULL;
  EaTicks p = fx->f->base_price;
  const EaOrderData *sl, *tp;

  quote (fx, p, p + 1, 10);
  trade (fx, p, 1);
  r->has_stop_loss = TRUE;
  r->stop_loss_price = p - 8;
  r->has_take_profit = TRUE;
  r->take_profit_price = p + 12;
  sl_id = g_strconcat (r->client_order_id, "-SL", NULL);
  tp_id = g_strconcat (r->client_order_id, "-TP", NULL);
  id = place (fx, r, &error);
  g_assert_no_error (error);
  g_assert_cmpint (last_update (fx, id)->state, ==, EA_ORDER_STATE_FILLED);

  /* The entry filled: both children work, for the entry's quantity. */
  sl = last_update_by_client (fx, sl_id);
  tp = last_update_by_client (fx, tp_id);
  g_assert_nonnull (sl);
  g_assert_nonnull (tp);
  g_assert_cmpint (sl->state, ==, EA_ORDER_STATE_WORKING);
  g_assert_cmpint (tp->state, ==, EA_ORDER_STATE_WORKING);
  g_assert_cmpint (sl->qty, ==, 2);
  g_assert_cmpint (sl->side, ==, EA_SIDE_SELL);
  g_assert_cmpint (tp->limit_price, ==, p + 12);
  g_assert_cmpint (sl->stop_price, ==, p - 8);

  /* Target reached: it fills and the stop is cancelled. */
  quote (fx, p + 12, p + 13, 10);
  g_assert_cmpint (last_update_by_client (fx, tp_id)->state, ==, EA_ORDER_STATE_FILLED);
  g_assert_cmpint (last_update_by_client (fx, sl_id)->state, ==, EA_ORDER_STATE_CANCELLED);
  g_assert_cmpint (last_position (fx), ==, 0);

  /* A later trade through the old stop does nothing. */
  trade (fx, p - 9, 5);
  g_assert_cmpint (last_position (fx), ==, 0);

  s = snapshot (fx);
  g_assert_cmpint (snapshot_position (s, fx->f->symbol), ==, 0);
  g_assert_cmpint (ea_snapshot_data_find_order_by_client_id (s, sl_id)->state, ==, EA_ORDER_STATE_CANCELLED);
}

static void
test_cancel_all (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSnapshotData) s = NULL;
  EaTicks p = fx->f->base_price;
  guint live = 0;

  quote (fx, p, p + 1, 10);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(EaOrderRequest) r = request (fx, EA_SIDE_BUY, EA_ORDER_TYPE_LIMIT, 1);
      g_autofree char *id = NULL;

      r->limit_price = p - 5 - i;
      id = place (fx, r, &error);
      g_assert_no_error (error);
    }
  g_assert_true (CALL_BOOL (fx, ea_broker_cancel_all_async, ea_broker_cancel_all_finish, &error,
                            fx->f->account, NULL, NULL));
  s = snapshot (fx);
  for (guint i = 0; i < s->orders->len; i++)
    if (!ea_order_state_is_terminal (((EaOrderData *) s->orders->pdata[i])->state))
      live++;
  g_assert_cmpuint (live, ==, 0);
  g_assert_cmpuint (s->orders->len, ==, 3);
}

static void
test_flatten (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaOrderRequest) r = request (fx, EA_SIDE_SELL, EA_ORDER_TYPE_MARKET, 3);
  g_autoptr(EaOrderRequest) l = request (fx, EA_SIDE_SELL, EA_ORDER_TYPE_LIMIT, 1);
  g_autoptr(EaSnapshotData) s = NULL;
  g_autofree char *id = NULL;
  g_autofree char *lid = NULL;
  EaTicks p = fx->f->base_price;

  quote (fx, p, p + 1, 10);
  id = place (fx, r, &error);
  g_assert_no_error (error);
  l->limit_price = p + 20;
  lid = place (fx, l, &error);
  g_assert_no_error (error);
  g_assert_cmpint (last_position (fx), ==, -3);

  g_assert_true (CALL_BOOL (fx, ea_broker_flatten_async, ea_broker_flatten_finish, &error,
                            fx->f->account, fx->f->symbol, NULL));
  g_assert_cmpint (last_position (fx), ==, 0);
  g_assert_cmpint (last_update (fx, lid)->state, ==, EA_ORDER_STATE_CANCELLED);

  /* Everything, everywhere: a no-op when flat, and still succeeds. */
  g_assert_true (CALL_BOOL (fx, ea_broker_flatten_async, ea_broker_flatten_finish, &error,
                            NULL, NULL, NULL));
  s = snapshot (fx);
  g_assert_cmpint (snapshot_position (s, fx->f->symbol), ==, 0);
}

static void
test_reconnect (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaOrderRequest) r = request (fx, EA_SIDE_BUY, EA_ORDER_TYPE_LIMIT, 2);
  g_autoptr(EaSnapshotData) s = NULL;
  g_autofree char *id = NULL;
  EaTicks p = fx->f->base_price;
  const EaFillData *gap_fill = NULL;
  gboolean saw_reconciling = FALSE;
  guint fills_before;

  if (fx->f->drop_connection == NULL || fx->f->restore_connection == NULL)
    {
      g_test_skip ("no connection fault hooks");
      return;
    }

  quote (fx, p, p + 1, 10);
  r->limit_price = p - 3;
  id = place (fx, r, &error);
  g_assert_no_error (error);

  fx->f->drop_connection (fx->broker, fx->f->user_data);
  g_assert_cmpint (ea_broker_get_connection_state (fx->broker), ==, EA_CONNECTION_STATE_DISCONNECTED);
  fills_before = fx->fills->len;

  /* The market comes down to the resting order while we are away. */
  quote (fx, p - 4, p - 3, 10);
  fx->f->advance (fx->broker, 5 * SEC, fx->f->user_data);
  g_assert_cmpuint (fx->fills->len, ==, fills_before);

  fx->f->restore_connection (fx->broker, fx->f->user_data);
  g_assert_cmpint (ea_broker_get_connection_state (fx->broker), ==, EA_CONNECTION_STATE_CONNECTED);
  for (guint i = 0; i < fx->states->len; i++)
    if (g_array_index (fx->states, guint, i) == EA_CONNECTION_STATE_RECONCILING)
      saw_reconciling = TRUE;
  g_assert_true (saw_reconciling);

  s = snapshot (fx);
  for (guint i = 0; i < s->fills->len; i++)
    {
      const EaFillData *f = s->fills->pdata[i];

      if (g_strcmp0 (f->broker_order_id, id) == 0)
        {
          g_assert_null (gap_fill);
          gap_fill = f;
        }
    }
  g_assert_nonnull (gap_fill);
  g_assert_cmpstr (gap_fill->client_order_id, ==, r->client_order_id);
  g_assert_cmpint (gap_fill->qty, ==, 2);
  g_assert_cmpint (gap_fill->price, ==, p - 3);
  g_assert_cmpuint (ea_snapshot_data_count_fill_id (s, gap_fill->fill_id), ==, 1);
  g_assert_cmpint (ea_snapshot_data_find_order_by_client_id (s, r->client_order_id)->state, ==,
                   EA_ORDER_STATE_FILLED);
  g_assert_cmpint (snapshot_position (s, fx->f->symbol), ==, 2);

  /* A second snapshot reports the same fill once, with the same id. */
  {
    g_autoptr(EaSnapshotData) s2 = snapshot (fx);

    g_assert_cmpuint (s2->fills->len, ==, s->fills->len);
    g_assert_cmpuint (ea_snapshot_data_count_fill_id (s2, gap_fill->fill_id), ==, 1);
  }
}

static void
test_unknown_outcome (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaOrderRequest) r = request (fx, EA_SIDE_BUY, EA_ORDER_TYPE_LIMIT, 1);
  g_autoptr(EaSnapshotData) s = NULL;
  const EaOrderData *o;
  guint matches = 0;
  EaTicks p = fx->f->base_price;

  if (fx->f->lose_next_place_reply == NULL)
    {
      g_test_skip ("no lost-reply fault hook");
      return;
    }

  quote (fx, p, p + 1, 10);
  r->limit_price = p - 6;
  fx->f->lose_next_place_reply (fx->broker, fx->f->user_data);
  g_assert_null (place (fx, r, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME);

  /* Reconciliation finds the order, once, under the desk's id. */
  s = snapshot (fx);
  for (guint i = 0; i < s->orders->len; i++)
    if (g_strcmp0 (((EaOrderData *) s->orders->pdata[i])->client_order_id, r->client_order_id) == 0)
      matches++;
  g_assert_cmpuint (matches, ==, 1);
  o = ea_snapshot_data_find_order_by_client_id (s, r->client_order_id);
  g_assert_cmpint (o->state, ==, EA_ORDER_STATE_WORKING);
  g_assert_nonnull (o->broker_order_id);

  /* Once settled, it is an ordinary order: it can be cancelled. */
  g_assert_true (CALL_BOOL (fx, ea_broker_cancel_order_async, ea_broker_cancel_order_finish, &error,
                            o->broker_order_id, NULL));
  g_assert_cmpint (last_update (fx, o->broker_order_id)->state, ==, EA_ORDER_STATE_CANCELLED);
}

static void
test_rate_limited (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaOrderRequest) r = request (fx, EA_SIDE_BUY, EA_ORDER_TYPE_LIMIT, 1);
  g_autoptr(EaSnapshotData) s = NULL;
  g_autofree char *id = NULL;
  EaTicks p = fx->f->base_price;

  if (fx->f->rate_limit_next == NULL)
    {
      g_test_skip ("no rate-limit fault hook");
      return;
    }

  quote (fx, p, p + 1, 10);
  r->limit_price = p - 6;
  fx->f->rate_limit_next (fx->broker, fx->f->user_data);
  g_assert_null (place (fx, r, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED);
  g_assert_cmpint (ea_broker_error_get_retry_after_ms (error), >, 0);
  g_clear_error (&error);

  /* Refused means not placed: the retry places exactly one order. */
  s = snapshot (fx);
  g_assert_null (ea_snapshot_data_find_order_by_client_id (s, r->client_order_id));
  id = place (fx, r, &error);
  g_assert_no_error (error);
  g_assert_cmpint (last_update (fx, id)->state, ==, EA_ORDER_STATE_WORKING);
}

void
ea_broker_conformance_add_tests (const EaBrokerConformanceFactory *factory)
{
  static const struct
  {
    const char *name;
    void (*func) (Fixture *, gconstpointer);
  } cases[] = {
    { "connect", test_connect },
    { "quotes", test_quotes },
    { "market", test_market },
    { "limit", test_limit },
    { "stop", test_stop },
    { "stop-limit", test_stop_limit },
    { "cancel", test_cancel },
    { "bracket", test_bracket },
    { "cancel-all", test_cancel_all },
    { "flatten", test_flatten },
    { "reconnect", test_reconnect },
    { "unknown-outcome", test_unknown_outcome },
    { "rate-limited", test_rate_limited },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/conformance/%s", factory->prefix, cases[i].name);

      g_test_add (path, Fixture, factory, fixture_setup, cases[i].func, fixture_teardown);
    }
}
