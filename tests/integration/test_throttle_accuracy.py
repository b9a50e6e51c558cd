"""test_throttle_accuracy: a limit that holds exactly across both gateways
(issue 14): driven well past a 600-request window, the backend sees at most
600 and at least 594 requests, with the load split equally, skewed 95/5, or
switching gateways every two seconds; a burst limit of 10/s holds within the
second on both gateways together. The windows are 10 s (600 per 10 s) to keep
CI short; one check runs a whole minute on 600/min."""

import random
import time
import unittest

import harness as h
import throttle_support as ts


class ThrottleAccuracyTest(unittest.TestCase):

    def drive_window(self, unit, pick, limit=600, threads=8):
        tier = ts.add_tier("SUBSCRIPTION", limit, unit)
        api, headers = ts.keyed_api(sub_tier=tier)
        start = ts.wait_window_start(unit, 0.3)
        # the deadline is absolute: a drive that starts late must not spill into the
        # next window, whose fresh credit would look like an overshoot of this one
        d = ts.Driver(api, headers, threads=threads, pick=pick).run_until(start + unit - 0.5)
        admitted = sum(d.ok)
        refused = d.status.get(429, 0)
        span = (min(d.times_ok) - start, max(d.times_ok) - start) if d.times_ok else (0, 0)
        msg = "admitted %d (gw1 %d, gw2 %d), refused %d, statuses %s, codes %s, " \
              "admitted from %.2f s to %.2f s into the window" % (
                  admitted, d.ok[0], d.ok[1], refused, d.status, d.codes, span[0], span[1])
        print("\n  " + msg)
        self.assertGreater(refused, limit // 10, "driven well past the limit: " + msg)
        self.assertLessEqual(admitted, limit, "overshoot: " + msg)
        self.assertGreaterEqual(admitted, limit - limit // 100, "under-admission: " + msg)
        self.assertEqual(set(d.codes), {900804}, msg)
        return d

    def test_equal_share(self):
        d = self.drive_window(10, lambda t, i: (t + i) % 2)
        self.assertGreater(min(d.ok), 200, "both gateways admitted their share")

    def test_skewed_95_5(self):
        rng = random.Random(7)
        d = self.drive_window(10, lambda t, i: 0 if rng.random() < 0.95 else 1)
        self.assertGreater(d.ok[0], 10 * d.ok[1])
        self.assertGreater(d.ok[1], 0)

    def test_switching_gateways(self):
        self.drive_window(10, lambda t, i: int(time.time() / 2) % 2)

    def test_minute_window(self):
        self.drive_window(60, lambda t, i: (t + i) % 2, threads=4)

    def test_burst_10_per_second(self):
        tier = ts.add_tier("SUBSCRIPTION", 100000, 60, burstCount=10, burstUnitTime=1)
        api, headers = ts.keyed_api(sub_tier=tier)
        ts.wait_window_start(1, 0.05)
        d = ts.Driver(api, headers, threads=6).run_for(4.0)
        per_second = {}
        for t in d.times_ok:
            per_second[int(t)] = per_second.get(int(t), 0) + 1
        print("\n  admitted per second: %s, codes %s" % (sorted(per_second.items()), d.codes))
        self.assertIn(900807, d.codes)
        # answers are timed at the client: one straddling a second boundary may land in
        # the next second's count, so a second shows at most the limit plus the in-flight
        for second, n in per_second.items():
            self.assertLessEqual(n, 10 + 6, per_second)
        self.assertLessEqual(sum(d.ok), 10 * (len(per_second) + 1))
        self.assertGreaterEqual(sum(d.ok), 10 * 3)

    def test_burst_of_a_new_tier_from_its_first_request(self):
        """Driven at once, before the gateways reload their tier list: a tier added less
        than a feed poll ago is not listed yet, and its burst counts all the same (a clean-
        clone run admitted 32 in the first second of this tier, 10 in each after)."""
        added = time.time()
        tier = ts.add_tier("SUBSCRIPTION", 100000, 60, burstCount=10, burstUnitTime=1)
        api, headers = ts.keyed_api(sub_tier=tier)
        began = time.time()
        d = ts.Driver(api, headers, threads=6).run_for(2.0)
        per_second = {}
        for t in d.times_ok:
            per_second[int(t)] = per_second.get(int(t), 0) + 1
        print("\n  drive began %.2f s after addTier; admitted per second: %s, codes %s"
              % (began - added, sorted(per_second.items()), d.codes))
        self.assertIn(900807, d.codes)
        for second, n in per_second.items():
            self.assertLessEqual(n, 10 + 6, per_second)
        self.assertLessEqual(sum(d.ok), 10 * (len(per_second) + 1))


if __name__ == "__main__":
    unittest.main()
