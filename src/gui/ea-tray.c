/* ea-tray.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EaTray exports an org.kde.StatusNotifierItem at /StatusNotifierItem
 * (ea-tray-item.c) on a given connection, together with the dbusmenu
 * object of ea-tray-menu.c at /MenuBar, and registers the item path with the
 * org.kde.StatusNotifierWatcher whenever that name has an owner.  Having no
 * watcher is a normal state: the window keeps its own emergency stop button
 * and shortcut.
 *
 * Menu entries and the item's Activate method map to actions of the
 * GActionGroup given at construction ("emergency-stop", "toggle-window",
 * "show-window", "quit").  The D-Bus call is answered first and the action
 * runs from an idle callback, so a host never waits on the application.
 */
#define G_LOG_DOMAIN "ea-tray"

#include "config.h"

#include <glib/gi18n.h>

#include "ea-tray-private.h"

#define WATCHER_PATH      "/StatusNotifierWatcher"
#define WATCHER_INTERFACE "org.kde.StatusNotifierWatcher"

static void ea_tray_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EaTray, ea_tray, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      ea_tray_initable_iface_init))

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_ACTIONS,
  PROP_REGISTERED,
  PROP_MODE_TEXT,
  PROP_DAY_PNL_TEXT,
  PROP_TRADING_STATE_TEXT,
  PROP_NEEDS_ATTENTION,
  PROP_WINDOW_VISIBLE,
  PROP_ICON_THEME_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  GActionGroup *actions;
  char         *action_name;
} PendingActivation;

static void
pending_activation_free (gpointer data)
{
  PendingActivation *pending = data;

  g_clear_object (&pending->actions);
  g_free (pending->action_name);
  g_free (pending);
}

static gboolean
pending_activation_run_cb (gpointer data)
{
  PendingActivation *pending = data;
  const GVariantType *parameter_type = NULL;
  gboolean enabled = FALSE;

  if (!g_action_group_query_action (pending->actions, pending->action_name,
                                    &enabled, &parameter_type, NULL, NULL, NULL))
    {
      g_debug ("No action \"%s\" to activate", pending->action_name);
      return G_SOURCE_REMOVE;
    }

  if (!enabled || parameter_type != NULL)
    {
      g_debug ("Action \"%s\" is disabled or takes a parameter", pending->action_name);
      return G_SOURCE_REMOVE;
    }

  g_action_group_activate_action (pending->actions, pending->action_name, NULL);

  return G_SOURCE_REMOVE;
}

void
_ea_tray_activate_action (EaTray     *self,
                          const char *action_name)
{
  GActionGroup *actions;
  PendingActivation *pending;

  g_assert (EA_IS_TRAY (self));
  g_assert (action_name != NULL);

  actions = g_weak_ref_get (&self->actions);
  if (actions == NULL)
    return;

  pending = g_new0 (PendingActivation, 1);
  pending->actions = g_steal_pointer (&actions);
  pending->action_name = g_strdup (action_name);

  g_idle_add_full (G_PRIORITY_DEFAULT, pending_activation_run_cb,
                   pending, pending_activation_free);
}

void
_ea_tray_emit_signal (EaTray     *self,
                      const char *object_path,
                      const char *interface_name,
                      const char *signal_name,
                      GVariant   *parameters)
{
  g_autoptr(GError) error = NULL;

  if (self->connection == NULL)
    {
      if (parameters != NULL)
        g_variant_unref (g_variant_ref_sink (parameters));
      return;
    }

  if (!g_dbus_connection_emit_signal (self->connection, NULL, object_path,
                                      interface_name, signal_name,
                                      parameters, &error))
    g_debug ("Cannot emit %s.%s: %s", interface_name, signal_name, error->message);
}

void
_ea_tray_emit_properties_changed (EaTray     *self,
                                  const char *object_path,
                                  const char *interface_name,
                                  const char *property_name,
                                  GVariant   *value)
{
  g_autoptr(GVariantBuilder) changed = g_variant_builder_new (G_VARIANT_TYPE ("a{sv}"));

  g_variant_builder_add (changed, "{sv}", property_name, value);
  _ea_tray_emit_signal (self, object_path,
                        "org.freedesktop.DBus.Properties", "PropertiesChanged",
                        g_variant_new ("(sa{sv}as)", interface_name, changed, NULL));
}

static gboolean
flush_cb (gpointer user_data)
{
  EaTray *self = user_data;
  guint dirty_items = self->dirty_items;
  gboolean tooltip_dirty = self->tooltip_dirty;

  self->flush_source_id = 0;
  self->dirty_items = 0;
  self->tooltip_dirty = FALSE;

  if (tooltip_dirty)
    {
      _ea_tray_emit_signal (self, EA_TRAY_ITEM_PATH, EA_TRAY_ITEM_INTERFACE, "NewToolTip", NULL);
      _ea_tray_emit_properties_changed (self, EA_TRAY_ITEM_PATH, EA_TRAY_ITEM_INTERFACE,
                                        "ToolTip", _ea_tray_build_tooltip (self));
    }

  if (dirty_items != 0)
    _ea_tray_menu_emit_updates (self, dirty_items);

  return G_SOURCE_REMOVE;
}

/* Text changes can come in bursts (the day P&L moves with every tick), so
 * they are sent as one batch from an idle. */
static void
queue_update (EaTray   *self,
              guint     item_id,
              gboolean  tooltip)
{
  self->dirty_items |= EA_TRAY_MENU_ITEM_BIT (item_id);
  self->tooltip_dirty |= !!tooltip;

  if (self->flush_source_id == 0 && self->item_registration_id != 0)
    self->flush_source_id = g_idle_add (flush_cb, self);
}

static void
set_registered (EaTray   *self,
                gboolean  registered)
{
  registered = !!registered;

  if (self->registered == (guint) registered)
    return;

  self->registered = registered;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
}

static void
register_item_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(EaTray) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (G_IS_ASYNC_RESULT (result));

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      g_debug ("The status notifier watcher refused the item: %s", error->message);
      set_registered (self, FALSE);
      return;
    }

  g_debug ("Registered %s with the status notifier watcher", EA_TRAY_ITEM_PATH);
  set_registered (self, TRUE);
}

static void
cancel_registration (EaTray *self)
{
  if (self->register_cancellable != NULL)
    {
      g_cancellable_cancel (self->register_cancellable);
      g_clear_object (&self->register_cancellable);
    }
}

static void
watcher_appeared_cb (GDBusConnection *connection,
                     const char      *name,
                     const char      *name_owner,
                     gpointer         user_data)
{
  EaTray *self = user_data;

  g_assert (EA_IS_TRAY (self));

  cancel_registration (self);
  self->register_cancellable = g_cancellable_new ();

  g_dbus_connection_call (connection,
                          name_owner,
                          WATCHER_PATH,
                          WATCHER_INTERFACE,
                          "RegisterStatusNotifierItem",
                          g_variant_new ("(s)", EA_TRAY_ITEM_PATH),
                          G_VARIANT_TYPE_UNIT,
                          G_DBUS_CALL_FLAGS_NO_AUTO_START,
                          -1,
                          self->register_cancellable,
                          register_item_cb,
                          g_object_ref (self));
}

static void
watcher_vanished_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  EaTray *self = user_data;

  g_assert (EA_IS_TRAY (self));

  cancel_registration (self);
  set_registered (self, FALSE);
}

static gboolean
ea_tray_initable_init (GInitable     *initable,
                       GCancellable  *cancellable,
                       GError       **error)
{
  EaTray *self = EA_TRAY (initable);

  if (self->connection == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "EaTray needs a D-Bus connection");
      return FALSE;
    }

  self->item_registration_id = _ea_tray_item_export (self, error);
  if (self->item_registration_id == 0)
    return FALSE;

  self->menu_registration_id = _ea_tray_menu_export (self, error);
  if (self->menu_registration_id == 0)
    {
      g_dbus_connection_unregister_object (self->connection, self->item_registration_id);
      self->item_registration_id = 0;
      return FALSE;
    }

  self->watch_id = g_bus_watch_name_on_connection (self->connection,
                                                   EA_TRAY_WATCHER_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   watcher_appeared_cb,
                                                   watcher_vanished_cb,
                                                   self, NULL);

  return TRUE;
}

static void
ea_tray_initable_iface_init (GInitableIface *iface)
{
  iface->init = ea_tray_initable_init;
}

static void
ea_tray_dispose (GObject *object)
{
  EaTray *self = (EaTray *)object;

  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  cancel_registration (self);
  g_clear_handle_id (&self->flush_source_id, g_source_remove);

  if (self->connection != NULL)
    {
      if (self->item_registration_id != 0)
        g_dbus_connection_unregister_object (self->connection, self->item_registration_id);
      if (self->menu_registration_id != 0)
        g_dbus_connection_unregister_object (self->connection, self->menu_registration_id);
    }
  self->item_registration_id = 0;
  self->menu_registration_id = 0;
  self->registered = FALSE;

  g_weak_ref_set (&self->actions, NULL);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (ea_tray_parent_class)->dispose (object);
}

static void
ea_tray_finalize (GObject *object)
{
  EaTray *self = (EaTray *)object;

  g_weak_ref_clear (&self->actions);
  g_clear_pointer (&self->mode_text, g_free);
  g_clear_pointer (&self->day_pnl_text, g_free);
  g_clear_pointer (&self->trading_state_text, g_free);
  g_clear_pointer (&self->icon_theme_path, g_free);

  G_OBJECT_CLASS (ea_tray_parent_class)->finalize (object);
}

static void
ea_tray_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  EaTray *self = EA_TRAY (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    case PROP_ACTIONS:
      g_value_take_object (value, g_weak_ref_get (&self->actions));
      break;

    case PROP_REGISTERED:
      g_value_set_boolean (value, self->registered);
      break;

    case PROP_MODE_TEXT:
      g_value_set_string (value, self->mode_text);
      break;

    case PROP_DAY_PNL_TEXT:
      g_value_set_string (value, self->day_pnl_text);
      break;

    case PROP_TRADING_STATE_TEXT:
      g_value_set_string (value, self->trading_state_text);
      break;

    case PROP_NEEDS_ATTENTION:
      g_value_set_boolean (value, self->needs_attention);
      break;

    case PROP_WINDOW_VISIBLE:
      g_value_set_boolean (value, self->window_visible);
      break;

    case PROP_ICON_THEME_PATH:
      g_value_set_string (value, self->icon_theme_path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_tray_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  EaTray *self = EA_TRAY (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    case PROP_ACTIONS:
      g_weak_ref_set (&self->actions, g_value_get_object (value));
      break;

    case PROP_MODE_TEXT:
      ea_tray_set_mode_text (self, g_value_get_string (value));
      break;

    case PROP_DAY_PNL_TEXT:
      ea_tray_set_day_pnl_text (self, g_value_get_string (value));
      break;

    case PROP_TRADING_STATE_TEXT:
      ea_tray_set_trading_state_text (self, g_value_get_string (value));
      break;

    case PROP_NEEDS_ATTENTION:
      ea_tray_set_needs_attention (self, g_value_get_boolean (value));
      break;

    case PROP_WINDOW_VISIBLE:
      ea_tray_set_window_visible (self, g_value_get_boolean (value));
      break;

    case PROP_ICON_THEME_PATH:
      ea_tray_set_icon_theme_path (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ea_tray_class_init (EaTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ea_tray_dispose;
  object_class->finalize = ea_tray_finalize;
  object_class->get_property = ea_tray_get_property;
  object_class->set_property = ea_tray_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         G_TYPE_DBUS_CONNECTION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /* Held weakly: the application usually owns both the actions and the tray. */
  properties[PROP_ACTIONS] =
    g_param_spec_object ("actions", NULL, NULL,
                         G_TYPE_ACTION_GROUP,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_REGISTERED] =
    g_param_spec_boolean ("registered", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MODE_TEXT] =
    g_param_spec_string ("mode-text", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DAY_PNL_TEXT] =
    g_param_spec_string ("day-pnl-text", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TRADING_STATE_TEXT] =
    g_param_spec_string ("trading-state-text", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_NEEDS_ATTENTION] =
    g_param_spec_boolean ("needs-attention", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_WINDOW_VISIBLE] =
    g_param_spec_boolean ("window-visible", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ICON_THEME_PATH] =
    g_param_spec_string ("icon-theme-path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ea_tray_init (EaTray *self)
{
  g_weak_ref_init (&self->actions, NULL);
  self->menu_revision = 1;
}

/**
 * ea_tray_new:
 * @connection: the session bus connection to export on
 * @actions: (nullable): the application's actions, held weakly
 * @error: return location for a #GError
 *
 * Exports the item and its menu and starts watching for
 * org.kde.StatusNotifierWatcher.  Fails only when the objects cannot be
 * exported (for example, another object already uses the paths).
 *
 * Returns: (transfer full): a new #EaTray, or %NULL with @error set
 */
EaTray *
ea_tray_new (GDBusConnection  *connection,
             GActionGroup     *actions,
             GError          **error)
{
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (actions == NULL || G_IS_ACTION_GROUP (actions), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (EA_TYPE_TRAY, NULL, error,
                         "connection", connection,
                         "actions", actions,
                         NULL);
}

GDBusConnection *
ea_tray_get_connection (EaTray *self)
{
  g_return_val_if_fail (EA_IS_TRAY (self), NULL);

  return self->connection;
}

/**
 * ea_tray_get_registered:
 *
 * Returns: %TRUE while a status notifier watcher has accepted the item
 */
gboolean
ea_tray_get_registered (EaTray *self)
{
  g_return_val_if_fail (EA_IS_TRAY (self), FALSE);

  return self->registered;
}

/**
 * ea_tray_get_status:
 *
 * Returns: the item's Status property, "Active" or "NeedsAttention"
 */
const char *
ea_tray_get_status (EaTray *self)
{
  g_return_val_if_fail (EA_IS_TRAY (self), NULL);

  return _ea_tray_get_item_status (self);
}

static gboolean
replace_text (char       **field,
              const char  *text)
{
  if (g_strcmp0 (*field, text) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (text);

  return TRUE;
}

/**
 * ea_tray_set_mode_text:
 * @text: (nullable): the mode as shown to the user, e.g. "DEMO"
 *
 * Shown as "Mode: @text" in the menu and the tooltip.
 */
void
ea_tray_set_mode_text (EaTray     *self,
                       const char *text)
{
  g_return_if_fail (EA_IS_TRAY (self));

  if (!replace_text (&self->mode_text, text))
    return;

  queue_update (self, EA_TRAY_MENU_MODE, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE_TEXT]);
}

const char *
ea_tray_get_mode_text (EaTray *self)
{
  g_return_val_if_fail (EA_IS_TRAY (self), NULL);

  return self->mode_text;
}

/**
 * ea_tray_set_day_pnl_text:
 * @text: (nullable): the formatted day P&L, e.g. "+$1,234.50"
 *
 * Shown as "Day P&L: @text" in the menu and the tooltip, as given.
 */
void
ea_tray_set_day_pnl_text (EaTray     *self,
                          const char *text)
{
  g_return_if_fail (EA_IS_TRAY (self));

  if (!replace_text (&self->day_pnl_text, text))
    return;

  queue_update (self, EA_TRAY_MENU_DAY_PNL, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DAY_PNL_TEXT]);
}

const char *
ea_tray_get_day_pnl_text (EaTray *self)
{
  g_return_val_if_fail (EA_IS_TRAY (self), NULL);

  return self->day_pnl_text;
}

/**
 * ea_tray_set_trading_state_text:
 * @text: (nullable): the global trading state as shown, e.g. "HALTED"
 *
 * Shown as "Trading: @text" in the menu and the tooltip.
 */
void
ea_tray_set_trading_state_text (EaTray     *self,
                                const char *text)
{
  g_return_if_fail (EA_IS_TRAY (self));

  if (!replace_text (&self->trading_state_text, text))
    return;

  queue_update (self, EA_TRAY_MENU_TRADING_STATE, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRADING_STATE_TEXT]);
}

const char *
ea_tray_get_trading_state_text (EaTray *self)
{
  g_return_val_if_fail (EA_IS_TRAY (self), NULL);

  return self->trading_state_text;
}

/**
 * ea_tray_set_needs_attention:
 * @needs_attention: %TRUE while an emergency stop runs or an account is
 *   UNRESOLVED
 *
 * Switches the item's Status between "Active" and "NeedsAttention" (and the
 * menu's Status between "normal" and "notice"), emitting NewStatus.
 */
void
ea_tray_set_needs_attention (EaTray   *self,
                             gboolean  needs_attention)
{
  g_return_if_fail (EA_IS_TRAY (self));

  needs_attention = !!needs_attention;
  if (self->needs_attention == (guint) needs_attention)
    return;

  self->needs_attention = needs_attention;

  if (self->item_registration_id != 0)
    {
      const char *status = _ea_tray_get_item_status (self);

      _ea_tray_emit_signal (self, EA_TRAY_ITEM_PATH, EA_TRAY_ITEM_INTERFACE, "NewStatus",
                            g_variant_new ("(s)", status));
      _ea_tray_emit_properties_changed (self, EA_TRAY_ITEM_PATH, EA_TRAY_ITEM_INTERFACE,
                                        "Status", g_variant_new_string (status));
      _ea_tray_emit_properties_changed (self, EA_TRAY_MENU_PATH, EA_TRAY_MENU_INTERFACE,
                                        "Status",
                                        g_variant_new_string (needs_attention ? "notice"
                                                                              : "normal"));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDS_ATTENTION]);
}

gboolean
ea_tray_get_needs_attention (EaTray *self)
{
  g_return_val_if_fail (EA_IS_TRAY (self), FALSE);

  return self->needs_attention;
}

/**
 * ea_tray_set_window_visible:
 *
 * Tells the tray whether the main window is shown, so that the menu offers
 * "Hide Window" or "Show Window".
 */
void
ea_tray_set_window_visible (EaTray   *self,
                            gboolean  window_visible)
{
  g_return_if_fail (EA_IS_TRAY (self));

  window_visible = !!window_visible;
  if (self->window_visible == (guint) window_visible)
    return;

  self->window_visible = window_visible;
  queue_update (self, EA_TRAY_MENU_TOGGLE_WINDOW, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_VISIBLE]);
}

gboolean
ea_tray_get_window_visible (EaTray *self)
{
  g_return_val_if_fail (EA_IS_TRAY (self), FALSE);

  return self->window_visible;
}

/**
 * ea_tray_set_icon_theme_path:
 * @path: (nullable): an extra directory where hosts look up the icon
 *
 * Useful when the application's icons are installed outside the
 * directories the host searches.  Emits NewIcon.
 */
void
ea_tray_set_icon_theme_path (EaTray     *self,
                             const char *path)
{
  g_return_if_fail (EA_IS_TRAY (self));

  if (!replace_text (&self->icon_theme_path, path))
    return;

  if (self->item_registration_id != 0)
    {
      _ea_tray_emit_signal (self, EA_TRAY_ITEM_PATH, EA_TRAY_ITEM_INTERFACE, "NewIcon", NULL);
      _ea_tray_emit_properties_changed (self, EA_TRAY_ITEM_PATH, EA_TRAY_ITEM_INTERFACE,
                                        "IconThemePath",
                                        g_variant_new_string (path ? path : ""));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_THEME_PATH]);
}

const char *
ea_tray_get_icon_theme_path (EaTray *self)
{
  g_return_val_if_fail (EA_IS_TRAY (self), NULL);

  return self->icon_theme_path;
}
