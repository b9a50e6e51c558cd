"""The portal's body limits over raw TLS sockets: a Content-Length past
[portal] max_body (1 MB) is answered 413 in the portal's error format (JSON
under /api/, the HTML page elsewhere, both naming the limit) before any of the
body is sent, with Connection: close; a chunked body that grows past it gets
the same 413; a body of exactly the limit is read. The upload routes take
[portal] upload_max_body (the importer's 4 MB document limit plus multipart
framing): a 2 MB document is imported, one just past 4 MB gets the importer's
own 400, past the upload limit 413. After each, a login on a new connection
works and the portal is the same process (it used to close without a word).
"""
import json
import os
import socket
import ssl
import time
import unittest
import urllib.parse

import harness
from test_portal_store import PORTAL, Browser, api_token, bearer
from test_portal_import import yaml_doc
from test_portal_publisher import PASSWORD, call, portal_users

MAX_BODY = 1048576          # [portal] max_body's default
UPLOAD_MAX_BODY = 4259840   # [portal] upload_max_body's default
OPENAPI_MAX_BYTES = 4 * 1024 * 1024


def portal_pid():
    with open(os.path.join(harness.VAR, "run", "portal.pid")) as f:
        return int(f.read().strip())


class Raw:
    """One TLS connection to the portal, spoken to byte by byte."""

    def __init__(self):
        parts = urllib.parse.urlsplit(PORTAL)
        self.host, self.port = parts.hostname, parts.port
        plain = socket.create_connection((self.host, self.port), timeout=20)
        self.s = harness.ssl_context().wrap_socket(plain, server_hostname=self.host)

    def send(self, data):
        """Sends data; False when the portal has closed (it may stop reading after its answer)."""
        try:
            self.s.sendall(data)
            return True
        except (ConnectionError, ssl.SSLError, OSError):
            return False

    def head(self, method, path, headers):
        lines = ["%s %s HTTP/1.1" % (method, path), "Host: %s:%d" % (self.host, self.port)]
        lines += ["%s: %s" % kv for kv in headers]
        return self.send(("\r\n".join(lines) + "\r\n\r\n").encode())

    def response(self, probe_close=True):
        """(status, headers lower-cased, body, closed): closed when the portal ended the connection
        after the answer."""
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = self.s.recv(65536)
            if not chunk:
                raise AssertionError("the portal closed without an answer: %r" % buf)
            buf += chunk
        head, _, body = buf.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        hdrs = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            hdrs[k.strip().lower()] = v.strip()
        n = int(hdrs.get("content-length", "0"))
        while len(body) < n:
            chunk = self.s.recv(65536)
            if not chunk:
                break
            body += chunk
        closed = False
        if not probe_close:
            return status, hdrs, body.decode("utf-8", "replace"), closed
        try:
            closed = self.s.recv(1) == b""
        except (ConnectionError, ssl.SSLError, OSError):
            closed = True
        return status, hdrs, body.decode("utf-8", "replace"), closed

    def close(self):
        self.s.close()


@unittest.skipUnless(PORTAL, "no portal in this stack (TOLLGATE_PORTAL unset)")
class PortalBodyLimitTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pid = portal_pid()
        cls.admin = api_token("admin", harness.ADMIN_PASSWORD)["access_token"]
        cls.pub = harness.unique("lim")
        status, _, text = call("POST", "/api/admin/v1/users", cls.admin,
                               {"name": cls.pub, "password": PASSWORD, "roles": ["publisher"]})
        assert status == 200, text
        cls.pt = api_token(cls.pub, PASSWORD)["access_token"]

    def tearDown(self):
        # a new connection still logs in, and it is the same portal process
        self.assertIn("access_token", api_token("admin", harness.ADMIN_PASSWORD))
        self.assertEqual(portal_pid(), self.pid)
        os.kill(self.pid, 0)

    def refused(self, method, path, headers, body=b""):
        r = Raw()
        try:
            r.head(method, path, headers)
            if body:
                r.send(body)
            return r.response()
        finally:
            r.close()

    def assert_413(self, answer, limit, json_body):
        status, hdrs, text, closed = answer
        self.assertEqual(status, 413, text)
        self.assertEqual(hdrs.get("connection", "").lower(), "close", hdrs)
        self.assertTrue(closed, "the connection stays open after a 413")
        self.assertIn("%d bytes" % limit, text)
        if json_body:
            self.assertTrue(hdrs["content-type"].startswith("application/json"), hdrs)
            doc = json.loads(text)
            self.assertEqual(doc["code"], 413)
            self.assertIn("larger than", doc["message"])
        else:
            self.assertTrue(hdrs["content-type"].startswith("text/html"), hdrs)
            self.assertIn("larger than", text)
            self.assertIn("<html", text)

    def test_content_length_past_the_limit_is_413_before_the_body(self):
        json_type = ("Content-Type", "application/json")
        form_type = ("Content-Type", "application/x-www-form-urlencoded")
        cases = [  # (what, method, path, headers, JSON answer)
            ("token, one byte over", "POST", "/api/auth/token",
             [json_type, ("Content-Length", str(MAX_BODY + 1))], True),
            ("token, lower-case name", "POST", "/api/auth/token",
             [json_type, ("content-LENGTH", str(MAX_BODY + 1))], True),
            ("token, leading zeros", "POST", "/api/auth/token",
             [json_type, ("Content-Length", "000" + str(MAX_BODY + 1))], True),
            ("token, a terabyte", "POST", "/api/auth/token",
             [json_type, ("Content-Length", str(1 << 40))], True),
            ("login form", "POST", "/login", [form_type, ("Content-Length", str(MAX_BODY + 1))], False),
            ("sign-up form", "POST", "/signup", [form_type, ("Content-Length", str(4 * MAX_BODY))], False),
            ("unknown page", "POST", "/no/such/page", [form_type, ("Content-Length", str(MAX_BODY + 1))],
             False),
            ("unknown API path", "PUT", "/api/no/such", [json_type, ("Content-Length", str(MAX_BODY + 1))],
             True),
            ("GET with a body", "GET", "/", [("Content-Length", str(MAX_BODY + 1))], False),
            ("upload limit does not leak to a near path", "POST", "/api/publisher/v1/importx",
             [json_type, ("Content-Length", str(MAX_BODY + 1))], True),
            ("encoded upload path is another path", "POST", "/api/publisher/v1/import%2f",
             [json_type, ("Content-Length", str(MAX_BODY + 1))], True),
        ]
        for what, method, path, headers, as_json in cases:
            with self.subTest(what):
                self.assert_413(self.refused(method, path, headers), MAX_BODY, as_json)

    def test_a_body_of_exactly_the_limit_is_read(self):
        body = b'{"username":"admin","password":"wrong","pad":"' + b"x" * (MAX_BODY - 48) + b'"}'
        self.assertEqual(len(body), MAX_BODY)
        status, _, text, _ = self.refused("POST", "/api/auth/token",
                                          [("Content-Type", "application/json"),
                                           ("Content-Length", str(len(body)))], body)
        self.assertNotEqual(status, 413, text)
        self.assertIn(status, (400, 401), text)

    def test_a_login_past_the_hubs_string_limit_is_400_not_503(self):
        """A 512 KB password inside the body limit: the hub refused the whole Thrift message,
        which the portal took for "no hub is reachable" (503). An 8 KB User-Agent is cut to
        the 200 bytes the hub keeps, and the login is answered as any other."""
        cases = [({"username": "admin", "password": "p" * (MAX_BODY // 2)}, [], 400),
                 ({"username": "u" * 300, "password": "wrong"}, [], 400),
                 ({"username": "admin", "password": "wrong"}, [("User-Agent", "a" * 8000)], 401)]
        for fields, extra, want in cases:
            body = json.dumps(fields).encode()
            with self.subTest(len(body)):
                status, _, text, _ = self.refused(
                    "POST", "/api/auth/token",
                    [("Content-Type", "application/json"),
                     ("Content-Length", str(len(body)))] + extra, body)
                self.assertEqual(status, want, text)
                if want == 400:
                    self.assertIn("at most 255 bytes and a password at most 1024", text)

    def test_chunked_body_past_the_limit_is_413(self):
        for name in ("Transfer-Encoding", "transfer-encoding"):
            with self.subTest(name):
                r = Raw()
                try:
                    r.head("POST", "/api/auth/token", [("Content-Type", "application/json"), (name, "chunked")])
                    piece = b"a" * 65536
                    sent = 0
                    while sent <= MAX_BODY and r.send(b"%x\r\n" % len(piece) + piece + b"\r\n"):
                        sent += len(piece)
                    self.assert_413(r.response(), MAX_BODY, True)
                finally:
                    r.close()

    def test_small_chunks_past_the_limit_on_a_form_route(self):
        r = Raw()
        try:
            r.head("POST", "/login", [("Content-Type", "application/x-www-form-urlencoded"),
                                      ("Transfer-Encoding", "chunked")])
            piece = b"b" * 1000
            chunks = b"".join(b"%x\r\n" % len(piece) + piece + b"\r\n" for _ in range(MAX_BODY // 1000 + 2))
            r.send(chunks)
            self.assert_413(r.response(), MAX_BODY, False)
        finally:
            r.close()

    def upload(self, body):
        r = Raw()
        try:
            r.head("POST", "/api/publisher/v1/import",
                   list(bearer(self.pt).items()) + [("Content-Type", "application/yaml"),
                                                    ("Content-Length", str(len(body)))])
            r.send(body)
            return r.response()
        finally:
            r.close()

    def test_an_upload_between_max_body_and_the_import_limit_reaches_the_importer(self):
        ctx = "/" + harness.unique("big")
        doc = yaml_doc(ctx)
        doc = (doc + "#" * 2 * 1024 * 1024 + "\n").encode()
        self.assertGreater(len(doc), 2 * MAX_BODY)
        status, _, text, _ = self.upload(doc)
        self.assertEqual(status, 200, text)
        self.assertEqual(json.loads(text)["context"], ctx)

    def test_a_document_past_the_import_limit_gets_the_importers_error(self):
        ctx = "/" + harness.unique("huge")
        doc = yaml_doc(ctx).encode()
        doc += b"#" * (OPENAPI_MAX_BYTES + 1 - len(doc))
        self.assertLess(len(doc), UPLOAD_MAX_BODY)
        status, _, text, _ = self.upload(doc)
        self.assertEqual(status, 400, text)
        self.assertIn("at most %d are accepted" % OPENAPI_MAX_BYTES, json.loads(text)["message"])

    def test_an_upload_past_the_upload_limit_is_413(self):
        answer = self.refused("POST", "/api/publisher/v1/import",
                              list(bearer(self.pt).items()) +
                              [("Content-Type", "application/yaml"), ("Content-Length", str(UPLOAD_MAX_BODY + 1))])
        self.assert_413(answer, UPLOAD_MAX_BODY, True)
        answer = self.refused("POST", "/publisher/import",
                              [("Content-Type", "multipart/form-data; boundary=x"),
                               ("Content-Length", str(UPLOAD_MAX_BODY + 1))])
        self.assert_413(answer, UPLOAD_MAX_BODY, False)

    def test_a_413_after_a_kept_alive_request(self):
        r = Raw()
        try:
            r.head("GET", "/health", [])
            status, _, text, _ = r.response(probe_close=False)
            self.assertEqual(status, 200, text)
            r.head("POST", "/api/auth/token", [("Content-Type", "application/json"),
                                               ("Content-Length", str(MAX_BODY + 1))])
            self.assert_413(r.response(), MAX_BODY, True)
        finally:
            r.close()

@unittest.skipUnless(PORTAL, "no portal in this stack (TOLLGATE_PORTAL unset)")
class PortalHubStringLimitTest(unittest.TestCase):
    """A value longer than the hub's max_string_size, inside the portal's own body limit:
    the hub refused the whole Thrift message by closing the connection, which the portal
    read as "hub down": it marked the hub down, sent the same call to the next hub (closed
    too) and answered 503 "no hub is reachable", with every hub marked down for everyone.
    Now the portal refuses the call before sending it (the limits are the hub's defaults,
    common/tg_thrift_scan.h): 400 naming the field and the limit, no hub marked down, the
    next call answered at once, the hubs the same processes."""

    STRING_LIMIT = int(harness.hub_config(1, "max_string_size", "65536") or 65536)

    @classmethod
    def setUpClass(cls):
        portal_users(cls, "strpub", "strsub")
        cls.hub_pids = [harness.hub_pid(k) for k in (1, 2)]

    def health(self):
        status, _, text, _ = Browser().get("/health", headers={"Accept": "application/json"})
        self.assertEqual(status, 200, text)
        return json.loads(text)

    def log_size(self):
        return os.path.getsize(os.path.join(harness.VAR, "log", "portal.log"))

    def assertHubsUntouched(self, what, log_from):
        doc = self.health()
        self.assertEqual((doc["hubsUp"], doc["hubs"]), (2, 2), "%s: %r" % (what, doc))
        with open(os.path.join(harness.VAR, "log", "portal.log"), "rb") as f:
            f.seek(log_from)
            log = f.read().decode("utf-8", "replace")
        self.assertNotIn("trying the next", log, what)
        self.assertNotIn("no hub reachable", log, what)
        self.assertEqual([harness.hub_pid(k) for k in (1, 2)], self.hub_pids, what)
        # the next ordinary call is answered at once (no failover, no hub to wait for)
        t0 = time.monotonic()
        status, _, text = call("GET", "/api/store/v1/applications", self.st)
        self.assertEqual(status, 200, text)
        self.assertLess(time.monotonic() - t0, 1.0, "%s: the next call waited" % what)

    def assertTooLong(self, what, status, text, field):
        self.assertEqual(status, 400, "%s: %s" % (what, text[:300]))
        self.assertIn(field, text, what)
        self.assertIn("%d bytes" % self.STRING_LIMIT, text, what)
        self.assertNotIn("no hub is reachable", text, what)

    def test_an_application_description_past_the_hubs_string_limit_is_400(self):
        for n in (self.STRING_LIMIT + 1, 10 * self.STRING_LIMIT):
            name = harness.unique("longdesc")
            log_from = self.log_size()
            status, _, text = call("POST", "/api/store/v1/applications", self.st,
                                   {"name": name, "tier": "Unlimited", "description": "d" * n})
            self.assertTooLong("description of %d bytes" % n, status, text, "description")
            self.assertHubsUntouched("description of %d bytes" % n, log_from)
            _, _, listing = call("GET", "/api/store/v1/applications", self.st)
            self.assertNotIn(name, listing)
        # at the limit the call reaches the hub, which answers by its own rules (an
        # application description holds at most 65535 bytes: 400 from the hub)
        log_from = self.log_size()
        status, _, text = call("POST", "/api/store/v1/applications", self.st,
                               {"name": harness.unique("limitdesc"), "tier": "Unlimited",
                                "description": "d" * self.STRING_LIMIT})
        self.assertIn(status, (201, 400), text[:300])
        self.assertNotIn("over the hub's limit", text)
        self.assertHubsUntouched("description at the limit", log_from)
        status, _, text = call("POST", "/api/store/v1/applications", self.st,
                               {"name": harness.unique("okdesc"), "tier": "Unlimited",
                                "description": "d" * 60000})
        self.assertEqual(status, 201, text[:300])

    def test_an_api_description_past_the_hubs_string_limit_is_400(self):
        ctx = "/" + harness.unique("longapi")
        log_from = self.log_size()
        status, _, text = call("POST", "/api/publisher/v1/apis", self.pt, {
            "name": ctx[1:], "context": ctx, "version": "1.0.0",
            "productionEndpoint": harness.BACKEND, "description": "a" * (self.STRING_LIMIT + 1),
            "resources": [{"verb": "GET", "uriTemplate": "/items/{id}"}]})
        self.assertTooLong("API description", status, text, "description")
        self.assertHubsUntouched("API description", log_from)

    def test_the_store_form_shows_the_limit(self):
        b = Browser()
        b.login(self.sub, PASSWORD)
        log_from = self.log_size()
        name = harness.unique("formdesc")
        status, _, text, _ = b.post("/store/apps", {"name": name, "tier": "Unlimited",
                                                    "description": "f" * (self.STRING_LIMIT + 1)})
        self.assertNotEqual(status, 303, "created: %s" % text[:300])
        self.assertIn("%d bytes" % self.STRING_LIMIT, text)
        self.assertNotIn("no hub is reachable", text)
        self.assertHubsUntouched("store form", log_from)


if __name__ == "__main__":
    unittest.main()
