"""One self-contained HTML feedback page per submission (rendered from templates/report.html.j2).

The page loads nothing from outside: styles are inline, plots are PNG images embedded as
``data:`` URIs, and a Content-Security-Policy forbids everything else. Everything a student
wrote or printed is escaped (the template forces autoescaping).

Plots come from the plain data in ``Outcome.figures``: ``loss_curves`` (the student's
training loss against the reference's) and ``error_map`` (where an array is wrong). They
are drawn with matplotlib, an optional dependency (the ``plots`` extra); without it the page
renders all the same and says the plots were left out. The same report gives the same bytes:
matplotlib's defaults are used whatever the local matplotlibrc says, and PNGs carry no
metadata (no version, no date).
"""

from __future__ import annotations

import base64
import io
import math
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

from nnlab.graders.results import PASSED, ComponentReport, Report, ScoredCheck

from .grouping import Item, groups
from .rows import family_label

# A page with more plots than this is slow to draw (~0.1 s each) and no easier to read;
# the rest are listed as not drawn.
MAX_PLOTS = 40
# The runner already truncates captured output; this only bounds the page if it did not.
OUTPUT_LIMIT = 20_000
FIGSIZE = (6.0, 3.2)  # inches
DPI = 80  # 480 x 256 pixels: readable, ~20 KB per PNG
# Fixed margins for the fixed size: automatic ("constrained") layout doubles the drawing time.
MARGINS = {"left": 0.11, "right": 0.97, "bottom": 0.17, "top": 0.88}
NO_MATPLOTLIB = "matplotlib is not installed (pip install 'nnlab[plots]')"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")  # colour codes students print
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Plot:
    title: str
    uri: str = ""  # a data: URI, or "" when not drawn
    problem: str = ""  # why it was not drawn


@dataclass
class CheckView:
    check: ScoredCheck
    css: str  # the status as a CSS class
    feedback: str
    plots: list[Plot] = field(default_factory=list)
    family: str = ""  # the check family as a student reads it ("gradient check")
    same_as: str = ""  # the title of the failed check whose mistake this one repeats


@dataclass
class GroupView:
    """The failed checks one mistake caused (grouping.py); ``heading`` is empty for a lone check."""

    heading: str
    items: list[CheckView]


@dataclass
class ComponentView:
    component: ComponentReport
    anchor: str
    ok: bool
    note: str
    summary: str
    failed: list[CheckView]
    output: str
    groups: list[GroupView] = field(default_factory=list)  # ``failed``, grouped by mistake


def render(report: Report, hints: dict[str, str] | None = None) -> str:
    """The feedback page of ``report`` (``hints``: per component, shown with its failures)."""
    from nnlab.templates import environment

    painter = Painter()
    # Failures first: what needs attention is at the top (stable, so course order otherwise).
    ordered = sorted(report.components, key=lambda c: c.score >= c.max_score)
    views = [_component_view(c, painter) for c in ordered]
    template = environment().get_template("report.html.j2")
    notes = [visible(n) for n in report.notes] + painter.notes()
    return template.render(report=report, components=views, hints=hints or {}, notes=notes)


def _component_view(component: ComponentReport, painter: Painter) -> ComponentView:
    bad = [c for c in component.checks if c.outcome.status != PASSED]
    note = visible(component.note)
    if note:
        summary = note
    elif bad:
        summary = f"{len(bad)} of {len(component.checks)} checks failed"
    else:
        summary = "all checks passed"
    # A component that could not be graded repeats its note on every check: say it once.
    listed = {id(c) for c in bad if not component.note or c.outcome.feedback != component.note}
    views = []
    for group in groups(component):  # one mistake's failed checks together, best explained first
        items = [_check_view(item, painter) for item in group.items if id(item.check) in listed]
        if items:
            views.append(GroupView(visible(group.heading) if len(items) > 1 else "", items))
    failed = [item for view in views for item in view.items]
    output = visible(component.output.strip())
    if len(output) > OUTPUT_LIMIT:
        output = output[:OUTPUT_LIMIT] + "\n[... truncated]"
    ok = component.score >= component.max_score
    return ComponentView(component, f"c-{component.component}", ok, note, summary, failed, output, views)


def _check_view(item: Item, painter: Painter) -> CheckView:
    check = item.check
    css = check.outcome.status.replace(" ", "-")
    family = family_label(check.family)
    if item.same_as:  # its reference twin explains it, with the pictures
        return CheckView(check, css, visible(item.feedback), [], family, item.same_as)
    return CheckView(check, css, visible(check.outcome.feedback), painter.plots(check.outcome.figures), family)


def visible(text: str) -> str:
    """``text`` without colour codes; other control characters (invisible in HTML) as ``\\xNN``."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", _ANSI.sub("", text))


class Painter:
    """Draws figures as PNG data URIs, at most ``MAX_PLOTS`` per page; counts what it could not."""

    def __init__(self) -> None:
        self.drawn = 0
        self.over_limit = 0
        self.missing = 0
        self._matplotlib: Any = None
        try:
            import matplotlib  # optional: the `plots` extra

            self._matplotlib = matplotlib
        except ImportError:
            pass

    def plots(self, figures: dict[str, Any]) -> list[Plot]:
        plots = []
        for kind, draw in (("loss_curves", _loss_curves), ("error_map", _error_map)):
            data = figures.get(kind)
            if not isinstance(data, dict):
                continue
            title = str(data.get("title") or kind.replace("_", " "))
            if self._matplotlib is None:
                self.missing += 1
                plots.append(Plot(title, problem=NO_MATPLOTLIB))
            elif self.drawn >= MAX_PLOTS:
                self.over_limit += 1
                plots.append(Plot(title, problem=f"at most {MAX_PLOTS} plots are drawn per page"))
            else:
                plots.append(self._draw(draw, title, data))
        return plots

    def _draw(self, draw: Any, title: str, data: dict[str, Any]) -> Plot:
        from matplotlib.figure import Figure

        # Figure() rather than pyplot: no global figure registry, no GUI backend; PNGs are
        # written by Agg. rcdefaults() inside rc_context: the same picture on every machine.
        with self._matplotlib.rc_context():
            self._matplotlib.rcdefaults()
            try:
                figure = Figure(figsize=FIGSIZE)
                figure.subplots_adjust(**MARGINS)
                axes = figure.add_subplot()
                draw(figure, axes, data)
                axes.set_title(textwrap.fill(title, 80), fontsize=9, parse_math=False)
                buffer = io.BytesIO()
                figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
            except Exception as error:  # noqa: BLE001 - a bad figure costs its picture, not the page
                return Plot(title, problem=f"could not be drawn ({type(error).__name__}: {error})")
        self.drawn += 1
        encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
        return Plot(title, f"data:image/png;base64,{encoded}")

    def notes(self) -> list[str]:
        notes = []
        if self.missing:
            notes.append(f"{self.missing} plot(s) left out: {NO_MATPLOTLIB}.")
        if self.over_limit:
            notes.append(f"{self.over_limit} plot(s) left out: at most {MAX_PLOTS} per page.")
        return notes


def _finite(values: Any) -> list[float]:
    """Floats, with inf and anything unreadable as nan (matplotlib leaves a gap)."""
    out = []
    for value in values or []:
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        out.append(number if math.isfinite(number) else math.nan)
    return out


def _loss_curves(figure: Any, axes: Any, data: dict[str, Any]) -> None:
    """The student's per-epoch training loss (red) against the reference's (dashed grey)."""
    from matplotlib.ticker import MaxNLocator

    reference, yours = _finite(data.get("reference")), _finite(data.get("yours"))
    axes.plot(range(1, len(reference) + 1), reference, "--", color="#555555", label="reference")
    axes.plot(range(1, len(yours) + 1), yours, "-o", color="#b42318", markersize=3, label="yours")
    seen = [v for v in reference + yours if not math.isnan(v)]
    if seen and min(seen) > 0 and max(seen) / min(seen) > 50:
        axes.set_yscale("log")  # a diverging loss would flatten the reference to a line
    axes.set_xlabel("epoch")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel("training loss")
    axes.legend(fontsize=8)
    gaps = [i + 1 for i, v in enumerate(yours) if math.isnan(v)]
    if gaps:
        axes.annotate(
            f"yours is nan/inf from epoch {gaps[0]}",
            (0.02, 0.04),
            xycoords="axes fraction",
            fontsize=8,
            color="#b42318",
        )


def _error_map(figure: Any, axes: Any, data: dict[str, Any]) -> None:
    """|yours - expected| as a heat map: white where right, dark red where most wrong."""
    import numpy as np
    from matplotlib.ticker import MaxNLocator

    values = np.asarray(data["values"], dtype=np.float64)
    if values.ndim == 1:
        values = values[None, :]
    if values.ndim != 2 or values.size == 0:
        raise ValueError(f"expected a 2-D grid, got shape {values.shape}")
    values = np.where(np.isfinite(values), values, np.nan)
    image = axes.imshow(values, cmap="Reds", aspect="auto", interpolation="nearest", vmin=0)
    figure.colorbar(image, ax=axes, label="|yours - expected|")
    axes.set_xlabel("column")
    axes.set_ylabel("row")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
