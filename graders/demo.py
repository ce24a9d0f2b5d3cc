"""The demo submission: the reference with a handful of typical student bugs.

``nnlab demo`` grades it so a newcomer sees, in seconds, what the grader reports: which
components lose points, where, and the misconception it recognised.
"""

from __future__ import annotations

from pathlib import Path

from .mutants import apply, catalogue

# One typical bug per area of the course, each a mutant of the catalogue.
DEMO_MUTANTS = (
    "sigmoid-naive-overflow",
    "linear-weight-grad-transposed",
    "ce-grad-not-divided",
    "adam-no-bias-correction",
    "dropout-not-rescaled",
    "perceptron-updates-on-correct",
)


def demo_submission(target: Path) -> Path:
    """Write the demo submission into ``target`` and return it."""
    by_id = {m.id: m for m in catalogue()}
    chosen = [by_id[i] for i in DEMO_MUTANTS if i in by_id]
    return apply(chosen, target)
