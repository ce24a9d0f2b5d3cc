"""Checks, the items they make, and running one item on the student's code.

A check is a small function ``fn(subject, case)`` that returns when all is well and raises
:class:`Failed` with one sentence otherwise; each kind module lists its checks as data
(``CHECKS``). A per-case check makes one item per case of the component. Running an item
turns anything the student's code raises into a one-line result: never a traceback.
"""

from __future__ import annotations

import traceback
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .compare import judge
from .loader import Student
from .manifest import CaseSpec, Fixture, Manifest, Spec
from .settings import Settings

FAMILIES = ("runs", "fixtures", "gradcheck", "properties", "contracts", "convergence")


class Failed(Exception):
    """A check's verdict: one sentence for the student."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Skipped(Exception):
    """The check cannot run here (it needs a component that is not available yet)."""


def fail_if(problems: list[str | None] | str | None) -> None:
    """Raise :class:`Failed` with every problem found (None entries are fine)."""
    if isinstance(problems, str) or problems is None:
        problems = [problems]
    found = [p for p in problems if p]
    if found:
        raise Failed("; ".join(found))


@dataclass(frozen=True)
class Check:
    family: str
    name: str
    kinds: tuple[str, ...]
    fn: Callable[..., None]
    per_case: bool = False
    when: Callable[[Spec], bool] | None = None

    def applies_to(self, spec: Spec) -> bool:
        return spec.kind in self.kinds and (self.when is None or self.when(spec))


@dataclass(frozen=True)
class Item:
    """One check of one component (on one case): a line of the report, a pytest item."""

    component: str
    check: Check
    case: CaseSpec | None = None

    @property
    def id(self) -> str:
        suffix = f" [{self.case.id}]" if self.case is not None else ""
        return f"{self.component}: {self.check.name}{suffix}"


@dataclass(frozen=True)
class Result:
    item_id: str
    component: str
    family: str
    status: str  # "passed", "failed", "skipped" or "not implemented"
    message: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@dataclass
class Subject:
    """What a check works on: the component's spec and fixture, and the student's code."""

    spec: Spec
    student: Student
    fixture: Fixture
    manifest: Manifest
    checker: Checker
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def s(self) -> Settings:
        return self.manifest.settings

    @property
    def name(self) -> str:
        return self.spec.name

    def cls(self) -> Any:
        return self.student.get(self.spec.name)

    def build(self, case: CaseSpec, **override: Any) -> Any:
        return self.cls()(**{**case.kwargs, **override})

    def label(self, case: CaseSpec) -> str:
        """``Conv2d(in_channels=2, out_channels=3, kernel_size=3)``: the instance, as built."""
        return f"{self.spec.class_name}({', '.join(f'{k}={v!r}' for k, v in case.kwargs.items())})"

    def judge(self, actual: Any, expected: Any, what: str, **hints: Any) -> str | None:
        return judge(actual, expected, what, s=self.s, **hints)

    def available(self, name: str) -> Any | None:
        """A component the release ships complete, or that the student has implemented; else None."""
        if name in self.manifest.given or (name in self.manifest.components and self.checker.gate(name) is None):
            try:
                return self.student.get(name)
            except ImportError:
                return None
        return None

    def rng(self, *salt: object) -> np.random.Generator:
        """Seeded randomness for checks that draw their own data (same every run)."""
        key = "|".join(str(s) for s in (self.spec.name, *salt))
        return np.random.default_rng([zlib.crc32(key.encode()), self.manifest.variant or 0])


HERE = Path(__file__).resolve().parent  # the checker's own files, never the place to blame


def where_raised(error: BaseException) -> str:
    """``(layers.py, line 42)``: the innermost frame of the student's code (not the checker's, not numpy's)."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = Path(frame.filename)
        if frame.filename.startswith("<") or "site-packages" in path.parts or path.resolve().parent == HERE:
            continue
        return f" ({path.name}, line {frame.lineno})"
    return ""


NOT_CALLABLE = (
    ". Call modules and losses by name, `layer.forward(x)` and `loss_fn.forward(output, target)`: docs/api.md "
    "says modules need not be callable, and the checker's test doubles are not"
)


def describe_error(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    hint = NOT_CALLABLE if isinstance(error, TypeError) and text.endswith("object is not callable") else ""
    return f"{type(error).__name__}{': ' + text[:300] if text else ''}{where_raised(error)}{hint}"


def not_implemented(error: NotImplementedError) -> str:
    text = str(error).strip() or "NotImplementedError"
    return text.replace(": your code here", "").splitlines()[0][:200]


class Checker:
    """The student's folder checked against a fixtures folder (the in-process API)."""

    def __init__(self, folder: str | Path, manifest: Manifest, checks: list[Check], support: Path | None = None):
        self.folder = Path(folder)
        self.manifest = manifest
        self.checks = checks
        self.student = Student(folder, support)
        self.subjects: dict[str, Subject] = {}
        self._gates: dict[str, str | None] = {}

    def subject(self, name: str) -> Subject:
        if name not in self.subjects:
            spec = self.manifest.components[name]
            self.subjects[name] = Subject(spec, self.student, self.manifest.fixture(name), self.manifest, self)
        return self.subjects[name]

    def items(self, only: list[str] | None = None) -> list[Item]:
        items = []
        for name, spec in self.manifest.components.items():
            if only and not any(o == name or o == spec.class_name for o in only):
                continue
            for check in self.checks:
                if check.applies_to(spec):
                    cases = spec.cases if check.per_case else (None,)
                    items += [Item(name, check, case) for case in cases]
        return items

    def gate(self, name: str) -> str | None:
        """None if the component imports and runs; else the one line to report instead of its checks.

        A stub (NotImplementedError), a module that does not import and a first call that
        raises each get one line: the rest of the component's checks would only repeat it.
        """
        if name not in self._gates:
            subject = self.subject(name)
            probe = next(c for c in self.checks if c.family == "runs" and c.applies_to(subject.spec))
            self._gates[name] = None
            try:
                with np.errstate(all="ignore"):
                    subject.cls()
                    probe.fn(subject, None)
            except ImportError as error:
                self._gates[name] = f"{name}: {error}"
            except NotImplementedError as error:
                self._gates[name] = f"{name}: not implemented ({not_implemented(error)})"
            except Failed as verdict:
                self._gates[name] = f"{name}: does not run: {verdict.message}"
            except RecursionError:
                self._gates[name] = f"{name}: does not run: infinite recursion (a method calling itself?)"
            except SystemExit:
                self._gates[name] = f"{name}: does not run: it called exit() (sys.exit ends the whole check)"
            except Exception as error:  # noqa: BLE001 (the student's exception is the verdict)
                self._gates[name] = f"{name}: does not run: it raised {describe_error(error)}"
        return self._gates[name]

    def run(self, item: Item) -> Result:
        """Run one item; every exception of the student's code becomes a one-line failed result."""
        gate = self.gate(item.component)
        if gate is not None:
            status = "not implemented" if ": not implemented (" in gate else "failed"
            return Result(item.id, item.component, item.check.family, status, gate)
        subject = self.subject(item.component)
        prefix = item.id
        try:
            with np.errstate(all="ignore"):
                item.check.fn(subject, item.case)
        except Failed as verdict:
            return Result(item.id, item.component, item.check.family, "failed", f"{prefix}: {verdict.message}")
        except Skipped as reason:
            return Result(item.id, item.component, item.check.family, "skipped", f"{prefix}: skipped ({reason})")
        except NotImplementedError as error:
            message = f"{prefix}: not implemented yet ({not_implemented(error)})"
            return Result(item.id, item.component, item.check.family, "failed", message)
        except RecursionError:
            message = f"{prefix}: infinite recursion (a method calling itself?)"
            return Result(item.id, item.component, item.check.family, "failed", message)
        except SystemExit:
            message = f"{prefix}: it called exit() (sys.exit ends the whole check)"
            return Result(item.id, item.component, item.check.family, "failed", message)
        except Exception as error:  # noqa: BLE001 (the student's exception is the result)
            message = f"{prefix}: raised {describe_error(error)}"
            return Result(item.id, item.component, item.check.family, "failed", message)
        return Result(item.id, item.component, item.check.family, "passed")

    def run_all(self, only: list[str] | None = None, fail_fast: bool = False) -> list[Result]:
        """Every item; a component that does not run gets one result (not one per check)."""
        results, reported = [], set()
        for item in self.items(only):
            if self.gate(item.component) is not None:
                if item.component not in reported:
                    reported.add(item.component)
                    results.append(self.run(item))
                continue
            result = self.run(item)
            results.append(result)
            if fail_fast and result.status == "failed":
                break
        return results

    def close(self) -> None:
        self.student.close()
