"""The fixtures: a JSON manifest (what to check, with which settings) and one .npz per component.

The manifest says, per component, its kind, parameters, kinks and cases (constructor
arguments, mode, the parameters the component has with them, and the texts of the known
mistakes stored with the case); the .npz holds
the arrays: seeded inputs and what the reference returned for them. Arrays are read with
``allow_pickle=False``: fixtures are data, never code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .settings import Settings

MANIFEST = "manifest.json"
FORMAT = 2  # 2: each case lists its parameters, as the grader's entry gives them for its arguments


class FixtureError(ValueError):
    """The fixtures folder is missing, or its manifest is not one this checker reads."""


def plain_to_kwargs(value: Any) -> Any:
    """JSON has no tuples: ``[2, 3]`` was a pair (kernel_size, betas) and becomes one again.

    nnlab reads a course's TOML entries the same way (exercises/entries.py's ``plain_to_tuples``); this
    checker keeps its own copy because it travels into releases alone and imports nothing of nnlab.
    """
    if isinstance(value, list):
        return tuple(plain_to_kwargs(v) for v in value)
    if isinstance(value, dict):
        return {k: plain_to_kwargs(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class CaseSpec:
    """One case of a component: how to build it, and what else the fixture says about it."""

    index: int
    id: str
    kwargs: dict[str, Any]
    mode: str = "train"
    info: dict[str, Any] = field(default_factory=dict)  # texts of known mistakes, scenario numbers
    params: tuple[str, ...] = ()  # its Parameter attributes given ``kwargs`` (no bias with bias=False)


@dataclass(frozen=True)
class Spec:
    """One component, as the manifest describes it."""

    name: str
    kind: str
    file: str
    cases: tuple[CaseSpec, ...]
    params: tuple[str, ...] = ()
    kinks: tuple[float, ...] = ()
    ties: bool = False
    target: str = ""
    positive_input: bool = False
    properties: tuple[str, ...] = ()
    convergence: dict[str, Any] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def module(self) -> str:
        return self.name.partition(".")[0]

    @property
    def class_name(self) -> str:
        return self.name.partition(".")[2]

    def params_for(self, case: CaseSpec) -> tuple[str, ...]:
        """The case's parameters: the writer applied the grader's rule (``Component.params_for``), not this checker."""
        return case.params


class Fixture:
    """The arrays of one component (opened at the first access)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._data: dict[str, np.ndarray] | None = None

    @property
    def data(self) -> dict[str, np.ndarray]:
        if self._data is None:
            if not self.path.is_file():
                raise FixtureError(f"fixture file {self.path} is missing")
            with np.load(self.path, allow_pickle=False) as npz:
                self._data = {key: npz[key] for key in npz.files}
        return self._data

    def __getitem__(self, key: str) -> np.ndarray:
        try:
            return self.data[key].copy()  # a check may hand it to student code that writes into it
        except KeyError:
            raise FixtureError(f"{self.path.name} has no array {key!r} (fixtures and checker do not match)") from None

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def under(self, prefix: str) -> dict[str, np.ndarray]:
        """Every array whose key starts with ``prefix/``, by the rest of its key."""
        start = prefix.rstrip("/") + "/"
        return {k[len(start) :]: v.copy() for k, v in self.data.items() if k.startswith(start)}

    def variants(self, case: CaseSpec, quantity: str) -> dict[str, tuple[np.ndarray, str]]:
        """Known mistakes for ``quantity`` of ``case``: ``tag -> (what the mistake gives, its sentence)``."""
        texts = case.info.get("variants", {}).get(quantity, {})
        arrays = self.under(f"c{case.index}/variant/{quantity}")
        return {tag: (arrays[tag], text) for tag, text in texts.items() if tag in arrays}


@dataclass(frozen=True)
class Manifest:
    folder: Path
    components: dict[str, Spec]
    settings: Settings
    variant: int | None = None
    assignment: str | None = None
    given: tuple[str, ...] = ()

    def fixture(self, name: str) -> Fixture:
        return Fixture(self.folder / self.components[name].file)


def load_manifest(folder: str | Path) -> Manifest:
    """Read ``folder/manifest.json``; a missing or foreign manifest raises :class:`FixtureError`."""
    folder = Path(folder)
    path = folder / MANIFEST
    if not path.is_file():
        raise FixtureError(f"{folder} holds no {MANIFEST} (expected the fixtures folder of a release)")
    try:
        plain = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise FixtureError(f"{path}: not readable JSON ({error})") from None
    if not isinstance(plain, dict) or plain.get("format") != FORMAT:
        raise FixtureError(f"{path}: fixtures format {plain.get('format')!r}; this checker reads format {FORMAT}")
    components = {}
    for name, entry in plain["components"].items():
        cases = tuple(
            CaseSpec(
                i,
                c["id"],
                plain_to_kwargs(c.get("kwargs", {})),
                c.get("mode", "train"),
                c.get("info", {}),
                tuple(c["params"]),
            )
            for i, c in enumerate(entry.get("cases", []))
        )
        components[name] = Spec(
            name=name,
            kind=entry["kind"],
            file=entry["file"],
            cases=cases,
            params=tuple(entry.get("params", ())),
            kinks=tuple(entry.get("kinks", ())),
            ties=bool(entry.get("ties", False)),
            target=entry.get("target", ""),
            positive_input=bool(entry.get("positive_input", False)),
            properties=tuple(entry.get("properties", ())),
            convergence=entry.get("convergence", {}),
            info=entry.get("info", {}),
        )
    return Manifest(
        folder=folder,
        components=components,
        settings=Settings.from_manifest(plain.get("settings")),
        variant=plain.get("variant"),
        assignment=plain.get("assignment"),
        given=tuple(plain.get("given", ())),
    )
