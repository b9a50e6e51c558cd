"""test_hostile_hub_ownership.py: the hub's ownership and fairness rules tried
as a hostile tenant would: another publisher's context, URLs that shadow
another API, documents of someone else's API, a tenant's own change loop that
must not empty everyone's caches, a write flood, and sessions that must end
with the user. Each attack is followed by assertStillServing().
"""
import base64
import json
import re
import time
import unittest
import urllib.parse

import harness
from hostile import HostileCase

META = "x'; DROP TABLE AM_API; -- \\ % _ \" `"   # SQL metacharacters for text fields


def metric(text, name, labels=None):
    """Sum of the samples of `name` (whose labels contain `labels`) in a Prometheus text."""
    total = 0.0
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        m = re.match(r"^%s(\{[^}]*\})?\s+([0-9.eE+-]+)$" % re.escape(name), line)
        if m and (labels is None or labels in (m.group(1) or "")):
            total += float(m.group(2))
    return total


def metrics(url):
    headers = harness.metrics_headers() if url in harness.HUB_HTTPS else None
    status, _, body = harness.http("GET", url.rstrip("/") + "/metrics", headers=headers)
    assert status == 200, (status, body[:200])
    return body.decode()


def oauth(path, form, key, hub=0):
    """POST form to the hub's /token or /revoke with key's client credentials (Basic)."""
    raw = "%s:%s" % (urllib.parse.quote(key["consumerKey"], safe=""),
                     urllib.parse.quote(key["consumerSecret"], safe=""))
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Authorization": "Basic " + base64.b64encode(raw.encode()).decode()}
    status, _, data = harness.http("POST", harness.HUB_HTTPS[hub] + path, headers=headers,
                                   body=urllib.parse.urlencode(form))
    return status, json.loads(data.decode() or "{}")


class OwnershipCase(HostileCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _, cls.T, _ = harness.thrift_modules()
        cls.alice = harness.new_user(("publisher",))
        cls.mallory = harness.new_user(("publisher",))
        cls.sub = harness.new_user(("subscriber",))

    def session(self, user, hub=0):
        return harness.Session(user["name"], user["password"], hub=hub)

    @staticmethod
    def create(session, context, version):
        return harness.new_api(context=context, version=version, session=session, publish=False)

    def refused(self, code, fn, *args):
        with self.assertRaises(self.T.TollgateException) as cm:
            fn(*args)
        self.assertEqual(code, cm.exception.code, cm.exception.message)
        return cm.exception

    # ---- API ownership and overlapping paths

    def test_other_publisher_cannot_add_a_version_to_a_context(self):
        with self.session(self.alice) as a, self.session(self.mallory) as m:
            api = harness.new_api(session=a, publish=False)
            ctx = api["context"]
            # createApi of another version in alice's context
            self.refused(403, self.create, m, ctx, "9.0.0")
            self.refused(403, self.create, m, ctx, "1.0.0-x")
            # createNewVersion from alice's version
            self.refused(403, m.call, "createNewVersion", ctx, "1.0.0", "6.6.6")
            # and the default-version claim through updateApi on alice's API
            self.refused(403, m.call, "updateApi",
                         self.T.Api(context=ctx, version="1.0.0", isDefaultVersion=True))
            # alice herself still may
            v2 = a.call("createNewVersion", ctx, "1.0.0", "2.0.0")
            self.assertEqual("2.0.0", v2.version)
            harness.new_api(context=ctx, version="3.0.0", session=a, publish=False)
            theirs = harness.new_api(session=m, publish=False, isDefaultVersion=True)
            a.call("updateApi", self.T.Api(context=ctx, version="2.0.0", isDefaultVersion=True))
            self.assertTrue(a.call("updateApi", self.T.Api(context=ctx, version="3.0.0",
                                                           isDefaultVersion=True)).isDefaultVersion)
            # the default moved between alice's versions only, never out of her context
            self.assertFalse(a.call("getApi", ctx, "2.0.0").isDefaultVersion)
            self.assertTrue(m.call("getApi", theirs["context"], "1.0.0").isDefaultVersion)
        self.assertStillServing()

    def test_two_publishers_racing_for_a_new_context(self):
        """Both ask for the same new context at once, through different hubs: one gets it,
        the other a 403, never two owners."""
        import threading
        users = [self.alice, self.mallory]
        ctx = "/race" + harness.unique("c")
        results = [None, None]
        barrier = threading.Barrier(2)

        def claim(i):
            with self.session(users[i], hub=i) as s:
                barrier.wait()
                try:
                    results[i] = self.create(s, ctx, "%d.0" % i)["provider"]
                except self.T.TollgateException as e:
                    results[i] = e.code

        threads = [threading.Thread(target=claim, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        owners = [r for r in results if isinstance(r, str)]
        self.assertEqual(1, len(owners), results)
        self.assertIn(403, results)
        with harness.Session() as admin:
            apis = [a for a in admin.call("listApis") if a.context == ctx]
        self.assertEqual(owners, [a.provider for a in apis])
        self.assertStillServing()

    def test_admin_may_add_a_version_to_any_context(self):
        with self.session(self.alice) as a:
            api = harness.new_api(session=a, publish=False)
        created = harness.new_api(context=api["context"], version="2.0.0", publish=False)
        self.assertEqual("2.0.0", created["version"])
        self.assertStillServing()

    def test_context_shadowing_another_api_is_409(self):
        with self.session(self.alice) as a, self.session(self.mallory) as m:
            api = harness.new_api(session=a, publish=False)
            ctx = api["context"]
            # /ctx/1.0.0 as a context would take /ctx/1.0.0/... from alice's API
            for shadow in (ctx + "/1.0.0", ctx + "/1.0.0/x", ctx + "/1.0.0/x/y"):
                self.refused(409, self.create, m, shadow, "1")
            # the reverse: a context /q/2.0.0 exists, then /q:2.0.0 is asked for
            q = "/q" + harness.unique("c")
            harness.new_api(context=q + "/2.0.0", version="v", session=m, publish=False)
            self.refused(409, self.create, a, q, "2.0.0")
            # the same through createNewVersion (from an API of q's owner, as admin)
            harness.new_api(context=q, version="1.0.0", publish=False)
            with harness.Session() as admin:
                self.refused(409, admin.call, "createNewVersion", q, "1.0.0", "2.0.0")
            # a sibling path that does not overlap is fine
            harness.new_api(context=ctx + "/1.0.0-other", version="1", session=m, publish=False)
        self.assertStillServing()

    # ---- documents

    def doc(self, api, name=None):
        return self.T.Document(apiContext=api["context"], apiVersion=api["version"],
                               name=name or harness.unique("doc"), type="HOWTO",
                               sourceType="INLINE", summary=META, content=META)

    def test_documents_belong_to_the_api_provider(self):
        with self.session(self.alice) as a, self.session(self.mallory) as m, \
                self.session(self.sub) as s:
            api = harness.new_api(session=a, publish=False)
            self.refused(403, m.call, "addDocument", self.doc(api))
            d = a.call("addDocument", self.doc(api, name=META))
            self.assertEqual(META, d.name)
            # a subscriber does not see a CREATED API, nor its documents
            self.refused(404, s.call, "listDocuments", api["context"], api["version"])
            self.refused(403, m.call, "deleteDocument", d.id)
            docs = a.call("listDocuments", api["context"], api["version"])
            self.assertEqual([META], [x.name for x in docs])
            self.assertEqual(META, docs[0].content)
            a.call("setApiLifecycle", api["context"], api["version"], "PUBLISHED")
            self.assertEqual(1, len(s.call("listDocuments", api["context"], api["version"])))
            self.refused(403, s.call, "deleteDocument", d.id)   # role: not a publisher
            a.call("deleteDocument", d.id)
            self.assertEqual([], a.call("listDocuments", api["context"], api["version"]))
        self.assertStillServing()

    # ---- narrow cache evictions

    def churn(self, session, key, app, gw_session, rounds=5):
        """Tenant B's own loop: updateApplication, its subscription to the shared API
        blocked and unblocked, /token then /revoke, on both hubs. The tokens are validated
        (cached on hub 1) before their revocation; returns them."""
        revoked = []
        with harness.Session() as admin:   # the API's provider (admin) moderates
            for status in ("BLOCKED", "UNBLOCKED"):
                admin.call("setSubscriptionStatus", app["owner"], app["name"],
                           self.api["context"], self.api["version"], status)
        for i in range(rounds):
            session.call("updateApplication", self.T.Application(
                owner=app["owner"], name=app["name"], description="%s %d" % (META, i)))
            status, doc = oauth("/token", {"grant_type": "client_credentials"}, key, hub=i % 2)
            self.assertEqual(200, status, doc)
            self.assertTrue(harness.validate_key(gw_session.client, gw_session.sid, self.api,
                                                 doc["access_token"], "/echo").authorized)
            status, _ = oauth("/revoke", {"token": doc["access_token"]}, key, hub=(i + 1) % 2)
            self.assertEqual(200, status)
            revoked.append(doc["access_token"])
        return revoked

    def test_one_tenant_churn_keeps_other_tenants_cached(self):
        a, b = harness.new_user(), harness.new_user()
        with self.session(a) as sa, self.session(b) as sb:
            key_a = harness.new_app_with_key(self.api, owner=a["name"], session=sa)
            key_b = harness.new_app_with_key(self.api, owner=b["name"], session=sb)
        time.sleep(2.5)   # A's own subscription evicts A's entries: let the feeds apply it
        url_a = harness.api_url(self.api, "/echo", 0)
        gw = harness.GATEWAY_ADMIN[0]
        hit, miss = 'result="hit"', 'result="miss"'
        with harness.Session("gateway", harness.gateway_password()) as g, \
                self.session(b, hub=1) as sb:
            # tenant A, cached on gateway 1 and on hub 1
            self.assertEqual(200, harness.http("GET", url_a, headers=key_a["headers"])[0])
            self.assertTrue(harness.validate_key(g.client, g.sid, self.api, key_a["token"],
                                                 "/echo").authorized)
            revoked = self.churn(sb, key_b, key_b["app"], g)
            time.sleep(2.5)   # every hub watcher and gateway feed has applied B's changes
            gw_before, hub_before = metrics(gw), metrics(harness.HUB_HTTPS[0])
            self.assertEqual(200, harness.http("GET", url_a, headers=key_a["headers"])[0])
            self.assertTrue(harness.validate_key(g.client, g.sid, self.api, key_a["token"],
                                                 "/echo").authorized)
            gw_after, hub_after = metrics(gw), metrics(harness.HUB_HTTPS[0])
            # what B changed did go: B's revoked tokens (cached before) are refused on hub 1
            for token in revoked:
                self.assertFalse(harness.validate_key(g.client, g.sid, self.api, token,
                                                      "/echo").authorized)
        name = "tollgate_gateway_key_cache_total"
        self.assertEqual(metric(gw_before, name, miss), metric(gw_after, name, miss),
                         "tenant A's validation left gateway 1's cache")
        self.assertEqual(metric(gw_before, name, hit) + 1, metric(gw_after, name, hit))
        name = "tollgate_hub_validation_cache_total"
        self.assertEqual(metric(hub_before, name, miss), metric(hub_after, name, miss),
                         "tenant A's validation left hub 1's cache")
        self.assertGreater(metric(hub_after, name, hit), metric(hub_before, name, hit))
        self.assertStillServing()

    # ---- management writes rate-limited per user

    def test_write_flood_is_429_for_that_user_only(self):
        a, b = harness.new_user(), harness.new_user()
        rate = int(harness.hub_config(1, "mgmt_write_rate", 10))
        burst = int(harness.hub_config(1, "mgmt_write_burst", 50))
        with self.session(a) as sa, self.session(b) as sb:
            app_a = sa.call("createApplication", self.T.Application(name=harness.unique("a")))
            app_b = sb.call("createApplication", self.T.Application(name=harness.unique("b")))
            ok, refusal = 0, None
            for i in range(burst + 10 * rate):
                try:
                    sb.call("updateApplication", self.T.Application(
                        owner=b["name"], name=app_b.name, description=str(i)))
                    ok += 1
                except self.T.TollgateException as e:
                    refusal = e
                    break
            self.assertIsNotNone(refusal, "%d writes in a row were all accepted" % ok)
            self.assertEqual(429, refusal.code, refusal.message)
            self.assertIn("retry in", refusal.message)
            self.assertGreaterEqual(ok, burst - 1)   # createApplication took one
            # the same user through another method is refused too (the bucket is empty: only
            # what was earned back since goes through), reads still answer
            made = 0
            for _ in range(burst):
                try:
                    sb.call("createApplication", self.T.Application(name=harness.unique("b")))
                    made += 1
                except self.T.TollgateException as e:
                    self.assertEqual(429, e.code, e.message)
                    break
            else:
                self.fail("createApplication was never refused")
            self.assertLess(made, burst // 2)
            self.assertTrue(sb.call("listApplications", b["name"]))
            # another tenant's writes are not affected
            sa.call("updateApplication", self.T.Application(owner=a["name"], name=app_a.name,
                                                            description=META))
            # and the budget comes back
            time.sleep(2.0 / rate + 0.2)
            sb.call("updateApplication", self.T.Application(owner=b["name"], name=app_b.name,
                                                            description=META))
        self.assertStillServing()

    # ---- sessions follow the user

    def assertEndsWithin(self, session, seconds):
        """session's calls are refused (401) within `seconds` of now; returns how long it took."""
        t0 = time.monotonic()
        while True:
            try:
                session.call("listTiers")
            except self.T.TollgateException as e:
                self.assertEqual(401, e.code, e.message)
                break
            self.assertLess(time.monotonic() - t0, seconds, "the session still works")
            time.sleep(0.05)
        return time.monotonic() - t0

    def sessions_on_both_hubs(self, user):
        s1, s2 = self.session(user, hub=0), self.session(user, hub=1)
        for s in (s1, s2):
            self.assertTrue(s.call("listTiers"))   # remembered as checked on both hubs
        # the same session id on the other hub too
        x1 = harness.Session.__new__(harness.Session)
        x1.sid, (x1.client, x1.transport) = s1.sid, harness.thrift_client(1)
        self.assertTrue(x1.call("listTiers"))
        return s1, s2, x1

    def test_set_user_roles_ends_sessions_on_every_hub(self):
        # a user name made of SQL metacharacters: the cut-off is stored and read back by it
        u = harness.new_user(("publisher",), name="u'; DROP TABLE UM_SESSION_EPOCH; -- %_`\\"
                             + harness.unique("x"))
        s1, s2, x1 = self.sessions_on_both_hubs(u)
        with harness.Session(hub=0) as admin:
            admin.call("setUserRoles", u["name"], ["subscriber"])
        took = [self.assertEndsWithin(s, 2.0) for s in (s1, x1, s2)]
        print("sessions ended %.2f / %.2f / %.2f s after setUserRoles" % tuple(took))
        with self.session(u, hub=1) as fresh:      # a new login has the new roles
            self.refused(403, self.create, fresh, "/r" + harness.unique("c"), "1")
        for s in (s1, s2, x1):
            s.close()
        self.assertStillServing()

    def test_password_change_ends_sessions_on_every_hub(self):
        u = harness.new_user(("subscriber",), password=META)
        s1, s2, x1 = self.sessions_on_both_hubs(u)
        s2.call("changePassword", u["name"], META, META + "2")   # the user, on hub 2
        for s in (s1, x1, s2):
            self.assertEndsWithin(s, 2.0)
        with self.session(dict(u, password=META + "2"), hub=0) as fresh:
            self.assertTrue(fresh.call("listTiers"))
            time.sleep(1.2)   # past the 1 s check cache: still valid after a fresh check
            self.assertTrue(fresh.call("listTiers"))
        for s in (s1, s2, x1):
            s.close()
        self.assertStillServing()

    def test_gateways_log_in_again_when_their_sessions_end(self):
        """setUserRoles on the gateways' own user ends their sessions too: the next
        uncached validation logs in again instead of failing."""
        name, label = "tollgate_gateway_hub_rpc_errors_total", 'kind="session"'

        def session_errors():
            return sum(metric(metrics(gw), name, label) for gw in harness.GATEWAY_ADMIN)
        before = session_errors()
        with harness.Session() as admin:
            admin.call("setUserRoles", "gateway", ["gateway"])
        time.sleep(1.2)   # past every hub's 1 s check cache
        fresh = harness.new_app_with_key(self.api)   # not in any cache yet
        for k in range(len(harness.GATEWAYS)):
            st, _, body = harness.http("GET", harness.api_url(self.api, "/echo", k),
                                       headers=fresh["headers"])
            self.assertEqual(200, st, "gateway %d: %r" % (k + 1, body[:200]))
        self.assertGreater(session_errors(), before, "no gateway met its ended session")
        self.assertStillServing()

    def test_delete_user_ends_sessions_and_a_new_namesake_gets_none(self):
        u = harness.new_user(("subscriber",))
        s1, s2, x1 = self.sessions_on_both_hubs(u)
        with harness.Session(hub=1) as admin:
            admin.call("deleteUser", u["name"])
            for s in (s1, x1, s2):
                self.assertEndsWithin(s, 2.0)
            admin.call("addUser", u["name"], u["password"], ["subscriber"])
        self.assertEndsWithin(s1, 0.5)   # the old session stays dead for the new account
        for s in (s1, s2, x1):
            s.close()
        self.assertStillServing()

    # ---- scopes bound to roles

    ODD_SCOPE = "q'%_`;--#"    # SQL metacharacters are legal scope-token characters

    def scoped_api(self, publisher_session):
        T = self.T
        scopes = [T.ApiScope(name="menu:write", description=META, roles=["publisher"]),
                  T.ApiScope(name="menu:read", roles=[]),
                  T.ApiScope(name=self.ODD_SCOPE, description=META, roles=["subscriber"])]
        return harness.new_api(resources=[("GET", "/w", "Any", None, "menu:write"),
                                           ("GET", "/r", "Any", None, "menu:read"),
                                           ("GET", "/l", "Any", None, "legacy")],
                               session=publisher_session, scopes=scopes)

    def test_scopes_granted_only_to_entitled_users(self):
        T = self.T
        pub = harness.new_user(("publisher",))
        owner = harness.new_user(("subscriber",))
        with self.session(pub) as p:
            api = self.scoped_api(p)
            stored = p.call("getApi", api["context"], api["version"])
        self.assertEqual(META, [x for x in stored.scopes if x.name == "menu:write"][0].description)
        self.assertEqual(["publisher"], [x for x in stored.scopes if x.name == "menu:write"][0].roles)
        odd = [x for x in stored.scopes if x.name == self.ODD_SCOPE]
        self.assertEqual([(META, ["subscriber"])], [(x.description, x.roles) for x in odd])
        want = ["menu:write", "menu:read", "legacy"]
        with self.session(owner) as o:
            key = harness.new_app_with_key(api, owner=owner["name"], session=o,
                                           scopes=want + [self.ODD_SCOPE])
            # generateKeys: the owner (a subscriber) may not hold menu:write
            self.assertEqual(["menu:read", "legacy", self.ODD_SCOPE], key["scopes"])
        with harness.Session() as admin:
            # issueToken by an admin: still the application owner's roles that count
            ks = admin.call("issueToken", owner["name"], key["app"]["name"], "PRODUCTION", 0,
                            want, "")
            self.assertEqual(["menu:read", "legacy"], ks.scopes)
        # /token client_credentials: the owner's roles; the answer says what was granted
        status, doc = oauth("/token", {"grant_type": "client_credentials",
                                       "scope": "menu:write menu:read"}, key)
        self.assertEqual(200, status, doc)
        self.assertEqual("menu:read", doc["scope"])
        # /token password grant: the end user's roles (a publisher may hold menu:write)
        status, doc_pub = oauth("/token", {"grant_type": "password", "username": pub["name"],
                                           "password": pub["password"],
                                           "scope": "menu:write legacy"}, key, hub=1)
        self.assertEqual(200, status, doc_pub)
        self.assertEqual("menu:write legacy", doc_pub["scope"])
        # and the resources enforce what was granted
        with harness.Session("gateway", harness.gateway_password()) as g:
            def ok(token, resource):
                return harness.validate_key(g.client, g.sid, api, token, resource).authorized
            self.assertFalse(ok(key["token"], "/w"))
            self.assertTrue(ok(key["token"], "/r"))
            self.assertTrue(ok(key["token"], "/l"))      # undeclared scope: as before
            self.assertFalse(ok(doc["access_token"], "/w"))
            self.assertTrue(ok(doc_pub["access_token"], "/w"))
        self.assertStillServing()

    def test_another_api_cannot_widen_a_declared_scope(self):
        pub = harness.new_user(("publisher",))
        mallory = harness.new_user(("publisher",))
        owner = harness.new_user(("subscriber",))
        with self.session(pub) as p:
            api = self.scoped_api(p)
        with self.session(mallory) as m:
            # mallory declares menu:write open to subscribers on an API of his own
            harness.new_api(session=m, scopes=[self.T.ApiScope(
                name="menu:write", roles=["subscriber", "publisher"])])
        with self.session(owner) as o:
            key = harness.new_app_with_key(api, owner=owner["name"], session=o,
                                           scopes=["menu:write"])
        self.assertEqual([], key.get("scopes", []))
        self.assertStillServing()

    def test_ctl_declares_scopes(self):
        api = harness.new_api()
        ref = "%s:%s" % (api["context"], api["version"])
        harness.ctl("api", "update", ref, "--scope", "orders:admin admin,publisher " + META,
                    "--scope", "orders:read -")
        with harness.Session() as admin:
            got = admin.call("getApi", api["context"], api["version"])
        scopes = {x.name: (x.roles, x.description) for x in got.scopes}
        self.assertEqual((["admin", "publisher"], META), scopes["orders:admin"])
        self.assertEqual(([], ""), scopes["orders:read"])
        bad = harness.ctl("api", "update", ref, "--scope", "x root", check=False)
        self.assertEqual(400, bad.get("code"), bad)
        harness.ctl("api", "update", ref, "--no-scopes")
        with harness.Session() as admin:
            self.assertFalse(admin.call("getApi", api["context"], api["version"]).scopes)
        self.assertStillServing()


if __name__ == "__main__":
    unittest.main()
