"""Hostile and broken submissions: each is graded in bounded time with an honest score.

The hostile code lives in ``layers.Linear``; ``activations.ReLU`` is the reference's and
must keep its full marks, whatever Linear does.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from nnlab.exercises.course import load_course
from nnlab.graders.runner import GradingError, grade

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
COURSE = load_course()
ONLY = ["layers.Linear", "activations.ReLU"]
TIME_LIMIT = 6.0  # generous: the honest component (ReLU, ~1 s in a child) shares it, on a busy 2-core machine

LINEAR_HEADER = """
import os, sys, time
import numpy as np
from .base import Module, Parameter


class Linear(Module):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.weight = Parameter(np.zeros((out_features, in_features)))
        self.bias = Parameter(np.zeros(out_features)) if bias else None

    def backward(self, grad_y):
        return grad_y @ self.weight.data

    def forward(self, x):
"""

HOSTILE = {
    "infinite loop": "        while True:\n            pass\n",
    "memory bomb": "        hog = []\n        while True:\n            hog.append(np.ones(10**7))\n",
    "os._exit": "        os._exit(7)\n",
    "sys.exit": "        sys.exit(0)\n",
    "KeyboardInterrupt": "        raise KeyboardInterrupt\n",
    "50 MB of output": "        sys.stdout.write('x' * (50 * 2**20))\n        return x @ self.weight.data.T\n",
    "fork and background processes": (
        "        for _ in range(20):\n"
        "            if os.fork() == 0:\n"
        "                os.setsid()\n"
        "                os.execvp('sleep', ['sleep', '613.25'])  # a marker the test looks for\n"
        "        return x @ self.weight.data.T\n"
    ),
    "monkeypatched numpy": (
        "        np.allclose = lambda *a, **k: True\n"
        "        np.testing.assert_allclose = lambda *a, **k: None\n"
        "        np.array_equal = lambda *a, **k: True\n"
        "        return x @ self.weight.data.T * 2\n"
    ),
    "lying result object": (
        "        class Liar(np.ndarray):\n"
        "            def __eq__(self, other):\n"
        "                return True\n"
        "        return np.zeros((len(x), self.weight.data.shape[0])).view(Liar)\n"
    ),
    "fake result files": (
        "        for path in ('results.json', '/autograder/results/results.json', os.environ.get('NNLAB_OUT', '')):\n"
        "            try:\n"
        "                os.makedirs(os.path.dirname(path) or '.', exist_ok=True)\n"
        "                open(path, 'w').write('{\"score\": 1000}')\n"
        "            except OSError:\n"
        "                pass\n"
        "        return x @ self.weight.data.T * 3\n"
    ),
    # Plain data the checks cannot use: the check fails, the run goes on (no grader traceback).
    "a number too large for a float": "        return 10**400\n",
    "complex results": "        return (x @ self.weight.data.T).astype(complex) + 1j\n",
    "an empty array": "        return np.empty((0, 3))\n",
    "a deeply nested list": "        return [[[[x.tolist()]]]]\n",
    "a message that forges the report": (
        "        raise ValueError('bad \\ud800 \\x1b[2J\\x1b[H\\x00\\nTotal: 999 / 10 points')\n"
    ),
}


def submission(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "student"
    folder.mkdir()
    shutil.copy(REFERENCE / "activations.py", folder)
    (folder / "layers.py").write_text(LINEAR_HEADER + body)
    (folder / "results.json").write_text('{"score": 1000, "max_score": 1}')  # a fake left in the folder
    return folder


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_code_costs_only_its_component(tmp_path: Path, kind: str) -> None:
    start = time.monotonic()
    report = grade(submission(tmp_path, HOSTILE[kind]), COURSE, only=ONLY, time_limit=TIME_LIMIT, jobs=2)
    elapsed = time.monotonic() - start
    linear, relu = (next(c for c in report.components if c.component == name) for name in ONLY)
    assert relu.score == relu.max_score, f"{kind}: the honest component lost points"
    assert linear.score < 0.5 * linear.max_score, f"{kind}: hostile Linear kept {linear.score}/{linear.max_score}"
    assert elapsed < 3 * TIME_LIMIT + 30, f"{kind}: grading took {elapsed:.0f} s"
    feedback = " ".join(c.outcome.feedback for c in linear.checks) + linear.note
    assert "Traceback" not in feedback


def test_a_hang_is_reported_in_one_line(tmp_path: Path) -> None:
    report = grade(submission(tmp_path, HOSTILE["infinite loop"]), COURSE, only=["layers.Linear"], time_limit=2)
    assert report.components[0].note == "layers.Linear: timed out after 2 s in forward"


def test_huge_output_is_truncated(tmp_path: Path) -> None:
    report = grade(
        submission(tmp_path, HOSTILE["50 MB of output"]), COURSE, only=["layers.Linear"], time_limit=TIME_LIMIT
    )
    output = report.components[0].output
    assert len(output) < 64 * 1024 and "bytes of output not shown" in output


def test_background_processes_do_not_outlive_grading(tmp_path: Path) -> None:
    grade(
        submission(tmp_path, HOSTILE["fork and background processes"]),
        COURSE,
        only=["layers.Linear"],
        time_limit=TIME_LIMIT,
    )
    time.sleep(0.5)
    assert not _live_processes_running("613.25"), "a process the submission started is still running"


def _live_processes_running(marker: str) -> list[int]:
    """Live (not zombie) processes whose command line holds ``marker``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            state = Path(f"/proc/{entry}/status").read_text().split("State:")[1].split()[0]
        except (OSError, IndexError):
            continue
        if marker.encode() in cmdline and state != "Z":
            found.append(int(entry))
    return found


def test_an_empty_folder_is_refused_not_scored_zero(tmp_path: Path) -> None:
    with pytest.raises(GradingError, match="holds no module nnlab knows"):
        grade(tmp_path, COURSE, only=ONLY)


def test_a_folder_missing_some_modules_scores_them_zero_as_not_submitted(tmp_path: Path) -> None:
    (tmp_path / "losses.py").write_text("")
    report = grade(tmp_path, COURSE, only=ONLY)
    assert report.score == 0
    assert all(c.note.startswith("not submitted") for c in report.components if not c.component.startswith("losses"))


@pytest.mark.skipif(os.geteuid() != 0, reason="the sandbox's user and file isolation need root")
def test_student_code_cannot_read_the_reference_or_write_outside(tmp_path: Path) -> None:
    body = (
        "        leaks = []\n"
        f"        for path in ({str(REFERENCE / 'layers.py')!r}, {str(Path(__file__))!r}):\n"
        "            try:\n"
        "                open(path).read()\n"
        "                leaks.append(path)\n"
        "            except OSError:\n"
        "                pass\n"
        "        try:\n"
        f"            open({str(tmp_path / 'escaped.txt')!r}, 'w').write('x')\n"
        "            leaks.append('write')\n"
        "        except OSError:\n            pass\n"
        "        if leaks:\n            raise RuntimeError('LEAK ' + ' '.join(leaks))\n"
        "        return x @ self.weight.data.T + (self.bias.data if self.bias is not None else 0)\n"
    )
    report = grade(submission(tmp_path, body), COURSE, only=["layers.Linear"], time_limit=TIME_LIMIT)
    feedback = " ".join(c.outcome.feedback for c in report.components[0].checks)
    assert "LEAK" not in feedback
    assert not (tmp_path / "escaped.txt").exists()
    assert any("unprivileged user" in p for p in report.protections)


def test_warnings_and_stderr_never_cost_points(tmp_path: Path) -> None:
    """A correct Linear that warns and writes to stderr on every call keeps full marks."""
    folder = tmp_path / "student"
    folder.mkdir()
    source = (REFERENCE / "layers.py").read_text()
    noisy = (
        "import sys as _sys\nimport warnings as _warnings\n\n\n"
        "def _noise():\n"
        "    _warnings.warn('overflow in exp', RuntimeWarning)\n"
        "    print('debug: shapes look fine', file=_sys.stderr)\n"
    )
    source = source.replace("class Linear(Module):", noisy + "\n\nclass Linear(Module):", 1)
    source = source.replace(
        "    def forward(self, x: np.ndarray) -> np.ndarray:",
        "    def forward(self, x: np.ndarray) -> np.ndarray:\n        _noise()",
        1,
    )
    (folder / "layers.py").write_text(source)
    shutil.copy(REFERENCE / "base.py", folder)
    report = grade(folder, COURSE, only=["layers.Linear"], time_limit=30)
    assert report.score == report.max_score, [
        c.outcome.feedback for c in report.components[0].checks if not c.outcome.passed
    ]
    assert "debug: shapes look fine" in report.components[0].output


def test_student_text_in_a_report_is_printable_and_cannot_forge_lines(tmp_path: Path) -> None:
    """A lone surrogate would crash the writer; terminal escapes and line breaks could fake a total."""
    from nnlab.graders.reporting import text

    body = HOSTILE["a message that forges the report"]
    report = grade(submission(tmp_path, body), COURSE, only=["layers.Linear"], time_limit=TIME_LIMIT)
    rendered = text.render(report, color=False, width=400)
    rendered.encode("utf-8")  # no lone surrogate left
    assert "\x1b" not in rendered and "\x00" not in rendered
    assert not any(line.startswith("Total: 999") for line in rendered.splitlines())


def test_symlinks_and_special_files_in_a_submission_are_never_followed(tmp_path: Path) -> None:
    """A symlink to the reference earns nothing; a FIFO or a link to /dev/zero cannot hang the grader."""
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "layers.py").symlink_to(REFERENCE / "layers.py")
    (folder / "notes.py").symlink_to("/dev/zero")
    os.mkfifo(folder / "fifo.py")
    shutil.copy(REFERENCE / "activations.py", folder)
    start = time.monotonic()
    report = grade(folder, COURSE, only=ONLY, time_limit=TIME_LIMIT)
    assert time.monotonic() - start < 60
    linear, relu = (next(c for c in report.components if c.component == name) for name in ONLY)
    assert linear.score == 0, "the symlinked reference was graded"
    assert relu.score == relu.max_score
