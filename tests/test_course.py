"""Is the course file validated, and does every family given points have checks?"""

from __future__ import annotations

from pathlib import Path

import pytest
from nnlab.exercises.components import CATALOGUE, component
from nnlab.exercises.course import CourseError, load_course
from nnlab.graders.judging.catalogue import checks_for

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
        pytest.param(
            GOOD.replace("layers.Linear", "layers.Lnear"), "a component of docs/api.md", id="unknown component"
        ),
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


def _folder_course(tmp_path: Path, assignment: str, course_extra: str = "") -> Path:
    (tmp_path / "a1").mkdir()
    (tmp_path / "a1" / "assignment.toml").write_text(assignment)
    path = tmp_path / "course.toml"
    path.write_text(f'[course]\ntitle = "t"\nassignments = ["a1"]\n{course_extra}')
    return path


ASSIGNMENT = """
name = "a1"
title = "One"
goals = ["learn"]
prerequisites = []
[[components]]
name = "layers.Linear"
points = { reference = 2 }
"""


def test_the_built_in_course_is_one_declarative_file_per_assignment_with_goals_and_a_notebook() -> None:
    course = load_course()
    assert len(course.assignments) == 7
    for assignment in course.assignments:
        assert assignment.folder is not None and (assignment.folder / "assignment.toml").is_file()
        assert assignment.goals and assignment.intro.strip() and assignment.title != assignment.name


def test_prerequisites_are_components_of_earlier_assignments() -> None:
    course = load_course()
    seen: set[str] = set()
    for assignment in course.assignments:
        assert set(assignment.prerequisites) <= seen, assignment.name
        seen |= {c.name for c in assignment.components}


def test_an_assignment_folder_is_read_with_its_goals_and_gradescope_settings(tmp_path: Path) -> None:
    path = _folder_course(tmp_path, ASSIGNMENT, '[gradescope]\nhidden_visibility = "hidden"\n')
    course = load_course(path)
    (assignment,) = course.assignments
    assert (assignment.name, assignment.goals, assignment.folder) == ("a1", ("learn",), tmp_path / "a1")
    assert course.gradescope.hidden_visibility == "hidden"
    assert course.gradescope.granularity == "family"


@pytest.mark.parametrize(
    "assignment, course_extra, message",
    [
        pytest.param(
            ASSIGNMENT.replace("layers.Linear", "layers.Lnear"),
            "",
            r"a1/assignment.toml: components\[0\].name",
            id="unknown component",
        ),
        pytest.param(ASSIGNMENT.replace("reference = 2", "reference = 0"), "", "positive points", id="no points"),
        pytest.param(
            ASSIGNMENT.replace("prerequisites = []", 'prerequisites = ["layers.Conv2d"]'),
            "",
            "earlier assignment",
            id="prerequisite graded later or never",
        ),
        pytest.param(
            ASSIGNMENT.replace("prerequisites = []", 'prerequisites = ["layers.Conv"]'),
            "",
            "prerequisites: expected components",
            id="unknown prerequisite",
        ),
        pytest.param(
            ASSIGNMENT.replace('goals = ["learn"]', "goals = 3"), "", "goals: expected a list", id="goals not a list"
        ),
        pytest.param(ASSIGNMENT, '[gradescope]\nvisibility = "sometimes"\n', "gradescope.visibility", id="visibility"),
        pytest.param(ASSIGNMENT + "[[components]\n", "", "a1/assignment.toml: not valid TOML", id="syntax, named file"),
        pytest.param(
            ASSIGNMENT.replace("points = {", 'hnit = "typo"\npoints = {'),
            "",
            r"a1/assignment.toml: components\[0\].hnit: expected a known key, one of name, hint, points",
            id="misspelt component key",
        ),
        pytest.param(
            ASSIGNMENT.replace("goals =", "gaols ="), "", r"a1/assignment.toml: gaols: expected a known key", id="typo"
        ),
        pytest.param(ASSIGNMENT, "alowed_imports = []\n", "course.toml: course.alowed_imports", id="course key"),
        pytest.param(ASSIGNMENT, "[default.points]\napi = 1\n", "course.toml: default: expected a known", id="table"),
        pytest.param(
            ASSIGNMENT.replace('name = "layers.Linear"', 'name = ["layers.Linear"]'),
            "",
            r"components\[0\].name: expected a component of docs/api.md",
            id="component name not a string",
        ),
        pytest.param(
            ASSIGNMENT.replace("reference = 2", "reference = nan"),
            "",
            "non-negative number of points, got nan",
            id="nan",
        ),
        pytest.param(
            ASSIGNMENT.replace("reference = 2", "reference = inf"),
            "",
            "non-negative number of points, got inf",
            id="inf",
        ),
    ],
)
def test_malformed_assignment_files_name_the_file_and_key(
    tmp_path: Path, assignment: str, course_extra: str, message: str
) -> None:
    path = _folder_course(tmp_path, assignment, course_extra)
    with pytest.raises(CourseError, match=message) as info:
        load_course(path)
    assert "\n" not in str(info.value)


def test_a_missing_assignment_folder_is_named(tmp_path: Path) -> None:
    path = tmp_path / "course.toml"
    path.write_text('[course]\nassignments = ["nope"]\n')
    with pytest.raises(CourseError, match="course.assignments: expected a folder nope/"):
        load_course(path)
