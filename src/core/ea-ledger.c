/* ea-ledger.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layout: accounts and contracts live in dense arrays; the caller's ids map
 * to them through flat id tables. A position (account × contract) is
 * allocated once, on its first fill, and listed both in its account (by
 * contract index) and in its contract, so a mark touches only the positions
 * of that contract. Open lots are a FIFO ring per position that only grows;
 * a fill allocates nothing once the ring is large enough.
 *
 * MAE/MFE: each position keeps the extremes of the marks and fills seen
 * since its newest lot was added (run_hi2/run_lo2, half ticks). That span is
 * a suffix of every open lot's life, so a mark updates two numbers per
 * position, not every lot; when a lot is added the run is folded into the
 * older lots first, and a lot's extremes at close are max(lot, run, exit).
 */
#define G_LOG_DOMAIN "ea-ledger"

#include "config.h"

#include <string.h>

#include "ea-ledger.h"

typedef struct _Account  Account;
typedef struct _Contract Contract;

typedef struct
{
  gint64   qty;     /* remaining, > 0 */
  EaTicks  price;
  EaTimeUs time;
  gint64   hi2;     /* extremes in half ticks from entry to the last fold */
  gint64   lo2;
} Lot;

typedef struct
{
  Account  *account;
  Contract *contract;
  gint64    net;
  gint64    cost;       /* Σ signed qty × entry ticks */
  EaMicros  unrealized;
  EaMicros  realized;
  EaMicros  fees;
  gint64    run_hi2;
  gint64    run_lo2;
  guint64   trip;
  Lot      *lots;
  guint     lot_head;
  guint     n_lots;
  guint     lot_cap;
} Position;

struct _Account
{
  guint      id;
  EaMicros   start;
  EaMicros   realized;
  EaMicros   fees;
  EaMicros   balance;      /* start + realized − fees */
  EaMicros   unrealized;
  EaMicros   peak_equity;
  EaMicros   peak_balance;
  gint64     day;
  EaMicros   day_base_equity;
  EaMicros   day_base_realized;
  EaMicros   day_base_fees;
  gint64     open_contracts;
  Position **by_contract;  /* indexed by contract index, NULL until traded */
  guint      n_by_contract;
};

struct _Contract
{
  guint      id;
  guint      index;
  EaMicros   tick_value;
  EaMicros   fee;
  EaTicks    max_abs_price;
  gboolean   has_mark;
  gboolean   has_last;
  gint64     mark2;
  Position **positions;
  guint      n_positions;
  guint      positions_cap;
};

struct _EaLedger
{
  GPtrArray        *accounts;   /* Account*, dense */
  GPtrArray        *contracts;  /* Contract*, dense */
  GArray           *account_map;  /* guint32: dense index + 1, by id */
  GArray           *contract_map;
  gint64            day;
  guint64           next_trip;
  EaLedgerTradeFunc trade_func;
  gpointer          trade_data;
};

G_DEFINE_QUARK (ea-ledger-error-quark, ea_ledger_error)

static inline EaMicros
sat_add (EaMicros a,
         EaMicros b)
{
  EaMicros r;

  if (G_UNLIKELY (__builtin_add_overflow (a, b, &r)))
    return b > 0 ? G_MAXINT64 : G_MININT64;
  return r;
}

static inline gint64
floor_half (gint64 v)
{
  return (v - (v & 1)) / 2;
}

static void
position_free (Position *pos)
{
  g_free (pos->lots);
  g_free (pos);
}

static void
account_free (Account *acct)
{
  for (guint i = 0; i < acct->n_by_contract; i++)
    if (acct->by_contract[i] != NULL)
      position_free (acct->by_contract[i]);
  g_free (acct->by_contract);
  g_free (acct);
}

static void
contract_free (Contract *c)
{
  g_free (c->positions);
  g_free (c);
}

EaLedger *
ea_ledger_new (void)
{
  EaLedger *ledger = g_new0 (EaLedger, 1);

  ledger->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) account_free);
  ledger->contracts = g_ptr_array_new_with_free_func ((GDestroyNotify) contract_free);
  ledger->account_map = g_array_new (FALSE, TRUE, sizeof (guint32));
  ledger->contract_map = g_array_new (FALSE, TRUE, sizeof (guint32));
  return ledger;
}

void
ea_ledger_free (EaLedger *ledger)
{
  if (ledger == NULL)
    return;
  g_ptr_array_unref (ledger->accounts);
  g_ptr_array_unref (ledger->contracts);
  g_array_unref (ledger->account_map);
  g_array_unref (ledger->contract_map);
  g_free (ledger);
}

static inline Account *
lookup_account (EaLedger *ledger,
                guint     id)
{
  guint32 slot;

  if (id >= ledger->account_map->len)
    return NULL;
  slot = g_array_index (ledger->account_map, guint32, id);
  return slot == 0 ? NULL : g_ptr_array_index (ledger->accounts, slot - 1);
}

static inline Contract *
lookup_contract (EaLedger *ledger,
                 guint     id)
{
  guint32 slot;

  if (id >= ledger->contract_map->len)
    return NULL;
  slot = g_array_index (ledger->contract_map, guint32, id);
  return slot == 0 ? NULL : g_ptr_array_index (ledger->contracts, slot - 1);
}

static gboolean
check_id (guint        id,
          const char  *what,
          GError     **error)
{
  if (id >= EA_LEDGER_MAX_ID)
    {
      g_set_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_OUT_OF_RANGE,
                   "%s id %u is out of range (max %u)", what, id, EA_LEDGER_MAX_ID - 1);
      return FALSE;
    }
  return TRUE;
}

static void
map_set (GArray *map,
         guint   id,
         guint32 slot)
{
  if (id >= map->len)
    g_array_set_size (map, id + 1);
  g_array_index (map, guint32, id) = slot;
}

static inline EaMicros
account_equity (const Account *acct)
{
  return sat_add (acct->balance, acct->unrealized);
}

static inline void
account_update_peaks (Account *acct)
{
  EaMicros equity = account_equity (acct);

  if (equity > acct->peak_equity)
    acct->peak_equity = equity;
  if (acct->balance > acct->peak_balance)
    acct->peak_balance = acct->balance;
}

gboolean
ea_ledger_add_account (EaLedger  *ledger,
                       guint      account,
                       EaMicros   start_balance,
                       GError   **error)
{
  Account *acct;

  g_return_val_if_fail (ledger != NULL, FALSE);

  if (!check_id (account, "account", error))
    return FALSE;
  if (lookup_account (ledger, account) != NULL)
    {
      g_set_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_DUPLICATE,
                   "account %u is already registered", account);
      return FALSE;
    }
  if (start_balance > EA_LEDGER_MAX_NOTIONAL * 100 || start_balance < -EA_LEDGER_MAX_NOTIONAL * 100)
    {
      g_set_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_OUT_OF_RANGE,
                   "start balance %" G_GINT64_FORMAT " of account %u is out of range",
                   start_balance, account);
      return FALSE;
    }

  acct = g_new0 (Account, 1);
  acct->id = account;
  acct->start = start_balance;
  acct->balance = start_balance;
  acct->peak_equity = start_balance;
  acct->peak_balance = start_balance;
  acct->day = ledger->day;
  acct->day_base_equity = start_balance;
  g_ptr_array_add (ledger->accounts, acct);
  map_set (ledger->account_map, account, ledger->accounts->len);
  return TRUE;
}

static gboolean
check_fee (EaMicros   fee,
           guint      contract,
           GError   **error)
{
  if (fee < 0 || fee > EA_LEDGER_MAX_FEE)
    {
      g_set_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_OUT_OF_RANGE,
                   "fee %" G_GINT64_FORMAT " per side of contract %u is out of range",
                   fee, contract);
      return FALSE;
    }
  return TRUE;
}

gboolean
ea_ledger_add_contract (EaLedger  *ledger,
                        guint      contract,
                        EaMicros   tick_value,
                        EaMicros   fee_per_side,
                        GError   **error)
{
  Contract *c;

  g_return_val_if_fail (ledger != NULL, FALSE);

  if (!check_id (contract, "contract", error))
    return FALSE;
  if (lookup_contract (ledger, contract) != NULL)
    {
      g_set_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_DUPLICATE,
                   "contract %u is already registered", contract);
      return FALSE;
    }
  if (tick_value <= 0 || tick_value > EA_LEDGER_MAX_TICK_VALUE)
    {
      g_set_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_OUT_OF_RANGE,
                   "tick value %" G_GINT64_FORMAT " of contract %u is out of range",
                   tick_value, contract);
      return FALSE;
    }
  if (!check_fee (fee_per_side, contract, error))
    return FALSE;

  c = g_new0 (Contract, 1);
  c->id = contract;
  c->index = ledger->contracts->len;
  c->tick_value = tick_value;
  c->fee = fee_per_side;
  c->max_abs_price = EA_LEDGER_MAX_NOTIONAL / tick_value;
  g_ptr_array_add (ledger->contracts, c);
  map_set (ledger->contract_map, contract, ledger->contracts->len);
  return TRUE;
}

gboolean
ea_ledger_set_fee (EaLedger  *ledger,
                   guint      contract,
                   EaMicros   fee_per_side,
                   GError   **error)
{
  Contract *c;

  g_return_val_if_fail (ledger != NULL, FALSE);

  c = lookup_contract (ledger, contract);
  if (c == NULL)
    {
      g_set_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_UNKNOWN_CONTRACT,
                   "contract %u is not registered", contract);
      return FALSE;
    }
  if (!check_fee (fee_per_side, contract, error))
    return FALSE;
  c->fee = fee_per_side;
  return TRUE;
}

void
ea_ledger_set_trade_func (EaLedger          *ledger,
                          EaLedgerTradeFunc  func,
                          gpointer           user_data)
{
  g_return_if_fail (ledger != NULL);

  ledger->trade_func = func;
  ledger->trade_data = user_data;
}

static Position *
ensure_position (Account  *acct,
                 Contract *c)
{
  Position *pos;

  if (c->index >= acct->n_by_contract)
    {
      guint n = MAX (c->index + 1, acct->n_by_contract * 2);

      acct->by_contract = g_renew (Position *, acct->by_contract, n);
      memset (acct->by_contract + acct->n_by_contract, 0,
              (n - acct->n_by_contract) * sizeof (Position *));
      acct->n_by_contract = n;
    }
  pos = acct->by_contract[c->index];
  if (pos != NULL)
    return pos;

  pos = g_new0 (Position, 1);
  pos->account = acct;
  pos->contract = c;
  acct->by_contract[c->index] = pos;

  if (c->n_positions == c->positions_cap)
    {
      c->positions_cap = MAX (4, c->positions_cap * 2);
      c->positions = g_renew (Position *, c->positions, c->positions_cap);
    }
  c->positions[c->n_positions++] = pos;
  return pos;
}

/* Recomputes the unrealized P&L of @pos against its contract's mark and
 * carries the change into the account. */
static inline void
position_remark (Position *pos)
{
  const Contract *c = pos->contract;
  Account *acct = pos->account;
  EaMicros u = 0;

  if (c->has_mark && pos->net != 0)
    u = floor_half ((pos->net * c->mark2 - 2 * pos->cost) * c->tick_value);
  acct->unrealized = sat_add (acct->unrealized, u - pos->unrealized);
  pos->unrealized = u;
}

static inline Lot *
lot_front (Position *pos)
{
  return &pos->lots[pos->lot_head];
}

static void
lot_push (Position *pos,
          gint64    qty,
          EaTicks   price,
          EaTimeUs  time)
{
  Lot *lot;

  if (pos->lot_head + pos->n_lots == pos->lot_cap)
    {
      if (pos->lot_head > 0)
        {
          memmove (pos->lots, pos->lots + pos->lot_head, pos->n_lots * sizeof (Lot));
          pos->lot_head = 0;
        }
      else
        {
          pos->lot_cap = MAX (4, pos->lot_cap * 2);
          pos->lots = g_renew (Lot, pos->lots, pos->lot_cap);
        }
    }

  /* The run so far is part of every older lot's life. */
  for (guint i = 0; i < pos->n_lots; i++)
    {
      Lot *old = &pos->lots[pos->lot_head + i];

      old->hi2 = MAX (old->hi2, pos->run_hi2);
      old->lo2 = MIN (old->lo2, pos->run_lo2);
    }

  lot = &pos->lots[pos->lot_head + pos->n_lots];
  lot->qty = qty;
  lot->price = price;
  lot->time = time;
  lot->hi2 = 2 * price;
  lot->lo2 = 2 * price;
  pos->n_lots++;
  pos->run_hi2 = 2 * price;
  pos->run_lo2 = 2 * price;
}

static void
emit_trade (EaLedger           *ledger,
            const Position     *pos,
            const Lot          *lot,
            gint64              qty,
            gint                lot_side,
            EaMicros            pnl,
            const EaLedgerFill *fill,
            gboolean            closes_trip)
{
  EaLedgerTrade t;
  gint64 hi2 = MAX (MAX (lot->hi2, pos->run_hi2), 2 * fill->price);
  gint64 lo2 = MIN (MIN (lot->lo2, pos->run_lo2), 2 * fill->price);
  gint64 up2 = hi2 - 2 * lot->price;
  gint64 down2 = 2 * lot->price - lo2;

  t.account = pos->account->id;
  t.contract = pos->contract->id;
  t.trip = pos->trip;
  t.side = lot_side > 0 ? EA_SIDE_BUY : EA_SIDE_SELL;
  t.qty = qty;
  t.entry_price = lot->price;
  t.entry_time = lot->time;
  t.exit_price = fill->price;
  t.exit_time = fill->time;
  t.pnl = pnl;
  t.fees = 2 * qty * pos->contract->fee;
  t.mfe_ticks = (lot_side > 0 ? up2 : down2) / 2.0;
  t.mae_ticks = (lot_side > 0 ? down2 : up2) / 2.0;
  t.closes_trip = closes_trip;
  ledger->trade_func (&t, ledger->trade_data);
}

gboolean
ea_ledger_fill (EaLedger           *ledger,
                const EaLedgerFill *fill,
                GError            **error)
{
  Account *acct;
  Contract *c;
  Position *pos;
  gint64 remaining;
  gint64 new_net;
  gint side;
  EaMicros fees;

  g_return_val_if_fail (ledger != NULL, FALSE);
  g_return_val_if_fail (fill != NULL, FALSE);

  acct = lookup_account (ledger, fill->account);
  if (G_UNLIKELY (acct == NULL))
    {
      g_set_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_UNKNOWN_ACCOUNT,
                   "fill for unregistered account %u", fill->account);
      return FALSE;
    }
  c = lookup_contract (ledger, fill->contract);
  if (G_UNLIKELY (c == NULL))
    {
      g_set_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_UNKNOWN_CONTRACT,
                   "fill for unregistered contract %u", fill->contract);
      return FALSE;
    }
  if (G_UNLIKELY (fill->side != EA_SIDE_BUY && fill->side != EA_SIDE_SELL))
    {
      g_set_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_INVALID,
                   "fill with invalid side %d", (int) fill->side);
      return FALSE;
    }
  if (G_UNLIKELY (fill->qty <= 0 || fill->qty > EA_LEDGER_MAX_QTY))
    {
      g_set_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_OUT_OF_RANGE,
                   "fill quantity %" G_GINT64_FORMAT " is out of range (1..%" G_GINT64_FORMAT ")",
                   fill->qty, EA_LEDGER_MAX_QTY);
      return FALSE;
    }
  if (G_UNLIKELY (fill->price > c->max_abs_price || fill->price < -c->max_abs_price))
    {
      g_set_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_OUT_OF_RANGE,
                   "fill price %" G_GINT64_FORMAT " ticks of contract %u is out of range",
                   fill->price, fill->contract);
      return FALSE;
    }

  side = fill->side;
  pos = (c->index < acct->n_by_contract) ? acct->by_contract[c->index] : NULL;
  new_net = (pos != NULL ? pos->net : 0) + side * fill->qty;
  if (G_UNLIKELY (new_net > EA_LEDGER_MAX_QTY || new_net < -EA_LEDGER_MAX_QTY))
    {
      g_set_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_OUT_OF_RANGE,
                   "fill would make a position of %" G_GINT64_FORMAT " contracts", new_net);
      return FALSE;
    }
  if (pos == NULL)
    pos = ensure_position (acct, c);

  fees = fill->qty * c->fee;
  pos->fees = sat_add (pos->fees, fees);
  acct->fees = sat_add (acct->fees, fees);
  acct->balance = sat_add (acct->balance, -fees);
  acct->open_contracts -= pos->net < 0 ? -pos->net : pos->net;

  remaining = fill->qty;
  while (remaining > 0 && pos->n_lots > 0 && (pos->net > 0) != (side > 0))
    {
      Lot *lot = lot_front (pos);
      gint lot_side = -side;
      gint64 q = MIN (lot->qty, remaining);
      EaMicros pnl = (fill->price - lot->price) * c->tick_value * q * lot_side;

      pos->net += side * q;
      pos->cost -= lot_side * q * lot->price;
      pos->realized = sat_add (pos->realized, pnl);
      acct->realized = sat_add (acct->realized, pnl);
      acct->balance = sat_add (acct->balance, pnl);
      remaining -= q;

      if (ledger->trade_func != NULL)
        emit_trade (ledger, pos, lot, q, lot_side, pnl, fill, pos->net == 0);

      lot->qty -= q;
      if (lot->qty == 0)
        {
          pos->lot_head++;
          pos->n_lots--;
          if (pos->n_lots == 0)
            pos->lot_head = 0;
        }
    }

  if (remaining > 0)
    {
      if (pos->n_lots == 0)
        pos->trip = ++ledger->next_trip;
      lot_push (pos, remaining, fill->price, fill->time);
      pos->net += side * remaining;
      pos->cost += side * remaining * fill->price;
    }
  else if (pos->n_lots > 0)
    {
      /* A partial exit is a trade the position lived through. */
      pos->run_hi2 = MAX (pos->run_hi2, 2 * fill->price);
      pos->run_lo2 = MIN (pos->run_lo2, 2 * fill->price);
    }

  acct->open_contracts += pos->net < 0 ? -pos->net : pos->net;
  position_remark (pos);
  account_update_peaks (acct);
  return TRUE;
}

static gboolean
check_price (const Contract  *c,
             EaTicks          price,
             GError         **error)
{
  if (price > c->max_abs_price || price < -c->max_abs_price)
    {
      g_set_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_OUT_OF_RANGE,
                   "price %" G_GINT64_FORMAT " ticks of contract %u is out of range",
                   price, c->id);
      return FALSE;
    }
  return TRUE;
}

static inline void
contract_remark (Contract *c)
{
  const gint64 mark2 = c->mark2;
  const EaMicros tv = c->tick_value;

  for (guint i = 0; i < c->n_positions; i++)
    {
      Position *pos = c->positions[i];
      Account *acct;
      EaMicros u, equity;

      if (pos->net == 0)
        continue;

      acct = pos->account;
      u = floor_half ((pos->net * mark2 - 2 * pos->cost) * tv);
      acct->unrealized = sat_add (acct->unrealized, u - pos->unrealized);
      pos->unrealized = u;
      if (mark2 > pos->run_hi2)
        pos->run_hi2 = mark2;
      if (mark2 < pos->run_lo2)
        pos->run_lo2 = mark2;
      equity = account_equity (acct);
      if (equity > acct->peak_equity)
        acct->peak_equity = equity;
    }
}

gboolean
ea_ledger_mark_last (EaLedger  *ledger,
                     guint      contract,
                     EaTicks    last,
                     GError   **error)
{
  Contract *c;

  g_return_val_if_fail (ledger != NULL, FALSE);

  c = lookup_contract (ledger, contract);
  if (G_UNLIKELY (c == NULL))
    {
      g_set_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_UNKNOWN_CONTRACT,
                   "quote for unregistered contract %u", contract);
      return FALSE;
    }
  if (G_UNLIKELY (!check_price (c, last, error)))
    return FALSE;

  c->has_mark = TRUE;
  c->has_last = TRUE;
  c->mark2 = 2 * last;
  contract_remark (c);
  return TRUE;
}

gboolean
ea_ledger_mark_bid_ask (EaLedger  *ledger,
                        guint      contract,
                        EaTicks    bid,
                        EaTicks    ask,
                        GError   **error)
{
  Contract *c;

  g_return_val_if_fail (ledger != NULL, FALSE);

  c = lookup_contract (ledger, contract);
  if (G_UNLIKELY (c == NULL))
    {
      g_set_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_UNKNOWN_CONTRACT,
                   "quote for unregistered contract %u", contract);
      return FALSE;
    }
  if (G_UNLIKELY (!check_price (c, bid, error) || !check_price (c, ask, error)))
    return FALSE;
  if (G_UNLIKELY (bid > ask))
    {
      g_set_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_INVALID,
                   "crossed quote of contract %u: bid %" G_GINT64_FORMAT
                   " > ask %" G_GINT64_FORMAT, contract, bid, ask);
      return FALSE;
    }
  if (c->has_last)
    return TRUE;

  c->has_mark = TRUE;
  c->mark2 = bid + ask;
  contract_remark (c);
  return TRUE;
}

void
ea_ledger_begin_day (EaLedger *ledger,
                     gint64    day)
{
  g_return_if_fail (ledger != NULL);

  ledger->day = day;
  for (guint i = 0; i < ledger->accounts->len; i++)
    {
      Account *acct = g_ptr_array_index (ledger->accounts, i);

      if (acct->day == day)
        continue;
      acct->day = day;
      acct->day_base_equity = account_equity (acct);
      acct->day_base_realized = acct->realized;
      acct->day_base_fees = acct->fees;
    }
}

gboolean
ea_ledger_restore_peaks (EaLedger  *ledger,
                         guint      account,
                         EaMicros   peak_equity,
                         EaMicros   peak_balance,
                         GError   **error)
{
  Account *acct;

  g_return_val_if_fail (ledger != NULL, FALSE);

  acct = lookup_account (ledger, account);
  if (acct == NULL)
    {
      g_set_error (error, EA_LEDGER_ERROR, EA_LEDGER_ERROR_UNKNOWN_ACCOUNT,
                   "account %u is not registered", account);
      return FALSE;
    }
  acct->peak_equity = MAX (acct->peak_equity, peak_equity);
  acct->peak_balance = MAX (acct->peak_balance, peak_balance);
  return TRUE;
}

gboolean
ea_ledger_get_account (EaLedger        *ledger,
                       guint            account,
                       EaLedgerAccount *out)
{
  Account *acct;

  g_return_val_if_fail (ledger != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  acct = lookup_account (ledger, account);
  if (acct == NULL)
    return FALSE;

  out->account = acct->id;
  out->start_balance = acct->start;
  out->realized = acct->realized;
  out->fees = acct->fees;
  out->unrealized = acct->unrealized;
  out->balance = acct->balance;
  out->equity = account_equity (acct);
  out->peak_equity = acct->peak_equity;
  out->peak_balance = acct->peak_balance;
  out->trading_day = acct->day;
  out->day_pnl = out->equity - acct->day_base_equity;
  out->day_realized = acct->realized - acct->day_base_realized;
  out->day_fees = acct->fees - acct->day_base_fees;
  out->open_contracts = acct->open_contracts;
  return TRUE;
}

static void
fill_position (const Position   *pos,
               EaLedgerPosition *out)
{
  out->account = pos->account->id;
  out->contract = pos->contract->id;
  out->net = pos->net;
  out->cost = pos->cost;
  out->avg_entry_ticks = pos->net != 0 ? (double) pos->cost / (double) pos->net : 0.0;
  out->n_lots = pos->n_lots;
  out->realized = pos->realized;
  out->fees = pos->fees;
  out->unrealized = pos->unrealized;
}

gboolean
ea_ledger_get_position (EaLedger         *ledger,
                        guint             account,
                        guint             contract,
                        EaLedgerPosition *out)
{
  Account *acct;
  Contract *c;

  g_return_val_if_fail (ledger != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  acct = lookup_account (ledger, account);
  c = lookup_contract (ledger, contract);
  if (acct == NULL || c == NULL)
    return FALSE;

  if (c->index < acct->n_by_contract && acct->by_contract[c->index] != NULL)
    {
      fill_position (acct->by_contract[c->index], out);
    }
  else
    {
      memset (out, 0, sizeof *out);
      out->account = account;
      out->contract = contract;
    }
  return TRUE;
}

GArray *
ea_ledger_dup_open_positions (EaLedger *ledger,
                              guint     account)
{
  Account *acct;
  GArray *arr;

  g_return_val_if_fail (ledger != NULL, NULL);

  acct = lookup_account (ledger, account);
  if (acct == NULL)
    return NULL;

  arr = g_array_new (FALSE, TRUE, sizeof (EaLedgerPosition));
  for (guint i = 0; i < acct->n_by_contract; i++)
    {
      const Position *pos = acct->by_contract[i];
      EaLedgerPosition p;

      if (pos == NULL || pos->net == 0)
        continue;
      fill_position (pos, &p);
      g_array_append_val (arr, p);
    }
  return arr;
}

gboolean
ea_ledger_get_mark2 (EaLedger *ledger,
                     guint     contract,
                     gint64   *mark2)
{
  Contract *c;

  g_return_val_if_fail (ledger != NULL, FALSE);

  c = lookup_contract (ledger, contract);
  if (c == NULL || !c->has_mark)
    return FALSE;
  if (mark2 != NULL)
    *mark2 = c->mark2;
  return TRUE;
}
