"""Mutation testing of the pure safety modules: `make mutation` runs this.

mutmut 3 (configured in pyproject.toml, [tool.mutmut]) copies `mesoclinic/` into `mutants/`,
rewrites each listed module so that every small change to it (a `<` made `<=`, a constant
moved by one, a condition negated, a name dropped from a failure) can be switched on, and runs
the module's own pure tests against each change, on SQLite, one child process at a time, one
module after the other. A change the tests do not notice "survives"; the score is the share
killed. Only these modules and their pure tests run, so this stays outside `make test`.

Usage: python scripts/mutation.py [--min 95] [module ...]   (module as in MODULES, e.g. care.gate)
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = (
    "care.gate",
    "formulary.doses",
    "care.course",
    "care.patch_tests",
    "care.scores",
    "care.rules",
    "notifications.rules",
)
# mutmut's exit codes per mutant (mutmut/stats.py): 1 and 3 killed, 0 survived, timeouts
# count as noticed (the tests did not pass), 33/5 "no tests" and anything else do not.
KILLED = {1, 3}
TIMEOUT = {24, -24, 36, 152, 255}


def run_module(mutmut: str, module: str) -> None:
    pattern = f"mesoclinic.{module}.*"
    print(f"== mutmut on mesoclinic/{module.replace('.', '/')}.py", flush=True)
    log = ROOT / "var" / f"mutation-{module}.log"
    with log.open("w") as out:
        done = subprocess.run(  # noqa: S603 (our own venv's mutmut, fixed arguments)
            [mutmut, "run", "--max-children", "1", pattern],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if done.returncode != 0:
        print(log.read_text()[-3000:])
        sys.exit(f"mutmut failed on {module} (exit {done.returncode}); full log in {log}")


def score(module: str) -> tuple[int, int, list[tuple[str, str]]]:
    meta = ROOT / "mutants" / "mesoclinic" / (module.replace(".", "/") + ".py.meta")
    codes = json.loads(meta.read_text())["exit_code_by_key"]
    noticed, missed = 0, []
    for name, code in sorted(codes.items()):
        if code in KILLED or code in TIMEOUT:
            noticed += 1
        else:
            status = {0: "survived", 33: "no tests", 5: "no tests", None: "not checked"}
            missed.append((name, status.get(code, f"exit {code}")))
    return noticed, len(codes), missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=list(MODULES))
    parser.add_argument("--min", type=float, default=95.0, help="lowest acceptable score, %%")
    args = parser.parse_args()
    unknown = set(args.modules) - set(MODULES)
    if unknown:
        parser.error(f"not a mutated module: {', '.join(sorted(unknown))}")

    mutmut = str(Path(sys.executable).with_name("mutmut"))
    (ROOT / "var").mkdir(exist_ok=True)
    # A fresh copy each time: mutmut keeps an existing copy of a test file it has seen before.
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'test.sqlite3'}")
    os.environ.setdefault("MESOCLINIC_PRIVATE_MEDIA", str(ROOT / "var" / "mutation-media"))

    for module in args.modules:
        run_module(mutmut, module)

    print()
    print(f"{'module':<32}{'killed':>8}{'total':>8}{'score':>9}")
    failed = False
    for module in args.modules:
        noticed, total, missed = score(module)
        pct = 100.0 * noticed / total if total else 100.0
        failed |= pct < args.min
        path = f"{module.replace('.', '/')}.py"
        print(f"{path:<32}{noticed:>8}{total:>8}{pct:>8.1f}%")
        for name, status in missed:
            print(f"    {status}: {name}   (mutmut show {name})")
    if failed:
        print(f"\nBelow {args.min:g} % on at least one module.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
