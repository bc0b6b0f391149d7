/* tradovate-md-gen.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Seeded generators of Tradovate market-data frames for the tests of the
 * fast path: random field presence, values (both number paths, odd
 * numbers), whitespace, member order, escapes in names and strings, raw
 * UTF-8, unknown members and nested values; and random mutations of them.
 * Every generated frame is an md frame json-glib reads and the fast path
 * must handle (no repeated names, no U+0000, no lone surrogates).
 */
#pragma once

#include <string.h>

#include <glib.h>

typedef struct
{
  GRand   *rand;
  GString *s;
} MdGen;

static inline gboolean
gen_chance (MdGen  *g,
            double  p)
{
  return g_rand_double (g->rand) < p;
}

static inline guint
gen_pick (MdGen *g,
          guint  n)
{
  return (guint) g_rand_int_range (g->rand, 0, (gint32) n);
}

static inline void
gen_ws (MdGen *g)
{
  static const char spaces[] = " \t\n\r";

  if (gen_chance (g, 0.15))
    for (guint n = 1 + gen_pick (g, 3); n > 0; n--)
      g_string_append_c (g->s, spaces[gen_pick (g, 4)]);
}

/* A string's body; escapes of every kind and raw UTF-8, decoded length
 * well under any limit. */
static inline void
gen_string_body (MdGen      *g,
                 const char *plain)
{
  static const char *const pieces[] = {
    "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u00e9", "\\u20AC",
    "\\ud83d\\ude00", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\\u0041", "x", " ", "{", "]", ",",
  };

  if (plain != NULL)
    {
      /* A known text, maybe with one character escaped as \u00XX. */
      for (const char *c = plain; *c; c++)
        if ((guchar) *c < 0x80 && gen_chance (g, 0.05))
          g_string_append_printf (g->s, "\\u%04x", (guint) (guchar) *c);
        else
          g_string_append_c (g->s, *c);
      return;
    }

  for (guint n = gen_pick (g, 8); n > 0; n--)
    g_string_append (g->s, pieces[gen_pick (g, G_N_ELEMENTS (pieces))]);
}

static inline void
gen_string (MdGen      *g,
            const char *plain)
{
  g_string_append_c (g->s, '"');
  gen_string_body (g, plain);
  g_string_append_c (g->s, '"');
}

static inline void
gen_key (MdGen      *g,
         const char *name)
{
  gen_ws (g);
  gen_string (g, name);
  gen_ws (g);
  g_string_append_c (g->s, ':');
  gen_ws (g);
}

static inline void
gen_number (MdGen *g)
{
  switch (gen_pick (g, 9))
    {
    case 0:
      g_string_append_printf (g->s, "%u.%02u", 6000 + gen_pick (g, 2000), gen_pick (g, 100));
      break;
    case 1:
      g_string_append_printf (g->s, "%d", (int) gen_pick (g, 2000000) - 1000);
      break;
    case 2:
      {
        /* Random digits, fraction and exponent: both number paths. */
        guint int_digits = 1 + gen_pick (g, 17), frac_digits = gen_pick (g, 14);

        if (gen_chance (g, 0.3))
          g_string_append_c (g->s, '-');
        g_string_append_c (g->s, (char) ('1' + gen_pick (g, 9)));
        for (guint i = 1; i < int_digits; i++)
          g_string_append_c (g->s, (char) ('0' + gen_pick (g, 10)));
        if (frac_digits > 0 || int_digits > 18)
          {
            g_string_append_c (g->s, '.');
            for (guint i = 0; i <= frac_digits; i++)
              g_string_append_c (g->s, (char) ('0' + gen_pick (g, 10)));
          }
        if (gen_chance (g, 0.4))
          g_string_append_printf (g->s, "%c%s%u", gen_chance (g, 0.5) ? 'e' : 'E',
                                  gen_chance (g, 0.3) ? "+" : gen_chance (g, 0.5) ? "-" : "",
                                  gen_pick (g, 40));
      }
      break;
    case 3:
      {
        union { guint64 u; double d; } v;

        do
          v.u = ((guint64) g_rand_int (g->rand) << 32) | g_rand_int (g->rand);
        while (v.d != v.d || v.d - v.d != 0);
        g_string_append_printf (g->s, "%.17g", v.d);
      }
      break;
    case 4:
      g_string_append_printf (g->s, "%.*g", 1 + (int) gen_pick (g, 16), g_rand_double_range (g->rand, -1e6, 1e6));
      break;
    case 5:
      {
        static const char *const odd[] = {
          "-0", "-0.0", "0", "0.0", "0e0", "1e400", "-1e400", "1e-400", "4.9e-324",
          "999999999999999", "1e15", "1e14", "999999999999999999", "-999999999999999999",
          "123456789012345678901234567890.1", "0.000000000000000000000000000001234",
        };
        g_string_append (g->s, odd[gen_pick (g, G_N_ELEMENTS (odd))]);
      }
      break;
    case 6:
      g_string_append_printf (g->s, "%u.%u", gen_pick (g, 100), gen_pick (g, 1000));
      break;
    case 7:
      g_string_append_printf (g->s, "%ue%d", 1 + gen_pick (g, 999), (int) gen_pick (g, 50) - 25);
      break;
    default:
      g_string_append_printf (g->s, "%u", gen_pick (g, 100));
      break;
    }
}

static inline void gen_unknown_value (MdGen *g, guint depth);

static inline void
gen_unknown_members (MdGen *g,
                     guint  depth,
                     guint  max)
{
  static const char *const names[] = {
    "id", "name", "meta", "x", "Bid ", "bid", "PRICE", "contractid", "\xc3\xa9t\xc3\xa9", "",
    "charts", "histograms", "q", "timestampx", "E", "D",
  };

  for (guint n = gen_pick (g, max + 1); n > 0; n--)
    {
      g_string_append_c (g->s, ',');
      gen_key (g, names[gen_pick (g, G_N_ELEMENTS (names))]);
      gen_unknown_value (g, depth + 1);
      gen_ws (g);
    }
}

static inline void
gen_unknown_value (MdGen *g,
                   guint  depth)
{
  switch (gen_pick (g, depth > 3 ? 5 : 7))
    {
    case 0:
      gen_string (g, NULL);
      break;
    case 1:
      gen_number (g);
      break;
    case 2:
      g_string_append (g->s, "true");
      break;
    case 3:
      g_string_append (g->s, gen_chance (g, 0.5) ? "false" : "null");
      break;
    case 4:
      gen_string (g, "2026-11-24T15:00:00Z");
      break;
    case 5:
      g_string_append_c (g->s, '{');
      gen_ws (g);
      if (gen_chance (g, 0.7))
        {
          gen_key (g, "k");
          gen_unknown_value (g, depth + 1);
          gen_ws (g);
          gen_unknown_members (g, depth, 3);
        }
      g_string_append_c (g->s, '}');
      break;
    default:
      g_string_append_c (g->s, '[');
      gen_ws (g);
      for (guint n = gen_pick (g, 4), i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append_c (g->s, ',');
          gen_ws (g);
          gen_unknown_value (g, depth + 1);
          gen_ws (g);
        }
      g_string_append_c (g->s, ']');
      break;
    }
}

typedef void (*MdGenMemberFunc) (MdGen *g, guint which);

/* An object of the members @names (each maybe left out, in random order)
 * and unknown members around them. */
static inline void
gen_object (MdGen             *g,
            const char *const *names,
            guint              n_names,
            double             presence,
            MdGenMemberFunc    value)
{
  guint order[8];
  gboolean first = TRUE;

  g_assert_cmpuint (n_names, <=, G_N_ELEMENTS (order));
  for (guint i = 0; i < n_names; i++)
    order[i] = i;
  for (guint i = n_names; i > 1; i--)
    {
      guint j = gen_pick (g, i), t = order[i - 1];

      order[i - 1] = order[j];
      order[j] = t;
    }

  g_string_append_c (g->s, '{');
  gen_ws (g);
  for (guint i = 0; i < n_names; i++)
    {
      if (!gen_chance (g, presence))
        continue;
      if (!first)
        g_string_append_c (g->s, ',');
      first = FALSE;
      gen_key (g, names[order[i]]);
      value (g, order[i]);
      gen_ws (g);
    }
  if (first)
    {
      /* Unknown members need a known one before their commas. */
      gen_key (g, "u");
      gen_unknown_value (g, 2);
      gen_ws (g);
    }
  gen_unknown_members (g, 2, 2);
  g_string_append_c (g->s, '}');
}

static inline void
gen_entry_value (MdGen *g,
                 guint  which)
{
  switch (gen_pick (g, 12))
    {
    case 0:
      gen_string (g, "6800.25");
      break;
    case 1:
      g_string_append (g->s, gen_chance (g, 0.5) ? "null" : "true");
      break;
    case 2:
      g_string_append_printf (g->s, "-%u", gen_pick (g, 10));
      break;
    default:
      gen_number (g);
      break;
    }
}

static inline void
gen_entries_value (MdGen *g,
                   guint  which)
{
  static const char *const names[] = { "price", "size" };

  if (gen_chance (g, 0.9))
    gen_object (g, names, G_N_ELEMENTS (names), 0.8, gen_entry_value);
  else
    gen_unknown_value (g, 3);
}

static inline void
gen_quote_value (MdGen *g,
                 guint  which)
{
  static const char *const entries[] = { "Bid", "Offer", "Trade", "TotalTradeVolume" };
  static const char *const stamps[] = {
    "2026-11-24T15:00:07Z", "2026-11-24T15:00:07.5Z", "2026-11-24T15:00:07.123456Z",
    "2026-11-24T15:00:07.123456789Z", "2026-11-24T10:00:07-05:00", "2026-11-24T15:00:07.25+00:00",
    "2026-02-30T15:00:07Z", "2026-11-24 15:00:07Z", "not a time", "", "2026-11-24T15:00:07.Z",
    "1999-12-31T23:59:60Z",
  };

  switch (which)
    {
    case 0: /* contractId */
      switch (gen_pick (g, 10))
        {
        case 0:
          g_string_append_printf (g->s, "\"%u\"", 2000000 + gen_pick (g, 100));
          break;
        case 1:
          gen_string (g, gen_chance (g, 0.5) ? " 12" : "12x");
          break;
        case 2:
          g_string_append_printf (g->s, "%u.%u", 2000000 + gen_pick (g, 100), gen_pick (g, 10));
          break;
        case 3:
          g_string_append (g->s, gen_chance (g, 0.5) ? "null" : "false");
          break;
        default:
          g_string_append_printf (g->s, "%u", 2000000 + gen_pick (g, 100));
          break;
        }
      break;
    case 1: /* timestamp */
      if (gen_chance (g, 0.9))
        gen_string (g, stamps[gen_pick (g, G_N_ELEMENTS (stamps))]);
      else
        gen_unknown_value (g, 3);
      break;
    default: /* entries */
      if (gen_chance (g, 0.93))
        gen_object (g, entries, G_N_ELEMENTS (entries), 0.7, gen_entries_value);
      else
        gen_unknown_value (g, 3);
      break;
    }
}

static inline void
gen_quotes_array (MdGen *g)
{
  static const char *const names[] = { "contractId", "timestamp", "entries" };
  guint n = gen_pick (g, 5);

  g_string_append_c (g->s, '[');
  gen_ws (g);
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (g->s, ',');
      gen_ws (g);
      if (gen_chance (g, 0.95))
        gen_object (g, names, G_N_ELEMENTS (names), 0.93, gen_quote_value);
      else
        gen_unknown_value (g, 3);
      gen_ws (g);
    }
  g_string_append_c (g->s, ']');
}

static inline void
gen_data_value (MdGen *g,
                guint  which)
{
  if (gen_chance (g, 0.95))
    gen_quotes_array (g);
  else
    gen_unknown_value (g, 3);
}

static inline void
gen_message_value (MdGen *g,
                   guint  which)
{
  static const char *const names[] = { "quotes" };

  if (which == 0)
    gen_string (g, "md");
  else
    gen_object (g, names, 1, 0.95, gen_data_value);
}

static inline char *
gen_frame (MdGen *g)
{
  static const char *const names[] = { "e", "d" };
  guint n = 1 + (gen_chance (g, 0.2) ? gen_pick (g, 3) : 0);

  g->s = g_string_new ("a");
  gen_ws (g);
  g_string_append_c (g->s, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (g->s, ',');
      gen_ws (g);
      gen_object (g, names, 2, 1.0, gen_message_value);
      gen_ws (g);
    }
  g_string_append_c (g->s, ']');
  gen_ws (g);

  return g_string_free (g->s, FALSE);
}

static inline char *
gen_mutate (MdGen      *g,
            const char *text,
            gsize      *len)
{
  static const char specials[] = "{}[]\",:\\ \t\n0123456789.eE+-tfnu\x80\xc3\xff\x00x'/";
  GString *s = g_string_new_len (text, *len);

  for (guint n = 1 + gen_pick (g, 3); n > 0; n--)
    {
      gsize at = s->len > 0 ? gen_pick (g, (guint) s->len) : 0;

      switch (gen_pick (g, 6))
        {
        case 0: /* replace a byte */
          if (s->len > 0)
            s->str[at] = specials[gen_pick (g, sizeof specials - 1)];
          break;
        case 1: /* insert a byte */
          g_string_insert_c (s, at, specials[gen_pick (g, sizeof specials - 1)]);
          break;
        case 2: /* delete a run */
          {
            gsize run = 1 + gen_pick (g, 4);

            g_string_erase (s, at, MIN (run, s->len - at));
          }
          break;
        case 3: /* cut short */
          g_string_truncate (s, at);
          break;
        case 4: /* flip a bit */
          if (s->len > 0)
            s->str[at] ^= (char) (1u << gen_pick (g, 8));
          break;
        default: /* repeat a run */
          {
            gsize run = 1 + gen_pick (g, 16);
            g_autofree char *copy = NULL;

            run = MIN (run, s->len - at);
            copy = g_strndup (s->str + at, run);

            g_string_insert_len (s, at, copy, run);
          }
          break;
        }
    }

  *len = s->len;
  return g_string_free (s, FALSE);
}
