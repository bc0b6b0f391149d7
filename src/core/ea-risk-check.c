/* ea-risk-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pre-trade check (DOMAIN §7): every new or modified order, with the
 * largest quantity that would still pass. It never allocates (the flat-by
 * window is cached per account and recomputed only when time leaves it).
 */
#define G_LOG_DOMAIN "ea-risk"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-money.h"
#include "ea-risk-private.h"

static const char * const reason_names[] = {
  [EA_RISK_OK]                = "OK",
  [EA_RISK_DAILY_LOSS]        = "DAILY_LOSS",
  [EA_RISK_TRAILING_FLOOR]    = "TRAILING_FLOOR",
  [EA_RISK_MAX_CONTRACTS]     = "MAX_CONTRACTS",
  [EA_RISK_SCALING]           = "SCALING",
  [EA_RISK_FAT_FINGER]        = "FAT_FINGER",
  [EA_RISK_RATE_LIMIT]        = "RATE_LIMIT",
  [EA_RISK_PRICE_BAND]        = "PRICE_BAND",
  [EA_RISK_HEDGING]           = "HEDGING",
  [EA_RISK_STOP_REQUIRED]     = "STOP_REQUIRED",
  [EA_RISK_BAD_STOP]          = "BAD_STOP",
  [EA_RISK_STOP_TARGET_RATIO] = "STOP_TARGET_RATIO",
  [EA_RISK_FLAT_BY]           = "FLAT_BY",
  [EA_RISK_HALTED]            = "HALTED",
  [EA_RISK_LOCKED]            = "LOCKED",
  [EA_RISK_REDUCING]          = "REDUCING",
  [EA_RISK_RECONCILING]       = "RECONCILING",
  [EA_RISK_MAX_OPEN_LOSS]     = "MAX_OPEN_LOSS",
  [EA_RISK_MARGIN]            = "MARGIN",
  [EA_RISK_FORBIDDEN_PRODUCT] = "FORBIDDEN_PRODUCT",
  [EA_RISK_NO_PRICE]          = "NO_PRICE",
  [EA_RISK_BAD_ORDER]         = "BAD_ORDER",
  [EA_RISK_TOO_MANY_ORDERS]   = "TOO_MANY_ORDERS",
  [EA_RISK_BROKER_LOCKED]     = "BROKER_LOCKED",
  [EA_RISK_LIQUIDATION_ONLY]  = "LIQUIDATION_ONLY",
};

const char *
ea_risk_reason_to_string (EaRiskReason reason)
{
  if ((guint) reason < G_N_ELEMENTS (reason_names))
    return reason_names[reason];
  return "UNKNOWN";
}

const char *
ea_margin_status_to_string (EaMarginStatus status)
{
  switch (status)
    {
    case EA_MARGIN_SAFE:
      return "SAFE";
    case EA_MARGIN_WARNING:
      return "WARNING";
    case EA_MARGIN_DANGER:
      return "DANGER";
    default:
      return "UNKNOWN";
    }
}

static gboolean
deny (EaRiskDecision *d,
      EaRiskReason    reason,
      gint64          limit,
      gint64          value)
{
  d->allowed = FALSE;
  d->reason = reason;
  d->limit = limit;
  d->value = value;
  return FALSE;
}

static gboolean
allow (EaRiskDecision *d,
       gint64          allowed_qty)
{
  d->allowed = TRUE;
  d->reason = EA_RISK_OK;
  d->allowed_qty = allowed_qty;
  return TRUE;
}

/* Contracts affordable out of @room at @per each, strictly inside. */
static gint64
cap_by_room (EaMicros room,
             EaMicros per)
{
  if (room <= 0)
    return 0;
  return (room - 1) / per;
}

typedef struct
{
  gint64       cap;
  EaRiskReason reason;
  gint64       limit;
  gint64       value;
} Cap;

static void
tighten (Cap         *best,
         gint64       cap,
         EaRiskReason reason,
         gint64       limit,
         gint64       value)
{
  if (cap < best->cap)
    {
      best->cap = MAX (cap, 0);
      best->reason = reason;
      best->limit = limit;
      best->value = value;
    }
}

static gboolean
hedged (const EaRiskEngine     *e,
        const EaRiskAccount    *self,
        const EaInstrumentSpec *spec,
        EaSide                  side,
        gint64                 *other_qty)
{
  for (guint i = 0; i < e->n_acct; i++)
    {
      const EaRiskAccount *b = &e->acct[i];

      if (b == self)
        continue;
      for (guint j = 0; j < b->n_pos; j++)
        {
          const EaRiskPos *p = &b->pos[j];

          if (p->qty != 0 && (p->qty > 0) != (side > 0) &&
              (p->spec == spec || strcmp (p->spec->family, spec->family) == 0))
            {
              *other_qty = p->qty;
              return TRUE;
            }
        }
    }
  return FALSE;
}

/* Working orders ------------------------------------------------------------ */

static gint64
tenths_of (const EaInstrumentSpec *spec)
{
  /* Contracts in tenths of a mini: a mini is 10, a micro 1. */
  return MAX (1, 10 / (gint64) MAX (1u, spec->micro_ratio));
}

static EaRiskWorking *
find_working (EaRiskAccount *a,
              const char    *id)
{
  for (guint i = 0; i < a->n_work; i++)
    if (strcmp (a->work[i].id, id) == 0)
      return &a->work[i];
  return NULL;
}

gboolean
ea_risk_engine_set_working_order (EaRiskEngine      *e,
                                  guint              account,
                                  const EaRiskOrder *o)
{
  EaRiskAccount *a;
  EaRiskWorking *w;

  g_return_val_if_fail (e != NULL && account < e->n_acct && o != NULL, FALSE);
  g_return_val_if_fail (o->order_id != NULL && *o->order_id != '\0', FALSE);
  a = &e->acct[account];
  w = find_working (a, o->order_id);

  if (o->qty <= 0 || o->spec == NULL || (o->side != EA_SIDE_BUY && o->side != EA_SIDE_SELL))
    {
      if (w != NULL)
        *w = a->work[--a->n_work];
      return TRUE;
    }
  if (w == NULL)
    {
      if (a->n_work >= EA_RISK_MAX_WORKING)
        return FALSE;
      w = &a->work[a->n_work++];
      g_strlcpy (w->id, o->order_id, sizeof w->id);
    }
  w->spec = o->spec;
  w->side = o->side;
  w->qty = o->qty;
  w->has_price = o->has_price;
  w->price = o->price;
  w->has_stop = o->has_stop;
  w->stop = o->stop;
  return TRUE;
}

void
ea_risk_engine_clear_working_orders (EaRiskEngine *e,
                                     guint         account)
{
  g_return_if_fail (e != NULL && account < e->n_acct);
  e->acct[account].n_work = 0;
}

/* @w's loss on @qty contracts if it fills and then its stop (or the
 * default stop distance) fills one tick worse. */
static EaMicros
working_loss (const EaRiskEngine  *e,
              const EaRiskAccount *a,
              const EaRiskWorking *w,
              gint64               qty)
{
  const EaRiskQuote *q;
  EaTicks dist = _ea_risk_default_stop_ticks (w->spec);

  if (qty <= 0)
    return 0;
  if (w->has_stop)
    {
      q = w->has_price ? NULL : _ea_risk_find_quote (e, w->spec);
      if (w->has_price || q != NULL)
        dist = MAX (0, ((w->has_price ? w->price : q->last) - w->stop) * w->side);
    }
  return qty * ((dist + 1) * w->spec->tick_value + 2 * a->fees);
}

/* @spec's working orders on @side (all but @skip_id): their quantity and
 * the loss of the part that opens exposure if all of them fill (the first
 * contracts close a position held the other way). */
static void
working_side (const EaRiskEngine     *e,
              const EaRiskAccount    *a,
              const EaInstrumentSpec *spec,
              EaSide                  side,
              const char             *skip_id,
              gint64                  cur,
              gint64                 *qty,
              EaMicros               *loss)
{
  gint64 closing = cur * side < 0 ? ABS (cur) : 0;

  *qty = 0;
  *loss = 0;
  for (guint i = 0; i < a->n_work; i++)
    {
      const EaRiskWorking *w = &a->work[i];
      gint64 c;

      if (w->spec != spec || w->side != side || (skip_id != NULL && strcmp (w->id, skip_id) == 0))
        continue;
      c = MIN (closing, w->qty);
      closing -= c;
      *qty += w->qty;
      *loss += working_loss (e, a, w, w->qty - c);
    }
}

static gint64
position_qty (const EaRiskAccount    *a,
              const EaInstrumentSpec *spec)
{
  for (guint i = 0; i < a->n_pos; i++)
    if (a->pos[i].spec == spec)
      return a->pos[i].qty;
  return 0;
}

/* What the working orders of every root but @skip_spec commit beyond the
 * positions: per root the worse of "every buy fills" and "every sell
 * fills", in tenths of a mini and in loss to their stops. */
void
_ea_risk_working_exposure (const EaRiskEngine     *e,
                           const EaRiskAccount    *a,
                           const EaInstrumentSpec *skip_spec,
                           gint64                 *tenths,
                           EaMicros               *loss)
{
  *tenths = 0;
  *loss = 0;
  for (guint i = 0; i < a->n_work; i++)
    {
      const EaInstrumentSpec *spec = a->work[i].spec;
      gboolean seen = spec == skip_spec;
      gint64 cur, qb, qs, worst;
      EaMicros lb, ls;

      for (guint j = 0; j < i && !seen; j++)
        seen = a->work[j].spec == spec;
      if (seen)
        continue;
      cur = position_qty (a, spec);
      working_side (e, a, spec, EA_SIDE_BUY, NULL, cur, &qb, &lb);
      working_side (e, a, spec, EA_SIDE_SELL, NULL, cur, &qs, &ls);
      worst = MAX (ABS (cur + qb), ABS (cur - qs));
      *tenths += MAX (0, worst - ABS (cur)) * tenths_of (spec);
      *loss += MAX (lb, ls);
    }
}

static gboolean
take_token (EaRiskAccount *a,
            EaTimeUs       now,
            gboolean       consume)
{
  gint64 rate = a->profile.orders_per_second;
  gint64 cap = rate * EA_RISK_TOKEN_SCALE;
  gint64 tokens = a->tokens;

  if (now > a->tokens_at)
    {
      EaTimeUs dt = MIN (now - a->tokens_at, G_USEC_PER_SEC * 10);

      tokens = MIN (cap, tokens + dt * rate);
    }
  if (tokens < EA_RISK_TOKEN_SCALE)
    return FALSE;
  if (consume)
    {
      a->tokens = tokens - EA_RISK_TOKEN_SCALE;
      a->tokens_at = MAX (now, a->tokens_at);
    }
  return TRUE;
}

gboolean
ea_risk_engine_check (EaRiskEngine      *e,
                      guint              account,
                      const EaRiskOrder *o,
                      EaTimeUs           now,
                      EaRiskDecision    *d)
{
  EaRiskAccount *a;
  const EaRiskProfile *p;
  const EaInstrumentSpec *spec;
  const EaRiskQuote *quote;
  EaRiskPos *pos;
  gint64 cur, next, virt, close_part, base, open, tenths_per, in_use, other_qty = 0;
  gint64 same_qty, other_tenths;
  EaTicks entry, dist;
  EaMicros per, existing, margin_avail, same_loss, other_loss, working;
  EaTradingState st;
  Cap cap;
  guint max_scaled;

  g_return_val_if_fail (e != NULL && o != NULL && d != NULL, FALSE);

  d->allowed = FALSE;
  d->reason = EA_RISK_OK;
  d->limit = d->value = d->allowed_qty = d->limit_qty = 0;
  d->qty_bound = EA_RISK_OK;
  d->worst_loss = 0;
  d->until = 0;

  if (account >= e->n_acct)
    return deny (d, EA_RISK_BAD_ORDER, 0, account);
  if (o->action == EA_RISK_ORDER_CANCEL)
    return allow (d, 0);

  a = &e->acct[account];
  p = &a->profile;
  spec = o->spec;
  if (spec == NULL || o->qty <= 0 || (o->side != EA_SIDE_BUY && o->side != EA_SIDE_SELL))
    return deny (d, EA_RISK_BAD_ORDER, 0, o->qty);

  /* Exposure-reducing orders are always allowed. */
  pos = _ea_risk_find_pos (a, spec);
  cur = pos ? pos->qty : 0;
  next = cur + (gint64) o->side * o->qty;
  if (cur != 0 && (next == 0 || ((next > 0) == (cur > 0) && ABS (next) < ABS (cur))))
    {
      d->limit_qty = ABS (cur);
      return allow (d, ABS (cur));
    }

  /* The worst case for this order: every working order on its side fills
   * too (a modified order stands in for its old self). */
  if (a->n_work >= EA_RISK_MAX_WORKING &&
      (o->action != EA_RISK_ORDER_MODIFY || o->order_id == NULL || find_working (a, o->order_id) == NULL))
    return deny (d, EA_RISK_TOO_MANY_ORDERS, EA_RISK_MAX_WORKING, a->n_work);
  working_side (e, a, spec, o->side, o->action == EA_RISK_ORDER_MODIFY ? o->order_id : NULL, cur,
                &same_qty, &same_loss);
  _ea_risk_working_exposure (e, a, spec, &other_tenths, &other_loss);
  working = same_loss + other_loss;
  virt = cur + (gint64) o->side * same_qty;
  next = virt + (gint64) o->side * o->qty;
  if (virt == 0 || (next > 0) == (virt > 0))
    {
      close_part = 0;
      base = ABS (virt);
      open = o->qty;
    }
  else
    {
      close_part = ABS (virt);
      base = 0;
      open = ABS (next);
    }

  /* States: global first, then the account's. */
  st = ea_risk_engine_get_global_state (e, now, &d->until, NULL);
  if (st == EA_TRADING_STATE_LOCKED)
    return deny (d, EA_RISK_LOCKED, 0, 0);
  if (st == EA_TRADING_STATE_HALTED)
    return deny (d, EA_RISK_HALTED, 0, 0);
  st = _ea_risk_account_state (a, now);
  switch (st)
    {
    case EA_TRADING_STATE_LOCKED:
      if (a->lock_until == 0 || now >= a->lock_until)
        return deny (d, EA_RISK_BROKER_LOCKED, 0, 0);
      d->until = a->lock_until;
      return deny (d, EA_RISK_LOCKED, 0, 0);
    case EA_TRADING_STATE_HALTED:
      return deny (d, EA_RISK_HALTED, 0, 0);
    case EA_TRADING_STATE_REDUCING:
      /* The broker refuses it whatever the numbers say. */
      if (a->broker_restriction == EA_BROKER_RESTRICTION_LIQUIDATION_ONLY)
        return deny (d, EA_RISK_LIQUIDATION_ONLY, 0, 0);
      break;
    case EA_TRADING_STATE_ACTIVE:
    default:
      break;
    }
  if (a->reconciling)
    return deny (d, EA_RISK_RECONCILING, 0, 0);

  if (p->n_forbidden > 0 && ea_risk_profile_is_forbidden (p, spec->root))
    return deny (d, EA_RISK_FORBIDDEN_PRODUCT, 0, 0);

  quote = _ea_risk_find_quote (e, spec);
  if (o->has_price)
    entry = o->price;
  else if (quote != NULL)
    entry = quote->last;
  else
    return deny (d, EA_RISK_NO_PRICE, 0, 0);

  if (o->has_stop)
    {
      dist = (entry - o->stop) * o->side;
      if (dist <= 0)
        return deny (d, EA_RISK_BAD_STOP, entry, o->stop);
    }
  else if (p->stop_required)
    return deny (d, EA_RISK_STOP_REQUIRED, 0, 0);
  else
    dist = _ea_risk_default_stop_ticks (spec);

  if (o->has_target && p->max_stop_target_ratio > 0)
    {
      EaTicks tdist = (o->target - entry) * o->side;

      if (tdist <= 0)
        return deny (d, EA_RISK_BAD_STOP, entry, o->target);
      if ((double) dist > p->max_stop_target_ratio * (double) tdist)
        return deny (d, EA_RISK_STOP_TARGET_RATIO,
                     (gint64) (p->max_stop_target_ratio * 1000 + 0.5),
                     (gint64) (1000.0 * (double) dist / (double) tdist + 0.5));
    }

  if (_ea_risk_flat_by_inside (a, now))
    return deny (d, EA_RISK_FLAT_BY, a->flat_valid_from, now);

  if (o->has_price && quote != NULL && quote->last > 0)
    {
      /* Limits and values in thousandths of a percent. */
      gint64 dev = ABS (o->price - quote->last) * 100000 / quote->last;
      gint64 band = (gint64) (p->price_band_pct * 1000 + 0.5);

      if (dev > band)
        return deny (d, EA_RISK_PRICE_BAND, band, dev);
    }

  if (!p->hedging_allowed && hedged (e, a, spec, o->side, &other_qty))
    return deny (d, EA_RISK_HEDGING, 0, other_qty);

  /* Quantity caps on the opening part of the order. */
  per = (dist + 1) * spec->tick_value + 2 * a->fees;
  existing = _ea_risk_open_risk (e, a, close_part > 0 ? pos : NULL) + working;
  d->worst_loss = open * per;
  cap.cap = G_MAXINT64;
  cap.reason = EA_RISK_OK;
  cap.limit = cap.value = 0;

  {
    EaMicros room = a->equity - _ea_risk_floor_risk (e, a, close_part > 0 ? pos : NULL) - working - a->eff_floor;

    tighten (&cap, cap_by_room (room, per), EA_RISK_TRAILING_FLOOR, room, open * per);
  }
  if (a->eff_daily > 0)
    {
      EaMicros room = a->eff_daily + (a->equity - a->day_start) - existing;

      tighten (&cap, cap_by_room (room, per), EA_RISK_DAILY_LOSS, room, open * per);
    }
  if (a->eff_open_loss > 0)
    {
      EaMicros room = a->eff_open_loss - MAX (0, a->balance - a->equity) - existing;

      tighten (&cap, cap_by_room (room, per), EA_RISK_MAX_OPEN_LOSS, room, open * per);
    }

  /* Contracts in tenths of a mini, working orders' included. */
  tenths_per = tenths_of (spec);
  in_use = other_tenths;
  for (guint i = 0; i < a->n_pos; i++)
    if (&a->pos[i] != pos)
      in_use += ABS (a->pos[i].qty) * tenths_of (a->pos[i].spec);
  in_use += base * tenths_per;
  tighten (&cap, (gint64) p->max_order_qty * 10 / tenths_per - close_part, EA_RISK_FAT_FINGER,
           (gint64) p->max_order_qty * 10, o->qty * tenths_per);
  max_scaled = ea_risk_profile_max_contracts_at (p, a->balance);
  tighten (&cap, ((gint64) p->max_contracts * 10 - in_use) / tenths_per, EA_RISK_MAX_CONTRACTS,
           (gint64) p->max_contracts * 10, in_use + open * tenths_per);
  if (max_scaled < p->max_contracts)
    tighten (&cap, ((gint64) max_scaled * 10 - in_use) / tenths_per, EA_RISK_SCALING,
             (gint64) max_scaled * 10, in_use + open * tenths_per);

  margin_avail = a->equity - _ea_risk_margin_used (a);
  if (close_part > 0)
    margin_avail += close_part * spec->day_margin;
  if (spec->day_margin > 0)
    tighten (&cap, margin_avail / spec->day_margin, EA_RISK_MARGIN, margin_avail, open * spec->day_margin);

  /* A limit the order breaks is reported before REDUCING: its numbers say
   * more. REDUCING still lets nothing through. */
  d->limit_qty = close_part + cap.cap;
  d->allowed_qty = st == EA_TRADING_STATE_REDUCING ? 0 : d->limit_qty;
  d->qty_bound = cap.reason;
  if (open > cap.cap)
    return deny (d, cap.reason, cap.limit, cap.value);
  if (st == EA_TRADING_STATE_REDUCING)
    return deny (d, EA_RISK_REDUCING, 0, 0);

  if (!take_token (a, now, !(o->flags & EA_RISK_ORDER_FLAG_DRY_RUN)))
    {
      d->allowed_qty = 0;
      return deny (d, EA_RISK_RATE_LIMIT, p->orders_per_second, p->orders_per_second + 1);
    }

  d->allowed = TRUE;
  d->reason = EA_RISK_OK;
  return TRUE;
}

guint
ea_risk_engine_protective_stops (EaRiskEngine     *e,
                                 guint             account,
                                 EaRiskStopAdvice *out,
                                 guint             n_out)
{
  EaRiskAccount *a;
  EaMicros budget, fixed = 0, spread = 0;
  EaTicks dist[EA_RISK_MAX_POSITIONS];
  gboolean priced[EA_RISK_MAX_POSITIONS];
  double lambda = 1.0;
  guint n = 0;

  g_return_val_if_fail (e != NULL && account < e->n_acct && (out != NULL || n_out == 0), 0);
  a = &e->acct[account];

  /* The budget: the tightest room; under an intraday-realized floor the
   * open profits are set aside (each position takes max(risk, profit) ≤
   * risk + profit). */
  budget = a->equity - a->eff_floor - 1;
  if (a->profile.trailing_mode == EA_TRAILING_INTRADAY_REALIZED)
    for (guint i = 0; i < a->n_pos; i++)
      budget -= MAX (0, _ea_risk_pos_open_profit (e, &a->pos[i]));
  if (a->eff_daily > 0)
    budget = MIN (budget, a->eff_daily + (a->equity - a->day_start) - 1);
  if (a->eff_open_loss > 0)
    budget = MIN (budget, a->eff_open_loss - MAX (0, a->balance - a->equity) - 1);

  /* risk_i(d) = n (tick + fee) + n tick d: a fixed part and a part that
   * shrinks with the distance d from the last price to the stop. */
  for (guint i = 0; i < a->n_pos; i++)
    {
      const EaRiskPos *p = &a->pos[i];
      const EaRiskQuote *q = _ea_risk_find_quote (e, p->spec);
      gint64 m = ABS (p->qty);

      priced[i] = q != NULL;
      if (!priced[i])
        continue;
      dist[i] = p->has_stop ? MAX (0, (q->last - p->stop) * (p->qty > 0 ? 1 : -1))
                            : _ea_risk_default_stop_ticks (p->spec);
      fixed += m * (p->spec->tick_value + a->fees);
      spread += m * p->spec->tick_value * dist[i];
    }
  if (fixed + spread > budget)
    lambda = budget > fixed && spread > 0 ? (double) (budget - fixed) / (double) spread : 0.0;

  for (guint i = 0; i < a->n_pos && n < n_out; i++)
    {
      const EaRiskPos *p = &a->pos[i];
      gint64 side = p->qty > 0 ? 1 : -1;
      EaTicks d;

      if (!priced[i])
        continue;
      /* floor (λ d), rounded down so that the sum stays inside. */
      d = lambda >= 1.0 ? dist[i] : (EaTicks) floor (lambda * (double) dist[i] * (1.0 - 1e-12));
      d = CLAMP (d, 0, dist[i]);
      out[n].spec = p->spec;
      out[n].qty = p->qty;
      out[n].stop = _ea_risk_find_quote (e, p->spec)->last - side * d;
      out[n].exit_now = d == 0;
      out[n].tighter = !p->has_stop || (side > 0 ? out[n].stop > p->stop : out[n].stop < p->stop);
      n++;
    }
  return n;
}

char *
ea_risk_decision_format (const EaRiskDecision *d)
{
  g_autofree char *lim = NULL;
  g_autofree char *val = NULL;

  g_return_val_if_fail (d != NULL, NULL);

  if (d->allowed)
    return g_strdup_printf ("Allowed (up to %" G_GINT64_FORMAT " would pass).", d->allowed_qty);

  switch (d->reason)
    {
    case EA_RISK_TRAILING_FLOOR:
    case EA_RISK_DAILY_LOSS:
    case EA_RISK_MAX_OPEN_LOSS:
      lim = ea_money_format (MAX (0, d->limit));
      val = ea_money_format (d->value);
      return g_strdup_printf ("Denied (%s): if the stop fills the order loses %s, only %s is left "
                              "before the %s (%" G_GINT64_FORMAT " would fit).",
                              reason_names[d->reason], val, lim,
                              d->reason == EA_RISK_TRAILING_FLOOR ? "trailing floor" :
                              d->reason == EA_RISK_DAILY_LOSS ? "daily loss limit" : "max open loss",
                              d->limit_qty);
    case EA_RISK_MAX_CONTRACTS:
    case EA_RISK_SCALING:
    case EA_RISK_FAT_FINGER:
      return g_strdup_printf ("Denied (%s): %.1f minis where the limit is %.1f (%" G_GINT64_FORMAT " would fit).",
                              reason_names[d->reason], d->value / 10.0, d->limit / 10.0, d->limit_qty);
    case EA_RISK_MARGIN:
      lim = ea_money_format (d->limit);
      val = ea_money_format (d->value);
      return g_strdup_printf ("Denied (MARGIN): needs %s of margin, %s available (%" G_GINT64_FORMAT " would fit).",
                              val, lim, d->limit_qty);
    case EA_RISK_PRICE_BAND:
      return g_strdup_printf ("Denied (PRICE_BAND): the price is %.3f %% from the last price, the band is %.3f %%.",
                              d->value / 1000.0, d->limit / 1000.0);
    case EA_RISK_STOP_TARGET_RATIO:
      return g_strdup_printf ("Denied (STOP_TARGET_RATIO): stop:target is %.2f:1, at most %.2f:1 is allowed.",
                              d->value / 1000.0, d->limit / 1000.0);
    case EA_RISK_RATE_LIMIT:
      return g_strdup_printf ("Denied (RATE_LIMIT): more than %" G_GINT64_FORMAT " orders per second.", d->limit);
    case EA_RISK_HEDGING:
      return g_strdup_printf ("Denied (HEDGING): another account holds %" G_GINT64_FORMAT
                              " on the same or a correlated root.", d->value);
    case EA_RISK_LOCKED:
      return g_strdup ("Denied (LOCKED): trading is locked until the lock expires.");
    case EA_RISK_HALTED:
      return g_strdup ("Denied (HALTED): trading is halted; only cancels and exits are allowed.");
    case EA_RISK_REDUCING:
      return g_strdup ("Denied (REDUCING): a limit is at 90 %; only orders that reduce exposure are allowed.");
    case EA_RISK_RECONCILING:
      return g_strdup ("Denied (RECONCILING): the account is being reconciled with the broker.");
    case EA_RISK_BROKER_LOCKED:
      return g_strdup ("Denied (BROKER_LOCKED): the broker has locked trading on this account; only exits and cancels are sent.");
    case EA_RISK_LIQUIDATION_ONLY:
      return g_strdup ("Denied (LIQUIDATION_ONLY): the broker has put this account in liquidation-only mode; only orders that reduce a position are allowed.");
    case EA_RISK_STOP_REQUIRED:
      return g_strdup ("Denied (STOP_REQUIRED): the profile requires a stop on every entry.");
    case EA_RISK_BAD_STOP:
      return g_strdup ("Denied (BAD_STOP): the stop or target is on the wrong side of the entry.");
    case EA_RISK_FLAT_BY:
      return g_strdup ("Denied (FLAT_BY): past the profile's flat-by time; only exits are allowed.");
    case EA_RISK_FORBIDDEN_PRODUCT:
      return g_strdup ("Denied (FORBIDDEN_PRODUCT): the profile does not allow this product.");
    case EA_RISK_NO_PRICE:
      return g_strdup ("Denied (NO_PRICE): no last price to value a market order.");
    case EA_RISK_BAD_ORDER:
      return g_strdup ("Denied (BAD_ORDER): the order is incomplete.");
    case EA_RISK_TOO_MANY_ORDERS:
      return g_strdup_printf ("Denied (TOO_MANY_ORDERS): the account has %" G_GINT64_FORMAT
                              " working orders, the most the risk check follows.", d->value);
    case EA_RISK_OK:
    default:
      return g_strdup_printf ("Denied (%s).", ea_risk_reason_to_string (d->reason));
    }
}
