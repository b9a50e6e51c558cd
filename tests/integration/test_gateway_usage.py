"""Gateway usage reporting: after N calls on a fresh API, statdb holds rows
for that API whose counts sum to N within a few seconds (the gateways
aggregate per second and flush to the hub every flush_interval_ms)."""
import time
import unittest

import harness

N = 25


class GatewayUsageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not harness.GATEWAYS or not harness.HUBS:
            raise unittest.SkipTest("no stack")

    def test_calls_reach_statdb(self):
        key = harness.new_app_with_key()
        api = key["api"]
        for k in range(len(harness.GATEWAYS)):
            harness.wait_until(lambda: harness.http("GET", harness.api_url(api, "/echo", k),
                                                    headers=key["headers"])[0] == 200, 15)
        sql = harness.usage_sum_sql(api["context"])
        base = harness.usage_settled(sql)  # the warm-up calls above
        for i in range(N):
            k = i % len(harness.GATEWAYS)
            status, _, body = harness.http("GET", harness.api_url(api, "/echo?i=%d" % i, k),
                                           headers=key["headers"])
            self.assertEqual(status, 200, body)
        t0 = time.monotonic()
        total = harness.wait_until(
            lambda: (lambda v: v if v >= base + N else None)(harness.usage_sum(sql)),
            15, message="statdb usage for %s" % api["context"])
        print("usage: %d calls in statdb after %.2f s" % (N, time.monotonic() - t0))
        self.assertEqual(total, base + N, "more rows than calls: duplicated batches?")
        time.sleep(2)  # nothing sent twice later either
        self.assertEqual(harness.usage_sum(sql), base + N)

    def test_faults_are_counted_too(self):
        key = harness.new_app_with_key()
        api = key["api"]
        harness.wait_until(lambda: harness.http("GET", harness.api_url(api, "/echo", 0),
                                                headers=key["headers"])[0] == 200, 15)
        sql = harness.usage_sum_sql(api["context"])
        base = harness.usage_settled(sql)
        for _ in range(5):
            status, _, _ = harness.http("GET", harness.api_url(api, "/echo", 0))
            self.assertEqual(status, 401)
        harness.wait_until(lambda: harness.usage_sum(sql) >= base + 5, 15,
                           message="401s counted in statdb")


if __name__ == "__main__":
    unittest.main()
