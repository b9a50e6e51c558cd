"""Read-your-writes across hubs on a Galera cluster.

A token issued through hub1 (committed on the writer) is validated through hub2
at once, never cached anywhere: it must be valid every time. A token issued and
revoked through hub1 and validated for the first time through hub2 at once must
be refused every time. hub2 reads from any healthy node, so what makes this hold
is the causality wait on its read connections (wsrep_sync_wait): the cluster's
wsrep_causal_reads must grow by at least one per validation (with sync_wait = 0
it does not grow and this test fails).
"""
import base64
import json
import unittest
import urllib.parse

import galera
import harness

ROUNDS = 40


def form_post(hub, path, form, auth):
    status, _, data = harness.http(
        "POST", harness.HUB_HTTPS[hub] + path,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": auth},
        body=urllib.parse.urlencode(form))
    return status, json.loads(data.decode() or "{}")


class GaleraReadYourWritesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not galera.is_galera_stack():
            raise unittest.SkipTest("needs a Galera stack (./tollgate up --galera 3)")
        galera.wait_whole(120)
        cls.key = harness.new_app_with_key()
        raw = "%s:%s" % (cls.key["consumerKey"], cls.key["consumerSecret"])
        cls.auth = "Basic " + base64.b64encode(raw.encode()).decode()
        cls.gw = harness.Session("gateway", harness.gateway_password(), hub=1)

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "gw", None):
            cls.gw.close()

    def issue(self):
        status, doc = form_post(0, "/token", {"grant_type": "client_credentials"}, self.auth)
        self.assertEqual(status, 200, doc)
        return doc["access_token"]

    def test_issued_then_revoked_seen_through_the_other_hub(self):
        causal0 = galera.status_sum("wsrep_causal_reads")
        for _ in range(ROUNDS):
            dto = harness.validate_key(self.gw.client, self.gw.sid, self.key["api"], self.issue())
            self.assertTrue(dto.authorized, dto)
        for _ in range(ROUNDS):
            token = self.issue()
            status, doc = form_post(0, "/revoke", {"token": token}, self.auth)
            self.assertEqual(status, 200, doc)
            dto = harness.validate_key(self.gw.client, self.gw.sid, self.key["api"], token)
            self.assertFalse(dto.authorized, dto)
        self.assertGreaterEqual(galera.status_sum("wsrep_causal_reads") - causal0, 2 * ROUNDS)


if __name__ == "__main__":
    unittest.main()
