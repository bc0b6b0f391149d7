/* ea-csv.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-csv"

#include "config.h"

#include <string.h>

#include "ea-csv.h"
#include "ea-instrument.h"
#include "ea-money.h"
#include "ea-session.h"

void
ea_csv_append_field (GString    *out,
                     const char *field)
{
  if (field == NULL)
    return;

  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (out, field);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

void
ea_csv_append_record (GString            *out,
                      const char * const *fields,
                      guint               n_fields)
{
  for (guint i = 0; i < n_fields; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      ea_csv_append_field (out, fields[i]);
    }
  g_string_append (out, "\r\n");
}

char *
ea_csv_format_time (EaTimeUs time_us)
{
  g_autoptr(GDateTime) t = ea_time_us_to_date_time (time_us);

  return g_date_time_format (t, "%Y-%m-%dT%H:%M:%S.%fZ");
}

static char *
format_money (EaMicros amount)
{
  return ea_money_format_full (amount, EA_MONEY_FORMAT_NO_SYMBOL | EA_MONEY_FORMAT_NO_GROUPING);
}

static char *
format_price (const char *root,
              EaTicks     ticks)
{
  const EaInstrumentSpec *spec = root != NULL ? ea_instrument_lookup (root) : NULL;

  if (spec == NULL)
    return g_strdup ("");
  return ea_instrument_format_price_decimal (spec, ticks);
}

static char *
format_int (gint64 v)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, v);
}

static char *
format_id (gint64 id)
{
  return id != 0 ? format_int (id) : g_strdup ("");
}

/* Appends a record of owned strings and frees them. */
static void
append_owned (GString *out,
              char   **fields,
              guint    n_fields)
{
  ea_csv_append_record (out, (const char * const *) fields, n_fields);
  for (guint i = 0; i < n_fields; i++)
    g_free (fields[i]);
}

GString *
ea_csv_trades (const EaJournalTrade *trades,
               guint                 n_trades)
{
  static const char * const header[] = {
    "id", "account_id", "symbol", "root", "side", "qty", "entry_time", "exit_time",
    "entry_ticks", "exit_ticks", "entry_price", "exit_price", "pnl", "fees",
    "mae_ticks", "mfe_ticks", "duration_s", "tags", "notes", "signal_id",
  };
  GString *out = g_string_sized_new (128 + (gsize) n_trades * 160);

  ea_csv_append_record (out, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < n_trades; i++)
    {
      const EaJournalTrade *t = &trades[i];
      EaTimeUs duration = t->exit_time_us - t->entry_time_us;
      char *f[G_N_ELEMENTS (header)] = {
        format_int (t->id),
        format_id (t->account_id),
        g_strdup (t->symbol),
        g_strdup (t->root),
        g_strdup (t->side == EA_SIDE_SELL ? "SELL" : "BUY"),
        format_int (t->qty),
        ea_csv_format_time (t->entry_time_us),
        ea_csv_format_time (t->exit_time_us),
        format_int (t->entry_ticks),
        format_int (t->exit_ticks),
        format_price (t->root, t->entry_ticks),
        format_price (t->root, t->exit_ticks),
        format_money (t->pnl_micros),
        format_money (t->fees_micros),
        format_int (t->mae_ticks),
        format_int (t->mfe_ticks),
        g_strdup_printf ("%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT,
                         duration / G_USEC_PER_SEC, ABS (duration % G_USEC_PER_SEC)),
        g_strdup (t->tags),
        g_strdup (t->notes),
        format_id (t->signal_id),
      };

      append_owned (out, f, G_N_ELEMENTS (f));
    }
  return out;
}

GString *
ea_csv_fills (GPtrArray *fills)
{
  static const char * const header[] = {
    "time", "broker", "broker_fill_id", "account_id", "client_order_id", "broker_order_id",
    "symbol", "root", "side", "qty", "price_ticks", "price", "fee",
  };
  GString *out = g_string_sized_new (128 + (gsize) fills->len * 128);

  ea_csv_append_record (out, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < fills->len; i++)
    {
      const EaJournalFill *x = g_ptr_array_index (fills, i);
      char *f[G_N_ELEMENTS (header)] = {
        ea_csv_format_time (x->time_us),
        g_strdup (x->broker),
        g_strdup (x->broker_fill_id),
        format_id (x->account_id),
        g_strdup (x->client_order_id),
        g_strdup (x->broker_order_id),
        g_strdup (x->symbol),
        g_strdup (x->root),
        g_strdup (x->side == EA_SIDE_SELL ? "SELL" : "BUY"),
        format_int (x->qty),
        format_int (x->price_ticks),
        format_price (x->root, x->price_ticks),
        format_money (x->fee_micros),
      };

      append_owned (out, f, G_N_ELEMENTS (f));
    }
  return out;
}

GString *
ea_csv_audit (const EaJournalAuditRow *rows,
              guint                    n_rows)
{
  static const char * const header[] = {
    "seq", "time", "actor", "kind", "subject", "details", "prev_hash", "hash",
  };
  GString *out = g_string_sized_new (128 + (gsize) n_rows * 256);

  ea_csv_append_record (out, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < n_rows; i++)
    {
      const EaJournalAuditRow *r = &rows[i];
      char *f[G_N_ELEMENTS (header)] = {
        format_int (r->seq),
        ea_csv_format_time (r->time_us),
        g_strdup (r->actor),
        g_strdup (r->kind),
        g_strdup (r->subject),
        g_strdup (r->details),
        g_strdup (r->prev_hash),
        g_strdup (r->hash),
      };

      append_owned (out, f, G_N_ELEMENTS (f));
    }
  return out;
}

GString *
ea_csv_risk_events (const EaJournalRiskEvent *events,
                    guint                     n_events)
{
  static const char * const header[] = { "id", "time", "account_id", "kind", "reason", "details" };
  GString *out = g_string_sized_new (128 + (gsize) n_events * 128);

  ea_csv_append_record (out, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < n_events; i++)
    {
      const EaJournalRiskEvent *e = &events[i];
      char *f[G_N_ELEMENTS (header)] = {
        format_int (e->id),
        ea_csv_format_time (e->time_us),
        format_id (e->account_id),
        g_strdup (ea_journal_risk_kind_to_string (e->kind)),
        g_strdup (e->reason),
        g_strdup (e->details),
      };

      append_owned (out, f, G_N_ELEMENTS (f));
    }
  return out;
}

gboolean
ea_csv_write_file (GFile          *file,
                   const GString  *csv,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (csv != NULL, FALSE);

  return g_file_replace_contents (file, csv->str, csv->len, NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, error);
}
