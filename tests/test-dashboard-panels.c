/* test-dashboard-panels.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dashboard's panels on their own, in a real window: margin status
 * colours and "low margin", the risk panel's gauges and lock text, manual
 * Enigma signal entry, and the account card's instruments and Enabled
 * switch.
 */
#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "ea-account-card.h"
#include "ea-dashboard.h"
#include "ea-sim-broker.h"
#include "ea-instrument.h"
#include "ea-margin-panel.h"
#include "ea-money.h"
#include "ea-resources.h"
#include "ea-risk-panel.h"
#include "ea-signals-panel.h"
#include "ea-test-gtk-utils.h"
#include "ea-trading-store.h"

#define USD(x) ((EaMicros) (x) * 1000000)

static GtkWidget *
show (GtkWidget *child)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  ea_test_iterate (100);
  return window;
}

static void
apply_account (EaTradingStore *store,
               const char     *name,
               EaMicros        balance,
               EaMicros        realized,
               EaMicros        margin_used)
{
  EaAccountData data = { 0 };

  data.name = (char *) name;
  data.profile = (char *) "apex-legacy-50k";
  data.size = USD (50000);
  data.balance = balance;
  data.realized_pnl = realized;
  data.equity = balance;
  data.margin_used = margin_used;
  data.time = g_get_real_time ();
  ea_trading_store_apply_account (store, &data);
}

/* DOMAIN §7: (equity − used) / equity; SAFE above 50 %, WARNING above
 * 20 %, else DANGER; low margin below 25 %. */
static void
test_margin_status_table (void)
{
  static const struct {
    gint64 equity, used;
    EaMarginStatus status;
    gboolean low;
  } cases[] = {
    { 50000, 0,     EA_MARGIN_SAFE,    FALSE },
    { 50000, 24999, EA_MARGIN_SAFE,    FALSE },
    { 50000, 25000, EA_MARGIN_WARNING, FALSE },  /* exactly 50 % */
    { 50000, 37501, EA_MARGIN_WARNING, TRUE  },  /* just under 25 % */
    { 50000, 40000, EA_MARGIN_DANGER,  TRUE  },  /* exactly 20 % */
    { 50000, 60000, EA_MARGIN_DANGER,  TRUE  },
    { 0,     0,     EA_MARGIN_DANGER,  TRUE  },
    { -100,  0,     EA_MARGIN_DANGER,  TRUE  },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double pct = -1;
      gboolean low = !cases[i].low;

      g_assert_cmpint (ea_margin_status_for (USD (cases[i].equity), USD (cases[i].used), &pct, &low),
                       ==, cases[i].status);
      g_assert_cmpint (low, ==, cases[i].low);
      if (cases[i].equity > 0)
        g_assert_cmpfloat_with_epsilon (pct, (double) (cases[i].equity - cases[i].used) / cases[i].equity,
                                        1e-12);
    }
}

static gboolean
status_is (gpointer data)
{
  gpointer *args = data;

  return ea_margin_panel_get_status (EA_MARGIN_PANEL (args[0])) == (EaMarginStatus) GPOINTER_TO_INT (args[1]);
}

/* The panel follows the account: its colour class, the "low margin"
 * label and the day P&L. */
static void
test_margin_panel (void)
{
  g_autoptr(EaTradingStore) store = ea_trading_store_new ();
  GtkWidget *panel = ea_margin_panel_new ();
  GtkWidget *window = show (panel);
  GtkWidget *low = GTK_WIDGET (gtk_widget_get_template_child (panel, EA_TYPE_MARGIN_PANEL, "low_margin_label"));
  gpointer args[2] = { panel, NULL };

  ea_margin_panel_set_store (EA_MARGIN_PANEL (panel), store);
  apply_account (store, "DEMO-1", USD (50000), USD (250), USD (10000));
  args[1] = GINT_TO_POINTER (EA_MARGIN_SAFE);
  g_assert_true (ea_test_wait_until (status_is, args, 5000));
  ea_test_iterate (50);
  g_assert_true (gtk_widget_has_css_class (panel, "safe"));
  g_assert_false (gtk_widget_get_visible (low));
  g_assert_nonnull (strstr (ea_margin_panel_get_day_pnl_text (EA_MARGIN_PANEL (panel)), "250"));

  /* 16 % available: DANGER, and low margin shows. */
  apply_account (store, "DEMO-1", USD (50000), USD (-120), USD (42000));
  args[1] = GINT_TO_POINTER (EA_MARGIN_DANGER);
  g_assert_true (ea_test_wait_until (status_is, args, 5000));
  ea_test_iterate (50);
  g_assert_true (gtk_widget_has_css_class (panel, "danger"));
  g_assert_false (gtk_widget_has_css_class (panel, "safe"));
  g_assert_true (gtk_widget_get_visible (low));
  g_assert_nonnull (strstr (ea_margin_panel_get_day_pnl_text (EA_MARGIN_PANEL (panel)), "120"));

  /* Another account selected that does not exist: no data, not a colour. */
  ea_margin_panel_set_account (EA_MARGIN_PANEL (panel), "NONE");
  ea_test_iterate (100);
  g_assert_false (gtk_widget_has_css_class (panel, "danger"));
  g_assert_false (gtk_widget_get_visible (low));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The risk panel: the trading state, a lock's expiry and reason, and the
 * distance to the floor in dollars and in ticks of the traded contract. */
static void
test_risk_panel (void)
{
  GtkWidget *panel = ea_risk_panel_new ();
  GtkWidget *window = show (panel);
  GtkWidget *detail = GTK_WIDGET (gtk_widget_get_template_child (panel, EA_TYPE_RISK_PANEL, "detail_label"));
  GtkWidget *state = GTK_WIDGET (gtk_widget_get_template_child (panel, EA_TYPE_RISK_PANEL, "state_label"));
  EaRiskStatus status = { 0 };
  const EaInstrumentSpec *es = ea_instrument_lookup ("ES");
  g_autoptr(GDateTime) until = g_date_time_new_utc (2026, 12, 7, 14, 30, 0);

  /* No status: says why, no numbers. */
  ea_risk_panel_set_status (EA_RISK_PANEL (panel), "DEMO-1", NULL, es);
  g_assert_cmpstr (ea_risk_panel_get_state_text (EA_RISK_PANEL (panel)), ==, "—");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (detail)), "No risk profile"));

  status.state = EA_TRADING_STATE_ACTIVE;
  status.level = EA_RISK_LEVEL_SAFE;
  status.equity = USD (50500);
  status.effective_floor = USD (48000);
  status.trailing_room = USD (2500);
  status.safety_pct = 80;
  status.daily_loss_room = G_MAXINT64;
  status.usage[EA_RISK_LIMIT_TRAILING] = 0.2;
  status.max_contracts = 10;
  status.contracts_in_use = 2.5;
  status.best_day_share = 0.3;
  status.consistency_ok = TRUE;
  ea_risk_panel_set_status (EA_RISK_PANEL (panel), "DEMO-1", &status, es);
  g_assert_cmpstr (ea_risk_panel_get_state_text (EA_RISK_PANEL (panel)), ==, "ACTIVE");
  g_assert_false (gtk_widget_has_css_class (state, "halted"));
  /* $2,500 at $12.50 a tick: 200 ES ticks. */
  g_assert_nonnull (strstr (ea_risk_panel_get_trailing_text (EA_RISK_PANEL (panel)), "200 ES ticks"));
  g_assert_nonnull (strstr (ea_risk_panel_get_trailing_text (EA_RISK_PANEL (panel)), "2,500"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (detail)), "safety 80 %"));

  /* Below the floor the distance is never negative ticks. */
  status.trailing_room = USD (-100);
  ea_risk_panel_set_status (EA_RISK_PANEL (panel), "DEMO-1", &status, es);
  g_assert_nonnull (strstr (ea_risk_panel_get_trailing_text (EA_RISK_PANEL (panel)), "= 0 ES ticks"));

  status.state = EA_TRADING_STATE_LOCKED;
  status.level = EA_RISK_LEVEL_DANGER;
  status.lock_until = g_date_time_to_unix (until) * G_USEC_PER_SEC;
  status.lock_reason = "daily loss limit reached";
  ea_risk_panel_set_status (EA_RISK_PANEL (panel), "DEMO-1", &status, es);
  g_assert_cmpstr (ea_risk_panel_get_state_text (EA_RISK_PANEL (panel)), ==, "LOCKED");
  g_assert_true (gtk_widget_has_css_class (state, "halted"));
  /* TZ=UTC in the tests: Monday 14:30. */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (detail)), ==,
                   "Locked until Mon 14:30: daily loss limit reached");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Manual Enigma signal entry: a bad instrument or price is refused with a
 * message and adds nothing; a good one adds the signal as typed. */
static void
test_manual_signal (void)
{
  g_autoptr(EaTradingStore) store = ea_trading_store_new ();
  GtkWidget *panel = ea_signals_panel_new ();
  GtkWidget *window = show (panel);
  GListModel *signals = ea_trading_store_get_signals (store);
#define CHILD(name) GTK_WIDGET (gtk_widget_get_template_child (panel, EA_TYPE_SIGNALS_PANEL, name))
  GtkWidget *symbol = CHILD ("manual_symbol");
  GtkWidget *price = CHILD ("manual_price");
  GtkWidget *direction = CHILD ("manual_direction");
  GtkWidget *power = CHILD ("manual_power");
  GtkWidget *confluence = CHILD ("manual_confluence");
  GtkWidget *error = CHILD ("manual_error");
#undef CHILD
  g_autoptr(EaSignal) s = NULL;

  ea_signals_panel_set_store (EA_SIGNALS_PANEL (panel), store);

  gtk_editable_set_text (GTK_EDITABLE (symbol), "XX");
  gtk_editable_set_text (GTK_EDITABLE (price), "6800.25");
  g_assert_false (ea_signals_panel_add_manual (EA_SIGNALS_PANEL (panel)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error)), ==, "Unknown instrument");
  g_assert_cmpuint (g_list_model_get_n_items (signals), ==, 0);

  gtk_editable_set_text (GTK_EDITABLE (symbol), "ES");
  gtk_editable_set_text (GTK_EDITABLE (price), "68o0.25");   /* not a number */
  g_assert_false (ea_signals_panel_add_manual (EA_SIGNALS_PANEL (panel)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error)), !=, "");
  g_assert_cmpuint (g_list_model_get_n_items (signals), ==, 0);

  gtk_editable_set_text (GTK_EDITABLE (price), "6800.25");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (direction), 1);   /* short */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (power), 85);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (confluence), 3);
  g_assert_true (ea_signals_panel_add_manual (EA_SIGNALS_PANEL (panel)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error)), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (signals), ==, 1);
  s = g_list_model_get_item (signals, 0);
  g_assert_cmpstr (ea_signal_get_symbol (s), ==, "ES");
  g_assert_cmpint (ea_signal_get_direction (s), ==, -1);
  g_assert_cmpint (ea_signal_get_entry_price (s), ==, 27201);  /* 6800.25 / 0.25 */
  g_assert_cmpuint (ea_signal_get_power_score (s), ==, 85);
  g_assert_cmpuint (ea_signal_get_confluence (s), ==, 3);
  g_assert_true (ea_signal_get_active (s));
  g_assert_cmpuint (g_list_model_get_n_items (ea_signals_panel_get_active (EA_SIGNALS_PANEL (panel))), ==, 1);

  /* A newer signal on ES replaces the older one; NQ's stands beside it.
   * The panel's list holds each active signal once. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (power), 70);
  g_assert_true (ea_signals_panel_add_manual (EA_SIGNALS_PANEL (panel)));
  gtk_editable_set_text (GTK_EDITABLE (symbol), "NQ");
  gtk_editable_set_text (GTK_EDITABLE (price), "25000.00");
  g_assert_true (ea_signals_panel_add_manual (EA_SIGNALS_PANEL (panel)));
  gtk_editable_set_text (GTK_EDITABLE (symbol), "ES");
  gtk_editable_set_text (GTK_EDITABLE (price), "6801.00");
  g_assert_true (ea_signals_panel_add_manual (EA_SIGNALS_PANEL (panel)));
  g_assert_cmpuint (g_list_model_get_n_items (signals), ==, 4);
  g_assert_false (ea_signal_get_active (s));
  {
    GListModel *active = ea_signals_panel_get_active (EA_SIGNALS_PANEL (panel));
    g_autoptr(EaSignal) nq = g_list_model_get_item (signals, 2);
    g_autoptr(EaSignal) es = g_list_model_get_item (signals, 3);
    g_autoptr(EaSignal) first = NULL;
    g_autoptr(EaSignal) second = NULL;

    g_assert_cmpuint (g_list_model_get_n_items (active), ==, 2);
    first = g_list_model_get_item (active, 0);
    second = g_list_model_get_item (active, 1);
    g_assert_true (first == nq);
    g_assert_true (second == es);
    g_assert_null (g_list_model_get_item (active, 2));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
instruments_contain (gpointer data)
{
  gpointer *args = data;

  return strstr (ea_account_card_get_instruments_text (EA_ACCOUNT_CARD (args[0])), args[1]) != NULL;
}

static void
enabled_cb (EaAccountCard *card,
            gboolean       enabled,
            gpointer       user_data)
{
  int *last = user_data;

  *last = enabled;
}

/* The card lists the account's instruments (held, worked, traded) and
 * its Enabled switch reports the trader's choice. */
static void
test_account_card (void)
{
  g_autoptr(EaTradingStore) store = ea_trading_store_new ();
  EaAccount *account;
  GtkWidget *card;
  GtkWidget *window;
  GtkWidget *sw;
  EaPositionData pos = { 0 };
  EaOrderData order = { 0 };
  gpointer args[2];
  int last = -1;

  apply_account (store, "DEMO-1", USD (50000), 0, 0);
  apply_account (store, "DEMO-2", USD (50000), 0, 0);
  account = ea_trading_store_lookup_account (store, "DEMO-1");
  card = ea_account_card_new (account, store);
  window = show (card);
  g_assert_cmpstr (ea_account_card_get_instruments_text (EA_ACCOUNT_CARD (card)), ==, "No instruments yet");

  pos.account = (char *) "DEMO-1";
  pos.symbol = (char *) "NQZ6";
  pos.qty = 2;
  pos.avg_price = 100000;
  ea_trading_store_apply_position (store, &pos);
  /* Another account's order is not this card's. */
  order.account = (char *) "DEMO-2";
  order.symbol = (char *) "CLF7";
  order.client_order_id = (char *) "c-1";
  order.broker_order_id = (char *) "b-1";
  order.side = 1;
  order.type = EA_ORDER_TYPE_LIMIT;
  order.state = EA_ORDER_STATE_WORKING;
  order.qty = 1;
  order.limit_price = 7000;
  ea_trading_store_apply_order (store, &order);
  order.account = (char *) "DEMO-1";
  order.symbol = (char *) "GCG7";
  order.client_order_id = (char *) "c-2";
  order.broker_order_id = (char *) "b-2";
  ea_trading_store_apply_order (store, &order);

  args[0] = card;
  args[1] = (gpointer) "GCG7";
  g_assert_true (ea_test_wait_until (instruments_contain, args, 5000));
  g_assert_cmpstr (ea_account_card_get_instruments_text (EA_ACCOUNT_CARD (card)), ==, "NQZ6 · GCG7");

  sw = GTK_WIDGET (gtk_widget_get_template_child (card, EA_TYPE_ACCOUNT_CARD, "enabled_switch"));
  g_signal_connect (card, "enabled-changed", G_CALLBACK (enabled_cb), &last);
  gtk_switch_set_active (GTK_SWITCH (sw), FALSE);
  g_assert_cmpint (last, ==, FALSE);
  g_assert_true (gtk_widget_has_css_class (card, "disabled-account"));
  gtk_switch_set_active (GTK_SWITCH (sw), TRUE);
  g_assert_cmpint (last, ==, TRUE);
  g_assert_false (gtk_widget_has_css_class (card, "disabled-account"));

  /* The border follows the risk level, one colour at a time. */
  g_assert_true (gtk_widget_has_css_class (card, "safe"));
  ea_account_card_set_risk_level (EA_ACCOUNT_CARD (card), EA_RISK_LEVEL_DANGER, NULL);
  g_assert_true (gtk_widget_has_css_class (card, "danger"));
  g_assert_false (gtk_widget_has_css_class (card, "safe"));
  ea_account_card_set_risk_level (EA_ACCOUNT_CARD (card), EA_RISK_LEVEL_WARNING, NULL);
  g_assert_true (gtk_widget_has_css_class (card, "warning"));
  g_assert_false (gtk_widget_has_css_class (card, "danger"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Before any account: the dashboard says why it is empty, and whether a
 * broker is there but away. */
static void
test_empty_states (void)
{
  g_autoptr(EaDesk) desk = ea_desk_new (EA_MODE_DEMO);
  g_autoptr(EaSimBroker) sim = NULL;
  GtkWidget *dashboard = ea_dashboard_new (desk);
  GtkWidget *window = show (dashboard);
  GtkWidget *stack = GTK_WIDGET (gtk_widget_get_template_child (dashboard, EA_TYPE_DASHBOARD, "cards_stack"));
  GtkWidget *title = GTK_WIDGET (gtk_widget_get_template_child (dashboard, EA_TYPE_DASHBOARD, "empty_title"));
  GtkWidget *grid = GTK_WIDGET (gtk_widget_get_template_child (dashboard, EA_TYPE_DASHBOARD, "card_grid"));

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (title)), ==, "No Accounts Connected");

  sim = ea_sim_broker_new (7, g_get_real_time ());
  ea_desk_add_broker (desk, EA_BROKER (sim));
  ea_dashboard_sync_brokers (EA_DASHBOARD (dashboard));
  ea_test_iterate (50);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (title)), ==, "Disconnected");

  /* The card layouts: 2×3, 3×2 and 1×6 (cards per line 3, 2, 6). */
  ea_dashboard_set_card_layout (EA_DASHBOARD (dashboard), 1);
  g_assert_cmpuint (gtk_flow_box_get_max_children_per_line (GTK_FLOW_BOX (grid)), ==, 2);
  ea_dashboard_set_card_layout (EA_DASHBOARD (dashboard), 2);
  g_assert_cmpuint (gtk_flow_box_get_max_children_per_line (GTK_FLOW_BOX (grid)), ==, 6);
  g_assert_cmpuint (gtk_flow_box_get_min_children_per_line (GTK_FLOW_BOX (grid)), ==, 6);
  ea_dashboard_set_card_layout (EA_DASHBOARD (dashboard), 0);
  g_assert_cmpuint (gtk_flow_box_get_max_children_per_line (GTK_FLOW_BOX (grid)), ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  /* Links the templates in (the resources live in a static library). */
  g_assert_nonnull (ea_get_resource ());

  g_test_add_func ("/panels/margin-status-table", test_margin_status_table);
  g_test_add_func ("/panels/margin", test_margin_panel);
  g_test_add_func ("/panels/risk", test_risk_panel);
  g_test_add_func ("/panels/manual-signal", test_manual_signal);
  g_test_add_func ("/panels/account-card", test_account_card);
  g_test_add_func ("/panels/empty-states", test_empty_states);

  return g_test_run ();
}
