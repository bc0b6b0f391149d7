/* ea-order-ticket.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-desk.h"
#include "ea-kelly-panel.h"
#include "ea-trading-store.h"

G_BEGIN_DECLS

#define EA_TYPE_ORDER_TICKET (ea_order_ticket_get_type ())

G_DECLARE_FINAL_TYPE (EaOrderTicket, ea_order_ticket, EA, ORDER_TICKET, GtkBox)

/* The pre-trade check behind the ticket: fills @decision, returns
 * decision->allowed. */
typedef gboolean (*EaOrderCheckFunc) (const EaDeskOrder *order,
                                      EaRiskDecision    *decision,
                                      gpointer           user_data);

/* Signal "submit" (const EaDeskOrder *): the trader pressed Send and the
 * check allowed the order. */
GtkWidget  *ea_order_ticket_new             (void);
void        ea_order_ticket_set_store       (EaOrderTicket    *self,
                                             EaTradingStore   *store);
void        ea_order_ticket_set_checker     (EaOrderTicket    *self,
                                             EaOrderCheckFunc  func,
                                             gpointer          user_data);
/* The clock the market status and the front month are read on (the
 * desk's, which in Demo is the practice market's); NULL: the wall clock. */
void        ea_order_ticket_set_clock       (EaOrderTicket    *self,
                                             EaDeskClockFunc   func,
                                             gpointer          user_data);
/* Names the feed that quotes @symbol ("Demo", "Tradovate"), or NULL. */
typedef const char *(*EaQuoteSourceFunc) (const char *symbol,
                                          gpointer    user_data);
void        ea_order_ticket_set_quote_source (EaOrderTicket   *self,
                                              EaQuoteSourceFunc func,
                                              gpointer         user_data);
void        ea_order_ticket_set_account     (EaOrderTicket    *self,
                                             const char       *account);
const char *ea_order_ticket_get_account     (EaOrderTicket    *self);
gboolean    ea_order_ticket_set_symbol      (EaOrderTicket    *self,
                                             const char       *symbol);
const char *ea_order_ticket_get_symbol      (EaOrderTicket    *self);
void        ea_order_ticket_set_side        (EaOrderTicket    *self,
                                             EaSide            side);
void        ea_order_ticket_set_quantity    (EaOrderTicket    *self,
                                             gint64            qty);
void        ea_order_ticket_set_order_type  (EaOrderTicket    *self,
                                             EaOrderType       type);
void        ea_order_ticket_set_bracket     (EaOrderTicket    *self,
                                             gboolean          bracket);
void        ea_order_ticket_set_limit_text  (EaOrderTicket    *self,
                                             const char       *text);
/* Fills @order from the fields; FALSE with @error for a bad price. The
 * strings in @order stay owned by the ticket. */
gboolean    ea_order_ticket_build_order     (EaOrderTicket    *self,
                                             EaDeskOrder      *order,
                                             GError          **error);
/* Runs the check now (it also runs on every change and quote frame). */
gboolean    ea_order_ticket_recheck         (EaOrderTicket    *self);
/* Presses Send as a user would. */
void        ea_order_ticket_send            (EaOrderTicket    *self);
/* Shows the outcome of a send under the check. */
void        ea_order_ticket_show_result     (EaOrderTicket    *self,
                                             const char       *message,
                                             gboolean          ok);
gint64      ea_order_ticket_get_kelly_size  (EaOrderTicket    *self);
const char *ea_order_ticket_get_kelly_text  (EaOrderTicket    *self);
/* Sizes with @panel's settings and the statistics of the ticket's account
 * in its instrument; follows the panel's changes. */
void        ea_order_ticket_set_kelly_panel (EaOrderTicket    *self,
                                             EaKellyPanel     *panel);
/* The ATR (in ticks) that "From ATR" uses for @symbol; @source receives a
 * short description ("live ATR(14) of 1-minute bars"). Returns ≤ 0 when
 * there is none. */
typedef double (*EaTicketAtrFunc) (const char  *symbol,
                                   const char **source,
                                   gpointer     user_data);
void        ea_order_ticket_set_atr_func    (EaOrderTicket    *self,
                                             EaTicketAtrFunc   func,
                                             gpointer          user_data);
void        ea_order_ticket_set_power_score (EaOrderTicket    *self,
                                             double            power_score);

void        ea_order_ticket_set_live        (EaOrderTicket    *self,
                                             gboolean          live);
gboolean    ea_order_ticket_get_confirm_live (EaOrderTicket   *self);
void        ea_order_ticket_set_confirm_live (EaOrderTicket   *self,
                                             gboolean          confirm);

const char *ea_order_ticket_get_bid_text    (EaOrderTicket    *self);
const char *ea_order_ticket_get_ask_text    (EaOrderTicket    *self);
const char *ea_order_ticket_get_check_text  (EaOrderTicket    *self);
GtkWidget  *ea_order_ticket_get_atr_button  (EaOrderTicket    *self);
/* The bracket's stop and target distances, in ticks. */
void        ea_order_ticket_get_bracket     (EaOrderTicket    *self,
                                             EaTicks          *stop_ticks,
                                             EaTicks          *target_ticks);
GtkWidget  *ea_order_ticket_get_send_button (EaOrderTicket    *self);
GtkWidget  *ea_order_ticket_get_symbol_entry (EaOrderTicket   *self);
const char *ea_order_ticket_get_market_text (EaOrderTicket   *self);

G_END_DECLS
