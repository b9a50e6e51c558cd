"""Gateway usage reporting: after N calls on a fresh API, statdb holds rows
for that API whose counts sum to N within a few seconds (the gateways
aggregate per second and flush to the hub every flush_interval_ms)."""
import time
import unittest

import harness

N = 25


def mariadb(sql):
    return harness.sql("statdb", sql)


def usage_table():
    """(table, context column, count column) of the usage table in statdb
    (sql/statdb.sql): the table with a column naming the API context and a
    request count column."""
    rows = mariadb("SELECT table_name, column_name FROM information_schema.columns "
                   "WHERE table_schema = 'statdb'")
    tables = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    for table, columns in sorted(tables.items()):
        ctx = [c for c in columns if "context" in c.lower()]
        cnt = [c for c in columns if c.lower() in ("count", "request_count", "requests",
                                                     "hits", "call_count", "total_request_count")]
        if ctx and cnt:
            return table, ctx[0], cnt[0]
    raise AssertionError("no usage table with a context and a count column in statdb: %s" % tables)


def settled(sql):
    """The sum once the warm-up calls have been flushed (at least one row,
    then unchanged across two flush intervals)."""
    harness.wait_until(lambda: int(float(mariadb(sql)[0][0])) > 0, 15, message="warm-up usage")
    while True:
        before = int(float(mariadb(sql)[0][0]))
        time.sleep(2.5)
        after = int(float(mariadb(sql)[0][0]))
        if after == before:
            return after


class GatewayUsageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not harness.GATEWAYS or not harness.HUBS:
            raise unittest.SkipTest("no stack")

    def test_calls_reach_statdb(self):
        key = harness.new_app_with_key()
        api = key["api"]
        for k in range(len(harness.GATEWAYS)):
            harness.wait_until(lambda: harness.http("GET", harness.api_url(api, "/echo", k),
                                                    headers=key["headers"])[0] == 200, 15)
        table, ctx_col, count_col = usage_table()
        sql = "SELECT COALESCE(SUM(`%s`),0) FROM `%s` WHERE `%s` = '%s'" % (
            count_col, table, ctx_col, api["context"].replace("'", ""))
        base = settled(sql)  # the warm-up calls above
        for i in range(N):
            k = i % len(harness.GATEWAYS)
            status, _, body = harness.http("GET", harness.api_url(api, "/echo?i=%d" % i, k),
                                           headers=key["headers"])
            self.assertEqual(status, 200, body)
        t0 = time.monotonic()
        total = harness.wait_until(
            lambda: (lambda v: v if v >= base + N else None)(int(float(mariadb(sql)[0][0]))),
            15, message="statdb usage for %s" % api["context"])
        print("usage: %d calls in statdb after %.2f s" % (N, time.monotonic() - t0))
        self.assertEqual(total, base + N, "more rows than calls: duplicated batches?")
        time.sleep(2)  # nothing sent twice later either
        self.assertEqual(int(float(mariadb(sql)[0][0])), base + N)

    def test_faults_are_counted_too(self):
        key = harness.new_app_with_key()
        api = key["api"]
        harness.wait_until(lambda: harness.http("GET", harness.api_url(api, "/echo", 0),
                                                headers=key["headers"])[0] == 200, 15)
        table, ctx_col, count_col = usage_table()
        sql = "SELECT COALESCE(SUM(`%s`),0) FROM `%s` WHERE `%s` = '%s'" % (
            count_col, table, ctx_col, api["context"])
        base = settled(sql)
        for _ in range(5):
            status, _, _ = harness.http("GET", harness.api_url(api, "/echo", 0))
            self.assertEqual(status, 401)
        harness.wait_until(lambda: int(float(mariadb(sql)[0][0])) >= base + 5, 15,
                           message="401s counted in statdb")


if __name__ == "__main__":
    unittest.main()
