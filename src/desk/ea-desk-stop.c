/* ea-desk-stop.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The emergency-stop pipeline (DOMAIN §8), once the global state has
 * latched: for every broker, cancel every working order, flatten every
 * position, then re-query until each account is confirmed flat, with
 * retries and backoff. An account whose broker is away stays UNRESOLVED
 * and the pipeline resumes when the broker reconnects; one still open
 * on a broker that is there is UNRESOLVED after a few checks and asked
 * again without end. The profile's flat-by time runs the same pipeline
 * for the accounts due. Every step is audited with its time.
 */
#define G_LOG_DOMAIN "ea-desk"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-alert.h"
#include "ea-desk-private.h"

#define MAX_CONFIRM_ATTEMPTS 6
#define FIRST_RETRY_MS       50
#define MAX_RETRY_MS         1000

/* One broker's part of a stop: every account it carries, or one. The
 * desk keeps the runs in stop_runs; a run it lets go (a new trigger, the
 * desk going away) is detached and frees itself when its request is
 * answered. */
typedef struct
{
  EaDesk   *desk;        /* not owned; NULL once detached */
  EaBroker *broker;
  char     *account;     /* NULL: every account of the broker */
  guint     attempt;
  guint     retry_id;
  gboolean  first_pass;  /* the requests counted in requests_out_us */
} StopRun;

static void pass (StopRun *run);

static void
audit_step (EaDesk     *self,
            EaBroker   *broker,
            const char *step,
            const char *outcome)
{
  g_autofree char *details =
    g_strdup_printf ("{\"broker\":\"%s\",\"step\":\"%s\",\"ms\":%.3f,\"outcome\":\"%s\"}",
                     ea_broker_get_name (broker), step,
                     (g_get_monotonic_time () - self->stop_started_us) / 1000.0,
                     outcome ? outcome : "ok");

  _ea_desk_audit (self, EA_ACTOR_AUTOMATIC, "estop.step", step, details);
}

static gboolean
run_covers (StopRun     *run,
            DeskAccount *a)
{
  return a->broker == run->broker &&
         (run->account == NULL || g_strcmp0 (run->account, a->name) == 0);
}

static void
set_run_accounts (StopRun      *run,
                  EaStopStatus  status,
                  const char   *reason)
{
  GHashTableIter iter;
  DeskAccount *a;

  g_hash_table_iter_init (&iter, run->desk->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    if (run_covers (run, a))
      _ea_desk_set_stop_status (run->desk, a, status, reason);
}

/* The outcome of every account in the stop: the audit, a critical
 * notification with sound, and the banner's text. @done: the pipeline
 * has settled; otherwise an account is still open and it keeps trying. */
static void
announce (EaDesk   *self,
          gboolean  done)
{
  GHashTableIter iter;
  DeskAccount *a;
  guint flat = 0, unresolved = 0;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *details = NULL;
  g_autofree char *title = NULL;
  double ms = (g_get_monotonic_time () - self->stop_started_us) / 1000.0;
  const char *label = self->stop_label ? self->stop_label : _("Emergency stop");

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    {
      if (a->stop_status == EA_STOP_STATUS_FLAT)
        flat++;
      else if (a->stop_status == EA_STOP_STATUS_UNRESOLVED)
        {
          unresolved++;
          g_string_append_printf (body, "%s%s: %s", body->len ? "; " : "", a->name,
                                  a->stop_reason ? a->stop_reason : _("not confirmed"));
        }
    }

  details = g_strdup_printf ("{\"flat\":%u,\"unresolved\":%u,\"ms\":%.3f}", flat, unresolved, ms);
  if (done)
    {
      self->confirmed_us = g_get_monotonic_time () - self->stop_started_us;
      _ea_desk_audit (self, EA_ACTOR_AUTOMATIC, "estop.done", unresolved ? "unresolved" : "flat", details);
    }
  else
    _ea_desk_audit (self, EA_ACTOR_AUTOMATIC, "estop.unresolved", "retrying", details);

  if (unresolved == 0)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("%u account confirmed flat, no working order.",
                                                         "%u accounts confirmed flat, no working order.", flat),
                                               flat);
      /* TRANSLATORS: "Emergency stop: flat" or "Flat-by time: flat" */
      title = g_strdup_printf (_("%s: flat"), label);
      _ea_desk_alert (self, "emergency_stop", EA_ALERT_PRIORITY_CRITICAL, title, text);
    }
  else
    {
      if (!done)
        g_string_append (body, _(" — still trying"));
      /* TRANSLATORS: "Emergency stop: UNRESOLVED" */
      title = g_strdup_printf (_("%s: UNRESOLVED"), label);
      _ea_desk_alert (self, "emergency_stop", EA_ALERT_PRIORITY_CRITICAL, title, body->str);
    }
}

static void
run_free (StopRun *run)
{
  g_clear_handle_id (&run->retry_id, g_source_remove);
  g_object_unref (run->broker);
  g_free (run->account);
  g_free (run);
}

static void
run_finished (StopRun *run)
{
  EaDesk *self = run->desk;

  if (self != NULL)
    g_ptr_array_remove (self->stop_runs, run);
  run_free (run);
  if (self == NULL)
    return;

  if (self->stop_runs->len == 0)
    announce (self, TRUE);
}

/* Lets every run go: their answers, when they come, are dropped. */
static void
detach_runs (EaDesk *self)
{
  for (guint i = 0; i < self->stop_runs->len; i++)
    {
      StopRun *run = g_ptr_array_index (self->stop_runs, i);

      if (run->retry_id != 0)
        run_free (run);
      else
        run->desk = NULL;
    }
  g_ptr_array_set_size (self->stop_runs, 0);
}

static gboolean
retry_cb (gpointer user_data)
{
  StopRun *run = user_data;

  run->retry_id = 0;
  /* Whatever is still open is cancelled and flattened again, then
   * checked again. */
  run->first_pass = FALSE;
  pass (run);

  return G_SOURCE_REMOVE;
}

static void
schedule_retry (StopRun *run)
{
  guint shift = MIN (run->attempt - 1, 16u);

  run->retry_id = g_timeout_add (MIN ((guint) FIRST_RETRY_MS << shift, (guint) MAX_RETRY_MS), retry_cb, run);
}

/* A request failed: a broker that is away is retried when it is back; a
 * broker still there is asked again. */
static void
request_failed (StopRun    *run,
                const char *step,
                GError     *error)
{
  EaDesk *self = run->desk;

  audit_step (self, run->broker, step, error->message);
  if (ea_broker_get_connection_state (run->broker) != EA_CONNECTION_STATE_CONNECTED)
    {
      g_autofree char *reason = g_strdup_printf (_("disconnected (%s): retried when the connection is back"),
                                                 error->message);
      GHashTableIter iter;
      DeskAccount *a;

      /* An account the disconnect already marked keeps its reason. */
      g_hash_table_iter_init (&iter, self->accounts);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
        if (run_covers (run, a) && a->stop_status != EA_STOP_STATUS_UNRESOLVED)
          _ea_desk_set_stop_status (self, a, EA_STOP_STATUS_UNRESOLVED, reason);
      run_finished (run);
      return;
    }

  run->attempt++;
  if (run->attempt >= MAX_CONFIRM_ATTEMPTS)
    {
      g_autofree char *reason = g_strdup_printf (_("not confirmed after %u tries: %s"), run->attempt, error->message);

      set_run_accounts (run, EA_STOP_STATUS_UNRESOLVED, reason);
      if (run->attempt % MAX_CONFIRM_ATTEMPTS == 0)
        announce (self, FALSE);
    }
  schedule_retry (run);
}

static void
confirmed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  StopRun *run = user_data;
  EaDesk *self = run->desk;
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSnapshotData) snapshot = ea_broker_snapshot_finish (run->broker, result, &error);
  g_autoptr(GString) open = g_string_new (NULL);
  g_autoptr(GHashTable) dirty = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean still_open = FALSE;
  GHashTableIter iter;
  DeskAccount *a;

  if (self == NULL)
    {
      run_finished (run);
      return;
    }

  if (snapshot == NULL)
    {
      request_failed (run, "confirm", error);
      return;
    }

  for (guint i = 0; i < snapshot->orders->len; i++)
    {
      const EaOrderData *o = g_ptr_array_index (snapshot->orders, i);

      if (ea_order_state_is_live (o->state) &&
          (run->account == NULL || g_strcmp0 (run->account, o->account) == 0))
        {
          g_hash_table_add (dirty, o->account);
          g_string_append_printf (open, "%s%s: order %s", open->len ? ", " : "", o->account, o->client_order_id);
        }
    }
  for (guint i = 0; i < snapshot->positions->len; i++)
    {
      const EaPositionData *p = g_ptr_array_index (snapshot->positions, i);

      if (p->qty != 0 && (run->account == NULL || g_strcmp0 (run->account, p->account) == 0))
        {
          g_hash_table_add (dirty, p->account);
          g_string_append_printf (open, "%s%s: %+" G_GINT64_FORMAT " %s", open->len ? ", " : "",
                                  p->account, p->qty, p->symbol);
        }
    }

  /* Confirmed accounts are flat now; the others wait for a retry. */
  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    if (run_covers (run, a) && !g_hash_table_contains (dirty, a->name))
      _ea_desk_set_stop_status (self, a, EA_STOP_STATUS_FLAT, NULL);

  if (g_hash_table_size (dirty) == 0)
    {
      audit_step (self, run->broker, "confirmed-flat", NULL);
      run_finished (run);
      return;
    }

  run->attempt++;
  if (run->attempt >= MAX_CONFIRM_ATTEMPTS)
    {
      g_autofree char *reason = g_strdup_printf (_("still open after %u checks: %s"), run->attempt, open->str);

      g_hash_table_iter_init (&iter, self->accounts);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
        if (run_covers (run, a) && g_hash_table_contains (dirty, a->name))
          _ea_desk_set_stop_status (self, a, EA_STOP_STATUS_UNRESOLVED, reason);
      audit_step (self, run->broker, "unresolved", open->str);
      still_open = TRUE;
    }
  else
    audit_step (self, run->broker, "retry", open->str);

  /* A broker that is there but leaves something open is asked again,
   * without end, and the trader told again every few checks. */
  if (still_open && run->attempt % MAX_CONFIRM_ATTEMPTS == 0)
    announce (self, FALSE);
  schedule_retry (run);
}

static void
flattened_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  StopRun *run = user_data;
  g_autoptr(GError) error = NULL;

  ea_broker_flatten_finish (run->broker, result, &error);
  if (run->desk == NULL)
    {
      run_finished (run);
      return;
    }

  audit_step (run->desk, run->broker, "flatten", error ? error->message : NULL);
  if (g_error_matches (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED))
    {
      request_failed (run, "flatten", error);
      return;
    }

  ea_broker_snapshot_async (run->broker, run->account, NULL, confirmed_cb, run);
}

static void
cancelled_all_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  StopRun *run = user_data;
  EaDesk *self = run->desk;
  g_autoptr(GError) error = NULL;

  ea_broker_cancel_all_finish (run->broker, result, &error);
  if (self == NULL)
    {
      run_finished (run);
      return;
    }

  audit_step (self, run->broker, "cancel-all", error ? error->message : NULL);

  /* Flatten even if a cancel failed: the confirmation tells. */
  ea_broker_flatten_async (run->broker, run->account, NULL, NULL, flattened_cb, run);

  if (run->first_pass && self->flatten_pending > 0 && --self->flatten_pending == 0)
    self->requests_out_us = g_get_monotonic_time () - self->stop_started_us;
}

static void
pass (StopRun *run)
{
  ea_broker_cancel_all_async (run->broker, run->account, NULL, NULL, cancelled_all_cb, run);
}

static StopRun *
find_run (EaDesk     *self,
          EaBroker   *broker,
          const char *account)
{
  for (guint i = 0; i < self->stop_runs->len; i++)
    {
      StopRun *run = g_ptr_array_index (self->stop_runs, i);

      if (run->broker == broker &&
          (run->account == NULL || g_strcmp0 (run->account, account) == 0))
        return run;
    }

  return NULL;
}

/* @account: NULL for every account of @broker. */
static void
stop_broker (EaDesk     *self,
             EaBroker   *broker,
             const char *account,
             gboolean    first_pass)
{
  StopRun *run;

  /* Already on it: one pipeline, no second round of requests. Nothing
   * starts on a desk going away. */
  if (self->stop_runs == NULL || find_run (self, broker, account) != NULL)
    return;

  run = g_new0 (StopRun, 1);
  run->desk = self;
  run->broker = g_object_ref (broker);
  run->account = g_strdup (account);
  run->first_pass = first_pass;

  if (ea_broker_get_connection_state (broker) != EA_CONNECTION_STATE_CONNECTED)
    {
      set_run_accounts (run, EA_STOP_STATUS_UNRESOLVED,
                        _("disconnected: retried when the connection is back"));
      audit_step (self, broker, "unreachable", ea_connection_state_to_string (ea_broker_get_connection_state (broker)));
      run_free (run);
      return;
    }

  g_ptr_array_add (self->stop_runs, run);
  set_run_accounts (run, EA_STOP_STATUS_STOPPING, NULL);
  pass (run);
}

gboolean
_ea_desk_stop_running (EaDesk *self)
{
  return self->stop_runs != NULL && self->stop_runs->len > 0;
}

void
_ea_desk_stop_run (EaDesk  *self,
                   EaActor  actor)
{
  g_autofree char *details = NULL;
  g_autoptr(GPtrArray) brokers = NULL;

  if (self->stop_runs == NULL)
    return;
  brokers = g_ptr_array_copy (self->brokers, (GCopyFunc) g_object_ref, NULL);

  /* A flat-by run in flight is taken over by the whole stop. */
  detach_runs (self);
  g_clear_pointer (&self->stop_label, g_free);
  self->stop_started_us = g_get_monotonic_time ();
  self->requests_out_us = -1;
  self->confirmed_us = -1;

  details = g_strdup_printf ("{\"actor\":\"%s\",\"reason\":\"%s\",\"brokers\":%u}",
                             ea_actor_to_string (actor), self->halt_reason ? self->halt_reason : "",
                             self->brokers->len);
  _ea_desk_audit (self, actor, "estop.start", "all-accounts", details);
  _ea_desk_alert (self, "emergency_stop", EA_ALERT_PRIORITY_CRITICAL, _("Emergency stop"),
                  _("Trading halted: cancelling every order and flattening every account."));

  /* Every request goes out before the first reply is handled. */
  g_ptr_array_set_free_func (brokers, g_object_unref);
  self->flatten_pending = 0;
  for (guint i = 0; i < brokers->len; i++)
    if (ea_broker_get_connection_state (g_ptr_array_index (brokers, i)) == EA_CONNECTION_STATE_CONNECTED)
      self->flatten_pending++;
  for (guint i = 0; i < brokers->len; i++)
    stop_broker (self, g_ptr_array_index (brokers, i), NULL, TRUE);

  if (self->stop_runs->len == 0)
    announce (self, TRUE);
}

/**
 * _ea_desk_stop_accounts:
 * @accounts: names of the accounts to stop
 * @label: what the announcement is called ("Flat-by time")
 *
 * The same pipeline for some accounts only (cancel, flatten, confirm
 * flat, retried): the profile's flat-by time. The global state is the
 * caller's; a whole stop in flight already covers them.
 */
void
_ea_desk_stop_accounts (EaDesk      *self,
                        const char **accounts,
                        guint        n_accounts,
                        const char  *label)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *details = NULL;

  if (self->stop_runs == NULL)
    return;
  if (self->stop_runs->len == 0)
    {
      g_free (self->stop_label);
      self->stop_label = g_strdup (label);
      self->stop_started_us = g_get_monotonic_time ();
      self->requests_out_us = -1;
      self->confirmed_us = -1;
    }

  for (guint i = 0; i < n_accounts; i++)
    g_string_append_printf (names, "%s\"%s\"", i ? "," : "", accounts[i]);
  details = g_strdup_printf ("{\"actor\":\"automatic\",\"reason\":\"%s\",\"accounts\":[%s]}",
                             label, names->str);
  _ea_desk_audit (self, EA_ACTOR_AUTOMATIC, "estop.start", "accounts", details);

  for (guint i = 0; i < n_accounts; i++)
    {
      DeskAccount *a = _ea_desk_account (self, accounts[i]);

      if (a != NULL && a->broker != NULL)
        stop_broker (self, a->broker, a->name, FALSE);
    }

  if (self->stop_runs->len == 0)
    announce (self, TRUE);
}

/* A broker came back: accounts left UNRESOLVED are stopped again. */
void
_ea_desk_stop_broker_connected (EaDesk   *self,
                                EaBroker *broker)
{
  GHashTableIter iter;
  DeskAccount *a;
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (g_free);

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    if (a->broker == broker && a->stop_status == EA_STOP_STATUS_UNRESOLVED)
      g_ptr_array_add (pending, g_strdup (a->name));

  if (pending->len == 0)
    return;

  audit_step (self, broker, "resume", NULL);
  if (ea_desk_get_halted (self))
    stop_broker (self, broker, NULL, FALSE);
  else
    for (guint i = 0; i < pending->len; i++)
      stop_broker (self, broker, g_ptr_array_index (pending, i), FALSE);
}

void
_ea_desk_stop_broker_lost (EaDesk     *self,
                           EaBroker   *broker,
                           const char *reason)
{
  GHashTableIter iter;
  DeskAccount *a;
  g_autofree char *text = g_strdup_printf (_("disconnected (%s): retried when the connection is back"),
                                           reason ? reason : _("no reason given"));

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    if (a->broker == broker &&
        (a->stop_status == EA_STOP_STATUS_STOPPING || a->stop_status == EA_STOP_STATUS_UNRESOLVED))
      _ea_desk_set_stop_status (self, a, EA_STOP_STATUS_UNRESOLVED, text);
}

void
_ea_desk_stop_dispose (EaDesk *self)
{
  if (self->stop_runs != NULL)
    detach_runs (self);
  g_clear_pointer (&self->stop_runs, g_ptr_array_unref);
  g_clear_pointer (&self->stop_label, g_free);
}

/**
 * ea_desk_get_stop_timing:
 * @requests_out_us: (out) (optional): from the trigger to the last flatten
 *   request handed to a broker (cancels go first), or -1
 * @confirmed_us: (out) (optional): from the trigger to every account
 *   settled (flat or unresolved), or -1
 *
 * The timings of the last emergency stop, for the audit and benchmarks.
 */
void
ea_desk_get_stop_timing (EaDesk *self,
                         gint64 *requests_out_us,
                         gint64 *confirmed_us)
{
  g_return_if_fail (EA_IS_DESK (self));

  if (requests_out_us != NULL)
    *requests_out_us = self->requests_out_us;
  if (confirmed_us != NULL)
    *confirmed_us = self->confirmed_us;
}

typedef struct
{
  EaDesk   *desk;
  EaBroker *broker;
} DisconnectTimer;

static gboolean
broker_has_exposure (EaDesk   *self,
                     EaBroker *broker)
{
  GHashTableIter iter;
  DeskAccount *a;

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    {
      GHashTableIter piter;
      DeskPosition *p;

      if (a->broker != broker)
        continue;
      g_hash_table_iter_init (&piter, a->positions);
      while (g_hash_table_iter_next (&piter, NULL, (gpointer *) &p))
        if (p->qty != 0)
          return TRUE;
    }

  return FALSE;
}

static gboolean
disconnect_timeout_cb (gpointer user_data)
{
  DisconnectTimer *timer = user_data;
  EaDesk *self = timer->desk;
  g_autofree char *reason = g_strdup_printf (_("%s stayed disconnected for %u s with positions open"),
                                             ea_broker_get_name (timer->broker), self->disconnect_stop_s);

  g_hash_table_remove (self->disconnect_timers, timer->broker);
  ea_desk_emergency_stop (self, EA_ACTOR_AUTOMATIC, reason);

  return G_SOURCE_REMOVE;
}

/* The optional policy: a broker away longer than N seconds while its
 * accounts hold positions triggers the emergency stop. */
void
_ea_desk_disconnect_policy (EaDesk   *self,
                            EaBroker *broker,
                            gboolean  connected)
{
  if (connected || self->disconnect_stop_s == 0)
    {
      g_hash_table_remove (self->disconnect_timers, broker);
      return;
    }

  if (g_hash_table_contains (self->disconnect_timers, broker) || !broker_has_exposure (self, broker))
    return;

  {
    DisconnectTimer *timer = g_new0 (DisconnectTimer, 1);
    guint id;

    timer->desk = self;
    timer->broker = broker;
    id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, self->disconnect_stop_s,
                                     disconnect_timeout_cb, timer, g_free);
    g_hash_table_insert (self->disconnect_timers, broker, GUINT_TO_POINTER (id));
  }
}

/**
 * ea_desk_set_disconnect_stop:
 * @seconds: 0 turns the policy off (the default)
 */
void
ea_desk_set_disconnect_stop (EaDesk *self,
                             guint   seconds)
{
  g_return_if_fail (EA_IS_DESK (self));

  self->disconnect_stop_s = seconds;
  if (seconds == 0)
    g_hash_table_remove_all (self->disconnect_timers);
}
