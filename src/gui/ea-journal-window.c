/* ea-journal-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ea-journal-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "ea-csv.h"
#include "ea-journal-charts.h"
#include "ea-journal-window-private.h"
#include "ea-money.h"

G_DEFINE_FINAL_TYPE (EaJournalWindow, ea_journal_window, GTK_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_JOURNAL,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static const struct
{
  const char *id;
  const char *caption;
} tile_defs[] = {
  { "net", N_("Net P&L") },
  { "trades", N_("Trades") },
  { "win-rate", N_("Win rate") },
  { "profit-factor", N_("Profit factor") },
  { "expectancy", N_("Expectancy") },
  { "avg-win-loss", N_("Avg win / loss") },
  { "sharpe", N_("Sharpe (per trade)") },
  { "max-drawdown", N_("Max drawdown") },
  { "streaks", N_("Longest streaks") },
  { "duration", N_("Avg duration") },
  { "best-worst", N_("Best / worst day") },
  { "consistency", N_("Consistency") },
};

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

static void
set_status (EaJournalWindow *self,
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

/* Tiles. */

static void
build_tiles (EaJournalWindow *self)
{
  self->tiles = g_hash_table_new (g_str_hash, g_str_equal);
  self->tile_details = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < G_N_ELEMENTS (tile_defs); i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *caption = gtk_label_new (_(tile_defs[i].caption));
      GtkWidget *value = gtk_label_new ("—");
      GtkWidget *detail = gtk_label_new (NULL);

      gtk_widget_add_css_class (box, "journal-tile");
      gtk_widget_add_css_class (caption, "caption");
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_widget_add_css_class (value, "tile-value");
      gtk_widget_add_css_class (value, "numeric");
      gtk_widget_add_css_class (detail, "caption");
      gtk_widget_add_css_class (detail, "dim-label");
      gtk_widget_add_css_class (detail, "numeric");
      gtk_label_set_xalign (GTK_LABEL (caption), 0);
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_label_set_xalign (GTK_LABEL (detail), 0);
      gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
      gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
      gtk_box_append (GTK_BOX (box), caption);
      gtk_box_append (GTK_BOX (box), value);
      gtk_box_append (GTK_BOX (box), detail);
      gtk_grid_attach (GTK_GRID (self->tiles_grid), box, i % 4, i / 4, 1, 1);
      g_hash_table_insert (self->tiles, (gpointer) tile_defs[i].id, value);
      g_hash_table_insert (self->tile_details, (gpointer) tile_defs[i].id, detail);
    }
}

static void
set_tile (EaJournalWindow *self,
          const char      *id,
          const char      *value,
          const char      *detail,
          int              sign)
{
  GtkWidget *label = g_hash_table_lookup (self->tiles, id);

  gtk_label_set_text (GTK_LABEL (label), value);
  gtk_label_set_text (GTK_LABEL (g_hash_table_lookup (self->tile_details, id)), detail != NULL ? detail : "");
  gtk_widget_remove_css_class (label, "profit");
  gtk_widget_remove_css_class (label, "loss");
  if (sign != 0)
    gtk_widget_add_css_class (label, sign > 0 ? "profit" : "loss");
}

static char *
money (double micros)
{
  EaMicros m = 0;

  /* Averages to the cent. */
  if (!ea_money_from_double (round (micros / 1e4) / 100.0, &m))
    return g_strdup ("—");
  return ea_money_format (m);
}

static char *
day_text (gint64 day)
{
  return g_strdup_printf ("%04d-%02d-%02d", (int) (day / 10000), (int) (day / 100 % 100), (int) (day % 100));
}

static void
update_tiles (EaJournalWindow *self)
{
  const EaJournalAnalytics *a = self->analytics;
  const EaStatsSummary *s = &a->summary;
  g_autofree char *net = ea_money_format_full (s->total_pnl, EA_MONEY_FORMAT_PLUS_SIGN);
  g_autofree char *gross = NULL;
  g_autofree char *trades = g_strdup_printf ("%u", s->n_trades);
  g_autofree char *wlb = g_strdup_printf (_("%u W · %u L · %u BE · %u days"), s->n_wins, s->n_losses,
                                          s->n_breakeven, s->n_days);
  g_autofree char *win_rate = g_strdup_printf ("%.1f %%", s->win_rate * 100);
  g_autofree char *pf = NULL;
  g_autofree char *expectancy = money (s->expectancy);
  g_autofree char *avg_win = money (s->avg_win);
  g_autofree char *avg_loss = money (s->avg_loss);
  g_autofree char *avg_wl = g_strdup_printf ("%s / %s", avg_win, avg_loss);
  g_autofree char *payoff = s->avg_loss > 0 ? g_strdup_printf (_("payoff %.2f"), s->avg_win / s->avg_loss)
                                            : g_strdup ("");
  g_autofree char *sharpe = g_strdup_printf ("%.2f", s->sharpe);
  g_autofree char *sharpe_ann = g_strdup_printf (_("%.2f annualised (daily)"), s->sharpe_annualised);
  g_autofree char *dd = ea_money_format (s->max_drawdown);
  g_autofree char *streaks = g_strdup_printf ("%u W / %u L", s->longest_win_streak, s->longest_loss_streak);
  g_autofree char *current = NULL;
  g_autofree char *duration = _ea_journal_window_format_duration (a->avg_duration_s);
  g_autofree char *dur_win = _ea_journal_window_format_duration (a->avg_win_duration_s);
  g_autofree char *dur_loss = _ea_journal_window_format_duration (a->avg_loss_duration_s);
  g_autofree char *dur_detail = g_strdup_printf (_("wins %s · losses %s"), dur_win, dur_loss);
  g_autofree char *best = ea_money_format_full (s->best_day, EA_MONEY_FORMAT_PLUS_SIGN);
  g_autofree char *worst = ea_money_format_full (s->worst_day, EA_MONEY_FORMAT_PLUS_SIGN);
  g_autofree char *best_worst = g_strdup_printf ("%s / %s", best, worst);
  g_autofree char *best_day = NULL;
  g_autofree char *worst_day = NULL;
  g_autofree char *days = NULL;
  g_autofree char *consistency = NULL;

  gross = g_strdup_printf (_("gross %s profit · %s loss"), avg_win, avg_loss);
  g_clear_pointer (&gross, g_free);
  {
    g_autofree char *gp = ea_money_format (s->gross_profit);
    g_autofree char *gl = ea_money_format (s->gross_loss);

    gross = g_strdup_printf (_("%s won · %s lost"), gp, gl);
  }
  if (s->n_trades == 0)
    pf = g_strdup ("—");
  else if (isinf (s->profit_factor))
    pf = g_strdup ("∞");
  else
    pf = g_strdup_printf ("%.2f", s->profit_factor);
  if (s->current_streak > 0)
    current = g_strdup_printf (ngettext ("current: %d win", "current: %d wins", s->current_streak),
                               s->current_streak);
  else if (s->current_streak < 0)
    current = g_strdup_printf (ngettext ("current: %d loss", "current: %d losses", -s->current_streak),
                               -s->current_streak);
  else
    current = g_strdup (_("current: none"));
  if (s->n_days > 0)
    {
      best_day = day_text (s->best_day_id);
      worst_day = day_text (s->worst_day_id);
      days = g_strdup_printf ("%s · %s", best_day, worst_day);
    }
  if (isnan (s->consistency))
    consistency = g_strdup ("—");
  else
    consistency = g_strdup_printf ("%.1f %%", s->consistency * 100);

  set_tile (self, "net", net, gross, s->total_pnl > 0 ? 1 : s->total_pnl < 0 ? -1 : 0);
  set_tile (self, "trades", trades, wlb, 0);
  set_tile (self, "win-rate", s->n_trades > 0 ? win_rate : "—", NULL, 0);
  set_tile (self, "profit-factor", pf, NULL, 0);
  set_tile (self, "expectancy", expectancy, _("per trade"), s->expectancy > 0 ? 1 : s->expectancy < 0 ? -1 : 0);
  set_tile (self, "avg-win-loss", avg_wl, payoff, 0);
  set_tile (self, "sharpe", sharpe, sharpe_ann, 0);
  set_tile (self, "max-drawdown", dd, _("from the running peak"), s->max_drawdown > 0 ? -1 : 0);
  set_tile (self, "streaks", streaks, current, 0);
  set_tile (self, "duration", duration, dur_detail, 0);
  set_tile (self, "best-worst", s->n_days > 0 ? best_worst : "—", days, 0);
  set_tile (self, "consistency", consistency, _("best day / net P&L"), 0);
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
        set_status (self, error->message, TRUE);
      return;
    }

  g_clear_pointer (&self->analytics, ea_journal_analytics_free);
  self->analytics = a;
  update_tiles (self);
  update_roots (self);
  _ea_journal_window_set_trades (self);
  ea_journal_chart_set_analytics (self->equity_chart, a);
  ea_journal_chart_set_analytics (self->daily_chart, a);
  ea_journal_calendar_set_days (self->calendar, a);
  {
    g_autofree char *text = g_strdup_printf (ngettext ("%u trade", "%u trades", a->summary.n_trades),
                                             a->summary.n_trades);

    set_status (self, text, FALSE);
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
        set_status (self, error->message, TRUE);
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
        set_status (self, error->message, TRUE);
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
        text = g_strdup_printf (ngettext ("Audit trail verified: %" G_GINT64_FORMAT " entry chains correctly. "
                                          "Head #%" G_GINT64_FORMAT " %s…",
                                          "Audit trail verified: all %" G_GINT64_FORMAT " entries chain correctly. "
                                          "Head #%" G_GINT64_FORMAT " %s…", report->n_rows),
                                report->n_rows, report->head_seq, head);
      gtk_widget_add_css_class (self->audit_banner, "ok");
      gtk_image_set_from_icon_name (GTK_IMAGE (self->audit_icon), "emblem-ok-symbolic");
    }
  else
    {
      text = g_strdup_printf (_("Audit trail BROKEN at entry #%" G_GINT64_FORMAT " (%s): %s"),
                              report->broken_seq, ea_audit_status_to_string (report->status),
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
        set_status (self, error->message, TRUE);
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

/* The filter bar. */

static void
set_filter_strings (EaJournalWindow *self,
                    const char      *root,
                    const char      *tag)
{
  char *r = g_strdup (root != NULL && root[0] != '\0' ? root : NULL);
  char *t = tag != NULL ? g_strstrip (g_strdup (tag)) : NULL;

  if (t != NULL && t[0] == '\0')
    g_clear_pointer (&t, g_free);
  g_free (self->filter_root);
  g_free (self->filter_tag);
  self->filter_root = r;
  self->filter_tag = t;
  self->filter.root = r;
  self->filter.tag = t;
}

/* "YYYY-MM-DD" (UTC midnight); empty is @empty_value. */
static gboolean
parse_date (const char *text,
            gboolean    next_day,
            EaTimeUs    empty_value,
            EaTimeUs   *out)
{
  int y, m, d;
  char tail;
  g_autoptr(GDateTime) t = NULL;

  if (text == NULL || text[0] == '\0')
    {
      *out = empty_value;
      return TRUE;
    }
  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  t = g_date_time_new_utc (y, m, d, 0, 0, 0);
  if (t == NULL)
    return FALSE;
  *out = g_date_time_to_unix (t) * G_USEC_PER_SEC + (next_day ? (EaTimeUs) 86400 * G_USEC_PER_SEC : 0);
  return TRUE;
}

static char *
format_date (EaTimeUs t,
             gboolean is_end)
{
  g_autoptr(GDateTime) dt = NULL;

  if (t == G_MININT64 || t == G_MAXINT64)
    return g_strdup ("");
  dt = g_date_time_new_from_unix_utc ((t - (is_end ? 1 : 0)) / G_USEC_PER_SEC);
  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("");
}

static void
read_filter_widgets (EaJournalWindow *self)
{
  guint account = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->account_dropdown));
  guint root = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->root_dropdown));
  guint session = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->session_dropdown));
  const char *root_name = NULL;
  EaTimeUs from_us, to_us;
  gboolean from_ok, to_ok;

  self->filter.account_id = account != GTK_INVALID_LIST_POSITION && account < self->account_ids->len
                              ? g_array_index (self->account_ids, gint64, account) : 0;
  if (root != GTK_INVALID_LIST_POSITION && root > 0 && root - 1 < self->roots->len)
    root_name = g_ptr_array_index (self->roots, root - 1);
  set_filter_strings (self, root_name, gtk_editable_get_text (GTK_EDITABLE (self->tag_entry)));
  self->filter.session = session == 1 ? EA_JOURNAL_SESSION_AM
                         : session == 2 ? EA_JOURNAL_SESSION_PM : EA_JOURNAL_SESSION_ANY;

  from_ok = parse_date (gtk_editable_get_text (GTK_EDITABLE (self->from_entry)), FALSE, G_MININT64, &from_us);
  to_ok = parse_date (gtk_editable_get_text (GTK_EDITABLE (self->to_entry)), TRUE, G_MAXINT64, &to_us);
  if (from_ok)
    {
      self->filter.from_us = from_us;
      gtk_widget_remove_css_class (self->from_entry, "error");
    }
  else
    gtk_widget_add_css_class (self->from_entry, "error");
  if (to_ok)
    {
      self->filter.to_us = to_us;
      gtk_widget_remove_css_class (self->to_entry, "error");
    }
  else
    gtk_widget_add_css_class (self->to_entry, "error");
}

static void
filter_changed_cb (EaJournalWindow *self)
{
  if (self->updating)
    return;
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  read_filter_widgets (self);
  ea_journal_window_refresh (self);
}

static gboolean
debounce_cb (gpointer user_data)
{
  EaJournalWindow *self = user_data;

  self->debounce_id = 0;
  filter_changed_cb (self);
  return G_SOURCE_REMOVE;
}

static void
filter_text_changed_cb (EaJournalWindow *self)
{
  if (self->updating)
    return;
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (350, debounce_cb, self);
}

static void
write_filter_widgets (EaJournalWindow *self)
{
  g_autofree char *from = format_date (self->filter.from_us, FALSE);
  g_autofree char *to = format_date (self->filter.to_us, TRUE);
  guint account = 0, root = 0;

  for (guint i = 0; i < self->account_ids->len; i++)
    if (g_array_index (self->account_ids, gint64, i) == self->filter.account_id)
      account = i;
  for (guint i = 0; self->filter.root != NULL && i < self->roots->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->roots, i), self->filter.root) == 0)
      root = i + 1;

  self->updating = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->account_dropdown), account);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->root_dropdown), root);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->session_dropdown),
                              self->filter.session == EA_JOURNAL_SESSION_AM ? 1
                              : self->filter.session == EA_JOURNAL_SESSION_PM ? 2 : 0);
  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), from);
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), to);
  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), self->filter.tag != NULL ? self->filter.tag : "");
  gtk_widget_remove_css_class (self->from_entry, "error");
  gtk_widget_remove_css_class (self->to_entry, "error");
  self->updating = FALSE;
}

void
ea_journal_window_set_filter (EaJournalWindow       *self,
                              const EaJournalFilter *filter)
{
  EaJournalFilter all;

  g_return_if_fail (EA_IS_JOURNAL_WINDOW (self));

  if (filter == NULL)
    {
      ea_journal_filter_init (&all);
      filter = &all;
    }
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->filter = *filter;
  self->filter.root = NULL;
  self->filter.tag = NULL;
  set_filter_strings (self, filter->root, filter->tag);
  write_filter_widgets (self);
  ea_journal_window_refresh (self);
}

void
ea_journal_window_get_filter (EaJournalWindow *self,
                              EaJournalFilter *out)
{
  g_return_if_fail (EA_IS_JOURNAL_WINDOW (self));

  *out = self->filter;
}

static void
clear_filter_action (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  ea_journal_window_set_filter (EA_JOURNAL_WINDOW (widget), NULL);
}

/* Notes. */

typedef struct
{
  EaJournalWindow *self;
  gint64           trade_id;
  char            *tags;
  char            *notes;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_object_unref (data->self);
  g_free (data->tags);
  g_free (data->notes);
  g_free (data);
}

static void
update_trade_notes (EaJournalWindow *self,
                    gint64           trade_id,
                    const char      *tags,
                    const char      *notes)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->trades_store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EaJournalRow) row = g_list_model_get_item (G_LIST_MODEL (self->trades_store), i);

      if (row->trade.id == trade_id)
        {
          ea_journal_row_set_notes (row, tags, notes);
          break;
        }
    }
  for (guint i = 0; self->analytics != NULL && i < self->analytics->trades->len; i++)
    {
      EaJournalTrade *t = &g_array_index (self->analytics->trades, EaJournalTrade, i);

      if (t->id == trade_id)
        {
          g_free (t->tags);
          g_free (t->notes);
          t->tags = g_strdup (tags);
          t->notes = g_strdup (notes);
          break;
        }
    }
}

static void
save_notes_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SaveData *data = user_data;
  EaJournalWindow *self = data->self;
  g_autoptr(GError) error = NULL;

  _ea_journal_window_busy_pop (self);
  if (!ea_journal_update_trade_notes_finish (EA_JOURNAL (object), result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Not saved: %s"), error->message);

      gtk_label_set_text (GTK_LABEL (self->notes_status), text);
    }
  else
    {
      update_trade_notes (self, data->trade_id, data->tags, data->notes);
      if (self->notes_row != NULL && self->notes_row->trade.id == data->trade_id)
        gtk_label_set_text (GTK_LABEL (self->notes_status), _("Saved"));
    }
  save_data_free (data);
}

void
ea_journal_window_save_notes (EaJournalWindow *self,
                              gint64           trade_id,
                              const char      *tags,
                              const char      *notes)
{
  SaveData *data;

  g_return_if_fail (EA_IS_JOURNAL_WINDOW (self));
  g_return_if_fail (self->journal != NULL);

  data = g_new0 (SaveData, 1);
  data->self = g_object_ref (self);
  data->trade_id = trade_id;
  data->tags = tags != NULL && tags[0] != '\0' ? g_strdup (tags) : NULL;
  data->notes = notes != NULL && notes[0] != '\0' ? g_strdup (notes) : NULL;
  _ea_journal_window_busy_push (self);
  ea_journal_update_trade_notes_async (self->journal, trade_id, data->tags, data->notes, NULL, save_notes_cb,
                                       data);
}

static void
save_notes_action (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  EaJournalWindow *self = EA_JOURNAL_WINDOW (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->notes_view));
  GtkTextIter start, end;
  g_autofree char *notes = NULL;

  if (self->notes_row == NULL)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  notes = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gtk_label_set_text (GTK_LABEL (self->notes_status), _("Saving…"));
  ea_journal_window_save_notes (self, self->notes_row->trade.id,
                                gtk_editable_get_text (GTK_EDITABLE (self->tags_entry)), notes);
}

/* Exports. */

typedef struct
{
  EaJournalExportKind  kind;
  GFile               *file;
  guint                n_rows;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->file);
  g_free (data);
}

static void
export_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
export_write (GTask   *task,
              GString *csv)
{
  ExportData *data = g_task_get_task_data (task);
  gsize len = csv->len;
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_string_free (csv, FALSE), len);

  g_file_replace_contents_bytes_async (data->file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       g_task_get_cancellable (task), export_written_cb, task);
}

static void
export_fills_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  g_autoptr(GPtrArray) fills = ea_journal_load_fills_finish (EA_JOURNAL (object), result, &error);
  ExportData *data = g_task_get_task_data (task);

  if (fills == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  data->n_rows = fills->len;
  export_write (task, ea_csv_fills (fills));
}

static void
export_audit_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  g_autoptr(GArray) rows = ea_journal_load_audit_finish (EA_JOURNAL (object), result, &error);
  ExportData *data = g_task_get_task_data (task);

  if (rows == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  data->n_rows = rows->len;
  export_write (task, ea_csv_audit ((const EaJournalAuditRow *) (gpointer) rows->data, rows->len));
}

void
ea_journal_window_export_async (EaJournalWindow     *self,
                                EaJournalExportKind  kind,
                                GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  ExportData *data;

  g_return_if_fail (EA_IS_JOURNAL_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ea_journal_window_export_async);
  data = g_new0 (ExportData, 1);
  data->kind = kind;
  data->file = g_object_ref (file);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);

  if (self->journal == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("No journal is open"));
      g_object_unref (task);
      return;
    }

  switch (kind)
    {
    case EA_JOURNAL_EXPORT_TRADES:
      {
        GArray *trades = self->analytics != NULL ? self->analytics->trades : NULL;

        data->n_rows = trades != NULL ? trades->len : 0;
        export_write (task, ea_csv_trades (trades != NULL ? (const EaJournalTrade *) (gpointer) trades->data
                                                          : NULL, data->n_rows));
      }
      break;
    case EA_JOURNAL_EXPORT_RISK_EVENTS:
      {
        GArray *events = self->risk_events;

        data->n_rows = events != NULL ? events->len : 0;
        export_write (task, ea_csv_risk_events (events != NULL ? (const EaJournalRiskEvent *) (gpointer) events->data
                                                               : NULL, data->n_rows));
      }
      break;
    case EA_JOURNAL_EXPORT_FILLS:
      ea_journal_load_fills_async (self->journal, self->filter.account_id, self->filter.from_us,
                                   self->filter.to_us, cancellable, export_fills_cb, task);
      break;
    case EA_JOURNAL_EXPORT_AUDIT:
      ea_journal_load_audit_async (self->journal, 1, 0, cancellable, export_audit_cb, task);
      break;
    default:
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Unknown export %d", kind);
      g_object_unref (task);
    }
}

gboolean
ea_journal_window_export_finish (EaJournalWindow  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  EaJournalWindow *self = EA_JOURNAL_WINDOW (object);
  g_autoptr(GError) error = NULL;
  ExportData *data = g_task_get_task_data (G_TASK (result));
  g_autofree char *name = g_file_get_parse_name (data->file);
  g_autofree char *text = NULL;

  _ea_journal_window_busy_pop (self);
  if (!ea_journal_window_export_finish (self, result, &error))
    {
      text = g_strdup_printf (_("Export failed: %s"), error->message);
      set_status (self, text, TRUE);
      return;
    }
  text = g_strdup_printf (ngettext ("Exported %u row to %s", "Exported %u rows to %s", data->n_rows),
                          data->n_rows, name);
  set_status (self, text, FALSE);
}

static EaJournalExportKind
export_kind_from_string (const char *s)
{
  if (g_strcmp0 (s, "fills") == 0)
    return EA_JOURNAL_EXPORT_FILLS;
  if (g_strcmp0 (s, "audit") == 0)
    return EA_JOURNAL_EXPORT_AUDIT;
  if (g_strcmp0 (s, "risk") == 0)
    return EA_JOURNAL_EXPORT_RISK_EVENTS;
  return EA_JOURNAL_EXPORT_TRADES;
}

static void
start_export (EaJournalWindow     *self,
              EaJournalExportKind  kind,
              GFile               *file)
{
  _ea_journal_window_busy_push (self);
  ea_journal_window_export_async (self, kind, file, NULL, export_done_cb, NULL);
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
file_dialog_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(EaJournalWindow) self = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (object), result, NULL);
  EaJournalExportKind kind = GPOINTER_TO_INT (g_object_get_data (object, "ea-export-kind"));

  if (file != NULL)
    start_export (self, kind, file);
}
#else
static void
file_chooser_cb (GtkNativeDialog *dialog,
                 int              response,
                 gpointer         user_data)
{
  EaJournalWindow *self = EA_JOURNAL_WINDOW (user_data);
  EaJournalExportKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "ea-export-kind"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        start_export (self, kind, file);
    }
  g_object_unref (dialog);
}
#endif

static void
export_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  EaJournalWindow *self = EA_JOURNAL_WINDOW (widget);
  EaJournalExportKind kind = export_kind_from_string (g_variant_get_string (param, NULL));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  static const char *stems[] = { "trades", "fills", "audit", "risk-events" };
  g_autofree char *suggested = g_strdup_printf ("enigma-apex-%s-%s.csv", stems[kind], date);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");

#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

    gtk_file_dialog_set_title (dialog, _("Export to CSV"));
    gtk_file_dialog_set_initial_name (dialog, suggested);
    gtk_file_dialog_set_default_filter (dialog, filter);
    g_object_set_data (G_OBJECT (dialog), "ea-export-kind", GINT_TO_POINTER (kind));
    gtk_file_dialog_save (dialog, GTK_WINDOW (self), NULL, file_dialog_cb, g_object_ref (self));
  }
#else
  {
    GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Export to CSV"), GTK_WINDOW (self),
                                                                 GTK_FILE_CHOOSER_ACTION_SAVE,
                                                                 _("_Export"), _("_Cancel"));

    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    g_object_set_data (G_OBJECT (chooser), "ea-export-kind", GINT_TO_POINTER (kind));
    g_signal_connect_object (chooser, "response", G_CALLBACK (file_chooser_cb), self, 0);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
  }
#endif
}

/* Accessors. */

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
  gtk_widget_class_install_action (widget_class, "win.clear-filter", NULL, clear_filter_action);
  gtk_widget_class_install_action (widget_class, "win.previous-month", NULL, previous_month_action);
  gtk_widget_class_install_action (widget_class, "win.next-month", NULL, next_month_action);
  gtk_widget_class_install_action (widget_class, "win.save-notes", NULL, save_notes_action);
  gtk_widget_class_install_action (widget_class, "win.export", "s", export_action);

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

  build_tiles (self);
  _ea_journal_window_setup_tables (self);

  self->equity_chart = ea_journal_equity_chart_new ();
  self->daily_chart = ea_journal_daily_chart_new ();
  self->calendar = ea_journal_calendar_new ();
  gtk_frame_set_child (GTK_FRAME (self->equity_frame), self->equity_chart);
  gtk_frame_set_child (GTK_FRAME (self->daily_frame), self->daily_chart);
  gtk_frame_set_child (GTK_FRAME (self->calendar_frame), self->calendar);
  update_month_label (self);
  gtk_widget_set_hexpand (self->calendar, FALSE);
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (self->calendar), 600);

  g_signal_connect_object (self->account_dropdown, "notify::selected", G_CALLBACK (filter_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->root_dropdown, "notify::selected", G_CALLBACK (filter_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session_dropdown, "notify::selected", G_CALLBACK (filter_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->from_entry, "changed", G_CALLBACK (filter_text_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->to_entry, "changed", G_CALLBACK (filter_text_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tag_entry, "changed", G_CALLBACK (filter_text_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tag_entry, "activate", G_CALLBACK (filter_changed_cb), self,
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
