"""Two hubs writing to two different nodes at once on one hot subscription.

hub2's hosts are reordered (db2 first) so hub1 writes to db1 and hub2 to db2,
which the single-writer default avoids. Threads on both hubs then publish usage
batches that all add to the same statdb row (same second, API, application,
resource) and flip the status of the same subscription. Galera refuses the
loser of each conflicting pair at certification (error 1213, like a deadlock);
the hub runs the transaction again (and a call refused with a retryable 409/503 when
even that ran out is sent again, batch id and all, as a gateway does). Every call must
succeed, the row must hold
exactly the count of every batch. The conflicts that happened (the hubs' retries,
tollgate_hub_db_deadlock_retries_total, and the cluster's wsrep_local_cert_failures +
wsrep_local_bf_aborts) are printed: how many a run meets is timing, sometimes none. hub2 gets its
configuration back afterwards.
"""
import threading
import time
import unittest

import galera
import harness

THREADS_PER_HUB = 4
BATCHES_PER_THREAD = 40


class GaleraHotRowsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not galera.is_galera_stack():
            raise unittest.SkipTest("needs a Galera stack (./tollgate up --galera 3)")
        galera.wait_whole(120)
        _, cls.T, _ = harness.thrift_modules()
        cls.key = harness.new_app_with_key()
        hosts = [h.strip() for h in galera.hub_db_setting(2, "hosts").split(",")]
        cls.saved = galera.set_hub_database(2, hosts=", ".join([hosts[1], hosts[0]] + hosts[2:]))

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "saved", None):
            galera.restore_hub(2, cls.saved)

    def commits(self, k):
        return int(galera.status(k, "wsrep_local_commits") or 0)

    def test_two_writers_one_hot_subscription(self):
        api = self.key["api"]
        app = self.key["app"]["name"]
        # the split is real: hub1's writes commit on db1, hub2's on db2
        for hub, node in ((0, 1), (1, 2)):
            before = self.commits(node)
            with harness.Session(hub=hub) as s:
                s.call("setSubscriptionStatus", "admin", app, api["context"], api["version"],
                       "UNBLOCKED")
            self.assertGreater(self.commits(node), before, "hub%d does not write to db%d"
                               % (hub + 1, node))
        context = "/" + harness.unique("ghot")
        ts = int(time.time())
        conflicts0 = (galera.status_sum("wsrep_local_cert_failures") +
                      galera.status_sum("wsrep_local_bf_aborts"))
        retries0 = sum(galera.hub_metric(h, "tollgate_hub_db_deadlock_retries_total")
                       for h in (1, 2))
        errors, resends = [], []

        def retried(call, *args):
            """call(*args), sent again on a retryable refusal (409/503: the hub ran out of
            attempts against the other writer), as a gateway resends a batch with its id."""
            for attempt in range(6):
                try:
                    return call(*args)
                except self.T.TollgateException as e:
                    if e.code not in (409, 503) or attempt == 5:
                        raise
                    resends.append(e.code)
                    time.sleep(0.2 * (attempt + 1))

        def worker(hub, n):
            gw = harness.Session("gateway", harness.gateway_password(), hub=hub)
            admin = harness.Session(hub=hub)
            try:
                for i in range(BATCHES_PER_THREAD):
                    rec = self.T.UsageRecord(timestamp=ts, gatewayId="galera-hot",
                                             apiContext=context, apiVersion="1.0.0",
                                             resource="/*", verb="GET", applicationId="1",
                                             subscriber="admin", keyType="PRODUCTION",
                                             status=200, count=1, latencyMsTotal=1,
                                             latencyMsMax=1, bytesIn=1, bytesOut=1)
                    retried(gw.call, "publishUsage", [rec, rec], harness.unique("ghb"))
                    if i % 4 == 0:
                        retried(admin.call, "setSubscriptionStatus", "admin", app,
                                api["context"], api["version"],
                                "UNBLOCKED" if (i + n) % 8 else "ON_HOLD")
            except Exception as e:  # noqa: BLE001  (any failure is what the test looks for)
                errors.append((hub, n, repr(e)))
            finally:
                gw.close()
                admin.close()

        threads = [threading.Thread(target=worker, args=(hub, n))
                   for hub in (0, 1) for n in range(THREADS_PER_HUB)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        self.assertEqual(errors, [])
        print("%d calls sent again after a retryable refusal" % len(resends))
        total = 2 * THREADS_PER_HUB * BATCHES_PER_THREAD * 2
        self.assertEqual(harness.usage_sum(harness.usage_sum_sql(context)), total)
        conflicts = (galera.status_sum("wsrep_local_cert_failures") +
                     galera.status_sum("wsrep_local_bf_aborts")) - conflicts0
        retries = sum(galera.hub_metric(h, "tollgate_hub_db_deadlock_retries_total")
                      for h in (1, 2)) - retries0
        print("cluster conflicts (cert failures + BF aborts): %d, hub retries: %d"
              % (conflicts, retries))
        # Whether a run meets conflicts at all is timing: CI runs saw 0, 19 and 22 (with the
        # cluster's counters at 0 once while the hubs retried 22). What holds every time is
        # asserted above: no call lost, the exact count. The retries are printed.
        with harness.Session(hub=1) as s:
            s.call("setSubscriptionStatus", "admin", app, api["context"], api["version"],
                   "UNBLOCKED")


if __name__ == "__main__":
    unittest.main()
