/* ea-desk-reconcile.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a broker's snapshot settles once it has been applied: orders whose
 * request timed out (UNKNOWN) and that the broker has never heard of are
 * not placed, and say so in the journal and the audit trail. At start the
 * desk reloads the open orders it journaled; each broker's snapshot
 * adopts those it still has and settles those it no longer has.
 */
#define G_LOG_DOMAIN "ea-desk"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ea-alert.h"
#include "ea-desk-private.h"
#include "ea-position.h"

static gboolean
snapshot_has_order (const EaSnapshotData *s,
                    const DeskOrder      *o)
{
  for (guint i = 0; i < s->orders->len; i++)
    {
      const EaOrderData *d = g_ptr_array_index (s->orders, i);

      if ((o->broker_order_id != NULL && g_strcmp0 (d->broker_order_id, o->broker_order_id) == 0) ||
          g_strcmp0 (d->client_order_id, o->client_order_id) == 0)
        return TRUE;
    }

  return FALSE;
}

static gint64
snapshot_filled (const EaSnapshotData *s,
                 const DeskOrder      *o)
{
  gint64 filled = 0;

  for (guint i = 0; i < s->fills->len; i++)
    {
      const EaFillData *f = g_ptr_array_index (s->fills, i);

      if ((o->broker_order_id != NULL && g_strcmp0 (f->broker_order_id, o->broker_order_id) == 0) ||
          g_strcmp0 (f->client_order_id, o->client_order_id) == 0)
        filled += f->qty;
    }

  return filled;
}

static void
audit_settled (EaDesk          *self,
               EaBroker        *broker,
               const DeskOrder *o,
               EaOrderState     before,
               const char      *reason)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *details = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "broker");
  json_builder_add_string_value (b, ea_broker_get_name (broker));
  json_builder_set_member_name (b, "account");
  json_builder_add_string_value (b, o->account ? o->account : "");
  json_builder_set_member_name (b, "from");
  json_builder_add_string_value (b, ea_order_state_to_string (before));
  json_builder_set_member_name (b, "to");
  json_builder_add_string_value (b, ea_order_state_to_string (o->state));
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, reason);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  details = json_to_string (root, FALSE);

  _ea_desk_audit (self, EA_ACTOR_AUTOMATIC, "order.settled", o->client_order_id, details);
}

/* Differences ---------------------------------------------------------- */

static void
report_difference (EaDesk     *self,
                   EaBroker   *broker,
                   const char *what,
                   const char *subject,
                   const char *before,
                   const char *after)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *details = NULL;
  g_autofree char *body = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "broker");
  json_builder_add_string_value (b, ea_broker_get_name (broker));
  json_builder_set_member_name (b, "what");
  json_builder_add_string_value (b, what);
  json_builder_set_member_name (b, "before");
  json_builder_add_string_value (b, before);
  json_builder_set_member_name (b, "after");
  json_builder_add_string_value (b, after);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  details = json_to_string (root, FALSE);

  /* TRANSLATORS: broker name, "order"/"position" and its id, the desk's view, the broker's */
  body = g_strdup_printf (_("%s: %s %s was %s on the desk and is %s at the broker; the broker's state was taken"),
                          ea_broker_get_name (broker), what, subject, before, after);
  g_message ("%s", body);
  _ea_desk_alert (self, "system_status", EA_ALERT_PRIORITY_HIGH, _("Reconciliation difference"), body);
  _ea_desk_audit (self, EA_ACTOR_AUTOMATIC, "reconcile.difference", subject, details);
}

static gboolean
snapshot_position_qty (const EaSnapshotData *s,
                       const char           *account,
                       const char           *symbol,
                       gint64               *qty)
{
  for (guint i = 0; i < s->positions->len; i++)
    {
      const EaPositionData *p = g_ptr_array_index (s->positions, i);

      if (g_strcmp0 (p->account, account) == 0 && g_strcmp0 (p->symbol, symbol) == 0)
        {
          *qty = p->qty;
          return TRUE;
        }
    }

  return FALSE;
}

/* Before @s is applied: what the broker has against what the desk
 * believed, order states (by client or broker id) and position sizes
 * (by account and symbol). Each difference is an alert and an audit row;
 * the snapshot is then applied, the broker's truth. */
void
_ea_desk_report_differences (EaDesk               *self,
                             EaBroker             *broker,
                             const EaSnapshotData *s)
{
  GListModel *positions = ea_trading_store_get_positions (self->store);

  for (guint i = 0; i < s->orders->len; i++)
    {
      const EaOrderData *d = g_ptr_array_index (s->orders, i);
      DeskOrder *o = d->client_order_id ? g_hash_table_lookup (self->orders, d->client_order_id) : NULL;

      if (o == NULL || o->broker != broker || o->state == d->state || o->state == EA_ORDER_STATE_UNKNOWN)
        continue;

      report_difference (self, broker, "order", o->client_order_id,
                         ea_order_state_to_string (o->state), ea_order_state_to_string (d->state));
    }

  for (guint i = 0; i < g_list_model_get_n_items (positions); i++)
    {
      g_autoptr(EaPosition) p = g_list_model_get_item (positions, i);
      const char *account = ea_position_get_account (p);
      DeskAccount *a = _ea_desk_account (self, account);
      gint64 theirs = 0, ours = ea_position_get_qty (p);

      if (a == NULL || a->broker != broker)
        continue;
      snapshot_position_qty (s, account, ea_position_get_symbol (p), &theirs);
      if (theirs != ours)
        {
          g_autofree char *subject = g_strdup_printf ("%s/%s", account, ea_position_get_symbol (p));
          g_autofree char *before = g_strdup_printf ("%" G_GINT64_FORMAT, ours);
          g_autofree char *after = g_strdup_printf ("%" G_GINT64_FORMAT, theirs);

          report_difference (self, broker, "position", subject, before, after);
        }
    }

  for (guint i = 0; i < s->positions->len; i++)
    {
      const EaPositionData *d = g_ptr_array_index (s->positions, i);
      DeskAccount *a = _ea_desk_account (self, d->account);

      if (a != NULL && a->broker == broker && d->qty != 0 &&
          ea_trading_store_lookup_position (self->store, d->account, d->symbol) == NULL)
        {
          g_autofree char *subject = g_strdup_printf ("%s/%s", d->account, d->symbol);
          g_autofree char *after = g_strdup_printf ("%" G_GINT64_FORMAT, d->qty);

          report_difference (self, broker, "position", subject, "0", after);
        }
    }
}

/* Restart ------------------------------------------------------------ */

typedef struct
{
  EaDesk *desk;
  GArray *accounts;   /* EaJournalAccount */
} RestoreData;

static void
restore_data_free (RestoreData *data)
{
  g_object_unref (data->desk);
  if (data->accounts != NULL)
    g_array_unref (data->accounts);
  g_free (data);
}

static const char *
journal_account_name (GArray *accounts,
                      gint64  id)
{
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      const EaJournalAccount *a = &g_array_index (accounts, EaJournalAccount, i);

      if (a->id == id)
        return a->broker_account_id;
    }

  return NULL;
}

static EaOrderType
journal_order_type (const char *name)
{
  EaOrderType type = EA_ORDER_TYPE_MARKET;

  if (name != NULL && !ea_order_type_from_string (name, &type))
    type = EA_ORDER_TYPE_MARKET;

  return type;
}

static void
open_orders_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RestoreData *data = user_data;
  EaDesk *self = data->desk;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orders = ea_journal_load_open_orders_finish (EA_JOURNAL (object), result, &error);
  guint n = 0;

  if (orders == NULL)
    {
      g_message ("Could not reload the journal's open orders: %s", error->message);
      restore_data_free (data);
      return;
    }

  for (guint i = 0; i < orders->len; i++)
    {
      const EaJournalOrder *jo = g_ptr_array_index (orders, i);
      const char *account = journal_account_name (data->accounts, jo->account_id);
      DeskOrder *o;
      EaOrderState state;

      if (jo->client_order_id == NULL || jo->broker == NULL || account == NULL || jo->symbol == NULL ||
          g_hash_table_contains (self->orders, jo->client_order_id) ||
          !ea_order_state_from_string (jo->state, &state))
        continue;

      o = g_new0 (DeskOrder, 1);
      o->client_order_id = g_strdup (jo->client_order_id);
      o->broker_order_id = g_strdup (jo->broker_order_id);
      o->account = g_strdup (account);
      o->symbol = g_strdup (jo->symbol);
      o->side = jo->side;
      o->type = journal_order_type (jo->order_type);
      o->qty = jo->qty;
      o->filled = jo->filled_qty;
      o->limit_price = jo->limit_ticks;
      o->stop_price = jo->stop_ticks;
      o->state = state;
      o->restored_broker = g_strdup (jo->broker);
      g_hash_table_insert (self->orders, g_strdup (o->client_order_id), o);
      n++;
    }

  g_debug ("Reloaded %u of %u open orders from the journal", n, orders->len);

  /* Brokers already connected are asked again, now that the desk knows
   * what it believed. */
  if (n > 0)
    for (guint i = 0; i < self->brokers->len; i++)
      {
        EaBroker *broker = g_ptr_array_index (self->brokers, i);

        if (ea_broker_get_connection_state (broker) == EA_CONNECTION_STATE_CONNECTED)
          _ea_desk_reconcile (self, broker);
      }

  restore_data_free (data);
}

static void
accounts_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  RestoreData *data = user_data;
  g_autoptr(GError) error = NULL;

  data->accounts = ea_journal_load_accounts_finish (EA_JOURNAL (object), result, &error);
  if (data->accounts == NULL)
    g_message ("Could not reload the journal's accounts: %s", error->message);

  ea_journal_load_open_orders_async (EA_JOURNAL (object), 0, NULL, open_orders_cb, data);
}

/* Reloads the orders the journal holds as not final, so that a restart
 * keeps knowing them by their client ids. */
void
_ea_desk_restore_orders (EaDesk *self)
{
  RestoreData *data;

  if (self->journal == NULL)
    return;

  data = g_new0 (RestoreData, 1);
  data->desk = g_object_ref (self);
  ea_journal_load_accounts_async (self->journal, NULL, accounts_loaded_cb, data);
}

/* Before @broker's snapshot is applied: the reloaded orders that were
 * sent through it become its orders again. */
void
_ea_desk_adopt_restored_orders (EaDesk   *self,
                                EaBroker *broker)
{
  GHashTableIter iter;
  DeskOrder *o;

  g_hash_table_iter_init (&iter, self->orders);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &o))
    if (o->broker == NULL && g_strcmp0 (o->restored_broker, ea_broker_get_name (broker)) == 0)
      {
        o->broker = broker;
        o->restored = TRUE;
        g_clear_pointer (&o->restored_broker, g_free);
        _ea_desk_index_order (self, o);
      }
}

/* Called once @s has been applied: an order of @broker still UNKNOWN was
 * not among the snapshot's orders. With fills it was filled; without, it
 * never reached the broker and is settled as rejected (not placed). */
void
_ea_desk_settle_unknown_orders (EaDesk               *self,
                                EaBroker             *broker,
                                const EaSnapshotData *s)
{
  GHashTableIter iter;
  DeskOrder *o;

  g_hash_table_iter_init (&iter, self->orders);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &o))
    {
      g_autofree char *reason = NULL;
      gint64 filled;

      gboolean restored;
      EaOrderState before;

      if (o->broker != broker)
        continue;
      restored = o->restored;
      o->restored = FALSE;
      if ((o->state != EA_ORDER_STATE_UNKNOWN && !(restored && ea_order_state_is_live (o->state))) ||
          snapshot_has_order (s, o))
        continue;

      before = o->state;
      filled = snapshot_filled (s, o);
      if (filled > 0)
        {
          o->filled = filled;
          o->state = EA_ORDER_STATE_FILLED;
          reason = g_strdup_printf (_("Settled by reconciliation: %s has fills for it"),
                                    ea_broker_get_name (broker));
        }
      else if (before != EA_ORDER_STATE_UNKNOWN && o->broker_order_id != NULL)
        {
          /* Acknowledged once, gone now: it ended while the desk was away. */
          o->state = EA_ORDER_STATE_CANCELLED;
          reason = g_strdup_printf (_("Settled by reconciliation: %s no longer has the order"),
                                    ea_broker_get_name (broker));
        }
      else
        {
          o->state = EA_ORDER_STATE_REJECTED;
          reason = g_strdup_printf (_("Not placed: the request timed out and %s has no record of the order"),
                                    ea_broker_get_name (broker));
        }

      g_message ("Order %s: %s", o->client_order_id, reason);
      _ea_desk_journal_order (self, o, EA_ACTOR_AUTOMATIC, reason);
      audit_settled (self, broker, o, before, reason);
    }
}
