"""The hub's OAuth2 endpoints (POST /token, POST /revoke on the hub's HTTPS
port) and the gateway-facing methods next to them: every grant
(client_credentials, password, refresh_token with rotation, one winner among
concurrent refreshes of one token), every error
(invalid_request, invalid_client with WWW-Authenticate, invalid_grant,
unsupported_grant_type, invalid_scope), revocation making validateKey answer
900904 and appearing in the change feed, SQL metacharacters round-tripping,
getGatewayConfig full and incremental, publishUsage bounds and batch ids (a
batch sent again is counted once), and documents.
"""
import base64
import hashlib
import json
import time
import unittest
import urllib.parse

import harness


def basic(key, secret):
    raw = "%s:%s" % (urllib.parse.quote(key, safe=""), urllib.parse.quote(secret, safe=""))
    return "Basic " + base64.b64encode(raw.encode()).decode()


def post(path, form, auth=None, hub=0, raw=None):
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if auth:
        headers["Authorization"] = auth
    body = raw if raw is not None else urllib.parse.urlencode(form)
    status, hdrs, data = harness.http("POST", harness.HUB_HTTPS[hub] + path, headers=headers,
                                      body=body)
    try:
        doc = json.loads(data.decode() or "{}")
    except ValueError:
        doc = {"_raw": data}
    return status, hdrs, doc


def validate(token, api, session):
    """validateKey as a gateway would ask it; returns the DTO."""
    return session.client.validateKey(api["context"], api["version"], token, session.sid,
                                      "Any", None, "/*", "GET")


class OAuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.user = harness.new_user(roles=("subscriber",), password="p'w\";--%&+ x")
        # auth type Any: both application (client_credentials) and end-user (password) tokens
        cls.key = harness.new_app_with_key(api=harness.new_api(auth_type="Any"))
        cls.auth = basic(cls.key["consumerKey"], cls.key["consumerSecret"])
        cls.api = cls.key["api"]

    def token(self, form, auth=None, hub=0):
        return post("/token", form, self.auth if auth is None else auth, hub)

    def assertError(self, answer, status, code):
        self.assertEqual(answer[0], status, answer)
        self.assertEqual(answer[2].get("error"), code, answer)

    # ---------------------------------------------------------------- grants

    def test_client_credentials_basic(self):
        status, _, doc = self.token({"grant_type": "client_credentials", "scope": "read write"})
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["token_type"], "Bearer")
        self.assertGreater(doc["expires_in"], 0)
        self.assertEqual(doc["scope"], "read write")
        self.assertNotIn("refresh_token", doc)
        self.assertGreaterEqual(len(doc["access_token"]), 32)
        with harness.Session() as s:
            dto = validate(doc["access_token"], self.api, s)
        self.assertTrue(dto.authorized, dto)

    def test_client_credentials_form_auth_on_other_hub(self):
        hub = len(harness.HUB_HTTPS) - 1
        status, _, doc = self.token({"grant_type": "client_credentials",
                                     "client_id": self.key["consumerKey"],
                                     "client_secret": self.key["consumerSecret"]}, auth="", hub=hub)
        self.assertEqual(status, 200, doc)
        self.assertIn("access_token", doc)

    def test_password_grant_and_refresh_rotation(self):
        status, _, doc = self.token({"grant_type": "password", "username": self.user["name"],
                                     "password": self.user["password"], "scope": "a b"})
        self.assertEqual(status, 200, doc)
        self.assertIn("refresh_token", doc)
        with harness.Session() as s:
            dto = validate(doc["access_token"], self.api, s)
            self.assertTrue(dto.authorized, dto)
            self.assertEqual(dto.endUserName, self.user["name"])
            status2, _, doc2 = self.token({"grant_type": "refresh_token",
                                           "refresh_token": doc["refresh_token"]})
            self.assertEqual(status2, 200, doc2)
            self.assertNotEqual(doc2["access_token"], doc["access_token"])
            self.assertNotEqual(doc2["refresh_token"], doc["refresh_token"])
            self.assertEqual(doc2["scope"], "a b")
            # rotation: the old pair is dead, the old refresh token cannot be replayed
            harness.wait_until(lambda: validate(doc["access_token"], self.api, s).validationStatus
                               == 900904, 3, message="old access token revoked")
            self.assertTrue(validate(doc2["access_token"], self.api, s).authorized)
        self.assertError(self.token({"grant_type": "refresh_token",
                                     "refresh_token": doc["refresh_token"]}), 400, "invalid_grant")

    def test_concurrent_refreshes_of_one_token_one_wins(self):
        """Six refresh requests with the same refresh token at once, spread over the hubs:
        exactly one rotates it (200), the others get invalid_grant (400), none an error."""
        import threading
        status, _, doc = self.token({"grant_type": "password", "username": self.user["name"],
                                     "password": self.user["password"]})
        self.assertEqual(status, 200, doc)
        answers = []
        start = threading.Barrier(6)

        def refresh(k):
            start.wait(10)
            answers.append(self.token({"grant_type": "refresh_token",
                                       "refresh_token": doc["refresh_token"]},
                                      hub=k % len(harness.HUB_HTTPS)))

        threads = [threading.Thread(target=refresh, args=(k,)) for k in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        statuses = sorted(a[0] for a in answers)
        self.assertEqual(statuses, [200, 400, 400, 400, 400, 400], answers)
        for a in answers:
            if a[0] == 400:
                self.assertEqual(a[2].get("error"), "invalid_grant", a)

    def test_refresh_token_of_another_client_is_refused(self):
        status, _, doc = self.token({"grant_type": "password", "username": self.user["name"],
                                     "password": self.user["password"]})
        self.assertEqual(status, 200, doc)
        other = harness.new_app_with_key(api=self.api)
        answer = post("/token", {"grant_type": "refresh_token",
                                 "refresh_token": doc["refresh_token"]},
                      basic(other["consumerKey"], other["consumerSecret"]))
        self.assertError(answer, 400, "invalid_grant")

    # ---------------------------------------------------------------- errors

    def test_invalid_client(self):
        for auth in (basic(self.key["consumerKey"], "wrong"), basic("nosuchkey", "x"),
                     "Basic !!!", ""):
            status, hdrs, doc = self.token({"grant_type": "client_credentials"}, auth=auth)
            self.assertEqual(status, 401, (auth, doc))
            self.assertEqual(doc.get("error"), "invalid_client")
            self.assertIn("www-authenticate", hdrs)
            self.assertIn("Basic", hdrs["www-authenticate"])

    def test_invalid_request(self):
        self.assertError(self.token({}), 400, "invalid_request")
        self.assertError(self.token({"grant_type": "password", "username": self.user["name"]}),
                         400, "invalid_request")
        self.assertError(self.token({"grant_type": "refresh_token"}), 400, "invalid_request")
        self.assertError(post("/token", None, self.auth, raw="grant_type=%zz"), 400,
                         "invalid_request")
        self.assertError(post("/token", None, self.auth,
                              raw="grant_type=client_credentials&grant_type=password"),
                         400, "invalid_request")

    def test_invalid_grant(self):
        self.assertError(self.token({"grant_type": "password", "username": self.user["name"],
                                     "password": "wrong"}), 400, "invalid_grant")
        self.assertError(self.token({"grant_type": "password", "username": "x' OR '1'='1",
                                     "password": "x' OR '1'='1"}), 400, "invalid_grant")
        self.assertError(self.token({"grant_type": "refresh_token", "refresh_token": "nope"}),
                         400, "invalid_grant")

    def test_unsupported_grant_and_scope(self):
        self.assertError(self.token({"grant_type": "authorization_code", "code": "x"}), 400,
                         "unsupported_grant_type")
        self.assertError(self.token({"grant_type": "client_credentials", "scope": 'a"b'}), 400,
                         "invalid_scope")

    def test_oversized_body_refused(self):
        status, _, _ = post("/token", None, self.auth,
                            raw="grant_type=client_credentials&scope=" + "a" * 200000)
        self.assertEqual(status, 413)

    # ---------------------------------------------------------------- revoke

    def test_revoke_makes_validate_key_answer_900904(self):
        status, _, doc = self.token({"grant_type": "client_credentials"})
        self.assertEqual(status, 200, doc)
        access = doc["access_token"]
        with harness.Session() as s:
            self.assertTrue(validate(access, self.api, s).authorized)   # now cached
            before = s.call("getGatewayConfig", 0).revision
            self.assertEqual(post("/revoke", {"token": access}, self.auth)[0], 200)
            dto = validate(access, self.api, s)
            self.assertFalse(dto.authorized)
            self.assertEqual(dto.validationStatus, 900904)
            feed = s.call("getGatewayConfig", before)
            self.assertFalse(feed.fullSync)
            digest = hashlib.sha256(access.encode()).hexdigest()
            self.assertIn(("TOKEN_REVOKED", digest),
                          [(c.kind, c.subject) for c in feed.changes or []])
            self.assertGreater(feed.revision, before)

    def test_revoke_refresh_token_and_unknown(self):
        status, _, doc = self.token({"grant_type": "password", "username": self.user["name"],
                                     "password": self.user["password"]})
        self.assertEqual(status, 200, doc)
        self.assertEqual(post("/revoke", {"token": doc["refresh_token"],
                                          "token_type_hint": "refresh_token"}, self.auth)[0], 200)
        self.assertError(self.token({"grant_type": "refresh_token",
                                     "refresh_token": doc["refresh_token"]}), 400, "invalid_grant")
        self.assertEqual(post("/revoke", {"token": "unknown-token"}, self.auth)[0], 200)
        self.assertEqual(post("/revoke", {"token": "x"}, basic("nosuch", "x"))[0], 401)
        self.assertError(post("/revoke", {}, self.auth), 400, "invalid_request")

    def test_revoke_by_other_client_does_nothing(self):
        status, _, doc = self.token({"grant_type": "client_credentials"})
        other = harness.new_app_with_key(api=self.api)
        self.assertEqual(post("/revoke", {"token": doc["access_token"]},
                              basic(other["consumerKey"], other["consumerSecret"]))[0], 200)
        with harness.Session() as s:
            self.assertTrue(validate(doc["access_token"], self.api, s).authorized)

    def test_metrics_count_grants(self):
        self.token({"grant_type": "client_credentials"})
        status, _, body = harness.http("GET", harness.HUB_HTTPS[0] + "/metrics",
                                       headers={"Authorization": "Bearer " + harness.login()})
        self.assertEqual(status, 200)
        self.assertIn(b'tollgate_hub_oauth_requests_total{grant="client_credentials",status="200"}',
                      body)


class FeedUsageDocsTest(unittest.TestCase):
    def test_full_sync_then_incremental(self):
        with harness.Session() as s:
            full = s.call("getGatewayConfig", 0)
            self.assertTrue(full.fullSync)
            self.assertFalse(full.changes)
            api = harness.new_api()
            delta = s.call("getGatewayConfig", full.revision)
            self.assertFalse(delta.fullSync)
            names = [(a.context, a.version) for a in delta.apis or []]
            self.assertIn((api["context"], api["version"]), names)
            self.assertGreater(delta.revision, full.revision)
            ahead = s.call("getGatewayConfig", delta.revision + 1000000)
            self.assertTrue(ahead.fullSync)
            full2 = s.call("getGatewayConfig", 0)
            self.assertIn((api["context"], api["version"]),
                          [(a.context, a.version) for a in full2.apis])

    def test_feed_requires_gateway_or_admin(self):
        user = harness.new_user(roles=("subscriber",))
        _, T, _ = harness.thrift_modules()
        with harness.Session(user["name"], user["password"]) as s:
            with self.assertRaises(T.TollgateException):
                s.call("getGatewayConfig", 0)
            with self.assertRaises(T.TollgateException):
                s.call("publishUsage", [], "")

    def test_publish_usage(self):
        _, T, _ = harness.thrift_modules()
        now = int(time.time())
        rec = dict(timestamp=now, gatewayId="gw'test", apiContext="/u'\"", apiVersion="1",
                   resource="/*", verb="GET", applicationId="1", subscriber="x", keyType="PRODUCTION",
                   status=200, count=2, latencyMsTotal=10, latencyMsMax=6, bytesIn=1, bytesOut=2)
        with harness.Session() as s:
            s.call("publishUsage", [T.UsageRecord(**rec) for _ in range(3)], "")
            s.call("publishUsage", [], "")
            with self.assertRaises(T.TollgateException):
                s.call("publishUsage", [T.UsageRecord(**dict(rec, count=-1))], "")
            with self.assertRaises(T.TollgateException):
                s.call("publishUsage", [T.UsageRecord(**dict(rec, apiContext="c" * 5000))], "")

    def test_publish_usage_batch_sent_again_counted_once(self):
        """A batch sent again with the same batchId (its answer was lost, so the gateway
        resends it, maybe to the other hub) is acknowledged and not counted twice; another
        id, or none, counts again; an id over 128 bytes is refused (400)."""
        _, T, _ = harness.thrift_modules()
        context = "/usage" + harness.unique("b")
        rec = T.UsageRecord(timestamp=int(time.time()), gatewayId="gw-batch", apiContext=context,
                            apiVersion="1", resource="/*", verb="GET", applicationId="1",
                            subscriber="x", keyType="PRODUCTION", status=200, count=3,
                            latencyMsTotal=9, latencyMsMax=4, bytesIn=1, bytesOut=2)
        total = harness.usage_sum_sql(context)
        batch = harness.unique("gw-batch:1:")
        for hub in range(len(harness.HUBS)):
            with harness.Session(hub=hub) as s:
                s.call("publishUsage", [rec], batch)
                s.call("publishUsage", [rec], batch)
        self.assertEqual(harness.usage_sum(total), 3)
        with harness.Session() as s:
            s.call("publishUsage", [rec], batch + "-next")
            self.assertEqual(harness.usage_sum(total), 6)
            s.call("publishUsage", [rec], "")
            self.assertEqual(harness.usage_sum(total), 9)
            with self.assertRaises(T.TollgateException) as cm:
                s.call("publishUsage", [rec], "b" * 129)
            self.assertEqual(cm.exception.code, 400)
        self.assertEqual(harness.usage_sum(total), 9)
        self.assertEqual(harness.sql("statdb", "SELECT COUNT(*) FROM STAT_USAGE_BATCH"
                                     " WHERE batch_id = '%s'" % batch), [["1"]])

    def test_documents(self):
        _, T, _ = harness.thrift_modules()
        api = harness.new_api()
        with harness.Session() as s:
            doc = s.call("addDocument", T.Document(apiContext=api["context"],
                                                   apiVersion=api["version"], name="it's \"doc\"",
                                                   type="HOWTO", sourceType="INLINE",
                                                   content="hello ' \\ %"))
            self.assertGreater(doc.id, 0)
            url = s.call("addDocument", T.Document(apiContext=api["context"],
                                                   apiVersion=api["version"], name="site",
                                                   type="OTHER", sourceType="URL",
                                                   sourceUrl="https://example.com/x"))
            listed = s.call("listDocuments", api["context"], api["version"])
            self.assertEqual([d.id for d in listed], [doc.id, url.id])
            self.assertEqual(listed[0].content, "hello ' \\ %")
            self.assertEqual(listed[0].name, "it's \"doc\"")
            for bad in (dict(type="BLOG", sourceType="INLINE", content="x"),
                        dict(type="HOWTO", sourceType="URL", sourceUrl="javascript:alert(1)"),
                        dict(type="HOWTO", sourceType="INLINE", content="x",
                             apiContext="/nosuchapi")):
                fields = dict(apiContext=api["context"], apiVersion=api["version"], name="n")
                fields.update(bad)
                with self.assertRaises(T.TollgateException):
                    s.call("addDocument", T.Document(**fields))
            s.call("deleteDocument", doc.id)
            self.assertEqual([d.id for d in s.call("listDocuments", api["context"],
                                                   api["version"])], [url.id])
        user = harness.new_user(roles=("subscriber",))
        with harness.Session(user["name"], user["password"]) as s:
            self.assertEqual(len(s.call("listDocuments", api["context"], api["version"])), 1)
            with self.assertRaises(T.TollgateException):
                s.call("deleteDocument", url.id)


if __name__ == "__main__":
    unittest.main()
