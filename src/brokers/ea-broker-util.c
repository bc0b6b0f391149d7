/* ea-broker-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-broker-util"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ea-broker-util.h"

/* Secrets in memory ------------------------------------------------------------ */

/* Through a volatile pointer, so the stores are not removed as dead
 * before a free. */
static void *(*const volatile wipe_memset) (void *, int, size_t) = memset;

void
ea_secret_wipe (gpointer data,
                gsize    len)
{
  if (data != NULL && len > 0)
    wipe_memset (data, 0, len);
}

void
ea_secret_free (char *text)
{
  if (text == NULL)
    return;
  ea_secret_wipe (text, strlen (text));
  g_free (text);
}

typedef struct
{
  gpointer       data;
  gsize          len;
  GDestroyNotify free_func;
} SecretBytes;

static void
secret_bytes_free (gpointer user_data)
{
  SecretBytes *sb = user_data;

  ea_secret_wipe (sb->data, sb->len);
  if (sb->free_func != NULL)
    sb->free_func (sb->data);
  g_free (sb);
}

GBytes *
ea_secret_bytes_new_take (gpointer       data,
                          gsize          len,
                          GDestroyNotify free_func)
{
  SecretBytes *sb = g_new0 (SecretBytes, 1);

  sb->data = data;
  sb->len = len;
  sb->free_func = free_func;
  return g_bytes_new_with_free_func (data, len, secret_bytes_free, sb);
}

/* The length of @value as a JSON string's contents, or its escaped form
 * written at @out when @out is not NULL. */
static gsize
json_escape (const char *value,
             char       *out)
{
  static const char hex[] = "0123456789abcdef";
  gsize n = 0;

  for (const unsigned char *p = (const unsigned char *) value; *p != '\0'; p++)
    {
      char esc = 0;

      switch (*p)
        {
        case '"': esc = '"'; break;
        case '\\': esc = '\\'; break;
        case '\b': esc = 'b'; break;
        case '\f': esc = 'f'; break;
        case '\n': esc = 'n'; break;
        case '\r': esc = 'r'; break;
        case '\t': esc = 't'; break;
        default: break;
        }
      if (esc != 0)
        {
          if (out != NULL)
            {
              out[n] = '\\';
              out[n + 1] = esc;
            }
          n += 2;
        }
      else if (*p < 0x20)
        {
          if (out != NULL)
            {
              memcpy (out + n, "\\u00", 4);
              out[n + 4] = hex[*p >> 4];
              out[n + 5] = hex[*p & 0xf];
            }
          n += 6;
        }
      else
        {
          if (out != NULL)
            out[n] = (char) *p;
          n++;
        }
    }
  return n;
}

char *
ea_secret_json_object (const char * const *keys,
                       const char * const *values,
                       guint               n,
                       gsize              *len)
{
  gsize size = 2;  /* { } */
  gsize at = 0;
  gboolean first = TRUE;
  char *out;

  g_return_val_if_fail (keys != NULL && values != NULL, NULL);

  /* Two passes: the exact size first, so the buffer never grows (a
   * reallocation would leave a copy of the secret behind). */
  for (guint i = 0; i < n; i++)
    {
      if (values[i] == NULL)
        continue;
      /* ,"key":"value" */
      size += (first ? 0 : 1) + 1 + json_escape (keys[i], NULL) + 3 + json_escape (values[i], NULL) + 1;
      first = FALSE;
    }

  out = g_malloc (size + 1);
  out[at++] = '{';
  first = TRUE;
  for (guint i = 0; i < n; i++)
    {
      if (values[i] == NULL)
        continue;
      if (!first)
        out[at++] = ',';
      first = FALSE;
      out[at++] = '"';
      at += json_escape (keys[i], out + at);
      memcpy (out + at, "\":\"", 3);
      at += 3;
      at += json_escape (values[i], out + at);
      out[at++] = '"';
    }
  out[at++] = '}';
  out[at] = '\0';
  g_assert (at == size);
  if (len != NULL)
    *len = size;
  return out;
}

JsonNode *
ea_json_parse_string (const char  *text,
                      gssize       length,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (text == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "no data");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text, length, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "empty document");
      return NULL;
    }
  return json_node_copy (root);
}

JsonNode *
ea_json_parse_bytes (GBytes  *bytes,
                     GError **error)
{
  gsize len = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;

  if (data == NULL || len == 0)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "empty body");
      return NULL;
    }
  if (!g_utf8_validate (data, len, NULL))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "body is not UTF-8");
      return NULL;
    }
  return ea_json_parse_string (data, len, error);
}

char *
ea_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  if (object == NULL || name == NULL)
    return NULL;
  return json_object_get_member (object, name);
}

const char *
ea_json_get_string (JsonObject *object,
                    const char *name)
{
  JsonNode *n = member (object, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

gboolean
ea_parse_int64 (const char *text,
                gint64     *out)
{
  guint64 v = 0;
  gboolean neg = FALSE;
  const char *p = text;

  if (p == NULL)
    return FALSE;
  if (*p == '-' || *p == '+')
    neg = (*p++ == '-');
  if (*p == '\0')
    return FALSE;
  for (; *p; p++)
    {
      if (*p < '0' || *p > '9')
        return FALSE;
      if (v > ((guint64) G_MAXINT64 - (guint64) (*p - '0')) / 10)
        return FALSE;
      v = v * 10 + (guint64) (*p - '0');
    }
  *out = neg ? -(gint64) v : (gint64) v;
  return TRUE;
}

gboolean
ea_json_get_int (JsonObject *object,
                 const char *name,
                 gint64     *out)
{
  JsonNode *n = member (object, name);
  GType t;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  t = json_node_get_value_type (n);
  if (t == G_TYPE_INT64)
    {
      *out = json_node_get_int (n);
      return TRUE;
    }
  if (t == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (n);

      if (!isfinite (d) || d != floor (d) || fabs (d) > 9e15)
        return FALSE;
      *out = (gint64) d;
      return TRUE;
    }
  if (t == G_TYPE_STRING)
    return ea_parse_int64 (json_node_get_string (n), out);
  return FALSE;
}

gboolean
ea_json_get_double (JsonObject *object,
                    const char *name,
                    double     *out)
{
  JsonNode *n = member (object, name);
  GType t;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  t = json_node_get_value_type (n);
  if (t == G_TYPE_INT64 || t == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (n);

      if (!isfinite (d))
        return FALSE;
      *out = d;
      return TRUE;
    }
  if (t == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (n);
      char *end = NULL;
      double d;

      if (s == NULL || *s == '\0')
        return FALSE;
      d = g_ascii_strtod (s, &end);
      if (end == s || *end != '\0' || !isfinite (d))
        return FALSE;
      *out = d;
      return TRUE;
    }
  return FALSE;
}

gboolean
ea_json_get_bool (JsonObject *object,
                  const char *name,
                  gboolean    fallback)
{
  JsonNode *n = member (object, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (n);
}

JsonObject *
ea_json_get_object (JsonObject *object,
                    const char *name)
{
  JsonNode *n = member (object, name);

  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

JsonArray *
ea_json_get_array (JsonObject *object,
                   const char *name)
{
  JsonNode *n = member (object, name);

  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

/* Pacing. */

typedef struct
{
  char   *prefix;
  guint   count;
  gint64  window;
  gint64 *times;   /* ring of the last @count booked send times */
  guint   next;
} Rule;

struct _EaRateLimiter
{
  GPtrArray *rules;
  gint64     paused_until;
};

static void
rule_free (Rule *r)
{
  g_free (r->prefix);
  g_free (r->times);
  g_free (r);
}

EaRateLimiter *
ea_rate_limiter_new (void)
{
  EaRateLimiter *l = g_new0 (EaRateLimiter, 1);

  l->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
  return l;
}

void
ea_rate_limiter_free (EaRateLimiter *limiter)
{
  if (limiter == NULL)
    return;
  g_ptr_array_unref (limiter->rules);
  g_free (limiter);
}

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

void
ea_rate_limiter_add_rule (EaRateLimiter *limiter,
                          const char    *prefix,
                          guint          count,
                          gint64         window_us)
{
  g_autofree gint64 *old = NULL;
  guint old_count = 0;
  Rule *r = NULL;

  g_return_if_fail (limiter != NULL && count > 0 && window_us >= 0);
  prefix = prefix ? prefix : "";
  for (guint i = 0; i < limiter->rules->len && r == NULL; i++)
    if (g_str_equal (((Rule *) limiter->rules->pdata[i])->prefix, prefix))
      r = limiter->rules->pdata[i];
  if (r == NULL)
    {
      r = g_new0 (Rule, 1);
      r->prefix = g_strdup (prefix);
      g_ptr_array_add (limiter->rules, r);
    }
  else
    {
      /* A changed rule keeps what was sent: the newest bookings, oldest
       * first, so that the new window also counts them. */
      old = g_steal_pointer (&r->times);
      old_count = r->count;
      qsort (old, old_count, sizeof (gint64), compare_times);
    }
  r->count = count;
  r->window = window_us;
  r->next = 0;
  r->times = g_new (gint64, count);
  for (guint i = 0; i < count; i++)
    r->times[i] = G_MININT64 / 2;
  for (guint k = 0; k < MIN (count, old_count); k++)
    r->times[count - 1 - k] = old[old_count - 1 - k];
}

/* The earliest time at or after @now that every rule matching @path allows:
 * the oldest of the last @count sends must be a full window before it. */
static gint64
earliest_slot (EaRateLimiter *limiter,
               const char    *path,
               gint64         now)
{
  gint64 at = MAX (now, limiter->paused_until);

  for (guint i = 0; i < limiter->rules->len; i++)
    {
      Rule *r = limiter->rules->pdata[i];

      if (g_str_has_prefix (path, r->prefix))
        at = MAX (at, r->times[r->next] + r->window);
    }
  return at;
}

gint64
ea_rate_limiter_wait (EaRateLimiter *limiter,
                      const char    *path,
                      gint64         now)
{
  return earliest_slot (limiter, path, now) - now;
}

gint64
ea_rate_limiter_reserve (EaRateLimiter *limiter,
                         const char    *path,
                         gint64         now)
{
  gint64 at = earliest_slot (limiter, path, now);

  for (guint i = 0; i < limiter->rules->len; i++)
    {
      Rule *r = limiter->rules->pdata[i];

      if (g_str_has_prefix (path, r->prefix))
        {
          r->times[r->next] = at;
          r->next = (r->next + 1) % r->count;
        }
    }
  return at - now;
}

void
ea_rate_limiter_complete (EaRateLimiter *limiter,
                          const char    *path,
                          gint64         booked,
                          gint64         completed)
{
  for (guint i = 0; i < limiter->rules->len; i++)
    {
      Rule *r = limiter->rules->pdata[i];

      if (!g_str_has_prefix (path, r->prefix))
        continue;
      for (guint k = 0; k < r->count; k++)
        if (r->times[k] == booked)
          {
            r->times[k] = MAX (booked, completed);
            break;
          }
    }
}

void
ea_rate_limiter_pause_until (EaRateLimiter *limiter,
                             gint64         until)
{
  limiter->paused_until = MAX (limiter->paused_until, until);
}

gint64
ea_rate_limiter_paused_until (EaRateLimiter *limiter,
                              gint64         now)
{
  return limiter->paused_until > now ? limiter->paused_until : 0;
}

/* Token bucket ------------------------------------------------------------ */

/* Levels in millionths of a token: a rate in tokens per second is then
 * the same number in millionths per microsecond. */
#define TOKEN G_GINT64_CONSTANT (1000000)

struct _EaTokenBucket
{
  guint    capacity;
  double   per_second;
  gint64   level;     /* millionths of a token */
  gint64   last;      /* the time level was computed for; G_MININT64 = never */
};

EaTokenBucket *
ea_token_bucket_new (guint  capacity,
                     double per_second)
{
  EaTokenBucket *bucket;

  g_return_val_if_fail (capacity > 0, NULL);
  g_return_val_if_fail (per_second > 0, NULL);

  bucket = g_new0 (EaTokenBucket, 1);
  bucket->capacity = capacity;
  bucket->per_second = per_second;
  bucket->level = capacity * TOKEN;
  bucket->last = G_MININT64;

  return bucket;
}

void
ea_token_bucket_free (EaTokenBucket *bucket)
{
  g_free (bucket);
}

gboolean
ea_token_bucket_try_take (EaTokenBucket *bucket,
                          gint64         now,
                          gint64        *wait_us)
{
  gint64 full;

  g_return_val_if_fail (bucket != NULL, FALSE);

  full = bucket->capacity * TOKEN;
  if (bucket->last != G_MININT64 && now > bucket->last)
    {
      double added = (double) (now - bucket->last) * bucket->per_second;

      bucket->level = added >= (double) (full - bucket->level) ? full : bucket->level + (gint64) added;
    }
  if (bucket->last == G_MININT64 || now > bucket->last)
    bucket->last = now;

  if (bucket->level >= TOKEN)
    {
      bucket->level -= TOKEN;
      if (wait_us != NULL)
        *wait_us = 0;
      return TRUE;
    }

  if (wait_us != NULL)
    *wait_us = MAX ((gint64) ceil ((double) (TOKEN - bucket->level) / bucket->per_second), 1);
  return FALSE;
}

guint
ea_token_bucket_get_capacity (EaTokenBucket *bucket)
{
  g_return_val_if_fail (bucket != NULL, 0);

  return bucket->capacity;
}

double
ea_token_bucket_get_per_second (EaTokenBucket *bucket)
{
  g_return_val_if_fail (bucket != NULL, 0);

  return bucket->per_second;
}

gint64
ea_backoff_delay (guint  attempt,
                  gint64 base_us,
                  gint64 max_us)
{
  gint64 d = base_us;

  for (guint i = 0; i < attempt && d < max_us; i++)
    d *= 2;
  return MIN (d, max_us);
}

char *
ea_tls_certificate_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);
  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}

static char *
normalize_fingerprint (const char *s)
{
  GString *out = g_string_new (NULL);

  for (; s && *s; s++)
    if (*s != ':' && *s != ' ')
      g_string_append_c (out, g_ascii_tolower (*s));
  return g_string_free (out, FALSE);
}

gboolean
ea_fingerprint_equal (const char *a,
                      const char *b)
{
  g_autofree char *na = normalize_fingerprint (a);
  g_autofree char *nb = normalize_fingerprint (b);

  return *na != '\0' && strcmp (na, nb) == 0;
}

gboolean
ea_host_is_loopback (const char *host)
{
  if (host == NULL)
    return FALSE;
  return g_ascii_strcasecmp (host, "localhost") == 0 || strcmp (host, "127.0.0.1") == 0 ||
         strcmp (host, "::1") == 0 || strcmp (host, "[::1]") == 0;
}
