/* ea-tradovate-md.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fast path for market-data frames: a strict, allocation-free scanner
 * that turns `a[{"e":"md","d":{"quotes":[...]}}]` straight into EaTvQuote
 * records, with the same results as ea_tv_frame_parse() followed by
 * ea_tv_md_event_parse(). Whatever it does not fully understand — another
 * event, a response, JSON it would have to interpret loosely, malformed
 * JSON — it leaves to that general path.
 */
#pragma once

#include <glib.h>

#include "ea-tradovate-proto.h"

G_BEGIN_DECLS

typedef enum
{
  EA_TV_MD_NOT_HANDLED,  /* use ea_tv_frame_parse(); @quotes is unchanged */
  EA_TV_MD_HANDLED,      /* every message was an md event; quotes appended */
} EaTvMdResult;

EaTvMdResult  ea_tv_md_frame_decode  (const char *text,
                                      gsize       length,
                                      GArray     *quotes);

G_END_DECLS
