/* tray-test-fixture.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by test-tray.c and test-tray-menu.c: a private session bus
 * (GTestDBus), an EaTray on one connection, a second "client" connection
 * that calls it and records every signal it sends, and a GSimpleActionGroup
 * that counts activations.
 */
#pragma once

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
  GDBusConnectionFlags flags = (G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION);
  GDBusConnection *connection;

  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (fixture->bus),
                                                       flags, NULL, NULL, &error);
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
set_sample_texts (Fixture *fixture)
{
  ea_tray_set_mode_text (fixture->tray, "DEMO");
  ea_tray_set_day_pnl_text (fixture->tray, "+$1,234.50");
  ea_tray_set_trading_state_text (fixture->tray, "ACTIVE");
}

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
