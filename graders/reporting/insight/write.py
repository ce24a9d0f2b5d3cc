"""Write a class report: class-report.html, class-report.json and needs-help.csv in a folder.

``nnlab grade --batch`` calls :func:`write_class_report` with the records of the students it
just graded; ``nnlab report`` reads them back from a reports folder first (no regrading). These
three files are the only ones written, each through a temporary file, so a failure leaves the
previous version whole.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from .. import write_atomically
from .analysis import DEFAULT_THRESHOLD, ClassReport, build
from .records import ReportError, StudentRecord
from .render import needs_help_csv, to_html, to_json

HTML, JSON, CSV = "class-report.html", "class-report.json", "needs-help.csv"
FILES = (HTML, JSON, CSV)


def write_class_report(
    records: Sequence[StudentRecord],
    folder: Path,
    threshold: float = DEFAULT_THRESHOLD,
    names: bool = False,
    before: Sequence[StudentRecord] | None = None,
) -> ClassReport:
    """Count ``records`` and write the three files into ``folder`` (which must exist); returns the report.

    Raises:
        ReportError: no records, or ``folder`` holds a student's results under a report's name.
    """
    if not records:
        raise ReportError("no students to report on")
    _refuse_to_overwrite_results(folder / JSON)
    report = build(records, threshold=threshold, names=names, before=before)
    outputs = {JSON: to_json(report), CSV: needs_help_csv(report), HTML: to_html(report)}
    for name, text in outputs.items():
        write_atomically(folder / name, text)
    return report


def _refuse_to_overwrite_results(path: Path) -> None:
    """A student named ``class-report`` has results at the report's path: keep them."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return
    if isinstance(data, dict) and "tests" in data:
        raise ReportError(f"{path}: holds a student's results; rename that submission (class-report is the report's)")
