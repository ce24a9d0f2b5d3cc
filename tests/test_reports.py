"""Does every report format say the same thing, safely: html, junit, Gradescope json and csv?

Reports are built by hand (no grading), with every status, a component with a note, both
kinds of figure, and hostile strings where a student controls the text.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from nnlab.exercises.course import load_course
from nnlab.graders.reporting import gradescope, html, junit
from nnlab.graders.results import (
    ERROR,
    FAILED,
    NOT_IMPLEMENTED,
    NOT_SUBMITTED,
    PASSED,
    ComponentReport,
    Outcome,
    Report,
    ScoredCheck,
)

from nnlab.cli import _render, main

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tests" / "gradescope_schema.json").read_text())
HOSTILE = '<script>alert("pwned")</script> ]]> &amp; <img src=x onerror=alert(1)> \x1b[31mred\x1b[0m \x00'
STUB = "not implemented (the stub still raises NotImplementedError)"
MISSING = "not submitted (layers.py has no Dropout)"
ERROR_MAP = {
    "error_map": {"title": "where the output is wrong (|yours - expected|)", "values": [[0.0, 0.5], [2.0, 0.0]]}
}
LOSS_CURVES = {
    "loss_curves": {
        "title": "training loss: a small MLP",
        "yours": [2.3, 2.9, float("nan")],
        "reference": [2.3, 1.1, 0.4],
    }
}
# Keys nnlab writes that the published spec does not list (Gradescope ignores unknown keys):
# the top-level max_score, which the gradebook reads.
EXTENSIONS = {"max_score"}
HINTS = {"layers.Linear": "dW sums over the batch <b>", "activations.ReLU": "mask where x > 0"}


def _check(
    component: str,
    family: str,
    name: str,
    status: str,
    points: float,
    feedback: str = "",
    misconception: str = "",
    figures: dict | None = None,
) -> ScoredCheck:
    outcome = Outcome(name, status, feedback, misconception, figures or {})
    return ScoredCheck(component, family, outcome, points if status == PASSED else 0.0, points)


def make_report() -> Report:
    """Six components: every status, a note, both figures, student-controlled text everywhere."""
    linear = ComponentReport(
        "layers.Linear",
        "a3-backprop",
        [
            _check("layers.Linear", "api", "constructor signature", PASSED, 1),
            _check(
                "layers.Linear",
                "forward",
                "forward: batch 4",
                FAILED,
                2,
                f"output differs: {HOSTILE}",
                "transposed-weight",
                ERROR_MAP,
            ),
            _check("layers.Linear", "backward", "backward: batch 4", ERROR, 2, "timed out after 10 s in backward"),
        ],
        output=f"debug print {HOSTILE}",
    )
    sequential = ComponentReport(
        "models.Sequential",
        "a3-backprop",
        [
            _check(
                "models.Sequential",
                "convergence",
                "trains a small MLP",
                FAILED,
                3,
                "reached 12.0% accuracy; the reference reaches 95.0%",
                "does-not-train",
                LOSS_CURVES,
            ),
        ],
    )
    relu = ComponentReport(
        "activations.ReLU",
        "a2-neurons",
        [
            _check("activations.ReLU", "forward", "forward", NOT_IMPLEMENTED, 1, STUB),
            _check("activations.ReLU", "backward", "backward", NOT_IMPLEMENTED, 1, STUB),
        ],
        note=STUB,
    )
    dropout = ComponentReport(
        "layers.Dropout",
        "a7-cnn",
        [
            _check("layers.Dropout", "api", "constructor signature", NOT_SUBMITTED, 1, MISSING),
        ],
        note=MISSING,
    )
    flatten = ComponentReport(
        "layers.Flatten",
        "a7-cnn",
        [
            _check("layers.Flatten", "forward", "forward", PASSED, 2),
            _check("layers.Flatten", "backward", "backward", PASSED, 3),
        ],
    )
    return Report(
        "student <b>42</b>",
        7,
        [flatten, linear, sequential, relu, dropout],
        execution_time=3.25,
        protections=["each component in its own process"],
        notes=[f"submission note {HOSTILE}"],
    )


def _matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------------------------- html
@pytest.fixture(scope="module")
def page() -> str:
    """The page of make_report(), rendered once (drawing plots is the slow part)."""
    return html.render(make_report(), HINTS)


def test_html_lists_failures_first_with_feedback_hint_and_output(page: str) -> None:
    rows = re.findall(r"<tr><td>(?:<a [^>]*>)?([\w.]+)", page)
    assert rows[-1] == "layers.Flatten" and len(rows) == 5, rows  # the only full score comes last
    for text in (
        "timed out after 10 s in backward",
        "dW sums over the batch &lt;b&gt;",
        "debug print",
        "2 of 3 checks failed",
        "1 / 5",
    ):
        assert text in page, text
    assert page.count(STUB) == 2  # in the table and in its section, not once per check
    # Internal diagnosis labels are for the graders' tests; students read the sentence.
    assert "transposed-weight" not in page and "does-not-train" not in page
    assert "mask where x &gt; 0" not in page  # hints go with failed checks, not with a missing stub


def test_html_escapes_everything_a_student_controls(page: str) -> None:
    assert "<script" not in page and "<img src=x" not in page and "<b>42" not in page
    assert "&lt;script&gt;alert(" in page and "student &lt;b&gt;42&lt;/b&gt;" in page
    assert "\x1b" not in page and "\x00" not in page  # colour codes dropped, NUL shown as \x00
    assert "&amp;amp;" in page  # the student's literal "&amp;" stays literal


def test_html_is_self_contained(page: str) -> None:
    tags = re.findall(r"<[a-zA-Z][^>]*>", page)  # real tags: escaped text has no bare "<"
    attribute = re.compile(r"""(?:src|href)\s*=\s*["']?([^"'\s>]*)""")
    links = [link for tag in tags for link in attribute.findall(tag)]
    assert links and all(link.startswith(("data:", "#")) for link in links), links
    assert not re.search(r"<link|<script|@import|url\(|@font-face", page, re.IGNORECASE)
    assert "default-src 'none'" in page  # the browser refuses anything else too


@pytest.mark.skipif(not _matplotlib(), reason="matplotlib (the plots extra) is not installed")
def test_html_embeds_both_plots_as_png_without_metadata(page: str) -> None:
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) == 2
    for image in images:
        png = base64.b64decode(image)
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert not {b"tEXt", b"iTXt", b"zTXt", b"tIME"} & set(_chunks(png))  # no version, no date
    assert "where the output is wrong" in page and "training loss: a small MLP" in page


def _chunks(png: bytes) -> list[bytes]:
    kinds, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kinds.append(png[at + 4 : at + 8])
        at += 12 + length
    return kinds


def test_html_is_the_same_for_the_same_report(page: str) -> None:
    assert html.render(make_report(), HINTS) == page


def test_html_without_matplotlib_renders_and_says_the_plots_are_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` raises ImportError
    page = html.render(make_report(), HINTS)
    assert "data:image" not in page
    assert "2 plot(s) left out: matplotlib is not installed" in page
    assert "timed out after 10 s in backward" in page


@pytest.mark.skipif(not _matplotlib(), reason="matplotlib (the plots extra) is not installed")
def test_a_malformed_figure_costs_its_picture_not_the_page() -> None:
    report = make_report()
    bad = _check(
        "layers.Linear",
        "forward",
        "forward: empty",
        FAILED,
        1,
        "wrong",
        figures={"error_map": {"title": "nothing", "values": []}},
    )
    report.components[1].checks.append(bad)
    page = html.render(report, HINTS)
    assert "Plot “nothing” not shown: could not be drawn (ValueError" in page
    assert page.count("data:image/png") == 2


# --------------------------------------------------------------------------------- junit
def test_junit_is_valid_xml_with_a_suite_per_component_and_a_case_per_check() -> None:
    report = make_report()
    root = ET.fromstring(junit.render(report, HINTS, granularity="check"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [c.component for c in report.components]
    for suite, component in zip(suites, report.components, strict=True):
        cases = suite.findall("testcase")
        assert [(c.get("classname"), c.get("name")) for c in cases] == [
            (component.component, check.outcome.name) for check in component.checks
        ]
        errors = sum(c.outcome.status == ERROR for c in component.checks)
        failures = sum(c.outcome.status not in (PASSED, ERROR) for c in component.checks)
        assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == (
            str(len(cases)),
            str(failures),
            str(errors),
        )
        assert len(suite.findall("testcase/failure")) == failures
        assert len(suite.findall("testcase/error")) == errors
        properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert float(properties["score"]) == component.score
        assert float(properties["max_score"]) == component.max_score
    assert root.get("tests") == "9" and root.get("failures") == "5" and root.get("errors") == "1"
    assert not root.findall(".//skipped")


def test_junit_failures_carry_the_feedback_and_hostile_text_survives_intact() -> None:
    root = ET.fromstring(junit.render(make_report(), HINTS, granularity="check"))
    failure = root.find(".//testcase[@name='forward: batch 4']/failure")
    assert failure.get("type") == FAILED
    assert failure.get("message").startswith("output differs: <script>")
    assert '<script>alert("pwned")</script> ]]> &amp;' in failure.text
    assert failure.text.endswith("Hint: dW sums over the batch <b>")
    error = root.find(".//testcase[@name='backward: batch 4']/error")
    assert error.get("message") == "timed out after 10 s in backward"
    assert "\\x1b[31mred" in root.find("testsuite[@name='layers.Linear']/system-out").text
    note = root.find("testsuite[@name='activations.ReLU']//property[@name='note']")
    assert note.get("value") == STUB


# ------------------------------------------------------------------------- gradescope json
def test_gradescope_json_validates_against_the_published_spec() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    data = json.loads(gradescope.render(make_report(), HINTS))
    assert set(data) - set(SCHEMA["properties"]) <= EXTENSIONS
    published = {k: v for k, v in data.items() if k not in EXTENSIONS}
    jsonschema.Draft202012Validator(SCHEMA).validate(published)
    assert len(data["tests"]) == 9


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"status": "error"}, id="status is only passed or failed"),
        pytest.param({"visibility": "public"}, id="unknown visibility"),
        pytest.param({"score": "5"}, id="score is a number"),
        pytest.param({"max_points": 1}, id="misspelt key"),
    ],
)
def test_the_schema_rejects_what_the_spec_does_not_allow(change: dict) -> None:
    data = json.loads(gradescope.render(make_report(), HINTS))
    data = {k: v for k, v in data.items() if k not in EXTENSIONS}
    data["tests"][0].update(change)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(data)


# ----------------------------------------------------------------------------------- csv
def test_csv_is_a_one_row_gradebook_with_a_column_per_assignment_and_component() -> None:
    course = load_course()
    rows = list(csv.reader(io.StringIO(_render(make_report(), course, "csv", None))))
    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert len(rows) == 2
    assert header == [
        "student",
        "score",
        "max_score",
        *[a.name for a in course.assignments],
        *[e.name for _, e in course.entries()],
    ]
    assert (row["student"], row["score"], row["max_score"]) == ("student <b>42</b>", "6", "16")
    assert (row["a7-cnn"], row["layers.Linear"], row["activations.ReLU"]) == ("5", "1", "0")


# ----------------------------------------------------------------------------- end to end
@pytest.mark.parametrize("fmt", ["html", "junit", "csv"])
def test_grading_the_reference_reports_full_marks_in_every_format(fmt: str) -> None:
    args = ["grade", str(ROOT / "reference"), "--only", "layers.Flatten", "--format", fmt]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    out = result.output
    if fmt == "html":
        assert out.startswith("<!doctype html>") and "layers.Flatten" in out
        assert "all checks passed" in out
    elif fmt == "junit":
        root = ET.fromstring(out)
        assert int(root.get("tests")) > 0 and root.get("failures") == root.get("errors") == "0"
        assert {s.get("name") for s in root.findall("testsuite")} == {"layers.Flatten"}
    else:
        header, row = list(csv.reader(io.StringIO(out)))
        record = dict(zip(header, row, strict=True))
        score, max_score = float(record["score"]), float(record["max_score"])
        assert score == max_score == float(record["layers.Flatten"]) > 0


# ---------------------------------------------------------------------- readable rows
def _missing_course_report() -> Report:
    """Every component of the course graded on an empty folder: every check, none submitted."""
    from nnlab.graders.runner import grade_component

    course = load_course()
    empty = Path(__file__).resolve().parent  # holds no API module
    components = [grade_component(empty, a, entry, 0, make_session=None) for a, entry in course.entries()]
    return Report("nobody", 0, components)


def test_a_full_course_is_about_two_hundred_family_rows_not_a_thousand_checks() -> None:
    report = _missing_course_report()
    checks = sum(len(c.checks) for c in report.components)
    families = {(c.component, check.family) for c in report.components for check in c.checks}
    data = gradescope.to_gradescope(report, HINTS)
    assert checks > 1000
    # A row per component and family: 236 rows for the built-in course's 46 components (about 1,100
    # checks); the bound leaves room for a few more components, not for a row per check.
    assert len(data["tests"]) == len(families) <= 250
    assert checks >= 4 * len(data["tests"])
    assert len(gradescope.to_gradescope(report, HINTS, granularity="component")["tests"]) == len(report.components)
    assert len(gradescope.to_gradescope(report, HINTS, granularity="check")["tests"]) == checks
    assert abs(sum(t["max_score"] for t in data["tests"]) - data["max_score"]) < 1e-3


def test_family_rows_have_stable_names_and_list_the_failed_checks() -> None:
    report = make_report()
    data = gradescope.to_gradescope(report, HINTS)
    names = [t["name"] for t in data["tests"]]
    assert "layers.Linear: API" in names and "layers.Linear: forward" in names
    assert "models.Sequential: convergence" in names
    linear_api = next(t for t in data["tests"] if t["name"] == "layers.Linear: API")
    assert linear_api["status"] == "passed" and linear_api["output"] == "" and linear_api["score"] == 1
    relu = next(t for t in data["tests"] if t["name"] == "activations.ReLU: forward")
    assert relu["status"] == "failed" and STUB in relu["output"]
    # The same names whether the component passed or was missing.
    missing = {t["name"] for t in gradescope.to_gradescope(_missing_course_report())["tests"]}
    passed_names = {
        t["name"]
        for t in json.loads(
            CliRunner()
            .invoke(main, ["grade", str(ROOT / "reference"), "--only", "layers.Flatten", "--format", "json"])
            .output
        )["tests"]
    }
    assert passed_names and passed_names <= missing


def test_a_row_of_several_failed_checks_lists_each_with_its_feedback() -> None:
    report = make_report()
    report.components[1].checks.append(
        _check("layers.Linear", "forward", "forward: batch 1", FAILED, 1, "output differs at [0, 0]")
    )
    row = next(t for t in gradescope.to_gradescope(report, HINTS)["tests"] if t["name"] == "layers.Linear: forward")
    lines = row["output"].splitlines()
    assert lines[0] == "2 of 2 checks failed:"
    assert (
        lines[1].startswith("- forward: batch 4: output differs")
        and lines[2] == "- forward: batch 1: output differs at [0, 0]"
    )
    assert lines[-1] == "Hint: dW sums over the batch <b>"
    assert row["score"] == 0 and row["max_score"] == 3


def test_hidden_inputs_take_the_course_hidden_visibility_and_hide_the_seed() -> None:
    from nnlab.exercises.course import GradescopeSettings

    settings = GradescopeSettings(visibility="visible", hidden_visibility="after_due_date")
    report = make_report()
    report.components[1].checks.append(_check("layers.Linear", "reference", "forward: vs reference", PASSED, 1))
    data = gradescope.to_gradescope(report, HINTS, settings=settings, hidden_inputs=True)
    hidden = [t["name"] for t in data["tests"] if t.get("visibility") == "after_due_date"]
    assert hidden == ["layers.Linear: matches the reference"]
    assert "seed" not in data["extra_data"] and "seed 7" not in data["output"]
    shown = gradescope.to_gradescope(report, HINTS, settings=settings)
    assert not [t for t in shown["tests"] if "visibility" in t] and shown["extra_data"]["seed"] == 7


def test_junit_family_rows_are_a_case_per_family_with_the_failed_checks() -> None:
    root = ET.fromstring(junit.render(make_report(), HINTS))
    linear = root.find("testsuite[@name='layers.Linear']")
    assert [c.get("name") for c in linear.findall("testcase")] == ["API", "forward", "backward"]
    assert linear.find("testcase[@name='backward']/error") is not None
    assert root.get("tests") == "9"


# ------------------------------------------------------------------------ grouping by mistake
CAUSE = "Cause: the gradient was not divided by the batch size N = 4."
TWIN = "Backward is not the derivative of forward."


def _scored(name: str, family: str, feedback: str = "", tag: str = "", confidence: str = "") -> ScoredCheck:
    outcome = Outcome(name, FAILED, feedback, tag, {}, confidence)
    return ScoredCheck("losses.MSELoss", family, outcome, 0.0, 1.0)


def one_mistake_report() -> Report:
    """One backward bug on two cases (a reference check and its gradient-check twin each), plus an
    unrelated property failure and a check with a weaker explanation of the same tag."""
    checks = [
        ScoredCheck("losses.MSELoss", "api", Outcome("constructor signature", PASSED), 1.0, 1.0),
        _scored(
            "gradient check: (N, D)", "gradcheck", f"the gradient: backward says 2 at index (0, 1). {TWIN}", "gradcheck"
        ),
        _scored(
            "backward: (N, D)",
            "reference",
            "the gradient: expected 0.5, got 2. Looks like: a sum (not confirmed).",
            "grad-times-batch-size",
            "looks like",
        ),
        _scored(
            "backward: vector",
            "reference",
            f"the gradient: expected 0.25, got 1. {CAUSE}",
            "grad-times-batch-size",
            "is",
        ),
        _scored(
            "gradient check: vector", "gradcheck", f"the gradient: backward says 1 at index (2,). {TWIN}", "gradcheck"
        ),
        _scored(
            "forward and backward do not modify their arguments",
            "contracts",
            "backward changed grad_y in place.",
            "modifies-input",
            "is",
        ),
    ]
    return Report("student", 0, [ComponentReport("losses.MSELoss", "a2", checks)])


def test_one_mistake_is_one_group_led_by_its_confirmed_cause() -> None:
    from nnlab.graders.reporting.grouping import groups

    found = groups(one_mistake_report().components[0])
    names = [[item.check.outcome.name for item in group.items] for group in found]
    # "is" leads its group, before "looks like", then the gradient checks they explain, in the same order.
    assert names[0] == ["backward: vector", "backward: (N, D)", "gradient check: vector", "gradient check: (N, D)"]
    assert names[1:] == [["forward and backward do not modify their arguments"]]
    assert found[0].heading == f"4 failed checks, one mistake. {CAUSE}"
    assert found[1].heading == ""  # a lone check needs no heading


def test_a_gradient_check_twin_says_same_mistake_instead_of_an_arbitrary_index() -> None:
    from nnlab.graders.reporting import text

    rendered = text.render(one_mistake_report(), color=False, width=400)
    assert "Same mistake as 'backward: (N, D)' above." in rendered
    assert "Same mistake as 'backward: vector' above." in rendered
    assert TWIN not in rendered and "backward says" not in rendered
    assert rendered.count(CAUSE) == 2  # the heading and its row
    assert rendered.index(CAUSE) < rendered.index("Looks like") < rendered.index("modify their arguments")
    page = html.render(one_mistake_report())
    assert TWIN not in page and "Same mistake as &#39;backward: vector&#39; above." in page
    assert page.count('<div class="mistake">') == 1


def test_a_gradient_check_with_its_own_finding_or_no_failed_twin_keeps_its_feedback() -> None:
    from nnlab.graders.reporting.grouping import groups

    report = one_mistake_report()
    checks = report.components[0].checks
    checks[2] = ScoredCheck("losses.MSELoss", "reference", Outcome("backward: (N, D)", PASSED), 1.0, 1.0)
    own = "gradient of `bias`: forward does not use `bias`."
    checks[4] = _scored("gradient check: vector", "gradcheck", own, "forward-ignores-parameter", "is")
    items = [item for group in groups(report.components[0]) for item in group.items]
    feedback = {item.check.outcome.name: item.feedback for item in items}
    assert TWIN in feedback["gradient check: (N, D)"]  # its reference passed: the index is all there is
    assert feedback["gradient check: vector"] == own


def test_no_internal_tag_reaches_the_student_in_text_or_html() -> None:
    from nnlab.graders.reporting import text

    report = one_mistake_report()
    tags = {c.outcome.misconception for c in report.components[0].checks} - {""}
    for rendered in (text.render(report, color=False, width=400), html.render(report)):
        assert not [tag for tag in tags if tag in rendered]
    # Check families read as words, not as their internal names.
    assert "(gradient check)" in text.render(report, color=False, width=400)


def test_row_names_do_not_change_with_grouping() -> None:
    report = one_mistake_report()
    names = [t["name"] for t in gradescope.to_gradescope(report, {})["tests"]]
    assert names == [
        "losses.MSELoss: API",
        "losses.MSELoss: gradient check",
        "losses.MSELoss: matches the reference",
        "losses.MSELoss: contracts",
    ]
