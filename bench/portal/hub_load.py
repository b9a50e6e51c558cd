#!/usr/bin/python3
"""hub_load.py: the hub's share of the portal's store pages with a big catalogue. `load`
creates N published APIs (names and tags from small word lists, so searches match a few
hundred) and M applications over M/1000 owners, through the hub's own methods (createApi,
setApiLifecycle, createApplication: the search index is filled as in production), in P
processes. `measure` times the store's calls one after another from one client over
Thrift/TLS (searchApis: the first page, a word, a tag, fields, a later page by cursor;
getPublicApi; listApplicationsPage first and later pages) and prints p50/p99 in ms.
A benchmark, not a test: the only checks are that the calls succeed.

    TOLLGATE_VAR=... bench/portal/hub_load.py load [--apis N] [--apps M] [--processes P]
    TOLLGATE_VAR=... bench/portal/hub_load.py measure [--rounds R]
"""
import argparse
import multiprocessing
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tests", "integration"))
import harness  # noqa: E402

ADJ = ["quick", "green", "secure", "open", "global", "smart", "rapid", "civic", "prime", "urban",
       "lunar", "solar", "fresh", "daily", "local", "cloud", "micro", "mega", "north", "south"]
NOUN = ["pizza", "weather", "payments", "maps", "books", "music", "travel", "health", "sports",
        "energy", "retail", "bank", "news", "games", "food", "parcel", "ticket", "hotel",
        "school", "market"]
TAGS = ["food", "finance", "media", "geo", "public", "internal", "beta", "fast", "eu", "us"]
PREFIX = "/bp"


def api_name(i):
    return "%s %s %d" % (ADJ[i % len(ADJ)], NOUN[(i // len(ADJ)) % len(NOUN)], i)


def load_apis(first, count, out):
    _, T, _ = harness.thrift_modules()
    res = [T.Resource(verb="GET", uriTemplate="/*", authType="Any", throttlingTier="Unlimited")]
    done = 0
    with harness.Session() as s:
        for i in range(first, first + count):
            ctx = "%s%05d" % (PREFIX, i)
            api = T.Api(name=api_name(i), context=ctx, version="1.0.0",
                        productionEndpoint=harness.BACKEND or "http://127.0.0.1:9",
                        resources=res, apiTier="Unlimited",
                        tags=[TAGS[i % len(TAGS)], TAGS[(i * 7) % len(TAGS)]],
                        description="Bench API %d" % i)
            try:
                s.call("createApi", api)
                s.call("setApiLifecycle", ctx, "1.0.0", "PUBLISHED")
                done += 1
            except T.TollgateException as e:
                if e.code != 409:
                    raise
    out.put(done)


def load_apps(first, count, out):
    _, T, _ = harness.thrift_modules()
    done = 0
    with harness.Session() as s:
        for i in range(first, first + count):
            owner = "bench-owner-%d" % (i // 1000)
            try:
                s.call("createApplication", T.Application(name="app %05d" % i, owner=owner))
                done += 1
            except T.TollgateException as e:
                if e.code != 409:
                    raise
    out.put(done)


def run_parallel(target, total, processes):
    out = multiprocessing.Queue()
    share = (total + processes - 1) // processes
    procs = [multiprocessing.Process(target=target, args=(k * share, min(share, total - k * share),
                                                          out))
             for k in range(processes) if k * share < total]
    for p in procs:
        p.start()
    n = sum(out.get() for _ in procs)
    for p in procs:
        p.join()
    return n


def load(a):
    with harness.Session() as s:
        for k in range((a.apps + 999) // 1000):
            try:
                s.call("addUser", "bench-owner-%d" % k, "Bench-owner-pw-1", ["subscriber"])
            except Exception:  # noqa: BLE001  (exists from an earlier load)
                pass
    t0 = time.monotonic()
    n = run_parallel(load_apis, a.apis, a.processes)
    print("apis created %d in %.0f s" % (n, time.monotonic() - t0))
    t0 = time.monotonic()
    n = run_parallel(load_apps, a.apps, a.processes)
    print("applications created %d in %.0f s" % (n, time.monotonic() - t0))


def timed(fn, rounds):
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]


def measure(a):
    client, transport = harness.thrift_client()
    rng = random.Random(7)
    with harness.Session() as admin:
        sub = harness.Session("bench-owner-3", "Bench-owner-pw-1")
        page2 = client.searchApis("", "", "", 20).nextCursor
        deep = ""
        for _ in range(50):   # a cursor 50 pages in
            deep = client.searchApis("", "", deep, 20).nextCursor
        app_cursor = sub.call("listApplicationsPage", "", "", 20).nextCursor
        cases = [
            ("searchApis first page (anonymous)", lambda: client.searchApis("", "", "", 20)),
            ("searchApis page 2 by cursor", lambda: client.searchApis("", "", page2, 20)),
            ("searchApis page 51 by cursor", lambda: client.searchApis("", "", deep, 20)),
            ("searchApis word", lambda: client.searchApis("", rng.choice(NOUN), "", 20)),
            ("searchApis two words", lambda: client.searchApis(
                "", "%s %s" % (rng.choice(ADJ), rng.choice(NOUN)), "", 20)),
            ("searchApis word prefix", lambda: client.searchApis("", rng.choice(NOUN)[:3], "", 20)),
            ("searchApis tag", lambda: client.searchApis("", "tag:" + rng.choice(TAGS), "", 20)),
            ("searchApis name: field", lambda: client.searchApis(
                "", "name:" + rng.choice(ADJ), "", 20)),
            ("searchApis as admin", lambda: client.searchApis(admin.sid, rng.choice(NOUN), "", 20)),
            ("getPublicApi", lambda: client.getPublicApi(
                "", "%s%05d" % (PREFIX, rng.randrange(a.apis)), "1.0.0")),
            ("listApplicationsPage first", lambda: sub.call("listApplicationsPage", "", "", 20)),
            ("listApplicationsPage page 2", lambda: sub.call("listApplicationsPage", "",
                                                             app_cursor, 20)),
        ]
        for name, fn in cases:
            fn()
            p50, p99 = timed(fn, a.rounds)
            print("%-36s p50 %6.2f ms  p99 %6.2f ms" % (name, p50, p99))
        sub.close()
    transport.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=("load", "measure"))
    ap.add_argument("--apis", type=int, default=10000)
    ap.add_argument("--apps", type=int, default=10000)
    ap.add_argument("--processes", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=300)
    a = ap.parse_args()
    load(a) if a.what == "load" else measure(a)


if __name__ == "__main__":
    main()
