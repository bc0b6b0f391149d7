/* ea-journal-records.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Day state, risk events, signals, ERM alerts, settings history and user
 * profiles. Writes that change risk, settings or profiles append their
 * audit row in the same transaction.
 */
#define G_LOG_DOMAIN "ea-journal"

#include "config.h"

#include <string.h>

#include "ea-journal-private.h"

static gboolean
step_returning_id (EaJournalDb   *db,
                   sqlite3_stmt  *stmt,
                   const char    *what,
                   gint64        *id,
                   GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      *id = sqlite3_column_int64 (stmt, 0);
      rc = sqlite3_step (stmt);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _ea_journal_db_set_error (db, rc, what, error);
  return TRUE;
}

/* Day state. */

EaJournalDayState *
ea_journal_day_state_new (void)
{
  EaJournalDayState *state = g_new0 (EaJournalDayState, 1);

  state->lock_state = EA_TRADING_STATE_ACTIVE;
  return state;
}

EaJournalDayState *
ea_journal_day_state_copy (const EaJournalDayState *state)
{
  EaJournalDayState *copy;

  g_return_val_if_fail (state != NULL, NULL);

  copy = g_memdup2 (state, sizeof *state);
  copy->trading_day = g_strdup (state->trading_day);
  copy->lock_reason = g_strdup (state->lock_reason);
  copy->risk_state = state->risk_state != NULL ? g_bytes_ref (state->risk_state) : NULL;
  return copy;
}

void
ea_journal_day_state_free (EaJournalDayState *state)
{
  if (state == NULL)
    return;
  g_free (state->trading_day);
  g_free (state->lock_reason);
  g_clear_pointer (&state->risk_state, g_bytes_unref);
  g_free (state);
}

G_DEFINE_BOXED_TYPE (EaJournalDayState, ea_journal_day_state,
                     ea_journal_day_state_copy, ea_journal_day_state_free)

static gboolean
valid_trading_day (const char *day)
{
  return day != NULL && strlen (day) == 10
         && g_ascii_isdigit (day[0]) && g_ascii_isdigit (day[1])
         && g_ascii_isdigit (day[2]) && g_ascii_isdigit (day[3]) && day[4] == '-'
         && g_ascii_isdigit (day[5]) && g_ascii_isdigit (day[6]) && day[7] == '-'
         && g_ascii_isdigit (day[8]) && g_ascii_isdigit (day[9]);
}

static gboolean
save_day_state_job (EaJournalDb  *db,
                    gpointer      data,
                    gpointer     *result,
                    GError      **error)
{
  EaJournalDayState *s = data;
  sqlite3_stmt *stmt;

  if (s->account_id <= 0 || !valid_trading_day (s->trading_day))
    {
      g_set_error_literal (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID,
                           "A day state needs an account and a trading day YYYY-MM-DD");
      return FALSE;
    }

  stmt = _ea_journal_db_prepare (db,
                                 "INSERT OR REPLACE INTO day_state (account_id, trading_day, "
                                 "  start_balance_micros, peak_equity_micros, floor_micros, day_pnl_micros, "
                                 "  lock_state, lock_until_us, lock_reason, risk_state, updated_us) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, s->account_id);
  _ea_journal_bind_text (stmt, 2, s->trading_day);
  sqlite3_bind_int64 (stmt, 3, s->start_balance_micros);
  sqlite3_bind_int64 (stmt, 4, s->peak_equity_micros);
  sqlite3_bind_int64 (stmt, 5, s->floor_micros);
  sqlite3_bind_int64 (stmt, 6, s->day_pnl_micros);
  _ea_journal_bind_text (stmt, 7, ea_trading_state_to_string (s->lock_state));
  _ea_journal_bind_id (stmt, 8, s->lock_until_us);
  _ea_journal_bind_text (stmt, 9, s->lock_reason);
  if (s->risk_state != NULL)
    {
      gsize len;
      gconstpointer bytes = g_bytes_get_data (s->risk_state, &len);

      sqlite3_bind_blob64 (stmt, 10, len > 0 ? bytes : "", len, SQLITE_STATIC);
    }
  else
    sqlite3_bind_null (stmt, 10);
  sqlite3_bind_int64 (stmt, 11, s->updated_us != 0 ? s->updated_us : g_get_real_time ());

  /* One statement: autocommit makes it its own transaction. */
  return _ea_journal_db_step_done (db, stmt, "day state", error);
}

void
ea_journal_save_day_state_async (EaJournal               *self,
                                 const EaJournalDayState *state,
                                 GCancellable            *cancellable,
                                 GAsyncReadyCallback      callback,
                                 gpointer                 user_data)
{
  g_return_if_fail (EA_IS_JOURNAL (self));
  g_return_if_fail (state != NULL);

  _ea_journal_submit (self, save_day_state_job, ea_journal_day_state_copy (state),
                      (GDestroyNotify) ea_journal_day_state_free, NULL, TRUE,
                      ea_journal_save_day_state_async, cancellable, callback, user_data);
}

gboolean
ea_journal_save_day_state_finish (EaJournal     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _ea_journal_finish_boolean (self, result, ea_journal_save_day_state_async, error);
}

#define DAY_STATE_COLUMNS \
  "trading_day, start_balance_micros, peak_equity_micros, floor_micros, " \
  "  day_pnl_micros, lock_state, lock_until_us, lock_reason, risk_state, updated_us, " \
  "  account_id "

/* A day_state row selected with DAY_STATE_COLUMNS. */
static EaJournalDayState *
read_day_state (sqlite3_stmt *stmt)
{
  EaJournalDayState *s = ea_journal_day_state_new ();
  const char *lock_state = (const char *) sqlite3_column_text (stmt, 5);
  gconstpointer blob = sqlite3_column_blob (stmt, 8);
  int blob_len = sqlite3_column_bytes (stmt, 8);

  s->account_id = sqlite3_column_int64 (stmt, 10);
  s->trading_day = _ea_journal_column_dup (stmt, 0);
  s->start_balance_micros = sqlite3_column_int64 (stmt, 1);
  s->peak_equity_micros = sqlite3_column_int64 (stmt, 2);
  s->floor_micros = sqlite3_column_int64 (stmt, 3);
  s->day_pnl_micros = sqlite3_column_int64 (stmt, 4);
  if (lock_state == NULL || !ea_trading_state_from_string (lock_state, &s->lock_state))
    /* Unknown state names are read as the safest one. */
    s->lock_state = EA_TRADING_STATE_LOCKED;
  s->lock_until_us = sqlite3_column_int64 (stmt, 6);
  s->lock_reason = _ea_journal_column_dup (stmt, 7);
  if (sqlite3_column_type (stmt, 8) != SQLITE_NULL)
    s->risk_state = g_bytes_new (blob, blob_len);
  s->updated_us = sqlite3_column_int64 (stmt, 9);
  return s;
}

static gboolean
load_day_state_job (EaJournalDb  *db,
                    gpointer      data,
                    gpointer     *result,
                    GError      **error)
{
  EaJournalDayState *key = data;
  g_autoptr(EaJournalDayState) s = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ea_journal_db_prepare (db,
                                 "SELECT " DAY_STATE_COLUMNS
                                 "FROM day_state WHERE (?1 = 0 OR account_id = ?1) AND (?2 IS NULL OR trading_day = ?2) "
                                 "ORDER BY CASE WHEN ?1 = 0 THEN updated_us END DESC, trading_day DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, key->account_id);
  _ea_journal_bind_text (stmt, 2, key->trading_day);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    s = read_day_state (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _ea_journal_db_set_error (db, rc, "loading day state", error);
  if (s == NULL)
    {
      g_set_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_NOT_FOUND,
                   "No day state for account %" G_GINT64_FORMAT "%s%s",
                   key->account_id, key->trading_day ? " on " : "",
                   key->trading_day ? key->trading_day : "");
      return FALSE;
    }

  *result = g_steal_pointer (&s);
  return TRUE;
}

static gboolean
load_day_states_job (EaJournalDb  *db,
                     gpointer      data,
                     gpointer     *result,
                     GError      **error)
{
  gint64 account_id = *(gint64 *) data;
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_journal_day_state_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ea_journal_db_prepare (db,
                                 "SELECT " DAY_STATE_COLUMNS
                                 "FROM day_state WHERE account_id = ?1 ORDER BY trading_day", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (states, read_day_state (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _ea_journal_db_set_error (db, rc, "loading day states", error);

  *result = g_steal_pointer (&states);
  return TRUE;
}

void
ea_journal_load_day_state_async (EaJournal           *self,
                                 gint64               account_id,
                                 const char          *trading_day,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  EaJournalDayState *key;

  g_return_if_fail (EA_IS_JOURNAL (self));

  key = ea_journal_day_state_new ();
  key->account_id = account_id;
  key->trading_day = g_strdup (trading_day);
  _ea_journal_submit (self, load_day_state_job, key, (GDestroyNotify) ea_journal_day_state_free,
                      (GDestroyNotify) ea_journal_day_state_free, FALSE,
                      ea_journal_load_day_state_async, cancellable, callback, user_data);
}

EaJournalDayState *
ea_journal_load_day_state_finish (EaJournal     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _ea_journal_finish_pointer (self, result, ea_journal_load_day_state_async, error);
}

/* Risk events, signals, ERM alerts, settings and profiles share one shape
 * of arguments. */

typedef struct
{
  gint64    id;
  gint      kind;
  EaActor   actor;
  EaTimeUs  time_us;
  char     *s[6];
  EaJournalSignal signal;
} RowData;

static void
row_data_free (RowData *data)
{
  for (guint i = 0; i < G_N_ELEMENTS (data->s); i++)
    g_free (data->s[i]);
  g_free (data);
}

static RowData *
row_data_new (const char *s0,
              const char *s1,
              const char *s2,
              const char *s3,
              const char *s4,
              const char *s5)
{
  RowData *data = g_new0 (RowData, 1);

  data->s[0] = g_strdup (s0);
  data->s[1] = g_strdup (s1);
  data->s[2] = g_strdup (s2);
  data->s[3] = g_strdup (s3);
  data->s[4] = g_strdup (s4);
  data->s[5] = g_strdup (s5);
  return data;
}

const char *
ea_journal_risk_kind_to_string (EaJournalRiskKind kind)
{
  switch (kind)
    {
    case EA_JOURNAL_RISK_WARNING:      return "warning";
    case EA_JOURNAL_RISK_DENIAL:       return "denial";
    case EA_JOURNAL_RISK_BREACH:       return "breach";
    case EA_JOURNAL_RISK_LOCK:         return "lock";
    case EA_JOURNAL_RISK_UNLOCK:       return "unlock";
    case EA_JOURNAL_RISK_LIMIT_CHANGE: return "limit_change";
    default:                           return NULL;
    }
}

static gboolean
risk_event_job (EaJournalDb  *db,
                gpointer      data,
                gpointer     *result,
                GError      **error)
{
  RowData *row = data;
  const char *kind = ea_journal_risk_kind_to_string (row->kind);
  const char *details = row->s[1] != NULL ? row->s[1] : "{}";
  g_autofree char *audit_kind = NULL;
  g_autofree char *subject = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;

  if (kind == NULL)
    {
      g_set_error (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID,
                   "Unknown risk event kind %d", row->kind);
      return FALSE;
    }
  if (!_ea_journal_check_json (details, error) || !_ea_journal_db_begin (db, error))
    return FALSE;

  stmt = _ea_journal_db_prepare (db,
                                 "INSERT INTO risk_events (time_us, account_id, kind, reason, details) "
                                 "VALUES (?, ?, ?, ?, ?) RETURNING id", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  _ea_journal_bind_id (stmt, 2, row->id);
  _ea_journal_bind_text (stmt, 3, kind);
  _ea_journal_bind_text (stmt, 4, row->s[0]);
  _ea_journal_bind_text (stmt, 5, details);
  if (!step_returning_id (db, stmt, "risk event", &id, error))
    goto fail;

  audit_kind = g_strdup_printf ("risk.%s", kind);
  subject = row->id != 0 ? g_strdup_printf ("account:%" G_GINT64_FORMAT, row->id) : g_strdup ("global");
  if (_ea_journal_db_audit_append (db, row->actor, audit_kind, subject, details, error) == 0)
    goto fail;
  if (!_ea_journal_db_commit (db, error))
    return FALSE;

  *result = _ea_journal_int64_result (id);
  return TRUE;

fail:
  _ea_journal_db_rollback (db);
  return FALSE;
}

void
ea_journal_record_risk_event_async (EaJournal           *self,
                                    gint64               account_id,
                                    EaJournalRiskKind    kind,
                                    const char          *reason,
                                    const char          *details_json,
                                    EaActor              actor,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  RowData *data;

  g_return_if_fail (EA_IS_JOURNAL (self));

  data = row_data_new (reason, details_json, NULL, NULL, NULL, NULL);
  data->id = account_id;
  data->kind = kind;
  data->actor = actor;
  _ea_journal_submit (self, risk_event_job, data, (GDestroyNotify) row_data_free, g_free, TRUE,
                      ea_journal_record_risk_event_async, cancellable, callback, user_data);
}

gint64
ea_journal_record_risk_event_finish (EaJournal     *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _ea_journal_finish_int64 (self, result, ea_journal_record_risk_event_async, error);
}

static gboolean
signal_job (EaJournalDb  *db,
            gpointer      data,
            gpointer     *result,
            GError      **error)
{
  RowData *row = data;
  const EaJournalSignal *sig = &row->signal;
  const char *details = row->s[3] != NULL ? row->s[3] : "{}";
  sqlite3_stmt *stmt;
  gint64 id = 0;

  if (row->s[0] == NULL || row->s[1] == NULL
      || (sig->side != EA_SIDE_BUY && sig->side != EA_SIDE_SELL))
    {
      g_set_error_literal (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID,
                           "A signal needs a symbol, a root and a side");
      return FALSE;
    }
  if (!_ea_journal_check_json (details, error))
    return FALSE;

  stmt = _ea_journal_db_prepare (db,
                                 "INSERT INTO signals (time_us, symbol, root, side, source, entry_ticks, "
                                 "  stop_ticks, target_ticks, details) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sig->time_us != 0 ? sig->time_us : g_get_real_time ());
  _ea_journal_bind_text (stmt, 2, row->s[0]);
  _ea_journal_bind_text (stmt, 3, row->s[1]);
  sqlite3_bind_int (stmt, 4, sig->side);
  _ea_journal_bind_text (stmt, 5, row->s[2]);
  _ea_journal_bind_id (stmt, 6, sig->entry_ticks);
  _ea_journal_bind_id (stmt, 7, sig->stop_ticks);
  _ea_journal_bind_id (stmt, 8, sig->target_ticks);
  _ea_journal_bind_text (stmt, 9, details);
  if (!step_returning_id (db, stmt, "signal", &id, error))
    return FALSE;

  *result = _ea_journal_int64_result (id);
  return TRUE;
}

void
ea_journal_record_signal_async (EaJournal             *self,
                                const EaJournalSignal *signal,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  RowData *data;

  g_return_if_fail (EA_IS_JOURNAL (self));
  g_return_if_fail (signal != NULL);

  data = row_data_new (signal->symbol, signal->root, signal->source, signal->details_json,
                       NULL, NULL);
  data->signal = *signal;
  data->signal.symbol = data->signal.root = data->signal.source = data->signal.details_json = NULL;
  _ea_journal_submit (self, signal_job, data, (GDestroyNotify) row_data_free, g_free, TRUE,
                      ea_journal_record_signal_async, cancellable, callback, user_data);
}

gint64
ea_journal_record_signal_finish (EaJournal     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _ea_journal_finish_int64 (self, result, ea_journal_record_signal_async, error);
}

static gboolean
erm_alert_job (EaJournalDb  *db,
               gpointer      data,
               gpointer     *result,
               GError      **error)
{
  RowData *row = data;
  const char *details = row->s[4] != NULL ? row->s[4] : "{}";
  sqlite3_stmt *stmt;
  gint64 id = 0;

  if (row->s[2] == NULL || row->s[3] == NULL)
    {
      g_set_error_literal (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID,
                           "An ERM alert needs a level and a message");
      return FALSE;
    }
  if (!_ea_journal_check_json (details, error))
    return FALSE;

  stmt = _ea_journal_db_prepare (db,
                                 "INSERT INTO erm_alerts (time_us, symbol, root, level, message, details) "
                                 "VALUES (?, ?, ?, ?, ?, ?) RETURNING id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row->time_us != 0 ? row->time_us : g_get_real_time ());
  for (int i = 0; i < 4; i++)
    _ea_journal_bind_text (stmt, i + 2, row->s[i]);
  _ea_journal_bind_text (stmt, 6, details);
  if (!step_returning_id (db, stmt, "ERM alert", &id, error))
    return FALSE;

  *result = _ea_journal_int64_result (id);
  return TRUE;
}

void
ea_journal_record_erm_alert_async (EaJournal           *self,
                                   EaTimeUs             time_us,
                                   const char          *symbol,
                                   const char          *root,
                                   const char          *level,
                                   const char          *message,
                                   const char          *details_json,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  RowData *data;

  g_return_if_fail (EA_IS_JOURNAL (self));

  data = row_data_new (symbol, root, level, message, details_json, NULL);
  data->time_us = time_us;
  _ea_journal_submit (self, erm_alert_job, data, (GDestroyNotify) row_data_free, g_free, TRUE,
                      ea_journal_record_erm_alert_async, cancellable, callback, user_data);
}

gint64
ea_journal_record_erm_alert_finish (EaJournal     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _ea_journal_finish_int64 (self, result, ea_journal_record_erm_alert_async, error);
}

static char *
json_string (const char *s)
{
  g_autoptr(GString) out = g_string_new ("\"");

  for (const char *p = s; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
setting_job (EaJournalDb  *db,
             gpointer      data,
             gpointer     *result,
             GError      **error)
{
  RowData *row = data;
  g_autofree char *old_json = NULL;
  g_autofree char *new_json = NULL;
  g_autofree char *details = NULL;
  sqlite3_stmt *stmt;

  if (row->s[0] == NULL || *row->s[0] == '\0')
    {
      g_set_error_literal (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID,
                           "A setting change needs a key");
      return FALSE;
    }
  if (!_ea_journal_db_begin (db, error))
    return FALSE;

  stmt = _ea_journal_db_prepare (db,
                                 "INSERT INTO settings_history (time_us, key, old_value, new_value, actor) "
                                 "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  _ea_journal_bind_text (stmt, 2, row->s[0]);
  _ea_journal_bind_text (stmt, 3, row->s[1]);
  _ea_journal_bind_text (stmt, 4, row->s[2]);
  _ea_journal_bind_text (stmt, 5, ea_actor_to_string (row->actor));
  if (!_ea_journal_db_step_done (db, stmt, "setting change", error))
    goto fail;

  old_json = row->s[1] != NULL ? json_string (row->s[1]) : g_strdup ("null");
  new_json = row->s[2] != NULL ? json_string (row->s[2]) : g_strdup ("null");
  details = g_strdup_printf ("{\"old\":%s,\"new\":%s}", old_json, new_json);
  if (_ea_journal_db_audit_append (db, row->actor, "setting.change", row->s[0], details, error) == 0)
    goto fail;
  return _ea_journal_db_commit (db, error);

fail:
  _ea_journal_db_rollback (db);
  return FALSE;
}

void
ea_journal_record_setting_async (EaJournal           *self,
                                 const char          *key,
                                 const char          *old_value,
                                 const char          *new_value,
                                 EaActor              actor,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  RowData *data;

  g_return_if_fail (EA_IS_JOURNAL (self));

  data = row_data_new (key, old_value, new_value, NULL, NULL, NULL);
  data->actor = actor;
  _ea_journal_submit (self, setting_job, data, (GDestroyNotify) row_data_free, NULL, TRUE,
                      ea_journal_record_setting_async, cancellable, callback, user_data);
}

gboolean
ea_journal_record_setting_finish (EaJournal     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _ea_journal_finish_boolean (self, result, ea_journal_record_setting_async, error);
}

static gboolean
profile_job (EaJournalDb  *db,
             gpointer      data,
             gpointer     *result,
             GError      **error)
{
  RowData *row = data;
  const char *name = row->s[0];
  const char *json = row->s[1];
  g_autofree char *details = NULL;
  sqlite3_stmt *stmt;
  EaTimeUs now = g_get_real_time ();

  if (name == NULL || *name == '\0')
    {
      g_set_error_literal (error, EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_INVALID,
                           "A profile needs a name");
      return FALSE;
    }
  if (!_ea_journal_check_json (json, error) || !_ea_journal_db_begin (db, error))
    return FALSE;

  if (json != NULL)
    stmt = _ea_journal_db_prepare (db,
                                   "INSERT INTO user_profiles (name, json, created_us, updated_us) "
                                   "VALUES (?1, ?2, ?3, ?3) ON CONFLICT (name) DO UPDATE SET "
                                   "  json = excluded.json, updated_us = excluded.updated_us", error);
  else
    stmt = _ea_journal_db_prepare (db, "DELETE FROM user_profiles WHERE name = ?1", error);
  if (stmt == NULL)
    goto fail;
  _ea_journal_bind_text (stmt, 1, name);
  if (json != NULL)
    {
      _ea_journal_bind_text (stmt, 2, json);
      sqlite3_bind_int64 (stmt, 3, now);
    }
  if (!_ea_journal_db_step_done (db, stmt, "profile", error))
    goto fail;

  details = json != NULL ? g_strdup_printf ("{\"profile\":%s}", json) : g_strdup ("{}");
  if (_ea_journal_db_audit_append (db, row->actor, json != NULL ? "profile.save" : "profile.delete",
                                   name, details, error) == 0)
    goto fail;
  return _ea_journal_db_commit (db, error);

fail:
  _ea_journal_db_rollback (db);
  return FALSE;
}

void
ea_journal_save_profile_async (EaJournal           *self,
                               const char          *name,
                               const char          *json,
                               EaActor              actor,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  RowData *data;

  g_return_if_fail (EA_IS_JOURNAL (self));

  data = row_data_new (name, json, NULL, NULL, NULL, NULL);
  data->actor = actor;
  _ea_journal_submit (self, profile_job, data, (GDestroyNotify) row_data_free, NULL, TRUE,
                      ea_journal_save_profile_async, cancellable, callback, user_data);
}

gboolean
ea_journal_save_profile_finish (EaJournal     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _ea_journal_finish_boolean (self, result, ea_journal_save_profile_async, error);
}

static gboolean
load_profiles_job (EaJournalDb  *db,
                   gpointer      data,
                   gpointer     *result,
                   GError      **error)
{
  g_autoptr(GHashTable) profiles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ea_journal_db_prepare (db, "SELECT name, json FROM user_profiles", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (profiles, _ea_journal_column_dup (stmt, 0), _ea_journal_column_dup (stmt, 1));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _ea_journal_db_set_error (db, rc, "loading profiles", error);

  *result = g_steal_pointer (&profiles);
  return TRUE;
}

void
ea_journal_load_profiles_async (EaJournal           *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (EA_IS_JOURNAL (self));

  _ea_journal_submit (self, load_profiles_job, NULL, NULL, (GDestroyNotify) g_hash_table_unref,
                      FALSE, ea_journal_load_profiles_async, cancellable, callback, user_data);
}

GHashTable *
ea_journal_load_profiles_finish (EaJournal     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _ea_journal_finish_pointer (self, result, ea_journal_load_profiles_async, error);
}

void
ea_journal_load_day_states_async (EaJournal           *self,
                                  gint64               account_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (EA_IS_JOURNAL (self));

  _ea_journal_submit (self, load_day_states_job, _ea_journal_int64_result (account_id), g_free,
                      (GDestroyNotify) g_ptr_array_unref, FALSE,
                      ea_journal_load_day_states_async, cancellable, callback, user_data);
}

GPtrArray *
ea_journal_load_day_states_finish (EaJournal     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _ea_journal_finish_pointer (self, result, ea_journal_load_day_states_async, error);
}
