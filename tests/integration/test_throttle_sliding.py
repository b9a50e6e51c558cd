"""test_throttle_sliding: sliding windows (issue 14). A sliding window of U
seconds is 10 slots of U/10; the ledger grants while the grants of the last 10
slots (the current one included) fit the limit, and credit dies with its slot.
So a tier's limit holds in every U seconds (slot-aligned), not only in each
fixed window: requests made late in one fixed window still count early in the
next, and the capacity comes back slot by slot. Exact across both gateways."""

import time
import unittest

import harness as h
import throttle_support as ts

UNIT = 2


class ThrottleSlidingTest(unittest.TestCase):

    def test_counts_across_a_fixed_boundary(self):
        unit = 4  # slots of 0.4 s
        tier = ts.add_tier("SUBSCRIPTION", 10, unit, sliding=True)
        api, headers = ts.keyed_api(sub_tier=tier)
        start = ts.wait_window_start(unit, 2.0)  # the second half of a fixed window
        first = [h.http("GET", h.api_url(api, "/x", i % 2), headers=headers)[0]
                 for i in range(10)]
        last = time.time()
        self.assertLess(last, start + unit, "the ten fitted in one fixed window")
        self.assertEqual(first, [200] * 10)
        # the next fixed window has begun (a fixed window would admit again): still 429
        time.sleep(max(0.0, start + unit + 0.1 - time.time()))
        st, hd, body = h.http("GET", h.api_url(api, "/x", 0), headers=headers)
        self.assertEqual((st, ts.fault_code(body)), (429, 900804))
        self.assertEqual(h.http("GET", h.api_url(api, "/x", 1), headers=headers)[0], 429)
        self.assertLess(time.time(), start + unit + 2.0, "checked before the ten's slots left")
        # once the slots of the ten have left the window (4 s after them), requests go through
        slot = unit / 10
        time.sleep(max(0.0, (int(last / slot) + 1) * slot + unit + 0.05 - time.time()))
        again = [h.http("GET", h.api_url(api, "/x", i % 2), headers=headers)[0]
                 for i in range(2)]
        self.assertEqual(again, [200, 200])

    def test_driven_exact_across_gateways(self):
        """100 per 2 s sliding, driven past the limit through both gateways for three
        windows: at most 100 in each slot-aligned 2 s (300 in the 6 s run), at least 297."""
        tier = ts.add_tier("SUBSCRIPTION", 100, UNIT, sliding=True)
        api, headers = ts.keyed_api(sub_tier=tier)
        t0 = ts.wait_window_start(UNIT, 0.0)
        d = ts.Driver(api, headers, threads=8).run_for(3 * UNIT + 0.3)
        end = t0 + 3 * UNIT
        times = sorted(t for t in d.times_ok if t < end)
        slots = [0] * 30
        for t in times:
            slots[min(29, max(0, int((t - t0) / (UNIT / 10))))] += 1
        worst = max(sum(slots[i:i + 10]) for i in range(21))
        msg = "admitted in the 6 s %d (of %d), per 0.2 s slot %s, codes %s" % (
            len(times), sum(d.ok), slots, d.codes)
        print("\n  " + msg)
        self.assertLessEqual(len(times), 300, "overshoot: " + msg)
        self.assertGreaterEqual(len(times), 297, "under-admission: " + msg)
        self.assertEqual(set(d.codes), {900804}, msg)
        # answers are timed at the client: one straddling a slot boundary may land in the
        # next slot, so a 10-slot span shows at most the limit plus the requests in flight
        self.assertLessEqual(worst, 100 + 8, msg)

    def test_burst_stays_fixed(self):
        """A sliding tier's burst is still a fixed second."""
        tier = ts.add_tier("SUBSCRIPTION", 1000, 60, sliding=True, burstCount=3,
                           burstUnitTime=1)
        api, headers = ts.keyed_api(sub_tier=tier)
        for _ in range(3):
            start = ts.wait_window_start(1, 0.1)
            st = [h.http("GET", h.api_url(api, "/x", i % 2), headers=headers)[0]
                  for i in range(5)]
            if time.time() < start + 0.95:
                break
        self.assertEqual(st, [200] * 3 + [429] * 2, st)
        time.sleep(max(0.0, start + 1.1 - time.time()))
        self.assertEqual(h.http("GET", h.api_url(api, "/x", 0), headers=headers)[0], 200)

    def test_ctl_sliding(self):
        name = h.unique("Sl")
        t = h.ctl("tier", "add", name, "--level", "application", "--requests", "50",
                  "--unit", "minute", "--sliding")
        self.assertTrue(t["sliding"])
        self.assertTrue(h.ctl("tier", "show", name)["sliding"])


if __name__ == "__main__":
    unittest.main()
