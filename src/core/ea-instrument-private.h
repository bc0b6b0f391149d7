/* ea-instrument-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Details of the instrument table that only the core's own files use.
 */
#pragma once

#include "ea-instrument.h"

G_BEGIN_DECLS

typedef enum
{
  EA_PRICE_STYLE_DECIMAL,
  EA_PRICE_STYLE_32NDS,   /* points-32nds[-fraction]: ZB "110-16", ZN "110-165" */
} EaPriceStyle;

typedef enum
{
  EA_EXPIRY_EQUITY_INDEX, /* 3rd Friday of the month, 09:30 ET */
  EA_EXPIRY_TREASURY,     /* 7th business day before the last business day */
  EA_EXPIRY_FX,           /* 2 business days before the 3rd Wednesday */
  EA_EXPIRY_CRUDE,        /* 3 (or 4) business days before the 25th of the prior month */
  EA_EXPIRY_MICRO_CRUDE,  /* 1 business day before CL's */
  EA_EXPIRY_METAL,        /* 3rd last business day of the month */
} EaExpiryRule;

typedef struct
{
  gint64       ticks_per_unit; /* 1 / tick size: 4 for 0.25, 64 for 1/64 */
  guint        decimals;       /* decimals shown in EA_PRICE_STYLE_DECIMAL */
  EaPriceStyle style;
  EaExpiryRule expiry;
} EaInstrumentExtra;

const EaInstrumentExtra *ea_instrument_extra (const EaInstrumentSpec *spec);

G_END_DECLS
