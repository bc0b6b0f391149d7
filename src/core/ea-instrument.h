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

/* Decimal price <-> integer ticks, round to nearest (half away from
 * zero). NaN gives 0; magnitudes beyond 10^15 ticks are clamped. */
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

/* ea_instrument_ticks_value() with overflow checks: FALSE, and @out
 * saturated to G_MININT64/G_MAXINT64, when the product does not fit. */
gboolean                ea_instrument_ticks_value_checked (const EaInstrumentSpec *spec,
                                                           EaTicks                 ticks,
                                                           gint64                  qty,
                                                           EaMicros               *out);

/* Ticks in one price unit (1 / tick size): 4 for ES, 20000 for 6E, 64 for
 * ZN. Every tick size of the table is exactly 1 / this integer. */
gint64                  ea_instrument_ticks_per_unit (const EaInstrumentSpec *spec);

/* Decimals of an exact decimal price: 2 for ES, 0 for YM, 5 for 6E, 5 for
 * ZB (1/32 = 0.03125), 6 for ZN (1/64 = 0.015625). */
guint                   ea_instrument_price_decimals (const EaInstrumentSpec *spec);

/* The display form of a price: "5001.25" (ES), "39123" (YM), "1.08505"
 * (6E), "-37.63" (CL); ZB and ZN in points and 32nds: "110-16" (ZB),
 * "110-165" = 110 + 16.5/32 and "110-160" = 110 + 16/32 (ZN). */
char                   *ea_instrument_format_price   (const EaInstrumentSpec *spec,
                                                      EaTicks                 ticks);

/* The exact decimal form with ea_instrument_price_decimals() decimals, for
 * the wire: "5001.25", "110.515625" (ZN). */
char                   *ea_instrument_format_price_decimal (const EaInstrumentSpec *spec,
                                                            EaTicks                 ticks);

/* Parses either form above (and, for ZB/ZN, 32nds with or without the
 * fraction digit: "110-16", "110-160", "110-165"; the digit after the
 * 32nds is 0, 2, 5 or 7 for 0, 1/4, 1/2, 3/4 of a 32nd) into ticks,
 * without floating point. Surrounding ASCII whitespace and a leading "+"
 * or "-" are accepted. A price between ticks rounds to the nearest tick,
 * half away from zero. Errors: EA_INSTRUMENT_ERROR_MALFORMED (empty,
 * stray characters, 32nds ≥ 32), EA_INSTRUMENT_ERROR_OUT_OF_RANGE (beyond
 * ±10^15 ticks). @out is unchanged on error. */
gboolean                ea_instrument_parse_price    (const EaInstrumentSpec *spec,
                                                      const char             *str,
                                                      EaTicks                *out,
                                                      GError                **error);

G_END_DECLS
