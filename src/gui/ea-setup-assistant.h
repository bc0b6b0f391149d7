/* ea-setup-assistant.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaSetupAssistant: the quick setup, a modal window with a stack of pages
 * (welcome and mode, platforms, credentials, verify, prop-firm profile,
 * risk and sizing, summary), a step indicator and Back/Next/Finish bound
 * to the assistant.back/next/finish widget actions, each enabled by the
 * current page's validity. Nothing is saved before Finish except the
 * credentials, which go to the keyring on the Next of their page;
 * Cancel leaves the previous configuration as it was. Finishing writes
 * the settings and an audit row (never a secret).
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-application.h"
#include "ea-credentials.h"
#include "ea-journal.h"
#include "ea-profile-store.h"

G_BEGIN_DECLS

typedef enum
{
  EA_SETUP_PAGE_WELCOME,
  EA_SETUP_PAGE_PLATFORMS,
  EA_SETUP_PAGE_CREDENTIALS,
  EA_SETUP_PAGE_VERIFY,
  EA_SETUP_PAGE_PROFILE,
  EA_SETUP_PAGE_RISK,
  EA_SETUP_PAGE_SUMMARY,
} EaSetupPage;

#define EA_SETUP_N_PAGES 7

#define EA_TYPE_SETUP_ASSISTANT (ea_setup_assistant_get_type ())

G_DECLARE_FINAL_TYPE (EaSetupAssistant, ea_setup_assistant, EA, SETUP_ASSISTANT, GtkWindow)

/* @journal may be NULL (no audit row then); @credentials NULL uses the
 * default keyring; @profiles NULL loads the built-in profiles. Emits
 * "done" (gboolean finished) when it closes: TRUE after Finish. */
EaSetupAssistant *ea_setup_assistant_new       (GtkWindow        *parent,
                                                GSettings        *settings,
                                                EaJournal        *journal,
                                                EaCredentials    *credentials,
                                                EaProfileStore   *profiles);
EaSetupPage       ea_setup_assistant_get_page  (EaSetupAssistant *self);
/* Whether the current page's input is valid (Next/Finish enabled). */
gboolean          ea_setup_assistant_get_page_valid (EaSetupAssistant *self);
/* TRUE while a keyring store or a connection test runs. */
gboolean          ea_setup_assistant_get_busy  (EaSetupAssistant *self);
/* The input widget named @name ("tradovate-user", "tradovate-password",
 * "platform-demo", …) and the error shown at it (NULL when none). */
GtkWidget        *ea_setup_assistant_get_field (EaSetupAssistant *self,
                                                const char       *name);
const char       *ea_setup_assistant_get_field_error (EaSetupAssistant *self,
                                                      const char       *name);
/* The folder chooser a Choose… button of the NinjaTrader folders opened
 * (a GtkFileChooserNative, so that inside Flatpak the document portal
 * grants the folder), NULL when none is open. */
GtkNativeDialog  *ea_setup_assistant_get_folder_chooser (EaSetupAssistant *self);
/* The summary's "x of y connected" line. */
const char       *ea_setup_assistant_get_summary (EaSetupAssistant *self);

/* app.setup-assistant and app.switch-mode (a string: demo, test, live). */
void              ea_setup_install_actions     (EaApplication    *app);
/* Opens the assistant over the main window on a first start: while
 * neither setup-completed nor setup-offered is set (and not when
 * EA_NO_FIRST_RUN is set). Closing it, finished or cancelled, sets
 * setup-offered, so it does not open by itself again. */
void              ea_setup_run_first_time      (EaApplication    *app);

G_END_DECLS
