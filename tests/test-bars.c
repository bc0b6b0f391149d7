/* test-bars.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ea-bars.h"

#define SEC(s) ((EaTimeUs) (s) * G_USEC_PER_SEC)

static void
assert_bar (const EaBar *bar,
            EaTimeUs     start,
            EaTimeUs     end,
            EaTicks      o,
            EaTicks      h,
            EaTicks      l,
            EaTicks      c,
            gint64       volume,
            gint64       n_ticks)
{
  g_assert_cmpint (bar->start, ==, start);
  g_assert_cmpint (bar->end, ==, end);
  g_assert_cmpint (bar->open, ==, o);
  g_assert_cmpint (bar->high, ==, h);
  g_assert_cmpint (bar->low, ==, l);
  g_assert_cmpint (bar->close, ==, c);
  g_assert_cmpint (bar->volume, ==, volume);
  g_assert_cmpint (bar->n_ticks, ==, n_ticks);
}

static void
test_time_bars_minute (void)
{
  EaBarSpec spec = ea_bar_spec_time (SEC (60), 0);
  g_autoptr(EaBarBuilder) b = NULL;
  g_autoptr(GError) error = NULL;
  EaBar bar;

  b = ea_bar_builder_new (&spec, &error);
  g_assert_no_error (error);
  g_assert_null (ea_bar_builder_peek_forming (b));
  g_assert_false (ea_bar_builder_flush (b, &bar));

  g_assert_false (ea_bar_builder_push (b, SEC (0), 100, 1, &bar));
  g_assert_false (ea_bar_builder_push (b, SEC (10), 102, 2, &bar));
  g_assert_false (ea_bar_builder_push (b, SEC (60) - 1, 99, 1, &bar));
  assert_bar (ea_bar_builder_peek_forming (b), 0, SEC (60), 100, 102, 99, 99, 4, 3);

  /* The first trade of the next minute closes the first bar. */
  g_assert_true (ea_bar_builder_push (b, SEC (60), 101, 5, &bar));
  assert_bar (&bar, 0, SEC (60), 100, 102, 99, 99, 4, 3);
  assert_bar (ea_bar_builder_peek_forming (b), SEC (60), SEC (120), 101, 101, 101, 101, 5, 1);

  /* No trades in [120, 180): no bar for that minute. */
  g_assert_true (ea_bar_builder_push (b, SEC (200), 103, 7, &bar));
  assert_bar (&bar, SEC (60), SEC (120), 101, 101, 101, 101, 5, 1);
  assert_bar (ea_bar_builder_peek_forming (b), SEC (180), SEC (240), 103, 103, 103, 103, 7, 1);

  /* A late print belongs to the forming bar; closed bars never change. */
  g_assert_false (ea_bar_builder_push (b, SEC (100), 90, 1, &bar));
  assert_bar (ea_bar_builder_peek_forming (b), SEC (180), SEC (240), 103, 103, 90, 90, 8, 2);

  /* Advancing the clock closes the forming bar only at its end. */
  g_assert_false (ea_bar_builder_close_until (b, SEC (240) - 1, &bar));
  g_assert_true (ea_bar_builder_close_until (b, SEC (240), &bar));
  assert_bar (&bar, SEC (180), SEC (240), 103, 103, 90, 90, 8, 2);
  g_assert_null (ea_bar_builder_peek_forming (b));
  g_assert_false (ea_bar_builder_close_until (b, SEC (1000), &bar));

  /* Zero-volume prints count as ticks. */
  g_assert_false (ea_bar_builder_push (b, SEC (241), 104, 0, &bar));
  assert_bar (ea_bar_builder_peek_forming (b), SEC (240), SEC (300), 104, 104, 104, 104, 0, 1);

  ea_bar_builder_reset (b);
  g_assert_null (ea_bar_builder_peek_forming (b));
}

static void
test_time_bars_alignment (void)
{
  static const struct {
    EaTimeUs period;
    EaTimeUs origin;
    EaTimeUs t;
    EaTimeUs start;
  } cases[] = {
    /* 2026-11-24 12:03:17.5 UTC = 1795521797.5 s */
    { SEC (300),   0, SEC (1795521797) + 500000, SEC (1795521600) },
    { SEC (1),     0, SEC (1795521797) + 500000, SEC (1795521797) },
    { SEC (3600),  0, SEC (1795521797),          SEC (1795521600) },
    { SEC (86400), 0, SEC (1795521797),          SEC (1795478400) },
    /* Before the epoch: floor, not truncation. */
    { SEC (60),    0, -1,                        SEC (-60) },
    { SEC (60),    0, SEC (-60),                 SEC (-60) },
    { SEC (60),    0, SEC (-61),                 SEC (-120) },
    /* A daily bar from 22:00 UTC (17:00 CDT): 21:59 belongs to the day before. */
    { SEC (86400), SEC (22 * 3600), SEC (1795478400 + 21 * 3600 + 3599), SEC (1795478400 - 2 * 3600) },
    { SEC (86400), SEC (22 * 3600), SEC (1795478400 + 22 * 3600),        SEC (1795478400 + 22 * 3600) },
    /* An origin far from the data is equivalent to one close to it. */
    { SEC (90),    SEC (30) + SEC (90) * 1000000, SEC (100), SEC (30) },
    { SEC (90),    SEC (30), SEC (29), SEC (-60) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      EaBarSpec spec = ea_bar_spec_time (cases[i].period, cases[i].origin);
      g_autoptr(EaBarBuilder) b = ea_bar_builder_new (&spec, NULL);
      const EaBar *forming;

      g_assert_nonnull (b);
      ea_bar_builder_push (b, cases[i].t, 1, 1, NULL);
      forming = ea_bar_builder_peek_forming (b);
      g_assert_cmpint (forming->start, ==, cases[i].start);
      g_assert_cmpint (forming->end, ==, cases[i].start + cases[i].period);
    }
}

/* Trading days starting at 22:00 UTC, then one 25-hour day from
 * @switch_at (a 22:00 UTC boundary), then days starting at 23:00 UTC: the
 * way 17:00 America/Chicago moves when daylight saving time ends. */
static void
trading_day_bounds (EaTimeUs  t,
                    EaTimeUs *start,
                    EaTimeUs *end,
                    gpointer  user_data)
{
  EaTimeUs switch_at = *(EaTimeUs *) user_data;
  EaTimeUs offset;

  if (t >= switch_at && t < switch_at + SEC (25 * 3600))
    {
      *start = switch_at;
      *end = switch_at + SEC (25 * 3600);
      return;
    }
  offset = t < switch_at ? SEC (22 * 3600) : SEC (23 * 3600);
  *start = (t - offset) / SEC (86400) * SEC (86400) + offset;
  *end = *start + SEC (86400);
}

static void
test_time_bars_boundary_func (void)
{
  EaTimeUs day0 = SEC (1794268800); /* 2026-11-10 00:00 UTC */
  EaTimeUs *switch_at = g_new (EaTimeUs, 1);
  g_autoptr(EaBarBuilder) b = NULL;
  const EaBar *forming;
  EaBar bar;

  *switch_at = day0 + SEC (86400) + SEC (22 * 3600);
  b = ea_bar_builder_new_with_boundaries (trading_day_bounds, switch_at, g_free);

  g_assert_false (ea_bar_builder_push (b, day0 + SEC (23 * 3600), 10, 1, &bar));
  forming = ea_bar_builder_peek_forming (b);
  g_assert_cmpint (forming->start, ==, day0 + SEC (22 * 3600));
  g_assert_cmpint (forming->end, ==, *switch_at);
  g_assert_false (ea_bar_builder_push (b, day0 + SEC (86400 + 21 * 3600), 12, 1, &bar));

  g_assert_true (ea_bar_builder_push (b, *switch_at + SEC (1800), 8, 1, &bar));
  assert_bar (&bar, day0 + SEC (22 * 3600), *switch_at, 10, 12, 10, 12, 2, 2);

  /* 24.5 hours later is still the long day. */
  g_assert_false (ea_bar_builder_push (b, *switch_at + SEC (24 * 3600 + 1800), 9, 1, &bar));
  g_assert_false (ea_bar_builder_close_until (b, *switch_at + SEC (25 * 3600) - 1, &bar));
  g_assert_true (ea_bar_builder_push (b, day0 + SEC (2 * 86400 + 23 * 3600), 11, 2, &bar));
  assert_bar (&bar, *switch_at, *switch_at + SEC (25 * 3600), 8, 9, 8, 9, 2, 2);
  forming = ea_bar_builder_peek_forming (b);
  g_assert_cmpint (forming->start, ==, day0 + SEC (2 * 86400 + 23 * 3600));
  g_assert_cmpint (forming->end, ==, day0 + SEC (3 * 86400 + 23 * 3600));
}

static void
test_range_bars (void)
{
  EaBarSpec spec = ea_bar_spec_range (EA_BAR_DEFAULT_RANGE);
  g_autoptr(EaBarBuilder) b = ea_bar_builder_new (&spec, NULL);
  static const EaTicks up[] = { 100, 101, 102, 101, 99, 97, 103 };
  EaBar bar;

  g_assert_cmpint (EA_BAR_DEFAULT_RANGE, ==, 4);
  /* |price - open| < 4 keeps the bar open, even with high - low = 6. */
  for (guint i = 0; i < G_N_ELEMENTS (up); i++)
    g_assert_false (ea_bar_builder_push (b, SEC (i), up[i], 1, &bar));
  assert_bar (ea_bar_builder_peek_forming (b), 0, SEC (6), 100, 103, 97, 103, 7, 7);

  /* open + 4 closes the bar at exactly that price. */
  g_assert_true (ea_bar_builder_push (b, SEC (7), 104, 2, &bar));
  assert_bar (&bar, 0, SEC (7), 100, 104, 97, 104, 9, 8);
  g_assert_null (ea_bar_builder_peek_forming (b));

  /* The next bar opens at the next trade; open - 4 closes downwards. */
  g_assert_false (ea_bar_builder_push (b, SEC (8), 104, 1, &bar));
  g_assert_false (ea_bar_builder_push (b, SEC (9), 101, 1, &bar));
  g_assert_true (ea_bar_builder_push (b, SEC (10), 100, 1, &bar));
  assert_bar (&bar, SEC (8), SEC (10), 104, 104, 100, 100, 3, 3);

  /* A gap beyond open + 4 closes the bar at the real gap price, with no
   * phantom bars; the gap trade's volume stays in that bar. */
  g_assert_false (ea_bar_builder_push (b, SEC (11), 100, 1, &bar));
  g_assert_true (ea_bar_builder_push (b, SEC (12), 113, 6, &bar));
  assert_bar (&bar, SEC (11), SEC (12), 100, 113, 100, 113, 7, 2);
  g_assert_null (ea_bar_builder_peek_forming (b));
  g_assert_false (ea_bar_builder_push (b, SEC (13), 112, 1, &bar));
  assert_bar (ea_bar_builder_peek_forming (b), SEC (13), SEC (13), 112, 112, 112, 112, 1, 1);

  /* Range bars ignore the clock. */
  g_assert_false (ea_bar_builder_close_until (b, SEC (100000), &bar));
  g_assert_true (ea_bar_builder_flush (b, &bar));
  assert_bar (&bar, SEC (13), SEC (13), 112, 112, 112, 112, 1, 1);
}

static void
test_negative_prices (void)
{
  /* CL traded at -37.63 on 2020-04-20: ticks of 0.01 go negative. */
  EaBarSpec range = ea_bar_spec_range (4);
  EaBarSpec minute = ea_bar_spec_time (SEC (60), 0);
  g_autoptr(EaBarBuilder) r = ea_bar_builder_new (&range, NULL);
  g_autoptr(EaBarBuilder) m = ea_bar_builder_new (&minute, NULL);
  EaBar bar;

  g_assert_false (ea_bar_builder_push (r, 0, -3760, 1, &bar));
  g_assert_false (ea_bar_builder_push (r, 1, -3763, 1, &bar));
  g_assert_true (ea_bar_builder_push (r, 2, -3764, 1, &bar));
  assert_bar (&bar, 0, 2, -3760, -3760, -3764, -3764, 3, 3);
  g_assert_false (ea_bar_builder_push (r, 3, 2, 1, &bar));
  g_assert_true (ea_bar_builder_push (r, 4, -2, 1, &bar));
  assert_bar (&bar, 3, 4, 2, 2, -2, -2, 2, 2);

  ea_bar_builder_push (m, 0, 5, 1, &bar);
  ea_bar_builder_push (m, 1, -3763, 1, &bar);
  ea_bar_builder_push (m, 2, 1, 1, &bar);
  assert_bar (ea_bar_builder_peek_forming (m), 0, SEC (60), 5, 5, -3763, 1, 3, 3);
}

static void
test_batch (void)
{
  static const EaTrade trades[] = {
    { SEC (0),  100, 1 },
    { SEC (1),  101, 2 },
    { SEC (2),  104, 3 },   /* closes a 4R bar */
    { SEC (61), 104, 4 },
    { SEC (62), 108, 5 },   /* closes a 4R bar */
    { SEC (63), 107, 6 },
  };
  EaBarSpec range = ea_bar_spec_range (4);
  EaBarSpec minute = ea_bar_spec_time (SEC (60), 0);
  EaBarSpec bad = ea_bar_spec_range (0);
  EaTrade negative = { 0, 1, -1 };
  g_autoptr(GArray) bars = NULL;
  g_autoptr(GError) error = NULL;

  bars = ea_bars_from_trades (&range, trades, G_N_ELEMENTS (trades), FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bars->len, ==, 2);
  assert_bar (&g_array_index (bars, EaBar, 0), SEC (0), SEC (2), 100, 104, 100, 104, 6, 3);
  assert_bar (&g_array_index (bars, EaBar, 1), SEC (61), SEC (62), 104, 108, 104, 108, 9, 2);
  g_clear_pointer (&bars, g_array_unref);

  bars = ea_bars_from_trades (&range, trades, G_N_ELEMENTS (trades), TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bars->len, ==, 3);
  assert_bar (&g_array_index (bars, EaBar, 2), SEC (63), SEC (63), 107, 107, 107, 107, 6, 1);
  g_clear_pointer (&bars, g_array_unref);

  bars = ea_bars_from_trades (&minute, trades, G_N_ELEMENTS (trades), TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bars->len, ==, 2);
  assert_bar (&g_array_index (bars, EaBar, 0), 0, SEC (60), 100, 104, 100, 104, 6, 3);
  assert_bar (&g_array_index (bars, EaBar, 1), SEC (60), SEC (120), 104, 108, 104, 107, 15, 3);
  g_clear_pointer (&bars, g_array_unref);

  /* Empty input: no bars, with or without the forming one. */
  bars = ea_bars_from_trades (&minute, NULL, 0, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bars->len, ==, 0);
  g_clear_pointer (&bars, g_array_unref);

  bars = ea_bars_from_trades (&bad, trades, G_N_ELEMENTS (trades), TRUE, &error);
  g_assert_error (error, EA_BARS_ERROR, EA_BARS_ERROR_INVALID_SPEC);
  g_assert_null (bars);
  g_clear_error (&error);

  bars = ea_bars_from_trades (&minute, &negative, 1, TRUE, &error);
  g_assert_error (error, EA_BARS_ERROR, EA_BARS_ERROR_INVALID_TRADE);
  g_assert_null (bars);
}

static void
test_spec_parse (void)
{
  static const struct {
    const char *str;
    gboolean    ok;
    EaBarKind   kind;
    gint64      value;   /* period in s, or range in ticks */
    const char *canonical;
  } cases[] = {
    { "1s",      TRUE, EA_BAR_KIND_TIME, 1, "1s" },
    { "30s",     TRUE, EA_BAR_KIND_TIME, 30, "30s" },
    { "90s",     TRUE, EA_BAR_KIND_TIME, 90, "90s" },
    { "60s",     TRUE, EA_BAR_KIND_TIME, 60, "1m" },
    { "5m",      TRUE, EA_BAR_KIND_TIME, 300, "5m" },
    { "1h",      TRUE, EA_BAR_KIND_TIME, 3600, "1h" },
    { "4h",      TRUE, EA_BAR_KIND_TIME, 14400, "4h" },
    { "1d",      TRUE, EA_BAR_KIND_TIME, 86400, "1d" },
    { "1440m",   TRUE, EA_BAR_KIND_TIME, 86400, "1d" },
    { "4R",      TRUE, EA_BAR_KIND_RANGE, 4, "4R" },
    { "12r",     TRUE, EA_BAR_KIND_RANGE, 12, "12R" },
    { "range:4", TRUE, EA_BAR_KIND_RANGE, 4, "4R" },
    { "RANGE:8", TRUE, EA_BAR_KIND_RANGE, 8, "8R" },
    { "",        FALSE },
    { "0s",      FALSE },
    { "2d",      FALSE },
    { "86401s",  FALSE },
    { "999999us", FALSE },
    { "5",       FALSE },
    { "5x",      FALSE },
    { "m5",      FALSE },
    { "-1m",     FALSE },
    { "+1m",     FALSE },
    { " 1m",     FALSE },
    { "1m ",     FALSE },
    { "0R",      FALSE },
    { "4R5",     FALSE },
    { "range:",  FALSE },
    { "range:0", FALSE },
    { "range:4R", FALSE },
    { "99999999999999999999s", FALSE },
    { "1000001R", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      EaBarSpec spec = ea_bar_spec_range (99);
      g_autoptr(GError) error = NULL;
      gboolean ok = ea_bar_spec_parse (cases[i].str, &spec, &error);

      g_test_message ("%s", cases[i].str);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (!ok)
        {
          g_assert_error (error, EA_BARS_ERROR, EA_BARS_ERROR_INVALID_SPEC);
          g_assert_cmpint (spec.range, ==, 99);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpint (spec.kind, ==, cases[i].kind);
      if (spec.kind == EA_BAR_KIND_TIME)
        {
          g_assert_cmpint (spec.period, ==, SEC (cases[i].value));
          g_assert_cmpint (spec.origin, ==, 0);
        }
      else
        g_assert_cmpint (spec.range, ==, cases[i].value);
      {
        g_autofree char *formatted = ea_bar_spec_format (&spec);
        g_assert_cmpstr (formatted, ==, cases[i].canonical);
      }
    }

  {
    EaBarSpec spec = ea_bar_spec_time (1500000, 0);
    g_autofree char *formatted = ea_bar_spec_format (&spec);
    EaBarSpec back;

    g_assert_cmpstr (formatted, ==, "1500000us");
    g_assert_true (ea_bar_spec_parse (formatted, &back, NULL));
    g_assert_cmpint (back.period, ==, 1500000);
  }
  {
    EaBarSpec spec;
    g_autoptr(GError) error = NULL;

    g_assert_false (ea_bar_spec_parse (NULL, &spec, &error));
    g_assert_error (error, EA_BARS_ERROR, EA_BARS_ERROR_INVALID_SPEC);
  }
}

static void
test_invalid_specs (void)
{
  const EaBarSpec specs[] = {
    ea_bar_spec_time (SEC (1) - 1, 0),
    ea_bar_spec_time (SEC (86400) + 1, 0),
    ea_bar_spec_time (0, 0),
    ea_bar_spec_time (-SEC (60), 0),
    ea_bar_spec_range (0),
    ea_bar_spec_range (-4),
    ea_bar_spec_range (EA_BAR_MAX_RANGE + 1),
    { (EaBarKind) 7, SEC (60), 0, 4 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EaBarBuilder) b = ea_bar_builder_new (&specs[i], &error);

      g_assert_null (b);
      g_assert_error (error, EA_BARS_ERROR, EA_BARS_ERROR_INVALID_SPEC);
      g_clear_error (&error);
      g_assert_false (ea_bar_spec_validate (&specs[i], &error));
      g_assert_error (error, EA_BARS_ERROR, EA_BARS_ERROR_INVALID_SPEC);
    }

  /* The limits themselves are valid. */
  {
    const EaBarSpec ok[] = {
      ea_bar_spec_time (SEC (1), 0),
      ea_bar_spec_time (SEC (86400), 0),
      ea_bar_spec_range (1),
      ea_bar_spec_range (EA_BAR_MAX_RANGE),
    };

    for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
      {
        g_autoptr(GError) error = NULL;

        g_assert_true (ea_bar_spec_validate (&ok[i], &error));
        g_assert_no_error (error);
      }
  }
}

/* Random trades: a walk with occasional gaps, random time steps (some
 * zero, some across many periods) and random volumes. */
static EaTrade *
random_trades (GRand *rand,
               gsize  n,
               gint   max_step)
{
  EaTrade *trades = g_new (EaTrade, n);
  EaTimeUs t = SEC (1795521600) + g_rand_int_range (rand, 0, 1000000);
  EaTicks price = g_rand_int_range (rand, -50, 50);

  for (gsize i = 0; i < n; i++)
    {
      gint r = g_rand_int_range (rand, 0, 1000);

      if (r < 5)
        t += SEC (g_rand_int_range (rand, 60, 7200));
      else if (r < 300)
        ;
      else
        t += g_rand_int_range (rand, 1, 2000000);
      if (max_step > 1 && g_rand_int_range (rand, 0, 100) == 0)
        price += g_rand_int_range (rand, -20 * max_step, 20 * max_step + 1);
      else
        price += g_rand_int_range (rand, -max_step, max_step + 1);
      trades[i].time = t;
      trades[i].price = price;
      trades[i].volume = g_rand_int_range (rand, 0, 50);
    }
  return trades;
}

static void
check_conservation (const EaTrade *trades,
                    gsize          n,
                    GArray        *bars)
{
  gint64 trade_volume = 0, bar_volume = 0, bar_ticks = 0;

  for (gsize i = 0; i < n; i++)
    trade_volume += trades[i].volume;
  for (guint i = 0; i < bars->len; i++)
    {
      const EaBar *bar = &g_array_index (bars, EaBar, i);

      g_assert_cmpint (bar->low, <=, bar->open);
      g_assert_cmpint (bar->low, <=, bar->close);
      g_assert_cmpint (bar->high, >=, bar->open);
      g_assert_cmpint (bar->high, >=, bar->close);
      g_assert_cmpint (bar->n_ticks, >=, 1);
      bar_volume += bar->volume;
      bar_ticks += bar->n_ticks;
    }
  g_assert_cmpint (bar_volume, ==, trade_volume);
  g_assert_cmpint (bar_ticks, ==, (gint64) n);
}

static void
test_property_time_bars (void)
{
  const gsize n = 100000;
  static const EaTimeUs periods[] = { SEC (1), SEC (7), SEC (60), SEC (300), SEC (3600), SEC (86400) };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261124);
  g_autofree EaTrade *trades = random_trades (rand, n, 3);

  for (guint p = 0; p < G_N_ELEMENTS (periods); p++)
    {
      EaTimeUs origin = p % 2 ? SEC (1234) : 0;
      EaBarSpec spec = ea_bar_spec_time (periods[p], origin);
      g_autoptr(GArray) bars = ea_bars_from_trades (&spec, trades, n, TRUE, NULL);
      g_autoptr(GHashTable) buckets = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

      check_conservation (trades, n, bars);

      /* Independent reference: volume per aligned period. */
      for (gsize i = 0; i < n; i++)
        {
          gint64 k = (trades[i].time - origin) / periods[p];
          gint64 *vol = g_hash_table_lookup (buckets, &k);

          if (vol == NULL)
            {
              gint64 *key = g_memdup2 (&k, sizeof k);

              vol = g_new0 (gint64, 1);
              g_hash_table_insert (buckets, key, vol);
            }
          *vol += trades[i].volume;
        }
      g_assert_cmpuint (bars->len, ==, g_hash_table_size (buckets));
      for (guint i = 0; i < bars->len; i++)
        {
          const EaBar *bar = &g_array_index (bars, EaBar, i);
          gint64 k = (bar->start - origin) / periods[p];

          g_assert_cmpint ((bar->start - origin) % periods[p], ==, 0);
          g_assert_cmpint (bar->end - bar->start, ==, periods[p]);
          if (i > 0)
            g_assert_cmpint (bar->start, >=, g_array_index (bars, EaBar, i - 1).end);
          g_assert_cmpint (*(gint64 *) g_hash_table_lookup (buckets, &k), ==, bar->volume);
        }
    }
}

static void
test_property_range_bars (void)
{
  const gsize n = 100000;
  static const EaTicks ranges[] = { 1, 2, 4, 10, 37 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);

  for (guint tick_walk = 0; tick_walk < 2; tick_walk++)
    {
      g_autofree EaTrade *trades = random_trades (rand, n, tick_walk ? 1 : 6);

      for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
        {
          EaTicks N = ranges[r];
          EaBarSpec spec = ea_bar_spec_range (N);
          g_autoptr(GArray) bars = ea_bars_from_trades (&spec, trades, n, TRUE, NULL);
          gsize first = 0;

          check_conservation (trades, n, bars);
          for (guint i = 0; i < bars->len; i++)
            {
              const EaBar *bar = &g_array_index (bars, EaBar, i);
              gboolean last = i + 1 == bars->len;
              EaTicks moved = bar->close - bar->open;

              /* Bars follow the trades in order, without overlap. */
              g_assert_cmpint (bar->open, ==, trades[first].price);
              g_assert_cmpint (bar->start, ==, trades[first].time);
              first += bar->n_ticks;
              g_assert_cmpint (bar->close, ==, trades[first - 1].price);
              g_assert_cmpint (bar->end, ==, trades[first - 1].time);
              if (!last)
                g_assert_cmpint (ABS (moved), >=, N);
              /* Every price but the closing one stays within open ± (N - 1). */
              g_assert_cmpint (bar->high, <=, MAX (bar->open + N - 1, bar->close));
              g_assert_cmpint (bar->low, >=, MIN (bar->open - N + 1, bar->close));
              /* Tick by tick, a bar closes at exactly open ± N. */
              if (tick_walk && !last)
                g_assert_cmpint (ABS (moved), ==, N);
            }
          g_assert_cmpuint (first, ==, n);
        }
    }
}

static void
test_incremental_equals_batch (void)
{
  const gsize n = 20000;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree EaTrade *trades = random_trades (rand, n, 2);
  const EaBarSpec specs[] = { ea_bar_spec_time (SEC (60), 0), ea_bar_spec_range (4) };

  for (guint s = 0; s < G_N_ELEMENTS (specs); s++)
    {
      g_autoptr(GArray) bars = ea_bars_from_trades (&specs[s], trades, n, FALSE, NULL);
      g_autoptr(EaBarBuilder) b = ea_bar_builder_new (&specs[s], NULL);
      guint j = 0;
      EaBar bar;

      for (gsize i = 0; i < n; i++)
        {
          if (ea_bar_builder_push (b, trades[i].time, trades[i].price, trades[i].volume, &bar))
            {
              g_assert_cmpuint (j, <, bars->len);
              g_assert_cmpmem (&bar, sizeof bar, &g_array_index (bars, EaBar, j), sizeof bar);
              j++;
            }
        }
      g_assert_cmpuint (j, ==, bars->len);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bars/time/minute", test_time_bars_minute);
  g_test_add_func ("/bars/time/alignment", test_time_bars_alignment);
  g_test_add_func ("/bars/time/boundary-func", test_time_bars_boundary_func);
  g_test_add_func ("/bars/range/basic", test_range_bars);
  g_test_add_func ("/bars/negative-prices", test_negative_prices);
  g_test_add_func ("/bars/batch", test_batch);
  g_test_add_func ("/bars/spec/parse", test_spec_parse);
  g_test_add_func ("/bars/spec/invalid", test_invalid_specs);
  g_test_add_func ("/bars/property/time", test_property_time_bars);
  g_test_add_func ("/bars/property/range", test_property_range_bars);
  g_test_add_func ("/bars/incremental-equals-batch", test_incremental_equals_batch);

  return g_test_run ();
}
