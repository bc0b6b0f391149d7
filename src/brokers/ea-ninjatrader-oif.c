/* ea-ninjatrader-oif.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-ninjatrader-oif"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ea-ninjatrader-oif.h"

G_DEFINE_QUARK (ea-nt-error-quark, ea_nt_error)

static const char *const command_words[] = {
  [EA_NT_COMMAND_PLACE] = "PLACE",
  [EA_NT_COMMAND_CHANGE] = "CHANGE",
  [EA_NT_COMMAND_CANCEL] = "CANCEL",
  [EA_NT_COMMAND_CANCELALLORDERS] = "CANCELALLORDERS",
  [EA_NT_COMMAND_CLOSEPOSITION] = "CLOSEPOSITION",
  [EA_NT_COMMAND_CLOSESTRATEGY] = "CLOSESTRATEGY",
  [EA_NT_COMMAND_FLATTENEVERYTHING] = "FLATTENEVERYTHING",
  [EA_NT_COMMAND_REVERSEPOSITION] = "REVERSEPOSITION",
};

static const char *const state_words[] = {
  [EA_NT_ORDER_INITIALIZED] = "INITIALIZED",
  [EA_NT_ORDER_SUBMITTED] = "SUBMITTED",
  [EA_NT_ORDER_ACCEPTED] = "ACCEPTED",
  [EA_NT_ORDER_TRIGGER_PENDING] = "TRIGGERPENDING",
  [EA_NT_ORDER_WORKING] = "WORKING",
  [EA_NT_ORDER_CHANGE_PENDING] = "CHANGEPENDING",
  [EA_NT_ORDER_CHANGE_SUBMITTED] = "CHANGESUBMITTED",
  [EA_NT_ORDER_CANCEL_PENDING] = "CANCELPENDING",
  [EA_NT_ORDER_CANCEL_SUBMITTED] = "CANCELSUBMITTED",
  [EA_NT_ORDER_CANCELLED] = "CANCELLED",
  [EA_NT_ORDER_REJECTED] = "REJECTED",
  [EA_NT_ORDER_PART_FILLED] = "PARTFILLED",
  [EA_NT_ORDER_FILLED] = "FILLED",
  [EA_NT_ORDER_UNKNOWN] = "UNKNOWN",
};

/* Other spellings seen in the wild, read as the canonical state. */
static const struct
{
  const char     *word;
  EaNtOrderState  state;
} state_aliases[] = {
  { "PARTIALLYFILLED", EA_NT_ORDER_PART_FILLED },
  { "PARTIALFILLED", EA_NT_ORDER_PART_FILLED },
  { "CANCELED", EA_NT_ORDER_CANCELLED },
  { "PENDINGSUBMIT", EA_NT_ORDER_SUBMITTED },
  { "PENDINGCANCEL", EA_NT_ORDER_CANCEL_PENDING },
  { "PENDINGCHANGE", EA_NT_ORDER_CHANGE_PENDING },
};

void
ea_nt_instruction_free (EaNtInstruction *in)
{
  if (in == NULL)
    return;
  g_free (in->account);
  g_free (in->instrument);
  g_free (in->limit_price);
  g_free (in->stop_price);
  g_free (in->oco_id);
  g_free (in->order_id);
  g_free (in->strategy);
  g_free (in->strategy_id);
  g_free (in);
}

const char *
ea_nt_command_to_string (EaNtCommand command)
{
  if ((guint) command < G_N_ELEMENTS (command_words))
    return command_words[command];
  return "?";
}

static gboolean
invalid (GError **error, const char *what, EaNtCommand command)
{
  g_set_error (error, EA_NT_ERROR, EA_NT_ERROR_INVALID,
               _("NinjaTrader %s instruction: %s"), ea_nt_command_to_string (command), what);
  return FALSE;
}

/* A field must not break the line apart. */
static gboolean
field_ok (const char *s)
{
  return s == NULL || strpbrk (s, ";\r\n") == NULL;
}

static gboolean
present (const char *s)
{
  return s != NULL && *s != '\0';
}

static const char *
type_word (EaOrderType type, const char *stop_keyword)
{
  switch (type)
    {
    case EA_ORDER_TYPE_MARKET:
      return "MARKET";
    case EA_ORDER_TYPE_LIMIT:
      return "LIMIT";
    case EA_ORDER_TYPE_STOP:
      return stop_keyword;
    case EA_ORDER_TYPE_STOP_LIMIT:
      return "STOPLIMIT";
    default:
      return NULL;
    }
}

static gboolean
validate (const EaNtInstruction *in, GError **error)
{
  const char *fields[] = { in->account, in->instrument, in->limit_price, in->stop_price,
                           in->oco_id, in->order_id, in->strategy, in->strategy_id };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (!field_ok (fields[i]))
      return invalid (error, _("a field holds ';' or a line break"), in->command);

  switch (in->command)
    {
    case EA_NT_COMMAND_PLACE:
    case EA_NT_COMMAND_REVERSEPOSITION:
      if (!present (in->account) || !present (in->instrument))
        return invalid (error, _("account and instrument are required"), in->command);
      if (in->action != EA_SIDE_BUY && in->action != EA_SIDE_SELL)
        return invalid (error, _("the action must be BUY or SELL"), in->command);
      if (in->qty <= 0)
        return invalid (error, _("the quantity must be positive"), in->command);
      if (!in->has_type || !in->has_tif)
        return invalid (error, _("order type and time in force are required"), in->command);
      if ((in->type == EA_ORDER_TYPE_LIMIT || in->type == EA_ORDER_TYPE_STOP_LIMIT) &&
          !present (in->limit_price))
        return invalid (error, _("a limit price is required"), in->command);
      if ((in->type == EA_ORDER_TYPE_STOP || in->type == EA_ORDER_TYPE_STOP_LIMIT) &&
          !present (in->stop_price))
        return invalid (error, _("a stop price is required"), in->command);
      break;
    case EA_NT_COMMAND_CHANGE:
    case EA_NT_COMMAND_CANCEL:
      if (!present (in->order_id))
        return invalid (error, _("the order id is required"), in->command);
      if (in->qty < 0)
        return invalid (error, _("the quantity must not be negative"), in->command);
      break;
    case EA_NT_COMMAND_CLOSEPOSITION:
      if (!present (in->account) || !present (in->instrument))
        return invalid (error, _("account and instrument are required"), in->command);
      break;
    case EA_NT_COMMAND_CLOSESTRATEGY:
      if (!present (in->strategy_id))
        return invalid (error, _("the strategy id is required"), in->command);
      break;
    case EA_NT_COMMAND_CANCELALLORDERS:
    case EA_NT_COMMAND_FLATTENEVERYTHING:
      break;
    default:
      return invalid (error, _("unknown command"), in->command);
    }
  return TRUE;
}

char *
ea_nt_instruction_format (const EaNtInstruction *in,
                          const char            *stop_keyword,
                          GError               **error)
{
  const char *f[EA_NT_OIF_N_FIELDS] = { NULL };
  g_autofree char *qty = NULL;
  gboolean order_fields;

  g_return_val_if_fail (in != NULL, NULL);

  if (stop_keyword == NULL)
    stop_keyword = EA_NT_STOP_KEYWORD_NT8;
  if (!validate (in, error))
    return NULL;

  /* Only the positions the command documents are written. */
  order_fields = in->command == EA_NT_COMMAND_PLACE || in->command == EA_NT_COMMAND_REVERSEPOSITION;
  f[0] = ea_nt_command_to_string (in->command);
  switch (in->command)
    {
    case EA_NT_COMMAND_PLACE:
    case EA_NT_COMMAND_REVERSEPOSITION:
    case EA_NT_COMMAND_CLOSEPOSITION:
      f[1] = in->account;
      f[2] = in->instrument;
      break;
    case EA_NT_COMMAND_CHANGE:
    case EA_NT_COMMAND_CANCEL:
    case EA_NT_COMMAND_CANCELALLORDERS:
    case EA_NT_COMMAND_CLOSESTRATEGY:
    case EA_NT_COMMAND_FLATTENEVERYTHING:
    default:
      break;
    }
  if (order_fields)
    {
      f[3] = in->action == EA_SIDE_BUY ? "BUY" : "SELL";
      f[5] = type_word (in->type, stop_keyword);
      f[8] = in->tif == EA_TIME_IN_FORCE_GTC ? "GTC" : "DAY";
      f[9] = in->oco_id;
      f[11] = in->strategy;
    }
  if (order_fields || in->command == EA_NT_COMMAND_CHANGE)
    {
      qty = g_strdup_printf ("%" G_GINT64_FORMAT, in->qty);
      f[4] = qty;
      f[6] = in->limit_price;
      f[7] = in->stop_price;
      if (in->command == EA_NT_COMMAND_CHANGE)
        {
          f[6] = present (in->limit_price) ? in->limit_price : "0";
          f[7] = present (in->stop_price) ? in->stop_price : "0";
        }
    }
  if (order_fields || in->command == EA_NT_COMMAND_CHANGE || in->command == EA_NT_COMMAND_CANCEL)
    f[10] = in->order_id;
  if (order_fields || in->command == EA_NT_COMMAND_CHANGE || in->command == EA_NT_COMMAND_CANCEL ||
      in->command == EA_NT_COMMAND_CLOSESTRATEGY)
    f[12] = in->strategy_id;

  {
    GString *line = g_string_sized_new (96);

    for (guint i = 0; i < EA_NT_OIF_N_FIELDS; i++)
      {
        if (i > 0)
          g_string_append_c (line, ';');
        if (f[i] != NULL)
          g_string_append (line, f[i]);
      }
    return g_string_free (line, FALSE);
  }
}

static gboolean
malformed (GError **error, const char *line, const char *why)
{
  g_set_error (error, EA_NT_ERROR, EA_NT_ERROR_MALFORMED,
               _("Malformed NinjaTrader instruction “%s”: %s"), line, why);
  return FALSE;
}

static char *
nonempty (const char *s)
{
  return *s != '\0' ? g_strdup (s) : NULL;
}

static gboolean
parse_uint (const char *s, gint64 *out)
{
  guint64 v;

  if (*s == '\0')
    {
      *out = 0;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (s, 10, 0, G_MAXINT32, &v, NULL))
    return FALSE;
  *out = (gint64) v;
  return TRUE;
}

/* Plain decimal: optional '-', digits, at most one '.'. */
static gboolean
plain_decimal (const char *s)
{
  gboolean digits = FALSE, dot = FALSE;

  if (*s == '-')
    s++;
  for (; *s != '\0'; s++)
    {
      if (g_ascii_isdigit (*s))
        digits = TRUE;
      else if (*s == '.' && !dot)
        dot = TRUE;
      else
        return FALSE;
    }
  return digits;
}

EaNtInstruction *
ea_nt_instruction_parse (const char  *line,
                         GError     **error)
{
  g_autoptr(EaNtInstruction) in = g_new0 (EaNtInstruction, 1);
  g_autofree char *copy = NULL;
  g_auto(GStrv) f = NULL;
  gsize len;
  guint i;

  g_return_val_if_fail (line != NULL, NULL);

  copy = g_strdup (line);
  len = strlen (copy);
  if (len > 0 && copy[len - 1] == '\n')
    copy[--len] = '\0';
  if (len > 0 && copy[len - 1] == '\r')
    copy[--len] = '\0';
  if (strpbrk (copy, "\r\n") != NULL)
    return malformed (error, copy, _("more than one line")), NULL;

  f = g_strsplit (copy, ";", -1);
  if (g_strv_length (f) != EA_NT_OIF_N_FIELDS)
    return malformed (error, copy, _("not 13 fields")), NULL;
  for (i = 0; i < EA_NT_OIF_N_FIELDS; i++)
    g_strstrip (f[i]);

  for (i = 0; i < G_N_ELEMENTS (command_words); i++)
    if (g_ascii_strcasecmp (f[0], command_words[i]) == 0)
      break;
  if (i == G_N_ELEMENTS (command_words))
    return malformed (error, copy, _("unknown command")), NULL;
  in->command = (EaNtCommand) i;

  in->account = nonempty (f[1]);
  in->instrument = nonempty (f[2]);
  if (g_ascii_strcasecmp (f[3], "BUY") == 0)
    in->action = EA_SIDE_BUY;
  else if (g_ascii_strcasecmp (f[3], "SELL") == 0)
    in->action = EA_SIDE_SELL;
  else if (*f[3] != '\0')
    return malformed (error, copy, _("the action is neither BUY nor SELL")), NULL;
  if (!parse_uint (f[4], &in->qty))
    return malformed (error, copy, _("the quantity is not a whole number")), NULL;

  in->has_type = TRUE;
  if (g_ascii_strcasecmp (f[5], "MARKET") == 0)
    in->type = EA_ORDER_TYPE_MARKET;
  else if (g_ascii_strcasecmp (f[5], "LIMIT") == 0)
    in->type = EA_ORDER_TYPE_LIMIT;
  else if (g_ascii_strcasecmp (f[5], EA_NT_STOP_KEYWORD_NT8) == 0 ||
           g_ascii_strcasecmp (f[5], EA_NT_STOP_KEYWORD_NT7) == 0)
    in->type = EA_ORDER_TYPE_STOP;
  else if (g_ascii_strcasecmp (f[5], "STOPLIMIT") == 0)
    in->type = EA_ORDER_TYPE_STOP_LIMIT;
  else if (*f[5] == '\0')
    in->has_type = FALSE;
  else
    return malformed (error, copy, _("unknown order type")), NULL;

  for (i = 6; i <= 7; i++)
    if (*f[i] != '\0' && !plain_decimal (f[i]))
      return malformed (error, copy, _("a price is not a plain decimal with a point")), NULL;
  in->limit_price = nonempty (f[6]);
  in->stop_price = nonempty (f[7]);

  in->has_tif = TRUE;
  if (g_ascii_strcasecmp (f[8], "DAY") == 0)
    in->tif = EA_TIME_IN_FORCE_DAY;
  else if (g_ascii_strcasecmp (f[8], "GTC") == 0)
    in->tif = EA_TIME_IN_FORCE_GTC;
  else if (*f[8] == '\0')
    in->has_tif = FALSE;
  else
    return malformed (error, copy, _("unknown time in force")), NULL;

  in->oco_id = nonempty (f[9]);
  in->order_id = nonempty (f[10]);
  in->strategy = nonempty (f[11]);
  in->strategy_id = nonempty (f[12]);

  {
    g_autoptr(GError) local = NULL;

    if (!validate (in, &local))
      return malformed (error, copy, local->message), NULL;
  }
  return g_steal_pointer (&in);
}

char *
ea_nt_format_price (const EaInstrumentSpec *spec,
                    EaTicks                 ticks)
{
  g_return_val_if_fail (spec != NULL, NULL);
  /* Integer arithmetic throughout: no locale can put a comma in. */
  return ea_instrument_format_price_decimal (spec, ticks);
}

gboolean
ea_nt_parse_price (const EaInstrumentSpec *spec,
                   const char             *text,
                   EaTicks                *out,
                   GError                **error)
{
  EaTicks ticks;
  double value;

  g_return_val_if_fail (spec != NULL && text != NULL, FALSE);

  if (!plain_decimal (text) || !ea_instrument_parse_price (spec, text, &ticks, NULL))
    {
      g_set_error (error, EA_NT_ERROR, EA_NT_ERROR_INVALID,
                   _("“%s” is not a price with a decimal point"), text);
      return FALSE;
    }
  value = g_ascii_strtod (text, NULL);
  if (fabs (value - ea_instrument_ticks_to_price (spec, ticks)) > spec->tick_size * 1e-6)
    {
      g_set_error (error, EA_NT_ERROR, EA_NT_ERROR_INVALID,
                   _("%s is not on the %s tick grid"), text, spec->root);
      return FALSE;
    }
  *out = ticks;
  return TRUE;
}

char *
ea_nt_instrument_format (const EaContract *contract,
                         EaSymbology       symbology)
{
  return ea_contract_format (contract, symbology);
}

/* NT7's "ES 0909": root, space, MMYY. */
static gboolean
parse_mmyy (char **parts, guint32 reference_day, EaContract *out)
{
  const EaInstrumentSpec *spec;
  guint64 mmyy;

  if (parts[0] == NULL || parts[1] == NULL || strlen (parts[1]) != 4 ||
      !g_ascii_string_to_unsigned (parts[1], 10, 0, 9999, &mmyy, NULL))
    return FALSE;
  spec = ea_instrument_lookup (parts[0]);
  if (spec == NULL)
    return FALSE;
  return ea_contract_init (out, spec, 2000 + (guint) (mmyy % 100), (guint) (mmyy / 100), NULL);
}

gboolean
ea_nt_instrument_parse (const char  *name,
                        guint32      reference_day,
                        EaContract  *out,
                        GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *upper = NULL;
  guint n;

  g_return_val_if_fail (name != NULL && out != NULL, FALSE);

  if (ea_contract_parse_any (name, reference_day, out, NULL, NULL))
    return TRUE;

  /* Drop an exchange name after the contract: "ES 12-26 Globex". */
  upper = g_ascii_strup (name, -1);
  parts = g_strsplit (upper, " ", -1);
  n = g_strv_length (parts);
  if (n == 2 || n == 3)
    {
      g_autofree char *two = g_strconcat (parts[0], " ", parts[1], NULL);

      if ((n == 3 && ea_contract_parse_any (two, reference_day, out, NULL, NULL)) ||
          parse_mmyy (parts, reference_day, out))
        return TRUE;
    }
  g_set_error (error, EA_NT_ERROR, EA_NT_ERROR_UNKNOWN_INSTRUMENT,
               _("“%s” is not an instrument Enigma Apex trades"), name);
  return FALSE;
}

const char *
ea_nt_order_state_to_word (EaNtOrderState state)
{
  if ((guint) state < G_N_ELEMENTS (state_words))
    return state_words[state];
  return "UNKNOWN";
}

static gboolean
canonical_state (const char *word, EaNtOrderState *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_words); i++)
    if (g_ascii_strcasecmp (word, state_words[i]) == 0)
      {
        *out = (EaNtOrderState) i;
        return TRUE;
      }
  for (guint i = 0; i < G_N_ELEMENTS (state_aliases); i++)
    if (g_ascii_strcasecmp (word, state_aliases[i].word) == 0)
      {
        *out = state_aliases[i].state;
        return TRUE;
      }
  return FALSE;
}

gboolean
ea_nt_order_state_from_word (const char         *word,
                             const char * const *aliases,
                             EaNtOrderState     *out)
{
  g_return_val_if_fail (word != NULL && out != NULL, FALSE);

  for (guint i = 0; aliases != NULL && aliases[i] != NULL; i++)
    {
      const char *eq = strchr (aliases[i], '=');

      if (eq != NULL && (gsize) (eq - aliases[i]) == strlen (word) &&
          g_ascii_strncasecmp (aliases[i], word, eq - aliases[i]) == 0)
        return canonical_state (eq + 1, out);
    }
  return canonical_state (word, out);
}

EaOrderState
ea_nt_order_state_to_ea (EaNtOrderState state)
{
  switch (state)
    {
    case EA_NT_ORDER_INITIALIZED:
    case EA_NT_ORDER_SUBMITTED:
      return EA_ORDER_STATE_PENDING_NEW;
    case EA_NT_ORDER_ACCEPTED:
    case EA_NT_ORDER_TRIGGER_PENDING:
    case EA_NT_ORDER_WORKING:
      return EA_ORDER_STATE_WORKING;
    case EA_NT_ORDER_CHANGE_PENDING:
    case EA_NT_ORDER_CHANGE_SUBMITTED:
      return EA_ORDER_STATE_PENDING_REPLACE;
    case EA_NT_ORDER_CANCEL_PENDING:
    case EA_NT_ORDER_CANCEL_SUBMITTED:
      return EA_ORDER_STATE_PENDING_CANCEL;
    case EA_NT_ORDER_CANCELLED:
      return EA_ORDER_STATE_CANCELLED;
    case EA_NT_ORDER_REJECTED:
      return EA_ORDER_STATE_REJECTED;
    case EA_NT_ORDER_PART_FILLED:
      return EA_ORDER_STATE_PARTIALLY_FILLED;
    case EA_NT_ORDER_FILLED:
      return EA_ORDER_STATE_FILLED;
    case EA_NT_ORDER_UNKNOWN:
    default:
      return EA_ORDER_STATE_UNKNOWN;
    }
}

gboolean
ea_nt_order_state_is_terminal (EaNtOrderState state)
{
  return state == EA_NT_ORDER_FILLED || state == EA_NT_ORDER_CANCELLED ||
         state == EA_NT_ORDER_REJECTED;
}

static gboolean
file_malformed (GError **error, const char *kind, const char *contents)
{
  g_autofree char *shown = g_strndup (contents, 80);

  g_set_error (error, EA_NT_ERROR, EA_NT_ERROR_MALFORMED,
               _("Malformed NinjaTrader %s file: “%s”"), kind, g_strstrip (shown));
  return FALSE;
}

/* The fields of a one-line file; NULL unless exactly @n. */
static char **
split_file (const char *contents, guint n)
{
  g_autofree char *copy = g_strstrip (g_strdup (contents));
  g_auto(GStrv) f = NULL;

  if (strpbrk (copy, "\r\n") != NULL)
    return NULL;
  f = g_strsplit (copy, ";", -1);
  if (g_strv_length (f) != n)
    return NULL;
  for (guint i = 0; i < n; i++)
    g_strstrip (f[i]);
  return g_steal_pointer (&f);
}

/* A non-negative decimal with a point or a comma. */
static gboolean
parse_file_price (char *s, double *out)
{
  char *end = NULL;
  char *comma = strchr (s, ',');
  double v;

  if (comma != NULL)
    *comma = '.';
  if (*s == '\0' || !plain_decimal (s))
    return FALSE;
  v = g_ascii_strtod (s, &end);
  if (end == NULL || *end != '\0' || !isfinite (v) || v < 0)
    return FALSE;
  *out = v;
  return TRUE;
}

gboolean
ea_nt_parse_order_file (const char         *contents,
                        const char * const *aliases,
                        EaNtOrderFile      *out,
                        GError            **error)
{
  g_auto(GStrv) f = NULL;
  EaNtOrderFile r = { 0 };

  g_return_val_if_fail (contents != NULL && out != NULL, FALSE);

  f = split_file (contents, 3);
  if (f == NULL || !ea_nt_order_state_from_word (f[0], aliases, &r.state) ||
      !parse_uint (f[1], &r.filled_qty) || *f[1] == '\0' ||
      !parse_file_price (f[2], &r.avg_fill_price))
    return file_malformed (error, _("order state"), contents);
  *out = r;
  return TRUE;
}

gboolean
ea_nt_parse_position_file (const char        *contents,
                           EaNtPositionFile  *out,
                           GError           **error)
{
  g_auto(GStrv) f = NULL;
  EaNtPositionFile r = { 0 };
  gint64 qty = 0;

  g_return_val_if_fail (contents != NULL && out != NULL, FALSE);

  f = split_file (contents, 3);
  if (f == NULL || !parse_uint (f[1], &qty) || *f[1] == '\0' ||
      !parse_file_price (f[2], &r.avg_price))
    return file_malformed (error, _("position"), contents);
  if (g_ascii_strcasecmp (f[0], "LONG") == 0 && qty > 0)
    r.qty = qty;
  else if (g_ascii_strcasecmp (f[0], "SHORT") == 0 && qty > 0)
    r.qty = -qty;
  else if (g_ascii_strcasecmp (f[0], "FLAT") == 0 && qty == 0)
    r.avg_price = 0;
  else
    return file_malformed (error, _("position"), contents);
  *out = r;
  return TRUE;
}

gboolean
ea_nt_parse_connection_file (const char  *contents,
                             gboolean    *connected,
                             GError     **error)
{
  g_autofree char *word = NULL;

  g_return_val_if_fail (contents != NULL && connected != NULL, FALSE);

  word = g_strstrip (g_strdup (contents));
  if (g_ascii_strcasecmp (word, "CONNECTED") == 0)
    *connected = TRUE;
  else if (g_ascii_strcasecmp (word, "DISCONNECTED") == 0)
    *connected = FALSE;
  else
    return file_malformed (error, _("connection"), contents);
  return TRUE;
}

#define POSITION_SUFFIX "_position.txt"

EaNtFileKind
ea_nt_classify_outgoing (const char  *basename,
                         const char  *connection_name,
                         char       **name,
                         char       **account)
{
  gsize len;

  g_return_val_if_fail (basename != NULL, EA_NT_FILE_OTHER);

  len = strlen (basename);
  if (basename[0] == '.' || len <= 4 || g_ascii_strcasecmp (basename + len - 4, ".txt") != 0)
    return EA_NT_FILE_OTHER;

  if (len > strlen (POSITION_SUFFIX) &&
      g_ascii_strcasecmp (basename + len - strlen (POSITION_SUFFIX), POSITION_SUFFIX) == 0)
    {
      /* Instruments hold no '_', account names may. */
      const char *us = strchr (basename, '_');
      gsize acct_len = basename + len - strlen (POSITION_SUFFIX) - (us + 1);

      if (us == NULL || us == basename || us + 1 > basename + len - strlen (POSITION_SUFFIX) ||
          acct_len == 0)
        return EA_NT_FILE_OTHER;
      if (name != NULL)
        *name = g_strndup (basename, us - basename);
      if (account != NULL)
        *account = g_strndup (us + 1, acct_len);
      return EA_NT_FILE_POSITION;
    }

  if (connection_name != NULL && *connection_name != '\0' &&
      strlen (connection_name) == len - 4 &&
      g_ascii_strncasecmp (basename, connection_name, len - 4) == 0)
    {
      if (name != NULL)
        *name = g_strndup (basename, len - 4);
      return EA_NT_FILE_CONNECTION;
    }

  if (name != NULL)
    *name = g_strndup (basename, len - 4);
  return EA_NT_FILE_ORDER;
}

char *
ea_nt_position_file_name (const char *instrument,
                          const char *account)
{
  return g_strdup_printf ("%s_%s_Position.txt", instrument, account);
}

char *
ea_nt_write_instruction_file (GFile       *dir,
                              const char  *stamp,
                              guint64     *counter,
                              const char  *contents,
                              GError     **error)
{
  g_autofree char *tmp_name = NULL;
  g_autoptr(GFile) tmp = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (G_IS_FILE (dir) && stamp != NULL && counter != NULL, NULL);

  /* Not oif*.txt: NinjaTrader ignores it until the rename. */
  tmp_name = g_strdup_printf (".ea-%s-%" G_GUINT64_FORMAT ".part", stamp, *counter);
  tmp = g_file_get_child (dir, tmp_name);
  out = g_file_replace (tmp, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, &local);
  if (out == NULL ||
      !g_output_stream_write_all (G_OUTPUT_STREAM (out), contents, strlen (contents), NULL, NULL, &local) ||
      !g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &local))
    {
      g_set_error (error, EA_NT_ERROR, EA_NT_ERROR_IO,
                   _("Cannot write to NinjaTrader's incoming folder: %s"), local->message);
      g_file_delete (tmp, NULL, NULL);
      return NULL;
    }

  for (guint attempt = 0; attempt < 1000; attempt++)
    {
      g_autofree char *name = g_strdup_printf ("oif%s-%08" G_GUINT64_FORMAT ".txt", stamp, (*counter)++);
      g_autoptr(GFile) dest = g_file_get_child (dir, name);

      g_clear_error (&local);
      if (g_file_move (tmp, dest, G_FILE_COPY_NO_FALLBACK_FOR_MOVE, NULL, NULL, NULL, &local))
        return g_steal_pointer (&name);
      if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_EXISTS))
        break;
    }
  g_set_error (error, EA_NT_ERROR, EA_NT_ERROR_IO,
               _("Cannot name the instruction file in NinjaTrader's incoming folder: %s"),
               local != NULL ? local->message : _("no free name"));
  g_file_delete (tmp, NULL, NULL);
  return NULL;
}
