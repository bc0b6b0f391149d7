/* ea-desk.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ea-core-types.h"

G_BEGIN_DECLS

#define EA_DESK_ERROR (ea_desk_error_quark ())

typedef enum
{
  EA_DESK_ERROR_NOT_HALTED,
  EA_DESK_ERROR_LOCKED,
} EaDeskError;

#define EA_TYPE_DESK (ea_desk_get_type ())

G_DECLARE_FINAL_TYPE (EaDesk, ea_desk, EA, DESK, GObject)

GQuark          ea_desk_error_quark           (void);
EaDesk         *ea_desk_new                   (EaMode          mode);
EaMode          ea_desk_get_mode              (EaDesk         *self);
EaTradingState  ea_desk_get_trading_state     (EaDesk         *self);
gboolean        ea_desk_get_halted            (EaDesk         *self);
const char     *ea_desk_get_halt_reason       (EaDesk         *self);
GDateTime      *ea_desk_get_halted_at         (EaDesk         *self);
GDateTime      *ea_desk_get_locked_until      (EaDesk         *self);
guint           ea_desk_get_emergency_stop_count (EaDesk      *self);
gboolean        ea_desk_emergency_stop        (EaDesk         *self,
                                               EaActor         actor,
                                               const char     *reason);
void            ea_desk_lock                  (EaDesk         *self,
                                               GDateTime      *until,
                                               const char     *reason);
gboolean        ea_desk_reset_emergency_stop  (EaDesk         *self,
                                               GDateTime      *now,
                                               GError        **error);

G_END_DECLS
