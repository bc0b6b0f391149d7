/* ea-risk.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The risk engine's accounts and their continuous evaluation (DOMAIN §7):
 * peak, trailing floor by mode with its lock level, day P&L, usages,
 * levels, trading states and locks.
 */
#define G_LOG_DOMAIN "ea-risk"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-risk-private.h"
#include "ea-session.h"

G_DEFINE_QUARK (ea-risk-error-quark, ea_risk_error)

/* ---- time ---------------------------------------------------------------- */

EaTimeUs
ea_risk_next_session_open (EaTimeUs now)
{
  return ea_session_next_open_us (now);
}

/* The flat-by window that starts on the local day @now + @day_offset:
 * [flat-by time, next session open). */
static void
flat_window (const EaRiskProfile *p,
             GTimeZone           *tz,
             EaTimeUs             now,
             int                  day_offset,
             EaTimeUs            *from,
             EaTimeUs            *to)
{
  g_autoptr(GDateTime) t = ea_time_us_to_date_time (now);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (t, tz);
  g_autoptr(GDateTime) day = g_date_time_add_days (local, day_offset);
  g_autoptr(GDateTime) start = g_date_time_new (tz,
                                                g_date_time_get_year (day),
                                                g_date_time_get_month (day),
                                                g_date_time_get_day_of_month (day),
                                                p->flat_by_minutes / 60,
                                                p->flat_by_minutes % 60, 0);
  g_autoptr(GDateTime) open = ea_session_next_open (start);

  *from = ea_time_us_from_date_time (start);
  *to = ea_time_us_from_date_time (open);
}

gboolean
_ea_risk_flat_by_inside (EaRiskAccount *a,
                         EaTimeUs       now)
{
  GTimeZone *tz;

  if (a->profile.flat_by_minutes < 0)
    return FALSE;
  if (now >= a->flat_valid_from && now < a->flat_valid_to)
    return a->flat_inside;

  /* Rare: recompute the window around now (allocates). */
  tz = g_time_zone_new_identifier (a->profile.flat_by_zone);
  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  for (int d = -3; d <= 1; d++)
    {
      EaTimeUs from, to;

      flat_window (&a->profile, tz, now, d, &from, &to);
      if (to <= now)
        continue;
      a->flat_inside = now >= from;
      a->flat_valid_from = a->flat_inside ? from : now;
      a->flat_valid_to = a->flat_inside ? to : from;
      break;
    }
  g_time_zone_unref (tz);
  return a->flat_inside;
}

/* ---- accounts ------------------------------------------------------------ */

static EaMicros
scale_pct (EaMicros amount,
           guint    pct)
{
  return amount / 100 * pct + (amount % 100) * pct / 100;
}

static EaMicros
compute_floor (const EaRiskProfile *p,
               EaMicros             peak)
{
  EaMicros f = peak - p->trailing_amount;

  if (p->has_lock && f > p->start_balance + p->lock_level_offset)
    f = p->start_balance + p->lock_level_offset;
  return MAX (f, p->start_balance - p->trailing_amount);
}

void
_ea_risk_refresh_limits (EaRiskAccount *a)
{
  const EaRiskProfile *p = &a->profile;
  EaMicros cap = 0;

  a->eff_floor = a->peak - scale_pct (a->peak - a->floor, a->safety_pct);
  a->eff_daily = scale_pct (p->daily_loss_limit, a->safety_pct);
  a->lock_level = p->has_lock ? p->start_balance + p->lock_level_offset : G_MAXINT64;

  if (p->max_open_loss > 0)
    cap = p->max_open_loss;
  if (p->max_open_loss_share > 0)
    {
      EaMicros base = MAX (p->trailing_amount, a->day_start_balance - p->start_balance);
      EaMicros share = (EaMicros) ((double) base * p->max_open_loss_share);

      cap = cap > 0 ? MIN (cap, share) : share;
    }
  a->eff_open_loss = scale_pct (cap, a->safety_pct);
}

void
_ea_risk_account_init (EaRiskAccount       *a,
                       const char          *id,
                       const EaRiskProfile *profile,
                       guint                safety_pct,
                       EaTimeUs             now)
{
  memset (a, 0, sizeof *a);
  g_strlcpy (a->id, id, sizeof a->id);
  a->profile = *profile;
  a->safety_pct = safety_pct;
  a->margin_override = -1;
  a->balance = a->equity = profile->start_balance;
  a->peak = profile->start_balance;
  a->floor = compute_floor (profile, a->peak);
  a->day_start = a->day_start_balance = profile->start_balance;
  a->next_close = ea_session_next_close_us (now);
  a->tokens = (gint64) profile->orders_per_second * EA_RISK_TOKEN_SCALE;
  a->tokens_at = now;
  _ea_risk_refresh_limits (a);
}

EaRiskEngine *
ea_risk_engine_new (void)
{
  return g_new0 (EaRiskEngine, 1);
}

void
ea_risk_engine_free (EaRiskEngine *engine)
{
  g_free (engine);
}

static gboolean
valid_safety (guint pct,
              GError **error)
{
  if (pct >= 5 && pct <= 100)
    return TRUE;
  g_set_error (error, EA_RISK_ERROR, EA_RISK_ERROR_INVALID,
               "safety ratio %u %% is outside 5–100 %%", pct);
  return FALSE;
}

gint
ea_risk_engine_add_account (EaRiskEngine        *e,
                            const char          *account_id,
                            const EaRiskProfile *profile,
                            guint                safety_pct,
                            EaTimeUs             now,
                            GError             **error)
{
  g_return_val_if_fail (e != NULL, -1);
  g_return_val_if_fail (account_id != NULL && profile != NULL, -1);

  if (!ea_risk_profile_validate (profile, error) || !valid_safety (safety_pct, error))
    return -1;
  if (strlen (account_id) == 0 || strlen (account_id) >= sizeof e->acct[0].id)
    {
      g_set_error (error, EA_RISK_ERROR, EA_RISK_ERROR_INVALID, "account id must have 1 to 63 bytes");
      return -1;
    }
  if (ea_risk_engine_find_account (e, account_id) >= 0)
    {
      g_set_error (error, EA_RISK_ERROR, EA_RISK_ERROR_DUPLICATE, "account %s is already known", account_id);
      return -1;
    }
  if (e->n_acct == EA_RISK_MAX_ACCOUNTS)
    {
      g_set_error (error, EA_RISK_ERROR, EA_RISK_ERROR_FULL, "at most %d accounts", EA_RISK_MAX_ACCOUNTS);
      return -1;
    }

  _ea_risk_account_init (&e->acct[e->n_acct], account_id, profile, safety_pct, now);
  return (gint) e->n_acct++;
}

gint
ea_risk_engine_find_account (EaRiskEngine *e,
                             const char   *account_id)
{
  for (guint i = 0; i < e->n_acct; i++)
    if (strcmp (e->acct[i].id, account_id) == 0)
      return (gint) i;
  return -1;
}

guint
ea_risk_engine_get_n_accounts (EaRiskEngine *e)
{
  return e->n_acct;
}

const char *
ea_risk_engine_get_account_id (EaRiskEngine *e,
                               guint         account)
{
  g_return_val_if_fail (account < e->n_acct, NULL);
  return e->acct[account].id;
}

const EaRiskProfile *
ea_risk_engine_get_profile (EaRiskEngine *e,
                            guint         account)
{
  g_return_val_if_fail (account < e->n_acct, NULL);
  return &e->acct[account].profile;
}

static gboolean
may_loosen (EaRiskEngine  *e,
            EaRiskAccount *a,
            EaTimeUs       now,
            GError       **error)
{
  for (guint i = 0; i < a->n_pos; i++)
    if (a->pos[i].qty != 0)
      {
        g_set_error (error, EA_RISK_ERROR, EA_RISK_ERROR_LOOSEN,
                     "limits can be loosened only while flat (%s holds a position)", a->id);
        return FALSE;
      }
  if (_ea_risk_account_state (a, now) == EA_TRADING_STATE_LOCKED ||
      ea_risk_engine_get_global_state (e, now, NULL, NULL) == EA_TRADING_STATE_LOCKED)
    {
      g_set_error (error, EA_RISK_ERROR, EA_RISK_ERROR_LOOSEN,
                   "limits cannot be loosened during a lock");
      return FALSE;
    }
  return TRUE;
}

gboolean
ea_risk_engine_set_profile (EaRiskEngine        *e,
                            guint                account,
                            const EaRiskProfile *profile,
                            EaTimeUs             now,
                            GError             **error)
{
  EaRiskAccount *a;
  gboolean tighter;
  EaMicros floor;

  g_return_val_if_fail (account < e->n_acct, FALSE);
  a = &e->acct[account];

  if (!ea_risk_profile_validate (profile, error))
    return FALSE;
  tighter = ea_risk_profile_is_not_looser (profile, &a->profile);
  if (!tighter && !may_loosen (e, a, now, error))
    return FALSE;

  a->profile = *profile;
  if (profile->trailing_mode == EA_TRAILING_STATIC)
    a->peak = profile->start_balance;
  else
    a->peak = MAX (a->peak, profile->start_balance);
  floor = compute_floor (profile, a->peak);
  a->floor = tighter ? MAX (a->floor, floor) : floor;
  a->floor_locked = profile->has_lock && a->floor >= profile->start_balance + profile->lock_level_offset;
  a->flat_valid_from = a->flat_valid_to = 0;
  _ea_risk_refresh_limits (a);
  return TRUE;
}

gboolean
ea_risk_engine_set_safety (EaRiskEngine *e,
                           guint         account,
                           guint         safety_pct,
                           EaTimeUs      now,
                           GError      **error)
{
  EaRiskAccount *a;

  g_return_val_if_fail (account < e->n_acct, FALSE);
  a = &e->acct[account];

  if (!valid_safety (safety_pct, error))
    return FALSE;
  if (safety_pct > a->safety_pct && !may_loosen (e, a, now, error))
    return FALSE;
  a->safety_pct = safety_pct;
  _ea_risk_refresh_limits (a);
  return TRUE;
}

void
ea_risk_engine_set_fees (EaRiskEngine *e,
                         guint         account,
                         EaMicros      per_contract_side)
{
  g_return_if_fail (account < e->n_acct && per_contract_side >= 0);
  e->acct[account].fees = per_contract_side;
}

void
ea_risk_engine_set_broker_restriction (EaRiskEngine        *e,
                                       guint                account,
                                       EaBrokerRestriction  restriction,
                                       const char          *text)
{
  EaRiskAccount *a;

  g_return_if_fail (e != NULL && account < e->n_acct);
  a = &e->acct[account];
  a->broker_restriction = restriction;
  g_strlcpy (a->broker_text, restriction != EA_BROKER_RESTRICTION_NONE && text ? text : "",
             sizeof a->broker_text);
}

void
ea_risk_engine_set_reconciling (EaRiskEngine *e,
                                guint         account,
                                gboolean      reconciling)
{
  g_return_if_fail (account < e->n_acct);
  e->acct[account].reconciling = !!reconciling;
}

void
ea_risk_engine_set_margin_used (EaRiskEngine *e,
                                guint         account,
                                EaMicros      margin_used)
{
  g_return_if_fail (account < e->n_acct);
  e->acct[account].margin_override = margin_used < 0 ? -1 : margin_used;
}

void
ea_risk_engine_halt_account (EaRiskEngine *e,
                             guint         account,
                             gboolean      halted)
{
  g_return_if_fail (account < e->n_acct);
  e->acct[account].halted = !!halted;
}

void
ea_risk_engine_reset_account (EaRiskEngine *e,
                              guint         account,
                              EaTimeUs      now)
{
  EaRiskAccount *a;
  EaRiskProfile profile;
  char id[sizeof a->id];
  guint safety;
  EaMicros fees, margin;
  gboolean reconciling;

  g_return_if_fail (account < e->n_acct);
  a = &e->acct[account];

  g_strlcpy (id, a->id, sizeof id);
  profile = a->profile;
  safety = a->safety_pct;
  fees = a->fees;
  margin = a->margin_override;
  reconciling = a->reconciling;

  _ea_risk_account_init (a, id, &profile, safety, now);
  a->fees = fees;
  a->margin_override = margin;
  a->reconciling = reconciling;
}

const EaRiskQuote *
_ea_risk_find_quote (const EaRiskEngine     *e,
                     const EaInstrumentSpec *spec)
{
  for (guint i = 0; i < e->n_quotes; i++)
    if (e->quotes[i].spec == spec)
      return &e->quotes[i];
  return NULL;
}

void
ea_risk_engine_set_last_price (EaRiskEngine           *e,
                               const EaInstrumentSpec *spec,
                               EaTicks                 last)
{
  EaRiskQuote *q = (EaRiskQuote *) _ea_risk_find_quote (e, spec);

  g_return_if_fail (spec != NULL);
  if (q == NULL)
    {
      g_return_if_fail (e->n_quotes < EA_RISK_MAX_QUOTES);
      q = &e->quotes[e->n_quotes++];
      q->spec = spec;
    }
  q->last = last;
}

EaRiskPos *
_ea_risk_find_pos (EaRiskAccount          *a,
                   const EaInstrumentSpec *spec)
{
  for (guint i = 0; i < a->n_pos; i++)
    if (a->pos[i].spec == spec)
      return &a->pos[i];
  return NULL;
}

void
ea_risk_engine_set_position (EaRiskEngine           *e,
                             guint                   account,
                             const EaInstrumentSpec *spec,
                             gint64                  qty,
                             double                  avg_entry,
                             gboolean                has_stop,
                             EaTicks                 stop)
{
  EaRiskAccount *a;
  EaRiskPos *p;

  g_return_if_fail (account < e->n_acct && spec != NULL);
  a = &e->acct[account];
  p = _ea_risk_find_pos (a, spec);
  if (p == NULL)
    {
      if (qty == 0)
        return;
      g_return_if_fail (a->n_pos < EA_RISK_MAX_POSITIONS);
      p = &a->pos[a->n_pos++];
      p->spec = spec;
    }
  if (p->qty != qty)
    a->day_traded = TRUE;
  p->qty = qty;
  p->entry = avg_entry;
  p->has_stop = has_stop;
  p->stop = stop;
  if (qty == 0)
    *p = a->pos[--a->n_pos];
}

EaTicks
_ea_risk_default_stop_ticks (const EaInstrumentSpec *spec)
{
  /* DOMAIN §3: a stop defaults to 1.5 × ATR; before ATR exists the
   * instrument's default ATR stands in. */
  return (EaTicks) (1.5 * spec->default_atr_points / spec->tick_size + 0.5);
}

EaMicros
_ea_risk_pos_risk (const EaRiskEngine  *e,
                   const EaRiskAccount *a,
                   const EaRiskPos     *p)
{
  const EaRiskQuote *q = _ea_risk_find_quote (e, p->spec);
  gint64 n = ABS (p->qty);
  EaTicks dist;

  if (p->has_stop && q != NULL)
    dist = MAX (0, (q->last - p->stop) * (p->qty > 0 ? 1 : -1));
  else
    dist = _ea_risk_default_stop_ticks (p->spec);
  return n * ((dist + 1) * p->spec->tick_value + a->fees);
}

EaMicros
_ea_risk_open_risk (const EaRiskEngine  *e,
                    const EaRiskAccount *a,
                    const EaRiskPos     *skip)
{
  EaMicros sum = 0;

  for (guint i = 0; i < a->n_pos; i++)
    if (&a->pos[i] != skip)
      sum += _ea_risk_pos_risk (e, a, &a->pos[i]);
  return sum;
}

/* @p's open profit at the last price, fees aside (0 when unknown). */
EaMicros
_ea_risk_pos_open_profit (const EaRiskEngine  *e,
                          const EaRiskPos     *p)
{
  const EaRiskQuote *q = _ea_risk_find_quote (e, p->spec);
  double ticks;

  if (isnan (p->entry) || q == NULL)
    return 0;
  ticks = ((double) q->last - p->entry) * (p->qty > 0 ? 1.0 : -1.0);
  return (EaMicros) ceil (ticks * (double) p->spec->tick_value * (double) ABS (p->qty));
}

/* What the positions take out of the room above the trailing floor if
 * their stops fill. Under an intraday-realized floor, a stop that fills in
 * profit also raises the floor by that profit, and loss + profit is then
 * the whole open profit: each position takes max(risk, open profit). */
EaMicros
_ea_risk_floor_risk (const EaRiskEngine  *e,
                     const EaRiskAccount *a,
                     const EaRiskPos     *skip)
{
  EaMicros sum = 0;

  if (a->profile.trailing_mode != EA_TRAILING_INTRADAY_REALIZED)
    return _ea_risk_open_risk (e, a, skip);
  for (guint i = 0; i < a->n_pos; i++)
    if (&a->pos[i] != skip)
      sum += MAX (_ea_risk_pos_risk (e, a, &a->pos[i]), _ea_risk_pos_open_profit (e, &a->pos[i]));
  return sum;
}

EaMicros
_ea_risk_margin_used (const EaRiskAccount *a)
{
  EaMicros sum = 0;

  if (a->margin_override >= 0)
    return a->margin_override;
  for (guint i = 0; i < a->n_pos; i++)
    sum += ABS (a->pos[i].qty) * a->pos[i].spec->day_margin;
  return sum;
}

EaTradingState
_ea_risk_account_state (const EaRiskAccount *a,
                        EaTimeUs             now)
{
  if (a->lock_until != 0 && now < a->lock_until)
    return EA_TRADING_STATE_LOCKED;
  if (a->broker_restriction == EA_BROKER_RESTRICTION_LOCKED)
    return EA_TRADING_STATE_LOCKED;
  if (a->halted)
    return EA_TRADING_STATE_HALTED;
  if (a->reducing || a->broker_restriction == EA_BROKER_RESTRICTION_LIQUIDATION_ONLY)
    return EA_TRADING_STATE_REDUCING;
  return EA_TRADING_STATE_ACTIVE;
}

/* ---- continuous evaluation ----------------------------------------------- */

static void
close_session (EaRiskAccount *a,
               EaTimeUs       now)
{
  const EaRiskProfile *p = &a->profile;
  EaMicros close_equity = a->equity;

  if (p->trailing_mode == EA_TRAILING_EOD)
    a->peak = MAX (a->peak, close_equity);

  a->days[a->day_head] = close_equity - a->day_start;
  a->day_head = (a->day_head + 1) % EA_RISK_MAX_DAYS;
  a->n_days = MIN (a->n_days + 1, EA_RISK_MAX_DAYS);
  if (a->day_traded)
    a->days_traded++;
  a->day_traded = FALSE;
  a->day_start = close_equity;
  a->day_start_balance = a->balance;
  a->warned_mask = 0;
  a->next_close = ea_session_next_close_us (now);
}

static void
lock_account (EaRiskAccount *a,
              EaTimeUs       until,
              const char    *reason)
{
  a->lock_until = until;
  g_strlcpy (a->lock_reason, reason, sizeof a->lock_reason);
}

void
ea_risk_engine_lock_account (EaRiskEngine *e,
                             guint         account,
                             EaTimeUs      until,
                             const char   *reason)
{
  g_return_if_fail (account < e->n_acct);
  g_return_if_fail (reason != NULL);

  /* A longer lock (a failed account, a breach) is kept. */
  if (e->acct[account].lock_until == EA_RISK_LOCK_FOREVER || e->acct[account].lock_until >= until)
    return;
  lock_account (&e->acct[account], until, reason);
}

static double
ratio (EaMicros loss,
       EaMicros limit)
{
  if (limit <= 0)
    return 0.0;
  return loss <= 0 ? 0.0 : (double) loss / (double) limit;
}

static void
usages (const EaRiskAccount *a,
        double               u[EA_RISK_N_LIMITS])
{
  u[EA_RISK_LIMIT_TRAILING] = ratio (a->peak - a->equity, a->peak - a->eff_floor);
  u[EA_RISK_LIMIT_DAILY] = ratio (a->day_start - a->equity, a->eff_daily);
  u[EA_RISK_LIMIT_OPEN_LOSS] = ratio (a->balance - a->equity, a->eff_open_loss);
}

EaRiskEvents
ea_risk_engine_update_equity (EaRiskEngine *e,
                              guint         account,
                              EaMicros      balance,
                              EaMicros      equity,
                              EaTimeUs      now)
{
  EaRiskAccount *a;
  const EaRiskProfile *p;
  EaRiskEvents ev = EA_RISK_EVENT_NONE;
  EaMicros floor, margin;
  double u[EA_RISK_N_LIMITS];
  gboolean reducing, low;

  g_return_val_if_fail (account < e->n_acct, EA_RISK_EVENT_NONE);
  a = &e->acct[account];
  p = &a->profile;

  if (G_UNLIKELY (now >= a->next_close))
    {
      close_session (a, now);
      ev |= EA_RISK_EVENT_SESSION_CLOSED;
    }
  if (G_UNLIKELY (a->lock_until != 0 && now >= a->lock_until))
    {
      a->lock_until = 0;
      a->lock_reason[0] = '\0';
      ev |= EA_RISK_EVENT_LOCK_EXPIRED;
    }

  a->balance = balance;
  a->equity = equity;
  switch (p->trailing_mode)
    {
    case EA_TRAILING_INTRADAY_UNREALIZED:
      a->peak = MAX (a->peak, equity);
      break;
    case EA_TRAILING_INTRADAY_REALIZED:
      a->peak = MAX (a->peak, balance);
      break;
    case EA_TRAILING_EOD:
    case EA_TRAILING_STATIC:
      break;
    default:
      g_assert_not_reached ();
    }
  floor = compute_floor (p, a->peak);
  if (floor > a->floor)
    a->floor = floor;
  if (!a->floor_locked && a->floor >= a->lock_level)
    {
      a->floor_locked = TRUE;
      ev |= EA_RISK_EVENT_FLOOR_LOCKED;
    }
  _ea_risk_refresh_limits (a);
  usages (a, u);

  /* The firm's own limits: the account fails. */
  if (!a->failed &&
      (equity <= a->floor ||
       (p->daily_loss_limit > 0 && p->daily_loss_action == EA_DAILY_LOSS_FAIL &&
        a->day_start - equity >= p->daily_loss_limit)))
    {
      a->failed = TRUE;
      lock_account (a, EA_RISK_LOCK_FOREVER,
                    equity <= a->floor ? "the firm's drawdown floor was reached: account failed"
                                       : "the firm's daily loss limit was reached: account failed");
      ev |= EA_RISK_EVENT_BREACH | EA_RISK_EVENT_LOCKED | EA_RISK_EVENT_FAILED;
    }
  else if (a->lock_until == 0)
    {
      const char *why = NULL;

      if (u[EA_RISK_LIMIT_TRAILING] >= 1.0)
        why = "trailing drawdown limit reached";
      else if (a->eff_daily > 0 && u[EA_RISK_LIMIT_DAILY] >= 1.0)
        {
          why = "daily loss limit reached";
          ev |= EA_RISK_EVENT_DAILY_PAUSE;
        }
      else if (a->eff_open_loss > 0 && u[EA_RISK_LIMIT_OPEN_LOSS] >= 1.0)
        why = "max open loss reached";
      if (why != NULL)
        {
          EaTimeUs until = now;

          for (guint i = 0; i < MAX (1u, p->lock_sessions); i++)
            until = ea_risk_next_session_open (until);
          lock_account (a, until, why);
          ev |= EA_RISK_EVENT_BREACH | EA_RISK_EVENT_LOCKED;
        }
    }

  for (guint i = 0; i < EA_RISK_N_LIMITS; i++)
    {
      if (u[i] >= 0.75 && !(a->warned_mask & (1u << i)))
        {
          a->warned_mask |= 1u << i;
          ev |= EA_RISK_EVENT_WARNING;
        }
      else if (u[i] < 0.70)
        a->warned_mask &= ~(1u << i);
    }

  reducing = u[EA_RISK_LIMIT_TRAILING] >= 0.90 || u[EA_RISK_LIMIT_DAILY] >= 0.90;
  if (reducing && !a->reducing)
    ev |= EA_RISK_EVENT_REDUCING;
  a->reducing = reducing;

  if (p->flat_by_minutes >= 0 && _ea_risk_flat_by_inside (a, now))
    {
      if (a->n_pos > 0 && !a->flat_notified)
        {
          a->flat_notified = TRUE;
          ev |= EA_RISK_EVENT_FLAT_BY_DUE;
        }
    }
  else
    a->flat_notified = FALSE;

  margin = _ea_risk_margin_used (a);
  low = equity <= 0 || (equity - margin) * 4 < equity;
  if (low && !a->low_margin)
    ev |= EA_RISK_EVENT_LOW_MARGIN;
  a->low_margin = low;

  return ev;
}

/* ---- status -------------------------------------------------------------- */

static EaRiskLevel
level_of (double u)
{
  if (u >= 1.0)
    return EA_RISK_LEVEL_BREACH;
  if (u >= 0.8)
    return EA_RISK_LEVEL_DANGER;
  if (u >= 0.6)
    return EA_RISK_LEVEL_WARNING;
  return EA_RISK_LEVEL_SAFE;
}

void
ea_risk_engine_get_status (EaRiskEngine *e,
                           guint         account,
                           EaTimeUs      now,
                           EaRiskStatus *s)
{
  EaRiskAccount *a;
  const EaRiskProfile *p;
  double max_u = 0, margin_pct;
  EaMicros best = 0, total = 0;
  guint window;

  g_return_if_fail (account < e->n_acct && s != NULL);
  a = &e->acct[account];
  p = &a->profile;
  memset (s, 0, sizeof *s);

  s->state = _ea_risk_account_state (a, now);
  s->failed = a->failed;
  s->floor_locked = a->floor_locked;
  s->reconciling = a->reconciling;
  s->flat_by_due = _ea_risk_flat_by_inside (a, now);
  {
    gboolean own_lock = a->lock_until != 0 && now < a->lock_until;

    s->lock_until = own_lock ? a->lock_until : 0;
    s->lock_reason = own_lock ? a->lock_reason : NULL;
  }
  s->broker_restriction = a->broker_restriction;
  s->broker_text = a->broker_restriction != EA_BROKER_RESTRICTION_NONE && a->broker_text[0] != '\0'
                   ? a->broker_text : NULL;
  s->safety_pct = a->safety_pct;
  s->start_balance = p->start_balance;
  s->balance = a->balance;
  s->equity = a->equity;
  s->peak = a->peak;
  s->floor = a->floor;
  s->effective_floor = a->eff_floor;
  s->lock_level = p->has_lock ? a->lock_level : 0;
  s->day_pnl = a->equity - a->day_start;
  s->daily_loss_room = a->eff_daily > 0 ? a->eff_daily + s->day_pnl : G_MAXINT64;
  s->trailing_room = a->equity - a->eff_floor;
  s->open_risk = _ea_risk_open_risk (e, a, NULL);
  s->max_contracts = ea_risk_profile_max_contracts_at (p, a->balance);
  for (guint i = 0; i < a->n_pos; i++)
    s->contracts_in_use += (double) ABS (a->pos[i].qty) / a->pos[i].spec->micro_ratio;
  {
    gint64 tenths;

    _ea_risk_working_exposure (e, a, NULL, &tenths, &s->working_risk);
    s->contracts_committed = s->contracts_in_use + (double) tenths / 10.0;
    s->n_working = a->n_work;
  }

  usages (a, s->usage);
  s->effective_limit[EA_RISK_LIMIT_TRAILING] = a->peak - a->eff_floor;
  s->effective_limit[EA_RISK_LIMIT_DAILY] = a->eff_daily;
  s->effective_limit[EA_RISK_LIMIT_OPEN_LOSS] = a->eff_open_loss;
  for (guint i = 0; i < EA_RISK_N_LIMITS; i++)
    max_u = MAX (max_u, s->usage[i]);
  s->level = level_of (max_u);
  if (a->failed)
    s->level = EA_RISK_LEVEL_BREACH;

  /* Consistency: the best day's share of the window's profit, today
   * included. */
  window = p->consistency_window_days > 0 ? MIN (p->consistency_window_days, a->n_days) : a->n_days;
  best = MAX (0, s->day_pnl);
  total = s->day_pnl;
  for (guint i = 0; i < window; i++)
    {
      EaMicros d = a->days[(a->day_head + EA_RISK_MAX_DAYS - 1 - i) % EA_RISK_MAX_DAYS];

      best = MAX (best, d);
      total += d;
    }
  s->best_day_share = total > 0 ? (double) best / (double) total : 0.0;
  s->consistency_ok = p->consistency_max_share <= 0 || s->best_day_share <= p->consistency_max_share;
  s->days_traded = a->days_traded + (a->day_traded ? 1 : 0);

  s->margin_used = _ea_risk_margin_used (a);
  s->margin_available = a->equity - s->margin_used;
  margin_pct = a->equity > 0 ? (double) s->margin_available / (double) a->equity : 0.0;
  s->margin_status = margin_pct > 0.5 ? EA_MARGIN_SAFE : margin_pct > 0.2 ? EA_MARGIN_WARNING : EA_MARGIN_DANGER;
  s->low_margin = margin_pct < 0.25;
}

/* ---- global state -------------------------------------------------------- */

void
ea_risk_engine_halt (EaRiskEngine *e,
                     const char   *reason)
{
  if (e->global_state != EA_TRADING_STATE_LOCKED)
    e->global_state = EA_TRADING_STATE_HALTED;
  g_strlcpy (e->global_reason, reason ? reason : "", sizeof e->global_reason);
}

void
ea_risk_engine_lock (EaRiskEngine *e,
                     EaTimeUs      until,
                     const char   *reason)
{
  e->global_state = EA_TRADING_STATE_LOCKED;
  e->global_until = MAX (e->global_until, until);
  g_strlcpy (e->global_reason, reason ? reason : "", sizeof e->global_reason);
}

EaTradingState
ea_risk_engine_get_global_state (EaRiskEngine *e,
                                 EaTimeUs      now,
                                 EaTimeUs     *lock_until,
                                 const char  **reason)
{
  EaTradingState st = e->global_state;

  /* An expired lock stays a HALTED latch until the user resets it. */
  if (st == EA_TRADING_STATE_LOCKED && now >= e->global_until)
    st = EA_TRADING_STATE_HALTED;
  if (lock_until)
    *lock_until = st == EA_TRADING_STATE_LOCKED ? e->global_until : 0;
  if (reason)
    *reason = st == EA_TRADING_STATE_ACTIVE ? NULL : e->global_reason;
  return st;
}

gboolean
ea_risk_engine_reset (EaRiskEngine *e,
                      EaTimeUs      now,
                      GError      **error)
{
  if (ea_risk_engine_get_global_state (e, now, NULL, NULL) == EA_TRADING_STATE_LOCKED)
    {
      g_set_error (error, EA_RISK_ERROR, EA_RISK_ERROR_LOCKED,
                   "trading is locked (%s); the lock must expire first", e->global_reason);
      return FALSE;
    }
  e->global_state = EA_TRADING_STATE_ACTIVE;
  e->global_until = 0;
  e->global_reason[0] = '\0';
  return TRUE;
}
