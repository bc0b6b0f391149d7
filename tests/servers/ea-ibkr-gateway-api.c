/* ea-ibkr-gateway-api.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local gateway's controls for tests and the standalone program:
 * accounts, the market, session events, pacing, faults and counters.
 */
#define G_LOG_DOMAIN "ea-ibkr-gateway"

#include "config.h"

#include "ea-ibkr-gateway-private.h"

const char *
ea_ibkr_gateway_get_url (EaIbkrGateway *self)
{
  return self->url;
}

const char *
ea_ibkr_gateway_get_fingerprint (EaIbkrGateway *self)
{
  return self->fingerprint;
}

gboolean
ea_ibkr_gateway_add_account (EaIbkrGateway *self,
                             const char    *name,
                             EaMicros       size)
{
  if (!ea_sim_exchange_add_account (self->ex, name, size, "IBKR paper", NULL))
    return FALSE;
  g_ptr_array_add (self->accounts, g_strdup (name));
  if (self->selected == NULL)
    self->selected = g_strdup (name);
  return TRUE;
}

gint64
ea_ibkr_gateway_get_conid (EaIbkrGateway *self,
                           const char    *root)
{
  GwContract *c = _ea_gw_contract_front (self, root);

  return c ? c->conid : 0;
}

gboolean
ea_ibkr_gateway_set_quote (EaIbkrGateway *self,
                           const char    *root,
                           EaTicks        bid,
                           EaTicks        ask,
                           gint64         bid_size,
                           gint64         ask_size)
{
  return ea_sim_exchange_push_quote (self->ex, root, bid, ask, bid_size, ask_size, NULL);
}

gboolean
ea_ibkr_gateway_trade (EaIbkrGateway *self,
                       const char    *root,
                       EaTicks        price,
                       gint64         size)
{
  return ea_sim_exchange_push_trade (self->ex, root, price, size, NULL);
}

void
ea_ibkr_gateway_advance (EaIbkrGateway *self,
                         EaTimeUs       usec)
{
  ea_sim_exchange_advance (self->ex, usec);
}

void
ea_ibkr_gateway_set_questions (EaIbkrGateway      *self,
                               const char *const  *message_ids)
{
  g_ptr_array_set_size (self->questions, 0);
  for (guint i = 0; message_ids && message_ids[i]; i++)
    g_ptr_array_add (self->questions, g_strdup (message_ids[i]));
}

void
ea_ibkr_gateway_set_competing (EaIbkrGateway *self,
                               gboolean       competing)
{
  self->competing = competing;
  _ea_gw_ws_send_sts (self);
}

void
ea_ibkr_gateway_expire_session (EaIbkrGateway *self)
{
  self->logged_in = FALSE;
  self->authenticated = FALSE;
  _ea_gw_ws_send_sts (self);
}

void
ea_ibkr_gateway_browser_login (EaIbkrGateway *self)
{
  self->logged_in = TRUE;
  _ea_gw_new_session (self);
  _ea_gw_ws_send_sts (self);
}

void
ea_ibkr_gateway_set_pacing (EaIbkrGateway *self,
                            guint          global,
                            guint          window_ms,
                            guint          slow_window_ms,
                            guint          penalty_ms)
{
  self->pace_global = global;
  self->pace_window = (gint64) window_ms * 1000;
  self->pace_slow_window = (gint64) slow_window_ms * 1000;
  self->pace_penalty = (gint64) penalty_ms * 1000;
  self->penalty_until = 0;
  g_array_set_size (self->recent, 0);
  g_hash_table_remove_all (self->slow_last);
}

void
ea_ibkr_gateway_set_down (EaIbkrGateway *self,
                          gboolean       down)
{
  self->down = down;
  if (down)
    _ea_gw_ws_close_all (self);
}

void
ea_ibkr_gateway_inject (EaIbkrGateway *self,
                        EaIbkrFault    fault,
                        guint          count)
{
  switch (fault)
    {
    case EA_IBKR_FAULT_SERVER_ERROR:
      self->fault_server_error = count;
      break;
    case EA_IBKR_FAULT_MALFORMED_BODY:
      self->fault_malformed = count;
      break;
    case EA_IBKR_FAULT_LOSE_PLACE_REPLY:
      self->fault_lose_place = count;
      break;
    case EA_IBKR_FAULT_MALFORMED_FRAME:
      _ea_gw_ws_garbage (self, count);
      break;
    case EA_IBKR_FAULT_RATE_LIMIT:
      self->fault_rate_limit = count;
      break;
    default:
      break;
    }
}

guint
ea_ibkr_gateway_count_requests (EaIbkrGateway *self,
                                const char    *path_prefix)
{
  GHashTableIter it;
  gpointer k, v;
  guint n = 0;

  g_hash_table_iter_init (&it, self->request_counts);
  while (g_hash_table_iter_next (&it, &k, &v))
    if (g_str_has_prefix (k, path_prefix))
      n += GPOINTER_TO_UINT (v);
  return n;
}

GStrv
ea_ibkr_gateway_dup_request_log (EaIbkrGateway *self)
{
  GStrv log = g_new0 (char *, self->request_log->len + 1);

  for (guint i = 0; i < self->request_log->len; i++)
    log[i] = g_strdup (self->request_log->pdata[i]);
  return log;
}

guint
ea_ibkr_gateway_count_429 (EaIbkrGateway *self)
{
  return self->n_429;
}

guint
ea_ibkr_gateway_count_questions (EaIbkrGateway *self)
{
  return self->n_questions;
}

guint
ea_ibkr_gateway_count_smd_subscriptions (EaIbkrGateway *self,
                                         gint64         conid)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->smd_counts, &conid));
}

guint
ea_ibkr_gateway_count_ws_clients (EaIbkrGateway *self)
{
  return g_list_length (self->clients);
}

gboolean
ea_ibkr_gateway_is_suppressed (EaIbkrGateway *self,
                               const char    *message_id)
{
  return g_hash_table_contains (self->suppressed, message_id);
}

guint
ea_ibkr_gateway_count_working (EaIbkrGateway *self,
                               const char    *account)
{
  g_autoptr(EaSnapshotData) s = ea_sim_exchange_snapshot (self->ex, account);
  guint n = 0;

  for (guint i = 0; i < s->orders->len; i++)
    if (ea_order_state_is_live (((EaOrderData *) s->orders->pdata[i])->state))
      n++;
  return n;
}

gint64
ea_ibkr_gateway_get_position (EaIbkrGateway *self,
                              const char    *account,
                              const char    *root)
{
  g_autoptr(EaSnapshotData) s = ea_sim_exchange_snapshot (self->ex, account);

  for (guint i = 0; i < s->positions->len; i++)
    {
      const EaPositionData *p = s->positions->pdata[i];

      if (g_strcmp0 (p->symbol, root) == 0)
        return p->qty;
    }
  return 0;
}

JsonNode *
ea_ibkr_gateway_get_last_order_body (EaIbkrGateway *self)
{
  return self->last_order_body;
}

EaAccountData *
ea_ibkr_gateway_get_account (EaIbkrGateway *self,
                             const char    *account)
{
  g_autoptr(EaSnapshotData) s = ea_sim_exchange_snapshot (self->ex, account);

  return s->accounts->len > 0 ? ea_account_data_copy (s->accounts->pdata[0]) : NULL;
}

/* portfolio/{acct}/ledger: one row per currency and the BASE row, the
 * members lower-case as the gateway spells them. */
JsonNode *
_ea_gw_ledger (EaIbkrGateway *self,
               const char    *account)
{
  g_autoptr(EaAccountData) a = ea_ibkr_gateway_get_account (self, account);
  JsonObject *root = json_object_new ();
  const char *const keys[] = { "USD", "BASE" };

  for (guint i = 0; a != NULL && i < G_N_ELEMENTS (keys); i++)
    {
      JsonObject *row = json_object_new ();

      json_object_set_string_member (row, "acctcode", account);
      json_object_set_string_member (row, "currency", keys[i]);
      json_object_set_string_member (row, "secondkey", keys[i]);
      json_object_set_string_member (row, "key", "LedgerList");
      json_object_set_double_member (row, "cashbalance", (double) a->balance / EA_MICROS_PER_UNIT);
      json_object_set_double_member (row, "settledcash", (double) a->balance / EA_MICROS_PER_UNIT);
      json_object_set_double_member (row, "netliquidationvalue", (double) a->equity / EA_MICROS_PER_UNIT);
      json_object_set_double_member (row, "realizedpnl", (double) a->realized_pnl / EA_MICROS_PER_UNIT);
      json_object_set_double_member (row, "unrealizedpnl", (double) a->open_pnl / EA_MICROS_PER_UNIT);
      json_object_set_double_member (row, "futuremarketvalue", 0);
      json_object_set_double_member (row, "exchangerate", 1);
      json_object_set_int_member (row, "timestamp", g_get_real_time () / G_USEC_PER_SEC);
      json_object_set_object_member (root, keys[i], row);
    }
  return _ea_gw_object_node (root);
}
