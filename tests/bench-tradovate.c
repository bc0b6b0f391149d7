/* bench-tradovate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints:
 *   `bench: tradovate.md_quotes_per_s <value> quotes/s`: market-data
 *     frames as the md socket sends them, decoded into quotes by the path
 *     the adapter takes (the fast path of ea-tradovate-md.c);
 *   `bench: tradovate.md_quotes_per_s_json_glib <value> quotes/s`: the same
 *     frames through the general path (ea_tv_frame_parse() and
 *     ea_tv_md_event_parse()), for comparison;
 *   the same two with 8 quotes per frame;
 *   `bench: tradovate.order_ack_ms <value> ms`: the median time from
 *     placing a market order through the adapter to its acknowledgement
 *     (the order id), against the local Tradovate in this process.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ea-instrument.h"
#include "ea-session.h"
#include "ea-tradovate-broker.h"
#include "ea-tradovate-md.h"
#include "ea-tradovate-proto.h"
#include "ea-tradovate-server.h"

enum { N_FRAMES = 256 };

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

/* The general path, as the adapter took it before the fast path. */
static guint
decode_json_glib (const char *text,
                  gsize       length,
                  GArray     *quotes)
{
  EaTvFrame frame;
  guint decoded = 0;

  if (!ea_tv_frame_parse (text, length, &frame, NULL))
    g_error ("benchmark frame did not parse");

  for (guint m = 0; m < json_array_get_length (frame.messages); m++)
    {
      JsonObject *message = json_array_get_object_element (frame.messages, m);
      JsonObject *d = json_object_get_object_member (message, "d");

      decoded += ea_tv_md_event_parse (d, quotes);
    }
  ea_tv_frame_clear (&frame);

  return decoded;
}

static double
run (guint    quotes_per_frame,
     gboolean fast)
{
  char *frames[N_FRAMES];
  gsize lengths[N_FRAMES];
  g_autoptr(GArray) quotes = g_array_sized_new (FALSE, FALSE, sizeof (EaTvQuote), 64);
  gint64 start, elapsed;
  guint64 decoded = 0;
  double checksum = 0;

  for (guint i = 0; i < N_FRAMES; i++)
    {
      frames[i] = make_frame (quotes_per_frame, i);
      lengths[i] = strlen (frames[i]);
    }

  start = g_get_monotonic_time ();
  do
    {
      for (guint i = 0; i < N_FRAMES; i++)
        {
          g_array_set_size (quotes, 0);
          if (fast)
            {
              if (ea_tv_md_frame_decode (frames[i], lengths[i], quotes) != EA_TV_MD_HANDLED)
                g_error ("the fast path declined a benchmark frame");
              decoded += quotes->len;
            }
          else
            decoded += decode_json_glib (frames[i], lengths[i], quotes);
          checksum += g_array_index (quotes, EaTvQuote, 0).bid;
        }
      elapsed = g_get_monotonic_time () - start;
    }
  while (elapsed < 500000);

  for (guint i = 0; i < N_FRAMES; i++)
    g_free (frames[i]);

  if (checksum <= 0)
    g_error ("benchmark quotes decoded to nothing");
  return decoded / (elapsed / 1e6);
}

/* Order acknowledgement ---------------------------------------------------- */

typedef struct
{
  GAsyncResult *result;
  gint64        done_us;
} Wait;

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->done_us = g_get_monotonic_time ();
  wait->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wait->result;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
order_ack_ms (guint n_orders)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(EaTradovateServer) server = NULL;
  g_autoptr(EaTradovateBroker) broker = NULL;
  g_autofree char *symbol = NULL;
  g_autofree double *ms = g_new (double, n_orders);
  EaTradovateConfig config = { 0 };
  EaContract front;
  Wait wait = { 0 };
  gint64 user;
  double median;

  if (!ea_contract_front (ea_instrument_lookup ("ES"), ea_session_trading_day (now), &front))
    g_error ("no front ES contract");
  symbol = ea_contract_format (&front, EA_SYMBOLOGY_TRADOVATE);

  server = ea_tradovate_server_new (&error);
  if (server == NULL)
    g_error ("the local Tradovate did not start: %s", error->message);
  user = ea_tradovate_server_add_user (server, "bench", "bench-password");
  ea_tradovate_server_add_account (server, user, "BENCH001", EA_MICROS (10000000));
  ea_tradovate_server_add_contract (server, symbol, "ES");
  ea_tradovate_server_set_book (server, symbol, 27200, 27201, 1000000, 1000000);

  config.rest_url = ea_tradovate_server_get_rest_url (server);
  config.ws_url = ea_tradovate_server_get_ws_url (server);
  config.md_url = ea_tradovate_server_get_md_url (server);
  config.user = "bench";
  config.password = "bench-password";
  config.app_id = "EnigmaApexBench";
  config.cid = "8";
  config.sec = "not-a-real-secret";
  config.device_id = "0c6a3d3e-bench-device";
  broker = ea_tradovate_broker_new (&config);
  /* The round trip is measured, not the request budget's spacing. */
  ea_tradovate_broker_set_request_budget (broker, 1000000, 1000000);

  ea_broker_connect_async (EA_BROKER (broker), NULL, result_cb, &wait);
  if (!ea_broker_connect_finish (EA_BROKER (broker), wait_for (&wait), &error))
    g_error ("the adapter did not connect: %s", error->message);
  g_clear_object (&wait.result);

  /* Buys and sells alternate: the position stays within one contract. */
  for (guint i = 0; i < n_orders; i++)
    {
      g_autofree char *client_id = g_strdup_printf ("bench-%u", i);
      g_autoptr(EaOrderRequest) request =
        ea_order_request_new ("BENCH001", symbol, client_id, i % 2 ? EA_SIDE_SELL : EA_SIDE_BUY,
                              EA_ORDER_TYPE_MARKET, 1);
      g_autofree char *order_id = NULL;
      gint64 start = g_get_monotonic_time ();

      ea_broker_place_order_async (EA_BROKER (broker), request, NULL, result_cb, &wait);
      order_id = ea_broker_place_order_finish (EA_BROKER (broker), wait_for (&wait), &error);
      if (order_id == NULL)
        g_error ("order %u was not acknowledged: %s", i, error->message);
      ms[i] = (wait.done_us - start) / 1000.0;
      g_clear_object (&wait.result);
    }

  qsort (ms, n_orders, sizeof *ms, compare_doubles);
  median = n_orders % 2 ? ms[n_orders / 2] : (ms[n_orders / 2 - 1] + ms[n_orders / 2]) / 2;

  ea_broker_disconnect_async (EA_BROKER (broker), NULL, result_cb, &wait);
  if (!ea_broker_disconnect_finish (EA_BROKER (broker), wait_for (&wait), &error))
    g_error ("the adapter did not disconnect: %s", error->message);
  g_clear_object (&wait.result);

  return median;
}

int
main (int   argc,
      char *argv[])
{
  g_print ("bench: tradovate.md_quotes_per_s %.0f quotes/s\n", run (1, TRUE));
  g_print ("bench: tradovate.md_quotes_per_s_json_glib %.0f quotes/s\n", run (1, FALSE));
  g_print ("bench: tradovate.md_quotes_per_s_batched_8 %.0f quotes/s\n", run (8, TRUE));
  g_print ("bench: tradovate.md_quotes_per_s_batched_8_json_glib %.0f quotes/s\n", run (8, FALSE));
  g_print ("bench: tradovate.order_ack_ms %.3f ms\n", order_ack_ms (200));
  return 0;
}
