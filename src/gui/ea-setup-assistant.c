/* ea-setup-assistant.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The assistant's frame: navigation, the step indicator, Cancel and
 * Finish. The pages are built in ea-setup-pages.c.
 */
#define G_LOG_DOMAIN "ea-setup"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ea-mode-dialog.h"
#include "ea-setup-assistant-private.h"

G_DEFINE_FINAL_TYPE (EaSetupAssistant, ea_setup_assistant, GTK_TYPE_WINDOW)

enum
{
  SIGNAL_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const step_titles[EA_SETUP_N_PAGES] = {
  N_("Welcome"),
  N_("Platforms"),
  N_("Credentials"),
  N_("Verify"),
  N_("Prop-firm profile"),
  N_("Risk and sizing"),
  N_("Summary"),
};

void
_ea_setup_update_state (EaSetupAssistant *self)
{
  gboolean last = self->page == EA_SETUP_PAGE_SUMMARY;

  /* Messages appear at the fields once the page was edited or a Next was
   * refused; the buttons follow the page's validity from the start. */
  self->page_valid = _ea_setup_validate_page (self, self->page, self->touched[self->page]);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.back",
                                 self->page > EA_SETUP_PAGE_WELCOME && self->busy == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.next",
                                 !last && self->page_valid && self->busy == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.finish",
                                 last && self->page_valid && self->busy == 0);
  gtk_widget_set_visible (self->next_button, !last);
  gtk_widget_set_visible (self->finish_button, last);

  for (guint i = 0; i < EA_SETUP_N_PAGES; i++)
    {
      GtkWidget *row = self->step_rows[i];

      if (i == self->page)
        gtk_widget_add_css_class (row, "current");
      else
        gtk_widget_remove_css_class (row, "current");
      if (i < self->page)
        gtk_widget_add_css_class (row, "done");
      else
        gtk_widget_remove_css_class (row, "done");
    }
}

void
_ea_setup_busy (EaSetupAssistant *self,
                gboolean          busy)
{
  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;
  _ea_setup_update_state (self);
}

static void
show_page (EaSetupAssistant *self,
           EaSetupPage       page)
{
  g_autofree char *step = NULL;

  self->page = page;
  gtk_stack_set_visible_child (self->stack, self->pages[page]);
  step = g_strdup_printf (_("Step %u of %u"), (guint) page + 1, EA_SETUP_N_PAGES);
  gtk_label_set_text (GTK_LABEL (self->step_label), step);
  _ea_setup_enter_page (self, page);
  _ea_setup_update_state (self);
}

void
_ea_setup_advance (EaSetupAssistant *self)
{
  if (self->page < EA_SETUP_PAGE_SUMMARY)
    show_page (self, self->page + 1);
}

static void
back_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  EaSetupAssistant *self = EA_SETUP_ASSISTANT (widget);

  if (self->page > EA_SETUP_PAGE_WELCOME && self->busy == 0)
    show_page (self, self->page - 1);
}

static void
next_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  EaSetupAssistant *self = EA_SETUP_ASSISTANT (widget);

  if (self->busy > 0 || self->page >= EA_SETUP_PAGE_SUMMARY)
    return;

  /* Validation runs again with its messages at the fields. */
  if (!_ea_setup_validate_page (self, self->page, TRUE))
    {
      self->touched[self->page] = TRUE;
      _ea_setup_update_state (self);
      gtk_widget_error_bell (widget);
      return;
    }

  if (self->page == EA_SETUP_PAGE_CREDENTIALS)
    _ea_setup_store_credentials (self);
  else
    _ea_setup_advance (self);
}

static char *
finish_details (EaSetupAssistant       *self,
                const EaPlatformConfig *config,
                guint                   n_connected,
                guint                   n_platforms)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "platforms");
  json_builder_begin_array (b);
  for (guint i = 0; i < EA_N_PLATFORMS; i++)
    if (config->enabled[i])
      json_builder_add_string_value (b, ea_platform_to_id ((EaPlatform) i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "connected");
  json_builder_add_int_value (b, n_connected);
  json_builder_set_member_name (b, "configured");
  json_builder_add_int_value (b, n_platforms);
  json_builder_set_member_name (b, "tradovate-environment");
  json_builder_add_string_value (b, config->tradovate_environment);
  json_builder_set_member_name (b, "profile");
  json_builder_add_string_value (b, _ea_setup_profile_id (self));
  json_builder_set_member_name (b, "safety-pct");
  json_builder_add_int_value (b, _ea_setup_safety_pct (self));
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static double
spin_value (EaSetupAssistant *self,
            const char       *name)
{
  return gtk_spin_button_get_value (GTK_SPIN_BUTTON (ea_setup_assistant_get_field (self, name)));
}

static void
finish_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  EaSetupAssistant *self = EA_SETUP_ASSISTANT (widget);
  g_autoptr(EaPlatformConfig) config = ea_platform_config_new ();
  g_autofree char *previous = NULL;
  g_autofree char *tests_json = NULL;
  g_autofree char *details = NULL;
  g_autoptr(GSettings) batch = NULL;
  const EaConnectionTest *done[EA_N_PLATFORMS];
  guint n_done = 0, n_connected = 0, n_platforms = 0;
  GtkWidget *safety;

  if (self->page != EA_SETUP_PAGE_SUMMARY || self->busy > 0 ||
      !_ea_setup_validate_page (self, self->page, TRUE))
    return;

  _ea_setup_config_from_fields (self, config);
  for (guint i = 0; i < EA_N_PLATFORMS; i++)
    {
      if (!config->enabled[i])
        continue;
      n_platforms++;
      if (self->tests[i] != NULL)
        {
          done[n_done++] = self->tests[i];
          n_connected += self->tests[i]->ok;
        }
    }

  previous = g_settings_get_string (self->settings, "last-connection-test");
  tests_json = ea_connection_tests_to_json (done, n_done, previous);
  safety = ea_setup_assistant_get_field (self, "safety-ratio");

  /* One change set: nothing is half-written. */
  ea_platform_config_save (config, self->settings);
  batch = ea_settings_batch_new (self->settings);
  g_settings_set_string (batch, "default-profile", _ea_setup_profile_id (self));
  g_settings_set_value (batch, "account-profiles", _ea_setup_account_profiles (self));
  g_settings_set_value (batch, "account-safety", _ea_setup_account_safety (self));
  g_settings_set_enum (batch, "safety-ratio",
                       (int) gtk_drop_down_get_selected (GTK_DROP_DOWN (safety)));
  g_settings_set_uint (batch, "safety-custom-pct", (guint) spin_value (self, "safety-custom-pct"));
  g_settings_set_double (batch, "kelly-fraction", spin_value (self, "kelly-fraction"));
  g_settings_set_double (batch, "kelly-cap", spin_value (self, "kelly-cap"));
  g_settings_set_uint (batch, "kelly-min-sample", (guint) spin_value (self, "kelly-min-sample"));
  g_settings_set_uint (batch, "fat-finger-max", (guint) spin_value (self, "fat-finger-max"));
  g_settings_set_double (batch, "erm-threshold", spin_value (self, "erm-threshold"));
  g_settings_set_uint (batch, "erm-lookback-s", (guint) spin_value (self, "erm-lookback-s"));
  g_settings_set_boolean (batch, "notify-sound",
                          gtk_switch_get_active (GTK_SWITCH (ea_setup_assistant_get_field (self, "notify-sound"))));
  g_settings_set_string (batch, "last-connection-test", tests_json);
  g_settings_set_boolean (batch, "setup-completed", TRUE);
  g_settings_apply (batch);

  details = finish_details (self, config, n_connected, n_platforms);
  if (self->journal != NULL)
    ea_journal_audit_async (self->journal, EA_ACTOR_USER, "setup.complete", "quick-setup", details,
                            NULL, NULL, NULL);
  /* Trust on first use is on the record: which certificate the user pinned
   * for which gateway. */
  if (self->journal != NULL && config->enabled[EA_PLATFORM_IBKR] &&
      config->ibkr_fingerprint != NULL && *config->ibkr_fingerprint != '\0')
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *pin = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "fingerprint");
      json_builder_add_string_value (b, config->ibkr_fingerprint);
      json_builder_set_member_name (b, "url");
      json_builder_add_string_value (b, config->ibkr_gateway_url);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      pin = json_to_string (root, FALSE);
      ea_journal_audit_async (self->journal, EA_ACTOR_USER, "ibkr.certificate-pinned", config->ibkr_gateway_url,
                              pin, NULL, NULL, NULL);
    }

  self->finished = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static gboolean
ea_setup_assistant_close_request (GtkWindow *window)
{
  EaSetupAssistant *self = EA_SETUP_ASSISTANT (window);

  g_cancellable_cancel (self->cancellable);
  g_signal_emit (self, signals[SIGNAL_DONE], 0, self->finished);

  return GTK_WINDOW_CLASS (ea_setup_assistant_parent_class)->close_request (window);
}

static void
ea_setup_assistant_dispose (GObject *object)
{
  EaSetupAssistant *self = EA_SETUP_ASSISTANT (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->credentials != NULL && g_object_get_data (G_OBJECT (self->credentials), "assistant") == self)
    g_object_set_data (G_OBJECT (self->credentials), "assistant", NULL);
  if (self->folder_chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->folder_chooser, self);
      gtk_native_dialog_destroy (self->folder_chooser);
      g_clear_object (&self->folder_chooser);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), EA_TYPE_SETUP_ASSISTANT);

  G_OBJECT_CLASS (ea_setup_assistant_parent_class)->dispose (object);
}

static void
ea_setup_assistant_finalize (GObject *object)
{
  EaSetupAssistant *self = EA_SETUP_ASSISTANT (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->journal);
  g_clear_object (&self->credentials);
  g_clear_object (&self->profiles);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->fields, g_hash_table_unref);
  g_clear_pointer (&self->errors, g_hash_table_unref);
  g_clear_pointer (&self->product_ids, g_ptr_array_unref);
  g_clear_object (&self->firms);
  g_clear_pointer (&self->account_choice, g_hash_table_unref);
  g_clear_pointer (&self->account_safety, g_hash_table_unref);
  g_clear_pointer (&self->all_profile_ids, g_ptr_array_unref);
  g_clear_object (&self->products);
  g_clear_pointer (&self->cred_checked_for, g_free);
  g_clear_pointer (&self->cred_expires, g_date_time_unref);
  g_clear_pointer (&self->cred_writing_expires, g_date_time_unref);
  g_clear_pointer (&self->summary, g_free);
  for (guint i = 0; i < EA_N_PLATFORMS; i++)
    g_clear_pointer (&self->tests[i], ea_connection_test_free);

  G_OBJECT_CLASS (ea_setup_assistant_parent_class)->finalize (object);
}

static void
ea_setup_assistant_class_init (EaSetupAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ea_setup_assistant_dispose;
  object_class->finalize = ea_setup_assistant_finalize;
  window_class->close_request = ea_setup_assistant_close_request;

  signals[SIGNAL_DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enigmaapex/EnigmaApex/ui/ea-setup-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, EaSetupAssistant, steps_box);
  gtk_widget_class_bind_template_child (widget_class, EaSetupAssistant, stack);
  gtk_widget_class_bind_template_child (widget_class, EaSetupAssistant, step_label);
  gtk_widget_class_bind_template_child (widget_class, EaSetupAssistant, back_button);
  gtk_widget_class_bind_template_child (widget_class, EaSetupAssistant, next_button);
  gtk_widget_class_bind_template_child (widget_class, EaSetupAssistant, finish_button);

  gtk_widget_class_install_action (widget_class, "assistant.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "assistant.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "assistant.finish", NULL, finish_action);
  gtk_widget_class_install_action (widget_class, "assistant.cancel", NULL, cancel_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "assistant.cancel", NULL);
}

static void
build_steps (EaSetupAssistant *self)
{
  for (guint i = 0; i < EA_SETUP_N_PAGES; i++)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      GtkWidget *badge = gtk_label_new (number);
      GtkWidget *title = gtk_label_new (_(step_titles[i]));

      gtk_widget_add_css_class (row, "setup-step");
      gtk_widget_add_css_class (badge, "step-number");
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_box_append (GTK_BOX (row), badge);
      gtk_box_append (GTK_BOX (row), title);
      gtk_box_append (GTK_BOX (self->steps_box), row);
      self->step_rows[i] = row;
    }
}

static void
ea_setup_assistant_init (EaSetupAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  build_steps (self);
}

EaSetupAssistant *
ea_setup_assistant_new (GtkWindow      *parent,
                        GSettings      *settings,
                        EaJournal      *journal,
                        EaCredentials  *credentials,
                        EaProfileStore *profiles)
{
  EaSetupAssistant *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (EA_TYPE_SETUP_ASSISTANT, NULL);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  self->settings = g_object_ref (settings);
  self->journal = journal != NULL ? g_object_ref (journal) : NULL;
  self->credentials = credentials != NULL ? g_object_ref (credentials) : ea_credentials_new ();
  if (profiles != NULL)
    self->profiles = g_object_ref (profiles);
  else
    {
      g_autoptr(GError) error = NULL;

      self->profiles = ea_profile_store_new (&error);
      if (self->profiles == NULL)
        g_message ("No built-in profiles: %s", error->message);
    }

  _ea_setup_build_pages (self);
  show_page (self, EA_SETUP_PAGE_WELCOME);
  return self;
}

EaSetupPage
ea_setup_assistant_get_page (EaSetupAssistant *self)
{
  g_return_val_if_fail (EA_IS_SETUP_ASSISTANT (self), EA_SETUP_PAGE_WELCOME);
  return self->page;
}

gboolean
ea_setup_assistant_get_page_valid (EaSetupAssistant *self)
{
  g_return_val_if_fail (EA_IS_SETUP_ASSISTANT (self), FALSE);
  return _ea_setup_validate_page (self, self->page, FALSE);
}

gboolean
ea_setup_assistant_get_busy (EaSetupAssistant *self)
{
  g_return_val_if_fail (EA_IS_SETUP_ASSISTANT (self), FALSE);
  return self->busy > 0;
}

GtkWidget *
ea_setup_assistant_get_field (EaSetupAssistant *self,
                              const char       *name)
{
  g_return_val_if_fail (EA_IS_SETUP_ASSISTANT (self), NULL);
  return g_hash_table_lookup (self->fields, name);
}

const char *
ea_setup_assistant_get_field_error (EaSetupAssistant *self,
                                    const char       *name)
{
  GtkWidget *label;

  g_return_val_if_fail (EA_IS_SETUP_ASSISTANT (self), NULL);

  label = g_hash_table_lookup (self->errors, name);
  if (label == NULL || !gtk_widget_get_visible (label))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (label));
}

const char *
ea_setup_assistant_get_summary (EaSetupAssistant *self)
{
  g_return_val_if_fail (EA_IS_SETUP_ASSISTANT (self), NULL);
  return self->summary;
}

/* Application actions ------------------------------------------------------ */

static EaSetupAssistant *
open_assistant (EaApplication *app)
{
  GtkWindow *parent = ea_application_get_main_window (app);
  EaDesk *desk = ea_application_get_desk (app);
  EaSetupAssistant *assistant;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (EA_IS_SETUP_ASSISTANT (l->data))
      {
        gtk_window_present (l->data);
        return l->data;
      }

  assistant = ea_setup_assistant_new (parent, ea_application_get_settings (app),
                                      ea_application_get_journal (app), NULL,
                                      desk != NULL ? ea_desk_get_profiles (desk) : NULL);
  gtk_window_set_application (GTK_WINDOW (assistant), GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (assistant));
  return assistant;
}

static void
setup_assistant_action (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  open_assistant (EA_APPLICATION (user_data));
}

static void
switch_mode_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  EaApplication *app = EA_APPLICATION (user_data);
  EaMode target;

  if (!ea_mode_from_string (g_variant_get_string (param, NULL), &target))
    return;
  ea_mode_dialog_present (app, target);
}

void
ea_setup_install_actions (EaApplication *app)
{
  static const GActionEntry entries[] = {
    { "setup-assistant", setup_assistant_action },
    /* Its state is the mode the application runs in, so that the menu
     * marks it; a switch is asked for through the mode dialog and takes
     * effect at the next start, so activating never changes the state. */
    { "switch-mode", switch_mode_action, "s", "'demo'" },
  };
  EaDesk *desk;

  g_return_if_fail (EA_IS_APPLICATION (app));

  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  desk = ea_application_get_desk (app);
  if (desk != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (app), "switch-mode")),
                               g_variant_new_string (ea_mode_to_string (ea_desk_get_mode (desk))));
}

static void
first_run_done_cb (EaSetupAssistant *assistant,
                   gboolean          finished,
                   GSettings        *settings)
{
  /* Finished or cancelled, the first-run offer has been made: the
   * assistant stays in the menu but does not open by itself again. */
  g_settings_set_boolean (settings, "setup-offered", TRUE);
}

void
ea_setup_run_first_time (EaApplication *app)
{
  GSettings *settings = ea_application_get_settings (app);
  EaSetupAssistant *assistant;

  if (settings == NULL || g_getenv ("EA_NO_FIRST_RUN") != NULL)
    return;
  if (g_settings_get_boolean (settings, "setup-completed") || g_settings_get_boolean (settings, "setup-offered"))
    return;
  assistant = open_assistant (app);
  g_signal_connect_object (assistant, "done", G_CALLBACK (first_run_done_cb), settings, 0);
}

GtkNativeDialog *
ea_setup_assistant_get_folder_chooser (EaSetupAssistant *self)
{
  g_return_val_if_fail (EA_IS_SETUP_ASSISTANT (self), NULL);

  return self->folder_chooser;
}
