/* test-tradovate-md.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The market-data fast path against the general json-glib path: worked
 * examples, frames it must leave alone, many generated frames (random
 * field presence, values, whitespace, member order, escapes, unknown
 * members) that both must decode identically, and mutated frames on
 * which the fast path either agrees with json-glib or declines.
 */
#include "config.h"

#include <string.h>

#include "ea-tradovate-md.h"
#include "ea-tradovate-proto.h"

/* The general path as the adapter takes it: frame, then every message
 * that is an md event with an object `d`. *all_md is FALSE when some
 * message is anything else (the fast path must then decline). */
static gboolean
reference_decode (const char *text,
                  gsize       length,
                  GArray     *quotes,
                  gboolean   *all_md,
                  GError    **error)
{
  EaTvFrame frame;

  *all_md = FALSE;
  if (!ea_tv_frame_parse (text, length, &frame, error))
    return FALSE;

  if (frame.type == EA_TV_FRAME_ARRAY)
    {
      *all_md = TRUE;
      for (guint i = 0; i < json_array_get_length (frame.messages); i++)
        {
          JsonNode *node = json_array_get_element (frame.messages, i);
          JsonObject *m;
          JsonNode *d;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              *all_md = FALSE;
              continue;
            }
          m = json_node_get_object (node);
          d = json_object_get_member (m, "d");
          if (ea_tv_message_is_response (m, NULL, NULL) ||
              g_strcmp0 (ea_tv_message_event_name (m), "md") != 0 ||
              d == NULL || !JSON_NODE_HOLDS_OBJECT (d))
            {
              *all_md = FALSE;
              continue;
            }
          ea_tv_md_event_parse (json_node_get_object (d), quotes);
        }
    }

  ea_tv_frame_clear (&frame);
  return TRUE;
}

static gboolean
same_double (double a,
             double b)
{
  return memcmp (&a, &b, sizeof a) == 0;
}

static void
assert_same_quotes (GArray     *a,
                    GArray     *b,
                    const char *text)
{
  if (a->len != b->len)
    g_error ("%u quotes against %u for %s", a->len, b->len, text);

  for (guint i = 0; i < a->len; i++)
    {
      const EaTvQuote *x = &g_array_index (a, EaTvQuote, i);
      const EaTvQuote *y = &g_array_index (b, EaTvQuote, i);

      if (x->contract_id != y->contract_id || x->timestamp_us != y->timestamp_us ||
          !same_double (x->bid, y->bid) || !same_double (x->ask, y->ask) ||
          !same_double (x->last, y->last) ||
          x->bid_size != y->bid_size || x->ask_size != y->ask_size ||
          x->last_size != y->last_size || x->total_volume != y->total_volume ||
          x->has_bid != y->has_bid || x->has_ask != y->has_ask || x->has_last != y->has_last ||
          x->has_bid_size != y->has_bid_size || x->has_ask_size != y->has_ask_size ||
          x->has_last_size != y->has_last_size || x->has_total_volume != y->has_total_volume)
        g_error ("quote %u differs (contract %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT
                 ", bid %.17g/%.17g, ask %.17g/%.17g, last %.17g/%.17g, time %"
                 G_GINT64_FORMAT "/%" G_GINT64_FORMAT ") for %s",
                 i, x->contract_id, y->contract_id, x->bid, y->bid, x->ask, y->ask,
                 x->last, y->last, x->timestamp_us, y->timestamp_us, text);
    }
}

/* Worked examples --------------------------------------------------------- */

static void
test_worked_example (void)
{
  const char *text =
    "a[{\"e\":\"md\",\"d\":{\"quotes\":["
    "{\"timestamp\":\"2026-11-24T15:00:07.125Z\",\"contractId\":2287011,"
    "\"entries\":{\"Bid\":{\"price\":6800.25,\"size\":12},"
    "\"Offer\":{\"price\":6800.5,\"size\":7},"
    "\"Trade\":{\"price\":6800.25,\"size\":2},"
    "\"TotalTradeVolume\":{\"size\":104512},"
    "\"OpeningPrice\":{\"price\":6790}}},"
    " { \"contractId\" : \"2287012\" , \"entries\" : { \"Trade\" : { \"price\" : -1.5e1 } } , "
    "\"meta\":{\"a\":[1,2,{\"b\":\"x\\\"y\\u00e9\"}]} },"
    "{\"contractId\":5},"
    "17,"
    "{\"contractId\":6,\"entries\":{\"Bid\":{\"price\":\"6800\",\"size\":-1},\"Offer\":null}}"
    "]}}]";
  g_autoptr(GArray) quotes = g_array_new (FALSE, FALSE, sizeof (EaTvQuote));
  const EaTvQuote *q;

  g_assert_cmpint (ea_tv_md_frame_decode (text, strlen (text), quotes), ==, EA_TV_MD_HANDLED);
  g_assert_cmpuint (quotes->len, ==, 3);

  q = &g_array_index (quotes, EaTvQuote, 0);
  g_assert_cmpint (q->contract_id, ==, 2287011);
  /* 2026-11-24 is day 20781 of the Unix epoch. */
  g_assert_cmpint (q->timestamp_us, ==, (G_GINT64_CONSTANT (20781) * 86400 + 15 * 3600 + 7) * 1000000 + 125000);
  g_assert_true (q->has_bid && q->has_ask && q->has_last);
  g_assert_cmpfloat (q->bid, ==, 6800.25);
  g_assert_cmpfloat (q->ask, ==, 6800.5);
  g_assert_cmpfloat (q->last, ==, 6800.25);
  g_assert_cmpint (q->bid_size, ==, 12);
  g_assert_cmpint (q->ask_size, ==, 7);
  g_assert_cmpint (q->last_size, ==, 2);
  g_assert_cmpint (q->total_volume, ==, 104512);
  g_assert_true (q->has_total_volume);

  q = &g_array_index (quotes, EaTvQuote, 1);
  g_assert_cmpint (q->contract_id, ==, 2287012);
  g_assert_cmpint (q->timestamp_us, ==, 0);
  g_assert_false (q->has_bid || q->has_ask || q->has_last_size || q->has_total_volume);
  g_assert_true (q->has_last);
  g_assert_cmpfloat (q->last, ==, -15.0);

  /* A string price and a negative size do not count. */
  q = &g_array_index (quotes, EaTvQuote, 2);
  g_assert_cmpint (q->contract_id, ==, 6);
  g_assert_false (q->has_bid || q->has_bid_size || q->has_ask || q->has_ask_size);

  /* Several md messages in one frame, and an empty frame. */
  {
    const char *two = "a[{\"d\":{\"quotes\":[{\"contractId\":1,\"entries\":{}}]},\"e\":\"md\"},"
                      "{\"e\":\"\\u006dd\",\"d\":{\"quotes\":[{\"contractId\":2.9,\"entries\":{}}]}}]";

    g_array_set_size (quotes, 0);
    g_assert_cmpint (ea_tv_md_frame_decode (two, strlen (two), quotes), ==, EA_TV_MD_HANDLED);
    g_assert_cmpuint (quotes->len, ==, 2);
    g_assert_cmpint (g_array_index (quotes, EaTvQuote, 0).contract_id, ==, 1);
    g_assert_cmpint (g_array_index (quotes, EaTvQuote, 1).contract_id, ==, 2);

    g_array_set_size (quotes, 0);
    g_assert_cmpint (ea_tv_md_frame_decode ("a[]", 3, quotes), ==, EA_TV_MD_HANDLED);
    g_assert_cmpuint (quotes->len, ==, 0);
  }
}

/* Exact numbers: the fast decimal path and g_ascii_strtod() agree, and
 * beyond its range the scanner falls back to g_ascii_strtod(). */
static void
test_numbers (void)
{
  static const char *const numbers[] = {
    "6800.25", "0.1", "0.3", "1e22", "1e23", "9007199254740993.0", "9007199254740992.5",
    "123456789012345678901234567890.5", "4.9e-324", "2.2250738585072014e-308", "1e400",
    "1.7976931348623157e308", "0.000000000000000000000000001", "-0", "-0.0", "-1E+2",
    "3.14159265358979323846264338327950288", "72057594037927945.0", "1e-22", "8.5e-23",
  };

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autofree char *text = g_strdup_printf ("a[{\"e\":\"md\",\"d\":{\"quotes\":[{\"contractId\":1,"
                                               "\"entries\":{\"Bid\":{\"price\":%s}}}]}}]", numbers[i]);
      g_autoptr(GArray) fast = g_array_new (FALSE, FALSE, sizeof (EaTvQuote));
      g_autoptr(GArray) slow = g_array_new (FALSE, FALSE, sizeof (EaTvQuote));
      gboolean all_md;
      double expected = g_ascii_strtod (numbers[i], NULL);

      g_assert_cmpint (ea_tv_md_frame_decode (text, strlen (text), fast), ==, EA_TV_MD_HANDLED);
      g_assert_true (reference_decode (text, strlen (text), slow, &all_md, NULL));
      assert_same_quotes (fast, slow, text);
      g_assert_cmpuint (fast->len, ==, 1);
      if (strchr (numbers[i], '.') || strchr (numbers[i], 'e') || strchr (numbers[i], 'E'))
        g_assert_true (same_double (g_array_index (fast, EaTvQuote, 0).bid, expected));
    }
}

/* Frames the fast path must leave to json-glib: other frames and events,
 * responses, malformed JSON, and JSON json-glib reads its own way. */
static void
test_declines (void)
{
  static const char *const frames[] = {
    "o", "h", "c[1000,\"bye\"]", "a", "a[", "a[{}]", "a[1]",
    "a[{\"i\":0,\"s\":200}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[]},\"i\":3}]",
    "a[{\"e\":\"props\",\"d\":{\"entityType\":\"order\",\"entity\":{}}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[]}},{\"e\":\"shutdown\",\"d\":{}}]",
    "a[{\"e\":\"md\",\"d\":[]}]",
    "a[{\"e\":\"md\"}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[]},}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[1,]}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[]}}]x",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[]}}]]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[]}}",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[]}}][]",
    "a[{\"e\":\"md\" \"d\":{\"quotes\":[]}}]",
    "a[{'e':'md','d':{'quotes':[]}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[]}} /* c */]",
    "a\xef\xbb\xbf[{\"e\":\"md\",\"d\":{\"quotes\":[]}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":01}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":0x1f}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":.5}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":1.}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":1e}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":- 1}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":+1}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":12345678901234567890}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":TRUE}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":nul}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":\"a\\u0000b\"}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":\"\\ud800\"}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":\"\\udc00\\ud800\"}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":\"\\u12\"}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":\"\\x\"}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":\"\\0\"}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":\"tab\there\"}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":\"\xc3\x28\"}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":\"\xed\xa0\x80\"}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"x\":\"unterminated}}]",
    "a[{\"e\":\"md\",\"e\":\"md\",\"d\":{\"quotes\":[]}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[],\"quotes\":[]}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[{\"contractId\":1,\"contractId\":2,\"entries\":{}}]}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[{\"contractId\":1,\"entries\":{\"Bid\":{},\"B\\u0069d\":{}}}]}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[{\"contractId\":1,\"entries\":{\"Bid\":{\"size\":1,\"size\":2}}}]}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[{\"contractId\":1e30,\"entries\":{}}]}}]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr(GArray) quotes = g_array_new (FALSE, FALSE, sizeof (EaTvQuote));
      EaTvQuote sentinel = { .contract_id = 42 };

      g_test_message ("frame %u: %s", i, frames[i]);
      g_array_append_val (quotes, sentinel);
      g_assert_cmpint (ea_tv_md_frame_decode (frames[i], strlen (frames[i]), quotes), ==,
                       EA_TV_MD_NOT_HANDLED);
      /* Untouched. */
      g_assert_cmpuint (quotes->len, ==, 1);
      g_assert_cmpint (g_array_index (quotes, EaTvQuote, 0).contract_id, ==, 42);
    }

  /* The length is honoured: a NUL inside, or a frame cut short. */
  {
    static const char with_nul[] = "a[{\"e\":\"md\",\"d\":{\"quotes\":[]}}]\0";
    g_autoptr(GArray) quotes = g_array_new (FALSE, FALSE, sizeof (EaTvQuote));

    g_assert_cmpint (ea_tv_md_frame_decode (with_nul, sizeof with_nul - 1, quotes), ==, EA_TV_MD_NOT_HANDLED);
    g_assert_cmpint (ea_tv_md_frame_decode (with_nul, sizeof with_nul - 2, quotes), ==, EA_TV_MD_HANDLED);
    g_assert_cmpint (ea_tv_md_frame_decode (with_nul, sizeof with_nul - 3, quotes), ==, EA_TV_MD_NOT_HANDLED);
  }
}

/* Generated frames -------------------------------------------------------- */

typedef struct
{
  GRand   *rand;
  GString *s;
} Gen;

static gboolean
chance (Gen    *g,
        double  p)
{
  return g_rand_double (g->rand) < p;
}

static guint
pick (Gen   *g,
      guint  n)
{
  return (guint) g_rand_int_range (g->rand, 0, (gint32) n);
}

static void
ws (Gen *g)
{
  static const char spaces[] = " \t\n\r";

  if (chance (g, 0.15))
    for (guint n = 1 + pick (g, 3); n > 0; n--)
      g_string_append_c (g->s, spaces[pick (g, 4)]);
}

/* A string's body; escapes of every kind and raw UTF-8, decoded length
 * well under any limit. */
static void
string_body (Gen        *g,
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
        if ((guchar) *c < 0x80 && chance (g, 0.05))
          g_string_append_printf (g->s, "\\u%04x", (guint) (guchar) *c);
        else
          g_string_append_c (g->s, *c);
      return;
    }

  for (guint n = pick (g, 8); n > 0; n--)
    g_string_append (g->s, pieces[pick (g, G_N_ELEMENTS (pieces))]);
}

static void
string (Gen        *g,
        const char *plain)
{
  g_string_append_c (g->s, '"');
  string_body (g, plain);
  g_string_append_c (g->s, '"');
}

static void
key (Gen        *g,
     const char *name)
{
  ws (g);
  string (g, name);
  ws (g);
  g_string_append_c (g->s, ':');
  ws (g);
}

static void
number (Gen *g)
{
  switch (pick (g, 9))
    {
    case 0:
      g_string_append_printf (g->s, "%u.%02u", 6000 + pick (g, 2000), pick (g, 100));
      break;
    case 1:
      g_string_append_printf (g->s, "%d", (int) pick (g, 2000000) - 1000);
      break;
    case 2:
      {
        /* Random digits, fraction and exponent: both number paths. */
        guint int_digits = 1 + pick (g, 17), frac_digits = pick (g, 14);

        if (chance (g, 0.3))
          g_string_append_c (g->s, '-');
        g_string_append_c (g->s, (char) ('1' + pick (g, 9)));
        for (guint i = 1; i < int_digits; i++)
          g_string_append_c (g->s, (char) ('0' + pick (g, 10)));
        if (frac_digits > 0 || int_digits > 18)
          {
            g_string_append_c (g->s, '.');
            for (guint i = 0; i <= frac_digits; i++)
              g_string_append_c (g->s, (char) ('0' + pick (g, 10)));
          }
        if (chance (g, 0.4))
          g_string_append_printf (g->s, "%c%s%u", chance (g, 0.5) ? 'e' : 'E',
                                  chance (g, 0.3) ? "+" : chance (g, 0.5) ? "-" : "",
                                  pick (g, 40));
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
      g_string_append_printf (g->s, "%.*g", 1 + (int) pick (g, 16), g_rand_double_range (g->rand, -1e6, 1e6));
      break;
    case 5:
      {
        static const char *const odd[] = {
          "-0", "-0.0", "0", "0.0", "0e0", "1e400", "-1e400", "1e-400", "4.9e-324",
          "999999999999999", "1e15", "1e14", "999999999999999999", "-999999999999999999",
          "123456789012345678901234567890.1", "0.000000000000000000000000000001234",
        };
        g_string_append (g->s, odd[pick (g, G_N_ELEMENTS (odd))]);
      }
      break;
    case 6:
      g_string_append_printf (g->s, "%u.%u", pick (g, 100), pick (g, 1000));
      break;
    case 7:
      g_string_append_printf (g->s, "%ue%d", 1 + pick (g, 999), (int) pick (g, 50) - 25);
      break;
    default:
      g_string_append_printf (g->s, "%u", pick (g, 100));
      break;
    }
}

static void unknown_value (Gen *g, guint depth);

static void
unknown_members (Gen   *g,
                 guint  depth,
                 guint  max)
{
  static const char *const names[] = {
    "id", "name", "meta", "x", "Bid ", "bid", "PRICE", "contractid", "\xc3\xa9t\xc3\xa9", "",
    "charts", "histograms", "q", "timestampx", "E", "D",
  };

  for (guint n = pick (g, max + 1); n > 0; n--)
    {
      g_string_append_c (g->s, ',');
      key (g, names[pick (g, G_N_ELEMENTS (names))]);
      unknown_value (g, depth + 1);
      ws (g);
    }
}

static void
unknown_value (Gen   *g,
               guint  depth)
{
  switch (pick (g, depth > 3 ? 5 : 7))
    {
    case 0:
      string (g, NULL);
      break;
    case 1:
      number (g);
      break;
    case 2:
      g_string_append (g->s, "true");
      break;
    case 3:
      g_string_append (g->s, chance (g, 0.5) ? "false" : "null");
      break;
    case 4:
      string (g, "2026-11-24T15:00:00Z");
      break;
    case 5:
      g_string_append_c (g->s, '{');
      ws (g);
      if (chance (g, 0.7))
        {
          key (g, "k");
          unknown_value (g, depth + 1);
          ws (g);
          unknown_members (g, depth, 3);
        }
      g_string_append_c (g->s, '}');
      break;
    default:
      g_string_append_c (g->s, '[');
      ws (g);
      for (guint n = pick (g, 4), i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append_c (g->s, ',');
          ws (g);
          unknown_value (g, depth + 1);
          ws (g);
        }
      g_string_append_c (g->s, ']');
      break;
    }
}

typedef void (*MemberFunc) (Gen *g, guint which);

/* An object of the members @names (each maybe left out, in random order)
 * and unknown members around them. */
static void
object (Gen               *g,
        const char *const *names,
        guint              n_names,
        double             presence,
        MemberFunc         value)
{
  guint order[8];
  gboolean first = TRUE;

  g_assert_cmpuint (n_names, <=, G_N_ELEMENTS (order));
  for (guint i = 0; i < n_names; i++)
    order[i] = i;
  for (guint i = n_names; i > 1; i--)
    {
      guint j = pick (g, i), t = order[i - 1];

      order[i - 1] = order[j];
      order[j] = t;
    }

  g_string_append_c (g->s, '{');
  ws (g);
  for (guint i = 0; i < n_names; i++)
    {
      if (!chance (g, presence))
        continue;
      if (!first)
        g_string_append_c (g->s, ',');
      first = FALSE;
      key (g, names[order[i]]);
      value (g, order[i]);
      ws (g);
    }
  if (first)
    {
      /* Unknown members need a known one before their commas. */
      key (g, "u");
      unknown_value (g, 2);
      ws (g);
    }
  unknown_members (g, 2, 2);
  g_string_append_c (g->s, '}');
}

static void
entry_value (Gen   *g,
             guint  which)
{
  switch (pick (g, 12))
    {
    case 0:
      string (g, "6800.25");
      break;
    case 1:
      g_string_append (g->s, chance (g, 0.5) ? "null" : "true");
      break;
    case 2:
      g_string_append_printf (g->s, "-%u", pick (g, 10));
      break;
    default:
      number (g);
      break;
    }
}

static void
entries_value (Gen   *g,
               guint  which)
{
  static const char *const names[] = { "price", "size" };

  if (chance (g, 0.9))
    object (g, names, G_N_ELEMENTS (names), 0.8, entry_value);
  else
    unknown_value (g, 3);
}

static void
quote_value (Gen   *g,
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
      switch (pick (g, 10))
        {
        case 0:
          g_string_append_printf (g->s, "\"%u\"", 2000000 + pick (g, 100));
          break;
        case 1:
          string (g, chance (g, 0.5) ? " 12" : "12x");
          break;
        case 2:
          g_string_append_printf (g->s, "%u.%u", 2000000 + pick (g, 100), pick (g, 10));
          break;
        case 3:
          g_string_append (g->s, chance (g, 0.5) ? "null" : "false");
          break;
        default:
          g_string_append_printf (g->s, "%u", 2000000 + pick (g, 100));
          break;
        }
      break;
    case 1: /* timestamp */
      if (chance (g, 0.9))
        string (g, stamps[pick (g, G_N_ELEMENTS (stamps))]);
      else
        unknown_value (g, 3);
      break;
    default: /* entries */
      if (chance (g, 0.93))
        object (g, entries, G_N_ELEMENTS (entries), 0.7, entries_value);
      else
        unknown_value (g, 3);
      break;
    }
}

static void
quotes_array (Gen *g)
{
  static const char *const names[] = { "contractId", "timestamp", "entries" };
  guint n = pick (g, 5);

  g_string_append_c (g->s, '[');
  ws (g);
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (g->s, ',');
      ws (g);
      if (chance (g, 0.95))
        object (g, names, G_N_ELEMENTS (names), 0.93, quote_value);
      else
        unknown_value (g, 3);
      ws (g);
    }
  g_string_append_c (g->s, ']');
}

static void
data_value (Gen   *g,
            guint  which)
{
  if (chance (g, 0.95))
    quotes_array (g);
  else
    unknown_value (g, 3);
}

static void
message_value (Gen   *g,
               guint  which)
{
  static const char *const names[] = { "quotes" };

  if (which == 0)
    string (g, "md");
  else
    object (g, names, 1, 0.95, data_value);
}

static char *
generate_frame (Gen *g)
{
  static const char *const names[] = { "e", "d" };
  guint n = 1 + (chance (g, 0.2) ? pick (g, 3) : 0);

  g->s = g_string_new ("a");
  ws (g);
  g_string_append_c (g->s, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (g->s, ',');
      ws (g);
      object (g, names, 2, 1.0, message_value);
      ws (g);
    }
  g_string_append_c (g->s, ']');
  ws (g);

  return g_string_free (g->s, FALSE);
}

static void
test_differential (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261124);
  Gen g = { rand, NULL };
  guint total_quotes = 0;
  guint n_frames = g_test_slow () ? 100000 : 10000;

  for (guint i = 0; i < n_frames; i++)
    {
      g_autofree char *text = generate_frame (&g);
      gsize len = strlen (text);
      g_autoptr(GArray) fast = g_array_new (FALSE, FALSE, sizeof (EaTvQuote));
      g_autoptr(GArray) slow = g_array_new (FALSE, FALSE, sizeof (EaTvQuote));
      gboolean all_md;
      g_autoptr(GError) error = NULL;

      if (!reference_decode (text, len, slow, &all_md, &error) || !all_md)
        g_error ("generated frame %u is not an md frame for json-glib (%s): %s",
                 i, error ? error->message : "not md", text);
      if (ea_tv_md_frame_decode (text, len, fast) != EA_TV_MD_HANDLED)
        g_error ("the fast path declined generated frame %u: %s", i, text);
      assert_same_quotes (fast, slow, text);
      total_quotes += fast->len;
    }

  /* The generator is not degenerate. */
  g_assert_cmpuint (total_quotes, >, n_frames);
}

/* Mutated frames ---------------------------------------------------------- */

static char *
mutate (Gen        *g,
        const char *text,
        gsize      *len)
{
  static const char specials[] = "{}[]\",:\\ \t\n0123456789.eE+-tfnu\x80\xc3\xff\x00x'/";
  GString *s = g_string_new_len (text, *len);

  for (guint n = 1 + pick (g, 3); n > 0; n--)
    {
      gsize at = s->len > 0 ? pick (g, (guint) s->len) : 0;

      switch (pick (g, 6))
        {
        case 0: /* replace a byte */
          if (s->len > 0)
            s->str[at] = specials[pick (g, sizeof specials - 1)];
          break;
        case 1: /* insert a byte */
          g_string_insert_c (s, at, specials[pick (g, sizeof specials - 1)]);
          break;
        case 2: /* delete a run */
          {
            gsize run = 1 + pick (g, 4);

            g_string_erase (s, at, MIN (run, s->len - at));
          }
          break;
        case 3: /* cut short */
          g_string_truncate (s, at);
          break;
        case 4: /* flip a bit */
          if (s->len > 0)
            s->str[at] ^= (char) (1u << pick (g, 8));
          break;
        default: /* repeat a run */
          {
            gsize run = 1 + pick (g, 16);
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

static void
test_fuzz (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  Gen g = { rand, NULL };
  guint handled = 0, declined = 0, rejected = 0;
  guint n_frames = g_test_slow () ? 200000 : 20000;

  for (guint i = 0; i < n_frames; i++)
    {
      g_autofree char *original = generate_frame (&g);
      gsize len = strlen (original);
      g_autofree char *text = mutate (&g, original, &len);
      g_autoptr(GArray) fast = g_array_new (FALSE, FALSE, sizeof (EaTvQuote));
      g_autoptr(GArray) slow = g_array_new (FALSE, FALSE, sizeof (EaTvQuote));
      gboolean all_md = FALSE;
      gboolean accepted = reference_decode (text, len, slow, &all_md, NULL);

      rejected += !accepted;

      if (ea_tv_md_frame_decode (text, len, fast) != EA_TV_MD_HANDLED)
        {
          declined++;
          g_assert_cmpuint (fast->len, ==, 0);
          continue;
        }

      handled++;
      if (!accepted || !all_md)
        {
          g_autofree char *escaped = g_strescape (text, NULL);

          g_error ("the fast path took a frame json-glib %s: %s",
                   accepted ? "does not read as md events" : "rejects", escaped);
        }
      assert_same_quotes (fast, slow, text);
    }

  g_test_message ("%u mutated frames: %u handled, %u declined, %u rejected by json-glib",
                  n_frames, handled, declined, rejected);
  /* Both outcomes are exercised. */
  g_assert_cmpuint (handled, >, n_frames / 20);
  g_assert_cmpuint (rejected, >, n_frames / 4);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tradovate/md/worked-example", test_worked_example);
  g_test_add_func ("/tradovate/md/numbers", test_numbers);
  g_test_add_func ("/tradovate/md/declines", test_declines);
  g_test_add_func ("/tradovate/md/differential", test_differential);
  g_test_add_func ("/tradovate/md/fuzz", test_fuzz);

  return g_test_run ();
}
