/* ea-demo-accounts.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo accounts of the embedded exchange as the user keeps them: a
 * name, a starting size and a firm profile id, stored in the
 * demo-accounts setting (a(sxs): name, size in whole dollars, profile
 * id). A size is one of the firm's: the profile's starting balance, so
 * that its dollar floors and limits apply to the balance they were
 * written for.
 */
#pragma once

#include <glib.h>

#include "ea-core-types.h"
#include "ea-profile-store.h"

G_BEGIN_DECLS

#define EA_DEMO_ACCOUNTS_ERROR (ea_demo_accounts_error_quark ())

typedef enum
{
  EA_DEMO_ACCOUNTS_ERROR_NAME,     /* empty, too long or with control characters */
  EA_DEMO_ACCOUNTS_ERROR_PROFILE,  /* no such firm profile */
  EA_DEMO_ACCOUNTS_ERROR_SIZE,     /* not the profile's starting balance */
  EA_DEMO_ACCOUNTS_ERROR_EXISTS,   /* the name is taken */
  EA_DEMO_ACCOUNTS_ERROR_FULL,     /* EA_SIM_MAX_ACCOUNTS already */
} EaDemoAccountsError;

/* The setting's type. */
#define EA_DEMO_ACCOUNTS_TYPE "a(sxs)"

typedef struct
{
  char     *name;
  EaMicros  size;
  char     *profile_id;
} EaDemoAccount;

GQuark          ea_demo_accounts_error_quark (void);

EaDemoAccount  *ea_demo_account_new          (const char     *name,
                                              EaMicros        size,
                                              const char     *profile_id);
void            ea_demo_account_free         (EaDemoAccount  *account);

/* Checks one account against @profiles: a usable name (1 to 63 bytes,
 * no control characters, no leading or trailing space), a known profile
 * and the profile's starting balance as its size. */
gboolean        ea_demo_account_validate     (const char     *name,
                                              EaMicros        size,
                                              const char     *profile_id,
                                              EaProfileStore *profiles,
                                              GError        **error);

/* The valid accounts of a demo-accounts value, in order (element type
 * EaDemoAccount). An invalid entry, a repeated name and every entry past
 * the sixth are skipped; each skipped entry adds a sentence saying which
 * and why to @problems (may be NULL). A value of another type gives no
 * account and one sentence. */
GPtrArray      *ea_demo_accounts_parse       (GVariant       *value,
                                              EaProfileStore *profiles,
                                              GPtrArray      *problems);
/* @accounts (EaDemoAccount) as a demo-accounts value (floating). */
GVariant       *ea_demo_accounts_to_variant  (GPtrArray      *accounts);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaDemoAccount, ea_demo_account_free)

G_END_DECLS
