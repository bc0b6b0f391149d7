/* ea-journal-window-tiles.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The statistics tiles of the journal window.
 */
#define G_LOG_DOMAIN "ea-journal-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ea-journal-window-private.h"
#include "ea-money.h"

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

/* Tiles. */

void
_ea_journal_window_build_tiles (EaJournalWindow *self)
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

void
_ea_journal_window_update_tiles (EaJournalWindow *self)
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
