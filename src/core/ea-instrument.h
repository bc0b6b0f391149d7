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

/* NULL when the root is not one of the supported roots (exact match, upper
 * case: "ES", "M2K", "6E"). ea_instrument_all() lists the table in the
 * order of DOMAIN §2. */
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

/* Money of one full point (price unit) per contract: $50 for ES, $125,000
 * for 6E, $1,000 for ZN. */
EaMicros                ea_instrument_point_value    (const EaInstrumentSpec *spec);

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

/* Contract months (ea-contract.c).
 *
 * Dates are YYYYMMDD integers, like trading-day ids. Business days are
 * Monday to Friday: exchange holidays are not modelled, so a rule such as
 * "the 7th business day before the last business day" can land a day later
 * than the exchange's calendar in a month with a holiday.
 *
 * Last trade day per family:
 * - equity index (ES MES NQ MNQ YM MYM RTY M2K): 3rd Friday of the contract
 *   month, trading stops 09:30 ET;
 * - ZN, ZB: 7th business day before the last business day of the contract
 *   month, 12:01 CT;
 * - 6E: 2nd business day before the 3rd Wednesday of the contract month,
 *   09:16 CT;
 * - CL: 3 business days before the 25th of the month before the contract
 *   month, or 4 when the 25th is not a business day; MCL: one business day
 *   before CL; 13:30 CT (14:30 ET);
 * - GC, MGC: 3rd last business day of the contract month, 12:30 CT.
 *
 * Roll day (from which the next contract is the front month):
 * - equity index: 8 calendar days before the last trade day (the Thursday
 *   of the week before expiry);
 * - 6E: 5 business days before the last trade day;
 * - CL, MCL: 5 business days before CL's last trade day (the family rolls
 *   together);
 * - ZN, ZB, GC, MGC (physically delivered, notices start at the end of the
 *   month before): 5 business days before the first business day of the
 *   contract month.
 *
 * Symbols parse case-insensitively ("esz6" is ESZ6) and format in upper
 * case; no surrounding whitespace is accepted. Years are 2000–2099. */

/* 'F'..'Z' for 1..12; 0 for anything else. */
char        ea_contract_month_code      (guint                   month);
/* 1..12 for a month code (either case); 0 for anything else. */
guint       ea_contract_month_from_code (char                    code);
/* TRUE when @month (1..12) is a listed contract month of @spec. */
gboolean    ea_instrument_lists_month   (const EaInstrumentSpec *spec,
                                         guint                   month);

/* Fills @contract after checking that @month is listed and @year is in
 * 2000–2099 (EA_INSTRUMENT_ERROR_BAD_MONTH, _OUT_OF_RANGE). */
gboolean    ea_contract_init            (EaContract             *contract,
                                         const EaInstrumentSpec *spec,
                                         guint                   year,
                                         guint                   month,
                                         GError                **error);

guint32     ea_contract_last_trade_day  (const EaContract       *contract);
/* The instant trading terminates on the last trade day (in its zone). */
GDateTime  *ea_contract_expiry          (const EaContract       *contract);
guint32     ea_contract_roll_day        (const EaContract       *contract);

/* The listed contract after @contract. */
void        ea_contract_next            (const EaContract       *contract,
                                         EaContract             *next);

/* The front month on @day (YYYYMMDD): the first listed contract whose roll
 * day is after @day. FALSE when @day is not a valid date or the front
 * month would fall outside 2000–2099. */
gboolean    ea_contract_front           (const EaInstrumentSpec *spec,
                                         guint32                 day,
                                         EaContract             *out);

/* Parses @symbol in @symbology. One-digit years (Tradovate, IBKR) resolve
 * to the contract with the nearest last trade day on or after
 * @reference_day (YYYYMMDD): on 20261124 ESZ6 is December 2026 and ESH7
 * March 2027; on 20290601 ESZ6 is December 2036. The root is whatever
 * precedes the month code, so MESZ6 is MES and M2KZ6 is M2K. Errors:
 * _MALFORMED (shape), _UNKNOWN_ROOT, _BAD_MONTH (not a month code, or not
 * listed for the root: ESF6), _OUT_OF_RANGE (year outside 2000–2099, or a
 * bad @reference_day). @out is unchanged on error. */
gboolean    ea_contract_parse           (const char             *symbol,
                                         EaSymbology             symbology,
                                         guint32                 reference_day,
                                         EaContract             *out,
                                         GError                **error);

/* Like ea_contract_parse(), recognising the form: "ES 12-26"
 * (NinjaTrader), "ESZ26" (CME) or "ESZ6" (Tradovate; IBKR is the same).
 * @symbology, if not NULL, receives the form found. */
gboolean    ea_contract_parse_any       (const char             *symbol,
                                         guint32                 reference_day,
                                         EaContract             *out,
                                         EaSymbology            *symbology,
                                         GError                **error);

/* What a trader typed ("es", "ESZ6", "ESZ26", "ES 12-26", with spaces
 * around) as the desk trades it on @day: a root stays a root; the front
 * month of a root becomes the root, since every adapter resolves a root to
 * the same front month; any other contract month becomes its Tradovate
 * form ("ESH7"). An expired contract is refused (_OUT_OF_RANGE). */
char       *ea_contract_desk_symbol     (const char             *text,
                                         guint32                 day,
                                         GError                **error);

/* "ESZ6", "ESZ26", "ES 12-26". */
char       *ea_contract_format          (const EaContract       *contract,
                                         EaSymbology             symbology);

gboolean    ea_contract_equal           (const EaContract       *a,
                                         const EaContract       *b);

G_END_DECLS
