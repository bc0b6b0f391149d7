/* ea-ibkr-prompts.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the Interactive Brokers gateway asks of the user, shown in the
 * app: each order question as a modal dialog (Confirm / Reject, and
 * "don't ask again" for its message ids, kept in the
 * ibkr-suppressed-message-ids setting), and a banner window with a button
 * to the gateway's login page when its session ended.
 */
#pragma once

#include <gtk/gtk.h>

#include "ea-ibkr-broker.h"

G_BEGIN_DECLS

/* Loads the suppressed message ids of @settings into @broker and shows
 * its questions and login requests from now on. */
void ea_ibkr_prompts_attach (EaIbkrBroker *broker,
                             GSettings    *settings);

/* Opens a URI for the user; gtk_show_uri() unless replaced (tests). */
typedef void (*EaIbkrUriOpener) (GtkWindow  *parent,
                                 const char *uri,
                                 gpointer    user_data);
void ea_ibkr_prompts_set_uri_opener (EaIbkrUriOpener opener,
                                     gpointer        user_data);

G_END_DECLS
