"""test_throttle_block: blocking conditions (issue 14) set through the hub take
effect on both gateways within 2 s (403, 900805) and lifting them restores
access within 2 s: a client IP range (IPv4 CIDR), an application, an API, a
user; malformed conditions are refused."""

import time
import unittest

import harness as h
import throttle_support as ts


def add_block(kind, value):
    _, T, _ = h.thrift_modules()
    with h.Session("admin") as s:
        return s.call("addBlockCondition", T.BlockCondition(kind=kind, value=value)).id


def delete_block(cid):
    with h.Session("admin") as s:
        s.call("deleteBlockCondition", cid)


class ThrottleBlockTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.api, cls.headers = ts.keyed_api()

    def status(self, k, api=None, headers=None):
        st, _, body = h.http("GET", h.api_url(api or self.api, "/x", k),
                             headers=headers or self.headers)
        return st, ts.fault_code(body)

    def assert_within(self, seconds, want, api=None, headers=None):
        """Both gateways answer want (status, code or None) within seconds."""
        t0 = time.time()
        for k in range(2):
            h.wait_until(lambda: (lambda r: r[0] == want[0] and (want[1] is None or r[1] == want[1]))(
                self.status(k, api, headers)), seconds + 1, interval=0.05,
                message="gateway %d answers %s" % (k + 1, want))
        took = time.time() - t0
        self.assertLess(took, seconds, "took %.2f s" % took)
        return took

    def check_block(self, kind, value, api=None, headers=None):
        self.assertEqual(self.status(0, api, headers)[0], 200)
        cid = add_block(kind, value)
        try:
            took = self.assert_within(2.0, (403, 900805), api, headers)
            print("\n  %s %s blocked on both gateways in %.2f s" % (kind, value, took))
        finally:
            delete_block(cid)
        took = self.assert_within(2.0, (200, None), api, headers)
        print("  lifted in %.2f s" % took)

    def test_ip_range(self):
        self.check_block("IP", "127.0.0.0/30")

    def test_ip_range_not_matching(self):
        cid = add_block("IP", "10.0.0.0/8")
        try:
            time.sleep(2.0)
            self.assertEqual(self.status(0)[0], 200)
            self.assertEqual(self.status(1)[0], 200)
        finally:
            delete_block(cid)

    def test_application(self):
        api, headers = ts.keyed_api()
        with h.Session("admin") as s:
            subs = s.call("listSubscriptions", "admin", "")
        app = [x for x in subs if x.apiContext == api["context"]][0].applicationName
        self.check_block("APPLICATION", "admin:" + app, api, headers)

    def test_api(self):
        api, headers = ts.keyed_api()
        self.check_block("API", "%s:%s" % (api["context"], api["version"]), api, headers)

    def test_refused(self):
        _, T, _ = h.thrift_modules()
        with h.Session("admin") as s:
            for kind, value in (("IP", "127.0.0.0/33"), ("IP", "300.1.1.1"), ("IP", ""),
                                ("HOST", "x"), ("API", "no-colon"), ("APPLICATION", "x")):
                with self.assertRaises(T.TollgateException) as e:
                    s.call("addBlockCondition", T.BlockCondition(kind=kind, value=value))
                self.assertEqual(e.exception.code, 400, (kind, value))
            cid = s.call("addBlockCondition", T.BlockCondition(kind="ip", value="2001:db8::/32")).id
            try:
                with self.assertRaises(T.TollgateException) as e:
                    s.call("addBlockCondition", T.BlockCondition(kind="IP", value="2001:db8::/32"))
                self.assertEqual(e.exception.code, 409)
                listed = [c for c in s.call("listBlockConditions") if c.id == cid]
                self.assertEqual((listed[0].kind, listed[0].value), ("IP", "2001:db8::/32"))
            finally:
                s.call("deleteBlockCondition", cid)
            with self.assertRaises(T.TollgateException) as e:
                s.call("deleteBlockCondition", cid)
            self.assertEqual(e.exception.code, 404)
        user = h.new_user(roles=("subscriber",))
        with h.Session(user["name"], user["password"]) as s:
            with self.assertRaises(T.TollgateException) as e:
                s.call("addBlockCondition", T.BlockCondition(kind="IP", value="127.0.0.1"))
            self.assertEqual(e.exception.code, 403)


if __name__ == "__main__":
    unittest.main()
