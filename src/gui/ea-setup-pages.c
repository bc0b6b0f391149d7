/* ea-setup-pages.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pages of the quick setup and their validation. Every field is
 * registered by name with an error label under it.
 */
#define G_LOG_DOMAIN "ea-setup"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ea-money.h"
#include "ea-setup-assistant-private.h"

static const guint safety_presets[] = { 50, 70, 90 };

/* What a new user starts from (DOMAIN §6: the most common account). */
#define EA_SETUP_DEFAULT_PROFILE "apex-legacy-50k"

/* Building blocks ----------------------------------------------------------- */

static void
field_changed_cb (EaSetupAssistant *self)
{
  self->touched[self->page] = TRUE;
  _ea_setup_update_state (self);
}

static GtkWidget *
new_page (EaSetupAssistant *self,
          EaSetupPage       page,
          const char       *title,
          const char       *subtitle)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 14);
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *text = gtk_label_new (subtitle);

  gtk_widget_add_css_class (box, "setup-page");
  gtk_widget_add_css_class (heading, "page-title");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (text), 70);
  gtk_label_set_width_chars (GTK_LABEL (text), 40);
  gtk_widget_add_css_class (text, "dim-label");
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), text);

  self->pages[page] = box;
  gtk_stack_add_child (self->stack, box);
  return box;
}

static GtkWidget *
new_section (GtkWidget  *page,
             GtkWidget  *header,
             const char *description)
{
  GtkWidget *section = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);

  gtk_widget_add_css_class (section, "setup-section");
  if (header != NULL)
    gtk_box_append (GTK_BOX (section), header);
  if (description != NULL)
    {
      GtkWidget *label = gtk_label_new (description);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 70);
      gtk_label_set_width_chars (GTK_LABEL (label), 40);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (section), label);
    }
  gtk_box_append (GTK_BOX (page), section);
  return section;
}

static GtkWidget *
new_error_label (EaSetupAssistant *self,
                 const char       *name)
{
  GtkWidget *error = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_label_set_wrap (GTK_LABEL (error), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (error), 60);
  gtk_label_set_width_chars (GTK_LABEL (error), 30);
  gtk_widget_add_css_class (error, "field-error");
  gtk_widget_set_visible (error, FALSE);
  g_hash_table_replace (self->errors, g_strdup (name), error);
  return error;
}

/* A labelled row of @grid with the widget and its error label under it. */
static GtkWidget *
add_field (EaSetupAssistant *self,
           GtkWidget        *grid,
           const char       *name,
           const char       *label_text,
           GtkWidget        *widget)
{
  int row = 0;
  GtkWidget *label = gtk_label_new_with_mnemonic (label_text);
  GtkWidget *child;

  for (child = gtk_widget_get_first_child (grid); child != NULL; child = gtk_widget_get_next_sibling (child))
    row++;
  row = row / 3 * 2;

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), widget, 1, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), new_error_label (self, name), 1, row + 1, 1, 1);

  gtk_widget_set_name (widget, name);
  g_hash_table_replace (self->fields, g_strdup (name), widget);

  if (GTK_IS_EDITABLE (widget) && !GTK_IS_SPIN_BUTTON (widget))
    g_signal_connect_swapped (widget, "changed", G_CALLBACK (field_changed_cb), self);
  else if (GTK_IS_SPIN_BUTTON (widget))
    g_signal_connect_swapped (widget, "value-changed", G_CALLBACK (field_changed_cb), self);
  else if (GTK_IS_DROP_DOWN (widget))
    g_signal_connect_swapped (widget, "notify::selected", G_CALLBACK (field_changed_cb), self);
  return widget;
}

static GtkWidget *
new_grid (GtkWidget *parent)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
  gtk_box_append (GTK_BOX (parent), grid);
  return grid;
}

static GtkWidget *
new_entry (const char *text,
           const char *placeholder)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
  if (placeholder != NULL)
    gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  return entry;
}

/* Folders ------------------------------------------------------------------ */

static void
folder_chosen_cb (GtkNativeDialog  *dialog,
                  int               response,
                  EaSetupAssistant *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->folder_entry != NULL)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;

      /* Inside Flatpak the path is the document portal's, which the
       * sandbox may use. */
      if (path != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->folder_entry), path);
      else if (folder != NULL)
        _ea_setup_set_error (self, gtk_widget_get_name (self->folder_entry),
                             _("That folder has no local path: mount the share first."));
    }
  g_signal_handlers_disconnect_by_data (dialog, self);
  gtk_native_dialog_destroy (dialog);
  self->folder_entry = NULL;
  g_clear_object (&self->folder_chooser);
}

static void
choose_folder_cb (GtkButton        *button,
                  EaSetupAssistant *self)
{
  GtkWidget *entry = g_object_get_data (G_OBJECT (button), "entry");
  const char *title = g_object_get_data (G_OBJECT (button), "title");
  const char *current = gtk_editable_get_text (GTK_EDITABLE (entry));
  GtkFileChooserNative *chooser;

  if (self->folder_chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->folder_chooser, self);
      gtk_native_dialog_destroy (self->folder_chooser);
      g_clear_object (&self->folder_chooser);
    }
  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (current != NULL && *current != '\0' && g_file_test (current, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) folder = g_file_new_for_path (current);

      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
  self->folder_chooser = GTK_NATIVE_DIALOG (chooser);
  self->folder_entry = entry;
  g_signal_connect (chooser, "response", G_CALLBACK (folder_chosen_cb), self);
  gtk_native_dialog_show (self->folder_chooser);
}

/* A folder field: the path can be typed, or chosen with the system's
 * dialog — the only way inside Flatpak, where the document portal then
 * grants the sandbox that folder. */
static void
add_folder_field (EaSetupAssistant *self,
                  GtkWidget        *grid,
                  const char       *name,
                  const char       *label_text,
                  GtkWidget        *entry,
                  const char       *title)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *choose = gtk_button_new_with_label (_("Choose…"));
  g_autofree char *row_name = g_strconcat (name, "-row", NULL);
  g_autofree char *button_name = g_strconcat (name, "-choose", NULL);

  gtk_widget_set_hexpand (entry, TRUE);
  gtk_widget_set_tooltip_text (choose, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (choose), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_widget_set_name (choose, button_name);
  g_object_set_data (G_OBJECT (choose), "entry", entry);
  g_object_set_data_full (G_OBJECT (choose), "title", g_strdup (title), g_free);
  g_signal_connect (choose, "clicked", G_CALLBACK (choose_folder_cb), self);
  gtk_box_append (GTK_BOX (row), entry);
  gtk_box_append (GTK_BOX (row), choose);
  add_field (self, grid, row_name, label_text, row);
  /* The entry is the field (and its label's target); the row only lays
   * it out. */
  gtk_label_set_mnemonic_widget (GTK_LABEL (gtk_widget_get_prev_sibling (row)), entry);
  gtk_widget_set_name (entry, name);
  g_hash_table_replace (self->fields, g_strdup (name), entry);
  g_hash_table_replace (self->fields, g_steal_pointer (&button_name), choose);
  g_hash_table_replace (self->errors, g_strdup (name), g_hash_table_lookup (self->errors, row_name));
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (field_changed_cb), self);
}

static GtkWidget *
new_spin (double min,
          double max,
          double step,
          guint  digits,
          double value)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, step);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_widget_set_halign (spin, GTK_ALIGN_START);
  gtk_widget_set_hexpand (spin, FALSE);
  return spin;
}

void
_ea_setup_set_error (EaSetupAssistant *self,
                     const char       *name,
                     const char       *message)
{
  GtkWidget *label = g_hash_table_lookup (self->errors, name);
  GtkWidget *field = g_hash_table_lookup (self->fields, name);

  if (label == NULL)
    return;
  gtk_label_set_text (GTK_LABEL (label), message != NULL ? message : "");
  gtk_widget_set_visible (label, message != NULL);
  if (field != NULL)
    {
      if (message != NULL)
        gtk_widget_add_css_class (field, "error");
      else
        gtk_widget_remove_css_class (field, "error");
    }
}

static GtkWidget *
field (EaSetupAssistant *self,
       const char       *name)
{
  return g_hash_table_lookup (self->fields, name);
}

static const char *
text_of (EaSetupAssistant *self,
         const char       *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (field (self, name)));
}

static gboolean
active (EaSetupAssistant *self,
        const char       *name)
{
  return gtk_check_button_get_active (GTK_CHECK_BUTTON (field (self, name)));
}

static char *
platform_field (EaPlatform platform)
{
  return g_strconcat ("platform-", ea_platform_to_id (platform), NULL);
}

/* Page 1: welcome and mode ------------------------------------------------- */

static void
mode_toggled_cb (EaSetupAssistant *self)
{
  gboolean demo = active (self, "mode-demo");
  g_autofree char *demo_name = platform_field (EA_PLATFORM_DEMO);
  g_autofree char *tv_name = platform_field (EA_PLATFORM_TRADOVATE);
  gboolean any_broker = FALSE;

  for (guint i = EA_PLATFORM_TRADOVATE; i < EA_N_PLATFORMS; i++)
    {
      g_autofree char *name = platform_field ((EaPlatform) i);
      any_broker |= active (self, name);
    }

  if (demo)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (field (self, demo_name)), TRUE);
  else if (!any_broker)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (field (self, tv_name)), TRUE);
  _ea_setup_update_state (self);
}

static void
build_welcome (EaSetupAssistant       *self,
               const EaPlatformConfig *config)
{
  GtkWidget *page = new_page (self, EA_SETUP_PAGE_WELCOME, _("Welcome to Enigma Apex"),
                              _("A few steps connect your trading platforms, keep your passwords in the "
                                "system keyring, and set the prop-firm rules the desk enforces. "
                                "Everything can be changed later from the menu."));
  GtkWidget *demo = gtk_check_button_new_with_mnemonic (_("Start with the _Demo exchange — no account needed"));
  GtkWidget *broker = gtk_check_button_new_with_mnemonic (_("_Connect a broker: Tradovate, Interactive Brokers or NinjaTrader 8"));
  GtkWidget *section = new_section (page, NULL, NULL);
  GtkWidget *modes = gtk_label_new (_("Enigma Apex runs in one of three modes. Demo trades on a simulated exchange "
                                      "inside the application. Test uses a broker’s demo or paper account and "
                                      "opens once a connection test passed. Live trades real money and opens after "
                                      "a full Test session without a limit breach."));
  gboolean any_broker = FALSE;

  for (guint i = EA_PLATFORM_TRADOVATE; i < EA_N_PLATFORMS; i++)
    any_broker |= config->enabled[i];

  gtk_check_button_set_group (GTK_CHECK_BUTTON (broker), GTK_CHECK_BUTTON (demo));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (any_broker ? broker : demo), TRUE);
  gtk_widget_set_name (demo, "mode-demo");
  gtk_widget_set_name (broker, "mode-broker");
  g_hash_table_replace (self->fields, g_strdup ("mode-demo"), demo);
  g_hash_table_replace (self->fields, g_strdup ("mode-broker"), broker);
  gtk_box_append (GTK_BOX (section), demo);
  gtk_box_append (GTK_BOX (section), broker);

  gtk_label_set_wrap (GTK_LABEL (modes), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (modes), 70);
  gtk_label_set_width_chars (GTK_LABEL (modes), 40);
  gtk_label_set_xalign (GTK_LABEL (modes), 0);
  gtk_widget_add_css_class (modes, "dim-label");
  gtk_box_append (GTK_BOX (page), modes);
}

/* Page 2: platforms ---------------------------------------------------------- */

static void
platform_toggled_cb (GtkCheckButton   *check,
                     EaSetupAssistant *self)
{
  GtkWidget *body = g_object_get_data (G_OBJECT (check), "body");

  gtk_widget_set_sensitive (body, gtk_check_button_get_active (check));
  field_changed_cb (self);
}

static void
environment_changed_cb (EaSetupAssistant *self)
{
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (field (self, "tradovate-environment")));
  const char *env = selected == 1 ? "live" : "demo";
  const char *other = selected == 1 ? "demo" : "live";
  const char *rest, *ws, *md, *old_rest, *old_ws, *old_md;

  /* Addresses left at the other environment's defaults follow the switch;
   * custom ones (a local server) stay. */
  ea_platform_tradovate_urls (env, &rest, &ws, &md);
  ea_platform_tradovate_urls (other, &old_rest, &old_ws, &old_md);
  if (g_strcmp0 (text_of (self, "tradovate-rest-url"), old_rest) == 0)
    gtk_editable_set_text (GTK_EDITABLE (field (self, "tradovate-rest-url")), rest);
  if (g_strcmp0 (text_of (self, "tradovate-ws-url"), old_ws) == 0)
    gtk_editable_set_text (GTK_EDITABLE (field (self, "tradovate-ws-url")), ws);
  if (g_strcmp0 (text_of (self, "tradovate-md-url"), old_md) == 0)
    gtk_editable_set_text (GTK_EDITABLE (field (self, "tradovate-md-url")), md);
}

static GtkWidget *
platform_section (EaSetupAssistant *self,
                  GtkWidget        *page,
                  EaPlatform        platform,
                  gboolean          enabled,
                  const char       *description)
{
  g_autofree char *name = platform_field (platform);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *check = gtk_check_button_new_with_label (ea_platform_get_title (platform));
  GtkWidget *section = new_section (page, header, description);
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_widget_add_css_class (check, "section-title");
  gtk_box_append (GTK_BOX (header), check);
  if (!ea_platform_has_adapter (platform))
    {
      GtkWidget *pill = gtk_label_new (_("Adapter not available in this build: settings are kept"));

      gtk_widget_add_css_class (pill, "dim-label");
      gtk_label_set_ellipsize (GTK_LABEL (pill), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (pill, TRUE);
      gtk_label_set_xalign (GTK_LABEL (pill), 1);
      gtk_box_append (GTK_BOX (header), pill);
    }

  gtk_widget_set_name (check, name);
  g_hash_table_replace (self->fields, g_strdup (name), check);
  g_object_set_data (G_OBJECT (check), "body", body);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), enabled);
  gtk_widget_set_sensitive (body, enabled);
  g_signal_connect (check, "toggled", G_CALLBACK (platform_toggled_cb), self);
  gtk_box_append (GTK_BOX (section), body);
  self->platform_sections[platform] = section;
  return body;
}

static void
build_platforms (EaSetupAssistant       *self,
                 const EaPlatformConfig *config)
{
  GtkWidget *page = new_page (self, EA_SETUP_PAGE_PLATFORMS, _("Platforms"),
                              _("Choose where you trade. At least one platform is needed; the Demo exchange "
                                "needs no account."));
  const char * const envs[] = { N_("Demo (simulated money)"), N_("Live (real money)"), NULL };
  g_autoptr(GtkStringList) env_model = gtk_string_list_new (NULL);
  GtkWidget *body, *grid, *expander, *env, *error;

  platform_section (self, page, EA_PLATFORM_DEMO, config->enabled[EA_PLATFORM_DEMO],
                    _("A simulated CME exchange inside the application, with live-like quotes. "
                      "Always available."));

  body = platform_section (self, page, EA_PLATFORM_TRADOVATE, config->enabled[EA_PLATFORM_TRADOVATE],
                           _("Tradovate’s API with your user name and an API key "
                             "(Application Settings → API Access)."));
  grid = new_grid (body);
  for (guint i = 0; envs[i] != NULL; i++)
    gtk_string_list_append (env_model, _(envs[i]));
  env = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (env_model)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (env), g_strcmp0 (config->tradovate_environment, "live") == 0);
  add_field (self, grid, "tradovate-environment", _("_Environment"), env);
  add_field (self, grid, "tradovate-user", _("_User name"), new_entry (config->tradovate_user, _("your Tradovate login")));
  expander = gtk_expander_new (_("Server addresses"));
  gtk_box_append (GTK_BOX (body), expander);
  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
  gtk_expander_set_child (GTK_EXPANDER (expander), grid);
  add_field (self, grid, "tradovate-rest-url", _("_REST"), new_entry (config->tradovate_rest_url, NULL));
  add_field (self, grid, "tradovate-ws-url", _("_Trading WebSocket"), new_entry (config->tradovate_ws_url, NULL));
  add_field (self, grid, "tradovate-md-url", _("_Market data"), new_entry (config->tradovate_md_url, NULL));
  g_signal_connect_swapped (env, "notify::selected", G_CALLBACK (environment_changed_cb), self);

  body = platform_section (self, page, EA_PLATFORM_IBKR, config->enabled[EA_PLATFORM_IBKR],
                           _("Interactive Brokers through the Client Portal gateway running on this computer."));
  grid = new_grid (body);
  add_field (self, grid, "ibkr-gateway-url", _("_Gateway address"),
             new_entry (config->ibkr_gateway_url, "https://localhost:5000/v1/api"));
  {
    GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
    GtkWidget *fp = new_entry (config->ibkr_fingerprint, _("SHA-256 of the gateway’s certificate"));
    GtkWidget *fetch = gtk_button_new_with_mnemonic (_("_Fetch"));

    gtk_widget_set_hexpand (fp, TRUE);
    gtk_widget_set_tooltip_text (fetch, _("Read the fingerprint from the gateway: compare it with the one "
                                          "the gateway prints before you pin it"));
    gtk_widget_set_name (fetch, "ibkr-fetch");
    g_hash_table_replace (self->fields, g_strdup ("ibkr-fetch"), fetch);
    g_signal_connect_swapped (fetch, "clicked", G_CALLBACK (_ea_setup_fetch_fingerprint), self);
    gtk_box_append (GTK_BOX (row), fp);
    gtk_box_append (GTK_BOX (row), fetch);
    add_field (self, grid, "ibkr-fingerprint-row", _("_Certificate"), row);
    /* The entry is the field; the row only lays it out. */
    g_hash_table_replace (self->fields, g_strdup ("ibkr-fingerprint"), fp);
    g_hash_table_replace (self->errors, g_strdup ("ibkr-fingerprint"),
                          g_hash_table_lookup (self->errors, "ibkr-fingerprint-row"));
    g_signal_connect_swapped (fp, "changed", G_CALLBACK (field_changed_cb), self);
  }
  add_field (self, grid, "ibkr-account", _("A_ccount"), new_entry (config->ibkr_account, _("the gateway’s selected account")));

  body = platform_section (self, page, EA_PLATFORM_NINJATRADER, config->enabled[EA_PLATFORM_NINJATRADER],
                           _("NinjaTrader 8 through its Automated Trading Interface (ATI) folders."));
  grid = new_grid (body);
  add_folder_field (self, grid, "nt-incoming-dir", _("_Incoming folder"),
                    new_entry (config->nt_incoming_dir, _("…/Documents/NinjaTrader 8/incoming")),
                    _("Choose NinjaTrader’s incoming folder"));
  add_folder_field (self, grid, "nt-outgoing-dir", _("_Outgoing folder"),
                    new_entry (config->nt_outgoing_dir, _("…/Documents/NinjaTrader 8/outgoing")),
                    _("Choose NinjaTrader’s outgoing folder"));
  add_field (self, grid, "nt-account", _("_Account"), new_entry (config->nt_account, "Sim101"));

  error = new_error_label (self, "platforms");
  gtk_box_append (GTK_BOX (page), error);
}

/* Validation ------------------------------------------------------------------- */

static gboolean
check (EaSetupAssistant *self,
       gboolean          show,
       const char       *name,
       gboolean          ok,
       const GError     *error)
{
  if (show)
    _ea_setup_set_error (self, name, ok ? NULL : error->message);
  return ok;
}

#define CHECK_FIELD(name, call)                                   \
  G_STMT_START {                                                  \
    g_autoptr(GError) e = NULL;                                   \
    gboolean field_ok = (call);                                   \
    valid &= check (self, show, name, field_ok, e);               \
  } G_STMT_END

static gboolean
validate_platforms (EaSetupAssistant *self,
                    gboolean          show)
{
  g_autoptr(EaPlatformConfig) c = ea_platform_config_new ();
  gboolean valid = TRUE;
  gboolean any = FALSE;

  _ea_setup_config_from_fields (self, c);
  for (guint i = 0; i < EA_N_PLATFORMS; i++)
    any |= c->enabled[i];
  if (show)
    _ea_setup_set_error (self, "platforms", any ? NULL : _("Choose at least one platform."));
  valid &= any;

  if (c->enabled[EA_PLATFORM_TRADOVATE])
    {
      CHECK_FIELD ("tradovate-user",
                   (c->tradovate_user[0] != '\0' && !g_utf8_strchr (c->tradovate_user, -1, ' ')) ||
                   (g_set_error_literal (&e, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                         c->tradovate_user[0] == '\0' ? _("Enter your Tradovate user name.")
                                                                      : _("A user name has no spaces.")), FALSE));
      CHECK_FIELD ("tradovate-rest-url", ea_platform_validate_url (c->tradovate_rest_url, FALSE, &e));
      CHECK_FIELD ("tradovate-ws-url", ea_platform_validate_url (c->tradovate_ws_url, TRUE, &e));
      CHECK_FIELD ("tradovate-md-url", ea_platform_validate_url (c->tradovate_md_url, TRUE, &e));
    }
  else if (show)
    {
      const char *names[] = { "tradovate-user", "tradovate-rest-url", "tradovate-ws-url", "tradovate-md-url" };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        _ea_setup_set_error (self, names[i], NULL);
    }

  if (c->enabled[EA_PLATFORM_IBKR])
    {
      CHECK_FIELD ("ibkr-gateway-url", ea_platform_validate_url (c->ibkr_gateway_url, FALSE, &e));
      CHECK_FIELD ("ibkr-fingerprint", ea_platform_validate_fingerprint (c->ibkr_fingerprint, &e));
    }
  else if (show)
    {
      _ea_setup_set_error (self, "ibkr-gateway-url", NULL);
      _ea_setup_set_error (self, "ibkr-fingerprint", NULL);
    }

  if (c->enabled[EA_PLATFORM_NINJATRADER])
    {
      CHECK_FIELD ("nt-incoming-dir", ea_platform_validate_folder (c->nt_incoming_dir, &e));
      CHECK_FIELD ("nt-outgoing-dir", ea_platform_validate_folder (c->nt_outgoing_dir, &e));
      CHECK_FIELD ("nt-account", ea_platform_validate_account_name (c->nt_account, &e));
    }
  else if (show)
    {
      _ea_setup_set_error (self, "nt-incoming-dir", NULL);
      _ea_setup_set_error (self, "nt-outgoing-dir", NULL);
      _ea_setup_set_error (self, "nt-account", NULL);
    }

  return valid;
}

static gboolean
validate_credentials (EaSetupAssistant *self,
                      gboolean          show)
{
  g_autofree char *tv = platform_field (EA_PLATFORM_TRADOVATE);
  gboolean valid = TRUE;
  const char *cid;

  if (!active (self, tv) || (self->cred_stored && !self->cred_replacing))
    return self->cred_checked_for != NULL || !active (self, tv);

  CHECK_FIELD ("tradovate-password",
               text_of (self, "tradovate-password")[0] != '\0' ||
               (g_set_error_literal (&e, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Enter your password.")), FALSE));
  cid = text_of (self, "tradovate-cid");
  CHECK_FIELD ("tradovate-cid",
               (cid[0] != '\0' && strspn (cid, "0123456789") == strlen (cid)) ||
               (g_set_error_literal (&e, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                     cid[0] == '\0' ? _("Enter the API key id (cid).")
                                                    : _("The API key id (cid) is a number.")), FALSE));
  CHECK_FIELD ("tradovate-sec",
               text_of (self, "tradovate-sec")[0] != '\0' ||
               (g_set_error_literal (&e, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Enter the API secret.")), FALSE));
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) expires = NULL;

    CHECK_FIELD ("tradovate-expires", _ea_setup_parse_expiry (text_of (self, "tradovate-expires"), now, &expires, &e));
  }
  return valid;
}

static gboolean
validate_risk (EaSetupAssistant *self,
               gboolean          show)
{
  const EaRiskProfile *profile = NULL;
  guint fat = (guint) gtk_spin_button_get_value (GTK_SPIN_BUTTON (field (self, "fat-finger-max")));
  double fraction = gtk_spin_button_get_value (GTK_SPIN_BUTTON (field (self, "kelly-fraction")));
  double cap = gtk_spin_button_get_value (GTK_SPIN_BUTTON (field (self, "kelly-cap")));
  gboolean valid = TRUE;

  if (self->profiles != NULL)
    profile = ea_profile_store_lookup (self->profiles, _ea_setup_profile_id (self));

  /* 1 mini = 10 micros: an order above this is always refused anyway. */
  CHECK_FIELD ("fat-finger-max",
               profile == NULL || profile->max_contracts == 0 || fat <= profile->max_contracts * 10 ||
               (g_set_error (&e, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             _("Above what the profile allows (%u minis, %u micros): at most %u."),
                             profile->max_contracts, profile->max_contracts * 10, profile->max_contracts * 10),
                FALSE));
  CHECK_FIELD ("kelly-cap",
               cap <= fraction + 1e-9 ||
               (g_set_error (&e, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             _("The cap (%.2f) is above the Kelly fraction (%.2f): lower it to at most %.2f."),
                             cap, fraction, fraction), FALSE));
  return valid;
}

gboolean
_ea_setup_validate_page (EaSetupAssistant *self,
                         EaSetupPage       page,
                         gboolean          show)
{
  switch (page)
    {
    case EA_SETUP_PAGE_PLATFORMS:
      return validate_platforms (self, show);
    case EA_SETUP_PAGE_CREDENTIALS:
      return validate_credentials (self, show);
    case EA_SETUP_PAGE_RISK:
      return validate_risk (self, show);
    case EA_SETUP_PAGE_PROFILE:
      return self->profiles == NULL || _ea_setup_profile_id (self)[0] != '\0';
    case EA_SETUP_PAGE_WELCOME:
    case EA_SETUP_PAGE_VERIFY:
    case EA_SETUP_PAGE_SUMMARY:
    default:
      return TRUE;
    }
}

void
_ea_setup_config_from_fields (EaSetupAssistant *self,
                              EaPlatformConfig *c)
{
  struct { char **slot; const char *name; } texts[] = {
    { &c->tradovate_user, "tradovate-user" },
    { &c->tradovate_rest_url, "tradovate-rest-url" },
    { &c->tradovate_ws_url, "tradovate-ws-url" },
    { &c->tradovate_md_url, "tradovate-md-url" },
    { &c->ibkr_gateway_url, "ibkr-gateway-url" },
    { &c->ibkr_fingerprint, "ibkr-fingerprint" },
    { &c->ibkr_account, "ibkr-account" },
    { &c->nt_incoming_dir, "nt-incoming-dir" },
    { &c->nt_outgoing_dir, "nt-outgoing-dir" },
    { &c->nt_account, "nt-account" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_free (*texts[i].slot);
      *texts[i].slot = g_strstrip (g_strdup (text_of (self, texts[i].name)));
    }
  g_free (c->tradovate_environment);
  c->tradovate_environment =
    g_strdup (gtk_drop_down_get_selected (GTK_DROP_DOWN (field (self, "tradovate-environment"))) == 1 ? "live" : "demo");

  for (guint i = 0; i < EA_N_PLATFORMS; i++)
    {
      g_autofree char *name = platform_field ((EaPlatform) i);
      c->enabled[i] = active (self, name);
    }
}

/* Page 6: risk and sizing -------------------------------------------------------- */

static void
build_risk (EaSetupAssistant *self)
{
  GtkWidget *page = new_page (self, EA_SETUP_PAGE_RISK, _("Risk and sizing"),
                              _("How the desk sizes positions (Kelly) and guards orders. "
                                "The defaults are half-Kelly with a 25 % cap."));
  GtkWidget *section = new_section (page, gtk_label_new (_("Position sizing")), NULL);
  GtkWidget *grid = new_grid (section);
  GtkWidget *sound;
  GSettings *s = self->settings;

  add_field (self, grid, "kelly-fraction", _("Kelly _fraction"),
             new_spin (0.1, 1.0, 0.05, 2, g_settings_get_double (s, "kelly-fraction")));
  add_field (self, grid, "kelly-cap", _("Kelly _cap"),
             new_spin (0.05, 0.5, 0.01, 2, g_settings_get_double (s, "kelly-cap")));
  add_field (self, grid, "kelly-min-sample", _("_Minimum sample (trades)"),
             new_spin (5, 500, 1, 0, g_settings_get_uint (s, "kelly-min-sample")));

  section = new_section (page, gtk_label_new (_("Order guards")), NULL);
  grid = new_grid (section);
  add_field (self, grid, "fat-finger-max", _("Fat-finger _maximum (contracts per order)"),
             new_spin (1, 500, 1, 0, g_settings_get_uint (s, "fat-finger-max")));

  section = new_section (page, gtk_label_new (_("Reversal alerts (ERM)")), NULL);
  grid = new_grid (section);
  add_field (self, grid, "erm-threshold", _("_Threshold (ATR)"),
             new_spin (0.25, 1.0, 0.05, 2, g_settings_get_double (s, "erm-threshold")));
  add_field (self, grid, "erm-lookback-s", _("_Lookback (seconds)"),
             new_spin (10, 600, 5, 0, g_settings_get_uint (s, "erm-lookback-s")));
  sound = gtk_switch_new ();
  gtk_switch_set_active (GTK_SWITCH (sound), g_settings_get_boolean (s, "notify-sound"));
  gtk_widget_set_halign (sound, GTK_ALIGN_START);
  add_field (self, grid, "notify-sound", _("_Sound with notifications"), sound);
}

/* Page 5: prop-firm profile ------------------------------------------------------- */

static guint
safety_pct_of (EaSetupAssistant *self)
{
  guint ratio = gtk_drop_down_get_selected (GTK_DROP_DOWN (field (self, "safety-ratio")));

  if (ratio < G_N_ELEMENTS (safety_presets))
    return safety_presets[ratio];
  return (guint) gtk_spin_button_get_value (GTK_SPIN_BUTTON (field (self, "safety-custom-pct")));
}

guint
_ea_setup_safety_pct (EaSetupAssistant *self)
{
  return safety_pct_of (self);
}

const char *
_ea_setup_profile_id (EaSetupAssistant *self)
{
  guint i;

  if (self->product_ids == NULL)
    return "";
  i = gtk_drop_down_get_selected (GTK_DROP_DOWN (field (self, "profile-product")));
  if (i >= self->product_ids->len)
    return "";
  return g_ptr_array_index (self->product_ids, i);
}

static char *
money (EaMicros amount)
{
  return ea_money_format (amount);
}

static void update_account_limits (EaSetupAssistant *self,
                                   const char       *account);

char *
_ea_setup_describe_limits (const EaRiskProfile *p,
                           guint                pct)
{
  GString *text = g_string_new (NULL);

  {
    g_autofree char *size = money (p->account_size);
    g_autofree char *trail = money (p->trailing_amount);
    g_autofree char *trail_eff = money (p->trailing_amount * pct / 100);

    g_string_append_printf (text, _("Account size %s, safety ratio %u %%.\n"), size, pct);
    g_string_append_printf (text, _("Trailing drawdown: firm %s → the desk stops you at %s.\n"), trail, trail_eff);
  }
  if (p->daily_loss_limit > 0)
    {
      g_autofree char *daily = money (p->daily_loss_limit);
      g_autofree char *daily_eff = money (p->daily_loss_limit * pct / 100);

      g_string_append_printf (text, _("Daily loss: firm %s → stop at %s.\n"), daily, daily_eff);
    }
  else
    g_string_append (text, _("Daily loss: no firm limit.\n"));
  {
    /* As the risk engine computes it at the start: the fixed cap, or the
     * share of the drawdown, whichever is smaller. */
    EaMicros cap = p->max_open_loss > 0 ? p->max_open_loss : 0;

    if (p->max_open_loss_share > 0)
      {
        EaMicros share = (EaMicros) ((double) p->trailing_amount * p->max_open_loss_share);

        cap = cap > 0 ? MIN (cap, share) : share;
      }
    if (cap > 0)
      {
        g_autofree char *open = money (cap);
        g_autofree char *open_eff = money (cap * pct / 100);

        g_string_append_printf (text, _("Open loss cap: firm %s → stop at %s.\n"), open, open_eff);
      }
  }
  g_string_append_printf (text, _("Contracts: at most %u minis (%u micros)."), p->max_contracts, p->max_contracts * 10);
  return g_string_free (text, FALSE);
}

static void
update_limits (EaSetupAssistant *self)
{
  const EaRiskProfile *p = self->profiles ? ea_profile_store_lookup (self->profiles, _ea_setup_profile_id (self)) : NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_sensitive (field (self, "safety-custom-pct"),
                            gtk_drop_down_get_selected (GTK_DROP_DOWN (field (self, "safety-ratio"))) == 3);
  if (p == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->limits_label), _("Choose a profile."));
      return;
    }

  text = _ea_setup_describe_limits (p, safety_pct_of (self));
  {
    g_autoptr(GString) shown = g_string_new (text);

    /* Translators: the firm, the product, then the date the rules were
     * read from the firm's pages. */
    g_string_append_printf (shown, _("\n\n%s · %s: rules as read on %s."), p->firm, p->product, p->source_date);
    if (strstr (p->note, "erify with your firm") == NULL)
      g_string_append_printf (shown, " %s", _("Verify with your firm."));
    if (p->note[0] != '\0')
      g_string_append_printf (shown, "\n%s", p->note);
    gtk_label_set_text (GTK_LABEL (self->limits_label), shown->str);
  }
  if (self->account_choice != NULL)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, self->fields);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (g_str_has_prefix (key, "account-limits-"))
          update_account_limits (self, (const char *) key + strlen ("account-limits-"));
    }
}

static void
firm_changed_cb (EaSetupAssistant *self)
{
  guint firm = gtk_drop_down_get_selected (GTK_DROP_DOWN (field (self, "profile-firm")));
  const char *firm_name = firm < g_list_model_get_n_items (G_LIST_MODEL (self->firms))
                          ? gtk_string_list_get_string (self->firms, firm) : NULL;
  g_auto(GStrv) ids = ea_profile_store_list_ids (self->profiles);
  g_autofree char *wanted = g_settings_get_string (self->settings, "default-profile");
  guint selected = 0;

  if (wanted[0] == '\0')
    {
      g_free (wanted);
      wanted = g_strdup (EA_SETUP_DEFAULT_PROFILE);
    }

  g_ptr_array_set_size (self->product_ids, 0);
  gtk_string_list_splice (self->products, 0, g_list_model_get_n_items (G_LIST_MODEL (self->products)), NULL);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      const EaRiskProfile *p = ea_profile_store_lookup (self->profiles, ids[i]);
      g_autofree char *size = NULL, *label = NULL;

      if (p == NULL || g_strcmp0 (p->firm, firm_name) != 0)
        continue;
      size = ea_money_format_full (p->account_size, EA_MONEY_FORMAT_DEFAULT);
      label = g_strdup_printf ("%s — %s", p->product, size);
      if (g_strcmp0 (ids[i], wanted) == 0)
        selected = self->product_ids->len;
      g_ptr_array_add (self->product_ids, g_strdup (ids[i]));
      gtk_string_list_append (self->products, label);
    }
  gtk_drop_down_set_selected (GTK_DROP_DOWN (field (self, "profile-product")), selected);
  update_limits (self);
}

static void
build_profile (EaSetupAssistant *self)
{
  GtkWidget *page = new_page (self, EA_SETUP_PAGE_PROFILE, _("Prop-firm profile"),
                              _("The firm rules your accounts trade under, and how much of each limit you "
                                "allow yourself. Figures are public rules as of mid-2026: verify them with "
                                "your firm."));
  GtkWidget *section = new_section (page, NULL, NULL);
  GtkWidget *grid = new_grid (section);
  const char * const ratios[] = { N_("Conservative (50 %)"), N_("Moderate (70 %)"), N_("Aggressive (90 %)"),
                                  N_("Custom"), NULL };
  g_autoptr(GtkStringList) ratio_model = gtk_string_list_new (NULL);
  g_autofree char *wanted = g_settings_get_string (self->settings, "default-profile");
  g_auto(GStrv) ids = NULL;
  GtkWidget *firm, *product, *ratio;
  guint firm_selected = 0;

  self->firms = gtk_string_list_new (NULL);
  self->products = gtk_string_list_new (NULL);
  self->product_ids = g_ptr_array_new_with_free_func (g_free);
  if (wanted[0] == '\0')
    {
      g_free (wanted);
      wanted = g_strdup (EA_SETUP_DEFAULT_PROFILE);
    }

  ids = self->profiles != NULL ? ea_profile_store_list_ids (self->profiles) : g_new0 (char *, 1);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      const EaRiskProfile *p = ea_profile_store_lookup (self->profiles, ids[i]);
      guint pos;

      if (p == NULL)
        continue;
      for (pos = 0; pos < g_list_model_get_n_items (G_LIST_MODEL (self->firms)); pos++)
        if (g_strcmp0 (gtk_string_list_get_string (self->firms, pos), p->firm) == 0)
          break;
      if (pos == g_list_model_get_n_items (G_LIST_MODEL (self->firms)))
        gtk_string_list_append (self->firms, p->firm);
      if (g_strcmp0 (ids[i], wanted) == 0)
        firm_selected = pos;
    }

  firm = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->firms)), NULL);
  product = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->products)), NULL);
  add_field (self, grid, "profile-firm", _("_Firm"), firm);
  add_field (self, grid, "profile-product", _("_Product and size"), product);

  for (guint i = 0; ratios[i] != NULL; i++)
    gtk_string_list_append (ratio_model, _(ratios[i]));
  ratio = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (ratio_model)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (ratio), (guint) g_settings_get_enum (self->settings, "safety-ratio"));
  add_field (self, grid, "safety-ratio", _("_Safety ratio"), ratio);
  add_field (self, grid, "safety-custom-pct", _("Custom _ratio (%)"),
             new_spin (5, 100, 1, 0, g_settings_get_uint (self->settings, "safety-custom-pct")));

  self->limits_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->limits_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->limits_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->limits_label), 70);
  gtk_label_set_width_chars (GTK_LABEL (self->limits_label), 40);
  gtk_label_set_selectable (GTK_LABEL (self->limits_label), TRUE);
  gtk_widget_add_css_class (self->limits_label, "limits-box");
  gtk_widget_add_css_class (self->limits_label, "numeric");
  gtk_widget_set_name (self->limits_label, "effective-limits");
  g_hash_table_replace (self->fields, g_strdup ("effective-limits"), self->limits_label);
  gtk_box_append (GTK_BOX (page), gtk_label_new (NULL));
  gtk_label_set_markup (GTK_LABEL (gtk_widget_get_last_child (page)), _("<b>Effective limits</b>"));
  gtk_label_set_xalign (GTK_LABEL (gtk_widget_get_last_child (page)), 0);
  gtk_box_append (GTK_BOX (page), self->limits_label);

  {
    GtkWidget *heading = gtk_label_new (NULL);
    g_autoptr(GVariant) saved = g_settings_get_value (self->settings, "account-profiles");
    g_autoptr(GVariant) saved_safety = g_settings_get_value (self->settings, "account-safety");
    guint32 pct;
    GVariantIter it;
    const char *account, *profile_id;

    gtk_label_set_markup (GTK_LABEL (heading), _("<b>Accounts</b>"));
    gtk_label_set_xalign (GTK_LABEL (heading), 0);
    gtk_box_append (GTK_BOX (page), heading);
    self->accounts_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
    gtk_box_append (GTK_BOX (page), self->accounts_box);

    self->account_choice = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    g_variant_iter_init (&it, saved);
    while (g_variant_iter_next (&it, "{&s&s}", &account, &profile_id))
      g_hash_table_replace (self->account_choice, g_strdup (account), g_strdup (profile_id));
    self->account_safety = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    g_variant_iter_init (&it, saved_safety);
    while (g_variant_iter_next (&it, "{&su}", &account, &pct))
      g_hash_table_replace (self->account_safety, g_strdup (account), GUINT_TO_POINTER (pct));
    self->all_profile_ids = g_ptr_array_new_with_free_func (g_free);
    for (guint i = 0; ids[i] != NULL; i++)
      if (ea_profile_store_lookup (self->profiles, ids[i]) != NULL)
        g_ptr_array_add (self->all_profile_ids, g_strdup (ids[i]));
  }

  g_signal_connect_swapped (firm, "notify::selected", G_CALLBACK (firm_changed_cb), self);
  g_signal_connect_swapped (product, "notify::selected", G_CALLBACK (update_limits), self);
  g_signal_connect_swapped (ratio, "notify::selected", G_CALLBACK (update_limits), self);
  g_signal_connect_swapped (field (self, "safety-custom-pct"), "value-changed", G_CALLBACK (update_limits), self);

  if (self->profiles != NULL)
    {
      gtk_drop_down_set_selected (GTK_DROP_DOWN (firm), firm_selected);
      firm_changed_cb (self);
    }
}

/* Per account ------------------------------------------------------------------ */

/* Row 0 of an account's safety choice is "the ratio above". */
static const char * const account_ratios[] = { N_("The ratio above"), N_("Conservative (50 %)"),
                                               N_("Moderate (70 %)"), N_("Aggressive (90 %)"), NULL };

static const EaRiskProfile *
account_profile (EaSetupAssistant *self,
                 const char       *account)
{
  const char *id = g_hash_table_lookup (self->account_choice, account);
  const EaRiskProfile *p = NULL;

  if (id != NULL && id[0] != '\0')
    p = ea_profile_store_lookup (self->profiles, id);
  return p != NULL ? p : ea_profile_store_lookup (self->profiles, _ea_setup_profile_id (self));
}

static guint
account_pct (EaSetupAssistant *self,
             const char       *account)
{
  guint pct = GPOINTER_TO_UINT (g_hash_table_lookup (self->account_safety, account));

  return pct > 0 ? pct : safety_pct_of (self);
}

static void
update_account_limits (EaSetupAssistant *self,
                       const char       *account)
{
  g_autofree char *name = g_strconcat ("account-limits-", account, NULL);
  GtkWidget *label = g_hash_table_lookup (self->fields, name);
  const EaRiskProfile *p = account_profile (self, account);
  g_autofree char *text = NULL;

  if (label == NULL)
    return;
  if (p == NULL)
    text = g_strdup (_("Choose a profile."));
  else
    text = _ea_setup_describe_limits (p, account_pct (self, account));
  gtk_label_set_text (GTK_LABEL (label), text);
}

static void
account_choice_cb (GtkDropDown      *drop,
                   GParamSpec       *pspec,
                   EaSetupAssistant *self)
{
  const char *account = g_object_get_data (G_OBJECT (drop), "account");
  guint i = gtk_drop_down_get_selected (drop);

  /* Row 0 is "the profile above". */
  g_hash_table_replace (self->account_choice, g_strdup (account),
                        g_strdup (i == 0 || i > self->all_profile_ids->len
                                  ? "" : (const char *) g_ptr_array_index (self->all_profile_ids, i - 1)));
  update_account_limits (self, account);
}

static void
account_safety_cb (GtkDropDown      *drop,
                   GParamSpec       *pspec,
                   EaSetupAssistant *self)
{
  const char *account = g_object_get_data (G_OBJECT (drop), "account");
  guint i = gtk_drop_down_get_selected (drop);

  g_hash_table_replace (self->account_safety, g_strdup (account),
                        GUINT_TO_POINTER (i >= 1 && i <= G_N_ELEMENTS (safety_presets) ? safety_presets[i - 1] : 0));
  update_account_limits (self, account);
}

static gboolean
is_account_field (gpointer key,
                  gpointer value,
                  gpointer user_data)
{
  return g_str_has_prefix (key, "account-profile-") || g_str_has_prefix (key, "account-safety-") ||
         g_str_has_prefix (key, "account-limits-");
}

void
_ea_setup_enter_profile (EaSetupAssistant *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) ratios = gtk_string_list_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (self->accounts_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->accounts_box), child);
  g_hash_table_foreach_remove (self->fields, is_account_field, NULL);
  if (self->profiles == NULL)
    return;

  gtk_string_list_append (labels, _("The profile above"));
  for (guint i = 0; i < self->all_profile_ids->len; i++)
    {
      const EaRiskProfile *p = ea_profile_store_lookup (self->profiles, g_ptr_array_index (self->all_profile_ids, i));
      g_autofree char *size = ea_money_format (p->account_size);
      g_autofree char *label = g_strdup_printf ("%s — %s — %s", p->firm, p->product, size);

      gtk_string_list_append (labels, label);
    }
  for (guint i = 0; account_ratios[i] != NULL; i++)
    gtk_string_list_append (ratios, _(account_ratios[i]));

  for (guint t = 0; t < EA_N_PLATFORMS; t++)
    {
      const EaConnectionTest *test = self->tests[t];

      if (test == NULL || !test->ok || test->accounts == NULL)
        continue;
      for (guint a = 0; test->accounts[a] != NULL; a++)
        {
          const char *account = test->accounts[a];
          const char *chosen = g_hash_table_lookup (self->account_choice, account);
          guint pct = GPOINTER_TO_UINT (g_hash_table_lookup (self->account_safety, account));
          GtkWidget *box, *row, *name, *drop, *ratio, *limits;
          g_autofree char *field_name = g_strconcat ("account-profile-", account, NULL);
          g_autofree char *ratio_name = g_strconcat ("account-safety-", account, NULL);
          g_autofree char *limits_name = g_strconcat ("account-limits-", account, NULL);
          guint selected = 0, ratio_selected = 0;

          if (!g_hash_table_add (seen, (gpointer) account))
            continue;
          for (guint i = 0; chosen != NULL && i < self->all_profile_ids->len; i++)
            if (g_strcmp0 (chosen, g_ptr_array_index (self->all_profile_ids, i)) == 0)
              selected = i + 1;
          for (guint i = 0; i < G_N_ELEMENTS (safety_presets); i++)
            if (pct == safety_presets[i])
              ratio_selected = i + 1;

          box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
          row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
          name = gtk_label_new (account);
          drop = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (labels)), NULL);
          ratio = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (ratios)), NULL);
          limits = gtk_label_new (NULL);
          gtk_label_set_xalign (GTK_LABEL (name), 0);
          gtk_label_set_width_chars (GTK_LABEL (name), 14);
          gtk_widget_set_hexpand (drop, TRUE);
          gtk_drop_down_set_selected (GTK_DROP_DOWN (drop), selected);
          gtk_drop_down_set_selected (GTK_DROP_DOWN (ratio), ratio_selected);
          gtk_accessible_update_property (GTK_ACCESSIBLE (ratio), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Safety ratio"), -1);
          gtk_label_set_xalign (GTK_LABEL (limits), 0);
          gtk_label_set_wrap (GTK_LABEL (limits), TRUE);
          gtk_label_set_max_width_chars (GTK_LABEL (limits), 70);
          gtk_label_set_selectable (GTK_LABEL (limits), TRUE);
          gtk_widget_add_css_class (limits, "dim-label");
          gtk_widget_add_css_class (limits, "numeric");
          g_object_set_data_full (G_OBJECT (drop), "account", g_strdup (account), g_free);
          g_object_set_data_full (G_OBJECT (ratio), "account", g_strdup (account), g_free);
          g_signal_connect (drop, "notify::selected", G_CALLBACK (account_choice_cb), self);
          g_signal_connect (ratio, "notify::selected", G_CALLBACK (account_safety_cb), self);
          gtk_widget_set_name (drop, field_name);
          gtk_widget_set_name (ratio, ratio_name);
          gtk_widget_set_name (limits, limits_name);
          g_hash_table_replace (self->fields, g_strdup (field_name), drop);
          g_hash_table_replace (self->fields, g_strdup (ratio_name), ratio);
          g_hash_table_replace (self->fields, g_strdup (limits_name), limits);
          gtk_box_append (GTK_BOX (row), name);
          gtk_box_append (GTK_BOX (row), drop);
          gtk_box_append (GTK_BOX (row), ratio);
          gtk_box_append (GTK_BOX (box), row);
          gtk_box_append (GTK_BOX (box), limits);
          gtk_box_append (GTK_BOX (self->accounts_box), box);
          update_account_limits (self, account);
          n++;
        }
    }

  if (n == 0)
    {
      GtkWidget *none = gtk_label_new (_("No account was found on the Verify page: every account the desk "
                                         "sees takes the profile above."));

      gtk_label_set_wrap (GTK_LABEL (none), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (none), 70);
      gtk_label_set_xalign (GTK_LABEL (none), 0);
      gtk_widget_add_css_class (none, "dim-label");
      gtk_box_append (GTK_BOX (self->accounts_box), none);
    }
}

GVariant *
_ea_setup_account_profiles (EaSetupAssistant *self)
{
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer key, value;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_hash_table_iter_init (&iter, self->account_choice);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((const char *) value)[0] != '\0')
      g_variant_builder_add (&builder, "{ss}", key, value);
  return g_variant_builder_end (&builder);
}

GVariant *
_ea_setup_account_safety (EaSetupAssistant *self)
{
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer key, value;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{su}"));
  g_hash_table_iter_init (&iter, self->account_safety);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) > 0)
      g_variant_builder_add (&builder, "{su}", key, (guint32) GPOINTER_TO_UINT (value));
  return g_variant_builder_end (&builder);
}

/* All pages ------------------------------------------------------------------------ */

GtkWidget *
_ea_setup_new_page (EaSetupAssistant *self,
                    EaSetupPage       page,
                    const char       *title,
                    const char       *subtitle)
{
  return new_page (self, page, title, subtitle);
}

GtkWidget *
_ea_setup_new_section (GtkWidget  *page,
                       GtkWidget  *header,
                       const char *description)
{
  return new_section (page, header, description);
}

GtkWidget *
_ea_setup_add_field (EaSetupAssistant *self,
                     GtkWidget        *grid,
                     const char       *name,
                     const char       *label,
                     GtkWidget        *widget)
{
  return add_field (self, grid, name, label, widget);
}

GtkWidget *
_ea_setup_new_grid (GtkWidget *parent)
{
  return new_grid (parent);
}

void
_ea_setup_build_pages (EaSetupAssistant *self)
{
  g_autoptr(EaPlatformConfig) config = ea_platform_config_new ();
  gboolean any = FALSE;

  ea_platform_config_load (config, self->settings);
  for (guint i = 0; i < EA_N_PLATFORMS; i++)
    any |= config->enabled[i];
  if (!any)
    config->enabled[EA_PLATFORM_DEMO] = TRUE;

  build_welcome (self, config);
  build_platforms (self, config);
  _ea_setup_build_credentials (self);
  _ea_setup_build_verify (self);
  build_profile (self);
  build_risk (self);
  _ea_setup_build_summary (self);

  g_signal_connect_swapped (field (self, "mode-demo"), "toggled", G_CALLBACK (mode_toggled_cb), self);
}
