/* ea-credential-expiry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-credentials"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-credential-expiry.h"

static const char *
broker_name (const char *broker)
{
  if (g_strcmp0 (broker, EA_CREDENTIAL_BROKER_TRADOVATE) == 0)
    return "Tradovate";
  if (g_strcmp0 (broker, EA_CREDENTIAL_BROKER_IBKR) == 0)
    return "Interactive Brokers";
  if (g_strcmp0 (broker, EA_CREDENTIAL_BROKER_NINJATRADER) == 0)
    return "NinjaTrader";
  return broker;
}

/**
 * ea_credential_expiry_describe:
 * @info: a credential's metadata
 * @days: the warning window
 * @now: the current time
 *
 * Returns: (transfer full) (nullable): the note, or %NULL when @info does
 *   not expire within @days of @now
 */
char *
ea_credential_expiry_describe (const EaCredentialInfo *info,
                               guint                   days,
                               GDateTime              *now)
{
  g_autofree char *date = NULL;
  GTimeSpan left;
  guint in_days;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (!ea_credential_info_expires_within (info, days, now))
    return NULL;

  date = g_date_time_format (info->expires, "%Y-%m-%d");
  left = g_date_time_difference (info->expires, now);
  if (left <= 0)
    return g_strdup_printf (_("expired on %s"), date);

  /* Started days count as one: 2.5 days left is "in 3 days". */
  in_days = (guint) ((left + G_TIME_SPAN_DAY - 1) / G_TIME_SPAN_DAY);
  return g_strdup_printf (g_dngettext (NULL, "expires in %u day, on %s", "expires in %u days, on %s",
                                       in_days),
                          in_days, date);
}

static int
by_expiry (gconstpointer a,
           gconstpointer b)
{
  const EaCredentialInfo *x = *(EaCredentialInfo * const *) a;
  const EaCredentialInfo *y = *(EaCredentialInfo * const *) b;

  return g_date_time_compare (x->expires, y->expires);
}

/**
 * ea_credential_expiry_alerts:
 * @infos: (element-type EaCredentialInfo): the keyring's listing
 * @days: the warning window
 * @now: the current time
 *
 * Returns: (transfer full) (element-type EaAlert): the alerts, soonest
 *   expiry first
 */
GPtrArray *
ea_credential_expiry_alerts (GPtrArray *infos,
                             guint      days,
                             GDateTime *now)
{
  g_autoptr(GPtrArray) due = g_ptr_array_new ();
  GPtrArray *alerts = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (infos != NULL, alerts);
  g_return_val_if_fail (now != NULL, alerts);

  for (guint i = 0; i < infos->len; i++)
    if (ea_credential_info_expires_within (g_ptr_array_index (infos, i), days, now))
      g_ptr_array_add (due, g_ptr_array_index (infos, i));
  g_ptr_array_sort (due, by_expiry);

  for (guint i = 0; i < due->len; i++)
    {
      const EaCredentialInfo *info = g_ptr_array_index (due, i);
      g_autofree char *note = ea_credential_expiry_describe (info, days, now);
      gboolean expired = g_date_time_compare (info->expires, now) <= 0;
      g_autofree char *body = NULL;

      /* Broker, environment and user name: never a secret. */
      body = g_strdup_printf (expired
                              ? _("The %s %s credential of %s %s: it no longer works. Replace it in the quick "
                                  "setup (Credentials page).")
                              : _("The %s %s credential of %s %s. Replace it in the quick setup (Credentials "
                                  "page) before then."),
                              broker_name (info->broker), info->environment, info->account, note);
      g_ptr_array_add (alerts, ea_alert_new (EA_CREDENTIAL_EXPIRY_ALERT_KIND,
                                             expired ? EA_ALERT_PRIORITY_HIGH : EA_ALERT_PRIORITY_MEDIUM,
                                             expired ? _("Credential expired") : _("Credential expires soon"),
                                             body, g_date_time_to_unix (now) * G_USEC_PER_SEC));
    }
  return alerts;
}

typedef struct
{
  EaTradingStore *store;
  guint           days;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_clear_object (&data->store);
  g_free (data);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) infos = ea_credentials_list_finish (EA_CREDENTIALS (object), result, &error);
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (infos == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  now = g_date_time_new_now_utc ();
  alerts = ea_credential_expiry_alerts (infos, data->days, now);
  for (guint i = 0; i < alerts->len; i++)
    ea_trading_store_add_alert (data->store, g_ptr_array_index (alerts, i));
  g_task_return_int (task, (gssize) alerts->len);
}

/**
 * ea_credential_expiry_check_async:
 * @credentials: the keyring
 * @store: where the alerts go
 * @days: the warning window
 * @cancellable: (nullable): a #GCancellable
 * @callback: (nullable): called when done
 * @user_data: for @callback
 */
void
ea_credential_expiry_check_async (EaCredentials       *credentials,
                                  EaTradingStore      *store,
                                  guint                days,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  CheckData *data;

  g_return_if_fail (EA_IS_CREDENTIALS (credentials));
  g_return_if_fail (EA_IS_TRADING_STORE (store));

  task = g_task_new (credentials, cancellable, callback, user_data);
  g_task_set_source_tag (task, ea_credential_expiry_check_async);
  data = g_new0 (CheckData, 1);
  data->store = g_object_ref (store);
  data->days = days;
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  ea_credentials_list_async (credentials, cancellable, listed_cb, task);
}

gssize
ea_credential_expiry_check_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ea_credential_expiry_check_async, -1);

  return g_task_propagate_int (G_TASK (result), error);
}
