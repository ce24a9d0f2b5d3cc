"""Is the course file validated, and does every family given points have checks?"""

from __future__ import annotations

from pathlib import Path

import pytest
from nnlab.exercises.course import CourseError, load_course
from nnlab.graders.catalogue import checks_for
from nnlab.graders.components import CATALOGUE, component

GOOD = """
[course]
title = "t"
[[assignments]]
name = "a"
[[assignments.components]]
name = "layers.Linear"
points = { reference = 2 }
"""


def test_the_built_in_course_grades_every_component_of_the_api() -> None:
    course = load_course()
    graded = {c.name for a in course.assignments for c in a.components}
    assert graded == set(CATALOGUE)


def test_every_family_with_points_has_a_check() -> None:
    for assignment in load_course().assignments:
        for entry in assignment.components:
            for family, points in entry.points.items():
                if points:
                    assert checks_for(component(entry.name), family), f"{entry.name}: no {family} check"


@pytest.mark.parametrize(
    "text, message",
    [
        pytest.param("not toml [", "not valid TOML", id="syntax"),
        pytest.param("[course]\n", "at least one assignment", id="no assignments"),
        pytest.param(GOOD.replace("layers.Linear", "layers.Lnear"), "a component of API.md", id="unknown component"),
        pytest.param(GOOD.replace("reference = 2", "referense = 2"), "a check family", id="unknown family"),
        pytest.param(GOOD.replace("reference = 2", "reference = -1"), "non-negative", id="negative points"),
        pytest.param(GOOD + GOOD.split("[course]")[1].replace('title = "t"', ""), "unique name", id="duplicate"),
    ],
)
def test_malformed_course_files_get_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "course.toml"
    path.write_text(text)
    with pytest.raises(CourseError, match=message) as info:
        load_course(path)
    assert "\n" not in str(info.value)


def test_a_missing_course_file_says_what_was_expected(tmp_path: Path) -> None:
    with pytest.raises(CourseError, match="no such course file"):
        load_course(tmp_path / "nope.toml")
