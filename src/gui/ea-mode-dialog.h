/* ea-mode-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Switching between Demo, Test and Live. The gate's facts are gathered
 * for real (settings, keyring, journal, the desk's open positions and
 * orders) and evaluated by ea_mode_gate_evaluate(); the dialog shows the
 * exact missing condition, asks for the typed LIVE, and on success saves
 * the mode and audits the switch. The desk keeps its mode until the
 * application restarts: the saved mode is the one it starts in.
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-application.h"
#include "ea-credentials.h"
#include "ea-mode-gate.h"
#include "ea-platform.h"

G_BEGIN_DECLS

/* The facts of a gate, with the strings they point to. */
typedef struct
{
  EaModeGateInput input;
  char           *broker;
  char           *profile_id;
} EaModeGateFacts;

void             ea_mode_gate_facts_free    (EaModeGateFacts *facts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaModeGateFacts, ea_mode_gate_facts_free)

/* The broker Test and Live are gated on: the one chosen in the mode
 * dialog (the mode-broker setting) while it is configured, else the first
 * configured broker; EA_PLATFORM_DEMO when there is none. */
EaPlatform       ea_mode_gate_chosen_broker (GSettings              *settings,
                                             const EaPlatformConfig *config);

/* Gathers the facts for a switch of @desk (may be NULL: nothing open,
 * Demo) to @target. @journal and @credentials may be NULL (no clean
 * session; the default keyring). Never fails: what cannot be read
 * counts as missing. */
void             ea_mode_gate_gather_async  (GSettings           *settings,
                                             EaDesk              *desk,
                                             EaJournal           *journal,
                                             EaCredentials       *credentials,
                                             EaMode               target,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
EaModeGateFacts *ea_mode_gate_gather_finish (GAsyncResult        *result);

/* Open positions and working orders of @desk, now. */
void             ea_mode_gate_count_exposure (EaDesk             *desk,
                                              guint              *positions,
                                              guint              *orders);

/* Evaluates, and when allowed saves @target as the mode and audits
 * "mode.switch". Returns the gate's result; *@message as the gate's. */
EaModeGateResult ea_mode_switch_apply       (GSettings           *settings,
                                             EaJournal           *journal,
                                             EaModeGateFacts     *facts,
                                             EaMode               target,
                                             const char          *typed_confirmation,
                                             char               **message);

/* The dialog over the main window of @app. */
void             ea_mode_dialog_present     (EaApplication       *app,
                                             EaMode               target);

G_END_DECLS
