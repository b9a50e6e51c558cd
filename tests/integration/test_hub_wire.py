"""The hub's wire protocols, seen from a Python client whose code is generated
from our thrift/ at test time (Debian's python3-thrift, thrift compiler).

Covers: a stand-alone client (its own process, code generated into a fresh
directory, only the WSO2 services AuthenticatorService and
APIKeyValidationService, as a WSO2 gateway uses them) logging in over HTTPS
POST /thriftAuthenticator with TCompactProtocol on THttpClient and validating
over the TLS Thrift port with strict TBinaryProtocol, unframed; framed binary,
compact and framed compact on the same port; sequence ids echoed per call on
one persistent connection (the Java client checks them); calls pipelined
before any answer is read, answered in order whether the hub's event loop or
a worker runs them; a call held back on a worker holding up no other
connection; a connection going back to the event loop once the cache answers
again; cached answers (the hub's fast path) byte-identical to the generated
processor's first answers; an unknown method
answered with a TApplicationException; isAuthenticated / logout / a wrong
password over /thriftAuthenticator.
"""
import json
import os
import shutil
import subprocess
import tempfile
import textwrap
import time
import unittest

import harness

CLIENT = textwrap.dedent("""
    import json, os, ssl, sys
    sys.path.insert(0, sys.argv[1])
    from thrift.protocol import TBinaryProtocol, TCompactProtocol
    from thrift.transport import THttpClient, TSSLSocket, TTransport
    from wso2 import AuthenticatorService, APIKeyValidationService

    env = os.environ
    ctx = ssl.create_default_context(cafile=env["T_CA"])

    # 1. login: Thrift over HTTPS, compact protocol, one call per request
    http = THttpClient.THttpClient(env["T_AUTH_URL"], ssl_context=ctx)
    auth = AuthenticatorService.Client(TCompactProtocol.TCompactProtocol(http))
    http.open()
    session = auth.authenticate(env["T_USER"], env["T_PASSWORD"])
    logged_in = auth.isAuthenticated(session)
    http.close()

    # 2. validate: TLS socket, strict binary, unframed, one persistent connection
    sock = TSSLSocket.TSSLSocket(env["T_HOST"], int(env["T_PORT"]), ssl_context=ctx,
                                 server_hostname=env["T_HOST"])
    sock.setTimeout(10000)
    transport = TTransport.TBufferedTransport(sock)
    proto = TBinaryProtocol.TBinaryProtocol(transport, strictRead=True, strictWrite=True)
    client = APIKeyValidationService.Client(proto)
    transport.open()
    out = {"session_is_authenticated": logged_in, "calls": []}
    for token in (env["T_TOKEN"], "no-such-token"):
        dto = client.validateKey(env["T_CONTEXT"], env["T_VERSION"], token, session, "Any",
                                 "", "/wire", "GET")
        out["calls"].append({"authorized": dto.authorized, "status": dto.validationStatus,
                             "consumerKey": dto.consumerKey, "type": dto.type,
                             "applicationName": dto.applicationName})
    templates = client.getAllURITemplates(env["T_CONTEXT"], env["T_VERSION"], session)
    out["templates"] = sorted([t.httpVerb, t.uriTemplate] for t in templates)
    hs = client.validateKeyforHandshake(env["T_CONTEXT"], env["T_VERSION"], env["T_TOKEN"], session)
    out["handshake"] = hs.authorized
    transport.close()
    print(json.dumps(out))
""")


class HubWireTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not harness.HUBS or not harness.HUB_HTTPS:
            raise unittest.SkipTest("no stack (TOLLGATE_HUBS unset)")
        cls.Tollgate, cls.T, cls.W = harness.thrift_modules()
        cls.key = harness.new_app_with_key()
        cls.api = cls.key["api"]
        cls.sid = harness.login("gateway", harness.gateway_password())

    def check_validate(self, client, what):
        dto = harness.validate_key(client, self.sid, self.api, self.key["token"], "/x")
        self.assertTrue(dto.authorized, "%s: %r" % (what, dto))
        self.assertEqual(dto.consumerKey, self.key["consumerKey"], what)
        bad = harness.validate_key(client, self.sid, self.api, "nope", "/x")
        self.assertEqual(bad.validationStatus, 900901, "%s: %r" % (what, bad))

    # ---------------------------------------------------------------- generated stand-alone client

    def test_standalone_generated_client(self):
        tmp = tempfile.mkdtemp(prefix="tg-wire-")
        try:
            idl = os.path.join(harness.ROOT, "thrift", "tollgate.thrift")
            gen = subprocess.run(["thrift", "-r", "--gen", "py", "-out", tmp, idl],
                                 capture_output=True, text=True, timeout=60)
            self.assertEqual(gen.returncode, 0, gen.stderr)
            self.assertTrue(os.path.exists(os.path.join(tmp, "wso2", "APIKeyValidationService.py")))
            script = os.path.join(tmp, "client.py")
            with open(script, "w") as f:
                f.write(CLIENT)
            host, port = harness.HUBS[0].rsplit(":", 1)
            env = {"PATH": "/usr/bin:/bin", "T_CA": harness.CA,
                   "T_AUTH_URL": harness.HUB_HTTPS[0].rstrip("/") + "/thriftAuthenticator",
                   "T_USER": "gateway", "T_PASSWORD": harness.gateway_password(),
                   "T_HOST": host, "T_PORT": port, "T_TOKEN": self.key["token"],
                   "T_CONTEXT": self.api["context"], "T_VERSION": self.api["version"]}
            proc = subprocess.run(["/usr/bin/python3", script, tmp], env=env,
                                  capture_output=True, text=True, timeout=60)
            self.assertEqual(proc.returncode, 0, "client failed:\n%s%s" % (proc.stdout, proc.stderr))
            out = json.loads(proc.stdout.strip().splitlines()[-1])
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        self.assertTrue(out["session_is_authenticated"])
        good, unknown = out["calls"]
        self.assertTrue(good["authorized"], out)
        self.assertEqual(good["consumerKey"], self.key["consumerKey"])
        self.assertEqual(good["type"], "PRODUCTION")
        self.assertEqual(good["applicationName"], self.key["app"]["name"])
        self.assertFalse(unknown["authorized"], out)
        self.assertEqual(unknown["status"], 900901)
        self.assertIn(["GET", "/*"], out["templates"])
        self.assertTrue(out["handshake"])

    # ---------------------------------------------------------------- encodings on one port

    def test_strict_binary_unframed(self):
        client, transport = harness.thrift_client(0, protocol="binary", framed=False)
        try:
            self.check_validate(client, "binary unframed")
        finally:
            transport.close()

    def test_framed_binary_same_port(self):
        client, transport = harness.thrift_client(0, protocol="binary", framed=True)
        try:
            self.check_validate(client, "binary framed")
        finally:
            transport.close()

    def test_compact_same_port(self):
        client, transport = harness.thrift_client(0, protocol="compact", framed=False)
        try:
            self.check_validate(client, "compact unframed")
        finally:
            transport.close()

    def test_framed_compact_same_port(self):
        client, transport = harness.thrift_client(0, protocol="compact", framed=True)
        try:
            self.check_validate(client, "compact framed")
        finally:
            transport.close()

    def test_four_encodings_interleaved_on_every_hub(self):
        """Persistent connections of every kind open at once, calls interleaved:
        each connection keeps its own protocol."""
        for hub in range(len(harness.HUBS)):
            conns = [harness.thrift_client(hub, protocol=p, framed=f)
                     for p in ("binary", "compact") for f in (False, True)]
            try:
                for round_ in range(3):
                    for i, (client, _) in enumerate(conns):
                        self.check_validate(client, "hub %d conn %d round %d" % (hub + 1, i, round_))
            finally:
                for _, transport in conns:
                    transport.close()

    # ---------------------------------------------------------------- message level

    def raw_call(self, proto, name, seqid, args):
        from thrift.Thrift import TMessageType
        proto.writeMessageBegin(name, TMessageType.CALL, seqid)
        args.write(proto)
        proto.writeMessageEnd()
        proto.trans.flush()
        return proto.readMessageBegin()

    def test_sequence_ids_echoed(self):
        from thrift.Thrift import TMessageType
        from wso2 import APIKeyValidationService as S
        for protocol in ("binary", "compact"):
            client, transport = harness.thrift_client(0, protocol=protocol)
            proto = client._iprot
            try:
                for seqid in (7, 8, 123456789, -5):
                    args = S.validateKey_args(self.api["context"], self.api["version"],
                                              self.key["token"], self.sid, "Any", "", "/x", "GET")
                    name, mtype, got = self.raw_call(proto, "validateKey", seqid, args)
                    result = S.validateKey_result()
                    result.read(proto)
                    proto.readMessageEnd()
                    self.assertEqual((name, mtype, got), ("validateKey", TMessageType.REPLY, seqid),
                                     protocol)
                    self.assertTrue(result.success.authorized, result)
            finally:
                transport.close()

    def test_pipelined_calls_answered_in_order(self):
        """Calls written back to back before any answer is read, some answered from the
        cache on the hub's event loop and some (a token never seen, getAllURITemplates)
        on a worker: every answer comes back, in order, with its own sequence id."""
        from thrift.Thrift import TMessageType
        from wso2 import APIKeyValidationService as S
        for protocol, framed in (("binary", False), ("compact", True)):
            fresh = harness.new_app_with_key(api=self.api)   # not in any cache yet
            ctx, ver = self.api["context"], self.api["version"]
            calls = [
                ("validateKey", S.validateKey_args(ctx, ver, self.key["token"], self.sid, "Any",
                                                   "", "/x", "GET"), S.validateKey_result),
                ("validateKey", S.validateKey_args(ctx, ver, fresh["token"], self.sid, "Any",
                                                   "", "/x", "GET"), S.validateKey_result),
                ("getAllURITemplates", S.getAllURITemplates_args(ctx, ver, self.sid),
                 S.getAllURITemplates_result),
                ("validateKey", S.validateKey_args(ctx, ver, "nope", self.sid, "Any", "", "/x",
                                                   "GET"), S.validateKey_result),
                ("validateKeyforHandshake",
                 S.validateKeyforHandshake_args(ctx, ver, fresh["token"], self.sid),
                 S.validateKeyforHandshake_result),
            ]
            warm, warm_transport = harness.thrift_client(0)
            try:   # the first call's token is then in the hub's cache
                harness.validate_key(warm, self.sid, self.api, self.key["token"], "/x")
            finally:
                warm_transport.close()
            client, transport = harness.thrift_client(0, protocol=protocol, framed=framed)
            proto = client._iprot
            try:
                for seqid, (name, args, _) in enumerate(calls, start=100):
                    proto.writeMessageBegin(name, TMessageType.CALL, seqid)
                    args.write(proto)
                    proto.writeMessageEnd()
                    if framed:
                        proto.trans.flush()   # one frame per call
                if not framed:
                    proto.trans.flush()       # every call in one write
                results = []
                for seqid, (name, _, result_type) in enumerate(calls, start=100):
                    got = proto.readMessageBegin()
                    self.assertEqual(got, (name, TMessageType.REPLY, seqid), protocol)
                    result = result_type()
                    result.read(proto)
                    proto.readMessageEnd()
                    results.append(result.success)
            finally:
                transport.close()
            cached, new, templates, unknown, handshake = results
            self.assertTrue(cached.authorized, (protocol, cached))
            self.assertTrue(new.authorized, (protocol, new))
            self.assertEqual(new.consumerKey, fresh["consumerKey"], protocol)
            self.assertIn("/*", [t.uriTemplate for t in templates], protocol)
            self.assertEqual(unknown.validationStatus, 900901, protocol)
            self.assertTrue(handshake.authorized, (protocol, handshake))

    def test_waiting_call_holds_no_other_connection(self):
        """A call that waits on the hub (a third failed login in a row is held back about
        1 s) runs on a worker: validations on other connections go on meanwhile. Four
        of them, so that one shares the event-loop thread of the waiting connection."""
        import threading
        user = harness.unique("slow")
        slow, slow_transport = harness.thrift_client(0, timeout=30)
        fast = [harness.thrift_client(0) for _ in range(4)]
        try:
            for _ in range(2):
                with self.assertRaises(self.W.AuthenticationException):
                    slow.authenticate(user, "wrong")
            done = {}

            def third_failure():
                try:
                    slow.authenticate(user, "wrong")
                except self.W.AuthenticationException:
                    done["at"] = time.monotonic()

            waiter = threading.Thread(target=third_failure)
            waiter.start()
            answered = []
            while waiter.is_alive() and len(answered) < 12:
                client, _ = fast[len(answered) % len(fast)]
                self.check_validate(client, "while a login is held back")
                answered.append(time.monotonic())
            waiter.join(30)
        finally:
            slow_transport.close()
            for _, transport in fast:
                transport.close()
        self.assertIn("at", done, "the held-back login never answered")
        before = [t for t in answered if t < done["at"]]
        self.assertEqual(len(before), 12, "validations answered while the login waited: %d of %d"
                         % (len(before), len(answered)))

    def calls_by_thread(self):
        """tollgate_hub_thrift_calls_total of hub 1 by thread (published every 0.5 s)."""
        import re
        time.sleep(1.2)
        status, _, body = harness.http("GET", harness.HUB_HTTPS[0].rstrip("/") + "/metrics",
                                       headers={"Authorization": "Bearer " + harness.login()})
        self.assertEqual(status, 200)
        found = dict(re.findall(r'tollgate_hub_thrift_calls_total\{thread="(\w+)"\} (\d+)',
                                body.decode() if isinstance(body, bytes) else body))
        return {k: int(v) for k, v in found.items()}

    def test_cached_calls_go_back_to_the_event_loop(self):
        """After a call that needed the database (a token the hub has not seen), the worker
        that ran it gives the connection back as soon as the cache answers again: the next
        calls, sent back to back, are answered on the event loop. (A worker used to keep
        a busy connection for good after one cache miss.)"""
        fresh = harness.new_app_with_key(api=self.api)
        client, transport = harness.thrift_client(0)
        try:
            before = self.calls_by_thread()
            dto = harness.validate_key(client, self.sid, self.api, fresh["token"], "/x")
            self.assertTrue(dto.authorized, dto)
            for _ in range(50):
                self.assertTrue(harness.validate_key(client, self.sid, self.api, fresh["token"],
                                                     "/x").authorized)
            after = self.calls_by_thread()
        finally:
            transport.close()
        on_loop = after.get("loop", 0) - before.get("loop", 0)
        on_worker = after.get("worker", 0) - before.get("worker", 0)
        # other clients (the gateways' polls and usage) may add a few worker calls
        self.assertGreaterEqual(on_loop, 40, (before, after))
        self.assertLess(on_worker, 25, (before, after))

    def test_cached_answers_byte_identical_to_first_answers(self):
        """The hub answers a cached validateKey on a fast path of its own (arguments read
        in place, the DTO's encoding kept with the cache entry); its reply must be the one
        the generated processor wrote for the same call when it was not cached, byte for
        byte: authorized, no such resource (900906), missing scope (900910), client domain
        refused, unknown token (900901)."""
        api = harness.new_api(resources=[("GET", "/items/{id}"),
                                         ("POST", "/items", "Any", None, "write")],
                              auth_type="Any")
        cases = [("authorized", "GET", "/items/1", "shop.example"),
                 ("no such resource", "DELETE", "/items/1", "shop.example"),
                 ("scope missing", "POST", "/items", "shop.example"),
                 ("domain refused", "GET", "/items/1", "evil.example")]
        calls = []
        for what, verb, resource, domain in cases:
            key = harness.new_app_with_key(api=api, allowedDomains=["shop.example"])
            calls.append((what, key["token"], verb, resource, domain))
        calls.append(("unknown token", "nope" + harness.unique("t"), "GET", "/items/1", ""))
        statuses = {}
        with harness.tls_socket(0) as sock:
            for what, token, verb, resource, domain in calls:
                args = [api["context"], api["version"], token, self.sid, "Any", domain,
                        resource, verb]
                body = b"".join(harness.binary_string_field(i + 1, v)
                                for i, v in enumerate(args)) + b"\x00"
                call = harness.binary_message("validateKey", 41, body)
                first, dto = self.raw_reply(sock, call)
                again, _ = self.raw_reply(sock, call)
                self.assertEqual(again, first, what)
                statuses[what] = (dto.authorized, dto.validationStatus)
        self.assertEqual(statuses, {"authorized": (True, None),
                                    "no such resource": (False, 900906),
                                    "scope missing": (False, 900910),
                                    "domain refused": (False, statuses["domain refused"][1]),
                                    "unknown token": (False, 900901)})
        self.assertTrue(statuses["domain refused"][1])

    def raw_reply(self, sock, call):
        """Writes call's bytes and reads one whole reply: (its bytes, the decoded DTO)."""
        from thrift.protocol import TBinaryProtocol
        from wso2 import APIKeyValidationService as S

        class Recorder:
            def __init__(self):
                self.data = bytearray()

            def read(self, n):
                chunk = bytearray()
                while len(chunk) < n:
                    part = sock.recv(n - len(chunk))
                    if not part:
                        raise EOFError("the hub closed the connection")
                    chunk += part
                self.data += chunk
                return bytes(chunk)

            def readAll(self, n):
                return self.read(n)

        sock.sendall(call)
        rec = Recorder()
        proto = TBinaryProtocol.TBinaryProtocol(rec)
        name, _, seqid = proto.readMessageBegin()
        result = S.validateKey_result()
        result.read(proto)
        proto.readMessageEnd()
        self.assertEqual((name, seqid), ("validateKey", 41))
        self.assertIsNotNone(result.success, result)
        return bytes(rec.data), result.success

    def test_unknown_method_gets_application_exception(self):
        from thrift.Thrift import TApplicationException, TMessageType
        from wso2 import APIKeyValidationService as S
        client, transport = harness.thrift_client(0, timeout=5)
        proto = client._iprot
        try:
            args = S.validateKey_args(self.api["context"], self.api["version"], self.key["token"],
                                      self.sid, "Any", "", "/x", "GET")
            try:
                name, mtype, seqid = self.raw_call(proto, "noSuchMethod", 42, args)
            except Exception as e:  # noqa: BLE001
                self.fail("no answer to an unknown method within 5 s: %r" % e)
            self.assertEqual(mtype, TMessageType.EXCEPTION)
            self.assertEqual(seqid, 42)
            exc = TApplicationException()
            exc.read(proto)
            proto.readMessageEnd()
            self.assertEqual(exc.type, TApplicationException.UNKNOWN_METHOD, exc.message)
        finally:
            transport.close()
        client, transport = harness.thrift_client(0)
        try:
            self.check_validate(client, "after an unknown method")
        finally:
            transport.close()

    # ---------------------------------------------------------------- /thriftAuthenticator

    def test_authenticator_over_https_compact(self):
        for hub in range(len(harness.HUB_HTTPS)):
            client, transport = harness.authenticator_client(hub)
            try:
                sid = client.authenticate("admin", harness.ADMIN_PASSWORD)
                self.assertTrue(sid)
                self.assertTrue(client.isAuthenticated(sid))
                with self.assertRaises(self.W.AuthenticationException):
                    client.authenticate("admin", harness.ADMIN_PASSWORD + "x")
                client.logout(sid)
                self.assertFalse(client.isAuthenticated(sid))
                self.assertFalse(client.isAuthenticated("garbage"))
            finally:
                transport.close()

    def test_authenticator_rejects_non_post_and_junk(self):
        url = harness.HUB_HTTPS[0].rstrip("/") + "/thriftAuthenticator"
        status, _, _ = harness.http("GET", url)
        self.assertIn(status, (400, 404, 405), "GET /thriftAuthenticator")
        status, _, body = harness.http("POST", url, headers={"Content-Type": "application/x-thrift"},
                                       body=b"\xff\xfe junk that is not compact thrift")
        # a clear answer: an HTTP error, or a compact-protocol TApplicationException
        self.assertTrue(status >= 400 or body[:2] == b"\x82\x61",
                        "junk body answered %d %r" % (status, body[:60]))
        # and the endpoint still works
        self.assertTrue(harness.login())


if __name__ == "__main__":
    unittest.main()
