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
from bench.size import RESULTS, ROOT


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, nargs="+", default=[10_000, 1_000_000])
    args, passed_on = parser.parse_known_args(argv)
    sizes = sorted(set(args.patients))
    for patients in sizes:
        command = [sys.executable, "-m", "bench.size", "--patients", str(patients), *passed_on]
        if subprocess.run(command, cwd=ROOT, check=False).returncode:
            return 1
    if len(sizes) > 1:
        small, large = (
            json.loads((RESULTS / f"patients-{n}.json").read_text(encoding="utf-8"))
            for n in (sizes[0], sizes[-1])
        )
        ratios = report.growth_ratios(small["journeys"], large["journeys"])
        print(f"\ngrowth, p95 at {sizes[-1]:,} / p95 at {sizes[0]:,} patients:")
        for name, ratio in ratios.items():
            flag = "" if ratio <= report.GROWTH_MAX else f"  (over {report.GROWTH_MAX})"
            print(f"  {name:<20} {ratio:5.2f}{flag}")
    for patients in sizes:
        print((RESULTS / f"patients-{patients}.md").read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
