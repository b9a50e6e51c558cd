"""test_throttle_custom: custom policies (issue 14): a request count or a
bandwidth per window keyed by client IP, a header value, user or
application, limited to one API context, pushed to both gateways through the
change feed and enforced with the credit design: exact across both gateways
(600 of 600 driven past the limit), 429 with 900806; deleting a policy lifts
it within 2 s; malformed policies are refused; tollgatectl policy
add|list|delete. Every policy here names its API's context so that it never
touches another test's traffic."""

import time
import unittest

import harness as h
import throttle_support as ts

UNIT = 6  # seconds per window of the short checks


def add_policy(**fields):
    _, T, _ = h.thrift_modules()
    fields.setdefault("name", h.unique("pol"))
    with h.Session("admin") as s:
        return s.call("addCustomPolicy", T.CustomPolicy(**fields))


def delete_policy(pid):
    with h.Session("admin") as s:
        s.call("deleteCustomPolicy", pid)


class ThrottleCustomTest(unittest.TestCase):

    def setUp(self):
        self.policies = []

    def tearDown(self):
        for pid in self.policies:
            try:
                delete_policy(pid)
            except Exception:  # noqa: BLE001 - deleted by the test itself
                pass

    def policy(self, api, **fields):
        fields.setdefault("apiContext", api["context"])
        p = add_policy(**fields)
        self.policies.append(p.id)
        time.sleep(2.5)  # the change feed brings it to both gateways within 2 s
        return p

    def burst(self, api, headers, n, path="/x"):
        """n requests alternating between the gateways inside one window: statuses, codes."""
        for _ in range(3):
            start = ts.wait_window_start(UNIT, 0.2)
            answers = [h.http("GET", h.api_url(api, path, i % 2), headers=headers)
                       for i in range(n)]
            if time.time() < start + UNIT - 0.05:
                return [a[0] for a in answers], [ts.fault_code(a[2]) for a in answers]
        self.fail("the requests never fitted in one window")

    def test_ip_exact_across_gateways(self):
        """600 per 10 s keyed by client IP, driven past the limit through both gateways:
        the backend sees at most 600 and at least 594."""
        api, headers = ts.keyed_api()
        self.policy(api, keyBy="IP", requestCount=600, unitTime=10)
        start = ts.wait_window_start(10, 0.3)
        d = ts.Driver(api, headers, threads=8).run_until(start + 10 - 0.5)
        admitted = sum(d.ok)
        msg = "admitted %d (gw1 %d, gw2 %d), statuses %s, codes %s" % (
            admitted, d.ok[0], d.ok[1], d.status, d.codes)
        print("\n  " + msg)
        self.assertGreater(d.status.get(429, 0), 60, "driven well past the limit: " + msg)
        self.assertLessEqual(admitted, 600, "overshoot: " + msg)
        self.assertGreaterEqual(admitted, 594, "under-admission: " + msg)
        self.assertEqual(set(d.codes), {900806}, msg)
        self.assertGreater(min(d.ok), 150, "both gateways admitted a share")

    def test_refusal_answer(self):
        api, headers = ts.keyed_api()
        self.policy(api, keyBy="IP", requestCount=4, unitTime=UNIT)
        statuses, codes = self.burst(api, headers, 6)
        self.assertEqual(statuses, [200] * 4 + [429] * 2, statuses)
        self.assertEqual(codes[4:], [900806, 900806])
        st, hd, body = h.http("GET", h.api_url(api, "/x", 0), headers=headers)
        self.assertEqual(st, 429)
        retry = int(hd["retry-after"])
        self.assertLessEqual(retry, UNIT)
        self.assertIn("nextAccessTime", body.decode() if isinstance(body, bytes) else body)
        time.sleep(retry)
        self.assertEqual(h.http("GET", h.api_url(api, "/x", 1), headers=headers)[0], 200)

    def test_other_api_untouched(self):
        """A policy limited to one API context leaves another API alone."""
        api, headers = ts.keyed_api()
        other, other_headers = ts.keyed_api()
        self.policy(api, keyBy="IP", requestCount=2, unitTime=UNIT)
        statuses, _ = self.burst(other, other_headers, 6)
        self.assertEqual(statuses, [200] * 6)
        statuses, _ = self.burst(api, headers, 4)
        self.assertEqual(statuses, [200, 200, 429, 429])

    def test_header_value_key(self):
        """Each value of the header counts on its own; the field name in any case is the
        same header; a request without it counts under one shared key; a long or
        non-ASCII value is still counted (under its hash), not let through."""
        api, headers = ts.keyed_api()
        self.policy(api, keyBy="HEADER", headerName="X-Client-Id", requestCount=3,
                    unitTime=UNIT)
        ts.wait_window_start(UNIT, 0.2)
        t0 = time.time()

        def send(value, name="X-Client-Id", k=0):
            hd = dict(headers)
            if value is not None:
                hd[name] = value
            st, _, body = h.http("GET", h.api_url(api, "/x", k), headers=hd)
            return st

        a = [send("alice", k=i % 2) for i in range(4)]
        b = [send("bob", name="x-client-id", k=i % 2) for i in range(4)]
        a2 = send("alice", name="X-CLIENT-ID")
        none = [send(None, k=i % 2) for i in range(4)]
        long = "z" * 3000
        lng = [send(long, k=i % 2) for i in range(4)]
        self.assertLess(time.time(), t0 + UNIT - 0.3, "all in one window")
        self.assertEqual(a, [200, 200, 200, 429])
        self.assertEqual(b, [200, 200, 200, 429])
        self.assertEqual(a2, 429, "the field name's case does not make another key")
        self.assertEqual(none, [200, 200, 200, 429])
        self.assertEqual(lng, [200, 200, 200, 429])

    def test_application_key(self):
        api, headers = ts.keyed_api()
        _, headers2 = ts.keyed_api()  # another application, on another API: not limited
        self.policy(api, keyBy="APPLICATION", requestCount=3, unitTime=UNIT)
        statuses, codes = self.burst(api, headers, 5)
        self.assertEqual(statuses, [200, 200, 200, 429, 429])

    def test_user_key_spans_applications(self):
        """keyBy USER counts the subscriber's calls through all their applications."""
        api, headers = ts.keyed_api()
        _, T, _ = h.thrift_modules()
        with h.Session("admin") as s:
            app = s.call("createApplication", T.Application(name=h.unique("app"), owner="admin",
                                                            tier="Unlimited"))
            s.call("subscribe", "admin", app.name, api["context"], api["version"], "Unlimited")
            keys = s.call("generateKeys", "admin", app.name, "PRODUCTION", 0, [])
        headers2 = {"Authorization": "Bearer " + keys.accessToken}
        self.policy(api, keyBy="USER", requestCount=4, unitTime=UNIT)
        for _ in range(3):
            start = ts.wait_window_start(UNIT, 0.2)
            st = [h.http("GET", h.api_url(api, "/x", i % 2),
                         headers=headers if i % 2 else headers2)[0] for i in range(6)]
            if time.time() < start + UNIT - 0.05:
                break
        self.assertEqual(st, [200] * 4 + [429] * 2, st)

    def test_bytes_exact(self):
        """10,000 bytes per window keyed by IP, 1,000-byte answers alternating between the
        gateways: exactly 10 admitted, then 429 900806."""
        api, headers = ts.keyed_api()
        self.policy(api, keyBy="IP", bytesCount=10000, unitTime=UNIT)
        statuses, codes = self.burst(api, headers, 13, path="/bytes/1000")
        self.assertEqual(statuses, [200] * 10 + [429] * 3, statuses)
        self.assertEqual(codes[10:], [900806] * 3)

    def test_delete_lifts_within_2s(self):
        api, headers = ts.keyed_api()
        p = self.policy(api, keyBy="IP", requestCount=1, unitTime=60)
        h.http("GET", h.api_url(api, "/x", 0), headers=headers)
        for k in range(2):
            self.assertEqual(h.http("GET", h.api_url(api, "/x", k), headers=headers)[0], 429)
        delete_policy(p.id)
        t0 = time.time()
        for k in range(2):
            h.wait_until(lambda: h.http("GET", h.api_url(api, "/x", k), headers=headers)[0] == 200,
                         3, interval=0.05, message="gateway %d lifted the policy" % (k + 1))
        took = time.time() - t0
        print("\n  lifted on both gateways in %.2f s" % took)
        self.assertLess(took, 2.0)

    def test_refused_policies(self):
        _, T, _ = h.thrift_modules()
        bad = [
            dict(keyBy="IPS", requestCount=5, unitTime=60),
            dict(keyBy="HEADER", requestCount=5, unitTime=60),
            dict(keyBy="HEADER", headerName="bad name", requestCount=5, unitTime=60),
            dict(keyBy="HEADER", headerName="X:Y", requestCount=5, unitTime=60),
            dict(keyBy="IP", headerName="X-A", requestCount=5, unitTime=60),
            dict(keyBy="IP", requestCount=0, bytesCount=0, unitTime=60),
            dict(keyBy="IP", requestCount=-1, unitTime=60),
            dict(keyBy="IP", requestCount=5, unitTime=0),
            dict(keyBy="IP", requestCount=5, unitTime=86401),
            dict(keyBy="IP", requestCount=5, unitTime=60, apiContext="no-slash"),
            dict(keyBy="IP", requestCount=5, unitTime=60, apiContext="/a b"),
            dict(keyBy="IP", requestCount=5, unitTime=60, name="has space"),
            dict(keyBy="IP", requestCount=5, unitTime=60, name="a|b"),
            dict(keyBy="IP", requestCount=5, unitTime=60, name=""),
        ]
        with h.Session("admin") as s:
            for fields in bad:
                fields.setdefault("name", h.unique("bad"))
                with self.assertRaises(T.TollgateException, msg=fields) as cm:
                    s.call("addCustomPolicy", T.CustomPolicy(**fields))
                self.assertEqual(cm.exception.code, 400, fields)
            with self.assertRaises(T.TollgateException) as cm:
                s.call("deleteCustomPolicy", 987654321)
            self.assertEqual(cm.exception.code, 404)
            name = h.unique("dup")
            p = s.call("addCustomPolicy", T.CustomPolicy(name=name, keyBy="ip", requestCount=5,
                                                         unitTime=60, apiContext="/nothing"))
            self.policies.append(p.id)
            self.assertEqual(p.keyBy, "IP")
            with self.assertRaises(T.TollgateException) as cm:
                s.call("addCustomPolicy", T.CustomPolicy(name=name, keyBy="IP", requestCount=5,
                                                         unitTime=60))
            self.assertEqual(cm.exception.code, 409)
        user = h.new_user(roles=("subscriber",))
        with h.Session(user["name"], user["password"]) as s:
            with self.assertRaises(T.TollgateException) as cm:
                s.call("addCustomPolicy", T.CustomPolicy(name=h.unique("x"), keyBy="IP",
                                                         requestCount=5, unitTime=60))
            self.assertEqual(cm.exception.code, 403)
            with self.assertRaises(T.TollgateException) as cm:
                s.call("listCustomPolicies")
            self.assertEqual(cm.exception.code, 403)

    def test_ctl(self):
        name = h.unique("ctlpol")
        p = h.ctl("policy", "add", name, "--key-by", "header", "--header", "X-Tenant",
                  "--requests", "100", "--bytes", "5000", "--unit", "hour", "--sliding",
                  "--api", "/nothing-ctl", "--description", "per tenant")
        self.policies.append(p["id"])
        self.assertGreater(p["id"], 0)
        self.assertEqual((p["name"], p["key_by"], p["header_name"], p["request_count"],
                          p["bytes_count"], p["unit_time"], p["sliding"], p["api_context"]),
                         (name, "HEADER", "x-tenant", 100, 5000, 3600, True, "/nothing-ctl"))
        listed = [x for x in h.ctl("policy", "list") if x["id"] == p["id"]]
        self.assertEqual(len(listed), 1)
        self.assertEqual(listed[0]["name"], name)
        text = h.ctl_raw("policy", "list").stdout
        self.assertIn(name, text)
        bad = h.ctl("policy", "add", h.unique("x"), "--key-by", "ip", "--unit", "minute",
                    check=False)
        self.assertEqual(bad["exit_code"], 2, bad)  # neither --requests nor --bytes
        h.ctl("policy", "delete", str(p["id"]))
        self.assertEqual([x for x in h.ctl("policy", "list") if x["id"] == p["id"]], [])
        gone = h.ctl("policy", "delete", str(p["id"]), check=False)
        self.assertEqual(gone.get("code"), 404, gone)


if __name__ == "__main__":
    unittest.main()
