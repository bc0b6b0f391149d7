/* ea-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-ninjatrader-broker.h"
#include "ea-notifier.h"
#include "ea-preferences-window.h"

struct _EaPreferencesWindow
{
  GtkWindow   parent_instance;

  GSettings  *settings;
  GHashTable *show_switches;   /* kind → GtkSwitch (not owned) */
  GHashTable *sound_switches;  /* kind → GtkSwitch (not owned) */
  GtkWidget  *erm_threshold;
  GHashTable *nt_widgets;      /* nt-* key → its widget (not owned) */
  GtkWidget  *nt_aliases_error;
  GtkWidget  *demo_always_open;
  GtkWidget  *demo_accounts;
  gboolean    loading;
};

G_DEFINE_FINAL_TYPE (EaPreferencesWindow, ea_preferences_window, GTK_TYPE_WINDOW)

static const char *
type_title (const char *kind)
{
  static const struct { const char *kind; const char *title; } titles[] = {
    { "erm_reversal",    N_("ERM reversal") },
    { "margin_warning",  N_("Low margin") },
    { "connection_lost", N_("Connection lost") },
    { "emergency_stop",  N_("Emergency stop") },
    { "risk_warning",    N_("Risk warning") },
    { "new_signal",      N_("New signal") },
    { "position_update", N_("Position update") },
    { "system_status",   N_("System status") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_strcmp0 (titles[i].kind, kind) == 0)
      return _(titles[i].title);
  return kind;
}

static const char *
priority_text (EaAlertPriority priority)
{
  switch (priority)
    {
    case EA_ALERT_PRIORITY_LOW:      return _("Low priority");
    case EA_ALERT_PRIORITY_MEDIUM:   return _("Medium priority");
    case EA_ALERT_PRIORITY_HIGH:     return _("High priority");
    case EA_ALERT_PRIORITY_CRITICAL: return _("Critical");
    default:                         return "";
    }
}

/* Every type is written, so the setting reads the same whatever the
 * defaults become. */
static void
save_types (EaPreferencesWindow *self)
{
  GVariantBuilder builder;
  const EaNotificationType *types;
  guint n = 0;

  if (self->loading)
    return;

  types = ea_notification_types (&n);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(bb)}"));
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *show = g_hash_table_lookup (self->show_switches, types[i].kind);
      GtkWidget *sound = g_hash_table_lookup (self->sound_switches, types[i].kind);

      g_variant_builder_add (&builder, "{s(bb)}", types[i].kind,
                             gtk_switch_get_active (GTK_SWITCH (show)),
                             gtk_switch_get_active (GTK_SWITCH (sound)));
    }
  g_settings_set_value (self->settings, "notification-types", g_variant_builder_end (&builder));
}

static void
load_types (EaPreferencesWindow *self)
{
  g_autoptr(GVariant) saved = g_settings_get_value (self->settings, "notification-types");
  const EaNotificationType *types;
  guint n = 0;

  self->loading = TRUE;
  types = ea_notification_types (&n);
  for (guint i = 0; i < n; i++)
    {
      gboolean show = types[i].enabled, sound = types[i].sound;

      g_variant_lookup (saved, types[i].kind, "(bb)", &show, &sound);
      if (!ea_notification_type_can_disable (types[i].kind))
        show = TRUE;
      gtk_switch_set_active (g_hash_table_lookup (self->show_switches, types[i].kind), show);
      gtk_switch_set_active (g_hash_table_lookup (self->sound_switches, types[i].kind), sound);
    }
  self->loading = FALSE;
}

static GtkWidget *
new_switch (const char *a11y_label)
{
  GtkWidget *sw = gtk_switch_new ();

  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y_label, -1);
  return sw;
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static GtkWidget *
build_notifications (EaPreferencesWindow *self)
{
  GtkWidget *grid = gtk_grid_new ();
  const EaNotificationType *types;
  guint n = 0;
  GtkWidget *label;
  GtkWidget *global;

  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);

  label = gtk_label_new_with_mnemonic (_("_Sound with notifications"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  global = new_switch (_("Sound with notifications"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), global);
  g_settings_bind (self->settings, "notify-sound", global, "active", G_SETTINGS_BIND_DEFAULT);
  gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 2, 1);
  gtk_grid_attach (GTK_GRID (grid), global, 3, 0, 1, 1);

  label = gtk_label_new (_("Show"));
  gtk_widget_add_css_class (label, "dim-label");
  gtk_grid_attach (GTK_GRID (grid), label, 2, 1, 1, 1);
  label = gtk_label_new (_("Sound"));
  gtk_widget_add_css_class (label, "dim-label");
  gtk_grid_attach (GTK_GRID (grid), label, 3, 1, 1, 1);

  types = ea_notification_types (&n);
  for (guint i = 0; i < n; i++)
    {
      const char *title = type_title (types[i].kind);
      g_autofree char *show_a11y = g_strdup_printf (_("Show %s notifications"), title);
      g_autofree char *sound_a11y = g_strdup_printf (_("Sound for %s notifications"), title);
      GtkWidget *show = new_switch (show_a11y);
      GtkWidget *sound = new_switch (sound_a11y);
      GtkWidget *name = gtk_label_new (title);
      GtkWidget *priority = gtk_label_new (priority_text (types[i].priority));

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_xalign (GTK_LABEL (priority), 0);
      gtk_widget_add_css_class (priority, "dim-label");
      if (!ea_notification_type_can_disable (types[i].kind))
        {
          gtk_widget_set_sensitive (show, FALSE);
          gtk_widget_set_tooltip_text (show, _("The emergency stop is always announced"));
        }
      g_hash_table_insert (self->show_switches, (gpointer) types[i].kind, show);
      g_hash_table_insert (self->sound_switches, (gpointer) types[i].kind, sound);
      g_signal_connect_swapped (show, "notify::active", G_CALLBACK (save_types), self);
      g_signal_connect_swapped (sound, "notify::active", G_CALLBACK (save_types), self);

      gtk_grid_attach (GTK_GRID (grid), name, 0, (int) i + 2, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), priority, 1, (int) i + 2, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), show, 2, (int) i + 2, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), sound, 3, (int) i + 2, 1, 1);
    }

  return grid;
}

static GtkWidget *
spin_row (GtkWidget  *grid,
          int         row,
          const char *mnemonic,
          GtkWidget  *spin)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
  gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), spin, 1, row, 1, 1);
  return spin;
}

static GtkWidget *
build_erm (EaPreferencesWindow *self)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *lookback;

  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);

  self->erm_threshold = gtk_spin_button_new_with_range (0.25, 1.0, 0.05);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (self->erm_threshold), 2);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->erm_threshold),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("ERM threshold in ATRs"), -1);
  spin_row (grid, 0, _("_Threshold (ATRs against the signal)"), self->erm_threshold);
  g_settings_bind (self->settings, "erm-threshold", self->erm_threshold, "value", G_SETTINGS_BIND_DEFAULT);

  lookback = gtk_spin_button_new_with_range (10, 600, 10);
  gtk_accessible_update_property (GTK_ACCESSIBLE (lookback),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("ERM lookback in seconds"), -1);
  spin_row (grid, 1, _("_Lookback (seconds)"), lookback);
  g_settings_bind (self->settings, "erm-lookback-s", lookback, "value", G_SETTINGS_BIND_DEFAULT);

  return grid;
}

/* NinjaTrader ------------------------------------------------------------ */

static const char *const symbology_nicks[] = { "ninjatrader", "cme", "tradovate", NULL };
static const char *const stop_keywords[] = { "STOPMARKET", "STOP", NULL };

static gboolean
choice_get (GValue *value, GVariant *variant, gpointer user_data)
{
  const char *const *choices = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; choices[i] != NULL; i++)
    if (g_strcmp0 (choices[i], nick) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
choice_set (const GValue *value, const GVariantType *type, gpointer user_data)
{
  const char *const *choices = user_data;
  guint i = g_value_get_uint (value);

  for (guint n = 0; choices[n] != NULL; n++)
    if (n == i)
      return g_variant_new_string (choices[n]);
  return NULL;
}

/* "Word=STATE, Word=STATE" of the nt-state-aliases setting. */
static char *
aliases_to_text (GVariant *aliases)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GVariantIter iter;
  const char *word, *state;

  g_variant_iter_init (&iter, aliases);
  while (g_variant_iter_next (&iter, "{&s&s}", &word, &state))
    g_string_append_printf (text, "%s%s=%s", text->len > 0 ? ", " : "", word, state);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GVariant *
aliases_from_text (const char *text, GError **error)
{
  g_auto(GStrv) entries = g_strsplit (text, ",", -1);
  g_autoptr(GVariant) value = NULL;
  g_auto(GStrv) checked = NULL;
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_auto(GStrv) pair = NULL;
      g_autofree char *state = NULL;

      g_strstrip (entries[i]);
      if (*entries[i] == '\0')
        continue;
      pair = g_strsplit (entries[i], "=", 2);
      if (pair[1] == NULL)
        {
          g_variant_builder_clear (&builder);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not Word=STATE"), entries[i]);
          return NULL;
        }
      state = g_ascii_strup (g_strstrip (pair[1]), -1);
      g_variant_builder_add (&builder, "{ss}", g_strstrip (pair[0]), state);
    }
  value = g_variant_ref_sink (g_variant_builder_end (&builder));
  checked = ea_ninjatrader_state_aliases_from_variant (value, error);
  return checked != NULL ? g_steal_pointer (&value) : NULL;
}

static void
load_aliases (EaPreferencesWindow *self)
{
  g_autoptr(GVariant) aliases = g_settings_get_value (self->settings, "nt-state-aliases");
  g_autofree char *text = aliases_to_text (aliases);
  GtkWidget *entry = g_hash_table_lookup (self->nt_widgets, "nt-state-aliases");

  if (self->loading)
    return;
  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  gtk_widget_remove_css_class (entry, "error");
  gtk_widget_set_visible (self->nt_aliases_error, FALSE);
  self->loading = FALSE;
}

static void
aliases_changed_cb (GtkEditable         *entry,
                    EaPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = NULL;

  if (self->loading)
    return;
  value = aliases_from_text (gtk_editable_get_text (entry), &error);
  if (value == NULL)
    {
      /* Nothing is saved until the words make sense. */
      gtk_label_set_text (GTK_LABEL (self->nt_aliases_error), error->message);
      gtk_widget_set_visible (self->nt_aliases_error, TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      return;
    }
  gtk_widget_set_visible (self->nt_aliases_error, FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  self->loading = TRUE;
  g_settings_set_value (self->settings, "nt-state-aliases", value);
  self->loading = FALSE;
}

static GtkWidget *
nt_row (EaPreferencesWindow *self,
        GtkWidget           *grid,
        int                  row,
        const char          *mnemonic,
        const char          *key,
        GtkWidget           *widget)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), widget, 1, row, 1, 1);
  g_hash_table_insert (self->nt_widgets, (gpointer) key, widget);
  return widget;
}

static GtkWidget *
build_ninjatrader (EaPreferencesWindow *self)
{
  const char *naming[] = { _("ES 12-26 (NinjaTrader 8)"), _("ESZ26 (CME)"), _("ESZ6 (Tradovate)"), NULL };
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *note, *w;

  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);

  note = gtk_label_new (_("Used from the next connection to NinjaTrader."));
  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_widget_add_css_class (note, "dim-label");
  gtk_grid_attach (GTK_GRID (grid), note, 0, 0, 2, 1);

  w = nt_row (self, grid, 1, _("_Instrument naming"), "nt-symbology", gtk_drop_down_new_from_strings (naming));
  g_settings_bind_with_mapping (self->settings, "nt-symbology", w, "selected", G_SETTINGS_BIND_DEFAULT,
                                choice_get, choice_set, (gpointer) symbology_nicks, NULL);

  w = nt_row (self, grid, 2, _("_Stop-market keyword"), "nt-stop-keyword",
              gtk_drop_down_new_from_strings (stop_keywords));
  g_settings_bind_with_mapping (self->settings, "nt-stop-keyword", w, "selected", G_SETTINGS_BIND_DEFAULT,
                                choice_get, choice_set, (gpointer) stop_keywords, NULL);

  w = nt_row (self, grid, 3, _("_Connection to watch"), "nt-connection-name", gtk_entry_new ());
  gtk_entry_set_placeholder_text (GTK_ENTRY (w), _("None (e.g. Rithmic)"));
  g_settings_bind (self->settings, "nt-connection-name", w, "text", G_SETTINGS_BIND_DEFAULT);

  w = nt_row (self, grid, 4, _("_ATM strategy template"), "nt-atm-template", gtk_entry_new ());
  gtk_entry_set_placeholder_text (GTK_ENTRY (w), _("None: brackets as OCO orders"));
  g_settings_bind (self->settings, "nt-atm-template", w, "text", G_SETTINGS_BIND_DEFAULT);

  w = nt_row (self, grid, 5, _("Extra order-state _words"), "nt-state-aliases", gtk_entry_new ());
  gtk_entry_set_placeholder_text (GTK_ENTRY (w), _("e.g. Canceled=CANCELLED, Done=FILLED"));
  self->nt_aliases_error = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->nt_aliases_error), 0);
  gtk_label_set_wrap (GTK_LABEL (self->nt_aliases_error), TRUE);
  gtk_widget_add_css_class (self->nt_aliases_error, "error");
  gtk_widget_set_visible (self->nt_aliases_error, FALSE);
  gtk_grid_attach (GTK_GRID (grid), self->nt_aliases_error, 1, 6, 1, 1);
  load_aliases (self);
  g_signal_connect (w, "changed", G_CALLBACK (aliases_changed_cb), self);
  g_signal_connect_object (self->settings, "changed::nt-state-aliases",
                           G_CALLBACK (load_aliases), self, G_CONNECT_SWAPPED);
  return grid;
}

static GtkWidget *
build_demo (EaPreferencesWindow *self)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *label;

  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);

  label = gtk_label_new_with_mnemonic (_("_24/7 demo (trade on weekends and at night)"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  self->demo_always_open = new_switch (_("24/7 demo"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->demo_always_open);
  g_settings_bind (self->settings, "demo-always-open", self->demo_always_open, "active", G_SETTINGS_BIND_DEFAULT);
  gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), self->demo_always_open, 1, 0, 1, 1);

  /* The accounts themselves: their own dialog, which needs the desk. */
  label = gtk_label_new (_("Demo accounts: add one (up to six) or reset one to its starting balance"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  self->demo_accounts = gtk_button_new_with_mnemonic (_("Demo _accounts…"));
  gtk_widget_set_valign (self->demo_accounts, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->demo_accounts), "app.demo-accounts");
  gtk_grid_attach (GTK_GRID (grid), label, 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), self->demo_accounts, 1, 1, 1, 1);

  return grid;
}

static void
ea_preferences_window_finalize (GObject *object)
{
  EaPreferencesWindow *self = EA_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->show_switches, g_hash_table_unref);
  g_clear_pointer (&self->sound_switches, g_hash_table_unref);
  g_clear_pointer (&self->nt_widgets, g_hash_table_unref);

  G_OBJECT_CLASS (ea_preferences_window_parent_class)->finalize (object);
}

static void
ea_preferences_window_class_init (EaPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ea_preferences_window_finalize;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ea_preferences_window_init (EaPreferencesWindow *self)
{
  self->show_switches = g_hash_table_new (g_str_hash, g_str_equal);
  self->sound_switches = g_hash_table_new (g_str_hash, g_str_equal);
  self->nt_widgets = g_hash_table_new (g_str_hash, g_str_equal);
  gtk_window_set_title (GTK_WINDOW (self), _("Preferences"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 620);
}

EaPreferencesWindow *
ea_preferences_window_new (GSettings *settings)
{
  EaPreferencesWindow *self;
  GtkWidget *scroller, *box;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (EA_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_box_append (GTK_BOX (box), heading (_("Notifications")));
  gtk_box_append (GTK_BOX (box), build_notifications (self));
  gtk_box_append (GTK_BOX (box), heading (_("ERM reversal detection")));
  gtk_box_append (GTK_BOX (box), build_erm (self));
  gtk_box_append (GTK_BOX (box), heading (_("NinjaTrader 8")));
  gtk_box_append (GTK_BOX (box), build_ninjatrader (self));
  gtk_box_append (GTK_BOX (box), heading (_("Demo exchange")));
  gtk_box_append (GTK_BOX (box), build_demo (self));

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), box);
  gtk_window_set_child (GTK_WINDOW (self), scroller);

  load_types (self);
  g_signal_connect_object (settings, "changed::notification-types",
                           G_CALLBACK (load_types), self, G_CONNECT_SWAPPED);
  return self;
}

GtkWidget *
ea_preferences_window_get_type_switch (EaPreferencesWindow *self,
                                       const char          *kind,
                                       gboolean             sound)
{
  g_return_val_if_fail (EA_IS_PREFERENCES_WINDOW (self), NULL);

  return g_hash_table_lookup (sound ? self->sound_switches : self->show_switches, kind);
}

GtkWidget *
ea_preferences_window_get_erm_threshold (EaPreferencesWindow *self)
{
  g_return_val_if_fail (EA_IS_PREFERENCES_WINDOW (self), NULL);

  return self->erm_threshold;
}

GtkWidget *
ea_preferences_window_get_nt_widget (EaPreferencesWindow *self,
                                     const char          *key)
{
  g_return_val_if_fail (EA_IS_PREFERENCES_WINDOW (self), NULL);

  return g_hash_table_lookup (self->nt_widgets, key);
}

GtkWidget *
ea_preferences_window_get_nt_aliases_error (EaPreferencesWindow *self)
{
  g_return_val_if_fail (EA_IS_PREFERENCES_WINDOW (self), NULL);

  return self->nt_aliases_error;
}

GtkWidget *
ea_preferences_window_get_demo_always_open (EaPreferencesWindow *self)
{
  g_return_val_if_fail (EA_IS_PREFERENCES_WINDOW (self), NULL);

  return self->demo_always_open;
}

GtkWidget *
ea_preferences_window_get_demo_accounts_button (EaPreferencesWindow *self)
{
  g_return_val_if_fail (EA_IS_PREFERENCES_WINDOW (self), NULL);

  return self->demo_accounts;
}
