/* ea-journal.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaJournal: the trade journal and the hash-chained audit trail, one SQLite
 * database owned by one worker thread. Every call is an _async/_finish pair
 * whose callback runs in the caller's thread-default main context; calls are
 * executed in the order they were made. Opening is synchronous (GInitable)
 * and cheap: it does not scan tables. The _finish functions that return an
 * id or a count return -1 on error. The schema is described in
 * docs-journal.md.
 */
#pragma once

#include <gio/gio.h>

#include "ea-core-types.h"

G_BEGIN_DECLS

#define EA_JOURNAL_ERROR (ea_journal_error_quark ())

typedef enum
{
  EA_JOURNAL_ERROR_FAILED,
  EA_JOURNAL_ERROR_READ_ONLY,   /* the file or its folder cannot be written */
  EA_JOURNAL_ERROR_DISK_FULL,   /* no space left (or the page limit reached) */
  EA_JOURNAL_ERROR_IO,          /* an I/O error from the operating system */
  EA_JOURNAL_ERROR_CORRUPT,     /* not a database, or a damaged one */
  EA_JOURNAL_ERROR_TOO_NEW,     /* schema newer than this program knows */
  EA_JOURNAL_ERROR_NOT_JOURNAL, /* an SQLite file of another application */
  EA_JOURNAL_ERROR_INVALID,     /* bad arguments (e.g. malformed JSON) */
  EA_JOURNAL_ERROR_NOT_FOUND,   /* the requested row does not exist */
  EA_JOURNAL_ERROR_BUSY,        /* another process holds the database */
} EaJournalError;

/* The schema version this program writes (PRAGMA user_version). */
#define EA_JOURNAL_SCHEMA_VERSION 3

typedef struct
{
  const char *broker;            /* e.g. "sim", "tradovate"; required */
  const char *broker_fill_id;    /* required; unique per broker */
  gint64      account_id;        /* accounts.id, 0 for none */
  const char *client_order_id;   /* may be NULL */
  const char *broker_order_id;   /* may be NULL */
  const char *symbol;            /* contract, e.g. "ESZ6"; required */
  const char *root;              /* instrument root, e.g. "ES"; required */
  EaSide      side;
  gint64      qty;
  EaTicks     price_ticks;
  EaMicros    fee_micros;
  EaTimeUs    time_us;
} EaJournalFill;

typedef struct
{
  const char *client_order_id;   /* required; unique */
  gint64      account_id;        /* accounts.id, 0 for none */
  const char *broker;
  const char *broker_order_id;   /* NULL until the broker acknowledges */
  const char *symbol;
  const char *root;
  EaSide      side;
  gint64      qty;
  const char *order_type;        /* "MARKET", "LIMIT", "STOP", "STOP_LIMIT" */
  EaTicks     limit_ticks;       /* 0 when not applicable */
  EaTicks     stop_ticks;        /* 0 when not applicable */
  const char *state;             /* order state name, e.g. "PENDING_SEND" */
  gboolean    terminal;          /* TRUE once the state is final */
  gint64      filled_qty;
  EaTicks     avg_fill_ticks;
  const char *reason;            /* reject or cancel reason, may be NULL */
  EaTimeUs    time_us;           /* time of this state */
} EaJournalOrder;

typedef struct
{
  gint64      id;                /* trades.id; ignored on insert */
  gint64      account_id;
  char       *symbol;
  char       *root;
  EaSide      side;              /* side of the entry */
  gint64      qty;
  EaTimeUs    entry_time_us;
  EaTimeUs    exit_time_us;
  EaTicks     entry_ticks;
  EaTicks     exit_ticks;
  EaMicros    pnl_micros;        /* net of fees */
  EaMicros    fees_micros;
  EaTicks     mae_ticks;         /* max adverse excursion, >= 0 */
  EaTicks     mfe_ticks;         /* max favourable excursion, >= 0 */
  char       *tags;              /* comma separated, may be NULL */
  char       *notes;             /* may be NULL */
  gint64      signal_id;         /* signals.id, 0 for none */
} EaJournalTrade;

typedef struct
{
  const char *symbol;
  const char *root;
  gint        period_s;          /* bar period in seconds */
  EaTimeUs    open_time_us;
  EaTicks     open_ticks;
  EaTicks     high_ticks;
  EaTicks     low_ticks;
  EaTicks     close_ticks;
  gint64      volume;
} EaJournalBar;

typedef struct
{
  gint64          account_id;
  char           *trading_day;   /* "YYYY-MM-DD" (CME trading day) */
  EaMicros        start_balance_micros;
  EaMicros        peak_equity_micros;
  EaMicros        floor_micros;
  EaMicros        day_pnl_micros;
  EaTradingState  lock_state;
  EaTimeUs        lock_until_us; /* 0 when not locked */
  char           *lock_reason;
  GBytes         *risk_state;    /* opaque record of the risk engine, or NULL */
  EaTimeUs        updated_us;
} EaJournalDayState;

typedef enum
{
  EA_JOURNAL_RISK_WARNING,
  EA_JOURNAL_RISK_DENIAL,
  EA_JOURNAL_RISK_BREACH,
  EA_JOURNAL_RISK_LOCK,
  EA_JOURNAL_RISK_UNLOCK,
  EA_JOURNAL_RISK_LIMIT_CHANGE,
} EaJournalRiskKind;

typedef struct
{
  EaTimeUs    time_us;
  const char *symbol;
  const char *root;
  EaSide      side;
  const char *source;            /* strategy or indicator name */
  EaTicks     entry_ticks;
  EaTicks     stop_ticks;
  EaTicks     target_ticks;
  const char *details_json;      /* may be NULL */
} EaJournalSignal;

typedef enum
{
  EA_AUDIT_OK,
  EA_AUDIT_EDITED,     /* a row's content no longer matches its hash */
  EA_AUDIT_DELETED,    /* a row is missing (gap in seq or in the chain) */
  EA_AUDIT_INSERTED,   /* a row that is not part of the chain */
  EA_AUDIT_REORDERED,  /* rows are out of chain order */
} EaAuditStatus;

typedef struct
{
  EaAuditStatus  status;
  gint64         broken_seq;     /* first broken seq, 0 when OK */
  char          *message;        /* human readable, NULL when OK */
  gint64         n_rows;         /* rows walked */
  gint64         head_seq;       /* last seq of the chain */
  char          *head_hash;      /* hex SHA-256 of the last row, or NULL */
} EaAuditReport;

#define EA_TYPE_JOURNAL_DAY_STATE (ea_journal_day_state_get_type ())
#define EA_TYPE_AUDIT_REPORT      (ea_audit_report_get_type ())
#define EA_TYPE_JOURNAL           (ea_journal_get_type ())

G_DECLARE_FINAL_TYPE (EaJournal, ea_journal, EA, JOURNAL, GObject)

GQuark             ea_journal_error_quark        (void);
GType              ea_journal_day_state_get_type (void) G_GNUC_CONST;
EaJournalDayState *ea_journal_day_state_new      (void);
EaJournalDayState *ea_journal_day_state_copy     (const EaJournalDayState *state);
void               ea_journal_day_state_free     (EaJournalDayState *state);
GType              ea_audit_report_get_type      (void) G_GNUC_CONST;
EaAuditReport     *ea_audit_report_copy          (const EaAuditReport *report);
void               ea_audit_report_free          (EaAuditReport *report);
const char        *ea_audit_status_to_string     (EaAuditStatus  status);
const char        *ea_journal_risk_kind_to_string (EaJournalRiskKind kind);
void               ea_journal_trade_clear        (EaJournalTrade *trade);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaJournalDayState, ea_journal_day_state_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaAuditReport, ea_audit_report_free)

/* $XDG_DATA_HOME/enigma-apex/journal.sqlite3 */
char              *ea_journal_default_path       (void);

/* Opens (creating when missing, migrating when older) the journal at @path,
 * or at the default path when @path is NULL. */
EaJournal         *ea_journal_new_sync           (const char     *path,
                                                  GCancellable   *cancellable,
                                                  GError        **error);
/* Finishes the queued calls and closes the database before returning. */
void               ea_journal_close              (EaJournal      *self);
const char        *ea_journal_get_path           (EaJournal      *self);
gboolean           ea_journal_get_writable       (EaJournal      *self);

/* Waits until every call made before has been executed (test and shutdown
 * helper; the callback gets TRUE). */
void               ea_journal_flush_async        (EaJournal           *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean           ea_journal_flush_finish       (EaJournal      *self,
                                                  GAsyncResult   *result,
                                                  GError        **error);

/* accounts: returns accounts.id, creating the row when new. */
void               ea_journal_ensure_account_async (EaJournal           *self,
                                                    const char          *broker,
                                                    const char          *broker_account_id,
                                                    const char          *name,
                                                    EaMode               mode,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gint64             ea_journal_ensure_account_finish (EaJournal     *self,
                                                     GAsyncResult  *result,
                                                     GError       **error);

/* Durable client order ids: the counter is committed before the id is
 * returned, so an id is never handed out twice, even across a crash. */
void               ea_journal_next_client_order_id_async  (EaJournal           *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gint64             ea_journal_next_client_order_id_finish (EaJournal     *self,
                                                           GAsyncResult  *result,
                                                           GError       **error);

/* orders: inserts the order (by client_order_id) or updates its current
 * state, appends an order_events row and an audit row "order.<state>", all in
 * one transaction. Returns orders.id. */
void               ea_journal_record_order_async  (EaJournal            *self,
                                                   const EaJournalOrder *order,
                                                   EaActor               actor,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gint64             ea_journal_record_order_finish (EaJournal     *self,
                                                   GAsyncResult  *result,
                                                   GError       **error);

/* Orders not in a final state (terminal = 0) of @account_id (0: all
 * accounts), oldest first, for reconciliation after a restart. Returns a
 * GPtrArray of EaJournalOrder; each element is one allocation holding its
 * strings, freed by the array. */
void               ea_journal_load_open_orders_async  (EaJournal           *self,
                                                       gint64               account_id,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GPtrArray         *ea_journal_load_open_orders_finish (EaJournal     *self,
                                                       GAsyncResult  *result,
                                                       GError       **error);

/* fills: one transaction for the whole array. Returns the number of new
 * fills; @out_is_new (optional) gets a GArray of gboolean, one per fill,
 * FALSE for a fill already stored (same broker + broker_fill_id). */
void               ea_journal_insert_fills_async  (EaJournal           *self,
                                                   const EaJournalFill *fills,
                                                   guint                n_fills,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gint64             ea_journal_insert_fills_finish (EaJournal     *self,
                                                   GAsyncResult  *result,
                                                   GArray       **out_is_new,
                                                   GError       **error);

/* trades: one transaction; returns the id of the first inserted trade (the
 * others follow consecutively). */
void               ea_journal_insert_trades_async  (EaJournal            *self,
                                                    const EaJournalTrade *trades,
                                                    guint                 n_trades,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gint64             ea_journal_insert_trades_finish (EaJournal     *self,
                                                    GAsyncResult  *result,
                                                    GError       **error);
void               ea_journal_update_trade_notes_async  (EaJournal           *self,
                                                         gint64               trade_id,
                                                         const char          *tags,
                                                         const char          *notes,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean           ea_journal_update_trade_notes_finish (EaJournal     *self,
                                                         GAsyncResult  *result,
                                                         GError       **error);
/* Trades of @account_id (0: all accounts) whose exit time is in
 * [from_us, to_us), ordered by exit time. Returns a GArray of EaJournalTrade
 * (its clear function frees the strings). */
void               ea_journal_load_trades_async  (EaJournal           *self,
                                                  gint64               account_id,
                                                  EaTimeUs             from_us,
                                                  EaTimeUs             to_us,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GArray            *ea_journal_load_trades_finish (EaJournal     *self,
                                                  GAsyncResult  *result,
                                                  GError       **error);

/* bars: insert or replace per (symbol, period, open time). */
void               ea_journal_upsert_bars_async  (EaJournal          *self,
                                                  const EaJournalBar *bars,
                                                  guint               n_bars,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
gboolean           ea_journal_upsert_bars_finish (EaJournal     *self,
                                                  GAsyncResult  *result,
                                                  GError       **error);
/* Returns a GArray of EaJournalBar ordered by open time; their symbol and
 * root are NULL (all rows are of the requested symbol). */
void               ea_journal_load_bars_async    (EaJournal           *self,
                                                  const char          *symbol,
                                                  gint                 period_s,
                                                  EaTimeUs             from_us,
                                                  EaTimeUs             to_us,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GArray            *ea_journal_load_bars_finish   (EaJournal     *self,
                                                  GAsyncResult  *result,
                                                  GError       **error);

/* day_state: one row per account and trading day, replaced on save. */
void               ea_journal_save_day_state_async  (EaJournal               *self,
                                                     const EaJournalDayState *state,
                                                     GCancellable            *cancellable,
                                                     GAsyncReadyCallback      callback,
                                                     gpointer                 user_data);
gboolean           ea_journal_save_day_state_finish (EaJournal     *self,
                                                     GAsyncResult  *result,
                                                     GError       **error);
/* @trading_day NULL loads the latest day of the account. A missing row is
 * EA_JOURNAL_ERROR_NOT_FOUND. */
/* @account_id 0: the most recently updated day state of any account. */
void               ea_journal_load_day_state_async  (EaJournal           *self,
                                                     gint64               account_id,
                                                     const char          *trading_day,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
EaJournalDayState *ea_journal_load_day_state_finish (EaJournal     *self,
                                                     GAsyncResult  *result,
                                                     GError       **error);
/* Every day_state row of @account_id, oldest trading day first: a
 * GPtrArray of EaJournalDayState (empty when there is none). */
void               ea_journal_load_day_states_async  (EaJournal           *self,
                                                      gint64               account_id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray         *ea_journal_load_day_states_finish (EaJournal     *self,
                                                      GAsyncResult  *result,
                                                      GError       **error);

/* risk_events (+ audit row "risk.<kind>" in the same transaction).
 * @account_id 0 for the global state. Returns risk_events.id. */
void               ea_journal_record_risk_event_async  (EaJournal           *self,
                                                        gint64               account_id,
                                                        EaJournalRiskKind    kind,
                                                        const char          *reason,
                                                        const char          *details_json,
                                                        EaActor              actor,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gint64             ea_journal_record_risk_event_finish (EaJournal     *self,
                                                        GAsyncResult  *result,
                                                        GError       **error);

/* signals / erm_alerts: return the new row id. */
void               ea_journal_record_signal_async  (EaJournal             *self,
                                                    const EaJournalSignal *signal,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
gint64             ea_journal_record_signal_finish (EaJournal     *self,
                                                    GAsyncResult  *result,
                                                    GError       **error);
void               ea_journal_record_erm_alert_async  (EaJournal           *self,
                                                       EaTimeUs             time_us,
                                                       const char          *symbol,
                                                       const char          *root,
                                                       const char          *level,
                                                       const char          *message,
                                                       const char          *details_json,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gint64             ea_journal_record_erm_alert_finish (EaJournal     *self,
                                                       GAsyncResult  *result,
                                                       GError       **error);

/* settings_history (+ audit row "setting.change"). */
void               ea_journal_record_setting_async  (EaJournal           *self,
                                                     const char          *key,
                                                     const char          *old_value,
                                                     const char          *new_value,
                                                     EaActor              actor,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean           ea_journal_record_setting_finish (EaJournal     *self,
                                                     GAsyncResult  *result,
                                                     GError       **error);

/* user_profiles (+ audit rows "profile.save" / "profile.delete").
 * @json NULL deletes the profile. */
void               ea_journal_save_profile_async  (EaJournal           *self,
                                                   const char          *name,
                                                   const char          *json,
                                                   EaActor              actor,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean           ea_journal_save_profile_finish (EaJournal     *self,
                                                   GAsyncResult  *result,
                                                   GError       **error);
/* Returns a GHashTable name -> JSON text. */
void               ea_journal_load_profiles_async  (EaJournal           *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GHashTable        *ea_journal_load_profiles_finish (EaJournal     *self,
                                                    GAsyncResult  *result,
                                                    GError       **error);

/* audit: appends one row; @details_json must be a JSON object or NULL
 * (stored as "{}"). Never put secrets in it. Returns the row's seq. */
void               ea_journal_audit_async         (EaJournal           *self,
                                                   EaActor              actor,
                                                   const char          *kind,
                                                   const char          *subject,
                                                   const char          *details_json,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gint64             ea_journal_audit_finish        (EaJournal     *self,
                                                   GAsyncResult  *result,
                                                   GError       **error);
/* Walks the whole chain; a broken chain is not an error: the report says
 * where and why. */
void               ea_journal_verify_audit_async  (EaJournal           *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
EaAuditReport     *ea_journal_verify_audit_finish (EaJournal     *self,
                                                   GAsyncResult  *result,
                                                   GError       **error);

/* Completed sessions (account × CME trading day before @before_day, a
 * YYYYMMDD, with a fill or a day state) of accounts of @mode without a
 * breach risk event. Returns the count, -1 on error. */
void               ea_journal_count_clean_sessions_async  (EaJournal           *self,
                                                           EaMode               mode,
                                                           guint32              before_day,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gint64             ea_journal_count_clean_sessions_finish (EaJournal     *self,
                                                           GAsyncResult  *result,
                                                           GError       **error);

/* Read views for the journal window and the exports (ea-journal-read.c). */

typedef struct
{
  gint64             id;
  EaTimeUs           time_us;
  gint64             account_id;   /* 0 for the global state */
  EaJournalRiskKind  kind;
  char              *reason;       /* may be NULL */
  char              *details;      /* JSON object text */
} EaJournalRiskEvent;

typedef struct
{
  gint64    seq;
  EaTimeUs  time_us;
  char     *actor;
  char     *kind;
  char     *subject;
  char     *details;
  char     *prev_hash;
  char     *hash;
} EaJournalAuditRow;

typedef struct
{
  gint64  id;
  char   *broker;
  char   *broker_account_id;
  char   *name;                    /* may be NULL */
  EaMode  mode;
} EaJournalAccount;

void               ea_journal_risk_event_clear   (EaJournalRiskEvent *event);
void               ea_journal_audit_row_clear    (EaJournalAuditRow  *row);
void               ea_journal_account_clear      (EaJournalAccount   *account);
gboolean           ea_journal_risk_kind_from_string (const char        *text,
                                                     EaJournalRiskKind *out);

/* Risk events of @account_id (0: all, including the global ones) whose
 * time is in [from_us, to_us), oldest first. Returns a GArray of
 * EaJournalRiskEvent (its clear function frees the strings). */
void               ea_journal_load_risk_events_async  (EaJournal           *self,
                                                       gint64               account_id,
                                                       EaTimeUs             from_us,
                                                       EaTimeUs             to_us,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GArray            *ea_journal_load_risk_events_finish (EaJournal     *self,
                                                       GAsyncResult  *result,
                                                       GError       **error);
/* Audit rows with seq >= @from_seq, in seq order, at most @limit of them
 * (0: no limit). Returns a GArray of EaJournalAuditRow. The rows are read as
 * stored; ea_journal_verify_audit_async() says whether they chain. */
void               ea_journal_load_audit_async  (EaJournal           *self,
                                                 gint64               from_seq,
                                                 guint                limit,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GArray            *ea_journal_load_audit_finish (EaJournal     *self,
                                                 GAsyncResult  *result,
                                                 GError       **error);
/* Fills of @account_id (0: all accounts) whose time is in [from_us, to_us),
 * by time. Returns a GPtrArray of EaJournalFill; each element is one
 * allocation holding its strings, freed by the array. */
void               ea_journal_load_fills_async  (EaJournal           *self,
                                                 gint64               account_id,
                                                 EaTimeUs             from_us,
                                                 EaTimeUs             to_us,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray         *ea_journal_load_fills_finish (EaJournal     *self,
                                                 GAsyncResult  *result,
                                                 GError       **error);
/* All accounts by id. Returns a GArray of EaJournalAccount. */
void               ea_journal_load_accounts_async  (EaJournal           *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GArray            *ea_journal_load_accounts_finish (EaJournal     *self,
                                                    GAsyncResult  *result,
                                                    GError       **error);

G_END_DECLS
