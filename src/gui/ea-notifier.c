/* ea-notifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-notifier"

#include "config.h"

#include "ea-notifier.h"

/* DOMAIN §10: enabled / sound / priority. */
static const EaNotificationType types[] = {
  { "erm_reversal",    TRUE,  TRUE,  EA_ALERT_PRIORITY_HIGH },
  { "margin_warning",  TRUE,  TRUE,  EA_ALERT_PRIORITY_CRITICAL },
  { "connection_lost", TRUE,  TRUE,  EA_ALERT_PRIORITY_HIGH },
  { "emergency_stop",  TRUE,  TRUE,  EA_ALERT_PRIORITY_CRITICAL },
  { "risk_warning",    TRUE,  TRUE,  EA_ALERT_PRIORITY_HIGH },
  { "new_signal",      TRUE,  FALSE, EA_ALERT_PRIORITY_MEDIUM },
  { "position_update", FALSE, FALSE, EA_ALERT_PRIORITY_LOW },
  { "system_status",   TRUE,  FALSE, EA_ALERT_PRIORITY_MEDIUM },
};

struct _EaNotifier
{
  GObject                parent_instance;

  GApplication          *application;   /* weak */
  EaTradingStore        *store;
  gboolean               can_send;
  gboolean               sound;
  guint                  n_sent;
  char                  *last_id;
  GNotificationPriority  last_priority;
  gboolean               last_sound;
  GHashTable            *last_sent;      /* id → monotonic time */
  GHashTable            *overrides;      /* kind → TypeState */
};

typedef struct
{
  gboolean enabled;
  gboolean sound;
} TypeState;

/* A kind repeats on the desktop at most this often; the history keeps
 * every alert. */
#define REPEAT_USEC (2 * G_USEC_PER_SEC)

G_DEFINE_FINAL_TYPE (EaNotifier, ea_notifier, G_TYPE_OBJECT)

const EaNotificationType *
ea_notification_type_lookup (const char *kind)
{
  for (guint i = 0; kind != NULL && i < G_N_ELEMENTS (types); i++)
    if (g_strcmp0 (types[i].kind, kind) == 0)
      return &types[i];
  return NULL;
}

/* The emergency stop's notification is part of its proof: always shown. */
static gboolean
always_shown (const char *kind)
{
  return g_strcmp0 (kind, "emergency_stop") == 0;
}

gboolean
ea_notification_type_can_disable (const char *kind)
{
  return !always_shown (kind);
}

static GNotificationPriority
to_priority (guint priority)
{
  switch ((EaAlertPriority) priority)
    {
    case EA_ALERT_PRIORITY_LOW:      return G_NOTIFICATION_PRIORITY_LOW;
    case EA_ALERT_PRIORITY_MEDIUM:   return G_NOTIFICATION_PRIORITY_NORMAL;
    case EA_ALERT_PRIORITY_HIGH:     return G_NOTIFICATION_PRIORITY_HIGH;
    case EA_ALERT_PRIORITY_CRITICAL: return G_NOTIFICATION_PRIORITY_URGENT;
    default:                         return G_NOTIFICATION_PRIORITY_NORMAL;
    }
}

static void
notify_alert (EaNotifier *self,
              EaAlert    *alert)
{
  const EaNotificationType *type = ea_notification_type_lookup (ea_alert_get_kind (alert));
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;
  guint priority;

  /* Unknown kinds are shown with their own priority. */
  if (type != NULL && !ea_notifier_get_type_enabled (self, type->kind))
    return;
  priority = MAX (ea_alert_get_priority (alert), type ? (guint) type->priority : 0);

  id = g_strdup_printf ("alert-%s", ea_alert_get_kind (alert));
  g_strdelimit (id, "_", '-');
  notification = g_notification_new (ea_alert_get_title (alert));
  if (ea_alert_get_body (alert) != NULL)
    g_notification_set_body (notification, ea_alert_get_body (alert));
  g_notification_set_priority (notification, to_priority (priority));
  g_notification_set_default_action (notification, "app.show-window");

  {
    gint64 now = g_get_monotonic_time ();
    gpointer last = g_hash_table_lookup (self->last_sent, id);

    /* The emergency stop's outcome follows its start within moments and
     * must never be swallowed. */
    if (last != NULL && now - *(gint64 *) last < REPEAT_USEC &&
        ea_notification_type_can_disable (ea_alert_get_kind (alert)))
      return;
    g_hash_table_insert (self->last_sent, g_strdup (id), g_memdup2 (&now, sizeof now));
  }

  self->n_sent++;
  g_free (self->last_id);
  self->last_id = g_strdup (id);
  self->last_priority = to_priority (priority);

  if (self->can_send && self->application != NULL)
    g_application_send_notification (self->application, id, notification);

  self->last_sound = self->sound && type != NULL && ea_notifier_get_type_sound (self, type->kind);
  if (self->last_sound)
    {
      GdkDisplay *display = gdk_display_get_default ();
      if (display != NULL)
        gdk_display_beep (display);
    }
}

static void
alerts_changed_cb (EaNotifier *self,
                   guint       position,
                   guint       removed,
                   guint       added,
                   GListModel *alerts)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(EaAlert) alert = g_list_model_get_item (alerts, i);
      notify_alert (self, alert);
    }
}

static void
ea_notifier_dispose (GObject *object)
{
  EaNotifier *self = EA_NOTIFIER (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (ea_trading_store_get_alerts (self->store), self);
  g_clear_object (&self->store);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (ea_notifier_parent_class)->dispose (object);
}

static void
ea_notifier_finalize (GObject *object)
{
  EaNotifier *self = EA_NOTIFIER (object);

  g_free (self->last_id);
  g_hash_table_unref (self->last_sent);
  g_hash_table_unref (self->overrides);

  G_OBJECT_CLASS (ea_notifier_parent_class)->finalize (object);
}

static void
ea_notifier_class_init (EaNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ea_notifier_dispose;
  object_class->finalize = ea_notifier_finalize;
}

static void
ea_notifier_init (EaNotifier *self)
{
  self->can_send = TRUE;
  self->sound = TRUE;
  self->last_priority = G_NOTIFICATION_PRIORITY_NORMAL;
  self->last_sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->overrides = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

EaNotifier *
ea_notifier_new (GApplication   *application,
                 EaTradingStore *store)
{
  EaNotifier *self;

  g_return_val_if_fail (application == NULL || G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (EA_IS_TRADING_STORE (store), NULL);

  self = g_object_new (EA_TYPE_NOTIFIER, NULL);
  g_set_weak_pointer (&self->application, application);
  self->store = g_object_ref (store);
  g_signal_connect_swapped (ea_trading_store_get_alerts (store), "items-changed",
                            G_CALLBACK (alerts_changed_cb), self);
  return self;
}

void
ea_notifier_set_can_send (EaNotifier *self,
                          gboolean    can_send)
{
  g_return_if_fail (EA_IS_NOTIFIER (self));
  self->can_send = can_send;
}

void
ea_notifier_set_sound (EaNotifier *self,
                       gboolean    sound)
{
  g_return_if_fail (EA_IS_NOTIFIER (self));
  self->sound = sound;
}

guint
ea_notifier_get_n_sent (EaNotifier *self)
{
  g_return_val_if_fail (EA_IS_NOTIFIER (self), 0);
  return self->n_sent;
}

const char *
ea_notifier_get_last_id (EaNotifier *self)
{
  g_return_val_if_fail (EA_IS_NOTIFIER (self), NULL);
  return self->last_id;
}

GNotificationPriority
ea_notifier_get_last_priority (EaNotifier *self)
{
  g_return_val_if_fail (EA_IS_NOTIFIER (self), G_NOTIFICATION_PRIORITY_NORMAL);
  return self->last_priority;
}

/**
 * ea_notifier_set_type_overrides:
 * @overrides: (nullable): an `a{s(bb)}` of kind → (shown, sound), as the
 *   `notification-types` setting holds it; kinds not in it keep their
 *   DOMAIN §10 defaults
 */
void
ea_notifier_set_type_overrides (EaNotifier *self,
                                GVariant   *overrides)
{
  GVariantIter iter;
  const char *kind;
  gboolean enabled, sound;

  g_return_if_fail (EA_IS_NOTIFIER (self));

  g_hash_table_remove_all (self->overrides);
  if (overrides == NULL || !g_variant_is_of_type (overrides, G_VARIANT_TYPE ("a{s(bb)}")))
    return;

  g_variant_iter_init (&iter, overrides);
  while (g_variant_iter_next (&iter, "{&s(bb)}", &kind, &enabled, &sound))
    {
      TypeState *state;

      if (ea_notification_type_lookup (kind) == NULL)
        continue;
      state = g_new (TypeState, 1);
      state->enabled = enabled || always_shown (kind);
      state->sound = sound;
      g_hash_table_replace (self->overrides, g_strdup (kind), state);
    }
}

gboolean
ea_notifier_get_type_enabled (EaNotifier *self,
                              const char *kind)
{
  const EaNotificationType *type;
  TypeState *state;

  g_return_val_if_fail (EA_IS_NOTIFIER (self), FALSE);

  state = g_hash_table_lookup (self->overrides, kind);
  if (state != NULL)
    return state->enabled;
  type = ea_notification_type_lookup (kind);
  return type == NULL || type->enabled;
}

gboolean
ea_notifier_get_type_sound (EaNotifier *self,
                            const char *kind)
{
  const EaNotificationType *type;
  TypeState *state;

  g_return_val_if_fail (EA_IS_NOTIFIER (self), FALSE);

  state = g_hash_table_lookup (self->overrides, kind);
  if (state != NULL)
    return state->sound;
  type = ea_notification_type_lookup (kind);
  return type != NULL && type->sound;
}

/**
 * ea_notification_types:
 * @n: (out): how many
 *
 * Returns: the DOMAIN §10 types with their defaults
 */
const EaNotificationType *
ea_notification_types (guint *n)
{
  *n = G_N_ELEMENTS (types);
  return types;
}

/* Whether the last notification rang the bell. */
gboolean
ea_notifier_get_last_sound (EaNotifier *self)
{
  g_return_val_if_fail (EA_IS_NOTIFIER (self), FALSE);

  return self->last_sound;
}
