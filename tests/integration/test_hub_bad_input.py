"""Bad input on the hub's Thrift port: each case is disconnected (or times
out after io_timeout) without a normal reply, the hub process survives, and
afterwards both a new connection and a persistent "bystander" connection
opened before the attack validate successfully.

Cases: garbage bytes and an HTTP request after the TLS handshake; plaintext
Thrift (binary, framed, compact) on the TLS port; a 2 GiB string length
(binary, compact), a 2 GiB frame, a 2 GiB list, a negative length, a 2 GiB
method name; 10,000 nested struct headers in a hand-built message (binary
and compact; a complete, well-formed message, so a hub without a depth limit
would answer it normally and fail the test); half a message then silence
(served meanwhile, dropped after io_timeout); 1,000 idle connections (500
bare TCP, 500 with TLS done) held open while another client validates; on
the HTTPS port, an oversized body and a small body claiming a 2 GiB string
sent to /thriftAuthenticator. A call missing a required argument is the one
malformed call that is answered: TApplicationException PROTOCOL_ERROR, and
the connection goes on.

Cases of one test run at once, so a hub that relies on io_timeout instead of
its size limits costs one io_timeout per test, not per case; each case's
time to disconnect is printed.
"""
import resource
import socket
import ssl
import struct
import threading
import time
import unittest
from concurrent.futures import ThreadPoolExecutor

import harness

IO_TIMEOUT = int(harness.hub_config(1, "io_timeout", "10") or 10)
GRACE = 5            # s past io_timeout for the hub to close a stalled connection
TWO_GIB = 0x7FFFFFFF


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zigzag16(n):
    return (n << 1) ^ (n >> 15)


def compact_header(name, seqid=1, mtype=1):
    n = name.encode()
    return b"\x82" + bytes([(mtype << 5) | 1]) + varint(seqid) + varint(len(n)) + n


def compact_string_field(fid, value):
    """Long-form compact field header (type 8 = binary, zigzag id) + varint length + bytes."""
    data = value.encode()
    return b"\x08" + varint(zigzag16(fid)) + varint(len(data)) + data


def validate_args(api, token, sid):
    return [api["context"], api["version"], token, sid, "Any", "", "/x", "GET"]


def reply_kind(data):
    """'reply', 'exception' or None for the first bytes the hub sent back."""
    if len(data) >= 4 and data[:2] == b"\x80\x01":
        return {2: "reply", 3: "exception"}.get(data[3])
    if len(data) >= 2 and data[0] == 0x82:
        return {2: "reply", 3: "exception"}.get(data[1] >> 5)
    if len(data) >= 6 and data[4:6] == b"\x80\x01":       # framed binary
        return {2: "reply", 3: "exception"}.get(data[7] if len(data) > 7 else -1)
    return None


def read_outcome(sock, timeout):
    """Reads until the hub closes the connection or timeout: (closed, data, seconds)."""
    t0 = time.monotonic()
    data = b""
    while True:
        left = timeout - (time.monotonic() - t0)
        if left <= 0:
            return False, data, time.monotonic() - t0
        sock.settimeout(min(left, 1.0))
        try:
            chunk = sock.recv(65536)
        except (socket.timeout, ssl.SSLWantReadError):
            continue
        except (ConnectionError, ssl.SSLError, OSError):
            return True, data, time.monotonic() - t0
        if not chunk:
            return True, data, time.monotonic() - t0
        data += chunk


def raw_socket(hub=0, timeout=10):
    host, port = harness.HUBS[hub].rsplit(":", 1)
    return socket.create_connection((host, int(port)), timeout=timeout)


class HubBadInputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not harness.HUBS:
            raise unittest.SkipTest("no stack (TOLLGATE_HUBS unset)")
        cls.key = harness.new_app_with_key()
        cls.api = cls.key["api"]
        cls.sid = harness.login("gateway", harness.gateway_password())
        cls.pid = harness.hub_pid(1)
        cls.bystander, cls.bystander_transport = harness.thrift_client(0)
        dto = harness.validate_key(cls.bystander, cls.sid, cls.api, cls.key["token"], "/x")
        assert dto.authorized, dto

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "bystander_transport", None):
            cls.bystander_transport.close()

    # ---------------------------------------------------------------- helpers

    def assertServed(self, what):
        """The hub still runs and serves a new and an old connection."""
        if self.pid:
            self.assertEqual(harness.hub_pid(1), self.pid, "%s: hub 1 died or restarted" % what)
        client, transport = harness.thrift_client(0)
        try:
            dto = harness.validate_key(client, self.sid, self.api, self.key["token"], "/x")
            self.assertTrue(dto.authorized, "%s: new connection: %r" % (what, dto))
        finally:
            transport.close()
        dto = harness.validate_key(self.bystander, self.sid, self.api, self.key["token"], "/x")
        self.assertTrue(dto.authorized, "%s: bystander connection: %r" % (what, dto))

    def run_cases(self, cases, tls=True, timeout=None):
        """cases: {name: bytes}. Sends each on its own connection (all at once),
        waits for every one to be closed; returns {name: (closed, data, seconds)}."""
        timeout = timeout or IO_TIMEOUT + GRACE
        socks = {}
        results = {}
        for name, payload in cases.items():
            s = harness.tls_socket(0) if tls else raw_socket(0)
            t0 = time.monotonic()
            try:
                s.sendall(payload)
            except (ConnectionError, ssl.SSLError, OSError):
                # the hub hung up before the whole payload was written
                results[name] = (True, b"", time.monotonic() - t0)
                s.close()
                continue
            socks[name] = s

        def wait(name, s):
            results[name] = read_outcome(s, timeout)

        threads = [threading.Thread(target=wait, args=item) for item in socks.items()]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout + 5)
        for s in socks.values():
            s.close()
        for name, (closed, data, took) in sorted(results.items()):
            print("  %-28s %s after %.2fs, %d bytes back" % (
                name, "closed" if closed else "STILL OPEN", took, len(data)))
        return results

    def assertDropped(self, results):
        for name, (closed, data, took) in results.items():
            self.assertNotEqual(reply_kind(data), "reply",
                                "%s: the hub answered a normal reply: %r" % (name, data[:80]))
            self.assertTrue(closed, "%s: still open after %.1fs (io_timeout %d)"
                            % (name, took, IO_TIMEOUT))

    # ---------------------------------------------------------------- cases

    def binary_call(self, sock, name, seqid, fields):
        """Sends a strict-binary call whose args are string fields {id: value}; returns the
        decoded answer: (message type, name, seqid, TApplicationException or raw args)."""
        from thrift.Thrift import TApplicationException, TMessageType
        from thrift.protocol import TBinaryProtocol
        from thrift.transport import TTransport
        body = struct.pack("!iI", -2147418111, len(name)) + name.encode() + struct.pack("!i", seqid)
        for fid, value in fields.items():
            body += struct.pack("!bhI", 11, fid, len(value.encode())) + value.encode()
        sock.sendall(body + b"\x00")
        data = b""
        while True:
            try:
                proto = TBinaryProtocol.TBinaryProtocol(TTransport.TMemoryBuffer(data))
                got_name, mtype, got_seqid = proto.readMessageBegin()
                if mtype == TMessageType.EXCEPTION:
                    x = TApplicationException()
                    x.read(proto)
                    return mtype, got_name, got_seqid, x
                proto.skip(12)
                return mtype, got_name, got_seqid, None
            except (EOFError, TTransport.TTransportException, struct.error):
                chunk = sock.recv(65536)
                self.assertTrue(chunk, "the hub closed the connection instead of answering")
                data += chunk

    def test_missing_required_argument_answered_protocol_error(self):
        from thrift.Thrift import TApplicationException, TMessageType
        sock = harness.tls_socket(0)
        try:
            # authenticate(1: required userName, 2: required password) without the password
            mtype, name, seqid, x = self.binary_call(sock, "authenticate", 7, {1: "admin"})
            self.assertEqual((mtype, name, seqid), (TMessageType.EXCEPTION, "authenticate", 7))
            self.assertEqual(x.type, TApplicationException.PROTOCOL_ERROR)
            self.assertIn("required", x.message)
            # the connection stays in step: the next call on it is answered normally
            mtype, name, seqid, _ = self.binary_call(sock, "isAuthenticated", 8, {1: self.sid})
            self.assertEqual((mtype, name, seqid), (TMessageType.REPLY, "isAuthenticated", 8))
        finally:
            sock.close()
        self.assertServed("missing required argument")

    def test_string_over_the_limit_answered_and_the_connection_goes_on(self):
        """A string argument one byte over max_string_size, in a message the hub can still
        walk: answered TApplicationException PROTOCOL_ERROR naming the limit, never read by
        c_glib, and the connection stays in step. Closing it (as before) made every client of
        the hub take the hub for down and send the same call to the next hub. At the limit,
        the call is an ordinary one."""
        from thrift.Thrift import TApplicationException, TMessageType
        limit = int(harness.hub_config(1, "max_string_size", "65536") or 65536)
        sock = harness.tls_socket(0)
        try:
            for fid in (1, 2):  # the user name, the password
                fields = {1: "admin", 2: "wrong"}
                fields[fid] = "p" * (limit + 1)
                mtype, name, seqid, x = self.binary_call(sock, "authenticate", 10 + fid, fields)
                self.assertEqual((mtype, name, seqid),
                                 (TMessageType.EXCEPTION, "authenticate", 10 + fid))
                self.assertEqual(x.type, TApplicationException.PROTOCOL_ERROR)
                self.assertIn("the call breaks the hub's limits", x.message)
                self.assertIn("max_string_size (%d bytes)" % limit, x.message)
            mtype, name, seqid, _ = self.binary_call(sock, "isAuthenticated", 13, {1: self.sid})
            self.assertEqual((mtype, name, seqid), (TMessageType.REPLY, "isAuthenticated", 13))
            mtype, _, _, _ = self.binary_call(sock, "authenticate", 14,
                                              {1: "admin", 2: "p" * limit})
            self.assertEqual(mtype, TMessageType.REPLY)  # AuthenticationException: a reply
        finally:
            sock.close()
        # compact: the same answer, in compact
        sock = harness.tls_socket(0)
        try:
            sock.sendall(compact_header("authenticate", 21) + compact_string_field(1, "admin")
                         + compact_string_field(2, "p" * (limit + 1)) + b"\x00")
            data = b""
            while b"max_string_size" not in data:
                chunk = sock.recv(65536)
                self.assertTrue(chunk, "compact: the hub closed the connection: %r" % data[:80])
                data += chunk
            self.assertEqual(reply_kind(data), "exception")
        finally:
            sock.close()
        # binary, framed, and unframed split inside the long string (the scan resumes)
        body = (struct.pack("!iI", -2147418111, 12) + b"authenticate" + struct.pack("!i", 31)
                + struct.pack("!bhI", 11, 1, 5) + b"admin"
                + struct.pack("!bhI", 11, 2, limit + 1) + b"p" * (limit + 1) + b"\x00")
        for what, parts in (("framed", [struct.pack("!I", len(body)) + body]),
                            ("split", [body[:limit // 2], body[limit // 2:]])):
            sock = harness.tls_socket(0)
            try:
                for i, part in enumerate(parts):
                    if i:
                        time.sleep(0.3)
                    sock.sendall(part)
                data = b""
                while b"max_string_size" not in data:
                    chunk = sock.recv(65536)
                    self.assertTrue(chunk, "%s: the hub closed the connection: %r" % (what, data[:80]))
                    data += chunk
                self.assertEqual(reply_kind(data), "exception", what)
                if what == "framed":  # the answer framed like the call
                    self.assertEqual(data[4:6], b"\x80\x01", data[:16])
                    self.assertEqual(struct.unpack("!I", data[:4])[0], len(data) - 4)
            finally:
                sock.close()
        self.assertServed("string over max_string_size")

    def test_garbage_bytes(self):
        results = self.run_cases({
            "garbage": b"\xde\xad\xbe\xef" * 1024,
            "http request": b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            "bad binary version": struct.pack(">Ii", 0x80020001, 4) + b"ping" + b"\x00" * 8,
        })
        self.assertDropped(results)
        self.assertServed("garbage")

    def test_plaintext_on_tls_port(self):
        call = harness.binary_validate_key_call(self.api, self.key["token"], self.sid)
        results = self.run_cases({
            "plaintext binary": call,
            "plaintext framed": struct.pack(">i", len(call)) + call,
            "plaintext compact": compact_header("validateKey") + b"".join(
                compact_string_field(i + 1, v)
                for i, v in enumerate(validate_args(self.api, self.key["token"], self.sid)))
            + b"\x00",
        }, tls=False)
        for name, (closed, data, _) in results.items():
            self.assertNotIn(b"validateKey", data, "%s: answered in plaintext" % name)
            self.assertIsNone(reply_kind(data), "%s: a Thrift answer in plaintext" % name)
        self.assertDropped(results)
        self.assertServed("plaintext")

    def test_2gib_lengths(self):
        header = harness.binary_message("validateKey", 1, b"")
        results = self.run_cases({
            "2GiB string (binary)": header + struct.pack(">bhi", 11, 1, TWO_GIB) + b"abc",
            "2GiB string (compact)": compact_header("validateKey") + b"\x18" + varint(TWO_GIB)
            + b"abc",
            "2GiB frame": struct.pack(">i", TWO_GIB) + header,
            "2GiB list": header + struct.pack(">bhbi", 15, 100, 8, TWO_GIB) + b"\x00" * 64,
            "2GiB method name": struct.pack(">Ii", 0x80010001, TWO_GIB) + b"validateKey",
            "negative length": header + struct.pack(">bhi", 11, 1, -1) + b"abc",
        })
        self.assertDropped(results)
        self.assertServed("2 GiB lengths")

    def test_deeply_nested_structs(self):
        args = validate_args(self.api, self.key["token"], self.sid)
        depth = 10000
        binary = harness.binary_message(
            "validateKey", 1,
            struct.pack(">bh", 12, 99) * depth + b"\x00" * depth
            + b"".join(harness.binary_string_field(i + 1, v) for i, v in enumerate(args))
            + b"\x00")
        compact = (compact_header("validateKey") + (b"\x0c" + varint(zigzag16(99))) * depth
                   + b"\x00" * depth
                   + b"".join(compact_string_field(i + 1, v) for i, v in enumerate(args)) + b"\x00")
        self.assertEqual(binary.count(b"\x0c\x00\x63"), depth)
        results = self.run_cases({"10000 nested (binary)": binary,
                                  "10000 nested (compact)": compact})
        self.assertDropped(results)
        self.assertServed("nested structs")

    def test_half_message_then_silence(self):
        call = harness.binary_validate_key_call(self.api, self.key["token"], self.sid)
        half = harness.tls_socket(0)
        half.sendall(call[:len(call) // 2])
        framed = harness.tls_socket(0)
        framed.sendall(struct.pack(">i", len(call)) + call[:20])
        t0 = time.monotonic()
        try:
            # others are served while the two connections hang mid-message
            self.assertServed("during a half message")
            for _ in range(5):
                dto = harness.validate_key(self.bystander, self.sid, self.api, self.key["token"])
                self.assertTrue(dto.authorized, dto)
            served_after = time.monotonic() - t0
            results = {}

            def wait(name, s):
                closed, data, _ = read_outcome(s, IO_TIMEOUT + GRACE - (time.monotonic() - t0))
                results[name] = (closed, data, time.monotonic() - t0)

            threads = [threading.Thread(target=wait, args=item)
                       for item in (("half binary", half), ("half framed", framed))]
            for t in threads:
                t.start()
            for t in threads:
                t.join(IO_TIMEOUT + GRACE + 5)
            print("  served others %.2fs into the stall; stalled connections: %s" % (
                served_after, {k: ("closed" if v[0] else "open", "%.2fs" % v[2])
                               for k, v in results.items()}))
        finally:
            half.close()
            framed.close()
        self.assertDropped(results)
        self.assertServed("after a half message")

    def test_oversized_and_lying_bodies_on_thrift_authenticator(self):
        """HTTP bodies are bounded (max_http_body) and a compact message claiming
        a 2 GiB string inside a small body is refused; logins keep working."""
        url = harness.HUB_HTTPS[0].rstrip("/") + "/thriftAuthenticator"
        headers = {"Content-Type": "application/x-thrift"}
        limit = int(harness.hub_config(1, "max_http_body", "65536") or 65536)
        # Past the limit the body is read and discarded, so the sender sees a 413,
        # not a reset.
        status, _, _ = harness.http("POST", url, headers=headers, body=b"\x82" * (limit * 4))
        self.assertEqual(status, 413, "a %d-byte body" % (limit * 4))
        lying = compact_header("authenticate") + b"\x18" + varint(TWO_GIB) + b"admin"
        status, _, body = harness.http("POST", url, headers=headers, body=lying)
        self.assertTrue(status >= 400 or reply_kind(body) == "exception",
                        "2 GiB string in a small body answered %d %r" % (status, body[:60]))
        self.assertNotEqual(reply_kind(body), "reply")
        self.assertTrue(harness.login("gateway", harness.gateway_password()))
        self.assertServed("HTTP bodies")

    def https_exchange(self, head, body_chunks):
        """Raw request on the hub's HTTPS port: returns the status line, or
        None if the connection was dropped without one."""
        host, port = harness.HUB_HTTPS[0].split("//")[1].rstrip("/").rsplit(":", 1)
        raw = socket.create_connection((host, int(port)), timeout=15)
        with harness.ssl_context().wrap_socket(raw, server_hostname=host) as s:
            try:
                s.sendall(head)
                for chunk in body_chunks:
                    s.sendall(chunk)
            except OSError:
                pass    # the server may stop reading; its answer is what counts
            data = b""
            try:
                while b"\r\n" not in data:
                    more = s.recv(4096)
                    if not more:
                        break
                    data += more
            except OSError:
                pass
        return data.split(b"\r\n", 1)[0] if data else None

    def test_chunked_body_over_limit_answered_413(self):
        limit = int(harness.hub_config(1, "max_http_body", "65536") or 65536)
        head = (b"POST /token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n\r\n")
        piece = b"a" * 8192
        chunks = [b"%x\r\n%s\r\n" % (len(piece), piece)] * (limit * 3 // len(piece))
        chunks.append(b"0\r\n\r\n")
        status = self.https_exchange(head, chunks)
        self.assertIsNotNone(status, "connection dropped without an answer")
        self.assertIn(b" 413 ", status)
        self.assertServed("a chunked body over the limit")

    def test_huge_declared_body_refused_at_once(self):
        head = (b"POST /token HTTP/1.1\r\nHost: x\r\nContent-Length: 2147483648\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n\r\n")
        t0 = time.monotonic()
        status = self.https_exchange(head, [b"grant_type=client_credentials"])
        self.assertLess(time.monotonic() - t0, 5)
        self.assertIsNotNone(status)
        self.assertIn(b" 413 ", status)
        self.assertServed("a 2 GiB Content-Length")

    def test_1000_idle_connections(self):
        wanted_tcp, wanted_tls = 500, 500
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        need = wanted_tcp + wanted_tls + 200
        if soft < need:
            if hard != resource.RLIM_INFINITY and hard < need:
                self.skipTest("RLIMIT_NOFILE hard limit %d < %d" % (hard, need))
            resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))
        idle = []
        try:
            t0 = time.monotonic()
            ctx = harness.ssl_context()
            host = harness.HUBS[0].rsplit(":", 1)[0]

            def tls_idle(_):
                raw = raw_socket(0)
                try:
                    return ctx.wrap_socket(raw, server_hostname=host)
                except Exception:
                    raw.close()
                    raise

            with ThreadPoolExecutor(8) as pool:          # TLS done, then nothing
                for s in pool.map(tls_idle, range(wanted_tls)):
                    idle.append(s)
            for _ in range(wanted_tcp):
                idle.append(raw_socket(0))              # TCP only: never starts TLS
            opened = time.monotonic() - t0
            print("  %d idle connections opened in %.2fs" % (len(idle), opened))
            self.assertEqual(len(idle), wanted_tcp + wanted_tls)
            # another client is served, repeatedly, while all of them stay open
            for i in range(10):
                client, transport = harness.thrift_client(0, timeout=10)
                try:
                    dto = harness.validate_key(client, self.sid, self.api, self.key["token"])
                    self.assertTrue(dto.authorized, "call %d with 1000 idle connections" % i)
                finally:
                    transport.close()
            self.assertTrue(harness.validate_key(self.bystander, self.sid, self.api,
                                                 self.key["token"]).authorized)
            # and a login over HTTPS too
            self.assertTrue(harness.login("gateway", harness.gateway_password()))
        finally:
            for s in idle:
                s.close()
        self.assertServed("after 1000 idle connections")


if __name__ == "__main__":
    unittest.main()
