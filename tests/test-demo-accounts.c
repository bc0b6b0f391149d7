/* test-demo-accounts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Demo accounts through the desk: the demo-accounts setting read with
 * its bad entries skipped, accounts added up to six (the seventh
 * refused) and seen at once with their firm profile, and a reset that
 * gives an account back its starting balance and a fresh risk record —
 * refused for another broker's account and while the emergency stop
 * works on it.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include <sqlite3.h>

#include "ea-demo-accounts.h"
#include "ea-desk.h"
#include "ea-journal.h"
#include "ea-order.h"
#include "ea-position.h"
#include "ea-sim-broker.h"
#include "ea-test-clock.h"

/* Tuesday 2025-11-18 15:00 UTC = 09:00 America/Chicago. */
#define TUE_0900_CT G_GINT64_CONSTANT (1763478000000000)
#define ES_6800     27200
#define USD(x)      EA_MICROS (x)

typedef struct
{
  EaDesk      *desk;
  EaSimBroker *sim;
  EaJournal   *journal;
  char        *dir;
} Fixture;

/* A broker of funded accounts that is not the Demo exchange. */
#define TEST_TYPE_FUNDED_BROKER (test_funded_broker_get_type ())
G_DECLARE_FINAL_TYPE (TestFundedBroker, test_funded_broker, TEST, FUNDED_BROKER, GObject)

struct _TestFundedBroker
{
  GObject parent_instance;
};

static const char *
funded_get_name (EaBroker *broker)
{
  return "Funded";
}

static EaConnectionState
funded_get_state (EaBroker *broker)
{
  return EA_CONNECTION_STATE_CONNECTED;
}

static void
funded_list_accounts_async (EaBroker *broker, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (broker, cancellable, callback, user_data);
  GPtrArray *accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_account_data_free);
  EaAccountData d = { 0 };

  d.name = (char *) "FUNDED-1";
  d.profile = (char *) "apex-legacy-50k";
  d.size = USD (50000);
  d.balance = d.equity = USD (50000);
  g_ptr_array_add (accounts, ea_account_data_copy (&d));
  g_task_return_pointer (task, accounts, (GDestroyNotify) g_ptr_array_unref);
}

static GPtrArray *
funded_list_accounts_finish (EaBroker *broker, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
funded_subscribe_async (EaBroker *broker, const char *symbol, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (broker, cancellable, callback, user_data);

  g_task_return_boolean (task, TRUE);
}

static gboolean
funded_finish_bool (EaBroker *broker, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
funded_snapshot_async (EaBroker *broker, const char *account, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (broker, cancellable, callback, user_data);

  g_task_return_pointer (task, ea_snapshot_data_new (TUE_0900_CT), (GDestroyNotify) ea_snapshot_data_free);
}

static EaSnapshotData *
funded_snapshot_finish (EaBroker *broker, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
funded_iface_init (EaBrokerInterface *iface)
{
  iface->get_name = funded_get_name;
  iface->get_connection_state = funded_get_state;
  iface->list_accounts_async = funded_list_accounts_async;
  iface->list_accounts_finish = funded_list_accounts_finish;
  iface->subscribe_quotes_async = funded_subscribe_async;
  iface->subscribe_quotes_finish = funded_finish_bool;
  iface->snapshot_async = funded_snapshot_async;
  iface->snapshot_finish = funded_snapshot_finish;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestFundedBroker, test_funded_broker, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (EA_TYPE_BROKER, funded_iface_init))

static void
test_funded_broker_class_init (TestFundedBrokerClass *klass)
{
}

static void
test_funded_broker_init (TestFundedBroker *self)
{
}

/* Helpers ------------------------------------------------------------------ */

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  EaSimExchange *ex;
  GAsyncResult *res = NULL;

  f->dir = g_dir_make_tmp ("ea-demo-accounts-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "journal.sqlite3", NULL);
  f->journal = ea_journal_new_sync (path, NULL, &error);
  g_assert_no_error (error);

  f->desk = ea_desk_new (EA_MODE_DEMO);
  ea_test_desk_in_session (f->desk);
  ea_desk_set_journal (f->desk, f->journal);

  f->sim = ea_sim_broker_new (11, TUE_0900_CT);
  ex = ea_sim_broker_get_exchange (f->sim);
  ea_sim_exchange_set_generator_enabled (ex, FALSE);
  ea_sim_exchange_set_always_open (ex, TRUE);
  ea_sim_exchange_push_quote (ex, "MES", ES_6800, ES_6800 + 1, 50, 50, NULL);
  ea_sim_exchange_push_trade (ex, "MES", ES_6800, 1, NULL);
  ea_sim_exchange_push_quote (ex, "ES", ES_6800, ES_6800 + 1, 50, 50, NULL);
  ea_sim_exchange_push_trade (ex, "ES", ES_6800, 1, NULL);

  ea_desk_watch_symbol (f->desk, "ES");
  ea_desk_watch_symbol (f->desk, "MES");
  ea_desk_add_broker (f->desk, EA_BROKER (f->sim));
  ea_broker_connect_async (EA_BROKER (f->sim), NULL, result_cb, &res);
  g_assert_true (ea_broker_connect_finish (EA_BROKER (f->sim), wait_for (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);
  iterate ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  GAsyncResult *res = NULL;

  ea_journal_flush_async (f->journal, NULL, result_cb, &res);
  ea_journal_flush_finish (f->journal, wait_for (&res), NULL);
  g_object_unref (res);

  g_clear_object (&f->desk);
  g_clear_object (&f->sim);
  ea_journal_close (f->journal);
  g_clear_object (&f->journal);

  {
    g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name (dir)))
      {
        g_autofree char *p = g_build_filename (f->dir, name, NULL);
        g_unlink (p);
      }
  }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static guint
journal_count (Fixture    *f,
               const char *sql)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  ea_journal_flush_async (f->journal, NULL, result_cb, &res);
  g_assert_true (ea_journal_flush_finish (f->journal, wait_for (&res), &error));
  g_object_unref (res);

  g_assert_cmpint (sqlite3_open_v2 (ea_journal_get_path (f->journal), &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

static char *
place (Fixture           *f,
       const EaDeskOrder *order)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  EaRiskDecision decision = { 0 };
  char *id;

  ea_desk_place_order_async (f->desk, order, EA_ACTOR_USER, NULL, result_cb, &res);
  id = ea_desk_place_order_finish (f->desk, wait_for (&res), &decision, &error);
  g_object_unref (res);
  if (error != NULL)
    {
      g_autofree char *why = ea_risk_decision_format (&decision);

      g_error ("order refused: %s (%s)", error->message, why);
    }
  iterate ();
  return id;
}

static gint64
position_qty (Fixture    *f,
              const char *account,
              const char *symbol)
{
  EaPosition *p = ea_trading_store_lookup_position (ea_desk_get_store (f->desk), account, symbol);
  gint64 qty = 0;

  if (p != NULL)
    g_object_get (p, "qty", &qty, NULL);
  return qty;
}

static guint
working_orders (Fixture    *f,
                const char *account)
{
  GListModel *orders = ea_trading_store_get_orders (ea_desk_get_store (f->desk));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(EaOrder) o = g_list_model_get_item (orders, i);
      g_autofree char *name = NULL;
      guint state;

      g_object_get (o, "account", &name, "state", &state, NULL);
      if (g_strcmp0 (name, account) == 0 && !ea_order_state_is_terminal ((EaOrderState) state))
        n++;
    }
  return n;
}

static void
move_market (Fixture *f,
             const char *symbol,
             EaTicks  price)
{
  EaSimExchange *ex = ea_sim_broker_get_exchange (f->sim);

  ea_sim_exchange_push_quote (ex, symbol, price, price + 1, 50, 50, NULL);
  ea_sim_exchange_push_trade (ex, symbol, price, 1, NULL);
  iterate ();
}

/* Tests -------------------------------------------------------------------- */

static void
test_parse_setting (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaProfileStore) profiles = ea_profile_store_new (&error);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GVariant) back = NULL;
  g_autoptr(GVariant) wrong = NULL;
  const EaDemoAccount *a;

  g_assert_no_error (error);
  value = g_variant_ref_sink (g_variant_new_parsed (
    "[('DEMO-1', int64 50000, 'apex-legacy-50k'),"
    " ('NOPE', 50000, 'no-such-firm-50k'),"
    " ('SMALL', 40000, 'apex-legacy-50k'),"
    " ('ZERO', 0, 'apex-legacy-50k'),"
    " ('DEMO-1', 100000, 'apex-legacy-100k'),"
    " (' PADDED', 50000, 'apex-legacy-50k'),"
    " ('BIG', 300000, 'apex-legacy-300k'),"
    " ('EOD', 25000, 'apex-4.0-eod-25k'),"
    " ('FTMO', 100000, 'ftmo-preset-100k'),"
    " ('TOPSTEP', 100000, 'topstep-preset-100k'),"
    " ('SIX', 50000, 'custom-preset-50k'),"
    " ('SEVEN', 50000, 'apex-legacy-50k')]"));

  accounts = ea_demo_accounts_parse (value, profiles, problems);
  g_assert_cmpuint (accounts->len, ==, 6);
  a = g_ptr_array_index (accounts, 0);
  g_assert_cmpstr (a->name, ==, "DEMO-1");
  g_assert_cmpint (a->size, ==, USD (50000));
  g_assert_cmpstr (a->profile_id, ==, "apex-legacy-50k");
  a = g_ptr_array_index (accounts, 1);
  g_assert_cmpstr (a->name, ==, "BIG");
  g_assert_cmpint (a->size, ==, USD (300000));
  g_assert_cmpstr (((EaDemoAccount *) g_ptr_array_index (accounts, 5))->name, ==, "SIX");

  /* One sentence per skipped entry, naming the entry and the reason. */
  g_assert_cmpuint (problems->len, ==, 6);
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 0), "no-such-firm-50k"));
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 1), "SMALL"));
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 1), "$50,000"));
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 2), "ZERO"));
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 3), "twice"));
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 4), "Demo account 6"));
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 5), "SEVEN"));
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 5), "at most 6"));

  /* What is kept reads back the same. */
  back = g_variant_ref_sink (ea_demo_accounts_to_variant (accounts));
  {
    g_autoptr(GPtrArray) again = ea_demo_accounts_parse (back, profiles, NULL);

    g_assert_cmpuint (again->len, ==, 6);
    g_assert_cmpstr (((EaDemoAccount *) g_ptr_array_index (again, 3))->profile_id, ==, "ftmo-preset-100k");
  }

  /* Another type: nothing, and one sentence. */
  g_ptr_array_set_size (problems, 0);
  wrong = g_variant_ref_sink (g_variant_new_strv (NULL, 0));
  g_clear_pointer (&accounts, g_ptr_array_unref);
  accounts = ea_demo_accounts_parse (wrong, profiles, problems);
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_cmpuint (problems->len, ==, 1);
}

static void
test_add_up_to_six (Fixture       *f,
                    gconstpointer  data)
{
  static const struct { const char *name; double size; const char *profile; } add[] = {
    { "DEMO-2", 100000, "apex-legacy-100k" },
    { "DEMO-3", 25000,  "apex-4.0-eod-25k" },
    { "DEMO-4", 50000,  "apex-legacy-50k" },
    { "DEMO-5", 100000, "topstep-preset-100k" },
    { "DEMO-6", 150000, "apex-4.0-intraday-150k" },
  };
  GListModel *accounts = ea_trading_store_get_accounts (ea_desk_get_store (f->desk));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listed = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 1);
  g_assert_cmpuint (ea_desk_get_n_demo_accounts (f->desk), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (add); i++)
    {
      EaRiskProfile profile;
      EaRiskStatus status;
      EaAccount *model;

      g_assert_true (ea_desk_add_demo_account (f->desk, add[i].name, USD (add[i].size), add[i].profile, &error));
      g_assert_no_error (error);

      /* At once, without another turn of the main loop. */
      model = ea_trading_store_lookup_account (ea_desk_get_store (f->desk), add[i].name);
      g_assert_nonnull (model);
      g_assert_cmpint (ea_account_get_balance (model), ==, USD (add[i].size));
      g_assert_cmpstr (ea_account_get_profile (model), ==, add[i].profile);
      g_assert_true (ea_desk_is_demo_account (f->desk, add[i].name));
      g_assert_true (ea_desk_get_account_profile (f->desk, add[i].name, &profile));
      g_assert_cmpstr (profile.id, ==, add[i].profile);
      g_assert_true (ea_desk_get_risk_status (f->desk, add[i].name, &status));
      g_assert_cmpint (status.start_balance, ==, USD (add[i].size));
      g_assert_cmpint (status.balance, ==, USD (add[i].size));
      g_assert_cmpint (status.floor, ==, USD (add[i].size) - profile.trailing_amount);
      g_assert_cmpint (status.state, ==, EA_TRADING_STATE_ACTIVE);
    }
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 6);
  g_assert_cmpuint (ea_desk_get_n_demo_accounts (f->desk), ==, 6);

  /* The seventh: the exchange's own limit answers. */
  g_assert_false (ea_desk_add_demo_account (f->desk, "DEMO-7", USD (50000), "apex-legacy-50k", &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "At most 6"));
  g_clear_error (&error);
  g_assert_false (ea_sim_broker_add_account (f->sim, "DEMO-7", USD (50000), "apex-legacy-50k", &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED);
  g_clear_error (&error);
  g_assert_null (ea_trading_store_lookup_account (ea_desk_get_store (f->desk), "DEMO-7"));
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 6);

  /* The list (for the setting) names every account with its profile id. */
  listed = ea_desk_list_demo_accounts (f->desk);
  g_assert_cmpuint (listed->len, ==, 6);
  g_assert_cmpstr (((EaDemoAccount *) g_ptr_array_index (listed, 0))->profile_id, ==, "apex-legacy-50k");
  g_assert_cmpstr (((EaDemoAccount *) g_ptr_array_index (listed, 5))->name, ==, "DEMO-6");
  g_assert_cmpint (((EaDemoAccount *) g_ptr_array_index (listed, 5))->size, ==, USD (150000));

  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'account.demo-added'"), ==, 5);
}

static void
test_add_refused (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* A size that is not the profile's. */
  g_assert_false (ea_desk_add_demo_account (f->desk, "DEMO-2", USD (75000), "apex-legacy-50k", &error));
  g_assert_error (error, EA_DEMO_ACCOUNTS_ERROR, EA_DEMO_ACCOUNTS_ERROR_SIZE);
  g_clear_error (&error);
  g_assert_false (ea_desk_add_demo_account (f->desk, "DEMO-2", USD (50000), "no-such-profile", &error));
  g_assert_error (error, EA_DEMO_ACCOUNTS_ERROR, EA_DEMO_ACCOUNTS_ERROR_PROFILE);
  g_clear_error (&error);
  g_assert_false (ea_desk_add_demo_account (f->desk, "", USD (50000), "apex-legacy-50k", &error));
  g_assert_error (error, EA_DEMO_ACCOUNTS_ERROR, EA_DEMO_ACCOUNTS_ERROR_NAME);
  g_clear_error (&error);
  g_assert_false (ea_desk_add_demo_account (f->desk, "DEMO-1", USD (50000), "apex-legacy-50k", &error));
  g_assert_error (error, EA_DEMO_ACCOUNTS_ERROR, EA_DEMO_ACCOUNTS_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_cmpuint (ea_desk_get_n_demo_accounts (f->desk), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'account.demo-added'"), ==, 0);
}

/* Positions and working orders, a raised floor and a day's loss: all
 * gone after the reset, the other account untouched. */
static void
test_reset_positions_and_orders (Fixture       *f,
                                 gconstpointer  data)
{
  EaDeskOrder buy = { .account = "DEMO-2", .symbol = "MES", .side = EA_SIDE_BUY,
                      .type = EA_ORDER_TYPE_MARKET, .qty = 2,
                      .has_stop_loss = TRUE, .stop_loss = ES_6800 - 40 };
  EaDeskOrder rest = { .account = "DEMO-2", .symbol = "MES", .side = EA_SIDE_BUY,
                       .type = EA_ORDER_TYPE_LIMIT, .qty = 1, .limit_price = ES_6800 - 20,
                       .has_stop_loss = TRUE, .stop_loss = ES_6800 - 40 };
  EaDeskOrder other = { .account = "DEMO-1", .symbol = "MES", .side = EA_SIDE_BUY,
                        .type = EA_ORDER_TYPE_MARKET, .qty = 1,
                        .has_stop_loss = TRUE, .stop_loss = ES_6800 - 40 };
  g_autoptr(GError) error = NULL;
  EaRiskStatus before, after, other_before, other_after;
  EaAccount *model;

  g_assert_true (ea_desk_add_demo_account (f->desk, "DEMO-2", USD (100000), "apex-legacy-100k", &error));
  g_assert_no_error (error);

  g_free (place (f, &buy));
  g_free (place (f, &rest));
  g_free (place (f, &other));
  g_assert_cmpint (position_qty (f, "DEMO-2", "MES"), ==, 2);
  g_assert_cmpuint (working_orders (f, "DEMO-2"), >=, 2);

  /* Up 10 points (a higher peak and floor), then down 5 under the entry. */
  move_market (f, "MES", ES_6800 + 40);
  move_market (f, "MES", ES_6800 - 12);
  g_assert_true (ea_desk_get_risk_status (f->desk, "DEMO-2", &before));
  g_assert_cmpint (before.peak, >, USD (100000));
  g_assert_cmpint (before.floor, >, USD (97000));
  g_assert_cmpint (before.day_pnl, <, 0);
  g_assert_cmpfloat (before.contracts_in_use, >, 0.0);
  g_assert_true (ea_desk_get_risk_status (f->desk, "DEMO-1", &other_before));

  g_assert_true (ea_desk_reset_account (f->desk, "DEMO-2", &error));
  g_assert_no_error (error);
  iterate ();

  g_assert_cmpint (position_qty (f, "DEMO-2", "MES"), ==, 0);
  g_assert_cmpuint (working_orders (f, "DEMO-2"), ==, 0);
  model = ea_trading_store_lookup_account (ea_desk_get_store (f->desk), "DEMO-2");
  g_assert_cmpint (ea_account_get_balance (model), ==, USD (100000));
  g_assert_cmpint (ea_account_get_equity (model), ==, USD (100000));

  g_assert_true (ea_desk_get_risk_status (f->desk, "DEMO-2", &after));
  g_assert_cmpint (after.state, ==, EA_TRADING_STATE_ACTIVE);
  g_assert_cmpint (after.balance, ==, USD (100000));
  g_assert_cmpint (after.equity, ==, USD (100000));
  g_assert_cmpint (after.peak, ==, USD (100000));
  g_assert_cmpint (after.floor, ==, USD (97000));
  g_assert_cmpint (after.day_pnl, ==, 0);
  g_assert_cmpfloat (after.contracts_in_use, ==, 0.0);
  g_assert_cmpuint (after.n_working, ==, 0);
  g_assert_cmpint (after.working_risk, ==, 0);

  /* The other account keeps its position and its record. */
  g_assert_cmpint (position_qty (f, "DEMO-1", "MES"), ==, 1);
  g_assert_true (ea_desk_get_risk_status (f->desk, "DEMO-1", &other_after));
  g_assert_cmpint (other_after.peak, ==, other_before.peak);
  g_assert_cmpint (other_after.day_pnl, ==, other_before.day_pnl);
  g_assert_cmpfloat (other_after.contracts_in_use, ==, other_before.contracts_in_use);

  /* It trades again from the fresh state, and its P&L starts from 0. */
  buy.qty = 1;
  g_free (place (f, &buy));
  g_assert_cmpint (position_qty (f, "DEMO-2", "MES"), ==, 1);
  move_market (f, "MES", ES_6800 - 16);
  g_assert_true (ea_desk_get_risk_status (f->desk, "DEMO-2", &after));
  g_assert_cmpint (after.balance, ==, USD (100000));
  g_assert_cmpint (after.day_pnl, >=, -USD (10));

  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'account.reset' AND subject = 'DEMO-2'"), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'account.reset' "
                                      "AND details LIKE '%\"balance_before\":100000000000%'"), ==, 1);
}

/* A breach locks the account (and latches the emergency stop). While the
 * stop cannot confirm it flat, a reset is refused; once flat, the reset
 * clears the account's lock and floor. */
static void
test_reset_after_lock (Fixture       *f,
                       gconstpointer  data)
{
  EaDeskOrder buy = { .account = "DEMO-2", .symbol = "MES", .side = EA_SIDE_BUY,
                      .type = EA_ORDER_TYPE_MARKET, .qty = 1 };
  g_autoptr(GError) error = NULL;
  EaRiskStatus before, after;

  g_assert_true (ea_desk_add_demo_account (f->desk, "DEMO-2", USD (100000), "apex-legacy-100k", &error));
  g_assert_no_error (error);

  g_free (place (f, &buy));
  g_assert_cmpint (position_qty (f, "DEMO-2", "MES"), ==, 1);

  /* The broker answers yes to the stop's exits and does nothing. */
  ea_sim_broker_ignore_exit_requests (f->sim, G_MAXUINT);
  /* A new peak, then 150 points down: $750 of open loss, past the
   * open-loss cap (80 % of 30 % of the $3,000 drawdown). */
  move_market (f, "MES", ES_6800 + 20);
  move_market (f, "MES", ES_6800 - 600);
  g_assert_true (ea_desk_get_halted (f->desk));
  g_assert_true (ea_desk_get_risk_status (f->desk, "DEMO-2", &before));
  g_assert_cmpint (before.state, ==, EA_TRADING_STATE_LOCKED);
  g_assert_cmpint (before.floor, >, USD (97000));
  g_assert_cmpint (before.day_pnl, <, -USD (700));
  g_assert_true (ea_desk_get_stop_pending (f->desk));

  g_assert_false (ea_desk_reset_account (f->desk, "DEMO-2", &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_STOP_RUNNING);
  g_clear_error (&error);
  g_assert_cmpint (position_qty (f, "DEMO-2", "MES"), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'account.reset'"), ==, 0);

  /* The broker acts again: the stop confirms the account flat. */
  ea_sim_broker_ignore_exit_requests (f->sim, 0);
  while (ea_desk_get_stop_pending (f->desk))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ea_desk_get_stop_status (f->desk, "DEMO-2", NULL), ==, EA_STOP_STATUS_FLAT);
  g_assert_cmpint (position_qty (f, "DEMO-2", "MES"), ==, 0);

  g_assert_true (ea_desk_reset_account (f->desk, "DEMO-2", &error));
  g_assert_no_error (error);
  g_assert_true (ea_desk_get_risk_status (f->desk, "DEMO-2", &after));
  g_assert_cmpint (after.state, ==, EA_TRADING_STATE_ACTIVE);
  g_assert_cmpint (after.lock_until, ==, 0);
  g_assert_false (after.failed);
  g_assert_cmpint (after.balance, ==, USD (100000));
  g_assert_cmpint (after.peak, ==, USD (100000));
  g_assert_cmpint (after.floor, ==, USD (97000));
  g_assert_cmpint (after.day_pnl, ==, 0);
  g_assert_cmpint (after.level, ==, EA_RISK_LEVEL_SAFE);

  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'account.reset' "
                                      "AND subject = 'DEMO-2' AND details LIKE '%\"state_before\":\"LOCKED\"%'"), ==, 1);
  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM risk_events WHERE reason = 'demo account reset'"), ==, 1);
}

static void
test_reset_refused (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TestFundedBroker) funded = g_object_new (TEST_TYPE_FUNDED_BROKER, NULL);
  g_autoptr(GError) error = NULL;

  ea_desk_add_broker (f->desk, EA_BROKER (funded));
  iterate ();
  g_assert_nonnull (ea_trading_store_lookup_account (ea_desk_get_store (f->desk), "FUNDED-1"));
  g_assert_false (ea_desk_is_demo_account (f->desk, "FUNDED-1"));

  g_assert_false (ea_desk_reset_account (f->desk, "FUNDED-1", &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_NOT_DEMO);
  g_assert_nonnull (strstr (error->message, "Funded"));
  g_clear_error (&error);

  g_assert_false (ea_desk_reset_account (f->desk, "NOBODY", &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_ACCOUNT);
  g_clear_error (&error);

  /* The Demo exchange away: nothing is reset. */
  ea_sim_broker_simulate_disconnect (f->sim, "test");
  iterate ();
  g_assert_false (ea_desk_reset_account (f->desk, "DEMO-1", &error));
  g_assert_error (error, EA_DESK_ERROR, EA_DESK_ERROR_NOT_CONNECTED);
  g_clear_error (&error);

  g_assert_cmpuint (journal_count (f, "SELECT count(*) FROM audit WHERE kind = 'account.reset'"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo-accounts/parse-setting", test_parse_setting);
#define ADD(path, fn) g_test_add ("/demo-accounts/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("add-up-to-six", test_add_up_to_six);
  ADD ("add-refused", test_add_refused);
  ADD ("reset-positions-and-orders", test_reset_positions_and_orders);
  ADD ("reset-after-lock", test_reset_after_lock);
  ADD ("reset-refused", test_reset_refused);
#undef ADD

  return g_test_run ();
}
