"""``nnlab check``: the release's self-checker, run by nnlab on a folder of student modules.

In a release folder (it holds ``fixtures/manifest.json``) the checks are exactly those that
``pytest`` runs there: nnlab's copy of the checker, pointed at the release's fixtures. The
reference is not touched. Anywhere else (a folder of modules and no fixtures), fixtures for
the course components whose modules are present are written into a temporary folder from
the installed reference (its only use), then the same checks run.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from pathlib import Path

from nnlab.exercises.course import Course
from nnlab.graders import selfcheck
from nnlab.graders.courses import load_course
from nnlab.graders.running.loader import API_MODULES
from nnlab.graders.selfcheck.core import Result


class CheckError(ValueError):
    """A folder that cannot be checked (one line for the user)."""


def _components(course: Course, assignment: str | None, present: set[str], only: Sequence[str]) -> list[str]:
    assignments = [course.assignment(assignment)] if assignment else list(course.assignments)
    names = [c.name for a in assignments for c in a.components if c.name.partition(".")[0] in present]
    if only:
        unknown = [o for o in only if not any(o in (n, n.partition(".")[2]) for n in names)]
        if unknown:
            raise CheckError(
                f"--only {', '.join(unknown)}: not a component of this folder's modules (expected one "
                f"of: {', '.join(names)})"
            )
        names = [n for n in names if any(o in (n, n.partition(".")[2]) for o in only)]
    return names


def run_check(
    folder: Path,
    *,
    assignment: str | None = None,
    only: Sequence[str] = (),
    course_path: Path | None = None,
) -> tuple[list[Result], str]:
    """Check ``folder``; returns the results and the report's subtitle. Raises :class:`CheckError`."""
    if not folder.is_dir():
        raise CheckError(f"{folder}: not a folder (expected a release folder, or a folder holding your modules)")
    fixtures = folder / "fixtures"
    if (fixtures / selfcheck.MANIFEST).is_file():
        try:
            manifest = selfcheck.load_manifest(fixtures)
        except selfcheck.FixtureError as error:
            raise CheckError(str(error)) from None
        unknown = [o for o in only if not any(o in (n, n.partition(".")[2]) for n in manifest.components)]
        if unknown:
            raise CheckError(
                f"--only {', '.join(unknown)}: not checked by this release "
                f"(it checks: {', '.join(manifest.components)})"
            )
        results = selfcheck.check(folder, fixtures, only=list(only) or None)
        variant = f", variant {manifest.variant}" if manifest.variant is not None else ""
        return results, f"{manifest.assignment or folder.resolve()} (public fixtures{variant})"
    course = load_course(course_path)
    present = {p.stem for p in folder.glob("*.py")} & set(course.modules)  # nnlab's and the course's own
    if not present:
        raise CheckError(
            f"{folder}: no fixtures/manifest.json and none of the course's modules ({', '.join(API_MODULES[:4])}, "
            "...): "
            "expected a release folder, or a folder holding your modules"
        )
    names = _components(course, assignment, present, only)
    if not names:
        raise CheckError(f"{folder}: the assignment {assignment!r} has no component in this folder's modules")
    from nnlab.fixtures import write_fixtures  # the reference is used here, to make fixtures, and only here
    from nnlab.graders.mutants import reference_folder

    with tempfile.TemporaryDirectory(prefix="nnlab-check-") as tmp:
        with course.references():
            write_fixtures(Path(tmp), names, assignment=assignment, catalogue=course.catalogue)
        support = None if (folder / "base.py").exists() else reference_folder() / "base.py"
        results = selfcheck.check(folder, tmp, only=list(only) or None, support=support)
    return results, f"{folder} (fixtures made from the installed reference)"


def render(results: list[Result], subtitle: str, fmt: str = "text") -> str:
    if fmt == "json":
        plain = [
            {"check": r.item_id, "component": r.component, "family": r.family, "status": r.status, "message": r.message}
            for r in results
        ]
        passed = sum(r.passed for r in results)
        counted = sum(r.status != "skipped" for r in results)
        return (
            json.dumps(
                {"title": "nnlab check", "folder": subtitle, "passed": passed, "checks": counted, "results": plain},
                indent=1,
            )
            + "\n"
        )
    return selfcheck.render(results, "nnlab check", subtitle)
