/* bench-ninjatrader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Costs of NinjaTrader's file interface: formatting and reading
 * instruction lines, reading order-state files, and the periodic rescan
 * of an `outgoing` folder holding a day's worth of order files.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ea-ninjatrader-broker.h"
#include "ea-ninjatrader-oif.h"

#define N_LINES 200000
#define N_FILES 500
#define N_SCANS 50

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
bench_lines (void)
{
  EaNtInstruction in = { 0 };
  g_autoptr(GTimer) timer = g_timer_new ();
  guint64 bytes = 0;

  in.command = EA_NT_COMMAND_PLACE;
  in.account = g_strdup ("Sim101");
  in.instrument = g_strdup ("ES 12-26");
  in.action = EA_SIDE_BUY;
  in.qty = 2;
  in.has_type = TRUE;
  in.type = EA_ORDER_TYPE_STOP_LIMIT;
  in.limit_price = g_strdup ("6800.25");
  in.stop_price = g_strdup ("6800.00");
  in.has_tif = TRUE;
  in.order_id = g_strdup ("desk-000123");

  g_timer_start (timer);
  for (guint i = 0; i < N_LINES; i++)
    {
      g_autofree char *line = ea_nt_instruction_format (&in, NULL, NULL);

      bytes += strlen (line);
    }
  g_print ("bench: oif-format %.0f lines/s\n", N_LINES / g_timer_elapsed (timer, NULL));

  g_timer_start (timer);
  for (guint i = 0; i < N_LINES; i++)
    {
      g_autoptr(EaNtInstruction) back =
        ea_nt_instruction_parse ("PLACE;Sim101;ES 12-26;BUY;2;STOPLIMIT;6800.25;6800.00;DAY;;desk-000123;;", NULL);

      bytes += back->qty;
    }
  g_print ("bench: oif-parse %.0f lines/s\n", N_LINES / g_timer_elapsed (timer, NULL));

  g_timer_start (timer);
  for (guint i = 0; i < N_LINES; i++)
    {
      EaNtOrderFile f;

      ea_nt_parse_order_file ("PartFilled;3;6800.58333333", NULL, &f, NULL);
      bytes += f.filled_qty;
    }
  g_print ("bench: order-file-parse %.0f files/s\n", N_LINES / g_timer_elapsed (timer, NULL));
  g_assert_cmpuint (bytes, >, 0);

  g_free (in.account);
  g_free (in.instrument);
  g_free (in.limit_price);
  g_free (in.stop_price);
  g_free (in.order_id);
}

static void
bench_rescan (void)
{
  g_autofree char *root = g_dir_make_tmp ("ea-nt-bench-XXXXXX", NULL);
  g_autofree char *in = g_build_filename (root, "incoming", NULL);
  g_autofree char *out = g_build_filename (root, "outgoing", NULL);
  g_autoptr(EaNinjaTraderBroker) broker = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  GAsyncResult *res = NULL;

  g_mkdir (in, 0700);
  g_mkdir (out, 0700);
  for (guint i = 0; i < N_FILES; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/desk-%06u.txt", out, i);

      g_file_set_contents (name, i % 3 ? "FILLED;1;6800.25" : "CANCELLED;0;0", -1, NULL);
    }

  broker = ea_ninjatrader_broker_new (in, out, "Sim101");
  ea_broker_connect_async (EA_BROKER (broker), NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ea_broker_connect_finish (EA_BROKER (broker), res, NULL));
  g_object_unref (res);

  g_timer_start (timer);
  for (guint i = 0; i < N_SCANS; i++)
    ea_ninjatrader_broker_rescan (broker);
  g_print ("bench: rescan-%u-files %.3f ms\n", N_FILES, 1000 * g_timer_elapsed (timer, NULL) / N_SCANS);

  g_clear_object (&broker);
  for (guint i = 0; i < N_FILES; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/desk-%06u.txt", out, i);

      g_unlink (name);
    }
  g_rmdir (in);
  g_rmdir (out);
  g_rmdir (root);
}

int
main (int argc, char *argv[])
{
  bench_lines ();
  bench_rescan ();
  return 0;
}
