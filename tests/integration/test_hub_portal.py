"""The hub side of the portal (issue 15) against the real stack: every Tollgate method
answers (no hub crash), self sign-up and its refusals, settings, authenticateFrom and the
client address it carries into the audit log, verifyPassword, searchApis (fields, words,
tags, visibility, keyset pages with no duplicate and no gap while APIs are created, every
search shape on an index by EXPLAIN), getPublicApi (no backend endpoints for the public),
listApplicationsPage and listApiSubscriptions with their role refusals, Api tags, the
approval flow of a tier that requires it (ON_HOLD refused at the gateway, UNBLOCKED
served, REJECTED refused), regenerateConsumerSecret with the old secret accepted at /token
until its grace ends, the audit log, and usage series after real calls through a gateway.
"""
import base64
import json
import subprocess
import time
import unittest
import urllib.parse

import harness

def basic(key, secret):
    raw = "%s:%s" % (urllib.parse.quote(key, safe=""), urllib.parse.quote(secret, safe=""))
    return "Basic " + base64.b64encode(raw.encode()).decode()


def token_status(key, secret, hub=0):
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Authorization": basic(key, secret)}
    status, _, data = harness.http("POST", harness.HUB_HTTPS[hub] + "/token", headers=headers,
                                   body="grant_type=client_credentials")
    return status, json.loads(data.decode() or "{}")


def reconnecting(owner, method):
    """owner's client method, called again on a fresh connection when the hub closed an
    idle one (idle and first-call timeouts: these tests hold connections a long time)."""
    from thrift.transport.TTransport import TTransportException

    def call(*args):
        try:
            return getattr(owner.client, method)(*args)
        except (TTransportException, OSError):
            owner.transport.close()
            owner.client, owner.transport = harness.thrift_client(owner.hub)
            return getattr(owner.client, method)(*args)
    return call


class Client:
    """A Tollgate client without a session (anonymous calls, sign-up, authenticateFrom)."""

    def __init__(self, hub=0):
        self.hub = hub
        self.client, self.transport = harness.thrift_client(hub)

    def __getattr__(self, name):
        return reconnecting(self, name)

    def close(self):
        self.transport.close()


class Session(harness.Session):
    def __init__(self, user="admin", password=None, hub=0):
        super().__init__(user, password, hub)
        self.hub = hub

    def call(self, method, *args):
        return reconnecting(self, method)(self.sid, *args)


class HubPortalTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not harness.HUBS:
            raise unittest.SkipTest("no stack (TOLLGATE_HUBS unset)")
        cls.Tollgate, cls.T, cls.W = harness.thrift_modules()
        from wso2 import APIKeyValidationService  # noqa: E402  (generated)
        cls.W_service = APIKeyValidationService
        cls.closers = []
        cls.pat = harness.new_user(("publisher",))
        cls.other_pub = harness.new_user(("publisher",))
        cls.alice = harness.new_user(("subscriber",))
        cls.bob = harness.new_user(("subscriber",))
        cls.admin = cls.session("admin")
        cls.p = cls.session(cls.pat)
        cls.op = cls.session(cls.other_pub)
        cls.a = cls.session(cls.alice)
        cls.b = cls.session(cls.bob)
        cls.anon = Client()
        cls.closers.append(cls.anon)
        cls.uid = harness.unique("hp")

    @classmethod
    def session(cls, user):
        s = Session() if user == "admin" else Session(user["name"], user["password"])
        cls.closers.append(s)
        return s

    @classmethod
    def tearDownClass(cls):
        for s in getattr(cls, "closers", []):
            s.close()

    def assertCode(self, code, fn, *args):
        with self.assertRaises(self.T.TollgateException) as cm:
            fn(*args)
        self.assertEqual(cm.exception.code, code, cm.exception.message)
        self.assertTrue(cm.exception.message)
        return cm.exception

    def new_api(self, session=None, publish=True, **fields):
        return harness.new_api(session=session or self.p, publish=publish, auth_type="Any",
                               **fields)

    # ------------------------------------------------------------ no method crashes the hub

    def test_every_method_answers(self):
        from thrift.Thrift import TException
        from thrift.transport.TTransport import TTransportException
        names = sorted(n for n in dir(self.Tollgate.Iface) if not n.startswith("_"))
        self.assertGreaterEqual(len(names), 59)
        defaults = {self._ttype("STRING"): "", self._ttype("I32"): 0, self._ttype("I64"): 0,
                    self._ttype("BOOL"): False, self._ttype("LIST"): [],
                    self._ttype("MAP"): {}, self._ttype("SET"): set()}
        answered = []
        for name in names:
            module = self.Tollgate if hasattr(self.Tollgate, name + "_args") else self.W_service
            spec = getattr(module, name + "_args").thrift_spec
            args = []
            for field in spec[1:]:
                if field is None:
                    continue
                ftype, fname = field[1], field[2]
                if fname == "clientAddress":
                    args.append("203.0.113.77")
                elif ftype == self._ttype("STRUCT"):
                    args.append(field[3][0]())
                else:
                    args.append(defaults.get(ftype))
            if name == "authenticate":   # a success: no failure counted against this address
                args = ["admin", harness.ADMIN_PASSWORD]
            c = Client()
            try:
                getattr(c, name)(*args)
            except TTransportException as e:
                self.fail("%s: the hub dropped the connection (%s)" % (name, e))
            except TException:
                pass   # an answer: a refusal is fine, a crash is not
            finally:
                c.close()
            answered.append(name)
        self.assertGreaterEqual(len(answered), 56)
        self.assertTrue(self.admin.call("isAuthenticated"))   # still up

    def _ttype(self, name):
        from thrift.Thrift import TType
        return getattr(TType, name)

    def test_not_found_inside_a_transaction_logs_nothing_critical(self):
        """A store transaction whose body says "not found" (FALSE without an error) passed a
        NULL error on: GLib logged a CRITICAL on every such 404 (unsubscribe, issueToken
        without a key, setSubscriptionStatus of no subscription...)."""
        import os
        log = os.path.join(harness.VAR, "log", "hub1.log")
        size = os.path.getsize(log)
        app = self.a.call("createApplication", self.T.Application(name=harness.unique("app")))
        api = self.new_api()
        self.assertCode(404, self.a.call, "unsubscribe", "", app.name, api["context"],
                        api["version"])
        self.assertCode(404, self.a.call, "issueToken", "", app.name, "SANDBOX", 0, [], "")
        time.sleep(0.3)
        with open(log, errors="replace") as f:
            f.seek(size)
            self.assertNotIn("CRITICAL", f.read())

    # ------------------------------------------------------------ sign-up and settings

    def test_signup(self):
        name = "su" + harness.unique("x").lower().replace("_", "")[-12:]
        user = self.anon.signUp(name, "Good-Pass-123", "198.51.100.20")
        self.assertEqual(user.name, name)
        self.assertEqual(user.roles, ["subscriber"])
        sid = self.anon.authenticateFrom(name, "Good-Pass-123", "198.51.100.20")
        self.assertTrue(self.anon.isAuthenticated(sid))
        self.assertCode(403, self.anon.addUser, sid, "x" + name, "Other-Pass-123", ["admin"])
        self.assertCode(409, self.anon.signUp, name, "Good-Pass-123", "198.51.100.20")
        for bad_name in ("Admin", "ADMIN", "a b", "ab", "-x" + name, "x\u00e9" + name, ""):
            self.assertCode(400, self.anon.signUp, bad_name, "Good-Pass-123", "198.51.100.21")
        for weak in ("short1A!", "alllowercase", "X%s-2024!" % ("y" + name).upper(), "a" * 20,
                     "A" * 200):
            self.assertCode(400, self.anon.signUp, "y" + name, weak, "198.51.100.21")
        self.assertCode(400, self.anon.signUp, "z" + name, "Good-Pass-123", "198.51.100.21 x")
        self.assertCode(400, self.anon.signUp, "z" + name, "Good-Pass-123", "a\nb")

    def test_signup_off_and_settings(self):
        self.assertEqual(self.anon.getSettings("")["signup_enabled"], "true")
        self.assertEqual(self.a.call("getSettings")["signup_enabled"], "true")
        self.assertCode(401, self.anon.getSettings, "garbage")
        self.assertCode(403, self.a.call, "setSetting", "signup_enabled", "false")
        self.assertCode(403, self.p.call, "setSetting", "signup_enabled", "false")
        self.assertCode(401, self.anon.setSetting, "", "signup_enabled", "false")
        self.assertCode(400, self.admin.call, "setSetting", "signup_enabled", "FALSE")
        self.assertCode(400, self.admin.call, "setSetting", "signup_enabled", "no")
        self.assertCode(400, self.admin.call, "setSetting", "Signup_Enabled", "false")
        self.assertCode(400, self.admin.call, "setSetting", "no_such", "x")
        self.admin.call("setSetting", "signup_enabled", "false")
        try:
            self.assertEqual(self.anon.getSettings("")["signup_enabled"], "false")
            self.assertCode(403, self.anon.signUp, "off" + self.uid.lower()[-10:], "Good-Pass-123",
                            "198.51.100.22")
        finally:
            self.admin.call("setSetting", "signup_enabled", "true")
        self.anon.signUp("on" + self.uid.lower()[-10:], "Good-Pass-123", "198.51.100.22")

    # ------------------------------------------------------------ logins

    def test_authenticate_from_and_verify_password(self):
        sid = self.anon.authenticateFrom(self.alice["name"], self.alice["password"], "192.0.2.44")
        self.assertTrue(self.anon.isAuthenticated(sid))
        self.assertCode(401, self.anon.authenticateFrom, self.alice["name"], "wrong", "192.0.2.45")
        self.assertCode(401, self.anon.authenticateFrom, "no-such-" + self.uid, "x", "192.0.2.45")
        self.assertCode(400, self.anon.authenticateFrom, self.alice["name"],
                        self.alice["password"], "192.0.2.44 spoof")
        self.anon.verifyPassword(sid, self.alice["password"])
        self.assertCode(401, self.anon.verifyPassword, sid, "wrong")
        self.assertCode(401, self.anon.verifyPassword, "", self.alice["password"])
        self.assertCode(401, self.anon.verifyPassword, sid + "x", self.alice["password"])

    # ------------------------------------------------------------ tags

    def test_tags(self):
        api = self.new_api(tags=["Food", "food", "Fast-Food"], publish=False)
        self.assertEqual(sorted(api["tags"]), ["fast-food", "food"])
        got = self.p.call("getApi", api["context"], api["version"])
        self.assertEqual(sorted(got.tags), ["fast-food", "food"])
        upd = self.p.call("updateApi", self.T.Api(context=api["context"], version=api["version"],
                                                  description="changed"))
        self.assertEqual(sorted(upd.tags), ["fast-food", "food"])   # absent: unchanged
        upd = self.p.call("updateApi", self.T.Api(context=api["context"], version=api["version"],
                                                  tags=["Pizza"]))
        self.assertEqual(upd.tags, ["pizza"])
        listed = [x for x in self.p.call("listApis") if x.context == api["context"]]
        self.assertEqual(listed[0].tags, ["pizza"])
        nv = self.p.call("createNewVersion", api["context"], api["version"], "2.0.0")
        self.assertEqual(nv.tags, ["pizza"])
        for bad in (["a b"], ["<script>"], ["x" * 65], [""], ["t%d" % i for i in range(17)]):
            self.assertCode(400, self.p.call, "updateApi",
                            self.T.Api(context=api["context"], version=api["version"], tags=bad))

    # ------------------------------------------------------------ search

    def _search_all(self, session_id, query, limit, between=None):
        seen, cursor, pages = [], "", 0
        while True:
            page = self.anon.searchApis(session_id, query, cursor, limit)
            seen.extend(page.apis)
            pages += 1
            if between:
                between(pages)
            if not page.nextCursor:
                return seen, pages
            cursor = page.nextCursor
            self.assertLess(pages, 200)

    def test_search_fields_and_visibility(self):
        word = "zq" + self.uid.lower().replace("_", "")[-8:]
        pub = self.new_api(name="%s Pizza Shack" % word, tags=["food"])
        draft = self.new_api(name="%s Draft" % word, publish=False, tags=["food"])
        other = self.new_api(session=self.op, name="%s Burger" % word, tags=["fast"])
        names = lambda page: sorted(a.name for a in page.apis)  # noqa: E731
        page = self.anon.searchApis("", word, "", 50)
        self.assertEqual(names(page), sorted([pub["name"], other["name"]]))
        self.assertEqual(page.total, 2)
        self.assertEqual(self.anon.searchApis("", "", "", 5).total, -1)   # not counted
        for a in page.apis:   # the public never sees a backend endpoint
            self.assertIn(a.productionEndpoint, (None, ""))
        self.assertEqual(names(self.anon.searchApis(self.a.sid, word, "", 50)), names(page))
        self.assertEqual(len(self.anon.searchApis(self.p.sid, word, "", 50).apis), 3)  # own draft
        self.assertEqual(len(self.anon.searchApis(self.op.sid, word, "", 50).apis), 2)
        self.assertEqual(len(self.anon.searchApis(self.admin.sid, word, "", 50).apis), 3)
        prefix = word[:-2]
        self.assertEqual(len(self.anon.searchApis("", prefix, "", 50).apis), 2)   # a word prefix
        self.assertEqual(names(self.anon.searchApis("", word + " pizza", "", 50)), [pub["name"]])
        self.assertEqual(names(self.anon.searchApis("", word + " tag:FOOD", "", 50)), [pub["name"]])
        self.assertEqual(names(self.anon.searchApis("", "tag:fast " + word, "", 50)),
                         [other["name"]])
        self.assertEqual(names(self.anon.searchApis("", "name:%s" % word.upper(), "", 50)),
                         names(page))
        self.assertEqual(names(self.anon.searchApis("", "context:%s" % pub["context"], "", 50)),
                         [pub["name"]])
        self.assertEqual(names(self.anon.searchApis("", "%s provider:%s" % (
            word, self.other_pub["name"]), "", 50)), [other["name"]])
        self.assertEqual(len(self.anon.searchApis("", "%s status:created" % word, "", 50).apis), 0)
        self.assertEqual(names(self.anon.searchApis(self.p.sid, "%s status:created" % word, "",
                                                    50)), [draft["name"]])
        # SQL wildcards are literal
        self.assertEqual(len(self.anon.searchApis("", "name:%", "", 50).apis), 0)
        self.assertEqual(len(self.anon.searchApis("", "context:_", "", 50).apis), 0)
        for bad in ("owner:x", "name:", "name:a name:b", "\"open", "status:LIVE",
                    " ".join("w%d" % i for i in range(9))):
            self.assertCode(400, self.anon.searchApis, "", bad, "", 10)
        for limit in (0, 101, -1):
            self.assertCode(400, self.anon.searchApis, "", "", "", limit)
        for cursor in ("x", "!!", base64.urlsafe_b64encode(b"a\n0").decode(),
                       base64.urlsafe_b64encode(b"a\n1 OR 1=1").decode()):
            self.assertCode(400, self.anon.searchApis, "", "", cursor, 10)
        self.assertCode(401, self.anon.searchApis, "bad-session", "", "", 10)

    def test_search_keyset_pages_no_duplicates_no_gaps(self):
        word = "kp" + self.uid.lower().replace("_", "")[-8:]
        # as admin: a publisher's writes are rate limited (mgmt_write_rate)
        before = [self.new_api(session=self.admin, name="%s %03d" % (word, i)) for i in range(23)]
        inserted = []

        def insert_between(page):
            # a new API that sorts before everything, and one after: no page shifts
            inserted.append(self.new_api(session=self.admin, name="%s %03d" % (word, 0)))
            inserted.append(self.new_api(session=self.admin, name="%s 999 %d" % (word, page)))

        seen, pages = self._search_all("", word, 5, insert_between)
        ids = [a.id for a in seen]
        self.assertEqual(len(ids), len(set(ids)), "a duplicate across pages")
        self.assertGreaterEqual(pages, 5)
        original = {a["id"] for a in before}
        self.assertTrue(original <= set(ids), "a gap: %s" % (original - set(ids)))
        keys = [(a.name.lower(), a.id) for a in seen]
        self.assertEqual(keys, sorted(keys))   # by name, then id

    def test_search_uses_indexes(self):
        """EXPLAIN of every search shape (test_store_search --print-sql) over a catalogue big
        enough that a scan would show: never type ALL on AM_API or an index table."""
        marker = "ix" + self.uid.lower().replace("_", "")[-8:]
        harness.sql("apimgtdb", (
            "INSERT INTO AM_API (context, version, name, provider, status, created_at, updated_at)"
            " SELECT CONCAT('/%s', seq), '1.0.0', CONCAT('%s api ', seq), 'loader',"
            " IF(seq %% 3 = 0, 'CREATED', 'PUBLISHED'), 0, 0 FROM seq_1_to_3000") % (marker, marker))
        try:
            harness.sql("apimgtdb", (
                "INSERT IGNORE INTO AM_API_WORD (word, api_id) SELECT CONCAT('w', api_id %% 500), api_id"
                " FROM AM_API WHERE context LIKE '/%s%%'") % marker)
            harness.sql("apimgtdb", (
                "INSERT IGNORE INTO AM_API_TAG (api_id, tag) SELECT api_id, CONCAT('t', api_id %% 200)"
                " FROM AM_API WHERE context LIKE '/%s%%'") % marker)
            # the broad search of bench/portal: a word every API has, a tag of one in ten
            harness.sql("apimgtdb", (
                "INSERT IGNORE INTO AM_API_WORD (word, api_id) SELECT 'service', api_id"
                " FROM AM_API WHERE context LIKE '/%s%%'") % marker)
            harness.sql("apimgtdb", (
                "INSERT IGNORE INTO AM_API_TAG (api_id, tag, name) SELECT api_id, 'weather', name"
                " FROM AM_API WHERE context LIKE '/%s%%' AND api_id %% 10 = 2") % marker)
            harness.sql("apimgtdb", "ANALYZE TABLE AM_API, AM_API_WORD, AM_API_TAG")
            out = subprocess.run([harness.BUILD + "/tests/unit/test_store_search", "--print-sql"],
                                 capture_output=True, text=True, check=True).stdout
            shapes = [line.split("\t", 1) for line in out.splitlines() if "\t" in line]
            self.assertGreaterEqual(len(shapes), 8)
            for name, statement in shapes:
                plan = harness.sql("apimgtdb", "EXPLAIN " + statement)
                for row in plan:
                    # id select_type table type possible_keys key ...
                    table, access, key = row[2], row[3], row[5]
                    # a <derivedN> table is the materialized matches of an index range
                    if table in ("a", "d", "w", "t", "r", "AM_API_WORD", "AM_API_TAG"):
                        self.assertNotEqual(access, "ALL", "%s: full scan of %s: %s" % (
                            name, table, plan))
                    if table in ("a", "w", "t", "r", "AM_API_WORD"):
                        self.assertNotEqual(key, "NULL", "%s: %s without an index: %s" % (
                            name, table, plan))
                    # led by a tag: its rows in page order, read until the page is full
                    if table == "d" and name in ("tag", "tag-word-next"):
                        self.assertEqual(key, "idx_api_tag_name", "%s: %s" % (name, plan))
                        self.assertNotIn("filesort", row[9], "%s: %s" % (name, plan))
                        self.assertNotIn("temporary", row[9], "%s: %s" % (name, plan))
        finally:
            harness.sql("apimgtdb", "DELETE FROM AM_API WHERE context LIKE '/%s%%'" % marker)

    def test_get_public_api(self):
        api = self.new_api(tags=["food"])
        draft = self.new_api(publish=False)
        pub = self.anon.getPublicApi("", api["context"], api["version"])
        self.assertEqual(pub.name, api["name"])
        self.assertIn(pub.productionEndpoint, (None, ""))
        self.assertIn(pub.sandboxEndpoint, (None, ""))
        self.assertTrue(pub.resources)
        self.assertEqual(pub.tags, ["food"])
        self.assertIn(self.anon.getPublicApi(self.a.sid, api["context"], api["version"])
                      .productionEndpoint, (None, ""))
        self.assertTrue(self.anon.getPublicApi(self.p.sid, api["context"], api["version"])
                        .productionEndpoint)
        self.assertCode(404, self.anon.getPublicApi, "", draft["context"], draft["version"])
        self.assertCode(404, self.anon.getPublicApi, self.a.sid, draft["context"],
                        draft["version"])
        self.assertCode(404, self.anon.getPublicApi, self.op.sid, draft["context"],
                        draft["version"])
        self.assertEqual(self.anon.getPublicApi(self.p.sid, draft["context"],
                                                draft["version"]).status, "CREATED")
        self.assertCode(400, self.anon.getPublicApi, "", "no-slash", "1")
        self.assertCode(401, self.anon.getPublicApi, "bad", api["context"], api["version"])

    # ------------------------------------------------------------ applications

    def test_applications_page(self):
        carol = harness.new_user(("subscriber",))
        c = self.session(carol)
        made = [c.call("createApplication", self.T.Application(name="app %02d" % i)).id
                for i in range(12)]
        seen, cursor, n = [], "", 0
        while True:
            page = c.call("listApplicationsPage", "", cursor, 5)
            seen.extend(a.id for a in page.applications)
            n += 1
            c.call("createApplication", self.T.Application(name="app 99 %d" % n))
            c.call("createApplication", self.T.Application(name="app 00 %d" % n))
            if not page.nextCursor:
                break
            cursor = page.nextCursor
        self.assertEqual(len(seen), len(set(seen)))
        self.assertTrue(set(made) <= set(seen))
        self.assertCode(403, self.a.call, "listApplicationsPage", carol["name"], "", 5)
        self.assertCode(403, self.p.call, "listApplicationsPage", "", "", 5)
        self.assertGreaterEqual(len(self.admin.call("listApplicationsPage", carol["name"], "",
                                                    100).applications), 12)
        self.assertCode(400, c.call, "listApplicationsPage", "", "", 0)
        self.assertCode(400, c.call, "listApplicationsPage", "", "bogus", 5)

    def test_api_subscriptions(self):
        api = self.new_api()
        harness.new_app_with_key(api=api, session=self.a)
        subs = self.p.call("listApiSubscriptions", api["context"], api["version"])
        self.assertEqual([s.applicationOwner for s in subs], [self.alice["name"]])
        self.assertEqual(len(self.admin.call("listApiSubscriptions", api["context"],
                                             api["version"])), 1)
        self.assertCode(403, self.op.call, "listApiSubscriptions", api["context"], api["version"])
        self.assertCode(403, self.a.call, "listApiSubscriptions", api["context"], api["version"])
        self.assertCode(404, self.p.call, "listApiSubscriptions", "/none" + self.uid, "1")

    # ------------------------------------------------------------ approval

    def test_approval_flow(self):
        tier = "Approve" + self.uid[-8:]
        self.assertCode(400, self.admin.call, "addTier", self.T.Tier(
            name=tier, level="APPLICATION", requestCount=0, unitTime=60, requiresApproval=True))
        self.admin.call("addTier", self.T.Tier(name=tier, level="SUBSCRIPTION", requestCount=0,
                                               unitTime=60, requiresApproval=True))
        self.assertTrue(self.admin.call("getTier", tier, "SUBSCRIPTION").requiresApproval)
        listed = [t for t in self.a.call("listTiers") if t.name == tier]
        self.assertTrue(listed[0].requiresApproval)
        self.assertFalse(self.admin.call("getTier", "Gold", "SUBSCRIPTION").requiresApproval)
        api = self.new_api(subscriptionTiers=[tier])
        app = self.a.call("createApplication", self.T.Application(name=harness.unique("app")))
        sub = self.a.call("subscribe", "", app.name, api["context"], api["version"], tier)
        self.assertEqual(sub.status, "ON_HOLD")
        keys = self.a.call("generateKeys", "", app.name, "PRODUCTION", 0, [])
        key = {"headers": {"Authorization": "Bearer " + keys.accessToken}}
        args = (self.alice["name"], app.name, api["context"], api["version"])
        subs = self.a.call("listSubscriptions", self.alice["name"], app.name)
        self.assertEqual(subs[0].status, "ON_HOLD")
        url = harness.api_url(api)
        harness.wait_until(lambda: harness.http("GET", url)[0] == 401, 5,
                           message="the gateway knows the API")
        self.assertEqual(harness.http("GET", url, headers=key["headers"])[0], 403)
        self.assertCode(403, self.a.call, "setSubscriptionStatus", *args, "UNBLOCKED")
        self.assertCode(403, self.op.call, "setSubscriptionStatus", *args, "UNBLOCKED")
        self.assertEqual(self.p.call("setSubscriptionStatus", *args, "UNBLOCKED").status,
                         "UNBLOCKED")
        harness.wait_until(lambda: harness.http("GET", url, headers=key["headers"])[0] == 200, 5,
                           message="approved subscription served")
        self.assertEqual(self.p.call("setSubscriptionStatus", *args, "rejected").status,
                         "REJECTED")
        harness.wait_until(lambda: harness.http("GET", url, headers=key["headers"])[0] == 403, 5,
                           message="rejected subscription refused")
        self.assertCode(400, self.p.call, "setSubscriptionStatus", *args, "REJECT")

    # ------------------------------------------------------------ secret regeneration

    def test_regenerate_secret_with_grace(self):
        key = harness.new_app_with_key(api=self.new_api(), session=self.a)
        ck, old = key["consumerKey"], key["consumerSecret"]
        app = key["app"]["name"]
        self.assertEqual(token_status(ck, old)[0], 200)
        ks = self.a.call("regenerateConsumerSecret", "", app, "PRODUCTION", 4)
        self.assertEqual(ks.consumerKey, ck)
        self.assertNotEqual(ks.consumerSecret, old)
        self.assertGreater(ks.previousSecretValidUntil, time.time())
        self.assertLessEqual(ks.previousSecretValidUntil, time.time() + 5)
        self.assertEqual(token_status(ck, ks.consumerSecret)[0], 200)
        self.assertEqual(token_status(ck, old, hub=1)[0], 200)   # grace, on either hub
        self.assertEqual(token_status(ck, old + "x")[0], 401)
        rows = harness.sql("apimgtdb", "SELECT consumer_secret_hash, previous_secret_hash FROM"
                           " AM_APPLICATION_KEY WHERE consumer_key = '%s'" % ck)
        self.assertEqual(len(rows[0][0]), 64)
        self.assertNotIn(ks.consumerSecret, rows[0])
        self.assertNotIn(old, rows[0])
        harness.wait_until(lambda: token_status(ck, old)[0] == 401, 8,
                           message="old secret refused after the grace")
        self.assertEqual(token_status(ck, ks.consumerSecret)[0], 200)
        # grace 0: the previous secret stops at once
        now = self.a.call("regenerateConsumerSecret", "", app, "PRODUCTION", 0)
        self.assertEqual(now.previousSecretValidUntil, 0)
        self.assertEqual(token_status(ck, ks.consumerSecret)[0], 401)
        self.assertEqual(token_status(ck, now.consumerSecret)[0], 200)
        self.assertCode(400, self.a.call, "regenerateConsumerSecret", "", app, "PRODUCTION", 86401)
        self.assertCode(400, self.a.call, "regenerateConsumerSecret", "", app, "PRODUCTION", -1)
        self.assertCode(400, self.a.call, "regenerateConsumerSecret", "", app, "BOTH", 10)
        self.assertCode(404, self.a.call, "regenerateConsumerSecret", "", app, "SANDBOX", 10)
        self.assertCode(403, self.b.call, "regenerateConsumerSecret", self.alice["name"], app,
                        "PRODUCTION", 10)
        self.assertCode(403, self.p.call, "regenerateConsumerSecret", "", app, "PRODUCTION", 10)

    # ------------------------------------------------------------ audit

    def test_audit_log(self):
        addr = "198.51.100.99"
        sid = self.anon.authenticateFrom("admin", harness.ADMIN_PASSWORD, addr)
        api = harness.new_api(session=self.p, publish=False)
        self.anon.setApiLifecycle(sid, api["context"], api["version"], "PUBLISHED")
        user = "aud" + self.uid[-8:]
        self.anon.addUser(sid, user, "Pass-word-123", ["subscriber"])
        self.anon.setSetting(sid, "signup_enabled", "true")
        cond = self.anon.addBlockCondition(sid, self.T.BlockCondition(kind="IP",
                                                                       value="192.0.2.250"))
        self.anon.deleteBlockCondition(sid, cond.id)
        self.assertCode(404, self.anon.deleteBlockCondition, sid, cond.id)   # failed: not kept
        page = self.anon.listAudit(sid, "", 20)
        mine = [e for e in page.entries if e.clientAddress == addr]
        actions = [e.action for e in mine]
        self.assertEqual(actions[:5], ["deleteBlockCondition", "addBlockCondition", "setSetting",
                                       "addUser", "setApiLifecycle"])   # newest first
        self.assertEqual(mine[0].subject, str(cond.id))
        self.assertEqual(mine[3].subject, user)
        self.assertEqual(mine[4].subject, "%s:%s" % (api["context"], api["version"]))
        self.assertTrue(all(e.actor == "admin" and e.at >= time.time() - 60 for e in mine))
        created = [e for e in page.entries if e.action == "createApi" and
                   e.subject == "%s:%s" % (api["context"], api["version"])]
        self.assertEqual(created[0].actor, self.pat["name"])
        self.assertTrue(created[0].clientAddress)   # the peer's address
        # keyset pages: newest first, no duplicates
        ids, cursor = [], ""
        for _ in range(4):
            p = self.admin.call("listAudit", cursor, 3)
            ids.extend(e.id for e in p.entries)
            cursor = p.nextCursor
        self.assertEqual(ids, sorted(set(ids), reverse=True))
        self.assertCode(403, self.p.call, "listAudit", "", 10)
        self.assertCode(403, self.a.call, "listAudit", "", 10)
        self.assertCode(401, self.anon.listAudit, "", "", 10)
        self.assertCode(400, self.admin.call, "listAudit", "", 0)
        self.assertCode(400, self.admin.call, "listAudit", "zz", 10)

    # ------------------------------------------------------------ usage

    def test_usage_histogram_and_over_quota_from_published_records(self):
        """publishUsage records as a gateway sends them: status classes, 429s, over-quota
        calls and latency histograms summed per minute; p50/p99 from the summed buckets; a
        record whose histogram or over-quota count does not fit its count is refused whole."""
        api = self.new_api()
        subject = "%s:%s" % (api["context"], api["version"])
        now = int(time.time())
        hist = [0] * 13
        hist[3], hist[8] = 90, 10          # 90 calls <= 10 ms, 10 calls <= 500 ms
        rec = lambda status, count, h=None, over=0, ts=now: self.T.UsageRecord(  # noqa: E731
            timestamp=ts, gatewayId="gw-test", apiContext=api["context"],
            apiVersion=api["version"], resource="/*", verb="GET", applicationId="9999",
            subscriber="x", keyType="PRODUCTION", status=status, count=count,
            latencyMsTotal=count, latencyMsMax=1, bytesIn=5, bytesOut=7,
            latencyHistogram=h, overQuotaCount=over)
        gw = Session("gateway", harness.gateway_password())
        self.closers.append(gw)
        gw.call("publishUsage", [rec(200, 100, hist, over=4), rec(429, 3), rec(503, 2),
                                 rec(302, 1, ts=now - 3600 * 2)], harness.unique("hpb"))
        series = self.p.call("getUsage", "API", subject, "HOUR")
        last = series.buckets[-1]
        if last.count2xx == 0:   # the minute turned between the publish and the read
            last = series.buckets[-2]
        self.assertEqual((last.count2xx, last.count4xx, last.count5xx, last.throttled,
                          last.overQuota), (100, 3, 2, 3, 4))
        self.assertEqual((last.p50Ms, last.p99Ms), (10, 500))
        self.assertEqual((last.bytesIn, last.bytesOut), (5 * 3, 7 * 3))
        self.assertEqual(sum(b.count3xx for b in series.buckets), 0)   # two hours ago
        day = self.p.call("getUsage", "API", subject, "DAY")
        self.assertEqual(sum(b.count3xx for b in day.buckets), 1)
        for bad in (rec(200, 5, [1] * 12), rec(200, 5, [1] * 14), rec(200, 5, [6] + [0] * 12),
                    rec(200, 5, [3, 3] + [0] * 11), rec(200, 5, [-1] + [0] * 12),
                    rec(200, 5, over=6), rec(200, 5, over=-1)):
            self.assertCode(400, gw.call, "publishUsage", [rec(200, 1), bad], harness.unique("hpb"))
        after = self.p.call("getUsage", "API", subject, "HOUR")
        self.assertEqual(sum(b.count2xx for b in after.buckets), 100)   # refused whole

    def test_usage_series_after_gateway_calls(self):
        api = self.new_api()
        key = harness.new_app_with_key(api=api, session=self.a)
        url = harness.api_url(api, "/hello")
        calls = 7
        for k in range(2):
            harness.wait_until(lambda: harness.http("GET", harness.api_url(api, "/", k))[0] == 401,
                               5, message="gateway %d knows the API" % k)
        for k in range(calls):
            self.assertEqual(harness.http("GET", harness.api_url(api, "/hello", k % 2),
                                          headers=key["headers"])[0], 200)
        self.assertEqual(harness.http("GET", url)[0], 401)   # no token: no application
        subject = "%s:%s" % (api["context"], api["version"])

        def total():
            s = self.p.call("getUsage", "API", subject, "HOUR")
            return sum(b.count2xx for b in s.buckets) == calls and s

        series = harness.wait_until(total, 20, 0.5, message="usage reached statdb")
        self.assertEqual(series.scope, "API")
        self.assertEqual(series.range, "HOUR")
        self.assertEqual(series.step, 60)
        self.assertEqual(len(series.buckets), 60)
        starts = [b.start for b in series.buckets]
        self.assertEqual(starts, list(range(starts[0], starts[0] + 3600, 60)))
        self.assertLessEqual(starts[-1], time.time())
        busy = [b for b in series.buckets if b.count2xx]
        self.assertTrue(all(1 <= b.p50Ms <= b.p99Ms for b in busy))
        self.assertTrue(all(b.p50Ms == -1 for b in series.buckets if not (b.count2xx or
                                                                          b.count4xx)))
        self.assertGreater(sum(b.bytesOut for b in series.buckets), 0)
        for rng, n, step in (("DAY", 24, 3600), ("week", 28, 21600)):
            s = self.admin.call("getUsage", "API", subject, rng)
            self.assertEqual((len(s.buckets), s.step), (n, step))
            self.assertEqual(sum(b.count2xx for b in s.buckets), calls)
        app_subject = "%s:%s" % (self.alice["name"], key["app"]["name"])
        s = self.a.call("getUsage", "APPLICATION", app_subject, "HOUR")
        self.assertEqual(sum(b.count2xx for b in s.buckets), calls)
        self.assertEqual(sum(b.count2xx for b in self.admin.call(
            "getUsage", "APPLICATION", app_subject, "DAY").buckets), calls)
        self.assertCode(403, self.op.call, "getUsage", "API", subject, "HOUR")
        self.assertCode(403, self.a.call, "getUsage", "API", subject, "HOUR")
        self.assertCode(403, self.b.call, "getUsage", "APPLICATION", app_subject, "HOUR")
        self.assertCode(403, self.p.call, "getUsage", "APPLICATION", app_subject, "HOUR")
        self.assertCode(400, self.p.call, "getUsage", "API", subject, "MONTH")
        self.assertCode(400, self.p.call, "getUsage", "TEAM", subject, "HOUR")
        self.assertCode(400, self.p.call, "getUsage", "API", "no-colon", "HOUR")
        self.assertCode(401, self.anon.getUsage, "", "API", subject, "HOUR")


if __name__ == "__main__":
    unittest.main()
