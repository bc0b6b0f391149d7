/* ea-instrument.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The table of supported roots (DOMAIN §2) and price <-> tick conversion.
 */
#define G_LOG_DOMAIN "ea-instrument"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-instrument-private.h"

G_DEFINE_QUARK (ea-instrument-error-quark, ea_instrument_error)

#define USD(units, micros) ((EaMicros) (units) * EA_MICROS_PER_UNIT + (micros))

/* Every tick size of the table is 1 / ticks_per_unit with ticks_per_unit an
 * integer of the form 2^a·5^b, so each tick has an exact decimal expansion;
 * the rational form below is what conversion and formatting use. */
static const EaInstrumentSpec specs[] = {
  { "ES",  "E-mini S&P 500",            "CME",   "ES",  1,  0.25,    USD (12, 500000), "HMUZ",         USD (500, 0), 4.0 },
  { "MES", "Micro E-mini S&P 500",      "CME",   "ES",  10, 0.25,    USD (1, 250000),  "HMUZ",         USD (50, 0),  4.0 },
  { "NQ",  "E-mini Nasdaq-100",         "CME",   "NQ",  1,  0.25,    USD (5, 0),       "HMUZ",         USD (500, 0), 15.0 },
  { "MNQ", "Micro E-mini Nasdaq-100",   "CME",   "NQ",  10, 0.25,    USD (0, 500000),  "HMUZ",         USD (50, 0),  15.0 },
  { "YM",  "E-mini Dow ($5)",           "CBOT",  "YM",  1,  1.0,     USD (5, 0),       "HMUZ",         USD (500, 0), 40.0 },
  { "MYM", "Micro E-mini Dow",          "CBOT",  "YM",  10, 1.0,     USD (0, 500000),  "HMUZ",         USD (50, 0),  40.0 },
  { "RTY", "E-mini Russell 2000",       "CME",   "RTY", 1,  0.1,     USD (5, 0),       "HMUZ",         USD (500, 0), 8.0 },
  { "M2K", "Micro E-mini Russell 2000", "CME",   "RTY", 10, 0.1,     USD (0, 500000),  "HMUZ",         USD (50, 0),  8.0 },
  { "CL",  "Crude Oil",                 "NYMEX", "CL",  1,  0.01,    USD (10, 0),      "FGHJKMNQUVXZ", USD (500, 0), 0.8 },
  { "MCL", "Micro Crude Oil",           "NYMEX", "CL",  10, 0.01,    USD (1, 0),       "FGHJKMNQUVXZ", USD (50, 0),  0.8 },
  { "GC",  "Gold",                      "COMEX", "GC",  1,  0.1,     USD (10, 0),      "GJMQVZ",       USD (500, 0), 10.0 },
  { "MGC", "Micro Gold",                "COMEX", "GC",  10, 0.1,     USD (1, 0),       "GJMQVZ",       USD (50, 0),  10.0 },
  { "6E",  "Euro FX",                   "CME",   "6E",  1,  0.00005, USD (6, 250000),  "HMUZ",         USD (500, 0), 0.0008 },
  { "ZB",  "30-Year U.S. Treasury Bond","CBOT",  "ZB",  1,  1.0 / 32, USD (31, 250000), "HMUZ",        USD (500, 0), 0.5 },
  { "ZN",  "10-Year U.S. Treasury Note","CBOT",  "ZN",  1,  1.0 / 64, USD (15, 625000), "HMUZ",        USD (500, 0), 0.25 },
};

static const EaInstrumentExtra extras[G_N_ELEMENTS (specs)] = {
  { 4,     2, EA_PRICE_STYLE_DECIMAL, EA_EXPIRY_EQUITY_INDEX },
  { 4,     2, EA_PRICE_STYLE_DECIMAL, EA_EXPIRY_EQUITY_INDEX },
  { 4,     2, EA_PRICE_STYLE_DECIMAL, EA_EXPIRY_EQUITY_INDEX },
  { 4,     2, EA_PRICE_STYLE_DECIMAL, EA_EXPIRY_EQUITY_INDEX },
  { 1,     0, EA_PRICE_STYLE_DECIMAL, EA_EXPIRY_EQUITY_INDEX },
  { 1,     0, EA_PRICE_STYLE_DECIMAL, EA_EXPIRY_EQUITY_INDEX },
  { 10,    1, EA_PRICE_STYLE_DECIMAL, EA_EXPIRY_EQUITY_INDEX },
  { 10,    1, EA_PRICE_STYLE_DECIMAL, EA_EXPIRY_EQUITY_INDEX },
  { 100,   2, EA_PRICE_STYLE_DECIMAL, EA_EXPIRY_CRUDE },
  { 100,   2, EA_PRICE_STYLE_DECIMAL, EA_EXPIRY_MICRO_CRUDE },
  { 10,    1, EA_PRICE_STYLE_DECIMAL, EA_EXPIRY_METAL },
  { 10,    1, EA_PRICE_STYLE_DECIMAL, EA_EXPIRY_METAL },
  { 20000, 5, EA_PRICE_STYLE_DECIMAL, EA_EXPIRY_FX },
  { 32,    0, EA_PRICE_STYLE_32NDS,   EA_EXPIRY_TREASURY },
  { 64,    0, EA_PRICE_STYLE_32NDS,   EA_EXPIRY_TREASURY },
};

const EaInstrumentExtra *
ea_instrument_extra (const EaInstrumentSpec *spec)
{
  g_assert (spec >= specs && spec < specs + G_N_ELEMENTS (specs));

  return &extras[spec - specs];
}

const EaInstrumentSpec *
ea_instrument_lookup (const char *root)
{
  if (root == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      if (strcmp (specs[i].root, root) == 0)
        return &specs[i];
    }

  return NULL;
}

const EaInstrumentSpec *
ea_instrument_all (guint *n_specs)
{
  if (n_specs != NULL)
    *n_specs = G_N_ELEMENTS (specs);

  return specs;
}

/* Largest magnitude, in ticks, that price_to_ticks returns: far beyond any
 * real price, small enough that ticks × tick value × qty stays in range for
 * sane quantities. */
#define EA_TICKS_LIMIT G_GINT64_CONSTANT (1000000000000000) /* 1e15 */

EaTicks
ea_instrument_price_to_ticks (const EaInstrumentSpec *spec,
                              double                  price)
{
  const EaInstrumentExtra *extra;
  double ticks;

  g_return_val_if_fail (spec != NULL, 0);

  extra = ea_instrument_extra (spec);

  /* Multiplying by the integer ticks per unit is exact for the table's
   * ticks; dividing by 0.00005 or 0.1 would not be. */
  ticks = round (price * (double) extra->ticks_per_unit);

  if (isnan (ticks))
    return 0;
  if (ticks > (double) EA_TICKS_LIMIT)
    return EA_TICKS_LIMIT;
  if (ticks < -(double) EA_TICKS_LIMIT)
    return -EA_TICKS_LIMIT;

  return (EaTicks) ticks;
}

double
ea_instrument_ticks_to_price (const EaInstrumentSpec *spec,
                              EaTicks                 ticks)
{
  g_return_val_if_fail (spec != NULL, 0.0);

  return (double) ticks / (double) ea_instrument_extra (spec)->ticks_per_unit;
}
