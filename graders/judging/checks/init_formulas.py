"""The scale formula an initialiser's draw was made with, when it is a mistyped rule.

The notes write ``std = gain * sqrt(2 / (fan_in + fan_out))`` (Xavier) and ``std = gain /
sqrt(fan)`` (Kaiming); Python computes what was typed. Four classes of slip change the
number without changing how the line reads at a glance:

* **precedence**: a pair of grouping parentheses left out (``2 / fan_in + fan_out``), or a square
  root written as a power without them (``fan ** 1/2`` is ``(fan ** 1) / 2``);
* **root scope**: the square root stretched over a neighbouring factor (``sqrt(gain / fan)``) or
  shrunk to one side of a quotient (``sqrt(2) / (fan_in + fan_out)``);
* **operator**: one operator for another (``fan_in * fan_out`` for ``fan_in + fan_out``);
* **root missing**: ``gain * 2 / (fan_in + fan_out)``, a variance where its square root belongs;
* **gain twice**: the rule's std (which holds the gain) multiplied by the gain again;
* **rules confused**: Kaiming's fan replaced by Xavier's ``fan_in + fan_out``.

Every variant is made from the equivalent textbook spellings of the rule's std and of its
uniform bound (``sqrt(3) * std``), parsed and evaluated by Python itself, so the variant's value
is what that line computes. A variant is named only when it alone reproduces the std of every
draw it is compared with (draws of several shapes and gains): then it *is* the line typed.
Searched only after a draw has failed; a correct draw never gets here.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from types import CodeType

from nnlab.graders import settings

PRECEDENCE = "precedence"
ROOT_SCOPE = "root-scope"
OPERATOR = "formula-operator"
ROOT_MISSING = "variance-as-std"  # the catalogue's tag for a std that is a variance
GAIN_TWICE = "gain-twice"  # a std that holds the gain, multiplied by it again
RULE_SWAP = "xavier-kaiming-confused"  # Kaiming's one fan replaced by Xavier's sum of the fans

# The rule's std and (for uniform draws) its bound, in the spellings students copy from notes
# and tutorials; each is varied below. Names: gain, fan_in, fan_out, fan (Kaiming's mode's fan)
# and std (the rule's, for a bound written from it).
_SPELLINGS = {
    ("xavier", "std"): (
        "gain * sqrt(2 / (fan_in + fan_out))",
        "gain * sqrt(2) / sqrt(fan_in + fan_out)",
        "sqrt(2 / (fan_in + fan_out)) * gain",
        "gain * sqrt(1 / ((fan_in + fan_out) / 2))",  # one over the average fan
        "sqrt(gain ** 2 * 2 / (fan_in + fan_out))",  # the root of the variance
    ),
    ("xavier", "bound"): (
        "sqrt(3) * std",
        "gain * sqrt(6 / (fan_in + fan_out))",
        "sqrt(6 / (fan_in + fan_out)) * gain",
        "sqrt(3) * gain * sqrt(2 / (fan_in + fan_out))",
    ),
    ("kaiming", "std"): ("gain / sqrt(fan)", "gain * sqrt(1 / fan)", "sqrt(gain ** 2 / fan)"),
    ("kaiming", "bound"): (
        "sqrt(3) * std",
        "gain * sqrt(3 / fan)",
        "sqrt(3) * gain / sqrt(fan)",
        "sqrt(3 / fan) * gain",
    ),
}
_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
# Where a variant is compared with the right formula and with the other variants: two formulas
# that agree at both points are the same function of the fans and the gain.
_POINTS = (
    {"gain": 1.37, "fan_in": 211.0, "fan_out": 97.0, "fan": 173.0},
    {"gain": 0.61, "fan_in": 53.0, "fan_out": 389.0, "fan": 29.0},
)


def quantities(rule: str, gain: float, fan_in: float, fan_out: float, fan: float) -> dict[str, float]:
    """The names a formula of ``rule`` is written in, with the rule's own std among them."""
    std = gain * math.sqrt(2.0 / (fan_in + fan_out)) if rule == "xavier" else gain / math.sqrt(fan)
    return {"gain": gain, "fan_in": fan_in, "fan_out": fan_out, "fan": fan, "std": std}


@dataclass(frozen=True)
class Formula:
    """A mistyped spelling of the rule: what was typed, what was meant, and the class of slip."""

    typed: str  # e.g. "gain * sqrt(2 / fan_in + fan_out)"
    meant: str  # the spelling it varies
    tag: str  # PRECEDENCE, ROOT_SCOPE or OPERATOR
    why: str  # the slip, for the student
    role: str  # "std": the line computes the std; "bound": it computes the uniform's bound
    code: CodeType
    also: tuple[tuple[str, str, str], ...] = ()  # other (typed, tag, why) that compute the same number
    factor: float | None = None  # when the formula is the rule times a constant: that constant

    @property
    def claim(self) -> str:
        """The tag to claim: the slip's; "" when typings of two classes give the same number, or
        when the number is the rule's times a constant (which many slips give)."""
        if self.factor is not None:
            return ""
        return self.tag if all(tag == self.tag for _, tag, _ in self.also) else ""

    def value(self, names: dict[str, float]) -> float:
        """The std this line gives for ``names`` (a bound is sqrt(3) stds); nan when it cannot run."""
        try:
            value = float(eval(self.code, {"__builtins__": {}, "sqrt": math.sqrt}, dict(names)))  # noqa: S307
        except (ArithmeticError, ValueError, TypeError):
            return math.nan
        return value / math.sqrt(3.0) if self.role == "bound" else value

    def sentence(self, names: dict[str, float]) -> str:
        """What was typed and why it computes another number (no final period)."""
        what = "the std" if self.role == "std" else "the uniform bound"
        numbers = f"with this case's numbers it gives a std of {self.value(names):.6g}, as every draw shows"
        if self.claim:
            return f"{what} was computed as `{self.typed}` where `{self.meant}` was meant: {self.why}; {numbers}"
        if self.factor is not None:
            return (
                f"every draw's std is {self.factor:.4g} times the rule's, what `{self.typed}` gives where "
                f"`{self.meant}` was meant ({self.why}); other slips give the same factor, so this is a guess"
            )
        # one typing of each other class of slip that gives the same number (all are said: none is claimed)
        others, seen = [], {self.tag}
        for typed, tag, why in self.also:
            if tag not in seen:
                seen.add(tag)
                others.append(f"`{typed}` ({why})")
        return (
            f"{what} was computed as `{self.typed}` ({self.why}) or as {' or as '.join(others)}, which give the same "
            f"number; `{self.meant}` was meant; {numbers}"
        )


def _grouped(node: ast.AST, outer: bool = True) -> str:
    """``node`` with every inner operation in parentheses: how Python grouped what was typed."""
    if isinstance(node, ast.BinOp):
        text = f"{_grouped(node.left, False)} {_SYMBOLS[type(node.op)]} {_grouped(node.right, False)}"
        return text if outer else f"({text})"
    if isinstance(node, ast.Call):
        return f"{ast.unparse(node.func)}({', '.join(_grouped(a) for a in node.args)})"
    return ast.unparse(node)


def _root_spellings(text: str) -> Iterator[str]:
    """``text`` as typed with sqrt, and with each sqrt(E) written as a power: ``(E) ** 0.5`` and
    ``(E) ** (1 / 2)`` (a bare name needs no parentheses)."""
    yield text
    for power in ("0.5", "1 / 2"):
        # unparse keeps the parentheses the grouping needs: (2 / (fan_in + fan_out)) ** (1 / 2)
        yield ast.unparse(_Powers(power).visit(ast.parse(text, mode="eval")))


class _Powers(ast.NodeTransformer):
    """Every ``sqrt(E)`` as ``E ** power``."""

    def __init__(self, power: str) -> None:
        self.power = power

    def visit_Call(self, node: ast.Call) -> ast.AST:  # noqa: N802 - the visitor's name
        self.generic_visit(node)
        return ast.BinOp(node.args[0], ast.Pow(), ast.parse(self.power, mode="eval").body)


def _pairs(text: str) -> Iterator[tuple[int, int]]:
    """The grouping parentheses of ``text`` (not a call's): (open, close) positions."""
    stack: list[int] = []
    for i, char in enumerate(text):
        if char == "(":
            stack.append(i)
        elif char == ")":
            start = stack.pop()
            if start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_"):
                yield start, i


def _dropped(text: str) -> Iterator[tuple[str, str]]:
    """``(typed, why)`` for each pair of grouping parentheses left out."""
    for start, end in _pairs(text):
        inner = text[start + 1 : end]
        typed = text[:start] + inner + text[end + 1 :]
        try:
            tree = ast.parse(typed, mode="eval")
        except SyntaxError:
            continue
        if inner.replace(" ", "") == "1/2" and text[:start].rstrip().endswith("**"):
            why = (
                f"`** 1 / 2` is not a square root: ** binds tighter than /, so Python reads {_grouped(tree.body)} "
                "(operator precedence); a square root is ** 0.5, ** (1 / 2) or math.sqrt"
            )
        else:
            why = (
                f"without the parentheses around {inner}, Python reads {_grouped(tree.body)} (operator precedence: "
                "** binds tighter than * and /, which bind tighter than + and -)"
            )
        yield typed, why


def _edits(text: str, edit: Callable[[ast.AST], Iterator[tuple[ast.AST, str]]]) -> Iterator[tuple[str, str]]:
    """``(typed, why)`` for each node of ``text`` that ``edit`` replaces (one node at a time)."""
    count = len(list(ast.walk(ast.parse(text, mode="eval"))))
    for index in range(count):
        for k in range(len(list(edit(list(ast.walk(ast.parse(text, mode="eval")))[index])))):
            tree = ast.parse(text, mode="eval")
            node = list(ast.walk(tree))[index]
            new, why = list(edit(node))[k]
            if node is tree.body:
                tree.body = new
            else:
                for parent in ast.walk(tree):
                    for field, value in ast.iter_fields(parent):
                        if value is node:
                            setattr(parent, field, new)
                        elif isinstance(value, list) and any(v is node for v in value):
                            setattr(parent, field, [new if v is node else v for v in value])
            yield ast.unparse(tree), why


def _rescope(node: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """A square root stretched over its neighbouring name, or shrunk to one side of the quotient
    or sum under it."""
    sqrt = ast.Name("sqrt", ast.Load())
    if isinstance(node, ast.Call) and isinstance(node.args[0], ast.BinOp):
        under = node.args[0]
        whole = ast.unparse(under)
        if not (isinstance(under.left, ast.Constant) and under.left.value == 1):  # sqrt(1) is no slip
            yield (
                ast.BinOp(ast.Call(sqrt, [under.left], []), under.op, under.right),
                f"the square root covers only {ast.unparse(under.left)}, not all of {whole}",
            )
        yield (
            ast.BinOp(under.left, under.op, ast.Call(sqrt, [under.right], [])),
            f"the square root covers only {ast.unparse(under.right)}, not all of {whole}",
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
        for root, other in ((node.right, node.left), (node.left, node.right)):
            if isinstance(root, ast.Call) and isinstance(other, ast.Name):
                left, right = (other, root.args[0]) if root is node.right else (root.args[0], other)
                name = other.id
                why = f"{name} went under the square root, so the result grows with sqrt({name}), not with {name}"
                if name == "gain":
                    why += "; the gain multiplies the std (its square the variance)"
                yield ast.Call(sqrt, [ast.BinOp(left, node.op, right)], []), why


def _unroot(node: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """A square root left out: the quantity under it (a variance) used as the std."""
    if isinstance(node, ast.Call):
        yield (
            node.args[0],
            f"the square root of {ast.unparse(node.args[0])} is missing, so a variance stands where its square root, "
            "the std, belongs",
        )


def _operator(node: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """One operator typed for another: + and *, * and /."""
    swaps = {ast.Add: (ast.Mult,), ast.Mult: (ast.Add, ast.Div), ast.Div: (ast.Mult,)}
    if isinstance(node, ast.BinOp) and type(node.op) in swaps:
        for other in swaps[type(node.op)]:
            new = ast.BinOp(node.left, other(), node.right)
            yield new, f"it has {ast.unparse(new)} where the rule has {ast.unparse(node)}"


_GAIN_TWICE_WHY = (
    "the gain was applied twice (the std already holds it, and the draw was multiplied by gain again): the std has "
    "the gain squared"
)


def _xavier_fan(node: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """Kaiming's fan replaced by Xavier's sum of the fans."""
    if isinstance(node, ast.Name) and node.id == "fan":
        yield (
            ast.BinOp(ast.Name("fan_in", ast.Load()), ast.Add(), ast.Name("fan_out", ast.Load())),
            "Xavier's sum of the fans, fan_in + fan_out, stands where Kaiming divides by the one fan that mode chooses",
        )


@cache
def formulas(rule: str, distribution: str) -> tuple[Formula, ...]:
    """Every mistyped spelling of ``rule``'s std (and, for uniform draws, bound), one per
    distinct function of the fans and the gain, none equal to the rule itself."""
    roles = ("std", "bound") if distribution == "uniform" else ("std",)
    typed: list[tuple[str, str, str, str, str]] = []  # (tag, typed, meant, why, role)
    for role in roles:
        for spelling in _SPELLINGS[(rule, role)]:
            for written in _root_spellings(spelling):
                typed += [(PRECEDENCE, t, written, w, role) for t, w in _dropped(written)]
            typed += [(ROOT_SCOPE, t, spelling, w, role) for t, w in _edits(spelling, _rescope)]
            typed += [(OPERATOR, t, spelling, w, role) for t, w in _edits(spelling, _operator)]
            typed += [(ROOT_MISSING, t, spelling, w, role) for t, w in _edits(spelling, _unroot)]
            typed += [(RULE_SWAP, t, spelling, w, role) for t, w in _edits(spelling, _xavier_fan)]
            if role == "std":
                typed += [(GAIN_TWICE, f"({spelling}) * gain", spelling, _GAIN_TWICE_WHY, role)]
    # a function two slips give is told as the first
    order = (PRECEDENCE, ROOT_SCOPE, ROOT_MISSING, OPERATOR, RULE_SWAP, GAIN_TWICE)
    typed.sort(key=lambda entry: order.index(entry[0]))
    points = [quantities(rule, p["gain"], p["fan_in"], p["fan_out"], p["fan"]) for p in _POINTS]
    rights = [p["std"] for p in points]
    found: dict[tuple[float, ...], Formula] = {}
    for tag, text, meant, why, role in typed:
        formula = Formula(text, meant, tag, why, role, _compiled(text))
        values = tuple(formula.value(p) for p in points)
        if any(not math.isfinite(v) or v <= 0 for v in values) or _same(values, rights):
            continue
        key = next((k for k in found if _same(k, values)), values)
        if key not in found:
            # A constant multiple of the rule (a factor 1/2, 1.5 / sqrt(3)) is what many slips give,
            # listed here or not: it is told as an observation, never claimed.
            ratios = [v / r for v, r in zip(values, rights, strict=True)]
            found[key] = replace(formula, factor=ratios[0] if _same(ratios, ratios[:1] * len(ratios)) else None)
        elif _tokens(text) != _tokens(found[key].typed) and all(text != t for t, _, _ in found[key].also):
            found[key] = replace(found[key], also=(*found[key].also, (text, tag, why)))
    return tuple(found.values())


def _tokens(text: str) -> str:
    """What was typed, without its parentheses and spaces: two spellings of one typing (a
    root over 2 only and a root missing over the sum are both ``sqrt(2) / (fan_in + fan_out)``)."""
    return "".join(c for c in text if c not in "() ")


def _compiled(text: str) -> CodeType:
    return compile(ast.parse(text, mode="eval"), "<formula>", "eval")


def _same(a: Sequence[float], b: Sequence[float]) -> bool:
    return all(math.isclose(x, y, rel_tol=settings.SAME_VALUE_RTOL) for x, y in zip(a, b, strict=True))


def fitting(candidates: Sequence[Formula], draws: Sequence[tuple[dict[str, float], float, float]]) -> list[Formula]:
    """The candidates whose std is within tolerance of every draw's: ``(names, std, tolerance)``."""

    def fits(formula: Formula, names: dict[str, float], std: float, tolerance: float) -> bool:
        value = formula.value(names)
        return value > 0 and abs(std / value - 1.0) <= tolerance  # nan compares False

    return [f for f in candidates if all(fits(f, *draw) for draw in draws)]
