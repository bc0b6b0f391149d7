/* ea-risk.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The prop-firm risk engine (DOMAIN §7). One EaRiskEngine holds every
 * account's risk state so that a pre-trade check can see the positions of
 * all accounts (cross-account hedging). No I/O and no clock: every call
 * that depends on time takes `now`.
 */
#pragma once

#include <glib.h>

#include "ea-core-types.h"
#include "ea-instrument.h"
#include "ea-risk-profile.h"

G_BEGIN_DECLS

#define EA_RISK_ERROR (ea_risk_error_quark ())

typedef enum
{
  EA_RISK_ERROR_FULL,          /* no room for another account */
  EA_RISK_ERROR_DUPLICATE,     /* the account id is already known */
  EA_RISK_ERROR_NOT_FOUND,
  EA_RISK_ERROR_LOOSEN,        /* loosening refused: open position or lock */
  EA_RISK_ERROR_LOCKED,        /* a reset during a lock */
  EA_RISK_ERROR_INVALID,
  EA_RISK_ERROR_MALFORMED,     /* a state record that cannot be restored */
} EaRiskError;

#define EA_RISK_MAX_ACCOUNTS  16
#define EA_RISK_MAX_POSITIONS 16
#define EA_RISK_MAX_DAYS      64
#define EA_RISK_MAX_WORKING   64   /* working orders per account */
#define EA_RISK_LOCK_FOREVER  G_MAXINT64

/* Safety-ratio presets, in percent (DOMAIN §7). */
#define EA_SAFETY_CONSERVATIVE 50
#define EA_SAFETY_MODERATE     70
#define EA_SAFETY_AGGRESSIVE   90
#define EA_SAFETY_DEFAULT      80
#define EA_SAFETY_FIRM         100

typedef enum
{
  EA_RISK_OK,
  EA_RISK_DAILY_LOSS,
  EA_RISK_TRAILING_FLOOR,
  EA_RISK_MAX_CONTRACTS,
  EA_RISK_SCALING,
  EA_RISK_FAT_FINGER,
  EA_RISK_RATE_LIMIT,
  EA_RISK_PRICE_BAND,
  EA_RISK_HEDGING,
  EA_RISK_STOP_REQUIRED,
  EA_RISK_BAD_STOP,            /* the stop is on the wrong side of the entry */
  EA_RISK_STOP_TARGET_RATIO,
  EA_RISK_FLAT_BY,
  EA_RISK_HALTED,
  EA_RISK_LOCKED,
  EA_RISK_REDUCING,
  EA_RISK_RECONCILING,
  EA_RISK_MAX_OPEN_LOSS,
  EA_RISK_MARGIN,
  EA_RISK_FORBIDDEN_PRODUCT,
  EA_RISK_NO_PRICE,            /* a market order with no last price */
  EA_RISK_BAD_ORDER,           /* zero quantity, unknown instrument … */
  EA_RISK_TOO_MANY_ORDERS,     /* the account's working orders fill the table */
  EA_RISK_BROKER_LOCKED,       /* the broker has locked the account */
  EA_RISK_LIQUIDATION_ONLY,    /* the broker takes only orders that reduce */
} EaRiskReason;

typedef enum
{
  EA_MARGIN_SAFE,
  EA_MARGIN_WARNING,
  EA_MARGIN_DANGER,
} EaMarginStatus;

typedef enum
{
  EA_RISK_ORDER_NEW,
  EA_RISK_ORDER_MODIFY,
  EA_RISK_ORDER_CANCEL,
} EaRiskOrderAction;

/* Which limit a usage refers to. */
typedef enum
{
  EA_RISK_LIMIT_TRAILING,
  EA_RISK_LIMIT_DAILY,
  EA_RISK_LIMIT_OPEN_LOSS,
  EA_RISK_N_LIMITS,
} EaRiskLimit;

/* Events returned by ea_risk_engine_update_equity(), as a bit mask. */
typedef enum
{
  EA_RISK_EVENT_NONE           = 0,
  EA_RISK_EVENT_WARNING        = 1 << 0, /* a limit crossed 75 % of its effective value */
  EA_RISK_EVENT_REDUCING       = 1 << 1, /* 90 % of the daily or trailing limit */
  EA_RISK_EVENT_BREACH         = 1 << 2, /* request the emergency stop */
  EA_RISK_EVENT_LOCKED         = 1 << 3, /* the account became LOCKED */
  EA_RISK_EVENT_DAILY_PAUSE    = 1 << 4, /* the daily loss limit paused the session */
  EA_RISK_EVENT_FAILED         = 1 << 5, /* the firm's own limit was crossed */
  EA_RISK_EVENT_FLOOR_LOCKED   = 1 << 6, /* the trailing floor reached its lock level */
  EA_RISK_EVENT_SESSION_CLOSED = 1 << 7, /* a session close was processed */
  EA_RISK_EVENT_LOCK_EXPIRED   = 1 << 8,
  EA_RISK_EVENT_LOW_MARGIN     = 1 << 9, /* margin below 25 % */
  EA_RISK_EVENT_FLAT_BY_DUE    = 1 << 10, /* the flat-by time passed with positions open */
} EaRiskEvents;

/* Flags of a proposed order. */
typedef enum
{
  EA_RISK_ORDER_FLAG_NONE    = 0,
  EA_RISK_ORDER_FLAG_DRY_RUN = 1 << 0, /* preview: consumes no rate token */
} EaRiskOrderFlags;

typedef struct
{
  EaRiskOrderAction       action;
  EaRiskOrderFlags        flags;
  /* MODIFY: the working order being changed, whose current size and stop
   * are left out of the check; a working order's key. NULL otherwise. */
  const char             *order_id;
  const EaInstrumentSpec *spec;
  EaSide                  side;
  gint64                  qty;         /* contracts of spec's root, > 0 */
  gboolean                has_price;   /* FALSE: market, priced at the last price */
  EaTicks                 price;
  gboolean                has_stop;
  EaTicks                 stop;
  gboolean                has_target;
  EaTicks                 target;
} EaRiskOrder;

typedef struct
{
  gboolean     allowed;
  EaRiskReason reason;       /* EA_RISK_OK when allowed */
  /* The numbers behind the reason; their unit follows the reason (money in
   * micros, quantities in contracts, prices in ticks, ratios ×1000). */
  gint64       limit;
  gint64       value;
  gint64       allowed_qty;  /* the largest quantity that would pass now */
  gint64       limit_qty;    /* the largest quantity within the quantity
                              * limits (floor, daily, open loss, contracts,
                              * scaling, fat finger, margin), whatever the
                              * trading state: feeds the Kelly caps */
  EaRiskReason qty_bound;    /* the cap that bounds allowed_qty */
  EaMicros     worst_loss;   /* the requested order's loss if its stop fills */
  EaTimeUs     until;        /* for LOCKED: the lock's expiry */
} EaRiskDecision;

typedef struct
{
  EaTradingState state;
  EaRiskLevel    level;
  EaMarginStatus margin_status;
  gboolean       failed;
  gboolean       floor_locked;
  gboolean       low_margin;
  gboolean       reconciling;
  gboolean       flat_by_due;          /* inside the flat-by window */
  EaTimeUs       lock_until;           /* 0 when not locked by the desk */
  const char    *lock_reason;          /* owned by the engine */
  /* What the broker allows (LOCKED makes the state LOCKED, liquidation
   * only REDUCING), with the broker's words (owned by the engine, NULL
   * when it gave none). */
  EaBrokerRestriction broker_restriction;
  const char    *broker_text;
  guint          safety_pct;

  EaMicros       start_balance;
  EaMicros       balance;              /* closed */
  EaMicros       equity;               /* closed + open */
  EaMicros       peak;                 /* the trailing reference */
  EaMicros       floor;                /* the firm's floor */
  EaMicros       effective_floor;      /* after the safety ratio */
  EaMicros       lock_level;           /* start + offset, 0 when none */
  EaMicros       day_pnl;
  EaMicros       daily_loss_room;      /* G_MAXINT64 when no daily limit */
  EaMicros       trailing_room;        /* equity − effective floor */
  EaMicros       open_risk;            /* loss if every position's stop fills */
  EaMicros       working_risk;         /* loss if every working entry filled and
                                        * then its stop (the worse side per root) */
  guint          max_contracts;        /* after scaling, minis */
  double         contracts_in_use;     /* minis */
  double         contracts_committed;  /* minis in use if every working entry
                                        * of the worse side per root filled */
  guint          n_working;            /* working orders known to the engine */
  double         best_day_share;       /* consistency: best day / window profit */
  gboolean       consistency_ok;
  EaMicros       margin_used;
  EaMicros       margin_available;
  double         usage[EA_RISK_N_LIMITS]; /* loss / effective limit, 0..∞ */
  EaMicros       effective_limit[EA_RISK_N_LIMITS];
  guint          days_traded;
} EaRiskStatus;

typedef struct _EaRiskEngine EaRiskEngine;

GQuark          ea_risk_error_quark              (void);

EaRiskEngine   *ea_risk_engine_new               (void);
void            ea_risk_engine_free              (EaRiskEngine        *engine);

/* Accounts are numbered 0 … n−1 in the order they were added. */
gint            ea_risk_engine_add_account       (EaRiskEngine        *engine,
                                                  const char          *account_id,
                                                  const EaRiskProfile *profile,
                                                  guint                safety_pct,
                                                  EaTimeUs             now,
                                                  GError             **error);
gint            ea_risk_engine_find_account      (EaRiskEngine        *engine,
                                                  const char          *account_id);
guint           ea_risk_engine_get_n_accounts    (EaRiskEngine        *engine);
const char     *ea_risk_engine_get_account_id    (EaRiskEngine        *engine,
                                                  guint                account);
const EaRiskProfile *
                ea_risk_engine_get_profile       (EaRiskEngine        *engine,
                                                  guint                account);

/* Tighten at any time; loosen only while flat and not locked. */
gboolean        ea_risk_engine_set_profile       (EaRiskEngine        *engine,
                                                  guint                account,
                                                  const EaRiskProfile *profile,
                                                  EaTimeUs             now,
                                                  GError             **error);
gboolean        ea_risk_engine_set_safety        (EaRiskEngine        *engine,
                                                  guint                account,
                                                  guint                safety_pct,
                                                  EaTimeUs             now,
                                                  GError             **error);

/* Commission + exchange fee per contract per side. */
void            ea_risk_engine_set_fees          (EaRiskEngine        *engine,
                                                  guint                account,
                                                  EaMicros             per_contract_side);
void            ea_risk_engine_set_reconciling   (EaRiskEngine        *engine,
                                                  guint                account,
                                                  gboolean             reconciling);
/* What the broker allows on the account (not persisted: the broker's
 * snapshot tells it again after every connect). @text: the broker's own
 * words, or NULL. */
void            ea_risk_engine_set_broker_restriction (EaRiskEngine   *engine,
                                                  guint                account,
                                                  EaBrokerRestriction  restriction,
                                                  const char          *text);
/* The broker's margin figure; a negative value returns to the per-contract
 * day margins of the instruments. */
void            ea_risk_engine_set_margin_used   (EaRiskEngine        *engine,
                                                  guint                account,
                                                  EaMicros             margin_used);

void            ea_risk_engine_set_last_price    (EaRiskEngine        *engine,
                                                  const EaInstrumentSpec *spec,
                                                  EaTicks              last);
/* A signed position (long > 0), its average entry in ticks (fractional
 * when lots were added at different prices; NAN when unknown) and its
 * protective stop, if any. */
void            ea_risk_engine_set_position      (EaRiskEngine        *engine,
                                                  guint                account,
                                                  const EaInstrumentSpec *spec,
                                                  gint64               qty,
                                                  double               avg_entry,
                                                  gboolean             has_stop,
                                                  EaTicks              stop);

/* A working order, keyed by @order->order_id: its unfilled quantity,
 * price (has_price FALSE: a market order, valued at the last price) and
 * the stop it carries (its bracket's stop loss), if any. A quantity of 0
 * (or less) removes it. Every working order of the account belongs here
 * except bracket children that wait for their entry: the check takes the
 * worse of "every working buy fills" and "every working sell fills" per
 * root, so an exit or a protective stop adds nothing while an entry adds
 * its contracts and the loss to its stop. Returns FALSE, changing
 * nothing, when the account already has EA_RISK_MAX_WORKING orders. */
gboolean        ea_risk_engine_set_working_order (EaRiskEngine        *engine,
                                                  guint                account,
                                                  const EaRiskOrder   *order);
void            ea_risk_engine_clear_working_orders (EaRiskEngine     *engine,
                                                  guint                account);

/* Continuous evaluation: call on every change of balance or equity. */
EaRiskEvents    ea_risk_engine_update_equity     (EaRiskEngine        *engine,
                                                  guint                account,
                                                  EaMicros             balance,
                                                  EaMicros             equity,
                                                  EaTimeUs             now);

/* The pre-trade check. Never allocates. Returns decision->allowed. */
gboolean        ea_risk_engine_check             (EaRiskEngine        *engine,
                                                  guint                account,
                                                  const EaRiskOrder   *order,
                                                  EaTimeUs             now,
                                                  EaRiskDecision      *decision);

/* Stops for all of an account's positions, taken together, that keep
 * equity above the effective floor and inside the daily and open-loss
 * room if every one of them fills one tick worse. Under a trailing floor
 * a stop that never moves stops protecting as the floor rises: the desk
 * applies these on every update (all of them: they are computed jointly).
 * Returns the number of entries written to @out. */
typedef struct
{
  const EaInstrumentSpec *spec;
  gint64                  qty;
  EaTicks                 stop;     /* the loosest safe stop */
  gboolean                tighter;  /* tighter than the current stop (or none) */
  gboolean                exit_now; /* no room left: the stop is the last price */
} EaRiskStopAdvice;

guint           ea_risk_engine_protective_stops  (EaRiskEngine        *engine,
                                                  guint                account,
                                                  EaRiskStopAdvice    *out,
                                                  guint                n_out);

void            ea_risk_engine_get_status        (EaRiskEngine        *engine,
                                                  guint                account,
                                                  EaTimeUs             now,
                                                  EaRiskStatus        *status);

/* Per-account manual halt (HALTED; exits and cancels still allowed). */
void            ea_risk_engine_halt_account      (EaRiskEngine        *engine,
                                                  guint                account,
                                                  gboolean             halted);

/* Per-account lock until @until (LOCKED; exits and cancels still
 * allowed), as after the profile's flat-by time. It expires by itself. */
void            ea_risk_engine_lock_account      (EaRiskEngine        *engine,
                                                  guint                account,
                                                  EaTimeUs             until,
                                                  const char          *reason);

/* A fresh record for @account, as a demo account reset needs: balance,
 * equity, peak and floor back at the profile's starting balance, day P&L,
 * locks (a failed account's too), warnings and the closed days'
 * statistics cleared, positions and working orders gone (the caller sets
 * the broker's again). Its profile, safety ratio, fees and margin figure
 * stay. The global state is not touched. */
void            ea_risk_engine_reset_account     (EaRiskEngine        *engine,
                                                  guint                account,
                                                  EaTimeUs             now);

/* The global state: the emergency-stop latch of all accounts. */
void            ea_risk_engine_halt              (EaRiskEngine        *engine,
                                                  const char          *reason);
void            ea_risk_engine_lock              (EaRiskEngine        *engine,
                                                  EaTimeUs             until,
                                                  const char          *reason);
gboolean        ea_risk_engine_reset             (EaRiskEngine        *engine,
                                                  EaTimeUs             now,
                                                  GError             **error);
EaTradingState  ea_risk_engine_get_global_state  (EaRiskEngine        *engine,
                                                  EaTimeUs             now,
                                                  EaTimeUs            *lock_until,
                                                  const char         **reason);

/* The whole state as a compact record, and back (all or nothing). */
GVariant       *ea_risk_engine_save              (EaRiskEngine        *engine);
EaRiskEngine   *ea_risk_engine_restore           (GVariant            *record,
                                                  GError             **error);

const char     *ea_risk_reason_to_string         (EaRiskReason         reason);
const char     *ea_margin_status_to_string       (EaMarginStatus       status);
/* A sentence for the trader, e.g. "Denied: a stop fill would lose
 * $487.50, only $200.00 left above the trailing floor (1 would pass)." */
char           *ea_risk_decision_format          (const EaRiskDecision *decision);

/* The lock expiry for a breach at @now: the next session open. */
EaTimeUs        ea_risk_next_session_open        (EaTimeUs             now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaRiskEngine, ea_risk_engine_free)

G_END_DECLS
