/* ea-contract.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Contract months, last trade and roll days, and each venue's symbology.
 * The rules are documented in ea-instrument.h. Business days are weekdays:
 * exchange holidays are not modelled.
 */
#define G_LOG_DOMAIN "ea-contract"

#include "config.h"

#include <string.h>

#include "ea-instrument-private.h"
#include "ea-session.h"

#define MIN_YEAR 2000
#define MAX_YEAR 2099

static const char month_codes[] = "FGHJKMNQUVXZ";

char
ea_contract_month_code (guint month)
{
  if (month < 1 || month > 12)
    return 0;

  return month_codes[month - 1];
}

guint
ea_contract_month_from_code (char code)
{
  const char *found;

  if (code == 0)
    return 0;

  found = strchr (month_codes, g_ascii_toupper (code));
  return found != NULL ? (guint) (found - month_codes) + 1 : 0;
}

gboolean
ea_instrument_lists_month (const EaInstrumentSpec *spec,
                           guint                   month)
{
  char code = ea_contract_month_code (month);

  g_return_val_if_fail (spec != NULL, FALSE);

  return code != 0 && strchr (spec->months, code) != NULL;
}

gboolean
ea_contract_init (EaContract             *contract,
                  const EaInstrumentSpec *spec,
                  guint                   year,
                  guint                   month,
                  GError                **error)
{
  g_return_val_if_fail (contract != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  if (!ea_instrument_lists_month (spec, month))
    {
      g_set_error (error, EA_INSTRUMENT_ERROR, EA_INSTRUMENT_ERROR_BAD_MONTH,
                   "Month %u is not a listed contract month of %s (listed: %s)",
                   month, spec->root, spec->months);
      return FALSE;
    }
  if (year < MIN_YEAR || year > MAX_YEAR)
    {
      g_set_error (error, EA_INSTRUMENT_ERROR, EA_INSTRUMENT_ERROR_OUT_OF_RANGE,
                   "Year %u is outside %d–%d", year, MIN_YEAR, MAX_YEAR);
      return FALSE;
    }

  contract->spec = spec;
  contract->year = (guint16) year;
  contract->month = (guint8) month;
  return TRUE;
}

/* Calendar helpers on GDate. */

static void
set_date (GDate *date,
          guint  year,
          guint  month,
          guint  day)
{
  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

static guint32
date_to_day (const GDate *date)
{
  return (guint32) g_date_get_year (date) * 10000
         + (guint32) g_date_get_month (date) * 100
         + (guint32) g_date_get_day (date);
}

static gboolean
day_to_date (guint32  day,
             GDate   *date)
{
  guint y = day / 10000;
  guint m = day / 100 % 100;
  guint d = day % 100;

  if (y < 1 || y > 9999 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;

  set_date (date, y, m, d);
  return TRUE;
}

static gboolean
is_business_day (const GDate *date)
{
  GDateWeekday wd = g_date_get_weekday (date);

  return wd != G_DATE_SATURDAY && wd != G_DATE_SUNDAY;
}

/* Moves @date back by @n business days (the day itself not counted). */
static void
business_days_back (GDate *date,
                    guint  n)
{
  while (n > 0)
    {
      g_date_subtract_days (date, 1);
      if (is_business_day (date))
        n--;
    }
}

static void
last_business_day (GDate *date,
                   guint  year,
                   guint  month)
{
  set_date (date, year, month, g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year));
  while (!is_business_day (date))
    g_date_subtract_days (date, 1);
}

static void
first_business_day (GDate *date,
                    guint  year,
                    guint  month)
{
  set_date (date, year, month, 1);
  while (!is_business_day (date))
    g_date_add_days (date, 1);
}

/* The @nth (1-based) @weekday of the month. */
static void
nth_weekday (GDate        *date,
             guint         year,
             guint         month,
             GDateWeekday  weekday,
             guint         nth)
{
  set_date (date, year, month, 1);
  while (g_date_get_weekday (date) != weekday)
    g_date_add_days (date, 1);
  g_date_add_days (date, 7 * (nth - 1));
}

static void
crude_last_trade (GDate *date,
                  guint  year,
                  guint  month)
{
  /* The 25th of the month before the contract month. */
  if (month == 1)
    set_date (date, year - 1, 12, 25);
  else
    set_date (date, year, month - 1, 25);

  business_days_back (date, is_business_day (date) ? 3 : 4);
}

static void
last_trade_date (const EaContract *contract,
                 GDate            *date)
{
  guint y = contract->year;
  guint m = contract->month;

  switch (ea_instrument_extra (contract->spec)->expiry)
    {
    case EA_EXPIRY_EQUITY_INDEX:
      nth_weekday (date, y, m, G_DATE_FRIDAY, 3);
      break;

    case EA_EXPIRY_TREASURY:
      last_business_day (date, y, m);
      business_days_back (date, 7);
      break;

    case EA_EXPIRY_FX:
      nth_weekday (date, y, m, G_DATE_WEDNESDAY, 3);
      business_days_back (date, 2);
      break;

    case EA_EXPIRY_CRUDE:
      crude_last_trade (date, y, m);
      break;

    case EA_EXPIRY_MICRO_CRUDE:
      crude_last_trade (date, y, m);
      business_days_back (date, 1);
      break;

    case EA_EXPIRY_METAL:
      last_business_day (date, y, m);
      business_days_back (date, 2);
      break;

    default:
      g_assert_not_reached ();
    }
}

guint32
ea_contract_last_trade_day (const EaContract *contract)
{
  GDate date;

  g_return_val_if_fail (contract != NULL && contract->spec != NULL, 0);

  last_trade_date (contract, &date);
  return date_to_day (&date);
}

GDateTime *
ea_contract_expiry (const EaContract *contract)
{
  GTimeZone *tz = ea_session_zone_chicago ();
  int hour = 0;
  int minute = 0;
  GDate date;

  g_return_val_if_fail (contract != NULL && contract->spec != NULL, NULL);

  last_trade_date (contract, &date);

  switch (ea_instrument_extra (contract->spec)->expiry)
    {
    case EA_EXPIRY_EQUITY_INDEX:
      tz = ea_session_zone_new_york ();
      hour = 9;
      minute = 30;
      break;

    case EA_EXPIRY_TREASURY:
      hour = 12;
      minute = 1;
      break;

    case EA_EXPIRY_FX:
      hour = 9;
      minute = 16;
      break;

    case EA_EXPIRY_CRUDE:
    case EA_EXPIRY_MICRO_CRUDE:
      hour = 13;
      minute = 30;
      break;

    case EA_EXPIRY_METAL:
      hour = 12;
      minute = 30;
      break;

    default:
      g_assert_not_reached ();
    }

  return g_date_time_new (tz, g_date_get_year (&date), g_date_get_month (&date),
                          g_date_get_day (&date), hour, minute, 0);
}

guint32
ea_contract_roll_day (const EaContract *contract)
{
  GDate date;

  g_return_val_if_fail (contract != NULL && contract->spec != NULL, 0);

  switch (ea_instrument_extra (contract->spec)->expiry)
    {
    case EA_EXPIRY_EQUITY_INDEX:
      last_trade_date (contract, &date);
      g_date_subtract_days (&date, 8);
      break;

    case EA_EXPIRY_FX:
      last_trade_date (contract, &date);
      business_days_back (&date, 5);
      break;

    case EA_EXPIRY_CRUDE:
    case EA_EXPIRY_MICRO_CRUDE:
      crude_last_trade (&date, contract->year, contract->month);
      business_days_back (&date, 5);
      break;

    case EA_EXPIRY_TREASURY:
    case EA_EXPIRY_METAL:
      first_business_day (&date, contract->year, contract->month);
      business_days_back (&date, 5);
      break;

    default:
      g_assert_not_reached ();
    }

  return date_to_day (&date);
}

void
ea_contract_next (const EaContract *contract,
                  EaContract       *next)
{
  guint year;
  guint month;

  g_return_if_fail (contract != NULL && contract->spec != NULL);
  g_return_if_fail (next != NULL);

  year = contract->year;
  month = contract->month;
  do
    {
      if (++month > 12)
        {
          month = 1;
          year++;
        }
    }
  while (!ea_instrument_lists_month (contract->spec, month));

  next->spec = contract->spec;
  next->year = (guint16) year;
  next->month = (guint8) month;
}

gboolean
ea_contract_front (const EaInstrumentSpec *spec,
                   guint32                 day,
                   EaContract             *out)
{
  EaContract c;
  GDate date;
  guint month;

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!day_to_date (day, &date) || g_date_get_year (&date) < MIN_YEAR
      || g_date_get_year (&date) > MAX_YEAR)
    return FALSE;

  /* Every contract of an earlier month has rolled before @day, so start at
   * the first listed month from the day's month on. */
  month = g_date_get_month (&date);
  c.spec = spec;
  c.year = g_date_get_year (&date);
  c.month = (guint8) month;
  if (!ea_instrument_lists_month (spec, month))
    {
      c.month = (guint8) (month - 1 > 0 ? month - 1 : 0);
      if (c.month == 0)
        {
          c.month = 12;
          c.year--;
        }
      ea_contract_next (&c, &c);
    }

  while (ea_contract_roll_day (&c) <= day)
    ea_contract_next (&c, &c);

  if (c.year > MAX_YEAR)
    return FALSE;

  *out = c;
  return TRUE;
}

gboolean
ea_contract_equal (const EaContract *a,
                   const EaContract *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->spec == b->spec && a->year == b->year && a->month == b->month;
}

/* Symbology. */

static gboolean
symbol_error (const char  *symbol,
              int          code,
              const char  *why,
              GError     **error)
{
  g_set_error (error, EA_INSTRUMENT_ERROR, code,
               "“%s” is not a contract symbol: %s", symbol, why);
  return FALSE;
}

/* Looks up the first @len characters of @upper as a root. */
static const EaInstrumentSpec *
lookup_root (const char  *symbol,
             const char  *upper,
             gsize        len,
             GError     **error)
{
  g_autofree char *root = NULL;
  const EaInstrumentSpec *spec;

  if (len == 0)
    {
      symbol_error (symbol, EA_INSTRUMENT_ERROR_MALFORMED, "no root", error);
      return NULL;
    }

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (upper[i]))
        {
          symbol_error (symbol, EA_INSTRUMENT_ERROR_MALFORMED, "stray character in the root", error);
          return NULL;
        }
    }

  root = g_strndup (upper, len);
  spec = ea_instrument_lookup (root);
  if (spec == NULL)
    g_set_error (error, EA_INSTRUMENT_ERROR, EA_INSTRUMENT_ERROR_UNKNOWN_ROOT,
                 "“%s” is not a contract symbol: unknown root “%s”", symbol, root);

  return spec;
}

static gboolean
month_from_letter (const char              *symbol,
                   const EaInstrumentSpec  *spec,
                   char                     letter,
                   guint                   *month,
                   GError                 **error)
{
  *month = ea_contract_month_from_code (letter);
  if (*month == 0)
    return symbol_error (symbol, EA_INSTRUMENT_ERROR_BAD_MONTH, "not a month code", error);
  if (!ea_instrument_lists_month (spec, *month))
    {
      g_set_error (error, EA_INSTRUMENT_ERROR, EA_INSTRUMENT_ERROR_BAD_MONTH,
                   "“%s” is not a contract symbol: %c is not a listed month of %s (listed: %s)",
                   symbol, letter, spec->root, spec->months);
      return FALSE;
    }
  return TRUE;
}

/* The nearest year ending in @digit whose contract's last trade day is on
 * or after @reference_day. */
static gboolean
resolve_year (const char              *symbol,
              const EaInstrumentSpec  *spec,
              guint                    month,
              guint                    digit,
              guint32                  reference_day,
              guint                   *year,
              GError                 **error)
{
  GDate ref;
  guint ref_year;

  if (!day_to_date (reference_day, &ref))
    {
      g_set_error (error, EA_INSTRUMENT_ERROR, EA_INSTRUMENT_ERROR_OUT_OF_RANGE,
                   "Cannot resolve “%s”: %u is not a reference date", symbol, reference_day);
      return FALSE;
    }

  ref_year = g_date_get_year (&ref);
  for (guint y = ref_year - ref_year % 10 + digit; y <= ref_year + 10; y += 10)
    {
      EaContract c = { spec, (guint16) y, (guint8) month };

      if (y < ref_year - 1)
        continue;
      if (ea_contract_last_trade_day (&c) >= reference_day)
        {
          if (y < MIN_YEAR || y > MAX_YEAR)
            break;
          *year = y;
          return TRUE;
        }
    }

  g_set_error (error, EA_INSTRUMENT_ERROR, EA_INSTRUMENT_ERROR_OUT_OF_RANGE,
               "“%s” resolves to a year outside %d–%d", symbol, MIN_YEAR, MAX_YEAR);
  return FALSE;
}

static gboolean
is_digit_at (const char *s,
             gsize       i)
{
  return g_ascii_isdigit (s[i]);
}

gboolean
ea_contract_parse (const char   *symbol,
                   EaSymbology   symbology,
                   guint32       reference_day,
                   EaContract   *out,
                   GError      **error)
{
  g_autofree char *upper = NULL;
  const EaInstrumentSpec *spec;
  gsize len;
  guint month = 0;
  guint year = 0;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (symbol == NULL || symbol[0] == '\0')
    return symbol_error (symbol != NULL ? symbol : "(null)", EA_INSTRUMENT_ERROR_MALFORMED,
                         "empty", error);

  upper = g_ascii_strup (symbol, -1);
  len = strlen (upper);

  switch (symbology)
    {
    case EA_SYMBOLOGY_TRADOVATE:
    case EA_SYMBOLOGY_IBKR:
      /* ROOT, month code, one-digit year: ESZ6. */
      if (len < 3 || !is_digit_at (upper, len - 1) || !g_ascii_isalpha (upper[len - 2]))
        return symbol_error (symbol, EA_INSTRUMENT_ERROR_MALFORMED,
                             "expected a root, a month code and a one-digit year (ESZ6)", error);
      if ((spec = lookup_root (symbol, upper, len - 2, error)) == NULL
          || !month_from_letter (symbol, spec, upper[len - 2], &month, error)
          || !resolve_year (symbol, spec, month, (guint) (upper[len - 1] - '0'),
                            reference_day, &year, error))
        return FALSE;
      break;

    case EA_SYMBOLOGY_CME:
      /* ROOT, month code, two-digit year: ESZ26. */
      if (len < 4 || !is_digit_at (upper, len - 1) || !is_digit_at (upper, len - 2)
          || !g_ascii_isalpha (upper[len - 3]))
        return symbol_error (symbol, EA_INSTRUMENT_ERROR_MALFORMED,
                             "expected a root, a month code and a two-digit year (ESZ26)", error);
      if ((spec = lookup_root (symbol, upper, len - 3, error)) == NULL
          || !month_from_letter (symbol, spec, upper[len - 3], &month, error))
        return FALSE;
      year = 2000 + (guint) (upper[len - 2] - '0') * 10 + (guint) (upper[len - 1] - '0');
      break;

    case EA_SYMBOLOGY_NINJATRADER:
      {
        /* ROOT MM-YY: ES 12-26. */
        const char *space = strchr (upper, ' ');
        const char *tail;

        if (space == NULL || strlen (space) != 6)
          return symbol_error (symbol, EA_INSTRUMENT_ERROR_MALFORMED,
                               "expected a root, a space and MM-YY (ES 12-26)", error);
        tail = space + 1;
        if (!is_digit_at (tail, 0) || !is_digit_at (tail, 1) || tail[2] != '-'
            || !is_digit_at (tail, 3) || !is_digit_at (tail, 4))
          return symbol_error (symbol, EA_INSTRUMENT_ERROR_MALFORMED,
                               "expected a root, a space and MM-YY (ES 12-26)", error);
        if ((spec = lookup_root (symbol, upper, (gsize) (space - upper), error)) == NULL)
          return FALSE;
        month = (guint) (tail[0] - '0') * 10 + (guint) (tail[1] - '0');
        if (month < 1 || month > 12)
          return symbol_error (symbol, EA_INSTRUMENT_ERROR_BAD_MONTH, "month must be 01–12", error);
        if (!month_from_letter (symbol, spec, ea_contract_month_code (month), &month, error))
          return FALSE;
        year = 2000 + (guint) (tail[3] - '0') * 10 + (guint) (tail[4] - '0');
      }
      break;

    default:
      return symbol_error (symbol, EA_INSTRUMENT_ERROR_MALFORMED, "unknown symbology", error);
    }

  return ea_contract_init (out, spec, year, month, error);
}

gboolean
ea_contract_parse_any (const char   *symbol,
                       guint32       reference_day,
                       EaContract   *out,
                       EaSymbology  *symbology,
                       GError      **error)
{
  EaSymbology found;
  gsize len;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  len = symbol != NULL ? strlen (symbol) : 0;
  if (symbol != NULL && strchr (symbol, ' ') != NULL)
    found = EA_SYMBOLOGY_NINJATRADER;
  else if (len >= 4 && is_digit_at (symbol, len - 1) && is_digit_at (symbol, len - 2))
    found = EA_SYMBOLOGY_CME;
  else
    found = EA_SYMBOLOGY_TRADOVATE;

  if (!ea_contract_parse (symbol, found, reference_day, out, error))
    return FALSE;

  if (symbology != NULL)
    *symbology = found;
  return TRUE;
}

char *
ea_contract_desk_symbol (const char  *text,
                         guint32      day,
                         GError     **error)
{
  g_autofree char *clean = NULL;
  const EaInstrumentSpec *spec;
  EaContract contract, front;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  clean = g_ascii_strup (text != NULL ? text : "", -1);
  g_strstrip (clean);
  if (*clean == '\0')
    {
      g_set_error_literal (error, EA_INSTRUMENT_ERROR, EA_INSTRUMENT_ERROR_MALFORMED,
                           "No symbol given");
      return NULL;
    }

  spec = ea_instrument_lookup (clean);
  if (spec != NULL)
    return g_strdup (spec->root);

  if (!ea_contract_parse_any (clean, day, &contract, NULL, error))
    return NULL;

  if (ea_contract_last_trade_day (&contract) < day)
    {
      g_set_error (error, EA_INSTRUMENT_ERROR, EA_INSTRUMENT_ERROR_OUT_OF_RANGE,
                   "%s has expired", clean);
      return NULL;
    }

  if (ea_contract_front (contract.spec, day, &front) && ea_contract_equal (&contract, &front))
    return g_strdup (contract.spec->root);

  return ea_contract_format (&contract, EA_SYMBOLOGY_TRADOVATE);
}

char *
ea_contract_format (const EaContract *contract,
                    EaSymbology       symbology)
{
  g_return_val_if_fail (contract != NULL && contract->spec != NULL, NULL);

  switch (symbology)
    {
    case EA_SYMBOLOGY_TRADOVATE:
    case EA_SYMBOLOGY_IBKR:
      return g_strdup_printf ("%s%c%u", contract->spec->root,
                              ea_contract_month_code (contract->month),
                              (guint) contract->year % 10);

    case EA_SYMBOLOGY_CME:
      return g_strdup_printf ("%s%c%02u", contract->spec->root,
                              ea_contract_month_code (contract->month),
                              (guint) contract->year % 100);

    case EA_SYMBOLOGY_NINJATRADER:
      return g_strdup_printf ("%s %02u-%02u", contract->spec->root,
                              (guint) contract->month, (guint) contract->year % 100);

    default:
      g_return_val_if_reached (NULL);
    }
}
