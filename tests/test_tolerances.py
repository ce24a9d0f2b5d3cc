"""Does the grader read every tolerance from graders/settings.py, where each says why it is what it is?

A tolerance literal, anywhere in graders/ but settings.py and selfcheck/ (the release's checker, which
ships its own settings, filled from these), is one of:
- a keyword argument named like a tolerance (``rtol``, ``atol``, ``rel_tol``, ``abs_tol``, ``tol``,
  ``tolerance``) whose value holds a number other than 0 (``atol=0`` says "no absolute tolerance", a
  choice, not a tolerance);
- a parameter with such a default (``def close(a, b, rtol=1e-9)``), or a variable so named assigned
  such a value (``tol = 1e-9 * scale``, ``_UNIFORM_RTOL = 1e-5``: any name ending in ``tol``);
- a comparison with a float literal below 1e-2 in size on either side (``err < 1e-6``,
  ``spread <= 1e-9 * abs(mean)``): thresholds of that size are tolerances, and larger floats in
  comparisons are data (a probability of 0.5, an epoch count).
A literal that is no tolerance but a value of the API is listed in ``EXEMPT``, with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GRADERS = Path(__file__).resolve().parents[1] / "graders"
MODULES = sorted(
    str(path.relative_to(GRADERS))
    for path in GRADERS.rglob("*.py")
    if "selfcheck" not in path.parts and path.name != "settings.py"
)
TOLERANCE_NAMES = {"rtol", "atol", "rel_tol", "abs_tol", "tol", "tolerance"}
SMALL = 1e-2  # floats in comparisons below this are thresholds, not data

# (file, the literal's source text): values of docs/api.md that a check compares with, not tolerances.
EXEMPT = {
    # BatchNorm's default eps: a student's eps that differs from it is simulated beside the default.
    ("judging/checks/batchnorm_mistakes.py", "eps != 1e-05"),
}


def _numbers(node: ast.AST) -> list[float]:
    return [
        n.value
        for n in ast.walk(node)
        if isinstance(n, ast.Constant) and isinstance(n.value, (int, float)) and not isinstance(n.value, bool)
    ]


def _is_tolerance_name(name: str) -> bool:
    return name in TOLERANCE_NAMES or name.lower().endswith("tol")


def _defaults(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> list[tuple[ast.arg, ast.expr]]:
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True))
    return pairs + [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None]


def tolerance_literals(source: str) -> list[str]:
    """The tolerance literals of ``source`` (see the module docstring), as ``line: text``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.keyword) and node.arg in TOLERANCE_NAMES and any(_numbers(node.value)):
            found.append((node.value.lineno, f"{node.arg}={ast.unparse(node.value)}"))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            found += [
                (value.lineno, f"{arg.arg}={ast.unparse(value)}")
                for arg, value in _defaults(node)
                if _is_tolerance_name(arg.arg) and any(_numbers(value))
            ]
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None and any(_numbers(node.value)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found += [
                (node.lineno, f"{t.id} = {ast.unparse(node.value)}")
                for t in targets
                if isinstance(t, ast.Name) and _is_tolerance_name(t.id)
            ]
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(isinstance(v, float) and 0 < abs(v) < SMALL for side in operands for v in _numbers(side)):
                found.append((node.lineno, ast.unparse(node)))
    return [f"{line}: {text}" for line, text in sorted(found)]


def test_the_scan_finds_tolerance_literals() -> None:
    """Each form of a literal tolerance is found; named ones, zeros and data are not."""
    source = """
np.allclose(a, b, rtol=1e-9, atol=1e-12)
math.isclose(a, b, rel_tol=1e-9 * 3)
np.allclose(a, b, atol=1e-2 * size)
ok = err < 1e-6
same = spread <= 1e-9 * abs(mean)
def close(a, b, rtol=1e-7): ...
def close_too(a, b, *, tol=0.5): ...
np.allclose(a, b, rtol=settings.RTOL, atol=0)
np.allclose(a, b, rtol=settings.RTOL, atol=0.0)
dropped = p > 0.5
x[np.abs(x) < settings.KINK_MARGIN] = settings.KINK_MARGIN
def fine(a, b, rtol=settings.RTOL): ...
tol = evidence.RTOL * np.abs(v) + 1e-9 * scale
_UNIFORM_RTOL = 1e-5
_UNIFORM_RTOL = settings.STEP_FACTOR_RTOL
"""
    found = [line.split(": ", 1)[1] for line in tolerance_literals(source)]
    assert sorted(found) == sorted(
        [
            "rtol=1e-09",
            "atol=1e-12",
            "rel_tol=1e-09 * 3",
            "atol=0.01 * size",
            "err < 1e-06",
            "spread <= 1e-09 * abs(mean)",
            "rtol=1e-07",
            "tol=0.5",
            "tol = evidence.RTOL * np.abs(v) + 1e-09 * scale",
            "_UNIFORM_RTOL = 1e-05",
        ]
    )


@pytest.mark.parametrize("module", MODULES)
def test_no_grader_module_writes_a_tolerance_literal(module: str) -> None:
    """Tolerances are named in graders/settings.py, with the reasoning beside the value."""
    found = [
        line
        for line in tolerance_literals((GRADERS / module).read_text(encoding="utf-8"))
        if (module, line.split(": ", 1)[1]) not in EXEMPT
    ]
    assert not found, f"{module}: tolerance literals (name them in graders/settings.py): {found}"


def test_every_exemption_is_still_there() -> None:
    """An exemption whose literal is gone would hide the next literal written in its place."""
    for module, text in EXEMPT:
        found = [line.split(": ", 1)[1] for line in tolerance_literals((GRADERS / module).read_text(encoding="utf-8"))]
        assert text in found, (module, text)
