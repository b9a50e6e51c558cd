/*
 * tollgate.thrift: Tollgate's own service. It extends the WSO2-compatible
 * APIKeyValidationService, so one port and one processor serve both a WSO2
 * gateway (which never calls the extra methods) and our gateway, portal and
 * tollgatectl.
 *
 * Conventions for every method below:
 *  - arg 1 is the session id returned by authenticate() unless stated;
 *  - errors are TollgateException with an HTTP-like code:
 *      400 invalid argument, 401 no/expired/forged session, 403 role or owner
 *      does not allow it, 404 not found, 409 already exists / wrong state,
 *      503 database unavailable;
 *  - times are Unix seconds, durations are seconds;
 *  - secrets (consumer secret, access and refresh tokens) appear in a result
 *    only once, when they are created; the hub stores only their SHA-256.
 * New fields and methods may be added; ids are never reused.
 */

include "wso2.thrift"

namespace c_glib Tg
namespace py tollgate
namespace java org.tollgate.thrift

exception TollgateException {
    1: required string message,
    2: optional i32 code
}

struct User {
    1: optional string name,
    2: optional list<string> roles,
    3: optional i64 createdAt
}

/* One resource (URI template) of an API. */
struct Resource {
    1: optional string verb,            /* GET, POST, ... */
    2: optional string uriTemplate,     /* /items/{id}, /items/*, /* */
    3: optional string authType,        /* Any | Application | Application_User | None */
    4: optional string throttlingTier,  /* resource tier, default Unlimited */
    5: optional string scope            /* empty: no scope required */
}

/* A scope an API declares, and who may hold it (WSO2's scope-to-role binding): a token
   gets the scope only when its user (the end user of a password grant, else the
   application's owner) has one of roles; no roles: anyone may. */
struct ApiScope {
    1: optional string name,            /* an OAuth2 scope token (RFC 6749 3.3) */
    2: optional string description,
    3: optional list<string> roles      /* admin | publisher | subscriber | gateway */
}

/* status: CREATED | PUBLISHED | DEPRECATED | RETIRED | BLOCKED */
struct Api {
    1: optional i64 id,
    2: optional string name,
    3: optional string context,         /* /pizza */
    4: optional string version,         /* 1.0.0 */
    5: optional string provider,        /* user who created it */
    6: optional string status,
    7: optional string productionEndpoint,
    8: optional string sandboxEndpoint,
    9: optional list<Resource> resources,
    10: optional string apiTier,        /* API-level throttling tier */
    11: optional bool isDefaultVersion,
    12: optional string description,
    13: optional list<string> subscriptionTiers,  /* tiers offered; empty = all */
    14: optional i64 updatedAt,
    15: optional list<ApiScope> scopes, /* the scopes it declares; absent on update: unchanged */
    /* HTTPS endpoints: verify the backend's certificate and name (absent: true) */
    16: optional bool upstreamTlsVerify = true,
    17: optional string hardLimit,      /* backend protection, every caller together: "N/second" | "N/minute"; "" none */
    18: optional list<string> tags      /* portal search: tag:NAME; lower case, at most 16 */
}

struct Application {
    1: optional i64 id,
    2: optional string name,
    3: optional string owner,
    4: optional string tier,            /* application tier, default Unlimited */
    5: optional string callbackUrl,
    6: optional list<string> allowedDomains,  /* empty or "ALL": any domain */
    7: optional string description,
    8: optional i64 createdAt
}

/* status: UNBLOCKED | BLOCKED | PROD_ONLY_BLOCKED | ON_HOLD (awaiting approval: a tier with
   requiresApproval) | REJECTED (the provider refused it); validateKey refuses all but UNBLOCKED
   (and PROD_ONLY_BLOCKED for sandbox keys) */
struct Subscription {
    1: optional i64 id,
    2: optional string applicationName,
    3: optional string applicationOwner,
    4: optional string apiContext,
    5: optional string apiVersion,
    6: optional string tier,
    7: optional string status,
    8: optional string apiName,
    9: optional i64 createdAt
}

/* What generateKeys / issueToken / the OAuth2 endpoint hand out. */
struct KeySet {
    1: optional string consumerKey,
    2: optional string consumerSecret,  /* only when the key is created */
    3: optional string accessToken,
    4: optional string refreshToken,
    5: optional i64 expiresIn,          /* seconds; 0 or less: never expires */
    6: optional string keyType,         /* PRODUCTION | SANDBOX */
    7: optional list<string> scopes,
    /* regenerateConsumerSecret: until when (Unix s) the previous secret still works; 0: not at all */
    8: optional i64 previousSecretValidUntil
}

/* A token as listed: never the token itself. status: ACTIVE | REVOKED | EXPIRED */
struct TokenInfo {
    1: optional i64 id,
    2: optional string tokenHashPrefix, /* first 12 hex chars of SHA-256 */
    3: optional string keyType,
    4: optional string status,
    5: optional i64 issuedAt,
    6: optional i64 validityPeriod,
    7: optional string endUserName,
    8: optional string applicationName,
    9: optional string consumerKey,
    10: optional list<string> scopes
}

/* level: SUBSCRIPTION | APPLICATION | API | RESOURCE */
struct Tier {
    1: optional string name,
    2: optional string level,
    3: optional i64 requestCount,       /* 0 = unlimited */
    4: optional i64 unitTime,           /* seconds */
    5: optional string description,
    6: optional bool stopOnQuotaReach,
    60: optional i64 bytesCount,        /* bandwidth per unitTime; 0 = none */
    61: optional i64 burstCount,        /* spike arrest: requests per burstUnitTime; 0 = none */
    62: optional i64 burstUnitTime,     /* seconds: 1 or 60 */
    63: optional bool sliding,          /* sliding window instead of fixed */
    64: optional string failMode,       /* static (default) | closed | open: hubs unreachable */
    65: optional bool requiresApproval  /* SUBSCRIPTION tiers: a new subscription waits ON_HOLD */
}

struct Document {
    1: optional i64 id,
    2: optional string apiContext,
    3: optional string apiVersion,
    4: optional string name,
    5: optional string type,            /* HOWTO | SAMPLES | PUBLIC_FORUM | SUPPORT_FORUM | API_MESSAGE_FORMAT | OTHER */
    6: optional string summary,
    7: optional string sourceType,      /* INLINE | URL */
    8: optional string content,         /* INLINE text */
    9: optional string sourceUrl,
    10: optional i64 updatedAt
}

/*
 * Gateway change feed. kind and subject:
 *   API_CHANGED           "context:version" (its current state is in GatewayConfig.apis)
 *   TOKEN_REVOKED         hex SHA-256 of the token
 *   SUBSCRIPTION_CHANGED  "context:version" of the subscribed API
 *   APPLICATION_CHANGED   application id
 *   BLOCK_CHANGED         "" (blocking conditions changed: listBlockConditions)
 */
struct GatewayChange {
    1: optional i64 revision,
    2: optional string kind,
    3: optional string subject,
    /* SUBSCRIPTION_CHANGED: the application whose subscription to the API (subject) changed,
       so only its entries need to go; absent: every entry of the API */
    20: optional i64 applicationId
}

struct GatewayConfig {
    1: optional i64 revision,           /* pass back as sinceRevision next time */
    2: optional bool fullSync,          /* true: apis is every API a gateway serves; drop all caches */
    3: optional list<Api> apis,         /* fullSync: all; else only the changed ones */
    4: optional list<GatewayChange> changes
}

/* One aggregate of calls, made by a gateway per second and per key below. */
struct UsageRecord {
    1: optional i64 timestamp,          /* start of the second */
    2: optional string gatewayId,
    3: optional string apiContext,
    4: optional string apiVersion,
    5: optional string resource,        /* the matched URI template */
    6: optional string verb,
    7: optional string applicationId,
    8: optional string subscriber,
    9: optional string keyType,
    10: optional i32 status,            /* HTTP status returned to the client */
    11: optional i64 count,
    12: optional i64 latencyMsTotal,
    13: optional i64 latencyMsMax,
    14: optional i64 bytesIn,
    15: optional i64 bytesOut,
    /* calls per latency bucket; upper bounds in ms: 1 2 5 10 20 50 100 200 500 1000 2000 5000, then
       one more bucket for anything slower (13 counts); absent: no histogram (p50/p99 unknown) */
    16: optional list<i64> latencyHistogram,
    /* of count: calls let through over quota (a tier with stopOnQuotaReach false) */
    17: optional i64 overQuotaCount
}

/* Traffic management: one throttle key's credit, asked by a gateway. key is the
   gateway's name for the counter (level, tier and who: "SUB|Gold|42|/pizza:1.0.0");
   the limit comes from the tier (or the API's hard limit), never from the gateway. */
struct CreditRequest {
    1: optional string key,
    2: optional string level,           /* SUBSCRIPTION | APPLICATION | API | RESOURCE | HARD | BURST */
    3: optional string tier,            /* tier name; HARD: "context:version" */
    4: optional i64 requested,
    5: optional i64 windowStart         /* ms; 0: the current window */
}

struct CreditGrant {
    1: optional string key,
    2: optional i64 granted,
    3: optional i64 windowStart,        /* ms, hub clock */
    4: optional i64 windowEnd,          /* ms */
    5: optional i64 limit,              /* 0: unlimited (nothing to count) */
    6: optional i64 remaining,          /* left in the ledger after this grant */
    7: optional i32 gatewaysSeen,       /* gateways that asked or reported lately (static fail mode) */
    8: optional string failMode,
    9: optional bool stopOnQuotaReach
}

struct CreditReport {
    1: optional string key,
    2: optional i64 windowStart,
    3: optional i64 used,
    4: optional i64 unused              /* returned to the ledger */
}

/* kind: API ("/ctx:VERSION") | APPLICATION ("OWNER:NAME") | USER | IP ("ADDR" or "ADDR/PREFIX") */
struct BlockCondition {
    1: optional i64 id,
    2: optional string kind,
    3: optional string value,
    4: optional i64 createdAt
}

/* Traffic management (issue 14): a custom policy counts requests or bytes per window,
   keyed by who calls. keyBy: USER | APPLICATION | API | IP | HEADER */
struct CustomPolicy {
    1: optional i64 id,
    2: optional string name,
    3: optional string keyBy,
    4: optional string headerName,      /* keyBy HEADER: the header whose value is the key */
    5: optional i64 requestCount,       /* 0: no request limit */
    6: optional i64 bytesCount,         /* 0: no bandwidth limit */
    7: optional i64 unitTime,           /* seconds: 1, 60, 3600, 86400 */
    8: optional bool sliding,
    9: optional string apiContext,      /* "" every API */
    10: optional string description,
    11: optional i64 createdAt
}

/* Portal (issue 15) */
struct ApiPage {
    1: optional list<Api> apis,
    2: optional string nextCursor,      /* "" last page; pass back as cursor */
    3: optional i64 total               /* matches in all (-1: not counted) */
}

struct ApplicationPage {
    1: optional list<Application> applications,
    2: optional string nextCursor
}

/* One bucket of usage for a chart. start: Unix s; width: the range's step */
struct UsageBucket {
    1: optional i64 start,
    2: optional i64 count2xx,
    3: optional i64 count3xx,
    4: optional i64 count4xx,
    5: optional i64 count5xx,
    6: optional i64 throttled,          /* answered 429 */
    7: optional i64 overQuota,
    8: optional i64 p50Ms,              /* -1: unknown */
    9: optional i64 p99Ms,
    10: optional i64 bytesIn,
    11: optional i64 bytesOut
}

struct UsageSeries {
    1: optional string scope,           /* API | APPLICATION */
    2: optional string subject,
    3: optional string range,           /* HOUR (60 s steps) | DAY (1 h) | WEEK (6 h) */
    4: optional i64 step,
    5: optional list<UsageBucket> buckets  /* oldest first, every step present */
}

/* Who did what, when, from where: every publisher and admin action. */
struct AuditEntry {
    1: optional i64 id,
    2: optional i64 at,
    3: optional string actor,
    4: optional string action,          /* the method name: createApi, setUserRoles, ... */
    5: optional string subject,         /* what it acted on: "/pizza:1.0.0", a user name, ... */
    6: optional string clientAddress,   /* the end client's address as the caller reported it, else the peer's */
    7: optional string detail
}

struct AuditPage {
    1: optional list<AuditEntry> entries,
    2: optional string nextCursor
}

/* A portal session as the hubs keep it (issue 15): the portal's cookie or bearer token is a
   hub session id; the hubs store its SHA-256 with the idle and absolute limits. */
struct PortalSession {
    1: optional string handle,          /* the first 16 hex of the id's SHA-256: names it */
    2: optional string kind,            /* cookie | bearer */
    3: optional string user,
    4: optional i64 created,
    5: optional i64 lastSeen,           /* refreshed at most every min(60, idle/4) s */
    6: optional i64 expiresAt,          /* the earlier of the idle and the absolute end */
    7: optional string clientAddress,
    8: optional string userAgent,
    9: optional bool current,           /* the caller's own session (listMySessions) */
    10: optional string csrf            /* portalSessionCheck only: the synchronizer token */
}

service Tollgate extends wso2.APIKeyValidationService {
    /* Login: same wire signature as wso2.AuthenticatorService. */
    string authenticate(1: required string userName, 2: required string password)
        throws (1: wso2.AuthenticationException authentication_exception),
    bool isAuthenticated(1: required string sessionId),
    void logout(1: required string sessionId),

    /* Users and roles (admin). Roles: admin, publisher, subscriber, gateway. */
    User addUser(1: string sessionId, 2: string userName, 3: string password, 4: list<string> roles)
        throws (1: TollgateException err),
    list<User> listUsers(1: string sessionId) throws (1: TollgateException err),
    void deleteUser(1: string sessionId, 2: string userName) throws (1: TollgateException err),
    void setUserRoles(1: string sessionId, 2: string userName, 3: list<string> roles)
        throws (1: TollgateException err),
    /* A user changes their own password; admin may change anyone's (oldPassword ignored). */
    void changePassword(1: string sessionId, 2: string userName, 3: string oldPassword, 4: string newPassword)
        throws (1: TollgateException err),

    /* APIs (publisher or admin). An API is named by context and version. */
    Api createApi(1: string sessionId, 2: Api api) throws (1: TollgateException err),
    Api updateApi(1: string sessionId, 2: Api api) throws (1: TollgateException err),
    Api createNewVersion(1: string sessionId, 2: string context, 3: string version, 4: string newVersion)
        throws (1: TollgateException err),
    Api setApiLifecycle(1: string sessionId, 2: string context, 3: string version, 4: string status)
        throws (1: TollgateException err),
    Api getApi(1: string sessionId, 2: string context, 3: string version) throws (1: TollgateException err),
    list<Api> listApis(1: string sessionId) throws (1: TollgateException err),
    void deleteApi(1: string sessionId, 2: string context, 3: string version) throws (1: TollgateException err),

    list<Tier> listTiers(1: string sessionId) throws (1: TollgateException err),

    /* Applications (subscriber for their own; admin for anyone's). owner "" = the caller. */
    Application createApplication(1: string sessionId, 2: Application app) throws (1: TollgateException err),
    Application updateApplication(1: string sessionId, 2: Application app) throws (1: TollgateException err),
    void deleteApplication(1: string sessionId, 2: string owner, 3: string name) throws (1: TollgateException err),
    list<Application> listApplications(1: string sessionId, 2: string owner) throws (1: TollgateException err),

    /* Subscriptions. */
    Subscription subscribe(1: string sessionId, 2: string owner, 3: string applicationName,
                           4: string apiContext, 5: string apiVersion, 6: string tier)
        throws (1: TollgateException err),
    void unsubscribe(1: string sessionId, 2: string owner, 3: string applicationName,
                     4: string apiContext, 5: string apiVersion) throws (1: TollgateException err),
    /* Publisher/admin: block, unblock, put on hold. */
    Subscription setSubscriptionStatus(1: string sessionId, 2: string owner, 3: string applicationName,
                                       4: string apiContext, 5: string apiVersion, 6: string status)
        throws (1: TollgateException err),
    /* owner "" and applicationName "": every subscription the caller may see. */
    list<Subscription> listSubscriptions(1: string sessionId, 2: string owner, 3: string applicationName)
        throws (1: TollgateException err),

    /* Keys: creates the consumer key/secret for that key type on first call and
       issues an access token every call. validity 0: the hub's default. */
    KeySet generateKeys(1: string sessionId, 2: string owner, 3: string applicationName,
                        4: string keyType, 5: i64 validitySeconds, 6: list<string> scopes)
        throws (1: TollgateException err),
    /* Tokens: issue for an existing key, revoke by value, list (never the values). */
    KeySet issueToken(1: string sessionId, 2: string owner, 3: string applicationName,
                      4: string keyType, 5: i64 validitySeconds, 6: list<string> scopes,
                      7: string endUserName) throws (1: TollgateException err),
    void revokeToken(1: string sessionId, 2: string accessToken) throws (1: TollgateException err),
    list<TokenInfo> listTokens(1: string sessionId, 2: string owner, 3: string applicationName)
        throws (1: TollgateException err),

    /* Documentation, kept in regdb. */
    Document addDocument(1: string sessionId, 2: Document doc) throws (1: TollgateException err),
    list<Document> listDocuments(1: string sessionId, 2: string apiContext, 3: string apiVersion)
        throws (1: TollgateException err),
    void deleteDocument(1: string sessionId, 2: i64 documentId) throws (1: TollgateException err),

    /* Gateway feed (role gateway or admin). sinceRevision 0: full sync. */
    GatewayConfig getGatewayConfig(1: string sessionId, 2: i64 sinceRevision)
        throws (1: TollgateException err),
    /* Usage batches from gateways, written to statdb. batchId: the sender's id for this
       batch (unique per sender, at most 128 bytes); a batch sent again with an id already
       stored (its answer was lost) is acknowledged and not counted twice. "" or absent:
       no check. */
    void publishUsage(1: string sessionId, 2: list<UsageRecord> records, 3: string batchId)
        throws (1: TollgateException err),

    /* Traffic management */
    /* Credit for throttle keys (role gateway): each request names a key, its policy and
       how much the gateway wants; the hub grants at most what the ledger still holds for
       the key's current window (sum granted <= limit), possibly less, possibly 0. */
    list<CreditGrant> grantCredits(1: string sessionId, 2: string gatewayId, 3: list<CreditRequest> requests)
        throws (1: TollgateException err),
    /* Used and unused credit (role gateway); unused credit goes back to the window's
       ledger. batchId as in publishUsage: a batch sent again is not counted twice. */
    void reportCredits(1: string sessionId, 2: string gatewayId, 3: list<CreditReport> reports, 4: string batchId)
        throws (1: TollgateException err),
    /* Tiers (admin; getTier any role). level as in Tier. */
    Tier addTier(1: string sessionId, 2: Tier tier) throws (1: TollgateException err),
    Tier getTier(1: string sessionId, 2: string name, 3: string level) throws (1: TollgateException err),
    void deleteTier(1: string sessionId, 2: string name, 3: string level) throws (1: TollgateException err),
    /* Blocking conditions (admin; list also gateway). */
    BlockCondition addBlockCondition(1: string sessionId, 2: BlockCondition condition)
        throws (1: TollgateException err),
    list<BlockCondition> listBlockConditions(1: string sessionId) throws (1: TollgateException err),
    void deleteBlockCondition(1: string sessionId, 2: i64 id) throws (1: TollgateException err),
    /* Custom policies (admin; list also gateway). */
    CustomPolicy addCustomPolicy(1: string sessionId, 2: CustomPolicy policy)
        throws (1: TollgateException err),
    list<CustomPolicy> listCustomPolicies(1: string sessionId) throws (1: TollgateException err),
    void deleteCustomPolicy(1: string sessionId, 2: i64 id) throws (1: TollgateException err),

    /* Portal (issue 15). */
    /* Like authenticate, for a client that speaks for an end user (the portal): clientAddress
       is recorded with the session and used by the login failure limiter and the audit log. */
    string authenticateFrom(1: string userName, 2: string password, 3: string clientAddress)
        throws (1: TollgateException err),
    /* Re-authentication before a sensitive action: 401 when password is not the session user's. */
    void verifyPassword(1: string sessionId, 2: string password) throws (1: TollgateException err),
    /* Self sign-up (no session): role subscriber; 403 when sign-up is off (setting
       "signup_enabled"), 409 the name is taken, 400 a weak password or a bad name. */
    User signUp(1: string userName, 2: string password, 3: string clientAddress)
        throws (1: TollgateException err),
    /* Portal settings: public ones readable without a session ("" session). Known names:
       signup_enabled ("true" | "false"). Set: admin. */
    map<string, string> getSettings(1: string sessionId) throws (1: TollgateException err),
    void setSetting(1: string sessionId, 2: string name, 3: string value) throws (1: TollgateException err),
    /* Store search with keyset pagination: query is words and NAME:VALUE fields (name:, context:,
       tag:, provider:, version:, status:), AND-ed; "" all. An empty sessionId (anonymous) or a
       subscriber sees PUBLISHED and DEPRECATED APIs only; publisher: also their own; admin: all.
       limit 1..100. Never a full scan: answered from indexes. */
    ApiPage searchApis(1: string sessionId, 2: string query, 3: string cursor, 4: i32 limit)
        throws (1: TollgateException err),
    /* An API as the store shows it ("" session: only PUBLISHED/DEPRECATED). */
    Api getPublicApi(1: string sessionId, 2: string context, 3: string version)
        throws (1: TollgateException err),
    /* Applications with keyset pagination: owner "" = the caller's own (admin: any owner). */
    ApplicationPage listApplicationsPage(1: string sessionId, 2: string owner, 3: string cursor, 4: i32 limit)
        throws (1: TollgateException err),
    /* Subscriptions to one API (its provider or admin). */
    list<Subscription> listApiSubscriptions(1: string sessionId, 2: string apiContext, 3: string apiVersion)
        throws (1: TollgateException err),
    /* A new consumer secret; the previous one keeps working for graceSeconds (0..86400). */
    KeySet regenerateConsumerSecret(1: string sessionId, 2: string owner, 3: string applicationName,
                                    4: string keyType, 5: i64 graceSeconds)
        throws (1: TollgateException err),
    /* Usage from statdb: scope API (subject "context:version", its provider or admin) or
       APPLICATION (subject "owner:name", its owner or admin). range HOUR | DAY | WEEK. */
    UsageSeries getUsage(1: string sessionId, 2: string scope, 3: string subject, 4: string range)
        throws (1: TollgateException err),
    /* Audit log (admin), newest first. */
    AuditPage listAudit(1: string sessionId, 2: string cursor, 3: i32 limit)
        throws (1: TollgateException err),

    /* Tokens by id (issue 15). */
    /* Revokes the token listTokens shows as tokenId in that application (owner "" = the
       caller; the application's owner or admin), exactly as revokeToken: gateways refuse it
       within 2 s. 404 when the application has no token with that id (also when the id is
       another application's, so ids cannot be probed); 400 an id below 1; revoking a
       revoked token again changes nothing. */
    void revokeTokenById(1: string sessionId, 2: string owner, 3: string applicationName,
                         4: i64 tokenId) throws (1: TollgateException err),
    /* Portal sessions kept by the hubs (issue 15, ids 110-119): any portal accepts any
       portal's session, and a portal restart keeps them. */
    /* 110: a login (the failure limiter sees it, as authenticateFrom) that starts a portal
       session: kind cookie (idleSeconds 1..86400) or bearer (no idle end, idleSeconds 0);
       absoluteSeconds 2..604800 is also the returned hub session's lifetime. */
    string portalLogin(1: string userName, 2: string password, 3: string clientAddress,
                       4: string userAgent, 5: string kind, 6: i32 idleSeconds,
                       7: i32 absoluteSeconds) throws (1: TollgateException err),
    /* 111: the session if it is a live portal session (401 otherwise: unknown, logged out,
       idle or past its absolute end, which also ends it); refreshes its last use. */
    PortalSession portalSessionCheck(1: string sessionId) throws (1: TollgateException err),
    /* 112: the caller's live portal sessions, newest first (at most 100). */
    list<PortalSession> listMySessions(1: string sessionId) throws (1: TollgateException err),
    /* 113: ends the caller's session named by handle, or every other one when handle is "";
       returns how many ended. Every hub refuses them within about a second. */
    i32 endMySessions(1: string sessionId, 2: string handle) throws (1: TollgateException err)
}
