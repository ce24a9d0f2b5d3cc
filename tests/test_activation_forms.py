"""Are whole classes of activation mistakes simulated and named, not only the bugs someone listed?
(graders/judging/checks/activation_forms.py and the classes activation_mistakes.py builds from it)

* A derivative written from the output in another form, grad_y on part of a formula (operator
  precedence), an edited Jacobian-vector product, a near-missed constant, a branch that lost its x:
  bugs written here, in no catalogue, are named as what they compute ("is").
* Two formulas that give the same numbers on a case name neither.
* A branch that returns one number whatever x looks like a formula that lost its x, and only then.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from nnlab.exercises.course import load_course
from nnlab.graders.judging.checks import activation_forms as forms
from nnlab.graders.judging.diagnose import IS, LOOKS_LIKE, Subset, explain
from nnlab.graders.mutants import Mutant, apply
from nnlab.graders.mutants.activations import span
from nnlab.graders.runner import grade

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


@pytest.mark.parametrize(
    ("coefficients", "text"),
    [
        ((1, -2, 1), "(1 - y)^2"),
        ((0, 1, -1), "y (1 - y)"),
        ((0, 1, 1), "y (1 + y)"),
        ((1, 0, 1), "1 + y^2"),
        ((0, -2, 0), "-2y"),
    ],
)
def test_a_polynomial_in_the_output_is_written_as_a_student_writes_it(coefficients: forms.Poly, text: str) -> None:
    assert forms.written(coefficients) == text


def test_formulas_that_agree_on_a_case_name_neither() -> None:
    """Saturated outputs (y = +-1) make y^2 and 1 equal: neither form may be claimed there, though each
    is kept where the outputs tell them apart."""
    g = np.arange(1.0, 7.0).reshape(2, 3)
    for y, claimable in ((np.array([[1.0, -1.0, 1.0], [-1.0, 1.0, 1.0]]), False), (np.tanh(g - 3.5), True)):
        kept = forms.distinct({}, forms.output_forms("tanh", g, y))
        assert any(np.allclose(value, g * y**2) for value, _ in kept.values()) is claimable
    values = [value for value, _ in kept.values()]
    assert all(not np.allclose(a, b) for i, a in enumerate(values) for b in values[i + 1 :])


def _rows(mutant: Mutant, tmp_path: Path) -> list[tuple[str, str, str]]:
    report = grade(apply([mutant], tmp_path / "s"), load_course(), only=[mutant.component], isolate=False, seed=0)
    return [
        (c.outcome.misconception, c.outcome.confidence, c.outcome.feedback)
        for c in report.components[0].checks
        if c.outcome.name.startswith(("forward:", "backward:")) and not c.outcome.passed
    ]


_TANH = "        return grad_y * (1.0 - self._y * self._y)\n"
_SIGMOID = "        return grad_y * self._y * (1.0 - self._y)\n"
_LOGSOFTMAX = "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n"
UNLISTED = [  # (component, old, new, the class's tag, words the cause must contain)
    ("Tanh", _TANH, "        return grad_y * (1.0 + self._y**2)\n", "derivative-wrong-form", "1 + y^2"),
    ("Sigmoid", _SIGMOID, "        return grad_y * self._y * 1.0 - self._y\n", "operator-precedence", "parentheses"),
    (
        "LogSoftmax",
        _LOGSOFTMAX,
        "        return grad_y - np.sum(grad_y, axis=self.dim, keepdims=True)\n",
        "jacobian-term-wrong",
        "lost its factor p",
    ),
    (
        "LogSoftmax",
        _LOGSOFTMAX,
        "        return grad_y - np.sum(self._p * grad_y, axis=self.dim, keepdims=True)\n",
        "jacobian-transposed",
        "p * sum(grad_y",
    ),
    (
        "GELU",
        "        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))\n",
        "        self._cdf = 0.5 * erfc(-x)\n",
        "formula-constant",
        "sqrt(2)",
    ),
    (
        "LeakyReLU",
        "        return np.where(x > 0, x, self.negative_slope * x)\n",
        "        return np.where(x > 0, 1.0, self.negative_slope * x)\n",
        "factor-x-missing",
        "the factor x is missing",
    ),
    (
        "SiLU",
        "        return grad_y * (s + self._x * s * (1.0 - s))\n",
        # (Not (s + x * s) * (1 - s): that is s (1 - s) (1 + x), the sigmoid's derivative times 1 + x, too.)
        "        return grad_y * (s + self._x) * s * (1.0 - s)\n",
        "operator-precedence",
        "with the parentheses in other places",
    ),
    (
        "SELU",
        "        return self._elu.backward(self.scale * grad_y)\n",
        "        slope = np.where(grad_y > 0, 1.0, self.alpha * np.exp(np.minimum(self._elu._x, 0.0)))\n"
        "        return self.scale * slope * grad_y\n",
        "mask-from-upstream",
        "sign of grad_y",
    ),
]


@pytest.mark.parametrize(("component", "old", "new", "tag", "words"), UNLISTED, ids=[u[3] for u in UNLISTED])
def test_an_unlisted_mistake_of_a_class_is_named_by_its_simulation(
    component: str, old: str, new: str, tag: str, words: str, tmp_path: Path
) -> None:
    rows = _rows(Mutant("unlisted", f"activations.{component}", "", old, new), tmp_path)
    assert rows and all(row[:2] == (tag, IS) for row in rows), rows
    assert all(words in row[2] for row in rows)


def test_parentheses_moved_give_one_variant_per_value() -> None:
    """Every grouping of the same operands and operators, each value once: a * b * (b + c) regrouped is
    a * b * b + c or a * (b * b + c); (a * b) * b + c and a * (b * b) + c are the same number."""
    env = {"a": np.array([2.0, 3.0]), "b": np.array([5.0, 7.0]), "c": np.array([11.0, 13.0])}
    found = forms.regroupings(("a * b * (b + c)",), env, "computes")
    assert sorted(text.split(":")[0] for _, text in found.values()) == [
        "computes a * (b * b + c)",
        "computes a * b * b + c",
    ]
    assert all(tag.startswith("operator-precedence#") for tag in found)


X = np.array([[1.0, -2.0, 0.5], [-1.0, 3.0, -0.5], [2.0, 1.5, -3.0], [-0.7, -1.2, 0.9]])
RIGHT = np.where(X > 0, X, 0.01 * X)
LOST_X = Subset(X <= 0, "has x <= 0", "the x <= 0 branch lost its x", "factor-x-missing", needs="constant")


def test_a_branch_of_one_number_looks_like_a_formula_that_lost_its_x() -> None:
    finding = explain(np.where(X > 0, X, -0.3), RIGHT, subsets={"lost": LOST_X})
    assert (finding.tag, finding.confidence) == ("factor-x-missing", LOOKS_LIKE)
    assert "is -0.3 in yours" in finding.observation


def test_a_branch_wrong_by_varying_amounts_is_not_called_a_lost_x() -> None:
    finding = explain(np.where(X > 0, X, 0.02 * X), RIGHT, subsets={"lost": LOST_X})
    assert finding.diagnosis is None


def _tanh_gelu(x: np.ndarray, k: float, kappa: float) -> np.ndarray:
    return 0.5 * x * (1.0 + np.tanh(k * (x + kappa * x**3)))


@pytest.mark.parametrize(
    ("k", "kappa", "typed", "slip"),
    [
        (forms.SQRT_2_OVER_PI, 0.04715, "0.04715", "a digit left out"),
        (forms.SQRT_2_OVER_PI, 0.044175, "0.044175", "two digits swapped"),
        (0.8, forms.GELU_KAPPA, "0.8", "cut short to 1 significant digit"),
        (0.7987, forms.GELU_KAPPA, "0.7987", "two digits swapped"),
    ],
)
def test_a_typed_constant_of_the_tanh_form_is_read_from_the_output(
    k: float, kappa: float, typed: str, slip: str
) -> None:
    """No list holds these numbers: the constant is recovered from the student's output, then every entry is
    recomputed with it, so the claim is what the code computes."""
    x = np.linspace(-3.0, 3.0, 12).reshape(3, 4)
    y = _tanh_gelu(x, k, kappa)
    found = forms.gelu_tanh_typed(x, None, y)
    assert len(found) == 1
    tag, (value, text) = next(iter(found.items()))
    assert tag.startswith(forms.CONSTANT) and np.allclose(value, y)
    assert f"typed {typed} " in text and slip in text


def test_an_output_no_single_typed_constant_explains_claims_none() -> None:
    x = np.linspace(-3.0, 3.0, 12).reshape(3, 4)
    right = _tanh_gelu(x, forms.SQRT_2_OVER_PI, forms.GELU_KAPPA)
    assert forms.gelu_tanh_typed(x, None, right) == {}  # right: nothing typed wrong
    assert forms.gelu_tanh_typed(x, None, 2.0 * right) == {}  # another mistake: no constant of the tanh fits
    far = _tanh_gelu(x, forms.SQRT_2_OVER_PI, 0.5)  # ten times the coefficient: not a slip of its digits
    assert forms.gelu_tanh_typed(x, None, far) == {}


# ------------------------------------------------------------------------------- set AF's classes
def test_a_derivative_with_its_power_misplaced_is_simulated_as_typed() -> None:
    """sech^2 with the square on the argument, typed * 2, the reciprocal lost; sigmoid's e^-x / (1 + e^-x)^2 with
    the square on the last term: each variant is the formula its sentence quotes, evaluated by numpy."""
    x = np.array([[-1.5, -0.2, 0.4, 2.0]])
    g = np.array([[0.3, -1.1, 0.7, 2.0]])
    tanh = forms.power_slips("tanh", x, g)
    expected = {
        "1 / np.cosh(x ** 2)": (g / np.cosh(x**2), forms.PRECEDENCE, "the square belongs after"),
        "1 / np.cosh(x) * 2": (g * 2 / np.cosh(x), forms.FORM, "`* 2` was typed for `** 2`"),
        "np.cosh(x) ** 2": (g * np.cosh(x) ** 2, forms.FORM, "the reciprocal is missing"),
        "1 - np.tanh(x ** 2)": (g * (1 - np.tanh(x**2)), forms.PRECEDENCE, "landed on the argument"),
    }
    for typed, (value, tag, words) in expected.items():
        found, text = tanh[f"{tag}#power-{typed}"]
        assert np.allclose(found, value) and words in text and "The derivative of tanh is" in text
    e = np.exp(-x)
    found, text = forms.power_slips("sigmoid", x, g)[f"{forms.PRECEDENCE}#power-np.exp(-x) / (1 + np.exp(-x) ** 2)"]
    assert np.allclose(found, g * e / (1 + e**2)) and "last term of the sum" in text


_SPAN_TANH = (
    "        self._y = np.tanh(x)\n        return self._y\n",
    "        self._x = x\n        self._y = np.tanh(x)\n        return self._y\n",
)
_SPAN_ELU = (
    "        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
    "        self.y = np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n        return self.y\n",
)
SET_AF = [
    (
        "Tanh",
        _SPAN_TANH,
        (
            "        return grad_y * (1.0 - self._y * self._y)\n",
            "        return grad_y * np.cosh(self._x) ** -1 ** 2\n",
        ),
        "tanh-derivative-not-squared",  # ** binds right to left: -1 ** 2 is -(1 ** 2), so sech, not sech^2
        "square",
    ),
    (
        "Tanh",
        _SPAN_TANH,
        ("        return grad_y * (1.0 - self._y * self._y)\n", "        return grad_y / (np.cosh(self._x)) * 2\n"),
        "derivative-wrong-form",
        "`* 2` was typed for `** 2`",
    ),
    (
        "ELU",
        _SPAN_ELU,
        (
            "        return np.where(self._x > 0, grad_y, slope * grad_y)\n",
            "        return np.where(self._x > 0, grad_y, self.alpha + grad_y * self.y)\n",
        ),
        "operator-precedence",
        "grad_y * (y + alpha)",
    ),
]


@pytest.mark.parametrize(("component", "forward", "backward", "tag", "words"), SET_AF, ids=[s[4][:12] for s in SET_AF])
def test_set_af_classes_are_named_for_other_edits(
    component: str, forward: tuple[str, str], backward: tuple[str, str], tag: str, words: str, tmp_path: Path
) -> None:
    old, new = span("activations", forward, backward)
    rows = [row for row in _rows(Mutant("unlisted", f"activations.{component}", "", old, new), tmp_path)]
    assert rows and all(row[:2] == (tag, IS) for row in rows), rows
    assert all(words in row[2] for row in rows)
