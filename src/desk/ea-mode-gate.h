/* ea-mode-gate.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Demo → Test → Live gates (DOMAIN §9) as a pure function of facts the
 * caller gathers (settings, keyring, journal, desk): whether a switch to a
 * mode is allowed, or the first condition that is missing, as a message
 * that says exactly what to do.
 */
#pragma once

#include <glib.h>

#include "ea-core-types.h"

G_BEGIN_DECLS

/* A connection test older than this does not open the Test gate. */
#define EA_MODE_GATE_TEST_MAX_AGE_S (7 * 24 * 3600)

typedef enum
{
  EA_MODE_GATE_OK,
  EA_MODE_GATE_SAME_MODE,          /* already in that mode */
  EA_MODE_GATE_OPEN_EXPOSURE,      /* a position or working order is open */
  EA_MODE_GATE_NO_SETUP,           /* the setup assistant was never finished */
  EA_MODE_GATE_NO_BROKER,          /* no broker platform is configured */
  EA_MODE_GATE_NO_CREDENTIALS,     /* no keyring credentials for the environment */
  EA_MODE_GATE_NO_CONNECTION_TEST, /* never tested against that environment */
  EA_MODE_GATE_CONNECTION_FAILED,  /* the last test failed */
  EA_MODE_GATE_CONNECTION_STALE,   /* the last passing test is too old */
  EA_MODE_GATE_NO_TEST_SESSION,    /* Live: no completed Test session without breach */
  EA_MODE_GATE_NO_PROFILE,         /* Live: no risk profile selected */
  EA_MODE_GATE_NOT_CONFIRMED,      /* Live: "LIVE" was not typed */
} EaModeGateResult;

typedef struct
{
  EaMode       current;
  gboolean     setup_completed;
  /* The broker the switch is for ("tradovate"; NULL: none configured)
   * and its display name ("Tradovate"). */
  const char  *broker;
  const char  *broker_name;
  /* Keyring credentials of that broker for its Test environment (demo, or
   * paper for IBKR): both Test and Live need them. */
  gboolean     credentials_present;
  /* The last connection test of that broker against its Test environment:
   * has_test FALSE when none; test_time in unix seconds. */
  gboolean     has_test;
  gboolean     test_passed;
  gint64       test_time;
  /* Live also needs the same for the broker's live environment. */
  gboolean     live_credentials_present;
  gboolean     live_has_test;
  gboolean     live_test_passed;
  gint64       live_test_time;
  gint64       now;
  /* Completed Test sessions with no limit breach (from the journal). */
  guint        clean_test_sessions;
  const char  *profile_id;          /* NULL or "": none selected */
  const char  *typed_confirmation;  /* what the user typed */
  guint        open_positions;
  guint        working_orders;
} EaModeGateInput;

/* Evaluates the gate of @target. Returns EA_MODE_GATE_OK when the switch
 * is allowed; otherwise the first missing condition, with *@message (if
 * not NULL) set to a sentence for the user. Conditions are checked in
 * this order: same mode, open exposure (any switch), then the Test gate
 * (for Test and Live): setup, broker, credentials and a passing, recent
 * connection test of the broker's Test environment; then for Live:
 * credentials and a passing, recent connection test of its live
 * environment, a clean Test session, a profile, the typed confirmation.
 * Demo is always reachable when nothing is open. */
EaModeGateResult ea_mode_gate_evaluate   (EaMode                 target,
                                          const EaModeGateInput *input,
                                          char                 **message);
const char      *ea_mode_gate_result_to_string (EaModeGateResult result);

/* The environment whose credentials a mode needs: "demo" for Test (or
 * "paper" for @broker "ibkr"), "live" for Live, NULL for Demo and for Live
 * with IBKR (its gateway has no live environment of its own to test:
 * Live needs its paper Test connection only). */
const char      *ea_mode_gate_environment (EaMode                 target,
                                           const char            *broker);

#define EA_MODE_GATE_CONFIRMATION "LIVE"

G_END_DECLS
