/* ea-app-brokers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-app-brokers"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-alert.h"
#include "ea-app-brokers.h"
#include "ea-demo-accounts.h"
#include "ea-ibkr-prompts.h"
#include "ea-mode-gate.h"
#include "ea-platform.h"
#include "ea-session.h"
#include "ea-sim-broker.h"

typedef struct
{
  EaDesk           *desk;
  EaCredentials    *credentials;
  EaPlatformConfig *config;
  EaCredential     *credential;
  char             *environment;
  guint             pending;       /* brokers whose first attempt runs */
  GError           *error;         /* the first failure */
} StartData;

static EaTimeUs
demo_clock (gpointer user_data)
{
  return ea_sim_broker_get_time (EA_SIM_BROKER (user_data));
}

static void
start_data_free (StartData *data)
{
  g_clear_object (&data->desk);
  g_clear_object (&data->credentials);
  g_clear_pointer (&data->config, ea_platform_config_free);
  g_clear_pointer (&data->credential, ea_credential_free);
  g_free (data->environment);
  g_clear_error (&data->error);
  g_free (data);
}

static void
demo_always_open_changed_cb (GSettings   *settings,
                             const char  *key,
                             EaSimBroker *demo)
{
  ea_sim_exchange_set_always_open (ea_sim_broker_get_exchange (demo),
                                   g_settings_get_boolean (settings, "demo-always-open"));
}

/* The "24/7 demo" setting, now and whenever it changes. */
void
ea_app_brokers_apply_demo_settings (EaSimBroker *demo,
                                    GSettings   *settings)
{
  g_return_if_fail (EA_IS_SIM_BROKER (demo));
  g_return_if_fail (G_IS_SETTINGS (settings));

  demo_always_open_changed_cb (settings, "demo-always-open", demo);
  g_signal_connect_object (settings, "changed::demo-always-open",
                           G_CALLBACK (demo_always_open_changed_cb), demo, 0);
}

/* The demo-accounts setting: each valid entry becomes an account of the
 * exchange; every skipped one is said in an alert. Without any, the
 * built-in DEMO-1 keeps Demo mode usable. */
static void
create_demo_accounts (EaDesk      *desk,
                      EaSimBroker *demo,
                      GSettings   *settings)
{
  g_autoptr(GVariant) value = g_settings_get_value (settings, "demo-accounts");
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) accounts = NULL;
  EaProfileStore *profiles = ea_desk_get_profiles (desk);
  guint created = 0;

  if (profiles != NULL)
    accounts = ea_demo_accounts_parse (value, profiles, problems);
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      const EaDemoAccount *a = g_ptr_array_index (accounts, i);
      g_autoptr(GError) error = NULL;

      if (ea_sim_broker_add_account (demo, a->name, a->size, a->profile_id, &error))
        created++;
      else
        g_ptr_array_add (problems, g_strdup_printf (_("Demo account %s skipped: %s"), a->name, error->message));
    }
  if (created == 0)
    {
      ea_sim_broker_add_account (demo, EA_SIM_BROKER_DEFAULT_ACCOUNT, EA_SIM_BROKER_DEFAULT_SIZE,
                                 EA_SIM_BROKER_DEFAULT_PROFILE, NULL);
      g_ptr_array_add (problems, g_strdup_printf (_("No demo account could be created from the settings: "
                                                    "%s (50K, Apex legacy 50K) is used"),
                                                  EA_SIM_BROKER_DEFAULT_ACCOUNT));
    }

  for (guint i = 0; i < problems->len; i++)
    {
      const char *text = g_ptr_array_index (problems, i);
      g_autoptr(EaAlert) alert = ea_alert_new ("system_status", EA_ALERT_PRIORITY_HIGH,
                                               _("Demo accounts setting"), text, g_get_real_time ());

      g_message ("%s", text);
      ea_trading_store_add_alert (ea_desk_get_store (desk), alert);
    }
}

static void
watch_all_symbols (EaDesk *desk)
{
  guint n_specs = 0;
  const EaInstrumentSpec *specs = ea_instrument_all (&n_specs);

  for (guint i = 0; i < n_specs; i++)
    ea_desk_watch_symbol (desk, specs[i].root);
}

static void
demo_connected_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ea_broker_connect_finish (EA_BROKER (object), result, &error))
    g_message ("The Demo exchange did not start: %s", error->message);
}

/* ATI reports no balances: NinjaTrader accounts start at the starting
 * balance of their firm profile (the quick setup's choice for the first
 * account, else the default one, else the desk's), so the drawdown rules have a base. */
static gint64
nt_account_size (EaDesk                 *desk,
                 GSettings              *settings,
                 const EaPlatformConfig *config)
{
  g_auto(GStrv) accounts = g_strsplit (config->nt_account ? config->nt_account : "", ",", 2);
  g_autoptr(GVariant) chosen = g_settings_get_value (settings, "account-profiles");
  g_autofree char *default_id = g_settings_get_string (settings, "default-profile");
  const EaRiskProfile *profile = NULL;
  const char *id = NULL;

  if (accounts[0] != NULL && g_variant_lookup (chosen, g_strstrip (accounts[0]), "&s", &id))
    profile = ea_profile_store_lookup (ea_desk_get_profiles (desk), id);
  if (profile == NULL)
    /* Empty: the desk's own default profile. */
    profile = ea_profile_store_lookup (ea_desk_get_profiles (desk),
                                       default_id[0] != '\0' ? default_id : "apex-legacy-50k");
  return profile != NULL ? profile->start_balance : 0;
}

/* The Demo generator as a quote feed only: its account is not the
 * desk's. */
static void
start_quote_feed (EaDesk *desk)
{
  g_autoptr(EaSimBroker) feed = ea_sim_broker_new ((guint64) g_get_real_time (),
                                                   ea_session_practice_start_us (g_get_real_time ()));

  watch_all_symbols (desk);
  ea_desk_add_quote_feed (desk, EA_BROKER (feed));
  ea_sim_broker_set_realtime (feed, TRUE);
  ea_broker_connect_async (EA_BROKER (feed), NULL, demo_connected_cb, NULL);
}

/* One broker is done with its first attempt (or could not be made). */
static void
step_done (GTask        *task,
           const GError *error)
{
  StartData *data = g_task_get_task_data (task);

  if (error != NULL)
    {
      /* Never a secret in there: the keyring and broker errors carry none. */
      g_message ("A broker did not start: %s", error->message);
      if (data->error == NULL)
        data->error = g_error_copy (error);
    }

  if (--data->pending > 0)
    return;
  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
broker_connected_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  /* A failed first attempt is retried by the broker itself. */
  ea_broker_connect_finish (EA_BROKER (object), result, &error);
  step_done (task, error);
}

static void
add_and_connect (GTask    *task,
                 EaBroker *broker)
{
  StartData *data = g_task_get_task_data (task);

  watch_all_symbols (data->desk);
  ea_desk_add_broker (data->desk, broker);
  ea_broker_connect_async (broker, g_task_get_cancellable (task), broker_connected_cb, task);
}

static void
device_id_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  StartData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *device_id = ea_credentials_get_device_id_finish (EA_CREDENTIALS (object), result, &error);
  g_autoptr(EaBroker) broker = NULL;

  if (device_id == NULL)
    {
      step_done (task, error);
      return;
    }

  broker = ea_platform_new_tradovate (data->config, data->credential, device_id);
  add_and_connect (task, broker);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  StartData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->credential = ea_credentials_lookup_finish (EA_CREDENTIALS (object), result, &error);
  if (data->credential == NULL)
    {
      step_done (task, error);
      return;
    }

  ea_credentials_get_device_id_async (data->credentials, g_task_get_cancellable (task), device_id_cb, task);
}

static void
start_tradovate (GTask *task)
{
  StartData *data = g_task_get_task_data (task);
  EaPlatformConfig *config = data->config;

  /* The saved addresses belong to the saved environment; another
   * environment uses its official addresses. */
  if (g_strcmp0 (config->tradovate_environment, data->environment) != 0)
    {
      const char *rest, *ws, *md;

      ea_platform_tradovate_urls (data->environment, &rest, &ws, &md);
      g_free (config->tradovate_rest_url);
      g_free (config->tradovate_ws_url);
      g_free (config->tradovate_md_url);
      config->tradovate_rest_url = g_strdup (rest);
      config->tradovate_ws_url = g_strdup (ws);
      config->tradovate_md_url = g_strdup (md);
      g_free (config->tradovate_environment);
      config->tradovate_environment = g_strdup (data->environment);
    }

  ea_credentials_lookup_async (data->credentials, EA_CREDENTIAL_BROKER_TRADOVATE, data->environment,
                               config->tradovate_user, g_task_get_cancellable (task), lookup_cb, task);
}

/* The quick setup's risk choices --------------------------------------------- */

guint
ea_app_brokers_safety_pct (GSettings *settings)
{
  static const guint presets[] = { 50, 70, 90 };
  guint ratio = (guint) g_settings_get_enum (settings, "safety-ratio");

  if (ratio < G_N_ELEMENTS (presets))
    return presets[ratio];
  return g_settings_get_uint (settings, "safety-custom-pct");
}

guint
ea_app_brokers_account_safety_pct (GSettings  *settings,
                                   const char *account)
{
  g_autoptr(GVariant) own = g_settings_get_value (settings, "account-safety");
  guint32 pct = 0;

  if (account != NULL && g_variant_lookup (own, account, "u", &pct) && pct >= 1 && pct <= 100)
    return pct;
  return ea_app_brokers_safety_pct (settings);
}

static void
apply_account_risk (EaDesk    *desk,
                    GSettings *settings,
                    GObject   *account)
{
  GHashTable *done = g_object_get_data (G_OBJECT (desk), "ea-app-brokers-risk-applied");
  g_autofree char *name = NULL;
  g_autofree char *hint = NULL;
  g_autofree char *default_id = g_settings_get_string (settings, "default-profile");
  const EaRiskProfile *profile = NULL;
  g_autoptr(GError) error = NULL;

  g_object_get (account, "name", &name, "profile", &hint, NULL);
  if (name == NULL || g_hash_table_contains (done, name))
    return;

  /* The account's own choice in the quick setup first; then the profile
   * its broker names; then the default one of the quick setup. Each gets
   * its own safety ratio, else the global one. */
  {
    g_autoptr(GVariant) chosen = g_settings_get_value (settings, "account-profiles");
    const char *id = NULL;

    if (g_variant_lookup (chosen, name, "&s", &id))
      profile = ea_profile_store_lookup (ea_desk_get_profiles (desk), id);
  }
  if (profile == NULL && hint != NULL)
    {
      g_autofree char *id = g_ascii_strdown (hint, -1);

      g_strdelimit (id, " ", '-');
      profile = ea_profile_store_lookup (ea_desk_get_profiles (desk), id);
    }
  if (profile == NULL && default_id[0] != '\0')
    profile = ea_profile_store_lookup (ea_desk_get_profiles (desk), default_id);
  if (profile == NULL)
    return;

  if (!ea_desk_set_account_profile (desk, name, profile, ea_app_brokers_account_safety_pct (settings, name), &error))
    {
      /* Not set up by the desk yet: again at the next change. */
      if (g_error_matches (error, EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_ACCOUNT))
        return;
      g_message ("The risk settings of %s are not applied: %s", name, error->message);
    }
  g_hash_table_add (done, g_strdup (name));
}

static gboolean
apply_pending_cb (gpointer user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(EaDesk) desk = g_weak_ref_get (ref);
  GListModel *accounts;
  GSettings *settings;

  if (desk == NULL)
    return G_SOURCE_REMOVE;

  g_object_set_data (G_OBJECT (desk), "ea-app-brokers-idle", NULL);
  settings = g_object_get_data (G_OBJECT (desk), "ea-app-brokers-settings");
  accounts = ea_trading_store_get_accounts (ea_desk_get_store (desk));
  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(GObject) account = g_list_model_get_item (accounts, i);

      apply_account_risk (desk, settings, account);
    }
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

/* The store learns of an account before the desk has set it up: the
 * profile is applied once the current dispatch is over. */
static void
accounts_changed_cb (GListModel *accounts,
                     guint       position,
                     guint       removed,
                     guint       added,
                     EaDesk     *desk)
{
  GWeakRef *ref;

  if (added == 0 || g_object_get_data (G_OBJECT (desk), "ea-app-brokers-idle") != NULL)
    return;

  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, desk);
  g_object_set_data (G_OBJECT (desk), "ea-app-brokers-idle", GUINT_TO_POINTER (1));
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, apply_pending_cb, ref, (GDestroyNotify) weak_ref_free);
}

/* Applies the profile and safety ratio of the settings to every account of
 * @desk, now and as accounts arrive. */
static void
apply_risk_settings (EaDesk    *desk,
                     GSettings *settings)
{
  GListModel *accounts = ea_trading_store_get_accounts (ea_desk_get_store (desk));
  g_autofree char *default_id = g_settings_get_string (settings, "default-profile");

  if (default_id[0] != '\0')
    ea_desk_set_default_profile (desk, default_id);
  if (g_object_get_data (G_OBJECT (desk), "ea-app-brokers-settings") != NULL)
    return;

  g_object_set_data_full (G_OBJECT (desk), "ea-app-brokers-settings", g_object_ref (settings), g_object_unref);
  g_object_set_data_full (G_OBJECT (desk), "ea-app-brokers-risk-applied",
                          g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
                          (GDestroyNotify) g_hash_table_unref);
  g_signal_connect_object (accounts, "items-changed", G_CALLBACK (accounts_changed_cb), desk, 0);
  accounts_changed_cb (accounts, 0, 0, g_list_model_get_n_items (accounts), desk);
}

EaSimBroker *
ea_app_brokers_start (EaDesk              *desk,
                      GSettings           *settings,
                      EaCredentials       *credentials,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  EaMode mode;
  GTask *task;
  StartData *data;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (EA_IS_DESK (desk), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  mode = ea_desk_get_mode (desk);
  apply_risk_settings (desk, settings);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ea_app_brokers_start);

  if (mode == EA_MODE_DEMO)
    {
      EaSimBroker *demo;

      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      if (g_getenv ("EA_NO_DEMO_EXCHANGE") != NULL)
        return NULL;

      /* The practice market keeps its own clock (a weekend replays the
       * last session's hours) and the firm's time rules follow it. */
      demo = ea_sim_broker_new_empty ((guint64) g_get_real_time (),
                                      ea_session_practice_start_us (g_get_real_time ()));
      create_demo_accounts (desk, demo, settings);
      ea_app_brokers_apply_demo_settings (demo, settings);
      ea_desk_set_clock (desk, demo_clock, g_object_ref (demo), g_object_unref);
      watch_all_symbols (desk);
      ea_desk_add_broker (desk, EA_BROKER (demo));
      ea_sim_broker_set_realtime (demo, TRUE);
      ea_broker_connect_async (EA_BROKER (demo), NULL, demo_connected_cb, NULL);
      return demo;
    }

  data = g_new0 (StartData, 1);
  data->desk = g_object_ref (desk);
  data->credentials = credentials != NULL ? g_object_ref (credentials) : ea_credentials_new ();
  data->config = ea_platform_config_new ();
  ea_platform_config_load (data->config, settings);
  data->environment = g_strdup (ea_mode_gate_environment (mode, "tradovate"));
  g_task_set_task_data (task, data, (GDestroyNotify) start_data_free);

  for (guint i = 0; i < EA_N_PLATFORMS; i++)
    if (data->config->enabled[i] && !ea_platform_has_adapter ((EaPlatform) i))
      g_message ("%s is configured but its adapter is not available in this build",
                 ea_platform_get_title ((EaPlatform) i));

  /* One step for this function itself, so that nothing completes early. */
  data->pending = 1;
  if (data->config->enabled[EA_PLATFORM_TRADOVATE])
    {
      data->pending++;
      start_tradovate (task);
    }
  if (data->config->enabled[EA_PLATFORM_IBKR])
    {
      g_autoptr(EaBroker) ibkr = ea_platform_new_ibkr (data->config);

      /* Its order questions and login requests go to the user. */
      ea_ibkr_prompts_attach (EA_IBKR_BROKER (ibkr), settings);
      ea_ibkr_prompts_attach_desk (EA_IBKR_BROKER (ibkr), desk);
      data->pending++;
      add_and_connect (task, ibkr);
    }
  if (data->config->enabled[EA_PLATFORM_NINJATRADER])
    {
      g_autoptr(EaBroker) nt = ea_platform_new_ninjatrader (data->config, settings);

      g_object_set (nt, "account-size", nt_account_size (desk, settings, data->config), NULL);
      data->pending++;
      add_and_connect (task, nt);
      /* ATI carries no market data. In Test mode, without another
       * platform to price its symbols, the Demo generator does. */
      if (mode == EA_MODE_TEST && !data->config->enabled[EA_PLATFORM_TRADOVATE] &&
          !data->config->enabled[EA_PLATFORM_IBKR])
        start_quote_feed (desk);
    }
  if (data->pending == 1)
    error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         _("%s mode needs a broker: none with an adapter in this build is configured"),
                         mode == EA_MODE_TEST ? _("Test") : _("Live"));
  step_done (task, error);
  return NULL;
}

gboolean
ea_app_brokers_start_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
