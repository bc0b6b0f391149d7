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

gint64
ea_instrument_ticks_per_unit (const EaInstrumentSpec *spec)
{
  g_return_val_if_fail (spec != NULL, 1);

  return ea_instrument_extra (spec)->ticks_per_unit;
}

EaMicros
ea_instrument_point_value (const EaInstrumentSpec *spec)
{
  g_return_val_if_fail (spec != NULL, 0);

  return spec->tick_value * ea_instrument_extra (spec)->ticks_per_unit;
}

guint
ea_instrument_price_decimals (const EaInstrumentSpec *spec)
{
  const EaInstrumentExtra *extra;
  guint decimals = 0;
  gint64 pow10 = 1;

  g_return_val_if_fail (spec != NULL, 0);

  extra = ea_instrument_extra (spec);
  if (extra->style == EA_PRICE_STYLE_DECIMAL)
    return extra->decimals;

  /* The fewest decimals in which one tick is exact. */
  while (pow10 % extra->ticks_per_unit != 0)
    {
      pow10 *= 10;
      decimals++;
    }

  return decimals;
}

gboolean
ea_instrument_ticks_value_checked (const EaInstrumentSpec *spec,
                                   EaTicks                 ticks,
                                   gint64                  qty,
                                   EaMicros               *out)
{
  EaMicros per_contract;
  gboolean negative;

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  negative = (ticks < 0) != (qty < 0);
  if (ticks == 0 || qty == 0)
    {
      *out = 0;
      return TRUE;
    }
  if (__builtin_mul_overflow (ticks, spec->tick_value, &per_contract)
      || __builtin_mul_overflow (per_contract, qty, out))
    {
      *out = negative ? G_MININT64 : G_MAXINT64;
      return FALSE;
    }

  return TRUE;
}

static void
append_decimal (GString    *s,
                guint64     magnitude,
                gint64      ticks_per_unit,
                guint       decimals)
{
  guint64 units = magnitude / (guint64) ticks_per_unit;
  guint64 rem = magnitude % (guint64) ticks_per_unit;
  guint64 pow10 = 1;

  for (guint i = 0; i < decimals; i++)
    pow10 *= 10;

  g_string_append_printf (s, "%" G_GUINT64_FORMAT, units);
  if (decimals > 0)
    g_string_append_printf (s, ".%0*" G_GUINT64_FORMAT, (int) decimals,
                            rem * pow10 / (guint64) ticks_per_unit);
}

char *
ea_instrument_format_price (const EaInstrumentSpec *spec,
                            EaTicks                 ticks)
{
  const EaInstrumentExtra *extra;
  GString *s;
  guint64 magnitude;

  g_return_val_if_fail (spec != NULL, NULL);

  extra = ea_instrument_extra (spec);
  s = g_string_sized_new (24);
  magnitude = ticks < 0 ? 0 - (guint64) ticks : (guint64) ticks;
  if (ticks < 0)
    g_string_append_c (s, '-');

  switch (extra->style)
    {
    case EA_PRICE_STYLE_DECIMAL:
      append_decimal (s, magnitude, extra->ticks_per_unit, extra->decimals);
      break;

    case EA_PRICE_STYLE_32NDS:
      {
        /* Count in 128ths so that ZB and ZN share one path. */
        guint64 per_tick = 128 / (guint64) extra->ticks_per_unit;
        guint64 units = magnitude / (guint64) extra->ticks_per_unit;
        guint64 q128 = (magnitude % (guint64) extra->ticks_per_unit) * per_tick;
        static const char quarter_digit[] = { '0', '2', '5', '7' };

        g_string_append_printf (s, "%" G_GUINT64_FORMAT "-%02u", units, (guint) (q128 / 4));
        if (extra->ticks_per_unit > 32)
          g_string_append_c (s, quarter_digit[q128 % 4]);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  return g_string_free (s, FALSE);
}

char *
ea_instrument_format_price_decimal (const EaInstrumentSpec *spec,
                                    EaTicks                 ticks)
{
  GString *s;
  guint64 magnitude;

  g_return_val_if_fail (spec != NULL, NULL);

  s = g_string_sized_new (24);
  magnitude = ticks < 0 ? 0 - (guint64) ticks : (guint64) ticks;
  if (ticks < 0)
    g_string_append_c (s, '-');
  append_decimal (s, magnitude, ea_instrument_extra (spec)->ticks_per_unit,
                  ea_instrument_price_decimals (spec));

  return g_string_free (s, FALSE);
}

static gboolean
price_error (const char  *str,
             int          code,
             const char  *why,
             GError     **error)
{
  g_set_error (error, EA_INSTRUMENT_ERROR, code, "“%s” is not a price: %s", str, why);
  return FALSE;
}

/* Reads decimal digits from *p up to @end into *value; FALSE on overflow
 * past @limit. */
static gboolean
read_digits (const char **p,
             const char  *end,
             guint64      limit,
             guint64     *value,
             guint       *n_digits)
{
  *value = 0;
  *n_digits = 0;
  for (; *p < end && g_ascii_isdigit (**p); (*p)++, (*n_digits)++)
    {
      *value = *value * 10 + (guint64) (**p - '0');
      if (*value > limit)
        return FALSE;
    }
  return TRUE;
}

#define FRACTION_DIGITS 12
#define FRACTION_SCALE  G_GUINT64_CONSTANT (1000000000000)

gboolean
ea_instrument_parse_price (const EaInstrumentSpec *spec,
                           const char             *str,
                           EaTicks                *out,
                           GError                **error)
{
  const EaInstrumentExtra *extra;
  const char *p;
  const char *end;
  gboolean negative = FALSE;
  guint64 tpu;
  guint64 units;
  guint64 magnitude;
  guint n;

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (str == NULL)
    return price_error ("(null)", EA_INSTRUMENT_ERROR_MALFORMED, "empty", error);

  extra = ea_instrument_extra (spec);
  tpu = (guint64) extra->ticks_per_unit;
  p = str;
  end = str + strlen (str);
  while (p < end && g_ascii_isspace (*p))
    p++;
  while (end > p && g_ascii_isspace (end[-1]))
    end--;

  if (p < end && (*p == '+' || *p == '-'))
    negative = *p++ == '-';

  if (!read_digits (&p, end, (guint64) EA_TICKS_LIMIT / tpu, &units, &n))
    return price_error (str, EA_INSTRUMENT_ERROR_OUT_OF_RANGE, "too large", error);

  if (extra->style == EA_PRICE_STYLE_32NDS && p < end && *p == '-')
    {
      guint64 digits;
      guint64 q128;
      guint64 per_tick = 128 / tpu;

      if (n == 0)
        return price_error (str, EA_INSTRUMENT_ERROR_MALFORMED, "no points before the 32nds", error);
      p++;
      if (!read_digits (&p, end, 999, &digits, &n) || p != end || (n != 2 && n != 3))
        return price_error (str, EA_INSTRUMENT_ERROR_MALFORMED,
                            "expected two digits of 32nds and an optional fraction digit", error);
      if (n == 3)
        {
          static const int quarters[10] = { 0, -1, 1, -1, -1, 2, -1, 3, -1, -1 };
          int quarter = quarters[digits % 10];

          if (quarter < 0)
            return price_error (str, EA_INSTRUMENT_ERROR_MALFORMED,
                                "the digit after the 32nds must be 0, 2, 5 or 7", error);
          q128 = (digits / 10) * 4 + (guint64) quarter;
          digits /= 10;
        }
      else
        {
          q128 = digits * 4;
        }
      if (digits >= 32)
        return price_error (str, EA_INSTRUMENT_ERROR_MALFORMED, "32nds must be below 32", error);

      /* Nearest tick, half away from zero. */
      magnitude = units * tpu + (q128 + per_tick / 2) / per_tick;
    }
  else
    {
      guint64 fraction = 0;
      guint n_fraction = 0;
      gboolean have_digits = n > 0;

      if (p < end && *p == '.')
        {
          for (p++; p < end && g_ascii_isdigit (*p); p++)
            {
              have_digits = TRUE;
              if (n_fraction < FRACTION_DIGITS)
                {
                  fraction = fraction * 10 + (guint64) (*p - '0');
                  n_fraction++;
                }
            }
          for (; n_fraction < FRACTION_DIGITS; n_fraction++)
            fraction *= 10;
        }
      if (p != end)
        return price_error (str, EA_INSTRUMENT_ERROR_MALFORMED, "unexpected character", error);
      if (!have_digits)
        return price_error (str, EA_INSTRUMENT_ERROR_MALFORMED, "no digits", error);

      /* Round fraction × tpu to the nearest tick, half up on the magnitude.
       * Digits beyond the twelfth cannot change the result: with
       * tpu = 2^a·5^b ≤ 20000 every half-tick boundary has at most seven
       * decimals, so a truncated tail never crosses one. */
      magnitude = units * tpu + (2 * fraction * tpu + FRACTION_SCALE) / (2 * FRACTION_SCALE);
    }

  if (magnitude > (guint64) EA_TICKS_LIMIT)
    return price_error (str, EA_INSTRUMENT_ERROR_OUT_OF_RANGE, "too large", error);

  *out = negative ? -(EaTicks) magnitude : (EaTicks) magnitude;
  return TRUE;
}
