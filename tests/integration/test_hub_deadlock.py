"""A hub transaction chosen as an InnoDB deadlock's victim is run again, so the
caller's request succeeds instead of failing with a database error.

The deadlock is made on purpose with a second MariaDB session (the mariadb
client on a pipe, one statement at a time): it locks the application's
subscription row, the hub's deleteApplication locks the application row and
waits for the subscription row, then the session asks for the application row.
The session has written rows first, so InnoDB rolls the lighter hub
transaction back. Its second attempt waits for the session, which then rolls
back: the delete completes, and /metrics counts the retry.

Also: first keys of many applications created at once need no retry at all.
"""
import os
import re
import subprocess
import threading
import time
import unittest

import harness


class SqlSession:
    """One interactive MariaDB session: statements sent one at a time; `mark`
    waits until every statement sent before it has run."""

    def __init__(self, db):
        sock = os.path.join(harness.VAR, "mysql", "mysqld.sock")
        self.proc = subprocess.Popen(
            ["mariadb", "--socket", sock, "-uroot", db, "-N", "-B", "--unbuffered"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.marks = 0

    def send(self, statement):
        self.proc.stdin.write(statement.rstrip(";") + ";\n")
        self.proc.stdin.flush()

    def mark(self, timeout=20):
        self.marks += 1
        label = "mark%d" % self.marks
        self.send("SELECT '%s'" % label)
        lines = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError("mariadb session ended: %s" % self.proc.stderr.read())
            if line.strip() == label:
                return lines
            lines.append(line.strip())
        raise AssertionError("mariadb session: no %s within %ss" % (label, timeout))

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def lock_waits():
    """Transactions of the hub's database user waiting for a row lock now."""
    rows = harness.sql("information_schema",
                       "SELECT COUNT(*) FROM INNODB_TRX WHERE trx_state = 'LOCK WAIT'")
    return int(rows[0][0])


def deadlock_retries(hub=0):
    _, _, body = harness.http("GET", harness.HUB_HTTPS[hub].rstrip("/") + "/metrics",
                              headers={"Authorization": "Bearer " + harness.login(hub=hub)})
    m = re.search(rb"^tollgate_hub_db_deadlock_retries_total (\d+)", body, re.M)
    return int(m.group(1)) if m else 0


class HubDeadlockTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not harness.HUBS or not harness.HUB_HTTPS:
            raise unittest.SkipTest("no stack (TOLLGATE_HUBS unset)")

    def test_deadlock_victim_is_retried_and_the_call_succeeds(self):
        k = harness.new_app_with_key()
        owner, name = k["owner"], k["app"]["name"]
        app_id = int(harness.sql("apimgtdb", "SELECT application_id FROM AM_APPLICATION"
                                 " WHERE owner = '%s' AND name = '%s'" % (owner, name))[0][0])
        retries_before = deadlock_retries()
        self.assertEqual(lock_waits(), 0, "a transaction already waits for a lock")

        other = SqlSession("apimgtdb")
        self.addCleanup(other.close)
        other.send("SET SESSION innodb_lock_wait_timeout = 30")
        other.send("START TRANSACTION")
        # weight: rows written make this session the heavier one, so InnoDB picks the hub
        for i in range(50):
            other.send("INSERT INTO AM_TIER (name, level, description) VALUES"
                       " ('deadlock%d', 'RESOURCE', 'test_hub_deadlock, rolled back')" % i)
        other.send("SELECT subscription_id FROM AM_SUBSCRIPTION WHERE application_id = %d"
                   " FOR UPDATE" % app_id)
        self.assertEqual(len(other.mark()), 1, "the subscription row")

        result = {}

        def delete_app():
            try:
                result["ok"] = harness.ctl("app", "delete", name, "--owner", owner)
            except Exception as e:   # noqa: BLE001 - reported by the assertion below
                result["error"] = e

        caller = threading.Thread(target=delete_app)
        caller.start()
        # the hub holds the application row and waits for the subscription row
        harness.wait_until(lambda: lock_waits() == 1, 15, message="the hub waiting for a lock")
        other.send("SELECT application_id FROM AM_APPLICATION WHERE application_id = %d"
                   " FOR UPDATE" % app_id)
        other.mark()   # granted: the hub's transaction was the victim and rolled back
        # the hub's second attempt now waits for this session's application row lock
        harness.wait_until(lambda: lock_waits() == 1, 15, message="the hub's second attempt")
        other.send("ROLLBACK")
        other.mark()
        caller.join(30)
        self.assertFalse(caller.is_alive(), "deleteApplication did not return")
        self.assertNotIn("error", result, "deleteApplication failed on the deadlock")
        self.assertEqual(harness.sql("apimgtdb", "SELECT COUNT(*) FROM AM_APPLICATION"
                                     " WHERE application_id = %d" % app_id), [["0"]])
        self.assertEqual(harness.sql("apimgtdb", "SELECT COUNT(*) FROM AM_TIER"
                                     " WHERE name LIKE 'deadlock%'"), [["0"]])
        self.assertGreaterEqual(deadlock_retries() - retries_before, 1)

    def test_first_keys_of_many_applications_at_once_do_not_deadlock(self):
        """generateKeys for applications that have no key yet, 8 at a time: every call
        succeeds and none needs a deadlock retry. (The lookup of an existing key was a
        locking read that, for a key not there yet, took a shared gap lock at the end of
        AM_APPLICATION_KEY's (application, key type) index; two such first keys then
        deadlocked on each other's gap lock, 9 times in 120 rounds of a mixed load.)"""
        _, T, _ = harness.thrift_modules()
        api = harness.new_api(auth_type="Any")
        retries_before = deadlock_retries()
        errors = []

        def create_keys(n):
            with harness.Session() as s:
                for i in range(6):
                    name = harness.unique("first%d_%d_" % (n, i))
                    try:
                        s.call("createApplication",
                               T.Application(name=name, owner="admin", tier="Unlimited"))
                        s.call("subscribe", "admin", name, api["context"], api["version"],
                               "Unlimited")
                        for key_type in ("PRODUCTION", "SANDBOX"):
                            s.call("generateKeys", "admin", name, key_type, 0, [])
                    except Exception as e:   # noqa: BLE001 - collected for the assertion
                        errors.append(repr(e))

        threads = [threading.Thread(target=create_keys, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual(errors, [])
        self.assertEqual(deadlock_retries() - retries_before, 0)


if __name__ == "__main__":
    unittest.main()
