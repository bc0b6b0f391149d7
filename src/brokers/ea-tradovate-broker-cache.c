/* ea-tradovate-broker-cache.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Tradovate adapter's cache of accounts, contracts and orders by id:
 * the shared JSON helpers, lookups by name and desk symbol (a root for
 * its front month), the product check against the core's table, and
 * contract resolution through `contract/find`.
 */
#define G_LOG_DOMAIN "ea-tradovate"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ea-session.h"
#include "ea-tradovate-broker-private.h"

/* JSON helpers ----------------------------------------------------------- */

EaTimeUs
_ea_tv_get_time (JsonObject *o,
                 const char *name)
{
  const char *text = ea_json_get_string (o, name);
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    return g_get_real_time ();

  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    return g_get_real_time ();

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

void
_ea_tv_set_str (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

GError *
_ea_tv_cancelled_error (void)
{
  return g_error_new_literal (EA_BROKER_ERROR, EA_BROKER_ERROR_CANCELLED, _("Cancelled"));
}

/* Turns a GIO cancellation into the broker domain; other errors pass. */
GError *
_ea_tv_broker_error (GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      return _ea_tv_cancelled_error ();
    }
  return error;
}

/* Cache ------------------------------------------------------------------ */

static void
account_info_free (TvAccountInfo *info)
{
  g_free (info->name);
  g_free (info->admin_action);
  g_free (info->data.name);
  g_free (info->data.profile);
  g_free (info->data.restriction_text);
  g_free (info);
}

static void
contract_info_free (TvContractInfo *info)
{
  g_free (info->name);
  g_free (info);
}

static void
order_info_free (TvOrderInfo *info)
{
  g_free (info->data.account);
  g_free (info->data.symbol);
  g_free (info->data.client_order_id);
  g_free (info->data.broker_order_id);
  g_free (info->data.parent_order_id);
  g_free (info->data.oco_order_id);
  g_free (info->data.reason);
  g_free (info);
}

void
_ea_tv_trading_init (EaTradovateBroker *self)
{
  self->accounts = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) account_info_free);
  self->contracts = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) contract_info_free);
  self->orders = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) order_info_free);
  self->fill_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) ea_position_data_free);
  self->subscriptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->products = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) json_node_unref);
}

void
_ea_tv_trading_clear (EaTradovateBroker *self)
{
  g_clear_pointer (&self->accounts, g_hash_table_unref);
  g_clear_pointer (&self->contracts, g_hash_table_unref);
  g_clear_pointer (&self->orders, g_hash_table_unref);
  g_clear_pointer (&self->fill_ids, g_hash_table_unref);
  g_clear_pointer (&self->positions, g_hash_table_unref);
  g_clear_pointer (&self->subscriptions, g_hash_table_unref);
  g_clear_pointer (&self->products, g_hash_table_unref);
}

TvAccountInfo *
_ea_tv_account_by_name (EaTradovateBroker *self,
                        const char        *name)
{
  GHashTableIter iter;
  TvAccountInfo *info;

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &info))
    if (g_strcmp0 (info->name, name) == 0)
      return info;

  return NULL;
}

static TvContractInfo *
contract_by_name (EaTradovateBroker *self,
                  const char        *name)
{
  GHashTableIter iter;
  TvContractInfo *info;

  g_hash_table_iter_init (&iter, self->contracts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &info))
    if (g_ascii_strcasecmp (info->name, name) == 0)
      return info;

  return NULL;
}

/* Tradovate's name for a desk symbol: with front_month_as_root, a root
 * ("ES") is its front month today ("ESZ6"). */
char *
_ea_tv_name (EaTradovateBroker *self,
             const char        *symbol)
{
  const EaInstrumentSpec *spec = symbol ? ea_instrument_lookup (symbol) : NULL;

  if (self->config.front_month_as_root && spec != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      EaContract front;

      if (ea_contract_front (spec, ea_session_trading_day (now), &front))
        return ea_contract_format (&front, EA_SYMBOLOGY_TRADOVATE);
    }
  return g_strdup (symbol);
}

/* The symbol a contract is reported under: its root while it is the front
 * month (with front_month_as_root), else its name. Checked again every
 * minute, so a roll is followed. */
const char *
_ea_tv_desk_symbol (EaTradovateBroker *self,
                    TvContractInfo    *info)
{
  gint64 now = g_get_real_time ();

  if (!self->config.front_month_as_root || info->spec == NULL)
    return info->name;

  if (info->front_checked == 0 || now - info->front_checked > 60 * G_USEC_PER_SEC)
    {
      g_autofree char *front = _ea_tv_name (self, info->spec->root);

      info->front = g_ascii_strcasecmp (front, info->name) == 0;
      info->front_checked = now;
    }
  return info->front ? info->spec->root : info->name;
}

/* A contract by a desk symbol: its name, or a root for its front month. */
TvContractInfo *
_ea_tv_contract_by_symbol (EaTradovateBroker *self,
                           const char        *symbol)
{
  g_autofree char *name = _ea_tv_name (self, symbol);

  return name ? contract_by_name (self, name) : NULL;
}

static const EaInstrumentSpec *
spec_for_symbol (const char *name)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  EaContract contract;

  if (ea_contract_parse (name, EA_SYMBOLOGY_TRADOVATE, ea_session_trading_day (now), &contract, NULL))
    return contract.spec;

  return NULL;
}

/* The product's tick size and value per point must be the core's: a
 * mismatch leaves the contract untradeable, with the reason. */
gboolean
_ea_tv_check_product (const EaInstrumentSpec  *spec,
                      JsonObject              *product,
                      GError                 **error)
{
  double tick_size, value_per_point;
  double expected_vpp = (double) ea_instrument_point_value (spec) / EA_MICROS_PER_UNIT;

  if (product == NULL)
    return TRUE;

  if (ea_json_get_double (product, "tickSize", &tick_size) &&
      fabs (tick_size - spec->tick_size) > spec->tick_size * 1e-9)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                   _("Tradovate reports a tick size of %g for %s; Enigma Apex knows %g. Trading it is refused until this is resolved."),
                   tick_size, spec->root, spec->tick_size);
      return FALSE;
    }

  if (ea_json_get_double (product, "valuePerPoint", &value_per_point) &&
      fabs (value_per_point - expected_vpp) > expected_vpp * 1e-9)
    {
      g_set_error (error, EA_BROKER_ERROR, EA_BROKER_ERROR_REJECTED,
                   _("Tradovate reports $%g per point for %s; Enigma Apex knows $%g. Trading it is refused until this is resolved."),
                   value_per_point, spec->root, expected_vpp);
      return FALSE;
    }

  return TRUE;
}

TvContractInfo *
_ea_tv_add_contract (EaTradovateBroker *self,
                     JsonObject        *entity)
{
  TvContractInfo *info;
  const char *name = ea_json_get_string (entity, "name");
  gint64 id;

  if (name == NULL || !ea_json_get_int (entity, "id", &id))
    return NULL;

  info = g_hash_table_lookup (self->contracts, &id);
  if (info == NULL)
    {
      info = g_new0 (TvContractInfo, 1);
      info->id = id;
      g_hash_table_insert (self->contracts, &info->id, info);
    }

  _ea_tv_set_str (&info->name, name);
  ea_json_get_int (entity, "contractMaturityId", &info->maturity_id);
  info->spec = spec_for_symbol (name);

  return info;
}

TvOrderInfo *
_ea_tv_order_info (EaTradovateBroker *self,
                   gint64             id)
{
  TvOrderInfo *info = g_hash_table_lookup (self->orders, &id);

  if (info == NULL)
    {
      info = g_new0 (TvOrderInfo, 1);
      info->id = id;
      info->data.broker_order_id = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      info->data.state = EA_ORDER_STATE_PENDING_NEW;
      g_hash_table_insert (self->orders, &info->id, info);
    }

  return info;
}

const EaInstrumentSpec *
_ea_tv_order_spec (EaTradovateBroker *self,
                   TvOrderInfo       *info)
{
  TvContractInfo *contract = g_hash_table_lookup (self->contracts, &info->contract_id);

  return contract ? contract->spec : NULL;
}

/* Contracts ---------------------------------------------------------------- */

typedef struct
{
  char           *symbol;
  TvContractInfo *contract;
  JsonNode       *contract_json;
  gint64          maturity_id;
} ResolveData;

static void
resolve_data_free (ResolveData *data)
{
  g_free (data->symbol);
  g_clear_pointer (&data->contract_json, json_node_unref);
  g_free (data);
}

static void
resolve_product_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  g_autoptr(GTask) task = user_data;
  ResolveData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonNode) product = _ea_tv_request_finish (self, result, &error);
  TvContractInfo *info;

  if (product == NULL)
    {
      g_task_return_error (task, _ea_tv_broker_error (error));
      return;
    }

  info = _ea_tv_add_contract (self, json_node_get_object (data->contract_json));
  if (info == NULL || info->spec == NULL)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                               _("%s is not a contract Enigma Apex trades"), data->symbol);
      return;
    }

  if (JSON_NODE_HOLDS_OBJECT (product) && !_ea_tv_check_product (info->spec, json_node_get_object (product), &error))
    {
      info->spec = NULL;
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, info, NULL);
}

static void
resolve_maturity_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(JsonNode) maturity = _ea_tv_request_finish (self, result, &error);
  g_autofree char *query = NULL;
  gint64 product_id = 0;

  if (maturity == NULL)
    {
      g_task_return_error (task, _ea_tv_broker_error (error));
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (maturity) || !ea_json_get_int (json_node_get_object (maturity), "productId", &product_id))
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_FAILED,
                               _("Tradovate sent a contract maturity without its product"));
      return;
    }

  query = g_strdup_printf ("id=%" G_GINT64_FORMAT, product_id);
  _ea_tv_request (self, FALSE, "product/item", query, NULL, FALSE,
                  g_task_get_cancellable (task), resolve_product_cb, g_object_ref (task));
}

static void
resolve_contract_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  EaTradovateBroker *self = EA_TRADOVATE_BROKER (object);
  g_autoptr(GTask) task = user_data;
  ResolveData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonNode) contract = _ea_tv_request_finish (self, result, &error);
  g_autofree char *query = NULL;

  if (contract == NULL || !JSON_NODE_HOLDS_OBJECT (contract))
    {
      if (error == NULL || g_error_matches (error, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                                   _("Tradovate has no contract %s"), data->symbol);
        }
      else
        g_task_return_error (task, _ea_tv_broker_error (error));
      return;
    }

  data->contract_json = json_node_ref (contract);
  if (!ea_json_get_int (json_node_get_object (contract), "contractMaturityId", &data->maturity_id))
    {
      /* No maturity: nothing to check the product against. */
      TvContractInfo *info = _ea_tv_add_contract (self, json_node_get_object (contract));

      if (info == NULL || info->spec == NULL)
        g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                                 _("%s is not a contract Enigma Apex trades"), data->symbol);
      else
        g_task_return_pointer (task, info, NULL);
      return;
    }

  query = g_strdup_printf ("id=%" G_GINT64_FORMAT, data->maturity_id);
  _ea_tv_request (self, FALSE, "contractMaturity/item", query, NULL, FALSE,
                  g_task_get_cancellable (task), resolve_maturity_cb, g_object_ref (task));
}

/* Finds @symbol's contract, asking Tradovate and checking its product
 * against the core's table the first time. */
void
_ea_tv_resolve_contract_async (EaTradovateBroker   *self,
                               const char          *symbol,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *name = _ea_tv_name (self, symbol);
  TvContractInfo *info;
  ResolveData *data;
  g_autofree char *query = NULL;

  symbol = name;
  info = symbol ? contract_by_name (self, symbol) : NULL;

  if (info != NULL && info->spec != NULL)
    {
      g_task_return_pointer (task, info, NULL);
      return;
    }

  if (symbol == NULL || spec_for_symbol (symbol) == NULL)
    {
      g_task_return_new_error (task, EA_BROKER_ERROR, EA_BROKER_ERROR_NOT_FOUND,
                               _("“%s” is not a Tradovate contract symbol Enigma Apex trades"),
                               symbol ? symbol : "");
      return;
    }

  data = g_new0 (ResolveData, 1);
  data->symbol = g_strdup (symbol);
  g_task_set_task_data (task, data, (GDestroyNotify) resolve_data_free);

  query = g_strdup_printf ("name=%s", symbol);
  _ea_tv_request (self, FALSE, "contract/find", query, NULL, FALSE, cancellable,
                  resolve_contract_cb, g_steal_pointer (&task));
}

TvContractInfo *
_ea_tv_resolve_contract_finish (EaTradovateBroker  *self,
                                GAsyncResult       *result,
                                GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
ea_tradovate_broker_get_admin_action (EaTradovateBroker *self,
                                      const char        *account)
{
  TvAccountInfo *info;

  g_return_val_if_fail (EA_IS_TRADOVATE_BROKER (self), NULL);

  info = _ea_tv_account_by_name (self, account);
  return info ? info->admin_action : NULL;
}
