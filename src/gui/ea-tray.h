/* ea-tray.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaTray is the tray icon: an org.kde.StatusNotifierItem at
 * /StatusNotifierItem and its com.canonical.dbusmenu menu at /MenuBar,
 * written directly over GDBus because GTK 4 has no tray API.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EA_TRAY_ITEM_PATH   "/StatusNotifierItem"
#define EA_TRAY_MENU_PATH   "/MenuBar"
#define EA_TRAY_WATCHER_NAME "org.kde.StatusNotifierWatcher"

/* Fixed ids of the dbusmenu items under the root (id 0). */
typedef enum
{
  EA_TRAY_MENU_ROOT = 0,
  EA_TRAY_MENU_EMERGENCY_STOP = 1,
  EA_TRAY_MENU_SEPARATOR_1 = 2,
  EA_TRAY_MENU_TOGGLE_WINDOW = 3,
  EA_TRAY_MENU_SEPARATOR_2 = 4,
  EA_TRAY_MENU_MODE = 5,
  EA_TRAY_MENU_DAY_PNL = 6,
  EA_TRAY_MENU_TRADING_STATE = 7,
  EA_TRAY_MENU_SEPARATOR_3 = 8,
  EA_TRAY_MENU_QUIT = 9,
} EaTrayMenuId;

#define EA_TYPE_TRAY (ea_tray_get_type ())

G_DECLARE_FINAL_TYPE (EaTray, ea_tray, EA, TRAY, GObject)

EaTray     *ea_tray_new                    (GDBusConnection  *connection,
                                            GActionGroup     *actions,
                                            GError          **error);
GDBusConnection *ea_tray_get_connection    (EaTray           *self);
gboolean    ea_tray_get_registered         (EaTray           *self);
const char *ea_tray_get_status             (EaTray           *self);
void        ea_tray_set_mode_text          (EaTray           *self,
                                            const char       *text);
const char *ea_tray_get_mode_text          (EaTray           *self);
void        ea_tray_set_day_pnl_text       (EaTray           *self,
                                            const char       *text);
const char *ea_tray_get_day_pnl_text       (EaTray           *self);
void        ea_tray_set_trading_state_text (EaTray           *self,
                                            const char       *text);
const char *ea_tray_get_trading_state_text (EaTray           *self);
void        ea_tray_set_needs_attention    (EaTray           *self,
                                            gboolean          needs_attention);
gboolean    ea_tray_get_needs_attention    (EaTray           *self);
void        ea_tray_set_window_visible     (EaTray           *self,
                                            gboolean          window_visible);
gboolean    ea_tray_get_window_visible     (EaTray           *self);
void        ea_tray_set_icon_theme_path    (EaTray           *self,
                                            const char       *path);
const char *ea_tray_get_icon_theme_path    (EaTray           *self);

G_END_DECLS
