/* ea-sim-exchange.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Markets, the price process, the session calendar, the clock and
 * replay of the simulated exchange. Orders live in ea-sim-matching.c.
 */
#define G_LOG_DOMAIN "ea-sim-exchange"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-session.h"
#include "ea-sim-exchange-private.h"

#define MINUTE_US (G_USEC_PER_SEC * G_GINT64_CONSTANT (60))
#define DAY_US    (MINUTE_US * 24 * 60)

/* Starting level, daily volatility (fraction of price) and displayed size
 * at the touch of every root. Levels are near real ones of late 2025. */
static const struct
{
  const char *root;
  double      price;
  double      daily_vol;
  double      size;
} market_defaults[] = {
  { "ES",  6800.0,  0.010,  40 },
  { "MES", 6800.0,  0.010,  15 },
  { "NQ",  25000.0, 0.013,   8 },
  { "MNQ", 25000.0, 0.013,  10 },
  { "YM",  47000.0, 0.009,   6 },
  { "MYM", 47000.0, 0.009,   5 },
  { "RTY", 2450.0,  0.014,   6 },
  { "M2K", 2450.0,  0.014,   5 },
  { "CL",  60.0,    0.022,  12 },
  { "MCL", 60.0,    0.022,   5 },
  { "GC",  4100.0,  0.012,   6 },
  { "MGC", 4100.0,  0.012,   4 },
  { "6E",  1.16,    0.0045, 25 },
  { "ZN",  112.0,   0.0035, 400 },
  { "ZB",  117.0,   0.006,  120 },
};

static GDateTime *
datetime_from_us (EaTimeUs t)
{
  g_autoptr(GDateTime) s = g_date_time_new_from_unix_utc (t / G_USEC_PER_SEC);

  return g_date_time_add (s, t % G_USEC_PER_SEC);
}

static EaTimeUs
datetime_to_us (GDateTime *dt)
{
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

SimMarket *
_ea_sim_exchange_find_market (EaSimExchange *ex,
                              const char    *symbol)
{
  if (symbol == NULL)
    return NULL;
  return g_hash_table_lookup (ex->market_by_symbol, symbol);
}

gboolean
_ea_sim_market_is_open (EaSimExchange *ex,
                        SimMarket     *m)
{
  return m->replay != NULL || ex->always_open || ex->session_open;
}

static void
emit_quote (EaSimExchange *ex,
            SimMarket     *m)
{
  m->q.time = ex->now;
  ex->n_quotes++;
  if (ex->sink.quote != NULL)
    ex->sink.quote (ex->sink_data, &m->q);
}

static EaTimeUs
interarrival (EaSimExchange *ex)
{
  gint64 minute = ((ex->now + ex->ct_offset) % DAY_US + DAY_US) % DAY_US / MINUTE_US;
  double f = ex->activity[minute];
  double dt = ea_sim_rng_exponential (&ex->rng) / (ex->rate * f) * G_USEC_PER_SEC;

  return MAX (1, (EaTimeUs) dt);
}

static void
schedule_market (EaSimExchange *ex,
                 SimMarket     *m)
{
  if (m->replay != NULL)
    {
      m->next_event = m->replay_pos < m->replay->len
        ? g_array_index (m->replay, SimReplayEvent, m->replay_pos).time
        : G_MAXINT64;
    }
  else if (!ex->generator || !_ea_sim_market_is_open (ex, m))
    m->next_event = G_MAXINT64;
  else
    m->next_event = ex->now + interarrival (ex);
}

static void
update_session (EaSimExchange *ex)
{
  g_autoptr(GDateTime) dt = datetime_from_us (ex->now);
  g_autoptr(GDateTime) next = NULL;
  g_autoptr(GDateTime) local = NULL;

  ex->session_open = ea_session_is_open (dt);
  next = ex->session_open ? ea_session_next_close (dt) : ea_session_next_open (dt);
  ex->next_boundary = next != NULL ? datetime_to_us (next) : G_MAXINT64;
  if (ex->next_boundary <= ex->now)
    ex->next_boundary = ex->now + G_USEC_PER_SEC;

  local = g_date_time_to_timezone (dt, ex->chicago);
  ex->ct_offset = g_date_time_get_utc_offset (local);
}

static void
cross_boundary (EaSimExchange *ex)
{
  gboolean was_open = ex->session_open;

  update_session (ex);

  if (was_open && !ex->session_open)
    _ea_sim_expire_day_orders (ex);
  if (!was_open && ex->session_open)
    for (guint i = 0; i < ex->n_markets; i++)
      if (ex->markets[i].replay == NULL)
        ex->markets[i].q.volume = 0;

  for (guint i = 0; i < ex->n_markets; i++)
    schedule_market (ex, &ex->markets[i]);
}

static void
generate (EaSimExchange *ex,
          SimMarket     *m)
{
  EaSimRng *rng = &ex->rng;
  double r = 0.0;
  EaTicks spread;
  gboolean traded = FALSE;

  if (m->leader != NULL)
    m->fair = m->leader->fair;
  else
    {
      /* GARCH(1,1) on one-minute returns: volatility clusters over tens
       * of minutes. Each event draws from the minute's variance spread
       * over the base event rate, so busier minutes move more. */
      if (ex->now >= m->minute_end)
        {
          double ret = m->fair - m->minute_fair;

          m->h = CLAMP (m->omega + m->alpha * ret * ret + m->beta * m->h,
                        m->h0 * 0.05, m->h0 * 50.0);
          m->minute_fair = m->fair;
          m->minute_end = ex->now - ex->now % MINUTE_US + MINUTE_US;
        }
      r = sqrt (m->h / (ex->rate * 60.0)) * ea_sim_rng_normal (rng);
      m->fair += r;
      if (m->fair < 10.0)
        m->fair = 10.0;
    }

  spread = ea_sim_rng_uniform (rng) < 0.8 ? 1 : 2;
  m->q.bid = (EaTicks) floor (m->fair - (spread - 1) * 0.5);
  m->q.ask = m->q.bid + spread;
  m->q.bid_size = 1 + (gint64) (m->base_size * (0.25 + 1.5 * ea_sim_rng_uniform (rng)));
  m->q.ask_size = 1 + (gint64) (m->base_size * (0.25 + 1.5 * ea_sim_rng_uniform (rng)));

  if (ea_sim_rng_uniform (rng) < 0.35)
    {
      /* Buyers lift the offer more often when the latent price is near it. */
      gboolean buy = ea_sim_rng_uniform (rng) < (m->fair - m->q.bid) / spread;

      m->q.last = buy ? m->q.ask : m->q.bid;
      m->q.last_size = 1 + (gint64) (ea_sim_rng_exponential (rng) * m->base_size / 8.0);
      m->q.volume += m->q.last_size;
      traded = TRUE;
    }
  else
    m->q.last_size = 0;

  emit_quote (ex, m);
  _ea_sim_match_market (ex, m, traded);
  m->next_event = ex->now + interarrival (ex);
}

static void
play_replay (EaSimExchange *ex,
             SimMarket     *m)
{
  const SimReplayEvent *e = &g_array_index (m->replay, SimReplayEvent, m->replay_pos);

  m->q.bid = e->bid;
  m->q.ask = e->ask;
  m->q.bid_size = (gint64) m->base_size;
  m->q.ask_size = (gint64) m->base_size;
  m->fair = (e->bid + e->ask) * 0.5;
  if (e->trade > 0)
    {
      m->q.last = e->trade;
      m->q.last_size = e->size;
      m->q.volume += e->size;
    }
  else
    m->q.last_size = 0;

  m->replay_pos++;
  emit_quote (ex, m);
  _ea_sim_match_market (ex, m, e->trade > 0);
  schedule_market (ex, m);
}

static void
init_market (EaSimExchange          *ex,
             SimMarket              *m,
             const EaInstrumentSpec *spec,
             guint                   index)
{
  double price = 100.0, daily_vol = 0.01, size = 10.0;
  double sd_ticks;

  for (guint i = 0; i < G_N_ELEMENTS (market_defaults); i++)
    if (g_strcmp0 (market_defaults[i].root, spec->root) == 0)
      {
        price = market_defaults[i].price;
        daily_vol = market_defaults[i].daily_vol;
        size = market_defaults[i].size;
      }

  m->spec = spec;
  m->symbol = g_strdup (spec->root);
  m->index = index;
  m->base_size = size;
  m->fair = (double) ea_instrument_price_to_ticks (spec, price);
  m->q.symbol = m->symbol;
  m->q.bid = (EaTicks) floor (m->fair);
  m->q.ask = m->q.bid + 1;
  m->q.bid_size = m->q.ask_size = (gint64) size;
  m->orders = g_ptr_array_new ();

  /* Per-minute variance so that a session of minutes (weighted by the
   * activity profile, about 1.0 on average over 23 hours) has the daily
   * volatility. */
  sd_ticks = m->fair * daily_vol;
  m->alpha = 0.08;
  m->beta = 0.90;
  m->h0 = m->h = sd_ticks * sd_ticks / (23.0 * 60.0);
  m->minute_fair = m->fair;
  m->omega = m->h0 * (1.0 - m->alpha - m->beta);
}

EaSimExchange *
ea_sim_exchange_new (guint64  seed,
                     EaTimeUs start)
{
  EaSimExchange *ex = g_new0 (EaSimExchange, 1);
  const EaInstrumentSpec *specs;
  guint n = 0;

  ea_sim_rng_seed (&ex->rng, seed);
  ex->seed = seed;
  ex->now = start;
  ex->generator = TRUE;
  ex->rate = 8.0;
  ex->chicago = g_time_zone_new_identifier ("America/Chicago");
  if (ex->chicago == NULL)
    ex->chicago = g_time_zone_new_offset (-6 * 3600);

  for (guint m = 0; m < G_N_ELEMENTS (ex->activity); m++)
    {
      const double open = 8 * 60 + 30, close = 15 * 60;

      if (m >= open && m < close)
        ex->activity[m] = 1.0 + 1.5 * exp (-(m - open) / 30.0) + exp (-(close - 1 - m) / 30.0);
      else
        ex->activity[m] = 0.65;
    }

  specs = ea_instrument_all (&n);
  ex->n_markets = n;
  ex->markets = g_new0 (SimMarket, n);
  ex->market_by_symbol = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    {
      init_market (ex, &ex->markets[i], &specs[i], i);
      g_hash_table_insert (ex->market_by_symbol, ex->markets[i].symbol, &ex->markets[i]);
    }
  for (guint i = 0; i < n; i++)
    {
      SimMarket *m = &ex->markets[i];

      if (m->spec->micro_ratio > 1 && g_strcmp0 (m->spec->family, m->spec->root) != 0)
        {
          m->leader = _ea_sim_exchange_find_market (ex, m->spec->family);
          if (m->leader != NULL && m->leader->spec->tick_size != m->spec->tick_size)
            m->leader = NULL;
        }
    }

  ex->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) _ea_sim_account_free);
  ex->orders = g_ptr_array_new_with_free_func ((GDestroyNotify) _ea_sim_order_free);
  ex->order_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  ex->order_by_client_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ex->fills = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_fill_data_free);

  update_session (ex);
  for (guint i = 0; i < n; i++)
    schedule_market (ex, &ex->markets[i]);

  return ex;
}

void
ea_sim_exchange_free (EaSimExchange *ex)
{
  if (ex == NULL)
    return;

  _ea_sim_exchange_free_accounts (ex);
  g_ptr_array_unref (ex->accounts);
  g_hash_table_unref (ex->order_by_id);
  g_hash_table_unref (ex->order_by_client_id);
  g_ptr_array_unref (ex->orders);
  g_ptr_array_unref (ex->fills);
  for (guint i = 0; i < ex->n_markets; i++)
    {
      g_free (ex->markets[i].symbol);
      g_ptr_array_unref (ex->markets[i].orders);
      g_clear_pointer (&ex->markets[i].replay, g_array_unref);
    }
  g_free (ex->markets);
  g_hash_table_unref (ex->market_by_symbol);
  g_time_zone_unref (ex->chicago);
  g_free (ex);
}

void
ea_sim_exchange_set_sink (EaSimExchange   *ex,
                          const EaSimSink *sink,
                          gpointer         user_data)
{
  g_return_if_fail (ex != NULL);

  if (sink != NULL)
    ex->sink = *sink;
  else
    memset (&ex->sink, 0, sizeof ex->sink);
  ex->sink_data = user_data;
}

guint
ea_sim_exchange_get_n_symbols (EaSimExchange *ex)
{
  return ex->n_markets;
}

const char *
ea_sim_exchange_get_symbol (EaSimExchange *ex,
                            guint          index)
{
  g_return_val_if_fail (index < ex->n_markets, NULL);
  return ex->markets[index].symbol;
}

gboolean
ea_sim_exchange_has_symbol (EaSimExchange *ex,
                            const char    *symbol)
{
  return _ea_sim_exchange_find_market (ex, symbol) != NULL;
}

void
ea_sim_exchange_set_always_open (EaSimExchange *ex,
                                 gboolean       always_open)
{
  ex->always_open = !!always_open;
  for (guint i = 0; i < ex->n_markets; i++)
    schedule_market (ex, &ex->markets[i]);
}

gboolean
ea_sim_exchange_is_open (EaSimExchange *ex,
                         const char    *symbol)
{
  SimMarket *m = _ea_sim_exchange_find_market (ex, symbol);

  return m != NULL && _ea_sim_market_is_open (ex, m);
}

void
ea_sim_exchange_set_quote_rate (EaSimExchange *ex,
                                double         per_second)
{
  g_return_if_fail (per_second > 0.0);

  ex->rate = per_second;
  for (guint i = 0; i < ex->n_markets; i++)
    schedule_market (ex, &ex->markets[i]);
}

static gboolean
lookup_market (EaSimExchange  *ex,
               const char     *symbol,
               SimMarket     **out,
               GError        **error)
{
  *out = _ea_sim_exchange_find_market (ex, symbol);
  if (*out == NULL)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                   "Unknown symbol '%s'", symbol ? symbol : "(null)");
      return FALSE;
    }
  return TRUE;
}

gboolean
ea_sim_exchange_set_price (EaSimExchange  *ex,
                           const char     *symbol,
                           double          price,
                           GError        **error)
{
  SimMarket *m;

  if (!lookup_market (ex, symbol, &m, error))
    return FALSE;
  if (!isfinite (price) || price <= 0.0)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                   "Price must be positive");
      return FALSE;
    }

  m->fair = (double) ea_instrument_price_to_ticks (m->spec, price);
  m->minute_fair = m->fair;
  m->q.bid = (EaTicks) floor (m->fair);
  m->q.ask = m->q.bid + 1;
  return TRUE;
}

void
ea_sim_exchange_set_generator_enabled (EaSimExchange *ex,
                                       gboolean       enabled)
{
  ex->generator = !!enabled;
  for (guint i = 0; i < ex->n_markets; i++)
    schedule_market (ex, &ex->markets[i]);
}

gboolean
ea_sim_exchange_push_quote (EaSimExchange  *ex,
                            const char     *symbol,
                            EaTicks         bid,
                            EaTicks         ask,
                            gint64          bid_size,
                            gint64          ask_size,
                            GError        **error)
{
  SimMarket *m;

  if (!lookup_market (ex, symbol, &m, error))
    return FALSE;
  if (bid <= 0 || ask <= bid || bid_size < 0 || ask_size < 0)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                   "Invalid quote %" G_GINT64_FORMAT "x%" G_GINT64_FORMAT
                   " / %" G_GINT64_FORMAT "x%" G_GINT64_FORMAT,
                   bid, bid_size, ask, ask_size);
      return FALSE;
    }

  m->q.bid = bid;
  m->q.ask = ask;
  m->q.bid_size = bid_size;
  m->q.ask_size = ask_size;
  m->q.last_size = 0;
  m->fair = (bid + ask) * 0.5;
  emit_quote (ex, m);
  _ea_sim_match_market (ex, m, FALSE);
  return TRUE;
}

gboolean
ea_sim_exchange_push_trade (EaSimExchange  *ex,
                            const char     *symbol,
                            EaTicks         price,
                            gint64          size,
                            GError        **error)
{
  SimMarket *m;

  if (!lookup_market (ex, symbol, &m, error))
    return FALSE;
  if (price <= 0 || size <= 0)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                   "Invalid trade %" G_GINT64_FORMAT " @ %" G_GINT64_FORMAT, size, price);
      return FALSE;
    }

  m->q.last = price;
  m->q.last_size = size;
  m->q.volume += size;
  emit_quote (ex, m);
  _ea_sim_match_market (ex, m, TRUE);
  return TRUE;
}

const EaQuoteData *
ea_sim_exchange_get_quote (EaSimExchange *ex,
                           const char    *symbol)
{
  SimMarket *m = _ea_sim_exchange_find_market (ex, symbol);

  return m != NULL ? &m->q : NULL;
}

EaTimeUs
ea_sim_exchange_get_time (EaSimExchange *ex)
{
  return ex->now;
}

guint64
ea_sim_exchange_get_n_quotes (EaSimExchange *ex)
{
  return ex->n_quotes;
}

void
ea_sim_exchange_advance_to (EaSimExchange *ex,
                            EaTimeUs       time)
{
  g_return_if_fail (ex != NULL);

  for (;;)
    {
      SimMarket *best = NULL;
      EaTimeUs tb = G_MAXINT64;

      for (guint i = 0; i < ex->n_markets; i++)
        if (ex->markets[i].next_event < tb)
          {
            tb = ex->markets[i].next_event;
            best = &ex->markets[i];
          }

      if (ex->next_boundary <= time && ex->next_boundary <= tb)
        {
          ex->now = ex->next_boundary;
          cross_boundary (ex);
          continue;
        }
      if (best == NULL || tb > time)
        break;

      ex->now = MAX (ex->now, tb);
      if (best->replay != NULL)
        play_replay (ex, best);
      else
        generate (ex, best);
    }

  ex->now = MAX (ex->now, time);
}

void
ea_sim_exchange_advance (EaSimExchange *ex,
                         EaTimeUs       usec)
{
  g_return_if_fail (usec >= 0);
  ea_sim_exchange_advance_to (ex, ex->now + usec);
}

static void
add_print (GArray  *events,
           EaTimeUs time,
           EaTicks  price,
           EaTicks  previous,
           gint64   size)
{
  SimReplayEvent e = { .time = time, .trade = price, .size = size };

  /* An up-tick lifts the offer, a down-tick hits the bid. */
  if (price > previous)
    {
      e.bid = price - 1;
      e.ask = price;
    }
  else
    {
      e.bid = price;
      e.ask = price + 1;
    }
  g_array_append_val (events, e);
}

gboolean
ea_sim_exchange_load_replay (EaSimExchange   *ex,
                             const char      *symbol,
                             const EaNtData  *data,
                             GError         **error)
{
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (SimReplayEvent));
  SimMarket *m;

  if (!lookup_market (ex, symbol, &m, error))
    return FALSE;
  g_return_val_if_fail (data != NULL, FALSE);

  if (data->kind == EA_NT_KIND_BARS)
    {
      EaTicks prev = 0;

      for (guint i = 0; i < data->bars->len; i++)
        {
          const EaNtBar *b = &g_array_index (data->bars, EaNtBar, i);
          EaTimeUs start = b->time - MINUTE_US;
          EaTicks o = ea_instrument_price_to_ticks (m->spec, b->open);
          EaTicks h = ea_instrument_price_to_ticks (m->spec, b->high);
          EaTicks l = ea_instrument_price_to_ticks (m->spec, b->low);
          EaTicks c = ea_instrument_price_to_ticks (m->spec, b->close);
          gint64 part = b->volume / 4;
          gboolean high_first = (h - o) <= (o - l);
          EaTicks mid1 = high_first ? h : l, mid2 = high_first ? l : h;

          /* Open, the nearer extreme, the farther one, close: the bar's
           * prints add up to exactly its OHLC and volume. */
          add_print (events, start + 1 * G_USEC_PER_SEC, o, prev ? prev : o, part);
          add_print (events, start + 15 * G_USEC_PER_SEC, mid1, o, part);
          add_print (events, start + 30 * G_USEC_PER_SEC, mid2, mid1, part);
          add_print (events, start + 59 * G_USEC_PER_SEC, c, mid2, b->volume - 3 * part);
          prev = c;
        }
    }
  else
    {
      for (guint i = 0; i < data->ticks->len; i++)
        {
          const EaNtTick *k = &g_array_index (data->ticks, EaNtTick, i);
          SimReplayEvent e = {
            .time = k->time,
            .bid = ea_instrument_price_to_ticks (m->spec, k->bid),
            .ask = ea_instrument_price_to_ticks (m->spec, k->ask),
            .trade = ea_instrument_price_to_ticks (m->spec, k->last),
            .size = k->volume,
          };

          if (e.ask <= e.bid)
            e.ask = e.bid + 1;
          g_array_append_val (events, e);
        }
    }

  if (events->len == 0)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                   "Nothing to replay");
      return FALSE;
    }

  g_clear_pointer (&m->replay, g_array_unref);
  m->replay = g_steal_pointer (&events);
  m->replay_pos = 0;
  m->replay_per_record = data->kind == EA_NT_KIND_BARS ? 4 : 1;
  m->q.volume = 0;
  m->q.last = 0;

  ex->now = g_array_index (m->replay, SimReplayEvent, 0).time - 1;
  update_session (ex);
  for (guint i = 0; i < ex->n_markets; i++)
    schedule_market (ex, &ex->markets[i]);

  return TRUE;
}

EaTimeUs
ea_sim_exchange_replay_next_time (EaSimExchange *ex)
{
  EaTimeUs t = G_MAXINT64;

  for (guint i = 0; i < ex->n_markets; i++)
    if (ex->markets[i].replay != NULL)
      t = MIN (t, ex->markets[i].next_event);

  return t;
}

gboolean
ea_sim_exchange_replay_step (EaSimExchange *ex)
{
  EaTimeUs t = ea_sim_exchange_replay_next_time (ex);

  if (t == G_MAXINT64)
    return FALSE;

  ea_sim_exchange_advance_to (ex, t);
  return TRUE;
}

gboolean
ea_sim_exchange_replay_progress (EaSimExchange *ex,
                                 const char    *symbol,
                                 guint         *played,
                                 guint         *total,
                                 gboolean      *done)
{
  SimMarket *m = _ea_sim_exchange_find_market (ex, symbol);
  guint per;

  if (m == NULL || m->replay == NULL)
    return FALSE;

  per = MAX (1u, m->replay_per_record);
  if (played != NULL)
    *played = (m->replay_pos + per - 1) / per;
  if (total != NULL)
    *total = m->replay->len / per;
  if (done != NULL)
    *done = m->replay_pos >= m->replay->len;
  return TRUE;
}
