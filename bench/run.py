"""`make bench`: every journey at each data size, then the growth from the smallest to the
largest.

    python -m bench.run --patients 10000 1000000 [--seconds 10] [--clients 8]

Each size runs in its own process (`bench.size`); results go to `bench/results/`.
"""

import argparse
import json
import subprocess
import sys

from bench import report
from bench.size import RESULTS, ROOT, WORK


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, nargs="+", default=[10_000, 1_000_000])
    args, passed_on = parser.parse_known_args(argv)
    sizes = sorted(set(args.patients))
    for patients in sizes:
        command = [sys.executable, "-m", "bench.size", "--patients", str(patients), *passed_on]
        if patients != sizes[0]:
            command += ["--baseline", str(_latest(sizes[0]))]
        if subprocess.run(command, cwd=ROOT, check=False).returncode:
            return 1
    if len(sizes) > 1:
        small, large = (
            json.loads(_latest(n).read_text(encoding="utf-8")) for n in (sizes[0], sizes[-1])
        )
        ratios = report.growth_ratios(small["journeys"], large["journeys"])
        print(f"\ngrowth, p95 at {sizes[-1]:,} / p95 at {sizes[0]:,} patients:")
        for name, ratio in ratios.items():
            flag = "" if ratio <= report.GROWTH_MAX else f"  (over {report.GROWTH_MAX})"
            print(f"  {name:<20} {ratio:5.2f}{flag}")
    for patients in sizes:
        print(_latest(patients).with_suffix(".md").read_text(encoding="utf-8"))
    return 0


def _latest(patients: int):
    """This run's results for a size: bench/results/ for whole runs, var/bench/ for narrowed."""
    candidates = [folder / f"patients-{patients}.json" for folder in (RESULTS, WORK)]
    return max((c for c in candidates if c.exists()), key=lambda c: c.stat().st_mtime)


if __name__ == "__main__":
    sys.exit(main())
