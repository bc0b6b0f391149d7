/* ea-sim-exchange.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The embedded exchange behind Demo mode: one market per supported root
 * with a seeded price process (GARCH(1,1) volatility on a latent price,
 * quotes on the tick grid, trades with volume, more activity at the open
 * and close, the CME session calendar), order matching against the touch,
 * brackets and OCO, demo accounts with FIFO positions, and replay of
 * NinjaTrader 8 exports. It has no clock of its own: time only moves when
 * the caller advances it, so a seed and a script give the same result on
 * every run.
 */
#pragma once

#include <glib.h>

#include "ea-core-types.h"
#include "ea-nt-import.h"
#include "ea-order-state.h"
#include "ea-trade-data.h"

G_BEGIN_DECLS

#define EA_SIM_MAX_ACCOUNTS 6

typedef struct _EaSimExchange EaSimExchange;

/* Where the exchange reports what happens. Records are borrowed: copy
 * what you keep. Any member may be NULL. */
typedef struct
{
  void (*quote)    (gpointer user_data, const EaQuoteData    *quote);
  void (*order)    (gpointer user_data, const EaOrderData    *order);
  void (*fill)     (gpointer user_data, const EaFillData     *fill);
  void (*position) (gpointer user_data, const EaPositionData *position);
  void (*account)  (gpointer user_data, const EaAccountData  *account);
} EaSimSink;

EaSimExchange  *ea_sim_exchange_new          (guint64                seed,
                                              EaTimeUs               start);
void            ea_sim_exchange_free         (EaSimExchange         *ex);
void            ea_sim_exchange_set_sink     (EaSimExchange         *ex,
                                              const EaSimSink       *sink,
                                              gpointer               user_data);

/* Market configuration. */
guint           ea_sim_exchange_get_n_symbols (EaSimExchange        *ex);
const char     *ea_sim_exchange_get_symbol   (EaSimExchange         *ex,
                                              guint                  index);
gboolean        ea_sim_exchange_has_symbol   (EaSimExchange         *ex,
                                              const char            *symbol);
/* Markets trade around the clock instead of following the CME calendar. */
void            ea_sim_exchange_set_always_open (EaSimExchange      *ex,
                                                 gboolean            always_open);
gboolean        ea_sim_exchange_is_open      (EaSimExchange         *ex,
                                              const char            *symbol);
/* Mean quotes per second per instrument at mid-session (default 8; the
 * open and close run up to 2.5 times faster, the night at 0.65). */
void            ea_sim_exchange_set_quote_rate (EaSimExchange       *ex,
                                                double               per_second);
/* Moves the market's price to @price (rounded to the tick grid). */
gboolean        ea_sim_exchange_set_price    (EaSimExchange         *ex,
                                              const char            *symbol,
                                              double                 price,
                                              GError               **error);
/* With the generator off, only pushed quotes/trades and replays move
 * markets: for scripted tests. */
void            ea_sim_exchange_set_generator_enabled (EaSimExchange *ex,
                                                       gboolean       enabled);
gboolean        ea_sim_exchange_push_quote   (EaSimExchange         *ex,
                                              const char            *symbol,
                                              EaTicks                bid,
                                              EaTicks                ask,
                                              gint64                 bid_size,
                                              gint64                 ask_size,
                                              GError               **error);
gboolean        ea_sim_exchange_push_trade   (EaSimExchange         *ex,
                                              const char            *symbol,
                                              EaTicks                price,
                                              gint64                 size,
                                              GError               **error);
const EaQuoteData *ea_sim_exchange_get_quote (EaSimExchange         *ex,
                                              const char            *symbol);

/* Time. */
EaTimeUs        ea_sim_exchange_get_time     (EaSimExchange         *ex);
void            ea_sim_exchange_advance      (EaSimExchange         *ex,
                                              EaTimeUs               usec);
void            ea_sim_exchange_advance_to   (EaSimExchange         *ex,
                                              EaTimeUs               time);
guint64         ea_sim_exchange_get_n_quotes (EaSimExchange         *ex);

/* History: closed time bars (#EaBar, oldest first) drawn from the price
 * process back from the current price; see ea-sim-history.c. */
GArray         *ea_sim_exchange_load_history (EaSimExchange         *ex,
                                              const char            *symbol,
                                              EaTimeUs               period,
                                              EaTimeUs               end,
                                              guint                  max_bars,
                                              GError               **error);

/* Replay: @symbol's market plays @data instead of its generator. The
 * exchange clock moves to just before the first record. */
gboolean        ea_sim_exchange_load_replay  (EaSimExchange         *ex,
                                              const char            *symbol,
                                              const EaNtData        *data,
                                              GError               **error);
/* Time of the next replay record of any market, or G_MAXINT64. */
EaTimeUs        ea_sim_exchange_replay_next_time (EaSimExchange     *ex);
/* Plays exactly up to the next replay record; FALSE at the end. */
gboolean        ea_sim_exchange_replay_step  (EaSimExchange         *ex);
/* How far @symbol's replay is, in records of its file (a minute bar
 * counts as one record, played as four prints): @played of @total, the
 * last one partly played counting as played; @done (may be NULL) is TRUE
 * once its last print has been played (already while that print's quote
 * is being delivered). FALSE when @symbol plays no replay. */
gboolean        ea_sim_exchange_replay_progress (EaSimExchange      *ex,
                                                 const char         *symbol,
                                                 guint              *played,
                                                 guint              *total,
                                                 gboolean           *done);

/* Accounts. */
gboolean        ea_sim_exchange_add_account  (EaSimExchange         *ex,
                                              const char            *name,
                                              EaMicros               size,
                                              const char            *profile,
                                              GError               **error);
/* Cancels the account's orders, clears its positions and restores its
 * starting balance. */
gboolean        ea_sim_exchange_reset_account (EaSimExchange        *ex,
                                               const char           *name,
                                               GError              **error);
GPtrArray      *ea_sim_exchange_list_accounts (EaSimExchange        *ex);

/* Orders. Prices are ticks of the symbol's instrument. */
char           *ea_sim_exchange_place        (EaSimExchange         *ex,
                                              const EaOrderRequest  *request,
                                              GError               **error);
/* Two resting orders of one account, symbol and quantity that cancel
 * each other (see ea_broker_place_oco_async()). Returns @first's broker
 * order id; *@second_id gets @second's. */
char           *ea_sim_exchange_place_oco    (EaSimExchange         *ex,
                                              const EaOrderRequest  *first,
                                              const EaOrderRequest  *second,
                                              char                 **second_id,
                                              GError               **error);
/* @qty, @limit_price, @stop_price: 0 keeps the current value. */
gboolean        ea_sim_exchange_modify       (EaSimExchange         *ex,
                                              const char            *broker_order_id,
                                              gint64                 qty,
                                              EaTicks                limit_price,
                                              EaTicks                stop_price,
                                              GError               **error);
gboolean        ea_sim_exchange_cancel       (EaSimExchange         *ex,
                                              const char            *broker_order_id,
                                              GError               **error);
/* NULL account/symbol: every one. Returns the number of orders cancelled. */
guint           ea_sim_exchange_cancel_all   (EaSimExchange         *ex,
                                              const char            *account,
                                              const char            *symbol);
/* Cancels the matching orders, then closes the positions at market. */
gboolean        ea_sim_exchange_flatten      (EaSimExchange         *ex,
                                              const char            *account,
                                              const char            *symbol,
                                              GError               **error);
const EaOrderData *ea_sim_exchange_get_order (EaSimExchange         *ex,
                                              const char            *broker_order_id);
/* Everything for @account (NULL: all accounts). */
EaSnapshotData *ea_sim_exchange_snapshot     (EaSimExchange         *ex,
                                              const char            *account);

G_END_DECLS
