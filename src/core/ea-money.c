/* ea-money.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-money"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-money.h"

G_DEFINE_QUARK (ea-money-error-quark, ea_money_error)

#define MICROS_PER_UNIT ((guint64) EA_MICROS_PER_UNIT)

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static gboolean
malformed (const char  *str,
           const char  *why,
           GError     **error)
{
  g_set_error (error, EA_MONEY_ERROR, EA_MONEY_ERROR_MALFORMED,
               "“%s” is not an amount of money: %s", str, why);
  return FALSE;
}

gboolean
ea_money_parse (const char  *str,
                EaMicros    *out,
                GError     **error)
{
  const char *p;
  const char *end;
  gboolean negative = FALSE;
  gboolean have_sign = FALSE;
  gboolean have_digits = FALSE;
  guint64 units = 0;
  guint64 micros = 0;
  guint64 magnitude;
  int group = -1;  /* digits since the last separator, -1 before any */
  int lead = 0;    /* digits before the first separator */

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (str == NULL)
    return malformed ("(null)", "empty", error);

  p = str;
  end = str + strlen (str);
  while (p < end && is_space (*p))
    p++;
  while (end > p && is_space (end[-1]))
    end--;
  if (p == end)
    return malformed (str, "empty", error);

  if (*p == '+' || *p == '-')
    {
      negative = *p == '-';
      have_sign = TRUE;
      p++;
    }
  if (p < end && *p == '$')
    p++;
  if (!have_sign && p < end && (*p == '+' || *p == '-'))
    {
      negative = *p == '-';
      p++;
    }

  for (; p < end && *p != '.'; p++)
    {
      if (*p == ',')
        {
          if (lead == 0 || lead > 3 || (group != -1 && group != 3))
            return malformed (str, "misplaced thousands separator", error);
          group = 0;
          continue;
        }
      if (!g_ascii_isdigit (*p))
        return malformed (str, "unexpected character", error);
      if (group == -1)
        lead++;
      else if (++group > 3)
        return malformed (str, "misplaced thousands separator", error);
      if (units > (G_MAXUINT64 - 9) / 10)
        goto overflow;
      units = units * 10 + (guint64) (*p - '0');
      have_digits = TRUE;
    }
  if (group != -1 && group != 3)
    return malformed (str, "misplaced thousands separator", error);

  if (p < end && *p == '.')
    {
      guint n = 0;

      for (p++; p < end; p++, n++)
        {
          if (!g_ascii_isdigit (*p))
            return malformed (str, "unexpected character", error);
          have_digits = TRUE;
          if (n < 6)
            micros = micros * 10 + (guint64) (*p - '0');
          else if (n == 6 && *p >= '5')
            micros++; /* half away from zero: only the 7th digit matters */
        }
      for (; n < 6; n++)
        micros *= 10;
    }

  if (!have_digits)
    return malformed (str, "no digits", error);

  if (units > ((guint64) G_MAXINT64 + 1 - micros) / MICROS_PER_UNIT)
    goto overflow;
  magnitude = units * MICROS_PER_UNIT + micros;
  if (magnitude > (guint64) G_MAXINT64 + (negative ? 1 : 0))
    goto overflow;

  *out = negative ? (EaMicros) (0 - magnitude) : (EaMicros) magnitude;
  return TRUE;

overflow:
  g_set_error (error, EA_MONEY_ERROR, EA_MONEY_ERROR_OVERFLOW,
               "“%s” is too large an amount of money", str);
  return FALSE;
}

char *
ea_money_format_full (EaMicros           amount,
                      EaMoneyFormatFlags flags)
{
  GString *s = g_string_sized_new (32);
  guint64 magnitude = amount < 0 ? 0 - (guint64) amount : (guint64) amount;
  guint64 units = magnitude / MICROS_PER_UNIT;
  guint64 micros = magnitude % MICROS_PER_UNIT;
  char digits[24];
  char frac[8];
  guint len;
  guint decimals;

  if (amount < 0)
    g_string_append_c (s, '-');
  else if (amount > 0 && (flags & EA_MONEY_FORMAT_PLUS_SIGN))
    g_string_append_c (s, '+');
  if (!(flags & EA_MONEY_FORMAT_NO_SYMBOL))
    g_string_append_c (s, '$');

  len = (guint) g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, units);
  for (guint i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0 && !(flags & EA_MONEY_FORMAT_NO_GROUPING))
        g_string_append_c (s, ',');
      g_string_append_c (s, digits[i]);
    }

  g_snprintf (frac, sizeof frac, "%06" G_GUINT64_FORMAT, micros);
  decimals = 6;
  while (decimals > 2 && frac[decimals - 1] == '0')
    decimals--;
  g_string_append_c (s, '.');
  g_string_append_len (s, frac, decimals);

  return g_string_free (s, FALSE);
}

char *
ea_money_format (EaMicros amount)
{
  return ea_money_format_full (amount, EA_MONEY_FORMAT_DEFAULT);
}

/* 2^63 as a double: the first double beyond the int64 range. */
#define TWO_POW_63 9223372036854775808.0

gboolean
ea_money_from_double (double    units,
                      EaMicros *out)
{
  double micros;

  g_return_val_if_fail (out != NULL, FALSE);

  micros = round (units * (double) EA_MICROS_PER_UNIT);
  if (isnan (micros) || micros >= TWO_POW_63 || micros < -TWO_POW_63)
    return FALSE;

  *out = (EaMicros) micros;
  return TRUE;
}

double
ea_money_to_double (EaMicros amount)
{
  return (double) amount / (double) EA_MICROS_PER_UNIT;
}

gboolean
ea_money_add (EaMicros  a,
              EaMicros  b,
              EaMicros *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (__builtin_add_overflow (a, b, out))
    {
      *out = b > 0 ? G_MAXINT64 : G_MININT64;
      return FALSE;
    }
  return TRUE;
}

gboolean
ea_money_sub (EaMicros  a,
              EaMicros  b,
              EaMicros *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (__builtin_sub_overflow (a, b, out))
    {
      *out = b < 0 ? G_MAXINT64 : G_MININT64;
      return FALSE;
    }
  return TRUE;
}

gboolean
ea_money_mul (EaMicros  a,
              gint64    factor,
              EaMicros *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (__builtin_mul_overflow (a, factor, out))
    {
      *out = (a < 0) != (factor < 0) ? G_MININT64 : G_MAXINT64;
      return FALSE;
    }
  return TRUE;
}

gboolean
ea_money_scale (EaMicros  a,
                double    factor,
                EaMicros *out)
{
  double r;

  g_return_val_if_fail (out != NULL, FALSE);

  r = round ((double) a * factor);
  if (isnan (r))
    {
      *out = 0;
      return FALSE;
    }
  if (r >= TWO_POW_63)
    {
      *out = G_MAXINT64;
      return FALSE;
    }
  if (r < -TWO_POW_63)
    {
      *out = G_MININT64;
      return FALSE;
    }

  *out = (EaMicros) r;
  return TRUE;
}
