/*
 * store_keys: consumer keys, secrets and access tokens of an application, and
 * the ready-to-run snippets (curl, Python, JavaScript) shown with them.
 */
#ifndef PORTAL_STORE_KEYS_H
#define PORTAL_STORE_KEYS_H

#include "http/request.h"
#include "hub_conn.h"

/* The Keys and Tokens sections of an application's page. */
void keys_section(PortalReq *r, GString *out, const char *app);

/* Hub calls shared with the JSON API. keyType PRODUCTION | SANDBOX. */
gboolean keys_generate(PortalReq *r, const char *app, const char *key_type, gint64 validity,
                       const char *scopes, TgKeySet **ks, HubErr *he);
gboolean keys_issue_token(PortalReq *r, const char *app, const char *key_type, gint64 validity,
                          const char *scopes, TgKeySet **ks, HubErr *he);
gboolean keys_regenerate(PortalReq *r, const char *app, const char *key_type, gint64 grace,
                         TgKeySet **ks, HubErr *he);
gboolean keys_list_tokens(PortalReq *r, const char *app, GPtrArray **tokens, HubErr *he);
gboolean keys_revoke(PortalReq *r, const char *token, HubErr *he);
/* Revokes the application's token by its id (TokenInfo.id from the listing). */
gboolean keys_revoke_by_id(PortalReq *r, const char *app, gint64 id, HubErr *he);
/* A token id from text: digits only, 1 to G_MAXINT64; 0 when it is not one. */
gint64 keys_token_id(const char *text);
/* "PRODUCTION" or "SANDBOX" from any case; NULL when neither. */
const char *keys_type(const char *text);

#endif
