"""test_throttle_hard: an API's hard limit (Api field 17, backend protection)
counts every caller together on both gateways and answers 503 with 900801 and
Retry-After past it (issue 14); a malformed hard limit is refused."""

import json
import time
import unittest

import harness as h
import throttle_support as ts


class ThrottleHardLimitTest(unittest.TestCase):

    def test_hard_limit_all_callers(self):
        _, T, _ = h.thrift_modules()
        res = [("GET", "/*")]
        api = h.new_api(resources=res, hardLimit="3/second")
        self.assertEqual(api["hardLimit"], "3/second")
        keys = []
        with h.Session("admin") as s:
            for _ in range(2):
                app = s.call("createApplication", T.Application(name=h.unique("app"), owner="admin",
                                                                tier="Unlimited"))
                s.call("subscribe", "admin", app.name, api["context"], api["version"], "Unlimited")
                k = s.call("generateKeys", "admin", app.name, "PRODUCTION", 0, [])
                keys.append({"Authorization": "Bearer " + k.accessToken})
        ts.wait_api_known(api)
        for attempt in range(4):
            start = ts.wait_window_start(1, 0.02)
            answers = [h.http("GET", h.api_url(api, "/x", i % 2), headers=keys[(i // 2) % 2])
                       for i in range(5)]
            if time.time() < start + 0.97:
                break
        statuses = [a[0] for a in answers]
        self.assertEqual(statuses, [200, 200, 200, 503, 503], statuses)
        st, hd, body = answers[3]
        fault = json.loads(body)["fault"]
        self.assertEqual(fault["code"], 900801)
        self.assertIn("nextAccessTime", fault)
        self.assertEqual(hd["retry-after"], "1")
        self.assertEqual(hd["ratelimit-policy"], '"hard";q=3;w=1')
        time.sleep(1.0)
        self.assertEqual(h.http("GET", h.api_url(api, "/x", 0), headers=keys[0])[0], 200)

    def test_bad_hard_limit_refused(self):
        _, T, _ = h.thrift_modules()
        for bad in ("3", "3/hour", "0/second", "x/second", "3/second "):
            with self.assertRaises(T.TollgateException) as e:
                h.new_api(hardLimit=bad)
            self.assertEqual(e.exception.code, 400, bad)

    def test_ctl_hard_limit(self):
        tag = h.unique("hl")
        api = h.ctl("api", "create", "--name", tag, "--context", "/" + tag, "--version", "1.0.0",
                    "--endpoint", h.BACKEND, "--resource", "GET /*", "--hard-limit", "50/minute")
        self.assertEqual(api["hard_limit"], "50/minute")
        self.assertEqual(h.ctl("api", "show", "/" + tag, "1.0.0")["hard_limit"], "50/minute")


if __name__ == "__main__":
    unittest.main()
