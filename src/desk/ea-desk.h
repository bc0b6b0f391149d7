/* ea-desk.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaDesk is the one controller. It owns the broker connections, the risk
 * engine, the P&L ledger and the model the UI binds to; every order from
 * any source goes through its pre-trade check; it journals orders before
 * they are sent and every fill once; and it runs the emergency stop.
 */
#pragma once

#include <gio/gio.h>

#include "ea-broker.h"
#include "ea-core-types.h"
#include "ea-erm.h"
#include "ea-risk.h"
#include "ea-journal.h"
#include "ea-profile-store.h"
#include "ea-trading-store.h"

G_BEGIN_DECLS

#define EA_DESK_ERROR (ea_desk_error_quark ())

typedef enum
{
  EA_DESK_ERROR_NOT_HALTED,
  EA_DESK_ERROR_LOCKED,
  EA_DESK_ERROR_DENIED,          /* the risk check said no; see the decision */
  EA_DESK_ERROR_UNKNOWN_ACCOUNT,
  EA_DESK_ERROR_UNKNOWN_SYMBOL,
  EA_DESK_ERROR_UNKNOWN_ORDER,
  EA_DESK_ERROR_DISABLED,        /* the account is switched off on its card */
  EA_DESK_ERROR_NOT_JOURNALED,   /* the journal cannot record it: no new entries */
  EA_DESK_ERROR_NO_POSITION,     /* nothing to reverse */
  EA_DESK_ERROR_NOT_DEMO,        /* only a Demo exchange account can do that */
  EA_DESK_ERROR_STOP_RUNNING,    /* the emergency stop is still working on it */
  EA_DESK_ERROR_NOT_CONNECTED,   /* its broker is not connected */
} EaDeskError;

/* Where an account is in the emergency-stop pipeline. */
typedef enum
{
  EA_STOP_STATUS_NONE,        /* no stop since the last reset */
  EA_STOP_STATUS_STOPPING,    /* cancels and flattens sent, not yet confirmed */
  EA_STOP_STATUS_FLAT,        /* confirmed: no working order, no position */
  EA_STOP_STATUS_UNRESOLVED,  /* could not be confirmed; retried on reconnect */
} EaStopStatus;

/* An order as the UI, a signal or a chart asks for it. */
typedef struct
{
  const char   *account;
  const char   *symbol;
  EaSide        side;
  EaOrderType   type;
  EaTimeInForce tif;
  gint64        qty;
  EaTicks       limit_price;   /* LIMIT, STOP_LIMIT */
  EaTicks       stop_price;    /* STOP, STOP_LIMIT */
  gboolean      has_stop_loss;
  EaTicks       stop_loss;
  gboolean      has_take_profit;
  EaTicks       take_profit;
  EaSignal     *signal;        /* the Enigma signal it acts on, or NULL: the
                                * round trip it opens is linked to it */
} EaDeskOrder;

/* Where the ATR that ERM uses comes from. */
typedef enum
{
  EA_DESK_ATR_DEFAULT,  /* the instrument's default */
  EA_DESK_ATR_SIGNAL,   /* the latest signal's own */
  EA_DESK_ATR_LIVE,     /* Wilder's ATR(14) of one-minute bars */
} EaDeskAtrSource;

/* The desk's wall clock, in microseconds since the Unix epoch. */
typedef EaTimeUs (*EaDeskClockFunc) (gpointer user_data);

#define EA_TYPE_DESK (ea_desk_get_type ())

G_DECLARE_FINAL_TYPE (EaDesk, ea_desk, EA, DESK, GObject)

GQuark          ea_desk_error_quark           (void);
EaDesk         *ea_desk_new                   (EaMode          mode);
EaMode          ea_desk_get_mode              (EaDesk         *self);
void            ea_desk_set_clock             (EaDesk         *self,
                                               EaDeskClockFunc func,
                                               gpointer        user_data,
                                               GDestroyNotify  destroy);
EaTimeUs        ea_desk_get_time              (EaDesk         *self);

/* The global trading state and the emergency-stop latch. */
EaTradingState  ea_desk_get_trading_state     (EaDesk         *self);
gboolean        ea_desk_get_halted            (EaDesk         *self);
const char     *ea_desk_get_halt_reason       (EaDesk         *self);
GDateTime      *ea_desk_get_halted_at         (EaDesk         *self);
GDateTime      *ea_desk_get_locked_until      (EaDesk         *self);
guint           ea_desk_get_emergency_stop_count (EaDesk      *self);
gboolean        ea_desk_emergency_stop        (EaDesk         *self,
                                               EaActor         actor,
                                               const char     *reason);
void            ea_desk_lock                  (EaDesk         *self,
                                               GDateTime      *until,
                                               const char     *reason);
gboolean        ea_desk_reset_emergency_stop  (EaDesk         *self,
                                               GDateTime      *now,
                                               GError        **error);
/* The pipeline's per-account outcome; @reason may be NULL. */
EaStopStatus    ea_desk_get_stop_status       (EaDesk         *self,
                                               const char     *account,
                                               const char    **reason);
void            ea_desk_get_stop_timing       (EaDesk         *self,
                                               gint64         *requests_out_us,
                                               gint64         *confirmed_us);
/* Stop everything when a broker with open positions stays away longer
 * than @seconds (0: never, the default). */
void            ea_desk_set_disconnect_stop   (EaDesk         *self,
                                               guint           seconds);
/* Time-based rules (flat-by, session close, lock expiry) are evaluated
 * on every quote; call this about once a second to cover quiet markets. */
void            ea_desk_tick                  (EaDesk         *self);
/* TRUE while any account is STOPPING or UNRESOLVED. */
gboolean        ea_desk_get_stop_pending      (EaDesk         *self);

/* Where orders, fills and the audit go (NULL: nowhere, for tests). */
void            ea_desk_set_journal           (EaDesk         *self,
                                               EaJournal      *journal);
EaJournal      *ea_desk_get_journal           (EaDesk         *self);
/* With a journal required, no new entry leaves while there is no writable
 * journal; exits and the emergency stop always do. */
void            ea_desk_set_journal_required  (EaDesk         *self,
                                               gboolean        required);
/* FALSE while new entries cannot be journaled ("notify::journal-writable";
 * an alert is raised when it turns FALSE and when it is TRUE again). */
gboolean        ea_desk_get_journal_writable  (EaDesk         *self);
/* The firm profile of accounts that name none ("apex-legacy-50k"). */
void            ea_desk_set_default_profile   (EaDesk         *self,
                                               const char     *profile_id);
EaProfileStore *ea_desk_get_profiles          (EaDesk         *self);

/* Brings back the risk state the journal kept (peaks, floors, day P&L,
 * locks, the emergency-stop latch), before any broker is added: a
 * restart never resets a breached limit. Completes with FALSE and no
 * error when there is nothing to restore. */
void            ea_desk_restore_async         (EaDesk              *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean        ea_desk_restore_finish        (EaDesk              *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* Writes the risk state to the journal now (it is also written shortly
 * after every change). */
void            ea_desk_save_now              (EaDesk         *self);

/* Brokers and the model. */
void            ea_desk_add_broker            (EaDesk         *self,
                                               EaBroker       *broker);
GPtrArray      *ea_desk_get_brokers           (EaDesk         *self);
/* Quotes of @symbol from every broker that has it, now and after every
 * connect. */
void            ea_desk_watch_symbol          (EaDesk         *self,
                                               const char     *symbol);
EaTradingStore *ea_desk_get_store             (EaDesk         *self);
/* A broker used for its quotes only (no accounts, no orders), and which
 * broker priced a symbol last (NULL: none yet). */
void            ea_desk_add_quote_feed        (EaDesk         *self,
                                               EaBroker       *feed);
const char     *ea_desk_get_quote_source      (EaDesk         *self,
                                               const char     *symbol);

/* Risk: profiles, safety ratio and status per account. */
gboolean        ea_desk_set_account_profile   (EaDesk              *self,
                                               const char          *account,
                                               const EaRiskProfile *profile,
                                               guint                safety_pct,
                                               GError             **error);
gboolean        ea_desk_get_risk_status       (EaDesk         *self,
                                               const char     *account,
                                               EaRiskStatus   *status);
/* A copy of the firm profile the account trades under. */
gboolean        ea_desk_get_account_profile   (EaDesk         *self,
                                               const char     *account,
                                               EaRiskProfile  *profile);
void            ea_desk_set_account_enabled   (EaDesk         *self,
                                               const char     *account,
                                               gboolean        enabled);
gboolean        ea_desk_get_account_enabled   (EaDesk         *self,
                                               const char     *account);

/* Demo accounts (the embedded exchange, ea-desk-demo.c). A new account
 * trades under @profile_id, whose starting balance @size must be (see
 * ea-demo-accounts.h); it appears in the store and gets its risk record
 * at once. At most EA_SIM_MAX_ACCOUNTS. Audited (account.demo-added). */
gboolean        ea_desk_add_demo_account      (EaDesk         *self,
                                               const char     *name,
                                               EaMicros        size,
                                               const char     *profile_id,
                                               GError        **error);
/* TRUE when @account lives on the Demo exchange. */
gboolean        ea_desk_is_demo_account       (EaDesk         *self,
                                               const char     *account);
/* The number of accounts of the Demo exchange, 0 without one. */
guint           ea_desk_get_n_demo_accounts   (EaDesk         *self);
/* The accounts of the Demo exchange (element type EaDemoAccount, with
 * profile ids), in the order they were added; empty without one. */
GPtrArray      *ea_desk_list_demo_accounts    (EaDesk         *self);
/* Resets a demo account: its orders are cancelled, its positions
 * cleared, its balance back at the start, and its risk record starts
 * again (floor, peak, day P&L, locks and statistics). Refused for an
 * account of another broker (EA_DESK_ERROR_NOT_DEMO) and while the
 * emergency stop works on it (EA_DESK_ERROR_STOP_RUNNING). Audited
 * (account.reset) with the state it had. The global emergency-stop
 * latch is not changed. */
gboolean        ea_desk_reset_account         (EaDesk         *self,
                                               const char     *account,
                                               GError        **error);

/* The pre-trade check alone (no rate token used): what the ticket shows
 * before sending. Returns decision->allowed. */
gboolean        ea_desk_check_order           (EaDesk            *self,
                                               const EaDeskOrder *order,
                                               EaRiskDecision    *decision);

/* Checks, journals and sends. The result is the desk's client order id.
 * A denial is EA_DESK_ERROR_DENIED with @decision filled in. */
void            ea_desk_place_order_async     (EaDesk              *self,
                                               const EaDeskOrder   *order,
                                               EaActor              actor,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
char           *ea_desk_place_order_finish    (EaDesk              *self,
                                               GAsyncResult        *result,
                                               EaRiskDecision      *decision,
                                               GError             **error);
void            ea_desk_cancel_order_async    (EaDesk              *self,
                                               const char          *client_order_id,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean        ea_desk_cancel_order_finish   (EaDesk              *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* A changed price or quantity is checked like a new order. @actor: who
 * asked for it (EA_ACTOR_USER: a human; the broker is told so). */
void            ea_desk_modify_order_async    (EaDesk              *self,
                                               const char          *client_order_id,
                                               gint64               qty,
                                               EaTicks              limit_price,
                                               EaTicks              stop_price,
                                               EaActor              actor,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean        ea_desk_modify_order_finish   (EaDesk              *self,
                                               GAsyncResult        *result,
                                               EaRiskDecision      *decision,
                                               GError             **error);
/* The check of that change alone (no rate token used): what a chart drag
 * shows before it lets go. The changed order stands in for the working
 * one, with its bracket stop. Returns decision->allowed. */
gboolean        ea_desk_check_modify          (EaDesk              *self,
                                               const char          *client_order_id,
                                               gint64               qty,
                                               EaTicks              limit_price,
                                               EaTicks              stop_price,
                                               EaRiskDecision      *decision);
/* Cancels the working orders of @account/@symbol and closes the position
 * (NULL: every one). Always allowed, whatever the trading state. */
void            ea_desk_flatten_async         (EaDesk              *self,
                                               const char          *account,
                                               const char          *symbol,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean        ea_desk_flatten_finish        (EaDesk              *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Reverses @account's position in @symbol: long N becomes short N and
 * back. The risk check sees what a reversal is at worst, an opposite
 * market order of twice the position, so a reversal never passes where
 * that order would not. The working orders of @account in @symbol (the
 * old position's stop and target) are cancelled first; when they cannot
 * be, nothing is reversed. A broker that reverses in one instruction
 * (ea_broker_can_reverse_position()) gets it; the others get that market
 * order. The result is the desk's client order id of the order sent; a
 * denial is EA_DESK_ERROR_DENIED with @decision filled in, a flat
 * position EA_DESK_ERROR_NO_POSITION. */
void            ea_desk_reverse_position_async (EaDesk             *self,
                                                const char         *account,
                                                const char         *symbol,
                                                EaActor             actor,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
char           *ea_desk_reverse_position_finish (EaDesk            *self,
                                                 GAsyncResult      *result,
                                                 EaRiskDecision    *decision,
                                                 GError           **error);

/* Protects @account's open position in @symbol with a stop at
 * @stop_price and a target at @target_price (ticks) that cancel each
 * other: two exit orders for the whole position, the other way, sent as
 * one OCO pair (ea_broker_place_oco_async()). Refused: a flat position
 * (EA_DESK_ERROR_NO_POSITION); a stop or target on the wrong side of the
 * market, or exit orders already working for the position, which the
 * pair would turn into a new position the other way (EA_DESK_ERROR_DENIED
 * with @decision); the risk check's denial; a broker without OCO orders
 * (EA_BROKER_ERROR_NOT_SUPPORTED). Both orders are journaled before they
 * are sent and the request is audited with @actor. The result is the
 * desk's client order id of the stop; *@target_id (may be NULL) gets the
 * target's. */
void            ea_desk_protect_position_async (EaDesk             *self,
                                                const char         *account,
                                                const char         *symbol,
                                                EaTicks             stop_price,
                                                EaTicks             target_price,
                                                EaActor             actor,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
char           *ea_desk_protect_position_finish (EaDesk            *self,
                                                 GAsyncResult      *result,
                                                 char             **target_id,
                                                 EaRiskDecision    *decision,
                                                 GError           **error);

/* ERM reversals raised today on @symbol (every active signal in the
 * store is watched). */
guint           ea_desk_get_erm_reversals     (EaDesk         *self,
                                               const char     *symbol,
                                               guint          *remaining);
/* The ERM settings (threshold, lookback, …) for every instrument; the
 * signals already watched carry on under the new ones. */
gboolean        ea_desk_set_erm_config        (EaDesk            *self,
                                               const EaErmConfig *config,
                                               GError           **error);
const EaErmConfig *ea_desk_get_erm_config     (EaDesk            *self);
double          ea_desk_get_erm_atr           (EaDesk         *self,
                                               const char     *symbol,
                                               EaDeskAtrSource *source);

/* The instrument behind a broker symbol ("ES", "ESZ6", "ES 12-26"). */
const EaInstrumentSpec *ea_desk_lookup_spec   (const char     *symbol);

G_END_DECLS
