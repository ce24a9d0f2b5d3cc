"""Mistakes of axes and bounds, computed: a reduction over the wrong axes, a slice with the wrong ends.

Two classes of mistake recur in the layers' student code wherever there are axes to get wrong,
and each leaves numbers a simulation reproduces exactly:

* **a reduction over the wrong axes.** A per-unit parameter's gradient sums grad_y over the
  batch (and the positions); summed over every axis it is one number, which ``+=`` adds to every
  entry. A pooling layer reduces its window view ``(N, C, H', W', kH, kW)`` over the window, the
  last two axes; reduced over the output positions it returns one value per window offset.
* **a slice with the wrong ends.** Removing the padding from a gradient takes rows
  ``pH:pH + H``; a slice that ends at ``H`` (a length where an index belongs), keeps the padded
  end, or starts at 0 gives a gradient of the wrong shape, or of the right shape but shifted.

Each simulation is named by what the student wrote, so a match says what the mistake *is*; the
shapes they give are also returned, so that a rule reading the shape alone ("the width was
computed with the height's numbers") knows when another known mistake gives the same shape.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from nnlab.graders import settings

from ..tolerance import allclose, fmt

Variants = dict[str, tuple[np.ndarray, str]]

WRONG_AXES = "gradient-summed-over-wrong-axes"
REDUCED = "reduced-over-wrong-axes"
PADDING_BOUNDS = "padding-slice-bounds"
SQUARE = "square-only-index"


def _keep_new(found: Variants, seen: list[np.ndarray], tag: str, value: np.ndarray, text: str) -> None:
    """Add a variant unless an earlier one (or the right value, first in ``seen``) gives the same numbers."""
    if any(
        s.shape == value.shape and allclose(s, value, rtol=settings.SAME_VALUE_RTOL, atol=settings.SAME_VALUE_ATOL)
        for s in seen
    ):
        return
    seen.append(value)
    found[tag] = (value, text)


# ------------------------------------------------------------------------------- reductions
def _axes_words(axes: tuple[int, ...], names: tuple[str, ...]) -> str:
    words = [f"{names[a]}" for a in axes]
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"axis {axes[0]} ({listed})" if len(axes) == 1 else f"axes {axes} ({listed})"


def parameter_reductions(
    quantity: str, g: np.ndarray, right: tuple[int, ...], shape: tuple[int, ...], names: tuple[str, ...], unit: str
) -> Variants:
    """``<quantity>.grad += grad_y.sum(axis=wrong)`` for every other set of axes whose sum ``+=``
    can broadcast into the parameter's ``shape`` (a number always can), and grad_y's mean over all.

    Args:
        g: the upstream gradient; ``g.sum(axis=right)`` is the right gradient, of ``shape``.
        names: what each axis of ``g`` is ("the batch", "the output units").
        unit: what one entry of the parameter belongs to ("output unit").
    """
    right_words = _axes_words(right, names)
    rule = f"the {quantity} of one {unit} sums grad_y over {right_words} only, one value per {unit}"
    groups: list[tuple[np.ndarray, list[str]]] = [(g.sum(axis=right), [])]  # the right value first
    for k in (g.ndim, *range(1, g.ndim)):  # every axis first: with one sample, axis 0 is no axis
        for axes in itertools.combinations(range(g.ndim), k):
            try:
                value = np.broadcast_to(g.sum(axis=axes), shape)
            except ValueError:
                continue  # a crash, not a value: gradient_shapes reads its message
            words = "every axis" if k == g.ndim else _axes_words(axes, names)
            same = [
                ways
                for v, ways in groups
                if allclose(v, value, rtol=settings.SAME_VALUE_RTOL, atol=settings.SAME_VALUE_ATOL)
            ]
            if same:
                same[0].append(words)
            else:
                groups.append((value.copy(), [words]))
    found: Variants = {}
    for value, ways in groups[1:]:
        also = f" (with this case's numbers the same as over {' or '.join(ways[1:])})" if len(ways) > 1 else ""
        if ways[0] == "every axis":
            text = (
                f"`{quantity}.grad` is grad_y summed over every axis{also}: one number ({fmt(float(value.flat[0]))}) "
                f"added to all {value.size} entries; {rule}"
            )
        else:
            text = (
                f"`{quantity}.grad` is grad_y summed over {ways[0]}{also} instead of {right_words}, broadcast by `+=` "
                f"to all {value.size} entries; {rule}"
            )
        found[f"{WRONG_AXES}#{len(found)}"] = (value, text)
    mean = np.full(shape, float(g.mean()))
    if not any(allclose(v, mean, rtol=settings.SAME_VALUE_RTOL, atol=settings.SAME_VALUE_ATOL) for v, _ in groups):
        found[f"{WRONG_AXES}#mean"] = (
            mean,
            f"`{quantity}.grad` is the mean of every entry of grad_y: one number added to all entries; {rule}",
        )
    return found


# The window view of a pooling layer, axis by axis.
VIEW = (
    "N (the batch)",
    "C (the channels)",
    "H' (the output rows)",
    "W' (the output columns)",
    "kH (the window's rows)",
    "kW (the window's columns)",
)


def _view_words(axes: tuple[int, ...]) -> str:
    if axes == (2, 3):
        return "axes (2, 3), H' and W', the output positions"
    return f"axes {axes}, " + " and ".join(VIEW[a] for a in axes)


def _right_with_unit_axes(value: np.ndarray, right: np.ndarray) -> bool:
    """``value`` is the right output with axes of length 1 kept or added: a window axis of length 1 (kH = 1)
    makes the maximum over the other window axis alone the same numbers as the right one, so such a variant
    would name a wrong reduction where only a kept length-1 axis is seen."""
    squeezed = tuple(n for n in value.shape if n != 1)
    return (
        value.shape != right.shape
        and squeezed == tuple(n for n in right.shape if n != 1)
        and allclose(value.reshape(right.shape), right, rtol=settings.SAME_VALUE_RTOL, atol=settings.SAME_VALUE_ATOL)
    )


def window_reductions(windows: np.ndarray, average: bool) -> Variants:
    """A pool's mean (or maximum) over wrong axes of its window view ``(N, C, H', W', kH, kW)``,
    and over one wrong axis of the flat view ``(N, C, H', W', kH*kW)``."""
    reduce: Callable[..., np.ndarray] = np.mean if average else np.max
    word = "mean" if average else "maximum"
    rule = (
        f"each output y[n, c, p, q] is the {word} of its own kH x kW window, so reduce over the window axes, "
        "the last two axes (4, 5) of the view (axis -1 of the flat view)"
    )
    found: Variants = {}
    seen = [reduce(windows, axis=(4, 5))]
    for axes in itertools.combinations(range(6), 2):
        if axes != (4, 5):
            text = (
                f"forward took the {word} of the window view (N, C, H', W', kH, kW) over the wrong axes: "
                f"{_view_words(axes)}, instead of the window, axes (4, 5); {rule}"
            )
            _keep_new(found, seen, f"{REDUCED}#{axes}", reduce(windows, axis=axes), text)
    for axis in range(6):
        only = "one of the window axes only" if axis >= 4 else "the wrong axis"
        text = (
            f"forward took the {word} of the window view (N, C, H', W', kH, kW) over {only}: axis {axis}, "
            f"{VIEW[axis]}, instead of the window, axes (4, 5); {rule}"
        )
        value = reduce(windows, axis=axis)
        if _right_with_unit_axes(value, seen[0]):
            # The other window axis has length 1: the wrong reduction and a kept length-1 axis give the same
            # numbers, so the row names both and claims neither (wrong-shape is an observation's tag).
            other = 9 - axis
            text = (
                f"either forward took the {word} over {VIEW[axis]} only and left {VIEW[other]}, of length 1 here, "
                f"as an axis, or the right {word} kept (or gained) an axis of length 1: the two give the same numbers "
                f"in this case; {rule}, and the output has shape (N, C, H', W')"
            )
            _keep_new(found, seen, f"wrong-shape#{axis}", value, text)
        else:
            _keep_new(found, seen, f"{REDUCED}#{axis}", value, text)
    flat = windows.reshape(*windows.shape[:4], -1)
    for axis in range(4):
        text = (
            f"forward took the {word} of the flat window view (N, C, H', W', kH*kW) over the wrong axis: axis {axis}, "
            f"{VIEW[axis]}, instead of the window, the last axis; {rule}"
        )
        _keep_new(found, seen, f"{REDUCED}#flat{axis}", reduce(flat, axis=axis), text)
    return found


def window_reduction_shapes(view_shape: tuple[int, ...]) -> set[tuple[int, ...]]:
    """The shapes :func:`window_reductions` gives, from the view's shape alone."""
    shapes = {
        tuple(n for a, n in enumerate(view_shape) if a not in axes) for axes in itertools.combinations(range(6), 2)
    }
    shapes |= {tuple(n for a, n in enumerate(view_shape) if a != axis) for axis in range(6)}
    flat = (*view_shape[:4], view_shape[4] * view_shape[5])
    shapes |= {tuple(n for a, n in enumerate(flat) if a != axis) for axis in range(4)}
    return shapes - {tuple(view_shape[:4])}


# ------------------------------------------------------------------------------- slice bounds
@dataclass(frozen=True)
class _Axis:
    """One axis of a padded array: ``n`` entries (``size``) with ``p`` (``pad``) on each end."""

    size: str
    pad: str
    unit: str
    n: int
    p: int


def _and(parts: list[str]) -> str:
    return " and ".join(parts)


# Each wrong crop of one axis: (kind, start, stop, as written, why) from the axis and the other axis.
_CROPS: dict[str, Callable[[_Axis, _Axis], tuple[int, int, str]]] = {
    "ends-at-size": lambda a, o: (a.p, a.n, f"{a.pad}:{a.size}"),
    "start-only": lambda a, o: (a.p, a.n + 2 * a.p, f"{a.pad}:"),
    "end-only": lambda a, o: (0, a.p + a.n, f":{a.pad} + {a.size}"),
    "not-removed": lambda a, o: (0, a.n + 2 * a.p, ":"),
    "one-short": lambda a, o: (a.p, a.p + a.n - 1, f"{a.pad}:{a.pad} + {a.size} - 1"),
    "other-size": lambda a, o: (a.p, a.p + o.n, f"{a.pad}:{a.pad} + {o.size}"),
    "other-pad": lambda a, o: (o.p, o.p + a.n, f"{o.pad}:{o.pad} + {a.size}"),
    # The size recovered from the padded side with the other axis's padding (W = Wp - 2*pH, a line copied from H's).
    "size-other-pad": lambda a, o: (
        a.p,
        a.p + a.n + 2 * a.p - 2 * o.p,
        f"{a.pad}:{a.pad} + ({a.size}p - 2*{o.pad})",
    ),
}
_WHY: dict[str, Callable[[list[_Axis], list[_Axis]], str]] = {
    "ends-at-size": lambda ax, ot: (
        f"the end of a slice is an index, not a length: it must be {_and([f'{a.pad} + {a.size}' for a in ax])}, "
        f"not {_and([a.size for a in ax])}, or the last {_and([f'{a.pad} = {a.p} {a.unit}' for a in ax])} of the "
        "input are lost"
    ),
    "start-only": lambda ax, ot: (
        "only the leading padding was removed: the slice must also end at "
        f"{_and([f'{a.pad} + {a.size}' for a in ax])}, before the trailing padding"
    ),
    "end-only": lambda ax, ot: (
        f"only the trailing padding was removed: the slice must start at {_and([a.pad for a in ax])}, after the "
        "leading padding"
    ),
    "not-removed": lambda ax, ot: (
        f"the padding was not removed: {_and([f'{a.size} + 2*{a.pad}' for a in ax])} {_and([a.unit for a in ax])} "
        f"where {_and([a.size for a in ax])} belong"
    ),
    "one-short": lambda ax, ot: (
        f"the slice ends one entry early: {_and([f'{a.pad} + {a.size}' for a in ax])} is its end"
    ),
    "other-size": lambda ax, ot: (
        f"the slice ends at {_and([f'{a.pad} + {o.size}' for a, o in zip(ax, ot, strict=True)])}, with the other "
        f"axis's size where {_and([a.size for a in ax])} belongs: right for square inputs only"
    ),
    "other-pad": lambda ax, ot: (
        f"the slice starts at the other axis's padding {_and([o.pad for o in ot])} where "
        f"{_and([a.pad for a in ax])} belongs: right for square padding only"
    ),
    "size-other-pad": lambda ax, ot: (
        "the input's size was recovered from the padded one with the other axis's padding, "
        f"{_and([f'{a.size} = {a.size}p - 2*{o.pad}' for a, o in zip(ax, ot, strict=True)])} where "
        f"{_and([f'{a.size}p - 2*{a.pad}' for a in ax])} belongs (a line copied from the other axis's and not "
        "fully edited; right for square padding only), so the slice that removes the padding ends in the wrong place"
    ),
}


def _crops_of(a: _Axis, o: _Axis) -> dict[str, tuple[int, int, str]]:
    """The wrong crops of axis ``a`` (the other axis ``o``) that this case can tell from the right one."""
    padded = a.n + 2 * a.p
    crops = {"right": (a.p, a.p + a.n, f"{a.pad}:{a.pad} + {a.size}")}
    for kind, crop in _CROPS.items():
        start, stop, written = crop(a, o)
        if kind in ("other-pad", "size-other-pad") and start <= padded < stop:  # numpy cuts a slice short at the end
            stop = padded
        if (start, stop) != (a.p, a.p + a.n) and 0 <= start <= stop <= padded:
            crops.setdefault(kind, (start, stop, written))
    return crops


class Crop(NamedTuple):
    """One wrong crop of a padded array: its mistake (``tag``, ``kind``), where it is, as written, and why."""

    tag: str
    kind: str
    rows: slice
    cols: slice
    written: str
    why: str


def unpad_crops(padding: tuple[int, int], in_hw: tuple[int, int]) -> list[Crop]:
    """Every crop of the padded ``(Hp, Wp)`` that gets one mistake of bounds, on one axis or the same
    on both."""
    rows = _Axis("H", "pH", "rows", in_hw[0], padding[0])
    cols = _Axis("W", "pW", "columns", in_hw[1], padding[1])
    by_rows, by_cols = _crops_of(rows, cols), _crops_of(cols, rows)
    crops, spans = [], set()
    for (r_kind, r), (c_kind, c) in itertools.product(by_rows.items(), by_cols.items()):
        kinds = {k for k in (r_kind, c_kind) if k != "right"}
        if len(kinds) != 1:
            continue  # the right crop, or two different mistakes at once
        kind = kinds.pop()
        span = ((r[0], r[1]), (c[0], c[1]))
        if span in spans:
            continue
        spans.add(span)
        wrong = [(a, o) for k, a, o in ((r_kind, rows, cols), (c_kind, cols, rows)) if k != "right"]
        why = _WHY[kind]([a for a, _ in wrong], [o for _, o in wrong])
        tag = SQUARE if kind.startswith("other") else PADDING_BOUNDS
        crops.append(Crop(tag, kind, slice(r[0], r[1]), slice(c[0], c[1]), f"[:, :, {r[2]}, {c[2]}]", why))
    return crops


def unpad_variants(padded: np.ndarray, padding: tuple[int, int], in_hw: tuple[int, int]) -> Variants:
    """The input gradient when the padding is cropped from the padded gradient with the wrong bounds."""
    right = padded[:, :, padding[0] : padding[0] + in_hw[0], padding[1] : padding[1] + in_hw[1]]
    found: Variants = {}
    seen = [right]
    for crop in unpad_crops(padding, in_hw):
        value = padded[:, :, crop.rows, crop.cols]
        text = (
            f"backward removed the padding with grad_xp{crop.written}, shape {value.shape}: {crop.why}; the input "
            f"gradient is grad_xp[:, :, pH:pH + H, pW:pW + W], the shape of x {right.shape}"
        )
        _keep_new(found, seen, f"{crop.tag}#{crop.written}", value, text)
    return found


def unpad_crash(
    message_shapes: set[tuple[int, ...]], x_shape: tuple[int, ...], padding: tuple[int, int], source: str = ""
) -> tuple[str, str] | None:
    """A shape error between ``x`` and a crop of the padded array (``xp[:, :, pH:H, pW:W] = x``):
    ``(tag, mistake)`` when exactly one crop of :func:`unpad_crops` has the crop's shape.

    A crop that ends at H has the shape the right slice ``pH:pH + H`` takes of a padded array
    allocated without its padding (``np.zeros((N, C, H, W))``): it is claimed only when ``source``,
    the line that raised, slices with an end that is not an offset plus a size."""
    if tuple(x_shape) not in message_shapes:
        return None
    H, W = x_shape[2:]
    padded = (H + 2 * padding[0], W + 2 * padding[1])
    crops = unpad_crops(padding, (H, W))
    for shape in message_shapes - {tuple(x_shape)}:
        if len(shape) != 4 or shape[:2] != tuple(x_shape[:2]):
            continue
        fitting = [c for c in crops if (len(range(padded[0])[c.rows]), len(range(padded[1])[c.cols])) == shape[2:]]
        if _ends_at_an_offset(source):  # the right slice, or the other axis's offset: an offset plus a size
            small = _allocated(shape[2:], (H, W), padding)
            offsets = [c for c in fitting if c.kind == "other-pad"]
            same = _same_starts(source)  # one start written on both axes: one padding used for both, or not
            if same is not None:
                offsets = [c for c in offsets if (c.rows.start == c.cols.start) == same]
            if small is not None and not offsets:
                return small
            if small is not None or len(offsets) != 1:
                continue
            fitting = offsets
        if len(fitting) != 1 or (fitting[0].kind == "ends-at-size" and not _ends_at_a_size(source)):
            continue
        crop = fitting[0]
        return (
            crop.tag,
            f"x of shape {tuple(x_shape)} met the slice xp{crop.written} of the padded array, shape {shape}: "
            f"{crop.why}; the input sits at xp[:, :, pH:pH + H, pW:pW + W]",
        )
    return None


def _allocated(crop: tuple[int, ...], in_hw: tuple[int, int], padding: tuple[int, int]) -> tuple[str, str] | None:
    """The slice ``p:p + n`` of an array of ``r < p + n`` entries holds ``r - p``: the padded array's
    sides, read back from the crop, when they are the input's (no padding) or padded on one side."""
    sides = [c + p for c, p in zip(crop, padding, strict=True)]
    if all(r == n + 2 * p for r, n, p in zip(sides, in_hw, padding, strict=True)):
        return None
    words = []
    for r, n, p, (size, pad) in zip(sides, in_hw, padding, (("H", "pH"), ("W", "pW")), strict=True):
        if r == n + 2 * p:
            words.append(f"{size} + 2*{pad}")
        elif r in (n, n + p):
            words.append(size if r == n else f"{size} + {pad}")
        else:
            return None
    return (
        "padded-array-too-small",
        f"the slice xp[:, :, pH:pH + H, pW:pW + W] is right, but xp has only {tuple(sides)} rows and columns: it was "
        f"allocated as ({', '.join(words)}) without all its padding; a padded array has H + 2*pH rows and W + 2*pW "
        "columns, np.zeros((N, C, H + 2 * pH, W + 2 * pW))",
    )


def spatial_slices(source: str) -> list[list[ast.expr]]:
    """The index expressions of axes 2 and 3 of every four-part index in the line (``xp[:, :, i:i + kH, j:j +
    kW]``), as the student wrote them; empty when the line does not parse or shows no such index."""
    try:
        tree = ast.parse(source.strip())
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        elements = node.slice.elts if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Tuple) else []
        if len(elements) == 4:
            found.append(elements[2:])
    return found


def _slice_ends(source: str) -> list[ast.expr]:
    """The ends of the slices of axes 2 and 3 where the line indexes an array with four slices."""
    return [
        e.upper
        for parts in spatial_slices(source)
        for e in parts
        if isinstance(e, ast.Slice) and e.lower is not None and e.upper
    ]


def _same_starts(source: str) -> bool | None:
    """Does the line's four-slice index start the slices of axes 2 and 3 with the same expression (``pH:pH + H,
    pH:pH + W``)? None when it shows no such index."""
    for parts in spatial_slices(source):
        if all(isinstance(e, ast.Slice) and e.lower is not None for e in parts):
            return ast.dump(parts[0].lower) == ast.dump(parts[1].lower)
    return None


def _ends_at_an_offset(source: str) -> bool:
    """Does every such slice end at an offset plus a size (``pH:pH + H``)?"""
    ends = _slice_ends(source)
    return bool(ends) and all(isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add) for e in ends)


def _ends_at_a_size(source: str) -> bool:
    """Does one such slice end at a bare name or number (``pH:H``) rather than at an offset plus a size?"""
    return any(isinstance(end, (ast.Name, ast.Attribute, ast.Constant)) for end in _slice_ends(source))


# ------------------------------------------------------------------------------- einsum layouts
class EinsumMisread(NamedTuple):
    """An einsum whose subscripts give one operand's axes in the reverse of their stored order."""

    call: str  # the einsum as the student wrote it
    operand: str  # the operand's code
    written: str  # its subscripts as written
    right: str  # the einsum's subscripts with that operand's reversed


def _einsum_calls(source: str) -> list[ast.Call]:
    line = source.strip()
    try:
        tree = ast.parse(line) if line else None
    except SyntaxError:
        return []
    if tree is None:
        return []
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")) == "einsum"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ]


def einsum_reversed_operand(
    source: str, meanings: Callable[[str], tuple[str, str] | None], reversible: Callable[[str], bool]
) -> EinsumMisread | None:
    """The einsum on the line ``source`` whose subscripts read an operand's two axes in reverse: a label the other
    operands give one meaning (the input features) sits on the axis of the operand that has the other.

    Args:
        meanings: an operand's code -> what its two axes hold, as stored (("out", "in") for a weight), or None
            where the code does not say which quantity it is.
        reversible: whether an operand is one whose layout is a convention to misremember (a parameter).
    """
    for call in _einsum_calls(source):
        spec = "".join(call.args[0].value.split())
        inputs, arrow, output = spec.partition("->")
        subscripts = inputs.split(",")
        operands = [ast.unparse(a) for a in call.args[1:]]
        if len(subscripts) != len(operands) or any(len(s) != 2 for s in subscripts):
            continue
        known = [meanings(code) for code in operands]
        for i, code in enumerate(operands):
            if known[i] is None or not reversible(code):
                continue
            said: dict[str, set[str]] = {}  # what the other operands say each label holds
            for j, other in enumerate(known):
                if j != i and other is not None:
                    for label, meaning in zip(subscripts[j], other, strict=True):
                        said.setdefault(label, set()).add(meaning)
            (first, second), (axis0, axis1) = subscripts[i], known[i]
            # Reversed: a label the others gave says so, and neither label says the stored order.
            told = first in said or second in said
            if told and said.get(first, {axis1}) == {axis1} and said.get(second, {axis0}) == {axis0}:
                fixed = list(subscripts)
                fixed[i] = second + first
                right = ",".join(fixed) + (arrow + output if arrow else "")
                return EinsumMisread(ast.unparse(call), code, subscripts[i], right)
    return None
