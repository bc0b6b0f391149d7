/* ea-ledger.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The P&L ledger (DOMAIN §1): positions per account and contract built from
 * fills, FIFO realized P&L, fees, unrealized P&L from the market, equity,
 * peaks for trailing rules and day P&L.
 *
 * Accounts and contracts are small integer ids chosen by the caller
 * (0 ≤ id < EA_LEDGER_MAX_ID) and registered before use. The ledger knows no
 * instrument table and no calendar: a contract is registered with its tick
 * value and fee, and the caller announces each new trading day by its id.
 *
 * Prices are integer ticks. Money is integer micro-units. The mark of a
 * contract is its last trade price, or while it has none the mid of bid and
 * ask. A mid can fall on a half tick, so marks are kept in half ticks and
 * the unrealized P&L of a position is
 *
 *   floor ((net × 2·mark − 2·cost) × tick_value / 2)
 *
 * where cost = Σ signed qty × entry ticks of its open lots. It is exact
 * whenever the mark is a whole tick or the tick value is an even number of
 * micros (true of every supported instrument: $0.50 = 500000, $15.625 =
 * 15625000 …); otherwise the half micro is rounded down (toward −∞), which
 * never overstates equity. A contract with no mark yet marks its positions
 * at their own entry prices (unrealized 0). Fills do not move the mark.
 *
 * Limits that keep every sum far inside int64: fill qty and |net position|
 * ≤ EA_LEDGER_MAX_QTY; |price| × tick value ≤ EA_LEDGER_MAX_NOTIONAL per
 * contract; 0 < tick value ≤ EA_LEDGER_MAX_TICK_VALUE; 0 ≤ fee ≤
 * EA_LEDGER_MAX_FEE. Input outside them is refused with a GError and leaves
 * the ledger unchanged.
 *
 * Not thread-safe: one owner thread.
 */
#pragma once

#include <glib.h>

#include "ea-core-types.h"

G_BEGIN_DECLS

#define EA_LEDGER_ERROR (ea_ledger_error_quark ())

typedef enum
{
  EA_LEDGER_ERROR_UNKNOWN_ACCOUNT,
  EA_LEDGER_ERROR_UNKNOWN_CONTRACT,
  EA_LEDGER_ERROR_DUPLICATE,
  EA_LEDGER_ERROR_INVALID,
  EA_LEDGER_ERROR_OUT_OF_RANGE,
} EaLedgerError;

#define EA_LEDGER_MAX_ID         (1u << 20)
#define EA_LEDGER_MAX_QTY        G_GINT64_CONSTANT (100000)
#define EA_LEDGER_MAX_TICK_VALUE G_GINT64_CONSTANT (1000000000)     /* $1,000 */
#define EA_LEDGER_MAX_FEE        G_GINT64_CONSTANT (1000000000)     /* $1,000 */
#define EA_LEDGER_MAX_NOTIONAL   G_GINT64_CONSTANT (10000000000000) /* $10M  */

typedef struct _EaLedger EaLedger;

/* One fill of an order, as the broker reported it. */
typedef struct
{
  guint    account;
  guint    contract;
  EaSide   side;
  gint64   qty;    /* > 0 */
  EaTicks  price;
  EaTimeUs time;
} EaLedgerFill;

/* One closed lot: a FIFO match of (part of) an entry fill with (part of) an
 * exit fill. A flat-to-flat episode of a position is a round trip: every
 * match of it carries the same trip id, and the match that leaves the
 * position flat (or flips it) has closes_trip set. */
typedef struct
{
  guint    account;
  guint    contract;
  guint64  trip;        /* unique per ledger, from 1 */
  EaSide   side;        /* side of the position: BUY = long */
  gint64   qty;
  EaTicks  entry_price;
  EaTimeUs entry_time;
  EaTicks  exit_price;
  EaTimeUs exit_time;
  EaMicros pnl;         /* gross: (exit − entry) × tick value × qty × side */
  EaMicros fees;        /* entry and exit fees of this qty */
  double   mae_ticks;   /* max adverse excursion ≥ 0, marks and fills seen while open */
  double   mfe_ticks;   /* max favourable excursion ≥ 0 */
  gboolean closes_trip;
} EaLedgerTrade;

/* Called synchronously for every closed lot, from inside ea_ledger_fill().
 * The record lives only for the call. Must not call back into the ledger. */
typedef void (*EaLedgerTradeFunc) (const EaLedgerTrade *trade,
                                   gpointer             user_data);

typedef struct
{
  guint    account;
  guint    contract;
  gint64   net;              /* signed: > 0 long, < 0 short */
  EaTicks  cost;             /* Σ signed qty × entry ticks of the open lots */
  double   avg_entry_ticks;  /* cost / net, 0 when flat */
  guint    n_lots;
  EaMicros realized;         /* gross, since the position was created */
  EaMicros fees;
  EaMicros unrealized;
} EaLedgerPosition;

typedef struct
{
  guint    account;
  EaMicros start_balance;
  EaMicros realized;             /* gross */
  EaMicros fees;
  EaMicros unrealized;
  EaMicros balance;              /* start + realized − fees */
  EaMicros equity;               /* balance + unrealized */
  EaMicros peak_equity;          /* max equity seen, at fills and marks */
  EaMicros peak_balance;         /* max balance seen (peak realized equity) */
  gint64   trading_day;          /* id last passed to ea_ledger_begin_day() */
  EaMicros day_pnl;              /* equity − equity at the day boundary */
  EaMicros day_realized;         /* gross realized since the day boundary */
  EaMicros day_fees;
  gint64   open_contracts;       /* Σ |net| over its positions */
} EaLedgerAccount;

GQuark    ea_ledger_error_quark    (void);

EaLedger *ea_ledger_new            (void);
void      ea_ledger_free           (EaLedger          *ledger);

/* Registration. Accounts start flat at @start_balance on the current
 * trading day. */
gboolean  ea_ledger_add_account    (EaLedger          *ledger,
                                    guint              account,
                                    EaMicros           start_balance,
                                    GError           **error);
gboolean  ea_ledger_add_contract   (EaLedger          *ledger,
                                    guint              contract,
                                    EaMicros           tick_value,
                                    EaMicros           fee_per_side,
                                    GError           **error);
gboolean  ea_ledger_set_fee        (EaLedger          *ledger,
                                    guint              contract,
                                    EaMicros           fee_per_side,
                                    GError           **error);

void      ea_ledger_set_trade_func (EaLedger          *ledger,
                                    EaLedgerTradeFunc  func,
                                    gpointer           user_data);

/* Applies one fill: scale in, scale out, close, or flip through flat in one
 * fill. Fees of qty × fee per side are charged to the account now. */
gboolean  ea_ledger_fill           (EaLedger          *ledger,
                                    const EaLedgerFill *fill,
                                    GError           **error);

/* Market data. A last trade price wins over bid/ask from then on. Each call
 * re-marks only the open positions in that contract. */
gboolean  ea_ledger_mark_last      (EaLedger          *ledger,
                                    guint              contract,
                                    EaTicks            last,
                                    GError           **error);
gboolean  ea_ledger_mark_bid_ask   (EaLedger          *ledger,
                                    guint              contract,
                                    EaTicks            bid,
                                    EaTicks            ask,
                                    GError           **error);

/* Starts trading day @day for every account: the day P&L, day realized and
 * day fees count from here. Passing the current day again does nothing. */
void      ea_ledger_begin_day      (EaLedger          *ledger,
                                    gint64             day);

/* Restores persisted peaks after a restart: each peak becomes the larger of
 * the given and the current one, never lower. */
gboolean  ea_ledger_restore_peaks  (EaLedger          *ledger,
                                    guint              account,
                                    EaMicros           peak_equity,
                                    EaMicros           peak_balance,
                                    GError           **error);

gboolean  ea_ledger_get_account    (EaLedger          *ledger,
                                    guint              account,
                                    EaLedgerAccount   *out);
/* A position that never traded reads as flat and returns TRUE as long as
 * the account and contract are registered. */
gboolean  ea_ledger_get_position   (EaLedger          *ledger,
                                    guint              account,
                                    guint              contract,
                                    EaLedgerPosition  *out);
/* The open (non-flat) positions of @account, in contract registration
 * order, as a new array of EaLedgerPosition; NULL for an unknown account. */
GArray   *ea_ledger_dup_open_positions (EaLedger      *ledger,
                                        guint          account);

/* The contract's mark in half ticks; FALSE when it has none yet. */
gboolean  ea_ledger_get_mark2      (EaLedger          *ledger,
                                    guint              contract,
                                    gint64            *mark2);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaLedger, ea_ledger_free)

G_END_DECLS
