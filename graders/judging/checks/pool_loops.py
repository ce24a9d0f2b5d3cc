"""Known mistakes of a pool written as a loop over its windows, computed: what the slips of the loop give.

Students who write pooling window by window (``for p in range(H'): for q in range(W'):``, the slice
``x[:, :, p*sH:p*sH + kH, q*sW:q*sW + kW]``) slip in the loop itself rather than in the formula: the loop
stops one window short (``range(0, H - kH, sH)`` over the windows' top rows leaves out the last start,
``H - kH``), or one loop index is written where the other belongs (the column slice copied from the row's,
``p*sW``; the indices swapped), or the window's origin is stepped by the wrong number (``p*kH`` where ``p*sH``
belongs: the kernel taken for the stride, or 1, or the other axis's stride; window_mistakes._steps lists them), or
the window sliced with the wrong sides (kH written for the width too, kW for the height, or the two swapped: right
for square windows only). Each slip is simulated here literally, numpy's clipping of a slice past the edge included
(a window that starts past the edge is empty, one that runs over it is cut short, and nothing raises), for forward
and for backward's window-by-window scatter. A max pool written as a running maximum over the window offsets saves
its winners as it goes; what the student's module saved shows whether its backward or its forward's winners are
wrong (:func:`saved_winner_variants`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # (window_mistakes imports this module: the type alone, for the hints)
    from .window_mistakes import Geometry

Variants = dict[str, tuple[np.ndarray, str]]
Block = Callable[[int, int], np.ndarray]

# The tag of a statement that the loops over the output positions skipped some, where several wrong bounds reach the
# same positions on the case (a rerun on another output shape may tell them apart: modules._position_loops_probed).
POSITIONS_SKIPPED = "output-positions-skipped"

# The windows a loop over the output positions one short leaves out, per side it is short on.
_SHORT = {
    "rows": "the last row of windows",
    "columns": "the last column of windows",
    "both": "the last row and the last column of windows",
}

# Where window (p, q) starts when one loop index is written for the other: (row index, column index), tag, words.
_INDICES: list[tuple[Callable[[int, int], tuple[int, int]], str, str]] = [
    (
        lambda p, q: (p, p),
        "copy-paste#column-from-row",
        "its columns start at p*sW, the row index p written where the column index q belongs (the row's slice "
        "copied and not fully edited), so every window of row p covers the same place",
    ),
    (
        lambda p, q: (q, q),
        "copy-paste#row-from-column",
        "its rows start at q*sH, the column index q written where the row index p belongs (the column's slice "
        "copied and not fully edited), so every window of column q covers the same place",
    ),
    (
        lambda p, q: (q, p),
        "index-order-reversed#window-start",
        "its rows start at q*sH and its columns at p*sW: the two loop indices swapped, as if p counted columns",
    ),
]


def _window(
    p: int, q: int, geo: Geometry, step: tuple[int, int] | None = None, extent: tuple[int, int] | None = None
) -> tuple[slice, slice]:
    """Window (p, q)'s rows and columns, its origin ``step`` (the stride, unless given) times (p, q), its sides
    ``extent`` (the kernel, unless given)."""
    (kH, kW), (sH, sW) = extent or geo.kernel, step or geo.stride
    return slice(p * sH, p * sH + kH), slice(q * sW, q * sW + kW)


def _extent_slips(geo: Geometry) -> dict[str, tuple[tuple[int, int], str]]:
    """The wrong sides of the window a loop slices, for a non-square window: one side written for both (the column
    slice's end c + kH copied from the row slice's r + kH, or the other way), or the two swapped. Right for square
    windows only, so a square case never shows it."""
    kH, kW = geo.kernel
    if kH == kW:
        return {}
    return {
        "square-only-index#window-loop-kernel-rows": (
            (kH, kH),
            f"kH = {kH} was written for the window's width too (kW = {kW}): its column slice c:c + kH",
        ),
        "square-only-index#window-loop-kernel-columns": (
            (kW, kW),
            f"kW = {kW} was written for the window's height too (kH = {kH}): its row slice r:r + kW",
        ),
        "kernel-height-width-swapped#window-loop": (
            (kW, kH),
            "the window's sides were swapped: its row slice r:r + kW and its column slice c:c + kH",
        ),
    }


def _extent_text(words: str, extent: tuple[int, int], geo: Geometry, method: str, lost: str) -> str:
    """What a loop over the windows that slices each ``extent[0] x extent[1]`` does, numpy's clipping said."""
    (kH, kW), (sH, sW), (H, W) = geo.kernel, geo.stride, geo.padded
    (Ho, Wo), (a, b) = geo.out_hw, extent
    past = (Ho - 1) * sH + a > H or (Wo - 1) * sW + b > W
    clipped = (
        f"; the last windows then run past the input's edge ({H}x{W}), and numpy cuts a slice there short without "
        f"raising, {lost}"
        if past
        else ""
    )
    return (
        f"in {method}'s loop over the windows, each window was sliced {a} x {b} where the window is {kH} x {kW}: "
        f"{words}{clipped}. Window (p, q) covers rows p*sH:p*sH + kH and columns q*sW:q*sW + kW: the rows take kH "
        "and the columns kW, and only a square window lets one stand for the other"
    )


def _step_slips(geo: Geometry) -> dict[str, tuple[tuple[int, int], str]]:
    """The wrong distances between windows (window_mistakes._steps: 1, the kernel, one axis's stride for both, the
    pair swapped), each with what it is."""
    from .window_mistakes import _steps  # (window_mistakes imports this module)

    return _steps(geo)


def _loop_tag(tag: str, method: str) -> str:
    """The tag of a step slip made in a loop over the windows: the step's own mistake (backward's stride ignored
    keeps the catalogue's name for it)."""
    if method == "backward" and tag == "stride-ignored":
        tag = "pool-backward-ignores-stride"
    return tag + ("-window-loop" if "#" in tag else "#window-loop")


def _step_text(words: str, step: tuple[int, int], geo: Geometry, method: str, lost: str) -> str:
    """What a loop over the windows whose origins are ``step`` apart does, numpy's clipping said where it acts."""
    (kH, kW), (sH, sW), (H, W) = geo.kernel, geo.stride, geo.padded
    (Ho, Wo), (a, b) = geo.out_hw, step
    where = f"window (p, q) was sliced at rows p*{a}:p*{a} + {kH} and columns q*{b}:q*{b} + {kW}"
    past = (Ho - 1) * a + kH > H or (Wo - 1) * b + kW > W
    clipped = (
        f"; the last windows then run past the input's edge ({H}x{W}), and numpy cuts a slice there short (one "
        f"that starts past the edge comes out empty) without raising, {lost}"
        if past
        else ""
    )
    return (
        f"in {method}'s loop over the windows, {words}: {where}{clipped}. Window (p, q) starts at row p*sH and "
        f"column q*sW, the stride {(sH, sW)} apart: rows p*sH:p*sH + kH, columns q*sW:q*sW + kW"
    )


def _stops(geo: Geometry) -> dict[str, tuple[int, int]]:
    """The window counts a loop one short reaches, per slip (a side with one window has none to lose)."""
    Ho, Wo = geo.out_hw
    found = {"rows": (Ho - 1, Wo), "columns": (Ho, Wo - 1), "both": (Ho - 1, Wo - 1)}
    # (a loop that reaches no window leaves every entry 0, as a result never written does: no claim of its own)
    return {key: (rows, cols) for key, (rows, cols) in found.items() if min(rows, cols) >= 1}


def _one_short_text(which: str, geo: Geometry, method: str) -> str:
    (kH, kW), (sH, sW) = geo.kernel, geo.stride
    H, W = geo.padded
    reached = "got no gradient" if method == "backward" else "were never pooled, their outputs left at 0"
    sides = {
        "rows": f"top rows, range(0, H - kH, sH), leaves out its last start H - kH = {H - kH}",
        "columns": f"left columns, range(0, W - kW, sW), leaves out its last start W - kW = {W - kW}",
    }
    rights = {
        "rows": f"range(0, H - kH + 1, sH) = range(0, {H - kH + 1}, {sH})",
        "columns": f"range(0, W - kW + 1, sW) = range(0, {W - kW + 1}, {sW})",
    }
    short = list(sides) if which == "both" else [which]
    return (
        f"{method}'s loop over the windows stopped one short: {_SHORT[which]} {reached}. A loop over the windows' "
        + " and one over their ".join(sides[side] for side in short)
        + " (range stops before its end), one window short whenever that distance is a multiple of the stride (as "
        "is range(H' - 1)); the starts run to the last one inclusive, one per output position: "
        + " and ".join(rights[side] for side in short)
        + f" (kernel {(kH, kW)}, stride {(sH, sW)})"
    )


def _bounds(geo: Geometry, method: str) -> list[tuple[str, range, range, str]]:
    """The wrong bounds of a loop over the output positions (p, q), ``(tag#name, rows, columns, mistake)``: one
    window short (:func:`_stops`), starting at 1, or bounded by the other axis's count (range(H') for the columns:
    right for square outputs only). A bound past the output's side is left out: it raises instead."""
    Ho, Wo = geo.out_hw
    reached = "got no gradient" if method == "backward" else "were never pooled, their outputs left at 0"
    bounds = [
        (f"loop-off-by-one#windows-{which}", range(rows), range(cols), _one_short_text(which, geo, method))
        for which, (rows, cols) in _stops(geo).items()
        if (rows, cols) != (Ho, Wo)
    ]
    start = (
        f"{method}'s loop over the output {{axis}} starts at 1, range(1, {{n}}), so the windows of the first {{one}} "
        f"{reached}"
    )
    if Ho > 1:
        text = start.format(axis="rows", n="H'", one="row")
        bounds.append(("loop-off-by-one#windows-rows-from-one", range(1, Ho), range(Wo), text))
    if Wo > 1:
        text = start.format(axis="columns", n="W'", one="column")
        bounds.append(("loop-off-by-one#windows-columns-from-one", range(Ho), range(1, Wo), text))
    other = (
        f"{method}'s loop over the output {{axis}} runs over range({{n}}) = range({{m}}), the output's {{side}}, where "
        f"range({{k}}) = range({{count}}) belongs (one axis's count used for the other, right for square outputs "
        f"only), so the windows of the last {{left}} {reached}"
    )
    if Wo < Ho:
        left = f"{Ho - Wo} row(s)"
        text = other.format(axis="rows", n="W'", m=Wo, side="width", k="H'", count=Ho, left=left)
        bounds.append(("square-only-index#windows-rows-over-width", range(Wo), range(Wo), text))
    if Ho < Wo:
        left = f"{Wo - Ho} column(s)"
        text = other.format(axis="columns", n="H'", m=Ho, side="height", k="W'", count=Wo, left=left)
        bounds.append(("square-only-index#windows-columns-over-height", range(Ho), range(Ho), text))
    return bounds


def position_bounds(geo: Geometry, method: str, merge: bool = True) -> list[tuple[str, range, range, str]]:
    """:func:`_bounds`, where bounds that reach the same windows but are different mistakes become one statement
    under :data:`POSITIONS_SKIPPED` that names each and claims none (``merge``): their numbers are the same."""
    groups: dict[tuple[range, range], list[tuple[str, str]]] = {}
    for tag, rows, cols, text in _bounds(geo, method):
        groups.setdefault((rows, cols), []).append((tag, text))
    found = []
    for (rows, cols), fits in groups.items():
        if merge and len({tag.partition("#")[0] for tag, _ in fits}) > 1:
            found.append(
                (
                    f"{POSITIONS_SKIPPED}#windows-{len(found)}",
                    rows,
                    cols,
                    f"{method}'s loops over the windows reach the output rows {list(rows)} and columns {list(cols)} "
                    "only, where range(H') and range(W') belong. Here the bound that falls short fits "
                    + " or ".join(f"'{text.partition(': ')[0].partition(', so ')[0]}'" for _, text in fits),
                )
            )
            continue
        found += [(tag, rows, cols, text) for tag, text in fits]
    return found


def forward_loop_variants(x: np.ndarray, geo: Geometry, average: bool, merge: bool = True) -> Variants:
    """The output of forward's loop over the windows with each slip: a wrong bound, or one index for the other."""
    Ho, Wo = geo.out_hw
    reduce = np.mean if average else np.max
    v: Variants = {}

    def pooled(rows: range, cols: range, start: Callable[[int, int], tuple[int, int]]) -> np.ndarray:
        y = np.zeros((*x.shape[:2], Ho, Wo))
        for p in rows:
            for q in cols:
                r, c = _window(*start(p, q), geo)
                y[:, :, p, q] = reduce(x[:, :, r, c], axis=(2, 3))
        return y

    for tag, rows, cols, text in position_bounds(geo, "forward", merge):
        v[tag] = (pooled(rows, cols, lambda p, q: (p, q)), text)
    if not merge:
        return v
    for start, tag, words in _INDICES:
        value = _clipped(lambda start=start: pooled(range(Ho), range(Wo), start))
        if value is not None:
            v[tag] = (value, _index_text(words, geo, "forward"))
    v.update(_stepped_forward(x, geo, average))
    return v


def _stepped_forward(x: np.ndarray, geo: Geometry, average: bool) -> Variants:
    """Forward's loop over the windows with each window's origin stepped wrongly, as numpy slices it: a window cut
    short at the edge is pooled over what is left (an average pool's mean over fewer entries, or its sum divided by
    kH*kW all the same), an empty one is nan (a max of it raises: the student's code raised too)."""
    Ho, Wo = geo.out_hw
    kH, kW = geo.kernel
    reductions = {"": (lambda w: w.mean(axis=(2, 3))) if average else (lambda w: w.max(axis=(2, 3)))}
    if average:
        reductions["-sum"] = lambda w: w.sum(axis=(2, 3)) / (kH * kW)
    lost = {
        "": "so those windows were averaged over the entries left (an empty one gives nan)"
        if average
        else "so those windows' maxima were taken over the entries left",
        "-sum": f"so those windows' sums lack their missing entries but were still divided by kH*kW = {kH * kW}",
    }
    v: Variants = {}
    for suffix, reduce in reductions.items():
        for tag, step, extent, text in _misplaced(geo, "forward", lost[suffix]):

            def pooled(
                step: tuple[int, int] | None = step, extent: tuple[int, int] | None = extent, reduce: Callable = reduce
            ) -> np.ndarray:
                y = np.zeros((*x.shape[:2], Ho, Wo))
                for p in range(Ho):
                    for q in range(Wo):
                        r, c = _window(p, q, geo, step, extent)
                        y[:, :, p, q] = reduce(x[:, :, r, c])
                return y

            value = _clipped(pooled)
            if value is not None:
                v[tag + suffix] = (value, text)
    return v


def extent_winners(x: np.ndarray, geo: Geometry, tag: str) -> tuple[np.ndarray, str] | None:
    """The winners a max pool's forward saves when its loop slices each window with the wrong sides, the slip
    ``tag`` of :func:`_extent_slips`: each window's flat argmax, an offset into the window it sliced (cut short at
    the edge), (N, C, H', W'), with what the slip is; None for a square window or an empty slice."""
    slip = _extent_slips(geo).get(tag)
    if slip is None:
        return None
    extent, words = slip
    Ho, Wo = geo.out_hw

    def winners() -> np.ndarray:
        won = np.zeros((*x.shape[:2], Ho, Wo), dtype=np.int64)
        for p in range(Ho):
            for q in range(Wo):
                r, c = _window(p, q, geo, None, extent)
                won[:, :, p, q] = x[:, :, r, c].reshape(*x.shape[:2], -1).argmax(axis=-1)
        return won

    won = _clipped(winners)
    lost = "so those windows' winners were found among the entries left"
    return None if won is None else (won, _extent_text(words, extent, geo, "forward", lost))


def _misplaced(geo: Geometry, method: str, lost: str) -> list[tuple[str, Any, Any, str]]:
    """The windows a loop slices in the wrong place or of the wrong size: ``(tag, step, extent, mistake)``, a step
    slip (the origin stepped wrongly, :func:`_step_slips`) with the kernel's sides, or an extent slip (the sides
    wrong, :func:`_extent_slips`) at the right origins; ``None`` keeps the right one."""
    found: list[tuple[str, Any, Any, str]] = [
        (_loop_tag(tag, method), step, None, _step_text(words, step, geo, method, lost))
        for tag, (step, words) in _step_slips(geo).items()
    ]
    found += [
        (tag, None, extent, _extent_text(words, extent, geo, method, lost))
        for tag, (extent, words) in _extent_slips(geo).items()
    ]
    return found


def backward_loop_variants(
    block: Block, shape: tuple[int, ...], geo: Geometry, maxima: tuple[np.ndarray, np.ndarray] | None = None
) -> Variants:
    """Backward's window-by-window scatter (``grad[.., rows, cols] += block(p, q)``) with each slip of its loop.
    An average pool's block broadcasts into a window cut short at the edge, as the student's grad_y[:, :, p, q,
    None, None] / (kH*kW) does; a max pool's (``maxima``: its input x and grad_y) is also the mask of the maximum of
    the window the loop slices from x, recomputed in backward, which follows the window wherever the loop puts it."""
    Ho, Wo = geo.out_hw

    Start = Callable[[int, int], tuple[int, int]] | None

    def scattered(
        rows: range,
        cols: range,
        start: Start,
        step: tuple[int, int] | None = None,
        extent: tuple[int, int] | None = None,
    ) -> np.ndarray:
        grad = np.zeros(shape)
        for p in rows:
            for q in cols:
                r, c = _window(*(start(p, q) if start else (p, q)), geo, step, extent)
                grad[:, :, r, c] += block(p, q)
        return grad

    def recomputed(step: tuple[int, int], first: bool) -> np.ndarray:
        """Each window's maximum found again in backward where the loop slices the window: every entry equal to it
        (``window == window.max()``), or its first (the argmax, one-hot)."""
        assert maxima is not None
        x, g = maxima
        grad = np.zeros(shape)
        for p in range(Ho):
            for q in range(Wo):
                r, c = _window(p, q, geo, step)
                window = x[:, :, r, c]
                if first:  # (an empty window raises here, as the student's does)
                    flat = window.reshape(*window.shape[:2], -1)
                    won = (np.arange(flat.shape[-1]) == flat.argmax(axis=-1)[..., None]).reshape(window.shape)
                else:
                    won = window == window.max(axis=(2, 3), keepdims=True)
                grad[:, :, r, c] += won * g[:, :, p, q, None, None]
        return grad

    v: Variants = {}
    for tag, rows, cols, text in position_bounds(geo, "backward", merge=True):
        v[tag] = (scattered(rows, cols, lambda p, q: (p, q)), text)
    for start, tag, words in _INDICES:
        value = _clipped(lambda start=start: scattered(range(Ho), range(Wo), start))
        if value is not None:
            v[tag] = (value, _index_text(words, geo, "backward"))
    lost = "so what those windows would have sent past the edge was dropped"
    for tag, (step, words) in _step_slips(geo).items():
        text = _step_text(words, step, geo, "backward", lost)
        # A max pool's saved winners, a one-hot block of the whole window, fit a window cut short only where numpy
        # broadcasts a side of 1 into an empty slice; where the windows fit, window_mistakes' step simulation
        # gives the same numbers: only the maximum found again where the loop slices (below) is simulated.
        value = None if maxima is not None else _clipped(lambda step=step: scattered(range(Ho), range(Wo), None, step))
        if value is not None:
            v[_loop_tag(tag, "backward")] = (value, text)
        for first in (False, True) if maxima is not None else ():
            value = _clipped(lambda step=step, first=first: recomputed(step, first))
            if value is not None:
                v[_loop_tag(tag, "backward") + ("-recomputed-first" if first else "-recomputed")] = (
                    value,
                    f"{text}; each window's maximum was found again in the input at that wrong place",
                )
    if maxima is None:
        v.update(_share_extent_variants(scattered, geo, lost))
    return v


def _share_extent_variants(scattered: Callable[..., np.ndarray], geo: Geometry, lost: str) -> Variants:
    """An average pool's backward loop over the windows that spreads each share over a window of the wrong sides
    (:func:`_extent_slips`). A window inside the right one (the shorter side for both) sends the share to some of
    its offsets only, as a loop over the offsets with that side's range does: window_mistakes._offset_loops names
    those numbers already, with a probe for the loops' twins, so only a window that reaches past the right one is
    simulated here. (A max pool's backward is left out: the ledger reads a variant of one slip of a side's number
    as the whole class, and on MaxPool's rectangular cases the stride's own slip of it is a twin of the stride
    ignored, dropped as ambiguous, so another slip's variant there would refute a right claim on the other case.)"""
    Ho, Wo = geo.out_hw
    kH, kW = geo.kernel
    found: Variants = {}
    for tag, (extent, words) in _extent_slips(geo).items():
        if extent[0] <= kH and extent[1] <= kW:
            continue
        value = _clipped(lambda extent=extent: scattered(range(Ho), range(Wo), None, None, extent))
        if value is not None:
            found[tag] = (value, _extent_text(words, extent, geo, "backward", lost))
    return found


def _index_text(words: str, geo: Geometry, method: str) -> str:
    what = "took its values from" if method == "forward" else "sent its gradient to"
    return (
        f"in {method}'s loop over the windows, window (p, q) {what} the wrong place: {words}; window (p, q) covers "
        f"rows p*sH:p*sH + kH and columns q*sW:q*sW + kW (sH, sW = {geo.stride})"
    )


def _clipped(make: Callable[[], np.ndarray]) -> np.ndarray | None:
    """A slip whose slices run past the edge: numpy clips them, as it does the student's (an empty window's max,
    or a clipped block added into a window of another shape, raises: then the student's code raised too)."""
    try:
        with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # numpy's "Mean of empty slice"
            return make()
    except ValueError:
        return None


# ------------------------------------------------------------------------------- the winners forward saved
def saved_winner_variants(x: np.ndarray, g: np.ndarray, geo: Geometry, saved: Mapping[str, Any]) -> Variants:
    """A max pool's input gradient routed to the winners the student's forward saved, where those are not the
    windows' maxima and are one offset for every window: the saved winner never moved from where it started, or
    moved on every offset. Backward's numbers alone cannot tell this from a backward that drops the offset
    (every window's gradient at its first entry): the saved array can. ``saved``: the module's attributes."""
    kW, K = geo.kernel[1], geo.kernel[0] * geo.kernel[1]
    windows = np.lib.stride_tricks.sliding_window_view(x, geo.kernel, axis=(2, 3))[
        :, :, :: geo.stride[0], :: geo.stride[1]
    ]
    right = windows.reshape(*windows.shape[:4], K).argmax(axis=-1)
    found: Variants = {}
    for value in saved.values():
        # (an integer array, or the float buffer np.zeros gives, holding whole offsets)
        if not isinstance(value, np.ndarray) or value.shape != right.shape or value.dtype.kind not in "iuf":
            continue
        won = value
        if not np.all(np.isfinite(won)) or not np.array_equal(won, np.round(won)) or np.array_equal(won, right):
            continue
        offsets = np.unique(won)
        if offsets.size != 1 or offsets[0] not in (0, K - 1):
            continue
        grad = np.zeros(x.shape)
        (Ho, Wo), (sH, sW) = geo.out_hw, geo.stride
        i, j = divmod(int(offsets[0]), kW)
        grad[:, :, i : i + sH * (Ho - 1) + 1 : sH, j : j + sW * (Wo - 1) + 1 : sW] += g
        first = offsets[0] == 0
        end, test = ("first", "never") if first else ("last", "always")
        found["compared-with-itself#saved-winner-" + ("first" if first else "last")] = (
            grad,
            f"the winners your forward saved are offset {offsets[0]} for every window (its {end} entry), though its "
            "maxima are right and lie elsewhere, and backward sent each window's gradient to the saved winner: the "
            "winner never followed the maximum. In a loop over the window offsets that keeps a running maximum, the "
            "test that records a new winner compares the candidate with the maximum already updated to include it, "
            f"so it is {test} true (after y = np.maximum(y, candidate), candidate > y never is and y >= candidate "
            "always is), or its result is never stored: compare with the old maximum first, then update it (or take "
            "the argmax over each window)",
        )
    return found
