/* ea-chart-render.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Paints an EaChartView through a small painter interface: rectangles and
 * text go to native primitives (GtkSnapshot colour and layout nodes in the
 * widget), paths (lines, bands, markers) to Cairo. The Cairo painter draws
 * everything on a cairo_t, which is what tests and benchmarks use with an
 * image surface.
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-chart-view.h"

G_BEGIN_DECLS

typedef struct
{
  GdkRGBA background;
  GdkRGBA foreground;     /* axis text and readout */
  GdkRGBA grid;
  GdkRGBA session;        /* session-break separators */
  GdkRGBA up;
  GdkRGBA down;
  GdkRGBA volume_up;
  GdkRGBA volume_down;
  GdkRGBA ema[EA_CHART_MAX_EMAS];
  GdkRGBA band;           /* ATR bands */
  GdkRGBA position;       /* average price of the open position */
  GdkRGBA floor;          /* the price at which the account dies */
  GdkRGBA buy;            /* fill markers */
  GdkRGBA sell;
  GdkRGBA order_buy;      /* working limit orders */
  GdkRGBA order_sell;
  GdkRGBA order_stop;
  GdkRGBA bracket_stop;
  GdkRGBA bracket_target;
  GdkRGBA signal_up;      /* Enigma signals */
  GdkRGBA signal_down;
  GdkRGBA erm;            /* ERM reversal arrows */
  GdkRGBA crosshair;
  GdkRGBA tag_text;       /* text on coloured price tags */
} EaChartPalette;

/* Light or dark defaults; then the foreground-derived colours (text, grid,
 * crosshair) follow @foreground when it is not NULL. */
void ea_chart_palette_init (EaChartPalette *palette,
                            gboolean        dark,
                            const GdkRGBA  *foreground);

typedef struct _EaChartPainter EaChartPainter;

struct _EaChartPainter
{
  void     (*fill_rect)   (EaChartPainter    *painter,
                           double             x,
                           double             y,
                           double             width,
                           double             height,
                           const GdkRGBA     *color);
  /* A Cairo context for paths inside @bounds; given back to end_cairo. */
  cairo_t *(*begin_cairo) (EaChartPainter    *painter,
                           const EaChartRect *bounds);
  void     (*end_cairo)   (EaChartPainter    *painter,
                           cairo_t           *cr);
  void     (*text)        (EaChartPainter    *painter,
                           PangoLayout       *layout,
                           double             x,
                           double             y,
                           const GdkRGBA     *color);
  void     (*push_clip)   (EaChartPainter    *painter,
                           const EaChartRect *clip);
  void     (*pop_clip)    (EaChartPainter    *painter);

  PangoContext *pango;
};

/* The Cairo painter: batches consecutive rectangles of one colour into a
 * single fill. On an untransformed ARGB32 image surface it writes the
 * pixel-aligned rectangles straight into the surface's pixels (as GSK
 * does for colour nodes) and keeps Cairo for paths and text. */
#define EA_CHART_MAX_CLIPS 8

typedef struct
{
  EaChartPainter parent;
  cairo_t       *cr;
  GdkRGBA        batch_color;
  gboolean       batching;

  /* Direct pixel access. */
  guchar        *data;
  int            stride;
  int            width;
  int            height;
  gboolean       cairo_drew;   /* flush before the next direct write */
  gboolean       direct_drew;  /* mark dirty before the next Cairo use */
  int            n_clips;
  int            clips[EA_CHART_MAX_CLIPS][4];  /* x0, y0, x1, y1 */
} EaChartCairoPainter;

void ea_chart_cairo_painter_init   (EaChartCairoPainter  *painter,
                                    cairo_t              *cr,
                                    PangoContext         *pango);
void ea_chart_cairo_painter_flush  (EaChartCairoPainter  *painter);

/* The GtkSnapshot painter used by the widgets. */
typedef struct
{
  EaChartPainter  parent;
  GtkSnapshot    *snapshot;
} EaChartSnapshotPainter;

void ea_chart_snapshot_painter_init (EaChartSnapshotPainter *painter,
                                     GtkSnapshot            *snapshot,
                                     PangoContext           *pango);

void ea_chart_render               (EaChartView          *view,
                                    EaChartPainter       *painter,
                                    const EaChartPalette *palette);
/* Renders @view onto @cr with the Cairo painter and a Pango context made
 * for @cr. */
void ea_chart_render_cairo         (EaChartView          *view,
                                    cairo_t              *cr,
                                    const EaChartPalette *palette);

/* Shared helpers for the journal charts. */
PangoLayout *ea_chart_layout_new   (EaChartPainter       *painter,
                                    const char           *text);
EaTicks      ea_chart_price_step   (const EaInstrumentSpec *spec,
                                    double                range_ticks,
                                    double                pixels,
                                    double                min_px);
double       ea_chart_nice_step    (double                range,
                                    double                pixels,
                                    double                min_px);

G_END_DECLS
