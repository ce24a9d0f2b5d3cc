"""Can a course's own component declare every field of a catalogue entry, and do the fields take effect?

A small course (components/extra.py and extra.toml) holds ``extra.Logistic`` (the logistic
function, declaring ``formula = "sigmoid"``, an invariant, a domain, extremes with limits and a
convergence network), ``extra.Swish`` (``x * logistic(x)``, which ``builds_on`` Logistic) and
``extra.Scale`` (a layer whose weight is drawn as its ``param_draws`` say).
Established here:

* the entry's fields reach the component: the invariant and convergence rows are graded, and the
  reference scores full marks on every row;
* ``formula`` borrows the diagnosis of nnlab's Sigmoid: a known sigmoid mistake is named with the
  tag nnlab's Sigmoid gets, and without the formula it is not;
* ``builds_on`` between two of the course's own components says where to start fixing;
* a malformed value of any field is a one-line error naming the file, the key and what was expected,
  while a ``formula`` no diagnosis table knows is accepted (nothing is simulated for it).
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from evidence import failures, lost_points, tags_of
from nnlab.exercises.components import CATALOGUE, Case, Component
from nnlab.exercises.course import CourseError
from nnlab.exercises.entries import CASE_KEYS, ENTRY_KEYS
from nnlab.graders.courses import RUBRIC, load_course
from nnlab.graders.runner import grade

LOGISTIC, SWISH = "extra.Logistic", "extra.Swish"
ENTRY = "components/extra.toml"
SOURCE = "components/extra.py"

COURSE = {
    "course.toml": '[course]\nassignments = ["a1"]\n[defaults.points]\napi = 1\nreference = 4\ngradcheck = 2\n'
    "contracts = 1\n",
    "a1/assignment.toml": 'name = "a1"\n[[components]]\nname = "extra.Logistic"\npoints = { api = 1, reference = 4, '
    "gradcheck = 2, properties = 1, contracts = 1, convergence = 1 }\n"
    '[[components]]\nname = "extra.Swish"\n[[components]]\nname = "extra.Scale"\n',
    ENTRY: """
[Logistic]
kind = "activation"
formula = "sigmoid"
kinks = []
invariants = [{ statement = "logistic(-x) = 1 - logistic(x)", relation = "f(-x) = 1 - f(x)" }]
domain = { low = -30.0, high = 30.0 }
extremes = { limits = [[1000.0, 1.0], [-1000.0, 0.0]] }
convergence = { data = "spirals", epochs = 150, lr = 0.03, description = "an MLP 2-32-3 with your Logistic", \
network = [{ name = "layers.Linear", args = [2, 32] }, { name = "extra.Logistic" }, \
{ name = "layers.Linear", args = [32, 3] }] }
cases = [{ id = "batch", input_shape = [4, 5] }, { id = "large inputs", input_shape = [3, 6], scale = 6.0 }]

[Swish]
kind = "activation"
builds_on = { component = "extra.Logistic", how = "keeps a Logistic for x * logistic(x)" }
cases = [{ id = "batch", input_shape = [4, 5] }, { id = "images", input_shape = [2, 3, 4, 5] }]

[Scale]
kind = "layer"
params = ["weight"]
param_draws = { weight = { distribution = "uniform", low = 0.5, high = 1.0 } }
cases = [{ id = "4 features", kwargs = { num_features = 4 }, input_shape = [5, 4] }]
""",
    SOURCE: """
import numpy as np

from .base import Module, Parameter, as_float_array


class Logistic(Module):
    def forward(self, x):
        x = as_float_array(x)
        ### BEGIN SOLUTION
        z = np.exp(-np.abs(x))
        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
        return self._y
        ### END SOLUTION

    def backward(self, grad_y):
        ### BEGIN SOLUTION
        return grad_y * self._y * (1.0 - self._y)
        ### END SOLUTION


class Swish(Module):
    def __init__(self):
        super().__init__()
        self.logistic = Logistic()

    def forward(self, x):
        x = as_float_array(x)
        ### BEGIN SOLUTION
        self._x, self._s = x, self.logistic.forward(x)
        return x * self._s
        ### END SOLUTION

    def backward(self, grad_y):
        ### BEGIN SOLUTION
        return grad_y * self._s + self._x * self.logistic.backward(grad_y)
        ### END SOLUTION


class Scale(Module):
    # y = x * weight, one weight per feature

    def __init__(self, num_features):
        super().__init__()
        self.weight = Parameter(np.ones(num_features))

    def forward(self, x):
        ### BEGIN SOLUTION
        self._x = as_float_array(x)
        return self._x * self.weight.data
        ### END SOLUTION

    def backward(self, grad_y):
        ### BEGIN SOLUTION
        self.weight.grad += (grad_y * self._x).sum(axis=0)
        return grad_y * self.weight.data
        ### END SOLUTION
""",
}
MISSING_FACTOR = ("        return grad_y * self._y * (1.0 - self._y)\n", "        return grad_y * self._y\n")


def _course(folder: Path, edits: tuple[tuple[str, str, str], ...] = ()) -> Path:
    """Write the course into ``folder``, with ``(file, old, new)`` edits (each ``old`` exactly once)."""
    for relative, text in COURSE.items():
        for file, old, new in edits:
            if file == relative:
                assert text.count(old) == 1, (file, old)
                text = text.replace(old, new)
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")
    return folder / "course.toml"


def _graded(tmp_path: Path, course_edits=(), submission_edit: tuple[str, str] | None = None):  # noqa: ANN001, ANN202
    course = load_course(_course(tmp_path / "course", course_edits))
    source = COURSE[SOURCE]
    if submission_edit is not None:
        assert source.count(submission_edit[0]) == 1
        source = source.replace(*submission_edit)
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "extra.py").write_text(source, encoding="utf-8")
    return course, grade(tmp_path / "submission", course, isolate=False, seed=0)


def test_the_fields_reach_the_component_and_the_reference_scores_full_marks(tmp_path: Path) -> None:
    course, report = _graded(tmp_path)
    logistic = course.component(LOGISTIC)
    assert logistic.formula == "sigmoid" and logistic.domain.low == -30.0
    assert logistic.extremes is not None and logistic.extremes.limits == ((1000.0, 1.0), (-1000.0, 0.0))
    assert logistic.convergence is not None and [layer.name for layer in logistic.convergence.network][1] == LOGISTIC
    assert course.component(SWISH).builds_on == (LOGISTIC, "keeps a Logistic for x * logistic(x)")
    assert course.component("extra.Scale").param_draws[0][1].low == 0.5
    (logistic_report,) = [c for c in report.components if c.component == LOGISTIC]
    rows = {check.outcome.name: check.family for check in logistic_report.checks}
    assert rows.get("invariants: logistic(-x) = 1 - logistic(x)") == "properties", sorted(rows)
    assert "convergence" in rows.values(), sorted(rows)
    assert report.score == report.max_score > 0, failures(report)


def test_the_declared_invariant_catches_a_forward_that_breaks_it(tmp_path: Path) -> None:
    """Forward without its x < 0 branch gives f(|x|): f(-x) = 1 - f(x) fails, on the entry's own rubric line."""
    mirrored = ("np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))", "1.0 / (1.0 + z)")
    _, report = _graded(tmp_path, (), mirrored)
    (logistic,) = [c for c in report.components if c.component == LOGISTIC]
    failed = {check.outcome.name for check in logistic.checks if not check.outcome.passed}
    assert "invariants: logistic(-x) = 1 - logistic(x)" in failed, failed


def test_a_formula_borrows_the_diagnosis_of_nnlabs_component(tmp_path: Path) -> None:
    """Sigmoid's backward written as y instead of y(1 - y): named as for nnlab's Sigmoid, only with the formula."""
    _, named = _graded(tmp_path / "with", (), MISSING_FACTOR)
    assert "sigmoid-missing-factor" in tags_of(named, LOGISTIC), failures(named)
    without = ((ENTRY, 'formula = "sigmoid"\n', ""),)
    _, unnamed = _graded(tmp_path / "without", without, MISSING_FACTOR)
    assert LOGISTIC in lost_points(unnamed) and "sigmoid-missing-factor" not in tags_of(unnamed, LOGISTIC)


def test_builds_on_between_a_courses_own_components_says_where_to_start(tmp_path: Path) -> None:
    _, report = _graded(tmp_path, (), MISSING_FACTOR)
    assert {LOGISTIC, SWISH} <= set(lost_points(report)), failures(report)
    assert any(note.startswith(f"{SWISH} lost points") and "your extra.Logistic" in note for note in report.notes), (
        report.notes
    )


def test_a_formula_no_table_knows_is_accepted(tmp_path: Path) -> None:
    course = load_course(_course(tmp_path, ((ENTRY, 'formula = "sigmoid"', 'formula = "logistic-of-my-own"'),)))
    assert course.component(LOGISTIC).formula == "logistic-of-my-own"


def _swap(old: str, new: str) -> tuple[tuple[str, str, str], ...]:
    return ((ENTRY, old, new),)


LAYER = 'kind = "layer"\nparams'
MALFORMED = [
    pytest.param(_swap('formula = "sigmoid"', "formula = 3"), "[Logistic].formula", "a string", id="formula type"),
    pytest.param(_swap('formula = "sigmoid"', 'formulas = "x"'), "[Logistic].formulas", "a known key", id="unknown"),
    pytest.param(
        _swap('component = "extra.Logistic"', 'component = "extra.Logistik"'),
        "[Swish].builds_on.component",
        "a component of nnlab or of the course's components/",
        id="builds_on unknown",
    ),
    pytest.param(
        _swap('component = "extra.Logistic"', 'component = "extra.Swish"'),
        "[Swish].builds_on.component",
        "(not itself)",
        id="builds_on itself",
    ),
    pytest.param(
        _swap(LAYER, 'kind = "layer"\nlaws = ["afine"]\nparams'), "[Scale].laws", "among the law checks", id="law"
    ),
    pytest.param(
        _swap(LAYER, 'kind = "layer"\nlaws = ["affine"]\nparams'), "[Scale].laws", "a geometry", id="no geometry"
    ),
    pytest.param(
        _swap(LAYER, 'kind = "layer"\ngeometry = "dense3"\nparams'), "[Scale].geometry", "dense", id="geometry"
    ),
    pytest.param(
        _swap(LAYER, 'kind = "layer"\ngeometry = "dense"\nparams'),
        "[Scale].geometry",
        "in_features",
        id="geometry without its parameters",
    ),
    pytest.param(
        _swap('relation = "f(-x) = 1 - f(x)"', 'relation = "f(-x) = 1 - f (x)"'),
        "[Logistic].invariants[0].relation",
        "f(-x) = -f(x)",
        id="relation",
    ),
    pytest.param(_swap("low = -30.0", "low = 30.0"), "[Logistic].domain", "low < high", id="domain"),
    pytest.param(
        _swap("limits = [[1000.0, 1.0]", "limits = [[1000.0]"), "[Logistic].extremes.limits", "pairs", id="limits"
    ),
    pytest.param(_swap('data = "spirals"', 'data = "moons"'), "[Logistic].convergence.data", "xor", id="data"),
    pytest.param(
        _swap('{ name = "extra.Logistic" }', '{ name = "extra.Logistc" }'),
        "[Logistic].convergence.network[1].name",
        "a component of nnlab",
        id="network layer",
    ),
    pytest.param(_swap("epochs = 150", "epochs = 1.5"), "[Logistic].convergence.epochs", "whole", id="epochs"),
    pytest.param(
        _swap('kind = "activation"\nbuilds_on', 'kind = "activation"\nmargin_param = "x"\nbuilds_on'),
        "[Swish].margin_param",
        "no margin_param for an activation",
        id="field of another kind",
    ),
    pytest.param(
        _swap("{ weight = { distribution", "{ bias = { distribution"),
        "[Scale].param_draws.bias",
        "one of its params (weight)",
        id="draw of no parameter",
    ),
    pytest.param(
        _swap("input_shape = [5, 4] }", "input_shape = [5, 4], param_draws = { bias = { std = 0.1 } } }"),
        "[Scale].cases[0].param_draws.bias",
        "one of its params (weight)",
        id="case's draw of no parameter",
    ),
    pytest.param(
        _swap('distribution = "uniform"', 'distribution = "gaussian"'),
        "[Scale].param_draws.weight.distribution",
        "normal or uniform",
        id="draw distribution",
    ),
    pytest.param(_swap("kinks = []", "kinks = [true]"), "[Logistic].kinks", "a list of inputs", id="kinks type"),
    pytest.param(
        _swap('kind = "activation"\nformula', 'kind = "activation"\nuses = ["helper"]\nformula'),
        "[Logistic].uses",
        "functions of the module",
        id="uses",
    ),
    pytest.param(
        _swap('{ id = "images", input_shape', '{ id = "images", losses = "low", input_shape'),
        "[Swish].cases[1].losses",
        "a list of numbers",
        id="case field type",
    ),
    pytest.param(
        _swap(LAYER, 'kind = "layer"\nlaws = ["max commutes with shifts"]\nparams'),
        "[Scale].laws",
        "kernel_size",
        id="law without its parameters",
    ),
    pytest.param(
        _swap(LAYER, 'kind = "layer"\nties_in = "pieces"\nparams'), "[Scale].ties_in", "ties = true", id="ties_in"
    ),
    pytest.param(
        _swap(LAYER, 'kind = "layer"\nfilled = { weight = "init" }\nparams'),
        "[Scale].filled.weight",
        "filled with a constructor parameter (num_features)",
        id="filled by no argument",
    ),
]


def test_every_field_of_an_entry_and_a_case_can_be_given() -> None:
    """A field added to Component or Case is settable by a course too (name and signature come from the class)."""
    assert {f.name for f in fields(Component)} - {"name", "signature"} == set(ENTRY_KEYS)
    assert {f.name for f in fields(Case)} == set(CASE_KEYS)


def test_the_graders_names_hold_for_nnlabs_own_entries() -> None:
    """What a course's entry is checked against (graders/courses.py) fits nnlab's entries: every law and
    geometry they use is known, with the constructor parameters it is said to need."""
    vocabulary = RUBRIC.vocabulary()
    used = [c for c in CATALOGUE.values() if c.laws or c.geometry]
    assert used
    for component in used:
        parameters = {p for p, _ in component.signature}
        assert set(component.laws) <= set(vocabulary["laws"]), component.name
        needs = [*vocabulary.get(f"geometry {component.geometry}", ())]
        needs += [p for law in component.laws for p in vocabulary.get(f"law {law}", ())]
        assert set(needs) <= parameters, (component.name, set(needs) - parameters)
        if set(component.laws) & set(vocabulary["laws needing a geometry"]):
            assert component.geometry in vocabulary["geometries"], component.name


@pytest.mark.parametrize("edits, key, expected", MALFORMED)
def test_a_malformed_field_is_one_line_naming_file_key_and_expectation(
    edits: tuple[tuple[str, str, str], ...], key: str, expected: str, tmp_path: Path
) -> None:
    with pytest.raises(CourseError) as raised:
        load_course(_course(tmp_path, edits))
    message = str(raised.value)
    assert "\n" not in message, message
    assert "extra.toml" in message and key in message and expected in message, message
