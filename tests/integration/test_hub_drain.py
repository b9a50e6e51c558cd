"""Hub shutdown while a failed login's answer is held back: SIGTERM drains
the Thrift port, and the held answer is still delivered before the hub exits,
not cut with the idle connections. The delay holds no thread: with one login
worker, a management call made during the delay is answered before the
delayed login is.

The test runs a hub of its own next to the stack's: the stack's hub1.conf
with port_offset 70, one worker thread per pool, and a long failed-login
delay (2 s).
"""
import os
import re
import signal
import socket
import subprocess
import threading
import time
import unittest
import uuid

import harness

OFFSET = 70


class HubDrainTest(unittest.TestCase):
    def setUp(self):
        binary = harness.binary("tollgate-keyvalidator")
        if binary is None:
            self.skipTest("tollgate-keyvalidator is not built")
        self.conf_path = os.path.join(harness.VAR, "conf", "drain-hub.conf")
        conf = harness.conf_with(os.path.join(harness.VAR, "conf", "hub1.conf"), "hub", {
            "port_offset": OFFSET, "thrift_workers": 1, "login_workers": 1,
            "login_failure_delay_ms": 2000}, self.conf_path)
        base = int(re.search(r"(?m)^thrift_port = (\d+)$", conf).group(1))
        self.log = open(os.path.join(harness.VAR, "log", "drain-hub.log"), "ab")
        self.proc = subprocess.Popen([binary, "--config", self.conf_path],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        harness.HUBS.append("127.0.0.1:%d" % (base + OFFSET))
        self.hub = len(harness.HUBS) - 1
        harness.wait_until(self.connects, timeout=30, message="the drain test's hub answers")

    def tearDown(self):
        harness.HUBS.pop()
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        os.unlink(self.conf_path)

    def connects(self):
        # a plain connect first: Thrift's socket logs every refused attempt
        host, _, port = harness.HUBS[self.hub].rpartition(":")
        socket.create_connection((host, int(port)), timeout=2).close()
        _, transport = harness.thrift_client(self.hub)
        transport.close()
        return True

    def test_held_login_is_answered_through_the_drain(self):
        sid = harness.login()
        outcome = {}
        start = time.monotonic()

        def failed_login():
            client, transport = harness.thrift_client(self.hub, timeout=30)
            try:
                client.authenticate("nobody" + uuid.uuid4().hex[:8], "wrong")
                outcome["login"] = "accepted?"
            except Exception as e:  # noqa: BLE001 - the refusal is the expected answer
                outcome["login"] = type(e).__name__
            finally:
                outcome["login_at"] = time.monotonic() - start
                transport.close()

        def management_call():
            client, transport = harness.thrift_client(self.hub, timeout=30)
            try:
                outcome["apis"] = len(client.listApis(sid) or [])
            except Exception as e:  # noqa: BLE001 - reported by the assertion
                outcome["apis"] = repr(e)
            finally:
                outcome["apis_at"] = time.monotonic() - start
                transport.close()

        busy = threading.Thread(target=failed_login)
        busy.start()
        time.sleep(0.5)  # the login's answer is now held back for 2 s
        queued = threading.Thread(target=management_call)
        queued.start()
        time.sleep(0.5)  # the only login worker is free: listApis is answered meanwhile
        self.proc.send_signal(signal.SIGTERM)
        busy.join(30)
        queued.join(30)
        self.assertEqual(self.proc.wait(30), 0)
        self.assertEqual(outcome.get("login"), "AuthenticationException")
        self.assertIsInstance(outcome.get("apis"), int, outcome.get("apis"))
        self.assertGreaterEqual(outcome["login_at"], 1.5, "the failed login was not held back")
        self.assertLess(outcome["apis_at"], outcome["login_at"],
                        "listApis waited for the held login: the delay held the worker")


if __name__ == "__main__":
    unittest.main()
