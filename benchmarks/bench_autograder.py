"""Benchmark: from `pip install` of the wheel to a graded results.json in a Gradescope-like root.

What Gradescope does, timed: ``nnlab generate`` writes the assignment's autograder.zip (not
timed: the instructor does it once); the zip is unpacked into ``ROOT/source``; ``setup.sh``
makes a fresh virtual environment and pip-installs the wheel with its pinned dependencies
(timed); ``run_autograder`` grades the reference solution into ``ROOT/results/results.json``
(timed). pip uses whatever indexes and caches it is configured with, as on Gradescope.

Target (issue 8): at most 60 s on 2 cores, install and grading together.

Usage::

    python benchmarks/bench_autograder.py [--assignment a1-perceptron] [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

TARGET_SECONDS = 60.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="a1-perceptron")
    parser.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nnlab-bench-autograder-") as scratch:
        work = Path(scratch)
        started = time.perf_counter()
        command = [sys.executable, "-m", "nnlab", "generate", args.assignment, "--out", str(work / "out")]
        subprocess.run(command, check=True, capture_output=True)
        generated = time.perf_counter() - started
        folder = work / "out" / args.assignment
        root = work / "autograder"
        (root / "source").mkdir(parents=True)
        with zipfile.ZipFile(folder / "autograder" / "autograder.zip") as archive:
            archive.extractall(root / "source")
        for name in ("setup.sh", "run_autograder"):
            (root / "source" / name).chmod(0o755)
        shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
        shutil.copytree(folder / "solution", root / "submission")
        python = getattr(sys, "_base_executable", sys.executable)
        env = {**os.environ, "AUTOGRADER_ROOT": str(root), "NNLAB_PYTHON": python}

        started = time.perf_counter()
        setup = subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env, capture_output=True, text=True)
        installed = time.perf_counter() - started
        if setup.returncode != 0:
            print(setup.stdout[-2000:], setup.stderr[-3000:], file=sys.stderr)
            return 2
        env.pop("NNLAB_PYTHON")  # run_autograder finds the venv setup.sh made
        started = time.perf_counter()
        subprocess.run(["bash", str(root / "run_autograder")], env=env, cwd=root, check=True, capture_output=True)
        graded = time.perf_counter() - started
        results = json.loads((root / "results" / "results.json").read_text())
        pins = len(_pins(folder))
    total = installed + graded
    print(f"nnlab generate {args.assignment}: {generated:.1f} s (not counted)")
    print(f"setup.sh (venv + pip install of the wheel and {pins} pinned dependencies): {installed:.1f} s")
    points = f"{results['score']:g} / {results['max_score']:g}"
    print(f"run_autograder (grade the reference solution): {graded:.1f} s -> {points}")
    print(f"install to results.json: {total:.1f} s (target {TARGET_SECONDS:g} s)")
    if args.check and (total > TARGET_SECONDS or results["score"] != results["max_score"]):
        return 1
    return 0


def _pins(folder: Path) -> list[str]:
    return [line for line in (folder / "autograder" / "requirements.txt").read_text().splitlines() if line.strip()]


if __name__ == "__main__":
    sys.exit(main())
