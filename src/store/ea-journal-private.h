/* ea-journal-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internals of EaJournal shared by its source files and the tests. Every
 * function taking an EaJournalDb runs on the journal's worker thread.
 */
#pragma once

#include <sqlite3.h>

#include "ea-journal.h"

G_BEGIN_DECLS

/* "EAPX": PRAGMA application_id of a journal. */
#define EA_JOURNAL_APPLICATION_ID 0x45415058

typedef struct
{
  sqlite3    *db;
  char       *path;
  GHashTable *statements;   /* SQL text -> sqlite3_stmt */
  gboolean    read_only;
  gint64      head_seq;     /* audit row appended in the open transaction, 0 none */
  char       *head_hash;
  gboolean    head_file_marked; /* the counters row saying a head file exists */
} EaJournalDb;

/* ea-journal-schema.c: the historical schema steps, as data. Step i (1-based)
 * turns a version i - 1 database into version i. */
guint         _ea_journal_schema_n_steps     (void);
const char   *_ea_journal_schema_step        (guint            version);
const char  **_ea_journal_schema_tables      (void);

/* ea-journal-db.c */
EaJournalDb  *_ea_journal_db_open            (const char      *path,
                                              GError         **error);
void          _ea_journal_db_close           (EaJournalDb     *db);
sqlite3_stmt *_ea_journal_db_prepare         (EaJournalDb     *db,
                                              const char      *sql,
                                              GError         **error);
gboolean      _ea_journal_db_set_error       (EaJournalDb     *db,
                                              int              rc,
                                              const char      *what,
                                              GError         **error);
gboolean      _ea_journal_db_exec            (EaJournalDb     *db,
                                              const char      *sql,
                                              GError         **error);
gboolean      _ea_journal_db_begin           (EaJournalDb     *db,
                                              GError         **error);
gboolean      _ea_journal_db_commit          (EaJournalDb     *db,
                                              GError         **error);
void          _ea_journal_db_rollback        (EaJournalDb     *db);
gboolean      _ea_journal_db_step_done       (EaJournalDb     *db,
                                              sqlite3_stmt    *stmt,
                                              const char      *what,
                                              GError         **error);
void          _ea_journal_bind_text          (sqlite3_stmt    *stmt,
                                              int              index,
                                              const char      *text);
void          _ea_journal_bind_id            (sqlite3_stmt    *stmt,
                                              int              index,
                                              gint64           id);
char         *_ea_journal_column_dup         (sqlite3_stmt    *stmt,
                                              int              column);
gboolean      _ea_journal_check_json         (const char      *json,
                                              GError         **error);
gboolean      _ea_journal_error_is_storage   (const GError    *error);
gboolean      _ea_journal_valid_side         (EaSide           side,
                                              GError         **error);
gboolean      _ea_journal_require            (const char      *value,
                                              const char      *what,
                                              GError         **error);
const char   *_ea_journal_chunk_dup          (GStringChunk    *chunk,
                                              const char      *s);

/* ea-journal-audit.c */
char         *_ea_audit_compute_hash         (const char      *prev_hash,
                                              gint64           seq,
                                              EaTimeUs         time_us,
                                              const char      *actor,
                                              const char      *kind,
                                              const char      *subject,
                                              const char      *details);
/* Appends one audit row inside the caller's open transaction. */
gint64        _ea_journal_db_audit_append    (EaJournalDb     *db,
                                              EaActor          actor,
                                              const char      *kind,
                                              const char      *subject,
                                              const char      *details_json,
                                              GError         **error);
/* The chain head file beside the database ("<path>.audit-head"): the
 * last audit row's seq and hash, replaced atomically after every commit
 * that appended to the chain, so that deleting the newest rows is seen. */
char         *_ea_journal_audit_head_path    (const char      *db_path);
void          _ea_journal_db_audit_committed (EaJournalDb     *db);
EaAuditReport *_ea_journal_db_audit_verify   (EaJournalDb     *db,
                                              GError         **error);

#define EA_AUDIT_GENESIS_HASH \
  "0000000000000000000000000000000000000000000000000000000000000000"

/* ea-journal.c: the worker's job queue. A job runs on the worker thread; it
 * returns FALSE with @error set, or TRUE and optionally a *@result owned by
 * the task (freed with @result_free if nobody takes it). */
typedef gboolean (*EaJournalJobFunc) (EaJournalDb  *db,
                                      gpointer      data,
                                      gpointer     *result,
                                      GError      **error);

void          _ea_journal_submit             (EaJournal           *self,
                                              EaJournalJobFunc     func,
                                              gpointer             data,
                                              GDestroyNotify       data_free,
                                              GDestroyNotify       result_free,
                                              gboolean             is_write,
                                              gpointer             source_tag,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gpointer      _ea_journal_finish_pointer     (EaJournal      *self,
                                              GAsyncResult   *result,
                                              gpointer        source_tag,
                                              GError        **error);
gint64        _ea_journal_finish_int64       (EaJournal      *self,
                                              GAsyncResult   *result,
                                              gpointer        source_tag,
                                              GError        **error);
gboolean      _ea_journal_finish_boolean     (EaJournal      *self,
                                              GAsyncResult   *result,
                                              gpointer        source_tag,
                                              GError        **error);
gpointer      _ea_journal_int64_result       (gint64          value);

/* Test hook: PRAGMA max_page_count, to reach SQLITE_FULL without filling a
 * disk. */
void          _ea_journal_set_max_page_count_async  (EaJournal           *self,
                                                     gint64               pages,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean      _ea_journal_set_max_page_count_finish (EaJournal     *self,
                                                     GAsyncResult  *result,
                                                     GError       **error);
/* Test hook: PRAGMA query_only, so that every write fails as on a
 * read-only file (SQLITE_READONLY) until it is turned off. */
void          _ea_journal_set_query_only_async      (EaJournal           *self,
                                                     gboolean             query_only,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean      _ea_journal_set_query_only_finish     (EaJournal     *self,
                                                     GAsyncResult  *result,
                                                     GError       **error);

G_END_DECLS
