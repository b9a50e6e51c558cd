"""test_throttle_names: one name rule for tiers and custom policies (issues 14 and 15,
common/tg_names.c): addTier and addCustomPolicy refuse markup, paths, quotes, separators,
CR/LF, non-ASCII, an empty and a 65-character name with a 400 that states the rule, and
create nothing; a header-keyed policy's header name must be an HTTP token; the seeded names
and WSO2's 10KPerMin pass; rows stored before the rule (inserted by SQL, as in an upgraded
database) are still listed, read and deleted, through Thrift and tollgatectl."""

import unittest

import harness as h

RULE = "1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-', starting with a letter or a digit"

BAD_NAMES = ["<script>", "a/b", 'a"b', "a'b", "n" * 65, "", "G\u00f6ld", "G\u043eld",
             "a\r\nX-Evil: 1", "a\nb", "a b", "a|b", "a:b", "a;b", "a%2Fb", "a\\b", ".hidden",
             "-flag", "_x"]


def tier(name, level="SUBSCRIPTION", **fields):
    _, T, _ = h.thrift_modules()
    return T.Tier(name=name, level=level, requestCount=fields.pop("requestCount", 5),
                  unitTime=60, **fields)


def policy(name, **fields):
    _, T, _ = h.thrift_modules()
    fields.setdefault("keyBy", "IP")
    return T.CustomPolicy(name=name, requestCount=5, unitTime=60, apiContext="/nothing", **fields)


def sql_text(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


class ThrottleNamesTest(unittest.TestCase):

    def refused(self, s, method, obj, words):
        _, T, _ = h.thrift_modules()
        with self.assertRaises(T.TollgateException, msg=repr(obj)) as cm:
            s.call(method, obj)
        self.assertEqual(cm.exception.code, 400, repr(obj))
        self.assertIn(words, cm.exception.message, repr(obj))
        return cm.exception

    def test_bad_tier_names_refused_and_nothing_created(self):
        with h.Session("admin") as s:
            before = sorted((t.name, t.level) for t in s.call("listTiers"))
            for name in BAD_NAMES:
                for level in ("SUBSCRIPTION", "APPLICATION", "API", "RESOURCE"):
                    e = self.refused(s, "addTier", tier(name, level), "a tier name is " + RULE)
                    self.assertNotIn("\n", e.message)
            after = sorted((t.name, t.level) for t in s.call("listTiers"))
        self.assertEqual(before, after)
        for name in ("<script>", "a/b", 'a"b'):
            self.assertNotIn(name, [n for n, _ in after])

    def test_bad_policy_names_refused_and_nothing_created(self):
        with h.Session("admin") as s:
            before = sorted(p.name for p in s.call("listCustomPolicies"))
            for name in BAD_NAMES:
                self.refused(s, "addCustomPolicy", policy(name), "a policy name is " + RULE)
                self.refused(s, "addCustomPolicy",
                             policy(name, keyBy="HEADER", headerName="X-Tenant"),
                             "a policy name is " + RULE)
            after = sorted(p.name for p in s.call("listCustomPolicies"))
        self.assertEqual(before, after)

    def test_header_name_must_be_a_token(self):
        with h.Session("admin") as s:
            before = sorted(p.name for p in s.call("listCustomPolicies"))
            for header in ("X Tenant", "X:Tenant", "X-Tenant:", "X-Tenant\r\nX-Evil", "X-T\u00e9",
                           "(X)", "X/Y", "X\"Y", "", "h" * 129):
                self.refused(s, "addCustomPolicy",
                             policy(h.unique("hdr"), keyBy="HEADER", headerName=header),
                             "headerName")
            after = sorted(p.name for p in s.call("listCustomPolicies"))
        self.assertEqual(before, after)

    def test_seeded_and_wso2_names_pass_the_rule(self):
        _, T, _ = h.thrift_modules()
        with h.Session("admin") as s:
            # The seeded tiers exist: adding one again is a 409 (the name passed the rule).
            for name, level in (("Gold", "SUBSCRIPTION"), ("Silver", "SUBSCRIPTION"),
                                ("Bronze", "SUBSCRIPTION"), ("Unlimited", "SUBSCRIPTION"),
                                ("50PerMin", "APPLICATION"), ("20PerMin", "APPLICATION"),
                                ("10PerMin", "APPLICATION"), ("Unlimited", "API")):
                with self.assertRaises(T.TollgateException) as cm:
                    s.call("addTier", tier(name, level))
                self.assertEqual(cm.exception.code, 409, name)
            for name in ("10KPerMin", "Tier-1.0_b", "n" * 64):
                try:
                    s.call("deleteTier", name, "API")  # left over by an interrupted run
                except T.TollgateException:
                    pass
                t = s.call("addTier", tier(name, "API"))
                try:
                    self.assertEqual(t.name, name)
                    self.assertEqual(s.call("getTier", name, "API").name, name)
                finally:
                    s.call("deleteTier", name, "API")
            name = h.unique("10KPerMin-")
            p = s.call("addCustomPolicy", policy(name, keyBy="HEADER", headerName="X-Tenant.id"))
            try:
                self.assertEqual((p.name, p.headerName), (name, "x-tenant.id"))
            finally:
                s.call("deleteCustomPolicy", p.id)

    def test_legacy_rows_still_listed_read_and_deleted(self):
        """A database upgraded from before the rule: rows with names the rule refuses."""
        _, T, _ = h.thrift_modules()
        tname = '<b>x/y"' + h.unique("z")
        pname = "a/b <i>" + h.unique("p")
        h.sql("apimgtdb", "INSERT INTO AM_TIER (name, level, request_count, unit_time_s, "
              "stop_on_quota, description) VALUES (%s, 'APPLICATION', 5, 60, 1, 'legacy')"
              % sql_text(tname))
        h.sql("apimgtdb", "INSERT INTO AM_CUSTOM_POLICY (name, key_by, request_count, "
              "unit_time_s, api_context, created_at) VALUES (%s, 'IP', 5, 60, '/legacy-nothing', "
              "UNIX_TIMESTAMP())" % sql_text(pname))
        try:
            with h.Session("admin") as s:
                self.assertIn((tname, "APPLICATION"),
                              [(t.name, t.level) for t in s.call("listTiers")])
                self.assertEqual(s.call("getTier", tname, "APPLICATION").description, "legacy")
                pols = {p.name: p.id for p in s.call("listCustomPolicies")}
                self.assertIn(pname, pols)
                # a new row with the same name is refused by the rule, not created
                self.refused(s, "addTier", tier(tname, "API"), "a tier name is")
            shown = h.ctl("tier", "show", tname)
            self.assertEqual(shown["name"], tname)
            self.assertIn(tname, [x["name"] for x in h.ctl("tier", "list")])
            h.ctl("tier", "delete", tname)
            with h.Session("admin") as s:
                s.call("deleteCustomPolicy", pols[pname])
                self.assertNotIn(tname, [t.name for t in s.call("listTiers")])
                self.assertNotIn(pname, [p.name for p in s.call("listCustomPolicies")])
        finally:
            h.sql("apimgtdb", "DELETE FROM AM_TIER WHERE name = %s" % sql_text(tname))
            h.sql("apimgtdb", "DELETE FROM AM_CUSTOM_POLICY WHERE name = %s" % sql_text(pname))


if __name__ == "__main__":
    unittest.main()
