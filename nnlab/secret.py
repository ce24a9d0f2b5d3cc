"""The instructor's secret: the seed every grader draws its inputs from, and each student's variant.

``nnlab generate`` draws one secret per generated course (``secrets.randbits``) and keeps it
in ``DIR/.nnlab-secret.toml`` beside the assignments, never in a release or a classroom
repository. Seeds are derived from it by hashing, so that what one grader holds reveals
neither the course secret nor another assignment's inputs:

* the *assignment secret* ``assignment_secret(course_secret, name)``: what an autograder's
  configuration holds (Gradescope's zip is seen by instructors only);
* the *grading seed* ``grading_seed(assignment_secret, variant)``: the ``--seed`` of the grader
  for one student; variant ``None`` is the common release (GitHub Classroom's starter repository).

A student's variant changes the release's public fixtures and hyper-parameters (the release
checker's ``variant``) and, through the grading seed, the grader's hidden inputs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

SECRET_FILE = ".nnlab-secret.toml"
SECRET_BITS = 63  # a positive int64: fits every seed argument (numpy, click, TOML)
_STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$")


def new_secret() -> int:
    return secrets.randbits(SECRET_BITS)


def _derive(*parts: object) -> int:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - SECRET_BITS)


def assignment_secret(course_secret: int, assignment: str) -> int:
    """The secret of one assignment (what its autograders hold)."""
    return _derive("nnlab-assignment", course_secret, assignment)


def grading_seed(secret: int, variant: int | None = None) -> int:
    """The grader's seed for one variant (``None``: the common release) of an assignment."""
    return _derive("nnlab-grading", secret, 0 if variant is None else variant)


@dataclass
class Roster:
    """Which student has which variant: ``{student id: variant}`` (variants count from 1)."""

    variants: dict[str, int] = field(default_factory=dict)

    def variant_of(self, *ids: str) -> int | None:
        """The variant of the first of ``ids`` (email, student id, login...) that the roster knows."""
        for key in ids:
            if key and key.strip().lower() in self._folded:
                return self._folded[key.strip().lower()]
        return None

    @property
    def _folded(self) -> dict[str, int]:
        return {k.lower(): v for k, v in self.variants.items()}


def check_student_id(student: str) -> str:
    if not _STUDENT_ID.match(student):
        raise ValueError(
            f"--student {student!r}: expected a student id of letters, digits and ._@+- (at most 100 characters)"
        )
    return student


def read_roster_csv(path: Path) -> list[str]:
    """Student ids from a roster CSV: the column ``student`` (or ``id``, ``email``, ``sid``), else the first."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ValueError(f"--student {path}: cannot read the roster ({error.strerror})") from None
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not rows:
        raise ValueError(f"--student {path}: the roster is empty (expected a CSV with a student id per row)")
    header = [cell.strip().lower() for cell in rows[0]]
    column = next((header.index(k) for k in ("student", "id", "email", "sid", "login") if k in header), None)
    body = rows[1:] if column is not None else rows
    column = column or 0
    ids = []
    for number, row in enumerate(body, start=2 if rows[0] is not body[0] else 1):
        if column >= len(row) or not row[column].strip():
            raise ValueError(f"{path}, row {number}: no student id in column {column + 1}")
        try:
            ids.append(check_student_id(row[column].strip()))
        except ValueError as error:
            raise ValueError(f"{path}, row {number}: {error}") from None
    return ids


def secret_toml(course_secret: int, rosters: dict[str, Roster]) -> str:
    """``.nnlab-secret.toml``: the course secret and, per assignment, its students' variants."""
    lines = [
        "# nnlab: the instructor's secret. Keep this file private: whoever has it can compute the",
        "# grader's hidden inputs. Grade with it: `nnlab grade SUBMISSION --assignment A --secret",
        "# THIS_FILE [--student ID]`, or `nnlab grade --batch FOLDER --assignment A --secret THIS_FILE`.",
        "# `python -m nnlab.secret THIS_FILE ASSIGNMENT [STUDENT]` prints one grading seed.",
        f"secret = {course_secret}",
    ]
    for name, roster in rosters.items():
        if roster.variants:
            lines += ["", f'[variants."{name}"]']
            lines += [f'"{student}" = {variant}' for student, variant in roster.variants.items()]
    return "\n".join(lines) + "\n"


def _main(argv: list[str]) -> int:
    """``python -m nnlab.secret SECRET_FILE ASSIGNMENT [STUDENT]``: print the grading seed."""
    import sys

    from nnlab.exercises.course import tomllib

    if len(argv) not in (2, 3):
        print("usage: python -m nnlab.secret DIR/.nnlab-secret.toml ASSIGNMENT [STUDENT]", file=sys.stderr)
        return 2
    data = tomllib.loads(Path(argv[0]).read_text(encoding="utf-8"))
    variant = None
    if len(argv) == 3:
        variant = Roster(data.get("variants", {}).get(argv[1], {})).variant_of(argv[2])
    print(grading_seed(assignment_secret(int(data["secret"]), argv[1]), variant))
    return 0


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.exit(_main(sys.argv[1:]))
