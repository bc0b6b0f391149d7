/* ea-notifier.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Desktop notifications for the alerts of the model (DOMAIN §10): each
 * new alert of an enabled type becomes a GNotification with its type's
 * priority, and an optional sound; the in-app history is the store's
 * alert list itself. The same kind reaches the desktop at most once every
 * two seconds.
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-trading-store.h"

G_BEGIN_DECLS

typedef struct
{
  const char      *kind;
  gboolean         enabled;
  gboolean         sound;
  EaAlertPriority  priority;
} EaNotificationType;

/* The DOMAIN §10 defaults for @kind; NULL for an unknown kind. */
const EaNotificationType *ea_notification_type_lookup (const char *kind);
const EaNotificationType *ea_notification_types       (guint      *n);
/* FALSE for the emergency stop, whose notification is always shown. */
gboolean                  ea_notification_type_can_disable (const char *kind);

#define EA_TYPE_NOTIFIER (ea_notifier_get_type ())

G_DECLARE_FINAL_TYPE (EaNotifier, ea_notifier, EA, NOTIFIER, GObject)

EaNotifier   *ea_notifier_new             (GApplication   *application,
                                           EaTradingStore *store);
/* FALSE: count and record, but send nothing (no notification server). */
void          ea_notifier_set_can_send    (EaNotifier     *self,
                                           gboolean        can_send);
void          ea_notifier_set_sound       (EaNotifier     *self,
                                           gboolean        sound);
/* Per-type choices over the defaults (the notification-types setting). */
void          ea_notifier_set_type_overrides (EaNotifier  *self,
                                              GVariant    *overrides);
gboolean      ea_notifier_get_type_enabled (EaNotifier    *self,
                                            const char    *kind);
gboolean      ea_notifier_get_type_sound  (EaNotifier     *self,
                                           const char     *kind);
/* Notifications decided so far, and the last one's id and priority. */
guint         ea_notifier_get_n_sent      (EaNotifier     *self);
const char   *ea_notifier_get_last_id     (EaNotifier     *self);
GNotificationPriority ea_notifier_get_last_priority (EaNotifier *self);
gboolean      ea_notifier_get_last_sound  (EaNotifier     *self);

G_END_DECLS
