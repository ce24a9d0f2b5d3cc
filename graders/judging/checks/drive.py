"""Helpers for rubrics that drive a component: the one hypothesis runner, seeds, test doubles, descriptions."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, Verbosity, given
from hypothesis import seed as hypothesis_seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.errors import Flaky
from nnlab.graders import settings
from nnlab.graders.results import Outcome, failed, passed
from nnlab.graders.running.puppet import StudentError

from ..catalogue import Context
from ..tolerance import as_array, fmt, kind_name

Problem = tuple[str, str] | None  # (feedback, misconception tag), or None when all is well


# ------------------------------------------------------------------------------- the hypothesis runner
class PropertyFailed(AssertionError):
    """A body's complaint about one example (``expect_close`` raises it); the runner ends the sentence.

    ``tag`` and ``confidence`` name the misconception the example shows, when the body can tell
    ("is": a simulation reproduces the numbers; "looks like": only the pattern fits); ``tag=None``
    keeps the check's own, ``""`` says the example names no misconception (an observation).
    """

    def __init__(self, sentence: str, tag: str | None = None, confidence: str = "") -> None:
        super().__init__(sentence)
        self.tag = tag
        self.confidence = confidence


class _Falsified(AssertionError):
    """Tells hypothesis that an example failed (the feedback is kept aside, in the runner)."""


class _Stop(BaseException):
    """Ends a hypothesis run at once: hypothesis replays and shrinks after ordinary exceptions."""

    def __init__(self, error: StudentError | None = None) -> None:
        super().__init__()
        self.error = error


# No shrinking: every shrink step is another round of calls into a submission that may be
# slow; the first failing example is reported as drawn (derandomized, so always the same).
NO_SHRINKING = (Phase.explicit, Phase.reuse, Phase.generate)


@contextmanager
def _examples_from_the_seed_alone() -> Iterator[None]:
    """Draw examples from the seed and the strategy alone, not from constants of nnlab's own source.

    Recent hypothesis versions (2025 on) mix into their draws the literals of every loaded module installed
    outside site-packages, read by parsing their source when a process first draws. For nnlab that
    made the examples depend on which of its modules happened to be loaded and on any number written
    in them (an editable install and a wheel drew different examples), cost each grading process
    about 0.2 s of parsing, and wrote a ``.hypothesis/`` cache into the grader's working directory.
    """
    from hypothesis.internal.conjecture import providers  # private: absent in older versions

    local = getattr(providers, "_get_local_constants", None)
    cache = getattr(providers, "CONSTANTS_CACHE", None)
    if local is None or cache is None or not hasattr(providers, "Constants"):
        yield
        return
    providers._get_local_constants = providers.Constants
    cache.cache.clear()  # permitted constants cached by an earlier run that saw local ones
    try:
        yield
    finally:
        providers._get_local_constants = local
        cache.cache.clear()


def hypothesis_check(
    ctx: Context, name: str, strategy: st.SearchStrategy, body: Callable[[Any], Problem], tag: str = "property"
) -> Outcome:
    """Run ``body`` on derandomized hypothesis examples; its first complaint fails the check.

    The one hypothesis runner of the rubric. ``body`` returns None, or ``(feedback, tag)`` or
    ``(feedback, tag, confidence)`` describing the example; or it raises :class:`PropertyFailed`
    with a sentence, which fails the check under its tag or ``tag``. Examples are drawn from the
    grading seed, so a report is reproducible. A student's exception (:class:`StudentError`) ends the run at once and
    propagates to the runner: the error, not the example, is the feedback (and a timed-out
    session must not be called again). After a failure, at most ``settings.PROPERTY_SHRINK_CALLS``
    more calls are made (hypothesis replays the failing example once).
    """
    found: list[tuple[str, str, str, str]] = []  # (feedback, tag, the sentence's end, confidence)
    calls_since_failure = [0]

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
        if found:
            calls_since_failure[0] += 1
            if calls_since_failure[0] > settings.PROPERTY_SHRINK_CALLS:
                raise _Stop()
        try:
            problem = body(example)
        except PropertyFailed as error:
            problem, end = (str(error), tag if error.tag is None else error.tag, error.confidence), "."
        except StudentError as error:
            raise _Stop(error) from None
        else:
            end = ""
        if problem is not None:
            text, found_tag, confidence = (*problem, "")[:3]
            found.append((text, found_tag, end, confidence))
            raise _Falsified(text)

    try:
        with _examples_from_the_seed_alone():
            run()
    except _Stop as stop:
        if stop.error is not None:
            raise stop.error from None
    except _Falsified:
        pass
    except Flaky:
        # A counterexample that passed when hypothesis replayed it: the result depends on
        # earlier calls or on the student's own randomness. Still a counterexample.
        if not found:
            raise
        text, found_tag, _, confidence = found[0]
        return failed(
            name,
            f"{text} (the same example passed when repeated: the result depends on "
            "earlier calls or on unseeded randomness).",
            found_tag,
            confidence=confidence,
        )
    if found:
        text, found_tag, end, confidence = found[-1]
        return failed(name, text + end, found_tag, confidence=confidence)
    return passed(name)


# ------------------------------------------------------------------------------- helpers
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
    return f"{kind_name(value)} {describe_value(value)}" if array is not None else kind_name(value)


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


# ------------------------------------------------------------------------------- bodies that say what went wrong
def holds(ctx: Context, name: str, strategy: st.SearchStrategy, body: Callable[..., Any], tag: str) -> Outcome:
    """:func:`hypothesis_check` for a body that takes the example's parts and returns "" or what went wrong.

    The body may return ``(text, tag)`` to name the misconception its evidence shows, or
    ``(text, tag, confidence)`` to say how sure that is ("is": a simulation reproduces the
    numbers; "looks like": only the pattern fits); ``tag`` is the default. The sentence is ended
    for it, and the runner's rules hold: the student's exception ends the search at once, and a
    failure is followed by at most ``settings.PROPERTY_SHRINK_CALLS`` more calls.
    """

    def check_example(example: tuple) -> None:
        problem = body(*example)
        if isinstance(problem, tuple):
            text, found_tag, confidence = (*problem, "")[:3]
            raise PropertyFailed(text, found_tag, confidence)
        if problem:
            raise PropertyFailed(problem)

    return hypothesis_check(ctx, name, strategy, check_example, tag)
