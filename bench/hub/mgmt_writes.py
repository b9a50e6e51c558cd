#!/usr/bin/python3
"""mgmt_writes.py: management writes per second through one hub: P processes,
each with its own session, create applications back to back (one transaction each:
the application row and its audit), for S seconds. Prints "writes/s N". A
benchmark, not a test: the only check is that the writes succeeded.

    TOLLGATE_VAR=... bench/hub/mgmt_writes.py [--processes P] [--seconds S] [--hub K]
"""
import argparse
import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tests", "integration"))
import harness  # noqa: E402


def worker(hub, seconds, prefix, out):
    _, T, _ = harness.thrift_modules()
    n = failed = 0
    with harness.Session(hub=hub) as s:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                s.call("createApplication", T.Application(name="%s%d" % (prefix, n),
                                                          owner="admin", tier="Unlimited"))
                n += 1
            except T.TollgateException:
                failed += 1
    out.put((n, failed))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--processes", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--hub", type=int, default=0)
    a = ap.parse_args()
    harness.thrift_modules()   # generate the Python modules once, before forking
    out = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=worker, args=(a.hub, a.seconds,
                                                          harness.unique("bw") + "p%d-" % i, out))
             for i in range(a.processes)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    done = sum(r[0] for r in results)
    failed = sum(r[1] for r in results)
    print("writes/s %.0f  (%d writes, %d failed, %d processes, %.0fs)"
          % (done / a.seconds, done, failed, a.processes, a.seconds))


if __name__ == "__main__":
    main()
