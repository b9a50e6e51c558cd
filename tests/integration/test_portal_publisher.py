"""The portal's publisher and admin JSON API against the real stack: every
endpoint refuses an anonymous caller (401) and a caller without the role (403);
an API's whole life through /api/publisher/v1 (create, read, update, new
version, default version, export as OpenAPI and import it back, documentation
with unsafe links refused, subscriptions, usage, lifecycle with
re-authentication before RETIRED, and the gateway following the lifecycle);
/api/admin/v1 (users and roles, tiers, blocking conditions, sign-up off
refusing sign-up, the audit log naming who did what from where).
"""
import json
import time
import unittest
import urllib.request

import harness
from test_portal_store import PORTAL, Browser, api_token, bearer

PASSWORD = "Publisher-test-pw-7"


def call(method, path, token=None, body=None, headers=None):
    b = Browser()
    h = dict(bearer(token)) if token else {"Accept": "application/json"}
    h.update(headers or {})
    status, hdrs, text, _ = b.request(method, path, body=body, headers=h, same_origin=False)
    try:
        data = json.loads(text) if text else None
    except ValueError:
        data = None
    return status, data, text


PUBLISHER_ENDPOINTS = [
    ("GET", "/api/publisher/v1/apis"), ("POST", "/api/publisher/v1/apis"), ("POST", "/api/publisher/v1/import"),
    ("GET", "/api/publisher/v1/apis/x/1"), ("PUT", "/api/publisher/v1/apis/x/1"),
    ("POST", "/api/publisher/v1/lifecycle/x/1"), ("POST", "/api/publisher/v1/versions/x/1"),
    ("POST", "/api/publisher/v1/default/x/1"), ("GET", "/api/publisher/v1/openapi/x/1"),
    ("GET", "/api/publisher/v1/docs/x/1"), ("POST", "/api/publisher/v1/docs/x/1"),
    ("POST", "/api/publisher/v1/docs-delete/x/1"), ("GET", "/api/publisher/v1/subscriptions/x/1"),
    ("POST", "/api/publisher/v1/subscriptions/x/1"), ("GET", "/api/publisher/v1/usage/x/1"),
]
ADMIN_ENDPOINTS = [
    ("GET", "/api/admin/v1/users"), ("POST", "/api/admin/v1/users"), ("POST", "/api/admin/v1/users/roles"),
    ("POST", "/api/admin/v1/users/delete"), ("GET", "/api/admin/v1/tiers"), ("POST", "/api/admin/v1/tiers"),
    ("POST", "/api/admin/v1/tiers/delete"), ("GET", "/api/admin/v1/blocking"), ("POST", "/api/admin/v1/blocking"),
    ("POST", "/api/admin/v1/blocking/delete"), ("GET", "/api/admin/v1/settings"), ("POST", "/api/admin/v1/settings"),
    ("GET", "/api/admin/v1/audit"),
]
PAGES = ["/publisher", "/publisher/new", "/publisher/apis/x/1", "/admin", "/admin/tiers", "/admin/blocking",
         "/admin/settings", "/admin/audit"]


def portal_users(cls, pub_prefix, sub_prefix):
    """What a portal REST test class starts from: an admin token (cls.admin), a new publisher
    and a new subscriber (cls.pub, cls.sub) and their bearer tokens (cls.pt, cls.st)."""
    cls.admin = api_token("admin", harness.ADMIN_PASSWORD)["access_token"]
    cls.pub, cls.sub = harness.unique(pub_prefix), harness.unique(sub_prefix)
    for name, roles in ((cls.pub, ["publisher"]), (cls.sub, ["subscriber"])):
        status, _, text = call("POST", "/api/admin/v1/users", cls.admin,
                               {"name": name, "password": PASSWORD, "roles": roles})
        assert status == 200, text
    cls.pt = api_token(cls.pub, PASSWORD)["access_token"]
    cls.st = api_token(cls.sub, PASSWORD)["access_token"]


@unittest.skipUnless(PORTAL, "no portal in this stack (TOLLGATE_PORTAL unset)")
class PortalPublisherTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        portal_users(cls, "pub", "sub")

    def test_every_endpoint_refuses_the_wrong_caller(self):
        for method, path in PUBLISHER_ENDPOINTS:
            self.assertEqual(call(method, path, None, {})[0], 401, "anonymous %s %s" % (method, path))
            self.assertEqual(call(method, path, self.st, {})[0], 403, "subscriber %s %s" % (method, path))
        for method, path in ADMIN_ENDPOINTS:
            self.assertEqual(call(method, path, None, {})[0], 401, "anonymous %s %s" % (method, path))
            self.assertEqual(call(method, path, self.pt, {})[0], 403, "publisher %s %s" % (method, path))
        b = Browser()
        for path in PAGES:
            status, hdrs, _, _ = b.get(path)
            self.assertIn(status, (303, 401), "anonymous page %s" % path)
        b.login(self.sub, PASSWORD)
        for path in PAGES:
            self.assertEqual(b.get(path)[0], 403, "subscriber page %s" % path)

    def test_api_life(self):
        ctx = "/" + harness.unique("life")
        path = ctx[1:] + "/1.0.0"
        status, api, text = call("POST", "/api/publisher/v1/apis", self.pt, {
            "name": "Life", "context": ctx, "version": "1.0.0", "description": "d",
            "productionEndpoint": harness.BACKEND, "tags": ["Life", "test"],
            "resources": [{"verb": "GET", "uriTemplate": "/items/{id}", "authType": "Application"},
                          {"verb": "POST", "uriTemplate": "/items"}]})
        self.assertEqual(status, 200, text)
        self.assertEqual(api["status"], "CREATED")
        self.assertEqual(len(api["resources"]), 2)
        status, _, text = call("POST", "/api/publisher/v1/apis", self.pt, {
            "name": "Bad", "context": "/bad" + ctx[1:], "version": "1", "resources": [{"verb": "FETCH", "uriTemplate": "/x"}]})
        self.assertEqual(status, 400, text)
        self.assertIn("FETCH", json.loads(text)["message"])
        status, got, _ = call("PUT", "/api/publisher/v1/apis/" + path, self.pt, {"description": "new words"})
        self.assertEqual((status, got["description"], len(got["resources"])), (200, "new words", 2))
        # export, then import the document as another context
        status, doc, _ = call("GET", "/api/publisher/v1/openapi/" + path, self.pt)
        self.assertEqual(status, 200)
        self.assertEqual(doc["x-tollgate-production-endpoint"], harness.BACKEND)
        self.assertIn("/items/{id}", doc["paths"])
        doc["x-tollgate-context"] = ctx + "copy"
        status, copy, text = call("POST", "/api/publisher/v1/import", self.pt, doc)
        self.assertEqual(status, 200, text)
        self.assertEqual((copy["context"], len(copy["resources"])), (ctx + "copy", 2))
        status, _, text = call("POST", "/api/publisher/v1/import", self.pt, {"swagger": "2.0"})
        self.assertEqual(status, 400)
        self.assertIn("Swagger 2.0", text)
        # documentation: Markdown or an http(s) link; other links refused
        status, d, text = call("POST", "/api/publisher/v1/docs/" + path, self.pt, {"name": "Start", "content": "# Hi"})
        self.assertEqual(status, 200, text)
        self.assertEqual(call("POST", "/api/publisher/v1/docs/" + path, self.pt,
                              {"name": "Evil", "sourceUrl": "javascript:alert(1)"})[0], 400)
        status, docs, _ = call("GET", "/api/publisher/v1/docs/" + path, self.pt)
        self.assertEqual([x["name"] for x in docs["documents"]], ["Start"])
        self.assertEqual(call("POST", "/api/publisher/v1/docs-delete/" + path, self.pt, {"id": d["id"]})[0], 200)
        # lifecycle: publish, the gateway knows it; new version; default
        status, got, _ = call("POST", "/api/publisher/v1/lifecycle/" + path, self.pt, {"status": "PUBLISHED"})
        self.assertEqual(got["status"], "PUBLISHED")
        status, v2, text = call("POST", "/api/publisher/v1/versions/" + path, self.pt, {"newVersion": "2.0.0"})
        self.assertEqual((status, v2["version"], v2["status"]), (200, "2.0.0", "CREATED"), text)
        status, got, _ = call("POST", "/api/publisher/v1/default/" + path, self.pt, {})
        self.assertTrue(got["isDefaultVersion"])
        status, subs, _ = call("GET", "/api/publisher/v1/subscriptions/" + path, self.pt)
        self.assertEqual((status, subs["subscriptions"]), (200, []))
        status, usage, _ = call("GET", "/api/publisher/v1/usage/" + path + "?range=DAY", self.pt)
        self.assertEqual((status, usage["range"], usage["step"]), (200, "DAY", 3600))
        # RETIRED needs the password again
        self.assertEqual(call("POST", "/api/publisher/v1/lifecycle/" + path, self.pt, {"status": "DEPRECATED"})[0], 200)
        # (any spelling: the portal asks the common lifecycle table about the canonical name)
        for body in ({"status": "RETIRED"}, {"status": "retired"}, {"status": "Retired"},
                     {"status": "RETIRED", "password": "wrong-one-9"}):
            self.assertEqual(call("POST", "/api/publisher/v1/lifecycle/" + path, self.pt, body)[0], 401)
        status, got, _ = call("GET", "/api/publisher/v1/apis/" + path, self.pt)
        self.assertEqual(got["status"], "DEPRECATED")
        status, got, text = call("POST", "/api/publisher/v1/lifecycle/" + path, self.pt,
                                 {"status": "retired", "password": PASSWORD})
        self.assertEqual((status, got["status"]), (200, "RETIRED"), text)
        self.assertEqual(call("POST", "/api/publisher/v1/lifecycle/" + path, self.pt, {"status": "PUBLISHED"})[0], 409)
        # another publisher may not touch it
        other = harness.unique("pub")
        call("POST", "/api/admin/v1/users", self.admin, {"name": other, "password": PASSWORD, "roles": ["publisher"]})
        ot = api_token(other, PASSWORD)["access_token"]
        self.assertEqual(call("PUT", "/api/publisher/v1/apis/" + ctx[1:] + "/2.0.0", ot, {"description": "x"})[0], 403)

    def test_admin(self):
        name = harness.unique("u")
        status, u, text = call("POST", "/api/admin/v1/users", self.admin,
                               {"name": name, "password": PASSWORD, "roles": ["subscriber"]})
        self.assertEqual((status, u["roles"]), (200, ["subscriber"]), text)
        self.assertEqual(call("POST", "/api/admin/v1/users/roles", self.admin,
                              {"name": name, "roles": ["subscriber", "publisher"]})[0], 200)
        status, users, _ = call("GET", "/api/admin/v1/users", self.admin)
        self.assertEqual(sorted(next(x for x in users["users"] if x["name"] == name)["roles"]), ["publisher", "subscriber"])
        self.assertEqual(call("POST", "/api/admin/v1/users/delete", self.admin, {"name": name})[0], 200)
        self.assertEqual(call("POST", "/api/admin/v1/users/delete", self.admin, {"name": "admin"})[0], 409)
        tier = harness.unique("T")
        status, t, text = call("POST", "/api/admin/v1/tiers", self.admin, {
            "name": tier, "level": "SUBSCRIPTION", "requestCount": 5, "unitTime": 60, "requiresApproval": True})
        self.assertEqual((status, t["requiresApproval"], t["requestCount"]), (200, True, 5), text)
        status, tiers, _ = call("GET", "/api/admin/v1/tiers", self.admin)
        self.assertIn(tier, [x["name"] for x in tiers["tiers"]])
        self.assertEqual(call("POST", "/api/admin/v1/tiers/delete", self.admin, {"name": tier, "level": "SUBSCRIPTION"})[0], 200)
        status, b, text = call("POST", "/api/admin/v1/blocking", self.admin, {"kind": "IP", "value": "198.51.100.9"})
        self.assertEqual(status, 200, text)
        status, conds, _ = call("GET", "/api/admin/v1/blocking", self.admin)
        self.assertIn(b["id"], [x["id"] for x in conds["conditions"]])
        self.assertEqual(call("POST", "/api/admin/v1/blocking/delete", self.admin, {"id": b["id"]})[0], 200)
        # sign-up off: the store refuses it; on again
        self.assertEqual(call("POST", "/api/admin/v1/settings", self.admin, {"name": "signup_enabled", "value": "false"})[0], 200)
        try:
            status, settings, _ = call("GET", "/api/admin/v1/settings", self.admin)
            self.assertEqual(settings["signup_enabled"], "false")
            b = Browser()
            b.get("/signup")
            status, _, text, _ = b.post("/signup", {"username": harness.unique("s"), "password": PASSWORD})
            self.assertEqual(status, 403, text[:300])
        finally:
            call("POST", "/api/admin/v1/settings", self.admin, {"name": "signup_enabled", "value": "true"})
        # the audit log names the admin's actions, newest first, with the client's address
        status, audit, text = call("GET", "/api/admin/v1/audit?limit=20", self.admin)
        self.assertEqual(status, 200, text)
        actions = [(e["actor"], e["action"]) for e in audit["entries"]]
        self.assertIn(("admin", "setSetting"), actions)
        self.assertIn(("admin", "addBlockCondition"), actions)
        self.assertTrue(all(e["clientAddress"] for e in audit["entries"][:3]), audit["entries"][:3])
        self.assertGreaterEqual(audit["entries"][0]["at"], audit["entries"][-1]["at"])


if __name__ == "__main__":
    unittest.main()
