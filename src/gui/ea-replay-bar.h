/* ea-replay-bar.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bar over the dashboard while a NinjaTrader export is replayed: a
 * REPLAY badge, the replayed time and record, Play/Pause, Step, the
 * speed (1–100×) and, at the end, the summary.
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-replay.h"

G_BEGIN_DECLS

#define EA_TYPE_REPLAY_BAR (ea_replay_bar_get_type ())

G_DECLARE_FINAL_TYPE (EaReplayBar, ea_replay_bar, EA, REPLAY_BAR, GtkBox)

GtkWidget  *ea_replay_bar_new                (EaReplay    *replay);
EaReplay   *ea_replay_bar_get_replay         (EaReplayBar *self);
const char *ea_replay_bar_get_progress_text  (EaReplayBar *self);
const char *ea_replay_bar_get_summary_text   (EaReplayBar *self);
/* "7 lines skipped", or NULL when every line was read. */
const char *ea_replay_bar_get_skipped_text   (EaReplayBar *self);
GtkWidget  *ea_replay_bar_get_play_button    (EaReplayBar *self);
GtkWidget  *ea_replay_bar_get_step_button    (EaReplayBar *self);
GtkWidget  *ea_replay_bar_get_speed_button   (EaReplayBar *self);

G_END_DECLS
