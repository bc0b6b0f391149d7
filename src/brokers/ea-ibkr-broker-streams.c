/* ea-ibkr-broker-streams.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The IBKR adapter's view of the gateway's streams: contracts by conid,
 * orders merged from sor deltas, executions from str (with the position
 * they move), quotes from smd and P&L from spl.
 */
#define G_LOG_DOMAIN "ea-ibkr-broker"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-ibkr-broker-private.h"

/* Contracts. */

void
_ea_ibkr_contract_free (IbContract *c)
{
  g_free (c->symbol);
  g_free (c);
}

IbContract *
_ea_ibkr_contract_by_conid (EaIbkrBroker *self,
                            gint64        conid)
{
  return g_hash_table_lookup (self->by_conid, &conid);
}

guint32
_ea_ibkr_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_get_year (now) * 10000 + g_date_time_get_month (now) * 100 +
         g_date_time_get_day_of_month (now);
}

char *
_ea_ibkr_order_key (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

/* Records of the streams. */

EaOrderData *
_ea_ibkr_order_to_data (EaIbkrBroker      *self,
               const EaIbkrOrder *o)
{
  IbContract *c = _ea_ibkr_contract_by_conid (self, o->conid);
  EaOrderData *d = g_new0 (EaOrderData, 1);
  double tick = c ? c->spec->tick_size : 0;

  d->account = g_strdup (o->account);
  d->symbol = g_strdup (c ? c->symbol : o->ticker);
  d->broker_order_id = _ea_ibkr_order_key (o->order_id);
  d->client_order_id = g_strdup (o->order_ref ? o->order_ref : d->broker_order_id);
  if (o->parent_id)
    d->parent_order_id = _ea_ibkr_order_key (o->parent_id);
  d->side = o->side;
  if (!ea_ibkr_order_type_parse (o->order_type, &d->type))
    d->type = EA_ORDER_TYPE_MARKET;
  d->tif = g_strcmp0 (o->tif, "GTC") == 0 ? EA_TIME_IN_FORCE_GTC : EA_TIME_IN_FORCE_DAY;
  d->state = ea_ibkr_status_to_state (o->status, o->filled);
  d->qty = o->total;
  d->filled_qty = o->filled;
  if (tick > 0)
    {
      EaTicks price = o->price > 0 ? ea_instrument_price_to_ticks (c->spec, o->price) : 0;
      EaTicks aux = o->aux_price > 0 ? ea_instrument_price_to_ticks (c->spec, o->aux_price) : 0;

      switch (d->type)
        {
        case EA_ORDER_TYPE_LIMIT:
          d->limit_price = price;
          break;
        case EA_ORDER_TYPE_STOP:
          d->stop_price = price;
          break;
        case EA_ORDER_TYPE_STOP_LIMIT:
          d->limit_price = price;
          d->stop_price = aux;
          break;
        case EA_ORDER_TYPE_MARKET:
        default:
          break;
        }
      if (o->filled > 0)
        d->avg_fill_price = o->avg_price / tick;
    }
  if (d->state == EA_ORDER_STATE_REJECTED)
    d->reason = g_strdup ("rejected by IBKR");
  d->updated = g_get_real_time ();
  return d;
}

gboolean
_ea_ibkr_order_complete (const EaIbkrOrder *o)
{
  guint need = EA_IBKR_ORDER_CONID | EA_IBKR_ORDER_SIDE | EA_IBKR_ORDER_STATUS | EA_IBKR_ORDER_TOTAL;

  return (o->present & need) == need;
}

/* Merges @update into the table; emits the order when it is known well
 * enough and anything changed. */
void
_ea_ibkr_merge_order (EaIbkrBroker      *self,
             const EaIbkrOrder *update)
{
  g_autofree char *key = _ea_ibkr_order_key (update->order_id);
  EaIbkrOrder *o = g_hash_table_lookup (self->orders, key);

  if (o == NULL)
    {
      o = g_new0 (EaIbkrOrder, 1);
      g_hash_table_insert (self->orders, g_steal_pointer (&key), o);
    }
  ea_ibkr_order_merge (o, update);
  if (_ea_ibkr_order_complete (o))
    {
      g_autoptr(EaOrderData) d = _ea_ibkr_order_to_data (self, o);

      ea_broker_emit_order_updated (EA_BROKER (self), d);
    }
}

void
_ea_ibkr_handle_sor (EaIbkrBroker *self,
                     JsonObject   *message)
{
  JsonArray *args = ea_json_get_array (message, "args");

  if (args == NULL)
    {
      self->dropped++;
      return;
    }
  for (guint i = 0; i < json_array_get_length (args); i++)
    {
      JsonNode *n = json_array_get_element (args, i);
      g_autoptr(GError) error = NULL;
      EaIbkrOrder u;

      if (!JSON_NODE_HOLDS_OBJECT (n) || !ea_ibkr_parse_order (json_node_get_object (n), &u, &error))
        {
          self->dropped++;
          continue;
        }
      _ea_ibkr_merge_order (self, &u);
      ea_ibkr_order_clear (&u);
    }
}

static char *
position_key (const char *account,
              const char *symbol)
{
  return g_strdup_printf ("%s\x1f%s", account ? account : "", symbol ? symbol : "");
}

EaPositionData *
_ea_ibkr_position_for (EaIbkrBroker *self,
              const char   *account,
              const char   *symbol)
{
  char *key = position_key (account, symbol);
  EaPositionData *p = g_hash_table_lookup (self->positions, key);

  if (p == NULL)
    {
      p = g_new0 (EaPositionData, 1);
      p->account = g_strdup (account);
      p->symbol = g_strdup (symbol);
      g_hash_table_insert (self->positions, key, p);
    }
  else
    g_free (key);
  return p;
}

static void
apply_fill (EaIbkrBroker           *self,
            const EaFillData       *f,
            const EaInstrumentSpec *spec)
{
  EaPositionData *p = _ea_ibkr_position_for (self, f->account, f->symbol);
  gint64 signed_qty = f->side == EA_SIDE_BUY ? f->qty : -f->qty;
  gint64 before = p->qty;
  gint64 after = before + signed_qty;

  if (before == 0 || (before > 0) == (signed_qty > 0))
    p->avg_price = (p->avg_price * llabs (before) + (double) f->price * f->qty) / (double) llabs (after);
  else
    {
      gint64 closed = MIN (llabs (before), f->qty);
      double ticks = (before > 0 ? 1 : -1) * ((double) f->price - p->avg_price);

      p->realized_pnl += (EaMicros) llround (ticks * (double) spec->tick_value * (double) closed);
      if (after == 0)
        p->avg_price = 0;
      else if ((after > 0) != (before > 0))
        p->avg_price = (double) f->price;
    }
  p->qty = after;
  p->time = f->time;
  self->position_epoch++;
  ea_broker_emit_position_changed (EA_BROKER (self), p);
}

/* A new execution: emitted once; @apply also moves the position. */
void
_ea_ibkr_take_trade (EaIbkrBroker      *self,
            const EaIbkrTrade *t,
            gboolean           apply,
            EaFillData       **out)
{
  IbContract *c = _ea_ibkr_contract_by_conid (self, t->conid);
  EaFillData f = { 0 };
  g_autofree char *order_id = t->order_id ? _ea_ibkr_order_key (t->order_id) : NULL;

  if (c == NULL || g_hash_table_contains (self->executions, t->execution_id))
    return;
  g_hash_table_add (self->executions, g_strdup (t->execution_id));
  f.account = t->account ? t->account : self->selected;
  f.symbol = c->symbol;
  f.fill_id = t->execution_id;
  f.broker_order_id = order_id;
  f.client_order_id = t->order_ref;
  f.side = t->side;
  f.qty = t->size;
  f.price = ea_instrument_price_to_ticks (c->spec, t->price);
  f.time = t->time_ms * 1000;
  ea_broker_emit_fill (EA_BROKER (self), &f);
  if (apply)
    apply_fill (self, &f, c->spec);
  if (out)
    *out = ea_fill_data_copy (&f);
}

void
_ea_ibkr_handle_str (EaIbkrBroker *self,
                     JsonObject   *message)
{
  JsonNode *args = json_object_get_member (message, "args");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) trades = args ? ea_ibkr_parse_trades (args, &error) : NULL;

  if (trades == NULL)
    {
      self->dropped++;
      return;
    }
  for (guint i = 0; i < trades->len; i++)
    _ea_ibkr_take_trade (self, trades->pdata[i], TRUE, NULL);
}

void
_ea_ibkr_handle_smd (EaIbkrBroker *self,
                     gint64        conid,
                     JsonObject   *message)
{
  IbContract *c = _ea_ibkr_contract_by_conid (self, conid);
  g_autoptr(GError) error = NULL;
  EaIbkrMarket u;
  EaQuoteData q = { 0 };

  if (c == NULL || !c->subscribed)
    return;
  if (!ea_ibkr_parse_market (message, c->spec, &u, &error))
    {
      self->dropped++;
      return;
    }
#define TAKE(flag, field) if (u.present & flag) c->market.field = u.field;
  TAKE (EA_IBKR_MD_LAST, last);
  TAKE (EA_IBKR_MD_BID, bid);
  TAKE (EA_IBKR_MD_ASK, ask);
  TAKE (EA_IBKR_MD_BID_SIZE, bid_size);
  TAKE (EA_IBKR_MD_ASK_SIZE, ask_size);
  TAKE (EA_IBKR_MD_VOLUME, volume);
#undef TAKE
  if (u.present & EA_IBKR_MD_LAST)
    {
      c->market.prior_close = u.prior_close;
      c->market.halted = u.halted;
    }
  c->market.present |= u.present;
  q.symbol = c->symbol;
  q.time = g_get_real_time ();
  q.bid = c->market.bid;
  q.ask = c->market.ask;
  q.last = c->market.prior_close ? 0 : c->market.last;
  q.bid_size = c->market.bid_size;
  q.ask_size = c->market.ask_size;
  q.last_size = (u.present & EA_IBKR_MD_LAST_SIZE) && !c->market.prior_close ? u.last_size : 0;
  q.volume = c->market.volume;
  ea_broker_emit_quote (EA_BROKER (self), &q);
}

void
_ea_ibkr_handle_spl (EaIbkrBroker *self,
                     JsonObject   *message)
{
  JsonObject *args = ea_json_get_object (message, "args");
  GList *members;

  if (args == NULL)
    {
      self->dropped++;
      return;
    }
  members = json_object_get_members (args);
  for (GList *l = members; l; l = l->next)
    {
      JsonObject *row = ea_json_get_object (args, l->data);
      g_autofree char *name = g_strndup (l->data, strcspn (l->data, "."));
      EaAccountData a = { 0 };
      double dpl = 0, upl = 0;

      if (row == NULL || !ea_json_get_double (row, "dpl", &dpl) || !ea_json_get_double (row, "upl", &upl))
        continue;
      if (_ea_ibkr_account_from_spl (self, name, dpl, upl, &a))
        ea_broker_emit_account_changed (EA_BROKER (self), &a);
    }
  g_list_free (members);
}

