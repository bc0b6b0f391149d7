/* bench-tradovate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints `bench: tradovate.md_quotes_per_s <value> quotes/s`: market-data
 * frames as the md socket sends them, decoded into quotes.
 */
#include "config.h"

#include "ea-tradovate-proto.h"

static char *
make_frame (guint n_quotes,
            guint seq)
{
  GString *s = g_string_new ("a[{\"e\":\"md\",\"d\":{\"quotes\":[");

  for (guint i = 0; i < n_quotes; i++)
    {
      double bid = 6800.0 + 0.25 * ((seq + i) % 40);

      g_string_append_printf (s,
                              "%s{\"timestamp\":\"2026-11-24T15:00:%02u.%03uZ\",\"contractId\":%u,"
                              "\"entries\":{\"Bid\":{\"price\":%.2f,\"size\":%u},"
                              "\"Offer\":{\"price\":%.2f,\"size\":%u},"
                              "\"Trade\":{\"price\":%.2f,\"size\":%u},"
                              "\"TotalTradeVolume\":{\"size\":%u}}}",
                              i ? "," : "", seq % 60, (seq * 7) % 1000, 2000000 + i,
                              bid, 5 + seq % 20, bid + 0.25, 7 + seq % 13, bid, 1 + seq % 4,
                              100000 + seq);
    }

  g_string_append (s, "]}}]");
  return g_string_free (s, FALSE);
}

static double
run (guint quotes_per_frame)
{
  enum { N_FRAMES = 256 };
  char *frames[N_FRAMES];
  g_autoptr(GArray) quotes = g_array_sized_new (FALSE, FALSE, sizeof (EaTvQuote), 64);
  gint64 start, elapsed;
  guint64 decoded = 0;
  double checksum = 0;

  for (guint i = 0; i < N_FRAMES; i++)
    frames[i] = make_frame (quotes_per_frame, i);

  start = g_get_monotonic_time ();
  do
    {
      for (guint i = 0; i < N_FRAMES; i++)
        {
          EaTvFrame frame;

          if (!ea_tv_frame_parse (frames[i], -1, &frame, NULL))
            g_error ("benchmark frame did not parse");

          g_array_set_size (quotes, 0);
          for (guint m = 0; m < json_array_get_length (frame.messages); m++)
            {
              JsonObject *message = json_array_get_object_element (frame.messages, m);
              JsonObject *d = json_object_get_object_member (message, "d");

              decoded += ea_tv_md_event_parse (d, quotes);
            }
          checksum += g_array_index (quotes, EaTvQuote, 0).bid;
          ea_tv_frame_clear (&frame);
        }
      elapsed = g_get_monotonic_time () - start;
    }
  while (elapsed < 500000);

  for (guint i = 0; i < N_FRAMES; i++)
    g_free (frames[i]);

  g_assert_cmpfloat (checksum, >, 0);
  return decoded / (elapsed / 1e6);
}

int
main (int   argc,
      char *argv[])
{
  g_print ("bench: tradovate.md_quotes_per_s %.0f quotes/s\n", run (1));
  g_print ("bench: tradovate.md_quotes_per_s_batched_8 %.0f quotes/s\n", run (8));
  return 0;
}
