/* ea-demo-accounts-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-demo-accounts-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ea-demo-accounts-dialog.h"
#include "ea-demo-accounts.h"
#include "ea-money.h"
#include "ea-sim-exchange.h"

/* One firm product in its sizes: apex-legacy-25k … apex-legacy-300k. */
typedef struct
{
  char      *label;
  GPtrArray *ids;   /* profile ids, smallest start balance first */
} Family;

struct _EaDemoAccountsDialog
{
  GtkWindow        parent_instance;

  EaDesk          *desk;
  GSettings       *settings;
  GPtrArray       *families;       /* Family */
  GHashTable      *reset_buttons;  /* account name → button (not owned) */
  EaConfirmDialog *reset_dialog;   /* weak */
  char            *reset_account;

  GtkWidget       *count_label;
  GtkWidget       *list;
  GtkWidget       *add_button;
  GtkWidget       *limit_label;
  GtkWidget       *form;
  GtkWidget       *name_entry;
  GtkWidget       *profile_dropdown;
  GtkWidget       *size_dropdown;
  GtkWidget       *create_button;
  GtkWidget       *message_label;
};

G_DEFINE_FINAL_TYPE (EaDemoAccountsDialog, ea_demo_accounts_dialog, GTK_TYPE_WINDOW)

static void
family_free (Family *f)
{
  g_free (f->label);
  g_ptr_array_unref (f->ids);
  g_free (f);
}

/* "apex-legacy-50k" → "apex-legacy"; an id without a size is its own. */
static char *
family_key (const char *id)
{
  const char *dash = strrchr (id, '-');
  gsize n;

  if (dash == NULL)
    return g_strdup (id);
  n = strlen (dash + 1);
  if (n < 2 || g_ascii_tolower (dash[n]) != 'k')
    return g_strdup (id);
  for (gsize i = 1; i < n; i++)
    if (!g_ascii_isdigit (dash[i]))
      return g_strdup (id);
  return g_strndup (id, dash - id);
}

/* "Apex Trader Funding · Legacy" from the firm and the product without
 * its size ("Legacy 50K"). */
static char *
family_label (const EaRiskProfile *p)
{
  g_auto(GStrv) words = g_strsplit (p->product, " ", -1);
  g_autoptr(GString) product = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      gsize n = strlen (words[i]);
      gboolean size = n >= 2 && g_ascii_toupper (words[i][n - 1]) == 'K';

      for (gsize j = 0; size && j + 1 < n; j++)
        size = g_ascii_isdigit (words[i][j]);
      if (size || n == 0)
        continue;
      if (product->len > 0)
        g_string_append_c (product, ' ');
      g_string_append (product, words[i]);
    }
  return g_strdup_printf ("%s · %s", p->firm, product->str);
}

static gint
compare_start (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  EaProfileStore *profiles = user_data;
  const EaRiskProfile *pa = ea_profile_store_lookup (profiles, *(const char **) a);
  const EaRiskProfile *pb = ea_profile_store_lookup (profiles, *(const char **) b);

  return (pa->start_balance > pb->start_balance) - (pa->start_balance < pb->start_balance);
}

static void
load_families (EaDemoAccountsDialog *self)
{
  EaProfileStore *profiles = ea_desk_get_profiles (self->desk);
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) ids = NULL;

  if (profiles == NULL)
    return;
  ids = ea_profile_store_list_ids (profiles);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      char *key = family_key (ids[i]);
      Family *f = g_hash_table_lookup (by_key, key);

      if (f == NULL)
        {
          f = g_new0 (Family, 1);
          f->label = family_label (ea_profile_store_lookup (profiles, ids[i]));
          f->ids = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (self->families, f);
          g_hash_table_insert (by_key, key, f);
        }
      else
        g_free (key);
      g_ptr_array_add (f->ids, g_strdup (ids[i]));
    }
  for (guint i = 0; i < self->families->len; i++)
    g_ptr_array_sort_with_data (((Family *) g_ptr_array_index (self->families, i))->ids, compare_start, profiles);
}

static Family *
selected_family (EaDemoAccountsDialog *self)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->profile_dropdown));

  return i < self->families->len ? g_ptr_array_index (self->families, i) : NULL;
}

static void
show_message (EaDemoAccountsDialog *self,
              const char           *text,
              gboolean              error)
{
  gtk_label_set_text (GTK_LABEL (self->message_label), text);
  gtk_widget_set_visible (self->message_label, text != NULL && *text != '\0');
  if (error)
    gtk_widget_add_css_class (self->message_label, "error");
  else
    gtk_widget_remove_css_class (self->message_label, "error");
}

static void
family_changed_cb (EaDemoAccountsDialog *self)
{
  Family *f = selected_family (self);
  EaProfileStore *profiles = ea_desk_get_profiles (self->desk);
  g_autoptr(GtkStringList) sizes = gtk_string_list_new (NULL);
  guint preferred = 0;

  for (guint i = 0; f != NULL && i < f->ids->len; i++)
    {
      const EaRiskProfile *p = ea_profile_store_lookup (profiles, g_ptr_array_index (f->ids, i));
      g_autofree char *text = ea_money_format (p->start_balance);

      gtk_string_list_append (sizes, text);
      if (p->start_balance == EA_MICROS (50000))
        preferred = i;
    }
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->size_dropdown), G_LIST_MODEL (sizes));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->size_dropdown), preferred);
}

/* DEMO-2, DEMO-3, …: the first name not taken. */
static char *
free_name (EaDemoAccountsDialog *self)
{
  for (guint n = 2;; n++)
    {
      char *name = g_strdup_printf ("DEMO-%u", n);

      if (ea_trading_store_lookup_account (ea_desk_get_store (self->desk), name) == NULL)
        return name;
      g_free (name);
    }
}

static void reset_clicked_cb (GtkButton *button, EaDemoAccountsDialog *self);

/* "Apex Trader Funding · Legacy 50K", or the id of a profile the desk
 * does not know. */
static char *
profile_title (EaDemoAccountsDialog *self,
               const char           *profile_id)
{
  EaProfileStore *profiles = ea_desk_get_profiles (self->desk);
  const EaRiskProfile *p = profiles ? ea_profile_store_lookup (profiles, profile_id) : NULL;

  if (p == NULL)
    return g_strdup (profile_id);
  return g_strdup_printf ("%s · %s", p->firm, p->product);
}

static GtkWidget *
account_row (EaDemoAccountsDialog *self,
             const EaDemoAccount  *a)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (a->name);
  g_autofree char *size = ea_money_format (a->size);
  g_autofree char *profile = profile_title (self, a->profile_id);
  g_autofree char *detail_text = g_strdup_printf ("%s · %s", size, profile);
  GtkWidget *detail = gtk_label_new (detail_text);
  GtkWidget *reset = gtk_button_new_with_label (_("Reset…"));
  g_autofree char *a11y = g_strdup_printf (_("Reset %s"), a->name);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_box_append (GTK_BOX (text), name);
  gtk_box_append (GTK_BOX (text), detail);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), text);

  gtk_widget_set_valign (reset, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (reset), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  gtk_widget_set_tooltip_text (reset, _("Balance back to the start, positions flattened, orders cancelled, "
                                        "a fresh risk record"));
  g_object_set_data_full (G_OBJECT (reset), "account", g_strdup (a->name), g_free);
  g_signal_connect (reset, "clicked", G_CALLBACK (reset_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), reset);
  g_hash_table_insert (self->reset_buttons, g_strdup (a->name), reset);

  return box;
}

static void
refresh (EaDemoAccountsDialog *self)
{
  g_autoptr(GPtrArray) accounts = ea_desk_list_demo_accounts (self->desk);
  gboolean full = accounts->len >= EA_SIM_MAX_ACCOUNTS;
  GtkWidget *child;
  g_autofree char *count = NULL;

  g_hash_table_remove_all (self->reset_buttons);
  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list), child);
  for (guint i = 0; i < accounts->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->list), account_row (self, g_ptr_array_index (accounts, i)));

  if (ea_desk_get_mode (self->desk) != EA_MODE_DEMO || accounts->len == 0)
    count = g_strdup (_("The Demo exchange does not run in this mode: demo accounts are available in Demo mode."));
  else
    count = g_strdup_printf (ngettext ("%u demo account of at most %d. They are kept in the demo-accounts "
                                       "setting and created at every start.",
                                       "%u demo accounts of at most %d. They are kept in the demo-accounts "
                                       "setting and created at every start.", accounts->len),
                             accounts->len, EA_SIM_MAX_ACCOUNTS);
  gtk_label_set_text (GTK_LABEL (self->count_label), count);

  gtk_widget_set_sensitive (self->add_button, accounts->len > 0 && !full);
  gtk_widget_set_visible (self->limit_label, full);
  gtk_widget_set_tooltip_text (self->add_button, full ? gtk_label_get_text (GTK_LABEL (self->limit_label)) : NULL);
}

/* Saves what the exchange holds, so the setting is what the user sees. */
static void
save_accounts (EaDemoAccountsDialog *self)
{
  g_autoptr(GPtrArray) accounts = ea_desk_list_demo_accounts (self->desk);

  g_settings_set_value (self->settings, "demo-accounts", ea_demo_accounts_to_variant (accounts));
}

static void
add_clicked_cb (EaDemoAccountsDialog *self)
{
  g_autofree char *name = free_name (self);

  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name);
  gtk_widget_set_visible (self->form, TRUE);
  show_message (self, NULL, FALSE);
  gtk_widget_grab_focus (self->name_entry);
}

static void
cancel_clicked_cb (EaDemoAccountsDialog *self)
{
  gtk_widget_set_visible (self->form, FALSE);
  show_message (self, NULL, FALSE);
}

static void
create_clicked_cb (EaDemoAccountsDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
  const char *profile_id = ea_demo_accounts_dialog_get_selected_profile (self);
  const EaRiskProfile *profile = profile_id ? ea_profile_store_lookup (ea_desk_get_profiles (self->desk), profile_id) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;

  if (profile == NULL)
    {
      show_message (self, _("Choose a firm profile and a size."), TRUE);
      return;
    }
  if (!ea_desk_add_demo_account (self->desk, name, profile->start_balance, profile_id, &error))
    {
      show_message (self, error->message, TRUE);
      return;
    }

  save_accounts (self);
  refresh (self);
  gtk_widget_set_visible (self->form, FALSE);
  {
    g_autofree char *title = profile_title (self, profile_id);

    done = g_strdup_printf (_("%s added on %s."), name, title);
  }
  show_message (self, done, FALSE);
}

static void
reset_response_cb (EaConfirmDialog      *dialog,
                   gboolean              confirmed,
                   EaDemoAccountsDialog *self)
{
  g_autofree char *account = g_steal_pointer (&self->reset_account);
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;

  if (!confirmed || account == NULL)
    return;
  if (!ea_desk_reset_account (self->desk, account, &error))
    {
      show_message (self, error->message, TRUE);
      return;
    }
  refresh (self);
  done = g_strdup_printf (_("%s was reset."), account);
  show_message (self, done, FALSE);
}

static void
reset_clicked_cb (GtkButton            *button,
                  EaDemoAccountsDialog *self)
{
  const char *account = g_object_get_data (G_OBJECT (button), "account");
  EaAccount *model = ea_trading_store_lookup_account (ea_desk_get_store (self->desk), account);
  g_autofree char *start = ea_money_format (model != NULL ? ea_account_get_size (model) : 0);
  g_autofree char *heading = g_strdup_printf (_("Reset %s?"), account);
  g_autofree char *body = NULL;
  EaConfirmDialog *dialog;

  body = g_strdup_printf (_("The balance of %s goes back to %s, its positions are flattened and its working "
                            "orders cancelled. Its risk state starts fresh: trailing floor, high-water mark, "
                            "daily P&L, lockouts and the account's risk statistics. Fills and trades already "
                            "recorded stay in the journal, and the reset is written to the audit trail."),
                          account, start);
  g_free (self->reset_account);
  self->reset_account = g_strdup (account);

  dialog = ea_confirm_dialog_new (GTK_WINDOW (self), heading, body, _("_Reset"));
  g_set_weak_pointer (&self->reset_dialog, dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (reset_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
form_row (GtkWidget  *grid,
          guint       row,
          const char *mnemonic,
          GtkWidget  *widget)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), widget, 1, row, 1, 1);
  return widget;
}

static GtkWidget *
build_form (EaDemoAccountsDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *note;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  for (guint i = 0; i < self->families->len; i++)
    gtk_string_list_append (labels, ((Family *) g_ptr_array_index (self->families, i))->label);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  self->name_entry = form_row (grid, 0, _("_Name"), gtk_entry_new ());
  self->profile_dropdown = form_row (grid, 1, _("_Firm profile"), gtk_drop_down_new (G_LIST_MODEL (g_object_ref (labels)), NULL));
  self->size_dropdown = form_row (grid, 2, _("_Size"), gtk_drop_down_new (NULL, NULL));
  g_signal_connect_object (self->profile_dropdown, "notify::selected", G_CALLBACK (family_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), grid);

  note = gtk_label_new (_("The size is one of the firm's: the profile's dollar limits are written for its "
                          "starting balance."));
  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_widget_add_css_class (note, "dim-label");
  gtk_box_append (GTK_BOX (box), note);

  self->create_button = gtk_button_new_with_mnemonic (_("_Add"));
  gtk_widget_add_css_class (self->create_button, "suggested-action");
  g_signal_connect_object (self->create_button, "clicked", G_CALLBACK (create_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->name_entry, "activate", G_CALLBACK (create_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cancel, "clicked", G_CALLBACK (cancel_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), cancel);
  gtk_box_append (GTK_BOX (buttons), self->create_button);
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_widget_set_visible (box, FALSE);
  return box;
}

static void
ea_demo_accounts_dialog_dispose (GObject *object)
{
  EaDemoAccountsDialog *self = EA_DEMO_ACCOUNTS_DIALOG (object);

  if (self->reset_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->reset_dialog));
  g_clear_weak_pointer (&self->reset_dialog);

  G_OBJECT_CLASS (ea_demo_accounts_dialog_parent_class)->dispose (object);
}

static void
ea_demo_accounts_dialog_finalize (GObject *object)
{
  EaDemoAccountsDialog *self = EA_DEMO_ACCOUNTS_DIALOG (object);

  g_clear_object (&self->desk);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->families, g_ptr_array_unref);
  g_clear_pointer (&self->reset_buttons, g_hash_table_unref);
  g_free (self->reset_account);

  G_OBJECT_CLASS (ea_demo_accounts_dialog_parent_class)->finalize (object);
}

static void
ea_demo_accounts_dialog_class_init (EaDemoAccountsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ea_demo_accounts_dialog_dispose;
  object_class->finalize = ea_demo_accounts_dialog_finalize;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ea_demo_accounts_dialog_init (EaDemoAccountsDialog *self)
{
  self->families = g_ptr_array_new_with_free_func ((GDestroyNotify) family_free);
  self->reset_buttons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_window_set_title (GTK_WINDOW (self), _("Demo Accounts"));
  gtk_window_set_titlebar (GTK_WINDOW (self), gtk_header_bar_new ());
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 680);
}

EaDemoAccountsDialog *
ea_demo_accounts_dialog_new (EaDesk    *desk,
                             GSettings *settings)
{
  EaDemoAccountsDialog *self;
  GtkWidget *box, *scroller, *actions;

  g_return_val_if_fail (EA_IS_DESK (desk), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (EA_TYPE_DEMO_ACCOUNTS_DIALOG, NULL);
  self->desk = g_object_ref (desk);
  self->settings = g_object_ref (settings);
  load_families (self);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);

  self->count_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->count_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->count_label), TRUE);
  gtk_box_append (GTK_BOX (box), self->count_label);

  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_widget_set_valign (self->list, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Demo accounts"), -1);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 180);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->list);
  gtk_box_append (GTK_BOX (box), scroller);

  actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  self->add_button = gtk_button_new_with_mnemonic (_("_Add account…"));
  g_signal_connect_object (self->add_button, "clicked", G_CALLBACK (add_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (actions), self->add_button);
  self->limit_label = gtk_label_new (NULL);
  {
    g_autofree char *limit = g_strdup_printf (_("%d demo accounts at most: reset one to start it again "
                                                "instead of adding another."), EA_SIM_MAX_ACCOUNTS);

    gtk_label_set_text (GTK_LABEL (self->limit_label), limit);
  }
  gtk_label_set_xalign (GTK_LABEL (self->limit_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->limit_label), TRUE);
  gtk_widget_set_hexpand (self->limit_label, TRUE);
  gtk_widget_add_css_class (self->limit_label, "dim-label");
  gtk_box_append (GTK_BOX (actions), self->limit_label);
  gtk_box_append (GTK_BOX (box), actions);

  self->form = build_form (self);
  gtk_box_append (GTK_BOX (box), self->form);

  self->message_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->message_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->message_label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (self->message_label), TRUE);
  gtk_widget_set_visible (self->message_label, FALSE);
  gtk_box_append (GTK_BOX (box), self->message_label);

  gtk_window_set_child (GTK_WINDOW (self), box);

  ea_demo_accounts_dialog_select_profile (self, "apex-legacy-50k");
  g_signal_connect_object (ea_trading_store_get_accounts (ea_desk_get_store (desk)), "items-changed",
                           G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
  refresh (self);
  return self;
}

GtkWidget *
ea_demo_accounts_dialog_get_add_button (EaDemoAccountsDialog *self)
{
  g_return_val_if_fail (EA_IS_DEMO_ACCOUNTS_DIALOG (self), NULL);
  return self->add_button;
}

GtkWidget *
ea_demo_accounts_dialog_get_limit_label (EaDemoAccountsDialog *self)
{
  g_return_val_if_fail (EA_IS_DEMO_ACCOUNTS_DIALOG (self), NULL);
  return self->limit_label;
}

GtkWidget *
ea_demo_accounts_dialog_get_name_entry (EaDemoAccountsDialog *self)
{
  g_return_val_if_fail (EA_IS_DEMO_ACCOUNTS_DIALOG (self), NULL);
  return self->name_entry;
}

GtkWidget *
ea_demo_accounts_dialog_get_profile_dropdown (EaDemoAccountsDialog *self)
{
  g_return_val_if_fail (EA_IS_DEMO_ACCOUNTS_DIALOG (self), NULL);
  return self->profile_dropdown;
}

GtkWidget *
ea_demo_accounts_dialog_get_size_dropdown (EaDemoAccountsDialog *self)
{
  g_return_val_if_fail (EA_IS_DEMO_ACCOUNTS_DIALOG (self), NULL);
  return self->size_dropdown;
}

GtkWidget *
ea_demo_accounts_dialog_get_create_button (EaDemoAccountsDialog *self)
{
  g_return_val_if_fail (EA_IS_DEMO_ACCOUNTS_DIALOG (self), NULL);
  return self->create_button;
}

gboolean
ea_demo_accounts_dialog_select_profile (EaDemoAccountsDialog *self,
                                        const char           *profile_id)
{
  g_return_val_if_fail (EA_IS_DEMO_ACCOUNTS_DIALOG (self), FALSE);

  for (guint i = 0; profile_id != NULL && i < self->families->len; i++)
    {
      Family *f = g_ptr_array_index (self->families, i);
      guint index;

      if (!g_ptr_array_find_with_equal_func (f->ids, profile_id, g_str_equal, &index))
        continue;
      if (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->profile_dropdown)) != i)
        gtk_drop_down_set_selected (GTK_DROP_DOWN (self->profile_dropdown), i);
      else
        family_changed_cb (self);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->size_dropdown), index);
      return TRUE;
    }
  return FALSE;
}

const char *
ea_demo_accounts_dialog_get_selected_profile (EaDemoAccountsDialog *self)
{
  Family *f;
  guint size;

  g_return_val_if_fail (EA_IS_DEMO_ACCOUNTS_DIALOG (self), NULL);

  f = selected_family (self);
  size = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->size_dropdown));
  if (f == NULL || size >= f->ids->len)
    return NULL;
  return g_ptr_array_index (f->ids, size);
}

GtkWidget *
ea_demo_accounts_dialog_get_message_label (EaDemoAccountsDialog *self)
{
  g_return_val_if_fail (EA_IS_DEMO_ACCOUNTS_DIALOG (self), NULL);
  return self->message_label;
}

GtkWidget *
ea_demo_accounts_dialog_get_reset_button (EaDemoAccountsDialog *self,
                                          const char           *account)
{
  g_return_val_if_fail (EA_IS_DEMO_ACCOUNTS_DIALOG (self), NULL);
  return account != NULL ? g_hash_table_lookup (self->reset_buttons, account) : NULL;
}

EaConfirmDialog *
ea_demo_accounts_dialog_get_reset_dialog (EaDemoAccountsDialog *self)
{
  g_return_val_if_fail (EA_IS_DEMO_ACCOUNTS_DIALOG (self), NULL);
  return self->reset_dialog;
}
