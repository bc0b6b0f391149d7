/* ea-desk-accounts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk's accounts and their risk records: registration with a firm
 * profile, equity evaluated from the quotes (open P&L of every position)
 * and what the risk engine's events lead to (alerts, the daily pause,
 * flat-by, a breach's stop and lock), a demo account's fresh start, and
 * the public per-account risk API.
 */
#define G_LOG_DOMAIN "ea-desk"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ea-alert.h"
#include "ea-desk-private.h"


static void
desk_position_free (DeskPosition *p)
{
  g_free (p->symbol);
  g_free (p);
}

static EaMicros
open_pnl (EaDesk      *self,
          DeskAccount *account)
{
  GHashTableIter iter;
  DeskPosition *p;
  double total = 0;

  g_hash_table_iter_init (&iter, account->positions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &p))
    {
      DeskContract *c = _ea_desk_contract (self, p->symbol);
      EaTicks mark;

      if (c == NULL || p->qty == 0)
        continue;

      mark = c->last != 0 ? c->last : (c->bid + c->ask) / 2;
      if (mark == 0)
        continue;

      total += ((double) mark - p->avg_price) * (double) c->spec->tick_value * (double) p->qty;
    }

  return (EaMicros) llround (total);
}

static void
handle_risk_events (EaDesk       *self,
                    DeskAccount  *account,
                    EaRiskEvents  events)
{
  EaRiskStatus status;
  g_autofree char *details = NULL;

  if (events == EA_RISK_EVENT_NONE)
    return;

  _ea_desk_queue_save (self);
  ea_risk_engine_get_status (self->risk, account->risk_index, _ea_desk_now (self), &status);
  details = g_strdup_printf ("{\"account\":\"%s\",\"events\":%u,\"equity\":%" G_GINT64_FORMAT
                             ",\"floor\":%" G_GINT64_FORMAT ",\"day_pnl\":%" G_GINT64_FORMAT "}",
                             account->name, (guint) events, status.equity, status.effective_floor,
                             status.day_pnl);

  if (events & EA_RISK_EVENT_WARNING)
    {
      g_autofree char *body = g_strdup_printf (_("%s has used more than 75 %% of a limit."), account->name);
      _ea_desk_alert (self, "risk_warning", EA_ALERT_PRIORITY_HIGH, _("Risk warning"), body);
      _ea_desk_risk_event (self, account, EA_JOURNAL_RISK_WARNING, "75%", details, EA_ACTOR_AUTOMATIC);
    }

  if (events & EA_RISK_EVENT_REDUCING)
    {
      g_autofree char *body = g_strdup_printf (_("%s is at 90 %% of its daily or trailing limit: only orders that reduce exposure are accepted."),
                                               account->name);
      _ea_desk_alert (self, "risk_warning", EA_ALERT_PRIORITY_HIGH, _("Reducing only"), body);
      _ea_desk_risk_event (self, account, EA_JOURNAL_RISK_WARNING, "REDUCING", details, EA_ACTOR_AUTOMATIC);
    }

  if (events & EA_RISK_EVENT_LOW_MARGIN)
    _ea_desk_alert (self, "margin_warning", EA_ALERT_PRIORITY_CRITICAL, _("Low margin"), account->name);

  if (events & EA_RISK_EVENT_BREACH)
    {
      g_autofree char *reason = g_strdup_printf (_("%s breached a limit of its firm profile"), account->name);
      g_autoptr(GDateTime) until = NULL;
      _ea_desk_risk_event (self, account, EA_JOURNAL_RISK_BREACH, "BREACH", details, EA_ACTOR_AUTOMATIC);
      _ea_desk_risk_event (self, account, EA_JOURNAL_RISK_LOCK, reason, details, EA_ACTOR_AUTOMATIC);
      ea_desk_emergency_stop (self, EA_ACTOR_AUTOMATIC, reason);
      if (status.lock_until > 0 && status.lock_until != EA_RISK_LOCK_FOREVER)
        until = g_date_time_new_from_unix_utc (status.lock_until / G_USEC_PER_SEC);
      else
        until = g_date_time_new_from_unix_utc (ea_risk_next_session_open (_ea_desk_now (self)) / G_USEC_PER_SEC);
      ea_desk_lock (self, until, reason);
    }
  else if (events & (EA_RISK_EVENT_DAILY_PAUSE | EA_RISK_EVENT_FLAT_BY_DUE))
    {
      gboolean pause = (events & EA_RISK_EVENT_DAILY_PAUSE) != 0;
      const char *names[1] = { account->name };
      EaTimeUs now = _ea_desk_now (self);

      /* The account stops for the session, through the same pipeline as
       * the emergency stop: cancelled, flattened, confirmed flat, and
       * locked until the next session opens. */
      _ea_desk_audit (self, EA_ACTOR_AUTOMATIC, pause ? "risk.daily-pause" : "risk.flat-by",
                      account->name, details);
      _ea_desk_alert (self, "risk_warning", EA_ALERT_PRIORITY_CRITICAL,
                      pause ? _("Daily loss limit: paused") : _("Flat-by time"),
                      account->name);
      if (!pause)
        {
          ea_risk_engine_lock_account (self->risk, account->risk_index, ea_risk_next_session_open (now),
                                       "flat-by time");
          _ea_desk_risk_event (self, account, EA_JOURNAL_RISK_LOCK, "flat-by time", details, EA_ACTOR_AUTOMATIC);
        }
      _ea_desk_stop_accounts (self, names, 1, pause ? _("Daily loss limit") : _("Flat-by time"));
    }

  _ea_desk_risk_changed (self, account->name);
}

void
_ea_desk_evaluate_account (EaDesk      *self,
                           DeskAccount *account)
{
  EaRiskEvents events;

  if (account->risk_index < 0 || !account->has_balance)
    return;

  events = ea_risk_engine_update_equity (self->risk, account->risk_index, account->balance,
                                         account->balance + open_pnl (self, account),
                                         _ea_desk_now (self));
  handle_risk_events (self, account, events);
  if (!(events & EA_RISK_EVENT_BREACH) && account->risk_index >= 0)
    _ea_desk_tighten_stops (self, account);
}

static void
register_risk_account (EaDesk      *self,
                       DeskAccount *account,
                       const char  *profile_hint)
{
  g_autoptr(GError) error = NULL;
  const EaRiskProfile *profile = NULL;

  if (account->risk_index >= 0)
    return;

  account->risk_index = ea_risk_engine_find_account (self->risk, account->name);
  if (account->risk_index >= 0 || self->profiles == NULL)
    return;

  /* "Apex legacy 50K" or "apex-legacy-50k". */
  if (profile_hint != NULL)
    {
      g_autofree char *id = g_ascii_strdown (profile_hint, -1);

      g_strdelimit (id, " ", '-');
      profile = ea_profile_store_lookup (self->profiles, id);
    }
  if (profile == NULL)
    profile = ea_profile_store_lookup (self->profiles, self->default_profile);
  if (profile == NULL)
    return;

  /* Restored from the journal: its state carries on. */
  account->risk_index = ea_risk_engine_find_account (self->risk, account->name);
  if (account->risk_index >= 0)
    return;

  account->risk_index = ea_risk_engine_add_account (self->risk, account->name, profile,
                                                    EA_SAFETY_DEFAULT, _ea_desk_now (self), &error);
  if (account->risk_index < 0)
    g_message ("Cannot watch the risk of %s: %s", account->name, error->message);
  else
    {
      g_autofree char *details = g_strdup_printf ("{\"profile\":\"%s\",\"safety\":%u}",
                                                  profile->id, EA_SAFETY_DEFAULT);
      _ea_desk_audit (self, EA_ACTOR_AUTOMATIC, "risk.profile", account->name, details);
      _ea_desk_risk_resync (self);
      _ea_desk_risk_changed (self, account->name);
    }
}

DeskAccount *
_ea_desk_ensure_account (EaDesk     *self,
                         EaBroker   *broker,
                         const char *name,
                         const char *profile_hint)
{
  DeskAccount *a = _ea_desk_account (self, name);

  if (a != NULL)
    return a;

  a = g_new0 (DeskAccount, 1);
  a->name = g_strdup (name);
  a->broker = broker;
  a->risk_index = -1;
  a->enabled = TRUE;
  a->ledger_id = self->next_ledger_account++;
  a->positions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) desk_position_free);
  g_hash_table_insert (self->accounts, a->name, a);

  register_risk_account (self, a, profile_hint);

  return a;
}

/* After a demo account's reset: the broker has cancelled its orders,
 * cleared its positions and restored its balance. Its positions, P&L
 * ledger, open round trips and risk record start again from that
 * balance. */
void
_ea_desk_account_start_fresh (EaDesk      *self,
                              DeskAccount *account)
{
  GHashTableIter iter;
  OpenTrip *trip;
  guint old_id = account->ledger_id;
  g_autofree char *prefix = g_strdup_printf ("%u:", old_id);

  g_hash_table_remove_all (account->positions);

  g_hash_table_iter_init (&iter, self->open_trips);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &trip))
    if (trip->account == old_id)
      g_hash_table_iter_remove (&iter);
  {
    const char *key;

    g_hash_table_iter_init (&iter, self->trip_signals);
    while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
      if (g_str_has_prefix (key, prefix))
        g_hash_table_iter_remove (&iter);
  }

  /* The old ledger account keeps what it knew; the account books into a
   * new one from its starting balance. */
  account->ledger_id = self->next_ledger_account++;
  ea_ledger_add_account (self->ledger, account->ledger_id, account->balance, NULL);

  if (account->risk_index >= 0)
    {
      ea_risk_engine_reset_account (self->risk, account->risk_index, _ea_desk_now (self));
      _ea_desk_risk_resync (self);
    }
  _ea_desk_evaluate_account (self, account);
  _ea_desk_queue_save (self);
  _ea_desk_risk_changed (self, account->name);
}

gboolean
ea_desk_set_account_profile (EaDesk              *self,
                             const char          *account,
                             const EaRiskProfile *profile,
                             guint                safety_pct,
                             GError             **error)
{
  DeskAccount *a;
  EaTimeUs now = _ea_desk_now (self);

  g_return_val_if_fail (EA_IS_DESK (self), FALSE);
  g_return_val_if_fail (profile != NULL, FALSE);

  a = _ea_desk_account (self, account);
  if (a == NULL)
    {
      g_set_error (error, EA_DESK_ERROR, EA_DESK_ERROR_UNKNOWN_ACCOUNT,
                   _("No account %s"), account);
      return FALSE;
    }

  if (a->risk_index < 0)
    {
      a->risk_index = ea_risk_engine_add_account (self->risk, a->name, profile, safety_pct, now, error);
      if (a->risk_index < 0)
        return FALSE;
      ea_risk_engine_set_broker_restriction (self->risk, a->risk_index, a->restriction, a->restriction_text);
      _ea_desk_risk_resync (self);
    }
  else if (!ea_risk_engine_set_profile (self->risk, a->risk_index, profile, now, error) ||
           !ea_risk_engine_set_safety (self->risk, a->risk_index, safety_pct, now, error))
    return FALSE;

  {
    g_autofree char *details = g_strdup_printf ("{\"profile\":\"%s\",\"safety\":%u}", profile->id, safety_pct);
    _ea_desk_risk_event (self, a, EA_JOURNAL_RISK_LIMIT_CHANGE, profile->id, details, EA_ACTOR_USER);
  }
  _ea_desk_evaluate_account (self, a);
  _ea_desk_risk_changed (self, a->name);

  return TRUE;
}

gboolean
ea_desk_get_account_profile (EaDesk        *self,
                             const char    *account,
                             EaRiskProfile *profile)
{
  DeskAccount *a;

  g_return_val_if_fail (EA_IS_DESK (self), FALSE);
  g_return_val_if_fail (profile != NULL, FALSE);

  a = account ? _ea_desk_account (self, account) : NULL;
  if (a == NULL || a->risk_index < 0)
    return FALSE;
  *profile = *ea_risk_engine_get_profile (self->risk, a->risk_index);
  return TRUE;
}

gboolean
ea_desk_get_risk_status (EaDesk       *self,
                         const char   *account,
                         EaRiskStatus *status)
{
  DeskAccount *a;

  g_return_val_if_fail (EA_IS_DESK (self), FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  a = _ea_desk_account (self, account);
  if (a == NULL || a->risk_index < 0)
    return FALSE;

  ea_risk_engine_get_status (self->risk, a->risk_index, _ea_desk_now (self), status);
  return TRUE;
}

void
ea_desk_tick (EaDesk *self)
{
  GHashTableIter iter;
  DeskAccount *a;

  g_return_if_fail (EA_IS_DESK (self));

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    _ea_desk_evaluate_account (self, a);

  /* Peaks move without events: keep the journal's copy recent. */
  if (++self->ticks % 5 == 0)
    _ea_desk_queue_save (self);
}

void
ea_desk_set_account_enabled (EaDesk     *self,
                             const char *account,
                             gboolean    enabled)
{
  DeskAccount *a;

  g_return_if_fail (EA_IS_DESK (self));

  a = _ea_desk_account (self, account);
  if (a == NULL || a->enabled == enabled)
    return;

  a->enabled = enabled;
  _ea_desk_audit (self, EA_ACTOR_USER, enabled ? "account.enabled" : "account.disabled", account, NULL);
  _ea_desk_risk_changed (self, account);
}

gboolean
ea_desk_get_account_enabled (EaDesk     *self,
                             const char *account)
{
  DeskAccount *a;

  g_return_val_if_fail (EA_IS_DESK (self), FALSE);

  a = _ea_desk_account (self, account);
  return a != NULL && a->enabled;
}
