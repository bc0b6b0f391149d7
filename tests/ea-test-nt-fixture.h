/* ea-test-nt-fixture.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A NinjaTrader broker wired to the local processor through a temporary
 * folder. The broker sees the folders through a symbolic link, as through
 * a mounted share, so a test can "unmount" it.
 */
#pragma once

#include "ea-ninjatrader-broker.h"
#include "ea-ninjatrader-sim.h"

G_BEGIN_DECLS

#define NT_TEST_ACCOUNT    "Sim101"
#define NT_TEST_ACCOUNT2   "Sim102"
#define NT_TEST_CONNECTION "Sim Feed"
#define NT_TEST_DAY        20261124
#define NT_TEST_ACK_MS     1000

typedef struct
{
  char                *root;
  char                *share;     /* the link the broker goes through */
  char                *target;    /* the processor's folder */
  EaNtSim             *sim;
  EaNinjaTraderBroker *broker;
} NtRig;

/* Extra broker properties may follow, NULL-terminated. */
NtRig   *nt_rig_new          (const char *first_property,
                              ...) G_GNUC_NULL_TERMINATED;
/* Connects; FALSE with @error when the broker refuses. */
gboolean nt_rig_connect      (NtRig      *rig,
                              GError    **error);
void     nt_rig_free         (NtRig      *rig);
/* Rescans and runs the main loop until nothing waits for the processor. */
void     nt_rig_settle       (NtRig      *rig);
void     nt_rig_unmount      (NtRig      *rig);
void     nt_rig_mount        (NtRig      *rig);
/* Deletes @path and everything under it (links, not their targets). */
void     nt_remove_tree      (const char *path);
/* The rig behind a broker made by nt_rig_new(). */
NtRig   *nt_rig_from_broker  (EaBroker   *broker);

G_END_DECLS
