/* ea-tradovate-live-bars.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Live bars over the market-data socket: a subscription keeps one
 * `md/getChart` of MinuteBar or DailyBar open for its symbol and period.
 * Its `chart` events carry the bar that is forming, again each time it
 * changes, and a new bar when the next period starts; each is emitted as
 * the EaBroker "bar" signal. A bar that cannot be read is left out and the
 * stream goes on. `md/cancelChart` ends the chart when the subscription
 * goes and when the user disconnects; when the socket drops, the charts go
 * with it and every subscription asks again once the connection is back.
 */
#define G_LOG_DOMAIN "ea-tradovate"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-session.h"
#include "ea-tradovate-broker-private.h"

#define MINUTE_US (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)

typedef struct
{
  char                   *symbol;         /* as subscribed */
  EaTimeUs                period;
  const EaInstrumentSpec *spec;           /* once the contract is known */
  gint64                  historical_id;
  gint64                  realtime_id;
  gboolean                have_ids;
  gboolean                starting;       /* contract lookup or getChart in flight */
  gsize                   serial;         /* names the current start */
  EaTimeUs                last_start;     /* the newest bar emitted */
} TvLiveChart;

static gsize serials;

static void
live_chart_free (TvLiveChart *live)
{
  g_free (live->symbol);
  g_free (live);
}

void
_ea_tv_live_bars_init (EaTradovateBroker *self)
{
  self->live_charts = g_ptr_array_new_with_free_func ((GDestroyNotify) live_chart_free);
}

void
_ea_tv_live_bars_clear (EaTradovateBroker *self)
{
  g_clear_pointer (&self->live_charts, g_ptr_array_unref);
}

static TvLiveChart *
find_by_serial (EaTradovateBroker *self,
                gsize              serial)
{
  for (guint i = 0; self->live_charts != NULL && i < self->live_charts->len; i++)
    {
      TvLiveChart *live = g_ptr_array_index (self->live_charts, i);

      if (live->serial == serial)
        return live;
    }
  return NULL;
}

static TvLiveChart *
find_subscription (EaTradovateBroker *self,
                   const char        *symbol,
                   EaTimeUs           period)
{
  for (guint i = 0; self->live_charts != NULL && i < self->live_charts->len; i++)
    {
      TvLiveChart *live = g_ptr_array_index (self->live_charts, i);

      if (live->period == period && g_strcmp0 (live->symbol, symbol) == 0)
        return live;
    }
  return NULL;
}

static void
chart_started_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  TvLiveChart *live = find_by_serial (self, GPOINTER_TO_SIZE (user_data));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = _ea_tv_request_finish (self, result, &error);
  JsonObject *o = reply && JSON_NODE_HOLDS_OBJECT (reply) ? json_node_get_object (reply) : NULL;
  gint64 historical_id = 0, realtime_id = 0;

  if (o != NULL)
    {
      ea_json_get_int (o, "realtimeId", &realtime_id);
      if (!ea_json_get_int (o, "historicalId", &historical_id))
        historical_id = realtime_id;
      if (realtime_id == 0)
        realtime_id = historical_id;
    }

  /* Unsubscribed (or restarted) meanwhile: the chart goes at once. */
  if (live == NULL)
    {
      if (realtime_id != 0)
        _ea_tv_send_cancel_chart (self, realtime_id);
      return;
    }

  live->starting = FALSE;
  if (reply == NULL || realtime_id == 0)
    {
      /* Asked again at the next connection. */
      g_message ("Tradovate did not start the live chart of %s: %s", live->symbol,
                 error ? error->message : _("no chart id in the reply"));
      return;
    }

  live->historical_id = historical_id;
  live->realtime_id = realtime_id;
  live->have_ids = TRUE;
}

static void
contract_resolved_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  gsize serial = GPOINTER_TO_SIZE (user_data);
  TvLiveChart *live = find_by_serial (self, serial);
  g_autoptr(GError) error = NULL;
  TvContractInfo *contract = _ea_tv_resolve_contract_finish (self, result, &error);
  g_autoptr(JsonNode) body = NULL;

  if (live == NULL)
    return;
  if (contract == NULL)
    {
      live->starting = FALSE;
      g_message ("No live bars for %s: %s", live->symbol, error->message);
      return;
    }

  live->spec = contract->spec;
  /* The bar forming now (and the one before it): the rest streams live. */
  body = _ea_tv_chart_body (contract->name, live->period, g_get_real_time (), 1);
  _ea_tv_request (self, TRUE, "md/getChart", NULL, body, FALSE, NULL, chart_started_cb, GSIZE_TO_POINTER (serial));
}

static void
start (EaTradovateBroker *self,
       TvLiveChart       *live)
{
  live->serial = ++serials;
  live->starting = TRUE;
  live->have_ids = FALSE;
  _ea_tv_resolve_contract_async (self, live->symbol, NULL, contract_resolved_cb, GSIZE_TO_POINTER (live->serial));
}

gboolean
_ea_tv_subscribe_bars (EaBroker    *broker,
                       const char  *symbol,
                       EaTimeUs     period,
                       GError     **error)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (broker);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  EaContract contract;
  TvLiveChart *live;

  if (!ea_contract_parse (symbol, EA_SYMBOLOGY_TRADOVATE, ea_session_trading_day (now), &contract, NULL))
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_SUPPORTED,
                   _("“%s” is not a Tradovate contract symbol"), symbol);
      return FALSE;
    }

  /* Tradovate builds minute and day bars; shorter or odd periods are
   * built from quotes by the caller. */
  if (period < MINUTE_US || period > EA_BAR_MAX_PERIOD_US || period % MINUTE_US != 0)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_SUPPORTED,
                   _("Tradovate streams live bars of whole minutes up to a day only"));
      return FALSE;
    }
  if (find_subscription (self, symbol, period) != NULL)
    return TRUE;

  live = g_new0 (TvLiveChart, 1);
  live->symbol = g_strdup (symbol);
  live->period = period;
  live->last_start = G_MININT64;
  g_ptr_array_add (self->live_charts, live);

  if (self->state == EA_CONNECTION_STATE_CONNECTED)
    start (self, live);
  return TRUE;
}

void
_ea_tv_unsubscribe_bars (EaBroker   *broker,
                         const char *symbol,
                         EaTimeUs    period)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (broker);
  TvLiveChart *live = find_subscription (self, symbol, period);

  if (live == NULL)
    return;
  /* A start still in flight cancels its chart when the reply comes. */
  if (live->have_ids)
    _ea_tv_send_cancel_chart (self, live->realtime_id);
  g_ptr_array_remove (self->live_charts, live);
}

/* The connection is back (after the snapshot): every subscription that
 * has no chart asks for one. */
void
_ea_tv_live_bars_resubscribe (EaTradovateBroker *self)
{
  for (guint i = 0; self->live_charts != NULL && i < self->live_charts->len; i++)
    {
      TvLiveChart *live = g_ptr_array_index (self->live_charts, i);

      if (!live->have_ids && !live->starting)
        start (self, live);
    }
}

/* The market-data socket closed: its charts are gone with it. */
void
_ea_tv_live_bars_socket_closed (EaTradovateBroker *self)
{
  for (guint i = 0; self->live_charts != NULL && i < self->live_charts->len; i++)
    {
      TvLiveChart *live = g_ptr_array_index (self->live_charts, i);

      live->have_ids = FALSE;
      live->starting = FALSE;
      live->serial = ++serials;  /* a reply still on its way is stale */
    }
}

/* The user disconnects: the open charts are cancelled on the socket
 * before it closes (no reply is awaited; the requests queue is being
 * failed at the same time). */
void
_ea_tv_live_bars_disconnecting (EaTradovateBroker *self)
{
  for (guint i = 0; self->live_charts != NULL && i < self->live_charts->len; i++)
    {
      TvLiveChart *live = g_ptr_array_index (self->live_charts, i);
      g_autoptr(JsonObject) o = NULL;
      g_autoptr(JsonNode) body = NULL;
      g_autofree char *body_text = NULL;
      g_autofree char *text = NULL;

      if (!live->have_ids || self->md.ws == NULL ||
          soup_websocket_connection_get_state (self->md.ws) != SOUP_WEBSOCKET_STATE_OPEN)
        continue;

      o = json_object_new ();
      json_object_set_int_member (o, "subscriptionId", live->realtime_id);
      body = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (body, o);
      body_text = json_to_string (body, FALSE);
      text = ea_tv_request_format ("md/cancelChart", ++self->md.next_id, NULL, body_text);
      soup_websocket_connection_send_text (self->md.ws, text);
    }
}

/* A `chart` element: TRUE when it belongs to a live subscription (and was
 * handled), FALSE when it is another's (a history load's). */
gboolean
_ea_tv_live_bars_handle_chart (EaTradovateBroker *self,
                               gint64             id,
                               JsonObject        *chart)
{
  TvLiveChart *live = NULL;
  g_autoptr(GArray) bars = NULL;
  g_autofree char *symbol = NULL;
  JsonArray *array;
  EaTimeUs period;
  gsize serial;

  for (guint i = 0; self->live_charts != NULL && i < self->live_charts->len && live == NULL; i++)
    {
      TvLiveChart *l = g_ptr_array_index (self->live_charts, i);

      if (l->have_ids && (l->realtime_id == id || l->historical_id == id))
        live = l;
    }
  if (live == NULL)
    return FALSE;

  /* The end of the few bars of history: the stream goes on. */
  if (ea_json_get_bool (chart, "eoh", FALSE))
    return TRUE;

  array = ea_json_get_array (chart, "bars");
  if (array == NULL || live->spec == NULL)
    {
      g_debug ("A live chart message of %s without bars was left out", live->symbol);
      return TRUE;
    }

  bars = g_array_new (FALSE, FALSE, sizeof (EaBar));
  for (guint j = 0; j < json_array_get_length (array); j++)
    {
      JsonNode *node = json_array_get_element (array, j);
      EaBar bar = { 0 };

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          !_ea_tv_parse_chart_bar (live->spec, live->period, json_node_get_object (node), &bar))
        {
          g_debug ("An unreadable live bar of %s was left out", live->symbol);
          continue;
        }
      /* Bars come oldest first; an older one is a late copy. */
      if (bar.start < live->last_start)
        continue;
      live->last_start = bar.start;
      g_array_append_val (bars, bar);
    }

  /* A handler may unsubscribe: what is emitted does not depend on @live. */
  symbol = g_strdup (live->symbol);
  period = live->period;
  serial = live->serial;
  for (guint j = 0; j < bars->len && find_by_serial (self, serial) != NULL; j++)
    {
      EaLiveBarData data = { .symbol = symbol, .period = period, .bar = g_array_index (bars, EaBar, j) };

      ea_broker_emit_bar (EA_BROKER (self), &data);
    }
  return TRUE;
}
