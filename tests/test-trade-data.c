/* test-trade-data.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ea-trade-data.h"

static void
test_retry_after (void)
{
  g_autoptr(GError) limited = g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED,
                                           "Rate limited; retry after 1500 ms");
  g_autoptr(GError) other = g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                                         "Rejected: retry after 10 ms");
  g_autoptr(GError) bare = g_error_new (EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED, "slow down");

  g_assert_cmpint (ea_broker_error_get_retry_after_ms (limited), ==, 1500);
  g_assert_cmpint (ea_broker_error_get_retry_after_ms (other), ==, -1);
  g_assert_cmpint (ea_broker_error_get_retry_after_ms (bare), ==, -1);
  g_assert_cmpint (ea_broker_error_get_retry_after_ms (NULL), ==, -1);
  g_assert_cmpstr (ea_connection_state_to_string (EA_CONNECTION_STATE_RECONCILING), ==, "reconciling");
}

static void
test_copies (void)
{
  char sym[] = "NQ";
  EaQuoteData q = { sym, 1, 2, 3, 4, 5, 6, 7, 8 };
  g_autoptr(EaQuoteData) qc = ea_quote_data_copy (&q);
  g_autoptr(EaOrderRequest) r = ea_order_request_new ("A", "ES", "c1", EA_SIDE_BUY,
                                                      EA_ORDER_TYPE_LIMIT, 2);
  g_autoptr(EaOrderRequest) rc = NULL;
  g_autoptr(EaSnapshotData) s = ea_snapshot_data_new (42);
  EaOrderData o = { .client_order_id = (char *) "c1", .broker_order_id = (char *) "B" };
  EaFillData f = { .fill_id = (char *) "F1" };

  /* The copy owns its symbol. */
  sym[0] = 'X';
  g_assert_cmpstr (qc->symbol, ==, "NQ");
  g_assert_cmpint (qc->ask, ==, 3);
  g_assert_cmpint (qc->volume, ==, 8);

  /* A new request is a human's until said otherwise; the copy keeps who. */
  g_assert_cmpint (r->actor, ==, EA_ACTOR_USER);
  r->actor = EA_ACTOR_AUTOMATIC;
  r->take_profit_client_order_id = g_strdup ("tp");
  rc = ea_order_request_copy (r);
  g_assert_cmpint (rc->actor, ==, EA_ACTOR_AUTOMATIC);
  g_assert_true (rc->take_profit_client_order_id != r->take_profit_client_order_id);
  g_assert_cmpstr (rc->take_profit_client_order_id, ==, "tp");
  g_assert_cmpint (rc->tif, ==, EA_TIME_IN_FORCE_DAY);

  g_ptr_array_add (s->orders, ea_order_data_copy (&o));
  g_ptr_array_add (s->fills, ea_fill_data_copy (&f));
  g_ptr_array_add (s->fills, ea_fill_data_copy (&f));
  g_assert_nonnull (ea_snapshot_data_find_order_by_client_id (s, "c1"));
  g_assert_null (ea_snapshot_data_find_order_by_client_id (s, "c2"));
  g_assert_cmpuint (ea_snapshot_data_count_fill_id (s, "F1"), ==, 2);
  g_assert_cmpuint (ea_snapshot_data_count_fill_id (s, "F2"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/trade-data/retry-after", test_retry_after);
  g_test_add_func ("/trade-data/copies", test_copies);

  return g_test_run ();
}
