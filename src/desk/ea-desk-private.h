/* ea-desk-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ea-desk.h"
#include "ea-journal.h"
#include "ea-erm.h"
#include "ea-ledger.h"
#include "ea-profile-store.h"

G_BEGIN_DECLS

typedef struct
{
  char           *symbol;
  gint64          qty;        /* signed, as the broker reports it */
  double          avg_price;  /* ticks */
} DeskPosition;

typedef struct
{
  char         *name;
  EaBroker     *broker;       /* not owned */
  gint          risk_index;   /* -1 until registered */
  guint         ledger_id;
  gboolean      enabled;
  gboolean      has_balance;
  EaMicros      balance;      /* broker's closed balance */
  GHashTable   *positions;    /* symbol -> DeskPosition */
  EaStopStatus  stop_status;
  char         *stop_reason;
  gint64        journal_id;
  /* What the broker allows, as it last said. */
  EaBrokerRestriction restriction;
  char         *restriction_text;
} DeskAccount;

typedef struct
{
  char                   *symbol;
  const EaInstrumentSpec *spec;
  guint                   ledger_id;
  EaTicks                 last;
  EaTicks                 bid;
  EaTicks                 ask;
  char                   *quote_source;  /* name of the broker that priced it last */
} DeskContract;

typedef struct
{
  char         *client_order_id;
  char         *broker_order_id;
  char         *account;
  char         *symbol;
  EaBroker     *broker;       /* not owned */
  EaOrderState  state;
  EaSide        side;
  EaOrderType   type;
  gint64        qty;
  gint64        filled;
  EaTicks       limit_price;
  EaTicks       stop_price;
  char         *parent_order_id; /* bracket child: the entry's broker order id */
  /* The bracket asked for when it was placed here; a child the broker
   * reports takes precedence. */
  gboolean      has_stop_loss;
  EaTicks       stop_loss;
  gboolean      has_take_profit;
  EaTicks       take_profit;
  gboolean      tightening;      /* a stop tightening is in flight */
  /* The target of an OCO pair protecting a position: its stop stands
   * for both in the risk check (only one of them can fill). */
  gboolean      oco_follower;
  EaSignal     *signal;       /* the Enigma signal it acts on, or NULL */
  /* Reloaded from the journal at start: the broker's name until its
   * snapshot adopts the order (broker is NULL until then). */
  char         *restored_broker;
  gboolean      restored;
} DeskOrder;

/* A round trip being summed from the ledger's lots. */
typedef struct
{
  guint    account;
  guint    contract;
  EaSide   side;
  gint64   qty;
  double   entry_value;  /* Σ qty × entry ticks */
  double   exit_value;   /* Σ qty × exit ticks */
  EaTimeUs entry_time;
  EaTimeUs exit_time;
  EaMicros pnl;
  EaMicros fees;
  double   mae;
  double   mfe;
} OpenTrip;

struct _EaDesk
{
  GObject         parent_instance;

  EaMode          mode;
  EaTradingState  trading_state;
  char           *halt_reason;
  GDateTime      *halted_at;
  GDateTime      *locked_until;
  char           *lock_reason;
  guint           emergency_stop_count;

  EaTradingStore *store;
  GPtrArray      *brokers;
  GPtrArray      *feeds;           /* quote-only brokers */
  GHashTable     *accounts;        /* name -> DeskAccount */
  GHashTable     *contracts;       /* symbol -> DeskContract */
  GHashTable     *orders;          /* client id -> DeskOrder */
  GHashTable     *broker_orders;   /* broker order id -> DeskOrder (not owned) */
  GHashTable     *fill_ids;        /* "broker\x1ffill id" */
  GPtrArray      *watched;         /* symbols */
  EaRiskEngine   *risk;
  EaLedger       *ledger;
  EaProfileStore *profiles;
  EaJournal      *journal;
  gboolean        journal_required;
  gboolean        journal_writable;  /* last value notified */
  guint           save_source;
  guint           ticks;
  GHashTable     *open_trips;      /* trip id -> accumulated round trip */
  GHashTable     *erms;            /* root -> DeskErm */
  EaErmConfig     erm_config;
  GHashTable     *erm_signals;     /* "symbol\x1fid" -> EaSignal */
  GHashTable     *signal_ids;      /* EaSignal -> gint64 signals.id, 0 while being journaled */
  GHashTable     *trip_signals;    /* "ledger account:contract" -> EaSignal that opened the trip */
  char           *default_profile;
  guint           next_ledger_account;
  guint           next_ledger_contract;
  guint64         next_local_id;
  EaDeskClockFunc clock_func;      /* NULL: the wall clock */
  gpointer        clock_data;
  GDestroyNotify  clock_destroy;

  /* The emergency-stop pipeline. */
  gint64          requests_out_us; /* trigger -> last flatten handed out */
  gint64          confirmed_us;    /* trigger -> every account settled */
  guint           flatten_pending; /* brokers whose flatten is not out yet */
  guint           disconnect_stop_s; /* 0: off */
  GHashTable     *disconnect_timers; /* broker -> source id */
  GPtrArray      *stop_runs;       /* runs still working on it */
  char           *stop_label;      /* NULL: "Emergency stop" */
  gint64          stop_started_us;
};

/* ea-desk-erm.c */
void           _ea_desk_erm_init         (EaDesk       *self);
void           _ea_desk_erm_update       (EaDesk       *self,
                                          DeskContract *c,
                                          EaTimeUs      time,
                                          EaTicks       price);

/* ea-desk.c */
EaTimeUs       _ea_desk_now              (EaDesk      *self);
GDateTime     *_ea_desk_now_utc          (EaDesk      *self);
DeskAccount   *_ea_desk_account          (EaDesk      *self,
                                          const char  *name);
DeskContract  *_ea_desk_contract         (EaDesk      *self,
                                          const char  *symbol);
void           _ea_desk_alert            (EaDesk      *self,
                                          const char  *kind,
                                          guint        priority,
                                          const char  *title,
                                          const char  *body);
void           _ea_desk_audit            (EaDesk      *self,
                                          EaActor      actor,
                                          const char  *kind,
                                          const char  *subject,
                                          const char  *details_json);
void           _ea_desk_set_state        (EaDesk         *self,
                                          EaTradingState  state);
void           _ea_desk_risk_changed     (EaDesk      *self,
                                          const char  *account);
EaBroker      *_ea_desk_broker_for       (EaDesk      *self,
                                          const char  *account);
void           _ea_desk_journal_order    (EaDesk      *self,
                                          DeskOrder   *order,
                                          EaActor      actor,
                                          const char  *reason);

void           _ea_desk_queue_save       (EaDesk      *self);

/* ea-desk-journal.c */
void           _ea_desk_journal_signal   (EaDesk      *self,
                                          EaSignal    *signal);
void           _ea_desk_risk_event       (EaDesk            *self,
                                          DeskAccount       *account,
                                          EaJournalRiskKind  kind,
                                          const char        *reason,
                                          const char        *details_json,
                                          EaActor            actor);
char          *_ea_desk_trip_key         (guint        account,
                                          guint        contract);
void           _ea_desk_ledger_trade_cb  (const EaLedgerTrade *lot,
                                          gpointer             user_data);

/* ea-desk-accounts.c */
void           _ea_desk_account_start_fresh (EaDesk      *self,
                                             DeskAccount *account);
void           _ea_desk_evaluate_account (EaDesk      *self,
                                          DeskAccount *account);
DeskAccount   *_ea_desk_ensure_account   (EaDesk      *self,
                                          EaBroker    *broker,
                                          const char  *name,
                                          const char  *profile_hint);

/* ea-desk-brokers.c */
void           _ea_desk_reconcile        (EaDesk      *self,
                                          EaBroker    *broker);

/* ea-desk-orders.c */
void           _ea_desk_order_updated    (EaDesk            *self,
                                          EaBroker          *broker,
                                          const EaOrderData *data);
gboolean       _ea_desk_order_check_update (EaDesk            *self,
                                            EaBroker          *broker,
                                            const EaOrderData *data);
void           _ea_desk_orders_init      (EaDesk      *self);
void           _ea_desk_risk_sync_position (EaDesk      *self,
                                          DeskAccount *account,
                                          const char  *symbol);
void           _ea_desk_risk_resync      (EaDesk      *self);
void           _ea_desk_tighten_stops    (EaDesk      *self,
                                          DeskAccount *account);
void           _ea_desk_restore_orders   (EaDesk      *self);
void           _ea_desk_adopt_restored_orders (EaDesk      *self,
                                               EaBroker    *broker);
void           _ea_desk_index_order      (EaDesk      *self,
                                          DeskOrder   *order);
/* What ea-desk-protect.c shares with the placement: the risk engine's
 * view of @order, the first checks of an order and its journal row. */
void           _ea_desk_sync_working     (EaDesk      *self,
                                          DeskOrder   *order);
gboolean       _ea_desk_prepare_check    (EaDesk            *self,
                                          const EaDeskOrder *order,
                                          DeskAccount      **account,
                                          EaRiskOrder       *risk_order,
                                          EaRiskDecision    *decision,
                                          GError           **error);
void           _ea_desk_fill_journal_order (EaDesk         *self,
                                            DeskOrder      *order,
                                            EaJournalOrder *journal_order,
                                            const char     *reason);
void           _ea_desk_report_differences (EaDesk               *self,
                                            EaBroker             *broker,
                                            const EaSnapshotData *s);
void           _ea_desk_settle_unknown_orders (EaDesk               *self,
                                               EaBroker             *broker,
                                               const EaSnapshotData *s);

/* ea-desk-stop.c */
void           _ea_desk_stop_run         (EaDesk      *self,
                                          EaActor      actor);
void           _ea_desk_stop_accounts    (EaDesk      *self,
                                          const char **accounts,
                                          guint        n_accounts,
                                          const char  *label);
gboolean       _ea_desk_stop_running     (EaDesk      *self);
void           _ea_desk_stop_dispose     (EaDesk      *self);
void           _ea_desk_stop_broker_connected (EaDesk   *self,
                                               EaBroker *broker);
void           _ea_desk_stop_broker_lost (EaDesk      *self,
                                          EaBroker    *broker,
                                          const char  *reason);
void           _ea_desk_disconnect_policy (EaDesk  *self,
                                           EaBroker *broker,
                                           gboolean  connected);
void           _ea_desk_set_stop_status  (EaDesk       *self,
                                          DeskAccount  *account,
                                          EaStopStatus  status,
                                          const char   *reason);

G_END_DECLS
