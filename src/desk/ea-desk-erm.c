/* ea-desk-erm.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ERM on the desk (DOMAIN §4): every active Enigma signal is watched for a
 * reversal against its instrument's prices, with Wilder's ATR(14) of the
 * instrument's one-minute bars once fourteen have closed; before that the
 * latest signal's own ATR, else the instrument's default.
 */
#define G_LOG_DOMAIN "ea-desk"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-alert.h"
#include "ea-bars.h"
#include "ea-desk-private.h"
#include "ea-erm.h"
#include "ea-indicators.h"
#include "ea-session.h"
#include "ea-signal.h"

#define ERM_BAR_PERIOD (60 * G_USEC_PER_SEC)

typedef struct
{
  EaErm        *erm;         /* NULL until a signal arrives */
  EaBarBuilder *bars;        /* one-minute bars of every price update */
  EaAtr         atr;         /* Wilder's ATR(14) of them, ticks */
  double        signal_atr;  /* the latest signal's own ATR, ticks; 0 none */
} DeskErm;

static void
desk_erm_free (DeskErm *de)
{
  g_clear_pointer (&de->erm, ea_erm_free);
  g_clear_pointer (&de->bars, ea_bar_builder_free);
  g_free (de);
}

/* Prices are watched from the first quote, so that the ATR is ready when a
 * signal comes. */
static DeskErm *
desk_erm_for (EaDesk                 *self,
              const EaInstrumentSpec *spec)
{
  DeskErm *de = g_hash_table_lookup (self->erms, spec->root);
  EaBarSpec bar_spec;

  if (de != NULL)
    return de;

  de = g_new0 (DeskErm, 1);
  bar_spec = ea_bar_spec_time (ERM_BAR_PERIOD, 0);
  de->bars = ea_bar_builder_new (&bar_spec, NULL);
  ea_atr_init (&de->atr, EA_ATR_DEFAULT_PERIOD);
  g_hash_table_insert (self->erms, g_strdup (spec->root), de);
  return de;
}

static double
erm_atr (DeskErm                *de,
         const EaInstrumentSpec *spec,
         EaDeskAtrSource        *source)
{
  EaDeskAtrSource from = EA_DESK_ATR_DEFAULT;
  double atr = ea_erm_default_atr_ticks (spec);

  if (de != NULL && ea_atr_is_ready (&de->atr) && ea_atr_value (&de->atr) > 0)
    {
      from = EA_DESK_ATR_LIVE;
      atr = ea_atr_value (&de->atr);
    }
  else if (de != NULL && de->signal_atr > 0)
    {
      from = EA_DESK_ATR_SIGNAL;
      atr = de->signal_atr;
    }

  if (source != NULL)
    *source = from;
  return atr;
}

static void
erm_journaled_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (ea_journal_record_erm_alert_finish (EA_JOURNAL (object), result, &error) < 0)
    g_message ("Could not journal an ERM alert: %s", error->message);
}

/* Every active Enigma signal is watched for a reversal on its symbol
 * (DOMAIN §4). */
static void
signals_changed_cb (GListModel *model,
                    guint       position,
                    guint       removed,
                    guint       added,
                    EaDesk     *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(EaSignal) signal = g_list_model_get_item (model, i);
      const char *symbol = ea_signal_get_symbol (signal);
      DeskContract *c = symbol ? _ea_desk_contract (self, symbol) : NULL;
      DeskErm *de;
      EaErm *erm;
      guint id;

      _ea_desk_journal_signal (self, signal);
      if (c == NULL || ea_signal_get_direction (signal) == 0)
        continue;

      /* Keyed by instrument root: a signal on "ES" watches the "ESZ6"
       * quotes the broker streams. */
      de = desk_erm_for (self, c->spec);
      if (de->erm == NULL)
        {
          g_autoptr(GError) error = NULL;

          de->erm = ea_erm_new (c->spec->root, c->spec->root, &self->erm_config, &error);
          if (de->erm == NULL)
            {
              g_message ("ERM cannot watch %s: %s", symbol, error->message);
              continue;
            }
        }
      erm = de->erm;
      if (ea_signal_get_atr (signal) > 0)
        de->signal_atr = ea_signal_get_atr (signal);

      id = ea_erm_add_signal (erm, ea_signal_get_direction (signal) > 0 ? EA_SIDE_BUY : EA_SIDE_SELL,
                              ea_signal_get_entry_price (signal), ea_signal_get_time (signal));
      g_hash_table_insert (self->erm_signals, g_strdup_printf ("%s\x1f%u", c->spec->root, id), g_object_ref (signal));
    }
}

void
_ea_desk_erm_update (EaDesk       *self,
                     DeskContract *c,
                     EaTimeUs      time,
                     EaTicks       price)
{
  DeskErm *de = desk_erm_for (self, c->spec);
  EaErm *erm = de->erm;
  g_autoptr(GArray) alerts = NULL;
  g_autoptr(GDateTime) now = NULL;
  EaBar closed;

  if (price <= 0)
    return;
  if (ea_bar_builder_push (de->bars, time, price, 0, &closed))
    ea_atr_push_bar (&de->atr, &closed);
  if (erm == NULL)
    return;

  /* The trading day of the quote, on the broker's clock. */
  now = g_date_time_new_from_unix_utc (time / G_USEC_PER_SEC);
  if (now == NULL)
    return;
  ea_erm_set_trading_day (erm, ea_session_trading_day (now));
  alerts = g_array_new (FALSE, FALSE, sizeof (EaErmAlert));
  if (ea_erm_update (erm, time, price, erm_atr (de, c->spec, NULL), alerts) == 0)
    return;

  for (guint i = 0; i < alerts->len; i++)
    {
      const EaErmAlert *a = &g_array_index (alerts, EaErmAlert, i);
      g_autofree char *key = g_strdup_printf ("%s\x1f%u", c->spec->root, a->signal_id);
      EaSignal *signal = g_hash_table_lookup (self->erm_signals, key);
      g_autofree char *body = g_strdup_printf (_("%s moved %.2f ATR against the %s signal (threshold %.2f, momentum %.2f, after %" G_GINT64_FORMAT " s): consider %s. %u of %u reversals today."),
                                               c->symbol, a->erm, a->signal_direction == EA_SIDE_BUY ? _("long") : _("short"),
                                               a->threshold, a->momentum, a->elapsed / G_USEC_PER_SEC,
                                               a->direction == EA_SIDE_BUY ? _("a long") : _("a short"),
                                               ea_erm_get_reversals_today (erm),
                                               ea_erm_get_config (erm)->max_reversals_per_day);
      g_autofree char *details = g_strdup_printf ("{\"erm\":%.4f,\"threshold\":%.4f,\"momentum\":%.4f,"
                                                  "\"distance\":%" G_GINT64_FORMAT ",\"elapsed_s\":%" G_GINT64_FORMAT
                                                  ",\"direction\":%d}",
                                                  a->erm, a->threshold, a->momentum, a->distance,
                                                  a->elapsed / G_USEC_PER_SEC, a->direction);

      {
        g_autoptr(EaErmEvent) event = ea_erm_event_new (c->symbol, a);

        ea_trading_store_add_erm_event (self->store, event);
      }
      _ea_desk_alert (self, "erm_reversal", EA_ALERT_PRIORITY_HIGH, _("ERM reversal"), body);
      if (signal != NULL)
        ea_signal_set_active (signal, FALSE);
      g_hash_table_remove (self->erm_signals, key);

      if (self->journal != NULL)
        ea_journal_record_erm_alert_async (self->journal, a->time, c->symbol, c->spec->root, "reversal",
                                           body, details, NULL, erm_journaled_cb, NULL);
    }
}

/**
 * ea_desk_get_erm_reversals:
 * @remaining: (out) (optional): reversals still allowed today
 *
 * Returns: the ERM reversals raised today on @symbol's chart
 */
guint
ea_desk_get_erm_reversals (EaDesk     *self,
                           const char *symbol,
                           guint      *remaining)
{
  const EaInstrumentSpec *spec;
  DeskErm *de;
  EaErm *erm;
  guint done = 0, max = EA_ERM_DEFAULT_MAX_PER_DAY;

  g_return_val_if_fail (EA_IS_DESK (self), 0);

  spec = symbol ? ea_desk_lookup_spec (symbol) : NULL;
  de = spec ? g_hash_table_lookup (self->erms, spec->root) : NULL;
  erm = de ? de->erm : NULL;
  if (erm != NULL)
    {
      done = ea_erm_get_reversals_today (erm);
      max = ea_erm_get_config (erm)->max_reversals_per_day;
    }
  if (remaining != NULL)
    *remaining = max > done ? max - done : 0;

  return done;
}

/**
 * ea_desk_get_erm_atr:
 * @source: (out) (optional): where the figure comes from
 *
 * Returns: the ATR, in ticks, that ERM judges @symbol's signals by
 */
double
ea_desk_get_erm_atr (EaDesk          *self,
                     const char      *symbol,
                     EaDeskAtrSource *source)
{
  const EaInstrumentSpec *spec;

  g_return_val_if_fail (EA_IS_DESK (self), 0);

  spec = symbol ? ea_desk_lookup_spec (symbol) : NULL;
  if (spec == NULL)
    {
      if (source != NULL)
        *source = EA_DESK_ATR_DEFAULT;
      return 0;
    }
  return erm_atr (g_hash_table_lookup (self->erms, spec->root), spec, source);
}

gboolean
ea_desk_set_erm_config (EaDesk             *self,
                        const EaErmConfig  *config,
                        GError            **error)
{
  GHashTableIter iter;
  DeskErm *de;

  g_return_val_if_fail (EA_IS_DESK (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  if (!ea_erm_config_validate (config, error))
    return FALSE;

  self->erm_config = *config;
  g_hash_table_iter_init (&iter, self->erms);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &de))
    if (de->erm != NULL)
      ea_erm_set_config (de->erm, config, NULL);
  return TRUE;
}

const EaErmConfig *
ea_desk_get_erm_config (EaDesk *self)
{
  g_return_val_if_fail (EA_IS_DESK (self), NULL);

  return &self->erm_config;
}

void
_ea_desk_erm_init (EaDesk *self)
{
  ea_erm_config_init (&self->erm_config);
  self->erms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) desk_erm_free);
  self->erm_signals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_signal_connect_object (ea_trading_store_get_signals (self->store), "items-changed",
                           G_CALLBACK (signals_changed_cb), self, 0);
}
