/* ea-desk.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaDesk is the one controller: it holds the trading mode and the global
 * trading state, listens to every broker, keeps the model, the risk
 * engine and the ledger current, and journals what happens. Orders live
 * in ea-desk-orders.c, the emergency stop in ea-desk-stop.c.
 */
#define G_LOG_DOMAIN "ea-desk"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ea-alert.h"
#include "ea-signal.h"
#include "ea-desk-private.h"
#include "ea-enums.h"
#include "ea-session.h"

G_DEFINE_FINAL_TYPE (EaDesk, ea_desk, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MODE,
  PROP_TRADING_STATE,
  PROP_HALTED,
  PROP_HALT_REASON,
  PROP_STOP_PENDING,
  PROP_DISCONNECT_STOP_SECONDS,
  PROP_JOURNAL_WRITABLE,
  N_PROPS
};

enum {
  EMERGENCY_STOP,
  STOP_STATUS_CHANGED,
  RISK_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_QUARK (ea-desk-error-quark, ea_desk_error)

/* Helpers ---------------------------------------------------------------- */

static void
desk_position_free (DeskPosition *p)
{
  g_free (p->symbol);
  g_free (p);
}

static void
desk_account_free (DeskAccount *a)
{
  g_free (a->name);
  g_free (a->stop_reason);
  g_free (a->restriction_text);
  g_clear_pointer (&a->positions, g_hash_table_unref);
  g_free (a);
}

static void
desk_contract_free (DeskContract *c)
{
  g_free (c->symbol);
  g_free (c->quote_source);
  g_free (c);
}

/**
 * ea_desk_lookup_spec:
 * @symbol: a root ("ES", the Demo exchange) or a contract in any venue's
 *   form ("ESZ6", "ESZ26", "ES 12-26")
 */
const EaInstrumentSpec *
ea_desk_lookup_spec (const char *symbol)
{
  const EaInstrumentSpec *spec;
  g_autoptr(GDateTime) now = NULL;
  EaContract contract;

  if (symbol == NULL)
    return NULL;

  spec = ea_instrument_lookup (symbol);
  if (spec != NULL)
    return spec;

  now = g_date_time_new_now_utc ();
  if (ea_contract_parse_any (symbol, ea_session_trading_day (now), &contract, NULL, NULL))
    return contract.spec;

  return NULL;
}

DeskContract *
_ea_desk_contract (EaDesk     *self,
                   const char *symbol)
{
  DeskContract *c = g_hash_table_lookup (self->contracts, symbol);
  const EaInstrumentSpec *spec;

  if (c != NULL)
    return c;

  spec = ea_desk_lookup_spec (symbol);
  if (spec == NULL)
    return NULL;

  c = g_new0 (DeskContract, 1);
  c->symbol = g_strdup (symbol);
  c->spec = spec;
  c->ledger_id = self->next_ledger_contract++;
  ea_ledger_add_contract (self->ledger, c->ledger_id, spec->tick_value, 0, NULL);
  g_hash_table_insert (self->contracts, c->symbol, c);

  return c;
}

DeskAccount *
_ea_desk_account (EaDesk     *self,
                  const char *name)
{
  return name ? g_hash_table_lookup (self->accounts, name) : NULL;
}

EaBroker *
_ea_desk_broker_for (EaDesk     *self,
                     const char *account)
{
  DeskAccount *a = _ea_desk_account (self, account);

  return a ? a->broker : NULL;
}

void
_ea_desk_alert (EaDesk     *self,
                const char *kind,
                guint       priority,
                const char *title,
                const char *body)
{
  g_autoptr(EaAlert) alert = ea_alert_new (kind, priority, title, body, _ea_desk_now (self));

  ea_trading_store_add_alert (self->store, alert);
}

static void
audit_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (ea_journal_audit_finish (EA_JOURNAL (object), result, &error) < 0)
    g_message ("Could not audit: %s", error->message);
}

void
_ea_desk_audit (EaDesk     *self,
                EaActor     actor,
                const char *kind,
                const char *subject,
                const char *details_json)
{
  if (self->journal == NULL)
    return;

  ea_journal_audit_async (self->journal, actor, kind, subject, details_json, NULL, audit_done_cb, NULL);
}

void
_ea_desk_set_state (EaDesk         *self,
                    EaTradingState  state)
{
  gboolean was_halted;

  if (self->trading_state == state)
    return;

  was_halted = ea_desk_get_halted (self);
  self->trading_state = state;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRADING_STATE]);
  if (was_halted != ea_desk_get_halted (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HALTED]);
}

/* Journal records ------------------------------------------------------- */

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

static char *
trip_key (guint account,
          guint contract)
{
  return g_strdup_printf ("%u:%u", account, contract);
}

typedef struct
{
  guint    account;
  guint    contract;
  EaSide   side;
  gint64   qty;
  double   entry_value;  /* Σ qty × entry ticks */
  double   exit_value;   /* Σ qty × exit ticks */
  EaTimeUs entry_time;
  EaTimeUs exit_time;
  EaMicros pnl;
  EaMicros fees;
  double   mae;
  double   mfe;
} OpenTrip;

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
static void
ledger_trade_cb (const EaLedgerTrade *lot,
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
            g_autofree char *key = trip_key (trip->account, trip->contract);

            t.signal_id = signal_journal_id (self, g_hash_table_lookup (self->trip_signals, key));
          }
          ea_journal_insert_trades_async (self->journal, &t, 1, NULL, trades_done_cb, NULL);
        }
    }

  {
    g_autofree char *key = trip_key (trip->account, trip->contract);

    g_hash_table_remove (self->trip_signals, key);
  }
  g_hash_table_remove (self->open_trips, &lot->trip);
}

/* Risk ------------------------------------------------------------------ */

static EaMicros
open_pnl (EaDesk      *self,
          DeskAccount *account)
{
  GHashTableIter iter;
  DeskPosition *p;
  double total = 0;

  g_hash_table_iter_init (&iter, account->positions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &p))
    {
      DeskContract *c = _ea_desk_contract (self, p->symbol);
      EaTicks mark;

      if (c == NULL || p->qty == 0)
        continue;

      mark = c->last != 0 ? c->last : (c->bid + c->ask) / 2;
      if (mark == 0)
        continue;

      total += ((double) mark - p->avg_price) * (double) c->spec->tick_value * (double) p->qty;
    }

  return (EaMicros) llround (total);
}

static void
handle_risk_events (EaDesk       *self,
                    DeskAccount  *account,
                    EaRiskEvents  events)
{
  EaRiskStatus status;
  g_autofree char *details = NULL;

  if (events == EA_RISK_EVENT_NONE)
    return;

  _ea_desk_queue_save (self);
  ea_risk_engine_get_status (self->risk, account->risk_index, _ea_desk_now (self), &status);
  details = g_strdup_printf ("{\"account\":\"%s\",\"events\":%u,\"equity\":%" G_GINT64_FORMAT
                             ",\"floor\":%" G_GINT64_FORMAT ",\"day_pnl\":%" G_GINT64_FORMAT "}",
                             account->name, (guint) events, status.equity, status.effective_floor,
                             status.day_pnl);

  if (events & EA_RISK_EVENT_WARNING)
    {
      g_autofree char *body = g_strdup_printf (_("%s has used more than 75 %% of a limit."), account->name);
      _ea_desk_alert (self, "risk_warning", EA_ALERT_PRIORITY_HIGH, _("Risk warning"), body);
      _ea_desk_risk_event (self, account, EA_JOURNAL_RISK_WARNING, "75%", details, EA_ACTOR_AUTOMATIC);
    }

  if (events & EA_RISK_EVENT_REDUCING)
    {
      g_autofree char *body = g_strdup_printf (_("%s is at 90 %% of its daily or trailing limit: only orders that reduce exposure are accepted."),
                                               account->name);
      _ea_desk_alert (self, "risk_warning", EA_ALERT_PRIORITY_HIGH, _("Reducing only"), body);
      _ea_desk_risk_event (self, account, EA_JOURNAL_RISK_WARNING, "REDUCING", details, EA_ACTOR_AUTOMATIC);
    }

  if (events & EA_RISK_EVENT_LOW_MARGIN)
    _ea_desk_alert (self, "margin_warning", EA_ALERT_PRIORITY_CRITICAL, _("Low margin"), account->name);

  if (events & EA_RISK_EVENT_BREACH)
    {
      g_autofree char *reason = g_strdup_printf (_("%s breached a limit of its firm profile"), account->name);
      g_autoptr(GDateTime) until = NULL;
      _ea_desk_risk_event (self, account, EA_JOURNAL_RISK_BREACH, "BREACH", details, EA_ACTOR_AUTOMATIC);
      _ea_desk_risk_event (self, account, EA_JOURNAL_RISK_LOCK, reason, details, EA_ACTOR_AUTOMATIC);
      ea_desk_emergency_stop (self, EA_ACTOR_AUTOMATIC, reason);
      if (status.lock_until > 0 && status.lock_until != EA_RISK_LOCK_FOREVER)
        until = g_date_time_new_from_unix_utc (status.lock_until / G_USEC_PER_SEC);
      else
        until = g_date_time_new_from_unix_utc (ea_risk_next_session_open (_ea_desk_now (self)) / G_USEC_PER_SEC);
      ea_desk_lock (self, until, reason);
    }
  else if (events & (EA_RISK_EVENT_DAILY_PAUSE | EA_RISK_EVENT_FLAT_BY_DUE))
    {
      gboolean pause = (events & EA_RISK_EVENT_DAILY_PAUSE) != 0;
      const char *names[1] = { account->name };
      EaTimeUs now = _ea_desk_now (self);

      /* The account stops for the session, through the same pipeline as
       * the emergency stop: cancelled, flattened, confirmed flat, and
       * locked until the next session opens. */
      _ea_desk_audit (self, EA_ACTOR_AUTOMATIC, pause ? "risk.daily-pause" : "risk.flat-by",
                      account->name, details);
      _ea_desk_alert (self, "risk_warning", EA_ALERT_PRIORITY_CRITICAL,
                      pause ? _("Daily loss limit: paused") : _("Flat-by time"),
                      account->name);
      if (!pause)
        {
          ea_risk_engine_lock_account (self->risk, account->risk_index, ea_risk_next_session_open (now),
                                       "flat-by time");
          _ea_desk_risk_event (self, account, EA_JOURNAL_RISK_LOCK, "flat-by time", details, EA_ACTOR_AUTOMATIC);
        }
      _ea_desk_stop_accounts (self, names, 1, pause ? _("Daily loss limit") : _("Flat-by time"));
    }

  g_signal_emit (self, signals[RISK_CHANGED], 0, account->name);
}

static void
evaluate_account (EaDesk      *self,
                  DeskAccount *account)
{
  EaRiskEvents events;

  if (account->risk_index < 0 || !account->has_balance)
    return;

  events = ea_risk_engine_update_equity (self->risk, account->risk_index, account->balance,
                                         account->balance + open_pnl (self, account),
                                         _ea_desk_now (self));
  handle_risk_events (self, account, events);
  if (!(events & EA_RISK_EVENT_BREACH) && account->risk_index >= 0)
    _ea_desk_tighten_stops (self, account);
}

static void
register_risk_account (EaDesk      *self,
                       DeskAccount *account,
                       const char  *profile_hint)
{
  g_autoptr(GError) error = NULL;
  const EaRiskProfile *profile = NULL;

  if (account->risk_index >= 0)
    return;

  account->risk_index = ea_risk_engine_find_account (self->risk, account->name);
  if (account->risk_index >= 0 || self->profiles == NULL)
    return;

  /* "Apex legacy 50K" or "apex-legacy-50k". */
  if (profile_hint != NULL)
    {
      g_autofree char *id = g_ascii_strdown (profile_hint, -1);

      g_strdelimit (id, " ", '-');
      profile = ea_profile_store_lookup (self->profiles, id);
    }
  if (profile == NULL)
    profile = ea_profile_store_lookup (self->profiles, self->default_profile);
  if (profile == NULL)
    return;

  /* Restored from the journal: its state carries on. */
  account->risk_index = ea_risk_engine_find_account (self->risk, account->name);
  if (account->risk_index >= 0)
    return;

  account->risk_index = ea_risk_engine_add_account (self->risk, account->name, profile,
                                                    EA_SAFETY_DEFAULT, _ea_desk_now (self), &error);
  if (account->risk_index < 0)
    g_message ("Cannot watch the risk of %s: %s", account->name, error->message);
  else
    {
      g_autofree char *details = g_strdup_printf ("{\"profile\":\"%s\",\"safety\":%u}",
                                                  profile->id, EA_SAFETY_DEFAULT);
      _ea_desk_audit (self, EA_ACTOR_AUTOMATIC, "risk.profile", account->name, details);
      _ea_desk_risk_resync (self);
      g_signal_emit (self, signals[RISK_CHANGED], 0, account->name);
    }
}

static DeskAccount *
ensure_account (EaDesk     *self,
                EaBroker   *broker,
                const char *name,
                const char *profile_hint)
{
  DeskAccount *a = _ea_desk_account (self, name);

  if (a != NULL)
    return a;

  a = g_new0 (DeskAccount, 1);
  a->name = g_strdup (name);
  a->broker = broker;
  a->risk_index = -1;
  a->enabled = TRUE;
  a->ledger_id = self->next_ledger_account++;
  a->positions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) desk_position_free);
  g_hash_table_insert (self->accounts, a->name, a);

  register_risk_account (self, a, profile_hint);

  return a;
}

/* After a demo account's reset: the broker has cancelled its orders,
 * cleared its positions and restored its balance. Its positions, P&L
 * ledger, open round trips and risk record start again from that
 * balance. */
void
_ea_desk_account_start_fresh (EaDesk      *self,
                              DeskAccount *account)
{
  GHashTableIter iter;
  OpenTrip *trip;
  guint old_id = account->ledger_id;
  g_autofree char *prefix = g_strdup_printf ("%u:", old_id);

  g_hash_table_remove_all (account->positions);

  g_hash_table_iter_init (&iter, self->open_trips);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &trip))
    if (trip->account == old_id)
      g_hash_table_iter_remove (&iter);
  {
    const char *key;

    g_hash_table_iter_init (&iter, self->trip_signals);
    while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
      if (g_str_has_prefix (key, prefix))
        g_hash_table_iter_remove (&iter);
  }

  /* The old ledger account keeps what it knew; the account books into a
   * new one from its starting balance. */
  account->ledger_id = self->next_ledger_account++;
  ea_ledger_add_account (self->ledger, account->ledger_id, account->balance, NULL);

  if (account->risk_index >= 0)
    {
      ea_risk_engine_reset_account (self->risk, account->risk_index, _ea_desk_now (self));
      _ea_desk_risk_resync (self);
    }
  evaluate_account (self, account);
  _ea_desk_queue_save (self);
  g_signal_emit (self, signals[RISK_CHANGED], 0, account->name);
}

/* Broker signals ------------------------------------------------------- */

static void account_cb  (EaBroker *broker, const EaAccountData *account, EaDesk *self);
static void position_cb (EaBroker *broker, const EaPositionData *position, EaDesk *self);
static void fill_cb     (EaBroker *broker, const EaFillData *fill, EaDesk *self);

typedef struct
{
  EaDesk   *desk;
  EaBroker *broker;
} ReconcileData;

/* New entries on @broker's accounts are denied (RECONCILING) from the
 * moment the connection is lost or restored until the desk has applied
 * the broker's snapshot; exits and cancels still pass. */
static void
set_broker_reconciling (EaDesk   *self,
                        EaBroker *broker,
                        gboolean  reconciling)
{
  GHashTableIter iter;
  DeskAccount *a;

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    if (a->broker == broker && a->risk_index >= 0)
      ea_risk_engine_set_reconciling (self->risk, a->risk_index, reconciling);
}

static void
reconcile_data_free (ReconcileData *data)
{
  g_object_unref (data->desk);
  g_object_unref (data->broker);
  g_free (data);
}

/* After every (re)connect: what the broker has against what the desk
 * believes. Missed fills are applied once (fill ids), orders of unknown
 * outcome settle, positions and balances are taken from the broker. */
static void
reconcile_snapshot_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  ReconcileData *data = user_data;
  EaDesk *self = data->desk;
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSnapshotData) s = ea_broker_snapshot_finish (data->broker, result, &error);
  guint missed = 0;

  if (s == NULL)
    {
      g_message ("Reconciliation with %s failed: %s", ea_broker_get_name (data->broker), error->message);
      set_broker_reconciling (self, data->broker, FALSE);
      reconcile_data_free (data);
      return;
    }

  _ea_desk_adopt_restored_orders (self, data->broker);
  _ea_desk_report_differences (self, data->broker, s);

  for (guint i = 0; i < s->accounts->len; i++)
    account_cb (data->broker, g_ptr_array_index (s->accounts, i), self);
  for (guint i = 0; i < s->orders->len; i++)
    {
      const EaOrderData *o = g_ptr_array_index (s->orders, i);

      ea_trading_store_apply_order (self->store, o);
      _ea_desk_order_updated (self, data->broker, o);
    }
  for (guint i = 0; i < s->fills->len; i++)
    {
      guint before = g_hash_table_size (self->fill_ids);

      fill_cb (data->broker, g_ptr_array_index (s->fills, i), self);
      missed += g_hash_table_size (self->fill_ids) - before;
    }
  for (guint i = 0; i < s->positions->len; i++)
    position_cb (data->broker, g_ptr_array_index (s->positions, i), self);
  _ea_desk_settle_unknown_orders (self, data->broker, s);

  {
    g_autofree char *details = g_strdup_printf ("{\"broker\":\"%s\",\"orders\":%u,\"fills\":%u,\"new_fills\":%u}",
                                                ea_broker_get_name (data->broker), s->orders->len,
                                                s->fills->len, missed);
    _ea_desk_audit (self, EA_ACTOR_AUTOMATIC, "broker.reconciled", ea_broker_get_name (data->broker), details);
  }

  set_broker_reconciling (self, data->broker, FALSE);
  _ea_desk_stop_broker_connected (self, data->broker);
  reconcile_data_free (data);
}

static void
reconcile_accounts_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  ReconcileData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = ea_broker_list_accounts_finish (data->broker, result, &error);

  if (accounts != NULL)
    for (guint i = 0; i < accounts->len; i++)
      account_cb (data->broker, g_ptr_array_index (accounts, i), data->desk);

  /* Accounts first seen here wait for the snapshot too. */
  set_broker_reconciling (data->desk, data->broker, TRUE);
  ea_broker_snapshot_async (data->broker, NULL, NULL, reconcile_snapshot_cb, data);
}

static void
subscribed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A broker without the symbol is no error: another one has it. */
  if (!ea_broker_subscribe_quotes_finish (EA_BROKER (object), result, &error) &&
      !g_error_matches (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND))
    g_message ("No quotes from %s: %s", ea_broker_get_name (EA_BROKER (object)), error->message);
}

static void
subscribe_watched (EaDesk   *self,
                   EaBroker *broker)
{
  for (guint i = 0; i < self->watched->len; i++)
    ea_broker_subscribe_quotes_async (broker, g_ptr_array_index (self->watched, i), NULL, subscribed_cb, NULL);
}

void
_ea_desk_reconcile (EaDesk   *self,
                    EaBroker *broker)
{
  ReconcileData *data = g_new0 (ReconcileData, 1);

  subscribe_watched (self, broker);

  data->desk = g_object_ref (self);
  data->broker = g_object_ref (broker);
  set_broker_reconciling (self, broker, TRUE);
  ea_broker_list_accounts_async (broker, NULL, reconcile_accounts_cb, data);
}

static void
connection_state_cb (EaBroker   *broker,
                     guint       state,
                     const char *reason,
                     EaDesk     *self)
{
  /* CONNECTED does not end it: the desk's own reconciliation does. */
  if (state == EA_CONNECTION_STATE_RECONCILING ||
      state == EA_CONNECTION_STATE_CONNECTING)
    set_broker_reconciling (self, broker, TRUE);

  switch ((EaConnectionState) state)
    {
    case EA_CONNECTION_STATE_DISCONNECTED:
      _ea_desk_disconnect_policy (self, broker, FALSE);
      {
        g_autofree char *body = g_strdup_printf ("%s: %s", ea_broker_get_name (broker),
                                                 reason ? reason : _("disconnected"));

        _ea_desk_alert (self, "connection_lost", EA_ALERT_PRIORITY_HIGH, _("Connection lost"), body);
        _ea_desk_stop_broker_lost (self, broker, reason);
      }
      break;

    case EA_CONNECTION_STATE_CONNECTED:
      _ea_desk_disconnect_policy (self, broker, TRUE);
      _ea_desk_reconcile (self, broker);
      break;

    case EA_CONNECTION_STATE_CONNECTING:
    case EA_CONNECTION_STATE_RECONCILING:
    default:
      break;
    }
}

static void
quote_cb (EaBroker          *broker,
          const EaQuoteData *quote,
          EaDesk            *self)
{
  DeskContract *c = _ea_desk_contract (self, quote->symbol);
  GHashTableIter iter;
  DeskAccount *a;

  ea_trading_store_apply_quote (self->store, quote);

  if (c == NULL)
    return;

  if (g_strcmp0 (c->quote_source, ea_broker_get_name (broker)) != 0)
    {
      g_free (c->quote_source);
      c->quote_source = g_strdup (ea_broker_get_name (broker));
    }
  c->bid = quote->bid;
  c->ask = quote->ask;
  if (quote->last != 0)
    c->last = quote->last;

  if (c->last != 0)
    {
      ea_risk_engine_set_last_price (self->risk, c->spec, c->last);
      ea_ledger_mark_last (self->ledger, c->ledger_id, c->last, NULL);
    }
  else if (quote->bid != 0 && quote->ask != 0)
    ea_ledger_mark_bid_ask (self->ledger, c->ledger_id, quote->bid, quote->ask, NULL);

  /* ERM watches the live market: the middle of a two-sided quote, else
   * the last trade (a stale last must not stand for a book that has
   * moved on). */
  if (quote->bid > 0 && quote->ask >= quote->bid)
    _ea_desk_erm_update (self, c, quote->time, quote->bid + (quote->ask - quote->bid) / 2);
  else if (c->last != 0)
    _ea_desk_erm_update (self, c, quote->time, c->last);

  /* Equity moves for every account holding this contract. */
  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    {
      DeskPosition *p = g_hash_table_lookup (a->positions, quote->symbol);

      if (p != NULL && p->qty != 0)
        evaluate_account (self, a);
    }
}

static void
order_cb (EaBroker          *broker,
          const EaOrderData *order,
          EaDesk            *self)
{
  if (!_ea_desk_order_check_update (self, broker, order))
    return;
  ea_trading_store_apply_order (self->store, order);
  _ea_desk_order_updated (self, broker, order);
}

static void
fills_journaled_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (ea_journal_insert_fills_finish (EA_JOURNAL (object), result, NULL, &error) < 0)
    g_message ("Could not journal a fill: %s", error->message);
}

static void
fill_cb (EaBroker         *broker,
         const EaFillData *fill,
         EaDesk           *self)
{
  g_autofree char *key = g_strdup_printf ("%s\x1f%s", ea_broker_get_name (broker), fill->fill_id);
  DeskContract *c;
  DeskAccount *a;

  /* A fill replayed by reconciliation is applied once. */
  if (g_hash_table_contains (self->fill_ids, key))
    return;
  g_hash_table_add (self->fill_ids, g_steal_pointer (&key));

  ea_trading_store_apply_fill (self->store, fill);

  c = _ea_desk_contract (self, fill->symbol);
  a = _ea_desk_account (self, fill->account);

  if (c != NULL && a != NULL)
    {
      EaLedgerFill lf = {
        .account = a->ledger_id,
        .contract = c->ledger_id,
        .side = fill->side,
        .qty = fill->qty,
        .price = fill->price,
        .time = fill->time,
      };
      EaLedgerPosition before = { 0 }, after = { 0 };

      ea_ledger_get_position (self->ledger, a->ledger_id, c->ledger_id, &before);
      ea_ledger_fill (self->ledger, &lf, NULL);
      ea_ledger_get_position (self->ledger, a->ledger_id, c->ledger_id, &after);

      /* A fill that opens a round trip (from flat, or flipping the
       * position) links it to the signal its order acted on. */
      if (after.net != 0 && (before.net == 0 || (before.net > 0) != (after.net > 0)))
        {
          DeskOrder *o = fill->client_order_id ? g_hash_table_lookup (self->orders, fill->client_order_id) : NULL;
          char *trip = trip_key (a->ledger_id, c->ledger_id);

          if (o != NULL && o->signal != NULL)
            g_hash_table_insert (self->trip_signals, trip, g_object_ref (o->signal));
          else
            {
              g_hash_table_remove (self->trip_signals, trip);
              g_free (trip);
            }
        }
    }

  if (self->journal != NULL && c != NULL)
    {
      EaJournalFill jf = {
        .broker = ea_broker_get_name (broker),
        .broker_fill_id = fill->fill_id,
        .account_id = a ? a->journal_id : 0,
        .client_order_id = fill->client_order_id,
        .broker_order_id = fill->broker_order_id,
        .symbol = fill->symbol,
        .root = c->spec->root,
        .side = fill->side,
        .qty = fill->qty,
        .price_ticks = fill->price,
        .time_us = fill->time,
      };

      ea_journal_insert_fills_async (self->journal, &jf, 1, NULL, fills_journaled_cb, NULL);
    }
}

static void
position_cb (EaBroker             *broker,
             const EaPositionData *position,
             EaDesk               *self)
{
  DeskAccount *a = _ea_desk_account (self, position->account);
  DeskContract *c = _ea_desk_contract (self, position->symbol);
  DeskPosition *p;

  ea_trading_store_apply_position (self->store, position);

  if (a == NULL)
    a = ensure_account (self, broker, position->account, NULL);

  p = g_hash_table_lookup (a->positions, position->symbol);
  if (p == NULL)
    {
      p = g_new0 (DeskPosition, 1);
      p->symbol = g_strdup (position->symbol);
      g_hash_table_insert (a->positions, p->symbol, p);
    }
  p->qty = position->qty;
  p->avg_price = position->avg_price;

  if (c != NULL && a->risk_index >= 0)
    _ea_desk_risk_sync_position (self, a, position->symbol);

  evaluate_account (self, a);
}

typedef struct
{
  EaDesk *desk;
  char   *account;
} AccountJournalData;

static void
journal_account_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  AccountJournalData *data = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = ea_journal_ensure_account_finish (EA_JOURNAL (object), result, &error);
  DeskAccount *a = _ea_desk_account (data->desk, data->account);

  if (id < 0)
    g_message ("Could not journal an account: %s", error->message);
  else if (a != NULL)
    a->journal_id = id;

  g_object_unref (data->desk);
  g_free (data->account);
  g_free (data);
}

/* A broker-side lock or liquidation-only state: the risk check denies
 * new entries (LOCKED, or REDUCING with only reducing orders passing);
 * exits, cancels and the emergency stop still go out. Its start, change
 * and end are told (an alert) and audited. Lifted, the desk's own rules
 * apply as before. */
static void
apply_broker_restriction (EaDesk              *self,
                          EaBroker            *broker,
                          DeskAccount         *a,
                          EaBrokerRestriction  restriction,
                          const char          *text)
{
  EaBrokerRestriction before = a->restriction;
  const char *broker_name = ea_broker_get_name (broker);
  g_autofree char *esc_text = NULL;
  g_autofree char *details = NULL;
  g_autofree char *body = NULL;

  if (a->risk_index >= 0)
    ea_risk_engine_set_broker_restriction (self->risk, a->risk_index, restriction, text);
  if (before == restriction && g_strcmp0 (a->restriction_text, text) == 0)
    return;

  a->restriction = restriction;
  g_free (a->restriction_text);
  a->restriction_text = g_strdup (text);
  if (before == restriction)
    return;  /* only the broker's words changed */

  esc_text = g_strescape (text ? text : "", NULL);
  details = g_strdup_printf ("{\"broker\":\"%s\",\"restriction\":\"%s\",\"previous\":\"%s\",\"text\":\"%s\"}",
                             broker_name, ea_broker_restriction_to_string (restriction),
                             ea_broker_restriction_to_string (before), esc_text);
  _ea_desk_audit (self, EA_ACTOR_AUTOMATIC,
                  restriction == EA_BROKER_RESTRICTION_NONE ? "broker.restriction-lifted" : "broker.restriction",
                  a->name, details);

  switch (restriction)
    {
    case EA_BROKER_RESTRICTION_LOCKED:
      /* Translators: "Tradovate has locked trading on DEMO001 (LockTradingImmediately)…" */
      body = g_strdup_printf (_("%s has locked trading on %s (%s). No new orders are sent; exits, cancels and the emergency stop still are."),
                              broker_name, a->name, text ? text : _("no reason given"));
      _ea_desk_alert (self, "risk_warning", EA_ALERT_PRIORITY_CRITICAL, _("Locked by broker"), body);
      break;
    case EA_BROKER_RESTRICTION_LIQUIDATION_ONLY:
      body = g_strdup_printf (_("%s allows only liquidation on %s (%s): only orders that reduce a position are sent."),
                              broker_name, a->name, text ? text : _("no reason given"));
      _ea_desk_alert (self, "risk_warning", EA_ALERT_PRIORITY_CRITICAL, _("Liquidation only"), body);
      break;
    case EA_BROKER_RESTRICTION_NONE:
    default:
      body = g_strdup_printf (_("%s lifted its restriction on %s; the desk's own rules apply."),
                              broker_name, a->name);
      _ea_desk_alert (self, "risk_warning", EA_ALERT_PRIORITY_HIGH, _("Broker restriction lifted"), body);
      break;
    }

  g_signal_emit (self, signals[RISK_CHANGED], 0, a->name);
}

static void
account_cb (EaBroker            *broker,
            const EaAccountData *account,
            EaDesk              *self)
{
  DeskAccount *a;
  gboolean first;

  ea_trading_store_apply_account (self->store, account);

  first = _ea_desk_account (self, account->name) == NULL;
  a = ensure_account (self, broker, account->name, account->profile);

  if (first || !a->has_balance)
    ea_ledger_add_account (self->ledger, a->ledger_id, account->size ? account->size : account->balance, NULL);

  a->balance = account->balance;
  a->has_balance = TRUE;
  apply_broker_restriction (self, broker, a, account->restriction, account->restriction_text);

  if (first && self->journal != NULL)
    {
      AccountJournalData *data = g_new0 (AccountJournalData, 1);

      data->desk = g_object_ref (self);
      data->account = g_strdup (a->name);
      ea_journal_ensure_account_async (self->journal, ea_broker_get_name (broker), a->name, a->name,
                                       self->mode, NULL, journal_account_cb, data);
    }

  evaluate_account (self, a);
}

/* Object ---------------------------------------------------------------- */

static void journal_writable_cb (EaJournal *journal, GParamSpec *pspec, EaDesk *self);

static void
ea_desk_dispose (GObject *object)
{
  EaDesk *self = (EaDesk *)object;

  if (self->brokers != NULL)
    {
      for (guint i = 0; i < self->brokers->len; i++)
        g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->brokers, i), self);
      g_ptr_array_set_size (self->brokers, 0);
    }
  if (self->feeds != NULL)
    {
      for (guint i = 0; i < self->feeds->len; i++)
        g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->feeds, i), self);
      g_ptr_array_set_size (self->feeds, 0);
    }

  g_clear_pointer (&self->disconnect_timers, g_hash_table_unref);
  _ea_desk_stop_dispose (self);
  if (self->save_source != 0)
    ea_desk_save_now (self);
  if (self->journal != NULL)
    g_signal_handlers_disconnect_by_func (self->journal, journal_writable_cb, self);
  g_clear_object (&self->journal);
  g_clear_object (&self->profiles);

  G_OBJECT_CLASS (ea_desk_parent_class)->dispose (object);
}

static void
ea_desk_finalize (GObject *object)
{
  EaDesk *self = (EaDesk *)object;

  g_clear_pointer (&self->halt_reason, g_free);
  g_clear_pointer (&self->lock_reason, g_free);
  g_clear_pointer (&self->halted_at, g_date_time_unref);
  g_clear_pointer (&self->locked_until, g_date_time_unref);
  g_clear_pointer (&self->brokers, g_ptr_array_unref);
  g_clear_pointer (&self->feeds, g_ptr_array_unref);
  g_clear_pointer (&self->broker_orders, g_hash_table_unref);
  g_clear_pointer (&self->orders, g_hash_table_unref);
  g_clear_pointer (&self->accounts, g_hash_table_unref);
  g_clear_pointer (&self->contracts, g_hash_table_unref);
  g_clear_pointer (&self->fill_ids, g_hash_table_unref);
  g_clear_pointer (&self->watched, g_ptr_array_unref);
  g_clear_pointer (&self->risk, ea_risk_engine_free);
  g_clear_pointer (&self->ledger, ea_ledger_free);
  g_clear_pointer (&self->open_trips, g_hash_table_unref);
  g_clear_pointer (&self->erms, g_hash_table_unref);
  g_clear_pointer (&self->erm_signals, g_hash_table_unref);
  g_clear_pointer (&self->signal_ids, g_hash_table_unref);
  g_clear_pointer (&self->trip_signals, g_hash_table_unref);
  g_clear_pointer (&self->default_profile, g_free);
  g_clear_object (&self->store);
  if (self->clock_destroy != NULL)
    self->clock_destroy (self->clock_data);

  G_OBJECT_CLASS (ea_desk_parent_class)->finalize (object);
}

static void
ea_desk_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  EaDesk *self = EA_DESK (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;

    case PROP_TRADING_STATE:
      g_value_set_enum (value, self->trading_state);
      break;

    case PROP_HALTED:
      g_value_set_boolean (value, ea_desk_get_halted (self));
      break;

    case PROP_HALT_REASON:
      g_value_set_string (value, self->halt_reason);
      break;

    case PROP_STOP_PENDING:
      g_value_set_boolean (value, ea_desk_get_stop_pending (self));
      break;

    case PROP_DISCONNECT_STOP_SECONDS:
      g_value_set_uint (value, self->disconnect_stop_s);
      break;

    case PROP_JOURNAL_WRITABLE:
      g_value_set_boolean (value, ea_desk_get_journal_writable (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_desk_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  EaDesk *self = EA_DESK (object);

  switch (prop_id)
    {
    case PROP_MODE:
      self->mode = g_value_get_enum (value);
      break;

    case PROP_DISCONNECT_STOP_SECONDS:
      ea_desk_set_disconnect_stop (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_desk_class_init (EaDeskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ea_desk_dispose;
  object_class->finalize = ea_desk_finalize;
  object_class->get_property = ea_desk_get_property;
  object_class->set_property = ea_desk_set_property;

  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL,
                       EA_TYPE_MODE, EA_MODE_DEMO,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TRADING_STATE] =
    g_param_spec_enum ("trading-state", NULL, NULL,
                       EA_TYPE_TRADING_STATE, EA_TRADING_STATE_ACTIVE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_HALTED] =
    g_param_spec_boolean ("halted", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_HALT_REASON] =
    g_param_spec_string ("halt-reason", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STOP_PENDING] =
    g_param_spec_boolean ("stop-pending", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DISCONNECT_STOP_SECONDS] =
    g_param_spec_uint ("disconnect-stop-seconds", NULL, NULL, 0, 3600, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * EaDesk:journal-writable:
   *
   * FALSE while new entries cannot be journaled (a full disk, a
   * read-only file, or no journal where one is required): they are
   * refused, exits and the emergency stop still go out.
   */
  properties[PROP_JOURNAL_WRITABLE] =
    g_param_spec_boolean ("journal-writable", NULL, NULL, TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EaDesk::emergency-stop:
   * @actor: the #EaActor that triggered it
   *
   * Emitted once per emergency stop, after the global state latched.
   */
  signals[EMERGENCY_STOP] =
    g_signal_new ("emergency-stop", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, EA_TYPE_ACTOR);

  /**
   * EaDesk::stop-status-changed:
   * @account: the account whose emergency-stop status changed
   */
  signals[STOP_STATUS_CHANGED] =
    g_signal_new ("stop-status-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * EaDesk::risk-changed:
   * @account: the account whose risk status changed
   */
  signals[RISK_CHANGED] =
    g_signal_new ("risk-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ea_desk_init (EaDesk *self)
{
  g_autoptr(GError) error = NULL;

  self->trading_state = EA_TRADING_STATE_ACTIVE;
  self->journal_writable = TRUE;
  self->store = ea_trading_store_new ();
  self->brokers = g_ptr_array_new_with_free_func (g_object_unref);
  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) desk_account_free);
  self->contracts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) desk_contract_free);
  self->fill_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->watched = g_ptr_array_new_with_free_func (g_free);
  self->feeds = g_ptr_array_new_with_free_func (g_object_unref);
  self->disconnect_timers = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_source_remove);
  self->requests_out_us = -1;
  self->confirmed_us = -1;
  self->stop_runs = g_ptr_array_new ();
  self->risk = ea_risk_engine_new ();
  self->ledger = ea_ledger_new ();
  self->open_trips = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->signal_ids = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);
  self->trip_signals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  _ea_desk_erm_init (self);
  ea_ledger_set_trade_func (self->ledger, ledger_trade_cb, self);
  self->default_profile = g_strdup ("apex-legacy-50k");

  self->profiles = ea_profile_store_new (&error);
  if (self->profiles == NULL)
    g_message ("Firm profiles could not be loaded: %s", error->message);

  _ea_desk_orders_init (self);
}

EaDesk *
ea_desk_new (EaMode mode)
{
  return g_object_new (EA_TYPE_DESK, "mode", mode, NULL);
}

/**
 * ea_desk_set_journal:
 * @journal: (nullable): where orders, fills and the audit trail go
 */
static void
update_journal_writable (EaDesk *self)
{
  gboolean writable = ea_desk_get_journal_writable (self);

  if (writable == self->journal_writable)
    return;
  self->journal_writable = writable;

  /* The user hears of it now, not at the next refused order. */
  if (!writable)
    _ea_desk_alert (self, "system_status", EA_ALERT_PRIORITY_CRITICAL, _("Journal cannot be written"),
                    _("The trade journal cannot record anything (full disk or read-only file): new orders are "
                      "refused until it can; exits and the emergency stop still work."));
  else
    {
      _ea_desk_alert (self, "system_status", EA_ALERT_PRIORITY_MEDIUM, _("Journal writable again"),
                      _("The trade journal records again: new orders are accepted."));
      _ea_desk_audit (self, EA_ACTOR_AUTOMATIC, "journal.writable", "journal", NULL);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOURNAL_WRITABLE]);
}

static void
journal_writable_cb (EaJournal  *journal,
                     GParamSpec *pspec,
                     EaDesk     *self)
{
  update_journal_writable (self);
}

void
ea_desk_set_journal (EaDesk    *self,
                     EaJournal *journal)
{
  g_return_if_fail (EA_IS_DESK (self));

  if (self->journal == journal)
    return;

  if (self->journal != NULL)
    g_signal_handlers_disconnect_by_func (self->journal, journal_writable_cb, self);
  g_set_object (&self->journal, journal);
  if (journal != NULL)
    g_signal_connect_object (journal, "notify::writable", G_CALLBACK (journal_writable_cb), self, 0);
  update_journal_writable (self);
}

void
ea_desk_set_journal_required (EaDesk   *self,
                              gboolean  required)
{
  g_return_if_fail (EA_IS_DESK (self));

  self->journal_required = required;
  update_journal_writable (self);
}

/**
 * ea_desk_get_journal_writable:
 *
 * Returns: whether new entries can be journaled (and so be sent)
 */
gboolean
ea_desk_get_journal_writable (EaDesk *self)
{
  g_return_val_if_fail (EA_IS_DESK (self), FALSE);

  if (self->journal == NULL)
    return !self->journal_required;
  return ea_journal_get_writable (self->journal);
}

EaJournal *
ea_desk_get_journal (EaDesk *self)
{
  g_return_val_if_fail (EA_IS_DESK (self), NULL);

  return self->journal;
}

/**
 * ea_desk_set_default_profile:
 * @profile_id: the firm profile for accounts that name none
 */
void
ea_desk_set_default_profile (EaDesk     *self,
                             const char *profile_id)
{
  g_return_if_fail (EA_IS_DESK (self));

  g_free (self->default_profile);
  self->default_profile = g_strdup (profile_id);
}

EaProfileStore *
ea_desk_get_profiles (EaDesk *self)
{
  g_return_val_if_fail (EA_IS_DESK (self), NULL);

  return self->profiles;
}

EaTimeUs
_ea_desk_now (EaDesk *self)
{
  if (self->clock_func != NULL)
    return self->clock_func (self->clock_data);
  return g_get_real_time ();
}

GDateTime *
_ea_desk_now_utc (EaDesk *self)
{
  EaTimeUs now = _ea_desk_now (self);
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);

  return g_date_time_add (seconds, now % G_USEC_PER_SEC);
}

/**
 * ea_desk_get_time:
 *
 * Returns: the desk's clock (see ea_desk_set_clock())
 */
EaTimeUs
ea_desk_get_time (EaDesk *self)
{
  g_return_val_if_fail (EA_IS_DESK (self), 0);

  return _ea_desk_now (self);
}

/**
 * ea_desk_set_clock:
 * @func: (nullable): the clock, or %NULL for the wall clock
 *
 * Sets the clock the desk judges time rules by: flat-by windows, the
 * trading day, lock expiry and the times it journals. A replay runs the
 * desk on the replayed market's clock.
 */
void
ea_desk_set_clock (EaDesk          *self,
                   EaDeskClockFunc  func,
                   gpointer         user_data,
                   GDestroyNotify   destroy)
{
  g_return_if_fail (EA_IS_DESK (self));

  if (self->clock_destroy != NULL)
    self->clock_destroy (self->clock_data);
  self->clock_func = func;
  self->clock_data = user_data;
  self->clock_destroy = destroy;
}

EaMode
ea_desk_get_mode (EaDesk *self)
{
  g_return_val_if_fail (EA_IS_DESK (self), EA_MODE_DEMO);

  return self->mode;
}

EaTradingState
ea_desk_get_trading_state (EaDesk *self)
{
  g_return_val_if_fail (EA_IS_DESK (self), EA_TRADING_STATE_HALTED);

  return self->trading_state;
}

/**
 * ea_desk_get_halted:
 *
 * Returns: %TRUE while the global state lets no new order out
 *   (HALTED or LOCKED).
 */
gboolean
ea_desk_get_halted (EaDesk *self)
{
  g_return_val_if_fail (EA_IS_DESK (self), TRUE);

  return self->trading_state == EA_TRADING_STATE_HALTED ||
         self->trading_state == EA_TRADING_STATE_LOCKED;
}

const char *
ea_desk_get_halt_reason (EaDesk *self)
{
  g_return_val_if_fail (EA_IS_DESK (self), NULL);

  return self->halt_reason;
}

GDateTime *
ea_desk_get_halted_at (EaDesk *self)
{
  g_return_val_if_fail (EA_IS_DESK (self), NULL);

  return self->halted_at;
}

GDateTime *
ea_desk_get_locked_until (EaDesk *self)
{
  g_return_val_if_fail (EA_IS_DESK (self), NULL);

  return self->locked_until;
}

guint
ea_desk_get_emergency_stop_count (EaDesk *self)
{
  g_return_val_if_fail (EA_IS_DESK (self), 0);

  return self->emergency_stop_count;
}

/**
 * ea_desk_emergency_stop:
 * @actor: who triggered it
 * @reason: (nullable): why, for the banner and the audit
 *
 * Latches the global state to HALTED at once, so that no new order leaves
 * from any source, then cancels every working order, flattens every
 * account and confirms it (ea-desk-stop.c). A trigger while the pipeline
 * runs sends nothing more; one while latched after it settled runs it
 * again but latches nothing new.
 *
 * Returns: %TRUE if this call latched the stop, %FALSE if it was already
 *   latched.
 */
gboolean
ea_desk_emergency_stop (EaDesk     *self,
                        EaActor     actor,
                        const char *reason)
{
  g_return_val_if_fail (EA_IS_DESK (self), FALSE);

  if (ea_desk_get_halted (self))
    {
      if (!_ea_desk_stop_running (self))
        _ea_desk_stop_run (self, actor);
      return FALSE;
    }

  g_clear_pointer (&self->halted_at, g_date_time_unref);
  self->halted_at = _ea_desk_now_utc (self);

  g_free (self->halt_reason);
  if (reason != NULL)
    self->halt_reason = g_strdup (reason);
  else
    self->halt_reason = g_strdup_printf (_("Emergency stop by %s"), ea_actor_to_string (actor));

  self->emergency_stop_count++;
  ea_risk_engine_halt (self->risk, self->halt_reason);

  g_message ("Emergency stop (%s): %s", ea_actor_to_string (actor), self->halt_reason);

  _ea_desk_set_state (self, EA_TRADING_STATE_HALTED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HALT_REASON]);
  _ea_desk_queue_save (self);

  g_signal_emit (self, signals[EMERGENCY_STOP], 0, actor);

  _ea_desk_stop_run (self, actor);

  return TRUE;
}

/**
 * ea_desk_lock:
 * @until: when the lock expires
 * @reason: why
 *
 * Moves the global state to LOCKED: HALTED that cannot be reset before
 * @until.
 */
void
ea_desk_lock (EaDesk     *self,
              GDateTime  *until,
              const char *reason)
{
  g_return_if_fail (EA_IS_DESK (self));
  g_return_if_fail (until != NULL);
  g_return_if_fail (reason != NULL);

  if (self->halted_at == NULL)
    self->halted_at = _ea_desk_now_utc (self);

  g_clear_pointer (&self->locked_until, g_date_time_unref);
  self->locked_until = g_date_time_ref (until);

  g_free (self->lock_reason);
  self->lock_reason = g_strdup (reason);

  g_free (self->halt_reason);
  self->halt_reason = g_strdup (reason);

  ea_risk_engine_lock (self->risk, g_date_time_to_unix (until) * G_USEC_PER_SEC, reason);
  _ea_desk_audit (self, EA_ACTOR_AUTOMATIC, "desk.lock", "all-accounts", NULL);

  _ea_desk_set_state (self, EA_TRADING_STATE_LOCKED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HALT_REASON]);
  _ea_desk_queue_save (self);
}

/**
 * ea_desk_reset_emergency_stop:
 * @now: (nullable): the current time, %NULL for the clock
 *
 * Re-arms trading after an emergency stop. The caller has already asked
 * the user to confirm. Refused while a lock has not expired.
 */
gboolean
ea_desk_reset_emergency_stop (EaDesk     *self,
                              GDateTime  *now,
                              GError    **error)
{
  g_autoptr(GDateTime) clock_now = NULL;
  g_autoptr(GError) risk_error = NULL;

  g_return_val_if_fail (EA_IS_DESK (self), FALSE);

  if (!ea_desk_get_halted (self))
    {
      g_set_error_literal (error, EA_DESK_ERROR, EA_DESK_ERROR_NOT_HALTED,
                           _("Trading is not halted"));
      return FALSE;
    }

  if (now == NULL)
    now = clock_now = _ea_desk_now_utc (self);

  if (self->trading_state == EA_TRADING_STATE_LOCKED &&
      self->locked_until != NULL &&
      g_date_time_compare (now, self->locked_until) < 0)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (self->locked_until);
      g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M %Z");

      g_set_error (error, EA_DESK_ERROR, EA_DESK_ERROR_LOCKED,
                   _("Trading is locked until %s: %s"), when, self->lock_reason);
      return FALSE;
    }

  if (!ea_risk_engine_reset (self->risk, g_date_time_to_unix (now) * G_USEC_PER_SEC, &risk_error))
    {
      g_set_error (error, EA_DESK_ERROR, EA_DESK_ERROR_LOCKED, "%s", risk_error->message);
      return FALSE;
    }

  g_clear_pointer (&self->halted_at, g_date_time_unref);
  g_clear_pointer (&self->locked_until, g_date_time_unref);
  g_clear_pointer (&self->lock_reason, g_free);
  g_clear_pointer (&self->halt_reason, g_free);

  /* The per-account outcome of the last stop is history now. */
  {
    GHashTableIter iter;
    DeskAccount *a;

    g_hash_table_iter_init (&iter, self->accounts);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
      _ea_desk_set_stop_status (self, a, EA_STOP_STATUS_NONE, NULL);
  }

  _ea_desk_audit (self, EA_ACTOR_USER, "desk.reset", "emergency-stop", NULL);
  _ea_desk_risk_event (self, NULL, EA_JOURNAL_RISK_UNLOCK, "reset", NULL, EA_ACTOR_USER);
  _ea_desk_queue_save (self);
  _ea_desk_set_state (self, EA_TRADING_STATE_ACTIVE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HALT_REASON]);

  return TRUE;
}

void
_ea_desk_set_stop_status (EaDesk       *self,
                          DeskAccount  *account,
                          EaStopStatus  status,
                          const char   *reason)
{
  gboolean was_pending = ea_desk_get_stop_pending (self);

  if (account->stop_status == status && g_strcmp0 (account->stop_reason, reason) == 0)
    return;

  account->stop_status = status;
  g_free (account->stop_reason);
  account->stop_reason = g_strdup (reason);

  g_signal_emit (self, signals[STOP_STATUS_CHANGED], 0, account->name);
  if (was_pending != ea_desk_get_stop_pending (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STOP_PENDING]);
}

EaStopStatus
ea_desk_get_stop_status (EaDesk      *self,
                         const char  *account,
                         const char **reason)
{
  DeskAccount *a;

  g_return_val_if_fail (EA_IS_DESK (self), EA_STOP_STATUS_NONE);

  a = _ea_desk_account (self, account);
  if (reason != NULL)
    *reason = a ? a->stop_reason : NULL;

  return a ? a->stop_status : EA_STOP_STATUS_NONE;
}

gboolean
ea_desk_get_stop_pending (EaDesk *self)
{
  GHashTableIter iter;
  DeskAccount *a;

  g_return_val_if_fail (EA_IS_DESK (self), FALSE);

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    if (a->stop_status == EA_STOP_STATUS_STOPPING || a->stop_status == EA_STOP_STATUS_UNRESOLVED)
      return TRUE;

  return FALSE;
}

/**
 * ea_desk_add_broker:
 *
 * The desk listens to @broker from now on; its accounts appear as the
 * broker reports them. Connecting is the caller's.
 */
void
ea_desk_add_broker (EaDesk   *self,
                    EaBroker *broker)
{
  g_return_if_fail (EA_IS_DESK (self));
  g_return_if_fail (EA_IS_BROKER (broker));

  g_ptr_array_add (self->brokers, g_object_ref (broker));
  g_signal_connect (broker, "connection-state", G_CALLBACK (connection_state_cb), self);
  g_signal_connect (broker, "quote", G_CALLBACK (quote_cb), self);
  g_signal_connect (broker, "order-updated", G_CALLBACK (order_cb), self);
  g_signal_connect (broker, "fill", G_CALLBACK (fill_cb), self);
  g_signal_connect (broker, "position-changed", G_CALLBACK (position_cb), self);
  g_signal_connect (broker, "account-changed", G_CALLBACK (account_cb), self);

  if (ea_broker_get_connection_state (broker) == EA_CONNECTION_STATE_CONNECTED)
    _ea_desk_reconcile (self, broker);
}

void
ea_desk_watch_symbol (EaDesk     *self,
                      const char *symbol)
{
  g_return_if_fail (EA_IS_DESK (self));
  g_return_if_fail (symbol != NULL);

  if (g_ptr_array_find_with_equal_func (self->watched, symbol, g_str_equal, NULL))
    return;

  g_ptr_array_add (self->watched, g_strdup (symbol));
  for (guint i = 0; i < self->brokers->len; i++)
    {
      EaBroker *broker = g_ptr_array_index (self->brokers, i);

      if (ea_broker_get_connection_state (broker) == EA_CONNECTION_STATE_CONNECTED)
        ea_broker_subscribe_quotes_async (broker, symbol, NULL, subscribed_cb, NULL);
    }
  for (guint i = 0; i < self->feeds->len; i++)
    {
      EaBroker *feed = g_ptr_array_index (self->feeds, i);

      if (ea_broker_get_connection_state (feed) == EA_CONNECTION_STATE_CONNECTED)
        ea_broker_subscribe_quotes_async (feed, symbol, NULL, subscribed_cb, NULL);
    }
}

static void
feed_state_cb (EaBroker   *feed,
               guint       state,
               const char *reason,
               EaDesk     *self)
{
  if (state == EA_CONNECTION_STATE_CONNECTED)
    subscribe_watched (self, feed);
}

/**
 * ea_desk_add_quote_feed:
 *
 * @feed prices the watched symbols and nothing else: its accounts,
 * orders and fills are not the desk's. For a platform without market
 * data (NinjaTrader's ATI), whose accounts are priced by symbol from
 * another feed. Connecting is the caller's.
 */
void
ea_desk_add_quote_feed (EaDesk   *self,
                        EaBroker *feed)
{
  g_return_if_fail (EA_IS_DESK (self));
  g_return_if_fail (EA_IS_BROKER (feed));

  g_ptr_array_add (self->feeds, g_object_ref (feed));
  g_signal_connect (feed, "quote", G_CALLBACK (quote_cb), self);
  g_signal_connect (feed, "connection-state", G_CALLBACK (feed_state_cb), self);
  if (ea_broker_get_connection_state (feed) == EA_CONNECTION_STATE_CONNECTED)
    subscribe_watched (self, feed);
}

/**
 * ea_desk_get_quote_source:
 * @symbol: as the desk knows it ("ES")
 *
 * Returns: (nullable): the name of the broker whose quote priced @symbol
 * last, NULL before any quote
 */
const char *
ea_desk_get_quote_source (EaDesk     *self,
                          const char *symbol)
{
  DeskContract *c;

  g_return_val_if_fail (EA_IS_DESK (self), NULL);

  c = symbol ? g_hash_table_lookup (self->contracts, symbol) : NULL;
  if (c == NULL || c->quote_source == NULL)
    {
      /* Another venue's name of the instrument ("ES 12-26" for "ES"). */
      const EaInstrumentSpec *spec = ea_desk_lookup_spec (symbol);
      GHashTableIter iter;
      DeskContract *other;

      g_hash_table_iter_init (&iter, self->contracts);
      while (spec != NULL && g_hash_table_iter_next (&iter, NULL, (gpointer *) &other))
        if (other->spec == spec && other->quote_source != NULL)
          return other->quote_source;
      return NULL;
    }
  return c->quote_source;
}

/**
 * ea_desk_get_brokers:
 *
 * Returns: (transfer none) (element-type EaBroker): the brokers
 */
GPtrArray *
ea_desk_get_brokers (EaDesk *self)
{
  g_return_val_if_fail (EA_IS_DESK (self), NULL);

  return self->brokers;
}

/**
 * ea_desk_get_store:
 *
 * Returns: (transfer none): the model the UI binds to
 */
EaTradingStore *
ea_desk_get_store (EaDesk *self)
{
  g_return_val_if_fail (EA_IS_DESK (self), NULL);

  return self->store;
}

gboolean
ea_desk_set_account_profile (EaDesk              *self,
                             const char          *account,
                             const EaRiskProfile *profile,
                             guint                safety_pct,
                             GError             **error)
{
  DeskAccount *a;
  EaTimeUs now = _ea_desk_now (self);

  g_return_val_if_fail (EA_IS_DESK (self), FALSE);
  g_return_val_if_fail (profile != NULL, FALSE);

  a = _ea_desk_account (self, account);
  if (a == NULL)
    {
      g_set_error (error, EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_ACCOUNT,
                   _("No account %s"), account);
      return FALSE;
    }

  if (a->risk_index < 0)
    {
      a->risk_index = ea_risk_engine_add_account (self->risk, a->name, profile, safety_pct, now, error);
      if (a->risk_index < 0)
        return FALSE;
      ea_risk_engine_set_broker_restriction (self->risk, a->risk_index, a->restriction, a->restriction_text);
      _ea_desk_risk_resync (self);
    }
  else if (!ea_risk_engine_set_profile (self->risk, a->risk_index, profile, now, error) ||
           !ea_risk_engine_set_safety (self->risk, a->risk_index, safety_pct, now, error))
    return FALSE;

  {
    g_autofree char *details = g_strdup_printf ("{\"profile\":\"%s\",\"safety\":%u}", profile->id, safety_pct);
    _ea_desk_risk_event (self, a, EA_JOURNAL_RISK_LIMIT_CHANGE, profile->id, details, EA_ACTOR_USER);
  }
  evaluate_account (self, a);
  g_signal_emit (self, signals[RISK_CHANGED], 0, a->name);

  return TRUE;
}

gboolean
ea_desk_get_account_profile (EaDesk        *self,
                             const char    *account,
                             EaRiskProfile *profile)
{
  DeskAccount *a;

  g_return_val_if_fail (EA_IS_DESK (self), FALSE);
  g_return_val_if_fail (profile != NULL, FALSE);

  a = account ? _ea_desk_account (self, account) : NULL;
  if (a == NULL || a->risk_index < 0)
    return FALSE;
  *profile = *ea_risk_engine_get_profile (self->risk, a->risk_index);
  return TRUE;
}

gboolean
ea_desk_get_risk_status (EaDesk       *self,
                         const char   *account,
                         EaRiskStatus *status)
{
  DeskAccount *a;

  g_return_val_if_fail (EA_IS_DESK (self), FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  a = _ea_desk_account (self, account);
  if (a == NULL || a->risk_index < 0)
    return FALSE;

  ea_risk_engine_get_status (self->risk, a->risk_index, _ea_desk_now (self), status);
  return TRUE;
}

void
ea_desk_tick (EaDesk *self)
{
  GHashTableIter iter;
  DeskAccount *a;

  g_return_if_fail (EA_IS_DESK (self));

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    evaluate_account (self, a);

  /* Peaks move without events: keep the journal's copy recent. */
  if (++self->ticks % 5 == 0)
    _ea_desk_queue_save (self);
}

void
ea_desk_set_account_enabled (EaDesk     *self,
                             const char *account,
                             gboolean    enabled)
{
  DeskAccount *a;

  g_return_if_fail (EA_IS_DESK (self));

  a = _ea_desk_account (self, account);
  if (a == NULL || a->enabled == enabled)
    return;

  a->enabled = enabled;
  _ea_desk_audit (self, EA_ACTOR_USER, enabled ? "account.enabled" : "account.disabled", account, NULL);
  g_signal_emit (self, signals[RISK_CHANGED], 0, account);
}

gboolean
ea_desk_get_account_enabled (EaDesk     *self,
                             const char *account)
{
  DeskAccount *a;

  g_return_val_if_fail (EA_IS_DESK (self), FALSE);

  a = _ea_desk_account (self, account);
  return a != NULL && a->enabled;
}

/* Persistence ---------------------------------------------------------- */

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ea_journal_save_day_state_finish (EA_JOURNAL (object), result, &error))
    g_message ("Could not save the risk state: %s", error->message);
}

void
ea_desk_save_now (EaDesk *self)
{
  g_autoptr(GVariant) record = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GDateTime) now = _ea_desk_now_utc (self);
  guint32 day = ea_session_trading_day (now);
  g_autofree char *day_text = g_strdup_printf ("%04u-%02u-%02u", day / 10000, day / 100 % 100, day % 100);
  GHashTableIter iter;
  DeskAccount *a;

  g_return_if_fail (EA_IS_DESK (self));

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->journal == NULL)
    return;

  /* Boxed in a "v", so the record names its own type. */
  record = g_variant_ref_sink (g_variant_new_variant (ea_risk_engine_save (self->risk)));
  bytes = g_variant_get_data_as_bytes (record);

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    {
      EaJournalDayState state = { 0 };
      EaRiskStatus status;

      if (a->journal_id <= 0 || a->risk_index < 0)
        continue;

      ea_risk_engine_get_status (self->risk, a->risk_index, _ea_desk_now (self), &status);
      state.account_id = a->journal_id;
      state.trading_day = day_text;
      state.start_balance_micros = status.start_balance;
      state.peak_equity_micros = status.peak;
      state.floor_micros = status.floor;
      state.day_pnl_micros = status.day_pnl;
      state.lock_state = status.state;
      state.lock_until_us = status.lock_until;
      state.lock_reason = (char *) status.lock_reason;
      state.risk_state = bytes;
      state.updated_us = _ea_desk_now (self);

      ea_journal_save_day_state_async (self->journal, &state, NULL, saved_cb, NULL);
    }
}

static gboolean
save_cb (gpointer user_data)
{
  EaDesk *self = EA_DESK (user_data);

  self->save_source = 0;
  ea_desk_save_now (self);

  return G_SOURCE_REMOVE;
}

void
_ea_desk_queue_save (EaDesk *self)
{
  if (self->journal != NULL && self->save_source == 0)
    self->save_source = g_timeout_add (500, save_cb, self);
}

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaDesk *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(EaJournalDayState) state = ea_journal_load_day_state_finish (EA_JOURNAL (object), result, &error);
  g_autoptr(GVariant) record = NULL;
  EaRiskEngine *engine;
  EaTimeUs lock_until = 0;
  const char *reason = NULL;
  EaTradingState global;
  GHashTableIter iter;
  DeskAccount *a;

  if (state == NULL || state->risk_state == NULL)
    {
      if (error != NULL && !g_error_matches (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_NOT_FOUND))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, FALSE);
      return;
    }

  record = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARIANT, state->risk_state, FALSE));
  {
    g_autoptr(GVariant) inner = g_variant_get_variant (record);
    engine = ea_risk_engine_restore (inner, &error);
  }
  if (engine == NULL)
    {
      /* Never half-restored: keep the fresh state, and say so loudly. */
      _ea_desk_alert (self, "risk_warning", 3, _("Risk state not restored"), error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  ea_risk_engine_free (self->risk);
  self->risk = engine;

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    a->risk_index = ea_risk_engine_find_account (self->risk, a->name);
  /* Working orders are not in the record: the desk knows them. */
  _ea_desk_risk_resync (self);

  global = ea_risk_engine_get_global_state (self->risk, _ea_desk_now (self), &lock_until, &reason);
  if (global == EA_TRADING_STATE_LOCKED && lock_until > 0)
    {
      g_autoptr(GDateTime) until = g_date_time_new_from_unix_utc (lock_until / G_USEC_PER_SEC);

      ea_desk_lock (self, until, reason ? reason : _("Locked before the restart"));
    }
  else if (global == EA_TRADING_STATE_HALTED)
    {
      g_free (self->halt_reason);
      self->halt_reason = g_strdup (reason ? reason : _("Halted before the restart"));
      self->halted_at = _ea_desk_now_utc (self);
      _ea_desk_set_state (self, EA_TRADING_STATE_HALTED);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HALT_REASON]);
    }

  _ea_desk_audit (self, EA_ACTOR_AUTOMATIC, "risk.restored", state->trading_day, NULL);
  g_task_return_boolean (task, TRUE);
}

void
ea_desk_restore_async (EaDesk              *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EA_IS_DESK (self));

  task = g_task_new (self, cancellable, callback, user_data);
  if (self->journal == NULL)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }

  _ea_desk_restore_orders (self);
  ea_journal_load_day_state_async (self->journal, 0, NULL, cancellable, restored_cb, g_steal_pointer (&task));
}

gboolean
ea_desk_restore_finish (EaDesk        *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
