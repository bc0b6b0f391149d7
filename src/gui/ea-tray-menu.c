/* ea-tray-menu.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The com.canonical.dbusmenu object of EaTray: a flat menu under the root
 * item 0 with fixed ids (see EaTrayMenuId).  Both the single and the Group
 * forms of the methods are served, since libdbusmenu-glib clients use the
 * latter.  Items carry only the properties that differ from the dbusmenu
 * defaults (type "standard", enabled and visible true).
 */
#define G_LOG_DOMAIN "ea-tray"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-tray-private.h"

#define DBUSMENU_VERSION 3

static const char menu_xml[] =
  "<node>"
  "  <interface name='" EA_TRAY_MENU_INTERFACE "'>"
  "    <property name='Version' type='u' access='read'/>"
  "    <property name='TextDirection' type='s' access='read'/>"
  "    <property name='Status' type='s' access='read'/>"
  "    <property name='IconThemePath' type='as' access='read'/>"
  "    <method name='GetLayout'>"
  "      <arg name='parentId' type='i' direction='in'/>"
  "      <arg name='recursionDepth' type='i' direction='in'/>"
  "      <arg name='propertyNames' type='as' direction='in'/>"
  "      <arg name='revision' type='u' direction='out'/>"
  "      <arg name='layout' type='(ia{sv}av)' direction='out'/>"
  "    </method>"
  "    <method name='GetGroupProperties'>"
  "      <arg name='ids' type='ai' direction='in'/>"
  "      <arg name='propertyNames' type='as' direction='in'/>"
  "      <arg name='properties' type='a(ia{sv})' direction='out'/>"
  "    </method>"
  "    <method name='GetProperty'>"
  "      <arg name='id' type='i' direction='in'/>"
  "      <arg name='name' type='s' direction='in'/>"
  "      <arg name='value' type='v' direction='out'/>"
  "    </method>"
  "    <method name='Event'>"
  "      <arg name='id' type='i' direction='in'/>"
  "      <arg name='eventId' type='s' direction='in'/>"
  "      <arg name='data' type='v' direction='in'/>"
  "      <arg name='timestamp' type='u' direction='in'/>"
  "    </method>"
  "    <method name='EventGroup'>"
  "      <arg name='events' type='a(isvu)' direction='in'/>"
  "      <arg name='idErrors' type='ai' direction='out'/>"
  "    </method>"
  "    <method name='AboutToShow'>"
  "      <arg name='id' type='i' direction='in'/>"
  "      <arg name='needUpdate' type='b' direction='out'/>"
  "    </method>"
  "    <method name='AboutToShowGroup'>"
  "      <arg name='ids' type='ai' direction='in'/>"
  "      <arg name='updatesNeeded' type='ai' direction='out'/>"
  "      <arg name='idErrors' type='ai' direction='out'/>"
  "    </method>"
  "    <signal name='ItemsPropertiesUpdated'>"
  "      <arg name='updatedProps' type='a(ia{sv})'/>"
  "      <arg name='removedProps' type='a(ias)'/>"
  "    </signal>"
  "    <signal name='LayoutUpdated'>"
  "      <arg name='revision' type='u'/>"
  "      <arg name='parent' type='i'/>"
  "    </signal>"
  "    <signal name='ItemActivationRequested'>"
  "      <arg name='id' type='i'/>"
  "      <arg name='timestamp' type='u'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

static gboolean
is_valid_id (gint32 id)
{
  return id >= 0 && id <= EA_TRAY_MENU_LAST_ID;
}

static gboolean
is_separator (gint32 id)
{
  return id == EA_TRAY_MENU_SEPARATOR_1 ||
         id == EA_TRAY_MENU_SEPARATOR_2 ||
         id == EA_TRAY_MENU_SEPARATOR_3;
}

static gboolean
is_info (gint32 id)
{
  return id == EA_TRAY_MENU_MODE ||
         id == EA_TRAY_MENU_DAY_PNL ||
         id == EA_TRAY_MENU_TRADING_STATE;
}

/* In dbusmenu labels "_" marks a mnemonic; text from the application is
 * shown literally, so its underscores are doubled. */
static char *
escape_mnemonics (const char *text)
{
  GString *str = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '_')
        g_string_append_c (str, '_');
      g_string_append_c (str, *p);
    }

  return g_string_free (str, FALSE);
}

static char *
dup_label (EaTray *self,
           gint32  id)
{
  switch (id)
    {
    case EA_TRAY_MENU_EMERGENCY_STOP:
      return g_strdup (_("Emergency Stop"));

    case EA_TRAY_MENU_TOGGLE_WINDOW:
      return g_strdup (self->window_visible ? _("Hide Window") : _("Show Window"));

    case EA_TRAY_MENU_MODE:
    case EA_TRAY_MENU_DAY_PNL:
    case EA_TRAY_MENU_TRADING_STATE:
      {
        g_autofree char *text = _ea_tray_dup_info_text (self, id);

        return escape_mnemonics (text);
      }

    case EA_TRAY_MENU_QUIT:
      return g_strdup (_("Quit"));

    default:
      return NULL;
    }
}

static gboolean
wants_property (const char * const *names,
                const char         *name)
{
  return names == NULL || names[0] == NULL || g_strv_contains (names, name);
}

/* The item's non-default properties, restricted to @names when that is a
 * non-empty list. */
static GVariant *
build_item_properties (EaTray             *self,
                       gint32              id,
                       const char * const *names)
{
  GVariantBuilder builder;
  g_autofree char *label = NULL;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);

  if (id == EA_TRAY_MENU_ROOT)
    {
      if (wants_property (names, "children-display"))
        g_variant_builder_add (&builder, "{sv}", "children-display",
                               g_variant_new_string ("submenu"));
      return g_variant_builder_end (&builder);
    }

  if (is_separator (id))
    {
      if (wants_property (names, "type"))
        g_variant_builder_add (&builder, "{sv}", "type", g_variant_new_string ("separator"));
      return g_variant_builder_end (&builder);
    }

  label = dup_label (self, id);
  if (label != NULL && wants_property (names, "label"))
    g_variant_builder_add (&builder, "{sv}", "label", g_variant_new_string (label));

  if (is_info (id) && wants_property (names, "enabled"))
    g_variant_builder_add (&builder, "{sv}", "enabled", g_variant_new_boolean (FALSE));

  if (id == EA_TRAY_MENU_EMERGENCY_STOP && wants_property (names, "icon-name"))
    g_variant_builder_add (&builder, "{sv}", "icon-name", g_variant_new_string ("process-stop"));

  return g_variant_builder_end (&builder);
}

static GVariant *
build_layout (EaTray             *self,
              gint32              id,
              gint32              depth,
              const char * const *names)
{
  GVariantBuilder children;

  g_variant_builder_init (&children, G_VARIANT_TYPE ("av"));

  if (id == EA_TRAY_MENU_ROOT && depth != 0)
    {
      for (gint32 child = 1; child <= EA_TRAY_MENU_LAST_ID; child++)
        g_variant_builder_add (&children, "v",
                               build_layout (self, child, depth - 1, names));
    }

  return g_variant_new ("(i@a{sv}av)", id,
                        build_item_properties (self, id, names),
                        &children);
}

static void
handle_event (EaTray     *self,
              gint32      id,
              const char *event_id)
{
  if (!g_str_equal (event_id, "clicked"))
    return;

  switch (id)
    {
    case EA_TRAY_MENU_EMERGENCY_STOP:
      _ea_tray_activate_action (self, "emergency-stop");
      break;

    case EA_TRAY_MENU_TOGGLE_WINDOW:
      _ea_tray_activate_action (self, "toggle-window");
      break;

    case EA_TRAY_MENU_QUIT:
      _ea_tray_activate_action (self, "quit");
      break;

    case EA_TRAY_MENU_ROOT:
    case EA_TRAY_MENU_SEPARATOR_1:
    case EA_TRAY_MENU_SEPARATOR_2:
    case EA_TRAY_MENU_SEPARATOR_3:
    case EA_TRAY_MENU_MODE:
    case EA_TRAY_MENU_DAY_PNL:
    case EA_TRAY_MENU_TRADING_STATE:
    default:
      break;
    }
}

static void
return_invalid_id (GDBusMethodInvocation *invocation,
                   gint32                 id)
{
  g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                         "No menu item with id %d", id);
}

static void
get_layout (EaTray                *self,
            GVariant              *parameters,
            GDBusMethodInvocation *invocation)
{
  g_autofree const char **names = NULL;
  gint32 parent_id;
  gint32 depth;

  g_variant_get (parameters, "(ii^a&s)", &parent_id, &depth, &names);

  if (!is_valid_id (parent_id))
    {
      return_invalid_id (invocation, parent_id);
      return;
    }

  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(u@(ia{sv}av))",
                                                        self->menu_revision,
                                                        build_layout (self, parent_id, depth,
                                                                      names)));
}

static void
get_group_properties (EaTray                *self,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation)
{
  g_autoptr(GVariant) ids = NULL;
  g_autofree const char **names = NULL;
  GVariantBuilder builder;
  gsize n_ids;

  g_variant_get (parameters, "(@ai^a&s)", &ids, &names);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ia{sv})"));

  n_ids = g_variant_n_children (ids);
  if (n_ids == 0)
    {
      /* No ids asks for every item. */
      for (gint32 id = 0; id <= EA_TRAY_MENU_LAST_ID; id++)
        g_variant_builder_add (&builder, "(i@a{sv})", id,
                               build_item_properties (self, id, names));
    }
  else
    {
      const gint32 *id_list = g_variant_get_fixed_array (ids, &n_ids, sizeof (gint32));

      for (gsize i = 0; i < n_ids; i++)
        if (is_valid_id (id_list[i]))
          g_variant_builder_add (&builder, "(i@a{sv})", id_list[i],
                                 build_item_properties (self, id_list[i], names));
    }

  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(a(ia{sv}))", &builder));
}

static void
get_menu_property (EaTray                *self,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation)
{
  g_autoptr(GVariant) props = NULL;
  g_autoptr(GVariant) value = NULL;
  const char *name;
  gint32 id;

  g_variant_get (parameters, "(i&s)", &id, &name);

  if (!is_valid_id (id))
    {
      return_invalid_id (invocation, id);
      return;
    }

  props = g_variant_ref_sink (build_item_properties (self, id, NULL));
  value = g_variant_lookup_value (props, name, NULL);
  if (value == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                             G_DBUS_ERROR_INVALID_ARGS,
                                             "Menu item %d has no property \"%s\"",
                                             id, name);
      return;
    }

  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(v)", value));
}

static void
event_group (EaTray                *self,
             GVariant              *parameters,
             GDBusMethodInvocation *invocation)
{
  g_autoptr(GVariantIter) iter = NULL;
  g_autoptr(GArray) errors = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) valid = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GPtrArray) event_ids = g_ptr_array_new_with_free_func (g_free);
  GVariantBuilder builder;
  const char *event_id;
  gint32 id;
  gsize n_events;

  g_variant_get (parameters, "(a(isvu))", &iter);
  n_events = g_variant_iter_n_children (iter);

  while (g_variant_iter_loop (iter, "(i&svu)", &id, &event_id, NULL, NULL))
    {
      if (is_valid_id (id))
        {
          g_array_append_val (valid, id);
          g_ptr_array_add (event_ids, g_strdup (event_id));
        }
      else
        g_array_append_val (errors, id);
    }

  /* Like libdbusmenu: an error only when not one event could be used. */
  if (n_events > 0 && valid->len == 0)
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                             G_DBUS_ERROR_INVALID_ARGS,
                                             "None of the %" G_GSIZE_FORMAT
                                             " events names a menu item", n_events);
      return;
    }

  for (guint i = 0; i < valid->len; i++)
    handle_event (self, g_array_index (valid, gint32, i), g_ptr_array_index (event_ids, i));

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("ai"));
  for (guint i = 0; i < errors->len; i++)
    g_variant_builder_add (&builder, "i", g_array_index (errors, gint32, i));

  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ai)", &builder));
}

static void
about_to_show_group (EaTray                *self,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation)
{
  g_autoptr(GVariant) ids = NULL;
  GVariantBuilder errors;
  const gint32 *id_list;
  gsize n_ids;

  g_variant_get (parameters, "(@ai)", &ids);
  id_list = g_variant_get_fixed_array (ids, &n_ids, sizeof (gint32));

  g_variant_builder_init (&errors, G_VARIANT_TYPE ("ai"));
  for (gsize i = 0; i < n_ids; i++)
    if (!is_valid_id (id_list[i]))
      g_variant_builder_add (&errors, "i", id_list[i]);

  /* The menu is always current, so no item needs an update. */
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(@aiai)",
                                                        g_variant_new_array (G_VARIANT_TYPE_INT32,
                                                                             NULL, 0),
                                                        &errors));
}

static void
menu_method_call_cb (GDBusConnection       *connection,
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

  if (g_str_equal (method_name, "GetLayout"))
    get_layout (self, parameters, invocation);
  else if (g_str_equal (method_name, "GetGroupProperties"))
    get_group_properties (self, parameters, invocation);
  else if (g_str_equal (method_name, "GetProperty"))
    get_menu_property (self, parameters, invocation);
  else if (g_str_equal (method_name, "Event"))
    {
      const char *event_id;
      gint32 id;

      g_variant_get (parameters, "(i&svu)", &id, &event_id, NULL, NULL);
      if (!is_valid_id (id))
        {
          return_invalid_id (invocation, id);
          return;
        }
      handle_event (self, id, event_id);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "EventGroup"))
    event_group (self, parameters, invocation);
  else if (g_str_equal (method_name, "AboutToShow"))
    {
      gint32 id;

      g_variant_get (parameters, "(i)", &id);
      if (!is_valid_id (id))
        {
          return_invalid_id (invocation, id);
          return;
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", FALSE));
    }
  else if (g_str_equal (method_name, "AboutToShowGroup"))
    about_to_show_group (self, parameters, invocation);
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                           G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "No method %s", method_name);
}

static GVariant *
menu_get_property_cb (GDBusConnection  *connection,
                      const char       *sender,
                      const char       *object_path,
                      const char       *interface_name,
                      const char       *property_name,
                      GError          **error,
                      gpointer          user_data)
{
  EaTray *self = user_data;

  g_assert (EA_IS_TRAY (self));

  if (g_str_equal (property_name, "Version"))
    return g_variant_new_uint32 (DBUSMENU_VERSION);
  if (g_str_equal (property_name, "TextDirection"))
    return g_variant_new_string ("ltr");
  if (g_str_equal (property_name, "Status"))
    return g_variant_new_string (self->needs_attention ? "notice" : "normal");
  if (g_str_equal (property_name, "IconThemePath"))
    {
      const char *paths[2] = { self->icon_theme_path, NULL };

      if (self->icon_theme_path == NULL || self->icon_theme_path[0] == '\0')
        paths[0] = NULL;
      return g_variant_new_strv (paths, -1);
    }

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
               "No such property \"%s\"", property_name);
  return NULL;
}

static const GDBusInterfaceVTable menu_vtable = {
  .method_call = menu_method_call_cb,
  .get_property = menu_get_property_cb,
};

/* Exports the menu at EA_TRAY_MENU_PATH; returns the registration id, or 0
 * with @error set. */
guint
_ea_tray_menu_export (EaTray  *self,
                      GError **error)
{
  g_autoptr(GDBusNodeInfo) node = NULL;

  g_assert (EA_IS_TRAY (self));

  node = g_dbus_node_info_new_for_xml (menu_xml, error);
  if (node == NULL)
    return 0;

  return g_dbus_connection_register_object (self->connection, EA_TRAY_MENU_PATH,
                                            node->interfaces[0], &menu_vtable,
                                            self, NULL, error);
}

/* Sends the new labels of @dirty_items (a mask of EA_TRAY_MENU_ITEM_BIT)
 * and a new layout revision. */
void
_ea_tray_menu_emit_updates (EaTray *self,
                            guint   dirty_items)
{
  GVariantBuilder updated;

  g_assert (EA_IS_TRAY (self));

  if (self->connection == NULL || dirty_items == 0)
    return;

  g_variant_builder_init (&updated, G_VARIANT_TYPE ("a(ia{sv})"));
  for (gint32 id = 0; id <= EA_TRAY_MENU_LAST_ID; id++)
    {
      const char * const label_only[] = { "label", NULL };

      if ((dirty_items & EA_TRAY_MENU_ITEM_BIT (id)) == 0)
        continue;
      g_variant_builder_add (&updated, "(i@a{sv})", id,
                             build_item_properties (self, id, label_only));
    }

  /* Every change of content gets a new layout revision. */
  self->menu_revision++;

  _ea_tray_emit_signal (self, EA_TRAY_MENU_PATH, EA_TRAY_MENU_INTERFACE,
                        "ItemsPropertiesUpdated",
                        g_variant_new ("(a(ia{sv})a(ias))", &updated, NULL));
  _ea_tray_emit_signal (self, EA_TRAY_MENU_PATH, EA_TRAY_MENU_INTERFACE, "LayoutUpdated",
                        g_variant_new ("(ui)", self->menu_revision, EA_TRAY_MENU_ROOT));
}
