/* test-tray.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaTray against a private session bus (GTestDBus): registration with a
 * fake org.kde.StatusNotifierWatcher, the item's properties and signals,
 * the dbusmenu methods, and the layout as read by libdbusmenu's own
 * dbusmenu-dumper.
 */
#include "config.h"

#include <string.h>

#include "ea-tray.h"

#define ITEM_IFACE  "org.kde.StatusNotifierItem"
#define MENU_IFACE  "com.canonical.dbusmenu"
#define PROPS_IFACE "org.freedesktop.DBus.Properties"
#define DUMPER      "/usr/libexec/dbusmenu-dumper"

/* Iterates the main context until @cond holds.  A broken implementation
 * makes the test hang and meson's timeout fail it; no timing is asserted. */
#define WAIT_UNTIL(cond) \
  G_STMT_START { while (!(cond)) g_main_context_iteration (NULL, TRUE); } G_STMT_END

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

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

/* ---- fixture -------------------------------------------------------------- */

typedef struct
{
  GTestDBus          *bus;
  GDBusConnection    *tray_connection;
  GDBusConnection    *client;
  GSimpleActionGroup *actions;
  EaTray             *tray;
  const char         *tray_name;

  guint               n_emergency_stop;
  guint               n_toggle_window;
  guint               n_show_window;
  guint               n_quit;
  guint               n_registered_notify;

  GPtrArray          *signals;       /* "Member" of every signal seen */
  GPtrArray          *signal_args;   /* GVariant parameters, same order */
} Fixture;

static GDBusConnection *
open_connection (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection;

  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (fixture->bus),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);

  return connection;
}

static void
action_cb (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  Fixture *fixture = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  if (g_str_equal (name, "emergency-stop"))
    fixture->n_emergency_stop++;
  else if (g_str_equal (name, "toggle-window"))
    {
      fixture->n_toggle_window++;
      ea_tray_set_window_visible (fixture->tray, !ea_tray_get_window_visible (fixture->tray));
    }
  else if (g_str_equal (name, "show-window"))
    fixture->n_show_window++;
  else if (g_str_equal (name, "quit"))
    fixture->n_quit++;
  else
    g_assert_not_reached ();
}

static void
signal_cb (GDBusConnection *connection,
           const char      *sender,
           const char      *object_path,
           const char      *interface_name,
           const char      *signal_name,
           GVariant        *parameters,
           gpointer         user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->signals, g_strdup (signal_name));
  g_ptr_array_add (fixture->signal_args, g_variant_ref (parameters));
}

static guint
count_signals (Fixture    *fixture,
               const char *name)
{
  guint n = 0;

  for (guint i = 0; i < fixture->signals->len; i++)
    if (g_str_equal (g_ptr_array_index (fixture->signals, i), name))
      n++;

  return n;
}

/* The parameters of the last signal called @name. */
static GVariant *
last_signal_args (Fixture    *fixture,
                  const char *name)
{
  for (guint i = fixture->signals->len; i > 0; i--)
    if (g_str_equal (g_ptr_array_index (fixture->signals, i - 1), name))
      return g_ptr_array_index (fixture->signal_args, i - 1);

  return NULL;
}

static void
registered_notify_cb (EaTray     *tray,
                      GParamSpec *pspec,
                      Fixture    *fixture)
{
  fixture->n_registered_notify++;
}

static void
create_tray (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->tray = ea_tray_new (fixture->tray_connection, G_ACTION_GROUP (fixture->actions),
                               &error);
  g_assert_no_error (error);
  g_assert_true (EA_IS_TRAY (fixture->tray));
  g_signal_connect (fixture->tray, "notify::registered",
                    G_CALLBACK (registered_notify_cb), fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static const GActionEntry entries[] = {
    { .name = "emergency-stop", .activate = action_cb },
    { .name = "toggle-window", .activate = action_cb },
    { .name = "show-window", .activate = action_cb },
    { .name = "quit", .activate = action_cb },
  };

  fixture->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (fixture->bus);

  fixture->tray_connection = open_connection (fixture);
  fixture->client = open_connection (fixture);
  fixture->tray_name = g_dbus_connection_get_unique_name (fixture->tray_connection);

  fixture->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (fixture->actions), entries,
                                   G_N_ELEMENTS (entries), fixture);

  fixture->signals = g_ptr_array_new_with_free_func (g_free);
  fixture->signal_args = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_dbus_connection_signal_subscribe (fixture->client, fixture->tray_name, NULL, NULL, NULL,
                                      NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                      signal_cb, fixture, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->tray != NULL)
    {
      EaTray *tray = g_steal_pointer (&fixture->tray);

      g_object_add_weak_pointer (G_OBJECT (tray), (gpointer *) &tray);
      g_object_unref (tray);
      WAIT_UNTIL (tray == NULL);
    }
  drain ();

  g_dbus_connection_close_sync (fixture->client, NULL, NULL);
  g_dbus_connection_close_sync (fixture->tray_connection, NULL, NULL);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->tray_connection);
  g_clear_object (&fixture->actions);
  g_clear_pointer (&fixture->signals, g_ptr_array_unref);
  g_clear_pointer (&fixture->signal_args, g_ptr_array_unref);

  g_test_dbus_down (fixture->bus);
  g_clear_object (&fixture->bus);
}

typedef struct
{
  GVariant *reply;
  GError   *error;
  gboolean  done;
} CallResult;

static void
call_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CallResult *call = user_data;

  call->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &call->error);
  call->done = TRUE;
}

/* Calls the tray from the client connection while the main context keeps
 * serving the tray (a blocking call would deadlock).  Returns the reply, or
 * NULL with @error set. */
static GVariant *
call_tray (Fixture             *fixture,
           const char          *path,
           const char          *interface_name,
           const char          *method,
           GVariant            *parameters,
           const GVariantType  *reply_type,
           GError             **error)
{
  CallResult call = { 0 };

  g_dbus_connection_call (fixture->client, fixture->tray_name, path, interface_name, method,
                          parameters, reply_type, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL,
                          call_done_cb, &call);
  WAIT_UNTIL (call.done);

  if (call.error != NULL)
    g_propagate_error (error, call.error);

  return call.reply;
}

static GVariant *
call_tray_ok (Fixture            *fixture,
              const char         *path,
              const char         *interface_name,
              const char         *method,
              GVariant           *parameters,
              const GVariantType *reply_type)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  reply = call_tray (fixture, path, interface_name, method, parameters, reply_type, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);

  return reply;
}

/* A full round trip through the tray's connection, then every pending
 * source: whatever the tray queued before it is done afterwards. */
static void
flush_tray (Fixture *fixture)
{
  g_autoptr(GVariant) reply = NULL;

  reply = call_tray_ok (fixture, "/MenuBar", MENU_IFACE, "AboutToShow",
                        g_variant_new ("(i)", 0), G_VARIANT_TYPE ("(b)"));
  drain ();
}

static GVariant *
get_all (Fixture    *fixture,
         const char *path,
         const char *interface_name)
{
  g_autoptr(GVariant) reply = NULL;
  GVariant *dict;

  reply = call_tray_ok (fixture, path, PROPS_IFACE, "GetAll",
                        g_variant_new ("(s)", interface_name), G_VARIANT_TYPE ("(a{sv})"));
  g_variant_get (reply, "(@a{sv})", &dict);

  return dict;
}

static void
assert_string_prop (GVariant   *dict,
                    const char *name,
                    const char *expected)
{
  const char *value = NULL;

  g_assert_true (g_variant_lookup (dict, name, "&s", &value));
  g_assert_cmpstr (value, ==, expected);
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
set_sample_texts (Fixture *fixture)
{
  ea_tray_set_mode_text (fixture->tray, "DEMO");
  ea_tray_set_day_pnl_text (fixture->tray, "+$1,234.50");
  ea_tray_set_trading_state_text (fixture->tray, "ACTIVE");
}

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
assert_updated_label (GVariant   *args,
                      gint32      id,
                      const char *expected)
{
  g_autoptr(GVariant) updated = g_variant_get_child_value (args, 0);
  g_autoptr(GVariant) removed = g_variant_get_child_value (args, 1);
  gboolean found = FALSE;

  g_assert_cmpuint (g_variant_n_children (removed), ==, 0);

  for (gsize i = 0; i < g_variant_n_children (updated); i++)
    {
      g_autoptr(GVariant) props = NULL;
      const char *label = NULL;
      gint32 item_id;

      g_variant_get_child (updated, i, "(i@a{sv})", &item_id, &props);
      if (item_id != id)
        continue;

      /* Only the label changed, so only the label is sent. */
      g_assert_cmpuint (g_variant_n_children (props), ==, 1);
      g_assert_true (g_variant_lookup (props, "label", "&s", &label));
      g_assert_cmpstr (label, ==, expected);
      found = TRUE;
    }

  g_assert_true (found);
}

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

/* ---- the menu --------------------------------------------------------------- */

static GVariant *
get_layout (Fixture            *fixture,
            gint32              parent,
            gint32              depth,
            const char * const *names,
            guint32            *revision)
{
  g_autoptr(GVariant) reply = NULL;
  GVariant *layout;

  reply = call_tray_ok (fixture, "/MenuBar", MENU_IFACE, "GetLayout",
                        g_variant_new ("(ii^as)", parent, depth, names),
                        G_VARIANT_TYPE ("(u(ia{sv}av))"));
  g_variant_get (reply, "(u@(ia{sv}av))", revision, &layout);

  return layout;
}

/* Checks one layout node: its id, its exact property set and, when the
 * node is a leaf, that it has no children. */
static void
assert_node (GVariant   *node,
             gint32      expected_id,
             guint       n_props,
             const char *type,
             const char *label,
             gboolean    disabled)
{
  g_autoptr(GVariant) props = NULL;
  g_autoptr(GVariant) children = NULL;
  const char *value;
  gboolean enabled = TRUE;
  gint32 id;

  g_variant_get (node, "(i@a{sv}@av)", &id, &props, &children);
  g_assert_cmpint (id, ==, expected_id);
  g_assert_cmpuint (g_variant_n_children (props), ==, n_props);
  g_assert_cmpuint (g_variant_n_children (children), ==, 0);

  if (type != NULL)
    {
      g_assert_true (g_variant_lookup (props, "type", "&s", &value));
      g_assert_cmpstr (value, ==, type);
    }
  else
    g_assert_false (g_variant_lookup (props, "type", "&s", &value));

  if (label != NULL)
    {
      g_assert_true (g_variant_lookup (props, "label", "&s", &value));
      g_assert_cmpstr (value, ==, label);
    }

  if (disabled)
    {
      g_assert_true (g_variant_lookup (props, "enabled", "b", &enabled));
      g_assert_false (enabled);
    }
  else
    g_assert_false (g_variant_lookup (props, "enabled", "b", &enabled));
}

static GVariant *
child_node (GVariant *layout,
            gsize     index)
{
  g_autoptr(GVariant) children = g_variant_get_child_value (layout, 2);
  g_autoptr(GVariant) boxed = g_variant_get_child_value (children, index);

  return g_variant_get_variant (boxed);
}

static void
test_menu_layout (Fixture       *fixture,
                  gconstpointer  data)
{
  const char * const no_names[] = { NULL };
  const char * const label_only[] = { "label", NULL };
  g_autoptr(GVariant) layout = NULL;
  g_autoptr(GVariant) props = NULL;
  g_autoptr(GVariant) children = NULL;
  g_autoptr(GError) error = NULL;
  GVariant *node;
  guint32 revision = 0;
  const char *value;
  gint32 id;

  create_tray (fixture);
  set_sample_texts (fixture);

  layout = get_layout (fixture, 0, -1, no_names, &revision);
  g_assert_cmpuint (revision, >=, 1);

  g_variant_get (layout, "(i@a{sv}@av)", &id, &props, &children);
  g_assert_cmpint (id, ==, 0);
  g_assert_cmpuint (g_variant_n_children (props), ==, 1);
  g_assert_true (g_variant_lookup (props, "children-display", "&s", &value));
  g_assert_cmpstr (value, ==, "submenu");
  g_assert_cmpuint (g_variant_n_children (children), ==, 9);

  node = child_node (layout, 0);
  assert_node (node, 1, 2, NULL, "Emergency Stop", FALSE);
  {
    g_autoptr(GVariant) item_props = g_variant_get_child_value (node, 1);

    g_assert_true (g_variant_lookup (item_props, "icon-name", "&s", &value));
    g_assert_cmpstr (value, ==, "process-stop");
  }
  g_variant_unref (node);

  node = child_node (layout, 1);
  assert_node (node, 2, 1, "separator", NULL, FALSE);
  g_variant_unref (node);
  node = child_node (layout, 2);
  assert_node (node, 3, 1, NULL, "Show Window", FALSE);
  g_variant_unref (node);
  node = child_node (layout, 3);
  assert_node (node, 4, 1, "separator", NULL, FALSE);
  g_variant_unref (node);
  node = child_node (layout, 4);
  assert_node (node, 5, 2, NULL, "Mode: DEMO", TRUE);
  g_variant_unref (node);
  node = child_node (layout, 5);
  assert_node (node, 6, 2, NULL, "Day P&L: +$1,234.50", TRUE);
  g_variant_unref (node);
  node = child_node (layout, 6);
  assert_node (node, 7, 2, NULL, "Trading: ACTIVE", TRUE);
  g_variant_unref (node);
  node = child_node (layout, 7);
  assert_node (node, 8, 1, "separator", NULL, FALSE);
  g_variant_unref (node);
  node = child_node (layout, 8);
  assert_node (node, 9, 1, NULL, "Quit", FALSE);
  g_variant_unref (node);

  /* Depth 0: the root alone. */
  g_clear_pointer (&layout, g_variant_unref);
  layout = get_layout (fixture, 0, 0, no_names, &revision);
  assert_node (layout, 0, 1, NULL, NULL, FALSE);

  /* A leaf as parent. */
  g_clear_pointer (&layout, g_variant_unref);
  layout = get_layout (fixture, 9, -1, no_names, &revision);
  assert_node (layout, 9, 1, NULL, "Quit", FALSE);

  /* Only the named properties: the root and separators have none left,
   * the other items just their label. */
  g_clear_pointer (&layout, g_variant_unref);
  layout = get_layout (fixture, 0, 1, label_only, &revision);
  g_clear_pointer (&props, g_variant_unref);
  props = g_variant_get_child_value (layout, 1);
  g_assert_cmpuint (g_variant_n_children (props), ==, 0);
  node = child_node (layout, 1);
  assert_node (node, 2, 0, NULL, NULL, FALSE);
  g_variant_unref (node);
  node = child_node (layout, 5);
  assert_node (node, 6, 1, NULL, "Day P&L: +$1,234.50", FALSE);
  g_variant_unref (node);

  /* An unknown parent is an error. */
  {
    g_autoptr(GVariant) reply = NULL;

    reply = call_tray (fixture, "/MenuBar", MENU_IFACE, "GetLayout",
                       g_variant_new ("(ii^as)", 42, -1, no_names), NULL, &error);
    g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
    g_assert_null (reply);
  }
}

static GVariant *
get_group_properties (Fixture            *fixture,
                      const gint32       *ids,
                      gsize               n_ids,
                      const char * const *names)
{
  g_autoptr(GVariant) reply = NULL;
  GVariant *items;

  reply = call_tray_ok (fixture, "/MenuBar", MENU_IFACE, "GetGroupProperties",
                        g_variant_new ("(@ai^as)",
                                       g_variant_new_fixed_array (G_VARIANT_TYPE_INT32, ids, n_ids,
                                                                  sizeof (gint32)),
                                       names),
                        G_VARIANT_TYPE ("(a(ia{sv}))"));
  g_variant_get (reply, "(@a(ia{sv}))", &items);

  return items;
}

static void
test_menu_properties (Fixture       *fixture,
                      gconstpointer  data)
{
  const char * const no_names[] = { NULL };
  const char * const label_only[] = { "label", NULL };
  const gint32 some_ids[] = { 1, 5, 99 };
  const gint32 show_ids[] = { 0, 1, 99 };
  g_autoptr(GVariant) dict = NULL;
  g_autoptr(GVariant) items = NULL;
  g_autoptr(GVariant) props = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree const char **paths = NULL;
  const char *text;
  guint32 version = 0;
  gboolean flag = TRUE;
  gint32 id;

  create_tray (fixture);
  set_sample_texts (fixture);

  /* Interface properties. */
  dict = get_all (fixture, "/MenuBar", MENU_IFACE);
  g_assert_cmpuint (g_variant_n_children (dict), ==, 4);
  g_assert_true (g_variant_lookup (dict, "Version", "u", &version));
  g_assert_cmpuint (version, ==, 3);
  assert_string_prop (dict, "TextDirection", "ltr");
  assert_string_prop (dict, "Status", "normal");
  g_assert_true (g_variant_lookup (dict, "IconThemePath", "^a&s", &paths));
  g_assert_cmpuint (g_strv_length ((char **) paths), ==, 0);

  /* GetGroupProperties: unknown ids are left out. */
  items = get_group_properties (fixture, some_ids, G_N_ELEMENTS (some_ids), no_names);
  g_assert_cmpuint (g_variant_n_children (items), ==, 2);
  g_variant_get_child (items, 0, "(i@a{sv})", &id, &props);
  g_assert_cmpint (id, ==, 1);
  g_assert_cmpuint (g_variant_n_children (props), ==, 2);
  g_assert_true (g_variant_lookup (props, "label", "&s", &text));
  g_assert_cmpstr (text, ==, "Emergency Stop");
  g_assert_true (g_variant_lookup (props, "icon-name", "&s", &text));
  g_assert_cmpstr (text, ==, "process-stop");
  g_clear_pointer (&props, g_variant_unref);
  g_variant_get_child (items, 1, "(i@a{sv})", &id, &props);
  g_assert_cmpint (id, ==, 5);
  g_assert_true (g_variant_lookup (props, "label", "&s", &text));
  g_assert_cmpstr (text, ==, "Mode: DEMO");
  g_assert_true (g_variant_lookup (props, "enabled", "b", &flag));
  g_assert_false (flag);
  g_clear_pointer (&props, g_variant_unref);
  g_clear_pointer (&items, g_variant_unref);

  /* No ids means every item; a name list filters. */
  items = get_group_properties (fixture, NULL, 0, label_only);
  g_assert_cmpuint (g_variant_n_children (items), ==, 10);
  for (gsize i = 0; i < 10; i++)
    {
      g_variant_get_child (items, i, "(i@a{sv})", &id, &props);
      g_assert_cmpint (id, ==, (gint32) i);
      g_assert_cmpuint (g_variant_n_children (props), ==,
                        (i == 0 || i == 2 || i == 4 || i == 8) ? 0 : 1);
      g_clear_pointer (&props, g_variant_unref);
    }

  /* GetProperty. */
  reply = call_tray_ok (fixture, "/MenuBar", MENU_IFACE, "GetProperty",
                        g_variant_new ("(is)", 3, "label"), G_VARIANT_TYPE ("(v)"));
  g_variant_get (reply, "(v)", &value);
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, "Show Window");
  g_clear_pointer (&reply, g_variant_unref);

  /* A default ("enabled" of an enabled item) is never sent, as in libdbusmenu. */
  reply = call_tray (fixture, "/MenuBar", MENU_IFACE, "GetProperty",
                     g_variant_new ("(is)", 1, "enabled"), NULL, &error);
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
  g_assert_null (reply);
  g_clear_error (&error);
  reply = call_tray (fixture, "/MenuBar", MENU_IFACE, "GetProperty",
                     g_variant_new ("(is)", 77, "label"), NULL, &error);
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
  g_clear_error (&error);

  /* AboutToShow and its group form. */
  reply = call_tray_ok (fixture, "/MenuBar", MENU_IFACE, "AboutToShow",
                        g_variant_new ("(i)", 0), G_VARIANT_TYPE ("(b)"));
  g_variant_get (reply, "(b)", &flag);
  g_assert_false (flag);
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_tray (fixture, "/MenuBar", MENU_IFACE, "AboutToShow",
                     g_variant_new ("(i)", 99), NULL, &error);
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
  g_clear_error (&error);

  reply = call_tray_ok (fixture, "/MenuBar", MENU_IFACE, "AboutToShowGroup",
                        g_variant_new ("(@ai)",
                                       g_variant_new_fixed_array (G_VARIANT_TYPE_INT32, show_ids,
                                                                  G_N_ELEMENTS (show_ids),
                                                                  sizeof (gint32))),
                        G_VARIANT_TYPE ("(aiai)"));
  {
    g_autoptr(GVariant) updates = g_variant_get_child_value (reply, 0);
    g_autoptr(GVariant) errors = g_variant_get_child_value (reply, 1);
    const gint32 *error_ids;
    gsize n_errors;

    g_assert_cmpuint (g_variant_n_children (updates), ==, 0);
    error_ids = g_variant_get_fixed_array (errors, &n_errors, sizeof (gint32));
    g_assert_cmpuint (n_errors, ==, 1);
    g_assert_cmpint (error_ids[0], ==, 99);
  }
}

static void
send_event (Fixture    *fixture,
            gint32      id,
            const char *event_id)
{
  g_autoptr(GVariant) reply = NULL;

  reply = call_tray_ok (fixture, "/MenuBar", MENU_IFACE, "Event",
                        g_variant_new ("(isvu)", id, event_id, g_variant_new_int32 (0), 0),
                        G_VARIANT_TYPE_UNIT);
  /* The action was queued before the reply went out; run it. */
  drain ();
}

static GVariant *
send_event_group (Fixture             *fixture,
                  const gint32        *ids,
                  const char * const  *event_ids,
                  gsize                n_events,
                  GError             **error)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(isvu)"));
  for (gsize i = 0; i < n_events; i++)
    g_variant_builder_add (&builder, "(isvu)", ids[i], event_ids[i],
                           g_variant_new_int32 (0), (guint32) i);

  return call_tray (fixture, "/MenuBar", MENU_IFACE, "EventGroup",
                    g_variant_new ("(a(isvu))", &builder), G_VARIANT_TYPE ("(ai)"), error);
}

static void
test_menu_events (Fixture       *fixture,
                  gconstpointer  data)
{
  const gint32 group_ids[] = { 1, 99, 1, 1, 5 };
  const char * const group_events[] = { "clicked", "clicked", "clicked", "opened", "clicked" };
  const gint32 bad_ids[] = { 99, -1 };
  const char * const bad_events[] = { "clicked", "clicked" };
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  create_tray (fixture);

  /* One click, one activation. */
  send_event (fixture, 1, "clicked");
  g_assert_cmpuint (fixture->n_emergency_stop, ==, 1);

  /* Other events and clicks on info items or separators do nothing. */
  send_event (fixture, 1, "hovered");
  send_event (fixture, 1, "opened");
  send_event (fixture, 5, "clicked");
  send_event (fixture, 6, "clicked");
  send_event (fixture, 2, "clicked");
  send_event (fixture, 0, "clicked");
  g_assert_cmpuint (fixture->n_emergency_stop, ==, 1);

  /* An unknown id is an error. */
  reply = call_tray (fixture, "/MenuBar", MENU_IFACE, "Event",
                     g_variant_new ("(isvu)", 99, "clicked", g_variant_new_int32 (0), 0),
                     NULL, &error);
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
  g_assert_null (reply);
  g_clear_error (&error);

  /* EventGroup: two clicks on id 1 activate twice; id 99 is reported. */
  reply = send_event_group (fixture, group_ids, group_events, G_N_ELEMENTS (group_ids), &error);
  g_assert_no_error (error);
  drain ();
  {
    g_autoptr(GVariant) errors = g_variant_get_child_value (reply, 0);
    const gint32 *error_ids;
    gsize n_errors;

    error_ids = g_variant_get_fixed_array (errors, &n_errors, sizeof (gint32));
    g_assert_cmpuint (n_errors, ==, 1);
    g_assert_cmpint (error_ids[0], ==, 99);
  }
  g_assert_cmpuint (fixture->n_emergency_stop, ==, 3);
  g_clear_pointer (&reply, g_variant_unref);

  /* Only unknown ids: an error, and nothing happens. */
  reply = send_event_group (fixture, bad_ids, bad_events, G_N_ELEMENTS (bad_ids), &error);
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
  g_assert_null (reply);
  g_clear_error (&error);
  flush_tray (fixture);
  g_assert_cmpuint (fixture->n_emergency_stop, ==, 3);

  /* Quit. */
  send_event (fixture, 9, "clicked");
  g_assert_cmpuint (fixture->n_quit, ==, 1);
  g_assert_cmpuint (fixture->n_toggle_window, ==, 0);
  g_assert_cmpuint (fixture->n_show_window, ==, 0);

  /* A disabled or missing action is skipped quietly (no warning). */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (fixture->actions),
                                                                            "emergency-stop")),
                               FALSE);
  g_action_map_remove_action (G_ACTION_MAP (fixture->actions), "quit");
  send_event (fixture, 1, "clicked");
  send_event (fixture, 9, "clicked");
  g_assert_cmpuint (fixture->n_emergency_stop, ==, 3);
  g_assert_cmpuint (fixture->n_quit, ==, 1);
}

static void
assert_toggle_label (Fixture    *fixture,
                     const char *expected)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;

  reply = call_tray_ok (fixture, "/MenuBar", MENU_IFACE, "GetProperty",
                        g_variant_new ("(is)", 3, "label"), G_VARIANT_TYPE ("(v)"));
  g_variant_get (reply, "(v)", &value);
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, expected);
}

static void
test_menu_show_hide (Fixture       *fixture,
                     gconstpointer  data)
{
  gboolean visible = TRUE;

  create_tray (fixture);
  g_assert_false (ea_tray_get_window_visible (fixture->tray));
  assert_toggle_label (fixture, "Show Window");

  /* The test's "toggle-window" flips the tray's window-visible. */
  send_event (fixture, 3, "clicked");
  g_assert_cmpuint (fixture->n_toggle_window, ==, 1);
  g_assert_true (ea_tray_get_window_visible (fixture->tray));
  WAIT_UNTIL (count_signals (fixture, "ItemsPropertiesUpdated") == 1);
  assert_updated_label (last_signal_args (fixture, "ItemsPropertiesUpdated"), 3, "Hide Window");
  assert_toggle_label (fixture, "Hide Window");

  send_event (fixture, 3, "clicked");
  g_assert_cmpuint (fixture->n_toggle_window, ==, 2);
  WAIT_UNTIL (count_signals (fixture, "ItemsPropertiesUpdated") == 2);
  assert_updated_label (last_signal_args (fixture, "ItemsPropertiesUpdated"), 3, "Show Window");
  assert_toggle_label (fixture, "Show Window");
  g_object_get (fixture->tray, "window-visible", &visible, NULL);
  g_assert_false (visible);

  /* Through the property as well. */
  g_object_set (fixture->tray, "window-visible", TRUE, NULL);
  WAIT_UNTIL (count_signals (fixture, "ItemsPropertiesUpdated") == 3);
  assert_toggle_label (fixture, "Hide Window");
  g_assert_cmpuint (fixture->n_emergency_stop, ==, 0);
  g_assert_cmpuint (fixture->n_quit, ==, 0);
}

typedef struct
{
  char     *stdout_text;
  char     *stderr_text;
  GError   *error;
  gboolean  done;
} DumperResult;

static void
dumper_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  DumperResult *dumper = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result,
                                        &dumper->stdout_text, &dumper->stderr_text,
                                        &dumper->error);
  dumper->done = TRUE;
}

static void
test_menu_dumper (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name_arg = NULL;
  DumperResult dumper = { 0 };
  const char * const expected[] = {
    "Emergency Stop", "process-stop", "Hide Window", "Mode: DEMO",
    "Day P&L: +$1,234.50", "Trading: ACTIVE", "Quit", "separator",
  };

  if (!g_file_test (DUMPER, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip (DUMPER " is missing; install the Debian package libdbusmenu-tools");
      return;
    }

  create_tray (fixture);
  set_sample_texts (fixture);
  ea_tray_set_window_visible (fixture->tray, TRUE);
  flush_tray (fixture);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                g_test_dbus_get_bus_address (fixture->bus), TRUE);
  /* Any warning from the reference client fails the test below instead of
   * aborting the client. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");

  name_arg = g_strdup_printf ("--dbus-name=%s", fixture->tray_name);
  process = g_subprocess_launcher_spawn (launcher, &error, DUMPER, name_arg,
                                         "--dbus-object=/MenuBar", NULL);
  g_assert_no_error (error);

  /* The tray answers from this main context while the client runs. */
  g_subprocess_communicate_utf8_async (process, NULL, NULL, dumper_done_cb, &dumper);
  WAIT_UNTIL (dumper.done);
  g_assert_no_error (dumper.error);

  g_test_message ("dbusmenu-dumper output:\n%s", dumper.stdout_text);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_null (strstr (dumper.stderr_text, "WARNING"));
  g_assert_null (strstr (dumper.stderr_text, "CRITICAL"));

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      if (strstr (dumper.stdout_text, expected[i]) == NULL)
        g_error ("dbusmenu-dumper output lacks \"%s\":\n%s", expected[i], dumper.stdout_text);
    }

  /* The info items are reported disabled. */
  g_assert_nonnull (strstr (dumper.stdout_text, "\"enabled\""));

  g_free (dumper.stdout_text);
  g_free (dumper.stderr_text);
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
  g_test_add ("/tray/menu/layout", Fixture, NULL,
              fixture_set_up, test_menu_layout, fixture_tear_down);
  g_test_add ("/tray/menu/properties", Fixture, NULL,
              fixture_set_up, test_menu_properties, fixture_tear_down);
  g_test_add ("/tray/menu/events", Fixture, NULL,
              fixture_set_up, test_menu_events, fixture_tear_down);
  g_test_add ("/tray/menu/show-hide", Fixture, NULL,
              fixture_set_up, test_menu_show_hide, fixture_tear_down);
  g_test_add ("/tray/menu/dbusmenu-dumper", Fixture, NULL,
              fixture_set_up, test_menu_dumper, fixture_tear_down);

  return g_test_run ();
}
