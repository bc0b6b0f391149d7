/* ea-risk-profile.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A prop-firm rule set (DOMAIN §6) as plain data: one firm, product,
 * version and account size. Profiles are fixed-size structs so the risk
 * engine can copy them without allocating; they are loaded from JSON by
 * the profile store and validated here.
 */
#pragma once

#include <glib.h>

#include "ea-core-types.h"

G_BEGIN_DECLS

#define EA_RISK_PROFILE_ERROR (ea_risk_profile_error_quark ())

typedef enum
{
  EA_RISK_PROFILE_ERROR_INVALID,   /* a field has a value outside its domain */
  EA_RISK_PROFILE_ERROR_MISSING,   /* a required field is absent */
  EA_RISK_PROFILE_ERROR_MALFORMED, /* a serialized record cannot be read */
} EaRiskProfileError;

typedef enum
{
  EA_TRAILING_INTRADAY_UNREALIZED, /* floor trails the peak of equity incl. open P&L */
  EA_TRAILING_INTRADAY_REALIZED,   /* floor trails the peak of the closed balance */
  EA_TRAILING_EOD,                 /* floor moves only at the session close */
  EA_TRAILING_STATIC,              /* floor = start − amount, never moves */
} EaTrailingMode;

typedef enum
{
  EA_DAILY_LOSS_PAUSE, /* LOCKED until the next session open */
  EA_DAILY_LOSS_FAIL,  /* the account fails */
} EaDailyLossAction;

#define EA_RISK_PROFILE_MAX_SCALING   8
#define EA_RISK_PROFILE_MAX_FORBIDDEN 8
#define EA_RISK_PROFILE_ID_LEN        64
#define EA_RISK_PROFILE_NAME_LEN      48
#define EA_RISK_PROFILE_NOTE_LEN      512

/* One rung of a scaling ladder: while the closed balance is below
 * start + @until_profit, at most @max_contracts minis. */
typedef struct
{
  EaMicros until_profit;
  guint    max_contracts;
} EaScalingStep;

typedef struct
{
  char              id[EA_RISK_PROFILE_ID_LEN];          /* "apex-legacy-50k" */
  char              firm[EA_RISK_PROFILE_NAME_LEN];      /* "Apex Trader Funding" */
  char              product[EA_RISK_PROFILE_NAME_LEN];   /* "Legacy evaluation" */
  char              version[EA_RISK_PROFILE_NAME_LEN];   /* "legacy" */
  char              effective_date[11];                  /* YYYY-MM-DD */
  char              source_date[11];                     /* YYYY-MM-DD */
  char              note[EA_RISK_PROFILE_NOTE_LEN];      /* "Verify with your firm …" */

  EaMicros          account_size;
  EaMicros          start_balance;

  EaTrailingMode    trailing_mode;
  EaMicros          trailing_amount;     /* the max drawdown */
  gboolean          has_lock;
  EaMicros          lock_level_offset;   /* floor stops at start + offset */

  EaMicros          daily_loss_limit;    /* 0: none */
  EaDailyLossAction daily_loss_action;

  guint             max_contracts;       /* minis; 1 mini = 10 micros */
  guint             n_scaling;
  EaScalingStep     scaling[EA_RISK_PROFILE_MAX_SCALING];

  double            consistency_max_share;  /* 0: none; 0.30 = 30 % */
  guint             consistency_window_days;/* 0: since the start */

  EaMicros          max_open_loss;          /* 0: none */
  double            max_open_loss_share;    /* of max(trailing, day-start profit); 0: none */
  double            max_stop_target_ratio;  /* 0: none; 5 = stop ≤ 5 × target */

  gint              flat_by_minutes;        /* minutes after midnight, −1: none */
  char              flat_by_zone[40];       /* "America/New_York" */
  gboolean          weekend_holding;

  EaMicros          profit_target;          /* 0: none (funded) */
  guint             trading_days_min;
  guint             trading_days_max;       /* 0: none */

  guint             n_forbidden;
  char              forbidden[EA_RISK_PROFILE_MAX_FORBIDDEN][8];

  gboolean          hedging_allowed;
  gboolean          stop_required;

  guint             max_order_qty;          /* fat-finger cap per order, minis */
  double            price_band_pct;         /* 2.0 = ±2 % of the last price */
  guint             orders_per_second;      /* token-bucket rate per account */
  guint             lock_sessions;          /* a breach locks until the N-th next session open */
} EaRiskProfile;

/* Field table of the flat fields (not scaling, forbidden): shared by the
 * record serialization and the JSON loader. */
typedef enum
{
  EA_PROFILE_FIELD_STRING,
  EA_PROFILE_FIELD_MICROS,
  EA_PROFILE_FIELD_UINT,
  EA_PROFILE_FIELD_INT,
  EA_PROFILE_FIELD_DOUBLE,
  EA_PROFILE_FIELD_BOOL,
  EA_PROFILE_FIELD_TRAILING_MODE,
  EA_PROFILE_FIELD_DAILY_LOSS_ACTION,
} EaProfileFieldType;

typedef struct
{
  const char         *name;
  EaProfileFieldType  type;
  gsize               offset;
  gsize               size;     /* of the char array, for strings */
  gboolean            required; /* in a JSON file */
} EaProfileField;

GQuark          ea_risk_profile_error_quark      (void);

const EaProfileField *ea_risk_profile_fields     (guint               *n_fields);

/* Neutral defaults: static 2,000 drawdown on 50,000, fat-finger 5, band
 * 2 %, 10 orders/s, no other rule. */
void            ea_risk_profile_init_defaults    (EaRiskProfile       *profile);

/* Checks every field. On failure the message starts with the field name:
 * "trailing_amount: must be positive". */
gboolean        ea_risk_profile_validate         (const EaRiskProfile *profile,
                                                  GError             **error);

/* The profile's max contracts (minis) at a closed @balance, after the
 * scaling ladder. */
guint           ea_risk_profile_max_contracts_at (const EaRiskProfile *profile,
                                                  EaMicros             balance);

/* TRUE when every limit of @next is the same or stricter than @prev. */
gboolean        ea_risk_profile_is_not_looser    (const EaRiskProfile *next,
                                                  const EaRiskProfile *prev);

gboolean        ea_risk_profile_is_forbidden     (const EaRiskProfile *profile,
                                                  const char          *root);

const char     *ea_trailing_mode_to_string       (EaTrailingMode       mode);
gboolean        ea_trailing_mode_from_string     (const char          *str,
                                                  EaTrailingMode      *out);
const char     *ea_daily_loss_action_to_string   (EaDailyLossAction    action);
gboolean        ea_daily_loss_action_from_string (const char          *str,
                                                  EaDailyLossAction   *out);

/* Compact record (a{sv}) and back; the record is validated on read. */
GVariant       *ea_risk_profile_to_variant       (const EaRiskProfile *profile);
gboolean        ea_risk_profile_from_variant     (GVariant            *variant,
                                                  EaRiskProfile       *out,
                                                  GError             **error);

G_END_DECLS
