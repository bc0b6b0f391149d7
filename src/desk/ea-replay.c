/* ea-replay.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-replay"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-alert.h"
#include "ea-account.h"
#include "ea-instrument.h"
#include "ea-money.h"
#include "ea-nt-import.h"
#include "ea-replay.h"

/* How many skipped lines an alert lists before "and N more". */
#define MAX_LISTED_WARNINGS 10

struct _EaReplay
{
  GObject         parent_instance;

  EaDesk         *desk;
  EaSimBroker    *sim;
  char           *path;
  char           *symbol;
  GPtrArray      *warnings;
  double          speed;
  gboolean        loaded;
  gboolean        playing;
  gboolean        finished;
  guint           position;
  guint           total;
  EaTimeUs        time;
  EaMicros        lowest;
  EaReplayBreach  breach;
  GTimeZone      *exchange_tz;
  guint           finish_source;
};

G_DEFINE_FINAL_TYPE (EaReplay, ea_replay, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PLAYING,
  PROP_SPEED,
  PROP_POSITION,
  PROP_FINISHED,
  PROP_LOADED,
  PROP_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (ea-replay-error-quark, ea_replay_error)

static void
breach_clear (EaReplayBreach *breach)
{
  g_clear_pointer (&breach->account, g_free);
  g_clear_pointer (&breach->reason, g_free);
  memset (breach, 0, sizeof *breach);
}

static void
add_alert (EaReplay        *self,
           EaAlertPriority  priority,
           const char      *title,
           const char      *body)
{
  g_autoptr(EaAlert) alert = ea_alert_new ("system_status", priority, title, body,
                                           g_get_real_time ());

  ea_trading_store_add_alert (ea_desk_get_store (self->desk), alert);
}

/* The Demo accounts the desk shows, by name. */
static GPtrArray *
account_names (EaReplay *self)
{
  GListModel *accounts = ea_trading_store_get_accounts (ea_desk_get_store (self->desk));
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(GObject) account = g_list_model_get_item (accounts, i);
      char *name = NULL;

      g_object_get (account, "name", &name, NULL);
      if (name != NULL)
        g_ptr_array_add (names, name);
    }

  return names;
}

static void
track_equity (EaReplay *self)
{
  g_autoptr(GPtrArray) names = account_names (self);

  for (guint i = 0; i < names->len; i++)
    {
      EaRiskStatus status;

      if (ea_desk_get_risk_status (self->desk, names->pdata[i], &status))
        self->lowest = MIN (self->lowest, status.equity);
    }
}

static void
finish (EaReplay *self)
{
  g_autofree char *summary = NULL;

  self->finished = TRUE;
  /* The market stands still at the end, so the summary describes what
   * is on screen; Play runs the Demo exchange on from there. */
  if (self->playing)
    {
      self->playing = FALSE;
      ea_sim_broker_set_realtime (self->sim, FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
    }

  summary = ea_replay_format_summary (self);
  add_alert (self, self->breach.breached ? EA_ALERT_PRIORITY_HIGH : EA_ALERT_PRIORITY_MEDIUM,
             self->breach.breached ? _("Replay ended: the account breached a limit")
                                   : _("Replay ended: no limit breached"),
             summary);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
}

static gboolean
finish_cb (gpointer user_data)
{
  EaReplay *self = user_data;

  self->finish_source = 0;
  if (!self->finished)
    finish (self);
  return G_SOURCE_REMOVE;
}

/* @now: finish at once when the last print has played; otherwise (while
 * its quote is still being delivered, before the exchange matched the
 * orders against it) from the main loop, right after. */
static void
update_progress (EaReplay *self,
                 gboolean  now)
{
  EaSimExchange *ex = ea_sim_broker_get_exchange (self->sim);
  guint played = 0, total = 0;
  gboolean done = FALSE;

  if (!self->loaded)
    return;

  ea_sim_exchange_replay_progress (ex, self->symbol, &played, &total, &done);
  track_equity (self);
  if (ea_sim_broker_get_time (self->sim) != self->time)
    {
      self->time = ea_sim_broker_get_time (self->sim);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME]);
    }
  if (played != self->position || total != self->total)
    {
      self->position = played;
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
    }

  if (!self->finished && done)
    {
      if (now)
        {
          g_clear_handle_id (&self->finish_source, g_source_remove);
          finish (self);
        }
      else if (self->finish_source == 0)
        self->finish_source = g_idle_add (finish_cb, self);
    }
}

static void
sim_quote_cb (EaReplay          *self,
              const EaQuoteData *quote,
              EaSimBroker       *sim)
{
  if (self->loaded && g_strcmp0 (quote->symbol, self->symbol) == 0)
    update_progress (self, FALSE);
}

static const char *
breach_reason (const EaRiskStatus *status)
{
  if (status->lock_reason != NULL && *status->lock_reason != '\0')
    return status->lock_reason;
  if (status->usage[EA_RISK_LIMIT_DAILY] >= 1.0)
    return "daily loss limit reached";
  if (status->usage[EA_RISK_LIMIT_TRAILING] >= 1.0)
    return "trailing drawdown limit reached";
  return "limit reached";
}

/* The desk has judged the replayed prices: the first breach is kept with
 * its replayed time, record and equity. */
static void
desk_risk_changed_cb (EaReplay   *self,
                      const char *account,
                      EaDesk     *desk)
{
  EaRiskStatus status;

  if (!self->loaded || self->breach.breached || account == NULL)
    return;
  if (!ea_desk_get_risk_status (desk, account, &status))
    return;
  if (status.level != EA_RISK_LEVEL_BREACH && !status.failed)
    return;

  self->breach.breached = TRUE;
  self->breach.account = g_strdup (account);
  self->breach.time = ea_sim_broker_get_time (self->sim);
  self->breach.record = self->position;
  {
    guint played = 0;

    if (ea_sim_exchange_replay_progress (ea_sim_broker_get_exchange (self->sim), self->symbol,
                                         &played, NULL, NULL))
      self->breach.record = played;
  }
  self->breach.equity = status.equity;
  self->breach.reason = g_strdup (breach_reason (&status));
  self->lowest = MIN (self->lowest, status.equity);
}

static void
ea_replay_dispose (GObject *object)
{
  EaReplay *self = EA_REPLAY (object);

  g_clear_handle_id (&self->finish_source, g_source_remove);
  if (self->sim != NULL)
    g_signal_handlers_disconnect_by_data (self->sim, self);
  if (self->desk != NULL)
    g_signal_handlers_disconnect_by_data (self->desk, self);
  g_clear_object (&self->sim);
  g_clear_object (&self->desk);

  G_OBJECT_CLASS (ea_replay_parent_class)->dispose (object);
}

static void
ea_replay_finalize (GObject *object)
{
  EaReplay *self = EA_REPLAY (object);

  g_free (self->path);
  g_free (self->symbol);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_clear_pointer (&self->exchange_tz, g_time_zone_unref);
  breach_clear (&self->breach);

  G_OBJECT_CLASS (ea_replay_parent_class)->finalize (object);
}

static void
ea_replay_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  EaReplay *self = EA_REPLAY (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_POSITION:
      g_value_set_uint (value, self->position);
      break;
    case PROP_FINISHED:
      g_value_set_boolean (value, self->finished);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_TIME:
      g_value_set_int64 (value, self->time);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_replay_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  EaReplay *self = EA_REPLAY (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      ea_replay_set_playing (self, g_value_get_boolean (value));
      break;
    case PROP_SPEED:
      ea_replay_set_speed (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_replay_class_init (EaReplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ea_replay_dispose;
  object_class->finalize = ea_replay_finalize;
  object_class->get_property = ea_replay_get_property;
  object_class->set_property = ea_replay_set_property;

  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, EA_REPLAY_MIN_SPEED, EA_REPLAY_MAX_SPEED, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] =
    g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FINISHED] =
    g_param_spec_boolean ("finished", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME] =
    g_param_spec_int64 ("time", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ea_replay_init (EaReplay *self)
{
  self->speed = 1.0;
  self->lowest = G_MAXINT64;
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->exchange_tz = g_time_zone_new_identifier ("America/Chicago");
  if (self->exchange_tz == NULL)
    self->exchange_tz = g_time_zone_new_utc ();
}

gboolean
ea_replay_check (const char  *path,
                 const char  *symbol,
                 double       speed,
                 guint       *n_malformed,
                 GError     **error)
{
  g_autofree char *root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(EaNtData) data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;

  if (symbol == NULL || *symbol == '\0')
    {
      g_set_error (error, EA_REPLAY_ERROR, EA_REPLAY_ERROR_SYMBOL,
                   _("Say which instrument the export holds (--replay-symbol ES, for example)."));
      return FALSE;
    }
  root = g_ascii_strup (symbol, -1);
  if (ea_instrument_lookup (root) == NULL)
    {
      guint n = 0;
      const EaInstrumentSpec *specs = ea_instrument_all (&n);
      g_autoptr(GString) roots = g_string_new (NULL);

      for (guint i = 0; i < n; i++)
        g_string_append_printf (roots, "%s%s", i ? ", " : "", specs[i].root);
      g_set_error (error, EA_REPLAY_ERROR, EA_REPLAY_ERROR_SYMBOL,
                   _("Unknown instrument “%s” for the replay: use one of %s."), symbol, roots->str);
      return FALSE;
    }
  if (!(speed >= EA_REPLAY_MIN_SPEED && speed <= EA_REPLAY_MAX_SPEED))
    {
      g_set_error (error, EA_REPLAY_ERROR, EA_REPLAY_ERROR_SPEED,
                   _("The replay speed must be between 1 and 100 (times real time), not %g."), speed);
      return FALSE;
    }
  if (path == NULL || *path == '\0')
    {
      g_set_error (error, EA_REPLAY_ERROR, EA_REPLAY_ERROR_FILE,
                   _("Give the NinjaTrader 8 export to replay (--replay FILE)."));
      return FALSE;
    }
  if (!g_file_get_contents (path, &text, &len, &local_error))
    {
      g_set_error (error, EA_REPLAY_ERROR, EA_REPLAY_ERROR_FILE,
                   _("Cannot read the export to replay: %s"), local_error->message);
      return FALSE;
    }
  data = ea_nt_data_parse (text, (gssize) len, NULL, &local_error);
  if (data == NULL)
    {
      g_set_error (error, EA_REPLAY_ERROR, EA_REPLAY_ERROR_FILE,
                   _("“%s” is not a NinjaTrader 8 export of minute bars or ticks: %s"),
                   path, local_error->message);
      return FALSE;
    }

  if (n_malformed != NULL)
    *n_malformed = data->errors->len;
  return TRUE;
}

EaReplay *
ea_replay_new (EaDesk      *desk,
               EaSimBroker *sim)
{
  EaReplay *self;

  g_return_val_if_fail (EA_IS_DESK (desk), NULL);
  g_return_val_if_fail (EA_IS_SIM_BROKER (sim), NULL);

  self = g_object_new (EA_TYPE_REPLAY, NULL);
  self->desk = g_object_ref (desk);
  self->sim = g_object_ref (sim);
  self->speed = ea_sim_broker_get_speed (sim);

  /* After the desk's own handlers: the desk has marked the accounts by
   * the time the replay looks at them. */
  g_signal_connect_object (sim, "quote", G_CALLBACK (sim_quote_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (desk, "risk-changed", G_CALLBACK (desk_risk_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

gboolean
ea_replay_load (EaReplay    *self,
                const char  *path,
                const char  *symbol,
                GTimeZone   *tz,
                GError     **error)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *root = NULL;

  g_return_val_if_fail (EA_IS_REPLAY (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!ea_replay_check (path, symbol, self->speed, NULL, error))
    return FALSE;

  root = g_ascii_strup (symbol, -1);
  if (tz == NULL)
    tz = local = g_time_zone_new_local ();

  /* The exchange stands still while the file is loaded. */
  ea_replay_set_playing (self, FALSE);
  if (!ea_sim_broker_load_replay (self->sim, root, path, tz, &warnings, &local_error))
    {
      g_set_error (error, EA_REPLAY_ERROR, EA_REPLAY_ERROR_FILE,
                   _("The export cannot be replayed: %s"), local_error->message);
      return FALSE;
    }

  g_free (self->path);
  self->path = g_strdup (path);
  g_free (self->symbol);
  self->symbol = g_steal_pointer (&root);
  g_ptr_array_set_size (self->warnings, 0);
  for (guint i = 0; warnings != NULL && i < warnings->len; i++)
    g_ptr_array_add (self->warnings, g_strdup (warnings->pdata[i]));
  breach_clear (&self->breach);
  g_clear_handle_id (&self->finish_source, g_source_remove);
  self->lowest = G_MAXINT64;
  self->finished = FALSE;
  self->position = 0;
  self->loaded = TRUE;

  if (self->warnings->len > 0)
    {
      g_autoptr(GString) body = g_string_new (NULL);
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "Replay: %u line skipped",
                                                             "Replay: %u lines skipped",
                                                             self->warnings->len),
                                                self->warnings->len);

      g_string_append_printf (body, _("%s — these lines cannot be read and are not played:"), base);
      for (guint i = 0; i < self->warnings->len && i < MAX_LISTED_WARNINGS; i++)
        g_string_append_printf (body, "\n%s", (char *) self->warnings->pdata[i]);
      if (self->warnings->len > MAX_LISTED_WARNINGS)
        g_string_append_printf (body, _("\n… and %u more"), self->warnings->len - MAX_LISTED_WARNINGS);
      add_alert (self, EA_ALERT_PRIORITY_HIGH, title, body->str);
    }

  update_progress (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
  return TRUE;
}

void
ea_replay_set_playing (EaReplay *self,
                       gboolean  playing)
{
  g_return_if_fail (EA_IS_REPLAY (self));

  playing = !!playing;
  if (playing)
    ea_sim_broker_set_speed (self->sim, self->speed);
  ea_sim_broker_set_realtime (self->sim, playing);
  if (self->playing == playing)
    return;
  self->playing = playing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

gboolean
ea_replay_get_playing (EaReplay *self)
{
  g_return_val_if_fail (EA_IS_REPLAY (self), FALSE);
  return self->playing;
}

/**
 * ea_replay_step:
 *
 * Pauses, then plays the next print of the file (a minute bar is played
 * as four prints: open, the nearer extreme, the farther one, close).
 *
 * Returns: FALSE when nothing was left to play.
 */
gboolean
ea_replay_step (EaReplay *self)
{
  gboolean played;

  g_return_val_if_fail (EA_IS_REPLAY (self), FALSE);

  if (!self->loaded)
    return FALSE;
  ea_replay_set_playing (self, FALSE);
  played = ea_sim_broker_replay_step (self->sim);
  update_progress (self, TRUE);
  return played;
}

void
ea_replay_set_speed (EaReplay *self,
                     double    speed)
{
  g_return_if_fail (EA_IS_REPLAY (self));

  speed = CLAMP (speed, EA_REPLAY_MIN_SPEED, EA_REPLAY_MAX_SPEED);
  if (speed == self->speed)
    return;
  self->speed = speed;
  ea_sim_broker_set_speed (self->sim, speed);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
}

double
ea_replay_get_speed (EaReplay *self)
{
  g_return_val_if_fail (EA_IS_REPLAY (self), 1.0);
  return self->speed;
}

gboolean
ea_replay_get_loaded (EaReplay *self)
{
  g_return_val_if_fail (EA_IS_REPLAY (self), FALSE);
  return self->loaded;
}

gboolean
ea_replay_get_finished (EaReplay *self)
{
  g_return_val_if_fail (EA_IS_REPLAY (self), FALSE);
  return self->finished;
}

const char *
ea_replay_get_symbol (EaReplay *self)
{
  g_return_val_if_fail (EA_IS_REPLAY (self), NULL);
  return self->symbol;
}

const char *
ea_replay_get_path (EaReplay *self)
{
  g_return_val_if_fail (EA_IS_REPLAY (self), NULL);
  return self->path;
}

guint
ea_replay_get_position (EaReplay *self)
{
  g_return_val_if_fail (EA_IS_REPLAY (self), 0);
  return self->position;
}

guint
ea_replay_get_total (EaReplay *self)
{
  g_return_val_if_fail (EA_IS_REPLAY (self), 0);
  return self->total;
}

EaTimeUs
ea_replay_get_time (EaReplay *self)
{
  g_return_val_if_fail (EA_IS_REPLAY (self), 0);
  return self->time;
}

GPtrArray *
ea_replay_get_warnings (EaReplay *self)
{
  g_return_val_if_fail (EA_IS_REPLAY (self), NULL);
  return self->warnings;
}

const EaReplayBreach *
ea_replay_get_breach (EaReplay *self)
{
  g_return_val_if_fail (EA_IS_REPLAY (self), NULL);
  return &self->breach;
}

EaMicros
ea_replay_get_lowest_equity (EaReplay *self)
{
  g_return_val_if_fail (EA_IS_REPLAY (self), 0);
  return self->lowest;
}

static char *
format_time (EaReplay *self,
             EaTimeUs  time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time / G_USEC_PER_SEC);
  g_autoptr(GDateTime) ct = utc ? g_date_time_to_timezone (utc, self->exchange_tz) : NULL;

  /* Translators: a replayed time in exchange time (US Central). */
  return ct ? g_date_time_format (ct, _("%a %Y-%m-%d %H:%M:%S CT")) : g_strdup ("?");
}

char *
ea_replay_format_progress (EaReplay *self)
{
  g_autofree char *when = NULL;

  g_return_val_if_fail (EA_IS_REPLAY (self), NULL);

  if (!self->loaded)
    return g_strdup (_("No replay loaded"));

  when = format_time (self, self->time);
  /* Translators: <symbol> · <time> · record <n> of <m>. */
  return g_strdup_printf (_("%s · %s · record %u of %u"),
                          self->symbol, when, self->position, self->total);
}

char *
ea_replay_format_summary (EaReplay *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *when = NULL;

  g_return_val_if_fail (EA_IS_REPLAY (self), NULL);

  if (!self->loaded)
    return g_strdup (_("No replay loaded"));

  if (self->breach.breached)
    {
      g_autofree char *at = format_time (self, self->breach.time);
      g_autofree char *equity = ea_money_format (self->breach.equity);

      /* Translators: account, time, record, total, equity, reason. */
      g_string_append_printf (text, _("%s breached its firm profile at %s (record %u of %u) with equity %s: %s. "
                                      "The desk stopped and locked trading, as it would live."),
                              self->breach.account, at, self->breach.record, self->total, equity,
                              self->breach.reason);
    }
  else
    g_string_append (text, _("No account breached a limit of its firm profile."));

  when = format_time (self, self->time);
  g_string_append_c (text, '\n');
  if (self->finished)
    g_string_append_printf (text, _("The replay ended at %s after %u records."), when, self->total);
  else
    g_string_append_printf (text, _("The replay is at %s, record %u of %u."), when, self->position, self->total);

  names = account_names (self);
  for (guint i = 0; i < names->len; i++)
    {
      EaRiskStatus status;
      g_autofree char *equity = NULL;
      g_autofree char *day = NULL;

      if (!ea_desk_get_risk_status (self->desk, names->pdata[i], &status))
        continue;
      equity = ea_money_format (status.equity);
      day = ea_money_format_full (status.day_pnl, EA_MONEY_FORMAT_PLUS_SIGN);
      g_string_append_c (text, '\n');
      /* Translators: account, equity, day P&L, trading state. */
      g_string_append_printf (text, _("%s: equity %s, day P&L %s, %s."), (char *) names->pdata[i],
                              equity, day, ea_trading_state_to_string (status.state));
    }
  if (self->lowest != G_MAXINT64)
    {
      g_autofree char *lowest = ea_money_format (self->lowest);

      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Lowest equity during the replay: %s."), lowest);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
