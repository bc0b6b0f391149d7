/* ea-nt-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-nt-import"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-nt-import.h"

G_DEFINE_QUARK (ea-nt-import-error-quark, ea_nt_import_error)

static gboolean
all_digits (const char *s,
            gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static int
digits_value (const char *s,
              gsize       n)
{
  int v = 0;

  for (gsize i = 0; i < n; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

/* "yyyyMMdd HHmmss" or "yyyyMMdd HHmmss fffffff". */
static gboolean
parse_stamp (const char  *s,
             GTimeZone   *tz,
             gboolean    *has_fraction,
             EaTimeUs    *out,
             const char **why)
{
  gsize n = strlen (s);
  g_autoptr(GDateTime) dt = NULL;
  int frac = 0;

  if (n == 15)
    *has_fraction = FALSE;
  else if (n == 23 && s[15] == ' ' && all_digits (s + 16, 7))
    {
      *has_fraction = TRUE;
      frac = digits_value (s + 16, 7);
    }
  else
    {
      *why = "timestamp is not 'yyyyMMdd HHmmss' or 'yyyyMMdd HHmmss fffffff'";
      return FALSE;
    }

  if (!all_digits (s, 8) || s[8] != ' ' || !all_digits (s + 9, 6))
    {
      *why = "timestamp is not 'yyyyMMdd HHmmss'";
      return FALSE;
    }

  dt = g_date_time_new (tz,
                        digits_value (s, 4), digits_value (s + 4, 2), digits_value (s + 6, 2),
                        digits_value (s + 9, 2), digits_value (s + 11, 2),
                        (double) digits_value (s + 13, 2));
  if (dt == NULL)
    {
      *why = "timestamp is not a valid date and time";
      return FALSE;
    }

  *out = g_date_time_to_unix (dt) * G_USEC_PER_SEC + frac / 10;
  return TRUE;
}

static gboolean
parse_price (const char *s,
             double     *out)
{
  char *end = NULL;
  double v;

  if (*s == '\0')
    return FALSE;
  v = g_ascii_strtod (s, &end);
  if (end == s || *end != '\0' || !isfinite (v) || v <= 0.0)
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
parse_volume (const char *s,
              gint64     *out)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (s, 10, 0, G_MAXINT64 / 4, &v, NULL))
    return FALSE;
  *out = (gint64) v;
  return TRUE;
}

static void
add_error (EaNtData   *data,
           guint       line,
           const char *what,
           const char *text)
{
  g_autofree char *shown = g_strndup (text, 40);

  g_ptr_array_add (data->errors, g_strdup_printf ("line %u: %s: '%s'", line, what, shown));
}

EaNtData *
ea_nt_data_parse (const char  *text,
                  gssize       len,
                  GTimeZone   *tz,
                  GError     **error)
{
  g_autoptr(EaNtData) data = NULL;
  g_autoptr(GTimeZone) utc = NULL;
  g_autofree char *copy = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean kind_known = FALSE;
  EaTimeUs last_time = G_MININT64;

  g_return_val_if_fail (text != NULL, NULL);

  if (tz == NULL)
    tz = utc = g_time_zone_new_utc ();

  copy = len < 0 ? g_strdup (text) : g_strndup (text, len);
  lines = g_strsplit (copy, "\n", -1);

  data = g_new0 (EaNtData, 1);
  data->bars = g_array_new (FALSE, FALSE, sizeof (EaNtBar));
  data->ticks = g_array_new (FALSE, FALSE, sizeof (EaNtTick));
  data->errors = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      guint lineno = i + 1;
      g_auto(GStrv) f = NULL;
      guint nf;
      gboolean frac;
      EaTimeUs t;
      const char *why = NULL;
      EaNtKind kind;

      g_strchomp (line);
      if (*line == '\0')
        {
          if (lines[i + 1] != NULL)
            data->n_lines = lineno;
          continue;
        }
      data->n_lines = lineno;

      f = g_strsplit (line, ";", -1);
      nf = g_strv_length (f);
      if (nf != 6 && nf != 5)
        {
          add_error (data, lineno, "expected 6 fields (bar) or 5 fields (tick)", line);
          continue;
        }
      if (!parse_stamp (f[0], tz, &frac, &t, &why))
        {
          add_error (data, lineno, why, line);
          continue;
        }

      kind = (nf == 6 && !frac) ? EA_NT_KIND_BARS :
             (nf == 5 && frac) ? EA_NT_KIND_TICKS : (EaNtKind) -1;
      if ((int) kind < 0)
        {
          add_error (data, lineno, "timestamp does not match the field count", line);
          continue;
        }
      if (!kind_known)
        {
          data->kind = kind;
          kind_known = TRUE;
        }
      else if (kind != data->kind)
        {
          add_error (data, lineno,
                     data->kind == EA_NT_KIND_BARS ? "tick line in a bar file"
                                                   : "bar line in a tick file",
                     line);
          continue;
        }
      if (t < last_time)
        {
          add_error (data, lineno, "timestamp earlier than the previous line", line);
          continue;
        }

      if (kind == EA_NT_KIND_BARS)
        {
          EaNtBar b = { .time = t };

          if (!parse_price (f[1], &b.open) || !parse_price (f[2], &b.high) ||
              !parse_price (f[3], &b.low) || !parse_price (f[4], &b.close))
            {
              add_error (data, lineno, "price is not a positive number", line);
              continue;
            }
          if (!parse_volume (f[5], &b.volume))
            {
              add_error (data, lineno, "volume is not a non-negative integer", line);
              continue;
            }
          if (b.low > b.high || b.open > b.high || b.open < b.low ||
              b.close > b.high || b.close < b.low)
            {
              add_error (data, lineno, "open/close outside the low..high range", line);
              continue;
            }
          g_array_append_val (data->bars, b);
        }
      else
        {
          EaNtTick k = { .time = t };

          if (!parse_price (f[1], &k.last) || !parse_price (f[2], &k.bid) ||
              !parse_price (f[3], &k.ask))
            {
              add_error (data, lineno, "price is not a positive number", line);
              continue;
            }
          if (!parse_volume (f[4], &k.volume))
            {
              add_error (data, lineno, "volume is not a non-negative integer", line);
              continue;
            }
          if (k.bid > k.ask)
            {
              add_error (data, lineno, "bid above ask", line);
              continue;
            }
          g_array_append_val (data->ticks, k);
        }
      last_time = t;
    }

  if (data->bars->len == 0 && data->ticks->len == 0)
    {
      g_set_error (error, EA_NT_IMPORT_ERROR, EA_NT_IMPORT_ERROR_EMPTY,
                   "No valid bar or tick line (%u lines, %u malformed)",
                   data->n_lines, data->errors->len);
      return NULL;
    }

  return g_steal_pointer (&data);
}

void
ea_nt_data_free (EaNtData *data)
{
  if (data == NULL)
    return;

  g_array_unref (data->bars);
  g_array_unref (data->ticks);
  g_ptr_array_unref (data->errors);
  g_free (data);
}
