"""The contract a crash broke: "dx must have the shape of x, (4, 3)" beside numpy's message.

numpy's "operands could not be broadcast together with shapes (4,2) (4,3)" says what failed
inside the student's code, not what the code was asked to do. A check that knows the shapes
wraps its call into the student's code in :func:`promised`; a shape error raised inside it
then carries the contract, and the runner writes both (runner._run_one), with the mistake the
crash reveals when the line that raised shows one (crashes.py). A check that put the object in
a state the crash may depend on (eval mode) says so with :func:`during`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from nnlab.graders.running.puppet import StudentCrash, StudentError, StudentTimeout

# Exceptions numpy raises for shapes, and the words of their messages.
SHAPE_ERRORS = ("ValueError", "IndexError")
SHAPE_WORDS = ("shape", "broadcast", "dimension", "aligned", "size", "axis", "ind")


class Contract(str):
    """A contract's sentence, with the shapes of the inputs it promised (``{"x": (4, 3)}``): what a
    crash reader compares the student's assumptions with (crashes.py)."""

    shapes: dict[str, tuple[int, ...]]
    labels: tuple[int, ...]  # the class labels the call was given (a class loss's), else ()

    def __new__(
        cls, text: str, shapes: Mapping[str, tuple[int, ...]] | None = None, labels: tuple[int, ...] = ()
    ) -> Contract:
        made = super().__new__(cls, text)
        made.shapes = dict(shapes or {})
        made.labels = tuple(labels)
        return made


def is_shape_error(error: StudentError) -> bool:
    """A shape or indexing error (broadcast, matmul, reshape, index out of bounds)?"""
    if isinstance(error, (StudentTimeout, StudentCrash)) or error.not_implemented:
        return False
    message = error.message.lower()
    return error.type_name in SHAPE_ERRORS and any(word in message for word in SHAPE_WORDS)


@contextmanager
def promised(contract: str | Callable[[], str]) -> Iterator[None]:
    """Around a call into the student's code: a shape error raised there carries ``contract``
    (a sentence, or a function that writes it: computed only when needed)."""
    try:
        yield
    except StudentError as error:
        if not error.contract and is_shape_error(error):
            error.contract = contract() if callable(contract) else contract
        raise


EVAL_MODE = "in eval mode (after eval(), training is False)"


@contextmanager
def during(state: str) -> Iterator[None]:
    """Around calls made in a state a crash may depend on: an error raised there carries ``state``,
    a phrase such as "in eval mode (after eval()), where dropout is the identity" (crashes.py)."""
    try:
        yield
    except StudentError as error:
        error.state = error.state or state
        raise


def _params(params: Mapping[str, tuple[int, ...]]) -> str:
    return ", ".join(f"{name} {shape}" for name, shape in params.items())


def forward_contract(x: tuple[int, ...], y: tuple[int, ...], params: Mapping[str, tuple[int, ...]]) -> Contract:
    """forward(x) -> y, with the parameters it multiplies by."""
    text = f"forward(x) takes x of shape {x} and returns y of shape {y}"
    if params:
        text += f", using {_params(params)}: check the shape of each operand of every product"
    return Contract(text, {"x": tuple(x)})


def backward_contract(x: tuple[int, ...], y: tuple[int, ...], params: Mapping[str, tuple[int, ...]]) -> Contract:
    """backward(grad_y) -> grad_x, the shape of x; each p.grad the shape of p."""
    text = f"backward(grad_y) takes grad_y of shape {y}, the output's, and returns grad_x of the shape of x, {x}"
    if params:
        text += f"; each parameter's .grad has the parameter's shape ({_params(params)})"
    return Contract(text + ": check the shape of each operand, and of what forward saved for backward", {"x": tuple(x)})


def step_contract(shapes: list[tuple[int, ...]]) -> str:
    """step() -> p.data updated, p.grad and the state the shape of p.data."""
    listed = ", ".join(str(s) for s in shapes)
    text = (
        f"step() updates each p.data with p.grad of the same shape ({listed}); the state kept per parameter "
        "(momentum, running averages) has the shape of its parameter: check that it is not shared between "
        "parameters or built from the wrong one"
    )
    return Contract(text, {f"parameter {i}": tuple(s) for i, s in enumerate(shapes)})
