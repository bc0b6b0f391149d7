/* ea-tradovate-md.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accepts only RFC 8259 JSON, a subset of what json-glib reads, and gives
 * up on anything json-glib would read in a way this scanner does not copy:
 * a member name it interprets seen twice (json-glib keeps the last), a
 * string holding U+0000 (json-glib cuts the string there), a lone
 * surrogate, integers of more than 18 digits, a message that could be a
 * response (`i`, `s`) or is not an `md` event with an object `d`.
 */
#define G_LOG_DOMAIN "ea-tradovate-md"

#include "config.h"

#include <string.h>

#include "ea-tradovate-md.h"

/* The same bound as ea_tv_frame_parse(): larger frames are its to refuse. */
#define MAX_FRAME_BYTES (16 * 1024 * 1024)
#define MAX_DEPTH 64
#define KEY_SIZE 24     /* longer than any member name looked at */
#define VALUE_SIZE 128  /* timestamps, event names, contract ids as strings */

typedef struct
{
  const char *p;
  const char *end;
  guint       depth;
} Scan;

typedef enum
{
  STR_BAD,    /* not JSON, or JSON this scanner leaves to json-glib */
  STR_OK,     /* decoded into the buffer, NUL-terminated */
  STR_LONG,   /* valid but longer than the buffer */
} StrResult;

typedef struct
{
  gboolean is_number;
  gboolean is_int;
  gint64   i;
  double   d;
} Number;

static gboolean skip_value (Scan *s);

static inline void
skip_ws (Scan *s)
{
  while (s->p < s->end &&
         (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

/* Skips whitespace, then consumes @c if it is next. */
static inline gboolean
expect (Scan *s,
        char  c)
{
  skip_ws (s);
  if (s->p >= s->end || *s->p != c)
    return FALSE;
  s->p++;
  return TRUE;
}

static inline gboolean
peek (Scan *s,
      char  c)
{
  skip_ws (s);
  return s->p < s->end && *s->p == c;
}

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
read_hex4 (Scan *s)
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
static StrResult
scan_string (Scan  *s,
             char  *buf,
             gsize  size)
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
        return STR_BAD;

      c = (guchar) *p++;
      if (c == '"')
        break;
      if (c < 0x20)
        return STR_BAD;

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
        return STR_BAD;

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
            return STR_BAD;
          if (u >= 0xd800 && u <= 0xdbff)
            {
              int low;

              if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
                return STR_BAD;
              s->p += 2;
              low = read_hex4 (s);
              if (low < 0xdc00 || low > 0xdfff)
                return STR_BAD;
              u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
            }
          p = s->p;
          len = g_unichar_to_utf8 ((gunichar) u, utf8);
          break;
        default:
          return STR_BAD;
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
    return STR_BAD;

  s->p = p;
  if (buf != NULL)
    buf[n] = '\0';

  return truncated ? STR_LONG : STR_OK;
}

static const double powers_of_ten[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* A number at s->p. Integers become gint64 as in json-glib; other numbers
 * are exact when the decimal significand fits 53 bits and the power of ten
 * is exact (one correctly rounded operation), else g_ascii_strtod() reads
 * them — the same correctly rounded value json-glib gets. */
static gboolean
scan_number (Scan   *s,
             Number *num)
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
scan_literal (Scan       *s,
              const char *word,
              gsize       len)
{
  if ((gsize) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return FALSE;
  s->p += len;
  return TRUE;
}

static gboolean
enter (Scan *s,
       char  open)
{
  if (!expect (s, open) || ++s->depth > MAX_DEPTH)
    return FALSE;
  return TRUE;
}

/* After an element: TRUE with *more when a comma follows, TRUE with
 * !*more at the closing bracket. */
static gboolean
next_element (Scan     *s,
              char      close,
              gboolean *more)
{
  skip_ws (s);
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
static gboolean
read_key (Scan *s,
          char  key[KEY_SIZE])
{
  StrResult r;

  if (!peek (s, '"'))
    return FALSE;
  r = scan_string (s, key, KEY_SIZE);
  if (r == STR_BAD)
    return FALSE;
  if (r == STR_LONG)
    key[0] = '\0';
  return expect (s, ':');
}

/* Enters an object; *empty when it is `{}` (already left). */
static gboolean
begin_object (Scan     *s,
              gboolean *empty)
{
  if (!enter (s, '{'))
    return FALSE;
  *empty = peek (s, '}');
  if (*empty)
    {
      s->p++;
      s->depth--;
    }
  return TRUE;
}

static gboolean
skip_container (Scan *s,
                char  open,
                char  close)
{
  gboolean more = TRUE;
  char key[KEY_SIZE];

  if (!enter (s, open))
    return FALSE;
  if (peek (s, close))
    {
      s->p++;
      s->depth--;
      return TRUE;
    }

  while (more)
    {
      if (open == '{' && !read_key (s, key))
        return FALSE;
      if (!skip_value (s) || !next_element (s, close, &more))
        return FALSE;
    }
  return TRUE;
}

static gboolean
skip_value (Scan *s)
{
  Number num;

  skip_ws (s);
  if (s->p >= s->end)
    return FALSE;

  switch (*s->p)
    {
    case '{':
      return skip_container (s, '{', '}');
    case '[':
      return skip_container (s, '[', ']');
    case '"':
      return scan_string (s, NULL, 0) != STR_BAD;
    case 't':
      return scan_literal (s, "true", 4);
    case 'f':
      return scan_literal (s, "false", 5);
    case 'n':
      return scan_literal (s, "null", 4);
    default:
      return scan_number (s, &num);
    }
}

/* Any value; *num says whether it was a number and which. */
static gboolean
scan_number_value (Scan   *s,
                   Number *num)
{
  num->is_number = FALSE;
  skip_ws (s);
  if (s->p < s->end && (*s->p == '-' || g_ascii_isdigit (*s->p)))
    return scan_number (s, num);
  return skip_value (s);
}

/* Marks @bit in @seen; FALSE when it was already there. */
static inline gboolean
first_time (guint *seen,
            guint  bit)
{
  if (*seen & bit)
    return FALSE;
  *seen |= bit;
  return TRUE;
}

/* One of `entries`: `{"price": p, "size": s}`, both optional. */
static gboolean
scan_entry (Scan     *s,
            double   *price,
            gboolean *has_price,
            gint64   *size,
            gboolean *has_size)
{
  gboolean empty, more = TRUE;
  guint seen = 0;
  char key[KEY_SIZE];

  *has_price = FALSE;
  *has_size = FALSE;

  if (!begin_object (s, &empty))
    return FALSE;
  if (empty)
    return TRUE;

  while (more)
    {
      Number num;

      if (!read_key (s, key))
        return FALSE;

      if (strcmp (key, "price") == 0)
        {
          if (!first_time (&seen, 1) || !scan_number_value (s, &num))
            return FALSE;
          if (num.is_number)
            {
              *price = num.d;
              *has_price = TRUE;
            }
        }
      else if (strcmp (key, "size") == 0)
        {
          if (!first_time (&seen, 2) || !scan_number_value (s, &num))
            return FALSE;
          if (num.is_number && num.d >= 0 && num.d < 1e15)
            {
              *size = (gint64) num.d;
              *has_size = TRUE;
            }
        }
      else if (!skip_value (s))
        return FALSE;

      if (!next_element (s, '}', &more))
        return FALSE;
    }
  return TRUE;
}

static gboolean
scan_entries (Scan      *s,
              EaTvQuote *q)
{
  static const char *const names[] = { "Bid", "Offer", "Trade", "TotalTradeVolume" };
  gboolean empty, more = TRUE;
  guint seen = 0;
  char key[KEY_SIZE];

  if (!begin_object (s, &empty))
    return FALSE;
  if (empty)
    return TRUE;

  while (more)
    {
      double price = 0;
      gint64 size = 0;
      gboolean has_price = FALSE, has_size = FALSE;
      guint which;

      if (!read_key (s, key))
        return FALSE;

      for (which = 0; which < G_N_ELEMENTS (names); which++)
        if (strcmp (key, names[which]) == 0)
          break;

      if (which == G_N_ELEMENTS (names))
        {
          if (!skip_value (s))
            return FALSE;
        }
      else
        {
          if (!first_time (&seen, 1u << which))
            return FALSE;
          if (peek (s, '{'))
            {
              if (!scan_entry (s, &price, &has_price, &size, &has_size))
                return FALSE;
            }
          else if (!skip_value (s))
            return FALSE;

          switch (which)
            {
            case 0:
              q->bid = has_price ? price : 0;
              q->has_bid = has_price;
              q->bid_size = has_size ? size : 0;
              q->has_bid_size = has_size;
              break;
            case 1:
              q->ask = has_price ? price : 0;
              q->has_ask = has_price;
              q->ask_size = has_size ? size : 0;
              q->has_ask_size = has_size;
              break;
            case 2:
              q->last = has_price ? price : 0;
              q->has_last = has_price;
              q->last_size = has_size ? size : 0;
              q->has_last_size = has_size;
              break;
            default:
              q->total_volume = has_size ? size : 0;
              q->has_total_volume = has_size;
              break;
            }
        }

      if (!next_element (s, '}', &more))
        return FALSE;
    }
  return TRUE;
}

/* `contractId` as ea_tv_quote_parse() reads it: an integer, a number
 * truncated, or a string of digits. */
static gboolean
scan_contract_id (Scan     *s,
                  gint64   *id,
                  gboolean *has_id)
{
  Number num;

  *has_id = FALSE;

  if (peek (s, '"'))
    {
      char text[VALUE_SIZE];
      char *end = NULL;

      if (scan_string (s, text, sizeof text) != STR_OK)
        return FALSE;
      *id = g_ascii_strtoll (text, &end, 10);
      *has_id = end != text && *end == '\0';
      return TRUE;
    }

  if (!scan_number_value (s, &num))
    return FALSE;
  if (!num.is_number)
    return TRUE;

  if (num.is_int)
    *id = num.i;
  else if (num.d >= -9223372036854775808.0 && num.d < 9223372036854775808.0)
    *id = (gint64) num.d;
  else
    return FALSE;

  *has_id = TRUE;
  return TRUE;
}

/* One element of `quotes`; *valid when it has a contract id and entries. */
static gboolean
scan_quote (Scan      *s,
            EaTvQuote *q,
            gboolean  *valid)
{
  gboolean empty, more = TRUE, has_id = FALSE, has_entries = FALSE, has_time = FALSE;
  guint seen = 0;
  char key[KEY_SIZE];
  char timestamp[VALUE_SIZE];

  memset (q, 0, sizeof *q);
  *valid = FALSE;

  if (!begin_object (s, &empty))
    return FALSE;
  if (empty)
    return TRUE;

  while (more)
    {
      if (!read_key (s, key))
        return FALSE;

      if (strcmp (key, "contractId") == 0)
        {
          if (!first_time (&seen, 1) || !scan_contract_id (s, &q->contract_id, &has_id))
            return FALSE;
        }
      else if (strcmp (key, "timestamp") == 0)
        {
          if (!first_time (&seen, 2))
            return FALSE;
          if (peek (s, '"'))
            {
              if (scan_string (s, timestamp, sizeof timestamp) != STR_OK)
                return FALSE;
              has_time = TRUE;
            }
          else if (!skip_value (s))
            return FALSE;
        }
      else if (strcmp (key, "entries") == 0)
        {
          if (!first_time (&seen, 4))
            return FALSE;
          if (peek (s, '{'))
            {
              if (!scan_entries (s, q))
                return FALSE;
              has_entries = TRUE;
            }
          else if (!skip_value (s))
            return FALSE;
        }
      else if (!skip_value (s))
        return FALSE;

      if (!next_element (s, '}', &more))
        return FALSE;
    }

  *valid = has_id && has_entries;
  if (*valid && has_time)
    q->timestamp_us = ea_tv_timestamp_parse_us (timestamp);

  return TRUE;
}

static gboolean
scan_quotes (Scan   *s,
             GArray *quotes)
{
  gboolean more = TRUE;

  if (!enter (s, '['))
    return FALSE;
  if (peek (s, ']'))
    {
      s->p++;
      s->depth--;
      return TRUE;
    }

  while (more)
    {
      if (peek (s, '{'))
        {
          EaTvQuote q;
          gboolean valid;

          if (!scan_quote (s, &q, &valid))
            return FALSE;
          if (valid)
            g_array_append_val (quotes, q);
        }
      else if (!skip_value (s))
        return FALSE;

      if (!next_element (s, ']', &more))
        return FALSE;
    }
  return TRUE;
}

/* The `d` of an md event. */
static gboolean
scan_md_data (Scan   *s,
              GArray *quotes)
{
  gboolean empty, more = TRUE, seen_quotes = FALSE;
  char key[KEY_SIZE];

  if (!begin_object (s, &empty))
    return FALSE;
  if (empty)
    return TRUE;

  while (more)
    {
      if (!read_key (s, key))
        return FALSE;

      if (strcmp (key, "quotes") == 0)
        {
          if (seen_quotes)
            return FALSE;
          seen_quotes = TRUE;
          if (peek (s, '['))
            {
              if (!scan_quotes (s, quotes))
                return FALSE;
            }
          else if (!skip_value (s))
            return FALSE;
        }
      else if (!skip_value (s))
        return FALSE;

      if (!next_element (s, '}', &more))
        return FALSE;
    }
  return TRUE;
}

/* One message of the frame; only `{"e":"md","d":{...}}` is taken. */
static gboolean
scan_message (Scan   *s,
              GArray *quotes)
{
  gboolean empty, more = TRUE, is_md = FALSE, has_data = FALSE;
  guint seen = 0;
  char key[KEY_SIZE];

  if (!begin_object (s, &empty) || empty)
    return FALSE;

  while (more)
    {
      if (!read_key (s, key))
        return FALSE;

      if (strcmp (key, "e") == 0)
        {
          if (!first_time (&seen, 1))
            return FALSE;
          if (peek (s, '"'))
            {
              char name[8];
              StrResult r = scan_string (s, name, sizeof name);

              if (r == STR_BAD)
                return FALSE;
              is_md = r == STR_OK && strcmp (name, "md") == 0;
            }
          else if (!skip_value (s))
            return FALSE;
        }
      else if (strcmp (key, "d") == 0)
        {
          if (!first_time (&seen, 2))
            return FALSE;
          if (peek (s, '{'))
            {
              if (!scan_md_data (s, quotes))
                return FALSE;
              has_data = TRUE;
            }
          else if (!skip_value (s))
            return FALSE;
        }
      else if (strcmp (key, "i") == 0 || strcmp (key, "s") == 0)
        return FALSE;  /* maybe a response */
      else if (!skip_value (s))
        return FALSE;

      if (!next_element (s, '}', &more))
        return FALSE;
    }

  return is_md && has_data;
}

/**
 * ea_tv_md_frame_decode:
 * @text: a WebSocket text message
 * @length: its length in bytes
 * @quotes: (element-type EaTvQuote): where decoded quotes are appended
 *
 * Decodes an `a[...]` frame whose every message is an `md` event, with
 * the results of ea_tv_frame_parse() and ea_tv_md_event_parse() on each
 * message's `d`, in order.
 *
 * Returns: %EA_TV_MD_HANDLED, or %EA_TV_MD_NOT_HANDLED when the frame is
 *   anything else, valid or not; then @quotes is as it was.
 */
EaTvMdResult
ea_tv_md_frame_decode (const char *text,
                       gsize       length,
                       GArray     *quotes)
{
  guint start_len;
  gboolean more = TRUE;
  Scan s;

  g_return_val_if_fail (quotes != NULL, EA_TV_MD_NOT_HANDLED);

  if (text == NULL || length < 2 || length > MAX_FRAME_BYTES || text[0] != 'a')
    return EA_TV_MD_NOT_HANDLED;

  start_len = quotes->len;
  s.p = text + 1;
  s.end = text + length;
  s.depth = 0;

  if (!enter (&s, '['))
    goto decline;
  if (peek (&s, ']'))
    {
      s.p++;
      more = FALSE;
    }

  while (more)
    if (!scan_message (&s, quotes) || !next_element (&s, ']', &more))
      goto decline;

  skip_ws (&s);
  if (s.p == s.end)
    return EA_TV_MD_HANDLED;

decline:
  g_array_set_size (quotes, start_len);
  return EA_TV_MD_NOT_HANDLED;
}
