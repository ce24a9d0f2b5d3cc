"""How long does grading a *wrong* submission take? The cost bench_grading.py does not see.

Grading the reference runs the rubric only: every check passes, and no mistake is simulated.
A student's bug also runs the diagnosis (which known mistakes reproduce the numbers), and that
is where the time of a class's batch goes. This grades a fixed sample of the mutant catalogue
(every ``--step``-th mutant, on its own component, in process as a batch worker does) and prints
the seconds per submission, per family and in all, beside numpy's and the grader's ``allclose``
on a typical array (the comparison the diagnosis makes most).

Usage: ``python benchmarks/bench_diagnosis.py [--step N] [--ids FILE]``; ``--ids`` grades the mutants
named in FILE (one id per line; unknown ids are skipped), so two trees with different catalogues can be
compared on the same submissions.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import timeit
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np
from nnlab.exercises.course import Course, load_course
from nnlab.graders.mutants import Mutant, apply, catalogue
from nnlab.graders.runner import grade

try:
    from nnlab.graders.judging.tolerance import allclose
except ImportError:  # a tree from before the grader had its own (to compare two trees)
    allclose = None


def seconds_to_grade(mutant: Mutant, course: Course) -> float:
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # mutants overflow on purpose
        submission = apply([mutant], Path(folder) / "submission")
        start = time.perf_counter()
        grade(submission, course, only=[mutant.component], isolate=False, seed=0, jobs=1)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--step", type=int, default=8, help="grade every N-th catalogue mutant")
    parser.add_argument("--ids", type=Path, help="grade the mutants with these ids (one per line) instead")
    options = parser.parse_args()
    course = load_course()
    sample = catalogue()[:: options.step]
    if options.ids is not None:
        wanted = set(options.ids.read_text(encoding="utf-8").split())
        sample = [m for m in catalogue() if m.id in wanted]
    by_family: dict[str, list[float]] = defaultdict(list)
    for mutant in sample:
        by_family[mutant.module].append(seconds_to_grade(mutant, course))
    print(f"{'family':<16} {'mutants':>7} {'s each':>7} {'s total':>8}")
    for family, times in sorted(by_family.items()):
        print(f"{family:<16} {len(times):7d} {np.mean(times):7.3f} {sum(times):8.2f}")
    every = [t for times in by_family.values() for t in times]
    print(f"{'all':<16} {len(every):7d} {np.mean(every):7.3f} {sum(every):8.2f}")

    if allclose is None:
        return
    a = np.random.default_rng(0).normal(size=(4, 5))
    b = a * (1 + 1e-12)
    numpy_us = timeit.timeit(lambda: np.allclose(a, b, rtol=1e-9), number=20_000) / 20_000 * 1e6
    ours_us = timeit.timeit(lambda: allclose(a, b, rtol=1e-9), number=20_000) / 20_000 * 1e6
    ratio = numpy_us / ours_us
    print(f"allclose on a (4, 5) array: numpy {numpy_us:.1f} us, grader {ours_us:.1f} us, ratio {ratio:.2f}")


if __name__ == "__main__":
    main()
