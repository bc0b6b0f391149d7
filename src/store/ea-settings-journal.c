/* ea-settings-journal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Every setting change and profile change is audited": the settings keep
 * no history of their own, so the last value of every key is remembered
 * here and each change goes to the journal with the value it replaced.
 */
#define G_LOG_DOMAIN "ea-journal"

#include "config.h"

#include "ea-settings-journal.h"

struct _EaSettingsJournal
{
  GObject         parent_instance;

  GSettings      *settings;
  EaProfileStore *profiles;
  EaJournal      *journal;
  GHashTable     *values;     /* key -> GVariant text of its last value */
  guint           n_recorded;
};

G_DEFINE_FINAL_TYPE (EaSettingsJournal, ea_settings_journal, G_TYPE_OBJECT)

static char *
value_text (GSettings  *settings,
            const char *key)
{
  g_autoptr(GVariant) value = g_settings_get_value (settings, key);

  return g_variant_print (value, FALSE);
}

static void
recorded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(EaSettingsJournal) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ea_journal_record_setting_finish (EA_JOURNAL (object), result, &error))
    g_message ("Could not journal a setting change: %s", error->message);
  else
    self->n_recorded++;
}

static void
setting_changed_cb (GSettings         *settings,
                    const char        *key,
                    EaSettingsJournal *self)
{
  g_autofree char *now = value_text (settings, key);
  const char *before = g_hash_table_lookup (self->values, key);

  /* A write of the same value is no change. */
  if (g_strcmp0 (before, now) == 0)
    return;

  ea_journal_record_setting_async (self->journal, key, before, now, EA_ACTOR_USER, NULL,
                                   recorded_cb, g_object_ref (self));
  g_hash_table_insert (self->values, g_strdup (key), g_steal_pointer (&now));
}

static void
profile_saved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(EaSettingsJournal) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ea_journal_save_profile_finish (EA_JOURNAL (object), result, &error))
    g_message ("Could not journal a profile change: %s", error->message);
  else
    self->n_recorded++;
}

static void
profile_changed_cb (EaProfileStore    *profiles,
                    const char        *id,
                    EaSettingsJournal *self)
{
  const EaRiskProfile *profile;
  g_autofree char *json = NULL;

  if (id == NULL || ea_profile_store_is_builtin (profiles, id))
    return;

  /* Saved (added or replaced), or removed. */
  profile = ea_profile_store_lookup (profiles, id);
  if (profile != NULL)
    json = ea_profile_to_json (profile);

  ea_journal_save_profile_async (self->journal, id, json, EA_ACTOR_USER, NULL,
                                 profile_saved_cb, g_object_ref (self));
}

static void
ea_settings_journal_dispose (GObject *object)
{
  EaSettingsJournal *self = EA_SETTINGS_JOURNAL (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->profiles != NULL)
    g_signal_handlers_disconnect_by_data (self->profiles, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->profiles);
  g_clear_object (&self->journal);

  G_OBJECT_CLASS (ea_settings_journal_parent_class)->dispose (object);
}

static void
ea_settings_journal_finalize (GObject *object)
{
  EaSettingsJournal *self = EA_SETTINGS_JOURNAL (object);

  g_clear_pointer (&self->values, g_hash_table_unref);

  G_OBJECT_CLASS (ea_settings_journal_parent_class)->finalize (object);
}

static void
ea_settings_journal_class_init (EaSettingsJournalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ea_settings_journal_dispose;
  object_class->finalize = ea_settings_journal_finalize;
}

static void
ea_settings_journal_init (EaSettingsJournal *self)
{
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * ea_settings_journal_new:
 * @settings: the settings to watch
 * @profiles: (nullable): the profile store whose user profiles to journal
 * @journal: where the changes go
 *
 * Returns: (transfer full): the watcher; the changes are journaled as long
 *   as it lives
 */
EaSettingsJournal *
ea_settings_journal_new (GSettings      *settings,
                         EaProfileStore *profiles,
                         EaJournal      *journal)
{
  EaSettingsJournal *self;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (profiles == NULL || EA_IS_PROFILE_STORE (profiles), NULL);
  g_return_val_if_fail (EA_IS_JOURNAL (journal), NULL);

  self = g_object_new (EA_TYPE_SETTINGS_JOURNAL, NULL);
  self->settings = g_object_ref (settings);
  self->profiles = profiles ? g_object_ref (profiles) : NULL;
  self->journal = g_object_ref (journal);

  /* Reading every key also makes GSettings emit "changed" for it. */
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_hash_table_insert (self->values, g_strdup (keys[i]), value_text (settings, keys[i]));

  g_signal_connect (settings, "changed", G_CALLBACK (setting_changed_cb), self);
  if (profiles != NULL)
    g_signal_connect (profiles, "changed", G_CALLBACK (profile_changed_cb), self);

  return self;
}

guint
ea_settings_journal_get_n_recorded (EaSettingsJournal *self)
{
  g_return_val_if_fail (EA_IS_SETTINGS_JOURNAL (self), 0);

  return self->n_recorded;
}
