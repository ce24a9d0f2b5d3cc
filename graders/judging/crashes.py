"""The mistake a crash reveals, read from numpy's message, the line that raised and the case.

"operands could not be broadcast together with shapes (4,5) (4,)" says what failed inside the
student's code, not which assumption broke. The line that raised (the worker sends it with the
error) and the inputs of the case (contracts.Contract) often say which: a reduction that dropped
its axis (no ``keepdims``), labels indexing the batch axis, a shape indexed or unpacked as if
every input had a fixed number of axes, a division by ``1 - p`` at ``p = 1``, a value forward
did not save on the path it took (eval mode), a result unpacked into the wrong number of names.

Each reader recognises one class of mistake and says it in a sentence: what the API allows and
which assumption broke. It is a "Cause" when the line that raised shows the mistake, "looks
like" when only the message's pattern fits; a crash no reader recognises keeps numpy's message
alone. Readers run only once something raised: a correct submission never pays for them.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from nnlab.exercises.components import Component
from nnlab.graders.running.puppet import StudentCrash, StudentError, StudentTimeout

from .diagnose import IS, LOOKS_LIKE, Diagnosis

# numpy's reductions: called without keepdims=True they drop the axis they reduce.
REDUCTIONS = frozenset(
    "sum mean max min amax amin nansum nanmean nanmax nanmin std var prod median average ptp logsumexp norm "
    "count_nonzero".split()
)
# Names students give the class labels (targets) of a loss.
_LABELS = re.compile(r"(label|target|class|^y$|^y_?true$)", re.IGNORECASE)
_NUMBERS = "zero one two three four five six seven eight nine".split()
# Kinds of component whose argument is a weight's shape: a fixed number of axes there ignores the kernel.
_SHAPE_FUNCTIONS = ("initializer", "fans")


def _optional_bias(component: Component) -> bool:
    """A layer whose bias is None when built with bias=False (docs/api.md): its signature has `bias`."""
    return "bias" in dict(component.signature)


@dataclass(frozen=True)
class Crash:
    """What is known of one crash: the error, the component, and the line that raised."""

    error: StudentError
    component: Component

    @property
    def message(self) -> str:
        return self.error.message

    @property
    def source(self) -> str:
        return self.error.source

    @property
    def method(self) -> str:
        """The function of the student's file that raised ("forward"), from the traceback."""
        found = re.search(r"\bin (\w+)\s*$", self.error.where)
        return found.group(1) if found else ""

    @property
    def inputs(self) -> dict[str, tuple[int, ...]]:
        """The shapes of the inputs the failed call was given, when a check knew them."""
        return dict(getattr(self.error.contract, "shapes", {}))

    @property
    def labels(self) -> tuple[int, ...]:
        """The class labels the failed call was given, when a check knew them (a class loss's)."""
        return tuple(getattr(self.error.contract, "labels", ()))

    @cached_property
    def parsed(self) -> tuple[str, ast.AST | None]:
        """The line that raised as parsed, and its tree (a compound statement's header gets a body)."""
        line = self.source.strip().rstrip("\\")
        for text in (line, f"{line} pass", f"({line})") if line else ():
            try:
                return text, ast.parse(text)
            except SyntaxError:
                continue
        return line, None

    @property
    def tree(self) -> ast.AST | None:
        return self.parsed[1]

    def code(self, node: ast.AST) -> str:
        """``node`` as the student wrote it (as Python spells it where a formatter broke it over lines)."""
        written = ast.get_source_segment(self.parsed[0], node)
        return written if written and "\n" not in written else ast.unparse(node)

    def nodes(self, kind: type, within: ast.AST | None = None) -> list[Any]:
        """The nodes of type ``kind`` on the line that raised (or inside ``within``)."""
        tree = within if within is not None else self.tree
        return [node for node in ast.walk(tree) if isinstance(node, kind)] if tree is not None else []


def read_crash(error: StudentError, component: Component) -> Diagnosis | None:
    """The mistake behind ``error``, raised by the student's code of ``component``, or None."""
    if isinstance(error, (StudentTimeout, StudentCrash)) or error.not_implemented:
        return None
    crash = Crash(error, component)
    for reader in READERS:
        found = reader(crash)
        if found is not None:
            return found
    return None


def _words(count: int) -> str:
    return _NUMBERS[count] if 0 <= count < len(_NUMBERS) else str(count)


def message_shapes(message: str) -> list[tuple[int, ...]]:
    """The shapes numpy's message names: ``(4,5) (4,)`` -> ``[(4, 5), (4,)]``."""
    return [tuple(int(n) for n in found.split(",") if n.strip()) for found in re.findall(r"\(([\d,\s]*)\)", message)]


def _broadcasts(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return all(x == y or 1 in (x, y) for x, y in zip(reversed(a), reversed(b), strict=False))


def _broadcast(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...] | None:
    """The shape numpy broadcasts ``a`` and ``b`` to, or None when they do not broadcast."""
    if not _broadcasts(a, b):
        return None
    width = max(len(a), len(b))
    a, b = (1,) * (width - len(a)) + a, (1,) * (width - len(b)) + b
    return tuple(max(x, y) for x, y in zip(a, b, strict=True))


def _removed_axes(full: tuple[int, ...], reduced: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Every set of axes of ``full`` whose removal leaves ``reduced`` (what a reduction without
    keepdims leaves)."""
    if len(reduced) >= len(full):
        return []
    found: list[tuple[int, ...]] = []

    def walk(i: int, j: int, removed: tuple[int, ...]) -> None:
        if j == len(reduced):
            found.append(removed + tuple(range(i, len(full))))
            return
        if i == len(full):
            return
        if full[i] == reduced[j]:
            walk(i + 1, j + 1, removed)
        walk(i + 1, j, (*removed, i))

    walk(0, 0, ())
    return sorted(set(found))


# ------------------------------------------------------------------------------- readers
def _valid_axis_refused(crash: Crash) -> Diagnosis | None:
    """The student's own check (a ``raise`` line) refused an axis the input has: its message names the axis (``dim=-1``)
    and one shape, and the axis lies in -ndim .. ndim - 1 of that shape. A range test one short, such as
    ``-x.ndim < dim < x.ndim``, refuses dim = -ndim, the default -1 of a 1-D input among them."""
    if crash.error.type_name != "ValueError" or not crash.source.strip().startswith("raise"):
        return None
    axis = re.search(r"\b(?:dim|axis)\s*=\s*(-?\d+)", crash.message)
    shapes = [shape for shape in message_shapes(crash.message) if shape]
    if axis is None or len(shapes) != 1:
        return None
    dim, shape = int(axis.group(1)), shapes[0]
    if not -len(shape) <= dim < len(shape) or (crash.inputs and shape not in crash.inputs.values()):
        return None
    ndim = len(shape)
    return Diagnosis(
        "valid-input-refused",
        f"your own check raised ValueError for dim={dim}, an axis the input of shape {shape} has: a {ndim}-D array's "
        f"axes are -{ndim} .. {ndim - 1} (dim={dim} is axis {dim % ndim}), so the test that decides which dims are "
        f"valid refuses a valid one (a range test that leaves out an end, such as -x.ndim < dim where -x.ndim <= dim "
        "belongs); only a dim outside -x.ndim <= dim < x.ndim is a ValueError",
        IS,
    )


def _loss_input_refused(crash: Crash) -> Diagnosis | None:
    """A loss's own input check (a ``raise ValueError`` line) refused a call of the rubric's: the rubric passes a loss
    only inputs docs/api.md accepts, so the check is stricter than the contract; for BCELoss that is the range test
    with its ends left out, 0 < v < 1 where 0 <= v <= 1 belongs (hard 0/1 targets, probabilities of exactly 0 or 1)."""
    if crash.component.kind != "loss" or crash.error.type_name != "ValueError":
        return None
    if not crash.source.strip().startswith("raise"):
        return None
    ends = (
        " Probabilities and targets may be anything in [0, 1], the ends included: a hard label is exactly 0 or 1, "
        "and a probability of exactly 0 or 1 is what the -100 clamp is for; a range test such as 0 < v < 1 leaves "
        "the ends out, where 0 <= v <= 1 belongs."
        if crash.component.formula == "bce"
        else ""
    )
    return Diagnosis(
        "valid-input-refused",
        "your own input check raised ValueError for a call that docs/api.md accepts (every call of this row is "
        f"valid: the reference computes it), so the check refuses valid input.{ends}",
        IS,
    )


def _reduction_without_keepdims(crash: Crash) -> Diagnosis | None:
    """(N, C) against (N,): a reduction over axis 1 that dropped the axis meets its own input."""
    if crash.error.type_name != "ValueError" or "broadcast" not in crash.message:
        return None
    shapes = message_shapes(crash.message)
    # ``a += b``: numpy names the output operand first and last. A smaller output that a larger array is
    # added into is a different mistake (a sum over too few axes), not a dropped axis.
    output = shapes[0] if len(shapes) == 3 and shapes[0] == shapes[2] else None
    pairs = [
        (full, reduced, removed)
        for full in shapes
        for reduced in shapes
        if reduced != output and not _broadcasts(full, reduced)
        for removed in _removed_axes(full, reduced)
    ]
    reduction = _reduction_call(crash)
    if reduction is not None:
        stated = _axes_of(reduction)  # None when the axis is an expression (self.dim): nothing to contradict
        pairs = [p for p in pairs if stated is None or {a % len(p[0]) for a in stated} == set(p[2])]
        # Keepdims is the fix only when the reduction's own result is the operand that lost the axis and it
        # meets an array of the shape it was reduced from: a reduction over too few axes added into a smaller
        # array (``bias.grad += g.sum(axis=0)``) is the larger operand there, and a different mistake.
        sides = _operand_shapes(crash, reduction, shapes)
        if sides is not None:
            pairs = [p for p in pairs if sides == (p[1], p[0])]
        elif not _combined(crash, reduction):
            # ``((x - mean) ** 2).mean(axis=axes)``: the reduction's result meets nothing on the line, so what
            # failed to broadcast ran inside its operand, before it: its keepdims is not the matter.
            return None
    if not pairs:
        return None
    full, reduced, removed = pairs[0]
    axes = f"axis {removed[0]}" if len(removed) == 1 else f"axes {removed}"
    why = (
        f"an array of shape {full} reduced over {axes} without keepdims=True has shape {reduced}, and numpy lines "
        f"shapes up from the right, so {reduced} no longer meets {full}"
    )
    fix = "keep the reduced axis (keepdims=True) so the result broadcasts against the array it was reduced from"
    if reduction is not None:
        kept = ast.Call(
            reduction.func, reduction.args, [*reduction.keywords, ast.keyword("keepdims", ast.Constant(True))]
        )
        return Diagnosis(
            "reduction-without-keepdims",
            f"`{crash.code(reduction)}`, on the line that raised, reduces without keepdims=True: {why}; {fix}: "
            f"`{ast.unparse(kept)}`",
            IS,
        )
    if crash.tree is not None or len({p[2] for p in pairs}) != 1 or len(removed) != 1:
        # The line shows no reduction, or the shapes fit several readings: a reshape or a sum over the
        # wrong axes as likely as a dropped axis.
        return None
    return Diagnosis("reduction-without-keepdims", f"a reduction without keepdims=True: {why}; {fix}", LOOKS_LIKE)


def _operand_shapes(
    crash: Crash, reduction: ast.Call, shapes: list[tuple[int, ...]]
) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """(the shape of the operand holding ``reduction``, the other operand's) for the operation on the line
    whose operands numpy's message names in order (``a op b``: a's, b's; ``a op= b``: a's, b's, a's); None
    when no single binary operation holds the reduction."""
    if len(shapes) < 2:
        return None
    found = []
    for node in crash.nodes(ast.BinOp) + crash.nodes(ast.AugAssign):
        left, right = (node.target, node.value) if isinstance(node, ast.AugAssign) else (node.left, node.right)
        for side, (mine, other) in ((left, (0, 1)), (right, (1, 0))):
            if any(inner is reduction for inner in ast.walk(side)):
                found.append((shapes[mine], shapes[other]))
    return found[-1] if found else None  # ast.walk visits outer operations first: the last is the innermost


def _combined(crash: Crash, reduction: ast.Call) -> bool:
    """Is the result of ``reduction`` an operand of an operation on the line (or of a call that combines arrays,
    such as np.maximum)? False when every operation of the line runs inside the reduction's own operand."""
    for node in crash.nodes(ast.BinOp) + crash.nodes(ast.AugAssign) + crash.nodes(ast.Call):
        if node is reduction:
            continue
        if isinstance(node, ast.Call):
            operands = [*node.args, *(k.value for k in node.keywords)]
            if isinstance(node.func, ast.Attribute):
                operands.append(node.func.value)
        elif isinstance(node, ast.AugAssign):
            operands = [node.target, node.value]
        else:
            operands = [node.left, node.right]
        if any(inner is reduction for side in operands for inner in ast.walk(side)):
            return True
    return False


def _reduction_call(crash: Crash) -> ast.Call | None:
    """A call of a numpy reduction with an axis and without keepdims on the line that raised."""
    for call in crash.nodes(ast.Call):
        name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        if name not in REDUCTIONS or any(k.arg == "keepdims" for k in call.keywords):
            continue
        if _axis_node(call) is not None:
            return call
    return None


def _axis_node(call: ast.Call) -> ast.AST | None:
    """The axis argument of a reduction: ``axis=`` or the first positional one after the array."""
    keyword = next((k.value for k in call.keywords if k.arg == "axis"), None)
    if keyword is not None:
        return keyword
    is_function = isinstance(call.func, ast.Attribute) and ast.unparse(call.func.value) in ("np", "numpy")
    position = 1 if is_function or isinstance(call.func, ast.Name) else 0
    return call.args[position] if len(call.args) > position else None


def _axes_of(call: ast.Call) -> tuple[int, ...] | None:
    """The reduction's axes when they are written as numbers (``axis=1``, ``axis=(0, 2)``), else None."""
    try:
        value = ast.literal_eval(_axis_node(call))
    except (ValueError, TypeError, SyntaxError):  # an expression (self.dim): not a number
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,)
    if isinstance(value, tuple) and all(isinstance(v, int) for v in value):
        return value
    return None


def _reduced_operand(call: ast.Call) -> ast.AST | None:
    """The array a reduction reduces: ``a`` of ``a.mean(...)`` or of ``np.mean(a, ...)``."""
    if isinstance(call.func, ast.Attribute) and ast.unparse(call.func.value) not in ("np", "numpy"):
        return call.func.value
    return call.args[0] if call.args else None


def _appends_axis(node: ast.AST) -> ast.AST | None:
    """The array that ``node`` gives a new last axis of length 1, or None: ``a[..., None]`` (np.newaxis, or
    ``a[:, None]`` with only full slices before it) and ``np.expand_dims(a, -1)``."""
    if isinstance(node, ast.Subscript):
        index = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        *before, last = index
        new = (isinstance(last, ast.Constant) and last.value is None) or ast.unparse(last).endswith("newaxis")
        full = all(
            (isinstance(e, ast.Constant) and e.value is Ellipsis)
            or (isinstance(e, ast.Slice) and e.lower is None and e.upper is None and e.step is None)
            for e in before
        )
        return node.value if new and before and full else None
    if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("expand_dims") and node.args:
        axis = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "axis"), None)
        return node.args[0] if axis is not None and ast.unparse(axis) == "-1" else None
    return None


def _unkept_reduction(call: ast.Call) -> bool:
    """A numpy reduction along an axis, called without keepdims."""
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    return name in REDUCTIONS and _axis_node(call) is not None and not any(k.arg == "keepdims" for k in call.keywords)


def _axis_put_back_last(crash: Crash) -> Diagnosis | None:
    """``e / np.sum(e, axis=self.dim)[..., None]``: the reduction dropped its axis and [..., None] (np.expand_dims
    with -1) put one back at the end, which is where the reduced axis was only when it was the last: numpy
    refuses (2, 3, 2, 2) against (2, 2, 2, 1) for a sum over axis 1. keepdims=True keeps the axis in place."""
    if crash.error.type_name != "ValueError" or "broadcast" not in crash.message:
        return None
    shapes = message_shapes(crash.message)
    for node in crash.nodes(ast.AST):
        operand = _appends_axis(node)
        # The reduction may sit inside an elementwise call (np.log(e.sum(axis=dim))[..., None]).
        reduction = next((c for c in crash.nodes(ast.Call, operand) if _unkept_reduction(c)), None) if operand else None
        if reduction is None:
            continue
        stated = _axes_of(reduction)
        for full in shapes:
            for put_back in shapes:
                if len(put_back) != len(full) or put_back[-1] != 1 or _broadcasts(full, put_back):
                    continue
                removed = [r for r in _removed_axes(full, put_back[:-1]) if len(r) == 1 and r[0] != len(full) - 1]
                if stated is not None:
                    removed = [r for r in removed if len(stated) == 1 and stated[0] % len(full) == r[0]]
                if len(removed) != 1:
                    continue
                axis = removed[0][0]
                right = full[:axis] + (1,) + full[axis + 1 :]
                kept = ast.Call(
                    reduction.func, reduction.args, [*reduction.keywords, ast.keyword("keepdims", ast.Constant(True))]
                )
                return Diagnosis(
                    "reduction-without-keepdims",
                    f"`{crash.code(node)}`, on the line that raised, reduces without keepdims=True and then adds an "
                    f"axis of length 1 at the end: an array of shape {full} reduced over axis {axis} has shape "
                    f"{put_back[:-1]}, and the new axis makes it {put_back}, where the reduced axis belongs in its "
                    f"own place, {right}. Putting the axis back last is right only when the reduction ran along the "
                    f"last axis (dim=-1); keep it where it was: `{ast.unparse(kept)}` (or np.expand_dims with the "
                    "reduced axis)",
                    IS,
                )
    return None


def _axis_renumbered(crash: Crash) -> Diagnosis | None:
    """``x.mean(axis=4).mean(axis=5)``: after the first reduction the axes behind it move down one, so the
    second names an axis that no longer exists (numpy: "axis 5 is out of bounds for array of dimension 5")."""
    bad = re.search(r"axis (-?\d+) is out of bounds for array of dimension (\d+)", crash.message)
    if bad is None:
        return None
    axis, ndim = int(bad.group(1)), int(bad.group(2))
    for outer in crash.nodes(ast.Call):
        name = outer.func.attr if isinstance(outer.func, ast.Attribute) else getattr(outer.func, "id", "")
        inner = _reduced_operand(outer) if name in REDUCTIONS else None
        if not isinstance(inner, ast.Call) or _axes_of(outer) != (axis,):
            continue
        inner_name = inner.func.attr if isinstance(inner.func, ast.Attribute) else getattr(inner.func, "id", "")
        first = _axes_of(inner) if inner_name in REDUCTIONS else None
        kept = any(k.arg == "keepdims" for k in inner.keywords)
        if first is None or kept or not all(0 <= a < axis for a in first):
            continue
        shifted = axis - len(first)
        return Diagnosis(
            "axis-renumbered",
            f"`{crash.code(outer)}` reduces again after `{crash.code(inner)}`: that first reduction removed "
            f"{'axis' if len(first) == 1 else 'axes'} {', '.join(map(str, first))}, so the axes behind it moved down "
            f"and the array has {ndim} axes: the old axis {axis} is now axis {shifted}. Reduce both at once, "
            f"axis=({', '.join(map(str, (*first, axis)))}), or number the second axis after the first is gone",
            IS,
        )
    return None


def _kept_axes_into_fewer(crash: Crash) -> Diagnosis | None:
    """``self.running_mean += m * mean`` with ``mean`` of shape (1, C), or ``grad[rows, labels] = a.sum(axis=1,
    keepdims=True)``: a value whose only extra axes have size 1 (reduced axes kept) stored into a destination
    without them (a (C,) buffer updated in place, the (N,) entries a fancy index picks). An in-place update or
    an assignment cannot drop axes, so numpy refuses the 1s that keepdims (or a reshape for broadcasting) left."""
    if crash.error.type_name != "ValueError":
        return None
    found = re.search(
        r"non-broadcastable output operand with shape (\([\d,\s]*\)) doesn't match the broadcast shape "
        r"(\([\d,\s]*\))",
        crash.message,
    )
    if found is not None:
        destination, value = message_shapes(found.group(1))[0], message_shapes(found.group(2))[0]
    else:
        found = re.search(
            r"value array of shape (\([\d,\s]*\)) could not be broadcast to indexing result of shape "
            r"(\([\d,\s]*\))",
            crash.message,
        )
        if found is None:
            return None
        value, destination = message_shapes(found.group(1))[0], message_shapes(found.group(2))[0]
    assigned = found.re.pattern.startswith("value")  # numpy names the value itself, not a broadcast
    # An in-place update names the broadcast of both operands: (1, C, 1) added into (C,) makes (1, C, C). The
    # input's shape with the axes that do not spell the destination set to 1 is the kept statistic's.
    candidates = [value] + [
        tuple(1 if i in removed else n for i, n in enumerate(shape))
        for shape in crash.inputs.values()
        if len(shape) == len(value)
        for removed in _removed_axes(shape, destination)
    ]
    value = next(
        (
            v
            for v in candidates
            if len(v) > len(destination)
            and [n for n in v if n != 1] == [n for n in destination if n != 1]
            and (v == value if assigned else _broadcast(v, destination) == value)
        ),
        None,
    )
    if value is None:
        return None  # not the destination's shape with size-1 axes added: another mistake
    where = "the entries the index picks" if assigned else "the array updated in place"
    stored = (
        f"a value of shape {value} is stored into {where}, of shape {destination}: its extra axes all have size 1, "
        "the reduced axes a reduction keeps with keepdims=True (or a reshape for broadcasting adds), and an "
        "assignment or an in-place update cannot drop axes"
    )
    kept = [
        call
        for call in crash.nodes(ast.Call)
        if _callee(call) in REDUCTIONS
        and any(
            k.arg == "keepdims" and isinstance(k.value, ast.Constant) and k.value.value is True for k in call.keywords
        )
    ]
    if kept:
        call = kept[0]
        dropped = ast.Call(call.func, call.args, [k for k in call.keywords if k.arg != "keepdims"])
        return Diagnosis(
            "length-one-axis",
            f"`{crash.code(call)}`, on the line that raised, keeps the reduced axis: {stored}. keepdims=True is for "
            f"a result that broadcasts back against the array it was reduced from; one stored as {destination} "
            f"needs it dropped: `{ast.unparse(dropped)}`",
            IS,
        )
    same_rank = [shape for shape in crash.inputs.values() if len(shape) == len(value)]
    if not same_rank or any(v == 1 == n for shape in same_rank for v, n in zip(value, shape, strict=True)):
        # No input to compare with, or one whose own axis has length 1 where the value has: ``bias.grad +=
        # grad_y`` on a batch of 1 (never summed) looks the same as a kept axis.
        return None
    if _reduction_call(crash) is not None:
        # ``bias.grad += g.sum(axis=(2, 3))`` on a batch of 1: a reduction on the line kept no axis, so the size-1
        # axis is one it left unreduced (a sum over too few axes), not one keepdims kept.
        return None
    return Diagnosis(
        "length-one-axis",
        f"{stored}. A statistic kept with keepdims=True (shape {value}) broadcasts against the array it was "
        f"reduced from, but a buffer or entry of shape {destination} takes the plain vector: reduce without "
        f"keepdims for what is stored (or .reshape({', '.join(map(str, destination)) or '()'}"
        f"{',' if len(destination) == 1 else ''}) it first)",
        LOOKS_LIKE,
    )


# A Generator's draws and the position of their ``size`` argument (the one after it is a dtype or an option).
_SIZE_POSITION = {
    "random": 0,
    "standard_normal": 0,
    "standard_exponential": 0,
    "uniform": 2,
    "normal": 2,
    "integers": 2,
    "binomial": 2,
    "exponential": 1,
    "poisson": 1,
}


def _sizes_as_arguments(crash: Crash) -> Diagnosis | None:
    """``rng.random(*x.shape)`` or ``rng.random(N, D)``: the sizes passed one by one, as np.random.rand and randn
    take them, to a Generator, whose draws take the shape as one tuple (random's second argument is its dtype:
    "Cannot interpret '50' as a data type"; more sizes overflow the arguments: "takes at most 3 positional
    arguments"). numpy's array constructors (``np.zeros(*shape)``) take the shape alike."""
    if crash.error.type_name != "TypeError":
        return None
    found = _constructor_sizes(crash)
    if found is not None:
        return found
    for call in crash.nodes(ast.Call):
        position = _SIZE_POSITION.get(_callee(call))
        if position is None or not isinstance(call.func, ast.Attribute):
            continue
        found = _sizes_one_by_one(crash, call, separate=position == 0)
        if found is None:
            continue
        sizes, written = found
        fixed = (
            ast.unparse(call.func)
            + "("
            + ", ".join([*(crash.code(a) for a in call.args[:position] if not isinstance(a, ast.Starred)), sizes])
        )
        return Diagnosis(
            "rand-unpacked-shape",
            f"`{crash.code(call)}` {written}, as np.random.rand(d0, d1, ...) takes them: a Generator's "
            f"{_callee(call)} takes the shape as one tuple, its size argument (the argument after it is "
            f"{'the dtype' if position == 0 else 'another option'}, so the sizes are misread): `{fixed})`",
            IS,
        )
    return None


def _sizes_one_by_one(crash: Crash, call: ast.Call, separate: bool) -> tuple[str, str] | None:
    """``(the shape as the fix writes it, what the call did)`` when ``call`` unpacks a shape (``f(*x.shape)``) or,
    with ``separate``, passes its sizes as separate arguments (``f(N, D)``)."""
    starred = [a for a in call.args if isinstance(a, ast.Starred)]
    if starred:
        sizes = crash.code(starred[0].value)
        return sizes, f"unpacks {sizes} into separate arguments"
    if separate and len(call.args) >= 2:
        return f"({', '.join(crash.code(a) for a in call.args)})", "passes the sizes as separate arguments"
    return None


# numpy's array constructors whose first argument is the whole shape, one tuple, and whose second is the dtype.
_SHAPE_THEN_DTYPE = frozenset({"zeros", "ones", "empty"})


def _constructor_sizes(crash: Crash) -> Diagnosis | None:
    """``np.zeros(*x.shape)`` or ``np.zeros(N, D)``: the sizes passed as separate arguments, as np.random.rand
    takes them, to a constructor whose first argument is the whole shape (np.zeros's second is its dtype:
    "Cannot interpret '4' as a data type"; four sizes overflow its three arguments)."""
    if "as a data type" not in crash.message and "positional argument" not in crash.message:
        return None  # np.zeros(*shape) of a 1-D shape is legal: the line raised for another reason
    for call in crash.nodes(ast.Call):
        if _callee(call) not in _SHAPE_THEN_DTYPE or not isinstance(call.func, ast.Attribute):
            continue
        found = _sizes_one_by_one(crash, call, separate=len(call.args) >= 2 and not _names_a_dtype(call.args[1]))
        if found is None:
            continue
        sizes, written = found
        name = ast.unparse(call.func)
        return Diagnosis(
            "rand-unpacked-shape",
            f"`{crash.code(call)}` {written}, as np.random.rand(d0, d1, ...) takes them: {name} takes the shape as "
            "one tuple, its first argument, and reads the next argument as the dtype, so the sizes after the first "
            f"are misread. Pass the shape whole: `{name}({sizes})`",
            IS,
        )
    return None


def _names_a_dtype(node: ast.AST) -> bool:
    """``float``, ``np.float64``, ``"f8"``, ``x.dtype``: an argument written as a dtype (np.zeros(n, float))."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return name == "dtype" or re.fullmatch(r"(float|int|uint|bool|complex)\d*_?", name) is not None


def _vector_on_last_axis(crash: Crash) -> Diagnosis | None:
    """(N, C, H, W) against (C,): a vector of one value per channel, not reshaped, meets the last axis."""
    if crash.error.type_name != "ValueError" or "broadcast" not in crash.message:
        return None
    shapes = message_shapes(crash.message)
    vectors = {s[0] for s in shapes if len(s) == 1}
    for full in shapes:
        # Axis 1 holds the channels; numpy lines a vector up with the last axis, so only there does it fit.
        if len(full) < 3 or full[1] not in vectors or full[-1] == full[1]:
            continue
        C = full[1]
        target = "(1, C" + ", 1" * (len(full) - 2) + ")"
        met = (
            f"a vector of one value per channel, shape ({C},), met an array of shape {full} whose channels are "
            f"axis 1: numpy lines shapes up from the right, so the vector meets the last axis (size {full[-1]}), "
            "not the channels"
        )
        reshape = f"reshape it to {target}, vector.reshape(1, -1{', 1' * (len(full) - 2)}), before combining them"
        if _names_a_vector(crash):
            return Diagnosis("broadcast-wrong-axis", f"{met}. {reshape[0].upper()}{reshape[1:]}", LOOKS_LIKE)
        # The line shows no parameter or buffer: the vector may as well be a statistic reduced without
        # keepdims on another line (or another line of the same statement) as one not reshaped. Both said,
        # under the observation's tag: the pattern does not tell them apart.
        return Diagnosis(
            "exception",
            f"{met}. Either a per-channel vector was not reshaped ({reshape}) or a statistic of that array was "
            "reduced without keepdims=True (keep the reduced axes so it broadcasts back); the line that raised "
            "does not show which",
            LOOKS_LIKE,
        )
    return None


def _names_a_vector(crash: Crash) -> bool:
    """Does the line that raised read a parameter or a buffer of the component (a vector of its own)?"""
    own = set(crash.component.params) | {name for name, _ in crash.component.buffers}
    names = {n.attr for n in crash.nodes(ast.Attribute)} | {n.id for n in crash.nodes(ast.Name)}
    return bool(own & names)


def _per_row_values_on_columns(crash: Crash) -> Diagnosis | None:
    """(N, C) against (N,): one value per row, picked by an index (``x[rows, labels]``), meets the columns.

    A reduction that dropped its axis gives the same shapes; its reader runs first, and a line that
    reduces is left to it. The subscript on the line that picks one entry per row shows the mistake."""
    if crash.error.type_name != "ValueError" or "broadcast" not in crash.message or _reduction_call(crash):
        return None
    shapes = message_shapes(crash.message)
    table = next((s for s in shapes if len(s) == 2 and s[0] != s[1] and (s[0],) in shapes), None)
    if table is None or crash.tree is None:
        return None
    N, C = table
    picks = [
        node
        for node in crash.nodes(ast.Subscript)
        if isinstance(node.slice, ast.Tuple)
        and len(node.slice.elts) == 2
        and not any(
            isinstance(e, ast.Slice) or (isinstance(e, ast.Constant) and e.value is None) for e in node.slice.elts
        )
    ]
    why = (
        f"numpy lines shapes up from the right, so a vector of one value per row, shape ({N},), meets the {C} "
        f"columns of the ({N}, {C}) array, not its {N} rows"
    )
    if not picks:  # the vector came from an earlier line: a reduction without keepdims as likely as an index
        return None
    pick = crash.code(picks[0])
    return Diagnosis(
        "broadcast-wrong-axis",
        f"`{pick}`, on the line that raised, picks one value per row: {why}. Make it a column, `{pick}[:, None]` "
        f"(shape ({N}, 1)), so that each row's value meets its own row",
        IS,
    )


def _reduction_into_rows(crash: Crash) -> Diagnosis | None:
    """``grad[np.arange(N), labels] = a.sum(axis=0)``: one value per column assigned to one entry per row."""
    found = re.search(
        r"value array of shape \((\d+),?\) could not be broadcast to indexing result of shape \((\d+),?\)",
        crash.message,
    )
    if crash.error.type_name != "ValueError" or not found:
        return None
    got, wanted = (int(g) for g in found.groups())
    reduction = _reduction_call(crash)
    stated = _axes_of(reduction) if reduction is not None else None
    if got == wanted or stated is None or len(stated) != 1 or stated[0] not in (0, 1, -1, -2):
        return None
    axis = stated[0] % 2  # the rows and columns of a 2-D array: what the line reduces
    per, other, right = ("column", "row", 1) if axis == 0 else ("row", "column", 0)
    return Diagnosis(
        "reduced-over-wrong-axes",
        f"`{crash.code(reduction)}`, on the line that raised, reduces over axis {axis}, which leaves one value per "
        f"{per} ({got} of them), and they are assigned to one entry per {other} ({wanted} of them): the "
        f"reduction belongs over the other axis, axis={right}, one value per {other}",
        IS,
    )


def _bincount_without_minlength(crash: Crash) -> Diagnosis | None:
    """``np.bincount(rows)`` counting per row or per class: bincount returns max(rows) + 1 counts, so when the
    last rows (classes) have nothing to count its result is too short for the array it meets. The line that
    raised calls bincount without ``minlength`` and the shapes numpy names are of different lengths."""
    if crash.error.type_name != "ValueError" or not re.search(r"broadcast|shape", crash.message):
        return None
    calls = [
        node
        for node in crash.nodes(ast.Call)
        if _callee(node) == "bincount" and not any(k.arg == "minlength" for k in node.keywords)
    ]
    lengths = {shape[0] for shape in message_shapes(crash.message) if len(shape) == 1}
    if not calls or len(lengths) < 2:
        return None
    short, full = min(lengths), max(lengths)
    return Diagnosis(
        "bincount-without-minlength",
        f"`{crash.code(calls[0])}`, on the line that raised, returns one count per value up to the largest value "
        f"it is given (max + 1 of them), not one per row or class: when the last rows (or classes) have nothing to "
        f"count, the counts are too short ({short} where {full} are needed). Give it minlength (np.bincount(..., "
        "minlength=N)), or count along the axis itself (active.sum(axis=1))",
        IS,
    )


def _loss_not_scalar(crash: Crash) -> Diagnosis | None:
    """``float(loss)`` on an array: a loss reduced over one axis only (or not at all)."""
    if crash.error.type_name != "TypeError" or "converted to Python scalars" not in crash.message:
        return None
    if crash.component.kind != "loss" or crash.method != "forward":
        return None
    return Diagnosis(
        "loss-not-scalar",
        "the loss was still an array of several values where forward returns one number: a mean (or sum) over "
        "one axis only leaves one value per row or per column (np.mean(..., axis=0) keeps the columns), and none "
        "at all leaves every entry; the loss averages over every entry, np.mean(...) without an axis",
        IS,
    )


def _maximum_along_one_axis(crash: Crash) -> Diagnosis | None:
    """``float(np.max(a, axis=k))``: the largest entry taken along one axis, which leaves an array where
    one number belongs (any component whose line turns a maximum into a float)."""
    if crash.error.type_name != "TypeError" or "converted to Python scalars" not in crash.message:
        return None
    for call in crash.nodes(ast.Call):
        name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        if name in ("max", "amax", "nanmax") and _axis_node(call) is not None:
            return Diagnosis(
                "max-over-one-axis",
                f"{crash.code(call)} takes the largest entry along one axis only, which leaves one maximum per row "
                "or column, an array that float() cannot turn into one number; the largest of all entries is "
                "np.max(...) without an axis",
                IS,
            )
    return None


def _arg_index_without_axis(crash: Crash) -> Diagnosis | None:
    """``np.take_along_axis(a, idx[..., None], axis=-1)`` refused indices with another number of axes than ``a``,
    where ``idx`` is an argmax (argmin): called without an axis it returns one flat index of the whole array, a
    single number, so ``[..., None]`` gives it one axis. A "Cause" when the line shows the argmax without its
    axis; "looks like" when it shows an arg-reduction's result (a name with "arg") given its axis back."""
    if crash.error.type_name != "ValueError" or "must have the same number of dimensions" not in crash.message:
        return None
    for call in crash.nodes(ast.Call):
        name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        if name not in ("take_along_axis", "put_along_axis") or len(call.args) < 2:
            continue
        array, indices = call.args[0], call.args[1]
        for inner in crash.nodes(ast.Call, within=indices):
            inner_name = inner.func.attr if isinstance(inner.func, ast.Attribute) else getattr(inner.func, "id", "")
            if inner_name in ("argmax", "argmin", "nanargmax", "nanargmin") and _axis_node(inner) is None:
                return Diagnosis(
                    "argmax-without-axis",
                    f"`{crash.code(inner)}` has no axis: without one it returns one flat index of the whole array, a "
                    f"single number, so the indices given to {name} lack the axes of `{crash.code(array)}`. One "
                    f"index per row of the last axis (per window, per sample) is {inner_name}(axis=-1), which keeps "
                    "every other axis; [..., None] then gives it the array's number of axes",
                    IS,
                )
        added = isinstance(indices, ast.Subscript) and any(
            isinstance(n, ast.Constant) and n.value is None for n in ast.walk(indices.slice)
        )
        base = indices.value if isinstance(indices, ast.Subscript) else None
        base_name = (base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")) if base else ""
        if added and "arg" in base_name.lower():
            return Diagnosis(
                "argmax-without-axis",
                f"the indices `{crash.code(indices)}` given to {name} have another number of axes than "
                f"`{crash.code(array)}`, although [..., None] gives back the one axis an argmax along the last axis "
                f"removes: `{crash.code(base)}` has not one axis fewer than the array. An argmax without an axis "
                "returns one flat index of the whole array, a single number; one index per row of the last axis "
                "(per window, per sample) is argmax(axis=-1)",
                LOOKS_LIKE,
            )
    return None


def _along_axis_indices_short(crash: Crash) -> Diagnosis | None:
    """``np.take_along_axis(log_probs, labels, axis=1)`` with labels of shape (N,): the indices need the array's
    number of axes, one index per row, labels[:, None]. A "Cause" when the indices are the labels themselves (a
    name that reads as labels, with no axis added); "looks like" for other indices given without an added axis.
    An argmax without its axis is _arg_index_without_axis's."""
    if crash.error.type_name != "ValueError" or "must have the same number of dimensions" not in crash.message:
        return None
    for call in crash.nodes(ast.Call):
        name = _callee(call)
        if name not in ("take_along_axis", "put_along_axis") or len(call.args) < 2:
            continue
        array, indices = call.args[0], call.args[1]
        if any(isinstance(n, ast.Constant) and n.value is None for n in ast.walk(indices)):
            continue  # an axis was added: the number of axes is off elsewhere
        code, labels = crash.code(indices), _is_labels(indices)
        said = (
            f"np.{name}(`{crash.code(array)}`, `{code}`) needs indices with as many axes as the array: `{code}` "
            "holds one index per row, one axis fewer. Give each row its own index along the axis picked from: "
        )
        if labels:  # (N,) labels into (N, C) scores: the row-wise pick has a plain form too
            said += (
                f"`{code}[:, None]` (and [:, 0] on the result), or index the rows directly, "
                f"`{crash.code(array)}[np.arange(N), {code}]`"
            )
        else:
            said += f"`{code}[..., None]` on the axis the indices lack (and [..., 0] on the result)"
        return Diagnosis("take-without-axis", said, IS if labels else LOOKS_LIKE)
    return None


def _onehot_wrong_size(crash: Crash) -> Diagnosis | None:
    """``np.eye(N)[labels]``: one-hot rows cut from an identity whose size is not the number of classes (the
    batch size, say). Its rows are too short for the scores (a broadcast between (N, C) and (N, K)), or too
    few for the labels (a label with no row): the line shows the identity, the message its wrong size."""
    if crash.component.target != "class":
        return None
    picks = [
        node
        for node in crash.nodes(ast.Subscript)
        if isinstance(node.value, ast.Call)
        and _callee(node.value) in ("eye", "identity")
        and node.value.args
        and _is_labels(node.slice)
    ]
    if not picks:
        return None
    index = re.search(r"index (-?\d+) is out of bounds for axis 0 with size (\d+)", crash.message)
    pairs = [s for s in message_shapes(crash.message) if len(s) == 2]
    if crash.error.type_name == "IndexError" and index:
        seen = f"label {index.group(1)} has no row among its {index.group(2)}"
    elif crash.error.type_name == "ValueError" and len(pairs) == 2 and pairs[0][1] != pairs[1][1]:
        seen = f"shapes {pairs[0]} and {pairs[1]}: the one-hot rows are not as long as the rows of scores"
    else:
        return None
    pick = picks[0]
    return Diagnosis(
        "onehot-wrong-size",
        f"`{crash.code(pick)}` cuts the one-hot rows from an identity of size {crash.code(pick.value.args[0])} "
        f"(here {seen}): a one-hot row has one entry per class, so the identity is C x C, C the number of "
        f"classes (the scores' columns): np.eye(C)[labels]",
        IS,
    )


def _onehot_without_column(crash: Crash) -> Diagnosis | None:
    """``np.arange(C) == labels``: a one-hot built by comparing the class numbers, a (C,) row, with the labels, an
    (N,) vector, where the labels must stand as a column, ``labels[:, None]``, to broadcast to (N, C). Numpy
    refuses the two vectors unless N == C (and then compares them entry by entry)."""
    scores = crash.inputs.get("input", ())
    if crash.component.target != "class" or crash.error.type_name != "ValueError" or len(scores) != 2:
        return None
    N, C = scores
    if N == C or sorted(message_shapes(crash.message)) != sorted([(N,), (C,)]):
        return None
    compares = [
        node
        for node in crash.nodes(ast.Compare)
        if any(isinstance(op, ast.Eq) for op in node.ops)
        and any(isinstance(side, ast.Call) and _callee(side) == "arange" for side in (node.left, *node.comparators))
    ]
    if not compares:
        return None
    return Diagnosis(
        "broadcast-wrong-axis",
        f"`{crash.code(compares[0])}` compares the class numbers, a vector of {C}, with the labels, a vector of "
        f"{N}: two vectors broadcast entry by entry (and not at all unless their lengths agree), not into a table. "
        "The one-hot is (N, C): put the labels in a column, np.arange(C) == labels[:, None]",
        IS,
    )


# Layer settings docs/api.md accepts as an int or a pair (h, w).
_PAIR_SETTINGS = ("kernel_size", "stride", "padding")


def _pair_setting_refused(crash: Crash) -> Diagnosis | None:
    """A constructor that raised TypeError on a tuple: a setting docs/api.md accepts as a pair (stride=(2, 1))
    met code written for an int (``stride < 1``, ``(stride, stride)`` then arithmetic on it, ``int(stride)``)."""
    pairs = [name for name, _ in crash.component.signature if name in _PAIR_SETTINGS]
    if crash.error.type_name != "TypeError" or crash.method != "__init__" or not pairs:
        return None
    if "tuple" not in crash.message:
        return None
    named = ", ".join(pairs)
    return Diagnosis(
        "valid-input-refused",
        f"the constructor raised a TypeError on a tuple: docs/api.md accepts {named} as an int or a pair (h, w), "
        "and a setting given as a pair reached code written for an int (a comparison, arithmetic, int(), or "
        "(s, s) built from what is already a pair); turn each of them into a pair first, as for kernel_size, and "
        "use its two entries",
        IS,
    )


def _classes_from_labels(crash: Crash) -> Diagnosis | None:
    """A one-hot (or any per-class array) with as many columns as the labels of the batch show, their largest + 1
    or their number of distinct values, where the scores have C: too short for a label (an IndexError) or for the
    scores' rows (a broadcast between (N, C) and (N, K)). The labels the call was given say which count it is."""
    labels, scores = crash.labels, crash.inputs.get("input", ())
    if crash.component.target != "class" or not labels or len(scores) != 2:
        return None
    N, C = scores
    counts = {"their largest + 1, labels.max() + 1": max(labels) + 1, "the distinct labels": len(set(labels))}
    index = re.search(r"index (-?\d+) is out of bounds for axis 1 with size (\d+)", crash.message)
    pairs = [s for s in message_shapes(crash.message) if len(s) == 2]
    if crash.error.type_name == "IndexError" and index:
        width, seen = int(index.group(2)), f"label {index.group(1)} has no column among {index.group(2)}"
    elif crash.error.type_name == "ValueError" and len(pairs) == 2 and (N, C) in pairs:
        other = pairs[1] if pairs[0] == (N, C) else pairs[0]
        if other[0] != N:
            return None
        width, seen = other[1], f"shapes {pairs[0]} and {pairs[1]}: rows of {other[1]} against rows of {C} scores"
    else:
        return None
    which = [how for how, count in counts.items() if count == width]
    if width >= C or width == N or not which:  # the batch size, or a count the labels do not explain
        return None
    return Diagnosis(
        "onehot-wrong-size",
        f"the one-hot target (or another per-class array) has {width} columns, the number of classes counted from "
        f"the labels of this batch ({' or '.join(which)} of {list(labels)}), where the scores have C = {C} (here "
        f"{seen}): a batch need not hold every class, and its labels cannot tell how many there are; the number of "
        "classes is the scores' columns, C = x.shape[1]: np.eye(x.shape[1])[labels]",
        IS,
    )


def _callee(call: ast.Call) -> str:
    """``np.eye(...)`` -> "eye"."""
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _labels_index_rows(crash: Crash) -> Diagnosis | None:
    """``log_probs[labels]`` or ``log_probs[labels, np.arange(N)]``: the labels index axis 0, the batch,
    where each sample's own column belongs."""
    found = re.search(r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)", crash.message)
    if crash.error.type_name != "IndexError" or not found or crash.component.kind != "loss":
        return None  # (class labels that index an array are a loss's)
    value, axis, size = (int(g) for g in found.groups())
    for subscript in crash.nodes(ast.Subscript):
        index = subscript.slice
        swapped = isinstance(index, ast.Tuple) and len(index.elts) == 2
        first = index.elts[0] if swapped else index
        if not _is_labels(first) or (not swapped and axis != 0):
            continue
        array, labels = crash.code(subscript.value), crash.code(first)
        if swapped:
            how = f"puts the labels first: {labels} indexes axis 0, the batch, and the sample numbers the classes"
        else:
            how = "indexes only axis 0, the batch, with the labels: it picks whole rows numbered by the class"
        seen = (
            f"label {value} is no row of a batch of {size}"
            if axis == 0
            else f"sample {value} is no column of {size} classes"
        )
        return Diagnosis(
            "labels-index-rows",
            f"`{crash.code(subscript)}` {how} (here {seen}). Each sample's own entry is row n, column y_n: "
            f"`{array}[np.arange(N), {labels}]`, the true class of each row",
            IS,
        )
    return None


def _rows_count_classes(crash: Crash) -> Diagnosis | None:
    """``log_probs[np.arange(N), labels]`` with ``N = x.shape[1]``: the row numbers count the classes, C, where
    one per sample belongs. numpy names both lengths ("could not be broadcast together with shapes (5,) (6,)");
    the labels have N; the claim is made only when the case's input (N, C) says the other length is its C."""
    found = re.search(
        r"indexing arrays could not be broadcast together with shapes \((\d+),?\) \((\d+),?\)", crash.message
    )
    if crash.error.type_name != "IndexError" or not found or crash.component.target != "class":
        return None
    lengths = [int(g) for g in found.groups()]
    scores = [shape for shape in crash.inputs.values() if len(shape) == 2]
    for subscript in crash.nodes(ast.Subscript):
        index = subscript.slice
        if not (isinstance(index, ast.Tuple) and len(index.elts) == 2):
            continue
        rows, labels = index.elts  # np.arange(N), range(N), or a name holding either
        if _is_labels(rows) or not _is_labels(labels):
            continue
        counted, batch = lengths
        if not any(shape == (batch, counted) for shape in scores) or counted == batch:
            return None
        return Diagnosis(
            "batch-classes-confused",
            f"`{crash.code(rows)}` numbers {counted} rows, the number of classes C (the scores' columns), while "
            f"there are {batch} labels, one per sample: the batch size N and the number of classes C were "
            f"confused. N is the number of rows, x.shape[0]; C is x.shape[1]",
            IS,
        )
    return None


_FLATTENING = ("ravel", "flatten", "reshape")


def _flattening(node: ast.AST) -> bool:
    """``a.ravel()``, ``a.flatten()``, ``a.reshape(-1)``, ``np.ravel(a)`` or ``a.flat``: the array as one row."""
    if isinstance(node, ast.Attribute):
        return node.attr == "flat"
    if not isinstance(node, ast.Call) or _callee(node) not in _FLATTENING:
        return False
    return _callee(node) != "reshape" or [ast.unparse(a) for a in node.args][-1:] == ["-1"]


def _row_length_is_row_count(product: ast.BinOp) -> bool:
    """Is the row length of ``rows * length`` written as the number of rows: ``np.arange(K) * K``, or a
    length read as ``len(a)`` or ``a.shape[0]``?"""
    sides = (product.left, product.right)
    counted = [ast.unparse(s.args[0]) for s in sides if isinstance(s, ast.Call) and _callee(s) == "arange" and s.args]
    for side in sides:
        written = ast.unparse(side)
        if (
            written in counted
            or written.endswith("shape[0]")
            or (isinstance(side, ast.Call) and _callee(side) == "len")
        ):
            return True
    return False


def _choose_arguments(call: ast.Call) -> tuple[ast.AST, ast.AST] | None:
    """(indices, choices) of ``np.choose(indices, choices)`` or of the method form ``indices.choose(choices)``."""
    if _callee(call) != "choose":
        return None
    module = isinstance(call.func, ast.Attribute) and ast.unparse(call.func.value) in ("np", "numpy")
    if module and len(call.args) >= 2:
        return call.args[0], call.args[1]
    if not module and isinstance(call.func, ast.Attribute) and call.args:
        return call.func.value, call.args[0]
    return None


def _numpy_error(run: Callable[[], Any]) -> str | None:
    """numpy's message when ``run`` raises a ValueError (the mistake simulated), else None."""
    try:
        run()
    except ValueError as error:
        return str(error)
    return None


def _choose_rows_as_choices(crash: Crash) -> Diagnosis | None:
    """``np.choose(labels, scores)``: np.choose takes its choices along the first axis of the second argument, so
    the N rows of (N, C) scores are the choices, each a whole row broadcast against the labels: it picks entry
    (y_j, j), the label numbering a row, and fails when C differs from N ("shape mismatch"), when a label names no
    row ("invalid entry in choice array") or past the number of choices it accepts (32, or 64 in numpy 2). A
    "Cause" when np.choose on the case's labels and an array of the case's shape raises numpy's very message."""
    if crash.error.type_name != "ValueError" or crash.component.target != "class":
        return None
    calls = [(call, found) for call in crash.nodes(ast.Call) if (found := _choose_arguments(call)) is not None]
    if len(calls) != 1:
        return None
    call, (indices, choices) = calls[0]
    labels, scores = crash.labels, crash.inputs.get("input", ())
    simulated = (
        _numpy_error(lambda: np.choose(np.asarray(labels), np.zeros(scores))) if labels and len(scores) == 2 else None
    )
    if simulated != crash.message.strip():
        known = ("shape mismatch", "invalid entry in choice array", "array objects")
        if not any(words in crash.message for words in known):
            return None
        seen, confidence = "", LOOKS_LIKE
    else:
        N, C = scores
        if "invalid entry" in simulated:
            seen = f" (here label {max(labels)} names no row among the {N} choices)"
        elif "shape mismatch" in simulated:
            seen = f" (here rows of C = {C} entries against N = {N} labels, which do not broadcast)"
        else:
            seen = f" (here its N = {N} rows are more choices than np.choose accepts)"
        confidence = IS
    return Diagnosis(
        "transposed",
        f"`{crash.code(call)}` takes its choices along the first axis of `{crash.code(choices)}`: the rows (one per "
        f"sample) are the choices, each a whole row broadcast against `{crash.code(indices)}`, so the label numbers "
        f"a row and the position a column, entry (y_j, j), the transpose of what each sample needs{seen}. Each "
        f"sample's own entry is row n, column y_n: `{crash.code(choices)}[np.arange(N), {crash.code(indices)}]` "
        f"(np.choose would need the classes as its choices, `{crash.code(choices)}.T`, and at most 32 or 64 of them)",
        confidence,
    )


# numpy's linalg.norm with an ord: a vector norm for 1-D arrays, a matrix norm for 2-D ones, and nothing else.
_NORM_DIMENSIONS = "Improper number of dimensions to norm"


def _norm_with_ord(crash: Crash) -> Diagnosis | None:
    """``np.linalg.norm(d, 2)``: given an ord (and no axis), norm takes a 1-D array as a vector and a 2-D one as a
    matrix (ord=2 is then the largest singular value, not the entry-wise norm), and refuses any other number of
    axes, which is what numpy's message says. The line shows the ord; the entry-wise norm has none."""
    if crash.error.type_name != "ValueError" or _NORM_DIMENSIONS not in crash.message:
        return None
    calls = [
        call
        for call in crash.nodes(ast.Call)
        if _callee(call) == "norm"
        and (len(call.args) >= 2 or any(k.arg == "ord" for k in call.keywords))
        and not (len(call.args) >= 3 or any(k.arg == "axis" for k in call.keywords))
    ]
    if len(calls) != 1:
        return None
    call = calls[0]
    shape = crash.inputs.get("input")
    seen = f" (here an array of {len(shape)} axes, shape {shape})" if shape is not None and len(shape) != 2 else ""
    return Diagnosis(
        "norm-not-entrywise",
        f"`{crash.code(call)}` gives norm an ord: with one, norm takes a 1-D array as a vector and a 2-D array as a "
        "matrix (ord=2 is then its largest singular value, not the square root of the sum of the squares) and refuses "
        f"any other number of axes, which is what the error says{seen}. The entry-wise norm over every entry is "
        f"`np.linalg.norm({crash.code(call.args[0]) if call.args else 'a'})` without ord, which flattens any shape, "
        "or np.sqrt(np.sum(a ** 2)); a mean of squares is np.mean(a ** 2)",
        IS,
    )


def _flat_index_row_length(crash: Crash) -> Diagnosis | None:
    """``a.ravel()[np.arange(N) * N + labels]``: entry (n, j) of an (N, C) array flattened is at n * C + j, its
    row length C; with the batch size N as the row length (N > C) the last rows' indices pass the N * C entries
    (numpy: "index 30 is out of bounds for axis 0 with size 30"). Claimed when the case's input is (N, C) with
    N * C entries, the index is within what n * N + j reaches, and the line indexes a flattened array with a
    product."""
    found = re.search(r"index (\d+) is out of bounds for axis 0 with size (\d+)", crash.message)
    if crash.error.type_name != "IndexError" or not found or crash.component.target != "class":
        return None  # (an (N, C) array of scores against class labels: a class loss's)
    index, size = int(found.group(1)), int(found.group(2))
    shapes = [s for s in crash.inputs.values() if len(s) == 2 and s[0] * s[1] == size and s[0] > s[1]]
    if not shapes:
        return None
    N, C = shapes[0]
    if not N * C <= index <= (N - 1) * N + C - 1:
        return None
    for subscript in crash.nodes(ast.Subscript):
        if not _flattening(subscript.value):
            continue
        products = [b for b in crash.nodes(ast.BinOp, subscript.slice) if isinstance(b.op, ast.Mult)]
        if not products:
            continue
        sure = any(_row_length_is_row_count(b) for b in products)
        return Diagnosis(
            "batch-classes-confused",
            f"`{crash.code(subscript)}` indexes the ({N}, {C}) array flattened, with a row length of N = {N}, the "
            f"batch size (index {index} is past its {size} entries): the batch size N and the number of classes C "
            f"were confused. A row of an (N, C) array holds C = {C} entries, so entry (n, j) of the flattened array "
            "is at n * C + j, C = x.shape[1]; or index the 2-D array itself, a[np.arange(N), labels]",
            IS if sure else LOOKS_LIKE,
        )
    return None


def _xor_for_power(crash: Crash) -> Diagnosis | None:
    """``diff ^ 2``: Python's ``^`` is bitwise xor, defined for integers and booleans only, so on floats it raises
    (numpy: "ufunc 'bitwise_xor' not supported", Python: "unsupported operand type(s) for ^"). The line shows
    the ``^``; no float formula means xor, so it was a power."""
    if crash.error.type_name != "TypeError" or not ("bitwise_xor" in crash.message or "for ^" in crash.message):
        return None
    xors = [node for node in crash.nodes(ast.BinOp) if isinstance(node.op, ast.BitXor)]
    if not xors:
        return None
    written = crash.code(xors[0])
    power = f"{crash.code(xors[0].left)} ** {crash.code(xors[0].right)}"
    return Diagnosis(
        "xor-for-power",
        f"`{written}` is not a power: in Python ^ is bitwise xor, defined for integers only (so it fails on "
        f"floats); the exponent operator is **: `{power}`",
        IS,
    )


def _is_labels(node: ast.AST) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return bool(name) and bool(_LABELS.search(name.lstrip("_")))


def _shape_reads(crash: Crash, within: ast.AST | None = None) -> list[tuple[ast.Subscript, str, int]]:
    """``x.shape[2]`` on the line: (node, "x.shape", 2) for every fixed index into a shape."""
    reads = []
    for subscript in crash.nodes(ast.Subscript, within):
        base = ast.unparse(subscript.value)
        index = subscript.slice
        if base.endswith("shape") and isinstance(index, ast.Constant):  # x.shape, shape, self._x_shape
            if isinstance(index.value, int) and not isinstance(index.value, bool):
                reads.append((subscript, base, index.value))
    return reads


def _product_start(crash: Crash, base: str) -> int | None:
    """The first axis of a product of fixed axes (``shape[1] * shape[2]`` -> 1): where the product of
    every further axis should start; None when the line multiplies no two of them."""
    for product in crash.nodes(ast.BinOp):
        if isinstance(product.op, ast.Mult):
            inside = [k for _, b, k in _shape_reads(crash, product) if b == base and k >= 0]
            if len(inside) >= 2:
                return min(inside)
    return None


def _any_axes(crash: Crash, base: str) -> str:
    """What the API allows, and how to write it for any number of axes."""
    name = base.removesuffix(".shape")
    shape = crash.inputs.get(name)
    here = f" (here {name} has shape {shape}: {_words(len(shape))} axes)" if shape is not None else ""
    first = _product_start(crash, base)
    if first is None:
        return f"the API allows any number of axes{here}: use the whole shape, or a slice such as {base}[1:]"
    return (
        f"the API allows any number of axes{here}: take the product of every axis from {first} on, "
        f"math.prod({base}[{first}:]) (1 when there is none)"
    )


def _fixed_axes(crash: Crash) -> Diagnosis | None:
    """``x.shape[2]``, ``reshape(N, shape[1] * shape[2])``, ``a, b = shape``: written for a fixed
    number of axes where the API allows any number."""
    message, kind = crash.message, crash.error.type_name
    reads = _shape_reads(crash)
    if kind == "IndexError" and "tuple index out of range" in message and reads:
        # The shape read with the largest fixed index is the one a smaller input lacks.
        last, base = max((k, b) for _, b, k in reads)
        if last < 1:
            return None
        return Diagnosis(
            "fixed-number-of-axes",
            f"the line that raised reads {base}[{last}], which exists only when there are at least "
            f"{_words(last + 1)} axes: it was written for {_words(last + 1)}-axis inputs, but {_any_axes(crash, base)}",
            IS,
        )
    if kind == "ValueError" and "cannot reshape" in message and len(reads) >= 2:
        base = reads[0][1]
        indices = sorted({k for _, b, k in reads if b == base and k >= 0})
        if len(indices) < 2:
            return None
        allowed = _any_axes(crash, base)
        return Diagnosis(
            "fixed-number-of-axes",
            f"the reshape on the line that raised keeps only axes {', '.join(map(str, indices))} of {base}, as if the "
            f"input always had {_words(indices[-1] + 1)} axes; {allowed}, or reshape({base}[0], -1)",
            IS,
        )
    unpacked = _unpacked(crash)
    if unpacked is None or unpacked.loop:
        return None
    targets, value, count, got = unpacked.targets, unpacked.value, unpacked.names, unpacked.got
    text = crash.code(value)
    if not (text == "shape" or text.endswith(".shape")):
        return None
    seen = f"the shape has {got}" if got is not None else "the shape has more"
    sentence = (
        f"`{targets} = {text}` unpacks the shape into exactly {_words(count)} names ({seen}), as if every shape had "
        f"{_words(count)} axes; the API allows any number of axes"
    )
    if crash.component.kind in _SHAPE_FUNCTIONS and count == 2:
        sentence += (
            ": a conv kernel (out, in, kh, kw) has a receptive field kh * kw, which belongs in both fans; "
            "fan_in_and_fan_out(shape) computes them for any shape"
        )
        return Diagnosis("receptive-field-ignored", sentence, IS)
    return Diagnosis("fixed-number-of-axes", sentence, IS)


@dataclass(frozen=True)
class Unpacking:
    """The unpacking a message complains about: ``targets = value`` (or ``for targets in value``)."""

    targets: str
    value: ast.AST
    names: int
    got: int | None  # how many values came, when numpy says
    loop: bool  # each item of ``value`` is unpacked, not ``value`` itself


def _unpacked(crash: Crash) -> Unpacking | None:
    found = re.search(r"(too many|not enough) values to unpack \(expected (\d+)(?:, got (\d+))?\)", crash.message)
    if crash.error.type_name != "ValueError" or not found:
        return None
    for node in crash.nodes(ast.Assign) + crash.nodes(ast.For) + crash.nodes(ast.comprehension):
        target = node.targets[0] if isinstance(node, ast.Assign) else node.target
        if isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == int(found.group(2)):
            loop = not isinstance(node, ast.Assign)
            value = node.iter if loop else node.value
            got = int(found.group(3)) if found.group(3) else None
            return Unpacking(crash.code(target), value, len(target.elts), got, loop)
    return None


def _matmul_operands_swapped(crash: Crash) -> Diagnosis | None:
    """``self.weight @ X`` (or ``np.dot(self.weight, X)``): a parameter first, the batch second, whose
    samples axis then meets the parameter's features (numpy says the two do not line up)."""
    matmul = "operand 1 has a mismatch in its core dimension 0" in crash.message
    if crash.error.type_name != "ValueError" or not (matmul or "not aligned" in crash.message):
        return None
    pairs = [(n, n.left, n.right) for n in crash.nodes(ast.BinOp) if isinstance(n.op, ast.MatMult)]
    pairs += [
        (n, n.args[0], n.args[1])
        for n in crash.nodes(ast.Call)
        if isinstance(n.func, ast.Attribute) and n.func.attr in ("dot", "matmul") and len(n.args) == 2
    ]
    for node, left, right in pairs:
        parameter = isinstance(left, ast.Attribute) and isinstance(left.value, ast.Name) and left.value.id == "self"
        if parameter and isinstance(right, ast.Name):
            return Diagnosis(
                "matmul-order",
                f"`{crash.code(node)}` puts the parameter first, but the batch {right.id} holds one sample per row "
                f"(N, features): the samples axis stays first, so the batch goes on the left, {right.id} @ "
                f"{crash.code(left)} (transposed where the parameter's layout asks)",
                LOOKS_LIKE,
            )
    return None


def _loss_matrix_product(crash: Crash) -> Diagnosis | None:
    """``np.dot(x, t)`` (``x @ t``, ``np.matmul``) in a loss: no loss formula has a matrix product, each of its terms
    pairs an input entry with its own target entry (``x * t``). numpy refuses the product of two arrays of the same
    non-square shape, and that shape is the one the loss was given (on vectors the same line is one number, the inner
    product, subtracted from every entry)."""
    if crash.component.kind != "loss" or crash.error.type_name != "ValueError":
        return None
    if not re.search(r"not aligned|core dimension", crash.message):
        return None
    products = [n for n in crash.nodes(ast.BinOp) if isinstance(n.op, ast.MatMult)]
    products += [n for n in crash.nodes(ast.Call) if _callee(n) in ("dot", "matmul", "inner")]
    shapes = message_shapes(crash.message)
    given = set(crash.inputs.values())
    if not products or len(shapes) < 2 or shapes[0] != shapes[1] or shapes[0] not in given:
        return None
    return Diagnosis(
        "matmul-for-elementwise",
        f"`{crash.code(products[0])}` is a matrix product of two arrays of shape {shapes[0]}, the shape the loss was "
        "given: a loss's terms are entrywise, each entry paired with its own partner (x * t, d * d, with *), and "
        "then averaged; a matrix product sums over an axis instead (np.dot of two vectors is one number, the sum of "
        "the products), and numpy refuses it for these shapes",
        IS,
    )


def transposed_rows(tree: ast.AST | None) -> list[ast.AST]:
    """The ``a[n].T`` (``a[n, :].T``, ``a[n].transpose()``, ``np.transpose(a[n])``) of a line: one row of an array,
    picked by a single index, transposed. Of a matrix's row, a 1-D array, that transposes nothing."""
    if tree is None:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "T":
            operand = node.value
        elif isinstance(node, ast.Call) and _callee(node) == "transpose" and isinstance(node.func, ast.Attribute):
            operand = node.func.value if not node.args else node.args[0] if len(node.args) == 1 else None
        else:
            continue
        if isinstance(operand, ast.Subscript) and _one_index(operand.slice):
            found.append(node)
    return found


def transposed_row(source: str) -> str | None:
    """The code of the first ``g[n].T`` (one row of an array, transposed) on the line ``source``, if any. A shape
    error there is read from the line, not from the sizes alone, which other products give as well."""
    line = source.strip()
    try:
        rows = transposed_rows(ast.parse(line) if line else None)
    except SyntaxError:
        return None
    return ast.unparse(rows[0]) if rows else None


def one_row_transposed(row: str) -> str:
    """The mistake of ``g[n].T @ x[n]`` where ``g[n]`` is a 1-D row."""
    return (
        f"`{row}` transposes one row, a 1-D array: .T of a 1-D array is the same array (a vector has one axis, "
        "nothing to swap), so it is not a column, and a product of two such vectors with @ is their inner product "
        "(one number, which needs equal lengths), not the outer product, a matrix. Make the column explicit: "
        "np.outer(a, b), or a[:, None] * b[None, :] (for a whole batch of rows, A.T @ B sums those outer products)"
    )


def _one_index(index: ast.AST) -> bool:
    """``[n]``, ``[n, :]``: one integer position, then whole axes (a row of a matrix)."""
    if isinstance(index, ast.Tuple):
        head, rest = index.elts[0] if index.elts else None, index.elts[1:]
        whole = [isinstance(e, ast.Slice) and e.lower is e.upper is e.step is None for e in rest]
        return head is not None and _one_index(head) and all(whole)
    return not isinstance(index, (ast.Slice, ast.Tuple, ast.List)) and not (
        isinstance(index, ast.Constant) and index.value in (None, Ellipsis)
    )


def _transpose_of_one_row(crash: Crash) -> Diagnosis | None:
    """``g[n].T @ x[n]``, "a column times a row": .T of a 1-D array (a matrix's row) is that same array, so the
    product of two vectors is their inner product, which numpy refuses for unequal lengths."""
    message = crash.message
    shapes = "matmul" in message or "not aligned" in message or "broadcast" in message
    if crash.error.type_name != "ValueError" or not shapes:
        return None
    rows = transposed_rows(crash.tree)
    # Only a message that names a 1-D shape (np.dot, broadcasting) shows the row is 1-D: cols[n].T of a 3-D
    # array is a real transpose. (A layer with 2-D inputs, whose rows are 1-D, is read in layer_mistakes.crash.)
    named = message_shapes(message)
    if not rows or not any(len(shape) == 1 for shape in named):
        return None
    return Diagnosis("transpose-of-1d", one_row_transposed(crash.code(rows[0])), LOOKS_LIKE)


def _division_by_zero(crash: Crash) -> Diagnosis | None:
    """``1 / (1 - p)`` at p = 1: a division the API's edge case makes 0."""
    if crash.error.type_name != "ZeroDivisionError":
        return None
    divisions = (ast.Div, ast.FloorDiv, ast.Mod)
    divisors = [node.right for node in crash.nodes(ast.BinOp) if isinstance(node.op, divisions)]
    divisors += [node.value for node in crash.nodes(ast.AugAssign) if isinstance(node.op, divisions)]
    # (1 - p) ** -1 divides too.
    divisors += [
        node.left
        for node in crash.nodes(ast.BinOp)
        if isinstance(node.op, ast.Pow) and isinstance(node.right, ast.UnaryOp) and isinstance(node.right.op, ast.USub)
    ]
    bessel = _bessel_of_batch_size(crash, divisors)
    if bessel is not None:
        return bessel
    for divisor in divisors:
        # 1 - p, where p is a name or an attribute (a hyper-parameter): 0 at p = 1, which the case passed.
        if (
            isinstance(divisor, ast.BinOp)
            and isinstance(divisor.op, ast.Sub)
            and isinstance(divisor.left, ast.Constant)
            and divisor.left.value == 1
            and isinstance(divisor.right, (ast.Name, ast.Attribute))
        ):
            name = ast.unparse(divisor.right).rsplit(".", 1)[-1]
            # A random layer's drop probability: the one setting of the course's cases that makes 1 - p zero (a
            # reading of another 1 - name would claim an edge case no case passes, so none is made).
            if crash.component.random and name == "p":
                return Diagnosis(
                    "dropout-divides-by-zero-at-p-one",
                    f"the line that raised divides by `{crash.code(divisor)}`, which is 0 at p = 1; the API allows "
                    "p = 1 (every entry dropped, the output 0), so the scale needs its own case there: 0 for p = 1, "
                    "1 / (1 - p) otherwise",
                    IS,
                )
    return None  # another divisor: which edge case made it 0 is not on the line


def _bessel_of_batch_size(crash: Crash, divisors: list[ast.AST]) -> Diagnosis | None:
    """BatchNorm's Bessel factor n / (n - 1) in Python numbers, raised in forward: the divisor ``n - 1`` is 0, so
    the student's n is 1, while the values per channel of a training batch, x.size // C, are more than 1 in every
    batch the grader gives (docs/api.md: training on one value per channel raises). So n counted some axes only:
    on a batch of 1, the batch size N. "Looks like": the crash does not show the input's shape."""
    if crash.component.formula != "batch-norm" or crash.method != "forward":
        return None
    for divisor in divisors:
        if (
            isinstance(divisor, ast.BinOp)
            and isinstance(divisor.op, ast.Sub)
            and isinstance(divisor.right, ast.Constant)
            and divisor.right.value == 1
        ):
            return Diagnosis(
                "bn-biased-running-var",
                f"the line that raised divides by `{crash.code(divisor)}`, which is 0, so its "
                f"`{crash.code(divisor.left)}` is 1: the Bessel correction n / (n - 1) with n counting too few "
                "values, as the batch size N does on a batch of 1. n is the number of values per channel, "
                "x.size // C (N * L, or N * H * W), which a training batch has more than 1 of",
                LOOKS_LIKE,
            )
    return None


# numpy's and Python's words for an operator, to find the operation the message names.
_OPERATORS = {"*": ast.Mult, "+": ast.Add, "-": ast.Sub, "/": ast.Div, "@": ast.MatMult, "**": ast.Pow}


def _own(node: ast.AST) -> bool:
    """self.<name>, not self.<name>[i] or a call's result."""
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"


def _none_operands(crash: Crash, own: Callable[[ast.AST], bool] = _own) -> list[str]:
    """The attributes of ``self`` (or the nodes ``own`` picks) that the message shows to be None: the operand
    of the operation it names (``grad_y * self._mask``), the object of the attribute or index it names
    (``self._x.T``)."""
    message, found = crash.message, []

    attribute = re.search(r"'NoneType' object has no attribute '(\w+)'", message)
    if attribute:
        found = [n.value for n in crash.nodes(ast.Attribute) if n.attr == attribute.group(1) and own(n.value)]
    elif "'NoneType' object is not subscriptable" in message:
        found = [n.value for n in crash.nodes(ast.Subscript) if own(n.value)]
    else:
        operation = re.search(r"unsupported operand type\(s\) for (\S+): '(\w+)' and '(\w+)'", message)
        op = _OPERATORS.get(operation.group(1).rstrip("=")) if operation else None
        if op is not None:
            left_none, right_none = operation.group(2) == "NoneType", operation.group(3) == "NoneType"
            for node in crash.nodes(ast.BinOp) + crash.nodes(ast.AugAssign):
                if not isinstance(node.op, op):
                    continue
                left, right = (node.target, node.value) if isinstance(node, ast.AugAssign) else (node.left, node.right)
                found += [side for side, none in ((left, left_none), (right, right_none)) if none and own(side)]
    return sorted({crash.code(node) for node in found})


def _saved_none(crash: Crash) -> Diagnosis | None:
    """``grad_y * self._mask`` with ``self._mask`` None: forward took a path that saved nothing."""
    if crash.error.type_name not in ("TypeError", "AttributeError") or "NoneType" not in crash.message:
        return None
    saved = _none_operands(crash)
    if len(saved) != 1:
        return None  # nothing of self, or several candidates: which one is None is not on the line
    which, method, state = f"`{saved[0]}`", crash.method or "the method", crash.error.state
    if saved[0] == "self.bias" and _optional_bias(crash.component):
        # Not a value forward forgot to save: the API makes the parameter None on purpose (bias=False).
        return Diagnosis(
            "bias-none",
            f"{which} is None: a layer built with bias=False has no bias (docs/api.md: `bias` is then None), and "
            f"{method} uses it unconditionally; guard each use with `if self.bias is not None:`",
            LOOKS_LIKE,
        )
    if state:
        return Diagnosis(
            "saved-none",
            f"{which} is None when {method} runs after a forward {state}: forward saves nothing on that path, and "
            f"{method} must handle that path too (test the same condition, e.g. `self.training`, or "
            "`mask is None`)",
            IS,
        )
    return Diagnosis(
        "saved-none",
        f"{which}, which {method} reads, is None: the call before it did not save it on the path it took (a mode, "
        "an argument, or an early return that skips the assignment), or saved it under another name",
        LOOKS_LIKE,
    )


def _local_none(crash: Crash) -> Diagnosis | None:
    """``(1 - beta1) * g`` with the local ``g`` None: a plain variable is None when it was assigned the result of a
    function that returns nothing (a helper that updates in place and has no ``return``, or an in-place method
    such as ``list.sort()``). Not confirmed: ``g = None`` written on purpose reads the same. An argument of the
    API's signature is left out: the caller may pass None there (``rng=None``), and that is another story. The
    variable must be the only operand of the line the message can mean that may be None: beside ``start +
    batch_size`` (an argument the API allows to be None), ``start + size`` does not say which of the two is None."""
    if crash.error.type_name not in ("TypeError", "AttributeError") or "NoneType" not in crash.message:
        return None
    arguments = {name for name, _ in crash.component.signature} | {"self"}
    names = _none_operands(crash, lambda node: isinstance(node, ast.Name) and node.id not in arguments)
    if len(names) != 1:
        return None  # nothing of the kind, or several candidates: which one is None is not on the line
    optional = {name for name, default in crash.component.signature if default is None}
    if _none_operands(crash, lambda node: isinstance(node, ast.Name) and node.id in optional):
        return None  # an argument the API allows to be None is an operand there too: it may be the None one
    return Diagnosis(
        "returns-none",
        f"`{names[0]}` is None on this line: a variable is None when it was assigned the result of a function that "
        "returns nothing, such as a helper that changes its arguments in place but has no `return` (or an in-place "
        f"method like list.sort()); the function that made `{names[0]}` must return the value",
        LOOKS_LIKE,
    )


def _result_arity(crash: Crash) -> Diagnosis | None:
    """``(loss,) = fit(..., epochs=k)``: a call's result unpacked into the wrong number of names."""
    unpacked = _unpacked(crash)
    if unpacked is None or not isinstance(unpacked.value, ast.Call):
        return None
    targets, call, count, got = unpacked.targets, unpacked.value, unpacked.names, unpacked.got
    callee = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    came = f"{got}" if got is not None else f"more than {_words(count)}"
    values = "value" if count == 1 else "values"
    if unpacked.loop:
        sentence = (
            f"`for {targets} in {callee}(...)` unpacks each item {callee} gives into exactly {_words(count)} "
            f"{values}, and its items have {came}"
        )
    else:
        sentence = f"`{targets} = {callee}(...)` expects exactly {_words(count)} {values}, and {callee} returned {came}"
    reader = None if unpacked.loop else _CALLEES.get(callee)
    found = reader(call, count) if reader is not None else None
    if found is not None:
        return Diagnosis(found[0], f"{sentence}: {found[1]}", IS)
    return Diagnosis(
        "unpacks-wrong-arity",
        f"{sentence}: check what {callee} returns (docs/api.md) and the arguments that decide how many",
        LOOKS_LIKE,
    )


def _fit_epochs(call: ast.Call, count: int) -> tuple[str, str] | None:
    """fit(model, loss_fn, optimizer, X, y, epochs, ...) returns one loss per epoch."""
    epochs = next((k.value for k in call.keywords if k.arg == "epochs"), call.args[5] if len(call.args) > 5 else None)
    if epochs is None or (isinstance(epochs, ast.Constant) and epochs.value == count):
        return None
    return (
        "fit-arguments",
        f"fit returns one loss per epoch it trains, and its epochs argument here is `{ast.unparse(epochs)}`, "
        f"not {count}. Each pass of the loop trains a single epoch: fit(model, loss_fn, optimizer, X, y, 1, "
        "batch_size, shuffle, rng), whose one loss `(train_loss,) = ...` unpacks",
    )


_CALLEES: dict[str, Callable[[ast.Call, int], tuple[str, str] | None]] = {"fit": _fit_epochs}


# The type names Python gives a method object: a method named without its parentheses is looked up, never called.
_METHOD_TYPES = re.compile(r"'(builtin_function_or_method|method)'")
# Array methods students call: an attribute of these names on the line, not called, is the method itself.
_METHODS = REDUCTIONS | frozenset(
    "item copy ravel flatten tolist reshape transpose squeeze any all argmax argmin".split()
)


def _list_index_past_end(crash: Crash) -> Diagnosis | None:
    """``self.layers[i]`` raising "list index out of range" in a loop over indices: a list's indices run from 0
    to len - 1, and an index loop that starts at len (or stops at len + 1) reads one past the last."""
    if crash.error.type_name != "IndexError" or "list index out of range" not in crash.message:
        return None
    indexed = [
        node
        for node in crash.nodes(ast.Subscript)
        if isinstance(node.slice, (ast.Name, ast.BinOp)) and isinstance(node.ctx, ast.Load)
    ]
    if len(indexed) != 1:
        return None
    code, index = crash.code(indexed[0]), crash.code(indexed[0].slice)
    listed = crash.code(indexed[0].value)
    return Diagnosis(
        "loop-off-by-one",
        f"`{code}` read past the end of the list: the index {index} reached len({listed}), one past the last index "
        f"len({listed}) - 1 (off by one). A loop over the indices runs range(len({listed})), or backwards "
        f"range(len({listed}) - 1, -1, -1), which ends at index 0 (or loop over reversed({listed}) itself)",
        LOOKS_LIKE,
    )


def _method_not_called(crash: Crash) -> Diagnosis | None:
    """``float(ratio.max)``: a method named without parentheses is a method object, and the operation that
    needed its result (float(), arithmetic, an attribute of an array) says so by the type's name."""
    if crash.error.type_name not in ("TypeError", "AttributeError") or not _METHOD_TYPES.search(crash.message):
        return None
    called = {id(node.func) for node in crash.nodes(ast.Call)}
    named = [
        node
        for node in crash.nodes(ast.Attribute)
        if id(node) not in called and node.attr in _METHODS and isinstance(node.ctx, ast.Load)
    ]
    if len({node.attr for node in named}) == 1:
        code = crash.code(named[0])
        return Diagnosis(
            "method-not-called",
            f"`{code}` names the method without calling it: without parentheses it is the method object itself, "
            f"not its result, which is what the error says it got; call it, `{code}()`",
            IS,
        )
    return Diagnosis(
        "method-not-called",
        "a value on this line is a method object, not a number or an array: a method named without its parentheses "
        "(`x.max` where `x.max()` was meant, here or where the value was made) is looked up, never called",
        LOOKS_LIKE,
    )


# Python's words for a plain function where a value was needed (iterated, unpacked, indexed, added, an attribute read).
_FUNCTION_OBJECT = re.compile(r"'function' object|non-iterable function object|'function' and '|and 'function'")


def _function_not_called(crash: Crash) -> Diagnosis | None:
    """``best = copy_state`` then ``load_state(model, best)``: a function named without its call is stored as the
    function itself, and the line that uses the value (often in a helper, far from the assignment) says so by the
    type's name. Only the pattern is seen, not the assignment: looks like."""
    if crash.error.type_name not in ("TypeError", "AttributeError") or not _FUNCTION_OBJECT.search(crash.message):
        return None
    return Diagnosis(
        "method-not-called",
        "a value used here is a function object, not what the function returns: a function named without its call "
        "(`value = f` where `value = f(x)` was meant, on this line or where the value was stored or passed on) is "
        "the function itself, never run; call it with its arguments",
        LOOKS_LIKE,
    )


# The most specific first: a shape unpacked is a fixed number of axes before it is a wrong arity.
def _inner_module_not_run(crash: Crash) -> Diagnosis | None:
    """``'ELU' object has no attribute '_x'`` raised in the backward of the module a component builds on
    (``Component.builds_on``: SELU keeps an ELU): that module's backward reads what its own forward saves, and
    the instance the component delegates to never ran forward (the component's forward computed the formula
    itself, or called another instance)."""
    found = re.search(r"'(\w+)' object has no attribute '(\w+)'", crash.message)
    if crash.error.type_name != "AttributeError" or found is None or not crash.component.builds_on:
        return None
    inner, own = crash.component.builds_on[0].rsplit(".", 1)[-1], crash.component.name.rsplit(".", 1)[-1]
    if found.group(1) != inner or inner == own or crash.method != "backward":
        return None
    return Diagnosis(
        "inner-module-not-run",
        f"the {inner} that {own} keeps has no `{found.group(2)}` when its backward runs: {inner}'s backward reads "
        f"what {inner}'s forward saved, and the {inner} instance {own}'s backward delegates to never ran forward, so "
        f"it never saw the input. {own}'s forward must run that same instance's forward (not compute the formula "
        f"itself, nor make a new {inner}), or {own} computes both forward and backward on its own (if your {inner} "
        "fails its own checks too, start there)",
        LOOKS_LIKE,
    )


def _builtin_extreme_of_arrays(crash: Crash) -> Diagnosis | None:
    """``max(a, b)`` or ``min(a, b)`` with an array among them: Python's built-in compares its arguments as whole
    values, ``b > a``, and an array of several entries has no single truth value. The line that raised calls a bare
    max or min; numpy's np.maximum / np.minimum take the larger (smaller) entry by entry, and a single array's
    largest entry is np.max (the built-in max of one array iterates over its rows and compares those)."""
    if crash.error.type_name != "ValueError" or "truth value of an array" not in crash.message:
        return None
    calls = [
        node
        for node in crash.nodes(ast.Call)
        if isinstance(node.func, ast.Name) and node.func.id in ("max", "min") and node.args and not node.keywords
    ]
    if not calls:
        return None
    call, name = calls[0], calls[0].func.id
    written = crash.code(call)
    if len(call.args) == 1:
        return Diagnosis(
            "python-max-on-array",
            f"`{written}` is Python's built-in {name}: over one array it walks the first axis and compares whole "
            f"rows, which have no single truth value; numpy's np.{name}(...) (or .{name}()) reduces entry by entry",
            IS,
        )
    operands = ", ".join(crash.code(arg) for arg in call.args)
    return Diagnosis(
        "python-max-on-array",
        f"`{written}` is Python's built-in {name}: it compares its arguments as whole values, and an array of several "
        f"entries has no single truth value; the element-wise {name} of arrays is numpy's, taken entry by entry: "
        f"np.{name}imum({operands})",
        IS,
    )


def _extreme_of_a_list(crash: Crash) -> Diagnosis | None:
    """``np.max([a, b])``: numpy's reduction of a list without an axis stacks the list and reduces every entry of
    it to one number. Once that number meets an array in a later call, the list no longer stacks ("setting an array
    element with a sequence", "inhomogeneous shape"). The line that raised shows the call; the entry-wise maximum of
    arrays is np.maximum(a, b)."""
    if crash.error.type_name != "ValueError" or not (
        "array element with a sequence" in crash.message or "inhomogeneous" in crash.message
    ):
        return None
    for call in crash.nodes(ast.Call):
        func = call.func
        if not (isinstance(func, ast.Attribute) and ast.unparse(func.value) in ("np", "numpy")):
            continue
        if func.attr not in ("max", "amax", "min", "amin") or not call.args or _axis_node(call) is not None:
            continue
        listed = call.args[0]
        if isinstance(listed, (ast.List, ast.Tuple)) and len(listed.elts) == 2:
            pair = ", ".join(crash.code(elt) for elt in listed.elts)
            extreme = "maximum" if "max" in func.attr else "minimum"
            return Diagnosis(
                f"{extreme[:3]}-for-{extreme}",
                f"`{crash.code(call)}` reduces the whole list to one number, the {func.attr.lstrip('a')}imum of "
                f"every entry of both arrays, not one {extreme} per entry; stored, that number later met an array "
                f"in the list, which numpy cannot stack. The entry-wise {extreme} of two arrays is "
                f"np.{extreme}({pair})",
                IS,
            )
    return None


def _array_as_axis(crash: Crash) -> Diagnosis | None:
    """``np.max(a, b)`` (or ``a.max(b)``) for the entry-wise maximum of two arrays: numpy's reduction takes one
    array, and its next positional argument is the axis, so ``b`` is read as an axis and numpy refuses it ("only
    integer scalar arrays can be converted to a scalar index", "... cannot be interpreted as an integer"). The line
    that raised shows the call, its axis written as something other than a whole number; the entry-wise maximum of
    two arrays is np.maximum(a, b)."""
    if crash.error.type_name != "TypeError" or not (
        "scalar index" in crash.message or "interpreted as an integer" in crash.message
    ):
        return None
    for call in crash.nodes(ast.Call):
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in ("max", "amax", "min", "amin"):
            continue
        axis = _axis_node(call)
        if axis is None or any(k.arg == "axis" for k in call.keywords) or _axes_of(call) is not None:
            continue  # no second operand, or an axis written as a number
        if re.search(r"axis|axes|dim", ast.unparse(axis), re.IGNORECASE):
            continue  # a name that holds an axis: what raised may be elsewhere on the line
        function = ast.unparse(func.value) in ("np", "numpy")
        if function and not call.args:
            continue
        first = call.args[0] if function else func.value
        extreme = "maximum" if "max" in func.attr else "minimum"
        operands = f"{crash.code(first)}, {crash.code(axis)}"
        return Diagnosis(
            f"{extreme[:3]}-for-{extreme}",
            f"`{crash.code(call)}` is a reduction of one array: the argument after the array is the axis to reduce "
            f"along, so numpy took `{crash.code(axis)}` for an axis, which must be a whole number, and raised. The "
            f"elementwise {extreme} of two arrays (or of an array and a number), entry by entry, is "
            f"np.{extreme}({operands})",
            IS,
        )
    return None


def _array_tested_for_truth(crash: Crash) -> Diagnosis | None:
    """``x if self._mask else y``, ``if not buf:``, ``a or b``: a stored array asked whether it is there by its
    truth. An array of several entries has no single truth value, so the test raises where ``is None`` was meant.
    The line that raised tests a bare name or attribute (no comparison, no call): that operand is the array."""
    if crash.error.type_name != "ValueError" or "truth value of an array" not in crash.message:
        return None
    tested: list[ast.AST] = [node.test for node in crash.nodes((ast.If, ast.IfExp, ast.While))]
    tested += [value for node in crash.nodes(ast.BoolOp) for value in node.values]
    tested += [node.operand for node in crash.nodes(ast.UnaryOp) if isinstance(node.op, ast.Not)]
    bare = {crash.code(node) for node in tested if isinstance(node, (ast.Name, ast.Attribute))}
    if len(bare) != 1:
        return None
    (name,) = bare
    return Diagnosis(
        "truthiness-of-array",
        f"`{name}` is tested for truth on the line that raised, as if it were a flag, but it holds an array, and an "
        "array of several entries has no single truth value. To ask whether it was set, compare it with None: "
        f"`{name} is not None` (its entries' truth, if that was meant, is `.any()` or `.all()`)",
        IS,
    )


def _math_module_calls(crash: Crash) -> list[ast.Call]:
    """The calls of the math module's functions on the line that raised (``math.log(p)``, ``math.exp(x)``)."""
    return [
        call
        for call in crash.nodes(ast.Call)
        if isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == "math"
    ]


def _math_function_on_array(crash: Crash) -> Diagnosis | None:
    """``math.exp(-abs(x))`` on an array: the math module's functions take one Python number, so an array of
    several entries cannot be converted ("only 0-dimensional arrays can be converted to Python scalars"). The
    line shows a math call whose argument is no plain number; numpy's functions work entry by entry."""
    if crash.error.type_name != "TypeError" or "converted to Python scalars" not in crash.message:
        return None
    calls = [call for call in _math_module_calls(crash) if call.args and not all(map(_plain_number, call.args))]
    if len({call.func.attr for call in calls}) != 1:
        return None  # no math call on an array, or several: which one raised is not on the line
    call, name = calls[0], calls[0].func.attr
    arguments = ", ".join(map(crash.code, call.args))
    if name in ("erf", "erfc"):  # numpy has none: the module's support code has both (docs/api.md)
        vectorised = (
            f"numpy has no {name}, but the module provides a vectorised {name} as support code: `{name}({arguments})`"
        )
    elif hasattr(np, name):
        vectorised = f"numpy's np.{name} works entry by entry: `np.{name}({arguments})`"
    else:
        vectorised = "use numpy's function of that name, which works entry by entry"
    converted = any(_callee(node) in ("float", "int") for node in crash.nodes(ast.Call))
    return Diagnosis(
        "math-function-on-array",
        f"`{crash.code(call)}` calls the math module's {name}, which takes one Python number, on an array: an array "
        f"of several entries cannot be turned into one number, which is what the error says; {vectorised}",
        LOOKS_LIKE if converted else IS,  # (a float() on the line could have raised as well)
    )


# numpy's answer where the math module raises "math domain error", and why the API's inputs reach that edge.
_LOG_EDGE = (
    "-inf at 0",
    "a probability of exactly 0 or 1 is an input the API allows, and a clamp written around the result "
    "(max(..., -100)) is there to catch the -inf that math never returns",
)
_NUMPY_AT_DOMAIN_EDGE = {
    "log": _LOG_EDGE,
    "log2": _LOG_EDGE,
    "log10": _LOG_EDGE,
    "sqrt": ("nan below 0", "a difference such as E[x^2] - E[x]^2, 0 in exact arithmetic, can round to just below 0"),
}


def _math_function_out_of_domain(crash: Crash) -> Diagnosis | None:
    """``math.log(p)`` at p = 0 (a loop over the entries with the math module): math raises "math domain error"
    where numpy's log gives -inf, the value a clamp such as max(log p, -100) is written to catch."""
    if crash.error.type_name != "ValueError" or "math domain error" not in crash.message:
        return None
    calls = [call for call in _math_module_calls(crash) if call.func.attr in _NUMPY_AT_DOMAIN_EDGE]
    if len({call.func.attr for call in calls}) != 1:
        return None  # no such math call, or several kinds: which one raised is not on the line
    call, name = calls[0], calls[0].func.attr
    numpy_gives, why = _NUMPY_AT_DOMAIN_EDGE[name]
    return Diagnosis(
        "math-log-domain-error" if name.startswith("log") else "math-domain-error",
        f"`{crash.code(call)}` calls the math module's {name}, which raises 'math domain error' at the edge of its "
        f"domain, where numpy's np.{name} gives {numpy_gives} and goes on: {why}. Use np.{name} on the arrays "
        "(inside np.errstate(...) if the warning bothers you) and handle what it returns",
        IS,
    )


def _plain_number(node: ast.AST) -> bool:
    """A literal, a constant of the math module (math.pi) or arithmetic of them: one number, never an array."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "math":
        return True
    if isinstance(node, ast.UnaryOp):
        return _plain_number(node.operand)
    if isinstance(node, ast.BinOp):
        return _plain_number(node.left) and _plain_number(node.right)
    return False


def string_settings(component: Component) -> list[str]:
    """The constructor's settings whose default is a string (a mode such as GELU's approximate='none')."""
    return [name for name, default in component.signature if isinstance(default, str)]


def saved_attribute_missing(error: StudentError, component: Component) -> Diagnosis | None:
    """The reading of :func:`_saved_attribute_missing` for a crash after a forward whose output was right: forward
    took this setting's path, so the attribute is missing on that path."""
    return _saved_attribute_missing(Crash(error, component), forward_right=True)


def _training_never_set(crash: Crash) -> Diagnosis | None:
    """``'ELU' object has no attribute 'training'``: docs/api.md's modules hold ``training = True`` right after
    construction, and ``Module.__init__`` is what sets it; a constructor of the module's own that does not call
    ``super().__init__()`` leaves it unset (a module that does not subclass Module sets it itself)."""
    found = re.search(r"'(\w+)' object has no attribute 'training'", crash.message)
    own = crash.component.name.rsplit(".", 1)[-1]
    if crash.error.type_name != "AttributeError" or found is None or found.group(1) != own:
        return None
    if crash.component.kind not in ("activation", "layer", "model"):
        return None
    return Diagnosis(
        "state-not-initialised",
        f"the {own} object has no attribute `training`, which every module holds from its construction on (True "
        "after construction, False after eval()): base.Module's __init__ sets it, and a constructor of your own "
        "replaces that __init__, so it must call super().__init__() first (a class that does not subclass Module "
        "sets self.training = True itself)",
        IS,
    )


def _saved_attribute_missing(crash: Crash, forward_right: bool = False) -> Diagnosis | None:
    """``'GELU' object has no attribute '_x'`` raised in backward, on a line that reads ``self._x``: the object is
    the component's own, so its forward (which ran just before) never assigned that attribute on the path it took:
    an assignment inside one branch of an ``if``, after an early ``return``, or under another name."""
    found = re.search(r"'(\w+)' object has no attribute '(\w+)'", crash.message)
    own = crash.component.name.rsplit(".", 1)[-1]
    if crash.error.type_name != "AttributeError" or found is None or found.group(1) != own:
        return None
    attribute = found.group(2)
    reads = [
        node
        for node in crash.nodes(ast.Attribute)
        if node.attr == attribute and isinstance(node.value, ast.Name) and node.value.id == "self"
    ]
    if crash.method != "backward" or not reads:
        return None
    if not forward_right and string_settings(crash.component):
        # A setting given as a string picks forward's branch, and a test of the string's truth value
        # (`if self.mode:`, true for every non-empty string, 'none' too) sends forward down another branch than
        # backward: the crash alone does not tell that from an assignment missing on the right path. A check that
        # saw forward's output tells them apart (checks/modules.py, saved_attribute_missing).
        return None
    ran = f"a forward {crash.error.state}" if crash.error.state else "forward"
    return Diagnosis(
        "saved-none",
        f"backward reads `self.{attribute}`, which the object does not have although {ran} ran just before: "
        f"forward did not assign self.{attribute} on the path this call took (an assignment inside one branch of an "
        "`if`, or after an early `return`, that this case's settings skip), or saved it under another name. Save "
        "what backward needs on every path, before the branches",
        IS,
    )


# PyTorch tensor members numpy's numbers and arrays lack, each with what numpy code writes instead.
_TENSOR_MEMBERS = {
    "item": "float({0}) (a numpy loss is already a Python float or a numpy scalar; float() takes both)",
    "detach": "{0} itself: numpy records no graph to detach from ({0}.copy() for a copy)",
    "numpy": "{0} itself: it is already numpy's",
    "cpu": "{0} itself: numpy has no devices",
    "clone": "{0}.copy()",
    "dim": "{0}.ndim",
    "numel": "{0}.size",
    "permute": "{0}.transpose(...)",
    "unsqueeze": "np.expand_dims({0}, axis)",
    "clamp": "np.clip({0}, low, high)",
    "zero_": "{0}.fill(0.0)",
}
_NUMBER_TYPES = ("float", "int", "numpy.float64", "numpy.float32", "numpy.int64", "numpy.ndarray")


def _tensor_member_on_number(crash: Crash) -> Diagnosis | None:
    """``loss.item()`` on a Python float, ``x.clone()`` on an array: a PyTorch tensor's member asked of a
    number or a numpy array, which has no such member. The message names the type and the member, and the
    line that raised reads it: a habit from PyTorch, where losses and activations are tensors."""
    found = re.search(r"'([\w.]+)' object has no attribute '(\w+)'", crash.message)
    if crash.error.type_name != "AttributeError" or found is None:
        return None
    owner, member = found.groups()
    if owner not in _NUMBER_TYPES or member not in _TENSOR_MEMBERS:
        return None
    reads = [node for node in crash.nodes(ast.Attribute) if node.attr == member and isinstance(node.ctx, ast.Load)]
    if not reads:
        return None
    value = crash.code(reads[0].value)
    calls = [node for node in crash.nodes(ast.Call) if node.func is reads[0]]
    written = crash.code(calls[0]) if calls else crash.code(reads[0])
    kind = "a numpy array" if owner == "numpy.ndarray" else f"a number ({owner})"
    return Diagnosis(
        "pytorch-idiom",
        f"`{written}` is PyTorch's Tensor.{member}: here `{value}` is {kind}, which has no `{member}`. nnlab "
        f"computes with numpy, where the same is {_TENSOR_MEMBERS[member].format(value)}",
        IS,
    )


def _parameter_as_array(crash: Crash) -> Diagnosis | None:
    """``self.weight.T``, ``x @ self.weight``: a Parameter (docs/api.md) used as if it were its array. The object
    holds two arrays, ``.data`` (the value) and ``.grad``; it has no array members and no arithmetic. The message
    names the Parameter and the member or operator; the line that raised shows where."""
    message, kind = crash.message, crash.error.type_name
    member = re.search(r"'Parameter' object has no attribute '(\w+)'", message)
    if kind == "AttributeError" and member is not None and hasattr(np.ndarray, member.group(1)):
        reads = [n for n in crash.nodes(ast.Attribute) if n.attr == member.group(1) and isinstance(n.ctx, ast.Load)]
        used = f"`{crash.code(reads[0])}` asks" if reads else "the line asks"
        what = f"{used} the Parameter for `.{member.group(1)}`, an array's member"
        fix = f", `{crash.code(reads[0].value)}.data.{member.group(1)}`" if reads else ""
    elif kind == "TypeError" and re.search(r"'Parameter'( and|\)|$| object is not)", message):
        what, fix = "a Parameter met an array operation (an operator, an index or a numpy function)", ""
    else:
        return _parameter_in_matmul(crash)
    return Diagnosis(
        "wrong-type",
        f"{what}: a Parameter is not an array. It holds two arrays, its value `.data` and its gradient `.grad` "
        f"(docs/api.md); compute with the value{fix or ', `self.weight.data`'}, and accumulate into `.grad`",
        IS if kind == "AttributeError" else LOOKS_LIKE,
    )


def _parameter_in_matmul(crash: Crash) -> Diagnosis | None:
    """``grad_y @ self.weight``: numpy's matmul takes the Parameter for an object of no axes ("has 0"); the line
    shows that operand to be one of the component's parameters, not its array ``.data``."""
    found = re.search(r"matmul: Input operand ([01]) does not have enough dimensions \(has 0", crash.message)
    if crash.error.type_name != "ValueError" or found is None:
        return None
    params = set(getattr(crash.component, "params", ()))
    for node in crash.nodes(ast.BinOp):
        side = node.right if found.group(1) == "1" else node.left
        if isinstance(node.op, ast.MatMult) and _own(side) and side.attr in params:
            written = crash.code(side)
            return Diagnosis(
                "wrong-type",
                f"`{crash.code(node)}` multiplies by `{written}`, the Parameter object, which numpy takes for a "
                f"value of no axes: a Parameter is not an array. It holds two arrays, its value `.data` and its "
                f"gradient `.grad` (docs/api.md); multiply by the value, `{written}.data`",
                IS,
            )
    return None


def _loop_rebinds_iterable(crash: Crash) -> Diagnosis | None:
    """``for x, y in zip(X, y)``: a loop variable named like the sequence the loop walks rebinds it, so
    after the loop the name holds the last item, and the next pass over it (the next epoch) finds a number
    where the sequence was. The line that raised is that loop's header, the name on both sides."""
    if crash.error.type_name != "TypeError" or not re.search(r"not iterable|must support iteration", crash.message):
        return None
    for loop in crash.nodes(ast.For):
        bound = {node.id for node in ast.walk(loop.target) if isinstance(node, ast.Name)}
        read = [node.id for node in ast.walk(loop.iter) if isinstance(node, ast.Name) and node.id in bound]
        if read:
            name = read[0]
            return Diagnosis(
                "name-shadowed",
                f"the loop `for {crash.code(loop.target)} in {crash.code(loop.iter)}` uses `{name}` both as the "
                f"sequence it walks and as its loop variable: each pass rebinds (overwrites) `{name}` with one item, "
                f"so after the first pass `{name}` holds the last item, not the sequence, and the next pass cannot "
                f"iterate over it. Give the loop variable its own name (for x, target in zip(X, y))",
                IS,
            )
    return None


def _local_assigned_on_one_path(crash: Crash) -> Diagnosis | None:
    """``cannot access local variable 'grad_x' where it is not associated with a value``: the method assigns the
    name somewhere, but not on the path this call took (inside an ``if`` whose test was false, a loop that ran no
    time, or below the line that reads it). The message proves it; which branch it was, the code says."""
    found = re.search(
        r"cannot access local variable '(\w+)' where it is not associated|local variable '(\w+)' referenced before",
        crash.message,
    )
    if crash.error.type_name != "UnboundLocalError" or found is None:
        return None
    name = found.group(1) or found.group(2)
    return Diagnosis(
        "unbound-local",
        f"`{name}` has no value on the path this call took: the method assigns it only inside an `if` whose test was "
        "false here (a setting of this case, bias=False or momentum 0, say), in a loop that ran no time, or below the "
        f"line that reads it. Either `{name}` belongs on every path (assign it before the branches), or this path "
        "must not read it",
        IS,
    )


def _comprehension_clauses_reversed(crash: Crash) -> Diagnosis | None:
    """``[p for p in layer.parameters() for layer in layers]``: a comprehension's ``for`` clauses run left to
    right, outer loop first, as nested for statements would; a clause that reads a name only a later clause
    binds finds it undefined. The line that raised holds that comprehension, the name bound on its right."""
    found = re.search(r"name '(\w+)' is not defined", crash.message)
    if crash.error.type_name not in ("NameError", "UnboundLocalError") or found is None:
        return None
    name = found.group(1)
    kinds = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
    for comprehension in (node for kind in kinds for node in crash.nodes(kind)):
        clauses = comprehension.generators
        for i, clause in enumerate(clauses):
            reads = {node.id for node in ast.walk(clause.iter) if isinstance(node, ast.Name)}
            later = [
                c for c in clauses[i + 1 :] if name in {n.id for n in ast.walk(c.target) if isinstance(n, ast.Name)}
            ]
            if name in reads and later:
                first, second = clause, later[0]
                return Diagnosis(
                    "comprehension-order",
                    f"in `{crash.code(comprehension)}` the clause `for {crash.code(first.target)} in "
                    f"{crash.code(first.iter)}` reads `{name}`, which only the later clause `for "
                    f"{crash.code(second.target)} in {crash.code(second.iter)}` defines. The for clauses of a "
                    "comprehension run left to right, outer loop first, in the order nested for statements would be "
                    "written: put the clause that defines the name first",
                    IS,
                )
    return None


# PyTorch signatures whose numpy counterpart here (docs/api.md) takes fewer arguments: what to write instead.
_TORCH_SIGNATURES = {
    "train": "train(mode) is PyTorch's Module.train; here train() takes no argument and switches training on, "
    "and eval() switches it off: call eval() where train(False) stands",
    "zero_grad": "zero_grad(set_to_none) is PyTorch's; here zero_grad() takes no argument and sets every "
    "gradient to zeros",
}


def _pytorch_signature(crash: Crash) -> Diagnosis | None:
    """``layer.train(False)``: a method called with the arguments PyTorch's version takes, where the API's
    takes none. The message names the method and the count of arguments, the line that raised calls it."""
    found = re.search(r"(\w+)\(\) takes (\d+) positional arguments? but (\d+) were given", crash.message)
    if crash.error.type_name != "TypeError" or found is None or found.group(1) not in _TORCH_SIGNATURES:
        return None
    method = found.group(1)
    calls = [
        node
        for node in crash.nodes(ast.Call)
        if isinstance(node.func, ast.Attribute) and node.func.attr == method and (node.args or node.keywords)
    ]
    if not calls:
        return None
    return Diagnosis(
        "pytorch-idiom",
        f"`{crash.code(calls[0])}` passes an argument to {method}(), which takes none here: "
        f"{_TORCH_SIGNATURES[method]}",
        IS,
    )


# Calls that make an array of a given size: called with len(x), they make one entry per row of a matrix.
_MAKERS = frozenset({"zeros", "ones", "empty", "full", "arange"})


def _len_for_size(crash: Crash) -> Diagnosis | None:
    """(n,) against (n, m, ...): an array sized with len(x), which is x's first axis, where x's shape belongs.

    The line that raised makes it (``np.zeros(len(x))``): a Cause. An optimizer's step, where nothing reduces a
    parameter and every state entry has its parameter's shape, meets it in the running update of a state built
    elsewhere (``__init__``): it looks like one, since a vector as long as the rows of a matrix parameter is what
    len of the parameter gives."""
    if crash.error.type_name != "ValueError" or "broadcast" not in crash.message:
        return None
    shapes = message_shapes(crash.message)
    rows = [(short, full) for short in shapes for full in shapes if len(short) == 1 and len(full) >= 2]
    rows = [(short, full) for short, full in rows if short[0] == full[0] and not _broadcasts(short, full)]
    if not rows:
        return None
    short, full = rows[0]
    sized = [
        node
        for node in crash.nodes(ast.Call)
        if isinstance(node.func, (ast.Attribute, ast.Name))
        and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id) in _MAKERS
        and node.args
        and any(
            isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "len"
            for n in ast.walk(node.args[0])
        )
    ]
    meaning = (
        f"an array of shape {short} met one of shape {full}: {short} is the first axis of {full} alone, what len() "
        f"of a {len(full)}-axis array gives. len(x) is the number of rows, not the size or the shape; make the "
        "array from the whole shape, np.zeros_like(x) or np.zeros(x.shape)"
    )
    if sized:
        return Diagnosis(
            "len-for-size", f"`{crash.code(sized[0])}`, on the line that raised, is sized by len(): {meaning}", IS
        )
    # The step's parameters are known (its contract): the longer operand is one of them, and the vector is the shape
    # of none (a state shared with a bias as long as the weight's rows is another mistake: state-shared).
    parameters = set(crash.inputs.values())
    if crash.component.kind != "optimizer" or full not in parameters or short in parameters:
        return None
    if _reduction_call(crash) is not None:
        return None
    return Diagnosis(
        "len-for-size",
        f"a state entry does not have its parameter's shape: {meaning} (each entry of the state kept per parameter "
        "has the shape of its parameter: np.zeros_like(p.data), not np.zeros(len(p.data)))",
        LOOKS_LIKE,
    )


# Formulas that slide a window over the image: backward scatters grad_y into strided slices of grad_x.
_SLIDING = ("convolution", "max-pool", "avg-pool")


def _strided_by_count(node: ast.AST) -> bool:
    """A slice ``i:i + s * n:s``: stepped, its stop a product (the stride times a count of windows)."""
    return (
        isinstance(node, ast.Slice)
        and node.step is not None
        and node.upper is not None
        and any(isinstance(part, ast.BinOp) and isinstance(part.op, ast.Mult) for part in ast.walk(node.upper))
    )


def _stop_factors(node: ast.Slice) -> list[str]:
    """The operands (dumped) of the products in a slice's stop: ``sW`` and ``Wo`` of ``j + sW * Wo``."""
    return [
        ast.dump(side)
        for part in ast.walk(node.upper)
        if isinstance(part, ast.BinOp) and isinstance(part.op, ast.Mult)
        for side in (part.left, part.right)
    ]


def _steps_by_own_stride(node: ast.Slice) -> bool:
    """Is ``i:i + s * n:s`` stepped by the stride its stop counts in (the step one of the stop's factors)?"""
    return ast.dump(node.step) in _stop_factors(node)


def _step_of_other_axis(crash: Crash) -> Diagnosis | None:
    """A sliding window's strided slice ``grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sH]`` whose step along
    one axis is the other axis's: its stop counts in one stride (sW) and its step is another, the very step the
    other axis's slice takes. The broadcast fails on that axis alone (the count of windows is right: the stop
    says so), as a slice stepping by the wrong stride holds another number of entries than there are windows."""
    if crash.component.formula not in _SLIDING or "broadcast" not in crash.message:
        return None
    shapes = message_shapes(crash.message)
    differing = {k for a in shapes for b in shapes if len(a) == len(b) == 4 for k in (2, 3) if a[k] != b[k]}
    for sub in crash.nodes(ast.Subscript):
        axes = sub.slice.elts if isinstance(sub.slice, ast.Tuple) else []
        if len(axes) != 4 or not all(_strided_by_count(axes[k]) for k in (2, 3)):
            continue
        for k in (2, 3):
            mine, other = axes[k], axes[5 - k]
            borrowed = ast.dump(mine.step) == ast.dump(other.step)
            if not borrowed or _steps_by_own_stride(mine) or not _steps_by_own_stride(other):
                continue
            if differing and differing != {k}:
                continue  # the shapes differ along another axis too: the step alone does not explain them
            axis, other_axis = ("H", "W") if k == 2 else ("W", "H")
            step, stop = crash.code(mine.step), crash.code(mine.upper)
            return Diagnosis(
                "stride-height-width-swapped",
                f"in `{crash.code(sub)}` the slice along {axis}, `{crash.code(mine)}`, steps by `{step}`, the "
                f"stride along {other_axis} (the slice along {other_axis} steps by it too), while its stop `{stop}` "
                f"counts the windows in another stride: it takes every {step}-th entry along {axis}, so it holds "
                f"another number of entries than there are windows, and the shapes do not meet. The number of "
                f"windows is not the matter; each axis steps by its own stride, the slice along {axis} by the "
                f"stride along {axis} (the one its stop multiplies)",
                LOOKS_LIKE,
            )
    return None


def _window_count_recomputed(crash: Crash) -> Diagnosis | None:
    """Backward of a sliding-window layer adds grad_y's share into ``grad_x[..., i:i + sH * Ho:sH, ...]`` and
    the slice covers another number of windows than grad_y has. The slice is written as the stride times a
    count, so the count (Ho, Wo) is what differs: recomputed with another formula than forward's."""
    if crash.component.formula not in _SLIDING or crash.method != "backward" or "broadcast" not in crash.message:
        return None
    shapes = message_shapes(crash.message)
    updates = [
        node
        for node in crash.nodes(ast.AugAssign)
        if isinstance(node.target, ast.Subscript) and any(_strided_by_count(n) for n in ast.walk(node.target.slice))
    ]
    # An in-place add names the slice, what is added, and the slice again as the output; another operation
    # on the line (np.where's condition against grad_y, say) names other shapes.
    if not updates or len(shapes) != 3 or shapes[2] != shapes[0]:
        return None
    target, value = shapes[0], shapes[1]
    if len(target) != 4 or len(value) != 4 or target[:2] != value[:2] or target[2:] == value[2:]:
        return None
    # i:i + s * n:s has at most n entries, so a slice longer than grad_y's side says n itself is larger. A
    # shorter one says nothing of n: a start past the windows or a wrong step cuts the slice at the edge too.
    if any(t < v for t, v in zip(target[2:], value[2:], strict=True)):
        return None
    index = updates[0].target.slice
    axes = index.elts if isinstance(index, ast.Tuple) else []
    if len(axes) != 4 or not all(_strided_by_count(axes[k]) for k in (2, 3) if target[k] != value[k]):
        return None  # the longer side is not counted (`i::sH` runs to the edge): the count is not the matter
    if any(not _steps_by_own_stride(axes[k]) for k in (2, 3) if target[k] != value[k]):
        return None  # `j:j + sW * Wo:sH` steps by another stride than it counts in: the step may be the matter
    sliced = crash.code(updates[0].target)
    return Diagnosis(
        "output-size-formula",
        f"in backward, `{sliced}` covers {target[2:]} window positions, more than the {value[2:]} of grad_y that "
        "is added into it: the number of windows (Ho, Wo) the slice counts was recomputed with another formula "
        "than forward's. There are 1 + (H - kH) // sH windows along H (H // sH counts them only when the stride "
        "equals the kernel; H - kH + 1 only at stride 1); take them from grad_y: Ho, Wo = grad_y.shape[2:]",
        LOOKS_LIKE,
    )


def _sum_of_sequences_without_start(crash: Crash) -> Diagnosis | None:
    """``sum(layer.parameters() for layer in self.layers)``: the built-in sum starts from 0, so adding the first
    list (or tuple) to it raises ("for +: 'int' and 'list'"). The line that raised calls a bare sum without a
    start; sum(..., []) or a comprehension concatenates the lists."""
    found = re.search(r"for \+: 'int' and '(list|tuple)'", crash.message)
    if crash.error.type_name != "TypeError" or found is None:
        return None
    calls = [
        node
        for node in crash.nodes(ast.Call)
        if isinstance(node.func, ast.Name) and node.func.id == "sum" and len(node.args) == 1 and not node.keywords
    ]
    if not calls:
        return None
    kind = found.group(1)
    return Diagnosis(
        "sum-without-start",
        f"`{crash.code(calls[0])}` adds {kind}s with the built-in sum, which starts from 0: 0 + the first {kind} "
        f"fails, as sum adds numbers unless it is given where to start. To concatenate {kind}s give it an empty "
        f"{kind} to start from, sum(..., {'[]' if kind == 'list' else '()'}), or build one list with a "
        "comprehension, [p for layer in self.layers for p in layer.parameters()]",
        IS,
    )


_ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Pow: "**"}


def _sequence_for_number(crash: Crash) -> Diagnosis | None:
    """``bound = math.sqrt(3.0) * std`` where ``std`` holds a tuple: arithmetic (or a math function) given a
    sequence where a number belongs. The line that raised uses the value; the line that made it, elsewhere, ends
    with a trailing comma (``std = gain / math.sqrt(fan),`` is a one-element tuple) or slices a shape. Named when
    the message says a tuple or list met a number and one operand on the line, not an argument of the call (a
    shape is a tuple by the API), can be it: "looks like", the assignment is not on the line."""
    if crash.error.type_name != "TypeError":
        return None
    message = crash.message
    pair = re.search(r"for (\*\*|[-+*/]{1,2})(?: or pow\(\))?: '(\w+)' and '(\w+)'", message)
    types = {pair.group(2), pair.group(3)} if pair else set()
    unary = re.search(r"bad operand type for unary -: '(tuple|list)'|must be real number, not (tuple|list)", message)
    sides = ("left", "right")  # the operands of the operator that may hold the sequence
    if "can't multiply sequence by non-int of type 'float'" in message:
        symbols, kind = ("*",), ""
    elif pair and types & {"tuple", "list"} and types & {"float", "int"}:
        symbols, kind = (pair.group(1),), next(iter(types & {"tuple", "list"}))
        sides = ("left",) if pair.group(2) in ("tuple", "list") else ("right",)
    elif unary:
        symbols, kind = ("unary", "math"), unary.group(1) or unary.group(2)
    else:
        return None
    operands: list[ast.AST] = []
    for node in crash.nodes(ast.BinOp):
        if _ARITHMETIC.get(type(node.op)) in symbols:
            operands += [getattr(node, side) for side in sides]
    if "unary" in symbols:
        operands += [node.operand for node in crash.nodes(ast.UnaryOp) if isinstance(node.op, ast.USub)]
        operands += [arg for call in _math_module_calls(crash) for arg in call.args]
    arguments = {name for name, _ in crash.component.signature}
    named = {
        crash.code(node)
        for node in operands
        if (isinstance(node, ast.Name) and node.id not in arguments)
        or (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self")
    }
    if len(named) != 1:
        return None  # no operand, or several, that could hold the sequence: which one is not on the line
    name = named.pop()
    what = f"a {kind}" if kind else "a sequence (a tuple or a list)"
    return Diagnosis(
        "wrong-type",
        f"`{name}` holds {what} where a number belongs: the line that raised computes with it as with a number, "
        f"and a {kind or 'sequence'} cannot take part in that arithmetic, which is what the error says. A trailing "
        f"comma at the end of the line that computed it makes a one-element tuple (`{name} = a / b,` assigns the "
        "tuple (a / b,)), and a slice of a shape (shape[2:]) is a tuple too; drop the comma, or take the number "
        "itself (shape[1], math.prod(shape[2:]))",
        LOOKS_LIKE,
    )


def _float_window_count(crash: Crash) -> Diagnosis | None:
    """A sliding-window layer handed a float where Python takes a whole number (a range, a shape): the counts
    such a layer derives, the output size first of all, are divisions, and true division gives a float even when
    it divides evenly. The line that raised is where the count is used, not where it was divided: "looks like"."""
    if crash.component.formula not in _SLIDING or crash.error.type_name != "TypeError":
        return None
    if "'float' object cannot be interpreted as an integer" not in crash.message:
        return None
    conv = crash.component.formula == "convolution"
    formula = "1 + (H + 2*pH - kH) // sH" if conv else "1 + (H - kH) // sH"
    return Diagnosis(
        "true-division-for-count",
        "a float reached a place that takes a whole number (a range, a shape): a count such as the output size was "
        "computed with true division /, which gives a float even when the division is exact; counts take floor "
        f"division //, H' = {formula}",
        LOOKS_LIKE,
    )


READERS: tuple[Callable[[Crash], Diagnosis | None], ...] = (
    _valid_axis_refused,
    _loss_input_refused,
    _training_never_set,
    _axis_renumbered,
    _kept_axes_into_fewer,
    _reduction_without_keepdims,
    _axis_put_back_last,
    _vector_on_last_axis,
    _per_row_values_on_columns,
    _reduction_into_rows,
    _bincount_without_minlength,
    _math_function_on_array,
    _math_function_out_of_domain,
    _loss_not_scalar,
    _maximum_along_one_axis,
    _arg_index_without_axis,
    _along_axis_indices_short,
    _onehot_wrong_size,
    _onehot_without_column,
    _pair_setting_refused,
    _classes_from_labels,
    _labels_index_rows,
    _rows_count_classes,
    _flat_index_row_length,
    _choose_rows_as_choices,
    _norm_with_ord,
    _xor_for_power,
    _builtin_extreme_of_arrays,
    _extreme_of_a_list,
    _array_as_axis,
    _array_tested_for_truth,
    _sizes_as_arguments,
    _fixed_axes,
    _matmul_operands_swapped,
    _loss_matrix_product,
    _transpose_of_one_row,
    _division_by_zero,
    _saved_none,
    _local_none,
    _inner_module_not_run,
    _saved_attribute_missing,
    _result_arity,
    _method_not_called,
    _function_not_called,
    _list_index_past_end,
    _tensor_member_on_number,
    _parameter_as_array,
    _loop_rebinds_iterable,
    _comprehension_clauses_reversed,
    _pytorch_signature,
    _step_of_other_axis,
    _window_count_recomputed,
    _float_window_count,
    _len_for_size,
    _sum_of_sequences_without_start,
    _sequence_for_number,
    _local_assigned_on_one_path,  # (last: a reader that names the branch comes first)
)
