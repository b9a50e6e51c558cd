"""Portal sessions kept by the hubs (issue 15), on the real stack: a login survives a
restart of the stack's portal; a second portal process (same hubs, its own port, its
configuration made from --print-config) accepts the first one's cookie and CSRF token;
idle and absolute expiry with short limits (a portal started here with them); listing
sessions and ending one or the others across portals (within 2 s everywhere); the
database holds only the SHA-256 of a session id, and no log holds the id; attempts to get
past the checks (a forged or foreign id, a hub session that is no portal session, another
session's CSRF token, LIKE wildcards and other users' handles) are refused.
"""
import hashlib
import json
import os
import re
import socket
import subprocess
import time
import unittest
import urllib.parse

import harness
from test_portal_store import PORTAL, Browser, api_token, bearer

COOKIE = "__Host-tg_session"


def hub_has_portal_sessions():
    path = harness.binary("tollgate-keyvalidator")
    if not path:
        return False
    with open(path, "rb") as f:
        return b"hub_method_portal_session_check" in f.read()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Portal:
    """A tollgate-portal process of this test: the stack portal's configuration as
    --print-config prints it, with some [portal] keys changed and its own port."""

    def __init__(self, name, **settings):
        binary = harness.binary("tollgate-portal")
        base = os.path.join(harness.VAR, "conf", "portal.conf")
        text = subprocess.run([binary, "--config", base, "--print-config"],
                              capture_output=True, text=True, check=True, timeout=30).stdout
        self.port = free_port()
        settings = {k: str(v) for k, v in settings.items()}
        settings.update(port="9443", port_offset=str(self.port - 9443))
        out, section = [], None
        for line in text.splitlines():
            m = re.match(r"\[(\w+)\]", line)
            if m:
                section = m.group(1)
            m = re.match(r"(\w+) = ", line)
            if section == "portal" and m and m.group(1) in settings:
                line = "%s = %s" % (m.group(1), settings.pop(m.group(1)))
            out.append(line)
        assert not settings, "keys --print-config did not print: %s" % settings
        self.conf = os.path.join(harness.VAR, "conf", "test-%s.conf" % name)
        with open(self.conf, "w") as f:
            f.write("\n".join(out) + "\n")
        self.log_path = os.path.join(harness.VAR, "log", "test-%s.log" % name)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([binary, "--config", self.conf], stdout=self.log,
                                     stderr=subprocess.STDOUT)
        self.url = "https://127.0.0.1:%d" % self.port
        harness.wait_until(lambda: harness.http("GET", self.url + "/health", timeout=2)[0] == 200,
                           20, message="portal %s up" % name)

    def browser(self):
        return browser_for(self.url)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.log.close()


def browser_for(url):
    b = Browser()
    parts = urllib.parse.urlsplit(url)
    b.host, b.port = parts.hostname, parts.port
    b.origin = "https://%s:%d" % (b.host, b.port)
    return b


def signed_in(b):
    """TRUE when b's cookie is a live session on its portal."""
    return b.get("/account/sessions")[0] == 200


def end_others(b):
    return b.post("/account/sessions/end-others", {})[0]


@unittest.skipUnless(PORTAL and hub_has_portal_sessions(), "no portal, or a hub without portal sessions")
class PortalSessionsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.user = harness.new_user(("subscriber",))
        cls.other = Portal("sessions-b")
        cls.short = Portal("sessions-short", session_idle_s=4, session_absolute_s=12)

    @classmethod
    def tearDownClass(cls):
        cls.other.stop()
        cls.short.stop()

    def fresh_user(self):
        return harness.new_user(("subscriber",))

    def test_login_survives_a_portal_restart(self):
        u = self.fresh_user()
        b = Browser()
        b.login(u["name"], u["password"])
        csrf = b.csrf
        self.assertTrue(signed_in(b))
        harness.tollgate("stop", "portal")
        harness.tollgate("start", "portal")
        self.assertTrue(signed_in(b))
        self.assertEqual(b.csrf, csrf)  # the same token after the restart
        self.assertEqual(end_others(b), 303)  # a state change with it is accepted

    def test_a_session_survives_a_hub_going_down(self):
        u = self.fresh_user()
        a, b = Browser(), self.other.browser()
        a.login(u["name"], u["password"])
        b.cookies = dict(a.cookies)
        harness.stop_hub(1)
        try:
            time.sleep(1.1)  # past the portals' cache: hub 2 answers the checks
            self.assertTrue(signed_in(a))
            self.assertTrue(signed_in(b))
            self.assertEqual(end_others(b), 303)
        finally:
            harness.start_hub(1)

    def test_a_second_portal_takes_the_cookie_and_the_csrf_token(self):
        u = self.fresh_user()
        a = Browser()
        a.login(u["name"], u["password"])
        b = self.other.browser()
        b.cookies = dict(a.cookies)
        status, _, text, _ = b.get("/account/sessions")
        self.assertEqual(status, 200)
        self.assertIn(u["name"], text)
        self.assertEqual(b.csrf, a.csrf)
        # the first portal's token works on the second, a wrong one does not
        self.assertEqual(b.post("/account/sessions/end-others", {"csrf": "0" * 64})[0], 403)
        self.assertEqual(b.post("/account/sessions/end-others", {"csrf": a.csrf})[0], 303)
        # the token is bound to its session: another session's token is refused
        c = Browser()
        c.login(u["name"], u["password"])
        self.assertNotEqual(c.csrf, a.csrf)
        self.assertEqual(b.post("/account/sessions/end-others", {"csrf": c.csrf})[0], 403)
        # a bearer token from the first portal works on the second
        tok = api_token(u["name"], u["password"])["access_token"]
        self.assertEqual(b.get("/api/store/v1/sessions", headers=bearer(tok), cookies=False)[0], 200)

    def test_forged_and_foreign_ids_are_refused(self):
        u = self.fresh_user()
        a = Browser()
        a.login(u["name"], u["password"])
        good = a.cookies[COOKIE]
        body, _, mac = good.partition(".")
        for forged in (body + "." + mac[:-1] + ("A" if mac[-1] != "A" else "B"),  # bad MAC
                       body + ".", "." + mac, good + "x", good.upper(), "x" * 64, good[:64]):
            b = self.other.browser()
            b.cookies[COOKIE] = forged
            status, hdrs, _, _ = b.get("/account/sessions")
            self.assertEqual((status, hdrs.get("location")), (303, "/login?next=%2Faccount%2Fsessions"),
                             forged)
        # a valid hub session that is no portal session (tollgatectl's kind) is nobody here
        sid = harness.login(u["name"], u["password"])
        b = self.other.browser()
        b.cookies[COOKIE] = sid
        self.assertFalse(signed_in(b))
        self.assertEqual(b.get("/api/store/v1/sessions", headers=bearer(sid), cookies=False)[0], 401)
        # a cookie session is not a bearer token, nor a bearer token a cookie
        self.assertEqual(Browser().get("/api/store/v1/sessions", headers=bearer(good), cookies=False)[0],
                         401)
        tok = api_token(u["name"], u["password"])["access_token"]
        b = Browser()
        b.cookies[COOKIE] = tok
        self.assertFalse(signed_in(b))

    def test_idle_expiry(self):
        u = self.fresh_user()
        used, unused = self.short.browser(), self.short.browser()
        used.login(u["name"], u["password"])
        unused.login(u["name"], u["password"])
        start = time.monotonic()
        while time.monotonic() - start < 6:  # used every 1.5 s: longer than idle 4 s, alive
            self.assertTrue(signed_in(used), "refused %.1f s after login" % (time.monotonic() - start))
            time.sleep(1.5)
        # unused 6 s: refused on every portal, the cookie cleared, the row gone
        status, hdrs, _, cookies = unused.get("/account/sessions")
        self.assertEqual(status, 303)
        self.assertTrue(any(c.startswith(COOKIE + "=;") and "Max-Age=0" in c for c in cookies))
        self.assertNotIn(COOKIE, unused.cookies)
        self.assertTrue(signed_in(used))

    def test_idle_expiry_seen_by_every_portal(self):
        u = self.fresh_user()
        b = self.short.browser()
        b.login(u["name"], u["password"])
        cookie = b.cookies[COOKIE]
        time.sleep(6)
        main = Browser()
        main.cookies[COOKIE] = cookie  # the limits travel with the session, not the portal
        self.assertFalse(signed_in(main))
        digest = hashlib.sha256(cookie.encode()).hexdigest()
        self.assertEqual(harness.sql("userdb", "SELECT COUNT(*) FROM UM_PORTAL_SESSION"
                                                " WHERE session_hash = '%s'" % digest), [["0"]])

    def test_absolute_expiry(self):
        u = self.fresh_user()
        b = self.short.browser()
        b.login(u["name"], u["password"])
        start = time.monotonic()
        while signed_in(b):
            self.assertLess(time.monotonic() - start, 15, "alive past the absolute limit (12 s)")
            time.sleep(1)
        self.assertGreater(time.monotonic() - start, 10, "ended before its absolute limit (12 s)")

    def test_list_and_end_sessions_across_portals(self):
        u = self.fresh_user()
        a = Browser()
        a.login(u["name"], u["password"])
        b = self.other.browser()
        b.login(u["name"], u["password"])
        tok = api_token(u["name"], u["password"])["access_token"]
        for who in (a, b):
            status, _, text, _ = who.get("/api/store/v1/sessions", headers={"Accept": "application/json"})
            self.assertEqual(status, 200)
            sessions = json.loads(text)["sessions"]
            self.assertEqual(len(sessions), 3, sessions)
            self.assertEqual(sum(s["current"] for s in sessions), 1)
            self.assertEqual(sorted(s["kind"] for s in sessions), ["bearer", "cookie", "cookie"])
        mine = {s["handle"]: s for s in json.loads(
            b.get("/api/store/v1/sessions", headers={"Accept": "application/json"})[2])["sessions"]}
        b_handle = [h for h, s in mine.items() if s["current"]][0]
        self.assertEqual(b_handle, hashlib.sha256(b.cookies[COOKIE].encode()).hexdigest()[:16])
        # the HTML page on the second portal lists the first one's session too
        status, _, text, _ = b.get("/account/sessions")
        self.assertEqual(text.count('name="handle"'), 2)
        # a ends b's session by its handle; b is refused on its own portal within 2 s
        self.assertEqual(a.post("/account/sessions/end", {"handle": b_handle})[0], 303)
        harness.wait_until(lambda: not signed_in(b), 2, message="ended session refused")
        # the flash message travels in a cookie, so any portal shows it, once
        flash = browser_for(self.other.url)
        flash.cookies = dict(a.cookies)
        self.assertIn("Session ended.", flash.get("/account/sessions")[2])
        self.assertNotIn("Session ended.", flash.get("/account/sessions")[2])
        # a ends the others: the bearer token stops within 2 s, a stays
        self.assertEqual(end_others(a), 303)
        harness.wait_until(lambda: Browser().get("/api/store/v1/sessions", headers=bearer(tok),
                                                 cookies=False)[0] == 401, 2,
                           message="bearer token refused after end-others")
        self.assertTrue(signed_in(a))
        status, _, text, _ = a.get("/api/store/v1/sessions", headers={"Accept": "application/json"})
        self.assertEqual(len(json.loads(text)["sessions"]), 1)

    def test_flash_cookie_is_text(self):
        u = self.fresh_user()
        b = Browser()
        b.login(u["name"], u["password"])
        b.cookies["__Host-tg_flash"] = urllib.parse.quote("<script>alert(1)</script>")
        text = b.get("/account/sessions")[2]
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", text)
        self.assertNotIn("<script>alert(1)", text)
        b.cookies["__Host-tg_flash"] = "%FF%FE" + "x" * 300  # not UTF-8, too long: not shown
        self.assertNotIn("xxxx", b.get("/account/sessions")[2])

    def test_ending_by_handle_cannot_reach_others(self):
        u, v = self.fresh_user(), self.fresh_user()
        a = Browser()
        a.login(u["name"], u["password"])
        victim = self.other.browser()
        victim.login(v["name"], v["password"])
        handle = hashlib.sha256(victim.cookies[COOKIE].encode()).hexdigest()[:16]
        tok = api_token(u["name"], u["password"])["access_token"]
        for h in (handle, handle.upper(), "%", "_" * 16, handle[:8] + "%", "", "0" * 16):
            status, _, _, _ = Browser().request("DELETE", "/api/store/v1/sessions?handle=" +
                                                urllib.parse.quote(h), headers=bearer(tok),
                                                cookies=False)
            self.assertIn(status, (400, 404), h)
        self.assertEqual(a.post("/account/sessions/end", {"handle": handle})[0], 303)
        time.sleep(1.2)
        self.assertTrue(signed_in(victim))

    def test_only_the_hash_is_stored_and_nothing_logged(self):
        u = self.fresh_user()
        b = self.other.browser()
        b.login(u["name"], u["password"])
        cookie = b.cookies[COOKIE]
        tok = api_token(u["name"], u["password"])["access_token"]
        rows = harness.sql("userdb", "SELECT session_hash, kind, idle_s, expires_at - created_at,"
                                     " client_address, user_agent FROM UM_PORTAL_SESSION"
                                     " WHERE user_name = '%s' ORDER BY kind DESC" % u["name"])
        self.assertEqual([r[0] for r in rows], [hashlib.sha256(cookie.encode()).hexdigest(),
                                                 hashlib.sha256(tok.encode()).hexdigest()])
        self.assertEqual([r[1:4] for r in rows], [["cookie", "1800", "43200"], ["bearer", "0", "3600"]])
        dump = "\n".join("\t".join(r) for r in harness.sql(
            "userdb", "SELECT * FROM UM_PORTAL_SESSION UNION ALL SELECT session_hash, '', '', 0, 0, 0,"
                      " expires_at, '', '' FROM UM_REVOKED_SESSION"))
        for secret in (cookie, tok, cookie.split(".")[1], tok.split(".")[1]):
            self.assertNotIn(secret, dump)
        logs = os.path.join(harness.VAR, "log")
        for name in os.listdir(logs):
            with open(os.path.join(logs, name), "rb") as f:
                data = f.read()
            for secret in (cookie, tok):
                self.assertNotIn(secret.split(".")[1].encode(), data, name)

    def test_role_change_and_deletion_end_portal_sessions(self):
        u = self.fresh_user()
        a, b = Browser(), self.other.browser()
        a.login(u["name"], u["password"])
        b.login(u["name"], u["password"])
        old = a.cookies[COOKIE]
        with harness.Session("admin") as s:
            s.call("setUserRoles", u["name"], ["subscriber", "publisher"])
        for who in (a, b):
            harness.wait_until(lambda: not signed_in(who), 2, message="session ended by setUserRoles")
        self.assertEqual(harness.sql("userdb", "SELECT COUNT(*) FROM UM_PORTAL_SESSION WHERE"
                                               " user_name = '%s'" % u["name"]), [["0"]])
        a.login(u["name"], u["password"])
        self.assertNotEqual(a.cookies[COOKIE], old)  # new roles, new id
        with harness.Session("admin") as s:
            s.call("changePassword", u["name"], "", u["password"] + "-new")
        harness.wait_until(lambda: not signed_in(a), 2, message="session ended by changePassword")
        a.login(u["name"], u["password"] + "-new")
        with harness.Session("admin") as s:
            s.call("deleteUser", u["name"])
        harness.wait_until(lambda: not signed_in(a), 2, message="session ended by deleteUser")

    def test_hub_prunes_rows_past_their_end(self):
        old, live = "e" * 64, "f" * 64
        harness.sql("userdb", "INSERT INTO UM_PORTAL_SESSION (session_hash, user_name, kind, created_at,"
                              " last_seen, idle_s, expires_at) VALUES ('%s', 'nobody', 'cookie', 1, 1, 60, 2),"
                              " ('%s', 'nobody', 'cookie', UNIX_TIMESTAMP(), UNIX_TIMESTAMP(), 60,"
                              " UNIX_TIMESTAMP() + 3600)" % (old, live))
        harness.stop_hub(2)
        harness.start_hub(2)  # a hub prunes at start
        count = "SELECT COUNT(*) FROM UM_PORTAL_SESSION WHERE session_hash = '%s'"
        harness.wait_until(lambda: harness.sql("userdb", count % old) == [["0"]], 10,
                           message="the ended row pruned")
        self.assertEqual(harness.sql("userdb", count % live), [["1"]])
        harness.sql("userdb", "DELETE FROM UM_PORTAL_SESSION WHERE session_hash = '%s'" % live)

    def test_migration_011_is_idempotent(self):
        path = os.path.join(harness.ROOT, "sql", "migrations", "011_portal_sessions.sql")
        with open(path) as f:
            script = f.read()
        harness.sql("userdb", script)
        harness.sql("userdb", script)
        self.assertEqual(harness.sql("userdb", "SELECT version >= 11 FROM UM_SCHEMA_VERSION"
                                               " WHERE component = 'userdb'"), [["1"]])
        self.assertEqual(len(harness.sql("userdb", "SHOW INDEX FROM UM_PORTAL_SESSION"
                                                   " WHERE Key_name = 'idx_portal_session_user'")), 2)
        self.assertEqual(len(harness.sql("userdb", "SHOW INDEX FROM UM_PORTAL_SESSION"
                                                   " WHERE Key_name = 'idx_portal_session_expiry'")), 1)


if __name__ == "__main__":
    unittest.main()
