/* ea-signal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-signal"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ea-signal.h"

G_DEFINE_QUARK (ea-signal-error-quark, ea_signal_error)

void
ea_signal_init (EaSignal *signal)
{
  g_return_if_fail (signal != NULL);

  memset (signal, 0, sizeof *signal);
  signal->direction = EA_SIDE_BUY;
  signal->confluence = EA_CONFLUENCE_L0;
  signal->color = EA_SIGNAL_COLOR_NONE;
  signal->macvu = EA_MACVU_NEUTRAL;
}

static gboolean
set_name (char        *dest,
          const char  *what,
          const char  *value,
          GError     **error)
{
  if (value == NULL || *value == '\0' || strlen (value) >= EA_SIGNAL_NAME_MAX ||
      !g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, EA_SIGNAL_ERROR, EA_SIGNAL_ERROR_INVALID,
                   "Signal %s must be non-empty UTF-8 shorter than %d bytes",
                   what, EA_SIGNAL_NAME_MAX);
      return FALSE;
    }
  g_strlcpy (dest, value, EA_SIGNAL_NAME_MAX);
  return TRUE;
}

gboolean
ea_signal_set_instrument (EaSignal    *signal,
                          const char  *instrument,
                          GError     **error)
{
  g_return_val_if_fail (signal != NULL, FALSE);

  return set_name (signal->instrument, "instrument", instrument, error);
}

gboolean
ea_signal_set_source (EaSignal    *signal,
                      const char  *source,
                      GError     **error)
{
  g_return_val_if_fail (signal != NULL, FALSE);

  return set_name (signal->source, "source", source, error);
}

static gboolean
invalid (GError     **error,
         const char  *message)
{
  g_set_error_literal (error, EA_SIGNAL_ERROR, EA_SIGNAL_ERROR_INVALID, message);
  return FALSE;
}

gboolean
ea_signal_validate (const EaSignal  *signal,
                    GError         **error)
{
  g_return_val_if_fail (signal != NULL, FALSE);

  if (signal->instrument[0] == '\0' ||
      memchr (signal->instrument, '\0', EA_SIGNAL_NAME_MAX) == NULL)
    return invalid (error, "Signal has no instrument");
  if (memchr (signal->source, '\0', EA_SIGNAL_NAME_MAX) == NULL)
    return invalid (error, "Signal source is not terminated");
  if (signal->direction != EA_SIDE_BUY && signal->direction != EA_SIDE_SELL)
    return invalid (error, "Signal direction is neither long nor short");
  if (signal->power != 0 &&
      (signal->power < EA_SIGNAL_MIN_POWER || signal->power > EA_SIGNAL_MAX_POWER))
    return invalid (error, "Signal power score is outside 10 … 100 (0 = none)");
  if ((guint) signal->confluence > EA_CONFLUENCE_L4)
    return invalid (error, "Signal confluence is outside L0 … L4");
  if ((guint) signal->color > EA_SIGNAL_COLOR_PINK)
    return invalid (error, "Signal colour is unknown");
  if ((guint) signal->macvu > EA_MACVU_YELLOW)
    return invalid (error, "Signal MACVU state is unknown");
  if (!(isfinite (signal->atr) && signal->atr >= 0.0))
    return invalid (error, "Signal ATR is negative or not a number");
  return TRUE;
}

guint
ea_signal_normalize_power (gint64 raw)
{
  if (raw < EA_SIGNAL_MIN_POWER || raw > EA_SIGNAL_MAX_POWER)
    return 0;
  return (guint) raw;
}

guint
ea_signal_quality_tenths (const EaSignal *signal)
{
  guint q = 0;

  g_return_val_if_fail (signal != NULL, 0);

  if (signal->power >= 20)
    q += 3;
  else if (signal->power >= 15)
    q += 2;
  else if (signal->power >= 10)
    q += 1;

  switch (signal->confluence)
    {
    case EA_CONFLUENCE_L4: q += 3; break;
    case EA_CONFLUENCE_L3: q += 2; break;
    case EA_CONFLUENCE_L2: q += 1; break;
    case EA_CONFLUENCE_L1:
    case EA_CONFLUENCE_L0:
    default:
      break;
    }

  switch (signal->macvu)
    {
    case EA_MACVU_GREEN: q += 2; break;
    case EA_MACVU_NEUTRAL: q += 1; break;
    case EA_MACVU_RED:
    case EA_MACVU_YELLOW:
    default:
      break;
    }

  switch (signal->color)
    {
    case EA_SIGNAL_COLOR_GREEN:
    case EA_SIGNAL_COLOR_RED:
    case EA_SIGNAL_COLOR_BLUE:
    case EA_SIGNAL_COLOR_PINK:
      q += 2;
      break;
    case EA_SIGNAL_COLOR_NONE:
    default:
      break;
    }

  return q;
}

double
ea_signal_quality (const EaSignal *signal)
{
  return ea_signal_quality_tenths (signal) / 10.0;
}

gboolean
ea_signal_is_tradeable (const EaSignal *signal)
{
  return ea_signal_quality_tenths (signal) >= EA_SIGNAL_TRADEABLE_TENTHS;
}

double
ea_signal_confidence (const EaSignal *signal)
{
  g_return_val_if_fail (signal != NULL, EA_SIGNAL_DEFAULT_CONFIDENCE);

  if (signal->power >= EA_SIGNAL_MIN_POWER && signal->power <= EA_SIGNAL_MAX_POWER)
    return signal->power / 100.0;
  return EA_SIGNAL_DEFAULT_CONFIDENCE;
}

static const char * const color_names[] = { "NONE", "GREEN", "RED", "BLUE", "PINK" };
static const char * const macvu_names[] = { "NEUTRAL", "GREEN", "RED", "YELLOW" };
static const char * const confluence_names[] = { "L0", "L1", "L2", "L3", "L4" };

const char *
ea_signal_color_to_string (EaSignalColor color)
{
  if ((guint) color >= G_N_ELEMENTS (color_names))
    return "UNKNOWN";
  return color_names[color];
}

const char *
ea_macvu_to_string (EaMacvu macvu)
{
  if ((guint) macvu >= G_N_ELEMENTS (macvu_names))
    return "UNKNOWN";
  return macvu_names[macvu];
}

const char *
ea_confluence_to_string (EaConfluence level)
{
  if ((guint) level >= G_N_ELEMENTS (confluence_names))
    return "UNKNOWN";
  return confluence_names[level];
}

const char *
ea_signal_direction_to_string (EaSide direction)
{
  switch (direction)
    {
    case EA_SIDE_BUY:
      return "LONG";
    case EA_SIDE_SELL:
      return "SHORT";
    default:
      return "UNKNOWN";
    }
}

/* Index of @str (trimmed, any case) in @names, or -1. */
static gint
lookup_name (const char         *str,
             const char * const *names,
             guint               n_names)
{
  g_autofree char *copy = NULL;
  guint i;

  if (str == NULL)
    return -1;
  copy = g_strstrip (g_strdup (str));
  for (i = 0; i < n_names; i++)
    if (g_ascii_strcasecmp (copy, names[i]) == 0)
      return (gint) i;
  return -1;
}

static gboolean
parse_failed (GError     **error,
              const char  *what,
              const char  *str)
{
  g_autofree char *shown = NULL;

  shown = str != NULL ? g_utf8_make_valid (str, 64) : g_strdup ("(null)");
  g_set_error (error, EA_SIGNAL_ERROR, EA_SIGNAL_ERROR_PARSE,
               "Unknown %s “%s”", what, shown);
  return FALSE;
}

gboolean
ea_signal_color_from_string (const char     *str,
                             EaSignalColor  *out,
                             GError        **error)
{
  gint i = lookup_name (str, color_names, G_N_ELEMENTS (color_names));

  g_return_val_if_fail (out != NULL, FALSE);

  if (i < 0)
    return parse_failed (error, "signal colour", str);
  *out = (EaSignalColor) i;
  return TRUE;
}

gboolean
ea_macvu_from_string (const char  *str,
                      EaMacvu     *out,
                      GError     **error)
{
  gint i = lookup_name (str, macvu_names, G_N_ELEMENTS (macvu_names));

  g_return_val_if_fail (out != NULL, FALSE);

  if (i < 0)
    return parse_failed (error, "MACVU state", str);
  *out = (EaMacvu) i;
  return TRUE;
}

gboolean
ea_confluence_from_string (const char    *str,
                           EaConfluence  *out,
                           GError       **error)
{
  static const char * const digits[] = { "0", "1", "2", "3", "4" };
  gint i;

  g_return_val_if_fail (out != NULL, FALSE);

  i = lookup_name (str, confluence_names, G_N_ELEMENTS (confluence_names));
  if (i < 0)
    i = lookup_name (str, digits, G_N_ELEMENTS (digits));
  if (i < 0)
    return parse_failed (error, "confluence level", str);
  *out = (EaConfluence) i;
  return TRUE;
}

gboolean
ea_signal_direction_from_string (const char  *str,
                                 EaSide      *out,
                                 GError     **error)
{
  static const char * const longs[] = { "LONG", "BUY", "1", "+1" };
  static const char * const shorts[] = { "SHORT", "SELL", "-1" };

  g_return_val_if_fail (out != NULL, FALSE);

  if (lookup_name (str, longs, G_N_ELEMENTS (longs)) >= 0)
    *out = EA_SIDE_BUY;
  else if (lookup_name (str, shorts, G_N_ELEMENTS (shorts)) >= 0)
    *out = EA_SIDE_SELL;
  else
    return parse_failed (error, "signal direction", str);
  return TRUE;
}

void
ea_cadence_init (EaCadence *cadence)
{
  g_return_if_fail (cadence != NULL);

  memset (cadence, 0, sizeof *cadence);
}

static guint *
window_count (EaCadence  *cadence,
              EaEtWindow  window)
{
  switch (window)
    {
    case EA_ET_WINDOW_AM:
      return &cadence->am_failures;
    case EA_ET_WINDOW_PM:
      return &cadence->pm_failures;
    case EA_ET_WINDOW_NONE:
    default:
      return NULL;
    }
}

void
ea_cadence_record (EaCadence  *cadence,
                   guint32     trading_day,
                   EaEtWindow  window,
                   gboolean    won)
{
  guint *count;

  g_return_if_fail (cadence != NULL);

  if (trading_day != cadence->trading_day)
    {
      cadence->trading_day = trading_day;
      cadence->am_failures = 0;
      cadence->pm_failures = 0;
    }

  count = window_count (cadence, window);
  if (count == NULL)
    return;
  if (won)
    *count = 0;
  else if (*count < G_MAXUINT)
    (*count)++;
}

guint
ea_cadence_failures (const EaCadence *cadence,
                     guint32          trading_day,
                     EaEtWindow       window)
{
  g_return_val_if_fail (cadence != NULL, 0);

  if (trading_day != cadence->trading_day)
    return 0;
  switch (window)
    {
    case EA_ET_WINDOW_AM:
      return cadence->am_failures;
    case EA_ET_WINDOW_PM:
      return cadence->pm_failures;
    case EA_ET_WINDOW_NONE:
    default:
      return 0;
    }
}

gboolean
ea_cadence_is_high_probability (const EaCadence *cadence,
                                guint32          trading_day,
                                EaEtWindow       window)
{
  guint failures = ea_cadence_failures (cadence, trading_day, window);

  switch (window)
    {
    case EA_ET_WINDOW_AM:
      return failures >= EA_CADENCE_AM_FAILURES;
    case EA_ET_WINDOW_PM:
      return failures >= EA_CADENCE_PM_FAILURES;
    case EA_ET_WINDOW_NONE:
    default:
      return FALSE;
    }
}
