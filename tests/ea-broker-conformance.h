/* ea-broker-conformance.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The conformance suite every EaBroker implementation must pass. A test
 * program fills a factory (how to make a connected broker with a flat
 * account, how to move time and the market, and the optional fault
 * hooks) and registers the cases with ea_broker_conformance_add_tests().
 */
#pragma once

#include "ea-broker.h"

G_BEGIN_DECLS

typedef struct
{
  const char *prefix;       /* test path prefix, e.g. "/broker/demo" */
  const char *account;      /* a flat account of the broker */
  const char *symbol;       /* a tradeable symbol */
  EaTicks     base_price;   /* a realistic price of @symbol, in ticks */

  /* A new broker, connected, @account flat, @symbol's market scripted
   * (it only moves through set_quote/trade). */
  EaBroker *(*create)      (gpointer user_data);
  /* Let @usec of market time pass, without sleeping. */
  void      (*advance)     (EaBroker *broker, EaTimeUs usec, gpointer user_data);
  void      (*set_quote)   (EaBroker *broker, const char *symbol, EaTicks bid, EaTicks ask,
                            gint64 bid_size, gint64 ask_size, gpointer user_data);
  void      (*trade)       (EaBroker *broker, const char *symbol, EaTicks price, gint64 size,
                            gpointer user_data);

  /* Fault hooks; the tests that need one are skipped when it is NULL. */
  void      (*drop_connection)       (EaBroker *broker, gpointer user_data);
  void      (*restore_connection)    (EaBroker *broker, gpointer user_data);
  void      (*lose_next_place_reply) (EaBroker *broker, gpointer user_data);
  /* The broker answers the next request with RATE_LIMITED. */
  void      (*rate_limit_next)       (EaBroker *broker, gpointer user_data);

  gpointer    user_data;
} EaBrokerConformanceFactory;

/* @factory must stay valid until g_test_run() returns. */
void ea_broker_conformance_add_tests (const EaBrokerConformanceFactory *factory);

G_END_DECLS
