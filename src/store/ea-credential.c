/* ea-credential.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaCredential (a credential with its secrets, held in non-pageable memory
 * and wiped on free) and EaCredentialInfo (the metadata a listing shows).
 */
#define G_LOG_DOMAIN "ea-credentials"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "ea-credentials.h"

#define ACCOUNT_MAX_BYTES 256
#define SECRET_MAX_BYTES  8192

static const char * const brokers[] = {
  EA_CREDENTIAL_BROKER_TRADOVATE,
  EA_CREDENTIAL_BROKER_IBKR,
  EA_CREDENTIAL_BROKER_NINJATRADER,
};

static const char * const environments[] = {
  EA_CREDENTIAL_ENVIRONMENT_DEMO,
  EA_CREDENTIAL_ENVIRONMENT_LIVE,
  EA_CREDENTIAL_ENVIRONMENT_PAPER,
};

G_DEFINE_BOXED_TYPE (EaCredential, ea_credential,
                     ea_credential_copy, ea_credential_free)
G_DEFINE_BOXED_TYPE (EaCredentialInfo, ea_credential_info,
                     ea_credential_info_copy, ea_credential_info_free)

static gboolean
in_list (const char         *str,
         const char * const *list,
         gsize               n)
{
  if (str == NULL)
    return FALSE;

  for (gsize i = 0; i < n; i++)
    {
      if (g_str_equal (str, list[i]))
        return TRUE;
    }

  return FALSE;
}

gboolean
ea_credential_broker_is_valid (const char *broker)
{
  return in_list (broker, brokers, G_N_ELEMENTS (brokers));
}

gboolean
ea_credential_environment_is_valid (const char *environment)
{
  return in_list (environment, environments, G_N_ELEMENTS (environments));
}

const char *
ea_credential_kind_to_string (EaCredentialKind kind)
{
  switch (kind)
    {
    case EA_CREDENTIAL_KIND_PASSWORD:
      return "password";
    case EA_CREDENTIAL_KIND_CID:
      return "cid";
    case EA_CREDENTIAL_KIND_SEC:
      return "sec";
    case EA_CREDENTIAL_KIND_TOKEN:
      return "token";
    default:
      return NULL;
    }
}

gboolean
ea_credential_kind_from_string (const char       *str,
                                EaCredentialKind *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < EA_CREDENTIAL_N_KINDS; i++)
    {
      if (g_str_equal (str, ea_credential_kind_to_string (i)))
        {
          *out = i;
          return TRUE;
        }
    }

  return FALSE;
}

static char **
secret_slot (EaCredential     *cred,
             EaCredentialKind  kind)
{
  switch (kind)
    {
    case EA_CREDENTIAL_KIND_PASSWORD:
      return &cred->password;
    case EA_CREDENTIAL_KIND_CID:
      return &cred->cid;
    case EA_CREDENTIAL_KIND_SEC:
      return &cred->sec;
    case EA_CREDENTIAL_KIND_TOKEN:
      return &cred->token;
    default:
      return NULL;
    }
}

/**
 * ea_credential_new:
 *
 * Returns: (transfer full): a credential without secrets.
 */
EaCredential *
ea_credential_new (const char *broker,
                   const char *environment,
                   const char *account)
{
  EaCredential *cred = g_new0 (EaCredential, 1);

  cred->broker = g_strdup (broker);
  cred->environment = g_strdup (environment);
  cred->account = g_strdup (account);

  return cred;
}

EaCredential *
ea_credential_copy (const EaCredential *cred)
{
  EaCredential *copy;

  g_return_val_if_fail (cred != NULL, NULL);

  copy = ea_credential_new (cred->broker, cred->environment, cred->account);
  for (guint i = 0; i < EA_CREDENTIAL_N_KINDS; i++)
    ea_credential_set_secret (copy, i, ea_credential_get_secret (cred, i));
  ea_credential_set_expires (copy, cred->expires);

  return copy;
}

void
ea_credential_free (EaCredential *cred)
{
  if (cred == NULL)
    return;

  /* secret_password_free() zeroes the memory before releasing it. */
  for (guint i = 0; i < EA_CREDENTIAL_N_KINDS; i++)
    g_clear_pointer (secret_slot (cred, i), secret_password_free);

  g_free (cred->broker);
  g_free (cred->environment);
  g_free (cred->account);
  g_clear_pointer (&cred->expires, g_date_time_unref);
  g_free (cred);
}

/**
 * ea_credential_set_secret:
 * @value: (nullable): the secret, or %NULL to remove it
 *
 * Copies @value into non-pageable memory; the previous value is wiped.
 * The caller should wipe its own copy of @value.
 */
void
ea_credential_set_secret (EaCredential     *cred,
                          EaCredentialKind  kind,
                          const char       *value)
{
  char **slot;

  g_return_if_fail (cred != NULL);

  slot = secret_slot (cred, kind);
  g_return_if_fail (slot != NULL);

  g_clear_pointer (slot, secret_password_free);

  if (value != NULL)
    {
      SecretValue *secret = secret_value_new (value, -1, "text/plain");
      gsize length = 0;

      *slot = secret_value_unref_to_password (secret, &length);
    }
}

const char *
ea_credential_get_secret (const EaCredential *cred,
                          EaCredentialKind    kind)
{
  g_return_val_if_fail (cred != NULL, NULL);

  switch (kind)
    {
    case EA_CREDENTIAL_KIND_PASSWORD:
      return cred->password;
    case EA_CREDENTIAL_KIND_CID:
      return cred->cid;
    case EA_CREDENTIAL_KIND_SEC:
      return cred->sec;
    case EA_CREDENTIAL_KIND_TOKEN:
      return cred->token;
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * ea_credential_set_expires:
 * @expires: (nullable): when the credential stops working, or %NULL
 */
void
ea_credential_set_expires (EaCredential *cred,
                           GDateTime    *expires)
{
  g_return_if_fail (cred != NULL);

  g_clear_pointer (&cred->expires, g_date_time_unref);
  if (expires != NULL)
    cred->expires = g_date_time_to_utc (expires);
}

static gboolean
validate_text (const char  *text,
               gsize        max_bytes,
               gboolean     allow_control)
{
  if (text == NULL || text[0] == '\0')
    return FALSE;
  if (strlen (text) > max_bytes)
    return FALSE;
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;

  if (!allow_control)
    {
      for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
        {
          if (g_unichar_iscntrl (g_utf8_get_char (p)))
            return FALSE;
        }
    }

  return TRUE;
}

/**
 * ea_credential_validate_identity:
 *
 * Checks that @broker and @environment are known and @account is short
 * text without control characters.
 */
gboolean
ea_credential_validate_identity (const char  *broker,
                                 const char  *environment,
                                 const char  *account,
                                 GError     **error)
{
  if (!ea_credential_broker_is_valid (broker))
    {
      g_set_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_INVALID,
                   _("Unknown broker “%s”: use tradovate, ibkr or ninjatrader"),
                   broker != NULL && g_utf8_validate (broker, -1, NULL) ? broker : "");
      return FALSE;
    }

  if (!ea_credential_environment_is_valid (environment))
    {
      g_set_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_INVALID,
                   _("Unknown environment “%s”: use demo, live or paper"),
                   environment != NULL && g_utf8_validate (environment, -1, NULL)
                     ? environment : "");
      return FALSE;
    }

  if (!validate_text (account, ACCOUNT_MAX_BYTES, FALSE))
    {
      g_set_error_literal (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_INVALID,
                           _("The user name must be 1 to 256 bytes of text without control characters"));
      return FALSE;
    }

  return TRUE;
}

/**
 * ea_credential_validate:
 *
 * Checks the identity (see ea_credential_validate_identity()) and that at
 * least one secret is set and each secret is text of sensible length.
 * Error messages name a secret field, never its value.
 */
gboolean
ea_credential_validate (const EaCredential  *cred,
                        GError             **error)
{
  gboolean any = FALSE;

  g_return_val_if_fail (cred != NULL, FALSE);

  if (!ea_credential_validate_identity (cred->broker, cred->environment, cred->account, error))
    return FALSE;

  for (guint i = 0; i < EA_CREDENTIAL_N_KINDS; i++)
    {
      const char *value = ea_credential_get_secret (cred, i);

      if (value == NULL)
        continue;

      if (!validate_text (value, SECRET_MAX_BYTES, TRUE))
        {
          g_set_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_INVALID,
                       _("The %s must be 1 to 8192 bytes of UTF-8 text"),
                       ea_credential_kind_to_string (i));
          return FALSE;
        }
      any = TRUE;
    }

  if (!any)
    {
      g_set_error_literal (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_INVALID,
                           _("The credential holds no password, key or token"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
expires_within (GDateTime *expires,
                guint      days,
                GDateTime *now)
{
  if (expires == NULL)
    return FALSE;

  return g_date_time_difference (expires, now) <= (GTimeSpan) days * G_TIME_SPAN_DAY;
}

/**
 * ea_credential_expires_within:
 * @now: the current time
 *
 * Returns: %TRUE when the credential has an expiry and it falls at most
 *   @days days after @now (already expired counts), so the caller can warn.
 */
gboolean
ea_credential_expires_within (const EaCredential *cred,
                              guint               days,
                              GDateTime          *now)
{
  g_return_val_if_fail (cred != NULL, FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  return expires_within (cred->expires, days, now);
}

gboolean
ea_credential_is_expired (const EaCredential *cred,
                          GDateTime          *now)
{
  g_return_val_if_fail (cred != NULL, FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  return cred->expires != NULL && g_date_time_compare (cred->expires, now) <= 0;
}

EaCredentialInfo *
ea_credential_info_copy (const EaCredentialInfo *info)
{
  EaCredentialInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_new0 (EaCredentialInfo, 1);
  copy->broker = g_strdup (info->broker);
  copy->environment = g_strdup (info->environment);
  copy->account = g_strdup (info->account);
  copy->kinds = info->kinds;
  copy->expires = info->expires != NULL ? g_date_time_ref (info->expires) : NULL;

  return copy;
}

void
ea_credential_info_free (EaCredentialInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->broker);
  g_free (info->environment);
  g_free (info->account);
  g_clear_pointer (&info->expires, g_date_time_unref);
  g_free (info);
}

gboolean
ea_credential_info_has_kind (const EaCredentialInfo *info,
                             EaCredentialKind        kind)
{
  g_return_val_if_fail (info != NULL, FALSE);

  return (info->kinds & EA_CREDENTIAL_KIND_FLAG (kind)) != 0;
}

gboolean
ea_credential_info_expires_within (const EaCredentialInfo *info,
                                   guint                   days,
                                   GDateTime              *now)
{
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  return expires_within (info->expires, days, now);
}

/**
 * ea_credential_info_describe:
 *
 * Returns: (transfer full): one line such as
 *   "tradovate demo jdoe: password cid sec; expires 2027-01-31", fit for
 *   logs and the audit trail.
 */
char *
ea_credential_info_describe (const EaCredentialInfo *info)
{
  GString *out;

  g_return_val_if_fail (info != NULL, NULL);

  out = g_string_new (NULL);
  g_string_append_printf (out, "%s %s %s:", info->broker, info->environment, info->account);
  for (guint i = 0; i < EA_CREDENTIAL_N_KINDS; i++)
    {
      if (ea_credential_info_has_kind (info, i))
        g_string_append_printf (out, " %s", ea_credential_kind_to_string (i));
    }

  if (info->expires != NULL)
    {
      g_autofree char *date = g_date_time_format (info->expires, "%Y-%m-%d");

      g_string_append_printf (out, "; expires %s", date);
    }
  else
    {
      g_string_append (out, "; no expiry");
    }

  return g_string_free (out, FALSE);
}
