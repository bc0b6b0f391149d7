/* ea-journal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaJournal owns one SQLite connection on one worker thread (the model is
 * Epiphany's history service): callers queue jobs on a GAsyncQueue, the
 * worker runs them in order and returns each result through its GTask, whose
 * callback then runs in the caller's thread-default main context.
 *
 * Opening is synchronous (GInitable): it reads two header fields, sets the
 * pragmas, runs pending migrations (rare) and checks the list of tables, so
 * it takes milliseconds whatever the size of the journal. The connection is
 * then handed to the worker, which alone uses it from then on.
 */
#define G_LOG_DOMAIN "ea-journal"

#include "config.h"

#include "ea-journal-private.h"

typedef struct
{
  gatomicrefcount  ref_count;
  GAsyncQueue     *queue;
  EaJournalDb     *db;
  GMainContext    *context;     /* where "notify::writable" is emitted */
  GWeakRef         journal;
  gint             writable;    /* atomic */
} Worker;

typedef struct
{
  EaJournalJobFunc  func;       /* NULL: quit */
  gpointer          data;
  GDestroyNotify    data_free;
  GDestroyNotify    result_free;
  gboolean          is_write;
  GTask            *task;
} Job;

struct _EaJournal
{
  GObject   parent_instance;

  char     *path;
  Worker   *worker;
  GThread  *thread;
};

static void ea_journal_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EaJournal, ea_journal, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      ea_journal_initable_iface_init))

enum {
  PROP_0,
  PROP_PATH,
  PROP_WRITABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static Worker *
worker_ref (Worker *worker)
{
  g_atomic_ref_count_inc (&worker->ref_count);
  return worker;
}

static void
worker_unref (Worker *worker)
{
  if (!g_atomic_ref_count_dec (&worker->ref_count))
    return;

  g_assert (worker->db == NULL);
  g_async_queue_unref (worker->queue);
  g_main_context_unref (worker->context);
  g_weak_ref_clear (&worker->journal);
  g_free (worker);
}

static void
job_free (Job *job)
{
  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  g_clear_object (&job->task);
  g_free (job);
}

static gboolean
notify_writable_cb (gpointer user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(EaJournal) self = g_weak_ref_get (ref);

  if (self != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRITABLE]);
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
set_writable (Worker   *worker,
              gboolean  writable)
{
  GWeakRef *ref;
  g_autoptr(GObject) journal = NULL;

  if (g_atomic_int_exchange (&worker->writable, writable) == writable)
    return;

  journal = g_weak_ref_get (&worker->journal);
  if (journal == NULL)
    return;

  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, journal);
  g_main_context_invoke_full (worker->context, G_PRIORITY_DEFAULT,
                              notify_writable_cb, ref, weak_ref_free);
}

static void
run_job (Worker *worker,
         Job    *job)
{
  g_autoptr(GError) error = NULL;
  gpointer result = NULL;
  gboolean ok;

  if (g_task_return_error_if_cancelled (job->task))
    return;

  ok = job->func (worker->db, job->data, &result, &error);
  g_assert (ok == (error == NULL));

  if (job->is_write)
    {
      if (ok)
        set_writable (worker, !worker->db->read_only);
      else if (_ea_journal_error_is_storage (error))
        set_writable (worker, FALSE);
    }

  if (!ok)
    g_task_return_error (job->task, g_steal_pointer (&error));
  else
    g_task_return_pointer (job->task, result, job->result_free);
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;

  for (;;)
    {
      Job *job = g_async_queue_pop (worker->queue);
      gboolean quit = job->func == NULL;

      if (!quit)
        run_job (worker, job);
      job_free (job);

      if (quit)
        break;
    }

  g_clear_pointer (&worker->db, _ea_journal_db_close);
  worker_unref (worker);
  return NULL;
}

void
_ea_journal_submit (EaJournal           *self,
                    EaJournalJobFunc     func,
                    gpointer             data,
                    GDestroyNotify       data_free,
                    GDestroyNotify       result_free,
                    gboolean             is_write,
                    gpointer             source_tag,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  Job *job;

  g_assert (EA_IS_JOURNAL (self));
  g_assert (func != NULL);

  job = g_new0 (Job, 1);
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;
  job->is_write = is_write;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);

  if (self->worker == NULL)
    {
      g_task_return_new_error (job->task, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_FAILED,
                               "The journal is not open");
      job_free (job);
      return;
    }

  g_async_queue_push (self->worker->queue, job);
}

gpointer
_ea_journal_finish_pointer (EaJournal     *self,
                            GAsyncResult  *result,
                            gpointer       source_tag,
                            GError       **error)
{
  g_return_val_if_fail (EA_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gint64
_ea_journal_finish_int64 (EaJournal     *self,
                          GAsyncResult  *result,
                          gpointer       source_tag,
                          GError       **error)
{
  g_autofree gint64 *value = _ea_journal_finish_pointer (self, result, source_tag, error);

  return value != NULL ? *value : -1;
}

gboolean
_ea_journal_finish_boolean (EaJournal     *self,
                            GAsyncResult  *result,
                            gpointer       source_tag,
                            GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  _ea_journal_finish_pointer (self, result, source_tag, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

gpointer
_ea_journal_int64_result (gint64 value)
{
  gint64 *p = g_new (gint64, 1);

  *p = value;
  return p;
}

static gboolean
ea_journal_initable_init (GInitable     *initable,
                          GCancellable  *cancellable,
                          GError       **error)
{
  EaJournal *self = EA_JOURNAL (initable);
  EaJournalDb *db;
  Worker *worker;

  g_return_val_if_fail (self->worker == NULL, FALSE);

  if (self->path == NULL)
    self->path = ea_journal_default_path ();

  db = _ea_journal_db_open (self->path, error);
  if (db == NULL)
    return FALSE;

  worker = g_new0 (Worker, 1);
  g_atomic_ref_count_init (&worker->ref_count);
  worker->queue = g_async_queue_new ();
  worker->db = db;
  worker->context = g_main_context_ref_thread_default ();
  worker->writable = !db->read_only;
  g_weak_ref_init (&worker->journal, self);

  self->worker = worker;
  self->thread = g_thread_new ("ea-journal", worker_thread, worker_ref (worker));

  if (db->read_only)
    g_debug ("Journal %s is read-only", self->path);

  return TRUE;
}

static void
ea_journal_initable_iface_init (GInitableIface *iface)
{
  iface->init = ea_journal_initable_init;
}

static void
ea_journal_finalize (GObject *object)
{
  EaJournal *self = (EaJournal *)object;

  ea_journal_close (self);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (ea_journal_parent_class)->finalize (object);
}

static void
ea_journal_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  EaJournal *self = EA_JOURNAL (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_WRITABLE:
      g_value_set_boolean (value, ea_journal_get_writable (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_journal_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  EaJournal *self = EA_JOURNAL (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_free (self->path);
      self->path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_journal_class_init (EaJournalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ea_journal_finalize;
  object_class->get_property = ea_journal_get_property;
  object_class->set_property = ea_journal_set_property;

  /**
   * EaJournal:path:
   *
   * The database file; the default path when unset.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * EaJournal:writable:
   *
   * FALSE when the journal is read-only or the last write failed for lack
   * of space or an I/O error; TRUE again after a write succeeds. The desk
   * refuses new entries while it is FALSE (exits still go out).
   */
  properties[PROP_WRITABLE] =
    g_param_spec_boolean ("writable", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ea_journal_init (EaJournal *self)
{
}

char *
ea_journal_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "enigma-apex", "journal.sqlite3", NULL);
}

EaJournal *
ea_journal_new_sync (const char    *path,
                     GCancellable  *cancellable,
                     GError       **error)
{
  return g_initable_new (EA_TYPE_JOURNAL, cancellable, error,
                         "path", path,
                         NULL);
}

/**
 * ea_journal_close:
 *
 * Runs every job queued so far, then closes the connection (checkpointing
 * the WAL) and returns once it is closed. Later calls fail. Finalizing the
 * journal closes it too, but possibly later: the worker may hold the last
 * reference for a moment through a task it just completed.
 */
void
ea_journal_close (EaJournal *self)
{
  g_return_if_fail (EA_IS_JOURNAL (self));

  if (self->worker == NULL)
    return;

  g_async_queue_push (self->worker->queue, g_new0 (Job, 1));

  /* The last reference can be dropped on the worker itself: then it exits
   * on its own once it reads the quit. */
  if (g_thread_self () == self->thread)
    g_thread_unref (self->thread);
  else
    g_thread_join (self->thread);
  self->thread = NULL;

  g_clear_pointer (&self->worker, worker_unref);
}

const char *
ea_journal_get_path (EaJournal *self)
{
  g_return_val_if_fail (EA_IS_JOURNAL (self), NULL);

  return self->path;
}

gboolean
ea_journal_get_writable (EaJournal *self)
{
  g_return_val_if_fail (EA_IS_JOURNAL (self), FALSE);

  return self->worker != NULL && g_atomic_int_get (&self->worker->writable);
}

static gboolean
flush_job (EaJournalDb  *db,
           gpointer      data,
           gpointer     *result,
           GError      **error)
{
  return TRUE;
}

void
ea_journal_flush_async (EaJournal           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (EA_IS_JOURNAL (self));

  _ea_journal_submit (self, flush_job, NULL, NULL, NULL, FALSE,
                      ea_journal_flush_async, cancellable, callback, user_data);
}

gboolean
ea_journal_flush_finish (EaJournal     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return _ea_journal_finish_boolean (self, result, ea_journal_flush_async, error);
}

/* Client order ids. */

static gboolean
next_client_order_id_job (EaJournalDb  *db,
                          gpointer      data,
                          gpointer     *result,
                          GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 value = 0;
  int rc;

  if (!_ea_journal_db_begin (db, error))
    return FALSE;

  stmt = _ea_journal_db_prepare (db,
                                 "UPDATE counters SET value = value + 1 "
                                 "WHERE name = 'client_order_id' RETURNING value", error);
  if (stmt == NULL)
    goto fail;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else
    _ea_journal_db_set_error (db, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
                              "client order id", error);
  /* Drain so the statement completes before COMMIT. */
  while (rc == SQLITE_ROW)
    rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (value == 0)
    goto fail;
  if (rc != SQLITE_DONE)
    {
      _ea_journal_db_set_error (db, rc, "client order id", error);
      goto fail;
    }

  if (!_ea_journal_db_commit (db, error))
    return FALSE;

  *result = _ea_journal_int64_result (value);
  return TRUE;

fail:
  _ea_journal_db_rollback (db);
  return FALSE;
}

void
ea_journal_next_client_order_id_async (EaJournal           *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (EA_IS_JOURNAL (self));

  _ea_journal_submit (self, next_client_order_id_job, NULL, NULL, g_free, TRUE,
                      ea_journal_next_client_order_id_async, cancellable, callback, user_data);
}

gint64
ea_journal_next_client_order_id_finish (EaJournal     *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return _ea_journal_finish_int64 (self, result, ea_journal_next_client_order_id_async, error);
}

/* Audit. */

typedef struct
{
  EaActor  actor;
  char    *kind;
  char    *subject;
  char    *details;
} AuditData;

static void
audit_data_free (AuditData *data)
{
  g_free (data->kind);
  g_free (data->subject);
  g_free (data->details);
  g_free (data);
}

static gboolean
audit_job (EaJournalDb  *db,
           gpointer      data,
           gpointer     *result,
           GError      **error)
{
  AuditData *audit = data;
  gint64 seq;

  if (!_ea_journal_db_begin (db, error))
    return FALSE;
  seq = _ea_journal_db_audit_append (db, audit->actor, audit->kind, audit->subject,
                                     audit->details, error);
  if (seq == 0)
    {
      _ea_journal_db_rollback (db);
      return FALSE;
    }
  if (!_ea_journal_db_commit (db, error))
    return FALSE;

  *result = _ea_journal_int64_result (seq);
  return TRUE;
}

void
ea_journal_audit_async (EaJournal           *self,
                        EaActor              actor,
                        const char          *kind,
                        const char          *subject,
                        const char          *details_json,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  AuditData *data;

  g_return_if_fail (EA_IS_JOURNAL (self));

  data = g_new0 (AuditData, 1);
  data->actor = actor;
  data->kind = g_strdup (kind);
  data->subject = g_strdup (subject);
  data->details = g_strdup (details_json);

  _ea_journal_submit (self, audit_job, data, (GDestroyNotify) audit_data_free, g_free, TRUE,
                      ea_journal_audit_async, cancellable, callback, user_data);
}

gint64
ea_journal_audit_finish (EaJournal     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return _ea_journal_finish_int64 (self, result, ea_journal_audit_async, error);
}

/* The walk runs on its own read-only connection in a GTask thread, so a long
 * chain does not hold up the writes queued behind it (WAL readers do not
 * block the writer). It starts once the calls made before it are done. */
static void
verify_audit_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  EaJournal *self = source_object;
  EaJournalDb db = { NULL, };
  GError *error = NULL;
  EaAuditReport *report;
  int rc;

  db.path = self->path;
  rc = sqlite3_open_v2 (self->path, &db.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      _ea_journal_db_set_error (&db, rc, "open for verification", &error);
      sqlite3_close (db.db);
      g_task_return_error (task, error);
      return;
    }
  sqlite3_busy_timeout (db.db, 5000);

  report = _ea_journal_db_audit_verify (&db, &error);
  sqlite3_close (db.db);

  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) ea_audit_report_free);
}

static void
verify_audit_flushed_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!ea_journal_flush_finish (EA_JOURNAL (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_run_in_thread (task, verify_audit_thread);
}

void
ea_journal_verify_audit_async (EaJournal           *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (EA_IS_JOURNAL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ea_journal_verify_audit_async);
  ea_journal_flush_async (self, cancellable, verify_audit_flushed_cb, task);
}

EaAuditReport *
ea_journal_verify_audit_finish (EaJournal     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _ea_journal_finish_pointer (self, result, ea_journal_verify_audit_async, error);
}

/* Test hook. */

static gboolean
set_max_page_count_job (EaJournalDb  *db,
                        gpointer      data,
                        gpointer     *result,
                        GError      **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT,
                                          *(gint64 *) data);

  return _ea_journal_db_exec (db, sql, error);
}

void
_ea_journal_set_max_page_count_async (EaJournal           *self,
                                      gint64               pages,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  _ea_journal_submit (self, set_max_page_count_job, _ea_journal_int64_result (pages), g_free,
                      NULL, FALSE, _ea_journal_set_max_page_count_async, NULL, callback, user_data);
}

gboolean
_ea_journal_set_max_page_count_finish (EaJournal     *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return _ea_journal_finish_boolean (self, result, _ea_journal_set_max_page_count_async, error);
}

static gboolean
set_query_only_job (EaJournalDb  *db,
                    gpointer      data,
                    gpointer     *result,
                    GError      **error)
{
  return _ea_journal_db_exec (db, *(gint64 *) data ? "PRAGMA query_only = 1" : "PRAGMA query_only = 0", error);
}

void
_ea_journal_set_query_only_async (EaJournal           *self,
                                  gboolean             query_only,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  _ea_journal_submit (self, set_query_only_job, _ea_journal_int64_result (query_only != FALSE), g_free,
                      NULL, FALSE, _ea_journal_set_query_only_async, NULL, callback, user_data);
}

gboolean
_ea_journal_set_query_only_finish (EaJournal     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _ea_journal_finish_boolean (self, result, _ea_journal_set_query_only_async, error);
}
