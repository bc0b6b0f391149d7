/* ea-sim-matching.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Orders, matching, fills, positions and accounts of the simulated
 * exchange. Market orders take the touch and walk deeper levels (each as
 * deep as the displayed size) for what is left; resting limits fill at
 * their price when the opposite touch reaches them or a trade prints
 * through them, by displayed size; stops trigger on trades. Bracket
 * children wait until the entry fills and are one-cancels-other.
 */
#define G_LOG_DOMAIN "ea-sim-exchange"

#include "config.h"

#include <string.h>

#include "ea-sim-exchange-private.h"

#define MAX_ORDER_QTY 1000

void
_ea_sim_order_free (SimOrder *o)
{
  g_free (o->d.account);
  g_free (o->d.symbol);
  g_free (o->d.client_order_id);
  g_free (o->d.broker_order_id);
  g_free (o->d.parent_order_id);
  g_free (o->d.oco_order_id);
  g_free (o->d.reason);
  g_free (o);
}

void
_ea_sim_account_free (SimAccount *a)
{
  g_free (a->name);
  g_free (a->profile);
  g_free (a->positions);
  g_free (a);
}

static void
free_account_lots (SimAccount *a,
                   guint       n_markets)
{
  for (guint i = 0; i < n_markets; i++)
    g_clear_pointer (&a->positions[i].lots, g_array_unref);
}

static SimAccount *
find_account (EaSimExchange *ex,
              const char    *name)
{
  for (guint i = 0; name != NULL && i < ex->accounts->len; i++)
    {
      SimAccount *a = g_ptr_array_index (ex->accounts, i);

      if (strcmp (a->name, name) == 0)
        return a;
    }
  return NULL;
}

/* Open P&L at the last trade, or at the mid before any trade. */
static EaMicros
position_open_pnl (SimMarket   *m,
                   SimPosition *p)
{
  EaTicks mark2 = m->q.last > 0 ? 2 * m->q.last : m->q.bid + m->q.ask;
  gint64 sign = p->qty > 0 ? 1 : -1;
  EaMicros total = 0;

  if (p->qty == 0 || p->lots == NULL)
    return 0;

  for (guint i = 0; i < p->lots->len; i++)
    {
      const SimLot *lot = &g_array_index (p->lots, SimLot, i);

      total += (mark2 - 2 * lot->price) * lot->qty * sign * m->spec->tick_value;
    }
  return total / 2;
}

static void
fill_position_data (EaSimExchange  *ex,
                    SimAccount     *a,
                    SimMarket      *m,
                    EaPositionData *out)
{
  SimPosition *p = &a->positions[m->index];
  gint64 value = 0;

  memset (out, 0, sizeof *out);
  out->account = a->name;
  out->symbol = m->symbol;
  out->qty = p->qty;
  out->realized_pnl = p->realized;
  out->open_pnl = position_open_pnl (m, p);
  out->time = ex->now;
  if (p->qty != 0 && p->lots != NULL)
    {
      for (guint i = 0; i < p->lots->len; i++)
        value += g_array_index (p->lots, SimLot, i).price * g_array_index (p->lots, SimLot, i).qty;
      out->avg_price = (double) value / (double) ABS (p->qty);
    }
}

static void
fill_account_data (EaSimExchange *ex,
                   SimAccount    *a,
                   EaAccountData *out)
{
  memset (out, 0, sizeof *out);
  out->name = a->name;
  out->profile = a->profile;
  out->size = a->size;
  out->realized_pnl = a->realized;
  out->balance = a->size + a->realized;
  for (guint i = 0; i < ex->n_markets; i++)
    {
      SimPosition *p = &a->positions[i];

      if (p->qty == 0)
        continue;
      out->open_pnl += position_open_pnl (&ex->markets[i], p);
      out->margin_used += ABS (p->qty) * ex->markets[i].spec->day_margin;
    }
  out->equity = out->balance + out->open_pnl;
  out->time = ex->now;
}

static void
emit_order (EaSimExchange *ex,
            SimOrder      *o)
{
  if (ex->sink.order != NULL)
    ex->sink.order (ex->sink_data, &o->d);
}

static void
emit_position_and_account (EaSimExchange *ex,
                           SimAccount    *a,
                           SimMarket     *m)
{
  if (ex->sink.position != NULL)
    {
      EaPositionData p;

      fill_position_data (ex, a, m, &p);
      ex->sink.position (ex->sink_data, &p);
    }
  if (ex->sink.account != NULL)
    {
      EaAccountData d;

      fill_account_data (ex, a, &d);
      ex->sink.account (ex->sink_data, &d);
    }
}

static void
set_state (EaSimExchange *ex,
           SimOrder      *o,
           EaOrderState   to)
{
  const char *reason = NULL;

  if (!ea_order_state_advance (&o->d.state, to, &reason))
    g_warning ("Order %s: %s -> %s refused: %s", o->d.broker_order_id,
               ea_order_state_to_string (o->d.state), ea_order_state_to_string (to), reason);
  o->d.updated = ex->now;
}

static void
set_reason (SimOrder   *o,
            const char *reason)
{
  g_free (o->d.reason);
  o->d.reason = g_strdup (reason);
}

static void
compact (SimMarket *m)
{
  guint j = 0;

  if (!m->dirty)
    return;
  for (guint i = 0; i < m->orders->len; i++)
    {
      SimOrder *o = g_ptr_array_index (m->orders, i);

      if (o->active)
        m->orders->pdata[j++] = o;
    }
  g_ptr_array_set_size (m->orders, j);
  m->dirty = FALSE;
}

static void
activate (SimOrder *o)
{
  if (o->active)
    return;
  o->active = TRUE;
  g_ptr_array_add (o->market->orders, o);
}

static void
deactivate (EaSimExchange *ex,
            SimOrder      *o)
{
  if (!o->active)
    return;
  o->active = FALSE;
  o->market->dirty = TRUE;
  if (!ex->in_match)
    compact (o->market);
}

static void end_order (EaSimExchange *ex,
                       SimOrder      *o,
                       EaOrderState   final,
                       const char    *reason);

static void
apply_to_position (SimAccount *a,
                   SimMarket  *m,
                   EaSide      side,
                   gint64      qty,
                   EaTicks     price)
{
  SimPosition *p = &a->positions[m->index];
  gint64 rem = qty;

  if (p->lots == NULL)
    p->lots = g_array_new (FALSE, FALSE, sizeof (SimLot));

  if (p->qty != 0 && (p->qty > 0) != (side > 0))
    {
      gint64 sign = p->qty > 0 ? 1 : -1;

      while (rem > 0 && p->lots->len > 0)
        {
          SimLot *lot = &g_array_index (p->lots, SimLot, 0);
          gint64 n = MIN (rem, lot->qty);
          EaMicros pnl = ea_instrument_ticks_value (m->spec, price - lot->price, n * sign);

          p->realized += pnl;
          a->realized += pnl;
          lot->qty -= n;
          p->qty -= sign * n;
          rem -= n;
          if (lot->qty == 0)
            g_array_remove_index (p->lots, 0);
        }
    }

  if (rem > 0)
    {
      SimLot lot = { price, rem };

      g_array_append_val (p->lots, lot);
      p->qty += side * rem;
    }
}

static void
shrink_oco_peer (EaSimExchange *ex,
                 SimOrder      *peer,
                 gint64         qty)
{
  if (peer == NULL || ea_order_state_is_terminal (peer->d.state))
    return;

  peer->d.qty = MAX (peer->d.filled_qty, peer->d.qty - qty);
  peer->d.updated = ex->now;
  if (peer->d.qty == peer->d.filled_qty)
    end_order (ex, peer, EA_ORDER_STATE_CANCELLED, "OCO: the other side filled");
  else
    emit_order (ex, peer);
}

static void
grow_children (EaSimExchange *ex,
               SimOrder      *entry,
               gint64         qty)
{
  SimOrder *children[2] = { entry->stop_loss, entry->take_profit };

  for (guint i = 0; i < 2; i++)
    {
      SimOrder *c = children[i];

      if (c == NULL || ea_order_state_is_terminal (c->d.state))
        continue;
      if (c->d.state == EA_ORDER_STATE_SUSPENDED)
        {
          c->d.qty = entry->d.filled_qty;
          set_state (ex, c, EA_ORDER_STATE_WORKING);
          activate (c);
        }
      else
        {
          c->d.qty += qty;
          c->d.updated = ex->now;
        }
      emit_order (ex, c);
    }
}

static void
do_fill (EaSimExchange *ex,
         SimOrder      *o,
         gint64         qty,
         EaTicks        price)
{
  EaFillData *f;

  if (qty <= 0 || price <= 0)
    return;

  f = g_new0 (EaFillData, 1);
  f->account = g_strdup (o->d.account);
  f->symbol = g_strdup (o->d.symbol);
  f->fill_id = g_strdup_printf ("SIM-F%06" G_GUINT64_FORMAT, ++ex->fill_seq);
  f->broker_order_id = g_strdup (o->d.broker_order_id);
  f->client_order_id = g_strdup (o->d.client_order_id);
  f->side = o->d.side;
  f->qty = qty;
  f->price = price;
  f->time = ex->now;
  g_ptr_array_add (ex->fills, f);

  o->d.filled_qty += qty;
  o->fill_value += price * qty;
  o->d.avg_fill_price = (double) o->fill_value / (double) o->d.filled_qty;
  if (o->d.filled_qty >= o->d.qty)
    {
      set_state (ex, o, EA_ORDER_STATE_FILLED);
      deactivate (ex, o);
    }
  else
    set_state (ex, o, EA_ORDER_STATE_PARTIALLY_FILLED);

  apply_to_position (o->account, o->market, o->d.side, qty, price);

  if (ex->sink.fill != NULL)
    ex->sink.fill (ex->sink_data, f);
  emit_order (ex, o);

  if (o->stop_loss != NULL || o->take_profit != NULL)
    grow_children (ex, o, qty);
  if (o->oco != NULL)
    shrink_oco_peer (ex, o->oco, qty);

  emit_position_and_account (ex, o->account, o->market);
}

/* Takes liquidity from the touch, then from deeper levels, up to @limit. */
static void
take_liquidity (EaSimExchange *ex,
                SimOrder      *o,
                gboolean       has_limit,
                EaTicks        limit)
{
  SimMarket *m = o->market;
  gboolean buy = o->d.side == EA_SIDE_BUY;
  EaTicks touch = buy ? m->q.ask : m->q.bid;
  gint64 *avail = buy ? &m->avail_ask : &m->avail_bid;
  gint64 depth = MAX (1, buy ? m->q.ask_size : m->q.bid_size);

  for (gint64 k = 0; k < MAX_ORDER_QTY + 1; k++)
    {
      gint64 rem = o->d.qty - o->d.filled_qty;
      EaTicks price = touch + (buy ? k : -k);
      gint64 n;

      if (rem <= 0 || ea_order_state_is_terminal (o->d.state) || price <= 0)
        break;
      if (has_limit && (buy ? price > limit : price < limit))
        break;

      n = MIN (rem, k == 0 ? *avail : depth);
      if (n <= 0)
        continue;
      if (k == 0)
        *avail -= n;
      do_fill (ex, o, n, price);
    }
}

static gboolean
limit_marketable (SimOrder *o)
{
  SimMarket *m = o->market;

  return o->d.side == EA_SIDE_BUY ? m->q.ask <= o->d.limit_price
                                  : m->q.bid >= o->d.limit_price;
}

static void
rest (EaSimExchange *ex,
      SimOrder      *o,
      gboolean       traded)
{
  SimMarket *m = o->market;
  gboolean buy = o->d.side == EA_SIDE_BUY;
  EaTicks limit = o->d.limit_price;
  gint64 rem = o->d.qty - o->d.filled_qty;

  if (limit_marketable (o))
    {
      gint64 *avail = buy ? &m->avail_ask : &m->avail_bid;
      gint64 n = MIN (rem, *avail);

      *avail -= MAX (n, 0);
      do_fill (ex, o, n, limit);
    }
  else if (traded && (buy ? m->q.last < limit : m->q.last > limit))
    do_fill (ex, o, MIN (rem, m->q.last_size), limit);
}

static gboolean
stop_triggers (SimOrder *o)
{
  EaTicks last = o->market->q.last;

  return o->d.side == EA_SIDE_BUY ? last >= o->d.stop_price : last <= o->d.stop_price;
}

static void
process (EaSimExchange *ex,
         SimOrder      *o,
         gboolean       traded)
{
  switch (o->d.type)
    {
    case EA_ORDER_TYPE_MARKET:
      take_liquidity (ex, o, FALSE, 0);
      break;

    case EA_ORDER_TYPE_LIMIT:
      rest (ex, o, traded);
      break;

    case EA_ORDER_TYPE_STOP:
    case EA_ORDER_TYPE_STOP_LIMIT:
      if (!o->triggered)
        {
          if (!traded || !stop_triggers (o))
            return;
          o->triggered = TRUE;
          o->d.updated = ex->now;
          emit_order (ex, o);
          if (o->d.type == EA_ORDER_TYPE_STOP)
            take_liquidity (ex, o, FALSE, 0);
          else if (limit_marketable (o))
            take_liquidity (ex, o, TRUE, o->d.limit_price);
        }
      else if (o->d.type == EA_ORDER_TYPE_STOP)
        take_liquidity (ex, o, FALSE, 0);
      else
        rest (ex, o, traded);
      break;

    default:
      g_assert_not_reached ();
    }
}

void
_ea_sim_match_market (EaSimExchange *ex,
                      SimMarket     *m,
                      gboolean       traded)
{
  guint n = m->orders->len;

  if (n == 0)
    return;

  ex->in_match = TRUE;
  m->avail_bid = m->q.bid_size;
  m->avail_ask = m->q.ask_size;
  for (guint i = 0; i < n; i++)
    {
      SimOrder *o = g_ptr_array_index (m->orders, i);

      if (o->active)
        process (ex, o, traded);
    }
  ex->in_match = FALSE;
  compact (m);
}

/* Moves a live order to a final state; an entry that never filled takes
 * its bracket children with it. */
static void
end_order (EaSimExchange *ex,
           SimOrder      *o,
           EaOrderState   final,
           const char    *reason)
{
  if (ea_order_state_is_terminal (o->d.state))
    return;

  if (final == EA_ORDER_STATE_CANCELLED && o->d.state != EA_ORDER_STATE_PENDING_CANCEL)
    set_state (ex, o, EA_ORDER_STATE_PENDING_CANCEL);
  set_state (ex, o, final);
  set_reason (o, reason);
  deactivate (ex, o);
  emit_order (ex, o);

  if (o->d.filled_qty == 0)
    {
      if (o->stop_loss != NULL)
        end_order (ex, o->stop_loss, final, "bracket entry did not fill");
      if (o->take_profit != NULL)
        end_order (ex, o->take_profit, final, "bracket entry did not fill");
    }
}

void
_ea_sim_expire_day_orders (EaSimExchange *ex)
{
  for (guint i = 0; i < ex->orders->len; i++)
    {
      SimOrder *o = g_ptr_array_index (ex->orders, i);

      if (o->d.tif == EA_TIME_IN_FORCE_DAY)
        end_order (ex, o, EA_ORDER_STATE_EXPIRED, "expired at the session close");
    }
}

static char *
client_key (const char *account,
            const char *client_order_id)
{
  return g_strconcat (account, "\x1f", client_order_id, NULL);
}

static SimOrder *
new_order (EaSimExchange *ex,
           SimAccount    *a,
           SimMarket     *m,
           const char    *client_order_id,
           EaSide         side,
           EaOrderType    type,
           EaTimeInForce  tif,
           gint64         qty,
           EaTicks        limit,
           EaTicks        stop)
{
  SimOrder *o = g_new0 (SimOrder, 1);

  o->market = m;
  o->account = a;
  o->d.account = g_strdup (a->name);
  o->d.symbol = g_strdup (m->symbol);
  o->d.client_order_id = g_strdup (client_order_id);
  o->d.broker_order_id = g_strdup_printf ("SIM-%06" G_GUINT64_FORMAT, ++ex->order_seq);
  o->d.side = side;
  o->d.type = type;
  o->d.tif = tif;
  o->d.state = EA_ORDER_STATE_PENDING_NEW;
  o->d.qty = qty;
  o->d.limit_price = (type == EA_ORDER_TYPE_LIMIT || type == EA_ORDER_TYPE_STOP_LIMIT) ? limit : 0;
  o->d.stop_price = (type == EA_ORDER_TYPE_STOP || type == EA_ORDER_TYPE_STOP_LIMIT) ? stop : 0;
  o->d.created = o->d.updated = ex->now;

  g_ptr_array_add (ex->orders, o);
  g_hash_table_insert (ex->order_by_id, o->d.broker_order_id, o);
  g_hash_table_insert (ex->order_by_client_id, client_key (a->name, client_order_id), o);

  return o;
}

/* The price a new order is compared with: the last trade, else the touch. */
static EaTicks
reference_price (SimMarket *m,
                 EaSide     side)
{
  if (m->q.last > 0)
    return m->q.last;
  return side == EA_SIDE_BUY ? m->q.ask : m->q.bid;
}

static gboolean
stop_on_wrong_side (SimMarket *m,
                    EaSide     side,
                    EaTicks    stop)
{
  EaTicks ref = reference_price (m, side);

  return side == EA_SIDE_BUY ? stop <= ref : stop >= ref;
}

static gboolean
validate_request (EaSimExchange         *ex,
                  const EaOrderRequest  *r,
                  SimAccount           **out_account,
                  SimMarket            **out_market,
                  GError               **error)
{
  SimAccount *a = find_account (ex, r->account);
  SimMarket *m = _ea_sim_exchange_find_market (ex, r->symbol);
  gboolean needs_limit = r->type == EA_ORDER_TYPE_LIMIT || r->type == EA_ORDER_TYPE_STOP_LIMIT;
  gboolean needs_stop = r->type == EA_ORDER_TYPE_STOP || r->type == EA_ORDER_TYPE_STOP_LIMIT;

  if (a == NULL)
    return g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                        "Unknown account '%s'", r->account ? r->account : "(null)"), FALSE;
  if (m == NULL)
    return g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                        "Unknown symbol '%s'", r->symbol ? r->symbol : "(null)"), FALSE;
  if (r->client_order_id == NULL || *r->client_order_id == '\0')
    return g_set_error_literal (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                                "A client order id is required"), FALSE;
  if (r->side != EA_SIDE_BUY && r->side != EA_SIDE_SELL)
    return g_set_error_literal (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                                "Invalid side"), FALSE;
  if ((guint) r->type > EA_ORDER_TYPE_STOP_LIMIT || (guint) r->tif > EA_TIME_IN_FORCE_GTC)
    return g_set_error_literal (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                                "Invalid order type or time in force"), FALSE;
  if (r->qty <= 0 || r->qty > MAX_ORDER_QTY)
    return g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                        "Quantity %" G_GINT64_FORMAT " outside 1..%d", r->qty, MAX_ORDER_QTY), FALSE;
  if ((needs_limit && r->limit_price <= 0) || (needs_stop && r->stop_price <= 0))
    return g_set_error_literal (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                                "Missing or non-positive limit/stop price"), FALSE;
  if ((r->has_stop_loss && r->stop_loss_price <= 0) ||
      (r->has_take_profit && r->take_profit_price <= 0))
    return g_set_error_literal (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                                "Non-positive bracket price"), FALSE;

  if (r->has_stop_loss || r->has_take_profit)
    {
      EaTicks ref = r->type == EA_ORDER_TYPE_MARKET ? reference_price (m, r->side) :
                    r->type == EA_ORDER_TYPE_STOP ? r->stop_price : r->limit_price;
      gint64 s = r->side;

      if ((r->has_stop_loss && (r->stop_loss_price - ref) * s >= 0) ||
          (r->has_take_profit && (r->take_profit_price - ref) * s <= 0))
        return g_set_error_literal (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                                    "Bracket stop and target must be on either side of the entry"), FALSE;
    }

  *out_account = a;
  *out_market = m;
  return TRUE;
}

static gboolean
client_id_taken (EaSimExchange *ex,
                 const char    *account,
                 const char    *client_order_id)
{
  g_autofree char *key = client_key (account, client_order_id);

  return g_hash_table_contains (ex->order_by_client_id, key);
}

char *
ea_sim_exchange_place (EaSimExchange         *ex,
                       const EaOrderRequest  *r,
                       GError               **error)
{
  g_autofree char *sl_id = NULL;
  g_autofree char *tp_id = NULL;
  const char *reject = NULL;
  SimAccount *a;
  SimMarket *m;
  SimOrder *o;

  g_return_val_if_fail (ex != NULL, NULL);
  g_return_val_if_fail (r != NULL, NULL);

  if (!validate_request (ex, r, &a, &m, error))
    return NULL;

  if (r->has_stop_loss)
    sl_id = r->stop_loss_client_order_id ? g_strdup (r->stop_loss_client_order_id)
                                         : g_strconcat (r->client_order_id, "-SL", NULL);
  if (r->has_take_profit)
    tp_id = r->take_profit_client_order_id ? g_strdup (r->take_profit_client_order_id)
                                           : g_strconcat (r->client_order_id, "-TP", NULL);
  if (client_id_taken (ex, a->name, r->client_order_id) ||
      (sl_id && client_id_taken (ex, a->name, sl_id)) ||
      (tp_id && client_id_taken (ex, a->name, tp_id)) ||
      (sl_id != NULL && g_strcmp0 (sl_id, tp_id) == 0))
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                   "Duplicate client order id '%s'", r->client_order_id);
      return NULL;
    }

  o = new_order (ex, a, m, r->client_order_id, r->side, r->type, r->tif, r->qty,
                 r->limit_price, r->stop_price);

  if (r->type == EA_ORDER_TYPE_MARKET && !_ea_sim_market_is_open (ex, m))
    reject = "market closed";
  else if ((r->type == EA_ORDER_TYPE_STOP || r->type == EA_ORDER_TYPE_STOP_LIMIT) &&
           stop_on_wrong_side (m, r->side, r->stop_price))
    reject = r->side == EA_SIDE_BUY ? "buy stop at or below the market"
                                    : "sell stop at or above the market";
  if (reject != NULL)
    {
      set_state (ex, o, EA_ORDER_STATE_REJECTED);
      set_reason (o, reject);
      emit_order (ex, o);
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED, "Rejected: %s", reject);
      return NULL;
    }

  if (sl_id != NULL)
    {
      o->stop_loss = new_order (ex, a, m, sl_id, -r->side, EA_ORDER_TYPE_STOP, r->tif,
                                r->qty, 0, r->stop_loss_price);
      o->stop_loss->parent = o;
    }
  if (tp_id != NULL)
    {
      o->take_profit = new_order (ex, a, m, tp_id, -r->side, EA_ORDER_TYPE_LIMIT, r->tif,
                                  r->qty, r->take_profit_price, 0);
      o->take_profit->parent = o;
    }
  if (o->stop_loss != NULL && o->take_profit != NULL)
    {
      o->stop_loss->oco = o->take_profit;
      o->take_profit->oco = o->stop_loss;
      o->stop_loss->d.oco_order_id = g_strdup (o->take_profit->d.broker_order_id);
      o->take_profit->d.oco_order_id = g_strdup (o->stop_loss->d.broker_order_id);
    }

  set_state (ex, o, EA_ORDER_STATE_WORKING);
  emit_order (ex, o);
  {
    SimOrder *children[2] = { o->stop_loss, o->take_profit };

    for (guint i = 0; i < 2; i++)
      if (children[i] != NULL)
        {
          children[i]->d.parent_order_id = g_strdup (o->d.broker_order_id);
          set_state (ex, children[i], EA_ORDER_STATE_SUSPENDED);
          emit_order (ex, children[i]);
        }
  }

  activate (o);
  if (_ea_sim_market_is_open (ex, m))
    {
      m->avail_bid = m->q.bid_size;
      m->avail_ask = m->q.ask_size;
      if (r->type == EA_ORDER_TYPE_MARKET)
        take_liquidity (ex, o, FALSE, 0);
      else if (r->type == EA_ORDER_TYPE_LIMIT && limit_marketable (o))
        take_liquidity (ex, o, TRUE, o->d.limit_price);
    }

  return g_strdup (o->d.broker_order_id);
}

static SimOrder *
lookup_order (EaSimExchange  *ex,
              const char     *broker_order_id,
              GError        **error)
{
  SimOrder *o = broker_order_id ? g_hash_table_lookup (ex->order_by_id, broker_order_id) : NULL;

  if (o == NULL)
    g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                 "Unknown order '%s'", broker_order_id ? broker_order_id : "(null)");
  return o;
}

const EaOrderData *
ea_sim_exchange_get_order (EaSimExchange *ex,
                           const char    *broker_order_id)
{
  SimOrder *o = broker_order_id ? g_hash_table_lookup (ex->order_by_id, broker_order_id) : NULL;

  return o != NULL ? &o->d : NULL;
}

gboolean
ea_sim_exchange_modify (EaSimExchange  *ex,
                        const char     *broker_order_id,
                        gint64          qty,
                        EaTicks         limit_price,
                        EaTicks         stop_price,
                        GError        **error)
{
  SimOrder *o = lookup_order (ex, broker_order_id, error);
  EaOrderState previous;

  if (o == NULL)
    return FALSE;

  previous = o->d.state;
  if (previous != EA_ORDER_STATE_WORKING && previous != EA_ORDER_STATE_PARTIALLY_FILLED &&
      previous != EA_ORDER_STATE_SUSPENDED)
    return g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                        "Rejected: order is %s", ea_order_state_to_string (previous)), FALSE;
  if (qty < 0 || (qty > 0 && (qty <= o->d.filled_qty || qty > MAX_ORDER_QTY)) ||
      limit_price < 0 || stop_price < 0 ||
      (limit_price > 0 && o->d.limit_price == 0) || (stop_price > 0 && o->d.stop_price == 0))
    return g_set_error_literal (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                                "Invalid modification for this order"), FALSE;
  if (stop_price > 0 && !o->triggered && previous != EA_ORDER_STATE_SUSPENDED &&
      stop_on_wrong_side (o->market, o->d.side, stop_price))
    return g_set_error_literal (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                                "Rejected: stop on the wrong side of the market"), FALSE;

  set_state (ex, o, EA_ORDER_STATE_PENDING_REPLACE);
  if (qty > 0)
    o->d.qty = qty;
  if (limit_price > 0)
    o->d.limit_price = limit_price;
  if (stop_price > 0)
    o->d.stop_price = stop_price;
  set_state (ex, o, previous);
  emit_order (ex, o);

  if (o->active && _ea_sim_market_is_open (ex, o->market) &&
      (o->d.type == EA_ORDER_TYPE_LIMIT || (o->d.type == EA_ORDER_TYPE_STOP_LIMIT && o->triggered)) &&
      limit_marketable (o))
    {
      o->market->avail_bid = o->market->q.bid_size;
      o->market->avail_ask = o->market->q.ask_size;
      take_liquidity (ex, o, TRUE, o->d.limit_price);
    }

  return TRUE;
}

gboolean
ea_sim_exchange_cancel (EaSimExchange  *ex,
                        const char     *broker_order_id,
                        GError        **error)
{
  SimOrder *o = lookup_order (ex, broker_order_id, error);

  if (o == NULL)
    return FALSE;
  if (ea_order_state_is_terminal (o->d.state))
    return g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                        "Rejected: order is already %s",
                        ea_order_state_to_string (o->d.state)), FALSE;

  end_order (ex, o, EA_ORDER_STATE_CANCELLED, "cancelled on request");
  return TRUE;
}

guint
ea_sim_exchange_cancel_all (EaSimExchange *ex,
                            const char    *account,
                            const char    *symbol)
{
  guint n = 0;

  for (guint i = 0; i < ex->orders->len; i++)
    {
      SimOrder *o = g_ptr_array_index (ex->orders, i);

      if (ea_order_state_is_terminal (o->d.state) ||
          (account != NULL && strcmp (account, o->d.account) != 0) ||
          (symbol != NULL && strcmp (symbol, o->d.symbol) != 0))
        continue;
      end_order (ex, o, EA_ORDER_STATE_CANCELLED, "cancelled on request");
      n++;
    }

  return n;
}

gboolean
ea_sim_exchange_flatten (EaSimExchange  *ex,
                         const char     *account,
                         const char     *symbol,
                         GError        **error)
{
  g_autoptr(GString) failures = NULL;

  ea_sim_exchange_cancel_all (ex, account, symbol);

  for (guint i = 0; i < ex->accounts->len; i++)
    {
      SimAccount *a = g_ptr_array_index (ex->accounts, i);

      if (account != NULL && strcmp (account, a->name) != 0)
        continue;

      for (guint j = 0; j < ex->n_markets; j++)
        {
          SimMarket *m = &ex->markets[j];
          gint64 qty = a->positions[j].qty;
          g_autoptr(EaOrderRequest) r = NULL;
          g_autofree char *cid = NULL;
          g_autofree char *id = NULL;
          g_autoptr(GError) local = NULL;

          if (qty == 0 || (symbol != NULL && strcmp (symbol, m->symbol) != 0))
            continue;

          cid = g_strdup_printf ("FLATTEN-%" G_GUINT64_FORMAT, ex->order_seq + 1);
          r = ea_order_request_new (a->name, m->symbol, cid,
                                    qty > 0 ? EA_SIDE_SELL : EA_SIDE_BUY,
                                    EA_ORDER_TYPE_MARKET, ABS (qty));
          id = ea_sim_exchange_place (ex, r, &local);
          if (id == NULL || a->positions[j].qty != 0)
            {
              if (failures == NULL)
                failures = g_string_new (NULL);
              g_string_append_printf (failures, "%s%s %s: %s", failures->len ? "; " : "",
                                      a->name, m->symbol,
                                      local ? local->message : "not filled");
            }
        }
    }

  if (failures != NULL)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                   "Flatten incomplete: %s", failures->str);
      return FALSE;
    }
  return TRUE;
}

gboolean
ea_sim_exchange_add_account (EaSimExchange  *ex,
                             const char     *name,
                             EaMicros        size,
                             const char     *profile,
                             GError        **error)
{
  SimAccount *a;

  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL) || size <= 0)
    return g_set_error_literal (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                                "An account needs a name and a positive size"), FALSE;
  if (find_account (ex, name) != NULL)
    return g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                        "Account '%s' already exists", name), FALSE;
  if (ex->accounts->len >= EA_SIM_MAX_ACCOUNTS)
    return g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                        "At most %d demo accounts", EA_SIM_MAX_ACCOUNTS), FALSE;

  a = g_new0 (SimAccount, 1);
  a->name = g_strdup (name);
  a->profile = g_strdup (profile ? profile : "");
  a->size = size;
  a->positions = g_new0 (SimPosition, ex->n_markets);
  g_ptr_array_add (ex->accounts, a);

  if (ex->sink.account != NULL)
    {
      EaAccountData d;

      fill_account_data (ex, a, &d);
      ex->sink.account (ex->sink_data, &d);
    }
  return TRUE;
}

gboolean
ea_sim_exchange_reset_account (EaSimExchange  *ex,
                               const char     *name,
                               GError        **error)
{
  SimAccount *a = find_account (ex, name);

  if (a == NULL)
    return g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                        "Unknown account '%s'", name ? name : "(null)"), FALSE;

  ea_sim_exchange_cancel_all (ex, name, NULL);
  for (guint i = 0; i < ex->n_markets; i++)
    {
      SimPosition *p = &a->positions[i];
      gboolean had = p->qty != 0 || p->realized != 0;

      p->qty = 0;
      p->realized = 0;
      g_clear_pointer (&p->lots, g_array_unref);
      if (had && ex->sink.position != NULL)
        {
          EaPositionData d;

          fill_position_data (ex, a, &ex->markets[i], &d);
          ex->sink.position (ex->sink_data, &d);
        }
    }
  a->realized = 0;
  if (ex->sink.account != NULL)
    {
      EaAccountData d;

      fill_account_data (ex, a, &d);
      ex->sink.account (ex->sink_data, &d);
    }
  return TRUE;
}

GPtrArray *
ea_sim_exchange_list_accounts (EaSimExchange *ex)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_account_data_free);

  for (guint i = 0; i < ex->accounts->len; i++)
    {
      EaAccountData d;

      fill_account_data (ex, g_ptr_array_index (ex->accounts, i), &d);
      g_ptr_array_add (out, ea_account_data_copy (&d));
    }
  return out;
}

EaSnapshotData *
ea_sim_exchange_snapshot (EaSimExchange *ex,
                          const char    *account)
{
  EaSnapshotData *s = ea_snapshot_data_new (ex->now);

  for (guint i = 0; i < ex->accounts->len; i++)
    {
      SimAccount *a = g_ptr_array_index (ex->accounts, i);
      EaAccountData d;

      if (account != NULL && strcmp (account, a->name) != 0)
        continue;
      fill_account_data (ex, a, &d);
      g_ptr_array_add (s->accounts, ea_account_data_copy (&d));
      for (guint j = 0; j < ex->n_markets; j++)
        {
          EaPositionData p;

          if (a->positions[j].lots == NULL)
            continue;
          fill_position_data (ex, a, &ex->markets[j], &p);
          g_ptr_array_add (s->positions, ea_position_data_copy (&p));
        }
    }
  for (guint i = 0; i < ex->orders->len; i++)
    {
      SimOrder *o = g_ptr_array_index (ex->orders, i);

      if (account == NULL || strcmp (account, o->d.account) == 0)
        g_ptr_array_add (s->orders, ea_order_data_copy (&o->d));
    }
  for (guint i = 0; i < ex->fills->len; i++)
    {
      EaFillData *f = g_ptr_array_index (ex->fills, i);

      if (account == NULL || strcmp (account, f->account) == 0)
        g_ptr_array_add (s->fills, ea_fill_data_copy (f));
    }

  return s;
}

/* Accounts own their position lots; the exchange frees them here. */
void
_ea_sim_exchange_free_accounts (EaSimExchange *ex)
{
  for (guint i = 0; i < ex->accounts->len; i++)
    free_account_lots (g_ptr_array_index (ex->accounts, i), ex->n_markets);
}
