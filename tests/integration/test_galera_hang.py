"""A node that hangs (SIGSTOP: it accepts nothing and refuses nothing) is left.

db1, the node both hubs write to, is stopped with SIGSTOP. Each hub's checker
asks every node for its wsrep status with connect_timeout as its timeout, every
check_interval_ms: both hubs must mark db1 down (tollgate_hub_db_node_up) within
connect_timeout + check_interval_ms + a second of slack, and a management write
through each hub must succeed within read_timeout (the longest a statement
already sent to db1 may wait) plus the cluster's own eviction of the hung node.
Then db1 is resumed (SIGCONT) and the cluster is whole again.
"""
import signal
import time
import unittest

import galera
import harness


class GaleraHangTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not galera.is_galera_stack():
            raise unittest.SkipTest("needs a Galera stack (./tollgate up --galera 3)")
        galera.wait_whole(120)
        _, cls.T, _ = harness.thrift_modules()
        cls.connect_timeout = float(galera.hub_db_setting(1, "connect_timeout") or 3)
        cls.read_timeout = float(galera.hub_db_setting(1, "read_timeout") or 30)
        cls.interval = float(galera.hub_db_setting(1, "check_interval_ms") or 1000) / 1000

    def write(self, hub):
        with harness.Session(hub=hub) as s:
            s.call("createApplication", self.T.Application(name=harness.unique("ghang"),
                                                           owner="admin", tier="Unlimited"))

    def test_hung_writer_is_left_within_the_timeout(self):
        hubs = range(1, len(harness.HUBS) + 1)
        for hub in hubs:   # both use db1 before
            self.assertEqual(galera.hub_metric(hub, "tollgate_hub_db_node_up",
                                               galera.node_label(1)), 1)
            self.write(hub - 1)
        galera.signal_node(1, signal.SIGSTOP)
        t0 = time.monotonic()
        try:
            limit = self.connect_timeout + self.interval + 1.0
            for hub in hubs:
                harness.wait_until(lambda: galera.hub_metric(
                    hub, "tollgate_hub_db_node_up", galera.node_label(1)) == 0, limit + 5)
                left = time.monotonic() - t0
                self.assertLessEqual(left, limit, "hub%d left db1 after %.1fs" % (hub, left))
            # evs.suspect_timeout (3 s in the launcher) + a view change: the cluster's part
            write_limit = self.read_timeout + 6.0
            for hub in hubs:
                deadline = t0 + write_limit
                while True:
                    try:
                        self.write(hub - 1)
                        break
                    except self.T.TollgateException as e:
                        self.assertEqual(e.code, 503, e.message)   # retryable, nothing else
                        self.assertLess(time.monotonic(), deadline, "no write through hub%d" % hub)
                        time.sleep(0.2)
                self.assertLessEqual(time.monotonic() - t0, write_limit)
        finally:
            galera.signal_node(1, signal.SIGCONT)
        galera.wait_whole(180)


if __name__ == "__main__":
    unittest.main()
