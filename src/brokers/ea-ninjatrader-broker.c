/* ea-ninjatrader-broker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-ninjatrader"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "ea-ninjatrader-broker-private.h"

static void ea_ninjatrader_broker_iface_init (EaBrokerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EaNinjaTraderBroker, ea_ninjatrader_broker, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (EA_TYPE_BROKER, ea_ninjatrader_broker_iface_init))

enum
{
  PROP_0,
  PROP_INCOMING_DIR,
  PROP_OUTGOING_DIR,
  PROP_ACCOUNTS,
  PROP_SYMBOLOGY,
  PROP_STOP_KEYWORD,
  PROP_CONNECTION_NAME,
  PROP_ATM_TEMPLATE,
  PROP_STATE_ALIASES,
  PROP_RESCAN_INTERVAL_MS,
  PROP_ACK_TIMEOUT_MS,
  PROP_STALE_TIMEOUT_MS,
  PROP_REFERENCE_DAY,
  PROP_FILE_STAMP,
  PROP_ACCOUNT_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
nt_order_free (NtOrder *o)
{
  g_free (o->d.account);
  g_free (o->d.symbol);
  g_free (o->d.client_order_id);
  g_free (o->d.broker_order_id);
  g_free (o->d.parent_order_id);
  g_free (o->d.oco_order_id);
  g_free (o->d.reason);
  g_free (o->instrument);
  g_free (o->key);
  g_free (o->sl_id);
  g_free (o->tp_id);
  g_free (o);
}

static void
nt_position_free (NtPosition *p)
{
  g_free (p->account);
  g_free (p->key);
  g_free (p);
}

void
_ea_nt_broker_emit_order (EaNinjaTraderBroker *self,
                          NtOrder             *o)
{
  ea_broker_emit_order_updated (EA_BROKER (self), &o->d);
}

guint32
_ea_nt_broker_reference_day (EaNinjaTraderBroker *self)
{
  g_autoptr(GDateTime) now = NULL;

  if (self->reference_day != 0)
    return self->reference_day;
  now = g_date_time_new_now_utc ();
  return (guint32) (g_date_time_get_year (now) * 10000 + g_date_time_get_month (now) * 100 +
                    g_date_time_get_day_of_month (now));
}

char *
ea_ninjatrader_broker_instrument_for (EaNinjaTraderBroker  *self,
                                      const char           *symbol,
                                      GError              **error)
{
  g_autofree char *key = NULL;
  EaContract c;

  g_return_val_if_fail (EA_IS_NINJATRADER_BROKER (self), NULL);

  if (!_ea_nt_broker_resolve (self, symbol, &c, &key, error))
    return NULL;
  return ea_nt_instrument_format (&c, self->symbology);
}

/* The time from writing an instruction file until NinjaTrader's file
 * answers it, smoothed like the other brokers' round trips. It includes
 * NinjaTrader's pickup and the time until the answer is seen here (a
 * file event, or the next rescan on a share that drops events). */
void
_ea_nt_broker_add_latency (EaNinjaTraderBroker *self,
                           gint64               sample_us)
{
  sample_us = MAX (sample_us, 0);
  self->latency_us = self->latency_us < 0 ? sample_us : (self->latency_us * 3 + sample_us) / 4;
}

/* ATI reports no balances. With an account size set, an account's
 * balance is that size plus the P&L realized by the fills seen since
 * the broker started, so the desk's drawdown rules have a base. */
void
_ea_nt_broker_account_data (EaNinjaTraderBroker *self,
                            const char          *account,
                            EaAccountData       *a)
{
  const EaMicros *realized = g_hash_table_lookup (self->realized, account);

  a->name = (char *) account;
  if (self->account_size <= 0)
    return;
  a->size = self->account_size;
  a->realized_pnl = realized ? *realized : 0;
  a->balance = a->size + a->realized_pnl;
  a->equity = a->balance;
}

void
_ea_nt_broker_book_fill (EaNinjaTraderBroker    *self,
                         const EaFillData       *fill,
                         const EaInstrumentSpec *spec,
                         const char             *key)
{
  g_autofree char *id = g_strconcat (fill->account, "\n", key, NULL);
  NtBook *book = g_hash_table_lookup (self->books, id);
  EaMicros *realized = g_hash_table_lookup (self->realized, fill->account);
  gint64 signed_qty = fill->side == EA_SIDE_SELL ? -fill->qty : fill->qty;
  EaAccountData a = { 0 };

  if (book == NULL)
    {
      book = g_new0 (NtBook, 1);
      g_hash_table_insert (self->books, g_steal_pointer (&id), book);
    }
  if (realized == NULL)
    {
      realized = g_new0 (EaMicros, 1);
      g_hash_table_insert (self->realized, g_strdup (fill->account), realized);
    }

  if (book->qty == 0 || (book->qty > 0) == (signed_qty > 0))
    {
      /* Opening or adding: a new average. */
      book->avg = (book->avg * (double) ABS (book->qty) + (double) fill->price * (double) fill->qty) /
                  (double) (ABS (book->qty) + fill->qty);
      book->qty += signed_qty;
    }
  else
    {
      gint64 closed = MIN (ABS (book->qty), fill->qty);
      double per = book->qty > 0 ? (double) fill->price - book->avg : book->avg - (double) fill->price;

      *realized += (EaMicros) llround (per * (double) closed * (double) spec->tick_value);
      book->qty += signed_qty;
      if (book->qty == 0)
        book->avg = 0;
      else if ((book->qty > 0) == (signed_qty > 0))
        book->avg = (double) fill->price;   /* reversed: the rest opened here */
    }

  if (self->account_size <= 0)
    return;
  _ea_nt_broker_account_data (self, fill->account, &a);
  a.time = fill->time;
  ea_broker_emit_account_changed (EA_BROKER (self), &a);
}

/* EaBroker. */

static const char *
nt_get_name (EaBroker *broker)
{
  return "NinjaTrader";
}

static EaConnectionState
nt_get_connection_state (EaBroker *broker)
{
  return EA_NINJATRADER_BROKER (broker)->state;
}

static gint64
nt_get_latency_us (EaBroker *broker)
{
  return EA_NINJATRADER_BROKER (broker)->latency_us;
}

static void
nt_connect_async (EaBroker *broker, GCancellable *cancellable,
                  GAsyncReadyCallback callback, gpointer user_data)
{
  EaNinjaTraderBroker *self = EA_NINJATRADER_BROKER (broker);
  g_autoptr(GTask) task = _ea_nt_broker_start_task (self, cancellable, callback, user_data, nt_connect_async, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *probe = NULL;

  if (task == NULL)
    return;
  if (self->attached && self->state == EA_CONNECTION_STATE_CONNECTED)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  _ea_nt_broker_set_state (self, EA_CONNECTION_STATE_CONNECTING, NULL);

  /* The incoming folder must take files. */
  {
    g_autofree char *name = g_strdup_printf (".ea-probe-%s", self->file_stamp);
    g_autoptr(GFile) f = g_file_get_child (self->incoming, name);

    if (!g_file_replace_contents (f, "", 0, NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, &error))
      {
        probe = g_strdup_printf (_("Cannot write to NinjaTrader's incoming folder %s: %s"),
                                 self->incoming_dir, error->message);
        _ea_nt_broker_set_state (self, EA_CONNECTION_STATE_DISCONNECTED, probe);
        g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED, "%s", probe);
        return;
      }
    g_file_delete (f, NULL, NULL);
  }

  self->attached = TRUE;
  _ea_nt_broker_full_rescan (self);
  if (self->state != EA_CONNECTION_STATE_CONNECTED)
    {
      g_autofree char *why = g_strdup (self->problem);

      self->attached = FALSE;
      _ea_nt_broker_stop_watching (self);
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_CONNECTED, "%s", why);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
nt_disconnect_async (EaBroker *broker, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  EaNinjaTraderBroker *self = EA_NINJATRADER_BROKER (broker);
  g_autoptr(GTask) task = _ea_nt_broker_start_task (self, cancellable, callback, user_data, nt_disconnect_async, FALSE);

  if (task == NULL)
    return;
  self->attached = FALSE;
  _ea_nt_broker_stop_watching (self);
  _ea_nt_waiter_fail_all (self, EA_BROKER_ERROR_NOT_CONNECTED, _("Disconnected from NinjaTrader"));
  _ea_nt_broker_set_state (self, EA_CONNECTION_STATE_DISCONNECTED, _("Disconnected by the user"));
  g_task_return_boolean (task, TRUE);
}

static void
nt_list_accounts_async (EaBroker *broker, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  EaNinjaTraderBroker *self = EA_NINJATRADER_BROKER (broker);
  g_autoptr(GTask) task = _ea_nt_broker_start_task (self, cancellable, callback, user_data, nt_list_accounts_async, FALSE);
  g_autoptr(EaSnapshotData) s = NULL;

  if (task == NULL)
    return;
  /* ATI reports no balances: names only. */
  s = _ea_nt_broker_build_snapshot (self, NULL);
  g_task_return_pointer (task, g_ptr_array_ref (s->accounts), (GDestroyNotify) g_ptr_array_unref);
}

static GPtrArray *
nt_list_accounts_finish (EaBroker *broker, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
nt_subscribe_quotes_async (EaBroker *broker, const char *symbol, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  EaNinjaTraderBroker *self = EA_NINJATRADER_BROKER (broker);
  g_autoptr(GTask) task = _ea_nt_broker_start_task (self, cancellable, callback, user_data, nt_subscribe_quotes_async, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  EaContract c;

  if (task == NULL)
    return;
  if (!_ea_nt_broker_resolve (self, symbol, &c, &key, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_hash_table_insert (self->subscribed, g_steal_pointer (&key), g_strdup (symbol));
  /* The feed itself is the source broker's business. */
  if (self->quote_source != NULL)
    ea_broker_subscribe_quotes_async (self->quote_source, symbol, NULL, NULL, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
nt_unsubscribe_quotes_async (EaBroker *broker, const char *symbol, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  EaNinjaTraderBroker *self = EA_NINJATRADER_BROKER (broker);
  g_autoptr(GTask) task = _ea_nt_broker_start_task (self, cancellable, callback, user_data, nt_unsubscribe_quotes_async, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  EaContract c;

  if (task == NULL)
    return;
  if (!_ea_nt_broker_resolve (self, symbol, &c, &key, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_hash_table_remove (self->subscribed, key);
  g_task_return_boolean (task, TRUE);
}

static void
ea_ninjatrader_broker_iface_init (EaBrokerInterface *iface)
{
  iface->get_name = nt_get_name;
  iface->get_connection_state = nt_get_connection_state;
  iface->connect_async = nt_connect_async;
  iface->connect_finish = (gpointer) _ea_nt_broker_finish_bool;
  iface->disconnect_async = nt_disconnect_async;
  iface->disconnect_finish = (gpointer) _ea_nt_broker_finish_bool;
  iface->list_accounts_async = nt_list_accounts_async;
  iface->list_accounts_finish = nt_list_accounts_finish;
  iface->subscribe_quotes_async = nt_subscribe_quotes_async;
  iface->subscribe_quotes_finish = (gpointer) _ea_nt_broker_finish_bool;
  iface->unsubscribe_quotes_async = nt_unsubscribe_quotes_async;
  iface->unsubscribe_quotes_finish = (gpointer) _ea_nt_broker_finish_bool;
  iface->place_order_async = _ea_nt_place_order_async;
  iface->place_order_finish = _ea_nt_place_order_finish;
  iface->modify_order_async = _ea_nt_modify_order_async;
  iface->modify_order_finish = (gpointer) _ea_nt_broker_finish_bool;
  iface->cancel_order_async = _ea_nt_cancel_order_async;
  iface->cancel_order_finish = (gpointer) _ea_nt_broker_finish_bool;
  iface->cancel_all_async = _ea_nt_cancel_all_async;
  iface->cancel_all_finish = (gpointer) _ea_nt_broker_finish_bool;
  iface->flatten_async = _ea_nt_flatten_async;
  iface->flatten_finish = (gpointer) _ea_nt_broker_finish_bool;
  iface->snapshot_async = _ea_nt_snapshot_async;
  iface->snapshot_finish = _ea_nt_snapshot_finish;
  iface->get_latency_us = nt_get_latency_us;
  iface->reverse_position_async = _ea_nt_reverse_position_async;
  iface->reverse_position_finish = _ea_nt_place_order_finish;
}

/* Quotes. */

void
ea_ninjatrader_broker_push_quote (EaNinjaTraderBroker *self,
                                  const EaQuoteData   *quote)
{
  g_autofree char *key = NULL;
  const char *symbol;
  EaQuoteData q;
  EaContract c;
  const EaInstrumentSpec *spec;
  guint32 day;

  g_return_if_fail (EA_IS_NINJATRADER_BROKER (self));
  g_return_if_fail (quote != NULL && quote->symbol != NULL);

  day = _ea_nt_broker_reference_day (self);
  spec = ea_instrument_lookup (quote->symbol);
  if (!(spec != NULL ? ea_contract_front (spec, day, &c) : ea_nt_instrument_parse (quote->symbol, day, &c, NULL)))
    return;
  key = ea_contract_format (&c, EA_SYMBOLOGY_NINJATRADER);
  symbol = g_hash_table_lookup (self->subscribed, key);
  if (symbol == NULL)
    return;
  q = *quote;
  q.symbol = symbol;
  ea_broker_emit_quote (EA_BROKER (self), &q);
}

static void
source_quote_cb (EaBroker          *source,
                 const EaQuoteData *quote,
                 gpointer           data)
{
  ea_ninjatrader_broker_push_quote (data, quote);
}

void
ea_ninjatrader_broker_set_quote_source (EaNinjaTraderBroker *self,
                                        EaBroker            *source)
{
  g_return_if_fail (EA_IS_NINJATRADER_BROKER (self));
  g_return_if_fail (source == NULL || EA_IS_BROKER (source));

  if (self->quote_source != NULL)
    {
      g_clear_signal_handler (&self->quote_handler, self->quote_source);
      g_clear_object (&self->quote_source);
    }
  if (source == NULL)
    return;
  self->quote_source = g_object_ref (source);
  self->quote_handler = g_signal_connect (source, "quote", G_CALLBACK (source_quote_cb), self);
  {
    GHashTableIter iter;
    gpointer v;

    g_hash_table_iter_init (&iter, self->subscribed);
    while (g_hash_table_iter_next (&iter, NULL, &v))
      ea_broker_subscribe_quotes_async (source, v, NULL, NULL, NULL);
  }
}

const char *
ea_ninjatrader_broker_get_quote_source_name (EaNinjaTraderBroker *self)
{
  g_return_val_if_fail (EA_IS_NINJATRADER_BROKER (self), NULL);

  return self->quote_source ? ea_broker_get_name (self->quote_source) : "none";
}

void
ea_ninjatrader_broker_rescan (EaNinjaTraderBroker *self)
{
  g_return_if_fail (EA_IS_NINJATRADER_BROKER (self));

  _ea_nt_broker_full_rescan (self);
}

gboolean
ea_ninjatrader_broker_is_settled (EaNinjaTraderBroker *self)
{
  g_return_val_if_fail (EA_IS_NINJATRADER_BROKER (self), TRUE);

  if (g_hash_table_size (self->pending_files) > 0)
    return FALSE;
  for (guint i = 0; i < self->order_list->len; i++)
    {
      NtOrder *o = self->order_list->pdata[i];

      if (!o->acked && !o->withdrawn)
        return FALSE;
    }
  return TRUE;
}

/* GObject. */

EaNinjaTraderBroker *
ea_ninjatrader_broker_new (const char *incoming_dir,
                           const char *outgoing_dir,
                           const char *account)
{
  const char *accounts[] = { account, NULL };

  return g_object_new (EA_TYPE_NINJATRADER_BROKER,
                       "incoming-dir", incoming_dir,
                       "outgoing-dir", outgoing_dir,
                       "accounts", accounts,
                       NULL);
}

char **
ea_ninjatrader_state_aliases_from_variant (GVariant  *aliases,
                                           GError   **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GVariantIter iter;
  const char *word, *state;

  g_return_val_if_fail (aliases != NULL, NULL);

  if (!g_variant_is_of_type (aliases, G_VARIANT_TYPE ("a{ss}")))
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                   _("NinjaTrader order-state words must map words to states, not “%s”"),
                   g_variant_get_type_string (aliases));
      return NULL;
    }
  g_variant_iter_init (&iter, aliases);
  while (g_variant_iter_next (&iter, "{&s&s}", &word, &state))
    {
      EaNtOrderState canonical;
      gboolean plain = *word != '\0';

      for (const char *p = word; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p))
          plain = FALSE;
      if (!plain)
        {
          g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                       _("NinjaTrader order-state word “%s” must be letters and digits only"), word);
          return NULL;
        }
      for (guint i = 0; i <= EA_NT_ORDER_UNKNOWN; i++)
        if (g_ascii_strcasecmp (word, ea_nt_order_state_to_word ((EaNtOrderState) i)) == 0)
          {
            g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                         _("NinjaTrader order-state word “%s” is already a state and cannot be redefined"),
                         word);
            return NULL;
          }
      if (!ea_nt_order_state_from_word (state, NULL, &canonical) ||
          g_ascii_strcasecmp (state, ea_nt_order_state_to_word (canonical)) != 0)
        {
          g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_INVALID_ARGUMENT,
                       _("NinjaTrader order-state word “%s”: “%s” is not an order state "
                         "(SUBMITTED, ACCEPTED, WORKING, PARTFILLED, FILLED, CANCELLED, REJECTED, …)"),
                       word, state);
          return NULL;
        }
      {
        g_autofree char *alias = g_strdup_printf ("%s=%s", word, ea_nt_order_state_to_word (canonical));

        g_strv_builder_add (builder, alias);
      }
    }
  return g_strv_builder_end (builder);
}

EaNinjaTraderBroker *
ea_ninjatrader_broker_new_with_settings (const char *incoming_dir,
                                         const char *outgoing_dir,
                                         const char *accounts_csv,
                                         GSettings  *settings)
{
  g_auto(GStrv) accounts = g_strsplit (accounts_csv != NULL ? accounts_csv : "", ",", -1);
  g_autofree char *connection = NULL;
  g_autofree char *stop = NULL;
  g_autofree char *atm = NULL;
  g_auto(GStrv) aliases = NULL;
  EaSymbology symbology = EA_SYMBOLOGY_NINJATRADER;

  for (guint i = 0; accounts[i] != NULL; i++)
    g_strstrip (accounts[i]);
  if (settings != NULL)
    {
      g_autoptr(GVariant) words = g_settings_get_value (settings, "nt-state-aliases");
      g_autoptr(GError) error = NULL;

      connection = g_settings_get_string (settings, "nt-connection-name");
      stop = g_settings_get_string (settings, "nt-stop-keyword");
      atm = g_settings_get_string (settings, "nt-atm-template");
      symbology = (EaSymbology) g_settings_get_enum (settings, "nt-symbology");
      aliases = ea_ninjatrader_state_aliases_from_variant (words, &error);
      /* The documented words are always read; only the extra ones are
       * dropped. */
      if (aliases == NULL)
        g_warning ("Ignoring the NinjaTrader order-state words of the settings: %s", error->message);
    }
  return g_object_new (EA_TYPE_NINJATRADER_BROKER,
                       "incoming-dir", incoming_dir,
                       "outgoing-dir", outgoing_dir,
                       "accounts", accounts,
                       "connection-name", connection != NULL ? connection : "",
                       "stop-keyword", stop,
                       "atm-template", atm != NULL ? g_strstrip (atm) : "",
                       "symbology", (int) symbology,
                       "state-aliases", aliases,
                       NULL);
}

EaNinjaTraderBroker *
ea_ninjatrader_broker_new_from_settings (GSettings *settings)
{
  g_autofree char *in = g_settings_get_string (settings, "nt-incoming-dir");
  g_autofree char *out = g_settings_get_string (settings, "nt-outgoing-dir");
  g_autofree char *account = g_settings_get_string (settings, "nt-account");

  return ea_ninjatrader_broker_new_with_settings (in, out, account, settings);
}

static void
ea_ninjatrader_broker_constructed (GObject *object)
{
  EaNinjaTraderBroker *self = EA_NINJATRADER_BROKER (object);

  G_OBJECT_CLASS (ea_ninjatrader_broker_parent_class)->constructed (object);

  self->incoming = g_file_new_for_path (self->incoming_dir ? self->incoming_dir : "");
  self->outgoing = g_file_new_for_path (self->outgoing_dir ? self->outgoing_dir : "");
  if (self->file_stamp == NULL || *self->file_stamp == '\0')
    {
      static gint instances;

      g_free (self->file_stamp);
      /* Time, process and instance: no two brokers, in this run or any
       * other, name a file alike. */
      self->file_stamp = g_strdup_printf ("%" G_GINT64_MODIFIER "x%xi%x", g_get_real_time (), (guint) getpid (),
                                          (guint) g_atomic_int_add (&instances, 1));
    }
  if (self->stop_keyword == NULL || *self->stop_keyword == '\0')
    {
      g_free (self->stop_keyword);
      self->stop_keyword = g_strdup (EA_NT_STOP_KEYWORD_NT8);
    }
}

static void
ea_ninjatrader_broker_dispose (GObject *object)
{
  EaNinjaTraderBroker *self = EA_NINJATRADER_BROKER (object);

  self->attached = FALSE;
  _ea_nt_broker_stop_watching (self);
  _ea_nt_waiter_fail_all (self, EA_BROKER_ERROR_CANCELLED, _("The NinjaTrader broker was closed"));
  ea_ninjatrader_broker_set_quote_source (self, NULL);

  G_OBJECT_CLASS (ea_ninjatrader_broker_parent_class)->dispose (object);
}

static void
ea_ninjatrader_broker_finalize (GObject *object)
{
  EaNinjaTraderBroker *self = EA_NINJATRADER_BROKER (object);

  g_free (self->incoming_dir);
  g_free (self->outgoing_dir);
  g_strfreev (self->accounts);
  g_free (self->stop_keyword);
  g_free (self->connection_name);
  g_free (self->atm_template);
  g_strfreev (self->state_aliases);
  g_free (self->file_stamp);
  g_clear_object (&self->incoming);
  g_clear_object (&self->outgoing);
  g_free (self->problem);
  g_ptr_array_unref (self->order_list);
  g_hash_table_unref (self->orders);
  g_hash_table_unref (self->positions);
  g_ptr_array_unref (self->fills);
  g_hash_table_unref (self->file_cache);
  g_hash_table_unref (self->symbols);
  g_hash_table_unref (self->subscribed);
  g_hash_table_unref (self->pending_files);
  g_ptr_array_unref (self->waiters);
  g_hash_table_unref (self->books);
  g_hash_table_unref (self->realized);

  G_OBJECT_CLASS (ea_ninjatrader_broker_parent_class)->finalize (object);
}

static void
ea_ninjatrader_broker_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  EaNinjaTraderBroker *self = EA_NINJATRADER_BROKER (object);

  switch (prop_id)
    {
    case PROP_INCOMING_DIR: g_value_set_string (value, self->incoming_dir); break;
    case PROP_OUTGOING_DIR: g_value_set_string (value, self->outgoing_dir); break;
    case PROP_ACCOUNTS: g_value_set_boxed (value, self->accounts); break;
    case PROP_SYMBOLOGY: g_value_set_int (value, self->symbology); break;
    case PROP_STOP_KEYWORD: g_value_set_string (value, self->stop_keyword); break;
    case PROP_CONNECTION_NAME: g_value_set_string (value, self->connection_name); break;
    case PROP_ATM_TEMPLATE: g_value_set_string (value, self->atm_template); break;
    case PROP_STATE_ALIASES: g_value_set_boxed (value, self->state_aliases); break;
    case PROP_RESCAN_INTERVAL_MS: g_value_set_uint (value, self->rescan_ms); break;
    case PROP_ACK_TIMEOUT_MS: g_value_set_uint (value, self->ack_ms); break;
    case PROP_STALE_TIMEOUT_MS: g_value_set_uint (value, self->stale_ms); break;
    case PROP_REFERENCE_DAY: g_value_set_uint (value, self->reference_day); break;
    case PROP_FILE_STAMP: g_value_set_string (value, self->file_stamp); break;
    case PROP_ACCOUNT_SIZE: g_value_set_int64 (value, self->account_size); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_ninjatrader_broker_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  EaNinjaTraderBroker *self = EA_NINJATRADER_BROKER (object);

  switch (prop_id)
    {
    case PROP_INCOMING_DIR: g_free (self->incoming_dir); self->incoming_dir = g_value_dup_string (value); break;
    case PROP_OUTGOING_DIR: g_free (self->outgoing_dir); self->outgoing_dir = g_value_dup_string (value); break;
    case PROP_ACCOUNTS: g_strfreev (self->accounts); self->accounts = g_value_dup_boxed (value); break;
    case PROP_SYMBOLOGY: self->symbology = g_value_get_int (value); break;
    case PROP_STOP_KEYWORD: g_free (self->stop_keyword); self->stop_keyword = g_value_dup_string (value); break;
    case PROP_CONNECTION_NAME: g_free (self->connection_name); self->connection_name = g_value_dup_string (value); break;
    case PROP_ATM_TEMPLATE: g_free (self->atm_template); self->atm_template = g_value_dup_string (value); break;
    case PROP_STATE_ALIASES: g_strfreev (self->state_aliases); self->state_aliases = g_value_dup_boxed (value); break;
    case PROP_RESCAN_INTERVAL_MS: self->rescan_ms = g_value_get_uint (value); break;
    case PROP_ACK_TIMEOUT_MS: self->ack_ms = g_value_get_uint (value); break;
    case PROP_STALE_TIMEOUT_MS: self->stale_ms = g_value_get_uint (value); break;
    case PROP_REFERENCE_DAY: self->reference_day = g_value_get_uint (value); break;
    case PROP_FILE_STAMP: g_free (self->file_stamp); self->file_stamp = g_value_dup_string (value); break;
    case PROP_ACCOUNT_SIZE: self->account_size = g_value_get_int64 (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_ninjatrader_broker_class_init (EaNinjaTraderBrokerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags f = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = ea_ninjatrader_broker_constructed;
  object_class->dispose = ea_ninjatrader_broker_dispose;
  object_class->finalize = ea_ninjatrader_broker_finalize;
  object_class->get_property = ea_ninjatrader_broker_get_property;
  object_class->set_property = ea_ninjatrader_broker_set_property;

  properties[PROP_INCOMING_DIR] = g_param_spec_string ("incoming-dir", NULL, NULL, NULL, f);
  properties[PROP_OUTGOING_DIR] = g_param_spec_string ("outgoing-dir", NULL, NULL, NULL, f);
  properties[PROP_ACCOUNTS] = g_param_spec_boxed ("accounts", NULL, NULL, G_TYPE_STRV, f);
  properties[PROP_SYMBOLOGY] = g_param_spec_int ("symbology", NULL, NULL, EA_SYMBOLOGY_TRADOVATE,
                                                 EA_SYMBOLOGY_IBKR, EA_SYMBOLOGY_NINJATRADER, f);
  properties[PROP_STOP_KEYWORD] = g_param_spec_string ("stop-keyword", NULL, NULL, EA_NT_STOP_KEYWORD_NT8, f);
  properties[PROP_CONNECTION_NAME] = g_param_spec_string ("connection-name", NULL, NULL, "", f);
  properties[PROP_ATM_TEMPLATE] = g_param_spec_string ("atm-template", NULL, NULL, "", f);
  properties[PROP_STATE_ALIASES] = g_param_spec_boxed ("state-aliases", NULL, NULL, G_TYPE_STRV, f);
  properties[PROP_RESCAN_INTERVAL_MS] = g_param_spec_uint ("rescan-interval-ms", NULL, NULL, 0, 3600000, 2000, f);
  properties[PROP_ACK_TIMEOUT_MS] = g_param_spec_uint ("ack-timeout-ms", NULL, NULL, 1, 3600000, 10000, f);
  properties[PROP_STALE_TIMEOUT_MS] = g_param_spec_uint ("stale-timeout-ms", NULL, NULL, 0, 3600000, 30000, f);
  properties[PROP_REFERENCE_DAY] = g_param_spec_uint ("reference-day", NULL, NULL, 0, 20991231, 0, f);
  properties[PROP_FILE_STAMP] = g_param_spec_string ("file-stamp", NULL, NULL, NULL, f);
  properties[PROP_ACCOUNT_SIZE] = g_param_spec_int64 ("account-size", NULL, NULL, 0, G_MAXINT64, 0,
                                                     G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                     G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ea_ninjatrader_broker_init (EaNinjaTraderBroker *self)
{
  self->symbology = EA_SYMBOLOGY_NINJATRADER;
  self->rescan_ms = 2000;
  self->ack_ms = 10000;
  self->stale_ms = 30000;
  self->state = EA_CONNECTION_STATE_DISCONNECTED;
  self->latency_us = -1;
  self->orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) nt_order_free);
  self->order_list = g_ptr_array_new ();
  self->positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) nt_position_free);
  self->fills = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_fill_data_free);
  self->file_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->symbols = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->subscribed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->pending_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->waiters = g_ptr_array_new ();
  self->books = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->realized = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}
