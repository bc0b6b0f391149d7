/* ea-sim-accounts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Demo accounts of the simulated exchange: FIFO positions, realized and
 * open P&L, balances, flattening and the reconciliation snapshot.
 */
#define G_LOG_DOMAIN "ea-sim-exchange"

#include "config.h"

#include <string.h>

#include "ea-sim-exchange-private.h"

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

SimAccount *
_ea_sim_find_account (EaSimExchange *ex,
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

void
_ea_sim_fill_position_data (EaSimExchange  *ex,
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

void
_ea_sim_fill_account_data (EaSimExchange *ex,
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

void
_ea_sim_emit_position_and_account (EaSimExchange *ex,
                                   SimAccount    *a,
                                   SimMarket     *m)
{
  if (ex->sink.position != NULL)
    {
      EaPositionData p;

      _ea_sim_fill_position_data (ex, a, m, &p);
      ex->sink.position (ex->sink_data, &p);
    }
  if (ex->sink.account != NULL)
    {
      EaAccountData d;

      _ea_sim_fill_account_data (ex, a, &d);
      ex->sink.account (ex->sink_data, &d);
    }
}

void
_ea_sim_apply_to_position (SimAccount *a,
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
  if (_ea_sim_find_account (ex, name) != NULL)
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

      _ea_sim_fill_account_data (ex, a, &d);
      ex->sink.account (ex->sink_data, &d);
    }
  return TRUE;
}

gboolean
ea_sim_exchange_reset_account (EaSimExchange  *ex,
                               const char     *name,
                               GError        **error)
{
  SimAccount *a = _ea_sim_find_account (ex, name);

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

          _ea_sim_fill_position_data (ex, a, &ex->markets[i], &d);
          ex->sink.position (ex->sink_data, &d);
        }
    }
  a->realized = 0;
  if (ex->sink.account != NULL)
    {
      EaAccountData d;

      _ea_sim_fill_account_data (ex, a, &d);
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

      _ea_sim_fill_account_data (ex, g_ptr_array_index (ex->accounts, i), &d);
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
      _ea_sim_fill_account_data (ex, a, &d);
      g_ptr_array_add (s->accounts, ea_account_data_copy (&d));
      for (guint j = 0; j < ex->n_markets; j++)
        {
          EaPositionData p;

          if (a->positions[j].lots == NULL)
            continue;
          _ea_sim_fill_position_data (ex, a, &ex->markets[j], &p);
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
