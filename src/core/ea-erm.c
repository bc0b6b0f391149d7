/* ea-erm.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-erm"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-erm.h"

typedef struct
{
  EaTimeUs time;
  EaTicks  price;
} PricePoint;

typedef struct
{
  guint    id;
  EaSide   direction;
  EaTicks  entry;
  EaTimeUs t0;
  gboolean suppressed;  /* counted once in suppressed_today */
} WatchedSignal;

struct _EaErm
{
  char        chart[EA_ERM_NAME_MAX];
  char        instrument[EA_ERM_NAME_MAX];
  EaErmConfig config;

  /* Price history: only price changes are kept (the last price at or
   * before a time is the same), oldest first from history_head. */
  GArray     *history;
  guint       history_head;
  gboolean    has_time;
  EaTimeUs    last_time;

  GArray     *signals;   /* of WatchedSignal, in the order added */
  guint       next_id;

  guint32     trading_day;
  guint       reversals_today;
  guint       suppressed_today;
};

G_DEFINE_QUARK (ea-erm-error-quark, ea_erm_error)

void
ea_erm_config_init (EaErmConfig *config)
{
  g_return_if_fail (config != NULL);

  config->erm_threshold = EA_ERM_DEFAULT_THRESHOLD;
  config->lookback = EA_ERM_DEFAULT_LOOKBACK_US;
  config->min_elapsed = EA_ERM_DEFAULT_MIN_ELAPSED_US;
  config->max_reversals_per_day = EA_ERM_DEFAULT_MAX_PER_DAY;
}

gboolean
ea_erm_config_validate (const EaErmConfig  *config,
                        GError            **error)
{
  const EaTimeUs day = G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC;

  g_return_val_if_fail (config != NULL, FALSE);

  if (!(config->erm_threshold >= EA_ERM_MIN_THRESHOLD &&
        config->erm_threshold <= EA_ERM_MAX_THRESHOLD))
    {
      g_set_error (error, EA_ERM_ERROR, EA_ERM_ERROR_INVALID_CONFIG,
                   "ERM threshold %g is outside %g … %g",
                   config->erm_threshold, EA_ERM_MIN_THRESHOLD, EA_ERM_MAX_THRESHOLD);
      return FALSE;
    }
  if (config->lookback <= 0 || config->lookback > day)
    {
      g_set_error (error, EA_ERM_ERROR, EA_ERM_ERROR_INVALID_CONFIG,
                   "ERM lookback %" G_GINT64_FORMAT " µs is outside (0, 1 day]",
                   config->lookback);
      return FALSE;
    }
  if (config->min_elapsed < 0 || config->min_elapsed > day)
    {
      g_set_error (error, EA_ERM_ERROR, EA_ERM_ERROR_INVALID_CONFIG,
                   "ERM minimum elapsed time %" G_GINT64_FORMAT " µs is outside [0, 1 day]",
                   config->min_elapsed);
      return FALSE;
    }
  if (config->max_reversals_per_day > 100)
    {
      g_set_error (error, EA_ERM_ERROR, EA_ERM_ERROR_INVALID_CONFIG,
                   "ERM maximum of %u reversals per day is above 100",
                   config->max_reversals_per_day);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_name (const char  *what,
            const char  *name,
            GError     **error)
{
  if (name == NULL || *name == '\0' || strlen (name) >= EA_ERM_NAME_MAX ||
      !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, EA_ERM_ERROR, EA_ERM_ERROR_INVALID_NAME,
                   "ERM %s name must be non-empty UTF-8 shorter than %d bytes",
                   what, EA_ERM_NAME_MAX);
      return FALSE;
    }
  return TRUE;
}

EaErm *
ea_erm_new (const char         *chart,
            const char         *instrument,
            const EaErmConfig  *config,
            GError            **error)
{
  EaErmConfig defaults;
  EaErm *self;

  if (config == NULL)
    {
      ea_erm_config_init (&defaults);
      config = &defaults;
    }
  if (!check_name ("chart", chart, error) ||
      !check_name ("instrument", instrument, error) ||
      !ea_erm_config_validate (config, error))
    return NULL;

  self = g_new0 (EaErm, 1);
  g_strlcpy (self->chart, chart, sizeof self->chart);
  g_strlcpy (self->instrument, instrument, sizeof self->instrument);
  self->config = *config;
  self->history = g_array_new (FALSE, FALSE, sizeof (PricePoint));
  self->signals = g_array_new (FALSE, FALSE, sizeof (WatchedSignal));
  self->next_id = 1;
  return self;
}

void
ea_erm_free (EaErm *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->history);
  g_array_unref (self->signals);
  g_free (self);
}

gboolean
ea_erm_set_config (EaErm             *self,
                   const EaErmConfig *config,
                   GError           **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  if (!ea_erm_config_validate (config, error))
    return FALSE;
  self->config = *config;
  return TRUE;
}

const EaErmConfig *
ea_erm_get_config (EaErm *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->config;
}

guint
ea_erm_add_signal (EaErm    *self,
                   EaSide    direction,
                   EaTicks   entry,
                   EaTimeUs  t0)
{
  WatchedSignal sig;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (direction == EA_SIDE_BUY || direction == EA_SIDE_SELL, 0);

  sig.id = self->next_id++;
  if (self->next_id == 0)
    self->next_id = 1;
  sig.direction = direction;
  sig.entry = entry;
  sig.t0 = t0;
  sig.suppressed = FALSE;
  g_array_append_val (self->signals, sig);
  return sig.id;
}

static gint
find_signal (EaErm *self,
             guint  signal_id)
{
  guint i;

  for (i = 0; i < self->signals->len; i++)
    if (g_array_index (self->signals, WatchedSignal, i).id == signal_id)
      return (gint) i;
  return -1;
}

gboolean
ea_erm_remove_signal (EaErm *self,
                      guint  signal_id)
{
  gint i;

  g_return_val_if_fail (self != NULL, FALSE);

  i = find_signal (self, signal_id);
  if (i < 0)
    return FALSE;
  g_array_remove_index (self->signals, (guint) i);
  return TRUE;
}

gboolean
ea_erm_signal_is_active (EaErm *self,
                         guint  signal_id)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return find_signal (self, signal_id) >= 0;
}

guint
ea_erm_n_active (EaErm *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->signals->len;
}

void
ea_erm_set_trading_day (EaErm   *self,
                        guint32  trading_day)
{
  g_return_if_fail (self != NULL);

  if (trading_day != self->trading_day)
    {
      guint i;

      self->trading_day = trading_day;
      self->reversals_today = 0;
      self->suppressed_today = 0;
      for (i = 0; i < self->signals->len; i++)
        g_array_index (self->signals, WatchedSignal, i).suppressed = FALSE;
    }
}

guint
ea_erm_get_reversals_today (EaErm *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->reversals_today;
}

guint
ea_erm_get_suppressed_today (EaErm *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->suppressed_today;
}

static void
record_price (EaErm    *self,
              EaTimeUs  t,
              EaTicks   price)
{
  GArray *h = self->history;
  PricePoint point = { t, price };
  EaTimeUs cutoff = t - self->config.lookback;

  if (h->len > self->history_head &&
      g_array_index (h, PricePoint, h->len - 1).price == price)
    ; /* unchanged: the earlier point answers every query */
  else
    g_array_append_val (h, point);

  /* Keep the last point at or before the cutoff and all later ones. */
  while (h->len - self->history_head >= 2 &&
         g_array_index (h, PricePoint, self->history_head + 1).time <= cutoff)
    self->history_head++;

  if (self->history_head >= 1024 && self->history_head * 2 >= h->len)
    {
      g_array_remove_range (h, 0, self->history_head);
      self->history_head = 0;
    }
}

EaTicks
ea_erm_lookback_price (EaErm    *self,
                       EaTimeUs  t,
                       EaTicks   fallback)
{
  GArray *h;
  EaTimeUs cutoff;
  guint lo, hi;

  g_return_val_if_fail (self != NULL, fallback);

  h = self->history;
  cutoff = t - self->config.lookback;
  lo = self->history_head;
  hi = h->len;
  /* First point after the cutoff, by binary search. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (h, PricePoint, mid).time <= cutoff)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == self->history_head)
    return fallback;
  return g_array_index (h, PricePoint, lo - 1).price;
}

guint
ea_erm_update (EaErm    *self,
               EaTimeUs  t,
               EaTicks   price,
               double    atr_ticks,
               GArray   *alerts)
{
  guint i = 0, n_alerts = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (alerts == NULL ||
                        g_array_get_element_size (alerts) == sizeof (EaErmAlert), 0);

  if (self->has_time && t < self->last_time)
    t = self->last_time;
  self->has_time = TRUE;
  self->last_time = t;
  record_price (self, t, price);

  if (!(isfinite (atr_ticks) && atr_ticks > 0.0))
    return 0;

  while (i < self->signals->len)
    {
      WatchedSignal *sig = &g_array_index (self->signals, WatchedSignal, i);
      EaTimeUs elapsed = t - sig->t0;
      double d = (double) sig->direction;
      EaTicks pn;
      double erm, momentum;

      erm = d * (double) (sig->entry - price) / atr_ticks;
      if (elapsed < self->config.min_elapsed || !(erm >= self->config.erm_threshold))
        {
          i++;
          continue;
        }
      pn = ea_erm_lookback_price (self, t, sig->entry);
      momentum = d * (double) (pn - price) / atr_ticks;
      if (!(momentum > 0.0))
        {
          i++;
          continue;
        }
      if (self->reversals_today >= self->config.max_reversals_per_day)
        {
          if (!sig->suppressed)
            self->suppressed_today++;
          sig->suppressed = TRUE;
          i++;
          continue;
        }

      self->reversals_today++;
      n_alerts++;
      if (alerts != NULL)
        {
          EaErmAlert alert;

          memset (&alert, 0, sizeof alert);
          alert.time = t;
          memcpy (alert.chart, self->chart, sizeof alert.chart);
          memcpy (alert.instrument, self->instrument, sizeof alert.instrument);
          alert.signal_id = sig->id;
          alert.erm = erm;
          alert.threshold = self->config.erm_threshold;
          alert.momentum = momentum;
          alert.distance = sig->entry - price;
          alert.entry = sig->entry;
          alert.price = price;
          alert.lookback_price = pn;
          alert.atr = atr_ticks;
          alert.elapsed = elapsed;
          alert.signal_direction = sig->direction;
          alert.direction = sig->direction == EA_SIDE_BUY ? EA_SIDE_SELL : EA_SIDE_BUY;
          g_array_append_val (alerts, alert);
        }
      g_array_remove_index (self->signals, i);
    }

  return n_alerts;
}
