/* ea-system-status.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-desk.h"

G_BEGIN_DECLS

#define EA_TYPE_SYSTEM_STATUS (ea_system_status_get_type ())

G_DECLARE_FINAL_TYPE (EaSystemStatus, ea_system_status, EA, SYSTEM_STATUS, GtkBox)

GtkWidget *ea_system_status_new            (void);
void       ea_system_status_set_desk       (EaSystemStatus *self,
                                            EaDesk         *desk);
void       ea_system_status_add_broker     (EaSystemStatus *self,
                                            EaBroker       *broker);
/* Quotes counted since the desk was set. */
guint64    ea_system_status_get_n_quotes   (EaSystemStatus *self);
/* Updates the rate, age, CPU and memory figures now (also once a second). */
void       ea_system_status_update         (EaSystemStatus *self);
const char *ea_system_status_get_rate_text (EaSystemStatus *self);
const char *ea_system_status_get_memory_text (EaSystemStatus *self);

G_END_DECLS
