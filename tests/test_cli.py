"""Does the command line grade, report in every format, and fail in one line on bad input?"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from nnlab.cli import main

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = str(ROOT / "reference")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nnlab", *args], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(
    "args, message",
    [
        pytest.param(["grade", "no/such/folder"], "no such submission", id="missing submission"),
        pytest.param(["grade", REFERENCE, "--only", "layers.Conv3d"], "not a component", id="unknown component"),
        pytest.param(["grade", REFERENCE, "--assignment", "a9"], "no assignment 'a9'", id="unknown assignment"),
        pytest.param(["grade", REFERENCE, "--course", "nope.toml"], "no such course file", id="missing course"),
    ],
)
def test_bad_input_is_one_line_with_exit_status_2(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output


def test_json_is_gradescope_results_and_attributes_every_point(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    result = CliRunner().invoke(
        main, ["grade", REFERENCE, "--only", "layers.Flatten", "--format", "json", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert {"score", "max_score", "tests"} <= set(data) and "execution_time" not in data  # byte-reproducible
    assert data["score"] == data["max_score"] > 0
    for test in data["tests"]:
        assert {"name", "score", "max_score", "status", "output"} <= set(test)
        assert test["name"].startswith("layers.Flatten: ")  # a row per check family by default
        assert test["status"] in ("passed", "failed")
    assert abs(sum(t["max_score"] for t in data["tests"]) - data["max_score"]) < 1e-3


def test_the_same_seed_gives_byte_identical_json() -> None:
    args = [
        "grade",
        REFERENCE,
        "--only",
        "activations.Softmax",
        "--only",
        "layers.MaxPool2d",
        "--seed",
        "5",
        "--format",
        "json",
    ]
    first, second = run(*args), run(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout


def test_output_is_not_written_over_a_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["grade", REFERENCE, "--only", "layers.Flatten", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "is a folder" in result.output


def test_generate_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    result = CliRunner().invoke(main, ["generate", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "nothing was written" in result.output
    assert (tmp_path / "mine.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt"]
