"""Hostile clients of the hub: password guessing, login floods, and abuse of the
Thrift port's connections (too many from one address, a handshake and then
silence, calls piled up unread, a long message trickled in), plus /metrics
without credentials. After each attack the stack still serves
(HostileCase.assertStillServing) and every daemon keeps its pid.

Limits that take minutes at their defaults are tried against a hub of the
test's own (the stack's hub1.conf with port_offset 73 and small limits, the
same database). Attacks that must not count against 127.0.0.1 (the address
every other test logs in from) come from other loopback addresses
(127.0.N.M: Linux routes all of 127/8 to lo).
"""
import base64
import os
import re
import secrets
import selectors
import socket
import ssl
import struct
import subprocess
import threading
import time
import urllib.parse
import uuid

import harness
import hostile

OFFSET = 73
LIMITS = {
    "thrift_workers": 8,
    "login_workers": 2,
    "login_failure_delay_ms": 100,
    "login_failure_delay_max_ms": 400,
    "login_max_failures": 3,
    "login_max_failures_per_address": 8,
    "login_lockout": 60,
    "max_connections_per_peer": 16,
    "first_call_timeout": 2,
    "max_pipelined_calls": 4,
    "metrics_token": "hub-guard-metrics-token-0123",
}


def validate_result():
    harness.thrift_modules()
    from wso2 import APIKeyValidationService  # noqa: E402  (generated)
    return APIKeyValidationService.validateKey_result


def binary_authenticate(user, password, seqid=1):
    body = harness.binary_string_field(1, user) + harness.binary_string_field(2, password)
    return harness.binary_message("authenticate", seqid, body + b"\x00")


def tls_from(hostport, source=None, timeout=10):
    """A TLS socket (handshake done) to HOST:PORT from loopback address source."""
    host, _, port = hostport.rpartition(":")
    raw = socket.create_connection((host, int(port)), timeout=timeout,
                                   source_address=(source, 0) if source else None)
    try:
        return harness.ssl_context().wrap_socket(raw, server_hostname=host)
    except Exception:
        raw.close()
        raise


def read_reply(sock, result_type, timeout=10):
    """(message type, result struct) of one strict-binary reply read from sock."""
    from thrift.protocol import TBinaryProtocol
    from thrift.transport import TTransport
    sock.settimeout(timeout)
    data = b""
    while True:
        if data:
            try:
                proto = TBinaryProtocol.TBinaryProtocol(TTransport.TMemoryBuffer(data))
                _, mtype, _ = proto.readMessageBegin()
                result = result_type() if mtype == 2 else None
                if result is not None:
                    result.read(proto)
                proto.readMessageEnd()
                return mtype, result
            except (EOFError, TTransport.TTransportException, struct.error):
                pass
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed after %d bytes" % len(data))
        data += chunk


def login_from(hostport, source, user, password):
    """'ok', 'denied' or 'locked' for one Thrift authenticate from source, and its seconds."""
    Tollgate, _, _ = harness.thrift_modules()
    start = time.monotonic()
    with tls_from(hostport, source) as sock:
        sock.sendall(binary_authenticate(user, password))
        mtype, result = read_reply(sock, Tollgate.authenticate_result)
    took = time.monotonic() - start
    if mtype != 2:
        return "exception %d" % mtype, took
    if result.success is not None:
        return "ok", took
    message = result.authentication_exception.message
    return ("locked" if "too many" in message else "denied"), took


def hub_cpu_ticks(pid):
    """utime + stime of pid in clock ticks (/proc/PID/stat fields 14 and 15)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def https_request(url, method="GET", headers=None, body=None, source=None, timeout=10):
    """(status, body) of one HTTPS request, from a loopback source address."""
    import http.client
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout,
                                       context=harness.ssl_context(),
                                       source_address=(source, 0) if source else None)
    try:
        conn.request(method, parts.path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


class PrivateHub:
    """A hub of the test's own, next to the stack's (as test_hub_drain's)."""

    def __init__(self):
        binary = harness.binary("tollgate-keyvalidator")
        self.conf_path = os.path.join(harness.VAR, "conf", "hub-guard.conf")
        conf = harness.conf_with(os.path.join(harness.VAR, "conf", "hub1.conf"), "hub",
                                 dict(LIMITS, port_offset=OFFSET), self.conf_path)
        thrift = int(re.search(r"(?m)^thrift_port = (\d+)$", conf).group(1))
        https = int(re.search(r"(?m)^https_port = (\d+)$", conf).group(1))
        self.log = open(os.path.join(harness.VAR, "log", "hub-guard.log"), "ab")
        self.proc = subprocess.Popen([binary, "--config", self.conf_path],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.thrift = "127.0.0.1:%d" % (thrift + OFFSET)
        self.https = "https://127.0.0.1:%d" % (https + OFFSET)
        harness.wait_until(self.answers, timeout=30, message="the private hub answers")

    def answers(self):
        if self.proc.poll() is not None:
            raise AssertionError("the private hub exited: %s" % self.proc.returncode)
        status, _ = https_request(self.https + "/health", timeout=2)
        return status == 200

    def metrics(self):
        status, body = https_request(self.https + "/metrics", headers={
            "Authorization": "Bearer " + LIMITS["metrics_token"]})
        assert status == 200, status
        return body.decode()

    def metric(self, name, labels=""):
        m = re.search(r"(?m)^%s%s (\S+)$" % (re.escape(name), re.escape(labels)), self.metrics())
        return float(m.group(1)) if m else 0.0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        os.unlink(self.conf_path)


class HubGuardTest(hostile.HostileCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hub = PrivateHub()
        cls.gw_sid = harness.login("gateway", harness.gateway_password())

    @classmethod
    def tearDownClass(cls):
        cls.hub.stop()

    def validate_on(self, sock, token, seqid=1):
        sock.sendall(harness.binary_validate_key_call(self.api, token, self.gw_sid, seqid=seqid))
        mtype, result = read_reply(sock, validate_result())
        self.assertEqual(mtype, 2)
        return result.success

    # ---- password guessing ----

    def test_name_with_blanks_is_refused_not_looked_up(self):
        """'admin ' equals 'admin' under MariaDB's PAD SPACE collation: it logged in."""
        from thrift.Thrift import TException
        for name in ("admin ", " admin", "admin\t", "\tadmin", "admin\n", "\vadmin"):
            with self.assertRaises(TException, msg=repr(name)):
                harness.login(name, harness.ADMIN_PASSWORD)
        status, _ = https_request(
            harness.HUB_HTTPS[0].rstrip("/") + "/token", method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Authorization": "Basic " + base64.b64encode(
                         ("%s:%s" % (self.key["consumerKey"], self.key["consumerSecret"]))
                         .encode()).decode()},
            body=urllib.parse.urlencode({"grant_type": "password", "username": "admin ",
                                         "password": harness.ADMIN_PASSWORD}),
            source="127.0.3.1")
        self.assertEqual(status, 400)
        self.assertTrue(harness.login())
        self.assertStillServing()

    def test_unknown_user_costs_one_kdf(self):
        """A failed login of an unknown user took two KDFs (hash a dummy, then check
        against it), a known user's one: the difference told who exists."""
        users = [harness.new_user() for _ in range(3)]
        known, unknown = [], []
        for i, user in enumerate(users):
            outcome, took = login_from(harness.HUBS[0], "127.0.4.%d" % (i + 1), user["name"],
                                       "wrong")
            self.assertEqual(outcome, "denied")
            known.append(took)
            outcome, took = login_from(harness.HUBS[0], "127.0.4.%d" % (i + 101),
                                       harness.unique("ghost"), "wrong")
            self.assertEqual(outcome, "denied")
            unknown.append(took)
        start = time.monotonic()
        self.assertTrue(harness.login(users[0]["name"], users[0]["password"]))
        kdf = time.monotonic() - start
        self.assertLess(min(unknown), min(known) + kdf / 2,
                        "unknown %r known %r one good login %.3f" % (unknown, known, kdf))
        self.assertStillServing()

    def test_user_locked_after_failures_whatever_the_path(self):
        """Thrift authenticate, /thriftAuthenticator and the /token password grant count
        into one limiter: past login_max_failures the right password is refused too."""
        user = harness.new_user()
        self.assertEqual(login_from(self.hub.thrift, "127.0.5.1", user["name"], "wrong")[0],
                         "denied")
        status, _ = self.password_grant(user["name"], "wrong", "127.0.5.2")
        self.assertEqual(status, 400)
        status, _ = self.thrift_authenticator(user["name"], "wrong", "127.0.5.3")
        self.assertEqual(status, "denied")
        # three failures: locked, even with the right password, from anywhere, on every path
        self.assertEqual(login_from(self.hub.thrift, "127.0.5.4", user["name"],
                                    user["password"])[0], "locked")
        status, body = self.password_grant(user["name"], user["password"], "127.0.5.5")
        self.assertEqual(status, 429, body)
        self.assertEqual(self.thrift_authenticator(user["name"], user["password"],
                                                   "127.0.5.6")[0], "locked")
        # another user is not locked (the cool-down is test_login_limiter's)
        other = harness.new_user()
        self.assertEqual(login_from(self.hub.thrift, "127.0.5.7", other["name"],
                                    other["password"])[0], "ok")
        self.assertStillServing()

    def test_address_locked_across_names_with_growing_delay(self):
        source = "127.0.6.1"
        took = []
        for i in range(LIMITS["login_max_failures_per_address"]):
            outcome, t = login_from(self.hub.thrift, source, harness.unique("guess"), "x")
            self.assertEqual(outcome, "denied")
            took.append(t)
        self.assertGreater(took[-1], 0.18, "no delay grew with the address's failures: %r" % took)
        # locked for every name from that address, answered at once (no KDF, no delay)
        outcome, t = login_from(self.hub.thrift, source, "admin", harness.ADMIN_PASSWORD)
        self.assertEqual(outcome, "locked")
        self.assertLess(t, 1.0)
        # another address is not
        self.assertEqual(login_from(self.hub.thrift, "127.0.6.2", "admin",
                                    harness.ADMIN_PASSWORD)[0], "ok")
        self.assertStillServing()

    def password_grant(self, user, password, source):
        auth = base64.b64encode(("%s:%s" % (self.key["consumerKey"],
                                            self.key["consumerSecret"])).encode()).decode()
        return https_request(self.hub.https + "/token", method="POST", source=source, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": "Basic " + auth},
            body=urllib.parse.urlencode({"grant_type": "password", "username": user,
                                         "password": password}))

    def thrift_authenticator(self, user, password, source):
        """One compact authenticate over /thriftAuthenticator from source."""
        from thrift.protocol import TCompactProtocol
        from thrift.transport import TTransport
        Tollgate, _, _ = harness.thrift_modules()
        out = TTransport.TMemoryBuffer()
        proto = TCompactProtocol.TCompactProtocol(out)
        proto.writeMessageBegin("authenticate", 1, 7)
        args = Tollgate.authenticate_args(userName=user, password=password)
        args.write(proto)
        proto.writeMessageEnd()
        status, body = https_request(self.hub.https + "/thriftAuthenticator", method="POST",
                                     source=source, body=out.getvalue(),
                                     headers={"Content-Type": "application/x-thrift"})
        self.assertEqual(status, 200)
        proto = TCompactProtocol.TCompactProtocol(TTransport.TMemoryBuffer(body))
        proto.readMessageBegin()
        result = Tollgate.authenticate_result()
        result.read(proto)
        if result.success is not None:
            return "ok", body
        message = result.authentication_exception.message
        return ("locked" if "too many" in message else "denied"), body

    # ---- no starvation ----

    def test_login_flood_starves_nothing(self):
        """128 connections (8 addresses) send bad logins as fast as they can: /health,
        /token (client credentials), a cached validateKey keep their latency, an
        uncached validateKey is answered within 1 s, and a good login from another
        address goes ahead of the queued guesses. (Before, every failed login slept in
        one of the workers validations need.)"""
        stop = threading.Event()
        sent = [0]

        def flood():
            sel = selectors.DefaultSelector()
            socks = []
            for a in range(8):
                for _ in range(16):
                    try:
                        s = tls_from(self.hub.thrift, "127.0.7.%d" % (a + 1))
                    except OSError:
                        continue
                    s.setblocking(False)
                    socks.append(s)
                    sel.register(s, selectors.EVENT_READ)
                    for k in range(4):
                        s.send(binary_authenticate(uuid.uuid4().hex[:12], "bad", k))
                        sent[0] += 1
            while not stop.is_set():
                for key, _ in sel.select(0.1):
                    try:
                        if key.fileobj.recv(65536):
                            key.fileobj.send(binary_authenticate(uuid.uuid4().hex[:12], "bad"))
                            sent[0] += 1
                    except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
                        pass
                    except OSError:
                        sel.unregister(key.fileobj)
            for s in socks:
                s.close()

        def timings():
            out = {"health": [], "token": [], "cached": [], "uncached": []}
            auth = base64.b64encode(("%s:%s" % (self.key["consumerKey"],
                                                self.key["consumerSecret"])).encode()).decode()
            with tls_from(self.hub.thrift) as sock:
                self.assertTrue(self.validate_on(sock, self.key["token"]).authorized)
                for i in range(8):
                    t = time.monotonic()
                    self.assertEqual(https_request(self.hub.https + "/health")[0], 200)
                    out["health"].append(time.monotonic() - t)
                    t = time.monotonic()
                    status, body = https_request(
                        self.hub.https + "/token", method="POST",
                        headers={"Content-Type": "application/x-www-form-urlencoded",
                                 "Authorization": "Basic " + auth},
                        body="grant_type=client_credentials")
                    self.assertEqual(status, 200, body)
                    out["token"].append(time.monotonic() - t)
                    t = time.monotonic()
                    self.assertTrue(self.validate_on(sock, self.key["token"], i + 2).authorized)
                    out["cached"].append(time.monotonic() - t)
                    t = time.monotonic()
                    self.assertFalse(self.validate_on(sock, secrets.token_hex(16), i + 100)
                                     .authorized)
                    out["uncached"].append(time.monotonic() - t)
            return {k: sorted(v) for k, v in out.items()}

        before = timings()
        _, base_login = login_from(self.hub.thrift, "127.0.7.99", "admin", harness.ADMIN_PASSWORD)
        attacker = threading.Thread(target=flood)
        attacker.start()
        try:
            time.sleep(2)
            during = timings()
            outcome, good_login = login_from(self.hub.thrift, "127.0.7.100", "admin",
                                             harness.ADMIN_PASSWORD)
        finally:
            stop.set()
            attacker.join(30)
        self.assertGreater(sent[0], 128, "the flood did not run")
        median = lambda v: v[len(v) // 2]  # noqa: E731
        for what in ("health", "token", "cached"):
            self.assertLess(median(during[what]), max(5 * median(before[what]), 0.25),
                            "%s: before %r during %r" % (what, before[what], during[what]))
        self.assertLess(max(during["uncached"]), 1.0, repr(during["uncached"]))
        self.assertEqual(outcome, "ok")
        self.assertLess(good_login, max(3.0, 8 * base_login),
                        "a good login waited behind the guesses (%.2f s alone)" % base_login)
        self.assertStillServing()
        # the guesses already queued (at most login_max_failures_per_address KDFs per
        # address) are worked off before the next test logs in
        harness.wait_until(lambda: login_from(self.hub.thrift, "127.0.7.200", "admin",
                                              harness.ADMIN_PASSWORD)[1] < 1, timeout=120,
                           interval=1, message="the login pool catches up")

    # ---- Thrift port limits ----

    def test_connections_per_peer_capped(self):
        cap = LIMITS["max_connections_per_peer"]
        held = [tls_from(self.hub.thrift, "127.0.8.1") for _ in range(cap)]
        try:
            refused_before = self.hub.metric("tollgate_hub_thrift_refused_total",
                                             '{reason="max_connections_per_peer"}')
            with self.assertRaises((OSError, ssl.SSLError, ConnectionError)):
                extra = tls_from(self.hub.thrift, "127.0.8.1", timeout=5)
                try:  # a TLS 1.3 handshake may end before the server closes: call once
                    self.validate_on(extra, self.key["token"])
                finally:
                    extra.close()
            self.assertGreater(self.hub.metric("tollgate_hub_thrift_refused_total",
                                               '{reason="max_connections_per_peer"}'),
                               refused_before)
            # another address is not affected, and the held ones still work
            with tls_from(self.hub.thrift, "127.0.8.2") as other:
                self.assertTrue(self.validate_on(other, self.key["token"]).authorized)
            self.assertTrue(self.validate_on(held[0], self.key["token"]).authorized)
        finally:
            for s in held:
                s.close()
        harness.wait_until(lambda: self.connects_from("127.0.8.1"), timeout=5,
                           message="a freed slot is usable again")
        self.assertStillServing()

    def connects_from(self, source):
        try:
            with tls_from(self.hub.thrift, source, timeout=3) as s:
                return self.validate_on(s, self.key["token"], 9).authorized
        except (OSError, ssl.SSLError, ConnectionError):
            return False

    def test_handshake_then_silence_is_cut_at_first_call_timeout(self):
        """A TLS handshake and then nothing, or one byte at a time, held a connection until
        idle_timeout (300 s) or io_timeout per message."""
        limit = LIMITS["first_call_timeout"]
        for trickle in (False, True):
            with tls_from(self.hub.thrift, "127.0.9.1") as sock:
                start = time.monotonic()
                call = harness.binary_validate_key_call(self.api, self.key["token"], self.gw_sid)
                sock.settimeout(0.3)
                closed = None
                while time.monotonic() - start < limit + 4:
                    if trickle and call:
                        sock.send(call[:1])
                        call = call[1:] if len(call) > 40 else call  # never completes
                    try:
                        if sock.recv(1) == b"":
                            closed = time.monotonic() - start
                            break
                    except socket.timeout:
                        continue
                    except (OSError, ssl.SSLError):
                        closed = time.monotonic() - start
                        break
                self.assertIsNotNone(closed, "still open after %d s (trickle=%s)"
                                     % (limit + 4, trickle))
                self.assertGreaterEqual(closed, limit - 0.5)
        self.assertStillServing()

    def test_unread_answers_stop_reading(self):
        """200 validateKey calls sent at once by a client that does not read: the hub runs
        max_pipelined_calls of them, then waits for the client to read; every answer
        arrives in order once it does."""
        paused_before = self.hub.metric("tollgate_hub_thrift_paused_total")
        n = 200
        with tls_from(self.hub.thrift, "127.0.10.1") as sock:
            sock.sendall(b"".join(
                harness.binary_validate_key_call(self.api, self.key["token"], self.gw_sid,
                                                 seqid=i + 1) for i in range(n)))
            time.sleep(1)
            self.assertGreater(self.hub.metric("tollgate_hub_thrift_paused_total"),
                               paused_before, "the hub never stopped at max_pipelined_calls")
            Tollgate, _, _ = harness.thrift_modules()
            from thrift.protocol import TBinaryProtocol
            from thrift.transport import TTransport
            sock.settimeout(10)
            data = b""
            seqids = []
            while len(seqids) < n:
                chunk = sock.recv(1 << 16)
                self.assertTrue(chunk, "closed after %d answers" % len(seqids))
                data += chunk
                while True:
                    buf = TTransport.TMemoryBuffer(data)
                    proto = TBinaryProtocol.TBinaryProtocol(buf)
                    try:
                        _, _, seqid = proto.readMessageBegin()
                        result = validate_result()()
                        result.read(proto)
                        proto.readMessageEnd()
                    except (EOFError, TTransport.TTransportException, struct.error):
                        break
                    self.assertTrue(result.success.authorized)
                    seqids.append(seqid)
                    data = data[buf._buffer.tell():]
        self.assertEqual(seqids, list(range(1, n + 1)))
        self.assertStillServing()

    def big_call(self, seqid):
        """A ~1 MiB call of a method the hub does not have: 25 lists of 10,000 i32."""
        body = struct.pack(">bhbi", 15, 1, 15, 25)
        for _ in range(25):
            body += struct.pack(">bi", 8, 10000) + b"\x00\x00\x00\x01" * 10000
        return harness.binary_message("hubGuardTrickle", seqid, body + b"\x00")

    def send_big(self, chunk):
        """Hub CPU ticks spent on one big call sent in pieces of chunk bytes (0: at once),
        after a first small call (first_call_timeout)."""
        msg = self.big_call(2)
        with tls_from(self.hub.thrift, "127.0.11.1", timeout=60) as sock:
            self.assertTrue(self.validate_on(sock, self.key["token"]).authorized)
            ticks = hub_cpu_ticks(self.hub.proc.pid)
            if chunk == 0:
                sock.sendall(msg)
            else:
                for i in range(0, len(msg), chunk):
                    sock.sendall(msg[i:i + chunk])
            sock.settimeout(60)
            answer = sock.recv(4096)
            self.assertTrue(answer, "the hub closed the connection")
            self.assertIn(b"hubGuardTrickle", answer)  # TApplicationException UNKNOWN_METHOD
            return hub_cpu_ticks(self.hub.proc.pid) - ticks

    def test_trickled_message_costs_no_more_than_whole(self):
        """A 1 MiB message sent 256 bytes at a time was scanned again from byte 0 at every
        arrival (4,000 scans of up to 250,000 values): cut by io_timeout, or seconds of
        CPU. Now it costs about what the same message sent at once does."""
        whole = min(self.send_big(0) for _ in range(3))
        trickled = self.send_big(256)
        self.assertLess(trickled, 4 * whole + 50,
                        "hub CPU ticks: whole %d, trickled %d" % (whole, trickled))
        self.assertStillServing()

    # ---- /metrics ----

    def test_metrics_needs_admin_or_token(self):
        url = harness.HUB_HTTPS[0].rstrip("/") + "/metrics"
        self.assertEqual(harness.http("GET", url)[0], 401)
        for header in ("Bearer", "Bearer ", "Basic " + base64.b64encode(b"admin:x").decode(),
                       "Bearer " + harness.login("gateway", harness.gateway_password()),
                       "Bearer " + LIMITS["metrics_token"]):  # not configured on the stack
            self.assertEqual(harness.http("GET", url, headers={"Authorization": header})[0], 401,
                             header[:20])
        status, _, body = harness.http("GET", url, headers={
            "Authorization": "bearer " + harness.login()})
        self.assertEqual(status, 200)
        self.assertIn(b"tollgate_hub_thrift_connections", body)
        # the token where one is configured; one byte off is not it
        self.assertIn("tollgate_hub_logins_total", self.hub.metrics())
        status, _ = https_request(self.hub.https + "/metrics", headers={
            "Authorization": "Bearer " + LIMITS["metrics_token"][:-1] + "4"})
        self.assertEqual(status, 401)
        self.assertStillServing()


if __name__ == "__main__":
    import unittest
    unittest.main()
