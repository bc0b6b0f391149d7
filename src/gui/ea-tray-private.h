/* ea-tray-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the three files of EaTray: ea-tray.c (the object, its setters
 * and the registration with the watcher), ea-tray-item.c (the
 * org.kde.StatusNotifierItem object) and ea-tray-menu.c (the
 * com.canonical.dbusmenu object).
 */
#pragma once

#include "ea-tray.h"

G_BEGIN_DECLS

#define EA_TRAY_ITEM_INTERFACE "org.kde.StatusNotifierItem"
#define EA_TRAY_MENU_INTERFACE "com.canonical.dbusmenu"

/* Highest item id; ids run 0 .. EA_TRAY_MENU_LAST_ID without gaps. */
#define EA_TRAY_MENU_LAST_ID EA_TRAY_MENU_QUIT

#define EA_TRAY_MENU_ITEM_BIT(id) (1u << (id))

struct _EaTray
{
  GObject          parent_instance;

  GDBusConnection *connection;
  GWeakRef         actions;

  guint            item_registration_id;
  guint            menu_registration_id;
  guint            watch_id;
  GCancellable    *register_cancellable;

  char            *mode_text;
  char            *day_pnl_text;
  char            *trading_state_text;
  char            *icon_theme_path;

  guint32          menu_revision;
  guint            flush_source_id;
  guint            dirty_items;

  guint            registered : 1;
  guint            needs_attention : 1;
  guint            window_visible : 1;
  guint            tooltip_dirty : 1;
};

void        _ea_tray_activate_action         (EaTray      *self,
                                              const char  *action_name);
char       *_ea_tray_dup_info_text           (EaTray      *self,
                                              guint        item_id);
const char *_ea_tray_get_item_status         (EaTray      *self);
GVariant   *_ea_tray_build_tooltip           (EaTray      *self);
void        _ea_tray_emit_signal             (EaTray      *self,
                                              const char  *object_path,
                                              const char  *interface_name,
                                              const char  *signal_name,
                                              GVariant    *parameters);
void        _ea_tray_emit_properties_changed (EaTray      *self,
                                              const char  *object_path,
                                              const char  *interface_name,
                                              const char  *property_name,
                                              GVariant    *value);
guint       _ea_tray_item_export             (EaTray      *self,
                                              GError     **error);
guint       _ea_tray_menu_export             (EaTray      *self,
                                              GError     **error);
void        _ea_tray_menu_emit_updates       (EaTray      *self,
                                              guint        dirty_items);

G_END_DECLS
