"""The launcher on a Galera stack: `./tollgate status` shows db1..dbK on lines of
their own (in the form of the other components' lines) and the cluster size;
`./tollgate stop db 3` stops one node (status says down, the cluster shrinks to
two, both hubs mark it down); `./tollgate start db 3` brings it back (it rejoins
by IST after its clean stop, the cluster is three again and both hubs use it).
"""
import re
import unittest

import galera
import harness


def status_text():
    return harness.tollgate("status").stdout


class GaleraLauncherTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not galera.is_galera_stack():
            raise unittest.SkipTest("needs a Galera stack (./tollgate up --galera 3)")
        galera.wait_whole(120)

    def node_up_on_hubs(self, k, want):
        for hub in range(1, len(harness.HUBS) + 1):
            harness.wait_until(lambda: galera.hub_metric(hub, "tollgate_hub_db_node_up",
                                                         galera.node_label(k)) == want, 15,
                               message="hub%d sees db%d as %d" % (hub, k, want))

    def test_status_stop_start_one_node(self):
        text = status_text()
        for k in range(1, galera.NODES + 1):
            self.assertRegex(text, r"(?m)^db%d +up +pid %d +port %d$"
                             % (k, galera.pid(k), galera.PORTS[k - 1]))
        self.assertRegex(text, r"(?m)^cluster +size %d$" % galera.NODES)
        self.assertRegex(text, r"(?m)^hub1 +up ")   # same form as the others
        self.assertNotRegex(text, r"(?m)^db +")     # no single-MariaDB line

        harness.tollgate("stop", "db", 3)
        text = status_text()
        self.assertRegex(text, r"(?m)^db3 +down +pid - +port %d$" % galera.PORTS[2])
        self.assertRegex(text, r"(?m)^cluster +size %d$" % (galera.NODES - 1))
        self.node_up_on_hubs(3, 0)

        harness.tollgate("start", "db", 3, timeout=240)
        galera.wait_whole(120)
        self.assertRegex(status_text(), r"(?m)^cluster +size %d$" % galera.NODES)
        with open("%s/log/db3.log" % harness.VAR) as f:
            last_start = f.read().rsplit("=== ", 1)[1]
        self.assertIn("IST completed on joiner", last_start)
        self.node_up_on_hubs(3, 1)


if __name__ == "__main__":
    unittest.main()
