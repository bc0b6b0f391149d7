/* ea-nt-import.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * NinjaTrader 8 historical data exports, for replay:
 *   minute bars  yyyyMMdd HHmmss;open;high;low;close;volume
 *   ticks        yyyyMMdd HHmmss fffffff;last;bid;ask;volume
 * Bar timestamps are the bar's end. Malformed lines are skipped and
 * reported with their line number; parsing never modifies the input.
 */
#pragma once

#include <glib.h>

#include "ea-core-types.h"

G_BEGIN_DECLS

#define EA_NT_IMPORT_ERROR (ea_nt_import_error_quark ())

typedef enum
{
  EA_NT_IMPORT_ERROR_EMPTY,     /* no valid line at all */
} EaNtImportError;

typedef enum
{
  EA_NT_KIND_BARS,
  EA_NT_KIND_TICKS,
} EaNtKind;

typedef struct
{
  EaTimeUs time;      /* end of the bar */
  double   open;
  double   high;
  double   low;
  double   close;
  gint64   volume;
} EaNtBar;

typedef struct
{
  EaTimeUs time;
  double   last;
  double   bid;
  double   ask;
  gint64   volume;
} EaNtTick;

typedef struct
{
  EaNtKind   kind;
  GArray    *bars;     /* EaNtBar, when kind is BARS */
  GArray    *ticks;    /* EaNtTick, when kind is TICKS */
  GPtrArray *errors;   /* "line N: what is wrong", one per skipped line */
  guint      n_lines;
} EaNtData;

GQuark    ea_nt_import_error_quark (void);

/* Parses @text (@len bytes, or -1 for NUL-terminated). Timestamps are
 * wall-clock times in @tz (NULL: UTC). */
EaNtData *ea_nt_data_parse         (const char  *text,
                                    gssize       len,
                                    GTimeZone   *tz,
                                    GError     **error);
void      ea_nt_data_free          (EaNtData    *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaNtData, ea_nt_data_free)

G_END_DECLS
