/* ea-tradovate-scan.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accepts only RFC 8259 JSON, a subset of what json-glib reads, and gives
 * up (EA_TV_SCAN_BAD, or FALSE) on JSON that json-glib would read in a way
 * this scanner does not copy: a string holding U+0000 (json-glib cuts the
 * string there), a lone surrogate, integers of more than 18 digits.
 */
#define G_LOG_DOMAIN "ea-tradovate-md"

#include "config.h"

#include <string.h>

#include "ea-tradovate-scan.h"

#define MAX_DEPTH 64

static inline int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Four hex digits after `\u`; -1 when they are not. */
static int
read_hex4 (EaTvScan *s)
{
  int v = 0;

  if (s->end - s->p < 4)
    return -1;

  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (s->p[i]);

      if (h < 0)
        return -1;
      v = v * 16 + h;
    }

  s->p += 4;
  return v;
}

/* A string at s->p (which is at its opening quote). With @buf, its
 * decoded value goes there. */
EaTvScanResult
_ea_tv_scan_string (EaTvScan *s,
                    char     *buf,
                    gsize     size)
{
  const char *p = s->p + 1, *start = p, *end = s->end;
  gsize n = 0;
  gboolean truncated = FALSE, high = FALSE;

  for (;;)
    {
      guchar c;
      char utf8[6];
      int len, u;

      if (p >= end)
        return EA_TV_SCAN_BAD;

      c = (guchar) *p++;
      if (c == '"')
        break;
      if (c < 0x20)
        return EA_TV_SCAN_BAD;

      if (c != '\\')
        {
          high |= c >= 0x80;
          if (buf != NULL)
            {
              if (n + 1 < size)
                buf[n++] = (char) c;
              else
                truncated = TRUE;
            }
          continue;
        }

      if (p >= end)
        return EA_TV_SCAN_BAD;

      len = 1;
      switch (*p++)
        {
        case '"': utf8[0] = '"'; break;
        case '\\': utf8[0] = '\\'; break;
        case '/': utf8[0] = '/'; break;
        case 'b': utf8[0] = '\b'; break;
        case 'f': utf8[0] = '\f'; break;
        case 'n': utf8[0] = '\n'; break;
        case 'r': utf8[0] = '\r'; break;
        case 't': utf8[0] = '\t'; break;
        case 'u':
          s->p = p;
          u = read_hex4 (s);
          if (u <= 0 || (u >= 0xdc00 && u <= 0xdfff))
            return EA_TV_SCAN_BAD;
          if (u >= 0xd800 && u <= 0xdbff)
            {
              int low;

              if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
                return EA_TV_SCAN_BAD;
              s->p += 2;
              low = read_hex4 (s);
              if (low < 0xdc00 || low > 0xdfff)
                return EA_TV_SCAN_BAD;
              u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
            }
          p = s->p;
          len = g_unichar_to_utf8 ((gunichar) u, utf8);
          break;
        default:
          return EA_TV_SCAN_BAD;
        }

      if (buf != NULL)
        {
          if (n + (gsize) len < size)
            for (int i = 0; i < len; i++)
              buf[n++] = utf8[i];
          else
            truncated = TRUE;
        }
    }

  /* Escapes are ASCII, so the raw text is valid UTF-8 exactly when the
   * whole frame is, as json-glib demands. */
  if (high && !g_utf8_validate (start, p - 1 - start, NULL))
    return EA_TV_SCAN_BAD;

  s->p = p;
  if (buf != NULL)
    buf[n] = '\0';

  return truncated ? EA_TV_SCAN_LONG : EA_TV_SCAN_OK;
}

static const double powers_of_ten[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* A number at s->p. Integers become gint64 as in json-glib; other numbers
 * are exact when the decimal significand fits 53 bits and the power of ten
 * is exact (one correctly rounded operation), else g_ascii_strtod() reads
 * them — the same correctly rounded value json-glib gets. */
gboolean
_ea_tv_scan_number (EaTvScan   *s,
                    EaTvNumber *num)
{
  const char *p = s->p, *digits;
  gboolean negative = FALSE, is_int = TRUE;
  guint64 mantissa = 0;
  guint n_digits = 0;
  int frac_digits = 0, exponent = 0;

  if (p < s->end && *p == '-')
    {
      negative = TRUE;
      p++;
    }
  digits = p;

  if (p >= s->end || !g_ascii_isdigit (*p))
    return FALSE;
  if (*p == '0')
    {
      p++;
      if (p < s->end && g_ascii_isdigit (*p))
        return FALSE;
      n_digits = 1;
    }
  else
    for (; p < s->end && g_ascii_isdigit (*p); p++, n_digits++)
      if (n_digits < 19)
        mantissa = mantissa * 10 + (guint64) (*p - '0');

  if (p < s->end && *p == '.')
    {
      const char *f = ++p;

      is_int = FALSE;
      for (; p < s->end && g_ascii_isdigit (*p); p++, n_digits++, frac_digits++)
        if (n_digits < 19)
          mantissa = mantissa * 10 + (guint64) (*p - '0');
      if (p == f)
        return FALSE;
    }

  if (p < s->end && (*p == 'e' || *p == 'E'))
    {
      gboolean exp_negative = FALSE;
      const char *e;

      is_int = FALSE;
      p++;
      if (p < s->end && (*p == '+' || *p == '-'))
        exp_negative = *p++ == '-';
      e = p;
      for (; p < s->end && g_ascii_isdigit (*p); p++)
        if (exponent < 100000)
          exponent = exponent * 10 + (*p - '0');
      if (p == e)
        return FALSE;
      if (exp_negative)
        exponent = -exponent;
    }

  /* A number ends before the frame does: `]` at least follows it. */
  if (p >= s->end)
    return FALSE;

  num->is_number = TRUE;
  num->is_int = is_int;

  if (is_int)
    {
      /* Longer integers overflow json-glib's reading of them. */
      if (n_digits > 18)
        return FALSE;
      num->i = negative ? -(gint64) mantissa : (gint64) mantissa;
      num->d = (double) num->i;
    }
  else
    {
      int e10 = exponent - frac_digits;
      double d;

      if (n_digits <= 19 && mantissa <= (G_GUINT64_CONSTANT (1) << 53) &&
          e10 >= -22 && e10 <= 22)
        d = e10 >= 0 ? (double) mantissa * powers_of_ten[e10]
                     : (double) mantissa / powers_of_ten[-e10];
      else
        {
          char *end = NULL;

          /* The text after a JSON number cannot extend it. */
          d = g_ascii_strtod (digits, &end);
          if (end != p)
            return FALSE;
        }
      num->d = negative ? d * -1.0 : d;
    }

  s->p = p;
  return TRUE;
}

static gboolean
scan_literal (EaTvScan   *s,
              const char *word,
              gsize       len)
{
  if ((gsize) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return FALSE;
  s->p += len;
  return TRUE;
}

gboolean
_ea_tv_scan_enter (EaTvScan *s,
                   char      open)
{
  if (!_ea_tv_scan_expect (s, open) || ++s->depth > MAX_DEPTH)
    return FALSE;
  return TRUE;
}

/* After an element: TRUE with *more when a comma follows, TRUE with
 * !*more at the closing bracket. */
gboolean
_ea_tv_scan_next_element (EaTvScan *s,
                          char      close,
                          gboolean *more)
{
  _ea_tv_scan_ws (s);
  if (s->p >= s->end)
    return FALSE;
  if (*s->p == ',')
    {
      s->p++;
      *more = TRUE;
      return TRUE;
    }
  if (*s->p == close)
    {
      s->p++;
      s->depth--;
      *more = FALSE;
      return TRUE;
    }
  return FALSE;
}

/* Inside an object: reads `"name" :`. A name too long to be one looked
 * at comes back empty. */
gboolean
_ea_tv_scan_read_key (EaTvScan *s,
                      char      key[EA_TV_SCAN_KEY_SIZE])
{
  EaTvScanResult r;

  if (!_ea_tv_scan_peek (s, '"'))
    return FALSE;
  r = _ea_tv_scan_string (s, key, EA_TV_SCAN_KEY_SIZE);
  if (r == EA_TV_SCAN_BAD)
    return FALSE;
  if (r == EA_TV_SCAN_LONG)
    key[0] = '\0';
  return _ea_tv_scan_expect (s, ':');
}

/* Enters an object; *empty when it is `{}` (already left). */
gboolean
_ea_tv_scan_begin_object (EaTvScan *s,
                          gboolean *empty)
{
  if (!_ea_tv_scan_enter (s, '{'))
    return FALSE;
  *empty = _ea_tv_scan_peek (s, '}');
  if (*empty)
    {
      s->p++;
      s->depth--;
    }
  return TRUE;
}

static gboolean
skip_container (EaTvScan *s,
                char      open,
                char      close)
{
  gboolean more = TRUE;
  char key[EA_TV_SCAN_KEY_SIZE];

  if (!_ea_tv_scan_enter (s, open))
    return FALSE;
  if (_ea_tv_scan_peek (s, close))
    {
      s->p++;
      s->depth--;
      return TRUE;
    }

  while (more)
    {
      if (open == '{' && !_ea_tv_scan_read_key (s, key))
        return FALSE;
      if (!_ea_tv_scan_skip_value (s) || !_ea_tv_scan_next_element (s, close, &more))
        return FALSE;
    }
  return TRUE;
}

gboolean
_ea_tv_scan_skip_value (EaTvScan *s)
{
  EaTvNumber num;

  _ea_tv_scan_ws (s);
  if (s->p >= s->end)
    return FALSE;

  switch (*s->p)
    {
    case '{':
      return skip_container (s, '{', '}');
    case '[':
      return skip_container (s, '[', ']');
    case '"':
      return _ea_tv_scan_string (s, NULL, 0) != EA_TV_SCAN_BAD;
    case 't':
      return scan_literal (s, "true", 4);
    case 'f':
      return scan_literal (s, "false", 5);
    case 'n':
      return scan_literal (s, "null", 4);
    default:
      return _ea_tv_scan_number (s, &num);
    }
}

/* Any value; *num says whether it was a number and which. */
gboolean
_ea_tv_scan_number_value (EaTvScan   *s,
                          EaTvNumber *num)
{
  num->is_number = FALSE;
  _ea_tv_scan_ws (s);
  if (s->p < s->end && (*s->p == '-' || g_ascii_isdigit (*s->p)))
    return _ea_tv_scan_number (s, num);
  return _ea_tv_scan_skip_value (s);
}

