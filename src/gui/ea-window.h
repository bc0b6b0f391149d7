/* ea-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-application.h"
#include "ea-confirm-dialog.h"
#include "ea-dashboard.h"

G_BEGIN_DECLS

#define EA_TYPE_WINDOW (ea_window_get_type ())

G_DECLARE_FINAL_TYPE (EaWindow, ea_window, EA, WINDOW, GtkApplicationWindow)

EaWindow        *ea_window_new                       (EaApplication *application);
EaDesk          *ea_window_get_desk                  (EaWindow      *self);
void             ea_window_ask_reset_emergency_stop  (EaWindow      *self);
EaConfirmDialog *ea_window_get_reset_dialog          (EaWindow      *self);
GtkWidget       *ea_window_get_emergency_stop_button (EaWindow      *self);
GtkWidget       *ea_window_get_halt_banner           (EaWindow      *self);
gboolean         ea_window_get_halt_banner_revealed  (EaWindow      *self);
GtkWidget       *ea_window_get_halt_accounts         (EaWindow      *self);
GtkWidget       *ea_window_get_mode_badge            (EaWindow      *self);
gboolean         ea_window_get_journal_banner_revealed (EaWindow    *self);
const char      *ea_window_get_mode_badge_text       (EaWindow      *self);
const char      *ea_window_get_clock_text            (EaWindow      *self);
GtkWidget       *ea_window_get_connections_box       (EaWindow      *self);

EaDashboard     *ea_window_get_dashboard             (EaWindow      *self);
void             ea_window_show_replay               (EaWindow      *self,
                                                      EaReplay      *replay);
GtkWidget       *ea_window_get_replay_bar            (EaWindow      *self);

G_END_DECLS
