/* ea-risk-panel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-instrument.h"
#include "ea-risk.h"

G_BEGIN_DECLS

#define EA_TYPE_RISK_PANEL (ea_risk_panel_get_type ())

G_DECLARE_FINAL_TYPE (EaRiskPanel, ea_risk_panel, EA, RISK_PANEL, GtkBox)

GtkWidget  *ea_risk_panel_new            (void);
/* @status NULL: no risk data for @account (not connected, no profile).
 * @spec: the traded instrument, for the floor distance in ticks. */
void        ea_risk_panel_set_status     (EaRiskPanel            *self,
                                          const char             *account,
                                          const EaRiskStatus     *status,
                                          const EaInstrumentSpec *spec);
/* The firm profile behind the limits, with the date its rules were read
 * (NULL: none). */
void        ea_risk_panel_set_profile    (EaRiskPanel            *self,
                                          const EaRiskProfile    *profile);
const char *ea_risk_panel_get_profile_text (EaRiskPanel          *self);
const char *ea_risk_panel_get_state_text (EaRiskPanel            *self);
/* "ACTIVE", "LOCKED" …, or "Locked by broker" / "Liquidation only". */
const char *ea_risk_status_state_text   (const EaRiskStatus     *status);
const char *ea_risk_panel_get_trailing_text (EaRiskPanel         *self);

G_END_DECLS
