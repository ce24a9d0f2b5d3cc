"""Early stopping, driven by a scripted validation loss.

The validation loss is a script (the loss double returns the next number of it whenever it
sees the validation set), so each case sets up one situation on purpose: an improvement
after a wait, a tie with the best, an improvement smaller than min_delta, the epochs running
out. The training loss is a real one, so the model's parameters (and a BatchNorm-like
running buffer) move every epoch, and restoring the best epoch's state shows in them. The
optimizer updates in place, as many do: a "best state" kept as references follows it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from .compare import as_array
from .core import Check, Failed, Subject, fail_if
from .doubles import CallLog, GradientDescent, LogCosh, ScaleShift
from .manifest import CaseSpec

EARLY_STOPPING = ("early_stopping",)


class BufferedModel(ScaleShift):
    """A scale-and-shift model with a running buffer (like BatchNorm's) that logs its modes."""

    def __init__(self, a: Any, b: Any, log: CallLog) -> None:
        super().__init__(a, b, log, "model")
        self.running_mean = np.zeros_like(self.a.data)
        self.modes: list[tuple[int, bool]] = []  # (rows, training) of every forward

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        self.modes.append((len(x), bool(self.training)))
        if self.modes[-1][1]:  # training mode: the buffer follows the batches
            self.running_mean = 0.9 * self.running_mean + 0.1 * x.mean(axis=0)
        return super().forward(x)


class ScriptedLoss(LogCosh):
    """A log-cosh loss whose value on the validation set (``rows`` rows) is the next number of ``script``."""

    def __init__(self, rows: int, script: list[float], log: CallLog) -> None:
        super().__init__(log)
        self.rows, self.script, self.seen = rows, list(script), 0
        # What a validation call must be given (set by ``run``): the model's output on X_val, and y_val.
        self.validation: tuple[BufferedModel, np.ndarray, np.ndarray] | None = None
        self.misfed = 0

    def forward(self, y: np.ndarray, t: np.ndarray) -> float:
        if len(np.asarray(y)) == self.rows:
            self.seen += 1
            if self.validation is not None and not self._validation_inputs(y, t):
                self.misfed += 1
            return float(self.script[min(self.seen, len(self.script)) - 1])
        return super().forward(y, t)

    def _validation_inputs(self, y: np.ndarray, t: np.ndarray) -> bool:
        model, X_val, y_val = self.validation
        want = X_val * model.a.data + model.b.data  # the model's output on X_val, with its parameters now
        y, t = np.asarray(y, dtype=np.float64), np.asarray(t, dtype=np.float64)
        return y.shape == want.shape and t.shape == y_val.shape and np.allclose(y, want) and np.allclose(t, y_val)


class InPlaceDescent(GradientDescent):
    """Gradient descent that updates ``p.data`` in place."""

    def step(self) -> None:
        self.log.append("step")
        for p in self.params:
            p.data -= self.lr * p.grad


def rig(info: dict[str, Any], features: int) -> tuple[BufferedModel, ScriptedLoss, InPlaceDescent]:
    rng = np.random.default_rng(info["rig_seed"])
    log = CallLog()
    model = BufferedModel(1.0 + 0.3 * rng.standard_normal(features), 0.3 * rng.standard_normal(features), log)
    return (
        model,
        ScriptedLoss(info["val_rows"], info["script"], log),
        InPlaceDescent(model.parameters(), info["lr"], log),
    )


def run(sub: Subject, case: CaseSpec, **override: Any) -> tuple[Any, BufferedModel, ScriptedLoss]:
    fx, k = sub.fixture, case.index
    X, y, X_val, y_val = fx[f"c{k}/X"], fx[f"c{k}/y"], fx[f"c{k}/X_val"], fx[f"c{k}/y_val"]
    model, loss, optimizer = rig(case.info, X.shape[1])
    loss.validation = (model, X_val.copy(), y_val.copy())
    kwargs = {**case.kwargs, **override}
    if case.info.get("rng_seed") is not None:
        kwargs["rng"] = np.random.default_rng(case.info["rng_seed"])
    return sub.cls()(model, loss, optimizer, X, y, X_val, y_val, **kwargs), model, loss


def probe(sub: Subject, case: CaseSpec | None) -> None:
    run(sub, sub.spec.cases[0], max_epochs=1)


def history(sub: Subject, case: CaseSpec) -> None:
    fx, k = sub.fixture, case.index
    got, model, loss = run(sub, case)
    call = f"fit_early_stopping(..., {', '.join(f'{a}={b!r}' for a, b in case.kwargs.items())})"
    script = ", ".join(f"{v:g}" for v in case.info["script"][: len(fx[f"c{k}/val_losses"]) + 2])
    missing = [name for name in ("train_losses", "val_losses", "best_epoch", "stopped_epoch") if not hasattr(got, name)]
    if missing:
        raise Failed(
            f"{call} returned {type(got).__name__} without {', '.join(missing)}; it returns the module's History"
        )
    stopped = -1 if got.stopped_epoch is None else got.stopped_epoch
    want_stopped = int(fx[f"c{k}/stopped_epoch"])
    found = []
    if loss.misfed:
        found.append(
            f"{loss.misfed} validation loss(es) were given other inputs than the model's output on X_val and the "
            "targets y_val (the validation loss is the loss of the model's predictions for X_val against y_val)"
        )
    if (got.best_epoch, stopped) != (int(fx[f"c{k}/best_epoch"]), want_stopped):
        found.append(
            f"with validation losses {script}, ... it reported best_epoch={got.best_epoch!r}, stopped_epoch="
            f"{got.stopped_epoch!r}; expected best_epoch={int(fx[f'c{k}/best_epoch'])} (counted from 1), stopped_epoch="
            f"{None if want_stopped < 0 else want_stopped} (an epoch improves when its loss is below best - min_delta; "
            "stop after `patience` epochs in a row without improvement)"
        )
    val = as_array(list(got.val_losses))
    found.append(sub.judge(val, fx[f"c{k}/val_losses"], "the validation losses recorded"))
    found.append(sub.judge(as_array(list(got.train_losses)), fx[f"c{k}/train_losses"], "the training losses recorded"))
    restore = case.kwargs.get("restore_best", True)
    state = "the best epoch's" if restore else "the last epoch's (restore_best=False)"
    found.append(sub.judge(model.a.data, fx[f"c{k}/a"], f"the model's parameters at the end ({state})"))
    found.append(
        sub.judge(
            model.running_mean,
            fx[f"c{k}/running_mean"],
            f"the model's running buffer at the end ({state}: buffers are part of the state)",
        )
    )
    fail_if([f"{call}: {p}" for p in found if p])


def modes(sub: Subject, case: CaseSpec | None) -> None:
    case = sub.spec.cases[0]
    _, model, _ = run(sub, case)
    rows = case.info["val_rows"]
    found = []
    if any(training for n, training in model.modes if n == rows):
        found.append(
            "the validation loss was computed in train mode (evaluate in eval mode: Dropout off, BatchNorm on its "
            "running statistics)"
        )
    if any(not training for n, training in model.modes if n != rows):
        found.append("training ran in eval mode after a validation (switch back to train mode)")
    if model.training is not True:
        found.append("the model was left in eval mode at the end")
    fail_if(found)


def validates_after_training(sub: Subject, case: CaseSpec | None) -> None:
    """Each validation loss is that of the weights the epoch's training produced: a validation forward
    comes after a training forward, never twice without one between (validating first judges every
    epoch on the weights of the epoch before it)."""
    case = sub.spec.cases[0]
    _, model, _ = run(sub, case)
    rows, trained = case.info["val_rows"], False
    for n, _ in model.modes:
        if n != rows:
            trained = True
        elif not trained:
            raise Failed(
                "a validation loss was computed before the epoch's training (the model saw X_val with no training "
                "since the last validation): evaluate after each epoch's fit, so that the loss judged for an epoch "
                "is that of the weights the epoch produced"
            )
        else:
            trained = False


def restores_at_max_epochs(sub: Subject, case: CaseSpec | None) -> None:
    """A run that max_epochs ends after its best epoch ends with the best epoch's state: the same as a run
    cut at the best epoch (the rig and the generator start alike, so the first epochs are the same)."""
    case = sub.spec.cases[0]
    if not case.kwargs.get("restore_best", True):
        return
    script = list(case.info["script"])
    if int(case.kwargs.get("patience", 5)) < 2:
        return
    min_delta = float(case.kwargs.get("min_delta", 0.0))
    # The first epoch without improvement (one epoch of waiting: no stop): max_epochs ends the run there.
    last = next((k for k in range(2, len(script) + 1) if script[k - 1] >= min(script[: k - 1]) - min_delta), None)
    if last is None:
        return
    best = last - 1
    _, cut, _ = run(sub, case, max_epochs=best)
    got, model, _ = run(sub, case, max_epochs=last)
    if got.stopped_epoch is not None or got.best_epoch != best:
        return  # the history test says what is wrong with the bookkeeping
    found = [
        sub.judge(model.a.data, cut.a.data, f"the parameters after max_epochs={last} (best epoch {best})"),
        sub.judge(model.running_mean, cut.running_mean, f"the running buffer after max_epochs={last}"),
    ]
    fail_if(
        [
            f"{p}: with restore_best the best epoch's state is put back at the end of every run, also when "
            "max_epochs (not patience) ends it"
            for p in found
            if p
        ]
    )


# Improvements of 2e-7 with min_delta=0, then a clear one: every epoch improves, so no patience runs out.
_TINY_STEPS = (1.0, 0.9999998, 0.9999996, 0.9999994, 0.5)


def tiny_improvements_count(sub: Subject, case: CaseSpec | None) -> None:
    """With min_delta=0 any decrease, however small, is an improvement: losses rounded (or compared with a
    tolerance of their own) before the test lose it and stop early."""
    base = sub.spec.cases[0]
    scripted = replace(base, info={**base.info, "script": [*_TINY_STEPS, *_TINY_STEPS[-1:] * 3]})
    epochs = len(_TINY_STEPS)
    got, _, _ = run(sub, scripted, max_epochs=epochs, patience=2, min_delta=0.0)
    ran = len(list(got.val_losses))
    if ran != epochs or got.best_epoch != epochs or got.stopped_epoch is not None:
        raise Failed(
            f"with validation losses {', '.join(f'{v:.7g}' for v in _TINY_STEPS)}, patience=2 and min_delta=0 it ran "
            f"{ran} epochs with best_epoch={got.best_epoch!r}, stopped_epoch={got.stopped_epoch!r}; every epoch "
            f"improves (each loss is below the best so far), so expected {epochs} epochs, best_epoch={epochs}, "
            "stopped_epoch=None: compare the losses themselves (not rounded), val_loss < best_loss - min_delta"
        )


CHECKS = (
    Check("runs", "runs", EARLY_STOPPING, probe),
    Check("fixtures", "history, best epoch, stopping epoch and final state", EARLY_STOPPING, history, per_case=True),
    Check("contracts", "validates in eval mode, trains in train mode", EARLY_STOPPING, modes),
    Check("contracts", "validates each epoch after its training", EARLY_STOPPING, validates_after_training),
    Check(
        "contracts", "restores the best state also when max_epochs ends the run", EARLY_STOPPING, restores_at_max_epochs
    ),
    Check("contracts", "any decrease improves when min_delta is 0", EARLY_STOPPING, tiny_improvements_count),
)
