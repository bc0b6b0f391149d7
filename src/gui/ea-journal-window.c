/* ea-journal-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-journal-window"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "ea-equity-chart.h"
#include "ea-journal-charts.h"
#include "ea-journal-window-private.h"
#include "ea-session.h"

G_DEFINE_FINAL_TYPE (EaJournalWindow, ea_journal_window, GTK_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_JOURNAL,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* Busy accounting. */

void
_ea_journal_window_busy_push (EaJournalWindow *self)
{
  if (self->busy++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BUSY]);
}

void
_ea_journal_window_busy_pop (EaJournalWindow *self)
{
  g_return_if_fail (self->busy > 0);

  if (--self->busy == 0)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BUSY]);
}

const char *
_ea_journal_window_account_name (EaJournalWindow *self,
                                 gint64           account_id)
{
  if (account_id == 0)
    return "";
  for (guint i = 0; self->accounts != NULL && i < self->accounts->len; i++)
    {
      const EaJournalAccount *a = &g_array_index (self->accounts, EaJournalAccount, i);

      if (a->id == account_id)
        return a->name != NULL && a->name[0] != '\0' ? a->name : a->broker_account_id;
    }
  return "?";
}

void
_ea_journal_window_set_status (EaJournalWindow *self,
            const char      *text,
            gboolean         is_error)
{
  g_free (self->status_text);
  self->status_text = g_strdup (text);
  gtk_label_set_text (GTK_LABEL (self->count_label), text);
  if (is_error)
    gtk_widget_add_css_class (self->count_label, "error");
  else
    gtk_widget_remove_css_class (self->count_label, "error");
}

/* Calendar. */

static void
update_month_label (EaJournalWindow *self)
{
  int year, month;
  g_autoptr(GDateTime) first = NULL;
  g_autofree char *text = NULL;

  ea_journal_calendar_get_month (self->calendar, &year, &month);
  first = g_date_time_new_utc (year, month, 1, 0, 0, 0);
  text = g_date_time_format (first, "%B %Y");
  gtk_label_set_text (GTK_LABEL (self->month_label), text);
}

void
ea_journal_window_show_month (EaJournalWindow *self,
                              int              year,
                              int              month)
{
  g_return_if_fail (EA_IS_JOURNAL_WINDOW (self));

  ea_journal_calendar_set_month (self->calendar, year, month);
  update_month_label (self);
}

void
ea_journal_window_set_page (EaJournalWindow *self,
                            const char      *page)
{
  g_return_if_fail (EA_IS_JOURNAL_WINDOW (self));

  if (gtk_stack_get_child_by_name (GTK_STACK (self->stack), page) != NULL)
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), page);
}

static void
step_month (EaJournalWindow *self,
            int              delta)
{
  int year, month;

  ea_journal_calendar_get_month (self->calendar, &year, &month);
  month += delta;
  if (month < 1)
    {
      month = 12;
      year--;
    }
  else if (month > 12)
    {
      month = 1;
      year++;
    }
  ea_journal_window_show_month (self, year, month);
}

static void
previous_month_action (GtkWidget  *widget,
                       const char *name,
                       GVariant   *param)
{
  step_month (EA_JOURNAL_WINDOW (widget), -1);
}

static void
next_month_action (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  step_month (EA_JOURNAL_WINDOW (widget), 1);
}

/* Loading. */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
update_roots (EaJournalWindow *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  GArray *trades = self->analytics->trades;
  gboolean added = FALSE;
  guint selected = 0;

  for (guint i = 0; i < trades->len; i++)
    {
      const char *root = g_array_index (trades, EaJournalTrade, i).root;

      if (root != NULL && !g_ptr_array_find_with_equal_func (self->roots, root, g_str_equal, NULL))
        {
          g_ptr_array_add (self->roots, g_strdup (root));
          added = TRUE;
        }
    }
  if (!added && gtk_drop_down_get_model (GTK_DROP_DOWN (self->root_dropdown)) != NULL)
    return;

  g_ptr_array_sort (self->roots, compare_strings);
  gtk_string_list_append (list, _("All instruments"));
  for (guint i = 0; i < self->roots->len; i++)
    {
      gtk_string_list_append (list, g_ptr_array_index (self->roots, i));
      if (g_strcmp0 (self->filter.root, g_ptr_array_index (self->roots, i)) == 0)
        selected = i + 1;
    }
  self->updating = TRUE;
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->root_dropdown), G_LIST_MODEL (list));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->root_dropdown), selected);
  self->updating = FALSE;
}

/* The account whose stored floors the equity chart shows: the one the
 * filter selects, else the journal's only account; 0 when there are
 * several (their floors do not add up). */
static gint64
floor_account (EaJournalWindow *self)
{
  if (self->filter.account_id != 0)
    return self->filter.account_id;
  if (self->accounts != NULL && self->accounts->len == 1)
    return g_array_index (self->accounts, EaJournalAccount, 0).id;
  return 0;
}

/* "YYYY-MM-DD" as YYYYMMDD; 0 when malformed. */
static guint32
parse_day (const char *text)
{
  unsigned y, m, d;
  char tail;

  if (text == NULL || sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3)
    return 0;
  return y * 10000 + m * 100 + d;
}

/* The floor stored for the latest day at or before @day, or
 * EA_EQUITY_NO_FLOOR. @states are in day order. */
static EaMicros
floor_on (GPtrArray *states,
          guint32    day)
{
  EaMicros floor = EA_EQUITY_NO_FLOOR;

  for (guint i = 0; states != NULL && i < states->len; i++)
    {
      const EaJournalDayState *s = g_ptr_array_index (states, i);
      guint32 d = parse_day (s->trading_day);

      if (d == 0)
        continue;
      if (d > day)
        break;
      floor = s->floor_micros;
    }
  return floor;
}

/* The equity curve: with the account's stored days, its equity (the
 * start balance of the first day shown plus the P&L since) with the
 * trailing floor each day ended with; without, the cumulative P&L. It
 * starts at the first trade's entry. */
static void
update_equity_chart (EaJournalWindow *self,
                     GPtrArray       *states)
{
  const EaJournalAnalytics *a = self->analytics;
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (EaEquityPoint));
  EaMicros base = 0;

  if (a != NULL && a->trades->len > 0)
    {
      const EaJournalTrade *first = &g_array_index (a->trades, EaJournalTrade, 0);
      EaTimeUs start = first->entry_time_us > 0 ? first->entry_time_us : first->exit_time_us;
      guint32 first_day = ea_session_trading_day_us (start);
      EaEquityPoint p;

      if (states != NULL && states->len > 0)
        {
          const EaJournalDayState *s = g_ptr_array_index (states, 0);

          /* The day the curve starts on, else the first stored one. */
          for (guint i = 0; i < states->len; i++)
            {
              const EaJournalDayState *c = g_ptr_array_index (states, i);

              if (parse_day (c->trading_day) > first_day)
                break;
              s = c;
            }
          base = s->start_balance_micros;
        }
      p.time = start;
      p.equity = base;
      p.floor = floor_on (states, first_day);
      g_array_append_val (points, p);
      for (guint i = 0; i < a->trades->len; i++)
        {
          const EaJournalTrade *t = &g_array_index (a->trades, EaJournalTrade, i);

          p.time = t->exit_time_us;
          p.equity = base + g_array_index (a->equity, EaMicros, i);
          p.floor = floor_on (states, ea_session_trading_day_us (t->exit_time_us));
          g_array_append_val (points, p);
        }
    }
  ea_equity_chart_set_points (EA_EQUITY_CHART (self->equity_chart),
                              (const EaEquityPoint *) (gpointer) points->data, points->len);
}

static void
update_daily_chart (EaJournalWindow *self)
{
  const EaJournalAnalytics *a = self->analytics;
  g_autoptr(GArray) days = g_array_new (FALSE, FALSE, sizeof (EaDailyPnl));

  for (guint i = 0; a != NULL && i < a->days->len; i++)
    {
      const EaJournalDay *d = &g_array_index (a->days, EaJournalDay, i);
      EaDailyPnl day = { d->day, d->pnl };

      g_array_append_val (days, day);
    }
  ea_equity_chart_set_days (EA_EQUITY_CHART (self->daily_chart),
                            (const EaDailyPnl *) (gpointer) days->data, days->len);
}

static void
day_states_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(EaJournalWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) states = ea_journal_load_day_states_finish (EA_JOURNAL (object), result, &error);

  _ea_journal_window_busy_pop (self);
  if (states == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message ("The equity curve shows no floor: %s", error->message);
    }
  update_equity_chart (self, states);
}

/* The equity chart waits for the account's stored floors, if any. */
static void
load_floors (EaJournalWindow *self)
{
  gint64 account = floor_account (self);

  if (account == 0)
    {
      update_equity_chart (self, NULL);
      return;
    }
  _ea_journal_window_busy_push (self);
  ea_journal_load_day_states_async (self->journal, account, self->cancellable, day_states_cb,
                                    g_object_ref (self));
}

static void
analytics_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(EaJournalWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  EaJournalAnalytics *a = ea_journal_query_analytics_finish (EA_JOURNAL (object), result, &error);

  _ea_journal_window_busy_pop (self);
  if (a == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _ea_journal_window_set_status (self, error->message, TRUE);
      return;
    }

  g_clear_pointer (&self->analytics, ea_journal_analytics_free);
  self->analytics = a;
  _ea_journal_window_update_tiles (self);
  update_roots (self);
  _ea_journal_window_set_trades (self);
  update_daily_chart (self);
  load_floors (self);
  ea_journal_calendar_set_days (self->calendar, a);
  {
    g_autofree char *text = g_strdup_printf (ngettext ("%u trade", "%u trades", a->summary.n_trades),
                                             a->summary.n_trades);

    _ea_journal_window_set_status (self, text, FALSE);
  }
}

static void
risk_events_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(EaJournalWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  GArray *events = ea_journal_load_risk_events_finish (EA_JOURNAL (object), result, &error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

  _ea_journal_window_busy_pop (self);
  if (events == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _ea_journal_window_set_status (self, error->message, TRUE);
      return;
    }

  g_clear_pointer (&self->risk_events, g_array_unref);
  self->risk_events = events;
  /* Newest first. */
  for (guint i = events->len; i-- > 0;)
    {
      const EaJournalRiskEvent *e = &g_array_index (events, EaJournalRiskEvent, i);
      char **cells = g_new0 (char *, 6);

      cells[0] = _ea_journal_window_format_time (e->time_us);
      cells[1] = g_strdup (e->account_id != 0 ? _ea_journal_window_account_name (self, e->account_id)
                                              : _("All accounts"));
      cells[2] = g_strdup (ea_journal_risk_kind_to_string (e->kind));
      cells[3] = g_strdup (e->reason != NULL ? e->reason : "");
      cells[4] = g_strdup (e->details);
      g_ptr_array_add (rows, ea_journal_row_new_cells (cells));
    }
  g_list_store_splice (self->risk_store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->risk_store)),
                       rows->pdata, rows->len);
}

static void
audit_rows_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(EaJournalWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) audit = ea_journal_load_audit_finish (EA_JOURNAL (object), result, &error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

  _ea_journal_window_busy_pop (self);
  if (audit == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _ea_journal_window_set_status (self, error->message, TRUE);
      return;
    }

  for (guint i = audit->len; i-- > 0;)
    {
      const EaJournalAuditRow *r = &g_array_index (audit, EaJournalAuditRow, i);
      char **cells = g_new0 (char *, 8);

      cells[0] = g_strdup_printf ("%" G_GINT64_FORMAT, r->seq);
      cells[1] = _ea_journal_window_format_time (r->time_us);
      cells[2] = g_strdup (r->actor);
      cells[3] = g_strdup (r->kind);
      cells[4] = g_strdup (r->subject);
      cells[5] = g_strdup (r->details);
      cells[6] = g_strndup (r->hash != NULL ? r->hash : "", 16);
      g_ptr_array_add (rows, ea_journal_row_new_cells (cells));
    }
  g_list_store_splice (self->audit_store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->audit_store)),
                       rows->pdata, rows->len);
}

/* The table shows the last rows of the chain. */
#define AUDIT_ROWS_SHOWN 5000

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(EaJournalWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EaAuditReport) report = ea_journal_verify_audit_finish (EA_JOURNAL (object), result, &error);
  g_autofree char *text = NULL;

  _ea_journal_window_busy_pop (self);
  gtk_widget_remove_css_class (self->audit_banner, "ok");
  gtk_widget_remove_css_class (self->audit_banner, "broken");
  if (report == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("The audit trail could not be verified: %s"), error->message);
      gtk_widget_add_css_class (self->audit_banner, "broken");
      gtk_image_set_from_icon_name (GTK_IMAGE (self->audit_icon), "dialog-error-symbolic");
    }
  else if (report->status == EA_AUDIT_OK)
    {
      g_autofree char *head = g_strndup (report->head_hash != NULL ? report->head_hash : "", 16);

      if (report->n_rows == 0)
        text = g_strdup (_("Audit trail verified: no entries yet."));
      else
        {
          g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, report->n_rows);
          g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, report->head_seq);

          text = g_strdup_printf (ngettext ("Audit trail verified: %s entry chains correctly. Head #%s %s…",
                                            "Audit trail verified: all %s entries chain correctly. Head #%s %s…",
                                            (gulong) MIN (report->n_rows, G_MAXLONG)),
                                  n, seq, head);
        }
      gtk_widget_add_css_class (self->audit_banner, "ok");
      gtk_image_set_from_icon_name (GTK_IMAGE (self->audit_icon), "emblem-ok-symbolic");
    }
  else
    {
      g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, report->broken_seq);

      text = g_strdup_printf (_("Audit trail BROKEN at entry #%s (%s): %s"), seq,
                              ea_audit_status_to_string (report->status),
                              report->message != NULL ? report->message : "");
      gtk_widget_add_css_class (self->audit_banner, "broken");
      gtk_image_set_from_icon_name (GTK_IMAGE (self->audit_icon), "dialog-warning-symbolic");
    }
  gtk_label_set_text (GTK_LABEL (self->audit_label), text);

  _ea_journal_window_busy_push (self);
  ea_journal_load_audit_async (self->journal,
                               report != NULL ? MAX (1, report->head_seq - AUDIT_ROWS_SHOWN + 1) : 1,
                               AUDIT_ROWS_SHOWN, self->cancellable, audit_rows_cb, g_object_ref (self));
}

static void
update_account_dropdown (EaJournalWindow *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint selected = 0;
  gint64 all = 0;

  g_array_set_size (self->account_ids, 0);
  gtk_string_list_append (list, _("All accounts"));
  g_array_append_val (self->account_ids, all);
  for (guint i = 0; i < self->accounts->len; i++)
    {
      const EaJournalAccount *a = &g_array_index (self->accounts, EaJournalAccount, i);
      g_autofree char *label = g_strdup_printf ("%s (%s)", _ea_journal_window_account_name (self, a->id),
                                                a->broker);

      gtk_string_list_append (list, label);
      g_array_append_val (self->account_ids, a->id);
      if (a->id == self->filter.account_id)
        selected = i + 1;
    }
  self->updating = TRUE;
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->account_dropdown), G_LIST_MODEL (list));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->account_dropdown), selected);
  self->updating = FALSE;
}

static void
accounts_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(EaJournalWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  GArray *accounts = ea_journal_load_accounts_finish (EA_JOURNAL (object), result, &error);

  _ea_journal_window_busy_pop (self);
  if (accounts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _ea_journal_window_set_status (self, error->message, TRUE);
      return;
    }
  g_clear_pointer (&self->accounts, g_array_unref);
  self->accounts = accounts;
  update_account_dropdown (self);

  /* The rest needs the account names. */
  _ea_journal_window_busy_push (self);
  ea_journal_query_analytics_async (self->journal, &self->filter, self->cancellable, analytics_cb,
                                    g_object_ref (self));
  _ea_journal_window_busy_push (self);
  ea_journal_load_risk_events_async (self->journal, self->filter.account_id, self->filter.from_us,
                                     self->filter.to_us, self->cancellable, risk_events_cb,
                                     g_object_ref (self));
  _ea_journal_window_busy_push (self);
  ea_journal_verify_audit_async (self->journal, self->cancellable, verify_cb, g_object_ref (self));
}

void
ea_journal_window_refresh (EaJournalWindow *self)
{
  g_return_if_fail (EA_IS_JOURNAL_WINDOW (self));

  if (self->journal == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  _ea_journal_window_busy_push (self);
  ea_journal_load_accounts_async (self->journal, self->cancellable, accounts_cb, g_object_ref (self));
}

static void
refresh_action (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  ea_journal_window_refresh (EA_JOURNAL_WINDOW (widget));
}

/* Accessors. */

/**
 * ea_journal_window_get_equity_chart:
 *
 * Returns: (transfer none): the equity curve with its trailing floor
 */
EaEquityChart *
ea_journal_window_get_equity_chart (EaJournalWindow *self)
{
  g_return_val_if_fail (EA_IS_JOURNAL_WINDOW (self), NULL);
  return EA_EQUITY_CHART (self->equity_chart);
}

/**
 * ea_journal_window_get_daily_chart:
 *
 * Returns: (transfer none): the daily P&L bars
 */
EaEquityChart *
ea_journal_window_get_daily_chart (EaJournalWindow *self)
{
  g_return_val_if_fail (EA_IS_JOURNAL_WINDOW (self), NULL);
  return EA_EQUITY_CHART (self->daily_chart);
}

EaJournal *
ea_journal_window_get_journal (EaJournalWindow *self)
{
  g_return_val_if_fail (EA_IS_JOURNAL_WINDOW (self), NULL);

  return self->journal;
}

gboolean
ea_journal_window_get_busy (EaJournalWindow *self)
{
  g_return_val_if_fail (EA_IS_JOURNAL_WINDOW (self), FALSE);

  return self->busy > 0 || self->debounce_id != 0;
}

const EaJournalAnalytics *
ea_journal_window_get_analytics (EaJournalWindow *self)
{
  g_return_val_if_fail (EA_IS_JOURNAL_WINDOW (self), NULL);

  return self->analytics;
}

const char *
ea_journal_window_get_tile_text (EaJournalWindow *self,
                                 const char      *tile)
{
  GtkWidget *label;

  g_return_val_if_fail (EA_IS_JOURNAL_WINDOW (self), NULL);

  label = g_hash_table_lookup (self->tiles, tile);
  return label != NULL ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

guint
ea_journal_window_get_n_trade_rows (EaJournalWindow *self)
{
  g_return_val_if_fail (EA_IS_JOURNAL_WINDOW (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->trades_selection));
}

guint
ea_journal_window_get_n_risk_rows (EaJournalWindow *self)
{
  g_return_val_if_fail (EA_IS_JOURNAL_WINDOW (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->risk_store));
}

guint
ea_journal_window_get_n_audit_rows (EaJournalWindow *self)
{
  g_return_val_if_fail (EA_IS_JOURNAL_WINDOW (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->audit_store));
}

const char *
ea_journal_window_get_audit_status (EaJournalWindow *self)
{
  g_return_val_if_fail (EA_IS_JOURNAL_WINDOW (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->audit_label));
}

gboolean
ea_journal_window_get_day_colour (EaJournalWindow *self,
                                  guint32          day,
                                  GdkRGBA         *out)
{
  g_return_val_if_fail (EA_IS_JOURNAL_WINDOW (self), FALSE);

  return ea_journal_calendar_get_day_colour (self->calendar, day, out);
}

/* GObject. */

static void
ea_journal_window_constructed (GObject *object)
{
  EaJournalWindow *self = EA_JOURNAL_WINDOW (object);

  G_OBJECT_CLASS (ea_journal_window_parent_class)->constructed (object);

  if (self->journal == NULL)
    {
      gtk_stack_set_visible_child_name (GTK_STACK (self->outer_stack), "error");
      gtk_widget_set_sensitive (self->tiles_grid, FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", FALSE);
      return;
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->outer_stack), "content");
  ea_journal_window_refresh (self);
}

static void
ea_journal_window_dispose (GObject *object)
{
  EaJournalWindow *self = EA_JOURNAL_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), EA_TYPE_JOURNAL_WINDOW);
  if (self->trades_selection != NULL)
    g_signal_handlers_disconnect_by_data (self->trades_selection, self);
  g_clear_object (&self->notes_row);
  g_clear_object (&self->trades_selection);
  g_clear_object (&self->trades_store);
  g_clear_object (&self->risk_store);
  g_clear_object (&self->audit_store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->journal);

  G_OBJECT_CLASS (ea_journal_window_parent_class)->dispose (object);
}

static void
ea_journal_window_finalize (GObject *object)
{
  EaJournalWindow *self = EA_JOURNAL_WINDOW (object);

  g_clear_pointer (&self->analytics, ea_journal_analytics_free);
  g_clear_pointer (&self->accounts, g_array_unref);
  g_clear_pointer (&self->account_ids, g_array_unref);
  g_clear_pointer (&self->roots, g_ptr_array_unref);
  g_clear_pointer (&self->risk_events, g_array_unref);
  g_clear_pointer (&self->tiles, g_hash_table_unref);
  g_clear_pointer (&self->tile_details, g_hash_table_unref);
  g_free (self->filter_root);
  g_free (self->filter_tag);
  g_free (self->status_text);

  G_OBJECT_CLASS (ea_journal_window_parent_class)->finalize (object);
}

static void
ea_journal_window_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EaJournalWindow *self = EA_JOURNAL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_JOURNAL:
      g_value_set_object (value, self->journal);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, ea_journal_window_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_journal_window_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  EaJournalWindow *self = EA_JOURNAL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_JOURNAL:
      self->journal = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_journal_window_class_init (EaJournalWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ea_journal_window_constructed;
  object_class->dispose = ea_journal_window_dispose;
  object_class->finalize = ea_journal_window_finalize;
  object_class->get_property = ea_journal_window_get_property;
  object_class->set_property = ea_journal_window_set_property;

  props[PROP_JOURNAL] = g_param_spec_object ("journal", NULL, NULL, EA_TYPE_JOURNAL,
                                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                             G_PARAM_STATIC_STRINGS);
  props[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/ea-journal-window.ui");
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, account_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, audit_banner);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, audit_icon);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, audit_label);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, audit_view);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, calendar_frame);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, daily_frame);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, equity_frame);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, from_entry);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, month_label);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, notes_box);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, notes_status);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, notes_title);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, notes_view);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, risk_view);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, root_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, session_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, tags_entry);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, tiles_grid);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, to_entry);
  gtk_widget_class_bind_template_child (widget_class, EaJournalWindow, trades_view);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.clear-filter", NULL, _ea_journal_window_clear_filter_action);
  gtk_widget_class_install_action (widget_class, "win.previous-month", NULL, previous_month_action);
  gtk_widget_class_install_action (widget_class, "win.next-month", NULL, next_month_action);
  gtk_widget_class_install_action (widget_class, "win.save-notes", NULL, _ea_journal_window_save_notes_action);
  gtk_widget_class_install_action (widget_class, "win.export", "s", _ea_journal_window_export_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
ea_journal_window_init (EaJournalWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The window's own child: GtkWindow disposes of it, not the template. */
  self->outer_stack = gtk_window_get_child (GTK_WINDOW (self));

  ea_journal_filter_init (&self->filter);
  self->account_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->roots = g_ptr_array_new_with_free_func (g_free);

  _ea_journal_window_build_tiles (self);
  _ea_journal_window_setup_tables (self);

  self->equity_chart = ea_equity_chart_new (EA_EQUITY_CHART_EQUITY);
  self->daily_chart = ea_equity_chart_new (EA_EQUITY_CHART_DAILY_PNL);
  ea_equity_chart_set_empty_text (EA_EQUITY_CHART (self->equity_chart), _("No trades"));
  ea_equity_chart_set_empty_text (EA_EQUITY_CHART (self->daily_chart), _("No trades"));
  gtk_widget_set_size_request (self->equity_chart, -1, 220);
  gtk_widget_set_size_request (self->daily_chart, -1, 160);
  self->calendar = ea_journal_calendar_new ();
  gtk_frame_set_child (GTK_FRAME (self->equity_frame), self->equity_chart);
  gtk_frame_set_child (GTK_FRAME (self->daily_frame), self->daily_chart);
  gtk_frame_set_child (GTK_FRAME (self->calendar_frame), self->calendar);
  update_month_label (self);
  gtk_widget_set_hexpand (self->calendar, FALSE);
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (self->calendar), 600);

  g_signal_connect_object (self->account_dropdown, "notify::selected", G_CALLBACK (_ea_journal_window_filter_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->root_dropdown, "notify::selected", G_CALLBACK (_ea_journal_window_filter_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session_dropdown, "notify::selected", G_CALLBACK (_ea_journal_window_filter_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->from_entry, "changed", G_CALLBACK (_ea_journal_window_filter_text_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->to_entry, "changed", G_CALLBACK (_ea_journal_window_filter_text_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tag_entry, "changed", G_CALLBACK (_ea_journal_window_filter_text_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tag_entry, "activate", G_CALLBACK (_ea_journal_window_filter_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

EaJournalWindow *
ea_journal_window_new (GtkApplication *application,
                       EaJournal      *journal,
                       const GError   *open_error)
{
  EaJournalWindow *self;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (journal == NULL || EA_IS_JOURNAL (journal), NULL);

  self = g_object_new (EA_TYPE_JOURNAL_WINDOW, "application", application, "journal", journal, NULL);
  if (journal == NULL)
    gtk_label_set_text (GTK_LABEL (self->error_label),
                        open_error != NULL ? open_error->message : _("No journal is open."));
  return self;
}
