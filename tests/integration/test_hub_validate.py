"""The hub's WSO2 validation methods against the real stack: every
validateKey status code produced by a real call, the DTO filled the way the
reference gateway reads it, getAllURITemplates and validateKeyforHandshake.

Covers: authorized (exact template, path matching, every verb); 900901
unknown token / not subscribed; 900903 expired (1 s token, also once cached);
900904 revoked (on the hub that revoked and, within 2 s, on the other hub that
had it cached); 900905 sandbox key without a sandbox endpoint; 900906 resource
or verb mismatch; 900907 API blocked; 900908 auth type not allowed
(Application_User with an application token, Application with an end-user
token) and client domain not allowed; None resources needing no token; 900909
subscription blocked / on hold / production-only blocked; 900910 scope
missing; PUBLISHED → DEPRECATED still valid, RETIRED not.

Callers log in as the `gateway` user (the role a gateway has), as a real
gateway does.
"""
import time
import unittest
import uuid

import harness

ALL_VERBS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")


def make_api(resources, sandbox=None, api_tier="Unlimited", session=None):
    """A published API; resources as (verb, template[, authType[, tier[, scope]]]).
    sandbox "" makes an API without a sandbox endpoint (harness.new_api cannot)."""
    _, T, _ = harness.thrift_modules()
    suffix = uuid.uuid4().hex[:10]
    endpoint = harness.BACKEND or "http://127.0.0.1:9"
    res = []
    for r in resources:
        r = tuple(r) + (None,) * (5 - len(r))
        res.append(T.Resource(verb=r[0], uriTemplate=r[1], authType=r[2] or "Any",
                              throttlingTier=r[3] or "Unlimited", scope=r[4] or ""))
    api = T.Api(name="val" + suffix, context="/val" + suffix, version="1.0.0",
                productionEndpoint=endpoint,
                sandboxEndpoint=endpoint if sandbox is None else sandbox, resources=res,
                apiTier=api_tier)
    own = session is None
    s = session or harness.Session()
    try:
        s.call("createApi", api)
        created = s.call("setApiLifecycle", api.context, api.version, "PUBLISHED")
    finally:
        if own:
            s.close()
    return harness.to_dict(created)


class HubValidateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not harness.HUBS:
            raise unittest.SkipTest("no stack (TOLLGATE_HUBS unset)")
        _, cls.T, cls.W = harness.thrift_modules()
        cls.admin = harness.Session()
        cls.gw = [harness.Session("gateway", harness.gateway_password(), hub=k)
                  for k in range(len(harness.HUBS))]
        cls.api = make_api([("GET", "/items"), ("GET", "/items/{id}"), ("POST", "/items"),
                            ("PUT", "/items/{id}"), ("DELETE", "/items/{id}"),
                            ("GET", "/user", "Application_User"), ("GET", "/app", "Application"),
                            ("GET", "/scoped", "Any", "Unlimited", "menu:admin"),
                            ("GET", "/public", "None"), ("GET", "/files/*")],
                           session=cls.admin)
        cls.key = harness.new_app_with_key(api=cls.api, session=cls.admin)

    @classmethod
    def tearDownClass(cls):
        for s in getattr(cls, "gw", []):
            s.close()
        if getattr(cls, "admin", None):
            cls.admin.close()

    # ---------------------------------------------------------------- helpers

    def validate(self, token, resource="/items", verb="GET", api=None, domain="", hub=0):
        s = self.gw[hub]
        return harness.validate_key(s.client, s.sid, api or self.api, token, resource, verb,
                                    "Any", domain)

    def assertAuthorized(self, dto, what=""):
        self.assertTrue(dto.authorized, "%s: expected authorized, got %r" % (what, dto))

    def assertStatus(self, dto, code, what=""):
        self.assertFalse(dto.authorized, "%s: expected %d, got authorized %r" % (what, code, dto))
        self.assertEqual(dto.validationStatus, code, "%s: %r" % (what, dto))

    def wait_status(self, token, code, hub, timeout=2.0, **kw):
        """The status seen on hub within timeout (a functional bound: changes made
        through one hub must reach every hub's cache within 2 s)."""
        return harness.wait_until(
            lambda: (lambda d: d if not d.authorized and d.validationStatus == code else None)(
                self.validate(token, hub=hub, **kw)),
            timeout, interval=0.05, message="validationStatus %d on hub %d" % (code, hub + 1))

    def new_key(self, api=None, **kw):
        return harness.new_app_with_key(api=api or self.api, session=self.admin, **kw)

    def each_hub(self):
        return range(len(self.gw))

    # ---------------------------------------------------------------- authorized

    def test_authorized_exact_and_matched_resources(self):
        token = self.key["token"]
        for resource, verb in (("/items", "GET"), ("/items/{id}", "GET"), ("/items/42", "GET"),
                               ("/items", "POST"), ("/items/7", "PUT"), ("/items/7", "DELETE"),
                               ("/items?page=2", "GET"), ("/files/a/b/c.txt", "GET"),
                               ("/files", "GET"), ("/items", "get")):
            for hub in self.each_hub():
                self.assertAuthorized(self.validate(token, resource, verb, hub=hub),
                                      "%s %s on hub %d" % (verb, resource, hub + 1))

    def test_dto_fields(self):
        """Every field the reference gateway reads, with distinct values so a
        mix-up (tier for apiTier, owner for application...) shows."""
        T = self.T
        api = make_api([("GET", "/*")], api_tier="Silver", session=self.admin)
        owner = harness.new_user(roles=("subscriber",))["name"]
        app = self.admin.call("createApplication", T.Application(
            name=harness.unique("dto"), owner=owner, tier="20PerMin",
            allowedDomains=["example.com", "api.example.org"]))
        self.admin.call("subscribe", owner, app.name, api["context"], api["version"], "Gold")
        t0 = int(time.time() * 1000)
        keys = self.admin.call("generateKeys", owner, app.name, "PRODUCTION", 600,
                               ["read", "write"])
        t1 = int(time.time() * 1000)
        for hub in self.each_hub():
            dto = self.validate(keys.accessToken, "/anything", api=api, domain="example.com",
                                hub=hub)
            where = "hub %d: %r" % (hub + 1, dto)
            self.assertAuthorized(dto, where)
            self.assertEqual(dto.subscriber, owner, where)
            self.assertEqual(dto.applicationName, app.name, where)
            self.assertEqual(dto.applicationId, str(app.id), where)
            self.assertEqual(dto.applicationTier, "20PerMin", where)
            self.assertEqual(dto.tier, "Gold", where)
            self.assertEqual(dto.apiTier, "Silver", where)
            self.assertEqual(dto.type, "PRODUCTION", where)
            self.assertEqual(dto.consumerKey, keys.consumerKey, where)
            self.assertEqual(dto.apiName, api["name"], where)
            self.assertEqual(dto.apiPublisher, "admin", where)
            # an application token acts for the application's owner
            self.assertEqual(dto.endUserName, owner, where)
            self.assertEqual(dto.validityPeriod, 600 * 1000, where)        # ms, as WSO2
            self.assertGreaterEqual(dto.issuedTime, t0 - 5000, where)      # ms since the epoch
            self.assertLessEqual(dto.issuedTime, t1 + 5000, where)
            self.assertEqual(set(dto.scopes or ()), {"read", "write"}, where)
            self.assertEqual(sorted(dto.authorizedDomains or ()),
                             ["api.example.org", "example.com"], where)
            self.assertIsInstance(dto.stopOnQuotaReach, bool, where)
            self.assertIsInstance(dto.spikeArrestLimit, int, where)
            self.assertIsNotNone(dto.throttlingDataList, where)
            self.assertFalse(dto.endUserToken, "the hub must not hand out tokens: %r" % dto)

    def test_dto_sandbox_and_end_user_token(self):
        app = self.key["app"]["name"]
        sandbox = self.admin.call("generateKeys", "admin", app, "SANDBOX", 0, [])
        dto = self.validate(sandbox.accessToken)
        self.assertAuthorized(dto, "sandbox token")
        self.assertEqual(dto.type, "SANDBOX")
        self.assertEqual(dto.consumerKey, sandbox.consumerKey)
        self.assertNotEqual(sandbox.consumerKey, self.key["consumerKey"],
                            "one consumer key per key type")
        user = self.admin.call("issueToken", "admin", app, "PRODUCTION", 0, [], "alice")
        dto = self.validate(user.accessToken, "/user")
        self.assertAuthorized(dto, "end-user token on Application_User")
        self.assertEqual(dto.endUserName, "alice")
        self.assertEqual(dto.subscriber, "admin")

    def test_same_answer_on_every_hub(self):
        answers = [self.validate(self.key["token"], hub=hub) for hub in self.each_hub()]
        for dto in answers[1:]:
            self.assertEqual(dto, answers[0])

    # ---------------------------------------------------------------- 900901

    def test_900901_unknown_token(self):
        for token in (uuid.uuid4().hex, "x' OR '1'='1", "%", "t" * 4000):
            for hub in self.each_hub():
                self.assertStatus(self.validate(token, hub=hub), 900901, "token %r" % token[:20])
        self.assertFalse(self.validate("").authorized, "empty token authorized")

    def test_not_subscribed_or_unknown_api_refused(self):
        other = make_api([("GET", "/*")], session=self.admin)
        dto = self.validate(self.key["token"], "/x", api=other)
        self.assertFalse(dto.authorized, dto)
        self.assertTrue(dto.validationStatus, dto)
        for api in ({"context": "/nosuch" + uuid.uuid4().hex[:8], "version": "1.0.0"},
                    {"context": self.api["context"], "version": "9.9.9"}):
            dto = self.validate(self.key["token"], api=api)
            self.assertFalse(dto.authorized, "%r: %r" % (api, dto))

    # ---------------------------------------------------------------- 900903

    def test_900903_expired(self):
        key = self.new_key(validity=1)
        first = self.validate(key["token"])
        if first.authorized:     # cached now: the expiry must still be checked on a hit
            self.assertEqual(first.validityPeriod, 1000)
        for hub in self.each_hub():   # 1 s validity: expired well within 4 s of issuing
            self.wait_status(key["token"], 900903, hub, timeout=4)

    # ---------------------------------------------------------------- 900904

    def test_900904_revoked_on_every_hub(self):
        key = self.new_key()
        for hub in self.each_hub():
            self.assertAuthorized(self.validate(key["token"], hub=hub), "before revoking")
        self.admin.call("revokeToken", key["token"])
        self.assertStatus(self.validate(key["token"], hub=0), 900904, "hub 1 right after revoking")
        for hub in self.each_hub():
            self.wait_status(key["token"], 900904, hub, timeout=2)
        # the other tokens of the application are not affected
        self.assertAuthorized(self.validate(self.key["token"]))

    # ---------------------------------------------------------------- 900905

    def test_900905_sandbox_key_without_sandbox_endpoint(self):
        api = make_api([("GET", "/*")], sandbox="", session=self.admin)
        prod = self.new_key(api=api)
        self.assertAuthorized(self.validate(prod["token"], "/x", api=api), "production key")
        sandbox = self.admin.call("generateKeys", "admin", prod["app"]["name"], "SANDBOX", 0, [])
        self.assertStatus(self.validate(sandbox.accessToken, "/x", api=api), 900905)

    # ---------------------------------------------------------------- 900906

    def test_900906_no_matching_resource_or_verb(self):
        token = self.key["token"]
        for resource, verb in (("/nothing", "GET"), ("/items", "DELETE"), ("/items/1/extra", "GET"),
                               ("/item", "GET"), ("/itemsX", "GET"), ("/items", "PATCH"),
                               ("/", "GET"), ("", "GET"), ("/items", "")):
            self.assertStatus(self.validate(token, resource, verb), 900906,
                              "%s %r" % (verb, resource))

    # ---------------------------------------------------------------- 900907

    def test_900907_api_blocked(self):
        api = make_api([("GET", "/*")], session=self.admin)
        key = self.new_key(api=api)
        for hub in self.each_hub():
            self.assertAuthorized(self.validate(key["token"], "/x", api=api, hub=hub))
        self.admin.call("setApiLifecycle", api["context"], api["version"], "BLOCKED")
        self.assertStatus(self.validate(key["token"], "/x", api=api), 900907)
        for hub in self.each_hub():
            self.wait_status(key["token"], 900907, hub, resource="/x", api=api)

    def test_deprecated_still_valid_retired_not(self):
        api = make_api([("GET", "/*")], session=self.admin)
        key = self.new_key(api=api)
        self.assertAuthorized(self.validate(key["token"], "/x", api=api))
        self.admin.call("setApiLifecycle", api["context"], api["version"], "DEPRECATED")
        self.assertAuthorized(self.validate(key["token"], "/x", api=api), "DEPRECATED API")
        self.admin.call("setApiLifecycle", api["context"], api["version"], "RETIRED")
        for hub in self.each_hub():
            harness.wait_until(lambda: not self.validate(key["token"], "/x", api=api,
                                                         hub=hub).authorized,
                               2, message="RETIRED API refused on hub %d" % (hub + 1))

    # ---------------------------------------------------------------- 900908

    def test_900908_auth_type_not_allowed(self):
        app_token = self.key["token"]
        user = self.admin.call("issueToken", "admin", self.key["app"]["name"], "PRODUCTION", 0, [],
                               "bob")
        self.assertStatus(self.validate(app_token, "/user"), 900908,
                          "application token on an Application_User resource")
        self.assertStatus(self.validate(user.accessToken, "/app"), 900908,
                          "end-user token on an Application resource")
        self.assertAuthorized(self.validate(app_token, "/app"), "application token on Application")
        self.assertAuthorized(self.validate(user.accessToken, "/user"), "user token on App_User")
        self.assertAuthorized(self.validate(user.accessToken, "/items"), "user token on Any")

    def test_none_resource_needs_no_token(self):
        for token in ("", uuid.uuid4().hex, self.key["token"]):
            self.assertAuthorized(self.validate(token, "/public"), "None resource, token %r" % token)
        # but only that resource
        self.assertStatus(self.validate(uuid.uuid4().hex, "/items"), 900901)

    def test_900908_client_domain_not_allowed(self):
        key = self.new_key(allowedDomains=["shop.example.com", "example.org"])
        for domain in ("shop.example.com", "example.org"):
            self.assertAuthorized(self.validate(key["token"], domain=domain), domain)
        for domain in ("evil.example.net", "example.com", "shop.example.com.evil.net",
                       "%", "' OR '1'='1"):
            self.assertStatus(self.validate(key["token"], domain=domain), 900908,
                              "domain %r" % domain)
        # an application without a domain list takes any domain
        self.assertAuthorized(self.validate(self.key["token"], domain="anything.example.net"))

    # ---------------------------------------------------------------- 900909

    def test_900909_subscription_blocked(self):
        key = self.new_key()
        app, owner = key["app"]["name"], key["owner"]
        sandbox = self.admin.call("generateKeys", owner, app, "SANDBOX", 0, [])
        for hub in self.each_hub():
            self.assertAuthorized(self.validate(key["token"], hub=hub))

        def set_status(status):
            self.admin.call("setSubscriptionStatus", owner, app, self.api["context"],
                            self.api["version"], status)

        set_status("BLOCKED")
        self.assertStatus(self.validate(key["token"]), 900909, "BLOCKED")
        for hub in self.each_hub():
            self.wait_status(key["token"], 900909, hub)
        self.assertStatus(self.validate(sandbox.accessToken), 900909, "BLOCKED, sandbox key")
        set_status("UNBLOCKED")
        for hub in self.each_hub():
            harness.wait_until(lambda: self.validate(key["token"], hub=hub).authorized, 2,
                               message="unblocked on hub %d" % (hub + 1))
        set_status("ON_HOLD")
        self.assertStatus(self.validate(key["token"]), 900909, "ON_HOLD")
        set_status("PROD_ONLY_BLOCKED")
        self.assertStatus(self.validate(key["token"]), 900909, "PROD_ONLY_BLOCKED, production key")
        self.assertAuthorized(self.validate(sandbox.accessToken), "PROD_ONLY_BLOCKED, sandbox key")

    # ---------------------------------------------------------------- 900910

    def test_900910_missing_scope(self):
        self.assertStatus(self.validate(self.key["token"], "/scoped"), 900910, "no scope")
        other = self.new_key(scopes=["menu:read"])
        self.assertStatus(self.validate(other["token"], "/scoped"), 900910, "another scope")
        scoped = self.new_key(scopes=["menu:read", "menu:admin"])
        dto = self.validate(scoped["token"], "/scoped")
        self.assertAuthorized(dto, "token with the scope")
        self.assertIn("menu:admin", dto.scopes)

    # ---------------------------------------------------------------- getAllURITemplates

    def test_get_all_uri_templates(self):
        # resource tiers are RESOURCE-level tiers (a SUBSCRIPTION name is refused: tier_refs.c)
        gold, silver = harness.unique("ResGold"), harness.unique("ResSilver")
        for name in (gold, silver):
            self.admin.call("addTier", self.T.Tier(name=name, level="RESOURCE", requestCount=0,
                                                   unitTime=60))
        api = make_api([("GET", "/menu/{id}", "Application", gold),
                        ("POST", "/orders", "Application_User", silver),
                        ("DELETE", "/orders/*", "None")], session=self.admin)
        for hub in self.each_hub():
            s = self.gw[hub]
            got = s.client.getAllURITemplates(api["context"], api["version"], s.sid)
            self.assertEqual(
                sorted((t.httpVerb, t.uriTemplate, t.authType, t.throttlingTier) for t in got),
                [("DELETE", "/orders/*", "None", "Unlimited"),
                 ("GET", "/menu/{id}", "Application", gold),
                 ("POST", "/orders", "Application_User", silver)], "hub %d" % (hub + 1))
            for t in got:
                self.assertEqual(t.resourceURI, api["productionEndpoint"], t)
                self.assertEqual(t.resourceSandboxURI, api["sandboxEndpoint"], t)
        s = self.gw[0]
        unknown = s.client.getAllURITemplates("/nosuch" + uuid.uuid4().hex[:8], "1.0.0", s.sid)
        self.assertEqual(list(unknown or []), [])

    def test_get_all_uri_templates_needs_gateway_session(self):
        user = harness.new_user(roles=("subscriber", "publisher"))
        with harness.Session(user["name"], user["password"]) as s:
            with self.assertRaises(self.W.APIKeyMgtException):
                s.client.getAllURITemplates(self.api["context"], self.api["version"], s.sid)
        with self.assertRaises(self.W.APIKeyMgtException):
            self.gw[0].client.getAllURITemplates(self.api["context"], self.api["version"], "")

    # ---------------------------------------------------------------- validateKeyforHandshake

    def handshake(self, token, api=None, hub=0):
        s = self.gw[hub]
        api = api or self.api
        return s.client.validateKeyforHandshake(api["context"], api["version"], token, s.sid)

    def test_validate_key_for_handshake(self):
        for hub in self.each_hub():
            dto = self.handshake(self.key["token"], hub=hub)
            self.assertAuthorized(dto, "handshake on hub %d" % (hub + 1))
            self.assertEqual(dto.consumerKey, self.key["consumerKey"])
            self.assertEqual(dto.applicationName, self.key["app"]["name"])
            self.assertEqual(dto.type, "PRODUCTION")
        # no resource is checked: an API whose only resource is GET /menu
        api = make_api([("GET", "/menu", "Application_User", "Unlimited", "some:scope")],
                       session=self.admin)
        key = self.new_key(api=api)
        self.assertAuthorized(self.handshake(key["token"], api=api), "resource-free handshake")
        self.assertStatus(self.handshake(uuid.uuid4().hex), 900901, "handshake, unknown token")
        self.assertFalse(self.handshake(self.key["token"], api=make_api(
            [("GET", "/*")], session=self.admin)).authorized, "handshake, not subscribed")

    def test_handshake_revoked_and_blocked(self):
        key = self.new_key()
        self.assertAuthorized(self.handshake(key["token"]))
        self.admin.call("setSubscriptionStatus", key["owner"], key["app"]["name"],
                        self.api["context"], self.api["version"], "BLOCKED")
        self.assertStatus(self.handshake(key["token"]), 900909, "handshake, subscription blocked")
        self.admin.call("revokeToken", key["token"])
        self.assertStatus(self.handshake(key["token"]), 900904, "handshake, revoked")

    # ---------------------------------------------------------------- callers

    def test_admin_may_validate_too(self):
        dto = harness.validate_key(self.admin.client, self.admin.sid, self.api, self.key["token"],
                                   "/items")
        self.assertAuthorized(dto, "admin session")


if __name__ == "__main__":
    unittest.main()
