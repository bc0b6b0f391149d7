/* ea-setup-assistant-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ea-platform.h"
#include "ea-setup-assistant.h"

G_BEGIN_DECLS

struct _EaSetupAssistant
{
  GtkWindow         parent_instance;

  GSettings        *settings;
  EaJournal        *journal;
  EaCredentials    *credentials;
  EaProfileStore   *profiles;
  GCancellable     *cancellable;

  /* Template children. */
  GtkWidget        *steps_box;
  GtkStack         *stack;
  GtkWidget        *step_label;
  GtkWidget        *back_button;
  GtkWidget        *next_button;
  GtkWidget        *finish_button;

  GtkWidget        *step_rows[EA_SETUP_N_PAGES];
  GtkWidget        *pages[EA_SETUP_N_PAGES];
  EaSetupPage       page;
  gboolean          page_valid;
  guint             busy;
  gboolean          finished;
  gboolean          touched[EA_SETUP_N_PAGES];

  GHashTable       *fields;         /* name → input widget */
  GHashTable       *errors;         /* name → error label */

  /* Platforms page. */
  GtkWidget        *platform_sections[EA_N_PLATFORMS];
  GtkNativeDialog  *folder_chooser;   /* open from a Choose… button */
  GtkWidget        *folder_entry;     /* the field it fills (not owned) */
  GtkWidget        *platform_error;

  /* Credentials page. */
  GtkWidget        *cred_section[EA_N_PLATFORMS];
  GtkWidget        *cred_status;
  GtkWidget        *cred_entries;
  GtkWidget        *cred_replace;
  GtkWidget        *cred_delete;
  GtkWidget        *cred_note;
  gboolean          cred_stored;
  gboolean          cred_replacing;
  char             *cred_checked_for; /* "env/user" the status was read for */
  GDateTime        *cred_expires;     /* the stored one's expiry, or NULL */
  GDateTime        *cred_writing_expires; /* the expiry of the one being written */

  /* Verify page. */
  GtkWidget        *verify_rows[EA_N_PLATFORMS];
  GtkWidget        *verify_status[EA_N_PLATFORMS];
  GtkWidget        *verify_detail[EA_N_PLATFORMS];
  GtkWidget        *verify_help[EA_N_PLATFORMS];
  GtkWidget        *verify_button[EA_N_PLATFORMS];
  GtkWidget        *verify_spinner[EA_N_PLATFORMS];
  EaConnectionTest *tests[EA_N_PLATFORMS];

  /* Profile page. */
  GtkStringList    *firms;
  GtkStringList    *products;
  GPtrArray        *product_ids;
  GtkWidget        *limits_label;
  GtkWidget        *accounts_box;     /* one row per account found by Verify */
  GHashTable       *account_choice;   /* account → profile id ("" : default) */
  GHashTable       *account_safety;   /* account → safety % (0 : the ratio above) */
  GPtrArray        *all_profile_ids;

  /* Summary page. */
  GtkWidget        *summary_connected;
  GtkWidget        *summary_details;
  char             *summary;
};

/* ea-setup-pages.c */
void         _ea_setup_build_pages        (EaSetupAssistant *self);
/* Validates the current page, showing messages at the fields. */
gboolean     _ea_setup_validate_page      (EaSetupAssistant *self,
                                           EaSetupPage       page,
                                           gboolean          show);
/* Called when @page becomes the current one. */
void         _ea_setup_enter_page         (EaSetupAssistant *self,
                                           EaSetupPage       page);
/* The Next of the credentials page: stores to the keyring, then calls
 * _ea_setup_advance(). */
void         _ea_setup_store_credentials  (EaSetupAssistant *self);
/* The optional expiry date of the credentials page, "YYYY-MM-DD": TRUE
 * with *@out NULL when @text is empty; a date today or later is the
 * start of that day in UTC. */
gboolean     _ea_setup_parse_expiry       (const char       *text,
                                           GDateTime        *now,
                                           GDateTime       **out,
                                           GError          **error);
void         _ea_setup_config_from_fields (EaSetupAssistant *self,
                                           EaPlatformConfig *config);
guint        _ea_setup_safety_pct         (EaSetupAssistant *self);
const char  *_ea_setup_profile_id         (EaSetupAssistant *self);
void         _ea_setup_enter_profile      (EaSetupAssistant *self);
/* The per-account choices as an a{ss} (non-default ones only). */
GVariant    *_ea_setup_account_profiles   (EaSetupAssistant *self);
/* The per-account safety ratios as an a{su} (non-default ones only). */
GVariant    *_ea_setup_account_safety     (EaSetupAssistant *self);
/* The effective limits of @p at @pct % in dollars, as the desk enforces
 * them. */
char        *_ea_setup_describe_limits    (const EaRiskProfile *p,
                                           guint                pct);
void         _ea_setup_set_error          (EaSetupAssistant *self,
                                           const char       *name,
                                           const char       *message);

GtkWidget   *_ea_setup_new_page           (EaSetupAssistant *self,
                                           EaSetupPage       page,
                                           const char       *title,
                                           const char       *subtitle);
GtkWidget   *_ea_setup_new_section        (GtkWidget        *page,
                                           GtkWidget        *header,
                                           const char       *description);
GtkWidget   *_ea_setup_new_grid           (GtkWidget        *parent);
GtkWidget   *_ea_setup_add_field          (EaSetupAssistant *self,
                                           GtkWidget        *grid,
                                           const char       *name,
                                           const char       *label,
                                           GtkWidget        *widget);

/* ea-setup-checks.c: credentials, verify and summary pages; the IBKR
 * certificate fingerprint. */
void         _ea_setup_fetch_fingerprint  (EaSetupAssistant *self);
void         _ea_setup_build_credentials  (EaSetupAssistant *self);
void         _ea_setup_build_verify       (EaSetupAssistant *self);
void         _ea_setup_build_summary      (EaSetupAssistant *self);

/* ea-setup-assistant.c */
void         _ea_setup_update_state       (EaSetupAssistant *self);
void         _ea_setup_advance            (EaSetupAssistant *self);
void         _ea_setup_busy               (EaSetupAssistant *self,
                                           gboolean          busy);

G_END_DECLS
