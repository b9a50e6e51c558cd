"""test_hostile_hub_nul.py: a NUL byte inside a string the hub receives. c_glib reads a
Thrift string into a C string, so "a\\0<b>" would reach the hub's checks as "a": addTier
would create tier "a", authenticate("admin\\0x") would check admin. The hub's Thrift port
refuses such a call before c_glib reads it, whatever the protocol and however the bytes are
split: nothing is created, and the call is answered with TApplicationException
PROTOCOL_ERROR naming the NUL byte; the connection stays in step and answers the next call
(closing it made the hub's clients take the hub for down and retry on the next one).
POST /thriftAuthenticator answers 400; /token refuses %00 and a raw NUL in its form and its
Basic credentials. Each attack is followed by a normal call on a new connection, on a
connection opened before it, and a check that the hub's pid did not change.
"""
import base64
import time
import unittest
import urllib.parse

import harness
from test_hub_bad_input import reply_kind


def encode(method, *args, compact=False):
    """The bytes of one call of our service, written by Thrift's own Python encoder (which
    writes a str holding "\\0" as is)."""
    from thrift.protocol import TBinaryProtocol, TCompactProtocol
    from thrift.transport import TTransport
    Tollgate, _, _ = harness.thrift_modules()
    buf = TTransport.TMemoryBuffer()
    proto = (TCompactProtocol.TCompactProtocol(buf) if compact else
             TBinaryProtocol.TBinaryProtocol(buf, strictRead=True, strictWrite=True))
    getattr(Tollgate.Client(proto), "send_" + method)(*args)
    return buf.getvalue()


def read_until(sock, done, what, timeout=10):
    """Reads from sock until done(data); fails if the hub closes first."""
    sock.settimeout(timeout)
    data = b""
    while not done(data):
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError("%s: the hub closed the connection: %r" % (what, data[:80]))
        data += chunk
    return data


class HubNulStringTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not harness.HUBS:
            raise unittest.SkipTest("no stack (TOLLGATE_HUBS unset)")
        _, cls.T, _ = harness.thrift_modules()
        cls.admin = harness.Session()
        cls.key = harness.new_app_with_key()
        cls.api = cls.key["api"]
        cls.gw_sid = harness.login("gateway", harness.gateway_password())
        cls.pid = harness.hub_pid(1)
        cls.bystander, cls.bystander_transport = harness.thrift_client(0)

    @classmethod
    def tearDownClass(cls):
        for name in ("bystander_transport", "admin"):
            if getattr(cls, name, None):
                getattr(cls, name).close()

    # ---------------------------------------------------------------- helpers

    def assertRefused(self, what, parts, pause=0.0, compact=None):
        """The call is answered with an exception naming the NUL (not a reply), and the same
        connection then answers an ordinary call."""
        if compact is None:
            compact = parts[0][:1] == b"\x82"
        sock = harness.tls_socket(0)
        try:
            for i, part in enumerate(parts):
                if i and pause:
                    time.sleep(pause)
                sock.sendall(part)
            data = read_until(sock, lambda d: b"NUL byte" in d, what)
            self.assertEqual(reply_kind(data), "exception", "%s: answered %r" % (what, data[:80]))
            self.assertIn(b"the call breaks the hub's limits", data, what)
            sock.sendall(encode("isAuthenticated", self.admin.sid, compact=compact))
            after = read_until(sock, lambda d: reply_kind(d) is not None, what + ", next call")
            self.assertEqual(reply_kind(after), "reply", "%s: next call: %r" % (what, after[:80]))
        finally:
            sock.close()

    def assertAnswered(self, what, payload):
        """The same call without the NUL gets a reply or an exception: the encoding is
        right, and the refusal above is the NUL's doing."""
        sock = harness.tls_socket(0)
        try:
            sock.sendall(payload)
            data = b""
            while reply_kind(data) is None:
                chunk = sock.recv(65536)
                self.assertTrue(chunk, "%s: closed without an answer" % what)
                data += chunk
        finally:
            sock.close()

    def assertServed(self, what):
        if self.pid:
            self.assertEqual(harness.hub_pid(1), self.pid, "%s: hub 1 died or restarted" % what)
        client, transport = harness.thrift_client(0)
        try:
            dto = harness.validate_key(client, self.gw_sid, self.api, self.key["token"], "/x")
            self.assertTrue(dto.authorized, "%s: new connection: %r" % (what, dto))
        finally:
            transport.close()
        dto = harness.validate_key(self.bystander, self.gw_sid, self.api, self.key["token"], "/x")
        self.assertTrue(dto.authorized, "%s: bystander connection: %r" % (what, dto))

    def tier_names(self):
        return sorted(t.name for t in self.admin.call("listTiers"))

    def tier(self, name):
        return self.T.Tier(name=name, level="SUBSCRIPTION", requestCount=10, unitTime=60,
                           description="nul test")

    # ---------------------------------------------------------------- Thrift port

    def test_add_tier_with_nul_creates_nothing(self):
        base = harness.unique("Nul")
        before = self.tier_names()
        for compact in (False, True):
            for value in (base + "\0<b>", "\0" + base, base + "\0"):
                call = encode("addTier", self.admin.sid, self.tier(value), compact=compact)
                self.assertIn(b"\0<b>" if value.endswith("<b>") else base.encode(), call)
                self.assertRefused("addTier %r compact=%s" % (value, compact), [call])
                # split just before and just after the NUL: the later packet carries it
                at = call.index(value.encode()) + value.index("\0")
                self.assertRefused("addTier %r split" % value, [call[:at], call[at:]], pause=0.3)
                self.assertRefused("addTier %r split after" % value,
                                   [call[:at + 1], call[at + 1:]], pause=0.3)
        self.assertEqual(self.tier_names(), before, "a tier was created")
        self.assertFalse([t for t in self.tier_names() if base in t])
        # the same call without the NUL is an ordinary call
        self.assertAnswered("addTier control",
                            encode("addTier", self.admin.sid, self.tier(base + "ok")))
        self.assertIn(base + "ok", self.tier_names())
        self.assertServed("addTier with a NUL")

    def test_users_with_nul_not_created(self):
        base = harness.unique("nuluser")
        for compact in (False, True):
            self.assertRefused("addUser", [encode("addUser", self.admin.sid, base + "\0<b>",
                                                  "Good-Pass-123x", ["subscriber"],
                                                  compact=compact)])
            self.assertRefused("signUp", [encode("signUp", base + "\0x", "Good-Pass-123x",
                                                 "198.51.100.9", compact=compact)])
        names = [u.name for u in self.admin.call("listUsers")]
        self.assertFalse([n for n in names if n.startswith(base)], names)
        self.assertServed("addUser with a NUL")

    def test_authenticate_with_nul_gets_no_session(self):
        pw = harness.ADMIN_PASSWORD
        for compact in (False, True):
            for user, password in (("admin\0junk", pw), ("admin", pw + "\0junk"),
                                   ("admin", "\0")):
                self.assertRefused("authenticate %r" % user,
                                   [encode("authenticate", user, password, compact=compact)])
        self.assertAnswered("authenticate control", encode("authenticate", "admin", pw))
        self.assertServed("authenticate with a NUL")

    def test_validate_key_with_nul_refused(self):
        token = self.key["token"]
        good = harness.binary_validate_key_call(self.api, token, self.gw_sid)
        self.assertAnswered("validateKey control", good)
        cases = {
            "token": harness.binary_validate_key_call(self.api, token + "\0junk", self.gw_sid),
            "context": harness.binary_validate_key_call(
                dict(self.api, context=self.api["context"] + "\0/other"), token, self.gw_sid),
            "session": harness.binary_validate_key_call(self.api, token, self.gw_sid + "\0"),
            "resource": harness.binary_validate_key_call(self.api, token, self.gw_sid,
                                                         resource="/x\0/admin"),
            "compact": encode("validateKey", self.api["context"], self.api["version"],
                              token + "\0", self.gw_sid, "Any", None, "/x", "GET", compact=True),
        }
        for what, call in cases.items():
            self.assertRefused("validateKey " + what, [call])
        # the NUL in a second packet, the token's first bytes in the first
        call = cases["token"]
        at = call.index(b"\0junk")
        self.assertRefused("validateKey split", [call[:at], call[at:]], pause=0.3)
        self.assertServed("validateKey with a NUL")

    def test_good_call_after_nul_call_on_one_connection_runs_alone(self):
        """The refused call is answered and skipped whole: a call pipelined behind it is read
        from its own first byte and run, the refused one is not."""
        base = harness.unique("Nul")
        bad = encode("addTier", self.admin.sid, self.tier(base + "\0x"))
        good = encode("addTier", self.admin.sid, self.tier(base + "after"))
        sock = harness.tls_socket(0)
        try:
            sock.sendall(bad + good)
            data = read_until(sock, lambda d: d.count(b"addTier") >= 2 and d.endswith(b"\x00"),
                              "pipelined")
        finally:
            sock.close()
        self.assertEqual(reply_kind(data), "exception", data[:80])
        self.assertIn(b"NUL byte", data)
        self.assertEqual([t for t in self.tier_names() if base in t], [base + "after"])
        self.assertServed("pipelined")

    # ---------------------------------------------------------------- HTTPS port

    def test_thrift_authenticator_refuses_nul(self):
        url = harness.HUB_HTTPS[0].rstrip("/") + "/thriftAuthenticator"
        headers = {"Content-Type": "application/x-thrift"}
        pw = harness.ADMIN_PASSWORD
        for user, password in (("admin\0junk", pw), ("admin", pw + "\0x")):
            status, _, body = harness.http("POST", url, headers=headers,
                                           body=encode("authenticate", user, password,
                                                       compact=True))
            self.assertEqual(status, 400, body[:200])
            self.assertIn(b"NUL", body)
            self.assertNotEqual(reply_kind(body), "reply")
        status, _, body = harness.http("POST", url, headers=headers,
                                       body=encode("authenticate", "admin", pw, compact=True))
        self.assertEqual(status, 200, body[:200])
        self.assertEqual(reply_kind(body), "reply")
        self.assertServed("/thriftAuthenticator with a NUL")

    def test_token_form_and_basic_refuse_nul(self):
        url = harness.HUB_HTTPS[0].rstrip("/") + "/token"
        ck, cs = self.key["consumerKey"], self.key["consumerSecret"]

        def post(body, auth=None):
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            if auth:
                headers["Authorization"] = "Basic " + base64.b64encode(auth).decode()
            return harness.http("POST", url, headers=headers, body=body)

        creds = "client_id=%s&client_secret=%s" % (urllib.parse.quote(ck, safe=""),
                                                   urllib.parse.quote(cs, safe=""))
        status, _, body = post("grant_type=client_credentials&" + creds)
        self.assertEqual(status, 200, body[:200])
        for what, body, auth in (
                ("%00 in a value", "grant_type=client_credentials%00x&" + creds, None),
                ("%00 in client_id", "grant_type=client_credentials&client_id=%s%%00x"
                 "&client_secret=%s" % (ck, cs), None),
                ("raw NUL", ("grant_type=client_credentials\0x&" + creds).encode(), None),
                ("NUL in Basic id", "grant_type=client_credentials",
                 ck.encode() + b"\0x:" + cs.encode()),
                ("NUL in Basic secret", "grant_type=client_credentials",
                 ck.encode() + b":" + cs.encode() + b"\0x")):
            status, _, answer = post(body, auth)
            self.assertIn(status, (400, 401), "%s: %d %r" % (what, status, answer[:200]))
            self.assertNotIn(b"access_token", answer, what)
        self.assertServed("/token with a NUL")


if __name__ == "__main__":
    unittest.main()
