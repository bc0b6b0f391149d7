/* ea-broker-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small pieces shared by the network brokers: typed JSON accessors that
 * never abort on unexpected input, a pacing limiter (sliding windows per
 * endpoint prefix plus a global pause after a server penalty), a token
 * bucket for a request budget, an
 * exponential backoff, and certificate fingerprints for pinning.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Secrets in memory. ea_secret_wipe() clears @len bytes in a way the
 * compiler cannot drop; ea_secret_free() wipes a string and frees it. */
void        ea_secret_wipe             (gpointer     data,
                                        gsize        len);
void        ea_secret_free             (char        *text);
/* A GBytes over @data (taken) that wipes its @len bytes when the last
 * reference goes, then calls @free_func (g_free when NULL is not what
 * you want: pass it explicitly) on @data. For request bodies that hold a
 * secret. */
GBytes     *ea_secret_bytes_new_take   (gpointer       data,
                                        gsize          len,
                                        GDestroyNotify free_func);
/* The JSON object {"key":"value",...} of the @n pairs whose value is not
 * NULL, written straight into one buffer of exactly its size (no copy is
 * left behind on the heap): free it with ea_secret_free() or hand it to
 * ea_secret_bytes_new_take(). *@len is its length without the NUL. */
char       *ea_secret_json_object      (const char * const *keys,
                                        const char * const *values,
                                        guint               n,
                                        gsize              *len);

/* JSON. Every accessor returns the fallback / FALSE when the member is
 * missing or of another type. */
JsonNode   *ea_json_parse_bytes        (GBytes      *bytes,
                                        GError     **error);
JsonNode   *ea_json_parse_string       (const char  *text,
                                        gssize       length,
                                        GError     **error);
char       *ea_json_to_string          (JsonNode    *node);
const char *ea_json_get_string         (JsonObject  *object,
                                        const char  *member);
/* Integers given as JSON integers, integral doubles or decimal strings
 * ("123", "-4"). */
gboolean    ea_json_get_int            (JsonObject  *object,
                                        const char  *member,
                                        gint64      *out);
/* Numbers given as JSON numbers or numeric strings. */
gboolean    ea_json_get_double         (JsonObject  *object,
                                        const char  *member,
                                        double      *out);
gboolean    ea_json_get_bool           (JsonObject  *object,
                                        const char  *member,
                                        gboolean     fallback);
JsonObject *ea_json_get_object         (JsonObject  *object,
                                        const char  *member);
JsonArray  *ea_json_get_array          (JsonObject  *object,
                                        const char  *member);
/* Strict decimal integer: optional sign, digits only, no overflow. */
gboolean    ea_parse_int64             (const char  *text,
                                        gint64      *out);

/* Pacing. Times are in microseconds on any monotonic clock. */
typedef struct _EaRateLimiter EaRateLimiter;

EaRateLimiter *ea_rate_limiter_new      (void);
void           ea_rate_limiter_free     (EaRateLimiter *limiter);
/* At most @count requests whose path starts with @prefix ("" = all) in
 * any window of @window_us. Paths match every rule whose prefix they
 * start with. Adding a rule for a prefix that has one changes it and
 * keeps the sends it booked (the newest @count of them), so that a
 * change never forgets what is already out. */
void           ea_rate_limiter_add_rule (EaRateLimiter *limiter,
                                         const char    *prefix,
                                         guint          count,
                                         gint64         window_us);
/* Books the earliest slot for @path at or after @now and returns how
 * long to wait before sending (0: now). */
gint64         ea_rate_limiter_reserve  (EaRateLimiter *limiter,
                                         const char    *path,
                                         gint64         now);
/* How long a request for @path would wait at @now (0: it may go now),
 * without booking anything. */
gint64         ea_rate_limiter_wait     (EaRateLimiter *limiter,
                                         const char    *path,
                                         gint64         now);
/* A request booked at @booked for @path got its reply at @completed:
 * its slot moves to @completed, so that the windows also hold for when the
 * server received it (never later than the reply). */
void           ea_rate_limiter_complete (EaRateLimiter *limiter,
                                         const char    *path,
                                         gint64         booked,
                                         gint64         completed);
/* Nothing may be sent before @until (a penalty box). */
void           ea_rate_limiter_pause_until (EaRateLimiter *limiter,
                                            gint64         until);
/* The end of the current pause, or 0 when not paused at @now. */
gint64         ea_rate_limiter_paused_until (EaRateLimiter *limiter,
                                             gint64         now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaRateLimiter, ea_rate_limiter_free)

/* A token bucket: at most @capacity requests at once, refilled at
 * @per_second. Over any interval of d seconds it grants at most
 * capacity + per_second × d requests. Times in microseconds on any
 * monotonic clock; pure logic, no timers. */
typedef struct _EaTokenBucket EaTokenBucket;

EaTokenBucket *ea_token_bucket_new      (guint          capacity,
                                         double         per_second);
void           ea_token_bucket_free     (EaTokenBucket *bucket);
/* Takes one token at @now and returns TRUE, or returns FALSE and sets
 * @wait_us (may be NULL) to how long until one is there. A clock that
 * goes back never adds tokens. */
gboolean       ea_token_bucket_try_take (EaTokenBucket *bucket,
                                         gint64         now,
                                         gint64        *wait_us);
guint          ea_token_bucket_get_capacity   (EaTokenBucket *bucket);
double         ea_token_bucket_get_per_second (EaTokenBucket *bucket);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaTokenBucket, ea_token_bucket_free)

/* @base_us * 2^@attempt, at most @max_us. */
gint64      ea_backoff_delay           (guint        attempt,
                                        gint64       base_us,
                                        gint64       max_us);

/* Certificates. */
/* Lower-case hex SHA-256 of the certificate's DER encoding. */
char       *ea_tls_certificate_fingerprint (GTlsCertificate *certificate);
/* Compares two fingerprints ignoring case, ':' and spaces. */
gboolean    ea_fingerprint_equal       (const char  *a,
                                        const char  *b);
/* "127.0.0.1", "::1", "[::1]", "localhost" (any case). */
gboolean    ea_host_is_loopback        (const char  *host);

G_END_DECLS
