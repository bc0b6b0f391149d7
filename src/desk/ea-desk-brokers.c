/* ea-desk-brokers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk's side of its brokers: registration (trading brokers and
 * quote-only feeds), connection handling with the reconciliation after
 * every (re)connect, watched symbols, and the broker signals (quotes,
 * orders, fills, positions, accounts and their restrictions) applied to
 * the model, the ledger and the risk engine.
 */
#define G_LOG_DOMAIN "ea-desk"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-alert.h"
#include "ea-desk-private.h"


static void account_cb  (EaBroker *broker, const EaAccountData *account, EaDesk *self);
static void position_cb (EaBroker *broker, const EaPositionData *position, EaDesk *self);
static void fill_cb     (EaBroker *broker, const EaFillData *fill, EaDesk *self);

typedef struct
{
  EaDesk   *desk;
  EaBroker *broker;
} ReconcileData;

/* New entries on @broker's accounts are denied (RECONCILING) from the
 * moment the connection is lost or restored until the desk has applied
 * the broker's snapshot; exits and cancels still pass. */
static void
set_broker_reconciling (EaDesk   *self,
                        EaBroker *broker,
                        gboolean  reconciling)
{
  GHashTableIter iter;
  DeskAccount *a;

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    if (a->broker == broker && a->risk_index >= 0)
      ea_risk_engine_set_reconciling (self->risk, a->risk_index, reconciling);
}

static void
reconcile_data_free (ReconcileData *data)
{
  g_object_unref (data->desk);
  g_object_unref (data->broker);
  g_free (data);
}

/* After every (re)connect: what the broker has against what the desk
 * believes. Missed fills are applied once (fill ids), orders of unknown
 * outcome settle, positions and balances are taken from the broker. */
static void
reconcile_snapshot_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  ReconcileData *data = user_data;
  EaDesk *self = data->desk;
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSnapshotData) s = ea_broker_snapshot_finish (data->broker, result, &error);
  guint missed = 0;

  if (s == NULL)
    {
      g_message ("Reconciliation with %s failed: %s", ea_broker_get_name (data->broker), error->message);
      set_broker_reconciling (self, data->broker, FALSE);
      reconcile_data_free (data);
      return;
    }

  _ea_desk_adopt_restored_orders (self, data->broker);
  _ea_desk_report_differences (self, data->broker, s);

  for (guint i = 0; i < s->accounts->len; i++)
    account_cb (data->broker, g_ptr_array_index (s->accounts, i), self);
  for (guint i = 0; i < s->orders->len; i++)
    {
      const EaOrderData *o = g_ptr_array_index (s->orders, i);

      ea_trading_store_apply_order (self->store, o);
      _ea_desk_order_updated (self, data->broker, o);
    }
  for (guint i = 0; i < s->fills->len; i++)
    {
      guint before = g_hash_table_size (self->fill_ids);

      fill_cb (data->broker, g_ptr_array_index (s->fills, i), self);
      missed += g_hash_table_size (self->fill_ids) - before;
    }
  for (guint i = 0; i < s->positions->len; i++)
    position_cb (data->broker, g_ptr_array_index (s->positions, i), self);
  _ea_desk_settle_unknown_orders (self, data->broker, s);

  {
    g_autofree char *details = g_strdup_printf ("{\"broker\":\"%s\",\"orders\":%u,\"fills\":%u,\"new_fills\":%u}",
                                                ea_broker_get_name (data->broker), s->orders->len,
                                                s->fills->len, missed);
    _ea_desk_audit (self, EA_ACTOR_AUTOMATIC, "broker.reconciled", ea_broker_get_name (data->broker), details);
  }

  set_broker_reconciling (self, data->broker, FALSE);
  _ea_desk_stop_broker_connected (self, data->broker);
  reconcile_data_free (data);
}

static void
reconcile_accounts_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  ReconcileData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = ea_broker_list_accounts_finish (data->broker, result, &error);

  if (accounts != NULL)
    for (guint i = 0; i < accounts->len; i++)
      account_cb (data->broker, g_ptr_array_index (accounts, i), data->desk);

  /* Accounts first seen here wait for the snapshot too. */
  set_broker_reconciling (data->desk, data->broker, TRUE);
  ea_broker_snapshot_async (data->broker, NULL, NULL, reconcile_snapshot_cb, data);
}

static void
subscribed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A broker without the symbol is no error: another one has it. */
  if (!ea_broker_subscribe_quotes_finish (EA_BROKER (object), result, &error) &&
      !g_error_matches (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND))
    g_message ("No quotes from %s: %s", ea_broker_get_name (EA_BROKER (object)), error->message);
}

static void
subscribe_watched (EaDesk   *self,
                   EaBroker *broker)
{
  for (guint i = 0; i < self->watched->len; i++)
    ea_broker_subscribe_quotes_async (broker, g_ptr_array_index (self->watched, i), NULL, subscribed_cb, NULL);
}

void
_ea_desk_reconcile (EaDesk   *self,
                    EaBroker *broker)
{
  ReconcileData *data = g_new0 (ReconcileData, 1);

  subscribe_watched (self, broker);

  data->desk = g_object_ref (self);
  data->broker = g_object_ref (broker);
  set_broker_reconciling (self, broker, TRUE);
  ea_broker_list_accounts_async (broker, NULL, reconcile_accounts_cb, data);
}

static void
connection_state_cb (EaBroker   *broker,
                     guint       state,
                     const char *reason,
                     EaDesk     *self)
{
  /* CONNECTED does not end it: the desk's own reconciliation does. */
  if (state == EA_CONNECTION_STATE_RECONCILING ||
      state == EA_CONNECTION_STATE_CONNECTING)
    set_broker_reconciling (self, broker, TRUE);

  switch ((EaConnectionState) state)
    {
    case EA_CONNECTION_STATE_DISCONNECTED:
      _ea_desk_disconnect_policy (self, broker, FALSE);
      {
        g_autofree char *body = g_strdup_printf ("%s: %s", ea_broker_get_name (broker),
                                                 reason ? reason : _("disconnected"));

        _ea_desk_alert (self, "connection_lost", EA_ALERT_PRIORITY_HIGH, _("Connection lost"), body);
        _ea_desk_stop_broker_lost (self, broker, reason);
      }
      break;

    case EA_CONNECTION_STATE_CONNECTED:
      _ea_desk_disconnect_policy (self, broker, TRUE);
      _ea_desk_reconcile (self, broker);
      break;

    case EA_CONNECTION_STATE_CONNECTING:
    case EA_CONNECTION_STATE_RECONCILING:
    default:
      break;
    }
}

static void
quote_cb (EaBroker          *broker,
          const EaQuoteData *quote,
          EaDesk            *self)
{
  DeskContract *c = _ea_desk_contract (self, quote->symbol);
  GHashTableIter iter;
  DeskAccount *a;

  ea_trading_store_apply_quote (self->store, quote);

  if (c == NULL)
    return;

  if (g_strcmp0 (c->quote_source, ea_broker_get_name (broker)) != 0)
    {
      g_free (c->quote_source);
      c->quote_source = g_strdup (ea_broker_get_name (broker));
    }
  c->bid = quote->bid;
  c->ask = quote->ask;
  if (quote->last != 0)
    c->last = quote->last;

  if (c->last != 0)
    {
      ea_risk_engine_set_last_price (self->risk, c->spec, c->last);
      ea_ledger_mark_last (self->ledger, c->ledger_id, c->last, NULL);
    }
  else if (quote->bid != 0 && quote->ask != 0)
    ea_ledger_mark_bid_ask (self->ledger, c->ledger_id, quote->bid, quote->ask, NULL);

  /* ERM watches the live market: the middle of a two-sided quote, else
   * the last trade (a stale last must not stand for a book that has
   * moved on). */
  if (quote->bid > 0 && quote->ask >= quote->bid)
    _ea_desk_erm_update (self, c, quote->time, quote->bid + (quote->ask - quote->bid) / 2);
  else if (c->last != 0)
    _ea_desk_erm_update (self, c, quote->time, c->last);

  /* Equity moves for every account holding this contract. */
  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    {
      DeskPosition *p = g_hash_table_lookup (a->positions, quote->symbol);

      if (p != NULL && p->qty != 0)
        _ea_desk_evaluate_account (self, a);
    }
}

static void
order_cb (EaBroker          *broker,
          const EaOrderData *order,
          EaDesk            *self)
{
  if (!_ea_desk_order_check_update (self, broker, order))
    return;
  ea_trading_store_apply_order (self->store, order);
  _ea_desk_order_updated (self, broker, order);
}

static void
fills_journaled_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (ea_journal_insert_fills_finish (EA_JOURNAL (object), result, NULL, &error) < 0)
    g_message ("Could not journal a fill: %s", error->message);
}

static void
fill_cb (EaBroker         *broker,
         const EaFillData *fill,
         EaDesk           *self)
{
  g_autofree char *key = g_strdup_printf ("%s\x1f%s", ea_broker_get_name (broker), fill->fill_id);
  DeskContract *c;
  DeskAccount *a;

  /* A fill replayed by reconciliation is applied once. */
  if (g_hash_table_contains (self->fill_ids, key))
    return;
  g_hash_table_add (self->fill_ids, g_steal_pointer (&key));

  ea_trading_store_apply_fill (self->store, fill);

  c = _ea_desk_contract (self, fill->symbol);
  a = _ea_desk_account (self, fill->account);

  if (c != NULL && a != NULL)
    {
      EaLedgerFill lf = {
        .account = a->ledger_id,
        .contract = c->ledger_id,
        .side = fill->side,
        .qty = fill->qty,
        .price = fill->price,
        .time = fill->time,
      };
      EaLedgerPosition before = { 0 }, after = { 0 };

      ea_ledger_get_position (self->ledger, a->ledger_id, c->ledger_id, &before);
      ea_ledger_fill (self->ledger, &lf, NULL);
      ea_ledger_get_position (self->ledger, a->ledger_id, c->ledger_id, &after);

      /* A fill that opens a round trip (from flat, or flipping the
       * position) links it to the signal its order acted on. */
      if (after.net != 0 && (before.net == 0 || (before.net > 0) != (after.net > 0)))
        {
          DeskOrder *o = fill->client_order_id ? g_hash_table_lookup (self->orders, fill->client_order_id) : NULL;
          char *trip = _ea_desk_trip_key (a->ledger_id, c->ledger_id);

          if (o != NULL && o->signal != NULL)
            g_hash_table_insert (self->trip_signals, trip, g_object_ref (o->signal));
          else
            {
              g_hash_table_remove (self->trip_signals, trip);
              g_free (trip);
            }
        }
    }

  if (self->journal != NULL && c != NULL)
    {
      EaJournalFill jf = {
        .broker = ea_broker_get_name (broker),
        .broker_fill_id = fill->fill_id,
        .account_id = a ? a->journal_id : 0,
        .client_order_id = fill->client_order_id,
        .broker_order_id = fill->broker_order_id,
        .symbol = fill->symbol,
        .root = c->spec->root,
        .side = fill->side,
        .qty = fill->qty,
        .price_ticks = fill->price,
        .time_us = fill->time,
      };

      ea_journal_insert_fills_async (self->journal, &jf, 1, NULL, fills_journaled_cb, NULL);
    }
}

static void
position_cb (EaBroker             *broker,
             const EaPositionData *position,
             EaDesk               *self)
{
  DeskAccount *a = _ea_desk_account (self, position->account);
  DeskContract *c = _ea_desk_contract (self, position->symbol);
  DeskPosition *p;

  ea_trading_store_apply_position (self->store, position);

  if (a == NULL)
    a = _ea_desk_ensure_account (self, broker, position->account, NULL);

  p = g_hash_table_lookup (a->positions, position->symbol);
  if (p == NULL)
    {
      p = g_new0 (DeskPosition, 1);
      p->symbol = g_strdup (position->symbol);
      g_hash_table_insert (a->positions, p->symbol, p);
    }
  p->qty = position->qty;
  p->avg_price = position->avg_price;

  if (c != NULL && a->risk_index >= 0)
    _ea_desk_risk_sync_position (self, a, position->symbol);

  _ea_desk_evaluate_account (self, a);
}

typedef struct
{
  EaDesk *desk;
  char   *account;
} AccountJournalData;

static void
journal_account_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  AccountJournalData *data = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = ea_journal_ensure_account_finish (EA_JOURNAL (object), result, &error);
  DeskAccount *a = _ea_desk_account (data->desk, data->account);

  if (id < 0)
    g_message ("Could not journal an account: %s", error->message);
  else if (a != NULL)
    a->journal_id = id;

  g_object_unref (data->desk);
  g_free (data->account);
  g_free (data);
}

/* A broker-side lock or liquidation-only state: the risk check denies
 * new entries (LOCKED, or REDUCING with only reducing orders passing);
 * exits, cancels and the emergency stop still go out. Its start, change
 * and end are told (an alert) and audited. Lifted, the desk's own rules
 * apply as before. */
static void
apply_broker_restriction (EaDesk              *self,
                          EaBroker            *broker,
                          DeskAccount         *a,
                          EaBrokerRestriction  restriction,
                          const char          *text)
{
  EaBrokerRestriction before = a->restriction;
  const char *broker_name = ea_broker_get_name (broker);
  g_autofree char *esc_text = NULL;
  g_autofree char *details = NULL;
  g_autofree char *body = NULL;

  if (a->risk_index >= 0)
    ea_risk_engine_set_broker_restriction (self->risk, a->risk_index, restriction, text);
  if (before == restriction && g_strcmp0 (a->restriction_text, text) == 0)
    return;

  a->restriction = restriction;
  g_free (a->restriction_text);
  a->restriction_text = g_strdup (text);
  if (before == restriction)
    return;  /* only the broker's words changed */

  esc_text = g_strescape (text ? text : "", NULL);
  details = g_strdup_printf ("{\"broker\":\"%s\",\"restriction\":\"%s\",\"previous\":\"%s\",\"text\":\"%s\"}",
                             broker_name, ea_broker_restriction_to_string (restriction),
                             ea_broker_restriction_to_string (before), esc_text);
  _ea_desk_audit (self, EA_ACTOR_AUTOMATIC,
                  restriction == EA_BROKER_RESTRICTION_NONE ? "broker.restriction-lifted" : "broker.restriction",
                  a->name, details);

  switch (restriction)
    {
    case EA_BROKER_RESTRICTION_LOCKED:
      /* Translators: "Tradovate has locked trading on DEMO001 (LockTradingImmediately)…" */
      body = g_strdup_printf (_("%s has locked trading on %s (%s). No new orders are sent; exits, cancels and the emergency stop still are."),
                              broker_name, a->name, text ? text : _("no reason given"));
      _ea_desk_alert (self, "risk_warning", EA_ALERT_PRIORITY_CRITICAL, _("Locked by broker"), body);
      break;
    case EA_BROKER_RESTRICTION_LIQUIDATION_ONLY:
      body = g_strdup_printf (_("%s allows only liquidation on %s (%s): only orders that reduce a position are sent."),
                              broker_name, a->name, text ? text : _("no reason given"));
      _ea_desk_alert (self, "risk_warning", EA_ALERT_PRIORITY_CRITICAL, _("Liquidation only"), body);
      break;
    case EA_BROKER_RESTRICTION_NONE:
    default:
      body = g_strdup_printf (_("%s lifted its restriction on %s; the desk's own rules apply."),
                              broker_name, a->name);
      _ea_desk_alert (self, "risk_warning", EA_ALERT_PRIORITY_HIGH, _("Broker restriction lifted"), body);
      break;
    }

  _ea_desk_risk_changed (self, a->name);
}

static void
account_cb (EaBroker            *broker,
            const EaAccountData *account,
            EaDesk              *self)
{
  DeskAccount *a;
  gboolean first;

  ea_trading_store_apply_account (self->store, account);

  first = _ea_desk_account (self, account->name) == NULL;
  a = _ea_desk_ensure_account (self, broker, account->name, account->profile);

  if (first || !a->has_balance)
    ea_ledger_add_account (self->ledger, a->ledger_id, account->size ? account->size : account->balance, NULL);

  a->balance = account->balance;
  a->has_balance = TRUE;
  apply_broker_restriction (self, broker, a, account->restriction, account->restriction_text);

  if (first && self->journal != NULL)
    {
      AccountJournalData *data = g_new0 (AccountJournalData, 1);

      data->desk = g_object_ref (self);
      data->account = g_strdup (a->name);
      ea_journal_ensure_account_async (self->journal, ea_broker_get_name (broker), a->name, a->name,
                                       self->mode, NULL, journal_account_cb, data);
    }

  _ea_desk_evaluate_account (self, a);
}

/**
 * ea_desk_add_broker:
 *
 * The desk listens to @broker from now on; its accounts appear as the
 * broker reports them. Connecting is the caller's.
 */
void
ea_desk_add_broker (EaDesk   *self,
                    EaBroker *broker)
{
  g_return_if_fail (EA_IS_DESK (self));
  g_return_if_fail (EA_IS_BROKER (broker));

  g_ptr_array_add (self->brokers, g_object_ref (broker));
  g_signal_connect (broker, "connection-state", G_CALLBACK (connection_state_cb), self);
  g_signal_connect (broker, "quote", G_CALLBACK (quote_cb), self);
  g_signal_connect (broker, "order-updated", G_CALLBACK (order_cb), self);
  g_signal_connect (broker, "fill", G_CALLBACK (fill_cb), self);
  g_signal_connect (broker, "position-changed", G_CALLBACK (position_cb), self);
  g_signal_connect (broker, "account-changed", G_CALLBACK (account_cb), self);

  if (ea_broker_get_connection_state (broker) == EA_CONNECTION_STATE_CONNECTED)
    _ea_desk_reconcile (self, broker);
}

void
ea_desk_watch_symbol (EaDesk     *self,
                      const char *symbol)
{
  g_return_if_fail (EA_IS_DESK (self));
  g_return_if_fail (symbol != NULL);

  if (g_ptr_array_find_with_equal_func (self->watched, symbol, g_str_equal, NULL))
    return;

  g_ptr_array_add (self->watched, g_strdup (symbol));
  for (guint i = 0; i < self->brokers->len; i++)
    {
      EaBroker *broker = g_ptr_array_index (self->brokers, i);

      if (ea_broker_get_connection_state (broker) == EA_CONNECTION_STATE_CONNECTED)
        ea_broker_subscribe_quotes_async (broker, symbol, NULL, subscribed_cb, NULL);
    }
  for (guint i = 0; i < self->feeds->len; i++)
    {
      EaBroker *feed = g_ptr_array_index (self->feeds, i);

      if (ea_broker_get_connection_state (feed) == EA_CONNECTION_STATE_CONNECTED)
        ea_broker_subscribe_quotes_async (feed, symbol, NULL, subscribed_cb, NULL);
    }
}

static void
feed_state_cb (EaBroker   *feed,
               guint       state,
               const char *reason,
               EaDesk     *self)
{
  if (state == EA_CONNECTION_STATE_CONNECTED)
    subscribe_watched (self, feed);
}

/**
 * ea_desk_add_quote_feed:
 *
 * @feed prices the watched symbols and nothing else: its accounts,
 * orders and fills are not the desk's. For a platform without market
 * data (NinjaTrader's ATI), whose accounts are priced by symbol from
 * another feed. Connecting is the caller's.
 */
void
ea_desk_add_quote_feed (EaDesk   *self,
                        EaBroker *feed)
{
  g_return_if_fail (EA_IS_DESK (self));
  g_return_if_fail (EA_IS_BROKER (feed));

  g_ptr_array_add (self->feeds, g_object_ref (feed));
  g_signal_connect (feed, "quote", G_CALLBACK (quote_cb), self);
  g_signal_connect (feed, "connection-state", G_CALLBACK (feed_state_cb), self);
  if (ea_broker_get_connection_state (feed) == EA_CONNECTION_STATE_CONNECTED)
    subscribe_watched (self, feed);
}

/**
 * ea_desk_get_quote_source:
 * @symbol: as the desk knows it ("ES")
 *
 * Returns: (nullable): the name of the broker whose quote priced @symbol
 * last, NULL before any quote
 */
const char *
ea_desk_get_quote_source (EaDesk     *self,
                          const char *symbol)
{
  DeskContract *c;

  g_return_val_if_fail (EA_IS_DESK (self), NULL);

  c = symbol ? g_hash_table_lookup (self->contracts, symbol) : NULL;
  if (c == NULL || c->quote_source == NULL)
    {
      /* Another venue's name of the instrument ("ES 12-26" for "ES"). */
      const EaInstrumentSpec *spec = ea_desk_lookup_spec (symbol);
      GHashTableIter iter;
      DeskContract *other;

      g_hash_table_iter_init (&iter, self->contracts);
      while (spec != NULL && g_hash_table_iter_next (&iter, NULL, (gpointer *) &other))
        if (other->spec == spec && other->quote_source != NULL)
          return other->quote_source;
      return NULL;
    }
  return c->quote_source;
}
