"""Rubric for the weight initialisers: fan_in_and_fan_out, Xavier and Kaiming (init.py).

An initialiser's draws are random, so they are never compared entry by entry: a correct
implementation may draw in any way (``rng.uniform(-b, b)``, ``rng.random() * 2b - b``,
``rng.standard_normal() * std``). It is judged by the statistics of one large draw per case
(mean, shape of the distribution, standard deviation against the rule, the uniform bound),
within ``settings.INIT_SIGMAS`` standard errors; a wrong standard deviation is matched
against the classic mistakes (a swapped fan, the receptive field forgotten, the gain left
out, sqrt(3) where sqrt(6) belongs, the variance used as the std) to name the cause; a mistake
is named only when draws of other arguments and shapes agree with it too. A std no classic
mistake explains is searched among mistyped spellings of the rule (:mod:`.init_formulas`:
operator precedence, the root's scope, an operator, a missing root), and a draw that is not
centred among draw calls with their arguments in the wrong places (``rng.normal(std, 0.0)``).
A normal std that a 2 lost or gained explains (sqrt(2) either way, whatever the arguments) is
also what a normal drawn by hand with another variance gives: the diagnosis then reads the draw
itself, entry by entry, against unit normals replayed from the generator's seed
(:func:`_factor_two_read`), which is evidence of a cause, never a test of correctness.

While an initialiser runs, its module's ``fan_in_and_fan_out`` is a correct one
(:func:`~.drive.correct_helpers`): a wrong fan computation costs ``fan_in_and_fan_out`` only.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from hypothesis import strategies as st
from nnlab.exercises.components import Case, Component
from nnlab.graders import settings
from nnlab.graders.results import Outcome, failed, passed
from nnlab.graders.running import doubles
from nnlab.graders.running.puppet import StudentCrash, StudentError, StudentTimeout

from ..catalogue import Context, check
from ..diagnose import IS, LOOKS_LIKE, Diagnosis
from ..evidence import constant_factor
from ..strategies import SEEDS
from ..tolerance import allclose, fmt
from .drive import Problem, correct_helpers, describe_kind, draw_seed, hypothesis_check
from .init_formulas import Formula, fitting, formulas, quantities
from .inputs import reference_class
from .support import check_signature

FANS = ("fans",)
INITIALIZER = ("initializer",)


# =============================================================================== fan_in_and_fan_out
def _describe_call(shape: tuple[int, ...]) -> str:
    return f"fan_in_and_fan_out({shape})"


def _integral_pair(got: Any) -> tuple[int, int] | None:
    """``got`` as two whole numbers (ints, numpy ints or integral floats), else None."""
    if type(got) not in (list, tuple) or len(got) != 2:
        return None
    pair = []
    for value in got:
        if type(value) is bool or not isinstance(value, (int, float, np.integer, np.floating)):
            return None
        if not math.isfinite(float(value)) or float(value) != int(value):
            return None
        pair.append(int(value))
    return pair[0], pair[1]


_RAISED = object()  # a probe the student's fans raised on: no evidence either way


def _probed_fans(fans: Any, probe: tuple[int, ...]) -> Any:
    """The student's fans of ``probe`` as two whole numbers (None if they are not), or ``_RAISED`` when the call
    raised; a timeout or a crash of the worker still ends the check."""
    try:
        return _integral_pair(fans(probe))
    except StudentError as error:
        if isinstance(error, (StudentTimeout, StudentCrash)):
            raise
        return _RAISED


def _wrong_axis(pair: tuple[int, int], shape: tuple[int, ...], expected: tuple[int, int], text: str) -> Problem:
    """Simulated: one fan read from another axis (shape[-1], the (in, out) layout of x @ W) times the
    receptive field, the other fan right."""
    field = math.prod(shape[2:])
    for index, (fan, name, axis) in enumerate(((expected[0], "fan_in", 1), (expected[1], "fan_out", 0))):
        wrong = [k for k in range(len(shape)) if shape[k] != shape[axis] and shape[k] * field == pair[index]]
        if wrong and pair[1 - index] == expected[1 - index]:
            k = wrong[-1]
            return (
                f"{text}: {name} was read from shape[{k - len(shape) if k == len(shape) - 1 else k}] = {shape[k]} "
                f"(times the receptive field {field}), where the weight's layout (out, in, *kernel) puts it in "
                f"shape[{axis}] = {shape[axis]}: {name} = shape[{axis}] * prod(shape[2:]) = {fan}",
                f"{name.replace('_', '-')}-wrong-axis",
            )
    return None


def _slice_text(start: int, stop: int, length: int) -> str:
    """``shape[start:stop]`` as a student writes it (``shape[:-1]``, ``shape[1:]``)."""
    first = "" if start == 0 else str(start)
    last = "" if stop == length else str(stop - length)
    return f"shape[{first}:{last}]"


def _wrong_axes(pair: tuple[int, int], shape: tuple[int, ...], expected: tuple[int, int], text: str) -> Problem:
    """Simulated: one fan the product of a wrong run of axes (``prod(shape[:-1])``, the mirror of fan_in's
    ``shape[1:]``), the other fan right. Runs of one axis are ``_wrong_axis``'s (times the receptive field)."""
    for index, (fan, name, axis) in enumerate(((expected[0], "fan_in", 1), (expected[1], "fan_out", 0))):
        if pair[1 - index] != expected[1 - index] or pair[index] == fan:
            continue
        runs = [(a, b) for a in range(len(shape)) for b in range(a + 2, len(shape) + 1)]
        fits = [(a, b) for a, b in runs if math.prod(shape[a:b]) == pair[index]]
        if fits:
            a, b = min(fits, key=lambda run: (run[1] - run[0], run[0]))  # the fewest axes that give it
            if _other_products(shape, pair[index], set(range(a, b))):
                # (8, 3, 3, 3): 24 is shape[:-2] and also shape[0] * shape[-1], one kernel axis forgotten
                return f"{text} (several products of the shape's axes give {name} = {pair[index]})", ""
            return (
                f"{text}: {name} was the product of {_slice_text(a, b, len(shape))} = {pair[index]}, axes the "
                f"weight's layout (out, in, *kernel) does not give it: {name} = shape[{axis}] * prod(shape[2:]) "
                f"= {fan}, shape[{axis}] times the receptive field of the kernel axes",
                f"{name.replace('_', '-')}-wrong-axis",
            )
    return None


def _other_products(shape: tuple[int, ...], value: int, axes: set[int]) -> bool:
    """Does another choice of axes than ``axes`` multiply to ``value``? Then the value names no one mistake."""
    return any(
        math.prod(shape[i] for i in chosen) == value and set(chosen) != axes
        for size in range(1, len(shape) + 1)
        for chosen in itertools.combinations(range(len(shape)), size)
    )


def _fan_problem(got: Any, shape: tuple[int, ...], expected: tuple[int, int]) -> Problem:
    """What is wrong with ``got`` for ``shape``, naming the mistake where it is a known one."""
    call = _describe_call(shape)
    pair = _integral_pair(got)
    if pair is None:
        return f"{call} returned {describe_kind(got)}; expected the pair (fan_in, fan_out) of two ints", "wrong-type"
    if pair == expected:
        return None
    fan_in, fan_out = expected
    out, inputs = shape[0], shape[1]
    field = math.prod(shape[2:])
    text = f"{call} returned {pair}; expected (fan_in, fan_out) = {expected}"
    if pair == (fan_out, fan_in):
        return (
            f"{text}: fan_in and fan_out are swapped. PyTorch's weights are (out, in, ...): each output sums "
            f"over shape[1] = {inputs} inputs, so fan_in = shape[1] * receptive field",
            "fans-swapped",
        )
    if len(shape) > 2 and pair in ((inputs, out), (inputs * field, out), (inputs, out * field)):
        if _wrong_axis(pair, shape, expected, text):  # one fan from another axis gives the same pair: no claim
            return f"{text} (a fan read from another axis and a fan without the receptive field both give it)", ""
        return (
            f"{text}: the receptive field was left out of a fan. A kernel of shape {shape[2:]} connects each "
            f"output to shape[1] * {field} = {fan_in} inputs, and each input reaches shape[0] * {field} = "
            f"{fan_out} outputs: multiply both fans by prod(shape[2:])",
            "receptive-field-ignored",
        )
    if len(shape) > 2 and pair in ((out, inputs), (out * field, inputs), (out, inputs * field)):
        return f"{text}: the fans are swapped and the receptive field was left out", "fans-swapped"
    for axis in range(2, len(shape)) if len(shape) > 3 else ():
        if pair == (inputs * shape[axis], out * shape[axis]):
            return (
                f"{text}: the receptive field counted only the kernel's axis {axis} (size {shape[axis]}); it is the "
                f"product of every kernel axis, prod(shape[2:]) = {field}",
                "receptive-field-partial",
            )
    for axis in range(2, len(shape)):
        # Simulated: one kernel side squared, as if every kernel were square (and had two axes)
        square = shape[axis] ** 2
        if square != field and pair == (inputs * square, out * square):
            return (
                f"{text}: the receptive field was taken as shape[{axis}] ** 2 = {square}, as if the kernel were "
                f"square; kernels need not be square, nor have two axes: the receptive field is the product of "
                f"every kernel axis, prod(shape[2:]) = {field} (kH * kW for a 2-D kernel)",
                "square-only-index",
            )
    wrong_axis = _wrong_axis(pair, shape, expected, text) or _wrong_axes(pair, shape, expected, text)
    if wrong_axis:
        return wrong_axis
    if len(shape) > 3 and pair == (inputs * sum(shape[2:]), out * sum(shape[2:])):
        # Simulated: the kernel's sides added instead of multiplied (sum > each side, so no other
        # branch gives these fans once the kernel has two sides).
        return (
            f"{text}: the kernel's sides were added: a receptive field of sum(shape[2:]) = {sum(shape[2:])}. "
            f"The receptive field is their product, prod(shape[2:]) = {field} (kH * kW for a 2-D kernel): "
            "the number of inputs one kernel position multiplies",
            "receptive-field-summed",
        )
    return text, ""


# The receptive field read from other axes than shape[2:]: a fixed number of trailing axes (as if every
# weight had a 2-D, or a 1-D, kernel) or a slice that starts one axis off. Each is a slice of the shape.
_FIELD_SLICES = {
    "shape[-2:]": (
        lambda shape: shape[-2:],
        "fixed-number-of-axes",
        "the last two axes, as if every weight had a 2-D kernel (kH, kW)",
    ),
    "shape[-1:]": (
        lambda shape: shape[-1:],
        "fixed-number-of-axes",
        "the last axis, as if every weight had a 1-D kernel",
    ),
    # A slice that starts one axis off (off by one): shape[1:] counts the input channels into the field, so
    # fan_in holds them twice; shape[3:] leaves the first kernel axis out.
    "shape[1:]": (
        lambda shape: shape[1:],
        "receptive-field-slice-off-by-one",
        "every axis after the first, a slice one axis too early (off by one): the input channels shape[1] are "
        "counted into the receptive field, so fan_in holds them twice",
    ),
    "shape[3:]": (
        lambda shape: shape[3:],
        "receptive-field-slice-off-by-one",
        "the axes from the fourth on, a slice one axis too late (off by one): the first kernel axis is left out",
    ),
    # The kernel axes cut at two, as if every kernel were 2-D (kH, kW): a 3-D kernel's last axis is left out.
    "shape[2:4]": (
        lambda shape: shape[2:4],
        "receptive-field-partial",
        "the first two kernel axes only, as if every kernel were 2-D (kH, kW): the axes past shape[3] (a 3-D "
        "kernel's third side) are left out",
    ),
    # The kernel axes but the last: a slice or a loop range(2, len(shape) - 1) that stops one axis early, as if
    # its end were included. On a 1-D kernel it leaves no axis (the numbers of a field left out), so only the
    # other kernel shapes tell the two apart.
    "shape[2:-1]": (
        lambda shape: shape[2:-1],
        "receptive-field-partial",
        "every kernel axis but the last, a slice or a range(2, len(shape) - 1) that stops one axis early (its end is "
        "not included): the last kernel axis is never multiplied in, so a 2-D kernel counts kH only and a 1-D "
        "kernel's one side is left out",
    ),
    "shape": (lambda shape: shape, "", "the whole shape"),
}
# Shapes that tell the slices apart (2, 3, 4 and 5 axes): a slice fits only if it gives every one's fans.
_FIELD_PROBES = ((3, 5), (6, 2, 3), (4, 3, 5, 2), (2, 3, 4, 5, 6))


def _field_slice(fans: Callable[[tuple[int, ...]], Any], shape: tuple[int, ...]) -> Problem:
    """Simulated: the receptive field taken as the product of another slice of the shape, confirmed on
    shapes of 2 to 5 axes (``fans(shape)`` is the submission's pair). None when no slice alone fits."""
    fitting = []
    for spelling, (cut, tag, what) in _FIELD_SLICES.items():
        # A slice guarded for dense weights (``... if len(shape) > 2 else 1``) gives them the right field of 1:
        # the probes with kernel axes still decide the slice, a dense probe may fit either way.
        guarded = False
        for probe in (shape, *_FIELD_PROBES):
            field = math.prod(cut(probe))
            try:
                got = _integral_pair(fans(probe))
            except StudentError as error:  # a shape it cannot take: no slice of it is simulated
                if isinstance(error, (StudentTimeout, StudentCrash)):
                    raise
                return None
            if got == (probe[1] * field, probe[0] * field):
                continue
            if len(probe) == 2 and got == (probe[1], probe[0]):
                guarded = True
                continue
            break
        else:
            fitting.append((spelling, tag, what, guarded))
    if len(fitting) != 1:
        return None
    spelling, tag, what, guarded = fitting[0]
    cut = _FIELD_SLICES[spelling][0]
    if guarded and len(shape) == 2:  # a dense weight's fans are right then: nothing wrong to explain on it
        return None
    if guarded and all(min(cut(tuple(range(len(probe)))), default=2) >= 2 for probe in _FIELD_PROBES[1:]):
        # Guarded, and only kernel axes read on every kernel shape: some of the kernel's axes, not a fixed count
        # of the shape's (a dense weight's field is 1 either way).
        tag = "receptive-field-partial"
    field = math.prod(shape[2:])
    dense = ", a dense (out, in) weight given its field of 1 apart" if guarded else ""
    return (
        f"the receptive field was taken as prod({spelling}) = {math.prod(_FIELD_SLICES[spelling][0](shape))}, the "
        f"product of {what} (the same on shapes of 2 to 5 axes{dense}); the receptive field is the product of the "
        f"axes after the first two, prod(shape[2:]) = {field} (1 for a dense (out, in) weight)",
        tag,
    )


# The receptive field read from fixed kernel axes rather than a slice: the first and last kernel sides (right for a
# 2-D kernel only), or one side squared (as if every kernel were square). On a 3-D weight all three are shape[2] ** 2,
# so one shape cannot tell them apart: the probes of 4 and 5 axes do.
_FIELD_PICKS = {
    "shape[2] * shape[-1]": (
        lambda shape: shape[2] * shape[-1],
        "receptive-field-partial",
        "the first and the last kernel axes only: right for a 2-D kernel (kH, kW), but a 1-D kernel's one side is "
        "counted twice and the middle axes of a 3-D kernel are left out",
    ),
    "shape[2] ** 2": (
        lambda shape: shape[2] ** 2,
        "square-only-index",
        "the first kernel side squared, as if every kernel were square",
    ),
    "shape[-1] ** 2": (
        lambda shape: shape[-1] ** 2,
        "square-only-index",
        "the last kernel side squared, as if every kernel were square",
    ),
}


def _field_pick(fans: Callable[[tuple[int, ...]], Any], shape: tuple[int, ...]) -> Problem:
    """Simulated: the receptive field read from fixed kernel axes (``_FIELD_PICKS``), confirmed on kernels of 1 to
    3 axes. Where the probes confirm none alone but this shape fits several, the observation names them all."""
    probes = [probe for probe in (shape, *_FIELD_PROBES) if len(probe) > 2]
    fitting_picks = []
    here = []
    try:
        pair = _integral_pair(fans(shape))
    except StudentError as error:
        if isinstance(error, (StudentTimeout, StudentCrash)):
            raise
        return None
    for spelling, (pick, _, _) in _FIELD_PICKS.items():
        field = pick(shape)
        if pair != (shape[1] * field, shape[0] * field):
            continue
        here.append(spelling)
        for probe in probes[1:]:
            try:
                got = _integral_pair(fans(probe))
            except StudentError as error:
                if isinstance(error, (StudentTimeout, StudentCrash)):
                    raise
                break
            if got != (probe[1] * pick(probe), probe[0] * pick(probe)):
                break
        else:
            fitting_picks.append(spelling)
    right = math.prod(shape[2:])
    if len(fitting_picks) == 1:
        spelling = fitting_picks[0]
        _, tag, what = _FIELD_PICKS[spelling]
        same = [other for other in here if other != spelling]
        alike = f" (on this shape the same as {' and '.join(same)})" if same else ""
        return (
            f"the receptive field was taken as {spelling} = {_FIELD_PICKS[spelling][0](shape)}{alike}, {what} (the "
            f"same on kernels of 1 to 3 axes); the receptive field is the product of every kernel axis, "
            f"prod(shape[2:]) = {right}",
            tag,
        )
    if here:  # this shape alone cannot tell them apart, and the other shapes confirm none of them
        return (
            f"the receptive field came out as {' = '.join(here)} = {_FIELD_PICKS[here[0]][0](shape)} (on this shape "
            f"these readings give the same numbers; other shapes confirm none of them alone); the receptive field "
            f"is the product of every kernel axis, prod(shape[2:]) = {right}",
            "",
        )
    return None


# The kernel axes one fan's receptive field may have been taken from: slices of shape[2:] (a step of 2 is
# what ``prod(shape[::2])``, "every axis but in", takes for fan_out: out * k1 * k3 * ...).
_KERNEL_SLICES = tuple(
    slice(start, stop, step)
    for step in (1, 2)
    for start in (0, 1)
    for stop in (None, -1)
    if (start, stop, step) != (0, None, 1)  # (every kernel axis: the right receptive field)
)


def _kernel_subset(fans: Callable[[tuple[int, ...]], Any], shape: tuple[int, ...]) -> Problem:
    """Simulated: one fan right, the other its channel axis times only some kernel axes, a slice of
    shape[2:] (``shape[0] * prod(shape[2::2])``, which ``prod(shape[::2])`` is), confirmed on shapes of 2 to 5
    axes. None unless exactly one such slice fits and it leaves kernel axes of ``shape`` out."""
    fitting = []
    for index, (name, axis) in enumerate((("fan_in", 1), ("fan_out", 0))):
        for cut in _KERNEL_SLICES:
            for probe in (shape, *_FIELD_PROBES):
                right = doubles.correct_fan_in_and_fan_out(probe)
                got = _probed_fans(fans, probe)
                if got is _RAISED:
                    return None
                simulated = list(right)
                simulated[index] = probe[axis] * math.prod(probe[2:][cut])
                if got != tuple(simulated):
                    break
            else:
                fitting.append((name, axis, cut))
    if len(fitting) != 1:
        return None
    name, axis, cut = fitting[0]
    kernel = list(range(2, len(shape)))
    kept = kernel[cut]
    if len(kept) == len(kernel):
        return None
    stop = "" if cut.stop is None else str(cut.stop)
    spelled = f"shape[{cut.start + 2}:{stop}{'' if cut.step == 1 else f':{cut.step}'}]"
    alone = f"shape[{axis}] * prod({spelled})"
    if (axis, cut.start, cut.step) in ((1, 0, 1), (0, 0, 2)):  # the same product as one slice of the whole shape
        alone += f" = prod(shape[{axis}:{stop}{'' if cut.step == 1 else ':2'}])".replace("[0:", "[:")
    left_out = [f"shape[{k}] = {shape[k]}" for k in kernel if k not in kept]
    missing = f"axes {', '.join(left_out)} are" if len(left_out) > 1 else f"axis {left_out[0]} is"
    field = math.prod(shape[2:])
    return (
        f"{name} was {alone}, shape[{axis}] times the kernel axes {spelled} only (the same on shapes of 2 to 5 axes, "
        f"the other fan right): the kernel {missing} left out. The receptive field is the product of every "
        f"kernel axis, prod(shape[2:]) = {field}, so {name} = shape[{axis}] * prod(shape[2:]) = {shape[axis] * field}",
        "receptive-field-partial",
    )


def _axes_counted(fans: Callable[[tuple[int, ...]], Any], shape: tuple[int, ...]) -> Problem:
    """Simulated: the receptive field taken as the number of kernel axes, len(shape) - 2, where the number of
    kernel entries belongs: ``np.size(shape[2:])`` (np.size of a tuple counts its items) or ``len(shape[2:])``.
    Confirmed on shapes of 2 to 5 axes (a dense weight's field may be 0, the count, or 1, a guard for it); None
    when one of them does not fit."""
    for probe in (shape, *_FIELD_PROBES):
        count = len(probe) - 2
        fitting = {(probe[1] * count, probe[0] * count)} | ({(probe[1], probe[0])} if count == 0 else set())
        try:
            got = fans(probe)
        except StudentError as error:
            if isinstance(error, (StudentTimeout, StudentCrash)):
                raise
            return None
        if _integral_pair(got) not in fitting:
            return None
    kernel = tuple(shape[2:])
    return (
        f"the receptive field was {len(kernel)}, the number of kernel axes (the same on shapes of 2 to 5 axes): "
        f"np.size or len of the tuple shape[2:] = {kernel} counts its items, not the inputs they span. The "
        f"receptive field is the product of the kernel's sizes, math.prod(shape[2:]) = {math.prod(kernel)} "
        "(kH * kW for a 2-D kernel, 1 for a dense (out, in) weight)",
        "size-of-shape-tuple",
    )


def _empty_product(fans: Callable[[tuple[int, ...]], Any], shape: tuple[int, ...]) -> Problem:
    """Simulated: the product of no kernel sizes taken as 0 where it is 1, confirmed on shapes of 2 to 5 axes:
    fans of 0 for a dense (out, in) weight and right ones for kernels (a weight without kernel axes given no
    receptive field), or fans of 0 for every shape (a product accumulated from 0). None when neither fits."""
    dense_only = every = True
    for probe in (shape, *_FIELD_PROBES):
        got = _probed_fans(fans, probe)
        if got is _RAISED:
            return None
        field = math.prod(probe[2:])
        every = every and got == (0, 0)
        dense_only = dense_only and got == ((0, 0) if len(probe) == 2 else (probe[1] * field, probe[0] * field))
    rule = (
        "the receptive field is the product of the kernel's sizes, and a product of no factors is 1 (the empty "
        "product: math.prod(()) == 1), so a dense (out, in) weight has fan_in = shape[1] and fan_out = shape[0]"
    )
    if dense_only and len(shape) == 2:
        return (
            "a weight without kernel axes got a receptive field of 0 (fans of 0), while every kernel's fans are "
            f"right (the same on shapes of 2 to 5 axes): shape[2:] is empty for it, but {rule}; "
            "math.prod(shape[2:]) needs no special case",
            "empty-product",
        )
    if every:
        return (
            "every shape got fans of 0 (the same on shapes of 2 to 5 axes): the receptive field was a product "
            f"accumulated from 0, and 0 times any size is 0; {rule}: start the product at 1, or use "
            "math.prod(shape[2:])",
            "empty-product",
        )
    return None


def _field_summed(fans: Callable[[tuple[int, ...]], Any], shape: tuple[int, ...]) -> Problem:
    """Simulated: the receptive field a sum of the kernel's sides where it is their product, started at 0
    (``sum(shape[2:])``, a loop of ``field += k`` from 0) or at 1 (``1 + sum(shape[2:])``, the product's start kept
    and ``*=`` written ``+=``), confirmed on shapes of 2 to 5 axes for both fans (a dense weight may get its start or
    a guard's 1). None unless exactly one start fits every probe and the sum differs from the product here."""
    fitting = []
    for start in (0, 1):
        for probe in (shape, *_FIELD_PROBES):
            got = _probed_fans(fans, probe)
            if got is _RAISED:
                return None
            fields = {start + sum(probe[2:])} | ({1} if len(probe) == 2 else set())
            if got not in {(probe[1] * field, probe[0] * field) for field in fields}:
                break
        else:
            fitting.append(start)
    field = math.prod(shape[2:])
    if len(fitting) != 1 or fitting[0] + sum(shape[2:]) == field:
        return None
    start = fitting[0]
    kernel = tuple(shape[2:])
    spelled = f"1 + sum(shape[2:]) = {1 + sum(kernel)}" if start else f"sum(shape[2:]) = {sum(kernel)}"
    how = (
        "the product's start of 1 kept, but each side added to it (receptive_field += k where *= belongs)"
        if start
        else "the kernel's sides added (sum, or a running total += k from 0)"
    )
    return (
        f"the receptive field was {spelled} for the kernel {kernel}, {how} (the same on shapes of 2 to 5 axes): a "
        f"sum where the product belongs. The receptive field is the number of inputs one kernel position spans, "
        f"the product of the kernel's sides, math.prod(shape[2:]) = {field} (kH * kW for a 2-D kernel, 1 for a dense "
        f"(out, in) weight), so fan_in = shape[1] * {field} = {shape[1] * field} and fan_out = shape[0] * {field} = "
        f"{shape[0] * field}",
        "receptive-field-summed",
    )


def _channels_plus_field(fans: Callable[[tuple[int, ...]], Any], shape: tuple[int, ...]) -> Problem:
    """Simulated: a fan's channel count and the receptive field added, ``shape[1] + prod(shape[2:])``, where each
    output sees their product; confirmed on shapes of 2 to 5 axes for the same fans (fan_in, fan_out or both; the
    other right). None unless one choice fits every probe (a dense weight's field of 1 makes it ``shape[1] + 1``)."""
    fitting = []
    for summed in ((True, False), (False, True), (True, True)):
        for probe in (shape, *_FIELD_PROBES):
            field = math.prod(probe[2:])
            want = tuple(
                probe[axis] + field if added else probe[axis] * field
                for axis, added in zip((1, 0), summed, strict=True)
            )
            got = _probed_fans(fans, probe)
            if got is _RAISED:
                return None
            if got != want:
                break
        else:
            fitting.append(summed)
    if len(fitting) != 1:
        return None
    spelled = " and ".join(
        f"{name} = shape[{axis}] + prod(shape[2:])"
        for name, axis, added in zip(("fan_in", "fan_out"), (1, 0), fitting[0], strict=True)
        if added
    )
    field = math.prod(shape[2:])
    return (
        f"{spelled} (the same on shapes of 2 to 5 axes): the channel count and the receptive field were added, a "
        f"sum where the product belongs. Each output sees shape[1] * receptive field inputs (each input reaches "
        f"shape[0] * receptive field outputs), so fan_in = shape[1] * prod(shape[2:]) = {shape[1] * field} and "
        f"fan_out = shape[0] * prod(shape[2:]) = {shape[0] * field}",
        "sum-for-product",
    )


@check("api", "signature", FANS, interface=True)
def fans_signature(ctx: Context) -> Outcome:
    return check_signature(ctx)


@check("api", "returns (fan_in, fan_out), two ints", FANS)
def fans_returns_a_pair(ctx: Context) -> Outcome:
    name = "returns (fan_in, fan_out), two ints"
    for shape in ((3, 5), (2, 3, 4, 4)):
        got = ctx.session.call(ctx.component.name, None, shape)
        if _integral_pair(got) is None:
            return failed(
                name,
                f"{_describe_call(shape)} returned {describe_kind(got)}; expected a tuple of two ints.",
                "wrong-type",
            )
    return passed(name)


@check("reference", "fans", FANS, per_case=True)
def fans_reference(ctx: Context, case: Case) -> Outcome:
    name = f"fans: {case.id}"
    shape = tuple(case.input_shape)
    expected = tuple(int(v) for v in reference_class(ctx.component.name)(shape))
    problem = _fan_problem(ctx.session.call(ctx.component.name, None, shape), shape, expected)
    if problem is None:
        return passed(name)
    problem = _sliced(ctx, shape, problem)
    return failed(name, problem[0] + ".", problem[1], confidence=IS if problem[1] else "")  # exact pairs, no guess


def _sliced(ctx: Context, shape: tuple[int, ...], problem: tuple[str, str]) -> tuple[str, str]:
    """``problem`` told as a receptive field of the kernel's axes counted, or read from another slice of the
    shape, when shapes of 2 to 5 axes confirm one: where no known mistake fits, or where one kernel axis alone
    (or the sides added) fits this shape (the last axis of a 4-D kernel is also the last axis of every shape)."""

    def fans(other: tuple[int, ...]) -> Any:
        return ctx.session.call(ctx.component.name, None, other)

    found = re.match(r".*?; expected \(fan_in, fan_out\) = \(\d+, \d+\)", problem[0])
    text = found.group(0) if found else problem[0]
    if problem[1] == "" and (0, 0) == _integral_pair(fans(shape)):
        empty = _empty_product(fans, shape)
        if empty is not None:
            return f"{text}: {empty[0]}", empty[1]
    # The kernel's sides added (from 0 or from 1): confirmed on the probes, it names the sum in the form written.
    if problem[1] in ("", "receptive-field-summed"):
        summed = _field_summed(fans, shape)
        if summed is not None:
            return f"{text}: {summed[0]}", summed[1]
    # Two axes counted are the sides of a (1, 1) kernel added, or one side of 2: the probes tell them apart.
    if problem[1] in ("", "receptive-field-partial", "receptive-field-ignored", "receptive-field-summed"):
        counted = _axes_counted(fans, shape)
        if counted is not None:
            return f"{text}: {counted[0]}", counted[1]
    # One fan with some kernel axes left out may look, on one shape, like an axis read from the wrong place or a
    # fan without the receptive field (prod(shape[1:-1]) is shape[1] * prod(shape[2:-1])): the probes decide.
    if problem[1] in ("", "fan-in-wrong-axis", "fan-out-wrong-axis", "receptive-field-ignored"):
        subset = _kernel_subset(fans, shape)
        if subset is not None:
            return f"{text}: {subset[0]}", subset[1]
    # A square kernel side and the first and last kernel axes coincide on a 3-D weight: the probes decide, and
    # a square claim stands only where they confirm it.
    if problem[1] in ("", "square-only-index") and len(shape) > 2:
        picked = _field_pick(fans, shape)
        if picked is not None:
            return f"{text}: {picked[0]}", picked[1]
        if problem[1]:
            return text, ""
    if problem[1] == "":
        added = _channels_plus_field(fans, shape)
        if added is not None:
            return f"{text}: {added[0]}", added[1]
    if problem[1] not in ("", "receptive-field-partial", "receptive-field-ignored"):
        return problem  # (a slice past a 3-D kernel's last axis gives it no receptive field: the probes decide)
    sliced = _field_slice(fans, shape)
    if sliced is None or not sliced[1]:
        if problem[1] == "receptive-field-ignored" and not _field_left_out_everywhere(fans, shape):
            return (
                f"{text} (on this shape a fan lacks the receptive field, but leaving it out does not give the fans "
                "of the other kernel shapes, so it is not the mistake: the receptive field is the product of every "
                f"kernel axis, prod(shape[2:]) = {math.prod(shape[2:])})",
                "",
            )
        return problem
    return f"{text}: {sliced[0]}", sliced[1]


def _field_left_out_everywhere(fans: Callable[[tuple[int, ...]], Any], shape: tuple[int, ...]) -> bool:
    """Do the other kernel shapes agree with the receptive field left out of the same fans as on ``shape``? On one
    shape a fan without it may be another mistake's numbers (a loop over the kernel axes that stops one early leaves
    a 1-D kernel no axis): the claim stands only where every probe whose kernel spans more than one entry fits it
    (a probe the submission raised on is no evidence either way)."""
    pair = _integral_pair(fans(shape))
    if pair is None:
        return False
    without = (pair[0] == shape[1], pair[1] == shape[0])  # which fans lack the field here
    for probe in _FIELD_PROBES:
        field = math.prod(probe[2:])
        if len(probe) < 3 or field == 1:
            continue
        got = _probed_fans(fans, probe)
        if got is _RAISED:
            continue
        want = tuple(probe[axis] * (1 if left else field) for axis, left in zip((1, 0), without, strict=True))
        if got != want:
            return False
    return True


@check("properties", "fan_in = prod(shape[1:]) and fan_out = shape[0] * prod(shape[2:]) for any shape", FANS)
def fans_any_shape(ctx: Context) -> Outcome:
    """The definition itself, for any shape of 2 to 5 dimensions (no reference needed)."""
    name = "fan_in = prod(shape[1:]) and fan_out = shape[0] * prod(shape[2:]) for any shape"
    strategy = st.lists(st.integers(1, 7), min_size=2, max_size=5).map(tuple)

    def body(shape: tuple[int, ...]) -> Problem:
        expected = doubles.correct_fan_in_and_fan_out(shape)
        problem = _fan_problem(ctx.session.call(ctx.component.name, None, shape), shape, expected)
        if problem is None:
            return None
        text, tag = _sliced(ctx, shape, problem)
        return text + ".", tag

    outcome = hypothesis_check(ctx, name, strategy, body)
    return outcome if outcome.passed or not outcome.misconception else replace(outcome, confidence=IS)


# =============================================================================== initialisers
@dataclass(frozen=True)
class Rule:
    """What an initialiser promises for one weight shape and its keyword arguments."""

    std: float
    formula: str  # the standard deviation, spelled out with this case's numbers
    mistakes: tuple[tuple[float, str, str], ...]  # (std a known mistake gives, tag, explanation)
    # Mistakes too near the rule for the std of one draw to tell (a rounded root, an odd fan sum's half dropped),
    # named only on exact evidence: the ratios of small draws, the bound a uniform draw reaches.
    fine: tuple[tuple[float, str, str], ...] = ()


# The gains calculate_gain gives as a ratio of whole numbers (numerator, denominator): a student may type them
# with floor division.
_RATIO_GAINS = {"tanh": (5, 3), "selu": (3, 4)}
# calculate_gain's slope for leaky_relu when param is None (docs/api.md).
_DEFAULT_SLOPE = 0.01
# The std of a standard normal truncated to [-2, 2]: Keras divides the std by it to draw a truncated normal.
_TRUNCATION_CORRECTION = 0.87962566103423978

# Simulated: a 2 lost from the std or gained by it, the std sqrt(2)^power times the rule's whatever the arguments, per
# rule: (power, (tag, sentence)). Kaiming has no known slip that halves its variance.
_TWO_IN_THE_STD: dict[str, tuple[tuple[int, tuple[str, str]], ...]] = {
    "xavier": (
        (
            -1,
            (
                "formula-constant",
                "the 2 of 2 / (fan_in + fan_out) is missing, std = gain * sqrt(1 / (fan_in + fan_out)) (or gain / "
                "sqrt(fan_in + fan_out)): Glorot's variance is gain^2 over the average fan, gain^2 * 2 / (fan_in + "
                "fan_out)",
            ),
        ),
        (
            1,
            (
                # the two typings give the same std for every argument: the sentence says both, the tag claims each
                "root-scope+formula-constant",
                "the 2 was left outside the square root, gain * 2 / sqrt(fan_in + fan_out), or counted twice, gain * "
                "sqrt(2 / ((fan_in + fan_out) / 2)) (2 over the average fan, where 1 over it is Glorot's): the two "
                "give the same std for every argument, so no draw tells which; std = gain * sqrt(2 / (fan_in + "
                "fan_out))",
            ),
        ),
    ),
    "kaiming": (
        (
            1,
            (
                "formula-constant",
                "He et al.'s 2 was put on top of the gain, which already holds it (ReLU's gain is sqrt(2), and each "
                "nonlinearity has its own): std = gain * sqrt(2 / fan), or the draw multiplied by sqrt(2) after std = "
                "gain / sqrt(fan), which give the same numbers; std = gain / sqrt(fan)",
            ),
        ),
    ),
}
# Their sentences: a hand-made normal whose variance is not 1 scales every draw by one constant too.
_FACTOR_TWO = frozenset(cause for slips in _TWO_IN_THE_STD.values() for _, (_, cause) in slips)


def _rule(component: Component, shape: tuple[int, ...], kwargs: dict[str, Any], keep: bool = False) -> Rule:
    """The rule's standard deviation from the reference's fans and gains, and the standard
    deviations of the known mistakes (in the order they are tried: specific causes first);
    ``keep`` keeps the mistakes that make no difference for these arguments."""
    reference = reference_class(f"{component.module}.fan_in_and_fan_out")
    gain_of = reference_class(f"{component.module}.calculate_gain")
    fan_in, fan_out = reference(shape)
    kernel = len(shape) > 2
    mistakes: list[tuple[float, str, str]] = []
    fine: list[tuple[float, str, str]] = []

    if component.rule == "xavier":
        gain = float(kwargs.get("gain", 1.0))

        def std_of(fi: float, fo: float, g: float = gain) -> float:
            return g * math.sqrt(2.0 / (fi + fo))

        std = std_of(fan_in, fan_out)
        formula = f"gain * sqrt(2 / (fan_in + fan_out)) with gain {gain:.4g}, fan_in {fan_in}, fan_out {fan_out}"
        one_fan = "Xavier averages the two conditions: Var(W) = gain^2 * 2 / (fan_in + fan_out)"
        mistakes += [
            (gain / math.sqrt(fan_in), "xavier-one-fan", f"only fan_in was used (1 / fan_in); {one_fan}"),
            (gain / math.sqrt(fan_out), "xavier-one-fan", f"only fan_out was used (1 / fan_out); {one_fan}"),
        ]
        # Simulated: the average fan taken with floor division, (fan_in + fan_out) // 2, which drops the half of an
        # odd sum (no difference for an even one; a factor sqrt(1 + 1 / (fan_in + fan_out - 1)) for an odd one).
        if fan_in + fan_out >= 2:
            floored = (fan_in + fan_out) // 2
            fine.append(
                (
                    gain * math.sqrt(1.0 / floored),
                    "integer-division",
                    f"the average fan was taken with floor division, (fan_in + fan_out) // 2 = {floored} where "
                    f"(fan_in + fan_out) / 2 = {(fan_in + fan_out) / 2:g}: for an odd fan_in + fan_out, // drops the "
                    "half, so the std is too large; divide with /, or write std = gain * sqrt(2 / (fan_in + fan_out))",
                )
            )
        if kernel:
            mistakes.append(
                (
                    std_of(shape[1], shape[0]),
                    "receptive-field-ignored",
                    f"the fans ignore the receptive field: for a kernel {shape} they are {fan_in} and {fan_out} "
                    "(fan_in_and_fan_out(shape)), not shape[1] and shape[0]",
                )
            )
            # Simulated: fan_in + fan_out written as sum(shape), right for a Linear weight (out, in) only.
            mistakes.append(
                (
                    gain * math.sqrt(2.0 / sum(shape)),
                    "sum-for-product",
                    f"fan_in + fan_out was taken as sum(shape) = {sum(shape)}, which is right for a Linear weight "
                    f"(out, in) only: for a kernel {shape} the fans are shape[1] and shape[0] times the receptive "
                    f"field prod(shape[2:]), so fan_in + fan_out = {fan_in} + {fan_out} = {fan_in + fan_out}",
                )
            )
    else:
        a = kwargs.get("a", 0.0)
        mode = kwargs.get("mode", "fan_in")
        nonlinearity = kwargs.get("nonlinearity", "leaky_relu")
        gain = float(gain_of(nonlinearity, a))
        fan = fan_in if mode == "fan_in" else fan_out
        other = fan_out if mode == "fan_in" else fan_in
        std = gain / math.sqrt(fan)
        formula = (
            f"gain / sqrt(fan) with gain = calculate_gain({nonlinearity!r}, {a:.4g}) = {gain:.4g} and "
            f"fan = {mode} = {fan}"
        )
        # One fan whatever the mode: the mode ignored, or compared with a literal that never matches (a
        # misspelt 'fan-in' sends every mode to the default branch). Each sentence is in both modes' rules
        # (the right std in the mode it gets right), so that a probe with the other mode can confirm it.
        fan_out_always = (
            f"fan_out ({fan_out}) was used although mode='fan_in' asks for fan_in ({fan_in}), and mode='fan_out' "
            "gets it right: the fan_out branch always runs, so mode was ignored or compared with a literal that "
            "never matches (a misspelt 'fan_in')"
        )
        if mode == "fan_in":
            mistakes += [
                (
                    gain / math.sqrt(other),
                    "fans-swapped",
                    f"fan_out ({other}) was used where mode='fan_in' asks for fan_in ({fan}): the fans are swapped",
                ),
                (gain / math.sqrt(other), "mode-ignored", fan_out_always),
                (
                    std,
                    "mode-ignored",
                    f"fan_in ({fan}) was used although mode='fan_out' asks for fan_out ({other}): mode was ignored",
                ),
            ]
        else:  # the same numbers, two mistakes: with mode='fan_in' the draw tells them apart
            mistakes += [
                (std, "mode-ignored", fan_out_always),
                (
                    gain / math.sqrt(other),
                    "mode-ignored",
                    f"fan_in ({other}) was used although mode='fan_out' asks for fan_out ({fan}): mode was ignored",
                ),
                (
                    gain / math.sqrt(other),
                    "fans-swapped",
                    f"fan_in ({other}) was used where mode='fan_out' asks for fan_out ({fan}), and fan_out where "
                    "mode='fan_in' asks for fan_in: the fans are swapped",
                ),
            ]
        if "mode" not in kwargs:
            # Simulated: mode's default 'fan_out' (the backward pass's) where docs/api.md and PyTorch say 'fan_in';
            # only a call that leaves mode out shows it, so a probe with mode='fan_in' spelt out parts it from a
            # mode ignored (which that probe gets wrong too).
            mistakes.append(
                (
                    gain / math.sqrt(fan_out),
                    "default-changed",
                    f"mode was left out, so its default applies, and fan_out ({fan_out}) was used where fan_in "
                    f"({fan_in}) belongs, while mode='fan_in' spelt out is right: mode defaults to 'fan_out' in "
                    "your signature; its default is 'fan_in' (PyTorch's, which keeps the variance of the forward "
                    "pass)",
                )
            )
        if nonlinearity == "leaky_relu" and a:
            mistakes.append(
                (
                    gain_of("leaky_relu") / math.sqrt(fan),
                    "a-ignored",
                    f"the slope a={a:.4g} was not passed on: calculate_gain('leaky_relu', a) gives {gain:.4g}",
                )
            )
            mistakes += [(typed / math.sqrt(fan), "precedence", why) for typed, why in leaky_gain_slips(a)]
        mistakes += _one_gain_for_every_nonlinearity(gain_of, nonlinearity, a, fan)
        if nonlinearity != "leaky_relu":
            # Simulated: the gain computed in a leaky_relu branch only and left at 1 for every other nonlinearity
            # (the default's draws right, which tells it from a gain left out everywhere). A tag of its own: the probes
            # with leaky_relu have no mistake of this tag, so their right draws are consistent with it.
            if not math.isclose(gain, 1.0):
                mistakes.append(
                    (
                        1.0 / math.sqrt(fan),
                        "gain-in-one-branch",
                        f"the gain was computed for leaky_relu only (inside an `if nonlinearity == 'leaky_relu':` "
                        f"branch) and left at 1 for {nonlinearity!r}, while the default leaky_relu draws right; "
                        f"calculate_gain({nonlinearity!r}, a) = {gain:.4g} scales the std for every nonlinearity",
                    )
                )
        # Simulated: a gain that is a ratio of whole numbers (tanh's 5/3, SELU's 3/4) typed with floor division,
        # which drops its fraction (5 // 3 = 1). A gain of 1 is also a gain left out: the sentence says both.
        ratio = _RATIO_GAINS.get(nonlinearity)
        if ratio is not None and 0 < ratio[0] // ratio[1] != gain:
            floored = ratio[0] // ratio[1]
            mistakes.append(
                (
                    floored / math.sqrt(fan),
                    "integer-division",
                    f"the gain came out as {floored} where calculate_gain({nonlinearity!r}) is {ratio[0]}/{ratio[1]} "
                    f"= {gain:.4g}: either {ratio[0]}/{ratio[1]} was written with floor division, {ratio[0]} // "
                    f"{ratio[1]} = {floored}, which drops the fraction, or the gain was left out (a gain of 1): they "
                    "give the same numbers; write the ratio with true division /",
                )
            )
        fine += _rounded_roots(gain, fan)
        if kernel:
            field = math.prod(shape[2:])
            mistakes.append(
                (
                    gain / math.sqrt(fan // field),
                    "receptive-field-ignored",
                    f"the fan ignores the receptive field (in either mode): for a kernel {shape} fan_in is {fan_in} "
                    f"and fan_out is {fan_out} (fan_in_and_fan_out(shape)), not the channel counts shape[1] and "
                    "shape[0] alone",
                )
            )
            # One mode's fan without the receptive field, the other mode's right (each sentence in both modes'
            # rules, the right std in the mode it gets right, so that a probe with the other mode confirms it).
            for name, axis, full, each in (
                ("fan_in", 1, fan_in, "output sums over shape[1] * prod(shape[2:])"),
                ("fan_out", 0, fan_out, "input reaches shape[0] * prod(shape[2:])"),
            ):
                mistakes.append(
                    (
                        gain / math.sqrt(shape[axis]) if mode == name else std,
                        "receptive-field-ignored",
                        f"mode='{name}' used shape[{axis}] = {shape[axis]}, the channels alone, as {name}, and the "
                        f"other mode is right: for a kernel {shape} each {each} = {full} "
                        f"{'inputs' if name == 'fan_in' else 'outputs'}, so {name} includes the receptive field "
                        f"(fan_in_and_fan_out(shape) gives it)",
                    )
                )
    if not math.isclose(gain, 1.0):
        mistakes.insert(0, (std / gain, "gain-missing", f"the gain ({gain:.4g}) was left out"))
    mistakes.append(
        (std**2, "variance-as-std", "the variance was used as the standard deviation (std is its square root)")
    )
    # Scaled the wrong way: unit draws divided by the scale, whose spread is then its inverse.
    if component.distribution == "normal":
        inverted = (
            1.0 / std,
            "the standard-normal draws were divided by std instead of multiplied by it (rng.standard_normal(shape) "
            "/ std has spread 1 / std); multiply, rng.standard_normal(shape) * std, or draw rng.normal(0.0, std, "
            "size=shape)",
        )
    else:
        inverted = (
            1.0 / (3.0 * std),
            "the draws were divided by the bound b instead of multiplied by it (U(-1, 1) / b, or U(-1/b, 1/b), has "
            "std 1 / (sqrt(3) * b)); multiply, rng.uniform(-1, 1, size=shape) * b, or draw rng.uniform(-b, b)",
        )
    mistakes.append((inverted[0], "formula-operator", inverted[1]))
    if component.distribution == "uniform":
        mistakes += [
            (
                math.sqrt(3.0) * std**2 / gain,
                "variance-as-std",
                "the bound was computed without its square root (b = sqrt(3) * std = sqrt(3 * variance))",
            ),
            (
                std / math.sqrt(3.0),
                "uniform-bound",
                "the std was used as the bound: U(-b, b) has std b / sqrt(3), so b = sqrt(3) * std",
            ),
            # b^2 / 3 = var solved the wrong way round: b = sqrt(var / 3) = std / sqrt(3), whose draws have std / 3.
            (
                std / 3.0,
                "uniform-bound",
                "the bound was std / sqrt(3) (sqrt(var / 3), or std divided by sqrt(3)), so the draws' std is a "
                "third of the rule's: U(-b, b) has variance b^2 / 3, so b^2 = 3 * var and the bound is sqrt(3 * var) "
                "= sqrt(3) * std, sqrt(3) multiplying the std, not dividing it",
            ),
            (
                2.0 * std,
                "uniform-bound",
                "the bound is twice the right one, sqrt(12) * std where sqrt(3) * std belongs: (b - a)^2 / 12 is the "
                "variance of U(a, b) for the width b - a, which is 2b for U(-b, b), so U(-b, b) has variance b^2 / 3 "
                "and b = sqrt(3) * std",
            ),
            (
                std / math.sqrt(2.0),
                "uniform-bound",
                "the bound is sqrt(2) too small: sqrt(3) where sqrt(6) belongs (Xavier's b = gain * sqrt(6 / "
                "(fan_in + fan_out)) = sqrt(3) * std)",
            ),
            # The 2 of a variance (He's 2 / fan, a factor sqrt(2)) written where the uniform's 3 belongs: b = sqrt(2)
            # * std, whose draws have sqrt(2/3) of the rule's std.
            (
                std * math.sqrt(2.0 / 3.0),
                "uniform-bound",
                "the bound was sqrt(2) * std (a 2 where the uniform's 3 belongs, as in sqrt(2 / fan) for sqrt(3 / "
                "fan)), so the draws' std is sqrt(2/3) of the rule's: a uniform U(-b, b) has variance b^2 / 3, so "
                "b = sqrt(3 * variance) = sqrt(3) * std",
            ),
            # A bound sqrt(6) * std and a std whose 2 is counted twice (2 / ((fan_in + fan_out) / 2),
            # gain * sqrt(2 / fan) with ReLU's sqrt(2) already in the gain) draw the same law for every
            # argument: no probe tells them apart, so the sentence names the class and both places.
            (
                std * math.sqrt(2.0),
                "formula-constant",
                "a factor 2 too many in the variance: either the bound is sqrt(6) * std where sqrt(3) * std "
                "belongs, or the std already holds its 2 and gets it again (Xavier's std is gain * sqrt(2 / "
                "(fan_in + fan_out)), not 2 over the average fan; Kaiming's is gain / sqrt(fan), the gain already "
                "holding ReLU's sqrt(2))",
            ),
        ]
    else:
        mistakes += [
            (
                std * math.sqrt(3.0),
                "uniform-normal-confused",
                "the uniform bound sqrt(3) * std was used as the normal's standard deviation",
            ),
            # A 2 lost or gained in the std (each rule's slips that give it): claimed only where the draw is a unit
            # normal of the generator, scaled (:func:`_factor_two_read`).
            *((std * math.sqrt(2.0) ** power, tag, cause) for power, (tag, cause) in _TWO_IN_THE_STD[component.rule]),
            # Simulated: Keras's correction for a normal truncated at two standard deviations (the cut tails leave
            # 0.8796 of the spread, so its he_normal / glorot_normal divide the std by it) kept on a whole normal.
            (
                std / _TRUNCATION_CORRECTION,
                "truncated-normal",
                f"the std was divided by {_TRUNCATION_CORRECTION:.8g}, the correction Keras applies to a normal "
                "truncated at two standard deviations (the cut tails shrink its spread by that factor), but the draw "
                f"here is the whole normal, tails included, so the weights are {1 / _TRUNCATION_CORRECTION:.4g} times "
                "too spread out; the correction belongs to a truncated draw only: N(0, std^2) takes the std as it is",
            ),
        ]
    # A "mistake" that gives the right value here (relu's gain is leaky_relu's at a = 0) is none.
    return Rule(
        std,
        formula,
        tuple(m for m in mistakes if keep or not math.isclose(m[0], std, rel_tol=settings.SAME_VALUE_RTOL)),
        tuple(m for m in fine if keep or not math.isclose(m[0], std, rel_tol=settings.SAME_VALUE_RTOL)),
    )


def _one_gain_for_every_nonlinearity(
    gain_of: Callable[..., float], nonlinearity: str, a: float, fan: int
) -> list[tuple[float, str, str]]:
    """Simulated: a Kaiming gain that does not follow the nonlinearity: He et al.'s leaky ReLU gain
    sqrt(2 / (1 + a^2)) for every nonlinearity (their formula ported as it stands, or calculate_gain('leaky_relu',
    a)), ReLU's sqrt(2) whatever nonlinearity and a say, or ReLU's sqrt(2) only where a = 0 is taken as "no slope
    given". The three give the same std at a = 0; the probes part them: a leaky slope a != 0 (right but for ReLU's
    always) and a slope given to another nonlinearity (right only where a zero slope alone was read as unset).

    Each sentence is in every rule, its std the right one where it makes no difference (a = 0 for leaky_relu, a
    nonzero slope for the zero read as unset), so that a probe's right draw confirms it by its own sentence."""
    gain = float(gain_of(nonlinearity, a))
    relu = math.sqrt(2.0)
    right = f"calculate_gain({nonlinearity!r}, a) gives {gain:.4g}"
    return [
        (
            float(gain_of("leaky_relu", a)) / math.sqrt(fan),
            "nonlinearity-ignored",
            "the gain of leaky_relu, sqrt(2 / (1 + a^2)) (He et al.'s formula: Var(W) = 2 / ((1 + a^2) * fan)), was "
            f"used whatever the nonlinearity: it is the rectifiers' gain only; {right}, and "
            "calculate_gain(nonlinearity, a) gives each nonlinearity its own",
        ),
        (
            relu / math.sqrt(fan),
            "nonlinearity-ignored",
            f"ReLU's gain sqrt(2) was used whatever nonlinearity and a say; {right}",
        ),
        (
            relu / math.sqrt(fan) if a == 0 else gain / math.sqrt(fan),
            "zero-taken-as-unset",
            "the slope a = 0 was taken as 'no slope given' (a test such as `if a:` or `a or ...`, and 0 is falsy), so "
            f"ReLU's gain sqrt(2) stood in whatever the nonlinearity, while a slope a != 0 draws right; {right}: 0 is "
            "the default slope, not a missing one, so call calculate_gain(nonlinearity, a) whatever a is (only None "
            "means an argument not given: test `a is None`)",
        ),
    ]


def _rounded_roots(gain: float, fan: int) -> list[tuple[float, str, str]]:
    """Simulated: Kaiming's sqrt(fan) rounded to a whole number, down (math.isqrt(fan), int(math.sqrt(fan))) or to
    the nearest (round(math.sqrt(fan))); no difference for a perfect square."""
    root = math.sqrt(fan)
    rounded = [(math.isqrt(fan), "rounded down to a whole number, math.isqrt(fan) (or int(math.sqrt(fan)))")]
    rounded.append((round(root), "rounded to the nearest whole number, round(math.sqrt(fan))"))
    return [
        (
            gain / whole,
            "rounded-values",
            f"the square root of the fan was {how} = {whole} where sqrt(fan) = {root:.6g}: the std is "
            "gain / sqrt(fan), and the root of a fan that is not a perfect square has a fraction; use math.sqrt(fan) "
            "or fan ** 0.5",
        )
        for whole, how in rounded
        if whole > 0
    ]


def leaky_gain_slips(a: float) -> list[tuple[float, str]]:
    """The leaky ReLU gain sqrt(2 / (1 + a^2)) typed with its grouping wrong, ``(gain, why)`` for slope ``a``:
    the square stretched over 1 + a, or the parentheses around 1 + a^2 left out."""
    right = "sqrt(2 / (1 + a ** 2))"
    return [
        (
            math.sqrt(2.0) / (1.0 + a),
            f"the leaky ReLU gain was computed as sqrt(2 / (1 + a) ** 2) = sqrt(2) / (1 + a): the parentheses put "
            f"the square over 1 + a, where the slope alone is squared, {right} (** binds tighter than +, so "
            f"1 + a ** 2 needs none); the two agree only at a = 0, and at a={a:.4g} the gain is "
            f"{math.sqrt(2.0) / (1.0 + a):.4g} instead of {math.sqrt(2.0 / (1.0 + a * a)):.4g}",
        ),
        (
            math.sqrt(2.0 + a * a),
            f"the leaky ReLU gain was computed as sqrt(2 / 1 + a ** 2) = sqrt(2 + a^2): without the parentheses "
            f"around 1 + a ** 2, / binds before + (operator precedence); the gain is {right}",
        ),
    ]


def _describe(component: Component, shape: tuple[int, ...], kwargs: dict[str, Any]) -> str:
    extra = "".join(f", {k}={v:.4g}" if isinstance(v, float) else f", {k}={v!r}" for k, v in kwargs.items())
    return f"{component.class_name}({shape}{extra}, rng=a Generator)"


def _kurtosis(distribution: str) -> float:
    return 1.8 if distribution == "uniform" else 3.0


def _tolerance(component: Component, n: int) -> float:
    """How far (relatively) the std of n draws may stray from the rule's: INIT_SIGMAS standard errors."""
    return settings.INIT_SIGMAS * math.sqrt((_kurtosis(component.distribution) - 1.0) / (4.0 * n))


def _factor_words(
    ratio: float, tolerance: float, component: Component, shape: tuple[int, ...], kwargs: dict[str, Any]
) -> str:
    """``": sqrt(3), ..."``: the factors of this case the ratio of the stds equals (an observation)."""
    fan_in, fan_out = reference_class(f"{component.module}.fan_in_and_fan_out")(shape)
    named = [
        (math.sqrt(3.0), "sqrt(3), a uniform's bound over its std"),
        (math.sqrt(2.0), "sqrt(2): a variance twice the right one"),
        (1 / math.sqrt(2.0), "1/sqrt(2): a variance half the right one"),
        (1 / math.sqrt(3.0), "1/sqrt(3), a uniform's std over its bound"),
        (math.sqrt(fan_out / fan_in), f"sqrt(fan_out / fan_in) = sqrt({fan_out} / {fan_in})"),
        (math.sqrt(fan_in / fan_out), f"sqrt(fan_in / fan_out) = sqrt({fan_in} / {fan_out})"),
    ]
    field = math.prod(shape[2:])
    if field > 1:
        named += [(math.sqrt(field), f"sqrt({field}), the kernel's area"), (1 / math.sqrt(field), f"1/sqrt({field})")]
    gain = _gain(component, kwargs)
    if not math.isclose(gain, 1.0):
        named += [(1 / gain, f"1/gain = 1/{gain:.4g}"), (gain, f"the gain {gain:.4g}")]
    if component.rule == "kaiming" and not math.isclose(gain, math.sqrt(2.0)):
        named.append((math.sqrt(2.0) / gain, f"sqrt(2)/gain = sqrt(2)/{gain:.4g}: ReLU's gain where this one belongs"))
    fitting = [words for value, words in named if abs(ratio / value - 1.0) <= tolerance]
    return f": {'; also '.join(fitting)}" if fitting else ""


def _gain(component: Component, kwargs: dict[str, Any]) -> float:
    if component.rule == "xavier":
        return float(kwargs.get("gain", 1.0))
    gain_of = reference_class(f"{component.module}.calculate_gain")
    return float(gain_of(kwargs.get("nonlinearity", "leaky_relu"), kwargs.get("a", 0.0)))


def _probes(component: Component, kwargs: dict[str, Any]) -> list[dict[str, Any]]:
    """Arguments that tell apart mistakes which give the same std for ``kwargs``: the other mode,
    another slope, another nonlinearity, another gain."""
    if component.rule == "xavier":
        return [{**kwargs, "gain": 0.5 if kwargs.get("gain", 1.0) == 2.0 else 2.0}]
    mode = kwargs.get("mode", "fan_in")
    nonlinearity = kwargs.get("nonlinearity", "leaky_relu")
    probes = [{**kwargs, "mode": "fan_out" if mode == "fan_in" else "fan_in"}]
    if "mode" not in kwargs:  # the default spelt out: a default changed draws it right, a mode ignored does not
        probes.append({**kwargs, "mode": mode})
    if nonlinearity == "leaky_relu":
        probes.append({**kwargs, "a": 1.0 if kwargs.get("a", 0.0) == 0.0 else 0.0})
    else:  # a slope the nonlinearity ignores: the gain must not change (a zero slope read as unset changes it)
        probes.append({**kwargs, "a": 0.5 if kwargs.get("a", 0.0) == 0.0 else 0.0})
    probes.append({**kwargs, "nonlinearity": "relu" if nonlinearity == "tanh" else "tanh"})
    return probes


def _narrowed(
    causes: dict[str, str],
    component: Component,
    shape: tuple[int, ...],
    kwargs: dict[str, Any],
    probe: Callable[[dict[str, Any]], Any],
    elsewhere: Callable[[tuple[int, ...], dict[str, Any]], Any] | None = None,
) -> dict[str, str]:
    """The candidate mistakes (``{cause: tag}``) that every probe draw (other arguments, and with ``elsewhere``
    other shapes) agrees with: a mistake fits a probe when it predicts the std drawn, or when the
    draw is right and the mistake makes no difference for those arguments. A lone candidate is
    confirmed the same way: a std that one mistake happens to give for these arguments (gain 0.5
    under a root is a factor sqrt(2); a kernel whose fan_out is twice its fan_in makes
    1 / (fan_in + fan_out / 2) look like 1 / fan_out) is no evidence of it when another draw
    contradicts it."""
    draws = [(shape, other, lambda other=other: probe(other)) for other in _probes(component, kwargs)]
    if elsewhere is not None:
        draws += [(s, o, lambda s=s, o=o: elsewhere(s, o)) for s, o in _FORMULA_PROBES[component.rule]]
    for where, other, draw in draws:
        try:
            got = draw()
        except StudentError as error:  # a probe the submission raised on is no evidence either way
            if isinstance(error, (StudentTimeout, StudentCrash)):
                raise
            continue
        if not isinstance(got, np.ndarray) or got.shape != where or not np.isfinite(got).all():
            continue
        std, rule = float(got.std()), _rule(component, where, other, keep=True)
        tolerance = _tolerance(component, got.size)
        right = abs(std / rule.std - 1.0) <= tolerance
        causes = {cause: tag for cause, tag in causes.items() if _fits_probe(tag, cause, rule, std, tolerance, right)}
        if not causes:
            break
    return causes


def _fits_probe(tag: str, cause: str, rule: Rule, std: float, tolerance: float, right: bool) -> bool:
    """Does the mistake ``(tag, cause)`` predict a probe's std under the probe's ``rule``? It is the
    probe's mistake of the same sentence (up to the numbers), or of the same tag when no sentence
    matches (the words of some depend on the mode); a mistake the probe's arguments leave out is
    consistent with a right draw."""
    stem = _stem(cause)
    same = [value for value, t, text in rule.mistakes if t == tag and _stem(text) == stem]
    same = same or [value for value, t, _ in rule.mistakes if t == tag]
    if not same:
        return right
    return any(abs(std / value - 1.0) <= tolerance for value in same)


def _stem(text: str) -> str:
    """A mistake's sentence without its numbers: the same mistake under other arguments."""
    # (the nonlinearity named in calculate_gain's call is an argument too: a probe with another one is the same mistake)
    return re.sub(r"\d+(\.\d+)?", "#", re.sub(r"calculate_gain\('[^']*'", "calculate_gain(#", text))


def _draw_call_slip(component: Component, std: float, mean: float, spread: float, n: int) -> str:
    """The draw call whose mean and spread this draw has (both reproduced, so "is"), when the
    numbers were handed to rng.normal or rng.uniform in the wrong places; else ""."""
    bound = math.sqrt(3.0) * std
    uniform = math.sqrt(12.0)  # U(lo, hi) has std (hi - lo) / sqrt(12)
    if component.distribution == "normal":
        calls = [
            (
                std,
                0.0,
                "rng.normal(std, 0.0, ...): the arguments are in the wrong order. rng.normal(loc, scale, size) takes "
                "the mean first and the standard deviation second, so every entry equals std; call "
                "rng.normal(0.0, std, size=shape)",
            ),
            (
                std,
                1.0,
                "rng.normal(std, size=shape): std went into the first argument, loc (the mean), and the standard "
                "deviation kept its default 1; pass both, rng.normal(0.0, std, size=shape)",
            ),
            (
                std,
                std,
                "rng.normal(std, std, ...): the mean (loc, the first argument) is std too; it is 0",
            ),
        ]
    else:
        calls = [
            (
                bound / 2,
                bound / uniform,
                "U(0, b): b * rng.random(shape) or rng.uniform(0, b) draws only positive weights; U(-b, b) is "
                "rng.uniform(-b, b, size=shape) (or b * (2 * rng.random(shape) - 1))",
            ),
            (
                -bound / 2,
                bound / uniform,
                "U(-b, 0): the draw was shifted by b, not stretched to 2b; U(-b, b) is rng.uniform(-b, b, size=shape) "
                "(or b * (2 * rng.random(shape) - 1))",
            ),
            (
                (bound + 1.0) / 2,
                abs(1.0 - bound) / uniform,
                "rng.uniform(b, size=shape): b went into the first argument, low, and high kept its default 1, so the "
                "draw is U(b, 1); pass both, rng.uniform(-b, b, size=shape)",
            ),
            (
                (1.0 - bound) / 2,
                (1.0 + bound) / uniform,
                "rng.uniform(-b, size=shape): high kept its default 1, so the draw is U(-b, 1); pass both, "
                "rng.uniform(-b, b, size=shape)",
            ),
        ]
    tolerance = _tolerance(component, n)
    fitting = []
    for want_mean, want_spread, slip in calls:
        if want_spread == 0.0:  # a constant: exact up to round-off
            same = spread <= settings.NEGLIGIBLE_SHARE * abs(want_mean) and math.isclose(
                mean, want_mean, rel_tol=settings.SAME_VALUE_RTOL
            )
        else:
            near = abs(mean - want_mean) <= settings.INIT_SIGMAS * want_spread / math.sqrt(n)
            same = near and abs(spread / want_spread - 1.0) <= tolerance
        if same:
            fitting.append(slip)
    return fitting[0] if len(fitting) == 1 else ""


# A draw without size= is one number, whatever the shape asked for.
_ONE_NUMBER = (
    "one number, not an array: rng.uniform(-b, b) or rng.normal(0, std) without size=shape draws a single "
    "float; pass size=shape to draw the whole array"
)


def _one_number(got: Any) -> bool:
    return isinstance(got, (float, np.floating)) or (isinstance(got, np.ndarray) and got.ndim == 0)


def _reversed(got: Any, shape: tuple[int, ...]) -> str:
    """The words for an array whose shape is the one asked for, reversed (Keras' (in, out) kernel layout, or a
    transpose): "" for any other result."""
    if not isinstance(got, np.ndarray) or tuple(shape) == tuple(shape)[::-1] or got.shape != tuple(shape)[::-1]:
        return ""
    return (
        f": the shape asked for, reversed (shape[::-1], or a .T: the (in, out) kernel layout of Keras and x @ W). "
        f"The weight is returned in the given shape {tuple(shape)}, PyTorch's (out, in, ...): draw with size=shape"
    )


def _merged_axes(got_shape: tuple[int, ...], shape: tuple[int, ...]) -> list[tuple[int, ...]] | None:
    """The groups of consecutive axes of ``shape`` whose sizes multiply to each axis of ``got_shape`` (a
    reshape that merged them, or a draw of that size), or None when no such grouping gives ``got_shape``."""
    groups: list[tuple[int, ...]] = []
    axis = 0
    for size in got_shape:
        group = [axis] if axis < len(shape) else []
        while axis < len(shape) and math.prod(shape[a] for a in group) < size:
            axis += 1
            group.append(axis)
        if axis >= len(shape) or math.prod(shape[a] for a in group) != size:
            return None
        axis += 1
        while axis < len(shape) and shape[axis] == 1:  # a trailing axis of 1 joins any group
            group.append(axis)
            axis += 1
        groups.append(tuple(group))
    return groups if axis == len(shape) else None


def _flattened(got: Any, shape: tuple[int, ...]) -> str:
    """The words for a draw of the right number of entries with some of the shape's axes merged into one (a
    kernel drawn as the (out, in * kH * kW) matrix of a dense layer, or as a flat vector), "" otherwise."""
    shape = tuple(shape)
    if not isinstance(got, np.ndarray) or got.ndim >= len(shape) or got.size != math.prod(shape):
        return ""
    groups = _merged_axes(got.shape, shape)
    if groups is None:
        return ""
    merged = [g for g in groups if len([a for a in g if shape[a] != 1]) > 1]
    if not merged:
        return ""
    if len(groups) == 1:
        drawn = f"a flat vector of all {got.size} entries"
    elif groups[0] == (0,) and len(groups) == 2:
        drawn = (
            f"a matrix with one row per output unit, (shape[0], prod(shape[1:])) = {got.shape}, as for a dense "
            "layer's weight"
        )
    else:
        axes = " and ".join("(" + ", ".join(f"shape[{a}]" for a in g) + ")" for g in merged)
        drawn = f"an array of shape {got.shape}, the axes {axes} {'each ' if len(merged) > 1 else ''}merged into one"
    return (
        f": the {got.size} entries the shape asks for, drawn as {drawn}; the weight was flattened and never "
        f"reshaped. An initialiser returns the weight in the shape it is given, here {shape} (PyTorch's "
        "(out, in, *kernel)): draw with size=shape, or reshape the draw to shape"
    )


# Simulated: the scale formulas with // in place of / give 0 for every real layer (2 // (fan_in + fan_out),
# 1 // fan, 6 // (fan_in + fan_out)), and a draw of scale 0 is all zeros.
_ZERO_SCALE = (
    "Likely cause: integer division in the scale formula: in Python, 2 // (fan_in + fan_out) (or 1 // fan) is "
    "0 for any layer with more than two units, so std = gain * sqrt(0) = 0; divide with /, 2.0 / (fan_in + fan_out)"
)


def _constant_axes(got: np.ndarray) -> list[int]:
    """The axes (of length > 1) along which every entry equals its neighbour's at index 0: a draw broadcast or
    repeated over them. Independent draws from a continuous law are never equal, so one such axis is certain."""
    return [
        axis
        for axis in range(got.ndim)
        if got.shape[axis] > 1 and np.array_equal(got, np.broadcast_to(got.take([0], axis=axis), got.shape))
    ]


def _zero_gain(component: Component, kwargs: dict[str, Any], probe: Callable[[dict[str, Any]], Any] | None) -> str:
    """Simulated: a Kaiming gain that is a ratio of whole numbers below 1 (SELU's 3/4) typed with floor division is
    0, and so is every weight. Confirmed by drawing the same call with ReLU's gain: a draw with spread there puts the
    0 in the gain, not in the scale formula. "" when it does not apply or the probe does not confirm it."""
    nonlinearity = kwargs.get("nonlinearity")
    ratio = _RATIO_GAINS.get(nonlinearity) if component.rule == "kaiming" else None
    if ratio is None or ratio[0] // ratio[1] != 0 or probe is None:
        return ""
    other = probe({**kwargs, "nonlinearity": "relu"})
    if not (isinstance(other, np.ndarray) and other.size > 1 and np.isfinite(other).all() and float(other.std()) > 0):
        return ""
    return (
        f"the same call with nonlinearity='relu' draws weights with spread, so the gain of {nonlinearity!r} came out "
        f"as 0: calculate_gain({nonlinearity!r}) is {ratio[0]}/{ratio[1]} = {ratio[0] / ratio[1]:.4g}, and written "
        f"with floor division, {ratio[0]} // {ratio[1]} = 0 (or int({ratio[0]} / {ratio[1]})), it drops the fraction; "
        "write the ratio with true division /"
    )


def _judge_draw(
    component: Component,
    shape: tuple[int, ...],
    kwargs: dict[str, Any],
    got: Any,
    probe: Callable[[dict[str, Any]], Any] | None = None,
    elsewhere: Callable[[tuple[int, ...], dict[str, Any]], Any] | None = None,
    seed: int | None = None,
) -> Problem:
    """Judge one draw by its statistics; None when it is a plausible draw of the right law.
    ``probe(other_kwargs)`` draws again with other arguments, to tell apart two mistakes that give
    the same std here (only then called); ``elsewhere(shape, kwargs)`` draws for other shapes, to
    confirm a mistyped formula (:mod:`.init_formulas`) that no known mistake explains; ``seed``, the
    seed of the generator ``got`` was drawn with, replays its unit normal draws (:func:`_factor_two_read`)."""
    call = _describe(component, shape, kwargs)
    if not isinstance(got, np.ndarray) or got.shape != shape:
        if _one_number(got):
            return f"{call} returned {describe_kind(got)}; {_ONE_NUMBER}", "size-not-passed"
        if _reversed(got, shape):
            return f"{call} returned {describe_kind(got)}{_reversed(got, shape)}", "transposed-shape"
        if _flattened(got, shape):
            return f"{call} returned {describe_kind(got)}{_flattened(got, shape)}", "drawn-flattened"
        return (
            f"{call} returned {describe_kind(got)}; expected a new array of shape {shape}",
            "returned-none" if got is None else "wrong-shape",
        )
    if got.dtype != np.float64:
        return f"{call} returned an array of dtype {got.dtype}; weights are float64", "dtype"
    if not np.isfinite(got).all():
        return f"{call} returned nan or inf entries", "not-finite"
    rule = _rule(component, shape, kwargs)
    n = got.size
    mean, std = float(got.mean()), float(got.std())
    # (a constant array repeats along every axis: that is no draw at all, a scale of 0 or loc and scale swapped)
    repeated = _constant_axes(got) if np.ptp(got) > 0.0 else []
    if repeated:
        axes = " and ".join(f"axis {axis} (length {shape[axis]})" for axis in repeated)
        return (
            f"{call}: the entries repeat along {axes}: every entry equals the one at index 0 of "
            f"{'those axes' if len(repeated) > 1 else 'that axis'}, which independent draws from a continuous law "
            "never do; a draw of fewer entries was broadcast or repeated to the shape (a draw of size shape[:2] "
            "broadcast over the kernel, np.broadcast_to, np.repeat); draw every entry, size=shape",
            "draw-broadcast",
        )
    spread = max(std, rule.std)
    if abs(mean) > settings.INIT_SIGMAS * spread / math.sqrt(n):
        text = f"{call}: the entries average {fmt(mean)} (their std is {fmt(std)}); an initialiser draws around 0"
        call_slip = _draw_call_slip(component, rule.std, mean, std, n)
        if call_slip:
            return f"{text}. Cause: {call_slip}", "not-centred"
        if component.distribution == "normal":
            return f"{text}: draw from N(0, std^2), rng.normal(0.0, std, size=shape)", "not-centred"
        return (
            f"{text}. U(-b, b) is rng.uniform(-b, b) (or b * (2 * rng.random(shape) - 1)), not b * rng.random(shape), "
            "which is U(0, b)",
            "not-centred",
        )
    if std == 0.0 and mean == 0.0:  # no spread: its tails and its law cannot be judged, only its scale
        zero_gain = _zero_gain(component, kwargs, probe)
        if zero_gain:
            return f"{call}: every entry is 0, a draw of scale 0. Cause: {zero_gain}", "integer-division"
        return f"{call}: every entry is 0, a draw of scale 0. {_ZERO_SCALE}", "rounded-values"
    if n > 1 and abs(mean) < settings.INIT_RECENTRED_SEM * spread / math.sqrt(n):
        return (
            f"{call}: the entries average {fmt(mean)}, 0 to round-off, where {n} independent draws average about "
            f"std / sqrt(n) = {fmt(spread / math.sqrt(n))} away from 0: the sample looks shifted by its own mean "
            "(w -= w.mean(), 'make the mean exactly 0'), so its entries are no longer independent draws of the law "
            "(N(0, std^2) or U(-b, b)); return the generator's draw as it is: its mean is near 0, not exactly 0",
            "sample-recentred",
        )
    tail = float(np.mean(np.abs(got - mean) > math.sqrt(3.0) * std))
    if component.distribution == "uniform" and tail > settings.INIT_TAIL_FRACTION:
        return (
            f"{call}: {tail:.1%} of the entries lie beyond sqrt(3) standard deviations, where a uniform draw has "
            f"none (a normal one has {settings.INIT_NORMAL_TAIL:.1%}): draw from U(-b, b) with rng.uniform, not "
            "from a normal distribution",
            "uniform-normal-confused",
        )
    if component.distribution == "normal" and tail < settings.INIT_TAIL_FRACTION:
        return (
            f"{call}: only {tail:.1%} of the entries lie beyond sqrt(3) standard deviations, where a normal draw "
            f"has {settings.INIT_NORMAL_TAIL:.1%} (a uniform one none): draw from N(0, std^2), "
            "rng.normal(0, std, shape) or std * rng.standard_normal(shape), not from a uniform distribution",
            "uniform-normal-confused",
        )
    truncated = _truncated(component, got, mean, std)
    if truncated:
        return f"{call}: {truncated}", "truncated-normal"
    tolerance = _tolerance(component, n)
    if abs(std / rule.std - 1.0) > tolerance:
        ratio = std / rule.std
        text = (
            f"{call}: the entries' standard deviation is {fmt(std)}; expected {fmt(rule.std)} = {rule.formula} "
            f"(yours is {ratio:.3g} times that{_factor_words(ratio, tolerance, component, shape, kwargs)})"
        )
        # every sentence that fits, in the order tried: a mistake said two ways (one fan or both) is probed each way
        causes = {cause: tag for value, tag, cause in rule.mistakes if abs(std / value - 1.0) <= tolerance}
        if causes and probe is not None:
            causes = _narrowed(causes, component, shape, kwargs, probe, elsewhere)
        if len(set(causes.values())) == 1:
            cause, tag = next(iter(causes.items()))
            if cause in _FACTOR_TWO and component.distribution == "normal":
                value = next(v for v, _, words in rule.mistakes if words == cause)
                read = _factor_two_read(rule, got, shape, seed, (value, tag, cause))
                return f"{text}. {read[0]}", read[1]
            return f"{text}. Cause: {cause}", tag
        read = _factor_two_read(rule, got, shape, seed) if not causes and component.distribution == "normal" else None
        if read is not None:
            return f"{text}. {read[0]}", read[1]
        half = _half_width_draw(component, shape, kwargs, got, elsewhere) if not causes else ""
        if half:
            return f"{text}. Cause: {half}", "uniform-bound"
        typed = _typed_formula(component, shape, kwargs, std, tolerance, elsewhere) if not causes else None
        if typed is not None:
            formula, names = typed
            if formula.claim:
                return f"{text}. Cause: {formula.sentence(names)}", formula.claim
            return f"{text}. Observed: {formula.sentence(names)}{_half_width(component, ratio, tolerance)}", "std"
        near = [cause for value, _, cause in rule.fine if abs(std / value - 1.0) <= tolerance] if not causes else []
        if near:  # a std this near the rule's fits many causes: said, not claimed (the small shapes' row tells)
            return f"{text}. Observed: this is the std when {near[0]}", "std"
        return f"{text}{_half_width(component, ratio, tolerance)}", "std"
    if component.distribution == "uniform":
        bound = math.sqrt(3.0) * rule.std
        largest = float(np.max(np.abs(got)))
        if largest > bound * (1.0 + settings.INIT_BOUND_RTOL):
            text = f"{call}: an entry of size {fmt(largest)} lies beyond the bound b = sqrt(3) * std = {fmt(bound)}"
            reached = _bound_reached(rule, largest, n)
            if reached is not None:
                return (
                    f"{text}, and the largest entry is as near another bound as {n} draws come. Cause: {reached[0]}",
                    reached[1],
                )
            return text, "uniform-bound"
        if largest < bound * (1.0 - settings.INIT_BOUND_REACH / n):
            return (
                f"{call}: the largest entry has size {fmt(largest)}; {n} draws from U(-b, b) with b = {fmt(bound)} "
                "come much closer to b",
                "uniform-bound",
            )
    return None


# A Box-Muller unit normal made by hand, in words: {} is its radius and angle as the replay found them.
_BOX_MULLER = "Box-Muller normals made by hand from the generator's uniforms, {}"


def _unit_normals(shape: tuple[int, ...], seed: int) -> Iterator[tuple[str, str, np.ndarray]]:
    """Replayed: the unit normal draws a normal initialiser may make from a generator of ``seed``, as ``(words,
    the same written without the radius's 2, draws)``. First the generator's own (rng.normal(0.0, std, size=shape) is
    std times rng.standard_normal(shape), entry by entry; "" for the second), then Box-Muller's made by hand from two
    uniform draws of the shape in turn, u1 and u2 (rng.random and rng.uniform draw one stream): either one gives the
    radius, u or 1 - u under the log, with cos or sin."""
    own = doubles.generator(seed).standard_normal(shape)
    yield "the generator's own normal draws, rng.standard_normal(shape)", "", own
    generator = doubles.generator(seed)
    uniforms = (generator.random(shape), generator.random(shape))
    for radius, angle in ((0, 1), (1, 0)):
        for inside, u in ((f"u{radius + 1}", uniforms[radius]), (f"1 - u{radius + 1}", 1.0 - uniforms[radius])):
            for trig in ("cos", "sin"):
                with np.errstate(divide="ignore", invalid="ignore"):
                    unit = np.sqrt(-2.0 * np.log(u)) * getattr(np, trig)(2.0 * np.pi * uniforms[angle])
                written = f"sqrt({{}}log({inside})) * {trig}(2 pi u{angle + 1})"
                yield _BOX_MULLER.format(written.format("-2 ")), written.format("-"), unit


def _unit_normal(got: np.ndarray, shape: tuple[int, ...], seed: int) -> tuple[str, str, float] | None:
    """``(words, written without the 2, k)`` for the first unit normal of :func:`_unit_normals` that ``got`` is k
    times, entry by entry (k up to its sign: a unit normal negated is one too); None when it is none of them (a
    normal drawn another way, or a generator used in another order)."""
    for words, without_two, unit in _unit_normals(shape, seed):
        k = constant_factor(got, unit) if np.isfinite(unit).all() else None
        if k:
            return words, without_two, abs(k)
    return None


def _factor_two_read(
    rule: Rule,
    got: np.ndarray,
    shape: tuple[int, ...],
    seed: int | None,
    slip: tuple[float, str, str] | None = None,
) -> tuple[str, str] | None:
    """Where the factor of a normal draw whose std a 2 lost or gained in it explains (``slip``: value, tag, sentence)
    sits, read from the draw itself: ``("Cause: ...", tag)`` or ``("Observed: ...", "std")``.

    A std sqrt(2) or 1/sqrt(2) times the rule's whatever the arguments is what the std's slips give, and also what a
    normal drawn by hand whose own variance is 2 or 1/2 gives (Box-Muller's radius sqrt(-2 log u1) without its 2):
    the statistics cannot tell them. The draw can: replayed from the generator's seed, a draw that is one unit normal
    times k, entry by entry, has its factor in k, the scale, and k pins it far closer than a std. A hand-made
    Box-Muller times std / sqrt(2) is the one case the numbers leave open: its radius without the 2 and the rule's
    std, or a right radius and a std that lost a factor sqrt(2), give the very same weights, and both are a 2
    missing (said both ways). Without ``slip`` only that case is told (None otherwise)."""
    unit = _unit_normal(got, shape, seed) if seed is not None else None
    if unit is None:
        if slip is None:
            return None
        return (
            f"Observed: the std is what this slip gives: {slip[2]}; but so does a normal drawn by hand whose own "
            f"variance is {(slip[0] / rule.std) ** 2:.3g} (Box-Muller's radius with another constant than sqrt(-2 "
            "log u1): without its 2 the variance is 1/2), and the weights are no unit normal of the generator times "
            "one number (neither its rng.standard_normal draws nor Box-Muller's of its uniforms), which would put the "
            "factor in the scale, so no draw tells which",
            "std",
        )
    words, without_two, k = unit
    factor = k / rule.std
    drawn = f"the weights are {fmt(k)} * {words}, entry by entry"
    if without_two and math.isclose(factor, 1.0 / math.sqrt(2.0), rel_tol=settings.SIMULATION_RTOL):
        std_slip = f" ({slip[2]})" if slip is not None else ""
        return (
            f"Cause: {drawn}, and {fmt(k)} is the rule's std / sqrt(2): a 2 is missing, either from Box-Muller's "
            f"radius, the rule's std * {without_two} (the radius is sqrt(-2 log u); without the 2 the draws have "
            f"variance 1/2), or from the std, with the radius right{std_slip}; the two give the very same weights",
            "formula-constant",
        )
    if slip is None:
        return None
    if not math.isclose(factor, slip[0] / rule.std, rel_tol=settings.SIMULATION_RTOL):
        return (
            f"Observed: {drawn}, {factor:.6g} times the rule's std, which is not the factor of this slip: {slip[2]}",
            "std",
        )
    return f"Cause: {slip[2]} ({drawn}: the draw is right, its scale is not)", slip[1]


def _bound_reached(rule: Rule, largest: float, n: int) -> tuple[str, str] | None:
    """Simulated: the known mistake whose bound sqrt(3) * std the largest of ``n`` uniform entries reaches.
    n draws of U(-B, B) come within B * INIT_BOUND_REACH / n of B (all but e^-30 of the time) and never pass it,
    so the largest entry pins the bound far closer than the std can: a std off by 1% (a rounded root) leaves the
    std test within its noise but puts entries past the rule's bound. ``(sentence, tag)`` when the mistakes
    that fit all have one tag."""
    fitting = []
    for value, tag, cause in (*rule.mistakes, *rule.fine):
        bound = math.sqrt(3.0) * value
        if bound * (1.0 - settings.INIT_BOUND_REACH / n) <= largest <= bound * (1.0 + settings.INIT_BOUND_RTOL):
            fitting.append((cause, tag))
    if not fitting or len({tag for _, tag in fitting}) != 1:
        return None
    return fitting[0]


# The uniform's bound b as the notes write it, per rule.
_BOUND_FORMULA = {"xavier": "gain * sqrt(6 / (fan_in + fan_out))", "kaiming": "gain * sqrt(3 / fan)"}


def _spans_half_bound(component: Component, shape: tuple[int, ...], kwargs: dict[str, Any], got: Any) -> bool:
    """Is ``got`` a draw of U(-b/2, b/2), b the rule's bound? Centred, its std half the rule's (within the
    statistics' tolerance), and its largest entry as near b/2 as its n uniform draws come (within
    INIT_BOUND_REACH / n of it, all but e^-30 of the time) without passing it: the range pins the bound far
    closer than the std can."""
    if not isinstance(got, np.ndarray) or got.shape != shape or got.size < 2 or not np.isfinite(got).all():
        return False
    std = _rule(component, shape, kwargs).std / 2.0  # U(-b/2, b/2)'s
    n, largest = got.size, float(np.max(np.abs(got)))
    centred = abs(float(got.mean())) <= settings.INIT_SIGMAS * std / math.sqrt(n)
    spread = abs(float(got.std()) / std - 1.0) <= _tolerance(component, n)
    bound = math.sqrt(3.0) * std  # b/2
    return (
        centred
        and spread
        and bound * (1.0 - settings.INIT_BOUND_REACH / n) <= largest <= bound * (1.0 + settings.INIT_BOUND_RTOL)
    )


def _half_width_draw(
    component: Component,
    shape: tuple[int, ...],
    kwargs: dict[str, Any],
    got: np.ndarray,
    elsewhere: Callable[[tuple[int, ...], dict[str, Any]], Any] | None,
) -> str:
    """Simulated: a uniform draw of half the width of U(-b, b), U(-b/2, b/2), on this case and on the draws of
    other shapes and gains (``_FORMULA_PROBES``): the bound the draws reach is b/2 wherever b is. Which line halved
    it no draw tells (the width b given to a centred draw, or b itself halved), so the sentence says both; the
    bound is what every draw shows. "" unless every draw is one."""
    if component.distribution != "uniform" or elsewhere is None or not _spans_half_bound(component, shape, kwargs, got):
        return ""
    if not all(
        _spans_half_bound(component, other_shape, other, elsewhere(other_shape, other))
        for other_shape, other in _FORMULA_PROBES[component.rule]
    ):
        return ""
    bound = math.sqrt(3.0) * _rule(component, shape, kwargs).std
    return (
        f"the draws are U(-b/2, b/2), half as wide as U(-b, b), with b = {_BOUND_FORMULA[component.rule]} = "
        f"{fmt(bound)}: the largest of the {got.size} entries is {fmt(float(np.max(np.abs(got))))}, as near b/2 = "
        f"{fmt(bound / 2)} as that many uniform draws come, and none passes it; draws of other shapes and gains stop "
        "at their b/2 too. The bound came out as b/2: a centred draw given the width b where U(-b, b) spans 2b, "
        "(rng.random(shape) - 0.5) * b or rng.uniform(-b/2, b/2), draws this, and so does a b halved on the way (its "
        "formula, or the std it is made from, off by a factor 2); U(-b, b) is rng.uniform(-b, b, size=shape) = "
        "(2 * rng.random(shape) - 1) * b"
    )


def _half_width(component: Component, ratio: float, tolerance: float) -> str:
    """A uniform draw half as wide as U(-b, b) is one of two lines that no draw tells apart: a std (or bound)
    formula that halves b, or a draw that spans [-b/2, b/2]; the second said beside the first (no claim), where the
    draws of other shapes and gains do not confirm the half width (``_half_width_draw`` tells it where they do)."""
    if component.distribution != "uniform" or abs(ratio / 0.5 - 1.0) > tolerance:
        return ""
    return (
        ". The draws span [-b/2, b/2], half the width of U(-b, b): besides a formula that halves b, a centred draw "
        "not stretched to its full width gives this, (rng.random(shape) - 0.5) * b, or rng.uniform(-b/2, b/2); "
        "U(-b, b) is (rng.random(shape) - 0.5) * 2 * b = rng.uniform(-b, b, size=shape)"
    )


# Truncation is claimed only when a normal law of the draw's own std (a lower bound of the std before a
# clip, which only shrinks it) would put at least this many entries beyond the largest one: e^-20 by chance.
_TRUNCATION_COUNT = 20.0


def _truncated(component: Component, got: np.ndarray, mean: float, std: float) -> str:
    """A normal draw with no tails: every entry within a few standard deviations where n normal draws
    would have many beyond (np.clip, or a redraw of the far ones, as Keras's truncated normal does);
    "" when the tails are there."""
    if component.distribution != "normal" or std == 0.0:
        return ""
    largest = float(np.max(np.abs(got - mean)))
    beyond = got.size * math.erfc(largest / (std * math.sqrt(2.0)))
    if beyond < _TRUNCATION_COUNT:
        return ""
    piled = int(np.sum(np.isclose(np.abs(got - mean), largest, rtol=settings.EXACT_RTOL, atol=0.0)))
    how = (
        f"{piled} entries sit exactly at +-{fmt(largest)}: the draws were clipped (np.clip) to that bound"
        if piled > 2
        else "the far draws were redrawn or cut off"
    )
    return (
        f"no entry lies beyond {fmt(largest)} = {largest / std:.3g} standard deviations, where about {beyond:.0f} of "
        f"{got.size} normal draws would: the normal was truncated; {how}. Cause: a truncated normal (Keras's "
        "truncated_normal) is another initialiser; xavier_normal and kaiming_normal draw from the whole "
        "N(0, std^2), tails included: rng.normal(0.0, std, size=shape)"
    )


# Other draws a mistyped formula must also reproduce: other fans (a kernel among them) and other
# gains, >= 20 000 entries each, so that formulas that agree on one case part here.
_FORMULA_PROBES = {
    "xavier": (((200, 120), {"gain": 1.7}), ((64, 24, 3, 5), {"gain": 0.6})),
    "kaiming": (((200, 120), {"nonlinearity": "tanh", "mode": "fan_out"}), ((64, 24, 3, 5), {"a": 1.5})),
}


def _names(component: Component, shape: tuple[int, ...], kwargs: dict[str, Any]) -> dict[str, float]:
    """The quantities a scale formula is written in, for this call: gain, fan_in, fan_out, fan, std."""
    fan_in, fan_out = reference_class(f"{component.module}.fan_in_and_fan_out")(shape)
    fan = fan_out if kwargs.get("mode", "fan_in") == "fan_out" else fan_in
    return quantities(component.rule, _gain(component, kwargs), fan_in, fan_out, fan)


def _typed_formula(
    component: Component,
    shape: tuple[int, ...],
    kwargs: dict[str, Any],
    std: float,
    tolerance: float,
    elsewhere: Callable[[tuple[int, ...], dict[str, Any]], Any] | None,
) -> tuple[Formula, dict[str, float]] | None:
    """The one mistyped spelling of the rule (operator precedence, the root's scope, an operator)
    whose std this draw and every probe draw reproduce, with this case's quantities; else None."""
    names = _names(component, shape, kwargs)
    candidates = fitting(formulas(component.rule, component.distribution), [(names, std, tolerance)])
    if not candidates or elsewhere is None:
        return None
    draws = []
    for other_shape, other in _FORMULA_PROBES[component.rule]:
        got = elsewhere(other_shape, other)
        if isinstance(got, np.ndarray) and got.shape == other_shape and np.isfinite(got).all():
            draws.append((_names(component, other_shape, other), float(got.std()), _tolerance(component, got.size)))
    candidates = fitting(candidates, draws)
    if len(draws) < len(_FORMULA_PROBES[component.rule]) or not candidates:
        return None  # a probe that fails otherwise, or no formula fits every draw
    if len(candidates) > 1 and (len({f.claim for f in candidates}) > 1 or not candidates[0].claim):
        return None  # formulas of two classes (or none claimable) fit: no claim
    first = candidates[0]  # several typings of one class: the first said, the next beside it
    if len(candidates) > 1:
        first = replace(first, why=f"{first.why}; `{candidates[1].typed}`, the same slip, gives nearly these numbers")
    return first, names


def _draw(ctx: Context, shape: tuple[int, ...], kwargs: dict[str, Any], seed: int | None) -> Any:
    """The initialiser's result, with a correct fan_in_and_fan_out in its module; ``seed``
    None calls it without an rng."""
    with correct_helpers(ctx):
        extra = {} if seed is None else {"rng": ctx.session.harness("generator", seed)}
        try:
            return ctx.session.call(ctx.component.name, None, shape, **kwargs, **extra)
        except StudentError as error:
            if error.diagnosis is None:
                error.diagnosis = _gain_arguments_crash(error, ctx.component, kwargs)
            raise


def _gain_arguments_crash(error: StudentError, component: Component, kwargs: dict[str, Any]) -> Diagnosis | None:
    """calculate_gain raised on a value that is another argument of the call (mode, or the
    nonlinearity) where the slope a belongs, or the slope where the nonlinearity's name belongs:
    the message quotes it."""
    if "in calculate_gain" not in error.where:
        return None
    given = dict(component.signature) | kwargs
    mode, nonlinearity, slope = given.get("mode"), given.get("nonlinearity"), given.get("a")
    if isinstance(mode, str) and repr(mode) in error.message:
        what = f"mode ({mode!r}), which it does not take"
    elif isinstance(nonlinearity, str) and repr(nonlinearity) in error.message and "slope" in error.message:
        what = f"the nonlinearity ({nonlinearity!r}) as the slope"
    elif _quotes_number(error.message, slope) and "nonlinearity" in error.message.lower():
        # The slope's own value where a name was wanted: the arguments were given in the wrong order.
        what = f"the slope a ({slope!r}) where the nonlinearity's name belongs (positional arguments swapped)"
    else:
        return _known_name_rejected(error, component, nonlinearity)
    return Diagnosis(
        "gain-arguments",
        f"calculate_gain was handed {what}: the gain depends on the nonlinearity and its slope a, "
        "calculate_gain(nonlinearity, a)",
        LOOKS_LIKE,
    )


def _known_name_rejected(error: StudentError, component: Component, nonlinearity: Any) -> Diagnosis | None:
    """calculate_gain raised on a nonlinearity docs/api.md lists (the reference knows it), quoting its name: the
    student's table of names leaves it out."""
    if not isinstance(nonlinearity, str) or repr(nonlinearity) not in error.message:
        return None
    try:
        gain = float(reference_class(f"{component.module}.calculate_gain")(nonlinearity))
    except ValueError:
        return None  # a name the API does not know either: raising is right
    return Diagnosis(
        "nonlinearity-missing",
        f"calculate_gain rejected {nonlinearity!r}, a name docs/api.md lists: its gain is {gain:.4g}. The gain-1 "
        "names are linear, identity, conv1d/2d/3d, conv_transpose1d/2d/3d and sigmoid; tanh is 5/3, relu sqrt(2), "
        "leaky_relu sqrt(2 / (1 + slope^2)), selu 3/4; only other names raise a ValueError",
        IS,
    )


def _quotes_number(message: str, value: Any) -> bool:
    """``message`` holds ``value``, a real number, as Python prints it (and not inside a longer number)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        return False
    printed = repr(float(value)) if isinstance(value, (float, np.floating)) else str(int(value))
    return re.search(rf"(?<![\w.]){re.escape(printed)}(?!\w|\.\d)", message) is not None


def _fresh_draw(ctx: Context, shape: tuple[int, ...], calls: list[dict[str, Any]], seed: int) -> list[Any] | None:
    """The draws of ``calls`` (keyword arguments) in turn, on ``shape`` with generators of ``seed``, made by a new
    copy of the initialiser (its module's source run again: ``doubles.fresh_copy``), whose first call is the first
    of ``calls``: what a fresh process would draw. None when the copy cannot be made or raises."""
    try:
        fresh = ctx.session.harness("fresh_copy", ctx.component.name, list(ctx.component.uses))
        return [
            ctx.session.call(fresh, None, shape, **kwargs, rng=ctx.session.harness("generator", seed))
            for kwargs in calls
        ]
    except StudentError as error:
        if isinstance(error, (StudentTimeout, StudentCrash)):
            raise
        return None


def _kept_where(ctx: Context) -> str:
    """Where a value kept between calls lives: a mutable default argument the API does not have, if there is one."""
    api = {name for name, _ in ctx.component.signature}
    extra = [
        row[0]
        for row in ctx.session.signature(ctx.component.name)
        if row[0] not in api and (isinstance(row[2], (list, dict)) or row[2] == "<not plain>")
    ]
    if extra:
        return (
            f"the mutable default argument `{extra[0]}`, created once when the function is defined and shared by "
            "every call"
        )
    return "something that outlives the call (an attribute of the function, a module variable or a default argument)"


def _earlier_call_kept(ctx: Context, shape: tuple[int, ...], kwargs: dict[str, Any], seed: int) -> Problem:
    """Simulated order of calls: the same call as the first of a new copy of the initialiser (a fresh import) is
    right, where in the grading session, after other calls, it was wrong: the draw depends on the calls made before
    it, so it used a value kept from one of them, not an argument ignored (which a first call shows too). A second
    call of the copy with other arguments whose rule differs, drawing the same weights as its first, shows the
    first call's value reused: ``cached-first-call``; else ``state-kept-between-calls``. None unless the copy's
    first call is right."""
    rule = _rule(ctx.component, shape, kwargs)
    probes = _probes(ctx.component, kwargs)
    others = [o for o in probes if not math.isclose(_rule(ctx.component, shape, o).std, rule.std)]
    draws = _fresh_draw(ctx, shape, [kwargs, *others], seed)
    if not draws or _judge_draw(ctx.component, shape, kwargs, draws[0]) is not None:
        return None
    call = _describe(ctx.component, shape, kwargs)
    first = f"{call} as the first call of a new import of the module draws the right weights"
    where = _kept_where(ctx)
    for other, got in zip(others, draws[1:], strict=True):
        if isinstance(got, np.ndarray) and np.array_equal(got, draws[0]):
            return (
                f"{first}, and its next call, {_describe(ctx.component, shape, other)}, draws the very same weights, "
                f"though its rule's std is {fmt(_rule(ctx.component, shape, other).std)}, not {fmt(rule.std)}: the "
                f"scale (or the gain) worked out on a first call is kept in {where}, and later calls reuse it whatever "
                "their arguments (here the earlier calls of the grader set it). Work it out from the arguments at "
                "every call",
                "cached-first-call",
            )
    return (
        f"{first}: the draw depends on the calls made before it, so a value kept between calls, in {where}, changed "
        "it. Work the scale out from the arguments at every call",
        "state-kept-between-calls",
    )


@check("api", "signature", INITIALIZER, interface=True)
def initializer_signature(ctx: Context) -> Outcome:
    return check_signature(ctx)


@check("api", "returns a float64 array of the requested shape", INITIALIZER)
def initializer_returns_an_array(ctx: Context) -> Outcome:
    """A shape given as a tuple, a list, or numpy ints (what ``weight.shape`` and arithmetic give)."""
    name = "returns a float64 array of the requested shape"
    for shape in ((3, 5), [4, 2, 3, 3], (np.int64(6), np.int64(2))):
        wanted = tuple(int(s) for s in shape)
        got = _draw(ctx, shape, {}, draw_seed(ctx, "api", wanted))
        if not isinstance(got, np.ndarray) or got.shape != wanted or got.dtype != np.float64:
            given = type(shape).__name__ + (" of numpy ints" if isinstance(shape[0], np.integer) else "")
            call = f"{ctx.component.class_name}(shape {wanted} given as a {given}) returned {describe_kind(got)}"
            if _one_number(got):
                return failed(name, f"{call}; {_ONE_NUMBER}.", "size-not-passed", confidence=IS)
            if _reversed(got, wanted):
                return failed(name, f"{call}{_reversed(got, wanted)}.", "transposed-shape")
            if _flattened(got, wanted):
                return failed(name, f"{call}{_flattened(got, wanted)}.", "drawn-flattened", confidence=IS)
            return failed(
                name,
                f"{call}; expected a float64 array of shape {wanted}.",
                "dtype" if isinstance(got, np.ndarray) and got.shape == wanted else "wrong-shape",
            )
    return passed(name)


def _single_draw_broadcast(ctx: Context, shape: tuple[int, ...], kwargs: dict[str, Any], seed: int, got: Any) -> str:
    """Every entry one same number, and another number, the same everywhere again, from a generator of another
    seed: one number was drawn (``rng.normal(0, std)`` without ``size=``, PyTorch's ``tensor.normal_`` translated)
    and broadcast into the array. A constant no seed changes (a scale of 0, np.full) is the statistics' to name."""
    if not isinstance(got, np.ndarray) or got.shape != shape or got.size < 2 or got.dtype.kind != "f":
        return ""
    if not np.isfinite(got).all() or np.ptp(got) != 0.0:
        return ""
    other = _draw(ctx, shape, kwargs, seed + 1)
    if (
        not isinstance(other, np.ndarray)
        or other.shape != shape
        or np.ptp(other) != 0.0
        or other.flat[0] == got.flat[0]
    ):
        return ""
    return (
        f"{_describe(ctx.component, shape, kwargs)}: every entry is {fmt(got.flat[0])}, and with a generator of "
        f"another seed every entry is {fmt(other.flat[0])}: one number was drawn and broadcast into the array (a "
        "draw without size=, rng.normal(0.0, std), as tensor.normal_ reads in PyTorch); draw every entry, "
        "rng.normal(0.0, std, size=shape)"
    )


# What a draw shows whatever the calls before it (its type, shape, dtype): no order of calls changes these.
_NOT_A_SCALE = ("wrong-shape", "returned-none", "size-not-passed", "transposed-shape", "drawn-flattened", "dtype")


@check("reference", "statistics", INITIALIZER, per_case=True)
def initializer_statistics(ctx: Context, case: Case) -> Outcome:
    name = f"statistics: {case.id}"
    shape = tuple(case.input_shape)
    seed = draw_seed(ctx, "statistics", case.id)
    got = _draw(ctx, shape, dict(case.kwargs), seed)
    single = _single_draw_broadcast(ctx, shape, dict(case.kwargs), seed, got)
    if single:
        return failed(name, single, "draw-broadcast", confidence=IS)
    problem = _judge_draw(
        ctx.component,
        shape,
        dict(case.kwargs),
        got,
        lambda other: _draw(ctx, shape, other, seed),
        lambda other_shape, other: _draw(ctx, other_shape, other, seed),
        seed,
    )
    if problem is None:
        return passed(name)
    if problem[1] not in _NOT_A_SCALE:
        kept = _earlier_call_kept(ctx, shape, dict(case.kwargs), seed)
        if kept is not None:
            observed = problem[0].split(". Cause: ")[0]
            return failed(name, f"{observed}. Cause: {kept[0]}.", kept[1], confidence=IS)
    # A named tag is either what the draw shows (its shape, dtype, centre, tails, bound) or the one
    # mistake whose std fits every draw; "std" and "not-finite" say only what was observed.
    # rounded-values: all zeros, which integer division reproduces, but so would other ways to a scale of 0
    confidence = {
        "std": "",
        "not-finite": "",
        "transposed-shape": "",
        "rounded-values": LOOKS_LIKE,
        "sample-recentred": LOOKS_LIKE,  # a pattern no independent draw shows, not a simulation
    }.get(problem[1], IS)
    return failed(name, problem[0] + ".", problem[1], confidence=confidence)


def _scaled_kwargs(component: Component, draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], float]:
    """Two sets of arguments whose rules differ by a known factor only (the second over the first)."""
    if component.rule == "xavier":
        gain = draw(st.floats(0.2, 2.0))
        return {"gain": gain}, {"gain": 2.5 * gain}, 2.5
    mode = draw(st.sampled_from(["fan_in", "fan_out"]))
    a = draw(st.floats(0.5, 3.0))
    # calculate_gain("leaky_relu", a) = sqrt(2 / (1 + a^2)): a = 0 against a
    return {"mode": mode}, {"mode": mode, "a": a}, math.sqrt(1.0 / (1.0 + a * a))


@check("properties", "any shape: float64 entries, scaled by the gain", INITIALIZER)
def initializer_any_shape(ctx: Context) -> Outcome:
    """For any shape: a float64 array of that shape; the same rng state with another gain gives
    the same draws scaled by the ratio of the gains (the gain multiplies the std)."""
    name = "any shape: float64 entries, scaled by the gain"

    @st.composite
    def examples(draw: st.DrawFn) -> tuple[tuple[int, ...], dict[str, Any], dict[str, Any], float, int]:
        shape = tuple(draw(st.lists(st.integers(1, 6), min_size=2, max_size=4)))
        return (shape, *_scaled_kwargs(ctx.component, draw), draw(SEEDS))

    def body(example: tuple[tuple[int, ...], dict[str, Any], dict[str, Any], float, int]) -> Problem:
        shape, first, second, ratio, seed = example
        results = [_draw(ctx, shape, kwargs, seed) for kwargs in (first, second)]
        for kwargs, got in zip((first, second), results, strict=True):
            call = _describe(ctx.component, shape, kwargs)
            if not isinstance(got, np.ndarray) or got.shape != shape or got.dtype != np.float64:
                if _reversed(got, shape) and got.dtype == np.float64:
                    return f"{call} returned {describe_kind(got)}{_reversed(got, shape)}.", "transposed-shape"
                if _flattened(got, shape) and got.dtype == np.float64:
                    return f"{call} returned {describe_kind(got)}{_flattened(got, shape)}.", "drawn-flattened"
                return (
                    f"{call} returned {describe_kind(got)}; expected a float64 array of shape {shape}.",
                    "wrong-shape",
                )
            if not np.isfinite(got).all():
                return f"{call} returned nan or inf entries.", "not-finite"
        base, scaled = results
        expected = ratio * base
        if allclose(scaled, expected, rtol=settings.RTOL, atol=settings.RTOL * float(np.max(np.abs(expected)))):
            return None
        calls = " and ".join(_describe(ctx.component, shape, kwargs) for kwargs in (first, second))
        again = _draw(ctx, shape, first, seed)
        if not (isinstance(again, np.ndarray) and np.array_equal(again, base)):
            return (
                f"{_describe(ctx.component, shape, first)} gave different weights for two generators of the same "
                "seed: draw from the rng argument, not from np.random's global functions or a generator of your own.",
                "rng-ignored",
            )
        kept = _scaled_in_fresh_copies(ctx, shape, first, second, ratio, seed) if np.array_equal(scaled, base) else None
        if kept is not None:
            return f"{calls} with generators of the same seed gave the same weights. Cause: {kept[0]}.", kept[1]
        if np.array_equal(scaled, base) and ctx.component.rule == "xavier":
            return (
                f"{calls} with generators of the same seed gave the same weights: the gain is ignored.",
                "gain-missing",
            )
        if np.array_equal(scaled, base):  # the gain left out, a not passed on, a fixed gain: the statistics tell
            return (
                f"{calls} with generators of the same seed gave the same weights: the slope a changed nothing, "
                "though calculate_gain('leaky_relu', a) scales the std (see the statistics tests for why).",
                "",
            )
        observed = float(np.median(np.abs(scaled[base != 0] / base[base != 0]))) if np.any(base != 0) else math.nan
        if ctx.component.rule == "kaiming":  # the gains' ratio of a leaky ReLU gain typed with its grouping wrong
            a = second["a"]
            for typed, why in leaky_gain_slips(a):
                if math.isclose(observed, typed / math.sqrt(2.0), rel_tol=settings.SAME_VALUE_RTOL):
                    return (
                        f"{calls} with generators of the same seed: the second should be the first times {ratio:.4g} "
                        f"(the gain multiplies the std), but it is {observed:.4g} times the first. Cause: {why}.",
                        "precedence",
                    )
            # Simulated: the default a = 0 taken as "not given" (`if not param:` or `param or 0.01`), so the first
            # call's gain is that of calculate_gain's default slope 0.01, sqrt(2 / (1 + 0.01^2)), not sqrt(2).
            unset = math.sqrt(1.0 + _DEFAULT_SLOPE**2) / math.sqrt(1.0 + a * a)
            if math.isclose(observed, unset, rel_tol=settings.SAME_VALUE_RTOL):
                return (
                    f"{calls} with generators of the same seed: the second should be the first times {ratio:.4g} "
                    f"(the gain multiplies the std), but it is {observed:.6g} times the first, the ratio when a = 0 "
                    f"gives the gain of the slope {_DEFAULT_SLOPE}. Cause: a = 0 was taken as 'no slope given' (a test "
                    "such as `if not param:` or `param or 0.01`, and 0 is falsy), so calculate_gain used its default "
                    f"slope {_DEFAULT_SLOPE}; only a missing param (None) means the default: test `param is None`.",
                    "zero-taken-as-unset",
                )
        return (
            f"{calls} with generators of the same seed: the second should be the first times {ratio:.4g} (the "
            f"gain multiplies the std), but it is about {observed:.4g} times the first.",
            "gain-scaling",
        )

    outcome = hypothesis_check(ctx, name, examples(), body)
    # what the draws show; the rest is observed
    certain = ("wrong-shape", "rng-ignored", "gain-missing", "size-not-passed", "drawn-flattened", "precedence")
    certain += ("zero-taken-as-unset",)
    certain += ("cached-first-call", "state-kept-between-calls")
    return outcome if outcome.passed else replace(outcome, confidence=IS if outcome.misconception in certain else "")


def _scaled_in_fresh_copies(
    ctx: Context, shape: tuple[int, ...], first: dict[str, Any], second: dict[str, Any], ratio: float, seed: int
) -> Problem:
    """Two calls that drew the same weights where the second should be the first scaled by ``ratio``, made again
    each as the first call of a new copy of the initialiser (a fresh import): scaled there, the argument is used,
    and the grading session's same weights came from a value kept from an earlier call. ``cached-first-call`` when
    one copy called with ``first`` and then ``second`` draws the same weights twice (the first call's scale
    reused), else ``state-kept-between-calls``; None when the fresh calls are not scaled either."""
    alone = [_fresh_draw(ctx, shape, [kwargs], seed) for kwargs in (first, second)]
    if not all(draws and isinstance(draws[0], np.ndarray) and draws[0].shape == shape for draws in alone):
        return None
    base, scaled = alone[0][0], alone[1][0]
    if np.array_equal(base, scaled) or not allclose(scaled, ratio * base, rtol=settings.RTOL, atol=settings.RTOL):
        return None
    both = _fresh_draw(ctx, shape, [first, second], seed)
    calls = f"{_describe(ctx.component, shape, second)} as the first call of a new import of the module"
    where = _kept_where(ctx)
    if both and isinstance(both[1], np.ndarray) and np.array_equal(both[0], both[1]):
        return (
            f"{calls} draws the first's weights times {ratio:.4g}, as it should, but called right after the first "
            f"it draws the first's very weights: the scale (or the gain) worked out on a first call is kept in "
            f"{where}, and later calls reuse it whatever their arguments. Work it out from the arguments at every call",
            "cached-first-call",
        )
    return (
        f"{calls} draws the first's weights times {ratio:.4g}, as it should: what the calls made before it left "
        f"behind, in {where}, changed the draw. Work the scale out from the arguments at every call",
        "state-kept-between-calls",
    )


# Small shapes of 12 entries each: odd and even fan_in + fan_out, fans that are and are not perfect squares, a
# kernel. One draw of 12 entries has no statistical power, but draws of as many entries from the same generator
# state are one draw scaled: their ratio is exact, so a scale that is off by sqrt(7 / 6) (an odd fan sum's half
# dropped by //) or by sqrt(6) / 2 (a root rounded down) shows, where the large draws of the statistics rows
# (fans in the hundreds) move by less than their noise.
SMALL_SHAPES = ((2, 6), (3, 4), (1, 12), (4, 3), (2, 2, 3))


def _unit_draw_ratios(draws: list[Any]) -> list[float] | None:
    """The scale of each draw over the first's, when each is the first scaled (their magnitudes sorted, so that
    any arrangement of the entries counts); None when they are not (another way to draw: nothing to compare)."""
    if not all(isinstance(w, np.ndarray) and w.size == draws[0].size and np.isfinite(w).all() for w in draws):
        return None
    magnitudes = [np.sort(np.abs(np.asarray(w, dtype=np.float64)).ravel()) for w in draws]
    base = magnitudes[0]
    if not base.any():
        return None
    ratios = []
    for m in magnitudes:
        ratio = float(m.sum() / base.sum())
        if ratio <= 0.0 or not allclose(m, ratio * base, rtol=settings.RTOL, atol=settings.RTOL * float(m.max())):
            return None
        ratios.append(ratio)
    return ratios


def _fan_scale_cause(component: Component, rules: list[Rule], ratios: list[float]) -> tuple[str, str] | None:
    """``(sentence, tag)`` of the one known mistake (rule.mistakes, simulated per shape) whose stds are in the
    ratios drawn on every small shape; a mistake that does not apply to a shape (a kernel's) leaves its std right."""
    first: dict[tuple[str, str], str] = {}  # each mistake told with the numbers of a shape where it shows
    for rule in rules:
        for value, tag, text in (*rule.mistakes, *rule.fine):
            shows = not math.isclose(value, rule.std, rel_tol=settings.SAME_VALUE_RTOL)
            if (tag, _stem(text)) not in first or (shows and first[(tag, _stem(text))] == ""):
                first[(tag, _stem(text))] = text if shows else ""
    fitting = []
    for (tag, stem), text in first.items():
        stds = []
        for rule in rules:
            values = [v for v, t, words in (*rule.mistakes, *rule.fine) if t == tag and _stem(words) == stem]
            stds.append(values[0] if values else rule.std)
        predicted = [v / stds[0] for v in stds]
        same = all(math.isclose(p, r, rel_tol=settings.SAME_VALUE_RTOL) for p, r in zip(predicted, ratios, strict=True))
        if text and same:
            fitting.append((text, tag))
    # Ratios hide a constant factor: a typed formula with the mistake's dependence on the fans (gain / (fan / 2),
    # `fan ** 1/2`, against the variance gain^2 / fan) fits as well, and leaves the mistake unnamed.
    names = [_names(component, shape, {}) for shape in SMALL_SHAPES]
    for formula in formulas(component.rule, component.distribution):
        stds = [formula.value(n) for n in names]
        if all(math.isfinite(v) and v > 0 for v in stds):
            predicted = [v / stds[0] for v in stds]
            if all(
                math.isclose(p, r, rel_tol=settings.SAME_VALUE_RTOL) for p, r in zip(predicted, ratios, strict=True)
            ):
                fitting.append((formula.sentence(names[0]), formula.claim))
    if len({tag for _, tag in fitting}) != 1 or not fitting[0][1]:
        return None
    return fitting[0]


@check("properties", "the scale follows the fans exactly: small shapes, the same generator state", INITIALIZER)
def initializer_scale_follows_fans(ctx: Context) -> Outcome:
    """Draws of shapes with as many entries from generators of the same seed are the same unit draw scaled (for
    every way of drawing the graders know of: rng.uniform, rng.random, rng.normal, Box-Muller): the scales must
    be in the ratio of the rule's stds. A draw that is not the first scaled is not judged here."""
    name = "the scale follows the fans exactly: small shapes, the same generator state"
    seed = draw_seed(ctx, "small shapes")
    draws = [_draw(ctx, shape, {}, seed) for shape in SMALL_SHAPES]
    ratios = _unit_draw_ratios(draws)
    if ratios is None:
        return passed(name)
    rules = [_rule(ctx.component, shape, {}, keep=True) for shape in SMALL_SHAPES]
    expected = [rule.std / rules[0].std for rule in rules]
    if all(math.isclose(r, e, rel_tol=settings.SAME_VALUE_RTOL) for r, e in zip(ratios, expected, strict=True)):
        return passed(name)
    fans = reference_class(f"{ctx.component.module}.fan_in_and_fan_out")
    wrong = [
        f"{shape} (fan_in {fans(shape)[0]}, fan_out {fans(shape)[1]}) is {r:.4g} times it, expected {e:.4g}"
        for shape, r, e in zip(SMALL_SHAPES, ratios, expected, strict=True)
        if not math.isclose(r, e, rel_tol=settings.SAME_VALUE_RTOL)
    ]
    text = (
        f"{ctx.component.class_name} on shapes of 12 entries, with generators of the same seed, gave one draw scaled, "
        f"but not in the ratio of the rule's stds: against the draw of {SMALL_SHAPES[0]} ({rules[0].formula}), the "
        "draw of " + "; of ".join(wrong)
    )
    cause = _fan_scale_cause(ctx.component, rules, ratios)
    if cause is None:
        return failed(name, text + ".", "")
    return failed(name, f"{text}. Cause: {cause[0]} (the same on every shape).", cause[1], confidence=IS)


@check("contracts", "draws from rng: the same generator state gives the same weights", INITIALIZER)
def initializer_uses_rng(ctx: Context) -> Outcome:
    name = "draws from rng: the same generator state gives the same weights"
    shape = (20, 30)
    seed = draw_seed(ctx, "rng")
    call = _describe(ctx.component, shape, {})
    first, again = (_draw(ctx, shape, {}, seed) for _ in range(2))
    other = _draw(ctx, shape, {}, seed + 1)
    if not all(isinstance(w, np.ndarray) and w.shape == shape for w in (first, again, other)):
        if _reversed(first, shape):
            return failed(name, f"{call} returned {describe_kind(first)}{_reversed(first, shape)}.", "transposed-shape")
        if _flattened(first, shape):
            flat = f"{call} returned {describe_kind(first)}{_flattened(first, shape)}."
            return failed(name, flat, "drawn-flattened", confidence=IS)
        return failed(name, f"{call} did not return arrays of shape {shape}.", "wrong-shape", confidence=IS)
    if not np.array_equal(first, again):
        return failed(
            name,
            f"{call} with two generators of the same seed gave different weights: draw from the rng argument "
            "(rng.uniform, rng.normal), not from np.random's global functions or a generator of your own.",
            "rng-ignored",
            confidence=IS,
        )
    generator = ctx.session.harness("generator", seed)
    with correct_helpers(ctx):
        ctx.session.call(ctx.component.name, None, shape, rng=generator)
    if float(ctx.session.call(generator, "random")) == float(np.random.default_rng(seed).random()):
        return failed(
            name,
            f"{call} left the generator it was given untouched: the weights must be drawn from rng.",
            "rng-ignored",
            confidence=IS,
        )
    if np.array_equal(first, other) and np.ptp(first) == 0:  # a constant: no seed could change it
        return failed(
            name,
            f"{call} gave the same weights for generators of different seeds, but every entry is {fmt(first.flat[0])}: "
            "a draw with no spread, which no seed changes, so whether it comes from rng cannot be told (the statistics "
            "test says what the draw is).",
        )
    if np.array_equal(first, other):
        return failed(
            name,
            f"{call} gave the same weights for generators of different seeds: draw from rng, not from a fixed seed.",
            "rng-ignored",
            confidence=IS,
        )
    fresh = [_draw(ctx, shape, {}, None) for _ in range(2)]
    if all(isinstance(w, np.ndarray) for w in fresh) and np.array_equal(*fresh):
        return failed(
            name,
            f"{ctx.component.class_name}({shape}) without an rng gave the same weights twice: with rng=None draw "
            "from base.default_generator() (as the stub does), not from a generator with a fixed seed.",
            "fixed-seed",
            confidence=IS,
        )
    return passed(name)
