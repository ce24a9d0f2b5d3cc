"""JUnit XML for CI systems: a ``<testsuite>`` per component, a ``<testcase>`` per check.

* ``classname`` is the component (``layers.Conv2d``), ``name`` the check's name.
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

from ..results import ERROR, PASSED, ComponentReport, Report
from .gradescope import test_output

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


def _suite(component: ComponentReport, hints: dict[str, str]) -> ET.Element:
    checks = component.checks
    errors = sum(c.outcome.status == ERROR for c in checks)
    failures = sum(c.outcome.status not in (PASSED, ERROR) for c in checks)
    suite = ET.Element(
        "testsuite",
        name=_clean(component.component),
        tests=str(len(checks)),
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
    for check in checks:
        case = ET.SubElement(suite, "testcase", classname=_clean(component.component), name=_clean(check.outcome.name))
        status = check.outcome.status
        if status == PASSED:
            continue
        tag = "error" if status == ERROR else "failure"
        message = _message(check.outcome.feedback or status)
        detail = ET.SubElement(case, tag, message=message, type=status)
        detail.text = _clean(test_output(check, hints.get(component.component, "")))
    if component.output:
        ET.SubElement(suite, "system-out").text = _clean(component.output)
    return suite


def render(report: Report, hints: dict[str, str] | None = None) -> str:
    """The report as a JUnit XML document (``<testsuites>``), with an XML declaration."""
    hints = hints or {}
    suites = [_suite(c, hints) for c in report.components]
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
