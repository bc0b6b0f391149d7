/* test-order-state.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ea-order-state.h"

/* The full transition matrix written out by hand, one row per source
 * state, columns in enum order:
 *   N=PENDING_NEW S=SUSPENDED W=WORKING P=PARTIALLY_FILLED F=FILLED
 *   C=CANCELLED R=REJECTED E=EXPIRED c=PENDING_CANCEL r=PENDING_REPLACE
 *   U=UNKNOWN
 * 'x' = allowed, '.' = forbidden. */
static const struct
{
  EaOrderState  from;
  const char   *row;      /* N S W P F C R E c r U */
} matrix[] = {
  { EA_ORDER_STATE_PENDING_NEW,      ". x x x x x x x x . x" },
  { EA_ORDER_STATE_SUSPENDED,        ". x x . . x x x x x x" },
  { EA_ORDER_STATE_WORKING,          ". . x x x x . x x x x" },
  { EA_ORDER_STATE_PARTIALLY_FILLED, ". . . x x x . x x x x" },
  { EA_ORDER_STATE_FILLED,           ". . . . . . . . . . ." },
  { EA_ORDER_STATE_CANCELLED,        ". . . . . . . . . . ." },
  { EA_ORDER_STATE_REJECTED,         ". . . . . . . . . . ." },
  { EA_ORDER_STATE_EXPIRED,          ". . . . . . . . . . ." },
  { EA_ORDER_STATE_PENDING_CANCEL,   ". x x x x x . x . . x" },
  { EA_ORDER_STATE_PENDING_REPLACE,  ". x x x x x . x x . x" },
  { EA_ORDER_STATE_UNKNOWN,          ". x x x x x x x . . x" },
};

static void
test_matrix (void)
{
  guint checked = 0;

  g_assert_cmpuint (G_N_ELEMENTS (matrix), ==, EA_ORDER_STATE_COUNT);

  for (guint i = 0; i < G_N_ELEMENTS (matrix); i++)
    {
      const char *row = matrix[i].row;

      g_assert_cmpuint (strlen (row), ==, EA_ORDER_STATE_COUNT * 2 - 1);

      for (guint to = 0; to < EA_ORDER_STATE_COUNT; to++)
        {
          gboolean expect = row[to * 2] == 'x';
          const char *reason = NULL;
          gboolean got;

          got = ea_order_state_can_transition (matrix[i].from, to, &reason);
          if (got != expect)
            g_error ("%s -> %s: expected %s",
                     ea_order_state_to_string (matrix[i].from),
                     ea_order_state_to_string (to),
                     expect ? "allowed" : "forbidden");
          if (!got)
            g_assert_nonnull (reason);
          checked++;
        }
    }

  g_assert_cmpuint (checked, ==, EA_ORDER_STATE_COUNT * EA_ORDER_STATE_COUNT);
}

static void
test_advance (void)
{
  EaOrderState s = EA_ORDER_STATE_PENDING_NEW;
  const char *reason = NULL;

  /* A normal life: acknowledged, partial, partial, filled. */
  g_assert_true (ea_order_state_advance (&s, EA_ORDER_STATE_WORKING, &reason));
  g_assert_true (ea_order_state_advance (&s, EA_ORDER_STATE_PARTIALLY_FILLED, &reason));
  g_assert_true (ea_order_state_advance (&s, EA_ORDER_STATE_PARTIALLY_FILLED, &reason));
  g_assert_true (ea_order_state_advance (&s, EA_ORDER_STATE_FILLED, &reason));
  g_assert_cmpint (s, ==, EA_ORDER_STATE_FILLED);

  /* A filled order cannot be cancelled: the state is left alone. */
  reason = NULL;
  g_assert_false (ea_order_state_advance (&s, EA_ORDER_STATE_CANCELLED, &reason));
  g_assert_cmpint (s, ==, EA_ORDER_STATE_FILLED);
  g_assert_cmpstr (reason, ==, "order is already in a final state");

  /* A working order cannot be rejected, nor become new again. */
  s = EA_ORDER_STATE_WORKING;
  g_assert_false (ea_order_state_advance (&s, EA_ORDER_STATE_REJECTED, &reason));
  g_assert_cmpstr (reason, ==, "only a new or unknown order can be rejected");
  g_assert_false (ea_order_state_advance (&s, EA_ORDER_STATE_PENDING_NEW, &reason));
  g_assert_cmpstr (reason, ==, "an order cannot become new again");
  g_assert_cmpint (s, ==, EA_ORDER_STATE_WORKING);

  /* Partially filled never goes back to working. */
  s = EA_ORDER_STATE_PARTIALLY_FILLED;
  g_assert_false (ea_order_state_advance (&s, EA_ORDER_STATE_WORKING, &reason));
  g_assert_cmpint (s, ==, EA_ORDER_STATE_PARTIALLY_FILLED);

  /* Cancel racing a fill. */
  s = EA_ORDER_STATE_WORKING;
  g_assert_true (ea_order_state_advance (&s, EA_ORDER_STATE_PENDING_CANCEL, NULL));
  g_assert_true (ea_order_state_advance (&s, EA_ORDER_STATE_FILLED, NULL));

  /* Unknown is settled by reconciliation. */
  s = EA_ORDER_STATE_PENDING_NEW;
  g_assert_true (ea_order_state_advance (&s, EA_ORDER_STATE_UNKNOWN, NULL));
  g_assert_true (ea_order_state_advance (&s, EA_ORDER_STATE_WORKING, NULL));

  /* Garbage values are refused. */
  s = EA_ORDER_STATE_WORKING;
  g_assert_false (ea_order_state_advance (&s, (EaOrderState) 99, &reason));
  g_assert_cmpstr (reason, ==, "invalid order state value");
  g_assert_cmpint (s, ==, EA_ORDER_STATE_WORKING);
}

static void
test_names (void)
{
  for (guint i = 0; i < EA_ORDER_STATE_COUNT; i++)
    {
      EaOrderState back;

      g_assert_true (ea_order_state_from_string (ea_order_state_to_string (i), &back));
      g_assert_cmpint (back, ==, i);
    }
  g_assert_cmpstr (ea_order_state_to_string (EA_ORDER_STATE_PENDING_REPLACE), ==, "PENDING_REPLACE");

  {
    EaOrderState s;
    EaOrderType t;

    g_assert_false (ea_order_state_from_string ("WORKINGX", &s));
    g_assert_false (ea_order_state_from_string (NULL, &s));
    g_assert_true (ea_order_type_from_string ("stop_limit", &t));
    g_assert_cmpint (t, ==, EA_ORDER_TYPE_STOP_LIMIT);
    g_assert_false (ea_order_type_from_string ("iceberg", &t));
  }

  g_assert_true (ea_order_state_is_terminal (EA_ORDER_STATE_EXPIRED));
  g_assert_false (ea_order_state_is_terminal (EA_ORDER_STATE_UNKNOWN));
  g_assert_true (ea_order_state_is_live (EA_ORDER_STATE_PENDING_CANCEL));
  g_assert_false (ea_order_state_is_live (EA_ORDER_STATE_SUSPENDED));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/order-state/matrix", test_matrix);
  g_test_add_func ("/order-state/advance", test_advance);
  g_test_add_func ("/order-state/names", test_names);

  return g_test_run ();
}
