/* test-flatpak.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Flatpak manifest parses, names the application and binary, uses a
 * current GNOME runtime and asks for no more than the app needs.
 */
#include "config.h"

#include <json-glib/json-glib.h>

static JsonObject *
load_manifest (JsonParser **parser_out)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "flatpak",
                                                 APP_ID ".json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  *parser_out = g_steal_pointer (&parser);
  return json_node_get_object (root);
}

static void
test_identity (void)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *manifest = load_manifest (&parser);
  const char *version;

  g_assert_cmpstr (json_object_get_string_member (manifest, "app-id"), ==, APP_ID);
  g_assert_cmpstr (json_object_get_string_member (manifest, "command"), ==, "enigma-apex");
  g_assert_cmpstr (json_object_get_string_member (manifest, "runtime"), ==, "org.gnome.Platform");
  g_assert_cmpstr (json_object_get_string_member (manifest, "sdk"), ==, "org.gnome.Sdk");

  /* A pinned, current runtime (47 or newer), never "master". */
  version = json_object_get_string_member (manifest, "runtime-version");
  g_assert_nonnull (version);
  g_assert_cmpint (g_ascii_strtoll (version, NULL, 10), >=, 47);
}

static void
test_finish_args (void)
{
  static const char * const required[] = {
    "--share=network", "--socket=wayland", "--socket=fallback-x11",
    "--device=dri", "--share=ipc", "--talk-name=org.kde.StatusNotifierWatcher",
  };
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *manifest = load_manifest (&parser);
  JsonArray *args = json_object_get_array_member (manifest, "finish-args");
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();

  g_assert_nonnull (args);
  for (guint i = 0; i < json_array_get_length (args); i++)
    {
      const char *arg = json_array_get_string_element (args, i);

      /* Nothing broader than the app needs. */
      g_assert_false (g_str_has_prefix (arg, "--filesystem="));
      g_assert_false (g_str_equal (arg, "--socket=session-bus"));
      g_assert_false (g_str_equal (arg, "--device=all"));
      g_ptr_array_add (seen, (gpointer) arg);
    }

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    g_assert_true (g_ptr_array_find_with_equal_func (seen, required[i], g_str_equal, NULL));
}

static void
test_app_module (void)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *manifest = load_manifest (&parser);
  JsonArray *modules = json_object_get_array_member (manifest, "modules");
  JsonObject *app;
  JsonArray *sources;

  g_assert_nonnull (modules);
  g_assert_cmpuint (json_array_get_length (modules), >=, 1);

  /* The app is the last module, built with meson from this tree. */
  app = json_array_get_object_element (modules, json_array_get_length (modules) - 1);
  g_assert_cmpstr (json_object_get_string_member (app, "name"), ==, "enigma-apex");
  g_assert_cmpstr (json_object_get_string_member (app, "buildsystem"), ==, "meson");
  sources = json_object_get_array_member (app, "sources");
  g_assert_cmpuint (json_array_get_length (sources), >=, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sources, 0), "type"),
                   ==, "dir");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/flatpak/identity", test_identity);
  g_test_add_func ("/flatpak/finish-args", test_finish_args);
  g_test_add_func ("/flatpak/app-module", test_app_module);

  return g_test_run ();
}
