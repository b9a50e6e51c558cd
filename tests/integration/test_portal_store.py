"""The portal's store against the real stack (portal, 2 hubs, 2 gateways,
MariaDB, backend): HTML pages and the JSON API, every role refusal, CSRF
(no token, wrong token, cross-site, foreign or null Origin, login CSRF),
cookie flags (__Host-, HttpOnly, Secure, SameSite=Strict, a new id at every
login), logout and "end other sessions" killing cookies, security headers on
every kind of answer, user text escaped (an API and an application named
<script>alert(1)</script>), keys shown once and the token working through a
gateway, tokens listed without their values, revoke, re-authentication before
delete and secret regeneration, the try-it console, /api/openapi.json.

Tests that need the hub's portal methods (searchApis, getPublicApi, signUp,
regenerateConsumerSecret) are skipped when the hub binary lacks them: calling
an unimplemented method would bring a hub down.
"""
import hashlib
import http.client
import json
import os
import re
import time
import unittest
import urllib.parse

import harness

PORTAL = harness.ENV.get("TOLLGATE_PORTAL", "")
XSS = "<script>alert(1)</script>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def hub_has(symbol):
    """TRUE when the hub binary implements a method (its handler symbol is linked in)."""
    path = harness.binary("tollgate-keyvalidator")
    if not path:
        return False
    with open(path, "rb") as f:
        return symbol.encode() in f.read()


PORTAL_METHODS = bool(PORTAL) and all(hub_has("hub_method_" + m) for m in (
    "search_apis", "get_public_api", "sign_up", "regenerate_consumer_secret", "verify_password"))


class Browser:
    """A cookie-keeping HTTPS client that behaves like a same-origin browser
    unless told otherwise."""

    def __init__(self):
        self.cookies = {}
        parts = urllib.parse.urlsplit(PORTAL)
        self.host, self.port = parts.hostname, parts.port
        self.origin = "https://%s:%d" % (self.host, self.port)
        self.csrf = None

    def request(self, method, path, form=None, body=None, headers=None, same_origin=True,
                cookies=True):
        conn = http.client.HTTPSConnection(self.host, self.port, timeout=20,
                                           context=harness.ssl_context())
        h = {"Host": "%s:%d" % (self.host, self.port)}
        if cookies and self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if method != "GET" and same_origin:
            h["Sec-Fetch-Site"] = "same-origin"
            h["Origin"] = self.origin
        if form is not None:
            body = urllib.parse.urlencode(form)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        elif isinstance(body, (dict, list)):
            body = json.dumps(body)
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        try:
            conn.request(method, path, body=body, headers=h)
            resp = conn.getresponse()
            data = resp.read()
            set_cookies = [v for k, v in resp.getheaders() if k.lower() == "set-cookie"]
            hdrs = {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()
        for sc in set_cookies:
            name, _, rest = sc.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in sc:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        text = data.decode("utf-8", "replace")
        m = re.search(r'name="csrf" value="([0-9a-f]+)"', text)
        if m:
            self.csrf = m.group(1)
        return resp.status, hdrs, text, set_cookies

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, form, with_csrf=True, **kw):
        form = dict(form)
        if with_csrf and self.csrf and "csrf" not in form:
            form["csrf"] = self.csrf
        return self.request("POST", path, form=form, **kw)

    def login(self, user, password):
        status, _, _, _ = self.get("/login")
        if status == 303:  # signed in already: take the session's token from a page
            self.get("/account/sessions")
        status, hdrs, _, cookies = self.post("/login", {"username": user, "password": password})
        assert status == 303, "login as %s: %s" % (user, status)
        self.get("/store/apps")  # picks up the session's CSRF token
        return cookies


def api_token(user, password):
    b = Browser()
    status, _, text, _ = b.request("POST", "/api/auth/token", body={"username": user, "password": password})
    assert status == 200, text
    return json.loads(text)


def bearer(token):
    return {"Authorization": "Bearer " + token, "Accept": "application/json"}


@unittest.skipUnless(PORTAL, "no portal in this stack (TOLLGATE_PORTAL unset)")
class PortalSecurityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.alice = harness.new_user(("subscriber",))
        cls.pub = harness.new_user(("publisher",))

    def assert_security_headers(self, hdrs, what):
        csp = hdrs.get("content-security-policy", "")
        self.assertIn("default-src 'none'", csp, what)
        self.assertIn("script-src 'self'", csp, what)
        self.assertIn("style-src 'self'", csp, what)
        self.assertIn("frame-ancestors 'none'", csp, what)
        self.assertNotIn("unsafe-inline", csp, what)
        self.assertNotIn("unsafe-eval", csp, what)
        self.assertEqual(hdrs.get("x-content-type-options"), "nosniff", what)
        self.assertIn("max-age=", hdrs.get("strict-transport-security", ""), what)
        self.assertEqual(hdrs.get("referrer-policy"), "same-origin", what)

    def test_security_headers_everywhere(self):
        b = Browser()
        for method, path in (("GET", "/login"), ("GET", "/static/portal.css"), ("GET", "/static/portal.js"),
                             ("GET", "/no/such/page"), ("GET", "/store/apps"), ("GET", "/api/openapi.json"),
                             ("POST", "/api/auth/token"), ("GET", "/%zz"), ("DELETE", "/login")):
            status, hdrs, _, _ = b.request(method, path)
            self.assert_security_headers(hdrs, "%s %s -> %d" % (method, path, status))
        status, hdrs, _, _ = b.get("/no/such/page")
        self.assertEqual(status, 404)
        self.assertEqual(b.get("/%zz")[0], 400)
        self.assertEqual(b.request("DELETE", "/login")[0], 405)

    def test_health_tells_no_addresses(self):
        status, _, text, _ = Browser().get("/health")
        self.assertEqual(status, 200)
        health = json.loads(text)
        self.assertEqual((health["status"], health["hubsUp"], health["hubs"]), ("ok", len(harness.HUBS), len(harness.HUBS)))
        for hub in harness.HUBS:
            self.assertNotIn(hub.split(":")[-1], text)
        self.assertNotIn("127.0.0.1", text)

    def test_pages_reference_no_other_origin(self):
        b = Browser()
        _, _, text, _ = b.get("/login")
        for url in re.findall(r'(?:src|href|action)="([^"]+)"', text):
            self.assertTrue(url.startswith("/") and not url.startswith("//") or url.startswith("#"), url)
        self.assertNotIn("<style", text)
        self.assertNotIn(" style=", text)
        self.assertNotIn("<script>", text)
        self.assertLess(len(text.encode()), 50000)

    def test_cookie_flags_and_new_id_at_login(self):
        b = Browser()
        status, _, _, cookies = b.get("/login")
        pre = [c for c in cookies if c.startswith("__Host-tg_pre=")]
        self.assertEqual(len(pre), 1)
        for flag in ("Path=/", "Secure", "HttpOnly", "SameSite=Strict"):
            self.assertIn(flag, pre[0])
        self.assertNotIn("Domain=", pre[0])
        first = b.login(self.alice["name"], self.alice["password"])
        sess = [c for c in first if c.startswith("__Host-tg_session=")]
        self.assertEqual(len(sess), 1, first)
        for flag in ("Path=/", "Secure", "HttpOnly", "SameSite=Strict"):
            self.assertIn(flag, sess[0])
        self.assertNotIn("Domain=", sess[0])
        id1 = b.cookies["__Host-tg_session"]
        self.assertGreaterEqual(len(id1), 64)  # a hub session id: signed, 256-bit MAC
        # logging in again (even while signed in) gives a new id, and the old one dies
        b2 = Browser()
        b2.cookies = dict(b.cookies)
        b2.get("/login")
        b2.login(self.alice["name"], self.alice["password"])
        id2 = b2.cookies["__Host-tg_session"]
        self.assertNotEqual(id1, id2)

    def test_login_refusals(self):
        b = Browser()
        b.get("/login")
        status, _, text, cookies = b.post("/login", {"username": self.alice["name"], "password": "wrong"})
        self.assertEqual(status, 401)
        self.assertIn("wrong user name or password", text)
        self.assertFalse([c for c in cookies if c.startswith("__Host-tg_session=")])
        # login CSRF: without the pre-session token, or with someone else's
        status, _, _, _ = b.post("/login", {"username": self.alice["name"], "password": self.alice["password"]},
                                 with_csrf=False)
        self.assertEqual(status, 403)
        other = Browser()
        other.get("/login")
        status, _, _, _ = b.post("/login", {"username": self.alice["name"], "password": self.alice["password"],
                                            "csrf": other.csrf})
        self.assertEqual(status, 403)
        # a cross-site login form
        status, _, _, _ = b.post("/login", {"username": self.alice["name"], "password": self.alice["password"]},
                                 headers={"Sec-Fetch-Site": "cross-site"})
        self.assertEqual(status, 403)

    def test_login_next_is_local_only(self):
        for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example", "/\r\nX: 1"):
            b = Browser()
            b.get("/login?next=" + urllib.parse.quote(evil, safe=""))
            status, hdrs, _, _ = b.post("/login", {"username": self.alice["name"],
                                                   "password": self.alice["password"], "next": evil})
            self.assertEqual(status, 303)
            self.assertEqual(hdrs["location"], "/", evil)

    def test_csrf_refusals(self):
        b = Browser()
        b.login(self.alice["name"], self.alice["password"])
        good = b.csrf
        name = harness.unique("csrf")
        cases = [
            ("no token", {"name": name}, {}, False),
            ("wrong token", {"name": name, "csrf": "0" * 48}, {}, True),
            ("pre-session token", {"name": name, "csrf": "f" * 48}, {}, True),
            ("cross-site", {"name": name, "csrf": good}, {"Sec-Fetch-Site": "cross-site"}, True),
            ("same-site", {"name": name, "csrf": good}, {"Sec-Fetch-Site": "same-site"}, True),
            ("foreign Origin", {"name": name, "csrf": good}, {"Origin": "https://evil.example"}, True),
            ("null Origin", {"name": name, "csrf": good}, {"Origin": "null"}, True),
            ("Origin prefix trick", {"name": name, "csrf": good}, {"Origin": b.origin + ".evil.example"}, True),
        ]
        for what, form, headers, with_csrf in cases:
            status, _, text, _ = b.post("/store/apps", form, with_csrf=with_csrf, headers=headers)
            self.assertEqual(status, 403, what)
        # nothing was created
        tok = api_token(self.alice["name"], self.alice["password"])
        _, _, text, _ = Browser().get("/api/store/v1/applications", headers=bearer(tok["access_token"]))
        self.assertNotIn(name, text)
        # with the token and same-origin metadata it works; the header form works too
        status, _, _, _ = b.post("/store/apps", {"name": name, "tier": "Unlimited"})
        self.assertEqual(status, 303)
        status, _, text, _ = b.request("POST", "/api/store/v1/applications", body={"name": name + "j"},
                                       headers={"X-CSRF-Token": good})
        self.assertEqual(status, 201, text)
        # the JSON API with a cookie session needs the token as well
        status, _, _, _ = b.request("POST", "/api/store/v1/applications", body={"name": name + "k"})
        self.assertEqual(status, 403)

    def test_role_refusals(self):
        anon = Browser()
        status, hdrs, _, _ = anon.get("/store/apps")
        self.assertEqual(status, 303)
        self.assertTrue(hdrs["location"].startswith("/login?next="))
        for method, path in (("GET", "/api/store/v1/applications"), ("POST", "/api/store/v1/applications"),
                             ("POST", "/api/store/v1/subscriptions"), ("POST", "/api/store/v1/tokens/revoke"),
                             ("GET", "/api/store/v1/sessions"), ("POST", "/api/store/v1/tryit"),
                             ("GET", "/api/store/v1/applications/x/tokens")):
            status, _, text, _ = anon.request(method, path, body={})
            self.assertEqual(status, 401, path)
            err = json.loads(text)
            self.assertEqual(err["code"], 401)
            self.assertTrue(err["message"])
        # a publisher without the subscriber role: 403 on store pages and store API
        p = Browser()
        p.login(self.pub["name"], self.pub["password"])
        for path in ("/store/apps", "/store/apps/x"):
            self.assertEqual(p.get(path)[0], 403, path)
        self.assertEqual(p.post("/store/apps", {"name": "x"})[0], 403)
        self.assertEqual(p.post("/store/keys", {"application": "x"})[0], 403)
        tok = api_token(self.pub["name"], self.pub["password"])
        self.assertEqual(tok["roles"], ["publisher"])
        status, _, text, _ = Browser().get("/api/store/v1/applications", headers=bearer(tok["access_token"]))
        self.assertEqual(status, 403)
        self.assertEqual(json.loads(text)["code"], 403)
        # a forged or expired bearer token is nobody
        status, _, _, _ = Browser().get("/api/store/v1/applications", headers=bearer("0" * 64))
        self.assertEqual(status, 401)
        # a bearer token is not a cookie, and a cookie id is not a bearer token
        b = Browser()
        b.cookies["__Host-tg_session"] = tok["access_token"]
        self.assertEqual(b.get("/account/sessions")[0], 303)
        a = Browser()
        a.login(self.alice["name"], self.alice["password"])
        status, _, _, _ = Browser().get("/api/store/v1/applications",
                                        headers=bearer(a.cookies["__Host-tg_session"]))
        self.assertEqual(status, 401)

    def test_auth_token_api(self):
        status, _, text, _ = Browser().request("POST", "/api/auth/token",
                                               body={"username": self.alice["name"], "password": "nope"})
        self.assertEqual(status, 401)
        self.assertEqual(json.loads(text)["code"], 401)
        status, _, text, _ = Browser().request("POST", "/api/auth/token", body={})
        self.assertEqual(status, 400)
        status, _, text, _ = Browser().request("POST", "/api/auth/token", body="{not json",
                                               headers={"Content-Type": "application/json"})
        self.assertEqual(status, 400)
        tok = api_token(self.alice["name"], self.alice["password"])
        self.assertEqual(tok["token_type"], "Bearer")
        self.assertEqual(tok["roles"], ["subscriber"])
        self.assertGreater(tok["expires_in"], 0)
        status, _, text, _ = Browser().get("/api/store/v1/sessions", headers=bearer(tok["access_token"]))
        self.assertEqual(status, 200)
        self.assertTrue(any(s["kind"] == "bearer" and s["current"] for s in json.loads(text)["sessions"]))
        status, _, _, _ = Browser().request("DELETE", "/api/auth/token", headers=bearer(tok["access_token"]))
        self.assertEqual(status, 204)
        status, _, _, _ = Browser().get("/api/store/v1/sessions", headers=bearer(tok["access_token"]))
        self.assertEqual(status, 401)

    def test_logout_and_sessions(self):
        one, two = Browser(), Browser()
        one.login(self.alice["name"], self.alice["password"])
        two.login(self.alice["name"], self.alice["password"])
        status, _, text, _ = one.get("/account/sessions")
        self.assertEqual(status, 200)
        self.assertIn("this one", text)
        status, _, _, _ = one.post("/account/sessions/end-others", {})
        self.assertEqual(status, 303)
        self.assertEqual(two.get("/store/apps")[0], 303)  # two's cookie no longer works
        self.assertEqual(one.get("/store/apps")[0], 200)
        stale = dict(one.cookies)
        status, _, _, cookies = one.post("/logout", {})
        self.assertEqual(status, 303)
        self.assertTrue(any(c.startswith("__Host-tg_session=;") and "Max-Age=0" in c for c in cookies))
        replay = Browser()
        replay.cookies = stale
        self.assertEqual(replay.get("/store/apps")[0], 303)  # the id is dead on the server too
        # a garbage cookie is simply nobody, and is cleared
        junk = Browser()
        junk.cookies["__Host-tg_session"] = "x" * 64
        status, _, _, cookies = junk.get("/store/apps")
        self.assertEqual(status, 303)

    def test_role_change_ends_the_session(self):
        """The hub ends a user's sessions when their roles change; the portal
        follows at the next hub call, so new roles always come with a new id."""
        user = harness.new_user(("subscriber",))
        b = Browser()
        b.login(user["name"], user["password"])
        old = b.cookies["__Host-tg_session"]
        self.assertEqual(b.get("/store/apps")[0], 200)
        with harness.Session("admin") as s:
            s.call("setUserRoles", user["name"], ["subscriber", "publisher"])
        # every hub refuses the old session within 2 s (a hub remembers a good session
        # for 1 s), and the portal ends its own session at the first refusal
        deadline = time.monotonic() + 3
        while True:
            status, hdrs, _, cookies = b.get("/store/apps")
            if status != 200 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual((status, hdrs.get("location")), (303, "/login"))
        replay = Browser()
        replay.cookies["__Host-tg_session"] = old
        self.assertEqual(replay.get("/account/sessions")[0], 303)
        b.login(user["name"], user["password"])
        self.assertNotEqual(b.cookies["__Host-tg_session"], old)
        tok = api_token(user["name"], user["password"])
        self.assertEqual(sorted(tok["roles"]), ["publisher", "subscriber"])

    def test_openapi_document(self):
        status, hdrs, text, _ = Browser().get("/api/openapi.json")
        self.assertEqual(status, 200)
        self.assertEqual(hdrs["content-type"], "application/json")
        doc = json.loads(text)
        self.assertTrue(doc["openapi"].startswith("3."))
        self.assertIn("/api/auth/token", doc["paths"])
        for path, ops in doc["paths"].items():
            if path.startswith("/api/store/v1/apis") and not PORTAL_METHODS:
                continue  # searchApis/getPublicApi would bring the hubs down
            concrete = re.sub(r"\{[^}]+\}", "x", path)
            for method in ops:
                status, _, text, _ = Browser().request(method.upper(), concrete, body={})
                self.assertNotEqual(status, 405, "%s %s" % (method, path))
                if status == 404:  # the hub's "no such API", never the portal's "no page"
                    self.assertNotIn("no page at this address", text, "%s %s" % (method, path))


@unittest.skipUnless(PORTAL, "no portal in this stack (TOLLGATE_PORTAL unset)")
class PortalStoreFlowTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.user = harness.new_user(("subscriber",))
        cls.api = harness.new_api(name=XSS, auth_type="Application")
        cls.plain = harness.new_api()
        cls.tok = api_token(cls.user["name"], cls.user["password"])["access_token"]

    def call(self, method, path, body=None):
        status, _, text, _ = Browser().request(method, path, body=body if body is not None else {},
                                               headers=bearer(self.tok))
        return status, (json.loads(text) if text.strip() else None)

    def test_json_flow_keys_work_through_a_gateway(self):
        app = harness.unique("japp")
        status, made = self.call("POST", "/api/store/v1/applications",
                                 {"name": app, "tier": "Unlimited", "description": "d", "allowedDomains": "a.example, b.example"})
        self.assertEqual(status, 201, made)
        self.assertEqual(made["allowedDomains"], ["a.example", "b.example"])
        status, again = self.call("POST", "/api/store/v1/applications", {"name": app})
        self.assertEqual(status, 409)
        self.assertTrue(again["message"])
        status, got = self.call("GET", "/api/store/v1/applications/" + app)
        self.assertEqual((status, got["name"]), (200, app))
        status, upd = self.call("PUT", "/api/store/v1/applications/" + app,
                                {"description": "new words", "allowedDomains": "ALL"})
        self.assertEqual((status, upd["description"]), (200, "new words"))
        status, sub = self.call("POST", "/api/store/v1/subscriptions", {
            "application": app, "context": self.plain["context"], "version": self.plain["version"],
            "tier": "Unlimited"})
        self.assertEqual(status, 201, sub)
        status, subs = self.call("GET", "/api/store/v1/applications/%s/subscriptions" % app)
        self.assertEqual([s["context"] for s in subs["subscriptions"]], [self.plain["context"]])
        status, bad = self.call("POST", "/api/store/v1/applications/%s/keys" % app, {"keyType": "nonsense"})
        self.assertEqual(status, 400)
        status, keys = self.call("POST", "/api/store/v1/applications/%s/keys" % app,
                                 {"keyType": "PRODUCTION", "validity": 3600})
        self.assertEqual(status, 201, keys)
        self.assertTrue(keys["consumerSecret"])
        token = keys["accessToken"]
        url = harness.api_url(self.plain, "/hello")
        harness.wait_until(lambda: harness.http("GET", url, headers={"Authorization": "Bearer " + token})[0] == 200,
                           timeout=10, message="the store's token works at a gateway")
        # listed, never with its value
        status, toks = self.call("GET", "/api/store/v1/applications/%s/tokens" % app)
        self.assertEqual(status, 200)
        raw = json.dumps(toks)
        self.assertNotIn(token, raw)
        self.assertNotIn(keys["consumerSecret"], raw)
        prefix = hashlib.sha256(token.encode()).hexdigest()[:12]
        self.assertIn(prefix, [t["tokenHashPrefix"] for t in toks["tokens"]])
        # a second call gives a token but never the secret again
        status, keys2 = self.call("POST", "/api/store/v1/applications/%s/tokens" % app, {"keyType": "PRODUCTION"})
        self.assertEqual(status, 201)
        self.assertNotIn("consumerSecret", keys2)
        # revoke: the gateway refuses it within 2 s
        status, _ = self.call("POST", "/api/store/v1/tokens/revoke", {"token": token})
        self.assertEqual(status, 204)
        harness.wait_until(lambda: harness.http("GET", url, headers={"Authorization": "Bearer " + token})[0] == 401,
                           timeout=5, message="revoked token refused")
        # delete needs the password
        status, err = self.call("DELETE", "/api/store/v1/applications/" + app, {})
        self.assertEqual(status, 403)
        status, err = self.call("DELETE", "/api/store/v1/applications/" + app, {"password": "wrong"})
        self.assertEqual(status, 403)
        status, _ = self.call("DELETE", "/api/store/v1/applications/" + app, {"password": self.user["password"]})
        self.assertEqual(status, 204)
        status, _ = self.call("GET", "/api/store/v1/applications/" + app)
        self.assertEqual(status, 404)

    def test_html_flow_secret_shown_once_and_text_escaped(self):
        b = Browser()
        b.login(self.user["name"], self.user["password"])
        app = XSS + harness.unique("a")
        status, hdrs, _, _ = b.post("/store/apps", {"name": app, "tier": "Unlimited", "description": XSS})
        self.assertEqual(status, 303)
        page = hdrs["location"]
        self.assertNotIn("<", page)
        status, _, text, _ = b.get(page)
        self.assertEqual(status, 200)
        self.assertIn("Application created", text)  # the flash message, once
        self.assertIn(XSS_ESCAPED, text)
        self.assertNotIn(XSS, text)
        status, hdrs, _, _ = b.post("/store/subscribe", {"application": app, "context": self.api["context"],
                                                          "version": self.api["version"], "tier": "Unlimited"})
        self.assertEqual(status, 303)
        status, _, text, _ = b.get(page)
        self.assertIn(XSS_ESCAPED, text)  # the API's name in the subscriptions table
        self.assertNotIn(XSS, text)
        status, hdrs, text, _ = b.post("/store/keys", {"application": app, "keyType": "SANDBOX", "validity": "3600"})
        self.assertEqual(status, 200)
        self.assertEqual(hdrs.get("cache-control"), "no-store")
        secret = re.search(r'<code id="v-secret"[^>]*>([^<]+)</code>', text).group(1)
        token = re.search(r'<code id="v-token"[^>]*>([^<]+)</code>', text).group(1)
        self.assertIn("curl -H &#39;Authorization: Bearer %s&#39; \\\n" % token, text)
        self.assertIn("grant_type=client_credentials", text)
        self.assertIn("urllib.request", text)
        self.assertIn("await fetch(", text)
        self.assertIn("I have saved the secret", text)
        status, _, text, _ = b.get(page)
        self.assertNotIn(secret, text)
        self.assertNotIn(token, text)
        self.assertIn(hashlib.sha256(token.encode()).hexdigest()[:12], text)
        # revoke from the page, delete with the password
        status, _, _, _ = b.post("/store/tokens/revoke", {"application": app, "token": token})
        self.assertEqual(status, 303)
        status, _, text, _ = b.post("/store/apps/delete", {"name": app, "password": "wrong"})
        self.assertEqual(status, 403)
        status, hdrs, _, _ = b.post("/store/apps/delete", {"name": app, "password": self.user["password"]})
        self.assertEqual(status, 303)
        self.assertEqual(b.get(page)[0], 404)

    def test_applications_in_keyset_pages(self):
        user = harness.new_user(("subscriber",))
        tok = api_token(user["name"], user["password"])["access_token"]
        names = sorted("p%02d" % i for i in range(30))
        for n in names:
            status, _, _, _ = Browser().request("POST", "/api/store/v1/applications", body={"name": n},
                                                headers=bearer(tok))
            self.assertEqual(status, 201)
        seen, cursor, pages, first_cursor = [], "", 0, None
        while True:
            status, _, text, _ = Browser().get("/api/store/v1/applications?limit=25&cursor=" +
                                               urllib.parse.quote(cursor), headers=bearer(tok))
            self.assertEqual(status, 200, text)
            page = json.loads(text)
            seen += [a["name"] for a in page["applications"]]
            pages += 1
            cursor = page["nextCursor"]
            first_cursor = first_cursor or cursor
            if not cursor:
                break
        self.assertEqual(pages, 2)
        self.assertEqual(sorted(seen), names)
        b = Browser()
        b.login(user["name"], user["password"])
        status, _, text, _ = b.get("/store/apps")  # 48 a page: all 30, no next page
        self.assertEqual(status, 200)
        self.assertIn(">p29<", text)
        self.assertNotIn('rel="next"', text)
        status, _, text, _ = b.get("/store/apps?cursor=" + urllib.parse.quote(first_cursor))
        self.assertEqual(status, 200)
        self.assertNotIn(">p00<", text)
        self.assertIn(">p29<", text)
        self.assertIn("First page", text)

    def test_other_users_applications_are_invisible(self):
        other = harness.new_user(("subscriber",))
        otok = api_token(other["name"], other["password"])["access_token"]
        app = harness.unique("mine")
        self.assertEqual(self.call("POST", "/api/store/v1/applications", {"name": app})[0], 201)
        status, _, _, _ = Browser().get("/api/store/v1/applications/" + app, headers=bearer(otok))
        self.assertEqual(status, 404)
        status, _, _, _ = Browser().request("POST", "/api/store/v1/applications/%s/keys" % app,
                                            body={"keyType": "PRODUCTION"}, headers=bearer(otok))
        self.assertIn(status, (403, 404))

    @unittest.skipUnless(PORTAL_METHODS, "the hub lacks searchApis/getPublicApi")
    def test_catalogue_search_and_api_page_escape(self):
        anon = Browser()
        # descriptions shorter and longer than a card's excerpt (160 characters, UTF-8)
        tag = harness.unique("tag")
        harness.new_api(description="short é", tags=[tag])
        harness.new_api(description="é" * 200 + XSS, tags=[tag])
        status, _, text, _ = anon.get("/?q=tag%3A" + tag)
        self.assertEqual(status, 200)
        self.assertIn("short é", text)
        self.assertIn("é" * 160 + "…", text)
        self.assertNotIn(XSS, text)
        status, _, text, _ = anon.get("/?q=" + urllib.parse.quote("name:" + XSS))
        self.assertEqual(status, 200)
        self.assertIn(XSS_ESCAPED, text)
        self.assertNotIn(XSS, text)
        ctx = self.api["context"].lstrip("/")
        status, _, text, _ = anon.get("/store/apis/%s/%s" % (ctx, self.api["version"]))
        self.assertEqual(status, 200)
        self.assertIn(XSS_ESCAPED, text)
        self.assertNotIn(XSS, text)
        self.assertIn("Gateway URLs", text)
        status, _, text, _ = anon.get("/api/store/v1/apis?q=" + urllib.parse.quote("context:" + self.plain["context"]))
        self.assertEqual(status, 200)
        self.assertIn(self.plain["context"], [a["context"] for a in json.loads(text)["apis"]])

    @unittest.skipUnless(PORTAL_METHODS, "the hub lacks getPublicApi")
    def test_tryit_goes_to_the_gateway_only(self):
        keys = harness.new_app_with_key(api=self.plain)
        tok = api_token("admin", harness.ADMIN_PASSWORD)["access_token"]
        body = {"context": self.plain["context"], "version": self.plain["version"], "method": "GET",
                "path": "/tryit", "token": keys["token"]}
        status, _, text, _ = Browser().request("POST", "/api/store/v1/tryit", body=body, headers=bearer(tok))
        self.assertEqual(status, 200, text)
        self.assertEqual(json.loads(text)["status"], 200)
        # with JavaScript off the form posts and gets a page with the answer
        b = Browser()
        b.login("admin", harness.ADMIN_PASSWORD)
        status, _, text, _ = b.post("/store/tryit", dict(body))
        self.assertEqual(status, 200)
        self.assertIn("HTTP 200", text)
        self.assertIn("&quot;path&quot;: &quot;/tryit&quot;", text)  # the backend's echo, escaped
        for evil in ("//127.0.0.1:1/", "/../../etc", "/x\r\nHost: evil", "http://evil.example/"):
            status, _, _, _ = Browser().request("POST", "/api/store/v1/tryit", body=dict(body, path=evil),
                                                headers=bearer(tok))
            self.assertEqual(status, 400, evil)


@unittest.skipUnless(PORTAL_METHODS, "no portal, or the hub lacks the portal methods")
class PortalSignUpTest(unittest.TestCase):
    def test_sign_up_then_use_the_store(self):
        b = Browser()
        status, _, text, _ = b.get("/signup")
        self.assertEqual(status, 200)
        self.assertIn('autocomplete="new-password"', text)
        name = harness.unique("su")
        status, _, _, _ = b.post("/signup", {"username": name, "password": "pw"}, with_csrf=False)
        self.assertEqual(status, 403)  # no CSRF token
        status, _, text, _ = b.post("/signup", {"username": name, "password": "pw"})
        self.assertEqual(status, 400)  # weak password: the hub's rule, shown on the form
        self.assertIn("notice error", text)
        password = "correct horse battery"
        status, hdrs, _, cookies = b.post("/signup", {"username": name, "password": password})
        self.assertEqual((status, hdrs.get("location")), (303, "/store/apps"))
        self.assertIn("__Host-tg_session", b.cookies)
        status, _, text, _ = b.get("/store/apps")
        self.assertIn("Welcome", text)
        status, _, text, _ = Browser().post("/signup", {"username": name, "password": password})
        self.assertEqual(status, 403)  # a fresh browser without the form's pre-session cookie
        other = Browser()
        other.get("/signup")
        status, _, text, _ = other.post("/signup", {"username": name, "password": password})
        self.assertEqual(status, 409)
        tok = api_token(name, password)
        self.assertEqual(tok["roles"], ["subscriber"])

    def test_sign_up_off(self):
        with harness.Session("admin") as s:
            s.call("setSetting", "signup_enabled", "false")
            try:
                b = Browser()
                self.assertEqual(b.get("/signup")[0], 403)
                b.get("/login")
                status, _, _, _ = b.post("/signup", {"username": harness.unique("off"), "password": "long enough pw"})
                self.assertEqual(status, 403)
            finally:
                s.call("setSetting", "signup_enabled", "true")

    def test_regenerate_secret_needs_password_and_keeps_grace(self):
        user = harness.new_user(("subscriber",))
        tok = api_token(user["name"], user["password"])["access_token"]
        api = harness.new_api()

        def call(method, path, body):
            st, _, text, _ = Browser().request(method, path, body=body, headers=bearer(tok))
            return st, (json.loads(text) if text.strip() else None)
        app = harness.unique("rg")
        self.assertEqual(call("POST", "/api/store/v1/applications", {"name": app})[0], 201)
        call("POST", "/api/store/v1/subscriptions", {"application": app, "context": api["context"],
                                                      "version": api["version"], "tier": "Unlimited"})
        status, keys = call("POST", "/api/store/v1/applications/%s/keys" % app, {"keyType": "PRODUCTION"})
        self.assertEqual(status, 201)
        path = "/api/store/v1/applications/%s/keys/regenerate" % app
        self.assertEqual(call("POST", path, {"keyType": "PRODUCTION", "grace": 3600})[0], 403)
        self.assertEqual(call("POST", path, {"keyType": "PRODUCTION", "grace": 3600, "password": "no"})[0], 403)
        self.assertEqual(call("POST", path, {"keyType": "PRODUCTION", "grace": 90000,
                                             "password": user["password"]})[0], 400)
        status, new = call("POST", path, {"keyType": "PRODUCTION", "grace": 3600, "password": user["password"]})
        self.assertEqual(status, 200, new)
        self.assertNotEqual(new["consumerSecret"], keys["consumerSecret"])
        self.assertGreater(new["previousSecretValidUntil"], time.time() + 3000)


if __name__ == "__main__":
    unittest.main()
