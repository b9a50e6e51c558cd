"""throttle_support.py: what the test_throttle_* suites share: a tier made
through the hub, a subscribed key on tiers of the test's choosing, waiting for
the start of a fixed window, and a load driver on persistent connections that
counts answers per gateway."""

import http.client
import json
import threading
import time
import urllib.parse

import harness as h


def add_tier(level, requests, unit, **fields):
    """A new tier (fresh name) at level; returns its name."""
    _, T, _ = h.thrift_modules()
    name = h.unique(level[:3].title())
    with h.Session("admin") as s:
        s.call("addTier", T.Tier(name=name, level=level, requestCount=requests, unitTime=unit,
                                 **fields))
    return name


def keyed_api(sub_tier="Unlimited", app_tier="Unlimited", api_tier="Unlimited",
              resource_tier="Unlimited"):
    """A published API on tiers api_tier/resource_tier, and an application on app_tier
    subscribed on sub_tier with a production key: (api dict, headers)."""
    _, T, _ = h.thrift_modules()
    res = [(v, "/*", "Application", resource_tier) for v in ("GET", "POST")]
    api = h.new_api(resources=res, tier=api_tier)
    with h.Session("admin") as s:
        app = s.call("createApplication", T.Application(name=h.unique("app"), owner="admin",
                                                        tier=app_tier))
        s.call("subscribe", "admin", app.name, api["context"], api["version"], sub_tier)
        keys = s.call("generateKeys", "admin", app.name, "PRODUCTION", 0, [])
    wait_api_known(api)
    return api, {"Authorization": "Bearer " + keys.accessToken}


def wait_api_known(api):
    """Both gateways route the API (a PUT, which no resource takes, answers 900906 rather
    than the router's 404): no request of the test's own is spent on waiting."""
    for k in range(2):
        h.wait_until(lambda: fault_code(h.http("PUT", h.api_url(api, "/x", k))[2]) == 900906,
                     10, message="API %s on gateway %d" % (api["context"], k + 1))


def wait_window_start(unit_s, offset=0.3):
    """Sleeps until offset seconds after the start of the next fixed window of unit_s;
    returns that start (epoch seconds)."""
    now = time.time()
    start = (int(now) // unit_s + 1) * unit_s
    if start - now > unit_s - offset - 0.2 and now - (start - unit_s) < offset:
        start -= unit_s
    time.sleep(max(0.0, start + offset - time.time()))
    return start


def fault_code(body):
    try:
        return json.loads(body)["fault"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


class Driver:
    """Threads sending GETs to an API over keep-alive connections until stop() or,
    with run_until, an absolute deadline (no request is sent after it, however late
    a loaded machine wakes the caller); pick(i) chooses the gateway (0-based) of the
    i-th request of a thread. Counts statuses per gateway and fault codes."""

    def __init__(self, api, headers, threads=8, pick=None, path="/x"):
        self.urls = [urllib.parse.urlsplit(h.api_url(api, path, k)) for k in range(2)]
        self.headers = headers
        self.pick = pick or (lambda t, i: (t + i) % 2)
        self.lock = threading.Lock()
        self.ok = [0, 0]
        self.status = {}
        self.codes = {}
        self.times_ok = []
        self._stop = threading.Event()
        self.deadline = float("inf")
        self.threads = [threading.Thread(target=self._run, args=(t,), daemon=True)
                        for t in range(threads)]

    def _run(self, t):
        conns = [None, None]
        i = 0
        while not self._stop.is_set() and time.time() < self.deadline:
            k = self.pick(t, i)
            i += 1
            u = self.urls[k]
            try:
                if conns[k] is None:
                    conns[k] = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
                conns[k].request("GET", u.path, headers=self.headers)
                r = conns[k].getresponse()
                body = r.read()
            except (OSError, http.client.HTTPException):
                conns[k] = None
                continue
            with self.lock:
                self.status[r.status] = self.status.get(r.status, 0) + 1
                if r.status == 200:
                    self.ok[k] += 1
                    self.times_ok.append(time.time())
                else:
                    c = fault_code(body)
                    self.codes[c] = self.codes.get(c, 0) + 1

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def stop(self):
        self._stop.set()
        for t in self.threads:
            t.join(15)
        return self

    def run_for(self, seconds):
        self.start()
        time.sleep(seconds)
        return self.stop()

    def run_until(self, deadline):
        self.deadline = deadline
        self.start()
        time.sleep(max(0.0, deadline - time.time()))
        return self.stop()
