"""Audit the feedback the catalogue's mutants get: caught? named? misleading?

    python3 tests/feedback_audit.py [--family layers] [--mutant ID] [--jobs N] [--out /work/audit]

Each mutant is graded as the suite grades it (tests/test_grader_*.py: in-process, seed 0,
the built-in course), on its own component only, and judged by ``evidence.feedback_verdict``:
the bar of issue 11 is "named, and no claim that belongs to another mistake". Per mutant it
prints what was caught, which check named the mistake, each misleading claim with its
confidence and sentence, and, when nothing named it, what the component's feedback said.
With ``--out`` every audited family is written to ``<out>/<family>.txt`` and the ids below
the bar to ``<out>/failing.txt`` (merged with the families audited earlier).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from evidence import OBSERVATIONS, feedback_verdict  # tests/ is sys.path[0] when run as a script
from nnlab.exercises.course import load_course
from nnlab.graders.mutants import Mutant, activations, apply, early_stopping, init, layers, losses, optimizers, others
from nnlab.graders.results import PASSED, Report
from nnlab.graders.runner import grade

FAMILIES: dict[str, list[Mutant]] = {
    "activations": activations.MUTANTS,
    "layers": layers.MUTANTS,
    "losses": losses.MUTANTS,
    "optimizers": optimizers.MUTANTS,
    "init": init.MUTANTS,
    "early_stopping": early_stopping.MUTANTS,
    "others": others.MUTANTS,
}
FAILING = "failing.txt"
FEEDBACK_CHARS = 400  # of a check's feedback, when nothing named the mistake


def family_of(mutant: Mutant) -> str:
    return next(f for f, listed in FAMILIES.items() if any(m.id == mutant.id for m in listed))


def graded(mutant: Mutant) -> Report:
    """The report of ``mutant``'s component, graded as the suite grades mutants."""
    with tempfile.TemporaryDirectory(prefix=f"audit-{mutant.id}-") as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # mutants overflow on purpose
        folder = apply([mutant], Path(tmp) / "submission")
        return grade(folder, load_course(), only=[mutant.component], isolate=False, seed=0, jobs=1)


def audit(mutant: Mutant) -> tuple[str, bool, bool, bool, str]:
    """``(text, caught, named, misleading, family)`` for one mutant."""
    try:
        report = graded(mutant)
    except Exception as error:  # noqa: BLE001 - a stale mutant is one line of the audit, not its end
        return f"ERROR {mutant.id} ({mutant.component}): {type(error).__name__}: {error}\n", False, False, False, ""
    verdict = feedback_verdict(mutant, report)
    mark = "ok  " if verdict.ok and verdict.caught else "FAIL"
    lines = [
        f"{mark} {mutant.id} ({mutant.component}) expect={list(mutant.expect)}"
        + (f" phrases={list(mutant.phrases)}" if mutant.phrases else ""),
        f"     caught={'yes' if verdict.caught else 'NO'} named={'yes' if verdict.named else 'NO'}"
        + (f" by {verdict.naming[:3]}" if verdict.naming else ""),
    ]
    for claim in verdict.claims:
        lines.append(f"     MISLEADING {claim}")
    if not verdict.named:
        bad = [check for c in report.components for check in c.checks if not check.outcome.passed]
        tags = sorted({(c.outcome.misconception or "-", getattr(c.outcome, "confidence", "") or "?") for c in bad})
        lines.append("     tags seen: " + ", ".join(f"{tag} ({how})" for tag, how in tags))
        for check in _one_per_tag(bad):
            feedback = " ".join(check.outcome.feedback.split())[:FEEDBACK_CHARS]
            lines.append(f"     | {check.outcome.name} [{check.outcome.misconception or '-'}]: {feedback}")
    return "\n".join(lines) + "\n", verdict.caught, verdict.named, bool(verdict.misleading), family_of(mutant)


def _one_per_tag(checks: list) -> list:
    seen, out = set(), []
    for check in checks:
        if check.outcome.status != PASSED and check.outcome.misconception not in seen:
            seen.add(check.outcome.misconception)
            out.append(check)
    return out[:6]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", choices=sorted(FAMILIES), action="append", help="repeatable; default: all")
    parser.add_argument("--mutant", action="append", help="a mutant id (repeatable)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1: the machine is shared)")
    parser.add_argument("--out", type=Path, help="write <family>.txt and failing.txt into this folder")
    args = parser.parse_args(argv)
    families = args.family or list(FAMILIES)
    chosen = [m for f in families for m in FAMILIES[f]]
    if args.mutant:
        known = {m.id: m for listed in FAMILIES.values() for m in listed}
        unknown = [i for i in args.mutant if i not in known]
        if unknown:
            parser.error(f"unknown mutant(s): {', '.join(unknown)}")
        chosen = [known[i] for i in args.mutant]
    start = time.perf_counter()
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            results = list(pool.map(audit, chosen))
    else:
        results = []
        for mutant in chosen:
            results.append(audit(mutant))
            print(results[-1][0], end="", flush=True)
    if args.jobs > 1:
        for result in results:
            print(result[0], end="")
    per_family: dict[str, list] = {}
    for mutant, result in zip(chosen, results, strict=True):
        per_family.setdefault(family_of(mutant), []).append((mutant, result))
    summaries = {f: _summary(f, rows) for f, rows in per_family.items()}
    print()
    for text in summaries.values():
        print(text)
    print(f"observation tags (never a claim, never a name): {', '.join(sorted(OBSERVATIONS))}")
    print(f"{len(chosen)} mutants audited in {time.perf_counter() - start:.0f} s")
    if args.out and not args.mutant:
        args.out.mkdir(parents=True, exist_ok=True)
        for family, rows in per_family.items():
            body = "".join(result[0] for _, result in rows)
            (args.out / f"{family}.txt").write_text(body + "\n" + summaries[family] + "\n", encoding="utf-8")
        _write_failing(args.out)
    return 0


def _summary(family: str, rows: list) -> str:
    n = len(rows)
    caught = sum(r[1] for _, r in rows)
    named = sum(r[2] for _, r in rows)
    misleading = sum(r[3] for _, r in rows)
    failing = [m.id for m, r in rows if not (r[1] and r[2] and not r[3])]
    return (
        f"SUMMARY {family}: {n} mutants, {caught} caught, {named} named, {misleading} with a misleading claim, "
        f"{len(failing)} below the bar\nFAILING {family}: {' '.join(failing)}"
    )


def _write_failing(out: Path) -> None:
    """``failing.txt``: the ids below the bar, per family, from every ``<family>.txt`` in ``out``."""
    lines = ["# Mutants below the bar of issue 11 (named, no misleading claim); from tests/feedback_audit.py"]
    total = 0
    for family in FAMILIES:
        path = out / f"{family}.txt"
        if not path.exists():
            continue
        match = re.search(rf"^FAILING {family}: ?(.*)$", path.read_text(encoding="utf-8"), re.MULTILINE)
        ids = match.group(1).split() if match else []
        total += len(ids)
        lines.append(f"{family} ({len(ids)}): {' '.join(ids)}")
    lines.append(f"total: {total}")
    (out / FAILING).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
