/* ea-journal-schema.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journal's schema history. Each step is kept forever, exactly as it
 * shipped: a database of any earlier version is brought up to date by
 * running the missing steps in order, in one transaction. Never edit a step
 * that has shipped; add a new one.
 *
 * Conventions: money INTEGER micro-units (*_micros), prices INTEGER ticks
 * (*_ticks) next to the instrument root, times INTEGER microseconds since
 * the Unix epoch, UTC (*_us).
 */
#define G_LOG_DOMAIN "ea-journal"

#include "config.h"

#include "ea-journal-private.h"

/* Version 1: the journal, the audit trail and the counters. */
static const char schema_v1[] =
  "PRAGMA application_id = 1161908312;\n"
  "CREATE TABLE accounts (\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  broker TEXT NOT NULL,\n"
  "  broker_account_id TEXT NOT NULL,\n"
  "  name TEXT,\n"
  "  mode TEXT NOT NULL,\n"
  "  created_us INTEGER NOT NULL,\n"
  "  UNIQUE (broker, broker_account_id)\n"
  ");\n"
  "CREATE TABLE orders (\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  client_order_id TEXT NOT NULL UNIQUE,\n"
  "  account_id INTEGER REFERENCES accounts (id),\n"
  "  broker TEXT,\n"
  "  broker_order_id TEXT,\n"
  "  symbol TEXT,\n"
  "  root TEXT,\n"
  "  side INTEGER NOT NULL CHECK (side IN (-1, 1)),\n"
  "  qty INTEGER NOT NULL,\n"
  "  order_type TEXT,\n"
  "  limit_ticks INTEGER,\n"
  "  stop_ticks INTEGER,\n"
  "  state TEXT NOT NULL,\n"
  "  terminal INTEGER NOT NULL DEFAULT 0,\n"
  "  filled_qty INTEGER NOT NULL DEFAULT 0,\n"
  "  avg_fill_ticks INTEGER,\n"
  "  reason TEXT,\n"
  "  created_us INTEGER NOT NULL,\n"
  "  updated_us INTEGER NOT NULL\n"
  ");\n"
  "CREATE TABLE order_events (\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  order_id INTEGER NOT NULL REFERENCES orders (id),\n"
  "  time_us INTEGER NOT NULL,\n"
  "  state TEXT NOT NULL,\n"
  "  filled_qty INTEGER NOT NULL,\n"
  "  broker_order_id TEXT,\n"
  "  reason TEXT\n"
  ");\n"
  "CREATE INDEX order_events_by_order ON order_events (order_id);\n"
  "CREATE TABLE fills (\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  broker TEXT NOT NULL,\n"
  "  broker_fill_id TEXT NOT NULL,\n"
  "  account_id INTEGER REFERENCES accounts (id),\n"
  "  client_order_id TEXT,\n"
  "  broker_order_id TEXT,\n"
  "  symbol TEXT NOT NULL,\n"
  "  root TEXT NOT NULL,\n"
  "  side INTEGER NOT NULL CHECK (side IN (-1, 1)),\n"
  "  qty INTEGER NOT NULL,\n"
  "  price_ticks INTEGER NOT NULL,\n"
  "  fee_micros INTEGER NOT NULL DEFAULT 0,\n"
  "  time_us INTEGER NOT NULL,\n"
  "  UNIQUE (broker, broker_fill_id)\n"
  ");\n"
  "CREATE TABLE trades (\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  account_id INTEGER REFERENCES accounts (id),\n"
  "  symbol TEXT NOT NULL,\n"
  "  root TEXT NOT NULL,\n"
  "  side INTEGER NOT NULL CHECK (side IN (-1, 1)),\n"
  "  qty INTEGER NOT NULL,\n"
  "  entry_time_us INTEGER NOT NULL,\n"
  "  exit_time_us INTEGER NOT NULL,\n"
  "  entry_ticks INTEGER NOT NULL,\n"
  "  exit_ticks INTEGER NOT NULL,\n"
  "  pnl_micros INTEGER NOT NULL,\n"
  "  fees_micros INTEGER NOT NULL DEFAULT 0,\n"
  "  mae_ticks INTEGER NOT NULL DEFAULT 0,\n"
  "  mfe_ticks INTEGER NOT NULL DEFAULT 0,\n"
  "  duration_us INTEGER NOT NULL,\n"
  "  tags TEXT,\n"
  "  notes TEXT\n"
  ");\n"
  "CREATE TABLE bars (\n"
  "  symbol TEXT NOT NULL,\n"
  "  root TEXT NOT NULL,\n"
  "  period_s INTEGER NOT NULL,\n"
  "  open_time_us INTEGER NOT NULL,\n"
  "  open_ticks INTEGER NOT NULL,\n"
  "  high_ticks INTEGER NOT NULL,\n"
  "  low_ticks INTEGER NOT NULL,\n"
  "  close_ticks INTEGER NOT NULL,\n"
  "  volume INTEGER NOT NULL,\n"
  "  PRIMARY KEY (symbol, period_s, open_time_us)\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE day_state (\n"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id),\n"
  "  trading_day TEXT NOT NULL,\n"
  "  start_balance_micros INTEGER NOT NULL,\n"
  "  peak_equity_micros INTEGER NOT NULL,\n"
  "  floor_micros INTEGER NOT NULL,\n"
  "  day_pnl_micros INTEGER NOT NULL,\n"
  "  lock_state TEXT NOT NULL,\n"
  "  lock_until_us INTEGER,\n"
  "  lock_reason TEXT,\n"
  "  risk_state BLOB,\n"
  "  updated_us INTEGER NOT NULL,\n"
  "  PRIMARY KEY (account_id, trading_day)\n"
  ");\n"
  "CREATE TABLE risk_events (\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  time_us INTEGER NOT NULL,\n"
  "  account_id INTEGER REFERENCES accounts (id),\n"
  "  kind TEXT NOT NULL CHECK (kind IN ('warning', 'denial', 'breach',\n"
  "                                     'lock', 'unlock', 'limit_change')),\n"
  "  reason TEXT,\n"
  "  details TEXT NOT NULL DEFAULT '{}'\n"
  ");\n"
  "CREATE TABLE settings_history (\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  time_us INTEGER NOT NULL,\n"
  "  key TEXT NOT NULL,\n"
  "  old_value TEXT,\n"
  "  new_value TEXT,\n"
  "  actor TEXT NOT NULL\n"
  ");\n"
  "CREATE TABLE user_profiles (\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  name TEXT NOT NULL UNIQUE,\n"
  "  json TEXT NOT NULL,\n"
  "  created_us INTEGER NOT NULL,\n"
  "  updated_us INTEGER NOT NULL\n"
  ");\n"
  "CREATE TABLE counters (\n"
  "  name TEXT PRIMARY KEY,\n"
  "  value INTEGER NOT NULL\n"
  ");\n"
  "INSERT INTO counters (name, value) VALUES ('client_order_id', 0);\n"
  "CREATE TABLE audit (\n"
  "  seq INTEGER PRIMARY KEY,\n"
  "  time_us INTEGER NOT NULL,\n"
  "  actor TEXT NOT NULL,\n"
  "  kind TEXT NOT NULL,\n"
  "  subject TEXT NOT NULL,\n"
  "  details TEXT NOT NULL,\n"
  "  prev_hash TEXT NOT NULL,\n"
  "  hash TEXT NOT NULL\n"
  ");\n"
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit\n"
  "  BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;\n"
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit\n"
  "  BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;\n";

/* Version 2: trading signals and ERM alerts; trades link to their signal. */
static const char schema_v2[] =
  "CREATE TABLE signals (\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  time_us INTEGER NOT NULL,\n"
  "  symbol TEXT NOT NULL,\n"
  "  root TEXT NOT NULL,\n"
  "  side INTEGER NOT NULL CHECK (side IN (-1, 1)),\n"
  "  source TEXT,\n"
  "  entry_ticks INTEGER,\n"
  "  stop_ticks INTEGER,\n"
  "  target_ticks INTEGER,\n"
  "  details TEXT NOT NULL DEFAULT '{}'\n"
  ");\n"
  "CREATE TABLE erm_alerts (\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  time_us INTEGER NOT NULL,\n"
  "  symbol TEXT,\n"
  "  root TEXT,\n"
  "  level TEXT NOT NULL,\n"
  "  message TEXT NOT NULL,\n"
  "  details TEXT NOT NULL DEFAULT '{}'\n"
  ");\n"
  "ALTER TABLE trades ADD COLUMN signal_id INTEGER REFERENCES signals (id);\n";

/* Version 3: indexes for the journal window's time ranges and the open
 * orders of reconciliation; views for humans. */
static const char schema_v3[] =
  "CREATE INDEX trades_by_exit ON trades (exit_time_us);\n"
  "CREATE INDEX trades_by_account ON trades (account_id, exit_time_us);\n"
  "CREATE INDEX fills_by_time ON fills (time_us);\n"
  "CREATE INDEX risk_events_by_time ON risk_events (time_us);\n"
  "CREATE INDEX orders_open ON orders (account_id) WHERE terminal = 0;\n"
  /* Views for people reading the journal with sqlite3: ISO 8601 UTC times,
   * money in units of the account currency. */
  "CREATE VIEW audit_human AS SELECT seq,\n"
  "  strftime ('%Y-%m-%dT%H:%M:%fZ', time_us / 1000000.0, 'unixepoch') AS time,\n"
  "  actor, kind, subject, details FROM audit;\n"
  "CREATE VIEW fills_human AS SELECT id, broker, broker_fill_id, account_id,\n"
  "  client_order_id, symbol, root, CASE side WHEN 1 THEN 'BUY' ELSE 'SELL' END AS side,\n"
  "  qty, price_ticks, fee_micros / 1e6 AS fee,\n"
  "  strftime ('%Y-%m-%dT%H:%M:%fZ', time_us / 1000000.0, 'unixepoch') AS time FROM fills;\n"
  "CREATE VIEW trades_human AS SELECT id, account_id, symbol, root,\n"
  "  CASE side WHEN 1 THEN 'LONG' ELSE 'SHORT' END AS side, qty,\n"
  "  strftime ('%Y-%m-%dT%H:%M:%fZ', entry_time_us / 1000000.0, 'unixepoch') AS entry_time,\n"
  "  strftime ('%Y-%m-%dT%H:%M:%fZ', exit_time_us / 1000000.0, 'unixepoch') AS exit_time,\n"
  "  entry_ticks, exit_ticks, pnl_micros / 1e6 AS pnl, fees_micros / 1e6 AS fees,\n"
  "  mae_ticks, mfe_ticks, duration_us / 1e6 AS duration_s, tags, notes, signal_id FROM trades;\n"
  "CREATE VIEW risk_events_human AS SELECT id,\n"
  "  strftime ('%Y-%m-%dT%H:%M:%fZ', time_us / 1000000.0, 'unixepoch') AS time,\n"
  "  account_id, kind, reason, details FROM risk_events;\n";

static const char * const steps[] = {
  schema_v1,
  schema_v2,
  schema_v3,
};

G_STATIC_ASSERT (G_N_ELEMENTS (steps) == EA_JOURNAL_SCHEMA_VERSION);

/* Tables every current journal has; checked at open (cheaply). */
static const char *tables[] = {
  "accounts", "orders", "order_events", "fills", "trades", "bars",
  "day_state", "risk_events", "settings_history", "user_profiles",
  "counters", "audit", "signals", "erm_alerts",
  NULL
};

guint
_ea_journal_schema_n_steps (void)
{
  return G_N_ELEMENTS (steps);
}

const char *
_ea_journal_schema_step (guint version)
{
  g_return_val_if_fail (version >= 1 && version <= G_N_ELEMENTS (steps), NULL);

  return steps[version - 1];
}

const char **
_ea_journal_schema_tables (void)
{
  return tables;
}
