/* ea-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-desk.h"
#include "ea-notifier.h"
#include "ea-replay.h"
#include "ea-tray.h"

G_BEGIN_DECLS

#define EA_TYPE_APPLICATION (ea_application_get_type ())

G_DECLARE_FINAL_TYPE (EaApplication, ea_application, EA, APPLICATION, GtkApplication)

EaApplication *ea_application_new          (void);
EaDesk        *ea_application_get_desk     (EaApplication *self);
GSettings     *ea_application_get_settings (EaApplication *self);
GtkWindow     *ea_application_get_main_window (EaApplication *self);
EaJournal     *ea_application_get_journal  (EaApplication *self);
const char    *ea_application_get_journal_error (EaApplication *self);
EaBroker      *ea_application_get_demo_broker (EaApplication *self);
EaNotifier    *ea_application_get_notifier   (EaApplication *self);
EaTray        *ea_application_get_tray     (EaApplication *self);
/* Replays a NinjaTrader 8 export on the Demo exchange (Demo mode only),
 * playing at @speed, or paused for stepping when @step. */
gboolean       ea_application_start_replay (EaApplication *self,
                                            const char    *path,
                                            const char    *symbol,
                                            double         speed,
                                            gboolean       step,
                                            GError       **error);
/* The replay, once one was started. */
EaReplay      *ea_application_get_replay   (EaApplication *self);

G_END_DECLS
