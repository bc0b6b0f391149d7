/* ea-signal.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Enigma signals, their quality score and the signal cadence (DOMAIN §5).
 *
 * Quality is computed in integer tenths so that the tradeable boundary
 * (0.6) is exact: power >= 20 +3, >= 15 +2, >= 10 +1; confluence L4 +3,
 * L3 +2, L2 +1; MACVU GREEN +2, NEUTRAL +1; any colour but NONE +2. The
 * maximum is 10 (1.0); tradeable at 6 or more.
 */
#pragma once

#include <glib.h>

#include "ea-core-types.h"
#include "ea-session.h"

G_BEGIN_DECLS

#define EA_SIGNAL_ERROR (ea_signal_error_quark ())

typedef enum
{
  EA_SIGNAL_ERROR_PARSE,
  EA_SIGNAL_ERROR_INVALID,
} EaSignalError;

typedef enum
{
  EA_SIGNAL_COLOR_NONE,
  EA_SIGNAL_COLOR_GREEN,
  EA_SIGNAL_COLOR_RED,
  EA_SIGNAL_COLOR_BLUE,
  EA_SIGNAL_COLOR_PINK,
} EaSignalColor;

typedef enum
{
  EA_MACVU_NEUTRAL,
  EA_MACVU_GREEN,
  EA_MACVU_RED,
  EA_MACVU_YELLOW,
} EaMacvu;

typedef enum
{
  EA_CONFLUENCE_L0,
  EA_CONFLUENCE_L1,
  EA_CONFLUENCE_L2,
  EA_CONFLUENCE_L3,
  EA_CONFLUENCE_L4,
} EaConfluence;

#define EA_SIGNAL_NAME_MAX        32
#define EA_SIGNAL_MIN_POWER       10
#define EA_SIGNAL_MAX_POWER       100
#define EA_SIGNAL_TRADEABLE_TENTHS 6
#define EA_SIGNAL_DEFAULT_CONFIDENCE 0.7

typedef struct
{
  EaTimeUs      time;
  char          instrument[EA_SIGNAL_NAME_MAX];  /* root or contract, "ES", "ESZ6" */
  EaSide        direction;
  EaTicks       entry;
  guint         power;       /* 10 … 100, or 0 when the signal has none */
  EaConfluence  confluence;
  EaSignalColor color;
  EaMacvu       macvu;
  double        atr;         /* ticks; 0 when unknown */
  char          source[EA_SIGNAL_NAME_MAX];      /* "webhook", "manual" … */
} EaSignal;

GQuark        ea_signal_error_quark         (void);

/* Long, no power, L0, no colour, MACVU NEUTRAL, empty names. */
void          ea_signal_init                (EaSignal       *signal);
/* Names must be non-empty UTF-8 shorter than EA_SIGNAL_NAME_MAX bytes. */
gboolean      ea_signal_set_instrument      (EaSignal       *signal,
                                             const char     *instrument,
                                             GError        **error);
gboolean      ea_signal_set_source          (EaSignal       *signal,
                                             const char     *source,
                                             GError        **error);
/* Checks every field: a signal from outside must pass before use. */
gboolean      ea_signal_validate            (const EaSignal *signal,
                                             GError        **error);

/* A raw power score: itself when within 10 … 100, else 0 (no score). */
guint         ea_signal_normalize_power     (gint64          raw);

guint         ea_signal_quality_tenths      (const EaSignal *signal);
double        ea_signal_quality             (const EaSignal *signal);
gboolean      ea_signal_is_tradeable        (const EaSignal *signal);
/* power / 100, or 0.7 when the signal has no power score (Kelly's c). */
double        ea_signal_confidence          (const EaSignal *signal);

/* Upper-case names ("GREEN", "L3", "LONG"); parsing ignores case and
 * surrounding spaces. Direction parses LONG/BUY/1 and SHORT/SELL/-1;
 * confluence L0…L4 or 0…4. */
const char   *ea_signal_color_to_string     (EaSignalColor   color);
gboolean      ea_signal_color_from_string   (const char     *str,
                                             EaSignalColor  *out,
                                             GError        **error);
const char   *ea_macvu_to_string            (EaMacvu         macvu);
gboolean      ea_macvu_from_string          (const char     *str,
                                             EaMacvu        *out,
                                             GError        **error);
const char   *ea_confluence_to_string       (EaConfluence    level);
gboolean      ea_confluence_from_string     (const char     *str,
                                             EaConfluence   *out,
                                             GError        **error);
const char   *ea_signal_direction_to_string (EaSide          direction);
gboolean      ea_signal_direction_from_string (const char   *str,
                                               EaSide       *out,
                                               GError      **error);

/* Cadence: consecutive failed signals per ET session window of one
 * trading day. A setup is high-probability after >= 2 failures in AM or
 * >= 3 in PM; a win resets that window's count; a new trading day resets
 * both. Outcomes outside AM/PM (EA_ET_WINDOW_NONE) are not counted. */
#define EA_CADENCE_AM_FAILURES 2
#define EA_CADENCE_PM_FAILURES 3

typedef struct
{
  guint32 trading_day;
  guint   am_failures;
  guint   pm_failures;
} EaCadence;

void          ea_cadence_init               (EaCadence      *cadence);
void          ea_cadence_record             (EaCadence      *cadence,
                                             guint32         trading_day,
                                             EaEtWindow      window,
                                             gboolean        won);
guint         ea_cadence_failures           (const EaCadence *cadence,
                                             guint32          trading_day,
                                             EaEtWindow       window);
gboolean      ea_cadence_is_high_probability (const EaCadence *cadence,
                                              guint32          trading_day,
                                              EaEtWindow       window);

G_END_DECLS
