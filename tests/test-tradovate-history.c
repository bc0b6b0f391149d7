/* test-tradovate-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Price history from the Tradovate adapter against the local Tradovate:
 * md/getChart streamed over several chart messages up to the end of
 * history, the period mapping, cancellation, an unreadable chart message
 * and a server that never ends the history.
 */
#include "config.h"

#include <string.h>

#include "ea-instrument.h"
#include "ea-session.h"
#include "ea-tradovate-broker-private.h"
#include "ea-tradovate-proto.h"
#include "ea-tradovate-server.h"

#define SEC    G_GINT64_CONSTANT (1000000)
#define MINUTE (60 * SEC)
#define DAY    (86400 * SEC)

typedef struct
{
  EaTradovateServer *server;
  EaTradovateBroker *broker;
} Fixture;

static char *symbol;

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
sync_broker (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;

  ea_tradovate_broker_sync_async (f->broker, NULL, result_cb, &res);
  g_assert_true (ea_tradovate_broker_sync_finish (f->broker, wait_result (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  gint64 user;
  EaTradovateConfig config = {
    .user = "jdoe",
    .password = "s3cret",
    .cid = "8",
    .sec = "not-a-real-secret",
    .device_id = "0c6a3d3e-test-device",
  };

  f->server = ea_tradovate_server_new (&error);
  g_assert_no_error (error);
  user = ea_tradovate_server_add_user (f->server, "jdoe", "s3cret");
  ea_tradovate_server_add_account (f->server, user, "DEMO001", EA_MICROS (50000));
  ea_tradovate_server_add_contract (f->server, symbol, "ES");

  config.rest_url = ea_tradovate_server_get_rest_url (f->server);
  config.ws_url = ea_tradovate_server_get_ws_url (f->server);
  config.md_url = ea_tradovate_server_get_md_url (f->server);
  f->broker = ea_tradovate_broker_new (&config);

  if (data != NULL)
    return;

  ea_broker_connect_async (EA_BROKER (f->broker), NULL, result_cb, &res);
  g_assert_true (ea_broker_connect_finish (EA_BROKER (f->broker), wait_result (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  GAsyncResult *res = NULL;

  ea_broker_disconnect_async (EA_BROKER (f->broker), NULL, result_cb, &res);
  g_assert_true (ea_broker_disconnect_finish (EA_BROKER (f->broker), wait_result (&res), NULL));
  g_object_unref (res);
  /* No history request is left holding the broker. */
  g_assert_finalize_object (f->broker);
  g_clear_object (&f->server);
}

static GArray *
load (Fixture       *f,
      EaTimeUs       period,
      EaTimeUs       end,
      guint          max_bars,
      GCancellable  *cancellable,
      GError       **error)
{
  GAsyncResult *res = NULL;
  GArray *bars;

  ea_broker_load_bars_async (EA_BROKER (f->broker), symbol, period, end, max_bars,
                             cancellable, result_cb, &res);
  bars = ea_broker_load_bars_finish (EA_BROKER (f->broker), wait_result (&res), error);
  g_object_unref (res);

  return bars;
}

/* A bar boundary of @period, @back periods before now. */
static EaTimeUs
aligned_end (EaTimeUs period,
             gint64   back)
{
  return (g_get_real_time () / period - back) * period;
}

static void
assert_server_bars (Fixture  *f,
                    GArray   *bars,
                    EaTimeUs  period)
{
  for (guint i = 0; i < bars->len; i++)
    {
      const EaBar *bar = &g_array_index (bars, EaBar, i);
      EaTicks open, high, low, close;
      gint64 volume;

      if (i > 0)
        g_assert_cmpint (bar->start, ==, g_array_index (bars, EaBar, i - 1).start + period);
      g_assert_cmpint (bar->end, ==, bar->start + period);
      g_assert_true (ea_tradovate_server_history_bar (f->server, symbol, bar->start, period,
                                                      &open, &high, &low, &close, &volume));
      g_assert_cmpint (bar->open, ==, open);
      g_assert_cmpint (bar->high, ==, high);
      g_assert_cmpint (bar->low, ==, low);
      g_assert_cmpint (bar->close, ==, close);
      g_assert_cmpint (bar->volume, ==, volume);
      g_assert_cmpint (bar->n_ticks, ==, period / (10 * SEC));
    }
}

static void
test_minute_bars (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) bars = NULL;
  EaTimeUs end = aligned_end (MINUTE, 10);
  JsonObject *request, *desc, *range;
  g_autofree char *closest = NULL;

  g_assert_true (ea_broker_can_load_bars (EA_BROKER (f->broker)));

  /* 150 bars: four chart messages of 40 and the end of history. */
  bars = load (f, MINUTE, end, 150, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bars->len, ==, 150);
  g_assert_cmpint (g_array_index (bars, EaBar, 149).start, ==, end - MINUTE);
  g_assert_cmpint (g_array_index (bars, EaBar, 0).start, ==, end - 150 * MINUTE);
  assert_server_bars (f, bars, MINUTE);

  request = json_node_get_object (ea_tradovate_server_get_last_chart_request (f->server));
  desc = json_object_get_object_member (request, "chartDescription");
  range = json_object_get_object_member (request, "timeRange");
  g_assert_cmpstr (json_object_get_string_member (request, "symbol"), ==, symbol);
  g_assert_cmpstr (json_object_get_string_member (desc, "underlyingType"), ==, "MinuteBar");
  g_assert_cmpint (json_object_get_int_member (desc, "elementSize"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (desc, "elementSizeUnit"), ==, "UnderlyingUnits");
  closest = g_strdup (json_object_get_string_member (range, "closestTimestamp"));
  g_assert_cmpint (ea_tv_timestamp_parse_us (closest), ==, end);
  g_assert_cmpint (json_object_get_int_member (range, "asMuchAsElements"), >=, 150);

  /* The history's chart was cancelled once it ended. */
  sync_broker (f);
  g_assert_cmpuint (ea_tradovate_server_get_open_charts (f->server), ==, 0);

  /* History that overtakes the reply naming its chart is not lost. */
  sync_broker (f);
  ea_tradovate_server_inject (f->server, EA_TV_FAULT_CHART_BEFORE_REPLY, 1, 0);
  g_clear_pointer (&bars, g_array_unref);
  bars = load (f, MINUTE, end, 100, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bars->len, ==, 100);
  g_assert_cmpint (g_array_index (bars, EaBar, 0).start, ==, end - 100 * MINUTE);
  assert_server_bars (f, bars, MINUTE);

  /* Up to now: the forming bar is left out. */
  g_clear_pointer (&bars, g_array_unref);
  bars = load (f, MINUTE, g_get_real_time (), 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bars->len, ==, 5);
  g_assert_cmpint (g_array_index (bars, EaBar, 4).end, <=, g_get_real_time ());
  g_assert_cmpint (g_array_index (bars, EaBar, 4).end, >, g_get_real_time () - 2 * MINUTE);
  assert_server_bars (f, bars, MINUTE);
}

static void
assert_last_request (Fixture    *f,
                     const char *type,
                     gint64      size)
{
  JsonObject *request = json_node_get_object (ea_tradovate_server_get_last_chart_request (f->server));
  JsonObject *desc = json_object_get_object_member (request, "chartDescription");

  g_assert_cmpstr (json_object_get_string_member (desc, "underlyingType"), ==, type);
  g_assert_cmpint (json_object_get_int_member (desc, "elementSize"), ==, size);
}

static void
test_periods (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) minutes = NULL;
  g_autoptr(GArray) fives = NULL;
  g_autoptr(GArray) hours = NULL;
  g_autoptr(GArray) days = NULL;
  g_autoptr(GArray) none = NULL;
  EaTimeUs end = aligned_end (5 * MINUTE, 2);

  fives = load (f, 5 * MINUTE, end, 12, NULL, &error);
  g_assert_no_error (error);
  assert_last_request (f, "MinuteBar", 5);
  g_assert_cmpuint (fives->len, ==, 12);
  assert_server_bars (f, fives, 5 * MINUTE);

  /* Each 5-minute bar is its five 1-minute bars. */
  minutes = load (f, MINUTE, end, 60, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (minutes->len, ==, 60);
  for (guint i = 0; i < fives->len; i++)
    {
      const EaBar *five = &g_array_index (fives, EaBar, i);
      EaTicks high = G_MININT64, low = G_MAXINT64;
      gint64 volume = 0;

      g_assert_cmpint (five->start, ==, g_array_index (minutes, EaBar, 5 * i).start);
      g_assert_cmpint (five->open, ==, g_array_index (minutes, EaBar, 5 * i).open);
      g_assert_cmpint (five->close, ==, g_array_index (minutes, EaBar, 5 * i + 4).close);
      for (guint j = 5 * i; j < 5 * i + 5; j++)
        {
          high = MAX (high, g_array_index (minutes, EaBar, j).high);
          low = MIN (low, g_array_index (minutes, EaBar, j).low);
          volume += g_array_index (minutes, EaBar, j).volume;
        }
      g_assert_cmpint (five->high, ==, high);
      g_assert_cmpint (five->low, ==, low);
      g_assert_cmpint (five->volume, ==, volume);
    }

  hours = load (f, 240 * MINUTE, aligned_end (240 * MINUTE, 1), 6, NULL, &error);
  g_assert_no_error (error);
  assert_last_request (f, "MinuteBar", 240);
  g_assert_cmpuint (hours->len, ==, 6);
  assert_server_bars (f, hours, 240 * MINUTE);

  days = load (f, DAY, aligned_end (DAY, 1), 3, NULL, &error);
  g_assert_no_error (error);
  assert_last_request (f, "DailyBar", 1);
  g_assert_cmpuint (days->len, ==, 3);
  assert_server_bars (f, days, DAY);

  /* Seconds are built from a Tick chart's trades. */
  {
    g_autoptr(GArray) thirty = load (f, 30 * SEC, end, 120, NULL, &error);
    g_autoptr(GArray) twenty = NULL;
    JsonObject *range;

    g_assert_no_error (error);
    assert_last_request (f, "Tick", 1);
    range = json_object_get_object_member (json_node_get_object (ea_tradovate_server_get_last_chart_request (f->server)),
                                           "timeRange");
    g_assert_cmpint (ea_tv_timestamp_parse_us (json_object_get_string_member (range, "asFarAsTimestamp")),
                     ==, end - 120 * 30 * SEC);
    g_assert_cmpuint (thirty->len, ==, 120);
    g_assert_cmpint (g_array_index (thirty, EaBar, 119).end, ==, end);
    assert_server_bars (f, thirty, 30 * SEC);

    twenty = load (f, 20 * SEC, end, 300, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (twenty->len, ==, 300);
    g_assert_cmpint (g_array_index (twenty, EaBar, 299).end, ==, end);
    assert_server_bars (f, twenty, 20 * SEC);
  }

  /* Under a second is no bar at all: refused before anything is sent. */
  none = load (f, SEC / 2, end, 10, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT);
  assert_last_request (f, "Tick", 1);

  sync_broker (f);
  g_assert_cmpuint (ea_tradovate_server_get_open_charts (f->server), ==, 0);
}

static gboolean
cancel_when_open_cb (gpointer user_data)
{
  gpointer *pair = user_data;

  if (ea_tradovate_server_get_open_charts (pair[0]) == 0)
    return G_SOURCE_CONTINUE;
  g_cancellable_cancel (pair[1]);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) early = g_cancellable_new ();
  g_autoptr(GArray) bars = NULL;
  GAsyncResult *res = NULL;
  gpointer pair[2] = { f->server, cancellable };

  /* Cancelled while the history streams (it never ends here). */
  ea_tradovate_server_inject (f->server, EA_TV_FAULT_CHART_NO_EOH, 1, 0);
  g_timeout_add (5, cancel_when_open_cb, pair);
  bars = load (f, MINUTE, aligned_end (MINUTE, 1), 50, cancellable, &error);
  g_assert_null (bars);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED);
  g_clear_error (&error);
  sync_broker (f);
  g_assert_cmpuint (ea_tradovate_server_get_open_charts (f->server), ==, 0);

  /* Cancelled before the chart even started: the chart is cancelled too. */
  ea_broker_load_bars_async (EA_BROKER (f->broker), symbol, MINUTE, aligned_end (MINUTE, 1), 50,
                             early, result_cb, &res);
  g_cancellable_cancel (early);
  bars = ea_broker_load_bars_finish (EA_BROKER (f->broker), wait_result (&res), &error);
  g_object_unref (res);
  g_assert_null (bars);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED);
  g_clear_error (&error);

  /* A load started at once gets its own history, not the cancelled one's. */
  {
    EaTimeUs end = aligned_end (5 * MINUTE, 1);

    bars = load (f, 5 * MINUTE, end, 12, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (bars->len, ==, 12);
    g_assert_cmpint (g_array_index (bars, EaBar, 11).end, ==, end);
    assert_server_bars (f, bars, 5 * MINUTE);
    g_clear_pointer (&bars, g_array_unref);
  }
  sync_broker (f);
  sync_broker (f);
  g_assert_cmpuint (ea_tradovate_server_get_open_charts (f->server), ==, 0);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (f->broker)), ==, EA_CONNECTION_STATE_CONNECTED);
}

static void
test_malformed (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) bars = NULL;

  ea_tradovate_server_inject (f->server, EA_TV_FAULT_CHART_MALFORMED, 1, 0);
  bars = load (f, MINUTE, aligned_end (MINUTE, 1), 100, NULL, &error);
  g_assert_null (bars);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "unreadable chart message"));
  g_clear_error (&error);

  /* The same in a Tick chart's packet. */
  ea_tradovate_server_inject (f->server, EA_TV_FAULT_CHART_MALFORMED, 1, 0);
  bars = load (f, 30 * SEC, aligned_end (MINUTE, 1), 100, NULL, &error);
  g_assert_null (bars);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "unreadable chart message"));
  g_clear_error (&error);

  /* The connection is fine and the next history is whole. */
  sync_broker (f);
  g_assert_cmpuint (ea_tradovate_server_get_open_charts (f->server), ==, 0);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (f->broker)), ==, EA_CONNECTION_STATE_CONNECTED);
  bars = load (f, MINUTE, aligned_end (MINUTE, 1), 100, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bars->len, ==, 100);
  assert_server_bars (f, bars, MINUTE);
}

static void
test_no_end_of_history (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) bars = NULL;

  /* Bars, then silence: a timeout error, not a wait forever. */
  ea_tradovate_server_inject (f->server, EA_TV_FAULT_CHART_NO_EOH, 1, 0);
  bars = load (f, MINUTE, aligned_end (MINUTE, 1), 100, NULL, &error);
  g_assert_null (bars);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "before its end"));
  g_clear_error (&error);

  sync_broker (f);
  g_assert_cmpuint (ea_tradovate_server_get_open_charts (f->server), ==, 0);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (f->broker)), ==, EA_CONNECTION_STATE_CONNECTED);
}

static gboolean
drop_when_open_cb (gpointer user_data)
{
  EaTradovateServer *server = user_data;

  if (ea_tradovate_server_get_open_charts (server) == 0)
    return G_SOURCE_CONTINUE;
  ea_tradovate_server_drop_connections (server);
  return G_SOURCE_REMOVE;
}

static void
test_connection_lost (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) bars = NULL;

  /* The socket drops mid-history: said at once, not after a timeout. */
  ea_tradovate_server_inject (f->server, EA_TV_FAULT_CHART_NO_EOH, 1, 0);
  g_timeout_add (5, drop_when_open_cb, f->server);
  bars = load (f, MINUTE, aligned_end (MINUTE, 1), 100, NULL, &error);
  g_assert_null (bars);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "connection to Tradovate was lost"));
  g_clear_error (&error);

  /* After the reconnection, history loads again. */
  while (ea_broker_get_connection_state (EA_BROKER (f->broker)) != EA_CONNECTION_STATE_CONNECTED)
    g_main_context_iteration (NULL, TRUE);
  bars = load (f, MINUTE, aligned_end (MINUTE, 1), 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bars->len, ==, 10);
  assert_server_bars (f, bars, MINUTE);
}

/* Mutated chart messages (bars and tick packets) handed to a load in
 * progress: each ends in bars that make sense or in an error, never a
 * crash, and the connection carries on. */
static void
test_fuzz (Fixture *f, gconstpointer data)
{
  static const char *const seeds[] = {
    "{\"charts\":[{\"id\":@ID@,\"td\":20261124,\"bars\":[{\"timestamp\":\"2026-11-24T14:30:00.000Z\","
    "\"open\":6800.25,\"high\":6801.5,\"low\":6799.75,\"close\":6800.5,\"upVolume\":12,"
    "\"downVolume\":7,\"upTicks\":4,\"downTicks\":3},{\"timestamp\":\"2026-11-24T14:31:00.000Z\","
    "\"open\":6800.5,\"high\":6802,\"low\":6800,\"close\":6801.75,\"upVolume\":3}]}]}",
    "{\"charts\":[{\"id\":@ID@,\"s\":\"db\",\"td\":20261124,\"bp\":27200,\"bt\":1795962600000,"
    "\"ts\":0.25,\"tks\":[{\"t\":0,\"p\":0,\"s\":3,\"b\":-1,\"a\":0,\"bs\":5,\"as\":4,\"id\":1},"
    "{\"t\":10000,\"p\":2,\"s\":1,\"id\":2},{\"t\":31000,\"p\":-3,\"s\":2,\"id\":3}]}]}",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261205);
  guint ok = 0, failed = 0;

  for (guint round = 0; round < 300; round++)
    {
      gboolean tick = round % 2;
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) bars = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;
      GAsyncResult *res = NULL;
      gint64 id;

      ea_tradovate_server_inject (f->server, EA_TV_FAULT_CHART_NO_EOH, 1, 0);
      ea_broker_load_bars_async (EA_BROKER (f->broker), symbol, tick ? 30 * SEC : MINUTE,
                                 aligned_end (MINUTE, 1), 20, NULL, result_cb, &res);
      while (ea_tradovate_server_get_open_charts (f->server) == 0)
        g_main_context_iteration (NULL, TRUE);
      sync_broker (f);
      id = ea_tradovate_server_get_last_chart_id (f->server);

      /* A few random bytes overwritten, dropped or repeated. */
      {
        GString *seed = g_string_new (seeds[tick]);
        g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

        g_string_replace (seed, "@ID@", id_text, 0);
        text = g_string_free (seed, FALSE);
      }
      for (guint m = g_rand_int_range (rand, 1, 4); m > 0; m--)
        {
          gsize len = strlen (text);
          gsize at = g_rand_int_range (rand, 0, (gint32) len);
          const char *alphabet = "0123456789-.:,{}[]\"eE ntrufalsbarstimepx";

          switch (g_rand_int_range (rand, 0, 3))
            {
            case 0:
              text[at] = alphabet[g_rand_int_range (rand, 0, (gint32) strlen (alphabet))];
              break;
            case 1:
              memmove (text + at, text + at + 1, len - at);
              break;
            default:
              {
                char *longer = g_strdup_printf ("%.*s%c%s", (int) at, text, text[at], text + at);

                g_free (text);
                text = longer;
              }
              break;
            }
        }

      node = json_from_string (text, NULL);
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        _ea_tv_history_handle_chart (f->broker, json_node_get_object (node));

      /* The end of history, in case the load is still open. */
      {
        g_autofree char *eoh = g_strdup_printf ("{\"charts\":[{\"id\":%" G_GINT64_FORMAT ",\"eoh\":true}]}", id);
        g_autoptr(JsonNode) end = json_from_string (eoh, NULL);

        _ea_tv_history_handle_chart (f->broker, json_node_get_object (end));
      }

      bars = ea_broker_load_bars_finish (EA_BROKER (f->broker), wait_result (&res), &error);
      g_object_unref (res);
      if (bars == NULL)
        {
          g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED);
          failed++;
          continue;
        }
      ok++;
      g_assert_cmpuint (bars->len, <=, 20);
      for (guint i = 0; i < bars->len; i++)
        {
          const EaBar *bar = &g_array_index (bars, EaBar, i);

          g_assert_cmpint (bar->low, <=, MIN (bar->open, bar->close));
          g_assert_cmpint (bar->high, >=, MAX (bar->open, bar->close));
          g_assert_cmpint (bar->volume, >=, 0);
          g_assert_cmpint (bar->end, >, bar->start);
          if (i > 0)
            g_assert_cmpint (bar->start, >, g_array_index (bars, EaBar, i - 1).start);
        }
    }

  g_test_message ("%u loads ended with bars, %u with an error", ok, failed);
  g_assert_cmpuint (ok, >, 0);
  g_assert_cmpuint (failed, >, 0);
  sync_broker (f);
  g_assert_cmpuint (ea_tradovate_server_get_open_charts (f->server), ==, 0);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (f->broker)), ==, EA_CONNECTION_STATE_CONNECTED);
}

static void
test_not_connected (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) bars = load (f, MINUTE, g_get_real_time (), 10, NULL, &error);

  g_assert_null (bars);
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED);
}

/* Live bars ---------------------------------------------------------------- */

typedef struct
{
  EaTimeUs  period;
  GArray   *bars;    /* EaBar, as emitted for that period */
} LiveBars;

static void
live_bar_cb (EaBroker            *broker,
             const EaLiveBarData *data,
             LiveBars            *live)
{
  if (g_strcmp0 (data->symbol, symbol) == 0 && data->period == live->period)
    g_array_append_val (live->bars, data->bar);
}

static void
live_bars_init (LiveBars          *live,
                EaTradovateBroker *broker,
                EaTimeUs           period)
{
  live->period = period;
  live->bars = g_array_new (FALSE, FALSE, sizeof (EaBar));
  g_signal_connect (broker, "bar", G_CALLBACK (live_bar_cb), live);
}

static void
live_bars_clear (LiveBars          *live,
                 EaTradovateBroker *broker)
{
  g_signal_handlers_disconnect_by_data (broker, live);
  g_clear_pointer (&live->bars, g_array_unref);
}

static const EaBar *
last_bar (LiveBars *live)
{
  g_assert_cmpuint (live->bars->len, >, 0);
  return &g_array_index (live->bars, EaBar, live->bars->len - 1);
}

/* Iterates until @n bars are there (or a generous deadline passes, so
 * that a broken adapter fails instead of hanging). */
static void
wait_bars (LiveBars *live,
           guint     n)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (live->bars->len < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (live->bars->len, >=, n);
}

static void
wait_requests (Fixture    *f,
               const char *endpoint,
               guint       n)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (ea_tradovate_server_count_requests (f->server, endpoint) < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (ea_tradovate_server_count_requests (f->server, endpoint), ==, n);
}

/* Every bar emitted makes sense, and they come in time order. */
static void
assert_series (LiveBars *live)
{
  for (guint i = 0; i < live->bars->len; i++)
    {
      const EaBar *b = &g_array_index (live->bars, EaBar, i);

      g_assert_cmpint (b->start % live->period, ==, 0);
      g_assert_cmpint (b->end, ==, b->start + live->period);
      g_assert_cmpint (b->low, <=, MIN (b->open, b->close));
      g_assert_cmpint (b->high, >=, MAX (b->open, b->close));
      if (i > 0)
        g_assert_cmpint (b->start, >=, g_array_index (live->bars, EaBar, i - 1).start);
    }
}

/* A live chart: the bars of its getChart, then the forming bar with
 * every trade (a later period starts the next one); an unreadable bar is
 * left out and the series goes on; unsubscribing cancels the chart. */
static void
test_live_bars (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  LiveBars live;
  const EaBar *b;
  EaTimeUs start;
  guint n;

  g_assert_true (ea_broker_can_subscribe_bars (EA_BROKER (f->broker)));
  /* Seconds are built from quotes, not by Tradovate. */
  g_assert_false (ea_broker_subscribe_bars (EA_BROKER (f->broker), symbol, 30 * SEC, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  /* Nor a symbol that is no Tradovate contract (Demo's root). */
  g_assert_false (ea_broker_subscribe_bars (EA_BROKER (f->broker), "ES", MINUTE, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  live_bars_init (&live, f->broker, MINUTE);
  g_assert_true (ea_broker_subscribe_bars (EA_BROKER (f->broker), symbol, MINUTE, &error));
  g_assert_no_error (error);
  /* Subscribing twice keeps one chart. */
  g_assert_true (ea_broker_subscribe_bars (EA_BROKER (f->broker), symbol, MINUTE, &error));
  /* The two bars its getChart asked for. */
  wait_bars (&live, 2);
  g_assert_cmpuint (ea_tradovate_server_count_requests (f->server, "md/getChart"), ==, 1);
  g_assert_cmpuint (ea_tradovate_server_get_open_charts (f->server), ==, 1);

  /* Trades update the forming bar. */
  n = live.bars->len;
  g_assert_true (ea_tradovate_server_trade (f->server, symbol, 27210, 3));
  wait_bars (&live, n + 1);
  b = last_bar (&live);
  g_assert_cmpint (b->close, ==, 27210);
  start = b->start;
  g_assert_true (ea_tradovate_server_trade (f->server, symbol, 27215, 2));
  wait_bars (&live, n + 2);
  b = last_bar (&live);
  g_assert_cmpint (b->close, ==, 27215);
  g_assert_cmpint (b->start, >=, start);
  if (b->start == start)
    {
      /* The same minute: both trades are in it. */
      g_assert_cmpint (b->open, ==, 27210);
      g_assert_cmpint (b->low, ==, 27210);
      g_assert_cmpint (b->high, ==, 27215);
      g_assert_cmpint (b->volume, ==, 5);
    }
  else
    {
      /* The next minute started between the trades. */
      g_assert_cmpint (b->open, ==, 27215);
      g_assert_cmpint (b->volume, ==, 2);
    }

  /* An unreadable bar is left out; the next one comes through. */
  n = live.bars->len;
  ea_tradovate_server_inject (f->server, EA_TV_FAULT_CHART_LIVE_MALFORMED, 1, 0);
  g_assert_true (ea_tradovate_server_trade (f->server, symbol, 27220, 1));
  g_assert_true (ea_tradovate_server_trade (f->server, symbol, 27222, 1));
  wait_bars (&live, n + 1);
  g_assert_cmpint (last_bar (&live)->close, ==, 27222);
  g_assert_cmpuint (live.bars->len, ==, n + 1);
  assert_series (&live);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (f->broker)), ==, EA_CONNECTION_STATE_CONNECTED);

  /* Leaving the chart cancels it at the server. */
  ea_broker_unsubscribe_bars (EA_BROKER (f->broker), symbol, MINUTE);
  wait_requests (f, "md/cancelChart", 1);
  g_assert_cmpuint (ea_tradovate_server_get_open_charts (f->server), ==, 0);
  live_bars_clear (&live, f->broker);
}

/* Another timeframe: the old chart is cancelled and the new one streams
 * bars of its own period. */
static void
test_live_timeframe (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  LiveBars one, five;
  guint n;

  live_bars_init (&one, f->broker, MINUTE);
  live_bars_init (&five, f->broker, 5 * MINUTE);
  g_assert_true (ea_broker_subscribe_bars (EA_BROKER (f->broker), symbol, MINUTE, &error));
  wait_bars (&one, 2);

  ea_broker_unsubscribe_bars (EA_BROKER (f->broker), symbol, MINUTE);
  g_assert_true (ea_broker_subscribe_bars (EA_BROKER (f->broker), symbol, 5 * MINUTE, &error));
  g_assert_no_error (error);
  wait_requests (f, "md/cancelChart", 1);
  wait_bars (&five, 2);
  g_assert_cmpuint (ea_tradovate_server_get_open_charts (f->server), ==, 1);

  n = one.bars->len;
  g_assert_true (ea_tradovate_server_trade (f->server, symbol, 27230, 1));
  wait_bars (&five, 3);
  g_assert_cmpint (last_bar (&five)->close, ==, 27230);
  g_assert_cmpint (last_bar (&five)->end - last_bar (&five)->start, ==, 5 * MINUTE);
  g_assert_cmpuint (one.bars->len, ==, n);
  assert_series (&five);

  ea_broker_unsubscribe_bars (EA_BROKER (f->broker), symbol, 5 * MINUTE);
  live_bars_clear (&one, f->broker);
  live_bars_clear (&five, f->broker);
}

static gboolean
drop_cb (gpointer user_data)
{
  ea_tradovate_server_drop_connections (EA_TRADOVATE_SERVER (user_data));
  return G_SOURCE_REMOVE;
}

/* The connection drops: after the reconnection the chart is asked for
 * again and streams; disconnecting cancels it. */
static void
test_live_reconnect (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  LiveBars live;
  gint64 deadline;
  guint n;

  live_bars_init (&live, f->broker, MINUTE);
  g_assert_true (ea_broker_subscribe_bars (EA_BROKER (f->broker), symbol, MINUTE, &error));
  wait_bars (&live, 2);
  n = live.bars->len;

  g_idle_add (drop_cb, f->server);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (ea_broker_get_connection_state (EA_BROKER (f->broker)) == EA_CONNECTION_STATE_CONNECTED &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  while (ea_broker_get_connection_state (EA_BROKER (f->broker)) != EA_CONNECTION_STATE_CONNECTED &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (f->broker)), ==, EA_CONNECTION_STATE_CONNECTED);

  wait_requests (f, "md/getChart", 2);
  /* The new chart's bar of this minute (the one before it was had). */
  wait_bars (&live, n + 1);
  assert_series (&live);
  g_assert_cmpuint (ea_tradovate_server_get_open_charts (f->server), ==, 1);
  n = live.bars->len;
  g_assert_true (ea_tradovate_server_trade (f->server, symbol, 27240, 4));
  wait_bars (&live, n + 1);
  g_assert_cmpint (last_bar (&live)->close, ==, 27240);

  /* Disconnecting cancels the chart before the socket closes. */
  g_assert_cmpuint (ea_tradovate_server_count_requests (f->server, "md/cancelChart"), ==, 0);
  {
    GAsyncResult *res = NULL;

    ea_broker_disconnect_async (EA_BROKER (f->broker), NULL, result_cb, &res);
    g_assert_true (ea_broker_disconnect_finish (EA_BROKER (f->broker), wait_result (&res), NULL));
    g_object_unref (res);
  }
  wait_requests (f, "md/cancelChart", 1);
  live_bars_clear (&live, f->broker);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  EaContract front;
  int ret;

  g_setenv ("EA_TRADOVATE_TEST_TIMING", "1", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_assert_true (ea_contract_front (ea_instrument_lookup ("ES"), ea_session_trading_day (now), &front));
  symbol = ea_contract_format (&front, EA_SYMBOLOGY_TRADOVATE);

#define ADD(path, fn, data) \
  g_test_add ("/tradovate/history/" path, Fixture, data, fixture_setup, fn, fixture_teardown)
  ADD ("minute-bars", test_minute_bars, NULL);
  ADD ("periods", test_periods, NULL);
  ADD ("cancel", test_cancel, NULL);
  ADD ("malformed", test_malformed, NULL);
  ADD ("no-end-of-history", test_no_end_of_history, NULL);
  ADD ("connection-lost", test_connection_lost, NULL);
  ADD ("fuzz", test_fuzz, NULL);
  ADD ("not-connected", test_not_connected, "offline");
  ADD ("live-bars", test_live_bars, NULL);
  ADD ("live-timeframe", test_live_timeframe, NULL);
  ADD ("live-reconnect", test_live_reconnect, NULL);
#undef ADD

  ret = g_test_run ();
  g_free (symbol);

  return ret;
}
