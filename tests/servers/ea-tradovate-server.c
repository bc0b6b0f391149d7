/* ea-tradovate-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The state (users, sessions, accounts, contracts, orders, fills,
 * positions) lives here; ea-tradovate-server-orders.c executes orders and
 * ea-tradovate-server-json.c turns entities into Tradovate's JSON.
 */
#define G_LOG_DOMAIN "ea-tradovate-server"

#include "config.h"

#include <string.h>

#include "ea-tradovate-proto.h"
#include "ea-tradovate-server-private.h"

G_DEFINE_FINAL_TYPE (EaTradovateServer, ea_tradovate_server, G_TYPE_OBJECT)

#define MAX_SESSIONS_PER_USER 2

static void
tv_order_free (TvOrder *order)
{
  g_free (order->action);
  g_free (order->order_type);
  g_free (order->status);
  g_free (order->cl_ord_id);
  g_free (order->text);
  g_free (order);
}

static void
tv_session_free (TvSession *session)
{
  g_free (session->previous_token);
  g_free (session->access_token);
  g_free (session->md_token);
  g_free (session);
}

static void
tv_conn_free (TvConn *conn)
{
  g_clear_handle_id (&conn->heartbeat_source, g_source_remove);
  if (conn->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (conn->ws, conn);
      if (soup_websocket_connection_get_state (conn->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (conn->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&conn->ws);
    }
  g_clear_pointer (&conn->quote_subs, g_hash_table_unref);
  g_clear_pointer (&conn->charts, g_hash_table_unref);
  g_free (conn);
}

gint64
_tv_next_id (EaTradovateServer *self)
{
  return ++self->next_id;
}

gint64
_tv_now_us (EaTradovateServer *self)
{
  return g_get_real_time ();
}

TvContract *
_tv_find_contract (EaTradovateServer *self,
                   gint64             id,
                   const char        *name)
{
  for (guint i = 0; i < self->contracts->len; i++)
    {
      TvContract *c = g_ptr_array_index (self->contracts, i);

      if ((name != NULL && g_ascii_strcasecmp (c->name, name) == 0) || (name == NULL && c->id == id))
        return c;
    }

  return NULL;
}

TvAccount *
_tv_find_account (EaTradovateServer *self,
                  gint64             id,
                  const char        *name)
{
  for (guint i = 0; i < self->accounts->len; i++)
    {
      TvAccount *a = g_ptr_array_index (self->accounts, i);

      if ((name != NULL && g_strcmp0 (a->name, name) == 0) || (name == NULL && a->id == id))
        return a;
    }

  return NULL;
}

TvOrder *
_tv_find_order (EaTradovateServer *self,
                gint64             id)
{
  return g_hash_table_lookup (self->orders_by_id, &id);
}

TvPosition *
_tv_get_position (EaTradovateServer *self,
                  gint64             account_id,
                  gint64             contract_id,
                  gboolean           create)
{
  TvPosition *p;

  for (guint i = 0; i < self->positions->len; i++)
    {
      p = g_ptr_array_index (self->positions, i);
      if (p->account_id == account_id && p->contract_id == contract_id)
        return p;
    }

  if (!create)
    return NULL;

  p = g_new0 (TvPosition, 1);
  p->id = _tv_next_id (self);
  p->account_id = account_id;
  p->contract_id = contract_id;
  g_ptr_array_add (self->positions, p);

  return p;
}

/* Sessions ------------------------------------------------------------- */

static char *
random_token (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < 32; i++)
    g_string_append_printf (s, "%02x", g_random_int_range (0, 256));

  return g_string_free (s, FALSE);
}

TvSession *
_tv_session_for_token (EaTradovateServer *self,
                       const char        *token,
                       gboolean           md_allowed)
{
  gint64 now = _tv_now_us (self);

  if (token == NULL || *token == '\0')
    return NULL;

  for (guint i = 0; i < self->sessions->len; i++)
    {
      TvSession *s = g_ptr_array_index (self->sessions, i);

      if (s->expires_us <= now)
        continue;
      if (g_strcmp0 (s->access_token, token) == 0 ||
          g_strcmp0 (s->previous_token, token) == 0 ||
          (md_allowed && g_strcmp0 (s->md_token, token) == 0))
        return s;
    }

  return NULL;
}

TvSession *
_tv_open_session (EaTradovateServer *self,
                  TvUser            *user)
{
  TvSession *session = g_new0 (TvSession, 1);
  guint count = 0;

  /* A third session closes the oldest one of the user. */
  for (guint i = 0; i < self->sessions->len; i++)
    if (((TvSession *) g_ptr_array_index (self->sessions, i))->user_id == user->id)
      count++;
  for (guint i = 0; count >= MAX_SESSIONS_PER_USER && i < self->sessions->len; )
    {
      TvSession *s = g_ptr_array_index (self->sessions, i);

      if (s->user_id == user->id)
        {
          g_ptr_array_remove_index (self->sessions, i);
          count--;
          continue;
        }
      i++;
    }

  session->user_id = user->id;
  session->access_token = random_token ();
  session->md_token = random_token ();
  session->expires_us = _tv_now_us (self) + (gint64) self->token_lifetime_s * G_USEC_PER_SEC;
  g_ptr_array_add (self->sessions, session);
  self->sessions_opened++;

  return session;
}

void
_tv_renew_session (EaTradovateServer *self,
                   TvSession         *session)
{
  g_free (session->previous_token);
  session->previous_token = session->access_token;
  session->access_token = random_token ();
  session->expires_us = _tv_now_us (self) + (gint64) self->token_lifetime_s * G_USEC_PER_SEC;
  self->renewals++;
}

TvUser *
_tv_find_user (EaTradovateServer *self,
               gint64             id,
               const char        *name)
{
  for (guint i = 0; i < self->users->len; i++)
    {
      TvUser *u = g_ptr_array_index (self->users, i);

      if ((name != NULL && g_strcmp0 (u->name, name) == 0) || (name == NULL && u->id == id))
        return u;
    }

  return NULL;
}

/* Fault bookkeeping ------------------------------------------------------ */

gboolean
_tv_take_fault (EaTradovateServer *self,
                EaTvFault          fault,
                guint             *param)
{
  if (self->faults[fault].count == 0)
    return FALSE;

  self->faults[fault].count--;
  if (param != NULL)
    *param = self->faults[fault].param;

  return TRUE;
}

/* Object ---------------------------------------------------------------- */

static void
ea_tradovate_server_dispose (GObject *object)
{
  EaTradovateServer *self = EA_TRADOVATE_SERVER (object);

  g_clear_handle_id (&self->watchdog_source, g_source_remove);

  /* Answer held requests so no client waits on a server that is gone. */
  while (self->held->len > 0)
    {
      SoupServerMessage *msg = g_ptr_array_steal_index (self->held, 0);

      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      soup_server_message_unpause (msg);
      g_object_unref (msg);
    }

  if (self->conns != NULL)
    g_ptr_array_set_size (self->conns, 0);

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }

  G_OBJECT_CLASS (ea_tradovate_server_parent_class)->dispose (object);
}

static void
ea_tradovate_server_finalize (GObject *object)
{
  EaTradovateServer *self = EA_TRADOVATE_SERVER (object);

  g_clear_pointer (&self->conns, g_ptr_array_unref);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->contracts, g_ptr_array_unref);
  g_clear_pointer (&self->orders_by_id, g_hash_table_unref);
  g_clear_pointer (&self->orders, g_ptr_array_unref);
  g_clear_pointer (&self->fills, g_ptr_array_unref);
  g_clear_pointer (&self->positions, g_ptr_array_unref);
  g_clear_pointer (&self->penalty_tickets, g_hash_table_unref);
  g_clear_pointer (&self->last_order_request, json_node_unref);
  g_clear_pointer (&self->last_modify_request, json_node_unref);
  g_clear_pointer (&self->last_chart_request, json_node_unref);
  g_clear_pointer (&self->request_times, g_array_unref);
  g_clear_pointer (&self->request_counts, g_hash_table_unref);
  g_clear_pointer (&self->rest_url, g_free);
  g_clear_pointer (&self->ws_url, g_free);
  g_clear_pointer (&self->md_url, g_free);

  G_OBJECT_CLASS (ea_tradovate_server_parent_class)->finalize (object);
}

static void
ea_tradovate_server_class_init (EaTradovateServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ea_tradovate_server_dispose;
  object_class->finalize = ea_tradovate_server_finalize;
}

static void
tv_user_free (TvUser *user)
{
  g_free (user->name);
  g_free (user->password);
  g_free (user);
}

static void
tv_account_free (TvAccount *account)
{
  g_free (account->name);
  g_free (account->admin_action);
  g_free (account);
}

static void
tv_contract_free (TvContract *contract)
{
  g_free (contract->name);
  g_free (contract);
}

static void
ea_tradovate_server_init (EaTradovateServer *self)
{
  self->users = g_ptr_array_new_with_free_func ((GDestroyNotify) tv_user_free);
  self->sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) tv_session_free);
  self->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) tv_account_free);
  self->contracts = g_ptr_array_new_with_free_func ((GDestroyNotify) tv_contract_free);
  self->orders = g_ptr_array_new_with_free_func ((GDestroyNotify) tv_order_free);
  self->orders_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->fills = g_ptr_array_new_with_free_func (g_free);
  self->positions = g_ptr_array_new_with_free_func (g_free);
  self->conns = g_ptr_array_new_with_free_func ((GDestroyNotify) tv_conn_free);
  self->held = g_ptr_array_new ();
  self->penalty_tickets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->token_lifetime_s = 80 * 60;
  self->heartbeat_timeout_ms = 10000;
  self->next_id = 1000;
}

EaTradovateServer *
ea_tradovate_server_new (GError **error)
{
  g_autoptr(EaTradovateServer) self = g_object_new (EA_TYPE_TRADOVATE_SERVER, NULL);
  g_autoslist(GUri) uris = NULL;

  self->server = soup_server_new ("server-header", "tradovate-local", NULL);
  _tv_install_handlers (self);

  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return NULL;

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->port = (guint) g_uri_get_port (uris->data);
  self->rest_url = g_strdup_printf ("http://127.0.0.1:%u/v1", self->port);
  self->ws_url = g_strdup_printf ("ws://127.0.0.1:%u/v1/websocket", self->port);
  self->md_url = g_strdup_printf ("ws://127.0.0.1:%u/md/v1/websocket", self->port);

  return g_steal_pointer (&self);
}

const char *
ea_tradovate_server_get_rest_url (EaTradovateServer *self)
{
  return self->rest_url;
}

const char *
ea_tradovate_server_get_ws_url (EaTradovateServer *self)
{
  return self->ws_url;
}

const char *
ea_tradovate_server_get_md_url (EaTradovateServer *self)
{
  return self->md_url;
}

guint
ea_tradovate_server_get_port (EaTradovateServer *self)
{
  return self->port;
}

gint64
ea_tradovate_server_add_user (EaTradovateServer *self,
                              const char        *name,
                              const char        *password)
{
  TvUser *user = g_new0 (TvUser, 1);

  user->id = _tv_next_id (self);
  user->name = g_strdup (name);
  user->password = g_strdup (password);
  g_ptr_array_add (self->users, user);

  return user->id;
}

gint64
ea_tradovate_server_add_account (EaTradovateServer *self,
                                 gint64             user_id,
                                 const char        *name,
                                 EaMicros           balance)
{
  TvAccount *account = g_new0 (TvAccount, 1);

  g_return_val_if_fail (_tv_find_user (self, user_id, NULL) != NULL, 0);

  account->id = _tv_next_id (self);
  account->user_id = user_id;
  account->name = g_strdup (name);
  account->balance = balance;
  account->cash_balance_id = _tv_next_id (self);
  g_ptr_array_add (self->accounts, account);

  return account->id;
}

gint64
ea_tradovate_server_add_contract (EaTradovateServer *self,
                                  const char        *name,
                                  const char        *root)
{
  const EaInstrumentSpec *spec = ea_instrument_lookup (root);
  TvContract *contract;

  g_return_val_if_fail (spec != NULL, 0);

  contract = g_new0 (TvContract, 1);
  contract->id = _tv_next_id (self);
  contract->name = g_strdup (name);
  contract->spec = spec;
  contract->maturity_id = _tv_next_id (self);
  contract->product_id = _tv_next_id (self);
  g_ptr_array_add (self->contracts, contract);

  return contract->id;
}

static void
market_changed (EaTradovateServer *self,
                TvContract        *contract)
{
  contract->has_quote = TRUE;
  contract->quote_time_us = _tv_now_us (self);
  _tv_broadcast_quote (self, contract);
  _tv_match_contract (self, contract);
}

/**
 * ea_tradovate_server_set_quote:
 *
 * Moves the market of @name: subscribers get an `md` event, and resting
 * orders that the new prices reach are executed.
 */
gboolean
ea_tradovate_server_set_quote (EaTradovateServer *self,
                               const char        *name,
                               EaTicks            bid,
                               EaTicks            ask,
                               EaTicks            last,
                               gint64             size)
{
  TvContract *contract = _tv_find_contract (self, 0, name);

  g_return_val_if_fail (contract != NULL, FALSE);
  g_return_val_if_fail (bid <= ask, FALSE);

  contract->bid = bid;
  contract->ask = ask;
  contract->last = last;
  contract->bid_size = MAX (size, 1);
  contract->ask_size = MAX (size, 1);
  contract->last_size = MAX (size, 0);
  contract->volume += MAX (size, 0);
  market_changed (self, contract);
  /* A quote with a last trade of some size is a print: live charts too. */
  if (last > 0 && size > 0)
    _tv_chart_trade (self, contract, last, size);

  return TRUE;
}

/**
 * ea_tradovate_server_set_book:
 *
 * Moves the top of the book of @name; the last trade stays.
 */
gboolean
ea_tradovate_server_set_book (EaTradovateServer *self,
                              const char        *name,
                              EaTicks            bid,
                              EaTicks            ask,
                              gint64             bid_size,
                              gint64             ask_size)
{
  TvContract *contract = _tv_find_contract (self, 0, name);

  g_return_val_if_fail (contract != NULL, FALSE);
  g_return_val_if_fail (bid <= ask, FALSE);

  contract->bid = bid;
  contract->ask = ask;
  contract->bid_size = MAX (bid_size, 0);
  contract->ask_size = MAX (ask_size, 0);
  if (!contract->has_quote)
    contract->last = bid;
  contract->last_size = 0;
  market_changed (self, contract);

  return TRUE;
}

/**
 * ea_tradovate_server_trade:
 *
 * A trade of @size at @price: stops reached by it trigger.
 */
gboolean
ea_tradovate_server_trade (EaTradovateServer *self,
                           const char        *name,
                           EaTicks            price,
                           gint64             size)
{
  TvContract *contract = _tv_find_contract (self, 0, name);

  g_return_val_if_fail (contract != NULL, FALSE);

  if (!contract->has_quote)
    contract->bid = contract->ask = price;
  contract->last = price;
  contract->last_size = MAX (size, 0);
  contract->volume += MAX (size, 0);
  market_changed (self, contract);
  if (size > 0)
    _tv_chart_trade (self, contract, price, size);

  return TRUE;
}

/**
 * ea_tradovate_server_set_accepting:
 *
 * While not accepting, REST answers 503 and WebSocket upgrades are
 * refused: the network is "down".
 */
void
ea_tradovate_server_set_accepting (EaTradovateServer *self,
                                   gboolean           accepting)
{
  self->refusing = !accepting;
}

void
ea_tradovate_server_inject (EaTradovateServer *self,
                            EaTvFault          fault,
                            guint              count,
                            guint              param)
{
  g_return_if_fail (EA_IS_TRADOVATE_SERVER (self));
  g_return_if_fail ((guint) fault < G_N_ELEMENTS (self->faults));

  switch (fault)
    {
    case EA_TV_FAULT_MALFORMED_FRAME:
      for (guint n = 0; n < count; n++)
        _tv_broadcast_raw (self, n % 2 ? "a[{\"e\":\"props\",\"d\":" : "zzz not a frame");
      return;

    case EA_TV_FAULT_SILENT_HEARTBEAT:
      self->silent_heartbeat = count > 0;
      return;

    case EA_TV_FAULT_PENALTY:
    case EA_TV_FAULT_PENALTY_CAPTCHA:
    case EA_TV_FAULT_RATE_LIMIT:
    case EA_TV_FAULT_SERVER_ERROR:
    case EA_TV_FAULT_SLOW_RESPONSE:
    case EA_TV_FAULT_DROP_AFTER_ORDER:
    case EA_TV_FAULT_CHART_MALFORMED:
    case EA_TV_FAULT_CHART_NO_EOH:
    case EA_TV_FAULT_CHART_BEFORE_REPLY:
    case EA_TV_FAULT_WS_PENALTY:
    case EA_TV_FAULT_WS_PENALTY_CAPTCHA:
    case EA_TV_FAULT_WS_RATE_LIMIT:
    case EA_TV_FAULT_WS_SLOW_REPLY:
    case EA_TV_FAULT_CHART_LIVE_MALFORMED:
    default:
      self->faults[fault].count = count;
      self->faults[fault].param = param;
      return;
    }
}

void
ea_tradovate_server_set_token_lifetime (EaTradovateServer *self,
                                        guint              seconds)
{
  self->token_lifetime_s = MAX (seconds, 1);
}

void
ea_tradovate_server_expire_tokens (EaTradovateServer *self)
{
  for (guint i = 0; i < self->sessions->len; i++)
    ((TvSession *) g_ptr_array_index (self->sessions, i))->expires_us = 0;
}

void
ea_tradovate_server_drop_connections (EaTradovateServer *self)
{
  g_ptr_array_set_size (self->conns, 0);
}

void
ea_tradovate_server_set_heartbeat_timeout (EaTradovateServer *self,
                                           guint              ms)
{
  self->heartbeat_timeout_ms = MAX (ms, 100);
}

gboolean
ea_tradovate_server_set_admin_action (EaTradovateServer *self,
                                      gint64             account_id,
                                      const char        *admin_action)
{
  TvAccount *account = _tv_find_account (self, account_id, NULL);

  g_return_val_if_fail (account != NULL, FALSE);

  g_free (account->admin_action);
  account->admin_action = g_strdup (admin_action);
  _tv_publish_risk_status (self, account);

  return TRUE;
}

guint
ea_tradovate_server_get_auth_requests (EaTradovateServer *self)
{
  return self->auth_requests;
}

guint
ea_tradovate_server_get_renewals (EaTradovateServer *self)
{
  return self->renewals;
}

guint
ea_tradovate_server_get_open_sessions (EaTradovateServer *self)
{
  return self->sessions_opened;
}

guint
ea_tradovate_server_get_connections (EaTradovateServer *self)
{
  guint n = 0;

  for (guint i = 0; i < self->conns->len; i++)
    {
      TvConn *conn = g_ptr_array_index (self->conns, i);

      if (conn->ws != NULL && soup_websocket_connection_get_state (conn->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        n++;
    }

  return n;
}

guint
ea_tradovate_server_count_orders (EaTradovateServer *self,
                                  gint64             account_id,
                                  const char        *status)
{
  guint n = 0;

  for (guint i = 0; i < self->orders->len; i++)
    {
      TvOrder *o = g_ptr_array_index (self->orders, i);

      if ((account_id == 0 || o->account_id == account_id) &&
          (status == NULL || g_strcmp0 (o->status, status) == 0))
        n++;
    }

  return n;
}

gint64
ea_tradovate_server_get_net_position (EaTradovateServer *self,
                                      gint64             account_id,
                                      gint64             contract_id)
{
  TvPosition *p = _tv_get_position (self, account_id, contract_id, FALSE);

  return p ? p->net_pos : 0;
}

guint
ea_tradovate_server_count_fills (EaTradovateServer *self,
                                 gint64             account_id)
{
  guint n = 0;

  for (guint i = 0; i < self->fills->len; i++)
    {
      TvFill *f = g_ptr_array_index (self->fills, i);

      if (account_id == 0 || f->account_id == account_id)
        n++;
    }

  return n;
}

/**
 * ea_tradovate_server_get_last_order_request:
 *
 * Returns: (transfer none) (nullable): the body of the last order
 *   placement, as received.
 */
JsonNode *
ea_tradovate_server_get_last_order_request (EaTradovateServer *self)
{
  return self->last_order_request;
}

/**
 * ea_tradovate_server_get_last_modify_request:
 *
 * Returns: (transfer none) (nullable): the body of the last
 *   order/modifyorder, as received.
 */
JsonNode *
ea_tradovate_server_get_last_modify_request (EaTradovateServer *self)
{
  return self->last_modify_request;
}

guint
ea_tradovate_server_get_late_replies (EaTradovateServer *self)
{
  return self->late_replies;
}

guint
ea_tradovate_server_get_withheld_replies (EaTradovateServer *self)
{
  return self->withheld_replies;
}

void
_tv_conn_list_remove (EaTradovateServer *self,
                      TvConn            *conn)
{
  g_ptr_array_remove (self->conns, conn);
}

void
_tv_conn_list_add (EaTradovateServer *self,
                   TvConn            *conn)
{
  g_ptr_array_add (self->conns, conn);
}

void
_tv_free_conn (TvConn *conn)
{
  tv_conn_free (conn);
}

void
_tv_free_order (TvOrder *order)
{
  tv_order_free (order);
}

void
ea_tradovate_server_set_product_tick_size (EaTradovateServer *self,
                                           const char        *symbol,
                                           double             tick_size)
{
  TvContract *contract;

  g_return_if_fail (EA_IS_TRADOVATE_SERVER (self));

  contract = _tv_find_contract (self, 0, symbol);
  g_return_if_fail (contract != NULL);
  contract->product_tick_size = tick_size;
}

void
ea_tradovate_server_broadcast_raw (EaTradovateServer *self,
                                   const char        *text)
{
  g_return_if_fail (EA_IS_TRADOVATE_SERVER (self));
  g_return_if_fail (text != NULL);

  _tv_broadcast_raw (self, text);
}
