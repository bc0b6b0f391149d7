/* ea-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences: which notifications reach the desktop and which play a
 * sound, per type (DOMAIN §10), and the ERM threshold and lookback. Every
 * control writes its GSettings key at once.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EA_TYPE_PREFERENCES_WINDOW (ea_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (EaPreferencesWindow, ea_preferences_window, EA, PREFERENCES_WINDOW, GtkWindow)

EaPreferencesWindow *ea_preferences_window_new             (GSettings           *settings);
/* @sound FALSE: the "show" switch of @kind; TRUE: its "sound" switch. */
GtkWidget           *ea_preferences_window_get_type_switch (EaPreferencesWindow *self,
                                                            const char          *kind,
                                                            gboolean             sound);
GtkWidget           *ea_preferences_window_get_erm_threshold (EaPreferencesWindow *self);
/* The widget of an nt-* setting: a GtkDropDown for nt-symbology and
 * nt-stop-keyword, a GtkEntry for nt-connection-name, nt-atm-template and
 * nt-state-aliases ("Word=STATE, …", saved only when valid; the label
 * below it says what is wrong otherwise). */
GtkWidget           *ea_preferences_window_get_nt_widget  (EaPreferencesWindow *self,
                                                            const char          *key);
GtkWidget           *ea_preferences_window_get_nt_aliases_error (EaPreferencesWindow *self);
/* The "24/7 demo" switch, bound to the demo-always-open setting. */
GtkWidget           *ea_preferences_window_get_demo_always_open (EaPreferencesWindow *self);
/* "Demo accounts…": opens the demo accounts dialog (app.demo-accounts). */
GtkWidget           *ea_preferences_window_get_demo_accounts_button (EaPreferencesWindow *self);

G_END_DECLS
