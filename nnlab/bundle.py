"""The student bundle: stubs of every reference module, the support module and a README."""

from __future__ import annotations

from pathlib import Path

import jinja2

from nnlab.exercises.course import Course
from nnlab.graders.mutants import reference_folder
from nnlab.stubs import stub_folder

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def templates() -> jinja2.Environment:
    if TEMPLATES.is_dir():
        loader: jinja2.BaseLoader = jinja2.FileSystemLoader(str(TEMPLATES))
    else:  # installed (non-editable) layout
        loader = jinja2.PackageLoader("nnlab.templates", ".")
    return jinja2.Environment(
        loader=loader, keep_trailing_newline=True, undefined=jinja2.StrictUndefined, autoescape=False
    )


def write_bundle(course: Course, target: Path) -> list[Path]:
    """Write the bundle into ``target`` (created); returns the files written."""
    written = stub_folder(reference_folder(), target)
    readme = target / "README.md"
    readme.write_text(templates().get_template("bundle_readme.md.j2").render(course=course), encoding="utf-8")
    return [*written, readme]
