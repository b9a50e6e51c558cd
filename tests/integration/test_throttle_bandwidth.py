"""test_throttle_bandwidth: bandwidth tiers (issue 14): a tier's bytesCount
counts the response body bytes the gateway sends the client, per window,
across both gateways, with the credit design: a request reserves the size of
its key's last response and the log phase corrects it with what was sent.
With answers of one size the limit is exact: 10,000 bytes of 1,000-byte
answers admit exactly 10; driven past 600,000 bytes per 10 s through both
gateways the backend serves at most 600 and at least 594 answers. Chunked
answers count their body bytes too."""

import time
import unittest

import harness as h
import throttle_support as ts

UNIT = 6


class ThrottleBandwidthTest(unittest.TestCase):

    def bytes_api(self, level, bytes_count, unit, requests=0):
        tier = ts.add_tier(level, requests, unit, bytesCount=bytes_count)
        kw = {"SUBSCRIPTION": "sub_tier", "APPLICATION": "app_tier", "API": "api_tier"}[level]
        api, headers = ts.keyed_api(**{kw: tier})
        time.sleep(2.0)  # the tier's POLICY_CHANGED reached both gateways (a feed poll)
        return api, headers

    def sequence(self, api, headers, n, path):
        for _ in range(3):
            start = ts.wait_window_start(UNIT, 0.2)
            answers = [h.http("GET", h.api_url(api, path, i % 2), headers=headers)
                       for i in range(n)]
            if time.time() < start + UNIT - 0.05:
                return answers
        self.fail("the requests never fitted in one window")

    def test_subscription_bytes_exact(self):
        api, headers = self.bytes_api("SUBSCRIPTION", 10000, UNIT)
        answers = self.sequence(api, headers, 13, "/bytes/1000")
        statuses = [a[0] for a in answers]
        self.assertEqual(statuses, [200] * 10 + [429] * 3, statuses)
        self.assertEqual({ts.fault_code(a[2]) for a in answers[10:]}, {900804})
        self.assertTrue(all(len(a[2]) == 1000 for a in answers[:10]))
        retry = int(answers[10][1]["retry-after"])
        self.assertLessEqual(retry, UNIT)
        time.sleep(retry)
        self.assertEqual(h.http("GET", h.api_url(api, "/bytes/1000", 1), headers=headers)[0], 200,
                         "the next window has its bytes again")

    def test_application_bytes_chunked(self):
        """Chunked answers: their body bytes, not the chunk framing, are counted."""
        api, headers = self.bytes_api("APPLICATION", 5000, UNIT)
        answers = self.sequence(api, headers, 7, "/chunked/1000")
        statuses = [a[0] for a in answers]
        self.assertEqual(statuses, [200] * 5 + [429] * 2, statuses)
        self.assertEqual(ts.fault_code(answers[5][2]), 900803)

    def test_request_and_bytes_limits_together(self):
        """A tier with both a request count and bytes: the first limit reached refuses."""
        api, headers = self.bytes_api("SUBSCRIPTION", 100000, UNIT, requests=4)
        statuses = [a[0] for a in self.sequence(api, headers, 6, "/bytes/100")]
        self.assertEqual(statuses, [200] * 4 + [429] * 2, statuses)
        api, headers = self.bytes_api("SUBSCRIPTION", 3000, UNIT, requests=100)
        statuses = [a[0] for a in self.sequence(api, headers, 5, "/bytes/1000")]
        self.assertEqual(statuses, [200] * 3 + [429] * 2, statuses)

    def test_driven_exact_across_gateways(self):
        api, headers = self.bytes_api("SUBSCRIPTION", 600 * 1000, 10)
        start = ts.wait_window_start(10, 0.3)
        d = ts.Driver(api, headers, threads=8, path="/bytes/1000").run_until(start + 10 - 0.5)
        admitted = sum(d.ok)
        msg = "admitted %d (gw1 %d, gw2 %d), statuses %s, codes %s" % (
            admitted, d.ok[0], d.ok[1], d.status, d.codes)
        print("\n  " + msg)
        self.assertGreater(d.status.get(429, 0), 60, "driven well past the limit: " + msg)
        self.assertLessEqual(admitted, 600, "overshoot: " + msg)
        self.assertGreaterEqual(admitted, 594, "under-admission: " + msg)
        self.assertEqual(set(d.codes), {900804}, msg)

    def test_ctl_tier_bytes(self):
        name = h.unique("Bw")
        t = h.ctl("tier", "add", name, "--level", "subscription", "--requests", "0",
                  "--bytes", "1048576", "--unit", "minute")
        self.assertEqual((t["bytes_count"], t["request_count"]), (1048576, 0))
        bad = h.ctl("tier", "add", h.unique("Bw"), "--level", "subscription", "--requests",
                    "0", "--bytes", "-5", "--unit", "minute", check=False)
        self.assertNotEqual(bad["exit_code"], 0)
        _, T, _ = h.thrift_modules()
        with h.Session("admin") as s:
            with self.assertRaises(T.TollgateException) as cm:
                s.call("addTier", T.Tier(name=h.unique("Bw"), level="SUBSCRIPTION",
                                         requestCount=0, unitTime=60, bytesCount=-1))
            self.assertEqual(cm.exception.code, 400)


if __name__ == "__main__":
    unittest.main()
