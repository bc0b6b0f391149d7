/* test-contract.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Expected dates are worked by hand from the CME rules with weekends as the
 * only non-business days (see ea-instrument.h).
 */
#include "config.h"

#include "ea-instrument.h"

static EaContract
contract (const char *root,
          guint       year,
          guint       month)
{
  EaContract c = { ea_instrument_lookup (root), (guint16) year, (guint8) month };

  g_assert_nonnull (c.spec);
  return c;
}

static void
test_contract_month_codes (void)
{
  const char *codes = "FGHJKMNQUVXZ";

  for (guint m = 1; m <= 12; m++)
    {
      g_assert_cmpint (ea_contract_month_code (m), ==, codes[m - 1]);
      g_assert_cmpuint (ea_contract_month_from_code (codes[m - 1]), ==, m);
      g_assert_cmpuint (ea_contract_month_from_code (g_ascii_tolower (codes[m - 1])), ==, m);
    }
  g_assert_cmpint (ea_contract_month_code (0), ==, 0);
  g_assert_cmpint (ea_contract_month_code (13), ==, 0);
  g_assert_cmpuint (ea_contract_month_from_code ('A'), ==, 0);
  g_assert_cmpuint (ea_contract_month_from_code ('I'), ==, 0);
  g_assert_cmpuint (ea_contract_month_from_code ('6'), ==, 0);
  g_assert_cmpuint (ea_contract_month_from_code (0), ==, 0);

  g_assert_true (ea_instrument_lists_month (ea_instrument_lookup ("ES"), 12));
  g_assert_false (ea_instrument_lists_month (ea_instrument_lookup ("ES"), 1));
  g_assert_true (ea_instrument_lists_month (ea_instrument_lookup ("CL"), 1));
  g_assert_true (ea_instrument_lists_month (ea_instrument_lookup ("GC"), 2));
  g_assert_false (ea_instrument_lists_month (ea_instrument_lookup ("GC"), 3));
  g_assert_false (ea_instrument_lists_month (ea_instrument_lookup ("GC"), 0));
  g_assert_false (ea_instrument_lists_month (ea_instrument_lookup ("GC"), 14));
}

static void
test_contract_dates (void)
{
  static const struct {
    const char *root;
    guint year, month;
    guint32 last_trade;
    guint32 roll;
    int ey, emo, ed, eh, emi;  /* expiry instant, UTC */
  } cases[] = {
    /* Equity index: 3rd Friday, 09:30 ET; roll 8 days earlier. */
    { "ES",  2026, 12, 20261218, 20261210, 2026, 12, 18, 14, 30 },
    { "ES",  2027, 3,  20270319, 20270311, 2027, 3, 19, 13, 30 },  /* EDT from March 14 */
    { "ES",  2026, 3,  20260320, 20260312, 2026, 3, 20, 13, 30 },
    { "MES", 2026, 3,  20260320, 20260312, 2026, 3, 20, 13, 30 },
    { "NQ",  2026, 6,  20260619, 20260611, 2026, 6, 19, 13, 30 },
    { "YM",  2026, 9,  20260918, 20260910, 2026, 9, 18, 13, 30 },
    { "M2K", 2026, 12, 20261218, 20261210, 2026, 12, 18, 14, 30 },
    /* Treasuries: 7th business day before the last business day, 12:01 CT;
     * roll 5 business days before the first business day of the month. */
    { "ZN",  2026, 3,  20260320, 20260223, 2026, 3, 20, 17, 1 },
    { "ZN",  2026, 9,  20260921, 20260825, 2026, 9, 21, 17, 1 },
    { "ZB",  2026, 12, 20261222, 20261124, 2026, 12, 22, 18, 1 },
    /* 6E: 2 business days before the 3rd Wednesday, 09:16 CT; roll 5
     * business days before that. */
    { "6E",  2026, 12, 20261214, 20261207, 2026, 12, 14, 15, 16 },
    { "6E",  2026, 3,  20260316, 20260309, 2026, 3, 16, 14, 16 },
    /* CL: 3 business days before the 25th of the prior month (4 when the
     * 25th is a weekend day), 13:30 CT; roll 5 business days before. */
    { "CL",  2026, 12, 20261120, 20261113, 2026, 11, 20, 19, 30 },
    { "CL",  2026, 11, 20261020, 20261013, 2026, 10, 20, 18, 30 }, /* Oct 25 is a Sunday */
    { "CL",  2027, 2,  20270120, 20270113, 2027, 1, 20, 19, 30 },
    { "CL",  2027, 1,  20261222, 20261215, 2026, 12, 22, 19, 30 }, /* the prior month is in 2026 */
    { "MCL", 2026, 12, 20261119, 20261113, 2026, 11, 19, 19, 30 },
    { "MCL", 2026, 11, 20261019, 20261013, 2026, 10, 19, 18, 30 },
    /* Gold: 3rd last business day, 12:30 CT; roll 5 business days before
     * the first business day of the month. */
    { "GC",  2026, 12, 20261229, 20261124, 2026, 12, 29, 18, 30 },
    { "GC",  2027, 2,  20270224, 20270125, 2027, 2, 24, 18, 30 },  /* Feb 28 2027 is a Sunday */
    { "MGC", 2026, 4,  20260428, 20260325, 2026, 4, 28, 17, 30 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      EaContract c = contract (cases[i].root, cases[i].year, cases[i].month);
      g_autoptr(GDateTime) expiry = ea_contract_expiry (&c);
      g_autoptr(GDateTime) want = g_date_time_new_utc (cases[i].ey, cases[i].emo, cases[i].ed,
                                                       cases[i].eh, cases[i].emi, 0);

      g_test_message ("%s %u-%02u", cases[i].root, cases[i].year, cases[i].month);
      g_assert_cmpuint (ea_contract_last_trade_day (&c), ==, cases[i].last_trade);
      g_assert_cmpuint (ea_contract_roll_day (&c), ==, cases[i].roll);
      g_assert_true (g_date_time_equal (expiry, want));
    }
}

static void
test_contract_next_and_front (void)
{
  static const struct {
    const char *root;
    guint32 day;
    guint year, month;
  } fronts[] = {
    { "ES",  20261124, 2026, 12 },
    { "ES",  20261209, 2026, 12 },
    { "ES",  20261210, 2027, 3 },  /* the roll day itself */
    { "ES",  20261231, 2027, 3 },
    { "ES",  20260101, 2026, 3 },
    { "ES",  20260115, 2026, 3 },
    { "MNQ", 20260312, 2026, 6 },
    { "CL",  20261112, 2026, 12 },
    { "CL",  20261113, 2027, 1 },
    { "CL",  20261124, 2027, 1 },
    { "MCL", 20261124, 2027, 1 },
    { "CL",  20261231, 2027, 2 },
    { "GC",  20261123, 2026, 12 },
    { "GC",  20261124, 2027, 2 },
    { "GC",  20260115, 2026, 2 },
    { "ZN",  20261124, 2027, 3 },
    { "ZN",  20261123, 2026, 12 },
    { "6E",  20261206, 2026, 12 },
    { "6E",  20261207, 2027, 3 },
    { "ES",  20000101, 2000, 3 },
  };
  static const guint32 bad_days[] = { 0, 20261332, 20260230, 19991231, 99999999, 20991231 };
  EaContract c;
  EaContract next;

  for (guint i = 0; i < G_N_ELEMENTS (fronts); i++)
    {
      EaContract front = { NULL, 0, 0 };

      g_test_message ("%s %u", fronts[i].root, fronts[i].day);
      g_assert_true (ea_contract_front (ea_instrument_lookup (fronts[i].root), fronts[i].day, &front));
      g_assert_true (front.spec == ea_instrument_lookup (fronts[i].root));
      g_assert_cmpuint (front.year, ==, fronts[i].year);
      g_assert_cmpuint (front.month, ==, fronts[i].month);
      g_assert_cmpuint (ea_contract_roll_day (&front), >, fronts[i].day);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad_days); i++)
    {
      EaContract front = contract ("ES", 2026, 12);

      g_assert_false (ea_contract_front (ea_instrument_lookup ("ES"), bad_days[i], &front));
      g_assert_cmpuint (front.year, ==, 2026);
    }

  c = contract ("ES", 2026, 12);
  ea_contract_next (&c, &next);
  g_assert_cmpuint (next.year, ==, 2027);
  g_assert_cmpuint (next.month, ==, 3);
  c = contract ("CL", 2026, 12);
  ea_contract_next (&c, &next);
  g_assert_cmpuint (next.year, ==, 2027);
  g_assert_cmpuint (next.month, ==, 1);
  c = contract ("GC", 2027, 2);
  ea_contract_next (&c, &next);
  g_assert_cmpuint (next.year, ==, 2027);
  g_assert_cmpuint (next.month, ==, 4);
  ea_contract_next (&next, &next);
  g_assert_cmpuint (next.month, ==, 6);

  /* Every root, every listed contract from 2001 to 2098: rolls come before
   * the last trade day, and both increase from one contract to the next. */
  {
    const EaInstrumentSpec *all;
    guint n = 0;

    all = ea_instrument_all (&n);
    for (guint i = 0; i < n; i++)
      {
        g_assert_true (ea_contract_front (&all[i], 20010101, &c));
        while (c.year < 2098)
          {
            ea_contract_next (&c, &next);
            g_assert_cmpuint (ea_contract_roll_day (&c), <, ea_contract_last_trade_day (&c));
            g_assert_cmpuint (ea_contract_roll_day (&c), <, ea_contract_roll_day (&next));
            g_assert_cmpuint (ea_contract_last_trade_day (&c), <, ea_contract_last_trade_day (&next));
            c = next;
          }
      }
  }
}

static void
test_contract_init (void)
{
  g_autoptr(GError) error = NULL;
  EaContract c = { NULL, 0, 0 };

  g_assert_true (ea_contract_init (&c, ea_instrument_lookup ("GC"), 2026, 8, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c.month, ==, 8);

  g_assert_false (ea_contract_init (&c, ea_instrument_lookup ("GC"), 2026, 9, &error));
  g_assert_error (error, EA_INSTRUMENT_ERROR, EA_INSTRUMENT_ERROR_BAD_MONTH);
  g_clear_error (&error);
  g_assert_false (ea_contract_init (&c, ea_instrument_lookup ("ES"), 2026, 0, &error));
  g_assert_error (error, EA_INSTRUMENT_ERROR, EA_INSTRUMENT_ERROR_BAD_MONTH);
  g_clear_error (&error);
  g_assert_false (ea_contract_init (&c, ea_instrument_lookup ("ES"), 2100, 3, &error));
  g_assert_error (error, EA_INSTRUMENT_ERROR, EA_INSTRUMENT_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_assert_false (ea_contract_init (&c, ea_instrument_lookup ("ES"), 1999, 3, &error));
  g_assert_error (error, EA_INSTRUMENT_ERROR, EA_INSTRUMENT_ERROR_OUT_OF_RANGE);
  g_assert_cmpuint (c.month, ==, 8);
}

static void
test_contract_parse (void)
{
  static const struct {
    const char *symbol;
    EaSymbology symbology;
    guint32 reference;
    const char *root;
    guint year, month;
  } good[] = {
    { "ESZ6",     EA_SYMBOLOGY_TRADOVATE,   20261124, "ES",  2026, 12 },
    { "ESH7",     EA_SYMBOLOGY_TRADOVATE,   20261124, "ES",  2027, 3 },
    { "ESZ6",     EA_SYMBOLOGY_TRADOVATE,   20290601, "ES",  2036, 12 },
    { "ESZ6",     EA_SYMBOLOGY_TRADOVATE,   20261218, "ES",  2026, 12 }, /* on its last trade day */
    { "ESZ6",     EA_SYMBOLOGY_TRADOVATE,   20261219, "ES",  2036, 12 },
    { "ESH6",     EA_SYMBOLOGY_TRADOVATE,   20261124, "ES",  2036, 3 },
    { "MESZ6",    EA_SYMBOLOGY_TRADOVATE,   20261124, "MES", 2026, 12 },
    { "MNQH7",    EA_SYMBOLOGY_IBKR,        20261124, "MNQ", 2027, 3 },
    { "M2KZ6",    EA_SYMBOLOGY_TRADOVATE,   20261124, "M2K", 2026, 12 },
    { "6EZ6",     EA_SYMBOLOGY_IBKR,        20261124, "6E",  2026, 12 },
    { "esz6",     EA_SYMBOLOGY_TRADOVATE,   20261124, "ES",  2026, 12 },
    { "Mgcg7",    EA_SYMBOLOGY_TRADOVATE,   20261124, "MGC", 2027, 2 },
    { "CLF7",     EA_SYMBOLOGY_TRADOVATE,   20261124, "CL",  2027, 1 },
    { "CLZ6",     EA_SYMBOLOGY_TRADOVATE,   20261124, "CL",  2036, 12 }, /* expired November 20 */
    { "CLF7",     EA_SYMBOLOGY_TRADOVATE,   20261222, "CL",  2027, 1 },
    { "ZNH0",     EA_SYMBOLOGY_TRADOVATE,   20261124, "ZN",  2030, 3 },
    { "ESZ5",     EA_SYMBOLOGY_TRADOVATE,   20951201, "ES",  2095, 12 },
    { "ESZ26",    EA_SYMBOLOGY_CME,         0,        "ES",  2026, 12 },
    { "MESH27",   EA_SYMBOLOGY_CME,         0,        "MES", 2027, 3 },
    { "6EZ26",    EA_SYMBOLOGY_CME,         0,        "6E",  2026, 12 },
    { "M2KM26",   EA_SYMBOLOGY_CME,         0,        "M2K", 2026, 6 },
    { "ZNH00",    EA_SYMBOLOGY_CME,         0,        "ZN",  2000, 3 },
    { "gcz99",    EA_SYMBOLOGY_CME,         0,        "GC",  2099, 12 },
    { "ES 12-26", EA_SYMBOLOGY_NINJATRADER, 0,        "ES",  2026, 12 },
    { "MES 03-27", EA_SYMBOLOGY_NINJATRADER, 0,       "MES", 2027, 3 },
    { "6E 12-26", EA_SYMBOLOGY_NINJATRADER, 0,        "6E",  2026, 12 },
    { "CL 01-27", EA_SYMBOLOGY_NINJATRADER, 0,        "CL",  2027, 1 },
    { "mym 09-26", EA_SYMBOLOGY_NINJATRADER, 0,       "MYM", 2026, 9 },
  };
  static const struct {
    const char *symbol;
    EaSymbology symbology;
    guint32 reference;
    int code;
  } bad[] = {
    { "",          EA_SYMBOLOGY_TRADOVATE,   20261124, EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES",        EA_SYMBOLOGY_TRADOVATE,   20261124, EA_INSTRUMENT_ERROR_MALFORMED },
    { "Z6",        EA_SYMBOLOGY_TRADOVATE,   20261124, EA_INSTRUMENT_ERROR_MALFORMED },
    { "ESZ",       EA_SYMBOLOGY_TRADOVATE,   20261124, EA_INSTRUMENT_ERROR_MALFORMED },
    { "ESZ26",     EA_SYMBOLOGY_TRADOVATE,   20261124, EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES Z6",     EA_SYMBOLOGY_TRADOVATE,   20261124, EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES+Z6",     EA_SYMBOLOGY_TRADOVATE,   20261124, EA_INSTRUMENT_ERROR_MALFORMED },
    { " ESZ6",     EA_SYMBOLOGY_TRADOVATE,   20261124, EA_INSTRUMENT_ERROR_MALFORMED },
    { "ESZ6 ",     EA_SYMBOLOGY_TRADOVATE,   20261124, EA_INSTRUMENT_ERROR_MALFORMED },
    { "\xc3\xa9SZ6", EA_SYMBOLOGY_TRADOVATE, 20261124, EA_INSTRUMENT_ERROR_MALFORMED },
    { "XXZ6",      EA_SYMBOLOGY_TRADOVATE,   20261124, EA_INSTRUMENT_ERROR_UNKNOWN_ROOT },
    { "ZFZ6",      EA_SYMBOLOGY_TRADOVATE,   20261124, EA_INSTRUMENT_ERROR_UNKNOWN_ROOT },
    { "EZ6",       EA_SYMBOLOGY_TRADOVATE,   20261124, EA_INSTRUMENT_ERROR_UNKNOWN_ROOT },
    { "MESSZ6",    EA_SYMBOLOGY_TRADOVATE,   20261124, EA_INSTRUMENT_ERROR_UNKNOWN_ROOT },
    { "ESF6",      EA_SYMBOLOGY_TRADOVATE,   20261124, EA_INSTRUMENT_ERROR_BAD_MONTH },
    { "ESA6",      EA_SYMBOLOGY_TRADOVATE,   20261124, EA_INSTRUMENT_ERROR_BAD_MONTH },
    { "GCH7",      EA_SYMBOLOGY_TRADOVATE,   20261124, EA_INSTRUMENT_ERROR_BAD_MONTH },
    { "ESZ6",      EA_SYMBOLOGY_TRADOVATE,   0,        EA_INSTRUMENT_ERROR_OUT_OF_RANGE },
    { "ESZ6",      EA_SYMBOLOGY_TRADOVATE,   20261332, EA_INSTRUMENT_ERROR_OUT_OF_RANGE },
    { "ESH5",      EA_SYMBOLOGY_TRADOVATE,   20951201, EA_INSTRUMENT_ERROR_OUT_OF_RANGE },
    { "ESZ9",      EA_SYMBOLOGY_TRADOVATE,   19990101, EA_INSTRUMENT_ERROR_OUT_OF_RANGE },
    { "ESZ6",      EA_SYMBOLOGY_CME,         0,        EA_INSTRUMENT_ERROR_MALFORMED },
    { "ESZ2A",     EA_SYMBOLOGY_CME,         0,        EA_INSTRUMENT_ERROR_MALFORMED },
    { "ESZ260",    EA_SYMBOLOGY_CME,         0,        EA_INSTRUMENT_ERROR_MALFORMED },
    { "Z26",       EA_SYMBOLOGY_CME,         0,        EA_INSTRUMENT_ERROR_MALFORMED },
    { "ESF26",     EA_SYMBOLOGY_CME,         0,        EA_INSTRUMENT_ERROR_BAD_MONTH },
    { "QQZ26",     EA_SYMBOLOGY_CME,         0,        EA_INSTRUMENT_ERROR_UNKNOWN_ROOT },
    { "ES 13-26",  EA_SYMBOLOGY_NINJATRADER, 0,        EA_INSTRUMENT_ERROR_BAD_MONTH },
    { "ES 00-26",  EA_SYMBOLOGY_NINJATRADER, 0,        EA_INSTRUMENT_ERROR_BAD_MONTH },
    { "ES 01-26",  EA_SYMBOLOGY_NINJATRADER, 0,        EA_INSTRUMENT_ERROR_BAD_MONTH },
    { "ES 12/26",  EA_SYMBOLOGY_NINJATRADER, 0,        EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES 1-26",   EA_SYMBOLOGY_NINJATRADER, 0,        EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES12-26",   EA_SYMBOLOGY_NINJATRADER, 0,        EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES  12-26", EA_SYMBOLOGY_NINJATRADER, 0,        EA_INSTRUMENT_ERROR_MALFORMED },
    { " 12-26",    EA_SYMBOLOGY_NINJATRADER, 0,        EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES 12-2026", EA_SYMBOLOGY_NINJATRADER, 0,       EA_INSTRUMENT_ERROR_MALFORMED },
    { "ES 12-2x",  EA_SYMBOLOGY_NINJATRADER, 0,        EA_INSTRUMENT_ERROR_MALFORMED },
    { "XX 12-26",  EA_SYMBOLOGY_NINJATRADER, 0,        EA_INSTRUMENT_ERROR_UNKNOWN_ROOT },
    { "ESZ6",      (EaSymbology) 42,         20261124, EA_INSTRUMENT_ERROR_MALFORMED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      EaContract c = { NULL, 0, 0 };

      g_test_message ("“%s”", good[i].symbol);
      g_assert_true (ea_contract_parse (good[i].symbol, good[i].symbology, good[i].reference, &c, &error));
      g_assert_no_error (error);
      g_assert_true (c.spec == ea_instrument_lookup (good[i].root));
      g_assert_cmpuint (c.year, ==, good[i].year);
      g_assert_cmpuint (c.month, ==, good[i].month);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      EaContract c = { NULL, 7, 7 };

      g_test_message ("“%s”", bad[i].symbol);
      g_assert_false (ea_contract_parse (bad[i].symbol, bad[i].symbology, bad[i].reference, &c, &error));
      g_assert_error (error, EA_INSTRUMENT_ERROR, bad[i].code);
      g_assert_null (c.spec);
      g_assert_cmpuint (c.year, ==, 7);
    }

  {
    g_autoptr(GError) error = NULL;
    EaContract c = { NULL, 7, 7 };

    g_assert_false (ea_contract_parse (NULL, EA_SYMBOLOGY_CME, 0, &c, &error));
    g_assert_error (error, EA_INSTRUMENT_ERROR, EA_INSTRUMENT_ERROR_MALFORMED);
  }
}

static void
test_contract_parse_any (void)
{
  static const struct {
    const char *symbol;
    EaSymbology symbology;
    const char *root;
    guint year, month;
  } cases[] = {
    { "ES 12-26", EA_SYMBOLOGY_NINJATRADER, "ES",  2026, 12 },
    { "ESZ26",    EA_SYMBOLOGY_CME,         "ES",  2026, 12 },
    { "6EZ26",    EA_SYMBOLOGY_CME,         "6E",  2026, 12 },
    { "ESZ6",     EA_SYMBOLOGY_TRADOVATE,   "ES",  2026, 12 },
    { "M2KH7",    EA_SYMBOLOGY_TRADOVATE,   "M2K", 2027, 3 },
    { "6EH7",     EA_SYMBOLOGY_TRADOVATE,   "6E",  2027, 3 },
  };
  static const char * const bad[] = { "", "ES", "ESZ", "6E", "ES 12", "XXZ26", "ESF6", "12-26", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      EaContract c = { NULL, 0, 0 };
      EaSymbology symbology = (EaSymbology) -1;

      g_assert_true (ea_contract_parse_any (cases[i].symbol, 20261124, &c, &symbology, &error));
      g_assert_no_error (error);
      g_assert_cmpint (symbology, ==, cases[i].symbology);
      g_assert_true (c.spec == ea_instrument_lookup (cases[i].root));
      g_assert_cmpuint (c.year, ==, cases[i].year);
      g_assert_cmpuint (c.month, ==, cases[i].month);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      EaContract c = { NULL, 0, 0 };

      g_assert_false (ea_contract_parse_any (bad[i], 20261124, &c, NULL, &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == EA_INSTRUMENT_ERROR);
    }
}

static void
test_contract_format (void)
{
  EaContract c = contract ("MES", 2026, 12);
  EaContract zn = contract ("ZN", 2030, 3);
  g_autofree char *tradovate = ea_contract_format (&c, EA_SYMBOLOGY_TRADOVATE);
  g_autofree char *ibkr = ea_contract_format (&c, EA_SYMBOLOGY_IBKR);
  g_autofree char *cme = ea_contract_format (&c, EA_SYMBOLOGY_CME);
  g_autofree char *nt = ea_contract_format (&c, EA_SYMBOLOGY_NINJATRADER);
  g_autofree char *zn_cme = ea_contract_format (&zn, EA_SYMBOLOGY_CME);
  g_autofree char *zn_nt = ea_contract_format (&zn, EA_SYMBOLOGY_NINJATRADER);
  g_autofree char *zn_tv = ea_contract_format (&zn, EA_SYMBOLOGY_TRADOVATE);

  g_assert_cmpstr (tradovate, ==, "MESZ6");
  g_assert_cmpstr (ibkr, ==, "MESZ6");
  g_assert_cmpstr (cme, ==, "MESZ26");
  g_assert_cmpstr (nt, ==, "MES 12-26");
  g_assert_cmpstr (zn_cme, ==, "ZNH30");
  g_assert_cmpstr (zn_nt, ==, "ZN 03-30");
  g_assert_cmpstr (zn_tv, ==, "ZNH0");
}

/* Seeded property: for every root and listed contract, each symbology's
 * form parses back to the same contract; the one-digit year resolves
 * correctly from any reference day in the ten years before expiry. */
static void
test_contract_symbol_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (26);
  static const EaSymbology symbologies[] = {
    EA_SYMBOLOGY_TRADOVATE, EA_SYMBOLOGY_CME, EA_SYMBOLOGY_NINJATRADER, EA_SYMBOLOGY_IBKR,
  };
  const EaInstrumentSpec *all;
  guint n = 0;

  all = ea_instrument_all (&n);
  for (guint k = 0; k < 5000; k++)
    {
      const EaInstrumentSpec *spec = &all[g_rand_int_range (rand, 0, n)];
      EaContract c;
      guint32 last_trade;
      GDate ref;

      g_assert_true (ea_contract_front (spec, 20120101 + 10000 * g_rand_int_range (rand, 0, 80)
                                               + 100 * g_rand_int_range (rand, 0, 12)
                                               + g_rand_int_range (rand, 0, 28), &c));
      last_trade = ea_contract_last_trade_day (&c);
      g_date_clear (&ref, 1);
      g_date_set_dmy (&ref, last_trade % 100, last_trade / 100 % 100, last_trade / 10000);
      g_date_subtract_days (&ref, g_rand_int_range (rand, 0, 3600));

      for (guint s = 0; s < G_N_ELEMENTS (symbologies); s++)
        {
          g_autofree char *symbol = ea_contract_format (&c, symbologies[s]);
          g_autoptr(GError) error = NULL;
          EaContract back = { NULL, 0, 0 };
          EaSymbology found;
          guint32 ref_day = g_date_get_year (&ref) * 10000 + g_date_get_month (&ref) * 100
                            + g_date_get_day (&ref);

          g_assert_true (ea_contract_parse (symbol, symbologies[s], ref_day, &back, &error));
          g_assert_no_error (error);
          g_assert_true (ea_contract_equal (&back, &c));
          g_assert_true (ea_contract_parse_any (symbol, ref_day, &back, &found, &error));
          g_assert_no_error (error);
          g_assert_true (ea_contract_equal (&back, &c));
        }
    }
}

/* What the ticket trades for what a trader typed. */
static void
test_contract_desk_symbol (void)
{
  static const struct { const char *text; guint32 day; const char *want; } ok[] = {
    { "ES", 20261124, "ES" },
    { "mes", 20261124, "MES" },
    { "esz6", 20261124, "ES" },          /* the front month is the root */
    { " ES 12-26 ", 20261124, "ES" },
    { "ESZ26", 20261124, "ES" },
    { "ESH7", 20261124, "ESH7" },        /* the next month stays exact */
    { "ES 03-27", 20261124, "ESH7" },
    { "ESH27", 20261124, "ESH7" },
    { "nqz6", 20261124, "NQ" },
    /* After the December roll the front is March: December stays exact
     * until it expires on the 18th. */
    { "ESZ6", 20261216, "ESZ6" },
    { "ESH7", 20261216, "ES" },
  };
  static const struct { const char *text; guint32 day; int code; } bad[] = {
    { "", 20261124, EA_INSTRUMENT_ERROR_MALFORMED },
    { "   ", 20261124, EA_INSTRUMENT_ERROR_MALFORMED },
    { "ESU26", 20261124, EA_INSTRUMENT_ERROR_OUT_OF_RANGE },  /* expired */
    { "ESF7", 20261124, EA_INSTRUMENT_ERROR_BAD_MONTH },      /* not listed */
    { "XYZZ6", 20261124, EA_INSTRUMENT_ERROR_UNKNOWN_ROOT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *got = ea_contract_desk_symbol (ok[i].text, ok[i].day, &error);

      g_test_message ("%s on %u", ok[i].text, ok[i].day);
      g_assert_no_error (error);
      g_assert_cmpstr (got, ==, ok[i].want);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *got = ea_contract_desk_symbol (bad[i].text, bad[i].day, &error);

      g_test_message ("'%s' on %u", bad[i].text, bad[i].day);
      g_assert_null (got);
      g_assert_error (error, EA_INSTRUMENT_ERROR, bad[i].code);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/contract/month-codes", test_contract_month_codes);
  g_test_add_func ("/contract/dates", test_contract_dates);
  g_test_add_func ("/contract/next-and-front", test_contract_next_and_front);
  g_test_add_func ("/contract/init", test_contract_init);
  g_test_add_func ("/contract/parse", test_contract_parse);
  g_test_add_func ("/contract/parse-any", test_contract_parse_any);
  g_test_add_func ("/contract/format", test_contract_format);
  g_test_add_func ("/contract/symbol-round-trip", test_contract_symbol_round_trip);
  g_test_add_func ("/contract/desk-symbol", test_contract_desk_symbol);

  return g_test_run ();
}
