"""Hub sessions across two hubs: a session issued by one hub is accepted by
the other; a logout on one is refused on the other (within 2 s); missing,
forged, garbage and expired sessions raise APIKeyMgtException with a message
that says which; a subscriber (or publisher) session may not call the
validation methods while a gateway session may; repeated failed logins of a
user get slower without holding up other users' logins.

The expired-session case signs a session with the stack's shared secret
($TOLLGATE_VAR/session.secret) in the format keyvalidator/session.h documents
(base64url("user\\nroles\\nexpiry\\nnonce") "." base64url(HMAC-SHA256)); a
control session made the same way with a future expiry must be accepted, so a
format change shows up as that control failing, not as a false pass.
"""
import base64
import hashlib
import hmac
import os
import re
import threading
import time
import unittest
import uuid

import harness

ROLE_ADMIN, ROLE_PUBLISHER, ROLE_SUBSCRIBER, ROLE_GATEWAY = 1, 2, 4, 8


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(payload):
    with open(os.path.join(harness.VAR, "session.secret"), "rb") as f:
        secret = f.read().strip()
    body = b64url(payload.encode())
    mac = hmac.new(secret, body.encode(), hashlib.sha256).digest()
    return "%s.%s" % (body, b64url(mac))


def failed_login(user, password, hub=0):
    """(seconds the refused login took, the AuthenticationException)."""
    _, _, W = harness.thrift_modules()
    client, transport = harness.authenticator_client(hub, timeout=30)
    t0 = time.monotonic()
    try:
        client.authenticate(user, password)
    except W.AuthenticationException as e:
        return time.monotonic() - t0, e
    finally:
        transport.close()
    raise AssertionError("login of %s with a wrong password succeeded" % user)


class HubSessionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not harness.HUBS:
            raise unittest.SkipTest("no stack (TOLLGATE_HUBS unset)")
        _, cls.T, cls.W = harness.thrift_modules()
        cls.key = harness.new_app_with_key()
        cls.api = cls.key["api"]
        cls.good_sid = harness.login()
        cls.clients = []
        for k in range(len(harness.HUBS)):
            cls.clients.append(harness.thrift_client(k))
            # a first call now: a connection whose first call comes later than the hub's
            # first_call_timeout (10 s; slow logins under load) is closed by the hub
            harness.validate_key(cls.clients[k][0], cls.good_sid, cls.api, cls.key["token"], "/x")

    @classmethod
    def tearDownClass(cls):
        for _, transport in getattr(cls, "clients", []):
            transport.close()

    def need_two_hubs(self):
        if len(harness.HUBS) < 2 or len(harness.HUB_HTTPS) < 2:
            self.skipTest("needs two hubs (./tollgate up --hubs 2)")

    def validate(self, sid, hub=0):
        client = self.clients[hub][0]
        return harness.validate_key(client, sid, self.api, self.key["token"], "/x")

    def assertRefused(self, sid, pattern, hub=0, what=None):
        """validateKey, getAllURITemplates and validateKeyforHandshake all raise
        APIKeyMgtException whose message matches pattern."""
        client = self.clients[hub][0]
        ctx, ver = self.api["context"], self.api["version"]
        calls = (("validateKey", lambda: self.validate(sid, hub)),
                 ("getAllURITemplates", lambda: client.getAllURITemplates(ctx, ver, sid)),
                 ("validateKeyforHandshake",
                  lambda: client.validateKeyforHandshake(ctx, ver, self.key["token"], sid)))
        for name, call in calls:
            with self.assertRaises(self.W.APIKeyMgtException,
                                   msg="%s accepted %s" % (name, what or repr(sid)[:60])) as cm:
                call()
            self.assertRegex(cm.exception.message or "", re.compile(pattern, re.I),
                             "%s: message for %s" % (name, what or repr(sid)[:60]))
        # the connection is still usable after a refusal
        self.assertTrue(self.validate(self.good_sid, hub).authorized)

    def is_authenticated(self, sid, hub):
        client, transport = harness.authenticator_client(hub)
        try:
            return client.isAuthenticated(sid)
        finally:
            transport.close()

    # ---------------------------------------------------------------- two hubs

    def test_session_from_one_hub_accepted_by_the_other(self):
        self.need_two_hubs()
        for issuer, user_hub in ((0, 1), (1, 0)):
            sid = harness.login(hub=issuer)
            self.assertTrue(self.validate(sid, user_hub).authorized,
                            "session of hub %d on hub %d" % (issuer + 1, user_hub + 1))
            self.assertTrue(self.is_authenticated(sid, user_hub))
        gw = harness.login("gateway", harness.gateway_password(), hub=1)
        self.assertTrue(self.validate(gw, 0).authorized, "gateway session of hub 2 on hub 1")

    def test_logout_on_one_hub_refused_on_the_other(self):
        self.need_two_hubs()
        sid = harness.login(hub=0)
        other = harness.login(hub=0)
        for hub in (0, 1):
            self.assertTrue(self.validate(sid, hub).authorized)   # accepted (and cached) first
        client, transport = harness.authenticator_client(1)
        try:
            client.logout(sid)
        finally:
            transport.close()

        def refused_on(hub):
            try:
                self.validate(sid, hub)
            except self.W.APIKeyMgtException as e:
                return e
            return None

        for hub in (1, 0):
            e = harness.wait_until(lambda: refused_on(hub), 2, interval=0.05,
                                   message="logged-out session refused on hub %d" % (hub + 1))
            self.assertRegex(e.message, re.compile(r"logged.?out|logout", re.I))
            self.assertFalse(self.is_authenticated(sid, hub))
        self.assertRefused(sid, r"logged.?out|logout", hub=0)
        # only that session: another session of the same user still works everywhere
        for hub in (0, 1):
            self.assertTrue(self.validate(other, hub).authorized)

    def test_logout_then_login_again(self):
        sid = harness.login()
        client, transport = harness.authenticator_client(0)
        try:
            self.assertTrue(client.isAuthenticated(sid))
            client.logout(sid)
            client.logout(sid)                       # twice: still no error
            client.logout("garbage")                 # void, never an exception
            self.assertFalse(client.isAuthenticated(sid))
        finally:
            transport.close()
        self.assertTrue(self.validate(harness.login()).authorized)

    # ---------------------------------------------------------------- bad sessions

    def test_missing_session(self):
        self.assertRefused("", r"missing|no session|required", what="an empty session id")

    def test_garbage_sessions(self):
        for sid in ("garbage", "x.y", ".", "....", "a.", ".b", "é.è", "\x01.\x02",
                    "a" * 5000 + "." + "b" * 5000, "Bearer " + uuid.uuid4().hex,
                    b64url(b"admin\n1\n9999999999\nnonce") + ".!!!!"):
            self.assertRefused(sid, r"malformed|invalid|garbage|signature|forged|bad")
            self.assertFalse(self.is_authenticated(sid, 0), repr(sid)[:40])
        # a NUL byte would end the C string: the hub refuses the call before reading it and
        # answers TApplicationException, keeping the connection (test_hostile_hub_nul.py)
        from thrift.Thrift import TApplicationException
        client, transport = harness.thrift_client(0)
        try:
            with self.assertRaises(TApplicationException, msg="a session id after a NUL byte") as x:
                harness.validate_key(client, "\x00" + harness.login(), self.api,
                                     self.key["token"], "/x")
            self.assertIn("NUL byte", x.exception.message)
            self.assertTrue(harness.validate_key(client, self.good_sid, self.api,
                                                 self.key["token"], "/x").authorized)
        finally:
            transport.close()
        self.assertTrue(self.validate(self.good_sid).authorized)

    def test_forged_signature(self):
        sid = harness.login()
        body, _, mac = sid.rpartition(".")
        self.assertTrue(body and mac, "session id without a '.': %r" % sid)
        flipped = mac[:-2] + ("A" if mac[-2] != "A" else "B") + mac[-1]
        wrong_key = "%s.%s" % (body, b64url(hmac.new(b"not the secret", body.encode(),
                                                     hashlib.sha256).digest()))
        for forged, what in ((body + "." + flipped, "a flipped signature"),
                             (wrong_key, "a signature made with another secret"),
                             (body + ".", "no signature"),
                             (body, "the payload alone")):
            self.assertRefused(forged, r"signature|forged|malformed|invalid", what=what)

    def test_forged_role_escalation(self):
        """A subscriber's session with its roles edited to admin|gateway keeps
        the old signature: refused as forged, not as a role problem."""
        user = harness.new_user(roles=("subscriber",))
        sid = harness.login(user["name"], user["password"])
        body, _, mac = sid.rpartition(".")
        parts = b64url_decode(body).decode().split("\n")
        # user, roles, expiry, nonce, issued (ms: what deleteUser/setUserRoles/a password
        # change compare with)
        self.assertEqual(len(parts), 5, "session payload format changed: %r" % parts)
        self.assertEqual(parts[0], user["name"])
        parts[1] = str(ROLE_ADMIN | ROLE_GATEWAY)
        forged = b64url("\n".join(parts).encode()) + "." + mac
        self.assertRefused(forged, r"signature|forged", what="a session with edited roles")
        parts[0] = "admin"
        forged = b64url("\n".join(parts).encode()) + "." + mac
        self.assertRefused(forged, r"signature|forged", what="a session with an edited user")

    def test_expired_session(self):
        now = int(time.time())
        roles = ROLE_ADMIN | ROLE_PUBLISHER | ROLE_SUBSCRIBER
        control = sign("admin\n%d\n%d\n%s" % (roles, now + 600, uuid.uuid4().hex))
        self.assertTrue(self.validate(control).authorized,
                        "control: a session signed with the shared secret and a future expiry "
                        "was refused (session format changed?)")
        for hub in range(len(self.clients)):
            expired = sign("admin\n%d\n%d\n%s" % (roles, now - 5, uuid.uuid4().hex))
            self.assertRefused(expired, r"expired", hub=hub, what="an expired session")
            self.assertFalse(self.is_authenticated(expired, hub))

    # ---------------------------------------------------------------- roles

    def test_subscriber_and_publisher_sessions_cannot_validate(self):
        for roles in (("subscriber",), ("publisher",), ("subscriber", "publisher")):
            user = harness.new_user(roles=roles)
            sid = harness.login(user["name"], user["password"])
            self.assertTrue(self.is_authenticated(sid, 0), "a valid %s session" % (roles,))
            self.assertRefused(sid, r"role|not allowed|permission|forbidden|denied",
                               what="a %s session" % "+".join(roles))

    def test_gateway_session_may_validate(self):
        user = harness.new_user(roles=("gateway",))
        sid = harness.login(user["name"], user["password"])
        self.assertTrue(self.validate(sid).authorized)
        templates = self.clients[0][0].getAllURITemplates(self.api["context"], self.api["version"],
                                                          sid)
        self.assertTrue(templates)

    # ---------------------------------------------------------------- failed logins

    def test_wrong_password_message(self):
        user = harness.new_user()
        _, e = failed_login(user["name"], "wrong")
        self.assertRegex(e.message, re.compile(r"invalid|wrong|incorrect", re.I))
        self.assertNotIn(user["password"], e.message)
        _, e = failed_login("nosuchuser" + uuid.uuid4().hex[:8], "x")
        self.assertRegex(e.message, re.compile(r"invalid|wrong|incorrect", re.I))
        self.assertTrue(harness.login(user["name"], user["password"]))

    def test_repeated_failed_logins_get_slower(self):
        user = harness.new_user()
        times = [failed_login(user["name"], "wrong%d" % i)[0] for i in range(4)]
        print("failed login durations: %s" % ", ".join("%.2fs" % t for t in times))
        self.assertGreater(times[2], times[0], "failed logins did not slow down: %s" % times)
        self.assertGreater(times[3], times[0] + 1.0, "failed logins did not slow down: %s" % times)
        # the right password still works (and resets the count)
        self.assertTrue(harness.login(user["name"], user["password"]))
        again = failed_login(user["name"], "wrong")[0]
        self.assertLess(again, times[3], "the failure count was not reset by a good login")

    def test_delayed_refusal_does_not_hold_up_other_logins(self):
        user = harness.new_user()
        other = harness.new_user()
        for i in range(3):
            failed_login(user["name"], "wrong%d" % i)
        result = {}

        def slow():
            result["slow"] = failed_login(user["name"], "wrong-again")[0]

        t = threading.Thread(target=slow)
        t.start()
        time.sleep(0.1)
        t0 = time.monotonic()
        self.assertTrue(harness.login(other["name"], other["password"]))
        fast = time.monotonic() - t0
        t0 = time.monotonic()
        status, _, _ = harness.http("GET", harness.HUB_HTTPS[0] + "/health")
        health = time.monotonic() - t0
        t.join(30)
        print("delayed refusal %.2fs; meanwhile another user's login %.2fs, /health %.2fs"
              % (result["slow"], fast, health))
        self.assertGreater(result["slow"], 1.0, "the 4th failure in a row was not delayed")
        self.assertLess(fast, result["slow"] / 2,
                        "another user's login (%.2fs) waited for the delayed refusal (%.2fs)"
                        % (fast, result["slow"]))
        self.assertLess(health, result["slow"] / 2, "GET /health waited for the delayed refusal")


if __name__ == "__main__":
    unittest.main()
