"""Helpers for rubrics that drive a component with test doubles and hypothesis examples."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, Verbosity, given
from hypothesis import seed as hypothesis_seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from .. import settings
from ..catalogue import Context
from ..puppet import StudentError
from ..results import Outcome, failed, passed
from ..tolerance import as_array, fmt

Problem = tuple[str, str] | None  # (feedback, misconception tag), or None when all is well


# ------------------------------------------------------------------------------- helpers
class FalsifiedError(AssertionError):
    def __init__(self, text: str, tag: str) -> None:
        super().__init__(text)
        self.text, self.tag = text, tag


# No shrinking: every shrink step is another round of calls into a submission that may be
# slow; the first failing example is reported as drawn (derandomized, so always the same).
NO_SHRINKING = (Phase.explicit, Phase.reuse, Phase.generate)


def hypothesis_check(ctx: Context, name: str, strategy: st.SearchStrategy, body: Callable[[Any], Problem]) -> Outcome:
    """Run ``body`` on derandomized hypothesis examples; its first complaint fails the check.

    ``body`` returns None or ``(feedback, tag)``; the feedback describes the example. A
    :class:`StudentError` raised inside propagates (the runner reports it).
    """

    @hypothesis_seed(ctx.seed)
    @hypothesis_settings(
        max_examples=settings.PROPERTY_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        phases=NO_SHRINKING,
    )
    @given(strategy)
    def run(example: Any) -> None:
        problem = body(example)
        if problem is not None:
            raise FalsifiedError(*problem)

    try:
        run()
    except FalsifiedError as error:
        return failed(name, error.text, error.tag)
    return passed(name)


def example_rng(ctx: Context, drawn: int) -> np.random.Generator:
    """Hypothesis draws a seed; mixing in the grading seed makes every seed see new arrays."""
    return np.random.default_rng([ctx.seed, drawn])


def draw_seed(ctx: Context, *salt: object) -> int:
    return int(ctx.rng("seed", *salt).integers(2**31 - 1))


def describe_value(value: Any) -> str:
    if type(value) in (bool, np.bool_):
        return str(bool(value))
    array = as_array(value)
    if array is None:
        return repr(value) if value is None else type(value).__name__
    if array.ndim == 0:
        return fmt(float(array))
    return np.array2string(np.asarray(array, dtype=np.float64), precision=4, separator=", ")


def is_number(value: Any) -> bool:
    return (
        type(value) in (int, float)
        or isinstance(value, np.generic)
        and value.dtype.kind in "iuf"
        or (isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf")
    )


def describe_kind(value: Any) -> str:
    """ "an array of shape (3,) and dtype float32", "None", "list [1, 2]": what a call returned."""
    array = as_array(value)
    if isinstance(value, np.ndarray) and array is not None:
        return f"an array of shape {array.shape} and dtype {array.dtype}"
    if value is None:
        return "None"
    return f"{type(value).__name__} {describe_value(value)}" if array is not None else type(value).__name__


@contextmanager
def correct_helpers(ctx: Context) -> Iterator[list[Any]]:
    """While the block runs, every helper the component calls (``component.uses``) is a correct
    test double in the submission's module (``doubles.NameSwap``, which records the calls), so
    the component is judged on its own code and a bug in a helper costs the helper only."""
    swaps = [ctx.session.harness("name_swap", ctx.component.name, name) for name in ctx.component.uses]
    try:
        yield swaps
    finally:
        for swap in swaps:
            try:
                ctx.session.call(swap, "restore")
            except StudentError:  # the worker is gone (a timeout, a crash): nothing left to restore
                pass
