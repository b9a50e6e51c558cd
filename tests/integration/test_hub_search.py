"""The store search's index on the real stack (issue 15): an API written before the index
existed (raw SQL, no AM_API_WORD rows, tag rows without the name copy, as a hub from before
migrations 009 and 012 left them) is found by name, context and tag once migration 012 has
run and a hub has restarted (each hub gives words at start to APIs that have none, with the
same words a hub writes for a new API); a tag-led search pages in (name, id) order through the
tag index, following renames, with no duplicate and no gap; the first page's count stops at
1,000 matches (more: -1, not counted).
"""
import os
import re
import subprocess
import unittest

import harness

MIGRATION = os.path.join(harness.ROOT, "sql", "migrations", "012_search.sql")


def migrate():
    sock = harness.ENV.get("TOLLGATE_DB_SOCKET") or os.path.join(harness.VAR, "mysql",
                                                                  "mysqld.sock")
    with open(MIGRATION) as f:
        subprocess.run(["mariadb", "--socket", sock, "-uroot"], stdin=f, check=True,
                       capture_output=True, timeout=60)


def words_of(api_id):
    return sorted(r[0] for r in harness.sql(
        "apimgtdb", "SELECT word FROM AM_API_WORD WHERE api_id = %d" % int(api_id)))


class HubSearchTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not harness.HUBS:
            raise unittest.SkipTest("no stack (TOLLGATE_HUBS unset)")
        cls.Tollgate, cls.T, cls.W = harness.thrift_modules()
        cls.uid = re.sub(r"[^a-z0-9]", "", harness.unique("hs").lower())[-8:]

    def search(self, query, cursor="", limit=50, hub=0):
        client, transport = harness.thrift_client(hub)
        try:
            return client.searchApis("", query, cursor, limit)
        finally:
            transport.close()

    def pages(self, query, limit):
        seen, cursor = [], ""
        for _ in range(100):
            page = self.search(query, cursor, limit)
            seen.extend(page.apis)
            cursor = page.nextCursor
            if not cursor:
                return seen
        self.fail("more than 100 pages")

    def test_api_from_before_the_index_is_found_after_migration_and_restart(self):
        m = "bf" + self.uid
        name, context, tag = "Legacy %s Weather" % m, "/%sctx/legacy" % m, "%stag" % m
        harness.sql("apimgtdb", (
            "INSERT INTO AM_API (context, version, name, provider, status, created_at, updated_at)"
            " VALUES ('%s', '1.0.0', '%s', 'legacy', 'PUBLISHED', 0, 0)") % (context, name))
        api_id = harness.sql("apimgtdb", "SELECT api_id FROM AM_API WHERE context = '%s'"
                             % context)[0][0]
        # a tag row as a hub before 012 wrote it: no copy of the name
        harness.sql("apimgtdb", "INSERT INTO AM_API_TAG (api_id, tag) VALUES (%s, '%s')"
                    % (api_id, tag))
        # the same API as a current hub writes it (another version: same words)
        twin = harness.new_api(name=name, context=context, version="2.0.0", tags=[tag])
        try:
            self.assertEqual(words_of(api_id), [])
            legacy = lambda q: [a.id for a in self.search(q).apis if a.version == "1.0.0"]  # noqa
            self.assertEqual(legacy(m), [])   # the bug: an API without words is never found
            migrate()
            migrate()   # a second load changes nothing
            self.assertEqual(harness.sql("apimgtdb", "SELECT name FROM AM_API_TAG WHERE api_id = %s"
                                         % api_id), [[name]])
            harness.stop_hub(1)
            harness.start_hub(1)
            harness.wait_until(lambda: words_of(api_id), timeout=20,
                               message="hub 1 did not index the API at start")
            self.assertEqual(words_of(api_id), words_of(twin["id"]))   # the hub's own words
            for query in (m, m.upper() + " weather", "legacy", "%sctx" % m, tag,
                          "tag:%s" % tag, "tag:%s %s" % (tag, m), "name:legacy %s" % m,
                          "context:/%sctx" % m):
                self.assertEqual(legacy(query), [int(api_id)], query)
            with open(os.path.join(harness.VAR, "log", "hub1.log")) as f:
                counts = [int(n) for n in re.findall(
                    r"search index: (\d+) APIs without search words indexed", f.read())]
            self.assertTrue(counts and counts[-1] >= 1, counts[-3:])
            # once indexed, a restart finds nothing more to do for it (idempotent)
            before = words_of(api_id)
            harness.stop_hub(1)
            harness.start_hub(1)
            self.assertEqual(words_of(api_id), before)
        finally:
            harness.sql("apimgtdb", "DELETE FROM AM_API WHERE context = '%s'" % context)

    def test_tag_led_pages_follow_renames(self):
        m = "tl" + self.uid
        tag = "%stag" % m
        with harness.Session() as admin:   # admin: a publisher's writes are rate limited
            made = [harness.new_api(session=admin, name="%s %03d" % (m, i), tags=[tag])
                    for i in range(12)]
            # renamed without new tags: the tag rows' copy of the name follows
            last = made[-1]
            admin.call("updateApi", self.T.Api(context=last["context"], version=last["version"],
                                              name="%s 000 renamed" % m))
        seen = self.pages("tag:" + tag, 5)
        ids = [a.id for a in seen]
        self.assertEqual(len(ids), len(set(ids)), "a duplicate across pages")
        self.assertEqual(set(ids), {a["id"] for a in made}, "a gap")
        keys = [(a.name.lower(), a.id) for a in seen]
        self.assertEqual(keys, sorted(keys))
        self.assertEqual(seen[1].name, "%s 000 renamed" % m)
        self.assertEqual(self.search("tag:" + tag, limit=5).total, 12)
        # led by the word (it has few index rows) or by the tag: the same pages
        self.assertEqual([a.id for a in self.pages("tag:%s %s" % (tag, m), 5)], ids)
        self.assertEqual(harness.sql("apimgtdb", (
            "SELECT COUNT(*) FROM AM_API_TAG t JOIN AM_API a ON a.api_id = t.api_id"
            " WHERE t.tag = '%s' AND CAST(t.name AS BINARY) <> CAST(a.name AS BINARY)") % tag),
            [["0"]])

    def test_first_page_count_stops_at_1000(self):
        m = "ct" + self.uid
        tag = "%stag" % m
        harness.sql("apimgtdb", (
            "INSERT INTO AM_API (context, version, name, provider, status, created_at, updated_at)"
            " SELECT CONCAT('/%s', seq), '1.0.0', CONCAT('%s ', seq), 'loader', 'PUBLISHED', 0, 0"
            " FROM seq_1_to_1001") % (m, m))
        try:
            harness.sql("apimgtdb", (
                "INSERT INTO AM_API_TAG (api_id, tag, name) SELECT api_id, '%s', name FROM AM_API"
                " WHERE context LIKE '/%s%%'") % (tag, m))
            page = self.search("tag:" + tag, limit=10)
            self.assertEqual(len(page.apis), 10)
            self.assertEqual(page.total, -1)   # 1,001: not counted
            harness.sql("apimgtdb", "DELETE FROM AM_API WHERE context = '/%s1001'" % m)
            self.assertEqual(self.search("tag:" + tag, limit=10).total, 1000)
            # a later page is not counted; the last one ends the pages
            page = self.search("tag:" + tag, limit=100)
            for _ in range(9):
                page = self.search("tag:" + tag, page.nextCursor, 100)
            self.assertEqual(len(page.apis), 100)
            self.assertEqual(page.nextCursor, "")
        finally:
            harness.sql("apimgtdb", "DELETE FROM AM_API WHERE context LIKE '/%s%%'" % m)


if __name__ == "__main__":
    unittest.main()
