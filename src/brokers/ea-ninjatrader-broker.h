/* ea-ninjatrader-broker.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaNinjaTraderBroker: NinjaTrader 8 through its Automated Trading
 * Interface files (PROTOCOLS.md §3), for a NinjaTrader that runs on
 * Windows and shares its `incoming` and `outgoing` folders with us.
 * Instructions are written as order instruction files; state is read back
 * from the files NinjaTrader writes into `outgoing`, watched with a
 * GFileMonitor and rescanned periodically because network shares drop
 * events. ATI carries no market data: quotes come from another broker
 * attached with ea_ninjatrader_broker_set_quote_source().
 *
 * Construct properties (no GSettings needed):
 *   incoming-dir, outgoing-dir   the two folders (paths)
 *   accounts                     NinjaTrader account names ("Sim101")
 *   symbology                    instrument naming (EaSymbology, default
 *                                EA_SYMBOLOGY_NINJATRADER: "ES 12-26")
 *   stop-keyword                 "STOPMARKET" (default) or "STOP"
 *   connection-name              the connection whose `<name>.txt` must
 *                                read CONNECTED ("": not watched)
 *   atm-template                 ATM strategy template for brackets (""
 *                                : brackets are placed as OCO orders
 *                                once the entry fills)
 *   state-aliases                extra order-state words, "WORD=STATE"
 *                                (GSettings: nt-state-aliases)
 *   rescan-interval-ms, ack-timeout-ms, stale-timeout-ms (0: off)
 *   reference-day                YYYYMMDD for front months (0: today)
 *   file-stamp                   unique part of instruction file names
 *                                (default: time and process id)
 */
#pragma once

#include <gio/gio.h>

#include "ea-broker.h"

G_BEGIN_DECLS

#define EA_TYPE_NINJATRADER_BROKER (ea_ninjatrader_broker_get_type ())

G_DECLARE_FINAL_TYPE (EaNinjaTraderBroker, ea_ninjatrader_broker, EA, NINJATRADER_BROKER, GObject)

/* A broker for @account's orders through @incoming_dir / @outgoing_dir,
 * with the default settings. */
EaNinjaTraderBroker *ea_ninjatrader_broker_new          (const char          *incoming_dir,
                                                         const char          *outgoing_dir,
                                                         const char          *account);
/* From the nt-* keys of the application's schema. */
EaNinjaTraderBroker *ea_ninjatrader_broker_new_from_settings (GSettings      *settings);
/* The folders and accounts (names separated by commas) given here, the
 * other settings (instrument naming, stop keyword, connection name, ATM
 * template, order-state words) from the nt-* keys of @settings; NULL
 * @settings: their defaults. */
EaNinjaTraderBroker *ea_ninjatrader_broker_new_with_settings (const char *incoming_dir,
                                                              const char *outgoing_dir,
                                                              const char *accounts_csv,
                                                              GSettings  *settings);

/* The nt-state-aliases setting (a{ss}: NinjaTrader's word to the
 * canonical state it means, e.g. "Canceled" -> "CANCELLED") as the
 * "WORD=STATE" strings of the state-aliases property. A word must be
 * letters and digits and not a canonical state word itself; the state
 * must be a canonical one (SUBMITTED, ACCEPTED, WORKING, PARTFILLED,
 * FILLED, CANCELLED, REJECTED, …). On any bad entry: NULL and an error
 * naming it (EA_BROKER_ERROR_INVALID_ARGUMENT). */
char               **ea_ninjatrader_state_aliases_from_variant (GVariant  *aliases,
                                                                GError   **error);

/* Re-reads `outgoing` now (what the periodic rescan does). */
void                 ea_ninjatrader_broker_rescan       (EaNinjaTraderBroker *self);
/* TRUE when no instruction is waiting for NinjaTrader: every file written
 * was picked up and every order sent has an order-state file. */
gboolean             ea_ninjatrader_broker_is_settled   (EaNinjaTraderBroker *self);

/* After the desk restarts: an order it journaled (sent through these
 * folders before) is tracked again, so its outgoing file keeps updating
 * it. @order's filled_qty and avg_fill_price are what the desk already
 * has; only fills beyond them are reported, under the same fill ids
 * ("<ORDER ID>#<cumulative quantity>") as before. Errors:
 * EA_BROKER_ERROR_NOT_FOUND (account, symbol), _INVALID_ARGUMENT (id,
 * quantities), _REJECTED (already tracked). */
gboolean             ea_ninjatrader_broker_adopt_order  (EaNinjaTraderBroker *self,
                                                         const EaOrderData   *order,
                                                         GError             **error);

/* Quotes. @source's "quote" signal feeds the subscribed symbols (NULL
 * detaches); quotes can also be pushed directly. The name says where the
 * quotes of NinjaTrader accounts come from, for the UI ("none" when no
 * source is attached). */
void                 ea_ninjatrader_broker_set_quote_source (EaNinjaTraderBroker *self,
                                                             EaBroker            *source);
const char          *ea_ninjatrader_broker_get_quote_source_name (EaNinjaTraderBroker *self);
void                 ea_ninjatrader_broker_push_quote   (EaNinjaTraderBroker *self,
                                                         const EaQuoteData   *quote);

/* The NinjaTrader instrument name of a desk symbol ("ES" -> "ES 12-26" on
 * the reference day), or NULL with EA_BROKER_ERROR_NOT_FOUND. */
char                *ea_ninjatrader_broker_instrument_for (EaNinjaTraderBroker *self,
                                                           const char          *symbol,
                                                           GError             **error);

G_END_DECLS
