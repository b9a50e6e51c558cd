/*
 * token_cache: the gateway's cache of key-validation answers, so that a known token is decided
 * without a hub call (and keeps working while hubs are down). Sharded, each shard a hash table
 * and an LRU list under its own mutex; single flight: one caller asks the hub for an uncached
 * key, the others wait on its pending entry. Design notes: docs/HACKING.md.
 */
#ifndef TG_GATEWAY_TOKEN_CACHE_H
#define TG_GATEWAY_TOKEN_CACHE_H

#include <glib.h>

typedef struct TokenCache TokenCache;

/* What the hub said about a token for one resource. Strings may be NULL. */
typedef struct TokenValidation {
  gboolean authorized;
  int status; /* validationStatus (tg_status.h); 0 when authorized */
  char *key_type;
  char *subscriber;
  char *application_id;
  char *application_name;
  char *application_tier;
  char *subscription_tier;
  char *consumer_key;
  char *end_user;
  gint64 token_expiry_ms; /* issuedTime + validityPeriod; 0: unknown / never */
  gint refcount;          /* of a token_validation_copy; unused on the caller's own */
} TokenValidation;

typedef struct TokenCacheKey {
  const char *token_hash; /* hex SHA-256 of the token */
  const char *context;
  const char *version;
  const char *uri_template;
  const char *verb;
  const char *client_domain; /* Origin host, "" or NULL when none */
} TokenCacheKey;

typedef enum {
  TOKEN_CACHE_HIT,     /* *out: the cached answer, shared and read-only (the caller drops
                          its reference with token_validation_free) */
  TOKEN_CACHE_LEADER,  /* not cached: the caller fetches, then token_cache_complete() */
  TOKEN_CACHE_WAITING, /* another caller is fetching: waiter will be called */
} TokenCacheLookup;

/* Called once with the answer, or NULL when the fetch failed. v is only valid
   during the call. Runs on the thread that calls token_cache_complete. */
typedef void (*TokenCacheWaiter)(void *data, const TokenValidation *v);

TokenCache *token_cache_new(guint capacity, guint negative_ttl_s, guint max_ttl_s);
void token_cache_free(TokenCache *cache);

TokenCacheLookup token_cache_lookup(TokenCache *cache, const TokenCacheKey *key, gint64 now_ms,
                                    TokenValidation **out, TokenCacheWaiter waiter,
                                    void *waiter_data);
/* The leader's answer (NULL: the fetch failed, nothing cached). Stores it
   unless the entry was invalidated meanwhile, then calls every waiter. */
void token_cache_complete(TokenCache *cache, const TokenCacheKey *key, const TokenValidation *v,
                          gint64 now_ms);

/* Eviction; each returns how many entries went. */
guint token_cache_evict_token(TokenCache *cache, const char *token_hash);
guint token_cache_evict_api(TokenCache *cache, const char *context, const char *version);
/* The answers about application_id's tokens (the hub's applicationId, as text), refusals
   that name no application, and every fetch under way (not stored when it lands). */
guint token_cache_evict_application(TokenCache *cache, const char *application_id);
/* The same, for the API context/version only (one application's subscription changed). */
guint token_cache_evict_application_api(TokenCache *cache, const char *application_id,
                                        const char *context, const char *version);
guint token_cache_flush(TokenCache *cache);
guint token_cache_size(TokenCache *cache);

/* A copy in one allocation (v's strings may be borrowed), with one reference;
   token_validation_free drops one and frees the copy with the last. */
TokenValidation *token_validation_copy(const TokenValidation *v);
TokenValidation *token_validation_ref(TokenValidation *v);
void token_validation_free(TokenValidation *v);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TokenValidation, token_validation_free)

#endif
