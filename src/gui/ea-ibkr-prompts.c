/* ea-ibkr-prompts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A question dialog answers exactly once: Confirm, Reject, or closing the
 * window (a rejection). When the broker withdraws the question (the
 * connection ended, the order was not placed) the dialog closes by itself
 * and a small window says why. The login banner is a single window per broker,
 * closed by itself once the broker is connected again.
 */
#define G_LOG_DOMAIN "ea-ibkr-prompts"

#include "config.h"

#include <glib/gi18n.h>

#include <json-glib/json-glib.h>

#include "ea-ibkr-prompts.h"

#define SUPPRESSED_KEY "ibkr-suppressed-message-ids"

static EaIbkrUriOpener uri_opener;
static gpointer        uri_opener_data;

void
ea_ibkr_prompts_set_uri_opener (EaIbkrUriOpener opener,
                                gpointer        user_data)
{
  uri_opener = opener;
  uri_opener_data = user_data;
}

static GtkWindow *
active_window (void)
{
  GApplication *app = g_application_get_default ();

  return GTK_IS_APPLICATION (app) ? gtk_application_get_active_window (GTK_APPLICATION (app)) : NULL;
}

/* Questions. */

typedef struct
{
  EaIbkrBroker *broker;
  GSettings    *settings;
  char         *id;
  GStrv         message_ids;
  GtkWidget    *suppress;
  GtkWidget    *text;
  gboolean      answered;
} Question;

static void
question_free (Question *q)
{
  g_clear_object (&q->broker);
  g_clear_object (&q->settings);
  g_free (q->id);
  g_strfreev (q->message_ids);
  g_free (q);
}

/* Adds @ids to the setting and to the broker's set for this session. */
static void
suppress_ids (Question *q)
{
  g_auto(GStrv) saved = g_settings_get_strv (q->settings, SUPPRESSED_KEY);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) all = NULL;

  g_strv_builder_addv (b, (const char **) saved);
  for (guint i = 0; q->message_ids && q->message_ids[i]; i++)
    if (!g_strv_contains ((const char *const *) saved, q->message_ids[i]))
      g_strv_builder_add (b, q->message_ids[i]);
  all = g_strv_builder_end (b);
  g_settings_set_strv (q->settings, SUPPRESSED_KEY, (const char *const *) all);
  g_object_set (q->broker, "suppressed-message-ids", all, NULL);
}

static void
answer (GtkWindow *window,
        gboolean   confirm)
{
  Question *q = g_object_get_data (G_OBJECT (window), "ea-ibkr-question");

  if (q->answered)
    return;
  q->answered = TRUE;
  if (confirm && gtk_check_button_get_active (GTK_CHECK_BUTTON (q->suppress)))
    suppress_ids (q);
  /* FALSE: the question is gone already (the connection ended). */
  if (!ea_ibkr_broker_answer_question (q->broker, q->id, confirm))
    g_message ("The IBKR question %s was no longer open", q->id);
  gtk_window_destroy (window);
}

static void
confirm_clicked_cb (GtkButton *button,
                    GtkWindow *window)
{
  answer (window, TRUE);
}

static void
reject_clicked_cb (GtkButton *button,
                   GtkWindow *window)
{
  answer (window, FALSE);
}

static gboolean
question_close_cb (GtkWindow *window,
                   gpointer   user_data)
{
  answer (window, FALSE);
  return FALSE;
}

static void
withdrawn_close_clicked_cb (GtkButton *button,
                            GtkWindow *window)
{
  gtk_window_destroy (window);
}

/* Why the question went away, in place of its dialog. */
static void
show_withdrawn (const char *question,
                const char *reason)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *heading = gtk_label_new (_("The order question was closed"));
  GtkWidget *label = gtk_label_new (reason);
  GtkWidget *quoted = gtk_label_new (question);
  GtkWidget *close = gtk_button_new_with_mnemonic (_("_Close"));

  gtk_widget_set_name (window, "ibkr-question-withdrawn");
  gtk_window_set_title (GTK_WINDOW (window), _("Order question closed"));
  gtk_window_set_transient_for (GTK_WINDOW (window), active_window ());
  gtk_window_set_default_size (GTK_WINDOW (window), 440, -1);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_add_css_class (heading, "title-4");
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_name (label, "ibkr-question-withdrawn-text");
  gtk_label_set_wrap (GTK_LABEL (quoted), TRUE);
  gtk_label_set_xalign (GTK_LABEL (quoted), 0);
  gtk_label_set_selectable (GTK_LABEL (quoted), TRUE);
  gtk_widget_add_css_class (quoted, "dim-label");
  gtk_widget_set_name (close, "ibkr-question-withdrawn-close");
  gtk_widget_set_halign (close, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), quoted);
  gtk_box_append (GTK_BOX (box), close);
  gtk_window_set_child (GTK_WINDOW (window), box);
  g_signal_connect (close, "clicked", G_CALLBACK (withdrawn_close_clicked_cb), window);
  gtk_window_present (GTK_WINDOW (window));
}

/* The broker gave the question up (the connection ended): its dialog
 * can no longer answer anything, so it goes, and the user is told why. */
static void
question_withdrawn_cb (EaIbkrBroker *broker,
                       const char   *id,
                       const char   *reason,
                       GtkWindow    *window)
{
  Question *q = g_object_get_data (G_OBJECT (window), "ea-ibkr-question");
  g_autofree char *question = NULL;

  if (q == NULL || q->answered || g_strcmp0 (q->id, id) != 0)
    return;
  q->answered = TRUE;
  question = g_strdup (gtk_label_get_text (GTK_LABEL (q->text)));
  gtk_window_destroy (window);
  show_withdrawn (question, reason);
}

static void
question_cb (EaIbkrBroker *broker,
             const char   *id,
             const char   *text,
             GStrv         message_ids,
             GSettings    *settings)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *heading = gtk_label_new (_("Interactive Brokers asks before placing the order"));
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *reject = gtk_button_new_with_mnemonic (_("_Reject"));
  GtkWidget *confirm = gtk_button_new_with_mnemonic (_("_Confirm"));
  g_autofree char *ids = message_ids ? g_strjoinv (", ", message_ids) : g_strdup ("");
  g_autofree char *check = g_strdup_printf (_("Don't ask again for this message (%s)"), ids);
  Question *q = g_new0 (Question, 1);

  q->broker = g_object_ref (broker);
  q->settings = g_object_ref (settings);
  q->id = g_strdup (id);
  q->message_ids = g_strdupv (message_ids);
  q->suppress = gtk_check_button_new_with_label (check);
  q->text = label;
  gtk_widget_set_sensitive (q->suppress, message_ids != NULL && message_ids[0] != NULL);

  gtk_widget_set_name (window, "ibkr-question");
  gtk_window_set_title (GTK_WINDOW (window), _("Order question"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), active_window ());
  gtk_window_set_default_size (GTK_WINDOW (window), 440, -1);
  g_object_set_data_full (G_OBJECT (window), "ea-ibkr-question", q, (GDestroyNotify) question_free);

  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_add_css_class (heading, "title-4");
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_name (label, "ibkr-question-text");
  gtk_widget_set_name (q->suppress, "ibkr-question-suppress");
  gtk_widget_set_name (reject, "ibkr-question-reject");
  gtk_widget_set_name (confirm, "ibkr-question-confirm");
  gtk_widget_add_css_class (confirm, "suggested-action");
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), reject);
  gtk_box_append (GTK_BOX (buttons), confirm);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), q->suppress);
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_window_set_child (GTK_WINDOW (window), box);

  g_signal_connect (confirm, "clicked", G_CALLBACK (confirm_clicked_cb), window);
  g_signal_connect (reject, "clicked", G_CALLBACK (reject_clicked_cb), window);
  g_signal_connect (window, "close-request", G_CALLBACK (question_close_cb), NULL);
  g_signal_connect_object (broker, "question-withdrawn", G_CALLBACK (question_withdrawn_cb), window, 0);
  /* Nothing is answered by Enter by accident: no default button. */
  gtk_window_present (GTK_WINDOW (window));
}

/* The login banner. */

#define LOGIN_WINDOW "ea-ibkr-login-window"

static void
open_clicked_cb (GtkButton *button,
                 GtkWindow *window)
{
  const char *url = g_object_get_data (G_OBJECT (window), "ea-ibkr-login-url");

  if (uri_opener != NULL)
    uri_opener (window, url, uri_opener_data);
  else
    gtk_show_uri (window, url, GDK_CURRENT_TIME);
}

static void
dismiss_clicked_cb (GtkButton *button,
                    GtkWindow *window)
{
  gtk_window_destroy (window);
}

static void
login_state_cb (EaBroker          *broker,
                EaConnectionState  state,
                const char        *reason,
                gpointer           user_data)
{
  GtkWindow *window = g_object_get_data (G_OBJECT (broker), LOGIN_WINDOW);

  if (window != NULL && state == EA_CONNECTION_STATE_CONNECTED)
    gtk_window_destroy (window);
}

static void
login_destroyed_cb (GtkWidget    *window,
                    EaIbkrBroker *broker)
{
  if (g_object_get_data (G_OBJECT (broker), LOGIN_WINDOW) == window)
    g_object_set_data (G_OBJECT (broker), LOGIN_WINDOW, NULL);
  g_signal_handlers_disconnect_by_func (broker, login_state_cb, NULL);
  g_object_unref (broker);
}

static void
login_required_cb (EaIbkrBroker *broker,
                   const char   *url,
                   gpointer      user_data)
{
  GtkWidget *window = g_object_get_data (G_OBJECT (broker), LOGIN_WINDOW);
  GtkWidget *box, *label, *buttons, *open, *dismiss;

  if (window != NULL)
    {
      g_object_set_data_full (G_OBJECT (window), "ea-ibkr-login-url", g_strdup (url), g_free);
      gtk_window_present (GTK_WINDOW (window));
      return;
    }
  window = gtk_window_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  label = gtk_label_new (_("The Interactive Brokers gateway's session ended. Log in again on the "
                           "gateway's page; the desk reconnects by itself once you have."));
  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  dismiss = gtk_button_new_with_mnemonic (_("_Dismiss"));
  open = gtk_button_new_with_mnemonic (_("_Open Login Page"));

  gtk_widget_set_name (window, "ibkr-login");
  gtk_window_set_title (GTK_WINDOW (window), _("Interactive Brokers login"));
  gtk_window_set_transient_for (GTK_WINDOW (window), active_window ());
  gtk_window_set_default_size (GTK_WINDOW (window), 420, -1);
  g_object_set_data_full (G_OBJECT (window), "ea-ibkr-login-url", g_strdup (url), g_free);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_name (open, "ibkr-login-open");
  gtk_widget_add_css_class (open, "suggested-action");
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), dismiss);
  gtk_box_append (GTK_BOX (buttons), open);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_window_set_child (GTK_WINDOW (window), box);

  g_signal_connect (open, "clicked", G_CALLBACK (open_clicked_cb), window);
  g_signal_connect (dismiss, "clicked", G_CALLBACK (dismiss_clicked_cb), window);
  g_object_set_data (G_OBJECT (broker), LOGIN_WINDOW, window);
  g_signal_connect (g_object_ref (broker), "connection-state", G_CALLBACK (login_state_cb), NULL);
  g_signal_connect (window, "destroy", G_CALLBACK (login_destroyed_cb), broker);
  gtk_window_present (GTK_WINDOW (window));
}

/* Notices: alerts on the desk, and the accepted certificate in the audit
 * trail. */

#define AUDITED_PIN "ea-ibkr-audited-pin"

static void
audit_certificate (EaIbkrBroker *broker,
                   EaDesk       *desk)
{
  EaJournal *journal = ea_desk_get_journal (desk);
  g_autofree char *url = NULL;
  g_autofree char *pinned = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *details = NULL;

  g_object_get (broker, "url", &url, "pinned-fingerprint", &pinned, NULL);
  /* Once per pin and run of the app, not at every reconnection. */
  if (journal == NULL || pinned == NULL ||
      g_strcmp0 (g_object_get_data (G_OBJECT (broker), AUDITED_PIN), pinned) == 0)
    return;
  g_object_set_data_full (G_OBJECT (broker), AUDITED_PIN, g_strdup (pinned), g_free);
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fingerprint");
  json_builder_add_string_value (b, pinned);
  json_builder_set_member_name (b, "url");
  json_builder_add_string_value (b, url);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  details = json_to_string (root, FALSE);
  ea_journal_audit_async (journal, EA_ACTOR_AUTOMATIC, "ibkr.certificate-accepted", url, details,
                          NULL, NULL, NULL);
}

static void
notice_cb (EaIbkrBroker *broker,
           const char   *kind,
           const char   *text,
           EaDesk       *desk)
{
  EaAlertPriority priority = EA_ALERT_PRIORITY_MEDIUM;
  const char *title = _("Interactive Brokers");
  g_autoptr(EaAlert) alert = NULL;

  if (g_strcmp0 (kind, "competing") == 0)
    {
      priority = EA_ALERT_PRIORITY_HIGH;
      title = _("Interactive Brokers: competing session — trading paused");
    }
  else if (g_strcmp0 (kind, "competing-cleared") == 0)
    title = _("Interactive Brokers: trading resumes");
  else if (g_strcmp0 (kind, "paused") == 0)
    {
      priority = EA_ALERT_PRIORITY_HIGH;
      title = _("Interactive Brokers: rate limited — requests paused");
    }
  else if (g_strcmp0 (kind, "resumed") == 0)
    title = _("Interactive Brokers: requests resume");
  else if (g_strcmp0 (kind, "session-ended") == 0)
    {
      priority = EA_ALERT_PRIORITY_HIGH;
      title = _("Interactive Brokers: session ended");
    }
  else if (g_strcmp0 (kind, "certificate") == 0)
    {
      priority = EA_ALERT_PRIORITY_LOW;
      title = _("Interactive Brokers: gateway certificate accepted");
      audit_certificate (broker, desk);
    }
  alert = ea_alert_new ("system_status", priority, title, text, g_get_real_time ());
  ea_trading_store_add_alert (ea_desk_get_store (desk), alert);
}

void
ea_ibkr_prompts_attach_desk (EaIbkrBroker *broker,
                             EaDesk       *desk)
{
  g_return_if_fail (EA_IS_IBKR_BROKER (broker));
  g_return_if_fail (EA_IS_DESK (desk));

  g_signal_connect_object (broker, "notice", G_CALLBACK (notice_cb), desk, 0);
}

void
ea_ibkr_prompts_attach (EaIbkrBroker *broker,
                        GSettings    *settings)
{
  g_auto(GStrv) suppressed = NULL;

  g_return_if_fail (EA_IS_IBKR_BROKER (broker));
  g_return_if_fail (G_IS_SETTINGS (settings));

  suppressed = g_settings_get_strv (settings, SUPPRESSED_KEY);
  g_object_set (broker, "suppressed-message-ids", suppressed, NULL);
  g_signal_connect_data (broker, "question", G_CALLBACK (question_cb), g_object_ref (settings),
                         (GClosureNotify) g_object_unref, 0);
  g_signal_connect (broker, "login-required", G_CALLBACK (login_required_cb), NULL);
}
