/* ea-protect-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Protect…: a stop and a target for a whole open position that cancel
 * each other. The prices start at 1.5 × and 2.0 × the ATR from the market
 * (the order ticket's rule); the desk checks them and sends one OCO pair.
 */
#define G_LOG_DOMAIN "ea-protect-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ea-erm.h"
#include "ea-instrument.h"
#include "ea-kelly.h"
#include "ea-protect-dialog.h"

struct _EaProtectDialog
{
  GtkWindow               parent_instance;

  EaDesk                 *desk;
  char                   *account;
  char                   *symbol;
  const EaInstrumentSpec *spec;

  GtkWidget              *summary_label;
  GtkWidget              *stop_spin;
  GtkWidget              *target_spin;
  GtkWidget              *error_label;
  GtkWidget              *cancel_button;
  GtkWidget              *protect_button;
  gboolean                sending;
};

G_DEFINE_FINAL_TYPE (EaProtectDialog, ea_protect_dialog, GTK_TYPE_WINDOW)

static void
show_error (EaProtectDialog *self,
            const char      *text)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), text ? text : "");
  gtk_widget_set_visible (self->error_label, text != NULL && *text != '\0');
}

static void
protected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(EaProtectDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = ea_desk_protect_position_finish (EA_DESK (source), result, NULL, NULL, &error);

  self->sending = FALSE;
  gtk_widget_set_sensitive (self->protect_button, TRUE);
  if (id == NULL)
    {
      show_error (self, error->message);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
protect_clicked_cb (EaProtectDialog *self)
{
  EaTicks stop, target;

  if (self->sending || self->spec == NULL)
    return;

  stop = ea_instrument_price_to_ticks (self->spec, gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->stop_spin)));
  target = ea_instrument_price_to_ticks (self->spec,
                                         gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->target_spin)));
  self->sending = TRUE;
  gtk_widget_set_sensitive (self->protect_button, FALSE);
  show_error (self, NULL);
  ea_desk_protect_position_async (self->desk, self->account, self->symbol, stop, target, EA_ACTOR_USER, NULL,
                                  protected_cb, g_object_ref (self));
}

static void
ea_protect_dialog_finalize (GObject *object)
{
  EaProtectDialog *self = EA_PROTECT_DIALOG (object);

  g_clear_object (&self->desk);
  g_free (self->account);
  g_free (self->symbol);

  G_OBJECT_CLASS (ea_protect_dialog_parent_class)->finalize (object);
}

static void
ea_protect_dialog_class_init (EaProtectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ea_protect_dialog_finalize;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_set_css_name (widget_class, "protectdialog");
}

static GtkWidget *
price_row (GtkWidget  *grid,
           int         row,
           const char *label_text)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (label_text);
  GtkWidget *spin = gtk_spin_button_new_with_range (0, 1e7, 1);

  gtk_widget_set_halign (label, GTK_ALIGN_START);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_widget_set_hexpand (spin, TRUE);
  gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), spin, 1, row, 1, 1);
  return spin;
}

static void
ea_protect_dialog_init (EaProtectDialog *self)
{
  GtkWidget *box, *grid, *buttons;

  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_resizable (GTK_WINDOW (self), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (self), 380, -1);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);

  self->summary_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->summary_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->summary_label), 44);
  gtk_box_append (GTK_BOX (box), self->summary_label);

  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  self->stop_spin = price_row (grid, 0, _("_Stop"));
  self->target_spin = price_row (grid, 1, _("_Target"));
  gtk_box_append (GTK_BOX (box), grid);

  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->error_label), 44);
  gtk_widget_add_css_class (self->error_label, "error");
  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_box_append (GTK_BOX (box), self->error_label);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_set_homogeneous (GTK_BOX (buttons), TRUE);
  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (gtk_window_destroy), self);
  gtk_box_append (GTK_BOX (buttons), self->cancel_button);
  self->protect_button = gtk_button_new_with_mnemonic (_("_Protect"));
  gtk_widget_add_css_class (self->protect_button, "suggested-action");
  g_signal_connect_swapped (self->protect_button, "clicked", G_CALLBACK (protect_clicked_cb), self);
  gtk_box_append (GTK_BOX (buttons), self->protect_button);
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_window_set_child (GTK_WINDOW (self), box);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->protect_button);
}

/* The market the defaults start from: the last trade, else the touch the
 * exits would trade against, else the position's average price. */
static EaTicks
reference_price (EaTradingStore *store,
                 EaPosition     *position,
                 const char     *symbol)
{
  EaQuote *q = ea_trading_store_lookup_quote (store, symbol);
  gint64 qty = ea_position_get_qty (position);

  if (q != NULL && ea_quote_get_last (q) > 0)
    return ea_quote_get_last (q);
  if (q != NULL && (qty > 0 ? ea_quote_get_bid (q) : ea_quote_get_ask (q)) > 0)
    return qty > 0 ? ea_quote_get_bid (q) : ea_quote_get_ask (q);
  return (EaTicks) llround (ea_position_get_avg_price (position));
}

EaProtectDialog *
ea_protect_dialog_new (GtkWindow  *parent,
                       EaDesk     *desk,
                       const char *account,
                       const char *symbol)
{
  EaProtectDialog *self;
  EaTradingStore *store;
  EaPosition *position;
  g_autofree char *title = NULL;
  g_autofree char *summary = NULL;
  gint64 qty = 0;

  g_return_val_if_fail (EA_IS_DESK (desk), NULL);
  g_return_val_if_fail (account != NULL && symbol != NULL, NULL);

  /* Translators: a window title: "Protect ES on DEMO-1". */
  title = g_strdup_printf (_("Protect %s on %s"), symbol, account);
  self = g_object_new (EA_TYPE_PROTECT_DIALOG,
                       "title", title,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);
  if (parent != NULL)
    gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));

  self->desk = g_object_ref (desk);
  self->account = g_strdup (account);
  self->symbol = g_strdup (symbol);
  self->spec = ea_desk_lookup_spec (symbol);
  store = ea_desk_get_store (desk);
  position = ea_trading_store_lookup_position (store, account, symbol);
  if (position != NULL)
    qty = ea_position_get_qty (position);

  if (self->spec != NULL)
    {
      guint digits = ea_instrument_price_decimals (self->spec);

      for (guint i = 0; i < 2; i++)
        {
          GtkSpinButton *spin = GTK_SPIN_BUTTON (i == 0 ? self->stop_spin : self->target_spin);

          gtk_spin_button_set_digits (spin, digits);
          gtk_spin_button_set_increments (spin, self->spec->tick_size, 4 * self->spec->tick_size);
        }
    }

  if (qty == 0 || self->spec == NULL)
    {
      /* Translators: Protect… on a row whose position closed meanwhile. */
      summary = g_strdup_printf (_("%s has no position in %s any more."), account, symbol);
      gtk_widget_set_sensitive (self->protect_button, FALSE);
    }
  else
    {
      EaDeskAtrSource source = EA_DESK_ATR_DEFAULT;
      double atr = ea_desk_get_erm_atr (desk, symbol, &source);
      EaTicks ref = reference_price (store, position, symbol);
      EaTicks stop_ticks = 0, target_ticks = 0;

      if (!(atr > 0))
        atr = ea_erm_default_atr_ticks (self->spec);
      if (ea_kelly_stop_target (atr, &stop_ticks, &target_ticks) && ref > 0)
        {
          gint64 dir = qty > 0 ? 1 : -1;

          gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->stop_spin),
                                     ea_instrument_ticks_to_price (self->spec, ref - dir * stop_ticks));
          gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->target_spin),
                                     ea_instrument_ticks_to_price (self->spec, ref + dir * target_ticks));
        }
      /* Translators: "Long 2 ES on DEMO-1: a stop and a target for the
       * whole position; when one fills, the other is cancelled." */
      summary = g_strdup_printf (qty > 0 ? _("Long %" G_GINT64_FORMAT " %s on %s: a stop and a target for the "
                                             "whole position; when one fills, the other is cancelled.")
                                         : _("Short %" G_GINT64_FORMAT " %s on %s: a stop and a target for the "
                                             "whole position; when one fills, the other is cancelled."),
                                 ABS (qty), symbol, account);
    }
  gtk_label_set_text (GTK_LABEL (self->summary_label), summary);

  return self;
}

GtkWidget *
ea_protect_dialog_get_stop_spin (EaProtectDialog *self)
{
  g_return_val_if_fail (EA_IS_PROTECT_DIALOG (self), NULL);
  return self->stop_spin;
}

GtkWidget *
ea_protect_dialog_get_target_spin (EaProtectDialog *self)
{
  g_return_val_if_fail (EA_IS_PROTECT_DIALOG (self), NULL);
  return self->target_spin;
}

GtkWidget *
ea_protect_dialog_get_protect_button (EaProtectDialog *self)
{
  g_return_val_if_fail (EA_IS_PROTECT_DIALOG (self), NULL);
  return self->protect_button;
}

const char *
ea_protect_dialog_get_error_text (EaProtectDialog *self)
{
  g_return_val_if_fail (EA_IS_PROTECT_DIALOG (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->error_label));
}
