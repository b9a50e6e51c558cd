"""Revoking a token by the id the token list shows (issue 15), against the real stack: the
hub's revokeTokenById (refused at every gateway within 2 s while a second token of the same
application keeps working, one TOKEN_REVOKED change for that token only, idempotent, the
audit log, the per-user write budget; another user's token id is a 404 like an unknown one
and stays valid; a subscriber cannot act for another owner; bad ids and names with SQL
metacharacters refused cleanly), the portal's Revoke button on the token list (a POST form
with CSRF, no token value) and its JSON endpoint .../applications/NAME/tokens/ID/revoke.
"""
import hashlib
import json
import time
import unittest
import urllib.parse

import harness
import test_portal_store as store

SQL_NAMES = ("x' OR '1'='1", "x\" OR \"1\"=\"1", "x'; DELETE FROM AM_ACCESS_TOKEN; --", "%", "_",
             "x\\", "' UNION SELECT access_token_hash FROM AM_ACCESS_TOKEN --")


def digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def gw_status(api, token, k=0):
    """(HTTP status, fault code or None) of a call through gateway k."""
    status, _, body = harness.http("GET", harness.api_url(api, "/echo", k),
                                   headers={"Authorization": "Bearer %s" % token})
    code = None
    if status != 200:
        try:
            code = json.loads(body.decode())["fault"]["code"]
        except (ValueError, KeyError):
            pass
    return status, code


def wait_served(api, token):
    """Until every gateway serves token (routes the API and caches the token)."""
    for k in range(len(harness.GATEWAYS)):
        harness.wait_until(lambda: gw_status(api, token, k)[0] == 200, 10,
                           message="token served by gateway %d" % (k + 1))


def wait_refused(api, token, t0, timeout=5):
    """Seconds after t0 at which each gateway answered 401 900904 for token."""
    pending, seen = set(range(len(harness.GATEWAYS))), {}
    while pending and time.monotonic() - t0 < timeout:
        for k in sorted(pending):
            status, code = gw_status(api, token, k)
            if status == 401:
                seen[k] = (time.monotonic() - t0, code)
                pending.discard(k)
        time.sleep(0.02)
    return pending, seen


def token_id(session, owner, app, token):
    prefix = digest(token)[:12]
    for t in session.call("listTokens", owner, app):
        if t.tokenHashPrefix == prefix:
            return t.id, t.status
    raise AssertionError("token %s... not listed" % prefix)


class HubRevokeByIdTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not harness.HUBS or not harness.GATEWAYS:
            raise unittest.SkipTest("no stack (TOLLGATE_HUBS / TOLLGATE_GATEWAYS unset)")
        cls.Tollgate, cls.T, _ = harness.thrift_modules()
        cls.api = harness.new_api()
        cls.alice, cls.bob = harness.new_user(), harness.new_user()
        cls.sessions = []
        cls.a = cls.session(cls.alice)
        cls.b = cls.session(cls.bob)
        cls.admin = cls.session(None)

    @classmethod
    def session(cls, user, hub=0):
        s = (harness.Session(hub=hub) if user is None
             else harness.Session(user["name"], user["password"], hub))
        cls.sessions.append(s)
        return s

    @classmethod
    def tearDownClass(cls):
        for s in getattr(cls, "sessions", []):
            s.close()

    def assertCode(self, code, session, *args):
        with self.assertRaises(self.T.TollgateException) as cm:
            session.call("revokeTokenById", *args)
        self.assertEqual(cm.exception.code, code, cm.exception.message)
        self.assertTrue(cm.exception.message)
        return cm.exception

    def key(self, session):
        return harness.new_app_with_key(api=self.api, session=session)

    def test_revoked_on_every_gateway_within_2s_second_token_works(self):
        key = self.key(self.a)
        app = key["app"]["name"]
        second = self.a.call("issueToken", "", app, "PRODUCTION", 0, [], "").accessToken
        wait_served(self.api, key["token"])
        wait_served(self.api, second)
        tid, status = token_id(self.a, "", app, key["token"])
        self.assertEqual(status, "ACTIVE")
        hubs = [self.admin] + [self.session(None, hub=h) for h in range(1, len(harness.HUBS))]
        for s in hubs:   # now in every hub's validation cache too
            v = harness.validate_key(s.client, s.sid, self.api, key["token"])
            self.assertTrue(v.authorized, v)
        before = self.admin.call("getGatewayConfig", 0).revision
        t0 = time.monotonic()
        self.a.call("revokeTokenById", "", app, tid)
        pending, seen = wait_refused(self.api, key["token"], t0)
        for k, (t, code) in sorted(seen.items()):
            print("revokeTokenById seen on gateway %d after %.3f s" % (k + 1, t))
            self.assertEqual(code, 900904, "gateway %d" % (k + 1))
        self.assertFalse(pending, "gateways still accepting the revoked token: %s" % pending)
        self.assertLess(max(t for t, _ in seen.values()), 2.0, seen)
        for k in range(len(harness.GATEWAYS)):   # the caches dropped that token only
            self.assertEqual(gw_status(self.api, second, k), (200, None), "gateway %d" % (k + 1))
        for h, s in enumerate(hubs):   # and every hub answers 900904 (it is past 2 s by now)
            v = harness.validate_key(s.client, s.sid, self.api, key["token"])
            self.assertEqual(v.validationStatus, 900904, "hub %d" % (h + 1))
            v = harness.validate_key(s.client, s.sid, self.api, second)
            self.assertTrue(v.authorized, "hub %d: %r" % (h + 1, v))
        changes = self.admin.call("getGatewayConfig", before).changes or []
        revoked = [c.subject for c in changes if c.kind == "TOKEN_REVOKED"]
        self.assertEqual(revoked, [digest(key["token"])])
        statuses = {t.id: t.status for t in self.a.call("listTokens", "", app)}
        self.assertEqual(statuses[tid], "REVOKED")
        self.assertEqual(statuses[token_id(self.a, "", app, second)[0]], "ACTIVE")
        # again: no error, no second change
        rev = self.admin.call("getGatewayConfig", 0).revision
        self.a.call("revokeTokenById", "", app, tid)
        again = self.admin.call("getGatewayConfig", rev).changes or []
        self.assertEqual([c for c in again if c.kind == "TOKEN_REVOKED"
                          and c.subject == digest(key["token"])], [])

    def test_other_users_token_id_is_404_and_stays_valid(self):
        mine, theirs = self.key(self.a), self.key(self.b)
        wait_served(self.api, theirs["token"])
        their_id, _ = token_id(self.b, "", theirs["app"]["name"], theirs["token"])
        own_app = mine["app"]["name"]
        # bob's id named in alice's application, and bob's application named as alice's
        e1 = self.assertCode(404, self.a, "", own_app, their_id)
        self.assertCode(404, self.a, "", theirs["app"]["name"], their_id)
        # the refusal reads like the one for an id nobody has: ids cannot be probed
        e2 = self.assertCode(404, self.a, "", own_app, 2 ** 62)
        self.assertEqual(e1.message, "%s has no token %d" % (own_app, their_id))
        self.assertEqual(e2.message, "%s has no token %d" % (own_app, 2 ** 62))
        for k in range(len(harness.GATEWAYS)):
            self.assertEqual(gw_status(self.api, theirs["token"], k), (200, None))
        self.assertEqual(token_id(self.b, "", theirs["app"]["name"], theirs["token"])[1], "ACTIVE")

    def test_subscriber_cannot_act_for_another_owner_admin_can(self):
        theirs = self.key(self.b)
        app = theirs["app"]["name"]
        their_id, _ = token_id(self.b, "", app, theirs["token"])
        self.assertCode(403, self.a, self.bob["name"], app, their_id)
        self.assertCode(403, self.a, self.bob["name"], app, 2 ** 62)   # same answer: no probe
        pub = harness.new_user(("publisher",))
        with harness.Session(pub["name"], pub["password"]) as p:
            self.assertCode(403, p, self.bob["name"], app, their_id)
            self.assertCode(403, p, "", app, their_id)
        anon, transport = harness.thrift_client()
        try:
            with self.assertRaises(self.T.TollgateException) as cm:
                anon.revokeTokenById("not-a-session", self.bob["name"], app, their_id)
            self.assertEqual(cm.exception.code, 401)
        finally:
            transport.close()
        self.assertEqual(token_id(self.b, "", app, theirs["token"])[1], "ACTIVE")
        # the admin may, and the audit log keeps who revoked which token of whose application
        self.admin.call("revokeTokenById", self.bob["name"], app, their_id)
        self.assertEqual(token_id(self.b, "", app, theirs["token"])[1], "REVOKED")
        self.b.call("revokeTokenById", "", app, their_id)   # the owner again: idempotent
        entries = self.admin.call("listAudit", "", 50).entries
        subject = "%s/%s token %d" % (self.bob["name"], app, their_id)
        actors = [e.actor for e in entries if e.action == "revokeTokenById" and e.subject == subject]
        self.assertEqual(actors[-1], "admin")
        self.assertIn(self.bob["name"], actors)

    def test_bad_ids_and_names_refused_cleanly(self):
        key = self.key(self.a)
        app = key["app"]["name"]
        for bad in (0, -1, -(2 ** 63)):
            self.assertCode(400, self.a, "", app, bad)
        self.assertCode(404, self.a, "", app, 2 ** 63 - 1)
        for name in SQL_NAMES:
            self.assertCode(404, self.a, "", name, 1)
            self.assertCode(404, self.admin, self.alice["name"], name, 1)
            self.assertCode(404, self.admin, name, app, 1)
            self.assertCode(403, self.a, name, app, 1)
        self.assertCode(400, self.a, "", "", 1)
        self.assertCode(400, self.a, "", "x\x01y", 1)
        self.assertCode(400, self.admin, "", "a" * 1000, 1)   # over the name limit (255 bytes)
        # the raw i64 on the wire: a huge id and a negative one, nothing else changes
        wait_served(self.api, key["token"])
        self.assertEqual(token_id(self.a, "", app, key["token"])[1], "ACTIVE")
        self.assertTrue(self.admin.call("isAuthenticated"))

    def test_counts_against_the_write_budget(self):
        user = harness.new_user()
        rate = int(harness.hub_config(1, "mgmt_write_rate", 10))
        burst = int(harness.hub_config(1, "mgmt_write_burst", 50))
        with harness.Session(user["name"], user["password"]) as s:
            key = harness.new_app_with_key(api=self.api, session=s)
            app = key["app"]["name"]
            tid, _ = token_id(s, "", app, key["token"])
            refusal, tried = None, 0
            for _ in range(burst + 10 * rate):
                tried += 1
                try:
                    s.call("revokeTokenById", "", app, 2 ** 62)
                except self.T.TollgateException as e:
                    if e.code != 404:
                        refusal = e
                        break
            self.assertIsNotNone(refusal, "%d revocations in a row were all answered" % tried)
            self.assertEqual(refusal.code, 429, refusal.message)
            self.assertGreaterEqual(tried, burst - 4)   # new_app_with_key made 3 writes
            with self.assertRaises(self.T.TollgateException) as cm:
                s.call("revokeTokenById", "", app, tid)
            self.assertEqual(cm.exception.code, 429)
            self.assertEqual(token_id(s, "", app, key["token"])[1], "ACTIVE")
            time.sleep(2.0 / rate + 0.2)
            s.call("revokeTokenById", "", app, tid)
            self.assertEqual(token_id(s, "", app, key["token"])[1], "REVOKED")


@unittest.skipUnless(store.PORTAL, "no portal in this stack (TOLLGATE_PORTAL unset)")
class PortalRevokeFromListTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.user = harness.new_user(("subscriber",))
        cls.other = harness.new_user(("subscriber",))
        cls.api = harness.new_api()
        cls.tok = store.api_token(cls.user["name"], cls.user["password"])["access_token"]
        cls.other_tok = store.api_token(cls.other["name"], cls.other["password"])["access_token"]

    def call(self, method, path, body=None, tok=None):
        status, _, text, _ = store.Browser().request(
            method, path, body=body if body is not None else {},
            headers=store.bearer(tok or self.tok))
        return status, (json.loads(text) if text.strip() else None)

    def app_with_tokens(self, tok=None):
        app = harness.unique("rapp")
        self.assertEqual(self.call("POST", "/api/store/v1/applications", {"name": app}, tok)[0], 201)
        self.assertEqual(self.call("POST", "/api/store/v1/subscriptions",
                                   {"application": app, "context": self.api["context"],
                                    "version": self.api["version"], "tier": "Unlimited"}, tok)[0], 201)
        status, keys = self.call("POST", "/api/store/v1/applications/%s/keys" % app,
                                 {"keyType": "PRODUCTION"}, tok)
        self.assertEqual(status, 201, keys)
        status, more = self.call("POST", "/api/store/v1/applications/%s/tokens" % app,
                                 {"keyType": "PRODUCTION"}, tok)
        self.assertEqual(status, 201, more)
        return app, keys["accessToken"], more["accessToken"]

    def listed(self, app, token, tok=None):
        status, toks = self.call("GET", "/api/store/v1/applications/%s/tokens" % app, tok=tok)
        self.assertEqual(status, 200, toks)
        for t in toks["tokens"]:
            if t["tokenHashPrefix"] == digest(token)[:12]:
                return t
        raise AssertionError("token not listed")

    def test_json_revoke_by_id_without_the_value(self):
        app, token, second = self.app_with_tokens()
        wait_served(self.api, token)
        wait_served(self.api, second)
        t = self.listed(app, token)
        self.assertIsInstance(t["id"], int)
        path = "/api/store/v1/applications/%s/tokens/%d/revoke" % (urllib.parse.quote(app), t["id"])
        # another user, naming the id in their own application or in this one: 404, still served
        other_app = self.app_with_tokens(self.other_tok)[0]
        status, err = self.call("POST", "/api/store/v1/applications/%s/tokens/%d/revoke"
                                % (urllib.parse.quote(other_app), t["id"]), tok=self.other_tok)
        self.assertEqual(status, 404, err)
        status, err = self.call("POST", path, tok=self.other_tok)
        self.assertEqual(status, 404, err)
        self.assertEqual(gw_status(self.api, token), (200, None))
        t0 = time.monotonic()
        status, body = self.call("POST", path)
        self.assertEqual(status, 204, body)
        pending, seen = wait_refused(self.api, token, t0)
        self.assertFalse(pending, seen)
        self.assertLess(max(s for s, _ in seen.values()), 2.0, seen)
        self.assertEqual(gw_status(self.api, second), (200, None))
        self.assertEqual(self.listed(app, token)["status"], "REVOKED")
        self.assertEqual(self.call("POST", path)[0], 204)   # twice: the same answer
        for bad in ("0", "-1", "abc", "1%20OR%201=1", "1'", "%2B1", "1.0", "99999999999999999999", ""):
            status, err = self.call("POST", "/api/store/v1/applications/%s/tokens/%s/revoke"
                                    % (urllib.parse.quote(app), bad))
            self.assertIn(status, (400, 404), bad)
            self.assertTrue(err and err["message"], bad)
            if bad not in ("",):
                self.assertEqual(status, 400, "%s: %s" % (bad, err))
        self.assertEqual(gw_status(self.api, second), (200, None))

    def test_page_revoke_button_with_csrf_no_value(self):
        app, token, second = self.app_with_tokens()
        wait_served(self.api, token)
        b = store.Browser()
        b.login(self.user["name"], self.user["password"])
        page = "/store/apps/" + urllib.parse.quote(app)
        status, _, text, _ = b.get(page)
        self.assertEqual(status, 200)
        tid = self.listed(app, token)["id"]
        self.assertNotIn(token, text)
        forms = [f for f in text.split("<form")[1:] if 'action="/store/tokens/revoke"' in f]
        by_id = [f for f in forms if 'name="id" value="%d"' % tid in f]
        self.assertEqual(len(by_id), 1, "one Revoke button for the token")
        self.assertIn('method="post"', by_id[0])
        self.assertIn('name="csrf"', by_id[0])
        self.assertIn("Revoke token %s" % digest(token)[:12], by_id[0])   # its accessible name
        self.assertNotIn('name="token"', by_id[0])
        form = {"application": app, "id": str(tid)}
        # no CSRF token, a wrong one, and cross-site with the right one: refused, still served
        self.assertEqual(b.post("/store/tokens/revoke", form, with_csrf=False)[0], 403)
        self.assertEqual(b.post("/store/tokens/revoke", dict(form, csrf="0" * 64))[0], 403)
        self.assertEqual(b.post("/store/tokens/revoke", form, same_origin=False,
                                headers={"Sec-Fetch-Site": "cross-site",
                                         "Origin": "https://evil.example"})[0], 403)
        status, _, _, _ = b.request("POST", "/api/store/v1/applications/%s/tokens/%d/revoke"
                                    % (urllib.parse.quote(app), tid), body={})
        self.assertEqual(status, 403)   # the JSON API with a cookie needs the token too
        time.sleep(1.5)
        self.assertEqual(gw_status(self.api, token), (200, None))
        self.assertEqual(self.listed(app, token)["status"], "ACTIVE")
        # a bad id from the form: 400, nothing revoked
        for bad in ("abc", "0", "-3", "1 OR 1=1", ""):
            self.assertEqual(b.post("/store/tokens/revoke", dict(form, id=bad))[0], 400, bad)
        # with the page's CSRF token: revoked, the page says so and offers no button for it
        status, hdrs, _, _ = b.post("/store/tokens/revoke", form)
        self.assertEqual(status, 303)
        status, _, text, _ = b.get(hdrs["location"])
        self.assertIn("Token revoked", text)
        self.assertNotIn('name="id" value="%d"' % tid, text)
        harness.wait_until(lambda: gw_status(self.api, token)[0] == 401, 2.0,
                           message="revoked from the page, refused by the gateway")
        self.assertEqual(gw_status(self.api, second), (200, None))
