"""Rubric for the training loop: minibatches and fit, driven with logged test doubles.

fit is judged on its own code: while it runs, its module's ``minibatches`` is a correct test
double (doubles.correct_minibatches), so a bug in the submission's minibatches costs minibatches
only; where that cannot be done the feedback says so.
"""

import functools
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import numpy as np
from hypothesis import strategies as st
from nnlab.exercises.components import Case
from nnlab.graders import settings
from nnlab.graders.results import Outcome, failed, passed
from nnlab.graders.running import doubles
from nnlab.graders.running.puppet import StudentCrash, StudentError, StudentTimeout

from ..catalogue import Context, check
from ..contracts import promised
from ..diagnose import IS, LOOKS_LIKE, Diagnosis
from ..strategies import SEEDS
from ..tolerance import agrees, allclose, as_array, fmt, kind_name
from .drive import Problem, describe_kind, describe_value, draw_seed, hypothesis_check
from .inputs import reference_class
from .support import check_signature, first_failure, judge, kept_between_calls

# =============================================================================== minibatches
MINIBATCHES = ("minibatches",)


def _indexed(N: int, D: int, y_columns: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Row i of X is ``100 i + [0, 1, ...]`` and y is i (or ``[i, -i]``): every batch says which
    samples it holds and whether X and y are still paired."""
    X = 100.0 * np.arange(N)[:, None] + np.arange(D)[None, :]
    y = np.arange(N, dtype=np.float64)
    if y_columns:
        y = np.stack([y, -y], axis=1)[:, :y_columns]
    return X, y


def _sizes(N: int, batch_size: int | None) -> list[int]:
    size = N if batch_size is None else batch_size
    return [min(size, N - start) for start in range(0, N, size)]


def _batch_ids(got: Any, D: int) -> tuple[list[np.ndarray], list[np.ndarray]] | str:
    """The sample ids in each batch, from X's rows and from y; or what is malformed."""
    if type(got) not in (list, tuple):
        return f"expected an iterable of (X_batch, y_batch) pairs, got {kind_name(got)}"
    x_ids, y_ids = [], []
    for k, item in enumerate(got):
        if type(item) not in (list, tuple) or len(item) != 2:
            return f"item {k} is {describe_kind(item)}, not an (X_batch, y_batch) pair"
        xb, yb = as_array(item[0]), as_array(item[1])
        if xb is None or yb is None or xb.ndim != 2 or xb.shape[1] != D or len(yb) != len(xb):
            return (
                f"batch {k} holds X_batch {describe_kind(item[0])} and y_batch "
                f"{describe_kind(item[1])}; expected "
                f"(n, {D}) rows of X and the n matching entries of y"
            )
        x_ids.append(xb[:, 0] / 100.0)
        y_ids.append(yb if yb.ndim == 1 else yb[:, 0])
    return x_ids, y_ids


def _along_features(got: Any, N: int, D: int, batch_size: int | None) -> bool:
    """Simulated: each X_batch is ``X[:, start:start + size]`` (the columns of the batch's positions,
    every sample kept, in any order). Row i of the grader's X is ``100 i + [0, 1, ...]``, so an entry's
    column is its value mod 100."""
    if type(got) not in (list, tuple) or not got or N == D:
        return False
    size = max(N if batch_size is None else batch_size, 1)
    starts = range(0, N, size)
    if len(got) != len(starts):
        return False
    for item, start in zip(got, starts, strict=True):
        xb = as_array(item[0]) if type(item) in (list, tuple) and len(item) == 2 else None
        columns = np.arange(D)[start : start + size]
        if xb is None or xb.shape != (N, len(columns)):
            return False
        yb = as_array(item[1])  # y is sliced along the samples in this mistake: the batch's own targets
        if yb is None or yb.ndim == 0 or len(yb) != min(size, N - start):
            return False
        if len(columns) and not np.array_equal(np.mod(xb, 100.0), np.broadcast_to(columns, xb.shape)):
            return False
    return True


def _flat_taken(got: Any, N: int, D: int) -> str:
    """Simulated: every X_batch is 1-D and holds X.flat at its samples' positions (y says which): X indexed
    without its axis, np.take(X, order) or X.ravel()[order], which picks entries of the flattened X, not rows.
    With one column (D = 1) the flat entries are the rows' values, and a single sample X[i] looks the same."""
    if type(got) not in (list, tuple) or not got:
        return ""
    flat = _indexed(N, D)[0].ravel()
    for item in got:
        if type(item) not in (list, tuple) or len(item) != 2:
            return ""
        xb, yb = as_array(item[0]), as_array(item[1])
        if xb is None or yb is None or xb.ndim != 1 or yb.ndim != 1 or len(xb) != len(yb):
            return ""
        positions = yb.astype(int) if np.array_equal(yb, np.round(yb)) else None
        if positions is None or positions.min(initial=0) < 0 or positions.max(initial=0) >= N:
            return ""
        if not np.array_equal(xb, flat[positions]):
            return ""
    text = (
        "each X_batch is 1-D and holds the entries of the flattened X at its samples' positions: X was indexed "
        "without its axis (np.take(X, order) without axis=0, or X.ravel()[order]), which flattens X and picks "
        "single entries, not rows; take rows, np.take(X, order, axis=0) or X[order]"
    )
    if D > 1:
        return text
    return (
        f"{text}; or, with X of one column as here, each batch is a single sample X[i] of shape (1,) (the batch "
        "axis dropped): the other tests tell them apart"
    )


def _single_sample(item: Any, D: int) -> bool:
    """An ``(X_batch, y_batch)`` pair whose X_batch is one row ``(D,)``: the batch axis dropped."""
    if type(item) not in (list, tuple) or len(item) != 2:
        return False
    xb = as_array(item[0])
    return xb is not None and xb.shape == (D,)


# The bounds of a batch's slice a student may write, as functions of the batch's start (s), its
# number (k), batch_size (b) and the number of samples (N); the right slice is X[s : s + b].
_SLICE_STARTS = {
    "start": (lambda s, k, b, n: s, ""),
    "start + 1": (lambda s, k, b, n: s + 1, "the slice starts one late (off by one), losing each batch's first sample"),
    "0": (lambda s, k, b, n: 0, "every slice starts at 0, so each batch repeats all the samples before it"),
    "k": (
        lambda s, k, b, n: k,
        "the slice starts at the batch's number k, not at its first sample k * batch_size, so batches overlap",
    ),
}
_SLICE_ENDS = {
    "start + size": (lambda s, k, b, n: s + b, ""),
    "start + size - 1": (
        lambda s, k, b, n: s + b - 1,
        "the slice end is one short (off by one), losing each batch's last sample; the end is exclusive",
    ),
    "start + size + 1": (
        lambda s, k, b, n: s + b + 1,
        "the slice end is one too far (off by one), repeating the next batch's first sample; the end is exclusive",
    ),
    "size": (
        lambda s, k, b, n: b,
        "the slice end is size, a length, where a position belongs: every batch ends at sample size, so the batches "
        "after the first are empty",
    ),
    "k + size": (
        lambda s, k, b, n: k + b,
        "the slice end counts from the batch's number k, not from its first sample k * batch_size",
    ),
    "len(X)": (lambda s, k, b, n: n, "every slice runs to the end of the data, len(X), instead of start + size"),
    # the batch-index form of the end, (k + 1) * size, written with the sample position start in place of k
    "(start + 1) * size": (
        lambda s, k, b, n: (s + 1) * b,
        "the slice end (start + 1) * size treats start as the batch's number k, as in X[k * size : (k + 1) * size], "
        "but start already is the first sample's position, so each batch runs past its own end and overlaps the "
        "next",
    ),
}
_OFF_BY_ONE = {("start", "start + size - 1"), ("start", "start + size + 1"), ("start + 1", "start + size")}


def _one_order(x_ids: list[np.ndarray], cuts: list[np.ndarray], N: int, shuffled: bool) -> bool:
    """Are the batches ``x_ids`` the positions ``cuts`` of one visiting order of the N samples? Unshuffled
    the order is the stored one; shuffled it is some permutation: a position always holds the same sample,
    and two positions never hold the same one (sizes alone would fit cuts that no shuffle gives)."""
    if [len(c) for c in cuts] != [len(ids) for ids in x_ids]:
        return False
    if not shuffled:
        return all(np.array_equal(c, ids) for c, ids in zip(cuts, x_ids, strict=True))
    order: dict[int, float] = {}
    for c, ids in zip(cuts, x_ids, strict=True):
        for position, sample in zip(c.tolist(), ids.tolist(), strict=True):
            if order.setdefault(position, sample) != sample:
                return False
    samples = list(order.values())
    return len(set(samples)) == len(samples) and all(float(s).is_integer() and 0 <= s < N for s in samples)


def _filled_up(x_ids: list[np.ndarray], N: int, batch_size: int | None, shuffled: bool) -> Problem:
    """Simulated: every batch holds batch_size samples, the last one filled up with samples the epoch
    already visited, as the positions past the end taken modulo N (``np.arange(start, start + size) % len(X)``,
    ``np.take(X, rows, mode="wrap")``) or the last batch's start moved back to ``len(X) - size``. Named when
    the batches are exactly those positions of one visiting order."""
    size = max(N if batch_size is None else batch_size, 1)
    starts = range(0, N, size)
    ways = [
        (
            [np.arange(s, s + size) % N for s in starts],
            "the positions past the end of the data were taken modulo len(X), so the last batch was completed "
            "with the first samples of the epoch",
        )
    ]
    if size < N:
        ways.append(
            (
                [np.arange(min(s, N - size), min(s, N - size) + size) for s in starts],
                "the last batch's start was moved back to len(X) - batch_size, so it repeats the end of the batch "
                "before it",
            )
        )
    for cuts, how in ways:
        if _one_order(x_ids, cuts, N, shuffled):
            extra = len(starts) * size - N
            twice = "that sample comes" if extra == 1 else f"those {extra} samples come"
            return (
                f". Cause: every batch was made full, batch_size = {size} samples: {how}; {twice} twice in the "
                "epoch. An epoch visits every sample once: the "
                f"last batch holds only the remainder ({N - (len(starts) - 1) * size} here), X[start:start + "
                "batch_size] cut short by the end of the data",
                "remainder-batch",
            )
    return None


def _remainder_merged(x_ids: list[np.ndarray], N: int, batch_size: int | None, shuffled: bool) -> Problem:
    """Simulated: the remainder joined to the batch before it (a last batch thought too small to train on, or
    a loop whose last slice runs to the end, X[start:]), so one batch holds batch_size plus the remainder. Named
    when the batches are exactly those positions of one visiting order, and more than one (one batch of all the
    samples is also what a batch_size ignored gives)."""
    size = max(N if batch_size is None else batch_size, 1)
    starts = list(range(0, N, size))
    if len(starts) < 3 or N % size == 0:
        return None
    cuts = [np.arange(N)[s : s + size] for s in starts[:-2]] + [np.arange(N)[starts[-2] :]]
    if not _one_order(x_ids, cuts, N, shuffled):
        return None
    rest = N - starts[-1]
    return (
        f". Cause: the last, smaller batch (the remainder, {rest} sample{'s' if rest > 1 else ''}) was merged into "
        f"the batch before it, which then holds {size + rest}: a batch never holds more than batch_size samples, and "
        "the last one holds the remainder however small it is, X[start:start + batch_size] cut short by the end of "
        "the data (docs/api.md: batches of k, the last one holding the remainder)",
        "remainder-batch",
    )


def _slice_slip(x_ids: list[np.ndarray], N: int, batch_size: int | None, shuffled: bool) -> Problem:
    """Simulated slices ``X[lo : hi]`` with the bounds a student may write (an end off by one, a
    length where a position belongs, the batch number where its first sample belongs): the one
    whose batches are these (their sizes and, unshuffled, their samples) names the mistake."""
    size = max(N if batch_size is None else batch_size, 1)
    fits = []
    for lo, (first, lo_why) in _SLICE_STARTS.items():
        for hi, (end, hi_why) in _SLICE_ENDS.items():
            # one bound wrong, or the batch number used for both: a mixture would be two mistakes
            if ((lo == "start") == (hi == "start + size")) and (lo, hi) != ("k", "k + size"):
                continue
            cut = [np.arange(N)[first(s, k, size, N) : end(s, k, size, N)] for k, s in enumerate(range(0, N, size))]
            if _one_order(x_ids, cut, N, shuffled):
                why = "; and ".join(w for w in (lo_why, hi_why) if w)
                tag = "slice-off-by-one" if (lo, hi) in _OFF_BY_ONE else "slice-bounds"
                fits.append((f"each batch is sliced X[{lo} : {hi}]: {why}; slice X[start : start + size]", tag))
    if len(fits) == 1:
        return fits[0]
    if fits and all(tag == "slice-off-by-one" for _, tag in fits):  # shuffled: an end one short, a start one late
        return "every batch holds one sample fewer than batch_size: an off-by-one at a slice boundary", ""
    return None


def _loop_from_one(x_ids: list[np.ndarray], N: int, batch_size: int | None, shuffled: bool) -> Problem:
    """The batches of a loop whose starts count from 1, as with 1-based indices (``range(1, N, size)``,
    or a while loop from 1): sample 0 is never used and every later batch starts one late. Named
    only when the samples show it and no other simulated mistake (a slice that starts one late, a
    loop that stops a batch early) gives the same batches; else every candidate is said, untagged."""
    size = max(N if batch_size is None else batch_size, 1)
    cut = [np.arange(N)[s : s + size] for s in range(1, N, size)]
    if [len(c) for c in cut] != [len(ids) for ids in x_ids]:
        return None
    exact = all(np.array_equal(c, got) for c, got in zip(cut, x_ids, strict=True))
    if not shuffled and not exact:
        return None
    why = (
        "the batch starts run from 1, as with 1-based indices (range(1, len(X), size)): sample 0 is never used "
        "and each batch starts one sample late; Python counts from 0, range(0, len(X), size)"
    )
    others = []
    slip = _slice_slip(x_ids, N, batch_size, shuffled)
    if slip is not None:
        others.append(slip[0])
    stride = _loop_stride(x_ids, N, batch_size, True) if shuffled else None  # unshuffled, the samples decide
    if stride is not None:
        others.append(stride[0].lstrip(": "))
    if [len(c) for c in cut] == _sizes(N, batch_size)[:-1]:
        others.append("the last batch is missing (the loop stops one batch early)")
    if not shuffled and cut and not others:
        return f". Cause: {why}", "starts-at-one"
    return f": {'; or '.join([why, *others])}", ""


def _loop_stride(x_ids: list[np.ndarray], N: int, batch_size: int | None, shuffled: bool) -> Problem:
    """Simulated: the batch starts advance by one more or one less than batch_size (``range(0, N, size + 1)``),
    each batch sliced ``X[start : start + size]``: a sample skipped between batches, or one repeated.
    Named from the samples only (unshuffled); shuffled, the sizes alone are said, untagged."""
    size = max(N if batch_size is None else batch_size, 1)
    sizes = [len(ids) for ids in x_ids]
    for step, why in (
        (
            size + 1,
            "the batch starts advance by batch_size + 1 (an off-by-one in the loop's step), so the one "
            "sample between two batches is never visited",
        ),
        (
            size - 1,
            "the batch starts advance by batch_size - 1 (an off-by-one in the loop's step), so consecutive "
            "batches share a sample",
        ),
    ):
        if step < 1 or step == size:
            continue
        cut = [np.arange(N)[s : s + size] for s in range(0, N, step)]
        if [len(c) for c in cut] != sizes:
            continue
        if shuffled:
            return f": these are the sizes of batches whose starts advance by {step} instead of {size}", ""
        if all(np.array_equal(c, got) for c, got in zip(cut, x_ids, strict=True)):
            return f". Cause: {why}; step by batch_size, range(0, len(X), batch_size)", "loop-off-by-one"
    return None


def _stops_early(x_ids: list[np.ndarray], N: int, batch_size: int | None, shuffled: bool) -> bool:
    """The batches are the right ones but the last: unshuffled, the samples themselves show it
    (sizes alone also fit a loop that skips samples between batches)."""
    size = max(N if batch_size is None else batch_size, 1)
    cut = [np.arange(N)[s : s + size] for s in range(0, N, size)][:-1]
    sizes = [len(ids) for ids in x_ids]
    if sizes != [len(c) for c in cut]:
        return False
    return shuffled or all(np.array_equal(c, got) for c, got in zip(cut, x_ids, strict=True))


_SPLIT_PARTS = (
    "np.split (or np.array_split) into len(X) // batch_size equal parts, so the samples left over are spread "
    "over the parts instead of making a smaller last batch (and np.split raises when batch_size does not divide "
    "the number of samples); cut slices of batch_size, X[start:start + batch_size], the last one holding the "
    "remainder"
)


def _split_into_count(sizes: list[int], N: int, batch_size: int | None) -> Problem:
    """Simulated: the samples split into ``N // batch_size`` near-equal parts (np.array_split, or np.split
    where it divides). With one part this is one batch of N, as with a batch_size ignored: both are said,
    untagged."""
    if batch_size is None or not 1 <= N // batch_size < N:
        return None
    parts = N // batch_size
    if sizes != [len(part) for part in np.array_split(np.arange(N), parts)]:
        return None
    if parts == 1:
        return f": one batch of all {N} samples: batch_size was ignored, or the batches are {_SPLIT_PARTS}", ""
    return f". Cause: the batches are {_SPLIT_PARTS}", "remainder-batch"


def _size_as_count(sizes: list[int], N: int, batch_size: int | None) -> Problem:
    """Simulated: batch_size read as the number of batches, so each batch holds N // batch_size (or
    ceil(N / batch_size)) samples, cut as the loop of docs/api.md cuts. With batch_size=1 this is one
    batch of N, the same as a batch_size ignored: both are said, untagged (no claim without evidence)."""
    if batch_size is None or batch_size < 1:
        return None
    for per_batch, formula in (
        (N // batch_size, "len(X) // batch_size"),
        (-(-N // batch_size), "ceil(len(X) / batch_size)"),
    ):
        cut = [len(range(N)[start : start + per_batch]) for start in range(0, N, max(per_batch, 1))]
        if cut != sizes:
            continue
        why = (
            f"batch_size was read as the number of batches: each batch holds {formula} = {per_batch} samples; "
            "batch_size is the number of samples per batch"
        )
        if per_batch == N:
            return f": one batch of all {N} samples: batch_size was ignored, or {why}", ""
        return f". Cause: {why}", "batch-size-as-count"
    return None


def _batches_problem(got: Any, N: int, D: int, batch_size: int | None, shuffled: bool) -> Problem:
    """Compare the batches of ``minibatches(X, y, batch_size, shuffled)`` with the rules."""
    ids = _batch_ids(got, D)
    if isinstance(ids, str) and _along_features(got, N, D, batch_size):
        return (
            f"{ids}: X was sliced along its second axis, X[:, start:start + batch_size] (a features-by-samples "
            "layout), while y was sliced along the samples, so each X_batch holds every sample and a few features; "
            "samples are along axis 0 (the first axis) of X and y alike: X[start:start + batch_size]",
            "batches-along-features",
        )
    if isinstance(ids, str):
        flat = _flat_taken(got, N, D)
        if flat:
            return f"{ids}: {flat}", "permutes-wrong-axis" if D > 1 else ""
        if type(got) in (list, tuple) and any(_single_sample(item, D) for item in got):
            return (
                f"{ids}: a batch is a single sample X[i] of shape ({D},), not a batch of one, X[i:i+1] of shape "
                f"(1, {D}); slice, so that every X_batch keeps the batch axis (batch_size=1 too)",
                "batch-axis-dropped",
            )
        return ids, "wrong-type"
    x_ids, y_ids = ids
    want = _sizes(N, batch_size)
    sizes = [len(b) for b in x_ids]
    if sizes != want:
        text = f"got batches of sizes {sizes}; expected {want} for {N} samples and batch_size={batch_size}"
        filled = _filled_up(x_ids, N, batch_size, shuffled) or _remainder_merged(x_ids, N, batch_size, shuffled)
        if filled is not None:
            return f"{text}{filled[0]}", filled[1]
        late = _loop_from_one(x_ids, N, batch_size, shuffled)
        if late is not None:
            return f"{text}{late[0]}", late[1]
        stride = _loop_stride(x_ids, N, batch_size, shuffled)
        if stride is not None and (stride[1] or not _stops_early(x_ids, N, batch_size, shuffled)):
            return f"{text}{stride[0]}", stride[1]
        if _stops_early(x_ids, N, batch_size, shuffled):
            last = "smaller " if want[-1] < (batch_size or N) else ""
            text = f"{text}: the last, {last}batch is missing (the loop stops one batch early)"
            if shuffled:  # the sizes alone: a loop skipping samples between batches may give them too
                return f"{text}, or samples were skipped between batches", ""
            return text, "drops-last-batch"
        if len(sizes) == len(want) + 1 and sizes[:-1] == want and np.array_equal(x_ids[-1], x_ids[-2]):
            return (
                f"{text}: the last batch came twice (the remainder appended again after the loop?); every sample "
                "is in exactly one batch",
                "duplicated-last-batch",
            )
        if sizes == [*want, 0]:
            return (
                f"{text}: an empty batch comes last (a loop that runs one batch too far, such as range(N // "
                "batch_size + 1)?); yield no empty batch",
                "empty-last-batch",
            )
        counted = _size_as_count(sizes, N, batch_size)
        if counted:
            return f"{text}{counted[0]}", counted[1]
        parts = _split_into_count(sizes, N, batch_size)
        if parts:
            return f"{text}{parts[0]}", parts[1]
        if batch_size is not None and sizes == [N]:
            return f"got one batch of {N}; expected sizes {want} (batch_size={batch_size})", "batch-size-ignored"
        if shuffled and sorted(sizes) == sorted(want):
            return (
                f"{text}: the right sizes in another order, so the batches themselves were shuffled after being cut; "
                "shuffle the samples, then cut the batches in order",
                "shuffles-batch-order",
            )
        split = [len(part) for part in np.array_split(np.arange(N), -(-N // max(batch_size or N, 1)))]
        if sizes == split:
            return (
                f"{text}: these are the even sizes of np.array_split into ceil(N / batch_size) parts; every batch "
                "but the last holds exactly batch_size samples",
                "uneven-batches",
            )
        slip = _slice_slip(x_ids, N, batch_size, shuffled)
        if slip:
            return f"{text}{'. Cause: ' if slip[1] else ': '}{slip[0]}", slip[1]  # a simulated slice: a cause
        return text, ""
    xs, ys = np.concatenate(x_ids), np.concatenate(y_ids)
    if not np.array_equal(xs, ys):
        k = int(np.argmax(xs != ys))
        return (
            f"X and y are no longer paired: X row {int(xs[k])} came with y of sample {fmt(ys[k])}; "
            "apply the same permutation to both",
            "unpaired-shuffle",
        )
    order = np.arange(N)
    slip = None if np.array_equal(np.sort(xs), order) else _slice_slip(x_ids, N, batch_size, shuffled)
    if slip:  # the right sizes, but samples repeated or lost: overlapping slices
        return f"the batches hold samples {describe_value(xs)}{'. Cause: ' if slip[1] else ': '}{slip[0]}", slip[1]
    if not shuffled and not np.array_equal(xs, order):
        return (
            f"without shuffle the samples should come in their stored order 0..{N - 1}; got {describe_value(xs)}",
            "order-changed",
        )
    if shuffled and not np.array_equal(np.sort(xs), order):
        missing = sorted(set(range(N)) - set(int(i) for i in xs))
        return (
            f"the shuffled batches should hold every sample exactly once; samples {missing[:5]} "
            "are "
            f"missing and others repeat (draw one permutation per call, not one per batch)",
            "not-a-permutation",
        )
    return None


# Every tag a minibatches check gives is what the batches show (their sizes, order, pairs, or the
# caller's arrays), never a guess, so each is certain: "is". An empty tag is an observation only.
# A failed check first asks whether calls remember each other (then that is the cause of it all).
def _certain(function: Callable[..., Outcome]) -> Callable[..., Outcome]:
    @functools.wraps(function)
    def checked(*args: Any) -> Outcome:
        outcome = function(*args)
        if outcome.passed:
            return outcome
        kept = _kept_between_calls(args[0])
        if kept is not None:  # what two calls returned shows it: certain
            feedback = f"{outcome.feedback} Cause: {kept[1]}."
            return replace(outcome, feedback=feedback, misconception=kept[0], confidence=IS)
        return replace(outcome, confidence=IS) if outcome.misconception else outcome

    return checked


def _same_batch(a: Any, b: Any) -> bool:
    """Two yielded items are the same (X_batch, y_batch) pair, entry for entry."""
    if type(a) not in (list, tuple) or type(b) not in (list, tuple) or len(a) != len(b):
        return False
    return all(np.array_equal(np.asarray(p), np.asarray(q)) for p, q in zip(a, b, strict=True))


def _kept_between_calls(ctx: Context) -> tuple[str, str] | None:
    """Two calls with the same two samples: the second returns the first one's batches again, then its own.
    The batches live in a list that outlives the call: a mutable default argument (created once, when the
    function is defined), or a list of the module."""
    X, y = _indexed(2, 1)
    try:
        first, second = (_minibatches(ctx, X, y) for _ in range(2))
    except (StudentTimeout, StudentCrash):
        raise
    except StudentError:
        return None
    if type(first) not in (list, tuple) or type(second) not in (list, tuple) or len(second) <= len(first):
        return None
    if not all(_same_batch(a, b) for a, b in zip(first, second, strict=False)):
        return None
    return kept_between_calls(
        ctx,
        ctx.component.name,
        second,
        f"two calls on the same 2 samples returned {len(first)} and then {len(second)} batches",
        "batches",
        "batches = []",
    )


def _minibatches(ctx: Context, X: np.ndarray, y: np.ndarray, **kwargs: Any) -> Any:
    try:
        return ctx.session.collect(ctx.component.name, None, X, y, **kwargs)
    except StudentError as error:
        if not error.diagnosis:
            error.diagnosis = _read_shuffle_crash(ctx, error, bool(kwargs.get("shuffle")), kwargs.get("rng"))
            error.diagnosis = error.diagnosis or _split_crash(error)
            error.diagnosis = error.diagnosis or _none_size_crash(ctx, error, kwargs.get("batch_size"))
        raise


def _none_size_crash(ctx: Context, error: StudentError, batch_size: Any) -> Diagnosis | None:
    """batch_size=None raised on a None, and the same call with the size None stands for, len(X), gives the right
    single batch: the None itself reached arithmetic (``start + batch_size``) where the size belongs. Confirmed by
    that pair of calls (run once per grading), not read from the line: which operand was None is not said there."""
    if batch_size is not None or isinstance(error, (StudentTimeout, StudentCrash)) or "NoneType" not in error.message:
        return None
    if "none size probe" not in ctx.cache:  # one pair of calls per grading, however many rows raised
        ctx.cache["none size probe"] = _none_size_probe(ctx)
    if not ctx.cache["none size probe"]:
        return None
    used = re.search(r"[-+*/%]\s*batch_size\b|\bbatch_size\s*[-+*/%]", error.source)
    where = (
        "the line that raised does arithmetic with batch_size itself, where the size it stands for belongs"
        if used
        else "somewhere batch_size itself is used as a number, where the size it stands for belongs"
    )
    return Diagnosis(
        "none-means-full-batch",
        "with batch_size=None minibatches raised on a None, and with batch_size=len(X), the size None stands for, "
        f"it gives the right single batch: {where}. docs/api.md allows batch_size=None (one batch of everything); "
        "work out the size once, size = len(X) if batch_size is None else batch_size, and slice X and y alike with "
        "it (a slice copied from X to y and left with batch_size fails only for None)",
        IS,
    )


def _none_size_probe(ctx: Context) -> bool:
    """Unshuffled, 6 samples: does batch_size=None raise a None error while batch_size=6 is right?"""
    N, D = 6, 2
    X, y = _indexed(N, D)
    try:
        got = ctx.session.collect(ctx.component.name, None, X, y, batch_size=N)
    except (StudentTimeout, StudentCrash):
        raise
    except StudentError:
        return False
    if _batches_problem(got, N, D, N, shuffled=False) is not None:
        return False
    try:
        ctx.session.collect(ctx.component.name, None, X, y, batch_size=None)
    except (StudentTimeout, StudentCrash):
        raise
    except StudentError as error:
        return "NoneType" in error.message
    return False


def _read_shuffle_crash(ctx: Context, error: StudentError, shuffle: bool, rng: Any) -> Diagnosis | None:
    """:func:`_shuffle_crash`, with the generator reached for without shuffle told apart: a branch that ran
    although shuffle is False, or a permutation drawn before the test and used only when shuffling."""
    found = _shuffle_crash(error, shuffle, rng)
    if found is None or found.tag != "flag-tested-against-none":
        return found
    if "drawn regardless" not in ctx.cache:  # one probe per grading, however many rows raised
        ctx.cache["drawn regardless"] = _drawn_regardless(ctx)
    return ctx.cache["drawn regardless"] or found


def _drawn_regardless(ctx: Context) -> Diagnosis | None:
    """shuffle=False with a generator: the stored order, yet the generator moved on (its next draw is not a
    fresh one's of the same seed). The permutation is drawn whatever shuffle says and applied only when
    shuffling, so without an rng (the default call) there is nothing to draw from."""
    N, k = 6, 2
    X, y = _indexed(N, 1)
    seed = draw_seed(ctx, "drawn regardless")
    generator = ctx.session.harness("generator", seed)
    try:
        got = ctx.session.collect(ctx.component.name, None, X, y, batch_size=k, shuffle=False, rng=generator)
        moved = ctx.session.call(generator, "random") != ctx.session.call(
            ctx.session.harness("generator", seed), "random"
        )
    except (StudentTimeout, StudentCrash):
        raise
    except StudentError:
        return None
    if not moved or _batches_problem(got, N, 1, k, shuffled=False) is not None:
        return None
    return Diagnosis(
        "rng-consumed",
        "the permutation is drawn from rng whether or not shuffle is asked, and only applied when shuffling: "
        "with shuffle=False and a generator the samples kept their order but the generator moved on, and with "
        "no rng (the default call, shuffle=False) there is no generator to draw from. Draw the permutation "
        "inside `if shuffle:` (from base.default_generator() when rng is None), so that an unshuffled call uses "
        "no rng",
        IS,
    )


def _split_crash(error: StudentError) -> Diagnosis | None:
    """np.split into a count of parts that does not divide the samples (it raises; a count of 0, for a
    batch_size above the number of samples, divides by zero): the line that raised calls split."""
    if not re.search(r"\bsplit\(", error.source):
        return None
    unequal = error.type_name == "ValueError" and "equal division" in error.message
    if not unequal and error.type_name != "ZeroDivisionError":
        return None
    return Diagnosis("remainder-batch", f"the batches are cut with {_SPLIT_PARTS}", LOOKS_LIKE)


def _shuffle_crash(error: StudentError, shuffle: bool, rng: Any) -> Diagnosis | None:
    """What a crash of the shuffle says, from the call's own arguments: a generator's method looked up on
    None where no shuffle was asked (the flag tested the wrong way), or a permutation that cannot index."""
    if not shuffle and rng is None and error.type_name == "AttributeError" and "'NoneType'" in error.message:
        return Diagnosis(
            "flag-tested-against-none",
            "with shuffle=False (and no rng) minibatches still reached for the generator: the shuffle branch ran "
            "although no shuffle was asked. A flag tested with `if shuffle is not None:` is true for False too "
            "(False is not None); test it with `if shuffle:`",
            LOOKS_LIKE,  # the branch ran, certainly; how its test was written is the likeliest reading
        )
    if (
        shuffle
        and error.type_name == "IndexError"
        and "axis 1" in error.message
        and re.search(r"\[\s*:\s*,|axis\s*=\s*1", error.source)
    ):
        return Diagnosis(
            "permutes-wrong-axis",
            "the permutation indexed X's columns (X[:, order]), not its rows: a permutation of len(X) positions "
            "reorders the samples, the rows; index the rows of both arrays, X[order] and y[order]",
            LOOKS_LIKE,
        )
    if shuffle and error.type_name == "IndexError" and "used as indices" in error.message:
        return Diagnosis(
            "permutes-values-not-indices",
            "the order used to index X is not an array of integer indices: rng.permutation(X) (or rng.shuffle) "
            "returns the rows themselves in a new order, not their positions; draw the positions, order = "
            "rng.permutation(len(X)), and index both X and y with them",
            LOOKS_LIKE,
        )
    return None


@check("api", "signature", MINIBATCHES, interface=True)
def minibatches_signature(ctx: Context) -> Outcome:
    return check_signature(ctx)


@check("api", "yields (X_batch, y_batch) pairs", MINIBATCHES)
@_certain
def minibatches_pairs(ctx: Context) -> Outcome:
    name = "yields (X_batch, y_batch) pairs"
    X, y = _indexed(7, 3)
    ids = _batch_ids(_minibatches(ctx, X, y, batch_size=3), 3)
    if isinstance(ids, str):
        return failed(name, f"minibatches(X, y, batch_size=3) for X (7, 3): {ids}.", "wrong-type")
    return passed(name)


# One row per case of the entry (exercises/components.py), named by the case: X of the case's input_shape
# (N, D) and y of its target_shape, made by _indexed, cut with the case's batch_size.
@check("reference", "", MINIBATCHES, per_case=True)
@_certain
def minibatches_case(ctx: Context, case: Case) -> Outcome:
    label, batch_size = case.id, case.kwargs.get("batch_size")
    (N, D), target = case.input_shape, case.target_shape or ()
    X, y = _indexed(N, D, target[1] if len(target) == 2 else 0)
    got = _minibatches(ctx, X, y, batch_size=batch_size)
    expected = list(reference_class(ctx.component.name)(X, y, batch_size=batch_size))
    problem = _batches_problem(got, N, D, batch_size, shuffled=False)
    if problem is None:
        for k, ((xb, yb), (xe, ye)) in enumerate(zip(got, expected, strict=False)):
            if not (np.array_equal(np.asarray(xb), xe) and np.array_equal(np.asarray(yb), ye)):
                problem = (f"batch {k} differs from the rows {k * (batch_size or N)}.. of X and y", "")
                break
    reshaped = _targets_reshaped(got, expected) if problem is not None else None
    if reshaped is not None:
        problem = reshaped
    if problem is None:  # the right values: in the data's own dtype?
        problem = _batches_recast(got, X, y)
    if problem is not None:
        return failed(
            label,
            f"minibatches(X, y, batch_size={batch_size}) for {N} samples: {problem[0]}.",
            problem[1],
            confidence=IS if problem[1] == "float32" else "",
        )
    return passed(label)


def _batches_recast(got: Any, X: np.ndarray, y: np.ndarray) -> tuple[str, str] | None:
    """The first batch whose float64 X or y came back in another dtype (its values right): the data converted
    (to float32, to save memory) where the batches are slices of the arrays as given."""
    for k, item in enumerate(got):
        for what, part, whole in zip(("X", "y"), item, (X, y), strict=True):
            dtype = getattr(part, "dtype", None)
            if dtype is None or dtype == whole.dtype:
                continue
            return (
                f"batch {k}'s {what}_batch holds the right values as {dtype}, where {what} is {whole.dtype}: the data "
                f"was converted ({what} = np.asarray({what}, dtype=...)); the batches are slices of the arrays as "
                "given, and float64 data stays float64",
                "float32" if dtype == np.float32 else "wrong-type",
            )
    return None


def _targets_reshaped(got: Any, expected: list[tuple[np.ndarray, np.ndarray]]) -> tuple[str, str] | None:
    """The first batch whose X rows are right and whose targets hold the right values, in order, under
    another shape: y_batch reshaped (to a column, or flattened) instead of sliced as it is."""
    if type(got) not in (list, tuple) or len(got) != len(expected):
        return None
    for k, (item, (xe, ye)) in enumerate(zip(got, expected, strict=True)):
        if type(item) not in (list, tuple) or len(item) != 2:
            return None
        xb, yb = as_array(item[0]), as_array(item[1])
        if xb is None or yb is None or not np.array_equal(xb, xe):
            return None
        if yb.shape != ye.shape and np.array_equal(yb.ravel(), ye.ravel()):
            return (
                f"batch {k} has the right rows of X, and y_batch holds the right targets in order, but in shape "
                f"{yb.shape} where y[start:start + n] has shape {ye.shape}: the targets were reshaped (to a column, "
                "or flattened); slice y along its first axis and leave its shape unchanged, whatever it is",
                "target-reshaped",
            )
    return None


@check("properties", "batches cover every sample once, in order, sized batch_size", MINIBATCHES)
@_certain
def minibatches_cover(ctx: Context) -> Outcome:
    name = "batches cover every sample once, in order, sized batch_size"
    strategy = st.tuples(
        st.integers(1, 25),
        st.integers(1, 3),
        st.one_of(st.none(), st.integers(1, 28)),
        st.integers(0, 2),
    )

    def body(example: tuple[int, int, int | None, int]) -> Problem:
        N, D, batch_size, columns = example
        X, y = _indexed(N, D, columns)
        problem = _batches_problem(_minibatches(ctx, X, y, batch_size=batch_size), N, D, batch_size, False)
        if problem:
            return (
                f"minibatches(X, y, batch_size={batch_size}) for X of shape {X.shape}: {problem[0]}.",
                problem[1],
            )
        return None

    return hypothesis_check(ctx, name, strategy, body)


@check("properties", "shuffled batches are a permutation, X and y paired", MINIBATCHES)
@_certain
def minibatches_shuffled(ctx: Context) -> Outcome:
    name = "shuffled batches are a permutation, X and y paired"
    strategy = st.tuples(
        st.integers(1, 25),
        st.integers(1, 3),
        st.one_of(st.none(), st.integers(1, 28)),
        st.integers(0, 2),
        SEEDS,
    )

    def body(example: tuple[int, int, int | None, int, int]) -> Problem:
        N, D, batch_size, columns, drawn = example
        X, y = _indexed(N, D, columns)
        generator = ctx.session.harness("generator", [ctx.seed, drawn])
        got = _minibatches(ctx, X, y, batch_size=batch_size, shuffle=True, rng=generator)
        problem = _batches_problem(got, N, D, batch_size, True)
        if problem and not problem[1]:
            columns = _permutes_columns(ctx)
            problem = (f"{problem[0]}. Cause: {columns}", "permutes-wrong-axis") if columns else problem
        if problem and problem[1] == "shuffles-batch-order":
            # batches reordered whether or not the call shuffles: not the shuffle's doing
            plain = _batches_problem(_minibatches(ctx, X, y, batch_size=batch_size), N, D, batch_size, False)
            if plain is not None:
                problem = (
                    f"{problem[0].partition(': the right sizes')[0]}: the right sizes in another order, and without "
                    "shuffle too (batches cut in order come in another order: the loop over the batch starts "
                    "runs backwards, or the list of batches is reordered); cut the batches from the start and keep "
                    "them in that order",
                    "order-changed",
                )
        if problem:
            return (
                f"minibatches(X, y, batch_size={batch_size}, shuffle=True, rng=a Generator) for "
                "X of shape "
                f"{X.shape}: {problem[0]}.",
                problem[1],
            )
        return None

    return hypothesis_check(ctx, name, strategy, body)


def _permutes_columns(ctx: Context) -> str:
    """Simulated: the shuffle's permutation has one entry per column of X (``rng.permutation(X.shape[1])``,
    ``len(X[0])``, the features-by-samples habit): X[order] then keeps the first D samples only, shuffled. Two
    probes of 12 samples with 3 and 5 columns show it; returns the sentence, or "" when they do not."""
    for D in (3, 5):
        X, y = _indexed(12, D)
        try:
            got = _minibatches(ctx, X, y, batch_size=None, shuffle=True, rng=ctx.session.harness("generator", D))
        except (StudentTimeout, StudentCrash):
            raise
        except StudentError:
            return ""
        ids = _batch_ids(got, D)
        if isinstance(ids, str) or not ids[0] or not np.array_equal(np.sort(np.concatenate(ids[0])), np.arange(D)):
            return ""
    return (
        "the permutation has one entry per column of X, not one per sample: with 12 samples of 3 (then 5) features "
        "the shuffled batches held only samples 0..2 (then 0..4), in a new order, as X[rng.permutation(X.shape[1])] "
        "gives. Samples lie along axis 0, so the permutation has len(X) entries: order = rng.permutation(len(X))"
    )


def _order(got: Any, D: int) -> tuple[float, ...] | None:
    ids = _batch_ids(got, D)
    return None if isinstance(ids, str) else tuple(np.concatenate(ids[0]).tolist())


@check("contracts", "shuffle draws one permutation per call from rng", MINIBATCHES)
@_certain
def minibatches_rng(ctx: Context) -> Outcome:
    name = "shuffle draws one permutation per call from rng"
    N, D = 20, 2
    X, y = _indexed(N, D)
    seed = draw_seed(ctx, "rng")

    def shuffled(rng: Any) -> tuple[float, ...] | None:
        return _order(_minibatches(ctx, X, y, batch_size=6, shuffle=True, rng=rng), D)

    first = ctx.session.harness("generator", seed)
    a, b = shuffled(first), shuffled(first)
    again = shuffled(ctx.session.harness("generator", seed))
    fresh = shuffled(None), shuffled(None)
    identity = tuple(float(i) for i in range(N))
    if None in (a, b, again, *fresh):
        return failed(
            name,
            "minibatches(X, y, batch_size=6, shuffle=True, rng=...) did not yield (X_batch, y_batch) pairs.",
            "wrong-type",
        )
    if any(tuple(sorted(order)) != identity for order in (a, b, again, *fresh)):
        # Not every sample once: two orders of a few samples can match by chance. The shuffled-batches test
        # judges what the batches hold; this one judges only where whole permutations come from.
        return passed(name)
    if a == identity and again == identity:
        return failed(
            name,
            f"with shuffle=True the {N} samples came in their stored order: shuffle was ignored.",
            "shuffle-ignored",
        )
    if a != again:
        return failed(
            name,
            "two generators made with the same seed gave different orders: the permutation "
            "must come from the rng argument (e.g. rng.permutation(len(X))), not from another "
            "source of randomness.",
            "rng-ignored",
        )
    if a == b:
        return failed(
            name,
            "two calls with the same generator gave the same order: each call should draw a "
            "new permutation from rng (do not re-seed or copy it).",
            "same-permutation",
        )
    if fresh[0] == fresh[1]:
        return failed(
            name,
            "with rng=None two calls gave the same order: use a fresh generator "
            "(np.random.default_rng()) when rng is None, not a fixed seed.",
            "same-permutation",
        )
    return passed(name)


def _blocks(x_ids: list[np.ndarray], size: int) -> list[int] | None:
    """Which stored-order block of ``size`` consecutive samples each batch holds (in any order
    inside the batch), or None when some batch mixes samples of several blocks."""
    found = []
    for ids in x_ids:
        start = int(np.min(ids)) if len(ids) else 0
        if start % size or not np.array_equal(np.sort(ids), np.arange(start, start + len(ids))):
            return None
        found.append(start // size)
    return found


@check("contracts", "shuffle permutes the samples for any batch_size, and only when asked", MINIBATCHES)
@_certain
def minibatches_shuffle_semantics(ctx: Context) -> Outcome:
    """docs/api.md: with ``shuffle``, one permutation of the samples per call, whatever batch_size;
    without it, the stored order (an rng given or not). Malformed batches are left to the
    other minibatches tests."""
    name = "shuffle permutes the samples for any batch_size, and only when asked"
    session = ctx.session
    N, D, k = 24, 2, 4
    X, y = _indexed(N, D)
    # shuffle=False with a generator: the stored order, the rng unused
    call = "minibatches(X, y, batch_size=4, shuffle=False, rng=a Generator)"
    got = _minibatches(ctx, X, y, batch_size=k, shuffle=False, rng=session.harness("generator", draw_seed(ctx, "no")))
    problem = _batches_problem(got, N, D, k, shuffled=False)
    if problem is not None and problem[1] == "order-changed":
        # The same call without an rng keeps the stored order: the rng alone made it shuffle.
        alone = _batches_problem(_minibatches(ctx, X, y, batch_size=k, shuffle=False), N, D, k, shuffled=False)
        return failed(
            name,
            f"{call} on {N} samples: {problem[0]}"
            + (", while without an rng the order is kept" if alone is None else "")
            + ". As docs/api.md says, minibatches shuffles only with shuffle=True; an rng alone does not ask for "
            "shuffling (fit passes its generator on every call, so shuffle=False would shuffle there too). "
            "Test `if shuffle:`, not whether rng was given.",
            "shuffles-when-rng-given" if alone is None else "order-changed",
        )
    shuffled: dict[int | None, list[np.ndarray]] = {}
    for batch_size in (k, None):
        generator = session.harness("generator", draw_seed(ctx, "semantics", batch_size))
        got = _minibatches(ctx, X, y, batch_size=batch_size, shuffle=True, rng=generator)
        ids = _batch_ids(got, D)
        if isinstance(ids, str) or _batches_problem(got, N, D, batch_size, shuffled=True) is not None:
            return passed(name)  # wrong sizes, pairs or samples: other tests say so
        shuffled[batch_size] = ids[0]
    call = f"minibatches(X, y, batch_size={k}, shuffle=True, rng=a Generator) on {N} samples"
    batches = shuffled[k]
    blocks = _blocks(batches, k)
    if blocks is not None and not np.array_equal(np.concatenate(batches), np.arange(N)):
        held = ", ".join(f"{int(np.min(ids))}..{int(np.max(ids))}" for ids in batches)
        if blocks != sorted(blocks):
            what, tag = "the batches came in a new order, but each one held", "shuffles-batch-order"
        else:
            what, tag = "only the order inside each batch changed; each batch held", "shuffles-within-batches"
        return failed(
            name,
            f"{call}: {what} the same consecutive samples as without shuffle (batches of samples {held}). "
            "Shuffle the samples, then cut the batches: order = rng.permutation(len(X)), X[order] and y[order], "
            "then slices of batch_size, so that every epoch mixes different samples into each batch.",
            tag,
        )
    if blocks is not None:
        return failed(
            name, f"{call} yielded the samples in their stored order: shuffle was ignored.", "shuffle-ignored"
        )
    if np.array_equal(shuffled[None][0], np.arange(N)):
        return failed(
            name,
            f"minibatches(X, y, batch_size=None, shuffle=True, rng=a Generator) on {N} samples yielded one batch "
            "in the stored order: with batch_size=None the samples were not shuffled. As docs/api.md says, "
            "minibatches draws one permutation per call whenever shuffle is True, whatever batch_size (fit "
            "with shuffle=True and the default batch_size relies on it as much as any other caller).",
            "shuffle-ignored",
        )
    return passed(name)


@check("contracts", "the caller's X and y are left unchanged", MINIBATCHES)
@_certain
def minibatches_keeps_data(ctx: Context) -> Outcome:
    """The caller's arrays themselves (not copies) go in; the batches are read to the end."""
    name = "the caller's X and y are left unchanged"
    session = ctx.session
    N, D = 10, 3
    for shuffle in (True, False):
        X, y = _indexed(N, D, 2 if shuffle else 0)
        boxes = session.harness("array_box", X), session.harness("array_box", y)
        kwargs: dict[str, Any] = {"batch_size": 4, "shuffle": shuffle}
        if shuffle:
            kwargs["rng"] = session.harness("generator", draw_seed(ctx, "keeps data"))
        try:
            session.request(
                "call",
                target=ctx.component.name,
                method=None,
                args=list(boxes),
                kwargs=kwargs,
                collect=True,
                unbox=True,
            )
        except StudentError as error:  # what the call's own arguments say of a crash (as _minibatches reads it)
            if not error.diagnosis and not isinstance(error, (StudentTimeout, StudentCrash)):
                error.diagnosis = _read_shuffle_crash(ctx, error, shuffle, kwargs.get("rng"))
            raise
        after = [np.asarray(session.get(box, "value")) for box in boxes]
        changed = [what for what, old, new in zip("Xy", (X, y), after, strict=True) if not np.array_equal(old, new)]
        if not changed:
            continue
        call = f"minibatches(X, y, batch_size=4{', shuffle=True, rng=a Generator' if shuffle else ''})"
        rows = after[0][:, 0] / 100.0 if after[0].shape == X.shape else None
        if rows is not None and not np.array_equal(rows, np.arange(N)) and np.array_equal(np.sort(rows), np.arange(N)):
            return failed(
                name,
                f"after {call} on {N} samples the caller's {' and '.join(changed)} came back in a new order "
                f"(X's rows are now samples {describe_value(rows)}): the shuffle was done in place on the "
                "caller's arrays (e.g. rng.shuffle(X)), so the caller's data is reordered on every call and a "
                "training loop reshuffles already shuffled data. Shuffle an index array instead: "
                "order = rng.permutation(len(X)), then X[order] and y[order] are new arrays.",
                "shuffles-in-place",
            )
        return failed(
            name,
            f"after {call} on {N} samples the caller's {' and '.join(changed)} no longer held the values passed "
            "in: minibatches modified its arguments in place. Build the batches from slices or indexed copies "
            "and leave X and y as they were.",
            "modifies-input",
        )
    return passed(name)


def _samples_of_shape(N: int, rest: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """X of shape ``(N, *rest)`` whose sample i holds ``100 i + [0, 1, ...]`` (a scalar ``100 i`` when
    rest is empty), and y = i: every batch says which samples it holds, whatever X's number of axes."""
    X = 100.0 * np.arange(N).reshape((N,) + (1,) * len(rest)) + np.arange(math.prod(rest)).reshape(rest)
    return X, np.arange(N, dtype=np.float64)


def _too_many_indices(error: StudentError, X: np.ndarray) -> Diagnosis | None:
    """numpy's IndexError for an index of more entries than X has axes (``X[order, :]`` or
    ``X[start:stop, :]`` on a 1-D X): an index written for X of two axes, where the samples are along
    axis 0 of X of any shape. The message says it of an array with X's own number of axes."""
    found = re.search(r"array is (\d+)-dimensional, but (\d+) were indexed", error.message)
    if error.type_name != "IndexError" or found is None or int(found.group(1)) != X.ndim:
        return None
    code = error.source.split("#")[0].strip()  # without its comment
    line = f"`{code}`, the line that raised," if code else "the line that raised"
    return Diagnosis(
        "fixed-number-of-axes",
        f"{line} indexes an array of {_AXES[X.ndim]} (X here has shape {X.shape}) with {found.group(2)} "
        "indices, rows and `:` for the columns as in X[order, :]: written for X of two axes, (N, D). "
        "docs/api.md puts the samples along the first axis whatever the others, (N,), (N, D) or (N, C, H, W): "
        "index the first axis alone, X[order] and X[start:start + size], which keeps every other axis as it is",
        IS,  # numpy's message says it: more indices than X has axes
    )


_AXES = {1: "one axis", 2: "two axes", 3: "three axes", 4: "four axes"}


def _any_axes_problem(got: Any, X: np.ndarray, batch_size: int, shuffled: bool) -> tuple[str, str] | None:
    """What is wrong with the batches of X of shape ``(N, *rest)`` (made by :func:`_samples_of_shape`): each
    X_batch must be ``(n, *rest)``, the batch sizes those of batch_size, samples once each (in order without
    shuffle), y paired. A tag only when the batches hold the right samples under another shape."""
    N, rest = len(X), X.shape[1:]
    if type(got) not in (list, tuple) or not all(type(item) in (list, tuple) and len(item) == 2 for item in got):
        return f"expected a list of (X_batch, y_batch) pairs, got {describe_kind(got)}", ""
    pairs = [(as_array(xb), as_array(yb)) for xb, yb in got]
    for k, (xb, yb) in enumerate(pairs):
        if xb is None or yb is None or xb.ndim == 0 or len(xb) != len(yb) or xb.size != len(xb) * math.prod(rest):
            return f"batch {k} holds X_batch {describe_kind(got[k][0])} and y_batch {describe_kind(got[k][1])}", ""
    ids = [xb.reshape(len(xb), -1)[:, 0] / 100.0 for xb, _ in pairs]
    sizes, order = [len(i) for i in ids], np.concatenate(ids) if ids else np.zeros(0)
    right = (
        sizes == _sizes(N, batch_size)
        and np.array_equal(order, np.concatenate([yb for _, yb in pairs]))
        and np.array_equal(np.sort(order) if shuffled else order, np.arange(N))
        and all(
            np.array_equal(xb.reshape(len(xb), *rest), X[i.astype(int)]) for (xb, _), i in zip(pairs, ids, strict=True)
        )
    )
    shapes = sorted({xb.shape[1:] for xb, _ in pairs})
    if right and shapes != [rest]:  # the right samples, reshaped: the batch kept another number of axes
        return (
            f"the batches hold the right samples, but each sample has shape {shapes[0]} where X's samples have "
            f"shape {rest}: X was reshaped to a fixed number of axes; slice and index the first axis alone "
            "(X[start:start + size], X[order]), which keeps every other axis as it is",
            "fixed-number-of-axes",
        )
    if not right:
        return (
            f"got batches of samples {describe_value(order)} (sizes {sizes}); expected sizes {_sizes(N, batch_size)}",
            "",
        )
    return None


# docs/api.md: the first axis is the batch, whatever the others (dense data (N, D), images (N, C, H, W), one
# feature per sample (N,)). The other rows use X of two axes; this one tries one and three.
@check("properties", "X of any number of axes: samples along axis 0", MINIBATCHES)
@_certain
def minibatches_any_axes(ctx: Context) -> Outcome:
    name = "X of any number of axes: samples along axis 0"
    for rest, shuffle in (((), False), ((), True), ((2, 3), True)):
        X, y = _samples_of_shape(7, rest)
        seed = draw_seed(ctx, "any axes", len(rest)) if shuffle else None
        call = f"minibatches(X, y, batch_size=3{', shuffle=True, rng=a Generator' if shuffle else ''})"
        try:
            problem = _any_axes_problem(_minibatches(ctx, X, y, **_axes_kwargs(ctx, seed)), X, 3, shuffle)
        except StudentError as error:
            if isinstance(error, (StudentTimeout, StudentCrash)) or error.not_implemented:
                raise
            if not _rows_twin_right(ctx, X, y, seed):
                return failed(name, f"{call} for X of shape {X.shape} raised {error.describe()}. {_TWIN_WRONG}")
            error.diagnosis = _too_many_indices(error, X) or error.diagnosis
            raise
        if problem is not None:
            if problem[1] and not _rows_twin_right(ctx, X, y, seed):
                return failed(name, f"{call} for X of shape {X.shape}: {problem[0]}. {_TWIN_WRONG}")
            return failed(name, f"{call} for X of shape {X.shape}: {problem[0]}.", problem[1])
    return passed(name)


def _axes_kwargs(ctx: Context, seed: int | None) -> dict[str, Any]:
    """batch_size=3, and shuffle with a generator of ``seed`` when there is one."""
    if seed is None:
        return {"batch_size": 3, "shuffle": False}
    return {"batch_size": 3, "shuffle": True, "rng": ctx.session.harness("generator", seed)}


def _rows_twin_right(ctx: Context, X: np.ndarray, y: np.ndarray, seed: int | None) -> bool:
    """The same call (a generator of the same seed) on X's samples flattened to rows, X of two axes, gives the
    right batches: what went wrong with X's own shape is then its number of axes alone."""
    rows = X.reshape(len(X), -1)
    try:
        got = _minibatches(ctx, rows, y, **_axes_kwargs(ctx, seed))
    except (StudentTimeout, StudentCrash):
        raise
    except StudentError:
        return False
    return _any_axes_problem(got, rows, 3, seed is not None) is None


_TWIN_WRONG = (
    "The same call on X of two axes (its samples as rows) goes wrong as well, so the number of axes is not what is "
    "wrong here: the other tests of minibatches say what is"
)


# =============================================================================== fit
FIT = ("fit",)
_PATTERN = ["zero_grad", "forward", "loss", "loss_backward", "backward", "step"]


def _minibatches_of(ctx: Context) -> str:
    """The submission's own ``minibatches``, the helper fit calls (its entry's ``uses``)."""
    return f"{ctx.component.module}.{ctx.component.uses[0]}"


@contextmanager
def _correct_minibatches(ctx: Context) -> Iterator[Any]:
    """While ``fit`` runs, the ``minibatches`` it looks up in its module is a correct one
    (``doubles.correct_minibatches``), so fit is judged on its own code: a bug in the
    submission's minibatches is charged to minibatches only. Restored afterwards."""
    swap = ctx.session.harness("minibatches_swap", ctx.component.name)
    try:
        yield swap
    finally:
        try:
            ctx.session.call(swap, "restore")
        except StudentError:  # the worker is gone (a timeout, a crash): nothing left to restore
            pass


# The methods fit calls on each part of docs/api.md's loop, by the part that owns them.
_OWNERS = {"zero_grad": "optimizer", "step": "optimizer"}


def _method_of_another_part(error: StudentError) -> Diagnosis | None:
    """fit called a method on the model that belongs to the optimizer (``model.zero_grad()``, a
    PyTorch habit): the crash names the model's class (the grader's model doubles end in "Model")
    and the method. Certain: the message says which object lacked which method."""
    found = re.search(r"'(\w*Model)' object has no attribute '(\w+)'", error.message)
    if error.type_name != "AttributeError" or not found or found.group(2) not in _OWNERS:
        return None
    method = found.group(2)
    return Diagnosis(
        f"{method.replace('_', '-')}-on-model",
        f"fit called model.{method}(), which the model does not have: in nnlab the {_OWNERS[method]} owns "
        f"{method} (PyTorch's modules have zero_grad too, nnlab's do not); call optimizer.{method}()",
    )


# What each of the grader's doubles saves in its forward for its backward: (the double's class, the saved
# attribute, the part of fit's arguments it stands for, the call that saves it).
_SAVED_BY_FORWARD = (
    (r"\w*SquaredError", "_diff", "loss_fn", "loss = loss_fn.forward(output, y_batch)"),
    (r"\w*LinearModel", "_x", "model", "output = model.forward(X_batch)"),
)


def _backward_before_forward(error: StudentError) -> Diagnosis | None:
    """fit called a part's backward before its forward (``model.backward(loss_fn.backward())`` above
    ``loss_fn.forward``): the grader's doubles save in forward what backward reads, so the crash names
    the double and the attribute its forward sets. Certain: only that order leaves it unset."""
    if error.type_name != "AttributeError":
        return None
    for double, saved, part, call in _SAVED_BY_FORWARD:
        if re.search(rf"'{double}' object has no attribute '{saved}'", error.message):
            return Diagnosis(
                "call-order",
                f"{part}.backward() was called before {part}.forward: a backward returns the gradient of what its "
                f"forward just computed and saved, so at the first batch there is nothing to differentiate (and at "
                f"later ones it would be the previous batch's); call {call} first, then backward",
            )
    return None


# A backward that takes no argument (the loss's: forward saved what it needs) handed some.
_ARGUMENTS_TO_BACKWARD = re.compile(r"(\w+)\.backward\(\) takes 1 positional argument but (\d+) were given")


def _loss_backward_given_arguments(error: StudentError) -> Diagnosis | None:
    """fit called ``loss_fn.backward(...)`` with arguments (the output, the targets): the loss's backward takes
    none, and the model's takes one, so a backward of no argument that was given some is the loss's."""
    found = _ARGUMENTS_TO_BACKWARD.search(error.message) if error.type_name == "TypeError" else None
    if found is None:
        return None
    given = int(found.group(2)) - 1
    return Diagnosis(
        "loss-backward-arguments",
        f"loss_fn.backward was called with {given} argument{'s' if given != 1 else ''} ({found.group(1)}.backward): "
        "a loss's backward takes no argument, its forward saved the prediction and the targets it needs; call "
        "loss_fn.forward(output, y_batch) first, then model.backward(loss_fn.backward())",
    )


# Targets turned into whole numbers before the loss, as for class labels: (how, what numpy call does it).
_WHOLE_TARGETS = (
    ("truncated toward 0", "y_batch.astype(int)", np.trunc),
    ("rounded", "np.round(y_batch)", np.round),
    ("rounded down", "np.floor(y_batch)", np.floor),
)


def _targets_changed(run: "_FitRun", batches: list[list[tuple[np.ndarray, np.ndarray]]]) -> tuple[str, str] | None:
    """``(tag, cause)`` when the targets the loss was given are the batches' targets made whole numbers
    (the loss double records every target it gets); None when they are y_batch, or changed otherwise."""
    got = [target for _, target in run.recorded()]
    want = [np.asarray(yb, dtype=np.float64) for epoch in batches for _, yb in epoch]
    if len(got) != len(want) or any(np.shape(g) != np.shape(w) for g, w in zip(got, want, strict=True)):
        return None
    if all(np.array_equal(g, w) for g, w in zip(got, want, strict=True)):
        return None
    for how, call, cast in _WHOLE_TARGETS:
        if all(np.array_equal(g, cast(w)) for g, w in zip(got, want, strict=True)):
            return (
                "rounded-values",
                f"the loss was given the targets {how}, as {call} does: each target batch was made whole numbers "
                "before loss_fn.forward, as for class labels, so regression targets lost their fractions; pass "
                "y_batch as it is",
            )
    return None


def _rows_of(part: np.ndarray, whole: np.ndarray) -> bool:
    """Is every row of ``part`` a row of ``whole`` (a batch of it, in any order)?"""
    if part.ndim != 2 or whole.ndim != 2 or part.shape[1] != whole.shape[1] or not len(part):
        return False
    return all(bool(np.any(np.all(whole == row, axis=1))) for row in part)


def _fed_wrong(ctx: Context, rig: Any, X: np.ndarray, y: np.ndarray) -> Diagnosis | None:
    """After a crash inside fit, what the rig was fed shows the mistake: the targets given to the model
    (a batch pair unpacked in the other order), or the model's output reshaped before the loss."""
    fed = ctx.session.get(rig, "model.last_input")
    if fed is None:
        return None
    fed = np.asarray(fed, dtype=np.float64)
    y2 = y if y.ndim == 2 else y.reshape(len(y), -1)
    if _rows_of(fed, y2) and not _rows_of(fed, X):
        return Diagnosis(
            "unpacked-swapped",
            "model.forward was given the targets y_batch, not the inputs X_batch: each batch pair was unpacked in "
            "the other order (for y_batch, X_batch in ...), or X and y changed places on the way (minibatches(y, X, "
            "...)); minibatches yields (X_batch, y_batch), inputs first",
        )
    shape = ctx.session.get(rig, "loss.last_input_shape")
    width = np.shape(ctx.session.get(rig, "model.W.data"))[-1]
    out = (len(fed), width)
    if shape is None or tuple(shape) == out or math.prod(shape) != math.prod(out):
        return None
    if y.ndim == 1 and tuple(shape) == (len(fed),):
        return None  # targets of shape (n,) as well: the loss's input may be y_batch (arguments swapped), not a squeeze
    if tuple(shape) == tuple(n for n in out if n != 1):
        return Diagnosis(
            "squeezed-output",
            f"the loss was given the model's output of shape {out} squeezed to shape {tuple(shape)} (output.squeeze(), "
            f"ravel or flatten): without its axis of length 1 it no longer matches the targets' shape {out}, and the "
            "gradient the loss returns has the squeezed shape too; pass the output as it is, "
            "loss_fn.forward(output, y_batch)",
        )
    return Diagnosis(
        "wrong-shape",  # an observation: which reshape was written is not known
        f"the loss was given the model's output of shape {out} reshaped to {tuple(shape)}; pass the output as it is, "
        "loss_fn.forward(output, y_batch)",
        LOOKS_LIKE,
    )


def _none_batch_size(error: StudentError, kwargs: dict[str, Any]) -> Diagnosis | None:
    """batch_size=None (one batch of everything) used as a number on the line that raised: the line
    multiplies by the argument where the batch's own size belongs."""
    if kwargs.get("batch_size", None) is not None or error.type_name != "TypeError" or "NoneType" not in error.message:
        return None
    if not re.search(r"\*\s*batch_size\b|\bbatch_size\s*\*", error.source):
        return None
    return Diagnosis(
        "batch-size-weight",
        f"batch_size is None here (one batch of every sample): {_NOMINAL_WEIGHT.replace(', not', ' but', 1)}",
    )


def _run_fit(
    ctx: Context,
    setup: Callable[[], tuple[Any, dict[str, Any]]],
    X: np.ndarray,
    y: np.ndarray,
    swaps: list[Any] | None = None,
) -> tuple[Any, Any, str]:
    """``fit(rig's model, loss, optimizer, X, y, **kwargs)`` with ``(rig, kwargs) = setup()``,
    on its own code: under :func:`_correct_minibatches`.

    Returns ``(history, rig, note)``; ``note`` is empty when fit went through the correct
    minibatches, else it says for the feedback how fit was judged instead: with the
    submission's own minibatches when fit never calls its module's one, or when fit raises
    on the plain pairs of docs/api.md but runs on what its own minibatches yields (a namedtuple, say).
    ``swaps``, when given, receives the correct minibatches' handle: it logged the arguments of
    each call (read only after a failure, see :func:`_minibatches_call`).
    """
    session = ctx.session

    def run(rig: Any, kwargs: dict[str, Any]) -> Any:
        model, loss, optimizer = (session.get(rig, part) for part in ("model", "loss", "optimizer"))
        with promised(_FIT_CONTRACT.format(D=X.shape[1])):
            try:
                return session.call(ctx.component.name, None, model, loss, optimizer, X, y, **kwargs)
            except StudentError as error:
                error.diagnosis = (
                    error.diagnosis
                    or _method_of_another_part(error)
                    or _backward_before_forward(error)
                    or _loss_backward_given_arguments(error)
                    or _none_batch_size(error, kwargs)
                    or _fed_wrong(ctx, rig, X, y)
                    or _misplaced_crash(ctx, swap, kwargs)
                )
                raise

    with _correct_minibatches(ctx) as swap:
        if swaps is not None:
            swaps.append(swap)
        rig, kwargs = setup()
        try:
            history = run(rig, kwargs)
        except StudentError as error:
            if error.not_implemented or isinstance(error, (StudentTimeout, StudentCrash)):
                raise
            first, calls = error, session.get(swap, "calls")
        else:
            called = kwargs.get("epochs") == 0 or session.get(swap, "calls") > 0
            return history, rig, "" if called else _NOT_CALLED
    if not calls:
        raise StudentError(first.type_name, first.message + _RAISED_NOT_CALLED, first.where) from first
    rig, kwargs = setup()  # now with the submission's own minibatches
    try:
        history = run(rig, kwargs)
    except StudentError:
        raise first from None  # fit fails on the batches of docs/api.md: that is fit's
    return history, rig, _OWN_BATCHES.format(error=first.describe())


# What each call of fit's loop receives, for a shape error raised inside fit (contracts.py): the
# arrays the model's own methods need, said beside numpy's message.
_FIT_CONTRACT = (
    "per batch, out = model.forward(X_batch) takes X_batch of shape (n, {D}); loss = loss_fn.forward(out, y_batch) "
    "is a float; model.backward(loss_fn.backward()) takes the gradient of the loss with respect to out, an array "
    "of out's shape (n, ...), not the loss value (a float of no shape); then optimizer.step()"
)
_NOT_CALLED = (
    " (Note: fit did not call the training module's minibatches, so it could not be given a correct one "
    "for this test; its batches were compared with those of your own minibatches, and a bug there may show "
    "here too. As docs/api.md says, fit trains on the batches of minibatches(X, y, batch_size, shuffle, rng).)"
)
_RAISED_NOT_CALLED = (
    " (Note: fit did not call the training module's minibatches, so it could not be given a correct one for "
    "this test and ran on batches of its own making; if the error comes from a batch, look at minibatches too.)"
)
_OWN_BATCHES = (
    " (Note: given a minibatches that follows docs/api.md, yielding plain (X_batch, y_batch) pairs, fit raised "
    "{error}; it runs with your own minibatches, so it was judged with those, and a bug there may show here "
    "too.)"
)


class _FitRun:
    """``training.fit`` on a recording rig in the submission, and what the rig saw."""

    def __init__(
        self,
        ctx: Context,
        salt: str,
        N: int,
        epochs: int,
        batch_size: int | None,
        shuffle: bool = False,
        rng_seed: int | None = None,
        n_in: int = 3,
        n_out: int = 2,
        lr: float = 0.1,
        seed: int | None = None,
        double: str = "recording_rig",
        flat_targets: bool = False,
    ) -> None:
        session = ctx.session
        rng = ctx.rng("fit", salt)
        self.seed = draw_seed(ctx, "fit", salt) if seed is None else seed
        self.X = rng.standard_normal((N, n_in))
        self.y = rng.standard_normal((N, n_out))
        if flat_targets:  # one target per sample as a vector (N,), the shape labels have
            self.y = self.y[:, 0]
        self.N, self.epochs, self.batch_size, self.shuffle = N, epochs, batch_size, shuffle
        self.n_in, self.n_out, self.lr = n_in, n_out, lr

        def setup() -> tuple[Any, dict[str, Any]]:
            kwargs: dict[str, Any] = {"epochs": epochs, "batch_size": batch_size, "shuffle": shuffle}
            if rng_seed is not None:
                kwargs["rng"] = session.harness("generator", rng_seed)
            return session.harness(double, n_in, n_out, lr, self.seed), kwargs

        self.swaps: list[Any] = []
        self.history, rig, self.note = _run_fit(ctx, setup, self.X, self.y, self.swaps)
        self.inputs = session.get(rig, "model.inputs")
        self.targets = session.get(rig, "loss.targets")
        self.events = list(session.get(rig, "log.events"))
        self.weights = session.get(rig, "weights")
        self.rng_seed = rng_seed
        # the model's mode at each forward, when the rig records it (doubles.mode_recording_rig)
        self.modes: list[bool] | None = session.get(rig, "model.modes") if double == "mode_recording_rig" else None

    def recorded(self) -> list[tuple[np.ndarray, np.ndarray]]:
        pairs = list(zip(self.inputs, self.targets, strict=False))
        return [pairs[k] for k in _trained(self) if k < len(pairs)]

    def describe(self) -> str:
        extra = (
            ", shuffle=True, rng=a seeded Generator"
            if self.shuffle and self.rng_seed is not None
            else (", shuffle=True" if self.shuffle else "")
        )
        return f"fit(..., epochs={self.epochs}, batch_size={self.batch_size}{extra}) on {self.N} samples"


_MISPLACED = (
    "its arguments are in the wrong order. minibatches(X, y, batch_size, shuffle, rng) takes them in this order; "
    "pass them in it, or by name (batch_size=batch_size, shuffle=shuffle, rng=rng)"
)


def _minibatches_wanted(batch_size: Any, shuffle: Any) -> dict[str, Any]:
    """What fit should hand minibatches, as its log records values; docs/api.md's fit hands it a generator
    always (the default one when rng is None)."""
    return {"batch_size": batch_size, "shuffle": shuffle, "rng": "a Generator"}


def _misplaced(got: dict[str, Any], want: dict[str, Any]) -> str:
    """``"shuffle='a Generator', rng=False"`` when one call of minibatches received the values fit was given in
    other places (the same values, not all where they belong), else ""."""
    wrong = {name: value for name, value in got.items() if not _same_value(value, want[name])}
    if not wrong or sorted(map(repr, got.values())) != sorted(map(repr, want.values())):
        return ""
    return ", ".join(f"{name}={value!r}" for name, value in wrong.items())


def _misplaced_crash(ctx: Context, swap: Any, kwargs: dict[str, Any]) -> Diagnosis | None:
    """After a crash inside fit, minibatches' log shows a call with its arguments in the wrong places (a bool
    where the generator belongs raises inside minibatches): read, not guessed."""
    if swap is None:
        return None
    want = _minibatches_wanted(kwargs.get("batch_size"), bool(kwargs.get("shuffle", False)))
    for got in ctx.session.get(swap, "arguments"):
        places = _misplaced(got, want)
        if places:
            return Diagnosis("fit-arguments", f"fit called minibatches with {places}: {_MISPLACED}", IS)
    return None


def _minibatches_call(ctx: Context, run: _FitRun) -> Outcome | None:
    """A failure when fit called minibatches with batch_size, shuffle and rng in the wrong
    places, or with a shuffle of its own (the log of its calls shows the values each parameter
    got), else None."""
    if run.note or not run.swaps:
        return None
    want = _minibatches_wanted(run.batch_size, run.shuffle)
    for got in ctx.session.get(run.swaps[0], "arguments"):
        wrong = {name: value for name, value in got.items() if not _same_value(value, want[name])}
        places = _misplaced(got, want)
        if places:
            return failed(
                "",
                f"{run.describe()}: fit called minibatches with {places}: {_MISPLACED}.",
                "fit-arguments",
                confidence=IS,  # the values minibatches received, read from its log
            )
        if run.batch_size is None and _a_smaller_size(got["batch_size"], run.N) and len(wrong) == 1:
            size = got["batch_size"]
            rest = " (and a remainder)" if run.N % size else ""
            return failed(
                "",
                f"{run.describe()}: fit called minibatches with batch_size={size!r}, though it was given "
                f"batch_size=None, so it trained on batches of {size}{rest} instead of one batch of all "
                f'{run.N} samples. batch_size=None is not "no preference, use a default" (as Keras\' fit reads it, '
                "with 32): docs/api.md's None means one batch of every sample, batch gradient descent, and "
                "minibatches already makes it; pass batch_size on as it came.",
                "none-means-full-batch",
                confidence=IS,  # the value minibatches received, read from its log
            )
        # Shuffled though not asked: nothing else explains it. (Unshuffled though asked may be a shuffle of
        # fit's own, once before the epochs: the replays of the batches tell those apart.)
        if "shuffle" in wrong and got["shuffle"] and not run.shuffle and len(wrong) == 1:
            return failed(
                "",
                f"{run.describe()}: fit called minibatches with shuffle={got['shuffle']!r}, though it was given "
                f"shuffle={run.shuffle!r}: pass shuffle on to minibatches as it came (docs/api.md).",
                "shuffle-ignored",
                confidence=IS,
            )
    return None


def _a_smaller_size(value: Any, N: int) -> bool:
    """A batch size (an int, not a bool) that cuts N samples into more than one batch."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool) and 1 <= value < N


def _same_value(a: Any, b: Any) -> bool:
    """Equal and of the same kind: False is not 0, None is not False."""
    return type(a) is type(b) and a == b


def _expected_batches(
    ctx: Context, run: _FitRun, shuffle: bool | None = None
) -> list[list[tuple[np.ndarray, np.ndarray]]] | None:
    """Each epoch's batches, as fit draws them from ``minibatches`` (docs/api.md): one call per
    epoch, all with the one generator given. None when they cannot be known (an unseeded
    shuffle).

    fit ran with a correct minibatches in its module (:func:`_run_fit`), so the same one here
    gives its batches; a fit that ran otherwise (``run.note``) is compared with the
    submission's own minibatches (:func:`_student_batches`).
    """
    shuffle = run.shuffle if shuffle is None else shuffle
    if shuffle and run.rng_seed is None:
        return None
    if run.note:
        return _student_batches(ctx, run, shuffle)
    rng = doubles.generator(run.rng_seed) if shuffle else None
    return [list(doubles.correct_minibatches(run.X, run.y, run.batch_size, shuffle, rng)) for _ in range(run.epochs)]


def _student_batches(ctx: Context, run: _FitRun, shuffle: bool) -> list[list[tuple[np.ndarray, np.ndarray]]] | None:
    """Each epoch's batches as the submission's own ``minibatches`` makes them (for a fit that
    could not be run with a correct one). None when they cannot be known: a minibatches that
    ignores its rng.
    """

    def collect(rng: Any = None) -> list[tuple[np.ndarray, np.ndarray]] | None:
        kwargs: dict[str, Any] = {"batch_size": run.batch_size, "shuffle": shuffle}
        if shuffle:
            kwargs["rng"] = rng
        return _pairs(ctx.session.collect(_minibatches_of(ctx), None, run.X, run.y, **kwargs))

    epochs: list[Any] | None
    try:
        if not shuffle:
            epoch = collect()
            epochs = None if epoch is None else [epoch] * run.epochs
        else:
            generator = ctx.session.harness("generator", run.rng_seed)
            epochs = [collect(generator) for _ in range(run.epochs)]
            again = collect(ctx.session.harness("generator", run.rng_seed))
            if any(e is None for e in epochs) or (epochs and not _same_batches(again or [], epochs[0])):
                return None
    except StudentError:
        epochs = None
    if epochs is None and not shuffle:  # minibatches fails: docs/api.md's slices in stored order
        starts = np.cumsum([0, *_sizes(run.N, run.batch_size)])
        epochs = [[(run.X[i:j], run.y[i:j]) for i, j in zip(starts, starts[1:], strict=False)]] * run.epochs
    return epochs


def _pairs(batches: Any) -> list[tuple[np.ndarray, np.ndarray]] | None:
    if type(batches) not in (list, tuple):
        return None
    out = []
    for item in batches:
        if type(item) not in (list, tuple) or len(item) != 2 or as_array(item[0]) is None or as_array(item[1]) is None:
            return None
        out.append((np.asarray(item[0], dtype=np.float64), np.asarray(item[1], dtype=np.float64)))
    return out


def _same_inputs(a: list[tuple[np.ndarray, np.ndarray]], b: list[tuple[np.ndarray, np.ndarray]]) -> bool:
    """The same X_batch arrays in the same order (whatever the targets): the batching is right."""
    pairs = zip(a, b, strict=False)
    return len(a) == len(b) and all(xa.shape == xb.shape and np.array_equal(xa, xb) for (xa, _), (xb, _) in pairs)


def _same_batches(a: list[tuple[np.ndarray, np.ndarray]], b: list[tuple[np.ndarray, np.ndarray]]) -> bool:
    return len(a) == len(b) and all(
        xa.shape == xb.shape and np.array_equal(xa, xb) and np.array_equal(ya.reshape(yb.shape), yb)
        if ya.size == yb.size
        else False
        for (xa, ya), (xb, yb) in zip(a, b, strict=False)
    )


_FIT_MISTAKES = {
    "zero-grad-missing": "optimizer.zero_grad() was not called before each batch, so gradients "
    "of earlier "
    "batches pile up in p.grad",
    "zero-grad-missing#epoch": "optimizer.zero_grad() was called once per epoch (outside the batch loop), not "
    "before every batch: model.backward adds to p.grad, so the gradients pile up over the epoch's batches and each "
    "step uses the sum of the gradients of the epoch's batches so far; call optimizer.zero_grad() at the start of "
    "every batch",
    "backward-gets-output": "model.backward was handed the model's output, not the gradient of the loss: "
    "backward takes dL/d(output), what loss_fn.backward() returns",
    "seed-gradient-ones": "model.backward was handed an array of ones shaped like the output: dL/dL = 1 starts "
    "backpropagation at the loss, but the model's backward takes dL/d(output), the loss's gradient with respect to "
    "the model's output, which is what loss_fn.backward() returns; with ones every step follows the gradient of "
    "sum(output), whatever the targets: model.backward(loss_fn.backward())",
    "loss-arguments-swapped": "the loss was called as loss_fn.forward(y_batch, output): its arguments are in the "
    "wrong order. loss_fn.forward(input, target) takes the prediction first and the target second; swapped, "
    "loss_fn.backward() gives the gradient with respect to y_batch, the opposite of the one the model needs, so "
    "training climbs the loss",
    # step before backward and zero_grad between backward and step give the same values: every
    # step sees zero gradients. The call-order test names the call out of place.
    "divided-by-batch-size": "the loss's gradient was divided by the batch size before model.backward, but the "
    "loss is already a mean over the batch and its backward already divides by it: every step was len(X_batch) "
    "times too small; pass loss_fn.backward() on unchanged",
    "times-batch-size": "the loss's gradient was multiplied by the batch size before model.backward, as for the "
    "gradient of a summed loss: the loss is a mean over the batch and loss_fn.backward() already holds its 1/N, so "
    "every step was len(X_batch) times too large (and changed with the batch size); pass loss_fn.backward() on "
    "unchanged",
    "loss-after-step": "each batch's loss in the history was recomputed after optimizer.step() (a second "
    "model.forward with the updated weights), not the loss the step was computed from: add loss_fn.forward(output, "
    "y_batch) of the forward before the update, loss * len(X_batch)",
    "call-order": "every optimizer.step() saw zero gradients, so the weights never moved: step() ran before "
    "model.backward, or zero_grad() ran between model.backward and step(); each batch calls zero_grad() first "
    "and step() last (the call-order test names the first call out of place)",
    # The loss's gradient changed by a constant before model.backward: its sign flipped ("descend: against the
    # gradient", though step() already subtracts), or a 2 of the square's derivative applied again, or halved.
    "sign-flipped": "the loss's gradient was negated before model.backward (-loss_fn.backward()): optimizer.step() "
    "already moves against the gradient, so every step climbed the loss; pass loss_fn.backward() on unchanged",
    "times-two": "the loss's gradient was doubled before model.backward (2 * loss_fn.backward(), a square's 2 applied "
    "again): loss_fn.backward() already is the derivative of the loss, so every step was twice too large; pass it "
    "on unchanged",
    "half": "the loss's gradient was halved before model.backward: loss_fn.backward() already is the derivative of "
    "the loss, so every step was half as large as it should be; pass it on unchanged",
    # Gradient clipping added to the loop "for stability" (the usual thresholds: each entry to [-1, 1], or the
    # gradient's norm to 1, over all parameters as clip_grad_norm_ does, or per parameter).
    "gradient-clipped": "the gradients were clipped before optimizer.step(), each entry to [-1, 1] (np.clip on "
    "p.grad): fit adds no clipping, the optimizer steps with the gradients model.backward computed",
    "gradient-clipped#norm": "the gradients were rescaled to a norm of at most 1 before optimizer.step() (gradient "
    "norm clipping, as torch's clip_grad_norm_): fit adds no clipping, the optimizer steps with the gradients "
    "model.backward computed",
    "gradient-clipped#each-norm": "each parameter's gradient was rescaled to a norm of at most 1 before "
    "optimizer.step() (norm clipping per parameter): fit adds no clipping, the optimizer steps with the gradients "
    "model.backward computed",
}


_GRADIENT_FACTORS = {"sign-flipped": -1.0, "times-two": 2.0, "half": 0.5}


def _clip_gradients(params: list[Any], mistake: str) -> None:
    """Clip the rig's gradients in place the way ``mistake`` (a gradient-clipped variant) does, at 1."""
    if mistake == "gradient-clipped":
        for p in params:
            np.clip(p.grad, -1.0, 1.0, out=p.grad)
        return
    groups = [params] if mistake == "gradient-clipped#norm" else [[p] for p in params]
    for group in groups:
        norm = math.sqrt(math.fsum(float(np.sum(np.square(p.grad))) for p in group))
        if norm > 1.0:
            for p in group:
                p.grad *= 1.0 / norm


# A batch shorter than batch_size skipped in fit (PyTorch's drop_last): its samples never train.
_SHORT_BATCH_SKIPPED = (
    "the last, smaller batch was skipped (a batch shorter than batch_size, as DataLoader's drop_last=True): its "
    "samples never trained and their loss is missing from the epoch's mean; fit trains on every batch minibatches "
    "yields, the remainder included"
)


# The weights never move when step() sees zero gradients, and also when it never runs: the log of calls
# tells the two apart (a method named without parentheses is looked up, never called).
_STEP_NEVER_CALLED = (
    "optimizer.step() was never called, so the weights never moved (optimizer.step without parentheses only "
    "looks the method up): call it, optimizer.step(), after model.backward"
)


_STILL, _STILL_TEXT = (
    "does-not-move",
    "the weights never moved: every optimizer.step() saw zero gradients (step() before model.backward, or "
    "zero_grad() between model.backward and step()), or step() or model.backward was never called; the "
    "call-order test says which",
)


# ... and when model.backward never runs, the parameters never get a gradient to step with.
_BACKWARD_NEVER_CALLED = (
    "model.backward was never called, so no parameter got a gradient and the weights never moved: "
    "loss_fn.backward() only returns dL/d(output) (PyTorch's loss.backward() also backpropagates, nnlab's does "
    "not); hand it on, model.backward(loss_fn.backward())"
)


# ... and when fit never ran a batch at all (no model.forward either), no call of the batch is the one missing.
_NO_BATCH_TRAINED = (
    "fit trained on no batch at all: model.forward ran {} times, so no loss was computed and no step() taken, and "
    "the epoch's loss came out 0. The loop over minibatches(...) never ran its body: with batch_size=None there is "
    "one batch, all the samples, and a loop that skips the last batch (list(...)[:-1], range(len(batches) - 1)) "
    "skips it; fit trains on every batch minibatches yields"
)


def _step_never_called(run: _FitRun, outcome: Outcome) -> Outcome:
    """A replay's "step saw zero gradients" said as what the call log shows when fit never called step()
    or model.backward."""
    if outcome.passed or outcome.misconception != "call-order":
        return outcome
    calls = {e.split(":")[0] for e in run.events}
    if "forward" not in calls:  # no batch ran at all: nothing singles out a missing step() or backward
        text = _NO_BATCH_TRAINED.format(len(run.inputs))
        return replace(
            outcome,
            feedback=outcome.feedback.replace(_FIT_MISTAKES["call-order"], text),
            misconception="",
            confidence="",
        )
    for call, text, tag in (
        ("step", _STEP_NEVER_CALLED, "method-not-called"),
        ("backward", _BACKWARD_NEVER_CALLED, "model-backward-missing"),
    ):
        if call not in calls:
            feedback = outcome.feedback.replace(_FIT_MISTAKES["call-order"], text)
            return replace(outcome, feedback=feedback, misconception=tag)
    return outcome


# A replayed mistake's tag, where it is not the mistake's own name: an argument order slip.
_FIT_TAGS = {"loss-arguments-swapped": "fit-arguments", "backward-gets-output": "fit-arguments"}


def _replay(
    run: _FitRun,
    epochs: list[list[tuple[np.ndarray, np.ndarray]]],
    mistake: str = "",
    zeroed: frozenset[int] | None = None,
) -> dict[str, Any]:
    """The same training on local doubles: per-epoch losses (and some wrong ways to report
    them) and the final weights; ``mistake`` replays a known wrong loop instead, ``zeroed`` the
    numbers of the batches (over the whole run, from 0) that zero_grad() ran before, the others none."""
    rig = doubles.training_rig(run.n_in, run.n_out, run.lr, run.seed)
    weighted, per_n, unweighted, last, summed, cumulative, counted = [], [], [], [], [], [], []
    nominal: list[float] = []  # each batch weighted by the batch_size argument
    swapped: list[float] = []  # the batch sizes averaged, weighted by the losses: np.average's arguments swapped
    entries: list[float] = []  # each batch weighted by its number of entries, X_batch.size
    targets: list[float] = []  # each batch weighted by its targets' number of entries, y_batch.size
    assigned: list[float] = []  # the running total assigned, not accumulated: the last batch's share only
    after: list[float] = []  # the whole training set's loss after the epoch, with its final weights
    whole = getattr(run, "X", None), getattr(run, "y", None)
    totals: list[float] = []  # each epoch's right total, sum of loss * len(X_batch), for the wrong denominators
    epoch_sizes: list[list[int]] = []
    every_loss: list[float] = []  # every batch loss so far, over the epochs: a list made once, before the epochs
    done = 0  # the batches trained so far, over the epochs
    for batches in epochs:
        losses, sizes, counts, target_counts = [], [], [], []
        for j, (xb, yb) in enumerate(batches):
            if zeroed is not None:
                zero = done in zeroed
            elif mistake == "zero-grad-missing#epoch":  # once per epoch, before its batch loop
                zero = j == 0
            else:
                zero = mistake != "zero-grad-missing"
            done += 1
            if zero:
                rig.optimizer.zero_grad()
            output = rig.model.forward(xb)
            pair = (yb, output) if mistake == "loss-arguments-swapped" else (output, yb)
            losses.append(rig.loss.forward(*pair))
            if mistake == "call-order":
                rig.optimizer.step()
            gradient = rig.loss.backward()
            if mistake == "divided-by-batch-size":  # the loss's gradient already holds its 1/N
                gradient = gradient / len(xb)
            elif mistake == "times-batch-size":  # ... and the mean's 1/N taken back
                gradient = gradient * len(xb)
            elif mistake in _GRADIENT_FACTORS:  # a constant: the sign flipped, a 2 applied again or halved
                gradient = _GRADIENT_FACTORS[mistake] * gradient
            if mistake == "seed-gradient-ones":  # dL/dL = 1 taken for the model's upstream gradient
                gradient = np.ones_like(np.asarray(output, dtype=np.float64))
            rig.model.backward(output if mistake == "backward-gets-output" else gradient)
            if mistake.startswith("gradient-clipped"):
                _clip_gradients(rig.model.parameters(), mistake)
            if mistake != "call-order":
                rig.optimizer.step()
            if mistake == "loss-after-step":  # the loss recorded is that of the updated weights
                losses[-1] = rig.loss.forward(rig.model.forward(xb), yb)
            sizes.append(len(xb))
            counts.append(np.asarray(xb).size)
            target_counts.append(np.asarray(yb).size)
        total = math.fsum(loss * n for loss, n in zip(losses, sizes, strict=True))
        weighted.append(total / max(sum(sizes), 1))
        per_n.append(total / run.N)
        loss_sum = math.fsum(losses)
        swapped.append(total / loss_sum if loss_sum else math.nan)
        unweighted.append(float(np.mean(losses)) if losses else 0.0)
        last.append(losses[-1] if losses else 0.0)
        summed.append(total)
        cumulative.append((math.fsum(summed)) / run.N)
        totals.append(total)
        epoch_sizes.append(sizes)
        every_loss.extend(losses)
        counted.append(math.fsum(losses) / run.N)
        assigned.append(losses[-1] * sizes[-1] / run.N if losses else 0.0)
        entries.append(math.fsum(loss * n for loss, n in zip(losses, counts, strict=True)) / run.N)
        targets.append(math.fsum(loss * n for loss, n in zip(losses, target_counts, strict=True)) / run.N)
        if whole[0] is not None and whole[1] is not None:
            after.append(float(rig.loss.forward(rig.model.forward(whole[0]), whole[1])))
        size = getattr(run, "batch_size", None)  # the convergence checks' runs have none
        if size is not None:
            nominal.append(math.fsum(loss * size for loss in losses) / run.N)
    return {
        "weighted": np.array(weighted),
        "per_n": np.array(per_n),
        "weights": rig.weights,
        "variants": {
            "unweighted-mean": (
                np.array(unweighted),
                "each epoch's loss is the plain mean of the batch "
                "losses; weight each batch loss by its batch size (a smaller last batch "
                "counts for its few samples only)",
            ),
            "last-batch-loss": (
                np.array(last),
                "each epoch reports the loss of its last batch only; report the mean over the whole epoch",
            ),
            "loss-not-averaged": (
                np.array(summed),
                "each epoch reports the sum of its batch losses times their sizes, not divided by the number of "
                f"samples ({run.N}): the mean loss of an epoch is that total / len(X)",
            ),
            **_denominator_variants(run, totals, epoch_sizes),
            # The right total divided by len(X) twice (each batch's share divided before adding, then the sum
            # again): 1/N of the mean. A full batch's single loss gives the plain sum's numbers too (both match,
            # no claim there); mini-batches tell the two apart.
            "divided-twice": (
                np.array(per_n) / max(run.N, 1),
                f"the epoch's total was divided by the number of samples len(X) = {run.N} twice (each batch's "
                "share divided by len(X) before it was added, total += loss * len(X_batch) / len(X), and the "
                "total divided by len(X) again), so every epoch's loss is 1/len(X) of its mean: divide once",
            ),
            "unweighted-mean#sum": (
                np.array(counted),
                "each batch's loss was added once (total += loss), not times its batch size, then divided by the "
                "number of samples: a batch's loss is a mean over its samples, so add loss * len(X_batch)",
            ),
            "batch-size-weight#whole": (np.array(counted) * run.N, _WHOLE_WEIGHT),
            "fit-arguments#average": (np.array(swapped), _AVERAGE_SWAPPED),
            "total-not-reset": (
                np.array(cumulative),
                "each epoch's loss includes the earlier epochs': the running total was set to 0 once, before the "
                "epoch loop; set total = 0.0 at the start of every epoch",
            ),
            **_not_reset_variants(run, totals, epoch_sizes, every_loss),
            **({"batch-size-weight": (np.array(nominal), _NOMINAL_WEIGHT)} if nominal else {}),
            **(
                {"batch-size-weight#entries": (np.array(entries), _ENTRIES_WEIGHT.format("X", run.n_in, "features"))}
                if run.n_in > 1
                else {}
            ),
            **(
                {"batch-size-weight#targets": (np.array(targets), _ENTRIES_WEIGHT.format("y", run.n_out, "targets"))}
                if run.n_out > 1 and run.n_out != run.n_in  # the same factor could not tell which array
                else {}
            ),
            "assigned-not-accumulated": (
                np.array(assigned),
                "only the last batch's loss reached the epoch's total: the running total was assigned (total = loss * "
                "len(X_batch)) where it is accumulated (total += loss * len(X_batch)), then divided by len(X)",
            ),
            **(
                {
                    "loss-after-step#epoch": (
                        np.array(after),
                        "each epoch's loss is that of the whole training set after the epoch, recomputed with the "
                        "epoch's final weights, not the mean of the batch losses its steps were computed from (add "
                        "loss * len(X_batch) for each batch during the epoch, then divide by len(X))",
                    )
                }
                if len(after) == len(epochs)
                else {}
            ),
        },
    }


def _not_reset_variants(
    run: _FitRun, totals: list[float], epoch_sizes: list[list[int]], every_loss: list[float]
) -> dict[str, tuple[np.ndarray, str]]:
    """Simulated: a count or a total of the epoch's mean set once, before the epoch loop, where every epoch starts it
    afresh, so that epoch k reads k epochs' worth (the total alone is ``total-not-reset``): the samples seen or the
    batches counted, alone or with the total, and a list of batch losses averaged (np.mean) with every epoch's in it."""
    if not totals or any(not sizes for sizes in epoch_sizes):
        return {}
    seen = np.cumsum([sum(sizes) for sizes in epoch_sizes], dtype=np.float64)
    batches = np.cumsum([len(sizes) for sizes in epoch_sizes], dtype=np.float64)
    total, running = np.array(totals), np.cumsum(totals)
    counts = np.cumsum([len(sizes) for sizes in epoch_sizes])
    listed = np.array([float(np.mean(every_loss[:n])) for n in counts])
    variants = {
        "counter-not-reset": (
            total / seen,
            "each epoch's total was divided by every sample seen so far: the count of samples seen was set to 0 "
            "once, before the epoch loop, while the total was reset every epoch, so epoch k divides by k * len(X) "
            f"(len(X) = {run.N}); reset the count with the total at the start of every epoch, or divide by len(X)",
        ),
        "total-not-reset#with-counter": (
            running / seen,
            "each epoch reports the mean over every sample of every epoch so far: the running total and the count "
            "of samples seen (or a list of the batch losses) were made once, before the epoch loop; start them "
            "afresh at the start of every epoch",
        ),
        "counter-not-reset#batches": (
            total / batches,
            "each epoch's total (the sum of its batch losses times their sizes) was divided by the number of "
            "batches counted since the first epoch: the batch counter was set to 0 once, before the epoch loop, and "
            "a batch count is not the number of samples anyway; divide the epoch's total by len(X)",
        ),
    }
    if not np.allclose(listed, running / seen, rtol=settings.SAME_VALUE_RTOL, atol=0.0):  # unequal batches: they differ
        variants["total-not-reset#list"] = (
            listed,
            "each epoch reports the plain mean of every batch loss since the first epoch: the list of batch losses "
            "was made once, before the epoch loop, so np.mean(losses) averages the earlier epochs too (and a plain "
            "mean gives a smaller last batch a full batch's weight); start the list afresh every epoch and weight "
            "each batch loss by len(X_batch)",
        )
    return variants


def _counts(run: _FitRun, sizes: list[int]) -> list[tuple[str, int, str]]:
    """The counts an epoch's right total (sum of loss * len(X_batch)) gets divided by where len(X) belongs, for an
    epoch of batches of ``sizes``: ``(key, count, what it is)``. Each is a slip of the same idea, the mean's
    denominator taken from the wrong count; dividing by nothing, or by len(X) twice, are variants of their own."""
    counts = [
        ("", sizes[-1], "the size of its last batch, len(X_batch) after the loop"),
        (
            "#batches",
            len(sizes),
            "the number of batches (a batch counter, or np.mean over the batches' loss * len(X_batch): a mean over "
            "batches, where the weights already make it a sum over samples)",
        ),
    ]
    size = getattr(run, "batch_size", None)  # the convergence checks' runs have none
    if size:
        counts.append(("#batch-size", size, "the batch_size argument"))
        counts.append(
            ("#full-batches", size * len(sizes), "batch_size times the number of batches (each batch counted as full)")
        )
    if run.n_in > 1:
        counts.append(("#entries", run.N * run.n_in, "X.size, the number of entries of X (samples times features)"))
    return counts


def _denominator_variants(
    run: _FitRun, totals: list[float], epoch_sizes: list[list[int]]
) -> dict[str, tuple[np.ndarray, str]]:
    """Simulated: each epoch's total divided by a wrong count (see ``_counts``), one variant per distinct result.
    Counts that give the same numbers on this run are told together ("the number of batches or the batch_size
    argument"): the case cannot say which, but it does show the denominator was not len(X)."""
    if not totals or any(not sizes for sizes in epoch_sizes):
        return {}
    per_epoch = [_counts(run, sizes) for sizes in epoch_sizes]
    grouped: dict[tuple[float, ...], list[tuple[str, str, int]]] = {}
    for index, (key, count, what) in enumerate(per_epoch[0]):
        values = tuple(total / counts[index][1] for total, counts in zip(totals, per_epoch, strict=True))
        grouped.setdefault(values, []).append((key, what, count))
    variants = {}
    for values, named in grouped.items():
        if named[0][2] == run.N:  # len(X) itself (the last batch of a full batch): the right mean
            continue
        whats = " or ".join(what for _, what, _ in named)
        variants[f"loss-denominator{named[0][0]}"] = (
            np.array(values),
            f"each epoch's total (the sum of its batch losses times their sizes) was divided by {named[0][2]}, "
            f"{whats}, not by the number of samples len(X) = {run.N}: the mean loss of an epoch is that total / "
            "len(X)",
        )
    return variants


_NOMINAL_WEIGHT = (
    "each batch's loss was weighted by the batch_size argument, not by the batch's own size len(X_batch): the "
    "smaller last batch counts as a full one (and batch_size=None has no size at all); total += loss * "
    "len(X_batch)"
)


# The whole training set's size where the batch's belongs: N * sum(losses) / N, the plain sum of the batch losses.
_WHOLE_WEIGHT = (
    "each batch's loss was weighted by the size of the whole training set, len(X) or len(y), not by the batch's "
    "own size len(X_batch): divided by len(X) again, every epoch's loss came out the plain sum of its batch losses, "
    "growing with the number of batches; total += loss * len(X_batch) (then total / len(X))"
)


# np.average(values, weights=...): the values first. Swapped, the batch sizes are averaged and the losses weigh them.
_AVERAGE_SWAPPED = (
    "each epoch's loss is the mean batch size, weighted by the batch losses: np.average(sizes, weights=losses) "
    "has its arguments swapped (np.average averages its first argument, and weights= says how much each counts), "
    "so one full batch gives len(X) whatever the loss; the mean loss is np.average(losses, weights=sizes)"
)


_ENTRIES_WEIGHT = (  # the batch array, the entries per sample, what they are
    "each batch's loss was weighted by {0}_batch.size, its number of entries (samples times {2}), not by its "
    "number of samples len(X_batch): with {1} {2} per sample every epoch's mean came out {1} times too large; "
    "total += loss * len(X_batch)"
)


_BATCH_SIZE_IGNORED = "fit trained on the full batch every step: batch_size was not passed on to minibatches"


def _fit_variants(run: _FitRun, expected: dict[str, Any]) -> list[dict[str, tuple[np.ndarray, str]]]:
    """Variants for (history, W, b): the reporting mistakes, and loops run the wrong way."""
    variants: list[dict[str, tuple[np.ndarray, str]]] = [dict(expected["variants"]), {}, {}]
    full = [[(run.X, run.y)]] * run.epochs
    starts = np.cumsum([0, *_sizes(run.N, run.batch_size)])
    in_order = [[(run.X[i:j], run.y[i:j]) for i, j in zip(starts, starts[1:], strict=False)]] * run.epochs
    others = [(m, expected["batches"], _FIT_TAGS.get(m, m), text) for m, text in _FIT_MISTAKES.items()]
    if run.batch_size is not None and run.batch_size < run.N:
        others.append(
            (
                "",
                full,
                "batch-size-ignored",
                _BATCH_SIZE_IGNORED,
            )
        )
    if run.shuffle and expected["batches"]:
        others.append(
            (
                "",
                [expected["batches"][0]] * run.epochs,
                "same-permutation",
                "fit trained every epoch on the first epoch's batches: minibatches was called once, before the "
                "epoch loop; call it once per epoch so that each epoch draws a new permutation",
            )
        )
    if run.shuffle:
        others.append(
            (
                "",
                in_order,
                "shuffle-ignored",
                "fit visited the samples in their stored order: shuffle (and rng) were not passed on to minibatches",
            )
        )
    for mistake, batches, tag, text in others:
        replay = _replay(run, batches, mistake)
        key = f"{tag}#{mistake}" if mistake and mistake != tag else tag  # two mistakes of one tag: both kept
        for slot, value in zip(variants, (replay["weighted"], *replay["weights"]), strict=True):
            slot[key] = (value, text)
    # On the rig's squared error, target and prediction swapped give the negated gradient: the same numbers as a
    # sign flipped before backward. The loss's record of its targets tells them apart (y_batch, or the output).
    swapped = "fit-arguments#loss-arguments-swapped"
    if all(swapped in slot and "sign-flipped" in slot for slot in variants):
        drop = "sign-flipped" if not _targets_given(run, expected["batches"]) else swapped
        for slot in variants:
            del slot[drop]
    if run.batch_size is not None and run.N % run.batch_size and expected["batches"]:
        # the short last batch skipped: the epoch's mean over len(X), or over the samples trained on
        kept = [[pair for pair in epoch if len(pair[0]) == run.batch_size] for epoch in expected["batches"]]
        replay = _replay(run, kept)
        for key, history in (("drops-last-batch", replay["per_n"]), ("drops-last-batch#trained", replay["weighted"])):
            for slot, value in zip(variants, (history, *replay["weights"]), strict=True):
                slot[key] = (value, _SHORT_BATCH_SKIPPED)
    return variants


def _targets_given(run: _FitRun, batches: list[list[tuple[np.ndarray, np.ndarray]]]) -> bool:
    """Did the loss get each batch's targets y_batch as its targets (its own record says)?"""
    got = [target for _, target in run.recorded()]
    want = [np.asarray(yb, dtype=np.float64) for epoch in batches for _, yb in epoch]
    return len(got) == len(want) and all(
        np.shape(g) == np.shape(w) and np.array_equal(g, w) for g, w in zip(got, want, strict=True)
    )


def _noted(run: _FitRun, outcome: Outcome) -> Outcome:
    """Say so in a failure's feedback when fit could not be judged on its own code."""
    return _with_note(run.note, outcome)


def _with_note(note: str, outcome: Outcome) -> Outcome:
    return outcome if outcome.passed or not note else replace(outcome, feedback=outcome.feedback + note)


def _judge_history(name: str, run: _FitRun, expected: dict[str, Any]) -> Outcome:
    history = run.history
    if type(history) not in (list, tuple) and not (isinstance(history, np.ndarray) and history.ndim == 1):
        return failed(
            name,
            f"{run.describe()} returned {describe_kind(history)}; expected a list of {run.epochs} per-epoch losses.",
            "returned-none" if history is None else "wrong-type",
        )
    outcome = judge(
        name,
        list(history),
        expected["weighted"],
        f"{run.describe()}: the per-epoch losses",
        variants=expected["variants"],
    )
    if not outcome.passed and agrees(list(history), expected["per_n"]):
        return passed(name)  # a total divided by len(X) is the same mean when every sample is seen
    return outcome


def _fit_kept(ctx: Context) -> tuple[str, str] | None:
    """Two runs of fit, each on a new rig of the same seed with the same data and one epoch: the second must
    return one loss, the first run's own. A history that outlives the call returns the first run's losses and
    then its own (equal to the first's last: the same run again): (tag, cause), else None. Once per grading."""
    if "fit kept" not in ctx.cache:
        ctx.cache["fit kept"] = None
        try:
            first, second = (_FitRun(ctx, "kept between calls", N=4, epochs=1, batch_size=None) for _ in range(2))
        except (StudentTimeout, StudentCrash):
            raise
        except StudentError:
            return None
        before, after = first.history, second.history
        if type(before) is list and type(after) is list and before and after == [*before, before[-1]]:
            ctx.cache["fit kept"] = kept_between_calls(
                ctx,
                ctx.component.name,
                after,
                f"two runs of fit(..., epochs=1) on the same data and model returned {len(before)} and then "
                f"{len(after)} losses",
                "losses",
                "history = [] in the body",
            )
    return ctx.cache["fit kept"]


def _history_kept(function: Callable[..., Outcome]) -> Callable[..., Outcome]:
    """A failed row that reads fit's history first asks whether runs remember each other: then that is its cause."""

    @functools.wraps(function)
    def checked(ctx: Context, *args: Any) -> Outcome:
        outcome = function(ctx, *args)
        if outcome.passed:
            return outcome
        kept = _fit_kept(ctx)
        if kept is None:
            return outcome
        feedback = f"{outcome.feedback} Cause: {kept[1]}."
        return replace(outcome, feedback=feedback, misconception=kept[0], confidence=IS)  # two runs show it

    return checked


@check("api", "signature", FIT, interface=True)
def fit_signature(ctx: Context) -> Outcome:
    return check_signature(ctx)


@check("api", "returns one loss per epoch", FIT)
@_history_kept
def fit_returns(ctx: Context) -> Outcome:
    name = "returns one loss per epoch"
    run = _FitRun(ctx, "api", N=6, epochs=3, batch_size=None)
    history = run.history
    array = (
        as_array(list(history))
        if type(history) in (list, tuple)
        else (history if isinstance(history, np.ndarray) else None)
    )
    if array is None or array.shape != (3,) or not np.isfinite(array.astype(np.float64)).all():
        return failed(
            name,
            f"{run.describe()} returned {describe_kind(history)}; expected a list of 3 floats "
            "(the mean loss of each epoch).",
            "returned-none" if history is None else "wrong-type",
        )
    return passed(name)


# One row per case of the entry (exercises/components.py), named by the case: fit with the case's epochs,
# batch_size and shuffle on X of its input_shape and y of its target_shape; a shuffled case gets a seeded rng.
@check("reference", "", FIT, per_case=True)
@_history_kept
def fit_case(ctx: Context, case: Case) -> Outcome:
    label, kwargs = case.id, case.kwargs
    epochs, shuffle = kwargs["epochs"], kwargs.get("shuffle", False)
    N, n_in = case.input_shape
    n_out = case.target_shape[-1] if case.target_shape else 2
    run = _FitRun(
        ctx,
        label,
        N=N,
        epochs=epochs,
        batch_size=kwargs.get("batch_size"),
        shuffle=shuffle,
        rng_seed=draw_seed(ctx, "rng", label) if shuffle else None,
        n_in=n_in,
        n_out=n_out,
    )
    batches = _expected_batches(ctx, run)
    if batches is None:  # batches unknown (a fit outside its module's minibatches): replay what fit did
        recorded = run.recorded()
        per_epoch = len(recorded) // max(epochs, 1)
        batches = [recorded[e * per_epoch : (e + 1) * per_epoch] for e in range(epochs)]
    expected = _replay(run, batches)
    expected["batches"] = batches
    W, b = run.weights if type(run.weights) in (list, tuple) and len(run.weights) == 2 else (None, None)

    def judged(variants: list[dict[str, tuple[np.ndarray, str]]]) -> Outcome:
        outcomes = [_judge_history(label, run, {**expected, "variants": variants[0]})]
        for what, got, index, hints in (("weights", W, 0, variants[1]), ("bias", b, 1, variants[2])):
            description = f"{run.describe()}: the model's {what} after training"
            outcomes.append(judge(label, got, expected["weights"][index], description, variants=hints))
        return first_failure(label, outcomes)

    outcome = judged([{}, {}, {}])
    if outcome.passed:  # the known mistakes are replayed only to explain a failure
        return outcome
    outcome = _step_never_called(run, _noted(run, judged(_fit_variants(run, expected))))
    changed = _targets_changed(run, batches)
    if changed is not None:  # the loss's own record of its targets: the evidence itself
        outcome = replace(outcome, feedback=f"{outcome.feedback} Cause: {changed[1]}.", misconception=changed[0])
        outcome = replace(outcome, confidence=IS)
    single = _inputs_in_float32(run, batches)
    if single is not None:  # the model's own record of its inputs, rounded as float32 rounds: the evidence itself
        outcome = replace(outcome, feedback=f"{outcome.feedback} Cause: {single}.", misconception="float32")
        outcome = replace(outcome, confidence=IS)
    transformed = None if single is not None else _inputs_transformed(run, batches)
    if transformed is not None:  # the model's own record of its inputs: the evidence itself
        feedback = f"{outcome.feedback} Cause: {transformed}."
        outcome = replace(outcome, feedback=feedback, misconception="preprocessing-added", confidence=IS)
    called = _minibatches_call(ctx, run)  # the log of minibatches' arguments, read only after a failure
    return outcome if called is None else replace(called, name=label)


def _inputs_in_float32(run: "_FitRun", batches: list[list[tuple[np.ndarray, np.ndarray]]]) -> str | None:
    """The inputs the model was given are the batches' rows of X converted to float32 (kept so, or converted back
    to float64): each entry rounded to float32's 24-bit mantissa, about 6e-8 of its size. Returns the cause, or
    None when the inputs are X's rows exactly or differ otherwise. The model double records every input it gets."""
    got, want = _trained_inputs(run), [np.asarray(xb, dtype=np.float64) for epoch in batches for xb, _ in epoch]
    if not got or len(got) != len(want) or any(np.shape(g) != w.shape for g, w in zip(got, want, strict=True)):
        return None
    G, W = np.concatenate([np.ravel(g) for g in got]), np.concatenate([w.ravel() for w in want])
    if G.dtype.kind != "f" or np.array_equal(G, W):
        return None
    if not np.array_equal(G.astype(np.float64), W.astype(np.float32).astype(np.float64)):
        return None
    return (
        "the model was trained on X converted to float32 (np.asarray(X, dtype=np.float32), X.astype(np.float32)): "
        "every input was rounded to about 7 significant digits, so the losses and weights drift from the exact "
        "ones by about 1e-7 of their size; fit trains on X as it comes, in float64"
    )


def _inputs_transformed(run: "_FitRun", batches: list[list[tuple[np.ndarray, np.ndarray]]]) -> str | None:
    """The inputs the model was given are the batches' rows of X transformed feature by feature, one same
    ``a x + c`` per column for every sample (standardised, centred, scaled to [0, 1]): fit preprocessed X.
    Returns the cause (which transform, when the fitted a and c say it), or None when the inputs are X's rows
    or differ otherwise. The model double records every input it gets."""
    got = [np.asarray(x, dtype=np.float64) for x in _trained_inputs(run)]
    want = [np.asarray(xb, dtype=np.float64) for epoch in batches for xb, _ in epoch]
    if (
        not got
        or len(got) != len(want)
        or any(g.shape != w.shape or g.ndim != 2 for g, w in zip(got, want, strict=True))
    ):
        return None
    G, W = np.concatenate(got), np.concatenate(want)
    if np.array_equal(G, W) or not np.isfinite(G).all() or len(np.unique(W, axis=0)) < 3:
        return None
    a, c = np.empty(W.shape[1]), np.empty(W.shape[1])
    for j in range(W.shape[1]):
        design = np.stack([W[:, j], np.ones(len(W))], axis=1)
        (a[j], c[j]), *_ = np.linalg.lstsq(design, G[:, j], rcond=None)
    fitted = W * a + c
    if not allclose(G, fitted, rtol=settings.SIMULATION_RTOL, atol=settings.SIMULATION_RTOL * np.max(np.abs(G))):
        return None
    if allclose(a, 1.0) and allclose(c, 0.0):
        return None
    X = run.X
    close = functools.partial(np.allclose, rtol=settings.TRANSFORM_RTOL, atol=settings.TRANSFORM_ATOL)
    known = (
        ("standardised, (X - X.mean(axis=0)) / X.std(axis=0)", 1 / X.std(axis=0), -X.mean(axis=0) / X.std(axis=0)),
        (
            "standardised with the sample standard deviation, (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)",
            1 / X.std(axis=0, ddof=1),
            -X.mean(axis=0) / X.std(axis=0, ddof=1),
        ),
        ("centred, X - X.mean(axis=0)", np.ones(X.shape[1]), -X.mean(axis=0)),
        (
            "scaled to [0, 1], (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))",
            1 / np.ptp(X, axis=0),
            -X.min(axis=0) / np.ptp(X, axis=0),
        ),
    )
    how = next((what for what, scale, shift in known if close(a, scale) and close(c, shift)), "")
    what = f"X {how}" if how else "each feature of X mapped to a x + c (one same a and c per feature for every sample)"
    return (
        f"the model was trained on {what}, not on the inputs as given: fit added a preprocessing step. fit trains "
        "on X as it comes (preprocessing is the caller's choice, made once for the training and the test data "
        "alike); a model trained on transformed inputs is later used on raw ones"
    )


def _evaluates_after_step(calls: list[str], every: bool = True) -> bool:
    """Every batch makes the six calls of docs/api.md in order, then forwards (and losses) again after
    its step, and nothing else: a loss evaluated with the updated weights. ``every=False``: some
    batches do (the last of each epoch, say: a loss of the whole set after the epoch), the others not."""
    if not calls or calls[0] != "zero_grad":
        return False
    starts = [i for i, call in enumerate(calls) if call == "zero_grad"]
    chunks = [calls[i:j] for i, j in zip(starts, [*starts[1:], len(calls)], strict=True)]
    if not all(
        chunk[: len(_PATTERN)] == _PATTERN and set(chunk[len(_PATTERN) :]) <= {"forward", "loss"} for chunk in chunks
    ):
        return False
    extra = ["forward" in chunk[len(_PATTERN) :] for chunk in chunks]
    return all(extra) if every else any(extra)


def _trained(run: _FitRun) -> list[int]:
    """The numbers of the forwards whose gradient trained the model: with forwards after each step
    (a loss evaluated again), the first forward (and loss) of each batch only."""
    calls = [e.split(":")[0] for e in run.events]
    if not _evaluates_after_step(calls, every=False):
        return list(range(len(run.inputs)))
    forwards = [c for c in calls if c in ("forward", "zero_grad")]
    kept, k = [], 0
    for previous, call in zip(["", *forwards], forwards, strict=False):
        if call == "forward":
            if previous == "zero_grad":
                kept.append(k)
            k += 1
    return kept


def _trained_inputs(run: _FitRun) -> list[np.ndarray]:
    return [run.inputs[k] for k in _trained(run)]


def _zero_grad_skipped(run: _FitRun, calls: list[str], batches: int) -> str | None:
    """optimizer.zero_grad() left out of some batches, and nothing else changed: every other call in its place,
    and each zero_grad between one batch's step and the next batch's forward (before the first batch, after the
    last), so the batches without one step with the gradients added up since the last zeroing. Said as the call log
    shows it (once per epoch, once for the run, or which batches), once the replay of that loop on the batches fit
    trained on gives its weights (gradients cleared by hand would not pile up); None for any other log."""
    pattern = [c for c in _PATTERN if c != "zero_grad"]
    if "zero_grad" not in calls or [c for c in calls if c != "zero_grad"] != pattern * batches:
        return None
    zeroed: list[int] = []  # the batch each zero_grad came before (batches: after the last one)
    previous, seen = "step", 0
    for call in calls:
        if call == "zero_grad":
            if previous != "step":  # inside a batch (or twice in a row): a call out of place, not one left out
                return None
            zeroed.append(seen)
        elif call == "forward":
            seen += 1
        previous = call
    first = sorted({b for b in zeroed if b < batches})
    missing = [b for b in range(1, batches) if b not in first]  # batch 0 starts from the model's zero gradients
    if not missing:
        return None
    weights = run.weights if type(run.weights) in (list, tuple) and len(run.weights) == 2 else None
    with np.errstate(all="ignore"):
        replayed = _replay(run, [run.recorded()], zeroed=frozenset(first))["weights"]
    if weights is None or not all(
        np.shape(got) == np.shape(want) and allclose(got, want, rtol=settings.SIMULATION_RTOL, atol=0.0)
        for got, want in zip(weights, replayed, strict=True)
    ):
        return None
    epochs = run.epochs
    per_epoch = batches // epochs if epochs > 0 and batches % epochs == 0 else 0
    starts = list(range(0, batches, per_epoch)) if per_epoch else []
    ends = [b + per_epoch for b in starts] if per_epoch else []
    if per_epoch > 1 and first == starts:
        when, span = "once per epoch, before the epoch's first batch (before the batch loop)", "the epoch's batches"
    elif per_epoch > 1 and sorted(set(zeroed)) == ends[:-1] + ([batches] if batches in zeroed else []):
        when, span = "once per epoch, after its last batch (after the batch loop)", "the epoch's batches"
    elif sorted(set(zeroed)) in ([0], [batches], [0, batches]):
        when, span = "once for the whole run (outside the epoch loop)", "every batch of every epoch"
    else:
        listed = ", ".join(str(b + 1) for b in first)  # (a zero_grad after the end only: above)
        when, span = f"only before batch(es) {listed} of {batches}", "the batches since the last zero_grad()"
    return (
        f"optimizer.zero_grad() ran {when}, not before every batch, and every other call came in its place (batch "
        f"{missing[0] + 1} starts with forward where zero_grad belongs): model.backward adds to p.grad, so the "
        f"gradients pile up over {span} and each step uses the sum of the gradients so far, not its own batch's; "
        "call optimizer.zero_grad() at the start of every batch, inside the batch loop"
    )


@check("contracts", "per batch: zero_grad, forward, loss, backward, step", FIT)
def fit_call_order(ctx: Context) -> Outcome:
    name = "per batch: zero_grad, forward, loss, backward, step"
    run = _FitRun(ctx, "order", N=10, epochs=2, batch_size=4)
    calls = [e.split(":")[0] for e in run.events]
    batches = max(len(run.inputs), 1)
    if calls == _PATTERN * batches:
        return passed(name)
    expected = _PATTERN * batches
    # The first call that differs, with its neighbours: an extra or missing call shifts
    # everything after it, so what follows would only repeat the same mistake.
    pairs = enumerate(zip(calls, expected, strict=False))
    i = next((i for i, (a, b) in pairs if a != b), min(len(calls), len(expected)))
    got = calls[i] if i < len(calls) else "nothing more"
    want = expected[i] if i < len(expected) else "nothing more (the last batch had ended)"
    context = ", ".join(calls[max(0, i - 3) : i + len(_PATTERN)])  # the rest of the batch too
    if _evaluates_after_step(calls):
        return failed(
            name,
            f"{run.describe()}: every batch ran its six calls in order, then model.forward and loss_fn.forward again "
            f"after optimizer.step() (calls of batch 1: [{', '.join(calls[: calls.index('zero_grad', 1)])}]): a loss "
            "recomputed with the updated weights; the batch's loss is the one its step was computed from, "
            "loss_fn.forward(output, y_batch) before the update, and every batch calls optimizer.zero_grad(), "
            "model.forward, loss_fn.forward, loss_fn.backward, model.backward(that gradient), optimizer.step(), and "
            "nothing else.",
            "loss-after-step",
            confidence=LOOKS_LIKE,  # the log shows the extra calls; the history test says if it reports that loss
        )
    if _evaluates_after_step(calls, every=False):
        sizes = [len(run.inputs[k]) for k in sorted(set(range(len(run.inputs))) - set(_trained(run)))]
        return failed(
            name,
            f"{run.describe()}: every batch ran its six calls in order, and after some batches' optimizer.step() "
            f"model.forward and loss_fn.forward ran again without a backward, on {sizes[0]} rows (calls around the "
            f"first: [{context}]): a loss evaluated with the updated weights (of the whole set after the epoch, when "
            f"it is {run.N} rows), not a call out of order. An epoch's loss is the mean of the batch losses its steps "
            "were computed from, loss_fn.forward(output, y_batch) before each update, weighted by batch size.",
            "loss-after-step",
            confidence=LOOKS_LIKE,  # the log shows the extra calls; the history test says if it reports that loss
        )
    skipped = _zero_grad_skipped(run, calls, batches)
    if "zero_grad" not in calls:
        tag, what = "zero-grad-missing", "optimizer.zero_grad() was never called"
    elif skipped is not None:
        tag, what = "zero-grad-missing", skipped
    elif "step" not in calls:
        tag, what = "method-not-called", _STEP_NEVER_CALLED
    elif "backward" not in calls and "loss_backward" in calls:
        tag, what = "model-backward-missing", _BACKWARD_NEVER_CALLED
    elif "loss_backward" not in calls and [c for c in expected if c != "loss_backward"] == calls:
        # Every other call in its place: model.backward was given something other than the loss's gradient.
        return failed(
            name,
            f"{run.describe()}: loss_fn.backward() was never called, every other call came in its place, so "
            "model.backward was handed something else than the gradient of the loss; model.backward takes "
            "dL/d(output), what loss_fn.backward() returns: model.backward(loss_fn.backward()).",
        )
    else:
        batch, position = divmod(i, len(_PATTERN))
        tag, what = "call-order", f"in batch {batch + 1}, call {position + 1} was {got} where {want} belongs"
        if calls.count("forward") > calls.count("backward"):
            # Extra forwards, not calls moved: the order is not what went wrong, so no cause is claimed.
            tag = ""
            what += (
                f"; model.forward ran {calls.count('forward')} times for {calls.count('backward')} model.backward "
                "calls, where each batch runs it once"
            )
    return failed(
        name,
        f"{run.describe()}: {what} (calls around it: [{context}]); every batch must call "
        "optimizer.zero_grad(), model.forward, loss_fn.forward, loss_fn.backward, "
        "model.backward(that gradient), optimizer.step(), in this order, and nothing else.",
        tag,
        confidence=IS if tag else "",  # the log of calls is the mistake itself
    )


def _training_modes(run: _FitRun) -> list[bool]:
    """The model's mode (``model.training``) at each forward that trained it: one whose output was
    backpropagated (model.backward came before the next forward), not a loss evaluated again."""
    modes, trained, pending, k = run.modes or [], [], None, 0
    for event in run.events:
        call = event.split(":")[0]
        if call == "forward":
            pending, k = k, k + 1
        elif call == "backward" and pending is not None and pending < len(modes):
            trained.append(modes[pending])
            pending = None
    return trained


# Only a model given in training mode is tried: a fit that calls model.train() itself is as right as one
# that leaves the mode alone, and both train it in training mode.
@check("contracts", "a model given in training mode trains in training mode", FIT)
def fit_training_mode(ctx: Context) -> Outcome:
    name = "a model given in training mode trains in training mode"
    run = _FitRun(ctx, "mode", N=8, epochs=2, batch_size=4, double="mode_recording_rig")
    modes = _training_modes(run)
    if all(modes):
        return passed(name)
    evals = [k + 1 for k, mode in enumerate(modes) if not mode]
    if modes[0]:  # trained in training mode at first, then switched to eval mode and left there
        tag, how = (
            "left-in-eval-mode",
            f"the forwards from batch {evals[0]} on (epoch {(evals[0] - 1) // max(len(modes) // run.epochs, 1) + 1}) "
            "ran in eval mode, the ones before in training mode: the model was put in eval mode during training (to "
            "evaluate it, say) and not put back with model.train()",
        )
    else:
        tag, how = (
            "train-eval",
            "the first batch already ran in eval mode: fit puts the model in eval mode (model.eval()) before or at "
            "the start of its loop",
        )
    return failed(
        name,
        f"{run.describe()}, on a model given in training mode (model.training is True, as when a model is built): "
        f"{len(evals)} of the {len(modes)} forwards that trained it ran in eval mode (model.training was False); "
        f"{how}. In eval mode Dropout stops dropping units and BatchNorm normalises with its running statistics, "
        "not the batch's, and stops updating them, so a network with them does not train as it should. fit "
        "trains the model in the mode it was given; eval mode is for evaluating it (accuracy and evaluate_loss "
        "switch to it and restore the previous mode).",
        tag,
        confidence=IS,  # the model's own record of its mode at each forward
    )


@check("contracts", "the loss gets each y_batch as it is", FIT)
def fit_targets_as_given(ctx: Context) -> Outcome:
    """Targets of shape (N,) (the shape class labels have) beside an output of shape (N, 1): the rig's loss takes
    them, and it must be handed y_batch unchanged (a loss such as CrossEntropyLoss needs its (n,) labels)."""
    name = "the loss gets each y_batch as it is"
    run = _FitRun(ctx, "flat targets", N=6, epochs=1, batch_size=3, n_out=1, flat_targets=True)
    starts = np.cumsum([0, *_sizes(run.N, run.batch_size)])
    want = [run.y[i:j] for i, j in zip(starts, starts[1:], strict=False)]
    got = [target for _, target in run.recorded()]
    if len(got) != len(want) or all(np.shape(g) == np.shape(w) for g, w in zip(got, want, strict=True)):
        return passed(name)  # other batches, or the same shapes: the other tests judge the values
    k, (g, w) = next(
        (k, pair) for k, pair in enumerate(zip(got, want, strict=True)) if np.shape(pair[0]) != np.shape(pair[1])
    )
    where = (
        f"{run.describe()} with targets y of shape {run.y.shape} and a model whose output has shape (n, 1): the "
        f"loss got the targets of batch {k} in shape {np.shape(g)}, where y_batch has shape {np.shape(w)}"
    )
    if np.size(g) != np.size(w) or not np.array_equal(np.ravel(g), np.ravel(w)):
        return failed(name, f"{where}.", "target-reshaped")
    cause = (
        "the targets were reshaped (to the output's shape, or to a column) before loss_fn.forward: labels of shape "
        "(n,) cannot take the (n, C) shape of a classifier's scores, and a loss needs its targets as the caller "
        "gave them; pass y_batch as it is, loss_fn.forward(output, y_batch)"
    )
    return failed(name, f"{where}. Cause: {cause}.", "target-reshaped", confidence=IS)


@check("contracts", "epochs and batch_size are respected", FIT)
@_history_kept
def fit_epochs(ctx: Context) -> Outcome:
    name = "epochs and batch_size are respected"
    problems, tag, note, shifts = [], "", "", set()
    first_only = True  # every run stopped after its first epoch, with that epoch's loss
    for N, epochs, batch_size in ((10, 3, 3), (7, 1, None), (6, 0, 2)):
        run = _FitRun(ctx, f"epochs {N} {epochs} {batch_size}", N=N, epochs=epochs, batch_size=batch_size)
        expected = _expected_batches(ctx, run) or []
        want = [len(xb) for batch in expected for xb, _ in batch]
        note = note or run.note
        sizes = [len(x) for x in _trained_inputs(run)]
        length = len(run.history) if type(run.history) in (list, tuple, np.ndarray) else None
        first_only = first_only and sizes == _sizes(N, batch_size) * min(epochs, 1) and length == min(epochs, 1)
        if sizes != want or length != epochs:
            called = _minibatches_call(ctx, run)
            if called is not None:  # batch sizes of a batch_size in the wrong place: that is the mistake
                return replace(called, name=name)
            problems.append(
                f"{run.describe()} trained on batches of sizes {sizes} and returned "
                f"{length} losses; expected sizes {want} ({epochs} epochs) and {epochs} losses"
            )
            if sizes == want and length == len(sizes) != epochs and not tag:
                problems[-1] += (
                    f": one loss per batch ({len(sizes)} batches), where the history holds one loss per epoch, "
                    "the epoch's mean over its batches weighted by batch size, appended after the epoch's last batch"
                )
                tag = "history-per-batch"
            if sizes == want and length == 1 < epochs and not tag and _last_epoch_only(run, expected):
                problems[-1] += (
                    f": every epoch trained, but the one loss is the last epoch's, so the list of losses was made "
                    f"anew (or reassigned) in each of the {epochs} epochs; create it once, before the epoch loop, "
                    "and append one mean per epoch"
                )
                tag = "history-reset"
            if not tag and _trains_on_rebound_set(run):
                problems[-1] += f": {_REBOUND}"
                tag = "name-shadowed"
            if not tag:
                tag = "batch-size-ignored" if len(set(sizes)) == 1 and sizes and sizes[0] == N != want[0] else "epochs"
            # Whole epochs too few or too many, and one loss for each: an epoch loop off by one.
            ran = epochs + (1 if length == epochs + 1 else -1)
            shifts.add(ran - epochs if length == ran and sizes == _sizes(N, batch_size) * ran else 0)
    if problems and tag == "epochs" and shifts in ({-1}, {1}):
        how = "fewer" if shifts == {-1} else "more"
        problems.append(
            f"every run went one whole epoch {how} than asked, with one loss for each: the epoch loop is off by one "
            f"({'range(epochs - 1) or range(1, epochs)' if how == 'fewer' else 'range(epochs + 1) or <='}); "
            "range(epochs) runs exactly epochs passes"
        )
        tag = "fit-epochs"
    if problems and first_only:
        problems.append(
            "every run stopped after its first epoch and returned that epoch's loss alone: a `return` (or `break`) "
            "sits inside the epoch loop, indented one level too far; return the history after the loop, once every "
            "epoch ran"
        )
        tag = "fit-epochs"
    if problems:
        return failed(name, "; ".join(problems) + "." + note, tag, confidence=IS)  # counted, not guessed
    return passed(name)


_REBOUND = (
    "from the second epoch on, fit trained only on the previous epoch's last batch, cut into batches again: the "
    "batch loop's variables rebind the training set (for X, y in minibatches(X, y, ...)), so after the first epoch "
    "X and y name the last batch, not the data, and every later epoch (and its mean loss, divided by len(X)) sees "
    "that batch alone; give the batches names of their own, for X_batch, y_batch in minibatches(X, y, ...)"
)


def _rebound_batches(run: _FitRun) -> list[tuple[np.ndarray, np.ndarray]]:
    """The batches of a fit whose batch loop rebinds the training set: each epoch's minibatches are those of
    the epoch before's last batch (the first epoch's, of the data)."""
    X, y, out = run.X, run.y, []
    for _ in range(run.epochs):
        batches = list(doubles.correct_minibatches(X, y, run.batch_size, False, None))
        out += batches
        if batches:
            X, y = batches[-1]
    return out


def _trains_on_rebound_set(run: _FitRun) -> bool:
    """Did fit (unshuffled, with a correct minibatches) train, batch for batch, on the rebound training set?"""
    if run.note or run.shuffle or run.epochs < 2:
        return False
    return _same_inputs(run.recorded(), _rebound_batches(run))


def _last_epoch_only(run: _FitRun, expected: list[list[tuple[np.ndarray, np.ndarray]]]) -> bool:
    """Whether the one loss returned is the last epoch's mean, replayed on the same batches."""
    if not expected:
        return False
    last = _replay(run, expected)["weighted"][-1]
    try:
        return agrees(as_array(list(run.history)), as_array([last]))
    except (TypeError, ValueError):
        return False


def _other_batches(
    recorded: list[tuple[np.ndarray, np.ndarray]], expected: list[list[tuple[np.ndarray, np.ndarray]]]
) -> tuple[str, str]:
    """``(the rest of the sentence, tag)`` for shuffled batches that are not the given rng's: of
    other sizes (a batch_size problem, said elsewhere), the same order every epoch (a generator
    made anew each epoch), or other permutations (the rng not passed on: only a pattern)."""
    sizes, want = [len(xb) for xb, _ in recorded], [len(xb) for epoch in expected for xb, _ in epoch]
    if sizes != want:
        return f": they have sizes {sizes}, expected {want} (the epochs-and-batch_size test says more).", ""
    per_epoch = len(expected[0])
    epochs = [recorded[k : k + per_epoch] for k in range(0, len(recorded), per_epoch)]
    if len(epochs) > 1 and all(_same_batches(epoch, epochs[0]) for epoch in epochs):
        return (
            ": every epoch came in the same shuffled order, not the given rng's: a generator made anew each "
            "epoch (with a fixed seed), or the same permutation reused. Pass rng itself on to minibatches, so "
            "that each epoch draws the next permutation from it.",
            "same-permutation",
        )
    for epoch, want_epoch in zip(epochs, expected, strict=False):
        if not _a_permutation(epoch, want_epoch):  # other pairs or other samples: not a matter of order
            return (
                ": an epoch's batches are not a shuffle of the (X, y) pairs (some pairs are not the data's), so "
                "this is not only a question of which generator shuffled them.",
                "",
            )
    return (
        ": they are shuffled, but not by the rng given. Pass shuffle and rng on to minibatches (no new generator "
        "when rng is given).",
        "rng-ignored",
    )


def _a_permutation(epoch: list[tuple[np.ndarray, np.ndarray]], want: list[tuple[np.ndarray, np.ndarray]]) -> bool:
    """Do an epoch's batches hold exactly the (x, y) pairs of ``want``, in any order?"""

    def rows(batches: list[tuple[np.ndarray, np.ndarray]]) -> list[tuple[float, ...]] | None:
        try:
            pairs = [
                np.concatenate([np.ravel(x), np.ravel(y)]) for xb, yb in batches for x, y in zip(xb, yb, strict=True)
            ]
        except (ValueError, TypeError):
            return None
        return sorted(tuple(np.round(p, 12)) for p in pairs)

    got = rows(epoch)
    return got is not None and got == rows(want)


@check("contracts", "shuffle and rng are passed on to minibatches", FIT)
def fit_shuffle(ctx: Context) -> Outcome:
    name = "shuffle and rng are passed on to minibatches"
    run = _FitRun(ctx, "shuffle", N=12, epochs=3, batch_size=5, shuffle=True, rng_seed=draw_seed(ctx, "shuffle"))
    expected = _expected_batches(ctx, run)
    recorded = run.recorded()
    if expected is not None and not _same_batches(recorded, [b for epoch in expected for b in epoch]):
        unshuffled = _expected_batches(ctx, run, shuffle=False)
        if unshuffled is not None and _same_batches(recorded, [b for e in unshuffled for b in e]):
            text, tag = ": they come in the stored order, so shuffle was not passed on.", "shuffle-ignored"
        elif _same_inputs(recorded, [b for epoch in expected for b in epoch]):
            # The model saw the given rng's batches, in order: shuffle and rng were passed on. Only the targets
            # the loss received differ, which the per-batch tests judge (and simulate).
            return passed(name)
        elif not run.note and expected and _same_batches(recorded, expected[0] * run.epochs):
            text, tag = (
                ": every epoch trained on the first epoch's batches, in the same order. Call minibatches once "
                "per epoch (inside the epoch loop), so that each epoch draws a new permutation.",
                "same-permutation",
            )
        else:
            text, tag = _other_batches(recorded, expected)
        return _noted(
            run,
            failed(
                name,
                f"{run.describe()}: the batches fit trained on are not those of minibatches(X, y, "
                f"batch_size, shuffle, rng) called once per epoch with the given rng{text}",
                tag,
                confidence=IS if tag in ("shuffle-ignored", "same-permutation") else LOOKS_LIKE if tag else "",
            ),
        )
    # rng=None: one fresh generator serves the run, so epochs get new orders (when the
    # minibatches fit uses shuffles at all: a minibatches of the submission's own is graded there).
    if run.note:
        X, y = _indexed(12, 3)
        orders = [
            _order(ctx.session.collect(_minibatches_of(ctx), None, X, y, batch_size=12, shuffle=True), 3)
            for _ in range(2)
        ]
        if None in orders or orders[0] == orders[1]:
            return passed(name)
    fresh = _FitRun(ctx, "fresh", N=12, epochs=3, batch_size=12, shuffle=True)
    epochs = [tuple(np.asarray(x)[:, 0].tolist()) for x in fresh.inputs]
    if len(epochs) >= 2 and len(set(epochs)) == 1:
        return _noted(
            fresh,
            failed(
                name,
                f"{fresh.describe()} (rng=None) trained every epoch on the same order: with "
                "rng=None one fresh generator serves the whole run, so epochs get new permutations.",
                "same-permutation",
            ),
        )
    return passed(name)


@check("convergence", "trains a linear regression (mini-batches of 8)", FIT)
@_history_kept
def fit_converges(ctx: Context) -> Outcome:
    name = "trains a linear regression (mini-batches of 8)"
    return _regression(ctx, name, 8, settings.FIT_EPOCHS, 0.05, settings.FIT_LOSS_RATIO, monotone=False)


@check("convergence", "full-batch descent lowers the loss every epoch", FIT)
@_history_kept
def fit_full_batch(ctx: Context) -> Outcome:
    name = "full-batch descent lowers the loss every epoch"
    return _regression(
        ctx,
        name,
        None,
        settings.FIT_FULL_BATCH_EPOCHS,
        0.1,
        settings.FIT_FULL_BATCH_RATIO,
        monotone=True,
    )


def _regression(
    ctx: Context,
    name: str,
    batch_size: int | None,
    epochs: int,
    lr: float,
    ratio: float,
    monotone: bool,
) -> Outcome:
    rng = ctx.rng("regression", name)
    X = rng.standard_normal((64, 3))
    y = X @ rng.standard_normal((3, 1)) + 0.5
    seed = draw_seed(ctx, "regression", name)
    kwargs = {"epochs": epochs, "batch_size": batch_size}
    history, _, note = _run_fit(ctx, lambda: (ctx.session.harness("training_rig", 3, 1, lr, seed), kwargs), X, y)
    h = as_array(list(history)) if type(history) in (list, tuple) else as_array(history)
    what = f"fit(..., epochs={epochs}, batch_size={batch_size}) of a linear model (lr {lr:g}) on noise-free data"
    if h is None or h.shape != (epochs,) or not np.isfinite(h.astype(np.float64)).all():
        return _with_note(
            note,
            failed(
                name,
                f"{what} returned {describe_kind(history)}; expected {epochs} finite losses.",
                "wrong-type",
            ),
        )
    if monotone and not np.all(np.diff(h) < 0):
        k = int(np.argmax(np.diff(h) >= 0))
        text = (
            f"{what}: the loss went from {fmt(h[k])} (epoch {k + 1}) to {fmt(h[k + 1])} "
            f"(epoch {k + 2}); full-batch gradient descent with a small step lowers it every epoch."
        )
    elif not h[-1] <= ratio * h[0]:
        text = (
            f"{what}: the loss went from {fmt(h[0])} to {fmt(h[-1])}; it should fall below {ratio:g} of the first "
            "epoch's."
        )
    else:
        return passed(name)
    found = _regression_cause(X, y, lr, seed, batch_size, epochs, h.astype(np.float64))
    if found is None:
        return _with_note(note, failed(name, text))
    confidence = IS if found[0] else ""
    return _with_note(note, failed(name, f"{text} Cause: {found[1]}.", found[0], confidence=confidence))


def _regression_cause(
    X: np.ndarray, y: np.ndarray, lr: float, seed: int, batch_size: int | None, epochs: int, history: np.ndarray
) -> tuple[str, str] | None:
    """The known mistake whose replay on local doubles (the same model, data and batches) gives
    exactly ``history``: a loop that sees no gradient or piles them up, a wrong report of the
    loss, the full batch. None when none does: then the loss is only an observation."""
    run = SimpleNamespace(n_in=X.shape[1], n_out=y.shape[1], lr=lr, seed=seed, N=len(X))
    starts = np.cumsum([0, *_sizes(len(X), batch_size)])
    in_order = [[(X[i:j], y[i:j]) for i, j in zip(starts, starts[1:], strict=False)]] * epochs
    with np.errstate(all="ignore"):
        right = _replay(run, in_order)
        candidates = [(tag, value, text) for tag, (value, text) in right["variants"].items()]
        candidates += [
            (_FIT_TAGS.get(m, m), _replay(run, in_order, m)["weighted"], text) for m, text in _FIT_MISTAKES.items()
        ]
        # Weights that never move: step() saw zero gradients or never ran; with no log of calls here, the
        # call-order test says which, and this one only observes it.
        candidates = [(_STILL, v, _STILL_TEXT) if tag == "call-order" else (tag, v, t) for tag, v, t in candidates]
        if batch_size is not None and batch_size < len(X):
            full = _replay(run, [[(X, y)]] * epochs)["weighted"]
            candidates.append(("batch-size-ignored", full, _BATCH_SIZE_IGNORED))
    found: dict[str, str] = {}
    for tag, value, text in candidates:
        if np.shape(value) == history.shape and allclose(history, value, rtol=settings.SIMULATION_RTOL, atol=0.0):
            found.setdefault(tag.partition("#")[0], text)  # a variant's key: its tag, then which way of the mistake
    if len(found) > 1:  # mistakes that give the same numbers here (swapped loss arguments, a negated gradient)
        return "", "either " + "; or ".join(found.values()) + " (they give the same numbers here)"
    return next(iter(found.items()), None)
