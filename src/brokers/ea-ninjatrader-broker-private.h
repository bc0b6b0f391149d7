/* ea-ninjatrader-broker-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared between ea-ninjatrader-broker.c (the object, connecting,
 * quotes), ea-ninjatrader-orders.c (requests as instruction files) and
 * ea-ninjatrader-files.c (reading `outgoing`, connection health and the
 * requests waiting for NinjaTrader).
 */
#pragma once

#include "ea-instrument.h"
#include "ea-ninjatrader-broker.h"
#include "ea-ninjatrader-oif.h"

G_BEGIN_DECLS

/* An order this broker sent, as last seen in `outgoing`. */
typedef struct
{
  EaOrderData             d;          /* symbol: the desk's; broker_order_id: the ORDER ID */
  const EaInstrumentSpec *spec;
  char                   *instrument; /* as written on the line */
  char                   *key;        /* the contract in NinjaTrader form */
  EaNtOrderState          nt_state;
  gboolean                has_file;
  guint64                 generation; /* of `outgoing` when its file last changed */
  gboolean                acked;      /* NinjaTrader has it beyond SUBMITTED */
  gboolean                withdrawn;  /* its file was taken back unread */
  gint64                  filled;
  double                  avg;        /* price units */
  /* A bracket placed by us: children go out when the entry fills. */
  gboolean                has_sl, has_tp;
  EaTicks                 sl_price, tp_price;
  char                   *sl_id, *tp_id;
  gboolean                children_sent;
  /* When a PLACE or CANCEL for it was written and its file has not
   * answered yet (monotonic µs; 0: nothing asked). */
  gint64                  asked_us;
} NtOrder;

typedef struct
{
  char     *account;
  char     *key;                      /* contract, NinjaTrader form */
  const EaInstrumentSpec *spec;
  gint64    qty;
  double    avg;                      /* price units */
} NtPosition;

typedef enum
{
  WAIT_PLACE,
  WAIT_CHANGE,
  WAIT_CANCEL,
  WAIT_CANCEL_ALL,
  WAIT_FLATTEN,
  WAIT_SETTLE,
} WaitKind;

typedef struct
{
  EaNinjaTraderBroker *self;
  GTask               *task;
  WaitKind             kind;
  char                *order_id;      /* PLACE, CHANGE, CANCEL */
  GPtrArray           *targets;       /* CANCEL_ALL, FLATTEN: ORDER IDs that must end */
  char                *account;       /* FLATTEN: NULL for every account */
  char                *key;           /* FLATTEN: NULL for every contract */
  GPtrArray           *files;         /* instruction files written */
  guint64              generation;    /* `outgoing` changes seen when written */
  gint64               qty;           /* CHANGE */
  EaTicks              limit_price, stop_price;
  guint                timeout_id;
  guint                withdrawn;     /* files taken back at the timeout */
} Waiter;

struct _EaNinjaTraderBroker
{
  GObject            parent_instance;

  /* Settings. */
  char              *incoming_dir;
  char              *outgoing_dir;
  char             **accounts;
  EaSymbology        symbology;
  char              *stop_keyword;
  char              *connection_name;
  char              *atm_template;
  char             **state_aliases;
  guint              rescan_ms;
  guint              ack_ms;
  guint              stale_ms;
  guint32            reference_day;
  char              *file_stamp;

  /* Runtime. */
  GFile             *incoming;
  GFile             *outgoing;
  GFileMonitor      *in_monitor;
  GFileMonitor      *out_monitor;
  guint              rescan_id;
  guint              idle_id;
  gboolean           attached;
  gboolean           in_rescan;
  EaConnectionState  state;
  char              *problem;
  guint64            counter;
  guint64            generation;
  GHashTable        *orders;          /* ORDER ID -> NtOrder */
  GPtrArray         *order_list;      /* NtOrder (borrowed), oldest first */
  GHashTable        *positions;       /* "account\nkey" -> NtPosition */
  GPtrArray         *fills;           /* EaFillData */
  GHashTable        *file_cache;      /* base name -> contents */
  GHashTable        *symbols;         /* key -> desk symbol */
  GHashTable        *subscribed;      /* key -> desk symbol */
  GHashTable        *pending_files;   /* base name -> gint64 * (monotonic µs written) */
  GPtrArray         *waiters;
  EaBroker          *quote_source;
  gulong             quote_handler;
  gint64             latency_us;      /* smoothed instruction to answer, -1 unknown */
  EaMicros           account_size;    /* 0: balances not reported */
  GHashTable        *books;           /* "account\nkey" -> NtBook, from our fills */
  GHashTable        *realized;        /* account -> EaMicros *, from our fills */
};

/* The position our own fills add up to, for realized P&L. */
typedef struct
{
  gint64 qty;
  double avg;                         /* ticks */
} NtBook;

/* ea-ninjatrader-files.c */
void      _ea_nt_broker_set_state     (EaNinjaTraderBroker *self,
                                       EaConnectionState    state,
                                       const char          *reason);
void      _ea_nt_broker_full_rescan   (EaNinjaTraderBroker *self);
void      _ea_nt_broker_queue_rescan  (EaNinjaTraderBroker *self);
void      _ea_nt_broker_start_watching (EaNinjaTraderBroker *self);
void      _ea_nt_broker_stop_watching (EaNinjaTraderBroker *self);
void      _ea_nt_broker_check_waiters (EaNinjaTraderBroker *self);
Waiter   *_ea_nt_waiter_new           (EaNinjaTraderBroker *self,
                                       GTask               *task,
                                       WaitKind             kind,
                                       guint                timeout_ms);
void      _ea_nt_waiter_return_error  (Waiter              *w,
                                       int                  code,
                                       const char          *message);
void      _ea_nt_waiter_fail_all      (EaNinjaTraderBroker *self,
                                       int                  code,
                                       const char          *message);
char     *_ea_nt_desk_symbol          (EaNinjaTraderBroker *self,
                                       const char          *key);
void      _ea_nt_broker_add_latency   (EaNinjaTraderBroker *self,
                                       gint64               sample_us);
void      _ea_nt_broker_book_fill     (EaNinjaTraderBroker *self,
                                       const EaFillData    *fill,
                                       const EaInstrumentSpec *spec,
                                       const char          *key);
void      _ea_nt_broker_account_data  (EaNinjaTraderBroker *self,
                                       const char          *account,
                                       EaAccountData       *a);

/* ea-ninjatrader-broker.c */
guint32   _ea_nt_broker_reference_day (EaNinjaTraderBroker *self);
void      _ea_nt_broker_emit_order    (EaNinjaTraderBroker *self,
                                       NtOrder             *o);

/* ea-ninjatrader-orders.c */
gboolean  _ea_nt_broker_resolve       (EaNinjaTraderBroker  *self,
                                       const char           *symbol,
                                       EaContract           *contract,
                                       char                **key,
                                       GError              **error);
GTask    *_ea_nt_broker_start_task    (EaNinjaTraderBroker *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data,
                                       gpointer             tag,
                                       gboolean             need_connection);
gboolean  _ea_nt_broker_finish_bool   (gpointer             self,
                                       GAsyncResult        *result,
                                       GError             **error);
void      _ea_nt_place_order_async    (EaBroker *broker, const EaOrderRequest *r, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
char     *_ea_nt_place_order_finish   (EaBroker *broker, GAsyncResult *result, GError **error);
void      _ea_nt_reverse_position_async (EaBroker *broker, const EaOrderRequest *r, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
void      _ea_nt_modify_order_async   (EaBroker *broker, const char *id, gint64 qty, EaTicks limit_price,
                                       EaTicks stop_price, EaActor actor, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
void      _ea_nt_cancel_order_async   (EaBroker *broker, const char *id, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
void      _ea_nt_cancel_all_async     (EaBroker *broker, const char *account, const char *symbol,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
void      _ea_nt_flatten_async        (EaBroker *broker, const char *account, const char *symbol,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
void      _ea_nt_snapshot_async       (EaBroker *broker, const char *account, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
EaSnapshotData *_ea_nt_snapshot_finish (EaBroker *broker, GAsyncResult *result, GError **error);
char     *_ea_nt_broker_send          (EaNinjaTraderBroker   *self,
                                       const EaNtInstruction *instruction,
                                       GError               **error);
void      _ea_nt_broker_send_children (EaNinjaTraderBroker *self,
                                       NtOrder             *entry);
EaSnapshotData *_ea_nt_broker_build_snapshot (EaNinjaTraderBroker *self,
                                              const char          *account);

G_END_DECLS
