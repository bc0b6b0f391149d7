/* ea-desk-reconcile.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a broker's snapshot settles once it has been applied: orders whose
 * request timed out (UNKNOWN) and that the broker has never heard of are
 * not placed, and say so in the journal and the audit trail.
 */
#define G_LOG_DOMAIN "ea-desk"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ea-desk-private.h"

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
  json_builder_add_string_value (b, ea_order_state_to_string (EA_ORDER_STATE_UNKNOWN));
  json_builder_set_member_name (b, "to");
  json_builder_add_string_value (b, ea_order_state_to_string (o->state));
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, reason);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  details = json_to_string (root, FALSE);

  _ea_desk_audit (self, EA_ACTOR_AUTOMATIC, "order.settled", o->client_order_id, details);
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

      if (o->broker != broker || o->state != EA_ORDER_STATE_UNKNOWN || snapshot_has_order (s, o))
        continue;

      filled = snapshot_filled (s, o);
      if (filled > 0)
        {
          o->filled = filled;
          o->state = EA_ORDER_STATE_FILLED;
          reason = g_strdup_printf (_("Settled by reconciliation: %s has fills for it"),
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
      audit_settled (self, broker, o, reason);
    }
}
