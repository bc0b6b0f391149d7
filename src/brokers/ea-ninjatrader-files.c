/* ea-ninjatrader-files.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading NinjaTrader's `outgoing` folder: order-state files become order
 * updates and, from the growth of the filled quantity, fills (exactly
 * once: a fill's id is the ORDER ID and the cumulative quantity it brings
 * the order to, so re-reading a file, a restart of NinjaTrader or of the
 * desk gives the same ids); position files become positions; the
 * connection file and the folders' health become the connection state.
 * Requests wait here until the files show their outcome.
 */
#define G_LOG_DOMAIN "ea-ninjatrader"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ea-ninjatrader-broker-private.h"

void
_ea_nt_broker_set_state (EaNinjaTraderBroker *self,
                         EaConnectionState    state,
                         const char          *reason)
{
  if (self->state == state && g_strcmp0 (self->problem, reason) == 0)
    return;
  g_free (self->problem);
  self->problem = g_strdup (reason);
  if (self->state == state)
    return;
  self->state = state;
  if (state == EA_CONNECTION_STATE_DISCONNECTED)
    g_debug ("NinjaTrader: %s", reason ? reason : "disconnected");
  ea_broker_emit_connection_state (EA_BROKER (self), state,
                                   state == EA_CONNECTION_STATE_DISCONNECTED && reason == NULL
                                     ? _("Disconnected") : reason);
}

char *
_ea_nt_desk_symbol (EaNinjaTraderBroker *self,
                    const char          *key)
{
  const char *sym = g_hash_table_lookup (self->symbols, key);
  EaContract c;

  if (sym != NULL)
    return g_strdup (sym);
  /* Never traded from here: the desk's usual form. */
  if (ea_nt_instrument_parse (key, _ea_nt_broker_reference_day (self), &c, NULL))
    return ea_contract_format (&c, EA_SYMBOLOGY_TRADOVATE);
  return g_strdup (key);
}

static void
handle_order_file (EaNinjaTraderBroker *self,
                   const char          *order_id,
                   const char          *contents)
{
  g_autoptr(GError) error = NULL;
  NtOrder *o = g_hash_table_lookup (self->orders, order_id);
  EaNtOrderFile f;
  EaOrderState to;
  gboolean changed = FALSE;

  if (o == NULL)
    return;   /* not ours, or from before the desk knew it */
  if (!ea_nt_parse_order_file (contents, (const char * const *) self->state_aliases, &f, &error))
    {
      g_debug ("%s: %s", order_id, error->message);
      return;
    }

  if (o->asked_us != 0)
    {
      _ea_nt_broker_add_latency (self, g_get_monotonic_time () - o->asked_us);
      o->asked_us = 0;
    }
  o->has_file = TRUE;
  o->generation = self->generation;
  if (f.state != EA_NT_ORDER_INITIALIZED && f.state != EA_NT_ORDER_SUBMITTED)
    o->acked = TRUE;

  /* Fills: only growth of the filled quantity counts, once. */
  if (f.filled_qty > o->filled && f.filled_qty <= o->d.qty)
    {
      gint64 qty = f.filled_qty - o->filled;
      double value = f.avg_fill_price * (double) f.filled_qty - o->avg * (double) o->filled;
      EaFillData fill = { 0 };

      fill.account = o->d.account;
      fill.symbol = o->d.symbol;
      fill.fill_id = g_strdup_printf ("%s#%" G_GINT64_FORMAT, order_id, f.filled_qty);
      fill.broker_order_id = o->d.broker_order_id;
      fill.client_order_id = o->d.client_order_id;
      fill.side = o->d.side;
      fill.qty = qty;
      fill.price = ea_instrument_price_to_ticks (o->spec, value / (double) qty);
      fill.time = g_get_real_time ();
      o->filled = f.filled_qty;
      o->avg = f.avg_fill_price;
      o->d.filled_qty = o->filled;
      o->d.avg_fill_price = o->avg / o->spec->tick_size;
      g_ptr_array_add (self->fills, ea_fill_data_copy (&fill));
      ea_broker_emit_fill (EA_BROKER (self), &fill);
      _ea_nt_broker_book_fill (self, &fill, o->spec, o->key);
      g_free (fill.fill_id);
      changed = TRUE;
    }

  to = ea_nt_order_state_to_ea (f.state);
  if (f.state == EA_NT_ORDER_FILLED && o->filled < o->d.qty)
    to = EA_ORDER_STATE_PARTIALLY_FILLED;   /* the rest is still to come */
  if (!ea_order_state_is_terminal (o->d.state) && o->d.state != to)
    {
      o->d.state = to;
      o->nt_state = f.state;
      if (to == EA_ORDER_STATE_REJECTED)
        {
          g_free (o->d.reason);
          o->d.reason = g_strdup (_("Rejected by NinjaTrader (its log says why)"));
        }
      changed = TRUE;
    }
  else
    o->nt_state = f.state;

  if (changed)
    {
      o->d.updated = g_get_real_time ();
      _ea_nt_broker_emit_order (self, o);
    }
}

static void
handle_position_file (EaNinjaTraderBroker *self,
                      const char          *instrument,
                      const char          *account,
                      const char          *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *hkey = NULL;
  EaNtPositionFile f;
  NtPosition *p;
  EaContract c;

  if (!ea_nt_instrument_parse (instrument, _ea_nt_broker_reference_day (self), &c, &error) ||
      !ea_nt_parse_position_file (contents, &f, &error))
    {
      g_debug ("%s: %s", instrument, error->message);
      return;
    }
  key = ea_contract_format (&c, EA_SYMBOLOGY_NINJATRADER);
  hkey = g_strconcat (account, "\n", key, NULL);
  p = g_hash_table_lookup (self->positions, hkey);
  if (p == NULL)
    {
      p = g_new0 (NtPosition, 1);
      p->account = g_strdup (account);
      p->key = g_strdup (key);
      p->spec = c.spec;
      p->qty = G_MININT64;
      g_hash_table_insert (self->positions, g_steal_pointer (&hkey), p);
    }
  if (p->qty != f.qty || p->avg != f.avg_price)
    {
      g_autofree char *symbol = _ea_nt_desk_symbol (self, key);
      EaPositionData d = { 0 };

      p->qty = f.qty;
      p->avg = f.avg_price;
      d.account = p->account;
      d.symbol = symbol;
      d.qty = p->qty;
      d.avg_price = p->avg / p->spec->tick_size;
      d.time = g_get_real_time ();
      ea_broker_emit_position_changed (EA_BROKER (self), &d);
    }
}

typedef struct
{
  EaNtFileKind kind;
  char        *base;
  char        *name;
  char        *account;
  char        *contents;
} Entry;

static void
entry_free (Entry *e)
{
  g_free (e->base);
  g_free (e->name);
  g_free (e->account);
  g_free (e->contents);
  g_free (e);
}

/* Every file of `outgoing`; NULL when the folder cannot be listed. */
static GPtrArray *
list_outgoing (EaNinjaTraderBroker *self,
               GError             **error)
{
  g_autoptr(GFileEnumerator) en = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  GFileInfo *info;

  en = g_file_enumerate_children (self->outgoing, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                  G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                  G_FILE_QUERY_INFO_NONE, NULL, error);
  if (en == NULL)
    return NULL;
  while ((info = g_file_enumerator_next_file (en, NULL, error)) != NULL)
    {
      g_autoptr(GFileInfo) owned = info;
      g_autoptr(GFile) file = NULL;
      Entry *e;

      if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
        continue;
      e = g_new0 (Entry, 1);
      e->base = g_strdup (g_file_info_get_name (info));
      e->kind = ea_nt_classify_outgoing (e->base, self->connection_name, &e->name, &e->account);
      if (e->kind == EA_NT_FILE_OTHER)
        {
          entry_free (e);
          continue;
        }
      file = g_file_get_child (self->outgoing, e->base);
      /* A file removed or locked between listing and reading is read
       * again at the next scan. */
      if (!g_file_load_contents (file, NULL, &e->contents, NULL, NULL, NULL))
        {
          entry_free (e);
          continue;
        }
      g_ptr_array_add (entries, e);
    }
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&entries);
}

static gboolean
dir_exists (GFile *dir)
{
  return g_file_query_file_type (dir, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY;
}

/* Forget instruction files NinjaTrader has taken; the age of the oldest
 * one still there, in µs (0: none). */
static gint64
update_pending_files (EaNinjaTraderBroker *self)
{
  GHashTableIter iter;
  gpointer k, v;
  gint64 now = g_get_monotonic_time ();
  gint64 oldest = 0;

  g_hash_table_iter_init (&iter, self->pending_files);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      g_autoptr(GFile) f = g_file_get_child (self->incoming, k);

      if (!g_file_query_exists (f, NULL))
        g_hash_table_iter_remove (&iter);
      else
        oldest = MAX (oldest, now - *(gint64 *) v);
    }
  return oldest;
}

void
_ea_nt_broker_full_rescan (EaNinjaTraderBroker *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GPtrArray) brackets = g_ptr_array_new ();
  g_autofree char *problem = NULL;
  const char *connection = NULL;
  gint64 stale;

  if (!self->attached || self->in_rescan)
    return;
  self->in_rescan = TRUE;

  if (!dir_exists (self->incoming))
    problem = g_strdup_printf (_("NinjaTrader's incoming folder %s is missing (is the share mounted?)"),
                               self->incoming_dir);
  else if ((entries = list_outgoing (self, &error)) == NULL)
    problem = g_strdup_printf (_("NinjaTrader's outgoing folder %s cannot be read: %s"),
                               self->outgoing_dir, error->message);
  if (problem != NULL)
    {
      _ea_nt_broker_stop_watching (self);
      _ea_nt_broker_set_state (self, EA_CONNECTION_STATE_DISCONNECTED, problem);
      self->in_rescan = FALSE;
      _ea_nt_broker_check_waiters (self);
      return;
    }
  _ea_nt_broker_start_watching (self);

  for (guint i = 0; i < entries->len; i++)
    {
      Entry *e = entries->pdata[i];

      if (e->kind == EA_NT_FILE_CONNECTION)
        connection = e->contents;
    }
  if (self->connection_name != NULL && *self->connection_name != '\0')
    {
      gboolean up = FALSE;

      if (connection == NULL)
        problem = g_strdup_printf (_("NinjaTrader has not reported connection “%s” (no %s.txt in outgoing; "
                                     "NinjaTrader clears the folder when it restarts)"),
                                   self->connection_name, self->connection_name);
      else if (!ea_nt_parse_connection_file (connection, &up, &error))
        problem = g_strdup (error->message);
      else if (!up)
        problem = g_strdup_printf (_("NinjaTrader reports connection “%s” DISCONNECTED"),
                                   self->connection_name);
    }
  stale = update_pending_files (self);
  if (problem == NULL && self->stale_ms > 0 && stale > (gint64) self->stale_ms * 1000)
    problem = g_strdup_printf (_("NinjaTrader has not picked up instructions from %s for %d s"),
                               self->incoming_dir, (int) (stale / G_USEC_PER_SEC));

  if (problem == NULL && self->state != EA_CONNECTION_STATE_CONNECTED)
    _ea_nt_broker_set_state (self, EA_CONNECTION_STATE_RECONCILING, NULL);

  /* Order files first, so a position never runs ahead of its fills. */
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < entries->len; i++)
      {
        Entry *e = entries->pdata[i];
        const char *cached;

        if ((pass == 0) != (e->kind == EA_NT_FILE_ORDER))
          continue;
        g_hash_table_add (seen, e->base);
        cached = g_hash_table_lookup (self->file_cache, e->base);
        if (cached != NULL && strcmp (cached, e->contents) == 0)
          continue;
        self->generation++;
        g_hash_table_insert (self->file_cache, g_strdup (e->base), g_strdup (e->contents));
        if (e->kind == EA_NT_FILE_ORDER)
          {
            NtOrder *o = g_hash_table_lookup (self->orders, e->name);

            handle_order_file (self, e->name, e->contents);
            if (o != NULL && o->filled > 0 && (o->has_sl || o->has_tp))
              g_ptr_array_add (brackets, o);
          }
        else if (e->kind == EA_NT_FILE_POSITION)
          handle_position_file (self, e->name, e->account, e->contents);
      }
  /* Files that went away (NinjaTrader restarted): keep what they said,
   * but read them again in full when they come back. */
  {
    GHashTableIter iter;
    gpointer k;

    g_hash_table_iter_init (&iter, self->file_cache);
    while (g_hash_table_iter_next (&iter, &k, NULL))
      if (!g_hash_table_contains (seen, k))
        {
          g_hash_table_iter_remove (&iter);
          self->generation++;
        }
  }

  /* A handler may have disconnected us meanwhile. */
  if (!self->attached)
    {
      self->in_rescan = FALSE;
      return;
    }
  for (guint i = 0; i < brackets->len; i++)
    _ea_nt_broker_send_children (self, brackets->pdata[i]);

  if (problem != NULL)
    _ea_nt_broker_set_state (self, EA_CONNECTION_STATE_DISCONNECTED, problem);
  else
    _ea_nt_broker_set_state (self, EA_CONNECTION_STATE_CONNECTED, NULL);
  self->in_rescan = FALSE;
  _ea_nt_broker_check_waiters (self);
}

static gboolean
idle_rescan_cb (gpointer data)
{
  EaNinjaTraderBroker *self = data;

  self->idle_id = 0;
  _ea_nt_broker_full_rescan (self);
  return G_SOURCE_REMOVE;
}

void
_ea_nt_broker_queue_rescan (EaNinjaTraderBroker *self)
{
  if (self->idle_id == 0)
    self->idle_id = g_idle_add (idle_rescan_cb, self);
}

static void
changed_cb (GFileMonitor      *monitor,
            GFile             *file,
            GFile             *other,
            GFileMonitorEvent  event,
            gpointer           data)
{
  _ea_nt_broker_queue_rescan (data);
}

static gboolean
periodic_cb (gpointer data)
{
  _ea_nt_broker_full_rescan (data);
  return G_SOURCE_CONTINUE;
}

void
_ea_nt_broker_start_watching (EaNinjaTraderBroker *self)
{
  if (self->out_monitor == NULL)
    {
      self->out_monitor = g_file_monitor_directory (self->outgoing, G_FILE_MONITOR_NONE, NULL, NULL);
      if (self->out_monitor != NULL)
        g_signal_connect (self->out_monitor, "changed", G_CALLBACK (changed_cb), self);
    }
  if (self->in_monitor == NULL)
    {
      self->in_monitor = g_file_monitor_directory (self->incoming, G_FILE_MONITOR_NONE, NULL, NULL);
      if (self->in_monitor != NULL)
        g_signal_connect (self->in_monitor, "changed", G_CALLBACK (changed_cb), self);
    }
  if (self->rescan_id == 0 && self->rescan_ms > 0)
    self->rescan_id = g_timeout_add (self->rescan_ms, periodic_cb, self);
}

/* Monitors die with the folder they watch: a folder deleted and made
 * again (NinjaTrader restarting) needs new ones. The periodic rescan
 * keeps running to notice the folders coming back. */
void
_ea_nt_broker_stop_watching (EaNinjaTraderBroker *self)
{
  GFileMonitor **monitors[] = { &self->out_monitor, &self->in_monitor };

  for (guint i = 0; i < G_N_ELEMENTS (monitors); i++)
    if (*monitors[i] != NULL)
      {
        g_signal_handlers_disconnect_by_data (*monitors[i], self);
        g_file_monitor_cancel (*monitors[i]);
        g_clear_object (monitors[i]);
      }
  if (!self->attached)
    {
      g_clear_handle_id (&self->rescan_id, g_source_remove);
      g_clear_handle_id (&self->idle_id, g_source_remove);
    }
}

/* Waiting for NinjaTrader. */

static void
waiter_free (Waiter *w)
{
  g_clear_handle_id (&w->timeout_id, g_source_remove);
  g_clear_object (&w->task);
  g_free (w->order_id);
  g_clear_pointer (&w->targets, g_ptr_array_unref);
  g_clear_pointer (&w->files, g_ptr_array_unref);
  g_free (w->account);
  g_free (w->key);
  g_free (w);
}

static void
waiter_finish (Waiter *w)
{
  g_ptr_array_remove (w->self->waiters, w);
  waiter_free (w);
}

/* NinjaTrader has taken the instruction files, or written something
 * since they went out. */
static gboolean
picked_up (Waiter *w)
{
  NtOrder *o = w->order_id ? g_hash_table_lookup (w->self->orders, w->order_id) : NULL;

  if (o != NULL ? o->generation > w->generation : w->self->generation > w->generation)
    return TRUE;
  for (guint i = 0; w->files != NULL && i < w->files->len; i++)
    if (g_hash_table_contains (w->self->pending_files, w->files->pdata[i]))
      return FALSE;
  return TRUE;
}

static gboolean
order_settled (EaNinjaTraderBroker *self, NtOrder *o)
{
  NtOrder *child;

  if (!o->acked)
    return FALSE;
  if (o->children_sent)
    {
      if (o->sl_id && (child = g_hash_table_lookup (self->orders, o->sl_id)) && !child->acked)
        return FALSE;
      if (o->tp_id && (child = g_hash_table_lookup (self->orders, o->tp_id)) && !child->acked)
        return FALSE;
    }
  else if ((o->has_sl || o->has_tp) && o->filled > 0)
    return FALSE;
  return TRUE;
}

static gboolean
targets_done (Waiter *w, GString *left)
{
  EaNinjaTraderBroker *self = w->self;
  gboolean done = TRUE;

  for (guint i = 0; w->targets != NULL && i < w->targets->len; i++)
    {
      NtOrder *o = g_hash_table_lookup (self->orders, w->targets->pdata[i]);

      if (o != NULL && !ea_order_state_is_terminal (o->d.state))
        {
          done = FALSE;
          if (left)
            g_string_append_printf (left, " %s", o->d.client_order_id);
        }
    }
  if (w->kind == WAIT_FLATTEN)
    {
      GHashTableIter iter;
      gpointer v;

      g_hash_table_iter_init (&iter, self->positions);
      while (g_hash_table_iter_next (&iter, NULL, &v))
        {
          NtPosition *p = v;

          if (p->qty == 0 || p->qty == G_MININT64)
            continue;
          if (w->account != NULL && g_ascii_strcasecmp (w->account, p->account) != 0)
            continue;
          if (w->key != NULL && strcmp (w->key, p->key) != 0)
            continue;
          done = FALSE;
          if (left)
            g_string_append_printf (left, " %s %s %+" G_GINT64_FORMAT, p->account, p->key, p->qty);
        }
    }
  return done;
}

/* TRUE when @w is over (its task returned). */
static gboolean
waiter_check (Waiter *w, gboolean timed_out)
{
  EaNinjaTraderBroker *self = w->self;
  NtOrder *o = w->order_id ? g_hash_table_lookup (self->orders, w->order_id) : NULL;

  switch (w->kind)
    {
    case WAIT_PLACE:
      if (o->d.state == EA_ORDER_STATE_REJECTED)
        g_task_return_new_error (w->task, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                                 _("NinjaTrader rejected order %s (its log says why)"), w->order_id);
      else if (order_settled (self, o))
        g_task_return_pointer (w->task, g_strdup (w->order_id), g_free);
      else if (timed_out)
        {
          if (!o->acked)
            {
              o->d.state = EA_ORDER_STATE_UNKNOWN;
              o->withdrawn = w->withdrawn > 0;
              if (o->withdrawn)
                o->asked_us = 0;   /* a file after that answers nothing we timed */
              _ea_nt_broker_emit_order (self, o);
            }
          g_task_return_new_error (w->task, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME,
                                   w->withdrawn > 0
                                     ? _("NinjaTrader did not pick order %s up: the instruction was withdrawn, "
                                         "but it may have been read just before; reconcile before sending again")
                                     : _("NinjaTrader has not confirmed order %s yet: reconcile before sending again"),
                                   w->order_id);
        }
      else
        return FALSE;
      return TRUE;

    case WAIT_CHANGE:
      if (picked_up (w) && o->nt_state != EA_NT_ORDER_CHANGE_PENDING &&
          o->nt_state != EA_NT_ORDER_CHANGE_SUBMITTED)
        {
          if (ea_order_state_is_terminal (o->d.state))
            {
              g_task_return_new_error (w->task, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                                       _("Order %s is %s: it cannot be changed"), w->order_id,
                                       ea_order_state_to_string (o->d.state));
              return TRUE;
            }
          if (w->qty > 0)
            o->d.qty = w->qty;
          if (w->limit_price != 0)
            o->d.limit_price = w->limit_price;
          if (w->stop_price != 0)
            o->d.stop_price = w->stop_price;
          o->d.updated = g_get_real_time ();
          _ea_nt_broker_emit_order (self, o);
          g_task_return_boolean (w->task, TRUE);
        }
      else if (timed_out)
        g_task_return_new_error (w->task, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME,
                                 _("NinjaTrader has not confirmed the change of order %s"), w->order_id);
      else
        return FALSE;
      return TRUE;

    case WAIT_CANCEL:
      if (o->d.state == EA_ORDER_STATE_CANCELLED)
        g_task_return_boolean (w->task, TRUE);
      else if (ea_order_state_is_terminal (o->d.state))
        g_task_return_new_error (w->task, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                                 _("Order %s was %s before the cancel reached NinjaTrader"),
                                 w->order_id, ea_order_state_to_string (o->d.state));
      else if (timed_out)
        g_task_return_new_error (w->task, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME,
                                 _("NinjaTrader has not confirmed the cancel of order %s"), w->order_id);
      else
        return FALSE;
      return TRUE;

    case WAIT_CANCEL_ALL:
    case WAIT_FLATTEN:
      {
        g_autoptr(GString) left = g_string_new (NULL);

        if (targets_done (w, left) && picked_up (w))
          g_task_return_boolean (w->task, TRUE);
        else if (timed_out)
          g_task_return_new_error (w->task, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME,
                                   _("NinjaTrader has not confirmed %s%s; still open:%s"),
                                   w->kind == WAIT_FLATTEN ? _("the flatten") : _("the cancels"),
                                   w->withdrawn > 0 ? _(" (not picked up: withdrawn)") : "",
                                   left->len > 0 ? left->str : _(" nothing"));
        else
          return FALSE;
        return TRUE;
      }

    case WAIT_SETTLE:
      {
        gboolean pending = FALSE;

        for (guint i = 0; i < self->order_list->len && !pending; i++)
          {
            NtOrder *po = self->order_list->pdata[i];

            if (!po->acked && !po->withdrawn)
              pending = TRUE;
          }
        if (pending && !timed_out)
          return FALSE;
        g_task_return_pointer (w->task, _ea_nt_broker_build_snapshot (self, w->account),
                               (GDestroyNotify) ea_snapshot_data_free);
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

/* A returned task may call back at once, and the callback send another
 * request that checks the waiters again: @w is out of the list while it
 * is checked, so its task is never returned twice. */
static gboolean
waiter_check_detached (Waiter   *w,
                       gboolean  timed_out)
{
  GPtrArray *waiters = w->self->waiters;
  guint index = 0;

  if (!g_ptr_array_find (waiters, w, &index))
    return FALSE;
  g_ptr_array_remove_index (waiters, index);
  if (waiter_check (w, timed_out))
    return TRUE;
  g_ptr_array_insert (waiters, (int) MIN (index, waiters->len), w);
  return FALSE;
}

void
_ea_nt_broker_check_waiters (EaNinjaTraderBroker *self)
{
  g_autoptr(GPtrArray) copy = g_ptr_array_copy (self->waiters, NULL, NULL);

  for (guint i = 0; i < copy->len; i++)
    {
      Waiter *w = copy->pdata[i];

      if (waiter_check_detached (w, FALSE))
        waiter_finish (w);
    }
}

/* Instructions NinjaTrader has not taken are taken back, so that they
 * cannot act minutes later (a flatten after new trades, a stale order). */
static void
withdraw (Waiter *w)
{
  EaNinjaTraderBroker *self = w->self;

  for (guint i = 0; w->files != NULL && i < w->files->len; i++)
    {
      g_autoptr(GFile) f = g_file_get_child (self->incoming, w->files->pdata[i]);

      if (g_hash_table_contains (self->pending_files, w->files->pdata[i]) && g_file_delete (f, NULL, NULL))
        {
          g_hash_table_remove (self->pending_files, w->files->pdata[i]);
          w->withdrawn++;
        }
    }
}

static gboolean
waiter_timeout_cb (gpointer data)
{
  Waiter *w = data;

  w->timeout_id = 0;
  /* One last look before giving up. */
  _ea_nt_broker_full_rescan (w->self);
  if (g_ptr_array_find (w->self->waiters, w, NULL))
    {
      if (!waiter_check_detached (w, FALSE))
        {
          withdraw (w);
          g_ptr_array_remove (w->self->waiters, w);
          waiter_check (w, TRUE);
        }
      waiter_finish (w);
    }
  return G_SOURCE_REMOVE;
}

Waiter *
_ea_nt_waiter_new (EaNinjaTraderBroker *self,
                   GTask               *task,
                   WaitKind             kind,
                   guint                timeout_ms)
{
  Waiter *w = g_new0 (Waiter, 1);

  w->self = self;
  w->task = g_object_ref (task);
  w->kind = kind;
  w->generation = self->generation;
  w->files = g_ptr_array_new_with_free_func (g_free);
  w->timeout_id = g_timeout_add (MAX (timeout_ms, 1), waiter_timeout_cb, w);
  g_ptr_array_add (self->waiters, w);
  return w;
}

void
_ea_nt_waiter_return_error (Waiter     *w,
                            int         code,
                            const char *message)
{
  g_ptr_array_remove (w->self->waiters, w);
  g_task_return_new_error (w->task, EA_BROKER_ERROR, code, "%s", message);
  waiter_finish (w);
}

void
_ea_nt_waiter_fail_all (EaNinjaTraderBroker *self,
                        int                  code,
                        const char          *message)
{
  while (self->waiters->len > 0)
    {
      Waiter *w = g_ptr_array_steal_index (self->waiters, 0);

      g_task_return_new_error (w->task, EA_BROKER_ERROR, code, "%s", message);
      waiter_finish (w);
    }
}
