"""MariaDB stopped and restarted under running hubs.

While the database is down: validations the hubs have cached keep answering
(authorized, with their DTO), on persistent connections opened before the
outage; an uncached token gets a clean APIKeyMgtException that says the
database is unavailable (no hang, the connection stays usable); a login gets
a clean AuthenticationException. After MariaDB is back the same hub
processes (same pids: no restart) validate the uncached token, accept logins
and management calls again, and the test ends with a successful validation.
Calls made through the gateways during the outage (cached token) are answered,
and their usage, refused by the hubs meanwhile and kept by the gateways,
reaches statdb once it is back, counted once.

The database is always started again (finally / tearDownClass) so the
modules that run after this one find a whole stack.
"""
import re
import time
import unittest

import harness

USAGE_CALLS = 20   # calls through the gateways while MariaDB is down


class HubDbRestartTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not harness.HUBS:
            raise unittest.SkipTest("no stack (TOLLGATE_HUBS unset)")
        _, cls.T, cls.W = harness.thrift_modules()
        cls.hubs = range(len(harness.HUBS))
        cls.api = harness.new_api()
        cls.cached = harness.new_app_with_key(api=cls.api)
        cls.uncached = harness.new_app_with_key(api=cls.api)
        cls.gw = [harness.Session("gateway", harness.gateway_password(), hub=k) for k in cls.hubs]

    @classmethod
    def tearDownClass(cls):
        for s in getattr(cls, "gw", []):
            try:
                s.close()
            except Exception:  # noqa: BLE001
                pass
        ensure_db_and_hubs()

    def validate(self, token, hub, resource="/x"):
        s = self.gw[hub]
        return harness.validate_key(s.client, s.sid, self.api, token, resource)

    def test_db_stopped_and_restarted(self):
        pids = [harness.hub_pid(k + 1) for k in self.hubs]
        self.assertTrue(all(pids), "hub pid files: %r" % pids)
        # Every hub empties its whole validation cache when it sees a change (its watcher
        # polls about every 0.5 s); let the changes setUpClass made settle before caching.
        time.sleep(1.5)
        before = {}
        for hub in self.hubs:
            dto = self.validate(self.cached["token"], hub)
            self.assertTrue(dto.authorized, dto)
            before[hub] = dto
        usage_sql, usage_base = self.gateways_warmed()
        harness.stop_db()
        try:
            self.during_outage(before)
            self.calls_through_gateways(USAGE_CALLS)
        finally:
            harness.start_db()
        self.after_restart(pids)
        if usage_sql:
            self.usage_kept(usage_sql, usage_base + USAGE_CALLS)

    # usage of calls made during the outage reaches statdb once it is back, once

    def gateways_warmed(self):
        """Every gateway has validated the cached token; (statdb sum SQL, settled sum)."""
        if not harness.GATEWAYS:
            return None, 0
        for k in range(len(harness.GATEWAYS)):
            harness.wait_until(lambda: harness.http(
                "GET", harness.api_url(self.api, "/echo", k),
                headers=self.cached["headers"])[0] == 200, 15, message="gateway %d" % (k + 1))
        usage_sql = harness.usage_sum_sql(self.api["context"])
        return usage_sql, harness.usage_settled(usage_sql)

    def calls_through_gateways(self, n):
        for i in range(n if harness.GATEWAYS else 0):
            k = i % len(harness.GATEWAYS)
            status, _, body = harness.http("GET", harness.api_url(self.api, "/echo?i=%d" % i, k),
                                           headers=self.cached["headers"])
            self.assertEqual(status, 200, "call %d through gateway %d during the outage: %r"
                             % (i, k + 1, body[:200]))

    def usage_kept(self, usage_sql, expected):
        harness.wait_until(lambda: harness.usage_sum(usage_sql) >= expected, 30,
                           message="usage of the outage's calls in statdb")
        time.sleep(2.5)   # a flush interval or two: nothing sent twice
        self.assertEqual(harness.usage_sum(usage_sql), expected)

    def during_outage(self, before):
        # cached validations keep answering, for every resource and verb of the cached API
        for round_ in range(5):
            for hub in self.hubs:
                for resource, verb in (("/x", "GET"), ("/y/z", "POST")):
                    s = self.gw[hub]
                    dto = harness.validate_key(s.client, s.sid, self.api, self.cached["token"],
                                               resource, verb)
                    self.assertTrue(dto.authorized, "round %d hub %d %s %s during the outage: %r"
                                    % (round_, hub + 1, verb, resource, dto))
                    self.assertEqual(dto.consumerKey, before[hub].consumerKey)
                    self.assertEqual(dto.applicationName, before[hub].applicationName)
            time.sleep(0.3)   # past the hubs' 1 s "session not revoked" memory by the end

        # an uncached token fails cleanly: a declared exception, quickly, saying why
        for hub in self.hubs:
            t0 = time.monotonic()
            with self.assertRaises(self.W.APIKeyMgtException, msg="hub %d" % (hub + 1)) as cm:
                self.validate(self.uncached["token"], hub)
            took = time.monotonic() - t0
            self.assertRegex(cm.exception.message, re.compile(r"database|unavailable", re.I))
            self.assertLess(took, 9, "the refusal took %.1fs (client timeout 10 s)" % took)
            # same connection, still usable
            self.assertTrue(self.validate(self.cached["token"], hub).authorized)

        # a login cannot be checked: refused cleanly, not hung
        client, transport = harness.authenticator_client(0, timeout=15)
        try:
            with self.assertRaises(self.W.AuthenticationException) as cm:
                client.authenticate("admin", harness.ADMIN_PASSWORD)
            self.assertRegex(cm.exception.message, re.compile(r"database|unavailable", re.I))
        finally:
            transport.close()

        # /health says the database is down (or at least does not claim all is well)
        status, _, body = harness.http("GET", harness.HUB_HTTPS[0] + "/health")
        self.assertTrue(status != 200 or re.search(rb"down|unavailable|false|error", body, re.I),
                        "/health during the outage: %d %r" % (status, body[:200]))

    def after_restart(self, pids):
        for hub in self.hubs:
            dto = harness.wait_until(
                lambda: (lambda d: d if d.authorized else None)(
                    self.validate(self.uncached["token"], hub)),
                30, interval=0.25, message="uncached validation on hub %d after the restart"
                % (hub + 1))
            self.assertEqual(dto.consumerKey, self.uncached["consumerKey"])
        self.assertEqual([harness.hub_pid(k + 1) for k in self.hubs], pids,
                         "a hub was restarted: it must recover on its own")
        # logins and management calls work again; a brand-new token validates everywhere
        key = harness.wait_until(lambda: harness.new_app_with_key(api=self.api), 15,
                                 message="management calls after the restart")
        for hub in self.hubs:
            self.assertTrue(self.validate(key["token"], hub).authorized)
            self.assertTrue(self.validate(self.cached["token"], hub).authorized)
        status, _, _ = harness.http("GET", harness.HUB_HTTPS[0] + "/health")
        self.assertEqual(status, 200)
        # end with a validation on a fresh connection and session
        with harness.Session("gateway", harness.gateway_password()) as s:
            dto = harness.validate_key(s.client, s.sid, self.api, self.uncached["token"], "/x")
            self.assertTrue(dto.authorized, dto)


class HubDbKilledConnectionsTest(unittest.TestCase):
    """The server kills every hub connection while MariaDB stays up (as wait_timeout or an
    operator's KILL would): the next login and the next uncached validation on each hub
    are still answered, although the pooled connections were in use a moment ago (the
    pool's fast path skips the database-select round trip for those)."""

    @classmethod
    def setUpClass(cls):
        if not harness.HUBS:
            raise unittest.SkipTest("no stack (TOLLGATE_HUBS unset)")
        cls.hubs = range(len(harness.HUBS))
        cls.api = harness.new_api()
        cls.gw = [harness.Session("gateway", harness.gateway_password(), hub=k) for k in cls.hubs]

    @classmethod
    def tearDownClass(cls):
        for s in getattr(cls, "gw", []):
            s.close()

    def validate(self, token, hub):
        s = self.gw[hub]
        return harness.validate_key(s.client, s.sid, self.api, token, "/x")

    def test_killed_connections_not_felt(self):
        keys = [harness.new_app_with_key(api=self.api) for _ in range(2 * len(self.hubs))]
        for hub in self.hubs:   # uncached: each reads MariaDB on a pooled connection
            self.assertTrue(self.validate(keys[hub]["token"], hub).authorized)
        ids = harness.sql("mysql", "SELECT id FROM information_schema.PROCESSLIST"
                                   " WHERE user NOT IN ('root', 'system user', '')"
                                   " AND id <> CONNECTION_ID()")
        self.assertTrue(ids, "no hub connections to kill")
        harness.sql("mysql", "; ".join("KILL CONNECTION %s" % r[0] for r in ids))
        # a login (no retry of its own) right after: the pool sees the dead connections
        for hub in self.hubs:
            self.assertTrue(harness.login("gateway", harness.gateway_password(), hub=hub))
        for hub in self.hubs:
            dto = self.validate(keys[len(self.hubs) + hub]["token"], hub)
            self.assertTrue(dto.authorized, "hub %d after its connections were killed: %r"
                            % (hub + 1, dto))


def ensure_db_and_hubs():
    """MariaDB running and hub 1 accepting logins (for the modules after this one)."""
    try:
        harness.start_db()
    except Exception as e:  # noqa: BLE001
        print("start_db: %s" % e)
    try:
        harness.wait_until(harness.login, 30, interval=0.5, message="login after the restart")
    except AssertionError as e:
        print(e)


if __name__ == "__main__":
    unittest.main()
