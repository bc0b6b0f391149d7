/* test-journal-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaJournalWindow on a temporary journal holding the fixed trades of
 * journal-trades-fixture.h: the tiles show the hand-computed statistics,
 * the table follows the filters, the calendar colours the days, notes are
 * saved in the journal, exports write the expected bytes, and the audit
 * banner reports a tampered chain. Screenshots go to
 * <builddir>/tests/screenshots/journal*.png.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ea-application.h"
#include "ea-csv.h"
#include "ea-journal-window-private.h"
#include "ea-resources.h"
#include "ea-test-gtk-utils.h"
#include "journal-test-utils.h"
#include "journal-trades-fixture.h"

typedef struct
{
  Fixture          base;
  EaJournal       *journal;
  EaJournalWindow *window;
  gint64           a1, a2;
} WinFixture;

static gboolean
window_idle (gpointer user_data)
{
  return !ea_journal_window_get_busy (EA_JOURNAL_WINDOW (user_data));
}

static void
wait_idle (EaJournalWindow *window)
{
  /* Let queued work start before looking at the busy flag. */
  ea_test_iterate (20);
  g_assert_true (ea_test_wait_until (window_idle, window, 20000));
}

static void
load_style (void)
{
  static gboolean done;
  g_autoptr(GtkCssProvider) provider = NULL;

  if (done)
    return;
  done = TRUE;
  g_assert_nonnull (ea_get_resource ());
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_BASE "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
win_setup (WinFixture    *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  EaJournalTrade trades[6];

  load_style ();
  fixture_setup (&f->base, data);
  f->journal = ea_journal_new_sync (f->base.path, NULL, &error);
  g_assert_no_error (error);
  f->a1 = jt_ensure_account (f->journal, "sim", "SIM-1", &error);
  f->a2 = jt_ensure_account (f->journal, "sim", "SIM-2", &error);
  g_assert_no_error (error);
  jtf_make_trades (trades, f->a1, f->a2);
  g_assert_cmpint (jt_insert_trades (f->journal, trades, 6, &error), ==, 1);
  g_assert_no_error (error);

  JT_CALL (ea_journal_record_risk_event_finish (f->journal, r, &error),
           ea_journal_record_risk_event_async (f->journal, f->a1, EA_JOURNAL_RISK_DENIAL, "DAILY_LOSS",
                                               "{\"loss\": 412.5}", EA_ACTOR_AUTOMATIC, NULL, jt_store_cb, &r));
  g_assert_no_error (error);
  jt_audit (f->journal, EA_ACTOR_USER, "setting.change", "max-contracts", "{\"old\": 2, \"new\": 3}", &error);
  jt_audit (f->journal, EA_ACTOR_USER, "mode.change", "demo", NULL, &error);
  g_assert_no_error (error);

  f->window = ea_journal_window_new (NULL, f->journal, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1320, 900);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_idle (f->window);
}

static void
win_teardown (WinFixture    *f,
              gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  ea_test_iterate (20);
  jt_close (f->journal);
  fixture_teardown (&f->base, data);
}

static void
test_tiles (WinFixture    *f,
            gconstpointer  data)
{
  static const struct { const char *tile, *text; } expected[] = {
    { "net", "+$350.00" },
    { "trades", "6" },
    { "win-rate", "33.3 %" },
    { "profit-factor", "1.78" },
    { "expectancy", "$58.33" },
    { "avg-win-loss", "$400.00 / $150.00" },
    { "sharpe", "0.21" },
    { "max-drawdown", "$300.00" },
    { "streaks", "1 W / 2 L" },
    { "duration", "17m 30s" },
    { "best-worst", "+$300.00 / -$150.00" },
    { "consistency", "85.7 %" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (ea_journal_window_get_tile_text (f->window, expected[i].tile), ==, expected[i].text);
  g_assert_cmpuint (ea_journal_window_get_n_trade_rows (f->window), ==, 6);
  g_assert_cmpuint (ea_journal_window_get_n_risk_rows (f->window), ==, 1);
  /* risk.denial, setting.change, mode.change */
  g_assert_cmpuint (ea_journal_window_get_n_audit_rows (f->window), ==, 3);
  g_assert_true (g_str_has_prefix (ea_journal_window_get_audit_status (f->window),
                                   "Audit trail verified: all 3 entries chain correctly."));
}

static void
apply (WinFixture       *f,
       gint64            account_id,
       const char       *root,
       const char       *tag,
       EaJournalSession  session)
{
  EaJournalFilter filter;

  ea_journal_filter_init (&filter);
  filter.account_id = account_id;
  filter.root = root;
  filter.tag = tag;
  filter.session = session;
  ea_journal_window_set_filter (f->window, &filter);
  wait_idle (f->window);
}

static void
test_filters (WinFixture    *f,
              gconstpointer  data)
{
  EaJournalFilter filter;

  apply (f, f->a1, NULL, NULL, EA_JOURNAL_SESSION_ANY);
  g_assert_cmpuint (ea_journal_window_get_n_trade_rows (f->window), ==, 4);
  g_assert_cmpstr (ea_journal_window_get_tile_text (f->window, "net"), ==, "+$550.00");
  g_assert_cmpstr (ea_journal_window_get_tile_text (f->window, "profit-factor"), ==, "3.20");
  /* The risk events follow the account too. */
  g_assert_cmpuint (ea_journal_window_get_n_risk_rows (f->window), ==, 1);

  apply (f, f->a2, NULL, NULL, EA_JOURNAL_SESSION_ANY);
  g_assert_cmpuint (ea_journal_window_get_n_trade_rows (f->window), ==, 2);
  g_assert_cmpuint (ea_journal_window_get_n_risk_rows (f->window), ==, 0);

  apply (f, 0, NULL, "breakout", EA_JOURNAL_SESSION_ANY);
  g_assert_cmpuint (ea_journal_window_get_n_trade_rows (f->window), ==, 3);
  g_assert_cmpstr (ea_journal_window_get_tile_text (f->window, "net"), ==, "-$50.00");

  apply (f, 0, NULL, NULL, EA_JOURNAL_SESSION_AM);
  g_assert_cmpuint (ea_journal_window_get_n_trade_rows (f->window), ==, 3);
  g_assert_cmpstr (ea_journal_window_get_tile_text (f->window, "net"), ==, "+$100.00");

  apply (f, f->a1, "ES", NULL, EA_JOURNAL_SESSION_PM);
  g_assert_cmpuint (ea_journal_window_get_n_trade_rows (f->window), ==, 2);
  g_assert_cmpstr (ea_journal_window_get_tile_text (f->window, "net"), ==, "+$350.00");

  apply (f, 0, "CL", NULL, EA_JOURNAL_SESSION_ANY);
  g_assert_cmpuint (ea_journal_window_get_n_trade_rows (f->window), ==, 0);
  g_assert_cmpstr (ea_journal_window_get_tile_text (f->window, "win-rate"), ==, "—");

  /* Tuesday only. */
  ea_journal_filter_init (&filter);
  filter.from_us = JTF_AT (1, 0, 0);
  filter.to_us = JTF_AT (2, 0, 0);
  ea_journal_window_set_filter (f->window, &filter);
  wait_idle (f->window);
  g_assert_cmpuint (ea_journal_window_get_n_trade_rows (f->window), ==, 2);
  g_assert_cmpstr (ea_journal_window_get_tile_text (f->window, "net"), ==, "+$300.00");

  ea_journal_window_set_filter (f->window, NULL);
  wait_idle (f->window);
  g_assert_cmpuint (ea_journal_window_get_n_trade_rows (f->window), ==, 6);
  ea_journal_window_get_filter (f->window, &filter);
  g_assert_cmpint (filter.account_id, ==, 0);
  g_assert_null (filter.root);
}

static void
assert_colour (EaJournalWindow *window,
               guint32          day,
               double           r,
               double           g,
               double           b,
               double           a)
{
  GdkRGBA c;

  g_assert_true (ea_journal_window_get_day_colour (window, day, &c));
  g_assert_cmpfloat_with_epsilon (c.red, r, 1e-6);
  g_assert_cmpfloat_with_epsilon (c.green, g, 1e-6);
  g_assert_cmpfloat_with_epsilon (c.blue, b, 1e-6);
  g_assert_cmpfloat_with_epsilon (c.alpha, a, 1e-6);
}

static void
test_calendar (WinFixture    *f,
               gconstpointer  data)
{
  GdkRGBA c;

  /* Days +200, +300, −150: the month's largest |P&L| is 300. */
  ea_journal_window_show_month (f->window, 2026, 11);
  assert_colour (f->window, 20261116, 0.18, 0.63, 0.33, 0.25 + 0.70 * 200.0 / 300.0);
  assert_colour (f->window, 20261117, 0.18, 0.63, 0.33, 0.95);
  assert_colour (f->window, 20261118, 0.80, 0.14, 0.18, 0.25 + 0.70 * 150.0 / 300.0);
  g_assert_false (ea_journal_window_get_day_colour (f->window, 20261119, &c));

  /* Another month shows none of them. */
  ea_journal_window_show_month (f->window, 2026, 12);
  g_assert_false (ea_journal_window_get_day_colour (f->window, 20261117, &c));

  /* A breakeven day is neutral. */
  apply (f, f->a2, "NQ", NULL, EA_JOURNAL_SESSION_ANY);
  ea_journal_window_show_month (f->window, 2026, 11);
  assert_colour (f->window, 20261118, 0.5, 0.5, 0.5, 0.18);
}

static void
test_notes (WinFixture    *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) trades = NULL;
  const EaJournalTrade *t;

  ea_journal_window_save_notes (f->window, 4, "review, A+", "Late entry,\n\"chased\" the move");
  wait_idle (f->window);

  trades = jt_load_trades (f->journal, 0, 0, G_MAXINT64, &error);
  g_assert_no_error (error);
  t = &g_array_index (trades, EaJournalTrade, 3);
  g_assert_cmpint (t->id, ==, 4);
  g_assert_cmpstr (t->tags, ==, "review, A+");
  g_assert_cmpstr (t->notes, ==, "Late entry,\n\"chased\" the move");

  /* The window's copy follows, so the tag filter finds it. */
  apply (f, 0, NULL, "review", EA_JOURNAL_SESSION_ANY);
  g_assert_cmpuint (ea_journal_window_get_n_trade_rows (f->window), ==, 1);
  t = &g_array_index (ea_journal_window_get_analytics (f->window)->trades, EaJournalTrade, 0);
  g_assert_cmpstr (t->notes, ==, "Late entry,\n\"chased\" the move");

  /* Clearing them stores NULL. */
  ea_journal_window_save_notes (f->window, 4, "", "");
  wait_idle (f->window);
  g_clear_pointer (&trades, g_array_unref);
  trades = jt_load_trades (f->journal, 0, 0, G_MAXINT64, &error);
  g_assert_null (g_array_index (trades, EaJournalTrade, 3).tags);
  g_assert_null (g_array_index (trades, EaJournalTrade, 3).notes);
}

/* The editor: select a trade, edit its tags and notes, Save. */
static void
test_notes_editor (WinFixture    *f,
                   gconstpointer  data)
{
  EaJournalWindow *w = f->window;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (w->notes_view));
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) trades = NULL;
  g_autoptr(EaJournalRow) row = NULL;
  g_autofree char *row_tags = NULL;

  g_assert_false (gtk_widget_get_sensitive (w->notes_box));
  g_assert_true (ea_journal_window_select_trade (w, 2));
  g_assert_true (gtk_widget_get_sensitive (w->notes_box));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (w->tags_entry)), ==, "fade");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (w->notes_title)), "Trade 2 · Short NQZ6"));

  gtk_editable_set_text (GTK_EDITABLE (w->tags_entry), "fade, revenge");
  gtk_text_buffer_set_text (buffer, "Too early,\nagainst the trend", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.save-notes", NULL));
  wait_idle (w);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (w->notes_status)), ==, "Saved");

  trades = jt_load_trades (f->journal, 0, 0, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_array_index (trades, EaJournalTrade, 1).tags, ==, "fade, revenge");
  g_assert_cmpstr (g_array_index (trades, EaJournalTrade, 1).notes, ==, "Too early,\nagainst the trend");

  /* The table row follows (its notes on one line). */
  row = gtk_single_selection_get_selected_item (w->trades_selection);
  g_object_ref (row);
  g_assert_cmpint (row->trade.id, ==, 2);
  g_object_get (row, "tags", &row_tags, NULL);
  g_assert_cmpstr (row_tags, ==, "fade, revenge");
  {
    g_autofree char *notes = NULL;

    g_object_get (row, "notes", &notes, NULL);
    g_assert_cmpstr (notes, ==, "Too early, against the trend");
  }
}

/* The column headers sort the table; the filter bar drives the query. */
static void
test_sort_and_filter_bar (WinFixture    *f,
                          gconstpointer  data)
{
  EaJournalWindow *w = f->window;
  GtkColumnView *view = GTK_COLUMN_VIEW (w->trades_view);
  GListModel *columns = gtk_column_view_get_columns (view);
  GListModel *model = G_LIST_MODEL (w->trades_selection);
  static const gint64 by_pnl[] = { 3, 6, 2, 5, 1, 4 };
  g_autoptr(GtkColumnViewColumn) pnl = NULL;

  /* Newest exit first by default. */
  {
    g_autoptr(EaJournalRow) first = g_list_model_get_item (model, 0);

    g_assert_cmpint (first->trade.id, ==, 6);
  }

  for (guint i = 0; i < g_list_model_get_n_items (columns) && pnl == NULL; i++)
    {
      g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (c), "Net P&L") == 0)
        pnl = g_object_ref (c);
    }
  g_assert_nonnull (pnl);
  gtk_column_view_sort_by_column (view, pnl, GTK_SORT_ASCENDING);
  for (guint i = 0; i < G_N_ELEMENTS (by_pnl); i++)
    {
      g_autoptr(EaJournalRow) row = g_list_model_get_item (model, i);

      g_assert_cmpint (row->trade.id, ==, by_pnl[i]);
    }

  /* Typing a tag filters after a short pause. */
  gtk_editable_set_text (GTK_EDITABLE (w->tag_entry), "fade");
  g_assert_true (ea_journal_window_get_busy (w));
  wait_idle (w);
  g_assert_cmpuint (ea_journal_window_get_n_trade_rows (w), ==, 2);

  /* A malformed date is flagged and leaves the range alone. */
  gtk_editable_set_text (GTK_EDITABLE (w->from_entry), "2026-13-01");
  wait_idle (w);
  g_assert_true (gtk_widget_has_css_class (w->from_entry, "error"));
  g_assert_cmpuint (ea_journal_window_get_n_trade_rows (w), ==, 2);
  gtk_editable_set_text (GTK_EDITABLE (w->from_entry), "2026-11-18");
  wait_idle (w);
  g_assert_false (gtk_widget_has_css_class (w->from_entry, "error"));
  g_assert_cmpuint (ea_journal_window_get_n_trade_rows (w), ==, 1);

  /* The session drop-down: PM of all trades. */
  gtk_widget_activate_action (GTK_WIDGET (w), "win.clear-filter", NULL);
  wait_idle (w);
  g_assert_cmpuint (ea_journal_window_get_n_trade_rows (w), ==, 6);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (w->session_dropdown), 2);
  wait_idle (w);
  g_assert_cmpuint (ea_journal_window_get_n_trade_rows (w), ==, 3);
}

static GBytes *
export (WinFixture          *f,
        EaJournalExportKind  kind,
        const char          *name)
{
  g_autofree char *path = g_build_filename (f->base.dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;
  gboolean ok;

  JT_CALL (ok = ea_journal_window_export_finish (f->window, r, &error),
           ea_journal_window_export_async (f->window, kind, file, NULL, jt_store_cb, &r));
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_bytes_new_take (contents, len);
}

static void
assert_bytes (GBytes        *bytes,
              const GString *expected)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  g_assert_cmpmem (data, len, expected->str, expected->len);
}

static void
test_export (WinFixture    *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) loaded = NULL;
  g_autoptr(GArray) audit = NULL;
  g_autoptr(GBytes) trades_csv = NULL;
  g_autoptr(GBytes) audit_csv = NULL;
  g_autoptr(GBytes) fills_csv = NULL;
  g_autoptr(GString) expected = NULL;
  g_autoptr(GString) expected_audit = NULL;
  const char *text;

  /* The filtered trades: account 2. */
  apply (f, f->a2, NULL, NULL, EA_JOURNAL_SESSION_ANY);
  trades_csv = export (f, EA_JOURNAL_EXPORT_TRADES, "trades.csv");
  loaded = jt_load_trades (f->journal, f->a2, 0, G_MAXINT64, &error);
  g_assert_no_error (error);
  expected = ea_csv_trades ((EaJournalTrade *) (gpointer) loaded->data, loaded->len);
  assert_bytes (trades_csv, expected);
  /* Trade 3 by hand. */
  text = g_bytes_get_data (trades_csv, NULL);
  g_assert_nonnull (strstr (text, "\r\n3,2,ESZ6,ES,BUY,3,2026-11-17T15:00:00.000000Z,2026-11-17T15:05:00.000000Z,"
                                  "20008,20018,5002.00,5004.50,-200.00,2.50,2,4,300.000000,breakout,,\r\n"));

  audit_csv = export (f, EA_JOURNAL_EXPORT_AUDIT, "audit.csv");
  JT_CALL (audit = ea_journal_load_audit_finish (f->journal, r, &error),
           ea_journal_load_audit_async (f->journal, 1, 0, NULL, jt_store_cb, &r));
  g_assert_no_error (error);
  expected_audit = ea_csv_audit ((EaJournalAuditRow *) (gpointer) audit->data, audit->len);
  assert_bytes (audit_csv, expected_audit);
  g_assert_nonnull (strstr (g_bytes_get_data (audit_csv, NULL),
                            ",user,setting.change,max-contracts,\"{\"\"old\"\": 2, \"\"new\"\": 3}\","));

  fills_csv = export (f, EA_JOURNAL_EXPORT_FILLS, "fills.csv");
  g_assert_cmpmem (g_bytes_get_data (fills_csv, NULL), g_bytes_get_size (fills_csv),
                   "time,broker,broker_fill_id,account_id,client_order_id,broker_order_id,symbol,root,side,"
                   "qty,price_ticks,price,fee\r\n",
                   strlen ("time,broker,broker_fill_id,account_id,client_order_id,broker_order_id,symbol,root,side,"
                           "qty,price_ticks,price,fee\r\n"));
}

typedef struct
{
  char  *suggested;
  GFile *file;        /* what the "user" picks; NULL cancels */
  guint  asked;
} Chooser;

static GFile *
choose_file (EaJournalWindow *self,
             const char      *suggested_name,
             gpointer         user_data)
{
  Chooser *c = user_data;

  c->asked++;
  g_free (c->suggested);
  c->suggested = g_strdup (suggested_name);
  return c->file ? g_object_ref (c->file) : NULL;
}

/* The menu item of the Export button whose target is @target. */
static gboolean
export_menu_has (GtkWidget  *button,
                 const char *target)
{
  GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  gboolean found = FALSE;

  for (int s = 0; s < g_menu_model_get_n_items (menu); s++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, s, G_MENU_LINK_SECTION);

      for (int i = 0; section != NULL && i < g_menu_model_get_n_items (section); i++)
        {
          g_autofree char *action = NULL;
          g_autofree char *value = NULL;

          g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
          g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_TARGET, "s", &value);
          found |= g_strcmp0 (action, "win.export") == 0 && g_strcmp0 (value, target) == 0;
        }
    }
  return found;
}

/* From the Export button: its menu offers every export, an item asks for
 * a file with a dated name, and the file it gets receives the CSV; a
 * cancelled choice writes nothing. */
static void
test_export_button (WinFixture    *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->base.dir, "picked.csv", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *expected_name = g_strdup_printf ("enigma-apex-audit-%s.csv", date);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) audit = NULL;
  g_autoptr(GString) expected = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  Chooser c = { 0 };
  GtkWidget *button = f->window->export_button;

  g_assert_true (GTK_IS_MENU_BUTTON (button));
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (export_menu_has (button, "trades"));
  g_assert_true (export_menu_has (button, "fills"));
  g_assert_true (export_menu_has (button, "audit"));
  g_assert_true (export_menu_has (button, "risk"));

  _ea_journal_window_set_export_chooser (f->window, choose_file, &c);

  /* Cancelled: nothing is written. */
  g_assert_true (gtk_widget_activate_action (button, "win.export", "s", "audit"));
  wait_idle (f->window);
  g_assert_cmpuint (c.asked, ==, 1);
  g_assert_cmpstr (c.suggested, ==, expected_name);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Chosen: the audit trail, as the journal has it. */
  c.file = g_file_new_for_path (path);
  g_assert_true (gtk_widget_activate_action (button, "win.export", "s", "audit"));
  wait_idle (f->window);
  g_assert_cmpuint (c.asked, ==, 2);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  JT_CALL (audit = ea_journal_load_audit_finish (f->journal, r, &error),
           ea_journal_load_audit_async (f->journal, 1, 0, NULL, jt_store_cb, &r));
  g_assert_no_error (error);
  expected = ea_csv_audit ((EaJournalAuditRow *) (gpointer) audit->data, audit->len);
  g_assert_cmpmem (contents, len, expected->str, expected->len);
  {
    g_autofree char *status = g_strdup_printf ("Exported %u rows to %s", audit->len, path);

    g_assert_cmpstr (f->window->status_text, ==, status);
  }

  g_clear_object (&c.file);
  g_free (c.suggested);
}

static GtkWindow *
find_export_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      GtkWindow *w = g_list_model_get_item (toplevels, i);

      /* Toplevels are kept alive by GTK. */
      g_object_unref (w);
      if (g_strcmp0 (gtk_window_get_title (w), "Export to CSV") == 0 && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

static gboolean
export_dialog_shown (gpointer user_data)
{
  return find_export_dialog () != NULL;
}

static gboolean
export_dialog_gone (gpointer user_data)
{
  return find_export_dialog () == NULL;
}

/* Without a seam the Export menu opens the real file chooser (GtkFileDialog
 * on GTK 4.10 and later, GtkFileChooserNative on 4.8), with its title;
 * closing it exports nothing. */
static void
test_export_chooser_appears (WinFixture    *f,
                             gconstpointer  data)
{
  GtkWidget *button = f->window->export_button;
  g_autofree char *status_before = g_strdup (f->window->status_text);

  g_test_message ("file chooser: %s", _ea_journal_window_uses_file_dialog () ? "GtkFileDialog" : "GtkFileChooserNative");
  g_assert_null (find_export_dialog ());
  g_assert_true (gtk_widget_activate_action (button, "win.export", "s", "trades"));
  g_assert_true (ea_test_wait_until (export_dialog_shown, NULL, 10000));

  gtk_window_close (find_export_dialog ());
  g_assert_true (ea_test_wait_until (export_dialog_gone, NULL, 10000));
  ea_test_iterate (50);
  g_assert_false (ea_journal_window_get_busy (f->window));
  g_assert_cmpstr (f->window->status_text, ==, status_before);
}

static void
test_tampered_audit (WinFixture    *f,
                     gconstpointer  data)
{
  sqlite3 *raw = jt_raw_open (f->base.path);

  jt_raw_exec (raw, "DROP TRIGGER audit_no_update; UPDATE audit SET subject = 'max-loss' WHERE seq = 2;");
  sqlite3_close (raw);

  ea_journal_window_refresh (f->window);
  wait_idle (f->window);
  g_assert_true (g_str_has_prefix (ea_journal_window_get_audit_status (f->window),
                                   "Audit trail BROKEN at entry #2 (edited)"));
}

static void
save_day_state (EaJournal  *journal,
                gint64      account_id,
                const char *day,
                EaMicros    start_balance,
                EaMicros    floor)
{
  g_autoptr(EaJournalDayState) state = ea_journal_day_state_new ();
  g_autoptr(GError) error = NULL;

  state->account_id = account_id;
  state->trading_day = g_strdup (day);
  state->start_balance_micros = start_balance;
  state->peak_equity_micros = start_balance;
  state->floor_micros = floor;
  state->lock_state = EA_TRADING_STATE_ACTIVE;
  state->updated_us = JTF_AT (0, 12, 0);
  JT_CALL (ea_journal_save_day_state_finish (journal, r, &error),
           ea_journal_save_day_state_async (journal, state, NULL, jt_store_cb, &r));
  g_assert_no_error (error);
}

static gboolean
chart_drawn (gpointer user_data)
{
  GtkWidget *chart = user_data;

  return gtk_widget_get_mapped (chart) && gtk_widget_get_width (chart) > 200;
}

/* The journal window's equity curve is an EaEquityChart fed with the
 * account's stored days: its equity from the first day's start balance
 * and, at each point, the floor the day ended with, drawn in the floor's
 * colour at its row. With both accounts shown there is no single floor.
 * The daily bars are the same widget's P&L mode. */
static void
test_equity_floor (WinFixture    *f,
                   gconstpointer  data)
{
  /* SIM-1's trades: Mon +300 and -100, Tue +500, Wed -150. */
  static const EaMicros equity[] = { 50000, 50300, 50200, 50700, 50550 };
  static const EaMicros floors[] = { 48000, 48000, 48000, 48500, 48700 };
  EaEquityChart *chart = ea_journal_window_get_equity_chart (f->window);
  const EaEquityPoint *points;
  const EaDailyPnl *days;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  EaEquityScale scale;
  GdkRGBA c;
  gsize n = 0;
  double x;
  int row, w, h;

  g_assert_true (EA_IS_EQUITY_CHART (chart));
  g_assert_true (EA_IS_EQUITY_CHART (ea_journal_window_get_daily_chart (f->window)));
  save_day_state (f->journal, f->a1, "2026-11-16", EA_MICROS (50000), EA_MICROS (48000));
  save_day_state (f->journal, f->a1, "2026-11-17", EA_MICROS (50200), EA_MICROS (48500));
  save_day_state (f->journal, f->a1, "2026-11-18", EA_MICROS (50700), EA_MICROS (48700));
  save_day_state (f->journal, f->a2, "2026-11-17", EA_MICROS (25000), EA_MICROS (24000));

  apply (f, f->a1, NULL, NULL, EA_JOURNAL_SESSION_ANY);
  points = ea_equity_chart_get_points (chart, &n);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (equity));
  /* It starts at the first trade's entry, then each exit. */
  g_assert_cmpint (points[0].time, ==, JTF_AT (0, 14, 40));
  g_assert_cmpint (points[4].time, ==, JTF_AT (2, 19, 30));
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpint (points[i].equity, ==, EA_MICROS (equity[i]));
      g_assert_cmpint (points[i].floor, ==, EA_MICROS (floors[i]));
    }

  /* Drawn: between Tuesday's and Wednesday's exits the floor's row is
   * Tuesday's, in the floor's red; the equity curve is far above. */
  ea_journal_window_set_page (f->window, "overview");
  g_assert_true (ea_test_wait_until (chart_drawn, chart, 10000));
  ea_test_iterate (100);
  w = gtk_widget_get_width (GTK_WIDGET (chart));
  h = gtk_widget_get_height (GTK_WIDGET (chart));
  ea_equity_scale_init (&scale, w, h, points, n);
  x = (ea_equity_scale_x (&scale, points[3].time) + ea_equity_scale_x (&scale, points[4].time)) / 2;
  row = (int) floor (ea_equity_scale_y (&scale, EA_MICROS (48500)));
  texture = ea_test_render_widget (GTK_WIDGET (chart), &error);
  g_assert_no_error (error);
  g_assert_true (ea_test_texture_pixel (texture, (int) x, row, &c));
  g_assert_cmpfloat (c.red, >, 0.7);
  g_assert_cmpfloat (c.green, <, 0.2);
  g_assert_cmpfloat (c.blue, <, 0.35);
  /* Wednesday's floor is higher: not drawn there before Wednesday. */
  row = (int) floor (ea_equity_scale_y (&scale, EA_MICROS (48700)));
  g_assert_true (ea_test_texture_pixel (texture, (int) x, row - 2, &c));
  g_assert_false (c.red > 0.7 && c.green < 0.2);

  /* The daily bars: SIM-1's three days. */
  days = ea_equity_chart_get_days (ea_journal_window_get_daily_chart (f->window), &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (days[0].day, ==, 20261116);
  g_assert_cmpint (days[0].pnl, ==, EA_MICROS (200));
  g_assert_cmpint (days[1].pnl, ==, EA_MICROS (500));
  g_assert_cmpint (days[2].pnl, ==, EA_MICROS (-150));

  /* Both accounts: the cumulative P&L of all six trades, no floor. */
  apply (f, 0, NULL, NULL, EA_JOURNAL_SESSION_ANY);
  points = ea_equity_chart_get_points (chart, &n);
  g_assert_cmpuint (n, ==, 7);
  g_assert_cmpint (points[0].equity, ==, 0);
  g_assert_cmpint (points[6].equity, ==, EA_MICROS (350));
  for (gsize i = 0; i < n; i++)
    g_assert_cmpint (points[i].floor, ==, EA_EQUITY_NO_FLOOR);
}

static void
test_open_error (void)
{
  g_autoptr(GError) error = g_error_new_literal (EA_JOURNAL_ERROR, EA_JOURNAL_ERROR_CORRUPT,
                                                 "file is not a database");
  EaJournalWindow *window;
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/x.csv");
  g_autoptr(GError) export_error = NULL;

  load_style ();
  window = ea_journal_window_new (NULL, NULL, error);
  gtk_window_present (GTK_WINDOW (window));
  ea_test_iterate (50);
  g_assert_false (ea_journal_window_get_busy (window));
  g_assert_null (ea_journal_window_get_journal (window));
  g_assert_cmpuint (ea_journal_window_get_n_trade_rows (window), ==, 0);
  ea_journal_window_refresh (window);
  g_assert_false (ea_journal_window_get_busy (window));

  JT_CALL (g_assert_false (ea_journal_window_export_finish (window, r, &export_error)),
           ea_journal_window_export_async (window, EA_JOURNAL_EXPORT_TRADES, file, NULL, jt_store_cb, &r));
  g_assert_error (export_error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A fuller journal for the screenshots: two months of trading days. */
static void
fill_demo_journal (EaJournal *journal,
                   gint64     account)
{
  static const char *tags[] = { "breakout", "fade", "trend, a+", NULL, "news", "breakout, late" };
  static const char *notes[] = { NULL, "Waited for the retest", NULL, "Chased the move", NULL };
  g_autoptr(GArray) trades = g_array_new (FALSE, TRUE, sizeof (EaJournalTrade));
  g_autoptr(GError) error = NULL;
  guint32 seed = 7;
  /* Monday 2026-10-05 */
  EaTimeUs monday = JTF_MONDAY_US - (gint64) 6 * 7 * 86400 * G_USEC_PER_SEC;

  for (guint day = 0; day < 7 * 7; day++)
    {
      guint n;

      if (day % 7 >= 5)
        continue;
      seed = seed * 1103515245 + 12345;
      n = 2 + (seed >> 16) % 4;
      for (guint k = 0; k < n; k++)
        {
          EaTimeUs entry = monday + ((gint64) day * 86400 + 14 * 3600 + 35 * 60 + k * 4100) * G_USEC_PER_SEC;
          gint64 pnl_ticks;
          EaJournalTrade t = { 0 };

          seed = seed * 1103515245 + 12345;
          pnl_ticks = (gint64) ((seed >> 16) % 41) - 16;
          t.account_id = account;
          t.symbol = (char *) (k % 3 == 2 ? "NQZ6" : "ESZ6");
          t.root = (char *) (k % 3 == 2 ? "NQ" : "ES");
          t.side = (seed >> 8) & 1 ? EA_SIDE_SELL : EA_SIDE_BUY;
          t.qty = 1 + (seed >> 4) % 3;
          t.entry_time_us = entry;
          t.exit_time_us = entry + (gint64) (120 + (seed >> 10) % 2400) * G_USEC_PER_SEC;
          t.entry_ticks = 27000 + (gint64) ((seed >> 3) % 80);
          t.exit_ticks = t.entry_ticks + (t.side == EA_SIDE_BUY ? pnl_ticks : -pnl_ticks);
          t.fees_micros = EA_MICROS (4) * t.qty;
          t.pnl_micros = pnl_ticks * EA_MICROS (12) + 500000 * pnl_ticks * t.qty - t.fees_micros;
          t.mae_ticks = (seed >> 5) % 9;
          t.mfe_ticks = (seed >> 7) % 14;
          t.tags = (char *) tags[(seed >> 12) % G_N_ELEMENTS (tags)];
          t.notes = (char *) notes[(seed >> 14) % G_N_ELEMENTS (notes)];
          g_array_append_val (trades, t);
        }
    }
  g_assert_cmpint (jt_insert_trades (journal, (EaJournalTrade *) (gpointer) trades->data, trades->len,
                                     &error), >, 0);
  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    {
      static const EaJournalRiskKind kinds[] = {
        EA_JOURNAL_RISK_WARNING, EA_JOURNAL_RISK_DENIAL, EA_JOURNAL_RISK_LOCK, EA_JOURNAL_RISK_UNLOCK,
      };
      static const char *reasons[] = { "DAILY_LOSS_80", "MAX_CONTRACTS", "DAILY_LOSS", "NEW_DAY" };

      JT_CALL (ea_journal_record_risk_event_finish (journal, r, &error),
               ea_journal_record_risk_event_async (journal, account, kinds[i], reasons[i],
                                                   "{\"day_pnl\": -412.5, \"limit\": 500}",
                                                   EA_ACTOR_AUTOMATIC, NULL, jt_store_cb, &r));
      g_assert_no_error (error);
    }
}

static void
test_screenshot (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("ea-journal-shot-XXXXXX", &error);
  g_autofree char *path = g_build_filename (tmp, "journal.sqlite3", NULL);
  static const struct { const char *page, *file; } shots[] = {
    { "overview", "journal.png" },
    { "trades", "journal-trades.png" },
    { "risk", "journal-risk.png" },
    { "audit", "journal-audit.png" },
  };
  EaJournal *journal;
  EaJournalWindow *window;
  gint64 account;

  load_style ();
  g_assert_no_error (error);
  journal = ea_journal_new_sync (path, NULL, &error);
  g_assert_no_error (error);
  account = jt_ensure_account (journal, "sim", "DEMO-50K", &error);
  g_assert_no_error (error);
  fill_demo_journal (journal, account);

  window = ea_journal_window_new (NULL, journal, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1320, 900);
  gtk_window_present (GTK_WINDOW (window));
  wait_idle (window);
  ea_journal_window_show_month (window, 2026, 11);
  g_assert_true (ea_journal_window_select_trade (window, 118));
  g_assert_false (ea_journal_window_select_trade (window, 100000));
  g_mkdir_with_parents (dir, 0755);

  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      g_autofree char *file = g_build_filename (dir, shots[i].file, NULL);
      ea_journal_window_set_page (window, shots[i].page);
      ea_test_iterate (400);
      g_assert_true (ea_test_save_screenshot (GTK_WIDGET (window), file, &error));
      g_assert_no_error (error);
      g_test_message ("Screenshot: %s", file);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  ea_test_iterate (20);
  jt_close (journal);
  jt_rm_rf (tmp);
}

/* app.journal opens one journal window on the default journal (in the
 * temporary XDG_DATA_HOME set up by main()). */
static void
test_application_action (void)
{
  g_autoptr(EaApplication) app = ea_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_getenv ("EA_JOURNAL_PATH") != NULL ? g_strdup (g_getenv ("EA_JOURNAL_PATH"))
                                                                   : ea_journal_default_path ();
  EaJournalWindow *window = NULL;
  guint n_windows = 0;

  load_style ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "journal"));

  for (guint i = 0; i < 2; i++)
    {
      g_action_group_activate_action (G_ACTION_GROUP (app), "journal", NULL);
      ea_test_iterate (50);
    }
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (EA_IS_JOURNAL_WINDOW (l->data))
      {
        window = l->data;
        n_windows++;
      }
  g_assert_cmpuint (n_windows, ==, 1);
  g_assert_true (ea_journal_window_get_journal (window) == ea_application_get_journal (app));
  g_assert_cmpstr (ea_journal_get_path (ea_journal_window_get_journal (window)), ==, expected);
  wait_idle (window);
  g_assert_cmpuint (ea_journal_window_get_n_trade_rows (window), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
  ea_test_iterate (20);
}

#define ADD(name, func) \
  g_test_add ("/journal-window/" name, WinFixture, NULL, win_setup, func, win_teardown)

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("ea-journal-window-data-XXXXXX", NULL);
  int ret;

  /* Before anything reads the XDG folders: the default journal goes there. */
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  gtk_test_init (&argc, &argv, NULL);

  ADD ("tiles", test_tiles);
  ADD ("filters", test_filters);
  ADD ("calendar", test_calendar);
  ADD ("notes", test_notes);
  ADD ("notes-editor", test_notes_editor);
  ADD ("sort-and-filter-bar", test_sort_and_filter_bar);
  ADD ("export", test_export);
  ADD ("export-button", test_export_button);
  ADD ("export-chooser", test_export_chooser_appears);
  ADD ("tampered-audit", test_tampered_audit);
  ADD ("equity-floor", test_equity_floor);
  g_test_add_func ("/journal-window/open-error", test_open_error);
  g_test_add_func ("/journal-window/screenshot", test_screenshot);
  g_test_add_func ("/journal-window/application-action", test_application_action);

  ret = g_test_run ();
  jt_rm_rf (data_home);
  return ret;
}
