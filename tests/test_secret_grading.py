"""Does the instructor's grader draw each student's hidden inputs from the secret and their variant?"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from nnlab.exercises.course import load_course
from nnlab.graders.batch import MANIFEST, fingerprint

from nnlab.cli import main
from nnlab.secret import Roster, assignment_secret, grading_seed


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "course"
    result = CliRunner().invoke(
        main, ["generate", "a1-perceptron", "--out", str(out), "--student", "alice", "--student", "bob"]
    )
    assert result.exit_code == 0, result.output
    return out


def test_each_student_is_graded_on_the_seed_of_their_own_variant(generated: Path, tmp_path: Path) -> None:
    secret_file = generated / ".nnlab-secret.toml"
    batch = tmp_path / "submissions"
    for student in ("alice", "bob"):
        shutil.copytree(generated / "a1-perceptron" / "solution", batch / student)
    reports = tmp_path / "reports"
    result = CliRunner().invoke(
        main,
        [
            "grade",
            str(batch),
            "--batch",
            "--secret",
            str(secret_file),
            "--assignment",
            "a1-perceptron",
            "-o",
            str(reports),
        ],
    )
    assert result.exit_code == 0, result.output
    from nnlab.exercises.course import tomllib

    data = tomllib.loads(secret_file.read_text())
    base = assignment_secret(int(data["secret"]), "a1-perceptron")
    roster = Roster(data["variants"]["a1-perceptron"])
    seeds = {s: grading_seed(base, roster.variant_of(s)) for s in ("alice", "bob")}
    assert len(set(seeds.values())) == 2  # two variants, two sets of hidden inputs
    manifest = json.loads((reports / MANIFEST).read_text())
    for student, seed in seeds.items():
        # The batch's record of what each student was graded with holds their variant's seed ...
        assert manifest[student] == fingerprint(batch / student, load_course(), seed) + "|a1-perceptron"
        # ... and no report says it: it is the Classroom secret, the key to everyone's hidden inputs.
        for suffix in ("txt", "html", "json"):
            report = (reports / f"{student}.{suffix}").read_text()
            assert str(seed) not in report and "hidden seed" in report.lower(), (suffix, report[-500:])
        assert "Total: 18 / 18" in (reports / f"{student}.txt").read_text()
    header = next(csv.reader((reports / "gradebook.csv").open()))
    assert "a1-perceptron" in header and "a7-cnn" not in header and "layers.Conv2d" not in header


def test_one_submission_with_the_secret_matches_the_printed_seed(generated: Path) -> None:
    secret_file = generated / ".nnlab-secret.toml"
    result = CliRunner().invoke(
        main,
        [
            "grade",
            str(generated / "a1-perceptron" / "solution"),
            "--secret",
            str(secret_file),
            "--assignment",
            "a1-perceptron",
            "--student",
            "bob",
            "--format",
            "json",
            "--in-process",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["score"] == 18
    assert "seed" not in json.loads(result.output)["extra_data"] and "a hidden seed" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        pytest.param(["--secret", "{secret}"], "expected --assignment too", id="no assignment"),
        pytest.param(
            ["--secret", "nope.toml", "--assignment", "a1-perceptron"],
            "expected the .nnlab-secret.toml",
            id="missing file",
        ),
    ],
)
def test_a_bad_secret_is_a_one_line_error(generated: Path, args: list[str], message: str) -> None:
    args = [a.replace("{secret}", str(generated / ".nnlab-secret.toml")) for a in args]
    result = CliRunner().invoke(main, ["grade", str(generated / "a1-perceptron" / "solution"), *args])
    assert result.exit_code == 2 and message in result.output and len(result.output.strip().splitlines()) == 1
