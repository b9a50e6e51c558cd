"""Gateway key authentication end to end: every fault the gateway produces
for a token, with its HTTP status and JSON body, on both gateway nodes.

Covers: a subscribed call proxied on every node with the Authorization header
kept from the backend; 900902 missing, 900901 unknown, 900903 expired, 900904
revoked (measured propagation to every node, must be under 2 s), 900905 wrong
key type, 900906 no resource, 900907 API blocked, 900908 resource forbidden
for an application token, 900909 subscription blocked, 900910 missing scope;
WWW-Authenticate on every 401.
"""
import json
import time
import unittest
import uuid

import harness

EXPECTED_STATUS = {900900: 503, 900901: 401, 900902: 401, 900903: 401, 900904: 401,
                   900905: 401, 900906: 404, 900907: 503, 900908: 403, 900909: 403,
                   900910: 403}


def fault_of(body):
    doc = json.loads(body.decode())
    return doc["fault"]


def call(api, token=None, k=0, resource="/echo", method="GET", headers=None):
    hdrs = dict(headers or {})
    if token is not None:
        hdrs["Authorization"] = "Bearer %s" % token
    return harness.http(method, harness.api_url(api, resource, k), headers=hdrs)


def wait_routed(api, token, timeout=10):
    """Waits until every gateway has the API (the change feed polls ~1/s)."""
    for k in range(len(harness.GATEWAYS)):
        harness.wait_until(lambda: call(api, token, k)[0] != 404, timeout,
                           message="API %s on gateway %d" % (api["context"], k + 1))


def create_api(resources, sandbox="", auth_type="Application"):
    """An API whose sandbox endpoint can be empty (harness.new_api always sets one)."""
    Tollgate, T, _ = harness.thrift_modules()
    suffix = uuid.uuid4().hex[:10]
    res = [T.Resource(verb=r[0], uriTemplate=r[1], authType=r[2] if len(r) > 2 else auth_type,
                      throttlingTier="Unlimited", scope=r[3] if len(r) > 3 else "")
           for r in resources]
    api = T.Api(name="auth" + suffix, context="/auth" + suffix, version="1.0.0",
                productionEndpoint=harness.BACKEND, sandboxEndpoint=sandbox, resources=res,
                apiTier="Unlimited")
    with harness.Session() as s:
        s.call("createApi", api)
        created = s.call("setApiLifecycle", api.context, api.version, "PUBLISHED")
    return harness.to_dict(created)


class GatewayAuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not harness.GATEWAYS or not harness.HUBS:
            raise unittest.SkipTest("no stack (TOLLGATE_GATEWAYS / TOLLGATE_HUBS unset)")
        cls.key = harness.new_app_with_key()
        cls.api = cls.key["api"]
        wait_routed(cls.api, cls.key["token"])

    def assertFault(self, resp, code, k=None):
        status, headers, body = resp
        where = "" if k is None else " on gateway %d" % (k + 1)
        self.assertEqual(status, EXPECTED_STATUS[code], "HTTP status for %d%s: %r" % (code, where, body))
        self.assertTrue(headers.get("content-type", "").startswith("application/json"), headers)
        fault = fault_of(body)
        self.assertEqual(fault["code"], code, body)
        self.assertTrue(fault.get("message"), body)
        self.assertIn("description", fault)
        if status == 401:
            self.assertIn("www-authenticate", headers, "401 without WWW-Authenticate")
            self.assertTrue(headers["www-authenticate"].lower().startswith("bearer"),
                            headers["www-authenticate"])

    def wait_fault(self, fn, code, timeout=10):
        """Waits until fn() answers with the fault code (changes take a poll to arrive)."""
        def seen():
            resp = fn()
            return resp if resp[0] == EXPECTED_STATUS[code] and fault_of(resp[2])["code"] == code else None
        resp = harness.wait_until(seen, timeout, message="fault %d" % code)
        self.assertFault(resp, code)

    # ---------------------------------------------------------------- success

    def test_subscribed_call_proxied_on_every_node(self):
        for k in range(len(harness.GATEWAYS)):
            status, _, body = call(self.api, self.key["token"], k)
            self.assertEqual(status, 200, "gateway %d: %r" % (k + 1, body))
            echoed = json.loads(body.decode())
            names = {h.lower() for h in echoed["headers"]}
            self.assertNotIn("authorization", names, "the token reached the backend")
            self.assertEqual(echoed["path"].split("?")[0], "/echo")

    def test_scheme_is_case_insensitive(self):
        status, _, body = harness.http("GET", harness.api_url(self.api, "/echo"),
                                       headers={"Authorization": "bearer %s" % self.key["token"]})
        self.assertEqual(status, 200, body)

    # ---------------------------------------------------------------- faults

    def test_900902_missing_credentials(self):
        for k in range(len(harness.GATEWAYS)):
            self.assertFault(call(self.api, None, k), 900902, k)
        self.assertFault(call(self.api, headers={"Authorization": "Basic Zm9vOmJhcg=="}), 900902)
        self.assertFault(call(self.api, headers={"Authorization": "Bearer"}), 900902)

    def test_900901_unknown_token(self):
        for k in range(len(harness.GATEWAYS)):
            self.assertFault(call(self.api, uuid.uuid4().hex, k), 900901, k)

    def test_900903_expired_token(self):
        key = harness.new_app_with_key(api=self.api, validity=1)
        time.sleep(2.5)
        for k in range(len(harness.GATEWAYS)):
            self.assertFault(call(self.api, key["token"], k), 900903, k)

    def test_900904_revoked_on_every_node_within_2s(self):
        key = harness.new_app_with_key(api=self.api)
        for k in range(len(harness.GATEWAYS)):
            status, _, body = call(self.api, key["token"], k)
            self.assertEqual(status, 200, body)  # now cached on every node
        with harness.Session() as s:
            t0 = time.monotonic()
            s.call("revokeToken", key["token"])
        pending = set(range(len(harness.GATEWAYS)))
        seen_at = {}
        while pending and time.monotonic() - t0 < 5:
            for k in sorted(pending):
                resp = call(self.api, key["token"], k)
                if resp[0] == 401:
                    self.assertFault(resp, 900904, k)
                    seen_at[k] = time.monotonic() - t0
                    pending.discard(k)
            time.sleep(0.02)
        for k, t in sorted(seen_at.items()):
            print("revocation seen on gateway %d after %.3f s" % (k + 1, t))
        self.assertFalse(pending, "gateways still accepting a revoked token: %s" % pending)
        self.assertLess(max(seen_at.values()), 2.0, seen_at)

    def test_900905_sandbox_key_on_production_only_api(self):
        api = create_api([("GET", "/*")], sandbox="")
        prod = harness.new_app_with_key(api=api)
        wait_routed(api, prod["token"])
        key = harness.new_app_with_key(api=api, key_type="SANDBOX")
        for k in range(len(harness.GATEWAYS)):
            self.assertFault(call(api, key["token"], k), 900905, k)

    def test_900906_no_matching_resource(self):
        api = create_api([("GET", "/menu")])
        key = harness.new_app_with_key(api=api)
        harness.wait_until(lambda: call(api, key["token"], 0, "/menu")[0] == 200, 10)
        for k in range(len(harness.GATEWAYS)):
            harness.wait_until(lambda: call(api, key["token"], k, "/menu")[0] == 200, 10)
            self.assertFault(call(api, key["token"], k, "/nothing-here"), 900906, k)
            self.assertFault(call(api, key["token"], k, "/menu", method="DELETE"), 900906, k)

    def test_900907_blocked_api(self):
        key = harness.new_app_with_key()
        api = key["api"]
        wait_routed(api, key["token"])
        with harness.Session() as s:
            s.call("setApiLifecycle", api["context"], api["version"], "BLOCKED")
        for k in range(len(harness.GATEWAYS)):
            self.wait_fault(lambda: call(api, key["token"], k), 900907)

    def test_900908_application_token_on_user_resource(self):
        api = create_api([("GET", "/me", "Application_User"), ("GET", "/open", "Any")])
        key = harness.new_app_with_key(api=api)
        harness.wait_until(lambda: call(api, key["token"], 0, "/open")[0] == 200, 10)
        for k in range(len(harness.GATEWAYS)):
            harness.wait_until(lambda: call(api, key["token"], k, "/open")[0] == 200, 10)
            self.assertFault(call(api, key["token"], k, "/me"), 900908, k)

    def test_900909_blocked_subscription(self):
        key = harness.new_app_with_key()
        api = key["api"]
        wait_routed(api, key["token"])
        for k in range(len(harness.GATEWAYS)):
            self.assertEqual(call(api, key["token"], k)[0], 200)  # cached as authorized
        with harness.Session() as s:
            s.call("setSubscriptionStatus", key["owner"], key["app"]["name"], api["context"],
                   api["version"], "BLOCKED")
        for k in range(len(harness.GATEWAYS)):
            self.wait_fault(lambda: call(api, key["token"], k), 900909)

    def test_900910_missing_scope(self):
        api = create_api([("GET", "/secret", "Any", "menu:admin"), ("GET", "/open", "Any")])
        key = harness.new_app_with_key(api=api)
        harness.wait_until(lambda: call(api, key["token"], 0, "/open")[0] == 200, 10)
        for k in range(len(harness.GATEWAYS)):
            harness.wait_until(lambda: call(api, key["token"], k, "/open")[0] == 200, 10)
            self.assertFault(call(api, key["token"], k, "/secret"), 900910, k)
        scoped = harness.new_app_with_key(api=api, scopes=["menu:admin"])
        status, _, body = call(api, scoped["token"], 0, "/secret")
        self.assertEqual(status, 200, body)

    def test_none_auth_needs_no_token(self):
        api = create_api([("GET", "/public", "None")])
        harness.wait_until(lambda: call(api, None, 0, "/public")[0] == 200, 10)
        for k in range(len(harness.GATEWAYS)):
            harness.wait_until(lambda: call(api, None, k, "/public")[0] == 200, 10)

    # ---------------------------------------------------------------- cache

    def test_cache_hits_counted(self):
        for _ in range(5):
            self.assertEqual(call(self.api, self.key["token"], 0)[0], 200)
        status, _, body = harness.http("GET", harness.GATEWAY_ADMIN[0].rstrip("/") + "/metrics")
        self.assertEqual(status, 200)
        text = body.decode()
        hits = [l for l in text.splitlines()
                if l.startswith('tollgate_gateway_key_cache_total{result="hit"}')]
        self.assertTrue(hits, "no cache hit counter in /metrics")
        self.assertGreaterEqual(float(hits[0].split()[-1]), 4)
        # latency of the cached path, for the report
        t0 = time.monotonic()
        for _ in range(50):
            call(self.api, self.key["token"], 0)
        print("cached-token round trip through gateway 1: %.2f ms" %
              ((time.monotonic() - t0) * 1000 / 50))


if __name__ == "__main__":
    unittest.main()
