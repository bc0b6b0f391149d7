/* test-ibkr-broker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The IBKR adapter against the local gateway: the EaBroker conformance
 * suite, then certificate pinning, questions, pacing and the 429 penalty,
 * competing sessions, session expiry, smd re-subscription, the emergency
 * stop and malformed input.
 */
#include "config.h"

#include <string.h>

#include "ea-broker-conformance.h"
#include "ea-ibkr-broker.h"
#include "ea-ibkr-gateway.h"
#include "ea-instrument.h"

#define ACCOUNT  "DU1234567"
#define ACCOUNT2 "DU7654321"

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

static EaIbkrGateway *
gateway (EaBroker *broker)
{
  return g_object_get_data (G_OBJECT (broker), "ea-test-gateway");
}

static void
sync_broker (EaBroker *broker)
{
  GAsyncResult *res = NULL;

  ea_ibkr_broker_sync_async (EA_IBKR_BROKER (broker), NULL, result_cb, &res);
  g_assert_true (ea_ibkr_broker_sync_finish (EA_IBKR_BROKER (broker), wait_for (&res), NULL));
  g_object_unref (res);
}

static gboolean
connect_broker (EaBroker *broker, GError **error)
{
  GAsyncResult *res = NULL;
  gboolean ok;

  ea_broker_connect_async (broker, NULL, result_cb, &res);
  ok = ea_broker_connect_finish (broker, wait_for (&res), error);
  g_object_unref (res);
  return ok;
}

static EaIbkrBroker *
new_broker (EaIbkrGateway *gw, const char *fingerprint)
{
  EaIbkrBroker *b = g_object_new (EA_TYPE_IBKR_BROKER,
                                  "url", ea_ibkr_gateway_get_url (gw),
                                  "pinned-fingerprint", fingerprint,
                                  "account", ACCOUNT,
                                  "auto-confirm", TRUE,
                                  "pace-slow-window", 0,
                                  "pace-window", 100,
                                  "reconnect-delay", 10,
                                  NULL);

  g_object_set_data_full (G_OBJECT (b), "ea-test-gateway", g_object_ref (gw), g_object_unref);
  return b;
}

static EaIbkrGateway *
new_gateway (void)
{
  g_autoptr(GError) error = NULL;
  EaIbkrGateway *gw = ea_ibkr_gateway_new (0, &error);

  g_assert_no_error (error);
  g_assert_true (ea_ibkr_gateway_add_account (gw, ACCOUNT, EA_MICROS (50000)));
  g_assert_true (ea_ibkr_gateway_add_account (gw, ACCOUNT2, EA_MICROS (100000)));
  return gw;
}

/* Conformance factory. */

static EaBroker *
ibkr_create (gpointer user_data)
{
  g_autoptr(EaIbkrGateway) gw = new_gateway ();
  g_autoptr(GError) error = NULL;
  EaIbkrBroker *b;
  static const char *const questions[] = { "o163", NULL };

  /* Every placement asks a question: the conformance run confirms them. */
  ea_ibkr_gateway_set_questions (gw, questions);
  b = new_broker (gw, ea_ibkr_gateway_get_fingerprint (gw));
  g_assert_true (connect_broker (EA_BROKER (b), &error));
  g_assert_no_error (error);
  return EA_BROKER (b);
}

static void
ibkr_advance (EaBroker *broker, EaTimeUs usec, gpointer user_data)
{
  ea_ibkr_gateway_advance (gateway (broker), usec);
  sync_broker (broker);
}

static void
ibkr_set_quote (EaBroker *broker, const char *symbol, EaTicks bid, EaTicks ask,
                gint64 bid_size, gint64 ask_size, gpointer user_data)
{
  g_assert_true (ea_ibkr_gateway_set_quote (gateway (broker), symbol, bid, ask, bid_size, ask_size));
  sync_broker (broker);
}

static void
ibkr_trade (EaBroker *broker, const char *symbol, EaTicks price, gint64 size, gpointer user_data)
{
  g_assert_true (ea_ibkr_gateway_trade (gateway (broker), symbol, price, size));
  sync_broker (broker);
}

static void
ibkr_drop (EaBroker *broker, gpointer user_data)
{
  ea_ibkr_gateway_set_down (gateway (broker), TRUE);
  while (ea_broker_get_connection_state (broker) != EA_CONNECTION_STATE_DISCONNECTED)
    g_main_context_iteration (NULL, TRUE);
}

static void
ibkr_restore (EaBroker *broker, gpointer user_data)
{
  ea_ibkr_gateway_set_down (gateway (broker), FALSE);
  while (ea_broker_get_connection_state (broker) != EA_CONNECTION_STATE_CONNECTED)
    g_main_context_iteration (NULL, TRUE);
}

static void
ibkr_rate_limit_next (EaBroker *broker, gpointer user_data)
{
  g_object_set (broker, "penalty", 50, NULL);
  ea_ibkr_gateway_inject (gateway (broker), EA_IBKR_FAULT_RATE_LIMIT, 1);
}

static void
ibkr_lose_reply (EaBroker *broker, gpointer user_data)
{
  ea_ibkr_gateway_inject (gateway (broker), EA_IBKR_FAULT_LOSE_PLACE_REPLY, 1);
}

static const EaBrokerConformanceFactory ibkr_factory = {
  .prefix = "/broker/ibkr",
  .account = ACCOUNT,
  .symbol = "ES",
  .base_price = 27200,   /* 6800.00 */
  .create = ibkr_create,
  .advance = ibkr_advance,
  .set_quote = ibkr_set_quote,
  .trade = ibkr_trade,
  .drop_connection = ibkr_drop,
  .restore_connection = ibkr_restore,
  .lose_next_place_reply = ibkr_lose_reply,
  .rate_limit_next = ibkr_rate_limit_next,
};

/* Helpers for the specific tests. */

typedef struct
{
  EaIbkrGateway *gw;
  EaIbkrBroker  *broker;
  GPtrArray     *questions;   /* char *: "id|text|ids" */
  GPtrArray     *notices;     /* char *: "kind: text" */
  GPtrArray     *quotes;      /* EaQuoteData */
  char          *login_url;
  gboolean       answer;      /* how to answer questions */
  gboolean       answering;
} Fx;

static void
question_cb (EaIbkrBroker *b, const char *id, const char *text, GStrv ids, Fx *fx)
{
  g_autofree char *joined = g_strjoinv (",", ids);

  g_ptr_array_add (fx->questions, g_strdup_printf ("%s|%s", joined, text));
  if (fx->answering)
    g_assert_true (ea_ibkr_broker_answer_question (b, id, fx->answer));
}

static void
notice_cb (EaIbkrBroker *b, const char *kind, const char *text, Fx *fx)
{
  g_ptr_array_add (fx->notices, g_strdup_printf ("%s: %s", kind, text));
}

static void
login_cb (EaIbkrBroker *b, const char *url, Fx *fx)
{
  g_free (fx->login_url);
  fx->login_url = g_strdup (url);
}

static void
fx_quote_cb (EaBroker *b, const EaQuoteData *q, Fx *fx)
{
  g_ptr_array_add (fx->quotes, ea_quote_data_copy (q));
}

static gboolean
has_notice (Fx *fx, const char *prefix)
{
  for (guint i = 0; i < fx->notices->len; i++)
    if (g_str_has_prefix (fx->notices->pdata[i], prefix))
      return TRUE;
  return FALSE;
}

static void
fx_init (Fx *fx, gboolean connect)
{
  g_autoptr(GError) error = NULL;

  memset (fx, 0, sizeof *fx);
  fx->gw = new_gateway ();
  fx->broker = new_broker (fx->gw, ea_ibkr_gateway_get_fingerprint (fx->gw));
  fx->questions = g_ptr_array_new_with_free_func (g_free);
  fx->notices = g_ptr_array_new_with_free_func (g_free);
  fx->quotes = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_quote_data_free);
  fx->answering = TRUE;
  fx->answer = TRUE;
  g_signal_connect (fx->broker, "question", G_CALLBACK (question_cb), fx);
  g_signal_connect (fx->broker, "notice", G_CALLBACK (notice_cb), fx);
  g_signal_connect (fx->broker, "login-required", G_CALLBACK (login_cb), fx);
  g_signal_connect (fx->broker, "quote", G_CALLBACK (fx_quote_cb), fx);
  if (connect)
    {
      g_assert_true (connect_broker (EA_BROKER (fx->broker), &error));
      g_assert_no_error (error);
    }
}

static void
disconnect_broker (EaBroker *broker)
{
  GAsyncResult *res = NULL;

  ea_broker_disconnect_async (broker, NULL, result_cb, &res);
  g_assert_true (ea_broker_disconnect_finish (broker, wait_for (&res), NULL));
  g_object_unref (res);
}

static void
fx_clear (Fx *fx)
{
  disconnect_broker (EA_BROKER (fx->broker));
  /* Let replies in flight land before the last reference goes. */
  while (G_OBJECT (fx->broker)->ref_count > 1)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handlers_disconnect_by_data (fx->broker, fx);
  g_assert_finalize_object (fx->broker);
  g_object_unref (fx->gw);
  g_ptr_array_unref (fx->questions);
  g_ptr_array_unref (fx->notices);
  g_ptr_array_unref (fx->quotes);
  g_free (fx->login_url);
}

static char *
place (EaBroker *broker, const EaOrderRequest *r, GError **error)
{
  GAsyncResult *res = NULL;
  char *id;

  ea_broker_place_order_async (broker, r, NULL, result_cb, &res);
  id = ea_broker_place_order_finish (broker, wait_for (&res), error);
  g_object_unref (res);
  return id;
}

static EaSnapshotData *
snapshot (EaBroker *broker, GError **error)
{
  GAsyncResult *res = NULL;
  EaSnapshotData *s;

  ea_broker_snapshot_async (broker, ACCOUNT, NULL, result_cb, &res);
  s = ea_broker_snapshot_finish (broker, wait_for (&res), error);
  g_object_unref (res);
  return s;
}

static gboolean
subscribe (EaBroker *broker, const char *symbol, GError **error)
{
  GAsyncResult *res = NULL;
  gboolean ok;

  ea_broker_subscribe_quotes_async (broker, symbol, NULL, result_cb, &res);
  ok = ea_broker_subscribe_quotes_finish (broker, wait_for (&res), error);
  g_object_unref (res);
  return ok;
}

static EaOrderRequest *
limit_request (const char *account, const char *symbol, const char *cid, EaSide side, gint64 qty, EaTicks price)
{
  EaOrderRequest *r = ea_order_request_new (account, symbol, cid, side, EA_ORDER_TYPE_LIMIT, qty);

  r->limit_price = price;
  return r;
}

/* Certificate pinning. */

static void
test_pinning (void)
{
  g_autoptr(EaIbkrGateway) gw = new_gateway ();
  g_autoptr(EaIbkrGateway) other = new_gateway ();
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  g_autofree char *fp = NULL;
  EaIbkrBroker *b;

  /* Not pinned: refused, with the fingerprint to check. */
  b = new_broker (gw, NULL);
  g_assert_false (connect_broker (EA_BROKER (b), &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "not pinned"));
  g_assert_nonnull (strstr (error->message, ea_ibkr_gateway_get_fingerprint (gw)));
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (b)), ==, EA_CONNECTION_STATE_DISCONNECTED);
  g_assert_cmpuint (ea_ibkr_gateway_count_requests (gw, ""), ==, 0);
  g_clear_error (&error);

  /* Trust on first use: the setup assistant fetches what to show. */
  ea_ibkr_broker_fetch_fingerprint_async (b, NULL, result_cb, &res);
  fp = ea_ibkr_broker_fetch_fingerprint_finish (b, wait_for (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_cmpstr (fp, ==, ea_ibkr_gateway_get_fingerprint (gw));
  g_assert_cmpuint (strlen (fp), ==, 64);
  g_assert_finalize_object (b);

  /* Pinned (in any case, with colons): accepted. */
  {
    g_autofree char *upper = g_ascii_strup (fp, -1);
    GString *colons = g_string_new (NULL);

    for (guint i = 0; upper[i]; i += 2)
      g_string_append_printf (colons, "%s%.2s", i ? ":" : "", upper + i);
    b = new_broker (gw, colons->str);
    g_string_free (colons, TRUE);
  }
  g_assert_true (connect_broker (EA_BROKER (b), &error));
  g_assert_no_error (error);
  disconnect_broker (EA_BROKER (b));
  g_assert_finalize_object (b);

  /* Another certificate on the same address: refused, clearly. */
  b = new_broker (other, fp);
  g_assert_false (connect_broker (EA_BROKER (b), &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "certificate changed"));
  g_assert_nonnull (strstr (error->message, ea_ibkr_gateway_get_fingerprint (other)));
  g_assert_cmpuint (ea_ibkr_gateway_count_requests (other, ""), ==, 0);
  g_assert_finalize_object (b);
}

/* Questions. */

static void
test_questions (void)
{
  static const char *const asked[] = { "o163", "o354", NULL };
  g_autoptr(EaOrderRequest) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  Fx fx;

  fx_init (&fx, FALSE);
  g_object_set (fx.broker, "auto-confirm", FALSE, NULL);
  ea_ibkr_gateway_set_questions (fx.gw, asked);
  g_assert_true (connect_broker (EA_BROKER (fx.broker), &error));

  /* Each question is shown, in order; confirming both places the order. */
  r = limit_request (ACCOUNT, "ES", "q-1", EA_SIDE_BUY, 1, 26000);
  id = place (EA_BROKER (fx.broker), r, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_cmpuint (fx.questions->len, ==, 2);
  g_assert_true (g_str_has_prefix (fx.questions->pdata[0], "o163|The following order exceeds the price"));
  g_assert_true (g_str_has_prefix (fx.questions->pdata[1], "o354|"));
  g_assert_cmpuint (ea_ibkr_gateway_count_working (fx.gw, ACCOUNT), ==, 1);

  /* Declining: not placed. */
  fx.answer = FALSE;
  g_clear_pointer (&r, ea_order_request_free);
  r = limit_request (ACCOUNT, "ES", "q-2", EA_SIDE_BUY, 1, 26000);
  g_assert_null (place (EA_BROKER (fx.broker), r, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "Declined"));
  g_clear_error (&error);
  g_assert_cmpuint (fx.questions->len, ==, 3);
  g_assert_cmpuint (ea_ibkr_gateway_count_working (fx.gw, ACCOUNT), ==, 1);
  fx_clear (&fx);

  /* Suppressed ids are suppressed on the gateway and never shown. */
  fx_init (&fx, FALSE);
  {
    static const char *const suppressed[] = { "o163", NULL };

    g_object_set (fx.broker, "auto-confirm", FALSE, "suppressed-message-ids", suppressed, NULL);
  }
  ea_ibkr_gateway_set_questions (fx.gw, asked);
  g_assert_true (connect_broker (EA_BROKER (fx.broker), &error));
  g_assert_true (ea_ibkr_gateway_is_suppressed (fx.gw, "o163"));
  g_assert_false (ea_ibkr_gateway_is_suppressed (fx.gw, "o354"));
  g_clear_pointer (&r, ea_order_request_free);
  r = limit_request (ACCOUNT, "ES", "q-3", EA_SIDE_BUY, 1, 26000);
  g_free (place (EA_BROKER (fx.broker), r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fx.questions->len, ==, 1);
  g_assert_true (g_str_has_prefix (fx.questions->pdata[0], "o354|"));
  fx_clear (&fx);

  /* The loop is bounded. */
  fx_init (&fx, TRUE);
  {
    g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
    g_auto(GStrv) many = NULL;

    for (guint i = 0; i < 25; i++)
      {
        g_autofree char *q = g_strdup_printf ("o%u", 900 + i);

        g_strv_builder_add (b, q);
      }
    many = g_strv_builder_end (b);
    ea_ibkr_gateway_set_questions (fx.gw, (const char *const *) many);
  }
  g_clear_pointer (&r, ea_order_request_free);
  r = limit_request (ACCOUNT, "ES", "q-4", EA_SIDE_BUY, 1, 26000);
  g_assert_null (place (EA_BROKER (fx.broker), r, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "more than 20 questions"));
  g_assert_cmpuint (ea_ibkr_gateway_count_questions (fx.gw), ==, 21);
  g_assert_cmpuint (ea_ibkr_gateway_count_working (fx.gw, ACCOUNT), ==, 0);
  fx_clear (&fx);
}

/* Pacing and the 429 penalty box. */

static void
paused_cb (GObject *obj, GParamSpec *pspec, guint *n)
{
  (*n)++;
}

static void
test_pacing (void)
{
  g_autoptr(GError) error = NULL;
  guint notifies = 0, before;
  Fx fx;

  fx_init (&fx, FALSE);
  /* 3 requests per 300 ms, the slow endpoints 1 per 400 ms; 400 ms penalty. */
  ea_ibkr_gateway_set_pacing (fx.gw, 3, 300, 400, 400);
  g_object_set (fx.broker, "pace-global", 3, "pace-window", 300, "pace-slow-window", 400, "penalty", 400,
                "max-pause-wait", 0, NULL);
  connect_broker (EA_BROKER (fx.broker), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(EaSnapshotData) s = snapshot (EA_BROKER (fx.broker), &error);

      g_assert_no_error (error);
    }
  g_assert_cmpuint (ea_ibkr_gateway_count_429 (fx.gw), ==, 0);

  /* Without the limiter the gateway's penalty box closes. */
  g_signal_connect (fx.broker, "notify::paused-until", G_CALLBACK (paused_cb), &notifies);
  g_object_set (fx.broker, "pacing", FALSE, NULL);
  for (guint i = 0; i < 20 && error == NULL; i++)
    {
      g_autoptr(EaSnapshotData) s = snapshot (EA_BROKER (fx.broker), &error);
    }
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED);
  g_assert_cmpint (ea_broker_error_get_retry_after_ms (error), >, 0);
  g_clear_error (&error);
  g_assert_cmpuint (ea_ibkr_gateway_count_429 (fx.gw), ==, 1);
  g_assert_cmpint (ea_ibkr_broker_get_paused_until (fx.broker), >, 0);
  g_assert_true (has_notice (&fx, "paused: The gateway refused a request for exceeding its rate limit"));

  /* Paused: refused here, the gateway sees nothing. */
  before = ea_ibkr_gateway_count_requests (fx.gw, "");
  {
    g_autoptr(EaSnapshotData) s = snapshot (EA_BROKER (fx.broker), &error);

    g_assert_null (s);
  }
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED);
  g_clear_error (&error);
  g_assert_cmpuint (ea_ibkr_gateway_count_requests (fx.gw, ""), ==, before);

  /* The penalty ends; with pacing back on, requests go through. */
  while (notifies < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ea_ibkr_broker_get_paused_until (fx.broker), ==, 0);
  g_assert_true (has_notice (&fx, "resumed"));
  g_object_set (fx.broker, "pacing", TRUE, NULL);
  {
    g_autoptr(EaSnapshotData) s = snapshot (EA_BROKER (fx.broker), &error);

    g_assert_no_error (error);
  }
  g_assert_cmpuint (ea_ibkr_gateway_count_429 (fx.gw), ==, 1);
  fx_clear (&fx);
}

/* Many snapshots at once: the requests a start-up reconciliation makes,
 * enough of them to fill the pacing queue. */

typedef struct
{
  guint  done;
  guint  failed;
  guint *seen;     /* completions per snapshot: exactly one each */
} Burst;

typedef struct
{
  Burst *burst;
  guint  index;
} BurstItem;

static void
burst_snapshot_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  BurstItem *item = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSnapshotData) s = ea_broker_snapshot_finish (EA_BROKER (source), result, &error);

  if (s == NULL)
    {
      g_test_message ("snapshot %u: %s", item->index, error->message);
      item->burst->failed++;
    }
  item->burst->seen[item->index]++;
  item->burst->done++;
  g_free (item);
}

static void
burst_start (EaBroker *broker, Burst *burst, guint n)
{
  burst->done = burst->failed = 0;
  burst->seen = g_new0 (guint, n);
  for (guint i = 0; i < n; i++)
    {
      BurstItem *item = g_new0 (BurstItem, 1);

      item->burst = burst;
      item->index = i;
      ea_broker_snapshot_async (broker, ACCOUNT, NULL, burst_snapshot_cb, item);
    }
}

static guint
log_count (GStrv log, const char *entry)
{
  guint n = 0;

  for (guint i = 0; log[i]; i++)
    n += g_str_equal (log[i], entry);
  return n;
}

/* The index of the @nth (from 1) @entry in @log, or G_MAXUINT. */
static guint
log_index (GStrv log, const char *entry, guint nth)
{
  for (guint i = 0; log[i]; i++)
    if (g_str_equal (log[i], entry) && --nth == 0)
      return i;
  return G_MAXUINT;
}

/* An order placed while the start-up burst waits for its pacing slots
 * overtakes it, and the gateway's limit holds throughout. */
static void
test_pacing_priority (void)
{
  const guint n = 30;
  g_autoptr(GError) error = NULL;
  g_autoptr(EaOrderRequest) r = ea_order_request_new (ACCOUNT, "ES", "p-1", EA_SIDE_BUY, EA_ORDER_TYPE_MARKET, 1);
  g_auto(GStrv) log = NULL;
  g_autofree char *id = NULL;
  GAsyncResult *res = NULL;
  guint before, first, last, order;
  Burst burst;
  Fx fx;

  fx_init (&fx, FALSE);
  /* 10 requests per 100 ms at both ends (the adapter adds its margin). */
  ea_ibkr_gateway_set_pacing (fx.gw, 10, 100, 0, 1000);
  g_object_set (fx.broker, "pace-global", 10, "pace-window", 100, "pace-slow-window", 0, "max-pause-wait", 0,
                NULL);
  g_assert_true (connect_broker (EA_BROKER (fx.broker), &error));
  g_assert_no_error (error);
  g_assert_true (ea_ibkr_gateway_set_quote (fx.gw, "ES", 27200, 27201, 50, 50));
  g_assert_true (subscribe (EA_BROKER (fx.broker), "ES", &error));
  g_assert_no_error (error);
  /* Let the connection's own traffic pass. */
  sync_broker (EA_BROKER (fx.broker));
  {
    g_auto(GStrv) start = ea_ibkr_gateway_dup_request_log (fx.gw);

    before = g_strv_length (start);
  }

  burst_start (EA_BROKER (fx.broker), &burst, n);
  ea_broker_place_order_async (EA_BROKER (fx.broker), r, NULL, result_cb, &res);
  id = ea_broker_place_order_finish (EA_BROKER (fx.broker), wait_for (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_cmpint (ea_ibkr_gateway_get_position (fx.gw, ACCOUNT, "ES"), ==, 1);
  while (burst.done < n)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (burst.failed, ==, 0);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (burst.seen[i], ==, 1);

  /* The gateway never refused anything, and every request of the burst
   * reached it once. */
  g_assert_cmpuint (ea_ibkr_gateway_count_429 (fx.gw), ==, 0);
  log = ea_ibkr_gateway_dup_request_log (fx.gw);
  g_assert_cmpuint (log_count (log + before, "GET iserver/account/orders"), ==, n);
  g_assert_cmpuint (log_count (log + before, "GET iserver/account/trades"), ==, n);
  g_assert_cmpuint (log_count (log + before, "POST iserver/account/" ACCOUNT "/orders"), ==, 1);

  /* The burst was queued before the order, yet the order reached the
   * gateway within the first two pacing windows, ahead of most of the
   * burst's first requests; first come first served would have put it
   * after all of them. */
  first = log_index (log + before, "GET iserver/account/orders", 1);
  last = log_index (log + before, "GET iserver/account/orders", n);
  order = log_index (log + before, "POST iserver/account/" ACCOUNT "/orders", 1);
  g_test_message ("burst from %u to %u, order at %u", first, last, order);
  g_assert_cmpuint (order, <, 20);
  g_assert_cmpuint (order, <, last);
  g_assert_cmpuint (log_index (log + before, "GET iserver/account/orders", 20), <, G_MAXUINT);
  g_assert_cmpuint (order, <, log_index (log + before, "GET iserver/account/orders", 20));
  g_free (burst.seen);
  fx_clear (&fx);
}

/* The pacing settings change while requests are in flight and queued:
 * everything completes once, under limits that never let the gateway's
 * window overflow (a limiter that forgot what it had sent would). */
static void
test_pacing_change (void)
{
  const guint n = 12;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) log = NULL;
  guint before;
  Burst burst;
  Fx fx;

  fx_init (&fx, FALSE);
  ea_ibkr_gateway_set_pacing (fx.gw, 4, 200, 0, 1000);
  g_object_set (fx.broker, "pace-global", 4, "pace-window", 200, "pace-slow-window", 0, "max-pause-wait", 0,
                NULL);
  g_assert_true (connect_broker (EA_BROKER (fx.broker), &error));
  g_assert_no_error (error);
  sync_broker (EA_BROKER (fx.broker));
  before = ea_ibkr_gateway_count_requests (fx.gw, "");

  burst_start (EA_BROKER (fx.broker), &burst, n);
  /* Fewer per window, a longer window, and back, each mid-burst. */
  while (ea_ibkr_gateway_count_requests (fx.gw, "") < before + 6)
    g_main_context_iteration (NULL, TRUE);
  g_object_set (fx.broker, "pace-global", 2, NULL);
  while (ea_ibkr_gateway_count_requests (fx.gw, "") < before + 12)
    g_main_context_iteration (NULL, TRUE);
  g_object_set (fx.broker, "pace-window", 400, "pace-global", 4, NULL);
  while (ea_ibkr_gateway_count_requests (fx.gw, "") < before + 24)
    g_main_context_iteration (NULL, TRUE);
  g_object_set (fx.broker, "pace-window", 200, "pace-global", 4, NULL);
  while (burst.done < n)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (burst.failed, ==, 0);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (burst.seen[i], ==, 1);
  g_assert_cmpuint (ea_ibkr_gateway_count_429 (fx.gw), ==, 0);
  log = ea_ibkr_gateway_dup_request_log (fx.gw);
  g_assert_cmpuint (g_strv_length (log), >=, before);
  g_assert_cmpuint (log_count (log + before, "GET iserver/account/trades"), ==, n);
  g_assert_cmpuint (log_count (log + before, "GET portfolio/" ACCOUNT "/ledger"), ==, n);
  g_free (burst.seen);
  fx_clear (&fx);
}

/* Competing sessions and the daily re-login. */

static void
competing_cb (GObject *obj, GParamSpec *pspec, guint *n)
{
  (*n)++;
}

static void
test_competing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaOrderRequest) r = limit_request (ACCOUNT, "ES", "c-1", EA_SIDE_BUY, 1, 26000);
  GAsyncResult *res = NULL;
  guint changes = 0;
  Fx fx;

  fx_init (&fx, TRUE);
  g_signal_connect (fx.broker, "notify::competing", G_CALLBACK (competing_cb), &changes);
  ea_ibkr_gateway_set_competing (fx.gw, TRUE);
  while (changes < 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ea_ibkr_broker_get_competing (fx.broker));
  g_assert_true (has_notice (&fx, "competing: Another session"));

  /* Trading is paused: nothing reaches the gateway. */
  g_assert_null (place (EA_BROKER (fx.broker), r, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "paused"));
  g_clear_error (&error);
  g_assert_cmpuint (ea_ibkr_gateway_count_requests (fx.gw, "iserver/account/" ACCOUNT "/orders"), ==, 0);

  /* The user takes the session over. */
  ea_ibkr_broker_take_over_async (fx.broker, NULL, result_cb, &res);
  g_assert_true (ea_ibkr_broker_take_over_finish (fx.broker, wait_for (&res), &error));
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_false (ea_ibkr_broker_get_competing (fx.broker));
  g_free (place (EA_BROKER (fx.broker), r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ea_ibkr_gateway_count_working (fx.gw, ACCOUNT), ==, 1);
  fx_clear (&fx);
}

static void
test_session_expiry (void)
{
  g_autoptr(GError) error = NULL;
  Fx fx;

  fx_init (&fx, TRUE);
  ea_ibkr_gateway_expire_session (fx.gw);
  while (fx.login_url == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_str_has_prefix (fx.login_url, "https://127.0.0.1:"));
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (fx.broker)), ==, EA_CONNECTION_STATE_DISCONNECTED);
  g_assert_true (has_notice (&fx, "session-ended: The gateway's session ended: log in again at https://127.0.0.1:"));

  /* Attempts fail (ssodh/init cannot log in) until the user logs in. */
  while (ea_ibkr_gateway_count_requests (fx.gw, "iserver/auth/ssodh/init") < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (fx.broker)), !=, EA_CONNECTION_STATE_CONNECTED);
  ea_ibkr_gateway_browser_login (fx.gw);
  while (ea_broker_get_connection_state (EA_BROKER (fx.broker)) != EA_CONNECTION_STATE_CONNECTED)
    g_main_context_iteration (NULL, TRUE);
  {
    g_autoptr(EaSnapshotData) s = snapshot (EA_BROKER (fx.broker), &error);

    g_assert_no_error (error);
  }
  fx_clear (&fx);
}

static void
test_tickle (void)
{
  Fx fx;
  guint at_connect;

  fx_init (&fx, TRUE);
  at_connect = ea_ibkr_gateway_count_requests (fx.gw, "tickle");
  g_assert_cmpuint (at_connect, ==, 1);
  g_object_set (fx.broker, "tickle-interval", 20, NULL);
  while (ea_ibkr_gateway_count_requests (fx.gw, "tickle") < at_connect + 3)
    g_main_context_iteration (NULL, TRUE);
  fx_clear (&fx);
}

/* smd subscriptions end after 10 minutes: the adapter re-subscribes. */

static void
test_smd_resubscribe (void)
{
  g_autoptr(GError) error = NULL;
  gint64 conid;
  const EaQuoteData *q;
  guint n;
  Fx fx;

  fx_init (&fx, TRUE);
  conid = ea_ibkr_gateway_get_conid (fx.gw, "ES");
  g_assert_cmpint (conid, >, 0);
  g_assert_true (subscribe (EA_BROKER (fx.broker), "ES", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ea_ibkr_gateway_count_smd_subscriptions (fx.gw, conid), ==, 1);
  ea_ibkr_gateway_set_quote (fx.gw, "ES", 27200, 27201, 5, 6);
  sync_broker (EA_BROKER (fx.broker));
  q = g_ptr_array_index (fx.quotes, fx.quotes->len - 1);
  g_assert_cmpint (q->bid, ==, 27200);
  g_assert_cmpint (q->ask_size, ==, 6);

  /* Expired: the gateway sends nothing more. */
  ea_ibkr_gateway_expire_smd (fx.gw);
  n = fx.quotes->len;
  ea_ibkr_gateway_set_quote (fx.gw, "ES", 27201, 27202, 5, 6);
  sync_broker (EA_BROKER (fx.broker));
  g_assert_cmpuint (fx.quotes->len, ==, n);

  /* Re-subscribed before expiry: quotes flow again. */
  g_object_set (fx.broker, "smd-resubscribe-interval", 20, NULL);
  while (ea_ibkr_gateway_count_smd_subscriptions (fx.gw, conid) < 2)
    g_main_context_iteration (NULL, TRUE);
  ea_ibkr_gateway_set_quote (fx.gw, "ES", 27204, 27205, 9, 9);
  sync_broker (EA_BROKER (fx.broker));
  q = g_ptr_array_index (fx.quotes, fx.quotes->len - 1);
  g_assert_cmpint (q->bid, ==, 27204);
  g_assert_cmpint (q->bid_size, ==, 9);
  fx_clear (&fx);
}

/* The emergency stop: every account flat, nothing working, confirmed by
 * the gateway's own books. */

static void
test_emergency_stop (void)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  struct { const char *account, *symbol, *cid; EaSide side; gint64 qty; } fills[] = {
    { ACCOUNT, "ES", "e-1", EA_SIDE_BUY, 2 },
    { ACCOUNT, "NQ", "e-2", EA_SIDE_SELL, 1 },
    { ACCOUNT2, "ES", "e-3", EA_SIDE_SELL, 3 },
  };
  Fx fx;

  fx_init (&fx, TRUE);
  ea_ibkr_gateway_set_quote (fx.gw, "ES", 27200, 27201, 50, 50);
  ea_ibkr_gateway_set_quote (fx.gw, "NQ", 100000, 100001, 50, 50);
  for (guint i = 0; i < G_N_ELEMENTS (fills); i++)
    {
      g_autoptr(EaOrderRequest) r = ea_order_request_new (fills[i].account, fills[i].symbol, fills[i].cid,
                                                          fills[i].side, EA_ORDER_TYPE_MARKET, fills[i].qty);
      g_autoptr(EaOrderRequest) w = limit_request (fills[i].account, fills[i].symbol, NULL,
                                                   EA_SIDE_BUY, 1,
                                                   g_str_equal (fills[i].symbol, "ES") ? 26000 : 90000);

      g_free (place (EA_BROKER (fx.broker), r, &error));
      g_assert_no_error (error);
      w->client_order_id = g_strconcat (fills[i].cid, "-w", NULL);
      g_free (place (EA_BROKER (fx.broker), w, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (ea_ibkr_gateway_get_position (fx.gw, ACCOUNT, "ES"), ==, 2);
  g_assert_cmpint (ea_ibkr_gateway_get_position (fx.gw, ACCOUNT, "NQ"), ==, -1);
  g_assert_cmpint (ea_ibkr_gateway_get_position (fx.gw, ACCOUNT2, "ES"), ==, -3);
  g_assert_cmpuint (ea_ibkr_gateway_count_working (fx.gw, ACCOUNT), ==, 2);
  g_assert_cmpuint (ea_ibkr_gateway_count_working (fx.gw, ACCOUNT2), ==, 1);

  ea_broker_flatten_async (EA_BROKER (fx.broker), NULL, NULL, NULL, result_cb, &res);
  g_assert_true (ea_broker_flatten_finish (EA_BROKER (fx.broker), wait_for (&res), &error));
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_cmpint (ea_ibkr_gateway_get_position (fx.gw, ACCOUNT, "ES"), ==, 0);
  g_assert_cmpint (ea_ibkr_gateway_get_position (fx.gw, ACCOUNT, "NQ"), ==, 0);
  g_assert_cmpint (ea_ibkr_gateway_get_position (fx.gw, ACCOUNT2, "ES"), ==, 0);
  g_assert_cmpuint (ea_ibkr_gateway_count_working (fx.gw, ACCOUNT), ==, 0);
  g_assert_cmpuint (ea_ibkr_gateway_count_working (fx.gw, ACCOUNT2), ==, 0);
  fx_clear (&fx);
}

/* Garbage from the gateway never crashes and never confirms an order. */

static void
test_malformed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaOrderRequest) r = limit_request (ACCOUNT, "ES", "m-1", EA_SIDE_BUY, 1, 26000);
  Fx fx;

  fx_init (&fx, TRUE);
  g_assert_true (subscribe (EA_BROKER (fx.broker), "ES", &error));
  ea_ibkr_gateway_inject (fx.gw, EA_IBKR_FAULT_MALFORMED_FRAME, 6);
  sync_broker (EA_BROKER (fx.broker));
  g_assert_cmpuint (ea_ibkr_broker_get_dropped_messages (fx.broker), >=, 5);
  g_assert_cmpint (ea_broker_get_connection_state (EA_BROKER (fx.broker)), ==, EA_CONNECTION_STATE_CONNECTED);

  ea_ibkr_gateway_inject (fx.gw, EA_IBKR_FAULT_MALFORMED_BODY, 1);
  {
    g_autoptr(EaSnapshotData) s = snapshot (EA_BROKER (fx.broker), &error);

    g_assert_null (s);
    g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED);
    g_clear_error (&error);
  }
  /* A placement answered with garbage or a 500 has an unknown outcome. */
  ea_ibkr_gateway_inject (fx.gw, EA_IBKR_FAULT_SERVER_ERROR, 1);
  g_assert_null (place (EA_BROKER (fx.broker), r, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_UNKNOWN_OUTCOME);
  g_clear_error (&error);

  /* Bad requests are refused before the wire. */
  r->qty = -1;
  g_assert_null (place (EA_BROKER (fx.broker), r, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  r->qty = 1;
  g_free (r->symbol);
  r->symbol = g_strdup ("ESQ6");   /* not a listed ES month */
  g_assert_null (place (EA_BROKER (fx.broker), r, &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (subscribe (EA_BROKER (fx.broker), "ZZZZ", &error));
  g_assert_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autoptr(EaSnapshotData) s = snapshot (EA_BROKER (fx.broker), &error);

    g_assert_no_error (error);
    g_assert_cmpuint (s->orders->len, ==, 0);
  }
  fx_clear (&fx);
}

/* The app's configuration comes from GSettings. */
static void
test_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.enigmaapex.EnigmaApex");
  g_autoptr(EaIbkrBroker) b = NULL;
  g_autofree char *url = NULL, *fp = NULL, *account = NULL;

  b = ea_ibkr_broker_new_from_settings (settings);
  g_object_get (b, "url", &url, "pinned-fingerprint", &fp, "account", &account, NULL);
  g_assert_cmpstr (url, ==, "https://localhost:5000/v1/api");
  g_assert_null (fp);
  g_assert_null (account);
  g_clear_object (&b);
  g_clear_pointer (&url, g_free);

  g_settings_set_string (settings, "ibkr-gateway-url", "https://127.0.0.1:5001/v1/api/");
  g_settings_set_string (settings, "ibkr-pinned-fingerprint", "ab:cd");
  g_settings_set_string (settings, "ibkr-account", "DU42");
  b = ea_ibkr_broker_new_from_settings (settings);
  g_object_get (b, "url", &url, "pinned-fingerprint", &fp, "account", &account, NULL);
  g_assert_cmpstr (url, ==, "https://127.0.0.1:5001/v1/api");
  g_assert_cmpstr (fp, ==, "ab:cd");
  g_assert_cmpstr (account, ==, "DU42");
  {
    g_autofree char *login = ea_ibkr_broker_get_login_url (b);

    g_assert_cmpstr (login, ==, "https://127.0.0.1:5001/");
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ea_broker_conformance_add_tests (&ibkr_factory);
  g_test_add_func ("/broker/ibkr/settings", test_settings);
  g_test_add_func ("/broker/ibkr/pinning", test_pinning);
  g_test_add_func ("/broker/ibkr/questions", test_questions);
  g_test_add_func ("/broker/ibkr/pacing", test_pacing);
  g_test_add_func ("/broker/ibkr/pacing-priority", test_pacing_priority);
  g_test_add_func ("/broker/ibkr/pacing-change", test_pacing_change);
  g_test_add_func ("/broker/ibkr/competing", test_competing);
  g_test_add_func ("/broker/ibkr/session-expiry", test_session_expiry);
  g_test_add_func ("/broker/ibkr/tickle", test_tickle);
  g_test_add_func ("/broker/ibkr/smd-resubscribe", test_smd_resubscribe);
  g_test_add_func ("/broker/ibkr/emergency-stop", test_emergency_stop);
  g_test_add_func ("/broker/ibkr/malformed", test_malformed);
  return g_test_run ();
}
