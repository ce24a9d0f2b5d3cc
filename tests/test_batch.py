"""Batch grading: a folder or zip per student, reports, a gradebook, skipping current reports."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from nnlab.exercises.course import load_course
from nnlab.graders.batch import BadSubmission, Entry, grade_batch, unpack
from nnlab.graders.runner import GradingError

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
SMALL_COURSE = """
[course]
title = "small"
[[assignments]]
name = "a1"
[[assignments.components]]
name = "activations.Tanh"
points = { api = 1, reference = 2 }
[[assignments.components]]
name = "layers.Flatten"
points = { reference = 2 }
"""


@pytest.fixture
def course(tmp_path: Path):  # noqa: ANN201
    path = tmp_path / "course.toml"
    path.write_text(SMALL_COURSE)
    return load_course(path)


def make_submissions(root: Path) -> Path:
    folder = root / "submissions"
    folder.mkdir()
    shutil.copytree(REFERENCE, folder / "alice", ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "bob").mkdir()  # empty
    with zipfile.ZipFile(folder / "carol.zip", "w") as archive:  # modules inside a folder in the zip
        for name in ("base.py", "activations.py"):
            archive.write(REFERENCE / name, f"homework/{name}")
        archive.writestr("../../evil.py", "print('escaped')")
    (folder / "dave.zip").write_bytes(b"this is not a zip")
    return folder


def test_a_batch_grades_everyone_and_writes_a_gradebook(tmp_path: Path, course) -> None:  # noqa: ANN001
    submissions = make_submissions(tmp_path)
    output = tmp_path / "reports"
    results = {r.student: r for r in grade_batch(submissions, course, output, jobs=2)}
    assert set(results) == {"alice", "bob", "carol", "dave"}
    assert results["alice"].report["score"] == results["alice"].report["max_score"] == 5
    assert results["bob"].report["score"] == 0
    assert results["carol"].report["score"] == 3, "Tanh from the zip's folder, Flatten missing"
    assert results["dave"].report["score"] == 0 and results["dave"].report["max_score"] == 5
    assert "not a valid zip" in (output / "dave.txt").read_text()
    assert not (tmp_path / "evil.py").exists()
    for student in results:
        for suffix in ("json", "txt", "html"):
            assert (output / f"{student}.{suffix}").exists()
    rows = list(csv.DictReader((output / "gradebook.csv").open()))
    assert [r["student"] for r in rows] == ["alice", "bob", "carol", "dave"]
    assert rows[0]["a1"] == "5" and rows[2]["activations.Tanh"] == "3" and rows[2]["layers.Flatten"] == "0"


def test_an_ungradable_submission_has_every_rubric_row_at_zero_with_the_reason(
    tmp_path: Path,
    course,  # noqa: ANN001
) -> None:
    """A bad zip, a folder without a module and a broken notebook keep the rows (names and points) a graded
    submission has, as Gradescope and JUnit match rows by name; each row says why it is zero."""
    submissions = make_submissions(tmp_path)
    (submissions / "erin.ipynb").write_text("{oops")
    results = {r.student: r.report for r in grade_batch(submissions, course, tmp_path / "reports", jobs=2)}

    def rows(report: dict) -> list[tuple[str, float]]:
        return [(test["name"], test["max_score"]) for test in report["tests"]]

    graded = rows(results["alice"])
    assert len(graded) > 2 and len(set(graded)) == len(graded)
    reasons = {"bob": "holds no module nnlab knows", "dave": "not a valid zip", "erin": "not a Jupyter notebook"}
    for student, why in reasons.items():
        report = results[student]
        assert rows(report) == graded, student
        assert all(test["score"] == 0 for test in report["tests"]), student
        assert all(why in test["output"] for test in report["tests"]), (student, report["tests"][0])


def test_rerunning_skips_current_reports_and_regrades_changed_ones(tmp_path: Path, course) -> None:  # noqa: ANN001
    submissions = make_submissions(tmp_path)
    output = tmp_path / "reports"
    grade_batch(submissions, course, output)
    (submissions / "bob" / "activations.py").write_text((REFERENCE / "activations.py").read_text())
    again = {r.student: r for r in grade_batch(submissions, course, output)}
    assert again["alice"].skipped and again["carol"].skipped
    assert not again["bob"].skipped and again["bob"].report["score"] == 3
    assert json.loads((output / "bob.json").read_text())["score"] == 3


def test_output_inside_the_submissions_is_refused(tmp_path: Path, course) -> None:  # noqa: ANN001
    submissions = make_submissions(tmp_path)
    with pytest.raises(GradingError, match="must not be inside"):
        grade_batch(submissions, course, submissions / "reports")


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("layers.py", b"0" * (60 * 2**20))
    with pytest.raises(BadSubmission, match="more than"):
        unpack(Entry("bomb", bomb), tmp_path / "out")


def _writefile_notebook(path: Path, module: str, source: str) -> None:
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None}
    notebook = {"cells": [{**cell, "source": f"%%writefile {module}\n{source}"}], "metadata": {}}
    path.write_text(json.dumps({**notebook, "nbformat": 4, "nbformat_minor": 5}))


def test_a_notebook_per_student_is_graded_and_a_broken_one_says_why(tmp_path: Path, course) -> None:  # noqa: ANN001
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    _writefile_notebook(submissions / "erin.ipynb", "activations.py", (REFERENCE / "activations.py").read_text())
    (submissions / "fred.ipynb").write_text("not json {")
    zipfile.ZipFile(submissions / "gina.zip", "w").close()  # an empty zip
    results = {r.student: r.report for r in grade_batch(submissions, course, tmp_path / "reports")}
    assert set(results) == {"erin", "fred", "gina"}
    assert results["erin"]["score"] == 3, results["erin"]["output"]  # Tanh from the notebook, Flatten missing
    assert "fred.ipynb: not a Jupyter notebook" in results["fred"]["output"]
    gina = results["gina"]["output"]
    assert "gina.zip: holds no module nnlab knows" in gina and "nnlab-batch-" not in gina and "--batch" not in gina
