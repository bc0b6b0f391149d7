/* ea-ibkr-broker.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaIbkrBroker: Interactive Brokers through the Client Portal gateway
 * (PROTOCOLS.md §2). REST for requests, the gateway websocket for quotes
 * (smd), orders (sor), executions (str) and P&L (spl).
 *
 * The gateway's certificate is self-signed. It is accepted only when the
 * gateway runs on this machine (127.0.0.1, ::1, localhost) and its SHA-256
 * fingerprint equals the pinned one (trust on first use: the setup
 * assistant shows the fingerprint from ea_ibkr_broker_fetch_fingerprint_async()
 * and the user pins it). Any other host gets normal TLS verification.
 *
 * Placement answers the gateway's questions: automatically with
 * "auto-confirm" or for the message ids in "suppressed-message-ids",
 * otherwise through the "question" signal and
 * ea_ibkr_broker_answer_question().
 *
 * Signals (besides EaBroker's):
 *   question (const char *id, const char *text, GStrv message_ids)
 *   question-withdrawn (const char *id, const char *reason): the question
 *     can no longer be answered (the connection ended) and its order was
 *     not placed; a dialog showing it should close.
 *   notice (const char *kind, const char *text): "competing",
 *     "competing-cleared", "paused", "resumed", "session-ended", "certificate"
 *   login-required (const char *url): the daily session ended; open @url
 *     for the user to log in through the gateway's page.
 */
#pragma once

#include "ea-broker.h"

G_BEGIN_DECLS

#define EA_TYPE_IBKR_BROKER (ea_ibkr_broker_get_type ())

G_DECLARE_FINAL_TYPE (EaIbkrBroker, ea_ibkr_broker, EA, IBKR_BROKER, GObject)

#define EA_IBKR_DEFAULT_URL "https://localhost:5000/v1/api"

/* @url NULL: EA_IBKR_DEFAULT_URL. @pinned_fingerprint: SHA-256 hex of the
 * gateway certificate's DER, or NULL. @account: the account to trade, or
 * NULL for the gateway's selected one. */
EaIbkrBroker *ea_ibkr_broker_new               (const char     *url,
                                                const char     *pinned_fingerprint,
                                                const char     *account);
/* Reads ibkr-gateway-url, ibkr-pinned-fingerprint and ibkr-account from
 * @settings (the application's schema). */
EaIbkrBroker *ea_ibkr_broker_new_from_settings (GSettings      *settings);

/* Answers a pending question of the "question" signal. */
gboolean      ea_ibkr_broker_answer_question   (EaIbkrBroker   *self,
                                                const char     *id,
                                                gboolean        confirm);

/* The fingerprint of the certificate the gateway presents, without trusting
 * it, for the setup assistant to show before pinning. */
void          ea_ibkr_broker_fetch_fingerprint_async  (EaIbkrBroker        *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
char         *ea_ibkr_broker_fetch_fingerprint_finish (EaIbkrBroker        *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* Takes the brokerage session over from a competing one (TWS, mobile). */
void          ea_ibkr_broker_take_over_async   (EaIbkrBroker        *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean      ea_ibkr_broker_take_over_finish  (EaIbkrBroker        *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Completes once everything the gateway pushed on the websocket before
 * now has been handled (a keepalive round trip). */
void          ea_ibkr_broker_sync_async        (EaIbkrBroker        *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean      ea_ibkr_broker_sync_finish       (EaIbkrBroker        *self,
                                                GAsyncResult        *result,
                                                GError             **error);

gboolean      ea_ibkr_broker_get_competing     (EaIbkrBroker   *self);
/* 0, or the monotonic time (µs) the 429 penalty ends. */
gint64        ea_ibkr_broker_get_paused_until  (EaIbkrBroker   *self);
/* The login page of the gateway: "https://localhost:5000/". */
char         *ea_ibkr_broker_get_login_url     (EaIbkrBroker   *self);
/* Websocket messages that could not be understood and were dropped. */
guint         ea_ibkr_broker_get_dropped_messages (EaIbkrBroker *self);

G_END_DECLS
