"""Anonymous ids: what a class report shows instead of students' names.

Students are numbered in the gradebook's order (sorted by name): ``student-01``,
``student-02``, ... (three digits from 100 students on). The ids are stable as long as the
class is: the same folder of reports gives the same ids, and gradebook.csv and needs-help.csv
list each student's id beside the name, so the instructor can find who is behind one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

PREFIX = "student-"


def anonymous_ids(students: Iterable[str]) -> dict[str, str]:
    """``{student: "student-01", ...}`` in sorted order of the students' names."""
    ordered = sorted(set(students))
    width = max(2, len(str(len(ordered))))
    return {student: f"{PREFIX}{number:0{width}d}" for number, student in enumerate(ordered, 1)}


def scrub(text: str, student: str, label: str) -> str:
    """``text`` with the student's name, as a whole word, replaced by ``label``.

    Feedback is the grader's sentence about numbers and rarely names anyone; this is a guard
    for the example sentences a class report quotes.
    """
    if len(student) < 2 or student == label:
        return text
    return re.sub(rf"(?<![\w-]){re.escape(student)}(?![\w-])", label, text)
