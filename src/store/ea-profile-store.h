/* ea-profile-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prop-firm profiles as JSON: the built-in ones compiled into the
 * resources under /io/github/enigmaapex/EnigmaApex/profiles/, files, and
 * the user's own profiles (a copy of a built-in one, edited and saved).
 * User profiles live in memory here; the journal persists them through
 * ea_profile_to_json() and ea_profile_store_restore_user().
 */
#pragma once

#include <gio/gio.h>

#include "ea-risk-profile.h"

G_BEGIN_DECLS

#define EA_PROFILE_STORE_ERROR (ea_profile_store_error_quark ())

typedef enum
{
  EA_PROFILE_STORE_ERROR_PARSE,         /* not JSON, or not an object */
  EA_PROFILE_STORE_ERROR_MISSING,       /* a required field is absent */
  EA_PROFILE_STORE_ERROR_INVALID,       /* a field has a bad type or value */
  EA_PROFILE_STORE_ERROR_UNKNOWN_FIELD, /* a field no profile has (a typo?) */
  EA_PROFILE_STORE_ERROR_NOT_FOUND,
  EA_PROFILE_STORE_ERROR_READ_ONLY,     /* a built-in profile cannot be replaced */
  EA_PROFILE_STORE_ERROR_EXISTS,
} EaProfileStoreError;

#define EA_PROFILE_RESOURCE_PATH "/io/github/enigmaapex/EnigmaApex/profiles/"

/* Parses one profile. Errors read "<source>: <field>: <reason>"; @out is
 * written only on success. */
gboolean        ea_profile_parse              (const char          *data,
                                               gssize               length,
                                               const char          *source,
                                               EaRiskProfile       *out,
                                               GError             **error);
gboolean        ea_profile_load_file          (const char          *path,
                                               EaRiskProfile       *out,
                                               GError             **error);
/* The JSON form; ea_profile_parse() reads it back to the same profile. */
char           *ea_profile_to_json            (const EaRiskProfile *profile);

#define EA_TYPE_PROFILE_STORE (ea_profile_store_get_type ())

G_DECLARE_FINAL_TYPE (EaProfileStore, ea_profile_store, EA, PROFILE_STORE, GObject)

GQuark          ea_profile_store_error_quark  (void);

/* A store with every built-in profile loaded. */
EaProfileStore *ea_profile_store_new          (GError             **error);

/* Sorted ids: built-in ones first, then the user's. */
GStrv           ea_profile_store_list_ids     (EaProfileStore      *self);
const EaRiskProfile *
                ea_profile_store_lookup       (EaProfileStore      *self,
                                               const char          *id);
gboolean        ea_profile_store_is_builtin   (EaProfileStore      *self,
                                               const char          *id);

/* An editable copy of @id under @new_id (not stored until saved). */
gboolean        ea_profile_store_copy         (EaProfileStore      *self,
                                               const char          *id,
                                               const char          *new_id,
                                               EaRiskProfile       *out,
                                               GError             **error);
/* Validates and stores a user profile (adds or replaces); emits
 * "changed" with the id. Built-in ids are read-only. */
gboolean        ea_profile_store_save_user    (EaProfileStore      *self,
                                               const EaRiskProfile *profile,
                                               GError             **error);
gboolean        ea_profile_store_remove_user  (EaProfileStore      *self,
                                               const char          *id,
                                               GError             **error);
/* Adds a user profile from its JSON (as persisted by the journal). */
gboolean        ea_profile_store_restore_user (EaProfileStore      *self,
                                               const char          *json,
                                               GError             **error);

G_END_DECLS
