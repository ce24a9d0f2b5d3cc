"""Does the class report count what a class got wrong, for exactly the students who got it wrong?

A synthetic class is graded for real: copies of the reference with known mutants planted in
known students, some of whom left out a module. The report must name each planted
misconception for exactly the students who hold it, count each check's failures among the
students who submitted its component, and be rebuilt identically by ``nnlab report``.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from nnlab.exercises.course import load_course
from nnlab.graders.batch import grade_batch
from nnlab.graders.mutants import Mutant, apply, catalogue
from nnlab.graders.reporting.insight.analysis import build
from nnlab.graders.reporting.insight.ids import anonymous_ids
from nnlab.graders.reporting.insight.records import read_folder
from nnlab.graders.reporting.insight.render import to_html
from nnlab.graders.runner import grade

from nnlab.cli import main

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tests" / "gradescope_schema.json").read_text())
# Two components of different modules, so a student can leave one out; mutants whose diagnosis
# is a simulated variant (a stable tag).
COURSE = """
[course]
title = "class insight"
[defaults.points]
api = 1
reference = 4
gradcheck = 2
properties = 1
contracts = 1
[[assignments]]
name = "a1"
[[assignments.components]]
name = "activations.Sigmoid"
[[assignments.components]]
name = "optimizers.SGD"
"""
# Distinctive names: none of them can appear on a page by chance.
PLAN: dict[str, tuple[str, ...]] = {
    "ada_quill": (),
    "ben_quill": (),
    "cy_quill": (),  # leaves out optimizers.py
    "dee_quill": ("sgd-momentum-wrong-sign",),
    "eve_quill": ("sgd-momentum-wrong-sign",),
    "fio_quill": ("sgd-momentum-wrong-sign",),
    "fay_quill": ("sigmoid-missing-factor",),
    "gus_quill": ("sigmoid-missing-factor", "sgd-state-not-kept"),
    "hal_quill": ("sgd-nesterov-ignored",),  # leaves out activations.py
}
LEFT_OUT = {"cy_quill": "optimizers.SGD", "hal_quill": "activations.Sigmoid"}
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def mutants() -> dict[str, Mutant]:
    return {m.id: m for m in catalogue()}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The class, graded by the batch; its reports folder."""
    root = tmp_path_factory.mktemp("class")
    (root / "course.toml").write_text(COURSE)
    course = load_course(root / "course.toml")
    by_id = mutants()
    for student, planted in PLAN.items():
        folder = apply([by_id[m] for m in planted], root / "submissions" / student)
        if student in LEFT_OUT:
            (folder / f"{LEFT_OUT[student].split('.')[0]}.py").unlink()
    grade_batch(root / "submissions", course, root / "reports", jobs=2)
    return root / "reports"


@pytest.fixture(scope="module")
def failed_alone(graded: Path) -> dict[str, set[tuple[str, str, str]]]:
    """Per planted mutant, the checks ``(component, family, name)`` it fails when graded on its own."""
    course = load_course(graded.parent / "course.toml")
    out = {}
    for mutant_id in sorted({m for planted in PLAN.values() for m in planted}):
        folder = apply([mutants()[mutant_id]], graded.parent / "alone" / mutant_id)
        report = grade(folder, course, jobs=1)
        out[mutant_id] = {
            (c.component, check.family, check.outcome.name)
            for c in report.components
            for check in c.checks
            if not check.outcome.passed
        }
    return out


def class_report(folder: Path) -> dict:
    return json.loads((folder / "class-report.json").read_text())


def ids() -> dict[str, str]:
    return anonymous_ids(PLAN)


def report_command(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["report", *args])
    return result.exit_code, result.output


# ------------------------------------------------------------------ what the batch writes
def test_the_batch_writes_the_class_report_beside_the_gradebook(graded: Path) -> None:
    for name in ("class-report.html", "class-report.json", "needs-help.csv", "gradebook.csv"):
        assert (graded / name).is_file(), name
    rows = list(csv.DictReader((graded / "gradebook.csv").open()))
    assert {r["student"]: r["anonymous_id"] for r in rows} == ids()
    assert ids()["ada_quill"] == "student-01" and ids()["hal_quill"] == "student-09"


def test_per_student_results_stay_valid_gradescope_results(graded: Path) -> None:
    for student in PLAN:
        results = json.loads((graded / f"{student}.json").read_text())
        # The top-level max_score is nnlab's known extension (tests/test_reports.py); extra_data is free-form.
        jsonschema.Draft202012Validator(SCHEMA).validate({k: v for k, v in results.items() if k != "max_score"})
        components = [c["component"] for c in results["extra_data"]["checks"]]
        assert components == ["activations.Sigmoid", "optimizers.SGD"]


def test_each_planted_misconception_is_counted_for_exactly_the_students_who_hold_it(graded: Path) -> None:
    found = class_report(graded)["misconceptions"]
    held_by = {m["tag"]: set(m["held_by"]) for m in found}
    for mutant_id in {m for planted in PLAN.values() for m in planted}:
        mutant = mutants()[mutant_id]
        planted = {ids()[s] for s, chosen in PLAN.items() if mutant_id in chosen}
        named = set().union(*(held_by.get(tag, set()) for tag in mutant.expect))
        assert named == planted, (mutant_id, mutant.expect, held_by)
    for m in found:
        assert m["students"] == len(m["held_by"]) == len(set(m["held_by"])), "each student once per misconception"
        assert m["title"] and m["title"] != m["tag"], "a tag is not a title"
        assert 1 <= len(m["examples"]) <= 3
    counts = [m["students"] for m in found]
    assert counts == sorted(counts, reverse=True), "most students first"
    momentum = next(m for m in found if m["tag"] in mutants()["sgd-momentum-wrong-sign"].expect)
    assert momentum["students"] == 3 and momentum["components"] == ["optimizers.SGD"]


def test_check_failure_rates_count_the_students_who_submitted_the_component(
    graded: Path, failed_alone: dict[str, set[tuple[str, str, str]]]
) -> None:
    checks = class_report(graded)["checks"]
    assert len({(c["component"], c["family"], c["name"]) for c in checks}) == len(checks)
    for check in checks:
        key = (check["component"], check["family"], check["name"])
        submitted = [s for s in PLAN if LEFT_OUT.get(s) != check["component"]]
        expected = {ids()[s] for s in submitted if any(key in failed_alone[m] for m in PLAN[s])}
        assert check["attempted"] == len(submitted) == 8
        assert set(check["failed_by"]) == expected, key
        assert check["failure_rate"] == round(len(expected) / 8, 4)
    assert {c["component"] for c in checks if c["failed"]} == {"activations.Sigmoid", "optimizers.SGD"}


def test_scores_count_full_marks_and_missing_submissions_per_component(graded: Path) -> None:
    report = class_report(graded)
    components = {c["component"]: c for c in report["components"]}
    sigmoid, sgd = components["activations.Sigmoid"], components["optimizers.SGD"]
    assert (sigmoid["students"], sigmoid["submitted"], sgd["submitted"]) == (9, 8, 8)
    assert sigmoid["not_submitted_share"] == round(1 / 9, 4)
    assert sigmoid["full_marks"] == 6 and sgd["full_marks"] == 3  # those with no bug in it
    assert sum(sigmoid["histogram"]) == 8 and sigmoid["histogram"][-1] == 6
    (a1,) = report["assignments"]
    assert a1["submitted"] == 9 and a1["full_marks"] == 2 and sum(a1["histogram"]) == 9


def test_a_submission_that_cannot_be_graded_is_a_failed_row_and_its_file_names_stay_off_the_page(
    tmp_path: Path,
) -> None:
    (tmp_path / "course.toml").write_text(COURSE)
    submissions = tmp_path / "submissions"
    apply([], submissions / "ada_quill")
    (submissions / "zed_quill.zip").write_bytes(b"not a zip")
    (submissions / "kim_quill").mkdir()  # a folder holding a broken notebook named after its student
    (submissions / "kim_quill" / "kim_quill_homework.ipynb").write_text("{oops")
    grade_batch(submissions, load_course(tmp_path / "course.toml"), tmp_path / "reports")
    page = (tmp_path / "reports" / "class-report.html").read_text()
    assert "quill" not in page + (tmp_path / "reports" / "class-report.json").read_text()
    rows = {(c["component"], c["name"]): c for c in class_report(tmp_path / "reports")["checks"]}
    # Every rubric row of the two that could not be graded is a failed attempt (ada passes each).
    sgd = [row for (component, _), row in rows.items() if component == "optimizers.SGD"]
    assert len(sgd) > 1 and all((row["attempted"], row["failed"]) == (3, 2) for row in sgd), sgd


# ------------------------------------------------------------------ nnlab report
def test_nnlab_report_rebuilds_the_batch_report_without_regrading(graded: Path, tmp_path: Path) -> None:
    code, output = report_command(str(graded), "-o", str(tmp_path))
    assert code == 0, output
    assert (tmp_path / "class-report.json").read_bytes() == (graded / "class-report.json").read_bytes()
    assert (tmp_path / "needs-help.csv").read_bytes() == (graded / "needs-help.csv").read_bytes()
    assert not list(tmp_path.glob("*_quill*")), "nothing but the class report is written"


def test_the_page_shows_anonymous_ids_unless_names_are_asked_for(graded: Path, tmp_path: Path) -> None:
    page = (graded / "class-report.html").read_text()
    text = page + (graded / "class-report.json").read_text()
    assert not [s for s in PLAN if s in text], "no student's name by default"
    assert "student-04" in page and "def step" not in page and "import numpy" not in page
    code, output = report_command(str(graded), "-o", str(tmp_path), "--names")
    assert code == 0, output
    named = (tmp_path / "class-report.html").read_text()
    assert "dee_quill" in named and "student-04" not in named


def test_needs_help_lists_the_students_below_the_threshold_with_their_weakest_component(
    graded: Path, tmp_path: Path
) -> None:
    gradebook = {
        r["student"]: float(r["score"]) / float(r["max_score"])
        for r in csv.DictReader((graded / "gradebook.csv").open())
    }
    for threshold, share in (("0.85", 0.85), ("85%", 0.85), ("60", 0.6)):
        code, output = report_command(str(graded), "-o", str(tmp_path), "--threshold", threshold)
        assert code == 0, output
        rows = list(csv.DictReader((tmp_path / "needs-help.csv").open()))
        assert {r["student"] for r in rows} == {s for s, v in gradebook.items() if v < share}, threshold
        assert [float(r["percent"]) for r in rows] == sorted(float(r["percent"]) for r in rows)
        assert all(r["anonymous_id"] == ids()[r["student"]] for r in rows)
    hal = next(r for r in rows if r["student"] == "hal_quill")
    assert (hal["weakest_component"], hal["weakest_component_submitted"]) == ("activations.Sigmoid", "no")


def test_compare_shows_each_misconception_before_and_after(graded: Path, tmp_path: Path) -> None:
    after = tmp_path / "after"  # the class again, with two of the three momentum students now right
    after.mkdir()
    for student in PLAN:
        source = "ada_quill" if student in ("dee_quill", "eve_quill") else student
        shutil.copy(graded / f"{source}.json", after / f"{student}.json")
    code, output = report_command(str(after), "--compare", str(graded))
    assert code == 0, output
    compared = class_report(after)["compare"]
    assert (compared["before_students"], compared["after_students"]) == (9, 9)
    changes = {c["tag"]: (c["before"], c["after"]) for c in compared["misconceptions"]}
    (momentum,) = mutants()["sgd-momentum-wrong-sign"].expect
    (missing_factor,) = mutants()["sigmoid-missing-factor"].expect
    assert changes[momentum] == (3, 1) and changes[missing_factor] == (2, 2)
    assert "Before and after" in (after / "class-report.html").read_text()


@pytest.mark.parametrize(
    "make, message",
    [
        pytest.param(lambda d: d / "nope", "no such folder", id="missing folder"),
        pytest.param(lambda d: (d / "f.txt").write_text("x") and d / "f.txt", "not a folder", id="a file"),
        pytest.param(lambda d: d, "holds no reports", id="empty folder"),
        pytest.param(lambda d: (d / "s.json").write_text("{oops") and d, "not valid JSON", id="malformed JSON"),
        pytest.param(lambda d: (d / "s.json").write_text('{"tests": []}') and d, "no per-check", id="old report"),
        pytest.param(lambda d: (d / "s.json").write_text("[1]") and d, "not a student's results", id="not results"),
    ],
)
def test_bad_input_is_one_line_with_exit_status_2(tmp_path: Path, make, message: str) -> None:  # noqa: ANN001
    folder = make(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, output = report_command(str(folder))
    lines = output.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("nnlab: error: ") and message in lines[0], output
    assert "expected" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == before, "nothing is written"


def test_bad_options_are_one_line_and_a_file_is_never_written_over(graded: Path, tmp_path: Path) -> None:
    code, output = report_command(str(graded), "--threshold", "150%")
    assert code == 2 and "expected a fraction" in output and len(output.strip().splitlines()) == 1
    mine = tmp_path / "mine.txt"
    mine.write_text("keep me")
    code, output = report_command(str(graded), "-o", str(mine))
    assert code == 2 and "not a folder" in output and mine.read_text() == "keep me"
    code, output = report_command(str(graded), "--compare", str(tmp_path / "nope"))
    assert code == 2 and "no such folder" in output


def test_without_matplotlib_the_page_is_written_and_says_the_charts_are_left_out(
    graded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` raises ImportError
    page = to_html(build(read_folder(graded)))
    assert "<img " not in page and "Chart not drawn: matplotlib is not installed" in page


# ------------------------------------------------------------------ a real browser
def test_the_page_renders_in_a_real_browser_with_every_figure_shown(graded: Path, tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    page = (graded / "class-report.html").read_text()
    assert page.count("<img ") >= 2  # the misconceptions and the assignment's histogram
    # A copy whose policy also runs one inline script: it records errors and every image's size.
    probe = page.replace("style-src 'unsafe-inline'\">", "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">")
    probe = probe.replace("<head>", "<head><script>" + PROBE + "</script>", 1)
    assert "script-src" in probe and PROBE in probe, "the page's policy or head changed: update the probe"
    (tmp_path / "page.html").write_text(probe)
    result = subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            "--dump-dom",
            (tmp_path / "page.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, console
    found = result.stdout.split('<pre id="nnlab-probe">', 1)[-1].split("</pre>", 1)[0]
    probed = json.loads(found.replace("&quot;", '"'))
    assert probed["errors"] == []
    assert len(probed["images"]) == page.count("<img ")
    assert all(complete and width > 0 and height > 0 for complete, width, height in probed["images"]), probed


PROBE = """
const errors = [];
window.addEventListener("error", e => errors.push(String(e.message || e.type)), true);
document.addEventListener("securitypolicyviolation", e => errors.push("CSP: " + e.violatedDirective));
window.addEventListener("load", () => {
  const images = [...document.images].map(i => [i.complete, i.naturalWidth, i.naturalHeight]);
  const out = document.createElement("pre");
  out.id = "nnlab-probe";
  out.textContent = JSON.stringify({errors, images});
  document.body.appendChild(out);
});
"""
