/* ea-tray-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The org.kde.StatusNotifierItem object of EaTray: its properties (all
 * read-only) and methods.  Activate (a left click) shows the window; the
 * other methods have nothing to do, since hosts open the dbusmenu
 * themselves.
 */
#define G_LOG_DOMAIN "ea-tray"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-tray-private.h"

#define ICON_NAME   APP_ID
#define PLACEHOLDER "\u2014"

static const char item_xml[] =
  "<node>"
  "  <interface name='" EA_TRAY_ITEM_INTERFACE "'>"
  "    <property name='Category' type='s' access='read'/>"
  "    <property name='Id' type='s' access='read'/>"
  "    <property name='Title' type='s' access='read'/>"
  "    <property name='Status' type='s' access='read'/>"
  "    <property name='WindowId' type='i' access='read'/>"
  "    <property name='IconThemePath' type='s' access='read'/>"
  "    <property name='Menu' type='o' access='read'/>"
  "    <property name='ItemIsMenu' type='b' access='read'/>"
  "    <property name='IconName' type='s' access='read'/>"
  "    <property name='IconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='OverlayIconName' type='s' access='read'/>"
  "    <property name='OverlayIconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='AttentionIconName' type='s' access='read'/>"
  "    <property name='AttentionIconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='AttentionMovieName' type='s' access='read'/>"
  "    <property name='ToolTip' type='(sa(iiay)ss)' access='read'/>"
  "    <method name='ContextMenu'>"
  "      <arg name='x' type='i' direction='in'/>"
  "      <arg name='y' type='i' direction='in'/>"
  "    </method>"
  "    <method name='Activate'>"
  "      <arg name='x' type='i' direction='in'/>"
  "      <arg name='y' type='i' direction='in'/>"
  "    </method>"
  "    <method name='SecondaryActivate'>"
  "      <arg name='x' type='i' direction='in'/>"
  "      <arg name='y' type='i' direction='in'/>"
  "    </method>"
  "    <method name='Scroll'>"
  "      <arg name='delta' type='i' direction='in'/>"
  "      <arg name='orientation' type='s' direction='in'/>"
  "    </method>"
  "    <signal name='NewTitle'/>"
  "    <signal name='NewIcon'/>"
  "    <signal name='NewAttentionIcon'/>"
  "    <signal name='NewOverlayIcon'/>"
  "    <signal name='NewToolTip'/>"
  "    <signal name='NewStatus'>"
  "      <arg name='status' type='s'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

static const char *
text_or_placeholder (const char *text)
{
  return (text != NULL && text[0] != '\0') ? text : PLACEHOLDER;
}

/* The text of an information line, shared by the menu and the tooltip. */
char *
_ea_tray_dup_info_text (EaTray *self,
                        guint   item_id)
{
  g_assert (EA_IS_TRAY (self));

  switch (item_id)
    {
    case EA_TRAY_MENU_MODE:
      return g_strdup_printf (_("Mode: %s"), text_or_placeholder (self->mode_text));

    case EA_TRAY_MENU_DAY_PNL:
      return g_strdup_printf (_("Day P&L: %s"), text_or_placeholder (self->day_pnl_text));

    case EA_TRAY_MENU_TRADING_STATE:
      return g_strdup_printf (_("Trading: %s"),
                              text_or_placeholder (self->trading_state_text));

    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
_ea_tray_get_item_status (EaTray *self)
{
  return self->needs_attention ? "NeedsAttention" : "Active";
}

GVariant *
_ea_tray_build_tooltip (EaTray *self)
{
  g_autofree char *mode = _ea_tray_dup_info_text (self, EA_TRAY_MENU_MODE);
  g_autofree char *pnl = _ea_tray_dup_info_text (self, EA_TRAY_MENU_DAY_PNL);
  g_autofree char *state = _ea_tray_dup_info_text (self, EA_TRAY_MENU_TRADING_STATE);
  g_autofree char *description = g_strjoin ("\n", mode, pnl, state, NULL);

  return g_variant_new ("(s@a(iiay)ss)",
                        ICON_NAME,
                        g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0),
                        "Enigma Apex",
                        description);
}

static GVariant *
empty_pixmaps (void)
{
  return g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0);
}

static GVariant *
item_get_property_value (EaTray     *self,
                         const char *name)
{
  if (g_str_equal (name, "Category"))
    return g_variant_new_string ("ApplicationStatus");
  if (g_str_equal (name, "Id"))
    return g_variant_new_string (APP_ID);
  if (g_str_equal (name, "Title"))
    return g_variant_new_string ("Enigma Apex");
  if (g_str_equal (name, "Status"))
    return g_variant_new_string (_ea_tray_get_item_status (self));
  if (g_str_equal (name, "WindowId"))
    return g_variant_new_int32 (0);
  if (g_str_equal (name, "IconThemePath"))
    return g_variant_new_string (self->icon_theme_path ? self->icon_theme_path : "");
  if (g_str_equal (name, "Menu"))
    return g_variant_new_object_path (EA_TRAY_MENU_PATH);
  if (g_str_equal (name, "ItemIsMenu"))
    return g_variant_new_boolean (FALSE);
  if (g_str_equal (name, "IconName"))
    return g_variant_new_string (ICON_NAME);
  if (g_str_equal (name, "AttentionIconName"))
    return g_variant_new_string (ICON_NAME);
  if (g_str_equal (name, "OverlayIconName") || g_str_equal (name, "AttentionMovieName"))
    return g_variant_new_string ("");
  if (g_str_equal (name, "IconPixmap") ||
      g_str_equal (name, "OverlayIconPixmap") ||
      g_str_equal (name, "AttentionIconPixmap"))
    return empty_pixmaps ();
  if (g_str_equal (name, "ToolTip"))
    return _ea_tray_build_tooltip (self);

  return NULL;
}

static GVariant *
item_get_property_cb (GDBusConnection  *connection,
                      const char       *sender,
                      const char       *object_path,
                      const char       *interface_name,
                      const char       *property_name,
                      GError          **error,
                      gpointer          user_data)
{
  EaTray *self = user_data;
  GVariant *value;

  g_assert (EA_IS_TRAY (self));

  value = item_get_property_value (self, property_name);
  if (value == NULL)
    g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
                 "No such property \"%s\"", property_name);

  return value;
}

static void
item_method_call_cb (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  EaTray *self = user_data;

  g_assert (EA_IS_TRAY (self));

  /* ContextMenu, SecondaryActivate and Scroll have nothing to do: hosts
   * open the dbusmenu themselves. */
  if (g_str_equal (method_name, "Activate"))
    _ea_tray_activate_action (self, "show-window");

  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable item_vtable = {
  .method_call = item_method_call_cb,
  .get_property = item_get_property_cb,
};

/* Exports the item at EA_TRAY_ITEM_PATH; returns the registration id, or 0
 * with @error set. */
guint
_ea_tray_item_export (EaTray  *self,
                      GError **error)
{
  g_autoptr(GDBusNodeInfo) node = NULL;

  g_assert (EA_IS_TRAY (self));

  node = g_dbus_node_info_new_for_xml (item_xml, error);
  if (node == NULL)
    return 0;

  /* The registration keeps its own reference on the interface info. */
  return g_dbus_connection_register_object (self->connection, EA_TRAY_ITEM_PATH,
                                            node->interfaces[0], &item_vtable,
                                            self, NULL, error);
}
