/* ea-journal-db.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The connection of the journal's worker thread: opening, pragmas, schema
 * migration, cached prepared statements and the mapping of SQLite errors to
 * EA_JOURNAL_ERROR codes.
 *
 * Durability: WAL with synchronous=FULL. NORMAL already survives a killed
 * process (a committed transaction is in the WAL file), but FULL also keeps
 * every committed transaction across a power cut or an OS crash, which
 * matters for client order ids and acknowledged fills. The cost is one fsync
 * per commit, which batching (one transaction per fill batch) keeps small.
 */
#define G_LOG_DOMAIN "ea-journal"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "ea-journal-private.h"

G_DEFINE_QUARK (ea-journal-error-quark, ea_journal_error)

static EaJournalError
code_for_rc (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return EA_JOURNAL_ERROR_READ_ONLY;
    case SQLITE_FULL:
      return EA_JOURNAL_ERROR_DISK_FULL;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_NOLFS:
      return EA_JOURNAL_ERROR_IO;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return EA_JOURNAL_ERROR_CORRUPT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return EA_JOURNAL_ERROR_BUSY;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
      return EA_JOURNAL_ERROR_INVALID;
    default:
      return EA_JOURNAL_ERROR_FAILED;
    }
}

gboolean
_ea_journal_db_set_error (EaJournalDb  *db,
                          int           rc,
                          const char   *what,
                          GError      **error)
{
  const char *msg = db != NULL && db->db != NULL ? sqlite3_errmsg (db->db)
                                                  : sqlite3_errstr (rc);

  g_set_error (error, EA_JOURNAL_ERROR, code_for_rc (rc),
               "Journal %s failed: %s (SQLite code %d)", what, msg, rc);
  return FALSE;
}

gboolean
_ea_journal_error_is_storage (const GError *error)
{
  return error != NULL && error->domain == EA_JOURNAL_ERROR
         && (error->code == EA_JOURNAL_ERROR_READ_ONLY
             || error->code == EA_JOURNAL_ERROR_DISK_FULL
             || error->code == EA_JOURNAL_ERROR_IO);
}

sqlite3_stmt *
_ea_journal_db_prepare (EaJournalDb  *db,
                        const char   *sql,
                        GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = g_hash_table_lookup (db->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (db->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _ea_journal_db_set_error (db, rc, "prepare", error);
      return NULL;
    }

  g_hash_table_insert (db->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
_ea_journal_db_exec (EaJournalDb  *db,
                     const char   *sql,
                     GError      **error)
{
  int rc = sqlite3_exec (db->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return _ea_journal_db_set_error (db, rc, "statement", error);
  return TRUE;
}

gboolean
_ea_journal_db_step_done (EaJournalDb   *db,
                          sqlite3_stmt  *stmt,
                          const char    *what,
                          GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _ea_journal_db_set_error (db, rc, what, error);
  return TRUE;
}

gboolean
_ea_journal_db_begin (EaJournalDb  *db,
                      GError      **error)
{
  sqlite3_stmt *stmt = _ea_journal_db_prepare (db, "BEGIN IMMEDIATE", error);

  return stmt != NULL && _ea_journal_db_step_done (db, stmt, "begin", error);
}

gboolean
_ea_journal_db_commit (EaJournalDb  *db,
                       GError      **error)
{
  sqlite3_stmt *stmt = _ea_journal_db_prepare (db, "COMMIT", error);

  if (stmt == NULL || !_ea_journal_db_step_done (db, stmt, "commit", error))
    {
      _ea_journal_db_rollback (db);
      return FALSE;
    }
  _ea_journal_db_audit_committed (db);
  return TRUE;
}

void
_ea_journal_db_rollback (EaJournalDb *db)
{
  if (!sqlite3_get_autocommit (db->db))
    sqlite3_exec (db->db, "ROLLBACK", NULL, NULL, NULL);
  /* The rows appended in it are gone: so is their head. */
  db->head_seq = 0;
  g_clear_pointer (&db->head_hash, g_free);
}

void
_ea_journal_bind_text (sqlite3_stmt *stmt,
                       int           index,
                       const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

void
_ea_journal_bind_id (sqlite3_stmt *stmt,
                     int           index,
                     gint64        id)
{
  if (id == 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, id);
}

char *
_ea_journal_column_dup (sqlite3_stmt *stmt,
                        int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

gboolean
_ea_journal_check_json (const char  *json,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;

  if (json == NULL)
    return TRUE;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID,
                   "Malformed JSON details: %s", local_error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID,
                           "JSON details must be an object");
      return FALSE;
    }
  return TRUE;
}

gboolean
_ea_journal_valid_side (EaSide   side,
                        GError **error)
{
  if (side == EA_SIDE_BUY || side == EA_SIDE_SELL)
    return TRUE;
  g_set_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID, "Invalid side %d", side);
  return FALSE;
}

gboolean
_ea_journal_require (const char  *value,
                     const char  *what,
                     GError     **error)
{
  if (value != NULL && *value != '\0')
    return TRUE;
  g_set_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID, "Missing %s", what);
  return FALSE;
}

const char *
_ea_journal_chunk_dup (GStringChunk *chunk,
                       const char   *s)
{
  return s != NULL ? g_string_chunk_insert (chunk, s) : NULL;
}

static gboolean
query_int (EaJournalDb  *db,
           const char   *sql,
           gint64       *out,
           GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  rc = sqlite3_prepare_v2 (db->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return _ea_journal_db_set_error (db, rc, "query", error);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW)
    return _ea_journal_db_set_error (db, rc, "query", error);
  return TRUE;
}

/* Creates the file with mode 0600 before SQLite does (SQLite would use 0644
 * minus umask); the -wal and -shm files inherit the database's mode. */
static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;

      g_set_error (error, EA_JOURNAL_ERROR,
                   errsv == EACCES || errsv == EROFS ? EA_JOURNAL_ERROR_READ_ONLY
                                                     : EA_JOURNAL_ERROR_IO,
                   "Cannot create the journal folder %s: %s", dir, g_strerror (errsv));
      return FALSE;
    }

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;

  fd = g_open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST)
    {
      int errsv = errno;

      g_set_error (error, EA_JOURNAL_ERROR,
                   errsv == EACCES || errsv == EROFS ? EA_JOURNAL_ERROR_READ_ONLY
                                                     : EA_JOURNAL_ERROR_IO,
                   "Cannot create the journal %s: %s", path, g_strerror (errsv));
      return FALSE;
    }
  if (fd >= 0)
    {
      fchmod (fd, 0600);
      close (fd);
    }
  return TRUE;
}

static gboolean
migrate (EaJournalDb  *db,
         gint64        from,
         GError      **error)
{
  g_autofree char *set_version = NULL;
  gint64 version = 0;

  if (db->read_only)
    {
      g_set_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_READ_ONLY,
                   "The journal %s has schema version %" G_GINT64_FORMAT
                   " and needs an upgrade to %d, but it is read-only",
                   db->path, from, EA_JOURNAL_SCHEMA_VERSION);
      return FALSE;
    }

  if (!_ea_journal_db_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;

  /* Read again inside the write lock. */
  if (!query_int (db, "PRAGMA user_version", &version, error))
    goto fail;

  for (gint64 v = version + 1; v <= EA_JOURNAL_SCHEMA_VERSION; v++)
    {
      g_debug ("Migrating %s to schema version %" G_GINT64_FORMAT, db->path, v);
      if (!_ea_journal_db_exec (db, _ea_journal_schema_step ((guint) v), error))
        {
          g_prefix_error (error, "Schema step %" G_GINT64_FORMAT ": ", v);
          goto fail;
        }
    }

  set_version = g_strdup_printf ("PRAGMA user_version = %d", EA_JOURNAL_SCHEMA_VERSION);
  if (!_ea_journal_db_exec (db, set_version, error)
      || !_ea_journal_db_exec (db, "COMMIT", error))
    goto fail;

  return TRUE;

fail:
  _ea_journal_db_rollback (db);
  return FALSE;
}

/* Cheap checks only: the header fields and the list of tables. A full
 * PRAGMA quick_check is linear in the size of the file and is left to
 * maintenance. */
static gboolean
check_schema (EaJournalDb  *db,
              GError      **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM sqlite_schema "
                                         "WHERE type = 'table' AND name IN (");
  const char **tables = _ea_journal_schema_tables ();
  gint64 n = 0;
  guint expected = 0;

  for (guint i = 0; tables[i] != NULL; i++, expected++)
    g_string_append_printf (sql, "%s'%s'", i > 0 ? ", " : "", tables[i]);
  g_string_append_c (sql, ')');

  if (!query_int (db, sql->str, &n, error))
    return FALSE;
  if (n != expected)
    {
      g_set_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_CORRUPT,
                   "The journal %s is missing %" G_GINT64_FORMAT " of its tables",
                   db->path, (gint64) expected - n);
      return FALSE;
    }
  return TRUE;
}

static gboolean
configure (EaJournalDb  *db,
           GError      **error)
{
  sqlite3_stmt *stmt;
  const char *mode;
  int rc;

  if (!_ea_journal_db_exec (db, "PRAGMA foreign_keys = ON", error)
      || !_ea_journal_db_exec (db, "PRAGMA synchronous = FULL", error)
      || !_ea_journal_db_exec (db, "PRAGMA temp_store = MEMORY", error)
      || !_ea_journal_db_exec (db, "PRAGMA cache_size = -16000", error))
    return FALSE;

  if (db->read_only)
    return TRUE;

  rc = sqlite3_prepare_v2 (db->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return _ea_journal_db_set_error (db, rc, "WAL setup", error);
  rc = sqlite3_step (stmt);
  mode = rc == SQLITE_ROW ? (const char *) sqlite3_column_text (stmt, 0) : NULL;
  if (mode == NULL || g_ascii_strcasecmp (mode, "wal") != 0)
    {
      if (rc != SQLITE_ROW)
        _ea_journal_db_set_error (db, rc, "WAL setup", error);
      else
        g_set_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_IO,
                     "The journal %s cannot use write-ahead logging (mode %s)",
                     db->path, mode ? mode : "unknown");
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

EaJournalDb *
_ea_journal_db_open (const char  *path,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  EaJournalDb *db;
  gint64 version = 0;
  gint64 app_id = 0;
  int rc;

  if (!create_private_file (path, error))
    return NULL;

  db = g_new0 (EaJournalDb, 1);
  db->path = g_strdup (path);
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) sqlite3_finalize);

  rc = sqlite3_open_v2 (path, &db->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                        | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      _ea_journal_db_set_error (db, rc, "open", error);
      goto fail;
    }
  db->read_only = sqlite3_db_readonly (db->db, "main") == 1;
  /* Before the first read: a connection closing (and checkpointing) in
   * another thread or process may hold a lock for a moment. */
  sqlite3_busy_timeout (db->db, 5000);
  sqlite3_extended_result_codes (db->db, TRUE);

  /* Read the version before anything can write to the file: a newer journal
   * must stay byte for byte as it is. */
  if (!query_int (db, "PRAGMA user_version", &version, &local_error)
      || !query_int (db, "PRAGMA application_id", &app_id, &local_error))
    {
      if (g_error_matches (local_error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_CORRUPT))
        g_prefix_error (&local_error, "%s is not a usable journal: ", path);
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }
  if (app_id != 0 && app_id != EA_JOURNAL_APPLICATION_ID)
    {
      g_set_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_NOT_JOURNAL,
                   "%s is an SQLite database of another application "
                   "(application id %" G_GINT64_FORMAT ")", path, app_id);
      goto fail;
    }
  if (version > EA_JOURNAL_SCHEMA_VERSION)
    {
      g_set_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_TOO_NEW,
                   "The journal %s was written by a newer version of Enigma Apex "
                   "(schema %" G_GINT64_FORMAT ", this version knows up to %d). "
                   "It was left untouched; update Enigma Apex to open it.",
                   path, version, EA_JOURNAL_SCHEMA_VERSION);
      goto fail;
    }
  if (version > 0 && app_id != EA_JOURNAL_APPLICATION_ID)
    {
      g_set_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_NOT_JOURNAL,
                   "%s is not an Enigma Apex journal", path);
      goto fail;
    }

  if (!configure (db, error))
    goto fail;

  /* A new journal: a head file left by a journal that was removed is
   * not its own. */
  if (version == 0)
    {
      g_autofree char *head = _ea_journal_audit_head_path (path);

      g_unlink (head);
    }

  if (version < EA_JOURNAL_SCHEMA_VERSION && !migrate (db, version, error))
    goto fail;

  if (!check_schema (db, error))
    goto fail;

  return db;

fail:
  _ea_journal_db_close (db);
  return NULL;
}

void
_ea_journal_db_close (EaJournalDb *db)
{
  if (db == NULL)
    return;

  g_clear_pointer (&db->statements, g_hash_table_unref);
  if (db->db != NULL)
    {
      if (!db->read_only)
        sqlite3_exec (db->db, "PRAGMA optimize", NULL, NULL, NULL);
      sqlite3_close (db->db);
    }
  g_free (db->head_hash);
  g_free (db->path);
  g_free (db);
}
