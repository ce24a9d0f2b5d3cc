"""The training loop: minibatches on indexed data, fit driven with logged test doubles.

Row i of the data says which sample it is (X[i] = 100 i + [0, 1, ...], y[i] = i), so every
batch tells whether it holds the right samples, in the right order, still paired. ``fit`` is
judged on its own code: while it runs, the ``minibatches`` it looks up in its module answers
from the fixture's table of batches (and logs how it was called), so a bug in the student's
minibatches costs minibatches only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .compare import as_array, fmt
from .core import Check, Failed, Subject, fail_if
from .doubles import CallLog, TableMinibatches, fit_rig
from .manifest import CaseSpec

MINIBATCHES = ("minibatches",)
FIT = ("fit",)


# ------------------------------------------------------------------------------- minibatches
def indexed(N: int, D: int) -> tuple[np.ndarray, np.ndarray]:
    return 100.0 * np.arange(N)[:, None] + np.arange(D)[None, :], np.arange(N, dtype=np.float64)


def batches(sub: Subject, X: np.ndarray, y: np.ndarray, **kwargs: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    """Call the student's minibatches and read every batch; malformed output fails with what it was."""
    got = sub.cls()(X, y, **kwargs)
    try:
        items = list(got)
    except TypeError:
        raise Failed(
            f"minibatches returned {type(got).__name__}, not an iterable of (X_batch, y_batch) pairs"
        ) from None
    out = []
    for k, item in enumerate(items):
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise Failed(f"item {k} of minibatches is {type(item).__name__}, not an (X_batch, y_batch) pair")
        xb, yb = as_array(item[0]), as_array(item[1])
        if xb is None or yb is None or len(xb) != len(yb):
            raise Failed(f"batch {k} is not a pair of arrays of the same length")
        if xb.ndim != X.ndim:
            raise Failed(
                f"batch {k}: X_batch has shape {xb.shape}; a batch keeps the batch axis ({X.ndim} dimensions, e.g. "
                f"(1, {X.shape[1]}) for batch_size=1)"
            )
        out.append((xb, yb))
    return out


def order(found: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    if not found:
        return np.zeros(0), np.zeros(0)
    return np.concatenate([xb[:, 0] / 100.0 for xb, _ in found]), np.concatenate(
        [yb.reshape(len(yb), -1)[:, 0] for _, yb in found]
    )


def sizes_for(N: int, batch_size: int | None) -> list[int]:
    size = N if batch_size is None else batch_size
    return [min(size, N - start) for start in range(0, N, size)]


def minibatches_probe(sub: Subject, case: CaseSpec | None) -> None:
    batches(sub, *indexed(5, 2), batch_size=2)


def minibatches_fixture(sub: Subject, case: CaseSpec) -> None:
    k, fx = case.index, sub.fixture
    X, y = fx[f"c{k}/X"], fx[f"c{k}/y"]
    got = batches(sub, X, y, **case.kwargs)
    want = [(fx[f"c{k}/batch/{j}/X"], fx[f"c{k}/batch/{j}/y"]) for j in range(case.info["batches"])]
    call = f"minibatches(X, y, {', '.join(f'{a}={b!r}' for a, b in case.kwargs.items())}) for X of shape {X.shape}"
    if [len(b[0]) for b in got] != [len(b[0]) for b in want]:
        hint = ""
        if [len(b[0]) for b in got] == [len(b[0]) for b in want][:-1]:
            hint = ": the last, smaller batch is missing"
        raise Failed(
            f"{call} gave batches of sizes {[len(b[0]) for b in got]}; expected {[len(b[0]) for b in want]}{hint}"
        )
    for j, ((xb, yb), (xw, yw)) in enumerate(zip(got, want, strict=True)):
        fail_if([sub.judge(xb, xw, f"{call}: X of batch {j}"), sub.judge(yb, yw, f"{call}: y of batch {j}")])


def covers_in_order(sub: Subject, case: CaseSpec | None) -> None:
    from hypothesis import strategies as st

    from .properties import hypothesis_run

    def body(example: tuple[int, int, int | None]) -> str | None:
        N, D, batch_size = example
        X, y = indexed(N, D)
        found = batches(sub, X, y, batch_size=batch_size)
        xs, ys = order(found)
        if (
            [len(b[0]) for b in found] != sizes_for(N, batch_size)
            or not np.array_equal(xs, np.arange(N))
            or not np.array_equal(ys, xs)
        ):
            return (
                f"minibatches(X, y, batch_size={batch_size}) for {N} samples gave samples {xs.astype(int).tolist()} in "
                f"batches of sizes {[len(b[0]) for b in found]}; expected every sample once, in order, in batches of "
                f"{sizes_for(N, batch_size)}"
            )
        return None

    strategy = st.tuples(st.integers(1, 20), st.integers(1, 3), st.one_of(st.none(), st.integers(1, 22)))
    hypothesis_run(sub, strategy, body, explicit=((10, 2, 4), (7, 1, None), (5, 3, 1), (3, 2, 8)))


def shuffled_permutation(sub: Subject, case: CaseSpec | None) -> None:
    from hypothesis import strategies as st

    from .properties import hypothesis_run

    def body(example: tuple[int, int | None, int]) -> str | None:
        N, batch_size, seed = example
        X, y = indexed(N, 2)
        found = batches(sub, X, y, batch_size=batch_size, shuffle=True, rng=np.random.default_rng(seed))
        xs, ys = order(found)
        if not np.array_equal(xs, ys):
            return "with shuffle=True, X and y are no longer paired: apply the same permutation to both"
        if not np.array_equal(np.sort(xs), np.arange(N)) or [len(b[0]) for b in found] != sizes_for(N, batch_size):
            return (
                f"with shuffle=True, batch_size={batch_size}, {N} samples: got samples {xs.astype(int).tolist()} in "
                f"batches of {[len(b[0]) for b in found]}; every sample must come exactly once (one permutation per "
                "call)"
            )
        return None

    strategy = st.tuples(st.integers(2, 20), st.one_of(st.none(), st.integers(1, 22)), st.integers(0, 2**31))
    hypothesis_run(sub, strategy, body, explicit=((12, 3, 1), (10, None, 2), (9, 1, 3)))


def shuffle_rng(sub: Subject, case: CaseSpec | None) -> None:
    X, y = indexed(20, 2)

    def run(rng: Any, batch_size: int | None = 6) -> tuple[float, ...]:
        found = batches(sub, X.copy(), y.copy(), batch_size=batch_size, shuffle=True, rng=rng)
        return tuple(order(found)[0].tolist())

    identity = tuple(float(i) for i in range(20))
    generator = np.random.default_rng(11)
    a, b = run(generator), run(generator)
    again, other = run(np.random.default_rng(11)), run(np.random.default_rng(12))
    if a == identity:
        raise Failed("with shuffle=True the samples came in their stored order: shuffle was ignored")
    if a != again:
        raise Failed(
            "two generators made with the same seed gave different orders: the permutation must come from the rng "
            "argument (rng.permutation(len(X)))"
        )
    if a == other:
        raise Failed(
            "generators with different seeds gave the same order: the rng argument is ignored (a fixed seed inside?)"
        )
    if a == b:
        raise Failed(
            "two calls with the same generator gave the same order: each call draws a new permutation from rng"
        )
    if run(None) == run(None):
        raise Failed(
            "with rng=None two calls gave the same order: use a fresh generator (np.random.default_rng()), not a "
            "fixed seed"
        )
    if run(np.random.default_rng(13), None) == identity:
        raise Failed(
            "with batch_size=None and shuffle=True the one batch came in stored order: shuffle whatever batch_size is"
        )


def shuffle_only_when_asked(sub: Subject, case: CaseSpec | None) -> None:
    X, y = indexed(24, 2)
    xs, _ = order(batches(sub, X.copy(), y.copy(), batch_size=4, shuffle=False, rng=np.random.default_rng(3)))
    if not np.array_equal(xs, np.arange(24)):
        raise Failed(
            "minibatches(X, y, batch_size=4, shuffle=False, rng=a Generator) changed the order: an rng alone does "
            "not ask for shuffling (test `if shuffle:`)"
        )
    found = batches(sub, X.copy(), y.copy(), batch_size=4, shuffle=True, rng=np.random.default_rng(4))
    blocks = [np.sort(xb[:, 0] / 100.0) for xb, _ in found]
    if all(len(b) and np.array_equal(b, np.arange(b[0], b[0] + len(b))) and b[0] % 4 == 0 for b in blocks):
        raise Failed(
            "with shuffle=True each batch still held 4 consecutive samples of the stored order (only the batches' "
            "order, "
            "or the order inside each batch, changed): shuffle the samples, then cut the batches"
        )


def keeps_data(sub: Subject, case: CaseSpec | None) -> None:
    for shuffle in (True, False):
        X, y = indexed(10, 3)
        X_in, y_in = X.copy(), y.copy()
        batches(sub, X_in, y_in, batch_size=4, shuffle=shuffle, rng=np.random.default_rng(5) if shuffle else None)
        if not np.array_equal(X_in, X) or not np.array_equal(y_in, y):
            raise Failed(
                f"minibatches(X, y, batch_size=4, shuffle={shuffle}) changed the caller's X or y (it shuffled or "
                "wrote them "
                "in place): take an index permutation, `order = rng.permutation(len(X))`, and build new arrays X[order]"
            )


def any_axes(sub: Subject, case: CaseSpec | None) -> None:
    """docs/api.md: the first axis is the batch, whatever the others: X of one axis (one feature per sample) and of
    three, cut and shuffled along axis 0 alone."""
    for rest, shuffle in (((), False), ((), True), ((2, 3), True)):
        N = 7
        X = 100.0 * np.arange(N).reshape((N,) + (1,) * len(rest)) + np.arange(int(np.prod(rest))).reshape(rest)
        y = np.arange(N, dtype=np.float64)
        call = f"minibatches(X, y, batch_size=3{', shuffle=True' if shuffle else ''}) for X of shape {X.shape}"
        try:
            got = list(
                sub.cls()(X, y, batch_size=3, shuffle=shuffle, rng=np.random.default_rng(6) if shuffle else None)
            )
        except (IndexError, ValueError) as error:
            raise Failed(
                f"{call} raised {type(error).__name__}: {error}; the samples are along the first axis whatever the "
                "others, so index and slice that axis alone (X[order], X[start:start + size]), not X[rows, :]"
            ) from None
        pairs = [
            (as_array(item[0]), as_array(item[1])) for item in got if isinstance(item, (tuple, list)) and len(item) == 2
        ]
        found = [(xb, yb) for xb, yb in pairs if xb is not None and yb is not None and xb.ndim and len(xb) == len(yb)]
        if len(found) != len(got):
            raise Failed(f"{call} did not give (X_batch, y_batch) pairs of arrays of one length")
        shapes = {xb.shape[1:] for xb, _ in found}
        ids = np.concatenate([xb.reshape(len(xb), -1)[:, 0] / 100.0 for xb, _ in found]) if found else np.zeros(0)
        ys = np.concatenate([yb.reshape(-1) for _, yb in found]) if found else np.zeros(0)
        right = np.array_equal(np.sort(ids) if shuffle else ids, np.arange(N)) and np.array_equal(ids, ys)
        if shapes != {rest} or not right or [len(xb) for xb, _ in found] != sizes_for(N, 3):
            raise Failed(
                f"{call} gave X batches of sample shapes {sorted(shapes)} holding samples {ids.tolist()}; expected "
                f"batches of {sizes_for(N, 3)} samples of shape {rest} (every sample once), cut along the first axis"
            )


# ------------------------------------------------------------------------------- fit
class _Swap:
    """While fit runs, its module's ``minibatches`` is the fixture's table (restored after)."""

    def __init__(self, fit: Any, double: TableMinibatches) -> None:
        self.namespace, self.double = getattr(fit, "__globals__", {}), double

    def __enter__(self) -> TableMinibatches:
        self.had, self.old = "minibatches" in self.namespace, self.namespace.get("minibatches")
        self.double.fallback = self.old
        self.namespace["minibatches"] = self.double
        return self.double

    def __exit__(self, *exc: object) -> None:
        if self.had:
            self.namespace["minibatches"] = self.old
        else:
            self.namespace.pop("minibatches", None)


def plan(sub: Subject, case: CaseSpec) -> list[list[np.ndarray]]:
    """The batches (sample indices) of each epoch the fixture recorded for ``case``."""
    rows = sub.fixture.under(f"c{case.index}/plan")
    epochs = sorted({int(key.split("/")[0]) for key in rows})
    return [[rows[f"{e}/{j}"] for j in range(sum(key.startswith(f"{e}/") for key in rows))] for e in epochs]


def _watch_mode(model: Any, log: CallLog, modes: list[tuple[int, bool]] | None) -> None:
    """With a list: the model's forward notes, at each call, where it is in the log and the model's mode."""
    if modes is None:
        return
    modes.clear()  # a run again (on fit's own minibatches) starts a new record
    forward = model.forward

    def watched(x: np.ndarray) -> np.ndarray:
        modes.append((len(log), bool(model.training)))
        return forward(x)

    model.forward = watched


def run_fit(
    sub: Subject,
    case: CaseSpec,
    X: np.ndarray,
    y: np.ndarray,
    modes: list[tuple[int, bool]] | None = None,
    **override: Any,
) -> tuple[Any, Any, CallLog, TableMinibatches, Any]:
    kwargs = {**case.kwargs, **override}
    seed = case.info.get("rng_seed")
    if seed is not None and "rng" not in kwargs:
        kwargs["rng"] = np.random.default_rng(seed)
    model, loss, optimizer, log = fit_rig(X.shape[1], case.info["lr"], case.info["rig_seed"])
    _watch_mode(model, log, modes)
    fit = sub.cls()
    expected = {"batch_size": case.kwargs.get("batch_size"), "shuffle": bool(case.kwargs.get("shuffle", False))}
    try:
        with _Swap(fit, TableMinibatches(log, plan(sub, case), expected, None)) as recorder:
            history = fit(model, loss, optimizer, X.copy(), y.copy(), **kwargs)
    except NotImplementedError:
        raise
    except Exception:
        # fit may rely on what its own minibatches yields beyond plain (X_batch, y_batch) pairs (a
        # namedtuple's .X, a list's len(), an extra keyword): judge it with that one, as the grader does.
        if seed is not None and "rng" not in override:
            kwargs["rng"] = np.random.default_rng(seed)
        model, loss, optimizer, log = fit_rig(X.shape[1], case.info["lr"], case.info["rig_seed"])
        _watch_mode(model, log, modes)
        try:
            history = fit(model, loss, optimizer, X.copy(), y.copy(), **kwargs)
        except Exception:  # noqa: BLE001 (it fails with its own batches too: the first error is the verdict)
            pass
        else:
            return history, model, log, None, kwargs.get("rng")
        raise
    return history, model, log, recorder, kwargs.get("rng")


def fit_probe(sub: Subject, case: CaseSpec | None) -> None:
    case = sub.spec.cases[0]
    run_fit(sub, case, sub.fixture["c0/X"], sub.fixture["c0/y"], epochs=1)


def fit_fixture(sub: Subject, case: CaseSpec) -> None:
    k, fx = case.index, sub.fixture
    history, model, log, recorder, _ = run_fit(sub, case, fx[f"c{k}/X"], fx[f"c{k}/y"])
    call = f"fit(model, loss, optimizer, X, y, {', '.join(f'{a}={b!r}' for a, b in case.kwargs.items())})"
    sequence = isinstance(history, (list, tuple)) or (isinstance(history, np.ndarray) and history.ndim == 1)
    if not sequence or len(history) != len(fx[f"c{k}/history"]):
        raise Failed(
            f"{call} returned {type(history).__name__}" + (f" of length {len(history)}" if sequence else "") + "; "
            f"expected a list of {len(fx[f'c{k}/history'])} per-epoch losses"
        )
    found = [
        sub.judge(
            np.asarray(history, dtype=np.float64),
            fx[f"c{k}/history"],
            f"{call}: the per-epoch losses",
            variants=sub.fixture.variants(case, "history"),
        )
    ]
    found.append(sub.judge(model.a.data, fx[f"c{k}/a"], f"{call}: the model's parameter after training"))
    fail_if(found)


def call_pattern(sub: Subject, case: CaseSpec | None) -> None:
    case = next(c for c in sub.spec.cases if c.kwargs.get("batch_size"))
    _, _, log, _, _ = run_fit(sub, case, sub.fixture[f"c{case.index}/X"], sub.fixture[f"c{case.index}/y"], epochs=1)
    steps = [c for c in log if c != "minibatches"]
    pattern = ["zero_grad", "model.forward", "loss.forward", "loss.backward", "model.backward", "step"]
    batches_ = len(sizes_for(len(sub.fixture[f"c{case.index}/X"]), case.kwargs["batch_size"]))
    want = pattern * batches_
    if steps != want:
        first = next(
            (i for i, (a, b) in enumerate(zip(steps, want, strict=True)) if a != b), min(len(steps), len(want))
        )
        start = first - first % len(pattern)
        raise Failed(
            f"for each batch fit must call: {', '.join(pattern)}. One epoch of {batches_} batches called "
            f"{', '.join(steps[start : start + len(pattern)]) or 'nothing'} for batch {start // len(pattern) + 1}"
            + (f" ({len(steps)} calls in all, expected {len(want)})" if len(steps) != len(want) else "")
        )


def training_mode(sub: Subject, case: CaseSpec | None) -> None:
    """A model given in training mode (as built) trains in it: every forward whose output is backpropagated runs
    with model.training True. (A fit that calls model.train() itself is right too: only eval mode fails.)"""
    case = next((c for c in sub.spec.cases if c.kwargs.get("batch_size") and c.kwargs.get("epochs", 10) > 1), None)
    case = case or sub.spec.cases[0]
    modes: list[tuple[int, bool]] = []
    _, _, log, _, _ = run_fit(sub, case, sub.fixture[f"c{case.index}/X"], sub.fixture[f"c{case.index}/y"], modes)
    trained = []
    for position, mode in modes:  # a forward trains when model.backward comes before the next forward
        after = [c for c in log[position + 1 :] if c in ("model.forward", "model.backward")]
        if after[:1] == ["model.backward"]:
            trained.append(mode)
    if not all(trained):
        raise Failed(
            f"a model given in training mode (model.training True, as built) ran {trained.count(False)} of the "
            f"{len(trained)} forwards that trained it in eval mode: fit trains the model in the mode it was given; "
            "in eval mode Dropout stops dropping and BatchNorm uses its running statistics, so they do not train "
            "(no model.eval() while training)"
        )


def passes_on(sub: Subject, case: CaseSpec | None) -> None:
    case = next(c for c in sub.spec.cases if c.kwargs.get("shuffle"))
    fx = sub.fixture
    epochs = int(case.kwargs.get("epochs", 10))
    _, _, _, recorder, rng = run_fit(sub, case, fx[f"c{case.index}/X"], fx[f"c{case.index}/y"])
    try:
        _calls_per_epoch(recorder, case, epochs, rng)
    except Failed as how:
        # fit need not hand the shuffling to minibatches (it may permute with rng itself, or cut its
        # own batches): what counts is that it trains on the batches of docs/api.md. When no shuffled
        # epoch came from the table (which answers whatever rng it gets) and the fixture's losses and
        # parameters come out right, it did; otherwise the way it called minibatches says why.
        table = case.kwargs.get("batch_size")
        if recorder is not None and any(c["shuffle"] and c["batch_size"] == table for c in recorder.calls):
            raise
        try:
            fit_fixture(sub, case)
        except Failed:
            raise how from None
        return
    _, _, _, recorder, _ = run_fit(sub, case, fx[f"c{case.index}/X"], fx[f"c{case.index}/y"], rng=None)
    if recorder is None or not all(c["shuffle"] is True for c in recorder.calls):
        return
    rngs = {id(c["rng"]) for c in recorder.calls}
    if len(rngs) != 1 or None in [c["rng"] for c in recorder.calls]:
        raise Failed(
            "with rng=None, fit must make one generator and use it for the whole run (a fresh one per epoch, or "
            "None, gives every epoch the same kind of order)"
        )


def _calls_per_epoch(recorder: TableMinibatches | None, case: CaseSpec, epochs: int, rng: Any) -> None:
    """One minibatches call per epoch, with fit's batch_size, shuffle and rng; else Failed."""
    if recorder is None:
        raise Failed("fit did not train on plain (X_batch, y_batch) pairs from the training module's minibatches")
    if len(recorder.calls) != epochs:
        raise Failed(
            f"fit with epochs={epochs} called minibatches {len(recorder.calls)} times; it draws the batches once "
            "per epoch (a new order every epoch)"
        )
    for call in recorder.calls:
        if call["shuffle"] is not True or call["batch_size"] != case.kwargs.get("batch_size"):
            raise Failed(
                f"fit passed batch_size={call['batch_size']!r}, shuffle={call['shuffle']!r} to minibatches; "
                f"expected its own batch_size={case.kwargs.get('batch_size')!r} and shuffle=True"
            )
        if call["rng"] is not rng:
            raise Failed(
                "fit passed another generator than its rng argument to minibatches: pass rng itself on, every "
                "epoch (a new generator per epoch repeats the same orders)"
            )


def full_batch_when_none(sub: Subject, case: CaseSpec | None) -> None:
    """batch_size=None is one batch of every sample: one step per epoch, whatever the number of samples."""
    rng = sub.rng("fit", "batch_size=None")
    X, y = rng.standard_normal((64, 3)), rng.standard_normal((64, 3))
    seed = int(rng.integers(2**31))
    model, loss, optimizer, log = fit_rig(3, 0.01, seed)
    fit = sub.cls()
    table = TableMinibatches(log, [[np.arange(64)]], {"batch_size": None, "shuffle": False}, None)
    try:
        with _Swap(fit, table):
            fit(model, loss, optimizer, X, y, epochs=2, batch_size=None)
    except NotImplementedError:
        raise
    except Exception as first:
        # fit may rely on what its own minibatches yields beyond plain pairs (a list's len()): run it with those
        model, loss, optimizer, log = fit_rig(3, 0.01, seed)
        try:
            fit(model, loss, optimizer, X, y, epochs=2, batch_size=None)
        except Exception:  # noqa: BLE001 (it fails with its own batches too: the first error is the verdict)
            raise first from None
        table.calls = []  # judged with its own batches: the table's log says nothing
    steps = sum(call == "step" for call in log)
    if steps != 2:
        given = sorted({repr(c["batch_size"]) for c in table.calls})
        passed_on = f" (fit passed batch_size={', '.join(given)} to minibatches)" if given != ["None"] else ""
        raise Failed(
            f"fit(..., epochs=2, batch_size=None) on 64 samples took {steps} optimizer steps{passed_on}; "
            "batch_size=None means one batch of all the samples (batch gradient descent), one step per epoch, "
            "not a default size of some samples"
        )


def fit_trains(sub: Subject, case: CaseSpec | None) -> None:
    case = sub.spec.cases[0]
    history, _, _, _, _ = run_fit(sub, case, sub.fixture["c0/X"], sub.fixture["c0/y"], epochs=30)
    values = np.asarray(history, dtype=np.float64)
    if len(values) != 30 or not values[-1] < 0.5 * values[0]:
        raise Failed(
            "30 epochs of full-batch training of a small model took the loss from "
            f"{fmt(values[0]) if len(values) else '?'} "
            f"to {fmt(values[-1]) if len(values) else '?'}; it must fall below half"
        )


CHECKS = (
    Check("runs", "runs", MINIBATCHES, minibatches_probe),
    Check("fixtures", "batches", MINIBATCHES, minibatches_fixture, per_case=True),
    Check("properties", "batches cover every sample once, in order, sized batch_size", MINIBATCHES, covers_in_order),
    Check("properties", "shuffled batches are a permutation, X and y paired", MINIBATCHES, shuffled_permutation),
    Check("contracts", "shuffle draws one permutation per call from rng", MINIBATCHES, shuffle_rng),
    Check("contracts", "shuffle permutes the samples, and only when asked", MINIBATCHES, shuffle_only_when_asked),
    Check("contracts", "the caller's X and y are left unchanged", MINIBATCHES, keeps_data),
    Check("properties", "X of any number of axes: samples along axis 0", MINIBATCHES, any_axes),
    Check("runs", "runs", FIT, fit_probe),
    Check("fixtures", "losses and parameters after training test doubles", FIT, fit_fixture, per_case=True),
    Check("contracts", "per batch: zero_grad, forward, loss, backward, step", FIT, call_pattern),
    Check("contracts", "a model given in training mode trains in training mode", FIT, training_mode),
    Check("contracts", "minibatches once per epoch, with batch_size, shuffle and rng", FIT, passes_on),
    Check("contracts", "batch_size=None is one batch of every sample", FIT, full_batch_when_none),
    Check("convergence", "training lowers the loss", FIT, fit_trains),
)
