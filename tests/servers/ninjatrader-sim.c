/* ninjatrader-sim.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A local NinjaTrader 8 ATI for trying the NinjaTrader connection by
 * hand: it serves DIR/incoming and DIR/outgoing (point the nt-incoming-dir
 * and nt-outgoing-dir settings there), with one account and a moving
 * market of its own. ATI carries no market data, so the desk's quotes come
 * from elsewhere; the market here only decides the fills.
 */
#include "config.h"

#include <glib-unix.h>
#include <stdio.h>

#include "ea-ninjatrader-sim.h"

typedef struct
{
  EaNtSim *sim;
  guint    printed;
  guint    errors_printed;
} App;

static gboolean
tick_cb (gpointer user_data)
{
  App *app = user_data;
  GPtrArray *lines = ea_nt_sim_get_lines (app->sim);
  GPtrArray *errors = ea_nt_sim_get_errors (app->sim);

  /* A tenth of a second of market. */
  ea_sim_exchange_advance (ea_nt_sim_get_exchange (app->sim), 100000);
  ea_nt_sim_process (app->sim);
  for (; app->printed < lines->len; app->printed++)
    printf ("%s\n", (const char *) lines->pdata[app->printed]);
  for (; app->errors_printed < errors->len; app->errors_printed++)
    printf ("error: %s\n", (const char *) errors->pdata[app->errors_printed]);
  fflush (stdout);
  return G_SOURCE_CONTINUE;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *account = NULL;
  g_autofree char *connection = NULL;
  gboolean restart = FALSE;
  GOptionEntry entries[] = {
    { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &dir, "Folder holding incoming/ and outgoing/", "DIR" },
    { "account", 'a', 0, G_OPTION_ARG_STRING, &account, "Account name (Sim101)", "NAME" },
    { "connection", 'c', 0, G_OPTION_ARG_STRING, &connection, "Connection name (Simulated Data Feed)", "NAME" },
    { "restart", 0, 0, G_OPTION_ARG_NONE, &restart, "Start by clearing outgoing, as NinjaTrader does", NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- a local NinjaTrader 8 ATI");
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  App app = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (dir == NULL)
    dir = g_build_filename (g_get_user_cache_dir (), "enigma-apex", "ninjatrader-sim", NULL);

  app.sim = ea_nt_sim_new (dir, connection ? connection : "Simulated Data Feed", &error);
  if (app.sim == NULL || !ea_nt_sim_add_account (app.sim, account ? account : "Sim101", &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (restart)
    ea_nt_sim_restart (app.sim);
  ea_sim_exchange_set_generator_enabled (ea_nt_sim_get_exchange (app.sim), TRUE);
  ea_nt_sim_start (app.sim, 250);

  printf ("incoming: %s\noutgoing: %s\n", ea_nt_sim_get_incoming_dir (app.sim),
          ea_nt_sim_get_outgoing_dir (app.sim));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_timeout_add (100, tick_cb, &app);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  ea_nt_sim_free (app.sim);
  return 0;
}
