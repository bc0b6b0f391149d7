/* ea-replay-bar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-replay-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-replay-bar.h"

struct _EaReplayBar
{
  GtkBox     parent_instance;

  EaReplay  *replay;
  GtkWidget *badge;
  GtkWidget *progress;
  GtkWidget *skipped;
  GtkWidget *summary;
  GtkWidget *play;
  GtkWidget *step;
  GtkWidget *speed;
  guint      refresh_source;
};

G_DEFINE_FINAL_TYPE (EaReplayBar, ea_replay_bar, GTK_TYPE_BOX)

static void play_toggled_cb (GtkToggleButton *button, EaReplayBar *self);

static void
update (EaReplayBar *self)
{
  g_autofree char *progress = ea_replay_format_progress (self->replay);
  gboolean playing = ea_replay_get_playing (self->replay);
  gboolean finished = ea_replay_get_finished (self->replay);

  gtk_label_set_text (GTK_LABEL (self->progress), progress);

  /* Lines of the export that are not played: how many here, which in the
   * tooltip and the alert. */
  {
    GPtrArray *warnings = ea_replay_get_warnings (self->replay);

    if (warnings->len > 0)
      {
        g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u line skipped",
                                                              "%u lines skipped", warnings->len),
                                                 warnings->len);
        g_autoptr(GString) tooltip = g_string_new (NULL);

        for (guint i = 0; i < warnings->len && i < 10; i++)
          g_string_append_printf (tooltip, "%s%s", i ? "\n" : "", (char *) warnings->pdata[i]);
        if (warnings->len > 10)
          g_string_append (tooltip, "\n…");
        gtk_label_set_text (GTK_LABEL (self->skipped), text);
        gtk_widget_set_tooltip_text (self->skipped, tooltip->str);
      }
    gtk_widget_set_visible (self->skipped, warnings->len > 0);
  }

  g_signal_handlers_block_by_func (self->play, play_toggled_cb, self);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->play), playing);
  g_signal_handlers_unblock_by_func (self->play, play_toggled_cb, self);
  gtk_button_set_icon_name (GTK_BUTTON (self->play),
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (self->play, playing ? _("Pause the replay") : _("Play the replay at the chosen speed"));
  gtk_widget_set_sensitive (self->step, !finished);

  if (finished)
    {
      g_autofree char *summary = ea_replay_format_summary (self->replay);

      gtk_label_set_text (GTK_LABEL (self->summary), summary);
    }
  gtk_widget_set_visible (self->summary, finished);
}

/* Playing moves the replay many times a frame: the labels follow four
 * times a second. */
static gboolean
refresh_cb (gpointer user_data)
{
  update (EA_REPLAY_BAR (user_data));
  return G_SOURCE_CONTINUE;
}

static void
replay_changed_cb (EaReplayBar *self)
{
  if (ea_replay_get_playing (self->replay))
    {
      if (self->refresh_source == 0)
        self->refresh_source = g_timeout_add (250, refresh_cb, self);
      return;
    }
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  update (self);
}

static void
play_toggled_cb (GtkToggleButton *button,
                 EaReplayBar     *self)
{
  ea_replay_set_playing (self->replay, gtk_toggle_button_get_active (button));
}

static void
step_clicked_cb (GtkButton   *button,
                 EaReplayBar *self)
{
  ea_replay_step (self->replay);
}

static void
speed_changed_cb (GtkSpinButton *spin,
                  EaReplayBar   *self)
{
  ea_replay_set_speed (self->replay, gtk_spin_button_get_value (spin));
}

static void
ea_replay_bar_dispose (GObject *object)
{
  EaReplayBar *self = EA_REPLAY_BAR (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->replay != NULL)
    g_signal_handlers_disconnect_by_data (self->replay, self);
  g_clear_object (&self->replay);

  G_OBJECT_CLASS (ea_replay_bar_parent_class)->dispose (object);
}

static void
ea_replay_bar_class_init (EaReplayBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ea_replay_bar_dispose;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "replaybar");
}

static void
ea_replay_bar_init (EaReplayBar *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *times;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 4);
  gtk_widget_add_css_class (GTK_WIDGET (self), "replay-bar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Replay"), -1);

  self->badge = gtk_label_new (_("REPLAY"));
  gtk_widget_add_css_class (self->badge, "mode-badge");
  gtk_widget_add_css_class (self->badge, "replay");
  gtk_box_append (GTK_BOX (row), self->badge);

  self->progress = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->progress), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->progress), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (self->progress, TRUE);
  gtk_widget_add_css_class (self->progress, "numeric");
  gtk_box_append (GTK_BOX (row), self->progress);

  self->skipped = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->skipped, "warning");
  gtk_widget_set_visible (self->skipped, FALSE);
  gtk_box_append (GTK_BOX (row), self->skipped);

  self->play = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (self->play), "media-playback-start-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Play or pause the replay"), -1);
  gtk_box_append (GTK_BOX (row), self->play);

  self->step = gtk_button_new_from_icon_name ("media-skip-forward-symbolic");
  gtk_widget_set_tooltip_text (self->step, _("Play the next print and pause"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->step), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Step"), -1);
  gtk_box_append (GTK_BOX (row), self->step);

  self->speed = gtk_spin_button_new_with_range (EA_REPLAY_MIN_SPEED, EA_REPLAY_MAX_SPEED, 1);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (self->speed), TRUE);
  gtk_widget_set_tooltip_text (self->speed, _("Replay speed, times real time (1–100)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->speed), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Replay speed"), -1);
  gtk_box_append (GTK_BOX (row), self->speed);
  times = gtk_label_new ("×");
  gtk_box_append (GTK_BOX (row), times);

  gtk_box_append (GTK_BOX (self), row);

  self->summary = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->summary), 0);
  gtk_label_set_wrap (GTK_LABEL (self->summary), TRUE);
  gtk_label_set_selectable (GTK_LABEL (self->summary), TRUE);
  gtk_widget_set_visible (self->summary, FALSE);
  gtk_box_append (GTK_BOX (self), self->summary);
}

GtkWidget *
ea_replay_bar_new (EaReplay *replay)
{
  EaReplayBar *self;

  g_return_val_if_fail (EA_IS_REPLAY (replay), NULL);

  self = g_object_new (EA_TYPE_REPLAY_BAR, NULL);
  self->replay = g_object_ref (replay);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->speed), ea_replay_get_speed (replay));

  g_signal_connect (self->play, "toggled", G_CALLBACK (play_toggled_cb), self);
  g_signal_connect (self->step, "clicked", G_CALLBACK (step_clicked_cb), self);
  g_signal_connect (self->speed, "value-changed", G_CALLBACK (speed_changed_cb), self);
  g_signal_connect_object (replay, "notify::position", G_CALLBACK (replay_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (replay, "notify::time", G_CALLBACK (replay_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (replay, "notify::playing", G_CALLBACK (replay_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (replay, "notify::finished", G_CALLBACK (replay_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (replay, "notify::loaded", G_CALLBACK (replay_changed_cb), self, G_CONNECT_SWAPPED);
  replay_changed_cb (self);
  update (self);

  return GTK_WIDGET (self);
}

EaReplay *
ea_replay_bar_get_replay (EaReplayBar *self)
{
  g_return_val_if_fail (EA_IS_REPLAY_BAR (self), NULL);
  return self->replay;
}

const char *
ea_replay_bar_get_progress_text (EaReplayBar *self)
{
  g_return_val_if_fail (EA_IS_REPLAY_BAR (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->progress));
}

const char *
ea_replay_bar_get_skipped_text (EaReplayBar *self)
{
  g_return_val_if_fail (EA_IS_REPLAY_BAR (self), NULL);
  return gtk_widget_get_visible (self->skipped) ? gtk_label_get_text (GTK_LABEL (self->skipped)) : NULL;
}

const char *
ea_replay_bar_get_summary_text (EaReplayBar *self)
{
  g_return_val_if_fail (EA_IS_REPLAY_BAR (self), NULL);
  return gtk_widget_get_visible (self->summary) ? gtk_label_get_text (GTK_LABEL (self->summary)) : NULL;
}

GtkWidget *
ea_replay_bar_get_play_button (EaReplayBar *self)
{
  g_return_val_if_fail (EA_IS_REPLAY_BAR (self), NULL);
  return self->play;
}

GtkWidget *
ea_replay_bar_get_step_button (EaReplayBar *self)
{
  g_return_val_if_fail (EA_IS_REPLAY_BAR (self), NULL);
  return self->step;
}

GtkWidget *
ea_replay_bar_get_speed_button (EaReplayBar *self)
{
  g_return_val_if_fail (EA_IS_REPLAY_BAR (self), NULL);
  return self->speed;
}
