#!/usr/bin/env python3
"""portal_bench.py: time to first byte and bytes of the portal's main pages and
their JSON API with 10,000 APIs and 10,000 applications loaded.

Loads through the portal's own JSON API (publisher and store), idempotently:
a second run reuses what is there (names carry no random part). Then, for each
URL, one warm-up round and ROUNDS sequential requests over one keep-alive TLS
connection; prints p50/p99 TTFB (request written -> status line and headers
read) and the body size. Trade-off: a sequential client measures latency, not
throughput (wrk's job); TTFB is what a reader of the page waits for.
"""
import http.client
import json
import os
import re
import shlex
import ssl
import sys
import threading
import time
import urllib.parse

VAR = os.environ.get("TOLLGATE_VAR") or os.path.join(os.path.dirname(__file__), "..", "..", "var")
ENV = {}
with open(os.path.join(VAR, "stack.env")) as f:
    for line in f:
        if "=" in line and not line.startswith("#"):
            k, _, v = line.strip().partition("=")
            ENV[k] = (shlex.split(v) or [""])[0]
ENV.update({k: v for k, v in os.environ.items() if k.startswith("TOLLGATE_")})
PORTAL = urllib.parse.urlsplit(ENV["TOLLGATE_PORTAL"])
N_APIS = int(os.environ.get("BENCH_APIS", "10000"))
N_APPS = int(os.environ.get("BENCH_APPS", "10000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))
PASSWORD = "Bench-portal-pw-1"
CTX = ssl.create_default_context(cafile=ENV.get("TOLLGATE_CA", os.path.join(VAR, "tls", "ca.crt")))


def conn():
    return http.client.HTTPSConnection(PORTAL.hostname, PORTAL.port, context=CTX, timeout=60)


def call(c, method, path, token=None, body=None, form=None, headers=None):
    """One request; a 429 from the hub's per-user write budget is waited out and retried."""
    h = dict(headers or {})
    data = None
    if token:
        h["Authorization"] = "Bearer " + token
    if body is not None:
        h["Content-Type"] = "application/json"
        data = json.dumps(body)
    if form is not None:
        h["Content-Type"] = "application/x-www-form-urlencoded"
        data = urllib.parse.urlencode(form)
    for _ in range(100):
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        raw = r.read()
        if r.status != 429:
            break
        m = re.search(rb"retry in (\d+) ms", raw)
        time.sleep((int(m.group(1)) if m else 100) / 1000.0 + 0.01)
    return r.status, raw, r


def token(user, password):
    s, raw, _ = call(conn(), "POST", "/api/auth/token", form={"username": user, "password": password})
    if s != 200:
        sys.exit("token for %s: %d %s" % (user, s, raw[:200]))
    return json.loads(raw)["access_token"]


def ensure_user(admin, name, roles):
    s, raw, _ = call(conn(), "POST", "/api/admin/v1/users", admin,
                     {"name": name, "password": PASSWORD, "roles": roles})
    if s not in (200, 409):
        sys.exit("user %s: %d %s" % (name, s, raw[:200]))


def parallel(n, work):
    """work(c, i) for i in range(n) over THREADS keep-alive connections."""
    nxt = [0]
    lock = threading.Lock()
    errors = []

    def run():
        c = conn()
        while True:
            with lock:
                i = nxt[0]
                nxt[0] += 1
            if i >= n or errors:
                return
            try:
                work(c, i)
            except Exception as e:  # noqa: BLE001 (report and stop)
                errors.append(e)
    ts = [threading.Thread(target=run) for _ in range(THREADS)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors:
        sys.exit("load: %s" % errors[0])


WORDS = ["pizza", "pasta", "weather", "payments", "maps", "books", "music", "travel", "stocks", "health"]


USERS = 100   # the hub allows each user 10 changes a second: the load is spread over USERS of each kind


def load(admin):
    names = ["benchpub%02d" % k for k in range(USERS)] + ["benchbuyer%02d" % k for k in range(USERS)]
    tokens = {}

    def user(c, k):
        name = names[k]
        ensure_user(admin, name, ["publisher"] if name.startswith("benchpub") else ["subscriber"])
        tokens[name] = token(name, PASSWORD)
    parallel(len(names), user)
    if os.environ.get("BENCH_NO_LOAD"):
        return tokens
    t0 = time.time()

    def api(c, i):
        ctx = "/bench%05d" % i
        pub = tokens["benchpub%02d" % (i % USERS)]
        s, raw, _ = call(c, "POST", "/api/publisher/v1/apis", pub, {
            "name": "%s service %05d" % (WORDS[i % len(WORDS)].capitalize(), i), "context": ctx,
            "version": "1.0.0", "description": "Benchmark API number %d about %s." % (i, WORDS[i % len(WORDS)]),
            "productionEndpoint": ENV.get("TOLLGATE_BACKEND", "http://127.0.0.1:9900"),
            "tags": [WORDS[i % len(WORDS)], "bench"], "resources": [{"verb": "GET", "uriTemplate": "/*"}]})
        if s == 200:
            s, raw, _ = call(c, "POST", "/api/publisher/v1/lifecycle%s/1.0.0" % ctx, pub, {"status": "PUBLISHED"})
        if s not in (200, 409):
            raise RuntimeError("api %d: %d %s" % (i, s, raw[:200]))

    def app(c, i):
        buyer = tokens["benchbuyer%02d" % (i % USERS)]
        s, raw, _ = call(c, "POST", "/api/store/v1/applications", buyer, {"name": "benchapp%05d" % i})
        if s not in (200, 201, 409):
            raise RuntimeError("app %d: %d %s" % (i, s, raw[:200]))
    parallel(N_APIS, api)
    t1 = time.time()
    parallel(N_APPS, app)
    print("loaded %d APIs in %.0f s and %d applications in %.0f s (already present ones kept), "
          "over %d publishers and %d subscribers" % (N_APIS, t1 - t0, N_APPS, time.time() - t1, USERS, USERS))
    return tokens


def cookie_login(user):
    """A browser-like cookie session: the pre-session cookie and token, then POST /login."""
    c = conn()
    s, raw, r = call(c, "GET", "/login")
    pre = re.search(r"__Host-tg_pre=([^;]+)", r.getheader("Set-Cookie") or "")
    csrf = re.search(rb'name="csrf" value="([^"]+)"', raw)
    hdr = {"Cookie": "__Host-tg_pre=" + pre.group(1), "Origin": ENV["TOLLGATE_PORTAL"], "Sec-Fetch-Site": "same-origin"}
    s, raw, r = call(c, "POST", "/login", form={"username": user, "password": PASSWORD, "csrf": csrf.group(1).decode(),
                                                "next": "/"}, headers=hdr)
    sess = re.search(r"__Host-tg_session=([^;]+)", ",".join(r.headers.get_all("Set-Cookie") or []))
    if s != 303 or not sess:
        sys.exit("cookie login: %d" % s)
    return "__Host-tg_session=" + sess.group(1)


def measure(name, path, token=None, cookie=None):
    c = conn()
    h = {"Cookie": cookie} if cookie else {}
    if token:
        h["Authorization"] = "Bearer " + token
    ttfb, size, status = [], 0, 0
    for i in range(ROUNDS + 20):
        t0 = time.perf_counter()
        c.request("GET", path, headers=h)
        r = c.getresponse()
        t1 = time.perf_counter()
        body = r.read()
        status, size = r.status, len(body)
        if i >= 20:
            ttfb.append((t1 - t0) * 1000)
    ttfb.sort()
    p50, p99 = ttfb[len(ttfb) // 2], ttfb[min(len(ttfb) - 1, int(len(ttfb) * 0.99))]
    print("%-30s %4d  p50 %7.2f ms  p99 %7.2f ms  %7d bytes" % (name, status, p50, p99, size))
    return status


def main():
    admin = token("admin", ENV["TOLLGATE_ADMIN_PASSWORD"])
    tokens = load(admin)
    api_i, app_i = N_APIS * 42 // 100, N_APPS * 42 // 100
    owner = "benchbuyer%02d" % (app_i % USERS)
    buyer = tokens[owner]
    cookie = cookie_login(owner)
    print("%d rounds each, one keep-alive connection, after 20 warm-up requests" % ROUNDS)
    bad = 0
    for name, path, tok, ck in [
        ("store listing (HTML)", "/", None, cookie),
        ("search, 1 match (HTML)", "/?q=%05d" % api_i, None, cookie),
        ("search, 1,000 match (HTML)", "/?q=tag%3Aweather+service", None, cookie),
        ("API page (HTML)", "/store/apis/bench%05d/1.0.0" % api_i, None, cookie),
        ("application page (HTML)", "/store/apps/benchapp%05d" % app_i, None, cookie),
        ("store listing (JSON)", "/api/store/v1/apis", buyer, None),
        ("search, 1 match (JSON)", "/api/store/v1/apis?q=%05d" % api_i, buyer, None),
        ("search, 1,000 match (JSON)", "/api/store/v1/apis?q=tag%3Aweather+service", buyer, None),
        ("API (JSON)", "/api/store/v1/apis/bench%05d/1.0.0" % api_i, buyer, None),
        ("application (JSON)", "/api/store/v1/applications/benchapp%05d" % app_i, buyer, None),
    ]:
        bad += measure(name, path, tok, ck) != 200
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
