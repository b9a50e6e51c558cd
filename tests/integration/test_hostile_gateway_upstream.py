"""Hostile backends and the gateway's backend side: answers framed so that a
second reader could read them otherwise (two lengths, a list, a coding after
chunked, obs-fold, control bytes, more body than declared) are a 502 JSON
fault, or a closed client connection once the head went out, and the backend
connection is never used again; the bytes a backend gets never go beyond the
length the client's head declared.

The backend is a raw socket server in this process (hostile.ScriptedBackend,
as in test_gateway_backend.py): each test decides the exact bytes, and the server
numbers its connections so a test can see which one the next request came on.
After each case HostileCase.assertStillServing checks both gateways still
answer and no daemon restarted.
"""
import http.server
import os
import re
import socket
import ssl
import subprocess
import tempfile
import threading
import time

import harness
import hostile

# last path segment -> answer bytes (a list: sent with a 0.2 s pause between)
ANSWERS = {
    "cl-list": [b"HTTP/1.1 200 OK\r\nContent-Length: 5, 500\r\n\r\nhello"],
    "cl-differ": [b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 500\r\n\r\nhello"],
    "cl-split": [b"HTTP/1.1 200 OK\r\nContent-Le", b"ngth: 5", b", 500\r\n\r\nhello"],
    "cl-case": [b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\nCONTENT-LENGTH: 6\r\n\r\nhello!"],
    "te-tab-cl": [b"HTTP/1.1 200 OK\r\nTransfer-Encoding:\tChunked\r\ncontent-length: 5\r\n\r\n"
                  b"5\r\nhello\r\n0\r\n\r\n"],
    "cl-negative": [b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nhello"],
    "cl-hex": [b"HTTP/1.1 200 OK\r\nContent-Length: 0x5\r\n\r\nhello"],
    "cl-plus": [b"HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello"],
    "cl-te": [b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
              b"5\r\nhello\r\n0\r\n\r\n"],
    "te-cl": [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
              b"5\r\nhello\r\n0\r\n\r\n"],
    "te-gzip-last": [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nhello"],
    "te-identity": [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\nhello"],
    "te-space-colon": [b"HTTP/1.1 200 OK\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n"
                       b"hello"],
    "te-twice": [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
                 b"5\r\nhello\r\n0\r\n\r\n"],
    "obs-fold": [b"HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\nContent-Length: 5\r\n\r\nhello"],
    "bad-name": [b"HTTP/1.1 200 OK\r\nX(A): b\r\nContent-Length: 5\r\n\r\nhello"],
    "ctl-byte": [b"HTTP/1.1 200 OK\r\nX-A: b\x01c\r\nContent-Length: 5\r\n\r\nhello"],
    "nul-byte": [b"HTTP/1.1 200 OK\r\nX-A: b\x00c\r\nContent-Length: 5\r\n\r\nhello"],
    "bare-cr": [b"HTTP/1.1 200 OK\r\nX-A: b\rContent-Length: 500\r\nContent-Length: 5\r\n\r\nhello"],
    # more body than declared, all with the head: the smuggled answer must reach nobody
    "overlong": [b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                 b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\nX-Smuggled: yes\r\n\r\nsmuggled"],
    # ... and after the head went to the client: its connection is closed
    "overlong-late": [b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n",
                      b"okHTTP/1.1 200 OK\r\nContent-Length: 8\r\nX-Smuggled: yes\r\n\r\nsmuggled"],
    "chunk-overlong": [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                       b"2\r\nabcHTTP/1.1 200 OK\r\nContent-Length: 8\r\nX-Smuggled: yes\r\n\r\nsmuggled"],
    "after-last-chunk": [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                         b"2\r\nab\r\n0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 8\r\n"
                         b"X-Smuggled: yes\r\n\r\nsmuggled"],
    "chunk-size-0x": [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                      b"0x2\r\nab\r\n0\r\n\r\n"],
}
FRAMING_502 = ["cl-list", "cl-differ", "cl-split", "cl-case", "te-tab-cl", "cl-negative", "cl-hex", "cl-plus", "cl-te", "te-cl",
               "te-gzip-last", "te-identity", "te-space-colon", "te-twice", "obs-fold", "bad-name",
               "ctl-byte", "nul-byte", "bare-cr", "overlong"]
MIDSTREAM = ["overlong-late", "chunk-overlong", "after-last-chunk", "chunk-size-0x"]


class HostileBackend(hostile.ScriptedBackend):
    """Numbers connections; answers by the path's last segment (ANSWERS, else
    200 "ok" with X-Conn: the connection's number). Records each request's
    (connection, path, head, body); "early" answers before reading the body
    and then watches the connection for a second request."""

    def __init__(self):
        self.requests = []     # (conn number, path, head bytes, body bytes)
        self.conn_of = {}      # path segment -> the connection it last came on
        self.after_early = []  # bytes that came on a connection after an early answer
        super().__init__()

    @staticmethod
    def read_body(conn, head, buf):
        m = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
        if re.search(rb"(?im)^transfer-encoding:.*chunked", head):
            while not re.search(rb"(^|\r\n)0\r\n\r\n", buf):
                data = conn.recv(65536)
                if not data:
                    break
                buf += data
            end = buf.find(b"0\r\n\r\n")
            end = len(buf) if end < 0 else end + 5
            return buf[:end], buf[end:]
        n = int(m.group(1)) if m else 0
        while len(buf) < n:
            data = conn.recv(65536)
            if not data:
                break
            buf += data
        return buf[:n], buf[n:]

    def answer(self, conn, number):
        buf = b""
        while (request := self.read_head(conn, buf)) is not None:
            head, path, buf = request
            name = self.last_segment(path)
            with self.lock:
                self.conn_of[name] = number
            if name == "early":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nearly")
                self.watch_after_early(conn, buf)
                return
            body, buf = self.read_body(conn, head, buf)
            with self.lock:
                self.requests.append((number, path, head, body))
            pieces = ANSWERS.get(name)
            if pieces is None:
                pieces = [b"HTTP/1.1 200 OK\r\nX-Conn: %d\r\nX-Got: %d\r\nContent-Length: 2\r\n\r\nok"
                          % (number, len(body))]
            self.send_pieces(conn, pieces, 0.2)

    def watch_after_early(self, conn, buf):
        conn.settimeout(3)
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                buf += data
        except socket.timeout:
            pass
        if b" HTTP/1.1\r\n" in buf:
            with self.lock:
                self.after_early.append(buf)


class HostileUpstreamFraming(hostile.HostileCase):
    backend = None

    @classmethod
    def setUpClass(cls):
        cls.backend = HostileBackend()
        cls.api_resources = None
        super().setUpClass()
        cls.bad_api = cls.backend.new_api("/ok")

    @classmethod
    def tearDownClass(cls):
        cls.backend.close()

    def call(self, resource, k=0):
        return self.backend.get(resource, k)

    def raw(self, request, k=0, timeout=5):
        return hostile.exchange(harness.GATEWAYS[k], request, timeout=timeout)

    def path(self, resource):
        return "%s/%s%s" % (self.bad_api["context"], self.bad_api["version"], resource)

    def assertNotReusedAfter(self, name):
        """The backend connection that carried `name` answers nothing more: the
        next requests on this gateway come on other connections."""
        bad = self.backend.conn_of[name]
        for _ in range(8):
            status, headers, body = self.call("/ok")
            self.assertEqual(200, status, body)
            self.assertNotEqual(str(bad), headers.get("x-conn"),
                                "the connection that carried %s was reused" % name)

    def test_framing_errors_are_502(self):
        for name in FRAMING_502:
            with self.subTest(answer=name):
                status, headers, body = self.call("/" + name)
                self.assertEqual(502, status, "%s: %r" % (name, body))
                self.assertIn(b"101503", body)
                self.assertIsNone(headers.get("x-smuggled"))
                self.assertNotReusedAfter(name)
                self.assertStillServing()

    def test_smuggled_answer_reaches_nobody(self):
        """An answer hidden behind a short Content-Length is never handed to
        the next client of that backend connection."""
        for _ in range(3):
            self.assertEqual(502, self.call("/overlong")[0])
            for _ in range(4):
                status, headers, body = self.call("/ok")
                self.assertEqual((200, b"ok"), (status, body))
                self.assertIsNone(headers.get("x-smuggled"))
        self.assertStillServing()

    def test_midstream_errors_close_the_client(self):
        """Once the head went out, a framing error closes the client's
        connection: never a second answer on it, never the smuggled bytes."""
        for name in MIDSTREAM:
            with self.subTest(answer=name):
                got = self.raw(("GET %s HTTP/1.1\r\nHost: x\r\n\r\nGET %s HTTP/1.1\r\nHost: x\r\n\r\n"
                                % (self.path("/" + name), self.path("/ok"))).encode())
                # the head (if it left before the error) and a close; nothing more
                self.assertTrue(got == b"" or got.startswith(b"HTTP/1.1 200"), got[:200])
                self.assertLessEqual(len(hostile.statuses(got)), 1, got)
                self.assertNotIn(b"smuggled", got.lower())
                self.assertNotReusedAfter(name)
                self.assertStillServing()

    def test_request_body_never_beyond_declared_length(self):
        """Content-Length: 1 and then 68: whatever the gateway makes of it (a
        400, or the first length), the backend never gets more body than the
        head it received declares, and never a second request made of it."""
        inner = b"GET /base/smuggled HTTP/1.1\r\nHost: backend\r\nX-Pad: "
        inner += b"p" * (66 - len(inner)) + b"\r\n"
        self.assertEqual(68, len(inner))
        request = (b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 68\r\n\r\n"
                   % self.path("/ok").encode()) + inner
        before = len(self.backend.requests)
        got = self.raw(request)
        self.assertIn(hostile.status_of(got), (200, 400), got[:300])
        time.sleep(0.3)
        for number, path, head, body in self.backend.requests[before:]:
            self.assertNotIn("smuggled", path)
            m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            declared = int(m.group(1)) if m else 0
            self.assertLessEqual(len(body), declared, head)
        for _ in range(8):
            self.assertEqual(200, self.call("/ok")[0])
        self.assertFalse(any("smuggled" in r[1] for r in self.backend.requests))
        self.assertStillServing()

    def test_early_answer_connection_not_reused(self):
        """The backend answers before the request body ended (the client then
        goes away): that backend connection never carries another request."""
        for _ in range(3):
            with hostile.connect(harness.GATEWAYS[0]) as sock:
                sock.sendall(b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"
                             % self.path("/early").encode() + b"x" * 1000)
                got = hostile.read_all(sock, timeout=2)
                self.assertIn(b"early", got)
            for _ in range(6):
                self.assertEqual(200, self.call("/ok")[0])
        time.sleep(3.5)
        self.assertEqual([], self.backend.after_early)
        self.assertStillServing()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ExtraGateway:
    """One more gateway process, from gateway 1's configuration with its own
    ports and `changes` ({key: value} in [gateway]); the test stops it."""

    def __init__(self, testcase, changes):
        self.dir = tempfile.mkdtemp(prefix="gw-upstream-")
        with open(os.path.join(harness.VAR, "conf", "gw1.conf")) as f:
            text = f.read()
        self.ports = {"http_port": free_port(), "https_port": free_port(), "admin_port": free_port()}
        values = dict(self.ports, port_offset=0, id="gwx")
        values.update(changes)
        head, sep, rest = text.partition("\n[hubs]")
        lines = [l for l in head.splitlines() if l.split("=")[0].strip() not in values]
        lines += ["%s = %s" % (k, v) for k, v in values.items()]
        self.conf = os.path.join(self.dir, "gw.conf")
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + sep + rest)
        self.log = os.path.join(self.dir, "gw.log")
        binary = harness.require_binary(testcase, "tollgate-gateway")
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen([binary, "--config", self.conf], stdout=log,
                                         stderr=subprocess.STDOUT)

    def admin_url(self, host="127.0.0.1", path="/health"):
        return "http://%s:%d%s" % (host, self.ports["admin_port"], path)

    def wait_admin(self, headers=None):
        harness.wait_until(lambda: self.try_admin(headers) is not None, timeout=20,
                           message="the extra gateway's admin listener")

    def try_admin(self, headers=None, host="127.0.0.1", path="/health"):
        try:
            return harness.http("GET", self.admin_url(host, path), headers=headers, timeout=3)
        except OSError:
            return None

    def output(self):
        with open(self.log) as f:
            return f.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except Exception:  # noqa: BLE001 - last resort for our own child
                self.proc.kill()


class HostileUpstreamAdmin(hostile.HostileCase):
    """The admin listener (/health, /metrics): loopback unless admin_token is
    set, and then only for requests that carry it."""

    TOKEN = "s3cret-admin-token-0123456789"

    def test_admin_stays_on_loopback_when_api_listeners_do_not(self):
        """bind = 0.0.0.0 moves the API listeners, not the admin one (it used
        to follow bind and serve /metrics to the network)."""
        gw = ExtraGateway(self, {"bind": "0.0.0.0"})
        try:
            gw.wait_admin()
            self.assertEqual(200, gw.try_admin()[0])
            self.assertIsNone(gw.try_admin(host="127.0.0.2"),
                              "the admin listener answers on an address other than 127.0.0.1")
            # the API listener did move (the case is about admin only)
            st = harness.http("GET", "http://127.0.0.2:%d/" % gw.ports["http_port"])[0]
            self.assertIsNotNone(st)
        finally:
            gw.stop()
        self.assertStillServing()

    def test_non_loopback_admin_needs_a_token(self):
        gw = ExtraGateway(self, {"admin_bind": "0.0.0.0"})
        try:
            rc = gw.proc.wait(30)
        finally:
            gw.stop()
        self.assertNotEqual(0, rc)
        out = gw.output()
        self.assertIn("admin_bind", out)
        self.assertIn("admin_token", out)
        self.assertStillServing()

    def test_admin_token_is_required(self):
        gw = ExtraGateway(self, {"admin_bind": "0.0.0.0", "admin_token": self.TOKEN})
        good = {"Authorization": "Bearer " + self.TOKEN}
        try:
            gw.wait_admin(good)
            for path in ("/health", "/metrics", "/other"):
                for headers in (None, {"Authorization": "Bearer"},
                                {"Authorization": "Bearer " + self.TOKEN[:-1]},
                                {"Authorization": "Bearer " + self.TOKEN + "x"},
                                {"Authorization": "Bearer " + self.TOKEN.upper()},
                                {"Authorization": "Basic " + self.TOKEN},
                                {"Authorization": self.TOKEN},
                                {"X-Admin-Token": self.TOKEN}):
                    with self.subTest(path=path, headers=headers):
                        st, hdrs, body = gw.try_admin(headers, path=path)
                        self.assertEqual(401, st, body)
                        self.assertNotIn(b"tollgate_", body)
            self.assertEqual(200, gw.try_admin(good)[0])
            self.assertEqual(200, gw.try_admin({"Authorization": "bearer " + self.TOKEN})[0])
            st, _, body = gw.try_admin(good, path="/metrics")
            self.assertEqual(200, st)
            self.assertIn(b"tollgate_gateway", body)
            # reachable on another address now, still only with the token
            self.assertEqual(401, gw.try_admin(host="127.0.0.2")[0])
        finally:
            gw.stop()
        self.assertNotIn(self.TOKEN, gw.output(), "the token was logged")
        self.assertStillServing()


class TlsBackend:
    """An HTTPS backend in this process with the given certificate: 200
    "tls-ok" to every request."""

    def __init__(self, cert, key):
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Length", "6")
                self.end_headers()
                self.wfile.write(b"tls-ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        self.sni = []  # the server name of each handshake (None: no SNI)
        ctx.sni_callback = lambda sock, name, context: self.sni.append(name)
        self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def make_cert(directory, name, san, signed_by_stack_ca=True):
    """A certificate and key in directory for subjectAltName san, signed by
    the stack's CA (var-test/tls) or self-signed; returns (cert, key)."""
    tls = os.path.join(harness.VAR, "tls")
    cert, key = os.path.join(directory, name + ".crt"), os.path.join(directory, name + ".key")
    ext = os.path.join(directory, name + ".ext")
    with open(ext, "w") as f:
        f.write("basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n" % san)
    if signed_by_stack_ca:
        csr = os.path.join(directory, name + ".csr")
        subprocess.run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=backend",
                        "-keyout", key, "-out", csr], check=True, capture_output=True)
        subprocess.run(["openssl", "x509", "-req", "-in", csr, "-CA", os.path.join(tls, "ca.crt"),
                        "-CAkey", os.path.join(tls, "ca.key"), "-CAcreateserial", "-days", "2",
                        "-sha256", "-extfile", ext, "-out", cert], check=True, capture_output=True)
    else:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=localhost", "-addext", "subjectAltName=" + san,
                        "-keyout", key, "-out", cert], check=True, capture_output=True)
    return cert, key


def gateway_logs():
    out = ""
    for k in range(len(harness.GATEWAYS)):
        with open(os.path.join(harness.VAR, "log", "gw%d.log" % (k + 1)), errors="replace") as f:
            out += f.read()
    return out


class HostileUpstreamTls(hostile.HostileCase):
    """HTTPS backends are verified by default (the stack's gateways trust the
    stack's CA through upstream_ca): a certificate that does not chain to it,
    or that names another host, is a 502; an API may opt out, and the gateway
    logs that it did."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dir = tempfile.mkdtemp(prefix="gw-upstream-tls-")
        tls = os.path.join(harness.VAR, "tls")
        cls.good = TlsBackend(os.path.join(tls, "server.crt"), os.path.join(tls, "server.key"))
        cls.self_signed = TlsBackend(*make_cert(cls.dir, "self", "IP:127.0.0.1,DNS:localhost",
                                                signed_by_stack_ca=False))
        cls.other_name = TlsBackend(*make_cert(cls.dir, "other", "DNS:other.example"))
        # an IP endpoint must be matched as an IP, not as a DNS name that spells it
        cls.ip_as_dns = TlsBackend(*make_cert(cls.dir, "ipdns", "DNS:127.0.0.1"))

    @classmethod
    def tearDownClass(cls):
        for b in (cls.good, cls.self_signed, cls.other_name, cls.ip_as_dns):
            b.close()

    def api_for(self, url, **fields):
        api = harness.new_api(auth_type="None", endpoint=url, **fields)
        harness.wait_until(lambda: all(self.call(api, k)[0] != 404 for k in range(2)), timeout=20,
                           message="API on both gateways")
        return api

    @staticmethod
    def call(api, k=0):
        return harness.http("GET", harness.api_url(api, "/x", k))

    def assertRefused(self, api):
        for k in range(2):
            status, _, body = self.call(api, k)
            self.assertEqual(502, status, body)
            self.assertIn(b"101503", body)
            self.assertNotIn(b"tls-ok", body)

    def test_backend_with_a_certificate_from_the_ca_is_proxied(self):
        """A name is sent as SNI; an IP literal never is (RFC 6066 3)."""
        for host, sni in (("127.0.0.1", None), ("localhost", "localhost")):
            with self.subTest(host=host):
                del self.good.sni[:]
                api = self.api_for("https://%s:%d/base" % (host, self.good.port))
                for k in range(2):
                    self.assertEqual((200, b"tls-ok"), (self.call(api, k)[0], self.call(api, k)[2]))
                self.assertTrue(self.good.sni, "no handshake seen")
                self.assertEqual({sni}, set(self.good.sni))
        self.assertStillServing()

    def test_self_signed_backend_is_refused(self):
        self.assertRefused(self.api_for("https://127.0.0.1:%d/base" % self.self_signed.port))
        self.assertIn("TLS handshake failed", gateway_logs())
        self.assertStillServing()

    def test_backend_with_another_name_is_refused(self):
        for host in ("127.0.0.1", "localhost"):
            with self.subTest(host=host):
                self.assertRefused(self.api_for("https://%s:%d/" % (host, self.other_name.port)))
        self.assertStillServing()

    def test_ip_endpoint_is_checked_as_an_ip(self):
        self.assertRefused(self.api_for("https://127.0.0.1:%d/" % self.ip_as_dns.port))
        self.assertStillServing()

    def test_opt_out_is_per_api_and_logged(self):
        url = "https://127.0.0.1:%d/base" % self.self_signed.port
        lax = self.api_for(url, upstreamTlsVerify=False)
        for k in range(2):
            self.assertEqual(200, self.call(lax, k)[0])
        shown = harness.ctl("api", "show", lax["context"], lax["version"])
        self.assertEqual(False, shown.get("upstream_tls_verify"), shown)
        logs = gateway_logs()
        self.assertIn("API %s:%s: upstream TLS verification is off" % (lax["context"], lax["version"]),
                      logs)
        # the same backend for an API that did not opt out: still refused, even
        # with unverified connections to it idle in the pool
        strict = self.api_for(url)
        self.assertRefused(strict)
        self.assertEqual(True, harness.ctl("api", "show", strict["context"],
                                           strict["version"]).get("upstream_tls_verify"))
        # opting back in through tollgatectl
        updated = harness.ctl("api", "update", lax["context"], lax["version"],
                              "--upstream-tls-verify", "true")
        self.assertEqual(True, updated.get("upstream_tls_verify"), updated)
        harness.wait_until(lambda: all(self.call(lax, k)[0] == 502 for k in range(2)), timeout=20,
                           message="the update reached both gateways")
        bad = harness.ctl("api", "update", lax["context"], lax["version"],
                          "--upstream-tls-verify", "no", check=False)
        self.assertNotEqual(0, bad["exit_code"])
        self.assertStillServing()

    def test_ctl_create_with_opt_out(self):
        ctx = "/tls" + harness.unique("c")[-8:]
        created = harness.ctl("api", "create", "--name", "tlsoff" + ctx[1:], "--context", ctx,
                              "--version", "1.0.0", "--endpoint",
                              "https://127.0.0.1:%d/" % self.self_signed.port,
                              "--resource", "GET /* None", "--upstream-tls-verify", "false")
        self.assertEqual(False, created.get("upstream_tls_verify"), created)
        self.assertStillServing()
