/* ea-chart-feed.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feeds an EaChart from the desk for one account and symbol: trade
 * prints as they arrive (or the bars of a broker that builds them), the position's average price and the price at
 * which the account would hit its floor, working orders (dragging one
 * asks the desk, which runs the risk check) and fill markers. Everything
 * is event driven: broker signals queue one refresh per main-loop turn.
 */
#define G_LOG_DOMAIN "ea-chart-feed"

#include "config.h"

#include <math.h>

#include "ea-chart-feed-private.h"
#include "ea-fill.h"
#include "ea-order.h"
#include "ea-position.h"

enum {
  HISTORY_LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (EaChartFeed, ea_chart_feed, G_TYPE_OBJECT)

static gboolean
same (const char *a,
      const char *b)
{
  return g_strcmp0 (a, b) == 0;
}

static void
refresh_orders (EaChartFeed *self)
{
  GListModel *orders = ea_trading_store_get_orders (ea_desk_get_store (self->desk));
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (EaChartOrder));
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(GObject) order = g_list_model_get_item (orders, i);
      g_autofree char *account = NULL, *symbol = NULL, *client_id = NULL, *parent = NULL;
      guint state = 0, type = 0;
      gint side = 0;
      gint64 qty = 0, limit = 0, stop = 0;
      EaChartOrder line = { 0 };

      g_object_get (order, "account", &account, "symbol", &symbol, "client-order-id", &client_id,
                    "parent-order-id", &parent, "state", &state, "order-type", &type, "side", &side,
                    "qty", &qty, "limit-price", &limit, "stop-price", &stop, NULL);

      if (!same (account, self->account) || !same (symbol, self->symbol) ||
          !ea_order_state_is_live ((EaOrderState) state) || (EaOrderState) state == EA_ORDER_STATE_SUSPENDED)
        continue;

      line.side = side < 0 ? EA_SIDE_SELL : EA_SIDE_BUY;
      line.qty = qty;
      line.draggable = TRUE;
      if ((EaOrderType) type == EA_ORDER_TYPE_STOP)
        {
          line.kind = parent ? EA_CHART_ORDER_BRACKET_STOP : EA_CHART_ORDER_STOP;
          line.price = stop;
        }
      else
        {
          line.kind = parent ? EA_CHART_ORDER_BRACKET_TARGET : EA_CHART_ORDER_LIMIT;
          line.price = limit;
        }

      g_ptr_array_add (ids, g_steal_pointer (&client_id));
      line.id = g_ptr_array_index (ids, ids->len - 1);
      g_array_append_val (lines, line);
    }

  ea_chart_set_orders (self->chart, (EaChartOrder *) lines->data, lines->len);
}

static void
refresh_position (EaChartFeed *self)
{
  EaPosition *position = ea_trading_store_lookup_position (ea_desk_get_store (self->desk),
                                                           self->account, self->symbol);
  gint64 qty = 0;
  double avg = 0;
  EaRiskStatus status;
  EaTicks floor_price;

  if (position != NULL)
    g_object_get (position, "qty", &qty, "avg-price", &avg, NULL);

  ea_chart_set_position (self->chart, qty != 0, (EaTicks) llround (avg), qty);

  /* "The price at which the account dies", for the open position. */
  if (qty != 0 && ea_desk_get_risk_status (self->desk, self->account, &status) &&
      ea_chart_floor_price (self->spec, (EaTicks) llround (avg), qty, status.balance,
                            status.effective_floor, &floor_price))
    ea_chart_set_floor_price (self->chart, TRUE, floor_price);
  else
    ea_chart_set_floor_price (self->chart, FALSE, 0);
}

static void
refresh_fills (EaChartFeed *self)
{
  GListModel *fills = ea_trading_store_get_fills (ea_desk_get_store (self->desk));
  g_autoptr(GArray) markers = g_array_new (FALSE, TRUE, sizeof (EaChartMarker));

  for (guint i = 0; i < g_list_model_get_n_items (fills); i++)
    {
      g_autoptr(GObject) fill = g_list_model_get_item (fills, i);
      g_autofree char *account = NULL, *symbol = NULL;
      gint side = 0;
      gint64 price = 0, time = 0;
      EaChartMarker marker = { 0 };

      g_object_get (fill, "account", &account, "symbol", &symbol, "side", &side,
                    "price", &price, "time", &time, NULL);
      if (!same (account, self->account) || !same (symbol, self->symbol))
        continue;

      marker.time = time;
      marker.price = price;
      marker.side = side < 0 ? EA_SIDE_SELL : EA_SIDE_BUY;
      g_array_append_val (markers, marker);
    }

  ea_chart_set_markers (self->chart, EA_CHART_MARKER_FILL, (EaChartMarker *) markers->data, markers->len);
}

static gboolean
refresh_cb (gpointer user_data)
{
  EaChartFeed *self = EA_CHART_FEED (user_data);

  self->refresh_source = 0;
  if (self->chart == NULL)
    return G_SOURCE_REMOVE;

  refresh_orders (self);
  refresh_position (self);
  refresh_fills (self);
  _ea_chart_feed_refresh_markers (self);

  return G_SOURCE_REMOVE;
}

static void
queue_refresh (EaChartFeed *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_idle_add (refresh_cb, self);
}

static void
quote_cb (EaBroker          *broker,
          const EaQuoteData *quote,
          EaChartFeed       *self)
{
  if (self->chart == NULL || !same (quote->symbol, self->symbol))
    return;
  if (quote->bid > 0 && quote->ask >= quote->bid)
    _ea_chart_feed_record_mid (self, quote->time, quote->bid + (quote->ask - quote->bid) / 2);
  else if (quote->last > 0)
    _ea_chart_feed_record_mid (self, quote->time, quote->last);
  /* A broker that builds the bars feeds them (bar_cb). */
  if (quote->last == 0 || quote->last_size <= 0 || self->bars_broker != NULL)
    return;

  ea_chart_push_trade (self->chart, quote->time, quote->last, quote->last_size, NULL);
  _ea_chart_feed_record_trade (self, quote->time, quote->last, quote->last_size);
}

static void
bar_cb (EaBroker            *broker,
        const EaLiveBarData *data,
        EaChartFeed         *self)
{
  if (broker != self->bars_broker || data->period != self->bars_period || !same (data->symbol, self->symbol))
    return;
  _ea_chart_feed_live_bar (self, &data->bar);
}

void
_ea_chart_feed_history_loaded (EaChartFeed *self,
                               guint        n_bars)
{
  g_signal_emit (self, signals[HISTORY_LOADED], 0, n_bars);
}

/* A broker that serves history or builds bars came online after the chart
 * opened (the application starts charts before its brokers connect), or
 * the broker of the live bars is back (the bars of the gap come with the
 * history): load again. */
static void
connection_state_cb (EaBroker    *broker,
                     guint        state,
                     const char  *reason,
                     EaChartFeed *self)
{
  if ((EaConnectionState) state == EA_CONNECTION_STATE_CONNECTED &&
      ((!self->history_from_broker && ea_broker_can_load_bars (broker)) ||
       (self->bars_broker == NULL && ea_broker_can_subscribe_bars (broker)) ||
       broker == self->bars_broker))
    _ea_chart_feed_load_history (self);
}

static void
bar_spec_cb (EaChartFeed *self)
{
  _ea_chart_feed_load_history (self);
}

void
_ea_chart_feed_queue_refresh (EaChartFeed *self)
{
  queue_refresh (self);
}

static void
changed_cb (EaChartFeed *self)
{
  queue_refresh (self);
}

/* Dropping a line asks the desk first: a move that the risk check would
 * refuse is refused here, and the line stays. */
static gboolean
validate_drag_cb (EaChart     *chart,
                  const char  *order_id,
                  gint64       price,
                  EaChartFeed *self)
{
  EaPosition *position;
  GListModel *orders = ea_trading_store_get_orders (ea_desk_get_store (self->desk));

  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(GObject) order = g_list_model_get_item (orders, i);
      g_autofree char *client_id = NULL;
      guint type = 0;
      gint side = 0;
      EaRiskDecision decision;

      g_object_get (order, "client-order-id", &client_id, "order-type", &type, "side", &side, NULL);
      if (!same (client_id, order_id))
        continue;

      /* Exits (stops and targets of a position) are always allowed. */
      position = ea_trading_store_lookup_position (ea_desk_get_store (self->desk), self->account, self->symbol);
      if (position != NULL)
        {
          gint64 net = 0;

          g_object_get (position, "qty", &net, NULL);
          if ((net > 0 && side < 0) || (net < 0 && side > 0))
            return TRUE;
        }

      /* The moved order replaces itself, as the modify will. */
      if (!ea_desk_check_modify (self->desk, order_id, 0,
                                 (EaOrderType) type == EA_ORDER_TYPE_STOP ? 0 : price,
                                 (EaOrderType) type == EA_ORDER_TYPE_STOP ? price : 0,
                                 &decision))
        {
          g_autofree char *why = ea_risk_decision_format (&decision);
          g_debug ("Drag refused: %s", why);
          return FALSE;
        }
      return TRUE;
    }

  return FALSE;
}

static void
modified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(EaChartFeed) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ea_desk_modify_order_finish (EA_DESK (object), result, NULL, &error))
    g_message ("The order was not moved: %s", error->message);

  /* Either way the lines show what the broker has. */
  queue_refresh (self);
}

static void
drag_finished_cb (EaChart     *chart,
                  const char  *order_id,
                  gint64       price,
                  EaChartFeed *self)
{
  GListModel *orders = ea_trading_store_get_orders (ea_desk_get_store (self->desk));

  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(GObject) order = g_list_model_get_item (orders, i);
      g_autofree char *client_id = NULL;
      guint type = 0;

      g_object_get (order, "client-order-id", &client_id, "order-type", &type, NULL);
      if (!same (client_id, order_id))
        continue;

      ea_desk_modify_order_async (self->desk, order_id, 0,
                                  (EaOrderType) type == EA_ORDER_TYPE_STOP ? 0 : price,
                                  (EaOrderType) type == EA_ORDER_TYPE_STOP ? price : 0,
                                  EA_ACTOR_USER, NULL, modified_cb, g_object_ref (self));
      return;
    }
}

static void
ea_chart_feed_dispose (GObject *object)
{
  EaChartFeed *self = EA_CHART_FEED (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->builder, ea_bar_builder_free);
  _ea_chart_feed_unsubscribe_bars (self);

  if (self->desk != NULL)
    {
      GPtrArray *brokers = ea_desk_get_brokers (self->desk);

      for (guint i = 0; brokers != NULL && i < brokers->len; i++)
        g_signal_handlers_disconnect_by_data (g_ptr_array_index (brokers, i), self);
    }

  if (self->chart != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chart, self);
      g_object_remove_weak_pointer (G_OBJECT (self->chart), (gpointer *) &self->chart);
      self->chart = NULL;
    }

  if (self->desk != NULL)
    {
      EaTradingStore *store = ea_desk_get_store (self->desk);

      g_signal_handlers_disconnect_by_data (ea_trading_store_get_alerts (store), self);
      g_signal_handlers_disconnect_by_data (ea_trading_store_get_signals (store), self);
      g_signal_handlers_disconnect_by_data (self->desk, self);
    }
  g_clear_pointer (&self->erm_prices, g_hash_table_unref);
  g_clear_object (&self->desk);

  G_OBJECT_CLASS (ea_chart_feed_parent_class)->dispose (object);
}

static void
ea_chart_feed_finalize (GObject *object)
{
  EaChartFeed *self = EA_CHART_FEED (object);

  g_free (self->account);
  g_free (self->symbol);
  g_array_unref (self->pending);
  g_array_unref (self->pending_bars);

  G_OBJECT_CLASS (ea_chart_feed_parent_class)->finalize (object);
}

static void
ea_chart_feed_class_init (EaChartFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ea_chart_feed_dispose;
  object_class->finalize = ea_chart_feed_finalize;

  /**
   * EaChartFeed::history-loaded:
   * @n_bars: the bars of history now on the chart
   *
   * History from the broker or the journal reached the chart.
   */
  signals[HISTORY_LOADED] =
    g_signal_new ("history-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
ea_chart_feed_init (EaChartFeed *self)
{
  self->pending = g_array_new (FALSE, FALSE, sizeof (EaTrade));
  self->pending_bars = g_array_new (FALSE, FALSE, sizeof (EaBar));
}

/**
 * ea_chart_feed_new:
 * @chart: the chart to feed; the feed stops when it goes
 *
 * Returns: (transfer full): the feed; keep it as long as the chart shows
 *   @account's @symbol.
 */
EaChartFeed *
ea_chart_feed_new (EaDesk     *desk,
                   EaChart    *chart,
                   const char *account,
                   const char *symbol)
{
  static const guint emas[] = { 9, 21 };
  EaChartFeed *self;
  GPtrArray *brokers;

  g_return_val_if_fail (EA_IS_DESK (desk), NULL);
  g_return_val_if_fail (EA_IS_CHART (chart), NULL);
  g_return_val_if_fail (symbol != NULL, NULL);

  self = g_object_new (EA_TYPE_CHART_FEED, NULL);
  self->desk = g_object_ref (desk);
  self->chart = chart;
  g_object_add_weak_pointer (G_OBJECT (chart), (gpointer *) &self->chart);
  self->account = g_strdup (account);
  self->symbol = g_strdup (symbol);
  self->spec = ea_desk_lookup_spec (symbol);

  if (self->spec != NULL)
    ea_chart_set_instrument (chart, self->spec);
  ea_chart_set_emas (chart, emas, G_N_ELEMENTS (emas));
  ea_chart_set_atr_bands (chart, TRUE, 14, 1.5);
  ea_desk_watch_symbol (desk, symbol);

  brokers = ea_desk_get_brokers (desk);
  for (guint i = 0; i < brokers->len; i++)
    {
      EaBroker *broker = g_ptr_array_index (brokers, i);

      g_signal_connect (broker, "quote", G_CALLBACK (quote_cb), self);
      g_signal_connect (broker, "bar", G_CALLBACK (bar_cb), self);
      g_signal_connect (broker, "connection-state", G_CALLBACK (connection_state_cb), self);
      g_signal_connect_swapped (broker, "order-updated", G_CALLBACK (changed_cb), self);
      g_signal_connect_swapped (broker, "fill", G_CALLBACK (changed_cb), self);
      g_signal_connect_swapped (broker, "position-changed", G_CALLBACK (changed_cb), self);
    }
  g_signal_connect_swapped (desk, "risk-changed", G_CALLBACK (changed_cb), self);
  self->erm_prices = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, NULL);
  _ea_chart_feed_watch_markers (self);
  g_signal_connect_swapped (ea_trading_store_get_signals (ea_desk_get_store (desk)), "items-changed",
                            G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (ea_trading_store_get_alerts (ea_desk_get_store (desk)), "items-changed",
                            G_CALLBACK (changed_cb), self);
  g_signal_connect (chart, "validate-drag", G_CALLBACK (validate_drag_cb), self);
  g_signal_connect (chart, "order-drag-finished", G_CALLBACK (drag_finished_cb), self);
  g_signal_connect_swapped (chart, "notify::bar-spec", G_CALLBACK (bar_spec_cb), self);

  _ea_chart_feed_load_history (self);

  queue_refresh (self);

  return self;
}
