/* ea-settings-journal.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaSettingsJournal writes every change of a GSettings object's keys to
 * the journal (settings_history and an audit row "setting.change" with
 * the old and the new value, in GVariant text form), and every save or
 * removal of a user profile of an EaProfileStore (user_profiles and an
 * audit row "profile.save" / "profile.delete").
 */
#pragma once

#include <gio/gio.h>

#include "ea-journal.h"
#include "ea-profile-store.h"

G_BEGIN_DECLS

#define EA_TYPE_SETTINGS_JOURNAL (ea_settings_journal_get_type ())

G_DECLARE_FINAL_TYPE (EaSettingsJournal, ea_settings_journal, EA, SETTINGS_JOURNAL, GObject)

/* Watches @settings from now on: the values it has now are the "old"
 * values of the first changes. @profiles may be NULL. */
EaSettingsJournal *ea_settings_journal_new         (GSettings      *settings,
                                                    EaProfileStore *profiles,
                                                    EaJournal      *journal);
/* Changes journaled so far (failures included in neither). */
guint              ea_settings_journal_get_n_recorded (EaSettingsJournal *self);

G_END_DECLS
