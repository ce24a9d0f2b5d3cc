"""Does a crash name the assumption it broke, from numpy's message and the line that raised, and
only when that line (or the pattern alone) singles it out?

Each class of graders/judging/crashes.py on a synthetic error (what the worker sends: type, message, the
file position and the student's line), with a near miss that must stay unexplained. The graded
catalogue mutants of each class are in tests/test_grader_*.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from nnlab.exercises.components import component
from nnlab.graders.judging.contracts import EVAL_MODE, Contract, during, forward_contract, promised
from nnlab.graders.judging.crashes import read_crash
from nnlab.graders.judging.diagnose import IS, LOOKS_LIKE
from nnlab.graders.running.puppet import StudentError, StudentTimeout


def crash(
    type_name: str, message: str, source: str, method: str = "forward", name: str = "layers.Flatten"
) -> tuple[StudentError, object]:
    error = StudentError(type_name, message, f"student.py, line 7, in {method}", source=f"        {source}\n")
    return error, component(name)


def read(*args: str, **kwargs: str):  # noqa: ANN201 - a Diagnosis or None
    return read_crash(*crash(*args, **kwargs))


# ------------------------------------------------------------------------------- keepdims
def test_a_reduction_without_keepdims_on_the_line_is_the_cause() -> None:
    found = read(
        "ValueError",
        "operands could not be broadcast together with shapes (4,5) (4,)",
        "y = e / e.sum(axis=1)",
        name="activations.Softmax",
    )
    assert found is not None and found.tag == "reduction-without-keepdims" and found.confidence == IS
    assert "`e.sum(axis=1)`" in found.text and "e.sum(axis=1, keepdims=True)" in found.text
    assert "(4, 5) reduced over axis 1" in found.text


def test_a_sum_over_too_few_axes_added_into_a_smaller_array_is_not_a_dropped_axis() -> None:
    """``bias.grad += grad_y.sum(axis=0)`` on (N, C, H, W): (C, H, W) into (C,), not keepdims."""
    assert (
        read(
            "ValueError",
            "operands could not be broadcast together with shapes (3,) (3,4,5) (3,)",
            "self.bias.grad += grad_y.sum(axis=0)",
            method="backward",
            name="layers.BatchNorm2d",
        )
        is None
    )


def test_a_numbered_axis_that_contradicts_the_shapes_claims_nothing() -> None:
    assert (
        read("ValueError", "operands could not be broadcast together with shapes (4,5) (4,)", "y = x - x.max(0)")
        is None
    )


def test_a_reduction_that_is_the_larger_operand_is_not_a_dropped_axis() -> None:
    """The axis is an expression, so only the operands' order tells: the reduction's result is (3, 4, 5),
    the larger one, added to a (3,) array: a sum over too few axes, which keepdims would not fix."""
    assert (
        read(
            "ValueError",
            "operands could not be broadcast together with shapes (3,) (3,4,5)",
            "self.bias.grad = self.bias.grad + grad_y.sum(axis=self.first)",
            method="backward",
            name="layers.BatchNorm2d",
        )
        is None
    )


@pytest.mark.parametrize(
    "source",
    [
        "self._y = e / np.sum(e, axis=self.dim)[..., None]",
        "y = shifted - np.expand_dims(np.log(np.exp(shifted).sum(axis=self.dim)), -1)",
        "y = e / e.sum(axis=1)[:, :, np.newaxis]",
    ],
)
def test_a_reduced_axis_put_back_at_the_end_is_where_keepdims_would_keep_it(source: str) -> None:
    found = read(
        "ValueError",
        "operands could not be broadcast together with shapes (2,3,4) (2,4,1)",
        source,
        name="activations.Softmax",
    )
    assert found is not None and found.tag == "reduction-without-keepdims" and found.confidence == IS
    assert "reduced over axis 1" in found.text and "(2, 1, 4)" in found.text and "keepdims=True" in found.text


def test_an_axis_put_back_at_the_end_after_a_last_axis_reduction_claims_nothing() -> None:
    """Reduced over the last axis, [..., None] puts it back where it was: the shapes fail for another reason."""
    assert (
        read(
            "ValueError",
            "operands could not be broadcast together with shapes (2,3,4) (2,3,1) (5,)",
            "y = e / e.sum(axis=-1)[..., None] + self.bias",
            name="activations.Softmax",
        )
        is None
    )


def test_without_the_line_one_dropped_axis_only_looks_like_it() -> None:
    found = read("ValueError", "operands could not be broadcast together with shapes (2,3,4) (2,4)", "")
    assert found is not None and found.confidence == LOOKS_LIKE and "axis 1" in found.text


# ------------------------------------------------------------------------------- labels
@pytest.mark.parametrize(
    ("message", "source", "words"),
    [
        ("index 3 is out of bounds for axis 0 with size 2", "loss = -np.mean(p[target])", "whole rows"),
        ("index 4 is out of bounds for axis 1 with size 4", "g[self.labels, rows] -= 1", "labels first"),
    ],
)
def test_labels_on_the_batch_axis_are_named(message: str, source: str, words: str) -> None:
    found = read("IndexError", message, source, name="losses.CrossEntropyLoss")
    assert found is not None and found.tag == "labels-index-rows" and words in found.text
    assert "np.arange(N)" in found.text


def test_an_index_error_without_labels_on_the_line_claims_nothing() -> None:
    assert read("IndexError", "index 3 is out of bounds for axis 0 with size 2", "x = rows[i]") is None


# ------------------------------------------------------------------------------- a fixed number of axes
def test_a_fixed_shape_entry_out_of_range_names_any_number_of_axes() -> None:
    error, flatten = crash(
        "IndexError", "tuple index out of range", "y = x.reshape(x.shape[0], x.shape[1] * x.shape[2])"
    )
    with pytest.raises(StudentError), promised(forward_contract((4, 6), (4, 6), {})):
        raise error
    found = read_crash(error, flatten)
    assert found is not None and found.tag == "fixed-number-of-axes"
    assert "x.shape[2]" in found.text and "three axes" in found.text and "math.prod(x.shape[1:])" in found.text
    assert "(4, 6)" in found.text  # the case's input, from the contract


def test_a_shape_unpacked_into_two_names_is_the_receptive_field_for_an_initialiser() -> None:
    found = read(
        "ValueError",
        "too many values to unpack (expected 2)",
        "fan_out, fan_in = shape",
        "xavier_uniform",
        "init.xavier_uniform",
    )
    assert found is not None and found.tag == "receptive-field-ignored" and "fan_in_and_fan_out" in found.text


def test_a_shape_unpacked_into_four_names_is_a_fixed_number_of_axes() -> None:
    found = read("ValueError", "not enough values to unpack (expected 4, got 2)", "N, C, H, W = x.shape")
    assert found is not None and found.tag == "fixed-number-of-axes" and "any number of axes" in found.text


# ------------------------------------------------------------------------------- division by 1 - p
def test_dividing_by_one_minus_p_at_p_one_is_dropouts_edge_case() -> None:
    found = read("ZeroDivisionError", "float division by zero", "scale = 1 / (1 - self.p)", name="layers.Dropout")
    assert found is not None and found.tag == "dropout-divides-by-zero-at-p-one" and "p = 1" in found.text


def test_another_divisor_names_no_edge_case() -> None:
    """Adam's 1 - beta1 ** t is 0 at t = 0: which edge case is not on the line, so nothing is claimed."""
    assert read("ZeroDivisionError", "float division by zero", "m_hat = m / (1 - self.beta1 ** t)") is None
    assert read("ZeroDivisionError", "division by zero", "mean = total / count") is None


# ------------------------------------------------------------------------------- a saved value that is None
def test_none_in_backward_after_an_eval_forward_is_the_eval_path() -> None:
    error, dropout = crash(
        "TypeError",
        "unsupported operand type(s) for *: 'float' and 'NoneType'",
        "return grad_y * self._mask",
        "backward",
        "layers.Dropout",
    )
    with pytest.raises(StudentError), during(EVAL_MODE):
        raise error
    found = read_crash(error, dropout)
    assert found is not None and found.tag == "saved-none" and found.confidence == IS
    assert "`self._mask`" in found.text and "eval mode" in found.text


def test_none_without_a_known_state_only_looks_like_a_value_not_saved() -> None:
    found = read("AttributeError", "'NoneType' object has no attribute 'T'", "return g @ self._w.T", "backward")
    assert found is not None and found.confidence == LOOKS_LIKE


def test_none_returned_by_a_call_is_not_a_value_forward_did_not_save() -> None:
    """A layer whose backward returns nothing: the None is a call's result, not an attribute of self."""
    found = read(
        "AttributeError",
        "'NoneType' object has no attribute 'backward'",
        "grad = self.layers[i].backward(grad)",
        "backward",
        "models.Sequential",
    )
    assert found is None


def test_a_local_none_beside_an_argument_that_may_be_none_claims_nothing() -> None:
    """`start + size` beside `start + batch_size` (batch_size=None is allowed): which one is None is not said."""
    message = "unsupported operand type(s) for +: 'int' and 'NoneType'"
    source = "batches.append((X[start : start + size], y[start : start + batch_size]))"
    assert read("TypeError", message, source, "minibatches", "training.minibatches") is None


def test_a_local_none_alone_on_the_line_looks_like_a_helper_without_return() -> None:
    message = "unsupported operand type(s) for *: 'float' and 'NoneType'"
    source = 'state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g'
    found = read("TypeError", message, source, "step", "optimizers.Adam")
    assert found is not None and found.tag == "returns-none" and found.confidence == LOOKS_LIKE


def test_an_index_that_is_no_label_outside_a_loss_claims_nothing() -> None:
    message = "index 5 is out of bounds for axis 0 with size 5"
    assert read("IndexError", message, "step = self.steps[y]", "step", "optimizers.Adam") is None


# ------------------------------------------------------------------------------- a call's result unpacked
def test_fit_unpacked_into_one_name_with_more_epochs_names_the_epochs_argument() -> None:
    found = read(
        "ValueError",
        "too many values to unpack (expected 1)",
        "(loss,) = fit(model, loss_fn, optimizer, X, y, epoch, batch_size, shuffle, rng)",
        "fit_early_stopping",
        "early_stopping.fit_early_stopping",
    )
    assert (
        found is not None and found.tag == "fit-arguments" and "`epoch`" in found.text and "single epoch" in found.text
    )


def test_timeouts_and_unreadable_lines_are_not_read() -> None:
    assert read_crash(StudentTimeout("TimeoutError", "ran out of time"), component("layers.Flatten")) is None
    assert read("ValueError", "operands could not be broadcast together with shapes (4,5) (3,)", "x = (") is None


def test_a_loop_unpacking_each_item_says_each_item() -> None:
    found = read(
        "ValueError",
        "not enough values to unpack (expected 3, got 2)",
        "for X_batch, y_batch, w in minibatches(X, y, batch_size, shuffle, rng):",
        "fit",
        "training.fit",
    )
    assert found is not None and found.confidence == LOOKS_LIKE and "each item" in found.text


# ------------------------------------------------------------------------------- axes and shapes
def test_a_per_channel_vector_meeting_the_last_axis_says_reshape() -> None:
    found = read(
        "ValueError",
        "operands could not be broadcast together with shapes (2,3,4,5) (3,)",
        "y = x_hat * self.weight.data + self.bias.data",
        name="layers.BatchNorm2d",
    )
    assert found is not None and found.tag == "broadcast-wrong-axis" and found.confidence == LOOKS_LIKE
    assert "(1, C, 1, 1)" in found.text and "last axis (size 5)" in found.text
    # Statistics of no name the component owns: reduced without keepdims as likely as not reshaped. Both
    # said, as an observation (no mistake's tag).
    found = read(
        "ValueError",
        "operands could not be broadcast together with shapes (2,3,4,5) (3,)",
        "y = (x - mu) / sigma",
        name="layers.BatchNorm2d",
    )
    assert found is not None and found.tag == "exception"
    assert "(1, C, 1, 1)" in found.text and "keepdims=True" in found.text


def test_a_vector_that_fits_no_channel_axis_claims_nothing() -> None:
    message = "operands could not be broadcast together with shapes (2,3,4,5) (4,)"
    assert read("ValueError", message, "y = x * v") is None


def test_a_reduction_over_the_columns_assigned_to_rows_names_the_other_axis() -> None:
    found = read(
        "ValueError",
        "shape mismatch: value array of shape (4,) could not be broadcast to indexing result of shape (6,)",
        "g[np.arange(N), y] = -np.sum(m, axis=0)",
        method="backward",
        name="losses.HingeLoss",
    )
    assert found is not None and found.tag == "reduced-over-wrong-axes" and found.confidence == IS
    assert "axis=1" in found.text and "one value per column" in found.text


def test_an_assignment_mismatch_without_a_reduction_claims_nothing() -> None:
    message = "shape mismatch: value array of shape (4,) could not be broadcast to indexing result of shape (6,)"
    assert read("ValueError", message, "g[rows, y] = values", method="backward", name="losses.HingeLoss") is None


def test_a_loss_left_an_array_says_average_over_every_entry() -> None:
    message = "only 0-dimensional arrays can be converted to Python scalars"
    found = read("TypeError", message, "return float(loss)", name="losses.MSELoss")
    assert found is not None and found.tag == "loss-not-scalar" and "without an axis" in found.text
    assert read("TypeError", message, "return float(y)", name="layers.Flatten") is None  # a layer returns arrays


# ------------------------------------------------------------------------------- inner module
def test_an_inner_modules_backward_that_never_ran_forward_names_the_delegation() -> None:
    message, line = "'ELU' object has no attribute '_x'", "slope = self.alpha * np.exp(np.minimum(self._x, 0.0))"
    found = read("AttributeError", message, line, "backward", "activations.SELU")
    assert found is not None and found.tag == "inner-module-not-run" and found.confidence == LOOKS_LIKE
    # ELU's own attribute missing, or a crash in forward, is no delegation.
    for method, name in (("backward", "activations.ELU"), ("forward", "activations.SELU")):
        found = read("AttributeError", message, line, method, name)
        assert found is None or found.tag != "inner-module-not-run"


# ------------------------------------------------------------------------------- argmax without an axis
_ALONG = "`indices` and `arr` must have the same number of dimensions"


def test_an_argmax_without_axis_on_the_line_is_the_cause() -> None:
    source = "y = np.take_along_axis(windows, windows.argmax()[..., None], axis=-1)[..., 0]"
    found = read("ValueError", _ALONG, source, name="layers.MaxPool2d")
    assert found is not None and found.tag == "argmax-without-axis" and found.confidence == IS
    assert "argmax(axis=-1)" in found.text


def test_saved_arg_indices_given_their_axis_back_only_look_like_it() -> None:
    source = "y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]"
    found = read("ValueError", _ALONG, source, name="layers.MaxPool2d")
    assert found is not None and found.tag == "argmax-without-axis" and found.confidence == LOOKS_LIKE
    other = read("ValueError", _ALONG, "y = np.take_along_axis(windows, idx, axis=-1)", name="layers.MaxPool2d")
    assert other is None or other.tag != "argmax-without-axis"


def test_labels_given_to_take_along_axis_without_their_axis_are_the_cause() -> None:
    source = "loss = -np.mean(np.take_along_axis(log_probs, self._labels, axis=1))"
    found = read("ValueError", _ALONG, source, name="losses.CrossEntropyLoss")
    assert found is not None and found.tag == "take-without-axis" and found.confidence == IS
    assert "`self._labels[:, None]`" in found.text
    other = read("ValueError", _ALONG, "y = np.take_along_axis(windows, idx, axis=-1)", name="layers.MaxPool2d")
    assert other is not None and other.confidence == LOOKS_LIKE and "[..., None]" in other.text
    added = "loss = -np.mean(np.take_along_axis(log_probs, self._labels[:, None, None], axis=1))"
    assert read("ValueError", _ALONG, added, name="losses.CrossEntropyLoss") is None


# ------------------------------------------------------------------------------- the math module on arrays
_SCALARS = "only 0-dimensional arrays can be converted to Python scalars"


def test_a_math_function_of_an_array_is_the_cause() -> None:
    found = read("TypeError", _SCALARS, "z = math.exp(-abs(x))", name="activations.Sigmoid")
    assert found is not None and found.tag == "math-function-on-array" and found.confidence == IS
    assert "`np.exp(-abs(x))`" in found.text
    # numpy has no erf: the module's own erf is named; math.sqrt(2.0) of a number is no suspect.
    erf = read("TypeError", _SCALARS, "cdf = 0.5 * (1 + math.erf(x / math.sqrt(2.0)))", name="activations.GELU")
    assert erf is not None and erf.tag == "math-function-on-array" and "numpy has no erf" in erf.text


def test_a_math_function_of_plain_numbers_only_claims_nothing() -> None:
    found = read("TypeError", _SCALARS, "scale = math.sqrt(2.0 / math.pi) * float(x)", name="activations.GELU")
    assert found is None or found.tag != "math-function-on-array"


# ------------------------------------------------------------------------------- state not saved
def test_an_attribute_forward_never_set_on_its_path_is_state_not_saved() -> None:
    message, line = "'ELU' object has no attribute '_x'", "xc, t = np.clip(self._x, -10.0, 10.0), self._t"
    found = read("AttributeError", message, line, "backward", "activations.ELU")
    assert found is not None and found.tag == "saved-none" and "every path" in found.text
    # Another object's attribute, or one the line does not read from self, is not the component's state.
    for other_message in ("'GELU' object has no attribute '_x'", "'ELU' object has no attribute 'y'"):
        other = read("AttributeError", other_message, line, "backward", "activations.ELU")
        assert other is None or other.tag != "saved-none"


def test_a_missing_attribute_of_a_component_with_a_string_setting_claims_nothing_from_the_crash_alone() -> None:
    """GELU's approximate is a string: `if self.approximate:` (true for 'none') sends forward down another branch
    than backward, which the crash alone does not tell from an assignment missing on the path (modules.py reads
    forward's output for that)."""
    message, line = "'GELU' object has no attribute '_cdf'", "return grad_y * (self._cdf + self._x * pdf)"
    assert read("AttributeError", message, line, "backward", "activations.GELU") is None


# ------------------------------------------------------------------------------- PyTorch's tensor members
def test_a_tensor_member_asked_of_a_float_on_the_line_is_a_pytorch_habit() -> None:
    found = read(
        "AttributeError",
        "'float' object has no attribute 'item'",
        "total += loss.item() * len(X_batch)",
        method="fit",
        name="training.fit",
    )
    assert found is not None and found.tag == "pytorch-idiom" and found.confidence == IS
    assert "`loss.item()`" in found.text and "float(loss)" in found.text


def test_a_missing_attribute_numpy_has_no_twin_for_claims_nothing() -> None:
    """``x.weights`` on an array is a typo of the student's own names, not a PyTorch habit."""
    assert read("AttributeError", "'numpy.ndarray' object has no attribute 'weights'", "y = x.weights @ w") is None


# ------------------------------------------------------------------------------- a loop variable rebinds
def test_a_loop_variable_named_like_its_sequence_is_the_cause() -> None:
    found = read(
        "TypeError",
        "'numpy.float64' object is not iterable",
        "for x, y in zip(X, y, strict=True):",
        method="fit",
        name="models.Perceptron",
    )
    assert found is not None and found.tag == "name-shadowed" and found.confidence == IS
    assert "`y`" in found.text and "rebinds" in found.text


def test_a_loop_over_a_number_with_its_own_names_claims_nothing() -> None:
    assert (
        read("TypeError", "'int' object is not iterable", "for x in n:", method="fit", name="models.Perceptron") is None
    )


# ------------------------------------------------------------------------------- a list reduced to one number
def test_the_maximum_of_a_list_of_two_arrays_is_the_cause_when_it_no_longer_stacks() -> None:
    """``np.max([m, v])`` stored one number; at the next step it met an array in the list."""
    found = read(
        "ValueError",
        "setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions.",
        'state["vmax"] = np.max([state["vmax"], v])',
        method="step",
        name="optimizers.Adam",
    )
    assert found is not None and found.tag == "max-for-maximum" and found.confidence == IS
    assert 'np.maximum(state["vmax"], v)' in found.text


def test_a_maximum_along_an_axis_of_a_list_claims_nothing() -> None:
    found = read(
        "ValueError",
        "setting an array element with a sequence.",
        "m = np.max([a, b], axis=0)",
        method="step",
        name="optimizers.Adam",
    )
    assert found is None


@pytest.mark.parametrize(
    ("source", "message", "fix"),
    [
        (
            'state["vmax"] = np.max(state["vmax"], v)',
            "only integer scalar arrays can be converted to a scalar index",
            'np.maximum(state["vmax"], v)',
        ),
        ("y = np.max(x, 0.0)", "'float' object cannot be interpreted as an integer", "np.maximum(x, 0.0)"),
        ("m = a.min(b)", "only integer scalar arrays can be converted to a scalar index", "np.minimum(a, b)"),
    ],
)
def test_a_second_array_given_to_a_reduction_as_its_axis_is_max_for_maximum(
    source: str, message: str, fix: str
) -> None:
    found = read("TypeError", message, source, method="step", name="optimizers.Adam")
    assert found is not None and found.tag in ("max-for-maximum", "min-for-minimum") and found.confidence == IS
    assert fix in found.text and "axis" in found.text


def test_a_type_error_beside_a_reduction_along_a_named_axis_claims_nothing() -> None:
    """The axis is a name that holds one: the index error may come from elsewhere on the line."""
    found = read(
        "TypeError",
        "only integer scalar arrays can be converted to a scalar index",
        "y = np.max(x, self.axis) + rows[idx]",
        method="step",
        name="optimizers.Adam",
    )
    assert found is None


# ------------------------------------------------------------------------------- a comprehension's clauses
def test_a_name_only_a_later_for_clause_defines_is_the_clause_order() -> None:
    found = read(
        "NameError",
        "name 'row' is not defined",
        "return [v for v in row for row in table]",
        method="flatten",
        name="models.Perceptron",
    )
    assert found is not None and found.tag == "comprehension-order" and found.confidence == IS
    assert "left to right" in found.text


def test_a_name_no_clause_defines_claims_nothing() -> None:
    found = read("NameError", "name 'rows' is not defined", "return [v for row in rows for v in row]")
    assert found is None or found.tag != "comprehension-order"


# ------------------------------------------------------------------------------- PyTorch's signatures
def test_an_argument_to_a_method_that_takes_none_here_is_a_pytorch_signature() -> None:
    found = read(
        "TypeError",
        "Linear.train() takes 1 positional argument but 2 were given",
        "child.train(False)",
        method="eval",
        name="models.Perceptron",
    )
    assert found is not None and found.tag == "pytorch-idiom" and "eval()" in found.text


def test_too_many_arguments_to_a_method_of_the_students_own_claims_nothing() -> None:
    found = read("TypeError", "Net.score() takes 1 positional argument but 2 were given", "net.score(X)")
    assert found is None or found.tag != "pytorch-idiom"


# ------------------------------------------------------------------------------- set M: numpy semantics
@pytest.mark.parametrize(
    ("message", "source", "fixed"),
    [
        (
            "zeros() takes from 1 to 3 positional arguments but 4 were given",
            "grad_x = np.zeros(*self._x_shape)",
            "np.zeros(self._x_shape)",
        ),
        ("Cannot interpret '4' as a data type", "out = np.ones(N, D)", "np.ones((N, D))"),
    ],
)
def test_sizes_passed_one_by_one_to_a_numpy_constructor_are_the_cause(message: str, source: str, fixed: str) -> None:
    found = read("TypeError", message, source, method="backward", name="layers.AvgPool2d")
    assert found is not None and found.tag == "rand-unpacked-shape" and found.confidence == IS
    assert "one tuple" in found.text and "dtype" in found.text and fixed in found.text


def test_a_dtype_as_the_second_argument_of_np_zeros_is_no_unpacked_shape() -> None:
    found = read("TypeError", "unsupported operand", "out = np.zeros(n, np.float64) + None", name="layers.AvgPool2d")
    assert found is None or found.tag != "rand-unpacked-shape"


def test_the_transpose_of_one_row_taken_for_a_column_is_read_from_the_line() -> None:
    message, source = "shapes (3,) and (4,) not aligned: 3 (dim 0) != 4 (dim 0)", "dW += np.dot(g[i, :].T, x[i])"
    found = read("ValueError", message, source, method="backward", name="layers.Linear")
    assert found is not None and found.tag == "transpose-of-1d" and found.confidence == LOOKS_LIKE
    assert "1-D" in found.text and "np.outer" in found.text


def test_a_transposed_row_is_no_1d_transpose_when_the_message_names_no_1d_shape() -> None:
    """matmul's message names sizes, not shapes: cols[n].T of a 3-D array is a real transpose."""
    message = (
        "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
        "(n?,k),(k,m?)->(n?,m?) (size 4 is different from 3)"
    )
    found = read("ValueError", message, "out[n] = cols[n].T @ W", method="forward", name="layers.Conv2d")
    assert found is None or found.tag != "transpose-of-1d"


def test_a_transposed_row_among_two_dimensional_shapes_is_no_1d_transpose() -> None:
    message = "shapes (3,4) and (3,4) not aligned: 4 (dim 1) != 3 (dim 0)"
    found = read("ValueError", message, "z = np.dot(w[k].T, x)", method="forward", name="layers.Linear")
    assert found is None or found.tag != "transpose-of-1d"


# ------------------------------------------------------------------------------- np.choose, norm's ord
def _with_contract(error: StudentError, shapes: dict, labels: tuple[int, ...] = ()) -> StudentError:
    error.contract = Contract("forward(input, target) ...", shapes, labels)
    return error


@pytest.mark.parametrize("source", ["loss = -np.mean(np.choose(y, log_probs))", "picked = labels.choose(logp)"])
def test_np_choose_of_the_rows_is_the_cause_when_numpy_gives_the_same_message(source: str) -> None:
    """np.choose takes the rows of (6, 5) scores as its choices: rows of 5 against 6 labels do not broadcast."""
    labels = (0, 4, 2, 1, 3, 0)
    try:
        np.choose(np.asarray(labels), np.zeros((6, 5)))
    except ValueError as error:
        message = str(error)
    raw, part = crash("ValueError", message, source, name="losses.CrossEntropyLoss")
    found = read_crash(_with_contract(raw, {"input": (6, 5), "target": (6,)}, labels), part)
    assert found is not None and found.tag == "transposed" and found.confidence == IS
    assert "(y_j, j)" in found.text and "[np.arange(N), " in found.text


def test_np_choose_without_the_case_only_looks_like_rows_as_choices() -> None:
    found = read(
        "ValueError",
        "invalid entry in choice array",
        "loss = -np.mean(np.choose(y, log_probs))",
        name="losses.CrossEntropyLoss",
    )
    assert found is not None and found.tag == "transposed" and found.confidence == LOOKS_LIKE


def test_np_choose_off_a_class_loss_or_off_the_line_claims_nothing() -> None:
    assert read("ValueError", "invalid entry in choice array", "y = np.choose(i, x)", name="layers.Flatten") is None
    assert (
        read("ValueError", "invalid entry in choice array", "loss = -np.mean(p)", name="losses.CrossEntropyLoss")
        is None
    )


@pytest.mark.parametrize(
    "source", ["loss = np.linalg.norm(d, 2) ** 2 / d.size", "n = np.linalg.norm(self._diff, ord=2)"]
)
def test_a_norm_with_an_ord_on_an_array_of_three_axes_is_the_cause(source: str) -> None:
    found = read("ValueError", "Improper number of dimensions to norm.", source, name="losses.MSELoss")
    assert found is not None and found.tag == "norm-not-entrywise" and found.confidence == IS
    assert "largest singular value" in found.text and "without ord" in found.text


def test_a_norm_with_an_axis_is_no_matrix_norm() -> None:
    assert (
        read("ValueError", "Improper number of dimensions to norm.", "n = np.linalg.norm(d, 2, axis=(0, 1, 2))") is None
    )


# ------------------------------------------------------------------------------- a window slice's step
def test_a_slice_stepping_by_the_other_axis_stride_is_named_not_the_window_count() -> None:
    """``j:j + sW * Wo:sH``: the stop counts Wo windows of sW, the step is the rows' sH; the count is right."""
    found = read(
        "ValueError",
        "operands could not be broadcast together with shapes (2,2,3,6) (2,2,3,3) (2,2,3,6)",
        "grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sH] += np.where(won, grad_y, 0.0)",
        method="backward",
        name="layers.MaxPool2d",
    )
    assert found is not None and found.tag == "stride-height-width-swapped" and found.confidence == LOOKS_LIKE
    assert "`j:j + sW * Wo:sH`" in found.text and "not the matter" in found.text


def test_a_slice_stepping_by_its_own_stride_is_not_read_as_the_other_axis() -> None:
    """One stride for both axes (`s`): the step is each slice's own, so the longer slice says the count."""
    found = read(
        "ValueError",
        "operands could not be broadcast together with shapes (2,2,3,6) (2,2,3,3) (2,2,3,6)",
        "grad_x[:, :, i:i + s * Ho:s, j:j + s * Wo:s] += share",
        method="backward",
        name="layers.AvgPool2d",
    )
    assert found is not None and found.tag == "output-size-formula"


def test_a_stop_counting_in_the_other_stride_claims_no_window_count() -> None:
    """``j:j + sH * Wo:sW``: the step is the columns' own, the stop multiplies another stride; the count of
    windows is not singled out."""
    found = read(
        "ValueError",
        "operands could not be broadcast together with shapes (2,2,3,6) (2,2,3,3) (2,2,3,6)",
        "grad_x[:, :, i:i + sH * Ho:sH, j:j + sH * Wo:sW] += share",
        method="backward",
        name="layers.AvgPool2d",
    )
    assert found is None or found.tag != "output-size-formula"
