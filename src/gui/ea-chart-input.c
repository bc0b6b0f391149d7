/* ea-chart-input.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The chart's interaction: wheel zoom around the pointer, drag to pan or
 * to move a working order (through "validate-drag", the risk check),
 * keyboard navigation, the crosshair and marker/order tooltips.
 */
#define G_LOG_DOMAIN "ea-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ea-chart-private.h"

#define ZOOM_STEP 1.15
#define PAN_STEP  12.0   /* pixels per horizontal wheel unit */

static void
notify_following (EaChart  *self,
                  gboolean  was)
{
  if (was != ea_chart_view_get_following (self->view))
    g_object_notify (G_OBJECT (self), "following");
}

void
ea_chart_pointer_motion (EaChart *self,
                         double   x,
                         double   y)
{
  gint64 order;
  const char *cursor = "crosshair";

  g_return_if_fail (EA_IS_CHART (self));

  self->pointer_x = x;
  self->pointer_y = y;
  ea_chart_view_set_pointer (self->view, TRUE, x, y);
  order = ea_chart_view_order_at (self->view, x, y);
  if (self->dragging_order)
    cursor = "ns-resize";
  else if (order >= 0)
    {
      gsize n;
      const EaChartOrder *orders = ea_chart_view_get_orders (self->view, &n);

      if (orders[order].draggable)
        cursor = "ns-resize";
    }
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), cursor);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ea_chart_pointer_leave (EaChart *self)
{
  g_return_if_fail (EA_IS_CHART (self));
  ea_chart_view_set_pointer (self->view, FALSE, 0, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
ea_chart_scroll (EaChart *self,
                 double   dx,
                 double   dy)
{
  gboolean was;

  g_return_val_if_fail (EA_IS_CHART (self), FALSE);

  was = ea_chart_view_get_following (self->view);
  if (dy != 0)
    ea_chart_view_zoom_at (self->view, self->pointer_x, pow (ZOOM_STEP, -dy));
  if (dx != 0)
    ea_chart_view_pan_px (self->view, -dx * PAN_STEP);
  notify_following (self, was);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

void
ea_chart_drag_begin (EaChart *self,
                     double   x,
                     double   y)
{
  gint64 order;

  g_return_if_fail (EA_IS_CHART (self));

  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_last_dx = 0;
  self->drag_start_y = y;
  order = ea_chart_view_order_at (self->view, x, y);
  self->dragging_order = order >= 0 && ea_chart_view_begin_order_drag (self->view, order);
}

void
ea_chart_drag_update (EaChart *self,
                      double   offset_x,
                      double   offset_y)
{
  g_return_if_fail (EA_IS_CHART (self));

  if (self->dragging_order)
    ea_chart_view_update_order_drag (self->view, self->drag_start_y + offset_y);
  else
    {
      gboolean was = ea_chart_view_get_following (self->view);

      ea_chart_view_pan_px (self->view, offset_x - self->drag_last_dx);
      self->drag_last_dx = offset_x;
      notify_following (self, was);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ea_chart_drag_end (EaChart *self,
                   double   offset_x,
                   double   offset_y)
{
  g_autofree char *order_id = NULL;
  EaTicks price;
  gboolean approved = FALSE;

  g_return_if_fail (EA_IS_CHART (self));

  ea_chart_drag_update (self, offset_x, offset_y);
  if (!self->dragging_order)
    return;
  self->dragging_order = FALSE;

  /* The order keeps its confirmed price whatever happens here. */
  if (!ea_chart_view_end_order_drag (self->view, FALSE, &order_id, &price))
    return;
  g_signal_emit_by_name (self, "validate-drag", order_id, (gint64) price, &approved);
  if (!approved)
    {
      g_debug ("Drag of order %s to %" G_GINT64_FORMAT " refused", order_id, price);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  ea_chart_view_add_pending (self->view, order_id, price);
  g_signal_emit_by_name (self, "order-drag-finished", order_id, (gint64) price);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
ea_chart_key_pressed (EaChart         *self,
                      guint            keyval,
                      GdkModifierType  state)
{
  double step = (state & GDK_SHIFT_MASK) ? 10 : 1;
  EaChartRect plot;
  gboolean was;

  g_return_val_if_fail (EA_IS_CHART (self), FALSE);

  was = ea_chart_view_get_following (self->view);
  plot = ea_chart_view_get_plot_rect (self->view);
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      ea_chart_view_scroll_bars (self->view, -step);
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      ea_chart_view_scroll_bars (self->view, step);
      break;
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
    case GDK_KEY_Up:
      /* Around the newest bars while following, else around the middle. */
      ea_chart_view_zoom_at (self->view, was ? plot.width : plot.width / 2, ZOOM_STEP);
      break;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
    case GDK_KEY_Down:
      ea_chart_view_zoom_at (self->view, was ? plot.width : plot.width / 2, 1 / ZOOM_STEP);
      break;
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      ea_chart_view_home (self->view);
      break;
    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      ea_chart_view_end (self->view);
      break;
    default:
      return FALSE;
    }
  if (was && (keyval == GDK_KEY_plus || keyval == GDK_KEY_equal || keyval == GDK_KEY_KP_Add
              || keyval == GDK_KEY_Up || keyval == GDK_KEY_minus || keyval == GDK_KEY_KP_Subtract
              || keyval == GDK_KEY_Down))
    ea_chart_view_end (self->view);
  notify_following (self, was);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

static const char *
order_kind_name (EaChartOrderKind kind)
{
  switch (kind)
    {
    case EA_CHART_ORDER_LIMIT:
      return _("Limit");
    case EA_CHART_ORDER_STOP:
      return _("Stop");
    case EA_CHART_ORDER_BRACKET_STOP:
      return _("Stop loss");
    case EA_CHART_ORDER_BRACKET_TARGET:
      return _("Target");
    default:
      return _("Order");
    }
}

static char *
format_price (EaChart *self,
              EaTicks  ticks)
{
  const EaInstrumentSpec *spec = ea_chart_view_get_instrument (self->view);

  return spec != NULL ? ea_instrument_format_price (spec, ticks) : g_strdup_printf ("%" G_GINT64_FORMAT, ticks);
}

char *
ea_chart_tooltip_text (EaChart *self,
                       double   x,
                       double   y)
{
  EaChartMarkerKind kind;
  gsize index, n;
  gint64 order;

  g_return_val_if_fail (EA_IS_CHART (self), NULL);

  if (ea_chart_view_marker_at (self->view, x, y, &kind, &index))
    {
      const EaChartMarker *m = ea_chart_view_get_markers (self->view, kind, &n) + index;
      g_autofree char *price = format_price (self, m->price);

      if (m->text != NULL)
        return g_strdup (m->text);
      switch (kind)
        {
        case EA_CHART_MARKER_FILL:
          return g_strdup_printf (m->side == EA_SIDE_BUY ? _("Bought at %s") : _("Sold at %s"), price);
        case EA_CHART_MARKER_SIGNAL:
          return g_strdup_printf (m->side == EA_SIDE_BUY ? _("Long signal at %s") : _("Short signal at %s"), price);
        case EA_CHART_MARKER_ERM:
          return g_strdup_printf (_("ERM reversal at %s"), price);
        case EA_CHART_N_MARKER_KINDS:
        default:
          return NULL;
        }
    }

  order = ea_chart_view_order_at (self->view, x, y);
  if (order >= 0)
    {
      const EaChartOrder *o = ea_chart_view_get_orders (self->view, &n) + order;
      g_autofree char *price = format_price (self, o->price);

      return g_strdup_printf ("%s %s %" G_GINT64_FORMAT " @ %s%s", order_kind_name (o->kind),
                              o->side == EA_SIDE_BUY ? _("buy") : _("sell"), o->qty, price,
                              o->draggable ? _(" (drag to modify)") : "");
    }
  return NULL;
}

/* Controllers ------------------------------------------------------- */

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           EaChart                  *self)
{
  ea_chart_pointer_motion (self, x, y);
}

static void
on_leave (GtkEventControllerMotion *controller,
          EaChart                  *self)
{
  ea_chart_pointer_leave (self);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           EaChart                  *self)
{
  return ea_chart_scroll (self, dx, dy);
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               EaChart        *self)
{
  ea_chart_drag_begin (self, x, y);
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                EaChart        *self)
{
  ea_chart_drag_update (self, offset_x, offset_y);
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          offset_x,
             double          offset_y,
             EaChart        *self)
{
  ea_chart_drag_end (self, offset_x, offset_y);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                EaChart               *self)
{
  return ea_chart_key_pressed (self, keyval, state);
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  EaChart    *self)
{
  g_autofree char *text = NULL;

  if (keyboard_mode)
    return FALSE;
  text = ea_chart_tooltip_text (self, x, y);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

void
ea_chart_setup_controllers (EaChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *key = gtk_event_controller_key_new ();

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), self);
}
