/* ea-erm-event.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaErmEvent: one ERM reversal alert as the Signals panel lists it: when,
 * on which chart, against which signal, the ERM value with its threshold,
 * the momentum, the time since the signal and the suggested direction.
 */
#pragma once

#include <glib-object.h>

#include "ea-erm.h"

G_BEGIN_DECLS

#define EA_TYPE_ERM_EVENT (ea_erm_event_get_type ())

G_DECLARE_FINAL_TYPE (EaErmEvent, ea_erm_event, EA, ERM_EVENT, GObject)

/* @chart: the broker symbol the alert is about ("ES", "ESZ6"). */
EaErmEvent       *ea_erm_event_new       (const char       *chart,
                                          const EaErmAlert *alert);
const char       *ea_erm_event_get_chart (EaErmEvent       *self);
const EaErmAlert *ea_erm_event_get_alert (EaErmEvent       *self);
/* "10:42:05 ET · ES · long signal 3 · ERM 0.62 ≥ 0.50 · momentum 0.21 ·
 * after 45 s → short", with the time in @zone (NULL: local). */
char             *ea_erm_event_format    (EaErmEvent       *self,
                                          GTimeZone        *zone);

G_END_DECLS
