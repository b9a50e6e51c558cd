#!/usr/bin/python3
# test_harness: the test harness's own rules, on made-up inputs: tests/run-all
# counts test cases and fails an undeclared or unexplained skip, run.py does the
# same for integration tests, the lints find a planted include cycle, misplaced
# SQL and an unformatted file, the launcher's config writer puts settings
# over --print-config (refusing an unknown key), and conf_with / conf_set replace a
# key of a generated file rather than add a second. Prints TAP (make check).
import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import types
import unittest

ROOT = os.environ.get("TOLLGATE_ROOT") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DECLARED = "# comment\ntest_x.*  hard limit\n/unit/declared  not here\n"


class Tmp(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="test_harness-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, rel, text):
        path = os.path.join(self.dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path


class UnitCases(Tmp):
    """tests/run-all's unit_cases over fake automake .trs/.log pairs."""

    def count(self, logs):
        stamp = self.write("stamp", "")
        os.utime(stamp, (0, 0))
        for name, (result, log) in logs.items():
            self.write("tests/unit/%s.trs" % name, ":test-result: %s\n" % result)
            self.write("tests/unit/%s.log" % name, log)
        skips = self.write("declared-skips", DECLARED)
        r = subprocess.run(["bash", "-c", '. "$0/tests/run-all"; BUILD=$1; DECLARED_SKIPS=$2; unit_cases "$3"',
                            ROOT, self.dir, skips, stamp], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return tuple(int(n) for n in r.stdout.split()), r.stderr

    def test_counts_cases_not_programs(self):
        counts, _ = self.count({"a": ("PASS", "1..3\nok 1 /a/x\nok 2 /a/y\nok 3 /a/z\n"),
                                "b": ("FAIL", "1..2\nok 1 /b/x\nnot ok 2 /b/y\n")})
        self.assertEqual(counts, (4, 1))

    def test_crash_without_not_ok_is_one_failure(self):
        counts, err = self.count({"c": ("FAIL", "1..5\nok 1 /c/x\nBail out! boom\n")})
        self.assertEqual(counts, (1, 1))
        self.assertIn("tests/unit/c", err)

    def test_undeclared_skip_fails(self):
        counts, err = self.count({"d": ("PASS", "1..2\nok 1 /d/x\nok 2 /d/y # SKIP TG_TEST_DB_PORT not set\n")})
        self.assertEqual(counts, (1, 1))
        self.assertIn("/d/y", err)

    def test_declared_skip_passes_only_with_its_reason(self):
        counts, _ = self.count({"e": ("PASS", "1..1\nok 1 /unit/declared # SKIP not here today\n")})
        self.assertEqual(counts, (0, 0))
        counts, _ = self.count({"e": ("PASS", "1..1\nok 1 /unit/declared # SKIP some other reason\n")})
        self.assertEqual(counts, (0, 1))

    def test_skip_without_reason_fails(self):
        counts, _ = self.count({"f": ("PASS", "1..1\nok 1 /unit/declared # SKIP\n")})
        self.assertEqual(counts, (0, 1))

    def test_skipped_program_needs_a_declared_reason(self):
        counts, err = self.count({"g": ("SKIP", "no database here\n")})
        self.assertEqual(counts, (0, 1))
        self.assertIn("no database here", err)


class IntegrationSkips(Tmp):
    """tests/integration/run.py's undeclared_skips."""

    def test_rules(self):
        sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
        import run
        path = self.write("declared-skips", DECLARED)

        def test(tid):
            return types.SimpleNamespace(id=lambda: tid)
        result = types.SimpleNamespace(skipped=[
            (test("test_x.C.test_a"), "RLIMIT hard limit 1024"),   # declared
            (test("test_x.C.test_b"), "needs two hubs"),           # wrong reason
            (test("test_y.C.test_c"), "hard limit"),               # wrong test
            (test("test_x.C.test_d"), "")])                        # no reason
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.assertEqual(run.undeclared_skips(result, path), 3)
        self.assertIn("FAILED: undeclared skip: test_x.C.test_d (no reason given)", out.getvalue())


class Lints(Tmp):
    def lint(self, name, **env):
        return subprocess.run([os.path.join(ROOT, "tests", "lint", name)], capture_output=True,
                              text=True, timeout=60, env=dict(os.environ, TOLLGATE_LINT_ROOT=self.dir, **env))

    def git_add(self):
        subprocess.run(["git", "init", "-q", self.dir], check=True)
        subprocess.run(["git", "-C", self.dir, "add", "-A"], check=True)

    def test_include_cycle_found_and_printed(self):
        self.write("gateway/a.h", "int a(void);\n")
        self.write("gateway/a.c", '#include "a.h"\n#include "b.h"\n')
        self.write("gateway/b.h", "int b(void);\n")
        self.write("gateway/b.c", '#include "b.h"\n#include "c.h"\n')
        self.write("gateway/c.h", '#include "a.h"\n')
        r = self.lint("include-cycles")
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("gateway/a -> gateway/b -> gateway/c -> gateway/a", r.stdout)
        self.write("gateway/c.h", "int c(void);\n")
        r = self.lint("include-cycles")
        self.assertEqual(r.returncode, 0, r.stdout)

    def test_folder_cycle_found_without_a_module_cycle(self):
        # methods/m includes oauth/o, oauth/p includes methods/n: no two modules loop,
        # but the folders do (the cut that moved scope_grant to core/)
        self.write("keyvalidator/methods/m.c", '#include "o.h"\n')
        self.write("keyvalidator/methods/n.h", "int n(void);\n")
        self.write("keyvalidator/oauth/o.h", "int o(void);\n")
        self.write("keyvalidator/oauth/p.c", '#include "n.h"\n')
        self.write("keyvalidator/main.c", '#include "m.h"\n#include "p.h"\n')
        r = self.lint("include-cycles")
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("keyvalidator/methods -> keyvalidator/oauth -> keyvalidator/methods", r.stdout)
        self.assertNotIn("modules tangled", r.stdout)
        self.write("keyvalidator/core/n.h", "int n(void);\n")
        os.remove(os.path.join(self.dir, "keyvalidator/methods/n.h"))
        r = self.lint("include-cycles")
        self.assertEqual(r.returncode, 0, r.stdout)

    def test_sql_outside_the_store_layer(self):
        self.write("keyvalidator/store/apis.c", 'const char *q = "SELECT 1 FROM AM_API";\n')
        self.write("keyvalidator/store/db.c", 'const char *q = "START TRANSACTION";\n')
        self.write("gateway/x.c", 'const char *q =\n    "DELETE FROM AM_API WHERE id = ?";\n')
        self.write("keyvalidator/methods/y.c", 'const char *q = "  UPDATE AM_API SET a = 1";\n')
        self.write("keyvalidator/methods/z.c", 'const char *m = "Select an API";\n')
        self.git_add()
        r = self.lint("sql-location")
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("gateway/x.c:2", r.stdout)
        self.assertIn("keyvalidator/methods/y.c:1", r.stdout)
        self.assertNotIn("z.c", r.stdout)
        self.assertNotIn("store/apis.c", r.stdout)
        self.assertNotIn("db.c", r.stdout)

    def test_format_only_after_the_marker(self):
        shutil.copy(os.path.join(ROOT, ".clang-format"), self.dir)
        self.write("common/a.c", "int  main( ){return 0;}\n")
        self.git_add()
        self.assertEqual(self.lint("format").returncode, 0)
        self.write(".clang-format-applied", "")
        r = self.lint("format")
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("common/a.c", r.stdout)


class WriteConf(Tmp):
    """launcher/config.sh's write_conf over a fake daemon's --print-config."""

    def run_conf(self, settings):
        prog = self.write("daemon", "#!/bin/sh\nprintf '# head\\n\\n[hub]\\n# the port\\nport = 1\\n"
                                    "# the name\\nname =\\n'\n")
        os.chmod(prog, 0o755)
        out = os.path.join(self.dir, "out.conf")
        r = subprocess.run(["bash", "-c", 'log() { echo "$*" >&2; }; die() { log "$*"; exit 1; }; '
                            '. "$0/launcher/config.sh"; printf "%s" "$3" | write_conf "$1" "$2"',
                            ROOT, prog, out, settings], capture_output=True, text=True, timeout=30)
        text = open(out).read() if os.path.exists(out) else None
        return r, text

    def test_settings_replace_defaults_and_add_groups(self):
        r, text = self.run_conf("[hub] name = x y\n[api /p:1] plugins = a, b\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("# the port\nport = 1\n# the name\nname = x y\n", text)
        self.assertIn("\n[api /p:1]\nplugins = a, b\n", text)
        self.assertIn("--print-config", text.splitlines()[0])

    def test_unknown_key_is_refused(self):
        r, text = self.run_conf("[hub] prot = 2\n")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("no key prot in [hub]", r.stderr)
        self.assertIsNone(text)


class ConfWith(Tmp):
    """tests/integration/harness.py's conf_with (over launcher/config.sh's conf_set) on a
    generated-looking file: it replaces a key where the file sets it, never adds a second."""

    CONF = ("# generated\n[hub]\nthrift_port = 1\nport_offset = 0\n# cache\n"
            "validation_cache_size = 100000\n\n[database]\nport_offset = 5\n")

    def conf_with(self, *args):
        sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
        try:
            import harness
        finally:
            sys.path.pop(0)
        return harness.conf_with(*args)

    def test_replaces_not_duplicates(self):
        src = self.write("hub1.conf", self.CONF)
        out = os.path.join(self.dir, "copy.conf")
        text = self.conf_with(src, "hub", {"validation_cache_size": 0, "port_offset": 70,
                                           "login_workers": 1}, out)
        lines = text.splitlines()
        self.assertEqual([l for l in lines if l.startswith("validation_cache_size")],
                         ["validation_cache_size = 0"])
        self.assertEqual(lines.count("port_offset = 70"), 1)
        self.assertIn("[database]\nport_offset = 5\n", text)  # another group's key stays
        self.assertIn("[hub]\nlogin_workers = 1\n", text)      # a missing key goes under [hub]
        self.assertIn("# cache\nvalidation_cache_size = 0\n", text)  # where it was
        self.assertEqual(open(src).read(), self.CONF)          # the source is untouched
        self.assertEqual(open(out).read(), text)

    def test_in_place_drops_a_later_duplicate_and_adds_groups(self):
        src = self.write("hub1.conf", self.CONF + "[hub]\nvalidation_cache_size = 7\n")
        text = self.conf_with(src, "hub", {"validation_cache_size": "0"})
        self.assertEqual(text.count("validation_cache_size"), 1)
        text = self.conf_with(src, "api /p:1", {"plugins": "a, b"})
        self.assertTrue(text.endswith("\n[api /p:1]\nplugins = a, b\n"), text)


def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    tests = list(iter_tests(suite))
    print("1..%d" % len(tests))
    failed = 0
    for n, test in enumerate(tests, 1):
        result = unittest.TestResult()
        test.run(result)
        bad = result.failures + result.errors
        print("%s %d %s" % ("not ok" if bad else "ok", n, test.id()))
        for _, text in bad:
            print("# " + text.replace("\n", "\n# "))
        failed += bool(bad)
    return 1 if failed else 0


def iter_tests(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from iter_tests(item)
        else:
            yield item


if __name__ == "__main__":
    sys.exit(main())
