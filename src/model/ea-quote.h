/* ea-quote.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaQuote: the top of book of one symbol, for the UI. The broker
 * signals plain EaQuoteData records; the consumer applies them here (at
 * most once per frame), and only changed properties notify.
 */
#pragma once

#include <glib-object.h>

#include "ea-trade-data.h"

G_BEGIN_DECLS

#define EA_TYPE_QUOTE (ea_quote_get_type ())

G_DECLARE_FINAL_TYPE (EaQuote, ea_quote, EA, QUOTE, GObject)

EaQuote *    ea_quote_new_from_data (const EaQuoteData *data);
void         ea_quote_update        (EaQuote *self,
                                     const EaQuoteData *data);
const char * ea_quote_get_symbol    (EaQuote *self);
gint64       ea_quote_get_bid       (EaQuote *self);
gint64       ea_quote_get_ask       (EaQuote *self);
gint64       ea_quote_get_last      (EaQuote *self);
gint64       ea_quote_get_bid_size  (EaQuote *self);
gint64       ea_quote_get_ask_size  (EaQuote *self);
gint64       ea_quote_get_last_size (EaQuote *self);
gint64       ea_quote_get_volume    (EaQuote *self);
gint64       ea_quote_get_time      (EaQuote *self);

G_END_DECLS
