"""The student bundle: stubs of every reference module, the support module and a README."""

from __future__ import annotations

from pathlib import Path

from nnlab.exercises.course import Course
from nnlab.exercises.stubs import stub_folder
from nnlab.graders.mutants import reference_folder
from nnlab.templates import environment


def write_bundle(course: Course, target: Path) -> list[Path]:
    """Write the bundle into ``target`` (created); returns the files written."""
    written = stub_folder(reference_folder(), target)
    readme = target / "README.md"
    readme.write_text(environment().get_template("bundle_readme.md.j2").render(course=course), encoding="utf-8")
    return [*written, readme]
