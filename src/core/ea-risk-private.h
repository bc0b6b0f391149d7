/* ea-risk-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine's state, shared by ea-risk.c (evaluation), ea-risk-check.c
 * (the pre-trade check) and ea-risk-record.c (the persisted record).
 */
#pragma once

#include "ea-risk.h"

G_BEGIN_DECLS

#define EA_RISK_MAX_QUOTES   32
#define EA_RISK_REASON_LEN   96
#define EA_RISK_TOKEN_SCALE  G_GINT64_CONSTANT (1000000)

typedef struct
{
  const EaInstrumentSpec *spec;
  gint64                  qty;      /* signed, long > 0 */
  double                  entry;    /* average entry, ticks; NAN: unknown */
  gboolean                has_stop;
  EaTicks                 stop;
} EaRiskPos;

typedef struct
{
  const EaInstrumentSpec *spec;
  EaTicks                 last;
} EaRiskQuote;

/* A working order (set_working_order). */
typedef struct
{
  char                    id[64];
  const EaInstrumentSpec *spec;
  EaSide                  side;
  gint64                  qty;      /* unfilled, > 0 */
  gboolean                has_price;
  EaTicks                 price;
  gboolean                has_stop;
  EaTicks                 stop;
} EaRiskWorking;

typedef struct
{
  char           id[64];
  EaRiskProfile  profile;
  guint          safety_pct;
  EaMicros       fees;              /* per contract per side */
  EaMicros       margin_override;   /* < 0: from the instruments */
  gboolean       reconciling;
  gboolean       halted;
  EaBrokerRestriction broker_restriction;
  char           broker_text[EA_RISK_REASON_LEN];

  /* Persisted state. */
  EaMicros       balance;
  EaMicros       equity;
  EaMicros       peak;              /* trailing reference (start for static) */
  EaMicros       floor;             /* the firm's floor, never decreases */
  gboolean       floor_locked;
  gboolean       failed;
  EaMicros       day_start;         /* equity at the last session close */
  EaMicros       day_start_balance;
  EaTimeUs       next_close;
  EaTimeUs       lock_until;        /* 0: not locked */
  char           lock_reason[EA_RISK_REASON_LEN];
  guint          warned_mask;
  gboolean       reducing;
  gboolean       low_margin;
  gboolean       flat_notified;
  gboolean       day_traded;
  guint          days_traded;
  EaMicros       days[EA_RISK_MAX_DAYS]; /* closed days' P&L, ring */
  guint          n_days;
  guint          day_head;          /* index of the next write */
  EaRiskPos      pos[EA_RISK_MAX_POSITIONS];
  guint          n_pos;

  /* Working orders: not persisted, the broker's snapshot restores them. */
  EaRiskWorking  work[EA_RISK_MAX_WORKING];
  guint          n_work;

  /* Rate limiter. */
  gint64         tokens;            /* × EA_RISK_TOKEN_SCALE */
  EaTimeUs       tokens_at;

  /* Flat-by window cache: inside [flat_from, flat_to) when flat_inside;
   * the cache holds while now ∈ [flat_valid_from, flat_valid_to). */
  EaTimeUs       flat_valid_from;
  EaTimeUs       flat_valid_to;
  gboolean       flat_inside;

  /* Derived on every change (refresh_limits). */
  EaMicros       eff_floor;
  EaMicros       eff_daily;         /* 0: none */
  EaMicros       eff_open_loss;     /* 0: none */
  EaMicros       lock_level;        /* G_MAXINT64: none */
} EaRiskAccount;

struct _EaRiskEngine
{
  EaRiskAccount  acct[EA_RISK_MAX_ACCOUNTS];
  guint          n_acct;
  EaRiskQuote    quotes[EA_RISK_MAX_QUOTES];
  guint          n_quotes;
  EaTradingState global_state;
  EaTimeUs       global_until;
  char           global_reason[EA_RISK_REASON_LEN];
};

void            _ea_risk_account_init      (EaRiskAccount       *a,
                                            const char          *id,
                                            const EaRiskProfile *profile,
                                            guint                safety_pct,
                                            EaTimeUs             now);
void            _ea_risk_refresh_limits    (EaRiskAccount       *a);
EaTradingState  _ea_risk_account_state     (const EaRiskAccount *a,
                                            EaTimeUs             now);
const EaRiskQuote *
                _ea_risk_find_quote        (const EaRiskEngine  *e,
                                            const EaInstrumentSpec *spec);
EaRiskPos      *_ea_risk_find_pos          (EaRiskAccount       *a,
                                            const EaInstrumentSpec *spec);
EaMicros        _ea_risk_pos_risk          (const EaRiskEngine  *e,
                                            const EaRiskAccount *a,
                                            const EaRiskPos     *p);
EaMicros        _ea_risk_open_risk         (const EaRiskEngine  *e,
                                            const EaRiskAccount *a,
                                            const EaRiskPos     *skip);
EaMicros        _ea_risk_pos_open_profit   (const EaRiskEngine  *e,
                                            const EaRiskPos     *p);
EaMicros        _ea_risk_floor_risk        (const EaRiskEngine  *e,
                                            const EaRiskAccount *a,
                                            const EaRiskPos     *skip);
EaTicks         _ea_risk_default_stop_ticks (const EaInstrumentSpec *spec);
gboolean        _ea_risk_flat_by_inside    (EaRiskAccount       *a,
                                            EaTimeUs             now);
EaMicros        _ea_risk_margin_used       (const EaRiskAccount *a);
void            _ea_risk_working_exposure  (const EaRiskEngine  *e,
                                            const EaRiskAccount *a,
                                            const EaInstrumentSpec *skip_spec,
                                            gint64              *tenths,
                                            EaMicros            *loss);

G_END_DECLS
