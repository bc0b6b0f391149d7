/* ea-ninjatrader-sim.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-ninjatrader-sim"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ea-instrument.h"
#include "ea-ninjatrader-oif.h"
#include "ea-ninjatrader-sim.h"

/* An order NinjaTrader knows by the ORDER ID of its PLACE line. */
typedef struct
{
  char                   *order_id;   /* NULL: placed without one, no file */
  char                   *sim_id;     /* the exchange's id */
  char                   *oco_id;
  const EaInstrumentSpec *spec;
  EaTimeInForce           tif;
  EaOrderType             type;
  EaOrderState            state;
  gint64                  filled;
  double                  avg;        /* ticks */
  gboolean                held;       /* its file is written late */
} SimNtOrder;

struct _EaNtSim
{
  EaSimExchange *ex;
  char          *incoming_dir;
  char          *outgoing_dir;
  char          *connection_name;
  gboolean       connected;
  gboolean       outgoing_deleted;
  GFileMonitor  *monitor;
  guint          poll_id;
  guint          idle_id;
  guint          due_id;
  GHashTable    *orders;          /* client id given to the exchange -> SimNtOrder */
  GHashTable    *by_order_id;     /* ORDER ID -> SimNtOrder (borrowed) */
  GHashTable    *instruments;     /* root -> instrument name last used */
  GHashTable    *first_seen;      /* file name -> gint64 * due time (monotonic µs) */
  GPtrArray     *cancel_queue;    /* sim ids to cancel (OCO) */
  GPtrArray     *lines;
  GPtrArray     *errors;
  EaNtSimWords   words;
  gboolean       stops_accepted;
  char          *exchange_suffix;
  guint          pickup_delay_ms;
  guint          next_delay_ms;
  guint          next_reply_delay_ms;
  guint          release_id;
  gboolean       reject_next;
  guint64        auto_seq;
};

static void
sim_order_free (SimNtOrder *o)
{
  g_free (o->order_id);
  g_free (o->sim_id);
  g_free (o->oco_id);
  g_free (o);
}

static const char *
state_word (EaNtSim *sim, const SimNtOrder *o)
{
  EaNtOrderState s;
  static char buf[32];

  switch (o->state)
    {
    case EA_ORDER_STATE_PENDING_NEW: s = EA_NT_ORDER_SUBMITTED; break;
    case EA_ORDER_STATE_SUSPENDED: s = EA_NT_ORDER_ACCEPTED; break;
    case EA_ORDER_STATE_WORKING:
      s = sim->stops_accepted && (o->type == EA_ORDER_TYPE_STOP || o->type == EA_ORDER_TYPE_STOP_LIMIT)
            ? EA_NT_ORDER_ACCEPTED : EA_NT_ORDER_WORKING;
      break;
    case EA_ORDER_STATE_PARTIALLY_FILLED: s = EA_NT_ORDER_PART_FILLED; break;
    case EA_ORDER_STATE_FILLED: s = EA_NT_ORDER_FILLED; break;
    case EA_ORDER_STATE_CANCELLED:
    case EA_ORDER_STATE_EXPIRED: s = EA_NT_ORDER_CANCELLED; break;
    case EA_ORDER_STATE_REJECTED: s = EA_NT_ORDER_REJECTED; break;
    case EA_ORDER_STATE_PENDING_CANCEL: s = EA_NT_ORDER_CANCEL_PENDING; break;
    case EA_ORDER_STATE_PENDING_REPLACE: s = EA_NT_ORDER_CHANGE_SUBMITTED; break;
    case EA_ORDER_STATE_UNKNOWN:
    default: s = EA_NT_ORDER_UNKNOWN; break;
    }
  if (sim->words == EA_NT_SIM_WORDS_UPPER)
    return ea_nt_order_state_to_word (s);
  /* "PARTFILLED" -> "PartFilled": NT8's enum spelling. */
  {
    static const char *const pascal[] = {
      "Initialized", "Submitted", "Accepted", "TriggerPending", "Working", "ChangePending",
      "ChangeSubmitted", "CancelPending", "CancelSubmitted", "Cancelled", "Rejected",
      "PartFilled", "Filled", "Unknown",
    };
    g_strlcpy (buf, pascal[s], sizeof buf);
    return buf;
  }
}

/* A price in the form NinjaTrader writes it: decimal point, no trailing
 * zeros. */
static char *
format_avg (const EaInstrumentSpec *spec, double ticks)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  gsize len;

  if (ticks == 0)
    return g_strdup ("0");
  g_ascii_formatd (buf, sizeof buf, "%.8f", ticks * spec->tick_size);
  len = strlen (buf);
  while (len > 0 && buf[len - 1] == '0')
    buf[--len] = '\0';
  if (len > 0 && buf[len - 1] == '.')
    buf[--len] = '\0';
  return g_strdup (buf);
}

static void
write_out (EaNtSim *sim, const char *name, const char *contents)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (sim->outgoing_deleted)
    return;
  path = g_build_filename (sim->outgoing_dir, name, NULL);
  /* NinjaTrader overwrites in place. */
  if (!g_file_set_contents (path, contents, -1, &error))
    g_ptr_array_add (sim->errors, g_strdup (error->message));
}

static void
write_order (EaNtSim *sim, SimNtOrder *o)
{
  g_autofree char *name = NULL;
  g_autofree char *avg = NULL;
  g_autofree char *text = NULL;

  if (o->order_id == NULL || o->held)
    return;
  name = g_strconcat (o->order_id, ".txt", NULL);
  avg = format_avg (o->spec, o->avg);
  text = g_strdup_printf ("%s;%" G_GINT64_FORMAT ";%s", state_word (sim, o), o->filled, avg);
  write_out (sim, name, text);
}

static void
write_position (EaNtSim *sim, const char *account, const char *root, gint64 qty, double avg)
{
  const EaInstrumentSpec *spec = ea_instrument_lookup (root);
  const char *instrument = g_hash_table_lookup (sim->instruments, root);
  g_autofree char *full = NULL;
  g_autofree char *name = NULL;
  g_autofree char *price = NULL;
  g_autofree char *text = NULL;

  if (instrument == NULL || spec == NULL)
    return;
  full = g_strconcat (instrument, sim->exchange_suffix ? " " : "", sim->exchange_suffix ? sim->exchange_suffix : "", NULL);
  name = ea_nt_position_file_name (full, account);
  price = format_avg (spec, qty == 0 ? 0 : avg);
  text = g_strdup_printf ("%s;%" G_GINT64_FORMAT ";%s", qty > 0 ? "LONG" : qty < 0 ? "SHORT" : "FLAT",
                          ABS (qty), price);
  write_out (sim, name, text);
}

static void
order_sink (gpointer data, const EaOrderData *d)
{
  EaNtSim *sim = data;
  SimNtOrder *o = g_hash_table_lookup (sim->orders, d->client_order_id);

  if (o == NULL)
    return;   /* the exchange's own (a flatten's market order) */
  if (o->sim_id == NULL)
    o->sim_id = g_strdup (d->broker_order_id);
  o->state = d->state;
  o->filled = d->filled_qty;
  o->avg = d->avg_fill_price;
  write_order (sim, o);

  /* OCO: a fill of one cancels the others of its group. */
  if (o->oco_id != NULL && d->filled_qty > 0)
    {
      GHashTableIter iter;
      gpointer v;

      g_hash_table_iter_init (&iter, sim->orders);
      while (g_hash_table_iter_next (&iter, NULL, &v))
        {
          SimNtOrder *other = v;

          if (other != o && other->sim_id != NULL && g_strcmp0 (other->oco_id, o->oco_id) == 0 &&
              !ea_order_state_is_terminal (other->state))
            g_ptr_array_add (sim->cancel_queue, g_strdup (other->sim_id));
        }
    }
}

static void
position_sink (gpointer data, const EaPositionData *p)
{
  write_position (data, p->account, p->symbol, p->qty, p->avg_price);
}

static void
error_line (EaNtSim *sim, const char *line, const char *why)
{
  g_ptr_array_add (sim->errors, g_strdup_printf ("%s: %s", line, why));
}

static void
reject_placed (EaNtSim *sim, const EaNtInstruction *in, const EaInstrumentSpec *spec)
{
  SimNtOrder *o;

  if (in->order_id == NULL || spec == NULL)
    return;
  o = g_new0 (SimNtOrder, 1);
  o->order_id = g_strdup (in->order_id);
  o->spec = spec;
  o->state = EA_ORDER_STATE_REJECTED;
  write_order (sim, o);
  sim_order_free (o);
}

typedef struct
{
  EaNtSim *sim;
  char    *order_id;
} HeldReply;

static void
held_reply_free (gpointer data)
{
  HeldReply *h = data;

  g_free (h->order_id);
  g_free (h);
}

/* The reply of a held order finally reaches the folder. */
static gboolean
release_cb (gpointer data)
{
  HeldReply *h = data;
  SimNtOrder *o = g_hash_table_lookup (h->sim->by_order_id, h->order_id);

  h->sim->release_id = 0;
  if (o != NULL)
    {
      o->held = FALSE;
      write_order (h->sim, o);
    }
  return G_SOURCE_REMOVE;
}

static void
do_place (EaNtSim *sim, const char *line, const EaNtInstruction *in)
{
  g_autoptr(EaOrderRequest) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cid = NULL;
  g_autofree char *id = NULL;
  EaContract c;
  SimNtOrder *o;

  if (!ea_nt_instrument_parse (in->instrument, 20260101, &c, &error))
    {
      error_line (sim, line, error->message);
      return;
    }
  if (!ea_sim_exchange_has_symbol (sim->ex, c.spec->root))
    {
      error_line (sim, line, "instrument not available");
      return;
    }
  g_hash_table_insert (sim->instruments, g_strdup (c.spec->root), g_strdup (in->instrument));
  if (in->order_id != NULL && g_hash_table_contains (sim->by_order_id, in->order_id))
    {
      error_line (sim, line, "duplicate order id");
      return;
    }
  if (sim->reject_next)
    {
      sim->reject_next = FALSE;
      reject_placed (sim, in, c.spec);
      error_line (sim, line, "rejected (fault)");
      return;
    }
  if (in->command == EA_NT_COMMAND_REVERSEPOSITION)
    ea_sim_exchange_flatten (sim->ex, in->account, c.spec->root, NULL);

  cid = in->order_id ? g_strdup (in->order_id) : g_strdup_printf ("nt-auto-%" G_GUINT64_FORMAT, ++sim->auto_seq);
  r = ea_order_request_new (in->account, c.spec->root, cid, in->action, in->type, in->qty);
  r->tif = in->tif;
  if ((in->limit_price && !ea_nt_parse_price (c.spec, in->limit_price, &r->limit_price, &error)) ||
      (in->stop_price && !ea_nt_parse_price (c.spec, in->stop_price, &r->stop_price, &error)))
    {
      error_line (sim, line, error->message);
      reject_placed (sim, in, c.spec);
      return;
    }

  o = g_new0 (SimNtOrder, 1);
  o->order_id = g_strdup (in->order_id);
  o->oco_id = g_strdup (in->oco_id);
  o->spec = c.spec;
  o->tif = in->tif;
  o->type = in->type;
  g_hash_table_insert (sim->orders, g_strdup (cid), o);
  if (o->order_id != NULL)
    g_hash_table_insert (sim->by_order_id, g_strdup (o->order_id), o);

  if (sim->next_reply_delay_ms > 0 && o->order_id != NULL)
    {
      HeldReply *h = g_new0 (HeldReply, 1);

      h->sim = sim;
      h->order_id = g_strdup (o->order_id);
      o->held = TRUE;
      g_clear_handle_id (&sim->release_id, g_source_remove);
      sim->release_id = g_timeout_add_full (G_PRIORITY_DEFAULT, sim->next_reply_delay_ms, release_cb, h,
                                            held_reply_free);
      sim->next_reply_delay_ms = 0;
    }
  id = ea_sim_exchange_place (sim->ex, r, &error);
  if (id == NULL)
    {
      error_line (sim, line, error->message);
      if (o->state != EA_ORDER_STATE_REJECTED)
        {
          o->state = EA_ORDER_STATE_REJECTED;
          write_order (sim, o);
        }
    }
}

static SimNtOrder *
find_order (EaNtSim *sim, const char *line, const char *order_id)
{
  SimNtOrder *o = order_id ? g_hash_table_lookup (sim->by_order_id, order_id) : NULL;

  if (o == NULL || o->sim_id == NULL)
    {
      error_line (sim, line, "unknown order id");
      return NULL;
    }
  return o;
}

static void
execute (EaNtSim *sim, const char *line)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaNtInstruction) in = ea_nt_instruction_parse (line, &error);
  SimNtOrder *o;

  g_ptr_array_add (sim->lines, g_strdup (line));
  if (in == NULL)
    {
      error_line (sim, line, error->message);
      return;
    }

  switch (in->command)
    {
    case EA_NT_COMMAND_PLACE:
    case EA_NT_COMMAND_REVERSEPOSITION:
      do_place (sim, line, in);
      break;
    case EA_NT_COMMAND_CHANGE:
      if ((o = find_order (sim, line, in->order_id)) != NULL)
        {
          EaTicks lmt = 0, stp = 0;

          if ((g_strcmp0 (in->limit_price, "0") != 0 && in->limit_price &&
               !ea_nt_parse_price (o->spec, in->limit_price, &lmt, &error)) ||
              (g_strcmp0 (in->stop_price, "0") != 0 && in->stop_price &&
               !ea_nt_parse_price (o->spec, in->stop_price, &stp, &error)) ||
              !ea_sim_exchange_modify (sim->ex, o->sim_id, in->qty, lmt, stp, &error))
            error_line (sim, line, error->message);
          write_order (sim, o);
        }
      break;
    case EA_NT_COMMAND_CANCEL:
      if ((o = find_order (sim, line, in->order_id)) != NULL &&
          !ea_sim_exchange_cancel (sim->ex, o->sim_id, &error))
        error_line (sim, line, error->message);
      break;
    case EA_NT_COMMAND_CANCELALLORDERS:
      ea_sim_exchange_cancel_all (sim->ex, NULL, NULL);
      break;
    case EA_NT_COMMAND_CLOSEPOSITION:
      {
        EaContract c;

        if (!ea_nt_instrument_parse (in->instrument, 20260101, &c, &error) ||
            !ea_sim_exchange_flatten (sim->ex, in->account, c.spec->root, &error))
          error_line (sim, line, error->message);
      }
      break;
    case EA_NT_COMMAND_FLATTENEVERYTHING:
      if (!ea_sim_exchange_flatten (sim->ex, NULL, NULL, &error))
        error_line (sim, line, error->message);
      break;
    case EA_NT_COMMAND_CLOSESTRATEGY:
      error_line (sim, line, "ATM strategies are not simulated");
      break;
    default:
      error_line (sim, line, "unknown command");
      break;
    }

  while (sim->cancel_queue->len > 0)
    {
      g_autofree char *id = g_ptr_array_steal_index (sim->cancel_queue, 0);

      ea_sim_exchange_cancel (sim->ex, id, NULL);
    }
}

static gboolean
is_instruction_file (const char *name)
{
  gsize len = strlen (name);

  return len > 7 && g_ascii_strncasecmp (name, "oif", 3) == 0 &&
         g_ascii_strcasecmp (name + len - 4, ".txt") == 0;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean due_cb (gpointer data);

guint
ea_nt_sim_process (EaNtSim *sim)
{
  g_autoptr(GDir) dir = g_dir_open (sim->incoming_dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  gint64 now = g_get_monotonic_time ();
  gint64 next_due = G_MAXINT64;
  guint n = 0;
  const char *name;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (is_instruction_file (name))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (sim->incoming_dir, names->pdata[i], NULL);
      g_autofree char *contents = NULL;
      g_auto(GStrv) lines = NULL;
      gint64 *due = g_hash_table_lookup (sim->first_seen, names->pdata[i]);

      if (due == NULL)
        {
          due = g_new (gint64, 1);
          *due = now + (gint64) (sim->pickup_delay_ms + sim->next_delay_ms) * 1000;
          sim->next_delay_ms = 0;
          g_hash_table_insert (sim->first_seen, g_strdup (names->pdata[i]), due);
        }
      if (*due > now)
        {
          next_due = MIN (next_due, *due);
          continue;
        }
      if (!g_file_get_contents (path, &contents, NULL, NULL))
        continue;
      lines = g_strsplit (contents, "\n", -1);
      for (guint j = 0; lines[j] != NULL; j++)
        {
          g_strchomp (lines[j]);
          if (*lines[j] == '\0')
            continue;
          execute (sim, lines[j]);
          n++;
        }
      g_unlink (path);
      g_hash_table_remove (sim->first_seen, names->pdata[i]);
    }
  if (next_due != G_MAXINT64 && sim->due_id == 0)
    sim->due_id = g_timeout_add ((guint) MAX (1, (next_due - now) / 1000 + 1), due_cb, sim);
  return n;
}

static gboolean
due_cb (gpointer data)
{
  EaNtSim *sim = data;

  sim->due_id = 0;
  ea_nt_sim_process (sim);
  return G_SOURCE_REMOVE;
}

static gboolean
idle_cb (gpointer data)
{
  EaNtSim *sim = data;

  sim->idle_id = 0;
  ea_nt_sim_process (sim);
  return G_SOURCE_REMOVE;
}

static void
changed_cb (GFileMonitor *monitor, GFile *file, GFile *other, GFileMonitorEvent event, gpointer data)
{
  EaNtSim *sim = data;

  if (sim->idle_id == 0)
    sim->idle_id = g_idle_add (idle_cb, sim);
}

static gboolean
poll_cb (gpointer data)
{
  ea_nt_sim_process (data);
  return G_SOURCE_CONTINUE;
}

static void
write_connection (EaNtSim *sim)
{
  g_autofree char *name = NULL;

  if (sim->connection_name == NULL || *sim->connection_name == '\0')
    return;
  name = g_strconcat (sim->connection_name, ".txt", NULL);
  write_out (sim, name, sim->connected ? "CONNECTED" : "DISCONNECTED");
}

EaNtSim *
ea_nt_sim_new (const char  *root,
               const char  *connection_name,
               GError     **error)
{
  EaNtSim *sim = g_new0 (EaNtSim, 1);
  EaSimSink sink = { 0 };

  sim->incoming_dir = g_build_filename (root, "incoming", NULL);
  sim->outgoing_dir = g_build_filename (root, "outgoing", NULL);
  if (g_mkdir_with_parents (sim->incoming_dir, 0700) != 0 || g_mkdir_with_parents (sim->outgoing_dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot make the folders under %s", root);
      g_free (sim->incoming_dir);
      g_free (sim->outgoing_dir);
      g_free (sim);
      return NULL;
    }
  sim->connection_name = g_strdup (connection_name);
  sim->connected = TRUE;
  sim->ex = ea_sim_exchange_new (7, G_GINT64_CONSTANT (1763478000000000));
  ea_sim_exchange_set_generator_enabled (sim->ex, FALSE);
  ea_sim_exchange_set_always_open (sim->ex, TRUE);
  sim->orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) sim_order_free);
  sim->by_order_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sim->instruments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sim->first_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sim->cancel_queue = g_ptr_array_new_with_free_func (g_free);
  sim->lines = g_ptr_array_new_with_free_func (g_free);
  sim->errors = g_ptr_array_new_with_free_func (g_free);
  sink.order = order_sink;
  sink.position = position_sink;
  ea_sim_exchange_set_sink (sim->ex, &sink, sim);
  write_connection (sim);
  return sim;
}

void
ea_nt_sim_free (EaNtSim *sim)
{
  if (sim == NULL)
    return;
  if (sim->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (sim->monitor, sim);
      g_file_monitor_cancel (sim->monitor);
      g_object_unref (sim->monitor);
    }
  g_clear_handle_id (&sim->poll_id, g_source_remove);
  g_clear_handle_id (&sim->idle_id, g_source_remove);
  g_clear_handle_id (&sim->due_id, g_source_remove);
  g_clear_handle_id (&sim->release_id, g_source_remove);
  ea_sim_exchange_free (sim->ex);
  g_hash_table_unref (sim->by_order_id);
  g_hash_table_unref (sim->orders);
  g_hash_table_unref (sim->instruments);
  g_hash_table_unref (sim->first_seen);
  g_ptr_array_unref (sim->cancel_queue);
  g_ptr_array_unref (sim->lines);
  g_ptr_array_unref (sim->errors);
  g_free (sim->incoming_dir);
  g_free (sim->outgoing_dir);
  g_free (sim->connection_name);
  g_free (sim->exchange_suffix);
  g_free (sim);
}

EaSimExchange *
ea_nt_sim_get_exchange (EaNtSim *sim)
{
  return sim->ex;
}

const char *
ea_nt_sim_get_incoming_dir (EaNtSim *sim)
{
  return sim->incoming_dir;
}

const char *
ea_nt_sim_get_outgoing_dir (EaNtSim *sim)
{
  return sim->outgoing_dir;
}

gboolean
ea_nt_sim_add_account (EaNtSim *sim, const char *name, GError **error)
{
  return ea_sim_exchange_add_account (sim->ex, name, 50000 * G_GINT64_CONSTANT (1000000), "NinjaTrader", error);
}

void
ea_nt_sim_start (EaNtSim *sim, guint poll_ms)
{
  g_autoptr(GFile) dir = g_file_new_for_path (sim->incoming_dir);

  if (sim->monitor == NULL)
    {
      sim->monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_NONE, NULL, NULL);
      if (sim->monitor != NULL)
        g_signal_connect (sim->monitor, "changed", G_CALLBACK (changed_cb), sim);
    }
  if (sim->poll_id == 0 && poll_ms > 0)
    sim->poll_id = g_timeout_add (poll_ms, poll_cb, sim);
}

static void
after_market (EaNtSim *sim)
{
  while (sim->cancel_queue->len > 0)
    {
      g_autofree char *id = g_ptr_array_steal_index (sim->cancel_queue, 0);

      ea_sim_exchange_cancel (sim->ex, id, NULL);
    }
}

void
ea_nt_sim_push_quote (EaNtSim *sim, const char *root, EaTicks bid, EaTicks ask,
                      gint64 bid_size, gint64 ask_size)
{
  ea_sim_exchange_push_quote (sim->ex, root, bid, ask, bid_size, ask_size, NULL);
  after_market (sim);
}

void
ea_nt_sim_push_trade (EaNtSim *sim, const char *root, EaTicks price, gint64 size)
{
  ea_sim_exchange_push_trade (sim->ex, root, price, size, NULL);
  after_market (sim);
}

GPtrArray *
ea_nt_sim_get_lines (EaNtSim *sim)
{
  return sim->lines;
}

GPtrArray *
ea_nt_sim_get_errors (EaNtSim *sim)
{
  return sim->errors;
}

void
ea_nt_sim_set_words (EaNtSim *sim, EaNtSimWords words)
{
  sim->words = words;
}

void
ea_nt_sim_set_stops_accepted (EaNtSim *sim, gboolean accepted)
{
  sim->stops_accepted = accepted;
}

void
ea_nt_sim_set_exchange_suffix (EaNtSim *sim, const char *suffix)
{
  g_free (sim->exchange_suffix);
  sim->exchange_suffix = g_strdup (suffix);
}

void
ea_nt_sim_set_pickup_delay (EaNtSim *sim, guint ms)
{
  /* Files already waiting are due again from now. */
  sim->pickup_delay_ms = ms;
  g_hash_table_remove_all (sim->first_seen);
  ea_nt_sim_process (sim);
}

void
ea_nt_sim_delay_next_pickup (EaNtSim *sim, guint ms)
{
  sim->next_delay_ms = ms;
}

void
ea_nt_sim_delay_next_reply (EaNtSim *sim, guint ms)
{
  sim->next_reply_delay_ms = ms;
}

void
ea_nt_sim_reject_next_order (EaNtSim *sim)
{
  sim->reject_next = TRUE;
}

void
ea_nt_sim_set_connected (EaNtSim *sim, gboolean connected)
{
  sim->connected = connected;
  write_connection (sim);
}

static void
empty_outgoing (EaNtSim *sim, gboolean remove_dir)
{
  g_autoptr(GDir) dir = g_dir_open (sim->outgoing_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (sim->outgoing_dir, name, NULL);

      g_unlink (path);
    }
  if (remove_dir)
    g_rmdir (sim->outgoing_dir);
}

void
ea_nt_sim_delete_outgoing (EaNtSim *sim)
{
  empty_outgoing (sim, TRUE);
  sim->outgoing_deleted = TRUE;
}

void
ea_nt_sim_restart (EaNtSim *sim)
{
  g_autoptr(EaSnapshotData) s = NULL;
  GHashTableIter iter;
  gpointer v;

  empty_outgoing (sim, FALSE);
  g_mkdir_with_parents (sim->outgoing_dir, 0700);
  sim->outgoing_deleted = FALSE;
  sim->connected = TRUE;
  write_connection (sim);

  /* Day orders do not survive; their cancellation is written. */
  g_hash_table_iter_init (&iter, sim->orders);
  while (g_hash_table_iter_next (&iter, NULL, &v))
    {
      SimNtOrder *o = v;

      if (o->sim_id != NULL && o->tif == EA_TIME_IN_FORCE_DAY && !ea_order_state_is_terminal (o->state))
        ea_sim_exchange_cancel (sim->ex, o->sim_id, NULL);
    }

  s = ea_sim_exchange_snapshot (sim->ex, NULL);
  for (guint i = 0; i < s->positions->len; i++)
    {
      EaPositionData *p = s->positions->pdata[i];

      if (p->qty != 0)
        write_position (sim, p->account, p->symbol, p->qty, p->avg_price);
    }
}
