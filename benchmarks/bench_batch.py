"""Batch grading at course scale: 50 mixed submissions with --jobs 2 (target: at most 4 minutes).

Builds 50 submissions the way a real class turns them in: correct ones (the reference),
ones with typical bugs (mutants of the catalogue), untouched stubs, partial ones, broken
ones (a syntax error, an infinite loop, an empty folder, a bad zip) and zips, then runs
``python -m nnlab grade --batch`` on them and prints the wall time and the largest
resident memory of any process it started.

Usage: ``python benchmarks/bench_batch.py [--students 50] [--jobs 2] [--check]``.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 240.0


def build(folder: Path, students: int) -> dict[str, int]:
    from nnlab.exercises.stubs import stub_folder
    from nnlab.graders.mutants import apply, catalogue

    rng = random.Random(0)
    mutants = catalogue()
    kinds: dict[str, int] = {}
    for i in range(students):
        kind = ["correct", "mutant", "mutant", "mutant", "stub", "partial", "broken", "zip"][i % 8]
        target = folder / f"student{i:02d}"
        if kind == "correct":
            apply([], target)
        elif kind == "mutant":
            chosen = rng.sample(mutants, 3)
            by_module = {m.module: m for m in chosen}  # at most one edit per module keeps them independent
            apply(list(by_module.values()), target)
        elif kind == "stub":
            stub_folder(ROOT / "reference", target)
        elif kind == "partial":
            apply([], target)
            for module in ("optimizers.py", "layers.py"):
                (target / module).unlink()
        elif kind == "broken":
            apply([], target)
            problem = i % 3
            if problem == 0:
                (target / "losses.py").write_text("def broken(:\n")
            elif problem == 1:
                text = (target / "activations.py").read_text()  # hangs at import
                (target / "activations.py").write_text(text + "\nwhile True:\n    pass\n")
            else:
                shutil.rmtree(target)
                target.mkdir()
        else:
            apply([], target)
            with zipfile.ZipFile(folder / f"student{i:02d}.zip", "w") as archive:
                for path in target.glob("*.py"):
                    archive.write(path, f"hw/{path.name}")
            shutil.rmtree(target)
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        submissions = Path(scratch) / "submissions"
        submissions.mkdir()
        kinds = build(submissions, options.students)
        print(f"{options.students} submissions: " + ", ".join(f"{n} {k}" for k, n in kinds.items()))
        start = time.perf_counter()
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "nnlab",
                "grade",
                "--batch",
                str(submissions),
                "--jobs",
                str(options.jobs),
                "-o",
                str(Path(scratch) / "reports"),
            ],
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            print(result.stderr)
            return 1
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        lines = (Path(scratch) / "reports" / "gradebook.csv").read_text().splitlines()
    print(
        f"graded {len(lines) - 1} students with --jobs {options.jobs} in {elapsed:.1f} s "
        f"(target {TARGET_SECONDS:.0f} s, ratio {elapsed / TARGET_SECONDS:.2f}); "
        f"largest process: {peak:.0f} MiB resident"
    )
    missed = elapsed > TARGET_SECONDS
    print("target met" if not missed else "target missed")
    return 1 if options.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
