/* test-tray-menu.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The com.canonical.dbusmenu object of EaTray on a private session bus:
 * layout, properties, events (single and Group forms) and the layout as
 * read by libdbusmenu's own dbusmenu-dumper.
 */
#include "config.h"

#include "tray-test-fixture.h"

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
  GAction *stop_action;

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
  stop_action = g_action_map_lookup_action (G_ACTION_MAP (fixture->actions), "emergency-stop");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (stop_action), FALSE);
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
