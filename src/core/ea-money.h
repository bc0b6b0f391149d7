/* ea-money.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Money is an integer count of micro-units (DOMAIN §1). Parsing and
 * formatting never go through a double; arithmetic that could overflow has
 * checked helpers.
 */
#pragma once

#include <glib.h>

#include "ea-core-types.h"

G_BEGIN_DECLS

#define EA_MONEY_ERROR (ea_money_error_quark ())

typedef enum
{
  EA_MONEY_ERROR_MALFORMED,
  EA_MONEY_ERROR_OVERFLOW,
} EaMoneyError;

typedef enum
{
  EA_MONEY_FORMAT_DEFAULT     = 0,
  EA_MONEY_FORMAT_NO_SYMBOL   = 1 << 0, /* "1,234.56" rather than "$1,234.56" */
  EA_MONEY_FORMAT_PLUS_SIGN   = 1 << 1, /* "+$5.00" for a positive amount */
  EA_MONEY_FORMAT_NO_GROUPING = 1 << 2, /* "$1234.56": no thousands separators */
} EaMoneyFormatFlags;

GQuark   ea_money_error_quark (void);

/* Parses "1234.56", "-$1,234.56", "$15.625", "+5", " 0.5 " (surrounding
 * ASCII whitespace is ignored). One optional sign, before or after the
 * optional "$"; digits with either no separators or correct groups of three;
 * more than six decimals round half away from zero to the micro. Anything
 * else is EA_MONEY_ERROR_MALFORMED; a value beyond ±9.2e12 units is
 * EA_MONEY_ERROR_OVERFLOW. @out is left unchanged on error. */
gboolean ea_money_parse       (const char          *str,
                               EaMicros            *out,
                               GError             **error);

/* "-$1,234.56", "$0.00", "$15.625", "$0.000001": at least two decimals,
 * more only when the amount has them. Never NULL. */
char    *ea_money_format      (EaMicros             amount);
char    *ea_money_format_full (EaMicros             amount,
                               EaMoneyFormatFlags   flags);

/* Round-to-nearest conversion from a double (statistics, broker JSON
 * numbers). FALSE for NaN or out of range, @out unchanged. */
gboolean ea_money_from_double (double               units,
                               EaMicros            *out);
double   ea_money_to_double   (EaMicros             amount);

/* Checked arithmetic: TRUE with the exact result, or FALSE on overflow with
 * @out set to the saturated value (G_MININT64 or G_MAXINT64). */
gboolean ea_money_add         (EaMicros             a,
                               EaMicros             b,
                               EaMicros            *out);
gboolean ea_money_sub         (EaMicros             a,
                               EaMicros             b,
                               EaMicros            *out);
gboolean ea_money_mul         (EaMicros             a,
                               gint64               factor,
                               EaMicros            *out);
/* @a × @factor rounded to the nearest micro (half away from zero), e.g.
 * equity × Kelly fraction. FALSE (saturated) on overflow or NaN. */
gboolean ea_money_scale       (EaMicros             a,
                               double               factor,
                               EaMicros            *out);

G_END_DECLS
