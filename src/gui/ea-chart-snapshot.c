/* ea-chart-snapshot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The chart painter for widgets: rectangles and grid lines become colour
 * nodes, text layout nodes, paths Cairo nodes.
 */
#define G_LOG_DOMAIN "ea-chart"

#include "config.h"

#include "ea-chart-render.h"

static void
snapshot_fill_rect (EaChartPainter *painter,
                    double          x,
                    double          y,
                    double          width,
                    double          height,
                    const GdkRGBA  *color)
{
  EaChartSnapshotPainter *self = (EaChartSnapshotPainter *) painter;

  if (width > 0 && height > 0)
    gtk_snapshot_append_color (self->snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

static cairo_t *
snapshot_begin_cairo (EaChartPainter    *painter,
                      const EaChartRect *bounds)
{
  EaChartSnapshotPainter *self = (EaChartSnapshotPainter *) painter;

  return gtk_snapshot_append_cairo (self->snapshot,
                                    &GRAPHENE_RECT_INIT (bounds->x, bounds->y, bounds->width, bounds->height));
}

static void
snapshot_end_cairo (EaChartPainter *painter,
                    cairo_t        *cr)
{
  cairo_destroy (cr);
}

static void
snapshot_text (EaChartPainter *painter,
               PangoLayout    *layout,
               double          x,
               double          y,
               const GdkRGBA  *color)
{
  EaChartSnapshotPainter *self = (EaChartSnapshotPainter *) painter;

  gtk_snapshot_save (self->snapshot);
  gtk_snapshot_translate (self->snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (self->snapshot, layout, color);
  gtk_snapshot_restore (self->snapshot);
}

static void
snapshot_push_clip (EaChartPainter    *painter,
                    const EaChartRect *clip)
{
  EaChartSnapshotPainter *self = (EaChartSnapshotPainter *) painter;

  gtk_snapshot_push_clip (self->snapshot, &GRAPHENE_RECT_INIT (clip->x, clip->y, clip->width, clip->height));
}

static void
snapshot_pop_clip (EaChartPainter *painter)
{
  EaChartSnapshotPainter *self = (EaChartSnapshotPainter *) painter;

  gtk_snapshot_pop (self->snapshot);
}

void
ea_chart_snapshot_painter_init (EaChartSnapshotPainter *painter,
                                GtkSnapshot            *snapshot,
                                PangoContext           *pango)
{
  painter->parent.fill_rect = snapshot_fill_rect;
  painter->parent.begin_cairo = snapshot_begin_cairo;
  painter->parent.end_cairo = snapshot_end_cairo;
  painter->parent.text = snapshot_text;
  painter->parent.push_clip = snapshot_push_clip;
  painter->parent.pop_clip = snapshot_pop_clip;
  painter->parent.pango = pango;
  painter->snapshot = snapshot;
}
