/* test-ninjatrader-oif.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * NinjaTrader's ATI file protocol: instruction lines for every command
 * (exactly 13 fields), reading them back, prices whatever the locale,
 * every variant of the outgoing files, file names, instrument names,
 * instruction files, and a fuzz of all parsers.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "ea-ninjatrader-oif.h"

static guint
count_char (const char *s, char c)
{
  guint n = 0;

  for (; *s != '\0'; s++)
    n += *s == c;
  return n;
}

typedef struct
{
  EaNtInstruction in;
  const char     *keyword;
  const char     *line;
} FormatCase;

#define I(...) { __VA_ARGS__ }

/* The tables fill the owned (char *) fields of EaNtInstruction with
 * literals; nothing here frees or writes them. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdiscarded-qualifiers"

static const FormatCase format_cases[] = {
  { I (.command = EA_NT_COMMAND_PLACE, .account = "Sim101", .instrument = "ES 12-26", .action = EA_SIDE_BUY,
       .qty = 1, .has_type = TRUE, .type = EA_ORDER_TYPE_MARKET, .has_tif = TRUE, .tif = EA_TIME_IN_FORCE_DAY,
       .order_id = "a1"),
    NULL, "PLACE;Sim101;ES 12-26;BUY;1;MARKET;;;DAY;;a1;;" },
  { I (.command = EA_NT_COMMAND_PLACE, .account = "Sim101", .instrument = "NQ 03-27", .action = EA_SIDE_SELL,
       .qty = 2, .has_type = TRUE, .type = EA_ORDER_TYPE_LIMIT, .limit_price = "25000.25", .has_tif = TRUE,
       .tif = EA_TIME_IN_FORCE_GTC, .oco_id = "oco1", .order_id = "b2"),
    NULL, "PLACE;Sim101;NQ 03-27;SELL;2;LIMIT;25000.25;;GTC;oco1;b2;;" },
  { I (.command = EA_NT_COMMAND_PLACE, .account = "Sim101", .instrument = "ES 12-26", .action = EA_SIDE_SELL,
       .qty = 1, .has_type = TRUE, .type = EA_ORDER_TYPE_STOP, .stop_price = "6790.00", .has_tif = TRUE,
       .order_id = "c3"),
    NULL, "PLACE;Sim101;ES 12-26;SELL;1;STOPMARKET;;6790.00;DAY;;c3;;" },
  { I (.command = EA_NT_COMMAND_PLACE, .account = "Sim101", .instrument = "ES 12-26", .action = EA_SIDE_SELL,
       .qty = 1, .has_type = TRUE, .type = EA_ORDER_TYPE_STOP, .stop_price = "6790.00", .has_tif = TRUE,
       .order_id = "c3"),
    "STOP", "PLACE;Sim101;ES 12-26;SELL;1;STOP;;6790.00;DAY;;c3;;" },
  { I (.command = EA_NT_COMMAND_PLACE, .account = "Sim101", .instrument = "CL 01-27", .action = EA_SIDE_BUY,
       .qty = 3, .has_type = TRUE, .type = EA_ORDER_TYPE_STOP_LIMIT, .limit_price = "60.12",
       .stop_price = "60.10", .has_tif = TRUE, .order_id = "d4"),
    NULL, "PLACE;Sim101;CL 01-27;BUY;3;STOPLIMIT;60.12;60.10;DAY;;d4;;" },
  { I (.command = EA_NT_COMMAND_PLACE, .account = "Sim101", .instrument = "ES 12-26", .action = EA_SIDE_BUY,
       .qty = 1, .has_type = TRUE, .type = EA_ORDER_TYPE_MARKET, .has_tif = TRUE, .order_id = "e5",
       .strategy = "ATM 2R", .strategy_id = "e5"),
    NULL, "PLACE;Sim101;ES 12-26;BUY;1;MARKET;;;DAY;;e5;ATM 2R;e5" },
  { I (.command = EA_NT_COMMAND_REVERSEPOSITION, .account = "Sim101", .instrument = "ES 12-26",
       .action = EA_SIDE_SELL, .qty = 2, .has_type = TRUE, .type = EA_ORDER_TYPE_MARKET, .has_tif = TRUE,
       .tif = EA_TIME_IN_FORCE_GTC, .order_id = "f6"),
    NULL, "REVERSEPOSITION;Sim101;ES 12-26;SELL;2;MARKET;;;GTC;;f6;;" },
  { I (.command = EA_NT_COMMAND_CHANGE, .qty = 0, .limit_price = "6801.00", .order_id = "g7"),
    NULL, "CHANGE;;;;0;;6801.00;0;;;g7;;" },
  { I (.command = EA_NT_COMMAND_CHANGE, .qty = 4, .order_id = "STOP1", .strategy_id = "s9"),
    NULL, "CHANGE;;;;4;;0;0;;;STOP1;;s9" },
  /* Fields outside a command's layout are never written. */
  { I (.command = EA_NT_COMMAND_CANCEL, .account = "Sim101", .instrument = "ES 12-26", .qty = 3,
       .order_id = "h8"),
    NULL, "CANCEL;;;;;;;;;;h8;;" },
  { I (.command = EA_NT_COMMAND_CANCEL, .order_id = "TARGET1", .strategy_id = "s9"),
    NULL, "CANCEL;;;;;;;;;;TARGET1;;s9" },
  { I (.command = EA_NT_COMMAND_CANCELALLORDERS, .account = "Sim101"), NULL, "CANCELALLORDERS;;;;;;;;;;;;" },
  { I (.command = EA_NT_COMMAND_CLOSEPOSITION, .account = "Sim101", .instrument = "ES 12-26", .qty = 1),
    NULL, "CLOSEPOSITION;Sim101;ES 12-26;;;;;;;;;;" },
  { I (.command = EA_NT_COMMAND_CLOSESTRATEGY, .strategy_id = "s9"), NULL, "CLOSESTRATEGY;;;;;;;;;;;;s9" },
  { I (.command = EA_NT_COMMAND_FLATTENEVERYTHING), NULL, "FLATTENEVERYTHING;;;;;;;;;;;;" },
};
#pragma GCC diagnostic pop

static void
test_format (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_cases); i++)
    {
      const FormatCase *c = &format_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(EaNtInstruction) back = NULL;
      g_autofree char *line = ea_nt_instruction_format (&c->in, c->keyword, &error);
      g_autofree char *again = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, c->line);
      g_assert_cmpuint (count_char (line, ';'), ==, EA_NT_OIF_N_FIELDS - 1);

      /* It reads back to the same line. */
      back = ea_nt_instruction_parse (line, &error);
      g_assert_no_error (error);
      g_assert_cmpint (back->command, ==, c->in.command);
      again = ea_nt_instruction_format (back, c->keyword, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (again, ==, line);
    }
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdiscarded-qualifiers"
static void
test_format_invalid (void)
{
  const EaNtInstruction bad[] = {
    { .command = EA_NT_COMMAND_PLACE, .instrument = "ES 12-26", .action = EA_SIDE_BUY, .qty = 1,
      .has_type = TRUE, .has_tif = TRUE },
    { .command = EA_NT_COMMAND_PLACE, .account = "Sim101", .instrument = "ES 12-26", .action = EA_SIDE_BUY,
      .qty = 0, .has_type = TRUE, .has_tif = TRUE },
    { .command = EA_NT_COMMAND_PLACE, .account = "Sim101", .instrument = "ES 12-26", .qty = 1,
      .has_type = TRUE, .has_tif = TRUE },
    { .command = EA_NT_COMMAND_PLACE, .account = "Sim101", .instrument = "ES 12-26", .action = EA_SIDE_BUY,
      .qty = 1, .has_type = TRUE, .type = EA_ORDER_TYPE_LIMIT, .has_tif = TRUE },
    { .command = EA_NT_COMMAND_PLACE, .account = "Sim101", .instrument = "ES 12-26", .action = EA_SIDE_BUY,
      .qty = 1, .has_type = TRUE, .type = EA_ORDER_TYPE_STOP_LIMIT, .limit_price = "1.00", .has_tif = TRUE },
    { .command = EA_NT_COMMAND_PLACE, .account = "Sim;101", .instrument = "ES 12-26", .action = EA_SIDE_BUY,
      .qty = 1, .has_type = TRUE, .has_tif = TRUE },
    { .command = EA_NT_COMMAND_PLACE, .account = "Sim101", .instrument = "ES 12-26", .action = EA_SIDE_BUY,
      .qty = 1, .has_type = TRUE, .has_tif = TRUE, .order_id = "x\ny" },
    { .command = EA_NT_COMMAND_PLACE, .account = "Sim101", .instrument = "ES 12-26", .action = EA_SIDE_BUY,
      .qty = 1, .has_tif = TRUE },
    { .command = EA_NT_COMMAND_CANCEL },
    { .command = EA_NT_COMMAND_CHANGE, .qty = -1, .order_id = "x" },
    { .command = EA_NT_COMMAND_CLOSEPOSITION, .account = "Sim101" },
    { .command = EA_NT_COMMAND_CLOSESTRATEGY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = ea_nt_instruction_format (&bad[i], NULL, &error);

      g_assert_null (line);
      g_assert_error (error, EA_NT_ERROR, EA_NT_ERROR_INVALID);
    }
}
#pragma GCC diagnostic pop

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaNtInstruction) a = ea_nt_instruction_parse ("place;Sim101;ES 12-26;buy;1;stop;;6790.00;gtc;;id1;;\r\n",
                                                          &error);
  g_autoptr(EaNtInstruction) b = NULL;
  const char *bad[] = {
    "PLACE;Sim101;ES 12-26;BUY;1;MARKET;;;DAY;;a1;",          /* 12 fields */
    "PLACE;Sim101;ES 12-26;BUY;1;MARKET;;;DAY;;a1;;;",        /* 14 */
    "BUYNOW;Sim101;ES 12-26;BUY;1;MARKET;;;DAY;;a1;;",
    "PLACE;Sim101;ES 12-26;HOLD;1;MARKET;;;DAY;;a1;;",
    "PLACE;Sim101;ES 12-26;BUY;1.5;MARKET;;;DAY;;a1;;",
    "PLACE;Sim101;ES 12-26;BUY;-1;MARKET;;;DAY;;a1;;",
    "PLACE;Sim101;ES 12-26;BUY;1;LIMIT;6800,25;;DAY;;a1;;",
    "PLACE;Sim101;ES 12-26;BUY;1;LIMIT;1e3;;DAY;;a1;;",
    "PLACE;Sim101;ES 12-26;BUY;1;FOO;;;DAY;;a1;;",
    "PLACE;Sim101;ES 12-26;BUY;1;MARKET;;;IOC;;a1;;",
    "PLACE;Sim101;;BUY;1;MARKET;;;DAY;;a1;;",
    "PLACE;Sim101;ES 12-26;BUY;1;MARKET;;;DAY;;a1;;\nCANCEL;;;;;;;;;;a1;;",
    "CANCEL;;;;;;;;;;;;",
    "",
  };

  g_assert_no_error (error);
  g_assert_cmpint (a->command, ==, EA_NT_COMMAND_PLACE);
  g_assert_cmpint (a->type, ==, EA_ORDER_TYPE_STOP);
  g_assert_cmpint (a->tif, ==, EA_TIME_IN_FORCE_GTC);
  g_assert_cmpint (a->action, ==, EA_SIDE_BUY);
  g_assert_cmpstr (a->stop_price, ==, "6790.00");
  g_assert_null (a->limit_price);
  g_assert_cmpstr (a->order_id, ==, "id1");

  /* Both stop keywords are read. */
  b = ea_nt_instruction_parse ("PLACE;Sim101;ES 12-26;SELL;1;STOPMARKET;;6790.00;DAY;;id2;;", &error);
  g_assert_no_error (error);
  g_assert_cmpint (b->type, ==, EA_ORDER_TYPE_STOP);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(EaNtInstruction) in = ea_nt_instruction_parse (bad[i], &e);

      g_assert_null (in);
      g_assert_error (e, EA_NT_ERROR, EA_NT_ERROR_MALFORMED);
    }
}

static void
test_prices (void)
{
  static const struct
  {
    const char *root;
    EaTicks     ticks;
    const char *text;
  } cases[] = {
    { "ES", 27201, "6800.25" },
    { "ES", 27200, "6800.00" },
    { "YM", 45123, "45123" },
    { "CL", 6012, "60.12" },
    { "CL", -3763, "-37.63" },
    { "6E", 21701, "1.08505" },
    { "ZN", 7073, "110.515625" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const EaInstrumentSpec *spec = ea_instrument_lookup (cases[i].root);
      g_autofree char *text = ea_nt_format_price (spec, cases[i].ticks);
      g_autoptr(GError) error = NULL;
      EaTicks back = 0;

      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_true (ea_nt_parse_price (spec, text, &back, &error));
      g_assert_no_error (error);
      g_assert_cmpint (back, ==, cases[i].ticks);
    }

  {
    const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
    const char *bad[] = { "6800.30", "6800,25", "1,000.25", "", "abc", "110-16" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) error = NULL;
        EaTicks t = 42;

        g_assert_false (ea_nt_parse_price (es, bad[i], &t, &error));
        g_assert_error (error, EA_NT_ERROR, EA_NT_ERROR_INVALID);
        g_assert_cmpint (t, ==, 42);
      }
  }
}

/* A locale whose decimal separator is a comma, or FALSE. */
static gboolean
use_comma_locale (const char *tmp)
{
  const char *names[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "nl_NL.UTF-8" };
  g_autofree char *localedef = g_find_program_in_path ("localedef");

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (setlocale (LC_NUMERIC, names[i]) != NULL)
      return TRUE;
  /* None installed: make one in a private folder when the sources are
   * there. */
  if (localedef != NULL && g_file_test ("/usr/share/i18n/locales/de_DE", G_FILE_TEST_EXISTS))
    {
      g_autofree char *out = g_build_filename (tmp, "de_DE.UTF-8", NULL);
      const char *argv[] = { localedef, "-i", "de_DE", "-f", "UTF-8", out, NULL };
      int status = -1;

      if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                        NULL, NULL, NULL, NULL, &status, NULL) &&
          g_file_test (out, G_FILE_TEST_IS_DIR))
        {
          g_setenv ("LOCPATH", tmp, TRUE);
          if (setlocale (LC_NUMERIC, "de_DE.UTF-8") != NULL)
            return TRUE;
        }
    }
  return FALSE;
}

static void
test_locale (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("ea-locale-XXXXXX", NULL);
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  char probe[32];

  if (!use_comma_locale (tmp))
    {
      g_test_skip ("no locale with a decimal comma can be set");
      return;
    }
  /* The locale is really in force. */
  g_snprintf (probe, sizeof probe, "%.2f", 1212.25);
  g_assert_cmpstr (probe, ==, "1212,25");

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *price = ea_nt_format_price (es, 4849);
    EaNtInstruction in = { .command = EA_NT_COMMAND_PLACE, .account = (char *) "Sim101",
                           .instrument = (char *) "ES 12-26", .action = EA_SIDE_BUY, .qty = 1,
                           .has_type = TRUE, .type = EA_ORDER_TYPE_LIMIT, .limit_price = price,
                           .has_tif = TRUE, .order_id = (char *) "loc" };
    g_autofree char *line = ea_nt_instruction_format (&in, NULL, &error);
    EaNtOrderFile f;
    EaNtPositionFile p;
    EaTicks t;

    g_assert_cmpstr (price, ==, "1212.25");
    g_assert_cmpstr (line, ==, "PLACE;Sim101;ES 12-26;BUY;1;LIMIT;1212.25;;DAY;;loc;;");
    g_assert_true (ea_nt_parse_price (es, "1212.25", &t, NULL));
    g_assert_cmpint (t, ==, 4849);
    g_assert_true (ea_nt_parse_order_file ("FILLED;2;1212.25", NULL, &f, &error));
    g_assert_cmpfloat (f.avg_fill_price, ==, 1212.25);
    g_assert_true (ea_nt_parse_position_file ("LONG;2;1212,25", &p, &error));
    g_assert_cmpfloat (p.avg_price, ==, 1212.25);
  }

  setlocale (LC_NUMERIC, "C");
  {
    g_autofree char *path = g_build_filename (tmp, "de_DE.UTF-8", NULL);
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", path);

    if (g_file_test (path, G_FILE_TEST_IS_DIR))
      g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
    g_rmdir (tmp);
  }
}

static void
test_order_files (void)
{
  static const struct
  {
    const char     *text;
    EaNtOrderState  state;
    gint64          filled;
    double          avg;
    EaOrderState    ea;
  } cases[] = {
    { "FILLED;2;6800.25", EA_NT_ORDER_FILLED, 2, 6800.25, EA_ORDER_STATE_FILLED },
    { "Filled;2;6800.25\r\n", EA_NT_ORDER_FILLED, 2, 6800.25, EA_ORDER_STATE_FILLED },
    { "filled;2;6800,25", EA_NT_ORDER_FILLED, 2, 6800.25, EA_ORDER_STATE_FILLED },
    { "PARTFILLED;1;6800", EA_NT_ORDER_PART_FILLED, 1, 6800, EA_ORDER_STATE_PARTIALLY_FILLED },
    { "PartFilled;1;6800.5", EA_NT_ORDER_PART_FILLED, 1, 6800.5, EA_ORDER_STATE_PARTIALLY_FILLED },
    { "PartiallyFilled;1;6800.5", EA_NT_ORDER_PART_FILLED, 1, 6800.5, EA_ORDER_STATE_PARTIALLY_FILLED },
    { "ACCEPTED;0;0", EA_NT_ORDER_ACCEPTED, 0, 0, EA_ORDER_STATE_WORKING },
    { "Working;0;0", EA_NT_ORDER_WORKING, 0, 0, EA_ORDER_STATE_WORKING },
    { "TriggerPending;0;0", EA_NT_ORDER_TRIGGER_PENDING, 0, 0, EA_ORDER_STATE_WORKING },
    { " SUBMITTED ; 0 ; 0 ", EA_NT_ORDER_SUBMITTED, 0, 0, EA_ORDER_STATE_PENDING_NEW },
    { "Initialized;0;0", EA_NT_ORDER_INITIALIZED, 0, 0, EA_ORDER_STATE_PENDING_NEW },
    { "CANCELLED;0;0", EA_NT_ORDER_CANCELLED, 0, 0, EA_ORDER_STATE_CANCELLED },
    { "Canceled;1;6800", EA_NT_ORDER_CANCELLED, 1, 6800, EA_ORDER_STATE_CANCELLED },
    { "REJECTED;0;0", EA_NT_ORDER_REJECTED, 0, 0, EA_ORDER_STATE_REJECTED },
    { "CHANGESUBMITTED;0;0", EA_NT_ORDER_CHANGE_SUBMITTED, 0, 0, EA_ORDER_STATE_PENDING_REPLACE },
    { "ChangePending;0;0", EA_NT_ORDER_CHANGE_PENDING, 0, 0, EA_ORDER_STATE_PENDING_REPLACE },
    { "CancelPending;0;0", EA_NT_ORDER_CANCEL_PENDING, 0, 0, EA_ORDER_STATE_PENDING_CANCEL },
    { "CancelSubmitted;0;0", EA_NT_ORDER_CANCEL_SUBMITTED, 0, 0, EA_ORDER_STATE_PENDING_CANCEL },
    { "UNKNOWN;0;0", EA_NT_ORDER_UNKNOWN, 0, 0, EA_ORDER_STATE_UNKNOWN },
    { "Resting;0;0", EA_NT_ORDER_WORKING, 0, 0, EA_ORDER_STATE_WORKING },  /* configured alias */
  };
  const char *aliases[] = { "Resting=WORKING", NULL };
  const char *bad[] = {
    "", "FILLED", "FILLED;2", "FILLED;x;1", "FILLED;-1;2", "BOGUS;0;0", "FILLED;2;6800.25;1",
    "FILLED;2;abc", "FILLED;2;-5", "FILLED;2;6800.25\nFILLED;3;1", "Resting;0;0",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      EaNtOrderFile f;

      g_assert_true (ea_nt_parse_order_file (cases[i].text, aliases, &f, &error));
      g_assert_no_error (error);
      g_assert_cmpint (f.state, ==, cases[i].state);
      g_assert_cmpint (f.filled_qty, ==, cases[i].filled);
      g_assert_cmpfloat (f.avg_fill_price, ==, cases[i].avg);
      g_assert_cmpint (ea_nt_order_state_to_ea (f.state), ==, cases[i].ea);
      g_assert_cmpint (ea_nt_order_state_is_terminal (f.state), ==,
                       f.state == EA_NT_ORDER_FILLED || f.state == EA_NT_ORDER_CANCELLED ||
                       f.state == EA_NT_ORDER_REJECTED);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      EaNtOrderFile f;

      /* Without the alias, "Resting" is unknown too. */
      g_assert_false (ea_nt_parse_order_file (bad[i], NULL, &f, &error));
      g_assert_error (error, EA_NT_ERROR, EA_NT_ERROR_MALFORMED);
    }
  for (guint s = 0; s <= EA_NT_ORDER_UNKNOWN; s++)
    {
      EaNtOrderState back;

      g_assert_true (ea_nt_order_state_from_word (ea_nt_order_state_to_word (s), NULL, &back));
      g_assert_cmpint (back, ==, s);
    }
}

static void
test_position_and_connection_files (void)
{
  static const struct
  {
    const char *text;
    gint64      qty;
    double      avg;
  } cases[] = {
    { "LONG;2;6800.25", 2, 6800.25 },
    { "SHORT;3;6799.5", -3, 6799.5 },
    { "FLAT;0;0", 0, 0 },
    { "flat;0;0\r\n", 0, 0 },
    { "Long;1;6800,25", 1, 6800.25 },
  };
  const char *bad[] = { "LONG;0;1", "FLAT;2;1", "SIDEWAYS;1;1", "LONG;1", "", "SHORT;-1;2" };
  gboolean up = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      EaNtPositionFile p;

      g_assert_true (ea_nt_parse_position_file (cases[i].text, &p, &error));
      g_assert_cmpint (p.qty, ==, cases[i].qty);
      g_assert_cmpfloat (p.avg_price, ==, cases[i].avg);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      EaNtPositionFile p;

      g_assert_false (ea_nt_parse_position_file (bad[i], &p, &error));
      g_assert_error (error, EA_NT_ERROR, EA_NT_ERROR_MALFORMED);
    }

  g_assert_true (ea_nt_parse_connection_file ("CONNECTED", &up, NULL));
  g_assert_true (up);
  g_assert_true (ea_nt_parse_connection_file ("Disconnected\r\n", &up, NULL));
  g_assert_false (up);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (ea_nt_parse_connection_file ("MAYBE", &up, &error));
    g_assert_error (error, EA_NT_ERROR, EA_NT_ERROR_MALFORMED);
  }
}

static void
test_file_names (void)
{
  static const struct
  {
    const char  *base;
    EaNtFileKind kind;
    const char  *name;
    const char  *account;
  } cases[] = {
    { "conf-1.txt", EA_NT_FILE_ORDER, "conf-1", NULL },
    { "ES 12-26_Sim101_Position.txt", EA_NT_FILE_POSITION, "ES 12-26", "Sim101" },
    { "ES 0914 Globex_Sim101_Position.txt", EA_NT_FILE_POSITION, "ES 0914 Globex", "Sim101" },
    { "ES 12-26_APEX_123_position.TXT", EA_NT_FILE_POSITION, "ES 12-26", "APEX_123" },
    { "Sim Feed.txt", EA_NT_FILE_CONNECTION, "Sim Feed", NULL },
    { "sim feed.TXT", EA_NT_FILE_CONNECTION, "sim feed", NULL },
    { ".hidden.txt", EA_NT_FILE_OTHER, NULL, NULL },
    { "notes.csv", EA_NT_FILE_OTHER, NULL, NULL },
    { "_Sim101_Position.txt", EA_NT_FILE_OTHER, NULL, NULL },
    { "ES 12-26__Position.txt", EA_NT_FILE_OTHER, NULL, NULL },
    { ".txt", EA_NT_FILE_OTHER, NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *account = NULL;

      g_assert_cmpint (ea_nt_classify_outgoing (cases[i].base, "Sim Feed", &name, &account), ==, cases[i].kind);
      if (cases[i].kind != EA_NT_FILE_OTHER)
        g_assert_cmpstr (name, ==, cases[i].name);
      g_assert_cmpstr (account, ==, cases[i].account);
    }
  /* Without a connection name, "Sim Feed.txt" is just an order file. */
  g_assert_cmpint (ea_nt_classify_outgoing ("Sim Feed.txt", NULL, NULL, NULL), ==, EA_NT_FILE_ORDER);

  {
    g_autofree char *n = ea_nt_position_file_name ("ES 12-26", "Sim101");
    g_autofree char *inst = NULL;
    g_autofree char *acct = NULL;

    g_assert_cmpstr (n, ==, "ES 12-26_Sim101_Position.txt");
    g_assert_cmpint (ea_nt_classify_outgoing (n, NULL, &inst, &acct), ==, EA_NT_FILE_POSITION);
    g_assert_cmpstr (inst, ==, "ES 12-26");
    g_assert_cmpstr (acct, ==, "Sim101");
  }
}

static void
test_instruments (void)
{
  static const struct
  {
    const char *name;
    const char *root;
    guint       year, month;
  } cases[] = {
    { "ES 12-26", "ES", 2026, 12 },
    { "ES 12-26 Globex", "ES", 2026, 12 },
    { "es 12-26 globex", "ES", 2026, 12 },
    { "ES 0914 Globex", "ES", 2014, 9 },
    { "ES 0909", "ES", 2009, 9 },
    { "ESZ6", "ES", 2026, 12 },
    { "ESZ26", "ES", 2026, 12 },
    { "MNQ 03-27", "MNQ", 2027, 3 },
    { "6E 03-27", "6E", 2027, 3 },
    { "CL 01-27 Nymex", "CL", 2027, 1 },
  };
  const char *bad[] = { "FOO 12-26", "ES 13-26", "", "ES", "ES 12-26 Globex extra", "ES 1326" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *nt = NULL;
      g_autofree char *tv = NULL;
      EaContract c;

      g_assert_true (ea_nt_instrument_parse (cases[i].name, 20261124, &c, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (c.spec->root, ==, cases[i].root);
      g_assert_cmpuint (c.year, ==, cases[i].year);
      g_assert_cmpuint (c.month, ==, cases[i].month);
      nt = ea_nt_instrument_format (&c, EA_SYMBOLOGY_NINJATRADER);
      tv = ea_nt_instrument_format (&c, EA_SYMBOLOGY_CME);
      g_assert_true (g_str_has_prefix (nt, cases[i].root));
      g_assert_cmpuint (count_char (nt, ' '), ==, 1);
      g_assert_true (g_str_has_prefix (tv, cases[i].root));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      EaContract c;

      g_assert_false (ea_nt_instrument_parse (bad[i], 20261124, &c, &error));
      g_assert_error (error, EA_NT_ERROR, EA_NT_ERROR_UNKNOWN_INSTRUMENT);
    }
  {
    EaContract c;
    g_autofree char *s = NULL;

    g_assert_true (ea_contract_init (&c, ea_instrument_lookup ("ES"), 2026, 12, NULL));
    s = ea_nt_instrument_format (&c, EA_SYMBOLOGY_NINJATRADER);
    g_assert_cmpstr (s, ==, "ES 12-26");
  }
}

static void
test_instruction_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("ea-oif-XXXXXX", &error);
  g_autoptr(GFile) dir = g_file_new_for_path (tmp);
  g_autofree char *taken = g_build_filename (tmp, "oifS1-00000000.txt", NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GDir) d = NULL;
  guint64 counter = 0;
  guint n = 0;
  const char *name;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (taken, "someone else's", -1, NULL));

  /* A name in use is never overwritten: the next one is taken. */
  first = ea_nt_write_instruction_file (dir, "S1", &counter, "CANCELALLORDERS;;;;;;;;;;;;\r\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "oifS1-00000001.txt");
  second = ea_nt_write_instruction_file (dir, "S1", &counter, "FLATTENEVERYTHING;;;;;;;;;;;;\r\n", &error);
  g_assert_cmpstr (second, ==, "oifS1-00000002.txt");
  g_assert_cmpuint (counter, ==, 3);

  path = g_build_filename (tmp, first, NULL);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "CANCELALLORDERS;;;;;;;;;;;;\r\n");
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (taken, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "someone else's");

  /* Nothing but oif*.txt files is left behind. */
  d = g_dir_open (tmp, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (tmp, name, NULL);

      g_assert_true (g_str_has_prefix (name, "oif") && g_str_has_suffix (name, ".txt"));
      g_unlink (p);
      n++;
    }
  g_assert_cmpuint (n, ==, 3);
  g_rmdir (tmp);

  /* A missing folder is an I/O error. */
  {
    g_autoptr(GFile) gone = g_file_new_for_path (tmp);
    g_autofree char *none = ea_nt_write_instruction_file (gone, "S1", &counter, "x", &error);

    g_assert_null (none);
    g_assert_error (error, EA_NT_ERROR, EA_NT_ERROR_IO);
  }
}

static char *
mutate (GRand *rand, const char *line)
{
  static const char alphabet[] = ";.,-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcz \r\n\t;;;";
  GString *s = g_string_new (line);
  guint edits = g_rand_int_range (rand, 1, 4);

  for (guint e = 0; e < edits; e++)
    {
      guint pos = s->len ? g_rand_int_range (rand, 0, s->len) : 0;
      char c = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:
          if (s->len)
            s->str[pos] = c;
          break;
        case 1:
          if (s->len)
            g_string_erase (s, pos, 1);
          break;
        case 2:
          g_string_insert_c (s, pos, c);
          break;
        default:
          g_string_truncate (s, pos);
          break;
        }
    }
  return g_string_free (s, FALSE);
}

static void
test_fuzz (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261124);
  const char *files[] = { "FILLED;2;6800.25", "PartFilled;1;6800,5", "LONG;2;6800.25", "FLAT;0;0",
                          "CONNECTED", "SHORT;3;6799.5" };
  guint parsed = 0;

  for (guint i = 0; i < 20000; i++)
    {
      const FormatCase *c = &format_cases[g_rand_int_range (rand, 0, G_N_ELEMENTS (format_cases))];
      g_autofree char *line = mutate (rand, c->line);
      g_autoptr(EaNtInstruction) in = ea_nt_instruction_parse (line, NULL);

      if (in != NULL)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *again = ea_nt_instruction_format (in, NULL, &error);
          g_autoptr(EaNtInstruction) back = NULL;
          g_autofree char *third = NULL;

          /* What parses formats, with 13 fields, to a fixed point. */
          g_assert_no_error (error);
          g_assert_cmpuint (count_char (again, ';'), ==, EA_NT_OIF_N_FIELDS - 1);
          back = ea_nt_instruction_parse (again, &error);
          g_assert_no_error (error);
          third = ea_nt_instruction_format (back, NULL, &error);
          g_assert_cmpstr (third, ==, again);
          parsed++;
        }
    }
  g_assert_cmpuint (parsed, >, 100);

  for (guint i = 0; i < 20000; i++)
    {
      g_autofree char *text = mutate (rand, files[g_rand_int_range (rand, 0, G_N_ELEMENTS (files))]);
      EaNtOrderFile f;
      EaNtPositionFile p;
      gboolean up;

      if (ea_nt_parse_order_file (text, NULL, &f, NULL))
        {
          g_assert_cmpint (f.filled_qty, >=, 0);
          g_assert_cmpfloat (f.avg_fill_price, >=, 0);
          g_assert_true (f.state <= EA_NT_ORDER_UNKNOWN);
        }
      if (ea_nt_parse_position_file (text, &p, NULL))
        g_assert_true (p.qty != 0 || p.avg_price == 0);
      ea_nt_parse_connection_file (text, &up, NULL);
      ea_nt_classify_outgoing (text, "Sim Feed", NULL, NULL);
      {
        EaContract c;

        ea_nt_instrument_parse (text, 20261124, &c, NULL);
      }
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ninjatrader/oif/format", test_format);
  g_test_add_func ("/ninjatrader/oif/format-invalid", test_format_invalid);
  g_test_add_func ("/ninjatrader/oif/parse", test_parse);
  g_test_add_func ("/ninjatrader/oif/prices", test_prices);
  g_test_add_func ("/ninjatrader/oif/locale", test_locale);
  g_test_add_func ("/ninjatrader/oif/order-files", test_order_files);
  g_test_add_func ("/ninjatrader/oif/position-and-connection-files", test_position_and_connection_files);
  g_test_add_func ("/ninjatrader/oif/file-names", test_file_names);
  g_test_add_func ("/ninjatrader/oif/instruments", test_instruments);
  g_test_add_func ("/ninjatrader/oif/instruction-files", test_instruction_files);
  g_test_add_func ("/ninjatrader/oif/fuzz", test_fuzz);

  return g_test_run ();
}
