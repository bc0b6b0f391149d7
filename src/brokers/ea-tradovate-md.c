/* ea-tradovate-md.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The structure of md frames over ea-tradovate-scan.h. Besides what the
 * scanner leaves to json-glib, this gives up on a member name it
 * interprets seen twice in one object (json-glib keeps the last), and on
 * a message that could be a response (`i`, `s`) or is not an `md` event
 * with an object `d`.
 */
#define G_LOG_DOMAIN "ea-tradovate-md"

#include "config.h"

#include <string.h>

#include "ea-tradovate-md.h"
#include "ea-tradovate-scan.h"

/* The same bound as ea_tv_frame_parse(): larger frames are its to refuse. */
#define MAX_FRAME_BYTES (16 * 1024 * 1024)
#define VALUE_SIZE 128  /* timestamps, event names, contract ids as strings */

/* Marks @bit in @seen; FALSE when it was already there. */
static inline gboolean
first_time (guint *seen,
            guint  bit)
{
  if (*seen & bit)
    return FALSE;
  *seen |= bit;
  return TRUE;
}

/* One of `entries`: `{"price": p, "size": s}`, both optional. */
static gboolean
scan_entry (EaTvScan *s,
            double   *price,
            gboolean *has_price,
            gint64   *size,
            gboolean *has_size)
{
  gboolean empty, more = TRUE;
  guint seen = 0;
  char key[EA_TV_SCAN_KEY_SIZE];

  *has_price = FALSE;
  *has_size = FALSE;

  if (!_ea_tv_scan_begin_object (s, &empty))
    return FALSE;
  if (empty)
    return TRUE;

  while (more)
    {
      EaTvNumber num;

      if (!_ea_tv_scan_read_key (s, key))
        return FALSE;

      if (strcmp (key, "price") == 0)
        {
          if (!first_time (&seen, 1) || !_ea_tv_scan_number_value (s, &num))
            return FALSE;
          if (num.is_number)
            {
              *price = num.d;
              *has_price = TRUE;
            }
        }
      else if (strcmp (key, "size") == 0)
        {
          if (!first_time (&seen, 2) || !_ea_tv_scan_number_value (s, &num))
            return FALSE;
          if (num.is_number && num.d >= 0 && num.d < 1e15)
            {
              *size = (gint64) num.d;
              *has_size = TRUE;
            }
        }
      else if (!_ea_tv_scan_skip_value (s))
        return FALSE;

      if (!_ea_tv_scan_next_element (s, '}', &more))
        return FALSE;
    }
  return TRUE;
}

static gboolean
scan_entries (EaTvScan  *s,
              EaTvQuote *q)
{
  static const char *const names[] = { "Bid", "Offer", "Trade", "TotalTradeVolume" };
  gboolean empty, more = TRUE;
  guint seen = 0;
  char key[EA_TV_SCAN_KEY_SIZE];

  if (!_ea_tv_scan_begin_object (s, &empty))
    return FALSE;
  if (empty)
    return TRUE;

  while (more)
    {
      double price = 0;
      gint64 size = 0;
      gboolean has_price = FALSE, has_size = FALSE;
      guint which;

      if (!_ea_tv_scan_read_key (s, key))
        return FALSE;

      for (which = 0; which < G_N_ELEMENTS (names); which++)
        if (strcmp (key, names[which]) == 0)
          break;

      if (which == G_N_ELEMENTS (names))
        {
          if (!_ea_tv_scan_skip_value (s))
            return FALSE;
        }
      else
        {
          if (!first_time (&seen, 1u << which))
            return FALSE;
          if (_ea_tv_scan_peek (s, '{'))
            {
              if (!scan_entry (s, &price, &has_price, &size, &has_size))
                return FALSE;
            }
          else if (!_ea_tv_scan_skip_value (s))
            return FALSE;

          switch (which)
            {
            case 0:
              q->bid = has_price ? price : 0;
              q->has_bid = has_price;
              q->bid_size = has_size ? size : 0;
              q->has_bid_size = has_size;
              break;
            case 1:
              q->ask = has_price ? price : 0;
              q->has_ask = has_price;
              q->ask_size = has_size ? size : 0;
              q->has_ask_size = has_size;
              break;
            case 2:
              q->last = has_price ? price : 0;
              q->has_last = has_price;
              q->last_size = has_size ? size : 0;
              q->has_last_size = has_size;
              break;
            default:
              q->total_volume = has_size ? size : 0;
              q->has_total_volume = has_size;
              break;
            }
        }

      if (!_ea_tv_scan_next_element (s, '}', &more))
        return FALSE;
    }
  return TRUE;
}

/* `contractId` as ea_tv_quote_parse() reads it: an integer, a number
 * truncated, or a string of digits. */
static gboolean
scan_contract_id (EaTvScan *s,
                  gint64   *id,
                  gboolean *has_id)
{
  EaTvNumber num;

  *has_id = FALSE;

  if (_ea_tv_scan_peek (s, '"'))
    {
      char text[VALUE_SIZE];
      char *end = NULL;

      if (_ea_tv_scan_string (s, text, sizeof text) != EA_TV_SCAN_OK)
        return FALSE;
      *id = g_ascii_strtoll (text, &end, 10);
      *has_id = end != text && *end == '\0';
      return TRUE;
    }

  if (!_ea_tv_scan_number_value (s, &num))
    return FALSE;
  if (!num.is_number)
    return TRUE;

  if (num.is_int)
    *id = num.i;
  else if (num.d >= -9223372036854775808.0 && num.d < 9223372036854775808.0)
    *id = (gint64) num.d;
  else
    return FALSE;

  *has_id = TRUE;
  return TRUE;
}

/* One element of `quotes`; *valid when it has a contract id and entries. */
static gboolean
scan_quote (EaTvScan  *s,
            EaTvQuote *q,
            gboolean  *valid)
{
  gboolean empty, more = TRUE, has_id = FALSE, has_entries = FALSE, has_time = FALSE;
  guint seen = 0;
  char key[EA_TV_SCAN_KEY_SIZE];
  char timestamp[VALUE_SIZE];

  memset (q, 0, sizeof *q);
  *valid = FALSE;

  if (!_ea_tv_scan_begin_object (s, &empty))
    return FALSE;
  if (empty)
    return TRUE;

  while (more)
    {
      if (!_ea_tv_scan_read_key (s, key))
        return FALSE;

      if (strcmp (key, "contractId") == 0)
        {
          if (!first_time (&seen, 1) || !scan_contract_id (s, &q->contract_id, &has_id))
            return FALSE;
        }
      else if (strcmp (key, "timestamp") == 0)
        {
          if (!first_time (&seen, 2))
            return FALSE;
          if (_ea_tv_scan_peek (s, '"'))
            {
              if (_ea_tv_scan_string (s, timestamp, sizeof timestamp) != EA_TV_SCAN_OK)
                return FALSE;
              has_time = TRUE;
            }
          else if (!_ea_tv_scan_skip_value (s))
            return FALSE;
        }
      else if (strcmp (key, "entries") == 0)
        {
          if (!first_time (&seen, 4))
            return FALSE;
          if (_ea_tv_scan_peek (s, '{'))
            {
              if (!scan_entries (s, q))
                return FALSE;
              has_entries = TRUE;
            }
          else if (!_ea_tv_scan_skip_value (s))
            return FALSE;
        }
      else if (!_ea_tv_scan_skip_value (s))
        return FALSE;

      if (!_ea_tv_scan_next_element (s, '}', &more))
        return FALSE;
    }

  *valid = has_id && has_entries;
  if (*valid && has_time)
    q->timestamp_us = ea_tv_timestamp_parse_us (timestamp);

  return TRUE;
}

static gboolean
scan_quotes (EaTvScan *s,
             GArray   *quotes)
{
  gboolean more = TRUE;

  if (!_ea_tv_scan_enter (s, '['))
    return FALSE;
  if (_ea_tv_scan_peek (s, ']'))
    {
      s->p++;
      s->depth--;
      return TRUE;
    }

  while (more)
    {
      if (_ea_tv_scan_peek (s, '{'))
        {
          EaTvQuote q;
          gboolean valid;

          if (!scan_quote (s, &q, &valid))
            return FALSE;
          if (valid)
            g_array_append_val (quotes, q);
        }
      else if (!_ea_tv_scan_skip_value (s))
        return FALSE;

      if (!_ea_tv_scan_next_element (s, ']', &more))
        return FALSE;
    }
  return TRUE;
}

/* The `d` of an md event. */
static gboolean
scan_md_data (EaTvScan *s,
              GArray   *quotes)
{
  gboolean empty, more = TRUE, seen_quotes = FALSE;
  char key[EA_TV_SCAN_KEY_SIZE];

  if (!_ea_tv_scan_begin_object (s, &empty))
    return FALSE;
  if (empty)
    return TRUE;

  while (more)
    {
      if (!_ea_tv_scan_read_key (s, key))
        return FALSE;

      if (strcmp (key, "quotes") == 0)
        {
          if (seen_quotes)
            return FALSE;
          seen_quotes = TRUE;
          if (_ea_tv_scan_peek (s, '['))
            {
              if (!scan_quotes (s, quotes))
                return FALSE;
            }
          else if (!_ea_tv_scan_skip_value (s))
            return FALSE;
        }
      else if (!_ea_tv_scan_skip_value (s))
        return FALSE;

      if (!_ea_tv_scan_next_element (s, '}', &more))
        return FALSE;
    }
  return TRUE;
}

/* One message of the frame; only `{"e":"md","d":{...}}` is taken. */
static gboolean
scan_message (EaTvScan *s,
              GArray   *quotes)
{
  gboolean empty, more = TRUE, is_md = FALSE, has_data = FALSE;
  guint seen = 0;
  char key[EA_TV_SCAN_KEY_SIZE];

  if (!_ea_tv_scan_begin_object (s, &empty) || empty)
    return FALSE;

  while (more)
    {
      if (!_ea_tv_scan_read_key (s, key))
        return FALSE;

      if (strcmp (key, "e") == 0)
        {
          if (!first_time (&seen, 1))
            return FALSE;
          if (_ea_tv_scan_peek (s, '"'))
            {
              char name[8];
              EaTvScanResult r = _ea_tv_scan_string (s, name, sizeof name);

              if (r == EA_TV_SCAN_BAD)
                return FALSE;
              is_md = r == EA_TV_SCAN_OK && strcmp (name, "md") == 0;
            }
          else if (!_ea_tv_scan_skip_value (s))
            return FALSE;
        }
      else if (strcmp (key, "d") == 0)
        {
          if (!first_time (&seen, 2))
            return FALSE;
          if (_ea_tv_scan_peek (s, '{'))
            {
              if (!scan_md_data (s, quotes))
                return FALSE;
              has_data = TRUE;
            }
          else if (!_ea_tv_scan_skip_value (s))
            return FALSE;
        }
      else if (strcmp (key, "i") == 0 || strcmp (key, "s") == 0)
        return FALSE;  /* maybe a response */
      else if (!_ea_tv_scan_skip_value (s))
        return FALSE;

      if (!_ea_tv_scan_next_element (s, '}', &more))
        return FALSE;
    }

  return is_md && has_data;
}

/**
 * ea_tv_md_frame_decode:
 * @text: a WebSocket text message
 * @length: its length in bytes
 * @quotes: (element-type EaTvQuote): where decoded quotes are appended
 *
 * Decodes an `a[...]` frame whose every message is an `md` event, with
 * the results of ea_tv_frame_parse() and ea_tv_md_event_parse() on each
 * message's `d`, in order.
 *
 * Returns: %EA_TV_MD_HANDLED, or %EA_TV_MD_NOT_HANDLED when the frame is
 *   anything else, valid or not; then @quotes is as it was.
 */
EaTvMdResult
ea_tv_md_frame_decode (const char *text,
                       gsize       length,
                       GArray     *quotes)
{
  guint start_len;
  gboolean more = TRUE;
  EaTvScan s;

  g_return_val_if_fail (quotes != NULL, EA_TV_MD_NOT_HANDLED);

  if (text == NULL || length < 2 || length > MAX_FRAME_BYTES || text[0] != 'a')
    return EA_TV_MD_NOT_HANDLED;

  start_len = quotes->len;
  s.p = text + 1;
  s.end = text + length;
  s.depth = 0;

  if (!_ea_tv_scan_enter (&s, '['))
    goto decline;
  if (_ea_tv_scan_peek (&s, ']'))
    {
      s.p++;
      more = FALSE;
    }

  while (more)
    if (!scan_message (&s, quotes) || !_ea_tv_scan_next_element (&s, ']', &more))
      goto decline;

  _ea_tv_scan_ws (&s);
  if (s.p == s.end)
    return EA_TV_MD_HANDLED;

decline:
  g_array_set_size (quotes, start_len);
  return EA_TV_MD_NOT_HANDLED;
}
