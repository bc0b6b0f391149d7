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

static void
emit_order (EaSimExchange *ex,
            SimOrder      *o)
{
  if (ex->sink.order != NULL)
    ex->sink.order (ex->sink_data, &o->d);
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

  _ea_sim_apply_to_position (o->account, o->market, o->d.side, qty, price);

  if (ex->sink.fill != NULL)
    ex->sink.fill (ex->sink_data, f);
  emit_order (ex, o);

  if (o->stop_loss != NULL || o->take_profit != NULL)
    grow_children (ex, o, qty);
  if (o->oco != NULL)
    shrink_oco_peer (ex, o->oco, qty);

  _ea_sim_emit_position_and_account (ex, o->account, o->market);
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
  SimAccount *a = _ea_sim_find_account (ex, r->account);
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

/* A plain leg of an OCO pair: any order type, no bracket of its own. */
static gboolean
validate_oco_leg (EaSimExchange         *ex,
                  const EaOrderRequest  *r,
                  SimAccount           **a,
                  SimMarket            **m,
                  GError               **error)
{
  if (r->has_stop_loss || r->has_take_profit)
    return g_set_error_literal (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                                "An OCO order cannot carry a bracket of its own"), FALSE;
  if (!validate_request (ex, r, a, m, error))
    return FALSE;
  if (r->type == EA_ORDER_TYPE_MARKET)
    return g_set_error_literal (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                                "An OCO order rests: it cannot be a market order"), FALSE;
  if ((r->type == EA_ORDER_TYPE_STOP || r->type == EA_ORDER_TYPE_STOP_LIMIT) &&
      stop_on_wrong_side (*m, r->side, r->stop_price))
    return g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED, "Rejected: %s",
                        r->side == EA_SIDE_BUY ? "buy stop at or below the market"
                                               : "sell stop at or above the market"), FALSE;
  return TRUE;
}

char *
ea_sim_exchange_place_oco (EaSimExchange         *ex,
                           const EaOrderRequest  *first,
                           const EaOrderRequest  *second,
                           char                 **second_id,
                           GError               **error)
{
  SimAccount *a, *a2;
  SimMarket *m, *m2;
  SimOrder *legs[2];
  const EaOrderRequest *requests[2] = { first, second };

  g_return_val_if_fail (ex != NULL, NULL);
  g_return_val_if_fail (first != NULL && second != NULL, NULL);

  if (!validate_oco_leg (ex, first, &a, &m, error) || !validate_oco_leg (ex, second, &a2, &m2, error))
    return NULL;
  if (a != a2 || m != m2 || first->qty != second->qty)
    return g_set_error_literal (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                                "The two orders of an OCO pair share account, symbol and quantity"), NULL;
  if (client_id_taken (ex, a->name, first->client_order_id) ||
      client_id_taken (ex, a->name, second->client_order_id) ||
      g_strcmp0 (first->client_order_id, second->client_order_id) == 0)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                   "Duplicate client order id '%s'", first->client_order_id);
      return NULL;
    }

  for (guint i = 0; i < 2; i++)
    legs[i] = new_order (ex, a, m, requests[i]->client_order_id, requests[i]->side, requests[i]->type,
                         requests[i]->tif, requests[i]->qty, requests[i]->limit_price,
                         requests[i]->stop_price);
  legs[0]->oco = legs[1];
  legs[1]->oco = legs[0];
  legs[0]->d.oco_order_id = g_strdup (legs[1]->d.broker_order_id);
  legs[1]->d.oco_order_id = g_strdup (legs[0]->d.broker_order_id);

  for (guint i = 0; i < 2; i++)
    {
      set_state (ex, legs[i], EA_ORDER_STATE_WORKING);
      emit_order (ex, legs[i]);
      activate (legs[i]);
    }

  /* A target already through the market trades at once (and the stop
   * shrinks with it). */
  if (_ea_sim_market_is_open (ex, m))
    for (guint i = 0; i < 2; i++)
      if (!ea_order_state_is_terminal (legs[i]->d.state) && legs[i]->d.type == EA_ORDER_TYPE_LIMIT &&
          limit_marketable (legs[i]))
        {
          m->avail_bid = m->q.bid_size;
          m->avail_ask = m->q.ask_size;
          take_liquidity (ex, legs[i], TRUE, legs[i]->d.limit_price);
        }

  if (second_id != NULL)
    *second_id = g_strdup (legs[1]->d.broker_order_id);
  return g_strdup (legs[0]->d.broker_order_id);
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

  /* Children waiting for a resized entry follow its quantity. */
  if (qty > 0)
    {
      SimOrder *children[2] = { o->stop_loss, o->take_profit };

      for (guint i = 0; i < 2; i++)
        if (children[i] != NULL && children[i]->d.state == EA_ORDER_STATE_SUSPENDED)
          {
            children[i]->d.qty = qty;
            children[i]->d.updated = ex->now;
            emit_order (ex, children[i]);
          }
    }

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
