"""Gateway towards a scripted backend: response heads as real servers send
them (an interim 1xx first, bare LF line ends, a head in pieces, chunked,
hop-by-hop headers, 204), heads the gateway must refuse (too big, a bad status
line), and keep-alive reuse of backend connections under concurrent clients.

The backend is a raw socket server in this process, so each test decides the
exact bytes and can count the connections the gateway opens.
"""
import http.client as httplib
import socket
import threading
import time
import unittest
import urllib.parse

import harness
import hostile

HUGE_HEADER = "X-Huge: " + "h" * (70 * 1024)

# path -> list of byte strings sent with a short pause between them
ANSWERS = {
    "/interim": [b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\n"
                 b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Kind: final\r\n\r\nok"],
    "/bare-lf": [b"HTTP/1.1 201 Created\nContent-Length: 3\nX-Kind:  lf  \n\nyes"],
    "/pieces": [b"HTTP/1.1 200 OK\r\nContent-Le", b"ngth: 5\r\nX-Kind: pie", b"ces\r\n\r\n",
                b"he", b"llo"],
    "/huge-head": [("HTTP/1.1 200 OK\r\n%s\r\nContent-Length: 2\r\n\r\nok" % HUGE_HEADER).encode()],
    "/bad-status": [b"HTTP/1.1 2x0 Odd\r\nContent-Length: 2\r\n\r\nok"],
    "/not-http": [b"SSH-2.0-OpenSSH_9.2\r\n\r\n"],
    "/chunked": [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                 b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"],
    "/hop": [b"HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Hop\r\nX-Hop: secret\r\n"
             b"Keep-Alive: timeout=5\r\nProxy-Thing: x\r\nX-Kind: end-to-end\r\n"
             b"Content-Length: 2\r\n\r\nok"],
    "/no-content": [b"HTTP/1.1 204 No Content\r\nX-Kind: empty\r\n\r\n"],
}
SLOW_ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nslow"
NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"


class AnswersBackend(hostile.ScriptedBackend):
    """Answers each request on a keep-alive connection from ANSWERS by path;
    /slow waits 0.3 s first."""

    def answer(self, conn, number):
        buf = b""
        while (request := self.read_head(conn, buf)) is not None:
            _, path, buf = request
            name = "/" + self.last_segment(path)
            if name == "/slow":
                time.sleep(0.3)
                conn.sendall(SLOW_ANSWER)
                continue
            self.send_pieces(conn, ANSWERS.get(name, [NOT_FOUND]), 0.05)


class GatewayBackendTest(unittest.TestCase):
    backend = None
    api = None

    @classmethod
    def setUpClass(cls):
        cls.backend = AnswersBackend()
        cls.api = cls.backend.new_api("/slow")

    @classmethod
    def tearDownClass(cls):
        cls.backend.close()

    def get(self, resource, timeout=10):
        return self.backend.get(resource, timeout=timeout)

    def assert_fault_502(self, resource):
        status, _, body = self.get(resource)
        self.assertEqual(status, 502, body)
        self.assertIn(b"101503", body)

    def test_interim_response_is_skipped(self):
        status, headers, body = self.get("/interim")
        self.assertEqual((status, body), (200, b"ok"))
        self.assertEqual(headers.get("x-kind"), "final")
        self.assertIsNone(headers.get("link"))

    def test_bare_lf_head(self):
        status, headers, body = self.get("/bare-lf")
        self.assertEqual((status, body), (201, b"yes"))
        self.assertEqual(headers.get("x-kind"), "lf")

    def test_head_in_pieces(self):
        status, headers, body = self.get("/pieces")
        self.assertEqual((status, body), (200, b"hello"))
        self.assertEqual(headers.get("x-kind"), "pieces")

    def raw_exchange(self, request):
        """Sends request bytes to gateway 0 and reads until the gateway closes
        (None when it is still open after 5 s)."""
        gateway = urllib.parse.urlsplit(harness.GATEWAYS[0])
        with socket.create_connection((gateway.hostname, gateway.port), timeout=5) as sock:
            sock.sendall(request)
            got = b""
            try:
                while True:
                    data = sock.recv(65536)
                    if not data:
                        return got
                    got += data
            except socket.timeout:
                return None

    def test_http10_client_gets_chunked_answer_closed(self):
        """Regression: for an HTTP/1.0 client that asked for keep-alive, a
        chunked backend answer can only be delimited by closing the connection.
        The gateway meant to close it, but libevhtp's evhtp_request_set_keepalive(0)
        does nothing, and the client waited for an end that never came."""
        path = "%s/%s/chunked" % (self.api["context"], self.api["version"])
        got = self.raw_exchange(("GET %s HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" % path).encode())
        self.assertIsNotNone(got, "the gateway kept the connection open")
        head, _, body = got.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.0 200"), head)
        self.assertNotIn(b"transfer-encoding", head.lower())
        self.assertNotIn(b"keep-alive", head.lower())
        self.assertEqual(body, b"hello world")

    def test_http11_client_gets_chunked_answer(self):
        status, headers, body = self.get("/chunked")
        self.assertEqual((status, body), (200, b"hello world"))
        self.assertEqual(headers.get("transfer-encoding"), "chunked")

    def test_hop_by_hop_response_headers_dropped(self):
        """Connection, what it names, Keep-Alive and Proxy-* stay on the backend hop;
        no Content-Type is made up for an answer that has none."""
        status, headers, body = self.get("/hop")
        self.assertEqual((status, body), (200, b"ok"))
        self.assertEqual(headers.get("x-kind"), "end-to-end")
        for name in ("x-hop", "keep-alive", "proxy-thing", "connection", "content-type"):
            self.assertIsNone(headers.get(name), name)
        self.assertEqual(headers.get("content-length"), "2")

    def test_no_content_answer_has_no_length_and_keeps_connection(self):
        gateway = urllib.parse.urlsplit(harness.GATEWAYS[0])
        conn = httplib.HTTPConnection(gateway.hostname, gateway.port, timeout=10)
        path = "%s/%s" % (self.api["context"], self.api["version"])
        try:
            conn.request("GET", path + "/no-content")
            resp = conn.getresponse()
            self.assertEqual((resp.status, resp.read()), (204, b""))
            self.assertEqual(resp.getheader("x-kind"), "empty")
            self.assertIsNone(resp.getheader("content-length"))
            conn.request("GET", path + "/bare-lf")  # the same connection, still usable
            resp = conn.getresponse()
            self.assertEqual((resp.status, resp.read()), (201, b"yes"))
        finally:
            conn.close()

    def test_oversized_head_is_502(self):
        self.assert_fault_502("/huge-head")

    def test_bad_status_line_is_502(self):
        self.assert_fault_502("/bad-status")
        self.assert_fault_502("/not-http")

    def test_backend_connections_are_reused(self):
        """80 keep-alive clients, 3 rounds of concurrent requests that the backend
        holds 0.3 s: the gateway needs 80 backend connections and keeps them. It
        used to keep at most 32 idle per thread and reconnected the rest every round."""
        clients = 80
        gateway = urllib.parse.urlsplit(harness.GATEWAYS[0])
        host, port = gateway.hostname, gateway.port
        path = "%s/%s/slow" % (self.api["context"], self.api["version"])
        conns = [httplib.HTTPConnection(host, port, timeout=30) for _ in range(clients)]
        barrier = threading.Barrier(clients)
        failures = []

        def client(c):
            try:
                for _ in range(3):
                    barrier.wait()
                    c.request("GET", path)
                    resp = c.getresponse()
                    if (resp.status, resp.read()) != (200, b"slow"):
                        failures.append(resp.status)
            except Exception as e:  # noqa: BLE001 - reported below
                failures.append(repr(e))
                barrier.abort()

        before = self.backend.count
        threads = [threading.Thread(target=client, args=(c,)) for c in conns]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        for c in conns:
            c.close()
        self.assertEqual(failures, [])
        opened = self.backend.count - before
        self.assertLessEqual(opened, clients + 4,
                             "%d backend connections for %d clients x 3 rounds" % (opened, clients))


if __name__ == "__main__":
    unittest.main()
