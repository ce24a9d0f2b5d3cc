"""Why a ``Perceptron.fit`` went wrong: its loop, or the ``update`` it calls?

fit is a loop over update, so every bug in update also changes what fit returns, and a rule such
as "fit returned True too early: it tested predict(X) == y" would blame the loop for the update's
mistake. Instead the loop of docs/api.md, and the loop with each known mistake, are replayed over
the submission's own update (``doubles.perceptron_loop``, in its worker). A loop whose replay
reproduces everything fit did (return value, weights, bias, number of update calls) on every run of
the check is the cause ("is"); when the right loop reproduces it, the loop is fine and the
difference comes from update. Anything else gets no diagnosis. Replays run only after a failure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from nnlab.graders import settings
from nnlab.graders.running.puppet import StudentCrash, StudentError, StudentTimeout

from ..catalogue import Context
from ..diagnose import IS
from ..tolerance import allclose, as_array

_SUMS_ERRORS = (
    "fit added up update's signed errors (mistakes += error) instead of counting the mistakes: a false positive "
    "(-1.0) and a missed 1 (+1.0) cancel, so an epoch with mistakes can look clean; count each nonzero error as "
    "one mistake (`if self.update(x, target) != 0.0: mistakes += 1`)"
)
_LR_SCHEDULE = (
    "fit changed the step size from epoch to epoch, {}: docs/api.md's loop with that schedule, run over your "
    "update, gives exactly your result and weights. Rosenblatt's rule steps by the constant lr in every epoch "
    "(annealing is a choice of gradient-descent optimizers, and the perceptron's convergence does not need it), and "
    "fit leaves self.lr as it was given"
)
_AVERAGED = (
    "{}, fit replaced the weight and bias by their average over every sample of the run (the averaged "
    "perceptron): docs/api.md's loop with that average, run over your update, gives exactly your weights. fit keeps "
    "the weight and bias the rule ended with, the ones that made the clean epoch (an average of earlier weights "
    "need not classify the data at all)"
)
_POCKET = (
    "when max_epochs ran out without a clean epoch, fit put back the weights of the epoch with {} (the pocket "
    "algorithm): docs/api.md's loop with that pocket, run over your update, gives exactly your weights. fit keeps "
    "the weight and bias the rule ended with, the last weights, whether or not an epoch came out clean"
)
# A mistake in the loop of fit: (tag, the mistake in a student's words).
LOOP_MISTAKES = {
    "never-stops-early": (
        "fit-no-early-stop",
        "fit ran all max_epochs epochs and only then reported whether the last one was clean; return True as soon "
        "as an epoch makes no mistake",
    ),
    "mistakes-not-reset": (
        "mistakes-not-reset",
        "the count of mistakes was not set back to 0 at the start of each epoch, so once a mistake is counted no "
        "later epoch looks clean: start every epoch with mistakes = 0",
    ),
    "converged-by-predict": (
        "fit-true-too-early",
        "fit also returned True when predict(X) == y after an epoch's updates, one epoch before the epoch without "
        "mistakes; return True only when an epoch's updates all returned 0.0",
    ),
    "returns-accuracy": (
        "fit-true-too-early",
        "when max_epochs ran out, fit returned whether predict(X) == y; without an epoch free of mistakes it "
        "returns False",
    ),
    "stops-without-true": (
        "fit-return-value",
        "fit stopped at the first epoch without a mistake, at the right epoch, but returned False: the loop was "
        "left with `break` and fit fell through to `return False`; return True there, where the epoch is clean",
    ),
    "always-true": (
        "fit-return-value",
        "fit returned True after the first epoch whatever happened, so its return does not depend on the count of "
        "mistakes (note that a for loop's `else` runs whenever the loop ends without `break`, not when nothing went "
        "wrong); return True only after an epoch without a mistake",
    ),
    # A statement of the loop at the wrong indentation: the end-of-epoch test inside the sample loop
    # (or the count reset there), `return False` inside the epoch loop.
    "clean-test-per-sample": (
        "fit-true-too-early",
        "the test for an epoch without mistakes sits inside the loop over the samples, so fit returned True as soon "
        "as the samples seen so far in an epoch were right; test mistakes == 0 after the whole epoch, one "
        "indentation level out",
    ),
    "clean-test-before-samples": (
        "fit-true-too-early",
        "fit returned True before any update: the test for an epoch without mistakes comes before the loop over "
        "the samples, where the count is still 0; test it after the epoch's updates",
    ),
    "stops-on-right-sample": (
        "fit-true-too-early",
        "fit returned True at the first sample whose update returned 0.0; one right sample is not an epoch "
        "without mistakes: count the mistakes of the whole epoch and test the count after it",
    ),
    "reset-per-sample": (
        "fit-true-too-early",
        "the count of mistakes is set back to 0 inside the loop over the samples, so only the epoch's last sample "
        "counts; set mistakes = 0 once, at the start of each epoch",
    ),
    # `mistakes += 1` dedented out of its `if`, or an `if` always true; one on identity (`is not 0.0`) gives the
    # same numbers, and loop_verdict's probe parts it off
    "counts-every-sample": (
        "counts-every-sample",
        "every sample was counted as a mistake, right or not, so no epoch ever looks clean and fit never returns "
        "True: mistakes += 1 sits outside the `if` on update's result, or that `if` is true whatever update "
        "returns (a test such as `is not None`); count a sample only when update returned a change",
    ),
    # update's signed errors added up (`mistakes += self.update(x, target)`), the total tested == 0 or
    # <= 0: one sentence for both (the runs seldom tell them apart, the fix is the same)
    "sums-errors": ("mistakes-cancel", _SUMS_ERRORS),
    "sums-errors-at-most-zero": ("mistakes-cancel", _SUMS_ERRORS),
    "false-inside-epoch-loop": (
        "fit-epochs",
        "fit returned False at the end of the first epoch that made a mistake: the `return False` sits inside the "
        "epoch loop; it belongs after the loop, once all max_epochs epochs ran",
    ),
    # the epoch cut short at its first mistake: `if all(self.update(x, t) == 0.0 for ...)` (all() over a
    # generator stops at the first False; any() at the first True), or a `break` after the first mistake
    "epoch-ends-at-mistake": (
        "short-circuit",
        "every epoch ended at its first mistake: fit stopped visiting the samples as soon as an update returned a "
        "change and began the next epoch at the first sample again, so the samples after a mistake were skipped "
        "in that epoch. all(...) over a generator short-circuits, it stops at the first False (any(...) at the "
        "first True), and a `break` at the first mistake does the same; every sample must be updated in every "
        "epoch before the epoch is judged: count the mistakes over the whole epoch (or call all() on a list, "
        "all([...]), whose updates have all run)",
    ),
    # `samples = zip(X, y)` above the epoch loop: the first epoch uses the iterator up, every later one is empty
    "samples-iterator-shared": (
        "iterator-exhausted",
        "the samples were walked through one iterator made once, before the epoch loop (samples = zip(X, y), or "
        "map, enumerate, iter(...), a generator): the first epoch used it up, so every later epoch visited no "
        "sample, made no mistake and fit returned True after it. An iterator can be walked only once; loop over "
        "zip(X, y, strict=True) afresh in each epoch (or make a list of the pairs once)",
    ),
    "skips-last-sample": (
        "loop-off-by-one",
        "fit never updated on the last sample (a loop over range(len(X) - 1)): every epoch must visit every "
        "sample, range(len(X)), and an epoch is clean only when all of them are right",
    ),
    "skips-first-sample": (
        "loop-off-by-one",
        "fit never updated on the first sample (a loop over range(1, len(X)), as if indices counted from 1): every "
        "epoch must visit every sample, from index 0 on",
    ),
    # every prediction of an epoch made before any update (predict(X) at the epoch's start), their errors applied
    # together: the batch perceptron, whose predictions never see the corrections of the epoch's earlier samples
    "batch-per-epoch": (
        "batch-perceptron",
        "fit computed every sample's prediction at the start of the epoch (predict(X)) and applied all their "
        "corrections together, the batch perceptron: in Rosenblatt's rule each sample is handled one at a time, in "
        "order, with update(x, target), so each prediction sees the corrections of the samples before it in the "
        "same epoch",
    ),
    # a learning rate that shrinks epoch after epoch (annealed), as optimizers' schedules do
    "lr-over-epoch": ("lr-schedule-added", _LR_SCHEDULE.format("lr / (epoch + 1) in epoch number epoch (from 0)")),
    "lr-over-sqrt-epoch": ("lr-schedule-added", _LR_SCHEDULE.format("lr / sqrt(epoch + 1) in epoch number epoch")),
    **{
        f"lr-times-{factor}": ("lr-schedule-added", _LR_SCHEDULE.format(f"lr * {factor}^epoch (decayed by {factor})"))
        for factor in (0.5, 0.9, 0.95, 0.99)
    },
    # the averaged perceptron (Freund and Schapire): the mean of the weights after every sample replaces the last
    "averaged": ("averaged-weights", _AVERAGED.format("when an epoch came out clean")),
    "averaged-always": ("averaged-weights", _AVERAGED.format("when fit returned (after a clean epoch or not)")),
    "averaged-over-updates": (
        "averaged-weights",
        _AVERAGED.format("when an epoch came out clean").replace(
            "every sample of the run", "every update that changed them"
        ),
    ),
    # the pocket algorithm (Gallant): the best weights seen put back when no epoch is clean
    "pocket": ("pocket-weights", _POCKET.format("the fewest mistakes during the epoch")),
    "pocket#predict": ("pocket-weights", _POCKET.format("the fewest mistakes of predict(X) after the epoch")),
    # the zero initialisation inside the epoch loop: each epoch starts over from zero weights (and bias)
    "weights-reset-per-epoch": (
        "state-reset",
        "the weights were set back to zeros at the start of every epoch (self.weight = np.zeros(...) inside the "
        "epoch loop), so each epoch forgets what the earlier ones learned; initialise once, in __init__, and let "
        "the epochs continue from the last weights",
    ),
    "state-reset-per-epoch": (
        "state-reset",
        "the weights and the bias were set back to zero at the start of every epoch (the initialisation inside the "
        "epoch loop), so each epoch forgets what the earlier ones learned; initialise once, in __init__, and let "
        "the epochs continue from the last state",
    ),
    "one-epoch-short": ("fit-epochs", "fit ran one epoch fewer than max_epochs (range(max_epochs - 1)?)"),
    "one-epoch-extra": ("fit-epochs", "fit ran one epoch more than max_epochs (range(max_epochs + 1), or <=?)"),
    "do-while": (
        "fit-epochs",
        "the epoch budget is tested after the epoch (a do-while: `while True: ... if epoch >= max_epochs: "
        "break`), so max_epochs=0 still runs one epoch; loop `for _ in range(max_epochs)`",
    ),
}

RIGHT_LOOP = (
    "fit's own loop is right: the loop of docs/api.md run over your update gives exactly this result and "
    "these weights, so the difference comes from update (see the update test)"
)


@dataclass(frozen=True)
class FitRun:
    """One call of the submission's fit: the model's constructor arguments, the data and budget,
    and what came out; ``calls`` is the number of update calls, when they were counted."""

    kwargs: dict[str, Any]
    X: np.ndarray
    y: np.ndarray
    max_epochs: int
    result: Any
    weight: Any
    bias: Any
    calls: int | None = None


@dataclass(frozen=True)
class Verdict:
    """What the replays say: a mistake of the loop (``tag``, "is"), or that the loop is right."""

    tag: str
    confidence: str
    text: str


def _flat(weight: Any, bias: Any) -> np.ndarray | None:
    w, b = as_array(weight), as_array(bias)
    if w is None or b is None or b.size != 1 or w.ndim != 1 or w.dtype.kind not in "biuf":
        return None
    return np.concatenate([w.astype(np.float64), b.astype(np.float64).reshape(1)])


def _reproduces(replay: dict[str, Any] | None, run: FitRun) -> bool:
    if replay is None or type(run.result) not in (bool, np.bool_) or bool(run.result) != replay["result"]:
        return False
    if run.calls is not None and run.calls != replay["calls"]:
        return False
    got, want = _flat(run.weight, run.bias), _flat(replay["weight"], replay["bias"])
    return (
        got is not None
        and want is not None
        and got.shape == want.shape
        and bool(allclose(got, want, rtol=settings.SAME_VALUE_RTOL, atol=settings.SAME_VALUE_ATOL, equal_nan=True))
    )


def _replay(ctx: Context, run: FitRun, mistake: str) -> dict[str, Any] | None:
    """The loop (``""``: docs/api.md's) over a fresh model of the submission, or None if it raised."""
    try:
        handle = ctx.session.new(ctx.component.name, **run.kwargs)
        return ctx.session.harness("perceptron_loop", handle, run.X, run.y, run.max_epochs, mistake)
    except (StudentTimeout, StudentCrash):
        raise
    except StudentError:
        return None


def loop_verdict(ctx: Context, runs: list[FitRun], more: Callable[[], list[FitRun]] | None = None) -> Verdict | None:
    """The loop that reproduces every run, or None when none (or several mistakes) do. When two
    mistakes both reproduce ``runs``, the runs ``more()`` makes (other data, update calls counted)
    may tell them apart."""
    if not runs:
        return None
    if all(_reproduces(_replay(ctx, run, ""), run) for run in runs):
        return Verdict("", "", RIGHT_LOOP)
    found = [m for m in LOOP_MISTAKES if all(_reproduces(_replay(ctx, run, m), run) for run in runs)]
    # Other data tell two mistakes apart (and say which loop it is); and runs whose update calls were not counted
    # cannot tell a loop that stops early from one that runs on with other steps (a weight reset per epoch can end
    # where a loop that gave up after one epoch did), so a mistake they alone found is confirmed on counted runs.
    uncounted = any(run.calls is None for run in runs)
    if found and more is not None and (len(found) > 1 or uncounted):
        extra = more()
        found = [m for m in found if all(_reproduces(_replay(ctx, run, m), run) for run in extra)]
    tags = {LOOP_MISTAKES[m][0] for m in found}
    if len(tags) != 1:
        return None  # nothing reproduces it, or the evidence cannot tell two mistakes apart
    tag = tags.pop()
    if tag == "counts-every-sample" and _tests_identity(ctx, runs):
        return Verdict("identity-comparison", IS, _IDENTITY)
    return Verdict(tag, IS, "; or ".join(sorted({LOOP_MISTAKES[m][1] for m in found})))


_IDENTITY = (
    "fit's test of update's result compares identity, not value (`is not 0.0`, `is 0`): a float computed at run "
    "time is never the very object 0.0 written in fit, so every sample counted as a mistake and no epoch looked "
    "clean (when update's zero error is handed back as that very object, your fit counts right); compare values, "
    "`if self.update(x, target) != 0.0:`"
)


def _tests_identity(ctx: Context, runs: list[FitRun]) -> bool:
    """Does fit count right when update's zero error is the very zero object of fit's own code (the ``0.0`` of an
    ``is not 0.0``)? Then its test compares identity; a count outside the `if` counts every sample whatever update
    returns. The same numbers otherwise, so this probe (run only once every sample was seen counted) parts them."""
    index = -1
    while True:  # one zero constant of fit's code after another, until none is left (a handful at most)
        index += 1
        told = True
        for run in runs:
            try:
                handle = ctx.session.new(ctx.component.name, **run.kwargs)
                probe = ctx.session.harness("perceptron_fit_given_zero", handle, run.X, run.y, run.max_epochs, index)
            except (StudentTimeout, StudentCrash):
                raise
            except StudentError:
                return False
            if probe is None:
                return False  # fit's code holds no more zero constants
            given = FitRun(run.kwargs, run.X, run.y, run.max_epochs, *(probe[k] for k in ("result", "weight", "bias")))
            if not _reproduces(_replay(ctx, run, ""), replace(given, calls=probe["calls"])):
                told = False
                break
        if told:
            return True


def right_loop_explains(ctx: Context, runs: list[FitRun]) -> bool:
    """Does docs/api.md's loop, run over the submission's own update, reproduce every run? Then fit's loop is
    right and whatever is wrong comes from update, so no mistake of the loop (however well it fits the
    reference's update) may be claimed."""
    return bool(runs) and all(_reproduces(_replay(ctx, run, ""), run) for run in runs)
