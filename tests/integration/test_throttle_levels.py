"""test_throttle_levels: every throttling level refuses at its limit with its
status, fault code and headers, and a request at Retry-After is admitted again
(issue 14). Windows of a few seconds keep the suite short."""

import http.client
import json
import os
import time
import unittest
import urllib.parse

import harness as h
import throttle_support as ts

UNIT = 6  # seconds per window


class ThrottleLevelsTest(unittest.TestCase):

    def burst(self, api, headers, n, gateway=None):
        """n requests alternating between the gateways, all inside one window (tried again
        in the next window when a loaded machine let them straddle two)."""
        for attempt in range(3):
            start = ts.wait_window_start(UNIT, 0.2)
            answers = []
            for i in range(n):
                k = (i % 2) if gateway is None else gateway
                answers.append(h.http("GET", h.api_url(api, "/x", k), headers=headers))
            if time.time() < start + UNIT - 0.05:
                return answers
        self.fail("the requests never fitted in one %d s window" % UNIT)

    def run_level(self, api, headers, limit, code, status=429, policy=None, gateway=None):
        """Sends limit+2 requests early in a window; returns the first refusal's headers."""
        answers = self.burst(api, headers, limit + 2, gateway)
        statuses = [a[0] for a in answers]
        self.assertEqual(statuses, [200] * limit + [status] * 2, statuses)
        st, hd, body = answers[limit]
        fault = json.loads(body)["fault"]
        self.assertEqual(fault["code"], code)
        self.assertIn("nextAccessTime", fault)
        self.assertRegex(fault["nextAccessTime"], r"^\d{4}-[A-Z][a-z]{2}-\d\d \d\d:\d\d:\d\d\+0000 UTC$")
        retry = int(hd["retry-after"])
        self.assertGreaterEqual(retry, 1)
        self.assertLessEqual(retry, UNIT)
        if policy:
            self.assertEqual(hd["ratelimit-policy"], '"%s";q=%d;w=%d' % (policy, limit, UNIT))
            self.assertRegex(hd["ratelimit"], r'^"%s";r=0;t=\d+$' % policy)
            self.assertEqual(hd["x-ratelimit-limit"], str(limit))
            self.assertEqual(hd["x-ratelimit-remaining"], "0")
            self.assertLessEqual(int(hd["x-ratelimit-reset"]), UNIT)
        ok_headers = answers[0][1]
        if policy:
            self.assertEqual(ok_headers["x-ratelimit-limit"], str(limit))
            self.assertIn("ratelimit-policy", ok_headers)
        time.sleep(retry)
        st, _, _ = h.http("GET", h.api_url(api, "/x", 0), headers=headers)
        self.assertEqual(st, 200, "a request at Retry-After is admitted")
        return hd

    def test_subscription(self):
        tier = ts.add_tier("SUBSCRIPTION", 5, UNIT)
        api, headers = ts.keyed_api(sub_tier=tier)
        self.run_level(api, headers, 5, 900804, policy="subscription")

    def test_application(self):
        tier = ts.add_tier("APPLICATION", 4, UNIT)
        api, headers = ts.keyed_api(app_tier=tier)
        self.run_level(api, headers, 4, 900803, policy="application")

    def test_api(self):
        tier = ts.add_tier("API", 6, UNIT)
        api, headers = ts.keyed_api(api_tier=tier)
        self.run_level(api, headers, 6, 900800, policy="api")

    def test_resource(self):
        tier = ts.add_tier("RESOURCE", 3, UNIT)
        api, headers = ts.keyed_api(resource_tier=tier)
        self.run_level(api, headers, 3, 900802, policy="resource")

    def test_tightest_first_refusal_in_order(self):
        """API (6) before subscription (3): the subscription refuses first; the API's
        credit taken by the refused request is given back."""
        api_tier = ts.add_tier("API", 6, UNIT)
        sub_tier = ts.add_tier("SUBSCRIPTION", 3, UNIT)
        api, headers = ts.keyed_api(api_tier=api_tier, sub_tier=sub_tier)
        self.run_level(api, headers, 3, 900804, policy="subscription")

    def test_subscription_burst(self):
        tier = ts.add_tier("SUBSCRIPTION", 1000, 60, burstCount=3, burstUnitTime=1)
        api, headers = ts.keyed_api(sub_tier=tier)
        h.http("GET", h.api_url(api, "/x", 0), headers=headers)   # warm the keys
        time.sleep(1.0 - (time.time() % 1.0) + 0.05)
        answers = [h.http("GET", h.api_url(api, "/x", i % 2), headers=headers)[0:3:2]
                   for i in range(6)]
        self.assertTrue(time.time() % 1.0 < 0.95, "the burst stayed within one second")
        self.assertEqual([a[0] for a in answers], [200] * 3 + [429] * 3)
        self.assertEqual(ts.fault_code(answers[3][1]), 900807)

    def test_application_burst(self):
        tier = ts.add_tier("APPLICATION", 1000, 60, burstCount=2, burstUnitTime=1)
        api, headers = ts.keyed_api(app_tier=tier)
        h.http("GET", h.api_url(api, "/x", 0), headers=headers)
        time.sleep(1.0 - (time.time() % 1.0) + 0.05)
        answers = [h.http("GET", h.api_url(api, "/x", i % 2), headers=headers)[0:3:2]
                   for i in range(4)]
        self.assertEqual([a[0] for a in answers], [200] * 2 + [429] * 2)
        self.assertEqual(ts.fault_code(answers[2][1]), 900809)

    def test_no_stop_on_quota_lets_through(self):
        tier = ts.add_tier("SUBSCRIPTION", 3, UNIT, stopOnQuotaReach=False)
        api, headers = ts.keyed_api(sub_tier=tier)
        answers = self.burst(api, headers, 6)
        self.assertEqual([a[0] for a in answers], [200] * 6)
        self.assertEqual(answers[5][1]["x-ratelimit-remaining"], "0")

    def raw_names(self, api, headers):
        """The answer's status and header names in wire order, lower case."""
        url = urllib.parse.urlsplit(h.api_url(api, "/x", 0))
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        try:
            conn.request("GET", url.path, headers=headers)
            r = conn.getresponse()
            r.read()
            return r.status, [n.lower() for n, _ in r.getheaders()]
        finally:
            conn.close()

    def test_headers_in_their_place(self):
        """The five headers, held by reference rather than as evhtp headers, are written where
        the plugin added them: after X-Request-ID, before a later plugin's X-Request-Stamp
        (request_stamp runs after throttle), on a proxied answer and on a 429."""
        with open(os.path.join(h.VAR, "conf", "gw1.conf")) as f:
            plugins = [line for line in f if line.replace(" ", "").startswith("plugins=")]
        if not plugins or "request_stamp" not in plugins[0]:
            self.skipTest("request_stamp is not in [gateway] plugins of gw1.conf")
        tier = ts.add_tier("SUBSCRIPTION", 1, 60)
        api, headers = ts.keyed_api(sub_tier=tier)
        five = ["ratelimit-policy", "ratelimit", "x-ratelimit-limit", "x-ratelimit-remaining",
                "x-ratelimit-reset"]
        for want in (200, 429):
            st, names = self.raw_names(api, headers)
            self.assertEqual(st, want, names)
            at = names.index("ratelimit-policy")
            self.assertEqual(names[at:at + 5], five, names)
            self.assertEqual(names[at - 1], "x-request-id", names)
            self.assertGreater(names.index("x-request-stamp"), at + 4, names)
            for n in five:
                self.assertEqual(names.count(n), 1, names)

    def test_unlimited_has_no_headers(self):
        api, headers = ts.keyed_api()
        st, hd, _ = h.http("GET", h.api_url(api, "/x", 0), headers=headers)
        self.assertEqual(st, 200)
        self.assertNotIn("x-ratelimit-limit", hd)

    def test_tier_crud(self):
        _, T, _ = h.thrift_modules()
        tier = ts.add_tier("SUBSCRIPTION", 7, 60, burstCount=2, burstUnitTime=1, failMode="Closed")
        with h.Session("admin") as s:
            t = s.call("getTier", tier, "subscription")
            self.assertEqual((t.requestCount, t.unitTime, t.burstCount, t.failMode),
                             (7, 60, 2, "closed"))
            with self.assertRaises(T.TollgateException) as e:
                s.call("addTier", T.Tier(name=tier, level="SUBSCRIPTION", requestCount=1))
            self.assertEqual(e.exception.code, 409)
            for bad in (T.Tier(name="a b", level="SUBSCRIPTION", requestCount=1),
                        T.Tier(name="x" + tier, level="HARD", requestCount=1),
                        T.Tier(name="y" + tier, level="API", requestCount=-1),
                        T.Tier(name="z" + tier, level="API", requestCount=1, unitTime=0),
                        T.Tier(name="w" + tier, level="API", requestCount=1, burstCount=1,
                               burstUnitTime=7),
                        T.Tier(name="v" + tier, level="API", requestCount=1, failMode="maybe"),
                        T.Tier(name="u" + tier, level="API", requestCount=1, bytesCount=-1)):
                with self.assertRaises(T.TollgateException) as e:
                    s.call("addTier", bad)
                self.assertEqual(e.exception.code, 400, bad)
            s.call("deleteTier", tier, "SUBSCRIPTION")
            with self.assertRaises(T.TollgateException) as e:
                s.call("getTier", tier, "SUBSCRIPTION")
            self.assertEqual(e.exception.code, 404)
            with self.assertRaises(T.TollgateException) as e:
                s.call("deleteTier", "Unlimited", "SUBSCRIPTION")
            self.assertEqual(e.exception.code, 409)
            names = {(t.name, t.level) for t in s.call("listTiers")}
            for seeded in (("Gold", "SUBSCRIPTION"), ("Bronze", "SUBSCRIPTION"),
                           ("50PerMin", "APPLICATION"), ("Unlimited", "API")):
                self.assertIn(seeded, names)

    def test_gateway_role_only_for_credit(self):
        _, T, _ = h.thrift_modules()
        user = h.new_user(roles=("subscriber",))
        with h.Session(user["name"], user["password"]) as s:
            with self.assertRaises(T.TollgateException) as e:
                s.call("grantCredits", "gwx", [T.CreditRequest(key="SUBSCRIPTION|Gold|1|/a:1",
                                                               level="SUBSCRIPTION", tier="Gold",
                                                               requested=1000)])
            self.assertEqual(e.exception.code, 403)
        with h.Session("admin") as s:
            for bad in (T.CreditRequest(key="", level="SUBSCRIPTION", tier="Gold", requested=1),
                        T.CreditRequest(key="k", level="SUBSCRIPTION", tier="Gold", requested=0),
                        T.CreditRequest(key="k" * 600, level="SUBSCRIPTION", tier="Gold",
                                        requested=1)):
                with self.assertRaises(T.TollgateException) as e:
                    s.call("grantCredits", "gwx", [bad])
                self.assertEqual(e.exception.code, 400)

    def test_ledger_never_grants_past_the_limit(self):
        """Many asks for more than is left: the sum granted is the limit, exactly."""
        _, T, _ = h.thrift_modules()
        tier = ts.add_tier("SUBSCRIPTION", 100, 3600)
        key = "SUBSCRIPTION|%s|ledger|/l:1" % tier
        total = 0
        with h.Session("admin") as s:
            for i in range(30):
                g = s.call("grantCredits", "gw-test", [T.CreditRequest(
                    key=key, level="SUBSCRIPTION", tier=tier, requested=7 + i)])[0]
                self.assertEqual(g.limit, 100)
                total += g.granted
                self.assertEqual(g.remaining, 100 - total)
            self.assertEqual(total, 100)
            # unused credit given back can be granted again; a batch sent twice counts once
            rep = [T.CreditReport(key=key, windowStart=g.windowStart, used=80, unused=20)]
            s.call("reportCredits", "gw-test", rep, "batch-" + tier)
            s.call("reportCredits", "gw-test", rep, "batch-" + tier)
            again = 0
            for i in range(20):
                g = s.call("grantCredits", "gw-test", [T.CreditRequest(
                    key=key, level="SUBSCRIPTION", tier=tier, requested=50)])[0]
                again += g.granted
                self.assertEqual(g.remaining, 20 - again)
            self.assertEqual(again, 20)


if __name__ == "__main__":
    unittest.main()
