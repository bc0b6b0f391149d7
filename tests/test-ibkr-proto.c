/* test-ibkr-proto.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The IBKR wire codec and the shared broker helpers: worked examples of
 * every reply shape (PROTOCOLS.md §2), the pacing limiter in closed form,
 * and malformed-input fuzzing of every parser.
 */
#include "config.h"

#include <string.h>

#include "ea-broker-util.h"
#include "ea-ibkr-proto.h"

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *n = ea_json_parse_string (text, -1, &error);

  g_assert_no_error (error);
  return n;
}

static void
test_auth_accounts (void)
{
  g_autoptr(JsonNode) st = parse ("{\"authenticated\":true,\"competing\":true,\"connected\":true,"
                                  "\"message\":\"\",\"MAC\":\"x\",\"serverInfo\":{}}");
  g_autoptr(JsonNode) acc = parse ("{\"accounts\":[\"DU1\",\"\",7,\"DU2\"],\"aliases\":{},"
                                   "\"selectedAccount\":\"DU2\"}");
  g_autoptr(JsonNode) bad = parse ("{\"connected\":true}");
  g_autoptr(GError) error = NULL;
  g_autofree char *selected = NULL;
  g_auto(GStrv) accounts = NULL;
  EaIbkrAuthStatus s;

  g_assert_true (ea_ibkr_parse_auth_status (st, &s, &error));
  g_assert_true (s.authenticated && s.competing && s.connected);
  ea_ibkr_auth_status_clear (&s);
  g_assert_false (ea_ibkr_parse_auth_status (bad, &s, &error));
  g_assert_error (error, EA_IBKR_PROTO_ERROR, EA_IBKR_PROTO_ERROR_MALFORMED);
  g_clear_error (&error);

  accounts = ea_ibkr_parse_accounts (acc, &selected, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (accounts), ==, 2);
  g_assert_cmpstr (accounts[1], ==, "DU2");
  g_assert_cmpstr (selected, ==, "DU2");
}

static void
test_order_reply (void)
{
  g_autoptr(GError) error = NULL;
  EaIbkrReply r;
  static const char *ack = "[{\"order_id\":\"1289\",\"order_status\":\"Submitted\",\"encrypt_message\":\"1\"},"
                           "{\"order_id\":1290,\"order_status\":\"PreSubmitted\"}]";
  static const char *ack_object = "{\"order_id\":\"77\",\"order_status\":\"Filled\"}";
  static const char *question = "[{\"id\":\"07a1-uuid\",\"message\":[\"Price exceeds\",\"Are you sure?\"],"
                                "\"isSuppressed\":false,\"messageIds\":[\"o163\",\"o354\"]}]";
  static const char *err = "{\"error\":\"Order rejected: no trading permissions\"}";
  g_autoptr(JsonNode) a = parse (ack), ao = parse (ack_object), q = parse (question), e = parse (err);
  g_autoptr(JsonNode) empty = parse ("[]");

  g_assert_true (ea_ibkr_parse_order_reply (a, &r, &error));
  g_assert_cmpint (r.kind, ==, EA_IBKR_REPLY_ACK);
  g_assert_cmpuint (r.order_ids->len, ==, 2);
  g_assert_cmpstr (r.order_ids->pdata[0], ==, "1289");
  g_assert_cmpstr (r.order_ids->pdata[1], ==, "1290");
  g_assert_cmpstr (r.order_status, ==, "Submitted");
  ea_ibkr_reply_clear (&r);

  g_assert_true (ea_ibkr_parse_order_reply (ao, &r, &error));
  g_assert_cmpint (r.kind, ==, EA_IBKR_REPLY_ACK);
  g_assert_cmpstr (r.order_ids->pdata[0], ==, "77");
  ea_ibkr_reply_clear (&r);

  g_assert_true (ea_ibkr_parse_order_reply (q, &r, &error));
  g_assert_cmpint (r.kind, ==, EA_IBKR_REPLY_QUESTION);
  g_assert_cmpstr (r.question_id, ==, "07a1-uuid");
  g_assert_cmpstr (r.message, ==, "Price exceeds\nAre you sure?");
  g_assert_cmpuint (g_strv_length (r.message_ids), ==, 2);
  g_assert_cmpstr (r.message_ids[1], ==, "o354");
  ea_ibkr_reply_clear (&r);

  g_assert_true (ea_ibkr_parse_order_reply (e, &r, &error));
  g_assert_cmpint (r.kind, ==, EA_IBKR_REPLY_ERROR);
  g_assert_cmpstr (r.message, ==, "Order rejected: no trading permissions");
  ea_ibkr_reply_clear (&r);

  g_assert_false (ea_ibkr_parse_order_reply (empty, &r, &error));
  g_assert_error (error, EA_IBKR_PROTO_ERROR, EA_IBKR_PROTO_ERROR_MALFORMED);
}

static void
test_orders_and_deltas (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) list = parse ("{\"filters\":[],\"orders\":[{\"acct\":\"DU1\",\"conid\":495512000,"
                                    "\"orderId\":1289,\"order_ref\":\"d-1\",\"side\":\"BUY\",\"orderType\":\"LMT\","
                                    "\"price\":\"6799.75\",\"totalSize\":3,\"filledQuantity\":0,"
                                    "\"status\":\"Submitted\",\"timeInForce\":\"DAY\"}],\"snapshot\":true}");
  g_autoptr(JsonNode) delta = parse ("{\"orderId\":\"1289\",\"filledQuantity\":1,\"avgPrice\":\"6799.75\"}");
  g_autoptr(GPtrArray) orders = ea_ibkr_parse_orders (list, &error);
  EaIbkrOrder *o, u;
  EaOrderType t;

  g_assert_no_error (error);
  g_assert_cmpuint (orders->len, ==, 1);
  o = orders->pdata[0];
  g_assert_cmpint (o->order_id, ==, 1289);
  g_assert_cmpint (o->side, ==, EA_SIDE_BUY);
  g_assert_cmpfloat (o->price, ==, 6799.75);
  g_assert_true (ea_ibkr_order_type_parse (o->order_type, &t));
  g_assert_cmpint (t, ==, EA_ORDER_TYPE_LIMIT);
  g_assert_cmpint (ea_ibkr_status_to_state (o->status, o->filled), ==, EA_ORDER_STATE_WORKING);

  /* A sor delta: only the changed fields, merged over the record. */
  g_assert_true (ea_ibkr_parse_order (json_node_get_object (delta), &u, &error));
  g_assert_cmpuint (u.present, ==, EA_IBKR_ORDER_FILLED | EA_IBKR_ORDER_AVG_PRICE);
  ea_ibkr_order_merge (o, &u);
  ea_ibkr_order_clear (&u);
  g_assert_cmpint (o->filled, ==, 1);
  g_assert_cmpint (o->total, ==, 3);
  g_assert_cmpstr (o->order_ref, ==, "d-1");
  g_assert_cmpint (ea_ibkr_status_to_state (o->status, o->filled), ==, EA_ORDER_STATE_PARTIALLY_FILLED);
  g_assert_cmpint (ea_ibkr_status_to_state ("Cancelled", 0), ==, EA_ORDER_STATE_CANCELLED);
  g_assert_cmpint (ea_ibkr_status_to_state ("Inactive", 0), ==, EA_ORDER_STATE_REJECTED);
  g_assert_cmpint (ea_ibkr_status_to_state ("Martian", 0), ==, EA_ORDER_STATE_UNKNOWN);
}

static void
test_market (void)
{
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) row = parse ("{\"conid\":495512000,\"31\":\"C6800.25\",\"84\":\"6800.00\",\"86\":\"6800.50\","
                                   "\"88\":\"12\",\"85\":\"1,204\",\"7762\":\"1.5K\",\"6509\":\"RpB\"}");
  g_autoptr(JsonNode) halted = parse ("{\"31\":\"H6790.00\"}");
  g_autoptr(JsonNode) bad = parse ("{\"84\":\"68OO.00\"}");
  EaIbkrMarket m;
  gint64 v;

  g_assert_true (ea_ibkr_parse_market (json_node_get_object (row), es, &m, &error));
  g_assert_no_error (error);
  g_assert_cmpint (m.conid, ==, 495512000);
  g_assert_cmpint (m.last, ==, 27201);       /* 6800.25 / 0.25 */
  g_assert_true (m.prior_close);
  g_assert_false (m.halted);
  g_assert_cmpint (m.bid, ==, 27200);
  g_assert_cmpint (m.ask, ==, 27202);
  g_assert_cmpint (m.bid_size, ==, 12);
  g_assert_cmpint (m.ask_size, ==, 1204);
  g_assert_cmpint (m.volume, ==, 1500);
  g_assert_false (m.present & EA_IBKR_MD_LAST_SIZE);

  g_assert_true (ea_ibkr_parse_market (json_node_get_object (halted), es, &m, &error));
  g_assert_true (m.halted);
  g_assert_cmpuint (m.present, ==, EA_IBKR_MD_LAST);
  g_assert_false (ea_ibkr_parse_market (json_node_get_object (bad), es, &m, &error));
  g_assert_error (error, EA_IBKR_PROTO_ERROR, EA_IBKR_PROTO_ERROR_MALFORMED);

  g_assert_true (ea_ibkr_parse_size ("2M", &v));
  g_assert_cmpint (v, ==, 2000000);
  g_assert_false (ea_ibkr_parse_size ("K", &v));
  g_assert_false (ea_ibkr_parse_size ("-3", &v));
  g_assert_false (ea_ibkr_parse_size ("1e400", &v));
}

static void
test_futures_positions_trades (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) fut = parse ("{\"ES\":[{\"symbol\":\"ES\",\"conid\":11,\"expirationDate\":20261218},"
                                   "{\"symbol\":\"ES\",\"conid\":12,\"expirationDate\":20270319}]}");
  g_autoptr(JsonNode) pos = parse ("[{\"acctId\":\"DU1\",\"conid\":11,\"position\":-2.0,\"avgPrice\":6801.5,"
                                   "\"realizedPnl\":0,\"unrealizedPnl\":-25.0}]");
  g_autoptr(JsonNode) trades = parse ("[{\"execution_id\":\"0000e.1\",\"conid\":11,\"side\":\"S\",\"size\":\"2\","
                                      "\"price\":\"6801.50\",\"order_ref\":\"d-9\",\"account\":\"DU1\","
                                      "\"order_id\":1300,\"trade_time_r\":1763478000000}]");
  g_autoptr(GArray) f = ea_ibkr_parse_futures (fut, "ES", &error);
  g_autoptr(GPtrArray) p = ea_ibkr_parse_positions (pos, &error);
  g_autoptr(GPtrArray) t = ea_ibkr_parse_trades (trades, &error);
  EaIbkrTrade *tr;

  g_assert_no_error (error);
  g_assert_cmpuint (f->len, ==, 2);
  /* ESZ6's last trade day by the core calendar is 2026-12-18. */
  g_assert_cmpint (ea_ibkr_futures_find (f, 20261218, 7), ==, 11);
  g_assert_cmpint (ea_ibkr_futures_find (f, 20261221, 7), ==, 11);   /* a holiday shift */
  g_assert_cmpint (ea_ibkr_futures_find (f, 20270318, 7), ==, 12);
  g_assert_cmpint (ea_ibkr_futures_find (f, 20260918, 7), ==, 0);    /* not listed */
  g_assert_cmpint (((EaIbkrPosition *) p->pdata[0])->position, ==, -2);
  g_assert_cmpfloat (((EaIbkrPosition *) p->pdata[0])->avg_price, ==, 6801.5);
  tr = t->pdata[0];
  g_assert_cmpstr (tr->execution_id, ==, "0000e.1");
  g_assert_cmpint (tr->side, ==, EA_SIDE_SELL);
  g_assert_cmpint (tr->size, ==, 2);
  g_assert_cmpint (tr->order_id, ==, 1300);
  g_assert_cmpint (tr->time_ms, ==, 1763478000000);
}

static const char ws_text[] = "{\"topic\":\"smd+265598\",\"31\":\"1\"}";

static void
test_ws_and_build (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *topic = NULL;
  g_autofree char *smd = ea_ibkr_ws_smd (265598);
  g_autofree char *umd = ea_ibkr_ws_umd (265598);
  g_autoptr(JsonObject) o = ea_ibkr_ws_parse (ws_text, strlen (ws_text), &topic, &error);
  EaIbkrOrderSpec specs[2] = {
    { .conid = 11, .coid = "d-1", .type = EA_ORDER_TYPE_STOP_LIMIT, .side = EA_SIDE_BUY, .quantity = 2,
      .price = "6801.25", .aux_price = "6801.00", .tif = "GTC" },
    { .conid = 11, .coid = "d-1-SL", .parent_id = "d-1", .type = EA_ORDER_TYPE_STOP, .side = EA_SIDE_SELL,
      .quantity = 2, .price = "6790.00" },
  };
  g_autoptr(JsonNode) body = ea_ibkr_build_orders (specs, 2);
  g_autofree char *text = ea_json_to_string (body);

  g_assert_no_error (error);
  g_assert_cmpstr (topic, ==, "smd+265598");
  g_assert_cmpstr (smd, ==, "smd+265598+{\"fields\":[\"31\",\"84\",\"86\",\"88\",\"85\",\"7059\",\"7762\",\"6509\"]}");
  g_assert_cmpstr (umd, ==, "umd+265598+{}");
  g_assert_nonnull (strstr (text, "\"orders\":[{\"conid\":11,\"secType\":\"FUT\",\"cOID\":\"d-1\","
                                  "\"orderType\":\"STOP_LIMIT\",\"side\":\"BUY\",\"quantity\":2,"
                                  "\"price\":6801.25,\"auxPrice\":6801.0,\"tif\":\"GTC\""));
  g_assert_nonnull (strstr (text, "\"cOID\":\"d-1-SL\",\"parentId\":\"d-1\",\"orderType\":\"STP\",\"side\":\"SELL\""));
  g_clear_pointer (&topic, g_free);
  g_assert_null (ea_ibkr_ws_parse ("[1]", 3, &topic, &error));
  g_assert_error (error, EA_IBKR_PROTO_ERROR, EA_IBKR_PROTO_ERROR_MALFORMED);
}

/* The limiter in closed form: 10 per second and 1 per 5 s. */
static void
test_rate_limiter (void)
{
  g_autoptr(EaRateLimiter) l = ea_rate_limiter_new ();
  const gint64 s = G_USEC_PER_SEC;

  ea_rate_limiter_add_rule (l, "", 10, s);
  ea_rate_limiter_add_rule (l, "iserver/account/orders", 1, 5 * s);
  /* 25 requests at t=0 leave at 0 (x10), 1 s (x10), 2 s (x5). */
  for (guint i = 0; i < 25; i++)
    g_assert_cmpint (ea_rate_limiter_reserve (l, "tickle", 100 * s), ==, (gint64) (i / 10) * s);
  /* The slow endpoint: first at 3 s (global), the next 5 s later. */
  g_assert_cmpint (ea_rate_limiter_reserve (l, "iserver/account/orders", 100 * s), ==, 2 * s);
  g_assert_cmpint (ea_rate_limiter_reserve (l, "iserver/account/orders", 100 * s), ==, 7 * s);
  /* A penalty pushes everything. */
  ea_rate_limiter_pause_until (l, 200 * s);
  g_assert_cmpint (ea_rate_limiter_paused_until (l, 150 * s), ==, 200 * s);
  g_assert_cmpint (ea_rate_limiter_paused_until (l, 201 * s), ==, 0);
  g_assert_cmpint (ea_rate_limiter_reserve (l, "tickle", 150 * s), ==, 50 * s);

  g_assert_cmpint (ea_backoff_delay (0, 100, 1000), ==, 100);
  g_assert_cmpint (ea_backoff_delay (3, 100, 1000), ==, 800);
  g_assert_cmpint (ea_backoff_delay (60, 100, 1000), ==, 1000);
}

/* Asking how long a request would wait books nothing; changing a rule
 * keeps what was sent under the old one. */
static void
test_rate_limiter_change (void)
{
  g_autoptr(EaRateLimiter) l = ea_rate_limiter_new ();
  const gint64 s = G_USEC_PER_SEC;

  ea_rate_limiter_add_rule (l, "", 4, s);
  ea_rate_limiter_add_rule (l, "iserver/account/orders", 1, 5 * s);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (ea_rate_limiter_wait (l, "tickle", 10 * s + i), ==, 0);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (ea_rate_limiter_reserve (l, "tickle", 10 * s + i), ==, 0);
  g_assert_cmpint (ea_rate_limiter_wait (l, "tickle", 10 * s + 4), ==, s - 4);
  g_assert_cmpint (ea_rate_limiter_wait (l, "tickle", 10 * s + 4), ==, s - 4);

  /* Fewer per window: the newest two of the four sends still count. */
  ea_rate_limiter_add_rule (l, "", 2, s);
  g_assert_cmpint (ea_rate_limiter_wait (l, "tickle", 10 * s + 4), ==, s - 2);
  /* A longer window counts them longer. */
  ea_rate_limiter_add_rule (l, "", 2, 2 * s);
  g_assert_cmpint (ea_rate_limiter_wait (l, "tickle", 10 * s + 4), ==, 2 * s - 2);
  /* More per window: the two kept sends count with the new ones. */
  ea_rate_limiter_add_rule (l, "", 6, s);
  for (guint i = 5; i < 9; i++)
    g_assert_cmpint (ea_rate_limiter_reserve (l, "tickle", 10 * s + i), ==, 0);
  g_assert_cmpint (ea_rate_limiter_wait (l, "tickle", 10 * s + 9), ==, s - 7);
  /* The slow rule is its own and unchanged: it waits for the global one,
   * then holds the next one five seconds. */
  g_assert_cmpint (ea_rate_limiter_reserve (l, "iserver/account/orders", 10 * s + 9), ==, s - 7);
  g_assert_cmpint (ea_rate_limiter_wait (l, "iserver/account/orders", 11 * s), ==, 5 * s + 2);
}

static void
test_util (void)
{
  g_autoptr(JsonNode) n = parse ("{\"a\":\"12\",\"b\":3.0,\"c\":3.5,\"d\":\"x\",\"e\":true,\"f\":\"9223372036854775808\"}");
  JsonObject *o = json_node_get_object (n);
  gint64 v;
  double d;

  g_assert_true (ea_json_get_int (o, "a", &v) && v == 12);
  g_assert_true (ea_json_get_int (o, "b", &v) && v == 3);
  g_assert_false (ea_json_get_int (o, "c", &v));
  g_assert_false (ea_json_get_int (o, "d", &v));
  g_assert_false (ea_json_get_int (o, "f", &v));   /* overflow */
  g_assert_false (ea_json_get_int (o, "zz", &v));
  g_assert_true (ea_json_get_double (o, "a", &d) && d == 12);
  g_assert_false (ea_json_get_double (o, "d", &d));
  g_assert_null (ea_json_get_string (o, "b"));
  g_assert_true (ea_json_get_bool (o, "e", FALSE));
  g_assert_true (ea_json_get_bool (o, "a", TRUE));

  g_assert_true (ea_fingerprint_equal ("AB:cd:01", "abcd01"));
  g_assert_false (ea_fingerprint_equal ("abcd01", "abcd02"));
  g_assert_false (ea_fingerprint_equal ("", ""));
  g_assert_true (ea_host_is_loopback ("127.0.0.1"));
  g_assert_true (ea_host_is_loopback ("LOCALHOST"));
  g_assert_true (ea_host_is_loopback ("::1"));
  g_assert_false (ea_host_is_loopback ("127.0.0.1.example.com"));
  g_assert_false (ea_host_is_loopback ("192.168.1.10"));
  g_assert_false (ea_host_is_loopback (NULL));
}

/* Every parser on mutated replies: a result or a GError, never a crash. */
static void
fuzz_one (const char *text, gsize len)
{
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  g_autoptr(JsonNode) n = ea_json_parse_string (text, len, NULL);
  g_autofree char *topic = NULL;
  g_autoptr(JsonObject) w = NULL;

  if (g_utf8_validate (text, len, NULL))
    w = ea_ibkr_ws_parse (text, len, &topic, NULL);
  if (n == NULL)
    return;
  {
    EaIbkrAuthStatus s;
    EaIbkrReply r;
    EaIbkrMarket m;
    EaIbkrOrder o;
    g_autofree char *sel = NULL;
    g_auto(GStrv) acc = ea_ibkr_parse_accounts (n, &sel, NULL);
    g_autoptr(GPtrArray) orders = ea_ibkr_parse_orders (n, NULL);
    g_autoptr(GPtrArray) pos = ea_ibkr_parse_positions (n, NULL);
    g_autoptr(GPtrArray) tr = ea_ibkr_parse_trades (n, NULL);
    g_autoptr(GArray) fut = ea_ibkr_parse_futures (n, "ES", NULL);

    if (ea_ibkr_parse_auth_status (n, &s, NULL))
      ea_ibkr_auth_status_clear (&s);
    if (ea_ibkr_parse_order_reply (n, &r, NULL))
      ea_ibkr_reply_clear (&r);
    if (JSON_NODE_HOLDS_OBJECT (n))
      {
        ea_ibkr_parse_market (json_node_get_object (n), es, &m, NULL);
        if (ea_ibkr_parse_order (json_node_get_object (n), &o, NULL))
          ea_ibkr_order_clear (&o);
      }
    if (fut)
      ea_ibkr_futures_find (fut, 20261218, 7);
  }
}

static void
test_fuzz (void)
{
  static const char *const seeds[] = {
    "{\"authenticated\":true,\"competing\":false,\"connected\":true}",
    "{\"accounts\":[\"DU1\"],\"selectedAccount\":\"DU1\"}",
    "[{\"order_id\":\"1\",\"order_status\":\"Submitted\"}]",
    "[{\"id\":\"q\",\"message\":[\"sure?\"],\"messageIds\":[\"o163\"]}]",
    "{\"orders\":[{\"orderId\":1,\"conid\":2,\"side\":\"BUY\",\"totalSize\":1,\"status\":\"Filled\"}]}",
    "[{\"acctId\":\"DU1\",\"conid\":11,\"position\":1,\"avgPrice\":1}]",
    "[{\"execution_id\":\"e\",\"conid\":1,\"side\":\"B\",\"size\":\"1\",\"price\":\"2.5\"}]",
    "{\"ES\":[{\"conid\":11,\"expirationDate\":20261218}]}",
    "{\"topic\":\"smd+11\",\"31\":\"C6800.25\",\"84\":\"6800\",\"88\":\"1,2K\"}",
  };
  GRand *rand = g_rand_new_with_seed (20261124);

  for (guint round = 0; round < 4000; round++)
    {
      const char *seed = seeds[round % G_N_ELEMENTS (seeds)];
      gsize len = strlen (seed);
      g_autofree char *m = g_strdup (seed);
      guint edits = g_rand_int_range (rand, 1, 4);

      for (guint e = 0; e < edits; e++)
        {
          static const char alphabet[] = "{}[]\":,0123456789-.eECHKMtrufalsn \\xyz";
          gsize at = g_rand_int_range (rand, 0, (gint32) len);

          switch (g_rand_int_range (rand, 0, 3))
            {
            case 0:
              m[at] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
              break;
            case 1:
              len = at;   /* truncate */
              break;
            default:
              m[at] = (char) g_rand_int_range (rand, 1, 256);
              break;
            }
          if (len == 0)
            break;
        }
      fuzz_one (m, len);
    }
  g_rand_free (rand);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ibkr-proto/auth-accounts", test_auth_accounts);
  g_test_add_func ("/ibkr-proto/order-reply", test_order_reply);
  g_test_add_func ("/ibkr-proto/orders-deltas", test_orders_and_deltas);
  g_test_add_func ("/ibkr-proto/market", test_market);
  g_test_add_func ("/ibkr-proto/futures-positions-trades", test_futures_positions_trades);
  g_test_add_func ("/ibkr-proto/ws-build", test_ws_and_build);
  g_test_add_func ("/broker-util/rate-limiter", test_rate_limiter);
  g_test_add_func ("/broker-util/rate-limiter/change", test_rate_limiter_change);
  g_test_add_func ("/broker-util/json-fingerprint", test_util);
  g_test_add_func ("/ibkr-proto/fuzz", test_fuzz);
  return g_test_run ();
}
