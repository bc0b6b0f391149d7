/* test-tradovate-proto.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ea-tradovate-proto.h"

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static void
test_frames (void)
{
  static const struct {
    const char *text;
    gboolean ok;
    EaTvFrameType type;
    guint n_messages;
    int close_code;
    const char *close_reason;
  } cases[] = {
    { "o", TRUE, EA_TV_FRAME_OPEN, 0, 0, NULL },
    { "h", TRUE, EA_TV_FRAME_HEARTBEAT, 0, 0, NULL },
    { "a[]", TRUE, EA_TV_FRAME_ARRAY, 0, 0, NULL },
    { "a[{\"i\":0,\"s\":200}]", TRUE, EA_TV_FRAME_ARRAY, 1, 0, NULL },
    { "a[{\"e\":\"props\",\"d\":{}},{\"i\":3,\"s\":200,\"d\":[]}]", TRUE, EA_TV_FRAME_ARRAY, 2, 0, NULL },
    { "c", TRUE, EA_TV_FRAME_CLOSE, 0, 0, NULL },
    { "c[1000,\"Normal closure\"]", TRUE, EA_TV_FRAME_CLOSE, 0, 1000, "Normal closure" },
    { "", FALSE, 0, 0, 0, NULL },
    { "x", FALSE, 0, 0, 0, NULL },
    { "oo", FALSE, 0, 0, 0, NULL },
    { "hh", FALSE, 0, 0, 0, NULL },
    { "a", FALSE, 0, 0, 0, NULL },
    { "a{", FALSE, 0, 0, 0, NULL },
    { "a{}", FALSE, 0, 0, 0, NULL },
    { "a[{\"i\":1,", FALSE, 0, 0, 0, NULL },
    { "[]", FALSE, 0, 0, 0, NULL },
    { "c[oops", FALSE, 0, 0, 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      EaTvFrame frame;
      g_autoptr(GError) error = NULL;
      gboolean ok = ea_tv_frame_parse (cases[i].text, -1, &frame, &error);

      g_test_message ("frame %u: %s", i, cases[i].text);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (!ok)
        {
          g_assert_error (error, EA_TV_ERROR, EA_TV_ERROR_MALFORMED);
          g_assert_null (frame.messages);
          continue;
        }

      g_assert_no_error (error);
      g_assert_cmpint (frame.type, ==, cases[i].type);
      if (frame.type == EA_TV_FRAME_ARRAY)
        g_assert_cmpuint (json_array_get_length (frame.messages), ==, cases[i].n_messages);
      g_assert_cmpint (frame.close_code, ==, cases[i].close_code);
      g_assert_cmpstr (frame.close_reason, ==, cases[i].close_reason);
      ea_tv_frame_clear (&frame);
    }
}

static void
test_frame_build_roundtrip (void)
{
  g_autoptr(JsonNode) a = parse ("{\"i\":7,\"s\":200,\"d\":{\"orderId\":42}}");
  g_autoptr(JsonNode) b = parse ("{\"e\":\"md\",\"d\":{\"quotes\":[]}}");
  JsonNode *messages[] = { a, b };
  g_autofree char *text = ea_tv_frame_build_array (messages, 2);
  EaTvFrame frame;
  gint64 id = 0, status = 0;

  g_assert_true (text[0] == 'a');
  g_assert_true (ea_tv_frame_parse (text, -1, &frame, NULL));
  g_assert_cmpuint (json_array_get_length (frame.messages), ==, 2);
  g_assert_true (ea_tv_message_is_response (json_array_get_object_element (frame.messages, 0), &id, &status));
  g_assert_cmpint (id, ==, 7);
  g_assert_cmpint (status, ==, 200);
  g_assert_false (ea_tv_message_is_response (json_array_get_object_element (frame.messages, 1), NULL, NULL));
  g_assert_cmpstr (ea_tv_message_event_name (json_array_get_object_element (frame.messages, 1)), ==, "md");
  g_assert_null (ea_tv_message_event_name (json_array_get_object_element (frame.messages, 0)));
  ea_tv_frame_clear (&frame);
}

static void
test_requests (void)
{
  g_autofree char *authorize = ea_tv_request_format ("authorize", 0, NULL, "TOKEN");
  g_autofree char *list = ea_tv_request_format ("/account/list", 4, NULL, NULL);
  g_autofree char *deps = ea_tv_request_format ("tradingPermission/ldeps", 8, "masterids=1", NULL);
  EaTvRequest request;
  g_autoptr(GError) error = NULL;

  /* Exactly the documented examples. */
  g_assert_cmpstr (authorize, ==, "authorize\n0\n\nTOKEN");
  g_assert_cmpstr (list, ==, "account/list\n4\n\n");
  g_assert_cmpstr (deps, ==, "tradingPermission/ldeps\n8\nmasterids=1\n");

  g_assert_true (ea_tv_request_parse (deps, -1, &request, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (request.endpoint, ==, "tradingPermission/ldeps");
  g_assert_cmpint (request.id, ==, 8);
  g_assert_cmpstr (request.query, ==, "masterids=1");
  g_assert_cmpstr (request.body, ==, "");
  ea_tv_request_clear (&request);

  /* A body may contain newlines of its own. */
  g_assert_true (ea_tv_request_parse ("order/placeorder\n12\n\n{\"a\":\n1}", -1, &request, NULL));
  g_assert_cmpstr (request.body, ==, "{\"a\":\n1}");
  ea_tv_request_clear (&request);

  {
    static const char *bad[] = {
      "", "account/list", "account/list\n4\n", "\n4\n\n", "account/list\nx\n\n",
      "account/list\n-1\n\n", "account/list\n\n\n", "account/list\n4a\n\n",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) bad_error = NULL;

        g_assert_false (ea_tv_request_parse (bad[i], -1, &request, &bad_error));
        g_assert_error (bad_error, EA_TV_ERROR, EA_TV_ERROR_MALFORMED);
        g_assert_null (request.endpoint);
      }
  }
}

static void
test_penalty (void)
{
  EaTvPenalty penalty;
  g_autoptr(JsonNode) plain = parse ("{\"p-ticket\":\"T1\",\"p-time\":15}");
  g_autoptr(JsonNode) captcha = parse ("{\"p-ticket\":\"T2\",\"p-time\":\"3600\",\"p-captcha\":true}");
  g_autoptr(JsonNode) none = parse ("{\"orderId\":5}");
  g_autoptr(JsonNode) array = parse ("[1,2]");

  g_assert_true (ea_tv_penalty_parse (plain, &penalty));
  g_assert_cmpstr (penalty.ticket, ==, "T1");
  g_assert_cmpint (penalty.wait_seconds, ==, 15);
  g_assert_false (penalty.captcha);
  ea_tv_penalty_clear (&penalty);

  g_assert_true (ea_tv_penalty_parse (captcha, &penalty));
  g_assert_cmpint (penalty.wait_seconds, ==, 3600);
  g_assert_true (penalty.captcha);
  ea_tv_penalty_clear (&penalty);

  g_assert_false (ea_tv_penalty_parse (none, &penalty));
  g_assert_false (ea_tv_penalty_parse (array, &penalty));
  g_assert_false (ea_tv_penalty_parse (NULL, &penalty));
}

static void
test_token (void)
{
  EaTvToken token;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) good = parse ("{\"accessToken\":\"AT\",\"mdAccessToken\":\"MD\","
                                    "\"expirationTime\":\"2026-11-24T16:20:00.000Z\","
                                    "\"userStatus\":\"Active\",\"userId\":77,\"name\":\"jdoe\",\"hasLive\":false}");

  g_assert_true (ea_tv_token_parse (good, &token, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (token.access_token, ==, "AT");
  g_assert_cmpstr (token.md_access_token, ==, "MD");
  g_assert_cmpint (token.user_id, ==, 77);
  g_assert_cmpint (g_date_time_to_unix (token.expiration), ==, 1795537200);
  ea_tv_token_clear (&token);

  {
    static const struct {
      const char *json;
      int code;
    } bad[] = {
      { "{\"errorText\":\"Incorrect username or password\"}", EA_TV_ERROR_AUTH },
      { "{\"p-ticket\":\"X\",\"p-time\":5}", EA_TV_ERROR_PENALTY },
      { "{\"p-ticket\":\"X\",\"p-time\":5,\"p-captcha\":true}", EA_TV_ERROR_CAPTCHA },
      { "{\"accessToken\":\"AT\"}", EA_TV_ERROR_MALFORMED },
      { "{\"accessToken\":\"AT\",\"expirationTime\":\"tomorrow\"}", EA_TV_ERROR_MALFORMED },
      { "{\"accessToken\":\"\",\"expirationTime\":\"2026-11-24T16:20:00Z\"}", EA_TV_ERROR_MALFORMED },
      { "[]", EA_TV_ERROR_MALFORMED },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(JsonNode) node = parse (bad[i].json);
        g_autoptr(GError) bad_error = NULL;

        g_assert_false (ea_tv_token_parse (node, &token, &bad_error));
        g_assert_error (bad_error, EA_TV_ERROR, bad[i].code);
        g_assert_null (token.access_token);
      }
  }
}

static void
test_quotes (void)
{
  g_autoptr(JsonNode) event = parse (
    "{\"quotes\":["
    "{\"timestamp\":\"2026-11-24T15:00:00.250Z\",\"contractId\":123,\"entries\":{"
    "\"Bid\":{\"price\":6800.25,\"size\":12},\"Offer\":{\"price\":6800.5,\"size\":9},"
    "\"Trade\":{\"price\":6800.5,\"size\":2},\"TotalTradeVolume\":{\"size\":150000}}},"
    "{\"contractId\":124,\"entries\":{\"Bid\":{\"size\":3},\"Offer\":{\"price\":25000}}},"
    "{\"entries\":{}},"
    "\"garbage\","
    "{\"contractId\":\"oops\",\"entries\":{}},"
    "{\"contractId\":125}"
    "]}");
  g_autoptr(GArray) quotes = g_array_new (FALSE, FALSE, sizeof (EaTvQuote));
  EaTvQuote *q;

  g_assert_cmpuint (ea_tv_md_event_parse (json_node_get_object (event), quotes), ==, 2);
  g_assert_cmpuint (quotes->len, ==, 2);

  q = &g_array_index (quotes, EaTvQuote, 0);
  g_assert_cmpint (q->contract_id, ==, 123);
  g_assert_true (q->has_bid && q->has_ask && q->has_last && q->has_total_volume);
  g_assert_cmpfloat (q->bid, ==, 6800.25);
  g_assert_cmpfloat (q->ask, ==, 6800.5);
  g_assert_cmpint (q->bid_size, ==, 12);
  g_assert_cmpint (q->ask_size, ==, 9);
  g_assert_cmpint (q->last_size, ==, 2);
  g_assert_cmpint (q->total_volume, ==, 150000);
  g_assert_cmpint (q->timestamp_us, ==, G_GINT64_CONSTANT (1795532400250000));

  /* Missing price or size within an entry, and missing entries. */
  q = &g_array_index (quotes, EaTvQuote, 1);
  g_assert_cmpint (q->contract_id, ==, 124);
  g_assert_false (q->has_bid);
  g_assert_true (q->has_bid_size);
  g_assert_cmpint (q->bid_size, ==, 3);
  g_assert_true (q->has_ask);
  g_assert_false (q->has_ask_size);
  g_assert_false (q->has_last);
  g_assert_cmpint (q->timestamp_us, ==, 0);
}

/* Thousands of mutated frames and requests: every one is either parsed
 * or refused with an error; nothing crashes. */
static void
test_fuzz (void)
{
  static const char *seeds[] = {
    "a[{\"i\":3,\"s\":200,\"d\":{\"orderId\":42}}]",
    "a[{\"e\":\"md\",\"d\":{\"quotes\":[{\"contractId\":1,\"entries\":{\"Bid\":{\"price\":1.5,\"size\":2}}}]}}]",
    "a[{\"e\":\"props\",\"d\":{\"entityType\":\"order\",\"eventType\":\"Updated\",\"entity\":{\"id\":1}}}]",
    "c[1000,\"bye\"]",
    "order/placeorder\n9\n\n{\"action\":\"Buy\"}",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261124);
  guint parsed = 0, refused = 0;

  for (guint iter = 0; iter < 20000; iter++)
    {
      const char *seed = seeds[iter % G_N_ELEMENTS (seeds)];
      g_autofree char *text = g_strdup (seed);
      gsize len = strlen (text);
      guint mutations = g_rand_int_range (rand, 1, 5);
      EaTvFrame frame;
      EaTvRequest request;
      GError *error = NULL;

      for (guint m = 0; m < mutations; m++)
        {
          gsize pos = g_rand_int_range (rand, 0, len);

          switch (g_rand_int_range (rand, 0, 3))
            {
            case 0: text[pos] = (char) g_rand_int_range (rand, 1, 256); break;
            case 1: len = pos; text[len] = '\0'; break;
            default: text[pos] = "[]{}\",:\n0a"[g_rand_int_range (rand, 0, 11)]; break;
            }
          if (len == 0)
            break;
        }

      if (ea_tv_frame_parse (text, len, &frame, &error))
        {
          if (frame.messages != NULL)
            {
              for (guint i = 0; i < json_array_get_length (frame.messages); i++)
                {
                  JsonNode *node = json_array_get_element (frame.messages, i);
                  g_autoptr(GArray) quotes = g_array_new (FALSE, FALSE, sizeof (EaTvQuote));
                  EaTvPenalty penalty;

                  if (JSON_NODE_HOLDS_OBJECT (node))
                    {
                      JsonObject *object = json_node_get_object (node);
                      JsonNode *d = json_object_get_member (object, "d");

                      ea_tv_message_is_response (object, NULL, NULL);
                      ea_tv_message_event_name (object);
                      if (d != NULL && JSON_NODE_HOLDS_OBJECT (d))
                        ea_tv_md_event_parse (json_node_get_object (d), quotes);
                      if (ea_tv_penalty_parse (d, &penalty))
                        ea_tv_penalty_clear (&penalty);
                    }
                }
            }
          ea_tv_frame_clear (&frame);
          parsed++;
        }
      else
        {
          g_assert_nonnull (error);
          g_clear_error (&error);
          refused++;
        }

      if (ea_tv_request_parse (text, len, &request, &error))
        ea_tv_request_clear (&request);
      else
        g_clear_error (&error);
    }

  g_test_message ("fuzz: %u parsed, %u refused", parsed, refused);
  g_assert_cmpuint (parsed + refused, ==, 20000);
  g_assert_cmpuint (refused, >, 0);
  g_assert_cmpuint (parsed, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tradovate/proto/frames", test_frames);
  g_test_add_func ("/tradovate/proto/frame-roundtrip", test_frame_build_roundtrip);
  g_test_add_func ("/tradovate/proto/requests", test_requests);
  g_test_add_func ("/tradovate/proto/penalty", test_penalty);
  g_test_add_func ("/tradovate/proto/token", test_token);
  g_test_add_func ("/tradovate/proto/quotes", test_quotes);
  g_test_add_func ("/tradovate/proto/fuzz", test_fuzz);

  return g_test_run ();
}
