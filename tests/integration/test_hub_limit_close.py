"""A call the hub can only refuse by closing the connection is not "hub down" for its clients.

A hub configured with a max_message_size below the clients' defaults cannot be told in
advance: a call of 5,000 bytes (every string well within max_string_size) is over its
4,096-byte message limit, and past max_message_size the hub cannot follow the stream, so it
closes the connection without an answer. tollgatectl used to print "cannot reach hub" (and
the portal and gateways marked the hub down and sent the call to the next hub, which closed
too). Now tg_hub_client connects again at once: the hub takes the new connection, closes it
again on the same call, and the call is reported as refused by the hub ("closed the
connection on this call"), nothing created; the hub is the same
process and answers the next command. A string over that hub's max_string_size (2,048) in a
message it can still hold is answered with an exception the client reports as the hub's
limit. The hub of this test runs next to the stack's: the stack's hub1.conf with
port_offset 71, max_message_size 4096 and max_string_size 2048.
"""
import os
import re
import socket
import subprocess
import unittest

import harness

OFFSET = 71
MAX_MESSAGE = 4096
MAX_STRING = 2048


class HubLimitCloseTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        binary = harness.binary("tollgate-keyvalidator")
        if binary is None or not harness.HUBS:
            raise unittest.SkipTest("no stack or tollgate-keyvalidator not built")
        if harness.binary("tollgatectl") is None:
            raise unittest.SkipTest("tollgatectl is not built")
        cls.conf_path = os.path.join(harness.VAR, "conf", "limit-hub.conf")
        conf = harness.conf_with(os.path.join(harness.VAR, "conf", "hub1.conf"), "hub", {
            "port_offset": OFFSET, "max_message_size": MAX_MESSAGE,
            "max_string_size": MAX_STRING}, cls.conf_path)
        base = int(re.search(r"(?m)^thrift_port = (\d+)$", conf).group(1))
        cls.log = open(os.path.join(harness.VAR, "log", "limit-hub.log"), "ab")
        cls.proc = subprocess.Popen([binary, "--config", cls.conf_path],
                                    stdout=cls.log, stderr=subprocess.STDOUT)
        cls.address = "127.0.0.1:%d" % (base + OFFSET)
        harness.wait_until(cls.connects, timeout=30, message="the limit test's hub answers")

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "proc", None) and cls.proc.poll() is None:
            cls.proc.terminate()
            try:
                cls.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                cls.proc.kill()
                cls.proc.wait()
        if getattr(cls, "log", None):
            cls.log.close()
        if os.path.exists(getattr(cls, "conf_path", "")):
            os.unlink(cls.conf_path)

    @classmethod
    def connects(cls):
        host, _, port = cls.address.rpartition(":")
        socket.create_connection((host, int(port)), timeout=2).close()
        return cls.ctl("app", "list").returncode == 0

    @classmethod
    def ctl(cls, *args):
        return harness.ctl_raw(*args, extra_env={"TOLLGATE_HUB": cls.address})

    def test_a_call_over_the_hubs_message_limit_is_refused_not_unreachable(self):
        pid = self.proc.pid
        name = harness.unique("closeapp")
        proc = self.ctl("app", "create", name, "--description", "d" * (MAX_MESSAGE + 1000))
        self.assertNotEqual(proc.returncode, 0, proc.stdout)
        self.assertIn("refused by hub", proc.stderr)
        self.assertIn("closed the connection on this call", proc.stderr)
        self.assertNotIn("cannot reach", proc.stderr)
        # the hub refused it: still the same process, and it answers the next command
        self.assertIsNone(self.proc.poll(), "the limit test's hub exited")
        self.assertEqual(self.proc.pid, pid)
        listing = self.ctl("--json", "app", "list")
        self.assertEqual(listing.returncode, 0, listing.stderr)
        self.assertNotIn(name, listing.stdout)
        # a call within the limit goes through on the same hub
        proc = self.ctl("app", "create", name, "--description", "short")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(name, self.ctl("--json", "app", "list").stdout)
        with open(os.path.join(harness.VAR, "log", "limit-hub.log"), "rb") as f:
            self.assertIn(b"message larger than max_message_size", f.read())

    def test_a_string_over_the_hubs_configured_limit_is_answered(self):
        name = harness.unique("strapp")
        proc = self.ctl("app", "create", name, "--description", "s" * (MAX_STRING + 1))
        self.assertNotEqual(proc.returncode, 0, proc.stdout)
        self.assertIn("the call breaks the hub's limits", proc.stderr)
        self.assertIn("max_string_size (%d bytes)" % MAX_STRING, proc.stderr)
        self.assertNotIn("cannot reach", proc.stderr)
        self.assertIsNone(self.proc.poll(), "the limit test's hub exited")
        listing = self.ctl("--json", "app", "list")
        self.assertEqual(listing.returncode, 0, listing.stderr)
        self.assertNotIn(name, listing.stdout)
        with open(os.path.join(harness.VAR, "log", "limit-hub.log"), "rb") as f:
            self.assertIn(b"refused, answered: string larger than max_string_size", f.read())

    def test_a_string_over_the_limit_on_the_stack_hub_is_answered(self):
        """The stack's hubs (default limits): tollgatectl's own argument limit is the hub's
        max_string_size (one constant), so a value one byte over it never leaves tollgatectl,
        and one at it reaches the hub."""
        limit = int(harness.hub_config(1, "max_string_size", "65536") or 65536)
        name = harness.unique("limitapp")
        proc = harness.ctl_raw("app", "create", name, "--description", "d" * (limit + 1))
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("longer than %d bytes" % limit, proc.stderr)
        self.assertNotIn("cannot reach", proc.stderr)
        proc = harness.ctl_raw("app", "create", name, "--description", "d" * limit)
        self.assertNotIn("longer than", proc.stderr)  # the hub's own rules answer it
        self.assertNotIn("cannot reach", proc.stderr)


if __name__ == "__main__":
    unittest.main()
