/* ea-desk-stop.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The emergency-stop pipeline (DOMAIN §8), once the global state has
 * latched: for every broker, cancel every working order, flatten every
 * position, then re-query until each account is confirmed flat, with
 * retries and backoff. An account that cannot be confirmed stays
 * UNRESOLVED and the pipeline resumes when its broker reconnects. Every
 * step is audited with its time.
 */
#define G_LOG_DOMAIN "ea-desk"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-alert.h"
#include "ea-desk-private.h"

#define MAX_CONFIRM_ATTEMPTS 6
#define FIRST_RETRY_MS       50

typedef struct
{
  EaDesk   *desk;
  EaBroker *broker;
  guint     generation;
  guint     attempt;
  gint64    started_us;
} StopRun;

static void stop_broker (EaDesk *self, EaBroker *broker);
static void confirm (StopRun *run);

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

static void
set_broker_accounts (EaDesk       *self,
                     EaBroker     *broker,
                     EaStopStatus  status,
                     const char   *reason)
{
  GHashTableIter iter;
  DeskAccount *a;

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    if (a->broker == broker)
      _ea_desk_set_stop_status (self, a, status, reason);
}

static void
announce (EaDesk *self)
{
  GHashTableIter iter;
  DeskAccount *a;
  guint flat = 0, unresolved = 0;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *details = NULL;
  double ms = (g_get_monotonic_time () - self->stop_started_us) / 1000.0;

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

  self->confirmed_us = g_get_monotonic_time () - self->stop_started_us;
  details = g_strdup_printf ("{\"flat\":%u,\"unresolved\":%u,\"ms\":%.3f}", flat, unresolved, ms);
  _ea_desk_audit (self, EA_ACTOR_AUTOMATIC, "estop.done", unresolved ? "unresolved" : "flat", details);

  if (unresolved == 0)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("%u account confirmed flat, no working order.",
                                                         "%u accounts confirmed flat, no working order.", flat),
                                               flat);
      _ea_desk_alert (self, "emergency_stop", 3, _("Emergency stop: flat"), text);
    }
  else
    _ea_desk_alert (self, "emergency_stop", 3, _("Emergency stop: UNRESOLVED"), body->str);
}

static void
run_finished (StopRun *run)
{
  EaDesk *self = run->desk;

  if (self->stop_running > 0)
    self->stop_running--;

  if (run->generation == self->stop_generation && self->stop_running == 0)
    announce (self);

  g_object_unref (run->broker);
  g_object_unref (run->desk);
  g_free (run);
}

static gboolean
stale (StopRun *run)
{
  return run->generation != run->desk->stop_generation;
}

static gboolean
retry_cb (gpointer user_data)
{
  StopRun *run = user_data;

  if (stale (run))
    {
      run_finished (run);
      return G_SOURCE_REMOVE;
    }

  /* Whatever is still open is flattened again, then checked again. */
  ea_broker_flatten_async (run->broker, NULL, NULL, NULL, NULL, NULL);
  confirm (run);

  return G_SOURCE_REMOVE;
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
  GHashTableIter iter;
  DeskAccount *a;

  if (stale (run))
    {
      run_finished (run);
      return;
    }

  if (snapshot == NULL)
    {
      set_broker_accounts (self, run->broker, EA_STOP_STATUS_UNRESOLVED, error->message);
      audit_step (self, run->broker, "confirm", error->message);
      run_finished (run);
      return;
    }

  for (guint i = 0; i < snapshot->orders->len; i++)
    {
      const EaOrderData *o = g_ptr_array_index (snapshot->orders, i);

      if (ea_order_state_is_live (o->state))
        {
          g_hash_table_add (dirty, o->account);
          g_string_append_printf (open, "%s%s: order %s", open->len ? ", " : "", o->account, o->client_order_id);
        }
    }
  for (guint i = 0; i < snapshot->positions->len; i++)
    {
      const EaPositionData *p = g_ptr_array_index (snapshot->positions, i);

      if (p->qty != 0)
        {
          g_hash_table_add (dirty, p->account);
          g_string_append_printf (open, "%s%s: %+" G_GINT64_FORMAT " %s", open->len ? ", " : "",
                                  p->account, p->qty, p->symbol);
        }
    }

  /* Confirmed accounts are flat now; the others wait for a retry. */
  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    if (a->broker == run->broker && !g_hash_table_contains (dirty, a->name))
      _ea_desk_set_stop_status (self, a, EA_STOP_STATUS_FLAT, NULL);

  if (g_hash_table_size (dirty) == 0)
    {
      audit_step (self, run->broker, "confirmed-flat", NULL);
      run_finished (run);
      return;
    }

  if (++run->attempt >= MAX_CONFIRM_ATTEMPTS)
    {
      g_autofree char *reason = g_strdup_printf (_("still open after %u checks: %s"), run->attempt, open->str);

      g_hash_table_iter_init (&iter, self->accounts);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
        if (a->broker == run->broker && g_hash_table_contains (dirty, a->name))
          _ea_desk_set_stop_status (self, a, EA_STOP_STATUS_UNRESOLVED, reason);
      audit_step (self, run->broker, "unresolved", open->str);
      run_finished (run);
      return;
    }

  audit_step (self, run->broker, "retry", open->str);
  g_timeout_add (FIRST_RETRY_MS << (run->attempt - 1), retry_cb, run);
}

static void
confirm (StopRun *run)
{
  ea_broker_snapshot_async (run->broker, NULL, NULL, confirmed_cb, run);
}

static void
flattened_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  StopRun *run = user_data;
  g_autoptr(GError) error = NULL;

  ea_broker_flatten_finish (run->broker, result, &error);
  audit_step (run->desk, run->broker, "flatten", error ? error->message : NULL);

  if (g_error_matches (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED))
    {
      set_broker_accounts (run->desk, run->broker, EA_STOP_STATUS_UNRESOLVED, error->message);
      run_finished (run);
      return;
    }

  confirm (run);
}

static void
cancelled_all_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  StopRun *run = user_data;
  g_autoptr(GError) error = NULL;

  ea_broker_cancel_all_finish (run->broker, result, &error);
  audit_step (run->desk, run->broker, "cancel-all", error ? error->message : NULL);

  /* Flatten even if a cancel failed: the confirmation tells. */
  ea_broker_flatten_async (run->broker, NULL, NULL, NULL, flattened_cb, run);

  if (!stale (run) && run->desk->flatten_pending > 0 && --run->desk->flatten_pending == 0)
    run->desk->requests_out_us = g_get_monotonic_time () - run->desk->stop_started_us;
}

static void
stop_broker (EaDesk   *self,
             EaBroker *broker)
{
  StopRun *run;

  if (ea_broker_get_connection_state (broker) != EA_CONNECTION_STATE_CONNECTED)
    {
      set_broker_accounts (self, broker, EA_STOP_STATUS_UNRESOLVED,
                           _("disconnected: retried when the connection is back"));
      audit_step (self, broker, "unreachable", ea_connection_state_to_string (ea_broker_get_connection_state (broker)));
      return;
    }

  run = g_new0 (StopRun, 1);
  run->desk = g_object_ref (self);
  run->broker = g_object_ref (broker);
  run->generation = self->stop_generation;
  run->started_us = g_get_monotonic_time ();
  self->stop_running++;

  set_broker_accounts (self, broker, EA_STOP_STATUS_STOPPING, NULL);
  ea_broker_cancel_all_async (broker, NULL, NULL, NULL, cancelled_all_cb, run);
}

void
_ea_desk_stop_run (EaDesk  *self,
                   EaActor  actor)
{
  g_autofree char *details = NULL;
  g_autoptr(GPtrArray) brokers = g_ptr_array_copy (self->brokers, (GCopyFunc) g_object_ref, NULL);

  self->stop_generation++;
  self->stop_started_us = g_get_monotonic_time ();
  self->stop_running = 0;
  self->requests_out_us = -1;
  self->confirmed_us = -1;

  details = g_strdup_printf ("{\"actor\":\"%s\",\"reason\":\"%s\",\"brokers\":%u}",
                             ea_actor_to_string (actor), self->halt_reason ? self->halt_reason : "",
                             self->brokers->len);
  _ea_desk_audit (self, actor, "estop.start", "all-accounts", details);
  _ea_desk_alert (self, "emergency_stop", 3, _("Emergency stop"),
                  _("Trading halted: cancelling every order and flattening every account."));

  /* Every request goes out before the first reply is handled. */
  g_ptr_array_set_free_func (brokers, g_object_unref);
  self->flatten_pending = 0;
  for (guint i = 0; i < brokers->len; i++)
    if (ea_broker_get_connection_state (g_ptr_array_index (brokers, i)) == EA_CONNECTION_STATE_CONNECTED)
      self->flatten_pending++;
  for (guint i = 0; i < brokers->len; i++)
    stop_broker (self, g_ptr_array_index (brokers, i));

  if (self->stop_running == 0)
    announce (self);
}

/* A broker came back: accounts left UNRESOLVED are stopped again. */
void
_ea_desk_stop_broker_connected (EaDesk   *self,
                                EaBroker *broker)
{
  GHashTableIter iter;
  DeskAccount *a;
  gboolean pending = FALSE;

  if (!ea_desk_get_halted (self))
    return;

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    if (a->broker == broker && a->stop_status == EA_STOP_STATUS_UNRESOLVED)
      pending = TRUE;

  if (!pending)
    return;

  audit_step (self, broker, "resume", NULL);
  stop_broker (self, broker);
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
    if (a->broker == broker && a->stop_status == EA_STOP_STATUS_STOPPING)
      _ea_desk_set_stop_status (self, a, EA_STOP_STATUS_UNRESOLVED, text);
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
