/* ea-desk.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaDesk is the one controller: it holds the trading mode and the global
 * trading state, and every trigger of the emergency stop ends up here.
 */
#define G_LOG_DOMAIN "ea-desk"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-desk.h"
#include "ea-enums.h"

struct _EaDesk
{
  GObject         parent_instance;

  EaMode          mode;
  EaTradingState  trading_state;
  char           *halt_reason;
  GDateTime      *halted_at;
  GDateTime      *locked_until;
  char           *lock_reason;
  guint           emergency_stop_count;
};

G_DEFINE_FINAL_TYPE (EaDesk, ea_desk, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MODE,
  PROP_TRADING_STATE,
  PROP_HALTED,
  PROP_HALT_REASON,
  N_PROPS
};

enum {
  EMERGENCY_STOP,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_QUARK (ea-desk-error-quark, ea_desk_error)

static void
set_trading_state (EaDesk         *self,
                   EaTradingState  state)
{
  gboolean was_halted;

  g_assert (EA_IS_DESK (self));

  if (self->trading_state == state)
    return;

  was_halted = ea_desk_get_halted (self);
  self->trading_state = state;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRADING_STATE]);
  if (was_halted != ea_desk_get_halted (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HALTED]);
}

static void
ea_desk_finalize (GObject *object)
{
  EaDesk *self = (EaDesk *)object;

  g_clear_pointer (&self->halt_reason, g_free);
  g_clear_pointer (&self->lock_reason, g_free);
  g_clear_pointer (&self->halted_at, g_date_time_unref);
  g_clear_pointer (&self->locked_until, g_date_time_unref);

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

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_desk_class_init (EaDeskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

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
    g_param_spec_boolean ("halted", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_HALT_REASON] =
    g_param_spec_string ("halt-reason", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EaDesk::emergency-stop:
   * @actor: the #EaActor that triggered it
   *
   * Emitted once per emergency stop, after the global state latched.
   */
  signals[EMERGENCY_STOP] =
    g_signal_new ("emergency-stop",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, EA_TYPE_ACTOR);
}

static void
ea_desk_init (EaDesk *self)
{
  self->trading_state = EA_TRADING_STATE_ACTIVE;
}

EaDesk *
ea_desk_new (EaMode mode)
{
  return g_object_new (EA_TYPE_DESK, "mode", mode, NULL);
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
 * from any source. A second trigger while halted is a no-op.
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
    return FALSE;

  g_clear_pointer (&self->halted_at, g_date_time_unref);
  self->halted_at = g_date_time_new_now_utc ();

  g_free (self->halt_reason);
  if (reason != NULL)
    self->halt_reason = g_strdup (reason);
  else
    self->halt_reason = g_strdup_printf (_("Emergency stop by %s"), ea_actor_to_string (actor));

  self->emergency_stop_count++;

  g_message ("Emergency stop (%s): %s", ea_actor_to_string (actor), self->halt_reason);

  set_trading_state (self, EA_TRADING_STATE_HALTED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HALT_REASON]);

  g_signal_emit (self, signals[EMERGENCY_STOP], 0, actor);

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
    self->halted_at = g_date_time_new_now_utc ();

  g_clear_pointer (&self->locked_until, g_date_time_unref);
  self->locked_until = g_date_time_ref (until);

  g_free (self->lock_reason);
  self->lock_reason = g_strdup (reason);

  g_free (self->halt_reason);
  self->halt_reason = g_strdup (reason);

  set_trading_state (self, EA_TRADING_STATE_LOCKED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HALT_REASON]);
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

  g_return_val_if_fail (EA_IS_DESK (self), FALSE);

  if (!ea_desk_get_halted (self))
    {
      g_set_error_literal (error, EA_DESK_ERROR, EA_DESK_ERROR_NOT_HALTED,
                           _("Trading is not halted"));
      return FALSE;
    }

  if (now == NULL)
    now = clock_now = g_date_time_new_now_utc ();

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

  g_clear_pointer (&self->halted_at, g_date_time_unref);
  g_clear_pointer (&self->locked_until, g_date_time_unref);
  g_clear_pointer (&self->lock_reason, g_free);
  g_clear_pointer (&self->halt_reason, g_free);

  set_trading_state (self, EA_TRADING_STATE_ACTIVE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HALT_REASON]);

  return TRUE;
}
