/* ea-trade-data.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-trade-data"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ea-trade-data.h"

G_DEFINE_QUARK (ea-broker-error-quark, ea_broker_error)

gint64
ea_broker_error_get_retry_after_ms (const GError *error)
{
  const char *p;

  if (error == NULL || !g_error_matches (error, EA_BROKER_ERROR, EA_BROKER_ERROR_RATE_LIMITED))
    return -1;

  p = strstr (error->message, "retry after ");
  if (p == NULL)
    return -1;

  return g_ascii_strtoll (p + strlen ("retry after "), NULL, 10);
}

const char *
ea_connection_state_to_string (EaConnectionState state)
{
  switch (state)
    {
    case EA_CONNECTION_STATE_DISCONNECTED: return "disconnected";
    case EA_CONNECTION_STATE_CONNECTING:   return "connecting";
    case EA_CONNECTION_STATE_RECONCILING:  return "reconciling";
    case EA_CONNECTION_STATE_CONNECTED:    return "connected";
    default:                               return "invalid";
    }
}

EaOrderRequest *
ea_order_request_new (const char  *account,
                      const char  *symbol,
                      const char  *client_order_id,
                      EaSide       side,
                      EaOrderType  type,
                      gint64       qty)
{
  EaOrderRequest *r = g_new0 (EaOrderRequest, 1);

  r->account = g_strdup (account);
  r->symbol = g_strdup (symbol);
  r->client_order_id = g_strdup (client_order_id);
  r->side = side;
  r->type = type;
  r->tif = EA_TIME_IN_FORCE_DAY;
  r->qty = qty;

  return r;
}

EaOrderRequest *
ea_order_request_copy (const EaOrderRequest *request)
{
  EaOrderRequest *r;

  g_return_val_if_fail (request != NULL, NULL);

  r = g_memdup2 (request, sizeof *request);
  r->account = g_strdup (request->account);
  r->symbol = g_strdup (request->symbol);
  r->client_order_id = g_strdup (request->client_order_id);
  r->stop_loss_client_order_id = g_strdup (request->stop_loss_client_order_id);
  r->take_profit_client_order_id = g_strdup (request->take_profit_client_order_id);

  return r;
}

void
ea_order_request_free (EaOrderRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->account);
  g_free (request->symbol);
  g_free (request->client_order_id);
  g_free (request->stop_loss_client_order_id);
  g_free (request->take_profit_client_order_id);
  g_free (request);
}

EaOrderData *
ea_order_data_copy (const EaOrderData *order)
{
  EaOrderData *o;

  g_return_val_if_fail (order != NULL, NULL);

  o = g_memdup2 (order, sizeof *order);
  o->account = g_strdup (order->account);
  o->symbol = g_strdup (order->symbol);
  o->client_order_id = g_strdup (order->client_order_id);
  o->broker_order_id = g_strdup (order->broker_order_id);
  o->parent_order_id = g_strdup (order->parent_order_id);
  o->oco_order_id = g_strdup (order->oco_order_id);
  o->reason = g_strdup (order->reason);

  return o;
}

void
ea_order_data_free (EaOrderData *order)
{
  if (order == NULL)
    return;

  g_free (order->account);
  g_free (order->symbol);
  g_free (order->client_order_id);
  g_free (order->broker_order_id);
  g_free (order->parent_order_id);
  g_free (order->oco_order_id);
  g_free (order->reason);
  g_free (order);
}

EaFillData *
ea_fill_data_copy (const EaFillData *fill)
{
  EaFillData *f;

  g_return_val_if_fail (fill != NULL, NULL);

  f = g_memdup2 (fill, sizeof *fill);
  f->account = g_strdup (fill->account);
  f->symbol = g_strdup (fill->symbol);
  f->fill_id = g_strdup (fill->fill_id);
  f->broker_order_id = g_strdup (fill->broker_order_id);
  f->client_order_id = g_strdup (fill->client_order_id);

  return f;
}

void
ea_fill_data_free (EaFillData *fill)
{
  if (fill == NULL)
    return;

  g_free (fill->account);
  g_free (fill->symbol);
  g_free (fill->fill_id);
  g_free (fill->broker_order_id);
  g_free (fill->client_order_id);
  g_free (fill);
}

EaPositionData *
ea_position_data_copy (const EaPositionData *position)
{
  EaPositionData *p;

  g_return_val_if_fail (position != NULL, NULL);

  p = g_memdup2 (position, sizeof *position);
  p->account = g_strdup (position->account);
  p->symbol = g_strdup (position->symbol);

  return p;
}

void
ea_position_data_free (EaPositionData *position)
{
  if (position == NULL)
    return;

  g_free (position->account);
  g_free (position->symbol);
  g_free (position);
}

EaAccountData *
ea_account_data_copy (const EaAccountData *account)
{
  EaAccountData *a;

  g_return_val_if_fail (account != NULL, NULL);

  a = g_memdup2 (account, sizeof *account);
  a->name = g_strdup (account->name);
  a->profile = g_strdup (account->profile);
  a->restriction_text = g_strdup (account->restriction_text);

  return a;
}

void
ea_account_data_free (EaAccountData *account)
{
  if (account == NULL)
    return;

  g_free (account->name);
  g_free (account->profile);
  g_free (account->restriction_text);
  g_free (account);
}

/* The copy owns its symbol: it is stored right after the struct. */
EaQuoteData *
ea_quote_data_copy (const EaQuoteData *quote)
{
  gsize len;
  EaQuoteData *q;

  g_return_val_if_fail (quote != NULL, NULL);

  len = quote->symbol != NULL ? strlen (quote->symbol) + 1 : 0;
  q = g_malloc (sizeof *q + len);
  *q = *quote;
  if (len > 0)
    {
      memcpy ((char *) (q + 1), quote->symbol, len);
      q->symbol = (const char *) (q + 1);
    }

  return q;
}

void
ea_quote_data_free (EaQuoteData *quote)
{
  g_free (quote);
}

EaSnapshotData *
ea_snapshot_data_new (EaTimeUs time)
{
  EaSnapshotData *s = g_new0 (EaSnapshotData, 1);

  s->time = time;
  s->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_account_data_free);
  s->orders = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_order_data_free);
  s->positions = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_position_data_free);
  s->fills = g_ptr_array_new_with_free_func ((GDestroyNotify) ea_fill_data_free);

  return s;
}

void
ea_snapshot_data_free (EaSnapshotData *snapshot)
{
  if (snapshot == NULL)
    return;

  g_ptr_array_unref (snapshot->accounts);
  g_ptr_array_unref (snapshot->orders);
  g_ptr_array_unref (snapshot->positions);
  g_ptr_array_unref (snapshot->fills);
  g_free (snapshot);
}

const EaOrderData *
ea_snapshot_data_find_order_by_client_id (const EaSnapshotData *snapshot,
                                          const char           *client_order_id)
{
  g_return_val_if_fail (snapshot != NULL, NULL);

  for (guint i = 0; i < snapshot->orders->len; i++)
    {
      const EaOrderData *o = g_ptr_array_index (snapshot->orders, i);

      if (g_strcmp0 (o->client_order_id, client_order_id) == 0)
        return o;
    }

  return NULL;
}

guint
ea_snapshot_data_count_fill_id (const EaSnapshotData *snapshot,
                                const char           *fill_id)
{
  guint n = 0;

  g_return_val_if_fail (snapshot != NULL, 0);

  for (guint i = 0; i < snapshot->fills->len; i++)
    {
      const EaFillData *f = g_ptr_array_index (snapshot->fills, i);

      if (g_strcmp0 (f->fill_id, fill_id) == 0)
        n++;
    }

  return n;
}
