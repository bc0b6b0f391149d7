/* ibkr-gateway-sim.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A local IBKR Client Portal gateway on 127.0.0.1 for trying the app's
 * Test mode by hand: two paper accounts, the front months of the index,
 * energy and metal roots and a moving market. It prints the URL and the
 * certificate fingerprint to pin. Options: --port N (default 5000),
 * --questions (every order asks the usual questions).
 */
#include "config.h"

#include <glib-unix.h>

#include "ea-ibkr-gateway.h"
#include "ea-instrument.h"

typedef struct
{
  const char *root;
  double      start;
  EaTicks     price;
} Market;

static Market markets[] = {
  { "ES", 6800.00, 0 },
  { "MES", 6800.00, 0 },
  { "NQ", 25000.00, 0 },
  { "MNQ", 25000.00, 0 },
  { "CL", 60.00, 0 },
  { "GC", 4100.00, 0 },
};

static gboolean
tick_cb (gpointer user_data)
{
  EaIbkrGateway *gw = user_data;

  for (guint i = 0; i < G_N_ELEMENTS (markets); i++)
    {
      Market *m = &markets[i];
      gint64 size = g_random_int_range (1, 20);

      m->price += g_random_int_range (-2, 3);
      ea_ibkr_gateway_set_quote (gw, m->root, m->price - 1, m->price, size, size + 3);
      if (g_random_int_range (0, 4) == 0)
        ea_ibkr_gateway_trade (gw, m->root, m->price - g_random_int_range (0, 2), g_random_int_range (1, 5));
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
  g_autoptr(EaIbkrGateway) gw = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GOptionContext) context = g_option_context_new ("- local IBKR Client Portal gateway");
  gint port = 5000;
  gboolean questions = FALSE;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: any free one)", "N" },
    { "questions", 'q', 0, G_OPTION_ARG_NONE, &questions, "Ask the usual questions on every order", NULL },
    { NULL },
  };
  static const char *const asked[] = { "o163", "o354", NULL };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || port < 0 || port > 65535)
    {
      g_printerr ("ibkr-gateway-sim: %s\n", error ? error->message : "bad port");
      return 2;
    }
  gw = ea_ibkr_gateway_new ((guint) port, &error);
  if (gw == NULL)
    {
      g_printerr ("ibkr-gateway-sim: %s\n", error->message);
      return 1;
    }
  ea_ibkr_gateway_add_account (gw, "DU1234567", EA_MICROS (50000));
  ea_ibkr_gateway_add_account (gw, "DU7654321", EA_MICROS (100000));
  if (questions)
    ea_ibkr_gateway_set_questions (gw, asked);
  for (guint i = 0; i < G_N_ELEMENTS (markets); i++)
    markets[i].price = ea_instrument_price_to_ticks (ea_instrument_lookup (markets[i].root), markets[i].start);

  g_print ("Local IBKR Client Portal gateway (accounts DU1234567, DU7654321)\n"
           "  URL:         %s\n"
           "  Fingerprint: %s (SHA-256; pin it in the setup assistant)\n",
           ea_ibkr_gateway_get_url (gw), ea_ibkr_gateway_get_fingerprint (gw));

  g_timeout_add (250, tick_cb, gw);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  return 0;
}
