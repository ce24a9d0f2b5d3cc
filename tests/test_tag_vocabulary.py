"""Every tag the grader can give is an observation or some mutant's bug class.

A claim is judged by its tag (evidence.feedback_verdict): it names a bug when the bug expects the tag, and misleads
when another mutant's bug class is its tag. A tag that is neither an observation nor any mutant's class can do
neither, so a wrong claim under it would go unseen. The suite's gradings hold that rule on every claim they meet
(evidence.unvouched_claims); this test reads the source for the tags no graded mutant happens to reach: every tag
a check writes out literally (``failed(name, text, "tag")``, ``Diagnosis("tag", ...)``, a property's tag) needs a
mutant that earns it, or is an observation. Tags kept in tables (the simulated mistakes) are the gradings' to hold.
"""

from __future__ import annotations

import ast
from pathlib import Path

from evidence import claimed, every_bug_class
from nnlab.graders import judging
from nnlab.graders.results import OBSERVATIONS

# The callables that take a tag, and the position of that argument.
TAG_ARGUMENT = {"failed": 2, "Outcome": 3, "Diagnosis": 0, "holds": 4, "hypothesis_check": 4}


def _literal_tags() -> dict[str, set[str]]:
    """``{tag: {file, ...}}`` of every string literal passed as a tag in graders/judging."""
    found: dict[str, set[str]] = {}
    for path in Path(judging.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            callee = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if callee not in TAG_ARGUMENT:
                continue
            position = TAG_ARGUMENT[callee]
            values = [node.args[position]] if len(node.args) > position else []
            values += [k.value for k in node.keywords if k.arg in ("misconception", "tag")]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
                    found.setdefault(value.value, set()).add(path.name)
    return found


def test_the_source_is_read() -> None:
    tags = _literal_tags()
    assert {"gradcheck", "rng-ignored", "returns-none"} <= tags.keys() and len(tags) > 100


def test_every_literal_tag_is_an_observation_or_a_bug_class() -> None:
    known = every_bug_class() | OBSERVATIONS.keys()
    unvouched = {tag: sorted(files) for tag, files in _literal_tags().items() if not set(claimed(tag)) <= known}
    assert not unvouched, f"tags no mutant expects and no observation (write a mutant that earns each): {unvouched}"
