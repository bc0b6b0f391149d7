/* ea-replay.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaReplay plays a NinjaTrader 8 export on the Demo exchange while the
 * desk trades it with the risk engine on: the Demo accounts' positions
 * are marked to the replayed prices, a breach does what it does live
 * (alert, emergency stop, lock), and at the end a summary answers "would
 * this session have failed the account?". The desk's clock is the Demo
 * exchange's (ea_app_brokers_start() sets it), and loading a replay moves
 * that clock to the file's first record, so the firm's time rules
 * (trading day, flat-by, lock expiry) follow the replayed time.
 */
#pragma once

#include <gio/gio.h>

#include "ea-desk.h"
#include "ea-sim-broker.h"

G_BEGIN_DECLS

#define EA_REPLAY_MIN_SPEED 1.0
#define EA_REPLAY_MAX_SPEED 100.0

#define EA_REPLAY_ERROR (ea_replay_error_quark ())

typedef enum
{
  EA_REPLAY_ERROR_SYMBOL,   /* not an instrument the Demo exchange lists */
  EA_REPLAY_ERROR_SPEED,    /* outside 1–100 */
  EA_REPLAY_ERROR_FILE,     /* missing, unreadable or without one valid line */
} EaReplayError;

/* The first breach seen during the replay. */
typedef struct
{
  gboolean  breached;
  char     *account;
  EaTimeUs  time;          /* the replayed time */
  guint     record;        /* the file record being played, from 1 */
  EaMicros  equity;        /* the account's equity then */
  char     *reason;        /* "daily loss limit reached", … */
} EaReplayBreach;

#define EA_TYPE_REPLAY (ea_replay_get_type ())

G_DECLARE_FINAL_TYPE (EaReplay, ea_replay, EA, REPLAY, GObject)

GQuark       ea_replay_error_quark      (void);

/* Checks what the command line or the replay dialog asks for before
 * anything starts: a root the Demo exchange lists ("ES", any case), a
 * speed of 1 to 100 and a readable export with at least one valid line.
 * @n_malformed (may be NULL) gets the number of lines that will be
 * skipped. */
gboolean     ea_replay_check            (const char   *path,
                                         const char   *symbol,
                                         double        speed,
                                         guint        *n_malformed,
                                         GError      **error);

EaReplay    *ea_replay_new              (EaDesk       *desk,
                                         EaSimBroker  *sim);
/* Loads @path on @symbol's market (wall-clock times of @tz; NULL: the
 * local time zone) and pauses the exchange on the first record. Lines
 * that cannot be read are skipped and reported, with their numbers, in
 * an alert and by ea_replay_get_warnings(). */
gboolean     ea_replay_load             (EaReplay     *self,
                                         const char   *path,
                                         const char   *symbol,
                                         GTimeZone    *tz,
                                         GError      **error);

/* Play at the speed (the exchange runs in real time × speed), pause
 * (the exchange stands still), or play the next record alone. */
void         ea_replay_set_playing      (EaReplay     *self,
                                         gboolean      playing);
gboolean     ea_replay_get_playing      (EaReplay     *self);
gboolean     ea_replay_step             (EaReplay     *self);
void         ea_replay_set_speed        (EaReplay     *self,
                                         double        speed);
double       ea_replay_get_speed        (EaReplay     *self);

gboolean     ea_replay_get_loaded       (EaReplay     *self);
gboolean     ea_replay_get_finished     (EaReplay     *self);
const char  *ea_replay_get_symbol       (EaReplay     *self);
const char  *ea_replay_get_path         (EaReplay     *self);
/* Records played and in the file. */
guint        ea_replay_get_position     (EaReplay     *self);
guint        ea_replay_get_total        (EaReplay     *self);
/* The replayed time now. */
EaTimeUs     ea_replay_get_time         (EaReplay     *self);
/* "line N: …", one per skipped line. */
GPtrArray   *ea_replay_get_warnings     (EaReplay     *self);
const EaReplayBreach *ea_replay_get_breach (EaReplay  *self);
/* The lowest equity of the Demo accounts seen during the replay. */
EaMicros     ea_replay_get_lowest_equity (EaReplay    *self);
/* "ES · Tue 2025-11-18 08:32:30 CT · record 3 of 5". */
char        *ea_replay_format_progress  (EaReplay     *self);
/* What the replay tells: whether and when the account breached, at what
 * equity, and where it ended. */
char        *ea_replay_format_summary   (EaReplay     *self);

G_END_DECLS
