#!/usr/bin/python3
# test_config_docs: the documentation of the configuration follows the daemons' own
# --print-config (the one table of defaults each daemon has): the samples are
# its output byte for byte, and docs/HACKING.md's [group] key = value blocks
# name exactly its keys and defaults (their comments may say more). Prints TAP.
# Environment: TOLLGATE_ROOT (source tree), TOLLGATE_BUILD (build tree).
import configparser
import os
import re
import subprocess
import sys

ROOT = os.environ.get("TOLLGATE_ROOT") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("TOLLGATE_BUILD") or os.path.join(ROOT, "build")
DAEMONS = [  # program, sample, HACKING.md heading
    ("tollgate-keyvalidator", "keyvalidator/tollgate-keyvalidator.conf.sample", "## Hub configuration"),
    ("tollgate-gateway", "gateway/tollgate-gateway.conf.sample", "## Gateway configuration"),
]


def print_config(program):
    return subprocess.run([os.path.join(BUILD, program), "--print-config"], check=True,
                          capture_output=True, text=True).stdout


def pairs(text):
    """{(group, key): value} of an INI text; [api ...] groups are examples, not defaults."""
    cp = configparser.RawConfigParser(delimiters=("=",), comment_prefixes=("#",), strict=True)
    cp.optionxform = str
    cp.read_string(text)
    return {(g, k): v for g in cp.sections() if not g.startswith("api ") for k, v in cp[g].items()}


def hacking_blocks(heading):
    """The ```ini blocks of docs/HACKING.md between heading and the next '## '."""
    text = open(os.path.join(ROOT, "docs/HACKING.md")).read()
    start = text.index(heading + " ")
    end = text.find("\n## ", start + 1)
    return "\n".join(re.findall(r"```ini\n(.*?)```", text[start:end if end > 0 else None], re.S))


def check_sample(program, sample, _heading):
    want = open(os.path.join(ROOT, sample)).read()
    if want != print_config(program):
        return f"{sample} differs from {program} --print-config (regenerate: {program} --print-config > {sample})"


def check_hacking(program, _sample, heading):
    doc, real = pairs(hacking_blocks(heading)), pairs(print_config(program))
    problems = [f"{g}.{k}: not in --print-config" for g, k in doc.keys() - real.keys()]
    problems += [f"[{g}] {k}: missing from docs/HACKING.md" for g, k in real.keys() - doc.keys()]
    problems += [f"[{g}] {k}: docs/HACKING.md says '{doc[g, k]}', --print-config '{real[g, k]}'"
                 for g, k in doc.keys() & real.keys() if doc[g, k] != real[g, k]]
    return "; ".join(sorted(problems)) or None


def main():
    cases = [(f"{check.__name__} {d[0]}", check, d) for d in DAEMONS for check in (check_sample, check_hacking)]
    print(f"1..{len(cases)}")
    failed = 0
    for n, (name, check, d) in enumerate(cases, 1):
        try:
            problem = check(*d)
        except Exception as e:  # a missing binary or an unreadable file fails the case
            problem = f"{type(e).__name__}: {e}"
        print(f"{'not ok' if problem else 'ok'} {n} {name}")
        if problem:
            print(f"# {problem}")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
