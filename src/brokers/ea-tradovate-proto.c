/* ea-tradovate-proto.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-tradovate-proto"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ea-broker-util.h"
#include "ea-tradovate-proto.h"

G_DEFINE_QUARK (ea-tv-error-quark, ea_tv_error)

/* Frames larger than this are refused rather than parsed. */
#define MAX_FRAME_BYTES (16 * 1024 * 1024)

static gboolean
parse_json (const char  *text,
            gssize       length,
            JsonNode   **out,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;

  if (!json_parser_load_from_data (parser, text, length, &local_error))
    {
      g_set_error (error, EA_TV_ERROR, EA_TV_ERROR_MALFORMED,
                   _("Malformed JSON from Tradovate: %s"), local_error->message);
      return FALSE;
    }

  *out = json_parser_steal_root (parser);
  if (*out == NULL)
    {
      g_set_error_literal (error, EA_TV_ERROR, EA_TV_ERROR_MALFORMED,
                           _("Empty JSON from Tradovate"));
      return FALSE;
    }

  return TRUE;
}

/**
 * ea_tv_frame_parse:
 * @text: the WebSocket text message
 * @length: its length, or -1 when NUL-terminated
 *
 * Splits a frame into its type and, for `a` frames, the JSON elements.
 * Anything else is refused with %EA_TV_ERROR_MALFORMED and leaves @frame
 * cleared.
 */
gboolean
ea_tv_frame_parse (const char  *text,
                   gssize       length,
                   EaTvFrame   *frame,
                   GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (frame != NULL, FALSE);

  memset (frame, 0, sizeof *frame);

  if (text == NULL)
    length = 0;
  else if (length < 0)
    length = strlen (text);

  if (length == 0)
    {
      g_set_error_literal (error, EA_TV_ERROR, EA_TV_ERROR_MALFORMED,
                           _("Empty frame from Tradovate"));
      return FALSE;
    }

  if (length > MAX_FRAME_BYTES)
    {
      g_set_error (error, EA_TV_ERROR, EA_TV_ERROR_MALFORMED,
                   _("Frame from Tradovate too large (%" G_GSSIZE_FORMAT " bytes)"), length);
      return FALSE;
    }

  switch (text[0])
    {
    case 'o':
    case 'h':
      if (length != 1)
        break;
      frame->type = text[0] == 'o' ? EA_TV_FRAME_OPEN : EA_TV_FRAME_HEARTBEAT;
      return TRUE;

    case 'a':
      if (!parse_json (text + 1, length - 1, &root, error))
        return FALSE;
      if (!JSON_NODE_HOLDS_ARRAY (root))
        break;
      frame->type = EA_TV_FRAME_ARRAY;
      frame->messages = json_array_ref (json_node_get_array (root));
      return TRUE;

    case 'c':
      frame->type = EA_TV_FRAME_CLOSE;
      if (length == 1)
        return TRUE;
      if (!parse_json (text + 1, length - 1, &root, error))
        return FALSE;
      if (JSON_NODE_HOLDS_ARRAY (root))
        {
          JsonArray *array = json_node_get_array (root);

          if (json_array_get_length (array) > 0 &&
              JSON_NODE_HOLDS_VALUE (json_array_get_element (array, 0)))
            frame->close_code = (int) json_array_get_int_element (array, 0);
          if (json_array_get_length (array) > 1 &&
              json_node_get_value_type (json_array_get_element (array, 1)) == G_TYPE_STRING)
            frame->close_reason = g_strdup (json_array_get_string_element (array, 1));
        }
      return TRUE;

    default:
      break;
    }

  ea_tv_frame_clear (frame);
  g_set_error (error, EA_TV_ERROR, EA_TV_ERROR_MALFORMED,
               _("Unknown frame from Tradovate starting with “%c”"),
               g_ascii_isprint (text[0]) ? text[0] : '?');
  return FALSE;
}

void
ea_tv_frame_clear (EaTvFrame *frame)
{
  g_clear_pointer (&frame->messages, json_array_unref);
  g_clear_pointer (&frame->close_reason, g_free);
  frame->close_code = 0;
}

/**
 * ea_tv_frame_build_array:
 *
 * Returns: the text of an `a[...]` frame holding @messages.
 */
char *
ea_tv_frame_build_array (JsonNode * const *messages,
                         guint             n_messages)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonArray) array = json_array_sized_new (n_messages);
  g_autofree char *text = NULL;

  for (guint i = 0; i < n_messages; i++)
    json_array_add_element (array, json_node_copy (messages[i]));

  json_node_set_array (root, array);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

  return g_strconcat ("a", text, NULL);
}

/**
 * ea_tv_request_format:
 *
 * Returns: `endpoint\nid\nquery\nbody`; empty parts keep their newline.
 */
char *
ea_tv_request_format (const char *endpoint,
                      gint64      id,
                      const char *query,
                      const char *body)
{
  g_return_val_if_fail (endpoint != NULL, NULL);

  if (endpoint[0] == '/')
    endpoint++;

  return g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%s\n%s",
                          endpoint, id, query ? query : "", body ? body : "");
}

gboolean
ea_tv_request_parse (const char   *text,
                     gssize        length,
                     EaTvRequest  *request,
                     GError      **error)
{
  const char *end;
  const char *p;
  const char *nl1, *nl2, *nl3;
  g_autofree char *id_text = NULL;
  char *id_end = NULL;

  g_return_val_if_fail (request != NULL, FALSE);

  memset (request, 0, sizeof *request);

  if (text == NULL)
    length = 0;
  else if (length < 0)
    length = strlen (text);
  end = text + length;

  if (length == 0 ||
      (nl1 = memchr (text, '\n', length)) == NULL ||
      (nl2 = memchr (nl1 + 1, '\n', end - nl1 - 1)) == NULL ||
      (nl3 = memchr (nl2 + 1, '\n', end - nl2 - 1)) == NULL)
    {
      g_set_error_literal (error, EA_TV_ERROR, EA_TV_ERROR_MALFORMED,
                           _("A request needs four lines: endpoint, id, query and body"));
      return FALSE;
    }

  if (nl1 == text)
    {
      g_set_error_literal (error, EA_TV_ERROR, EA_TV_ERROR_MALFORMED,
                           _("A request needs an endpoint"));
      return FALSE;
    }

  id_text = g_strndup (nl1 + 1, nl2 - nl1 - 1);
  request->id = g_ascii_strtoll (id_text, &id_end, 10);
  if (id_text[0] == '\0' || id_end == NULL || *id_end != '\0' || request->id < 0)
    {
      g_set_error (error, EA_TV_ERROR, EA_TV_ERROR_MALFORMED,
                   _("Request id “%s” is not a number"), id_text);
      return FALSE;
    }

  p = text;
  request->endpoint = g_strndup (p, nl1 - p);
  request->query = g_strndup (nl2 + 1, nl3 - nl2 - 1);
  request->body = g_strndup (nl3 + 1, end - nl3 - 1);

  return TRUE;
}

void
ea_tv_request_clear (EaTvRequest *request)
{
  g_clear_pointer (&request->endpoint, g_free);
  g_clear_pointer (&request->query, g_free);
  g_clear_pointer (&request->body, g_free);
  request->id = 0;
}

/**
 * ea_tv_message_is_response:
 *
 * Returns: %TRUE when @message is a response `{i, s, d}`.
 */
gboolean
ea_tv_message_is_response (JsonObject *message,
                           gint64     *id,
                           gint64     *status)
{
  gint64 i, s;

  if (message == NULL || !ea_json_get_int (message, "i", &i) || !ea_json_get_int (message, "s", &s))
    return FALSE;

  if (id != NULL)
    *id = i;
  if (status != NULL)
    *status = s;

  return TRUE;
}

/**
 * ea_tv_message_event_name:
 *
 * Returns: (nullable): the event name of an `{e, d}` message.
 */
const char *
ea_tv_message_event_name (JsonObject *message)
{
  if (message == NULL)
    return NULL;

  return ea_json_get_string (message, "e");
}

/**
 * ea_tv_penalty_parse:
 * @body: a REST body or a WebSocket response's `d`
 *
 * A penalty arrives with HTTP 200 (or `s:200`) and means the request was
 * not executed.
 *
 * Returns: %TRUE when @body carries a `p-ticket`.
 */
gboolean
ea_tv_penalty_parse (JsonNode    *body,
                     EaTvPenalty *penalty)
{
  JsonObject *object;
  const char *ticket;
  gint64 wait = 0;
  JsonNode *captcha;

  g_return_val_if_fail (penalty != NULL, FALSE);

  memset (penalty, 0, sizeof *penalty);

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return FALSE;

  object = json_node_get_object (body);
  ticket = ea_json_get_string (object, "p-ticket");
  if (ticket == NULL)
    return FALSE;

  ea_json_get_int (object, "p-time", &wait);
  captcha = json_object_get_member (object, "p-captcha");

  penalty->ticket = g_strdup (ticket);
  penalty->wait_seconds = CLAMP (wait, 0, 24 * 3600);
  penalty->captcha = captcha != NULL && JSON_NODE_HOLDS_VALUE (captcha) &&
                     json_node_get_value_type (captcha) == G_TYPE_BOOLEAN &&
                     json_node_get_boolean (captcha);

  return TRUE;
}

void
ea_tv_penalty_clear (EaTvPenalty *penalty)
{
  g_clear_pointer (&penalty->ticket, g_free);
  penalty->wait_seconds = 0;
  penalty->captcha = FALSE;
}

/**
 * ea_tv_token_parse:
 *
 * Reads an `auth/accesstokenrequest` or `auth/renewaccesstoken` reply.
 * A reply with `errorText`, a penalty, no token or no valid expiration
 * is an error with the server's text.
 */
gboolean
ea_tv_token_parse (JsonNode   *body,
                   EaTvToken  *token,
                   GError    **error)
{
  JsonObject *object;
  const char *error_text;
  const char *access_token;
  const char *expiration;
  EaTvPenalty penalty;

  g_return_val_if_fail (token != NULL, FALSE);

  memset (token, 0, sizeof *token);

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    {
      g_set_error_literal (error, EA_TV_ERROR, EA_TV_ERROR_MALFORMED,
                           _("The token reply is not a JSON object"));
      return FALSE;
    }

  if (ea_tv_penalty_parse (body, &penalty))
    {
      if (penalty.captcha)
        g_set_error (error, EA_TV_ERROR, EA_TV_ERROR_CAPTCHA,
                     _("Tradovate asks for a captcha, which only its own apps can show. Wait about an hour before logging in again."));
      else
        g_set_error (error, EA_TV_ERROR, EA_TV_ERROR_PENALTY,
                     _("Tradovate asked to wait %" G_GINT64_FORMAT " s before retrying"),
                     penalty.wait_seconds);
      ea_tv_penalty_clear (&penalty);
      return FALSE;
    }

  object = json_node_get_object (body);
  error_text = ea_json_get_string (object, "errorText");
  if (error_text != NULL && *error_text != '\0')
    {
      g_set_error (error, EA_TV_ERROR, EA_TV_ERROR_AUTH,
                   _("Tradovate refused the login: %s"), error_text);
      return FALSE;
    }

  access_token = ea_json_get_string (object, "accessToken");
  expiration = ea_json_get_string (object, "expirationTime");
  if (access_token == NULL || *access_token == '\0' || expiration == NULL)
    {
      g_set_error_literal (error, EA_TV_ERROR, EA_TV_ERROR_MALFORMED,
                           _("The token reply has no access token or expiration time"));
      return FALSE;
    }

  {
    g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
    token->expiration = g_date_time_new_from_iso8601 (expiration, utc);
  }
  if (token->expiration == NULL)
    {
      g_set_error (error, EA_TV_ERROR, EA_TV_ERROR_MALFORMED,
                   _("The token expiration time “%s” is not an ISO-8601 time"), expiration);
      return FALSE;
    }

  token->access_token = g_strdup (access_token);
  token->md_access_token = g_strdup (ea_json_get_string (object, "mdAccessToken"));
  ea_json_get_int (object, "userId", &token->user_id);
  token->name = g_strdup (ea_json_get_string (object, "name"));
  token->user_status = g_strdup (ea_json_get_string (object, "userStatus"));
  {
    JsonNode *has_live = json_object_get_member (object, "hasLive");
    token->has_live = has_live != NULL && JSON_NODE_HOLDS_VALUE (has_live) &&
                      json_node_get_value_type (has_live) == G_TYPE_BOOLEAN &&
                      json_node_get_boolean (has_live);
  }

  return TRUE;
}

void
ea_tv_token_clear (EaTvToken *token)
{
  /* Wiped in a way the compiler keeps, though the memory is freed next. */
  g_clear_pointer (&token->access_token, ea_secret_free);
  g_clear_pointer (&token->md_access_token, ea_secret_free);
  g_clear_pointer (&token->expiration, g_date_time_unref);
  g_clear_pointer (&token->name, g_free);
  g_clear_pointer (&token->user_status, g_free);
  token->user_id = 0;
  token->has_live = FALSE;
}

/* Days from 1970-01-01 to a proleptic Gregorian date. */
static gint64
days_from_civil (gint64 y,
                 guint  m,
                 guint  d)
{
  gint64 era;
  guint yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = (guint) (y - era * 400);
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + (gint64) doe - 719468;
}

static gboolean
read_digits (const char *s,
             guint       n,
             guint      *out)
{
  guint v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      v = v * 10 + (guint) (s[i] - '0');
    }

  *out = v;
  return TRUE;
}

/**
 * ea_tv_timestamp_parse_us:
 * @s: an ISO-8601 time
 *
 * Quotes stream fast: their timestamps, always UTC
 * "YYYY-MM-DDTHH:MM:SS[.fff…]Z", are read by hand; any other form goes
 * through GDateTime.
 *
 * Returns: microseconds since the Unix epoch, or 0 when @s does not parse.
 */
gint64
ea_tv_timestamp_parse_us (const char *s)
{
  guint year, month, day, hour, minute, second, frac = 0, digits = 0;
  const char *p;

  if (read_digits (s, 4, &year) && s[4] == '-' &&
      read_digits (s + 5, 2, &month) && s[7] == '-' &&
      read_digits (s + 8, 2, &day) && s[10] == 'T' &&
      read_digits (s + 11, 2, &hour) && s[13] == ':' &&
      read_digits (s + 14, 2, &minute) && s[16] == ':' &&
      read_digits (s + 17, 2, &second) &&
      month >= 1 && month <= 12 && day >= 1 && day <= 31 &&
      hour < 24 && minute < 60 && second < 61)
    {
      p = s + 19;
      if (*p == '.')
        {
          for (p++; g_ascii_isdigit (*p); p++, digits++)
            if (digits < 6)
              frac = frac * 10 + (guint) (*p - '0');
          for (guint i = digits; i < 6; i++)
            frac *= 10;
        }

      if (p[0] == 'Z' && p[1] == '\0')
        return ((days_from_civil (year, month, day) * 86400 +
                 hour * 3600 + minute * 60 + second) * G_USEC_PER_SEC) + frac;
    }

  {
    g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
    g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (s, utc);

    if (dt == NULL)
      return 0;

    return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  }
}

/* The quote's numbers are read exactly as the fast scanner of
 * ea-tradovate-md.c reads them (tests/test-tradovate-md.c compares the
 * two): a contract id may be a non-integral number (truncated) or a
 * decimal string, and a price any JSON number. The shared ea_json_get_*()
 * accessors are stricter, so these two stay here. */
static gboolean
quote_contract_id (JsonObject *object,
                   gint64     *out)
{
  JsonNode *node = json_object_get_member (object, "contractId");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *out = json_node_get_int (node);
      return TRUE;

    case G_TYPE_DOUBLE:
      *out = (gint64) json_node_get_double (node);
      return TRUE;

    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);
        char *end = NULL;

        *out = g_ascii_strtoll (text, &end, 10);
        return end != text && *end == '\0';
      }

    default:
      return FALSE;
    }
}

static gboolean
quote_number (JsonObject *object,
              const char *name,
              double     *out)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      *out = json_node_get_double (node);
      return TRUE;

    default:
      return FALSE;
    }
}

static gboolean
get_entry (JsonObject *entries,
           const char *name,
           double     *price,
           gboolean   *has_price,
           gint64     *size,
           gboolean   *has_size)
{
  JsonNode *node = json_object_get_member (entries, name);
  JsonObject *entry;

  *has_price = FALSE;
  *has_size = FALSE;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;

  entry = json_node_get_object (node);
  if (price != NULL)
    *has_price = quote_number (entry, "price", price);
  if (size != NULL)
    {
      double d;

      if (quote_number (entry, "size", &d) && d >= 0 && d < 1e15)
        {
          *size = (gint64) d;
          *has_size = TRUE;
        }
    }

  return TRUE;
}

/**
 * ea_tv_quote_parse:
 * @quote: one element of `d.quotes`
 *
 * Any entry may be missing, and price or size may be missing within one.
 *
 * Returns: %FALSE when the element has no contract id or no entries.
 */
gboolean
ea_tv_quote_parse (JsonObject *quote,
                   EaTvQuote  *out)
{
  JsonNode *entries_node;
  JsonObject *entries;
  const char *timestamp;
  gboolean has_price, has_size;

  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);

  if (quote == NULL || !quote_contract_id (quote, &out->contract_id))
    return FALSE;

  entries_node = json_object_get_member (quote, "entries");
  if (entries_node == NULL || !JSON_NODE_HOLDS_OBJECT (entries_node))
    return FALSE;
  entries = json_node_get_object (entries_node);

  timestamp = ea_json_get_string (quote, "timestamp");
  if (timestamp != NULL)
    out->timestamp_us = ea_tv_timestamp_parse_us (timestamp);

  get_entry (entries, "Bid", &out->bid, &has_price, &out->bid_size, &has_size);
  out->has_bid = has_price;
  out->has_bid_size = has_size;
  get_entry (entries, "Offer", &out->ask, &has_price, &out->ask_size, &has_size);
  out->has_ask = has_price;
  out->has_ask_size = has_size;
  get_entry (entries, "Trade", &out->last, &has_price, &out->last_size, &has_size);
  out->has_last = has_price;
  out->has_last_size = has_size;
  get_entry (entries, "TotalTradeVolume", NULL, &has_price, &out->total_volume, &has_size);
  out->has_total_volume = has_size;

  return TRUE;
}

/**
 * ea_tv_md_event_parse:
 * @event_data: the `d` of an `md` event
 * @quotes: (element-type EaTvQuote): where decoded quotes are appended
 *
 * Returns: the number of quotes appended; malformed elements are skipped.
 */
guint
ea_tv_md_event_parse (JsonObject *event_data,
                      GArray     *quotes)
{
  JsonNode *node;
  JsonArray *array;
  guint added = 0;

  g_return_val_if_fail (quotes != NULL, 0);

  if (event_data == NULL)
    return 0;

  node = json_object_get_member (event_data, "quotes");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return 0;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      EaTvQuote quote;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      if (!ea_tv_quote_parse (json_node_get_object (element), &quote))
        continue;

      g_array_append_val (quotes, quote);
      added++;
    }

  return added;
}
