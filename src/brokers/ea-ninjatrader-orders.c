/* ea-ninjatrader-orders.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The requests of EaNinjaTraderBroker: each becomes one or more
 * instruction files, then waits (ea-ninjatrader-files.c) until the
 * outgoing files show its outcome.
 */
#define G_LOG_DOMAIN "ea-ninjatrader"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ea-ninjatrader-broker-private.h"

/* A desk symbol: a root ("ES", the front month) or any contract form. */
gboolean
_ea_nt_broker_resolve (EaNinjaTraderBroker  *self,
         const char           *symbol,
         EaContract           *contract,
         char                **key,
         GError              **error)
{
  const EaInstrumentSpec *spec = symbol ? ea_instrument_lookup (symbol) : NULL;
  guint32 day = _ea_nt_broker_reference_day (self);

  if (!(spec != NULL ? ea_contract_front (spec, day, contract)
                     : symbol != NULL && ea_nt_instrument_parse (symbol, day, contract, NULL)))
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                   _("NinjaTrader: “%s” is not an instrument Enigma Apex trades"),
                   symbol ? symbol : "(null)");
      return FALSE;
    }
  *key = ea_contract_format (contract, EA_SYMBOLOGY_NINJATRADER);
  if (!g_hash_table_contains (self->symbols, *key))
    g_hash_table_insert (self->symbols, g_strdup (*key), g_strdup (symbol));
  return TRUE;
}

static const char *
find_account (EaNinjaTraderBroker *self,
              const char          *account)
{
  for (guint i = 0; account != NULL && self->accounts != NULL && self->accounts[i] != NULL; i++)
    if (g_ascii_strcasecmp (self->accounts[i], account) == 0)
      return self->accounts[i];
  return NULL;
}

/* ORDER IDs name files on Windows: keep them plain. */
static gboolean
order_id_ok (const char *id)
{
  gsize len = id ? strlen (id) : 0;

  if (len == 0 || len > 100)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

char *
_ea_nt_broker_send (EaNinjaTraderBroker    *self,
                    const EaNtInstruction  *in,
                    GError                **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *line = NULL;
  g_autofree char *contents = NULL;
  char *name;
  gint64 *when;

  line = ea_nt_instruction_format (in, self->stop_keyword, &local);
  if (line == NULL)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT, "%s", local->message);
      return NULL;
    }
  contents = g_strconcat (line, "\r\n", NULL);
  name = ea_nt_write_instruction_file (self->incoming, self->file_stamp, &self->counter, contents, &local);
  if (name == NULL)
    {
      /* Nothing reached NinjaTrader: safe to report as not connected. */
      _ea_nt_broker_set_state (self, EA_CONNECTION_STATE_DISCONNECTED, local->message);
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED, "%s", local->message);
      return NULL;
    }
  g_debug ("%s: %s", name, line);
  when = g_new (gint64, 1);
  *when = g_get_monotonic_time ();
  g_hash_table_insert (self->pending_files, g_strdup (name), when);
  /* The round trip is timed on the instructions whose answer shows in
   * the order's own file: a new order and a cancel. */
  if ((in->command == EA_NT_COMMAND_PLACE || in->command == EA_NT_COMMAND_REVERSEPOSITION ||
       in->command == EA_NT_COMMAND_CANCEL) && in->order_id != NULL)
    {
      NtOrder *o = g_hash_table_lookup (self->orders, in->order_id);

      if (o != NULL && o->asked_us == 0 && !ea_order_state_is_terminal (o->d.state))
        o->asked_us = *when;
    }
  return name;
}

static NtOrder *
add_order (EaNinjaTraderBroker    *self,
           const EaOrderRequest   *r,
           const char             *order_id,
           const EaContract       *c,
           const char             *key)
{
  NtOrder *o = g_new0 (NtOrder, 1);

  o->d.account = g_strdup (find_account (self, r->account));
  o->d.symbol = g_strdup (r->symbol);
  o->d.client_order_id = g_strdup (order_id);
  o->d.broker_order_id = g_strdup (order_id);
  o->d.side = r->side;
  o->d.type = r->type;
  o->d.tif = r->tif;
  o->d.state = EA_ORDER_STATE_PENDING_NEW;
  o->d.qty = r->qty;
  o->d.limit_price = r->limit_price;
  o->d.stop_price = r->stop_price;
  o->d.created = o->d.updated = g_get_real_time ();
  o->spec = c->spec;
  o->instrument = ea_nt_instrument_format (c, self->symbology);
  o->key = g_strdup (key);
  o->nt_state = EA_NT_ORDER_INITIALIZED;
  g_hash_table_insert (self->orders, g_strdup (order_id), o);
  g_ptr_array_add (self->order_list, o);
  return o;
}

static void
fill_place (EaNtInstruction *in, NtOrder *o)
{
  memset (in, 0, sizeof *in);
  in->command = EA_NT_COMMAND_PLACE;
  in->account = o->d.account;
  in->instrument = o->instrument;
  in->action = o->d.side;
  in->qty = o->d.qty;
  in->has_type = TRUE;
  in->type = o->d.type;
  if (o->d.type == EA_ORDER_TYPE_LIMIT || o->d.type == EA_ORDER_TYPE_STOP_LIMIT)
    in->limit_price = ea_nt_format_price (o->spec, o->d.limit_price);
  if (o->d.type == EA_ORDER_TYPE_STOP || o->d.type == EA_ORDER_TYPE_STOP_LIMIT)
    in->stop_price = ea_nt_format_price (o->spec, o->d.stop_price);
  in->has_tif = TRUE;
  in->tif = o->d.tif;
  in->order_id = o->d.broker_order_id;
}

static void
clear_place (EaNtInstruction *in)
{
  g_clear_pointer (&in->limit_price, g_free);
  g_clear_pointer (&in->stop_price, g_free);
}

/* The entry of a bracket filled: its stop and target go out as an OCO
 * pair for the filled quantity, or follow it when more fills. */
void
_ea_nt_broker_send_children (EaNinjaTraderBroker *self,
                             NtOrder             *entry)
{
  g_autofree char *oco = NULL;
  const char *ids[2] = { entry->sl_id, entry->tp_id };

  if (entry->children_sent)
    {
      for (guint i = 0; i < 2; i++)
        {
          NtOrder *child = ids[i] ? g_hash_table_lookup (self->orders, ids[i]) : NULL;
          g_autofree char *name = NULL;
          EaNtInstruction in = { 0 };

          if (child == NULL || child->d.qty == entry->filled || ea_order_state_is_terminal (child->d.state))
            continue;
          in.command = EA_NT_COMMAND_CHANGE;
          in.qty = entry->filled;
          in.order_id = child->d.broker_order_id;
          name = _ea_nt_broker_send (self, &in, NULL);
          if (name != NULL)
            child->d.qty = entry->filled;
        }
      return;
    }

  entry->children_sent = TRUE;
  if (entry->has_sl && entry->has_tp)
    oco = g_strconcat (entry->d.broker_order_id, "-OCO", NULL);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EaOrderRequest) r = NULL;
      g_autofree char *key = NULL;
      g_autofree char *name = NULL;
      EaNtInstruction in;
      EaContract c;
      NtOrder *child;

      if (ids[i] == NULL)
        continue;
      r = ea_order_request_new (entry->d.account, entry->d.symbol, ids[i], -entry->d.side,
                                i == 0 ? EA_ORDER_TYPE_STOP : EA_ORDER_TYPE_LIMIT, entry->filled);
      r->tif = entry->d.tif;
      if (i == 0)
        r->stop_price = entry->sl_price;
      else
        r->limit_price = entry->tp_price;
      if (!_ea_nt_broker_resolve (self, entry->d.symbol, &c, &key, NULL))
        continue;
      child = add_order (self, r, ids[i], &c, key);
      child->d.parent_order_id = g_strdup (entry->d.broker_order_id);
      child->d.oco_order_id = g_strdup (ids[1 - i]);
      fill_place (&in, child);
      in.oco_id = oco;
      name = _ea_nt_broker_send (self, &in, &error);
      if (name != NULL)
        _ea_nt_broker_emit_order (self, child);
      else
        {
          child->d.state = EA_ORDER_STATE_REJECTED;
          child->d.reason = g_strdup (error->message);
          child->acked = TRUE;
          _ea_nt_broker_emit_order (self, child);
        }
      clear_place (&in);
    }
}

EaSnapshotData *
_ea_nt_broker_build_snapshot (EaNinjaTraderBroker *self,
                              const char          *account)
{
  EaSnapshotData *s = ea_snapshot_data_new (g_get_real_time ());
  GHashTableIter iter;
  gpointer v;

  for (guint i = 0; self->accounts != NULL && self->accounts[i] != NULL; i++)
    if (account == NULL || g_ascii_strcasecmp (account, self->accounts[i]) == 0)
      {
        EaAccountData a = { 0 };

        _ea_nt_broker_account_data (self, self->accounts[i], &a);
        a.time = s->time;
        g_ptr_array_add (s->accounts, ea_account_data_copy (&a));
      }
  for (guint i = 0; i < self->order_list->len; i++)
    {
      NtOrder *o = self->order_list->pdata[i];

      if (account == NULL || g_ascii_strcasecmp (account, o->d.account) == 0)
        g_ptr_array_add (s->orders, ea_order_data_copy (&o->d));
    }
  for (guint i = 0; i < self->fills->len; i++)
    {
      EaFillData *f = self->fills->pdata[i];

      if (account == NULL || g_ascii_strcasecmp (account, f->account) == 0)
        g_ptr_array_add (s->fills, ea_fill_data_copy (f));
    }
  g_hash_table_iter_init (&iter, self->positions);
  while (g_hash_table_iter_next (&iter, NULL, &v))
    {
      NtPosition *p = v;
      g_autofree char *symbol = NULL;
      EaPositionData d = { 0 };

      if (p->qty == G_MININT64 || (account != NULL && g_ascii_strcasecmp (account, p->account) != 0))
        continue;
      symbol = _ea_nt_desk_symbol (self, p->key);
      d.account = p->account;
      d.symbol = symbol;
      d.qty = p->qty;
      d.avg_price = p->avg / p->spec->tick_size;
      d.time = s->time;
      g_ptr_array_add (s->positions, ea_position_data_copy (&d));
    }
  return s;
}

/* A task, or NULL when it was already answered (cancelled, disconnected). */
GTask *
_ea_nt_broker_start_task (EaNinjaTraderBroker *self,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             tag,
            gboolean             need_connection)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  g_task_set_check_cancellable (task, FALSE);
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED, _("Request cancelled"));
      return NULL;
    }
  if (need_connection && self->state != EA_CONNECTION_STATE_CONNECTED)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED,
                               _("NinjaTrader is not connected: %s"),
                               self->problem ? self->problem : _("not started"));
      return NULL;
    }
  return g_steal_pointer (&task);
}

gboolean
_ea_nt_broker_finish_bool (gpointer self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* NinjaTrader's position of @account in the contract @key (0 when flat
 * or never reported). */
static gint64
position_qty (EaNinjaTraderBroker *self,
              const char          *account,
              const char          *key)
{
  GHashTableIter iter;
  gpointer v;

  g_hash_table_iter_init (&iter, self->positions);
  while (g_hash_table_iter_next (&iter, NULL, &v))
    {
      NtPosition *p = v;

      if (p->qty != G_MININT64 && g_ascii_strcasecmp (account, p->account) == 0 && strcmp (key, p->key) == 0)
        return p->qty;
    }
  return 0;
}

/* PLACE, or REVERSEPOSITION when @reverse: NinjaTrader closes the
 * position and places @r, a market order of the position's size the
 * other way, under @r's ORDER ID. */
static void
place_or_reverse (EaNinjaTraderBroker  *self,
                  GTask                *task,
                  const EaOrderRequest *r,
                  gboolean              reverse)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *name = NULL;
  const char *bad = NULL;
  EaNtInstruction in;
  EaContract c;
  NtOrder *o;
  Waiter *w;

  if (r->qty <= 0 || r->qty > G_MAXINT32)
    bad = _("the quantity must be positive");
  else if ((r->side != EA_SIDE_BUY && r->side != EA_SIDE_SELL))
    bad = _("the side must be buy or sell");
  else if ((r->type == EA_ORDER_TYPE_LIMIT || r->type == EA_ORDER_TYPE_STOP_LIMIT) && r->limit_price <= 0)
    bad = _("a limit price is required");
  else if ((r->type == EA_ORDER_TYPE_STOP || r->type == EA_ORDER_TYPE_STOP_LIMIT) && r->stop_price <= 0)
    bad = _("a stop price is required");
  else if (!order_id_ok (r->client_order_id))
    bad = _("the client order id must be 1-100 letters, digits, '-', '_' or '.'");
  else if ((r->has_stop_loss && r->stop_loss_price <= 0) || (r->has_take_profit && r->take_profit_price <= 0))
    bad = _("bracket prices must be positive");
  else if (reverse && (r->type != EA_ORDER_TYPE_MARKET || r->has_stop_loss || r->has_take_profit))
    bad = _("a reversal is a market order without a bracket");
  if (bad != NULL)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                               _("Invalid order: %s"), bad);
      return;
    }
  if (find_account (self, r->account) == NULL)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                               _("No NinjaTrader account “%s” is configured"), r->account);
      return;
    }
  if (!_ea_nt_broker_resolve (self, r->symbol, &c, &key, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_hash_table_contains (self->orders, r->client_order_id))
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                               _("Duplicate client order id “%s”"), r->client_order_id);
      return;
    }
  if (reverse)
    {
      gint64 held = position_qty (self, find_account (self, r->account), key);

      /* REVERSEPOSITION reverses whatever NinjaTrader holds: only the
       * position the caller saw goes out. */
      if (held != -(gint64) r->side * r->qty)
        {
          g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                                   _("NinjaTrader's position of %s in %s is %" G_GINT64_FORMAT
                                     ", not %" G_GINT64_FORMAT ": nothing was reversed"),
                                   r->account, key, held, -(gint64) r->side * r->qty);
          return;
        }
    }

  o = add_order (self, r, r->client_order_id, &c, key);
  fill_place (&in, o);
  if (reverse)
    {
      g_autofree char *book = g_strconcat (o->d.account, "\n", key, NULL);

      in.command = EA_NT_COMMAND_REVERSEPOSITION;
      /* The close happens inside NinjaTrader, unvalued like a flatten
       * there: the book restarts from flat with the opening fills. */
      g_hash_table_remove (self->books, book);
    }
  if (r->has_stop_loss || r->has_take_profit)
    {
      if (self->atm_template != NULL && *self->atm_template != '\0')
        {
          /* NinjaTrader places the stop and target of the template. */
          in.strategy = self->atm_template;
          in.strategy_id = o->d.broker_order_id;
        }
      else
        {
          o->has_sl = r->has_stop_loss;
          o->has_tp = r->has_take_profit;
          o->sl_price = r->stop_loss_price;
          o->tp_price = r->take_profit_price;
          if (o->has_sl)
            o->sl_id = r->stop_loss_client_order_id ? g_strdup (r->stop_loss_client_order_id)
                                                    : g_strconcat (r->client_order_id, "-SL", NULL);
          if (o->has_tp)
            o->tp_id = r->take_profit_client_order_id ? g_strdup (r->take_profit_client_order_id)
                                                      : g_strconcat (r->client_order_id, "-TP", NULL);
          if ((o->sl_id && !order_id_ok (o->sl_id)) || (o->tp_id && !order_id_ok (o->tp_id)) ||
              (o->sl_id && g_hash_table_contains (self->orders, o->sl_id)) ||
              (o->tp_id && g_hash_table_contains (self->orders, o->tp_id)))
            bad = _("bracket order ids are invalid or taken");
        }
    }
  name = bad ? NULL : _ea_nt_broker_send (self, &in, &error);
  clear_place (&in);
  if (name == NULL)
    {
      g_ptr_array_remove (self->order_list, o);
      g_hash_table_remove (self->orders, r->client_order_id);
      if (bad != NULL)
        g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                                 _("Invalid order: %s"), bad);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  _ea_nt_broker_emit_order (self, o);

  w = _ea_nt_waiter_new (self, task, WAIT_PLACE, self->ack_ms);
  w->order_id = g_strdup (o->d.broker_order_id);
  g_ptr_array_add (w->files, g_steal_pointer (&name));
}

void
_ea_nt_place_order_async (EaBroker *broker, const EaOrderRequest *r, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  EaNinjaTraderBroker *self = EA_NINJATRADER_BROKER (broker);
  g_autoptr(GTask) task = _ea_nt_broker_start_task (self, cancellable, callback, user_data, _ea_nt_place_order_async, TRUE);

  if (task != NULL)
    place_or_reverse (self, task, r, FALSE);
}

void
_ea_nt_reverse_position_async (EaBroker *broker, const EaOrderRequest *r, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  EaNinjaTraderBroker *self = EA_NINJATRADER_BROKER (broker);
  g_autoptr(GTask) task = _ea_nt_broker_start_task (self, cancellable, callback, user_data,
                                                    _ea_nt_reverse_position_async, TRUE);

  if (task != NULL)
    place_or_reverse (self, task, r, TRUE);
}

char *
_ea_nt_place_order_finish (EaBroker *broker, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The order behind @id, or NULL with the task answered. */
static NtOrder *
live_order (EaNinjaTraderBroker *self, GTask *task, const char *id)
{
  NtOrder *o = id ? g_hash_table_lookup (self->orders, id) : NULL;

  if (o == NULL)
    g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                             _("Unknown order “%s”"), id ? id : "(null)");
  else if (ea_order_state_is_terminal (o->d.state))
    g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                             _("Order %s is %s"), id, ea_order_state_to_string (o->d.state));
  else
    return o;
  return NULL;
}

void
_ea_nt_modify_order_async (EaBroker *broker, const char *id, gint64 qty, EaTicks limit_price,
                       EaTicks stop_price, EaActor actor, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  EaNinjaTraderBroker *self = EA_NINJATRADER_BROKER (broker);
  g_autoptr(GTask) task = _ea_nt_broker_start_task (self, cancellable, callback, user_data, _ea_nt_modify_order_async, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  EaNtInstruction in = { 0 };
  NtOrder *o;
  Waiter *w;

  if (task == NULL || (o = live_order (self, task, id)) == NULL)
    return;
  if (qty < 0 || limit_price < 0 || stop_price < 0)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                               _("Invalid change: negative quantity or price"));
      return;
    }
  in.command = EA_NT_COMMAND_CHANGE;
  in.qty = qty;
  in.limit_price = ea_nt_format_price (o->spec, limit_price);
  in.stop_price = ea_nt_format_price (o->spec, stop_price);
  in.order_id = o->d.broker_order_id;
  name = _ea_nt_broker_send (self, &in, &error);
  clear_place (&in);
  if (name == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  w = _ea_nt_waiter_new (self, task, WAIT_CHANGE, self->ack_ms);
  w->order_id = g_strdup (id);
  w->qty = qty;
  w->limit_price = limit_price;
  w->stop_price = stop_price;
  g_ptr_array_add (w->files, g_steal_pointer (&name));
}

void
_ea_nt_cancel_order_async (EaBroker *broker, const char *id, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  EaNinjaTraderBroker *self = EA_NINJATRADER_BROKER (broker);
  g_autoptr(GTask) task = _ea_nt_broker_start_task (self, cancellable, callback, user_data, _ea_nt_cancel_order_async, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  EaNtInstruction in = { 0 };
  NtOrder *o;
  Waiter *w;

  if (task == NULL || (o = live_order (self, task, id)) == NULL)
    return;
  in.command = EA_NT_COMMAND_CANCEL;
  in.order_id = o->d.broker_order_id;
  name = _ea_nt_broker_send (self, &in, &error);
  if (name == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  w = _ea_nt_waiter_new (self, task, WAIT_CANCEL, self->ack_ms);
  w->order_id = g_strdup (id);
  g_ptr_array_add (w->files, g_steal_pointer (&name));
}

static gboolean
order_matches (NtOrder *o, const char *account, const char *key)
{
  return !ea_order_state_is_terminal (o->d.state) &&
         (account == NULL || g_ascii_strcasecmp (account, o->d.account) == 0) &&
         (key == NULL || strcmp (key, o->key) == 0);
}

/* CANCEL_ALL and FLATTEN: cancel_all of one account or contract cancels
 * our orders one by one (CANCELALLORDERS would reach every account);
 * FLATTEN uses CLOSEPOSITION per instrument, or FLATTENEVERYTHING for
 * everything, which is the emergency stop. */
static void
cancel_or_flatten (EaNinjaTraderBroker *self, GTask *task, WaitKind kind,
                   const char *account, const char *symbol)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *key = NULL;
  const char *acct = NULL;
  Waiter *w;
  EaContract c;

  if (account != NULL && (acct = find_account (self, account)) == NULL)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                               _("No NinjaTrader account “%s” is configured"), account);
      return;
    }
  if (symbol != NULL && !_ea_nt_broker_resolve (self, symbol, &c, &key, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  w = _ea_nt_waiter_new (self, task, kind, self->ack_ms);
  w->targets = g_ptr_array_new_with_free_func (g_free);
  w->account = g_strdup (acct);
  w->key = g_strdup (key);
  for (guint i = 0; i < self->order_list->len; i++)
    {
      NtOrder *o = self->order_list->pdata[i];

      if (order_matches (o, acct, key))
        g_ptr_array_add (w->targets, g_strdup (o->d.broker_order_id));
    }

  if (acct == NULL && key == NULL)
    {
      EaNtInstruction in = { 0 };

      in.command = kind == WAIT_FLATTEN ? EA_NT_COMMAND_FLATTENEVERYTHING : EA_NT_COMMAND_CANCELALLORDERS;
      g_ptr_array_add (files, _ea_nt_broker_send (self, &in, &error));
    }
  else if (kind == WAIT_CANCEL_ALL)
    for (guint i = 0; i < w->targets->len && error == NULL; i++)
      {
        EaNtInstruction in = { 0 };

        in.command = EA_NT_COMMAND_CANCEL;
        in.order_id = w->targets->pdata[i];
        g_ptr_array_add (files, _ea_nt_broker_send (self, &in, &error));
      }
  else
    {
      /* One CLOSEPOSITION per account and instrument concerned. */
      g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      GHashTableIter iter;
      gpointer v;

      for (guint i = 0; i < self->order_list->len; i++)
        {
          NtOrder *o = self->order_list->pdata[i];

          if (order_matches (o, acct, key))
            g_hash_table_add (done, g_strconcat (o->d.account, "\n", o->key, NULL));
        }
      g_hash_table_iter_init (&iter, self->positions);
      while (g_hash_table_iter_next (&iter, NULL, &v))
        {
          NtPosition *p = v;

          if ((acct == NULL || g_ascii_strcasecmp (acct, p->account) == 0) &&
              (key == NULL || strcmp (key, p->key) == 0))
            g_hash_table_add (done, g_strconcat (p->account, "\n", p->key, NULL));
        }
      if (acct != NULL && key != NULL)
        g_hash_table_add (done, g_strconcat (acct, "\n", key, NULL));

      g_hash_table_iter_init (&iter, done);
      while (g_hash_table_iter_next (&iter, &v, NULL) && error == NULL)
        {
          g_auto(GStrv) parts = g_strsplit (v, "\n", 2);
          g_autofree char *instrument = NULL;
          EaNtInstruction in = { 0 };
          EaContract pc;

          if (!ea_nt_instrument_parse (parts[1], _ea_nt_broker_reference_day (self), &pc, NULL))
            continue;
          instrument = ea_nt_instrument_format (&pc, self->symbology);
          in.command = EA_NT_COMMAND_CLOSEPOSITION;
          in.account = parts[0];
          in.instrument = instrument;
          g_ptr_array_add (files, _ea_nt_broker_send (self, &in, &error));
        }
    }

  for (guint i = 0; i < files->len; i++)
    if (files->pdata[i] != NULL)
      g_ptr_array_add (w->files, g_strdup (files->pdata[i]));
  if (error != NULL)
    {
      /* Whatever went out still acts: the outcome is unknown. */
      _ea_nt_waiter_return_error (w, w->files->len > 0 ? EA_BROKER_ERROR_UNKNOWN_OUTCOME : error->code,
                                  error->message);
      return;
    }
  _ea_nt_broker_check_waiters (self);
}

void
_ea_nt_cancel_all_async (EaBroker *broker, const char *account, const char *symbol,
                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  EaNinjaTraderBroker *self = EA_NINJATRADER_BROKER (broker);
  g_autoptr(GTask) task = _ea_nt_broker_start_task (self, cancellable, callback, user_data, _ea_nt_cancel_all_async, TRUE);

  if (task != NULL)
    cancel_or_flatten (self, task, WAIT_CANCEL_ALL, account, symbol);
}

void
_ea_nt_flatten_async (EaBroker *broker, const char *account, const char *symbol,
                  GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  EaNinjaTraderBroker *self = EA_NINJATRADER_BROKER (broker);
  g_autoptr(GTask) task = _ea_nt_broker_start_task (self, cancellable, callback, user_data, _ea_nt_flatten_async, TRUE);

  if (task != NULL)
    cancel_or_flatten (self, task, WAIT_FLATTEN, account, symbol);
}

void
_ea_nt_snapshot_async (EaBroker *broker, const char *account, GCancellable *cancellable,
                   GAsyncReadyCallback callback, gpointer user_data)
{
  EaNinjaTraderBroker *self = EA_NINJATRADER_BROKER (broker);
  g_autoptr(GTask) task = _ea_nt_broker_start_task (self, cancellable, callback, user_data, _ea_nt_snapshot_async, TRUE);
  Waiter *w;

  if (task == NULL)
    return;
  _ea_nt_broker_full_rescan (self);
  /* Orders whose outcome is unknown get a few chances to show up. */
  w = _ea_nt_waiter_new (self, task, WAIT_SETTLE, self->ack_ms * 4);
  w->account = g_strdup (account);
  _ea_nt_broker_check_waiters (self);
}

EaSnapshotData *
_ea_nt_snapshot_finish (EaBroker *broker, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}


gboolean
ea_ninjatrader_broker_adopt_order (EaNinjaTraderBroker  *self,
                                   const EaOrderData    *order,
                                   GError              **error)
{
  g_autoptr(EaOrderRequest) r = NULL;
  g_autofree char *key = NULL;
  EaContract c;
  NtOrder *o;

  g_return_val_if_fail (EA_IS_NINJATRADER_BROKER (self), FALSE);
  g_return_val_if_fail (order != NULL, FALSE);

  if (find_account (self, order->account) == NULL)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                   _("No NinjaTrader account “%s” is configured"), order->account);
      return FALSE;
    }
  if (!_ea_nt_broker_resolve (self, order->symbol, &c, &key, error))
    return FALSE;
  if (!order_id_ok (order->client_order_id) || order->qty <= 0 || order->filled_qty < 0 ||
      order->filled_qty > order->qty)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                   _("Cannot track order “%s”: bad id or quantities"),
                   order->client_order_id ? order->client_order_id : "(null)");
      return FALSE;
    }
  if (g_hash_table_contains (self->orders, order->client_order_id))
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                   _("Order “%s” is already tracked"), order->client_order_id);
      return FALSE;
    }

  r = ea_order_request_new (order->account, order->symbol, order->client_order_id, order->side,
                            order->type, order->qty);
  r->tif = order->tif;
  r->limit_price = order->limit_price;
  r->stop_price = order->stop_price;
  o = add_order (self, r, order->client_order_id, &c, key);
  o->d.state = order->state;
  o->d.filled_qty = o->filled = order->filled_qty;
  o->d.avg_fill_price = order->avg_fill_price;
  o->avg = order->avg_fill_price * c.spec->tick_size;
  o->d.parent_order_id = g_strdup (order->parent_order_id);
  o->d.oco_order_id = g_strdup (order->oco_order_id);
  o->d.created = order->created;
  o->acked = TRUE;
  _ea_nt_broker_queue_rescan (self);
  return TRUE;
}
