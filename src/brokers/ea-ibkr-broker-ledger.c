/* ea-ibkr-broker-ledger.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The account's money: portfolio/{acct}/ledger gives the cash balance,
 * net liquidation value and the realized and unrealized P&L (the "BASE"
 * row, in the account's base currency). The spl topic only streams the
 * daily and unrealized P&L between two reads: it is completed with the
 * last ledger so the account the desk sees is whole.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ea-ibkr-broker-private.h"

static EaMicros
micros (double value)
{
  return (EaMicros) llround (value * EA_MICROS_PER_UNIT);
}

static gboolean
finite_member (JsonObject *o,
               const char *name,
               double     *out)
{
  return ea_json_get_double (o, name, out) && isfinite (*out) && fabs (*out) < 1e12;
}

gboolean
_ea_ibkr_parse_ledger (JsonNode      *node,
                       const char    *account,
                       EaAccountData *out,
                       GError       **error)
{
  JsonObject *root, *row = NULL;
  double cash = 0, net = 0, realized = 0, unrealized = 0;
  gboolean have_net;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                   "Malformed ledger of %s: not an object", account);
      return FALSE;
    }
  root = json_node_get_object (node);
  row = ea_json_get_object (root, "BASE");
  if (row == NULL)
    {
      /* A single-currency account may only have its currency's row. */
      g_autoptr(GList) members = json_object_get_members (root);

      if (members != NULL && members->next == NULL)
        row = ea_json_get_object (root, members->data);
    }
  if (row == NULL || !finite_member (row, "realizedpnl", &realized) ||
      !finite_member (row, "unrealizedpnl", &unrealized) || !finite_member (row, "cashbalance", &cash))
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                   "Malformed ledger of %s: no base-currency balance and P&L", account);
      return FALSE;
    }
  have_net = finite_member (row, "netliquidationvalue", &net);

  memset (out, 0, sizeof *out);
  out->name = g_strdup (account);
  out->profile = g_strdup ("IBKR");
  out->realized_pnl = micros (realized);
  out->open_pnl = micros (unrealized);
  out->balance = micros (cash);
  out->equity = have_net ? micros (net) : out->balance + out->open_pnl;
  /* The day started from the balance before today's realized P&L. */
  out->size = out->balance - out->realized_pnl;
  out->time = g_get_real_time ();
  return TRUE;
}

/* Reads the ledger of @account; the result is an EaAccountData, also kept
 * as the account's last complete view. A gateway without the endpoint
 * (404) gives NULL without an error: the account stays as spl tells it. */

static void
ledger_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaIbkrBroker *self = EA_IBKR_BROKER (source);
  const char *account = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonNode) node = _ea_ibkr_request_finish (self, result, &error);
  EaAccountData a;

  if (node == NULL)
    {
      if (g_error_matches (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND))
        {
          self->ledger_missing = TRUE;
          g_error_free (error);
          g_task_return_pointer (task, NULL, NULL);
        }
      else
        g_task_return_error (task, error);
      return;
    }
  if (!_ea_ibkr_parse_ledger (node, account, &a, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_hash_table_replace (self->ledgers, g_strdup (account), ea_account_data_copy (&a));
  g_task_return_pointer (task, ea_account_data_copy (&a), (GDestroyNotify) ea_account_data_free);
  g_free (a.name);
  g_free (a.profile);
}

void
_ea_ibkr_fetch_ledger_async (EaIbkrBroker        *self,
                             const char          *account,
                             gboolean             urgent,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = g_strdup_printf ("portfolio/%s/ledger", account);

  g_task_set_task_data (task, g_strdup (account), g_free);
  _ea_ibkr_request_full (self, urgent, "GET", path, NULL, cancellable, ledger_done_cb, task);
}

EaAccountData *
_ea_ibkr_fetch_ledger_finish (EaIbkrBroker  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* An spl row: the unrealized P&L and the day's P&L. With a ledger read
 * before, the balance and equity follow. Before the first ledger, FALSE:
 * an account without its balance would read as a total loss. Only a
 * gateway without the ledger gets the P&L alone. */
gboolean
_ea_ibkr_account_from_spl (EaIbkrBroker  *self,
                           const char    *account,
                           double         dpl,
                           double         upl,
                           EaAccountData *out)
{
  const EaAccountData *base = g_hash_table_lookup (self->ledgers, account);

  if (base == NULL && !self->ledger_missing)
    return FALSE;
  memset (out, 0, sizeof *out);
  out->name = (char *) account;
  out->profile = (char *) "IBKR";
  out->open_pnl = micros (upl);
  out->realized_pnl = micros (dpl - upl);
  out->time = g_get_real_time ();
  if (base != NULL)
    {
      out->size = base->size;
      out->balance = base->size + out->realized_pnl;
      out->equity = out->balance + out->open_pnl;
    }
  return TRUE;
}

/* The accounts as last known: the ledger's view when read. */
EaAccountData *
_ea_ibkr_account_data (EaIbkrBroker *self,
                       const char   *account)
{
  const EaAccountData *ledger = g_hash_table_lookup (self->ledgers, account);
  EaAccountData *a;

  if (ledger != NULL)
    return ea_account_data_copy (ledger);
  a = g_new0 (EaAccountData, 1);
  a->name = g_strdup (account);
  a->profile = g_strdup ("IBKR");
  a->time = g_get_real_time ();
  return a;
}
