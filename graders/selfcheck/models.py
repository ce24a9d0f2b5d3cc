"""The models: Sequential (driven with the checker's test-double layers) and the Perceptron.

Sequential is judged on its own code: its layers are doubles (doubles.py) that log their
calls, so a wrong order, a missing link of the chain or a parameter list out of order shows
without depending on any other component of the student's. The Perceptron's fixtures hold
its predictions, every step of its learning rule and whole ``fit`` runs, some of them at a
score of exactly 0 (the step's edge) and some that run out of epochs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .compare import as_array, fmt
from .core import Check, Failed, Subject, fail_if
from .doubles import CallLog, Cube, ScaleShift
from .manifest import CaseSpec

SEQUENTIAL = ("sequential",)
PERCEPTRON = ("perceptron",)


# ------------------------------------------------------------------------------- Sequential
def double_layers(fx: Any, prefix: str, count: int, log: CallLog | None = None) -> list[Any]:
    """The fixture's chain of doubles: ScaleShift, Cube, ScaleShift, ... (parameters from the fixture)."""
    log = log if log is not None else CallLog()
    layers: list[Any] = []
    for i in range(count):
        if f"{prefix}/layer{i}/a" in fx:
            layers.append(ScaleShift(fx[f"{prefix}/layer{i}/a"], fx[f"{prefix}/layer{i}/b"], log, f"layer{i}"))
        else:
            layers.append(Cube(log, f"layer{i}"))
    return layers


def _sequential(sub: Subject, case: CaseSpec, log: CallLog | None = None) -> tuple[Any, list[Any]]:
    layers = double_layers(sub.fixture, f"c{case.index}", case.info["layers"], log)
    return sub.cls()(*layers), layers


def sequential_probe(sub: Subject, case: CaseSpec | None) -> None:
    model, _ = _sequential(sub, sub.spec.cases[0])
    model.forward(sub.fixture["c0/x"])
    model.backward(sub.fixture["c0/grad_y"])


def sequential_values(sub: Subject, case: CaseSpec) -> None:
    fx, k = sub.fixture, case.index
    model, layers = _sequential(sub, case)
    x, g = fx[f"c{k}/x"], fx[f"c{k}/grad_y"]
    found = [sub.judge(model.forward(x.copy()), fx[f"c{k}/y"], "the output", related={"the input x": x})]
    found.append(sub.judge(model.backward(g.copy()), fx[f"c{k}/grad_x"], "the input gradient", related={"grad_y": g}))
    for i, layer in enumerate(layers):
        for name in ("a", "b"):
            if f"c{k}/grad/{i}/{name}" in fx:
                found.append(
                    sub.judge(
                        getattr(layer, name).grad,
                        fx[f"c{k}/grad/{i}/{name}"],
                        f"the gradient of layer {i}'s parameter {name}",
                    )
                )
    fail_if(found)


def call_order(sub: Subject, case: CaseSpec | None) -> None:
    log = CallLog()
    case = sub.spec.cases[0]
    model, layers = _sequential(sub, case, log)
    model.forward(sub.fixture["c0/x"])
    model.backward(sub.fixture["c0/grad_y"])
    n = len(layers)
    want = [f"layer{i}.forward" for i in range(n)] + [f"layer{i}.backward" for i in reversed(range(n))]
    if list(log) != want:
        raise Failed(
            f"the layers were called as {', '.join(log) or 'never'}; expected {', '.join(want)} (forward in order, "
            "backward in reverse)"
        )
    model.forward(sub.fixture["c0/x"])  # a second forward: backward must leave self.layers as it was
    again, want = list(log)[len(want) :], want[:n]
    if again != want:
        raise Failed(
            f"after backward, a second forward called the layers as {', '.join(again) or 'never'}; expected "
            f"{', '.join(want)}: backward changed self.layers in place (reversed or emptied the list?); loop over "
            "reversed(self.layers), which leaves the list alone"
        )


def parameters_in_order(sub: Subject, case: CaseSpec | None) -> None:
    model, layers = _sequential(sub, sub.spec.cases[0])
    first, got = model.parameters(), model.parameters()  # the second call: the first left the layers as they were
    want = [p for layer in layers for p in layer.parameters()]

    def same(a: Any, b: list[Any]) -> bool:
        return isinstance(a, list) and len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))

    if same(first, want) and not same(got, want):
        raise Failed(
            "a second call of parameters() listed the parameters in another order than the first: parameters() "
            "changed self.layers in place; list them without changing the list"
        )
    if not isinstance(got, list) or len(got) != len(want) or any(a is not b for a, b in zip(got, want, strict=True)):
        order = [
            next(
                (
                    f"layer {i}.{n}"
                    for i, layer in enumerate(layers)
                    for n in ("a", "b")
                    if getattr(layer, n, None) is p
                ),
                "another object",
            )
            for p in (got if isinstance(got, list) else [])
        ]
        raise Failed(
            f"parameters() returned {order or got!r}; expected the layers' own parameter objects, in layer order "
            f"({len(want)} of them), so that an optimizer updates the layers themselves"
        )


def modes(sub: Subject, case: CaseSpec | None) -> None:
    model, layers = _sequential(sub, sub.spec.cases[0])
    found = []
    if model.eval() is not model:
        found.append("eval() does not return the container itself")
    if model.training is not False or any(layer.training for layer in layers):
        found.append(
            "after eval(), the container and every layer must have training False (propagate eval() to the layers)"
        )
    if model.train() is not model:
        found.append("train() does not return the container itself")
    if model.training is not True or not all(layer.training for layer in layers):
        found.append("after train(), the container and every layer must have training True")
    if not found:  # each call sets its mode whatever it was: a call repeated must not switch back (a toggle)
        fresh, fresh_layers = _sequential(sub, sub.spec.cases[0])
        for k, mode in enumerate(("train", "eval", "eval", "train", "train")):
            getattr(fresh, mode)()
            flag = mode == "train"
            if fresh.training is not flag or any(layer.training is not flag for layer in fresh_layers):
                calls = ", ".join(f"{m}()" for m in ("train", "eval", "eval", "train", "train")[: k + 1])
                found.append(
                    f"after {calls} on a new Sequential the container and its layers must have training {flag}: "
                    f"{mode}() sets its mode whatever the mode was, it does not switch to the other one "
                    "(self.training = not self.training toggles)"
                )
                break
    if not found:  # a layer's own train() and eval() switch it: a nested Sequential shows it
        inner, inside = _sequential(sub, sub.spec.cases[0])
        outer = sub.cls()(inner, *double_layers(sub.fixture, "c0", 1))
        for mode, flag in (("eval", False), ("train", True)):
            getattr(outer, mode)()
            if any(layer.training is not flag for layer in inside):
                found.append(
                    f"after {mode}() on a Sequential nested in a Sequential, the inner layers must have training "
                    f"{flag}: call layer.{mode}() on every layer rather than setting its `training` flag"
                )
                break
    fail_if(found)


def nested(sub: Subject, case: CaseSpec | None) -> None:
    fx, case = sub.fixture, sub.spec.cases[0]
    layers = double_layers(fx, "c0", case.info["layers"])
    model = sub.cls()(sub.cls()(*layers[:2]), *layers[2:])
    fail_if(
        [
            sub.judge(model.forward(fx["c0/x"]), fx["c0/y"], "the output of a Sequential nested in a Sequential"),
            sub.judge(model.backward(fx["c0/grad_y"]), fx["c0/grad_x"], "its input gradient"),
        ]
    )


def sequential_trains(sub: Subject, case: CaseSpec | None) -> None:
    """Gradient descent through the student's Sequential fits a smooth target."""
    from .convergence import descend

    rng = sub.rng("sequential-trains")
    X = rng.uniform(-1, 1, (32, 3))
    target = 0.5 * X + 0.2 * X**3 - 0.1
    layers = [ScaleShift(np.full(3, 0.1), np.zeros(3)), Cube(), ScaleShift(np.full(3, 0.5), np.zeros(3))]
    model = sub.cls()(*layers)
    first, last = descend(model.forward, model.backward, model.parameters(), X, target, lr=0.5, steps=200)
    if not last < 0.1 * first:
        raise Failed(
            f"200 steps of gradient descent through your Sequential of three layers took the loss from {fmt(first)} "
            f"to {fmt(last)}; a correct Sequential gets it below {fmt(0.1 * first)}"
        )


# ------------------------------------------------------------------------------- Perceptron
def _perceptron(sub: Subject, case: CaseSpec, weight: np.ndarray | None = None, bias: float | None = None) -> Any:
    model = sub.build(case)
    if weight is not None:
        model.weight = np.array(weight, dtype=np.float64)
        model.bias = float(bias)
    return model


def perceptron_probe(sub: Subject, case: CaseSpec | None) -> None:
    case, fx = sub.spec.cases[0], sub.fixture
    model = _perceptron(sub, case)
    model.predict(fx["c0/predict/X"])
    model.update(fx["c0/update/xs"][0], float(fx["c0/update/targets"][0]))
    model.fit(fx["c0/fit/0/X"], fx["c0/fit/0/y"], 1)


def predict(sub: Subject, case: CaseSpec) -> None:
    fx, k = sub.fixture, case.index
    model = _perceptron(sub, case, fx[f"c{k}/predict/weight"], float(fx[f"c{k}/predict/bias"]))
    X, want = fx[f"c{k}/predict/X"], fx[f"c{k}/predict/y"]
    got = as_array(model.predict(X.copy()))
    problem = sub.judge(got, want, "the predictions")
    if problem and got is not None and got.shape == want.shape:
        zero = fx[f"c{k}/predict/zero"].astype(bool)
        if zero.any() and np.array_equal(got[~zero], want[~zero]):
            problem += ". Only samples whose score is exactly 0 are wrong: the step is 1 only where the score is > 0"
    fail_if(problem)


def update(sub: Subject, case: CaseSpec) -> None:
    fx, k = sub.fixture, case.index
    model = _perceptron(sub, case)
    xs, targets = fx[f"c{k}/update/xs"], fx[f"c{k}/update/targets"]
    for i, (x, t) in enumerate(zip(xs, targets, strict=True)):
        before = (np.array(model.weight, dtype=np.float64), float(model.bias))
        error = model.update(x.copy(), float(t))
        where = (
            f"update {i + 1} (sample {np.array2string(x, precision=4)}, target {t:g}, "
            f"from weight {np.array2string(before[0], precision=4)}, "
            f"bias {fmt(before[1])})"
        )
        fail_if(
            [
                sub.judge(error, fx[f"c{k}/update/errors"][i], f"{where}: the returned error (target - prediction)"),
                sub.judge(model.weight, fx[f"c{k}/update/weights"][i], f"{where}: the weight after it"),
                sub.judge(model.bias, fx[f"c{k}/update/biases"][i], f"{where}: the bias after it"),
            ]
        )


def fit(sub: Subject, case: CaseSpec) -> None:
    fx, k = sub.fixture, case.index
    for j in range(case.info["fits"]):
        prefix = f"c{k}/fit/{j}"
        model = _perceptron(sub, case)
        X, y, epochs = fx[f"{prefix}/X"], fx[f"{prefix}/y"], int(fx[f"{prefix}/max_epochs"])
        with _CountedUpdate(type(model)) as calls:
            returned = model.fit(X.copy(), y.copy(), epochs)
        what = f"fit(X, y, max_epochs={epochs}) on {len(X)} samples ({case.info['fit_titles'][j]})"
        found = []
        if not _is_bool(returned, bool(fx[f"{prefix}/returned"])):
            found.append(f"{what} returned {returned!r}; expected {bool(fx[f'{prefix}/returned'])}")
        want_calls = int(fx[f"{prefix}/updates"])
        # The clean epoch may be found by predict(X) == y before it, without its updates: they change nothing.
        clean_epoch_skipped = bool(fx[f"{prefix}/returned"]) and calls[0] == want_calls - len(X)
        if calls[0] != want_calls and not clean_epoch_skipped:
            found.append(
                f"{what} called update {calls[0]} times; expected {want_calls} ({want_calls // max(len(X), 1)} "
                "epochs of "
                f"{len(X)} samples: stop right after the first epoch without a mistake, and run at most max_epochs)"
            )
        found.append(sub.judge(model.weight, fx[f"{prefix}/weight"], f"{what}: the final weight"))
        fail_if(found)


def _is_bool(value: Any, want: bool) -> bool:
    """``value`` is ``want`` as a Python bool or a numpy bool (np.True_)."""
    return type(value) in (bool, np.bool_) and bool(value) == want


class _CountedUpdate:
    """Counts the calls of ``cls.update`` while fit runs (on the class: an instance with __slots__
    cannot take an attribute, and fit may call ``Perceptron.update(self, ...)``); restored after."""

    def __init__(self, cls: type) -> None:
        self.cls, self.calls = cls, [0]

    def __enter__(self) -> list[int]:
        self.had = "update" in vars(self.cls)
        inner, calls = self.cls.update, self.calls

        def update(model: Any, *args: Any, **kwargs: Any) -> Any:
            calls[0] += 1
            return inner(model, *args, **kwargs)

        self.inner = inner
        self.cls.update = update
        return calls

    def __exit__(self, *exc: object) -> None:
        if self.had:
            self.cls.update = self.inner
        else:
            delattr(self.cls, "update")


def predict_contract(sub: Subject, case: CaseSpec | None) -> None:
    fx = sub.fixture
    model = _perceptron(sub, sub.spec.cases[0], fx["c0/predict/weight"], float(fx["c0/predict/bias"]))
    X = fx["c0/predict/X"]
    got = as_array(model.predict(X.astype(np.float32)))
    if got is None or got.shape != (len(X),) or got.dtype != np.float64 or not np.isin(got, (0.0, 1.0)).all():
        raise Failed(
            f"predict(X) must return a float64 array of shape ({len(X)},) holding 0.0 and 1.0; got "
            + ("no array" if got is None else f"shape {got.shape}, dtype {got.dtype}")
        )


def separable(sub: Subject, case: CaseSpec | None) -> None:
    rng = sub.rng("separable")
    case = sub.spec.cases[-1]
    n = case.kwargs["n_features"]
    w, X = rng.standard_normal(n), rng.uniform(-1, 1, (40, n))
    score = X @ w / np.linalg.norm(w)
    X, score = X[np.abs(score) > 0.3], score[np.abs(score) > 0.3]
    y = (score > 0).astype(np.float64)
    model = sub.build(case)
    converged = model.fit(X, y, 100)
    predicted = as_array(model.predict(X))
    if not _is_bool(converged, True) or predicted is None or not np.array_equal(predicted, y):
        raise Failed(
            f"on {len(X)} linearly separable points (margin 0.3) fit(X, y, 100) returned {converged!r} and predict "
            f"got {0 if predicted is None else int(np.sum(predicted == y))} of {len(X)} right; the perceptron rule "
            "must converge there"
        )


def fit_continues(sub: Subject, case: CaseSpec | None) -> None:
    """Two calls fit(X, y, 1) are one call fit(X, y, 2): each fit carries on from the weights it finds (on XOR
    every epoch makes mistakes, so the second epoch always moves them)."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    once = sub.cls()(n_features=2)
    once.fit(X.copy(), y.copy(), 2)
    twice = sub.cls()(n_features=2)
    twice.fit(X.copy(), y.copy(), 1)
    twice.fit(X.copy(), y.copy(), 1)
    a, b = as_array(once.weight), as_array(twice.weight)
    same = a is not None and b is not None and a.shape == b.shape and np.allclose(a, b)
    if not same or not np.isclose(float(once.bias), float(twice.bias)):
        raise Failed(
            f"on XOR, fit(X, y, 1) called twice left weight {b} and bias {fmt(float(twice.bias))}, but one call "
            f"fit(X, y, 2) left weight {a} and bias {fmt(float(once.bias))}: fit carries on from the weight and bias "
            "the perceptron holds (zeros only when it is new), epoch after epoch, so the two must agree"
        )


def xor(sub: Subject, case: CaseSpec | None) -> None:
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    returned = sub.cls()(n_features=2).fit(X, y, 7)
    if not _is_bool(returned, False):
        raise Failed(
            f"fit on XOR (which no line separates) returned {returned!r}; it must report no convergence (False)"
        )


CHECKS = (
    Check("runs", "runs", SEQUENTIAL, sequential_probe),
    Check("fixtures", "forward and backward through test-double layers", SEQUENTIAL, sequential_values, per_case=True),
    Check("contracts", "forward calls the layers in order, backward in reverse", SEQUENTIAL, call_order),
    Check("contracts", "parameters() lists the layers' parameters in layer order", SEQUENTIAL, parameters_in_order),
    Check("contracts", "train() and eval() propagate to the layers and return the container", SEQUENTIAL, modes),
    Check("properties", "a Sequential nested in a Sequential is the same chain", SEQUENTIAL, nested),
    Check("convergence", "gradient descent through it fits a smooth target", SEQUENTIAL, sequential_trains),
    Check("runs", "runs", PERCEPTRON, perceptron_probe),
    Check("fixtures", "predict", PERCEPTRON, predict, per_case=True),
    Check("fixtures", "update (the perceptron rule)", PERCEPTRON, update, per_case=True),
    Check("fixtures", "fit", PERCEPTRON, fit, per_case=True),
    Check("contracts", "predict returns a float64 array of 0.0 and 1.0", PERCEPTRON, predict_contract),
    Check("contracts", "fit continues from the current weight and bias", PERCEPTRON, fit_continues),
    Check("convergence", "converges on linearly separable data", PERCEPTRON, separable),
    Check("convergence", "reports no convergence on XOR", PERCEPTRON, xor),
)
