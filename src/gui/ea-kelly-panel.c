/* ea-kelly-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fractional Kelly per instrument from the session's closed trades: Kelly
 * %, recommended size, win rate, average win and loss, profit factor,
 * Sharpe and sample size, with the Kelly settings.
 */
#define G_LOG_DOMAIN "ea-kelly-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-columns.h"
#include "ea-erm.h"
#include "ea-kelly-panel.h"
#include "ea-money.h"

typedef struct
{
  EaStatsSummary summary;
  EaKellyResult  result;
  gint64         contracts;
} Row;

struct _EaKellyPanel
{
  GtkBox          parent_instance;

  EaTradingStore *store;
  char           *account;
  GHashTable     *rows;     /* symbol → Row */
  GArray         *history;  /* HistoryTrade, from the journal, oldest first */
  GHashTable     *account_ids; /* account name → journal accounts.id, or NULL */

  GtkWidget      *fraction_spin;
  GtkWidget      *cap_spin;
  GtkWidget      *min_sample_spin;
  GtkWidget      *lookback_spin;
  GtkWidget      *grid;
};

G_DEFINE_FINAL_TYPE (EaKellyPanel, ea_kelly_panel, GTK_TYPE_BOX)

typedef struct
{
  gint64 qty;     /* signed */
  EaTicks price;
} Lot;

typedef struct
{
  char         *symbol;
  gint64        account_id;
  EaStatsTrade  trade;
} HistoryTrade;

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
history_trade_clear (HistoryTrade *h)
{
  g_free (h->symbol);
}

static GArray *
trades_from_fills (GListModel *fills,
                   const char *account,
                   GPtrArray  *instruments);

GArray *
ea_kelly_trades_from_fills (GListModel *fills,
                            GPtrArray  *instruments)
{
  return trades_from_fills (fills, NULL, instruments);
}

static GArray *
trades_from_fills (GListModel *fills,
                   const char *account,
                   GPtrArray  *instruments)
{
  GArray *trades = g_array_new (FALSE, TRUE, sizeof (EaStatsTrade));
  g_autoptr(GHashTable) books = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_array_unref);

  g_return_val_if_fail (G_IS_LIST_MODEL (fills), trades);
  g_return_val_if_fail (instruments != NULL, trades);

  for (guint i = 0; i < g_list_model_get_n_items (fills); i++)
    {
      g_autoptr(EaFill) f = g_list_model_get_item (fills, i);
      const char *symbol = ea_fill_get_symbol (f);
      const EaInstrumentSpec *spec = ea_format_spec (symbol);
      g_autofree char *key = NULL;
      GArray *lots;
      gint64 remaining = ea_fill_get_qty (f);
      gint64 side = ea_fill_get_side (f) > 0 ? 1 : -1;
      double pnl = 0;
      gboolean closed = FALSE;
      guint instrument = 0;

      if (spec == NULL || remaining <= 0)
        continue;
      if (account != NULL && g_strcmp0 (account, ea_fill_get_account (f)) != 0)
        continue;

      key = g_strdup_printf ("%s\x1f%s", ea_fill_get_account (f), symbol);
      lots = g_hash_table_lookup (books, key);
      if (lots == NULL)
        {
          lots = g_array_new (FALSE, FALSE, sizeof (Lot));
          g_hash_table_insert (books, g_strdup (key), lots);
        }

      /* Close the oldest lots of the other side first. */
      while (remaining > 0 && lots->len > 0 &&
             (g_array_index (lots, Lot, 0).qty > 0) != (side > 0))
        {
          Lot *lot = &g_array_index (lots, Lot, 0);
          gint64 n = MIN (remaining, ABS (lot->qty));
          gint64 lot_side = lot->qty > 0 ? 1 : -1;

          pnl += (double) (ea_fill_get_price (f) - lot->price) * lot_side * n * spec->tick_value;
          lot->qty -= lot_side * n;
          remaining -= n;
          closed = TRUE;
          if (lot->qty == 0)
            g_array_remove_index (lots, 0);
        }
      if (remaining > 0)
        {
          Lot lot = { side * remaining, ea_fill_get_price (f) };
          g_array_append_val (lots, lot);
        }

      if (!closed)
        continue;

      for (instrument = 0; instrument < instruments->len; instrument++)
        if (g_strcmp0 (g_ptr_array_index (instruments, instrument), symbol) == 0)
          break;
      if (instrument == instruments->len)
        g_ptr_array_add (instruments, g_strdup (symbol));

      {
        EaStatsTrade trade = {
          .pnl = (EaMicros) (pnl < 0 ? pnl - 0.5 : pnl + 0.5),
          .time = ea_fill_get_time (f),
          .day = ea_fill_get_time (f) / (G_USEC_PER_SEC * (gint64) 86400),
          .instrument = instrument,
        };
        g_array_append_val (trades, trade);
      }
    }

  return trades;
}

void
ea_kelly_panel_get_params (EaKellyPanel  *self,
                           EaKellyParams *params)
{
  g_return_if_fail (EA_IS_KELLY_PANEL (self));

  ea_kelly_params_init (params);
  params->kelly_fraction = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->fraction_spin));
  params->kelly_cap = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->cap_spin));
  params->min_sample = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->min_sample_spin));
  params->lookback = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->lookback_spin));
}

static void
add_cell (EaKellyPanel *self,
          int           column,
          int           row,
          const char   *text,
          gboolean      header)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0.0 : 1.0);
  gtk_widget_add_css_class (label, header ? "caption-heading" : "numeric");
  if (header)
    gtk_widget_add_css_class (label, "dim-label");
  gtk_grid_attach (GTK_GRID (self->grid), label, column, row, 1, 1);
}

static EaMicros
equity_of (EaKellyPanel *self,
           const char   *account)
{
  GListModel *accounts = ea_trading_store_get_accounts (self->store);

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(EaAccount) a = g_list_model_get_item (accounts, i);

      if (account == NULL || g_strcmp0 (account, ea_account_get_name (a)) == 0)
        return ea_account_get_balance (a) + ea_mark_account (self->store, ea_account_get_name (a));
    }
  return 0;
}


/* The journal's earlier round trips of @account (NULL: every account)
 * first, then this session's. Without the journal's account names the
 * history cannot be attributed and counts for every account. */
static GArray *
gather_trades (EaKellyPanel *self,
               const char   *account,
               GPtrArray    *instruments)
{
  GArray *trades = g_array_new (FALSE, TRUE, sizeof (EaStatsTrade));
  gint64 account_id = -1;
  gpointer id;

  if (account != NULL && self->account_ids != NULL)
    account_id = g_hash_table_lookup_extended (self->account_ids, account, NULL, &id)
                 ? *(gint64 *) id : 0;

  for (guint i = 0; self->history != NULL && i < self->history->len; i++)
    {
      HistoryTrade *h = &g_array_index (self->history, HistoryTrade, i);
      EaStatsTrade t = h->trade;
      guint index;

      if (account_id >= 0 && h->account_id != account_id)
        continue;
      if (!g_ptr_array_find_with_equal_func (instruments, h->symbol, g_str_equal, &index))
        {
          g_ptr_array_add (instruments, g_strdup (h->symbol));
          index = instruments->len - 1;
        }
      t.instrument = index;
      g_array_append_val (trades, t);
    }
  if (self->store != NULL)
    {
      g_autoptr(GArray) session = trades_from_fills (ea_trading_store_get_fills (self->store),
                                                     account, instruments);

      g_array_append_vals (trades, session->data, session->len);
    }
  return trades;
}

static void
evaluate (EaKellyPanel *self,
          GArray       *trades,
          guint         instrument,
          const char   *symbol,
          const char   *account,
          double        power_score,
          Row          *r)
{
  const EaInstrumentSpec *spec = ea_format_spec (symbol);
  EaKellyParams params;
  EaKellyInputs inputs;
  EaKellySizing sizing = { 0 };
  EaTicks stop = 1, target = 1;

  memset (r, 0, sizeof *r);
  ea_kelly_panel_get_params (self, &params);
  if (trades != NULL)
    ea_stats_compute ((const EaStatsTrade *) (gpointer) trades->data, trades->len, instrument,
                      params.lookback, &r->summary, NULL);
  ea_kelly_inputs_from_stats (&r->summary, &inputs);
  if (spec == NULL ||
      !ea_kelly_compute (&params, &inputs, spec->tick_value, power_score, &r->result, NULL))
    return;
  ea_kelly_stop_target (ea_erm_default_atr_ticks (spec), &stop, &target);
  if (ea_kelly_contracts (equity_of (self, account), r->result.fraction, stop, spec->tick_value,
                          0, NULL, 0, &sizing, NULL))
    r->contracts = sizing.contracts;
}

static void
rebuild (EaKellyPanel *self)
{
  static const char * const headers[] = {
    N_("Instrument"), N_("Trades"), N_("Win rate"), N_("Avg win"), N_("Avg loss"),
    N_("Profit factor"), N_("Sharpe"), N_("Kelly %"), N_("Size"),
  };
  g_autoptr(GPtrArray) instruments = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) trades = NULL;
  EaKellyParams params;
  GtkWidget *child;
  int row = 1;

  if (self->store == NULL)
    return;

  while ((child = gtk_widget_get_first_child (self->grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->grid), child);
  g_hash_table_remove_all (self->rows);

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    add_cell (self, (int) i, 0, _(headers[i]), TRUE);

  ea_kelly_panel_get_params (self, &params);
  trades = gather_trades (self, self->account, instruments);

  for (guint i = 0; i < instruments->len; i++)
    {
      const char *symbol = g_ptr_array_index (instruments, i);
      Row *r = g_new0 (Row, 1);
      g_autofree char *win_rate = NULL, *avg_win = NULL, *avg_loss = NULL;
      g_autofree char *pf = NULL, *sharpe = NULL, *kelly = NULL, *size = NULL, *n = NULL;

      evaluate (self, trades, i, symbol, self->account, -1, r);
      g_hash_table_insert (self->rows, g_strdup (symbol), r);

      n = g_strdup_printf ("%u%s", r->summary.n_trades,
                           r->summary.n_trades < params.min_sample ? " *" : "");
      win_rate = g_strdup_printf ("%.0f %%", r->summary.win_rate * 100.0);
      avg_win = ea_money_format ((EaMicros) r->summary.avg_win);
      avg_loss = ea_money_format ((EaMicros) r->summary.avg_loss);
      pf = r->summary.gross_loss > 0 ? g_strdup_printf ("%.2f", r->summary.profit_factor) : g_strdup ("—");
      sharpe = r->summary.n_trades > 1 ? g_strdup_printf ("%.2f", r->summary.sharpe) : g_strdup ("—");
      kelly = g_strdup_printf ("%.1f %%", r->result.fraction * 100.0);
      size = g_strdup_printf ("%" G_GINT64_FORMAT, r->contracts);

      add_cell (self, 0, row, symbol, FALSE);
      add_cell (self, 1, row, n, FALSE);
      add_cell (self, 2, row, win_rate, FALSE);
      add_cell (self, 3, row, avg_win, FALSE);
      add_cell (self, 4, row, avg_loss, FALSE);
      add_cell (self, 5, row, pf, FALSE);
      add_cell (self, 6, row, sharpe, FALSE);
      add_cell (self, 7, row, kelly, FALSE);
      add_cell (self, 8, row, size, FALSE);
      row++;
    }

  if (instruments->len == 0)
    {
      g_autofree char *text = g_strdup_printf (_("No closed trades yet. Until %u trades an instrument is sized at 1 %% of equity."),
                                               params.min_sample);
      GtkWidget *label = gtk_label_new (text);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_grid_attach (GTK_GRID (self->grid), label, 0, 1, G_N_ELEMENTS (headers), 1);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("* fewer than %u trades: sized at 1 %% of equity"),
                                               params.min_sample);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_grid_attach (GTK_GRID (self->grid), label, 0, row, G_N_ELEMENTS (headers), 1);
    }

  g_signal_emit (self, signals[CHANGED], 0);
}

static void
ea_kelly_panel_dispose (GObject *object)
{
  EaKellyPanel *self = EA_KELLY_PANEL (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (ea_trading_store_get_fills (self->store), self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->history, g_array_unref);
  g_clear_pointer (&self->account_ids, g_hash_table_unref);
  g_clear_pointer (&self->account, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), EA_TYPE_KELLY_PANEL);

  G_OBJECT_CLASS (ea_kelly_panel_parent_class)->dispose (object);
}

static void
ea_kelly_panel_class_init (EaKellyPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ea_kelly_panel_dispose;

  /* The rows or the settings changed: sizes shown elsewhere are stale. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/ea-kelly-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, EaKellyPanel, fraction_spin);
  gtk_widget_class_bind_template_child (widget_class, EaKellyPanel, cap_spin);
  gtk_widget_class_bind_template_child (widget_class, EaKellyPanel, min_sample_spin);
  gtk_widget_class_bind_template_child (widget_class, EaKellyPanel, lookback_spin);
  gtk_widget_class_bind_template_child (widget_class, EaKellyPanel, grid);
}

static void
ea_kelly_panel_init (EaKellyPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_signal_connect_swapped (self->fraction_spin, "value-changed", G_CALLBACK (rebuild), self);
  g_signal_connect_swapped (self->cap_spin, "value-changed", G_CALLBACK (rebuild), self);
  g_signal_connect_swapped (self->min_sample_spin, "value-changed", G_CALLBACK (rebuild), self);
  g_signal_connect_swapped (self->lookback_spin, "value-changed", G_CALLBACK (rebuild), self);
}

GtkWidget *
ea_kelly_panel_new (void)
{
  return g_object_new (EA_TYPE_KELLY_PANEL, NULL);
}

void
ea_kelly_panel_set_store (EaKellyPanel   *self,
                          EaTradingStore *store)
{
  g_return_if_fail (EA_IS_KELLY_PANEL (self));
  g_return_if_fail (EA_IS_TRADING_STORE (store));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  g_signal_connect_swapped (ea_trading_store_get_fills (store), "items-changed",
                            G_CALLBACK (rebuild), self);
  rebuild (self);
}

/**
 * ea_kelly_panel_set_history:
 * @trades: (array length=n_trades): round trips from the journal, closed
 *   before this session, oldest first
 *
 * The panel sizes from this history plus the session's own fills.
 */
void
ea_kelly_panel_set_history (EaKellyPanel         *self,
                            const EaJournalTrade *trades,
                            guint                 n_trades)
{
  g_return_if_fail (EA_IS_KELLY_PANEL (self));

  g_clear_pointer (&self->history, g_array_unref);
  self->history = g_array_sized_new (FALSE, TRUE, sizeof (HistoryTrade), n_trades);
  g_array_set_clear_func (self->history, (GDestroyNotify) history_trade_clear);

  for (guint i = 0; i < n_trades; i++)
    {
      HistoryTrade h = { 0 };

      h.symbol = g_strdup (trades[i].symbol ? trades[i].symbol : trades[i].root);
      h.account_id = trades[i].account_id;
      h.trade.pnl = trades[i].pnl_micros;
      h.trade.time = trades[i].exit_time_us;
      h.trade.day = trades[i].exit_time_us / (G_USEC_PER_SEC * (gint64) 86400);
      g_array_append_val (self->history, h);
    }

  rebuild (self);
}

void
ea_kelly_panel_set_account (EaKellyPanel *self,
                            const char   *account)
{
  g_return_if_fail (EA_IS_KELLY_PANEL (self));

  g_free (self->account);
  self->account = g_strdup (account);
  rebuild (self);
}

gboolean
ea_kelly_panel_get_row (EaKellyPanel   *self,
                        const char     *symbol,
                        EaStatsSummary *summary,
                        EaKellyResult  *result,
                        gint64         *contracts)
{
  Row *r;

  g_return_val_if_fail (EA_IS_KELLY_PANEL (self), FALSE);

  r = g_hash_table_lookup (self->rows, symbol);
  if (r == NULL)
    return FALSE;
  if (summary != NULL)
    *summary = r->summary;
  if (result != NULL)
    *result = r->result;
  if (contracts != NULL)
    *contracts = r->contracts;
  return TRUE;
}

/**
 * ea_kelly_panel_set_history_accounts:
 * @accounts: (array length=n_accounts): the journal's accounts
 *
 * Lets the history be attributed to accounts by name, so each account is
 * sized from its own trades.
 */
void
ea_kelly_panel_set_history_accounts (EaKellyPanel           *self,
                                     const EaJournalAccount *accounts,
                                     guint                   n_accounts)
{
  g_return_if_fail (EA_IS_KELLY_PANEL (self));

  g_clear_pointer (&self->account_ids, g_hash_table_unref);
  self->account_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < n_accounts; i++)
    {
      const char *name = accounts[i].broker_account_id;

      if (name != NULL)
        g_hash_table_replace (self->account_ids, g_strdup (name),
                              g_memdup2 (&accounts[i].id, sizeof accounts[i].id));
    }
  rebuild (self);
}

/**
 * ea_kelly_panel_evaluate:
 * @account: (nullable): an account name, or %NULL for every account
 * @power_score: the signal's power score, or -1 for none
 *
 * Statistics of @account's trades in @symbol with the panel's settings,
 * the Kelly result and the size for that account's equity with a stop of
 * 1.5 × the instrument's default ATR. FALSE when there are no trades (the
 * outputs then hold the small-sample fallback).
 */
gboolean
ea_kelly_panel_evaluate (EaKellyPanel   *self,
                         const char     *account,
                         const char     *symbol,
                         double          power_score,
                         EaStatsSummary *summary,
                         EaKellyResult  *result,
                         gint64         *contracts)
{
  g_autoptr(GPtrArray) instruments = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) trades = NULL;
  guint index = G_MAXUINT;
  Row r;

  g_return_val_if_fail (EA_IS_KELLY_PANEL (self), FALSE);

  trades = gather_trades (self, account, instruments);
  if (symbol == NULL ||
      !g_ptr_array_find_with_equal_func (instruments, symbol, g_str_equal, &index))
    index = G_MAXUINT;
  evaluate (self, index == G_MAXUINT ? NULL : trades, index, symbol, account, power_score, &r);
  if (summary != NULL)
    *summary = r.summary;
  if (result != NULL)
    *result = r.result;
  if (contracts != NULL)
    *contracts = r.contracts;
  return index != G_MAXUINT && r.summary.n_trades > 0;
}

void
ea_kelly_panel_set_params (EaKellyPanel        *self,
                           const EaKellyParams *params)
{
  g_return_if_fail (EA_IS_KELLY_PANEL (self));
  g_return_if_fail (params != NULL);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->fraction_spin), params->kelly_fraction);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->cap_spin), params->kelly_cap);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->min_sample_spin), params->min_sample);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->lookback_spin), params->lookback);
}
