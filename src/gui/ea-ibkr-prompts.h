/* ea-ibkr-prompts.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the Interactive Brokers gateway asks of the user, shown in the
 * app: each order question as a modal dialog (Confirm / Reject, and
 * "don't ask again" for its message ids, kept in the
 * ibkr-suppressed-message-ids setting), a banner window with a button
 * to the gateway's login page when its session ended, and the broker's
 * notices as the desk's alerts.
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-desk.h"
#include "ea-ibkr-broker.h"

G_BEGIN_DECLS

/* Loads the suppressed message ids of @settings into @broker and shows
 * its questions and login requests from now on. */
void ea_ibkr_prompts_attach (EaIbkrBroker *broker,
                             GSettings    *settings);

/* Shows @broker's notices (competing session, rate-limit pause and
 * resumption, session end, certificate accepted) as alerts of @desk, the
 * app's alert and notification path, and writes the accepted pinned
 * certificate into @desk's audit trail (once per pin and broker). */
void ea_ibkr_prompts_attach_desk (EaIbkrBroker *broker,
                                  EaDesk       *desk);

/* Opens a URI for the user; gtk_show_uri() unless replaced (tests). */
typedef void (*EaIbkrUriOpener) (GtkWindow  *parent,
                                 const char *uri,
                                 gpointer    user_data);
void ea_ibkr_prompts_set_uri_opener (EaIbkrUriOpener opener,
                                     gpointer        user_data);

G_END_DECLS
