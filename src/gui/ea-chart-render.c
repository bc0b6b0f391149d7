/* ea-chart-render.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The price chart's painting. Values are normalised by the view (columns,
 * price range, indicator series); here they are only mapped to whole
 * pixels and handed to the painter, rectangles grouped by colour.
 */
#define G_LOG_DOMAIN "ea-chart-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "ea-chart-render-private.h"

static GdkRGBA
rgba (guint32 hex,
      double  alpha)
{
  GdkRGBA c = { ((hex >> 16) & 0xff) / 255.0, ((hex >> 8) & 0xff) / 255.0, (hex & 0xff) / 255.0, alpha };

  return c;
}

static GdkRGBA
with_alpha (const GdkRGBA *c,
            double         alpha)
{
  GdkRGBA r = *c;

  r.alpha = alpha;
  return r;
}

static GdkRGBA
mix (const GdkRGBA *a,
     const GdkRGBA *b,
     double         t)
{
  GdkRGBA r = {
    a->red * t + b->red * (1 - t),
    a->green * t + b->green * (1 - t),
    a->blue * t + b->blue * (1 - t),
    1,
  };

  return r;
}

void
ea_chart_palette_init (EaChartPalette *palette,
                       gboolean        dark,
                       const GdkRGBA  *foreground)
{
  GdkRGBA fg;

  g_return_if_fail (palette != NULL);

  palette->background = dark ? rgba (0x1e1e1e, 1) : rgba (0xffffff, 1);
  fg = foreground != NULL ? *foreground : (dark ? rgba (0xdedede, 1) : rgba (0x2e2e2e, 1));
  fg.alpha = 1;
  palette->foreground = fg;
  palette->grid = with_alpha (&fg, 0.10);
  palette->session = with_alpha (&fg, 0.30);
  palette->crosshair = with_alpha (&fg, 0.55);
  palette->up = dark ? rgba (0x26a69a, 1) : rgba (0x1f9a8e, 1);
  palette->down = dark ? rgba (0xef5350, 1) : rgba (0xe53935, 1);
  /* Opaque mixes with the background: cheaper than blending. */
  palette->volume_up = mix (&palette->up, &palette->background, 0.45);
  palette->volume_down = mix (&palette->down, &palette->background, 0.45);
  palette->ema[0] = rgba (0x2979ff, 1);
  palette->ema[1] = rgba (0xff9100, 1);
  palette->ema[2] = rgba (0xaa00ff, 1);
  palette->ema[3] = rgba (0x00b8d4, 1);
  palette->band = dark ? rgba (0x90a4ae, 0.8) : rgba (0x607d8b, 0.8);
  palette->position = rgba (0xffb300, 1);
  palette->floor = dark ? rgba (0xff1744, 1) : rgba (0xd50000, 1);
  palette->buy = rgba (0x1e88e5, 1);
  palette->sell = rgba (0xf4511e, 1);
  palette->order_buy = rgba (0x3d5afe, 1);
  palette->order_sell = rgba (0xc51162, 1);
  palette->order_stop = rgba (0xff6d00, 1);
  palette->bracket_stop = rgba (0xb71c1c, 1);
  palette->bracket_target = rgba (0x2e7d32, 1);
  palette->signal_up = rgba (0x00c853, 1);
  palette->signal_down = rgba (0xff3d00, 1);
  palette->erm = rgba (0x6200ea, 1);
  palette->tag_text = rgba (0xffffff, 1);
}

/* Cairo painter ----------------------------------------------------- */

static gboolean
same_color (const GdkRGBA *a,
            const GdkRGBA *b)
{
  return a->red == b->red && a->green == b->green && a->blue == b->blue && a->alpha == b->alpha;
}

static void
before_cairo (EaChartCairoPainter *self)
{
  if (self->direct_drew)
    {
      cairo_surface_mark_dirty (cairo_get_target (self->cr));
      self->direct_drew = FALSE;
    }
  self->cairo_drew = TRUE;
}

void
ea_chart_cairo_painter_flush (EaChartCairoPainter *self)
{
  if (self->batching)
    {
      before_cairo (self);
      gdk_cairo_set_source_rgba (self->cr, &self->batch_color);
      cairo_fill (self->cr);
      self->batching = FALSE;
    }
  if (self->direct_drew)
    {
      cairo_surface_mark_dirty (cairo_get_target (self->cr));
      self->direct_drew = FALSE;
    }
}

static inline guint8
channel (double v)
{
  return (guint8) CLAMP (lround (v * 255.0), 0, 255);
}

static void
direct_fill_rect (EaChartCairoPainter *self,
                  double               x,
                  double               y,
                  double               width,
                  double               height,
                  const GdkRGBA       *color)
{
  int *clip = self->clips[self->n_clips - 1];
  int x0 = MAX ((int) lround (x), clip[0]);
  int y0 = MAX ((int) lround (y), clip[1]);
  int x1 = MIN ((int) lround (x + width), clip[2]);
  int y1 = MIN ((int) lround (y + height), clip[3]);
  guint32 a = channel (color->alpha);
  guint32 r = channel (color->red * color->alpha);
  guint32 g = channel (color->green * color->alpha);
  guint32 b = channel (color->blue * color->alpha);
  guint32 src = a << 24 | r << 16 | g << 8 | b;

  if (x0 >= x1 || y0 >= y1 || a == 0)
    return;
  if (self->cairo_drew)
    {
      cairo_surface_flush (cairo_get_target (self->cr));
      self->cairo_drew = FALSE;
    }
  self->direct_drew = TRUE;

  for (int row = y0; row < y1; row++)
    {
      guint32 *p = (guint32 *) (gpointer) (self->data + (gsize) row * self->stride) + x0;

      if (a == 255 && row > y0 && x1 - x0 >= 32)
        memcpy (p, (guint32 *) (gpointer) (self->data + (gsize) y0 * self->stride) + x0,
                (gsize) (x1 - x0) * 4);
      else if (a == 255)
        for (int i = 0; i < x1 - x0; i++)
          p[i] = src;
      else
        for (int i = 0; i < x1 - x0; i++)
          {
            /* Premultiplied "over", two channels at a time: d * (255 - a)
             * / 255, rounded, per 16-bit lane. Every source channel is at
             * most a, so no sum carries into the next channel. */
            guint32 d = p[i], inv = 255 - a;
            guint32 rb = (d & 0x00ff00ff) * inv + 0x00800080;
            guint32 ag = ((d >> 8) & 0x00ff00ff) * inv + 0x00800080;

            rb = ((rb + ((rb >> 8) & 0x00ff00ff)) >> 8) & 0x00ff00ff;
            ag = ((ag + ((ag >> 8) & 0x00ff00ff)) >> 8) & 0x00ff00ff;
            p[i] = src + (rb | ag << 8);
          }
    }
}

static void
cairo_fill_rect (EaChartPainter *painter,
                 double          x,
                 double          y,
                 double          width,
                 double          height,
                 const GdkRGBA  *color)
{
  EaChartCairoPainter *self = (EaChartCairoPainter *) painter;

  if (width <= 0 || height <= 0)
    return;
  if (self->data != NULL)
    {
      direct_fill_rect (self, x, y, width, height, color);
      return;
    }
  if (self->batching && !same_color (&self->batch_color, color))
    ea_chart_cairo_painter_flush (self);
  cairo_rectangle (self->cr, x, y, width, height);
  self->batch_color = *color;
  self->batching = TRUE;
}

static cairo_t *
cairo_begin (EaChartPainter    *painter,
             const EaChartRect *bounds)
{
  EaChartCairoPainter *self = (EaChartCairoPainter *) painter;

  ea_chart_cairo_painter_flush (self);
  before_cairo (self);
  cairo_save (self->cr);
  return cairo_reference (self->cr);
}

static void
cairo_end (EaChartPainter *painter,
           cairo_t        *cr)
{
  cairo_restore (cr);
  cairo_destroy (cr);
}

static void
cairo_text (EaChartPainter *painter,
            PangoLayout    *layout,
            double          x,
            double          y,
            const GdkRGBA  *color)
{
  EaChartCairoPainter *self = (EaChartCairoPainter *) painter;

  ea_chart_cairo_painter_flush (self);
  before_cairo (self);
  gdk_cairo_set_source_rgba (self->cr, color);
  cairo_move_to (self->cr, x, y);
  pango_cairo_show_layout (self->cr, layout);
}

static void
cairo_push_clip (EaChartPainter    *painter,
                 const EaChartRect *clip)
{
  EaChartCairoPainter *self = (EaChartCairoPainter *) painter;
  int n = self->n_clips;

  ea_chart_cairo_painter_flush (self);
  cairo_save (self->cr);
  cairo_rectangle (self->cr, clip->x, clip->y, clip->width, clip->height);
  cairo_clip (self->cr);

  g_return_if_fail (n < EA_CHART_MAX_CLIPS);
  self->clips[n][0] = MAX (self->clips[n - 1][0], (int) lround (clip->x));
  self->clips[n][1] = MAX (self->clips[n - 1][1], (int) lround (clip->y));
  self->clips[n][2] = MIN (self->clips[n - 1][2], (int) lround (clip->x + clip->width));
  self->clips[n][3] = MIN (self->clips[n - 1][3], (int) lround (clip->y + clip->height));
  self->n_clips++;
}

static void
cairo_pop_clip (EaChartPainter *painter)
{
  EaChartCairoPainter *self = (EaChartCairoPainter *) painter;

  ea_chart_cairo_painter_flush (self);
  cairo_restore (self->cr);
  if (self->n_clips > 1)
    self->n_clips--;
}

void
ea_chart_cairo_painter_init (EaChartCairoPainter *painter,
                             cairo_t             *cr,
                             PangoContext        *pango)
{
  cairo_surface_t *target = cairo_get_target (cr);
  cairo_matrix_t m;
  double dx, dy;

  memset (painter, 0, sizeof *painter);
  painter->parent.fill_rect = cairo_fill_rect;
  painter->parent.begin_cairo = cairo_begin;
  painter->parent.end_cairo = cairo_end;
  painter->parent.text = cairo_text;
  painter->parent.push_clip = cairo_push_clip;
  painter->parent.pop_clip = cairo_pop_clip;
  painter->parent.pango = pango;
  painter->cr = cr;

  cairo_get_matrix (cr, &m);
  cairo_surface_get_device_offset (target, &dx, &dy);
  if (cairo_surface_get_type (target) == CAIRO_SURFACE_TYPE_IMAGE
      && cairo_image_surface_get_format (target) == CAIRO_FORMAT_ARGB32
      && m.xx == 1 && m.yy == 1 && m.xy == 0 && m.yx == 0 && m.x0 == 0 && m.y0 == 0
      && dx == 0 && dy == 0)
    {
      double cx0, cy0, cx1, cy1;

      cairo_surface_flush (target);
      painter->data = cairo_image_surface_get_data (target);
      painter->stride = cairo_image_surface_get_stride (target);
      painter->width = cairo_image_surface_get_width (target);
      painter->height = cairo_image_surface_get_height (target);
      cairo_clip_extents (cr, &cx0, &cy0, &cx1, &cy1);
      painter->clips[0][0] = MAX (0, (int) ceil (cx0));
      painter->clips[0][1] = MAX (0, (int) ceil (cy0));
      painter->clips[0][2] = MIN (painter->width, (int) floor (cx1));
      painter->clips[0][3] = MIN (painter->height, (int) floor (cy1));
    }
  else
    {
      painter->clips[0][2] = G_MAXINT;
      painter->clips[0][3] = G_MAXINT;
    }
  painter->n_clips = 1;
}

void
ea_chart_render_cairo (EaChartView          *view,
                       cairo_t              *cr,
                       const EaChartPalette *palette)
{
  /* One context per thread, so its laid-out labels outlive the frame. */
  static GPrivate context_key = G_PRIVATE_INIT (g_object_unref);
  PangoContext *pango = g_private_get (&context_key);
  EaChartCairoPainter painter;

  if (pango == NULL)
    {
      pango = pango_cairo_create_context (cr);
      g_private_set (&context_key, pango);
    }
  else
    pango_cairo_update_context (cr, pango);
  ea_chart_cairo_painter_init (&painter, cr, pango);
  ea_chart_render (view, &painter.parent, palette);
  ea_chart_cairo_painter_flush (&painter);
}

/* Helpers ----------------------------------------------------------- */

PangoLayout *
ea_chart_layout_new (EaChartPainter *painter,
                     const char     *text)
{
  static PangoFontDescription *font;
  PangoLayout *layout = pango_layout_new (painter->pango);

  if (g_once_init_enter (&font))
    g_once_init_leave (&font, pango_font_description_from_string ("Sans 8"));
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* The labels of one frame are mostly those of the last: their layouts
 * (shaped once) are kept with the Pango context, until it changes or
 * holds too many. */
#define LAYOUT_CACHE_MAX 1024

typedef struct
{
  GHashTable *layouts;   /* text -> PangoLayout */
  guint       serial;    /* of the context they were made for */
} LayoutCache;

static void
layout_cache_free (LayoutCache *cache)
{
  g_hash_table_unref (cache->layouts);
  g_free (cache);
}

static PangoLayout *
cached_layout (EaChartPainter *painter,
               const char     *text)
{
  LayoutCache *cache = g_object_get_data (G_OBJECT (painter->pango), "ea-chart-layouts");
  guint serial = pango_context_get_serial (painter->pango);
  PangoLayout *layout;

  if (cache == NULL)
    {
      cache = g_new0 (LayoutCache, 1);
      cache->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      cache->serial = serial;
      g_object_set_data_full (G_OBJECT (painter->pango), "ea-chart-layouts", cache,
                              (GDestroyNotify) layout_cache_free);
    }
  if (cache->serial != serial || g_hash_table_size (cache->layouts) >= LAYOUT_CACHE_MAX)
    {
      g_hash_table_remove_all (cache->layouts);
      cache->serial = serial;
    }

  layout = g_hash_table_lookup (cache->layouts, text);
  if (layout == NULL)
    {
      layout = ea_chart_layout_new (painter, text);
      g_hash_table_insert (cache->layouts, g_strdup (text), layout);
    }
  return layout;
}

void
ea_chart_draw_text (EaChartPainter *painter,
                    const char     *text,
                    double          x,
                    double          y,
                    int             align,
                    const GdkRGBA  *color,
                    const GdkRGBA  *box)
{
  PangoLayout *layout = cached_layout (painter, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  if (align == 0)
    x -= w / 2.0;
  else if (align > 0)
    x -= w;
  x = floor (x);
  y = floor (y - h / 2.0);
  if (box != NULL)
    painter->fill_rect (painter, x - 3, y, w + 6, h, box);
  painter->text (painter, layout, x, y, color);
}

double
ea_chart_nice_step (double range,
                    double pixels,
                    double min_px)
{
  static const double mantissas[] = { 1, 2, 2.5, 4, 5, 8 };
  double px_per_unit, magnitude;

  if (!(range > 0) || !(pixels > 0))
    return 1;
  px_per_unit = pixels / range;
  for (magnitude = 1; magnitude < 1e15; magnitude *= 10)
    for (guint i = 0; i < G_N_ELEMENTS (mantissas); i++)
      if (mantissas[i] * magnitude * px_per_unit >= min_px)
        return mantissas[i] * magnitude;
  return magnitude;
}

char *
ea_chart_format_ticks (EaChartView *view,
                       EaTicks      ticks)
{
  const EaInstrumentSpec *spec = ea_chart_view_get_instrument (view);

  if (spec != NULL)
    return ea_instrument_format_price (spec, ticks);
  return g_strdup_printf ("%" G_GINT64_FORMAT, ticks);
}

/* Grid and axes ----------------------------------------------------- */

/* Grid steps in ticks: decimal-looking steps for decimal prices (ES 2.50,
 * 5.00 …), powers of two for prices quoted in 32nds (ZN, ZB: 1/2, 1, 2 …
 * 32nds), at least @min_px apart. */
EaTicks
ea_chart_price_step (const EaInstrumentSpec *spec,
                     double                  range_ticks,
                     double                  pixels,
                     double                  min_px)
{
  static const EaTicks bases[] = { 1, 2, 4, 5, 8, 10, 20, 25, 40, 50 };
  gint64 per_unit = spec != NULL ? ea_instrument_ticks_per_unit (spec) : 1;
  gboolean binary = per_unit >= 32 && (per_unit & (per_unit - 1)) == 0;
  double px_per_tick;

  if (!(range_ticks > 0) || !(pixels > 0))
    return 1;
  px_per_tick = pixels / range_ticks;
  if (binary)
    {
      for (EaTicks step = 1; step < G_GINT64_CONSTANT (1) << 60; step *= 2)
        if (step * px_per_tick >= min_px)
          return step;
      return G_GINT64_CONSTANT (1) << 60;
    }
  for (EaTicks scale = 1; scale < G_GINT64_CONSTANT (1000000000000); scale *= 100)
    for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
      if (bases[i] * scale * px_per_tick >= min_px)
        return bases[i] * scale;
  return G_GINT64_CONSTANT (1000000000000);
}

static void
draw_price_axis (EaChartView          *view,
                 EaChartPainter       *painter,
                 const EaChartPalette *palette)
{
  EaChartRect plot = ea_chart_view_get_plot_rect (view);
  EaChartRect price = ea_chart_view_get_price_rect (view);
  double lo, hi;
  EaTicks step, t;

  ea_chart_view_get_price_range (view, &lo, &hi);
  if (price.height < 10)
    return;
  step = ea_chart_price_step (ea_chart_view_get_instrument (view), hi - lo, price.height, 36);
  t = (EaTicks) ceil (lo / step) * step;
  for (; (double) t <= hi; t += step)
    {
      g_autofree char *label = ea_chart_format_ticks (view, t);
      int row = ea_chart_view_row_of_price (view, (double) t);

      if (row < price.y || row >= price.y + price.height)
        continue;
      painter->fill_rect (painter, plot.x, row, plot.width, 1, &palette->grid);
      if (row > price.y + 6 && row < price.y + price.height - 6)
        ea_chart_draw_text (painter, label, plot.x + plot.width + 6, row + 0.5, -1,
                            &palette->foreground, NULL);
    }
}

static GDateTime *
chicago_time (EaTimeUs t)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t / G_USEC_PER_SEC);

  if (utc == NULL)
    return NULL;
  return g_date_time_to_timezone (utc, ea_session_zone_chicago ());
}

static void
draw_time_axis (EaChartView          *view,
                EaChartPainter       *painter,
                const EaChartPalette *palette)
{
  EaChartRect plot = ea_chart_view_get_plot_rect (view);
  double bar_px = ea_chart_view_get_bar_px (view);
  gint64 i0, i1, stride, prev_day = -1;
  const gint64 *starts;
  gsize n_starts;
  double last_sep = -1e9;
  gboolean daily = FALSE;
  const EaBar *first_bar;

  ea_chart_view_visible_bars (view, &i0, &i1);
  if (i0 >= i1 || plot.width <= 0)
    return;

  /* Session breaks: a separator where a new trading day starts, skipped
   * when they would crowd closer than a few pixels. */
  starts = ea_chart_view_get_session_starts (view, &n_starts);
  for (gsize s = 0; s < n_starts; s++)
    {
      int x, w;

      if (starts[s] < i0 || starts[s] >= i1)
        continue;
      ea_chart_view_bar_slot (view, starts[s], &x, &w);
      if (x < 0 || x >= plot.width || x - last_sep < 4)
        continue;
      painter->fill_rect (painter, x, plot.y, 1, plot.height, &palette->session);
      last_sep = x;
    }

  first_bar = ea_chart_view_get_bar (view, (gsize) i0);
  daily = first_bar->end - first_bar->start >= G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC;
  stride = (gint64) ea_chart_nice_step (1.0, bar_px, 90);
  stride = MAX (stride, 1);
  for (gint64 i = (i0 + stride - 1) / stride * stride; i < i1; i += stride)
    {
      const EaBar *bar = ea_chart_view_get_bar (view, (gsize) i);
      g_autoptr(GDateTime) local = chicago_time (bar->start);
      g_autofree char *label = NULL;
      gint64 day;
      int x, w;

      if (local == NULL)
        continue;
      ea_chart_view_bar_slot (view, i, &x, &w);
      if (x < 30 || x > plot.width - 30)
        continue;
      day = g_date_time_get_year (local) * 10000 + g_date_time_get_day_of_year (local);
      label = g_date_time_format (local, daily || (prev_day >= 0 && day != prev_day) ? "%b %d" : "%H:%M");
      prev_day = day;
      painter->fill_rect (painter, x + w / 2, plot.y, 1, plot.height, &palette->grid);
      ea_chart_draw_text (painter, label, x + w / 2, plot.y + plot.height + EA_CHART_TIME_AXIS_HEIGHT / 2.0,
                          0, &palette->foreground, NULL);
    }
}

/* Bars -------------------------------------------------------------- */

static void
draw_volume (EaChartView          *view,
             EaChartPainter       *painter,
             const EaChartPalette *palette)
{
  EaChartRect vol = ea_chart_view_get_volume_rect (view);
  gint64 i0, i1, vmax = 0;
  double bottom = vol.y + vol.height;

  if (vol.height < 4)
    return;

  if (ea_chart_view_is_decimated (view))
    {
      gsize n;
      const EaChartColumn *cols = ea_chart_view_get_columns (view, &n);

      for (gsize c = 0; c < n; c++)
        vmax = MAX (vmax, cols[c].volume);
      if (vmax <= 0)
        return;
      for (int pass = 0; pass < 2; pass++)
        for (gsize c = 0; c < n; c++)
          {
            gboolean up = cols[c].close >= cols[c].open;
            double h = floor (cols[c].volume * vol.height / vmax);

            if (cols[c].n > 0 && up == (pass == 0))
              painter->fill_rect (painter, c, bottom - h, 1, h, up ? &palette->volume_up : &palette->volume_down);
          }
      return;
    }

  ea_chart_view_visible_bars (view, &i0, &i1);
  for (gint64 i = i0; i < i1; i++)
    vmax = MAX (vmax, ea_chart_view_get_bar (view, (gsize) i)->volume);
  if (vmax <= 0)
    return;
  for (int pass = 0; pass < 2; pass++)
    for (gint64 i = i0; i < i1; i++)
      {
        const EaBar *bar = ea_chart_view_get_bar (view, (gsize) i);
        gboolean up = bar->close >= bar->open;
        double h = floor (bar->volume * vol.height / vmax);
        int x, w, gap;

        if (up != (pass == 0))
          continue;
        ea_chart_view_bar_slot (view, i, &x, &w);
        gap = w >= 4 ? MAX (1, w / 5) : 0;
        painter->fill_rect (painter, x + gap / 2, bottom - h, MAX (1, w - gap), h,
                            up ? &palette->volume_up : &palette->volume_down);
      }
}

/* Body width: odd so the wick sits on its middle column. */
void
ea_chart_candle_geometry (int  slot_x,
                          int  slot_w,
                          int *body_x,
                          int *body_w,
                          int *wick_x)
{
  int w = slot_w - MAX (1, slot_w / 4);

  if (w < 1)
    w = 1;
  if (w % 2 == 0)
    w -= 1;
  w = MAX (w, 1);
  *body_w = w;
  *body_x = slot_x + (slot_w - w) / 2;
  *wick_x = *body_x + w / 2;
}

static void
draw_bar (EaChartView          *view,
          EaChartPainter       *painter,
          const EaChartPalette *palette,
          gint64                i,
          const EaBar          *bar)
{
  gboolean up = bar->close >= bar->open;
  const GdkRGBA *color = up ? &palette->up : &palette->down;
  int sx, sw, bx, bw, wx;
  int rh = ea_chart_view_row_of_price (view, (double) bar->high);
  int rl = ea_chart_view_row_of_price (view, (double) bar->low);
  int ro = ea_chart_view_row_of_price (view, (double) bar->open);
  int rc = ea_chart_view_row_of_price (view, (double) bar->close);

  ea_chart_view_bar_slot (view, i, &sx, &sw);
  ea_chart_candle_geometry (sx, sw, &bx, &bw, &wx);
  painter->fill_rect (painter, wx, rh, 1, rl - rh + 1, color);

  switch (ea_chart_view_get_style (view))
    {
    case EA_CHART_STYLE_CANDLES:
      painter->fill_rect (painter, bx, MIN (ro, rc), bw, ABS (ro - rc) + 1, color);
      break;
    case EA_CHART_STYLE_OHLC:
      painter->fill_rect (painter, bx, ro, wx - bx, 1, color);
      painter->fill_rect (painter, wx + 1, rc, bx + bw - wx - 1, 1, color);
      break;
    case EA_CHART_STYLE_LINE:
    default:
      break;
    }
}

static void
draw_close_line (EaChartView          *view,
                 EaChartPainter       *painter,
                 const EaChartPalette *palette)
{
  EaChartRect price = ea_chart_view_get_price_rect (view);
  cairo_t *cr = painter->begin_cairo (painter, &price);
  gboolean started = FALSE;

  if (ea_chart_view_is_decimated (view))
    {
      gsize n;
      const EaChartColumn *cols = ea_chart_view_get_columns (view, &n);

      for (gsize c = 0; c < n; c++)
        if (cols[c].n > 0)
          {
            double y = ea_chart_view_y_of_price (view, (double) cols[c].close);

            if (started)
              cairo_line_to (cr, c + 0.5, y);
            else
              cairo_move_to (cr, c + 0.5, y);
            started = TRUE;
          }
    }
  else
    {
      gint64 i0, i1;

      ea_chart_view_visible_bars (view, &i0, &i1);
      for (gint64 i = i0; i < i1; i++)
        {
          int sx, sw;
          double y = ea_chart_view_y_of_price (view, (double) ea_chart_view_get_bar (view, (gsize) i)->close);

          ea_chart_view_bar_slot (view, i, &sx, &sw);
          if (started)
            cairo_line_to (cr, sx + sw / 2 + 0.5, y);
          else
            cairo_move_to (cr, sx + sw / 2 + 0.5, y);
          started = TRUE;
        }
    }
  gdk_cairo_set_source_rgba (cr, &palette->ema[0]);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
  painter->end_cairo (painter, cr);
}

static void
draw_bars (EaChartView          *view,
           EaChartPainter       *painter,
           const EaChartPalette *palette)
{
  gint64 i0, i1;

  if (ea_chart_view_get_style (view) == EA_CHART_STYLE_LINE)
    {
      draw_close_line (view, painter, palette);
      return;
    }

  if (ea_chart_view_is_decimated (view))
    {
      gsize n;
      const EaChartColumn *cols = ea_chart_view_get_columns (view, &n);

      /* One vertical line per pixel column from its high to its low. */
      for (int pass = 0; pass < 2; pass++)
        for (gsize c = 0; c < n; c++)
          {
            gboolean up = cols[c].close >= cols[c].open;
            int rh, rl;

            if (cols[c].n == 0 || up != (pass == 0))
              continue;
            rh = ea_chart_view_row_of_price (view, (double) cols[c].high);
            rl = ea_chart_view_row_of_price (view, (double) cols[c].low);
            painter->fill_rect (painter, c, rh, 1, rl - rh + 1, up ? &palette->up : &palette->down);
          }
      return;
    }

  ea_chart_view_visible_bars (view, &i0, &i1);
  for (int pass = 0; pass < 2; pass++)
    for (gint64 i = i0; i < i1; i++)
      {
        const EaBar *bar = ea_chart_view_get_bar (view, (gsize) i);

        if ((bar->close >= bar->open) == (pass == 0))
          draw_bar (view, painter, palette, i, bar);
      }
}

/* Entry point ------------------------------------------------------- */

void
ea_chart_render (EaChartView          *view,
                 EaChartPainter       *painter,
                 const EaChartPalette *palette)
{
  int width, height;
  EaChartRect plot, price, vol;

  g_return_if_fail (view != NULL);
  g_return_if_fail (painter != NULL);
  g_return_if_fail (palette != NULL);

  ea_chart_view_get_size (view, &width, &height);
  if (width <= 0 || height <= 0)
    return;
  plot = ea_chart_view_get_plot_rect (view);
  price = ea_chart_view_get_price_rect (view);
  vol = ea_chart_view_get_volume_rect (view);

  painter->fill_rect (painter, 0, 0, width, height, &palette->background);
  if (plot.width <= 0 || plot.height <= 0)
    return;

  draw_time_axis (view, painter, palette);
  draw_price_axis (view, painter, palette);

  if (ea_chart_view_get_n_bars (view) > 0)
    {
      painter->push_clip (painter, &vol);
      draw_volume (view, painter, palette);
      painter->pop_clip (painter);

      painter->push_clip (painter, &price);
      ea_chart_render_indicators (view, painter, palette);
      draw_bars (view, painter, palette);
      painter->pop_clip (painter);
    }

  ea_chart_render_overlays (view, painter, palette);
  ea_chart_render_crosshair (view, painter, palette);
}
