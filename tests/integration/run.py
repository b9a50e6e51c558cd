#!/usr/bin/python3
"""run.py: runs the integration tests (tests/integration/test_*.py) against the
stack described by $TOLLGATE_VAR/stack.env, as `./tollgate test` does.

    /usr/bin/python3 tests/integration/run.py [PATTERN]

test_galera_* modules are selected only when the stack is a Galera stack
(stack.env: TOLLGATE_GALERA). PATTERN selects modules whose name contains it (test_gateway, gateway), or one
class or method in unittest's dotted form (test_launcher.LauncherTest.test_status).
Prints every test with its result, then "integration: N passed, N failed"
(", N skipped" when some were), and exits 1 when anything failed. A module
that does not import counts as one failure, with its traceback.

With TOLLGATE_DECLARED_SKIPS (a file: tests/declared-skips; ./tollgate test sets
it) every skip is printed with its reason, and one the file does not declare, or
one without a reason, counts as a failure.

Trade-off: modules are imported one by one (not unittest's discover) so one
broken file costs one failure and the rest still run.
"""

import glob
import importlib
import os
import sys
import traceback
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


GALERA_ONLY = []   # a pattern that matched test_galera_* modules only, on a single MariaDB


def galera_stack():
    """TRUE when the stack runs on a Galera cluster (./tollgate up --galera K)."""
    import harness
    return int(harness.ENV.get("TOLLGATE_GALERA", "0") or 0) > 1


def select_modules(pattern):
    """Module names to load, and the dotted remainder (class.method) if any. The
    test_galera_* modules exist only on a Galera stack (not even as skipped)."""
    names = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(HERE, "test_*.py")))
    if not galera_stack():
        names = [n for n in names if not n.startswith("test_galera_")]
        if pattern and not [n for n in names if pattern.partition(".")[0] in n]:
            GALERA_ONLY.append(pattern)
    if not pattern:
        return names, None
    module, _, rest = pattern.partition(".")
    exact = [n for n in names if n == module]
    if exact and rest:
        return exact, rest
    return [n for n in names if pattern in n], None


def load(names, rest):
    """(suite, import failures as (name, traceback text))."""
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    broken = []
    for name in names:
        try:
            module = importlib.import_module(name)
            if rest:
                suite.addTests(loader.loadTestsFromName(rest, module))
            else:
                suite.addTests(loader.loadTestsFromModule(module))
        except Exception:  # noqa: BLE001  (a broken module is one failure)
            broken.append((name, traceback.format_exc()))
    return suite, broken


def flatten(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from flatten(item)
        else:
            yield item


def count(result, planned, broken):
    """(passed, failed, skipped). Tests that never ran because their
    setUpClass or setUpModule failed count as failed, each once (unittest
    records one error for the whole class), so every test method counts once
    in the final line."""
    holders = sum(1 for test, _ in result.errors if type(test).__name__ == "_ErrorHolder")
    errors = len(result.errors) - holders
    skipped = len(result.skipped)
    unexpected = len(result.unexpectedSuccesses)
    passed = max(result.testsRun - len(result.failures) - errors - skipped - unexpected, 0)
    unrun = max(planned - result.testsRun, holders if holders else 0)
    failed = len(result.failures) + errors + unexpected + len(broken) + (unrun if holders else 0)
    return passed, failed, skipped


def declared_skips(path):
    """[(glob, text)] of the file: a skip is declared when its test id matches glob
    and its reason contains text."""
    rules = []
    with open(path) as f:
        for line in f:
            if line.strip() and not line.lstrip().startswith("#"):
                glob_, _, text = line.strip().partition(" ")
                rules.append((glob_, text.strip()))
    return rules


def undeclared_skips(result, path):
    """How many skips of result the file at path does not declare (each printed)."""
    import fnmatch
    rules = declared_skips(path)
    bad = 0
    for test, reason in result.skipped:
        ok = reason and any(fnmatch.fnmatchcase(test.id(), g) and t in reason for g, t in rules)
        print("%s: %s (%s)" % ("skipped (declared)" if ok else "FAILED: undeclared skip", test.id(),
                               reason or "no reason given"))
        bad += 0 if ok else 1
    return bad


def main(argv):
    sys.path.insert(0, HERE)
    pattern = argv[1] if len(argv) > 1 else ""
    names, rest = select_modules(pattern)
    suite, broken = load(names, rest)
    for name, text in broken:
        print("%s: failed to import\n%s" % (name, text), file=sys.stderr)
    planned = sum(1 for _ in flatten(suite))
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    sys.stdout.flush()
    passed, failed, skipped = count(result, planned, broken)
    if os.environ.get("TOLLGATE_DECLARED_SKIPS"):
        failed += undeclared_skips(result, os.environ["TOLLGATE_DECLARED_SKIPS"])
    galera_only = GALERA_ONLY and [n for n in sorted(glob.glob(os.path.join(HERE, "test_galera_*.py")))
                                   if pattern.partition(".")[0] in os.path.basename(n)]
    if not names and galera_only:
        print("%r matches test_galera_* modules only: they run on a Galera stack (the Galera "
              "phase of ./tollgate test)" % pattern, file=sys.stderr)
    elif not names:
        print("no integration test matches %r" % pattern, file=sys.stderr)
        failed += 1
    line = "integration: %d passed, %d failed" % (passed, failed)
    if skipped:
        line += ", %d skipped" % skipped
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
