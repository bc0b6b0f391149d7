/* ea-trading-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-trading-store"

#include "config.h"

#include "ea-trading-store.h"

struct _EaTradingStore
{
  GObject     parent_instance;

  GListStore *accounts;
  GListStore *positions;
  GListStore *orders;
  GListStore *fills;
  GListStore *quotes;
  GListStore *signals;
  GListStore *alerts;
  GListStore *erm_events;

  GHashTable *account_by_name;     /* name -> EaAccount */
  GHashTable *position_by_key;     /* "account\x1fsymbol" -> EaPosition */
  GHashTable *order_by_id;         /* broker order id -> EaOrder */
  GHashTable *fill_ids;            /* fill id set */
  GHashTable *quote_by_symbol;     /* symbol -> EaQuote */
};

G_DEFINE_FINAL_TYPE (EaTradingStore, ea_trading_store, G_TYPE_OBJECT)

static void
ea_trading_store_finalize (GObject *object)
{
  EaTradingStore *self = (EaTradingStore *)object;

  g_clear_pointer (&self->account_by_name, g_hash_table_unref);
  g_clear_pointer (&self->position_by_key, g_hash_table_unref);
  g_clear_pointer (&self->order_by_id, g_hash_table_unref);
  g_clear_pointer (&self->fill_ids, g_hash_table_unref);
  g_clear_pointer (&self->quote_by_symbol, g_hash_table_unref);
  g_clear_object (&self->accounts);
  g_clear_object (&self->positions);
  g_clear_object (&self->orders);
  g_clear_object (&self->fills);
  g_clear_object (&self->quotes);
  g_clear_object (&self->signals);
  g_clear_object (&self->alerts);
  g_clear_object (&self->erm_events);

  G_OBJECT_CLASS (ea_trading_store_parent_class)->finalize (object);
}

static void
ea_trading_store_class_init (EaTradingStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ea_trading_store_finalize;
}

static void
ea_trading_store_init (EaTradingStore *self)
{
  self->accounts = g_list_store_new (EA_TYPE_ACCOUNT);
  self->positions = g_list_store_new (EA_TYPE_POSITION);
  self->orders = g_list_store_new (EA_TYPE_ORDER);
  self->fills = g_list_store_new (EA_TYPE_FILL);
  self->quotes = g_list_store_new (EA_TYPE_QUOTE);
  self->signals = g_list_store_new (EA_TYPE_SIGNAL);
  self->alerts = g_list_store_new (EA_TYPE_ALERT);
  self->erm_events = g_list_store_new (EA_TYPE_ERM_EVENT);

  self->account_by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->position_by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->order_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->fill_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->quote_by_symbol = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

EaTradingStore *
ea_trading_store_new (void)
{
  return g_object_new (EA_TYPE_TRADING_STORE, NULL);
}

GListModel *
ea_trading_store_get_accounts (EaTradingStore *self)
{
  g_return_val_if_fail (EA_IS_TRADING_STORE (self), NULL);
  return G_LIST_MODEL (self->accounts);
}

GListModel *
ea_trading_store_get_positions (EaTradingStore *self)
{
  g_return_val_if_fail (EA_IS_TRADING_STORE (self), NULL);
  return G_LIST_MODEL (self->positions);
}

GListModel *
ea_trading_store_get_orders (EaTradingStore *self)
{
  g_return_val_if_fail (EA_IS_TRADING_STORE (self), NULL);
  return G_LIST_MODEL (self->orders);
}

GListModel *
ea_trading_store_get_fills (EaTradingStore *self)
{
  g_return_val_if_fail (EA_IS_TRADING_STORE (self), NULL);
  return G_LIST_MODEL (self->fills);
}

GListModel *
ea_trading_store_get_quotes (EaTradingStore *self)
{
  g_return_val_if_fail (EA_IS_TRADING_STORE (self), NULL);
  return G_LIST_MODEL (self->quotes);
}

GListModel *
ea_trading_store_get_signals (EaTradingStore *self)
{
  g_return_val_if_fail (EA_IS_TRADING_STORE (self), NULL);
  return G_LIST_MODEL (self->signals);
}

GListModel *
ea_trading_store_get_alerts (EaTradingStore *self)
{
  g_return_val_if_fail (EA_IS_TRADING_STORE (self), NULL);
  return G_LIST_MODEL (self->alerts);
}

static char *
position_key (const char *account,
              const char *symbol)
{
  return g_strconcat (account ? account : "", "\x1f", symbol ? symbol : "", NULL);
}

EaAccount *
ea_trading_store_apply_account (EaTradingStore      *self,
                                const EaAccountData *data)
{
  EaAccount *a;

  g_return_val_if_fail (EA_IS_TRADING_STORE (self), NULL);
  g_return_val_if_fail (data != NULL && data->name != NULL, NULL);

  a = g_hash_table_lookup (self->account_by_name, data->name);
  if (a != NULL)
    {
      ea_account_update (a, data);
      return a;
    }

  a = ea_account_new_from_data (data);
  g_hash_table_insert (self->account_by_name, g_strdup (data->name), a);
  g_list_store_append (self->accounts, a);
  g_object_unref (a);
  return a;
}

EaPosition *
ea_trading_store_apply_position (EaTradingStore       *self,
                                 const EaPositionData *data)
{
  g_autofree char *key = NULL;
  EaPosition *p;

  g_return_val_if_fail (EA_IS_TRADING_STORE (self), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  key = position_key (data->account, data->symbol);
  p = g_hash_table_lookup (self->position_by_key, key);
  if (p != NULL)
    {
      ea_position_update (p, data);
      return p;
    }

  p = ea_position_new_from_data (data);
  g_hash_table_insert (self->position_by_key, g_steal_pointer (&key), p);
  g_list_store_append (self->positions, p);
  g_object_unref (p);
  return p;
}

EaOrder *
ea_trading_store_apply_order (EaTradingStore    *self,
                              const EaOrderData *data)
{
  EaOrder *o;

  g_return_val_if_fail (EA_IS_TRADING_STORE (self), NULL);
  g_return_val_if_fail (data != NULL && data->broker_order_id != NULL, NULL);

  o = g_hash_table_lookup (self->order_by_id, data->broker_order_id);
  if (o != NULL)
    {
      ea_order_update (o, data);
      return o;
    }

  o = ea_order_new_from_data (data);
  g_hash_table_insert (self->order_by_id, g_strdup (data->broker_order_id), o);
  g_list_store_append (self->orders, o);
  g_object_unref (o);
  return o;
}

EaFill *
ea_trading_store_apply_fill (EaTradingStore   *self,
                             const EaFillData *data)
{
  EaFill *f;

  g_return_val_if_fail (EA_IS_TRADING_STORE (self), NULL);
  g_return_val_if_fail (data != NULL && data->fill_id != NULL, NULL);

  if (g_hash_table_contains (self->fill_ids, data->fill_id))
    return NULL;

  f = ea_fill_new_from_data (data);
  g_hash_table_add (self->fill_ids, g_strdup (data->fill_id));
  g_list_store_append (self->fills, f);
  g_object_unref (f);
  return f;
}

EaQuote *
ea_trading_store_apply_quote (EaTradingStore    *self,
                              const EaQuoteData *data)
{
  EaQuote *q;

  g_return_val_if_fail (EA_IS_TRADING_STORE (self), NULL);
  g_return_val_if_fail (data != NULL && data->symbol != NULL, NULL);

  q = g_hash_table_lookup (self->quote_by_symbol, data->symbol);
  if (q != NULL)
    {
      ea_quote_update (q, data);
      return q;
    }

  q = ea_quote_new_from_data (data);
  g_hash_table_insert (self->quote_by_symbol, g_strdup (data->symbol), q);
  g_list_store_append (self->quotes, q);
  g_object_unref (q);
  return q;
}

guint
ea_trading_store_apply_snapshot (EaTradingStore       *self,
                                 const EaSnapshotData *snapshot)
{
  guint new_fills = 0;

  g_return_val_if_fail (EA_IS_TRADING_STORE (self), 0);
  g_return_val_if_fail (snapshot != NULL, 0);

  for (guint i = 0; i < snapshot->accounts->len; i++)
    ea_trading_store_apply_account (self, g_ptr_array_index (snapshot->accounts, i));
  for (guint i = 0; i < snapshot->orders->len; i++)
    ea_trading_store_apply_order (self, g_ptr_array_index (snapshot->orders, i));
  for (guint i = 0; i < snapshot->positions->len; i++)
    ea_trading_store_apply_position (self, g_ptr_array_index (snapshot->positions, i));
  for (guint i = 0; i < snapshot->fills->len; i++)
    if (ea_trading_store_apply_fill (self, g_ptr_array_index (snapshot->fills, i)) != NULL)
      new_fills++;

  return new_fills;
}

void
ea_trading_store_add_signal (EaTradingStore *self,
                             EaSignal       *signal)
{
  g_return_if_fail (EA_IS_TRADING_STORE (self));
  g_return_if_fail (EA_IS_SIGNAL (signal));
  g_list_store_append (self->signals, signal);
}

void
ea_trading_store_add_alert (EaTradingStore *self,
                            EaAlert        *alert)
{
  g_return_if_fail (EA_IS_TRADING_STORE (self));
  g_return_if_fail (EA_IS_ALERT (alert));
  g_list_store_append (self->alerts, alert);
}

GListModel *
ea_trading_store_get_erm_events (EaTradingStore *self)
{
  g_return_val_if_fail (EA_IS_TRADING_STORE (self), NULL);
  return G_LIST_MODEL (self->erm_events);
}

#define EA_ERM_EVENTS_KEPT 100

void
ea_trading_store_add_erm_event (EaTradingStore *self,
                                EaErmEvent     *event)
{
  guint n;

  g_return_if_fail (EA_IS_TRADING_STORE (self));
  g_return_if_fail (EA_IS_ERM_EVENT (event));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->erm_events));
  if (n >= EA_ERM_EVENTS_KEPT)
    g_list_store_splice (self->erm_events, 0, n - EA_ERM_EVENTS_KEPT + 1, NULL, 0);
  g_list_store_append (self->erm_events, event);
}

EaAccount *
ea_trading_store_lookup_account (EaTradingStore *self,
                                 const char     *name)
{
  g_return_val_if_fail (EA_IS_TRADING_STORE (self), NULL);
  return name ? g_hash_table_lookup (self->account_by_name, name) : NULL;
}

EaPosition *
ea_trading_store_lookup_position (EaTradingStore *self,
                                  const char     *account,
                                  const char     *symbol)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (EA_IS_TRADING_STORE (self), NULL);
  key = position_key (account, symbol);
  return g_hash_table_lookup (self->position_by_key, key);
}

EaOrder *
ea_trading_store_lookup_order (EaTradingStore *self,
                               const char     *broker_order_id)
{
  g_return_val_if_fail (EA_IS_TRADING_STORE (self), NULL);
  return broker_order_id ? g_hash_table_lookup (self->order_by_id, broker_order_id) : NULL;
}

EaQuote *
ea_trading_store_lookup_quote (EaTradingStore *self,
                               const char     *symbol)
{
  g_return_val_if_fail (EA_IS_TRADING_STORE (self), NULL);
  return symbol ? g_hash_table_lookup (self->quote_by_symbol, symbol) : NULL;
}
