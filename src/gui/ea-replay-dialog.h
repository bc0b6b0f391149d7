/* ea-replay-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Menu → Replay NinjaTrader Export… (Demo mode): the export (chosen with
 * the system's file dialog), its instrument, the speed and whether to
 * start paused for stepping. Replay checks all of it first and says at
 * the dialog what is wrong.
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-application.h"

G_BEGIN_DECLS

#define EA_TYPE_REPLAY_DIALOG (ea_replay_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EaReplayDialog, ea_replay_dialog, EA, REPLAY_DIALOG, GtkWindow)

EaReplayDialog *ea_replay_dialog_new            (EaApplication  *application);
void            ea_replay_dialog_set_file       (EaReplayDialog *self,
                                                 const char     *path);
void            ea_replay_dialog_set_symbol     (EaReplayDialog *self,
                                                 const char     *root);
void            ea_replay_dialog_set_speed      (EaReplayDialog *self,
                                                 double          speed);
void            ea_replay_dialog_set_step       (EaReplayDialog *self,
                                                 gboolean        step);
/* Presses Replay: TRUE when the replay started (the dialog closes). */
gboolean        ea_replay_dialog_start          (EaReplayDialog *self);
const char     *ea_replay_dialog_get_error_text (EaReplayDialog *self);

G_END_DECLS
