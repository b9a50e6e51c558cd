"""hostile.py: what the test_hostile_* suites share: raw bytes to a daemon's
socket, the daemons' pids, and the check that follows every attack (a normal
authenticated call still answers, and no daemon was restarted); and the
scripted raw-socket backend the gateway's backend-side tests answer from.

Trade-off: plain sockets, no HTTP library, so a test says exactly which bytes
go on the wire and sees exactly which come back.
"""
import os
import socket
import ssl
import threading
import time
import unittest
import urllib.parse

import harness


def host_port(url):
    """(host, port) of an http(s) URL or of a HOST:PORT string."""
    if "://" not in url:
        host, _, port = url.rpartition(":")
        return host.strip("[]"), int(port)
    parts = urllib.parse.urlsplit(url)
    return parts.hostname, parts.port


def connect(url, timeout=5, tls=None):
    """A connected socket to url (TLS, trusting the stack's CA, for https:// or tls=True)."""
    host, port = host_port(url)
    sock = socket.create_connection((host, port), timeout=timeout)
    if tls or (tls is None and url.startswith("https://")):
        return harness.ssl_context().wrap_socket(sock, server_hostname=host)
    return sock


def read_all(sock, limit=4 * 1024 * 1024, timeout=5):
    """Bytes until the peer closes, `limit` bytes, or `timeout` s of silence."""
    sock.settimeout(timeout)
    chunks, n = [], 0
    try:
        while n < limit:
            data = sock.recv(65536)
            if not data:
                break
            chunks.append(data)
            n += len(data)
    except (socket.timeout, ConnectionResetError, ssl.SSLError):
        pass
    return b"".join(chunks)


def exchange(url, data, timeout=5, shut_write=False):
    """Sends data on a new connection and returns every byte that comes back
    before the peer closes (or `timeout` s of silence)."""
    with connect(url, timeout=timeout) as sock:
        sock.sendall(data)
        if shut_write and not isinstance(sock, ssl.SSLSocket):
            sock.shutdown(socket.SHUT_WR)
        return read_all(sock, timeout=timeout)


def status_of(raw):
    """The status code of the first response in raw bytes, or None."""
    line = raw.split(b"\r\n", 1)[0].split(b" ")
    if len(line) >= 2 and line[0].startswith(b"HTTP/") and line[1].isdigit():
        return int(line[1])
    return None


def statuses(raw):
    """Status codes of every response head found in raw (to count how many
    answers a pipelined or smuggled request drew)."""
    out, pos = [], 0
    while True:
        i = raw.find(b"HTTP/1.", pos)
        if i < 0:
            return out
        st = status_of(raw[i:])
        if st is not None and (i == 0 or raw[i - 2:i] == b"\r\n"):
            out.append(st)
        pos = i + 7


def daemon_pids():
    """{name: pid} of every daemon the launcher started under $TOLLGATE_VAR."""
    run = os.path.join(harness.VAR, "run")
    out = {}
    for name in sorted(os.listdir(run)) if os.path.isdir(run) else []:
        if name.endswith(".pid"):
            try:
                with open(os.path.join(run, name)) as f:
                    out[name[:-4]] = int(f.read().strip())
            except (OSError, ValueError):
                pass
    return out


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


class ScriptedBackend:
    """A backend in this process on a raw socket, so a test decides the exact
    bytes of every answer: it numbers the connections the gateway opens
    (.count) and runs answer(conn, number) for each on a thread of its own.
    Subclasses write answer(); an OSError there is the gateway hanging up."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(512)
        self.port = self.sock.getsockname()[1]
        self.lock = threading.Lock()
        self.count = 0
        self.api = None
        threading.Thread(target=self.accept_loop, daemon=True).start()

    def accept_loop(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed
            with self.lock:
                self.count += 1
                number = self.count
            threading.Thread(target=self.serve, args=(conn, number), daemon=True).start()

    def serve(self, conn, number):
        try:
            self.answer(conn, number)
        except OSError:
            pass  # the gateway hung up (it refuses some answers before their end)
        finally:
            conn.close()

    def answer(self, conn, number):
        raise NotImplementedError

    @staticmethod
    def read_head(conn, buf):
        """The next request head on conn, buf the bytes already read past the last
        one: (head, path without its query, the bytes after the head); None when
        the gateway closed first."""
        while b"\r\n\r\n" not in buf:
            data = conn.recv(65536)
            if not data:
                return None
            buf += data
        head, _, rest = buf.partition(b"\r\n\r\n")
        return head, head.split(b" ")[1].decode().split("?")[0], rest

    @staticmethod
    def last_segment(path):
        return path.rstrip("/").rsplit("/", 1)[-1]

    @staticmethod
    def send_pieces(conn, pieces, pause):
        """Each piece in its own send, pause seconds apart (a head or body split
        across reads)."""
        for i, piece in enumerate(pieces):
            if i:
                time.sleep(pause)
            conn.sendall(piece)

    def close(self):
        self.sock.close()

    def new_api(self, probe):
        """A published API (no auth) whose endpoint is this backend's /base, once
        gateway 1 answers its resource probe with 200; get() calls it."""
        self.api = harness.new_api(auth_type="None", endpoint="http://127.0.0.1:%d/base" % self.port)
        harness.wait_until(lambda: self.get(probe)[0] == 200, timeout=20,
                           message="API published on gateway 1")
        return self.api

    def get(self, resource, k=0, timeout=10):
        """GET resource of the API new_api made, through gateway k."""
        return harness.http("GET", harness.api_url(self.api, resource, k), timeout=timeout)


class HostileCase(unittest.TestCase):
    """Base of the hostile suites: one API with a key per class, the daemons'
    pids taken before the first attack, and assertStillServing() to call after
    each one."""

    api_resources = None  # resources for the class's API; None: new_api's default

    @classmethod
    def setUpClass(cls):
        kwargs = {"resources": cls.api_resources} if cls.api_resources else {}
        cls.api = harness.new_api(**kwargs)
        cls.key = harness.new_app_with_key(cls.api)
        cls.pids = daemon_pids()

    def assertStillServing(self, resource=None, verb="GET"):
        """Every gateway answers an authenticated call with 200, and every daemon
        runs with the pid it had before the class's first attack."""
        path = resource or "/echo"
        for k in range(len(harness.GATEWAYS)):
            deadline = time.monotonic() + 10
            while True:
                st, _, body = harness.http(verb, harness.api_url(self.api, path, k),
                                           headers=self.key["headers"])
                if st == 200 or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            self.assertEqual(200, st, "gateway %d after the attack: %r" % (k + 1, body[:300]))
        for name, pid in self.pids.items():
            self.assertTrue(alive(pid), "%s (pid %d) is gone" % (name, pid))
        self.assertEqual(self.pids, daemon_pids(), "a daemon was restarted")
