/* test-credentials.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaCredentials against a real Secret Service (gnome-keyring in a private
 * D-Bus session, see build-aux/test). Tests that need one are skipped
 * with the reason when none answers.
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include <libsecret/secret.h>

#include "ea-credential-expiry.h"
#include "ea-credentials.h"

#define TEST_APP_ID "io.github.enigmaapex.EnigmaApex.Test"

/* Known secrets: none of these may ever show up in a log, error or listing. */
#define PASSWORD_1 "pw-Alpha-7731-kn0wn"
#define PASSWORD_2 "pw-Bravo-4410-kn0wn"
#define CID_1      "cid-Charlie-0093"
#define SEC_1      "sec-Delta-5de2-9f8c-known"
#define SEC_2      "sec-Echo-77aa-0b1d-known"
#define TOKEN_1    "tok-Foxtrot-eyJhbGciOi"

static const char * const all_secrets[] = {
  PASSWORD_1, PASSWORD_2, CID_1, SEC_1, SEC_2, TOKEN_1,
};

/* --- log capture (the writer must be set once, in main) ---------------- */

static gboolean capturing;
static GString *captured;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  if (capturing)
    {
      for (gsize i = 0; i < n_fields; i++)
        {
          if (fields[i].length < 0)
            g_string_append_printf (captured, "%s=%s ", fields[i].key, (const char *) fields[i].value);
          else
            {
              g_string_append_printf (captured, "%s=", fields[i].key);
              g_string_append_len (captured, fields[i].value, fields[i].length);
              g_string_append_c (captured, ' ');
            }
        }
      g_string_append_c (captured, '\n');

      /* Debug output would end up in the TAP stream. */
      if ((log_level & G_LOG_LEVEL_DEBUG) != 0)
        return G_LOG_WRITER_HANDLED;
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
assert_no_secret (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (all_secrets); i++)
    {
      if (strstr (text, all_secrets[i]) != NULL)
        g_error ("known secret %u leaked at offset %d", i, (int) (strstr (text, all_secrets[i]) - text));
    }
}

/* --- synchronous wrappers ------------------------------------------------ */

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static gboolean
check_service (EaCredentials  *creds,
               GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ea_credentials_check_service_async (creds, NULL, result_cb, &result);
  return ea_credentials_check_service_finish (creds, wait_for (&result), error);
}

static gboolean
store (EaCredentials       *creds,
       const EaCredential  *cred,
       GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ea_credentials_store_async (creds, cred, NULL, result_cb, &result);
  return ea_credentials_store_finish (creds, wait_for (&result), error);
}

static char *
rotate (EaCredentials       *creds,
        const EaCredential  *cred,
        GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ea_credentials_rotate_async (creds, cred, NULL, result_cb, &result);
  return ea_credentials_rotate_finish (creds, wait_for (&result), error);
}

static EaCredential *
lookup (EaCredentials  *creds,
        const char     *broker,
        const char     *environment,
        const char     *account,
        GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ea_credentials_lookup_async (creds, broker, environment, account, NULL, result_cb, &result);
  return ea_credentials_lookup_finish (creds, wait_for (&result), error);
}

static gboolean
delete (EaCredentials  *creds,
        const char     *broker,
        const char     *environment,
        const char     *account,
        GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ea_credentials_delete_async (creds, broker, environment, account, NULL, result_cb, &result);
  return ea_credentials_delete_finish (creds, wait_for (&result), error);
}

static GPtrArray *
list (EaCredentials  *creds,
      GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ea_credentials_list_async (creds, NULL, result_cb, &result);
  return ea_credentials_list_finish (creds, wait_for (&result), error);
}

static char *
device_id (EaCredentials  *creds,
           GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ea_credentials_get_device_id_async (creds, NULL, result_cb, &result);
  return ea_credentials_get_device_id_finish (creds, wait_for (&result), error);
}

/* --- keyring helpers ----------------------------------------------------- */

static GHashTable *
app_attributes (void)
{
  GHashTable *attrs = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attrs, (char *) "app", (char *) TEST_APP_ID);
  return attrs;
}

/* Removes every item the tests made, straight through libsecret. */
static void
wipe_test_items (void)
{
  g_autoptr(GHashTable) attrs = app_attributes ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  secret_password_clearv (ea_credentials_get_schema (), attrs, NULL, result_cb, &result);
  secret_password_clear_finish (wait_for (&result), &error);
  g_assert_no_error (error);
}

/* Every secret of every test item as "kind=value", read straight through
 * libsecret. */
static GPtrArray *
raw_items (void)
{
  g_autoptr(GHashTable) attrs = app_attributes ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  GList *items;

  secret_password_searchv (ea_credentials_get_schema (), attrs,
                           SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, NULL, result_cb, &result);
  items = secret_password_search_finish (wait_for (&result), &error);
  g_assert_no_error (error);

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GAsyncResult) retrieved = NULL;
      g_autoptr(SecretValue) value = NULL;
      g_autoptr(GHashTable) item_attrs = secret_retrievable_get_attributes (l->data);

      secret_retrievable_retrieve_secret (l->data, NULL, result_cb, &retrieved);
      value = secret_retrievable_retrieve_secret_finish (l->data, wait_for (&retrieved), &error);
      g_assert_no_error (error);
      g_ptr_array_add (values, g_strdup_printf ("%s=%s",
                                                (char *) g_hash_table_lookup (item_attrs, "kind"),
                                                secret_value_get_text (value)));
    }
  g_list_free_full (items, g_object_unref);

  return values;
}

static gboolean
raw_items_contain (GPtrArray  *values,
                   const char *needle)
{
  for (guint i = 0; i < values->len; i++)
    {
      if (strstr (g_ptr_array_index (values, i), needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static char *
name_owner (GDBusConnection *bus,
            const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  char *owner = NULL;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetNameOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(s)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(s)", &owner);
  return owner;
}

static int keyring_state = -1;
static char *keyring_reason;

/* Skips the test unless a Secret Service with an unlocked keyring answers. */
static gboolean
require_keyring (void)
{
  if (keyring_state < 0)
    {
      g_autoptr(EaCredentials) creds = ea_credentials_new_for_app (TEST_APP_ID);
      g_autoptr(GDBusConnection) bus = NULL;
      g_autoptr(GError) error = NULL;

      /* A keyring daemon started just before the tests may not own its
       * bus name yet, or hand it over to its forked child a moment later;
       * a call in between is lost with the exiting process. Wait (up to
       * five seconds) for one owner to keep the name for half a second. */
      if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL &&
          (bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL)) != NULL)
        {
          g_autofree char *owner = NULL;
          guint stable = 0;

          for (guint i = 0; i < 100 && stable < 10; i++)
            {
              g_autofree char *now = name_owner (bus, "org.freedesktop.secrets");

              stable = now != NULL && g_strcmp0 (now, owner) == 0 ? stable + 1 : 0;
              g_free (owner);
              owner = g_steal_pointer (&now);
              g_usleep (G_USEC_PER_SEC / 20);
            }
        }

      keyring_state = check_service (creds, &error);
      if (!keyring_state)
        keyring_reason = g_strdup_printf ("no Secret Service with an unlocked keyring (error %d); "
                                          "run inside dbus-run-session with "
                                          "gnome-keyring-daemon --unlock, as build-aux/test does",
                                          error->code);
    }

  if (!keyring_state)
    {
      g_test_skip (keyring_reason);
      return FALSE;
    }

  wipe_test_items ();
  return TRUE;
}

static void
changed_cb (EaCredentials *creds,
            const char    *broker,
            const char    *environment,
            const char    *account,
            const char    *action,
            GPtrArray     *events)
{
  g_ptr_array_add (events, g_strdup_printf ("%s %s %s %s", action, broker, environment, account));
}

static GDateTime *
utc (int year,
     int month,
     int day)
{
  return g_date_time_new_utc (year, month, day, 0, 0, 0);
}

static EaCredential *
full_credential (const char *account)
{
  EaCredential *cred = ea_credential_new (EA_CREDENTIAL_BROKER_TRADOVATE,
                                          EA_CREDENTIAL_ENVIRONMENT_DEMO, account);
  g_autoptr(GDateTime) expires = utc (2027, 1, 31);

  ea_credential_set_secret (cred, EA_CREDENTIAL_KIND_PASSWORD, PASSWORD_1);
  ea_credential_set_secret (cred, EA_CREDENTIAL_KIND_CID, CID_1);
  ea_credential_set_secret (cred, EA_CREDENTIAL_KIND_SEC, SEC_1);
  ea_credential_set_secret (cred, EA_CREDENTIAL_KIND_TOKEN, TOKEN_1);
  ea_credential_set_expires (cred, expires);

  return cred;
}

/* --- tests without a keyring --------------------------------------------- */

static void
test_credential_secrets (void)
{
  g_autoptr(EaCredential) cred = ea_credential_new ("tradovate", "demo", "jdoe");
  g_autoptr(EaCredential) copy = NULL;
  g_autoptr(GError) error = NULL;
  char buffer[32];

  /* Nothing to store yet. */
  g_assert_false (ea_credential_validate (cred, &error));
  g_assert_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_INVALID);
  g_clear_error (&error);

  /* The credential keeps its own copy: wiping the caller's buffer does not
   * touch it. */
  g_strlcpy (buffer, PASSWORD_1, sizeof buffer);
  ea_credential_set_secret (cred, EA_CREDENTIAL_KIND_PASSWORD, buffer);
  memset (buffer, 0, sizeof buffer);
  g_assert_cmpstr (cred->password, ==, PASSWORD_1);
  g_assert_cmpstr (ea_credential_get_secret (cred, EA_CREDENTIAL_KIND_PASSWORD), ==, PASSWORD_1);
  g_assert_null (ea_credential_get_secret (cred, EA_CREDENTIAL_KIND_CID));

  ea_credential_set_secret (cred, EA_CREDENTIAL_KIND_PASSWORD, PASSWORD_2);
  ea_credential_set_secret (cred, EA_CREDENTIAL_KIND_SEC, SEC_1);
  g_assert_cmpstr (cred->password, ==, PASSWORD_2);
  g_assert_cmpstr (cred->sec, ==, SEC_1);
  g_assert_true (ea_credential_validate (cred, &error));
  g_assert_no_error (error);

  copy = ea_credential_copy (cred);
  g_assert_true (copy->password != cred->password);
  g_assert_cmpstr (copy->password, ==, PASSWORD_2);
  g_assert_cmpstr (copy->sec, ==, SEC_1);
  g_assert_null (copy->cid);
  g_assert_cmpstr (copy->account, ==, "jdoe");

  ea_credential_set_secret (copy, EA_CREDENTIAL_KIND_SEC, NULL);
  g_assert_null (copy->sec);
  g_assert_cmpstr (cred->sec, ==, SEC_1);
}

static void
test_credential_validation (void)
{
  struct {
    const char *broker, *environment, *account, *password;
  } bad[] = {
    { "etrade", "demo", "jdoe", PASSWORD_1 },
    { NULL, "demo", "jdoe", PASSWORD_1 },
    { "tradovate", "prod", "jdoe", PASSWORD_1 },
    { "tradovate", "demo", "", PASSWORD_1 },
    { "tradovate", "demo", NULL, PASSWORD_1 },
    { "tradovate", "demo", "jd\noe", PASSWORD_1 },
    { "tradovate", "demo", "\xff\xfe", PASSWORD_1 },
    { "tradovate", "demo", "jdoe", "" },
    { "tradovate", "demo", "jdoe", "\xc3\x28" PASSWORD_1 },
  };
  g_autofree char *long_secret = g_strnfill (8193, 'x');
  g_autofree char *long_account = g_strnfill (257, 'a');

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(EaCredential) cred = ea_credential_new (bad[i].broker, bad[i].environment,
                                                        bad[i].account);
      g_autoptr(GError) error = NULL;

      ea_credential_set_secret (cred, EA_CREDENTIAL_KIND_PASSWORD, bad[i].password);
      g_assert_false (ea_credential_validate (cred, &error));
      g_assert_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_INVALID);
      assert_no_secret (error->message);
    }

  {
    g_autoptr(EaCredential) cred = ea_credential_new ("ibkr", "paper", "jdoe");
    g_autoptr(GError) error = NULL;

    ea_credential_set_secret (cred, EA_CREDENTIAL_KIND_TOKEN, long_secret);
    g_assert_false (ea_credential_validate (cred, &error));
    g_assert_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_INVALID);
    g_assert_null (strstr (error->message, "xxxxxxxx"));
    g_clear_error (&error);

    long_secret[8192] = '\0';
    ea_credential_set_secret (cred, EA_CREDENTIAL_KIND_TOKEN, long_secret);
    g_assert_true (ea_credential_validate (cred, &error));
    g_assert_no_error (error);

    g_assert_false (ea_credential_validate_identity ("ibkr", "paper", long_account, &error));
    g_assert_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_INVALID);
    g_clear_error (&error);
    long_account[256] = '\0';
    g_assert_true (ea_credential_validate_identity ("ibkr", "paper", long_account, &error));
    g_assert_true (ea_credential_validate_identity ("ninjatrader", "live", "Jörg Müller", &error));
    g_assert_no_error (error);
  }

  {
    EaCredentialKind kind;

    for (guint i = 0; i < EA_CREDENTIAL_N_KINDS; i++)
      {
        g_assert_true (ea_credential_kind_from_string (ea_credential_kind_to_string (i), &kind));
        g_assert_cmpint (kind, ==, i);
      }
    g_assert_cmpstr (ea_credential_kind_to_string (EA_CREDENTIAL_KIND_CID), ==, "cid");
    g_assert_cmpstr (ea_credential_kind_to_string (EA_CREDENTIAL_KIND_SEC), ==, "sec");
    g_assert_false (ea_credential_kind_from_string ("device-id", &kind));
    g_assert_false (ea_credential_kind_from_string (NULL, &kind));
  }
}

static void
test_credential_expiry (void)
{
  g_autoptr(EaCredential) cred = ea_credential_new ("tradovate", "live", "jdoe");
  g_autoptr(GDateTime) expires = utc (2026, 3, 10);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 1, 12, 0, 0);
  g_autoptr(GDateTime) later = g_date_time_new_utc (2026, 3, 10, 0, 0, 1);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(GDateTime) local = NULL;
  EaCredentialInfo info = { .broker = (char *) "tradovate", .environment = (char *) "live",
                            .account = (char *) "jdoe" };

  /* No expiry: never warns, never expired. */
  g_assert_false (ea_credential_expires_within (cred, 10000, now));
  g_assert_false (ea_credential_is_expired (cred, now));
  g_assert_false (ea_credential_info_expires_within (&info, 10000, now));

  /* 8.5 days ahead. */
  ea_credential_set_expires (cred, expires);
  g_assert_false (ea_credential_expires_within (cred, 7, now));
  g_assert_false (ea_credential_expires_within (cred, 8, now));
  g_assert_true (ea_credential_expires_within (cred, 9, now));
  g_assert_true (ea_credential_expires_within (cred, 30, now));
  g_assert_false (ea_credential_is_expired (cred, now));

  /* One second past: expired, and within any warning window. */
  g_assert_true (ea_credential_is_expired (cred, later));
  g_assert_true (ea_credential_expires_within (cred, 0, later));
  g_assert_true (ea_credential_is_expired (cred, expires));

  info.expires = expires;
  g_assert_false (ea_credential_info_expires_within (&info, 8, now));
  g_assert_true (ea_credential_info_expires_within (&info, 9, now));

  /* Expiry is kept in UTC whatever zone it was given in:
   * 2026-03-09 20:00 in New York (EDT starts 03-08) is 03-10 00:00 UTC. */
  local = g_date_time_new (tz, 2026, 3, 9, 20, 0, 0);
  ea_credential_set_expires (cred, local);
  g_assert_cmpint (g_date_time_get_utc_offset (cred->expires), ==, 0);
  g_assert_true (g_date_time_equal (cred->expires, expires));

  ea_credential_set_expires (cred, NULL);
  g_assert_null (cred->expires);
}

static void
test_invalid_requests (void)
{
  g_autoptr(EaCredentials) creds = ea_credentials_new_for_app (TEST_APP_ID);
  g_autoptr(EaCredential) empty = ea_credential_new ("tradovate", "demo", "jdoe");
  g_autoptr(EaCredential) bad = ea_credential_new ("tradovate", "sandbox", "jdoe");
  g_autoptr(EaCredential) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rotated = NULL;

  g_assert_cmpstr (ea_credentials_get_app_id (creds), ==, TEST_APP_ID);
  {
    g_autoptr(EaCredentials) app = ea_credentials_new ();

    g_assert_cmpstr (ea_credentials_get_app_id (app), ==, APP_ID);
  }

  /* Refused before the keyring is asked, so no keyring is needed. */
  g_assert_false (store (creds, empty, &error));
  g_assert_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_INVALID);
  g_clear_error (&error);

  ea_credential_set_secret (bad, EA_CREDENTIAL_KIND_PASSWORD, PASSWORD_1);
  rotated = rotate (creds, bad, &error);
  g_assert_null (rotated);
  g_assert_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_INVALID);
  assert_no_secret (error->message);
  g_clear_error (&error);

  found = lookup (creds, "tradovate\n", "demo", "jdoe", &error);
  g_assert_null (found);
  g_assert_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (delete (creds, "ibkr", "live", "", &error));
  g_assert_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_INVALID);
}

/* A private bus without any Secret Service: the check must say so, and a
 * store must fail the same way instead of keeping the secret elsewhere. */
static void
test_no_service (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_autoptr(EaCredentials) creds = NULL;
      g_autoptr(EaCredential) cred = full_credential ("jdoe");
      g_autoptr(GError) error = NULL;

      g_unsetenv ("SECRET_BACKEND");
      g_test_dbus_up (bus);
      creds = ea_credentials_new_for_app (TEST_APP_ID);

      g_assert_false (check_service (creds, &error));
      g_assert_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_NO_SERVICE);
      g_assert_nonnull (strstr (error->message, "gnome-keyring"));
      g_assert_nonnull (strstr (error->message, "KeePassXC"));
      g_clear_error (&error);

      g_assert_false (store (creds, cred, &error));
      g_assert_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_NO_SERVICE);
      assert_no_secret (error->message);
      g_clear_error (&error);

      g_clear_object (&creds);
      secret_service_disconnect ();
      g_test_dbus_down (bus);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static gboolean
name_has_owner (GDBusConnection *bus,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static guint32
name_owner_pid (GDBusConnection *bus,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint32 pid = 0;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(u)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &pid);
  return pid;
}

/* A stand-in for the desktop's unlock dialog (gcr's system prompter, the
 * org.gnome.keyring.internal.Prompter protocol) whose user always presses
 * Cancel. */
static const char prompter_xml[] =
  "<node>"
  "  <interface name='org.gnome.keyring.internal.Prompter'>"
  "    <method name='BeginPrompting'><arg type='o' name='callback' direction='in'/></method>"
  "    <method name='PerformPrompt'>"
  "      <arg type='o' name='callback' direction='in'/>"
  "      <arg type='s' name='type' direction='in'/>"
  "      <arg type='a{sv}' name='properties' direction='in'/>"
  "      <arg type='s' name='exchange' direction='in'/>"
  "    </method>"
  "    <method name='StopPrompting'><arg type='o' name='callback' direction='in'/></method>"
  "  </interface>"
  "</node>";

static guint prompts_cancelled;

static void
prompter_call_back (GDBusConnection *connection,
                    const char      *sender,
                    const char      *callback,
                    const char      *method,
                    GVariant        *parameters)
{
  g_dbus_connection_call (connection, sender, callback,
                          "org.gnome.keyring.internal.Prompter.Callback", method, parameters,
                          NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, NULL, NULL);
}

static void
prompter_method_cb (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *path,
                    const char            *iface,
                    const char            *method,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  const char *callback = NULL;

  g_variant_get_child (parameters, 0, "&o", &callback);
  g_dbus_method_invocation_return_value (invocation, NULL);

  if (g_str_equal (method, "BeginPrompting"))
    {
      prompter_call_back (connection, sender, callback, "PromptReady",
                          g_variant_new ("(s@a{sv}s)", "",
                                         g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0),
                                         "[sx-aes-1]\npublic=Ag==\n"));
    }
  else if (g_str_equal (method, "PerformPrompt"))
    {
      prompts_cancelled++;
      prompter_call_back (connection, sender, callback, "PromptReady",
                          g_variant_new ("(s@a{sv}s)", "no",
                                         g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0),
                                         ""));
    }
  else
    {
      prompter_call_back (connection, sender, callback, "PromptDone", NULL);
    }
}

static void
export_cancelling_prompter (GDBusConnection *connection)
{
  static const GDBusInterfaceVTable vtable = { prompter_method_cb, NULL, NULL };
  g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (prompter_xml, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_dbus_connection_register_object (connection, "/org/gnome/keyring/Prompter",
                                     node->interfaces[0], &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.gnome.keyring.SystemPrompter", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
}

static GTestDBus *keyring_bus;

/* A gnome-keyring of its own on a private bus, its login keyring locked
 * behind the test's back, and a user who cancels every unlock dialog. */
static void
test_locked_keyring (void)
{
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");

  if (daemon == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed");
      return;
    }

  if (g_test_subprocess ())
    {
      g_autoptr(GSubprocess) keyring = NULL;
      g_autoptr(GDBusConnection) connection = NULL;
      g_autoptr(EaCredentials) creds = NULL;
      g_autoptr(EaCredential) cred = full_credential ("jdoe");
      g_autoptr(SecretService) service = NULL;
      g_autoptr(SecretCollection) collection = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *home = g_dir_make_tmp ("ea-keyring-XXXXXX", &error);
      g_autofree char *runtime = g_build_filename (home, "run", NULL);
      guint32 keyring_pid;
      g_autoptr(GBytes) password = g_bytes_new_static ("locked-test", 11);
      GList *objects;

      g_assert_no_error (error);
      g_assert_cmpint (g_mkdir (runtime, 0700), ==, 0);
      g_setenv ("HOME", home, TRUE);
      g_setenv ("XDG_DATA_HOME", home, TRUE);
      g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
      g_unsetenv ("SECRET_BACKEND");
      g_unsetenv ("GNOME_KEYRING_CONTROL");

      keyring_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (keyring_bus);

      /* Started the way a session starts it: it reads the login password
       * from stdin, forks into the background and exits. */
      keyring = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                                  &error, daemon, "--daemonize", "--unlock",
                                  "--components=secrets", NULL);
      g_assert_no_error (error);
      g_output_stream_write_bytes (g_subprocess_get_stdin_pipe (keyring), password, NULL, &error);
      g_assert_no_error (error);
      g_output_stream_close (g_subprocess_get_stdin_pipe (keyring), NULL, &error);
      g_assert_no_error (error);
      g_subprocess_wait_check (keyring, NULL, &error);
      g_assert_no_error (error);

      connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
      g_assert_no_error (error);
      while (!name_has_owner (connection, "org.freedesktop.secrets"))
        g_usleep (G_USEC_PER_SEC / 20);
      keyring_pid = name_owner_pid (connection, "org.freedesktop.secrets");
      g_assert_cmpuint (keyring_pid, >, 1);
      export_cancelling_prompter (connection);

      creds = ea_credentials_new_for_app (TEST_APP_ID);
      g_assert_true (check_service (creds, &error));
      g_assert_no_error (error);

      service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &error);
      g_assert_no_error (error);
      collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                     SECRET_COLLECTION_NONE, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (collection);
      objects = g_list_append (NULL, collection);
      g_assert_cmpint (secret_service_lock_sync (service, objects, NULL, NULL, &error), ==, 1);
      g_assert_no_error (error);
      g_list_free (objects);

      /* The user cancels the unlock dialog: the check comes back (where
       * libsecret 0.20's own unlock call never would) and says so. */
      g_assert_false (check_service (creds, &error));
      g_assert_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_LOCKED);
      g_assert_nonnull (strstr (error->message, "Unlock"));
      g_assert_cmpuint (prompts_cancelled, ==, 1);
      g_clear_error (&error);

      /* A store asks again, is refused again, and keeps nothing anywhere
       * else; so does a lookup. */
      g_assert_false (store (creds, cred, &error));
      g_assert_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_LOCKED);
      assert_no_secret (error->message);
      g_assert_cmpuint (prompts_cancelled, ==, 2);
      g_clear_error (&error);

      g_assert_null (lookup (creds, "tradovate", "demo", "jdoe", &error));
      g_assert_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_NOT_FOUND);
      g_clear_error (&error);

      /* The keyring is still locked and still empty of our items. */
      g_assert_true (secret_collection_get_locked (collection));

      /* libsecret keeps a reference to the bus connection after a store,
       * so g_test_dbus_down() would wait for it in vain: stop the bus and
       * keep the GTestDBus until this process exits. */
      kill (keyring_pid, SIGTERM);
      g_dbus_connection_set_exit_on_close (connection, FALSE);
      g_test_dbus_stop (keyring_bus);
      return;
    }

  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* --- tests against the keyring ------------------------------------------- */

static void
test_round_trip (void)
{
  g_autoptr(EaCredentials) creds = NULL;
  g_autoptr(EaCredential) cred = NULL;
  g_autoptr(EaCredential) only_password = NULL;
  g_autoptr(EaCredential) found = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) raw = NULL;
  g_autoptr(GDateTime) expires = utc (2027, 1, 31);
  g_autoptr(GError) error = NULL;

  if (!require_keyring ())
    return;

  creds = ea_credentials_new_for_app (TEST_APP_ID);
  g_signal_connect (creds, "changed", G_CALLBACK (changed_cb), events);

  cred = full_credential ("jdoe");
  g_assert_true (store (creds, cred, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (events, 0), ==, "stored tradovate demo jdoe");

  /* One keyring item per secret, each with its own kind. */
  raw = raw_items ();
  g_assert_cmpuint (raw->len, ==, 4);
  g_assert_true (raw_items_contain (raw, "password=" PASSWORD_1));
  g_assert_true (raw_items_contain (raw, "cid=" CID_1));
  g_assert_true (raw_items_contain (raw, "sec=" SEC_1));
  g_assert_true (raw_items_contain (raw, "token=" TOKEN_1));

  found = lookup (creds, "tradovate", "demo", "jdoe", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->broker, ==, "tradovate");
  g_assert_cmpstr (found->environment, ==, "demo");
  g_assert_cmpstr (found->account, ==, "jdoe");
  g_assert_cmpstr (found->password, ==, PASSWORD_1);
  g_assert_cmpstr (found->cid, ==, CID_1);
  g_assert_cmpstr (found->sec, ==, SEC_1);
  g_assert_cmpstr (found->token, ==, TOKEN_1);
  g_assert_nonnull (found->expires);
  g_assert_true (g_date_time_equal (found->expires, expires));
  g_clear_pointer (&found, ea_credential_free);

  /* Same user in another environment is another credential. */
  found = lookup (creds, "tradovate", "live", "jdoe", &error);
  g_assert_null (found);
  g_assert_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  only_password = ea_credential_new ("ibkr", "paper", "Jörg Müller");
  ea_credential_set_secret (only_password, EA_CREDENTIAL_KIND_PASSWORD, PASSWORD_2);
  g_assert_true (store (creds, only_password, &error));
  g_assert_no_error (error);

  found = lookup (creds, "ibkr", "paper", "Jörg Müller", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->password, ==, PASSWORD_2);
  g_assert_null (found->cid);
  g_assert_null (found->sec);
  g_assert_null (found->token);
  g_assert_null (found->expires);
  g_clear_pointer (&found, ea_credential_free);

  /* The first one is untouched. */
  found = lookup (creds, "tradovate", "demo", "jdoe", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->password, ==, PASSWORD_1);
  g_assert_cmpstr (found->token, ==, TOKEN_1);

  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (events, 1), ==, "stored ibkr paper Jörg Müller");
}

static void
test_store_replaces (void)
{
  g_autoptr(EaCredentials) creds = NULL;
  g_autoptr(EaCredential) cred = NULL;
  g_autoptr(EaCredential) found = NULL;
  g_autoptr(GPtrArray) raw = NULL;
  g_autoptr(GDateTime) expires = utc (2028, 6, 30);
  g_autoptr(GError) error = NULL;

  if (!require_keyring ())
    return;

  creds = ea_credentials_new_for_app (TEST_APP_ID);
  cred = full_credential ("jdoe");
  g_assert_true (store (creds, cred, &error));
  g_assert_no_error (error);

  /* Storing again with the same expiry overwrites in place. */
  ea_credential_set_secret (cred, EA_CREDENTIAL_KIND_PASSWORD, PASSWORD_2);
  g_assert_true (store (creds, cred, &error));
  g_assert_no_error (error);
  raw = raw_items ();
  g_assert_cmpuint (raw->len, ==, 4);
  g_assert_true (raw_items_contain (raw, "password=" PASSWORD_2));
  g_assert_false (raw_items_contain (raw, PASSWORD_1));
  g_clear_pointer (&raw, g_ptr_array_unref);

  /* A new expiry and fewer kinds: the old items all go. */
  ea_credential_set_secret (cred, EA_CREDENTIAL_KIND_CID, NULL);
  ea_credential_set_secret (cred, EA_CREDENTIAL_KIND_TOKEN, NULL);
  ea_credential_set_expires (cred, expires);
  g_assert_true (store (creds, cred, &error));
  g_assert_no_error (error);
  raw = raw_items ();
  g_assert_cmpuint (raw->len, ==, 2);
  g_assert_true (raw_items_contain (raw, "password=" PASSWORD_2));
  g_assert_true (raw_items_contain (raw, "sec=" SEC_1));

  found = lookup (creds, "tradovate", "demo", "jdoe", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->password, ==, PASSWORD_2);
  g_assert_cmpstr (found->sec, ==, SEC_1);
  g_assert_null (found->cid);
  g_assert_null (found->token);
  g_assert_true (g_date_time_equal (found->expires, expires));
}

static char *
serialize_list (GPtrArray *infos)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < infos->len; i++)
    {
      EaCredentialInfo *info = g_ptr_array_index (infos, i);
      g_autofree char *line = ea_credential_info_describe (info);

      g_string_append_printf (out, "%s|%s|%s|%u|%s\n", info->broker, info->environment,
                              info->account, info->kinds, line);
    }

  return g_string_free (out, FALSE);
}

static void
test_list (void)
{
  g_autoptr(EaCredentials) creds = NULL;
  g_autoptr(EaCredential) first = NULL;
  g_autoptr(EaCredential) second = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = utc (2027, 1, 10);
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;
  EaCredentialInfo *info;

  if (!require_keyring ())
    return;

  creds = ea_credentials_new_for_app (TEST_APP_ID);

  infos = list (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->len, ==, 0);
  g_clear_pointer (&infos, g_ptr_array_unref);

  /* The device id lives in the same schema but is not a credential. */
  id = device_id (creds, &error);
  g_assert_no_error (error);

  first = full_credential ("jdoe");
  second = ea_credential_new ("ibkr", "live", "acct7");
  ea_credential_set_secret (second, EA_CREDENTIAL_KIND_PASSWORD, PASSWORD_2);
  ea_credential_set_secret (second, EA_CREDENTIAL_KIND_SEC, SEC_2);
  g_assert_true (store (creds, first, &error));
  g_assert_true (store (creds, second, &error));
  g_assert_no_error (error);

  infos = list (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->len, ==, 2);

  /* Sorted by broker: ibkr before tradovate. */
  info = g_ptr_array_index (infos, 0);
  g_assert_cmpstr (info->broker, ==, "ibkr");
  g_assert_cmpstr (info->environment, ==, "live");
  g_assert_cmpstr (info->account, ==, "acct7");
  g_assert_cmpuint (info->kinds, ==, EA_CREDENTIAL_KIND_FLAG (EA_CREDENTIAL_KIND_PASSWORD) |
                                     EA_CREDENTIAL_KIND_FLAG (EA_CREDENTIAL_KIND_SEC));
  g_assert_true (ea_credential_info_has_kind (info, EA_CREDENTIAL_KIND_SEC));
  g_assert_false (ea_credential_info_has_kind (info, EA_CREDENTIAL_KIND_CID));
  g_assert_null (info->expires);
  g_assert_false (ea_credential_info_expires_within (info, 365, now));

  info = g_ptr_array_index (infos, 1);
  g_assert_cmpstr (info->broker, ==, "tradovate");
  g_assert_cmpuint (info->kinds, ==, 0xf);
  g_assert_nonnull (info->expires);
  g_assert_false (ea_credential_info_expires_within (info, 20, now));
  g_assert_true (ea_credential_info_expires_within (info, 21, now));

  text = serialize_list (infos);
  g_assert_cmpstr (text, ==,
                   "ibkr|live|acct7|5|ibkr live acct7: password sec; no expiry\n"
                   "tradovate|demo|jdoe|15|tradovate demo jdoe: password cid sec token; "
                   "expires 2027-01-31\n");
  assert_no_secret (text);
  g_assert_null (strstr (text, id));
}

static void
test_rotate (void)
{
  g_autoptr(EaCredentials) creds = NULL;
  g_autoptr(EaCredential) cred = NULL;
  g_autoptr(EaCredential) fresh = NULL;
  g_autoptr(EaCredential) found = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) raw = NULL;
  g_autoptr(GDateTime) expires = utc (2027, 7, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  if (!require_keyring ())
    return;

  creds = ea_credentials_new_for_app (TEST_APP_ID);
  g_signal_connect (creds, "changed", G_CALLBACK (changed_cb), events);

  fresh = ea_credential_new ("tradovate", "demo", "jdoe");
  ea_credential_set_secret (fresh, EA_CREDENTIAL_KIND_PASSWORD, PASSWORD_2);
  ea_credential_set_secret (fresh, EA_CREDENTIAL_KIND_SEC, SEC_2);
  ea_credential_set_expires (fresh, expires);

  /* Nothing to rotate yet. */
  description = rotate (creds, fresh, &error);
  g_assert_null (description);
  g_assert_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_NOT_FOUND);
  assert_no_secret (error->message);
  g_clear_error (&error);
  g_assert_cmpuint (events->len, ==, 0);
  raw = raw_items ();
  g_assert_cmpuint (raw->len, ==, 0);
  g_clear_pointer (&raw, g_ptr_array_unref);

  cred = full_credential ("jdoe");
  g_assert_true (store (creds, cred, &error));
  g_assert_no_error (error);

  description = rotate (creds, fresh, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (description, ==, "credential rotated: tradovate demo jdoe");
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (events, 1), ==, "rotated tradovate demo jdoe");

  found = lookup (creds, "tradovate", "demo", "jdoe", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->password, ==, PASSWORD_2);
  g_assert_cmpstr (found->sec, ==, SEC_2);
  g_assert_null (found->cid);
  g_assert_null (found->token);
  g_assert_true (g_date_time_equal (found->expires, expires));

  /* The old values are gone from the keyring, not just hidden. */
  raw = raw_items ();
  g_assert_cmpuint (raw->len, ==, 2);
  for (guint i = 0; i < raw->len; i++)
    {
      const char *item = g_ptr_array_index (raw, i);

      g_assert_null (strstr (item, PASSWORD_1));
      g_assert_null (strstr (item, CID_1));
      g_assert_null (strstr (item, SEC_1));
      g_assert_null (strstr (item, TOKEN_1));
    }
}

static void
test_delete (void)
{
  g_autoptr(EaCredentials) creds = NULL;
  g_autoptr(EaCredential) cred = NULL;
  g_autoptr(EaCredential) other = NULL;
  g_autoptr(EaCredential) found = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) error = NULL;

  if (!require_keyring ())
    return;

  creds = ea_credentials_new_for_app (TEST_APP_ID);
  g_signal_connect (creds, "changed", G_CALLBACK (changed_cb), events);

  cred = full_credential ("jdoe");
  other = full_credential ("jroe");
  g_assert_true (store (creds, cred, &error));
  g_assert_true (store (creds, other, &error));
  g_assert_no_error (error);

  g_assert_true (delete (creds, "tradovate", "demo", "jdoe", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_ptr_array_index (events, events->len - 1), ==, "deleted tradovate demo jdoe");

  found = lookup (creds, "tradovate", "demo", "jdoe", &error);
  g_assert_null (found);
  g_assert_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Deleting it again says there was nothing, and emits nothing. */
  g_assert_false (delete (creds, "tradovate", "demo", "jdoe", &error));
  g_assert_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (events->len, ==, 3);

  /* The other account is untouched. */
  infos = list (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->len, ==, 1);
  g_assert_cmpstr (((EaCredentialInfo *) g_ptr_array_index (infos, 0))->account, ==, "jroe");
  found = lookup (creds, "tradovate", "demo", "jroe", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->password, ==, PASSWORD_1);
}

static void
test_device_id (void)
{
  g_autoptr(EaCredentials) first = NULL;
  g_autoptr(EaCredentials) second = NULL;
  g_autoptr(GAsyncResult) result_a = NULL;
  g_autoptr(GAsyncResult) result_b = NULL;
  g_autoptr(GHashTable) attrs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id_a = NULL;
  g_autofree char *id_b = NULL;
  g_autofree char *again = NULL;
  g_autofree char *renewed = NULL;

  if (!require_keyring ())
    return;

  first = ea_credentials_new_for_app (TEST_APP_ID);
  second = ea_credentials_new_for_app (TEST_APP_ID);

  /* Two instances asking at once, before any id exists, get the same one. */
  ea_credentials_get_device_id_async (first, NULL, result_cb, &result_a);
  ea_credentials_get_device_id_async (second, NULL, result_cb, &result_b);
  id_a = ea_credentials_get_device_id_finish (first, wait_for (&result_a), &error);
  g_assert_no_error (error);
  id_b = ea_credentials_get_device_id_finish (second, wait_for (&result_b), &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (id_a));
  g_assert_cmpstr (id_a, ==, id_b);

  /* A later instance reads it back from the keyring. */
  g_clear_object (&second);
  second = ea_credentials_new_for_app (TEST_APP_ID);
  again = device_id (second, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, id_a);

  /* Only when it is removed from the keyring does a new one appear. */
  attrs = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attrs, (char *) "app", (char *) TEST_APP_ID);
  g_hash_table_insert (attrs, (char *) "kind", (char *) "device-id");
  {
    g_autoptr(GAsyncResult) result = NULL;

    secret_password_clearv (ea_credentials_get_schema (), attrs, NULL, result_cb, &result);
    g_assert_true (secret_password_clear_finish (wait_for (&result), &error));
    g_assert_no_error (error);
  }
  renewed = device_id (first, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (renewed));
  g_assert_cmpstr (renewed, !=, id_a);
}

static void
test_cancelled (void)
{
  g_autoptr(EaCredentials) creds = ea_credentials_new_for_app (TEST_APP_ID);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(EaCredential) cred = full_credential ("jdoe");
  g_autoptr(GError) error = NULL;

  if (!require_keyring ())
    return;

  g_cancellable_cancel (cancellable);
  ea_credentials_store_async (creds, cred, cancellable, result_cb, &result);
  g_assert_false (ea_credentials_store_finish (creds, wait_for (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Nothing was written, and the queue moves on. */
  g_assert_null (lookup (creds, "tradovate", "demo", "jdoe", &error));
  g_assert_error (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_NOT_FOUND);
}

/* A whole store/lookup/rotate/delete cycle with debug output on: the
 * known secrets never reach the log. */
static void
test_log_capture (void)
{
  g_autoptr(EaCredentials) creds = NULL;
  g_autoptr(EaCredential) cred = NULL;
  g_autoptr(EaCredential) fresh = NULL;
  g_autoptr(EaCredential) found = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GString) errors = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *id = NULL;

  if (!require_keyring ())
    return;

  creds = ea_credentials_new_for_app (TEST_APP_ID);
  cred = full_credential ("jdoe");
  fresh = ea_credential_copy (cred);
  ea_credential_set_secret (fresh, EA_CREDENTIAL_KIND_PASSWORD, PASSWORD_2);
  ea_credential_set_secret (fresh, EA_CREDENTIAL_KIND_SEC, SEC_2);

  g_log_set_debug_enabled (TRUE);
  g_string_truncate (captured, 0);
  capturing = TRUE;

  g_assert_true (check_service (creds, &error));
  description = rotate (creds, cred, &error);
  g_string_append_printf (errors, "%s\n", error->message);
  g_clear_error (&error);
  g_assert_true (store (creds, cred, &error));
  found = lookup (creds, "tradovate", "demo", "jdoe", &error);
  g_assert_cmpstr (found->sec, ==, SEC_1);
  g_clear_pointer (&found, ea_credential_free);
  description = rotate (creds, fresh, &error);
  g_assert_nonnull (description);
  found = lookup (creds, "tradovate", "demo", "jdoe", &error);
  g_assert_cmpstr (found->sec, ==, SEC_2);
  infos = list (creds, &error);
  id = device_id (creds, &error);
  g_assert_true (delete (creds, "tradovate", "demo", "jdoe", &error));
  g_assert_false (delete (creds, "tradovate", "demo", "jdoe", &error));
  g_string_append_printf (errors, "%s\n", error->message);
  g_clear_error (&error);
  g_assert_null (lookup (creds, "tradovate", "demo", "jdoe", &error));
  g_string_append_printf (errors, "%s\n", error->message);
  g_clear_error (&error);

  capturing = FALSE;
  g_log_set_debug_enabled (FALSE);

  /* The capture did see the operations (so it would have seen a leak). */
  g_assert_nonnull (strstr (captured->str, "credential stored: tradovate demo jdoe"));
  g_assert_nonnull (strstr (captured->str, "credential rotated: tradovate demo jdoe"));
  g_assert_nonnull (strstr (captured->str, "credential deleted: tradovate demo jdoe"));
  assert_no_secret (captured->str);
  assert_no_secret (errors->str);
  assert_no_secret (description);
  g_assert_null (strstr (captured->str, id));
}

/* The warning before an expiry, at a fixed time: within the week it
 * warns with the days left, a month ahead it does not, past it says so. */
static void
test_expiry_warning_text (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 5, 12, 0, 0);
  g_autoptr(GDateTime) in_3 = g_date_time_add_days (now, 3);
  g_autoptr(GDateTime) in_30 = g_date_time_add_days (now, 30);
  g_autoptr(GDateTime) ago_2 = g_date_time_add_days (now, -2);
  EaCredentialInfo soon = { (char *) "tradovate", (char *) "demo", (char *) "jdoe", 0, in_3 };
  EaCredentialInfo later = { (char *) "tradovate", (char *) "live", (char *) "jdoe", 0, in_30 };
  EaCredentialInfo expired = { (char *) "tradovate", (char *) "demo", (char *) "old", 0, ago_2 };
  EaCredentialInfo never = { (char *) "tradovate", (char *) "demo", (char *) "forever", 0, NULL };
  g_autoptr(GPtrArray) infos = g_ptr_array_new ();
  g_autoptr(GPtrArray) alerts = NULL;
  g_autofree char *text = NULL;

  text = ea_credential_expiry_describe (&soon, EA_CREDENTIAL_EXPIRY_WARN_DAYS, now);
  g_assert_cmpstr (text, ==, "expires in 3 days, on 2026-12-08");
  g_clear_pointer (&text, g_free);
  g_assert_null (ea_credential_expiry_describe (&later, EA_CREDENTIAL_EXPIRY_WARN_DAYS, now));
  g_assert_null (ea_credential_expiry_describe (&never, EA_CREDENTIAL_EXPIRY_WARN_DAYS, now));
  text = ea_credential_expiry_describe (&expired, EA_CREDENTIAL_EXPIRY_WARN_DAYS, now);
  g_assert_cmpstr (text, ==, "expired on 2026-12-03");

  g_ptr_array_add (infos, &later);
  g_ptr_array_add (infos, &soon);
  g_ptr_array_add (infos, &never);
  g_ptr_array_add (infos, &expired);
  alerts = ea_credential_expiry_alerts (infos, EA_CREDENTIAL_EXPIRY_WARN_DAYS, now);
  g_assert_cmpuint (alerts->len, ==, 2);
  /* The expired one first, louder. */
  g_assert_cmpstr (ea_alert_get_title (g_ptr_array_index (alerts, 0)), ==, "Credential expired");
  g_assert_cmpuint (ea_alert_get_priority (g_ptr_array_index (alerts, 0)), ==, EA_ALERT_PRIORITY_HIGH);
  g_assert_cmpstr (ea_alert_get_body (g_ptr_array_index (alerts, 0)), ==,
                   "The Tradovate demo credential of old expired on 2026-12-03: it no longer works. "
                   "Replace it in the quick setup (Credentials page).");
  g_assert_cmpstr (ea_alert_get_title (g_ptr_array_index (alerts, 1)), ==, "Credential expires soon");
  g_assert_cmpstr (ea_alert_get_kind (g_ptr_array_index (alerts, 1)), ==, EA_CREDENTIAL_EXPIRY_ALERT_KIND);
  g_assert_cmpstr (ea_alert_get_body (g_ptr_array_index (alerts, 1)), ==,
                   "The Tradovate demo credential of jdoe expires in 3 days, on 2026-12-08. "
                   "Replace it in the quick setup (Credentials page) before then.");
}

/* Expiry dates stored in the real keyring come back from lookup and list,
 * and the start-up check raises an alert for exactly the ones due. */
static void
test_expiry_check (void)
{
  g_autoptr(EaCredentials) creds = NULL;
  g_autoptr(EaTradingStore) alert_store = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) in_3 = NULL;
  g_autoptr(GDateTime) in_30 = NULL;
  g_autoptr(GDateTime) ago_1 = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EaCredential) found = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  GListModel *alerts;
  struct { const char *account; GDateTime **expires; } items[] = {
    { "soon", &in_3 }, { "later", &in_30 }, { "gone", &ago_1 }, { "never", NULL },
  };
  gssize n;

  if (!require_keyring ())
    return;

  /* Whole seconds: the keyring keeps ISO 8601 without fractions. */
  in_3 = g_date_time_new_from_unix_utc (g_date_time_to_unix (now) + 3 * 24 * 3600);
  in_30 = g_date_time_new_from_unix_utc (g_date_time_to_unix (now) + 30 * 24 * 3600);
  ago_1 = g_date_time_new_from_unix_utc (g_date_time_to_unix (now) - 24 * 3600);

  creds = ea_credentials_new_for_app (TEST_APP_ID);
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autoptr(EaCredential) cred = ea_credential_new ("tradovate", "demo", items[i].account);

      ea_credential_set_secret (cred, EA_CREDENTIAL_KIND_PASSWORD, PASSWORD_1);
      if (items[i].expires != NULL)
        ea_credential_set_expires (cred, *items[i].expires);
      g_assert_true (store (creds, cred, &error));
      g_assert_no_error (error);
    }

  found = lookup (creds, "tradovate", "demo", "soon", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found->expires);
  g_assert_cmpint (g_date_time_to_unix (found->expires), ==, g_date_time_to_unix (in_3));
  infos = list (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->len, ==, 4);
  for (guint i = 0; i < infos->len; i++)
    {
      EaCredentialInfo *info = g_ptr_array_index (infos, i);

      if (g_str_equal (info->account, "never"))
        g_assert_null (info->expires);
      else if (g_str_equal (info->account, "later"))
        g_assert_cmpint (g_date_time_to_unix (info->expires), ==, g_date_time_to_unix (in_30));
    }

  alert_store = ea_trading_store_new ();
  ea_credential_expiry_check_async (creds, alert_store, EA_CREDENTIAL_EXPIRY_WARN_DAYS, NULL, result_cb, &result);
  n = ea_credential_expiry_check_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 2);
  alerts = ea_trading_store_get_alerts (alert_store);
  g_assert_cmpuint (g_list_model_get_n_items (alerts), ==, 2);
  {
    g_autoptr(EaAlert) first = g_list_model_get_item (alerts, 0);
    g_autoptr(EaAlert) second = g_list_model_get_item (alerts, 1);

    g_assert_cmpstr (ea_alert_get_title (first), ==, "Credential expired");
    g_assert_nonnull (strstr (ea_alert_get_body (first), "credential of gone expired on"));
    g_assert_cmpstr (ea_alert_get_title (second), ==, "Credential expires soon");
    g_assert_nonnull (strstr (ea_alert_get_body (second), "credential of soon expires in 3 days"));
    assert_no_secret (ea_alert_get_body (first));
    assert_no_secret (ea_alert_get_body (second));
  }

  wipe_test_items ();
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_log_set_writer_func (capture_writer, NULL, NULL);
  captured = g_string_new (NULL);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/credentials/credential/secrets", test_credential_secrets);
  g_test_add_func ("/credentials/credential/validation", test_credential_validation);
  g_test_add_func ("/credentials/credential/expiry", test_credential_expiry);
  g_test_add_func ("/credentials/credential/expiry-warning", test_expiry_warning_text);
  g_test_add_func ("/credentials/invalid-requests", test_invalid_requests);
  g_test_add_func ("/credentials/no-service", test_no_service);
  g_test_add_func ("/credentials/locked-keyring", test_locked_keyring);
  g_test_add_func ("/credentials/keyring/round-trip", test_round_trip);
  g_test_add_func ("/credentials/keyring/store-replaces", test_store_replaces);
  g_test_add_func ("/credentials/keyring/list", test_list);
  g_test_add_func ("/credentials/keyring/rotate", test_rotate);
  g_test_add_func ("/credentials/keyring/expiry-check", test_expiry_check);
  g_test_add_func ("/credentials/keyring/delete", test_delete);
  g_test_add_func ("/credentials/keyring/device-id", test_device_id);
  g_test_add_func ("/credentials/keyring/cancelled", test_cancelled);
  g_test_add_func ("/credentials/keyring/log-capture", test_log_capture);

  ret = g_test_run ();

  if (keyring_state > 0)
    wipe_test_items ();
  g_free (keyring_reason);
  g_string_free (captured, TRUE);

  return ret;
}
