"""Gateway server side: routing, proxying, streaming, limits, faults.

Every API here uses auth type None, so these tests need the hub (to publish
APIs) but not key validation. Bodies of 100 MB go both ways with a sha256
check while the gateway's resident memory is watched through
/proc/<pid>/status (var-test/run/gwK.pid).
"""
import configparser
import hashlib
import http.client as httplib
import json
import os
import re
import socket
import threading
import time
import unittest
import urllib.parse

import harness

MB = 1024 * 1024
BIG = 100 * MB
BLOCK = bytes(range(256)) * 256  # the sample backend's /bytes pattern, 64 KiB


def pattern(n):
    while n > 0:
        take = min(n, len(BLOCK))
        yield BLOCK[:take]
        n -= take


def pattern_sha(n):
    h = hashlib.sha256()
    for b in pattern(n):
        h.update(b)
    return h.hexdigest()


def read_body(resp, chunk=256 * 1024, rate=None):
    """Reads resp to its end, at most rate bytes per second when given;
    returns (bytes read, SHA-256 hex of them)."""
    h, n, t0 = hashlib.sha256(), 0, time.monotonic()
    while True:
        data = resp.read(chunk)
        if not data:
            return n, h.hexdigest()
        h.update(data)
        n += len(data)
        ahead = n / rate - (time.monotonic() - t0) if rate else 0
        if ahead > 0:
            time.sleep(ahead)


def gateway_conf(k=1):
    cp = configparser.ConfigParser(inline_comment_prefixes=(";", "#"), strict=False,
                                   interpolation=None)
    cp.read(os.path.join(harness.VAR, "conf", "gw%d.conf" % k))
    return cp["gateway"] if cp.has_section("gateway") else {}


def conf_int(key, default, k=1):
    try:
        return int(gateway_conf(k).get(key, default))
    except ValueError:
        return default


def gateway_pid(k=1):
    with open(os.path.join(harness.VAR, "run", "gw%d.pid" % k)) as f:
        return int(f.read().split()[0])


def memory_kb(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    return out


def allowed_growth_kb(pid):
    """48 MB of slack, plus ASan's quarantine when the gateway runs under it
    (freed memory is held back up to quarantine_size_mb, 256 by default)."""
    slack = 48 * 1024
    with open("/proc/%d/maps" % pid) as f:
        if "libasan" not in f.read():
            return slack
    quarantine = 256
    try:
        with open("/proc/%d/environ" % pid, "rb") as f:
            env = dict(e.split(b"=", 1) for e in f.read().split(b"\0") if b"=" in e)
        m = re.search(rb"quarantine_size_mb=(\d+)", env.get(b"ASAN_OPTIONS", b""))
        if m:
            quarantine = int(m.group(1))
    except OSError:
        pass
    return slack + quarantine * 1024


def host_port(url):
    parts = urllib.parse.urlsplit(url)
    return parts.hostname, parts.port


def raw_exchange(k, data, timeout=3.0, half_close=False):
    """Sends raw bytes to gateway k (then shuts its sending side down when
    half_close), returns everything read until EOF or timeout."""
    s = socket.create_connection(host_port(harness.GATEWAYS[k]), timeout=timeout)
    out = b""
    try:
        s.sendall(data)
        if half_close:
            s.shutdown(socket.SHUT_WR)
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return out + b"<EOF>"
            out += chunk
    except socket.timeout:
        return out + b"<TIMEOUT>"
    except ConnectionResetError:
        return out + b"<RESET>"
    finally:
        s.close()


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class GatewayProxyTest(unittest.TestCase):
    api = None

    @classmethod
    def setUpClass(cls):
        resources = [(v, "/*") for v in ("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS")]
        resources.append(("GET", "/only/{id}"))
        cls.api = harness.new_api(auth_type="None", resources=resources, isDefaultVersion=True)
        # Both gateways learn about the API through the change feed.
        for k in range(len(harness.GATEWAYS)):
            harness.wait_until(lambda: cls.get("/echo/ready", k=k)[0] == 200, timeout=20,
                               message="API published on gateway %d" % k)

    @classmethod
    def get(cls, resource, k=0, headers=None, tls=False):
        return harness.http("GET", harness.api_url(cls.api, resource, k=k, tls=tls), headers=headers)

    def connection(self, k=0, timeout=60):
        return httplib.HTTPConnection(*host_port(harness.GATEWAYS[k]), timeout=timeout)

    def path(self, resource):
        return "%s/%s%s" % (self.api["context"], self.api["version"], resource)

    # --- routing and faults ---

    def test_get_through_both_gateways(self):
        for k in range(len(harness.GATEWAYS)):
            status, headers, body = self.get("/echo/x?a=1", k=k)
            self.assertEqual(status, 200)
            echo = json.loads(body)
            self.assertEqual(echo["method"], "GET")
            self.assertTrue(echo["path"].endswith("/echo/x"), echo["path"])
            self.assertEqual(echo["query"], "a=1")
            self.assertIn("x-request-id", headers)
            self.assertEqual(echo["headers"].get("X-Request-ID"), headers["x-request-id"])

    def test_generated_request_ids_are_uuid4_and_distinct(self):
        uuid4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        seen = set()
        for k in range(len(harness.GATEWAYS)):
            for _ in range(20):
                status, headers, _ = self.get("/echo/id", k=k)
                self.assertEqual(status, 200)
                self.assertRegex(headers["x-request-id"], uuid4)
                seen.add(headers["x-request-id"])
        self.assertEqual(len(seen), 20 * len(harness.GATEWAYS))

    def test_https_listener(self):
        status, _, body = self.get("/echo/tls", tls=True)
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["headers"].get("X-Forwarded-Proto"), "https")

    def test_default_version_form(self):
        url = harness.gateway_url(0, "%s/echo/dflt" % self.api["context"])
        status, _, body = harness.http("GET", url)
        self.assertEqual(status, 200)
        self.assertTrue(json.loads(body)["path"].endswith("/echo/dflt"))

    def test_unknown_api_is_404(self):
        status, headers, body = harness.http("GET", harness.gateway_url(0, "/no-such-api/1.0/x"))
        self.assertEqual(status, 404)
        self.assertTrue(headers["content-type"].startswith("application/json"))
        fault = json.loads(body)["fault"]
        self.assertEqual(fault["code"], 404)
        self.assertEqual(fault["message"], "Not Found")
        self.assertIn("No API matches", fault["description"])

    def test_unknown_resource_is_900906(self):
        status, _, body = harness.http("PATCH", harness.api_url(self.api, "/echo/x"))
        self.assertEqual(status, 404)
        self.assertEqual(json.loads(body)["fault"]["code"], 900906)

    def test_many_headers_forwarded_in_order(self):
        # the first 32 forwarded headers share one block, later ones have their own: all
        # reach the backend in the client's order, and a Connection-listed one in either
        # is dropped
        names = ["X-Many-%02d" % i for i in range(40)]
        headers = [(n, "v%s" % n[-2:]) for n in names]
        headers.insert(5, ("Connection", "close, X-Many-03, X-Many-35"))
        head = "".join("%s: %s\r\n" % h for h in headers)
        out = raw_exchange(0, ("GET %s HTTP/1.1\r\nHost: x\r\n%s\r\n"
                               % (self.path("/echo/many"), head)).encode(), timeout=10)
        self.assertTrue(out.startswith(b"HTTP/1.1 200 "), out[:200])
        self.assertTrue(out.endswith(b"<EOF>"), out[-100:])
        sent = json.loads(out.partition(b"\r\n\r\n")[2][:-len(b"<EOF>")])["headers"]
        got = [k for k in sent if k.startswith("X-Many-")]
        self.assertEqual(got, [n for n in names if n not in ("X-Many-03", "X-Many-35")])
        self.assertEqual(sent["X-Many-39"], "v39")
        self.assertEqual(sent["X-Many-00"], "v00")

    def test_forwarding_headers(self):
        status, headers, body = self.get("/echo/h", headers={
            "Authorization": "Bearer must-not-leak", "X-Request-ID": "client-id-1",
            "X-Forwarded-For": "10.9.8.7", "Connection": "keep-alive, X-Hop", "X-Hop": "1"})
        self.assertEqual(status, 200)
        sent = json.loads(body)["headers"]
        lower = {k.lower(): v for k, v in sent.items()}
        self.assertNotIn("authorization", lower)
        self.assertNotIn("x-hop", lower)
        self.assertEqual(lower["x-request-id"], "client-id-1")
        self.assertEqual(headers["x-request-id"], "client-id-1")
        # the gateway is the edge: a client's X-Forwarded-For is its own word, not kept
        self.assertEqual(lower["x-forwarded-for"], "127.0.0.1")
        self.assertEqual(lower["x-forwarded-proto"], "http")

    def test_backend_status_passes_through(self):
        status, _, body = self.get("/status/418")
        self.assertEqual(status, 418)
        self.assertEqual(json.loads(body)["status"], 418)
        status, _, body = self.get("/status/204")
        self.assertEqual((status, body), (204, b""))

    # --- upstream failures ---

    def test_slow_backend_is_504(self):
        timeout_ms = conf_int("upstream_read_timeout_ms", 30000)
        if timeout_ms > 10000:
            self.skipTest("upstream_read_timeout_ms is %d: set it to 3000 in test configs" % timeout_ms)
        t0 = time.monotonic()
        status, _, body = harness.http("GET", harness.api_url(self.api, "/slow/%d" % (timeout_ms + 2000)),
                                       timeout=timeout_ms / 1000 + 10)
        self.assertEqual(status, 504)
        fault = json.loads(body)["fault"]
        self.assertEqual((fault["code"], fault["message"]), (101504, "Gateway Timeout"))
        self.assertLess(time.monotonic() - t0, timeout_ms / 1000 + 1.5)

    def test_read_timeout_counts_from_each_request(self):
        # a pooled backend connection keeps its read timer between requests (re-armed only
        # when it would fire late): a request on it still gets the whole
        # upstream_read_timeout_ms, and one that outlasts it still gets its 504 in time
        timeout_ms = conf_int("upstream_read_timeout_ms", 30000)
        if timeout_ms > 10000:
            self.skipTest("upstream_read_timeout_ms is %d: set it to 3000 in test configs" % timeout_ms)
        conn = self.connection(timeout=timeout_ms / 1000 + 10)

        def get(resource):
            conn.request("GET", self.path(resource))
            r = conn.getresponse()
            r.read()
            return r.status

        try:
            self.assertEqual(get("/echo/warm"), 200)
            time.sleep(timeout_ms / 1000 * 0.6)
            self.assertEqual(get("/slow/%d" % int(timeout_ms * 0.7)), 200)
            t0 = time.monotonic()
            self.assertEqual(get("/slow/%d" % (timeout_ms + 1500)), 504)
            self.assertLess(time.monotonic() - t0, timeout_ms / 1000 + 1.2)
        finally:
            conn.close()

    def test_closed_backend_port_is_502(self):
        api = harness.new_api(auth_type="None", endpoint="http://127.0.0.1:%d" % closed_port())
        harness.wait_until(lambda: harness.http("GET", harness.api_url(api, "/x"))[0] != 404,
                           timeout=20)
        status, _, body = harness.http("GET", harness.api_url(api, "/x"))
        self.assertEqual(status, 502)
        fault = json.loads(body)["fault"]
        self.assertEqual((fault["code"], fault["message"]), (101503, "Bad Gateway"))
        _, _, metrics = harness.http("GET", harness.GATEWAY_ADMIN[0] + "/metrics")
        self.assertIn(b'tollgate_gateway_upstream_errors_total{kind="refused"}', metrics)

    # --- big bodies, streamed ---

    def test_upload_100mb_streams(self):
        pid = gateway_pid(1)
        before = memory_kb(pid)
        conn = self.connection(0)
        conn.request("POST", self.path("/upload"), body=pattern(BIG),
                     headers={"Content-Length": str(BIG)})
        resp = conn.getresponse()
        answer = json.loads(resp.read())
        conn.close()
        self.assertEqual(resp.status, 200)
        self.assertEqual(answer["length"], BIG)
        self.assertEqual(answer["sha256"], pattern_sha(BIG))
        after = memory_kb(pid)
        self.assertLess(after["VmHWM"] - before["VmHWM"], allowed_growth_kb(pid),
                        "gateway memory grew from %s to %s" % (before, after))

    def test_download_100mb_streams(self):
        pid = gateway_pid(1)
        before = memory_kb(pid)
        conn = self.connection(0)
        conn.request("GET", self.path("/bytes/%d" % BIG))
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Content-Length"), str(BIG))
        n, sha = read_body(resp)
        conn.close()
        self.assertEqual(n, BIG)
        self.assertEqual(sha, pattern_sha(BIG))
        after = memory_kb(pid)
        self.assertLess(after["VmHWM"] - before["VmHWM"], allowed_growth_kb(pid),
                        "gateway memory grew from %s to %s" % (before, after))

    def test_slow_reader_outlasts_client_timeout(self):
        """Regression: a client that keeps reading a long answer but sends nothing was cut
        when client_timeout_ms passed (its read timeout), in CI under load."""
        timeout_s = conf_int("client_timeout_ms", 30000) / 1000
        if timeout_s > 10:
            self.skipTest("client_timeout_ms %.0f s: too long to outlast here" % timeout_s)
        rate = 4 * MB                              # bytes per second the client reads
        n = int(rate * (timeout_s + 2)) + 16 * MB  # socket and relay buffers hold the rest
        conn = self.connection(0, timeout=timeout_s + 30)
        conn.request("GET", self.path("/bytes/%d" % n))
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        t0 = time.monotonic()
        got, sha = read_body(resp, 64 * 1024, rate)
        took = time.monotonic() - t0
        conn.close()
        self.assertGreater(took, timeout_s, "the download did not outlast client_timeout_ms")
        self.assertEqual(got, n, "cut after %.1f s (client_timeout %.0f s)" % (took, timeout_s))
        self.assertEqual(sha, pattern_sha(n))

    def test_chunked_both_ways(self):
        n = 5 * MB + 123
        conn = self.connection(0)
        conn.request("PUT", self.path("/upload"), body=pattern(n), encode_chunked=True)
        resp = conn.getresponse()
        answer = json.loads(resp.read())
        self.assertEqual(resp.status, 200)
        self.assertEqual((answer["length"], answer["sha256"]), (n, pattern_sha(n)))
        conn.request("GET", self.path("/chunked/%d" % n))
        resp = conn.getresponse()
        self.assertEqual(resp.getheader("Transfer-Encoding"), "chunked")
        data = resp.read()
        conn.close()
        self.assertEqual(hashlib.sha256(data).hexdigest(), pattern_sha(n))

    # --- protocol edge cases ---

    def test_malformed_request_line_is_400_and_closed(self):
        out = raw_exchange(0, b"GARBAGE\x01 / HTTP/1.1\r\n\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 400 "), out[:200])
        self.assertTrue(out.endswith(b"<EOF>"), out[-50:])

    def test_huge_headers_are_431(self):
        limit = conf_int("max_header_size", 16384)
        headers = b"".join(b"X-Filler-%d: %s\r\n" % (i, b"a" * 1000) for i in range(limit // 1000 + 8))
        out = raw_exchange(0, b"GET " + self.path("/echo/x").encode() + b" HTTP/1.1\r\nHost: x\r\n" +
                           headers + b"\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 431 "), out[:200])

    def test_pipelined_requests_answered_in_order(self):
        reqs = b"".join(b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % self.path("/echo/%d" % i).encode()
                        for i in range(6))
        reqs += b"GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % self.path("/echo/last").encode()
        out = raw_exchange(0, reqs, timeout=10)
        self.assertEqual(re.findall(rb"HTTP/1.1 (\d{3})", out), [b"200"] * 7)
        paths = [p.decode() for p in re.findall(rb'"path": "([^"]+)"', out)]
        self.assertEqual([p.rsplit("/", 1)[1] for p in paths], [str(i) for i in range(6)] + ["last"])
        self.assertTrue(out.endswith(b"<EOF>"))

    def test_pipelined_input_bounded_while_request_held(self):
        # behind a held request the gateway reads a pipelining client's bytes only up to a
        # bound (256 KiB, then one read): the rest stays in the kernel's buffers, which stop
        # growing once the gateway stops reading, so the client cannot push 64 MB at it
        held = b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % self.path("/slow/4000").encode()
        body = 64 * 1024 * 1024
        s = socket.create_connection(host_port(harness.GATEWAYS[0]), timeout=5)
        try:
            s.sendall(held + b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
                      % (self.path("/upload").encode(), body))
            s.setblocking(False)
            chunk, sent, deadline = b"p" * 65536, 0, time.monotonic() + 3
            while sent < body and time.monotonic() < deadline:
                try:
                    sent += s.send(chunk)
                except BlockingIOError:
                    time.sleep(0.01)
            self.assertLess(sent, 24 * 1024 * 1024,
                            "the gateway read %d pipelined bytes behind a held request" % sent)
        finally:
            s.close()

    def test_half_closed_client_gets_its_answers(self):
        # the gateway reads on while a request is in flight: an early end of
        # input must not cost the client the answers it asked for
        reqs = b"".join(b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % self.path("/echo/%d" % i).encode()
                        for i in range(3))
        out = raw_exchange(0, reqs, timeout=10, half_close=True)
        self.assertEqual(re.findall(rb"HTTP/1.1 (\d{3})", out), [b"200"] * 3, out[-600:])
        self.assertTrue(out.endswith(b"<EOF>"))

    def test_slow_loris_does_not_block_others(self):
        header_timeout = conf_int("client_timeout_ms", 30000) / 1000
        host, port = host_port(harness.GATEWAYS[0])
        result = {}

        def trickle():
            s = socket.create_connection((host, port), timeout=5)
            t0 = time.monotonic()
            request = b"GET " + self.path("/echo/x").encode() + b" HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
            try:
                for i in range(len(request)):
                    if time.monotonic() - t0 > min(header_timeout + 5, 20):
                        result["dropped"] = None
                        return
                    s.send(request[i:i + 1])
                    time.sleep(1)
                result["dropped"] = None
            except OSError:
                result["dropped"] = time.monotonic() - t0
            finally:
                s.close()

        t = threading.Thread(target=trickle)
        t.start()
        time.sleep(1.5)
        t0 = time.monotonic()
        status, _, _ = self.get("/echo/other")
        self.assertEqual(status, 200)
        self.assertLess(time.monotonic() - t0, 2)
        t.join()
        if header_timeout <= 15:
            self.assertIsNotNone(result.get("dropped"), "slow sender never dropped")
            self.assertLess(result["dropped"], header_timeout + 4)

    def test_header_timeout_counts_from_the_last_answer(self):
        # the header timer is armed once per connection, not per request: a connection
        # that trickles a head after its second request is closed client_timeout_ms after
        # that request's answer, neither at the deadline the first one set nor never
        header_timeout = conf_int("client_timeout_ms", 30000) / 1000
        if header_timeout > 10:
            self.skipTest("client_timeout_ms %.0f s: too long here" % header_timeout)
        s = socket.create_connection(host_port(harness.GATEWAYS[0]), timeout=header_timeout + 5)
        get = b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % self.path("/echo/x").encode()

        def exchange():
            s.sendall(get)
            got = b""
            while b'"body_sha256"' not in got:
                chunk = s.recv(65536)
                self.assertTrue(chunk, "closed before the answer")
                got += chunk

        try:
            exchange()
            time.sleep(header_timeout * 0.6)
            exchange()
            answered = time.monotonic()
            partial = b"GET " + self.path("/echo/y").encode() + b" HTTP/1.1\r\nX-Slow: " + b"a" * 200
            closed = None
            for i in range(len(partial)):
                try:
                    s.send(partial[i:i + 1])
                    s.settimeout(0.25)
                    if s.recv(65536) == b"":
                        closed = time.monotonic() - answered
                        break
                except socket.timeout:
                    pass
                except OSError:
                    closed = time.monotonic() - answered
                    break
                if time.monotonic() - answered > header_timeout * 2 + 3:
                    break
            self.assertIsNotNone(closed, "the trickling connection was never closed")
            self.assertGreater(closed, header_timeout * 0.8, "closed by the first request's deadline")
            self.assertLess(closed, header_timeout + 3)
        finally:
            s.close()

    # --- plugins and admin ---

    def test_example_plugin_header(self):
        conf = gateway_conf(1)
        if "request_stamp" not in conf.get("plugins", ""):
            self.skipTest("request_stamp is not in [gateway] plugins of gw1.conf")
        status, headers, body = self.get("/echo/stamp")
        self.assertEqual(status, 200)
        self.assertTrue(headers.get("x-request-stamp", "").endswith("/" + headers["x-request-id"]))
        self.assertEqual(json.loads(body)["headers"].get("X-Stamped-By"), "request_stamp")

    def test_api_with_its_own_plugin_order(self):
        # gw confs carry [api /unstamped:1.0.0] plugins = key_auth, throttle, usage
        conf = gateway_conf(1)
        if "request_stamp" not in conf.get("plugins", ""):
            self.skipTest("request_stamp is not in [gateway] plugins of gw1.conf")
        try:
            api = harness.new_api(context="/unstamped", auth_type="None",
                                  resources=[("GET", "/*")])
        except Exception:   # a rerun on the same stack: it exists already
            api = {"context": "/unstamped", "version": "1.0.0"}
        url = harness.api_url(api, "/echo/x")
        harness.wait_until(lambda: harness.http("GET", url)[0] == 200, timeout=20,
                           message="/unstamped published on gateway 1")
        status, headers, body = harness.http("GET", url)
        self.assertEqual(status, 200)
        self.assertNotIn("x-request-stamp", headers)
        self.assertNotIn("X-Stamped-By", json.loads(body)["headers"])
        self.assertIn("x-request-stamp", self.get("/echo/stamped")[1])   # other APIs: the full chain

    def test_admin_health_and_metrics(self):
        status, _, body = harness.http("GET", harness.GATEWAY_ADMIN[0] + "/health")
        self.assertEqual(status, 200)
        health = json.loads(body)
        self.assertEqual(health["status"], "ok")
        self.assertGreaterEqual(health["apis"], 1)
        self.get("/echo/m")
        status, _, metrics = harness.http("GET", harness.GATEWAY_ADMIN[0] + "/metrics")
        self.assertEqual(status, 200)
        label = ('api="%s:%s",status="200"' % (self.api["context"], self.api["version"])).encode()
        self.assertIn(b"tollgate_gateway_requests_total{" + label, metrics)
        self.assertIn(b"tollgate_gateway_upstream_seconds_count", metrics)

    def test_requests_counted_by_status_in_a_row(self):
        # a worker remembers the series its last request counted on: requests of one API
        # whose statuses alternate must still land on their own series
        def counts():
            _, _, metrics = harness.http("GET", harness.GATEWAY_ADMIN[0] + "/metrics")
            out = {}
            for status in ("200", "404"):
                label = ('api="%s:%s",status="%s"' % (self.api["context"], self.api["version"],
                                                      status)).encode()
                m = re.search(rb"tollgate_gateway_requests_total\{" + re.escape(label) +
                              rb"\} (\d+)", metrics)
                out[status] = int(m.group(1)) if m else 0
            return out
        before = counts()
        conn = self.connection()
        for resource in ("/echo/a", "/echo/b", "/status/404", "/echo/c", "/status/404"):
            conn.request("GET", self.path(resource))
            conn.getresponse().read()
        conn.close()
        after = counts()
        self.assertEqual(after["200"] - before["200"], 3)
        self.assertEqual(after["404"] - before["404"], 2)


if __name__ == "__main__":
    unittest.main()
