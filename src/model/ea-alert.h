/* ea-alert.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaAlert: one notification (DOMAIN §10): its kind ("erm_reversal",
 * "margin_warning", "connection_lost", "emergency_stop", "risk_warning",
 * "new_signal", "position_update", "system_status"), an EaAlertPriority,
 * title, body, time, and whether the user acknowledged it.
 */
#pragma once

#include <glib-object.h>

#include "ea-trade-data.h"

G_BEGIN_DECLS

typedef enum
{
  EA_ALERT_PRIORITY_LOW,
  EA_ALERT_PRIORITY_MEDIUM,
  EA_ALERT_PRIORITY_HIGH,
  EA_ALERT_PRIORITY_CRITICAL,
} EaAlertPriority;

#define EA_TYPE_ALERT (ea_alert_get_type ())

G_DECLARE_FINAL_TYPE (EaAlert, ea_alert, EA, ALERT, GObject)

EaAlert *    ea_alert_new              (const char *kind,
                                        guint priority,
                                        const char *title,
                                        const char *body,
                                        gint64 time);
const char * ea_alert_get_kind         (EaAlert *self);
guint        ea_alert_get_priority     (EaAlert *self);
const char * ea_alert_get_title        (EaAlert *self);
const char * ea_alert_get_body         (EaAlert *self);
gint64       ea_alert_get_time         (EaAlert *self);
gboolean     ea_alert_get_acknowledged (EaAlert *self);
void         ea_alert_set_acknowledged (EaAlert *self,
                                        gboolean acknowledged);

G_END_DECLS
