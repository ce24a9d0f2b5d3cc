"""Test doubles that live beside the student's code in the worker.

Some components are tested by handing them other objects: an optimizer needs parameters,
``Sequential`` needs layers, ``training.fit`` needs a model, a loss and an optimizer,
``numerical_gradient`` needs a function. These doubles are small, obviously correct, and
record how they were used, so a check can ask "was ``zero_grad`` called before
``backward``?". They are not reference solutions: none implements an exercise.

Numpy and the standard library only (this module is imported by the worker).
"""

from __future__ import annotations

import inspect
import sys
from typing import Any

import numpy as np


class Param:
    """A parameter: ``data`` and ``grad`` of the same shape, ``grad`` starting at zero."""

    def __init__(self, data: Any) -> None:
        self.data = np.array(data, dtype=np.float64)
        self.grad = np.zeros_like(self.data)

    @property
    def shape(self) -> tuple[int, ...]:  # as the support module's Parameter has
        return self.data.shape


def parameter(data: Any) -> Param:
    return Param(data)


def parameters(arrays: list) -> list[Param]:
    return [Param(a) for a in arrays]


class CallLog:
    """A shared list of events, e.g. ``["zero_grad", "forward:4", "loss", ...]``."""

    def __init__(self) -> None:
        self.events: list[str] = []


class ScaleShift:
    """Elementwise ``y = x * scale + shift`` with learnable ``scale`` and ``shift`` of shape (D,)."""

    def __init__(self, dim: int, seed: int, log: CallLog | None = None, tag: str = "") -> None:
        rng = np.random.default_rng(seed)
        self.scale = Param(1.0 + 0.5 * rng.standard_normal(dim))
        self.shift = Param(0.5 * rng.standard_normal(dim))
        self.training = True
        self.log = log
        self.tag = tag

    def _note(self, event: str) -> None:
        if self.log is not None:
            self.log.events.append(f"{event}:{self.tag}")

    def forward(self, x: np.ndarray) -> np.ndarray:
        self._note("forward")
        self._x = np.array(x, dtype=np.float64)
        return self._x * self.scale.data + self.shift.data

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        self._note("backward")
        self.scale.grad += (grad_y * self._x).reshape(-1, self._x.shape[-1]).sum(axis=0)
        self.shift.grad += grad_y.reshape(-1, self._x.shape[-1]).sum(axis=0)
        return grad_y * self.scale.data

    def parameters(self) -> list[Param]:
        return [self.scale, self.shift]

    def train(self) -> ScaleShift:
        self._note("train")
        self.training = True
        return self

    def eval(self) -> ScaleShift:
        self._note("eval")
        self.training = False
        return self


class Cube:
    """``y = x**3 / 3``, no parameters: a nonlinearity whose derivative is ``x**2``."""

    def __init__(self, log: CallLog | None = None, tag: str = "") -> None:
        self.training = True
        self.log = log
        self.tag = tag

    def forward(self, x: np.ndarray) -> np.ndarray:
        if self.log is not None:
            self.log.events.append(f"forward:{self.tag}")
        self._x = np.array(x, dtype=np.float64)
        return self._x**3 / 3

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        if self.log is not None:
            self.log.events.append(f"backward:{self.tag}")
        return grad_y * self._x**2

    def parameters(self) -> list:
        return []

    def train(self) -> Cube:
        self.training = True
        return self

    def eval(self) -> Cube:
        self.training = False
        return self


class LinearModel:
    """``y = x @ W + b`` for ``training.fit`` checks; logs forward/backward with batch sizes."""

    def __init__(self, n_in: int, n_out: int, seed: int, log: CallLog) -> None:
        rng = np.random.default_rng(seed)
        self.W = Param(0.1 * rng.standard_normal((n_in, n_out)))
        self.b = Param(np.zeros(n_out))
        self.log = log
        self.training = True
        self.last_input: np.ndarray | None = None  # what fit fed the model last (read after a crash)

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.log.events.append(f"forward:{len(x)}")
        self._x = np.array(x, dtype=np.float64)
        self.last_input = self._x
        return self._x @ self.W.data + self.b.data

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        self.log.events.append("backward")
        self.W.grad += self._x.T @ grad_y
        self.b.grad += grad_y.sum(axis=0)
        return grad_y @ self.W.data.T

    def parameters(self) -> list[Param]:
        return [self.W, self.b]

    def train(self) -> LinearModel:
        self.training = True
        return self

    def eval(self) -> LinearModel:
        self.training = False
        return self


class MeanSquaredError:
    """``mean((input - target)**2)``, logging each call."""

    def __init__(self, log: CallLog) -> None:
        self.log = log
        self.last_input_shape: tuple[int, ...] | None = None  # the shape of the last prediction it was given

    def forward(self, input: np.ndarray, target: np.ndarray) -> float:  # noqa: A002
        self.log.events.append("loss")
        self.last_input_shape = tuple(np.shape(input))
        self._diff = np.asarray(input, dtype=np.float64) - np.asarray(target, dtype=np.float64).reshape(np.shape(input))
        return float(np.mean(self._diff**2))

    def backward(self) -> np.ndarray:
        self.log.events.append("loss_backward")
        return 2 * self._diff / self._diff.size


class PlainSGD:
    """``p.data -= lr * p.grad``, logging each call."""

    def __init__(self, params: list[Param], lr: float, log: CallLog) -> None:
        self.params = list(params)
        self.lr = lr
        self.log = log

    def zero_grad(self) -> None:
        self.log.events.append("zero_grad")
        for p in self.params:
            p.grad[...] = 0.0

    def step(self) -> None:
        self.log.events.append("step")
        for p in self.params:
            p.data = p.data - self.lr * p.grad


class TrainingRig:
    """A model, a loss and an optimizer sharing one log: what ``training.fit`` is given."""

    def __init__(self, n_in: int, n_out: int, lr: float, seed: int) -> None:
        self.log = CallLog()
        self.model = LinearModel(n_in, n_out, seed, self.log)
        self.loss = MeanSquaredError(self.log)
        self.optimizer = PlainSGD(self.model.parameters(), lr, self.log)

    @property
    def events(self) -> list[str]:
        return self.log.events

    @property
    def weights(self) -> list[np.ndarray]:
        return [self.model.W.data, self.model.b.data]


def training_rig(n_in: int, n_out: int, lr: float, seed: int) -> TrainingRig:
    return TrainingRig(n_in, n_out, lr, seed)


def layer_stack(dims: int, seed: int) -> dict[str, Any]:
    """Three logged layers for ``Sequential``: ScaleShift -> Cube -> ScaleShift."""
    log = CallLog()
    layers = [ScaleShift(dims, seed, log, "a"), Cube(log, "b"), ScaleShift(dims, seed + 1, log, "c")]
    return {"log": log, "layers": layers}


class ScalarFunction:
    """A smooth scalar test function of an array, for ``numerical_gradient`` checks.

    ``f(x) = sum(w * sin(x) + c * x**2)``; it records every input it is called with, so a
    check can see that ``x`` was perturbed one entry at a time and restored exactly.
    """

    def __init__(self, shape: tuple[int, ...], seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.w = rng.standard_normal(shape)
        self.c = rng.standard_normal(shape)
        self.calls = 0

    def __call__(self, x: np.ndarray) -> float:
        self.calls += 1
        return float(np.sum(self.w * np.sin(x) + self.c * x**2))


def scalar_function(shape: list[int], seed: int) -> ScalarFunction:
    return ScalarFunction(tuple(shape), seed)


class ArrayBox:
    """Holds an array in the worker so a check can pass it by handle and look at it afterwards."""

    def __init__(self, value: Any) -> None:
        self.value = np.array(value, dtype=np.float64)


def array_box(value: Any) -> ArrayBox:
    return ArrayBox(value)


def _array_attributes(obj: Any) -> dict[str, np.ndarray]:
    """An instance's numeric array attributes (one level into dicts), the arrays themselves (not copies)."""
    arrays = {}
    for key, value in dict(getattr(obj, "__dict__", {})).items():
        inner = value.items() if isinstance(value, dict) else [("", value)]
        for sub, item in inner:
            if isinstance(item, np.ndarray) and item.dtype.kind in "biuf" and item.size > 1:
                arrays[f"{key}[{sub!r}]" if sub else key] = item
    return arrays


def backward_trace(module: Any, forward_args: list, backward_args: list, calls: int = 2) -> dict[str, Any]:
    """One forward, then ``calls`` backward calls, watching what forward saved by identity.

    A saved attribute can change between two backward calls in two ways a value comparison cannot tell apart:
    the array forward saved is written in place (``d = self._y; d *= 1 - d``: the caller's output changes too
    when it is that array), or the attribute is rebound to a new array (``self._y = ...`` in backward, or
    backward calling ``self.forward(...)``, which saves anew) and the saved array is left as it was. Returns
    ``written`` (saved arrays whose values changed), ``rebound`` (attributes now holding another object),
    ``held_output`` (attributes that held the very array forward returned), ``output_changed`` (that array's
    values changed), and ``forward_calls``: for each call of the module's own forward from inside backward,
    the saved attribute its first argument was (by identity, else by equal values), or ``""``.
    """
    output = module.forward(*forward_args)
    saved = _array_attributes(module)
    copies = {key: value.copy() for key, value in saved.items()}
    output_copy = output.copy() if isinstance(output, np.ndarray) else None
    forward_calls: list[str] = []
    original = module.forward

    def watched(*args: Any, **kwargs: Any) -> Any:
        first = args[0] if args else None
        which = next((k for k, v in saved.items() if first is v), "")
        if not which and isinstance(first, np.ndarray):
            which = next(
                (k for k, v in copies.items() if v.shape == first.shape and np.array_equal(v, first)),
                "",
            )
        forward_calls.append(which)
        return original(*args, **kwargs)

    rebound: list[str] = []
    written: list[str] = []  # after each backward: a second one may undo the first's change (hinge: -(-x) = x)
    output_changed = False
    try:
        module.forward = watched
    except AttributeError:  # no instance dict: forward calls are not watched
        pass
    try:
        for _ in range(calls):
            module.backward(*[np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in backward_args])
            now = _array_attributes(module)
            rebound += [k for k, v in saved.items() if k in now and now[k] is not v and k not in rebound]
            written += [
                k for k, v in saved.items() if k not in written and not np.array_equal(v, copies[k], equal_nan=True)
            ]
            output_changed = output_changed or (
                output_copy is not None and not np.array_equal(output, output_copy, equal_nan=True)
            )
    finally:
        if getattr(module, "__dict__", {}).get("forward") is watched:
            del module.forward
    return {
        "written": written,
        "rebound": rebound,
        "held_output": [k for k, v in saved.items() if v is output],
        "output_changed": output_changed,
        "forward_calls": forward_calls,
    }


def read_only_grad(module: Any, param: str, value: Any) -> None:
    """Give ``module.<param>.grad`` a read-only array of ``value``: backward writing into it in place raises,
    where a marker that only records values cannot tell an all-zero gradient added from none stored at all."""
    grad = np.array(value, dtype=np.float64)
    grad.flags.writeable = False
    getattr(module, param).grad = grad


# --------------------------------------------------------------------- models, training, gradcheck
# Doubles for the rubric of models.Perceptron, models.Sequential, training.minibatches,
# training.fit and gradcheck (graders/judging/checks/{perceptron,sequential,training,gradient_checking}.py).


def generator(seed: int) -> np.random.Generator:
    """A seeded ``numpy.random.Generator``, made here because a generator is not plain data."""
    return np.random.default_rng(seed)


class CallCounter:
    """Counts the calls of one method of one object (installed on the instance, so that
    ``self.update(...)`` inside the object's own methods goes through it too)."""

    def __init__(self, obj: Any, method: str) -> None:
        self.count = 0
        self.firsts: list[Any] = []  # each call's first argument (update's x): the order fit visits samples
        original = getattr(obj, method)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            try:
                self.firsts.append(np.array(args[0], dtype=np.float64, copy=True) if args else None)
            except (TypeError, ValueError):  # not numbers: nothing to record, the call itself goes on
                self.firsts.append(None)
            return original(*args, **kwargs)

        try:
            setattr(obj, method, counted)
        except AttributeError:  # no instance dict (__slots__): a subclass of its own counts instead
            cls = type(obj)
            obj.__class__ = type(cls.__name__, (cls,), {"__slots__": (), method: lambda _, *a, **k: counted(*a, **k)})


def call_counter(obj: Any, method: str) -> CallCounter:
    return CallCounter(obj, method)


def perceptron_loop(model: Any, X: Any, y: Any, max_epochs: int, mistake: str = "") -> dict[str, Any]:
    """The ``Perceptron.fit`` loop of docs/api.md, or the loop with one known ``mistake``, run over
    ``model``'s own ``update`` (and ``predict``): what a fit with that loop does with that update.
    A failed fit check compares the submission's fit with these, to tell a wrong loop (and which
    mistake in it) from a right loop over a wrong update."""
    calls = 0

    def update(x: Any, target: Any) -> Any:
        nonlocal calls
        calls += 1
        return model.update(x, target)

    epochs = {"one-epoch-short": max_epochs - 1, "one-epoch-extra": max_epochs + 1}.get(mistake, max_epochs)
    if mistake == "do-while":
        epochs = max(epochs, 1)
    result, mistakes = False, 0
    base_lr = getattr(model, "lr", 1.0)  # read only by the schedules below
    total_w, total_b, seen = 0.0, 0.0, 0  # the averaged perceptron's running sums, over every sample visit

    def averaged() -> None:
        if seen:
            model.weight, model.bias = total_w / seen, total_b / seen

    # the pocket algorithm: the weights of the epoch with the fewest mistakes (counted during the epoch, or by
    # predict(X) after it) are put back when no epoch came out clean
    pocket: tuple[float, Any, Any] = (np.inf, np.copy(model.weight), model.bias)

    for epoch in range(epochs):
        # a learning-rate schedule: smaller steps in later epochs, lr / (epoch + 1) or lr / sqrt(epoch + 1)
        if mistake == "lr-over-epoch":
            model.lr = base_lr / (epoch + 1)
        elif mistake == "lr-over-sqrt-epoch":
            model.lr = base_lr / float(np.sqrt(epoch + 1))
        elif mistake.startswith("lr-times-"):  # a geometric decay, lr * factor ** epoch
            model.lr = base_lr * float(mistake.removeprefix("lr-times-")) ** epoch
        if mistake == "batch-per-epoch":  # every prediction of the epoch first, then one summed update
            errors = np.asarray(y, dtype=np.float64) - np.asarray(model.predict(X), dtype=np.float64)
            if not errors.any():
                result = True
                break
            model.weight = model.weight + model.lr * (errors @ np.asarray(X, dtype=np.float64))
            model.bias = model.bias + model.lr * float(errors.sum())
            continue
        if mistake != "mistakes-not-reset":
            mistakes = 0
        # the learned state set back to zero at every epoch's start (an initialisation inside the epoch loop)
        if mistake in ("weights-reset-per-epoch", "state-reset-per-epoch"):
            model.weight = np.zeros_like(np.asarray(model.weight, dtype=np.float64))
        if mistake == "state-reset-per-epoch":
            model.bias = 0.0
        if mistake == "clean-test-before-samples":  # the end-of-epoch test above the sample loop
            return {"result": True, "weight": model.weight, "bias": model.bias, "calls": calls}
        samples = list(zip(X, y, strict=True))
        # range(len(X) - 1) or range(1, len(X)): one sample never visited
        samples = {"skips-last-sample": samples[:-1], "skips-first-sample": samples[1:]}.get(mistake, samples)
        if mistake == "samples-iterator-shared" and epoch:  # zip(X, y) made once, used up by the first epoch
            samples = []
        for x, target in samples:
            if mistake == "reset-per-sample":
                mistakes = 0
            error = update(x, target)
            changed = error != 0.0
            if mistake in ("averaged", "averaged-always") or (mistake == "averaged-over-updates" and changed):
                total_w, total_b, seen = total_w + np.asarray(model.weight), total_b + float(model.bias), seen + 1
            if mistake.startswith("sums-errors"):  # `mistakes += error`: a -1 and a +1 cancel
                mistakes += float(error)
            elif changed or mistake == "counts-every-sample":  # `mistakes += 1` dedented out of its `if`
                mistakes += 1
            if mistake == "epoch-ends-at-mistake" and changed:
                break  # all(...) or any(...) over a generator (or a `break`): the rest of the epoch is never visited
            # the end-of-epoch test indented into the sample loop, or one right sample taken for a clean epoch
            early = {"clean-test-per-sample": mistakes == 0, "stops-on-right-sample": not changed}
            if early.get(mistake, False):
                return {"result": True, "weight": model.weight, "bias": model.bias, "calls": calls}
        if mistake.startswith("pocket"):
            wrong = mistakes
            if mistake == "pocket#predict":
                wrong = int(np.sum(np.asarray(model.predict(X)) != np.asarray(y)))
            if wrong < pocket[0]:
                pocket = (wrong, np.copy(model.weight), model.bias)
        if mistake == "false-inside-epoch-loop" and mistakes:
            break  # `return False` indented into the epoch loop: the first epoch with a mistake ends fit
        if mistake == "always-true":
            result = True
            break
        if mistake == "never-stops-early":
            result = mistakes == 0
            continue
        clean = mistakes <= 0 if mistake == "sums-errors-at-most-zero" else mistakes == 0
        if clean or (mistake == "converged-by-predict" and np.all(model.predict(X) == y)):
            result = mistake != "stops-without-true"  # `break` where `return True` belongs: falls to False
            if mistake.startswith("averaged"):  # the average of every step replaces the weights the rule ended with
                averaged()
            break
    else:
        if mistake == "returns-accuracy":
            result = bool(np.all(model.predict(X) == y))
        if mistake == "averaged-always":
            averaged()
        if mistake.startswith("pocket"):
            _, model.weight, model.bias = pocket
    return {"result": bool(result), "weight": model.weight, "bias": model.bias, "calls": calls}


def _code_zeros(code: Any) -> list[Any]:
    """The constants equal to 0 (``0``, ``0.0``) in a function's code and the code nested in it, each object once."""
    found: list[Any] = []
    for constant in getattr(code, "co_consts", ()):
        if type(constant) in (int, float) and constant == 0 and not any(constant is f for f in found):
            found.append(constant)
        elif hasattr(constant, "co_consts"):
            found.extend(c for c in _code_zeros(constant) if not any(c is f for f in found))
    return found


def perceptron_fit_given_zero(model: Any, X: Any, y: Any, max_epochs: int, index: int) -> dict[str, Any] | None:
    """``model``'s own fit, with its update returning, where its error is 0, the very zero object ``index`` of
    fit's code constants (the ``0.0`` of ``is not 0.0``): a fit that tests update's result by identity then counts
    right, one that counts every sample does not. None when fit's code holds no such constant."""
    zeros = _code_zeros(getattr(getattr(type(model), "fit", None), "__code__", None))
    if index >= len(zeros):
        return None
    zero, own, calls = zeros[index], model.update, 0

    def update(x: Any, target: Any) -> Any:
        nonlocal calls
        calls += 1
        error = own(x, target)
        return zero if np.ndim(error) == 0 and error == 0 else error

    model.update = update
    try:
        result = model.fit(X, y, max_epochs=max_epochs)
    finally:
        del model.update
    return {"result": bool(result), "weight": model.weight, "bias": model.bias, "calls": calls}


def layer_chain(kinds: str, dims: int, seed: int) -> dict[str, Any]:
    """Logged layers for ``Sequential`` in the order of ``kinds``: ``s`` ScaleShift, ``c`` Cube.

    Layer ``i`` is tagged with its position, so the log reads ``forward:0``, ``forward:1``...
    The same arguments give the same parameters in any process.
    """
    log = CallLog()
    layers: list[Any] = []
    for i, kind in enumerate(kinds):
        if kind == "s":
            layers.append(ScaleShift(dims, seed + i, log, str(i)))
        else:
            layers.append(Cube(log, str(i)))
    return {"log": log, "layers": layers}


class WeightBiasLayer(ScaleShift):
    """A :class:`ScaleShift` whose parameters are also reachable as ``weight`` and ``bias``, the names nnlab's
    Linear gives its own: beside layers that name theirs otherwise, it shows a container that picks parameters
    by attribute name instead of asking each layer for ``parameters()``."""

    def __init__(self, dim: int, seed: int) -> None:
        super().__init__(dim, seed)
        self.weight, self.bias = self.scale, self.shift  # the same two objects under both names


def named_parameter_layers(dims: int, seed: int) -> dict[str, Any]:
    """ScaleShift (scale, shift), WeightBiasLayer (also weight, bias), Cube (none): parameters under names."""
    return {"layers": [ScaleShift(dims, seed), WeightBiasLayer(dims, seed + 1), Cube()]}


def regression_layers(n_in: int, hidden: int, seed: int) -> list[Any]:
    """Linear -> ScaleShift -> Linear: a small network a container must be able to train."""
    log = CallLog()
    return [
        LinearModel(n_in, hidden, seed, log),
        ScaleShift(hidden, seed + 1),
        LinearModel(hidden, 1, seed + 2, log),
    ]


def forward_across_a_step(model: Any, layers: list[Any], x: np.ndarray, shift: float) -> list[np.ndarray]:
    """``model.forward(x)``; every parameter of ``layers`` moved by ``shift`` through the layers themselves (as
    an optimizer step moves them, whatever the container's parameters() says); ``model.forward`` on the same x
    object again. Both outputs: the second must follow the new weights."""
    first = np.array(model.forward(x), dtype=np.float64)
    for layer in layers:
        for p in layer.parameters():
            p.data = p.data + shift
    return [first, np.array(model.forward(x), dtype=np.float64)]


def train_steps(model: Any, X: np.ndarray, y: np.ndarray, lr: float, steps: int) -> list[float]:
    """Full-batch gradient descent on the mean squared error; the loss before every step."""
    log = CallLog()
    loss = MeanSquaredError(log)
    optimizer = PlainSGD(model.parameters(), lr, log)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        losses.append(loss.forward(model.forward(X), y))
        model.backward(loss.backward())
        optimizer.step()
    return losses


class RecordingLinearModel(LinearModel):
    """A :class:`LinearModel` that also keeps a copy of every batch it is given."""

    def __init__(self, n_in: int, n_out: int, seed: int, log: CallLog) -> None:
        super().__init__(n_in, n_out, seed, log)
        self.inputs: list[np.ndarray] = []

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.inputs.append(np.array(x, dtype=np.float64))
        return super().forward(x)


class RecordingSquaredError(MeanSquaredError):
    """A :class:`MeanSquaredError` that also keeps a copy of every target it is given."""

    def __init__(self, log: CallLog) -> None:
        super().__init__(log)
        self.targets: list[np.ndarray] = []

    def forward(self, input: np.ndarray, target: np.ndarray) -> float:  # noqa: A002
        self.targets.append(np.array(target, dtype=np.float64))
        return super().forward(input, target)


class RecordingRig(TrainingRig):
    """A :class:`TrainingRig` whose model and loss record the batches ``fit`` feeds them."""

    def __init__(self, n_in: int, n_out: int, lr: float, seed: int) -> None:
        self.log = CallLog()
        self.model = RecordingLinearModel(n_in, n_out, seed, self.log)
        self.loss = RecordingSquaredError(self.log)
        self.optimizer = PlainSGD(self.model.parameters(), lr, self.log)


def recording_rig(n_in: int, n_out: int, lr: float, seed: int) -> RecordingRig:
    return RecordingRig(n_in, n_out, lr, seed)


class ModeRecordingLinearModel(RecordingLinearModel):
    """A :class:`RecordingLinearModel` that also notes, at every forward, the mode it ran in
    (``self.training``, True when built): fit must train a model in the mode it was given."""

    def __init__(self, n_in: int, n_out: int, seed: int, log: CallLog) -> None:
        super().__init__(n_in, n_out, seed, log)
        self.modes: list[bool] = []

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.modes.append(bool(self.training))
        return super().forward(x)


class ModeRecordingRig(RecordingRig):
    """A :class:`RecordingRig` whose model also records its mode at every forward."""

    def __init__(self, n_in: int, n_out: int, lr: float, seed: int) -> None:
        self.log = CallLog()
        self.model = ModeRecordingLinearModel(n_in, n_out, seed, self.log)
        self.loss = RecordingSquaredError(self.log)
        self.optimizer = PlainSGD(self.model.parameters(), lr, self.log)


def mode_recording_rig(n_in: int, n_out: int, lr: float, seed: int) -> ModeRecordingRig:
    return ModeRecordingRig(n_in, n_out, lr, seed)


class CoupledFunction(ScalarFunction):
    """``f(x) = sum(w sin x + c x^2) + (u . x)^2 / 2``: every partial derivative depends on
    every entry, so a probe that leaves ``x`` perturbed changes the later entries' values."""

    def __init__(self, shape: tuple[int, ...], seed: int) -> None:
        super().__init__(shape, seed)
        self.u = 0.5 * np.random.default_rng(seed + 1).standard_normal(shape)

    def __call__(self, x: np.ndarray) -> float:
        return super().__call__(x) + 0.5 * float(np.sum(self.u * x)) ** 2

    def derivative(self, x: np.ndarray) -> np.ndarray:
        return self.w * np.cos(x) + 2 * self.c * x + self.u * float(np.sum(self.u * x))


def coupled_function(shape: list[int], seed: int) -> CoupledFunction:
    return CoupledFunction(tuple(shape), seed)


class ProbeRecorder(CoupledFunction):
    """The coupled function, keeping a copy of every point it is called at: where the probes
    of ``numerical_gradient`` were taken (x + h e_i, x - h e_i, or x itself)."""

    def __init__(self, shape: tuple[int, ...], seed: int) -> None:
        super().__init__(shape, seed)
        self.points: list[np.ndarray] = []

    def __call__(self, x: np.ndarray) -> float:
        self.points.append(np.array(x, dtype=np.float64))
        return super().__call__(x)


def probe_recorder(shape: list[int], seed: int) -> ProbeRecorder:
    return ProbeRecorder(tuple(shape), seed)


# --------------------------------------------------------------------- training.fit on its own code
# A correct ``minibatches`` that a check swaps into the submission's training module while it
# runs ``fit``, so that a bug in the student's ``minibatches`` is charged to minibatches only.

_ABSENT = object()


def correct_minibatches(X: Any, y: Any, batch_size: int | None = None, shuffle: bool = False, rng: Any = None) -> Any:
    """The ``minibatches`` of docs/api.md: slices of ``batch_size`` (all when None) in stored order, or in
    the order of one ``rng.permutation`` (a fresh generator when ``rng`` is None)."""
    X, y = np.asarray(X), np.asarray(y)
    if shuffle:
        order = (np.random.default_rng() if rng is None else rng).permutation(len(X))
        X, y = X[order], y[order]
    size = len(X) if batch_size is None else int(batch_size)
    return iter([(X[i : i + size], y[i : i + size]) for i in range(0, len(X), max(size, 1))])


_MINIBATCHES_SIGNATURE = inspect.signature(correct_minibatches)


class MinibatchesSwap:
    """Puts :func:`correct_minibatches` where the submission's ``fit`` looks ``minibatches`` up
    (its module's namespace) and counts the calls; :meth:`restore` puts the original back."""

    def __init__(self, fit_qualname: str) -> None:
        from .loader import get_component  # the worker's own loader (standard library only)

        fit = get_component(fit_qualname)
        module = sys.modules.get(getattr(fit, "__module__", "") or "")
        self.namespace: dict[str, Any] = vars(module) if module is not None else getattr(fit, "__globals__", {})
        self.original = self.namespace.get("minibatches", _ABSENT)
        self.calls = 0
        self.arguments: list[dict[str, Any]] = []  # batch_size, shuffle and rng of each call, as fit passed them

        def minibatches(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            try:
                call = _MINIBATCHES_SIGNATURE.bind(*args, **kwargs)
                call.apply_defaults()
                bound = dict(call.arguments)
            except TypeError:  # a call minibatches itself will refuse
                bound = {}
            self.arguments.append({name: _plain(bound.get(name)) for name in ("batch_size", "shuffle", "rng")})
            return correct_minibatches(*args, **kwargs)

        self.namespace["minibatches"] = minibatches

    def restore(self) -> None:
        if self.original is _ABSENT:
            self.namespace.pop("minibatches", None)
        else:
            self.namespace["minibatches"] = self.original


def _plain(value: Any) -> Any:
    """An argument as the grader may read it across processes: None, a bool or an int as it is,
    anything else by its kind ("a Generator", "an ndarray")."""
    if value is None or type(value) in (bool, int, float, str):
        return value
    if isinstance(value, np.integer):
        return int(value)
    return "a Generator" if isinstance(value, np.random.Generator) else f"a {type(value).__name__}"


def minibatches_swap(fit_qualname: str) -> MinibatchesSwap:
    return MinibatchesSwap(fit_qualname)


# --------------------------------------------------------------------- numerical_gradient probes x itself
# The numerical_gradient of docs/api.md perturbs x in place: a function that reads x from elsewhere (a
# closure over a layer's weight) sees the probes only if they are made in x itself.


class ClosureFunction:
    """``lambda _: loss(layer.weight.data)``: the coupled function of the array ``box`` holds,
    ignoring its argument. Pass ``box`` unboxed as ``x``: only probes made in x itself reach it."""

    def __init__(self, box: ArrayBox, seed: int) -> None:
        self.box = box
        self.function = CoupledFunction(box.value.shape, seed)

    def __call__(self, _: Any) -> float:
        return self.function(self.box.value)


def closure_function(box: ArrayBox, seed: int) -> ClosureFunction:
    return ClosureFunction(box, seed)


def transposed_box(value: Any) -> ArrayBox:
    """An :class:`ArrayBox` holding ``value`` as a transposed view (like ``W.T``): not
    C-contiguous, so ``x.reshape(-1)`` or ``x.ravel()`` of it is a copy, not x."""
    box = ArrayBox(value)
    box.value = np.ascontiguousarray(box.value.T).T
    return box


class ResultKeeper:
    """Calls a function of the submission and keeps what each call returned, the objects themselves (a
    check's own answer is a copy): whether a later call changed an earlier result, one array reused."""

    def __init__(self, function: Any) -> None:
        self.function = function
        self.results: list[Any] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        result = self.function(*args, **kwargs)
        self.results.append(result)
        return result

    def first(self) -> Any:
        """The first call's result as it is now."""
        return self.results[0]

    def same(self) -> bool:
        """The first and the last call returned one object."""
        return len(self.results) > 1 and self.results[0] is self.results[-1]


def result_keeper(qualname: str) -> ResultKeeper:
    """A keeper of a function of the submission (numerical_gradient)."""
    from .loader import get_component  # the worker's own loader (standard library only)

    return ResultKeeper(get_component(qualname))


def method_keeper(obj: Any, method: str) -> ResultKeeper:
    """A keeper of one method of one object (a module's forward): the object's own method, bound."""
    return ResultKeeper(getattr(obj, method))


# --------------------------------------------------------------------- a component judged on its own code
# While a check runs an initialiser, or fit_early_stopping, the helper its module looks up
# (init.fan_in_and_fan_out, training.fit) is a correct one, so a bug in the submission's helper
# is charged to the helper's own component only (as MinibatchesSwap does for fit).


def correct_fan_in_and_fan_out(shape: Any) -> tuple[int, int]:
    """``(in * prod(k), out * prod(k))`` of a weight ``(out, in, k1, k2, ...)``."""
    shape = tuple(int(s) for s in shape)
    receptive_field = int(np.prod(shape[2:], dtype=np.int64))
    return shape[1] * receptive_field, shape[0] * receptive_field


def correct_fit(
    model: Any,
    loss_fn: Any,
    optimizer: Any,
    X: Any,
    y: Any,
    epochs: int = 10,
    batch_size: int | None = None,
    shuffle: bool = False,
    rng: Any = None,
) -> list[float]:
    """The ``fit`` of docs/api.md on :func:`correct_minibatches`; per-epoch losses weighted by batch size."""
    X, y = np.asarray(X), np.asarray(y)
    if shuffle and rng is None:
        rng = np.random.default_rng()
    history = []
    for _ in range(int(epochs)):
        total = 0.0
        for X_batch, y_batch in correct_minibatches(X, y, batch_size, shuffle, rng):
            optimizer.zero_grad()
            loss = loss_fn.forward(model.forward(X_batch), y_batch)
            model.backward(loss_fn.backward())
            optimizer.step()
            total += float(loss) * len(X_batch)
        history.append(total / len(X))
    return history


_CORRECT = {"fan_in_and_fan_out": correct_fan_in_and_fan_out, "fit": correct_fit}


class NameSwap:
    """Puts the correct ``name`` (a key of ``_CORRECT``) where the function ``qualname`` looks it
    up (its module's namespace), recording every call; :meth:`restore` puts the original back.

    ``calls`` holds each call's arguments bound to the correct function's parameters (a dict;
    objects such as generators come back to the grader as handles, one handle per object).
    """

    def __init__(self, qualname: str, name: str) -> None:
        import inspect

        from .loader import get_component  # the worker's own loader (standard library only)

        function = get_component(qualname)
        module = sys.modules.get(getattr(function, "__module__", "") or "")
        self.namespace: dict[str, Any] = vars(module) if module is not None else getattr(function, "__globals__", {})
        self.name = name
        self.original = self.namespace.get(name, _ABSENT)
        self.calls: list[dict[str, Any]] = []
        correct = _CORRECT[name]
        signature = inspect.signature(correct)

        def swapped(*args: Any, **kwargs: Any) -> Any:
            try:
                bound = signature.bind(*args, **kwargs)
                bound.apply_defaults()
                self.calls.append({k: v for k, v in bound.arguments.items() if not isinstance(v, np.ndarray)})
            except TypeError:
                self.calls.append({})
            return correct(*args, **kwargs)

        self.namespace[name] = swapped

    def restore(self) -> None:
        if self.original is _ABSENT:
            self.namespace.pop(self.name, None)
        else:
            self.namespace[self.name] = self.original


def name_swap(qualname: str, name: str) -> NameSwap:
    return NameSwap(qualname, name)


# --------------------------------------------------------------------- fit_early_stopping
# A model whose state is a step counter: the optimizer raises its parameter by 1 per step, so
# after epoch k (full batch) the parameter and the BatchNorm-like buffer both hold k, and the
# loss reads its value from a script by that count. Every stopping decision is predictable,
# and the final state tells which epoch's weights were restored.


def scripted(script: list[float], k: int) -> float:
    """``script[k]``; before the first epoch a loss above any scripted one; past the end, rising losses."""
    if k < 0:
        return 1e3
    if k < len(script):
        return float(script[k])
    return float(script[-1]) + 1.0 + (k - len(script))


class StepCounter:
    """The identity, with a parameter ``count`` and BatchNorm-like buffers: ``running_mean``
    counts the training-mode forwards (updated in place), ``running_var`` is one more than that
    count (so a state that saves or restores only one of the two buffers shows).

    Every forward logs ``forward:<data>:<mode>``: data ``validation`` when every input is
    negative (the grader's validation set), ``training`` otherwise; mode ``train`` or ``eval``.
    With ``rebinds`` the count goes into a new array each time (``running_mean = running_mean +
    1``): a saved reference to the old array then keeps its value, as a copy would.
    """

    def __init__(self, log: CallLog, rebinds: bool = False) -> None:
        self.count = Param(np.zeros(1))
        self.running_mean = np.zeros(1)
        self.running_var = np.ones(1)
        self.training = True
        self.log = log
        self.rebinds = rebinds

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = np.array(x, dtype=np.float64)
        data = "validation" if x.size and bool(np.all(x < 0)) else "training"
        self.log.events.append(f"forward:{data}:{'train' if self.training else 'eval'}")
        if self.training and self.rebinds:
            self.running_mean = self.running_mean + 1.0
            self.running_var = self.running_var + 1.0
        elif self.training:
            self.running_mean += 1.0
            self.running_var += 1.0
        return x

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        return np.asarray(grad_y, dtype=np.float64)

    def parameters(self) -> list[Param]:
        return [self.count]

    def train(self) -> StepCounter:
        self.training = True
        return self

    def eval(self) -> StepCounter:
        self.training = False
        return self


class CounterModel:
    """A one-layer container (``layers``, like Sequential) around a :class:`StepCounter`; with ``nested``
    around another such container (a Sequential inside a Sequential), whose layer holds the counter."""

    def __init__(self, log: CallLog, rebinds: bool = False, nested: bool = False) -> None:
        self.layers: list[Any] = [CounterModel(log, rebinds) if nested else StepCounter(log, rebinds)]
        self.training = True

    @property
    def counter(self) -> StepCounter:
        """The step counter, however deep it sits."""
        layer = self.layers[0]
        return layer.counter if isinstance(layer, CounterModel) else layer

    def forward(self, x: np.ndarray) -> np.ndarray:
        return self.layers[0].forward(x)

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        return self.layers[0].backward(grad_y)

    def parameters(self) -> list[Param]:
        return self.layers[0].parameters()

    def train(self) -> CounterModel:
        self.training = True
        self.layers[0].train()
        return self

    def eval(self) -> CounterModel:
        self.training = False
        self.layers[0].eval()
        return self


class ScriptedLoss:
    """The loss of a :class:`CounterModel` read from scripts by its step count ``k``: targets
    that are all negative are the validation set, ``val[k - 1]`` (the loss after epoch ``k``);
    other targets get ``train[k]`` (the loss of epoch ``k + 1``, seen before its step)."""

    def __init__(self, model: CounterModel, train: list[float], val: list[float]) -> None:
        self.model = model
        self.train_script = [float(v) for v in train]
        self.val_script = [float(v) for v in val]
        self._shape: tuple[int, ...] = (1, 1)

    def forward(self, input: np.ndarray, target: np.ndarray) -> float:  # noqa: A002
        self._shape = np.shape(input)
        k = int(round(float(self.model.counter.count.data.reshape(-1)[0])))
        target = np.asarray(target, dtype=np.float64)
        if target.size and bool(np.all(target < 0)):
            return scripted(self.val_script, k - 1)
        return scripted(self.train_script, k)

    def backward(self) -> np.ndarray:
        return np.zeros(self._shape)


class BumpOptimizer:
    """``step()`` adds 1 to every parameter, in place (as many optimizers do), and logs ``step``
    when given a log: a forward followed by a step trained, one followed by none only evaluated.
    With ``rebinds`` each step puts a new array into ``p.data`` instead (``p.data = p.data + 1``)."""

    def __init__(self, params: list[Param], log: CallLog | None = None, rebinds: bool = False) -> None:
        self.params = list(params)
        self.log = log
        self.rebinds = rebinds

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad[...] = 0.0

    def step(self) -> None:
        if self.log is not None:
            self.log.events.append("step")
        for p in self.params:
            if self.rebinds:
                p.data = p.data + 1.0
            else:
                p.data += 1.0


class EarlyStoppingRig:
    """What ``fit_early_stopping`` is given: a counter model, a scripted loss, a bump optimizer.
    With ``rebinds`` the buffer and the parameter get new arrays instead of in-place updates (a saved
    reference then keeps its epoch's value: it tells a state saved without copies from one never restored). With
    ``nested`` the counter sits one container deeper: a walk over the layers that does not recurse misses it."""

    def __init__(self, train: list[float], val: list[float], rebinds: bool = False, nested: bool = False) -> None:
        self.log = CallLog()
        self.model = CounterModel(self.log, rebinds, nested)
        self.loss = ScriptedLoss(self.model, train, val)
        self.optimizer = BumpOptimizer(self.model.parameters(), self.log, rebinds)

    @property
    def state(self) -> list[Any]:
        """``[parameter, running_mean, running_var, model.training]`` after the run."""
        layer = self.model.counter
        return [
            float(np.asarray(layer.count.data).reshape(-1)[0]),
            float(np.asarray(layer.running_mean).reshape(-1)[0]),
            float(np.asarray(layer.running_var).reshape(-1)[0]),
            bool(self.model.training),
        ]

    @property
    def events(self) -> list[str]:
        return self.log.events


def early_stopping_rig(
    train: list[float], val: list[float], rebinds: bool = False, nested: bool = False
) -> EarlyStoppingRig:
    return EarlyStoppingRig(train, val, rebinds, nested)


# --------------------------------------------------------------------- a fresh copy of a function
def fresh_copy(qualname: str, helpers: list[str]) -> Any:
    """``qualname`` as a new import of its module would have it: the module's source executed again into a
    namespace of its own (registered nowhere), so that its mutable defaults, its attributes and its module's
    globals hold nothing from the calls made so far. ``helpers`` (keys of ``_CORRECT``) are correct ones there,
    as :class:`NameSwap` makes them. A check calls the copy first with some arguments, to tell a result kept
    from an earlier call (the copy gets it right) from an argument ignored (the copy gets it wrong too)."""
    import types

    from .loader import get_component  # the worker's own loader (standard library only)

    function = get_component(qualname)
    module = sys.modules[function.__module__]
    source = module.__loader__.get_source(module.__name__)
    fresh = types.ModuleType(module.__name__)
    fresh.__dict__.update(__package__=module.__package__, __file__=getattr(module, "__file__", None))
    exec(compile(source, getattr(module, "__file__", None) or module.__name__, "exec"), fresh.__dict__)
    for name in helpers:
        fresh.__dict__[name] = _CORRECT[name]
    return getattr(fresh, function.__name__)
