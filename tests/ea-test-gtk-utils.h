/* ea-test-gtk-utils.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*EaTestCondition) (gpointer user_data);

gboolean ea_test_wait_until      (EaTestCondition  condition,
                                  gpointer         user_data,
                                  guint            timeout_ms);
void     ea_test_iterate         (guint            ms);
gboolean ea_test_save_screenshot (GtkWidget       *widget,
                                  const char      *path,
                                  GError         **error);
/* The widget's snapshot rendered by its window's renderer. */
GdkTexture *ea_test_render_widget (GtkWidget      *widget,
                                   GError        **error);
/* The unpremultiplied colour at (@x, @y); FALSE outside. */
gboolean ea_test_texture_pixel   (GdkTexture      *texture,
                                  int              x,
                                  int              y,
                                  GdkRGBA         *out);
char    *ea_test_run_binary      (const char * const *argv,
                                  int             *exit_status);

G_END_DECLS
