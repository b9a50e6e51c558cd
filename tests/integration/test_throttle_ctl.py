"""test_throttle_ctl: tollgatectl's traffic-management commands (issue 14):
tier add/list/show/delete (and `tiers`), block add/list/delete, with --json
printing the created object (a blocking condition with its id); bad values
are usage errors (exit 2) or the hub's refusal (exit 1)."""

import unittest

import harness as h


class ThrottleCtlTest(unittest.TestCase):

    def test_tier_lifecycle(self):
        name = h.unique("Ctl")
        t = h.ctl("tier", "add", name, "--level", "application", "--requests", "30", "--unit",
                  "minute", "--burst", "5/second", "--no-stop-on-quota", "--fail-mode", "closed",
                  "--description", "thirty")
        self.assertEqual((t["name"], t["level"], t["request_count"], t["unit_time"]),
                         (name, "APPLICATION", 30, 60))
        self.assertEqual((t["burst_count"], t["burst_unit_time"], t["stop_on_quota_reach"],
                          t["fail_mode"]), (5, 1, False, "closed"))
        shown = h.ctl("tier", "show", name)
        self.assertEqual(shown["request_count"], 30)
        for cmd in (("tier", "list"), ("tiers",)):
            names = [x["name"] for x in h.ctl(*cmd)]
            self.assertIn(name, names)
            self.assertIn("Gold", names)
        h.ctl("tier", "delete", name)
        err = h.ctl("tier", "show", name, check=False)
        self.assertEqual(err["code"], 404)
        self.assertEqual(err["exit_code"], 1)

    def test_tier_usage_errors(self):
        for args in (("--level", "api", "--requests", "5", "--unit", "week"),
                     ("--level", "api", "--requests", "-5", "--unit", "minute"),
                     ("--level", "api", "--requests", "5", "--unit", "minute", "--burst", "5"),
                     ("--level", "api", "--requests", "5", "--unit", "minute", "--burst", "5/hour"),
                     ("--requests", "5", "--unit", "minute")):
            r = h.ctl_raw("tier", "add", h.unique("Bad"), *args)
            self.assertEqual(r.returncode, 2, args)
        r = h.ctl_raw("tier", "add", h.unique("Bad"), "--level", "HARD", "--requests", "5",
                      "--unit", "minute")
        self.assertEqual(r.returncode, 1)

    def test_block_lifecycle(self):
        b = h.ctl("block", "add", "--ip", "198.51.100.0/24")
        self.assertEqual((b["kind"], b["value"]), ("IP", "198.51.100.0/24"))
        self.assertGreater(b["id"], 0)
        try:
            ids = [x["id"] for x in h.ctl("block", "list")]
            self.assertIn(b["id"], ids)
            u = h.ctl("block", "add", "--user", h.unique("u"))
            h.ctl("block", "delete", u["id"])
        finally:
            h.ctl("block", "delete", b["id"])
        self.assertNotIn(b["id"], [x["id"] for x in h.ctl("block", "list")])
        self.assertEqual(h.ctl_raw("block", "add").returncode, 2)
        self.assertEqual(h.ctl_raw("block", "add", "--ip", "1.2.3.4", "--user", "x").returncode, 2)
        self.assertEqual(h.ctl_raw("block", "add", "--ip", "1.2.3.4/40").returncode, 1)
        self.assertEqual(h.ctl_raw("block", "delete", "x").returncode, 2)


if __name__ == "__main__":
    unittest.main()
