/* test-sim-replay.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Replay of NinjaTrader 8 exports through the Demo broker: the prints
 * add up to the file's bars, orders fill at hand-computed prices and
 * times, malformed lines are reported with their numbers.
 */
#include "config.h"

#include <string.h>

#include "ea-instrument.h"
#include "ea-sim-broker.h"

#define SEC G_GINT64_CONSTANT (1000000)
/* 2025-11-18 14:30:00 UTC */
#define T0  G_GINT64_CONSTANT (1763476200000000)

typedef struct
{
  EaTimeUs end;
  EaTicks  open, high, low, close;
  gint64   volume;
} Bar;

typedef struct
{
  GArray    *bars;     /* Bar, built from the prints by bar end time */
  GPtrArray *fills;
  GPtrArray *quotes;
} Recorder;

static void
quote_cb (EaBroker *broker, const EaQuoteData *q, Recorder *rec)
{
  EaTimeUs end = (q->time / (60 * SEC) + 1) * 60 * SEC;
  Bar *b = rec->bars->len ? &g_array_index (rec->bars, Bar, rec->bars->len - 1) : NULL;

  g_ptr_array_add (rec->quotes, ea_quote_data_copy (q));
  if (q->last <= 0 || q->time % (60 * SEC) == 0)
    return;
  if (b == NULL || b->end != end)
    {
      Bar nb = { end, q->last, q->last, q->last, q->last, 0 };

      g_array_append_val (rec->bars, nb);
      b = &g_array_index (rec->bars, Bar, rec->bars->len - 1);
    }
  b->high = MAX (b->high, q->last);
  b->low = MIN (b->low, q->last);
  b->close = q->last;
  b->volume += q->last_size;
}

static void
fill_cb (EaBroker *broker, const EaFillData *f, Recorder *rec)
{
  g_ptr_array_add (rec->fills, ea_fill_data_copy (f));
}

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static EaSimBroker *
replay_broker (Recorder *rec)
{
  EaSimBroker *sim = ea_sim_broker_new (3, T0 - 3600 * SEC);
  GAsyncResult *res = NULL;

  rec->bars = g_array_new (FALSE, FALSE, sizeof (Bar));
  rec->fills = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_fill_data_free);
  rec->quotes = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_quote_data_free);

  ea_broker_connect_async (EA_BROKER (sim), NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ea_broker_connect_finish (EA_BROKER (sim), res, NULL));
  g_clear_object (&res);
  ea_broker_subscribe_quotes_async (EA_BROKER (sim), "ES", NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ea_broker_subscribe_quotes_finish (EA_BROKER (sim), res, NULL));
  g_clear_object (&res);

  g_signal_connect (sim, "quote", G_CALLBACK (quote_cb), rec);
  g_signal_connect (sim, "fill", G_CALLBACK (fill_cb), rec);
  return sim;
}

static void
recorder_clear (EaSimBroker *sim, Recorder *rec)
{
  g_signal_handlers_disconnect_by_data (sim, rec);
  g_assert_finalize_object (sim);
  g_array_unref (rec->bars);
  g_ptr_array_unref (rec->fills);
  g_ptr_array_unref (rec->quotes);
}

static char *
place (EaSimBroker *sim, const char *cid, EaSide side, EaOrderType type,
       gint64 qty, EaTicks limit, EaTicks stop)
{
  g_autoptr(EaOrderRequest) r = ea_order_request_new ("DEMO-1", "ES", cid, side, type, qty);
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  char *id;

  r->limit_price = limit;
  r->stop_price = stop;
  ea_broker_place_order_async (EA_BROKER (sim), r, NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  id = ea_broker_place_order_finish (EA_BROKER (sim), res, &error);
  g_assert_no_error (error);
  g_object_unref (res);
  return id;
}

static EaTicks
ticks (double price)
{
  return ea_instrument_price_to_ticks (ea_instrument_lookup ("ES"), price);
}

static void
test_bars (void)
{
  static const struct { const char *end; double o, h, l, c; gint64 v; } expect[] = {
    { "143100", 6800.00, 6802.50, 6799.25, 6801.75, 1200 },
    { "143200", 6801.75, 6801.75, 6796.00, 6797.50, 980 },
    { "143300", 6797.50, 6800.25, 6797.00, 6800.00, 1500 },
    { "143400", 6800.00, 6804.00, 6799.50, 6803.25, 2100 },
    { "143500", 6803.25, 6803.50, 6801.00, 6802.00, 760 },
  };
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "ES-minute-bars.txt", NULL);
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *stop = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  Recorder rec;
  EaSimBroker *sim = replay_broker (&rec);
  guint steps = 0;
  const EaFillData *f;

  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));
  g_assert_true (ea_sim_broker_load_replay (sim, "ES", path, NULL, &warnings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_cmpint (ea_sim_broker_get_time (sim), <, T0 + 60 * SEC);

  limit = place (sim, "R1", EA_SIDE_BUY, EA_ORDER_TYPE_LIMIT, 2, ticks (6797.00), 0);
  stop = place (sim, "R2", EA_SIDE_SELL, EA_ORDER_TYPE_STOP, 1, 0, ticks (6799.00));

  while (ea_sim_broker_replay_step (sim))
    steps++;
  g_assert_cmpuint (steps, ==, 5 * 4);

  /* The prints rebuild the file's bars exactly. */
  g_assert_cmpuint (rec.bars->len, ==, G_N_ELEMENTS (expect));
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      const Bar *b = &g_array_index (rec.bars, Bar, i);
      g_autoptr(GDateTime) end = g_date_time_new_from_unix_utc (b->end / SEC);
      g_autofree char *hhmmss = g_date_time_format (end, "%H%M%S");

      g_assert_cmpstr (hhmmss, ==, expect[i].end);
      g_assert_cmpint (b->open, ==, ticks (expect[i].o));
      g_assert_cmpint (b->high, ==, ticks (expect[i].h));
      g_assert_cmpint (b->low, ==, ticks (expect[i].l));
      g_assert_cmpint (b->close, ==, ticks (expect[i].c));
      g_assert_cmpint (b->volume, ==, expect[i].v);
    }

  /* Bar 2 (14:31–14:32) opens 6801.75, its high is the open, then its
   * low 6796.00 prints at 14:31:30: the buy limit fills 2 at 6797.00, and
   * the sell stop at 6799.00 triggers and takes the bid, 6796.00. */
  g_assert_cmpuint (rec.fills->len, ==, 2);
  f = rec.fills->pdata[0];
  g_assert_cmpstr (f->client_order_id, ==, "R1");
  g_assert_cmpint (f->price, ==, ticks (6797.00));
  g_assert_cmpint (f->qty, ==, 2);
  g_assert_cmpint (f->time, ==, T0 + 90 * SEC);
  f = rec.fills->pdata[1];
  g_assert_cmpstr (f->client_order_id, ==, "R2");
  g_assert_cmpint (f->price, ==, ticks (6796.00));
  g_assert_cmpint (f->time, ==, T0 + 90 * SEC);

  {
    g_autoptr(EaSnapshotData) s = ea_sim_exchange_snapshot (ea_sim_broker_get_exchange (sim), "DEMO-1");
    const EaPositionData *p = s->positions->pdata[0];

    /* Long 1 from 6797.00; 1 sold at 6796.00: -4 ticks = -$50. */
    g_assert_cmpint (p->qty, ==, 1);
    g_assert_cmpint (p->realized_pnl, ==, -EA_MICROS (50));
    /* Marked at the last print, 6802.00: +20 ticks = +$250. */
    g_assert_cmpint (p->open_pnl, ==, EA_MICROS (250));
  }

  /* Reading never modifies the file. */
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);
  g_assert_false (ea_sim_broker_replay_step (sim));

  recorder_clear (sim, &rec);
}

static void
test_ticks (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "ES-ticks.txt", NULL);
  g_autoptr(GError) error = NULL;
  Recorder rec;
  EaSimBroker *sim = replay_broker (&rec);
  const EaQuoteData *q;

  g_assert_true (ea_sim_broker_load_replay (sim, "ES", path, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Advancing the clock plays what is due: the first three ticks. */
  ea_sim_broker_advance (sim, 600 * 1000);
  g_assert_cmpuint (rec.quotes->len, ==, 3);
  q = rec.quotes->pdata[1];
  g_assert_cmpint (q->time, ==, T0 + 250000);
  g_assert_cmpint (q->last, ==, ticks (6800.25));
  g_assert_cmpint (q->bid, ==, ticks (6800.00));
  g_assert_cmpint (q->ask, ==, ticks (6800.25));

  g_assert_true (ea_sim_broker_replay_step (sim));
  q = rec.quotes->pdata[3];
  g_assert_cmpint (q->time, ==, T0 + SEC);
  g_assert_cmpint (q->last, ==, ticks (6799.50));
  g_assert_cmpint (q->volume, ==, 3 + 1 + 2 + 5);
  g_assert_false (ea_sim_broker_replay_step (sim));

  recorder_clear (sim, &rec);
}

static void
test_malformed (void)
{
  static const char * const expected[] = {
    "line 2: timestamp is not",
    "line 3: price is not a positive number",
    "line 5: timestamp does not match the field count",
    "line 6: volume is not a non-negative integer",
    "line 7: open/close outside the low..high range",
    "line 9: timestamp is not a valid date and time",
    "line 10: timestamp earlier than the previous line",
  };
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "ES-malformed.txt", NULL);
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GError) error = NULL;
  Recorder rec;
  EaSimBroker *sim = replay_broker (&rec);
  guint steps = 0;

  g_assert_true (ea_sim_broker_load_replay (sim, "ES", path, NULL, &warnings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_test_message ("%s", (char *) warnings->pdata[i]);
      g_assert_true (g_str_has_prefix (warnings->pdata[i], expected[i]));
    }
  while (ea_sim_broker_replay_step (sim))
    steps++;
  g_assert_cmpuint (steps, ==, 2 * 4);   /* lines 1 and 8 */

  /* Nothing usable at all, a missing file, an unknown symbol. */
  {
    g_autoptr(EaNtData) d = ea_nt_data_parse ("garbage\n\xff\xfe;;;;;\n", -1, NULL, &error);

    g_assert_null (d);
    g_assert_error (error, EA_NT_IMPORT_ERROR, EA_NT_IMPORT_ERROR_EMPTY);
    g_clear_error (&error);
  }
  g_assert_false (ea_sim_broker_load_replay (sim, "ES", "/nonexistent/file.txt", NULL, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);
  g_assert_false (ea_sim_broker_load_replay (sim, "XYZ", path, NULL, NULL, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND);

  recorder_clear (sim, &rec);
}

static void
test_timezone (void)
{
  g_autoptr(GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(EaNtData) d = NULL;
  g_autoptr(GError) error = NULL;

  /* 09:31 New York on 2025-11-18 (EST, UTC-5) is 14:31 UTC. */
  d = ea_nt_data_parse ("20251118 093100;1;1;1;1;1\n", -1, ny, &error);
  g_assert_no_error (error);
  g_assert_cmpint (d->kind, ==, EA_NT_KIND_BARS);
  g_assert_cmpint (g_array_index (d->bars, EaNtBar, 0).time, ==, T0 + 60 * SEC);
}

/* Random bytes drawn mostly from the format's alphabet: parsing either
 * fails cleanly or returns only valid records, never crashes. */
static void
test_garbage (void)
{
  static const char alphabet[] = "0123456789;;;  ..\n\n-e+x\r\xff";
  GRand *rand = g_rand_new_with_seed (17);

  for (guint round = 0; round < 500; round++)
    {
      g_autoptr(GString) text = g_string_new ("20251118 143100;6800;6801;6799;6800;10\n");
      g_autoptr(EaNtData) d = NULL;
      g_autoptr(GError) error = NULL;
      guint len = g_rand_int_range (rand, 0, 400);

      if (round % 2)
        g_string_truncate (text, 0);
      for (guint i = 0; i < len; i++)
        g_string_append_c (text, alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)]);

      d = ea_nt_data_parse (text->str, text->len, NULL, &error);
      if (d == NULL)
        {
          g_assert_error (error, EA_NT_IMPORT_ERROR, EA_NT_IMPORT_ERROR_EMPTY);
          continue;
        }
      for (guint i = 0; i < d->bars->len; i++)
        {
          const EaNtBar *b = &g_array_index (d->bars, EaNtBar, i);

          g_assert_cmpfloat (b->low, <=, b->high);
          g_assert_cmpfloat (b->low, >, 0);
          g_assert_cmpint (b->volume, >=, 0);
        }
    }
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/replay/bars", test_bars);
  g_test_add_func ("/replay/ticks", test_ticks);
  g_test_add_func ("/replay/malformed", test_malformed);
  g_test_add_func ("/replay/timezone", test_timezone);
  g_test_add_func ("/replay/garbage", test_garbage);

  return g_test_run ();
}
