"""test_throttle_tier_refs: the tiers an API names (issue 14, keyvalidator/methods/tier_refs.c).
createApi, updateApi and createNewVersion refuse with a 400 naming the field and the tier an
apiTier, resource throttlingTier or subscription tier that breaks the name rule or does not
exist at the level the gateway looks it up at (apiTier: API, else SUBSCRIPTION; resource:
RESOURCE; offered: SUBSCRIPTION), and store nothing: before, such an API was stored and the
gateway let all of its traffic through (grantCredits answered 404, the key fell back to "fail
mode" with no limit known). Names are compared byte for byte (gold is not Gold). Attacker
names (SQL metacharacters, whitespace around, CR/LF, non-ASCII, very long, NUL) are refused
without reaching a statement. deleteTier refuses (409) a tier still named by an API,
resource, subscription or application, as WSO2 refuses to delete a policy in use.
An application's tier (createApplication, updateApplication, tollgatectl app create --tier)
and a subscription's (subscribe) follow the same rule at APPLICATION and SUBSCRIPTION level,
and a subscription's tier must be offered by the API (an empty list offers every one).
addTier refuses (409) a look-alike (differs only in case) of a tier a reference could
resolve to as well (same level, or API beside SUBSCRIPTION), addCustomPolicy one of a policy;
two admins adding gold and GOLD at the same moment cannot both win."""

import threading
import unittest

import harness as h
import throttle_support as ts

RULE = "a tier name is 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'"

BAD_NAMES = ["Gold' OR '1'='1", "Gold;--", "x'); DELETE FROM AM_TIER; --", " Gold", "Gold ",
             "Gold\t", "\tGold", "Gold\r\nX-Evil: 1", "G\u00f6ld", "G\u043eld", "Gold/../x",
             "Gold%00", "<b>Gold</b>", "n" * 65, "n" * 5000, ".Gold", "-Gold"]
CASE_VARIANTS = ["gold", "GOLD", "gOLD", "unlimited", "UNLIMITED", "silver"]


def resources(tier="Unlimited"):
    return [("GET", "/*", "Any", tier), ("POST", "/items", "Any", "Unlimited")]


def api_obj(api_tier="Unlimited", res_tier="Unlimited", sub_tiers=None, context=None):
    _, T, _ = h.thrift_modules()
    ctx = context or "/" + h.unique("tref")
    res = [T.Resource(verb=v, uriTemplate=t, authType=a, throttlingTier=r, scope="")
           for v, t, a, r in resources(res_tier)]
    return T.Api(name="TierRefs", context=ctx, version="1.0.0", productionEndpoint=h.BACKEND,
                 resources=res, apiTier=api_tier,
                 subscriptionTiers=sub_tiers if sub_tiers is not None else None)


class TierRefsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not h.HUBS:
            raise unittest.SkipTest("no stack (TOLLGATE_HUBS unset)")
        _, cls.T, _ = h.thrift_modules()
        cls.pub = h.new_user(("publisher",))
        cls.p = h.Session(cls.pub["name"], cls.pub["password"])  # 10 writes a second
        cls.admin = h.Session("admin")
        cls.api_tier = ts.add_tier("API", 100, 60)
        cls.res_tier = ts.add_tier("RESOURCE", 100, 60)
        cls.sub_tier = ts.add_tier("SUBSCRIPTION", 100, 60)
        cls.app_tier = ts.add_tier("APPLICATION", 100, 60)

    @classmethod
    def tearDownClass(cls):
        for name in ("p", "admin"):
            if getattr(cls, name, None):
                getattr(cls, name).close()

    def refused(self, s, method, *args, code=400, words=()):
        with self.assertRaises(self.T.TollgateException, msg="%s %r" % (method, args)) as cm:
            s.call(method, *args)
        e = cm.exception
        self.assertEqual(e.code, code, e.message)
        for w in words:
            self.assertIn(w, e.message)
        self.assertNotIn("\n", e.message)
        self.assertNotIn("\r", e.message)
        self.assertLess(len(e.message), 400)
        return e

    def absent(self, ctx, version="1.0.0"):
        self.refused(self.admin, "getApi", ctx, version, code=404)

    def placements(self, name):
        """The three places an API names a tier: (field prefix, Api)."""
        return [("apiTier", api_obj(api_tier=name)),
                ("resources[0].throttlingTier", api_obj(res_tier=name)),
                ("subscriptionTiers[1]", api_obj(sub_tiers=["Gold", name]))]

    # ------------------------------------------------------------------ createApi

    def test_unknown_tiers_refused_and_nothing_stored(self):
        missing = h.unique("Platinum")
        for field, api in self.placements(missing):
            self.refused(self.p, "createApi", api, words=(field + ": no ", '"%s"' % missing))
            self.absent(api.context)

    def test_tiers_checked_at_the_level_the_gateway_uses(self):
        """A resource tier is looked up at RESOURCE only (before: any of SUBSCRIPTION, API,
        RESOURCE was accepted, and a SUBSCRIPTION name let the resource's traffic through
        unlimited); subscription tiers at SUBSCRIPTION; apiTier at API, else SUBSCRIPTION."""
        wrong = [("apiTier", api_obj(api_tier="50PerMin"), "no API or SUBSCRIPTION tier"),
                 ("apiTier", api_obj(api_tier=self.res_tier), "no API or SUBSCRIPTION tier"),
                 ("resources[0].throttlingTier", api_obj(res_tier="Gold"), "no RESOURCE tier"),
                 ("resources[0].throttlingTier", api_obj(res_tier=self.api_tier),
                  "no RESOURCE tier"),
                 ("subscriptionTiers[0]", api_obj(sub_tiers=["50PerMin"]), "no SUBSCRIPTION tier"),
                 ("subscriptionTiers[0]", api_obj(sub_tiers=[self.api_tier]),
                  "no SUBSCRIPTION tier")]
        for field, api, words in wrong:
            self.refused(self.p, "createApi", api, words=(field + ": " + words,))
            self.absent(api.context)
        right = [api_obj(api_tier=self.api_tier, res_tier=self.res_tier,
                         sub_tiers=[self.sub_tier, "Gold", "Unlimited"]),
                 api_obj(api_tier="Silver"),  # an apiTier may name a SUBSCRIPTION tier
                 api_obj(api_tier="", res_tier="")]  # "": the default, Unlimited
        for api in right:
            got = self.p.call("createApi", api)
            self.assertEqual(got.context, api.context)
        got = self.p.call("getApi", right[0].context, "1.0.0")
        self.assertEqual(got.apiTier, self.api_tier)
        self.assertEqual(got.resources[0].throttlingTier, self.res_tier)
        self.assertEqual(sorted(got.subscriptionTiers), sorted([self.sub_tier, "Gold", "Unlimited"]))
        got = self.p.call("getApi", right[2].context, "1.0.0")
        self.assertEqual((got.apiTier, got.resources[0].throttlingTier), ("Unlimited", "Unlimited"))

    def test_attacker_names_refused_by_the_rule(self):
        for name in BAD_NAMES:
            for field, api in self.placements(name):
                e = self.refused(self.admin, "createApi", api, words=(field + ": ", RULE))
                # the name is shown escaped and cut: printable ASCII only, never 5000 bytes
                self.assertTrue(all(32 <= ord(c) < 127 for c in e.message), repr(e.message))
                self.absent(api.context)
        tiers = [t.name for t in self.admin.call("listTiers")]
        for seeded in ("Gold", "Silver", "Bronze", "Unlimited", "50PerMin"):
            self.assertIn(seeded, tiers)

    def test_names_are_case_sensitive(self):
        """AM_TIER's name is utf8mb4_bin and the gateway compares names byte for byte: gold
        is not Gold, unlimited is not Unlimited."""
        for name in CASE_VARIANTS:
            for field, api in self.placements(name):
                self.refused(self.admin, "createApi", api, words=(field + ": no ", '"%s"' % name))
                self.absent(api.context)

    def test_nul_in_a_tier_name_creates_nothing(self):
        """c_glib would read "Gold\\0x" as "Gold": the hub refuses the whole call before (the
        connection is closed without an answer, test_hostile_hub_nul)."""
        for name in ("Gold\0x", "Unlimited\0", "\0"):
            for _, api in self.placements(name):
                s = h.Session("admin")
                try:
                    with self.assertRaises(Exception) as cm:
                        s.call("createApi", api)
                    if isinstance(cm.exception, self.T.TollgateException):
                        self.assertEqual(cm.exception.code, 400, cm.exception.message)
                finally:
                    try:
                        s.close()
                    except Exception:
                        pass
                self.absent(api.context)

    # ------------------------------------------------------------------ updateApi

    def test_update_refused_and_api_unchanged(self):
        api = api_obj(api_tier=self.api_tier, res_tier=self.res_tier, sub_tiers=["Gold"])
        self.p.call("createApi", api)
        _, T, _ = h.thrift_modules()
        changes = [("apiTier", T.Api(context=api.context, version="1.0.0", apiTier="gold")),
                   ("apiTier", T.Api(context=api.context, version="1.0.0", apiTier="Gold' --")),
                   ("subscriptionTiers[0]", T.Api(context=api.context, version="1.0.0",
                                                  subscriptionTiers=["50PerMin"])),
                   ("resources[1].throttlingTier",
                    T.Api(context=api.context, version="1.0.0",
                          resources=[T.Resource(verb="GET", uriTemplate="/*", authType="Any",
                                                throttlingTier="Unlimited"),
                                     T.Resource(verb="PUT", uriTemplate="/x", authType="Any",
                                                throttlingTier=h.unique("Nope"))]))]
        for field, change in changes:
            self.refused(self.p, "updateApi", change, words=(field + ": ",))
            got = self.p.call("getApi", api.context, "1.0.0")
            self.assertEqual(got.apiTier, self.api_tier)
            self.assertEqual(got.subscriptionTiers, ["Gold"])
            self.assertEqual([r.throttlingTier for r in got.resources],
                             [self.res_tier, "Unlimited"])
        ok = self.p.call("updateApi", T.Api(context=api.context, version="1.0.0",
                                            apiTier="Unlimited", subscriptionTiers=["Silver"]))
        self.assertEqual((ok.apiTier, ok.subscriptionTiers), ("Unlimited", ["Silver"]))

    # ------------------------------------------------------------------ createNewVersion

    def test_new_version_of_an_api_naming_a_tier_gone(self):
        """A row stored before the check (an upgraded database, simulated by SQL): the API
        keeps working, but a new version of it is refused until the publisher names a tier
        that exists; fixing it with updateApi makes the new version possible."""
        api = api_obj(api_tier=self.api_tier)
        self.p.call("createApi", api)
        gone = h.unique("Gone")
        h.sql("apimgtdb", "UPDATE AM_API SET api_tier = '%s' WHERE context = '%s'"
              % (gone, api.context))
        self.refused(self.p, "createNewVersion", api.context, "1.0.0", "2.0.0",
                     words=("apiTier: no API or SUBSCRIPTION tier", gone))
        self.absent(api.context, "2.0.0")
        legacy = "legacy tier " + h.unique("x")  # exists, but breaks the name rule
        h.sql("apimgtdb", "INSERT INTO AM_TIER (name, level, request_count, unit_time_s) "
              "VALUES ('%s', 'RESOURCE', 5, 60)" % legacy)
        try:
            h.sql("apimgtdb", "UPDATE AM_API SET api_tier = 'Unlimited' WHERE context = '%s'"
                  % api.context)
            h.sql("apimgtdb", "UPDATE AM_API_URL_MAPPING m JOIN AM_API a ON a.api_id = m.api_id"
                  " SET m.throttling_tier = '%s' WHERE a.context = '%s' AND m.http_method = 'POST'"
                  % (legacy, api.context))
            self.refused(self.p, "createNewVersion", api.context, "1.0.0", "2.0.0",
                         words=("resources[1].throttlingTier: ", RULE))
            self.absent(api.context, "2.0.0")
        finally:
            h.sql("apimgtdb", "UPDATE AM_API_URL_MAPPING m JOIN AM_API a ON a.api_id = m.api_id"
                  " SET m.throttling_tier = 'Unlimited' WHERE a.context = '%s'" % api.context)
            h.sql("apimgtdb", "DELETE FROM AM_TIER WHERE name = '%s'" % legacy)
        v2 = self.p.call("createNewVersion", api.context, "1.0.0", "2.0.0")
        self.assertEqual((v2.version, v2.apiTier), ("2.0.0", "Unlimited"))

    # ------------------------------------------------------------------ deleteTier

    def test_delete_tier_in_use_refused(self):
        _, T, _ = h.thrift_modules()
        api_t = ts.add_tier("API", 10, 60)
        res_t = ts.add_tier("RESOURCE", 10, 60)
        sub_t = ts.add_tier("SUBSCRIPTION", 10, 60)
        offered_t = ts.add_tier("SUBSCRIPTION", 10, 60)
        app_t = ts.add_tier("APPLICATION", 10, 60)
        fallback_t = ts.add_tier("SUBSCRIPTION", 10, 60)  # used as an apiTier
        api = api_obj(api_tier=api_t, res_tier=res_t, sub_tiers=[offered_t, sub_t])
        self.p.call("createApi", api)
        self.p.call("setApiLifecycle", api.context, "1.0.0", "PUBLISHED")
        other = api_obj(api_tier=fallback_t)
        self.p.call("createApi", other)
        app = self.admin.call("createApplication", T.Application(name=h.unique("app"),
                                                                 owner="admin", tier=app_t))
        self.admin.call("subscribe", "admin", app.name, api.context, "1.0.0", sub_t)
        uses = [(api_t, "API", "1 API(s) with it as apiTier"),
                (res_t, "RESOURCE", "1 resource(s) with it as throttlingTier"),
                (offered_t, "SUBSCRIPTION", "1 API(s) offering it in subscriptionTiers"),
                (sub_t, "SUBSCRIPTION", "1 subscription(s)"),
                (app_t, "APPLICATION", "1 application(s)"),
                (fallback_t, "SUBSCRIPTION", "1 API(s) with it as apiTier")]
        for name, level, words in uses:
            self.refused(self.admin, "deleteTier", name, level, code=409,
                         words=("%s tier \"%s\" is in use" % (level, name), words))
            self.assertEqual(self.admin.call("getTier", name, level).name, name)
        # the references go: the deletes go through
        self.p.call("updateApi", T.Api(context=api.context, version="1.0.0", apiTier="Unlimited",
                                       subscriptionTiers=[sub_t],
                                       resources=[T.Resource(verb="GET", uriTemplate="/*",
                                                             authType="Any",
                                                             throttlingTier="Unlimited")]))
        self.p.call("deleteApi", other.context, "1.0.0")
        for name, level in ((api_t, "API"), (res_t, "RESOURCE"), (offered_t, "SUBSCRIPTION"),
                            (fallback_t, "SUBSCRIPTION")):
            self.admin.call("deleteTier", name, level)
            self.refused(self.admin, "getTier", name, level, code=404)
        self.refused(self.admin, "deleteTier", sub_t, "SUBSCRIPTION", code=409,
                     words=("1 subscription(s)", "1 API(s) offering it"))
        self.admin.call("deleteApplication", "admin", app.name)
        self.p.call("updateApi", T.Api(context=api.context, version="1.0.0",
                                       subscriptionTiers=[]))
        self.admin.call("deleteTier", sub_t, "SUBSCRIPTION")
        self.admin.call("deleteTier", app_t, "APPLICATION")

    def test_delete_api_level_tier_when_a_subscription_one_has_its_name(self):
        """An apiTier resolves to the API tier of its name first: deleting that one is refused
        (it would move the API to the SUBSCRIPTION tier's limits silently); deleting the
        SUBSCRIPTION one is not (the API does not use it)."""
        _, T, _ = h.thrift_modules()
        name = ts.add_tier("API", 10, 60)
        with h.Session("admin") as s:
            s.call("addTier", T.Tier(name=name, level="SUBSCRIPTION", requestCount=10, unitTime=60))
        api = api_obj(api_tier=name)
        self.p.call("createApi", api)
        self.refused(self.admin, "deleteTier", name, "API", code=409, words=("apiTier",))
        self.admin.call("deleteTier", name, "SUBSCRIPTION")
        self.refused(self.admin, "deleteTier", name, "API", code=409)
        self.p.call("deleteApi", api.context, "1.0.0")
        self.admin.call("deleteTier", name, "API")

    # ------------------------------------------------------------------ applications

    def app_names(self):
        return [a.name for a in self.admin.call("listApplications", "admin")]

    def test_application_tier_follows_the_rule(self):
        """Before, createApplication took any text of 64 bytes and answered "no APPLICATION
        tier X" without the field, the name unescaped; a SUBSCRIPTION name was refused too."""
        missing = h.unique("Platinum")
        cases = [(missing, ("tier: no APPLICATION tier", '"%s"' % missing)),
                 ("Gold", ("tier: no APPLICATION tier", '"Gold"')),  # SUBSCRIPTION level
                 (self.api_tier, ("tier: no APPLICATION tier",)),
                 ("50permin", ("tier: no APPLICATION tier", '"50permin"')),
                 ("UNLIMITED", ("tier: no APPLICATION tier", '"UNLIMITED"'))]
        cases += [(name, ("tier: ", RULE)) for name in BAD_NAMES]
        for tier, words in cases:
            name = h.unique("tapp")
            e = self.refused(self.admin, "createApplication",
                             self.T.Application(name=name, owner="admin", tier=tier), words=words)
            self.assertTrue(all(32 <= ord(c) < 127 for c in e.message), repr(e.message))
            self.assertNotIn(name, self.app_names())
        app = self.admin.call("createApplication", self.T.Application(
            name=h.unique("tapp"), owner="admin", tier=self.app_tier))
        self.assertEqual(app.tier, self.app_tier)

    def test_update_application_tier_refused_and_unchanged(self):
        app = self.admin.call("createApplication", self.T.Application(
            name=h.unique("tapp"), owner="admin", tier=self.app_tier))
        for tier, words in (("Silver", "tier: no APPLICATION tier \"Silver\""),
                            ("10permin", "tier: no APPLICATION tier \"10permin\""),
                            ("10PerMin\r\nX: 1", RULE)):
            self.refused(self.admin, "updateApplication",
                         self.T.Application(id=app.id, tier=tier, description="changed"),
                         words=(words,))
            got = [a for a in self.admin.call("listApplications", "admin") if a.id == app.id][0]
            self.assertEqual((got.tier, got.description), (self.app_tier, app.description))
        # a row from before the rule (SQL): the next write must name a tier that exists
        gone = h.unique("Gone")
        h.sql("apimgtdb", "UPDATE AM_APPLICATION SET tier = '%s' WHERE application_id = %d"
              % (gone, app.id))
        self.refused(self.admin, "updateApplication",
                     self.T.Application(id=app.id, description="d"),
                     words=('tier: no APPLICATION tier "%s"' % gone,))
        ok = self.admin.call("updateApplication", self.T.Application(id=app.id, tier="10PerMin",
                                                                     description="d"))
        self.assertEqual((ok.tier, ok.description), ("10PerMin", "d"))

    def test_ctl_app_create_tier_refused(self):
        name = h.unique("ctlapp")
        for tier, words in (("gold", 'tier: no APPLICATION tier "gold"'),
                            ("Gold;--", "a tier name is")):
            got = h.ctl("app", "create", name, "--tier", tier, check=False)
            self.assertNotEqual(got["exit_code"], 0, got)
            self.assertIn(words, got.get("error", "") + got.get("message", ""), got)
            self.assertNotIn(name, self.app_names())
        made = h.ctl("app", "create", name, "--tier", self.app_tier)
        self.assertEqual(made["tier"], self.app_tier)

    # ------------------------------------------------------------------ subscriptions

    def test_subscription_tier_follows_the_rule_and_the_offer(self):
        """subscribe: the name rule, then the API's offer (byte for byte; an empty list offers
        every tier), then a SUBSCRIPTION tier of that name exists; nothing is stored."""
        offering = h.new_api(subscriptionTiers=["Gold", self.sub_tier])
        open_api = h.new_api()  # offers nothing: every SUBSCRIPTION tier
        app = self.admin.call("createApplication", self.T.Application(
            name=h.unique("tapp"), owner="admin"))
        missing = h.unique("Platinum")
        cases = [(offering, "Silver", ('tier: API %s:1.0.0 does not offer "Silver"'
                                       % offering["context"], '(it offers "Gold", "%s")'
                                       % self.sub_tier)),
                 (offering, "gold", ('does not offer "gold"',)),
                 (open_api, missing, ("tier: no SUBSCRIPTION tier", '"%s"' % missing)),
                 (open_api, "50PerMin", ('tier: no SUBSCRIPTION tier "50PerMin"',)),
                 (open_api, self.api_tier, ("tier: no SUBSCRIPTION tier",)),
                 (open_api, "silver", ('tier: no SUBSCRIPTION tier "silver"',))]
        cases += [(api, name, ("tier: ", RULE)) for name in BAD_NAMES
                  for api in (offering, open_api)]
        for api, tier, words in cases:
            e = self.refused(self.admin, "subscribe", "admin", app.name, api["context"], "1.0.0",
                             tier, words=words)
            self.assertTrue(all(32 <= ord(c) < 127 for c in e.message), repr(e.message))
            self.assertEqual(self.admin.call("listSubscriptions", "admin", app.name), [])
        sub = self.admin.call("subscribe", "admin", app.name, offering["context"], "1.0.0",
                              self.sub_tier)
        self.assertEqual(sub.tier, self.sub_tier)
        sub = self.admin.call("subscribe", "admin", app.name, open_api["context"], "1.0.0",
                              "Bronze")
        self.assertEqual(sub.tier, "Bronze")

    # ------------------------------------------------------------------ look-alikes

    def add_tier(self, name, level):
        return self.admin.call("addTier", self.T.Tier(name=name, level=level, requestCount=10,
                                                      unitTime=60))

    def test_add_tier_refuses_a_case_variant(self):
        """Names stay case-sensitive for lookups; a name that differs only in case from one a
        reference could also resolve to is refused (409), and nothing is created."""
        base = ts.add_tier("SUBSCRIPTION", 10, 60)
        cases = [("gold", "SUBSCRIPTION", 'SUBSCRIPTION tier "Gold", which exists'),
                 ("GOLD", "API", 'SUBSCRIPTION tier "Gold", which exists (an apiTier'),
                 ("sILVER", "SUBSCRIPTION", 'tier "Silver"'),
                 ("50permin", "APPLICATION", 'APPLICATION tier "50PerMin"'),
                 ("UNLIMITED", "RESOURCE", 'RESOURCE tier "Unlimited"'),
                 ("unlimited", "API", 'tier "Unlimited"'),
                 (base.lower(), "SUBSCRIPTION", '"%s"' % base),
                 (base.upper(), "API", '"%s"' % base)]
        for name, level, words in cases:
            self.refused(self.admin, "addTier", self.T.Tier(name=name, level=level,
                                                           requestCount=10, unitTime=60),
                         code=409, words=("%s tier \"%s\" would look like" % (level, name),
                                          words, "more than case"))
            self.refused(self.admin, "getTier", name, level, code=404)
        # levels no reference shares, and the same name at another level, stay allowed
        for name, level in ((base.lower(), "APPLICATION"), (base.upper(), "RESOURCE"),
                            (base, "API")):
            self.assertEqual(self.add_tier(name, level).name, name)
            self.admin.call("deleteTier", name, level)
        # a duplicate keeps its own answer
        self.refused(self.admin, "addTier", self.T.Tier(name=base, level="SUBSCRIPTION",
                                                       requestCount=1, unitTime=60),
                     code=409, words=("SUBSCRIPTION tier %s exists" % base,))

    def test_concurrent_case_variants_only_one_wins(self):
        """Two admins adding Xyz and xYZ at once: the look-up of look-alikes is a locking read
        in the insert's transaction, so the second waits for the first and sees it."""
        for _ in range(4):
            base = h.unique("Race")
            names = [base, base.swapcase()]
            results = [None, None]
            start = threading.Barrier(2)

            def add(i):
                with h.Session("admin") as s:
                    start.wait()
                    try:
                        s.call("addTier", self.T.Tier(name=names[i], level="SUBSCRIPTION",
                                                      requestCount=5, unitTime=60))
                        results[i] = "ok"
                    except self.T.TollgateException as e:
                        results[i] = e.code
            threads = [threading.Thread(target=add, args=(i,)) for i in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            self.assertEqual(sorted(map(str, results)), ["409", "ok"], results)
            stored = [t.name for t in self.admin.call("listTiers")
                      if t.name.lower() == base.lower()]
            self.assertEqual(len(stored), 1, stored)
            self.admin.call("deleteTier", stored[0], "SUBSCRIPTION")

    def test_add_custom_policy_refuses_a_case_variant(self):
        name = h.unique("Pol")
        fields = dict(keyBy="IP", requestCount=5, unitTime=60)
        made = self.admin.call("addCustomPolicy", self.T.CustomPolicy(name=name, **fields))
        try:
            for variant in (name.lower(), name.upper(), name.swapcase()):
                self.refused(self.admin, "addCustomPolicy",
                             self.T.CustomPolicy(name=variant, **fields), code=409,
                             words=('custom policy "%s" would look like custom policy "%s"'
                                    % (variant, name), "more than case"))
            self.refused(self.admin, "addCustomPolicy", self.T.CustomPolicy(name=name, **fields),
                         code=409, words=("custom policy %s exists" % name,))
            names = [p.name for p in self.admin.call("listCustomPolicies")]
            self.assertEqual([n for n in names if n.lower() == name.lower()], [name])
        finally:
            self.admin.call("deleteCustomPolicy", made.id)


if __name__ == "__main__":
    unittest.main()
