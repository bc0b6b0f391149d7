/* ea-test-gtk-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ea-test-gtk-utils.h"

#include <string.h>

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until @condition holds or @timeout_ms pass.
 * Returns whether the condition held. This is a liveness bound, not a
 * timing assertion: the timeout only stops a broken test from hanging. */
gboolean
ea_test_wait_until (EaTestCondition condition,
                    gpointer        user_data,
                    guint           timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!condition (user_data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return condition (user_data);
}

void
ea_test_iterate (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

/* Renders @widget as it is drawn now, at its allocated size, with its
 * window's renderer. */
GdkTexture *
ea_test_render_widget (GtkWidget  *widget,
                       GError    **error)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer;
  GtkNative *native;
  int width, height;

  native = gtk_widget_get_native (widget);
  if (native == NULL || (renderer = gtk_native_get_renderer (native)) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           "Widget is not realized");
      return NULL;
    }

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  if (width <= 0 || height <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           "Widget has no size");
      return NULL;
    }

  paintable = gtk_widget_paintable_new (widget);

  /* A busy display may not have drawn the widget yet: give it frames. */
  for (guint attempt = 0; node == NULL && attempt < 100; attempt++)
    {
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (node == NULL)
        ea_test_iterate (50);
    }

  if (node == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Nothing was drawn");
      return NULL;
    }

  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

gboolean
ea_test_texture_pixel (GdkTexture *texture,
                       int         x,
                       int         y,
                       GdkRGBA    *out)
{
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  g_autofree guchar *data = NULL;
  const guchar *p;

  if (x < 0 || y < 0 || x >= width || y >= height)
    return FALSE;
  data = g_malloc ((gsize) width * height * 4);
  /* Cairo's ARGB32: premultiplied, native-endian 32-bit words. */
  gdk_texture_download (texture, data, (gsize) width * 4);
  p = data + ((gsize) y * width + x) * 4;
  {
    guint32 px = *(const guint32 *) (gconstpointer) p;
    double a = ((px >> 24) & 0xff) / 255.0;

    out->alpha = a;
    out->red = a > 0 ? ((px >> 16) & 0xff) / 255.0 / a : 0;
    out->green = a > 0 ? ((px >> 8) & 0xff) / 255.0 / a : 0;
    out->blue = a > 0 ? (px & 0xff) / 255.0 / a : 0;
  }
  return TRUE;
}

gboolean
ea_test_save_screenshot (GtkWidget   *widget,
                         const char  *path,
                         GError     **error)
{
  g_autoptr(GdkTexture) texture = ea_test_render_widget (widget, error);

  if (texture == NULL)
    return FALSE;

  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not write %s", path);
      return FALSE;
    }

  return TRUE;
}

/* The colour most of @texture's opaque pixels have, as 0xRRGGBB (the
 * background of a widget whose text and rounded corners are a minority),
 * or -1 if no pixel is opaque. */
gint64
ea_test_texture_dominant_rgb (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *pixels = g_malloc ((gsize) height * stride);
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  guint best_count = 0;
  gint64 best = -1;

  /* CAIRO_FORMAT_ARGB32: one native-endian 32-bit word per pixel. */
  gdk_texture_download (texture, pixels, stride);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 argb;
        guint rgb, count;

        memcpy (&argb, pixels + (gsize) y * stride + (gsize) x * 4, sizeof argb);
        if ((argb >> 24) != 0xff)
          continue;
        rgb = argb & 0xffffff;
        count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (rgb))) + 1;
        g_hash_table_insert (counts, GUINT_TO_POINTER (rgb), GUINT_TO_POINTER (count));
        if (count > best_count)
          {
            best_count = count;
            best = rgb;
          }
      }

  return best;
}

typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
  GError   *error;
} RunData;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RunData *data = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result,
                                        &data->out, &data->err, &data->error);
  data->done = TRUE;
}

/* Runs a program to completion and returns its standard output, then a
 * "--stderr--" line and its standard error. The main context keeps
 * running meanwhile, so a primary instance in this process can answer the
 * child's D-Bus calls. */
char *
ea_test_run_binary (const char * const *argv,
                    int                *exit_status)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  RunData data = { 0 };
  char *ret;

  proc = g_subprocess_newv (argv,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (proc, NULL, NULL, communicate_cb, &data);
  while (!data.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (data.error);

  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);

  *exit_status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;

  ret = g_strconcat (data.out ? data.out : "", "--stderr--\n", data.err ? data.err : "", NULL);
  g_free (data.out);
  g_free (data.err);

  return ret;
}
