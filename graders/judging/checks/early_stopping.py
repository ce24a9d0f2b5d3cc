"""Rubric for early stopping: fit_early_stopping, driven with a scripted model (doubles.py).

The model's state is a step counter: the optimizer adds 1 to its parameter at every step and
its BatchNorm-like buffer counts the training forwards, so after epoch ``k`` (one full batch)
both hold ``k``, and the scripted loss returns the ``k``-th scripted training or validation
loss. Every stopping decision is then predictable, the returned ``History`` is compared with
the reference's, and the model's final state says which epoch's weights were restored. A
wrong run is replayed against the known mistakes (the training loss judged, patience off by
one or never reset, min_delta ignored, the last weights kept, the buffers forgotten, a smoothed
curve monitored, the sign of a change lost) to name the cause. A right run whose History lists are wrong
(one list object for both, epochs left out, the training loss measured after the epoch) is judged on its
record alone, with the epochs the rig saw run (_check_record).

While fit_early_stopping runs, its module's ``fit`` is a correct one
(:func:`~.drive.correct_helpers`), so a bug in the submission's training.fit costs fit only.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from nnlab.exercises.components import Case
from nnlab.graders import settings
from nnlab.graders.results import Outcome, failed, passed
from nnlab.graders.running import doubles
from nnlab.graders.running.puppet import StudentCrash, StudentError, StudentTimeout

from ..catalogue import Context, check
from ..diagnose import IS, Diagnosis
from ..tolerance import allclose, fmt
from .drive import correct_helpers, describe_kind, describe_value, draw_seed
from .inputs import reference_class
from .support import check_signature, kept_between_calls

EARLY_STOPPING = ("early_stopping",)

# Training inputs and targets are positive, validation ones negative: the doubles tell them apart.
X_TRAIN, Y_TRAIN = np.ones((4, 1)), np.ones((4, 1))
X_VAL, Y_VAL = -np.ones((3, 1)), -np.ones((3, 1))


@dataclass(frozen=True)
class Script:
    """Scripted losses (``val[k]``: the validation loss after epoch ``k + 1``) and the arguments."""

    val: tuple[float, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    # Training losses with their best at epoch 2: judging them instead stops at its own epoch.
    train: tuple[float, ...] = (10.0, 8.0, *(8.5 + 0.5 * k for k in range(10)))

    def call(self) -> str:
        extra = ", ".join(f"{k}={v!r}" for k, v in self.kwargs.items())
        return f"fit_early_stopping(..., {extra})" if extra else "fit_early_stopping(...)"

    def describe(self) -> str:
        return f"{self.call()} with validation losses {list(self.val)} after epochs 1..{len(self.val)}"


@dataclass
class Run:
    """What one run produced: the history's fields and the model's state afterwards."""

    train_losses: list[float]
    val_losses: list[float]
    best_epoch: Any
    stopped_epoch: Any
    parameter: float  # the restored epoch, as the step counter says
    buffer: float
    training: bool
    events: list[str] = field(default_factory=list)
    # Set when the run was right but its History's lists are not (see _record_mistake): the epochs the rig
    # saw run, and the (tag, cause) of the record's mistake.
    epochs_run: int | None = None
    record: tuple[str, str] | None = None
    returned: Any = None  # the History's handle in the worker (the submission's runs only)

    @property
    def epochs(self) -> int:
        """The epochs run: as the History counts them, unless its record was found wrong."""
        return len(self.val_losses) if self.epochs_run is None else self.epochs_run

    def outcome(self) -> tuple[int, Any, Any, float, float]:
        return self.epochs, self.best_epoch, self.stopped_epoch, self.parameter, self.buffer


def _reference_run(qualname: str, script: Script) -> Run:
    rig = doubles.early_stopping_rig(list(script.train), list(script.val))
    history = reference_class(qualname)(
        rig.model, rig.loss, rig.optimizer, X_TRAIN, Y_TRAIN, X_VAL, Y_VAL, **script.kwargs
    )
    parameter, buffer, _, training = rig.state
    return Run(
        list(history.train_losses),
        list(history.val_losses),
        history.best_epoch,
        history.stopped_epoch,
        parameter,
        buffer,
        training,
        list(rig.events),
    )


class Problem(str):
    """Why a run gave no History (what came instead), with the mistake when one explains it."""

    tag: str = "wrong-type"
    cause: str = ""

    @classmethod
    def of(cls, text: str, tag: str = "wrong-type", cause: str = "") -> Problem:
        made = cls(text)
        made.tag, made.cause = tag, cause
        return made


def _no_history(name: str, problem: str, expected: str = "a History") -> Outcome:
    """The failed row of a run that returned no usable History."""
    cause = getattr(problem, "cause", "")
    if not cause:
        return failed(name, f"{problem}; expected {expected}.", getattr(problem, "tag", "wrong-type"))
    return failed(name, f"{problem}; expected {expected}. Cause: {cause}.", getattr(problem, "tag", ""), None, IS)


def _student_run(
    ctx: Context, script: Script, *, rebinds: bool = False, nested: bool = False, **extra: Any
) -> tuple[Run | None, str, list[Any]]:
    """The submission's run on the scripted rig, with a correct ``fit`` in its module; with ``rebinds`` on the rig
    whose optimizer and buffer put new arrays in place of updating them (:func:`_references_probe`); with
    ``nested`` on the rig whose counter sits in a container inside the model's container.

    Returns ``(run, problem, fit_calls)``: ``run`` is None when the result is not a History
    (``problem`` says what came instead, a :class:`Problem`); ``fit_calls`` are the recorded calls of fit.
    """
    session = ctx.session
    with correct_helpers(ctx) as swaps:
        rig_options = {"rebinds": True} if rebinds else {}
        rig_options.update({"nested": True} if nested else {})
        rig = session.harness("early_stopping_rig", list(script.train), list(script.val), **rig_options)
        model, loss, optimizer = (session.get(rig, part) for part in ("model", "loss", "optimizer"))
        kwargs = {**script.kwargs, **extra}
        try:
            history = session.call(
                ctx.component.name, None, model, loss, optimizer, X_TRAIN, Y_TRAIN, X_VAL, Y_VAL, **kwargs
            )
        except StudentError as error:
            # The calls of fit made before the crash may show its cause (epochs=epoch): read only now.
            if swaps and not isinstance(error, (StudentTimeout, StudentCrash)) and error.diagnosis is None:
                error.diagnosis = _fit_calls_cause(session, swaps[0], kwargs.get("shuffle", False))
            raise
        calls = list(session.get(swaps[0], "calls")) if swaps else []
    fields = {}
    for name in ("train_losses", "val_losses", "best_epoch", "stopped_epoch"):
        try:
            fields[name] = session.get(history, name)
        except (StudentTimeout, StudentCrash):
            raise
        except StudentError:
            return None, Problem.of(f"{script.call()} returned {describe_kind(history)}, which has no `{name}`"), calls
    losses = {}
    for name in ("train_losses", "val_losses"):
        value = fields[name]
        if isinstance(value, np.ndarray) and value.ndim == 1:
            value = value.tolist()
        if type(value) not in (list, tuple) or not all(_is_real(v) for v in value):
            text = f"{script.call()} returned a History whose {name} is {describe_kind(value)}"
            return None, _losses_problem(text, name, value), calls
        losses[name] = [float(v) for v in value]
    parameter, buffer, variance, training = session.get(rig, "state")
    run = Run(
        losses["train_losses"],
        losses["val_losses"],
        fields["best_epoch"],
        fields["stopped_epoch"],
        parameter,
        _buffers_epoch(parameter, buffer, variance),
        training,
        list(session.get(rig, "events")),
        returned=history,
    )
    if not extra:  # the reference cannot take the submission's generator: its runs are judged on their calls
        _check_record(ctx.component.name, script, run)
    return run, "", calls


def _buffers_epoch(parameter: float, mean: float, variance: float) -> float:
    """The epoch the BatchNorm buffers were left at (the rig's running_var is running_mean + 1): when the two
    disagree, one of them was not saved or not restored, and the one apart from the weights is reported."""
    other = variance - 1.0
    if other == mean:
        return mean
    return other if mean == parameter else mean


def _losses_problem(text: str, name: str, value: Any) -> Problem:
    """A list of one-element lists where floats belong: fit's result kept whole, not unpacked."""
    singles = [
        np.asarray(v, dtype=object).ravel()
        for v in (value if type(value) in (list, tuple) else ())
        if isinstance(v, (list, tuple, np.ndarray))
    ]
    if not singles or len(singles) != len(value) or not all(s.size == 1 and _is_real(s[0]) for s in singles):
        return Problem.of(text)
    first = float(singles[0][0])
    shown = ", ".join(f"[{fmt(float(s[0]))}]" for s in singles[:3]) + (", ..." if len(singles) > 3 else "")
    return Problem.of(
        text.rsplit(" is ", 1)[0] + f" is a list of one-element lists, [{shown}]",
        "fit-result-not-unpacked",
        f"each entry of {name} is a list of one number ([{fmt(first)}] where {fmt(first)} belongs): fit returns a "
        "list with one loss per epoch, so with epochs=1 it returns a list of one; unpack it, `(train_loss,) = "
        "fit(...)`, or take `fit(...)[0]`, so that the History holds floats",
    )


def _fit_calls_cause(session: Any, swap: Any, shuffle: Any = False) -> Diagnosis | None:
    """The first recorded call of fit with epochs other than 1, or with shuffle and rng in each other's places
    (``shuffle`` is the flag fit_early_stopping was given), as the cause of a crash."""
    try:
        calls = list(session.get(swap, "calls"))
    except StudentError:
        return None
    for k, arguments in enumerate(calls, start=1):
        swapped = _shuffle_rng_swapped(arguments, shuffle)
        if swapped:
            return Diagnosis(
                "fit-arguments",
                f"call {k} of fit had {swapped}: the generator went to fit's shuffle and the flag shuffle={shuffle!r} "
                "to its rng, so fit reached for a permutation on a bool. fit takes them in the order (model, "
                "loss_fn, optimizer, X, y, epochs, batch_size, shuffle, rng); pass them in it, or by name "
                "(shuffle=shuffle, rng=rng)",
                IS,  # the values fit received, read from its log
            )
        epochs = arguments.get("epochs")
        if epochs != 1:
            return Diagnosis(
                "fit-arguments",
                f"call {k} of fit had epochs={epochs!r}: fit trains `epochs` epochs and returns one loss per epoch, "
                "so it returned more than the one loss the loop expected; each epoch of early stopping is one call "
                "fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng), a single epoch",
                IS,
            )
    return None


def _shuffle_rng_swapped(arguments: dict[str, Any], shuffle: Any) -> str:
    """``"shuffle=a generator, rng=False"`` when one recorded call of fit got the flag fit_early_stopping was given
    in its ``rng`` and something other than a flag (the generator) in its ``shuffle``, else ""."""
    if "shuffle" not in arguments or "rng" not in arguments:
        return ""
    got_shuffle, got_rng = arguments["shuffle"], arguments["rng"]
    if type(got_rng) is not bool or got_rng != bool(shuffle) or got_shuffle is None or type(got_shuffle) is bool:
        return ""
    if isinstance(got_shuffle, (int, float, np.integer, np.floating)):
        return ""  # a number in shuffle says another slip (batch_size moved), not this one
    return f"shuffle=a generator, rng={got_rng!r}"


def _is_real(value: Any) -> bool:
    return type(value) is not bool and isinstance(value, (int, float, np.integer, np.floating))


# ------------------------------------------------------------------------------- known mistakes
_MISTAKES = {
    "uses-training-loss": "the stopping decisions follow the training loss; judge (and keep the best of) the "
    "validation loss, evaluate_loss(model, loss_fn, X_val, y_val), computed after each epoch",
    # The training loss tested against the best kept of the validation loss (train_loss < best_loss - min_delta,
    # best_loss = val_loss): the training loss is what is monitored, though val_losses records the right values.
    "uses-training-loss#against-best": "the improvement test compared the epoch's training loss with the best "
    "validation loss, train_loss < best_loss - min_delta: the training loss is monitored, and it goes on falling "
    "when the model overfits; early stopping judges the validation loss, val_loss < best_loss - min_delta",
    "patience-off-by-one": "training went on one epoch too long: stop as soon as `patience` epochs in a row have "
    "not improved (waited >= patience, not waited > patience)",
    "patience-not-reset": "the count of epochs without improvement was not reset to 0 by an improvement: patience "
    "counts the epochs *in a row* since the best one",
    # the epoch number where the count of epochs without improvement belongs (if epoch >= patience)
    "patience-not-reset#epoch": "the stop test compared the epoch number with patience (epoch >= patience), not the "
    "count of epochs without improvement: from epoch `patience` on, the first epoch that does not improve stops "
    "training, however recent the best; count the epochs in a row without improvement (waited += 1, waited = 0 on "
    "an improvement) and stop when waited >= patience",
    # The reset of the count written inside the restore_best branch, with the state's copy: right with restore_best,
    # and with restore_best=False an improvement no longer resets it.
    "patience-not-reset#without-restore": "with restore_best=False an improvement did not reset the count of epochs "
    "without improvement (with restore_best it did): the reset, waited = 0, sits inside the `if restore_best:` "
    "branch together with the state's copy, so patience ran out counting epochs from before the best; reset the "
    "count on every improvement, whatever restore_best says, and keep only copy_state(model) under restore_best",
    # The best moved by an epoch that did not improve: best_loss = min(best_loss, val_loss) in the else branch.
    "best-lowered-without-improvement": "an epoch that did not improve by more than min_delta still lowered the "
    "best loss to its own value (best_loss = min(best_loss, val_loss) whatever the test said), so small decreases "
    "moved the bar down and a later epoch had to beat them by min_delta; the best (and the bar best - min_delta) "
    "changes only when an epoch improves, val_loss < best_loss - min_delta",
    "equal-counts-as-improvement": "an epoch whose loss only equals the best counted as an improvement; an epoch "
    "improves only when its loss is below best - min_delta (strictly)",
    "min-delta-ignored": "min_delta was ignored (or applied the wrong way): an epoch improves only when its "
    "validation loss is below best - min_delta",
    "restores-last": "the model holds the last epoch's weights, not the best epoch's: save copies when an epoch "
    "improves (copy_state(model)) and load them back at the end (load_state); a saved reference (best = p.data) "
    "follows the optimizer's in-place updates and ends up holding the last weights",
    # The first epoch only set best_loss (no copy_state): nothing to restore while it stays the best.
    "restores-last#first-epoch": "the first epoch became the best without its state being saved (best_loss set, "
    "copy_state(model) not called), so when it stays the best nothing is restored and the model holds the last "
    "epoch's weights: save the state at every improvement, the first epoch's included",
    "buffers-not-restored": "the parameters were restored but not the BatchNorm buffers (running_mean and "
    "running_var hold the last epoch's statistics): copy_state and load_state save and restore both",
    "restore-best-ignored": "the best weights were restored although restore_best=False asks to keep the last ones",
    "best-epoch-off-by-one": "best_epoch is counted from 1: val_losses[best_epoch - 1] is the lowest",
    "best-epoch-off-by-one#from-zero": "the epochs were counted from 0 (for epoch in range(max_epochs)), so best_epoch "
    "and stopped_epoch are each one less than the epoch they name: epochs are counted from 1, range(1, max_epochs + "
    "1), so that val_losses[best_epoch - 1] is the best epoch's loss and best_epoch 0 means that no epoch ran",
    # best_epoch stored from 0 and the best loss read back through it (history.best_val_loss, val_losses[best_epoch -
    # 1]): the bar is the loss of the epoch before the best, infinity while best_epoch is 0, so the first two epochs
    # always improve and every later epoch is judged against the wrong loss.
    "best-epoch-off-by-one#best-val-loss": "best_epoch was stored from 0 (the loop's index, for epoch in "
    "range(max_epochs), or len(val_losses) - 1), one less than the epoch it names, and the improvement test read the "
    "best loss back through it (history.best_val_loss, val_losses[best_epoch - 1]): that is the loss of the epoch "
    "before the best, and infinity while best_epoch is 0, so the first two epochs always improve and every later "
    "epoch is compared with the wrong loss; best_epoch is counted from 1, best_epoch = epoch + 1 with a 0-based "
    "loop, so that val_losses[best_epoch - 1] is the best epoch's loss",
    "best-epoch-off-by-one#best-val-loss-from-zero": "the epochs were counted from 0 (for epoch in "
    "range(max_epochs)), so best_epoch and stopped_epoch are each one less than the epoch they name, and the "
    "improvement test read the best loss back through best_epoch (history.best_val_loss, val_losses[best_epoch - "
    "1]): that is the loss of the epoch before the best, and infinity while best_epoch is 0, so the first two epochs "
    "always improve and every later epoch is compared with the wrong loss; epochs are counted from 1, range(1, "
    "max_epochs + 1) or epoch + 1, so that val_losses[best_epoch - 1] is the best epoch's loss",
    # best_epoch right (from 1) and the best loss read at val_losses[best_epoch], one entry too far.
    "best-epoch-off-by-one#index-next": "the best loss was read back as val_losses[best_epoch], one entry past the "
    "best epoch's: best_epoch is counted from 1, so that entry is the loss of the epoch after the best (right after "
    "an improvement, the epoch's own loss, which it never beats), and improvements were judged against it; the best "
    "epoch's loss is val_losses[best_epoch - 1] (history.best_val_loss)",
    "patience-off-by-one#early": "training stopped one epoch too soon: stop when `patience` epochs in a row have not "
    "improved (waited >= patience after counting this epoch), not one before",
    "min-delta-sign": "min_delta was added to the best instead of subtracted: an epoch improves only when its "
    "validation loss is below best - min_delta, not best + min_delta",
    "compares-with-last": "each epoch was compared with the epoch before it, not with the best so far: an epoch "
    "improves only when its validation loss is below the best one seen (minus min_delta)",
    "stopped-epoch": "stopped_epoch holds the best epoch (epoch - patience); it is the epoch training stopped after",
    "stopped-epoch#next": "stopped_epoch is off by one: it holds epoch + 1, the epoch that would have come next; it "
    "is the epoch training stopped after, the last one run (counted from 1)",
    "stopped-epoch#previous": "stopped_epoch is off by one: it holds epoch - 1, the epoch before the last one run; "
    "it is the epoch training stopped after, the last one run (counted from 1)",
    "best-epoch-off-by-one#next": "best_epoch is off by one: it holds the best epoch + 1; epochs are counted from 1 "
    "already (range(1, max_epochs + 1)), so val_losses[best_epoch - 1] is the lowest",
    "min-delta-relative": "min_delta was taken as a relative decrease (an improvement beats best * (1 - min_delta)); "
    "it is an absolute one, in the loss's own units: an epoch improves only when its validation loss is below "
    "best - min_delta",
    # The ratio form, val_loss / best_loss < 1 - min_delta: the same for positive losses, another test for negative.
    "min-delta-relative#ratio": "min_delta was taken as a relative decrease (an improvement needs val_loss / "
    "best_loss below 1 - min_delta); it is an absolute one, in the loss's own units: an epoch improves only when its "
    "validation loss is below best - min_delta",
    "best-loss-not-updated": "an improvement moved best_epoch but not the best loss, which stayed at inf, so every "
    "epoch counted as an improvement and patience never ran out: set best_loss = val_loss when an epoch improves",
    "restores-wrong-epoch": "the state restored is the one from before the best epoch's training (one epoch "
    "earlier): copy_state(model) after the epoch's training and validation, when it improves",
    "restores-wrong-epoch#next": "the state restored is the one of the epoch after the best (one epoch late): "
    "best_epoch counts epochs from 1 and a list of the epochs' states counts from 0, so states[best_epoch] holds "
    "the next epoch's weights (and there is none when the best epoch is the last); the best epoch's state is "
    "states[best_epoch - 1], or keep a copy_state(model) taken when the epoch improves",
    "patience-reset-by-previous-epoch": "the count of epochs without improvement was reset by an epoch whose loss "
    "was only below the previous epoch's ('still going down'), not below the best: patience counts the epochs in "
    "a row that did not improve on the best so far (minus min_delta), whatever the epoch before them did; reset "
    "it only when an epoch becomes the new best",
    "monitors-gap": "an epoch counted as an improvement when its validation loss was at most its training loss "
    "(plus min_delta), 'not overfitting yet': the gap between the two losses was judged, not the validation loss; "
    "an epoch improves when its validation loss is below the best validation loss so far minus min_delta, "
    "val_loss < best_loss - min_delta, whatever the training loss",
    "monitors-gap#best": "the improvement test (and the best kept) used the gap val_loss - train_loss instead of the "
    "validation loss: the gap was judged, not the validation loss; an epoch improves when its validation loss is "
    "below the best validation loss so far minus min_delta, val_loss < best_loss - min_delta, whatever the training "
    "loss",
    "max-epochs-off-by-one": "the epochs ran over range(1, max_epochs), one fewer than max_epochs: "
    "range(1, max_epochs + 1) runs epochs 1..max_epochs",
    "max-epochs-off-by-one#extra": "the epochs ran one more than max_epochs: range(1, max_epochs + 1) runs epochs "
    "1..max_epochs",
    "best-loss-initial-value": "the best loss started at a value no loss goes below (0, as for an accuracy, instead "
    "of infinity): no epoch ever improves, best_epoch stays 0 and training stops after `patience` epochs; start "
    "with best_loss = float('inf'), so that the first epoch improves",
    "best-loss-initial-value#-inf": "the best loss started at -inf (the sign of float('inf') flipped): no loss "
    "is below it, so no epoch improves, best_epoch stays 0 and training stops after `patience` epochs; start "
    "with best_loss = float('inf'), so that the first epoch improves",
    "best-loss-updated-before-compare": "the value compared with was updated before the comparison and already "
    "held this epoch's own loss (best_loss = min(best_loss, val_loss) ahead of `if val_loss < best_loss - "
    "min_delta`, or the minimum of a list val_loss was already appended to): val_loss is never below itself, so "
    "no epoch improves, best_epoch stays 0 and training stops after `patience` epochs; compare with the best of "
    "the earlier epochs first, and set best_loss = val_loss only when the epoch improves",
    "restores-every-epoch": "the best state was loaded back inside the epoch loop, after every epoch: an epoch "
    "that did not improve is undone, so training restarts from the best weights and cannot move on; restore "
    "once, after the loop",
    "restores-every-epoch#before-stop": "the best state was loaded back inside the epoch loop, after every epoch "
    "without improvement: that epoch is undone, so training restarts from the best weights and cannot move on; "
    "restore once, after the loop",
    "patience-never-reached": "the count of epochs without improvement never went past 1 (waited = 1 where waited "
    "+= 1 belongs, or the count set back to 0 at the start of every epoch), so with patience >= 2 patience never "
    "ran out; add one per epoch without improvement and reset only when an epoch improves",
    "call-order": "each epoch's validation loss was computed before the epoch's training (evaluate_loss ahead of "
    "fit): the loss recorded and judged for epoch k is that of the weights after epoch k - 1, one epoch behind the "
    "state saved for it; train first, then validate the weights the epoch produced",
    "monitor-direction": "the improvement test is written for a score to maximise, as for an accuracy (best "
    "starts at -inf, an epoch improves when its value rises above best + min_delta): a loss improves when it goes "
    "down, below best - min_delta, from best_loss = float('inf')",
    "break-missing": "patience ran out and stopped_epoch was set, but training went on to max_epochs: nothing left "
    "the epoch loop (no break, or a continue where break belongs), so stopped_epoch moved on with every epoch "
    "without improvement; break out of the loop when patience runs out",
    "min-delta-applied-twice": "an improving epoch stored the best as val_loss - min_delta (the level to beat next) "
    "and the test subtracted min_delta again: min_delta was applied twice, so an epoch counted as an improvement "
    "only when it beat the best by 2 * min_delta; keep the loss itself, best_loss = val_loss, and subtract min_delta "
    "once, in the test val_loss < best_loss - min_delta",
    "validation-inputs-wrong#training-set": "the validation loss was computed on the training set, "
    "evaluate_loss(model, loss_fn, X, y): the model never saw X_val, and the stopping decisions (and the best kept) "
    "followed the training loss of the weights each epoch ended with; the validation loss is evaluate_loss(model, "
    "loss_fn, X_val, y_val), the validation inputs with their own targets",
    "sign-lost": "the improvement test took the size of the change, |best_loss - val_loss| > min_delta (abs, or a "
    "square, or 'not close'), and lost its sign: a validation loss that rose by more than min_delta counted as an "
    "improvement too and became the best; a loss improves only when it goes down, val_loss < best_loss - min_delta",
}
# The mistakes that judge a loss of the training set (fit's, or the training set evaluated after the epoch): the only
# ones that fit a run whose model never saw X_val and whose val_losses are not the validation losses.
_TRAINING_JUDGED = ("uses-training-loss", "validation-inputs-wrong#training-set")
# A smoothed monitor: the improvement test (and the best kept) on an average of the validation losses so far instead
# of the epoch's own loss; each key's average, of the losses recorded up to this epoch.
_SMOOTHINGS = {
    "smoothed-monitor": ("the mean of every validation loss so far", lambda seen: float(np.mean(seen))),
    "smoothed-monitor#last-2": ("the mean of the last 2 validation losses", lambda seen: float(np.mean(seen[-2:]))),
    "smoothed-monitor#last-3": ("the mean of the last 3 validation losses", lambda seen: float(np.mean(seen[-3:]))),
    "smoothed-monitor#ema-0.5": (
        "an exponential moving average (0.5) of the validation losses",
        lambda seen: _ema(seen, 0.5),
    ),
    "smoothed-monitor#ema-0.9": (
        "an exponential moving average (0.9) of the validation losses",
        lambda seen: _ema(seen, 0.9),
    ),
}


# Losses rounded before they are compared ("ignore noise below 1e-4"): an improvement smaller than the rounding
# vanishes. The number of decimals a student picks; min_delta is the tolerance docs/api.md gives for that.
_ROUNDINGS = tuple(range(2, 7))
_ROUNDED = (
    "the losses were rounded to a few decimals before the improvement test (as round(val_loss, 4) < "
    "round(best_loss - min_delta, 4) does), so an improvement smaller than the rounding counted as none: compare "
    "the losses themselves, val_loss < best_loss - min_delta; ignoring changes below a size is what min_delta is for"
)
# One sentence for every number of decimals: a run seldom tells them apart, and the fix is the same.
_MISTAKES.update({f"rounded-values#{decimals}": _ROUNDED for decimals in _ROUNDINGS})


def _ema(seen: list[float], keep: float) -> float:
    """The exponential moving average of ``seen`` started at its first value, ``keep`` of the old average a step."""
    average = seen[0]
    for value in seen[1:]:
        average = keep * average + (1 - keep) * value
    return average


for _key, (_what, _) in _SMOOTHINGS.items():
    _MISTAKES[_key] = (
        f"the improvement test (and the best it keeps) used {_what}, a smoothed curve, instead of the epoch's own "
        "validation loss: the average lags behind, so an improvement counts epochs late, or never, and a rise counts "
        "late; early stopping compares this epoch's val_loss with the best single loss, val_loss < best_loss - "
        "min_delta (smoothing a noisy curve is what patience is for)"
    )


# The best loss read back from the record through best_epoch (history.best_val_loss or val_losses[...]): per key, what
# the stored best_epoch is off by (stored from 0: -1), so the entry read is not the best epoch's.
_BEST_READ_BACK = {
    "best-epoch-off-by-one#best-val-loss": -1,
    "best-epoch-off-by-one#best-val-loss-from-zero": -1,
    "best-epoch-off-by-one#index-next": 0,
}


def _simulate(script: Script, mistake: str = "") -> tuple[int, Any, Any, float, float]:
    """The outcome (epochs run, best_epoch, stopped_epoch, parameter, buffer) of the loop of
    docs/api.md on the scripted rig, or of the loop with one known ``mistake``."""
    kwargs = script.kwargs
    max_epochs, patience = kwargs.get("max_epochs", 100), kwargs.get("patience", 5)
    min_delta, restore = kwargs.get("min_delta", 0.0), kwargs.get("restore_best", True)
    best, last, best_epoch, waited, stopped, epochs = math.inf, math.inf, 0, 0, None, 0
    best = {
        "best-loss-initial-value": 0.0,
        "best-loss-initial-value#-inf": -math.inf,
        "monitor-direction": -math.inf,
    }.get(mistake, best)
    # The rig's losses follow its step counter: a state loaded back inside the loop moves it back too.
    in_loop = mistake.startswith("restores-every-epoch") and restore
    position = best_position = 0
    seen: list[float] = []  # the validation losses recorded so far (a smoothed monitor averages them)
    limit = {"patience-off-by-one": patience + 1, "patience-off-by-one#early": patience - 1}.get(mistake, patience)
    end = max_epochs + {"max-epochs-off-by-one": 0, "max-epochs-off-by-one#extra": 2}.get(mistake, 1)
    for epoch in range(1, end):
        epochs = epoch
        position += 1
        judged_script = list(script.train if mistake in _TRAINING_JUDGED else script.val)
        # Validated before the epoch's training: the weights of one epoch earlier (before any, a loss above all);
        # the training set evaluated after it: the loss of the weights the epoch ended with (the rig's next one).
        lag = {"call-order": 2, "validation-inputs-wrong#training-set": 0}.get(mistake, 1)
        judged = doubles.scripted(judged_script, position - lag)
        trained = doubles.scripted(list(script.train), position - 1)
        if mistake == "monitors-gap#best":
            judged = judged - trained
        seen.append(judged)
        if mistake in _SMOOTHINGS:
            judged = _SMOOTHINGS[mistake][1](seen)
        if mistake == "min-delta-ignored":
            improved = judged < best
        elif mistake == "equal-counts-as-improvement":
            improved = judged <= best - min_delta
        elif mistake == "min-delta-sign":
            improved = judged < best + min_delta
        elif mistake == "min-delta-relative":
            improved = judged < best * (1 - min_delta)
        elif mistake == "min-delta-relative#ratio":
            ratio = judged / best if best else math.copysign(math.inf, judged)
            improved = ratio < 1 - min_delta
        elif mistake == "compares-with-last":
            improved, last = judged < last - min_delta, judged
        elif mistake == "monitor-direction":
            improved = judged > best + min_delta
        elif mistake == "uses-training-loss#against-best":
            improved = trained < best - min_delta
        elif mistake == "monitors-gap":
            improved = judged <= trained + min_delta
        elif mistake == "sign-lost":
            improved = abs(best - judged) > min_delta
        elif mistake.startswith("rounded-values#"):
            decimals = int(mistake.partition("#")[2])
            improved = round(judged, decimals) < round(best - min_delta, decimals)
        elif mistake in _BEST_READ_BACK:
            # The bar read from the record through best_epoch as the submission stores it (0 before any improvement).
            stored = best_epoch + _BEST_READ_BACK[mistake]
            index = stored - 1 if mistake != "best-epoch-off-by-one#index-next" else stored
            improved = judged < (seen[index] if stored > 0 and index >= 0 else math.inf) - min_delta
        elif mistake == "best-loss-updated-before-compare":
            best = min(best, judged)
            improved = judged < best - min_delta
        else:
            improved = judged < best - min_delta
        if improved:
            best = best if mistake == "best-loss-not-updated" else judged
            if mistake == "min-delta-applied-twice":  # the margin kept in the best too
                best -= min_delta
            best_epoch, best_position = epoch, position
            kept = mistake == "patience-not-reset" or (mistake == "patience-not-reset#without-restore" and not restore)
            waited = waited if kept else 0
            continue
        if mistake == "best-lowered-without-improvement":
            best = min(best, judged)
        waited = 1 if mistake == "patience-never-reached" else waited + 1
        if mistake == "patience-reset-by-previous-epoch" and len(seen) > 1 and judged < seen[-2]:
            waited = 0
        if in_loop and best_epoch and mistake.endswith("#before-stop"):
            position = best_position
        if (epoch if mistake == "patience-not-reset#epoch" else waited) >= limit:
            shift = {"stopped-epoch": -patience, "stopped-epoch#next": 1, "stopped-epoch#previous": -1}
            shift["best-epoch-off-by-one#from-zero"] = shift["best-epoch-off-by-one#best-val-loss-from-zero"] = -1
            stopped = epoch + shift.get(mistake, 0)
            if mistake != "break-missing":
                break
        if in_loop and best_epoch:
            position = best_position
    restored = epochs
    if in_loop:
        restored = position
    elif best_epoch == 1 and mistake == "restores-last#first-epoch":
        restored = epochs
    elif best_epoch and (restore or mistake == "restore-best-ignored") and mistake != "restores-last":
        restored = best_epoch + {"restores-wrong-epoch": -1, "restores-wrong-epoch#next": 1}.get(mistake, 0)
    buffer = epochs if mistake == "buffers-not-restored" else restored
    off_by = {"best-epoch-off-by-one": -1, "best-epoch-off-by-one#from-zero": -1, "best-epoch-off-by-one#next": 1}
    reported = best_epoch + off_by.get(mistake, _BEST_READ_BACK.get(mistake, 0))
    if mistake in _BEST_READ_BACK:
        reported = max(reported, 0)  # the first epoch's index is 0, as no epoch
    return epochs, reported, stopped, float(restored), float(buffer)


# Scripts on which mistakes that agree elsewhere differ (a rise smaller than min_delta improves
# only with min_delta's sign flipped); run only when one run leaves two kinds of mistake open.
_PROBES = (
    Script((1.0, 1.05, 1.08, 2.0, 3.0, 4.0), {"patience": 2, "min_delta": 0.1}),
    Script((3.0, 2.0, 2.5, 2.4, 2.3, 1.0, 0.5), {"patience": 3}),
    Script((2.0, 1.0, 1.5, 1.8, 0.9, 2.0, 2.5, 3.0), {"patience": 2, "min_delta": 0.05}),
    # the best only reachable past an epoch without improvement: a state loaded back in the loop never gets there
    Script((3.0, 3.5, 1.0, 0.5, 2.0, 2.5, 3.0), {"patience": 2}),
    # losses below 0 (a log-likelihood's can be): a best that starts at 0 improves on them; one that
    # starts at -inf, or is updated before the comparison, never does (those two no run tells apart)
    Script((-1.0, -2.0, -1.5, -1.8, -3.0, -2.5, -2.0), {"patience": 2}),
    # a dip below the epoch before that is no new best: it moves best_epoch only when compared with the last epoch
    Script((3.0, 2.0, 2.5, 2.4, 2.6, 2.7, 2.8), {"patience": 2}),
    # training losses below the validation losses (the usual case): a test of the gap between them never improves
    Script((3.0, 2.5, 2.0, 2.2, 2.4, 2.6, 2.8), {"patience": 2}, train=(2.0, 1.5, 1.0, 0.8, 0.6, 0.5, 0.4)),
    # a sudden drop of 5 * min_delta, then small ones: a smoothed monitor lags the drop, a margin of 2 * min_delta
    # (min_delta kept in the best as well as in the test) takes it and then stops
    Script((1.0, 0.5, 0.46, 0.44, 0.43, 0.42, 0.41), {"patience": 2, "min_delta": 0.1}),
)


def _diagnose(script: Script, run: Run, ctx: Context | None = None) -> tuple[str, str]:
    """``(tag, sentence)``: the mistake whose simulation reproduces the run's whole outcome
    (epochs run, best_epoch, stopped_epoch, the epoch restored) as a Cause; when mistakes of
    different kinds all reproduce it, the submission runs the probe scripts (with ``ctx``) and
    only mistakes that reproduce those too stay; still several: no tag, the candidates observed."""
    mode = _mode_problem(run)
    if mode is not None:
        return mode[0], f"Cause: {mode[1]}."
    got = run.outcome()
    keys = [key for key in _candidates(script, run) if _same_outcome(got, _simulate(script, key))]
    open_kinds = ctx is not None and len({key.partition("#")[0] for key in keys}) > 1
    if ctx is not None and keys:
        # A simulation names the cause only when it reproduces every run it can see, the probes as well as this
        # run: one run alone fits a wrong rule by chance (a few epochs' decisions), even when no rival fits it.
        for probe in _PROBES:
            probed = _probe_outcome(ctx, probe)
            if probed is not None:
                keys = [key for key in keys if _same_outcome(probed, _simulate(probe, key))]
    found: dict[str, list[str]] = {}
    for key in keys:
        found.setdefault(key.partition("#")[0], []).append(_MISTAKES[key])
    if ctx is not None and set(found) <= {"buffers-not-restored"} and _only_state_wrong(script, run):
        # The state restored is the only thing wrong: saved references and a state never restored part on a rig
        # whose arrays are rebound instead of updated in place.
        verdict = _references_probe(ctx, script, run)
        if verdict is not None and verdict[0] == "aliasing":
            return verdict
        if found and verdict is None:
            return "", ""  # buffers that the probe does not leave at the last epoch: not merely never restored
    if ctx is not None and not found and _weights_alone_last(script, run):
        # The buffers came back and the weights did not: the weights saved as live arrays (the rebinding rig
        # restores them) or never written back (a state as wrong there too).
        verdict = _references_probe(ctx, script, run)
        if verdict == ("", ""):
            return "restores-last", f"Cause: {_WEIGHTS_NOT_LOADED}."
        if verdict is not None:
            return verdict
    if len(found) == 1:
        tag, texts = found.popitem()
        return tag, f"Cause: {'; or '.join(dict.fromkeys(texts))}."
    if found:
        candidates = "; or ".join(text for texts in found.values() for text in texts)
        if open_kinds:  # the probe runs fit them all too: no run tells them apart
            return "", f"This run and the grader's other runs fit several mistakes: {candidates}."
        return "", f"This run alone fits several mistakes (the other tests tell them apart): {candidates}."
    return "", ""


def _probe_outcome(ctx: Context, probe: Script) -> tuple | None:
    """The submission's outcome on ``probe`` (None when it gives no History), once per script and grading."""
    key = f"probe outcome: {probe.describe()}"
    if key not in ctx.cache:
        probed, _, _ = _student_run(ctx, probe)
        ctx.cache[key] = None if probed is None else probed.outcome()
    return ctx.cache[key]


def _candidates(script: Script, run: Run) -> list[str]:
    """The known mistakes the model's log leaves possible. A run whose model never saw X_val and whose val_losses
    are not the validation losses judged some loss of the training set (_TRAINING_JUDGED): every other mistake
    judges the validation losses, and one that reproduces the decisions does so by chance. The training set
    evaluated in place of X_val needs that evaluation in the log (a forward of X in eval mode that trains nothing)."""
    validation = [doubles.scripted(list(script.val), k) for k in range(len(run.val_losses))]
    seen = any(event.startswith("forward:validation:") for event in run.events)
    if seen or _close(run.val_losses, validation):
        return [key for key in _MISTAKES if key != "validation-inputs-wrong#training-set"]
    evaluated = _evaluated_in_eval(run.events, "training")
    return [key for key in _TRAINING_JUDGED if evaluated or key != "validation-inputs-wrong#training-set"]


def _evaluated_in_eval(events: list[str], data: str) -> bool:
    """Did a forward of ``data`` in eval mode go by with no step after it (before the next forward)? Then that set
    was evaluated, as evaluate_loss does, not trained on."""
    pending = False
    for event in events:
        if event == "step":
            pending = False
        elif event.startswith("forward:"):
            if pending:
                return True
            pending = event == f"forward:{data}:eval"
    return pending


def _weights_alone_last(script: Script, run: Run) -> bool:
    """The run's decisions and its BatchNorm buffers are right, its weights are the last epoch's."""
    right = _simulate(script)
    return (
        _only_state_wrong(script, run)
        and run.buffer == right[4]
        and run.parameter == float(run.epochs)
        and run.parameter != right[3]
    )


_WEIGHTS_NOT_LOADED = (
    "the BatchNorm buffers of the best epoch came back but its weights did not, also on a model whose arrays get "
    "a new array at every update (so they were saved as copies): the saved weights were never written into the "
    "parameters. Assigning to the loop variable (p = saved) or to a local name rebinds that name only; the "
    "parameter changes through its attribute, p.data = saved.copy(), as load_state does"
)


def _only_state_wrong(script: Script, run: Run) -> bool:
    """The run's decisions (epochs, best_epoch, stopped_epoch) are right, the state it ends with is not."""
    right = _simulate(script)
    return _same_outcome(run.outcome()[:3], right[:3]) and not _same_outcome(run.outcome()[3:], right[3:])


_ALIASED_STATE = (
    "the {what} of the best epoch were saved as the live arrays themselves, not as copies ({how} kept where "
    "np.array(..., copy=True) belongs): {updated} in place (+=, *=), so the saved state followed training and what "
    "was put back is the last epoch's. Run again on a model whose {what} get a new array at every update instead of "
    "an in-place one, your code restores the best epoch's {what}: save copies, np.array(value, copy=True) or "
    "value.copy(), as copy_state does for both"
)
# Per kind of state: (its name, the reference a student keeps, what updates it in place).
_LIVE_ARRAYS = (
    ("parameters", "p.data", "the optimizer updates the parameters"),
    ("BatchNorm buffers", "getattr(m, name)", "BatchNorm updates its running_mean and running_var"),
)


def _references_probe(ctx: Context, script: Script, run: Run) -> tuple[str, str] | None:
    """``script`` run again on the rig whose parameter and BatchNorm buffer get new arrays at every update (a
    reference saved to them keeps its epoch's value, as a copy does): a state that is right there was saved as
    references to the live arrays, ("aliasing", cause); one that is as wrong as on the in-place rig was not
    saved or not restored, ("", ""); anything else, or no History, None. Once per script and grading."""
    key = f"references probe: {script.describe()}"
    if key not in ctx.cache:
        probed, _, _ = _student_run(ctx, script, rebinds=True)
        ctx.cache[key] = None if probed is None else probed.outcome()
    outcome, right = ctx.cache[key], _simulate(script)
    if outcome is None:
        return None
    if _same_outcome(outcome, right):
        stale = (run.parameter != right[3], run.buffer != right[4])
        wrong = [kind for kind, bad in zip(_LIVE_ARRAYS, stale, strict=True) if bad]
        what, how, updated = (" and ".join(parts) for parts in zip(*wrong, strict=True))
        return "aliasing", f"Cause: {_ALIASED_STATE.format(what=what, how=how, updated=updated)}."
    if _same_outcome(outcome, run.outcome()):
        return "", ""
    return None


def _mode_problem(run: Run) -> tuple[str, str] | None:
    """The validation set seen in train mode, or training done in eval mode (from the model's log)."""
    forwards = [event.split(":")[1:] for event in run.events if event.startswith("forward:")]
    if any(data == "validation" and mode == "train" for data, mode in forwards) and not any(
        data == "training" for data, _ in forwards
    ):
        # The training set never went through the model: the validation set was trained on, not merely
        # evaluated in the wrong mode (its train-mode forwards are fit's).
        return (
            "trains-on-validation",
            "the validation set was trained on, and the training set X, y never went through the model: each "
            "epoch is fit(model, loss_fn, optimizer, X, y, 1, ...) on the training set; (X_val, y_val) is only "
            "evaluated, evaluate_loss(model, loss_fn, X_val, y_val)",
        )
    if any(data == "validation" and mode == "train" for data, mode in forwards):
        return (
            "validation-in-train-mode",
            "the validation set went through the model in train mode, where dropout drops units and BatchNorm "
            "uses (and updates!) batch statistics: compute the validation loss in eval mode with "
            "evaluate_loss(model, loss_fn, X_val, y_val), which also restores the mode afterwards",
        )
    if _trained_in_eval(run.events) or not run.training:
        return (
            "left-in-eval-mode",
            "the model was left in eval mode after the validation loss, so later epochs trained (and the model "
            "came back) in eval mode, where dropout and BatchNorm stop training as they should: put it back in "
            "train mode (evaluate_loss restores the mode it found)",
        )
    return None


def _trained_in_eval(events: list[str]) -> bool:
    """Did a step follow a forward of the training set in eval mode? Then fit trained in eval mode. A forward in
    eval mode that no step follows only evaluated the training set (evaluate_loss(model, loss_fn, X, y)), which
    says nothing about the mode training ran in."""
    pending = False
    for event in events:
        if event == "step" and pending:
            return True
        if event.startswith("forward:"):
            pending = event == "forward:training:eval"
    return False


def _same_outcome(a: tuple, b: tuple) -> bool:
    return all(_same(x, y) for x, y in zip(a, b, strict=True))


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return _is_real(a) and _is_real(b) and float(a) == float(b)


def _differences(run: Run, expected: Run) -> list[str]:
    """What the run did differently from the reference, in a student's words."""
    problems = []
    if len(run.val_losses) != len(expected.val_losses):
        problems.append(f"it ran {len(run.val_losses)} epochs; expected {len(expected.val_losses)}")
    elif not allclose(run.val_losses, expected.val_losses, rtol=settings.RTOL, atol=0.0):
        problems.append(
            f"val_losses is {describe_value(run.val_losses)}; expected {describe_value(expected.val_losses)}"
        )
    if len(run.train_losses) == len(expected.train_losses) and not allclose(
        run.train_losses, expected.train_losses, rtol=settings.RTOL, atol=0.0
    ):
        problems.append(
            f"train_losses is {describe_value(run.train_losses)}; expected {describe_value(expected.train_losses)}"
        )
    if len(run.train_losses) != len(run.val_losses):
        problems.append(f"train_losses has {len(run.train_losses)} entries and val_losses {len(run.val_losses)}")
    for name in ("best_epoch", "stopped_epoch"):
        got, want = getattr(run, name), getattr(expected, name)
        if not _same(got, want):
            problems.append(f"{name} is {got!r}; expected {want!r}")
    if (run.parameter, run.buffer) != (expected.parameter, expected.buffer):
        problems.append(
            f"the model holds the weights of epoch {fmt(run.parameter)} and the buffers of epoch {fmt(run.buffer)}; "
            f"expected those of epoch {fmt(expected.parameter)}"
        )
    return problems


def _records_training_losses(script: Script, run: Run) -> bool:
    return bool(run.val_losses) and run.val_losses == list(script.train[: len(run.val_losses)])


_RECORD_ONLY = (
    "val_losses holds the training losses, while the stopping decisions (best_epoch, stopped_epoch, the state "
    "kept) follow the validation loss: the value appended to history.val_losses is train_loss where val_loss "
    "belongs"
)


def _training_losses_recorded(ctx: Context, script: Script, run: Run) -> tuple[str, str]:
    """val_losses holds the training losses: were the decisions taken on them too? A script on which the
    two kinds of decision differ tells (this one, else the probes); none does: no cause is claimed."""
    pairs: list[tuple[Script, Run | None]] = [(script, run), *((probe, None) for probe in _PROBES)]
    for each, got in pairs:
        right, wrong = _simulate(each), _simulate(each, "uses-training-loss")
        if _same_outcome(right, wrong):
            continue
        got = got or _student_run(ctx, each)[0]
        if got is None:
            return "", ""
        if _same_outcome(got.outcome(), right):
            return "wrong-history-list", f"Cause: {_RECORD_ONLY}."
        if _same_outcome(got.outcome(), wrong):
            return (
                "uses-training-loss",
                f"Cause: val_losses holds the training losses: {_MISTAKES['uses-training-loss']}.",
            )
        return "", ""
    return "", ""


# ------------------------------------------------------------------------------- the record of a right run
# A run whose decisions (best_epoch, stopped_epoch, the state kept) are the reference's, with one validation loss
# computed per epoch, ran the reference's epochs: History lists that disagree are a mistake of the record only, and
# one whose simulation gives the lists' very numbers is named. The epochs run are then the rig's, not the lists'.
def _evaluations(run: Run) -> int:
    """The validation losses computed: the forwards of the validation set."""
    return sum(event.startswith("forward:validation:") for event in run.events)


def _check_record(qualname: str, script: Script, run: Run) -> None:
    """Sets ``run.epochs_run`` and ``run.record`` when the run was right and a known mistake of its record
    reproduces its lists."""
    expected = _reference_run(qualname, script)
    decisions = (run.best_epoch, run.stopped_epoch, run.parameter, run.buffer)
    if _evaluations(run) != expected.epochs or not _same_outcome(decisions, expected.outcome()[1:]):
        return
    record = _record_mistake(script, run, expected)
    if record is not None:
        run.epochs_run, run.record = expected.epochs, record


def _close(got: list[float], want: list[float]) -> bool:
    return len(got) == len(want) and (not got or allclose(got, want, rtol=settings.RTOL, atol=0.0))


def _record_mistake(script: Script, run: Run, expected: Run) -> tuple[str, str] | None:
    """``(tag, cause)`` of the mistake whose record is the run's lists (the run itself being right), or None."""
    got_train, got_val = run.train_losses, run.val_losses
    train, val = expected.train_losses, expected.val_losses
    epochs = len(val)
    # One list object for both records: every append goes into it, so each holds both losses of every epoch.
    if len(got_train) == 2 * epochs and _close(got_train, got_val):
        for first, second in ((train, val), (val, train)):
            if _close(got_train, [loss for pair in zip(first, second, strict=True) for loss in pair]):
                return "aliasing", _ALIASED.format(epochs=epochs, entries=2 * epochs)
    # A record kept newest first (insert(0, loss), or a list added in front, [loss] + history): every loss, reversed,
    # so the list holds another sequence than the epochs' (the wrong list, though of the right losses).
    for label, got, want in (("val_losses", got_val, val), ("train_losses", got_train, train)):
        if len(want) > 1 and not _close(want, want[::-1]) and _close(got, want[::-1]):
            return "wrong-history-list", _NEWEST_FIRST.format(label=label)
    # Epochs left out of a record: what it holds is the right losses, in order, with gaps.
    kept = {"train_losses": _kept_epochs(got_train, train), "val_losses": _kept_epochs(got_val, val)}
    if len(got_train) + len(got_val) < 2 * epochs and all(k is not None for k in kept.values()):
        return "history-incomplete", _incomplete_cause(script, run, expected, kept)
    # The training loss measured after the epoch: the rig's loss of the weights the epoch ended with.
    after = [doubles.scripted(list(script.train), epoch) for epoch in range(1, epochs + 1)]
    if _close(got_val, val) and _close(got_train, after) and not _close(got_train, train):
        return "wrong-history-list", _TRAIN_AFTER_EPOCH
    return None


_ALIASED = (
    "train_losses and val_losses are one list object (a chained assignment a = b = [], or one list given to both, "
    "binds both names to it): every append to either goes into the same list, so each holds the training and "
    "validation losses of every epoch interleaved, {entries} entries for {epochs} epochs; give each record a "
    "separate list (History() already makes two)"
)
_NEWEST_FIRST = (
    "{label} holds every epoch's loss in reverse order, the newest first: each loss was put in front of the list "
    "(insert(0, loss), or [loss] + the list) where it belongs at the end; append it, so that entry i is epoch i + 1"
)
_TRAIN_AFTER_EPOCH = (
    "train_losses holds the training loss measured after each epoch (the training set evaluated with the weights the "
    "epoch ended with), not the mean training loss that fit returns for the epoch, the average of the batch losses "
    "computed during the epoch as the weights moved: record fit's return value, (train_loss,) = fit(...)"
)


def _kept_epochs(got: list[float], full: list[float]) -> tuple[int, ...] | None:
    """The epochs (from 1) of ``full`` that ``got`` holds, when it is ``full`` with entries left out: ``()`` when
    repeated losses leave the choice open, None when it is not."""
    first = _subsequence(got, full)
    if first is None:
        return None
    last = _subsequence(got[::-1], full[::-1])
    last = [len(full) - 1 - k for k in reversed(last or [])]
    return tuple(k + 1 for k in first) if first == last else ()


def _subsequence(got: list[float], full: list[float]) -> list[int] | None:
    """The positions in ``full`` of ``got``'s entries, matched first-come, or None when they are not in order."""
    positions, start = [], 0
    for loss in got:
        start = next((k for k in range(start, len(full)) if _close([loss], [full[k]])), -1)
        if start < 0:
            return None
        positions.append(start)
        start += 1
    return positions


def _incomplete_cause(script: Script, run: Run, expected: Run, kept: dict[str, tuple[int, ...] | None]) -> str:
    """Which epochs each list left out, and why when the pattern tells."""
    epochs = expected.epochs
    if not run.train_losses and not run.val_losses:
        return (
            f"nothing was recorded: train_losses and val_losses stay empty although {epochs} epochs ran; append the "
            "epoch's train_loss and val_loss to the History every epoch, right after they are computed"
        )
    fix = (
        "the History records both losses of every epoch run: append them right after they are computed, before the "
        "improvement test and its break"
    )
    lists = {
        "train_losses": (run.train_losses, expected.train_losses),
        "val_losses": (run.val_losses, expected.val_losses),
    }
    if _same(run.stopped_epoch, epochs) and all(_close(got, full[:-1]) for got, full in lists.values()):
        return (
            f"the last epoch, epoch {epochs}, the one training stopped after, is missing from both records: the losses "
            "were appended after the improvement test, and the break of patience left the loop before them; " + fix
        )
    everything, improving = tuple(range(1, epochs + 1)), _improving_epochs(script, epochs)
    parts = []
    for name, (got, full) in lists.items():
        if _close(got, full):
            continue
        if _close(got, [full[e - 1] for e in improving]):
            parts.append(f"{name} holds only the epochs that improved ({', '.join(map(str, improving))})")
        elif kept[name]:
            parts.append(f"{name} leaves out epoch(s) {', '.join(str(e) for e in everything if e not in kept[name])}")
        else:
            parts.append(f"{name} holds {len(got)} of the {epochs} losses")
    return f"{' and '.join(parts)}, of the {epochs} epochs run; {fix}"


def _improving_epochs(script: Script, epochs: int) -> tuple[int, ...]:
    """The epochs (from 1) whose validation loss beat the best before it by more than min_delta."""
    min_delta, best, found = script.kwargs.get("min_delta", 0.0), math.inf, []
    for epoch in range(1, epochs + 1):
        loss = doubles.scripted(list(script.val), epoch - 1)
        if loss < best - min_delta:
            best = loss
            found.append(epoch)
    return tuple(found)


def _record_failure(name: str, script: Script, run: Run, expected_lists: str) -> Outcome:
    """The failed row of a right run whose History's lists are wrong (``run.record``)."""
    tag, cause = run.record or ("", "")
    text = (
        f"{script.describe()}: the run was right (best_epoch {run.best_epoch!r}, stopped_epoch {run.stopped_epoch!r}, "
        f"{run.epochs} epochs), but train_losses is {describe_value(run.train_losses)} and val_losses "
        f"{describe_value(run.val_losses)}; expected {expected_lists}"
    )
    return failed(name, f"{text}. Cause: {cause}.", tag, confidence=IS)


def _judge(ctx: Context, name: str, script: Script, run: Run | None, problem: str) -> Outcome:
    if run is None:
        return _no_history(name, problem)
    expected = _reference_run(ctx.component.name, script)
    if run.record is not None:
        lists = f"{describe_value(expected.train_losses)} and {describe_value(expected.val_losses)}"
        return _record_failure(name, script, run, lists)
    problems = _differences(run, expected)
    if not problems:
        return passed(name)
    if _records_training_losses(script, run):
        tag, cause = _training_losses_recorded(ctx, script, run)
    else:
        tag, cause = _diagnose(script, run, ctx)
    text = f"{script.describe()}: " + "; ".join(problems) + "."
    return failed(name, f"{text} {cause}".strip(), tag, confidence=IS if tag else "")


# A History that outlives the call (a default argument, history=History()) holds every earlier run's epochs
# before the run's own: each row's record is then wrong, and this is the cause of all of them.
_TWICE = Script((2.0, 1.0, 1.5), {"max_epochs": 3, "patience": 5})


def _history_kept(ctx: Context) -> tuple[str, str] | None:
    """Two runs of one script, each on a new rig: the second History must hold its own 3 epochs. One that holds
    the first run's lists and then the reference's 3 epochs (the first's contents + this run's) is kept between
    calls: (tag, cause), else None. Probed once per grading, only after a row failed."""
    if "history kept" not in ctx.cache:
        ctx.cache["history kept"] = None
        first, _, _ = _student_run(ctx, _TWICE)
        second, _, _ = _student_run(ctx, _TWICE) if first is not None else (None, "", [])
        own = _reference_run(ctx.component.name, _TWICE)
        if first is not None and second is not None and first.val_losses:
            kept = all(
                _close(getattr(second, name), getattr(first, name) + getattr(own, name))
                for name in ("train_losses", "val_losses")
            )
            if kept:
                ctx.cache["history kept"] = kept_between_calls(
                    ctx,
                    ctx.component.name,
                    second.returned,
                    f"two runs of {_TWICE.describe()}, each on a new model, returned a History of "
                    f"{len(first.val_losses)} and then {len(second.val_losses)} epochs",
                    "epoch losses",
                    "history = History() in the body",
                )
    return ctx.cache["history kept"]


def _fresh_history(function: Callable[..., Outcome]) -> Callable[..., Outcome]:
    """A failed row first asks whether runs share their History: then that is its cause (two runs show it)."""

    @functools.wraps(function)
    def checked(ctx: Context, *args: Any) -> Outcome:
        outcome = function(ctx, *args)
        if outcome.passed:
            return outcome
        kept = _history_kept(ctx)
        if kept is None:
            return outcome
        return replace(outcome, feedback=f"{outcome.feedback} Cause: {kept[1]}.", misconception=kept[0], confidence=IS)

    return checked


# =============================================================================== api
@check("api", "signature", EARLY_STOPPING, interface=True)
def early_stopping_signature(ctx: Context) -> Outcome:
    return check_signature(ctx)


@check("api", "returns a History of the epochs run", EARLY_STOPPING)
@_fresh_history
def early_stopping_returns_history(ctx: Context) -> Outcome:
    name = "returns a History of the epochs run"
    script = Script((3.0, 2.0, 2.5), {"max_epochs": 3, "patience": 5})
    run, problem, _ = _student_run(ctx, script)
    if run is None:
        return _no_history(name, problem, "the History of the support code")
    bad = [n for n in ("best_epoch",) if not _is_real(getattr(run, n))]
    if run.stopped_epoch is not None and not _is_real(run.stopped_epoch):
        bad.append("stopped_epoch")
    if run.record is not None and not bad:  # the lists themselves, as the reference rows show them
        expected = _reference_run(ctx.component.name, script)
        lists = f"{describe_value(expected.train_losses)} and {describe_value(expected.val_losses)}"
        return _record_failure(name, script, run, lists)
    if len(run.train_losses) != 3 or len(run.val_losses) != 3 or bad:
        return failed(
            name,
            f"{script.call()} ran 3 epochs and returned a History with {len(run.train_losses)} train_losses, "
            f"{len(run.val_losses)} val_losses, best_epoch {run.best_epoch!r} and stopped_epoch "
            f"{run.stopped_epoch!r}; expected one loss of each kind per epoch, an int and an int or None.",
            "wrong-type",
        )
    return passed(name)


# =============================================================================== reference
# One row per case of the entry (exercises/components.py), named by the case: the scripted validation
# losses are the case's losses, the arguments its kwargs.
@check("reference", "", EARLY_STOPPING, per_case=True)
@_fresh_history
def early_stopping_case(ctx: Context, case: Case) -> Outcome:
    script = Script(tuple(float(v) for v in case.losses), case.kwargs)
    run, problem, _ = _student_run(ctx, script)
    return _judge(ctx, case.id, script, run, problem)


# =============================================================================== contracts
@check("contracts", "restores the best epoch's weights and buffers, not the last", EARLY_STOPPING)
@_fresh_history
def early_stopping_restores_best(ctx: Context) -> Outcome:
    name = "restores the best epoch's weights and buffers, not the last"
    # Patience ends the first run, max_epochs the second: restore_best puts the best state back whatever ended it.
    for script in (
        Script((4.0, 2.0, 3.0, 3.5, 5.0), {"patience": 3}),
        Script((4.0, 2.0, 3.0, 3.5, 5.0), {"patience": 10, "max_epochs": 5}),
    ):
        outcome = _restored(ctx, name, script)
        if not outcome.passed:
            return outcome
    return _restored_when_nested(ctx, name, Script((4.0, 2.0, 3.0, 3.5, 5.0), {"patience": 3}))


def _restored_when_nested(ctx: Context, name: str, script: Script) -> Outcome:
    """The flat model was restored whole: is a model whose BatchNorm sits in a nested container (a Sequential
    inside the Sequential) restored too? Only a walk over the layers that stops at the first level tells them apart."""
    run, problem, _ = _student_run(ctx, script, nested=True)
    if run is None:
        return _no_history(name, f"with a Sequential nested in the model: {problem}")
    if run.parameter == 2.0 and (run.buffer == 2.0 or _mode_problem(run) is not None):
        return passed(name)
    where = (
        f"{script.describe()}, on a model whose BatchNorm sits in a Sequential inside the Sequential: afterwards it "
        f"holds the weights of epoch {fmt(run.parameter)} and the BatchNorm buffers of epoch {fmt(run.buffer)} "
        "(the best epoch is 2; with the BatchNorm directly in the model both were restored)"
    )
    if run.parameter == 2.0:
        cause = (
            "the buffers were saved and restored only for the model's own layers: a walk over model.layers that does "
            "not go down into a nested container's layers misses their BatchNorm running_mean and running_var. Visit "
            "every layer recursively, as model.parameters() does for the weights"
        )
        return failed(name, f"{where}. Cause: {cause}.", "buffers-not-restored", confidence=IS)
    return failed(name, f"{where}: restore the state saved at the best epoch, whatever depth a layer sits at.", "")


def _restored(ctx: Context, name: str, script: Script) -> Outcome:
    """Does the run of ``script`` (best epoch 2) end with the best epoch's state in the model?"""
    run, problem, _ = _student_run(ctx, script)
    if run is None:
        return _no_history(name, problem)
    best, last = 2.0, float(run.epochs)
    # The buffer counts training-mode forwards: a run with the wrong modes is judged by its weights only
    # (the modes have a test of their own).
    modes_wrong = _mode_problem(run) is not None
    if run.parameter == best and (run.buffer == best or modes_wrong):
        return passed(name)
    where = f"{script.describe()}: the best epoch is 2, but afterwards the model holds the weights of epoch "
    where += (
        fmt(run.parameter)
        if modes_wrong
        else f"{fmt(run.parameter)} and the BatchNorm buffers of epoch {fmt(run.buffer)}"
    )
    # The state is the evidence: the last epoch's weights kept, or the weights without the buffers.
    # ... with best_epoch right: a loop that never stops (its best is always the last epoch) is _diagnose's.
    if run.parameter == last and (run.buffer == last or modes_wrong) and _same(run.best_epoch, 2):
        cause = _MISTAKES["restores-last"]
        if run.stopped_epoch is None and "max_epochs" in script.kwargs:
            # The patience run (the first) restored: only a run that max_epochs ended keeps its last weights.
            cause = (
                "the best state was put back only when patience ran out: a run that max_epochs ends keeps the last "
                "epoch's weights. With restore_best the best epoch's state is loaded back at the end of every run, "
                "whether patience or max_epochs ended it"
            )
        return failed(name, f"{where}. Cause: {cause}.", "restores-last", confidence=IS)
    if run.parameter == best and not modes_wrong:
        # The buffers alone are wrong: never restored, or saved as the live arrays (the probe tells).
        verdict = _references_probe(ctx, script, run)
        if verdict == ("", ""):
            cause = _MISTAKES["buffers-not-restored"]
            return failed(name, f"{where}. Cause: {cause}.", "buffers-not-restored", confidence=IS)
        if verdict is not None:
            return failed(name, f"{where}. {verdict[1]}", verdict[0], confidence=IS)
        return failed(name, f"{where}: restore the state saved at the best epoch.", "")
    tag, cause = _diagnose(script, run, ctx)
    return failed(
        name, f"{where}: restore the state saved at the best epoch. {cause}".strip(), tag, confidence=IS if tag else ""
    )


@check("contracts", "stops after exactly `patience` epochs in a row without improvement", EARLY_STOPPING)
@_fresh_history
def early_stopping_patience(ctx: Context) -> Outcome:
    """For several patiences: a first stretch of ``patience - 1`` poor epochs (no stop), an
    improvement, then ``patience`` poor epochs (stop), then improvements that must not be reached."""
    name = "stops after exactly `patience` epochs in a row without improvement"
    for patience in (1, 2, 4):
        val = (3.0, *[3.5] * (patience - 1), 2.0, *[2.5] * patience, 1.0, 0.5, 0.2)
        script = Script(val, {"patience": patience})
        run, problem, _ = _student_run(ctx, script)
        if run is None:
            return _no_history(name, problem)
        best, stop = patience + 1, 2 * patience + 1
        if run.epochs == stop and _same(run.stopped_epoch, stop) and _same(run.best_epoch, best):
            continue
        text = (
            f"{script.describe()}: it ran {run.epochs} epochs (stopped_epoch {run.stopped_epoch!r}, "
            f"best_epoch {run.best_epoch!r}); expected to stop after epoch {stop}: {patience} epoch(s) in a row "
            f"without improvement since the best, epoch {best}"
        )
        tag, cause = _diagnose(script, run, ctx)
        return failed(name, f"{text}. {cause}".strip(), tag, confidence=IS if tag else "")
    return passed(name)


MIN_DELTA_SCRIPTS = (
    Script((2.0, 2.0, 2.0, 1.0), {"patience": 2}),
    Script((1.0, 0.95, 0.93, 0.5), {"patience": 2, "min_delta": 0.1}),
    Script((1.0, 0.85, 0.8, 0.78, 0.5), {"patience": 2, "min_delta": 0.1}),
    # Losses of size 10: an absolute min_delta (10 - 0.1) and a relative one (10 * 0.9) disagree.
    Script((10.0, 9.95, 9.5, 9.3, 5.0, 6.0, 7.0), {"patience": 2, "min_delta": 0.1}),
    # Improvements of 2e-7 with min_delta=0: each one counts, however small (rounded losses lose them).
    Script((1.0, 0.9999998, 0.9999996, 0.9999994, 0.5, 0.6, 0.7), {"patience": 2}),
    # A decrease smaller than min_delta (0.95), then one that beats the best by more (0.84) and one that beats it
    # (0.72 < 0.84 - 0.1) but not the 0.78 before it: only an improvement moves the best, a smaller decrease does not.
    Script((1.0, 0.95, 0.84, 0.78, 0.72, 0.7, 0.69), {"patience": 2, "min_delta": 0.1}),
)


@check("contracts", "an improvement must beat the best by more than min_delta", EARLY_STOPPING)
@_fresh_history
def early_stopping_min_delta(ctx: Context) -> Outcome:
    name = "an improvement must beat the best by more than min_delta"
    for script in MIN_DELTA_SCRIPTS:
        run, problem, _ = _student_run(ctx, script)
        if run is None:
            return _no_history(name, problem)
        expected = _reference_run(ctx.component.name, script)
        if _same_outcome(run.outcome()[:3], expected.outcome()[:3]):
            continue
        tag, cause = _diagnose(script, run, ctx)
        return failed(
            name,
            f"{script.describe()}: it ran {run.epochs} epochs with best_epoch {run.best_epoch!r}; expected "
            f"{len(expected.val_losses)} epochs with best_epoch {expected.best_epoch}. {cause}".strip(),
            tag,
            confidence=IS if tag else "",
        )
    return passed(name)


@check("contracts", "judges the validation loss in eval mode and trains in train mode", EARLY_STOPPING)
@_fresh_history
def early_stopping_modes(ctx: Context) -> Outcome:
    name = "judges the validation loss in eval mode and trains in train mode"
    script = Script((5.0, 4.0, 4.5, 4.8, 3.0), {"patience": 2})
    run, problem, _ = _student_run(ctx, script)
    if run is None:
        return _no_history(name, problem)
    forwards = [event.split(":")[1:] for event in run.events if event.startswith("forward:")]
    validation = [mode for data, mode in forwards if data == "validation"]
    judged = list(script.val[: len(run.val_losses)])
    if not validation and run.val_losses and all(_same(a, b) for a, b in zip(run.val_losses, judged, strict=False)):
        # The scripted loss read the validation targets (it gives the validation losses only for those),
        # but no forward saw X_val: the inputs of the validation loss were other ones.
        inputs = "the training inputs X" if ["training", "eval"] in forwards else "inputs other than X_val"
        return failed(
            name,
            f"{script.describe()}: the validation losses were computed with the validation targets y_val but from "
            f"{inputs}: the model never saw X_val. The validation loss is evaluate_loss(model, loss_fn, X_val, "
            "y_val), the validation inputs with their own targets.",
            "validation-inputs-wrong",
            confidence=IS,
        )
    if validation and _records_training_losses(script, run):
        tag, cause = _training_losses_recorded(ctx, script, run)
        return failed(
            name,
            f"{script.describe()}: val_losses is {describe_value(run.val_losses)}, the training losses. "
            f"{cause}".strip(),
            tag,
            confidence=IS if tag else "",
        )
    after_epochs = [doubles.scripted(list(script.train), k) for k in range(1, len(run.val_losses) + 1)]
    if not validation and _evaluated_in_eval(run.events, "training") and _close(run.val_losses, after_epochs):
        # The training set went through evaluate_loss (eval mode, no step) and its losses are what val_losses holds.
        return failed(
            name,
            f"{script.describe()}: the model never saw X_val, and val_losses is {describe_value(run.val_losses)}, "
            f"the losses of the training set evaluated after each epoch. Cause: "
            f"{_MISTAKES['validation-inputs-wrong#training-set']}.",
            "validation-inputs-wrong",
            confidence=IS,
        )
    if not validation:
        return failed(
            name,
            f"{script.describe()}: the model never saw the validation set, or val_losses holds the training "
            f"losses: {_MISTAKES['uses-training-loss']}.",
            "uses-training-loss",
            confidence=IS,
        )
    problem = _mode_problem(run)
    if problem is not None:
        return failed(name, f"{script.describe()}: {problem[1]}.", problem[0], confidence=IS)
    return passed(name)


@check("contracts", "each epoch is one call of fit with batch_size, shuffle and one rng", EARLY_STOPPING)
@_fresh_history
def early_stopping_fit_calls(ctx: Context) -> Outcome:
    """Judged only when fit_early_stopping trains through its module's ``fit`` (docs/api.md's way);
    a loop of its own is judged by the other checks."""
    name = "each epoch is one call of fit with batch_size, shuffle and one rng"
    script = Script((5.0, 4.0, 4.5, 4.8, 3.0), {"patience": 2, "batch_size": 2, "shuffle": True})
    generator = ctx.session.harness("generator", draw_seed(ctx, "fit calls"))
    run, problem, calls = _student_run(ctx, script, rng=generator)
    if run is None:
        return _no_history(name, problem)
    if not calls:
        return passed(name)
    call = f"{script.call()[:-1]}, rng=a Generator)"
    for k, arguments in enumerate(calls, start=1):
        got = {key: arguments.get(key) for key in ("epochs", "batch_size", "shuffle")}
        if got != {"epochs": 1, "batch_size": 2, "shuffle": True}:
            return failed(
                name,
                f"{call}: call {k} of fit had epochs={got['epochs']!r}, batch_size={got['batch_size']!r}, "
                f"shuffle={got['shuffle']!r}; each epoch is fit(model, loss_fn, optimizer, X, y, 1, batch_size, "
                "shuffle, rng).",
                "fit-arguments",
                confidence=IS,
            )
        if arguments.get("rng") != generator:
            return failed(
                name,
                f"{call}: call {k} of fit was not given the generator passed as rng: pass rng on to fit, so that "
                "one generator shuffles every epoch (a new generator per epoch repeats or loses the seed).",
                "rng-ignored",
                confidence=IS,
            )
    # The epochs run, as the history counts them or as the validation losses computed count them: a history whose
    # lists are wrong (one list for both, epochs left out) is the other tests' to judge.
    if len(calls) not in (len(run.val_losses), len(run.train_losses), _evaluations(run)):
        return failed(
            name,
            f"{call}: fit was called {len(calls)} times for {len(run.val_losses)} epochs; call it once per epoch.",
            "fit-arguments",
            confidence=IS,
        )
    return passed(name)
