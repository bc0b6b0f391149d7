/* ea-tradovate-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Price history over the market-data socket: `md/getChart` answers with
 * {historicalId, realtimeId}, then streams `chart` events carrying bars
 * for that id, possibly in several messages, until `{id, eoh:true}`.
 * Whole minutes and days are Tradovate's MinuteBar and DailyBar charts;
 * shorter or odd periods are built here from a Tick chart, whose packets
 * carry trades as offsets from a base price (in ticks of `ts`) and a base
 * time (in milliseconds).
 * The chart is then cancelled with `md/cancelChart` (only history is
 * wanted), as it is when the caller cancels, when a chart message cannot
 * be read, or when the history stops arriving before its end.
 */
#define G_LOG_DOMAIN "ea-tradovate"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ea-broker-util.h"
#include "ea-tradovate-broker-private.h"

#define DAY_US   (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)
#define MINUTE_US (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
/* Beyond any futures price, in price units or ticks: the rest is noise. */
#define PRICE_LIMIT 1e12
#define MAX_BACKLOG 4096

static gsize serials;

static gboolean
sane_price (double price)
{
  return isfinite (price) && fabs (price) < PRICE_LIMIT;
}

typedef struct
{
  EaTradovateBroker      *self;
  GTask                  *task;
  char                   *symbol;
  const EaInstrumentSpec *spec;
  EaTimeUs                period;
  EaTimeUs                end;
  guint                   max_bars;
  gint64                  historical_id;
  gint64                  realtime_id;
  gboolean                have_ids;
  gboolean                tick;          /* bars built from a Tick chart */
  GArray                 *bars;          /* EaBar, as received */
  GArray                 *trades;        /* EaTrade, from a Tick chart */
  guint                   timeout_source;
  GSource                *cancel_source;
  gsize                   serial;        /* names the load in callbacks */
} TvHistoryLoad;

static void
load_free (TvHistoryLoad *load)
{
  g_clear_handle_id (&load->timeout_source, g_source_remove);
  if (load->cancel_source != NULL)
    {
      g_source_destroy (load->cancel_source);
      g_clear_pointer (&load->cancel_source, g_source_unref);
    }
  g_clear_object (&load->task);
  g_clear_pointer (&load->bars, g_array_unref);
  g_clear_pointer (&load->trades, g_array_unref);
  g_free (load->symbol);
  g_free (load);
}

void
_ea_tv_history_init (EaTradovateBroker *self)
{
  self->history = g_ptr_array_new ();
  self->chart_backlog = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  _ea_tv_live_bars_init (self);
}

void
_ea_tv_history_clear (EaTradovateBroker *self)
{
  if (self->history == NULL)
    return;

  /* Loads hold a reference on the broker: none can be left here. */
  g_warn_if_fail (self->history->len == 0);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_clear_pointer (&self->chart_backlog, g_ptr_array_unref);
  _ea_tv_live_bars_clear (self);
}

static void
cancel_chart_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = _ea_tv_request_finish (EA_TRADOVATE_BROKER (object), result, &error);

  if (reply == NULL)
    g_debug ("md/cancelChart failed: %s", error->message);
}

void
_ea_tv_send_cancel_chart (EaTradovateBroker *self,
                   gint64             realtime_id)
{
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) o = json_object_new ();

  json_object_set_int_member (o, "subscriptionId", realtime_id);
  json_node_set_object (body, o);
  _ea_tv_request (self, TRUE, "md/cancelChart", NULL, body, FALSE, NULL, cancel_chart_cb, NULL);
}

static int
bar_compare (gconstpointer a,
             gconstpointer b)
{
  const EaBar *x = a, *y = b;

  return x->start < y->start ? -1 : x->start > y->start;
}

/* The bars closed by load->end (and by now), oldest first, the latest max_bars;
 * a bar sent twice counts once (the later copy wins). */
static int
trade_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const EaTrade *x = a, *y = b;

  return x->time < y->time ? -1 : x->time > y->time;
}

static GArray *
load_result (TvHistoryLoad *load)
{
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (EaBar), load->bars->len);
  EaTimeUs now = g_get_real_time ();

  if (load->tick && load->trades->len > 0)
    {
      EaBarSpec spec = ea_bar_spec_time (load->period, 0);
      g_autoptr(GArray) built = NULL;

      /* Stable: trades of the same millisecond keep their order. */
      g_array_sort_with_data (load->trades, trade_compare, NULL);
      built = ea_bars_from_trades (&spec, (const EaTrade *) (gpointer) load->trades->data,
                                   load->trades->len, TRUE, NULL);
      if (built != NULL)
        g_array_append_vals (load->bars, built->data, built->len);
    }

  g_array_sort (load->bars, bar_compare);
  for (guint i = 0; i < load->bars->len; i++)
    {
      const EaBar *bar = &g_array_index (load->bars, EaBar, i);

      if (bar->end > load->end || bar->end > now)
        continue;
      if (out->len > 0 && g_array_index (out, EaBar, out->len - 1).start == bar->start)
        g_array_index (out, EaBar, out->len - 1) = *bar;
      else
        g_array_append_val (out, *bar);
    }

  if (out->len > load->max_bars)
    g_array_remove_range (out, 0, out->len - load->max_bars);

  return out;
}

/* A load waits for its getChart reply. */
static gboolean
awaiting_ids (EaTradovateBroker *self)
{
  for (guint i = 0; i < self->history->len; i++)
    if (!((TvHistoryLoad *) g_ptr_array_index (self->history, i))->have_ids)
      return TRUE;

  return FALSE;
}

/* Completes @load with its bars or @error (taken), and forgets it. */
static void
load_complete (TvHistoryLoad *load,
               GError        *error)
{
  EaTradovateBroker *self = load->self;

  g_ptr_array_remove (self->history, load);
  if (!awaiting_ids (self))
    g_ptr_array_set_size (self->chart_backlog, 0);

  if (load->have_ids)
    _ea_tv_send_cancel_chart (self, load->realtime_id);

  if (error != NULL)
    g_task_return_error (load->task, error);
  else
    g_task_return_pointer (load->task, load_result (load), (GDestroyNotify) g_array_unref);

  load_free (load);
}

static gboolean
load_timeout_cb (gpointer user_data)
{
  TvHistoryLoad *load = user_data;

  load->timeout_source = 0;
  load_complete (load, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                                    _("Tradovate stopped sending the price history of %s "
                                      "before its end"), load->symbol));
  return G_SOURCE_REMOVE;
}

/* History must keep arriving: the deadline moves with every message. */
static void
load_arm_timeout (TvHistoryLoad *load)
{
  g_clear_handle_id (&load->timeout_source, g_source_remove);
  load->timeout_source = g_timeout_add (load->self->request_timeout_ms, load_timeout_cb, load);
}

static gboolean
load_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  TvHistoryLoad *load = user_data;

  load_complete (load, g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED,
                                            _("The request was cancelled")));
  return G_SOURCE_REMOVE;
}

static TvHistoryLoad *
find_load (EaTradovateBroker *self,
           gint64             id)
{
  for (guint i = 0; i < self->history->len; i++)
    {
      TvHistoryLoad *load = g_ptr_array_index (self->history, i);

      if (load->have_ids && (load->historical_id == id || load->realtime_id == id))
        return load;
    }

  return NULL;
}

/* One bar of a MinuteBar or DailyBar chart, in ticks of @spec. */
gboolean
_ea_tv_parse_chart_bar (const EaInstrumentSpec *spec,
                        EaTimeUs                period,
                        JsonObject             *o,
                        EaBar                  *bar)
{
  const char *timestamp = ea_json_get_string (o, "timestamp");
  double open, high, low, close;
  gint64 up = 0, down = 0, up_ticks = 0, down_ticks = 0;

  if (timestamp == NULL || (bar->start = ea_tv_timestamp_parse_us (timestamp)) == 0 ||
      !ea_json_get_double (o, "open", &open) || !ea_json_get_double (o, "high", &high) ||
      !ea_json_get_double (o, "low", &low) || !ea_json_get_double (o, "close", &close) ||
      !sane_price (open) || !sane_price (high) || !sane_price (low) || !sane_price (close))
    return FALSE;

  /* Volumes and tick counts may be missing, never negative. */
  ea_json_get_int (o, "upVolume", &up);
  ea_json_get_int (o, "downVolume", &down);
  ea_json_get_int (o, "upTicks", &up_ticks);
  ea_json_get_int (o, "downTicks", &down_ticks);
  if (up < 0 || down < 0 || up_ticks < 0 || down_ticks < 0 ||
      up > G_MAXINT64 / 4 || down > G_MAXINT64 / 4 ||
      up_ticks > G_MAXINT64 / 4 || down_ticks > G_MAXINT64 / 4)
    return FALSE;

  bar->end = bar->start + period;
  bar->open = ea_instrument_price_to_ticks (spec, open);
  bar->high = ea_instrument_price_to_ticks (spec, high);
  bar->low = ea_instrument_price_to_ticks (spec, low);
  bar->close = ea_instrument_price_to_ticks (spec, close);
  bar->volume = up + down;
  bar->n_ticks = up_ticks + down_ticks;

  return bar->low <= MIN (bar->open, bar->close) && bar->high >= MAX (bar->open, bar->close);
}

/* A Tick chart packet: price = (bp + p) × ts, time = bt + t (ms). */
static gboolean
parse_ticks (TvHistoryLoad *load,
             JsonObject    *packet)
{
  JsonArray *ticks = ea_json_get_array (packet, "tks");
  gint64 base_price, base_time;
  double tick_size;

  if (ticks == NULL || !ea_json_get_int (packet, "bp", &base_price) ||
      !ea_json_get_int (packet, "bt", &base_time) || !ea_json_get_double (packet, "ts", &tick_size) ||
      !(tick_size > 0) || !sane_price (tick_size) || !sane_price ((double) base_price) ||
      base_time < 0 || base_time > G_MAXINT64 / 4000)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (ticks); i++)
    {
      JsonNode *node = json_array_get_element (ticks, i);
      JsonObject *tk = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gint64 t, p, s;
      EaTrade trade;

      if (tk == NULL || !ea_json_get_int (tk, "t", &t) || !ea_json_get_int (tk, "p", &p) ||
          !ea_json_get_int (tk, "s", &s) || s < 0 || s > G_MAXINT32 || !sane_price ((double) p) ||
          t < -base_time || t > G_MAXINT64 / 4000 ||
          !sane_price ((double) (base_price + p) * tick_size))
        return FALSE;

      trade.time = (base_time + t) * 1000;
      trade.price = ea_instrument_price_to_ticks (load->spec, (double) (base_price + p) * tick_size);
      trade.volume = s;
      g_array_append_val (load->trades, trade);
    }

  return TRUE;
}

static GError *
malformed_error (TvHistoryLoad *load)
{
  return g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                      _("Tradovate sent an unreadable chart message for %s"), load->symbol);
}

/* Fails every load already streaming: an unreadable message may be any
 * one's. */
static void
fail_streaming (EaTradovateBroker *self)
{
  for (guint i = self->history->len; i > 0; i--)
    {
      TvHistoryLoad *load;

      if (i > self->history->len)
        continue;
      load = g_ptr_array_index (self->history, i - 1);
      if (load->have_ids)
        load_complete (load, malformed_error (load));
    }
}

/* One element of a chart message that is @load's. */
static void
apply_chart (TvHistoryLoad *load,
             JsonObject    *chart)
{
  JsonArray *bars;

  if (ea_json_get_bool (chart, "eoh", FALSE))
    {
      load_complete (load, NULL);
      return;
    }

  if (load->tick)
    {
      if (!parse_ticks (load, chart))
        load_complete (load, malformed_error (load));
      else
        load_arm_timeout (load);
      return;
    }

  bars = ea_json_get_array (chart, "bars");
  if (bars == NULL)
    {
      load_complete (load, malformed_error (load));
      return;
    }

  for (guint j = 0; j < json_array_get_length (bars); j++)
    {
      JsonNode *bar_node = json_array_get_element (bars, j);
      EaBar bar = { 0 };

      if (!JSON_NODE_HOLDS_OBJECT (bar_node) ||
          !_ea_tv_parse_chart_bar (load->spec, load->period, json_node_get_object (bar_node), &bar))
        {
          load_complete (load, malformed_error (load));
          return;
        }
      g_array_append_val (load->bars, bar);
    }

  load_arm_timeout (load);
}

void
_ea_tv_history_handle_chart (EaTradovateBroker *self,
                             JsonObject        *data)
{
  JsonArray *charts = ea_json_get_array (data, "charts");

  if (charts == NULL)
    {
      fail_streaming (self);
      return;
    }

  for (guint i = 0; i < json_array_get_length (charts); i++)
    {
      JsonNode *node = json_array_get_element (charts, i);
      JsonObject *chart = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      TvHistoryLoad *load;
      gint64 id;

      if (chart == NULL || !ea_json_get_int (chart, "id", &id))
        {
          fail_streaming (self);
          return;
        }

      if (_ea_tv_live_bars_handle_chart (self, id, chart))
        continue;
      load = find_load (self, id);
      if (load != NULL)
        apply_chart (load, chart);
      else if (awaiting_ids (self))
        {
          /* Perhaps a chart whose getChart reply is still to come:
           * kept (within reason) until that reply says. */
          if (self->chart_backlog->len >= MAX_BACKLOG)
            g_ptr_array_remove_index (self->chart_backlog, 0);
          g_ptr_array_add (self->chart_backlog, json_object_ref (chart));
        }
    }
}

/* @load just learnt its ids: what came before them is its first. */
static void
replay_backlog (EaTradovateBroker *self,
                TvHistoryLoad     *load)
{
  for (guint i = 0; i < self->chart_backlog->len && g_ptr_array_find (self->history, load, NULL);)
    {
      JsonObject *chart = g_ptr_array_index (self->chart_backlog, i);
      gint64 id = 0;

      ea_json_get_int (chart, "id", &id);
      if (id != load->historical_id && id != load->realtime_id)
        {
          i++;
          continue;
        }

      chart = g_ptr_array_steal_index (self->chart_backlog, i);
      apply_chart (load, chart);
      json_object_unref (chart);
    }

  if (!awaiting_ids (self))
    g_ptr_array_set_size (self->chart_backlog, 0);
}

/* The market-data socket closed: the charts streaming on it are gone
 * with it (nothing to cancel). */
void
_ea_tv_history_socket_closed (EaTradovateBroker *self,
                              const char        *reason)
{
  _ea_tv_live_bars_socket_closed (self);

  for (guint i = self->history ? self->history->len : 0; i > 0; i--)
    {
      TvHistoryLoad *load;

      if (i > self->history->len)
        continue;
      load = g_ptr_array_index (self->history, i - 1);
      if (!load->have_ids)
        continue;
      load->have_ids = FALSE;
      load_complete (load, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                                        _("The connection to Tradovate was lost while loading "
                                          "the price history of %s: %s"), load->symbol, reason));
    }
}

static void
chart_started_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  gsize serial = GPOINTER_TO_SIZE (user_data);
  TvHistoryLoad *load = NULL;
  GError *error = NULL;
  g_autoptr(JsonNode) reply = _ea_tv_request_finish (self, result, &error);
  JsonObject *o = reply && JSON_NODE_HOLDS_OBJECT (reply) ? json_node_get_object (reply) : NULL;
  gboolean known = FALSE;
  gint64 historical_id = 0, realtime_id = 0;

  /* By serial, not address: a cancelled load's memory may be another's. */
  for (guint i = 0; i < self->history->len && !known; i++)
    {
      load = g_ptr_array_index (self->history, i);
      known = load->serial == serial;
    }

  if (o != NULL)
    {
      ea_json_get_int (o, "realtimeId", &realtime_id);
      if (!ea_json_get_int (o, "historicalId", &historical_id))
        historical_id = realtime_id;
    }

  /* Cancelled meanwhile: the chart the server just started goes too. */
  if (!known)
    {
      if (realtime_id != 0)
        _ea_tv_send_cancel_chart (self, realtime_id);
      g_clear_error (&error);
      return;
    }

  if (reply == NULL)
    {
      load_complete (load, error);
      return;
    }

  if (o == NULL || (historical_id == 0 && realtime_id == 0))
    {
      load_complete (load, g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                                        _("Tradovate did not start a chart for %s"), load->symbol));
      return;
    }

  load->historical_id = historical_id;
  load->realtime_id = realtime_id != 0 ? realtime_id : historical_id;
  load->have_ids = TRUE;
  load_arm_timeout (load);
  replay_backlog (self, load);
}

static char *
iso_time (EaTimeUs t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t / G_USEC_PER_SEC);

  return dt ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S.000Z") : g_strdup ("1970-01-01T00:00:00.000Z");
}

/* Daily periods are DailyBar, whole minutes MinuteBar, both of
 * elementSize periods in UnderlyingUnits, the latest @max_bars + 1 (the
 * one starting at @end is dropped) ending at @end; any other period is
 * a Tick chart of the trades from the first bar's start to @end. */
JsonNode *
_ea_tv_chart_body (const char *symbol,
            EaTimeUs    period,
            EaTimeUs    end,
            guint       max_bars)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *closest = iso_time (end);
  gboolean daily = period % DAY_US == 0;
  gboolean tick = period % MINUTE_US != 0;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "symbol");
  json_builder_add_string_value (b, symbol);
  json_builder_set_member_name (b, "chartDescription");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "underlyingType");
  json_builder_add_string_value (b, tick ? "Tick" : daily ? "DailyBar" : "MinuteBar");
  json_builder_set_member_name (b, "elementSize");
  json_builder_add_int_value (b, tick ? 1 : period / (daily ? DAY_US : MINUTE_US));
  json_builder_set_member_name (b, "elementSizeUnit");
  json_builder_add_string_value (b, "UnderlyingUnits");
  json_builder_set_member_name (b, "withHistogram");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "timeRange");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "closestTimestamp");
  json_builder_add_string_value (b, closest);
  if (tick)
    {
      /* Trades are counted by time: from the first bar's start. */
      g_autofree char *far = iso_time ((end / period - (gint64) max_bars) * period);

      json_builder_set_member_name (b, "asFarAsTimestamp");
      json_builder_add_string_value (b, far);
    }
  else
    {
      json_builder_set_member_name (b, "asMuchAsElements");
      json_builder_add_int_value (b, (gint64) max_bars + 1);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static void
history_resolved_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  g_autoptr(GTask) task = user_data;
  TvHistoryLoad *load = g_task_get_task_data (task);
  GError *error = NULL;
  TvContractInfo *contract = _ea_tv_resolve_contract_finish (self, result, &error);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(JsonNode) body = NULL;

  if (contract == NULL)
    {
      if (!g_error_matches (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND) &&
          g_cancellable_is_cancelled (cancellable))
        {
          g_clear_error (&error);
          error = g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED,
                                       _("The request was cancelled"));
        }
      else if (error->domain != EA_BROKER_ERROR)
        {
          GError *wrapped = g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED, error->message);

          g_error_free (error);
          error = wrapped;
        }
      load_free (load);
      g_task_return_error (task, error);
      return;
    }

  load->self = self;
  load->task = g_object_ref (task);
  load->spec = contract->spec;
  g_free (load->symbol);
  load->symbol = g_strdup (contract->name);
  g_ptr_array_add (self->history, load);

  if (g_cancellable_is_cancelled (cancellable))
    {
      load_complete (load, g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED,
                                                _("The request was cancelled")));
      return;
    }
  if (cancellable != NULL)
    {
      load->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (load->cancel_source, G_SOURCE_FUNC (load_cancelled_cb), load, NULL);
      g_source_attach (load->cancel_source, g_task_get_context (task));
    }

  body = _ea_tv_chart_body (contract->name, load->period, load->end, load->max_bars);
  _ea_tv_request (self, TRUE, "md/getChart", NULL, body, FALSE, NULL, chart_started_cb,
                  GSIZE_TO_POINTER (load->serial));
}

void
_ea_tv_load_bars_async (EaBroker            *broker,
                        const char          *symbol,
                        EaTimeUs             period,
                        EaTimeUs             end,
                        guint                max_bars,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (broker);
  g_autoptr(GTask) task = g_task_new (broker, cancellable, callback, user_data);
  TvHistoryLoad *load;

  g_task_set_source_tag (task, _ea_tv_load_bars_async);
  g_task_set_check_cancellable (task, FALSE);

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED,
                               _("The request was cancelled"));
      return;
    }
  if (!self->want_connected)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED,
                               _("Not connected to Tradovate"));
      return;
    }
  if (period < EA_BAR_MIN_PERIOD_US || period > EA_BAR_MAX_PERIOD_US || max_bars == 0)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                               _("Bars of 1 second to 1 day only"));
      return;
    }

  load = g_new0 (TvHistoryLoad, 1);
  load->serial = ++serials;
  load->symbol = g_strdup (symbol);
  load->period = period;
  load->end = end;
  load->max_bars = max_bars;
  load->tick = period % MINUTE_US != 0;
  load->bars = g_array_new (FALSE, FALSE, sizeof (EaBar));
  load->trades = g_array_new (FALSE, FALSE, sizeof (EaTrade));
  /* Owned by the task until the contract is known, then by the broker. */
  g_task_set_task_data (task, load, NULL);

  _ea_tv_resolve_contract_async (self, symbol, cancellable, history_resolved_cb, g_steal_pointer (&task));
}

GArray *
_ea_tv_load_bars_finish (EaBroker      *broker,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, broker), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
