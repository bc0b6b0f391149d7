/* ea-sim-exchange-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internals shared by ea-sim-exchange.c (markets, time, replay) and
 * ea-sim-matching.c (orders, fills, accounts).
 */
#pragma once

#include "ea-instrument.h"
#include "ea-sim-exchange.h"
#include "ea-sim-rng.h"

G_BEGIN_DECLS

typedef struct _SimMarket  SimMarket;
typedef struct _SimAccount SimAccount;
typedef struct _SimOrder   SimOrder;

typedef struct
{
  EaTicks price;
  gint64  qty;      /* > 0, in the direction of the position */
} SimLot;

typedef struct
{
  gint64    qty;    /* signed */
  GArray   *lots;   /* SimLot, oldest first */
  EaMicros  realized;
} SimPosition;

struct _SimAccount
{
  char        *name;
  char        *profile;
  EaMicros     size;
  EaMicros     realized;
  SimPosition *positions;   /* one per market */
};

struct _SimOrder
{
  EaOrderData  d;
  SimMarket   *market;
  SimAccount  *account;
  SimOrder    *parent;      /* bracket entry of a child */
  SimOrder    *stop_loss;   /* children of a bracket entry */
  SimOrder    *take_profit;
  SimOrder    *oco;         /* the other child */
  gint64       fill_value;  /* sum of price × qty of its fills */
  gboolean     triggered;   /* stop orders: the stop has traded */
  gboolean     active;      /* in market->orders */
};

typedef struct
{
  EaTimeUs time;
  EaTicks  bid;
  EaTicks  ask;
  EaTicks  trade;   /* 0: a quote without a trade */
  gint64   size;
} SimReplayEvent;

struct _SimMarket
{
  const EaInstrumentSpec *spec;
  char                   *symbol;
  guint                   index;
  SimMarket              *leader;      /* micros follow their mini's price */

  double                  fair;        /* latent price, ticks */
  double                  h;           /* conditional variance, ticks² per minute */
  double                  h0;          /* unconditional variance */
  double                  minute_fair; /* latent price at the start of the minute */
  EaTimeUs                minute_end;
  double                  omega;
  double                  alpha;
  double                  beta;
  double                  base_size;

  EaQuoteData             q;
  EaTimeUs                next_event;
  gint64                  avail_bid;   /* displayed size left in this event */
  gint64                  avail_ask;

  GPtrArray              *orders;      /* SimOrder, working and triggerable */
  gboolean                dirty;       /* inactive entries to compact */

  GArray                 *replay;      /* SimReplayEvent, or NULL */
  guint                   replay_pos;
  guint                   replay_per_record; /* prints per file record */
};

struct _EaSimExchange
{
  EaSimRng     rng;
  guint64      seed;
  EaTimeUs     now;
  EaSimSink    sink;
  gpointer     sink_data;

  SimMarket   *markets;
  guint        n_markets;
  GHashTable  *market_by_symbol;   /* symbol -> SimMarket */

  gboolean     generator;
  gboolean     always_open;
  double       rate;               /* quotes/s per market at factor 1 */
  double       activity[24 * 60];  /* factor per minute of the CT day */

  gboolean     session_open;
  EaTimeUs     next_boundary;      /* next session open or close */
  EaTimeUs     ct_offset;          /* America/Chicago UTC offset, µs */
  GTimeZone   *chicago;

  GPtrArray   *accounts;           /* SimAccount */
  GPtrArray   *orders;             /* SimOrder, all, in creation order */
  GHashTable  *order_by_id;        /* broker id -> SimOrder */
  GHashTable  *order_by_client_id; /* "account\x1fclient id" -> SimOrder */
  GPtrArray   *fills;              /* EaFillData */
  guint64      order_seq;
  guint64      fill_seq;
  guint64      n_quotes;
  gboolean     in_match;
};

/* ea-sim-exchange.c */
SimMarket  *_ea_sim_exchange_find_market  (EaSimExchange *ex,
                                           const char    *symbol);
gboolean    _ea_sim_market_is_open        (EaSimExchange *ex,
                                           SimMarket     *m);

/* ea-sim-accounts.c */
void        _ea_sim_account_free          (SimAccount     *account);
void        _ea_sim_exchange_free_accounts (EaSimExchange *ex);
SimAccount *_ea_sim_find_account          (EaSimExchange  *ex,
                                           const char     *name);
void        _ea_sim_fill_position_data    (EaSimExchange  *ex,
                                           SimAccount     *a,
                                           SimMarket      *m,
                                           EaPositionData *out);
void        _ea_sim_fill_account_data     (EaSimExchange  *ex,
                                           SimAccount     *a,
                                           EaAccountData  *out);
void        _ea_sim_emit_position_and_account (EaSimExchange *ex,
                                               SimAccount    *a,
                                               SimMarket     *m);
void        _ea_sim_apply_to_position     (SimAccount     *a,
                                           SimMarket      *m,
                                           EaSide          side,
                                           gint64          qty,
                                           EaTicks         price);

/* ea-sim-matching.c */
void        _ea_sim_match_market          (EaSimExchange *ex,
                                           SimMarket     *m,
                                           gboolean       traded);
void        _ea_sim_expire_day_orders     (EaSimExchange *ex);
void        _ea_sim_order_free            (SimOrder      *order);


G_END_DECLS
