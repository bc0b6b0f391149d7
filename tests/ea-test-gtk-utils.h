/* ea-test-gtk-utils.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*EaTestCondition) (gpointer user_data);

gboolean    ea_test_wait_until           (EaTestCondition      condition,
                                          gpointer             user_data,
                                          guint                timeout_ms);
void        ea_test_iterate              (guint                ms);
GdkTexture *ea_test_render_widget        (GtkWidget           *widget,
                                          GError             **error);
gboolean    ea_test_save_screenshot      (GtkWidget           *widget,
                                          const char          *path,
                                          GError             **error);
gint64      ea_test_texture_dominant_rgb (GdkTexture          *texture);
char       *ea_test_run_binary           (const char * const  *argv,
                                          int                 *exit_status);
/* The unpremultiplied colour at (@x, @y); FALSE outside. */
gboolean    ea_test_texture_pixel        (GdkTexture          *texture,
                                          int                  x,
                                          int                  y,
                                          GdkRGBA             *out);

G_END_DECLS
