/* tradovate-sim.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A local Tradovate on 127.0.0.1 for trying the app's Test mode by hand:
 * user "demo", password "demo", one account, the front contracts of the
 * index, energy and metal roots, and a moving market.
 */
#include "config.h"

#include <glib-unix.h>
#include <math.h>

#include "ea-instrument.h"
#include "ea-tradovate-server.h"

typedef struct
{
  const char *name;
  const char *root;
  double      start;
  EaTicks     price;
} Market;

static Market markets[] = {
  { "ESZ6", "ES", 6800.00, 0 },
  { "MESZ6", "MES", 6800.00, 0 },
  { "NQZ6", "NQ", 25000.00, 0 },
  { "MNQZ6", "MNQ", 25000.00, 0 },
  { "CLF7", "CL", 60.00, 0 },
  { "GCG7", "GC", 4100.00, 0 },
};

static gboolean
tick_cb (gpointer user_data)
{
  EaTradovateServer *server = user_data;

  for (guint i = 0; i < G_N_ELEMENTS (markets); i++)
    {
      Market *m = &markets[i];
      int step = g_random_int_range (-2, 3);

      m->price += step;
      ea_tradovate_server_set_quote (server, m->name, m->price - 1, m->price, m->price,
                                     g_random_int_range (1, 20));
    }

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
  g_autoptr(GError) error = NULL;
  g_autoptr(EaTradovateServer) server = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gint64 user;

  server = ea_tradovate_server_new (&error);
  if (server == NULL)
    {
      g_printerr ("tradovate-sim: %s\n", error->message);
      return 1;
    }

  user = ea_tradovate_server_add_user (server, "demo", "demo");
  ea_tradovate_server_add_account (server, user, "DEMO12345", EA_MICROS (50000));

  for (guint i = 0; i < G_N_ELEMENTS (markets); i++)
    {
      const EaInstrumentSpec *spec = ea_instrument_lookup (markets[i].root);

      ea_tradovate_server_add_contract (server, markets[i].name, markets[i].root);
      markets[i].price = ea_instrument_price_to_ticks (spec, markets[i].start);
    }

  g_print ("Local Tradovate (user demo, password demo)\n"
           "  REST:        %s\n"
           "  WebSocket:   %s\n"
           "  Market data: %s\n",
           ea_tradovate_server_get_rest_url (server),
           ea_tradovate_server_get_ws_url (server),
           ea_tradovate_server_get_md_url (server));

  g_timeout_add (200, tick_cb, server);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  return 0;
}
