/* test-broker-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaTokenBucket: the burst, the refill, the wait it announces, the cap
 * after idling, a clock that goes back, and the budget it promises over
 * any interval, checked on random request times. The secret helpers: a
 * login body written straight into one buffer is the JSON it should be,
 * and a secret request body is wiped before its memory is released.
 */
#include "config.h"

#include <string.h>

#include "ea-broker-util.h"

#define SEC G_GINT64_CONSTANT (1000000)

static void
test_burst_then_wait (void)
{
  g_autoptr(EaTokenBucket) bucket = ea_token_bucket_new (5, 10);
  gint64 wait = -1;
  gint64 t = 1000 * SEC;

  g_assert_cmpuint (ea_token_bucket_get_capacity (bucket), ==, 5);
  g_assert_cmpfloat (ea_token_bucket_get_per_second (bucket), ==, 10);

  for (guint i = 0; i < 5; i++)
    {
      g_assert_true (ea_token_bucket_try_take (bucket, t, &wait));
      g_assert_cmpint (wait, ==, 0);
    }

  /* Empty: the next token is 1/10 s away, and not a moment before. */
  g_assert_false (ea_token_bucket_try_take (bucket, t, &wait));
  g_assert_cmpint (wait, ==, SEC / 10);
  g_assert_false (ea_token_bucket_try_take (bucket, t + SEC / 10 - 1, &wait));
  g_assert_cmpint (wait, ==, 1);
  g_assert_true (ea_token_bucket_try_take (bucket, t + SEC / 10, &wait));
  g_assert_false (ea_token_bucket_try_take (bucket, t + SEC / 10, NULL));

  /* Half-way to a token, half the wait remains. */
  g_assert_false (ea_token_bucket_try_take (bucket, t + SEC / 10 + SEC / 20, &wait));
  g_assert_cmpint (wait, ==, SEC / 20);
}

static void
test_idle_caps_at_capacity (void)
{
  g_autoptr(EaTokenBucket) bucket = ea_token_bucket_new (3, 1);
  gint64 t = 0;
  guint granted = 0;

  g_assert_true (ea_token_bucket_try_take (bucket, t, NULL));
  /* An hour of silence refills to 3, not 3600. */
  t += 3600 * SEC;
  while (ea_token_bucket_try_take (bucket, t, NULL))
    granted++;
  g_assert_cmpuint (granted, ==, 3);
}

static void
test_clock_back (void)
{
  g_autoptr(EaTokenBucket) bucket = ea_token_bucket_new (1, 1);
  gint64 wait;

  g_assert_true (ea_token_bucket_try_take (bucket, 10 * SEC, NULL));
  /* Going back earns nothing, and the time lost is not earned twice. */
  g_assert_false (ea_token_bucket_try_take (bucket, 5 * SEC, &wait));
  g_assert_cmpint (wait, ==, SEC);
  g_assert_false (ea_token_bucket_try_take (bucket, 10 * SEC + SEC / 2, &wait));
  g_assert_cmpint (wait, ==, SEC / 2);
  g_assert_true (ea_token_bucket_try_take (bucket, 11 * SEC, NULL));
}

/* Requests at random times, each retried at the announced wait: the
 * grants in every window of d seconds stay within capacity + rate × d,
 * and a steady demand is served at the rate. */
static void
test_budget_property (void)
{
  const guint capacity = 4;
  const double rate = 2.5;

  for (guint round = 0; round < 50; round++)
    {
      g_autoptr(EaTokenBucket) bucket = ea_token_bucket_new (capacity, rate);
      g_autoptr(GArray) grants = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GRand) rand = g_rand_new_with_seed (round);
      gint64 t = g_rand_int_range (rand, 0, 1000000);

      while (grants->len < 200)
        {
          gint64 wait = 0;

          if (ea_token_bucket_try_take (bucket, t, &wait))
            {
              g_array_append_val (grants, t);
              /* Bursts and pauses. */
              t += g_rand_boolean (rand) ? 0 : g_rand_int_range (rand, 0, 2 * SEC);
            }
          else
            {
              g_assert_cmpint (wait, >, 0);
              t += wait;
            }
        }

      for (guint i = 0; i < grants->len; i++)
        for (guint j = i; j < grants->len; j++)
          {
            gint64 d = g_array_index (grants, gint64, j) - g_array_index (grants, gint64, i);
            double bound = capacity + rate * (double) d / SEC;

            g_assert_cmpfloat ((double) (j - i + 1), <=, bound + 1e-9);
          }
    }

  /* Back to back, forever: the rate, after the first burst. */
  {
    g_autoptr(EaTokenBucket) bucket = ea_token_bucket_new (capacity, rate);
    gint64 t = 0;
    guint granted = 0;

    while (t < 100 * SEC)
      {
        gint64 wait = 0;

        if (ea_token_bucket_try_take (bucket, t, &wait))
          granted++;
        else
          t += wait;
      }
    g_assert_cmpuint (granted, >=, capacity + 250 - 1);
    g_assert_cmpuint (granted, <=, capacity + 250 + 1);
  }
}

/* --- secrets in memory ----------------------------------------------------- */

static void
test_secret_json (void)
{
  const char * const keys[] = { "name", "password", "cid", "sec", "p-ticket" };
  const char * const values[] = {
    "jdoe", "p\"w\\d\n\t\x01é€", "8", "s3cr3t/+=", NULL,
  };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  char *text;
  gsize len = 0;

  text = ea_secret_json_object (keys, values, G_N_ELEMENTS (keys), &len);
  g_assert_cmpuint (len, ==, strlen (text));
  g_assert_cmpstr (text, ==, "{\"name\":\"jdoe\",\"password\":\"p\\\"w\\\\d\\n\\t\\u0001é€\","
                             "\"cid\":\"8\",\"sec\":\"s3cr3t/+=\"}");

  /* What a JSON parser reads back is the values, the NULL one left out. */
  g_assert_true (json_parser_load_from_data (parser, text, (gssize) len, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (object), ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpstr (json_object_get_string_member (object, keys[i]), ==, values[i]);
  g_assert_false (json_object_has_member (object, "p-ticket"));
  ea_secret_free (text);

  /* Nothing to say: an empty object. */
  text = ea_secret_json_object (keys, (const char * const[]) { NULL, NULL, NULL, NULL, NULL }, 5, &len);
  g_assert_cmpstr (text, ==, "{}");
  g_assert_cmpuint (len, ==, 2);
  ea_secret_free (text);
}

static guint released;

static void
assert_wiped_then_free (gpointer data)
{
  const char *bytes = data;

  /* The free func runs after the wipe: every byte is zero by now. */
  for (gsize i = 0; i < 32; i++)
    g_assert_cmpint (bytes[i], ==, 0);
  released++;
  g_free (data);
}

static void
test_secret_bytes_wiped (void)
{
  char *body = g_malloc (32);
  GBytes *bytes;
  GBytes *extra;
  char stack[16];

  memset (body, 'S', 32);
  bytes = ea_secret_bytes_new_take (body, 32, assert_wiped_then_free);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 32);
  g_assert_true (g_bytes_get_data (bytes, NULL) == body);
  g_assert_cmpint (((const char *) g_bytes_get_data (bytes, NULL))[31], ==, 'S');

  /* A second holder (as the HTTP message is) keeps it alive and intact. */
  extra = g_bytes_ref (bytes);
  g_bytes_unref (bytes);
  g_assert_cmpuint (released, ==, 0);
  g_assert_cmpint (((const char *) g_bytes_get_data (extra, NULL))[0], ==, 'S');
  g_bytes_unref (extra);
  g_assert_cmpuint (released, ==, 1);

  /* No free func: the memory stays the caller's, wiped. */
  memset (stack, 'T', sizeof stack);
  g_bytes_unref (ea_secret_bytes_new_take (stack, sizeof stack, NULL));
  for (gsize i = 0; i < sizeof stack; i++)
    g_assert_cmpint (stack[i], ==, 0);

  memset (stack, 'U', sizeof stack);
  ea_secret_wipe (stack, 8);
  g_assert_cmpint (stack[7], ==, 0);
  g_assert_cmpint (stack[8], ==, 'U');
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/broker-util/token-bucket/burst-then-wait", test_burst_then_wait);
  g_test_add_func ("/broker-util/token-bucket/idle-caps", test_idle_caps_at_capacity);
  g_test_add_func ("/broker-util/token-bucket/clock-back", test_clock_back);
  g_test_add_func ("/broker-util/token-bucket/budget", test_budget_property);
  g_test_add_func ("/broker-util/secret/json", test_secret_json);
  g_test_add_func ("/broker-util/secret/bytes-wiped", test_secret_bytes_wiped);

  return g_test_run ();
}
