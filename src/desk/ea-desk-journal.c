/* ea-desk-journal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the desk writes to the journal besides orders: risk events, the
 * Enigma signals it receives (once, before any order acting on them),
 * and the round trips the ledger closes, each linked to the signal that
 * opened it.
 */
#define G_LOG_DOMAIN "ea-desk"

#include "config.h"

#include <math.h>

#include "ea-signal.h"
#include "ea-desk-private.h"


static void
risk_event_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (ea_journal_record_risk_event_finish (EA_JOURNAL (object), result, &error) < 0)
    g_message ("Could not journal a risk event: %s", error->message);
}

/* Warnings, denials, breaches, locks and limit changes go to the
 * risk_events table (and the audit trail). */
void
_ea_desk_risk_event (EaDesk            *self,
                     DeskAccount       *account,
                     EaJournalRiskKind  kind,
                     const char        *reason,
                     const char        *details_json,
                     EaActor            actor)
{
  if (self->journal == NULL)
    return;

  ea_journal_record_risk_event_async (self->journal, account ? account->journal_id : 0, kind, reason,
                                      details_json, actor, NULL, risk_event_done_cb, NULL);
}

typedef struct
{
  EaDesk   *desk;
  EaSignal *signal;
} SignalJournalData;

static void
signal_journaled_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SignalJournalData *data = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = ea_journal_record_signal_finish (EA_JOURNAL (object), result, &error);

  if (id < 0)
    {
      g_message ("Could not journal a signal: %s", error->message);
      /* Tried again when an order acts on it. */
      g_hash_table_remove (data->desk->signal_ids, data->signal);
    }
  else
    g_hash_table_insert (data->desk->signal_ids, g_object_ref (data->signal), g_memdup2 (&id, sizeof id));

  g_object_unref (data->desk);
  g_object_unref (data->signal);
  g_free (data);
}

/* Every Enigma signal the desk receives goes to the signals table once,
 * before any order that acts on it (the journal keeps call order), so
 * that the round trip it opens can name it. */
void
_ea_desk_journal_signal (EaDesk   *self,
                         EaSignal *signal)
{
  const char *symbol = ea_signal_get_symbol (signal);
  const EaInstrumentSpec *spec;
  EaJournalSignal js = { 0 };
  SignalJournalData *data;
  g_autofree char *details = NULL;
  g_autofree char *color = NULL;
  g_autofree char *macvu = NULL;
  gint64 pending = 0;

  if (self->journal == NULL || symbol == NULL || ea_signal_get_direction (signal) == 0 ||
      g_hash_table_contains (self->signal_ids, signal))
    return;

  spec = ea_desk_lookup_spec (symbol);
  color = g_strescape (ea_signal_get_color (signal) ? ea_signal_get_color (signal) : "", NULL);
  macvu = g_strescape (ea_signal_get_macvu (signal) ? ea_signal_get_macvu (signal) : "", NULL);
  details = g_strdup_printf ("{\"power\":%u,\"confluence\":%u,\"color\":\"%s\",\"macvu\":\"%s\",\"atr_ticks\":%.4f}",
                             ea_signal_get_power_score (signal), ea_signal_get_confluence (signal),
                             color, macvu, ea_signal_get_atr (signal));
  js.time_us = ea_signal_get_time (signal);
  js.symbol = symbol;
  js.root = spec != NULL ? spec->root : symbol;
  js.side = ea_signal_get_direction (signal) > 0 ? EA_SIDE_BUY : EA_SIDE_SELL;
  js.source = ea_signal_get_source (signal);
  js.entry_ticks = ea_signal_get_entry_price (signal);
  js.details_json = details;

  /* Pending: a second call while it is written adds no row. */
  g_hash_table_insert (self->signal_ids, g_object_ref (signal), g_memdup2 (&pending, sizeof pending));
  data = g_new0 (SignalJournalData, 1);
  data->desk = g_object_ref (self);
  data->signal = g_object_ref (signal);
  ea_journal_record_signal_async (self->journal, &js, NULL, signal_journaled_cb, data);
}

static gint64
signal_journal_id (EaDesk   *self,
                   EaSignal *signal)
{
  gint64 *id = signal ? g_hash_table_lookup (self->signal_ids, signal) : NULL;

  return id ? *id : 0;
}

char *
_ea_desk_trip_key (guint account,
                   guint contract)
{
  return g_strdup_printf ("%u:%u", account, contract);
}

static void
trades_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (ea_journal_insert_trades_finish (EA_JOURNAL (object), result, &error) < 0)
    g_message ("Could not journal a trade: %s", error->message);
}

/* The ledger reports FIFO lots; the journal keeps round trips (flat to
 * flat): lots of one trip are summed until the one that closes it. */
void
_ea_desk_ledger_trade_cb (const EaLedgerTrade *lot,
                          gpointer             user_data)
{
  EaDesk *self = EA_DESK (user_data);
  OpenTrip *trip = g_hash_table_lookup (self->open_trips, &lot->trip);

  if (trip == NULL)
    {
      guint64 *key = g_new (guint64, 1);

      *key = lot->trip;
      trip = g_new0 (OpenTrip, 1);
      trip->account = lot->account;
      trip->contract = lot->contract;
      trip->side = lot->side;
      trip->entry_time = lot->entry_time;
      g_hash_table_insert (self->open_trips, key, trip);
    }

  trip->qty += lot->qty;
  trip->entry_value += (double) lot->entry_price * lot->qty;
  trip->exit_value += (double) lot->exit_price * lot->qty;
  trip->entry_time = MIN (trip->entry_time, lot->entry_time);
  trip->exit_time = MAX (trip->exit_time, lot->exit_time);
  trip->pnl += lot->pnl;
  trip->fees += lot->fees;
  trip->mae = MAX (trip->mae, lot->mae_ticks);
  trip->mfe = MAX (trip->mfe, lot->mfe_ticks);

  if (!lot->closes_trip)
    return;

  if (self->journal != NULL)
    {
      GHashTableIter iter;
      DeskAccount *a, *account = NULL;
      DeskContract *c, *contract = NULL;
      EaJournalTrade t = { 0 };

      g_hash_table_iter_init (&iter, self->accounts);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
        if (a->ledger_id == trip->account)
          account = a;
      g_hash_table_iter_init (&iter, self->contracts);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &c))
        if (c->ledger_id == trip->contract)
          contract = c;

      if (account != NULL && contract != NULL)
        {
          t.account_id = account->journal_id;
          t.symbol = contract->symbol;
          t.root = (char *) contract->spec->root;
          t.side = trip->side;
          t.qty = trip->qty;
          t.entry_time_us = trip->entry_time;
          t.exit_time_us = trip->exit_time;
          t.entry_ticks = (EaTicks) llround (trip->entry_value / trip->qty);
          t.exit_ticks = (EaTicks) llround (trip->exit_value / trip->qty);
          t.pnl_micros = trip->pnl - trip->fees;
          t.fees_micros = trip->fees;
          t.mae_ticks = (EaTicks) ceil (trip->mae);
          t.mfe_ticks = (EaTicks) floor (trip->mfe);
          {
            g_autofree char *key = _ea_desk_trip_key (trip->account, trip->contract);

            t.signal_id = signal_journal_id (self, g_hash_table_lookup (self->trip_signals, key));
          }
          ea_journal_insert_trades_async (self->journal, &t, 1, NULL, trades_done_cb, NULL);
        }
    }

  {
    g_autofree char *key = _ea_desk_trip_key (trip->account, trip->contract);

    g_hash_table_remove (self->trip_signals, key);
  }
  g_hash_table_remove (self->open_trips, &lot->trip);
}
