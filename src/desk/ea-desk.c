/* ea-desk.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaDesk is the one controller: it holds the trading mode and the global
 * trading state, listens to every broker, keeps the model, the risk
 * engine and the ledger current, and journals what happens. Here: the
 * object, the global state (emergency stop, lock, reset), the clock, the
 * public getters and the persistence of the risk state. The brokers and
 * their signals live in ea-desk-brokers.c, accounts and their risk in
 * ea-desk-accounts.c, journal records in ea-desk-journal.c, orders in
 * ea-desk-orders.c, the emergency stop in ea-desk-stop.c.
 */
#define G_LOG_DOMAIN "ea-desk"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-alert.h"
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

/* EaDesk::risk-changed for @account. */
void
_ea_desk_risk_changed (EaDesk     *self,
                       const char *account)
{
  g_signal_emit (self, signals[RISK_CHANGED], 0, account);
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
  ea_ledger_set_trade_func (self->ledger, _ea_desk_ledger_trade_cb, self);
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
  g_autoptr(GVariant) saved = NULL;
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
  saved = ea_risk_engine_save (self->risk);
  record = g_variant_ref_sink (g_variant_new_variant (saved));
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
