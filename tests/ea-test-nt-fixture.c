/* ea-test-nt-fixture.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gobject/gvaluecollector.h>
#include <unistd.h>

#include "ea-test-nt-fixture.h"

void
nt_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        nt_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
rig_destroy (gpointer data)
{
  NtRig *rig = data;

  ea_nt_sim_free (rig->sim);
  nt_remove_tree (rig->root);
  g_free (rig->root);
  g_free (rig->share);
  g_free (rig->target);
  g_free (rig);
}

static gboolean
set_by_test (const char **names, guint n, const char *prop)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (names[i], prop) == 0)
      return TRUE;
  return FALSE;
}

NtRig *
nt_rig_new (const char *first_property,
            ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *in = NULL;
  g_autofree char *out = NULL;
  const char *accounts[] = { NT_TEST_ACCOUNT, NT_TEST_ACCOUNT2, NULL };
  NtRig *rig = g_new0 (NtRig, 1);
  va_list ap;

  rig->root = g_dir_make_tmp ("ea-nt-XXXXXX", &error);
  g_assert_no_error (error);
  rig->target = g_build_filename (rig->root, "ninjatrader", NULL);
  rig->share = g_build_filename (rig->root, "share", NULL);
  rig->sim = ea_nt_sim_new (rig->target, NT_TEST_CONNECTION, &error);
  g_assert_no_error (error);
  g_assert_true (ea_nt_sim_add_account (rig->sim, NT_TEST_ACCOUNT, &error));
  g_assert_true (ea_nt_sim_add_account (rig->sim, NT_TEST_ACCOUNT2, &error));
  ea_nt_sim_start (rig->sim, 50);
  nt_rig_mount (rig);

  in = g_build_filename (rig->share, "incoming", NULL);
  out = g_build_filename (rig->share, "outgoing", NULL);
  /* The fixed settings, then the test's own on top. */
  va_start (ap, first_property);
  {
    GObjectClass *klass = g_type_class_ref (EA_TYPE_NINJATRADER_BROKER);
    const char *names[32];
    GValue values[32] = { { 0 } };
    guint n = 0;
    const char *name = first_property;

    /* The test's own settings first, then the fixed ones it left out. */
    while (name != NULL && n < G_N_ELEMENTS (names) - 8)
      {
        GParamSpec *pspec = g_object_class_find_property (klass, name);
        g_autofree char *err = NULL;

        g_assert_nonnull (pspec);
        names[n] = name;
        G_VALUE_COLLECT_INIT (&values[n], pspec->value_type, ap, 0, &err);
        g_assert_null (err);
        n++;
        name = va_arg (ap, const char *);
      }
#define DEFAULT(prop, type, setter, value)                                  \
    if (!set_by_test (names, n, prop))                                     \
      {                                                                    \
        names[n] = prop;                                                   \
        g_value_init (&values[n], type);                                   \
        setter (&values[n++], value);                                      \
      }
    DEFAULT ("incoming-dir", G_TYPE_STRING, g_value_set_string, in);
    DEFAULT ("outgoing-dir", G_TYPE_STRING, g_value_set_string, out);
    DEFAULT ("accounts", G_TYPE_STRV, g_value_set_boxed, accounts);
    DEFAULT ("connection-name", G_TYPE_STRING, g_value_set_string, NT_TEST_CONNECTION);
    DEFAULT ("reference-day", G_TYPE_UINT, g_value_set_uint, NT_TEST_DAY);
    DEFAULT ("rescan-interval-ms", G_TYPE_UINT, g_value_set_uint, 100);
    DEFAULT ("ack-timeout-ms", G_TYPE_UINT, g_value_set_uint, NT_TEST_ACK_MS);
    DEFAULT ("stale-timeout-ms", G_TYPE_UINT, g_value_set_uint, 0);
#undef DEFAULT
    rig->broker = EA_NINJATRADER_BROKER (g_object_new_with_properties (EA_TYPE_NINJATRADER_BROKER, n, names, values));
    for (guint i = 0; i < n; i++)
      g_value_unset (&values[i]);
    g_type_class_unref (klass);
  }
  va_end (ap);
  g_object_set_data_full (G_OBJECT (rig->broker), "nt-rig", rig, rig_destroy);
  return rig;
}

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

gboolean
nt_rig_connect (NtRig   *rig,
                GError **error)
{
  GAsyncResult *res = NULL;
  gboolean ok;

  ea_broker_connect_async (EA_BROKER (rig->broker), NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  ok = ea_broker_connect_finish (EA_BROKER (rig->broker), res, error);
  g_object_unref (res);
  return ok;
}

void
nt_rig_free (NtRig *rig)
{
  g_assert_finalize_object (rig->broker);
}

void
nt_rig_settle (NtRig *rig)
{
  ea_ninjatrader_broker_rescan (rig->broker);
  while (!ea_ninjatrader_broker_is_settled (rig->broker))
    g_main_context_iteration (NULL, TRUE);
}

void
nt_rig_unmount (NtRig *rig)
{
  g_assert_cmpint (g_unlink (rig->share), ==, 0);
}

void
nt_rig_mount (NtRig *rig)
{
  g_assert_cmpint (symlink (rig->target, rig->share), ==, 0);
}

NtRig *
nt_rig_from_broker (EaBroker *broker)
{
  return g_object_get_data (G_OBJECT (broker), "nt-rig");
}
