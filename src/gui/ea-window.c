/* ea-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-chart-feed.h"
#include "ea-kelly-panel.h"
#include "ea-order-ticket.h"
#include "ea-position.h"
#include "ea-session.h"
#include "ea-dashboard.h"
#include "ea-replay-bar.h"
#include "ea-window.h"

struct _EaWindow
{
  GtkApplicationWindow  parent_instance;

  EaDesk               *desk;
  GSettings            *settings;
  GTimeZone            *exchange_tz;
  guint                 clock_source;
  EaConfirmDialog      *reset_dialog;
  gboolean              closing;

  /* Template widgets */
  GtkWidget            *clock_label;
  GtkWidget            *connections_box;
  GtkWidget            *content_box;
  GtkWidget            *dashboard;
  GtkWidget            *chart;
  EaChartFeed          *chart_feed;
  GtkWidget            *emergency_stop_button;
  GtkWidget            *halt_accounts;
  GtkWidget            *halt_banner;
  GtkWidget            *halt_reason_label;
  GtkWidget            *halt_revealer;
  GtkWidget            *halt_title;
  GtkWidget            *journal_revealer;
  GtkWidget            *mode_badge;
  GtkWidget            *reset_button;
  GtkWidget            *title_label;
  GtkWidget            *replay_bar;
};

G_DEFINE_FINAL_TYPE (EaWindow, ea_window, GTK_TYPE_APPLICATION_WINDOW)

static const char *
mode_badge_text (EaMode mode)
{
  switch (mode)
    {
    case EA_MODE_DEMO: return _("DEMO");
    case EA_MODE_TEST: return _("TEST");
    case EA_MODE_LIVE: return _("LIVE");
    default:           return "?";
    }
}

static void
update_mode (EaWindow *self)
{
  EaMode mode = ea_desk_get_mode (self->desk);
  g_autofree char *title = NULL;

  gtk_label_set_text (GTK_LABEL (self->mode_badge), mode_badge_text (mode));
  gtk_widget_remove_css_class (self->mode_badge, "demo");
  gtk_widget_remove_css_class (self->mode_badge, "test");
  gtk_widget_remove_css_class (self->mode_badge, "live");
  gtk_widget_add_css_class (self->mode_badge, ea_mode_to_string (mode));

  /* Translators: the window title, %s is the trading mode (DEMO, TEST, LIVE). */
  title = g_strdup_printf (_("Enigma Apex — %s"), mode_badge_text (mode));
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
update_halt_state (EaWindow *self)
{
  EaTradingState state = ea_desk_get_trading_state (self->desk);
  gboolean halted = ea_desk_get_halted (self->desk);
  const char *reason = ea_desk_get_halt_reason (self->desk);

  if (state == EA_TRADING_STATE_LOCKED)
    {
      GDateTime *until = ea_desk_get_locked_until (self->desk);
      g_autoptr(GDateTime) local = until ? g_date_time_to_local (until) : NULL;
      g_autofree char *when = local ? g_date_time_format (local, "%a %H:%M %Z") : NULL;
      g_autofree char *title = when
        ? g_strdup_printf (_("Trading locked until %s"), when)
        : g_strdup (_("Trading locked"));

      gtk_label_set_text (GTK_LABEL (self->halt_title), title);
      gtk_widget_add_css_class (self->halt_banner, "locked");
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (self->halt_title), _("Trading halted"));
      gtk_widget_remove_css_class (self->halt_banner, "locked");
    }

  /* The reason, then each account's outcome of the stop on a line of its
   * own: an UNRESOLVED one stands out in the error style. */
  {
    GListModel *accounts = ea_trading_store_get_accounts (ea_desk_get_store (self->desk));
    GtkWidget *child;

    gtk_label_set_text (GTK_LABEL (self->halt_reason_label), reason ? reason : "");
    while ((child = gtk_widget_get_first_child (self->halt_accounts)) != NULL)
      gtk_box_remove (GTK_BOX (self->halt_accounts), child);

    for (guint i = 0; halted && i < g_list_model_get_n_items (accounts); i++)
      {
        g_autoptr(GObject) account = g_list_model_get_item (accounts, i);
        g_autofree char *name = NULL;
        g_autofree char *line = NULL;
        const char *why = NULL;
        const char *css = NULL;
        GtkWidget *label;

        g_object_get (account, "name", &name, NULL);
        switch (ea_desk_get_stop_status (self->desk, name, &why))
          {
          case EA_STOP_STATUS_STOPPING:
            line = g_strdup_printf ("%s: %s", name, _("stopping…"));
            css = "stop-stopping";
            break;
          case EA_STOP_STATUS_FLAT:
            line = g_strdup_printf ("%s: %s", name, _("flat ✓"));
            css = "stop-flat";
            break;
          case EA_STOP_STATUS_UNRESOLVED:
            line = g_strdup_printf ("%s: %s (%s)", name, _("UNRESOLVED"), why ? why : _("not confirmed"));
            css = "stop-unresolved";
            break;
          case EA_STOP_STATUS_NONE:
          default:
            continue;
          }

        label = gtk_label_new (line);
        gtk_label_set_xalign (GTK_LABEL (label), 0);
        gtk_label_set_wrap (GTK_LABEL (label), TRUE);
        gtk_widget_set_name (label, name);
        gtk_widget_add_css_class (label, css);
        if (g_str_equal (css, "stop-unresolved"))
          gtk_widget_add_css_class (label, "error");
        gtk_box_append (GTK_BOX (self->halt_accounts), label);
      }
  }
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->halt_revealer), halted);

  /* Pressing the stop again while latched changes nothing, but the button
   * stays clickable: a trader in a hurry must never find it dead. */
  gtk_widget_set_tooltip_text (self->emergency_stop_button,
                               halted
                               ? _("Trading is halted. Press again to repeat the stop (Ctrl+Shift+X)")
                               : _("Cancel every order and flatten every account (Ctrl+Shift+X)"));
}

static gboolean
update_clock (gpointer user_data)
{
  EaWindow *self = EA_WINDOW (user_data);
  g_autoptr(GDateTime) now = self->desk != NULL ? ea_time_us_to_date_time (ea_desk_get_time (self->desk))
                                                : g_date_time_new_now_utc ();
  g_autoptr(GDateTime) exchange = g_date_time_to_timezone (now, self->exchange_tz);
  g_autoptr(GDateTime) local = g_date_time_to_local (now);
  g_autofree char *exchange_text = g_date_time_format (exchange, "%H:%M:%S");
  g_autofree char *local_text = g_date_time_format (local, "%H:%M:%S");
  g_autofree char *text = NULL;

  /* Translators: CT is the exchange's time zone (America/Chicago). */
  text = g_strdup_printf (_("%s CT · %s local"), exchange_text, local_text);
  gtk_label_set_text (GTK_LABEL (self->clock_label), text);

  return G_SOURCE_CONTINUE;
}

static void
desk_state_changed_cb (EaWindow   *self,
                       GParamSpec *pspec,
                       EaDesk     *desk)
{
  update_halt_state (self);
}

static void
stop_status_changed_cb (EaWindow   *self,
                        const char *account,
                        EaDesk     *desk)
{
  update_halt_state (self);
}

static gboolean
positions_open (EaWindow *self)
{
  GListModel *positions = ea_trading_store_get_positions (ea_desk_get_store (self->desk));

  for (guint i = 0; i < g_list_model_get_n_items (positions); i++)
    {
      g_autoptr(GObject) position = g_list_model_get_item (positions, i);
      gint64 qty = 0;

      g_object_get (position, "qty", &qty, NULL);
      if (qty != 0)
        return TRUE;
    }

  return FALSE;
}

static void
hide_to_tray (EaWindow *self)
{
  EaApplication *app = EA_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  if (ea_application_get_tray (app) != NULL)
    ea_tray_set_window_visible (ea_application_get_tray (app), FALSE);
}

static void
close_answer_cb (EaWindow        *self,
                 gboolean         keep_running,
                 EaConfirmDialog *dialog)
{
  g_settings_set_enum (self->settings, "close-to-tray", keep_running ? 1 : 2);

  if (keep_running)
    hide_to_tray (self);
  else
    {
      self->closing = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
}

static void
reset_dialog_response_cb (EaWindow        *self,
                          gboolean         confirmed,
                          EaConfirmDialog *dialog)
{
  g_autoptr(GError) error = NULL;

  self->reset_dialog = NULL;

  if (!confirmed)
    return;

  if (!ea_desk_reset_emergency_stop (self->desk, NULL, &error))
    {
      /* Refused (a lock has not expired): say why, in the banner. */
      gtk_label_set_text (GTK_LABEL (self->halt_reason_label), error->message);
      g_message ("Reset refused: %s", error->message);
    }
}

static void
history_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(EaWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) trades = ea_journal_load_trades_finish (EA_JOURNAL (object), result, &error);

  if (trades == NULL)
    {
      g_message ("No trade history for sizing: %s", error->message);
      return;
    }

  if (self->dashboard != NULL)
    ea_kelly_panel_set_history (ea_dashboard_get_kelly_panel (EA_DASHBOARD (self->dashboard)),
                                (const EaJournalTrade *) (gpointer) trades->data, trades->len);
}

static void
history_accounts_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(EaWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) accounts = ea_journal_load_accounts_finish (EA_JOURNAL (object), result, &error);

  if (accounts == NULL)
    g_message ("Trade history counts for every account: %s", error->message);
  else if (self->dashboard != NULL)
    ea_kelly_panel_set_history_accounts (ea_dashboard_get_kelly_panel (EA_DASHBOARD (self->dashboard)),
                                         (const EaJournalAccount *) (gpointer) accounts->data,
                                         accounts->len);

  ea_journal_load_trades_async (EA_JOURNAL (object), 0, 0, g_get_real_time (), NULL,
                                history_loaded_cb, g_object_ref (self));
}

/* Kelly sizes from the journal's round trips before this session, each
 * account from its own; the session's own come from its fills. */
static void
load_history (EaWindow      *self,
              EaApplication *app)
{
  EaJournal *journal = ea_application_get_journal (app);

  if (journal != NULL)
    ea_journal_load_accounts_async (journal, NULL, history_accounts_cb, g_object_ref (self));
}

/* The main chart follows the order ticket's account and instrument. */
static void
ticket_target_changed_cb (EaWindow      *self,
                          EaOrderTicket *ticket)
{
  const char *symbol = ea_order_ticket_get_symbol (ticket);
  const char *account = ea_order_ticket_get_account (ticket);

  g_clear_object (&self->chart_feed);
  if (self->chart == NULL || symbol == NULL)
    return;

  self->chart_feed = ea_chart_feed_new (self->desk, EA_CHART (self->chart), account, symbol);
}

static void
setup_chart (EaWindow *self)
{
  GtkWidget *slot = ea_dashboard_get_chart_slot (EA_DASHBOARD (self->dashboard));
  EaOrderTicket *ticket = ea_dashboard_get_order_ticket (EA_DASHBOARD (self->dashboard));

  if (slot == NULL || ticket == NULL)
    return;

  self->chart = ea_chart_new ();
  gtk_widget_set_hexpand (self->chart, TRUE);
  gtk_widget_set_vexpand (self->chart, TRUE);
  gtk_box_append (GTK_BOX (slot), self->chart);

  g_signal_connect_object (ticket, "target-changed", G_CALLBACK (ticket_target_changed_cb), self,
                           G_CONNECT_SWAPPED);
  ticket_target_changed_cb (self, ticket);
}

static void
save_window_state (EaWindow *self)
{
  int width, height;
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));

  g_settings_set_boolean (self->settings, "window-maximized", maximized);

  if (maximized)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", MAX (width, 640));
      g_settings_set_int (self->settings, "window-height", MAX (height, 480));
    }
}

static gboolean
ea_window_close_request (GtkWindow *window)
{
  EaWindow *self = EA_WINDOW (window);
  EaApplication *app = EA_APPLICATION (gtk_window_get_application (window));
  EaTray *tray = app ? ea_application_get_tray (app) : NULL;

  save_window_state (self);

  /* With positions open, the desk keeps watching from the tray. */
  if (!self->closing && tray != NULL && ea_tray_get_registered (tray) && positions_open (self))
    {
      switch (g_settings_get_enum (self->settings, "close-to-tray"))
        {
        case 1:
          hide_to_tray (self);
          return TRUE;

        case 0:
          {
            EaConfirmDialog *dialog =
              ea_confirm_dialog_new (window, _("Positions Are Open"),
                                     _("Keep Enigma Apex running in the tray, so the risk rules and the emergency stop stay on?"),
                                     _("_Keep Running"));

            gtk_button_set_label (GTK_BUTTON (ea_confirm_dialog_get_cancel_button (dialog)), _("_Quit"));
            gtk_button_set_use_underline (GTK_BUTTON (ea_confirm_dialog_get_cancel_button (dialog)), TRUE);
            g_signal_connect_object (dialog, "response", G_CALLBACK (close_answer_cb), self, G_CONNECT_SWAPPED);
            gtk_window_present (GTK_WINDOW (dialog));
            return TRUE;
          }

        default:
          break;
        }
    }

  return GTK_WINDOW_CLASS (ea_window_parent_class)->close_request (window);
}

static void
broker_added_cb (EaWindow *self,
                 EaBroker *broker)
{
  gtk_box_append (GTK_BOX (self->connections_box), ea_dashboard_new_connection_pill (broker));
}

/* Binds the window to its application's desk and settings. GtkWindow's
 * "application" is set after construction, so this runs from
 * ea_window_new(). */
/* A journal that cannot record: new orders are refused until it can. */
static void
update_journal_state (EaWindow *self)
{
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->journal_revealer),
                                 !ea_desk_get_journal_writable (self->desk));
}

static void
setup_for_application (EaWindow      *self,
                       EaApplication *app)
{
  g_assert (EA_IS_WINDOW (self));
  g_assert (EA_IS_APPLICATION (app));

  self->desk = g_object_ref (ea_application_get_desk (app));
  self->settings = g_object_ref (ea_application_get_settings (app));
  update_clock (self);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_object (self->desk, "notify::trading-state",
                           G_CALLBACK (desk_state_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->desk, "notify::halt-reason",
                           G_CALLBACK (desk_state_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->desk, "stop-status-changed",
                           G_CALLBACK (stop_status_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->desk, "notify::journal-writable",
                           G_CALLBACK (update_journal_state), self,
                           G_CONNECT_SWAPPED);

  self->dashboard = ea_dashboard_new (self->desk);
  gtk_box_append (GTK_BOX (self->content_box), self->dashboard);
  g_signal_connect_object (self->dashboard, "broker-added", G_CALLBACK (broker_added_cb), self,
                           G_CONNECT_SWAPPED);
  ea_dashboard_sync_brokers (EA_DASHBOARD (self->dashboard));
  setup_chart (self);
  load_history (self, app);

  /* The account selector belongs in the header, beside the clock. */
  {
    GtkWidget *selector = ea_dashboard_get_account_selector (EA_DASHBOARD (self->dashboard));
    GtkWidget *header = gtk_window_get_titlebar (GTK_WINDOW (self));

    if (GTK_IS_HEADER_BAR (header))
      {
        g_object_ref (selector);
        gtk_box_remove (GTK_BOX (gtk_widget_get_parent (selector)), selector);
        gtk_widget_set_valign (selector, GTK_ALIGN_CENTER);
        gtk_header_bar_pack_start (GTK_HEADER_BAR (header), selector);
        g_object_unref (selector);
      }
  }

  update_mode (self);
  update_halt_state (self);
  update_journal_state (self);

  if (ea_application_get_replay (app) != NULL)
    ea_window_show_replay (self, ea_application_get_replay (app));
}

static void
ea_window_dispose (GObject *object)
{
  EaWindow *self = EA_WINDOW (object);

  g_clear_handle_id (&self->clock_source, g_source_remove);

  if (self->reset_dialog != NULL)
    {
      EaConfirmDialog *dialog = g_steal_pointer (&self->reset_dialog);
      g_signal_handlers_disconnect_by_data (dialog, self);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), EA_TYPE_WINDOW);

  g_clear_object (&self->chart_feed);
  g_clear_object (&self->desk);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->exchange_tz, g_time_zone_unref);

  G_OBJECT_CLASS (ea_window_parent_class)->dispose (object);
}

static void
ea_window_class_init (EaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ea_window_dispose;

  window_class->close_request = ea_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/ea-window.ui");
  gtk_widget_class_bind_template_child (widget_class, EaWindow, clock_label);
  gtk_widget_class_bind_template_child (widget_class, EaWindow, connections_box);
  gtk_widget_class_bind_template_child (widget_class, EaWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, EaWindow, emergency_stop_button);
  gtk_widget_class_bind_template_child (widget_class, EaWindow, halt_banner);
  gtk_widget_class_bind_template_child (widget_class, EaWindow, halt_reason_label);
  gtk_widget_class_bind_template_child (widget_class, EaWindow, halt_accounts);
  gtk_widget_class_bind_template_child (widget_class, EaWindow, halt_revealer);
  gtk_widget_class_bind_template_child (widget_class, EaWindow, halt_title);
  gtk_widget_class_bind_template_child (widget_class, EaWindow, journal_revealer);
  gtk_widget_class_bind_template_child (widget_class, EaWindow, mode_badge);
  gtk_widget_class_bind_template_child (widget_class, EaWindow, reset_button);
  gtk_widget_class_bind_template_child (widget_class, EaWindow, title_label);
}

static void
ea_window_init (EaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->exchange_tz = g_time_zone_new_identifier ("America/Chicago");
  if (self->exchange_tz == NULL)
    self->exchange_tz = g_time_zone_new_utc ();

  update_clock (self);
  self->clock_source = g_timeout_add_seconds (1, update_clock, self);
}

EaWindow *
ea_window_new (EaApplication *application)
{
  EaWindow *self;

  g_return_val_if_fail (EA_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (ea_application_get_desk (application) != NULL, NULL);

  self = g_object_new (EA_TYPE_WINDOW,
                       "application", application,
                       NULL);
  setup_for_application (self, application);

  return self;
}

EaDesk *
ea_window_get_desk (EaWindow *self)
{
  g_return_val_if_fail (EA_IS_WINDOW (self), NULL);

  return self->desk;
}

/**
 * ea_window_ask_reset_emergency_stop:
 *
 * Asks the user to confirm re-arming trading; only a confirmed answer
 * resets the desk's latch.
 */
void
ea_window_ask_reset_emergency_stop (EaWindow *self)
{
  g_autofree char *body = NULL;

  g_return_if_fail (EA_IS_WINDOW (self));

  if (!ea_desk_get_halted (self->desk))
    return;

  if (self->reset_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->reset_dialog));
      return;
    }

  if (ea_desk_get_trading_state (self->desk) == EA_TRADING_STATE_LOCKED)
    {
      GDateTime *until = ea_desk_get_locked_until (self->desk);
      g_autoptr(GDateTime) local = until ? g_date_time_to_local (until) : NULL;
      g_autofree char *when = local ? g_date_time_format (local, "%Y-%m-%d %H:%M %Z") : NULL;

      if (when != NULL)
        /* Translators: %1$s is when the lock expires, %2$s why it was set. */
        body = g_strdup_printf (_("Trading is locked until %1$s.\n%2$s\n\nA lock cannot be reset before it expires."),
                                when, ea_desk_get_halt_reason (self->desk));
      else
        body = g_strdup_printf (_("%s\n\nA lock cannot be reset before it expires."),
                                ea_desk_get_halt_reason (self->desk));
    }
  else
    body = g_strdup (_("New orders will be accepted again. Check that every account is flat and that the reason for the stop is gone."));

  self->reset_dialog = ea_confirm_dialog_new (GTK_WINDOW (self),
                                              _("Resume Trading?"),
                                              body,
                                              _("_Resume Trading"));
  g_signal_connect_object (self->reset_dialog, "response",
                           G_CALLBACK (reset_dialog_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->reset_dialog));
}

/**
 * ea_window_get_reset_dialog:
 *
 * Returns: (transfer none) (nullable): the open reset confirmation, if any.
 */
EaConfirmDialog *
ea_window_get_reset_dialog (EaWindow *self)
{
  g_return_val_if_fail (EA_IS_WINDOW (self), NULL);

  return self->reset_dialog;
}

GtkWidget *
ea_window_get_emergency_stop_button (EaWindow *self)
{
  g_return_val_if_fail (EA_IS_WINDOW (self), NULL);

  return self->emergency_stop_button;
}

GtkWidget *
ea_window_get_halt_banner (EaWindow *self)
{
  g_return_val_if_fail (EA_IS_WINDOW (self), NULL);

  return self->halt_banner;
}

/**
 * ea_window_get_halt_accounts:
 *
 * Returns: (transfer none): the banner's box of account lines, one
 *   #GtkLabel per account of the stop, named after it.
 */
GtkWidget *
ea_window_get_halt_accounts (EaWindow *self)
{
  g_return_val_if_fail (EA_IS_WINDOW (self), NULL);

  return self->halt_accounts;
}

gboolean
ea_window_get_journal_banner_revealed (EaWindow *self)
{
  g_return_val_if_fail (EA_IS_WINDOW (self), FALSE);

  return gtk_revealer_get_reveal_child (GTK_REVEALER (self->journal_revealer));
}

gboolean
ea_window_get_halt_banner_revealed (EaWindow *self)
{
  g_return_val_if_fail (EA_IS_WINDOW (self), FALSE);

  return gtk_revealer_get_reveal_child (GTK_REVEALER (self->halt_revealer));
}

/**
 * ea_window_get_mode_badge:
 *
 * Returns: (transfer none): the header bar's mode badge (a #GtkLabel with
 *   the mode's style class: demo, test or live).
 */
GtkWidget *
ea_window_get_mode_badge (EaWindow *self)
{
  g_return_val_if_fail (EA_IS_WINDOW (self), NULL);

  return self->mode_badge;
}

const char *
ea_window_get_mode_badge_text (EaWindow *self)
{
  g_return_val_if_fail (EA_IS_WINDOW (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->mode_badge));
}

const char *
ea_window_get_clock_text (EaWindow *self)
{
  g_return_val_if_fail (EA_IS_WINDOW (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->clock_label));
}

GtkWidget *
ea_window_get_connections_box (EaWindow *self)
{
  g_return_val_if_fail (EA_IS_WINDOW (self), NULL);

  return self->connections_box;
}

/**
 * ea_window_get_dashboard:
 *
 * Returns: (transfer none): the dashboard in the window's body.
 */
EaDashboard *
ea_window_get_dashboard (EaWindow *self)
{
  g_return_val_if_fail (EA_IS_WINDOW (self), NULL);

  return EA_DASHBOARD (self->dashboard);
}

/**
 * ea_window_show_replay:
 *
 * Shows the replay bar over the dashboard for @replay (REPLAY, the
 * replayed time and record, Play/Pause, Step, speed, the summary).
 */
void
ea_window_show_replay (EaWindow *self,
                       EaReplay *replay)
{
  g_return_if_fail (EA_IS_WINDOW (self));
  g_return_if_fail (EA_IS_REPLAY (replay));

  if (self->replay_bar != NULL &&
      ea_replay_bar_get_replay (EA_REPLAY_BAR (self->replay_bar)) == replay)
    return;
  if (self->replay_bar != NULL)
    gtk_box_remove (GTK_BOX (self->content_box), self->replay_bar);
  self->replay_bar = ea_replay_bar_new (replay);
  gtk_box_prepend (GTK_BOX (self->content_box), self->replay_bar);
}

/**
 * ea_window_get_replay_bar:
 *
 * Returns: (transfer none) (nullable): the replay bar, while a replay is
 *   shown.
 */
GtkWidget *
ea_window_get_replay_bar (EaWindow *self)
{
  g_return_val_if_fail (EA_IS_WINDOW (self), NULL);

  return self->replay_bar;
}
