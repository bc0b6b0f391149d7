/* test-csv.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RFC 4180 quoting and the journal's CSV documents, byte for byte.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ea-csv.h"

static char *
field (const char *s)
{
  GString *out = g_string_new (NULL);

  ea_csv_append_field (out, s);
  return g_string_free (out, FALSE);
}

static void
test_fields (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "plain", "plain" },
    { "", "" },
    { " spaces kept ", " spaces kept " },
    { "a,b", "\"a,b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    { "\"", "\"\"\"\"" },
    { "line1\nline2", "\"line1\nline2\"" },
    { "cr\r", "\"cr\r\"" },
    { "crlf\r\n,\"", "\"crlf\r\n,\"\"\"" },
    { "Ünïcødé €", "Ünïcødé €" },
    { "semi;colon\ttab", "semi;colon\ttab" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = field (cases[i].in);

      g_assert_cmpstr (got, ==, cases[i].out);
    }

  {
    g_autofree char *got = field (NULL);

    g_assert_cmpstr (got, ==, "");
  }
}

static void
test_record (void)
{
  const char *fields[] = { "a", NULL, "b,c", "", "\"q\"" };
  g_autoptr(GString) out = g_string_new (NULL);

  ea_csv_append_record (out, fields, G_N_ELEMENTS (fields));
  ea_csv_append_record (out, fields, 1);
  g_assert_cmpstr (out->str, ==, "a,,\"b,c\",,\"\"\"q\"\"\"\r\na\r\n");
}

static void
test_time (void)
{
  g_autofree char *t = ea_csv_format_time (G_GINT64_CONSTANT (1794840600123456));
  g_autofree char *epoch = ea_csv_format_time (0);

  g_assert_cmpstr (t, ==, "2026-11-16T14:50:00.123456Z");
  g_assert_cmpstr (epoch, ==, "1970-01-01T00:00:00.000000Z");
}

static void
test_trades (void)
{
  EaJournalTrade trades[2] = {
    {
      .id = 7, .account_id = 3, .symbol = (char *) "ESZ6", .root = (char *) "ES", .side = EA_SIDE_BUY,
      .qty = 2, .entry_time_us = G_GINT64_CONSTANT (1794840600000000),
      .exit_time_us = G_GINT64_CONSTANT (1794841200500000), .entry_ticks = 24001, .exit_ticks = 24009,
      .pnl_micros = EA_MICROS (95) + 500000, .fees_micros = EA_MICROS (4) + 500000,
      .mae_ticks = 2, .mfe_ticks = 10, .tags = (char *) "breakout, a+",
      .notes = (char *) "Waited for the \"retest\"\r\nthen in", .signal_id = 0,
    },
    {
      .id = 8, .account_id = 0, .symbol = (char *) "XXZ6", .root = (char *) "XX", .side = EA_SIDE_SELL,
      .qty = 1, .entry_time_us = 0, .exit_time_us = 60 * G_USEC_PER_SEC, .entry_ticks = 5, .exit_ticks = 9,
      .pnl_micros = -EA_MICROS (1234) - 1, .fees_micros = 0, .signal_id = 12,
    },
  };
  g_autoptr(GString) csv = ea_csv_trades (trades, G_N_ELEMENTS (trades));

  g_assert_cmpstr (csv->str, ==,
                   "id,account_id,symbol,root,side,qty,entry_time,exit_time,entry_ticks,exit_ticks,"
                   "entry_price,exit_price,pnl,fees,mae_ticks,mfe_ticks,duration_s,tags,notes,signal_id\r\n"
                   "7,3,ESZ6,ES,BUY,2,2026-11-16T14:50:00.000000Z,2026-11-16T15:00:00.500000Z,24001,24009,"
                   "6000.25,6002.25,95.50,4.50,2,10,600.500000,\"breakout, a+\","
                   "\"Waited for the \"\"retest\"\"\r\nthen in\",\r\n"
                   "8,,XXZ6,XX,SELL,1,1970-01-01T00:00:00.000000Z,1970-01-01T00:01:00.000000Z,5,9,"
                   ",,-1234.000001,0.00,0,0,60.000000,,,12\r\n");
}

static void
test_fills (void)
{
  EaJournalFill fill = {
    .broker = "sim", .broker_fill_id = "F,1", .account_id = 2, .client_order_id = "EA-1",
    .broker_order_id = NULL, .symbol = "NQZ6", .root = "NQ", .side = EA_SIDE_SELL, .qty = 3,
    .price_ticks = 84002, .fee_micros = 1230000, .time_us = G_GINT64_CONSTANT (1794840600000001),
  };
  g_autoptr(GPtrArray) fills = g_ptr_array_new ();
  g_autoptr(GString) csv = NULL;

  g_ptr_array_add (fills, &fill);
  csv = ea_csv_fills (fills);
  g_assert_cmpstr (csv->str, ==,
                   "time,broker,broker_fill_id,account_id,client_order_id,broker_order_id,symbol,root,side,"
                   "qty,price_ticks,price,fee\r\n"
                   "2026-11-16T14:50:00.000001Z,sim,\"F,1\",2,EA-1,,NQZ6,NQ,SELL,3,84002,21000.50,1.23\r\n");
}

static void
test_audit_and_risk (void)
{
  EaJournalAuditRow row = {
    .seq = 1, .time_us = 0, .actor = (char *) "user", .kind = (char *) "setting.change",
    .subject = (char *) "max-loss", .details = (char *) "{\"old\":\"1,000\",\"new\":\"2\"}",
    .prev_hash = (char *) "00", .hash = (char *) "ab",
  };
  EaJournalRiskEvent event = {
    .id = 4, .time_us = 0, .account_id = 0, .kind = EA_JOURNAL_RISK_LIMIT_CHANGE,
    .reason = NULL, .details = (char *) "{}",
  };
  g_autoptr(GString) audit = ea_csv_audit (&row, 1);
  g_autoptr(GString) risk = ea_csv_risk_events (&event, 1);

  g_assert_cmpstr (audit->str, ==,
                   "seq,time,actor,kind,subject,details,prev_hash,hash\r\n"
                   "1,1970-01-01T00:00:00.000000Z,user,setting.change,max-loss,"
                   "\"{\"\"old\"\":\"\"1,000\"\",\"\"new\"\":\"\"2\"\"}\",00,ab\r\n");
  g_assert_cmpstr (risk->str, ==,
                   "id,time,account_id,kind,reason,details\r\n"
                   "4,1970-01-01T00:00:00.000000Z,,limit_change,,{}\r\n");
}

static void
test_write_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ea-csv-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "out.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad = g_file_new_for_path (missing);
  g_autoptr(GString) csv = g_string_new ("a,b\r\n\"x\"\"\",\r\n");
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, "old and longer contents", -1, NULL));
  g_assert_true (ea_csv_write_file (file, csv, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, csv->len);
  g_assert_cmpmem (contents, len, csv->str, csv->len);

  g_assert_false (ea_csv_write_file (bad, csv, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/fields", test_fields);
  g_test_add_func ("/csv/record", test_record);
  g_test_add_func ("/csv/time", test_time);
  g_test_add_func ("/csv/trades", test_trades);
  g_test_add_func ("/csv/fills", test_fills);
  g_test_add_func ("/csv/audit-and-risk", test_audit_and_risk);
  g_test_add_func ("/csv/write-file", test_write_file);

  return g_test_run ();
}
