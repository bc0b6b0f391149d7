/* ea-ibkr-broker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The IBKR adapter's object: configuration, signals, the fingerprint probe
 * of the setup assistant and the session take-over. The connection is in
 * ea-ibkr-broker-session.c, the streams in -streams.c, requests in
 * -orders.c and bulk operations in -recon.c.
 */
#define G_LOG_DOMAIN "ea-ibkr-broker"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "ea-ibkr-broker-private.h"


G_DEFINE_FINAL_TYPE_WITH_CODE (EaIbkrBroker, ea_ibkr_broker, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (EA_TYPE_BROKER, _ea_ibkr_broker_iface_init))

enum
{
  PROP_0,
  PROP_URL,
  PROP_PINNED_FINGERPRINT,
  PROP_ACCOUNT,
  PROP_AUTO_CONFIRM,
  PROP_SUPPRESSED_MESSAGE_IDS,
  PROP_TICKLE_INTERVAL,
  PROP_SMD_RESUBSCRIBE_INTERVAL,
  PROP_RECONNECT_DELAY,
  PROP_SETTLE_TIMEOUT,
  PROP_PENALTY,
  PROP_MAX_PAUSE_WAIT,
  PROP_PACING,
  PROP_PACE_GLOBAL,
  PROP_PACE_WINDOW,
  PROP_PACE_SLOW_WINDOW,
  PROP_POSITIONS_PAGE_SIZE,
  PROP_COMPETING,
  PROP_PAUSED_UNTIL,
  N_PROPS
};

static GParamSpec *props[N_PROPS];
guint _ea_ibkr_signals[EA_IBKR_N_SIGNALS];

/* Endpoints limited to one request per 5 s (PROTOCOLS §2.1). */
static const char *const slow_paths[] = {
  "iserver/account/orders", "iserver/account/trades", "iserver/account/pnl/partitioned",
  "portfolio/accounts", "portfolio/subaccounts",
};

/* Fingerprint probe and session take-over. */

static void
probe_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  const char *fp = g_object_get_data (G_OBJECT (msg), "ea-peer-fingerprint");
  GTlsCertificate *peer = soup_message_get_tls_peer_certificate (msg);

  if (fp != NULL)
    g_task_return_pointer (task, g_strdup (fp), g_free);
  else if (peer != NULL)
    g_task_return_pointer (task, ea_tls_certificate_fingerprint (peer), g_free);
  else
    g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED,
                             "No certificate from the gateway: %s",
                             error ? error->message : "it does not use TLS");
}

void
ea_ibkr_broker_fetch_fingerprint_async (EaIbkrBroker        *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  SoupMessage *msg = _ea_ibkr_new_message (self, "GET", "tickle", &error);

  if (msg == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, msg, g_object_unref);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable, probe_done_cb, task);
}

char *
ea_ibkr_broker_fetch_fingerprint_finish (EaIbkrBroker  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
take_over_preflight_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaIbkrBroker *self = EA_IBKR_BROKER (source);
  GError *error = NULL;
  g_autoptr(JsonNode) node = _ea_ibkr_request_finish (self, result, &error);

  if (node == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
take_over_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  EaIbkrBroker *self = EA_IBKR_BROKER (source);
  GError *error = NULL;
  g_autoptr(JsonNode) node = _ea_ibkr_request_finish (self, result, &error);
  EaIbkrAuthStatus st;

  if (node == NULL || !ea_ibkr_parse_auth_status (node, &st, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  _ea_ibkr_set_competing (self, st.competing);
  if (!st.authenticated || st.competing)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                               _("The gateway did not hand the session over: %s"),
                               st.message && *st.message ? st.message : "still competing");
      g_object_unref (task);
    }
  else
    {
      /* A new brokerage session: the pre-flights again. */
      self->orders_primed = FALSE;
      _ea_ibkr_request (self, "GET", "iserver/accounts", NULL, g_task_get_cancellable (task),
                        take_over_preflight_cb, task);
    }
  ea_ibkr_auth_status_clear (&st);
}

void
ea_ibkr_broker_take_over_async (EaIbkrBroker        *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  _ea_ibkr_request (self, "POST", "iserver/auth/ssodh/init",
                    _ea_ibkr_json_object_node ("publish", json_node_init_boolean (json_node_alloc (), TRUE),
                                               "compete", json_node_init_boolean (json_node_alloc (), TRUE), NULL),
                    cancellable, take_over_cb, task);
}

gboolean
ea_ibkr_broker_take_over_finish (EaIbkrBroker  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Object. */

/* Windows get a margin: requests leave on schedule but can arrive closer
 * together than they left. */
static gint64
margin (guint ms)
{
  return (gint64) ms * 1000 + (gint64) ms * 100 + 100000;
}

/* The limiter is changed in place, never replaced: what is in flight was
 * booked with it and still counts against the new limits, and what is
 * queued books its slot under them when it leaves. */
static void
apply_pacing (EaIbkrBroker *self)
{
  if (self->limiter == NULL)
    self->limiter = ea_rate_limiter_new ();
  ea_rate_limiter_add_rule (self->limiter, "", MAX (1, self->pace_global), margin (self->pace_window_ms));
  for (guint i = 0; i < G_N_ELEMENTS (slow_paths); i++)
    ea_rate_limiter_add_rule (self->limiter, slow_paths[i], 1,
                              self->pace_slow_window_ms ? margin (self->pace_slow_window_ms) : 0);
  ea_rate_limiter_add_rule (self->limiter, "tickle", 1, margin (MIN (1000, self->pace_window_ms)));
  if (!g_queue_is_empty (&self->urgent) || !g_queue_is_empty (&self->queued))
    _ea_ibkr_drain (self);
}

static void
ea_ibkr_broker_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EaIbkrBroker *self = EA_IBKR_BROKER (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_free (self->url);
      self->url = g_value_dup_string (value);
      if (self->url == NULL || *self->url == '\0')
        {
          g_free (self->url);
          self->url = g_strdup (EA_IBKR_DEFAULT_URL);
        }
      while (g_str_has_suffix (self->url, "/"))
        self->url[strlen (self->url) - 1] = '\0';
      break;
    case PROP_PINNED_FINGERPRINT:
      g_free (self->pinned);
      self->pinned = g_value_dup_string (value);
      break;
    case PROP_ACCOUNT:
      g_free (self->account);
      self->account = g_value_dup_string (value);
      if (self->account && *self->account == '\0')
        g_clear_pointer (&self->account, g_free);
      break;
    case PROP_AUTO_CONFIRM:
      self->auto_confirm = g_value_get_boolean (value);
      break;
    case PROP_SUPPRESSED_MESSAGE_IDS:
      g_strfreev (self->suppressed);
      self->suppressed = g_value_dup_boxed (value);
      break;
    case PROP_TICKLE_INTERVAL:
      self->tickle_ms = g_value_get_uint (value);
      if (self->tickle_source != 0)
        {
          g_source_remove (self->tickle_source);
          self->tickle_source = g_timeout_add (self->tickle_ms, _ea_ibkr_tickle_cb, self);
        }
      break;
    case PROP_SMD_RESUBSCRIBE_INTERVAL:
      self->smd_resubscribe_ms = g_value_get_uint (value);
      if (self->smd_source != 0)
        {
          g_source_remove (self->smd_source);
          self->smd_source = g_timeout_add (self->smd_resubscribe_ms, _ea_ibkr_smd_cb, self);
        }
      break;
    case PROP_RECONNECT_DELAY:
      self->reconnect_ms = g_value_get_uint (value);
      break;
    case PROP_SETTLE_TIMEOUT:
      self->settle_ms = g_value_get_uint (value);
      break;
    case PROP_PENALTY:
      self->penalty_ms = g_value_get_uint (value);
      break;
    case PROP_MAX_PAUSE_WAIT:
      self->max_pause_wait_ms = g_value_get_uint (value);
      break;
    case PROP_PACING:
      self->pacing = g_value_get_boolean (value);
      if (!g_queue_is_empty (&self->urgent) || !g_queue_is_empty (&self->queued))
        _ea_ibkr_drain (self);
      break;
    case PROP_PACE_GLOBAL:
      self->pace_global = g_value_get_uint (value);
      apply_pacing (self);
      break;
    case PROP_PACE_WINDOW:
      self->pace_window_ms = g_value_get_uint (value);
      apply_pacing (self);
      break;
    case PROP_PACE_SLOW_WINDOW:
      self->pace_slow_window_ms = g_value_get_uint (value);
      apply_pacing (self);
      break;
    case PROP_POSITIONS_PAGE_SIZE:
      self->positions_page_size = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_ibkr_broker_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EaIbkrBroker *self = EA_IBKR_BROKER (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_PINNED_FINGERPRINT:
      g_value_set_string (value, self->pinned);
      break;
    case PROP_ACCOUNT:
      g_value_set_string (value, self->account);
      break;
    case PROP_AUTO_CONFIRM:
      g_value_set_boolean (value, self->auto_confirm);
      break;
    case PROP_SUPPRESSED_MESSAGE_IDS:
      g_value_set_boxed (value, self->suppressed);
      break;
    case PROP_TICKLE_INTERVAL:
      g_value_set_uint (value, self->tickle_ms);
      break;
    case PROP_SMD_RESUBSCRIBE_INTERVAL:
      g_value_set_uint (value, self->smd_resubscribe_ms);
      break;
    case PROP_RECONNECT_DELAY:
      g_value_set_uint (value, self->reconnect_ms);
      break;
    case PROP_SETTLE_TIMEOUT:
      g_value_set_uint (value, self->settle_ms);
      break;
    case PROP_PENALTY:
      g_value_set_uint (value, self->penalty_ms);
      break;
    case PROP_MAX_PAUSE_WAIT:
      g_value_set_uint (value, self->max_pause_wait_ms);
      break;
    case PROP_PACING:
      g_value_set_boolean (value, self->pacing);
      break;
    case PROP_PACE_GLOBAL:
      g_value_set_uint (value, self->pace_global);
      break;
    case PROP_PACE_WINDOW:
      g_value_set_uint (value, self->pace_window_ms);
      break;
    case PROP_PACE_SLOW_WINDOW:
      g_value_set_uint (value, self->pace_slow_window_ms);
      break;
    case PROP_POSITIONS_PAGE_SIZE:
      g_value_set_uint (value, self->positions_page_size);
      break;
    case PROP_COMPETING:
      g_value_set_boolean (value, self->competing);
      break;
    case PROP_PAUSED_UNTIL:
      g_value_set_int64 (value, self->paused_until);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_ibkr_broker_dispose (GObject *object)
{
  EaIbkrBroker *self = EA_IBKR_BROKER (object);

  self->wanted = FALSE;
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  g_clear_handle_id (&self->pause_source, g_source_remove);
  g_clear_handle_id (&self->drain_source, g_source_remove);
  if (self->cancellable)
    _ea_ibkr_teardown (self);
  g_clear_object (&self->cancellable);
  if (self->session)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (ea_ibkr_broker_parent_class)->dispose (object);
}

static void
ea_ibkr_broker_finalize (GObject *object)
{
  EaIbkrBroker *self = EA_IBKR_BROKER (object);

  g_free (self->url);
  g_free (self->pinned);
  g_free (self->account);
  g_strfreev (self->suppressed);
  g_free (self->ws_session);
  g_free (self->peer_fingerprint);
  g_free (self->tls_problem);
  ea_rate_limiter_free (self->limiter);
  g_strfreev (self->accounts);
  g_free (self->selected);
  g_hash_table_unref (self->contracts);
  g_hash_table_unref (self->by_conid);
  g_hash_table_unref (self->orders);
  g_hash_table_unref (self->executions);
  g_hash_table_unref (self->positions);
  g_hash_table_unref (self->questions);
  g_hash_table_unref (self->ledgers);
  G_OBJECT_CLASS (ea_ibkr_broker_parent_class)->finalize (object);
}

static void
ea_ibkr_broker_class_init (EaIbkrBrokerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
  GParamFlags rwc = rw | G_PARAM_CONSTRUCT;

  object_class->set_property = ea_ibkr_broker_set_property;
  object_class->get_property = ea_ibkr_broker_get_property;
  object_class->dispose = ea_ibkr_broker_dispose;
  object_class->finalize = ea_ibkr_broker_finalize;

  props[PROP_URL] = g_param_spec_string ("url", NULL, NULL, EA_IBKR_DEFAULT_URL, rwc);
  props[PROP_PINNED_FINGERPRINT] = g_param_spec_string ("pinned-fingerprint", NULL, NULL, NULL, rwc);
  props[PROP_ACCOUNT] = g_param_spec_string ("account", NULL, NULL, NULL, rwc);
  props[PROP_AUTO_CONFIRM] = g_param_spec_boolean ("auto-confirm", NULL, NULL, FALSE, rwc);
  props[PROP_SUPPRESSED_MESSAGE_IDS] = g_param_spec_boxed ("suppressed-message-ids", NULL, NULL,
                                                           G_TYPE_STRV, rw);
  props[PROP_TICKLE_INTERVAL] = g_param_spec_uint ("tickle-interval", NULL, NULL, 10, 600000, 60000, rwc);
  props[PROP_SMD_RESUBSCRIBE_INTERVAL] = g_param_spec_uint ("smd-resubscribe-interval", NULL, NULL,
                                                            10, 600000, 540000, rwc);
  props[PROP_RECONNECT_DELAY] = g_param_spec_uint ("reconnect-delay", NULL, NULL, 1, 600000, 1000, rwc);
  props[PROP_SETTLE_TIMEOUT] = g_param_spec_uint ("settle-timeout", NULL, NULL, 1, 60000, 3000, rwc);
  props[PROP_PENALTY] = g_param_spec_uint ("penalty", NULL, NULL, 1, 3600000, 15 * 60 * 1000, rwc);
  props[PROP_MAX_PAUSE_WAIT] = g_param_spec_uint ("max-pause-wait", NULL, NULL, 0, 60000, 2000, rwc);
  props[PROP_PACING] = g_param_spec_boolean ("pacing", NULL, NULL, TRUE, rwc);
  props[PROP_PACE_GLOBAL] = g_param_spec_uint ("pace-global", NULL, NULL, 1, 1000, 10, rwc);
  props[PROP_PACE_WINDOW] = g_param_spec_uint ("pace-window", NULL, NULL, 1, 60000, 1000, rwc);
  props[PROP_PACE_SLOW_WINDOW] = g_param_spec_uint ("pace-slow-window", NULL, NULL, 0, 60000, 5000, rwc);
  /* The gateway pages positions at 100: a full page means more may follow. */
  props[PROP_POSITIONS_PAGE_SIZE] = g_param_spec_uint ("positions-page-size", NULL, NULL, 1, 10000, 100, rwc);
  props[PROP_COMPETING] = g_param_spec_boolean ("competing", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_PAUSED_UNTIL] = g_param_spec_int64 ("paused-until", NULL, NULL, 0, G_MAXINT64, 0,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  _ea_ibkr_signals[EA_IBKR_SIGNAL_QUESTION] =
    g_signal_new ("question", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRV);
  _ea_ibkr_signals[EA_IBKR_SIGNAL_QUESTION_WITHDRAWN] =
    g_signal_new ("question-withdrawn", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  _ea_ibkr_signals[EA_IBKR_SIGNAL_NOTICE] =
    g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  _ea_ibkr_signals[EA_IBKR_SIGNAL_LOGIN_REQUIRED] =
    g_signal_new ("login-required", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ea_ibkr_broker_init (EaIbkrBroker *self)
{
  self->session = soup_session_new_with_options ("timeout", 30, "idle-timeout", 60, NULL);
  self->cancellable = g_cancellable_new ();
  self->state = EA_CONNECTION_STATE_DISCONNECTED;
  self->latency_us = -1;
  self->positions_page_size = 100;
  self->pace_global = 10;
  self->pace_window_ms = 1000;
  self->pace_slow_window_ms = 5000;
  g_queue_init (&self->sync_waiters);
  g_queue_init (&self->urgent);
  g_queue_init (&self->queued);
  apply_pacing (self);
  self->contracts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) _ea_ibkr_contract_free);
  self->by_conid = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) ea_ibkr_order_free);
  self->executions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) ea_position_data_free);
  self->questions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->ledgers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) ea_account_data_free);
}

EaIbkrBroker *
ea_ibkr_broker_new (const char *url,
                    const char *pinned_fingerprint,
                    const char *account)
{
  return g_object_new (EA_TYPE_IBKR_BROKER,
                       "url", url,
                       "pinned-fingerprint", pinned_fingerprint,
                       "account", account,
                       NULL);
}

EaIbkrBroker *
ea_ibkr_broker_new_from_settings (GSettings *settings)
{
  g_autofree char *url = g_settings_get_string (settings, "ibkr-gateway-url");
  g_autofree char *fp = g_settings_get_string (settings, "ibkr-pinned-fingerprint");
  g_autofree char *account = g_settings_get_string (settings, "ibkr-account");

  return ea_ibkr_broker_new (url, *fp ? fp : NULL, *account ? account : NULL);
}

gboolean
ea_ibkr_broker_get_competing (EaIbkrBroker *self)
{
  return self->competing;
}

gint64
ea_ibkr_broker_get_paused_until (EaIbkrBroker *self)
{
  return self->paused_until > g_get_monotonic_time () ? self->paused_until : 0;
}

guint
ea_ibkr_broker_get_dropped_messages (EaIbkrBroker *self)
{
  return self->dropped;
}
