/* ea-signals-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Active Enigma signals, the ERM's reversal budget, manual signal entry
 * and, in Demo, a clearly labelled built-in source (EMA crossover) so the
 * panel has life.
 */
#define G_LOG_DOMAIN "ea-signals-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-columns.h"
#include "ea-demo-signals.h"
#include "ea-session.h"
#include "ea-signals-panel.h"

#define DEMO_FAST 9
#define DEMO_SLOW 21
#define DEMO_BAR_USEC (5 * G_USEC_PER_SEC)

struct _EaSignalsPanel
{
  GtkBox              parent_instance;

  EaTradingStore     *store;
  GtkCustomFilter    *filter;
  GtkFilterListModel *active;
  GHashTable         *demo_sources;   /* symbol → EaDemoSignals */
  gboolean            demo;

  GtkWidget          *reversals_label;
  GtkWidget          *demo_box;
  GtkWidget          *demo_switch;
  GtkWidget          *list_stack;
  GtkWidget          *signal_list;
  GtkWidget          *erm_list;
  GtkWidget          *manual_symbol;
  GtkWidget          *manual_direction;
  GtkWidget          *manual_price;
  GtkWidget          *manual_power;
  GtkWidget          *manual_confluence;
  GtkWidget          *manual_confidence;
  GtkWidget          *manual_add;
  GtkWidget          *manual_error;
};

G_DEFINE_FINAL_TYPE (EaSignalsPanel, ea_signals_panel, GTK_TYPE_BOX)

enum { SIGNAL_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static char *
signal_text (EaSignal *s)
{
  g_autofree char *time = ea_format_time (ea_signal_get_time (s));
  g_autofree char *price = ea_format_price (ea_signal_get_symbol (s), ea_signal_get_entry_price (s));
  gboolean demo = g_strcmp0 (ea_signal_get_source (s), "demo") == 0;

  /* Translators: "12:01:03  ES ▲ LONG @ 6801.25", then "power 85 · C2". */
  return g_strdup_printf ("%s  %s %s @ %s\n%s %u · C%u%s", time, ea_signal_get_symbol (s),
                          ea_signal_get_direction (s) > 0 ? _("▲ LONG") : _("▼ SHORT"),
                          price, _("power"), ea_signal_get_power_score (s),
                          ea_signal_get_confluence (s), demo ? _(" · demo") : "");
}

static void
row_setup_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
row_bind_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item)
{
  EaSignal *s = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = signal_text (s);

  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_remove_css_class (label, "buy");
  gtk_widget_remove_css_class (label, "sell");
  gtk_widget_add_css_class (label, ea_signal_get_direction (s) > 0 ? "buy" : "sell");
}

static gboolean
signal_active (gpointer item,
               gpointer user_data)
{
  return ea_signal_get_active (EA_SIGNAL (item));
}

static void
update_empty (EaSignalsPanel *self)
{
  gtk_stack_set_visible_child_name (GTK_STACK (self->list_stack),
                                    g_list_model_get_n_items (G_LIST_MODEL (self->active)) > 0
                                    ? "list" : "empty");
}

static void
signal_notify_active_cb (EaSignalsPanel *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* A new signal on a symbol replaces the older ones on it. */
static void
signals_changed_cb (GListModel     *model,
                    guint           position,
                    guint           removed,
                    guint           added,
                    EaSignalsPanel *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(EaSignal) s = g_list_model_get_item (model, i);

      g_signal_connect_object (s, "notify::active", G_CALLBACK (signal_notify_active_cb),
                               self, G_CONNECT_SWAPPED);
      for (guint j = 0; j < i; j++)
        {
          g_autoptr(EaSignal) older = g_list_model_get_item (model, j);
          if (ea_signal_get_active (older) &&
              g_strcmp0 (ea_signal_get_symbol (older), ea_signal_get_symbol (s)) == 0)
            ea_signal_set_active (older, FALSE);
        }
    }
}

static void
activate_cb (EaSignalsPanel *self,
             guint           position)
{
  g_autoptr(EaSignal) s = g_list_model_get_item (G_LIST_MODEL (self->active), position);

  if (s != NULL)
    g_signal_emit (self, signals[SIGNAL_ACTIVATED], 0, s);
}

static void
quote_time_cb (EaQuote        *quote,
               GParamSpec     *pspec,
               EaSignalsPanel *self)
{
  const char *symbol = ea_quote_get_symbol (quote);
  EaDemoSignals *source;
  EaDemoSignal out;
  EaTicks price;

  if (!self->demo || !gtk_switch_get_active (GTK_SWITCH (self->demo_switch)))
    return;

  source = g_hash_table_lookup (self->demo_sources, symbol);
  if (source == NULL)
    {
      source = ea_demo_signals_new (DEMO_FAST, DEMO_SLOW, DEMO_BAR_USEC);
      g_hash_table_insert (self->demo_sources, g_strdup (symbol), source);
    }

  price = ea_quote_get_last (quote);
  if (price == 0)
    price = (ea_quote_get_bid (quote) + ea_quote_get_ask (quote)) / 2;

  if (ea_demo_signals_add_price (source, ea_quote_get_time (quote), price, &out))
    {
      g_autoptr(EaSignal) s = ea_signal_new (out.time, symbol, (int) out.direction, out.entry,
                                             out.power_score, 1, "demo", NULL, out.atr, "demo");
      ea_trading_store_add_signal (self->store, s);
    }
}

static void
quotes_changed_cb (GListModel     *model,
                   guint           position,
                   guint           removed,
                   guint           added,
                   EaSignalsPanel *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(EaQuote) q = g_list_model_get_item (model, i);
      g_signal_connect_object (q, "notify::time", G_CALLBACK (quote_time_cb), self, 0);
    }
}

gboolean
ea_signals_panel_add_manual (EaSignalsPanel *self)
{
  const char *symbol = gtk_editable_get_text (GTK_EDITABLE (self->manual_symbol));
  const char *price_text = gtk_editable_get_text (GTK_EDITABLE (self->manual_price));
  const EaInstrumentSpec *spec = ea_format_spec (symbol);
  g_autoptr(GError) error = NULL;
  g_autoptr(EaSignal) s = NULL;
  EaTicks price;
  int direction;
  double confidence;

  g_return_val_if_fail (EA_IS_SIGNALS_PANEL (self), FALSE);

  if (self->store == NULL)
    return FALSE;

  if (spec == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->manual_error), _("Unknown instrument"));
      return FALSE;
    }
  if (!ea_instrument_parse_price (spec, price_text, &price, &error))
    {
      gtk_label_set_text (GTK_LABEL (self->manual_error), error->message);
      return FALSE;
    }

  direction = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->manual_direction)) == 1 ? -1 : 1;
  confidence = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->manual_confidence));
  s = ea_signal_new (g_get_real_time (), symbol, direction, price,
                     (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->manual_power)),
                     (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->manual_confluence)),
                     NULL, NULL, 0.0, "manual");
  ea_signal_set_confidence (s, confidence / 100.0);
  ea_trading_store_add_signal (self->store, s);
  gtk_label_set_text (GTK_LABEL (self->manual_error), "");
  return TRUE;
}

static void
ea_signals_panel_dispose (GObject *object)
{
  EaSignalsPanel *self = EA_SIGNALS_PANEL (object);

  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_data (ea_trading_store_get_signals (self->store), self);
      g_signal_handlers_disconnect_by_data (ea_trading_store_get_quotes (self->store), self);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), EA_TYPE_SIGNALS_PANEL);
  g_clear_object (&self->store);
  g_clear_object (&self->active);
  g_clear_pointer (&self->demo_sources, g_hash_table_unref);

  G_OBJECT_CLASS (ea_signals_panel_parent_class)->dispose (object);
}

static void
ea_signals_panel_class_init (EaSignalsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ea_signals_panel_dispose;

  signals[SIGNAL_ACTIVATED] =
    g_signal_new ("signal-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, EA_TYPE_SIGNAL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/ea-signals-panel.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, EaSignalsPanel, name)
  BIND (erm_list);
  BIND (reversals_label);
  BIND (demo_box);
  BIND (demo_switch);
  BIND (list_stack);
  BIND (signal_list);
  BIND (manual_symbol);
  BIND (manual_direction);
  BIND (manual_price);
  BIND (manual_power);
  BIND (manual_confluence);
  BIND (manual_confidence);
  BIND (manual_add);
  BIND (manual_error);
#undef BIND
}

static void
ea_signals_panel_init (EaSignalsPanel *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkSingleSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->demo_sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) ea_demo_signals_free);
  self->filter = gtk_custom_filter_new (signal_active, NULL, NULL);
  self->active = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  g_signal_connect_object (self->active, "items-changed", G_CALLBACK (update_empty), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect (factory, "setup", G_CALLBACK (row_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind_cb), NULL);
  gtk_list_view_set_factory (GTK_LIST_VIEW (self->signal_list), factory);
  g_object_unref (factory);
  selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->active)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_list_view_set_model (GTK_LIST_VIEW (self->signal_list), GTK_SELECTION_MODEL (selection));
  gtk_list_view_set_single_click_activate (GTK_LIST_VIEW (self->signal_list), FALSE);
  g_signal_connect_swapped (self->signal_list, "activate", G_CALLBACK (activate_cb), self);
  g_signal_connect_swapped (self->manual_add, "clicked", G_CALLBACK (ea_signals_panel_add_manual), self);

  update_empty (self);
}

/* ERM alerts, newest first. */
static int
erm_newest_first (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  EaTimeUs ta = ea_erm_event_get_alert (EA_ERM_EVENT ((gpointer) a))->time;
  EaTimeUs tb = ea_erm_event_get_alert (EA_ERM_EVENT ((gpointer) b))->time;

  return ta < tb ? GTK_ORDERING_LARGER : ta > tb ? GTK_ORDERING_SMALLER : GTK_ORDERING_EQUAL;
}

static GtkWidget *
create_erm_row (gpointer item,
                gpointer user_data)
{
  g_autofree char *text = ea_erm_event_format (EA_ERM_EVENT (item), ea_session_zone_new_york ());
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "caption");
  return label;
}

GtkWidget *
ea_signals_panel_new (void)
{
  return g_object_new (EA_TYPE_SIGNALS_PANEL, NULL);
}

void
ea_signals_panel_set_store (EaSignalsPanel *self,
                            EaTradingStore *store)
{
  GListModel *model;

  g_return_if_fail (EA_IS_SIGNALS_PANEL (self));
  g_return_if_fail (EA_IS_TRADING_STORE (store));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  model = ea_trading_store_get_signals (store);
  /* The filtered list takes in a change before the handler below retires
   * older signals: the re-filter their retirement causes must not run
   * while the filtered list is still behind the store (it would count a
   * signal twice). */
  gtk_filter_list_model_set_model (self->active, model);
  g_signal_connect (model, "items-changed", G_CALLBACK (signals_changed_cb), self);
  signals_changed_cb (model, 0, 0, g_list_model_get_n_items (model), self);

  model = ea_trading_store_get_quotes (store);
  g_signal_connect (model, "items-changed", G_CALLBACK (quotes_changed_cb), self);
  quotes_changed_cb (model, 0, 0, g_list_model_get_n_items (model), self);

  {
    GtkSorter *sorter = GTK_SORTER (gtk_custom_sorter_new (erm_newest_first, NULL, NULL));
    g_autoptr(GtkSortListModel) newest = gtk_sort_list_model_new (g_object_ref (ea_trading_store_get_erm_events (store)),
                                                                  sorter);

    gtk_list_box_bind_model (GTK_LIST_BOX (self->erm_list), G_LIST_MODEL (newest),
                             create_erm_row, NULL, NULL);
  }
}

GtkWidget *
ea_signals_panel_get_erm_list (EaSignalsPanel *self)
{
  g_return_val_if_fail (EA_IS_SIGNALS_PANEL (self), NULL);

  return self->erm_list;
}

void
ea_signals_panel_set_demo (EaSignalsPanel *self,
                           gboolean        demo)
{
  g_return_if_fail (EA_IS_SIGNALS_PANEL (self));

  self->demo = demo;
  gtk_widget_set_visible (self->demo_box, demo);
}

void
ea_signals_panel_set_reversals (EaSignalsPanel *self,
                                const char     *symbol,
                                guint           remaining,
                                guint           max)
{
  g_autofree char *text = NULL;

  g_return_if_fail (EA_IS_SIGNALS_PANEL (self));

  if (symbol != NULL && *symbol != '\0')
    /* Translators: an instrument, then the ERM reversals left today. */
    text = g_strdup_printf (_("%s reversals remaining %u/%u"), symbol, remaining, max);
  else
    text = g_strdup_printf (_("Reversals remaining %u/%u"), remaining, max);
  gtk_label_set_text (GTK_LABEL (self->reversals_label), text);
}

/* How ERM judges the instrument: shown as the reversal count's tooltip. */
void
ea_signals_panel_set_reversals_detail (EaSignalsPanel *self,
                                       const char     *detail)
{
  g_return_if_fail (EA_IS_SIGNALS_PANEL (self));

  gtk_widget_set_tooltip_text (self->reversals_label, detail);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reversals_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, detail ? detail : "", -1);
}

const char *
ea_signals_panel_get_reversals_detail (EaSignalsPanel *self)
{
  g_return_val_if_fail (EA_IS_SIGNALS_PANEL (self), NULL);

  return gtk_widget_get_tooltip_text (self->reversals_label);
}

const char *
ea_signals_panel_get_reversals_text (EaSignalsPanel *self)
{
  g_return_val_if_fail (EA_IS_SIGNALS_PANEL (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->reversals_label));
}

GListModel *
ea_signals_panel_get_active (EaSignalsPanel *self)
{
  g_return_val_if_fail (EA_IS_SIGNALS_PANEL (self), NULL);

  return G_LIST_MODEL (self->active);
}
