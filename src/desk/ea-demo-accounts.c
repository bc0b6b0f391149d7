/* ea-demo-accounts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-demo-accounts"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ea-demo-accounts.h"
#include "ea-money.h"
#include "ea-sim-exchange.h"

/* The risk engine keys accounts by up to 63 bytes. */
#define NAME_MAX_BYTES 63

G_DEFINE_QUARK (ea-demo-accounts-error-quark, ea_demo_accounts_error)

EaDemoAccount *
ea_demo_account_new (const char *name,
                     EaMicros    size,
                     const char *profile_id)
{
  EaDemoAccount *a = g_new0 (EaDemoAccount, 1);

  a->name = g_strdup (name);
  a->size = size;
  a->profile_id = g_strdup (profile_id);
  return a;
}

void
ea_demo_account_free (EaDemoAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->name);
  g_free (account->profile_id);
  g_free (account);
}

static gboolean
valid_name (const char *name)
{
  gsize len;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  len = strlen (name);
  if (len == 0 || len > NAME_MAX_BYTES)
    return FALSE;
  if (g_ascii_isspace (name[0]) || g_ascii_isspace (name[len - 1]))
    return FALSE;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

gboolean
ea_demo_account_validate (const char     *name,
                          EaMicros        size,
                          const char     *profile_id,
                          EaProfileStore *profiles,
                          GError        **error)
{
  const EaRiskProfile *profile;

  g_return_val_if_fail (EA_IS_PROFILE_STORE (profiles), FALSE);

  if (!valid_name (name))
    {
      g_set_error (error, EA_DEMO_ACCOUNTS_ERROR, EA_DEMO_ACCOUNTS_ERROR_NAME,
                   _("An account name needs 1 to %d characters, without control characters or "
                     "spaces at either end"), NAME_MAX_BYTES);
      return FALSE;
    }

  profile = profile_id != NULL ? ea_profile_store_lookup (profiles, profile_id) : NULL;
  if (profile == NULL)
    {
      g_set_error (error, EA_DEMO_ACCOUNTS_ERROR, EA_DEMO_ACCOUNTS_ERROR_PROFILE,
                   _("%s: there is no firm profile “%s”"), name, profile_id ? profile_id : "");
      return FALSE;
    }

  if (size != profile->start_balance)
    {
      g_autofree char *asked = ea_money_format (size);
      g_autofree char *start = ea_money_format (profile->start_balance);

      g_set_error (error, EA_DEMO_ACCOUNTS_ERROR, EA_DEMO_ACCOUNTS_ERROR_SIZE,
                   _("%s: a %s account does not fit the profile %s, which starts at %s"),
                   name, asked, profile->id, start);
      return FALSE;
    }

  return TRUE;
}

GPtrArray *
ea_demo_accounts_parse (GVariant       *value,
                        EaProfileStore *profiles,
                        GPtrArray      *problems)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_demo_account_free);
  GVariantIter iter;
  const char *name, *profile_id;
  gint64 dollars;
  guint index = 0;

  g_return_val_if_fail (EA_IS_PROFILE_STORE (profiles), out);

  if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE (EA_DEMO_ACCOUNTS_TYPE)))
    {
      if (problems != NULL)
        g_ptr_array_add (problems, g_strdup (_("The demo accounts setting cannot be read: "
                                               "no demo account is created from it")));
      return out;
    }

  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "(&sx&s)", &name, &dollars, &profile_id))
    {
      g_autoptr(GError) error = NULL;
      gboolean taken = FALSE;
      EaMicros size;

      index++;
      for (guint i = 0; i < out->len && !taken; i++)
        taken = strcmp (((EaDemoAccount *) g_ptr_array_index (out, i))->name, name) == 0;

      if (dollars <= 0 || dollars > G_MAXINT64 / EA_MICROS_PER_UNIT)
        g_set_error (&error, EA_DEMO_ACCOUNTS_ERROR, EA_DEMO_ACCOUNTS_ERROR_SIZE,
                     _("%s: the size %" G_GINT64_FORMAT " is not a positive amount of dollars"),
                     name, dollars);
      else if (taken)
        g_set_error (&error, EA_DEMO_ACCOUNTS_ERROR, EA_DEMO_ACCOUNTS_ERROR_EXISTS,
                     _("%s is listed twice: only the first is kept"), name);
      else if (out->len >= EA_SIM_MAX_ACCOUNTS)
        g_set_error (&error, EA_DEMO_ACCOUNTS_ERROR, EA_DEMO_ACCOUNTS_ERROR_FULL,
                     _("%s: at most %d demo accounts, the others are left out"),
                     name, EA_SIM_MAX_ACCOUNTS);

      size = dollars * EA_MICROS_PER_UNIT;
      if (error == NULL && ea_demo_account_validate (name, size, profile_id, profiles, &error))
        {
          g_ptr_array_add (out, ea_demo_account_new (name, size, profile_id));
          continue;
        }

      if (problems != NULL)
        g_ptr_array_add (problems, g_strdup_printf (_("Demo account %u skipped: %s"), index, error->message));
    }

  return out;
}

GVariant *
ea_demo_accounts_to_variant (GPtrArray *accounts)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE (EA_DEMO_ACCOUNTS_TYPE));
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      const EaDemoAccount *a = g_ptr_array_index (accounts, i);

      g_variant_builder_add (&builder, "(sxs)", a->name, (gint64) (a->size / EA_MICROS_PER_UNIT),
                             a->profile_id);
    }
  return g_variant_builder_end (&builder);
}
