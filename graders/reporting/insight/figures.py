"""The class report's charts, drawn with matplotlib (Agg) as PNG ``data:`` URIs for one self-contained page.

Three kinds: a histogram of an assignment's scores, a bar chart of the misconceptions (students
per misconception, most first) and the same before and after (``--compare``). The same
numbers give the same bytes: matplotlib's defaults are used whatever the local matplotlibrc
says, and the PNGs carry no metadata. Without matplotlib the page is written all the same,
and says the charts were left out.
"""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .analysis import BINS, Comparison, Misconception, Scores

DPI = 100  # 800 pixels wide for a bar chart: its labels stay readable when projected
MAX_BARS = 15  # misconceptions in a bar chart; the table lists them all
LABEL_WIDTH = 48  # characters per line of a bar's label
RED, GREY, GREEN = "#b42318", "#8c959f", "#17803d"
NO_MATPLOTLIB = "matplotlib is not installed (pip install matplotlib)"


@dataclass(frozen=True)
class Chart:
    title: str  # also the image's alt text
    uri: str = ""  # a data: URI, or "" when not drawn
    problem: str = ""  # why it was not drawn


def _draw(title: str, size: tuple[float, float], paint: Callable[[Any], None]) -> Chart:
    """``paint(axes)`` on a figure of ``size`` inches, as a PNG data URI."""
    try:
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        return Chart(title, problem=NO_MATPLOTLIB)
    # Figure and its Agg canvas rather than pyplot: no global figure registry, no GUI backend.
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams["text.parse_math"] = False  # a "$" in a title is a dollar sign
        figure = Figure(figsize=size, layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        paint(axes)
        axes.set_title(title, fontsize=10)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return Chart(title, "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"))


def _label(text: str) -> str:
    """A bar's label: at most two lines of ``LABEL_WIDTH`` characters."""
    return textwrap.fill(textwrap.shorten(text, LABEL_WIDTH * 2 - 4, placeholder=" ..."), LABEL_WIDTH)


def histogram(scores: Scores) -> Chart:
    """How many of those who submitted ``scores.name`` scored in each tenth of the maximum."""

    def paint(axes: Any) -> None:
        axes.bar(range(BINS), scores.histogram, width=0.85, color=RED, align="edge")
        axes.set_xticks(range(BINS + 1), [f"{10 * i}" for i in range(BINS + 1)])
        axes.set_xlabel("score (% of the maximum; the last bar includes full marks)")
        axes.set_ylabel("students")
        axes.yaxis.get_major_locator().set_params(integer=True)

    return _draw(f"{scores.name}: scores of the {scores.submitted} students who submitted", (6.0, 2.6), paint)


def misconceptions(found: Sequence[Misconception]) -> Chart:
    """Students per misconception, most first (at most ``MAX_BARS``)."""
    shown = list(found[:MAX_BARS])

    def paint(axes: Any) -> None:
        counts = [len(m.students) for m in shown]
        positions = range(len(shown))
        axes.barh(positions, counts, color=RED)
        axes.set_yticks(positions, [_label(m.title) for m in shown], fontsize=8)
        axes.invert_yaxis()  # the most common at the top
        axes.set_xlabel("students")
        axes.xaxis.get_major_locator().set_params(integer=True)
        for position, count in zip(positions, counts, strict=True):
            axes.annotate(str(count), (count, position), xytext=(3, 0), textcoords="offset points", va="center")

    title = "Misconceptions: students the diagnosis named each for"
    return _draw(title, (8.0, 1.2 + 0.45 * len(shown)), paint)


def comparison(compared: Comparison) -> Chart:
    """Share of the class per misconception, before and after (at most ``MAX_BARS``)."""
    shown = list(compared.changes[:MAX_BARS])

    def paint(axes: Any) -> None:
        before = [100 * c.before / max(compared.before_students, 1) for c in shown]
        after = [100 * c.after / max(compared.after_students, 1) for c in shown]
        rows = range(len(shown))
        axes.barh([r - 0.2 for r in rows], before, height=0.4, color=GREY, label=f"before ({compared.before_students})")
        axes.barh([r + 0.2 for r in rows], after, height=0.4, color=RED, label=f"after ({compared.after_students})")
        axes.set_yticks(rows, [_label(c.title) for c in shown], fontsize=8)
        axes.invert_yaxis()
        axes.set_xlabel("% of the class")
        axes.legend(fontsize=8, title="batch (students)", title_fontsize=8)

    return _draw("Misconceptions before and after", (8.0, 1.4 + 0.55 * len(shown)), paint)
