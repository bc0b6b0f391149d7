/* ea-mode-gate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-mode-gate"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ea-mode-gate.h"

static const char *
mode_title (EaMode mode)
{
  switch (mode)
    {
    case EA_MODE_DEMO:
      return _("Demo");
    case EA_MODE_TEST:
      return _("Test");
    case EA_MODE_LIVE:
      return _("Live");
    default:
      return _("unknown");
    }
}

const char *
ea_mode_gate_environment (EaMode      target,
                          const char *broker)
{
  switch (target)
    {
    case EA_MODE_TEST:
      return g_strcmp0 (broker, "ibkr") == 0 ? "paper" : "demo";
    case EA_MODE_LIVE:
      /* IBKR's gateway trades whatever account it is logged in to and
       * is only ever tested as paper: its Test connection is the one Live
       * uses. */
      return g_strcmp0 (broker, "ibkr") == 0 ? NULL : "live";
    case EA_MODE_DEMO:
    default:
      return NULL;
    }
}

const char *
ea_mode_gate_result_to_string (EaModeGateResult result)
{
  static const char * const names[] = {
    [EA_MODE_GATE_OK] = "ok",
    [EA_MODE_GATE_SAME_MODE] = "same-mode",
    [EA_MODE_GATE_OPEN_EXPOSURE] = "open-exposure",
    [EA_MODE_GATE_NO_SETUP] = "no-setup",
    [EA_MODE_GATE_NO_BROKER] = "no-broker",
    [EA_MODE_GATE_NO_CREDENTIALS] = "no-credentials",
    [EA_MODE_GATE_NO_CONNECTION_TEST] = "no-connection-test",
    [EA_MODE_GATE_CONNECTION_FAILED] = "connection-failed",
    [EA_MODE_GATE_CONNECTION_STALE] = "connection-stale",
    [EA_MODE_GATE_NO_TEST_SESSION] = "no-test-session",
    [EA_MODE_GATE_NO_PROFILE] = "no-profile",
    [EA_MODE_GATE_NOT_CONFIRMED] = "not-confirmed",
  };

  if ((guint) result < G_N_ELEMENTS (names))
    return names[result];
  return "unknown";
}

static EaModeGateResult
refuse (EaModeGateResult   result,
        char             **message,
        char              *text)
{
  if (message != NULL)
    *message = text;
  else
    g_free (text);
  return result;
}

/* Credentials and a passing, recent connection test of @env. */
static EaModeGateResult
environment_gate (const EaModeGateInput *in,
                  const char            *env,
                  gboolean               credentials_present,
                  gboolean               has_test,
                  gboolean               test_passed,
                  gint64                 test_time,
                  char                 **message)
{
  const char *name = in->broker_name != NULL ? in->broker_name : in->broker;

  if (!credentials_present)
    return refuse (EA_MODE_GATE_NO_CREDENTIALS, message,
                   g_strdup_printf (_("No %s credentials for its %s environment are in the keyring: "
                                      "enter them in the quick setup."), name, env));

  if (!has_test)
    return refuse (EA_MODE_GATE_NO_CONNECTION_TEST, message,
                   g_strdup_printf (_("Run a connection test of %s (%s) in the quick setup."), name, env));

  if (!test_passed)
    return refuse (EA_MODE_GATE_CONNECTION_FAILED, message,
                   g_strdup_printf (_("The last connection test of %s (%s) failed: "
                                      "fix it and test again in the quick setup."), name, env));

  if (in->now - test_time > EA_MODE_GATE_TEST_MAX_AGE_S || test_time > in->now + 300)
    return refuse (EA_MODE_GATE_CONNECTION_STALE, message,
                   g_strdup_printf (_("The last passing connection test of %s (%s) is more than "
                                      "7 days old: test again in the quick setup."), name, env));

  return EA_MODE_GATE_OK;
}

/* The Test gate: Live needs it too. */
static EaModeGateResult
test_gate (const EaModeGateInput *in,
           char                 **message)
{
  if (!in->setup_completed)
    return refuse (EA_MODE_GATE_NO_SETUP, message,
                   g_strdup (_("Finish the quick setup first (menu → Quick Setup).")));

  if (in->broker == NULL || in->broker[0] == '\0')
    return refuse (EA_MODE_GATE_NO_BROKER, message,
                   g_strdup (_("Connect a broker in the quick setup: Demo needs none, but Test and Live do.")));

  return environment_gate (in, ea_mode_gate_environment (EA_MODE_TEST, in->broker), in->credentials_present,
                           in->has_test, in->test_passed, in->test_time, message);
}

EaModeGateResult
ea_mode_gate_evaluate (EaMode                 target,
                       const EaModeGateInput *in,
                       char                 **message)
{
  EaModeGateResult result;

  g_return_val_if_fail (in != NULL, EA_MODE_GATE_NO_SETUP);

  if (message != NULL)
    *message = NULL;

  if (target == in->current)
    return refuse (EA_MODE_GATE_SAME_MODE, message,
                   g_strdup_printf (_("Already in %s mode."), mode_title (target)));

  if (in->open_positions > 0 || in->working_orders > 0)
    return refuse (EA_MODE_GATE_OPEN_EXPOSURE, message,
                   g_strdup_printf (_("Close every position and cancel every working order first "
                                      "(%u open positions, %u working orders)."),
                                    in->open_positions, in->working_orders));

  switch (target)
    {
    case EA_MODE_DEMO:
      return EA_MODE_GATE_OK;

    case EA_MODE_TEST:
      return test_gate (in, message);

    case EA_MODE_LIVE:
      result = test_gate (in, message);
      if (result != EA_MODE_GATE_OK)
        return result;

      if (ea_mode_gate_environment (EA_MODE_LIVE, in->broker) != NULL)
        {
          result = environment_gate (in, ea_mode_gate_environment (EA_MODE_LIVE, in->broker),
                                     in->live_credentials_present, in->live_has_test, in->live_test_passed,
                                     in->live_test_time, message);
          if (result != EA_MODE_GATE_OK)
            return result;
        }

      if (in->clean_test_sessions == 0)
        return refuse (EA_MODE_GATE_NO_TEST_SESSION, message,
                       g_strdup (_("Complete at least one full Test session without a limit breach first.")));

      if (in->profile_id == NULL || in->profile_id[0] == '\0')
        return refuse (EA_MODE_GATE_NO_PROFILE, message,
                       g_strdup (_("Select a risk profile for your accounts in the quick setup.")));

      if (g_strcmp0 (in->typed_confirmation, EA_MODE_GATE_CONFIRMATION) != 0)
        return refuse (EA_MODE_GATE_NOT_CONFIRMED, message,
                       g_strdup_printf (_("Type %s to confirm trading with real money."),
                                        EA_MODE_GATE_CONFIRMATION));
      return EA_MODE_GATE_OK;

    default:
      return refuse (EA_MODE_GATE_NO_SETUP, message, g_strdup (_("Unknown mode.")));
    }
}
