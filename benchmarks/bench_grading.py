"""How long does grading take? Targets of the graders issue, measured as a user would.

Runs the real command (``python -m nnlab grade``, interpreter start-up included) on a
correct submission (the reference), several times, and prints the median wall time of:

* the whole built-in course (target: at most 10 s on 2 cores), and
* one component with ``--only`` (target: at most 1.5 s).

Usage: ``python benchmarks/bench_grading.py [--repeats N] [--check]``; ``--check`` exits 1
when a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = [
    ("full course", [], 10.0),
    ("--only layers.Conv2d", ["--only", "layers.Conv2d"], 1.5),
    ("--only activations.Softmax", ["--only", "activations.Softmax"], 1.5),
    ("--only optimizers.Adam", ["--only", "optimizers.Adam"], 1.5),
]


def wall_time(args: list[str], output: Path) -> float:
    command = [
        sys.executable,
        "-m",
        "nnlab",
        "grade",
        str(ROOT / "reference"),
        "--format",
        "json",
        "-o",
        str(output),
        *args,
    ]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"grading failed: {result.stderr.strip()}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    options = parser.parse_args()
    missed = False
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "results.json"
        print(f"{'what':<28} {'median s':>9} {'target s':>9} {'ratio':>6}")
        for label, args, target in TARGETS:
            times = [wall_time(args, output) for _ in range(options.repeats)]
            median = statistics.median(times)
            missed |= median > target
            print(
                f"{label:<28} {median:9.2f} {target:9.2f} {median / target:6.2f}  "
                f"(runs: {', '.join(f'{t:.2f}' for t in times)})"
            )
    print("all targets met" if not missed else "a target was missed")
    return 1 if options.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
