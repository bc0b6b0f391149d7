/* ea-instrument.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The futures roots Enigma Apex trades (DOMAIN §2), their contract months
 * and every venue's symbology.
 */
#pragma once

#include <glib.h>

#include "ea-core-types.h"

G_BEGIN_DECLS

#define EA_INSTRUMENT_ERROR (ea_instrument_error_quark ())

typedef enum
{
  EA_INSTRUMENT_ERROR_UNKNOWN_ROOT,
  EA_INSTRUMENT_ERROR_MALFORMED,
  EA_INSTRUMENT_ERROR_BAD_MONTH,
  EA_INSTRUMENT_ERROR_OUT_OF_RANGE,
} EaInstrumentError;

typedef struct
{
  const char *root;               /* "ES" */
  const char *description;        /* "E-mini S&P 500" */
  const char *exchange;           /* "CME", "CBOT", "NYMEX", "COMEX" */
  const char *family;             /* correlated family: "ES" for ES and MES */
  guint       micro_ratio;        /* contracts of this root per mini: 1, or 10 for micros */
  double      tick_size;          /* in price units: 0.25, 1/64 … */
  EaMicros    tick_value;         /* per contract per tick: $12.50 = 12500000 */
  const char *months;             /* listed month codes: "HMUZ", "FGHJKMNQUVXZ" */
  EaMicros    day_margin;         /* Demo default per-contract day margin */
  double      default_atr_points; /* ERM's ATR before 14 bars exist (DOMAIN §4) */
} EaInstrumentSpec;

/* Symbology of a venue (DOMAIN §2). */
typedef enum
{
  EA_SYMBOLOGY_TRADOVATE,   /* ESZ6: one-digit year */
  EA_SYMBOLOGY_CME,         /* ESZ26 */
  EA_SYMBOLOGY_NINJATRADER, /* ES 12-26 */
  EA_SYMBOLOGY_IBKR,        /* localSymbol ESZ6 */
} EaSymbology;

/* One listed contract: a root and its delivery month. */
typedef struct
{
  const EaInstrumentSpec *spec;
  guint16                 year;  /* 2026 */
  guint8                  month; /* 1..12 */
} EaContract;

GQuark                  ea_instrument_error_quark (void);

/* NULL when the root is not one of the supported roots. */
const EaInstrumentSpec *ea_instrument_lookup      (const char              *root);
const EaInstrumentSpec *ea_instrument_all         (guint                   *n_specs);

/* Decimal price <-> integer ticks, round to nearest. */
EaTicks                 ea_instrument_price_to_ticks (const EaInstrumentSpec *spec,
                                                      double                  price);
double                  ea_instrument_ticks_to_price (const EaInstrumentSpec *spec,
                                                      EaTicks                 ticks);

/* Money of @ticks price ticks for @qty contracts. */
static inline EaMicros
ea_instrument_ticks_value (const EaInstrumentSpec *spec,
                           EaTicks                 ticks,
                           gint64                  qty)
{
  return ticks * spec->tick_value * qty;
}

G_END_DECLS
