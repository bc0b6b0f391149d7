/* ea-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The price chart widget. The view model (ea-chart-view.c) holds the data
 * and the visible range; the renderer (ea-chart-render.c) paints it here
 * through a GtkSnapshot painter: colour nodes for rectangles and grid
 * lines, layout nodes for text, Cairo nodes for paths. Live prints are
 * coalesced and applied once per frame from the frame clock.
 */
#define G_LOG_DOMAIN "ea-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ea-chart-private.h"

G_DEFINE_FINAL_TYPE (EaChart, ea_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BAR_SPEC,
  PROP_FOLLOWING,
  PROP_CHART_STYLE,
  N_PROPS
};

enum {
  VALIDATE_DRAG,
  ORDER_DRAG_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Colours ----------------------------------------------------------- */

static void
update_palette (EaChart *self)
{
  gboolean dark = FALSE;
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (self));

  if (settings != NULL)
    g_object_get (settings, "gtk-application-prefer-dark-theme", &dark, NULL);
#if GTK_CHECK_VERSION (4, 10, 0) && GDK_VERSION_MAX_ALLOWED >= GDK_VERSION_4_10
  {
    GdkRGBA fg;

    gtk_widget_get_color (GTK_WIDGET (self), &fg);
    /* A light foreground means a dark theme. */
    dark = (fg.red + fg.green + fg.blue) / 3 > 0.5;
    ea_chart_palette_init (&self->palette, dark, &fg);
  }
#else
  ea_chart_palette_init (&self->palette, dark, NULL);
#endif
}

static void
ea_chart_css_changed (GtkWidget         *widget,
                      GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (ea_chart_parent_class)->css_changed (widget, change);
  update_palette (EA_CHART (widget));
  gtk_widget_queue_draw (widget);
}

/* Drawing ----------------------------------------------------------- */

static void
ea_chart_size_allocate (GtkWidget *widget,
                        int        width,
                        int        height,
                        int        baseline)
{
  EaChart *self = EA_CHART (widget);

  ea_chart_view_set_size (self->view, width, height);
  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
}

static const char * const style_names[] = { "candles", "ohlc", "line" };

static void
on_secondary_pressed (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      EaChart         *self)
{
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

/* A context menu switching this chart's bar type and style, through the
 * property actions chart.bar-spec and chart.style. */
static void
setup_menu (EaChart *self)
{
  static const char * const specs[][2] = {
    { N_("1 second"), "1s" }, { N_("1 minute"), "1m" }, { N_("5 minutes"), "5m" },
    { N_("15 minutes"), "15m" }, { N_("1 hour"), "1h" }, { N_("1 day"), "1d" },
    { N_("4-tick range"), "4R" }, { N_("8-tick range"), "8R" }, { N_("16-tick range"), "16R" },
  };
  static const char * const styles[][2] = {
    { N_("Candlesticks"), "candles" }, { N_("OHLC bars"), "ohlc" }, { N_("Line"), "line" },
  };
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) bars = g_menu_new ();
  g_autoptr(GMenu) kinds = g_menu_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_(specs[i][0]), NULL);

      g_menu_item_set_action_and_target (item, "chart.bar-spec", "s", specs[i][1]);
      g_menu_append_item (bars, item);
    }
  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_(styles[i][0]), NULL);

      g_menu_item_set_action_and_target (item, "chart.style", "s", styles[i][1]);
      g_menu_append_item (kinds, item);
    }
  g_menu_append_section (menu, _("Bars"), G_MENU_MODEL (bars));
  g_menu_append_section (menu, _("Style"), G_MENU_MODEL (kinds));

  self->menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_secondary_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

static void
ea_chart_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  EaChart *self = EA_CHART (widget);
  EaChartSnapshotPainter painter;

  ea_chart_snapshot_painter_init (&painter, snapshot, gtk_widget_get_pango_context (widget));
  ea_chart_flush_live (self);
  ea_chart_view_set_size (self->view, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  ea_chart_render (self->view, &painter.parent, &self->palette);
  self->n_frames++;
}

static void
ea_chart_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 800 : 400;
}

/* Live data --------------------------------------------------------- */

static gboolean
live_tick (GtkWidget     *widget,
           GdkFrameClock *clock,
           gpointer       user_data)
{
  EaChart *self = EA_CHART (widget);

  self->tick_id = 0;
  ea_chart_flush_live (self);
  gtk_widget_queue_draw (widget);
  return G_SOURCE_REMOVE;
}

static void
schedule_frame (EaChart *self)
{
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), live_tick, NULL, NULL);
}

void
ea_chart_flush_live (EaChart *self)
{
  const EaBar *forming;
  gboolean following;

  g_return_if_fail (EA_IS_CHART (self));

  if (!self->forming_dirty || self->builder == NULL)
    return;
  self->forming_dirty = FALSE;
  forming = ea_bar_builder_peek_forming (self->builder);
  following = ea_chart_view_get_following (self->view);
  if (forming != NULL)
    ea_chart_view_update_forming (self->view, forming);
  if (following != ea_chart_view_get_following (self->view))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
}

static void
rebuild_from_trades (EaChart *self)
{
  g_autoptr(GArray) bars = g_array_new (FALSE, FALSE, sizeof (EaBar));
  const EaTrade *trades = (const EaTrade *) (gpointer) self->trades->data;
  const EaBar *forming;

  g_clear_pointer (&self->builder, ea_bar_builder_free);
  self->builder = ea_bar_builder_new (&self->spec, NULL);
  for (gsize i = 0; i < self->trades->len; i++)
    {
      EaBar closed;

      if (ea_bar_builder_push (self->builder, trades[i].time, trades[i].price, trades[i].volume, &closed))
        g_array_append_val (bars, closed);
    }
  ea_chart_view_set_bars (self->view, (const EaBar *) (gpointer) bars->data, bars->len);
  forming = ea_bar_builder_peek_forming (self->builder);
  if (forming != NULL)
    ea_chart_view_update_forming (self->view, forming);
  self->forming_dirty = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
ea_chart_set_bar_spec (EaChart          *self,
                       const EaBarSpec  *spec,
                       GError          **error)
{
  g_return_val_if_fail (EA_IS_CHART (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  if (!ea_bar_spec_validate (spec, error))
    return FALSE;
  self->spec = *spec;
  if (self->trades->len > 0)
    rebuild_from_trades (self);
  else
    {
      g_clear_pointer (&self->builder, ea_bar_builder_free);
      self->builder = ea_bar_builder_new (&self->spec, NULL);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BAR_SPEC]);
  return TRUE;
}

const EaBarSpec *
ea_chart_get_bar_spec (EaChart *self)
{
  g_return_val_if_fail (EA_IS_CHART (self), NULL);
  return &self->spec;
}

static gboolean
check_trade (EaChart        *self,
             const EaTrade  *trade,
             const EaTrade  *previous,
             GError        **error)
{
  if (trade->volume < 0)
    {
      g_set_error (error, EA_BARS_ERROR, EA_BARS_ERROR_INVALID_TRADE,
                   _("Trade with a negative volume (%" G_GINT64_FORMAT ")"), trade->volume);
      return FALSE;
    }
  if (previous != NULL && trade->time < previous->time)
    {
      g_set_error (error, EA_BARS_ERROR, EA_BARS_ERROR_INVALID_TRADE,
                   _("Trade out of time order"));
      return FALSE;
    }
  return TRUE;
}

gboolean
ea_chart_set_trades (EaChart        *self,
                     const EaTrade  *trades,
                     gsize           n_trades,
                     GError        **error)
{
  g_return_val_if_fail (EA_IS_CHART (self), FALSE);
  g_return_val_if_fail (n_trades == 0 || trades != NULL, FALSE);

  for (gsize i = 0; i < n_trades; i++)
    if (!check_trade (self, &trades[i], i > 0 ? &trades[i - 1] : NULL, error))
      return FALSE;
  g_array_set_size (self->trades, 0);
  g_array_append_vals (self->trades, trades, n_trades);
  rebuild_from_trades (self);
  return TRUE;
}

gboolean
ea_chart_push_trade (EaChart   *self,
                     EaTimeUs   time,
                     EaTicks    price,
                     gint64     volume,
                     GError   **error)
{
  EaTrade trade = { time, price, volume };
  EaBar closed;

  g_return_val_if_fail (EA_IS_CHART (self), FALSE);

  if (!check_trade (self, &trade,
                    self->trades->len > 0 ? &g_array_index (self->trades, EaTrade, self->trades->len - 1) : NULL,
                    error))
    return FALSE;
  g_array_append_val (self->trades, trade);
  if (self->builder == NULL)
    self->builder = ea_bar_builder_new (&self->spec, NULL);
  if (ea_bar_builder_push (self->builder, time, price, volume, &closed))
    {
      gboolean following = ea_chart_view_get_following (self->view);

      ea_chart_view_append_bar (self->view, &closed);
      if (following != ea_chart_view_get_following (self->view))
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
    }
  self->forming_dirty = TRUE;
  schedule_frame (self);
  return TRUE;
}

void
ea_chart_set_bars (EaChart     *self,
                   const EaBar *bars,
                   gsize        n_bars)
{
  g_return_if_fail (EA_IS_CHART (self));
  g_array_set_size (self->trades, 0);
  g_clear_pointer (&self->builder, ea_bar_builder_free);
  self->forming_dirty = FALSE;
  ea_chart_view_set_bars (self->view, bars, n_bars);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ea_chart_append_bar (EaChart     *self,
                     const EaBar *bar)
{
  g_return_if_fail (EA_IS_CHART (self));
  ea_chart_view_append_bar (self->view, bar);
  schedule_frame (self);
}

void
ea_chart_update_forming (EaChart     *self,
                         const EaBar *bar)
{
  g_return_if_fail (EA_IS_CHART (self));
  ea_chart_view_update_forming (self->view, bar);
  schedule_frame (self);
}

/* Overlays ---------------------------------------------------------- */

void
ea_chart_set_instrument (EaChart                *self,
                         const EaInstrumentSpec *spec)
{
  g_return_if_fail (EA_IS_CHART (self));
  ea_chart_view_set_instrument (self->view, spec);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ea_chart_set_style (EaChart      *self,
                    EaChartStyle  style)
{
  g_return_if_fail (EA_IS_CHART (self));
  if (style == ea_chart_view_get_style (self->view))
    return;
  ea_chart_view_set_style (self->view, style);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHART_STYLE]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ea_chart_set_emas (EaChart     *self,
                   const guint *periods,
                   guint        n_periods)
{
  g_return_if_fail (EA_IS_CHART (self));
  ea_chart_view_set_emas (self->view, periods, n_periods);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ea_chart_set_atr_bands (EaChart  *self,
                        gboolean  enabled,
                        guint     period,
                        double    multiplier)
{
  g_return_if_fail (EA_IS_CHART (self));
  ea_chart_view_set_atr_bands (self->view, enabled, period, multiplier);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ea_chart_set_position (EaChart  *self,
                       gboolean  has_position,
                       EaTicks   avg_price,
                       gint64    qty)
{
  g_return_if_fail (EA_IS_CHART (self));
  ea_chart_view_set_position (self->view, has_position, avg_price, qty);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ea_chart_set_floor_price (EaChart  *self,
                          gboolean  has_floor,
                          EaTicks   price)
{
  g_return_if_fail (EA_IS_CHART (self));
  ea_chart_view_set_floor_price (self->view, has_floor, price);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ea_chart_set_orders (EaChart            *self,
                     const EaChartOrder *orders,
                     gsize               n_orders)
{
  g_return_if_fail (EA_IS_CHART (self));
  ea_chart_view_set_orders (self->view, orders, n_orders);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ea_chart_set_markers (EaChart             *self,
                      EaChartMarkerKind    kind,
                      const EaChartMarker *markers,
                      gsize                n_markers)
{
  g_return_if_fail (EA_IS_CHART (self));
  ea_chart_view_set_markers (self->view, kind, markers, n_markers);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

EaChartView *
ea_chart_get_view (EaChart *self)
{
  g_return_val_if_fail (EA_IS_CHART (self), NULL);
  return self->view;
}

guint
ea_chart_get_n_frames (EaChart *self)
{
  g_return_val_if_fail (EA_IS_CHART (self), 0);
  return self->n_frames;
}

/* GObject ----------------------------------------------------------- */

static void
ea_chart_dispose (GObject *object)
{
  EaChart *self = EA_CHART (object);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  G_OBJECT_CLASS (ea_chart_parent_class)->dispose (object);
}

static void
ea_chart_finalize (GObject *object)
{
  EaChart *self = EA_CHART (object);

  g_clear_pointer (&self->view, ea_chart_view_free);
  g_clear_pointer (&self->builder, ea_bar_builder_free);
  g_clear_pointer (&self->trades, g_array_unref);
  G_OBJECT_CLASS (ea_chart_parent_class)->finalize (object);
}

static void
ea_chart_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  EaChart *self = EA_CHART (object);

  switch (prop_id)
    {
    case PROP_BAR_SPEC:
      g_value_take_string (value, ea_bar_spec_format (&self->spec));
      break;
    case PROP_FOLLOWING:
      g_value_set_boolean (value, ea_chart_view_get_following (self->view));
      break;
    case PROP_CHART_STYLE:
      g_value_set_string (value, style_names[ea_chart_view_get_style (self->view)]);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_chart_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  EaChart *self = EA_CHART (object);

  switch (prop_id)
    {
    case PROP_BAR_SPEC:
      {
        g_autoptr(GError) error = NULL;
        EaBarSpec spec;

        if (!ea_bar_spec_parse (g_value_get_string (value), &spec, &error)
            || !ea_chart_set_bar_spec (self, &spec, &error))
          g_message ("Bar type not changed: %s", error->message);
      }
      break;
    case PROP_CHART_STYLE:
      for (guint i = 0; i < G_N_ELEMENTS (style_names); i++)
        if (g_strcmp0 (g_value_get_string (value), style_names[i]) == 0)
          ea_chart_set_style (self, (EaChartStyle) i);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
all_approve (GSignalInvocationHint *hint,
             GValue                *return_accu,
             const GValue          *handler_return,
             gpointer               data)
{
  gboolean ok = g_value_get_boolean (handler_return);

  g_value_set_boolean (return_accu, ok);
  return ok;
}

static void
ea_chart_class_init (EaChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ea_chart_dispose;
  object_class->finalize = ea_chart_finalize;
  object_class->get_property = ea_chart_get_property;
  object_class->set_property = ea_chart_set_property;

  widget_class->snapshot = ea_chart_snapshot;
  widget_class->size_allocate = ea_chart_size_allocate;
  widget_class->measure = ea_chart_measure;
  widget_class->css_changed = ea_chart_css_changed;

  /**
   * EaChart:bar-spec:
   *
   * The bar type as text: "1s" … "1d" for time bars, "4R" for range bars.
   */
  properties[PROP_BAR_SPEC] =
    g_param_spec_string ("bar-spec", NULL, NULL, "1m",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLLOWING] =
    g_param_spec_boolean ("following", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * EaChart:chart-style:
   *
   * "candles", "ohlc" or "line".
   */
  properties[PROP_CHART_STYLE] =
    g_param_spec_string ("chart-style", NULL, NULL, "candles",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_property_action (widget_class, "chart.bar-spec", "bar-spec");
  gtk_widget_class_install_property_action (widget_class, "chart.style", "chart-style");

  /**
   * EaChart::validate-drag:
   * @order_id: the dragged order
   * @new_price: the price (ticks) it was dropped at
   *
   * Asks whether the order may be modified to @new_price (the desk's risk
   * check). Every handler must return %TRUE; with no handler the drag is
   * refused.
   */
  signals[VALIDATE_DRAG] =
    g_signal_new ("validate-drag", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, all_approve, NULL, NULL,
                  G_TYPE_BOOLEAN, 2, G_TYPE_STRING, G_TYPE_INT64);

  /**
   * EaChart::order-drag-finished:
   * @order_id: the dragged order
   * @new_price: the validated price (ticks)
   *
   * The owner modifies the order through the desk; the line moves when
   * the confirmed orders are set again.
   */
  signals[ORDER_DRAG_FINISHED] =
    g_signal_new ("order-drag-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT64);

  gtk_widget_class_set_css_name (widget_class, "eachart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ea_chart_init (EaChart *self)
{
  self->view = ea_chart_view_new ();
  self->trades = g_array_new (FALSE, FALSE, sizeof (EaTrade));
  self->spec = ea_bar_spec_time (60 * G_USEC_PER_SEC, 0);
  ea_chart_palette_init (&self->palette, FALSE, NULL);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  ea_chart_setup_controllers (self);
  setup_menu (self);
}

GtkWidget *
ea_chart_new (void)
{
  return g_object_new (EA_TYPE_CHART, NULL);
}
