"""The node the hubs write to is killed (SIGKILL) under load, then started again.

A stream runs through both gateways (each call with a token never used before,
so an uncached validation on hub and gateway, or with a cached one), next to a
stream of management writes (application, subscription, keys, alternately on
both hubs) and of usage batches published straight to the hubs. Two seconds in,
db1 (first in every hub's hosts, so the writer) is killed; four seconds later it
is started again and rejoins by IST. Then: no call through a gateway failed;
every management write succeeded, at once or after a retryable 503 "database
unavailable" (a 409 on the retry of a create is accepted only when the object
is there: the first attempt had committed); usage in statdb equals exactly the
calls answered and the batches sent (a batch resent after an error is counted
once); the cluster is back to three synced nodes; db1 caught up by IST (no full
state transfer); and both hubs use db1 again.
"""
import base64
import json
import re
import threading
import time
import unittest
import urllib.parse

import galera
import harness

BEFORE_KILL_S = 2.0
DOWN_S = 4.0
AFTER_S = 2.0
FRESH_TOKENS = 400


def token_request(auth, hub):
    status, _, data = harness.http(
        "POST", harness.HUB_HTTPS[hub] + "/token",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": auth},
        body=urllib.parse.urlencode({"grant_type": "client_credentials"}))
    return status, json.loads(data.decode() or "{}")


class GaleraFailoverTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not galera.is_galera_stack():
            raise unittest.SkipTest("needs a Galera stack (./tollgate up --galera 3)")
        galera.wait_whole(120)
        _, cls.T, _ = harness.thrift_modules()
        cls.api = harness.new_api()
        key = harness.new_app_with_key(api=cls.api)
        cls.cached = [key["token"], harness.new_app_with_key(api=cls.api)["token"]]
        raw = "%s:%s" % (key["consumerKey"], key["consumerSecret"])
        auth = "Basic " + base64.b64encode(raw.encode()).decode()
        cls.fresh = []
        for i in range(FRESH_TOKENS):
            status, doc = token_request(auth, i % 2)
            assert status == 200, doc
            cls.fresh.append(doc["access_token"])
        for gw in range(len(harness.GATEWAYS)):
            for t in cls.cached:
                status, _, body = harness.http("GET", harness.api_url(cls.api, "/warm", k=gw),
                                               headers={"Authorization": "Bearer " + t})
                assert status == 200, (status, body)
        cls.warm_calls = 2 * len(harness.GATEWAYS)

    def setUp(self):
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.calls_ok = 0
        self.call_failures = []
        self.mgmt_done = 0
        self.mgmt_retried = 0
        self.mgmt_failures = []
        self.batches = 0
        self.batch_retries = 0

    # ---- the streams

    def call_stream(self, gw):
        n = 0
        while not self.stop.is_set():
            n += 1
            with self.lock:
                token = self.fresh.pop() if self.fresh and n % 2 else self.cached[n % 2]
            status, _, body = harness.http("GET", harness.api_url(self.api, "/c%d" % n, k=gw),
                                           headers={"Authorization": "Bearer " + token})
            with self.lock:
                if status == 200:
                    self.calls_ok += 1
                else:
                    self.call_failures.append((gw, status, body[:200], time.time()))

    def retrying(self, what, fn, exists=None):
        """fn() until it succeeds; only a 503 may be retried (a 409 after one counts as
        done when exists() says the first attempt committed)."""
        deadline = time.monotonic() + 40
        retried = False
        while True:
            try:
                fn()
                return True
            except self.T.TollgateException as e:
                if e.code == 409 and retried and exists is not None and exists():
                    return True
                if e.code != 503 or time.monotonic() > deadline:
                    self.mgmt_failures.append((what, e.code, e.message))
                    return False
                retried = True
                with self.lock:
                    self.mgmt_retried += 1
                time.sleep(0.2)
            except Exception as e:  # noqa: BLE001  (a transport error is a failure too)
                self.mgmt_failures.append((what, "transport", repr(e)))
                return False

    def mgmt_stream(self):
        sessions = [harness.Session(hub=k) for k in range(len(harness.HUBS))]
        i = 0
        try:
            while not self.stop.is_set():
                s = sessions[i % len(sessions)]
                i += 1
                name = harness.unique("gapp")
                app = self.T.Application(name=name, owner="admin", tier="Unlimited")

                def app_exists():
                    return any(a.name == name for a in s.call("listApplications", "admin"))

                ok = (self.retrying("createApplication", lambda: s.call("createApplication", app),
                                    app_exists) and
                      self.retrying("subscribe", lambda: s.call(
                          "subscribe", "admin", name, self.api["context"], self.api["version"],
                          "Unlimited"), lambda: True) and
                      self.retrying("generateKeys", lambda: s.call(
                          "generateKeys", "admin", name, "PRODUCTION", 0, []), lambda: True))
                if ok:
                    with self.lock:
                        self.mgmt_done += 1
        finally:
            for s in sessions:
                s.close()

    def usage_stream(self, hub):
        s = harness.Session("gateway", harness.gateway_password(), hub=hub)
        try:
            while not self.stop.is_set():
                batch_id = harness.unique("gbatch")
                rec = self.T.UsageRecord(timestamp=int(time.time()), gatewayId="galera-test",
                                         apiContext=self.usage_context, apiVersion="1.0.0",
                                         resource="/*", verb="GET", applicationId="1",
                                         subscriber="admin", keyType="PRODUCTION", status=200,
                                         count=1, latencyMsTotal=1, latencyMsMax=1, bytesIn=0,
                                         bytesOut=0)
                deadline = time.monotonic() + 40
                while True:
                    try:
                        s.call("publishUsage", [rec], batch_id)
                        break
                    except self.T.TollgateException as e:
                        if e.code != 503 or time.monotonic() > deadline:
                            self.mgmt_failures.append(("publishUsage", e.code, e.message))
                            return
                        with self.lock:
                            self.batch_retries += 1
                        time.sleep(0.2)
                with self.lock:
                    self.batches += 1
        finally:
            s.close()

    # ---- the test

    def test_writer_killed_and_restarted(self):
        self.usage_context = "/" + harness.unique("gusage")
        writer_commits = int(galera.status(1, "wsrep_local_commits") or 0)
        threads = [threading.Thread(target=self.call_stream, args=(gw,))
                   for gw in range(len(harness.GATEWAYS))]
        threads.append(threading.Thread(target=self.mgmt_stream))
        threads += [threading.Thread(target=self.usage_stream, args=(h,))
                    for h in range(len(harness.HUBS))]
        for t in threads:
            t.start()
        try:
            time.sleep(BEFORE_KILL_S)
            self.assertGreater(int(galera.status(1, "wsrep_local_commits") or 0), writer_commits,
                               "db1 is not the node the hubs write to")
            killed = galera.kill_and_wait_gone(1)
            log_mark = self.log_size(1)
            time.sleep(DOWN_S)
            with self.lock:
                during = (self.calls_ok, self.mgmt_done, self.batches)
            harness.tollgate("start", "db", 1, timeout=240)
            self.assertNotEqual(galera.pid(1), killed)
            time.sleep(AFTER_S)
        finally:
            self.stop.set()
            for t in threads:
                t.join(60)
        self.assertEqual(self.call_failures, [], "calls through the gateways failed")
        self.assertEqual(self.mgmt_failures, [], "management writes failed for good")
        self.assertGreater(during[0], 20, "too few calls while db1 was down")
        self.assertGreater(self.mgmt_done, 3)
        self.assertGreater(self.batches, 10)
        galera.wait_whole(120)

        # db1 caught up with an incremental state transfer, not a full copy
        with open(self.log_path(1)) as f:
            f.seek(log_mark)
            restart_log = f.read()
        first = re.search(r"Prepared IST receiver for (\d+)-", restart_log)
        self.assertIsNotNone(first, "db1 did not prepare an IST")
        self.assertGreater(int(first.group(1)), 1, "db1 asked for everything (a full SST)")
        self.assertIn("IST completed on joiner", restart_log)

        # usage counted exactly once: the calls answered, the batches sent
        calls = harness.usage_settled(harness.usage_sum_sql(self.api["context"]))
        self.assertEqual(calls, self.calls_ok + self.warm_calls)
        self.assertEqual(harness.usage_sum(harness.usage_sum_sql(self.usage_context)),
                         self.batches)

        # both hubs use db1 again (it is first in their hosts: the writer once synced)
        for hub in range(1, len(harness.HUBS) + 1):
            harness.wait_until(lambda: galera.hub_metric(hub, "tollgate_hub_db_node_up",
                                                         galera.node_label(1)) == 1, 10)
        before = int(galera.status(1, "wsrep_local_commits") or 0)
        with harness.Session(hub=1) as s:
            s.call("createApplication", self.T.Application(name=harness.unique("gback"),
                                                           owner="admin", tier="Unlimited"))
        with harness.Session(hub=0) as s:
            s.call("createApplication", self.T.Application(name=harness.unique("gback"),
                                                           owner="admin", tier="Unlimited"))
        self.assertGreaterEqual(int(galera.status(1, "wsrep_local_commits") or 0), before + 2)

    def log_path(self, k):
        return "%s/log/db%d.log" % (harness.VAR, k)

    def log_size(self, k):
        try:
            with open(self.log_path(k)) as f:
                return f.seek(0, 2)
        except OSError:
            return 0


if __name__ == "__main__":
    unittest.main()
