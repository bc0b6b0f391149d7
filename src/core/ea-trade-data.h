/* ea-trade-data.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain records exchanged between a broker and its consumers: quotes,
 * order requests, orders, fills, positions, account balances and the
 * reconciliation snapshot, plus the broker-neutral error domain. Prices
 * are integer ticks of the symbol's instrument, money is micro-units.
 */
#pragma once

#include <glib.h>

#include "ea-core-types.h"
#include "ea-order-state.h"

G_BEGIN_DECLS

#define EA_BROKER_ERROR (ea_broker_error_quark ())

typedef enum
{
  EA_BROKER_ERROR_NOT_CONNECTED,
  EA_BROKER_ERROR_REJECTED,         /* message carries the reason */
  EA_BROKER_ERROR_RATE_LIMITED,     /* message carries "retry after N ms" */
  EA_BROKER_ERROR_UNKNOWN_OUTCOME,  /* request sent, result unknown: reconcile */
  EA_BROKER_ERROR_INVALID_ARGUMENT,
  EA_BROKER_ERROR_CANCELLED,
  EA_BROKER_ERROR_NOT_FOUND,        /* no such account, order or symbol */
  EA_BROKER_ERROR_FAILED,
  EA_BROKER_ERROR_NOT_SUPPORTED,    /* the adapter cannot do this */
} EaBrokerError;

typedef enum
{
  EA_CONNECTION_STATE_DISCONNECTED,
  EA_CONNECTION_STATE_CONNECTING,
  EA_CONNECTION_STATE_RECONCILING,
  EA_CONNECTION_STATE_CONNECTED,
} EaConnectionState;

/* A top-of-book update. @symbol points to storage owned by the sender. */
typedef struct
{
  const char *symbol;
  EaTimeUs    time;
  EaTicks     bid;
  EaTicks     ask;
  EaTicks     last;        /* 0 before the first trade */
  gint64      bid_size;
  gint64      ask_size;
  gint64      last_size;   /* size of the trade in this update, 0 if none */
  gint64      volume;      /* session volume */
} EaQuoteData;

typedef struct
{
  char          *account;
  char          *symbol;
  char          *client_order_id;   /* the desk's id, journaled before sending */
  EaSide         side;
  EaOrderType    type;
  EaTimeInForce  tif;
  gint64         qty;
  EaTicks        limit_price;       /* LIMIT and STOP_LIMIT */
  EaTicks        stop_price;        /* STOP and STOP_LIMIT */
  /* Bracket (OSO): the children activate when the entry fills and are
   * one-cancels-other with each other. */
  gboolean       has_stop_loss;
  EaTicks        stop_loss_price;
  gboolean       has_take_profit;
  EaTicks        take_profit_price;
  char          *stop_loss_client_order_id;    /* NULL: "<id>-SL" */
  char          *take_profit_client_order_id;  /* NULL: "<id>-TP" */
  /* Who asked for the order: EA_ACTOR_USER (the default) when a human
   * clicked it, anything else when the desk sent it on its own. */
  EaActor        actor;
} EaOrderRequest;

typedef struct
{
  char          *account;
  char          *symbol;
  char          *client_order_id;
  char          *broker_order_id;
  char          *parent_order_id;   /* bracket child: the entry's broker id */
  char          *oco_order_id;      /* the other child of an OCO pair */
  EaSide         side;
  EaOrderType    type;
  EaTimeInForce  tif;
  EaOrderState   state;
  gint64         qty;
  gint64         filled_qty;
  EaTicks        limit_price;
  EaTicks        stop_price;
  double         avg_fill_price;    /* ticks, 0 when nothing filled */
  char          *reason;            /* why rejected, cancelled or expired */
  EaTimeUs       created;
  EaTimeUs       updated;
} EaOrderData;

typedef struct
{
  char     *account;
  char     *symbol;
  char     *fill_id;                /* unique per broker */
  char     *broker_order_id;
  char     *client_order_id;
  EaSide    side;
  gint64    qty;
  EaTicks   price;
  EaTimeUs  time;
} EaFillData;

typedef struct
{
  char     *account;
  char     *symbol;
  gint64    qty;                    /* signed: > 0 long, < 0 short */
  double    avg_price;              /* ticks */
  EaMicros  realized_pnl;
  EaMicros  open_pnl;               /* at the time of the record */
  EaTimeUs  time;
} EaPositionData;

typedef struct
{
  char     *name;
  char     *profile;
  EaMicros  size;                   /* starting balance */
  EaMicros  balance;                /* start + realized */
  EaMicros  realized_pnl;
  EaMicros  open_pnl;
  EaMicros  equity;                 /* balance + open */
  EaMicros  margin_used;
  EaTimeUs  time;
  /* What the broker allows on the account, and its own words for it
   * (NULL when none). */
  EaBrokerRestriction restriction;
  char     *restriction_text;
} EaAccountData;

/* Everything a broker knows, for reconciliation. Arrays own their items. */
typedef struct
{
  EaTimeUs   time;
  GPtrArray *accounts;   /* EaAccountData */
  GPtrArray *orders;     /* EaOrderData */
  GPtrArray *positions;  /* EaPositionData */
  GPtrArray *fills;      /* EaFillData */
} EaSnapshotData;

GQuark          ea_broker_error_quark      (void);
/* The "retry after" of a RATE_LIMITED error in ms, or -1. */
gint64          ea_broker_error_get_retry_after_ms (const GError *error);
const char     *ea_connection_state_to_string (EaConnectionState state);

EaOrderRequest *ea_order_request_new       (const char            *account,
                                            const char            *symbol,
                                            const char            *client_order_id,
                                            EaSide                 side,
                                            EaOrderType            type,
                                            gint64                 qty);
EaOrderRequest *ea_order_request_copy      (const EaOrderRequest  *request);
void            ea_order_request_free      (EaOrderRequest        *request);

EaOrderData    *ea_order_data_copy         (const EaOrderData     *order);
void            ea_order_data_free         (EaOrderData           *order);
EaFillData     *ea_fill_data_copy          (const EaFillData      *fill);
void            ea_fill_data_free          (EaFillData            *fill);
EaPositionData *ea_position_data_copy      (const EaPositionData  *position);
void            ea_position_data_free      (EaPositionData        *position);
EaAccountData  *ea_account_data_copy       (const EaAccountData   *account);
void            ea_account_data_free       (EaAccountData         *account);
EaQuoteData    *ea_quote_data_copy         (const EaQuoteData     *quote);
void            ea_quote_data_free         (EaQuoteData           *quote);

EaSnapshotData *ea_snapshot_data_new       (EaTimeUs               time);
void            ea_snapshot_data_free      (EaSnapshotData        *snapshot);
/* Lookups in a snapshot; NULL when absent. */
const EaOrderData *ea_snapshot_data_find_order_by_client_id (const EaSnapshotData *snapshot,
                                                             const char           *client_order_id);
guint           ea_snapshot_data_count_fill_id (const EaSnapshotData *snapshot,
                                                const char           *fill_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaOrderRequest, ea_order_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaOrderData, ea_order_data_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaFillData, ea_fill_data_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaPositionData, ea_position_data_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaAccountData, ea_account_data_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaQuoteData, ea_quote_data_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaSnapshotData, ea_snapshot_data_free)

G_END_DECLS
