"""The new-user trial's rough edges: a wrong folder, misplaced dependency notes, report permissions."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from click.testing import CliRunner
from nnlab.graders.results import NOT_SUBMITTED, PASSED, ComponentReport, Outcome, ScoredCheck
from nnlab.graders.runner import dependency_notes

from nnlab.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _one_line_error(args: list[str]) -> str:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


def test_grading_a_folder_without_any_known_module_says_so_instead_of_scoring_zero(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    line = _one_line_error(["grade", str(tmp_path)])
    assert "holds no module nnlab knows" in line and "layers.py" in line


def test_grading_a_folder_of_student_folders_asks_did_you_mean_batch(tmp_path: Path) -> None:
    for student in ("alice", "bob"):
        (tmp_path / student).mkdir()
        shutil.copy(ROOT / "reference" / "layers.py", tmp_path / student / "layers.py")
    line = _one_line_error(["grade", str(tmp_path)])
    assert "did you mean --batch?" in line and "alice" in line


def _component(name: str, status: str, score: float) -> ComponentReport:
    outcome = Outcome("forward", status, "" if status == PASSED else "wrong")
    return ComponentReport(name, "a2-neurons", [ScoredCheck(name, "reference", outcome, score, 1.0)])


def test_fix_x_first_appears_only_when_x_was_submitted_and_lost_points() -> None:
    silu_lost = _component("activations.SiLU", "failed", 0.0)
    sigmoid_missing = _component("activations.Sigmoid", NOT_SUBMITTED, 0.0)
    assert dependency_notes([silu_lost, sigmoid_missing]) == []
    sigmoid_wrong = _component("activations.Sigmoid", "failed", 0.0)
    (note,) = dependency_notes([silu_lost, sigmoid_wrong])
    assert "Fix activations.Sigmoid first" in note
    assert dependency_notes([silu_lost, _component("activations.Sigmoid", PASSED, 1.0)]) == []


def test_report_files_written_with_output_are_world_readable(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    result = CliRunner().invoke(
        main, ["grade", str(ROOT / "reference"), "--only", "activations.ReLU", "--in-process", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


def test_usage_mistakes_are_one_line_with_exit_status_2(tmp_path: Path) -> None:
    import subprocess
    import sys

    for args, message in (
        (["grade", str(tmp_path), "--format", "xml"], "'xml' is not one of"),
        (["grde"], "No such command 'grde'"),
        (["grade"], "Missing argument 'SUBMISSION'"),
        (["generate", "--variants", "-1", "--out", str(tmp_path / "x")], "not in the range"),
    ):
        result = subprocess.run([sys.executable, "-m", "nnlab", *args], capture_output=True, text=True, timeout=60)
        assert result.returncode == 2, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("nnlab: error:") and message in lines[0], result.stderr
        assert "--help" in lines[0] and not result.stdout


def test_a_zip_of_modules_is_graded_like_the_folder_at_any_depth(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "hw.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(ROOT / "reference" / "activations.py", "my-work/activations.py")
    args = ["grade", str(archive), "--only", "activations.ReLU", "--in-process", "--format", "csv"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].split(",")[1:3] == ["10", "10"]


def test_a_broken_zip_is_one_line_naming_the_zip(tmp_path: Path) -> None:
    import zipfile

    (tmp_path / "truncated.zip").write_bytes(b"PK\x03\x04 not really")
    assert "truncated.zip: not a valid zip file" in _one_line_error(["grade", str(tmp_path / "truncated.zip")])
    zipfile.ZipFile(tmp_path / "empty.zip", "w").close()
    line = _one_line_error(["grade", str(tmp_path / "empty.zip")])
    assert "empty.zip: the zip holds no module nnlab knows" in line and "nnlab-zip-" not in line
