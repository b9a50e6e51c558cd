"""test_portal_tier_refs: the portal passes the hub's tier-reference rule on (issue 14,
keyvalidator/methods/tier_refs.c): through /api/publisher/v1 (create, update, OpenAPI import)
an apiTier, resource tier or subscription tier that does not exist at its level, a case
variant of a seeded name and an attacker's name are answered 400 with the hub's message
naming the field and the tier, and nothing is stored; the publisher's HTML form shows the
same message, escaped, with the form kept. The store's /api/store/v1 and forms do the same for
an application's tier (create, update) and a subscription's (subscribe: offered by the API,
a SUBSCRIPTION tier); /api/admin/v1 answers 409 to a tier or policy name that differs only
in case from one that exists."""

import html
import unittest

import harness
from test_portal_publisher import PASSWORD, call, portal_users
from test_portal_store import PORTAL, Browser


def body(ctx, **fields):
    b = {"name": "TierRefs", "context": ctx, "version": "1.0.0",
         "productionEndpoint": harness.BACKEND,
         "resources": [{"verb": "GET", "uriTemplate": "/items"}]}
    b.update(fields)
    return b


@unittest.skipUnless(PORTAL, "no portal in this stack (TOLLGATE_PORTAL unset)")
class PortalTierRefsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        portal_users(cls, "tpub", "tsub")

    def refused(self, method, path, payload, *words):
        status, data, text = call(method, path, self.pt, payload)
        self.assertEqual(status, 400, text)
        for w in words:
            self.assertIn(w, data["message"], text)
        return data["message"]

    def absent(self, ctx):
        self.assertEqual(call("GET", "/api/publisher/v1/apis" + ctx + "/1.0.0", self.pt)[0], 404)

    def test_json_create_refuses_and_stores_nothing(self):
        missing = harness.unique("Platinum")
        cases = [({"apiTier": missing}, "apiTier: no API or SUBSCRIPTION tier", missing),
                 ({"apiTier": "gold"}, "apiTier: no API or SUBSCRIPTION tier", '"gold"'),
                 ({"apiTier": "Gold' OR '1'='1"}, "apiTier: ", "a tier name is 1 to 64"),
                 ({"subscriptionTiers": ["Gold", "50PerMin"]},
                  "subscriptionTiers[1]: no SUBSCRIPTION tier", "50PerMin"),
                 ({"subscriptionTiers": ["UNLIMITED"]}, "subscriptionTiers[0]: no SUBSCRIPTION",
                  "UNLIMITED"),
                 ({"resources": [{"verb": "GET", "uriTemplate": "/items",
                                  "throttlingTier": "Gold"}]},
                  "resources[0].throttlingTier: no RESOURCE tier", '"Gold"'),
                 ({"resources": [{"verb": "GET", "uriTemplate": "/items",
                                  "throttlingTier": "<script>x</script>"}]},
                  "resources[0].throttlingTier: ", "a tier name is")]
        for fields, *words in cases:
            ctx = "/" + harness.unique("ptref")
            self.refused("POST", "/api/publisher/v1/apis", body(ctx, **fields), *words)
            self.absent(ctx)
        # the portal trims the whitespace around a field (its form rule) before the hub sees
        # it; the hub itself refuses " Gold" (test_throttle_tier_refs)
        ctx = "/" + harness.unique("ptref")
        status, api, text = call("POST", "/api/publisher/v1/apis", self.pt,
                                 body(ctx, apiTier=" Gold\t", subscriptionTiers=["Gold", "Silver"]))
        self.assertEqual(status, 200, text)
        self.assertEqual((api["apiTier"], sorted(api["subscriptionTiers"])),
                         ("Gold", ["Gold", "Silver"]))

    def test_json_update_refuses_and_keeps_the_api(self):
        ctx = "/" + harness.unique("ptref")
        status, _, text = call("POST", "/api/publisher/v1/apis", self.pt,
                               body(ctx, subscriptionTiers=["Gold"]))
        self.assertEqual(status, 200, text)
        path = "/api/publisher/v1/apis" + ctx + "/1.0.0"
        self.refused("PUT", path, {"subscriptionTiers": ["Gold", "gold"]},
                     "subscriptionTiers[1]: no SUBSCRIPTION tier", '"gold"')
        self.refused("PUT", path, {"apiTier": "x" * 200}, "apiTier: ", "...")
        status, got, _ = call("GET", path, self.pt)
        self.assertEqual((status, got["subscriptionTiers"], got["apiTier"]),
                         (200, ["Gold"], "Unlimited"))

    def test_import_refuses_unknown_tiers(self):
        ctx = "/" + harness.unique("ptref")
        doc = {"openapi": "3.0.3", "info": {"title": "Imp", "version": "1.0.0"},
               "x-tollgate-context": ctx, "x-tollgate-production-endpoint": harness.BACKEND,
               "x-throttling-tier": "Platinum",
               "paths": {"/items": {"get": {"responses": {"200": {"description": "ok"}}}}}}
        self.refused("POST", "/api/publisher/v1/import", doc,
                     "apiTier: no API or SUBSCRIPTION tier", "Platinum")
        self.absent(ctx)
        doc["x-throttling-tier"] = "Unlimited"
        doc["x-subscription-tiers"] = ["Bronze", "bronze"]
        self.refused("POST", "/api/publisher/v1/import", doc, "subscriptionTiers[1]: ", "bronze")
        self.absent(ctx)

    def test_html_form_shows_the_refusal(self):
        b = Browser()
        b.login(self.pub, PASSWORD)
        b.get("/publisher/new")
        ctx = "/" + harness.unique("ptref")
        status, _, text, _ = b.post("/publisher/apis", {
            "name": "Form", "context": ctx, "version": "1.0.0",
            "productionEndpoint": harness.BACKEND, "resources": "GET /items Any Unlimited",
            "subscriptionTiers": "Gold", "apiTier": "<b>gold</b>"})
        self.assertEqual(status, 400, text[:500])
        self.assertIn("apiTier: ", text)
        self.assertIn("a tier name is", html.unescape(text))
        self.assertNotIn("<b>gold</b>", text)
        status, _, text, _ = b.post("/publisher/apis", {
            "name": "Form", "context": ctx, "version": "1.0.0",
            "productionEndpoint": harness.BACKEND, "resources": "GET /items Any Gold",
            "subscriptionTiers": "Gold", "apiTier": "Unlimited"})
        self.assertEqual(status, 400, text[:500])
        self.assertIn("resources[0].throttlingTier: no RESOURCE tier", html.unescape(text))
        self.absent(ctx)

    # ------------------------------------------------------------------ store

    def app_absent(self, name):
        status = call("GET", "/api/store/v1/applications/" + name, self.st)[0]
        self.assertEqual(status, 404, name)

    def test_store_json_application_tier(self):
        cases = [("gold", 'tier: no APPLICATION tier "gold"'),
                 ("Gold", 'tier: no APPLICATION tier "Gold"'),  # a SUBSCRIPTION tier
                 ("50permin", 'tier: no APPLICATION tier "50permin"'),
                 ("50PerMin' OR '1'='1", "a tier name is 1 to 64"),
                 ("<script>x</script>", "a tier name is"),
                 ("G\u00f6ld", "a tier name is"),
                 ("n" * 300, "...")]
        for tier, words in cases:
            name = harness.unique("papp")
            status, data, text = call("POST", "/api/store/v1/applications", self.st,
                                      {"name": name, "tier": tier})
            self.assertEqual(status, 400, text)
            self.assertTrue(data["message"].startswith("tier: "), text)
            self.assertIn(words, data["message"], text)
            self.app_absent(name)
        name = harness.unique("papp")
        status, app, text = call("POST", "/api/store/v1/applications", self.st,
                                 {"name": name, "tier": "20PerMin"})
        self.assertEqual((status, app["tier"]), (201, "20PerMin"), text)
        path = "/api/store/v1/applications/" + name
        for tier, words in (("20permin", 'tier: no APPLICATION tier "20permin"'),
                            ("Bronze", 'tier: no APPLICATION tier "Bronze"'),
                            ("20PerMin;--", "a tier name is")):
            status, data, text = call("PUT", path, self.st, {"tier": tier, "description": "x"})
            self.assertEqual(status, 400, text)
            self.assertIn(words, data["message"], text)
            status, got, _ = call("GET", path, self.st)
            self.assertEqual((got["tier"], got.get("description", "")), ("20PerMin", ""))

    def test_store_json_subscription_tier(self):
        with harness.Session("admin") as s:
            api = harness.new_api(session=s, subscriptionTiers=["Gold", "Silver"])
        app = harness.unique("papp")
        self.assertEqual(call("POST", "/api/store/v1/applications", self.st, {"name": app})[0], 201)
        cases = [("Bronze", 'tier: API %s:1.0.0 does not offer "Bronze"' % api["context"]),
                 ("gold", 'does not offer "gold" (it offers "Gold", "Silver")'),
                 ("Gold\r\nX-Evil: 1", "a tier name is"),
                 ("<b>Gold</b>", "a tier name is")]
        for tier, words in cases:
            status, data, text = call("POST", "/api/store/v1/subscriptions", self.st,
                                      {"application": app, "context": api["context"],
                                       "version": "1.0.0", "tier": tier})
            self.assertEqual(status, 400, text)
            self.assertIn(words, data["message"], text)
            status, subs, _ = call("GET", "/api/store/v1/applications/%s/subscriptions" % app,
                                   self.st)
            self.assertEqual((status, subs["subscriptions"]), (200, []))
        status, sub, text = call("POST", "/api/store/v1/subscriptions", self.st,
                                 {"application": app, "context": api["context"],
                                  "version": "1.0.0", "tier": "Silver"})
        self.assertEqual((status, sub["tier"]), (201, "Silver"), text)

    def test_store_form_shows_the_refusal(self):
        b = Browser()
        b.login(self.sub, PASSWORD)
        b.get("/store/apps")
        name = harness.unique("papp")
        status, _, text, _ = b.post("/store/apps", {"name": name, "tier": "<b>gold</b>"})
        self.assertEqual(status, 400, text[:500])
        self.assertIn("tier: ", html.unescape(text))
        self.assertIn("a tier name is", html.unescape(text))
        self.assertNotIn("<b>gold</b>", text)
        status, _, text, _ = b.post("/store/apps", {"name": name, "tier": "gold"})
        self.assertEqual(status, 400, text[:500])
        self.assertIn('tier: no APPLICATION tier "gold"', html.unescape(text))
        self.app_absent(name)

    # ------------------------------------------------------------------ admin

    def test_admin_refuses_case_variants(self):
        base = harness.unique("Look")
        status, _, text = call("POST", "/api/admin/v1/tiers", self.admin,
                               {"name": base, "level": "SUBSCRIPTION", "requestCount": 5})
        self.assertEqual(status, 200, text)
        for name, level in ((base.lower(), "SUBSCRIPTION"), (base.upper(), "API"),
                            ("gold", "SUBSCRIPTION"), ("UNLIMITED", "APPLICATION")):
            status, data, text = call("POST", "/api/admin/v1/tiers", self.admin,
                                      {"name": name, "level": level, "requestCount": 5})
            self.assertEqual(status, 409, text)
            self.assertIn('%s tier "%s" would look like' % (level, name), data["message"])
            self.assertEqual(call("GET", "/api/admin/v1/tiers/%s/%s" % (level, name),
                                  self.admin)[0], 404)
        status, pol, text = call("POST", "/api/admin/v1/policies", self.admin,
                                 {"name": base, "keyBy": "ip", "requestCount": 5,
                                  "unitTime": 60})
        self.assertEqual(status, 200, text)
        try:
            status, data, text = call("POST", "/api/admin/v1/policies", self.admin,
                                      {"name": base.swapcase(), "keyBy": "ip",
                                       "requestCount": 5, "unitTime": 60})
            self.assertEqual(status, 409, text)
            self.assertIn("would look like custom policy", data["message"])
        finally:
            call("POST", "/api/admin/v1/policies/delete", self.admin, {"id": pol["id"]})
            call("POST", "/api/admin/v1/tiers/delete", self.admin,
                 {"name": base, "level": "SUBSCRIPTION"})


if __name__ == "__main__":
    unittest.main()
