"""Conv2d written as a loop over the output positions, whose windows run past the padded input's edge: a crash.

A student's forward (``y[:, :, p, q] = (xp[:, :, p*sH:p*sH + kH, q*sW:q*sW + kW] * w).sum(...)``) or backward
(``grad_xp[:, :, p*sH:p*sH + kH, ...] += block``, ``dw += ... xp[:, :, p*sH:p*sH + kH, ...]``) with the windows'
origins stepped by a wrong number (the kernel, one axis's stride for both, the pair swapped) meets, at some window,
rows or columns past the edge: numpy cuts that slice short, and the full ``kH x kW`` block of the kernel (or of the
gradient) meets a smaller one, which numpy refuses. Where the windows fit, window_mistakes' step simulations give
the numbers; here only the crash is left, and it says which window was cut and how: :func:`window_loop_crash`
predicts, for each way of placing the windows wrongly, the first window the loop meets that numpy refuses, and names
the mistake only when exactly one of them predicts the cut slice the student's message shows.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Callable

from nnlab.exercises.components import Component

from ..crashes import message_shapes
from . import pool_loops
from .window_mistakes import AMBIGUOUS, Geometry, _kernel_paddings, _output_shape_texts, _steps

# A way of placing the windows: (tag, mistake, padded sides, rows of the loop, columns of the loop, the indices window
# (p, q) is placed by, the step its origin takes per index (it starts at (p*a, q*b)), the sides of the slice it takes).
Hypothesis = tuple[
    str, str, tuple[int, int], range, range, Callable[[int, int], tuple[int, int]], tuple[int, int], tuple[int, int]
]


def _leading_fit(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """Do the axes before the last two broadcast together (right-aligned, equal or one of them 1)?"""
    return all(m == n or 1 in (m, n) for m, n in zip(reversed(a[:-2]), reversed(b[:-2]), strict=False))


def _is_cut(shape: tuple[int, ...], kernel: tuple[int, int]) -> bool:
    """A window's slice cut short by the edge: at most the kernel's sides, not both of them."""
    return len(shape) >= 2 and shape[-2:] != kernel and shape[-2] <= kernel[0] and shape[-1] <= kernel[1]


def read_cut(message: str, kernel: tuple[int, int]) -> tuple[tuple[int, int], str] | None:
    """The cut slice's sides and how numpy met it, from the message: ``"product"`` (two operands multiplied, or
    einsum's: each side broadcasts the other), ``"into-slice"`` (the full block written or added into the cut slice:
    the block must broadcast to it), ``"into-block"`` (the cut slice's value added into a kernel-sized accumulator,
    the weight gradient); None when the message is not a full block meeting a smaller one."""
    pairs: list[tuple[tuple[int, ...], tuple[int, ...], str]] = []  # (cut, full, rule)
    found = re.search(r"could not broadcast input array from shape (\([^)]*\)) into shape (\([^)]*\))", message)
    output = re.search(
        r"non-broadcastable output operand with shape (\([^)]*\)) doesn't match the broadcast shape "
        r"(\([^)]*\))",
        message,
    )
    listed = re.search(r"broadcast together with shapes ((?:\([\d,\s]*\)\s*)+)", message)
    remapped = re.search(r"broadcast together with remapped shapes \[original->remapped\]: (.*)", message)
    if found or output:
        source, target = message_shapes((found or output).group(1) + (found or output).group(2))  # type: ignore[union-attr]
        if output:  # (the output operand first: the value broadcast to a larger shape than the output's)
            target, source = source, target
        if _is_cut(target, kernel) and source[-2:] == kernel:
            pairs.append((target, source, "into-slice"))
        elif _is_cut(source, kernel) and target[-2:] == kernel:
            pairs.append((source, target, "into-block"))
    elif listed:
        operands = message_shapes(listed.group(1))
        if len(operands) == 3 and operands[0] == operands[2]:  # an in-place operation: out, value, out
            out, value = operands[0], operands[1]
            if _is_cut(out, kernel) and value[-2:] == kernel:
                pairs.append((out, value, "into-slice"))
            elif _is_cut(value, kernel) and out[-2:] == kernel:
                pairs.append((value, out, "into-block"))
        elif len(operands) == 2:
            for cut, full in (operands, operands[::-1]):
                if _is_cut(cut, kernel) and full[-2:] == kernel:
                    pairs.append((cut, full, "product"))
    elif remapped:  # einsum: each operand's original shape, then the one it was remapped to
        originals = message_shapes(" ".join(re.findall(r"(\([\d,\s]*\))->", remapped.group(1))))
        if len(originals) == 2:
            for cut, full in (originals, originals[::-1]):
                if _is_cut(cut, kernel) and full[-2:] == kernel:
                    pairs.append((cut, full, "product"))
    pairs = [(cut, full, rule) for cut, full, rule in pairs if _leading_fit(cut, full)]
    if len(pairs) != 1:
        return None
    cut, _, rule = pairs[0]
    return (cut[-2], cut[-1]), rule


def _refused(rule: str, sides: tuple[int, int], kernel: tuple[int, int]) -> bool:
    """Does numpy refuse a slice of ``sides`` meeting the kernel-sized block by ``rule``? (A side of 1 broadcasts
    where the slice's value is the one stretched; a kernel side of 1 where the block's is.)"""
    pairs = list(zip(sides, kernel, strict=True))
    if rule == "into-slice":  # the block must broadcast to the slice
        return any(k != s and k != 1 for s, k in pairs)
    if rule == "into-block":  # the slice's value must broadcast to the block
        return any(s != k and s != 1 for s, k in pairs)
    return any(s != k and 1 not in (s, k) for s, k in pairs)


def _first_refused(
    hypothesis: Hypothesis, kernel: tuple[int, int], rule: str
) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]] | None:
    """The first window, in the loop's order (p, then q), whose slice numpy refuses, where it starts and its sides;
    None where none is."""
    _, _, (Hp, Wp), rows, cols, indices, (a, b), (eh, ew) = hypothesis
    for p, q in itertools.product(rows, cols):
        r, c = indices(p, q)
        top, left = r * a, c * b
        sides = (len(range(Hp)[top : top + eh]), len(range(Wp)[left : left + ew]))
        if sides != kernel and _refused(rule, sides, kernel):
            return (p, q), (top, left), sides
    return None


_RIGHT = (
    "Window (p, q) starts at row p*sH and column q*sW of the padded input, the stride (sH, sW) apart, and takes rows "
    "p*sH:p*sH + kH and columns q*sW:q*sW + kW; every one of the H' x W' windows then fits"
)


def hypotheses(component: Component, x_shape: tuple[int, ...], geo: Geometry, method: str) -> list[Hypothesis]:
    """Every known way of placing the loop's windows wrongly, each as the loop runs it: the origins stepped by a
    wrong number (the step mistakes), one loop index for the other, a loop over the other axis's count, a slice of
    the wrong size, the padding left out or taken from the kernel, and (forward, which sizes its loops itself) an
    output size from a wrong formula. Mistakes whose windows all fit never raise, and predict nothing."""
    (kH, kW), (sH, sW), (Ho, Wo) = geo.kernel, geo.stride, geo.out_hw
    padded, rows, cols = geo.padded, range(Ho), range(Wo)

    def same(p: int, q: int) -> tuple[int, int]:
        return p, q

    right = (same, (sH, sW))
    found: list[Hypothesis] = []
    for tag, ((a, b), words) in _steps(geo).items():
        text = (
            f"in {method}'s loop over the output positions, {words}: window (p, q) was sliced at rows p*{a}:p*{a} + "
            f"{kH} and columns q*{b}:q*{b} + {kW}"
        )
        found.append((tag, text, padded, rows, cols, same, (a, b), (kH, kW)))
    for start, tag, words in pool_loops._INDICES:
        found.append(
            (
                tag,
                pool_loops._index_text(words, geo, method),
                padded,
                rows,
                cols,
                start,
                (sH, sW),
                (kH, kW),
            )
        )
    if Ho != Wo:  # one loop bounded by the other axis's count, where that count is the larger
        longer = range(max(Ho, Wo))
        bounded = (longer, cols) if Wo > Ho else (rows, longer)
        found.append(
            (
                "square-only-index",
                f"{method}'s loop over the output {'rows' if Wo > Ho else 'columns'} runs over range("
                f"{'W' if Wo > Ho else 'H'}') = range({max(Ho, Wo)}), the other axis's count, where range("
                f"{'H' if Wo > Ho else 'W'}') = range({min(Ho, Wo)}) belongs (right for square outputs only)",
                padded,
                *bounded,
                *right,
                (kH, kW),
            )
        )
    extents = {}
    if kH != kW:
        extents["square-only-index#kernel-rows"] = ((kH, kH), f"kH = {kH} for the columns too (kW = {kW})")
        extents["square-only-index#kernel-columns"] = ((kW, kW), f"kW = {kW} for the rows too (kH = {kH})")
        extents["kernel-height-width-swapped"] = ((kW, kH), f"the kernel's sides swapped, (kW, kH) = {(kW, kH)}")
    if (sH, sW) != (kH, kW):
        extents["kernel-stride-confused"] = ((sH, sW), f"the stride {(sH, sW)} where the kernel {(kH, kW)} belongs")
    for tag, (extent, words) in extents.items():
        text = (
            f"in {method}'s loop over the output positions, the window's slice was {extent[0]} x {extent[1]}, {words}"
        )
        found.append((tag, text, padded, rows, cols, *right, extent))
    (pH, pW), (H, W) = geo.padding, geo.in_hw
    paddings = {}
    if (pH, pW) != (0, 0):
        paddings["padding-ignored#not-padded"] = ((0, 0), "the input was not padded: the windows slid over x itself")
        for padding, written in _kernel_paddings(geo).items():
            paddings[f"padding-ignored#{written}"] = (padding, f"the input was padded by {written} = {padding}")
        if pH != pW:
            paddings["square-only-index#padding-rows"] = ((pH, pH), f"the input was padded by pH = {pH} on both axes")
            paddings["square-only-index#padding-columns"] = (
                (pW, pW),
                f"the input was padded by pW = {pW} on both axes",
            )
    for tag, ((a, b), text) in paddings.items():
        if (a, b) != (pH, pW):
            found.append(
                (tag, f"{text}, where the padding is {(pH, pW)}", (H + 2 * a, W + 2 * b), rows, cols, *right, (kH, kW))
            )
    if method == "forward":  # forward's loops run over the output size it computes: a wrong formula's
        texts, _, _ = _output_shape_texts(component, x_shape, geo, 1)
        for shape, by_tag in texts.items():
            if shape[2:] == (Ho, Wo):
                continue
            for tag, text in by_tag.items():
                found.append(
                    (
                        tag,
                        f"forward's loops ran over an output of {shape[2]} x {shape[3]}: {text}",
                        padded,
                        range(shape[2]),
                        range(shape[3]),
                        *right,
                        (kH, kW),
                    )
                )
    return found


def _read_axis(part: ast.expr, values: dict[str, int]) -> tuple[int, int] | None:
    """One window slice of the line, ``p * sH:p * sH + kH``: (the step its start multiplies the index by, the size
    its end adds), where both are the layer's own names in ``values``; None for a slice written otherwise."""
    if not isinstance(part, ast.Slice) or part.lower is None or part.upper is None or part.step is not None:
        return None
    lower, upper = part.lower, part.upper
    if not isinstance(lower, ast.BinOp) or not isinstance(lower.op, ast.Mult):
        return None
    names = [n.id for n in (lower.left, lower.right) if isinstance(n, ast.Name)]
    known = [n for n in names if n in values]
    if len(names) != 2 or len(known) != 1:
        return None
    if not isinstance(upper, ast.BinOp) or not isinstance(upper.op, ast.Add) or ast.dump(upper.left) != ast.dump(lower):
        return None
    if not isinstance(upper.right, ast.Name) or upper.right.id not in values:
        return None
    return values[known[0]], values[upper.right.id]


def written_windows(source: str, geo: Geometry) -> set[tuple[tuple[int, int], tuple[int, int]]]:
    """The windows the line slices, ``xp[:, :, p * kH:p * kH + kH, q * kW:q * kW + kW]`` (the last two parts of an
    index), as (the steps, the sizes) in numbers, where it spells both axes with the layer's own names sH, sW, kH,
    kW; empty otherwise."""
    values = {"sH": geo.stride[0], "sW": geo.stride[1], "kH": geo.kernel[0], "kW": geo.kernel[1]}
    try:
        tree = ast.parse(source.strip())
    except SyntaxError:
        return set()
    found = set()
    for node in ast.walk(tree):  # (the window's slices are the index's last two: xp[:, :, r, c], xp[:, None, :, r, c])
        parts = node.slice.elts if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Tuple) else []
        if len(parts) < 3:
            continue
        rows, cols = (_read_axis(part, values) for part in parts[-2:])
        if rows is not None and cols is not None:
            found.add(((rows[0], cols[0]), (rows[1], cols[1])))
    return found


def window_loop_crash(
    component: Component, x_shape: tuple[int, ...], geo: Geometry, method: str, message: str, source: str = ""
) -> tuple[str, str] | None:
    """``(tag, mistake)`` where a loop over the output positions met a window cut short by the padded input's edge
    (``message``: numpy's refusal of the cut slice beside the full kH x kW block) and exactly one known way of placing
    the windows predicts that cut slice first; :data:`AMBIGUOUS` where several mistakes predict it (the crash does not
    say which); None where the message is no cut window, or no known way predicts it. Where ``source``, the line
    that raised, slices the window with the layer's own names, only the ways that step and size it so are kept."""
    kernel = geo.kernel
    read = read_cut(message, kernel)
    if read is None:
        return None
    observed, rule = read
    written = written_windows(source, geo)
    fits: dict[str, tuple[str, tuple[int, int], tuple[int, int]]] = {}
    for hypothesis in hypotheses(component, x_shape, geo, method):
        if written and (hypothesis[6], hypothesis[7]) not in written:
            continue
        first = _first_refused(hypothesis, kernel, rule)
        if first is not None and first[2] == observed:
            fits.setdefault(hypothesis[0].partition("#")[0], (hypothesis[1], first[0], first[1]))
    if not fits:
        return None
    if len(fits) > 1:
        return AMBIGUOUS
    ((tag, (text, (p, q), (top, left))),) = fits.items()
    (kH, kW), (Hp, Wp) = kernel, geo.padded
    return tag, (
        f"{text}. Window ({p}, {q}) then starts at row {top}, column {left}, and runs past the edge of the {Hp}x{Wp} "
        f"padded input: numpy cut its slice to {observed[0]} x {observed[1]} entries, which the full {kH}x{kW} block "
        f"it met cannot fit (numpy's refusal). {_RIGHT} (kernel {kernel}, stride {geo.stride}, padding "
        f"{geo.padding})"
    )
