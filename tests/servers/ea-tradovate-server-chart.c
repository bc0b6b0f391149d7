/* ea-tradovate-server-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * md/getChart and md/cancelChart. History comes from one deterministic
 * trade stream per contract (a trade every 10 s whose price and size are
 * a hash of its time), so bars of every size agree with each other: a
 * 5-minute bar is exactly its five 1-minute bars. History is streamed in
 * several `chart` messages of CHUNK bars, then `{id, eoh:true}`. A Tick
 * chart sends the trades between asFarAsTimestamp and closestTimestamp in
 * packets of TICK_CHUNK: `{id, s, td, bp, bt, ts, tks:[{t, p, s, …}]}`.
 * A bar chart then stays open until md/cancelChart: each trade the test
 * makes (ea_tradovate_server_trade()) updates its forming bar, sent under
 * the realtime id, and a trade in a later period starts the next bar.
 */
#define G_LOG_DOMAIN "ea-tradovate-server"

#include "config.h"

#include "ea-tradovate-proto.h"
#include "ea-tradovate-server-private.h"

#define TRADE_EVERY_US (G_GINT64_CONSTANT (10) * G_USEC_PER_SEC)
#define MINUTE_US      (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define DAY_US         (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)
#define CHUNK          40
#define TICK_CHUNK     100
#define MAX_TICKS      50000
#define MAX_ELEMENTS   5000
#define BASE_PRICE     27200

/* An open chart: bar charts stream their forming bar. */
typedef struct
{
  gint64  realtime_id;
  gint64  contract_id;
  gint64  period;       /* 0: a Tick chart, nothing live */
  gboolean has_bar;
  gint64  start;
  EaTicks open, high, low, close;
  gint64  volume;
  gint64  trades;
} TvLiveChart;

static void
open_chart (TvConn     *conn,
            gint64      realtime_id,
            TvContract *contract,
            gint64      period)
{
  TvLiveChart *live = g_new0 (TvLiveChart, 1);

  live->realtime_id = realtime_id;
  live->contract_id = contract->id;
  live->period = period;
  if (conn->charts == NULL)
    conn->charts = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  g_hash_table_replace (conn->charts, &live->realtime_id, live);
}

static guint64
mix (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

/* The trade number @k of @contract: a slow wave plus noise, in ticks. */
static void
trade_at (TvContract *contract,
          gint64      k,
          EaTicks    *price,
          gint64     *size)
{
  guint64 h = mix ((guint64) k ^ ((guint64) contract->id << 40));
  gint64 cycle = k % 720;

  if (cycle < 0)
    cycle += 720;
  *price = BASE_PRICE + (cycle < 360 ? cycle : 720 - cycle) / 12 + (gint64) (h % 9) - 4;
  *size = 1 + (gint64) ((h >> 8) % 5);
}

static gint64
floor_div (gint64 a,
           gint64 b)
{
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static gboolean
bar_of (TvContract *contract,
        gint64      start,
        gint64      period,
        EaTicks    *open,
        EaTicks    *high,
        EaTicks    *low,
        EaTicks    *close,
        gint64     *volume,
        gint64     *trades)
{
  gint64 first = floor_div (start + TRADE_EVERY_US - 1, TRADE_EVERY_US);
  gint64 last = floor_div (start + period - 1, TRADE_EVERY_US);

  if (last < first)
    return FALSE;

  *volume = 0;
  *trades = 0;
  for (gint64 k = first; k <= last; k++)
    {
      EaTicks p;
      gint64 s;

      trade_at (contract, k, &p, &s);
      if (k == first)
        *open = *high = *low = p;
      *high = MAX (*high, p);
      *low = MIN (*low, p);
      *close = p;
      *volume += s;
      (*trades)++;
    }

  return TRUE;
}

gboolean
ea_tradovate_server_history_bar (EaTradovateServer *self,
                                 const char        *symbol,
                                 gint64             start,
                                 gint64             period,
                                 EaTicks           *open,
                                 EaTicks           *high,
                                 EaTicks           *low,
                                 EaTicks           *close,
                                 gint64            *volume)
{
  TvContract *contract;
  gint64 trades;

  g_return_val_if_fail (EA_IS_TRADOVATE_SERVER (self), FALSE);

  contract = _tv_find_contract (self, 0, symbol);
  return contract != NULL && period > 0 &&
         bar_of (contract, start, period, open, high, low, close, volume, &trades);
}

static JsonNode *
chart_message (gint64      id,
               JsonArray  *bars,
               gboolean    eoh)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "charts");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, id);
  if (eoh)
    {
      json_builder_set_member_name (b, "eoh");
      json_builder_add_boolean_value (b, TRUE);
    }
  else
    {
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);

      json_builder_set_member_name (b, "td");
      json_builder_add_int_value (b, 20261124);
      json_node_take_array (node, bars);
      json_builder_set_member_name (b, "bars");
      json_builder_add_value (b, node);
    }
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static JsonObject *
bar_json (TvContract *contract,
          gint64      start,
          EaTicks     open,
          EaTicks     high,
          EaTicks     low,
          EaTicks     close,
          gint64      volume,
          gint64      trades)
{
  JsonObject *o = json_object_new ();
  g_autofree char *time = _tv_iso_time (start);

  json_object_set_string_member (o, "timestamp", time);
  json_object_set_double_member (o, "open", _tv_price (contract->spec, open));
  json_object_set_double_member (o, "high", _tv_price (contract->spec, high));
  json_object_set_double_member (o, "low", _tv_price (contract->spec, low));
  json_object_set_double_member (o, "close", _tv_price (contract->spec, close));
  /* Split as Tradovate does; the sums are what count. */
  json_object_set_int_member (o, "upVolume", volume - volume / 2);
  json_object_set_int_member (o, "downVolume", volume / 2);
  json_object_set_int_member (o, "upTicks", trades - trades / 2);
  json_object_set_int_member (o, "downTicks", trades / 2);
  json_object_set_int_member (o, "bidVolume", volume / 2);
  json_object_set_int_member (o, "offerVolume", volume - volume / 2);

  return o;
}

static JsonNode *
tick_packet (TvContract *contract,
             gint64      id,
             gint64      first,
             gint64      last,
             gboolean    malformed)
{
  JsonObject *packet = json_object_new ();
  JsonArray *tks = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *data = json_object_new ();
  JsonArray *charts = json_array_new ();
  EaTicks base_price;
  gint64 size;
  gint64 base_ms = first * (TRADE_EVERY_US / 1000);

  trade_at (contract, first, &base_price, &size);
  json_object_set_int_member (packet, "id", id);
  json_object_set_string_member (packet, "s", "db");
  json_object_set_int_member (packet, "td", 20261124);
  json_object_set_int_member (packet, "bp", base_price);
  json_object_set_int_member (packet, "bt", base_ms);
  json_object_set_double_member (packet, "ts", contract->spec->tick_size);

  for (gint64 k = first; k <= last; k++)
    {
      JsonObject *tk = json_object_new ();
      EaTicks price;

      trade_at (contract, k, &price, &size);
      json_object_set_int_member (tk, "t", k * (TRADE_EVERY_US / 1000) - base_ms);
      if (malformed && k == last)
        json_object_set_string_member (tk, "p", "n/a");
      else
        json_object_set_int_member (tk, "p", price - base_price);
      json_object_set_int_member (tk, "s", size);
      json_object_set_int_member (tk, "b", price - base_price - 1);
      json_object_set_int_member (tk, "a", price - base_price);
      json_object_set_int_member (tk, "bs", 10);
      json_object_set_int_member (tk, "as", 10);
      json_object_set_int_member (tk, "id", k);
      json_array_add_object_element (tks, tk);
    }
  json_object_set_array_member (packet, "tks", tks);
  json_array_add_object_element (charts, packet);
  json_object_set_array_member (data, "charts", charts);
  json_node_take_object (node, data);

  return node;
}

static void
send_ticks (TvConn     *conn,
            TvContract *contract,
            gint64      id,
            gint64      from_us,
            gint64      to_us,
            gboolean    malformed)
{
  gint64 first = floor_div (from_us + TRADE_EVERY_US - 1, TRADE_EVERY_US);
  gint64 last = floor_div (to_us, TRADE_EVERY_US);
  guint packets = 0;

  first = MAX (first, last - MAX_TICKS + 1);
  for (gint64 k = first; k <= last; k += TICK_CHUNK, packets++)
    {
      g_autoptr(JsonNode) message = tick_packet (contract, id, k, MIN (k + TICK_CHUNK - 1, last),
                                                 malformed && packets == 1);

      _tv_conn_event (conn, "chart", message);
    }
}

static void
error_reply (TvConn     *conn,
             gint64      id,
             guint       status,
             const char *text)
{
  g_autoptr(JsonNode) err = json_node_init_string (json_node_alloc (), text);

  _tv_conn_respond (conn, id, status, err);
}

static void
cancel_chart (TvConn     *conn,
              gint64      request_id,
              JsonObject *body)
{
  JsonNode *sub = body ? json_object_get_member (body, "subscriptionId") : NULL;
  gint64 id;

  if (sub == NULL || !JSON_NODE_HOLDS_VALUE (sub) || json_node_get_value_type (sub) != G_TYPE_INT64)
    {
      error_reply (conn, request_id, 400, "subscriptionId is required");
      return;
    }

  id = json_node_get_int (sub);
  if (conn->charts != NULL)
    g_hash_table_remove (conn->charts, &id);
  _tv_conn_respond (conn, request_id, 200, NULL);
}

static void
get_chart (TvConn     *conn,
           gint64      request_id,
           TvContract *contract,
           JsonObject *body)
{
  EaTradovateServer *self = conn->server;
  JsonObject *desc = json_object_get_object_member (body, "chartDescription");
  JsonObject *range = json_object_get_object_member (body, "timeRange");
  const char *type = desc ? json_object_get_string_member_with_default (desc, "underlyingType", NULL) : NULL;
  const char *unit = desc ? json_object_get_string_member_with_default (desc, "elementSizeUnit", "") : "";
  gint64 size = desc ? json_object_get_int_member_with_default (desc, "elementSize", 0) : 0;
  const char *closest = range ? json_object_get_string_member_with_default (range, "closestTimestamp", NULL) : NULL;
  gint64 elements = range ? json_object_get_int_member_with_default (range, "asMuchAsElements", 100) : 100;
  gint64 end = closest ? ea_tv_timestamp_parse_us (closest) : _tv_now_us (self);
  gint64 period, last_start, first_start, historical_id, realtime_id;
  gboolean malformed = _tv_take_fault (self, EA_TV_FAULT_CHART_MALFORMED, NULL);
  gboolean no_eoh = _tv_take_fault (self, EA_TV_FAULT_CHART_NO_EOH, NULL);
  gboolean early = elements > CHUNK && _tv_take_fault (self, EA_TV_FAULT_CHART_BEFORE_REPLY, NULL);
  g_autoptr(JsonNode) reply = NULL;
  JsonArray *bars = NULL;
  guint chunks = 0;

  if (type == NULL || size <= 0 || g_strcmp0 (unit, "UnderlyingUnits") != 0 ||
      (!g_str_equal (type, "MinuteBar") && !g_str_equal (type, "DailyBar") &&
       !g_str_equal (type, "Tick")) || end <= 0)
    {
      error_reply (conn, request_id, 400, "Unsupported chart description");
      return;
    }

  g_clear_pointer (&self->last_chart_request, json_node_unref);
  self->last_chart_request = json_node_init_object (json_node_alloc (), body);

  if (g_str_equal (type, "Tick"))
    {
      const char *far = json_object_get_string_member_with_default (range, "asFarAsTimestamp", NULL);
      gint64 from = far ? ea_tv_timestamp_parse_us (far) : end - 10 * MINUTE_US;

      historical_id = self->last_chart_id = _tv_next_id (self);
      realtime_id = _tv_next_id (self);
      open_chart (conn, realtime_id, contract, 0);
      reply = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (reply, json_object_new ());
      json_object_set_int_member (json_node_get_object (reply), "historicalId", historical_id);
      json_object_set_int_member (json_node_get_object (reply), "realtimeId", realtime_id);
      _tv_conn_respond (conn, request_id, 200, reply);

      send_ticks (conn, contract, historical_id, from, end, malformed);
      if (!no_eoh)
        {
          g_autoptr(JsonNode) message = chart_message (historical_id, NULL, TRUE);

          _tv_conn_event (conn, "chart", message);
        }
      return;
    }

  period = size * (g_str_equal (type, "DailyBar") ? DAY_US : MINUTE_US);
  elements = CLAMP (elements, 1, MAX_ELEMENTS);
  last_start = floor_div (end, period) * period;
  first_start = last_start - (elements - 1) * period;

  historical_id = self->last_chart_id = _tv_next_id (self);
  realtime_id = _tv_next_id (self);
  open_chart (conn, realtime_id, contract, period);

  reply = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (reply, json_object_new ());
  json_object_set_int_member (json_node_get_object (reply), "historicalId", historical_id);
  json_object_set_int_member (json_node_get_object (reply), "realtimeId", realtime_id);
  if (!early)
    _tv_conn_respond (conn, request_id, 200, reply);

  for (gint64 start = first_start; start <= last_start; start += period)
    {
      EaTicks open, high, low, close;
      gint64 volume, trades;

      if (!bar_of (contract, start, period, &open, &high, &low, &close, &volume, &trades))
        continue;
      if (bars == NULL)
        bars = json_array_new ();

      if (malformed && chunks == 1)
        {
          JsonObject *bad = bar_json (contract, start, open, high, low, close, volume, trades);

          json_object_set_string_member (bad, "close", "n/a");
          json_object_remove_member (bad, "high");
          json_array_add_object_element (bars, bad);
        }
      else
        json_array_add_object_element (bars, bar_json (contract, start, open, high, low, close,
                                                       volume, trades));

      if (json_array_get_length (bars) == CHUNK)
        {
          g_autoptr(JsonNode) message = chart_message (historical_id, g_steal_pointer (&bars), FALSE);

          _tv_conn_event (conn, "chart", message);
          chunks++;
          /* The first history ahead of the reply that names its id. */
          if (early && chunks == 1)
            _tv_conn_respond (conn, request_id, 200, reply);
        }
    }

  if (bars != NULL)
    {
      g_autoptr(JsonNode) message = chart_message (historical_id, g_steal_pointer (&bars), FALSE);

      _tv_conn_event (conn, "chart", message);
    }

  if (!no_eoh)
    {
      g_autoptr(JsonNode) message = chart_message (historical_id, NULL, TRUE);

      _tv_conn_event (conn, "chart", message);
    }
}

void
_tv_handle_chart (TvConn     *conn,
                  gint64      request_id,
                  const char *endpoint,
                  TvContract *contract,
                  JsonObject *body)
{
  if (g_str_equal (endpoint, "md/cancelChart"))
    cancel_chart (conn, request_id, body);
  else if (contract == NULL || body == NULL)
    error_reply (conn, request_id, 404, "Unknown symbol");
  else
    get_chart (conn, request_id, contract, body);
}

void
_tv_chart_trade (EaTradovateServer *self,
                 TvContract        *contract,
                 EaTicks            price,
                 gint64             size)
{
  gint64 now = _tv_now_us (self);

  for (guint i = 0; i < self->conns->len; i++)
    {
      TvConn *conn = g_ptr_array_index (self->conns, i);
      GHashTableIter iter;
      TvLiveChart *live;

      if (conn->charts == NULL)
        continue;
      g_hash_table_iter_init (&iter, conn->charts);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &live))
        {
          gint64 start;
          JsonArray *bars;
          JsonObject *bar;
          g_autoptr(JsonNode) message = NULL;

          if (live->period <= 0 || live->contract_id != contract->id)
            continue;

          start = floor_div (now, live->period) * live->period;
          if (!live->has_bar || start > live->start)
            {
              live->has_bar = TRUE;
              live->start = start;
              live->open = live->high = live->low = price;
              live->volume = 0;
              live->trades = 0;
            }
          live->high = MAX (live->high, price);
          live->low = MIN (live->low, price);
          live->close = price;
          live->volume += size;
          live->trades++;

          bar = bar_json (contract, live->start, live->open, live->high, live->low, live->close,
                          live->volume, live->trades);
          if (_tv_take_fault (self, EA_TV_FAULT_CHART_LIVE_MALFORMED, NULL))
            {
              json_object_set_string_member (bar, "close", "n/a");
              json_object_remove_member (bar, "high");
            }
          bars = json_array_new ();
          json_array_add_object_element (bars, bar);
          message = chart_message (live->realtime_id, bars, FALSE);
          _tv_conn_event (conn, "chart", message);
        }
    }
}

JsonNode *
ea_tradovate_server_get_last_chart_request (EaTradovateServer *self)
{
  g_return_val_if_fail (EA_IS_TRADOVATE_SERVER (self), NULL);

  return self->last_chart_request;
}

guint
ea_tradovate_server_get_open_charts (EaTradovateServer *self)
{
  guint n = 0;

  g_return_val_if_fail (EA_IS_TRADOVATE_SERVER (self), 0);

  for (guint i = 0; i < self->conns->len; i++)
    {
      TvConn *conn = g_ptr_array_index (self->conns, i);

      n += conn->charts ? g_hash_table_size (conn->charts) : 0;
    }

  return n;
}

gint64
ea_tradovate_server_get_last_chart_id (EaTradovateServer *self)
{
  g_return_val_if_fail (EA_IS_TRADOVATE_SERVER (self), 0);

  return self->last_chart_id;
}
