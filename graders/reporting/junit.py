"""JUnit XML for CI systems: a ``<testsuite>`` per component, a ``<testcase>`` per row.

* A row (see ``rows.py``) is by default one check family of the component (``name`` is the
  family, ``gradient check``, and the failed checks are listed in the failure's text); with
  granularity ``check`` it is one check (``name`` is the check's name), with ``component`` the
  whole component. ``classname`` is the component (``layers.Conv2d``).
* A wrong answer, a stub that is not implemented or a missing component is a ``<failure>``;
  a check that raised, crashed or timed out (status ``error``) is an ``<error>``. Nothing is
  ever ``<skipped>``: a check either earns its points or does not.
* Each suite's ``<properties>`` hold its score and max_score (and its assignment and note);
  what the student's code printed is its ``<system-out>``.

Built with xml.etree, so everything is escaped; characters that XML 1.0 cannot hold at all
(NUL, most control characters, as in ANSI colour codes) are written as ``\\xNN``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from nnlab.graders.results import ERROR, PASSED, ComponentReport, Report

from .rows import Row, family_label, rows

# Attribute values are one line; CI systems show them in a list, so keep them short.
MESSAGE_LIMIT = 500
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _message(text: str) -> str:
    line = " ".join(text.split())
    return _clean(line if len(line) <= MESSAGE_LIMIT else line[: MESSAGE_LIMIT - 3] + "...")


def _number(value: float) -> str:
    return f"{round(value, 4):g}"


def _suite(component: ComponentReport, hints: dict[str, str], granularity: str) -> ET.Element:
    single = Report("", 0, [component])
    component_rows = rows(single, hints, granularity)
    errors = sum(r.status == ERROR for r in component_rows)
    failures = sum(r.status not in (PASSED, ERROR) for r in component_rows)
    suite = ET.Element(
        "testsuite",
        name=_clean(component.component),
        tests=str(len(component_rows)),
        failures=str(failures),
        errors=str(errors),
        skipped="0",
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("score", _number(component.score)),
        ("max_score", _number(component.max_score)),
        ("assignment", component.assignment),
        ("note", component.note),
    ):
        if value:
            ET.SubElement(properties, "property", name=name, value=_clean(value))
    for row in component_rows:
        case = ET.SubElement(suite, "testcase", classname=_clean(component.component), name=_clean(_case_name(row)))
        if row.status == PASSED:
            continue
        tag = "error" if row.status == ERROR else "failure"
        first = row.checks[0].outcome if len(row.checks) == 1 else None
        message = _message(first.feedback or first.status) if first else _message(row.output.splitlines()[0])
        detail = ET.SubElement(case, tag, message=message, type=row.status)
        detail.text = _clean(row.output)
    if component.output:
        ET.SubElement(suite, "system-out").text = _clean(component.output)
    return suite


def _case_name(row: Row) -> str:
    if len(row.families) == 1 and row.name.endswith(f": {family_label(row.families[0])}"):
        return family_label(row.families[0])  # family rows: the classname already names the component
    if len(row.checks) == 1 and row.name == row.checks[0].test_name:
        return row.checks[0].outcome.name
    return row.name


def render(report: Report, hints: dict[str, str] | None = None, granularity: str = "family") -> str:
    """The report as a JUnit XML document (``<testsuites>``), with an XML declaration."""
    hints = hints or {}
    suites = [_suite(c, hints, granularity) for c in report.components]
    root = ET.Element(
        "testsuites",
        name=_clean(f"nnlab: {report.submission}"),
        tests=str(sum(int(s.get("tests")) for s in suites)),
        failures=str(sum(int(s.get("failures")) for s in suites)),
        errors=str(sum(int(s.get("errors")) for s in suites)),
        skipped="0",
        time=f"{report.execution_time:.3f}",
    )
    root.extend(suites)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
