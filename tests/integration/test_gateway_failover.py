"""Gateway hub failover: with one hub stopped under a steady stream of
requests carrying new (uncached) tokens no request fails; the restarted hub
is used again; with every hub down cached tokens still pass and uncached
ones get 503 / 900900 at once; with hubs back everything is normal.
"""
import json
import os
import re
import signal
import threading
import time
import unittest

import harness


def call(api, token, k=0, timeout=10):
    return harness.http("GET", harness.api_url(api, "/echo", k),
                        headers={"Authorization": "Bearer %s" % token}, timeout=timeout)


def cache_hits(k):
    """Key validations gateway k answered from its cache so far."""
    _, _, body = harness.http("GET", harness.GATEWAY_ADMIN[k].rstrip("/") + "/metrics")
    m = re.search(rb'tollgate_gateway_key_cache_total\{result="hit"\} (\S+)', body)
    return float(m.group(1)) if m else 0.0


def feeds_caught_up():
    """Waits until every gateway has applied the hub's changes so far. A change
    applied later (the test's own subscription, say) evicts the API's cached
    validations, and with every hub down those tokens would no longer pass."""
    with harness.Session() as s:
        latest = s.call("getGatewayConfig", 0).revision

    def applied(k):
        status, _, body = harness.http("GET", harness.GATEWAY_ADMIN[k].rstrip("/") + "/health")
        return status == 200 and json.loads(body.decode())["hubs"]["revision"] >= latest
    for k in range(len(harness.GATEWAYS)):
        harness.wait_until(lambda: applied(k), timeout=15,
                           message="gateway %d at revision %d" % (k, latest))


def warm(api, token, k):
    """Calls gateway k until it answers token from its cache. A validation that
    raced a change-feed eviction for the API is answered but not kept, so one
    200 does not prove the token is cached."""
    def answered_from_cache():
        before = cache_hits(k)
        return call(api, token, k)[0] == 200 and cache_hits(k) > before
    harness.wait_until(answered_from_cache, timeout=15,
                       message="token cached on gateway %d" % k)


def fresh_tokens(key, n):
    """n new access tokens of key's application (each one uncached)."""
    out = []
    with harness.Session() as s:
        for _ in range(n):
            ks = s.call("issueToken", key["owner"], key["app"]["name"], "PRODUCTION", 0, [], "")
            out.append(ks.accessToken)
    return out


def hub_calls(k, hub_index):
    """Calls gateway k (0-based) made to hub hub_index (0-based), from /health."""
    status, _, body = harness.http("GET", harness.GATEWAY_ADMIN[k].rstrip("/") + "/health")
    if status != 200:
        return None
    doc = json.loads(body.decode())
    port = harness.HUBS[hub_index].rpartition(":")[2]
    for node in doc.get("hubs", {}).get("nodes", []):
        if node["hub"].endswith(":" + port):
            return node
    return None


def metric_sum(k, name, label_filter):
    status, _, body = harness.http("GET", harness.GATEWAY_ADMIN[k].rstrip("/") + "/metrics")
    total = 0.0
    for line in body.decode().splitlines():
        if line.startswith(name) and label_filter in line:
            total += float(line.split()[-1])
    return total


class GatewayFailoverTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if len(harness.HUBS) < 2 or not harness.GATEWAYS:
            raise unittest.SkipTest("needs a stack with 2 hubs and a gateway")
        cls.key = harness.new_app_with_key()
        cls.api = cls.key["api"]
        for k in range(len(harness.GATEWAYS)):
            harness.wait_until(lambda: call(cls.api, cls.key["token"], k)[0] == 200, 15)

    def tearDown(self):
        for h in (1, 2):
            harness.tollgate("start", "hub", h, check=False)
        for k in range(len(harness.GATEWAYS)):
            harness.wait_until(lambda: all(hub_calls(k, i) and hub_calls(k, i)["up"]
                                           for i in range(2)), 20,
                               message="gateway %d sees both hubs up" % (k + 1))

    def stream(self, tokens, results, stop=None):
        """Calls with each token once, alternating gateways, recording failures."""
        for i, token in enumerate(tokens):
            if stop is not None and stop.is_set():
                break
            k = i % len(harness.GATEWAYS)
            status, _, body = call(self.api, token, k)
            results.append((status, k, body[:200]))
            time.sleep(0.02)

    def test_one_hub_down_no_request_fails(self):
        tokens = fresh_tokens(self.key, 160)
        results = []
        t = threading.Thread(target=self.stream, args=(tokens, results))
        t.start()
        time.sleep(0.5)
        t0 = time.monotonic()
        harness.stop_hub(2)
        stopped = time.monotonic() - t0
        t.join()
        failures = [r for r in results if r[0] != 200]
        print("one hub down: %d requests with new tokens, %d failed (hub stop took %.1f s)"
              % (len(results), len(failures), stopped))
        self.assertEqual(failures, [])
        self.assertEqual(len(results), len(tokens))
        for k in range(len(harness.GATEWAYS)):
            node = hub_calls(k, 1)
            self.assertIsNotNone(node)
            harness.wait_until(lambda: not hub_calls(k, 1)["up"], 5,
                               message="gateway %d marks hub 2 down" % (k + 1))

        # hub 2 back: probed in (backoff at most 5 s) and used again
        harness.start_hub(2)
        for k in range(len(harness.GATEWAYS)):
            harness.wait_until(lambda: hub_calls(k, 1)["up"], 15,
                               message="gateway %d sees hub 2 again" % (k + 1))
        before = [hub_calls(k, 1)["calls"] for k in range(len(harness.GATEWAYS))]
        port = harness.HUBS[1].rpartition(":")[2]
        metric_before = metric_sum(0, "tollgate_gateway_hub_rpc_seconds_count",
                                   ':%s"' % port)
        results = []
        self.stream(fresh_tokens(self.key, 40), results)
        self.assertEqual([r for r in results if r[0] != 200], [])
        after = [hub_calls(k, 1)["calls"] for k in range(len(harness.GATEWAYS))]
        print("hub 2 calls per gateway before/after restart traffic: %s -> %s" % (before, after))
        for k in range(len(harness.GATEWAYS)):
            self.assertGreater(after[k], before[k], "gateway %d never used hub 2 again" % (k + 1))
        self.assertGreater(metric_sum(0, "tollgate_gateway_hub_rpc_seconds_count", ':%s"' % port),
                           metric_before)

    def test_one_hub_killed_no_request_fails(self):
        """SIGKILL instead of a drained stop: the hub's connections reset with
        calls in flight, which the gateways retry on the other hub."""
        tokens = fresh_tokens(self.key, 120)
        results = []
        t = threading.Thread(target=self.stream, args=(tokens, results))
        t.start()
        time.sleep(0.5)
        pid = harness.hub_pid(2)
        self.assertIsNotNone(pid)
        os.kill(pid, signal.SIGKILL)
        t.join()
        failures = [r for r in results if r[0] != 200]
        print("one hub killed: %d requests with new tokens, %d failed" % (len(results), len(failures)))
        self.assertEqual(failures, [])
        self.assertEqual(len(results), len(tokens))
        for k in range(len(harness.GATEWAYS)):
            harness.wait_until(lambda: not hub_calls(k, 1)["up"], 5,
                               message="gateway %d marks the killed hub down" % (k + 1))

    def test_frozen_hub_times_out_and_cached_tokens_stay_fast(self):
        """A hub that accepts connections but never answers (SIGSTOP): calls to it
        time out (hubs timeout_ms, 2 s) and are retried on the other hub, so no
        request fails or waits much longer, and cached tokens never wait for it.
        The hub is restarted first, so the gateways' workers hold no connection
        to it and concurrent calls must open new ones: those used to wait for the
        login's 10 s timeout in the TLS handshake before failing over."""
        feeds_caught_up()
        cached = fresh_tokens(self.key, 1)[0]
        for k in range(len(harness.GATEWAYS)):
            warm(self.api, cached, k)
        tokens = fresh_tokens(self.key, 8 * len(harness.GATEWAYS))
        harness.stop_hub(2)
        harness.start_hub(2)
        for k in range(len(harness.GATEWAYS)):
            harness.wait_until(lambda: hub_calls(k, 1)["up"], 15,
                               message="gateway %d sees hub 2 again" % (k + 1))
        pid = harness.hub_pid(2)
        self.assertIsNotNone(pid)
        os.kill(pid, signal.SIGSTOP)
        try:
            results = []

            def one(i, token):
                t0 = time.monotonic()
                status, _, body = call(self.api, token, i % len(harness.GATEWAYS), timeout=60)
                results.append((status, time.monotonic() - t0, body[:200]))

            threads = [threading.Thread(target=one, args=(i, t)) for i, t in enumerate(tokens)]
            for t in threads:
                t.start()
            worst_cached = 0.0
            for k in range(len(harness.GATEWAYS)):
                t0 = time.monotonic()
                self.assertEqual(call(self.api, cached, k)[0], 200)
                worst_cached = max(worst_cached, time.monotonic() - t0)
            for t in threads:
                t.join()
            worst_new = max(r[1] for r in results)
            print("frozen hub: %d concurrent new tokens, slowest %.3f s; cached token at most %.3f s"
                  % (len(results), worst_new, worst_cached))
            self.assertEqual([r for r in results if r[0] != 200], [])
            self.assertLess(worst_cached, 1.0)
            self.assertLess(worst_new, 6.0)
            for k in range(len(harness.GATEWAYS)):
                self.assertFalse(hub_calls(k, 1)["up"], "gateway %d still uses the frozen hub" % (k + 1))
        finally:
            os.kill(pid, signal.SIGCONT)

    def test_all_hubs_down_cached_pass_uncached_503(self):
        cached = fresh_tokens(self.key, 2)
        uncached = fresh_tokens(self.key, 4)
        feeds_caught_up()
        for token in cached:
            for k in range(len(harness.GATEWAYS)):
                warm(self.api, token, k)
        harness.stop_hub(1)
        harness.stop_hub(2)
        try:
            for token in cached:
                for k in range(len(harness.GATEWAYS)):
                    status, _, body = call(self.api, token, k)
                    self.assertEqual(status, 200, "cached token refused with hubs down: %r" % body)
            worst = 0.0
            for i, token in enumerate(uncached):
                k = i % len(harness.GATEWAYS)
                t0 = time.monotonic()
                status, headers, body = call(self.api, token, k)
                worst = max(worst, time.monotonic() - t0)
                self.assertEqual(status, 503, body)
                self.assertEqual(json.loads(body.decode())["fault"]["code"], 900900)
            print("all hubs down: uncached token answered 503 in at most %.3f s" % worst)
        finally:
            harness.start_hub(1)
            harness.start_hub(2)
        # back to normal: uncached tokens validate again
        for i, token in enumerate(fresh_tokens(self.key, 4)):
            k = i % len(harness.GATEWAYS)
            harness.wait_until(lambda: call(self.api, token, k)[0] == 200, 20,
                               message="new token after hubs restarted")


if __name__ == "__main__":
    unittest.main()
