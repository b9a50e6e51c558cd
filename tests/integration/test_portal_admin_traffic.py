"""The portal's admin traffic pages and /api/admin/v1 against the real stack (issues 14 and 15):
tiers with every field of the hub's Tier (bandwidth, burst, sliding, stop-on-quota, approval,
fail mode) created through the form and through the JSON API and read back from the hub; a
custom policy keyed by a header created through the form, listed, enforced by the gateways
(429, code 900806), deleted after its confirmation page; blocking conditions of every kind
(IPv4 and IPv6 ranges); refusals: anonymous 401, publisher and subscriber 403, a form without
its CSRF token 403; bad values answer 400 with the hub's reason next to the field, and create
nothing; user text (descriptions) shown as text."""
import json
import re
import time
import unittest

import harness as h
import throttle_support as ts
from test_portal_publisher import PASSWORD, call, portal_users
from test_portal_store import PORTAL, XSS, XSS_ESCAPED, Browser

def hub_tier(name, level):
    with h.Session("admin") as s:
        return s.call("getTier", name, level)


def hub_tier_missing(name, level):
    try:
        hub_tier(name, level)
    except Exception as e:  # noqa: BLE001 - TollgateException 404
        return "404" in repr(e) or getattr(e, "code", None) == 404
    return False


def hub_policies():
    with h.Session("admin") as s:
        return s.call("listCustomPolicies")


def field_error(page, field):
    """The refusal message drawn next to field, or None."""
    m = re.search(r'<p class="field-error" id="err-%s">([^<]*)</p>' % re.escape(field), page)
    return m.group(1) if m else None


NEW_ENDPOINTS = [
    ("GET", "/api/admin/v1/policies"), ("POST", "/api/admin/v1/policies"),
    ("POST", "/api/admin/v1/policies/delete"), ("GET", "/api/admin/v1/tiers/SUBSCRIPTION/Gold"),
    ("POST", "/api/admin/v1/tiers"), ("POST", "/api/admin/v1/blocking"),
]
NEW_PAGES = ["/admin/policies", "/admin/policies/delete?id=1", "/admin/tiers/SUBSCRIPTION/Gold"]


@unittest.skipUnless(PORTAL, "no portal in this stack (TOLLGATE_PORTAL unset)")
class PortalAdminTrafficTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        portal_users(cls, "pub", "sub")

    def browser(self):
        b = Browser()
        b.login("admin", h.ADMIN_PASSWORD)
        return b

    # ---------------------------------------------------------------- tiers

    def test_bandwidth_tier_through_the_form(self):
        b = self.browser()
        name = h.unique("Bw")
        status, hdrs, text, _ = b.post("/admin/tiers", {
            "name": name, "level": "SUBSCRIPTION", "requestCount": "100", "unit": "minute",
            "bytesCount": "50000", "burstCount": "5", "burstUnit": "second", "sliding": "true",
            "failMode": "closed", "description": XSS})  # stopOnQuotaReach left unchecked
        self.assertEqual(status, 303, text[:500])
        t = hub_tier(name, "SUBSCRIPTION")
        self.assertEqual((t.requestCount, t.unitTime, t.bytesCount, t.burstCount, t.burstUnitTime),
                         (100, 60, 50000, 5, 1))
        self.assertEqual((t.sliding, t.stopOnQuotaReach, t.failMode, t.description),
                         (True, False, "closed", XSS))
        # the list shows every field, the description as text
        _, _, page, _ = b.get("/admin/tiers")
        row = page[page.index(">%s</a>" % name):]
        row = row[:row.index("</tr>")]
        for want in ("50000 bytes per minute", "5 per second", "100 per minute", "Sliding",
                     "Let through", "closed", XSS_ESCAPED):
            self.assertIn(want, row)
        self.assertNotIn(XSS, page)
        # its own page
        status, _, page, _ = b.get("/admin/tiers/SUBSCRIPTION/" + name)
        self.assertEqual(status, 200)
        self.assertIn("50000 bytes per minute", page)
        self.assertIn(XSS_ESCAPED, page)
        self.assertNotIn(XSS, page)
        status, _, _, _ = b.post("/admin/tiers/delete", {"name": name, "level": "SUBSCRIPTION"})
        self.assertEqual(status, 303)
        self.assertTrue(hub_tier_missing(name, "SUBSCRIPTION"))

    def test_bandwidth_tier_through_the_json_api(self):
        name = h.unique("Bj")
        status, t, text = call("POST", "/api/admin/v1/tiers", self.admin, {
            "name": name, "level": "application", "requestCount": 10, "unit": "hour",
            "bytesCount": 1000000, "burstCount": 3, "burstUnit": "minute", "sliding": True})
        self.assertEqual(status, 200, text)
        self.assertEqual((t["level"], t["unitTime"], t["bytesCount"], t["burstUnitTime"], t["sliding"]),
                         ("APPLICATION", 3600, 1000000, 60, True))
        self.assertTrue(t["stopOnQuotaReach"], "left out of the JSON: the hub's default (stop)")
        status, got, _ = call("GET", "/api/admin/v1/tiers/APPLICATION/" + name, self.admin)
        self.assertEqual((status, got), (200, t))
        ht = hub_tier(name, "APPLICATION")
        self.assertEqual((ht.bytesCount, ht.burstCount, ht.burstUnitTime, ht.sliding, ht.unitTime),
                         (1000000, 3, 60, True, 3600))
        # seconds work as well as unit names
        status, t2, text = call("POST", "/api/admin/v1/tiers", self.admin, {
            "name": name + "s", "level": "API", "requestCount": 7, "unitTime": 90,
            "stopOnQuotaReach": False})
        self.assertEqual((status, t2["unitTime"], t2["stopOnQuotaReach"]), (200, 90, False), text)
        for n, lv in ((name, "APPLICATION"), (name + "s", "API")):
            self.assertEqual(call("POST", "/api/admin/v1/tiers/delete", self.admin,
                                  {"name": n, "level": lv})[0], 200)
            self.assertTrue(hub_tier_missing(n, lv))
        self.assertEqual(call("GET", "/api/admin/v1/tiers/APPLICATION/" + name, self.admin)[0], 404)

    def test_bad_tiers_are_refused_and_create_nothing(self):
        name = h.unique("Bad")
        cases = [
            ({"requestCount": -5}, "0 (none) or more"),
            ({"bytesCount": -1}, "0 (none) or more"),
            ({"unit": "fortnight"}, "second, minute, hour or day"),
            ({"requestCount": "ten"}, "whole number"),
            ({"requestCount": "1e3"}, "whole number"),
            ({"unitTime": 0}, "unitTime"),
            ({"burstCount": 5, "burstUnit": "hour"}, "per second (1) or per minute (60)"),
            ({"level": "GALAXY"}, "level is"),
            ({"failMode": "maybe"}, "failMode"),
            ({"level": "API", "requiresApproval": True}, "requiresApproval"),
            ({"name": "has space"}, "tier name"),
            ({"name": "a/b"}, "tier name"),
            ({"name": "<b>" + name}, "tier name"),
            ({"name": "n" * 65}, "tier name"),
        ]
        for extra, words in cases:
            body = {"name": name, "level": "SUBSCRIPTION", "requestCount": 5}
            body.update(extra)
            status, err, text = call("POST", "/api/admin/v1/tiers", self.admin, body)
            self.assertEqual(status, 400, "%s: %s" % (extra, text))
            self.assertIn(words, err["message"], extra)
        for lv in ("SUBSCRIPTION", "API"):
            self.assertTrue(hub_tier_missing(name, lv), "nothing created")
        # the form: 400, the page again with the reason next to the field and the values kept
        b = self.browser()
        status, _, page, _ = b.post("/admin/tiers", {"name": name, "level": "SUBSCRIPTION",
                                                     "requestCount": "-5", "unit": "minute",
                                                     "description": XSS})
        self.assertEqual(status, 400)
        self.assertIn("0 (none) or more", field_error(page, "requestCount") or "")
        self.assertRegex(page, r'id="f-requestCount" name="requestCount" value="-5" '
                               r'aria-describedby="hint-requestCount err-requestCount" aria-invalid="true"')
        self.assertIn('value="%s"' % name, page)
        self.assertIn('role="alert"', page)
        self.assertIn(XSS_ESCAPED, page)
        self.assertNotIn(XSS, page)
        status, _, page, _ = b.post("/admin/tiers", {"name": name, "requestCount": "5",
                                                     "unit": "week"})
        self.assertEqual(status, 400)
        self.assertIn("second, minute, hour or day", field_error(page, "unit") or "")
        self.assertTrue(hub_tier_missing(name, "SUBSCRIPTION"))
        # a name that exists: 409, next to the name
        status, _, page, _ = b.post("/admin/tiers", {"name": "Gold", "level": "SUBSCRIPTION",
                                                     "requestCount": "5", "unit": "minute"})
        self.assertEqual(status, 409)
        self.assertIn("exists", field_error(page, "name") or "")

    # ------------------------------------------------------- custom policies

    def test_header_policy_through_the_form_enforced_then_deleted(self):
        api, headers = ts.keyed_api()
        b = self.browser()
        name = h.unique("pol")
        status, _, text, _ = b.post("/admin/policies", {
            "name": name, "keyBy": "HEADER", "headerName": "X-Tenant", "requestCount": "3",
            "bytesCount": "0", "unit": "minute", "apiContext": api["context"], "description": XSS})
        self.assertEqual(status, 303, text[:500])
        pol = next(p for p in hub_policies() if p.name == name)
        self.assertEqual((pol.keyBy, pol.headerName, pol.requestCount, pol.unitTime, pol.apiContext),
                         ("HEADER", "x-tenant", 3, 60, api["context"]))
        _, _, page, _ = b.get("/admin/policies")
        self.assertIn(">%s<" % name, page)
        self.assertIn("3 requests per minute", page)
        self.assertIn("<code>x-tenant</code>", page)
        self.assertIn(XSS_ESCAPED, page)
        self.assertNotIn(XSS, page)
        time.sleep(2.5)  # the change feed brings it to both gateways within 2 s
        if time.time() % 60 > 50:  # all the calls in one minute window
            time.sleep(61 - time.time() % 60)

        def send(value, k):
            st, _, body = h.http("GET", h.api_url(api, "/x", k), headers=dict(headers, **{"X-Tenant": value}))
            return st, ts.fault_code(body)

        a = [send("acme", i % 2) for i in range(5)]
        other = send("globex", 0)
        self.assertEqual([s for s, _ in a], [200, 200, 200, 429, 429], a)
        self.assertEqual([c for _, c in a[3:]], [900806, 900806])
        self.assertEqual(other[0], 200, "another header value counts on its own")
        # delete: a confirmation page first, then the POST
        status, _, page, _ = b.get("/admin/policies/delete?id=%d" % pol.id)
        self.assertEqual(status, 200)
        self.assertIn("Delete the custom policy %s?" % name, page)
        self.assertIn('action="/admin/policies/delete"', page)
        self.assertEqual(b.get("/admin/policies/delete?id=999999999")[0], 404)
        status, _, _, _ = b.post("/admin/policies/delete", {"id": str(pol.id)})
        self.assertEqual(status, 303)
        self.assertNotIn(name, [p.name for p in hub_policies()])
        h.wait_until(lambda: send("acme", 0)[0] == 200 and send("acme", 1)[0] == 200, 3,
                     interval=0.1, message="the deleted policy is lifted on both gateways")

    def test_policy_json_api(self):
        name = h.unique("polj")
        status, p, text = call("POST", "/api/admin/v1/policies", self.admin, {
            "name": name, "keyBy": "ip", "bytesCount": 100000, "unitTime": 3600, "sliding": True,
            "apiContext": "/nothing-here-" + name})
        self.assertEqual(status, 200, text)
        self.assertEqual((p["keyBy"], p["bytesCount"], p["requestCount"], p["unitTime"], p["sliding"]),
                         ("IP", 100000, 0, 3600, True))
        status, got, _ = call("GET", "/api/admin/v1/policies", self.admin)
        self.assertIn(p, got["policies"])
        self.assertEqual(call("POST", "/api/admin/v1/policies/delete", self.admin, {"id": p["id"]})[0], 200)
        self.assertNotIn(name, [x.name for x in hub_policies()])
        self.assertEqual(call("POST", "/api/admin/v1/policies/delete", self.admin, {"id": p["id"]})[0], 404)
        self.assertEqual(call("POST", "/api/admin/v1/policies/delete", self.admin, {"id": "x"})[0], 400)

    def test_bad_policies_are_refused_and_create_nothing(self):
        name = h.unique("polbad")
        cases = [
            ({"requestCount": -1}, "requestCount"),
            ({"requestCount": "many"}, "whole number"),
            ({"unit": "week"}, "second, minute, hour or day"),
            ({"keyBy": "HEADER"}, "headerName"),
            ({"keyBy": "HEADER", "headerName": "bad name"}, "headerName"),
            ({"keyBy": "IP", "headerName": "X-A"}, "headerName"),
            ({"keyBy": "COUNTRY"}, "keyBy"),
            ({"requestCount": 0}, "requestCount"),
            ({"apiContext": "no-slash"}, "apiContext"),
            ({"name": "a/b"}, "policy name"),
            ({"name": 'a"b'}, "policy name"),
        ]
        for extra, words in cases:
            body = {"name": name, "keyBy": "IP", "requestCount": 5, "unit": "minute"}
            body.update(extra)
            status, err, text = call("POST", "/api/admin/v1/policies", self.admin, body)
            self.assertEqual(status, 400, "%s: %s" % (extra, text))
            self.assertIn(words, err["message"], extra)
        b = self.browser()
        status, _, page, _ = b.post("/admin/policies", {"name": name, "keyBy": "HEADER",
                                                        "headerName": "", "requestCount": "5",
                                                        "unit": "minute"})
        self.assertEqual(status, 400)
        self.assertIn("headerName", field_error(page, "headerName") or "")
        self.assertRegex(page, r'<option value="HEADER" selected>')
        status, _, page, _ = b.post("/admin/policies", {"name": name, "keyBy": "IP",
                                                        "requestCount": "-3", "unit": "minute"})
        self.assertEqual(status, 400)
        self.assertIn("requestCount", field_error(page, "requestCount") or "")
        self.assertNotIn(name, [p.name for p in hub_policies()])

    # ------------------------------------------------------ blocking conditions

    def test_blocking_conditions_of_every_kind(self):
        uniq = h.unique("blk")
        good = [("IP", "198.51.100.77"), ("IP", "10.%d.0.0/16" % (int(time.time()) % 200)),
                ("IP", "2001:db8:%x::/48" % (int(time.time()) % 65000)), ("IP", "2001:db8::7"),
                ("USER", uniq), ("APPLICATION", "admin:" + uniq), ("API", "/%s:1.0.0" % uniq)]
        ids = []
        try:
            for kind, value in good:
                status, c, text = call("POST", "/api/admin/v1/blocking", self.admin,
                                       {"kind": kind, "value": value})
                self.assertEqual(status, 200, "%s %s: %s" % (kind, value, text))
                ids.append(c["id"])
            _, got, _ = call("GET", "/api/admin/v1/blocking", self.admin)
            listed = {(c["kind"], c["value"]) for c in got["conditions"]}
            self.assertTrue(set(good) <= listed, listed)
            for kind, value, words in (("IP", "10.0.0.0/33", "IPv4 or IPv6"), ("IP", "2001:db8::/129", "IPv4 or IPv6"),
                                       ("IP", "not-an-ip", "IPv4 or IPv6"), ("API", "/ctx", "/context:VERSION"),
                                       ("APPLICATION", "nocolon", "OWNER:NAME"), ("COUNTRY", "x", "kind is")):
                status, err, text = call("POST", "/api/admin/v1/blocking", self.admin, {"kind": kind, "value": value})
                self.assertEqual(status, 400, "%s %s: %s" % (kind, value, text))
                self.assertIn(words, err["message"])
            b = self.browser()
            status, _, page, _ = b.post("/admin/blocking", {"kind": "IP", "value": "300.1.1.1/8"})
            self.assertEqual(status, 400)
            self.assertIn("IPv4 or IPv6", field_error(page, "value") or "")
            self.assertIn('value="300.1.1.1/8"', page)
            _, _, page, _ = b.get("/admin/blocking")
            self.assertIn("IP address or range", page)
            self.assertIn(good[2][1], page)
        finally:
            for i in ids:
                self.assertEqual(call("POST", "/api/admin/v1/blocking/delete", self.admin, {"id": i})[0], 200)
        _, got, _ = call("GET", "/api/admin/v1/blocking", self.admin)
        self.assertFalse(set(ids) & {c["id"] for c in got["conditions"]})

    def test_names_and_contexts_are_shown_as_text(self):
        """The hub refuses a new tier or policy name with <, > or / (common/tg_names.c), but a
        database upgraded from before that rule may hold one, and an API context may hold
        them: every page shows them as text, and a tier's link still finds it. The old rows
        are inserted by SQL, as an upgrade leaves them."""
        b = self.browser()
        tier = XSS + h.unique("t")
        status, err, text = call("POST", "/api/admin/v1/tiers", self.admin,
                                 {"name": tier, "level": "SUBSCRIPTION", "requestCount": 5})
        self.assertEqual(status, 400, text)
        self.assertIn("tier name", err["message"])
        h.sql("apimgtdb", "INSERT INTO AM_TIER (name, level, request_count, unit_time_s, "
              "stop_on_quota) VALUES ('%s', 'SUBSCRIPTION', 5, 60, 1)" % tier)
        try:
            _, _, page, _ = b.get("/admin/tiers")
            self.assertNotIn(XSS, page)
            self.assertIn(XSS_ESCAPED, page)
            href = re.search(r'<a href="(/admin/tiers/SUBSCRIPTION/[^"]*)">%s' % re.escape(XSS_ESCAPED), page)
            self.assertIsNotNone(href, "a link to the tier's page")
            self.assertNotIn("<", href.group(1))
            status, _, page, _ = b.get(href.group(1))
            self.assertEqual(status, 200, page[:300])
            self.assertIn("Tier " + XSS_ESCAPED, page)
            self.assertNotIn(XSS, page)
        finally:
            self.assertEqual(call("POST", "/api/admin/v1/tiers/delete", self.admin,
                                  {"name": tier, "level": "SUBSCRIPTION"})[0], 200)
        pol = XSS + h.unique("p")
        status, _, text = call("POST", "/api/admin/v1/policies", self.admin, {
            "name": pol, "keyBy": "IP", "requestCount": 5, "unit": "day", "apiContext": "/x"})
        self.assertEqual(status, 400, text)
        h.sql("apimgtdb", "INSERT INTO AM_CUSTOM_POLICY (name, key_by, request_count, unit_time_s, "
              "api_context, created_at) VALUES ('%s', 'IP', 5, 86400, '/%s', UNIX_TIMESTAMP())"
              % (pol, XSS + h.unique("c")))
        pid = int(h.sql("apimgtdb", "SELECT policy_id FROM AM_CUSTOM_POLICY WHERE name = '%s'" % pol)[0][0])
        try:
            for path in ("/admin/policies", "/admin/policies/delete?id=%d" % pid):
                status, _, page, _ = b.get(path)
                self.assertEqual(status, 200, path)
                self.assertNotIn(XSS, page, path)
                self.assertIn(XSS_ESCAPED, page, path)
        finally:
            self.assertEqual(call("POST", "/api/admin/v1/policies/delete", self.admin, {"id": pid})[0], 200)

    # ------------------------------------------------------------- refusals

    def test_refusals_for_non_admins_and_without_csrf(self):
        for method, path in NEW_ENDPOINTS:
            self.assertEqual(call(method, path, None, {})[0], 401, "anonymous %s %s" % (method, path))
            self.assertEqual(call(method, path, self.pt, {})[0], 403, "publisher %s %s" % (method, path))
            self.assertEqual(call(method, path, self.st, {})[0], 403, "subscriber %s %s" % (method, path))
        name = h.unique("nope")
        body = {"name": name, "keyBy": "IP", "requestCount": 5, "unit": "minute"}
        for user in (self.pub, self.sub):
            b = Browser()
            b.login(user, PASSWORD)
            for path in NEW_PAGES + ["/admin/tiers"]:
                self.assertEqual(b.get(path)[0], 403, "%s page %s" % (user, path))
            self.assertEqual(b.post("/admin/policies", body)[0], 403, user)
            self.assertEqual(b.post("/admin/tiers", {"name": name, "requestCount": "5"})[0], 403, user)
        b = self.browser()
        good = b.csrf
        for what, form, with_csrf, headers in (
                ("no token", body, False, {}), ("wrong token", dict(body, csrf="0" * 48), True, {}),
                ("cross-site", dict(body, csrf=good), True, {"Sec-Fetch-Site": "cross-site"})):
            self.assertEqual(b.post("/admin/policies", form, with_csrf=with_csrf, headers=headers)[0], 403, what)
            tier = {"name": name, "requestCount": "5", "unit": "minute"}
            if "csrf" in form:
                tier["csrf"] = form["csrf"]
            self.assertEqual(b.post("/admin/tiers", tier, with_csrf=with_csrf, headers=headers)[0], 403, what)
        # the JSON API with the cookie session needs the token too
        self.assertEqual(b.request("POST", "/api/admin/v1/policies", body=body)[0], 403)
        self.assertNotIn(name, [p.name for p in hub_policies()])
        self.assertTrue(hub_tier_missing(name, "SUBSCRIPTION"))

    def test_openapi_lists_the_new_paths(self):
        _, _, text, _ = Browser().get("/api/openapi.json")
        doc = json.loads(text)
        for path in ("/api/admin/v1/policies", "/api/admin/v1/policies/delete",
                     "/api/admin/v1/tiers/{level}/{name}"):
            self.assertIn(path, doc["paths"])
        props = doc["paths"]["/api/admin/v1/tiers"]["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]
        for field in ("bytesCount", "burstCount", "burstUnit", "sliding", "stopOnQuotaReach", "requiresApproval"):
            self.assertIn(field, props)
        props = doc["paths"]["/api/admin/v1/policies"]["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]
        self.assertIn("headerName", props)


if __name__ == "__main__":
    unittest.main()
