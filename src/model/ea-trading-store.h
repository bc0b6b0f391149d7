/* ea-trading-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaTradingStore: the model objects of one or more brokers, as
 * GListModels for the UI. The consumer of a broker's signals applies
 * each record here; records are matched by key (account name, account +
 * symbol, broker order id, fill id, symbol), so applying the same record
 * twice updates rather than duplicates, and a fill id is listed once.
 */
#pragma once

#include <gio/gio.h>

#include "ea-account.h"
#include "ea-alert.h"
#include "ea-erm-event.h"
#include "ea-fill.h"
#include "ea-order.h"
#include "ea-position.h"
#include "ea-quote.h"
#include "ea-signal.h"

G_BEGIN_DECLS

#define EA_TYPE_TRADING_STORE (ea_trading_store_get_type ())

G_DECLARE_FINAL_TYPE (EaTradingStore, ea_trading_store, EA, TRADING_STORE, GObject)

EaTradingStore *ea_trading_store_new             (void);

/* Item types: EaAccount, EaPosition, EaOrder, EaFill, EaQuote, EaSignal,
 * EaAlert. Owned by the store. */
GListModel     *ea_trading_store_get_accounts    (EaTradingStore       *self);
GListModel     *ea_trading_store_get_positions   (EaTradingStore       *self);
GListModel     *ea_trading_store_get_orders      (EaTradingStore       *self);
GListModel     *ea_trading_store_get_fills       (EaTradingStore       *self);
GListModel     *ea_trading_store_get_quotes      (EaTradingStore       *self);
GListModel     *ea_trading_store_get_signals     (EaTradingStore       *self);
GListModel     *ea_trading_store_get_alerts      (EaTradingStore       *self);
/* ERM reversal alerts, oldest first, the latest 100. */
GListModel     *ea_trading_store_get_erm_events  (EaTradingStore       *self);

/* Each returns the object now holding the record (owned by the store). */
EaAccount      *ea_trading_store_apply_account   (EaTradingStore       *self,
                                                  const EaAccountData  *data);
EaPosition     *ea_trading_store_apply_position  (EaTradingStore       *self,
                                                  const EaPositionData *data);
EaOrder        *ea_trading_store_apply_order     (EaTradingStore       *self,
                                                  const EaOrderData    *data);
/* NULL when the fill id is already known. */
EaFill         *ea_trading_store_apply_fill      (EaTradingStore       *self,
                                                  const EaFillData     *data);
EaQuote        *ea_trading_store_apply_quote     (EaTradingStore       *self,
                                                  const EaQuoteData    *data);
/* Applies every record of a reconciliation snapshot; returns the number
 * of fills that were new. */
guint           ea_trading_store_apply_snapshot  (EaTradingStore       *self,
                                                  const EaSnapshotData *snapshot);
void            ea_trading_store_add_signal      (EaTradingStore       *self,
                                                  EaSignal             *signal);
void            ea_trading_store_add_alert       (EaTradingStore       *self,
                                                  EaAlert              *alert);
void            ea_trading_store_add_erm_event   (EaTradingStore       *self,
                                                  EaErmEvent           *event);

EaAccount      *ea_trading_store_lookup_account  (EaTradingStore       *self,
                                                  const char           *name);
EaPosition     *ea_trading_store_lookup_position (EaTradingStore       *self,
                                                  const char           *account,
                                                  const char           *symbol);
EaOrder        *ea_trading_store_lookup_order    (EaTradingStore       *self,
                                                  const char           *broker_order_id);
EaQuote        *ea_trading_store_lookup_quote    (EaTradingStore       *self,
                                                  const char           *symbol);

G_END_DECLS
