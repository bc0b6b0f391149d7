/* ea-tradovate-server-limits.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the server counts of the WebSocket requests it receives (per
 * endpoint, and the most in any window), and an optional request limit:
 * like Tradovate, a request over it is not run and is answered with a
 * penalty ticket (`{"p-ticket", "p-time"}` in a 200 response).
 */
#define G_LOG_DOMAIN "ea-tradovate-server"

#include "config.h"

#include "ea-tradovate-server-private.h"

static void
ensure_counters (EaTradovateServer *self)
{
  if (self->request_times == NULL)
    self->request_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (self->request_counts == NULL)
    self->request_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Counts a request; FALSE when it is over the limit and gets a penalty. */
gboolean
_tv_note_request (EaTradovateServer *self,
                  const char        *endpoint)
{
  gint64 now = g_get_monotonic_time ();
  guint in_window = 0;

  ensure_counters (self);
  g_hash_table_replace (self->request_counts, g_strdup (endpoint),
                        GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->request_counts, endpoint)) + 1));

  if (self->limit_count > 0)
    for (guint i = self->request_times->len; i > 0; i--)
      {
        if (now - g_array_index (self->request_times, gint64, i - 1) >= (gint64) self->limit_window_ms * 1000)
          break;
        in_window++;
      }
  g_array_append_val (self->request_times, now);

  if (self->limit_count > 0 && in_window >= self->limit_count)
    {
      self->penalties_issued++;
      return FALSE;
    }

  return TRUE;
}

/**
 * ea_tradovate_server_set_request_limit:
 * @count: requests allowed in any @window_ms; 0 = no limit
 *
 * Requests beyond it are answered with a penalty ticket and not run.
 */
void
ea_tradovate_server_set_request_limit (EaTradovateServer *self,
                                       guint              count,
                                       guint              window_ms)
{
  g_return_if_fail (EA_IS_TRADOVATE_SERVER (self));

  self->limit_count = count;
  self->limit_window_ms = window_ms;
}

guint
ea_tradovate_server_get_penalties_issued (EaTradovateServer *self)
{
  g_return_val_if_fail (EA_IS_TRADOVATE_SERVER (self), 0);

  return self->penalties_issued;
}

/* WebSocket requests received for @endpoint, or all when NULL. */
guint
ea_tradovate_server_count_requests (EaTradovateServer *self,
                                    const char        *endpoint)
{
  g_return_val_if_fail (EA_IS_TRADOVATE_SERVER (self), 0);

  ensure_counters (self);
  if (endpoint == NULL)
    return self->request_times->len;
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->request_counts, endpoint));
}

/* The most WebSocket requests received within any @window_ms. */
guint
ea_tradovate_server_get_max_requests_in (EaTradovateServer *self,
                                         guint              window_ms)
{
  guint best = 0;
  guint first = 0;

  g_return_val_if_fail (EA_IS_TRADOVATE_SERVER (self), 0);

  ensure_counters (self);
  for (guint last = 0; last < self->request_times->len; last++)
    {
      gint64 t = g_array_index (self->request_times, gint64, last);

      while (t - g_array_index (self->request_times, gint64, first) >= (gint64) window_ms * 1000)
        first++;
      best = MAX (best, last - first + 1);
    }

  return best;
}

void
ea_tradovate_server_reset_request_counts (EaTradovateServer *self)
{
  g_return_if_fail (EA_IS_TRADOVATE_SERVER (self));

  g_clear_pointer (&self->request_times, g_array_unref);
  g_clear_pointer (&self->request_counts, g_hash_table_unref);
  self->penalties_issued = 0;
}
