/* test-tray.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaTray against a private session bus (GTestDBus): registration with a
 * fake org.kde.StatusNotifierWatcher, export and unexport, and the item's
 * properties, signals and methods.  The menu is tested in test-tray-menu.c.
 */
#include "config.h"

#include "tray-test-fixture.h"

/* ---- a fake org.kde.StatusNotifierWatcher ------------------------------ */

typedef struct
{
  GDBusConnection *connection;
  GDBusNodeInfo   *info;
  guint            object_id;
  guint            own_id;
  gboolean         owned;
  GPtrArray       *registrations;   /* "<sender> <path>" */
} FakeWatcher;

static const char watcher_xml[] =
  "<node>"
  "  <interface name='org.kde.StatusNotifierWatcher'>"
  "    <method name='RegisterStatusNotifierItem'>"
  "      <arg name='service' type='s' direction='in'/>"
  "    </method>"
  "    <method name='RegisterStatusNotifierHost'>"
  "      <arg name='service' type='s' direction='in'/>"
  "    </method>"
  "    <property name='RegisteredStatusNotifierItems' type='as' access='read'/>"
  "    <property name='IsStatusNotifierHostRegistered' type='b' access='read'/>"
  "    <property name='ProtocolVersion' type='i' access='read'/>"
  "    <signal name='StatusNotifierItemRegistered'><arg type='s'/></signal>"
  "  </interface>"
  "</node>";

static void
watcher_method_cb (GDBusConnection       *connection,
                   const char            *sender,
                   const char            *object_path,
                   const char            *interface_name,
                   const char            *method_name,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  FakeWatcher *watcher = user_data;
  const char *service;

  g_variant_get (parameters, "(&s)", &service);
  if (g_str_equal (method_name, "RegisterStatusNotifierItem"))
    {
      g_ptr_array_add (watcher->registrations, g_strdup_printf ("%s %s", sender, service));
      g_dbus_connection_emit_signal (connection, NULL, object_path, interface_name,
                                     "StatusNotifierItemRegistered",
                                     g_variant_new ("(s)", service), NULL);
    }

  g_dbus_method_invocation_return_value (invocation, NULL);
}

static GVariant *
watcher_get_property_cb (GDBusConnection  *connection,
                         const char       *sender,
                         const char       *object_path,
                         const char       *interface_name,
                         const char       *property_name,
                         GError          **error,
                         gpointer          user_data)
{
  if (g_str_equal (property_name, "IsStatusNotifierHostRegistered"))
    return g_variant_new_boolean (TRUE);
  if (g_str_equal (property_name, "ProtocolVersion"))
    return g_variant_new_int32 (0);
  return g_variant_new_strv (NULL, 0);
}

static const GDBusInterfaceVTable watcher_vtable = {
  .method_call = watcher_method_cb,
  .get_property = watcher_get_property_cb,
};

static void
watcher_acquired_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  ((FakeWatcher *) user_data)->owned = TRUE;
}

static void
watcher_lost_cb (GDBusConnection *connection,
                 const char      *name,
                 gpointer         user_data)
{
  ((FakeWatcher *) user_data)->owned = FALSE;
}

static FakeWatcher *
fake_watcher_new (GDBusConnection *connection)
{
  FakeWatcher *watcher = g_new0 (FakeWatcher, 1);
  g_autoptr(GError) error = NULL;

  watcher->connection = g_object_ref (connection);
  watcher->registrations = g_ptr_array_new_with_free_func (g_free);
  watcher->info = g_dbus_node_info_new_for_xml (watcher_xml, &error);
  g_assert_no_error (error);

  return watcher;
}

static void
fake_watcher_start (FakeWatcher *watcher)
{
  g_autoptr(GError) error = NULL;

  watcher->object_id =
    g_dbus_connection_register_object (watcher->connection, "/StatusNotifierWatcher",
                                       watcher->info->interfaces[0], &watcher_vtable,
                                       watcher, NULL, &error);
  g_assert_no_error (error);

  watcher->own_id = g_bus_own_name_on_connection (watcher->connection,
                                                  "org.kde.StatusNotifierWatcher",
                                                  G_BUS_NAME_OWNER_FLAGS_NONE,
                                                  watcher_acquired_cb, watcher_lost_cb,
                                                  watcher, NULL);
  WAIT_UNTIL (watcher->owned);
}

static void
fake_watcher_stop (FakeWatcher *watcher)
{
  /* Releases the name synchronously. */
  g_clear_handle_id (&watcher->own_id, g_bus_unown_name);
  watcher->owned = FALSE;
  if (watcher->object_id != 0)
    g_dbus_connection_unregister_object (watcher->connection, watcher->object_id);
  watcher->object_id = 0;
}

static void
fake_watcher_free (FakeWatcher *watcher)
{
  fake_watcher_stop (watcher);
  g_clear_object (&watcher->connection);
  g_clear_pointer (&watcher->info, g_dbus_node_info_unref);
  g_clear_pointer (&watcher->registrations, g_ptr_array_unref);
  g_free (watcher);
}

static void
assert_empty_pixmaps (GVariant   *dict,
                      const char *name)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (dict, name, G_VARIANT_TYPE ("a(iiay)"));

  g_assert_nonnull (value);
  g_assert_cmpuint (g_variant_n_children (value), ==, 0);
}

/* ---- registration ------------------------------------------------------- */

static void
test_registration_restart (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GDBusConnection) watcher_connection = open_connection (fixture);
  g_autoptr(GDBusConnection) other_connection = NULL;
  g_autofree char *expected = g_strdup_printf ("%s /StatusNotifierItem", fixture->tray_name);
  FakeWatcher *watcher = fake_watcher_new (watcher_connection);
  FakeWatcher *other;
  gboolean registered = FALSE;

  fake_watcher_start (watcher);
  create_tray (fixture);
  WAIT_UNTIL (ea_tray_get_registered (fixture->tray));

  /* Object path form: the watcher sees the tray's unique name as sender. */
  g_assert_cmpuint (watcher->registrations->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (watcher->registrations, 0), ==, expected);
  g_assert_cmpuint (fixture->n_registered_notify, ==, 1);
  g_object_get (fixture->tray, "registered", &registered, NULL);
  g_assert_true (registered);

  /* The watcher restarts: it releases its name and owns it again. */
  fake_watcher_stop (watcher);
  WAIT_UNTIL (!ea_tray_get_registered (fixture->tray));
  g_assert_cmpuint (fixture->n_registered_notify, ==, 2);

  fake_watcher_start (watcher);
  WAIT_UNTIL (ea_tray_get_registered (fixture->tray));
  g_assert_cmpuint (watcher->registrations->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (watcher->registrations, 1), ==, expected);
  g_assert_cmpuint (fixture->n_registered_notify, ==, 3);

  /* A new watcher process, on another connection, takes the name. */
  fake_watcher_stop (watcher);
  WAIT_UNTIL (!ea_tray_get_registered (fixture->tray));
  other_connection = open_connection (fixture);
  other = fake_watcher_new (other_connection);
  fake_watcher_start (other);
  WAIT_UNTIL (ea_tray_get_registered (fixture->tray));
  g_assert_cmpuint (other->registrations->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (other->registrations, 0), ==, expected);
  g_assert_cmpuint (watcher->registrations->len, ==, 2);
  g_assert_cmpuint (fixture->n_registered_notify, ==, 5);

  fake_watcher_free (watcher);
  fake_watcher_free (other);
  g_dbus_connection_close_sync (watcher_connection, NULL, NULL);
  g_dbus_connection_close_sync (other_connection, NULL, NULL);
}

static void
test_registration_no_watcher (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GDBusConnection) watcher_connection = open_connection (fixture);
  g_autofree char *expected = g_strdup_printf ("%s /StatusNotifierItem", fixture->tray_name);
  FakeWatcher *watcher;

  /* No watcher: a normal state, with no warning (G_DEBUG=fatal-warnings). */
  create_tray (fixture);
  flush_tray (fixture);
  flush_tray (fixture);
  g_assert_false (ea_tray_get_registered (fixture->tray));
  g_assert_cmpuint (fixture->n_registered_notify, ==, 0);

  /* The item still answers on the bus. */
  {
    g_autoptr(GVariant) dict = get_all (fixture, "/StatusNotifierItem", ITEM_IFACE);

    assert_string_prop (dict, "Status", "Active");
  }

  watcher = fake_watcher_new (watcher_connection);
  fake_watcher_start (watcher);
  WAIT_UNTIL (ea_tray_get_registered (fixture->tray));
  g_assert_cmpuint (watcher->registrations->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (watcher->registrations, 0), ==, expected);
  g_assert_cmpuint (fixture->n_registered_notify, ==, 1);

  fake_watcher_free (watcher);
  g_dbus_connection_close_sync (watcher_connection, NULL, NULL);
}

static void
assert_not_exported (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = call_tray (fixture, "/StatusNotifierItem", PROPS_IFACE, "GetAll",
                     g_variant_new ("(s)", ITEM_IFACE), NULL, &error);
  g_assert_null (reply);
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_DBUS_ERROR);
  g_clear_error (&error);

  reply = call_tray (fixture, "/MenuBar", MENU_IFACE, "GetLayout",
                     g_variant_new ("(ii@as)", 0, -1, g_variant_new_strv (NULL, 0)),
                     NULL, &error);
  g_assert_null (reply);
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_DBUS_ERROR);
}

static void
test_unexport_and_conflicts (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) menu_info = NULL;
  EaTray *tray;
  EaTray *second;
  guint dummy_id;

  create_tray (fixture);
  {
    g_autoptr(GVariant) dict = get_all (fixture, "/StatusNotifierItem", ITEM_IFACE);

    g_assert_cmpuint (g_variant_n_children (dict), ==, 16);
  }

  /* A second tray cannot export on the same connection. */
  second = ea_tray_new (fixture->tray_connection, G_ACTION_GROUP (fixture->actions), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_null (second);
  g_clear_error (&error);

  /* Dropping the tray unexports both objects. */
  tray = g_steal_pointer (&fixture->tray);
  g_object_add_weak_pointer (G_OBJECT (tray), (gpointer *) &tray);
  g_object_unref (tray);
  WAIT_UNTIL (tray == NULL);
  assert_not_exported (fixture);

  /* With /MenuBar taken, construction fails and leaves the item path free. */
  menu_info = g_dbus_node_info_new_for_xml ("<node><interface name='" MENU_IFACE "'/></node>",
                                            &error);
  g_assert_no_error (error);
  dummy_id = g_dbus_connection_register_object (fixture->tray_connection, "/MenuBar",
                                                menu_info->interfaces[0], NULL, NULL, NULL,
                                                &error);
  g_assert_no_error (error);
  second = ea_tray_new (fixture->tray_connection, G_ACTION_GROUP (fixture->actions), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_null (second);
  g_clear_error (&error);
  g_dbus_connection_unregister_object (fixture->tray_connection, dummy_id);

  {
    g_autoptr(GVariant) reply = NULL;

    reply = call_tray (fixture, "/StatusNotifierItem", PROPS_IFACE, "GetAll",
                       g_variant_new ("(s)", ITEM_IFACE), NULL, &error);
    g_assert_null (reply);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }

  /* And a new tray can take the paths again. */
  create_tray (fixture);
  {
    g_autoptr(GVariant) dict = get_all (fixture, "/MenuBar", MENU_IFACE);

    g_assert_cmpuint (g_variant_n_children (dict), ==, 4);
  }
}

/* ---- the item --------------------------------------------------------------- */

static void
test_item_properties (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GVariant) dict = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GVariant) pixmaps = NULL;
  g_autoptr(GDBusNodeInfo) node = NULL;
  g_autoptr(GError) error = NULL;
  GDBusInterfaceInfo *iface;
  const char *icon, *title, *description, *xml, *menu_path;
  gint32 window_id = -1;
  gboolean item_is_menu = TRUE;

  create_tray (fixture);
  set_sample_texts (fixture);

  dict = get_all (fixture, "/StatusNotifierItem", ITEM_IFACE);
  g_assert_cmpuint (g_variant_n_children (dict), ==, 16);

  assert_string_prop (dict, "Category", "ApplicationStatus");
  assert_string_prop (dict, "Id", "io.github.enigmaapex.EnigmaApex");
  assert_string_prop (dict, "Title", "Enigma Apex");
  assert_string_prop (dict, "Status", "Active");
  assert_string_prop (dict, "IconThemePath", "");
  assert_string_prop (dict, "IconName", "io.github.enigmaapex.EnigmaApex");
  assert_string_prop (dict, "AttentionIconName", "io.github.enigmaapex.EnigmaApex");
  assert_string_prop (dict, "OverlayIconName", "");
  assert_string_prop (dict, "AttentionMovieName", "");
  assert_empty_pixmaps (dict, "IconPixmap");
  assert_empty_pixmaps (dict, "OverlayIconPixmap");
  assert_empty_pixmaps (dict, "AttentionIconPixmap");

  g_assert_true (g_variant_lookup (dict, "WindowId", "i", &window_id));
  g_assert_cmpint (window_id, ==, 0);
  g_assert_true (g_variant_lookup (dict, "Menu", "&o", &menu_path));
  g_assert_cmpstr (menu_path, ==, "/MenuBar");
  g_assert_true (g_variant_lookup (dict, "ItemIsMenu", "b", &item_is_menu));
  g_assert_false (item_is_menu);

  g_assert_true (g_variant_lookup (dict, "ToolTip", "(&s@a(iiay)&s&s)",
                                   &icon, &pixmaps, &title, &description));
  g_assert_cmpstr (icon, ==, "io.github.enigmaapex.EnigmaApex");
  g_assert_cmpuint (g_variant_n_children (pixmaps), ==, 0);
  g_assert_cmpstr (title, ==, "Enigma Apex");
  g_assert_cmpstr (description, ==, "Mode: DEMO\nDay P&L: +$1,234.50\nTrading: ACTIVE");

  /* Properties.Get on a single property. */
  reply = call_tray_ok (fixture, "/StatusNotifierItem", PROPS_IFACE, "Get",
                        g_variant_new ("(ss)", ITEM_IFACE, "Category"),
                        G_VARIANT_TYPE ("(v)"));
  g_variant_get (reply, "(v)", &value);
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, "ApplicationStatus");
  g_clear_pointer (&reply, g_variant_unref);

  /* Introspection shows the full interface. */
  reply = call_tray_ok (fixture, "/StatusNotifierItem", "org.freedesktop.DBus.Introspectable",
                        "Introspect", NULL, G_VARIANT_TYPE ("(s)"));
  g_variant_get (reply, "(&s)", &xml);
  node = g_dbus_node_info_new_for_xml (xml, &error);
  g_assert_no_error (error);
  iface = g_dbus_node_info_lookup_interface (node, ITEM_IFACE);
  g_assert_nonnull (iface);
  g_assert_nonnull (g_dbus_interface_info_lookup_method (iface, "Activate"));
  g_assert_nonnull (g_dbus_interface_info_lookup_method (iface, "SecondaryActivate"));
  g_assert_nonnull (g_dbus_interface_info_lookup_method (iface, "ContextMenu"));
  g_assert_nonnull (g_dbus_interface_info_lookup_method (iface, "Scroll"));
  g_assert_nonnull (g_dbus_interface_info_lookup_signal (iface, "NewStatus"));
  g_assert_nonnull (g_dbus_interface_info_lookup_signal (iface, "NewToolTip"));
  g_assert_nonnull (g_dbus_interface_info_lookup_signal (iface, "NewIcon"));
  g_assert_nonnull (g_dbus_interface_info_lookup_signal (iface, "NewTitle"));
}

static GVariant *
get_one (Fixture    *fixture,
         const char *path,
         const char *interface_name,
         const char *name)
{
  g_autoptr(GVariant) reply = NULL;
  GVariant *value;

  reply = call_tray_ok (fixture, path, PROPS_IFACE, "Get",
                        g_variant_new ("(ss)", interface_name, name), G_VARIANT_TYPE ("(v)"));
  g_variant_get (reply, "(v)", &value);

  return value;
}

static void
assert_remote_string (Fixture    *fixture,
                      const char *path,
                      const char *interface_name,
                      const char *name,
                      const char *expected)
{
  g_autoptr(GVariant) value = get_one (fixture, path, interface_name, name);

  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING));
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, expected);
}

/* TRUE when some PropertiesChanged signal carried @name for @interface_name. */
static gboolean
saw_property_change (Fixture    *fixture,
                     const char *interface_name,
                     const char *name,
                     const char *expected)
{
  for (guint i = 0; i < fixture->signals->len; i++)
    {
      GVariant *args = g_ptr_array_index (fixture->signal_args, i);
      g_autoptr(GVariant) changed = NULL;
      g_autoptr(GVariant) value = NULL;
      const char *iface;

      if (!g_str_equal (g_ptr_array_index (fixture->signals, i), "PropertiesChanged"))
        continue;
      g_variant_get (args, "(&s@a{sv}@as)", &iface, &changed, NULL);
      if (!g_str_equal (iface, interface_name))
        continue;
      value = g_variant_lookup_value (changed, name, G_VARIANT_TYPE_STRING);
      if (value != NULL && g_str_equal (g_variant_get_string (value, NULL), expected))
        return TRUE;
    }

  return FALSE;
}

static void
test_item_status_signals (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *status;
  gboolean needs_attention = FALSE;

  create_tray (fixture);
  flush_tray (fixture);
  g_assert_cmpstr (ea_tray_get_status (fixture->tray), ==, "Active");

  ea_tray_set_needs_attention (fixture->tray, TRUE);
  WAIT_UNTIL (count_signals (fixture, "NewStatus") == 1);
  g_variant_get (last_signal_args (fixture, "NewStatus"), "(&s)", &status);
  g_assert_cmpstr (status, ==, "NeedsAttention");
  g_assert_cmpstr (ea_tray_get_status (fixture->tray), ==, "NeedsAttention");
  g_object_get (fixture->tray, "needs-attention", &needs_attention, NULL);
  g_assert_true (needs_attention);

  assert_remote_string (fixture, "/StatusNotifierItem", ITEM_IFACE, "Status", "NeedsAttention");
  assert_remote_string (fixture, "/MenuBar", MENU_IFACE, "Status", "notice");
  g_assert_true (saw_property_change (fixture, ITEM_IFACE, "Status", "NeedsAttention"));
  g_assert_true (saw_property_change (fixture, MENU_IFACE, "Status", "notice"));

  /* Setting the same value again sends nothing: the tooltip signal sent
   * afterwards arrives with no NewStatus before it. */
  ea_tray_set_needs_attention (fixture->tray, TRUE);
  ea_tray_set_mode_text (fixture->tray, "LIVE");
  WAIT_UNTIL (count_signals (fixture, "NewToolTip") == 1);
  g_assert_cmpuint (count_signals (fixture, "NewStatus"), ==, 1);

  ea_tray_set_needs_attention (fixture->tray, FALSE);
  WAIT_UNTIL (count_signals (fixture, "NewStatus") == 2);
  g_variant_get (last_signal_args (fixture, "NewStatus"), "(&s)", &status);
  g_assert_cmpstr (status, ==, "Active");
  assert_remote_string (fixture, "/StatusNotifierItem", ITEM_IFACE, "Status", "Active");
  assert_remote_string (fixture, "/MenuBar", MENU_IFACE, "Status", "normal");

  /* A new icon theme path is announced with NewIcon. */
  ea_tray_set_icon_theme_path (fixture->tray, "/opt/enigma-apex/share/icons");
  WAIT_UNTIL (count_signals (fixture, "NewIcon") == 1);
  assert_remote_string (fixture, "/StatusNotifierItem", ITEM_IFACE, "IconThemePath",
                        "/opt/enigma-apex/share/icons");
  {
    g_autoptr(GVariant) paths = get_one (fixture, "/MenuBar", MENU_IFACE, "IconThemePath");
    g_autofree const char **strv = g_variant_get_strv (paths, NULL);

    g_assert_cmpuint (g_strv_length ((char **) strv), ==, 1);
    g_assert_cmpstr (strv[0], ==, "/opt/enigma-apex/share/icons");
  }
}

static guint32
get_revision (Fixture *fixture)
{
  g_autoptr(GVariant) reply = NULL;
  guint32 revision;

  reply = call_tray_ok (fixture, "/MenuBar", MENU_IFACE, "GetLayout",
                        g_variant_new ("(ii@as)", 0, 0, g_variant_new_strv (NULL, 0)),
                        G_VARIANT_TYPE ("(u(ia{sv}av))"));
  g_variant_get (reply, "(u@(ia{sv}av))", &revision, NULL);

  return revision;
}

static guint
n_updated (GVariant *args)
{
  g_autoptr(GVariant) updated = g_variant_get_child_value (args, 0);

  return g_variant_n_children (updated);
}

/* Checks the label that ItemsPropertiesUpdated (@args) sent for @id. */

static void
test_tooltip_and_labels (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GVariant) dict = NULL;
  g_autoptr(GVariant) tooltip = NULL;
  GVariant *args;
  guint32 revision;
  guint32 new_revision;
  gint32 parent;
  const char *description;

  create_tray (fixture);
  revision = get_revision (fixture);
  flush_tray (fixture);
  g_assert_cmpuint (fixture->signals->len, ==, 0);

  /* Three changes in one main loop turn go out as one batch. */
  set_sample_texts (fixture);
  WAIT_UNTIL (count_signals (fixture, "LayoutUpdated") == 1);
  flush_tray (fixture);
  g_assert_cmpuint (count_signals (fixture, "NewToolTip"), ==, 1);
  g_assert_cmpuint (count_signals (fixture, "ItemsPropertiesUpdated"), ==, 1);
  g_assert_cmpuint (count_signals (fixture, "LayoutUpdated"), ==, 1);

  args = last_signal_args (fixture, "ItemsPropertiesUpdated");
  g_assert_cmpuint (n_updated (args), ==, 3);
  assert_updated_label (args, 5, "Mode: DEMO");
  assert_updated_label (args, 6, "Day P&L: +$1,234.50");
  assert_updated_label (args, 7, "Trading: ACTIVE");

  g_variant_get (last_signal_args (fixture, "LayoutUpdated"), "(ui)", &new_revision, &parent);
  g_assert_cmpuint (new_revision, ==, revision + 1);
  g_assert_cmpint (parent, ==, 0);
  g_assert_cmpuint (get_revision (fixture), ==, revision + 1);

  dict = get_all (fixture, "/StatusNotifierItem", ITEM_IFACE);
  tooltip = g_variant_lookup_value (dict, "ToolTip", G_VARIANT_TYPE ("(sa(iiay)ss)"));
  g_assert_nonnull (tooltip);
  g_variant_get (tooltip, "(&s@a(iiay)&s&s)", NULL, NULL, NULL, &description);
  g_assert_cmpstr (description, ==, "Mode: DEMO\nDay P&L: +$1,234.50\nTrading: ACTIVE");

  /* The same text again changes nothing; an underscore is shown literally
   * in the menu (doubled, as "_" marks a mnemonic) and as is in the tooltip. */
  ea_tray_set_day_pnl_text (fixture->tray, "+$1,234.50");
  ea_tray_set_mode_text (fixture->tray, "PAPER_1");
  WAIT_UNTIL (count_signals (fixture, "LayoutUpdated") == 2);
  flush_tray (fixture);
  args = last_signal_args (fixture, "ItemsPropertiesUpdated");
  g_assert_cmpuint (n_updated (args), ==, 1);
  assert_updated_label (args, 5, "Mode: PAPER__1");
  g_assert_cmpstr (ea_tray_get_mode_text (fixture->tray), ==, "PAPER_1");
  g_assert_cmpuint (count_signals (fixture, "NewToolTip"), ==, 2);

  g_clear_pointer (&dict, g_variant_unref);
  g_clear_pointer (&tooltip, g_variant_unref);
  dict = get_all (fixture, "/StatusNotifierItem", ITEM_IFACE);
  tooltip = g_variant_lookup_value (dict, "ToolTip", G_VARIANT_TYPE ("(sa(iiay)ss)"));
  g_variant_get (tooltip, "(&s@a(iiay)&s&s)", NULL, NULL, NULL, &description);
  g_assert_cmpstr (description, ==, "Mode: PAPER_1\nDay P&L: +$1,234.50\nTrading: ACTIVE");

  /* Cleared text shows a dash. */
  ea_tray_set_trading_state_text (fixture->tray, NULL);
  WAIT_UNTIL (count_signals (fixture, "LayoutUpdated") == 3);
  args = last_signal_args (fixture, "ItemsPropertiesUpdated");
  assert_updated_label (args, 7, "Trading: \u2014");
}

static void
test_item_activate (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GVariant) reply = NULL;

  create_tray (fixture);

  reply = call_tray_ok (fixture, "/StatusNotifierItem", ITEM_IFACE, "Activate",
                        g_variant_new ("(ii)", 10, 20), G_VARIANT_TYPE_UNIT);
  drain ();
  g_assert_cmpuint (fixture->n_show_window, ==, 1);
  g_clear_pointer (&reply, g_variant_unref);

  /* The other item methods are answered and do nothing. */
  reply = call_tray_ok (fixture, "/StatusNotifierItem", ITEM_IFACE, "SecondaryActivate",
                        g_variant_new ("(ii)", 10, 20), G_VARIANT_TYPE_UNIT);
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_tray_ok (fixture, "/StatusNotifierItem", ITEM_IFACE, "ContextMenu",
                        g_variant_new ("(ii)", 10, 20), G_VARIANT_TYPE_UNIT);
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_tray_ok (fixture, "/StatusNotifierItem", ITEM_IFACE, "Scroll",
                        g_variant_new ("(is)", 120, "vertical"), G_VARIANT_TYPE_UNIT);
  drain ();

  g_assert_cmpuint (fixture->n_show_window, ==, 1);
  g_assert_cmpuint (fixture->n_toggle_window, ==, 0);
  g_assert_cmpuint (fixture->n_emergency_stop, ==, 0);
  g_assert_cmpuint (fixture->n_quit, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tray/registration/watcher-restart", Fixture, NULL,
              fixture_set_up, test_registration_restart, fixture_tear_down);
  g_test_add ("/tray/registration/no-watcher", Fixture, NULL,
              fixture_set_up, test_registration_no_watcher, fixture_tear_down);
  g_test_add ("/tray/export/unexport-and-conflicts", Fixture, NULL,
              fixture_set_up, test_unexport_and_conflicts, fixture_tear_down);
  g_test_add ("/tray/item/properties", Fixture, NULL,
              fixture_set_up, test_item_properties, fixture_tear_down);
  g_test_add ("/tray/item/status-signals", Fixture, NULL,
              fixture_set_up, test_item_status_signals, fixture_tear_down);
  g_test_add ("/tray/item/tooltip-and-labels", Fixture, NULL,
              fixture_set_up, test_tooltip_and_labels, fixture_tear_down);
  g_test_add ("/tray/item/activate", Fixture, NULL,
              fixture_set_up, test_item_activate, fixture_tear_down);

  return g_test_run ();
}
