/* ea-ninjatrader-sim.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A local stand-in for NinjaTrader 8's Automated Trading Interface: it
 * watches an `incoming` folder for oif*.txt files, executes their
 * instructions against the embedded exchange's matching engine, deletes
 * them, and writes `outgoing` the way NinjaTrader does (one file per
 * order with an ORDER ID, one per position, one per connection, each
 * overwritten in full). Faults: slow pickup, a rejected order, a
 * disconnected connection, a deleted outgoing folder and a restart (the
 * folder is cleared).
 */
#pragma once

#include "ea-sim-exchange.h"

G_BEGIN_DECLS

typedef struct _EaNtSim EaNtSim;

typedef enum
{
  EA_NT_SIM_WORDS_UPPER,   /* FILLED, PARTFILLED (the documented guess) */
  EA_NT_SIM_WORDS_PASCAL,  /* Filled, PartFilled (NT8's enum names) */
} EaNtSimWords;

/* Makes @root/incoming and @root/outgoing. @connection_name's file is
 * written CONNECTED at once. The exchange has no generator and trades
 * around the clock until told otherwise. */
EaNtSim       *ea_nt_sim_new               (const char    *root,
                                            const char    *connection_name,
                                            GError       **error);
void           ea_nt_sim_free              (EaNtSim       *sim);
EaSimExchange *ea_nt_sim_get_exchange      (EaNtSim       *sim);
const char    *ea_nt_sim_get_incoming_dir  (EaNtSim       *sim);
const char    *ea_nt_sim_get_outgoing_dir  (EaNtSim       *sim);
gboolean       ea_nt_sim_add_account       (EaNtSim       *sim,
                                            const char    *name,
                                            GError       **error);

/* Watch `incoming` (a GFileMonitor plus a poll every @poll_ms). */
void           ea_nt_sim_start             (EaNtSim       *sim,
                                            guint          poll_ms);
/* Executes every instruction file that is due now; returns the number
 * of lines read. */
guint          ea_nt_sim_process           (EaNtSim       *sim);

/* Market, by root ("ES"). */
void           ea_nt_sim_push_quote        (EaNtSim       *sim,
                                            const char    *root,
                                            EaTicks        bid,
                                            EaTicks        ask,
                                            gint64         bid_size,
                                            gint64         ask_size);
void           ea_nt_sim_push_trade        (EaNtSim       *sim,
                                            const char    *root,
                                            EaTicks        price,
                                            gint64         size);

/* Every instruction line received, in order, and the errors NinjaTrader
 * would have logged. */
GPtrArray     *ea_nt_sim_get_lines         (EaNtSim       *sim);
GPtrArray     *ea_nt_sim_get_errors        (EaNtSim       *sim);

/* Output style. */
void           ea_nt_sim_set_words         (EaNtSim       *sim,
                                            EaNtSimWords   words);
/* Resting stop orders read ACCEPTED instead of WORKING. */
void           ea_nt_sim_set_stops_accepted (EaNtSim      *sim,
                                             gboolean      accepted);
/* Position files named "ES 12-26 Globex_…" instead of "ES 12-26_…". */
void           ea_nt_sim_set_exchange_suffix (EaNtSim     *sim,
                                              const char  *suffix);

/* Faults. */
void           ea_nt_sim_set_pickup_delay  (EaNtSim       *sim,
                                            guint          ms);
void           ea_nt_sim_delay_next_pickup (EaNtSim       *sim,
                                            guint          ms);
/* The next order placed is executed at once but its order-state file is
 * only written @ms later (a reply lost on the way). The simulation must
 * outlive the delay. */
void           ea_nt_sim_delay_next_reply  (EaNtSim       *sim,
                                            guint          ms);
void           ea_nt_sim_reject_next_order (EaNtSim       *sim);
void           ea_nt_sim_set_connected     (EaNtSim       *sim,
                                            gboolean       connected);
/* Removes `outgoing` and everything in it; nothing is written until a
 * restart. */
void           ea_nt_sim_delete_outgoing   (EaNtSim       *sim);
/* As NinjaTrader restarting: `outgoing` is emptied (made again if
 * needed), day orders are cancelled (their files written anew), good-
 * till-cancelled orders keep working, positions stay and their files are
 * written again, and the connection reports CONNECTED. */
void           ea_nt_sim_restart           (EaNtSim       *sim);

G_END_DECLS
