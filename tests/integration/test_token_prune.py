"""Expired-token pruning: a hub deletes token rows whose access token and
refresh token both expired more than expired_token_retention ago, once at
start and every token_prune_interval. Rows inserted by hand with chosen
times: the long-expired ones go after a hub restart; one expired within the
retention, one whose refresh token never expires, one that never expires and
the live token of the same key stay."""
import hashlib
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
        # name: (issued_at_ms, validity_s, has refresh token, refresh_validity_s)
        cases = {
            "gone_no_refresh": (old, 60, False, 0),
            "gone_refresh_expired": (old, 60, True, 120),
            "kept_within_retention": (now_ms - 60000, 1, False, 0),
            "kept_refresh_never_expires": (old, 60, True, 0),
            "kept_never_expires": (old, 0, False, 0),
        }
        hashes = {name: sha256(tag + name) for name in cases}
        values = []
        for name, (issued, validity, refresh, refresh_validity) in cases.items():
            values.append("('%s', %s, '%s', %s, '%s', %d, %d, %d)" % (
                hashes[name], "'%s'" % sha256(tag + name + "r") if refresh else "NULL",
                consumer_key, app_id, key_type, issued, validity, refresh_validity))
        harness.sql("apimgtdb", "INSERT INTO AM_ACCESS_TOKEN (access_token_hash,"
                    " refresh_token_hash, consumer_key, application_id, key_type, issued_at_ms,"
                    " validity_s, refresh_validity_s) VALUES " + ", ".join(values))
        try:
            self.assertEqual(self.token_hashes(hashes.values()), set(hashes.values()))
            harness.stop_hub(1)
            harness.start_hub(1)
            gone = {hashes[n] for n in cases if n.startswith("gone")}
            harness.wait_until(lambda: not (self.token_hashes(gone) & gone), 15,
                               message="long-expired tokens pruned")
            kept = {hashes[n] for n in cases if n.startswith("kept")} | {live}
            self.assertEqual(self.token_hashes(kept), kept)
        finally:
            harness.sql("apimgtdb", "DELETE FROM AM_ACCESS_TOKEN WHERE access_token_hash IN (%s)"
                        % ",".join("'%s'" % h for h in hashes.values()))


if __name__ == "__main__":
    unittest.main()
