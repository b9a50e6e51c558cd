"""Expired-token pruning: a hub deletes token rows whose access token and
refresh token both expired more than expired_token_retention ago, and rows
revoked more than that ago, once at start and every token_prune_interval.
Rows inserted by hand with chosen times: the long-expired and long-revoked
ones go after a hub restart; one expired within the retention, one revoked
within it, one whose refresh token never expires, one that never expires and
the live token of the same key stay; a usage batch id a day old goes, a recent
one stays. Also: revoking stamps revoked_at_ms, and migration 003 adds that
column to a schema from before it."""
import hashlib
import os
import subprocess
import time
import unittest

import harness


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


class TokenPruneTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not harness.HUBS:
            raise unittest.SkipTest("no stack (TOLLGATE_HUBS unset)")

    def token_hashes(self, hashes):
        listed = ",".join("'%s'" % h for h in hashes)
        rows = harness.sql("apimgtdb", "SELECT access_token_hash FROM AM_ACCESS_TOKEN"
                                       " WHERE access_token_hash IN (%s)" % listed)
        return {r[0] for r in rows}

    def test_long_expired_tokens_pruned_at_hub_start(self):
        key = harness.new_app_with_key()
        live = sha256(key["token"])
        consumer_key, app_id, key_type = harness.sql(
            "apimgtdb", "SELECT consumer_key, application_id, key_type FROM AM_ACCESS_TOKEN"
                        " WHERE access_token_hash = '%s'" % live)[0]
        retention = int(harness.hub_config(1, "expired_token_retention", "86400") or 86400)
        now_ms = int(time.time() * 1000)
        old = now_ms - (retention + 3600) * 1000
        tag = harness.unique("prune")
        # name: (issued_at_ms, validity_s, has refresh token, refresh_validity_s, revoked_at_ms)
        cases = {
            "gone_no_refresh": (old, 60, False, 0, None),
            "gone_refresh_expired": (old, 60, True, 120, None),
            "gone_revoked_never_expires": (old, 0, False, 0, old),
            "gone_revoked_refresh_never_expires": (old, 60, True, 0, old),
            "kept_within_retention": (now_ms - 60000, 1, False, 0, None),
            "kept_revoked_within_retention": (old, 0, False, 0, now_ms - 60000),
            "kept_refresh_never_expires": (old, 60, True, 0, None),
            "kept_never_expires": (old, 0, False, 0, None),
        }
        hashes = {name: sha256(tag + name) for name in cases}
        values = []
        for name, (issued, validity, refresh, refresh_validity, revoked) in cases.items():
            values.append("('%s', %s, '%s', %s, '%s', %d, %d, %d, '%s', %s)" % (
                hashes[name], "'%s'" % sha256(tag + name + "r") if refresh else "NULL",
                consumer_key, app_id, key_type, issued, validity, refresh_validity,
                "ACTIVE" if revoked is None else "REVOKED",
                "NULL" if revoked is None else revoked))
        harness.sql("apimgtdb", "INSERT INTO AM_ACCESS_TOKEN (access_token_hash,"
                    " refresh_token_hash, consumer_key, application_id, key_type, issued_at_ms,"
                    " validity_s, refresh_validity_s, state, revoked_at_ms) VALUES "
                    + ", ".join(values))
        # usage batch ids (statdb) go a day after they arrived
        batches = {"old": (tag + "-old", now_ms // 1000 - 2 * 86400),
                   "recent": (tag + "-recent", now_ms // 1000 - 3600)}
        harness.sql("statdb", "INSERT INTO STAT_USAGE_BATCH (batch_id, received_at) VALUES "
                    + ", ".join("('%s', %d)" % b for b in batches.values()))
        batch_ids = "SELECT batch_id FROM STAT_USAGE_BATCH WHERE batch_id LIKE '%s-%%'" % tag
        try:
            self.assertEqual(self.token_hashes(hashes.values()), set(hashes.values()))
            harness.stop_hub(1)
            harness.start_hub(1)
            gone = {hashes[n] for n in cases if n.startswith("gone")}
            harness.wait_until(lambda: not (self.token_hashes(gone) & gone), 15,
                               message="long-expired tokens pruned")
            kept = {hashes[n] for n in cases if n.startswith("kept")} | {live}
            self.assertEqual(self.token_hashes(kept), kept)
            harness.wait_until(lambda: harness.sql("statdb", batch_ids)
                               == [[batches["recent"][0]]], 15,
                               message="the day-old usage batch id pruned, the recent one kept")
        finally:
            harness.sql("apimgtdb", "DELETE FROM AM_ACCESS_TOKEN WHERE access_token_hash IN (%s)"
                        % ",".join("'%s'" % h for h in hashes.values()))
            harness.sql("statdb", "DELETE FROM STAT_USAGE_BATCH WHERE batch_id LIKE '%s-%%'"
                        % tag)

    def test_revoking_stamps_the_revocation_time(self):
        key = harness.new_app_with_key()
        before_ms = int(time.time() * 1000)
        harness.ctl("token", "revoke", key["token"])
        state, revoked_at = harness.sql(
            "apimgtdb", "SELECT state, revoked_at_ms FROM AM_ACCESS_TOKEN"
                        " WHERE access_token_hash = '%s'" % sha256(key["token"]))[0]
        self.assertEqual(state, "REVOKED")
        self.assertGreaterEqual(int(revoked_at), before_ms - 1000)
        self.assertLessEqual(int(revoked_at), int(time.time() * 1000) + 1000)

    def test_migration_003_adds_the_column_to_an_older_schema(self):
        key = harness.new_app_with_key()
        token_hash = sha256(key["token"])
        column = ("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema ="
                  " 'apimgtdb' AND table_name = 'AM_ACCESS_TOKEN' AND column_name = 'revoked_at_ms'")
        migration = os.path.join(harness.ROOT, "sql", "migrations", "003_token_revoked_at.sql")
        sock = os.path.join(harness.VAR, "mysql", "mysqld.sock")

        def migrate():
            with open(migration) as f:
                subprocess.run(["mariadb", "--socket", sock, "-uroot"], stdin=f, check=True,
                               capture_output=True, timeout=30)

        # the schema as it was before 003, with a token revoked then
        harness.sql("apimgtdb", "ALTER TABLE AM_ACCESS_TOKEN DROP COLUMN revoked_at_ms")
        try:
            harness.sql("apimgtdb", "UPDATE AM_ACCESS_TOKEN SET state = 'REVOKED'"
                                    " WHERE access_token_hash = '%s'" % token_hash)
            self.assertEqual(harness.sql("information_schema", column), [["0"]])
        finally:
            migrate()
        self.assertEqual(harness.sql("information_schema", column), [["1"]])
        stamped = harness.sql("apimgtdb", "SELECT revoked_at_ms FROM AM_ACCESS_TOKEN"
                                          " WHERE access_token_hash = '%s'" % token_hash)[0][0]
        self.assertAlmostEqual(int(stamped) / 1000, time.time(), delta=60)
        migrate()   # a second load changes nothing
        self.assertEqual(harness.sql("information_schema", column), [["1"]])
        self.assertEqual(harness.sql("apimgtdb", "SELECT revoked_at_ms FROM AM_ACCESS_TOKEN"
                                                 " WHERE access_token_hash = '%s'" % token_hash),
                         [[stamped]])


if __name__ == "__main__":
    unittest.main()
