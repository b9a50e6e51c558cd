"""Applications, subscriptions, keys and tokens through the hub's Thrift
methods against the real stack: every rule answered with its code by a real
call, and every change seen by validateKey and the gateway change feed.

Covers: owner defaults and the owner rule (403), admin acting for another
owner (404 for a user that does not exist), tier and input checks (400),
duplicates (409), SQL metacharacters round-tripping, updateApplication by id
and by name; subscriptions only to PUBLISHED APIs with an offered tier,
unpublished APIs invisible to subscribers, listSubscriptions visibility,
block/unblock by the API's provider only (900909 while blocked); generateKeys
handing the secret out once and storing only hashes, issueToken (404 without a
key, end user rule), listTokens showing hash prefixes only, revokeToken by the
owner (900904 and TOKEN_REVOKED in the feed); deleteApplication taking keys,
tokens and subscriptions with it; deleteUser refused (409) while the user owns
applications or provides APIs.
"""
import hashlib
import unittest

import harness


class MgmtAppsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not harness.HUBS:
            raise unittest.SkipTest("no stack (TOLLGATE_HUBS unset)")
        _, cls.T, _ = harness.thrift_modules()
        cls.alice = harness.new_user(("subscriber",))
        cls.bob = harness.new_user(("subscriber",))
        cls.pat = harness.new_user(("publisher",))
        cls.other_pub = harness.new_user(("publisher",))
        cls.sessions = []
        cls.admin = cls.session("admin")
        cls.a = cls.session(cls.alice)
        cls.b = cls.session(cls.bob)
        cls.p = cls.session(cls.pat)
        cls.gw = harness.Session("gateway", harness.gateway_password())
        cls.sessions.append(cls.gw)
        cls.api = harness.new_api(session=cls.p, auth_type="Any")
        cls.draft = harness.new_api(session=cls.p, auth_type="Any", publish=False)
        cls.gold_only = harness.new_api(session=cls.p, auth_type="Any", subscriptionTiers=["Gold"])

    @classmethod
    def session(cls, user):
        s = harness.Session() if user == "admin" else harness.Session(user["name"], user["password"])
        cls.sessions.append(s)
        return s

    @classmethod
    def tearDownClass(cls):
        for s in getattr(cls, "sessions", []):
            s.close()

    def assertCode(self, code, s, method, *args):
        with self.assertRaises(self.T.TollgateException, msg=method) as cm:
            s.call(method, *args)
        self.assertEqual(cm.exception.code, code, cm.exception.message)
        self.assertTrue(cm.exception.message)

    def new_app(self, s, name=None, **fields):
        return s.call("createApplication", self.T.Application(name=name or harness.unique("app"),
                                                              **fields))

    def validate(self, token, api=None):
        return harness.validate_key(self.gw.client, self.gw.sid, api or self.api, token)

    # ---------------------------------------------------------------- applications

    def test_application_defaults_and_owner_rule(self):
        app = self.new_app(self.a)
        self.assertEqual(app.owner, self.alice["name"])
        self.assertEqual(app.tier, "Unlimited")
        self.assertEqual(app.allowedDomains, ["ALL"])
        self.assertGreater(app.id, 0)
        self.assertCode(409, self.a, "createApplication", self.T.Application(name=app.name))
        self.assertCode(403, self.a, "createApplication",
                        self.T.Application(name="x", owner=self.bob["name"]))
        for_bob = self.new_app(self.admin, owner=self.bob["name"])
        self.assertEqual(for_bob.owner, self.bob["name"])
        self.assertCode(404, self.admin, "createApplication",
                        self.T.Application(name="x", owner=harness.unique("ghost")))
        self.assertCode(400, self.a, "createApplication", self.T.Application(name=""))
        self.assertCode(400, self.a, "createApplication", self.T.Application(name="x", tier="Gold"))
        self.assertCode(400, self.a, "createApplication",
                        self.T.Application(name="x", allowedDomains=["a.com,b.com"]))
        self.assertCode(400, self.a, "createApplication",
                        self.T.Application(name="x", callbackUrl="not a url"))
        self.assertCode(403, self.p, "createApplication", self.T.Application(name="x"))
        names = [x.name for x in self.b.call("listApplications", "")]
        self.assertIn(for_bob.name, names)
        self.assertNotIn(app.name, names)
        self.assertCode(403, self.b, "listApplications", self.alice["name"])

    def test_sql_metacharacters_round_trip(self):
        name = "O'Brien\"; DROP TABLE AM_APPLICATION; -- %_\\ " + harness.unique("")
        desc = "line 1\n'; DELETE FROM AM_SUBSCRIPTION; --\t%"
        app = self.new_app(self.a, name, description=desc,
                           callbackUrl="https://cb.example/x?a='1'&b=%22")
        listed = {x.name: x for x in self.a.call("listApplications", "")}
        self.assertIn(name, listed)
        self.assertEqual(listed[name].description, desc)
        self.assertEqual(listed[name].callbackUrl, app.callbackUrl)
        self.a.call("subscribe", "", name, self.api["context"], self.api["version"], "Gold")
        keys = self.a.call("generateKeys", "", name, "PRODUCTION", 0, [])
        self.assertTrue(self.validate(keys.accessToken).authorized)
        self.a.call("deleteApplication", "", name)

    def test_update_application(self):
        app = self.new_app(self.a)
        taken = self.new_app(self.a)
        updated = self.a.call("updateApplication", self.T.Application(
            id=app.id, tier="10PerMin", allowedDomains=["shop.example"]))
        self.assertEqual((updated.name, updated.tier, updated.allowedDomains),
                         (app.name, "10PerMin", ["shop.example"]))
        by_name = self.a.call("updateApplication", self.T.Application(name=app.name,
                                                                      description="d"))
        self.assertEqual((by_name.tier, by_name.description), ("10PerMin", "d"))
        self.assertCode(404, self.b, "updateApplication", self.T.Application(id=app.id, tier="x"))
        self.assertCode(409, self.a, "updateApplication",
                        self.T.Application(id=app.id, name=taken.name))
        self.assertCode(400, self.admin, "updateApplication",
                        self.T.Application(id=app.id, owner=self.bob["name"]))
        self.assertCode(400, self.a, "updateApplication",
                        self.T.Application(id=app.id, tier="NoSuchTier"))

    # ---------------------------------------------------------------- subscriptions

    def test_subscription_rules(self):
        app = self.new_app(self.a)
        ctx, ver = self.api["context"], self.api["version"]
        sub = self.a.call("subscribe", "", app.name, ctx, ver, "Silver")
        self.assertEqual((sub.applicationName, sub.applicationOwner, sub.apiContext, sub.tier,
                          sub.status, sub.apiName),
                         (app.name, self.alice["name"], ctx, "Silver", "UNBLOCKED",
                          self.api["name"]))
        self.assertCode(409, self.a, "subscribe", "", app.name, ctx, ver, "Gold")
        self.assertCode(404, self.a, "subscribe", "", app.name, self.draft["context"],
                        self.draft["version"], "Gold")          # unpublished: not visible
        self.assertCode(409, self.admin, "subscribe", self.alice["name"], app.name,
                        self.draft["context"], self.draft["version"], "Gold")
        self.assertCode(400, self.a, "subscribe", "", app.name, self.gold_only["context"],
                        self.gold_only["version"], "Silver")    # tier not offered
        self.a.call("subscribe", "", app.name, self.gold_only["context"],
                    self.gold_only["version"], "Gold")
        self.assertCode(400, self.a, "subscribe", "", app.name, ctx, ver, "NoSuchTier")
        self.assertCode(404, self.a, "subscribe", "", harness.unique("none"), ctx, ver, "Gold")
        self.assertCode(403, self.b, "subscribe", self.alice["name"], app.name, ctx, ver, "Gold")
        mine = self.a.call("listSubscriptions", "", app.name)
        self.assertEqual(sorted(s.apiContext for s in mine),
                         sorted([ctx, self.gold_only["context"]]))
        provided = self.p.call("listSubscriptions", self.alice["name"], app.name)
        self.assertEqual(len(provided), 2)
        self.assertEqual(self.session(self.other_pub).call("listSubscriptions", "", app.name), [])
        self.assertEqual([s for s in self.b.call("listSubscriptions", "", "")
                          if s.applicationName == app.name], [])
        self.a.call("unsubscribe", "", app.name, self.gold_only["context"],
                    self.gold_only["version"])
        self.assertCode(404, self.a, "unsubscribe", "", app.name, self.gold_only["context"],
                        self.gold_only["version"])

    def test_block_and_unblock_by_provider(self):
        key = harness.new_app_with_key(api=self.api, session=self.a)
        name, ctx, ver = key["app"]["name"], self.api["context"], self.api["version"]
        self.assertTrue(self.validate(key["token"]).authorized)
        args = (self.alice["name"], name, ctx, ver)
        self.assertCode(403, self.a, "setSubscriptionStatus", *args, "BLOCKED")
        self.assertCode(403, self.session(self.other_pub), "setSubscriptionStatus", *args,
                        "BLOCKED")
        self.assertCode(400, self.p, "setSubscriptionStatus", *args, "FROZEN")
        self.assertEqual(self.p.call("setSubscriptionStatus", *args, "BLOCKED").status, "BLOCKED")
        self.assertEqual(self.validate(key["token"]).validationStatus, 900909)
        self.admin.call("setSubscriptionStatus", *args, "UNBLOCKED")
        self.assertTrue(self.validate(key["token"]).authorized)

    # ---------------------------------------------------------------- keys and tokens

    def test_keys_secret_once_and_tokens(self):
        app = self.new_app(self.a)
        self.a.call("subscribe", "", app.name, self.api["context"], self.api["version"], "Gold")
        first = self.a.call("generateKeys", "", app.name, "PRODUCTION", 0, ["read"])
        self.assertTrue(first.consumerSecret and first.accessToken and first.refreshToken)
        self.assertEqual((first.keyType, first.scopes), ("PRODUCTION", ["read"]))
        self.assertGreater(first.expiresIn, 0)
        again = self.a.call("generateKeys", "", app.name, "production", 60, [])
        self.assertEqual(again.consumerKey, first.consumerKey)
        self.assertIsNone(again.consumerSecret)
        self.assertEqual(again.expiresIn, 60)
        self.assertNotEqual(again.accessToken, first.accessToken)
        self.assertCode(404, self.a, "issueToken", "", app.name, "SANDBOX", 0, [], "")
        self.assertCode(403, self.a, "issueToken", "", app.name, "PRODUCTION", 0, [],
                        self.bob["name"])
        user_token = self.a.call("issueToken", "", app.name, "PRODUCTION", 0, [],
                                 self.alice["name"])
        self.assertIsNone(user_token.consumerSecret)
        self.assertEqual(self.validate(user_token.accessToken).endUserName, self.alice["name"])
        for bad in (("STAGING", 0, []), ("PRODUCTION", 10 ** 10, []),
                    ("PRODUCTION", 0, ["two words"])):
            self.assertCode(400, self.a, "generateKeys", "", app.name, *bad)
        self.assertCode(403, self.b, "generateKeys", self.alice["name"], app.name, "PRODUCTION",
                        0, [])
        listed = self.a.call("listTokens", "", app.name)
        prefixes = {t.tokenHashPrefix for t in listed}
        for token in (first.accessToken, again.accessToken, user_token.accessToken):
            self.assertIn(hashlib.sha256(token.encode()).hexdigest()[:12], prefixes)
        text = repr(listed)
        for secret in (first.accessToken, first.refreshToken, first.consumerSecret):
            self.assertNotIn(secret, text)

    def test_revoke_token(self):
        key = harness.new_app_with_key(api=self.api, session=self.a)
        self.assertTrue(self.validate(key["token"]).authorized)     # cached
        before = self.admin.call("getGatewayConfig", 0).revision
        self.assertCode(403, self.b, "revokeToken", key["token"])
        self.assertCode(404, self.a, "revokeToken", harness.unique("nosuchtoken"))
        self.assertCode(400, self.a, "revokeToken", "")
        self.a.call("revokeToken", key["token"])
        self.a.call("revokeToken", key["token"])                     # twice: no error
        self.assertEqual(self.validate(key["token"]).validationStatus, 900904)
        digest = hashlib.sha256(key["token"].encode()).hexdigest()
        changes = self.admin.call("getGatewayConfig", before).changes or []
        self.assertEqual([c.subject for c in changes if c.kind == "TOKEN_REVOKED"], [digest])
        statuses = {t.tokenHashPrefix: t.status for t in
                    self.a.call("listTokens", "", key["app"]["name"])}
        self.assertEqual(statuses[digest[:12]], "REVOKED")

    def test_delete_application_takes_everything(self):
        key = harness.new_app_with_key(api=self.api, session=self.a)
        name = key["app"]["name"]
        self.assertTrue(self.validate(key["token"]).authorized)
        self.assertCode(403, self.b, "deleteApplication", self.alice["name"], name)
        self.a.call("deleteApplication", "", name)
        self.assertEqual(self.validate(key["token"]).validationStatus, 900901)
        self.assertEqual([s for s in self.a.call("listSubscriptions", "", "")
                          if s.applicationName == name], [])
        self.assertCode(404, self.a, "deleteApplication", "", name)
        self.assertCode(404, self.a, "listTokens", "", name)
        again = self.new_app(self.a, name)                          # the name is free again
        self.assertTrue(self.a.call("generateKeys", "", again.name, "PRODUCTION", 0,
                                    []).consumerSecret)

    def test_delete_user_refused_while_they_own_applications(self):
        carol = harness.new_user(("subscriber", "publisher"))
        c = self.session(carol)
        app = self.new_app(c)
        api = harness.new_api(session=c, auth_type="Any", publish=False)
        with self.assertRaises(self.T.TollgateException) as cm:
            self.admin.call("deleteUser", carol["name"])
        self.assertEqual(cm.exception.code, 409)
        self.assertIn("1 application(s)", cm.exception.message)
        self.assertIn("1 API(s)", cm.exception.message)
        self.assertIn(app.name, [a.name for a in c.call("listApplications", "")])
        c.call("deleteApplication", "", app.name)
        self.assertCode(409, self.admin, "deleteUser", carol["name"])   # still the API
        c.call("deleteApi", api["context"], api["version"])
        self.admin.call("deleteUser", carol["name"])
        self.assertCode(404, self.admin, "deleteUser", carol["name"])


if __name__ == "__main__":
    unittest.main()
