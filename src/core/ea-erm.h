/* ea-erm.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ERM, Enigma Reversal Momentum (DOMAIN §4): watches the active Enigma
 * signals of one chart and raises a reversal alert when price has gone
 * far enough against a signal and is still moving against it.
 *
 * One EaErm per chart. Prices are ticks (EaTicks) of the chart's
 * instrument; the ATR passed to ea_erm_update() is in ticks too, so
 *
 *   erm      = d * (E - P)  / ATR
 *   momentum = d * (Pn - P) / ATR
 *
 * are plain ratios (doubles), the same whatever the unit. d is +1 for a
 * long signal and -1 for a short one, E its entry, P the price of this
 * update and Pn the last price of the chart's history at or before
 * t - lookback (E when the history has no price that old; the history
 * is the chart's, so it may predate the signal).
 *
 * A signal fires once, on the first update with elapsed = t - t0 >=
 * min_elapsed (30 s), erm >= erm_threshold and momentum > 0, while the
 * chart has raised fewer than max_reversals_per_day alerts in the
 * current trading day. The alert suggests the opposite direction, and
 * the signal is deactivated. Signals that would fire while the daily
 * cap is reached stay active and are counted (once each) as suppressed;
 * they can still fire after the trading day changes.
 *
 * An ATR that is zero, negative or not finite makes the ratios
 * meaningless: such an update records the price and fires nothing.
 * Time never goes backwards: an update stamped before the previous one
 * counts as happening at the previous update's time.
 */
#pragma once

#include <glib.h>

#include "ea-core-types.h"
#include "ea-instrument.h"

G_BEGIN_DECLS

#define EA_ERM_ERROR (ea_erm_error_quark ())

typedef enum
{
  EA_ERM_ERROR_INVALID_CONFIG,
  EA_ERM_ERROR_INVALID_NAME,
} EaErmError;

#define EA_ERM_DEFAULT_THRESHOLD       0.5
#define EA_ERM_MIN_THRESHOLD           0.25
#define EA_ERM_MAX_THRESHOLD           1.0
#define EA_ERM_DEFAULT_LOOKBACK_US     (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define EA_ERM_DEFAULT_MIN_ELAPSED_US  (G_GINT64_CONSTANT (30) * G_USEC_PER_SEC)
#define EA_ERM_DEFAULT_MAX_PER_DAY     3
#define EA_ERM_NAME_MAX                64

typedef struct
{
  double   erm_threshold;          /* 0.25 … 1.0 */
  EaTimeUs lookback;               /* > 0, at most one day */
  EaTimeUs min_elapsed;            /* >= 0, at most one day */
  guint    max_reversals_per_day;  /* 0 … 100; 0 disables alerts */
} EaErmConfig;

typedef struct
{
  EaTimeUs time;                       /* of the price update */
  char     chart[EA_ERM_NAME_MAX];
  char     instrument[EA_ERM_NAME_MAX];
  guint    signal_id;
  double   erm;
  double   threshold;
  double   momentum;
  EaTicks  distance;                   /* E - P, not signed by direction */
  EaTicks  entry;                      /* E */
  EaTicks  price;                      /* P */
  EaTicks  lookback_price;             /* Pn */
  double   atr;                        /* ticks */
  EaTimeUs elapsed;                    /* t - t0 */
  EaSide   signal_direction;           /* d */
  EaSide   direction;                  /* suggested: -d */
} EaErmAlert;

typedef struct _EaErm EaErm;

GQuark    ea_erm_error_quark      (void);

void      ea_erm_config_init      (EaErmConfig       *config);
gboolean  ea_erm_config_validate  (const EaErmConfig *config,
                                   GError           **error);

/* The ATR to use before the chart has 14 bars: the instrument's default
 * in points, in ticks. */
static inline double
ea_erm_default_atr_ticks (const EaInstrumentSpec *spec)
{
  return spec->default_atr_points / spec->tick_size;
}

/* @chart and @instrument: non-empty, shorter than EA_ERM_NAME_MAX bytes,
 * valid UTF-8. @config NULL = defaults. */
EaErm    *ea_erm_new              (const char        *chart,
                                   const char        *instrument,
                                   const EaErmConfig *config,
                                   GError           **error);
void      ea_erm_free             (EaErm             *self);

const EaErmConfig *ea_erm_get_config (EaErm          *self);
/* Replaces the configuration after validating it; watched signals and the
 * day's count carry on. A longer lookback sees only the history kept so
 * far. FALSE (and no change) when @config is invalid. */
gboolean  ea_erm_set_config       (EaErm             *self,
                                   const EaErmConfig *config,
                                   GError           **error);

/* Starts watching a signal; returns its id (never 0). */
guint     ea_erm_add_signal       (EaErm             *self,
                                   EaSide             direction,
                                   EaTicks            entry,
                                   EaTimeUs           t0);
/* Stops watching a signal. FALSE when it is not active. */
gboolean  ea_erm_remove_signal    (EaErm             *self,
                                   guint              signal_id);
gboolean  ea_erm_signal_is_active (EaErm             *self,
                                   guint              signal_id);
guint     ea_erm_n_active         (EaErm             *self);

/* The trading day (e.g. YYYYMMDD from ea_session_trading_day()). A new
 * day resets the daily alert count. */
void      ea_erm_set_trading_day  (EaErm             *self,
                                   guint32            trading_day);
guint     ea_erm_get_reversals_today (EaErm          *self);
guint     ea_erm_get_suppressed_today (EaErm         *self);

/* A price update at @t with the chart's current ATR (ticks). Appends the
 * alerts it raises to @alerts (an array of EaErmAlert, may be NULL) and
 * returns how many. */
guint     ea_erm_update           (EaErm             *self,
                                   EaTimeUs           t,
                                   EaTicks            price,
                                   double             atr_ticks,
                                   GArray            *alerts);

/* Pn for @t (at or after the last update): the last price at or before
 * @t - lookback, or @fallback. Exposed for tests and display. */
EaTicks   ea_erm_lookback_price   (EaErm             *self,
                                   EaTimeUs           t,
                                   EaTicks            fallback);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaErm, ea_erm_free)

G_END_DECLS
