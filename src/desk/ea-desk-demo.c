/* ea-desk-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk's demo accounts: adding one to the embedded exchange and
 * resetting one, with its risk record, through the desk so that both are
 * audited and the model follows at once.
 */
#define G_LOG_DOMAIN "ea-desk"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-alert.h"
#include "ea-demo-accounts.h"
#include "ea-desk-private.h"
#include "ea-sim-broker.h"

static EaSimBroker *
demo_broker (EaDesk *self)
{
  for (guint i = 0; i < self->brokers->len; i++)
    {
      EaBroker *broker = g_ptr_array_index (self->brokers, i);

      if (EA_IS_SIM_BROKER (broker))
        return EA_SIM_BROKER (broker);
    }
  return NULL;
}

/**
 * ea_desk_add_demo_account:
 * @name: the account's name, unique on the desk
 * @size: its starting balance, the profile's
 * @profile_id: a firm profile of ea_desk_get_profiles()
 */
gboolean
ea_desk_add_demo_account (EaDesk      *self,
                          const char  *name,
                          EaMicros     size,
                          const char  *profile_id,
                          GError     **error)
{
  EaSimBroker *sim;

  g_return_val_if_fail (EA_IS_DESK (self), FALSE);

  sim = demo_broker (self);
  if (sim == NULL)
    {
      g_set_error_literal (error, EA_DESK_ERROR, EA_DESK_ERROR_NOT_DEMO,
                           _("Demo accounts live on the Demo exchange, which this mode does not run"));
      return FALSE;
    }
  if (self->profiles == NULL)
    {
      g_set_error_literal (error, EA_DESK_ERROR, EA_DESK_ERROR_DENIED,
                           _("The firm profiles could not be loaded"));
      return FALSE;
    }
  if (!ea_demo_account_validate (name, size, profile_id, self->profiles, error))
    return FALSE;
  if (_ea_desk_account (self, name) != NULL)
    {
      g_set_error (error, EA_DEMO_ACCOUNTS_ERROR, EA_DEMO_ACCOUNTS_ERROR_EXISTS,
                   _("An account named %s exists already"), name);
      return FALSE;
    }

  /* The exchange enforces its own limit of accounts: its error is the
   * answer. While connected it reports the account at once, and the desk
   * sets it up (account-changed); otherwise at the next connection. */
  if (!ea_sim_broker_add_account (sim, name, size, profile_id, error))
    return FALSE;

  {
    g_autofree char *details = g_strdup_printf ("{\"size\":%" G_GINT64_FORMAT ",\"profile\":\"%s\"}",
                                                size, profile_id);

    _ea_desk_audit (self, EA_ACTOR_USER, "account.demo-added", name, details);
  }
  return TRUE;
}

gboolean
ea_desk_is_demo_account (EaDesk     *self,
                         const char *account)
{
  DeskAccount *a;

  g_return_val_if_fail (EA_IS_DESK (self), FALSE);

  a = _ea_desk_account (self, account);
  return a != NULL && EA_IS_SIM_BROKER (a->broker);
}

guint
ea_desk_get_n_demo_accounts (EaDesk *self)
{
  EaSimBroker *sim;
  g_autoptr(GPtrArray) accounts = NULL;

  g_return_val_if_fail (EA_IS_DESK (self), 0);

  sim = demo_broker (self);
  if (sim == NULL)
    return 0;
  accounts = ea_sim_exchange_list_accounts (ea_sim_broker_get_exchange (sim));
  return accounts->len;
}

/* "Apex legacy 50K" (the exchange's built-in DEMO-1) and
 * "apex-legacy-50k" both name the profile apex-legacy-50k. */
static char *
profile_id_of (const char *hint)
{
  char *id = g_ascii_strdown (hint ? hint : "", -1);

  g_strdelimit (id, " ", '-');
  return id;
}

GPtrArray *
ea_desk_list_demo_accounts (EaDesk *self)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_demo_account_free);
  g_autoptr(GPtrArray) accounts = NULL;
  EaSimBroker *sim;

  g_return_val_if_fail (EA_IS_DESK (self), out);

  sim = demo_broker (self);
  if (sim == NULL)
    return out;
  accounts = ea_sim_exchange_list_accounts (ea_sim_broker_get_exchange (sim));
  for (guint i = 0; i < accounts->len; i++)
    {
      const EaAccountData *d = g_ptr_array_index (accounts, i);
      g_autofree char *id = profile_id_of (d->profile);

      g_ptr_array_add (out, ea_demo_account_new (d->name, d->size, id));
    }
  return out;
}

gboolean
ea_desk_reset_account (EaDesk      *self,
                       const char  *account,
                       GError     **error)
{
  DeskAccount *a;
  EaRiskStatus before = { 0 };
  gboolean had_risk;
  g_autofree char *details = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (EA_IS_DESK (self), FALSE);

  a = _ea_desk_account (self, account);
  if (a == NULL)
    {
      g_set_error (error, EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_ACCOUNT,
                   _("No account %s"), account ? account : "");
      return FALSE;
    }
  if (!EA_IS_SIM_BROKER (a->broker))
    {
      g_set_error (error, EA_DESK_ERROR, EA_DESK_ERROR_NOT_DEMO,
                   _("%s is an account of %s: only Demo accounts can be reset"),
                   a->name, ea_broker_get_name (a->broker));
      return FALSE;
    }
  if (a->stop_status == EA_STOP_STATUS_STOPPING || a->stop_status == EA_STOP_STATUS_UNRESOLVED)
    {
      g_set_error (error, EA_DESK_ERROR, EA_DESK_ERROR_STOP_RUNNING,
                   _("The emergency stop is still working on %s: reset it once the account is confirmed flat"),
                   a->name);
      return FALSE;
    }
  if (ea_broker_get_connection_state (a->broker) != EA_CONNECTION_STATE_CONNECTED)
    {
      g_set_error (error, EA_DESK_ERROR, EA_DESK_ERROR_NOT_CONNECTED,
                   _("The Demo exchange is not connected: %s cannot be reset now"), a->name);
      return FALSE;
    }

  had_risk = a->risk_index >= 0;
  if (had_risk)
    ea_risk_engine_get_status (self->risk, a->risk_index, _ea_desk_now (self), &before);

  /* The exchange cancels, clears and restores, and reports each step:
   * the desk's orders, positions and balance follow from those events. */
  if (!ea_sim_broker_reset_account (EA_SIM_BROKER (a->broker), a->name, error))
    return FALSE;

  details = g_strdup_printf ("{\"broker\":\"%s\",\"state_before\":\"%s\",\"balance_before\":%" G_GINT64_FORMAT
                             ",\"equity_before\":%" G_GINT64_FORMAT ",\"floor_before\":%" G_GINT64_FORMAT
                             ",\"day_pnl_before\":%" G_GINT64_FORMAT ",\"failed_before\":%s,\"balance\":%"
                             G_GINT64_FORMAT "}",
                             ea_broker_get_name (a->broker),
                             had_risk ? ea_trading_state_to_string (before.state) : "",
                             before.balance, before.equity, before.floor, before.day_pnl,
                             before.failed ? "true" : "false", a->balance);

  _ea_desk_account_start_fresh (self, a);

  _ea_desk_audit (self, EA_ACTOR_USER, "account.reset", a->name, details);
  _ea_desk_risk_event (self, a, EA_JOURNAL_RISK_UNLOCK, "demo account reset", details, EA_ACTOR_USER);
  body = g_strdup_printf (_("%s is back at its starting balance with a fresh risk record."), a->name);
  _ea_desk_alert (self, "system_status", EA_ALERT_PRIORITY_MEDIUM, _("Demo account reset"), body);
  g_message ("Demo account %s reset", a->name);

  return TRUE;
}
