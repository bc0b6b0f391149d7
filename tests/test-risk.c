/* test-risk.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The risk engine against hand-computed prop-firm scenarios (DOMAIN §6–7)
 * (the property test is in test-risk-property.c).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-risk.h"

#define USD(x) ((EaMicros) ((x) * 1000000.0 + ((x) >= 0 ? 0.5 : -0.5)))

/* Tuesday 2026-11-24; Chicago is UTC−6, New York UTC−5 in November. */
static EaTimeUs
utc (int day,
     int hour,
     int minute)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (2026, 11, day, hour, minute, 0);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

#define TUE_0900_CT utc (24, 15, 0)

static void
apex_legacy (EaRiskProfile *p,
             int            size_k,
             int            trailing,
             guint          max_minis,
             guint          half)
{
  ea_risk_profile_init_defaults (p);
  g_snprintf (p->id, sizeof p->id, "apex-legacy-%dk", size_k);
  g_strlcpy (p->firm, "Apex Trader Funding", sizeof p->firm);
  g_strlcpy (p->version, "legacy", sizeof p->version);
  p->account_size = p->start_balance = USD (size_k * 1000);
  p->trailing_mode = EA_TRAILING_INTRADAY_UNREALIZED;
  p->trailing_amount = USD (trailing);
  p->has_lock = TRUE;
  p->lock_level_offset = USD (100);
  p->max_contracts = max_minis;
  p->n_scaling = 1;
  p->scaling[0].until_profit = USD (trailing + 100);
  p->scaling[0].max_contracts = half;
  p->consistency_max_share = 0.30;
  p->max_open_loss_share = 0.30;
  p->max_stop_target_ratio = 5;
  p->flat_by_minutes = 16 * 60 + 59;
  g_strlcpy (p->flat_by_zone, "America/New_York", sizeof p->flat_by_zone);
  p->weekend_holding = FALSE;
  p->hedging_allowed = FALSE;
  g_assert_true (ea_risk_profile_validate (p, NULL));
}

static void
apex4_eod_50k (EaRiskProfile *p)
{
  ea_risk_profile_init_defaults (p);
  g_strlcpy (p->id, "apex-4.0-eod-50k", sizeof p->id);
  p->account_size = p->start_balance = USD (50000);
  p->trailing_mode = EA_TRAILING_EOD;
  p->trailing_amount = USD (2500);
  p->has_lock = TRUE;
  p->lock_level_offset = USD (100);
  p->daily_loss_limit = USD (1000);
  p->daily_loss_action = EA_DAILY_LOSS_PAUSE;
  p->max_contracts = 10;
  p->profit_target = USD (3000);
  p->consistency_max_share = 0.50;
  g_assert_true (ea_risk_profile_validate (p, NULL));
}

static EaRiskOrder
order (const char *root,
       EaSide      side,
       gint64      qty,
       EaTicks     stop)
{
  EaRiskOrder o = { 0 };

  o.action = EA_RISK_ORDER_NEW;
  o.spec = ea_instrument_lookup (root);
  o.side = side;
  o.qty = qty;
  o.has_stop = TRUE;
  o.stop = stop;
  g_assert_nonnull (o.spec);
  return o;
}

#define ES_LAST 24000 /* 6000.00 */

static EaRiskEngine *
engine_with (const EaRiskProfile *p,
             guint                safety)
{
  EaRiskEngine *e = ea_risk_engine_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (ea_risk_engine_add_account (e, "A", p, safety, TUE_0900_CT, &error), ==, 0);
  g_assert_no_error (error);
  ea_risk_engine_set_last_price (e, ea_instrument_lookup ("ES"), ES_LAST);
  ea_risk_engine_set_last_price (e, ea_instrument_lookup ("MES"), ES_LAST);
  ea_risk_engine_set_last_price (e, ea_instrument_lookup ("NQ"), 84000);
  return e;
}

/* Apex legacy 50K: the trailing floor, its lock, and an unrealized peak
 * given back. */
static void
test_apex_legacy_trailing (void)
{
  static const struct {
    double balance, equity;
    double floor;
    gboolean locked;
  } rows[] = {
    { 50000, 50000, 47500, FALSE },
    { 50000, 51200, 48700, FALSE }, /* unrealized peak */
    { 50000, 50000, 48700, FALSE }, /* given back: the floor stays up */
    { 51000, 51000, 48700, FALSE },
    { 52600, 52600, 50100, TRUE  }, /* 52,600 − 2,500 = start + 100: lock */
    { 55000, 55000, 50100, TRUE  },
    { 51000, 51000, 50100, TRUE  },
  };
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = NULL;
  EaRiskStatus s;

  apex_legacy (&p, 50, 2500, 10, 5);
  e = engine_with (&p, 100);
  ea_risk_engine_get_status (e, 0, TUE_0900_CT, &s);
  g_assert_cmpint (s.floor, ==, USD (47500));
  g_assert_cmpint (s.lock_level, ==, USD (50100));

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      EaRiskEvents ev = ea_risk_engine_update_equity (e, 0, USD (rows[i].balance), USD (rows[i].equity),
                                                      TUE_0900_CT + i);

      ea_risk_engine_get_status (e, 0, TUE_0900_CT + i, &s);
      g_assert_cmpint (s.floor, ==, USD (rows[i].floor));
      g_assert_cmpint (s.effective_floor, ==, USD (rows[i].floor));
      g_assert_cmpint (s.floor_locked, ==, rows[i].locked);
      g_assert_cmpint (!!(ev & EA_RISK_EVENT_FLOOR_LOCKED), ==, i == 4);
      g_assert_false (ev & EA_RISK_EVENT_BREACH);
    }
}

static void
test_apex_legacy_sizes (void)
{
  static const struct { int k, trailing; guint max, half; } sizes[] = {
    { 25, 1500, 4, 2 }, { 50, 2500, 10, 5 }, { 100, 3000, 14, 7 },
    { 150, 5000, 17, 8 }, { 250, 6500, 27, 13 }, { 300, 7500, 35, 17 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      EaRiskProfile p;
      g_autoptr(EaRiskEngine) e = NULL;
      EaRiskStatus s;
      double start = sizes[i].k * 1000.0;

      apex_legacy (&p, sizes[i].k, sizes[i].trailing, sizes[i].max, sizes[i].half);
      e = engine_with (&p, 100);
      ea_risk_engine_get_status (e, 0, TUE_0900_CT, &s);
      g_assert_cmpint (s.floor, ==, USD (start - sizes[i].trailing));
      g_assert_cmpuint (s.max_contracts, ==, sizes[i].half);

      /* One dollar short of the threshold: still half, floor not locked. */
      ea_risk_engine_update_equity (e, 0, USD (start + sizes[i].trailing + 99),
                                    USD (start + sizes[i].trailing + 99), TUE_0900_CT + 1);
      ea_risk_engine_get_status (e, 0, TUE_0900_CT + 1, &s);
      g_assert_cmpuint (s.max_contracts, ==, sizes[i].half);
      g_assert_cmpint (s.floor, ==, USD (start + 99));
      g_assert_false (s.floor_locked);

      ea_risk_engine_update_equity (e, 0, USD (start + sizes[i].trailing + 100),
                                    USD (start + sizes[i].trailing + 100), TUE_0900_CT + 2);
      ea_risk_engine_get_status (e, 0, TUE_0900_CT + 2, &s);
      g_assert_cmpuint (s.max_contracts, ==, sizes[i].max);
      g_assert_cmpint (s.floor, ==, USD (start + 100));
      g_assert_true (s.floor_locked);
    }
}

/* 10 minis only after the unlock, 5 before; the binding cap is reported. */
static void
test_apex_legacy_contracts (void)
{
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = NULL;
  EaRiskDecision d;
  EaRiskOrder o;

  apex_legacy (&p, 50, 2500, 10, 5);
  e = engine_with (&p, 100);

  ea_risk_engine_set_position (e, 0, es, 4, ES_LAST, TRUE, ES_LAST - 4);
  o = order ("ES", EA_SIDE_BUY, 2, ES_LAST - 4);
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_SCALING);
  g_assert_cmpint (d.limit, ==, 50);  /* 5.0 minis */
  g_assert_cmpint (d.value, ==, 60);  /* 6.0 minis */
  g_assert_cmpint (d.allowed_qty, ==, 1);

  /* 10 MES are one mini: 4 ES + 10 MES = 5 minis pass, 11 MES do not. */
  o = order ("MES", EA_SIDE_BUY, 10, ES_LAST - 4);
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.allowed_qty, ==, 10);
  o.qty = 11;
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_SCALING);

  /* Unlocked at a closed balance of 52,600: 10 minis. */
  ea_risk_engine_update_equity (e, 0, USD (52600), USD (52600), TUE_0900_CT + 1);
  ea_risk_engine_set_position (e, 0, es, 6, ES_LAST, TRUE, ES_LAST - 4);
  o = order ("ES", EA_SIDE_BUY, 4, ES_LAST - 4);
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT + 1, &d));
  g_assert_cmpint (d.allowed_qty, ==, 4);
  o.qty = 5;
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT + 1, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_MAX_CONTRACTS);
  g_assert_cmpint (d.limit, ==, 100);
  g_assert_cmpint (d.value, ==, 110);

  /* Fat finger: 6 per order while flat. */
  ea_risk_engine_set_position (e, 0, es, 0, NAN, FALSE, 0);
  o.qty = 6;
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT + 1, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_FAT_FINGER);
  g_assert_cmpint (d.allowed_qty, ==, 5);
}

/* Equity 48,900 with the floor at 48,700: 3 ES with a 12-tick stop risk
 * 3 × 13 × 12.50 = 487.50 against 200 of room; 1 would pass. */
static void
test_trailing_floor_denial (void)
{
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = NULL;
  g_autofree char *msg = NULL;
  EaRiskDecision d;
  EaRiskOrder o;
  EaRiskStatus s;

  apex_legacy (&p, 50, 2500, 10, 5);
  e = engine_with (&p, 100);
  ea_risk_engine_update_equity (e, 0, USD (51200), USD (51200), TUE_0900_CT + 1);
  ea_risk_engine_update_equity (e, 0, USD (48900), USD (48900), TUE_0900_CT + 2);
  ea_risk_engine_get_status (e, 0, TUE_0900_CT + 2, &s);
  g_assert_cmpint (s.floor, ==, USD (48700));
  /* 2,300 of 2,500 used: 92 %, so the account is also REDUCING. */
  g_assert_cmpint (s.state, ==, EA_TRADING_STATE_REDUCING);
  g_assert_cmpint (s.level, ==, EA_RISK_LEVEL_DANGER);

  o = order ("ES", EA_SIDE_BUY, 3, ES_LAST - 12);
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT + 2, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_TRAILING_FLOOR);
  g_assert_cmpint (d.limit, ==, USD (200));
  g_assert_cmpint (d.value, ==, USD (487.50));
  g_assert_cmpint (d.worst_loss, ==, USD (487.50));
  g_assert_cmpint (d.limit_qty, ==, 1);
  g_assert_cmpint (d.allowed_qty, ==, 0); /* REDUCING lets nothing through */
  msg = ea_risk_decision_format (&d);
  g_assert_nonnull (strstr (msg, "$487.50"));
  g_assert_nonnull (strstr (msg, "$200.00"));
  g_assert_nonnull (strstr (msg, "TRAILING_FLOOR"));
  g_assert_nonnull (strstr (msg, "(1 would fit)"));

  /* The one that fits is still refused while REDUCING. */
  o.qty = 1;
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT + 2, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_REDUCING);

  /* Same room on a static 1,300 floor at 48,700 from 50,000 (usage 85 %,
   * not REDUCING): 1 passes; with $20 fees per side it no longer does. */
  {
    EaRiskProfile st;
    g_autoptr(EaRiskEngine) e2 = NULL;

    ea_risk_profile_init_defaults (&st);
    st.trailing_amount = USD (1300);
    e2 = engine_with (&st, 100);
    ea_risk_engine_update_equity (e2, 0, USD (48900), USD (48900), TUE_0900_CT + 1);
    o.qty = 3;
    g_assert_false (ea_risk_engine_check (e2, 0, &o, TUE_0900_CT + 1, &d));
    g_assert_cmpint (d.reason, ==, EA_RISK_TRAILING_FLOOR);
    g_assert_cmpint (d.allowed_qty, ==, 1);
    o.qty = 1;
    g_assert_true (ea_risk_engine_check (e2, 0, &o, TUE_0900_CT + 1, &d));
    ea_risk_engine_set_fees (e2, 0, USD (20));
    /* 162.50 + 40 = 202.50 > 200. */
    g_assert_false (ea_risk_engine_check (e2, 0, &o, TUE_0900_CT + 1, &d));
    g_assert_cmpint (d.reason, ==, EA_RISK_TRAILING_FLOOR);
    g_assert_cmpint (d.value, ==, USD (202.50));
  }
}

/* Apex 4.0 50K EOD: the floor moves only at the close; the daily loss
 * limit pauses until the next session open and does not fail. */
static void
test_apex4_eod (void)
{
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = NULL;
  EaRiskStatus s;
  EaRiskEvents ev;
  EaRiskDecision d;
  EaRiskOrder o;

  apex4_eod_50k (&p);
  e = engine_with (&p, 100);

  ev = ea_risk_engine_update_equity (e, 0, USD (50000), USD (51800), utc (24, 16, 0));
  ea_risk_engine_get_status (e, 0, utc (24, 16, 0), &s);
  g_assert_cmpint (s.floor, ==, USD (47500));
  ev = ea_risk_engine_update_equity (e, 0, USD (51000), USD (51000), utc (24, 21, 30));
  g_assert_false (ev & EA_RISK_EVENT_SESSION_CLOSED);
  ea_risk_engine_get_status (e, 0, utc (24, 21, 30), &s);
  g_assert_cmpint (s.floor, ==, USD (47500)); /* the intraday 51,800 did not count */

  /* First update after the 16:00 CT close (22:00 UTC). */
  ev = ea_risk_engine_update_equity (e, 0, USD (51000), USD (51000), utc (24, 22, 5));
  g_assert_true (ev & EA_RISK_EVENT_SESSION_CLOSED);
  ea_risk_engine_get_status (e, 0, utc (24, 22, 5), &s);
  g_assert_cmpint (s.floor, ==, USD (48500));
  g_assert_cmpint (s.day_pnl, ==, 0);

  /* Wednesday: down 999 then 1,000 from the 51,000 close. */
  ev = ea_risk_engine_update_equity (e, 0, USD (50001), USD (50001), utc (25, 16, 0));
  g_assert_false (ev & EA_RISK_EVENT_BREACH);
  g_assert_true (ev & EA_RISK_EVENT_WARNING);
  g_assert_true (ev & EA_RISK_EVENT_REDUCING);
  ev = ea_risk_engine_update_equity (e, 0, USD (50000), USD (50000), utc (25, 16, 1));
  g_assert_true (ev & EA_RISK_EVENT_BREACH);
  g_assert_true (ev & EA_RISK_EVENT_DAILY_PAUSE);
  g_assert_true (ev & EA_RISK_EVENT_LOCKED);
  g_assert_false (ev & EA_RISK_EVENT_FAILED);
  ea_risk_engine_get_status (e, 0, utc (25, 16, 1), &s);
  g_assert_cmpint (s.state, ==, EA_TRADING_STATE_LOCKED);
  g_assert_false (s.failed);
  g_assert_cmpint (s.lock_until, ==, utc (25, 23, 0)); /* Wednesday 17:00 CT */
  g_assert_cmpint (s.level, ==, EA_RISK_LEVEL_BREACH);

  o = order ("ES", EA_SIDE_BUY, 1, ES_LAST - 8);
  g_assert_false (ea_risk_engine_check (e, 0, &o, utc (25, 16, 2), &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_LOCKED);
  g_assert_cmpint (d.until, ==, utc (25, 23, 0));
  o.action = EA_RISK_ORDER_CANCEL;
  g_assert_true (ea_risk_engine_check (e, 0, &o, utc (25, 16, 2), &d));

  /* After the next open the pause is over; the floor is still 48,500. */
  ev = ea_risk_engine_update_equity (e, 0, USD (50000), USD (50000), utc (25, 23, 1));
  g_assert_true (ev & EA_RISK_EVENT_LOCK_EXPIRED);
  g_assert_true (ev & EA_RISK_EVENT_SESSION_CLOSED);
  ea_risk_engine_get_status (e, 0, utc (25, 23, 1), &s);
  g_assert_cmpint (s.state, ==, EA_TRADING_STATE_ACTIVE);
  g_assert_cmpint (s.floor, ==, USD (48500));
  o.action = EA_RISK_ORDER_NEW;
  g_assert_true (ea_risk_engine_check (e, 0, &o, utc (25, 23, 2), &d));
}

/* s = 80 on a 2,500 drawdown: warning at 1,500, REDUCING at 1,800, halt
 * at 2,000 (LOCKED, not failed: the firm's floor is 500 lower). */
static void
test_safety_ratio (void)
{
  static const struct {
    double equity;
    EaTradingState state;
    EaRiskLevel level;
    EaRiskEvents events;
  } rows[] = {
    { 49000, EA_TRADING_STATE_ACTIVE,   EA_RISK_LEVEL_SAFE,    0 },
    { 48800, EA_TRADING_STATE_ACTIVE,   EA_RISK_LEVEL_WARNING, 0 },
    { 48500, EA_TRADING_STATE_ACTIVE,   EA_RISK_LEVEL_WARNING, EA_RISK_EVENT_WARNING },
    { 48200, EA_TRADING_STATE_REDUCING, EA_RISK_LEVEL_DANGER,  EA_RISK_EVENT_REDUCING },
    { 48001, EA_TRADING_STATE_REDUCING, EA_RISK_LEVEL_DANGER,  0 },
    { 48000, EA_TRADING_STATE_LOCKED,   EA_RISK_LEVEL_BREACH,  EA_RISK_EVENT_BREACH | EA_RISK_EVENT_LOCKED },
  };
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = NULL;
  EaRiskStatus s;

  apex_legacy (&p, 50, 2500, 10, 5);
  e = engine_with (&p, EA_SAFETY_DEFAULT);
  ea_risk_engine_get_status (e, 0, TUE_0900_CT, &s);
  g_assert_cmpint (s.effective_floor, ==, USD (48000));
  g_assert_cmpint (s.effective_limit[EA_RISK_LIMIT_TRAILING], ==, USD (2000));

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      EaRiskEvents ev = ea_risk_engine_update_equity (e, 0, USD (rows[i].equity), USD (rows[i].equity),
                                                      TUE_0900_CT + 1 + i);

      ea_risk_engine_get_status (e, 0, TUE_0900_CT + 1 + i, &s);
      g_assert_cmpint (s.state, ==, rows[i].state);
      g_assert_cmpint (s.level, ==, rows[i].level);
      g_assert_cmpint (ev & (EA_RISK_EVENT_WARNING | EA_RISK_EVENT_REDUCING | EA_RISK_EVENT_BREACH |
                             EA_RISK_EVENT_LOCKED), ==, rows[i].events);
    }
  g_assert_false (s.failed);
  g_assert_cmpint (s.lock_until, ==, utc (24, 23, 0));

  /* A profile whose rule locks for two sessions. */
  {
    g_autoptr(EaRiskEngine) e2 = NULL;

    p.lock_sessions = 2;
    e2 = engine_with (&p, EA_SAFETY_DEFAULT);
    ea_risk_engine_update_equity (e2, 0, USD (48000), USD (48000), TUE_0900_CT + 1);
    ea_risk_engine_get_status (e2, 0, TUE_0900_CT + 1, &s);
    g_assert_cmpint (s.state, ==, EA_TRADING_STATE_LOCKED);
    g_assert_cmpint (s.lock_until, ==, utc (25, 23, 0));
    g_assert_cmpstr (s.lock_reason, ==, "trailing drawdown limit reached");
  }
}

/* ES long in one account, MES short in another: denied. */
static void
test_hedging (void)
{
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = NULL;
  EaRiskDecision d;
  EaRiskOrder o;

  apex_legacy (&p, 50, 2500, 10, 5);
  e = engine_with (&p, 100);
  g_assert_cmpint (ea_risk_engine_add_account (e, "B", &p, 100, TUE_0900_CT, NULL), ==, 1);
  g_assert_cmpint (ea_risk_engine_find_account (e, "B"), ==, 1);
  g_assert_cmpstr (ea_risk_engine_get_account_id (e, 1), ==, "B");
  g_assert_cmpint (ea_risk_engine_find_account (e, "C"), ==, -1);
  ea_risk_engine_set_position (e, 0, ea_instrument_lookup ("ES"), 2, ES_LAST, TRUE, ES_LAST - 8);

  o = order ("MES", EA_SIDE_SELL, 1, ES_LAST + 8);
  g_assert_false (ea_risk_engine_check (e, 1, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_HEDGING);
  g_assert_cmpint (d.value, ==, 2);
  o = order ("ES", EA_SIDE_SELL, 1, ES_LAST + 8);
  g_assert_false (ea_risk_engine_check (e, 1, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_HEDGING);
  o = order ("MES", EA_SIDE_BUY, 1, ES_LAST - 8);
  g_assert_true (ea_risk_engine_check (e, 1, &o, TUE_0900_CT, &d));
  o = order ("NQ", EA_SIDE_SELL, 1, 84000 + 8);
  g_assert_true (ea_risk_engine_check (e, 1, &o, TUE_0900_CT, &d));

  /* Every correlated pair, both ways: the full-size root long in A
   * against the micro short in B, the micro short in A against the
   * full-size long in B; the same direction passes. */
  {
    static const struct { const char *big, *micro; EaTicks last; } pairs[] = {
      { "NQ",  "MNQ", 84000 }, /* 21,000.00 */
      { "YM",  "MYM", 47000 }, /* 47,000 */
      { "RTY", "M2K", 24500 }, /* 2,450.0 */
      { "CL",  "MCL", 6000 },  /* 60.00 */
      { "GC",  "MGC", 41000 }, /* 4,100.0 */
    };

    ea_risk_engine_set_position (e, 0, ea_instrument_lookup ("ES"), 0, NAN, FALSE, 0);
    for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
      {
        const EaInstrumentSpec *big = ea_instrument_lookup (pairs[i].big);
        const EaInstrumentSpec *micro = ea_instrument_lookup (pairs[i].micro);
        EaTicks last = pairs[i].last;
        EaTimeUs t = TUE_0900_CT + (i + 1) * G_USEC_PER_SEC; /* a fresh rate bucket */

        g_assert_nonnull (big);
        g_assert_nonnull (micro);
        ea_risk_engine_set_last_price (e, big, last);
        ea_risk_engine_set_last_price (e, micro, last);

        ea_risk_engine_set_position (e, 0, big, 1, last, TRUE, last - 8);
        o = order (pairs[i].micro, EA_SIDE_SELL, 1, last + 8);
        g_assert_false (ea_risk_engine_check (e, 1, &o, t, &d));
        g_assert_cmpint (d.reason, ==, EA_RISK_HEDGING);
        g_assert_cmpint (d.value, ==, 1);
        o = order (pairs[i].big, EA_SIDE_SELL, 1, last + 8);
        g_assert_false (ea_risk_engine_check (e, 1, &o, t, &d));
        g_assert_cmpint (d.reason, ==, EA_RISK_HEDGING);
        o = order (pairs[i].micro, EA_SIDE_BUY, 1, last - 8);
        g_assert_true (ea_risk_engine_check (e, 1, &o, t, &d));
        ea_risk_engine_set_position (e, 0, big, 0, NAN, FALSE, 0);

        ea_risk_engine_set_position (e, 0, micro, -3, last, TRUE, last + 8);
        o = order (pairs[i].big, EA_SIDE_BUY, 1, last - 8);
        g_assert_false (ea_risk_engine_check (e, 1, &o, t, &d));
        g_assert_cmpint (d.reason, ==, EA_RISK_HEDGING);
        g_assert_cmpint (d.value, ==, -3);
        o = order (pairs[i].big, EA_SIDE_SELL, 1, last + 8);
        g_assert_true (ea_risk_engine_check (e, 1, &o, t, &d));
        /* Another family is not correlated. */
        o = order ("ES", EA_SIDE_BUY, 1, ES_LAST - 8);
        g_assert_true (ea_risk_engine_check (e, 1, &o, t, &d));
        ea_risk_engine_set_position (e, 0, micro, 0, NAN, FALSE, 0);
      }
  }

  /* A profile that allows hedging lets it through. */
  ea_risk_engine_set_position (e, 0, ea_instrument_lookup ("ES"), 2, ES_LAST, TRUE, ES_LAST - 8);
  p.hedging_allowed = TRUE;
  g_assert_true (ea_risk_engine_set_profile (e, 1, &p, TUE_0900_CT, NULL)); /* looser, but B is flat */
  o = order ("MES", EA_SIDE_SELL, 1, ES_LAST + 8);
  g_assert_true (ea_risk_engine_check (e, 1, &o, TUE_0900_CT, &d));
}

static void
working (EaRiskEngine *e,
         guint         account,
         const char   *id,
         const char   *root,
         EaSide        side,
         gint64        qty,
         EaTicks       price,
         EaTicks       stop)
{
  EaRiskOrder o = order (root, side, qty, stop);

  o.order_id = id;
  o.has_price = TRUE;
  o.price = price;
  g_assert_true (ea_risk_engine_set_working_order (e, account, &o));
}

static void
static_floor (EaRiskProfile *p)
{
  /* 50,000 with a static 1,300 floor at 48,700. */
  ea_risk_profile_init_defaults (p);
  p->trailing_amount = USD (1300);
  g_assert_true (ea_risk_profile_validate (p, NULL));
}

/* Resting limit entries count as if they filled: contracts against the
 * cap, and the loss to their stops against the floor and the daily
 * room. A cancel frees the room; exits are never blocked. */
static void
test_working_orders (void)
{
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = NULL;
  EaRiskDecision d;
  EaRiskOrder o;
  EaRiskStatus s;

  /* Apex legacy 50K: 5 minis before the unlock. Each limit passes alone. */
  apex_legacy (&p, 50, 2500, 10, 5);
  e = engine_with (&p, 100);
  o = order ("ES", EA_SIDE_BUY, 3, ES_LAST - 28);
  o.has_price = TRUE;
  o.price = ES_LAST - 20;
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  working (e, 0, "L1", "ES", EA_SIDE_BUY, 3, ES_LAST - 20, ES_LAST - 28);
  ea_risk_engine_get_status (e, 0, TUE_0900_CT, &s);
  g_assert_cmpuint (s.n_working, ==, 1);
  g_assert_cmpfloat (s.contracts_in_use, ==, 0.0);
  g_assert_cmpfloat (s.contracts_committed, ==, 3.0);
  g_assert_cmpint (s.working_risk, ==, USD (3 * 9 * 12.50));

  /* Together they are 6 minis: the second is denied, 2 would pass. */
  o.price = ES_LAST - 24;
  o.stop = ES_LAST - 32;
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_SCALING);
  g_assert_cmpint (d.limit, ==, 50);
  g_assert_cmpint (d.value, ==, 60);
  g_assert_cmpint (d.allowed_qty, ==, 2);
  /* Micros count in tenths: 3 ES + 21 MES is 5.1 minis. */
  {
    EaRiskOrder m = order ("MES", EA_SIDE_BUY, 20, ES_LAST - 8);

    g_assert_true (ea_risk_engine_check (e, 0, &m, TUE_0900_CT, &d));
    m.qty = 21;
    g_assert_false (ea_risk_engine_check (e, 0, &m, TUE_0900_CT, &d));
    g_assert_cmpint (d.reason, ==, EA_RISK_SCALING);
  }

  /* A cancel frees the room. */
  working (e, 0, "L1", "ES", EA_SIDE_BUY, 0, 0, 0);
  ea_risk_engine_get_status (e, 0, TUE_0900_CT, &s);
  g_assert_cmpuint (s.n_working, ==, 0);
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));

  /* A partial fill: 2 held, 1 still working; 2 more make 5, 3 do not. */
  ea_risk_engine_set_position (e, 0, es, 2, ES_LAST - 20, TRUE, ES_LAST - 8);
  working (e, 0, "L1", "ES", EA_SIDE_BUY, 1, ES_LAST - 20, ES_LAST - 28);
  o.qty = 2;
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  o.qty = 3;
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_SCALING);

  /* Fill the cap with working entries: 2 held + 3 working. A protective
   * stop (a working sell of the 2) frees nothing, and exits of any size
   * up to the position still pass. */
  working (e, 0, "L1", "ES", EA_SIDE_BUY, 3, ES_LAST - 20, ES_LAST - 28);
  working (e, 0, "SL", "ES", EA_SIDE_SELL, 2, ES_LAST - 8, ES_LAST);
  ea_risk_engine_get_status (e, 0, TUE_0900_CT, &s);
  g_assert_cmpfloat (s.contracts_committed, ==, 5.0);
  o = order ("ES", EA_SIDE_BUY, 1, ES_LAST - 8);
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_SCALING);
  o = order ("ES", EA_SIDE_SELL, 2, 0);
  o.has_stop = FALSE;
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  o.qty = 1;
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  o.action = EA_RISK_ORDER_CANCEL;
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  /* A sell beyond the position opens a short: the worst case is the
   * protective stop filling first, so all 3 would open. */
  o = order ("ES", EA_SIDE_SELL, 3, ES_LAST + 8);
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  ea_risk_engine_get_status (e, 0, TUE_0900_CT, &s);
  g_assert_cmpint (s.open_risk, ==, USD (2 * 9 * 12.50));
  g_assert_cmpint (s.working_risk, ==, USD (3 * 9 * 12.50));

  /* An OCO breakout while flat (buy above, sell below) commits the worse
   * side, not both. */
  ea_risk_engine_clear_working_orders (e, 0);
  ea_risk_engine_set_position (e, 0, es, 0, NAN, FALSE, 0);
  working (e, 0, "UP", "ES", EA_SIDE_BUY, 3, ES_LAST + 8, ES_LAST);
  working (e, 0, "DN", "ES", EA_SIDE_SELL, 3, ES_LAST - 8, ES_LAST);
  ea_risk_engine_get_status (e, 0, TUE_0900_CT, &s);
  g_assert_cmpfloat (s.contracts_committed, ==, 3.0);
  g_assert_cmpint (s.working_risk, ==, USD (3 * 9 * 12.50));
  o = order ("NQ", EA_SIDE_BUY, 2, 84000 - 8);
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  o.qty = 3;
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_SCALING);
}

/* The loss to a working entry's stop comes out of the floor room and the
 * daily room. */
static void
test_working_orders_loss (void)
{
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = NULL;
  g_autoptr(EaRiskEngine) e2 = NULL;
  EaRiskDecision d;
  EaRiskOrder o;

  /* 200 above the floor: a working ES with a 12-tick stop takes 162.50. */
  static_floor (&p);
  e = engine_with (&p, 100);
  ea_risk_engine_update_equity (e, 0, USD (48900), USD (48900), TUE_0900_CT + 1);
  o = order ("ES", EA_SIDE_BUY, 1, ES_LAST - 16);
  o.has_price = TRUE;
  o.price = ES_LAST - 4;
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT + 1, &d));
  working (e, 0, "A", "ES", EA_SIDE_BUY, 1, ES_LAST - 4, ES_LAST - 16);
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT + 1, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_TRAILING_FLOOR);
  g_assert_cmpint (d.limit, ==, USD (200 - 162.50));
  g_assert_cmpint (d.value, ==, USD (162.50));
  g_assert_cmpint (d.allowed_qty, ==, 0);
  /* 16.25 more on a micro still fits; a working market entry (no price)
   * is valued at the last price. */
  {
    EaRiskOrder m = order ("MES", EA_SIDE_BUY, 1, ES_LAST - 12);

    g_assert_true (ea_risk_engine_check (e, 0, &m, TUE_0900_CT + 1, &d));
    m.order_id = "B";
    g_assert_true (ea_risk_engine_set_working_order (e, 0, &m));
    m.order_id = NULL;
    m.qty = 2;
    g_assert_false (ea_risk_engine_check (e, 0, &m, TUE_0900_CT + 1, &d));
    g_assert_cmpint (d.reason, ==, EA_RISK_TRAILING_FLOOR);
    g_assert_cmpint (d.limit, ==, USD (200 - 162.50 - 16.25));
  }

  /* Apex 4.0 EOD 50K, daily 1,000: two working ES with 30-tick stops
   * (775) leave 225; one more (387.50) is denied on the daily room. */
  apex4_eod_50k (&p);
  e2 = engine_with (&p, 100);
  working (e2, 0, "A", "ES", EA_SIDE_BUY, 2, ES_LAST - 10, ES_LAST - 40);
  o = order ("ES", EA_SIDE_BUY, 1, ES_LAST - 30);
  g_assert_false (ea_risk_engine_check (e2, 0, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_DAILY_LOSS);
  g_assert_cmpint (d.limit, ==, USD (1000 - 775));
  g_assert_cmpint (d.value, ==, USD (387.50));
  /* Cancelled, the room is back. */
  working (e2, 0, "A", "ES", EA_SIDE_BUY, 0, 0, 0);
  g_assert_true (ea_risk_engine_check (e2, 0, &o, TUE_0900_CT, &d));
}

/* A modify is checked in place of the order it changes, with its stop. */
static void
test_modify (void)
{
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = NULL;
  EaRiskDecision d;
  EaRiskOrder o;

  static_floor (&p);
  e = engine_with (&p, 100);
  ea_risk_engine_update_equity (e, 0, USD (48900), USD (48900), TUE_0900_CT + 1);
  working (e, 0, "EA-1", "ES", EA_SIDE_BUY, 1, ES_LAST - 4, ES_LAST - 16);

  /* The same order moved 2 ticks with its stop: it replaces itself. */
  o = order ("ES", EA_SIDE_BUY, 1, ES_LAST - 18);
  o.action = EA_RISK_ORDER_MODIFY;
  o.order_id = "EA-1";
  o.has_price = TRUE;
  o.price = ES_LAST - 6;
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT + 1, &d));
  g_assert_cmpint (d.worst_loss, ==, USD (162.50));
  g_assert_cmpint (d.allowed_qty, ==, 1);
  /* Without its stop the default distance (1.5 × 4 points: 24 ticks)
   * would refuse it. */
  o.has_stop = FALSE;
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT + 1, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_TRAILING_FLOOR);
  g_assert_cmpint (d.value, ==, USD (25 * 12.50));
  o.has_stop = TRUE;
  /* Counted twice it would not fit: a modify of an unknown order. */
  o.order_id = "EA-2";
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT + 1, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_TRAILING_FLOOR);
  o.order_id = "EA-1";

  /* The entry moved away from its stop: 16 ticks lose 212.50 > 200. */
  o.price = ES_LAST;
  o.stop = ES_LAST - 16;
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT + 1, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_TRAILING_FLOOR);
  g_assert_cmpint (d.limit, ==, USD (200));
  g_assert_cmpint (d.value, ==, USD (212.50));
  g_assert_cmpint (d.limit_qty, ==, 0);

  /* A bigger modify: 2 do not fit, 1 would. */
  o = order ("ES", EA_SIDE_BUY, 2, ES_LAST - 16);
  o.action = EA_RISK_ORDER_MODIFY;
  o.order_id = "EA-1";
  o.has_price = TRUE;
  o.price = ES_LAST - 4;
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT + 1, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_TRAILING_FLOOR);
  g_assert_cmpint (d.limit_qty, ==, 1);

  /* The stop moved to the wrong side. */
  o.qty = 1;
  o.stop = ES_LAST;
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT + 1, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_BAD_STOP);

  /* While LOCKED a modify of an entry is denied, like a new one. */
  o.stop = ES_LAST - 16;
  ea_risk_engine_lock (e, utc (24, 23, 0), "test lock");
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT + 1, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_LOCKED);
}

/* The table of working orders is bounded; a full table refuses new
 * entries (not exits, not a modify of a known order). */
static void
test_working_orders_full (void)
{
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = NULL;
  g_autofree char *msg = NULL;
  EaRiskDecision d;
  EaRiskOrder o;

  ea_risk_profile_init_defaults (&p);
  p.max_contracts = 100;
  e = engine_with (&p, 100);
  ea_risk_engine_set_position (e, 0, es, 1, ES_LAST, TRUE, ES_LAST - 8);
  for (guint i = 0; i < EA_RISK_MAX_WORKING; i++)
    {
      g_autofree char *id = g_strdup_printf ("W%u", i);

      working (e, 0, id, "MES", EA_SIDE_BUY, 1, ES_LAST - 4, ES_LAST - 8);
    }
  o = order ("MES", EA_SIDE_BUY, 1, ES_LAST - 8);
  o.order_id = "one-too-many";
  g_assert_false (ea_risk_engine_set_working_order (e, 0, &o));
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_TOO_MANY_ORDERS);
  msg = ea_risk_decision_format (&d);
  g_assert_nonnull (strstr (msg, "TOO_MANY_ORDERS"));
  o.action = EA_RISK_ORDER_MODIFY;
  o.order_id = "W3";
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  o = order ("ES", EA_SIDE_SELL, 1, 0);
  o.has_stop = FALSE;
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
}

/* Token bucket: 10 per second; the 11th within a second is denied. */
static void
test_rate_limit (void)
{
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = NULL;
  EaRiskDecision d;
  EaRiskOrder o;

  ea_risk_profile_init_defaults (&p);
  e = engine_with (&p, 100);
  o = order ("MES", EA_SIDE_BUY, 1, ES_LAST - 8);

  /* A dry run consumes nothing. */
  o.flags = EA_RISK_ORDER_FLAG_DRY_RUN;
  for (guint i = 0; i < 20; i++)
    g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  o.flags = EA_RISK_ORDER_FLAG_NONE;

  for (guint i = 0; i < 10; i++)
    g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT + i * 5000, &d));
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT + 10 * 5000, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_RATE_LIMIT);
  g_assert_cmpint (d.limit, ==, 10);
  /* Cancels pass regardless. */
  o.action = EA_RISK_ORDER_CANCEL;
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT + 10 * 5000, &d));
  o.action = EA_RISK_ORDER_NEW;
  /* 150 ms later 1.5 tokens have come back … then 0.5. */
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT + 150000, &d));
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT + 150000, &d));
}

/* Cancels and exits while LOCKED and HALTED; entries are not. */
static void
test_locked_allows_cancel_and_exit (void)
{
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = NULL;
  g_autoptr(GError) error = NULL;
  EaRiskDecision d;
  EaRiskOrder o;
  EaTimeUs until;

  apex_legacy (&p, 50, 2500, 10, 5);
  e = engine_with (&p, 100);
  ea_risk_engine_set_position (e, 0, es, 3, ES_LAST, TRUE, ES_LAST - 8);
  ea_risk_engine_lock (e, utc (24, 23, 0), "emergency stop after a breach");
  g_assert_cmpint (ea_risk_engine_get_global_state (e, TUE_0900_CT, &until, NULL), ==, EA_TRADING_STATE_LOCKED);
  g_assert_cmpint (until, ==, utc (24, 23, 0));

  o = order ("ES", EA_SIDE_BUY, 1, ES_LAST - 8);
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_LOCKED);
  o.action = EA_RISK_ORDER_CANCEL;
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  o = order ("ES", EA_SIDE_SELL, 3, 0);
  o.has_stop = FALSE;
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  o.qty = 4; /* a flip opens exposure */
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));

  g_assert_false (ea_risk_engine_reset (e, TUE_0900_CT, &error));
  g_assert_error (error, EA_RISK_ERROR, EA_RISK_ERROR_LOCKED);
  /* After the expiry the latch is HALTED until a reset. */
  g_assert_cmpint (ea_risk_engine_get_global_state (e, utc (24, 23, 0), NULL, NULL), ==, EA_TRADING_STATE_HALTED);
  o = order ("ES", EA_SIDE_BUY, 1, ES_LAST - 8);
  g_assert_false (ea_risk_engine_check (e, 0, &o, utc (24, 23, 0), &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_HALTED);
  g_assert_true (ea_risk_engine_reset (e, utc (24, 23, 0), NULL));
  g_assert_true (ea_risk_engine_check (e, 0, &o, utc (24, 23, 1), &d));
}

/* One account locked (the profile's flat-by time): its entries are
 * refused until the lock expires by itself, exits still pass, and a
 * shorter lock never cuts a longer one. */
static void
test_account_lock (void)
{
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = NULL;
  EaRiskStatus status;
  EaRiskDecision d;
  EaRiskOrder o;
  EaRiskEvents ev;

  apex_legacy (&p, 50, 2500, 10, 5);
  e = engine_with (&p, 100);
  ea_risk_engine_set_position (e, 0, es, 1, ES_LAST, TRUE, ES_LAST - 8);
  ea_risk_engine_lock_account (e, 0, utc (24, 23, 0), "flat-by time");
  ea_risk_engine_lock_account (e, 0, utc (24, 22, 0), "shorter");

  ea_risk_engine_get_status (e, 0, TUE_0900_CT, &status);
  g_assert_cmpint (status.state, ==, EA_TRADING_STATE_LOCKED);
  g_assert_cmpint (status.lock_until, ==, utc (24, 23, 0));
  g_assert_cmpstr (status.lock_reason, ==, "flat-by time");
  /* The global state is not touched. */
  g_assert_cmpint (ea_risk_engine_get_global_state (e, TUE_0900_CT, NULL, NULL), ==, EA_TRADING_STATE_ACTIVE);

  o = order ("ES", EA_SIDE_BUY, 1, ES_LAST - 8);
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_LOCKED);
  g_assert_cmpint (d.until, ==, utc (24, 23, 0));
  o = order ("ES", EA_SIDE_SELL, 1, 0);
  o.has_stop = FALSE;
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));

  /* At the expiry the account trades again, without a reset. */
  ev = ea_risk_engine_update_equity (e, 0, status.balance, status.equity, utc (24, 23, 0));
  g_assert_true (ev & EA_RISK_EVENT_LOCK_EXPIRED);
  o = order ("ES", EA_SIDE_BUY, 1, ES_LAST - 8);
  g_assert_true (ea_risk_engine_check (e, 0, &o, utc (24, 23, 1), &d));
}

static void
test_order_rules (void)
{
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = NULL;
  EaRiskDecision d;
  EaRiskOrder o;

  apex_legacy (&p, 50, 2500, 10, 5);
  p.stop_required = TRUE;
  p.n_forbidden = 1;
  g_strlcpy (p.forbidden[0], "CL", sizeof p.forbidden[0]);
  e = engine_with (&p, 100);

  /* Stop:target ≤ 5:1. */
  o = order ("ES", EA_SIDE_BUY, 1, ES_LAST - 50);
  o.has_target = TRUE;
  o.target = ES_LAST + 9;
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_STOP_TARGET_RATIO);
  g_assert_cmpint (d.limit, ==, 5000);
  g_assert_cmpint (d.value, ==, 5556);
  o.target = ES_LAST + 10;
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));

  /* Mandatory stop, and a stop on the wrong side. */
  o = order ("ES", EA_SIDE_BUY, 1, 0);
  o.has_stop = FALSE;
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_STOP_REQUIRED);
  o = order ("ES", EA_SIDE_SELL, 1, ES_LAST - 4);
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_BAD_STOP);

  /* Price band 2 %: 6000 → 6120 is exactly 2 %, 6120.25 is not. */
  o = order ("ES", EA_SIDE_BUY, 1, ES_LAST + 470);
  o.has_price = TRUE;
  o.price = ES_LAST + 480;
  g_assert_true (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  o.price = ES_LAST + 481;
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_PRICE_BAND);
  g_assert_cmpint (d.limit, ==, 2000);

  /* Forbidden product. */
  ea_risk_engine_set_last_price (e, ea_instrument_lookup ("CL"), 7000);
  o = order ("CL", EA_SIDE_BUY, 1, 6990);
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_FORBIDDEN_PRODUCT);

  /* Flat by 16:59 ET (21:59 UTC) until the 17:00 CT open (23:00 UTC);
   * Friday's window runs to Sunday's open. */
  o = order ("ES", EA_SIDE_BUY, 1, ES_LAST - 8);
  g_assert_true (ea_risk_engine_check (e, 0, &o, utc (24, 21, 58), &d));
  g_assert_false (ea_risk_engine_check (e, 0, &o, utc (24, 21, 59), &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_FLAT_BY);
  g_assert_false (ea_risk_engine_check (e, 0, &o, utc (24, 22, 59), &d));
  g_assert_true (ea_risk_engine_check (e, 0, &o, utc (24, 23, 0), &d));
  g_assert_false (ea_risk_engine_check (e, 0, &o, utc (28, 12, 0), &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_FLAT_BY);
  g_assert_true (ea_risk_engine_check (e, 0, &o, utc (29, 23, 1), &d));

  /* Holding a position into the flat-by time raises one event. */
  ea_risk_engine_set_position (e, 0, ea_instrument_lookup ("ES"), 1, ES_LAST, TRUE, ES_LAST - 8);
  g_assert_false (ea_risk_engine_update_equity (e, 0, USD (50000), USD (50000), utc (30, 21, 58))
                  & EA_RISK_EVENT_FLAT_BY_DUE);
  g_assert_true (ea_risk_engine_update_equity (e, 0, USD (50000), USD (50000), utc (30, 21, 59))
                 & EA_RISK_EVENT_FLAT_BY_DUE);
  g_assert_false (ea_risk_engine_update_equity (e, 0, USD (50000), USD (50000), utc (30, 22, 10))
                  & EA_RISK_EVENT_FLAT_BY_DUE);
  {
    EaRiskStatus s;

    ea_risk_engine_get_status (e, 0, utc (30, 22, 10), &s);
    g_assert_true (s.flat_by_due);
  }

  /* Reconciling blocks entries. */
  ea_risk_engine_set_reconciling (e, 0, TRUE);
  g_assert_false (ea_risk_engine_check (e, 0, &o, utc (1, 15, 0) + 30 * G_TIME_SPAN_DAY, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_RECONCILING);
}

/* A broker-side restriction: locked denies every entry with its own
 * reason, liquidation only lets reducing orders through; exits and
 * cancels always pass; lifted, the account is ACTIVE again. */
static void
test_broker_restriction (void)
{
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = NULL;
  EaRiskOrder entry = order ("ES", EA_SIDE_BUY, 1, ES_LAST - 8);
  EaRiskOrder exit_order = order ("ES", EA_SIDE_SELL, 1, ES_LAST + 8);
  EaRiskOrder cancel = { .action = EA_RISK_ORDER_CANCEL };
  EaRiskDecision d;
  EaRiskStatus s;
  EaTimeUs now = TUE_0900_CT + 60 * G_USEC_PER_SEC;

  apex_legacy (&p, 50, 2500, 10, 5);
  e = engine_with (&p, EA_SAFETY_DEFAULT);
  ea_risk_engine_set_position (e, 0, es, 1, ES_LAST, TRUE, ES_LAST - 8);
  exit_order.has_stop = FALSE;

  ea_risk_engine_set_broker_restriction (e, 0, EA_BROKER_RESTRICTION_LOCKED, "LockTradingImmediately");
  ea_risk_engine_get_status (e, 0, now, &s);
  g_assert_cmpint (s.state, ==, EA_TRADING_STATE_LOCKED);
  g_assert_cmpint (s.broker_restriction, ==, EA_BROKER_RESTRICTION_LOCKED);
  g_assert_cmpstr (s.broker_text, ==, "LockTradingImmediately");
  g_assert_cmpint (s.lock_until, ==, 0);
  g_assert_false (ea_risk_engine_check (e, 0, &entry, now, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_BROKER_LOCKED);
  g_assert_true (ea_risk_engine_check (e, 0, &exit_order, now, &d));
  g_assert_true (ea_risk_engine_check (e, 0, &cancel, now, &d));

  ea_risk_engine_set_broker_restriction (e, 0, EA_BROKER_RESTRICTION_LIQUIDATION_ONLY, "LiquidateOnlyModeImmediately");
  ea_risk_engine_get_status (e, 0, now, &s);
  g_assert_cmpint (s.state, ==, EA_TRADING_STATE_REDUCING);
  g_assert_false (ea_risk_engine_check (e, 0, &entry, now, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_LIQUIDATION_ONLY);
  g_assert_cmpint (d.allowed_qty, ==, 0);
  g_assert_true (ea_risk_engine_check (e, 0, &exit_order, now, &d));

  /* The desk's own lock is still told as such under the broker's. */
  ea_risk_engine_lock_account (e, 0, now + (EaTimeUs) 3600 * G_USEC_PER_SEC, "test lock");
  ea_risk_engine_set_broker_restriction (e, 0, EA_BROKER_RESTRICTION_LOCKED, NULL);
  g_assert_false (ea_risk_engine_check (e, 0, &entry, now, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_LOCKED);

  ea_risk_engine_set_broker_restriction (e, 0, EA_BROKER_RESTRICTION_NONE, "ignored");
  ea_risk_engine_get_status (e, 0, now + (EaTimeUs) 7200 * G_USEC_PER_SEC, &s);
  g_assert_cmpint (s.state, ==, EA_TRADING_STATE_ACTIVE);
  g_assert_cmpint (s.broker_restriction, ==, EA_BROKER_RESTRICTION_NONE);
  g_assert_null (s.broker_text);
  g_assert_true (ea_risk_engine_check (e, 0, &entry, now + (EaTimeUs) 7200 * G_USEC_PER_SEC, &d));
}

/* Tighten any time; loosen only while flat and not locked. */
static void
test_tighten_loosen (void)
{
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  EaRiskProfile p, q;
  g_autoptr(EaRiskEngine) e = NULL;
  g_autoptr(GError) error = NULL;
  EaRiskStatus s;

  apex_legacy (&p, 50, 2500, 10, 5);
  e = engine_with (&p, EA_SAFETY_DEFAULT);
  ea_risk_engine_set_position (e, 0, es, 1, ES_LAST, TRUE, ES_LAST - 8);

  q = p;
  q.trailing_amount = USD (3000);
  g_assert_false (ea_risk_engine_set_profile (e, 0, &q, TUE_0900_CT, &error));
  g_assert_error (error, EA_RISK_ERROR, EA_RISK_ERROR_LOOSEN);
  g_clear_error (&error);
  g_assert_false (ea_risk_engine_set_safety (e, 0, 90, TUE_0900_CT, &error));
  g_assert_error (error, EA_RISK_ERROR, EA_RISK_ERROR_LOOSEN);
  g_clear_error (&error);

  q.trailing_amount = USD (2000);
  g_assert_true (ea_risk_engine_set_profile (e, 0, &q, TUE_0900_CT, &error));
  g_assert_no_error (error);
  ea_risk_engine_get_status (e, 0, TUE_0900_CT, &s);
  g_assert_cmpint (s.floor, ==, USD (48000));
  g_assert_true (ea_risk_engine_set_safety (e, 0, EA_SAFETY_CONSERVATIVE, TUE_0900_CT, NULL));
  ea_risk_engine_get_status (e, 0, TUE_0900_CT, &s);
  g_assert_cmpint (s.effective_floor, ==, USD (49000));

  /* Flat and unlocked: loosening is allowed. */
  ea_risk_engine_set_position (e, 0, es, 0, NAN, FALSE, 0);
  g_assert_true (ea_risk_engine_set_profile (e, 0, &p, TUE_0900_CT, NULL));
  g_assert_true (ea_risk_engine_set_safety (e, 0, 100, TUE_0900_CT, NULL));
  ea_risk_engine_get_status (e, 0, TUE_0900_CT, &s);
  g_assert_cmpint (s.effective_floor, ==, USD (47500));

  /* Flat but locked (an account lock, then the global one): loosening is
   * refused and nothing changes; tightening still works. */
  {
    EaRiskProfile loose = p;
    EaTimeUs later = TUE_0900_CT + 10;

    loose.trailing_amount = USD (3000);
    ea_risk_engine_set_safety (e, 0, EA_SAFETY_DEFAULT, TUE_0900_CT, NULL);
    /* 80 % of 2,500: the effective floor is 48,000; reach it. */
    g_assert_true (ea_risk_engine_update_equity (e, 0, USD (48000), USD (48000), later) & EA_RISK_EVENT_LOCKED);
    ea_risk_engine_get_status (e, 0, later, &s);
    g_assert_cmpint (s.state, ==, EA_TRADING_STATE_LOCKED);
    g_assert_false (ea_risk_engine_set_profile (e, 0, &loose, later, &error));
    g_assert_error (error, EA_RISK_ERROR, EA_RISK_ERROR_LOOSEN);
    g_assert_nonnull (strstr (error->message, "lock"));
    g_clear_error (&error);
    g_assert_false (ea_risk_engine_set_safety (e, 0, 100, later, &error));
    g_assert_error (error, EA_RISK_ERROR, EA_RISK_ERROR_LOOSEN);
    g_clear_error (&error);
    ea_risk_engine_get_status (e, 0, later, &s);
    g_assert_cmpint (ea_risk_engine_get_profile (e, 0)->trailing_amount, ==, USD (2500));
    g_assert_cmpuint (s.safety_pct, ==, EA_SAFETY_DEFAULT);
    g_assert_cmpint (s.floor, ==, USD (47500));
    g_assert_true (ea_risk_engine_set_safety (e, 0, EA_SAFETY_MODERATE, later, &error));
    g_assert_no_error (error);

    /* After the lock expires the account is loosened again … */
    ea_risk_engine_update_equity (e, 0, USD (50000), USD (50000), utc (24, 23, 1));
    ea_risk_engine_get_status (e, 0, utc (24, 23, 1), &s);
    g_assert_cmpint (s.state, ==, EA_TRADING_STATE_ACTIVE);
    /* … unless the global lock holds. */
    ea_risk_engine_lock (e, utc (25, 23, 0), "emergency stop");
    g_assert_false (ea_risk_engine_set_safety (e, 0, 100, utc (24, 23, 2), &error));
    g_assert_error (error, EA_RISK_ERROR, EA_RISK_ERROR_LOOSEN);
    g_clear_error (&error);
    g_assert_false (ea_risk_engine_set_profile (e, 0, &loose, utc (24, 23, 2), &error));
    g_assert_error (error, EA_RISK_ERROR, EA_RISK_ERROR_LOOSEN);
    g_clear_error (&error);
    g_assert_true (ea_risk_engine_reset (e, utc (25, 23, 0), NULL));
    g_assert_true (ea_risk_engine_set_safety (e, 0, 100, utc (25, 23, 1), &error));
    g_assert_no_error (error);
  }

  /* An invalid profile is refused whole. */
  q = p;
  q.max_contracts = 0;
  g_assert_false (ea_risk_engine_set_profile (e, 0, &q, TUE_0900_CT, &error));
  g_assert_error (error, EA_RISK_PROFILE_ERROR, EA_RISK_PROFILE_ERROR_INVALID);
  g_assert_cmpuint (ea_risk_engine_get_profile (e, 0)->max_contracts, ==, 10);
}

/* A breached, failed account stays locked across save/restore. */
static void
test_record_roundtrip (void)
{
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = NULL;
  g_autoptr(EaRiskEngine) r = NULL;
  g_autoptr(GVariant) rec = NULL;
  g_autoptr(GVariant) rec2 = NULL;
  g_autoptr(GError) error = NULL;
  EaRiskStatus s1, s2;
  EaRiskDecision d;
  EaRiskOrder o;
  EaRiskEvents ev;

  apex_legacy (&p, 50, 2500, 10, 5);
  e = engine_with (&p, 100);
  g_assert_cmpint (ea_risk_engine_add_account (e, "B", &p, 70, TUE_0900_CT, NULL), ==, 1);
  ea_risk_engine_set_position (e, 1, es, -2, ES_LAST, TRUE, ES_LAST + 8);
  ea_risk_engine_update_equity (e, 1, USD (50500), USD (50400), TUE_0900_CT + 1);
  ea_risk_engine_update_equity (e, 0, USD (51200), USD (51200), TUE_0900_CT + 1);
  ev = ea_risk_engine_update_equity (e, 0, USD (48700), USD (48700), TUE_0900_CT + 2);
  g_assert_true (ev & EA_RISK_EVENT_FAILED);

  rec = ea_risk_engine_save (e);
  r = ea_risk_engine_restore (rec, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  rec2 = ea_risk_engine_save (r);
  g_assert_true (g_variant_equal (rec, rec2));

  for (guint i = 0; i < 2; i++)
    {
      ea_risk_engine_get_status (e, i, TUE_0900_CT + 3, &s1);
      ea_risk_engine_get_status (r, i, TUE_0900_CT + 3, &s2);
      g_assert_cmpint (s1.state, ==, s2.state);
      g_assert_cmpint (s1.floor, ==, s2.floor);
      g_assert_cmpint (s1.peak, ==, s2.peak);
      g_assert_cmpint (s1.effective_floor, ==, s2.effective_floor);
      g_assert_cmpint (s1.day_pnl, ==, s2.day_pnl);
      g_assert_cmpint (s1.open_risk, ==, s2.open_risk);
      g_assert_cmpint (s1.lock_until, ==, s2.lock_until);
    }
  ea_risk_engine_get_status (r, 0, utc (30, 15, 0), &s2);
  g_assert_true (s2.failed);
  g_assert_cmpint (s2.state, ==, EA_TRADING_STATE_LOCKED); /* a week later, still */
  o = order ("ES", EA_SIDE_BUY, 1, ES_LAST - 8);
  g_assert_false (ea_risk_engine_check (r, 0, &o, utc (30, 15, 0), &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_LOCKED);

  /* A damaged record restores nothing and names the field. */
  {
    GVariantDict dict;
    g_autoptr(GVariant) accounts = NULL;
    g_autoptr(GVariant) acct0 = NULL;
    g_autoptr(GVariant) bad = NULL;
    GVariantDict adict;
    GVariantBuilder arr;
    g_autoptr(EaRiskEngine) none = NULL;

    g_variant_dict_init (&dict, rec);
    accounts = g_variant_dict_lookup_value (&dict, "accounts", NULL);
    acct0 = g_variant_get_child_value (accounts, 0);
    g_variant_dict_init (&adict, acct0);
    g_variant_dict_insert (&adict, "peak", "s", "lots");
    g_variant_builder_init (&arr, G_VARIANT_TYPE ("aa{sv}"));
    g_variant_builder_add_value (&arr, g_variant_dict_end (&adict));
    g_variant_dict_insert_value (&dict, "accounts", g_variant_builder_end (&arr));
    bad = g_variant_ref_sink (g_variant_dict_end (&dict));
    none = ea_risk_engine_restore (bad, &error);
    g_assert_null (none);
    g_assert_error (error, EA_RISK_ERROR, EA_RISK_ERROR_MALFORMED);
    g_assert_nonnull (strstr (error->message, "accounts[0].peak"));
  }
}

static void
test_consistency_and_margin (void)
{
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = NULL;
  EaRiskStatus s;

  apex_legacy (&p, 50, 2500, 10, 5);
  e = engine_with (&p, 100);
  /* Tuesday +1,000, Wednesday +500, Thursday so far +300. */
  ea_risk_engine_update_equity (e, 0, USD (51000), USD (51000), utc (24, 16, 0));
  ea_risk_engine_update_equity (e, 0, USD (51500), USD (51500), utc (25, 16, 0));
  ea_risk_engine_update_equity (e, 0, USD (51800), USD (51800), utc (26, 16, 0));
  ea_risk_engine_get_status (e, 0, utc (26, 16, 0), &s);
  g_assert_cmpfloat_with_epsilon (s.best_day_share, 1000.0 / 1800.0, 1e-12);
  g_assert_false (s.consistency_ok);

  ea_risk_engine_set_position (e, 0, es, 4, ES_LAST, TRUE, ES_LAST - 8);
  ea_risk_engine_get_status (e, 0, utc (26, 16, 0), &s);
  g_assert_cmpint (s.margin_used, ==, es->day_margin * 4);
  g_assert_cmpint (s.margin_status, ==, EA_MARGIN_SAFE);
  g_assert_cmpfloat (s.contracts_in_use, ==, 4.0);
  /* 4 × (8 + 1) × 12.50 */
  g_assert_cmpint (s.open_risk, ==, USD (450));
  /* 11,800 of 51,800 is 22.8 %: WARNING and low; 9,800 is 18.9 %: DANGER. */
  ea_risk_engine_set_margin_used (e, 0, USD (40000));
  ea_risk_engine_get_status (e, 0, utc (26, 16, 0), &s);
  g_assert_cmpint (s.margin_status, ==, EA_MARGIN_WARNING);
  g_assert_true (s.low_margin);
  ea_risk_engine_set_margin_used (e, 0, USD (42000));
  ea_risk_engine_get_status (e, 0, utc (26, 16, 0), &s);
  g_assert_cmpint (s.margin_status, ==, EA_MARGIN_DANGER);
}

/* The floor by mode on 50,000 with 2,500: (balance, equity) → floor. */
static void
test_floor_modes (void)
{
  static const struct {
    EaTrailingMode mode;
    double balance, equity, floor;
  } rows[] = {
    { EA_TRAILING_INTRADAY_REALIZED, 50000, 51000, 47500 }, /* open profit does not count */
    { EA_TRAILING_INTRADAY_REALIZED, 51000, 51000, 48500 },
    { EA_TRAILING_INTRADAY_REALIZED, 50500, 52000, 48500 },
    { EA_TRAILING_STATIC,            50000, 51000, 47500 },
    { EA_TRAILING_STATIC,            53000, 53000, 47500 },
    { EA_TRAILING_STATIC,            49000, 49000, 47500 },
    { EA_TRAILING_EOD,               51000, 52000, 47500 }, /* intraday: no move */
  };
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = NULL;
  EaTrailingMode mode = (EaTrailingMode) -1;

  ea_risk_profile_init_defaults (&p);
  p.trailing_amount = USD (2500);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      EaRiskStatus s;

      if (rows[i].mode != mode)
        {
          mode = p.trailing_mode = rows[i].mode;
          g_clear_pointer (&e, ea_risk_engine_free);
          e = engine_with (&p, 100);
        }
      ea_risk_engine_update_equity (e, 0, USD (rows[i].balance), USD (rows[i].equity), TUE_0900_CT + i);
      ea_risk_engine_get_status (e, 0, TUE_0900_CT + i, &s);
      g_assert_cmpint (s.floor, ==, USD (rows[i].floor));
      g_assert_false (s.floor_locked);
    }
}

/* Bad input gives an error and changes nothing. */
static void
test_bad_input (void)
{
  EaRiskProfile p, bad;
  g_autoptr(EaRiskEngine) e = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) junk = g_variant_ref_sink (g_variant_new_string ("not a record"));
  EaRiskDecision d;
  EaRiskOrder o = { 0 };

  ea_risk_profile_init_defaults (&p);
  e = engine_with (&p, 100);

  bad = p;
  bad.trailing_amount = 0;
  g_assert_cmpint (ea_risk_engine_add_account (e, "X", &bad, 100, TUE_0900_CT, &error), ==, -1);
  g_assert_error (error, EA_RISK_PROFILE_ERROR, EA_RISK_PROFILE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "trailing_amount: "));
  g_clear_error (&error);
  g_assert_cmpint (ea_risk_engine_add_account (e, "X", &p, 101, TUE_0900_CT, &error), ==, -1);
  g_assert_error (error, EA_RISK_ERROR, EA_RISK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (ea_risk_engine_add_account (e, "A", &p, 100, TUE_0900_CT, &error), ==, -1);
  g_assert_error (error, EA_RISK_ERROR, EA_RISK_ERROR_DUPLICATE);
  g_clear_error (&error);
  for (guint i = 1; i < EA_RISK_MAX_ACCOUNTS; i++)
    {
      g_autofree char *id = g_strdup_printf ("acct-%u", i);

      g_assert_cmpint (ea_risk_engine_add_account (e, id, &p, 100, TUE_0900_CT, NULL), ==, (gint) i);
    }
  g_assert_cmpint (ea_risk_engine_add_account (e, "one-too-many", &p, 100, TUE_0900_CT, &error), ==, -1);
  g_assert_error (error, EA_RISK_ERROR, EA_RISK_ERROR_FULL);
  g_clear_error (&error);
  g_assert_cmpuint (ea_risk_engine_get_n_accounts (e), ==, EA_RISK_MAX_ACCOUNTS);

  /* Orders without an instrument, with no quantity, or for no account. */
  o.action = EA_RISK_ORDER_NEW;
  o.side = EA_SIDE_BUY;
  o.qty = 1;
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_BAD_ORDER);
  o.spec = ea_instrument_lookup ("ES");
  o.qty = 0;
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_BAD_ORDER);
  o.qty = 1;
  g_assert_false (ea_risk_engine_check (e, 99, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_BAD_ORDER);
  /* A market order on a root with no last price. */
  o.spec = ea_instrument_lookup ("GC");
  g_assert_false (ea_risk_engine_check (e, 0, &o, TUE_0900_CT, &d));
  g_assert_cmpint (d.reason, ==, EA_RISK_NO_PRICE);

  g_assert_null (ea_risk_engine_restore (junk, &error));
  g_assert_error (error, EA_RISK_ERROR, EA_RISK_ERROR_MALFORMED);
}

/* A demo account reset: a breached, locked account with a raised floor
 * and a closed losing day starts again at the profile's start; its
 * profile, safety ratio and fees stay, another account is untouched. */
static void
test_reset_account (void)
{
  EaRiskProfile p;
  g_autoptr(EaRiskEngine) e = NULL;
  g_autoptr(GError) error = NULL;
  EaRiskStatus s, other_before, other_after;
  EaRiskEvents ev;
  EaRiskOrder o = order ("ES", EA_SIDE_BUY, 1, ES_LAST - 8);
  EaRiskDecision d;
  EaTimeUs now = TUE_0900_CT;

  apex_legacy (&p, 50, 2500, 10, 5);
  e = engine_with (&p, 80);
  g_assert_cmpint (ea_risk_engine_add_account (e, "B", &p, 80, now, &error), ==, 1);
  ea_risk_engine_set_fees (e, 0, USD (2.5));
  ea_risk_engine_update_equity (e, 1, USD (50500), USD (50500), now);
  ea_risk_engine_get_status (e, 1, now, &other_before);

  /* A peak raises the floor, then a loss past the effective floor locks. */
  ea_risk_engine_update_equity (e, 0, USD (50000), USD (51000), now);
  ea_risk_engine_set_position (e, 0, ea_instrument_lookup ("ES"), 1, ES_LAST, FALSE, 0);
  ev = ea_risk_engine_update_equity (e, 0, USD (50000), USD (48800), now + 1);
  g_assert_true (ev & EA_RISK_EVENT_BREACH);
  ea_risk_engine_get_status (e, 0, now + 1, &s);
  g_assert_cmpint (s.state, ==, EA_TRADING_STATE_LOCKED);
  g_assert_cmpint (s.floor, ==, USD (48500));
  g_assert_cmpint (s.day_pnl, <, 0);
  g_assert_false (ea_risk_engine_check (e, 0, &o, now + 2, &d));

  ea_risk_engine_reset_account (e, 0, now + 3);
  ea_risk_engine_get_status (e, 0, now + 3, &s);
  g_assert_cmpint (s.state, ==, EA_TRADING_STATE_ACTIVE);
  g_assert_false (s.failed);
  g_assert_cmpint (s.lock_until, ==, 0);
  g_assert_cmpint (s.balance, ==, USD (50000));
  g_assert_cmpint (s.equity, ==, USD (50000));
  g_assert_cmpint (s.peak, ==, USD (50000));
  g_assert_cmpint (s.floor, ==, USD (47500));
  g_assert_cmpint (s.effective_floor, ==, USD (48000));
  g_assert_cmpint (s.day_pnl, ==, 0);
  g_assert_cmpfloat (s.contracts_in_use, ==, 0.0);
  g_assert_cmpuint (s.days_traded, ==, 0);
  g_assert_cmpuint (s.safety_pct, ==, 80);
  g_assert_cmpstr (ea_risk_engine_get_profile (e, 0)->id, ==, "apex-legacy-50k");
  g_assert_true (ea_risk_engine_check (e, 0, &o, now + 4, &d));

  ea_risk_engine_get_status (e, 1, now + 3, &other_after);
  g_assert_cmpint (other_after.balance, ==, other_before.balance);
  g_assert_cmpint (other_after.peak, ==, other_before.peak);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/risk/apex-legacy/trailing", test_apex_legacy_trailing);
  g_test_add_func ("/risk/apex-legacy/sizes", test_apex_legacy_sizes);
  g_test_add_func ("/risk/apex-legacy/contracts", test_apex_legacy_contracts);
  g_test_add_func ("/risk/trailing-floor-denial", test_trailing_floor_denial);
  g_test_add_func ("/risk/apex-4/eod-daily-pause", test_apex4_eod);
  g_test_add_func ("/risk/safety-ratio", test_safety_ratio);
  g_test_add_func ("/risk/hedging", test_hedging);
  g_test_add_func ("/risk/rate-limit", test_rate_limit);
  g_test_add_func ("/risk/working-orders", test_working_orders);
  g_test_add_func ("/risk/working-orders/loss", test_working_orders_loss);
  g_test_add_func ("/risk/working-orders/full", test_working_orders_full);
  g_test_add_func ("/risk/modify", test_modify);
  g_test_add_func ("/risk/locked-allows-cancel-and-exit", test_locked_allows_cancel_and_exit);
  g_test_add_func ("/risk/account-lock", test_account_lock);
  g_test_add_func ("/risk/order-rules", test_order_rules);
  g_test_add_func ("/risk/tighten-loosen", test_tighten_loosen);
  g_test_add_func ("/risk/broker-restriction", test_broker_restriction);
  g_test_add_func ("/risk/record-roundtrip", test_record_roundtrip);
  g_test_add_func ("/risk/consistency-and-margin", test_consistency_and_margin);
  g_test_add_func ("/risk/floor-modes", test_floor_modes);
  g_test_add_func ("/risk/bad-input", test_bad_input);
  g_test_add_func ("/risk/reset-account", test_reset_account);

  return g_test_run ();
}
