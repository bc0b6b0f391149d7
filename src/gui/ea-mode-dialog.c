/* ea-mode-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-mode"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-mode-dialog.h"
#include "ea-order-state.h"
#include "ea-platform.h"
#include "ea-session.h"

void
ea_mode_gate_facts_free (EaModeGateFacts *facts)
{
  if (facts == NULL)
    return;
  g_free (facts->broker);
  g_free (facts->profile_id);
  g_free (facts);
}

void
ea_mode_gate_count_exposure (EaDesk *desk,
                             guint  *positions,
                             guint  *orders)
{
  GListModel *list;

  *positions = 0;
  *orders = 0;
  if (desk == NULL)
    return;

  list = ea_trading_store_get_positions (ea_desk_get_store (desk));
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(EaPosition) p = g_list_model_get_item (list, i);

      if (ea_position_get_qty (p) != 0)
        (*positions)++;
    }

  list = ea_trading_store_get_orders (ea_desk_get_store (desk));
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(EaOrder) o = g_list_model_get_item (list, i);

      if (!ea_order_state_is_terminal ((EaOrderState) ea_order_get_state (o)))
        (*orders)++;
    }
}

/* Gathering ------------------------------------------------------------------ */

EaPlatform
ea_mode_gate_chosen_broker (GSettings              *settings,
                            const EaPlatformConfig *config)
{
  g_autofree char *chosen = g_settings_get_string (settings, "mode-broker");
  EaPlatform platform;

  /* The user's choice while it is configured; else the first one. */
  if (ea_platform_from_id (chosen, &platform) && platform != EA_PLATFORM_DEMO && config->enabled[platform])
    return platform;
  for (guint i = EA_PLATFORM_TRADOVATE; i < EA_N_PLATFORMS; i++)
    if (config->enabled[i])
      return (EaPlatform) i;
  return EA_PLATFORM_DEMO;
}

typedef struct
{
  EaModeGateFacts *facts;
  EaJournal       *journal;
  EaCredentials   *credentials;
  char            *user;
  guint            pending;
} Gather;

static void
gather_free (Gather *g)
{
  ea_mode_gate_facts_free (g->facts);
  g_clear_object (&g->journal);
  g_clear_object (&g->credentials);
  g_free (g->user);
  g_free (g);
}

static void
gather_step_done (GTask *task)
{
  Gather *g = g_task_get_task_data (task);

  if (--g->pending > 0)
    return;
  g_task_return_pointer (task, g_steal_pointer (&g->facts), (GDestroyNotify) ea_mode_gate_facts_free);
  g_object_unref (task);
}

static void
sessions_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Gather *g = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gint64 n = ea_journal_count_clean_sessions_finish (EA_JOURNAL (object), result, &error);

  if (n < 0)
    g_message ("Cannot count the Test sessions: %s", error->message);
  g->facts->input.clean_test_sessions = n > 0 ? (guint) MIN (n, G_MAXUINT) : 0;
  gather_step_done (task);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Gather *g = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) infos = ea_credentials_list_finish (EA_CREDENTIALS (object), result, &error);
  if (infos == NULL)
    g_message ("Cannot read the keyring: %s", error->message);
  else
    for (guint i = 0; i < infos->len; i++)
      {
        EaCredentialInfo *info = g_ptr_array_index (infos, i);

        if (g_strcmp0 (info->broker, g->facts->broker) != 0 ||
            g_strcmp0 (info->account, g->user) != 0 ||
            !ea_credential_info_has_kind (info, EA_CREDENTIAL_KIND_PASSWORD))
          continue;
        if (g_strcmp0 (info->environment, ea_mode_gate_environment (EA_MODE_TEST, g->facts->broker)) == 0)
          g->facts->input.credentials_present = TRUE;
        if (g_strcmp0 (info->environment, ea_mode_gate_environment (EA_MODE_LIVE, g->facts->broker)) == 0)
          g->facts->input.live_credentials_present = TRUE;
      }
  gather_step_done (task);
}

void
ea_mode_gate_gather_async (GSettings           *settings,
                           EaDesk              *desk,
                           EaJournal           *journal,
                           EaCredentials       *credentials,
                           EaMode               target,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Gather *g = g_new0 (Gather, 1);
  EaModeGateInput *in;
  g_autoptr(EaPlatformConfig) config = ea_platform_config_new ();
  g_autofree char *tests = NULL;
  const char *env = NULL;
  EaPlatform broker;

  g_task_set_source_tag (task, ea_mode_gate_gather_async);
  g->facts = g_new0 (EaModeGateFacts, 1);
  g->journal = journal != NULL ? g_object_ref (journal) : NULL;
  g->credentials = credentials != NULL ? g_object_ref (credentials) : ea_credentials_new ();
  g->pending = 1;
  g_task_set_task_data (task, g, (GDestroyNotify) gather_free);
  in = &g->facts->input;

  ea_platform_config_load (config, settings);
  in->current = (EaMode) g_settings_get_enum (settings, "mode");
  in->setup_completed = g_settings_get_boolean (settings, "setup-completed");
  in->now = g_get_real_time () / G_USEC_PER_SEC;
  g->facts->profile_id = g_settings_get_string (settings, "default-profile");
  in->profile_id = g->facts->profile_id;
  ea_mode_gate_count_exposure (desk, &in->open_positions, &in->working_orders);

  broker = ea_mode_gate_chosen_broker (settings, config);
  if (broker != EA_PLATFORM_DEMO)
    {
      const char *test_env;

      g->facts->broker = g_strdup (ea_platform_to_id (broker));
      in->broker = g->facts->broker;
      in->broker_name = ea_platform_get_title (broker);

      /* Test and Live both need the Test environment's result; Live also
       * the live one. Each environment keeps its own. */
      tests = g_settings_get_string (settings, "last-connection-test");
      test_env = ea_mode_gate_environment (EA_MODE_TEST, g->facts->broker);
      in->has_test = ea_connection_tests_lookup_environment (tests, g->facts->broker, test_env,
                                                             &in->test_passed, &in->test_time);
      in->test_passed = in->has_test && in->test_passed;
      env = ea_mode_gate_environment (EA_MODE_LIVE, g->facts->broker);
      in->live_has_test = env != NULL &&
                          ea_connection_tests_lookup_environment (tests, g->facts->broker, env,
                                                                  &in->live_test_passed, &in->live_test_time);
      in->live_test_passed = in->live_has_test && in->live_test_passed;

      if (broker == EA_PLATFORM_TRADOVATE)
        {
          g->user = g_strdup (config->tradovate_user);
          g->pending++;
          ea_credentials_list_async (g->credentials, cancellable, list_cb, task);
        }
      else
        {
          /* IBKR logs in through its gateway, NinjaTrader through its own
           * application: nothing to find in the keyring. */
          in->credentials_present = TRUE;
          in->live_credentials_present = TRUE;
        }
    }

  if (target == EA_MODE_LIVE && journal != NULL)
    {
      guint32 today = ea_session_trading_day_us (g_get_real_time ());

      g->pending++;
      ea_journal_count_clean_sessions_async (journal, EA_MODE_TEST, today, cancellable, sessions_cb, task);
    }

  gather_step_done (task);
}

EaModeGateFacts *
ea_mode_gate_gather_finish (GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), NULL);
}

EaModeGateResult
ea_mode_switch_apply (GSettings        *settings,
                      EaJournal        *journal,
                      EaModeGateFacts  *facts,
                      EaMode            target,
                      const char       *typed_confirmation,
                      char            **message)
{
  EaModeGateResult result;
  g_autofree char *details = NULL;
  EaMode from = facts->input.current;

  facts->input.typed_confirmation = typed_confirmation;
  result = ea_mode_gate_evaluate (target, &facts->input, message);
  facts->input.typed_confirmation = NULL;
  if (result != EA_MODE_GATE_OK)
    {
      if (journal != NULL)
        {
          g_autofree char *refused = g_strdup_printf ("{\"from\":\"%s\",\"to\":\"%s\",\"missing\":\"%s\"}",
                                                      ea_mode_to_string (from), ea_mode_to_string (target),
                                                      ea_mode_gate_result_to_string (result));
          ea_journal_audit_async (journal, EA_ACTOR_USER, "mode.switch-refused", ea_mode_to_string (target),
                                  refused, NULL, NULL, NULL);
        }
      return result;
    }

  g_settings_set_enum (settings, "mode", (int) target);
  details = g_strdup_printf ("{\"from\":\"%s\",\"to\":\"%s\",\"broker\":\"%s\"}",
                             ea_mode_to_string (from), ea_mode_to_string (target),
                             facts->broker != NULL ? facts->broker : "demo");
  if (journal != NULL)
    ea_journal_audit_async (journal, EA_ACTOR_USER, "mode.switch", ea_mode_to_string (target), details,
                            NULL, NULL, NULL);
  facts->input.current = target;
  return EA_MODE_GATE_OK;
}

/* The dialog ------------------------------------------------------------------- */

typedef struct
{
  GtkWindow       *window;
  GtkWidget       *message;
  GtkWidget       *entry;
  GtkWidget       *switch_button;
  GtkWidget       *cancel_button;
  GtkWidget       *broker_drop;     /* NULL unless several brokers are configured */
  GArray          *broker_choices;  /* EaPlatform of each row of broker_drop */
  EaDesk          *desk;            /* weak */
  GSettings       *settings;
  EaJournal       *journal;
  EaModeGateFacts *facts;
  EaMode           target;
  gboolean         switched;
  gboolean         destroyed;
  GCancellable    *cancellable;
} ModeDialog;

static void
mode_dialog_destroyed (ModeDialog *d)
{
  /* The labels go with the window; an answer arriving later is dropped. */
  d->destroyed = TRUE;
  g_cancellable_cancel (d->cancellable);
}

static void
mode_dialog_free (ModeDialog *d)
{
  g_cancellable_cancel (d->cancellable);
  g_clear_object (&d->cancellable);
  g_clear_object (&d->settings);
  g_clear_object (&d->journal);
  g_clear_pointer (&d->broker_choices, g_array_unref);
  ea_mode_gate_facts_free (d->facts);
  g_free (d);
}

static const char *
mode_title (EaMode mode)
{
  switch (mode)
    {
    case EA_MODE_DEMO:
      return _("Demo");
    case EA_MODE_TEST:
      return _("Test");
    case EA_MODE_LIVE:
      return _("Live");
    default:
      return "";
    }
}

static void
evaluate (ModeDialog *d)
{
  g_autofree char *message = NULL;
  const char *typed = d->entry != NULL ? gtk_editable_get_text (GTK_EDITABLE (d->entry)) : NULL;
  EaModeGateResult result;

  if (d->facts == NULL || d->switched || d->destroyed)
    return;

  d->facts->input.typed_confirmation = typed;
  result = ea_mode_gate_evaluate (d->target, &d->facts->input, &message);
  d->facts->input.typed_confirmation = NULL;

  if (result == EA_MODE_GATE_OK)
    {
      g_free (message);
      message = g_strdup_printf (_("Every condition of %s mode is met. Enigma Apex starts in %s mode "
                                   "from its next start."), mode_title (d->target), mode_title (d->target));
    }
  gtk_label_set_text (GTK_LABEL (d->message), message);
  gtk_widget_set_visible (d->entry, d->target == EA_MODE_LIVE &&
                          (result == EA_MODE_GATE_OK || result == EA_MODE_GATE_NOT_CONFIRMED));
  gtk_widget_set_sensitive (d->switch_button, result == EA_MODE_GATE_OK);
}

static void
switch_clicked_cb (ModeDialog *d)
{
  g_autofree char *message = NULL;
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (d->entry));
  EaDesk *desk = g_object_get_data (G_OBJECT (d->window), "desk");

  if (d->switched)
    {
      gtk_window_close (d->window);
      return;
    }

  /* Positions may have opened since the dialog did: count again. */
  ea_mode_gate_count_exposure (desk, &d->facts->input.open_positions, &d->facts->input.working_orders);
  if (ea_mode_switch_apply (d->settings, d->journal, d->facts, d->target, typed, &message) != EA_MODE_GATE_OK)
    {
      gtk_label_set_text (GTK_LABEL (d->message), message);
      gtk_widget_error_bell (GTK_WIDGET (d->window));
      return;
    }

  d->switched = TRUE;
  g_free (message);
  message = g_strdup_printf (_("Saved. Restart Enigma Apex to trade in %s mode; until then the desk "
                               "stays in its current mode."), mode_title (d->target));
  gtk_label_set_text (GTK_LABEL (d->message), message);
  gtk_widget_set_visible (d->entry, FALSE);
  gtk_widget_set_visible (d->cancel_button, FALSE);
  gtk_button_set_label (GTK_BUTTON (d->switch_button), _("_Close"));
}

static void
gathered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GtkWindow *window = user_data;
  ModeDialog *d = g_object_get_data (G_OBJECT (window), "mode-dialog");
  EaModeGateFacts *facts = ea_mode_gate_gather_finish (result);

  /* NULL: a gathering cancelled for another broker's. */
  if (d == NULL || d->destroyed || facts == NULL)
    {
      ea_mode_gate_facts_free (facts);
      g_object_unref (window);
      return;
    }
  ea_mode_gate_facts_free (d->facts);
  d->facts = facts;
  evaluate (d);
  g_object_unref (window);
}

static void
gather (ModeDialog *d)
{
  ea_mode_gate_gather_async (d->settings, d->desk, d->journal, NULL, d->target,
                             d->cancellable, gathered_cb, g_object_ref (d->window));
}

static void
broker_chosen_cb (ModeDialog *d)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (d->broker_drop));

  if (d->switched || d->destroyed || i >= d->broker_choices->len)
    return;

  /* The gate follows the chosen broker: ask again. */
  g_settings_set_string (d->settings, "mode-broker",
                         ea_platform_to_id (g_array_index (d->broker_choices, EaPlatform, i)));
  g_cancellable_cancel (d->cancellable);
  g_clear_object (&d->cancellable);
  d->cancellable = g_cancellable_new ();
  g_clear_pointer (&d->facts, ea_mode_gate_facts_free);
  gtk_label_set_text (GTK_LABEL (d->message), _("Checking the conditions…"));
  gtk_widget_set_sensitive (d->switch_button, FALSE);
  gather (d);
}

/* A choice of broker when several are configured: the one Test and Live
 * are gated on. */
static void
add_broker_choice (ModeDialog *d,
                   GtkWidget  *box)
{
  g_autoptr(EaPlatformConfig) config = ea_platform_config_new ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  EaPlatform chosen;
  GtkWidget *row, *label;
  guint selected = 0;

  ea_platform_config_load (config, d->settings);
  chosen = ea_mode_gate_chosen_broker (d->settings, config);
  d->broker_choices = g_array_new (FALSE, FALSE, sizeof (EaPlatform));
  for (guint i = EA_PLATFORM_TRADOVATE; i < EA_N_PLATFORMS; i++)
    if (config->enabled[i])
      {
        EaPlatform platform = (EaPlatform) i;

        if (platform == chosen)
          selected = d->broker_choices->len;
        g_array_append_val (d->broker_choices, platform);
        gtk_string_list_append (names, ea_platform_get_title (platform));
      }
  if (d->broker_choices->len < 2 || d->target == EA_MODE_DEMO)
    return;

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  label = gtk_label_new_with_mnemonic (_("_Broker"));
  d->broker_drop = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
  gtk_widget_set_name (d->broker_drop, "mode-broker");
  gtk_widget_set_hexpand (d->broker_drop, TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), d->broker_drop);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (d->broker_drop), selected);
  g_signal_connect_swapped (d->broker_drop, "notify::selected", G_CALLBACK (broker_chosen_cb), d);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), d->broker_drop);
  gtk_box_append (GTK_BOX (box), row);
}

void
ea_mode_dialog_present (EaApplication *app,
                        EaMode         target)
{
  GtkWindow *parent = ea_application_get_main_window (app);
  ModeDialog *d = g_new0 (ModeDialog, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *heading;
  g_autofree char *title = g_strdup_printf (_("Switch to %s Mode"), mode_title (target));
  g_autofree char *markup = NULL;

  d->settings = g_object_ref (ea_application_get_settings (app));
  d->journal = ea_application_get_journal (app) ? g_object_ref (ea_application_get_journal (app)) : NULL;
  d->target = target;
  d->cancellable = g_cancellable_new ();

  d->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (d->window, title);
  gtk_window_set_modal (d->window, TRUE);
  gtk_window_set_resizable (d->window, FALSE);
  gtk_window_set_default_size (d->window, 460, -1);
  if (parent != NULL)
    gtk_window_set_transient_for (d->window, parent);
  gtk_window_set_application (d->window, GTK_APPLICATION (app));
  gtk_header_bar_set_show_title_buttons (GTK_HEADER_BAR (header), FALSE);
  gtk_window_set_titlebar (d->window, header);
  g_object_set_data_full (G_OBJECT (d->window), "mode-dialog", d, (GDestroyNotify) mode_dialog_free);
  g_object_set_data (G_OBJECT (d->window), "desk", ea_application_get_desk (app));
  g_signal_connect_swapped (d->window, "destroy", G_CALLBACK (mode_dialog_destroyed), d);

  d->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (d->cancel_button, "clicked", G_CALLBACK (gtk_window_close), d->window);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), d->cancel_button);
  d->switch_button = gtk_button_new_with_mnemonic (_("_Switch"));
  gtk_widget_add_css_class (d->switch_button, target == EA_MODE_LIVE ? "destructive-action" : "suggested-action");
  gtk_widget_set_sensitive (d->switch_button, FALSE);
  g_signal_connect_swapped (d->switch_button, "clicked", G_CALLBACK (switch_clicked_cb), d);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), d->switch_button);

  gtk_widget_add_css_class (box, "setup-page");
  heading = gtk_label_new (NULL);
  markup = g_markup_printf_escaped ("<b>%s</b>", title);
  gtk_label_set_markup (GTK_LABEL (heading), markup);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  d->message = gtk_label_new (_("Checking the conditions…"));
  gtk_widget_set_name (d->message, "mode-gate-message");
  gtk_label_set_wrap (GTK_LABEL (d->message), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (d->message), 50);
  gtk_label_set_xalign (GTK_LABEL (d->message), 0);
  d->entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (d->entry), _("Type LIVE"));
  gtk_widget_set_visible (d->entry, FALSE);
  g_signal_connect_swapped (d->entry, "changed", G_CALLBACK (evaluate), d);
  gtk_box_append (GTK_BOX (box), heading);
  add_broker_choice (d, box);
  gtk_box_append (GTK_BOX (box), d->message);
  gtk_box_append (GTK_BOX (box), d->entry);
  gtk_window_set_child (d->window, box);

  d->desk = ea_application_get_desk (app);
  gather (d);
  gtk_window_present (d->window);
}
