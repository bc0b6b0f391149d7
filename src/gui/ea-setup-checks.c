/* ea-setup-checks.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pages of the quick setup that talk to the outside: credentials (the
 * keyring), verify (a real connection test per platform) and the summary.
 */
#define G_LOG_DOMAIN "ea-setup"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "ea-credential-expiry.h"
#include "ea-ibkr-broker.h"
#include "ea-setup-assistant-private.h"

static GtkWidget *
field (EaSetupAssistant *self,
       const char       *name)
{
  return g_hash_table_lookup (self->fields, name);
}

static GtkWidget *
wrapped_label (const char *text,
               const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 70);
  gtk_label_set_width_chars (GTK_LABEL (label), 20);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
audit_details (EaSetupAssistant *self,
               const char       *kind,
               const char       *subject,
               const char       *details_json)
{
  /* Broker, environment and user name only: never a secret. */
  if (self->journal != NULL)
    ea_journal_audit_async (self->journal, EA_ACTOR_USER, kind, subject, details_json, NULL, NULL, NULL);
}

static void
audit (EaSetupAssistant *self,
       const char       *kind,
       const char       *subject)
{
  audit_details (self, kind, subject, NULL);
}

/* Page 3: credentials ---------------------------------------------------------- */

static void
wipe_secret_fields (EaSetupAssistant *self)
{
  gtk_editable_set_text (GTK_EDITABLE (field (self, "tradovate-password")), "");
  gtk_editable_set_text (GTK_EDITABLE (field (self, "tradovate-cid")), "");
  gtk_editable_set_text (GTK_EDITABLE (field (self, "tradovate-sec")), "");
  gtk_editable_set_text (GTK_EDITABLE (field (self, "tradovate-expires")), "");
}

gboolean
_ea_setup_parse_expiry (const char  *text,
                        GDateTime   *now,
                        GDateTime  **out,
                        GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autoptr(GDateTime) today = NULL;
  g_autoptr(GDateTime) date = NULL;
  unsigned int year, month, day;
  char rest;

  *out = NULL;
  if (trimmed[0] == '\0')
    return TRUE;

  if (sscanf (trimmed, "%4u-%2u-%2u%c", &year, &month, &day, &rest) != 3 || strlen (trimmed) != 10 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a date: write it as YYYY-MM-DD, or leave it empty."), trimmed);
      return FALSE;
    }

  date = g_date_time_new_utc ((int) year, (int) month, (int) day, 0, 0, 0);
  today = g_date_time_new_utc (g_date_time_get_year (now), g_date_time_get_month (now),
                               g_date_time_get_day_of_month (now), 0, 0, 0);
  if (date == NULL || g_date_time_compare (date, today) < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s has passed: enter the day the credential stops working, or leave it empty."), trimmed);
      return FALSE;
    }

  *out = g_steal_pointer (&date);
  return TRUE;
}

static void
update_credential_view (EaSetupAssistant *self)
{
  g_autoptr(EaPlatformConfig) c = ea_platform_config_new ();
  g_autofree char *status = NULL;

  _ea_setup_config_from_fields (self, c);
  for (guint i = 0; i < EA_N_PLATFORMS; i++)
    gtk_widget_set_visible (self->cred_section[i], c->enabled[i]);

  if (self->cred_checked_for == NULL)
    status = g_strdup (_("Looking in the keyring…"));
  else if (self->cred_stored && self->cred_expires != NULL)
    {
      g_autofree char *date = g_date_time_format (self->cred_expires, "%Y-%m-%d");

      status = g_strdup_printf (_("Stored in the keyring for %s (%s), valid until %s."), c->tradovate_user,
                                c->tradovate_environment, date);
    }
  else if (self->cred_stored)
    status = g_strdup_printf (_("Stored in the keyring for %s (%s)."), c->tradovate_user, c->tradovate_environment);
  else
    status = g_strdup_printf (_("Nothing stored yet for %s (%s): enter them below."),
                              c->tradovate_user, c->tradovate_environment);
  gtk_label_set_text (GTK_LABEL (self->cred_status), status);

  /* The warning before the expiry, as the desk's alert says it. */
  {
    g_autofree char *note = NULL;

    if (self->cred_stored && self->cred_expires != NULL)
      {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
        EaCredentialInfo info = { .broker = (char *) EA_CREDENTIAL_BROKER_TRADOVATE,
                                  .environment = c->tradovate_environment,
                                  .account = c->tradovate_user,
                                  .expires = self->cred_expires };
        g_autofree char *when = ea_credential_expiry_describe (&info, EA_CREDENTIAL_EXPIRY_WARN_DAYS, now);

        if (when != NULL)
          note = g_strdup_printf (_("This credential %s: replace it."), when);
      }
    gtk_label_set_text (GTK_LABEL (self->cred_note), note != NULL ? note : "");
    gtk_widget_set_visible (self->cred_note, note != NULL);
  }
  gtk_widget_set_visible (self->cred_entries, !self->cred_stored || self->cred_replacing);
  gtk_widget_set_visible (self->cred_replace, self->cred_stored && !self->cred_replacing);
  gtk_widget_set_visible (self->cred_delete, self->cred_stored);
  _ea_setup_update_state (self);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autofree char *key = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) infos = ea_credentials_list_finish (EA_CREDENTIALS (object), result, &error);
  EaSetupAssistant *self;
  g_auto(GStrv) parts = g_strsplit (key, "\n", 3);

  if (infos == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = g_object_get_data (object, "assistant");
  if (self == NULL)
    return;
  _ea_setup_busy (self, FALSE);

  self->cred_stored = FALSE;
  g_clear_pointer (&self->cred_expires, g_date_time_unref);
  if (infos == NULL)
    _ea_setup_set_error (self, "tradovate-password", error->message);
  else
    for (guint i = 0; i < infos->len; i++)
      {
        EaCredentialInfo *info = g_ptr_array_index (infos, i);

        if (g_strcmp0 (info->broker, EA_CREDENTIAL_BROKER_TRADOVATE) == 0 &&
            g_strcmp0 (info->environment, parts[0]) == 0 &&
            g_strcmp0 (info->account, parts[1]) == 0 &&
            ea_credential_info_has_kind (info, EA_CREDENTIAL_KIND_PASSWORD))
          {
            self->cred_stored = TRUE;
            if (info->expires != NULL)
              self->cred_expires = g_date_time_ref (info->expires);
          }
      }

  g_free (self->cred_checked_for);
  self->cred_checked_for = g_strdup (key);
  self->cred_replacing = FALSE;
  update_credential_view (self);
}

static void
enter_credentials (EaSetupAssistant *self)
{
  g_autoptr(EaPlatformConfig) c = ea_platform_config_new ();
  g_autofree char *key = NULL;

  _ea_setup_config_from_fields (self, c);
  key = g_strdup_printf ("%s\n%s", c->tradovate_environment, c->tradovate_user);

  if (c->enabled[EA_PLATFORM_TRADOVATE] && g_strcmp0 (key, self->cred_checked_for) != 0)
    {
      g_clear_pointer (&self->cred_checked_for, g_free);
      g_object_set_data (G_OBJECT (self->credentials), "assistant", self);
      _ea_setup_busy (self, TRUE);
      ea_credentials_list_async (self->credentials, self->cancellable, list_cb, g_steal_pointer (&key));
    }
  update_credential_view (self);
}

/* After a store or a rotation: the assistant that asked, if it is still
 * there and the write was not cancelled; shows @error at the field. */
static EaSetupAssistant *
written_assistant (GObject *object,
                   GError  *error)
{
  EaSetupAssistant *self;

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NULL;
  self = g_object_get_data (object, "assistant");
  if (self == NULL)
    return NULL;
  _ea_setup_busy (self, FALSE);

  if (error != NULL)
    {
      _ea_setup_set_error (self, "tradovate-password", error->message);
      return NULL;
    }
  return self;
}

static void
credential_written (EaSetupAssistant *self)
{
  g_clear_pointer (&self->cred_expires, g_date_time_unref);
  self->cred_expires = g_steal_pointer (&self->cred_writing_expires);
  wipe_secret_fields (self);
  self->cred_stored = TRUE;
  self->cred_replacing = FALSE;
  self->touched[EA_SETUP_PAGE_CREDENTIALS] = FALSE;
  update_credential_view (self);
  _ea_setup_advance (self);
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autofree char *subject = user_data;
  g_autoptr(GError) error = NULL;
  EaSetupAssistant *self;

  ea_credentials_store_finish (EA_CREDENTIALS (object), result, &error);
  self = written_assistant (object, error);
  if (self == NULL)
    return;
  audit (self, "credentials.store", subject);
  credential_written (self);
}

static void
rotated_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autofree char *subject = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *what = ea_credentials_rotate_finish (EA_CREDENTIALS (object), result, &error);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *details = NULL;
  EaSetupAssistant *self;

  self = written_assistant (object, error);
  if (self == NULL)
    return;

  /* "credential rotated: <broker> <environment> <account>", never a value. */
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, what);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  details = json_to_string (root, FALSE);
  audit_details (self, "credentials.rotate", subject, details);
  credential_written (self);
}

void
_ea_setup_store_credentials (EaSetupAssistant *self)
{
  g_autoptr(EaPlatformConfig) c = ea_platform_config_new ();
  g_autoptr(EaCredential) cred = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *subject = NULL;

  _ea_setup_config_from_fields (self, c);
  if (!c->enabled[EA_PLATFORM_TRADOVATE] || (self->cred_stored && !self->cred_replacing))
    {
      _ea_setup_advance (self);
      return;
    }

  cred = ea_credential_new (EA_CREDENTIAL_BROKER_TRADOVATE, c->tradovate_environment, c->tradovate_user);
  ea_credential_set_secret (cred, EA_CREDENTIAL_KIND_PASSWORD,
                            gtk_editable_get_text (GTK_EDITABLE (field (self, "tradovate-password"))));
  ea_credential_set_secret (cred, EA_CREDENTIAL_KIND_CID,
                            gtk_editable_get_text (GTK_EDITABLE (field (self, "tradovate-cid"))));
  ea_credential_set_secret (cred, EA_CREDENTIAL_KIND_SEC,
                            gtk_editable_get_text (GTK_EDITABLE (field (self, "tradovate-sec"))));
  if (!ea_credential_validate (cred, &error))
    {
      _ea_setup_set_error (self, "tradovate-password", error->message);
      return;
    }
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    if (!_ea_setup_parse_expiry (gtk_editable_get_text (GTK_EDITABLE (field (self, "tradovate-expires"))), now,
                                 &expires, &error))
      {
        _ea_setup_set_error (self, "tradovate-expires", error->message);
        return;
      }
    ea_credential_set_expires (cred, expires);
  }
  /* Shown once the keyring has it. */
  g_clear_pointer (&self->cred_writing_expires, g_date_time_unref);
  if (expires != NULL)
    self->cred_writing_expires = g_date_time_ref (expires);

  g_object_set_data (G_OBJECT (self->credentials), "assistant", self);
  _ea_setup_busy (self, TRUE);
  subject = g_strdup_printf ("tradovate/%s/%s", c->tradovate_environment, c->tradovate_user);
  /* Replacing a stored credential is a rotation, audited as such. */
  if (self->cred_stored && self->cred_replacing)
    ea_credentials_rotate_async (self->credentials, cred, self->cancellable, rotated_cb,
                                 g_steal_pointer (&subject));
  else
    ea_credentials_store_async (self->credentials, cred, self->cancellable, stored_cb,
                                g_steal_pointer (&subject));
}

static void
replace_clicked_cb (EaSetupAssistant *self)
{
  self->cred_replacing = TRUE;
  update_credential_view (self);
  gtk_widget_grab_focus (field (self, "tradovate-password"));
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autofree char *subject = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = ea_credentials_delete_finish (EA_CREDENTIALS (object), result, &error);
  EaSetupAssistant *self;

  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = g_object_get_data (object, "assistant");
  if (self == NULL)
    return;
  _ea_setup_busy (self, FALSE);

  if (!ok && !g_error_matches (error, EA_CREDENTIALS_ERROR, EA_CREDENTIALS_ERROR_NOT_FOUND))
    {
      _ea_setup_set_error (self, "tradovate-password", error->message);
      return;
    }
  audit (self, "credentials.delete", subject);
  self->cred_stored = FALSE;
  g_clear_pointer (&self->cred_expires, g_date_time_unref);
  self->cred_replacing = FALSE;
  update_credential_view (self);
}

static void
delete_clicked_cb (EaSetupAssistant *self)
{
  g_autoptr(EaPlatformConfig) c = ea_platform_config_new ();

  _ea_setup_config_from_fields (self, c);
  g_object_set_data (G_OBJECT (self->credentials), "assistant", self);
  _ea_setup_busy (self, TRUE);
  ea_credentials_delete_async (self->credentials, EA_CREDENTIAL_BROKER_TRADOVATE, c->tradovate_environment,
                               c->tradovate_user, self->cancellable, deleted_cb,
                               g_strdup_printf ("tradovate/%s/%s", c->tradovate_environment, c->tradovate_user));
}

void
_ea_setup_build_credentials (EaSetupAssistant *self)
{
  GtkWidget *page = _ea_setup_new_page (self, EA_SETUP_PAGE_CREDENTIALS, _("Credentials"),
                                        _("Passwords and API keys go to the system keyring when you press Next, "
                                          "nowhere else: not in the settings, the journal or the logs."));
  GtkWidget *section, *grid, *buttons, *password, *sec, *expires;

  section = _ea_setup_new_section (page, wrapped_label (_("Tradovate"), "section-title"), NULL);
  self->cred_section[EA_PLATFORM_TRADOVATE] = section;
  self->cred_status = wrapped_label (NULL, NULL);
  gtk_box_append (GTK_BOX (section), self->cred_status);
  self->cred_note = wrapped_label (NULL, "warning-text");
  gtk_widget_set_name (self->cred_note, "credential-expiry-note");
  g_hash_table_replace (self->fields, g_strdup ("credential-expiry-note"), self->cred_note);
  gtk_widget_set_visible (self->cred_note, FALSE);
  gtk_box_append (GTK_BOX (section), self->cred_note);
  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  self->cred_replace = gtk_button_new_with_mnemonic (_("_Replace…"));
  self->cred_delete = gtk_button_new_with_mnemonic (_("_Delete"));
  gtk_widget_add_css_class (self->cred_delete, "destructive-action");
  gtk_widget_set_name (self->cred_replace, "credential-replace");
  gtk_widget_set_name (self->cred_delete, "credential-delete");
  g_hash_table_replace (self->fields, g_strdup ("credential-replace"), self->cred_replace);
  g_hash_table_replace (self->fields, g_strdup ("credential-delete"), self->cred_delete);
  g_signal_connect_swapped (self->cred_replace, "clicked", G_CALLBACK (replace_clicked_cb), self);
  g_signal_connect_swapped (self->cred_delete, "clicked", G_CALLBACK (delete_clicked_cb), self);
  gtk_box_append (GTK_BOX (buttons), self->cred_replace);
  gtk_box_append (GTK_BOX (buttons), self->cred_delete);
  gtk_box_append (GTK_BOX (section), buttons);

  self->cred_entries = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (section), self->cred_entries);
  grid = _ea_setup_new_grid (self->cred_entries);
  password = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (password), TRUE);
  _ea_setup_add_field (self, grid, "tradovate-password", _("_Password"), password);
  _ea_setup_add_field (self, grid, "tradovate-cid", _("API key _id (cid)"), gtk_entry_new ());
  sec = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (sec), TRUE);
  _ea_setup_add_field (self, grid, "tradovate-sec", _("API _secret"), sec);
  expires = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (expires), _("YYYY-MM-DD, optional"));
  gtk_widget_set_tooltip_text (expires, _("When the password or API key stops working: the desk warns you "
                                          "a week before."));
  _ea_setup_add_field (self, grid, "tradovate-expires", _("_Expires on"), expires);

  self->cred_section[EA_PLATFORM_IBKR] =
    _ea_setup_new_section (page, wrapped_label (_("Interactive Brokers"), "section-title"),
                           _("The Client Portal gateway asks for your login in its own web page: "
                             "nothing is stored here."));
  self->cred_section[EA_PLATFORM_NINJATRADER] =
    _ea_setup_new_section (page, wrapped_label (_("NinjaTrader 8"), "section-title"),
                           _("NinjaTrader needs no credentials here: orders go through its ATI folders, "
                             "and NinjaTrader holds your login."));
  self->cred_section[EA_PLATFORM_DEMO] =
    _ea_setup_new_section (page, wrapped_label (_("Demo exchange"), "section-title"),
                           _("The Demo exchange needs no account."));
}

/* The IBKR gateway's certificate ------------------------------------------------ */

typedef struct
{
  EaSetupAssistant *self;   /* weak */
  EaBroker         *broker;
} FetchData;

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  FetchData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *fp = ea_ibkr_broker_fetch_fingerprint_finish (EA_IBKR_BROKER (object), result, &error);

  if (data->self != NULL)
    {
      EaSetupAssistant *self = data->self;

      g_object_remove_weak_pointer (G_OBJECT (self), (gpointer *) &data->self);
      if (fp != NULL)
        gtk_editable_set_text (GTK_EDITABLE (field (self, "ibkr-fingerprint")), fp);
      _ea_setup_busy (self, FALSE);
      self->touched[EA_SETUP_PAGE_PLATFORMS] = TRUE;
      _ea_setup_update_state (self);
      if (fp == NULL)
        _ea_setup_set_error (self, "ibkr-fingerprint", error->message);
    }
  g_object_unref (data->broker);
  g_free (data);
}

void
_ea_setup_fetch_fingerprint (EaSetupAssistant *self)
{
  g_autoptr(EaPlatformConfig) c = ea_platform_config_new ();
  g_autoptr(GError) error = NULL;
  FetchData *data;

  _ea_setup_config_from_fields (self, c);
  if (!ea_platform_validate_url (c->ibkr_gateway_url, FALSE, &error))
    {
      _ea_setup_set_error (self, "ibkr-gateway-url", error->message);
      return;
    }

  /* No fingerprint: the broker fetches without trusting. */
  g_clear_pointer (&c->ibkr_fingerprint, g_free);
  c->ibkr_fingerprint = g_strdup ("");
  data = g_new0 (FetchData, 1);
  data->self = self;
  data->broker = ea_platform_new_ibkr (c);
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &data->self);
  _ea_setup_busy (self, TRUE);
  ea_ibkr_broker_fetch_fingerprint_async (EA_IBKR_BROKER (data->broker), self->cancellable, fetched_cb, data);
}

/* Page 4: verify ------------------------------------------------------------------- */

typedef struct
{
  EaSetupAssistant *self;   /* weak */
  EaPlatform        platform;
} VerifyData;

static void
show_test (EaSetupAssistant *self,
           EaPlatform        p)
{
  const EaConnectionTest *t = self->tests[p];
  GtkWidget *status = self->verify_status[p];
  g_autofree char *accounts = NULL;
  g_autofree char *detail = NULL;

  gtk_widget_remove_css_class (status, "test-ok");
  gtk_widget_remove_css_class (status, "test-failed");
  if (t == NULL)
    {
      gtk_label_set_text (GTK_LABEL (status), _("Testing…"));
      gtk_label_set_text (GTK_LABEL (self->verify_detail[p]), "");
      gtk_widget_set_visible (self->verify_help[p], FALSE);
      return;
    }

  gtk_widget_add_css_class (status, t->ok ? "test-ok" : "test-failed");
  gtk_label_set_text (GTK_LABEL (status), t->ok ? _("✓ Connected") : _("✗ Not connected"));
  if (t->accounts != NULL && t->accounts[0] != NULL)
    accounts = g_strjoinv (", ", t->accounts);
  detail = g_strdup_printf ("%s%s%s", t->message ? t->message : "",
                            accounts ? _(" — accounts: ") : "", accounts ? accounts : "");
  gtk_label_set_text (GTK_LABEL (self->verify_detail[p]), detail);
  gtk_label_set_text (GTK_LABEL (self->verify_help[p]), t->troubleshooting ? t->troubleshooting : "");
  gtk_widget_set_visible (self->verify_help[p], t->troubleshooting != NULL);
}

static void
tested_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  VerifyData *data = user_data;
  EaConnectionTest *test = ea_connection_test_finish (result);

  if (data->self != NULL)
    {
      EaSetupAssistant *self = data->self;

      g_object_remove_weak_pointer (G_OBJECT (self), (gpointer *) &data->self);
      g_clear_pointer (&self->tests[data->platform], ea_connection_test_free);
      self->tests[data->platform] = test;
      gtk_spinner_stop (GTK_SPINNER (self->verify_spinner[data->platform]));
      gtk_widget_set_sensitive (self->verify_button[data->platform], TRUE);
      show_test (self, data->platform);
      _ea_setup_busy (self, FALSE);
    }
  else
    ea_connection_test_free (test);
  g_free (data);
}

static void
run_test (EaSetupAssistant *self,
          EaPlatform        p)
{
  g_autoptr(EaPlatformConfig) c = ea_platform_config_new ();
  VerifyData *data = g_new0 (VerifyData, 1);

  _ea_setup_config_from_fields (self, c);
  g_clear_pointer (&self->tests[p], ea_connection_test_free);
  show_test (self, p);
  gtk_spinner_start (GTK_SPINNER (self->verify_spinner[p]));
  gtk_widget_set_sensitive (self->verify_button[p], FALSE);
  data->self = self;
  data->platform = p;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &data->self);
  _ea_setup_busy (self, TRUE);
  ea_connection_test_async (p, c, self->credentials, self->cancellable, tested_cb, data);
}

static void
test_clicked_cb (GtkButton        *button,
                 EaSetupAssistant *self)
{
  run_test (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "platform")));
}

static void
enter_verify (EaSetupAssistant *self)
{
  g_autoptr(EaPlatformConfig) c = ea_platform_config_new ();

  _ea_setup_config_from_fields (self, c);
  for (guint i = 0; i < EA_N_PLATFORMS; i++)
    {
      gtk_widget_set_visible (self->verify_rows[i], c->enabled[i]);
      if (c->enabled[i] && gtk_widget_get_sensitive (self->verify_button[i]))
        run_test (self, (EaPlatform) i);
    }
}

void
_ea_setup_build_verify (EaSetupAssistant *self)
{
  GtkWidget *page = _ea_setup_new_page (self, EA_SETUP_PAGE_VERIFY, _("Verify"),
                                        _("Each platform is connected for real, its accounts listed, "
                                          "then disconnected."));

  for (guint i = 0; i < EA_N_PLATFORMS; i++)
    {
      GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *title = wrapped_label (ea_platform_get_title ((EaPlatform) i), "section-title");
      GtkWidget *section = _ea_setup_new_section (page, header, NULL);
      g_autofree char *name = g_strconcat ("test-", ea_platform_to_id ((EaPlatform) i), NULL);

      gtk_widget_set_hexpand (title, TRUE);
      self->verify_spinner[i] = gtk_spinner_new ();
      self->verify_status[i] = wrapped_label (NULL, NULL);
      self->verify_button[i] = gtk_button_new_with_mnemonic (_("_Test Again"));
      g_object_set_data (G_OBJECT (self->verify_button[i]), "platform", GUINT_TO_POINTER (i));
      g_signal_connect (self->verify_button[i], "clicked", G_CALLBACK (test_clicked_cb), self);
      g_hash_table_replace (self->fields, g_strdup (name), self->verify_button[i]);
      gtk_box_append (GTK_BOX (header), title);
      gtk_box_append (GTK_BOX (header), self->verify_spinner[i]);
      gtk_box_append (GTK_BOX (header), self->verify_status[i]);
      gtk_box_append (GTK_BOX (header), self->verify_button[i]);

      self->verify_detail[i] = wrapped_label (NULL, "dim-label");
      gtk_label_set_selectable (GTK_LABEL (self->verify_detail[i]), TRUE);
      self->verify_help[i] = wrapped_label (NULL, NULL);
      gtk_box_append (GTK_BOX (section), self->verify_detail[i]);
      gtk_box_append (GTK_BOX (section), self->verify_help[i]);
      self->verify_rows[i] = section;
    }
}

/* Page 7: summary ------------------------------------------------------------------ */

static void
enter_summary (EaSetupAssistant *self)
{
  g_autoptr(EaPlatformConfig) c = ea_platform_config_new ();
  g_autoptr(GString) details = g_string_new (NULL);
  guint n = 0, connected = 0;
  gboolean broker_ok = FALSE;
  const char *profile_id = _ea_setup_profile_id (self);
  const EaRiskProfile *profile = self->profiles ? ea_profile_store_lookup (self->profiles, profile_id) : NULL;

  _ea_setup_config_from_fields (self, c);
  for (guint i = 0; i < EA_N_PLATFORMS; i++)
    {
      const EaConnectionTest *t = self->tests[i];

      if (!c->enabled[i])
        continue;
      n++;
      connected += t != NULL && t->ok;
      broker_ok |= i != EA_PLATFORM_DEMO && t != NULL && t->ok;
      g_string_append_printf (details, "• %s: %s\n", ea_platform_get_title ((EaPlatform) i),
                              t == NULL ? _("not tested") : t->ok ? _("connected") : t->message);
    }

  g_free (self->summary);
  self->summary = g_strdup_printf (g_dngettext (NULL, "%u of %u platform connected", "%u of %u platforms connected", n),
                                   connected, n);
  gtk_label_set_text (GTK_LABEL (self->summary_connected), self->summary);

  g_string_append (details, _("\nWhat the desk will enforce:\n"));
  if (profile != NULL)
    g_string_append_printf (details, _("• %s %s, at %u %% of its limits (see the profile page)\n"),
                            profile->firm, profile->product, _ea_setup_safety_pct (self));
  if (self->account_choice != NULL && self->profiles != NULL)
    {
      GHashTableIter iter;
      gpointer account, id;

      g_hash_table_iter_init (&iter, self->account_choice);
      while (g_hash_table_iter_next (&iter, &account, &id))
        {
          const EaRiskProfile *p = ea_profile_store_lookup (self->profiles, id);

          if (p != NULL)
            g_string_append_printf (details, _("• %s: %s %s instead\n"), (const char *) account, p->firm, p->product);
        }
    }
  if (self->account_safety != NULL)
    {
      GHashTableIter iter;
      gpointer account, pct;

      g_hash_table_iter_init (&iter, self->account_safety);
      while (g_hash_table_iter_next (&iter, &account, &pct))
        if (GPOINTER_TO_UINT (pct) > 0)
          g_string_append_printf (details, _("• %s: at %u %% of its limits\n"), (const char *) account,
                                  GPOINTER_TO_UINT (pct));
    }
  g_string_append_printf (details, _("• At most %u contracts per order\n"),
                          (guint) gtk_spin_button_get_value (GTK_SPIN_BUTTON (field (self, "fat-finger-max"))));
  g_string_append_printf (details, _("• Kelly sizing: fraction %.2f, cap %.2f, after %u trades\n"),
                          gtk_spin_button_get_value (GTK_SPIN_BUTTON (field (self, "kelly-fraction"))),
                          gtk_spin_button_get_value (GTK_SPIN_BUTTON (field (self, "kelly-cap"))),
                          (guint) gtk_spin_button_get_value (GTK_SPIN_BUTTON (field (self, "kelly-min-sample"))));
  g_string_append_printf (details, _("• Reversal alerts at %.2f ATR over %u s\n"),
                          gtk_spin_button_get_value (GTK_SPIN_BUTTON (field (self, "erm-threshold"))),
                          (guint) gtk_spin_button_get_value (GTK_SPIN_BUTTON (field (self, "erm-lookback-s"))));
  g_string_append (details, broker_ok
                   ? _("\nTest mode can be chosen from the menu (Mode → Test) once you finish.")
                   : _("\nYou will trade in Demo mode. Test mode opens once a broker’s connection test passes."));
  gtk_label_set_text (GTK_LABEL (self->summary_details), details->str);
}

void
_ea_setup_build_summary (EaSetupAssistant *self)
{
  GtkWidget *page = _ea_setup_new_page (self, EA_SETUP_PAGE_SUMMARY, _("Summary"),
                                        _("Press Finish to save this configuration. Cancel keeps the previous one."));

  self->summary_connected = wrapped_label (NULL, "title-2");
  gtk_widget_set_name (self->summary_connected, "summary-connected");
  self->summary_details = wrapped_label (NULL, NULL);
  gtk_label_set_selectable (GTK_LABEL (self->summary_details), TRUE);
  gtk_box_append (GTK_BOX (page), self->summary_connected);
  gtk_box_append (GTK_BOX (page), self->summary_details);
}

void
_ea_setup_enter_page (EaSetupAssistant *self,
                      EaSetupPage       page)
{
  switch (page)
    {
    case EA_SETUP_PAGE_CREDENTIALS:
      enter_credentials (self);
      break;
    case EA_SETUP_PAGE_VERIFY:
      enter_verify (self);
      break;
    case EA_SETUP_PAGE_SUMMARY:
      enter_summary (self);
      break;
    case EA_SETUP_PAGE_PROFILE:
      _ea_setup_enter_profile (self);
      break;
    case EA_SETUP_PAGE_WELCOME:
    case EA_SETUP_PAGE_PLATFORMS:
    case EA_SETUP_PAGE_RISK:
    default:
      break;
    }
}
