"""Release folders for the self-checker's tests: stubs or the reference, with a release's flat imports.

A release ships its modules with flat imports (``from base import Module``); these helpers
lay out the same thing from the reference (solved) or from its stubs (pristine), plus the
checker and fixtures that ``write_release_checker`` adds, without depending on the rest of
``nnlab generate``.
"""

from __future__ import annotations

import re
from pathlib import Path

from nnlab.exercises.course import load_course
from nnlab.exercises.stubs import stub_folder
from nnlab.graders.mutants import reference_folder

from nnlab.fixtures import write_release_checker

ASSIGNMENTS = [a.name for a in load_course().assignments]


def flat_imports(source: str) -> str:
    """``from .base import X`` -> ``from base import X``; ``from . import a, b`` -> ``import a, b``."""
    source = re.sub(r"^from \.(\w+) import", r"from \1 import", source, flags=re.M)
    return re.sub(r"^from \. import ", "import ", source, flags=re.M)


def modules(target: Path, solved: bool) -> Path:
    """Every reference module into ``target`` with flat imports: as it is (solved) or stubbed."""
    target.mkdir(parents=True, exist_ok=True)
    if solved:
        for path in reference_folder().glob("*.py"):
            if path.name != "__init__.py":
                (target / path.name).write_text(flat_imports(path.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        for path in stub_folder(reference_folder(), target):
            path.write_text(flat_imports(path.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def release(target: Path, assignment: str, solved: bool, variant: int | None = None) -> Path:
    """A release folder of ``assignment``: modules, checker/, fixtures/, conftest.py, pytest.ini."""
    entry = load_course().assignment(assignment)
    modules(target, solved)
    components = [c.name for c in entry.components]
    write_release_checker(target, components, variant=variant, given=list(entry.prerequisites), assignment=assignment)
    return target
