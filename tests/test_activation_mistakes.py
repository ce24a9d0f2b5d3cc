"""Does the feedback on a wrong activation name the mistake from the evidence, and only then?
(graders/judging/checks/activation_mistakes.py, and the activation checks that claim a cause)

* A wrong backward confined to one branch of a piecewise function (x <= 0) is named as that
  branch's mistake, as a pattern ("looks like"), though no simulation was written for it; but only
  behind a forward that is right on that branch (else it follows from forward's mistake: observed only).
* A check about the kink, a tie or the extremes names no cause when the function is wrong
  away from them too.
* The known mistakes are computed only for a wrong answer.
* A mistake whose numbers are the input (or grad_y) itself on a case, a swapped branch that case never
  takes, is not claimed there: only the cases that take the branch name it.
* A crash names its mistake only when the line and the shapes single it out: a matrix product in an
  elementwise activation, a slope gradient summed over too few axes (and not when two readings fit), a loop
  over PReLU's channels that reads another axis than axis 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from nnlab.exercises.components import Case, component
from nnlab.exercises.course import load_course
from nnlab.graders.judging.checks import activation_mistakes
from nnlab.graders.mutants import Mutant, apply, catalogue, reference_folder
from nnlab.graders.runner import grade

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def _failed(mutant: Mutant, tmp_path: Path) -> dict[str, tuple[str, str, str]]:
    """``{check name: (tag, confidence, feedback)}`` of the mutant's component's failed checks."""
    report = grade(apply([mutant], tmp_path / "s"), load_course(), only=[mutant.component], isolate=False, seed=0)
    return {
        c.outcome.name: (c.outcome.misconception, c.outcome.confidence, c.outcome.feedback)
        for c in report.components[0].checks
        if not c.outcome.passed
    }


def test_a_mistake_confined_to_the_negative_branch_looks_like_that_branch(tmp_path: Path) -> None:
    slope = "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n"
    unforeseen = Mutant("elu-slope-off", "activations.ELU", "", slope, slope.replace("0.0))\n", "0.0)) + 0.1\n"))
    backward = [row for name, row in _failed(unforeseen, tmp_path).items() if name.startswith("backward")]
    assert backward and all(row[:2] == ("negative-branch-wrong", "looks like") for row in backward)
    assert all("x <= 0" in row[2] and "Looks like:" in row[2] for row in backward)


def test_a_branch_wrong_in_forward_too_is_not_called_backward_s_mistake(tmp_path: Path) -> None:
    # SELU's scale on the input as well: forward is wrong everywhere, backward (ELU's, at the scaled input) only for
    # x <= 0, where it differentiates forward's own negative branch: its formula is not the mistake.
    (mutant,) = [m for m in catalogue() if m.id == "selu-scales-input-and-output"]
    backward = [row for name, row in _failed(mutant, tmp_path).items() if name.startswith("backward")]
    assert backward and all(row[0] == "" and "where your forward's output is wrong too" in row[2] for row in backward)


def test_the_kink_row_names_no_cause_when_the_branch_is_wrong_everywhere(tmp_path: Path) -> None:
    (mutant,) = [m for m in catalogue() if m.id == "leakyrelu-backward-no-slope"]
    rows = _failed(mutant, tmp_path)
    (kink,) = [row for name, row in rows.items() if "kink" in name]
    assert kink[0] == "" and "wrong away from x = 0 too" in kink[2]
    assert rows["backward: negative_slope=0.2"][:2] == ("negative-branch-ignored", "is")


def test_a_wrong_formula_is_not_called_an_overflow_at_the_extremes(tmp_path: Path) -> None:
    (mutant,) = [m for m in catalogue() if m.id == "selu-forward-no-scale"]
    (extremes,) = [row for name, row in _failed(mutant, tmp_path).items() if name.startswith("stable")]
    assert extremes[0] == "" and "wrong at ordinary inputs too" in extremes[2]


def test_known_mistakes_are_not_computed_for_a_right_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("a known mistake was computed for a right answer")

    for name in ("forward_variants", "backward_variants", "backward_subsets"):
        monkeypatch.setattr(activation_mistakes, name, refuse)
    only = ["activations.Softmax", "activations.PReLU", "activations.Softplus"]
    report = grade(reference_folder(), load_course(), only=only, isolate=False, seed=0)
    assert all(c.score == c.max_score for c in report.components)


def test_a_swapped_branch_is_named_only_where_the_case_takes_it(tmp_path: Path) -> None:
    # Written here, in no catalogue: np.where's condition negated rather than its branches exchanged.
    line = "        return np.where(self._linear, x, soft)\n"
    swapped = Mutant(
        "softplus-where-negated", "activations.Softplus", "", line, line.replace("self._linear", "~self._linear")
    )
    forward = {name: row for name, row in _failed(swapped, tmp_path).items() if name.startswith("forward")}
    taken = {name for name in forward if "threshold" in name}  # the cases with entries past the threshold
    assert taken and all(forward[name][:2] == ("branches-swapped", "is") for name in taken)
    assert all(row[0] != "branches-swapped" and row[1] != "is" for name, row in forward.items() if name not in taken)


@pytest.mark.parametrize("source", ["        return grad_y @ local\n", "        return np.dot(grad_y, 1 - y * y)\n"])
def test_a_matrix_product_in_an_elementwise_backward_is_named_from_the_line(source: str) -> None:
    message = "matmul: Input operand 1 has a mismatch in its core dimension 0 (size 4 is different from 5)"
    case = Case("batch", input_shape=(4, 5))
    tag, _ = activation_mistakes.crash(component("activations.GELU"), case, message, source)
    assert tag == "matmul-for-elementwise"
    assert activation_mistakes.crash(component("activations.GELU"), case, message, "        return y\n") is None
    maxout = Case("m", {"in_features": 5, "out_features": 3, "pieces": 2}, input_shape=(4, 5))
    found = activation_mistakes.crash(component("activations.Maxout"), maxout, message, source)
    assert found is None or found[0] != "matmul-for-elementwise"  # Maxout's matrix products are its own


def test_a_slope_gradient_summed_over_too_few_axes_names_the_axes_left_over() -> None:
    prelu = component("activations.PReLU")
    case = Case("images", {"num_parameters": 2}, input_shape=(5, 2, 3, 4))
    message = "operands could not be broadcast together with shapes (2,) (2,3) (2,)"
    tag, text = activation_mistakes.crash(prelu, case, message)
    assert tag == "prelu-grad-wrong-axes" and "the batch (axis 0) and axis 3" in text and "(2, 3)" in text
    # With the height equal to the width, (2, 3) is left by summing axis 2 or axis 3: no claim.
    square = Case("square", {"num_parameters": 2}, input_shape=(5, 2, 3, 3))
    assert activation_mistakes.crash(prelu, square, message) is None


_PAST = "index {} is out of bounds for axis {} with size {}"  # numpy's IndexError


@pytest.mark.parametrize(
    ("shape", "message", "source", "tag"),
    [
        # slope c's gradient read at x[..., c]: the last axis (3 entries) is shorter than the 4 channels
        ((2, 4, 3), _PAST.format(3, 2, 3), "grad[c] += d[..., c].sum()", "channels-last-layout"),
        # slope c's gradient read at x[c], the batch of 2
        ((2, 3, 5), _PAST.format(2, 0, 2), "grad[c] += d[c].sum()", "prelu-grad-wrong-axes"),
        # forward applying slope c to x[c]
        ((2, 3, 5), _PAST.format(2, 0, 2), "y[c] = np.where(x[c] > 0, x[c], a[c] * x[c])", "prelu-slope-broadcast"),
    ],
    ids=["last-axis", "batch-axis-gradient", "batch-axis-forward"],
)
def test_a_channel_loop_past_another_axis_names_the_axis_it_read(
    shape: tuple[int, ...], message: str, source: str, tag: str
) -> None:
    """PReLU's channel c read on another axis than axis 1 raises once c passes that axis's length: the axis in
    numpy's message names the layout, the line whether the gradient or the function read it."""
    prelu = component("activations.PReLU")
    case = Case("c", {"num_parameters": shape[1]}, input_shape=shape)
    found = activation_mistakes.crash(prelu, case, message, f"        {source}\n")
    assert found is not None and found[0] == tag and "axis 1" in found[1], found
    # an axis of another length than the input's: another array's index, no claim
    assert activation_mistakes.crash(prelu, case, message.replace("with size", "with size 1"), source) is None
    assert activation_mistakes.crash(component("activations.LeakyReLU"), case, message, source) is None


# Written here, in no catalogue: other edits of set G's classes (a reduction for an element-wise clamp, the
# branches' derivatives added where np.where selects, the input x where the saved value belongs).
_CLASSES = [
    (
        "activations.Softplus",
        "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n",
        "        soft = (np.max(z, 0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n",
        "max-for-maximum",
    ),
    (
        "activations.ELU",
        "        return np.where(self._x > 0, grad_y, slope * grad_y)\n",
        "        return grad_y * ((self._x > 0) + slope)\n",
        "derivative-wrong-form",
    ),
    (
        "activations.SiLU",
        "        return grad_y * (s + self._x * s * (1.0 - s))\n",
        "        return grad_y * (s + self._x * self._x * (1.0 - s))\n",
        "derivative-wrong-form",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "tag"), _CLASSES, ids=[c[0] for c in _CLASSES])
def test_set_g_classes_are_named_for_other_edits(name: str, old: str, new: str, tag: str, tmp_path: Path) -> None:
    failed = _failed(Mutant(f"{name}-class", name, "", old, new), tmp_path)
    assert any(row[:2] == (tag, "is") for row in failed.values()), failed


def test_a_shared_slope_gradient_summed_over_some_axes_names_every_axis() -> None:
    prelu = component("activations.PReLU")
    case = Case("shared", {"num_parameters": 1}, input_shape=(4, 5))
    message = "non-broadcastable output operand with shape (1,) doesn't match the broadcast shape (5,)"
    tag, text = activation_mistakes.crash(prelu, case, message)
    assert tag == "prelu-grad-wrong-axes" and "the batch (axis 0) only" in text and "every axis" in text
    # A square input leaves (4,) from either axis: which one was summed is not known, so no claim.
    assert activation_mistakes.crash(prelu, Case("square", {}, input_shape=(4, 4)), message.replace("5", "4")) is None


@pytest.mark.parametrize(
    "source", ["z = x @ self.weight.data.T + self.bias.data", "z = np.dot(x, np.transpose(self.weight.data))"]
)
def test_a_weight_of_three_axes_transposed_in_a_product_reverses_every_axis(source: str) -> None:
    maxout = Case("m", {"in_features": 4, "out_features": 3, "pieces": 2}, input_shape=(5, 4))
    message = "matmul: Input operand 1 has a mismatch in its core dimension 0 (size 3 is different from 4)"
    tag, text = activation_mistakes.crash(component("activations.Maxout"), maxout, message, f"        {source}\n")
    assert tag == "axes-permuted" and "(2, 3, 4)" in text and "(4, 3, 2)" in text


# Written here, in no catalogue: other edits of set J's classes (an identity without the 2 of its argument, ~ on
# an integer mask, np.sign for the indicator of x > 0, the input cast to int, a mean for a sum, a reciprocal).
_J_CLASSES = [
    (
        "activations.Tanh",
        "        self._y = np.tanh(x)\n",
        "        self._y = (np.exp(x) - 1.0) / (np.exp(x) + 1.0)\n",
        "identity-argument-halved",
    ),
    (
        "activations.ELU",
        "        return np.where(self._x > 0, grad_y, slope * grad_y)\n",
        "        up = (self._x > 0).astype(int)\n        return grad_y * (up + ~up * slope)\n",
        "bitwise-not-on-integers",
    ),
    (
        "activations.LeakyReLU",
        "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
        "        return grad_y * (np.sign(self._x) + (self._x <= 0) * self.negative_slope)\n",
        "derivative-is-sign",
    ),
    (
        "activations.Sigmoid",
        "        z = np.exp(-np.abs(x))\n",
        "        z = np.exp(-np.abs(x.astype(int)))\n",
        "int-truncates-input",
    ),
    (
        "activations.LogSoftmax",
        "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
        "        return grad_y - self._p * np.mean(grad_y, axis=self.dim, keepdims=True)\n",
        "mean-for-sum",
    ),
    (
        "activations.ELU",
        "        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
        "        return np.where(x > 0, x, np.expm1(np.minimum(x, 0.0)) / self.alpha)\n",
        "hyperparameter-inverted",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "tag"), _J_CLASSES, ids=[f"{c[0]}-{c[3]}" for c in _J_CLASSES])
def test_set_j_classes_are_named_for_other_edits(name: str, old: str, new: str, tag: str, tmp_path: Path) -> None:
    failed = _failed(Mutant(f"{name}-class", name, "", old, new), tmp_path)
    assert any(row[:2] == (tag, "is") for row in failed.values()), failed


# Written here, in no catalogue: other edits of set K's classes (an axis moved last and never moved back, the
# branch read from the output's sign, an output clipped off its limits, a parameter stored back reshaped).
_K_CLASSES = [
    (
        "activations.LogSoftmax",
        "        self._p = np.exp(y)\n        return y\n",
        "        self._p = np.exp(y)\n        return np.swapaxes(y, self.dim, -1)\n",
        "axes-permuted",
    ),
    (
        "activations.PReLU",
        "        negative = self._x <= 0\n",
        "        negative = np.where(self._x > 0, self._x, self._a * self._x) < 0  # the output's sign\n",
        "mask-from-output",
    ),
    (
        "activations.Sigmoid",
        "        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n",
        "        self._y = np.minimum(np.maximum(np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z)), 1e-6), 1 - 1e-6)\n",
        "output-clipped",
    ),
    (
        "activations.PReLU",
        "        self._a = self.weight.data.reshape(self._slope_shape(x.ndim))\n",
        "        self.weight.data.shape = self._slope_shape(x.ndim)  # in place\n        self._a = self.weight.data\n",
        "parameter-reshaped",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "tag"), _K_CLASSES, ids=[f"{c[0]}-{c[3]}" for c in _K_CLASSES])
def test_set_k_classes_are_named_for_other_edits(name: str, old: str, new: str, tag: str, tmp_path: Path) -> None:
    failed = _failed(Mutant(f"{name}-class", name, "", old, new), tmp_path)
    assert any(row[:2] == (tag, "is") for row in failed.values()), failed


def test_a_branch_chosen_by_a_non_zero_test_is_named_with_returning_x_unchanged(tmp_path: Path) -> None:
    """np.where(x, ...) (x.astype(bool), x != 0) lets the negative entries through: forward returns x itself, the
    numbers returning x gives too, so the sentence names both."""
    right = "        return np.where(self._mask, x, 0.0)\n"
    truthy = Mutant("relu-where-truthy", "activations.ReLU", "", right, right.replace("self._mask", "x.astype(bool)"))
    forward = [row for name, row in _failed(truthy, tmp_path).items() if name.startswith("forward")]
    assert forward and all(row[:2] == ("nonzero-for-positive", "is") for row in forward)
    assert all("the same numbers" in row[2] and "returned unchanged" in row[2] for row in forward)


def test_a_maxout_gradient_built_from_the_winner_mask_alone_is_named(tmp_path: Path) -> None:
    right = "        self.bias.grad += grad_z.sum(axis=0)\n"
    masked = Mutant("maxout-bias-from-mask", "activations.Maxout", "", right, right.replace("grad_z", "won"))
    backward = [row for name, row in _failed(masked, tmp_path).items() if name.startswith("backward")]
    assert backward and all(row[:2] == ("ignores-upstream-gradient", "is") for row in backward)
    assert all("winning pieces" in row[2] for row in backward)


def test_log_softmax_probabilities_normalised_over_the_whole_array_are_named(tmp_path: Path) -> None:
    right = "        self._p = np.exp(y)\n"
    whole = Mutant(
        "logsoftmax-p-whole", "activations.LogSoftmax", "", right, right.replace("y)", "x) / np.exp(x).sum()")
    )
    backward = [row for name, row in _failed(whole, tmp_path).items() if name.startswith("backward")]
    assert backward and all(row[:2] == ("reduction-over-whole-array", "is") for row in backward)
    assert all("normalised over the whole array" in row[2] for row in backward)


_MAXOUT_FORWARD = (
    '        z = np.einsum("nd,kjd->nkj", x, self.weight.data) + self.bias.data\n'
    "        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece\n"
)


@pytest.mark.parametrize(
    "flat",
    [
        # pieces first, read back units first
        "        z = (x @ self.weight.data.reshape(-1, x.shape[1]).T + self.bias.data.ravel()).reshape(\n"
        "            len(x), self.out_features, self.pieces\n"
        "        ).transpose(0, 2, 1)\n",
        # weight pieces first, bias units first
        "        K, M, D = self.weight.data.shape\n"
        "        z = (x @ self.weight.data.reshape(K * M, D).T + self.bias.data.T.reshape(-1)).reshape(-1, K, M)\n",
    ],
    ids=["reshape", "bias"],
)
def test_a_flat_maxout_whose_flattening_and_reshape_disagree_is_named(flat: str, tmp_path: Path) -> None:
    """Maxout as one (N, K*M) product read back in another order than the weight or bias was flattened: forward,
    and the backward that routes grad_y by the winners it saved, name the order."""
    new = flat + "        self._argmax = np.argmax(z, axis=1)\n"
    mutant = Mutant("maxout-flat", "activations.Maxout", "", _MAXOUT_FORWARD, new)
    rows = {name: row for name, row in _failed(mutant, tmp_path).items() if name.startswith(("forward", "backward"))}
    assert rows and all(row[:2] == ("reshape-order", "is") for row in rows.values()), rows
    assert all("A reshape must undo the flattening in the same order" in row[2] for row in rows.values())


def test_relu_gradient_passed_everywhere_names_both_readings_that_no_input_separates(tmp_path: Path) -> None:
    """ReLU's output is never negative: a mask from it with y >= 0 (or y < 0 zeroed) and no mask at all give grad_y
    on every input, so the statement names both under the one tag they share, the x <= 0 branch's zero ignored."""
    (mutant,) = [m for m in catalogue() if m.id == "relu-output-kept-negatives-zeroed-in-backward"]
    backward = [row for name, row in _failed(mutant, tmp_path).items() if name.startswith("backward")]
    assert backward and all(row[:2] == ("negative-branch-ignored", "is") for row in backward)
    assert all("no mask at all" in row[2] and "y >= 0" in row[2] and "`y`" in row[2] for row in backward)
    unmasked = Mutant(
        "relu-no-mask",
        "activations.ReLU",
        "",
        "        return np.where(self._mask, grad_y, 0.0)\n",
        "        return grad_y\n",
    )
    rows = [row for name, row in _failed(unmasked, tmp_path).items() if name.startswith("backward")]
    assert rows and all(row[0] == "negative-branch-ignored" and "forward saved" not in row[2] for row in rows)


def test_a_softmax_returned_is_the_log_forgotten_only_where_it_is_an_array_of_its_own(tmp_path: Path) -> None:
    """LogSoftmax returning the softmax: the log forgotten, or the log-probabilities overwritten in place by the
    probabilities forward saves. The numbers are the same; where the output is the very array forward saved, both
    are named, and where it is an array of its own, nothing was overwritten and the forgotten log stands alone."""
    (forgotten,) = [m for m in catalogue() if m.id == "logsoftmax-returns-normalised-exponentials"]
    rows = _failed(forgotten, tmp_path / "forgotten")
    assert rows["forward: rows of logits"][:2] == ("log-missing", "is")
    # Written here, in no catalogue: the saved probabilities exponentiated in place, y the same array.
    line = "        self._p = np.exp(y)\n"
    overwritten = Mutant(
        "logsoftmax-exp-in-place", "activations.LogSoftmax", "", line, "        self._p = y\n        np.exp(y, y)\n"
    )
    rows = _failed(overwritten, tmp_path / "overwritten")
    forward = [row for name, row in rows.items() if name.startswith("forward")]
    assert forward and all(row[:2] == ("aliasing+log-missing", "is") for row in forward)
    assert "`self._p`" in rows["forward: rows of logits"][2]
