"""Benchmark: every notebook of the built-in course, executed top to bottom with the reference solution.

Targets (issue 9): at most 60 s per notebook and 5 minutes for the whole course, on 2 cores.
Each notebook is built into a temporary nbgrader course directory (the source version: the
reference's code in the solution cells, the autograder test cells included, so the timing is what
`nbgrader autograde` pays) and executed with nbclient in a kernel for this Python.

    python3 benchmarks/bench_notebooks.py [ASSIGNMENT ...]

prints one line per notebook (seconds, ratio to the 60 s target, cells that raised) and the total
against the 300 s target.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nnlab.exercises.course import load_course

from nnlab.notebooks import write_nbgrader_course
from nnlab.notebooks.kernel import execute, isolated_jupyter

PER_NOTEBOOK = 60.0
WHOLE_COURSE = 300.0
KERNEL = "nnlab-bench"


def main(names: list[str]) -> int:
    course = load_course()
    chosen = [course.assignment(n) for n in names] if names else list(course.assignments)
    chosen = [a for a in chosen if a.notebook_source is not None]
    total = 0.0
    with tempfile.TemporaryDirectory(prefix="nnlab-bench-nb-") as scratch:
        root = Path(scratch)
        env = isolated_jupyter(root / "jupyter", KERNEL)
        write_nbgrader_course(course, chosen, root / "course", seed=12345)
        print(f"{'notebook':<22}{'seconds':>9}{'ratio':>8}  cells that raised")
        for assignment in chosen:
            folder = root / "course" / "nbgrader" / "source" / assignment.name
            notebook = nbformat.read(str(folder / f"{assignment.name}.ipynb"), as_version=4)
            started = time.perf_counter()
            execute(notebook, folder, env, KERNEL, timeout=600)
            seconds = time.perf_counter() - started
            total += seconds
            raised = [
                f"{c.get('id')}: {o.ename}"
                for c in notebook.cells
                for o in c.get("outputs", [])
                if o.output_type == "error"
            ]
            print(f"{assignment.name:<22}{seconds:>9.1f}{seconds / PER_NOTEBOOK:>8.2f}  {', '.join(raised) or '-'}")
    print(f"{'whole course':<22}{total:>9.1f}{total / WHOLE_COURSE:>8.2f}  (target {WHOLE_COURSE:g} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
