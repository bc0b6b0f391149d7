/* ea-margin-panel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-risk.h"
#include "ea-trading-store.h"

G_BEGIN_DECLS

#define EA_TYPE_MARGIN_PANEL (ea_margin_panel_get_type ())

G_DECLARE_FINAL_TYPE (EaMarginPanel, ea_margin_panel, EA, MARGIN_PANEL, GtkBox)

/* Margin % = (equity − margin used) / equity (DOMAIN §7): SAFE above 50 %,
 * WARNING above 20 %, else DANGER; "low margin" below 25 %. Pure, for
 * tests: @equity ≤ 0 is DANGER at 0 %. */
EaMarginStatus ea_margin_status_for (EaMicros        equity,
                                     EaMicros        margin_used,
                                     double         *percent,
                                     gboolean       *low_margin);

GtkWidget     *ea_margin_panel_new         (void);
void           ea_margin_panel_set_store   (EaMarginPanel  *self,
                                            EaTradingStore *store);
/* NULL: every account. */
void           ea_margin_panel_set_account (EaMarginPanel  *self,
                                            const char     *account);
EaMarginStatus ea_margin_panel_get_status  (EaMarginPanel  *self);
const char    *ea_margin_panel_get_day_pnl_text (EaMarginPanel *self);

G_END_DECLS
