"""galera.py: what the test_galera_* modules share, on a stack started with
`./tollgate up --galera K` (stack.env: TOLLGATE_GALERA, TOLLGATE_DB_PORTS,
TOLLGATE_DB_SOCKETS, TOLLGATE_DB_PIDFILES): SQL and wsrep status on one node,
the nodes' pids and signals, waiting until the cluster is whole again, a hub's
[database] rewritten and the hub restarted, a hub's /metrics.

run.py loads the test_galera_* modules only on such a stack, so they never
appear (not even skipped) in the single-MariaDB run.
"""
import os
import re
import signal
import subprocess
import time

import harness

NODES = int(harness.ENV.get("TOLLGATE_GALERA", "0") or 0)
PORTS = [int(p) for p in harness._list("TOLLGATE_DB_PORTS")]
SOCKETS = harness._list("TOLLGATE_DB_SOCKETS")
PIDFILES = harness._list("TOLLGATE_DB_PIDFILES")


def is_galera_stack():
    return NODES > 1 and len(SOCKETS) == NODES


def node_sql(k, db, statement, timeout=10):
    """Rows (lists of strings) of statement run as root on node k (1-based)."""
    proc = subprocess.run(["mariadb", "--no-defaults", "--socket", SOCKETS[k - 1], "-uroot",
                           "--connect-timeout=%d" % timeout, db, "-N", "-B", "-e", statement],
                          capture_output=True, text=True, timeout=timeout + 5)
    if proc.returncode != 0:
        raise RuntimeError("db%d: %s" % (k, proc.stderr.strip()))
    return [line.split("\t") for line in proc.stdout.splitlines()]


def status(k, name):
    """A global status value of node k (str), or None when it does not answer."""
    try:
        rows = node_sql(k, "mysql", "SHOW GLOBAL STATUS LIKE '%s'" % name, timeout=3)
    except (RuntimeError, subprocess.TimeoutExpired):
        return None
    return rows[0][1] if rows else None


def status_sum(name):
    """The sum of a numeric status variable over the nodes that answer."""
    return sum(int(status(k, name) or 0) for k in range(1, NODES + 1))


def pid(k):
    try:
        with open(PIDFILES[k - 1]) as f:
            p = int(f.read().strip())
        os.kill(p, 0)
        return p
    except (OSError, ValueError):
        return None


def signal_node(k, sig):
    p = pid(k)
    assert p, "db%d is not running" % k
    os.kill(p, sig)
    return p


def synced(k):
    return status(k, "wsrep_local_state") == "4"


def wait_whole(timeout=180):
    """Until every node is Synced and sees a cluster of NODES."""
    def whole():
        return all(synced(k) and status(k, "wsrep_cluster_size") == str(NODES)
                   for k in range(1, NODES + 1))
    harness.wait_until(whole, timeout, interval=0.5, message="the cluster whole again")


def tollgate_connections(k):
    """Connections the hubs hold on node k (the tollgate user's in its process list)."""
    rows = node_sql(k, "mysql", "SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                                "WHERE USER = 'tollgate'", timeout=3)
    return int(rows[0][0])


def hub_conf_path(k):
    return os.path.join(harness.VAR, "conf", "hub%d.conf" % k)


def hub_db_setting(k, key):
    """A [database] value of hub k's configuration (the generated file)."""
    with open(hub_conf_path(k)) as f:
        text = f.read()
    section = text.split("[database]", 1)[1]
    m = re.search(r"^%s\s*=\s*(.*)$" % re.escape(key), section, re.M)
    return m.group(1).strip() if m else None


def set_hub_database(k, **settings):
    """Rewrites keys of hub k's [database] (added when missing) and restarts it;
    returns the previous file text (give it to restore_hub)."""
    path = hub_conf_path(k)
    with open(path) as f:
        old = f.read()
    head, _, section = old.partition("[database]")
    for key, value in settings.items():
        line = "%s = %s" % (key, value)
        if re.search(r"^%s\s*=" % re.escape(key), section, re.M):
            section = re.sub(r"^%s\s*=.*$" % re.escape(key), line, section, flags=re.M)
        else:
            section = "\n" + line + section
    with open(path, "w") as f:
        f.write(head + "[database]" + section)
    harness.stop_hub(k)
    harness.start_hub(k)
    return old


def restore_hub(k, text):
    with open(hub_conf_path(k), "w") as f:
        f.write(text)
    harness.stop_hub(k)
    harness.start_hub(k)


def hub_metric(k, name, labels=None):
    """The value of a metric in hub k's /metrics (sum over series matching labels)."""
    _, _, body = harness.http("GET", harness.HUB_HTTPS[k - 1] + "/metrics",
                              headers=harness.metrics_headers())
    total = 0.0
    for line in body.decode().splitlines():
        if not line.startswith(name) or line.startswith("#"):
            continue
        series, _, value = line.rpartition(" ")
        if series.split("{")[0] != name or (labels and labels not in series):
            continue
        total += float(value)
    return total


def node_label(k):
    return 'node="127.0.0.1:%d"' % PORTS[k - 1]


def kill_and_wait_gone(k):
    p = signal_node(k, signal.SIGKILL)
    harness.wait_until(lambda: pid(k) != p, 10, message="db%d gone" % k)
    return p


def time_until(predicate, timeout, interval=0.05):
    """Seconds until predicate() is truthy (AssertionError after timeout)."""
    t0 = time.monotonic()
    harness.wait_until(predicate, timeout, interval)
    return time.monotonic() - t0
