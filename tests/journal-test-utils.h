/* journal-test-utils.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Blocking wrappers over EaJournal's _async/_finish pairs for the tests and
 * benchmarks: each call iterates the thread-default main context until its
 * callback ran, so the real asynchronous path is exercised.
 */
#pragma once

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "ea-journal.h"

static inline void
jt_store_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static inline GAsyncResult *
jt_wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

#define JT_CALL(finish_expr, async_call)                 \
  G_STMT_START {                                         \
    GAsyncResult *r = NULL;                              \
    async_call;                                          \
    jt_wait (&r);                                        \
    finish_expr;                                         \
    g_object_unref (r);                                  \
  } G_STMT_END

static inline void
jt_close (EaJournal *j)
{
  ea_journal_close (j);
  g_object_unref (j);
}

static inline gint64
jt_insert_fills (EaJournal            *j,
                 const EaJournalFill  *fills,
                 guint                 n,
                 GArray              **is_new,
                 GError              **error)
{
  gint64 v;

  JT_CALL (v = ea_journal_insert_fills_finish (j, r, is_new, error),
           ea_journal_insert_fills_async (j, fills, n, NULL, jt_store_cb, &r));
  return v;
}

static inline gint64
jt_next_client_order_id (EaJournal  *j,
                         GError    **error)
{
  gint64 v;

  JT_CALL (v = ea_journal_next_client_order_id_finish (j, r, error),
           ea_journal_next_client_order_id_async (j, NULL, jt_store_cb, &r));
  return v;
}

static inline gint64
jt_audit (EaJournal   *j,
          EaActor      actor,
          const char  *kind,
          const char  *subject,
          const char  *details,
          GError     **error)
{
  gint64 v;

  JT_CALL (v = ea_journal_audit_finish (j, r, error),
           ea_journal_audit_async (j, actor, kind, subject, details, NULL, jt_store_cb, &r));
  return v;
}

static inline EaAuditReport *
jt_verify (EaJournal  *j,
           GError    **error)
{
  EaAuditReport *v;

  JT_CALL (v = ea_journal_verify_audit_finish (j, r, error),
           ea_journal_verify_audit_async (j, NULL, jt_store_cb, &r));
  return v;
}

static inline gboolean
jt_save_day_state (EaJournal               *j,
                   const EaJournalDayState *state,
                   GError                 **error)
{
  gboolean v;

  JT_CALL (v = ea_journal_save_day_state_finish (j, r, error),
           ea_journal_save_day_state_async (j, state, NULL, jt_store_cb, &r));
  return v;
}

static inline EaJournalDayState *
jt_load_day_state (EaJournal   *j,
                   gint64       account_id,
                   const char  *day,
                   GError     **error)
{
  EaJournalDayState *v;

  JT_CALL (v = ea_journal_load_day_state_finish (j, r, error),
           ea_journal_load_day_state_async (j, account_id, day, NULL, jt_store_cb, &r));
  return v;
}

static inline gint64
jt_ensure_account (EaJournal   *j,
                   const char  *broker,
                   const char  *id,
                   GError     **error)
{
  gint64 v;

  JT_CALL (v = ea_journal_ensure_account_finish (j, r, error),
           ea_journal_ensure_account_async (j, broker, id, NULL, EA_MODE_DEMO, NULL,
                                            jt_store_cb, &r));
  return v;
}

static inline gint64
jt_record_order (EaJournal            *j,
                 const EaJournalOrder *order,
                 GError              **error)
{
  gint64 v;

  JT_CALL (v = ea_journal_record_order_finish (j, r, error),
           ea_journal_record_order_async (j, order, EA_ACTOR_USER, NULL, jt_store_cb, &r));
  return v;
}

static inline gint64
jt_insert_trades (EaJournal            *j,
                  const EaJournalTrade *trades,
                  guint                 n,
                  GError              **error)
{
  gint64 v;

  JT_CALL (v = ea_journal_insert_trades_finish (j, r, error),
           ea_journal_insert_trades_async (j, trades, n, NULL, jt_store_cb, &r));
  return v;
}

static inline GArray *
jt_load_trades (EaJournal  *j,
                gint64      account_id,
                EaTimeUs    from_us,
                EaTimeUs    to_us,
                GError    **error)
{
  GArray *v;

  JT_CALL (v = ea_journal_load_trades_finish (j, r, error),
           ea_journal_load_trades_async (j, account_id, from_us, to_us, NULL, jt_store_cb, &r));
  return v;
}

/* Raw access with a separate connection, as a user with sqlite3 would. */
static inline sqlite3 *
jt_raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static inline void
jt_raw_exec (sqlite3    *db,
             const char *sql)
{
  char *msg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
}

static inline gint64
jt_raw_int (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 v;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return v;
}

static inline char *
jt_raw_text (sqlite3    *db,
             const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *v;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return v;
}

static inline void
jt_rm_rf (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        jt_rm_rf (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}

/* A temporary folder per test, with the journal path inside it. */
typedef struct
{
  char *dir;
  char *path;
} Fixture;

static inline void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("ea-journal-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "journal.sqlite3", NULL);
}

static inline void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  jt_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
}
