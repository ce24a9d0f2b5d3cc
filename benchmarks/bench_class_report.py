"""The class report of 200 students on the whole course (target: at most 5 s).

Grades a few real submissions on the built-in course (the reference, the demo submission and
a few with random mutants of the catalogue), then writes 200 students' reports made from
them: each student's component is one of the real versions, or left out, and a few checks
fail with a diagnosis drawn from the catalogue's tags, so the class holds dozens of
misconceptions. Times ``python -m nnlab report`` on that folder (reading every report,
counting, drawing the charts and writing the three files), start-up included, and the same
work in this process.

Usage: ``python benchmarks/bench_class_report.py [--students 200] [--check]``.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_SECONDS = 5.0
REAL_SUBMISSIONS = 4  # besides the reference; graded for real (about 5 s each)
LEFT_OUT = 0.08  # a component's chance to be missing
EXTRA_FAILURE = 0.004  # a check's chance to fail with a diagnosis drawn from the catalogue


def real_reports(folder: Path) -> list[dict[str, Any]]:
    """Gradescope results, with every check, of the reference, the demo and a few mutated submissions."""
    from nnlab.exercises.course import load_course
    from nnlab.graders.demo import demo_submission
    from nnlab.graders.mutants import apply, catalogue
    from nnlab.graders.reporting.gradescope import to_gradescope
    from nnlab.graders.reporting.insight.records import with_checks
    from nnlab.graders.runner import grade

    course = load_course()
    rng = random.Random(0)
    by_module: dict[str, list] = {}
    for mutant in catalogue():
        by_module.setdefault(mutant.module, []).append(mutant)
    folders = [apply([], folder / "reference"), demo_submission(folder / "demo")]
    for i in range(REAL_SUBMISSIONS - 1):
        chosen = [rng.choice(mutants) for mutants in by_module.values()]  # one bug per module
        folders.append(apply(chosen, folder / f"mutated{i}"))
    out = []
    for path in folders:
        report = grade(path, course, jobs=2)
        out.append(with_checks(to_gradescope(report), report))
    return out


def student(real: list[dict[str, Any]], rng: random.Random, tags: list[tuple[str, str]]) -> dict[str, Any]:
    """One synthetic student: per component, one of the real versions (the reference most often)."""
    results = copy.deepcopy(real[0])
    components = []
    for index in range(len(results["extra_data"]["checks"])):
        source = real[0] if rng.random() < 0.5 else rng.choice(real)
        component = copy.deepcopy(source["extra_data"]["checks"][index])
        if rng.random() < LEFT_OUT:
            for check in component["checks"]:
                check.update(status="not submitted", score=0.0)
                for key in ("misconception", "confidence", "feedback"):
                    check.pop(key, None)
        for check in component["checks"]:
            if check["status"] == "passed" and rng.random() < EXTRA_FAILURE:
                tag, description = rng.choice(tags)
                check.update(status="failed", score=0.0, misconception=tag, confidence="is")
                check["feedback"] = f"got {rng.random():.6f}, expected {rng.random():.6f}. Cause: {description}."
        components.append(component)
    results["extra_data"]["checks"] = components
    results["score"] = round(sum(c["score"] for m in components for c in m["checks"]), 4)
    return results


def main() -> int:
    from nnlab.graders.mutants import catalogue
    from nnlab.graders.reporting.insight.records import read_folder
    from nnlab.graders.reporting.insight.write import write_class_report

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        real = real_reports(root / "submissions")
        rng = random.Random(1)
        tags = sorted({(m.expect[0], m.description) for m in catalogue() if m.expect})
        reports = root / "reports"
        reports.mkdir()
        for i in range(options.students):
            text = json.dumps(student(real, rng, tags), indent=2, sort_keys=True)
            (reports / f"student{i:03d}.json").write_text(text + "\n")
        size = sum(p.stat().st_size for p in reports.glob("*.json")) / 2**20
        checks = sum(len(c["checks"]) for c in real[0]["extra_data"]["checks"])
        print(f"{options.students} reports of {checks} checks each ({size:.0f} MiB)")

        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "nnlab", "report", str(reports), "-o", str(root)], capture_output=True, text=True
        )
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            print(result.stderr)
            return 1
        start = time.perf_counter()
        report = write_class_report(read_folder(reports), root)
        in_process = time.perf_counter() - start
    print(
        f"nnlab report: {elapsed:.2f} s with start-up, {in_process:.2f} s in process "
        f"({report.students} students, {len(report.misconceptions)} misconceptions, {len(report.checks)} checks); "
        f"target {TARGET_SECONDS:.0f} s, ratio {elapsed / TARGET_SECONDS:.2f}"
    )
    missed = elapsed > TARGET_SECONDS
    print("target met" if not missed else "target missed")
    return 1 if options.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
