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
#include "tradovate-md-gen.h"

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
      g_autofree char *shown = g_strescape (frames[i], NULL);

      /* Escaped: some frames are not UTF-8, and TAP output must be. */
      g_test_message ("frame %u: %s", i, shown);
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

static void
test_differential (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261124);
  MdGen g = { rand, NULL };
  guint total_quotes = 0;
  guint n_frames = g_test_slow () ? 100000 : 10000;

  for (guint i = 0; i < n_frames; i++)
    {
      g_autofree char *text = gen_frame (&g);
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

static void
test_fuzz (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  MdGen g = { rand, NULL };
  guint handled = 0, declined = 0, rejected = 0;
  guint n_frames = g_test_slow () ? 200000 : 20000;

  for (guint i = 0; i < n_frames; i++)
    {
      g_autofree char *original = gen_frame (&g);
      gsize len = strlen (original);
      g_autofree char *text = gen_mutate (&g, original, &len);
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
