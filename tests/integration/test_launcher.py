"""test_launcher.py: the ./tollgate launcher itself: status, health URLs,
the var/ layout and its permissions, restarting one node, idempotent `up`,
configuration files made from the daemons' --print-config, and a daemon
refusing a bad configuration with a clear message."""

import os
import re
import stat
import subprocess
import tempfile
import unittest

import harness as h


def keys_of(text):
    """{(group, key): value} of a configuration file, in file order."""
    out, group = {}, None
    for line in text.splitlines():
        m = re.match(r"^\[(.*)\]$", line)
        if m:
            group = m.group(1)
        elif re.match(r"^[a-z_]+ =", line):
            key, _, value = line.partition(" =")
            out[(group, key)] = value.strip()
    return out


def health(url):
    try:
        status, _, _ = h.http("GET", url.rstrip("/") + "/health", timeout=3)
        return status
    except OSError:
        return None


def status_lines():
    out = h.tollgate("status").stdout
    return {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}


def pid_files():
    run = os.path.join(h.VAR, "run")
    return {f: open(os.path.join(run, f)).read().strip() for f in sorted(os.listdir(run))}


class LauncherTest(unittest.TestCase):

    def test_status_shows_every_component_up(self):
        lines = status_lines()
        expected = ["db"] + ["hub%d" % k for k in range(1, len(h.HUBS) + 1)] \
            + ["gw%d" % k for k in range(1, len(h.GATEWAYS) + 1)]
        for name in expected:
            self.assertIn(name, lines)
            self.assertEqual(lines[name][1], "up", "%s: %s" % (name, " ".join(lines[name])))
            self.assertTrue(lines[name][3].isdigit())

    def test_hub_health_over_tls_with_the_local_ca(self):
        self.assertTrue(h.HUB_HTTPS)
        for url in h.HUB_HTTPS:
            # h.http verifies the certificate against var/tls/ca.crt and the
            # host name 127.0.0.1, so this also checks the subjectAltName.
            self.assertEqual(health(url), 200, url)

    def test_gateway_admin_health(self):
        self.assertTrue(h.GATEWAY_ADMIN)
        for url in h.GATEWAY_ADMIN:
            self.assertEqual(health(url), 200, url)

    def test_backend_health(self):
        self.assertEqual(health(h.BACKEND), 200)

    def test_secrets_are_private(self):
        for name in ("admin.password", "db.password", "gateway.password", "session.secret",
                     "tls/ca.key", "tls/server.key", "conf/hub1.conf", "conf/gw1.conf"):
            mode = stat.S_IMODE(os.stat(os.path.join(h.VAR, name)).st_mode)
            self.assertEqual(mode, 0o600, "%s has mode %o" % (name, mode))
        with open(os.path.join(h.VAR, "session.secret")) as f:
            self.assertRegex(f.read().strip(), r"^[0-9a-f]{64}$")
        with open(os.path.join(h.VAR, "admin.password")) as f:
            self.assertEqual(f.read().strip(), h.ADMIN_PASSWORD)

    def test_configs_carry_the_shifted_ports(self):
        for k, hostport in enumerate(h.HUBS, start=1):
            with open(os.path.join(h.VAR, "conf", "hub%d.conf" % k)) as f:
                conf = f.read()
            base = int(re.search(r"^thrift_port = (\d+)", conf, re.M).group(1))
            offset = int(re.search(r"^port_offset = (\d+)", conf, re.M).group(1))
            self.assertEqual(offset, k - 1)
            self.assertEqual("127.0.0.1:%d" % (base + offset), hostport)
        for k in range(1, len(h.GATEWAYS) + 1):
            with open(os.path.join(h.VAR, "conf", "gw%d.conf" % k)) as f:
                conf = f.read()
            self.assertIn("id = gw%d" % k, conf)
            line = re.search(r"^key_validators = (.*)$", conf, re.M).group(1)
            self.assertEqual([v.strip() for v in line.split(",")], h.HUBS)

    def test_configs_are_print_config_with_the_stack_settings(self):
        # every key of the daemon's --print-config, in its order, with its comment;
        # only the stack's own settings differ from the defaults
        for conf, program, changed in (
                ("hub1.conf", "tollgate-keyvalidator", {("hub", "thrift_port"), ("hub", "metrics_token")}),
                ("gw1.conf", "tollgate-gateway", {("gateway", "plugins"), ("hubs", "key_validators")})):
            binary = h.require_binary(self, program)
            printed = subprocess.run([binary, "--print-config"], capture_output=True, text=True,
                                     timeout=30, check=True).stdout
            with open(os.path.join(h.VAR, "conf", conf)) as f:
                written = f.read()
            self.assertIn("from %s --print-config" % program, written.splitlines()[0])
            want, got = keys_of(printed), keys_of(written)
            self.assertEqual([k for k in got if k in want], list(want), conf)
            differ = {k for k in want if want[k] != got[k]}
            self.assertTrue(changed <= differ, (conf, changed - differ))
            comments = [l for l in printed.splitlines() if l.startswith("# ")]
            self.assertTrue(set(comments) <= set(written.splitlines()), conf)

    def test_logs_command(self):
        # The last 100 lines of hub1's own log, nothing from other components.
        # (Not "contains the start-up line": a long run pushes it out of the tail.)
        out = h.tollgate("logs", "hub1").stdout.splitlines()
        with open(os.path.join(h.VAR, "log", "hub1.log")) as f:
            whole = f.read().splitlines()
        self.assertTrue(0 < len(out) <= 100, len(out))
        self.assertTrue(set(out) <= set(whole))
        self.assertTrue(all(" hub " in line for line in out if line[:4].isdigit()))

    def test_logs_of_unknown_component_fails(self):
        r = h.tollgate("logs", "nosuchcomponent", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("no log", r.stderr)

    def test_stop_and_start_one_hub(self):
        k = len(h.HUBS)
        url = h.HUB_HTTPS[k - 1]
        try:
            h.stop_hub(k)
            self.assertEqual(status_lines()["hub%d" % k][1], "down")
            self.assertIsNone(health(url))
        finally:
            h.start_hub(k)
        self.assertEqual(status_lines()["hub%d" % k][1], "up")
        self.assertEqual(health(url), 200)

    def test_second_up_leaves_running_daemons_alone(self):
        before = pid_files()
        env = dict(os.environ, TOLLGATE_VAR=h.VAR, TOLLGATE_SKIP_BUILD="1")
        proc = subprocess.run([os.path.join(h.ROOT, "tollgate"), "up"], env=env,
                              capture_output=True, text=True, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        self.assertEqual(pid_files(), before)

    def test_bad_config_stops_the_hub_with_a_clear_message(self):
        hub = h.require_binary(self, "tollgate-keyvalidator")
        with open(os.path.join(h.VAR, "conf", "hub1.conf")) as f:
            good = f.read()
        bad = re.sub(r"^thrift_port = .*$", "thrift_port = not-a-port", good, flags=re.M)
        with tempfile.NamedTemporaryFile("w", suffix=".conf", dir=h.VAR) as conf:
            conf.write(bad)
            conf.flush()
            proc = subprocess.run([hub, "--config", conf.name], capture_output=True, text=True,
                                  timeout=30)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("thrift_port", proc.stdout + proc.stderr)

    def test_bad_config_stops_the_gateway_with_a_clear_message(self):
        gw = h.require_binary(self, "tollgate-gateway")
        with open(os.path.join(h.VAR, "conf", "gw1.conf")) as f:
            good = f.read()
        bad = re.sub(r"^admin_port = .*$", "admin_port = not-a-port", good, flags=re.M)
        with tempfile.NamedTemporaryFile("w", suffix=".conf", dir=h.VAR) as conf:
            conf.write(bad)
            conf.flush()
            proc = subprocess.run([gw, "--config", conf.name], capture_output=True, text=True,
                                  timeout=30)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("admin_port", proc.stdout + proc.stderr)


if __name__ == "__main__":
    unittest.main()
