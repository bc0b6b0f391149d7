/* ea-tradovate-scan.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The strict JSON scanner under the market-data fast path
 * (ea-tradovate-md.c): values are read where they stand in the frame,
 * without building a tree. Internal to the Tradovate adapter.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define EA_TV_SCAN_KEY_SIZE 24  /* longer than any member name looked at */

typedef struct
{
  const char *p;
  const char *end;
  guint       depth;
} EaTvScan;

typedef enum
{
  EA_TV_SCAN_BAD,   /* not JSON, or JSON this scanner leaves to json-glib */
  EA_TV_SCAN_OK,    /* decoded into the buffer, NUL-terminated */
  EA_TV_SCAN_LONG,  /* valid but longer than the buffer */
} EaTvScanResult;

typedef struct
{
  gboolean is_number;
  gboolean is_int;
  gint64   i;
  double   d;
} EaTvNumber;

static inline void
_ea_tv_scan_ws (EaTvScan *s)
{
  while (s->p < s->end &&
         (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

/* Skips whitespace, then consumes @c if it is next. */
static inline gboolean
_ea_tv_scan_expect (EaTvScan *s,
                    char      c)
{
  _ea_tv_scan_ws (s);
  if (s->p >= s->end || *s->p != c)
    return FALSE;
  s->p++;
  return TRUE;
}

static inline gboolean
_ea_tv_scan_peek (EaTvScan *s,
                  char      c)
{
  _ea_tv_scan_ws (s);
  return s->p < s->end && *s->p == c;
}

EaTvScanResult _ea_tv_scan_string        (EaTvScan   *s,
                                          char       *buf,
                                          gsize       size);
gboolean       _ea_tv_scan_number        (EaTvScan   *s,
                                          EaTvNumber *num);
gboolean       _ea_tv_scan_number_value  (EaTvScan   *s,
                                          EaTvNumber *num);
gboolean       _ea_tv_scan_skip_value    (EaTvScan   *s);
gboolean       _ea_tv_scan_enter         (EaTvScan   *s,
                                          char        open);
gboolean       _ea_tv_scan_next_element  (EaTvScan   *s,
                                          char        close,
                                          gboolean   *more);
gboolean       _ea_tv_scan_read_key      (EaTvScan   *s,
                                          char        key[EA_TV_SCAN_KEY_SIZE]);
gboolean       _ea_tv_scan_begin_object  (EaTvScan   *s,
                                          gboolean   *empty);

G_END_DECLS
