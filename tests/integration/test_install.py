"""test_install: `make install DESTDIR=...` of the test build (into a staging
directory whose name has a space) puts every file where the layout says and
nothing outside DESTDIR, keeps an edited configuration on reinstall, and
`make uninstall` takes back all the rest; the example plugin builds against
the installed plugin.h through pkg-config (the staged .pc's prefix rewritten);
the systemd units pass `systemd-analyze verify` without a warning and
`systemd-analyze security` rates them well.
"""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import harness

EXAMPLE = os.path.join(harness.ROOT, "examples", "plugins", "request_stamp")
PROGRAMS = ("tollgate-keyvalidator", "tollgate-gateway", "tollgatectl")
DIRS = ("prefix", "exec_prefix", "bindir", "includedir", "libdir", "datarootdir", "datadir",
        "sysconfdir", "docdir", "systemdsystemunitdir", "sysusersdir", "PACKAGE_TARNAME")


def make_variables(build):
    """The installation directories of the build's Makefile, expanded."""
    raw = {}
    with open(os.path.join(build, "Makefile")) as f:
        for line in f:
            m = re.match(r"^([A-Za-z_]+) = (.*)$", line.rstrip("\n"))
            if m and m.group(1) in DIRS:
                raw[m.group(1)] = m.group(2)

    def expand(value):
        for _ in range(10):
            value = re.sub(r"\$[({](\w+)[)}]", lambda m: raw.get(m.group(1), ""), value)
        return value
    return {k: expand(v) for k, v in raw.items()}


def run(*args, **kw):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=600, **kw)


def files_under(top):
    out = set()
    for dirpath, _, names in os.walk(top):
        for n in names:
            out.add(os.path.relpath(os.path.join(dirpath, n), top))
    return out


class InstallTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(os.path.join(harness.BUILD, "Makefile")):
            raise unittest.SkipTest("no configured build in %s" % harness.BUILD)
        cls.dirs = make_variables(harness.BUILD)
        cls.tmp = tempfile.mkdtemp(prefix="tollgate-install-")
        cls.dest = os.path.join(cls.tmp, "stage dir")
        cls.outside = {p: os.path.exists(p) for p in cls.system_paths()}
        proc = cls.make("install")
        if proc.returncode != 0:
            raise AssertionError("make install failed:\n%s%s" % (proc.stdout, proc.stderr))
        cls.installed = files_under(cls.dest)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def make(cls, target):
        return run("make", "-s", "-C", harness.BUILD, target, "DESTDIR=" + cls.dest)

    @classmethod
    def system_paths(cls):
        d = cls.dirs
        return [os.path.join(d["bindir"], "tollgatectl"),
                os.path.join(d["includedir"], "tollgate", "plugin.h"),
                os.path.join(d["sysconfdir"], "tollgate"),
                os.path.join(d["datadir"], "tollgate"),
                os.path.join(d["systemdsystemunitdir"], "tollgate-keyvalidator.service")]

    def staged(self, path):
        return os.path.join(self.dest, path.lstrip("/"))

    def rel(self, path):
        return path.lstrip("/")

    def expected_files(self):
        d = self.dirs
        sql_src = os.path.join(harness.ROOT, "sql")
        want = {os.path.join(d["bindir"], p) for p in PROGRAMS}
        want |= {os.path.join(d["includedir"], "tollgate", "plugin.h"),
                 os.path.join(d["libdir"], "pkgconfig", "tollgate-gateway-plugin.pc"),
                 os.path.join(d["docdir"], "README.md")}
        conf = os.path.join(d["sysconfdir"], "tollgate")
        want |= {os.path.join(conf, n) for n in (
            "tollgate-keyvalidator.conf.sample", "tollgate-gateway.conf.sample",
            "tollgate-keyvalidator.conf", "tollgate-gateway-1.conf")}
        sql = os.path.join(d["datadir"], "tollgate", "sql")
        want |= {os.path.join(sql, n) for n in os.listdir(sql_src) if n.endswith(".sql")}
        want |= {os.path.join(sql, "migrations", n)
                 for n in os.listdir(os.path.join(sql_src, "migrations")) if n.endswith(".sql")}
        if os.path.isdir(os.path.join(harness.ROOT, "portal")):
            want.add(os.path.join(d["bindir"], "tollgate-portal"))
        if d["systemdsystemunitdir"] != "no":
            want |= {os.path.join(d["systemdsystemunitdir"], u) for u in (
                "tollgate-keyvalidator.service", "tollgate-gateway@.service")}
            want.add(os.path.join(d["sysusersdir"], "tollgate.conf"))
        return {self.rel(p) for p in want}

    # ---------------------------------------------------------------- the layout

    def test_every_file_where_the_layout_says_and_no_other(self):
        self.assertEqual(self.installed, self.expected_files())
        for p in PROGRAMS:
            self.assertTrue(os.access(self.staged(os.path.join(self.dirs["bindir"], p)), os.X_OK))

    def test_nothing_written_outside_destdir(self):
        for path, existed in self.outside.items():
            self.assertEqual(os.path.exists(path), existed, path)

    def test_samples_use_paths_relative_to_the_state_directory(self):
        conf = self.staged(os.path.join(self.dirs["sysconfdir"], "tollgate",
                                        "tollgate-keyvalidator.conf"))
        with open(conf) as f:
            text = f.read()
        self.assertIn("\ntls_cert = tls/server.crt\n", text)
        self.assertIn("\npassword_file = db.password\n", text)
        self.assertNotRegex(text, r"(?m)^[a-z_]+ = var/")

    def test_reinstall_keeps_an_edited_configuration_and_uninstall_the_rest(self):
        conf = self.staged(os.path.join(self.dirs["sysconfdir"], "tollgate",
                                        "tollgate-keyvalidator.conf"))
        with open(conf, "a") as f:
            f.write("# edited by the operator\n")
        proc = self.make("install")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(conf) as f:
            self.assertTrue(f.read().endswith("# edited by the operator\n"))
        proc = self.make("uninstall")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(files_under(self.dest), {os.path.relpath(conf, self.dest)})
        proc = self.make("install")   # as it was for the other tests
        self.assertEqual(proc.returncode, 0, proc.stderr)

    # ---------------------------------------------------------------- plugins

    def test_example_plugin_builds_against_the_installed_header(self):
        pc = self.staged(os.path.join(self.dirs["libdir"], "pkgconfig",
                                      "tollgate-gateway-plugin.pc"))
        pcdir = os.path.join(self.tmp, "pkgconfig")
        os.makedirs(pcdir, exist_ok=True)
        with open(pc) as f:
            text = f.read()
        self.assertRegex(text, r"(?m)^includedir=\$\{prefix\}/")   # relocatable
        staged_prefix = self.link() + self.dirs["prefix"]   # make cannot hold a space
        with open(os.path.join(pcdir, "tollgate-gateway-plugin.pc"), "w") as f:
            f.write(re.sub(r"(?m)^prefix=.*$", "prefix=" + staged_prefix, text))
        env = dict(os.environ, PKG_CONFIG_PATH=pcdir)
        proc = run("pkg-config", "--validate", "tollgate-gateway-plugin", env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        proc = run("pkg-config", "--cflags", "tollgate-gateway-plugin", env=env)
        header_dir = os.path.join(staged_prefix, "include", "tollgate")
        self.assertIn("-I" + header_dir, proc.stdout)
        out = os.path.join(self.tmp, "plugins")
        os.makedirs(out, exist_ok=True)
        proc = run("make", "-C", EXAMPLE, "OUT=" + out, env=env)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("-I" + header_dir, proc.stdout)        # the installed header, not the tree's
        self.assertNotIn("/gateway ", proc.stdout)
        proc = run("nm", "-D", "--defined-only", os.path.join(out, "request_stamp.so"))
        self.assertRegex(proc.stdout, r"(?m) D tollgate_plugin$")

    # ---------------------------------------------------------------- systemd

    def link(self):
        """DESTDIR through a path without a space."""
        link = os.path.join(self.tmp, "stage")
        if not os.path.exists(link):
            os.symlink(self.dest, link)
        return link

    def units(self):
        """Copies of the installed units with their commands pointed into DESTDIR
        (through a link without the space, which an ExecStart path cannot hold)."""
        if self.dirs.get("systemdsystemunitdir", "no") == "no":
            self.skipTest("configured --with-systemdsystemunitdir=no")
        link = self.link()
        unitdir = os.path.join(self.tmp, "units")
        os.makedirs(unitdir, exist_ok=True)
        bindir = self.dirs["bindir"]
        out = []
        for name in ("tollgate-keyvalidator.service", "tollgate-gateway@.service"):
            with open(self.staged(os.path.join(self.dirs["systemdsystemunitdir"], name))) as f:
                text = f.read()
            with open(os.path.join(unitdir, name), "w") as f:
                f.write(text.replace("=" + bindir + "/", "=" + link + bindir + "/"))
            out.append((name, text))
        return unitdir, out

    def analyze(self, *args, cwd):
        tool = shutil.which("systemd-analyze")
        if tool is None:
            self.skipTest("systemd-analyze not installed (Debian package systemd, in ./tollgate's PACKAGES)")
        proc = run(tool, *args, cwd=cwd)
        if proc.returncode != 0 and "Failed to" in proc.stderr and "tollgate" not in proc.stderr:
            self.skipTest("systemd-analyze cannot run in this container: " + proc.stderr.strip())
        return proc

    def test_units_pass_systemd_analyze_verify(self):
        unitdir, _ = self.units()
        for name in ("tollgate-keyvalidator.service", "tollgate-gateway@.service",
                     "tollgate-gateway@1.service"):
            proc = self.analyze("verify", os.path.join(unitdir, name), cwd=unitdir)
            self.assertEqual((proc.returncode, proc.stdout + proc.stderr), (0, ""), name)

    def test_units_run_sandboxed_as_their_own_user(self):
        unitdir, units = self.units()
        for name, text in units:
            for line in ("User=tollgate", "NoNewPrivileges=yes", "ProtectSystem=strict",
                         "PrivateTmp=yes", "Restart=on-failure", "CapabilityBoundingSet=",
                         "StateDirectory=tollgate"):
                self.assertIn("\n" + line + "\n", text, name)
            proc = self.analyze("security", "--offline=yes", "--threshold=25",
                                os.path.join(unitdir, name), cwd=unitdir)
            self.assertEqual(proc.returncode, 0, proc.stdout[-400:] + proc.stderr)
        with open(self.staged(os.path.join(self.dirs["sysusersdir"], "tollgate.conf"))) as f:
            self.assertRegex(f.read(), r"(?m)^u tollgate ")
        self.assertIn("--config " + os.path.join(self.dirs["sysconfdir"], "tollgate",
                                                  "tollgate-gateway-%i.conf"), units[1][1])


if __name__ == "__main__":
    unittest.main()
