"""Writing a held-apart bug as the one ``(old, new)`` edit a Mutant holds.

These helpers are the held-apart set's own (not graders/mutants' private ones), so the set
stays independent of the catalogue it is measured against.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from nnlab.graders.mutants import Mutant, reference_folder


def _reference(module: str) -> str:
    return (reference_folder() / f"{module}.py").read_text(encoding="utf-8")


def span(module: str, *edits: tuple[str, str]) -> tuple[str, str]:
    """Several edits of one module, in file order, as one edit of the text they span.

    Used when one mistake touches two places (forward saves what a wrong backward reads).
    """
    text = _reference(module)
    start = text.index(edits[0][0])
    end = start
    for old, _ in edits:
        end = text.index(old, end) + len(old)
    old_span = new_span = text[start:end]
    for old, new in edits:
        if new_span.count(old) != 1:
            raise ValueError(f"{module}: {old!r} occurs {new_span.count(old)} times in the span")
        new_span = new_span.replace(old, new)
    return old_span, new_span


_BATCHNORM_LAYOUT = {"layers.BatchNorm1d": '"(N, C) or (N, C, L)"', "layers.BatchNorm2d": '"(N, C, H, W)"'}


def batchnorm_own(component: str, edits: dict[str, Iterable[tuple[str, str]]]) -> tuple[str, str]:
    """``component`` (BatchNorm1d or 2d) overrides the shared ``_BatchNorm`` methods named in
    ``edits`` with edited copies: the student's mistake lives in that class only."""
    text = _reference("layers")
    shared = text.index("class _BatchNorm(")
    anchor = f"    _layout = {_BATCHNORM_LAYOUT[component]}\n"
    copies = []
    for method, changes in edits.items():
        start = text.index(f"    def {method}(self", shared)
        body = text[start : text.index("\n    def ", start + 1) + 1]
        for old, new in changes:
            if body.count(old) != 1:
                raise ValueError(f"_BatchNorm.{method}: {old!r} occurs {body.count(old)} times")
            body = body.replace(old, new)
        copies.append(body)
    return anchor, anchor + "".join("\n" + body for body in copies)


def held_apart_bug(
    prefix: str,
    id: str,  # noqa: A002 - the Mutant field's name
    component: str,
    description: str,
    edit: tuple[str, str],
    expect: tuple[str, ...] = (),
    phrases: tuple[str, ...] = (),
) -> Mutant:
    """A held-apart Mutant of the set whose ids start with ``prefix``; ``expect`` are diagnosis tags
    that name the mistake, ``phrases`` words any correct explanation of it would contain (matched
    without regard to case)."""
    if not id.startswith(prefix):
        raise ValueError(f"ids of this held-apart set start with {prefix!r}: {id}")
    if not (expect or phrases):
        raise ValueError(f"{id}: say how a correct explanation names it (expect or phrases)")
    old, new = edit
    return Mutant(id, component, description, old, new, tuple(expect), phrases=tuple(phrases))


bug = partial(held_apart_bug, "ho-")  # set A
